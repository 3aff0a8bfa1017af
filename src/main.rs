//! The wasm entry point: Trunk builds this binary for `wasm32-unknown-unknown` and the page
//! calls `main`, which installs the panic banner and mounts the Yew app.
//!
//! Built natively (as `cargo build` and `cargo clippy --all-targets` do) it only explains how
//! to run the app, since the app needs a browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    eda_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "eda-playground {} is a web app: run `./run.sh serve` and open http://127.0.0.1:8080",
        eda_playground::VERSION
    );
    std::process::exit(2);
}
