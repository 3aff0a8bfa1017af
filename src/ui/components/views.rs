//! The body of each view.

use yew::prelude::*;

use crate::ui::route::Route;

/// Props for [`ViewBody`].
#[derive(Properties, PartialEq)]
pub struct ViewBodyProps {
    /// The view to render.
    pub route: Route,
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
        Route::Lessons => html! { <crate::ui::lessons::Lessons /> },
        Route::NotFound => html! {
            <>
                <h2>{ route.title() }</h2>
                <p>{ "There is no view at this address." }</p>
                <p><a href={Route::Playground.href()}>{ "Go to the Playground" }</a></p>
            </>
        },
    }
}
