//! Link options of the app's wasm module.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=EDA_SPLIT_DATA");
    // With EDA_SPLIT_DATA=1 (see tools/wasm_split.py's SPLIT_DATA): one data segment per static
    // (string literal, table, ...) instead of one merged `.rodata`, so that the splitter can
    // move the statics only the rest's code reads into the rest. Off by default: unmerged
    // segments cost the first module 28 KB brotli when nothing moves.
    let split_data = std::env::var("EDA_SPLIT_DATA").as_deref() == Ok("1");
    if split_data && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--no-merge-data-segments");
    }
}
