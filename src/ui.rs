//! The Yew app: view only.
//!
//! State changes go through [`state::Action`]s on one reducer; components get data and `on*`
//! callbacks. Anything computable without a browser (routes, geometry) is a plain function,
//! tested natively.

pub mod app;
pub mod compare_view;
pub mod components;
pub mod console_view;
pub mod embed;
pub mod geometry;
pub mod hooks;
pub mod lessons;
pub mod panic;
pub mod playground;
pub mod route;
pub mod session;
pub mod state;
pub mod store;
pub mod wordcount;

pub use app::App;

/// Mounts the app into `#app` (or `<body>` if the page has no such element), after installing
/// the panic banner.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic::install();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Replace the static "Loading…" text the page shows until wasm is ready.
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
