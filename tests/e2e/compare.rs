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
