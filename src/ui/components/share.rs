//! The Share dialog, reachable from every view: a link to this moment (the session's scenario
//! in the address, compressed), the scenario as a `.json` file, opening a scenario (file
//! picker, drag and drop, or pasted link or document), a real cluster's shape from pasted
//! `kafka-topics.sh`/`kafka-consumer-groups.sh --describe` output (`sim::import`), and the
//! learner's named sessions.
//!
//! Everything opened here goes through the checked decoders of `sim::scenario`; a scenario
//! that does not read or does not replay is named in the dialog and the current session is
//! kept as it was.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::scenario::{
    DOCUMENT_BYTES_MAX, ScenarioDoc, decode_json, decode_link, encode_json, encode_link,
};
use crate::ui::route::{Route, current_hash};
use crate::ui::session::SharedSession;
use crate::ui::session::format_ms;
use crate::ui::session::saved::{self, Named, Store};

/// Links longer than this may be cut by course pages and chat tools.
pub const LINK_CHARS_SHARE_MAX: usize = 2_000;

/// Props for [`Share`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub session: SharedSession,
    /// The view on screen.
    pub route: Route,
    /// Called once a scenario has replaced the session (the view is rebuilt from it).
    pub onloaded: Callback<()>,
}

/// What the dialog says after an action: done, or what went wrong.
#[derive(Clone, PartialEq)]
enum Status {
    Done(String),
    Failed(String),
    /// A real cluster's shape opened: what was built, and what differs from the text.
    Imported {
        summary: String,
        notes: Vec<String>,
    },
    /// Describe output that could not be read: one message per line at fault.
    Unreadable(Vec<String>),
}

/// Opens pasted describe output (`sim::import`) as the session, in the Playground.
fn import_pasted(shared: &SharedSession, text: &str) -> Status {
    match crate::sim::import::import(text) {
        Ok(imported) => match load_into(shared, &imported.doc) {
            Ok(()) => Status::Imported {
                summary: format!(
                    "Opened your cluster's shape in the Playground at t = {}, paused: {}",
                    format_ms(imported.doc.moment()),
                    imported.summary
                ),
                notes: imported.notes,
            },
            Err(e) => Status::Failed(format!("Could not open it: {e} Your session is unchanged.")),
        },
        Err(errors) => Status::Unreadable(errors.iter().map(ToString::to_string).collect()),
    }
}

/// The address a link opens: this page, the view's address without a payload, and the
/// scenario as `s=…`.
pub fn link_for(page: &str, address: &str, route: Route, payload: &str) -> String {
    let mut address = saved::without_payload(address);
    if Route::from_hash(&address) != route || address.is_empty() {
        address = route.href();
    }
    let sep = if address.contains('?') { '&' } else { '?' };
    format!("{page}{address}{sep}s={payload}")
}

/// The scenario a learner shares: the page at its moment, opening paused there.
pub fn shared_doc(shared: &SharedSession, route: Route) -> Option<ScenarioDoc> {
    let mut doc = shared.to_doc(route.slug())?;
    doc.playground.playing = false;
    if let Some(compare) = &mut doc.compare {
        compare.playing = false;
    }
    Some(doc)
}

/// Reads pasted text: a whole link, a bare payload, or a JSON document.
pub fn read_pasted(text: &str) -> Result<ScenarioDoc, String> {
    let text = text.trim();
    if text.starts_with('{') {
        return decode_json(text).map_err(|e| e.0);
    }
    let payload = saved::payload(text).unwrap_or(text);
    decode_link(payload).map_err(|e| e.0)
}

/// The moment the shared view shows.
fn view_moment(doc: &ScenarioDoc, route: Route) -> u64 {
    match route {
        Route::WordCount => doc.wordcount.as_ref().map_or(0, |w| w.moment_ms),
        Route::EdaVsSoa => doc.compare.as_ref().map_or(0, |c| c.moment_ms),
        _ => doc.moment(),
    }
}

/// The page's address up to its `#`.
fn page_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Replaces the page's session by `doc` and shows its view.
fn load_into(shared: &SharedSession, doc: &ScenarioDoc) -> Result<(), String> {
    shared.load(doc).map_err(|e| e.0)?;
    let route = Route::from_hash(&format!("#/{}", doc.view));
    if route != Route::NotFound
        && route != Route::from_hash(&current_hash())
        && let Some(window) = web_sys::window()
    {
        let _ = window.location().set_hash(&route.href());
    }
    Ok(())
}

/// The Share button and its dialog.
#[component]
pub fn Share(props: &ShareProps) -> Html {
    let open = use_state(|| false);
    let status = use_state(|| None::<Status>);
    let sessions = use_state(Vec::<Named>::new);
    let reader = use_mut_ref(|| None::<gloo_file::callbacks::FileReader>);
    let paste_ref = use_node_ref();
    let name_ref = use_node_ref();
    let link_ref = use_node_ref();
    let embedding = use_state(|| false);
    let import_ref = use_node_ref();
    // An import's outcome is scrolled into view: the dialog is taller than most screens.
    {
        let import_ref = import_ref.clone();
        let shown = matches!(
            &*status,
            Some(Status::Imported { .. } | Status::Unreadable(_))
        );
        use_effect_with((shown, (*status).clone()), move |(shown, _)| {
            if *shown && let Some(el) = import_ref.cast::<web_sys::Element>() {
                el.scroll_into_view_with_bool(false);
            }
        });
    }

    let toggle = {
        let (open, status, sessions) = (open.clone(), status.clone(), sessions.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                status.set(None);
                if let Ok(store) = Store::open() {
                    let (list, problem) = saved::load_sessions(&store);
                    sessions.set(list);
                    if let Some(problem) = problem {
                        status.set(Some(Status::Failed(problem)));
                    }
                }
            }
            open.set(!*open);
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };

    // Opening a scenario, from any source.
    let opened = {
        let (shared, status, onloaded) = (
            props.session.clone(),
            status.clone(),
            props.onloaded.clone(),
        );
        Callback::from(move |read: Result<ScenarioDoc, String>| {
            let result = read.and_then(|doc| {
                load_into(&shared, &doc)?;
                let route = Route::from_hash(&format!("#/{}", doc.view));
                Ok(format_ms(view_moment(&doc, route)))
            });
            match result {
                Ok(at) => {
                    status.set(Some(Status::Done(format!(
                        "Opened the scenario at t = {at}."
                    ))));
                    onloaded.emit(());
                }
                Err(e) => status.set(Some(Status::Failed(format!(
                    "Could not open it: {e} Your session is unchanged."
                )))),
            }
        })
    };
    let read_file = {
        let (opened, reader) = (opened.clone(), reader.clone());
        Rc::new(move |file: web_sys::File| {
            let file = gloo_file::File::from(file);
            if file.size() > DOCUMENT_BYTES_MAX as u64 {
                opened.emit(Err(format!(
                    "the file is {} bytes; a scenario is at most {DOCUMENT_BYTES_MAX} bytes.",
                    file.size()
                )));
                return;
            }
            let opened = opened.clone();
            let task = gloo_file::callbacks::read_as_text(&file, move |text| {
                opened.emit(match text {
                    Ok(text) => decode_json(&text).map_err(|e| e.0),
                    Err(e) => Err(format!("the file could not be read ({e}).")),
                });
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let onfile = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_file(file);
            }
            input.set_value("");
        })
    };
    let ondrop = {
        let read_file = read_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                read_file(file);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let onpaste = {
        let (opened, paste_ref) = (opened.clone(), paste_ref.clone());
        let (shared, status, onloaded) = (
            props.session.clone(),
            status.clone(),
            props.onloaded.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let text = paste_ref
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if text.trim().is_empty() {
                opened.emit(Err(
                    "paste a link, a scenario or describe output first.".to_string()
                ));
                return;
            }
            if crate::sim::import::looks_like_describe(&text) {
                let result = import_pasted(&shared, &text);
                let loaded = matches!(result, Status::Imported { .. });
                status.set(Some(result));
                if loaded {
                    onloaded.emit(());
                }
                return;
            }
            opened.emit(read_pasted(&text));
        })
    };

    if !*open {
        return html! {
            <button type="button" class="share-button" onclick={toggle} aria-expanded="false">{ "Share" }</button>
        };
    }

    // The dialog is drawn from the session as it is now.
    let doc = shared_doc(&props.session, props.route);
    let moment = doc.as_ref().map_or(0, |doc| view_moment(doc, props.route));
    let link = doc.as_ref().map(|doc| {
        link_for(
            &page_address(),
            &current_hash(),
            props.route,
            &encode_link(doc),
        )
    });
    let file_href = doc
        .as_ref()
        .map(|doc| crate::ui::components::data_url("application/json", &encode_json(doc)));
    let lesson_href = doc.as_ref().map(|doc| {
        let setup = format!("#/playground?s={}", encode_link(doc));
        crate::ui::components::data_url("text/plain", &crate::ui::lessons::lesson_skeleton(&setup))
    });

    let copy = {
        let (link, status, link_ref) = (link.clone(), status.clone(), link_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(link) = link.clone() else { return };
            if let Some(input) = link_ref.cast::<web_sys::HtmlInputElement>() {
                input.select();
            }
            copy_text(&link, status.clone());
        })
    };
    let save_named = {
        let (sessions, status, name_ref, doc) = (
            sessions.clone(),
            status.clone(),
            name_ref.clone(),
            doc.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let name = name_ref
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| saved::clip(&i.value()))
                .unwrap_or_default();
            let (Some(doc), false) = (doc.clone(), name.is_empty()) else {
                status.set(Some(Status::Failed(
                    "Give the session a name first.".into(),
                )));
                return;
            };
            let mut list = (*sessions).clone();
            list.retain(|n| n.name != name);
            list.insert(
                0,
                Named {
                    name: name.clone(),
                    doc,
                },
            );
            list.truncate(saved::SESSIONS_MAX);
            status.set(Some(store_list(&list, format!("Saved “{name}”."))));
            sessions.set(list);
        })
    };
    let rows = sessions.iter().enumerate().map(|(i, named)| {
        let open_it = {
            let (opened, doc) = (opened.clone(), named.doc.clone());
            Callback::from(move |_: MouseEvent| opened.emit(Ok(doc.clone())))
        };
        let duplicate = {
            let (sessions, status) = (sessions.clone(), status.clone());
            Callback::from(move |_: MouseEvent| {
                let mut list = (*sessions).clone();
                if let Some(original) = list.get(i).cloned() {
                    let name = saved::clip(&format!("{} (copy)", original.name));
                    list.insert(i + 1, Named { name, ..original });
                    list.truncate(saved::SESSIONS_MAX);
                    status.set(Some(store_list(&list, "Duplicated.".to_string())));
                    sessions.set(list);
                }
            })
        };
        let delete = {
            let (sessions, status) = (sessions.clone(), status.clone());
            Callback::from(move |_: MouseEvent| {
                let mut list = (*sessions).clone();
                if i < list.len() {
                    let gone = list.remove(i);
                    status.set(Some(store_list(&list, format!("Deleted “{}”.", gone.name))));
                    sessions.set(list);
                }
            })
        };
        let at = format_ms(named.doc.moment());
        html! {
            <li key={format!("{i}-{}", named.name)}>
                <span class="session-name">{ named.name.clone() }</span>
                <span class="mono">{ format!(" {} at t = {at} ", named.doc.view) }</span>
                <button type="button" onclick={open_it}>{ "Open" }</button>
                <button type="button" onclick={duplicate}>{ "Duplicate" }</button>
                <button type="button" onclick={delete}>{ "Delete" }</button>
            </li>
        }
    });
    let length_note = link.as_ref().map(|link| {
        let n = link.chars().count();
        if n > LINK_CHARS_SHARE_MAX {
            format!(
                "{n} characters: longer than {LINK_CHARS_SHARE_MAX}, so some course pages and chat tools may cut it. Download the scenario file instead."
            )
        } else {
            format!("{n} characters.")
        }
    });
    html! {
        <>
        <button type="button" class="share-button" onclick={toggle.clone()} aria-expanded="true">{ "Share" }</button>
        <section class="share-dialog" role="dialog" aria-label="Share, save and open scenarios"
            onkeydown={close} {ondrop} {ondragover}>
            <h2>{ "Share this moment" }</h2>
            { match (&link, &length_note) {
                (Some(link), Some(note)) => html! {
                    <>
                    <p>{ format!("The link opens the {} at t = {}, paused, with everything that happened before it.", props.route.title(), format_ms(moment)) }</p>
                    <p class="share-link">
                        <input ref={link_ref} type="text" readonly=true value={link.clone()} aria-label="Link to this moment" class="mono" />
                        <button type="button" onclick={copy}>{ "Copy link" }</button>
                    </p>
                    <p class="hint" data-link-chars={link.chars().count().to_string()}>{ note.clone() }</p>
                    <p><a href={file_href.clone().unwrap_or_default()} download="eda-playground-scenario.json">{ "Download the scenario (.json)" }</a>
                       { " · " }
                       <a href={lesson_href.clone().unwrap_or_default()} download="my-lesson.txt" title="A lesson file whose setup is this moment">{ "Start a lesson from this moment" }</a></p>
                    <p><button type="button" class="embed-button" aria-expanded={embedding.to_string()}
                        onclick={{ let embedding = embedding.clone(); Callback::from(move |_: MouseEvent| embedding.set(!*embedding)) }}>
                        { "Embed in a course page…" }</button></p>
                    if *embedding {
                        <crate::ui::components::EmbedDialog session={props.session.clone()} route={props.route} />
                    }
                    </>
                },
                _ => html! {
                    <p>{ "This session is too long to replay from its start, so it cannot be shared. Start a new one (Reset) to share from there." }</p>
                },
            } }
            <crate::ui::components::export::ExportFiles doc={doc.clone()} />
            <h3>{ "Open a scenario" }</h3>
            <p>
                <label>{ "A scenario file (.json): " }<input type="file" accept=".json,application/json" onchange={onfile} /></label>
            </p>
            <p><label for="paste-scenario">{ "Or paste a link, a scenario, or a real cluster's describe output:" }</label></p>
            <textarea id="paste-scenario" ref={paste_ref} rows="3" class="mono"
                aria-describedby="paste-scenario-hint" />
            <p id="paste-scenario-hint" class="hint">{ "Describe output is what kafka-topics.sh --describe and kafka-consumer-groups.sh --describe (--members --verbose too) print. It opens in the Playground as a cluster of that shape. Nothing is sent anywhere." }</p>
            <p><button type="button" onclick={onpaste}>{ "Open what I pasted" }</button>
               <span class="hint">{ " You can also drop a .json file on this box." }</span></p>
            <div ref={import_ref}>
            { match &*status {
                Some(Status::Imported { summary, notes }) => html! {
                    <div class="share-status import-done" role="status">
                        <p>{ summary.clone() }</p>
                        if !notes.is_empty() {
                            <p>{ "Where the playground differs from your text:" }</p>
                            <ul class="import-notes">{ for notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                        }
                        <p>{ "Close this dialog to see it." }</p>
                    </div>
                },
                Some(Status::Unreadable(lines)) => html! {
                    <div class="share-status error import-errors" role="alert">
                        <p>{ "This describe output could not be read. Your session is unchanged." }</p>
                        <ul>{ for lines.iter().map(|l| html! { <li class="mono">{ l.clone() }</li> }) }</ul>
                    </div>
                },
                _ => html! {},
            } }
            </div>
            <h3>{ "My sessions" }</h3>
            <p>
                <label>{ "Save this session as " }<input ref={name_ref} type="text" maxlength="80" placeholder="name" /></label>
                <button type="button" onclick={save_named}>{ "Save" }</button>
            </p>
            if sessions.is_empty() {
                <p class="hint">{ "No saved sessions yet. The current session is also saved on its own and comes back after a reload." }</p>
            } else {
                <ul class="sessions">{ for rows }</ul>
            }
            { match &*status {
                Some(Status::Done(text)) => html! { <p class="share-status" role="status">{ text.clone() }</p> },
                Some(Status::Failed(text)) => html! { <p class="share-status error" role="alert">{ text.clone() }</p> },
                // An import's outcome is shown beside the box it was pasted into.
                Some(Status::Imported { .. } | Status::Unreadable(_)) | None => html! {},
            } }
            <p><button type="button" onclick={toggle}>{ "Close" }</button></p>
        </section>
        </>
    }
}

/// Writes the named sessions; the status says whether it worked.
fn store_list(list: &[Named], done: String) -> Status {
    match Store::open().and_then(|store| saved::store_sessions(&store, list)) {
        Ok(()) => Status::Done(done),
        Err(e) => Status::Failed(format!("Could not save: {e}.")),
    }
}

/// Copies `text` to the clipboard; the status says whether it worked (a refusal is caught,
/// never left as an unhandled rejection).
fn copy_text(text: &str, status: UseStateHandle<Option<Status>>) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    let ok = {
        let status = status.clone();
        Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
            status.set(Some(Status::Done("Link copied.".into())));
        })
    };
    let failed = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
        status.set(Some(Status::Failed(
            "The browser did not let the page copy: the link is selected, press Ctrl+C (⌘C)."
                .into(),
        )));
    });
    let _ = promise.then2(&ok, &failed);
    // The promise settles once, after this returns: its two small handlers stay with it.
    ok.forget();
    failed.forget();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::session::Session;

    #[test]
    fn a_link_keeps_the_view_and_its_setup_and_replaces_an_old_payload() {
        assert_eq!(
            link_for(
                "https://x.org/eda/",
                "#/playground?partitions=6&s=OLD",
                Route::Playground,
                "NEW"
            ),
            "https://x.org/eda/#/playground?partitions=6&s=NEW"
        );
        assert_eq!(
            link_for("https://x.org/", "", Route::Playground, "P"),
            "https://x.org/#/playground?s=P"
        );
        assert_eq!(
            link_for("https://x.org/", "#/console", Route::Console, "P"),
            "https://x.org/#/console?s=P"
        );
    }

    #[test]
    fn pasted_links_payloads_and_documents_all_open() {
        let shared = SharedSession::default();
        shared.session(|| Session::new(3));
        let doc = shared_doc(&shared, Route::Playground).expect("doc");
        let payload = encode_link(&doc);
        let link = link_for(
            "https://x.org/",
            "#/playground",
            Route::Playground,
            &payload,
        );
        assert_eq!(read_pasted(&link), Ok(doc.clone()));
        assert_eq!(read_pasted(&payload), Ok(doc.clone()));
        assert_eq!(read_pasted(&encode_json(&doc)), Ok(doc));
        assert!(read_pasted("https://x.org/#/playground?s=%%%").is_err());
    }
}
