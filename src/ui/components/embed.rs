//! The embed's own chrome and the Embed dialog.
//!
//! [`EmbedBar`] is all an embed shows around its view: the view's title and a link that opens
//! the same scenario full size in a new tab (made when it is used, so it carries the moment
//! the learner reached). [`EmbedDialog`] (opened from the Share dialog) writes the `<iframe>`
//! snippet a teacher pastes into a course page: size, panels, paused or playing, a live
//! preview of exactly that snippet, and a Copy button.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::scenario::encode_link;
use crate::ui::components::share::{link_for, shared_doc};
use crate::ui::embed::{Panel, Panels, embed_address, snippet, without_embed};
use crate::ui::route::{Route, current_hash};
use crate::ui::session::SharedSession;

/// Frame sizes the dialog offers: name, width, height (px).
pub const SIZES: [(&str, u32, u32); 4] = [
    ("Small 640 × 400", 640, 400),
    ("Medium 800 × 580", 800, 580),
    ("Large 960 × 720", 960, 720),
    ("Phone 360 × 640", 360, 640),
];
/// Custom sizes the dialog accepts, in px.
pub const WIDTH_RANGE: (u32, u32) = (280, 1920);
pub const HEIGHT_RANGE: (u32, u32) = (200, 2000);

/// The page's address up to its `#`.
fn page_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The same view and scenario, full size: the session at its moment (paused there), else
/// the address without the embed's parameters.
fn full_size_link(shared: &SharedSession, route: Route) -> String {
    let address = without_embed(&current_hash());
    let doc = shared_doc(shared, route);
    match doc {
        Some(doc) => link_for(&page_address(), &address, route, &encode_link(&doc)),
        None => format!("{}{address}", page_address()),
    }
}

/// Props for [`EmbedBar`].
#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    pub session: SharedSession,
    pub route: Route,
}

/// The embed's title bar.
#[component]
pub fn EmbedBar(props: &EmbedBarProps) -> Html {
    let anchor = use_node_ref();
    // The link is brought up to date as it is used (pointer, keyboard), so it opens the
    // moment the learner reached, not the one the bar was drawn at.
    let refresh: Rc<dyn Fn()> = {
        let (anchor, shared, route) = (anchor.clone(), props.session.clone(), props.route);
        Rc::new(move || {
            if let Some(a) = anchor.cast::<web_sys::HtmlAnchorElement>() {
                a.set_href(&full_size_link(&shared, route));
            }
        })
    };
    let on_pointer = {
        let refresh = refresh.clone();
        Callback::from(move |_: PointerEvent| refresh())
    };
    let on_focus = {
        let refresh = refresh.clone();
        Callback::from(move |_: FocusEvent| refresh())
    };
    let on_click = Callback::from(move |_: MouseEvent| refresh());
    html! {
        <div class="embed-bar">
            <h1 class="embed-title">{ props.route.title() }</h1>
            <a class="embed-open" ref={anchor} href={full_size_link(&props.session, props.route)}
                target="_blank" rel="noopener" onpointerdown={on_pointer} onfocus={on_focus} onclick={on_click}>
                { "Open in eda-playground ↗" }
            </a>
        </div>
    }
}

/// Props for [`EmbedDialog`].
#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    pub session: SharedSession,
    /// The view on screen (the one embedded).
    pub route: Route,
}

/// The Embed dialog: choices on the left of the snippet, the snippet, its live preview.
#[component]
pub fn EmbedDialog(props: &EmbedDialogProps) -> Html {
    let size = use_state(|| (SIZES[0].1, SIZES[0].2));
    let panels = use_state(|| Panels::EMBED_DEFAULT);
    let playing = use_state(|| false);
    let copied = use_state(|| None::<bool>);
    let snippet_ref = use_node_ref();
    // The scenario as it was when the dialog opened: the snippet does not change under the
    // teacher's hands while the figure plays.
    let doc = {
        let (shared, route) = (props.session.clone(), props.route);
        use_memo((), move |_| shared_doc(&shared, route))
    };
    let route = props.route;
    let all_panels = route != Route::Playground;
    let src = (*doc).clone().map(|mut doc| {
        doc.playground.playing = *playing;
        link_for(
            &page_address(),
            &embed_address(&current_hash(), *panels, all_panels),
            route,
            &encode_link(&doc),
        )
    });
    let title = format!("eda-playground: {}", route.title());
    let (width, height) = *size;
    let code = src
        .as_ref()
        .map(|src| snippet(src, &title, width, height))
        .unwrap_or_default();

    let choose_size = |w: u32, h: u32| {
        let (size, copied) = (size.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            size.set((w, h));
            copied.set(None);
        })
    };
    let custom = |is_width: bool| {
        let (size, copied) = (size.clone(), copied.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let (lo, hi) = if is_width { WIDTH_RANGE } else { HEIGHT_RANGE };
            let Ok(v) = input.value().trim().parse::<u32>() else {
                return;
            };
            let v = v.clamp(lo, hi);
            let (w, h) = *size;
            size.set(if is_width { (v, h) } else { (w, v) });
            copied.set(None);
        })
    };
    let toggle_panel = |panel: Panel| {
        let (panels, copied) = (panels.clone(), copied.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let next = panels.with(panel, input.checked());
            if next.names().is_empty() {
                // At least one panel: an empty figure helps no one.
                input.set_checked(true);
                return;
            }
            panels.set(next);
            copied.set(None);
        })
    };
    let set_playing = |on: bool| {
        let (playing, copied) = (playing.clone(), copied.clone());
        Callback::from(move |_: Event| {
            playing.set(on);
            copied.set(None);
        })
    };
    let copy = {
        let (code, copied, snippet_ref) = (code.clone(), copied.clone(), snippet_ref.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = snippet_ref.cast::<web_sys::HtmlTextAreaElement>() {
                area.select();
            }
            copy_text(&code, copied.clone());
        })
    };

    let Some(src) = src else {
        return html! {
            <section class="embed-dialog" aria-label="Embed in a course page">
                <h3>{ "Embed in a course page" }</h3>
                <p>{ "This session is too long to replay from its start, so it cannot be embedded. Start a new one (Reset) to embed from there." }</p>
            </section>
        };
    };
    html! {
        <section class="embed-dialog" aria-label="Embed in a course page">
            <h3>{ "Embed in a course page" }</h3>
            <fieldset>
                <legend>{ "Size" }</legend>
                { for SIZES.iter().map(|(name, w, h)| html! {
                    <button type="button" class="embed-size" aria-pressed={(size.0 == *w && size.1 == *h).to_string()}
                        onclick={choose_size(*w, *h)}>{ *name }</button>
                }) }
                <span class="embed-custom">
                    <label>{ "Width " }<input type="number" class="embed-width" min={WIDTH_RANGE.0.to_string()} max={WIDTH_RANGE.1.to_string()}
                        value={width.to_string()} onchange={custom(true)} /></label>
                    <label>{ " Height " }<input type="number" class="embed-height" min={HEIGHT_RANGE.0.to_string()} max={HEIGHT_RANGE.1.to_string()}
                        value={height.to_string()} onchange={custom(false)} /></label>
                    { " px" }
                </span>
            </fieldset>
            if route == Route::Playground {
                <fieldset class="embed-panels">
                    <legend>{ "Panels" }</legend>
                    { for Panel::ALL.into_iter().map(|panel| html! {
                        <label class="embed-panel">
                            <input type="checkbox" data-panel={panel.name()} checked={panels.shows(panel)} onchange={toggle_panel(panel)} />
                            { format!(" {}", panel.label()) }
                        </label>
                    }) }
                    <p class="hint">{ "Controls, producer and lanes fit 640 × 400; more panels need a taller frame (the preview shows it)." }</p>
                </fieldset>
            } else {
                <p class="hint">{ format!("The {} is embedded whole.", route.title()) }</p>
            }
            <fieldset>
                <legend>{ "Start" }</legend>
                <label><input type="radio" name="embed-start" class="embed-paused" checked={!*playing} onchange={set_playing(false)} />{ " paused at this moment" }</label>
                <label><input type="radio" name="embed-start" class="embed-playing" checked={*playing} onchange={set_playing(true)} />{ " playing from this moment" }</label>
            </fieldset>
            <p><label for="embed-snippet">{ "Paste this into the course page (HTML view):" }</label></p>
            <textarea id="embed-snippet" class="embed-snippet mono" ref={snippet_ref} readonly=true rows="4" value={code.clone()} />
            <p>
                <button type="button" class="embed-copy" onclick={copy}>{ "Copy the snippet" }</button>
                { match *copied {
                    Some(true) => html! { <span class="share-status" role="status">{ " Copied." }</span> },
                    Some(false) => html! { <span class="share-status error" role="alert">{ " The browser did not let the page copy: the snippet is selected, press Ctrl+C (⌘C)." }</span> },
                    None => html! {},
                } }
            </p>
            <p class="hint">{ "Preview (the snippet's own frame; scroll if it is wider than this box):" }</p>
            <div class="embed-preview">
                <iframe class="embed-preview-frame" src={src} title={format!("Preview: {title}")}
                    width={width.to_string()} height={height.to_string()} />
            </div>
        </section>
    }
}

/// Copies `text`; `copied` says whether the browser let the page (a refusal is caught, never
/// left as an unhandled rejection).
fn copy_text(text: &str, copied: UseStateHandle<Option<bool>>) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    let ok = {
        let copied = copied.clone();
        Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| copied.set(Some(true)))
    };
    let failed = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| copied.set(Some(false)));
    let _ = promise.then2(&ok, &failed);
    // The promise settles once, after this returns: its two small handlers stay with it.
    ok.forget();
    failed.forget();
}
