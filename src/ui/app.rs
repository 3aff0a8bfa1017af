//! The app shell: header, navigation, the current view, footer — or, in an embed (`embed=1`),
//! only the view's title, a link to open it full size, and the view (see [`crate::ui::embed`]).
//!
//! The shell follows `location.hash`: a `hashchange` listener, owned by an effect and removed
//! when the component goes away, dispatches [`Action::Navigate`].

use yew::prelude::*;

use crate::VERSION;
use crate::sim::scenario::decode_link;
use crate::ui::components::{EmbedBar, Intro, Nav, Share, ViewBody, error_banner};
use crate::ui::console_view::SharedWorld;
use crate::ui::embed::{self, Bridge, EmbedHost, EmbedParams, Inbound};
use crate::ui::route::{Route, current_hash, unused_params};
use crate::ui::session::saved::{self, Store};
use crate::ui::session::{Session, SharedSession};
use crate::ui::state::{Action, AppState};

/// How often the session is saved while it changes, in ms of wall time.
pub const AUTOSAVE_MS: u32 = 2_000;

/// The page's session, from the address it was opened at: a shared link's scenario, else
/// the session saved before a reload, else the setup the address asks for. Whatever cannot be
/// used is named in the session's message, and nothing saved is lost. An embed never restores
/// the saved session, and starts in its range (`from`/`to`) at its moment (`at`).
fn session_from_location(shared: &SharedSession) -> Session {
    let hash = current_hash();
    shared.started_at(&hash);
    let mut session = session_at(&hash, shared);
    if let Some((params, _)) = EmbedParams::from_hash(&hash) {
        session.set_lock(params.lock());
        if let Some(at) = params.at_ms {
            session.go_to(at);
        }
    }
    session
}

fn session_at(hash: &str, shared: &SharedSession) -> Session {
    let address = saved::without_payload(hash);
    if let Some(payload) = saved::payload(hash) {
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
    if EmbedParams::from_hash(hash).is_some() {
        // A figure in a course page starts as the teacher made it, whatever the learner did
        // in the app before.
        return Session::from_hash(&address);
    }
    let Ok(store) = Store::open() else {
        return Session::from_hash(&address);
    };
    let Some(text) = store.get(saved::AUTOSAVE_KEY) else {
        return Session::from_hash(&address);
    };
    let restored = saved::read_autosave(&text).and_then(|autosave| {
        if !saved::restores(&address, &autosave) {
            // The address asks for a setup of its own: it starts, and what the learner had is
            // kept under My sessions first (the autosave is about to be overwritten).
            let kept = saved::holds_learner_work(&autosave.doc).then(|| {
                saved::keep_aside(
                    &format!("Before {}", crate::ui::route::visible(&address)),
                    autosave.doc,
                )
            });
            return Ok(Err(kept));
        }
        let mut session = Session::from_doc(&autosave.doc)?;
        // Saved during a lesson: its later steps go on with it.
        session.lesson = crate::ui::lessons::lesson_of(&autosave.address);
        shared.set_view_docs(&autosave.doc);
        Ok(Ok(session))
    });
    match restored {
        Ok(Ok(session)) => session,
        Ok(Err(kept)) => {
            let mut session = Session::from_hash(&address);
            session.add_message(kept);
            session
        }
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
    // The address bar follows the view's settings, so an address copied from it starts them.
    if let Some(current) = shared.view_address(&address)
        && current != address
    {
        replace_address(&current);
        address = current;
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
    // The embed this page is (None: the full app), and what its link got wrong.
    let embedded = use_memo((), |_| {
        EmbedParams::from_hash(&current_hash()).map(|(params, problems)| {
            let problems = (!problems.is_empty()).then(|| problems.join("\n"));
            (EmbedHost::new(params), problems)
        })
    });
    let host = embedded.as_ref().as_ref().map(|(host, _)| host.clone());
    let session = use_memo((), |_| {
        let shared = SharedSession::default();
        // Made now, before any view reads the address: a shared link's payload is consumed
        // here.
        shared.session(|| session_from_location(&shared));
        shared
    });
    // Bumped when a scenario replaces the session: the view is rebuilt from it.
    let generation = use_mut_ref(|| 0u64);
    let rerender = use_force_update();
    let notice = use_state(|| {
        embedded
            .as_ref()
            .as_ref()
            .and_then(|(_, problems)| problems.clone())
    });
    {
        let (shared, notice) = ((*session).clone(), notice.clone());
        // An embed saves nothing: it must not overwrite the learner's own session.
        let saves = host.is_none();
        use_effect_with((), move |_| {
            // What was last written and whether storage refused, shared by the timer and the
            // page's `pagehide`.
            let state = std::rc::Rc::new(std::cell::RefCell::new((None, false)));
            let save = move || {
                let mut state = state.borrow_mut();
                let (last, warned) = &mut *state;
                if let Some(text) = autosave(&shared, last, warned) {
                    notice.set(Some(text));
                }
            };
            // At once too: a session opened from a link (whose payload has left the address)
            // survives a reload straight away.
            if saves {
                save();
            }
            let timers = saves.then(|| {
                let on_leave = save.clone();
                // A reload or a closed tab within the interval keeps the last change too.
                let leave = web_sys::window()
                    .map(|w| gloo_events::EventListener::new(&w, "pagehide", move |_| on_leave()));
                (
                    gloo_timers::callback::Interval::new(AUTOSAVE_MS, save),
                    leave,
                )
            });
            move || drop(timers)
        });
    }
    let onloaded = {
        let (generation, rerender) = (generation.clone(), rerender.clone());
        Callback::from(move |()| {
            *generation.borrow_mut() += 1;
            rerender.force_update();
        })
    };
    let shell = use_node_ref();
    {
        // An embed talks to its host while it lives.
        let (host, shared, shell, onloaded) = (
            host.clone(),
            (*session).clone(),
            shell.clone(),
            onloaded.clone(),
        );
        let route = state.route;
        use_effect_with((), move |_| {
            let bridge = host.and_then(|host| {
                let content = shell.cast::<web_sys::Element>()?;
                let listed = host.params().origins.clone();
                let ready = ready_payload(&shared, &host, route);
                let bridge = Bridge::start(&listed, content, move |message| {
                    on_message(&host, &shared, &onloaded, message);
                });
                embed::post("ready", ready);
                bridge
            });
            // The cleanup owns the bridge; dropping it (when the app unmounts) disconnects.
            move || {
                let _bridge = bridge;
            }
        });
    }
    let world = use_memo((), {
        let session = (*session).clone();
        move |_| SharedWorld::session(session, || Session::from_hash(&current_hash()))
    });

    // What the Console's or Lessons' address could not use (they keep no setup in it).
    let address_notice = use_state(|| unused_params(&current_hash()));
    {
        let dispatcher = state.dispatcher();
        let (shared, generation, rerender) = ((*session).clone(), generation.clone(), rerender);
        let address_notice = address_notice.clone();
        // An embed keeps nothing of the learner's: its session is the teacher's figure.
        let keep = host.is_none();
        use_effect_with((), move |_| {
            let listener = hash_listener(move || {
                let hash = current_hash();
                // A Playground address changed in the open page is followed as at start-up.
                if shared.follow_address(&hash, keep) {
                    *generation.borrow_mut() += 1;
                    rerender.force_update();
                }
                address_notice.set(unused_params(&hash));
                dispatcher.dispatch(Action::Navigate(Route::from_hash(&hash)));
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

    let generation = *generation.borrow();
    let providers = html! {
        <ContextProvider<SharedSession> context={(*session).clone()}>
            <ContextProvider<SharedWorld> context={(*world).clone()}>
                <ViewBody key={generation} {route} />
            </ContextProvider<SharedWorld>>
        </ContextProvider<SharedSession>>
    };
    let dismiss = {
        let notice = notice.clone();
        Callback::from(move |_| notice.set(None))
    };
    let banners = html! {
        <>
            { error_banner(notice.as_ref(), dismiss) }
            { error_banner(address_notice.as_ref(), {
                let address_notice = address_notice.clone();
                Callback::from(move |_| address_notice.set(None))
            }) }
        </>
    };
    if let Some(host) = host {
        return html! {
            <div class="shell embed" ref={shell}>
                <EmbedBar session={(*session).clone()} {route} />
                { banners }
                <main id="view" data-view={route.slug()}>
                    <ContextProvider<EmbedHost> context={host}>{ providers }</ContextProvider<EmbedHost>>
                </main>
            </div>
        };
    }
    html! {
        <div class="shell" ref={shell}>
            // The first thing Tab reaches: past the header, straight to the view. (Not a plain
            // `#view` link: the address's hash is the route.)
            <a class="skip-link" href="#view" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                focus_view();
            })}>{ "Skip to the view" }</a>
            <header>
                <h1><a href={Route::Playground.href()}>{ "eda-playground" }</a></h1>
                <p class="tagline">{ "Watch event-driven architecture happen" }</p>
                <Share session={(*session).clone()} {route} {onloaded} />
                <Nav current={route} />
            </header>
            { banners }
            <Intro {route} />
            <main id="view" data-view={route.slug()} tabindex="-1">{ providers }</main>
            <footer>
                <span>{ format!("eda-playground v{VERSION} · simulates Apache Kafka {}", crate::KAFKA_VERSION) }</span>
                <span>{ " · a simulated Kafka broker running in your browser" }</span>
            </footer>
        </div>
    }
}

/// Moves focus to the view (`main#view`), as the skip link does.
fn focus_view() {
    use wasm_bindgen::JsCast;
    if let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("view"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// What `ready` tells the host: the view, its panels, and the moment shown.
fn ready_payload(shared: &SharedSession, host: &EmbedHost, route: Route) -> serde_json::Value {
    let mut payload = serde_json::json!({
        "view": route.slug(),
        "panels": host.params().panels.names(),
    });
    if let Some(session) = shared.get()
        && let Ok(s) = session.try_borrow()
        && let serde_json::Value::Object(fields) = &mut payload
        && let serde_json::Value::Object(moment) =
            embed::moment_message(s.timeline.now_ms(), s.playing, s.horizon_ms(), s.speed)
    {
        fields.insert("ms".into(), moment["ms"].clone());
        fields.insert("playing".into(), moment["playing"].clone());
        fields.insert("horizon_ms".into(), moment["horizon_ms"].clone());
    }
    payload
}

/// Does what a host asked: the clock's messages go through the dispatcher of the view that
/// draws the session, the Playground (so it redraws; other views ignore them, with a
/// warning); a scenario replaces the session (kept as it was when it does not replay).
fn on_message(host: &EmbedHost, shared: &SharedSession, onloaded: &Callback<()>, message: Inbound) {
    let act = |action: crate::ui::session::Action| match host.driver() {
        Some(driver) => driver.emit(action),
        // Only the Playground has this clock on screen: elsewhere it would change a session
        // nobody sees.
        None => embed::warn(
            "ignored a clock message: only the Playground answers play, pause, seek, step and setSpeed.",
        ),
    };
    use crate::ui::session::Action as A;
    match message {
        Inbound::Play | Inbound::Pause => {
            let want = message == Inbound::Play;
            let playing = shared
                .get()
                .and_then(|rc| rc.try_borrow().ok().map(|s| s.playing));
            if playing.is_some_and(|playing| playing != want) {
                act(A::TogglePlay);
            }
        }
        Inbound::Seek(ms) => act(A::Seek(ms)),
        Inbound::Step => act(A::Step),
        Inbound::SetSpeed(speed) => act(A::SetSpeed(speed)),
        Inbound::Load(doc) => {
            let loaded = shared.load(&doc).map_err(|e| e.0);
            match loaded {
                Ok(()) => onloaded.emit(()),
                Err(e) => embed::warn(&format!("ignored a \"load\": {e}")),
            }
        }
    }
}

/// A `hashchange` subscription; dropping it unsubscribes.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) struct HashListener {
    #[cfg(target_arch = "wasm32")]
    closure: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn hash_listener(on_change: impl FnMut() + 'static) -> Option<HashListener> {
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
pub(crate) fn hash_listener(_on_change: impl FnMut() + 'static) -> Option<HashListener> {
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
