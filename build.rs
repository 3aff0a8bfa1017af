//! Link options of the app's wasm module.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=EDA_SPLIT_DATA");
    // Unless EDA_SPLIT_DATA=0 (see tools/wasm_split.py's SPLIT_DATA): one data segment per
    // static (string literal, table, ...) instead of one merged `.rodata`, so that the splitter
    // can tell where each static starts and ends and move those only the rest's code reads.
    let split_data = std::env::var("EDA_SPLIT_DATA").as_deref() != Ok("0");
    if split_data && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--no-merge-data-segments");
    }
}
