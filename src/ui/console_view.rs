//! The Console view: an in-page terminal with tabs, running the command-line tools of Kafka
//! [`crate::KAFKA_VERSION`]
//! (the [`crate::console`] module) against a simulated world.
//!
//! The model (`console_view/model.rs`) is plain Rust; this file draws it and turns keys into
//! its actions. The world is a [`SharedWorld`]: the one given in the props, else one provided
//! by a `ContextProvider<SharedWorld>` above, else a world of the view's own. While the view is
//! shown it advances that world with real time (1×, one animation frame at a time), so another
//! view sharing the handle sees the topics, records and groups made here. When the view goes
//! away its foreground jobs are stopped, as closing a terminal window stops them.
//!
//! Keys in the input line: Enter runs it; ↑/↓ walk the history; Tab completes (on a non-empty
//! line; Shift+Tab, or Esc then Tab, moves focus on); Ctrl+C stops the foreground job (Ctrl+C
//! with text selected in the line copies it); Ctrl+D on an empty line ends a console producer's
//! input; Ctrl+L clears. A paste that holds line breaks runs line by line. The tab list follows
//! the ARIA tabs pattern (←/→/Home/End move between tabs, Delete closes one); every action also
//! has a button.

pub mod model;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::el::{self, Attr};
use crate::ui::hooks::use_animation_frame;
pub use model::SharedWorld;
use model::{Action, Store, Stream, TABS_MAX, Terminals, byte_offset_of_utf16};

/// The buttons above the terminal: class, label, key shortcut, action.
type Tool = (
    &'static str,
    &'static str,
    &'static str,
    fn(String) -> Action,
);
const TOOLS: [Tool; 4] = [
    ("term-quickstart", "Paste the quickstart", "", |text| {
        Action::Quickstart { text }
    }),
    ("term-interrupt", "Ctrl+C stop", "Control+C", |text| {
        Action::Interrupt { text }
    }),
    ("term-eof", "Ctrl+D end input", "Control+D", |_| {
        Action::EndOfInput
    }),
    ("term-clear", "Ctrl+L clear", "Control+L", |_| Action::Clear),
];

/// The id of the input line (one terminal view per page).
pub const INPUT_ID: &str = "term-input";
const PANEL_ID: &str = "term-panel";
const KEYS_ID: &str = "term-keys";
/// The keys the hint above the terminal names, each with what it does.
const KEYS: [(&str, &str); 8] = [
    ("Enter", " runs a line, "),
    ("↑/↓", " history, "),
    ("Tab", " completes ("),
    ("Esc", " then "),
    ("Tab", " leaves), "),
    ("Ctrl+C", " stops, "),
    ("Ctrl+D", " ends a producer's input, "),
    ("Ctrl+L", " clears."),
];

fn tab_dom_id(id: u32) -> String {
    format!("term-tab-{id}")
}

/// Props for [`ConsoleView`].
#[derive(Properties, PartialEq, Default)]
pub struct ConsoleViewProps {
    /// The world to drive; when `None`, a `ContextProvider<SharedWorld>` above is used, and
    /// without one the view makes a world of its own. Read once, when the view mounts.
    #[prop_or_default]
    pub world: Option<SharedWorld>,
}

/// The terminal.
#[component]
pub fn ConsoleView(props: &ConsoleViewProps) -> Html {
    let context = use_context::<SharedWorld>();
    let given = props.world.clone().or(context);
    let store = use_reducer(move || {
        Store::new(match given {
            Some(world) => Terminals::new(world),
            None => Terminals::standalone(),
        })
    });
    {
        // Closing the view hangs up its terminals: running consumers leave their groups.
        let terminals = Rc::clone(&store.terminals);
        use_effect_with((), move |_| {
            move || {
                if let Ok(mut t) = terminals.try_borrow_mut() {
                    t.hang_up();
                }
            }
        });
    }
    {
        let dispatcher = store.dispatcher();
        use_animation_frame(
            true,
            Callback::from(move |wall_ms: f64| dispatcher.dispatch(Action::Frame { wall_ms })),
        );
    }
    let input_ref = use_node_ref();
    let log_ref = use_node_ref();
    // Whether the output follows new lines (false once the learner scrolls up).
    let stick = use_mut_ref(|| true);
    // Esc was pressed: the next Tab leaves the terminal instead of completing.
    let escaped = use_mut_ref(|| false);
    let status = use_state(String::new);

    let dispatch = {
        let store = store.clone();
        Callback::from(move |action: Action| store.dispatch(action))
    };
    let view = match store.terminals.try_borrow() {
        Ok(t) => Snapshot::of(&t),
        // Never while rendering (actions run synchronously, between renders); drawn empty.
        Err(_) => Snapshot::empty(),
    };

    // The model says what the input line shows (after history, completion, a paste, a switch).
    {
        let input_ref = input_ref.clone();
        let deps = (view.active, view.input_rev);
        let (text, cursor) = (view.input.clone(), view.input_cursor_utf16);
        use_effect_with(deps, move |_| {
            if let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() {
                input.set_value(&text);
                let _ = input.set_selection_range(cursor, cursor);
            }
        });
    }
    // New output scrolls into view unless the learner scrolled up to read.
    {
        let log_ref = log_ref.clone();
        let stick = stick.clone();
        use_effect_with((view.active, view.version), move |_| {
            if *stick.borrow()
                && let Some(log) = log_ref.cast::<web_sys::Element>()
            {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }

    let focus_input = {
        let input_ref = input_ref.clone();
        move || {
            if let Some(input) = input_ref.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        }
    };
    let input_text = {
        let input_ref = input_ref.clone();
        move || {
            input_ref
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default()
        }
    };

    let onkeydown = {
        let dispatch = dispatch.clone();
        let input_ref = input_ref.clone();
        let stick = stick.clone();
        let escaped = escaped.clone();
        let prompt = view.prompt;
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            let key = e.key();
            let plain = !e.ctrl_key() && !e.alt_key() && !e.meta_key();
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key() && !e.shift_key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), false);
            match key.as_str() {
                "Enter" if plain => {
                    e.prevent_default();
                    *stick.borrow_mut() = true;
                    dispatch.emit(Action::Submit { text });
                }
                "ArrowUp" | "ArrowDown" if plain && !e.shift_key() => {
                    e.prevent_default();
                    dispatch.emit(Action::History {
                        older: key == "ArrowUp",
                        text,
                    });
                }
                "Tab" if plain && !e.shift_key() => {
                    let shell = prompt == "$ " || prompt == "> ";
                    if was_escaped || !shell || text.is_empty() {
                        return; // focus moves on
                    }
                    e.prevent_default();
                    let cursor = selection(&input, &text).0;
                    *stick.borrow_mut() = true;
                    dispatch.emit(Action::Complete { text, cursor });
                }
                "Escape" => *escaped.borrow_mut() = true,
                k if ctrl && k.eq_ignore_ascii_case("c") => {
                    let (start, end) = selection(&input, &text);
                    if start != end {
                        return; // copy the selected text
                    }
                    e.prevent_default();
                    *stick.borrow_mut() = true;
                    dispatch.emit(Action::Interrupt { text });
                }
                k if ctrl && k.eq_ignore_ascii_case("d") => {
                    e.prevent_default();
                    if text.is_empty() {
                        *stick.borrow_mut() = true;
                        dispatch.emit(Action::EndOfInput);
                    }
                }
                k if ctrl && k.eq_ignore_ascii_case("l") => {
                    e.prevent_default();
                    dispatch.emit(Action::Clear);
                }
                _ => {}
            }
        })
    };
    let onpaste = {
        let dispatch = dispatch.clone();
        let input_ref = input_ref.clone();
        let stick = stick.clone();
        Callback::from(move |e: Event| {
            let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(pasted) = clipboard_text(&e) else {
                return;
            };
            let text = input.value();
            let multi_line = pasted.contains(['\n', '\r']);
            let too_long = text.chars().count() + pasted.chars().count() > model::INPUT_CHARS_MAX;
            if !multi_line && !too_long {
                return; // the browser pastes it into the line
            }
            e.prevent_default();
            let (start, end) = selection(&input, &text);
            let kept = format!("{}{}", &text[..start], &text[end..]);
            *stick.borrow_mut() = true;
            dispatch.emit(Action::Paste {
                text: kept,
                cursor: start,
                pasted,
            });
        })
    };
    let onscroll = {
        let stick = stick.clone();
        Callback::from(move |e: Event| {
            let log: web_sys::Element = e.target_unchecked_into();
            let bottom = log.scroll_top() + log.client_height();
            *stick.borrow_mut() = bottom >= log.scroll_height() - 8;
        })
    };
    let onclick_log = {
        let focus_input = focus_input.clone();
        Callback::from(move |_: MouseEvent| {
            // A click puts the caret in the line, unless it ended a text selection (to copy).
            if !text_selected() {
                focus_input();
            }
        })
    };

    // Tabs and buttons
    let on_tab_keys = {
        let dispatch = dispatch.clone();
        let ids: Vec<u32> = view.tabs.iter().map(|t| t.id).collect();
        let active = view.active;
        let input_text = input_text.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(at) = ids.iter().position(|&id| id == active) else {
                return;
            };
            let target = match e.key().as_str() {
                "ArrowRight" => ids.get((at + 1) % ids.len()),
                "ArrowLeft" => ids.get((at + ids.len() - 1) % ids.len()),
                "Home" => ids.first(),
                "End" => ids.last(),
                "Delete" => {
                    e.prevent_default();
                    dispatch.emit(Action::CloseTab {
                        id: active,
                        text: input_text(),
                    });
                    // Focus follows to the tab that is now shown.
                    let next = ids.get(at + 1).or_else(|| ids.get(at.wrapping_sub(1)));
                    if let Some(next) = next {
                        focus_by_id(&tab_dom_id(*next));
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(&id) = target {
                dispatch.emit(Action::Select {
                    id,
                    text: input_text(),
                });
                focus_by_id(&tab_dom_id(id));
            }
        })
    };
    let tabs = view.tabs.iter().map(|t| {
        let selected = t.id == view.active;
        let onclick = {
            let dispatch = dispatch.clone();
            let input_text = input_text.clone();
            let id = t.id;
            Callback::from(move |_: MouseEvent| {
                dispatch.emit(Action::Select {
                    id,
                    text: input_text(),
                })
            })
        };
        html! {
            <button type="button" role="tab" class="term-tab" id={tab_dom_id(t.id)}
                aria-selected={selected.to_string()} aria-controls={PANEL_ID}
                tabindex={if selected { "0" } else { "-1" }} {onclick}
                data-job={t.job.unwrap_or("")}>
                { t.label.clone() }
                if t.unread {
                    { el::text("span", &[("aria-hidden", Attr("true")), ("class", Attr("term-unread"))], " •") }
                    { el::text("span", &[("class", Attr("sr-only"))], " (new output)") }
                }
            </button>
        }
    });
    let act_and_focus = |make: fn(String) -> Action| {
        let dispatch = dispatch.clone();
        let input_text = input_text.clone();
        let focus_input = focus_input.clone();
        let stick = stick.clone();
        Callback::from(move |_: MouseEvent| {
            *stick.borrow_mut() = true;
            dispatch.emit(make(input_text()));
            focus_input();
        })
    };
    let on_new = act_and_focus(|text| Action::NewTab { text });
    // The terminal's own actions, for the mouse and for keyboards without Ctrl.
    let tools = TOOLS.iter().map(|&(class, label, keys, make)| {
        html! {
            <button type="button" {class} onclick={act_and_focus(make)}
                aria-keyshortcuts={(!keys.is_empty()).then_some(keys)}>{ label }</button>
        }
    });
    let on_close = {
        let dispatch = dispatch.clone();
        let input_text = input_text.clone();
        let focus_input = focus_input.clone();
        let id = view.active;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::CloseTab {
                id,
                text: input_text(),
            });
            focus_input();
        })
    };
    let on_copy = {
        let terminals = Rc::clone(&store.terminals);
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let Ok(t) = terminals.try_borrow() else {
                return;
            };
            let Some(tab) = t.active_tab() else { return };
            let text: String = tab.lines.iter().map(|l| l.shown() + "\n").collect();
            let message = if copy_to_clipboard(&text) {
                format!(
                    "Copied the output of Terminal {} ({} lines).",
                    tab.id,
                    tab.lines.len()
                )
            } else {
                "This browser does not let the page copy: select the output and copy it instead."
                    .to_string()
            };
            status.set(message);
        })
    };

    let active_label = format!("Terminal {}", view.active);
    let (input_label, placeholder) = match view.prompt {
        "$ " => ("Command", "type a command, or try help"),
        "> " => ("Continuation of the command", ""),
        ">" => (
            "Message for the console producer",
            "a message; Enter sends it, Ctrl+D ends",
        ),
        _ => (
            "Console consumer running: input is ignored",
            "Ctrl+C stops the consumer",
        ),
    };
    let full_tabs = !view.can_open;
    html! {
        <div class="console-view">
            { el::text("h2", &[], "Console") }
            <p class="hint" id={KEYS_ID}>
                { format!("Kafka {}'s tools on the simulated cluster. ", crate::KAFKA_VERSION) }
                { for KEYS.iter().map(|(key, what)| html! { <>{ el::text("kbd", &[], key) }{ *what }</> }) }
            </p>
            <div class="term-bar">
                <div class="term-tabs" role="tablist" aria-label="Terminal tabs" onkeydown={on_tab_keys}>
                    { for tabs }
                </div>
                <button type="button" class="term-new" onclick={on_new} disabled={full_tabs}
                    title={if full_tabs { format!("{TABS_MAX} tabs at most") } else { String::new() }}>
                    { "+ New tab" }
                </button>
                <button type="button" class="term-close" onclick={on_close}
                    disabled={view.tabs.len() < 2} aria-label={format!("Close tab: {active_label}")}
                    aria-keyshortcuts="Delete">
                    { "Close tab" }
                </button>
            </div>
            <div class="term-tools" role="group" aria-label="Terminal actions">
                { for tools }
                <button type="button" onclick={on_copy}>{ "Copy output" }</button>
            </div>
            <section class="terminal" id={PANEL_ID} role="tabpanel"
                aria-labelledby={tab_dom_id(view.active)}>
                <div class="term-out" ref={log_ref} role="log" aria-live="polite" tabindex="0"
                    aria-label={format!("Output of {active_label}")} onscroll={onscroll}
                    onclick={onclick_log}>
                    <Lines terminals={TerminalsRef(Rc::clone(&store.terminals))}
                        tab={view.active} version={view.version} />
                </div>
                <div class="term-line">
                    { el::text("span", &[("aria-hidden", Attr("true")), ("class", Attr("term-prompt"))], view.prompt) }
                    <input type="text" id={INPUT_ID} class="term-input" ref={input_ref}
                        aria-label={format!("{input_label}, {active_label}")}
                        aria-describedby={KEYS_ID} placeholder={placeholder}
                        autocomplete="off" autocapitalize="off" spellcheck="false"
                        data-prompt={view.prompt} {onkeydown} {onpaste} />
                </div>
            </section>
            <p class="sr-only" role="status" aria-live="polite">{ (*status).clone() }</p>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// What one render reads from the model

struct TabSnapshot {
    id: u32,
    label: String,
    job: Option<&'static str>,
    unread: bool,
}

struct Snapshot {
    tabs: Vec<TabSnapshot>,
    active: u32,
    can_open: bool,
    prompt: &'static str,
    version: u64,
    input: String,
    input_cursor_utf16: u32,
    input_rev: u64,
}

impl Snapshot {
    fn empty() -> Self {
        Self {
            tabs: Vec::new(),
            active: 0,
            can_open: false,
            prompt: "$ ",
            version: 0,
            input: String::new(),
            input_cursor_utf16: 0,
            input_rev: 0,
        }
    }

    fn of(t: &Terminals) -> Self {
        let tab = t.active_tab();
        Self {
            tabs: t
                .tabs
                .iter()
                .map(|tab| TabSnapshot {
                    id: tab.id,
                    label: tab.label(),
                    job: tab.job(),
                    unread: tab.unread,
                })
                .collect(),
            active: t.active,
            can_open: t.can_open(),
            prompt: tab.map_or("$ ", |t| t.console.prompt()),
            version: tab.map_or(0, |t| t.version),
            input: tab.map(|t| t.input.clone()).unwrap_or_default(),
            input_cursor_utf16: tab.map_or(0, |t| t.input_cursor_utf16),
            input_rev: tab.map_or(0, |t| t.input_rev),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The scrollback, redrawn only when its tab's lines change

/// The terminals, compared by identity (the scrollback's `version` says what changed).
#[derive(Clone)]
struct TerminalsRef(Rc<RefCell<Terminals>>);

impl PartialEq for TerminalsRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct LinesProps {
    terminals: TerminalsRef,
    tab: u32,
    version: u64,
}

#[component]
fn Lines(props: &LinesProps) -> Html {
    let Ok(t) = props.terminals.0.try_borrow() else {
        return html! {};
    };
    let Some(tab) = t.tabs.iter().find(|tab| tab.id == props.tab) else {
        return html! {};
    };
    html! {
        { for tab.lines.iter().map(|line| match line.stream {
            Stream::Input => html! {
                <div key={line.seq} class="line in">{ line.shown() }</div>
            },
            Stream::Stdout => html! {
                <div key={line.seq} class="line out">{ line.shown() }</div>
            },
            Stream::Stderr => html! {
                <div key={line.seq} class="line err" data-stream="stderr">
                    { el::text("span", &[("class", Attr("sr-only stream-tag"))], "stderr: ") }{ line.shown() }
                </div>
            },
        }) }
    }
}

// ---------------------------------------------------------------------------------------------
// Browser glue

/// The input's selection as byte offsets into `text`.
fn selection(input: &web_sys::HtmlInputElement, text: &str) -> (usize, usize) {
    let at = |units: Option<u32>| byte_offset_of_utf16(text, units.unwrap_or(u32::MAX));
    let start = at(input.selection_start().ok().flatten());
    let end = at(input.selection_end().ok().flatten()).max(start);
    (start, end)
}

fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        use wasm_bindgen::JsCast;
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// The text a paste event carries (`clipboardData.getData("text")`), read through
/// `Reflect` so no extra web-sys features are needed.
fn clipboard_text(event: &Event) -> Option<String> {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Reflect};
    let data = Reflect::get(event, &JsValue::from_str("clipboardData")).ok()?;
    if data.is_null() || data.is_undefined() {
        return None;
    }
    let get: Function = Reflect::get(&data, &JsValue::from_str("getData"))
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(&data, &JsValue::from_str("text"))
        .ok()?
        .as_string()
}

/// Whether the page has a non-empty text selection (`getSelection().toString()`).
fn text_selected() -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Object, Reflect};
    let Some(window) = web_sys::window() else {
        return false;
    };
    let selection = Reflect::get(&window, &JsValue::from_str("getSelection"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&window).ok());
    match selection {
        Some(s) if s.is_object() => !String::from(Object::from(s).to_string()).is_empty(),
        _ => false,
    }
}

/// `navigator.clipboard.writeText(text)`; false when the browser offers no clipboard.
fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Reflect};
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = Reflect::get(&window, &JsValue::from_str("navigator"))
        .and_then(|n| Reflect::get(&n, &JsValue::from_str("clipboard")));
    let Ok(clipboard) = clipboard else {
        return false;
    };
    if !clipboard.is_object() {
        return false;
    }
    let write = Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    match write {
        Some(write) => write.call1(&clipboard, &JsValue::from_str(text)).is_ok(),
        None => false,
    }
}
