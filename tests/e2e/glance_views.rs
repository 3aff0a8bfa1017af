//! "Learnable at a glance" (issue 19) in Chromium, as a first-time learner meets the page: the
//! first-visit introduction (not in embeds nor in Lessons; dismissed once, gone after a reload),
//! a glossary term opened and closed by keyboard (its entry inside the viewport, Esc closes it,
//! focus back on the term), EDA vs SOA's service boxes switched by click and by keyboard (the SOA
//! side's failures on screen, read as `compare.rs` reads them), the services list at 360 × 640
//! (no word broken over lines), and the diagram on the first screen at 640 × 400 and 360 × 640
//! with no text under 11 px.
//!
//! Runs as a first visit (`crate::run_on_dist_first_visit`): every other e2e test starts with
//! the introduction already dismissed.

use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Error;
use crate::Harness;

const WAIT: Duration = Duration::from_secs(20);
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// The smallest rendered text on the page: every visible text node's font size, times the
/// SVG's scale for diagram text (an SVG's own font size is in its viewBox's units).
const SMALL_TEXT_SCRIPT: &str = r#"
const small = [];
const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (w.nextNode()) {
  const t = w.currentNode;
  if (!t.textContent.trim()) continue;
  const el = t.parentElement;
  if (!el || el.closest('script, style, noscript, title, .sr-only')) continue;
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden') continue;
  let px = parseFloat(cs.fontSize);
  if (el instanceof SVGElement && el.getScreenCTM) {
    const m = el.getScreenCTM();
    if (m) px *= Math.hypot(m.a, m.b);
  }
  if (px < 10.95) small.push(t.textContent.trim().slice(0, 30) + ' @ ' + px.toFixed(1) + 'px');
}
return small.slice(0, 12);
"#;

/// Text nodes in the services list that break a word over lines (more lines than words).
const BROKEN_WORDS_SCRIPT: &str = r#"
const list = document.querySelector('.cmp-services');
if (!list) return ['no .cmp-services'];
const bad = [];
const w = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
while (w.nextNode()) {
  const t = w.currentNode;
  const text = t.textContent.trim();
  if (!text || (t.parentElement && t.parentElement.closest('thead, option'))) continue;
  const range = document.createRange();
  range.selectNodeContents(t);
  const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
  const words = text.split(/\s+/).length;
  if (tops.size > words) bad.push(text.slice(0, 40) + ': ' + tops.size + ' lines for ' + words + ' words');
}
return bad;
"#;

/// Where the first diagram starts, and the viewport.
const DIAGRAM_SCRIPT: &str = r#"
const d = document.querySelector('.compare .cmp-diagram');
if (!d) return null;
const r = d.getBoundingClientRect();
return { top: r.top, bottom: r.bottom, width: r.width, inner_h: innerHeight, inner_w: innerWidth, scroll_w: document.documentElement.scrollWidth };
"#;

fn emulate(h: &Harness, width: u32, height: u32) -> Result<(), Error> {
    h.browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .map(drop)
}

fn wait_for_compare(h: &Harness) -> Result<(), Error> {
    h.browser
        .wait_for(".compare .cmp-diagram .svc[role=button]", WAIT)
        .map(drop)
}

fn intro_shown(h: &Harness) -> Result<bool, Error> {
    let v = h.browser.execute(
        "const i = document.querySelector('.intro'); return !!i && i.getBoundingClientRect().height > 0;",
        &[],
    )?;
    Ok(v == json!(true))
}

/// Opens the term `word` by keyboard (focus, Enter), checks its entry is on screen inside the
/// viewport, closes it with Esc and checks focus is back on the term.
fn term_by_keyboard(h: &Harness, word: &str, shot: &str) -> Result<(), Error> {
    let css = format!("button.gloss-word[data-term=\"{word}\"]");
    let term = h.browser.find(&css)?;
    h.browser.execute(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();",
        &[term.to_arg()],
    )?;
    term.send_keys(ENTER)?;
    let pop = h.browser.wait_until(
        &format!("the entry for {word} placed on screen"),
        Duration::from_secs(5),
        || {
            let v = h.browser.execute(
                r#"const b = arguments[0];
                   const p = document.getElementById(b.getAttribute('aria-controls'));
                   if (!p || getComputedStyle(p).visibility !== 'visible') return null;
                   const r = p.getBoundingClientRect();
                   return { text: p.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                            w: document.documentElement.clientWidth, h: document.documentElement.clientHeight, expanded: b.getAttribute('aria-expanded'),
                            focused: document.activeElement === b };"#,
                &[term.to_arg()],
            )?;
            Ok((!v.is_null()).then_some(v))
        },
    )?;
    h.screenshot(shot)?;
    let text = pop["text"].as_str().unwrap_or_default();
    let entry = eda_playground::ui::components::glossary::entry(word).unwrap_or("(none)");
    assert!(text.contains(entry), "{word}: the popover says {text:?}");
    let f = |k: &str| pop[k].as_f64().unwrap_or(f64::NAN);
    assert!(
        f("left") >= 0.0 && f("top") >= 0.0 && f("right") <= f("w") && f("bottom") <= f("h"),
        "{word}: the entry lies outside the viewport: {pop}"
    );
    assert_eq!(pop["expanded"], "true", "{pop}");
    assert_eq!(
        pop["focused"], true,
        "opening must leave focus on the term: {pop}"
    );
    // Scrolling moves the term; the popover follows it (below or above it), still on screen.
    h.browser.execute("window.scrollBy(0, 30);", &[])?;
    h.browser.wait_until(
        &format!("the entry for {word} to follow its term after a scroll"),
        Duration::from_secs(5),
        || {
            let v = h.browser.execute(
                r#"const b = arguments[0].getBoundingClientRect();
                   const p = document.getElementById(arguments[0].getAttribute('aria-controls')).getBoundingClientRect();
                   const beside = Math.abs(p.top - (b.bottom + 4)) < 2 || Math.abs(p.bottom - (b.top - 4)) < 2;
                   const de = document.documentElement;
                   return beside && p.top >= 0 && p.bottom <= de.clientHeight && p.left >= 0 && p.right <= de.clientWidth;"#,
                &[term.to_arg()],
            )?;
            Ok((v == json!(true)).then_some(()))
        },
    )?;
    term.send_keys(ESCAPE)?;
    h.browser.wait_until(
        &format!("Esc closes the entry for {word}, focus on the term"),
        Duration::from_secs(5),
        || {
            let v = h.browser.execute(
                r#"const b = arguments[0];
                   return !document.getElementById(b.getAttribute('aria-controls'))
                     && b.getAttribute('aria-expanded') === 'false' && document.activeElement === b;"#,
                &[term.to_arg()],
            )?;
            Ok((v == json!(true)).then_some(()))
        },
    )
}

/// Clicks the SOA side's box for `service` (retried: the view redraws many times a second) until
/// its health is `want`.
fn click_box(h: &Harness, service: &str, want: &str) -> Result<(), Error> {
    let css = format!(".cmp-side[data-side=soa] .svc[data-service=\"{service}\"]");
    for _ in 0..5 {
        let _ = h.browser.find(&css).and_then(|b| b.click());
        let done = h
            .browser
            .wait_until(&format!("{css} {want}"), Duration::from_secs(2), || {
                let b = h.browser.find(&css)?;
                Ok((b.attribute("data-health")?.as_deref() == Some(want)).then_some(()))
            });
        if done.is_ok() {
            return Ok(());
        }
    }
    Err(Error::Timeout(format!(
        "clicking {css} five times did not make it {want}"
    )))
}

fn soa_numbers(h: &Harness) -> Result<Value, Error> {
    h.browser.execute(
        r#"const cell = css => { const e = document.querySelector(css); return e ? e.textContent.trim() : null; };
           const pct = t => (t && t.endsWith('%')) ? Math.round(parseFloat(t) * 10) : null;
           const bad = Array.from(document.querySelectorAll('.cmp-side[data-side=soa] .cmp-answers li.bad'))
             .filter(li => li.getBoundingClientRect().height > 0).length;
           return { soa: pct(cell('td[data-metric=success][data-side=soa]')),
                    eda: pct(cell('td[data-metric=success][data-side=eda]')), soa_failures_shown: bad };"#,
        &[],
    )
}

/// The whole learner's path; see the file's comment.
pub fn check_glance(h: &Harness) -> Result<(), Error> {
    // First visit: the introduction is there, and focus is still the page's, not the panel's.
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    wait_for_compare(h)?;
    h.browser.wait_until("the introduction", WAIT, || {
        Ok(intro_shown(h)?.then_some(()))
    })?;
    let intro = h.browser.find(".intro")?.text()?;
    assert!(
        intro.contains("Kafka") && intro.contains("Playground"),
        "{intro}"
    );
    let focus = h.browser.execute(
        "return document.activeElement ? document.activeElement.tagName : null",
        &[],
    )?;
    assert_eq!(focus, "BODY", "the introduction must not take focus");
    h.screenshot("glance-intro")?;

    // Not in an embed, nor in Lessons (still a first visit: nothing dismissed yet).
    h.open("#/playground?embed=1")?;
    h.browser.wait_for(".shell.embed", WAIT)?;
    assert!(!intro_shown(h)?, "an embed shows the introduction");
    h.open("#/lessons")?;
    h.browser
        .wait_for("main#view[data-view=lessons] h2", WAIT)?;
    assert!(!intro_shown(h)?, "Lessons show the introduction");

    // Glossary terms by keyboard, in the metrics and at the services table's right edge.
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    wait_for_compare(h)?;
    term_by_keyboard(h, "p50/p99", "glance-term-p50")?;
    term_by_keyboard(h, "lag", "glance-term-lag")?;

    // Dismissed once, not shown after a reload.
    h.browser.find(".intro-dismiss")?.click()?;
    h.browser.wait_until("the introduction to go", WAIT, || {
        Ok((!intro_shown(h)?).then_some(()))
    })?;
    let focus = h.browser.execute(
        "return document.activeElement ? document.activeElement.id : null",
        &[],
    )?;
    assert_eq!(focus, "view", "after dismissing, focus goes on to the view");
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    wait_for_compare(h)?;
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !intro_shown(h)?,
        "the introduction came back after a reload"
    );

    // A service box: click makes it slow, Enter (from the keyboard) makes it down; the SOA side
    // fails on screen while the EDA side keeps answering.
    h.browser.wait_until("both sides at 100%", WAIT, || {
        let v = soa_numbers(h)?;
        Ok((v["soa"] == 1000 && v["eda"] == 1000).then_some(()))
    })?;
    click_box(h, "email-service", "slow")?;
    let email = ".cmp-side[data-side=soa] .svc[data-service=\"email-service\"]";
    let text = h.browser.find(email)?.text()?;
    assert!(text.contains("slow"), "the box says its state: {text:?}");
    h.browser
        .execute("arguments[0].focus();", &[h.browser.find(email)?.to_arg()])?;
    h.browser.find(email)?.send_keys(ENTER)?;
    h.browser.wait_until(
        "Enter takes email-service down",
        Duration::from_secs(5),
        || {
            let b = h.browser.find(email)?;
            Ok((b.attribute("data-health")?.as_deref() == Some("down")).then_some(()))
        },
    )?;
    let eda_box = h
        .browser
        .find(".cmp-side[data-side=eda] .svc[data-service=\"email-service\"]")?;
    assert_eq!(eda_box.attribute("data-health")?.as_deref(), Some("down"));
    assert!(h.browser.find(email)?.text()?.contains("down"));
    let mut seen = Value::Null;
    h.browser
        .wait_until(
            "SOA failing on screen, EDA at 100%",
            Duration::from_secs(30),
            || {
                seen = soa_numbers(h)?;
                Ok((seen["soa"].as_u64().is_some_and(|s| s < 1000)
                    && seen["eda"] == 1000
                    && seen["soa_failures_shown"].as_u64().is_some_and(|n| n > 0))
                .then_some(()))
            },
        )
        .map_err(|e| Error::Timeout(format!("{e}; last: {seen}")))?;
    h.screenshot("glance-email-down")?;

    // Small frames: the diagram on the first screen, no text under 11 px, the services list
    // without words broken over lines.
    for (width, height) in [(360u32, 640u32), (640, 400)] {
        emulate(h, width, height)?;
        h.open("#/eda-vs-soa?speed=10&seed=5")?;
        wait_for_compare(h)?;
        std::thread::sleep(Duration::from_millis(500));
        let d = h.browser.execute(DIAGRAM_SCRIPT, &[])?;
        h.screenshot(&format!("glance-eda-vs-soa-{width}x{height}"))?;
        assert_eq!(d["inner_w"], json!(width), "{d}");
        assert!(
            d["top"]
                .as_f64()
                .is_some_and(|t| t >= 0.0 && t < f64::from(height) - 40.0),
            "at {width}×{height} the diagram does not start on the first screen: {d}"
        );
        assert!(
            d["scroll_w"]
                .as_f64()
                .is_some_and(|w| w <= f64::from(width)),
            "at {width}×{height} the page scrolls sideways: {d}"
        );
        let small = h.browser.execute(SMALL_TEXT_SCRIPT, &[])?;
        assert_eq!(small, json!([]), "text under 11 px at {width}×{height}");
        let broken = h.browser.execute(BROKEN_WORDS_SCRIPT, &[])?;
        assert_eq!(broken, json!([]), "services list at {width}×{height}");
        if width == 360 {
            h.browser.execute(
                "document.querySelector('.cmp-services').scrollIntoView();",
                &[],
            )?;
            h.screenshot("glance-services-360x640")?;
            h.browser.execute(
                "document.querySelector('.cmp-charts').scrollIntoView();",
                &[],
            )?;
            h.screenshot("glance-charts-360x640")?;
            // A term near the right edge of a phone stays on screen.
            term_by_keyboard(h, "partition", "glance-term-360")?;
        }
    }
    h.browser
        .cdp("Emulation.clearDeviceMetricsOverride", json!({}))?;
    // Dark mode: the popover keeps the page's colours (a screenshot to look at).
    h.browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )?;
    h.open("#/eda-vs-soa?speed=10&seed=5")?;
    wait_for_compare(h)?;
    term_by_keyboard(h, "consumer group", "glance-term-dark")?;
    h.expect_no_panic_banner("eda-vs-soa at a glance")
}
