//! The app's state and the one reducer that changes it.
//!
//! Components never mutate state: they dispatch an [`Action`] (a verb) and the reducer returns
//! the next state. Keeping every change in one place is what will let a scenario replay, a
//! share link restore and a lesson checkpoint observe the same sequence of actions.

use std::rc::Rc;

use yew::Reducible;

use crate::ui::route::Route;

/// Everything the shell renders from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppState {
    /// The view on screen.
    pub route: Route,
}

impl AppState {
    /// The state for a page opened with this `location.hash`.
    pub fn from_hash(hash: &str) -> Self {
        Self {
            route: Route::from_hash(hash),
        }
    }
}

/// What a component can ask of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Show this view (dispatched when the URL hash changes).
    Navigate(Route),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Navigate(route) if route == self.route => self,
            Action::Navigate(route) => Rc::new(AppState { route }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigate_changes_the_route() {
        let state = Rc::new(AppState::from_hash(""));
        assert_eq!(state.route, Route::Playground);
        let next = state.reduce(Action::Navigate(Route::Lessons));
        assert_eq!(next.route, Route::Lessons);
    }

    #[test]
    fn navigating_to_the_current_view_keeps_the_same_state() {
        let state = Rc::new(AppState::from_hash("#/console"));
        let next = Rc::clone(&state).reduce(Action::Navigate(Route::Console));
        assert!(Rc::ptr_eq(&state, &next));
    }
}
