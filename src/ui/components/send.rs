//! One callback type for every button that sends a fixed action.
//!
//! `dispatch.reform(|_| Action::Back)` makes a new closure type, with its own code, for every
//! button; [`send`] makes one per action type, which each button reuses.

use yew::{Callback, MouseEvent};

/// A click callback that dispatches a clone of `action`.
pub fn send<A: Clone + 'static>(dispatch: &Callback<A>, action: A) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
}
