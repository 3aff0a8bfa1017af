//! The first-visit introduction: a short panel above the view saying what this page is and what
//! to try first, shown until the learner dismisses it once.
//!
//! The dismissal is remembered in `localStorage` under [`DISMISSED_KEY`]. When storage cannot be
//! used (blocked, full, private mode) the panel shows on every visit and dismissing it hides it
//! for this page load only: the page keeps working and nothing is logged. The shell leaves it
//! out of embeds and of the Lessons view (a figure in a course or a lesson says its own
//! introduction). It never takes focus: it sits before the view, its button reachable by Tab;
//! dismissing it puts focus on the view.

use yew::prelude::*;

use crate::ui::route::Route;
use crate::ui::session::saved::Store;

/// Where the dismissal is remembered (the value is [`DISMISSED`]).
pub const DISMISSED_KEY: &str = "eda-playground.intro.v1";
/// The value stored once the learner dismisses the panel.
pub const DISMISSED: &str = "dismissed";

/// The panel's sentences: what the page is, what to try first, and the glossary's cue.
pub const SENTENCES: [&str; 4] = [
    "A simulated Apache Kafka 4.1.1 broker runs in this page; nothing is sent to a server.",
    "Each view shows one idea: partitions and consumer groups, a Kafka Streams app, the Kafka command line, events versus service calls.",
    "Try this first: in the Playground, type alice:order-1, press Enter, and see which partition the record lands in.",
    "Words with a dotted underline open a one-line explanation.",
];

/// Whether the introduction shows on `route`, given what storage holds (`None`: nothing
/// stored, or no storage).
pub fn shows(route: Route, stored: Option<&str>) -> bool {
    route != Route::Lessons && stored != Some(DISMISSED)
}

/// Props for [`Intro`].
#[derive(Properties, PartialEq)]
pub struct IntroProps {
    /// The view shown (the panel stays out of Lessons).
    pub route: Route,
}

/// The first-visit introduction, or nothing once dismissed.
#[component]
pub fn Intro(props: &IntroProps) -> Html {
    let dismissed = use_state_eq(|| {
        let stored = Store::open().ok().and_then(|s| s.get(DISMISSED_KEY));
        !shows(Route::Playground, stored.as_deref())
    });
    if *dismissed || !shows(props.route, None) {
        return html! {};
    }
    let dismiss = {
        let dismissed = dismissed.clone();
        Callback::from(move |_: MouseEvent| {
            // No storage: hidden for this visit only, silently (the page works the same).
            if let Ok(store) = Store::open() {
                let _ = store.set(DISMISSED_KEY, DISMISSED);
            }
            dismissed.set(true);
            focus_view();
        })
    };
    html! {
        <section class="intro" aria-labelledby="intro-title">
            <h2 id="intro-title" class="intro-title">{ "New here?" }</h2>
            <p>{ for SENTENCES.iter().map(|s| html! { <>{ *s }{ " " }</> }) }</p>
            <button type="button" class="intro-dismiss" onclick={dismiss}>{ "Got it" }</button>
        </section>
    }
}

/// Moves focus to the view (`main#view`), so a keyboard learner who dismissed the panel goes
/// on from the view rather than from the top of the page (the button they pressed is gone).
fn focus_view() {
    use wasm_bindgen::JsCast;
    let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("view"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    // Focusable by script only: Tab order is unchanged.
    let _ = main.set_attribute("tabindex", "-1");
    let _ = main.focus();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_until_dismissed_and_never_in_lessons() {
        assert!(shows(Route::Playground, None));
        assert!(shows(Route::EdaVsSoa, Some("something else")));
        assert!(!shows(Route::Playground, Some(DISMISSED)));
        assert!(!shows(Route::Lessons, None));
    }

    #[test]
    fn short_sentences() {
        for s in SENTENCES {
            assert!(s.ends_with('.') && s.len() <= 160, "{s:?}");
        }
    }
}
