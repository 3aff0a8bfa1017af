//! Hooks that own browser timers. Dropping the handle (when the component unmounts or the
//! effect's dependencies change) cancels the timer: no closure keeps running after its
//! component is gone.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// Calls `on_frame(elapsed_ms)` once per animation frame while `active` is true, where
/// `elapsed_ms` is the wall time since the previous frame (0 on the first).
#[hook]
pub fn use_animation_frame(active: bool, on_frame: Callback<f64>) {
    use_effect_with(active, move |active| {
        let frames = active.then(|| FrameLoop::start(on_frame));
        move || drop(frames)
    });
}

/// A key the simulation views use: Space plays or pauses, → steps, ← goes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimKey {
    Space,
    Right,
    Left,
}

/// The simulation key pressed, unless the focused element uses that key itself: fields,
/// sliders and lists take Space and the arrows (typing, moving); buttons (and what acts as
/// one, such as a focusable record cell), links and a `<details>` summary take Space
/// (pressing, opening). A key with Ctrl, Alt or Meta belongs to the browser.
pub fn sim_key(e: &KeyboardEvent) -> Option<SimKey> {
    if e.ctrl_key() || e.alt_key() || e.meta_key() || e.default_prevented() {
        return None;
    }
    let target = e.target_dyn_into::<web_sys::Element>();
    let tag = target
        .as_ref()
        .map(|el| el.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let editable = target
        .as_ref()
        .is_some_and(|el| el.get_attribute("contenteditable").is_some());
    let takes_arrows =
        editable || matches!(tag.as_str(), "input" | "select" | "textarea" | "option");
    let role_button = target
        .as_ref()
        .is_some_and(|el| el.get_attribute("role").as_deref() == Some("button"));
    let takes_space =
        takes_arrows || role_button || matches!(tag.as_str(), "button" | "a" | "summary");
    match e.key().as_str() {
        " " if !takes_space => Some(SimKey::Space),
        "ArrowRight" if !takes_arrows => Some(SimKey::Right),
        "ArrowLeft" if !takes_arrows => Some(SimKey::Left),
        _ => None,
    }
}

/// Space, → and ← for the whole page: one `keydown` listener on the document (removed when
/// the view goes) hands the view each simulation key that [`sim_key`] lets through, so the
/// keys work with nothing focused (the body) and never scroll the page meanwhile. The view
/// passes a new callback on each render; the listener always calls the latest.
#[hook]
pub fn use_sim_keys(on_key: Callback<SimKey>) {
    let latest = use_mut_ref(|| on_key.clone());
    *latest.borrow_mut() = on_key;
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(
                    &document,
                    "keydown",
                    options,
                    move |event| {
                        use wasm_bindgen::JsCast;
                        let Some(e) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if let Some(key) = sim_key(e) {
                            e.prevent_default();
                            latest.borrow().emit(key);
                        }
                    },
                )
            });
        move || drop(listener)
    });
}

/// Dispatches `frame(elapsed_ms)` to a reducer once per animation frame while `active`.
#[hook]
pub fn use_frames<R: Reducible + 'static>(
    active: bool,
    dispatcher: UseReducerDispatcher<R>,
    frame: fn(f64) -> R::Action,
) {
    use_animation_frame(
        active,
        Callback::from(move |wall_ms: f64| dispatcher.dispatch(frame(wall_ms))),
    );
}

/// The media query of a learner who asked for less motion.
const REDUCED_MOTION: &str = "(prefers-reduced-motion: reduce)";

/// Whether the learner asked for less motion (`prefers-reduced-motion: reduce`): views then
/// draw no travel animation, and state still updates. Asks the browser each time: for a
/// one-off (a scroll); a view that draws every frame uses [`use_reduced_motion`].
pub fn prefers_reduced_motion() -> bool {
    media_matches(REDUCED_MOTION)
}

/// [`prefers_reduced_motion`], asked once and kept current by the query's `change` event.
#[hook]
pub fn use_reduced_motion() -> bool {
    use_media(REDUCED_MOTION)
}

/// Whether `query` matches now, kept current while the component lives (the listener is
/// dropped with it): one `matchMedia` when the component mounts, none per render.
#[hook]
pub fn use_media(query: &'static str) -> bool {
    let matches = use_state_eq(|| media_matches(query));
    {
        let matches = matches.clone();
        use_effect_with(query, move |query| {
            let list = web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
            let listener = list.map(|list| {
                let target: &web_sys::EventTarget = list.as_ref();
                let query = *query;
                gloo_events::EventListener::new(target, "change", move |_| {
                    matches.set(media_matches(query));
                })
            });
            move || drop(listener)
        });
    }
    *matches
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// A running `requestAnimationFrame` loop; dropping it cancels the pending frame.
pub struct FrameLoop {
    #[allow(dead_code)] // read by the wasm32 Drop impl
    state: Rc<RefCell<LoopState>>,
}

#[allow(dead_code)] // the fields are used by the wasm32 implementation only
struct LoopState {
    handle: Option<i32>,
    last_ms: Option<f64>,
    stopped: bool,
    #[cfg(target_arch = "wasm32")]
    closure: Option<wasm_bindgen::closure::Closure<dyn FnMut(f64)>>,
}

impl FrameLoop {
    /// Starts the loop.
    #[cfg(target_arch = "wasm32")]
    pub fn start(on_frame: Callback<f64>) -> Self {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let state = Rc::new(RefCell::new(LoopState {
            handle: None,
            last_ms: None,
            stopped: false,
            closure: None,
        }));
        let weak = Rc::downgrade(&state);
        let closure = Closure::<dyn FnMut(f64)>::new(move |timestamp: f64| {
            let Some(state) = weak.upgrade() else { return };
            let elapsed = {
                let mut s = state.borrow_mut();
                if s.stopped {
                    return;
                }
                let elapsed = s.last_ms.map_or(0.0, |last| (timestamp - last).max(0.0));
                s.last_ms = Some(timestamp);
                elapsed
            };
            on_frame.emit(elapsed);
            let next = {
                let s = state.borrow();
                if s.stopped {
                    return;
                }
                s.closure.as_ref().and_then(|c| {
                    web_sys::window()?
                        .request_animation_frame(c.as_ref().unchecked_ref())
                        .ok()
                })
            };
            state.borrow_mut().handle = next;
        });
        let first = web_sys::window().and_then(|w| {
            w.request_animation_frame(closure.as_ref().unchecked_ref())
                .ok()
        });
        {
            let mut s = state.borrow_mut();
            s.handle = first;
            s.closure = Some(closure);
        }
        Self { state }
    }

    /// Outside a browser there are no frames.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn start(_on_frame: Callback<f64>) -> Self {
        Self {
            state: Rc::new(RefCell::new(LoopState {
                handle: None,
                last_ms: None,
                stopped: true,
            })),
        }
    }
}

#[cfg(target_arch = "wasm32")]
impl Drop for FrameLoop {
    fn drop(&mut self) {
        let mut s = self.state.borrow_mut();
        s.stopped = true;
        if let (Some(handle), Some(window)) = (s.handle.take(), web_sys::window()) {
            let _ = window.cancel_animation_frame(handle);
        }
        // Break the closure's cycle with the state so both are freed.
        s.closure = None;
    }
}
