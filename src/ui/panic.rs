//! The panic banner: a panic must never leave a silently dead page.
//!
//! The hook logs the message to the browser console and puts a visible banner with a "Reload"
//! action at the top of the page. It builds the banner with plain DOM calls, not Yew, because
//! after a panic the app (and with `panic = "abort"` the whole wasm instance) is gone; for the
//! same reason the Reload button carries `data-action="reload"` and `static/start.js` handles its
//! click in plain JS (an inline `onclick` would need no wasm either, but the page's
//! Content-Security-Policy refuses inline handlers).

/// The `id` of the banner element (end-to-end tests look for it).
pub const BANNER_ID: &str = "panic-banner";

/// Installs the panic hook (Yew would otherwise install its own, which only logs).
#[cfg(target_arch = "wasm32")]
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("eda-playground panicked: {message}").into());
        show_banner(&message);
    }));
}

/// Shows the banner with `message` as its details (once: later panics keep the first banner).
pub fn show_banner(message: &str) {
    // Best effort: if the DOM is unavailable there is nothing more we can show.
    let _ = try_show_banner(message);
}

fn try_show_banner(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    if document.get_element_by_id(BANNER_ID).is_some() {
        return Some(());
    }
    let body = document.body()?;
    let banner = document.create_element("div").ok()?;
    banner.set_id(BANNER_ID);
    banner.set_class_name("panic-banner");
    banner.set_attribute("role", "alert").ok()?;

    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(
        "Something went wrong and the playground stopped. Reloading starts it again.",
    ));
    let details = document.create_element("pre").ok()?;
    details.set_text_content(Some(message));
    let reload = document.create_element("button").ok()?;
    reload.set_attribute("type", "button").ok()?;
    reload.set_attribute("data-action", "reload").ok()?;
    reload.set_text_content(Some("Reload"));

    banner.append_child(&text).ok()?;
    banner.append_child(&reload).ok()?;
    banner.append_child(&details).ok()?;
    body.insert_before(&banner, body.first_child().as_ref())
        .ok()?;
    Some(())
}
