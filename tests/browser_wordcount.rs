//! Browser tests of the WordCount view (`src/ui/wordcount.rs`): the app mounted in headless
//! Chromium by wasm-bindgen-test, stepped by clicking its buttons. Run by `./run.sh test` as
//! `cargo test --target wasm32-unknown-unknown --test browser_wordcount`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod browser_support;

use browser_support::{click, mount_at, texts};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// The node marked current, and what it shows going in and coming out.
fn current(root: &Element) -> (String, Vec<String>, Vec<String>) {
    let node = root
        .query_selector(".wc-node.current")
        .unwrap()
        .expect("a current node");
    let name = node.get_attribute("data-node").unwrap_or_default();
    (name, texts(&node, ".wc-in"), texts(&node, ".wc-out"))
}

async fn step(root: &Element) -> (String, Vec<String>, Vec<String>) {
    click(root, "button.wc-step");
    yew::scheduler::flush().await;
    current(root)
}

#[wasm_bindgen_test]
async fn one_record_steps_node_by_node_and_back_undoes_a_step() {
    let root = mount_at("#/wordcount?seed=3").await;
    assert!(root.query_selector(".wc-node.current").unwrap().is_none());
    let example = texts(&root, "button.wc-example");
    assert_eq!(example[1], "“hello kafka streams”");
    click(&root, "button.wc-example:nth-child(2)");
    yew::scheduler::flush().await;

    let line = "(null, “hello kafka streams”)".to_string();
    assert_eq!(
        step(&root).await,
        (
            "KSTREAM-SOURCE-0000000000".to_string(),
            vec![line.clone()],
            vec![line.clone()]
        )
    );
    let words: Vec<String> = ["hello", "kafka", "streams"]
        .iter()
        .map(|w| format!("(null, “{w}”)"))
        .collect();
    let split = step(&root).await;
    assert_eq!(
        split,
        (
            "KSTREAM-FLATMAPVALUES-0000000001".to_string(),
            vec![line.clone()],
            words.clone()
        ),
        "flatMapValues fans one line out into three word records"
    );
    assert_eq!(
        step(&root).await,
        (
            "KSTREAM-KEY-SELECT-0000000002".to_string(),
            vec![words[0].clone()],
            vec!["(“hello”, “hello”)".to_string()]
        ),
        "groupBy makes the word the key"
    );
    assert_eq!(
        step(&root).await,
        (
            "KSTREAM-FILTER-0000000006".to_string(),
            vec!["(“hello”, “hello”)".to_string()],
            vec!["(“hello”, “hello”)".to_string()]
        )
    );
    let sink = step(&root).await;
    assert_eq!(sink.0, "KSTREAM-SINK-0000000005");
    assert!(sink.2.is_empty(), "a sink forwards to no node: {sink:?}");
    // The Java line of the current node is highlighted: groupBy for the repartition sink.
    assert_eq!(
        texts(&root, ".java li.current"),
        vec!["    .groupBy((key, value) -> value)".to_string()]
    );

    click(&root, "button.wc-back");
    yew::scheduler::flush().await;
    assert_eq!(current(&root).0, "KSTREAM-FILTER-0000000006");
    click(&root, "button.wc-back");
    yew::scheduler::flush().await;
    assert_eq!(current(&root).0, "KSTREAM-KEY-SELECT-0000000002");
    // Forward again: the same step as before (deterministic replay).
    assert_eq!(step(&root).await.0, "KSTREAM-FILTER-0000000006");

    // Finish everything: the store and the output show one count per word.
    for _ in 0..40 {
        click(&root, "button.wc-record");
        yew::scheduler::flush().await;
    }
    let rows = texts(&root, ".wc-store-table tbody tr");
    assert_eq!(
        rows,
        vec!["“hello”11_0", "“kafka”11_0", "“streams”11_0"],
        "store rows (word, count, task)"
    );
    let compacted = texts(&root, ".wc-compacted tbody tr");
    assert_eq!(compacted, vec!["hello1", "kafka1", "streams1"]);
    let live = texts(&root, "[aria-live=polite]");
    assert!(!live[0].is_empty());
    drop(root);
}

#[wasm_bindgen_test]
async fn bad_url_parameters_are_reported_and_the_view_still_works() {
    let root = mount_at("#/wordcount?partitions=9&cache=perhaps").await;
    let alert = texts(&root, ".error[role=alert]");
    assert_eq!(alert.len(), 1);
    assert!(alert[0].contains("partitions must be 1 to 4"), "{alert:?}");
    assert!(alert[0].contains("cache must be on or off"), "{alert:?}");
    // Empty input is refused with a message, not a crash.
    click(&root, ".wc-input button[type=submit]");
    yew::scheduler::flush().await;
    assert!(
        texts(&root, ".error[role=alert]")[0].contains("Type a line of text first"),
        "{:?}",
        texts(&root, ".error[role=alert]")
    );
    drop(root);
}
