//! Link options of the app's wasm module.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // One data segment per static (string literal, table, ...) instead of one merged `.rodata`:
    // tools/wasm_split.py moves the statics only the rest's code reads into the rest, and it
    // needs each one's bounds to know what a reference reaches.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--no-merge-data-segments");
    }
}
