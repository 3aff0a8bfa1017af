//! WordCount "at a glance" (issue 19) in Chromium, driven as a learner would: clicks on the
//! Step button, or Tab and Enter only.
//!
//! - At 1280 × 800, while a line goes through the topology step by step, the current processor
//!   and the state store are both inside the viewport (after six steps, and at every step up
//!   to the output sink).
//! - Whatever the topology says a sink sent to the output topic (or count() to its
//!   changelog), that panel shows, in flight or written as the node's tag says: never "No
//!   updates yet" once a sink has sent.
//! - Keyboard only: Tab to an example line, Enter; Tab to "Next processor", Enter, and the
//!   topology steps.
//! - In a 640 × 400 and a 360 × 640 iframe the topology starts on the first screen and no
//!   visible text is smaller than 11 px.
//!
//! DOM contract read here: `button.wc-example`, `button.wc-step`, `.wc-node.current`
//! (`data-node`), `.wc-sent[data-topic]`, `.wc-store`, `.wc-output` (`.wc-in-flight li`,
//! `.wc-records li`), `.wc-topology`.

use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Error;
use crate::Harness;

const OUTPUT: &str = "streams-wordcount-output";

/// Where the current node and the store are, whether both are in the viewport, and what the
/// output panel shows against what the current node says it sent.
const STATE_SCRIPT: &str = r#"
const view = document.querySelector('main#view[data-view="wordcount"] .wordcount');
if (!view) return null;
const vh = window.innerHeight, vw = window.innerWidth;
const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
const inside = b => b && b.top >= -0.5 && b.bottom <= vh + 0.5 && b.left >= -0.5 && b.right <= vw + 0.5;
const current = view.querySelector('.wc-node.current');
const storeHead = view.querySelector('.wc-store > summary');
const output = view.querySelector('.wc-output');
const sentToOutput = Array.from(view.querySelectorAll('.wc-node.current .wc-sent'))
  .filter(s => s.dataset.topic === arguments[0])
  .map(s => ({ text: s.textContent.trim(), inFlight: s.dataset.inFlight === 'true' }));
const changelog = view.querySelector('.wc-changelog');
const sentToChangelog = Array.from(view.querySelectorAll('.wc-node.current .wc-sent'))
  .filter(s => s.dataset.topic.endsWith('-changelog'))
  .map(s => ({ text: s.textContent.trim(), inFlight: s.dataset.inFlight === 'true' }));
const anySinkSent = Array.from(view.querySelectorAll('.wc-node .wc-sent'))
  .some(s => s.dataset.topic === arguments[0]);
return {
  commands: view.dataset.commands,
  node: current ? current.dataset.node : null,
  sub: current ? Array.from(view.querySelectorAll('.wc-sub')).indexOf(current.closest('.wc-sub')) : null,
  current: box(current), store: box(storeHead),
  currentIn: inside(box(current)), storeIn: inside(box(storeHead)),
  scrollY: window.scrollY, vh,
  sentToOutput, anySinkSent,
  flying: output ? Array.from(output.querySelectorAll('.wc-in-flight li')).map(li => li.textContent.trim()) : [],
  written: output ? Array.from(output.querySelectorAll('.wc-records li')).map(li => li.textContent.trim()) : [],
  outputText: output ? output.textContent : '',
  sentToChangelog,
  changelogFlying: changelog ? Array.from(changelog.querySelectorAll('.wc-in-flight li')).map(li => li.textContent.trim()) : [],
  changelogWritten: changelog ? Array.from(changelog.querySelectorAll('.wc-records li')).map(li => li.textContent.trim()) : [],
  alert: (view.querySelector('.error[role="alert"]') || {}).textContent || null,
};
"#;

fn state(h: &Harness) -> Result<Value, Error> {
    h.browser.execute(STATE_SCRIPT, &[json!(OUTPUT)])
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `(“hello”, count 1) → partition 0 of …` → `("hello", "1")`.
fn key_and_count(sent: &str) -> Option<(String, String)> {
    let inner = sent.strip_prefix('(')?;
    let (pair, _) = inner.split_once(')')?;
    let (key, value) = pair.split_once(", ")?;
    let count = value.strip_prefix("count ")?;
    Some((key.trim_matches(['“', '”']).to_string(), count.to_string()))
}

/// Clicks Step and waits until the page shows the next moment (`data-commands` on the view:
/// the commands applied so far) with the current node and the store in the viewport.
fn click_step(h: &Harness, step: u32) -> Result<Value, Error> {
    let before = state(h)?;
    h.browser.find("button.wc-step")?.click()?;
    let mut seen = Value::Null;
    h.browser
        .wait_until(
            &format!("step {step}: the current processor and the store in view"),
            Duration::from_secs(5),
            || {
                let s = state(h)?;
                seen = s.clone();
                Ok((s["node"].is_string()
                    && s["commands"] != before["commands"]
                    && s["currentIn"] == json!(true)
                    && s["storeIn"] == json!(true))
                .then_some(s))
            },
        )
        .map_err(|e| Error::Timeout(format!("{e}\n    last state: {seen}")))
}

/// 1280 × 800: six clicks on Step keep the current processor and the store on screen; then on
/// until the output sink sends, whose record the output panel shows.
pub fn check_steps_on_one_screen(h: &Harness) -> Result<(), Error> {
    // The window is 1280 × 800; its viewport, without the browser's own bars, is less.
    h.browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false }),
    )?;
    h.open("#/wordcount?seed=11")?;
    h.browser
        .wait_for(".wordcount button.wc-example", Duration::from_secs(10))?;
    let size = h
        .browser
        .execute("return [window.innerWidth, window.innerHeight];", &[])?;
    assert_eq!(size, json!([1280, 800]), "the browser's viewport");
    h.browser
        .find(".wordcount button.wc-example:nth-child(2)")?
        .click()?;
    let mut seen = Value::Null;
    for step in 1..=6 {
        seen = click_step(h, step)?;
    }
    assert!(seen["alert"].is_null(), "{seen}");
    h.screenshot("glance-wc-six-steps")?;

    // On, until a sink has sent a count to the output topic: at every step both stay in view,
    // and from the first send on, the output panel shows every record a sink sent.
    let mut step = 6;
    let mut checked = 0;
    while checked < 3 {
        step += 1;
        assert!(step < 60, "the output sink never sent: {seen}");
        seen = click_step(h, step)?;
        // The store's changelog record: the changelog panel agrees with the count() node.
        for c in seen["sentToChangelog"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let text = c["text"].as_str().unwrap_or_default();
            let (key, count) =
                key_and_count(text).unwrap_or_else(|| panic!("changelog line {text:?}"));
            let list = if c["inFlight"] == json!(true) {
                "changelogFlying"
            } else {
                "changelogWritten"
            };
            assert!(
                strings(&seen[list])
                    .iter()
                    .any(|l| l.contains(&format!("{key} → count {count}"))),
                "step {step}: count() sent ({key}, {count}) to the changelog; its panel's {list} lacks it: {seen}"
            );
        }
        let sent: Vec<(String, bool)> = seen["sentToOutput"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        (
                            s["text"].as_str().unwrap_or_default().to_string(),
                            s["inFlight"] == json!(true),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if seen["anySinkSent"] == json!(true) {
            let text = seen["outputText"].as_str().unwrap_or_default();
            assert!(
                !text.contains("No updates yet"),
                "step {step}: a sink sent to {OUTPUT}, yet the panel says none: {seen}"
            );
        }
        for (s, in_flight) in &sent {
            let (key, count) = key_and_count(s).unwrap_or_else(|| panic!("sent line {s:?}"));
            let shown = |list: &Value| {
                strings(list)
                    .iter()
                    .any(|l| l.contains(&format!("{key} → count {count}")))
            };
            // The sink's tag and the panel agree: in flight in both, or written in both.
            let list = if *in_flight { "flying" } else { "written" };
            assert!(
                shown(&seen[list]),
                "step {step}: the sink sent ({key}, {count}) ({list}); the output panel's {list} list lacks it: {seen}"
            );
            if checked == 0 {
                h.screenshot("glance-wc-sink-sent")?;
                h.browser.cdp(
                    "Emulation.setEmulatedMedia",
                    json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
                )?;
                h.screenshot("glance-wc-sink-sent-dark")?;
                h.browser.cdp(
                    "Emulation.setEmulatedMedia",
                    json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
                )?;
            }
            checked += 1;
        }
    }
    Ok(())
}

/// Presses a key through the DevTools protocol (trusted input: Tab moves focus, Enter
/// presses the focused button).
fn press(h: &Harness, key: &str) -> Result<(), Error> {
    let (code, vk, text) = match key {
        "Tab" => ("Tab", 9, None),
        "Enter" => ("Enter", 13, Some("\r")),
        other => panic!("no key {other}"),
    };
    let mut down = json!({ "type": if text.is_some() { "keyDown" } else { "rawKeyDown" },
        "key": key, "code": code, "windowsVirtualKeyCode": vk });
    if let Some(text) = text {
        down["text"] = json!(text);
        down["unmodifiedText"] = json!(text);
    }
    h.browser.cdp("Input.dispatchKeyEvent", down)?;
    h.browser.cdp(
        "Input.dispatchKeyEvent",
        json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk }),
    )?;
    Ok(())
}

/// Tabs until the focused element matches `css` (at most `max` presses).
fn tab_to(h: &Harness, css: &str, max: u32) -> Result<(), Error> {
    for _ in 0..max {
        press(h, "Tab")?;
        let here = h.browser.execute(
            "const a = document.activeElement; return !!(a && a.matches(arguments[0]));",
            &[json!(css)],
        )?;
        if here == json!(true) {
            return Ok(());
        }
    }
    let active = h.browser.execute(
        "const a = document.activeElement; return a ? a.outerHTML.slice(0, 120) : null;",
        &[],
    )?;
    Err(Error::Timeout(format!(
        "{max} Tabs did not reach {css}; focus is on {active}"
    )))
}

/// Keyboard only: Tab to the first example line, Enter; Tab to Next processor, Enter: source,
/// flatMapValues, groupBy's key selection, then twenty more steps into sub-topology 1, each
/// current node in view.
pub fn check_keyboard_only(h: &Harness) -> Result<(), Error> {
    // With less motion asked for, the current node jumps into view (no smooth scroll).
    h.browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
    )?;
    h.open("#/wordcount?seed=5")?;
    h.browser
        .wait_for(".wordcount button.wc-step", Duration::from_secs(10))?;
    tab_to(h, ".wordcount button.wc-example", 40)?;
    press(h, "Enter")?;
    tab_to(h, ".wordcount button.wc-step", 20)?;
    let want = [
        "KSTREAM-SOURCE-0000000000",
        "KSTREAM-FLATMAPVALUES-0000000001",
        "KSTREAM-KEY-SELECT-0000000002",
    ];
    for node in want {
        press(h, "Enter")?;
        let mut seen = Value::Null;
        h.browser
            .wait_until(
                &format!("Enter steps to {node}"),
                Duration::from_secs(5),
                || {
                    seen = state(h)?;
                    Ok((seen["node"] == json!(node)).then_some(()))
                },
            )
            .map_err(|e| Error::Timeout(format!("{e}\n    last state: {seen}")))?;
    }
    // On through the repartition topic into sub-topology 1: each Enter steps, and the current
    // node is in view at once (no smooth scroll under reduced motion).
    for i in 0..20 {
        let before = state(h)?;
        press(h, "Enter")?;
        let mut seen = Value::Null;
        h.browser
            .wait_until(
                &format!("Enter {} steps, the node in view", i + 4),
                Duration::from_secs(5),
                || {
                    seen = state(h)?;
                    Ok(
                        (seen["commands"] != before["commands"]
                            && seen["currentIn"] == json!(true))
                        .then_some(()),
                    )
                },
            )
            .map_err(|e| Error::Timeout(format!("{e}\n    last state: {seen}")))?;
    }
    let last = state(h)?;
    assert_eq!(
        last["sub"],
        json!(1),
        "23 steps reach sub-topology 1: {last}"
    );
    let focused = h.browser.execute(
        "return document.activeElement && document.activeElement.matches('button.wc-step');",
        &[],
    )?;
    assert_eq!(focused, json!(true), "focus stays on Next processor");
    // With nothing focused (the body), → still steps: the keys work page-wide.
    h.browser.execute("document.activeElement.blur();", &[])?;
    let before = state(h)?;
    h.browser.keys("\u{E014}")?;
    let mut seen = Value::Null;
    h.browser
        .wait_until("→ on the body steps", Duration::from_secs(5), || {
            seen = state(h)?;
            Ok((seen["commands"] != before["commands"]).then_some(()))
        })
        .map_err(|e| Error::Timeout(format!("{e}\n    last state: {seen}")))?;
    // A shortened name opens by keyboard to Kafka's full name.
    tab_to(h, ".wc-node .wc-name > summary", 10)?;
    press(h, "Enter")?;
    let mut seen = Value::Null;
    h.browser
        .wait_until("the full name shown", Duration::from_secs(5), || {
            seen = h.browser.execute(
                "const d = document.activeElement.closest('details.wc-name'); \
                 const full = d && d.querySelector('.wc-full'); \
                 return { open: !!(d && d.open), full: full ? full.textContent : null, \
                   shown: !!(full && full.getBoundingClientRect().width > 0), \
                   node: d ? d.closest('.wc-node').dataset.node : null };",
                &[],
            )?;
            Ok((seen["open"] == json!(true) && seen["shown"] == json!(true)).then_some(()))
        })
        .map_err(|e| Error::Timeout(format!("{e}\n    last: {seen}")))?;
    assert_eq!(
        seen["full"], seen["node"],
        "the full name is Kafka's: {seen}"
    );
    h.screenshot("glance-wc-full-name")?;
    h.screenshot("glance-wc-keyboard")?;
    h.expect_no_panic_banner("glance-wc-keyboard")
}

/// In an iframe of `width` × `height`: where the topology starts, and any visible text under
/// 11 px (up to 8 of them).
const FRAME_PROBE: &str = r#"
const topo = d.querySelector('.wordcount .wc-topology .wc-node');
if (!topo) return null;
const diagram = d.querySelector('.wordcount .wc-topology').getBoundingClientRect();
const small = [];
let texts = 0;
const walker = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!n.textContent.trim()) continue;
  const el = n.parentElement;
  if (!el || el.closest('.sr-only, script, style, template')) continue;
  const range = d.createRange();
  range.selectNodeContents(n);
  const r = range.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) continue;
  const cs = w.getComputedStyle(el);
  if (cs.visibility !== 'visible' || Number(cs.opacity) === 0) continue;
  texts++;
  const px = parseFloat(cs.fontSize);
  if (px < 11 && small.length < 8) small.push(px + 'px: ' + n.textContent.trim().slice(0, 40));
}
return { inner: [w.innerWidth, w.innerHeight], scrollY: w.scrollY, diagramTop: diagram.top, texts, small,
  scrollWidth: d.documentElement.scrollWidth, clientWidth: d.documentElement.clientWidth };
"#;

/// 640 × 400 and 360 × 640: the diagram's box starts on the first screen, no visible text is
/// under 11 px, nothing scrolls sideways.
pub fn check_small_frames(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons")?;
    for (width, height) in [(640u32, 400u32), (360, 640)] {
        let report = super::narrow::probe_in_frame(h, width, height, "#/wordcount", FRAME_PROBE)?;
        h.screenshot_of(&format!("glance-wc-{width}x{height}"), "#frame-probe")?;
        assert_eq!(report["inner"], json!([width, height]), "{report}");
        assert_eq!(report["scrollY"], json!(0), "{report}");
        let top = report["diagramTop"].as_f64().unwrap_or(f64::MAX);
        assert!(
            top < f64::from(height),
            "at {width} × {height} the topology starts at {top} px, below the first screen: {report}"
        );
        assert!(
            report["texts"].as_u64().unwrap_or(0) > 20,
            "the probe saw the page's text: {report}"
        );
        assert_eq!(
            report["small"],
            json!([]),
            "text under 11 px at {width} × {height}: {report}"
        );
        assert!(
            report["scrollWidth"].as_f64() <= report["clientWidth"].as_f64(),
            "scrolls sideways at {width} px: {report}"
        );
    }
    h.expect_no_panic_banner("glance-wc-small")
}
