//! Issue 19 for the Playground ("learnable at a glance"), driven as a learner would: the record
//! card opens as a popover beside its cell and inside the viewport; each consumer box carries
//! its own Crash button inside the diagram; a crashed consumer stays drawn while its group
//! counts down session.timeout.ms, then the group shows the new generation and who owns what;
//! Space plays and pauses with nothing focused; rewinding shows a "Back to live" bar and acting
//! there says the recorded future was replaced; the whole path works from the keyboard alone;
//! at 640 × 400 and 360 × 640 the diagram starts on the first screen and no visible text is
//! under 11 px.

use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Error;
use crate::Harness;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const ESCAPE: &str = "\u{E00C}";

/// A group needs ~3 s of virtual time to become Stable, plus the wasm start-up.
const STABLE: Duration = Duration::from_secs(20);
const RENDER: Duration = Duration::from_secs(5);
/// At 20× the 45 s session timeout is ~2.3 s of wall time; a loaded machine gets slack.
const CRASH: Duration = Duration::from_secs(30);

/// What the glance checks read, in one round trip.
const GLANCE_SCRIPT: &str = r#"
const pg = document.querySelector('main#view[data-view="playground"] .playground');
if (!pg) return null;
const svg = pg.querySelector('.diagram .diagram-stage svg:not(.flights-layer)');
const rect = el => { if (!el) return null; const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; };
const card = pg.querySelector('section.card.popover');
const toggle = Array.from(pg.querySelectorAll('.controls button'))
  .map(b => b.textContent.trim()).find(t => t === 'Pause' || t === 'Play');
const active = document.activeElement;
return {
  toggle: toggle || null,
  scrollY: window.scrollY,
  vw: document.documentElement.clientWidth,
  vh: document.documentElement.clientHeight,
  card: card ? { rect: rect(card), text: card.innerText, partition: card.getAttribute('data-partition'), offset: card.getAttribute('data-offset'),
    anchor: card.getAttribute('data-anchor'),
    cell: rect(svg && svg.querySelector('g.lane[data-partition="' + card.getAttribute('data-partition') + '"] g.cell[data-offset="' + card.getAttribute('data-offset') + '"]')) } : null,
  consumers: Array.from(svg ? svg.querySelectorAll('g.consumer') : []).map(g => ({
    id: g.getAttribute('data-consumer'),
    state: g.getAttribute('data-state'),
    text: Array.from(g.querySelectorAll('text')).map(t => t.textContent).join(' | '),
    crash: Array.from(g.querySelectorAll('button')).filter(b => (b.getAttribute('aria-label') || '').startsWith('Crash consumer-'))
      .map(b => ({ label: b.getAttribute('aria-label'), inSvg: b.closest('svg') === svg })),
  })),
  cells: Array.from(svg ? svg.querySelectorAll('g.cell') : []).map(c => ({
    offset: c.getAttribute('data-offset'), key: c.getAttribute('data-key'),
    title: (c.querySelector(':scope > title') || {}).textContent || null, tabindex: c.getAttribute('tabindex'),
    text: (c.querySelector('text') || {}).textContent || '',
  })),
  groups: Array.from(pg.querySelectorAll('.diagram-strip .group-bar')).map(g => ({
    group: g.getAttribute('data-group'), state: g.getAttribute('data-state'),
    generation: Number(g.getAttribute('data-generation')),
    countdown: Array.from(g.querySelectorAll('.countdown')).map(c => c.textContent),
    rebalance: (g.querySelector('.rebalance') || {}).innerText || null,
  })),
  legend: Array.from(pg.querySelectorAll('.key-legend li')).map(l => l.getAttribute('data-key')),
  meta: Array.from(pg.querySelectorAll('.diagram g.lane .lane-meta')).map(t => t.textContent),
  rewound: (pg.querySelector('.rewound-bar') || {}).innerText || null,
  log: Array.from(pg.querySelectorAll('.event-log ol li')).slice(0, 60).map(l => l.textContent),
  replaced: (pg.querySelector('.replaced-note') || {}).innerText || null,
  active: active ? {
    tag: active.tagName.toLowerCase(), id: active.id || null, text: (active.textContent || '').trim().slice(0, 40),
    label: active.getAttribute('aria-label'), cell: active.matches('g.cell'),
    partition: active.closest('g.lane') ? active.closest('g.lane').getAttribute('data-partition') : null,
    offset: active.getAttribute('data-offset'), inCard: !!active.closest('section.card'),
  } : null,
};
"#;

/// The accessible name Chromium computes for the first element `css` selects (the DevTools
/// protocol's accessibility tree), or "" if it has none.
fn accessible_name(h: &Harness, css: &str) -> Result<String, Error> {
    let doc = h.browser.cdp("DOM.getDocument", json!({ "depth": 0 }))?;
    let found = h.browser.cdp(
        "DOM.querySelector",
        json!({ "nodeId": doc["root"]["nodeId"], "selector": css }),
    )?;
    let tree = h.browser.cdp(
        "Accessibility.getPartialAXTree",
        json!({ "nodeId": found["nodeId"], "fetchRelatives": false }),
    )?;
    Ok(tree["nodes"][0]["name"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

fn glance(h: &Harness) -> Result<Value, Error> {
    h.browser.execute(GLANCE_SCRIPT, &[])
}

/// Waits until `pred` holds for the glance state; the error quotes the last one seen.
fn wait(
    h: &Harness,
    what: &str,
    timeout: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Result<Value, Error> {
    let mut seen = Value::Null;
    h.browser
        .wait_until(what, timeout, || {
            let v = glance(h)?;
            seen = v.clone();
            Ok((!v.is_null() && pred(&v)).then_some(v))
        })
        .map_err(|e| Error::Timeout(format!("{e}\n    last glance: {seen:#}")))
}

fn stable_billing(v: &Value) -> Option<&Value> {
    v["groups"]
        .as_array()?
        .iter()
        .find(|g| g["group"] == "billing" && g["state"] == "Stable")
}

fn inside_viewport(v: &Value, r: &Value) -> bool {
    let (vw, vh) = (
        v["vw"].as_f64().unwrap_or(0.0),
        v["vh"].as_f64().unwrap_or(0.0),
    );
    r["left"].as_f64().unwrap_or(-1.0) >= 0.0
        && r["top"].as_f64().unwrap_or(-1.0) >= 0.0
        && r["right"].as_f64().unwrap_or(f64::MAX) <= vw + 0.5
        && r["bottom"].as_f64().unwrap_or(f64::MAX) <= vh + 0.5
        && r["width"].as_f64().unwrap_or(0.0) > 0.0
}

fn produce(h: &Harness, messages: &[&str]) -> Result<(), Error> {
    let input = h.browser.find("input#produce-input")?;
    for m in messages {
        input.send_keys(&format!("{m}{ENTER}"))?;
    }
    Ok(())
}

/// Crash a consumer from its box, watch its box stay, the countdown, then the new generation.
fn crash_and_watch(
    h: &Harness,
    how: &str,
    crash: impl FnOnce() -> Result<String, Error>,
) -> Result<(), Error> {
    let before = wait(h, "billing Stable with two consumers", STABLE, |v| {
        stable_billing(v).is_some() && v["consumers"].as_array().is_some_and(|c| c.len() == 2)
    })?;
    let generation = stable_billing(&before).unwrap()["generation"]
        .as_i64()
        .unwrap();
    let victim = crash()?;
    let waiting = wait(
        h,
        &format!("{victim}'s box still drawn, crashed, and the countdown"),
        CRASH,
        |v| {
            let drawn = v["consumers"].as_array().is_some_and(|cs| {
                cs.iter().any(|c| {
                    c["state"] == "crashed"
                        && c["text"].as_str().is_some_and(|t| {
                            t.contains("crashed") && t.contains(victim.trim_start_matches("Crash "))
                        })
                })
            });
            let counting = v["groups"].as_array().is_some_and(|gs| {
                gs.iter().any(|g| {
                    g["group"] == "billing"
                        && g["countdown"].as_array().is_some_and(|c| {
                            c.iter().any(|t| {
                                t.as_str().is_some_and(|t| {
                                    t.contains("crashed")
                                        && t.contains("rebalance in")
                                        && t.contains("session.timeout.ms")
                                })
                            })
                        })
                })
            });
            drawn && counting
        },
    )?;
    eprintln!("{how}: while waiting: {}", waiting["groups"]);
    // The event log names the consumer as Kafka does (its client.id), never by an engine number.
    let client = victim.trim_start_matches("Crash ").to_owned();
    wait(
        h,
        &format!("the event log to say {client} crashed"),
        RENDER,
        |v| {
            v["log"].as_array().is_some_and(|lines| {
                lines.iter().any(|l| {
                    l.as_str()
                        .is_some_and(|l| l.contains(&format!("{client} crashed")))
                })
            })
        },
    )?;
    h.screenshot(&format!("glance-{how}-countdown"))?;
    let after = wait(h, "the new generation and who owns what", CRASH, |v| {
        v["groups"].as_array().is_some_and(|gs| {
            gs.iter().any(|g| {
                g["group"] == "billing"
                    && g["state"] == "Stable"
                    && g["generation"].as_i64().is_some_and(|n| n > generation)
                    && g["rebalance"].as_str().is_some_and(|t| {
                        t.contains(&format!("generation {generation} → {}", generation + 1))
                            && t.contains("P0: ")
                    })
            })
        }) && v["consumers"]
            .as_array()
            .is_some_and(|c| c.len() == 1 && c[0]["state"] == "active")
    })?;
    eprintln!("{how}: after: {}", after["groups"]);
    h.screenshot(&format!("glance-{how}-rebalanced"))?;
    Ok(())
}

/// At 1280 × 800: the card popover, the crash control in the diagram, the countdown and the
/// new generation, Space with the body focused, the rewound bar and the replaced future.
pub fn check_glance(h: &Harness) -> Result<(), Error> {
    h.open("#/playground?seed=3&speed=20")?;
    let ready = wait(h, "billing Stable", STABLE, |v| stable_billing(v).is_some())?;
    for c in ready["consumers"].as_array().unwrap() {
        let crash = c["crash"].as_array().unwrap();
        assert!(
            crash.len() == 1 && crash[0]["inSvg"] == true,
            "each consumer box has its Crash button inside the diagram: {c}"
        );
        assert!(
            c["text"].as_str().unwrap().contains("consumer-billing-"),
            "Kafka's client.id: {c}"
        );
    }
    produce(h, &["alice:1", "bob:2", "carol:3", "dave:4"])?;
    let cells = wait(h, "four cells", RENDER, |v| {
        v["cells"].as_array().is_some_and(|c| c.len() >= 4)
    })?;
    for c in cells["cells"].as_array().unwrap() {
        let key = c["key"].as_str().unwrap();
        let text = c["text"].as_str().unwrap();
        assert!(
            text.len() >= 3 && key.starts_with(text),
            "the cell shows its key's text: {c}"
        );
        assert_eq!(c["tabindex"], "0", "{c}");
        assert!(
            c["title"].as_str().unwrap().contains(&format!("key {key}")),
            "{c}"
        );
    }
    // The title is what assistive technology reads: the cell's accessible name as Chromium
    // computes it (SVG-AAM: a `<title>` child names its element).
    let first = &cells["cells"][0];
    let name = accessible_name(
        h,
        &format!(
            ".diagram g.cell[data-offset=\"{}\"][data-key=\"{}\"]",
            first["offset"].as_str().unwrap(),
            first["key"].as_str().unwrap()
        ),
    )?;
    assert_eq!(
        Some(name.as_str()),
        first["title"].as_str(),
        "the cell's accessible name is its title: {first}"
    );
    let legend = wait(h, "the legend lists the keys", RENDER, |v| {
        v["legend"].as_array().is_some_and(|l| l.len() >= 4)
    })?;
    assert!(
        legend["meta"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m.as_str().unwrap().starts_with("end offset ")),
        "{}",
        legend["meta"]
    );

    // Click a cell: the card opens beside it, inside the viewport.
    h.browser
        .find(".diagram g.lane g.cell[data-key=\"carol\"]")?
        .click()?;
    let open = wait(h, "the record card", RENDER, |v| v["card"].is_object())?;
    assert!(
        inside_viewport(&open, &open["card"]["rect"]),
        "the card lies inside the viewport: {}",
        open["card"]
    );
    assert!(
        open["card"]["text"].as_str().unwrap().contains("carol"),
        "{}",
        open["card"]
    );
    h.screenshot("glance-card")?;
    h.browser
        .find("section.card.popover button.close")?
        .click()?;
    wait(h, "the card to close", RENDER, |v| v["card"].is_null())?;

    // Space with the body focused plays and pauses, and does not scroll the page.
    h.browser.execute(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);",
        &[],
    )?;
    let was = glance(h)?;
    let first = was["toggle"].as_str().unwrap().to_owned();
    h.browser.keys(" ")?;
    let flipped = wait(h, "Space to toggle play", RENDER, |v| {
        v["toggle"].as_str().is_some_and(|t| t != first)
    })?;
    assert_eq!(
        flipped["scrollY"],
        json!(0),
        "Space must not scroll the page"
    );
    h.browser.keys(" ")?;
    wait(h, "Space to toggle back", RENDER, |v| {
        v["toggle"].as_str() == Some(first.as_str())
    })?;

    // The crash, from the box in the diagram.
    crash_and_watch(h, "click", || {
        let button = h
            .browser
            .find(".diagram svg g.consumer button[aria-label^=\"Crash consumer-billing-\"]")?;
        let label = button.attribute("aria-label")?.unwrap_or_default();
        button.click()?;
        Ok(label)
    })?;

    // Rewind: a bar says so; acting there says the recorded future was replaced.
    let now: u64 = h
        .browser
        .find("label.timeline")?
        .attribute("data-now")?
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    h.browser.execute(
        r#"const r = document.querySelector('label.timeline input[type="range"]');
           r.value = String(arguments[0]); r.dispatchEvent(new InputEvent('input', { bubbles: true }));"#,
        &[json!(now / 2)],
    )?;
    let rewound = wait(h, "the rewound bar", RENDER, |v| {
        v["rewound"]
            .as_str()
            .is_some_and(|t| t.contains("Viewing t ="))
    })?;
    h.screenshot("glance-rewound")?;
    eprintln!("rewound: {}", rewound["rewound"]);
    h.browser
        .find(".rewound-bar button.back-to-live")?
        .click()?;
    wait(h, "back to live", RENDER, |v| v["rewound"].is_null())?;
    h.browser.execute(
        r#"const r = document.querySelector('label.timeline input[type="range"]');
           r.value = String(arguments[0]); r.dispatchEvent(new InputEvent('input', { bubbles: true }));"#,
        &[json!(now / 2)],
    )?;
    wait(h, "rewound again", RENDER, |v| v["rewound"].is_string())?;
    produce(h, &["zed:9"])?;
    let replaced = wait(h, "the note that the future was replaced", RENDER, |v| {
        v["replaced"]
            .as_str()
            .is_some_and(|t| t.contains("was dropped"))
            && v["rewound"].is_null()
    })?;
    eprintln!("replaced: {}", replaced["replaced"]);
    h.screenshot("glance-replaced")?;
    // The same scene in the dark theme, for a look at the cells' letters and the boxes.
    h.browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )?;
    produce(h, &["erin:5", "frank:6"])?;
    wait(h, "the new cells", RENDER, |v| {
        v["cells"].as_array().is_some_and(|c| c.len() >= 6)
    })?;
    h.screenshot("glance-dark")?;
    h.expect_no_panic_banner("glance")
}

/// Presses Tab until `pred` holds for the focused element (at most `limit` presses).
fn tab_to(
    h: &Harness,
    what: &str,
    limit: usize,
    pred: impl Fn(&Value) -> bool,
) -> Result<Value, Error> {
    for _ in 0..limit {
        h.browser.keys(TAB)?;
        let v = glance(h)?;
        if pred(&v["active"]) {
            return Ok(v);
        }
    }
    let v = glance(h)?;
    Err(Error::Timeout(format!(
        "Tab never reached {what} in {limit} presses; focus is on {}",
        v["active"]
    )))
}

/// Keyboard only: the skip link, typing records, Tab to a cell, Enter opens its card, Esc
/// closes it and focus returns to the cell, Tab to a Crash button and press it.
pub fn check_keyboard_only(h: &Harness) -> Result<(), Error> {
    h.open("#/playground?seed=3&speed=20")?;
    wait(h, "billing Stable", STABLE, |v| stable_billing(v).is_some())?;
    let first = tab_to(h, "the skip link", 1, |a| a["text"] == "Skip to the view")?;
    assert_eq!(first["active"]["tag"], "a");
    h.browser.keys(ENTER)?;
    let skipped = glance(h)?;
    assert_eq!(
        skipped["active"]["tag"], "main",
        "the skip link moves focus to the view"
    );
    tab_to(h, "the producer's input", 30, |a| {
        a["id"] == "produce-input"
    })?;
    h.browser
        .keys(&format!("alice:1{ENTER}bob:2{ENTER}carol:3{ENTER}"))?;
    wait(h, "three cells", RENDER, |v| {
        v["cells"].as_array().is_some_and(|c| c.len() >= 3)
    })?;
    let at_cell = tab_to(h, "a record cell", 60, |a| a["cell"] == true)?;
    let (partition, offset) = (
        at_cell["active"]["partition"].clone(),
        at_cell["active"]["offset"].clone(),
    );
    h.screenshot("glance-keyboard-cell")?;
    h.browser.keys(ENTER)?;
    let open = wait(h, "Enter to open the card, focus inside it", RENDER, |v| {
        v["card"].is_object() && v["active"]["inCard"] == true
    })?;
    assert!(
        inside_viewport(&open, &open["card"]["rect"]),
        "{}",
        open["card"]
    );
    assert_eq!(
        (&open["card"]["partition"], &open["card"]["offset"]),
        (&partition, &offset)
    );
    h.screenshot("glance-keyboard-card")?;
    h.browser.keys(ESCAPE)?;
    let closed = wait(h, "Esc to close the card", RENDER, |v| v["card"].is_null())?;
    assert!(
        closed["active"]["cell"] == true
            && closed["active"]["partition"] == partition
            && closed["active"]["offset"] == offset,
        "focus returns to the cell: {}",
        closed["active"]
    );
    crash_and_watch(h, "keyboard", || {
        let v = tab_to(h, "a Crash button", 80, |a| {
            a["tag"] == "button"
                && a["label"]
                    .as_str()
                    .is_some_and(|l| l.starts_with("Crash consumer-billing-"))
        })?;
        h.browser.keys(ENTER)?;
        Ok(v["active"]["label"].as_str().unwrap_or_default().to_owned())
    })?;
    h.expect_no_panic_banner("glance keyboard")
}

/// Loads the Playground in a same-origin iframe of `width` × `height` and reports where the
/// diagram starts and every visible text drawn under 11 px (CSS font size × the SVG's scale
/// for text inside the drawing).
const FRAME_PROBE: &str = r#"
const svg = d.querySelector('.playground .diagram .diagram-stage svg:not(.flights-layer)');
if (!svg || !d.querySelector('.playground .diagram g.consumer')) return null;
const small = [];
let checked = 0;
for (const el of d.querySelectorAll('body *')) {
  if (['script', 'style', 'title', 'option'].includes(el.tagName.toLowerCase())) continue;
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() !== '');
  if (!own) continue;
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  const cs = w.getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none' || el.closest('.sr-only, [hidden], details:not([open]) > :not(summary)')) continue;
  const inSvg = el.closest('svg');
  const scale = inSvg && inSvg.getScreenCTM() ? inSvg.getScreenCTM().a : 1;
  const px = parseFloat(cs.fontSize) * scale;
  checked++;
  if (px < 10.95) small.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' "' + el.textContent.trim().slice(0, 30) + '" ' + px.toFixed(2) + 'px');
}
const de = d.documentElement;
const r = svg.getBoundingClientRect();
const header = d.querySelector('header');
const hr = header.getBoundingClientRect();
const links = Array.from(header.querySelectorAll('a, button')).filter(e => e.getBoundingClientRect().width > 0)
  .filter(e => { const b = e.getBoundingClientRect(); return b.right > hr.right + 0.5 || b.left < hr.left - 0.5; })
  .map(e => e.textContent.trim());
return { inner: w.innerWidth, innerH: w.innerHeight, svgTop: r.top, svgBottom: r.bottom, checked, small: small.slice(0, 12),
  header: hr.height, headerOut: links,
  scroll: Math.max(de.scrollWidth, d.body.scrollWidth), client: de.clientWidth };
"#;

/// At 640 × 400 and 360 × 640: the diagram starts on the first screen; no visible text is
/// under 11 px; nothing scrolls sideways; every header control is inside the header. At
/// 640 × 400 the header is one row (at most 40 px) and the whole drawing is on the first screen.
pub fn check_small_frames(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons")?;
    for (width, height) in [(640u32, 400u32), (360, 640)] {
        let report =
            super::narrow::probe_in_frame(h, width, height, "#/playground?seed=3", FRAME_PROBE)?;
        h.screenshot_of(&format!("glance-{width}x{height}"), "#frame-probe")?;
        eprintln!("{width}×{height}: {report}");
        assert_eq!(report["inner"], json!(width), "{report}");
        let top = report["svgTop"].as_f64().unwrap();
        assert!(
            top >= 0.0 && top < f64::from(height) - 40.0,
            "the diagram starts on the first screen: {report}"
        );
        assert!(report["checked"].as_u64().unwrap() > 20, "{report}");
        assert_eq!(
            report["headerOut"],
            json!([]),
            "every header control inside the header: {report}"
        );
        if height <= 500 {
            // A short frame: the header is one compact row and the whole drawing is on the
            // first screen, not only its top.
            let header = report["header"].as_f64().unwrap();
            assert!(header <= 40.0, "the header takes {header} px: {report}");
            let bottom = report["svgBottom"].as_f64().unwrap();
            assert!(
                bottom <= f64::from(height),
                "the drawing ends below the first screen: {report}"
            );
        }
        assert_eq!(
            report["small"],
            json!([]),
            "text under 11 px at {width} × {height}: {report}"
        );
        assert!(
            report["scroll"].as_f64() <= report["client"].as_f64(),
            "scrolls sideways: {report}"
        );
    }
    h.expect_no_panic_banner("glance small frames")
}

/// The gap between two rectangles (0 when they touch or overlap).
fn gap_between(a: &Value, b: &Value) -> f64 {
    let f = |r: &Value, k: &str| r[k].as_f64().unwrap_or(f64::NAN);
    let dx = (f(a, "left") - f(b, "right"))
        .max(f(b, "left") - f(a, "right"))
        .max(0.0);
    let dy = (f(a, "top") - f(b, "bottom"))
        .max(f(b, "top") - f(a, "bottom"))
        .max(0.0);
    dx.hypot(dy)
}

/// The offsets of the drawn cells whose key is `key`.
fn lane_cells(v: &Value, key: &str) -> Vec<u64> {
    v["cells"].as_array().map_or_else(Vec::new, |cells| {
        cells
            .iter()
            .filter(|c| c["key"] == key)
            .filter_map(|c| c["offset"].as_str()?.parse().ok())
            .collect()
    })
}

/// The record card follows its cell while the lane moves on, and when the cell slides off the
/// lane the card says so and stands by the lane's start: it never points at nothing.
pub fn check_card_follows_its_cell(h: &Harness) -> Result<(), Error> {
    h.open("#/playground?seed=3&speed=20")?;
    wait(h, "billing Stable", STABLE, |v| stable_billing(v).is_some())?;
    // One key, so every record lands in one lane; enough to fill it.
    let batch: Vec<String> = (0..16).map(|i| format!("ann:{i}")).collect();
    let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
    produce(h, &batch)?;
    let full = wait(h, "ann's lane to fill", RENDER, |v| {
        lane_cells(v, "ann").iter().max() == Some(&15)
    })?;
    let drawn = lane_cells(&full, "ann").len() as u64;
    eprintln!("the lane draws {drawn} cells");
    // The newest cell: the lane moves it left as records arrive.
    h.browser
        .find(".diagram g.lane g.cell[data-key=\"ann\"][data-offset=\"15\"]")?
        .click()?;
    let open = wait(h, "the card beside offset 15", RENDER, |v| {
        v["card"]["cell"].is_object()
    })?;
    let first_left = open["card"]["cell"]["left"].as_f64().unwrap();
    assert!(
        gap_between(&open["card"]["rect"], &open["card"]["cell"]) <= 12.0,
        "the card opens beside its cell: {}",
        open["card"]
    );
    produce(h, &["ann:16", "ann:17", "ann:18"])?;
    let moved = wait(h, "the cell to move and the card with it", RENDER, |v| {
        v["card"]["cell"]["left"]
            .as_f64()
            .is_some_and(|l| l < first_left - 10.0)
            && gap_between(&v["card"]["rect"], &v["card"]["cell"]) <= 12.0
    })?;
    eprintln!(
        "moved: cell {} card {}",
        moved["card"]["cell"], moved["card"]["rect"]
    );
    h.screenshot("glance-card-follows")?;
    // Push offset 15 off the lane's start.
    let more: Vec<String> = (19..19 + drawn).map(|i| format!("ann:{i}")).collect();
    let more: Vec<&str> = more.iter().map(String::as_str).collect();
    produce(h, &more)?;
    let gone = wait(
        h,
        "the card to say its cell slid off the lane",
        RENDER,
        |v| {
            v["card"]["anchor"] == "lane"
                && v["card"]["cell"].is_null()
                && v["card"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("Offset 15 has slid off the start of lane"))
        },
    )?;
    assert!(
        inside_viewport(&gone, &gone["card"]["rect"]),
        "{}",
        gone["card"]
    );
    h.screenshot("glance-card-slid-off")?;
    h.expect_no_panic_banner("glance card follows")
}
