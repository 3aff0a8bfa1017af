//! The WordCount and EDA-vs-SOA views at 360 px (a phone, a small iframe) and at 640 × 400 (the
//! design's embed size): loaded in a same-origin iframe of that size, the page must not scroll
//! sideways and each key control must be on screen.

use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Error;
use crate::Harness;

/// Opens `hash` in a same-origin iframe of `width` × `height` (reused while the size stays the
/// same), then runs `probe` inside it until it returns something other than `null`. `probe` is
/// a script body that sees the frame as `f`, its document as `d` and its window as `w`.
pub fn probe_in_frame(
    h: &Harness,
    width: u32,
    height: u32,
    hash: &str,
    probe: &str,
) -> Result<Value, Error> {
    let script = format!(
        r#"
const [width, height, hash] = arguments;
let f = document.getElementById('frame-probe');
if (!f) {{
  f = document.createElement('iframe');
  f.id = 'frame-probe';
  f.style.cssText = 'position:fixed;left:0;top:0;border:0;z-index:2147483647;background:#fff';
  document.body.append(f);
}}
if (f.getAttribute('data-for') !== width + 'x' + height + hash) {{
  f.setAttribute('data-for', width + 'x' + height + hash);
  f.style.width = width + 'px';
  f.style.height = height + 'px';
  f.src = location.href.split('#')[0] + hash;
  return null;
}}
const d = f.contentDocument, w = f.contentWindow;
if (!d) return null;
{probe}"#
    );
    h.browser.wait_value(
        &format!("{hash} in a {width} × {height} iframe"),
        Duration::from_secs(20),
        || {
            h.browser
                .execute(&script, &[json!(width), json!(height), json!(hash)])
        },
        |_| true,
    )
}

/// Arguments: width, height, hash, the selector that means "rendered", the key controls.
/// Returns `null` until the iframe shows the view, then what overflows.
const EMBED_SCRIPT: &str = r#"
const [width, height, hash, ready, keys] = arguments;
let f = document.getElementById('narrow-probe');
if (!f) {
  f = document.createElement('iframe');
  f.id = 'narrow-probe';
  f.style.cssText = 'position:fixed;left:0;top:0;border:0;z-index:2147483647;background:#fff';
  document.body.append(f);
}
if (f.getAttribute('data-for') !== width + hash) {
  f.setAttribute('data-for', width + hash);
  f.style.width = width + 'px';
  f.style.height = height + 'px';
  f.src = location.href.split('#')[0] + hash;
  return null;
}
const d = f.contentDocument;
if (!d || !d.querySelector(ready)) return null;
const de = d.documentElement;
const off = [];
for (const css of keys) {
  const el = d.querySelector(css);
  if (!el) { off.push(css + ': missing'); continue; }
  const r = el.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) off.push(css + ': not displayed');
  else if (r.left < 0 || r.right > de.clientWidth + 0.5) off.push(css + ': x ' + r.left + '..' + r.right);
}
const wide = Array.from(d.querySelectorAll('main *'))
  .filter(el => el.getBoundingClientRect().right > de.clientWidth + 0.5 && !el.closest('.table-scroll'))
  .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
return { inner: f.contentWindow.innerWidth, scroll: Math.max(de.scrollWidth, d.body.scrollWidth), client: de.clientWidth, off, wide };
"#;

fn check_view(
    h: &Harness,
    hash: &str,
    ready: &str,
    keys: &[&str],
    name: &str,
) -> Result<(), Error> {
    h.open("#/lessons")?;
    for (width, height) in [(360u32, 640u32), (640, 400)] {
        let report = h.browser.wait_value(
            &format!("{hash} in a {width} px iframe"),
            std::time::Duration::from_secs(20),
            || {
                h.browser.execute(
                    EMBED_SCRIPT,
                    &[
                        json!(width),
                        json!(height),
                        json!(hash),
                        json!(ready),
                        json!(keys),
                    ],
                )
            },
            |_| true,
        )?;
        h.screenshot_of(&format!("{name}-{width}px"), "#narrow-probe")?;
        assert_eq!(report["inner"], json!(width), "{report}");
        assert!(
            report["scroll"].as_f64() <= report["client"].as_f64(),
            "{hash} at {width} px scrolls sideways: {report}"
        );
        assert_eq!(report["off"], json!([]), "{hash} at {width} px: {report}");
    }
    h.expect_no_panic_banner(name)
}

pub fn check_wordcount(h: &Harness) -> Result<(), Error> {
    check_view(
        h,
        "#/wordcount?partitions=4",
        ".wordcount .wc-node",
        &[
            ".wc-line",
            "button.wc-step",
            "button.wc-record",
            "button.wc-play",
            "button.wc-back",
            "button.wc-setup-toggle",
            "button.wc-example",
        ],
        "wordcount",
    )
}

pub fn check_compare(h: &Harness) -> Result<(), Error> {
    check_view(
        h,
        "#/eda-vs-soa?flow=order",
        ".compare .cmp-diagram",
        &[
            "button.cmp-play",
            ".cmp-flow",
            ".cmp-fanout",
            "button.cmp-spike",
            "button.cmp-add",
            "td[data-metric=success][data-side=soa]",
            "td[data-metric=success][data-side=eda]",
        ],
        "eda-vs-soa",
    )
}

/// The four newer lessons in 360 px and 640 × 400 iframes: no sideways scroll, the narration
/// and its buttons on screen, and the narration above the lesson's view; at 640 × 400 the
/// narration folds to the step's task and a "More" disclosure, so the view is on the first
/// screen.
pub fn check_lessons(h: &Harness) -> Result<(), Error> {
    const ORDER: &str = r#"
const d = document.getElementById('narrow-probe').contentDocument;
const n = d.querySelector('.lessons.narration'), v = d.querySelector('.lesson-view');
return n && v ? [n.getBoundingClientRect().bottom, v.getBoundingClientRect().top] : null;
"#;
    for id in ["compaction", "assignors", "requests-vs-events", "wordcount"] {
        check_view(
            h,
            &format!("#/lessons/{id}"),
            ".lesson-view > *",
            &[
                ".lessons.narration",
                ".lessons .step-count",
                ".lessons .lesson-actions button",
                ".lesson-view",
            ],
            &format!("lesson-{id}"),
        )?;
        let order = h.browser.execute(ORDER, &[])?;
        let (bottom, top) = (order[0].as_f64(), order[1].as_f64());
        assert!(
            bottom.zip(top).is_some_and(|(b, t)| b <= t + 0.5),
            "{id}: the narration is above the view: {order}"
        );
        // 640 × 400 (the last size checked): the narration is the step's task and a closed
        // "More"; the view starts in the top 60 % of the first screen.
        let short = h.browser.execute(SHORT, &[])?;
        eprintln!("{id} at 640 × 400: {short}");
        assert_eq!(short["short"], json!(true), "{id}: {short}");
        assert!(
            short["task"].as_str().is_some_and(|t| !t.is_empty()),
            "{id}: the step's task is shown: {short}"
        );
        assert_eq!(short["moreOpen"], json!(false), "{id}: {short}");
        assert_eq!(short["narrationShown"], json!(0), "{id}: {short}");
        let view_top = short["viewTop"].as_f64().unwrap_or(f64::MAX);
        assert!(
            view_top <= 240.0,
            "{id}: the view starts at {view_top} px of 400: {short}"
        );
        // "More" opens the narration.
        h.browser.execute(
            "document.getElementById('narrow-probe').contentDocument.querySelector('.lessons details.more > summary').click();",
            &[],
        )?;
        let opened = h.browser.execute(SHORT, &[])?;
        assert!(
            opened["moreOpen"] == json!(true) && opened["narrationShown"].as_u64() > Some(0),
            "{id}: More shows the narration: {opened}"
        );
        h.screenshot(&format!("lesson-{id}-640x400-more"))?;
    }
    Ok(())
}

/// In the probe frame: the short narration's task, its "More" and where the view starts.
const SHORT: &str = r#"
const d = document.getElementById('narrow-probe').contentDocument;
const n = d.querySelector('.lessons.narration'), v = d.querySelector('.lesson-view');
if (!n || !v) return null;
const more = n.querySelector('details.more');
const shown = more ? Array.from(more.querySelectorAll(':scope > p, :scope > ul'))
  .filter(p => p.checkVisibility() && p.getBoundingClientRect().height > 0).length : -1;
return { short: n.classList.contains('short'), task: (n.querySelector('.task') || {}).textContent || null,
  moreOpen: more ? more.open : null, narrationShown: shown, viewTop: v.getBoundingClientRect().top,
  narrationBottom: n.getBoundingClientRect().bottom };
"#;

/// In a 640 × 400 frame, each step's task of the lessons over EDA vs SOA and WordCount is at
/// most two lines: with "More" folded, the task is the narration, and the view must stay on
/// the first screen.
pub fn check_lesson_tasks_fit_two_lines(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons")?;
    for (id, steps) in [("requests-vs-events", 3), ("wordcount", 4)] {
        for step in 1..=steps {
            let probe = format!(
                r#"
const n = d.querySelector('.lessons.narration');
const t = n && n.querySelector('.task'), c = n && n.querySelector('.step-count');
if (!t || !c || !c.textContent.startsWith('Step {step} of')) return null;
const range = d.createRange();
range.selectNodeContents(t);
// One line box per cluster of rectangle middles (a `code` span sits a few px off its line).
const size = parseFloat(w.getComputedStyle(t).fontSize);
const middles = Array.from(range.getClientRects()).filter(r => r.width > 0)
  .map(r => r.top + r.height / 2).sort((a, b) => a - b);
let lines = 0, last = -1e9;
for (const y of middles) {{ if (y - last > size * 0.8) {{ lines++; last = y; }} }}
return {{ lines, text: t.textContent, width: t.getBoundingClientRect().width }};
"#
            );
            let task = probe_in_frame(h, 640, 400, &format!("#/lessons/{id}/{step}"), &probe)?;
            eprintln!("{id} step {step} at 640 × 400: {task}");
            assert!(
                task["lines"].as_u64().is_some_and(|n| (1..=2).contains(&n)),
                "{id} step {step}: the task takes two lines at most: {task}"
            );
        }
        h.screenshot(&format!("lesson-{id}-640x400-last-task"))?;
    }
    Ok(())
}
