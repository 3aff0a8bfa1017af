//! The app shell: header, navigation, the current view, footer.
//!
//! The shell follows `location.hash`: a `hashchange` listener, owned by an effect and removed
//! when the component goes away, dispatches [`Action::Navigate`].

use yew::prelude::*;

use crate::VERSION;
use crate::ui::components::{Nav, ViewBody};
use crate::ui::console_view::SharedWorld;
use crate::ui::route::{Route, current_hash};
use crate::ui::session::{Session, SharedSession};
use crate::ui::state::{Action, AppState};

/// The page's session, from the address it was opened at.
fn session_from_location() -> Session {
    Session::from_hash(&current_hash())
}

/// The root component. It keeps the page's one session (made when a view first needs it) and
/// hands it to the Playground and, as a [`SharedWorld`], to the Console: a topic created in a
/// terminal appears in the Playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::from_hash(&current_hash()));
    let session = use_memo((), |_| SharedSession::default());
    let world = use_memo((), {
        let session = (*session).clone();
        move |_| SharedWorld::session(session, session_from_location)
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
                <Nav current={route} />
            </header>
            <main id="view" data-view={route.slug()}>
                <ContextProvider<SharedSession> context={(*session).clone()}>
                    <ContextProvider<SharedWorld> context={(*world).clone()}>
                        <ViewBody {route} />
                    </ContextProvider<SharedWorld>>
                </ContextProvider<SharedSession>>
            </main>
            <footer>
                <span>{ format!("eda-playground v{VERSION}") }</span>
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
