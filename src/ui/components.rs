//! The app's components, one file each. Components get data and `on*` callbacks through
//! props; none of them owns simulation state.

pub mod banner;
pub mod el;
pub mod nav;
pub mod send;
pub mod views;

pub use banner::error_banner;
pub use nav::Nav;
pub use send::send;
pub use views::ViewBody;
