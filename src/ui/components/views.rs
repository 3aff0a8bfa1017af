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

/// A view not built yet: what it will be, in one sentence, and the issue that builds it
/// (0: none filed yet).
fn pending(route: Route, purpose: &str, issue: u32) -> Html {
    let status = if issue > 0 {
        format!("This view is not built yet (issue #{issue}).")
    } else {
        "This view is not built yet.".to_string()
    };
    html! {
        <>
            <h2>{ route.title() }</h2>
            <p class="purpose">{ purpose.to_string() }</p>
            <p class="status" role="status">{ status }</p>
        </>
    }
}

/// The content of the `<main>` element for `route`.
#[component]
pub fn ViewBody(props: &ViewBodyProps) -> Html {
    let route = props.route;
    match route {
        Route::Playground => html! { <crate::ui::playground::Playground /> },
        Route::Console => html! { <crate::ui::console_view::ConsoleView /> },
        Route::WordCount => html! { <crate::ui::wordcount::WordCount /> },
        Route::EdaVsSoa => html! { <crate::ui::compare_view::EdaVsSoa /> },
        Route::Lessons => pending(
            route,
            "Guided lessons with checkpoints that watch what happens in the simulation.",
            0,
        ),
        Route::NotFound => html! {
            <>
                <h2>{ route.title() }</h2>
                <p>{ "There is no view at this address." }</p>
                <p><a href={Route::Playground.href()}>{ "Go to the Playground" }</a></p>
            </>
        },
    }
}
