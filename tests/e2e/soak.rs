//! The long afternoon (issue 18): the busy Playground left running, sampled for memory, DOM size
//! and frames. A benchmark, not a check: it prints the series and writes
//! `target/e2e/soak.txt`; it fails only on a panic banner or a page that stops moving.
//!
//! Memory is read through the DevTools protocol after a forced garbage collection, so the
//! figures are what the page keeps alive: the JS heap (`Runtime.getHeapUsage`) and the wasm
//! instance's linear memory (the memory the first module exports, which the second imports),
//! which never shrinks, so any growth after the first minute is kept
//! for good. `Memory.getDOMCounters` gives nodes and event listeners.
//!
//! `./run.sh test` skips it (thirty minutes); run it alone, after a release build:
//! `EDA_SOAK_MINUTES=30 cargo test --test e2e -- --ignored soak --nocapture`.

use std::fmt::Write as _;
use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::playground::measure;
use super::webdriver::{self, Error};
use crate::Harness;

/// The busy scene of issue 18.
const BUSY: &str = "#/playground?partitions=12&groups=3&rate=1000&seed=1";
/// How long the tab stays hidden in the middle of the run.
const HIDDEN: Duration = Duration::from_secs(20);

fn minutes() -> u64 {
    std::env::var("EDA_SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=24 * 60).contains(m))
        .unwrap_or(30)
}

/// One sample of what the page keeps.
struct Sample {
    wall_s: f64,
    heap: f64,
    wasm: f64,
    nodes: f64,
    listeners: f64,
    virtual_ms: f64,
    appended: String,
}

/// The app's linear memory: the one the first module exports (`static/start.js` keeps its
/// instance; the rest imports the same memory). Read from the page, not by
/// `Runtime.queryObjects` over `WebAssembly.Memory.prototype`, which crashes the tab (Chromium
/// here) once the second module is linked.
const WASM_MEMORY: &str = r#"
const s = window.__edaSplit;
const memory = s && s.primary && s.primary.exports.memory;
return memory ? memory.buffer.byteLength : null;
"#;

const READ_PAGE: &str = r#"
const tl = document.querySelector('label.timeline');
const counters = document.querySelector('.counters');
return { now: tl ? Number(tl.getAttribute('data-now')) : null,
         counters: counters ? counters.textContent.trim() : '',
         banner: !!document.getElementById('panic-banner') };
"#;

fn sample(h: &Harness, t0: Instant) -> Result<Sample, Error> {
    let cdp = |cmd: &str, params: Value| h.browser.cdp(cmd, params);
    cdp("HeapProfiler.collectGarbage", json!({}))?;
    let heap = cdp("Runtime.getHeapUsage", json!({}))?;
    let wasm = h.browser.execute(WASM_MEMORY, &[])?;
    let dom = cdp("Memory.getDOMCounters", json!({}))?;
    let page = h.browser.execute(READ_PAGE, &[])?;
    if page["banner"].as_bool() == Some(true) {
        return Err(Error::Protocol("the panic banner is shown".into()));
    }
    Ok(Sample {
        wall_s: t0.elapsed().as_secs_f64(),
        heap: heap["usedSize"].as_f64().unwrap_or(f64::NAN),
        wasm: wasm.as_f64().unwrap_or(f64::NAN),
        nodes: dom["nodes"].as_f64().unwrap_or(f64::NAN),
        listeners: dom["jsEventListeners"].as_f64().unwrap_or(f64::NAN),
        virtual_ms: page["now"].as_f64().unwrap_or(f64::NAN),
        appended: page["counters"].as_str().unwrap_or("").to_owned(),
    })
}

fn line(s: &Sample) -> String {
    format!(
        "  {:>6.0} s  JS heap {:>6.2} MB  wasm {:>6.2} MB  DOM nodes {:>5.0}  listeners {:>4.0}  virtual {:>8.0} ms  {}\n",
        s.wall_s,
        s.heap / 1e6,
        s.wasm / 1e6,
        s.nodes,
        s.listeners,
        s.virtual_ms,
        s.appended
    )
}

/// Change from `a` to `b`, in per cent of `a`.
fn change(a: f64, b: f64) -> f64 {
    (b - a) / a * 100.0
}

pub fn soak(h: &Harness) -> Result<(), Error> {
    let total = Duration::from_secs(minutes() * 60);
    let every = (total / 30).max(Duration::from_secs(10));
    h.open(BUSY)?;
    h.browser
        .wait_until("the Playground to render", Duration::from_secs(20), || {
            let lanes = h.browser.execute(
                "return document.querySelectorAll('.diagram svg g.lane').length;",
                &[],
            )?;
            Ok((lanes.as_u64().unwrap_or(0) > 0).then_some(()))
        })?;
    let t0 = Instant::now();
    let mut out = format!(
        "soak: {BUSY}, headless Chromium (--disable-gpu, software compositing), window 1280x800, \
         {} min, a sample every {} s after a forced GC; the window minimized (the page hidden) for \
         {} s halfway\n",
        total.as_secs() / 60,
        every.as_secs(),
        HIDDEN.as_secs()
    );
    let mut samples = vec![sample(h, t0)?];
    out.push_str(&line(&samples[0]));
    thread::sleep(Duration::from_secs(60).min(total / 2));
    let first_minute = sample(h, t0)?;
    out.push_str(&line(&first_minute));
    let frames_start = measure(h, BUSY)?;
    let mut hidden_done = false;
    let mut after_hidden = None;
    while t0.elapsed() < total {
        thread::sleep(every.min(total.saturating_sub(t0.elapsed())));
        if !hidden_done && t0.elapsed() >= total / 2 {
            hidden_done = true;
            h.browser.minimize()?;
            let hidden = h.browser.execute("return document.visibilityState;", &[])?;
            thread::sleep(HIDDEN);
            h.browser.set_window_size(1280, 800)?;
            let shown = h.browser.execute("return document.visibilityState;", &[])?;
            let _ = writeln!(
                out,
                "  hidden for {} s: visibility {hidden} then {shown}",
                HIDDEN.as_secs()
            );
            // Measured at once: the first frames after the return are the ones a burst would drop.
            after_hidden = Some(measure(h, BUSY)?);
        }
        let s = sample(h, t0)?;
        out.push_str(&line(&s));
        samples.push(s);
    }
    let frames_end = measure(h, BUSY)?;
    let last = samples.last().unwrap_or(&first_minute);
    let moved = last.virtual_ms - first_minute.virtual_ms;
    let _ = writeln!(
        out,
        "after the first minute: JS heap {:+.1} %, wasm memory {:+.1} %, DOM nodes {:+.1} %, listeners {:+.1} % (goal: within ±10 %)",
        change(first_minute.heap, last.heap),
        change(first_minute.wasm, last.wasm),
        change(first_minute.nodes, last.nodes),
        change(first_minute.listeners, last.listeners),
    );
    let peak = |f: fn(&Sample) -> f64| samples.iter().map(f).fold(f64::NAN, f64::max);
    let _ = writeln!(
        out,
        "peaks after the first minute: JS heap {:.2} MB, wasm {:.2} MB, DOM nodes {:.0}",
        peak(|s| s.heap) / 1e6,
        peak(|s| s.wasm) / 1e6,
        peak(|s| s.nodes)
    );
    for (what, p) in [
        ("frames after the first minute", Some(&frames_start)),
        (
            "frames right after the hidden tab returned",
            after_hidden.as_ref(),
        ),
        ("frames at the end", Some(&frames_end)),
    ] {
        if let Some(p) = p {
            let (missed, script_p95) = p.missed_and_script_p95();
            let _ = writeln!(
                out,
                "{what}: {missed} missed, page script p95 {script_p95:.1} ms"
            );
            out.push_str(&p.report());
        }
    }
    eprint!("{out}");
    let file = webdriver::artifact_dir().join("soak.txt");
    fs::write(&file, &out).map_err(|e| Error::Io(format!("write {}: {e}", file.display())))?;
    h.screenshot("soak-end")?;
    assert!(
        moved > 0.0,
        "the simulation did not move after the first minute: {moved} virtual ms"
    );
    Ok(())
}
