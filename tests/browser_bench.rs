//! The engine's throughput benchmark run in headless Chromium: the same produce → append →
//! fetch loop as `cargo bench --bench engine` (`benches/support/mod.rs`), compiled to wasm32.
//! A benchmark, not a test: it prints records per second and fails only if records are lost.
//! Not part of `./run.sh test`; run it optimised with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --release --target wasm32-unknown-unknown --test browser_bench`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

#[path = "../benches/support/mod.rs"]
mod support;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

#[wasm_bindgen_test]
fn engine_throughput_in_the_browser() {
    const RECORDS: u32 = 200_000;
    for partitions in [1u32, 12, 64] {
        let mut rates = Vec::new();
        for _ in 0..5 {
            let (mut world, producer) = support::produce_fetch_world(partitions);
            let start = js_sys::Date::now();
            let delivered = support::produce_fetch(&mut world, producer, RECORDS);
            let secs = (js_sys::Date::now() - start) / 1_000.0;
            assert_eq!(delivered, u64::from(RECORDS), "every record delivered once");
            rates.push(f64::from(RECORDS) / secs.max(1e-3));
        }
        console_log!(
            "wasm32 in Chromium: {partitions:>2} partition(s): median {:.2} M records/s over 5 runs of {RECORDS}",
            median(rates) / 1e6
        );
    }
}
