//! The body of each view. Views not built yet say so plainly — what they will show and which
//! issue builds them — and show no made-up data.

use yew::prelude::*;

use crate::ui::route::Route;

/// Props for [`ViewBody`].
#[derive(Properties, PartialEq)]
pub struct ViewBodyProps {
    /// The view to render.
    pub route: Route,
}

/// What each pending view will be, in one sentence, and the issue that builds it.
fn pending(route: Route) -> Option<(&'static str, u32)> {
    match route {
        Route::Playground => Some((
            "Type messages and watch them travel from producers through partitions to consumer groups.",
            6,
        )),
        Route::WordCount => Some((
            "Step through Kafka Streams' WordCount topology one record and one processor at a time.",
            7,
        )),
        Route::Console => Some((
            "Run Kafka's quickstart commands, verbatim, against the simulated cluster.",
            5,
        )),
        Route::EdaVsSoa => Some((
            "Compare the same business flow built as services calling services and as events.",
            8,
        )),
        Route::Lessons => Some((
            "Guided lessons with checkpoints that watch what happens in the simulation.",
            0,
        )),
        Route::NotFound => None,
    }
}

/// The content of the `<main>` element for `route`.
#[component]
pub fn ViewBody(props: &ViewBodyProps) -> Html {
    let route = props.route;
    if route == Route::Playground {
        return html! { <crate::ui::playground::Playground /> };
    }
    if route == Route::Console {
        return html! { <crate::ui::console_view::ConsoleView /> };
    }
    match pending(route) {
        Some((purpose, issue)) => {
            let status = if issue > 0 {
                format!("This view is not built yet (issue #{issue}).")
            } else {
                "This view is not built yet.".to_string()
            };
            html! {
                <>
                    <h2>{ route.title() }</h2>
                    <p class="purpose">{ purpose }</p>
                    <p class="status" role="status">{ status }</p>
                </>
            }
        }
        None => html! {
            <>
                <h2>{ route.title() }</h2>
                <p>{ "There is no view at this address." }</p>
                <p><a href={Route::Playground.href()}>{ "Go to the Playground" }</a></p>
            </>
        },
    }
}
