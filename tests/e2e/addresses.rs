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

/// The Playground, and every view's messages, read in one round trip.
const PLAYGROUND: &str = r#"
const main = document.querySelector('main#view');
const pg = document.querySelector('main#view .playground');
const counters = pg ? pg.querySelector('.counters') : null;
return {
  view: main ? main.getAttribute('data-view') : null,
  hash: location.hash,
  lanes: pg ? pg.querySelectorAll('.diagram svg g.lane').length : null,
  keys: pg ? Array.from(pg.querySelectorAll('.diagram svg g.cell')).map(c => c.getAttribute('data-key')) : [],
  counters: counters ? counters.textContent.trim() : null,
  alerts: Array.from(document.querySelectorAll('.error[role="alert"]'))
    .map(e => (e.querySelector(':scope > span') || e).textContent.trim()),
};
"#;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Scene {
    view: Option<String>,
    hash: String,
    lanes: Option<usize>,
    keys: Vec<Option<String>>,
    counters: Option<String>,
    alerts: Vec<String>,
}

impl Scene {
    fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.as_deref() == Some(key))
    }

    fn alert(&self) -> String {
        self.alerts.join("\n")
    }

    /// Records appended, as the counters say.
    fn appended(&self) -> Option<u64> {
        self.counters.as_deref()?.split(' ').next()?.parse().ok()
    }
}

fn wait_scene(b: &Browser, what: &str, pred: impl Fn(&Scene) -> bool) -> Result<Scene, Error> {
    let mut seen = None;
    let result = b.wait_until(what, TIMEOUT, || {
        let v = b.execute(PLAYGROUND, &[])?;
        let s: Scene = serde_json::from_value(v.clone())
            .map_err(|e| Error::Protocol(format!("scene ({e}): {v}")))?;
        let done = pred(&s);
        seen = Some(s.clone());
        Ok(done.then_some(s))
    });
    result.map_err(|e| Error::Timeout(format!("{e}\n    last seen: {seen:#?}")))
}

/// Types `text` and Enter in the Playground's message box.
fn produce(b: &Browser, text: &str) -> Result<(), Error> {
    b.find("#produce-input")?
        .send_keys(&format!("{text}\u{E007}"))
}

/// The Playground follows an address changed in the open page as it follows the one it opens
/// at (`SharedSession::follow_address`): another setup starts, the learner's session kept
/// under My sessions and the message saying so; a parameter it cannot use is reported; the
/// addresses the page writes itself (the settings it keeps current) change nothing; arriving
/// from the Console with parameters applies them; the Console and Lessons report theirs.
pub fn check_playground_follows_in_page_addresses(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;
    load(b, &h.server.url("#/playground"))?;
    wait_scene(b, "the Playground", |s| s.lanes == Some(3))?;
    produce(b, "zoe:mine-1")?;
    wait_scene(b, "zoe's record", |s| s.has_key("zoe"))?;

    // Another setup, typed into the open page's address.
    set_hash(b, "#/playground?partitions=7")?;
    let started = wait_scene(b, "seven partitions", |s| s.lanes == Some(7))?;
    assert!(!started.has_key("zoe"), "a new world: {started:?}");
    assert!(
        started.alert().contains(
            "Your previous session is kept under Share → My sessions as “Before #/playground?partitions=7”."
        ),
        "{started:?}"
    );
    h.screenshot("address-6-playground-started")?;

    // The learner goes on: a record, and the steady load chosen with a click. The address
    // bar follows (debounced); its writes and the browser's back and forward to them restart
    // nothing.
    produce(b, "yan:mine-2")?;
    wait_scene(b, "yan's record", |s| s.has_key("yan"))?;
    choose(b, ".producer-panel select.auto-rate", "1")?;
    let written = wait_scene(b, "the address to show the load", |s| {
        s.hash.contains("rate=1")
    })?;
    let own = "#/playground?partitions=7&rate=1";
    assert_eq!(written.hash, own);
    b.back()?;
    // The first address has no parameters (it keeps the session); the page then writes its
    // own settings there too.
    wait_scene(b, "back to the first address", |s| {
        s.lanes == Some(7) && (s.hash == "#/playground" || s.hash == own)
    })?;
    b.forward()?;
    wait_scene(b, "forward to the page's own address", |s| s.hash == own)?;
    std::thread::sleep(Duration::from_millis(2_500));
    let kept = wait_scene(b, "the session kept", |s| s.lanes == Some(7))?;
    assert!(kept.has_key("yan"), "{kept:?}");
    assert!(kept.appended() > Some(1), "the load went on: {kept:?}");

    // The same setup with a parameter it cannot use: reported, the session kept.
    set_hash(b, "#/playground?partitions=7&rate=1&colour=red")?;
    let reported = wait_scene(b, "the unknown parameter reported", |s| {
        s.alert().contains("“colour”")
    })?;
    assert_eq!(
        reported.alert(),
        "Ignored the unknown URL parameter “colour”.",
        "{reported:?}"
    );
    assert!(
        reported.has_key("yan") && reported.lanes == Some(7),
        "{reported:?}"
    );

    // The Console reports what it cannot use; arriving from it with parameters applies them.
    b.find("nav a.nav-link[href=\"#/console\"]")?.click()?;
    wait_scene(b, "the Console", |s| s.view.as_deref() == Some("console"))?;
    set_hash(b, "#/console?partitions=9")?;
    let console = wait_scene(b, "the Console's report", |s| !s.alerts.is_empty())?;
    assert_eq!(
        console.alert(),
        "Ignored the unknown URL parameter “partitions”.",
        "{console:?}"
    );
    h.screenshot("address-7-console-reported")?;
    set_hash(b, "#/playground?partitions=5")?;
    let arrived = wait_scene(b, "five partitions", |s| s.lanes == Some(5))?;
    assert!(!arrived.has_key("yan"), "{arrived:?}");
    set_hash(b, "#/lessons?colour=red")?;
    wait_scene(b, "Lessons' report", |s| {
        s.alerts
            .iter()
            .any(|a| a == "Ignored the unknown URL parameter “colour”.")
    })?;

    // Both sessions the learner had are in My sessions; the first opens as it was.
    b.find("nav a.nav-link[href=\"#/playground\"]")?.click()?;
    wait_scene(b, "the Playground again", |s| s.lanes == Some(5))?;
    b.find("button.share-button")?.click()?;
    let list = b.wait_for("ul.sessions", TIMEOUT)?.text()?;
    assert!(
        list.contains("Before #/playground?partitions=7")
            && list.contains("Before #/playground?partitions=5"),
        "{list}"
    );
    h.screenshot("address-8-my-sessions")?;
    let mut rows = Vec::new();
    for row in b.find_all("ul.sessions li")? {
        rows.push(row.text()?);
    }
    let n = rows
        .iter()
        .position(|r| r.contains("Before #/playground?partitions=7"))
        .ok_or_else(|| Error::Protocol(format!("no such session: {rows:?}")))?;
    for button in b.find_all(&format!("ul.sessions li:nth-child({}) button", n + 1))? {
        if button.text()?.trim() == "Open" {
            button.click()?;
            break;
        }
    }
    let opened = wait_scene(b, "the first session back", |s| s.has_key("zoe"))?;
    assert_eq!(opened.lanes, Some(3), "{opened:?}");
    h.expect_no_panic_banner("in-page addresses")
}
