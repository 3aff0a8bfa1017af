//! Browser test: the panic banner survives a panic after a panic.
//!
//! Run by `./run.sh test` (layer 2) as
//! `cargo test --target wasm32-unknown-unknown --test browser_panic`. A real panic aborts the
//! wasm instance (and so the test), so these tests call what the installed hook calls,
//! [`report`], the way the hook would meet it: twice, and while the app's state is borrowed.
//! The Reload click and the banner drawn from JS for a trap no hook saw are checked end to end
//! (`tests/e2e/hardening.rs`), where `static/start.js` is loaded.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;

use eda_playground::ui::panic::{BANNER_ID, DETAILS_CHARS_MAX, report};
use wasm_bindgen_test::*;

mod browser_support;

use browser_support::document;

wasm_bindgen_test_configure!(run_in_browser);

fn banners() -> u32 {
    document()
        .query_selector_all(&format!("#{BANNER_ID}"))
        .unwrap()
        .length()
}

#[wasm_bindgen_test]
fn a_panic_after_a_panic_keeps_one_banner_with_a_reload_and_the_first_cause() {
    // The state that panicked is still borrowed, as after `panic = "abort"` mid-update: the
    // banner must not need it.
    let state = RefCell::new(vec![1u8]);
    let _held = state.borrow_mut();
    report(&"test panic: boom");
    report(&"already mutably borrowed: BorrowError");
    assert_eq!(banners(), 1);

    let banner = document().get_element_by_id(BANNER_ID).unwrap();
    assert_eq!(banner.get_attribute("role").unwrap(), "alert");
    assert_eq!(
        banner
            .query_selector("pre")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "test panic: boom"
    );
    let button = banner.query_selector("button").unwrap().unwrap();
    assert_eq!(button.text_content().unwrap(), "Reload");
    assert_eq!(button.get_attribute("data-action").unwrap(), "reload");
    // Nothing the page's Content-Security-Policy refuses.
    let html = banner.outer_html();
    for refused in ["onclick", "style="] {
        assert!(!html.contains(refused), "{refused} in {html}");
    }
    banner.remove();
}

#[wasm_bindgen_test]
fn a_huge_panic_message_is_cut() {
    report(&"x".repeat(1_000_000));
    let banner = document().get_element_by_id(BANNER_ID).unwrap();
    let shown = banner
        .query_selector("pre")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(shown.chars().count(), DETAILS_CHARS_MAX + 1);
    banner.remove();
}

#[wasm_bindgen_test]
fn a_banner_drawn_from_js_gets_the_cause_of_the_next_panic_without_a_second_banner() {
    // As static/start.js draws it after a trap: same markup, empty details until told.
    let body = document().body().unwrap();
    let banner = document().create_element("div").unwrap();
    banner.set_id(BANNER_ID);
    banner
        .append_child(&document().create_element("pre").unwrap())
        .unwrap();
    body.append_child(&banner).unwrap();
    report(&"after the trap");
    assert_eq!(banners(), 1);
    assert_eq!(banner.text_content().unwrap(), "after the trap");
    banner.remove();
}
