//! The error banner every view shows: the message (line breaks kept), announced at once to
//! assistive technology, with a button that dismisses it.

use yew::prelude::*;

/// The banner for `error`, or nothing.
pub fn error_banner(error: Option<&String>, ondismiss: Callback<MouseEvent>) -> Html {
    let Some(error) = error else {
        return html! {};
    };
    html! {
        <div class="error" role="alert">
            <span>{ error.clone() }</span>
            <button type="button" onclick={ondismiss} aria-label="Dismiss the message">{ "×" }</button>
        </div>
    }
}
