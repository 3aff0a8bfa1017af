//! Embeds (`embed=1`) as a course page uses them: the shipped example page
//! (`embed-example.html`) with two figures, one driven by the host's buttons
//! through `postMessage` and one sized by its `resize` messages; a message
//! from another origin changing nothing; the Playground embed fitting
//! 640 × 400, 800 × 580 and 360 × 640 frames (and dark mode) without scroll
//! bars; and the Embed dialog's snippet, put into a page, showing the same
//! scenario.

use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use super::webdriver::Error;
use crate::Harness;

/// Two wasm apps load in one page on a shared machine: generous.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
const WAIT: Duration = Duration::from_secs(10);

/// The Playground inside the iframe `arguments[0]` (a CSS selector): its clock
/// and whether it plays, or null until it is drawn.
const FRAME_STATE: &str = r#"
const f = document.querySelector(arguments[0]);
const d = f && f.contentDocument;
const t = d && d.querySelector('.timeline');
if (!t) return null;
const button = d.querySelector('.controls button');
const counters = d.querySelector('.counters');
return {
  now: Number(t.dataset.now),
  horizon: Number(t.dataset.horizon),
  playing: button.textContent.trim() === 'Pause',
  counters: counters ? counters.textContent : null,
  panic: d.querySelector('#panic-banner') !== null,
};
"#;

/// What the example page printed: `[{from, type, data}]`.
const EVENTS: &str = r#"
return Array.from(document.querySelectorAll('#events li')).map(li => ({
  from: li.dataset.from,
  type: li.dataset.type,
  data: JSON.parse(li.textContent.slice(li.textContent.indexOf(': ') + 2)),
}));
"#;

fn frame_state(h: &Harness, frame: &str) -> Result<Value, Error> {
    h.browser.execute(FRAME_STATE, &[json!(frame)])
}

fn wait_frame(
    h: &Harness,
    frame: &str,
    what: &str,
    pred: impl Fn(&Value) -> bool,
) -> Result<Value, Error> {
    h.browser
        .wait_value(what, WAIT, || frame_state(h, frame), pred)
}

fn wait_event(
    h: &Harness,
    what: &str,
    timeout: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Result<Value, Error> {
    let mut seen = Value::Null;
    h.browser
        .wait_until(what, timeout, || {
            seen = h.browser.execute(EVENTS, &[])?;
            Ok(seen
                .as_array()
                .and_then(|events| events.iter().find(|e| pred(e)).cloned()))
        })
        .map_err(|e| Error::Timeout(format!("{e}; events so far: {seen}")))
}

fn click(h: &Harness, css: &str) -> Result<(), Error> {
    h.browser.find(css)?.click()
}

/// The example page: ready, resize and moment arrive; Play, Pause, Seek and
/// Step drive the Playground; another origin's messages and malformed ones
/// change nothing and are reported as warnings, never errors.
pub fn check_example_page(h: &Harness) -> Result<(), Error> {
    h.browser.goto(&h.server.url("embed-example.html"))?;
    for from in ["playground", "wordcount"] {
        wait_event(h, &format!("`ready` from the {from}"), LOAD_TIMEOUT, |e| {
            e["from"] == from && e["type"] == "ready" && e["data"]["version"] == 1
        })?;
    }
    // The WordCount frame takes the height it reports, and then needs no scroll bar.
    let resize = wait_event(h, "`resize` from WordCount", WAIT, |e| {
        e["from"] == "wordcount"
            && e["type"] == "resize"
            && e["data"]["height"].as_u64() > Some(200)
    })?;
    let sized = h.browser.wait_until("the WordCount frame to take its height", WAIT, || {
        let v = h.browser.execute(
            "const f = document.getElementById('resized'); const de = f.contentDocument.documentElement;
             return { height: f.clientHeight, scroll: de.scrollHeight, client: de.clientHeight };",
            &[],
        )?;
        Ok((v["scroll"].as_u64() <= v["client"].as_u64() && v["height"].as_u64() > Some(200)).then_some(v))
    })?;
    eprintln!("WordCount reported {resize}; frame now {sized}");
    assert!(
        wait_event(h, "the LTI-shaped resize", WAIT, |e| e["data"]["subject"]
            == "lti.frameResize")
        .is_ok()
    );

    let frame = "#driven";
    let start = wait_frame(h, frame, "the Playground embed, paused", |s| {
        s["playing"] == false
    })?;
    assert_eq!(start["panic"], false);
    click(h, "#play")?;
    wait_frame(h, frame, "Play from the host to run the clock", |s| {
        s["playing"] == true && s["now"].as_u64() > Some(400)
    })?;
    wait_event(h, "`moment` playing", WAIT, |e| {
        e["from"] == "playground" && e["type"] == "moment" && e["data"]["playing"] == true
    })?;
    click(h, "#pause")?;
    let paused = wait_frame(h, frame, "Pause from the host", |s| s["playing"] == false)?;
    wait_event(h, "`moment` paused", WAIT, |e| {
        e["type"] == "moment" && e["data"]["playing"] == false && e["data"]["ms"] == paused["now"]
    })?;
    thread::sleep(Duration::from_millis(400));
    assert_eq!(
        frame_state(h, frame)?["now"],
        paused["now"],
        "the clock moved while paused"
    );

    h.browser
        .execute("document.getElementById('seek-ms').value = '300'", &[])?;
    click(h, "#seek")?;
    wait_frame(h, frame, "Seek 300 ms from the host", |s| s["now"] == 300)?;
    wait_event(h, "`moment` at 300 ms", WAIT, |e| {
        e["type"] == "moment" && e["data"]["ms"] == 300
    })?;
    click(h, "#step")?;
    let stepped = wait_frame(h, frame, "Step from the host", |s| {
        s["now"].as_u64() > Some(300) && s["playing"] == false
    })?;
    h.screenshot("embed-example")?;

    // Another origin (a sandboxed frame's is opaque: "null") asks the figure to
    // play and to rewind: nothing changes.
    h.browser.execute(
        r#"const f = document.createElement('iframe');
           f.setAttribute('sandbox', 'allow-scripts');
           f.srcdoc = "<script>parent.frames[0].postMessage({type:'play',version:1}, '*');" +
             "parent.frames[0].postMessage(JSON.stringify({type:'seek',version:1,ms:0}), '*');<\/script>";
           document.body.append(f);"#,
        &[],
    )?;
    // The host's own malformed messages are ignored too.
    h.browser.execute(
        r#"const w = document.getElementById('driven').contentWindow;
           w.postMessage('[iFrameSizer]garbage', location.origin);
           w.postMessage({type: 'explode', version: 1}, location.origin);
           w.postMessage({type: 'play', version: 2}, location.origin);
           w.postMessage({type: 'seek', version: 1, ms: 'soon'}, location.origin);"#,
        &[],
    )?;
    let mut log = Vec::new();
    h.browser
        .wait_until("the embed's warnings", WAIT, || {
            log.extend(h.browser.browser_log()?);
            let warned = |needle: &str| {
                log.iter()
                    .any(|e| e.level == "WARNING" && e.message.contains(needle))
            };
            Ok((warned("ignored messages from null")
                && warned("unknown type")
                && warned("version 2")
                && warned("not a JSON object")
                && warned("without \\\"ms\\\""))
            .then_some(()))
        })
        .map_err(|e| Error::Timeout(format!("{e}; log: {log:?}")))?;
    let severe: Vec<_> = log.iter().filter(|e| e.level == "SEVERE").collect();
    assert!(severe.is_empty(), "SEVERE entries: {severe:?}");
    thread::sleep(Duration::from_millis(500));
    let after = frame_state(h, frame)?;
    assert_eq!(
        after["playing"], false,
        "a foreign or malformed message changed the figure: {after}"
    );
    assert_eq!(
        after["now"], stepped["now"],
        "a foreign or malformed message moved the clock: {after}"
    );
    assert_eq!(after["panic"], false);

    // `load`: the host replaces the scenario (a document as an object); the figure
    // shows it at its moment, and a document that does not replay changes nothing.
    let doc = json!({
        "version": 1, "seed": 7,
        "config": { "latency_ms_min": 150, "latency_ms_max": 350 },
        "commands": [
            { "at_ms": 0, "command": { "CreateTopic": { "name": "orders", "partitions": 2,
                "replication_factor": 1, "configs": [] } } },
            { "at_ms": 0, "command": { "AddProducer": { "config": { "acks": "All" } } } },
            { "at_ms": 500, "command": { "SetAutoProduce": { "producer": 1, "topic": "orders",
                "rate_per_s": 5, "keys": ["alice", "bob"], "value_prefix": "order-" } } }
        ],
        "moment_ms": 4000,
        "playground": { "topic": "orders", "producer": 1, "speed_tenths": 10, "playing": false }
    });
    let post = "document.getElementById('driven').contentWindow.postMessage(
                  { type: 'load', version: 1, scenario: arguments[0] }, location.origin);";
    h.browser.execute(post, std::slice::from_ref(&doc))?;
    let loaded = wait_frame(h, frame, "the loaded scenario at 4 s", |s| {
        s["now"] == 4000 && s["playing"] == false
    })?;
    let mut broken = doc;
    broken["commands"][2]["command"]["SetAutoProduce"]["producer"] = json!(99);
    h.browser.execute(post, &[broken])?;
    thread::sleep(Duration::from_millis(800));
    let after = frame_state(h, frame)?;
    assert_eq!(
        after["now"], loaded["now"],
        "a refused scenario changed the figure: {after}"
    );
    assert_eq!(after["counters"], loaded["counters"], "{after}");
    let lanes = h.browser.execute(
        "return document.getElementById('driven').contentDocument.querySelectorAll('.lane').length",
        &[],
    )?;
    assert_eq!(lanes, 2, "the loaded scenario has 2 partitions");
    h.screenshot("embed-example-loaded")?;
    Ok(())
}

/// Loads `hash` in a `width` × `height` iframe over the current page; returns
/// the frame's scroll and client sizes once `ready` is drawn.
const PROBE: &str = r#"
const [width, height, hash, ready] = arguments;
let f = document.getElementById('embed-probe');
if (!f) {
  f = document.createElement('iframe');
  f.id = 'embed-probe';
  f.style.cssText = 'position:fixed;left:0;top:0;border:0;z-index:2147483647';
  document.body.append(f);
}
const key = width + 'x' + height + hash;
if (f.getAttribute('data-for') !== key) {
  f.setAttribute('data-for', key);
  f.style.width = width + 'px';
  f.style.height = height + 'px';
  // A query of its own, so a new hash is a new page, not a hashchange.
  f.src = location.href.split(/[?#]/)[0] + '?probe=' + encodeURIComponent(key) + hash;
  return null;
}
const d = f.contentDocument;
if (!d || d.location.hash !== hash || !d.querySelector(ready)) return null;
const de = d.documentElement;
return {
  inner: [f.contentWindow.innerWidth, f.contentWindow.innerHeight],
  scroll: [de.scrollWidth, de.scrollHeight],
  client: [de.clientWidth, de.clientHeight],
  background: getComputedStyle(d.body).backgroundColor,
  title: (d.querySelector('.embed-title') || {}).textContent,
  open: (d.querySelector('a.embed-open') || {}).href,
  nav: d.querySelector('nav, header, footer, .share-button') !== null,
};
"#;

fn probe(h: &Harness, width: u32, height: u32, hash: &str) -> Result<Value, Error> {
    let mut seen = Value::Null;
    h.browser
        .wait_until(
            &format!("{hash} in a {width} × {height} frame"),
            LOAD_TIMEOUT,
            || {
                seen = h.browser.execute(
                    PROBE,
                    &[
                        json!(width),
                        json!(height),
                        json!(hash),
                        json!(".playground .diagram svg"),
                    ],
                )?;
                Ok((!seen.is_null()).then(|| seen.clone()))
            },
        )
        .map_err(|e| Error::Timeout(format!("{e}; last: {seen}")))?;
    // Let records flow, then measure what the learner sees.
    thread::sleep(Duration::from_millis(1500));
    h.browser.execute(
        PROBE,
        &[
            json!(width),
            json!(height),
            json!(hash),
            json!(".playground"),
        ],
    )
}

/// The default embed fits the design's frames, and a phone, with no scroll
/// bar either way; dark mode follows the system.
pub fn check_sizes(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons")?;
    let hash = "#/playground?embed=1&rate=5";
    for (width, height) in [(640u32, 400u32), (800, 580), (360, 640)] {
        let report = probe(h, width, height, hash)?;
        h.screenshot_of(&format!("embed-{width}x{height}"), "#embed-probe")?;
        eprintln!("{width}×{height}: {report}");
        assert_eq!(report["inner"], json!([width, height]), "{report}");
        assert_eq!(report["title"], "Playground", "{report}");
        assert_eq!(report["nav"], false, "app chrome in the embed: {report}");
        let open = report["open"].as_str().unwrap_or_default();
        assert!(
            open.contains("#/playground?rate=5&s=") && !open.contains("embed="),
            "Open in eda-playground should open this scenario full size: {report}"
        );
        assert!(
            report["scroll"][0].as_u64() <= report["client"][0].as_u64()
                && report["scroll"][1].as_u64() <= report["client"][1].as_u64(),
            "the embed scrolls at {width}×{height}: {report}"
        );
    }
    h.browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )?;
    let report = probe(h, 640, 400, "#/playground?embed=1&rate=5&seed=9")?;
    h.screenshot("embed-640x400-dark")?;
    assert_eq!(report["background"], "rgb(18, 20, 23)", "{report}");
    assert!(
        report["scroll"][1].as_u64() <= report["client"][1].as_u64(),
        "{report}"
    );
    // A chosen set of panels: only those are drawn.
    let report = probe(h, 800, 580, "#/playground?embed=1&panels=lanes,log&rate=5")?;
    h.screenshot("embed-lanes-log")?;
    let drawn = h.browser.execute(
        "const d = document.getElementById('embed-probe').contentDocument;
         return ['.controls', '.producer-panel', '.diagram', '.event-log', '.replicas-panel', '.lag-chart']
           .map(css => d.querySelector(css) !== null);",
        &[],
    )?;
    assert_eq!(
        drawn,
        json!([false, false, true, true, false, false]),
        "{report}"
    );

    // A range and a start moment: the figure opens at 1.5 s, plays to 2.5 s and stops there.
    probe(
        h,
        640,
        400,
        "#/playground?embed=1&rate=5&from=1s&to=2.5s&at=1500",
    )?;
    let slider = h.browser.execute(
        "const i = document.getElementById('embed-probe').contentDocument.querySelector('.timeline input');
         return [i.min, i.max];",
        &[],
    )?;
    assert_eq!(slider[0], "1000", "the slider starts at from: {slider}");
    wait_frame(h, "#embed-probe", "the clock to stop at to=2.5s", |s| {
        s["now"] == 2500 && s["playing"] == false
    })?;
    h.screenshot("embed-range")?;
    Ok(())
}

/// The Embed dialog's snippet, put into a page, shows the same scenario at
/// the same moment.
pub fn check_dialog_snippet(h: &Harness) -> Result<(), Error> {
    h.open("#/playground?rate=5&seed=11")?;
    wait_frame_self(h, |s| {
        s["playing"] == true && s["now"].as_u64() > Some(1200)
    })?;
    h.browser.find(".controls button")?.click()?;
    let shown = wait_frame_self(h, |s| s["playing"] == false)?;
    click(h, ".share-button")?;
    click(h, ".embed-button")?;
    h.browser.wait_for("textarea.embed-snippet", WAIT)?;
    click(h, ".embed-size:nth-of-type(2)")?;
    let snippet = h.browser.execute(
        "return document.querySelector('textarea.embed-snippet').value",
        &[],
    )?;
    let snippet = snippet.as_str().unwrap_or_default().to_owned();
    for part in [
        "<iframe src=\"",
        "embed=1",
        "&amp;s=",
        "title=\"eda-playground: Playground\"",
        "width=\"800\"",
        "height=\"580\"",
        "loading=\"lazy\"",
        "allow=\"clipboard-write\"",
        "allowfullscreen",
    ] {
        assert!(snippet.contains(part), "{part} missing from {snippet}");
    }
    let preview = h.browser.execute(
        "return document.querySelector('iframe.embed-preview-frame').getAttribute('src')",
        &[],
    )?;
    let preview = preview.as_str().unwrap_or_default().replace('&', "&amp;");
    assert!(
        snippet.contains(&preview),
        "the preview {preview} is not the snippet's src"
    );
    h.screenshot("embed-dialog")?;

    // A course page: the example page's origin, its body replaced by the snippet.
    h.browser.goto(&h.server.url("embed-example.html"))?;
    h.browser.execute(
        "document.body.innerHTML = '<h1>A course page</h1>' + arguments[0];
         document.querySelector('iframe').id = 'pasted';",
        &[json!(snippet)],
    )?;
    let pasted = wait_frame(h, "#pasted", "the pasted snippet's figure", |s| {
        s["now"] == shown["now"]
    })?;
    assert_eq!(pasted["playing"], false, "{pasted}");
    // Appended and delivered (the engine's counts) must match; the rates after them come
    // from lag samples, which a replay takes at other instants than the frames did.
    let counts = |s: &Value| {
        let text = s["counters"].as_str().unwrap_or_default();
        text.split(" · ").take(2).collect::<Vec<_>>().join(" · ")
    };
    assert_eq!(
        counts(&pasted),
        counts(&shown),
        "not the same scenario: {pasted} vs {shown}"
    );
    assert!(counts(&shown).contains("appended"), "{shown}");
    h.screenshot("embed-snippet-pasted")?;
    Ok(())
}

/// The full app's own Playground state (not in a frame).
fn wait_frame_self(h: &Harness, pred: impl Fn(&Value) -> bool) -> Result<Value, Error> {
    let script = FRAME_STATE.replace(
        "const f = document.querySelector(arguments[0]);\nconst d = f && f.contentDocument;",
        "const d = document;",
    );
    h.browser.wait_value(
        "the Playground",
        WAIT,
        || h.browser.execute(&script, &[]),
        pred,
    )
}
