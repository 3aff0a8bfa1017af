//! The app shell: header, navigation, the current view, footer.
//!
//! The shell follows `location.hash`: a `hashchange` listener, owned by an effect and removed
//! when the component goes away, dispatches [`Action::Navigate`].

use yew::prelude::*;

use crate::VERSION;
use crate::sim::scenario::decode_link;
use crate::ui::components::{Nav, Share, ViewBody, error_banner};
use crate::ui::console_view::SharedWorld;
use crate::ui::route::{Route, current_hash};
use crate::ui::session::saved::{self, Store};
use crate::ui::session::{Session, SharedSession};
use crate::ui::state::{Action, AppState};

/// How often the session is saved while it changes, in ms of wall time.
pub const AUTOSAVE_MS: u32 = 2_000;

/// The page's session, from the address it was opened at: a shared link's scenario, else
/// the session saved before a reload, else the setup the address asks for. Whatever cannot be
/// used is named in the session's message, and nothing saved is lost.
fn session_from_location(shared: &SharedSession) -> Session {
    let hash = current_hash();
    let address = saved::without_payload(&hash);
    if let Some(payload) = saved::payload(&hash) {
        let opened = decode_link(payload).and_then(|doc| {
            let session = Session::from_doc(&doc)?;
            shared.set_view_docs(&doc);
            Ok(session)
        });
        // The address keeps the view and its setup; the scenario now lives in the session
        // (and in its autosave, so a reload restores what the learner did after opening it).
        replace_address(&address);
        return match opened {
            Ok(session) => session,
            Err(e) => {
                let mut session = Session::from_hash(&address);
                session.error = Some(format!(
                    "This link's scenario could not be opened: {} A fresh session started instead.",
                    e.0
                ));
                session
            }
        };
    }
    let Ok(store) = Store::open() else {
        return Session::from_hash(&address);
    };
    let Some(text) = store.get(saved::AUTOSAVE_KEY) else {
        return Session::from_hash(&address);
    };
    let restored = saved::read_autosave(&text).and_then(|autosave| {
        if !saved::restores(&address, &autosave) {
            return Ok(None);
        }
        let session = Session::from_doc(&autosave.doc)?;
        shared.set_view_docs(&autosave.doc);
        Ok(Some(session))
    });
    match restored {
        Ok(Some(session)) => session,
        Ok(None) => Session::from_hash(&address),
        Err(e) => {
            let aside = store.move_aside(saved::AUTOSAVE_KEY).unwrap_or_default();
            let mut session = Session::from_hash(&address);
            session.error = Some(format!(
                "Your saved session could not be restored: {} It was kept aside under “{aside}”, and a fresh session started.",
                e.0
            ));
            session
        }
    }
}

/// Shows `address` in the address bar without reloading or adding a history entry.
fn replace_address(address: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let target = if address.is_empty() { "#/" } else { address };
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(target));
    }
}

/// What the autosave last wrote, so an unchanged session is not written again.
type SavedKey = (usize, u64, u64, bool, u64, String, u32, u64, String);

/// Saves the session if it changed since the last save; returns a message the first time
/// storage refuses.
fn autosave(
    shared: &SharedSession,
    last: &mut Option<SavedKey>,
    warned: &mut bool,
) -> Option<String> {
    let rc = shared.get()?;
    let session = rc.try_borrow().ok()?;
    let mut address = saved::without_payload(&current_hash());
    if Route::from_hash(&address) == Route::Playground {
        // The address bar follows the settings, so an address copied from it starts them.
        let current = session.playground_address(&address);
        if current != address {
            replace_address(&current);
            address = current;
        }
    }
    let t = &session.timeline;
    let key = (
        t.script().len(),
        t.now_ms(),
        t.horizon_ms(),
        session.playing,
        session.speed.to_bits(),
        session.trace().topic.clone(),
        session.producer,
        session.rebuilds,
        address.clone(),
    );
    if last.as_ref() == Some(&key) {
        return None;
    }
    let route = Route::from_hash(&address);
    drop(session);
    let doc = shared.to_doc(route.slug())?;
    *last = Some(key);
    let result = Store::open()
        .and_then(|store| saved::save_autosave(&store, &saved::Autosave { address, doc }));
    match result {
        Err(e) if !*warned => {
            *warned = true;
            Some(format!(
                "This page cannot save your session ({e}): it works as usual, but a reload starts afresh. Use Share → Download to keep it."
            ))
        }
        _ => None,
    }
}

/// The root component. It keeps the page's one session (made when a view first needs it) and
/// hands it to the Playground and, as a [`SharedWorld`], to the Console: a topic created in a
/// terminal appears in the Playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::from_hash(&current_hash()));
    let session = use_memo((), |_| {
        let shared = SharedSession::default();
        // Made now, before any view reads the address: a shared link's payload is consumed
        // here.
        shared.session(|| session_from_location(&shared));
        shared
    });
    // Bumped when a scenario replaces the session: the view is rebuilt from it.
    let generation = use_state(|| 0u64);
    let notice = use_state(|| None::<String>);
    {
        let (shared, notice) = ((*session).clone(), notice.clone());
        use_effect_with((), move |_| {
            let mut last = None;
            let mut warned = false;
            // At once too: a session opened from a link (whose payload has left the address)
            // survives a reload straight away.
            if let Some(text) = autosave(&shared, &mut last, &mut warned) {
                notice.set(Some(text));
            }
            let interval = gloo_timers::callback::Interval::new(AUTOSAVE_MS, move || {
                if let Some(text) = autosave(&shared, &mut last, &mut warned) {
                    notice.set(Some(text));
                }
            });
            move || drop(interval)
        });
    }
    let onloaded = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let world = use_memo((), {
        let session = (*session).clone();
        move |_| SharedWorld::session(session, || Session::from_hash(&current_hash()))
    });

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = hash_listener(move || {
                dispatcher.dispatch(Action::Navigate(Route::from_hash(&current_hash())));
            });
            // The cleanup owns the listener; dropping it (when the app unmounts) unsubscribes.
            move || {
                let _listener = listener;
            }
        });
    }

    let route = state.route;
    use_effect_with(route, |route| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{} — eda-playground", route.title()));
        }
    });

    html! {
        <div class="shell">
            <header>
                <h1><a href={Route::Playground.href()}>{ "eda-playground" }</a></h1>
                <p class="tagline">{ "Watch event-driven architecture happen" }</p>
                <Share session={(*session).clone()} {route} {onloaded} />
                <Nav current={route} />
            </header>
            { error_banner(notice.as_ref(), { let notice = notice.clone(); Callback::from(move |_| notice.set(None)) }) }
            <main id="view" data-view={route.slug()}>
                <ContextProvider<SharedSession> context={(*session).clone()}>
                    <ContextProvider<SharedWorld> context={(*world).clone()}>
                        <ViewBody key={*generation} {route} />
                    </ContextProvider<SharedWorld>>
                </ContextProvider<SharedSession>>
            </main>
            <footer>
                <span>{ format!("eda-playground v{VERSION} · simulates Apache Kafka {}", crate::KAFKA_VERSION) }</span>
                <span>{ " · a simulated Kafka broker running in your browser" }</span>
            </footer>
        </div>
    }
}

/// A `hashchange` subscription; dropping it unsubscribes.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct HashListener {
    #[cfg(target_arch = "wasm32")]
    closure: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

#[cfg(target_arch = "wasm32")]
fn hash_listener(on_change: impl FnMut() + 'static) -> Option<HashListener> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let window = web_sys::window()?;
    let closure = Closure::<dyn FnMut()>::new(on_change);
    window
        .add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref())
        .ok()?;
    Some(HashListener { closure })
}

#[cfg(not(target_arch = "wasm32"))]
fn hash_listener(_on_change: impl FnMut() + 'static) -> Option<HashListener> {
    None
}

#[cfg(target_arch = "wasm32")]
impl Drop for HashListener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "hashchange",
                self.closure.as_ref().unchecked_ref(),
            );
        }
    }
}
