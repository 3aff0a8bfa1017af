//! Browser tests: the app mounted in headless Chromium by wasm-bindgen-test.
//!
//! Run by `./run.sh test` (layer 2) as
//! `cargo test --target wasm32-unknown-unknown --test browser`. Each test mounts the real
//! [`App`] into a fresh element, flushes Yew's scheduler and asserts on the DOM.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use eda_playground::sim::{Rng, World};
use eda_playground::ui::App;
use eda_playground::ui::panic::{BANNER_ID, show_banner};
use eda_playground::ui::route::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app into a new element and waits until it has rendered.
async fn mount() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn view_of(root: &Element) -> (String, String) {
    let main = root
        .query_selector("main#view")
        .unwrap()
        .expect("main#view");
    let name = main.get_attribute("data-view").unwrap_or_default();
    let title = main
        .query_selector("h2")
        .unwrap()
        .expect("h2")
        .text_content()
        .unwrap_or_default();
    (name, title)
}

/// Sets the hash and waits for the app to follow it (hashchange is dispatched asynchronously).
async fn go(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
    // The browser fires `hashchange` as a task; give it a turn, then let Yew render.
    for _ in 0..20 {
        sleep_ms(10).await;
        yew::scheduler::flush().await;
        if Route::from_hash(&web_sys::window().unwrap().location().hash().unwrap())
            == Route::from_hash(hash)
        {
            break;
        }
    }
    sleep_ms(10).await;
    yew::scheduler::flush().await;
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_shell_renders_header_nav_and_footer() {
    go("#/").await;
    let root = mount().await;
    let h1 = root.query_selector("header h1").unwrap().unwrap();
    assert_eq!(h1.text_content().unwrap(), "eda-playground");
    let links = root.query_selector_all("nav a.nav-link").unwrap();
    assert_eq!(links.length(), 5);
    let footer = root.query_selector("footer").unwrap().unwrap();
    assert!(
        footer
            .text_content()
            .unwrap()
            .contains(&format!("v{}", eda_playground::VERSION))
    );
    assert_eq!(view_of(&root), ("playground".into(), "Playground".into()));
    root.remove();
}

#[wasm_bindgen_test]
async fn navigating_changes_the_view_and_the_current_link() {
    go("#/").await;
    let root = mount().await;
    for route in Route::VIEWS {
        go(&route.href()).await;
        assert_eq!(
            view_of(&root),
            (route.slug().to_string(), route.title().to_string())
        );
        let current = root
            .query_selector("nav a[aria-current=page]")
            .unwrap()
            .expect("a current link");
        assert_eq!(current.get_attribute("href").unwrap(), route.href());
    }
    go("#/no-such-view").await;
    assert_eq!(view_of(&root).0, "not-found");
    assert!(
        root.query_selector("nav a[aria-current=page]")
            .unwrap()
            .is_none()
    );
    go("#/").await;
    root.remove();
}

#[wasm_bindgen_test]
fn the_panic_banner_offers_a_reload() {
    show_banner("test panic: boom");
    show_banner("a second panic keeps the first banner");
    let banners = document()
        .query_selector_all(&format!("#{BANNER_ID}"))
        .unwrap();
    assert_eq!(banners.length(), 1);
    let banner = document().get_element_by_id(BANNER_ID).unwrap();
    assert_eq!(banner.get_attribute("role").unwrap(), "alert");
    assert!(banner.text_content().unwrap().contains("test panic: boom"));
    let button = banner.query_selector("button").unwrap().unwrap();
    assert_eq!(button.text_content().unwrap(), "Reload");
    assert_eq!(
        button.get_attribute("onclick").unwrap(),
        "location.reload()"
    );
    banner.remove();
}

/// The engine's randomness is the same on wasm32 as natively: these are the values the native
/// unit test `rng::tests::splitmix64_reference_values` checks.
#[wasm_bindgen_test]
fn the_engine_is_deterministic_across_platforms() {
    let mut rng = Rng::new(1_234_567);
    assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
    let mut a = World::new(9);
    let mut b = World::new(9);
    assert_eq!(a.advance(1_000).unwrap(), b.advance(1_000).unwrap());
    assert_eq!(a.now_ms(), 1_000);
}

// ---------------------------------------------------------------------------------------------
// The Playground view

/// Waits (in real time, up to `limit_ms`) until `check` holds, flushing Yew between tries.
async fn until(limit_ms: i32, mut check: impl FnMut() -> bool) -> bool {
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

fn attr(root: &Element, css: &str, name: &str) -> Option<String> {
    root.query_selector(css).ok().flatten()?.get_attribute(name)
}

fn press_enter_in(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_keyed_message_lands_in_the_lane_murmur2_picks() {
    go("#/playground?speed=20&seed=5").await;
    let root = mount().await;
    assert!(
        until(15_000, || attr(
            &root,
            ".group[data-group=billing]",
            "data-state"
        )
        .as_deref()
            == Some("Stable"))
        .await,
        "group billing becomes Stable"
    );
    let input: web_sys::HtmlInputElement = root
        .query_selector("#produce-input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    press_enter_in(&input, "alice:order-1");
    let lane = eda_playground::sim::partitioner::partition_for_key(b"alice", 3);
    let selector = format!("g.lane[data-partition=\"{lane}\"] g.cell[data-key=alice]");
    assert!(
        until(10_000, || root
            .query_selector(&selector)
            .ok()
            .flatten()
            .is_some())
        .await,
        "alice's record appears in lane {lane}"
    );
    for other in (0..3).filter(|p| *p != lane) {
        let sel = format!("g.lane[data-partition=\"{other}\"] g.cell");
        assert!(root.query_selector(&sel).unwrap().is_none());
    }
    assert_eq!(input.value(), "", "the input clears after Enter");
    root.remove();
    go("#/").await;
}

#[wasm_bindgen_test]
async fn crashing_a_consumer_moves_its_partitions_to_the_other() {
    go("#/playground?speed=20&seed=11").await;
    let root = mount().await;
    assert!(
        until(15_000, || attr(
            &root,
            ".group[data-group=billing]",
            "data-state"
        )
        .as_deref()
            == Some("Stable"))
        .await
    );
    let generation: i32 = attr(&root, ".group[data-group=billing]", "data-generation")
        .unwrap()
        .parse()
        .unwrap();
    let members = root.query_selector_all(".group li[data-consumer]").unwrap();
    assert_eq!(members.length(), 2);
    let first: Element = members.get(0).unwrap().unchecked_into();
    let survivor: Element = members.get(1).unwrap().unchecked_into();
    let survivor_id = survivor.get_attribute("data-consumer").unwrap();
    let crash: web_sys::HtmlElement = first
        .query_selector("button:nth-of-type(2)")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(crash.text_content().unwrap(), "Crash");
    crash.click();
    let selector = format!(".group li[data-consumer=\"{survivor_id}\"]");
    assert!(
        until(20_000, || attr(&root, &selector, "data-owns").as_deref()
            == Some("0,1,2"))
        .await,
        "after session.timeout.ms the survivor owns every partition"
    );
    let after: i32 = attr(&root, ".group[data-group=billing]", "data-generation")
        .unwrap()
        .parse()
        .unwrap();
    assert!(after > generation);
    root.remove();
    go("#/").await;
}
