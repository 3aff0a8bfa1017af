//! The panic banner: a panic must never leave a silently dead page.
//!
//! The hook logs the message to the browser console and puts a visible banner with a "Reload"
//! button at the top of the page. It builds the banner with plain DOM calls, not Yew, and reads
//! nothing of the app's state: the panic may have happened while that state was borrowed, and
//! with `panic = "abort"` the wasm instance is gone after the hook returns anyway.
//!
//! Invariants, so that a second panic (or a panic after a trap) still shows the banner:
//! - the banner is drawn before the panic message is formatted (a panic near the memory limit
//!   must not turn into an out-of-memory trap inside the hook before anything is shown); the
//!   message is added afterwards, formatted into at most [`DETAILS_CHARS_MAX`] characters;
//! - no `RefCell`, no Yew, no closure into wasm: the Reload button carries
//!   `data-action="reload"` and `static/start.js` handles its click in plain JS (no inline
//!   `onclick`, which the page's Content-Security-Policy refuses);
//! - drawing is idempotent: later panics keep the first banner (its details explain the cause).
//!
//! What the hook can never see — a trap without a panic (out of memory) or a panic while the
//! hook itself runs — reaches `window` as a `WebAssembly.RuntimeError`, and `static/start.js`
//! draws the same banner from JS.

use std::fmt::{self, Write as _};

/// The `id` of the banner element (end-to-end tests look for it).
pub const BANNER_ID: &str = "panic-banner";

/// The most characters of the panic message the banner shows.
pub const DETAILS_CHARS_MAX: usize = 2_000;

const SUMMARY: &str = "Something went wrong and the playground stopped. Reloading starts it again.";

/// Installs the panic hook (Yew would otherwise install its own, which only logs).
#[cfg(target_arch = "wasm32")]
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| report(info)));
}

/// What the panic hook does with a panic's description: shows the banner first, then fills in
/// (a bounded prefix of) `message` and logs it. Safe to call any number of times, from any state.
pub fn report(message: &dyn fmt::Display) {
    let details = show_banner();
    let text = bounded(message, DETAILS_CHARS_MAX);
    if let Some(details) = details {
        // Only the first banner gets details: a later panic is usually a consequence.
        if details.text_content().unwrap_or_default().is_empty() {
            details.set_text_content(Some(&text));
        }
    }
    log(&text);
}

/// Shows the banner (once: later calls keep the first one) and returns its details element.
pub fn show_banner() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(banner) = document.get_element_by_id(BANNER_ID) {
        return banner.query_selector("pre").ok().flatten();
    }
    let body = document.body()?;
    let banner = document.create_element("div").ok()?;
    banner.set_id(BANNER_ID);
    banner.set_class_name("panic-banner");
    banner.set_attribute("role", "alert").ok()?;

    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(SUMMARY));
    let reload = document.create_element("button").ok()?;
    reload.set_attribute("type", "button").ok()?;
    reload.set_attribute("data-action", "reload").ok()?;
    reload.set_text_content(Some("Reload"));
    let details = document.create_element("pre").ok()?;

    banner.append_child(&text).ok()?;
    banner.append_child(&reload).ok()?;
    banner.append_child(&details).ok()?;
    body.insert_before(&banner, body.first_child().as_ref())
        .ok()?;
    Some(details)
}

fn log(text: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::error_2(&"eda-playground panicked:".into(), &text.into());
    #[cfg(not(target_arch = "wasm32"))]
    let _ = text;
}

/// `message` formatted, cut at `chars_max` characters (with an ellipsis): a panic message that
/// quotes a huge value must not need a huge allocation.
pub fn bounded(message: &dyn fmt::Display, chars_max: usize) -> String {
    struct Bounded {
        text: String,
        chars_left: usize,
        cut: bool,
    }
    impl fmt::Write for Bounded {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for c in s.chars() {
                if self.chars_left == 0 {
                    self.cut = true;
                    // Stop formatting: nothing more will be kept.
                    return Err(fmt::Error);
                }
                self.text.push(c);
                self.chars_left -= 1;
            }
            Ok(())
        }
    }
    let mut out = Bounded {
        text: String::new(),
        chars_left: chars_max,
        cut: false,
    };
    let _ = write!(out, "{message}");
    if out.cut {
        out.text.push('…');
    }
    out.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_cut_to_the_limit() {
        assert_eq!(bounded(&"short", 10), "short");
        assert_eq!(bounded(&"abcdef", 3), "abc…");
        assert_eq!(bounded(&"é".repeat(5), 5), "ééééé");
        let huge = "x".repeat(1_000_000);
        assert_eq!(
            bounded(&huge, DETAILS_CHARS_MAX).chars().count(),
            DETAILS_CHARS_MAX + 1
        );
    }
}
