//! End-to-end checks that each view's address keeps its setup (`ui::route::address_with`,
//! `SharedSession::view_address`, the kept views' stores in `src/ui/session.rs`):
//! - the learner changes WordCount's and EDA vs SOA's settings with clicks; after the
//!   debounce the address bar shows them, and that address opened in a fresh browser profile
//!   starts the same setup;
//! - an address changed in the open page (`location.hash = …`) is applied, and a parameter the
//!   view cannot use is reported in its message banner.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::webdriver::{Browser, Error};
use crate::Harness;

/// The debounce (`ui::app::AUTOSAVE_MS`, 2 s) and a margin for a loaded machine.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What a learner sees of either view's setup, read in one round trip.
const SETUP: &str = r#"
const main = document.querySelector('main#view');
const view = main ? main.getAttribute('data-view') : null;
const value = css => { const e = document.querySelector(css); return e ? e.value : null; };
const cache = document.querySelector('.wc-cache input[type=checkbox]');
const alert = document.querySelector('main#view .error[role="alert"]');
return {
  view,
  hash: location.hash,
  partitions: value('select.wc-partitions'),
  cache: cache ? cache.checked : null,
  flow: value('select.cmp-flow'),
  fanout: value('select.cmp-fanout'),
  speed: value('.cmp-controls select[aria-label="Speed"]'),
  alert: alert ? alert.textContent.trim() : null,
};
"#;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Setup {
    view: Option<String>,
    hash: String,
    partitions: Option<String>,
    cache: Option<bool>,
    flow: Option<String>,
    fanout: Option<String>,
    speed: Option<String>,
    alert: Option<String>,
}

fn setup(b: &Browser) -> Result<Setup, Error> {
    let v = b.execute(SETUP, &[])?;
    serde_json::from_value(v.clone()).map_err(|e| Error::Protocol(format!("setup ({e}): {v}")))
}

fn wait(b: &Browser, what: &str, pred: impl Fn(&Setup) -> bool) -> Result<Setup, Error> {
    let mut seen = None;
    let result = b.wait_until(what, TIMEOUT, || {
        let s = setup(b)?;
        let done = pred(&s);
        seen = Some(s.clone());
        Ok(done.then_some(s))
    });
    result.map_err(|e| Error::Timeout(format!("{e}\n    last seen: {seen:#?}")))
}

/// Opens `url` as a fresh page load.
fn load(b: &Browser, url: &str) -> Result<(), Error> {
    b.goto("about:blank")?;
    b.goto(url)?;
    b.wait_for("main#view", TIMEOUT).map(drop)
}

/// Picks the option whose value is `value` in the select at `css`, as a learner does: a click
/// on the select, then on the option.
fn choose(b: &Browser, css: &str, value: &str) -> Result<(), Error> {
    b.find(css)?.click()?;
    for option in b.find_all(&format!("{css} option"))? {
        if option.attribute("value")?.as_deref() == Some(value) {
            return option.click();
        }
    }
    Err(Error::Protocol(format!("no option {value:?} in `{css}`")))
}

/// Sets `location.hash` in the open page (no reload), as a learner editing the address does.
fn set_hash(b: &Browser, hash: &str) -> Result<Value, Error> {
    b.execute(
        "location.hash = arguments[0]; return location.hash",
        &[Value::from(hash)],
    )
}

/// WordCount and EDA vs SOA: settings changed by clicks reach the address bar, and the
/// address opened in a fresh profile starts the same setup.
pub fn check_addresses_keep_the_setup(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;

    // WordCount: three partitions and the record cache, through the Setup panel.
    load(b, &h.server.url("#/wordcount"))?;
    b.wait_for("button.wc-setup-toggle", TIMEOUT)?.click()?;
    b.wait_for("select.wc-partitions", TIMEOUT)?;
    choose(b, "select.wc-partitions", "3")?;
    wait(b, "three partitions", |s| {
        s.partitions.as_deref() == Some("3")
    })?;
    b.find(".wc-cache input[type=checkbox]")?.click()?;
    let wc = wait(b, "the address to show the WordCount setup", |s| {
        s.hash.contains("partitions=3") && s.hash.contains("cache=on")
    })?;
    assert_eq!(wc.cache, Some(true), "{wc:?}");
    assert_eq!(wc.alert, None);
    h.screenshot("address-1-wordcount")?;

    // EDA vs SOA: the order flow, calls in parallel, speed 5.
    load(b, &h.server.url("#/eda-vs-soa"))?;
    b.wait_for("select.cmp-flow", TIMEOUT)?;
    choose(b, "select.cmp-flow", "order")?;
    wait(b, "the order flow", |s| s.flow.as_deref() == Some("order"))?;
    choose(b, "select.cmp-fanout", "parallel")?;
    choose(b, ".cmp-controls select[aria-label=\"Speed\"]", "5")?;
    let cmp = wait(b, "the address to show the EDA-vs-SOA setup", |s| {
        s.hash.contains("flow=order")
            && s.hash.contains("fanout=parallel")
            && s.hash.contains("speed=5")
    })?;
    assert_eq!(cmp.alert, None);
    h.screenshot("address-2-eda-vs-soa")?;

    // Each address, copied from the browser, in a fresh profile: the same setup.
    let fresh = Browser::launch("address-fresh-profile")?;
    load(&fresh, &h.server.url(&wc.hash))?;
    let opened = wait(&fresh, "WordCount from the copied address", |s| {
        s.view.as_deref() == Some("wordcount")
    })?;
    assert_eq!(opened.alert, None, "{opened:?}");
    fresh.find("button.wc-setup-toggle")?.click()?;
    let opened = wait(&fresh, "its Setup panel", |s| s.partitions.is_some())?;
    assert_eq!(opened.partitions.as_deref(), Some("3"), "{opened:?}");
    assert_eq!(opened.cache, Some(true), "{opened:?}");
    load(&fresh, &h.server.url(&cmp.hash))?;
    let opened = wait(&fresh, "EDA vs SOA from the copied address", |s| {
        s.flow.is_some()
    })?;
    assert_eq!(opened.flow.as_deref(), Some("order"), "{opened:?}");
    assert_eq!(opened.fanout.as_deref(), Some("parallel"), "{opened:?}");
    assert_eq!(opened.speed.as_deref(), Some("5"), "{opened:?}");
    assert_eq!(opened.alert, None, "{opened:?}");
    fresh.screenshot(&super::webdriver::artifact_dir().join("address-3-fresh-eda-vs-soa.png"))?;
    let severe: Vec<String> = fresh
        .browser_log()?
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .map(|e| e.to_string())
        .collect();
    assert!(severe.is_empty(), "fresh profile console: {severe:?}");
    Ok(())
}

/// `location.hash` set in the open page: a new setup is applied, a bad parameter reported.
pub fn check_in_page_address_changes(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;

    // WordCount.
    load(b, &h.server.url("#/wordcount"))?;
    b.wait_for("button.wc-setup-toggle", TIMEOUT)?.click()?;
    wait(b, "WordCount with one partition", |s| {
        s.partitions.as_deref() == Some("1")
    })?;
    set_hash(b, "#/wordcount?partitions=2&cache=on")?;
    let applied = wait(b, "the new setup applied", |s| {
        s.partitions.as_deref() == Some("2") && s.cache == Some(true)
    })?;
    assert_eq!(applied.alert, None, "{applied:?}");
    set_hash(b, "#/wordcount?partitions=2&cache=on&partitions=9")?;
    let reported = wait(b, "the bad value reported", |s| s.alert.is_some())?;
    let alert = reported.alert.clone().unwrap_or_default();
    assert!(
        alert.contains("partitions=9") && alert.contains("partitions must be 1 to 4"),
        "{alert}"
    );
    h.screenshot("address-4-wordcount-reported")?;

    // EDA vs SOA.
    set_hash(b, "#/eda-vs-soa")?;
    wait(b, "EDA vs SOA", |s| {
        s.flow.as_deref() == Some("registration")
    })?;
    set_hash(b, "#/eda-vs-soa?flow=order&fanout=parallel")?;
    let applied = wait(b, "the order flow applied", |s| {
        s.flow.as_deref() == Some("order") && s.fanout.as_deref() == Some("parallel")
    })?;
    assert_eq!(applied.alert, None, "{applied:?}");
    set_hash(b, "#/eda-vs-soa?flow=order&fanout=parallel&colour=red")?;
    let reported = wait(b, "the unknown parameter reported", |s| s.alert.is_some())?;
    let alert = reported.alert.clone().unwrap_or_default();
    assert!(alert.contains("colour"), "{alert}");
    assert_eq!(
        reported.flow.as_deref(),
        Some("order"),
        "the setup it could use stays: {reported:?}"
    );
    h.screenshot("address-5-eda-vs-soa-reported")?;
    // The address bar then shows what the view runs: the parameter it could not use goes.
    let cleaned = wait(b, "the address without the unknown parameter", |s| {
        !s.hash.contains("colour")
    })?;
    assert!(
        cleaned.hash.contains("flow=order") && cleaned.hash.contains("fanout=parallel"),
        "{cleaned:?}"
    );
    Ok(())
}
