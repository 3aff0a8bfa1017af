//! The navigation bar: one link per view, the current one marked for assistive technology.

use yew::prelude::*;

use crate::ui::route::Route;

/// Props for [`Nav`].
#[derive(Properties, PartialEq)]
pub struct NavProps {
    /// The view on screen.
    pub current: Route,
}

/// Links to the five views. Plain `href="#/…"` links: the browser changes the hash, the app
/// follows it, and back/forward, bookmarks and "open in new tab" all keep working.
#[component]
pub fn Nav(props: &NavProps) -> Html {
    html! {
        <nav aria-label="Views">
            <ul>
                { for Route::VIEWS.into_iter().map(|route| {
                    let current = (route == props.current).then_some("page");
                    html! {
                        <li key={route.slug()}>
                            <a class="nav-link" href={route.href()} aria-current={current}>
                                { route.title() }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
