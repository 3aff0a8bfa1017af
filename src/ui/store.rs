//! The reducer wrapper every view's model uses.
//!
//! A view's model (a `World`, a comparison, a timeline…) is large, so Yew's reducer holds it
//! shared (`Rc<RefCell<…>>`) instead of cloning it each frame; every action still goes through
//! the model's one `act` method, in order. Each action returns a new (tiny) [`Store`], which is
//! how Yew's reducer knows to re-render.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

/// A model that changes only through its actions.
pub trait Acts {
    /// What the learner (or a frame) can ask of it.
    type Action;
    /// Applies one action.
    fn act(&mut self, action: Self::Action);
}

/// A view's model behind Yew's reducer.
pub struct Store<M> {
    pub model: Rc<RefCell<M>>,
}

impl<M> Store<M> {
    /// A store around a model.
    pub fn new(model: M) -> Self {
        Self {
            model: Rc::new(RefCell::new(model)),
        }
    }
}

impl<M: Acts> Reducible for Store<M> {
    type Action = M::Action;

    fn reduce(self: Rc<Self>, action: M::Action) -> Rc<Self> {
        self.model.borrow_mut().act(action);
        Rc::new(Store {
            model: Rc::clone(&self.model),
        })
    }
}
