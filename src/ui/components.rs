//! The app's components, one file each. Components get data and `on*` callbacks through
//! props; none of them owns simulation state.

pub mod banner;
pub mod el;
pub mod embed;
pub mod export;
pub mod glossary;
pub mod intro;
pub mod nav;
pub mod send;
pub mod share;
pub mod time;
pub mod views;

pub use banner::error_banner;
pub use embed::{EmbedBar, EmbedDialog};
pub use glossary::Term;
pub use intro::Intro;
pub use nav::Nav;
pub use send::send;
pub use share::Share;
pub use time::{time_slider, time_travel};
pub use views::ViewBody;

/// A `data:` URL for a download link (percent-encoded, so any text is safe).
pub fn data_url(mime: &str, body: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in body.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
