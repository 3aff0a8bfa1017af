//! Helpers the browser test files share (`mod browser_support;` in each): mounting the app at
//! an address, waiting in real time while Yew renders, and reading or clicking the DOM.
#![allow(dead_code, clippy::unwrap_used)]

use eda_playground::ui::App;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

pub fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (in real time, up to `limit_ms`) until `check` holds, flushing Yew between tries.
pub async fn until(limit_ms: i32, mut check: impl FnMut() -> bool) -> bool {
    let mut waited = 0;
    while waited < limit_ms {
        yew::scheduler::flush().await;
        if check() {
            return true;
        }
        sleep_ms(50).await;
        waited += 50;
    }
    false
}

/// Forgets what earlier tests' apps saved, so a new app starts from its address alone.
pub fn forget_saved_sessions() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
        // A returning learner: the first-visit introduction (tested end to end in
        // tests/e2e/glance_views.rs) stays out of the way of these tests.
        let _ = storage.set_item(
            eda_playground::ui::components::intro::DISMISSED_KEY,
            eda_playground::ui::components::intro::DISMISSED,
        );
    }
}

/// A mounted app: derefs to its root element; dropping it destroys the app (its frame loop,
/// timers and page-wide listeners stop) and removes the element. Every test's app runs in the
/// one page all tests share, so an app left running after its test would keep simulating, and
/// following every later address, beside the next test's app.
pub struct Mounted {
    root: Element,
    app: Option<yew::AppHandle<App>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts the app into a new element at the current address and lets it render.
pub async fn mount() -> Mounted {
    forget_saved_sessions();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        app: Some(app),
    }
}

/// Sets the hash, then mounts the app into a new element and lets it render.
pub async fn mount_at(hash: &str) -> Mounted {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
    mount().await
}

pub fn click(root: &Element, css: &str) {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// The text of every element `css` matches.
pub fn texts(root: &Element, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.text_content())
        .collect()
}

/// The text of the first element `css` matches ("" when none).
pub fn text(root: &Element, css: &str) -> String {
    root.query_selector(css)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}
