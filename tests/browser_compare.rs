//! Browser tests of the EDA-vs-SOA view (`src/ui/compare_view.rs`): the app mounted in headless
//! Chromium by wasm-bindgen-test, a service taken down by clicking, both sides' numbers read
//! from the DOM. Run by `./run.sh test` as
//! `cargo test --target wasm32-unknown-unknown --test browser_compare`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod browser_support;

use browser_support::{click, mount_at, text, until};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// A side's success rate in per mille, from "99.5%" ("—": none yet).
fn success(root: &Element, side: &str) -> Option<u32> {
    let t = text(root, &format!("td[data-metric=success][data-side={side}]"));
    let number: f64 = t.trim_end_matches('%').parse().ok()?;
    Some((number * 10.0).round() as u32)
}

fn email_lag(root: &Element) -> u64 {
    text(
        root,
        "tr[data-service=email-service] td[data-metric=backlog][data-side=eda]",
    )
    .parse()
    .unwrap_or(0)
}

#[wasm_bindgen_test]
async fn taking_email_down_fails_soa_users_and_grows_eda_lag() {
    let root = mount_at("#/eda-vs-soa?speed=20&seed=5").await;
    assert!(
        until(15_000, || success(&root, "soa") == Some(1000)
            && success(&root, "eda") == Some(1000))
        .await,
        "both sides succeed at first: soa {:?} eda {:?}",
        success(&root, "soa"),
        success(&root, "eda")
    );
    assert_eq!(
        text(&root, "td[data-metric=coupling][data-side=soa]"),
        "3",
        "the SOA front calls three services"
    );
    assert_eq!(text(&root, "td[data-metric=coupling][data-side=eda]"), "1");
    click(
        &root,
        "tr[data-service=email-service] button[data-health=down]",
    );
    assert!(
        until(20_000, || success(&root, "soa").is_some_and(|s| s < 100)
            && email_lag(&root) > 20)
        .await,
        "SOA fails without email and EDA's email lag grows: soa {:?} lag {}",
        success(&root, "soa"),
        email_lag(&root)
    );
    assert_eq!(success(&root, "eda"), Some(1000), "EDA users still succeed");
    assert_eq!(
        root.query_selector("g.svc[data-service=email-service]")
            .unwrap()
            .unwrap()
            .get_attribute("data-health")
            .as_deref(),
        Some("down")
    );
    assert!(text(&root, ".cmp-tradeoffs").contains("email-service is down"));
    drop(root);
}

#[wasm_bindgen_test]
async fn bad_url_parameters_are_reported_and_the_view_runs() {
    let root = mount_at("#/eda-vs-soa?flow=nope&speed=99").await;
    let alert = text(&root, ".error[role=alert]");
    assert!(
        alert.contains("flow must be registration or order"),
        "{alert}"
    );
    assert!(alert.contains("the speed must be 0.1 to 20"), "{alert}");
    assert!(
        until(10_000, || success(&root, "eda").is_some()).await,
        "the comparison runs"
    );
    drop(root);
}
