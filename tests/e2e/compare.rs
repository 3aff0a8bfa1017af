//! End-to-end check of the EDA-vs-SOA view (`src/ui/compare_view.rs`) in Chromium: start the
//! registration preset, take the email service down by clicking, and watch the two sides
//! diverge; then bring it back and let the backlog drain.
//!
//! The view's DOM contract read here: `td[data-metric][data-side]` (per side: `success` as
//! "99.5%", `coupling`), `tr[data-service] td[data-metric=backlog][data-side=eda]` (a
//! consumer group's lag), `tr[data-service] button[data-health]`, `button.cmp-users`.

use std::time::Duration;

use serde_json::Value;

use super::webdriver::Error;
use crate::Harness;

const DIVERGE_TIMEOUT: Duration = Duration::from_secs(30);

const NUMBERS_SCRIPT: &str = r#"
const view = document.querySelector('main#view[data-view="eda-vs-soa"] .compare');
if (!view) return null;
const cell = css => { const e = view.querySelector(css); return e ? e.textContent.trim() : null; };
const pct = t => (t && t.endsWith('%')) ? Math.round(parseFloat(t) * 10) : null;
return {
  soa: pct(cell('td[data-metric=success][data-side=soa]')),
  eda: pct(cell('td[data-metric=success][data-side=eda]')),
  soa_coupling: cell('td[data-metric=coupling][data-side=soa]'),
  eda_coupling: cell('td[data-metric=coupling][data-side=eda]'),
  email_lag: Number(cell('tr[data-service="email-service"] td[data-metric=backlog][data-side=eda]')),
  alert: cell('.error[role="alert"]'),
};
"#;

fn numbers(h: &Harness) -> Result<Value, Error> {
    h.browser.execute(NUMBERS_SCRIPT, &[])
}

fn wait(h: &Harness, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value, Error> {
    h.browser
        .wait_value(what, DIVERGE_TIMEOUT, || numbers(h), pred)
}

/// Clicks the button at `css` until the view says it is pressed (`aria-pressed="true"`). The view
/// re-renders many times a second at speed 10 and its rows can shift while WebDriver scrolls
/// and clicks, so a click may land beside the button or be intercepted; what the test checks
/// is what the button does, so a lost click is retried (at most 5 times).
fn press(h: &Harness, css: &str) -> Result<(), Error> {
    for _ in 0..5 {
        // An intercepted click is an error from WebDriver: try again.
        let _ = h.browser.find(css).and_then(|b| b.click());
        let pressed =
            h.browser
                .wait_until(&format!("{css} pressed"), Duration::from_secs(2), || {
                    let b = h.browser.find(css)?;
                    Ok((b.attribute("aria-pressed")?.as_deref() == Some("true")).then_some(()))
                });
        if pressed.is_ok() {
            return Ok(());
        }
    }
    Err(Error::Timeout(format!(
        "clicking {css} five times did not press it"
    )))
}

/// Email down: SOA users get errors, EDA users do not and the email group's lag grows; email
/// up and users stopped: the lag drains to 0.
pub fn check_email_outage(h: &Harness) -> Result<(), Error> {
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    let start = wait(h, "both sides at 100%", |v| {
        v["soa"] == 1000 && v["eda"] == 1000
    })?;
    assert_eq!(start["soa_coupling"], "3", "{start}");
    assert_eq!(start["eda_coupling"], "1", "{start}");
    assert!(start["alert"].is_null(), "{start}");
    press(
        h,
        r#"tr[data-service="email-service"] button[data-health="down"]"#,
    )?;
    let down = wait(h, "SOA failing, EDA at 100% with email lag", |v| {
        v["soa"].as_u64().is_some_and(|s| s < 100)
            && v["eda"] == 1000
            && v["email_lag"].as_u64().is_some_and(|l| l > 20)
    })?;
    h.screenshot("eda-vs-soa-email-down")?;
    assert!(down["alert"].is_null(), "{down}");
    press(
        h,
        r#"tr[data-service="email-service"] button[data-health="up"]"#,
    )?;
    press(h, "button.cmp-users")?;
    wait(h, "the email backlog drains to 0", |v| v["email_lag"] == 0)?;
    h.screenshot("eda-vs-soa-drained")?;
    Ok(())
}

const TIME_SCRIPT: &str = r#"
const view = document.querySelector('main#view[data-view="eda-vs-soa"] .compare');
if (!view) return null;
const text = css => { const e = view.querySelector(css); return e ? e.textContent.trim() : null; };
const tl = view.querySelector('label.timeline');
const up = view.querySelector('tr[data-service="email-service"] button[data-health="up"]');
return {
  now: tl ? Number(tl.dataset.now) : null,
  horizon: tl ? Number(tl.dataset.horizon) : null,
  focused: document.activeElement === (tl && tl.querySelector('input[type="range"]')),
  rewound: text('.rewound-bar'),
  replaced: text('.replaced-note'),
  email_up: up ? up.getAttribute('aria-pressed') === 'true' : null,
  email_lag: Number(text('tr[data-service="email-service"] td[data-metric=backlog][data-side=eda]')),
};
"#;

const HOME: &str = "\u{E011}";
const END: &str = "\u{E010}";
const PAGE_DOWN: &str = "\u{E00F}";

fn time(h: &Harness, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value, Error> {
    h.browser.wait_value(
        what,
        DIVERGE_TIMEOUT,
        || h.browser.execute(TIME_SCRIPT, &[]),
        pred,
    )
}

/// The Time slider rewinds both sides: with email down and paused, Home shows the start (email
/// up, no lag) under a "Viewing t = …" bar, End comes back to the outage, and a control given
/// in the past says that the recorded future was dropped.
pub fn check_time_slider(h: &Harness) -> Result<(), Error> {
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    wait(h, "both sides at 100%", |v| {
        v["soa"] == 1000 && v["eda"] == 1000
    })?;
    press(
        h,
        r#"tr[data-service="email-service"] button[data-health="down"]"#,
    )?;
    wait(h, "email lag grows", |v| {
        v["email_lag"].as_u64().is_some_and(|l| l > 20)
    })?;
    h.browser.find("button.cmp-play")?.click()?;
    let live = time(h, "paused, live", |v| {
        v["rewound"].is_null()
            && v["now"].as_u64().is_some_and(|n| n > 0)
            && v["now"] == v["horizon"]
    })?;
    let lag_at_end = live["email_lag"].as_u64().unwrap_or(0);
    assert!(lag_at_end > 0, "{live}");
    // A learner's way to the slider: click it (that seeks too), then keys.
    h.browser
        .find(r#"label.timeline input[type="range"]"#)?
        .click()?;
    h.browser.keys(HOME)?;
    let start = time(h, "rewound to the start", |v| {
        v["now"] == 0 && v["rewound"].is_string()
    })?;
    h.screenshot("eda-vs-soa-rewound")?;
    assert!(
        start["rewound"]
            .as_str()
            .is_some_and(|t| t.contains("Viewing t = ") && t.contains("Back to live")),
        "{start}"
    );
    assert_eq!(start["email_up"], true, "at t = 0 email was up: {start}");
    assert_eq!(start["email_lag"], 0, "{start}");
    h.browser.keys(END)?;
    let back = time(h, "back at the end", |v| v["rewound"].is_null())?;
    assert_eq!(back["now"], live["now"], "{back}");
    assert_eq!(
        back["email_lag"], lag_at_end,
        "the same outage replays: {back}"
    );
    assert_eq!(back["email_up"], false, "{back}");
    // Into the past again, then act there.
    h.browser
        .find(r#"label.timeline input[type="range"]"#)?
        .click()?;
    h.browser.keys(END)?;
    h.browser.keys(PAGE_DOWN)?;
    let past = time(h, "10 s back", |v| v["rewound"].is_string())?;
    assert_eq!(
        past["now"].as_u64(),
        live["now"].as_u64().map(|n| n.saturating_sub(10_000)),
        "{past}"
    );
    h.browser.find("button.cmp-spike")?.click()?;
    let replaced = time(h, "the note that the future was dropped", |v| {
        v["replaced"]
            .as_str()
            .is_some_and(|t| t.contains("was dropped"))
            && v["rewound"].is_null()
    })?;
    h.screenshot("eda-vs-soa-replaced")?;
    assert_eq!(replaced["horizon"], past["now"], "{replaced}");
    Ok(())
}
