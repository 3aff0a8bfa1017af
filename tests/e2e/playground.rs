//! End-to-end checks of the Playground view (`src/ui/playground.rs`) and a
//! frame-time probe of it.
//!
//! Everything is read from the view's DOM contract: the timeline's
//! `data-now`/`data-horizon`, the `Pause`/`Play` button, the counters, one
//! `g.lane[data-partition][data-end]` per partition holding
//! `g.cell[data-offset][data-key]`, the `.group[data-group][data-state]
//! [data-generation]` boxes with `li[data-consumer][data-owns]` members, the
//! record card and the `.error[role=alert]` banner. One script reads all of
//! it in a single round trip ([`SCENE_SCRIPT`]), so a failed wait quotes the
//! whole scene it last saw.
//!
//! Where records must land is computed here with the crate's own Kafka
//! partitioner (`toPositive(murmur2(key)) % partitions`), which the native
//! tests pin to Apache Kafka's test vectors.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use eda_playground::sim::partitioner::{murmur2, partition_for_key, to_positive};
use serde::Deserialize;
use serde_json::{Value, json};

use super::server;
use super::webdriver::{self, Element, Error};
use crate::Harness;

/// WebDriver's code for the Enter key.
const ENTER: &str = "\u{E007}";
/// WebDriver's code for the right arrow key.
const ARROW_RIGHT: &str = "\u{E014}";

/// Partitions of `orders` in the default scene.
const DEFAULT_PARTITIONS: u32 = 3;

/// A group needs ~3.1 s of virtual time (group.initial.rebalance.delay.ms)
/// to become Stable; at 1× that is wall time too, plus the wasm start-up.
const STABLE_TIMEOUT: Duration = Duration::from_secs(20);
/// Network latency is 150–350 ms of virtual time per hop; produce, append
/// and delivery at 1× fit well inside this.
const FLOW_TIMEOUT: Duration = Duration::from_secs(15);
/// The crash scenario (at 20×: the 45 s session timeout is ~2.3 s of wall
/// time) must finish within this, as the task asks.
const CRASH_TIMEOUT: Duration = Duration::from_secs(20);

/// The whole Playground as one JSON value (`null` while it is not mounted).
const SCENE_SCRIPT: &str = r#"
const pg = document.querySelector('main#view[data-view="playground"] .playground');
if (!pg) return null;
const tl = pg.querySelector('label.timeline');
const toggle = Array.from(pg.querySelectorAll('button'))
  .map(b => b.textContent.trim()).find(t => t === 'Pause' || t === 'Play');
const card = pg.querySelector('section.card');
const error = pg.querySelector('.error[role="alert"]');
const live = pg.querySelector('[aria-live="polite"]');
const counters = pg.querySelector('.counters');
return {
  now: tl ? Number(tl.getAttribute('data-now')) : null,
  horizon: tl ? Number(tl.getAttribute('data-horizon')) : null,
  toggle: toggle || null,
  counters: counters ? counters.textContent.trim() : null,
  lanes: Array.from(pg.querySelectorAll('.diagram svg g.lane')).map(l => ({
    partition: Number(l.getAttribute('data-partition')),
    end: Number(l.getAttribute('data-end')),
    meta: (l.querySelector('.lane-meta') || {}).textContent || '',
    cells: Array.from(l.querySelectorAll('g.cell')).map(c => ({
      offset: Number(c.getAttribute('data-offset')),
      key: c.getAttribute('data-key'),
    })),
  })),
  groups: Array.from(pg.querySelectorAll('.group[data-group]')).map(g => ({
    group: g.getAttribute('data-group'),
    state: g.getAttribute('data-state'),
    generation: Number(g.getAttribute('data-generation')),
    members: Array.from(g.querySelectorAll('li[data-consumer]')).map(li => ({
      consumer: li.getAttribute('data-consumer'),
      owns: (li.getAttribute('data-owns') || '').split(',').filter(s => s !== '').map(Number),
      alive: Array.from(li.querySelectorAll('button')).some(b => !b.disabled),
    })),
  })),
  alert: error ? error.textContent.trim() : null,
  card: card ? card.innerText : null,
  log_lines: pg.querySelectorAll('.event-log ol li').length,
  live: live ? live.textContent : null,
};
"#;

/// What [`SCENE_SCRIPT`] returns. (No field may be called `error`: the
/// WebDriver client takes any returned object with an `error` key for a
/// WebDriver error.)
#[derive(Debug, Clone, Deserialize)]
pub struct Scene {
    now: u64,
    horizon: u64,
    /// `Pause` while playing, `Play` while paused.
    toggle: String,
    counters: String,
    lanes: Vec<Lane>,
    groups: Vec<Group>,
    alert: Option<String>,
    card: Option<String>,
    log_lines: usize,
    live: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Lane {
    partition: u32,
    end: u64,
    meta: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Clone, Deserialize)]
struct Cell {
    offset: u64,
    key: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Group {
    group: String,
    state: String,
    generation: u64,
    members: Vec<Member>,
}

#[derive(Debug, Clone, Deserialize)]
struct Member {
    consumer: String,
    owns: Vec<u32>,
    alive: bool,
}

impl Scene {
    fn playing(&self) -> bool {
        self.toggle == "Pause"
    }

    /// `(appended, delivered)` from "N appended · M delivered" (and the rates after it).
    fn counts(&self) -> (u64, u64) {
        let mut numbers = self
            .counters
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or(u64::MAX));
        let appended = numbers.next().unwrap_or(u64::MAX);
        let delivered = numbers.next().unwrap_or(u64::MAX);
        (appended, delivered)
    }

    fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.group == name)
    }

    fn stable(&self, name: &str) -> bool {
        self.group(name).is_some_and(|g| g.state == "Stable")
    }

    fn lane(&self, partition: u32) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.partition == partition)
    }

    fn cell_count(&self) -> usize {
        self.lanes.iter().map(|l| l.cells.len()).sum()
    }

    /// Whether every `(key, value)` sits in the lane murmur2 picks (and in no
    /// other), and each lane's `data-end` equals the number of them it holds.
    /// `None` if so, else what differs.
    fn keys_misplaced(&self, keys: &[&str]) -> Option<String> {
        let n = self.lanes.len() as u32;
        if n == 0 {
            return Some("no lanes".into());
        }
        let mut want_end: BTreeMap<u32, u64> = (0..n).map(|p| (p, 0)).collect();
        for key in keys {
            let p = partition_for_key(key.as_bytes(), n);
            *want_end.entry(p).or_default() += 1;
            let lanes: Vec<u32> = self
                .lanes
                .iter()
                .filter(|l| l.cells.iter().any(|c| c.key == *key))
                .map(|l| l.partition)
                .collect();
            if lanes != [p] {
                return Some(format!(
                    "key {key:?} should be a cell of lane {p} only; it is in lanes {lanes:?}"
                ));
            }
        }
        for (p, want) in want_end {
            let lane = self.lane(p)?;
            if lane.end != want || lane.cells.len() as u64 != want {
                return Some(format!(
                    "lane {p}: data-end {} with {} cells, want {want} of each",
                    lane.end,
                    lane.cells.len()
                ));
            }
            // Offsets are 0.. in order of production, and the lane's meta agrees.
            let offsets: Vec<u64> = lane.cells.iter().map(|c| c.offset).collect();
            if offsets != (0..want).collect::<Vec<_>>() {
                return Some(format!("lane {p}: offsets {offsets:?}"));
            }
            if !lane.meta.starts_with(&format!("end offset {want} ")) {
                return Some(format!("lane {p}: meta {:?}", lane.meta));
            }
        }
        None
    }
}

impl Harness {
    /// The Playground's current scene.
    pub fn scene(&self) -> Result<Scene, Error> {
        let v = self.browser.execute(SCENE_SCRIPT, &[])?;
        serde_json::from_value(v.clone())
            .map_err(|e| Error::Protocol(format!("not a Playground scene ({e}): {v}")))
    }

    /// Waits (at most `timeout`) until `pred` holds for the scene; on timeout
    /// the error quotes the last scene seen.
    pub fn wait_scene(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Scene) -> bool,
    ) -> Result<Scene, Error> {
        let mut seen: Option<Scene> = None;
        let result = self.browser.wait_until(what, timeout, || {
            let scene = self.scene()?;
            let done = pred(&scene);
            seen = Some(scene.clone());
            Ok(done.then_some(scene))
        });
        result.map_err(|e| Error::Timeout(format!("{e}\n    last scene: {seen:#?}")))
    }

    /// The first button under `scope` whose text is exactly `text`.
    fn button(&self, scope: &str, text: &str) -> Result<Element<'_>, Error> {
        for b in self.browser.find_all(&format!("{scope} button"))? {
            if b.text()?.trim() == text {
                return Ok(b);
            }
        }
        Err(Error::Protocol(format!(
            "no button {text:?} under `{scope}`"
        )))
    }

    /// Runs `act` on what `locate` finds, finding it again if the page
    /// replaced it in between: Yew re-creates some SVG nodes when a sibling
    /// list changes length (a flight lands, a commit marker appears), so a
    /// reference can go stale between find and click, and a flight dot may
    /// pass over a cell for a frame.
    fn fresh<'a>(
        &'a self,
        what: &str,
        locate: impl Fn() -> Result<Element<'a>, Error>,
        act: impl Fn(&Element<'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut tries = 0;
        loop {
            match locate().and_then(|e| act(&e)) {
                Err(e)
                    if tries < 10
                        && matches!(
                            e.code(),
                            Some("stale element reference" | "element click intercepted")
                        ) =>
                {
                    tries += 1;
                    thread::sleep(Duration::from_millis(50));
                }
                other => {
                    return other.map_err(|e| Error::Protocol(format!("{what}: {e}")));
                }
            }
        }
    }

    /// Clicks the first element matching `css`.
    fn click(&self, css: &str) -> Result<(), Error> {
        self.fresh(
            &format!("click `{css}`"),
            || self.browser.find(css),
            Element::click,
        )
    }

    /// Clicks the button under `scope` whose text is `text`.
    fn click_button(&self, scope: &str, text: &str) -> Result<(), Error> {
        self.fresh(
            &format!("click button {text:?} under `{scope}`"),
            || self.button(scope, text),
            Element::click,
        )
    }

    /// Types `key:value` into the producer and presses Enter.
    fn produce(&self, message: &str) -> Result<(), Error> {
        let input = self.browser.find("input#produce-input")?;
        input.send_keys(&format!("{message}{ENTER}"))?;
        let left = self
            .browser
            .execute("return arguments[0].value", &[input.to_arg()])?;
        assert_eq!(left, json!(""), "Enter should clear the producer's input");
        Ok(())
    }

    /// Sets the timeline to `at_ms` the way dragging it does: the range
    /// input's value, then an `input` event. Returns the value it took.
    fn drag_timeline(&self, at_ms: u64) -> Result<u64, Error> {
        let v = self.browser.execute(
            r#"const r = document.querySelector('label.timeline input[type="range"]');
               r.value = String(arguments[0]);
               r.dispatchEvent(new InputEvent('input', { bubbles: true }));
               return Number(r.value);"#,
            &[json!(at_ms)],
        )?;
        v.as_u64()
            .ok_or_else(|| Error::Protocol(format!("range value is {v}")))
    }
}

/// Waits for the Playground to mount (and for no panic banner).
fn open_playground(h: &Harness, rel: &str) -> Result<Scene, Error> {
    h.open(rel)?;
    let scene = h.wait_scene("the Playground to render", STABLE_TIMEOUT, |s| {
        !s.lanes.is_empty()
    })?;
    h.expect_no_panic_banner(rel)?;
    Ok(scene)
}

/// Task 1a: produce keyed messages, check murmur2 placement, the record card,
/// Step, rewinding the timeline and replaying forward.
pub fn check_produce_step_rewind(h: &Harness) -> Result<(), Error> {
    const MESSAGES: [(&str, &str); 3] = [("alice", "1"), ("bob", "2"), ("carol", "3")];
    let keys: Vec<&str> = MESSAGES.iter().map(|(k, _)| *k).collect();

    let first = open_playground(h, "#/playground?seed=7")?;
    assert_eq!(
        first.lanes.len() as u32,
        DEFAULT_PARTITIONS,
        "lanes of orders"
    );
    assert!(first.alert.is_none(), "no alert for good params: {first:?}");
    let stable = h.wait_scene("group billing to be Stable", STABLE_TIMEOUT, |s| {
        s.stable("billing") && s.playing()
    })?;
    let billing = stable.group("billing").unwrap();
    assert_eq!(billing.members.len(), 2, "billing members: {billing:?}");
    let mut owned: Vec<u32> = billing
        .members
        .iter()
        .flat_map(|m| m.owns.clone())
        .collect();
    owned.sort_unstable();
    assert_eq!(
        owned,
        [0, 1, 2],
        "billing must own each partition once: {billing:?}"
    );
    assert_eq!(stable.cell_count(), 0, "no records before producing");
    assert!(
        stable.now >= 3_000,
        "Stable already at {} ms of virtual time: the initial rebalance delay is 3 s",
        stable.now
    );

    // The virtual time just before the first produce: the produce cannot
    // happen earlier than the moment this render showed.
    let before = h.scene()?.now;
    for (k, v) in MESSAGES {
        h.produce(&format!("{k}:{v}"))?;
    }
    let produced = h.wait_scene(
        "3 appended, each key in its murmur2 lane, delivered to billing",
        FLOW_TIMEOUT,
        |s| {
            let (appended, delivered) = s.counts();
            appended == 3 && delivered == 3 && s.keys_misplaced(&keys).is_none()
        },
    )?;
    assert!(produced.log_lines > 0, "the event log shows what happened");
    assert!(
        produced
            .live
            .as_deref()
            .is_some_and(|l| !l.trim().is_empty()),
        "the polite live region announces nothing: {:?}",
        produced.live
    );
    assert!(
        produced.horizon >= produced.now,
        "horizon {} behind now {}",
        produced.horizon,
        produced.now
    );

    // The record card of alice's cell.
    let (key, value) = MESSAGES[0];
    let p = partition_for_key(key.as_bytes(), DEFAULT_PARTITIONS);
    let cell = format!(".diagram svg g.lane[data-partition=\"{p}\"] g.cell[data-key=\"{key}\"]");
    let offset = produced
        .lane(p)
        .unwrap()
        .cells
        .iter()
        .find(|c| c.key == key)
        .unwrap()
        .offset;
    h.click(&cell)?;
    let with_card = h.wait_scene("the record card", FLOW_TIMEOUT, |s| s.card.is_some())?;
    let card = with_card.card.clone().unwrap();
    let hash = murmur2(key.as_bytes());
    let positive = to_positive(hash);
    for want in [
        key.to_owned(),
        value.to_owned(),
        format!("{p} · {offset}"),
        format!(
            "murmur2(\"{key}\") = {hash}; toPositive = {positive}; {positive} mod {DEFAULT_PARTITIONS} = {p}"
        ),
    ] {
        assert!(card.contains(&want), "the card lacks {want:?}:\n{card}");
    }
    h.browser
        .find(&format!(
            ".diagram g.lane[data-partition=\"{p}\"] g.cell.selected[data-key=\"{key}\"]"
        ))
        .map_err(|e| Error::Protocol(format!("the clicked cell is not marked selected: {e}")))?;

    // Step pauses and runs the next engine event: time moves, then stays.
    let t1 = h.scene()?.now;
    h.click_button(".controls", "Step →")?;
    let paused = h.wait_scene("Step to pause", RENDER, |s| !s.playing())?;
    assert!(
        paused.now > t1,
        "Step did not move time: {t1} -> {}",
        paused.now
    );
    thread::sleep(Duration::from_millis(400));
    let still = h.scene()?;
    assert_eq!(still.now, paused.now, "time moved while paused");
    h.click_button(".controls", "Step →")?;
    let stepped = h.wait_scene("a second Step to move time", RENDER, |s| s.now > still.now)?;
    assert!(!stepped.playing(), "Step must leave play paused");
    // → steps too when focus is on a button (here: Step, just clicked).
    h.fresh(
        "→ on the Step button",
        || h.button(".controls", "Step →"),
        |b| b.send_keys(ARROW_RIGHT),
    )?;
    let arrowed = h.wait_scene("→ to step", RENDER, |s| s.now > stepped.now)?;
    assert!(!arrowed.playing(), "→ must leave play paused");

    // Close the card before rewinding to a moment without its record.
    h.click("section.card button.close")?;
    h.wait_scene("the card to close", RENDER, |s| s.card.is_none())?;

    // Drag the timeline back to just before the first produce.
    let target = before - 1;
    let took = h.drag_timeline(target)?;
    assert_eq!(took, target, "the range input refused {target}");
    let rewound = h.wait_scene("the rewound world (no records)", RENDER, |s| {
        s.now == target && s.cell_count() == 0 && s.lanes.iter().all(|l| l.end == 0)
    })?;
    assert!(!rewound.playing(), "rewinding must not start play");
    assert!(
        rewound.horizon >= arrowed.now,
        "the horizon must keep the recorded future: {} < {}",
        rewound.horizon,
        arrowed.now
    );
    assert_eq!(rewound.lanes.len() as u32, DEFAULT_PARTITIONS);
    // The counters show the earlier moment too (they come back with the checkpoint).
    assert_eq!(
        rewound.counts(),
        (0, 0),
        "after rewinding to {target} ms: {:?} (they said {:?})",
        rewound.counters,
        arrowed.counters
    );
    thread::sleep(Duration::from_millis(400));
    let rewound_still = h.scene()?;
    assert_eq!(
        rewound_still.now, target,
        "time moved while paused after a rewind"
    );

    // Forward again: Play re-applies the recorded produces.
    h.click_button(".controls", "Play")?;
    h.wait_scene(
        "the three records to come back on replay",
        FLOW_TIMEOUT,
        |s| s.playing() && s.now > target && s.keys_misplaced(&keys).is_none(),
    )?;
    h.wait_scene(
        "the counters to count the replayed records once",
        FLOW_TIMEOUT,
        |s| s.counts() == (3, 3),
    )?;
    // The same records, at the same offsets, with the same values.
    h.click(&cell)?;
    let again = h.wait_scene("the record card after replay", RENDER, |s| s.card.is_some())?;
    let card_again = again.card.clone().unwrap();
    assert!(
        card_again.contains(&format!("{p} · {offset}")) && card_again.contains(value),
        "replayed record differs:\n{card_again}"
    );
    h.screenshot("playground")?;
    h.expect_no_panic_banner("playground")
}

/// Yew re-renders on a later tick; a short wait for a plain UI reaction.
const RENDER: Duration = Duration::from_secs(5);

/// Task 1b: crash the member that owns the most partitions; after the session
/// timeout the survivor owns all three in a new generation.
pub fn check_crash_moves_partitions(h: &Harness) -> Result<(), Error> {
    open_playground(h, "#/playground?seed=3&speed=20")?;
    let stable = h.wait_scene("group billing to be Stable", STABLE_TIMEOUT, |s| {
        s.stable("billing")
            && s.group("billing").is_some_and(|g| {
                g.members.len() == 2 && g.members.iter().map(|m| m.owns.len()).sum::<usize>() == 3
            })
    })?;
    let billing = stable.group("billing").unwrap().clone();
    let victim = billing
        .members
        .iter()
        .max_by_key(|m| m.owns.len())
        .unwrap()
        .clone();
    let survivor = billing
        .members
        .iter()
        .find(|m| m.consumer != victim.consumer)
        .unwrap()
        .clone();
    assert!(!victim.owns.is_empty(), "{billing:?}");
    let scope = format!(
        ".group[data-group=\"billing\"] li[data-consumer=\"{}\"]",
        victim.consumer
    );
    let started = Instant::now();
    h.click_button(&scope, "Crash")?;
    let done = h.wait_scene(
        &format!(
            "consumer {} to own partitions 0,1,2 of billing in a generation after {}",
            survivor.consumer, billing.generation
        ),
        CRASH_TIMEOUT,
        |s| {
            s.group("billing").is_some_and(|g| {
                let mut owns: Vec<u32> = g
                    .members
                    .iter()
                    .find(|m| m.consumer == survivor.consumer)
                    .map_or_else(Vec::new, |m| m.owns.clone());
                owns.sort_unstable();
                g.state == "Stable"
                    && g.generation > billing.generation
                    && owns == [0, 1, 2]
                    && g.members.iter().all(|m| m.consumer == survivor.consumer)
            })
        },
    )?;
    let elapsed = started.elapsed();
    // At 20× the 45 s session timeout is ~2.25 s of wall time: the survivor
    // cannot have taken over much earlier than that.
    assert!(
        elapsed >= Duration::from_millis(1_500),
        "the crash was handled after {elapsed:?}: sooner than session.timeout.ms allows"
    );
    let g = done.group("billing").unwrap();
    eprintln!(
        "crash: consumer {} crashed; consumer {} owns {:?} in generation {} (was {}) after {elapsed:?} wall, virtual now {} ms",
        victim.consumer,
        survivor.consumer,
        g.members[0].owns,
        g.generation,
        billing.generation,
        done.now
    );
    assert!(
        g.members[0].alive,
        "the survivor's buttons are disabled: {g:?}"
    );
    h.screenshot("playground-crash")?;
    h.expect_no_panic_banner("playground crash")
}

/// Task 1c: bad URL parameters raise an alert naming each, the default scene
/// still runs, and the alert can be dismissed.
pub fn check_bad_params(h: &Harness) -> Result<(), Error> {
    let scene = open_playground(h, "#/playground?partitions=999&speed=abc&bogus=1&seed=7")?;
    let alert = h
        .browser
        .find("main#view .playground .error[role=\"alert\"]")?;
    assert!(alert.displayed()?, "the alert is not visible");
    let text = alert.text()?;
    for needle in ["partitions=999", "speed=abc", "bogus"] {
        assert!(
            text.contains(needle),
            "the alert does not name {needle:?}: {text:?}"
        );
    }
    assert_eq!(scene.alert.as_deref().map(str::is_empty), Some(false));
    h.screenshot("playground-bad-params")?;
    // The good parameter and the defaults still apply: 3 partitions, billing.
    assert_eq!(scene.lanes.len() as u32, DEFAULT_PARTITIONS);
    h.wait_scene(
        "group billing to be Stable despite the bad params",
        STABLE_TIMEOUT,
        |s| s.stable("billing") && s.playing(),
    )?;
    h.click(".playground .error[role=\"alert\"] button")?;
    h.wait_scene("the alert to be dismissed", RENDER, |s| s.alert.is_none())?;
    h.produce("dave:4")?;
    h.wait_scene("dave:4 in its murmur2 lane", FLOW_TIMEOUT, |s| {
        s.counts().0 == 1 && s.keys_misplaced(&["dave"]).is_none()
    })?;
    h.expect_no_panic_banner("playground with bad params")
}

// ---------------------------------------------------------------------------
// Frame-time probe.
// ---------------------------------------------------------------------------

/// Installs a `requestAnimationFrame` loop pushing the deltas of the frames' timestamps into
/// `window.__ticks` (the frame clock: a frame the page missed shows as a 33 ms delta),
/// `performance.now()` deltas at the probe's callback into `window.__frames` (the clock plus
/// the jitter of the page's script before it), long tasks into `window.__longTasks`, and
/// returns the starting point.
const PROBE_START: &str = r#"
window.__frames = [];
window.__ticks = [];
window.__script = [];
window.__main = [];
window.__longTasks = [];
window.__probeStop = false;
let last = null;
let lastTs = null;
// This callback runs after the page's own (registered earlier in the frame), so `t - ts` is the
// page's script in the frame (its rAF work and the microtasks it queued: Yew renders there);
// a message posted now arrives after the frame's style, layout and paint on the main thread.
// The probe's stop closes the channel and lets it go: its `onmessage` is an event listener of
// the page while it lives, and the soak counts the page's listeners.
const done = new MessageChannel();
window.__probeChannel = done;
let frameStart = 0;
done.port1.onmessage = () => window.__main.push(performance.now() - frameStart);
const loop = (ts) => {
  const t = performance.now();
  if (last !== null) {
    window.__frames.push(t - last);
    window.__ticks.push(ts - lastTs);
    window.__script.push(t - ts);
    frameStart = ts;
    done.port2.postMessage(0);
  }
  last = t;
  lastTs = ts;
  if (!window.__probeStop) requestAnimationFrame(loop);
};
requestAnimationFrame(loop);
try {
  window.__longTaskObserver = new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  });
  window.__longTaskObserver.observe({ type: 'longtask' });
} catch (e) {}
window.__probeT0 = performance.now();
return window.__probeSample();
"#;

/// Defines `window.__probeSample()`: DOM size, heap, virtual time, counters.
const PROBE_SAMPLE: &str = r#"
window.__probeSample = () => {
  const tl = document.querySelector('label.timeline');
  const counters = document.querySelector('.counters');
  const m = performance.memory;
  return {
    nodes: document.getElementsByTagName('*').length,
    heap: m ? { used: m.usedJSHeapSize, total: m.totalJSHeapSize, limit: m.jsHeapSizeLimit } : null,
    now: tl ? Number(tl.getAttribute('data-now')) : null,
    counters: counters ? counters.textContent.trim() : null,
    flights: (() => { const g = document.querySelector('g.flights');
                      return g ? Number(g.getAttribute('data-count')) : 0; })(),
    drawn: document.querySelectorAll('g.flights path.flight').length,
    cells: document.querySelectorAll('g.cell').length,
    log: document.querySelectorAll('.event-log ol li').length,
    t: performance.now(),
  };
};
"#;

const PROBE_STOP: &str = r#"
window.__probeStop = true;
if (window.__longTaskObserver) window.__longTaskObserver.disconnect();
if (window.__probeChannel) { window.__probeChannel.port1.onmessage = null; window.__probeChannel.port1.close(); window.__probeChannel = null; }
return { frames: window.__frames, ticks: window.__ticks, script: window.__script, main: window.__main, longTasks: window.__longTasks,
         wall: performance.now() - window.__probeT0, end: window.__probeSample() };
"#;

/// Starts counting the page's DOM mutations (a `MutationObserver` on the whole document) and
/// its animation frames, each mutation put down to the part of the page it touched. Run after
/// the timing window, so that counting costs the timed frames nothing. Mutations per frame
/// do not depend on the machine: they say how much DOM work a frame asks for.
const MUTATIONS_START: &str = r#"
const parts = [
  ['.flights-layer', 'flights'], ['g.lane', 'lanes'], ['g.clients', 'client boxes'],
  ['.diagram-strip', 'strip'], ['.key-legend', 'key legend'], ['figure.diagram', 'diagram'],
  ['.controls', 'controls'], ['.producer-panel', 'producer'], ['.replicas-panel', 'replicas'],
  ['.card', 'record card'], ['.lag-chart', 'lag chart'], ['.event-log', 'event log'],
  ['.cluster', 'cluster'], ['.groups', 'groups'], ['[role=status]', 'live region'],
];
const m = { frames: 0, records: 0, attributes: 0, added: 0, removed: 0, text: 0, parts: {}, attrs: {} };
window.__mutations = m;
window.__mutationsStop = false;
const part = (node) => {
  const el = node.nodeType === 1 ? node : node.parentElement;
  if (!el) return 'other';
  for (const [css, name] of parts) if (el.closest(css)) return name;
  return 'other';
};
window.__mutationObserver = new MutationObserver((list) => {
  for (const r of list) {
    m.records += 1;
    const where = part(r.target);
    m.parts[where] = (m.parts[where] || 0) + 1;
    if (r.type === 'attributes') {
      m.attributes += 1;
      const a = where + ' @' + r.attributeName;
      m.attrs[a] = (m.attrs[a] || 0) + 1;
    } else if (r.type === 'characterData') {
      m.text += 1;
    } else {
      m.added += r.addedNodes.length;
      m.removed += r.removedNodes.length;
      // Which nodes a part builds: `lanes +text` is a text element (or node) added.
      for (const n of r.addedNodes) {
        const a = where + ' +' + n.nodeName.toLowerCase();
        m.attrs[a] = (m.attrs[a] || 0) + 1;
      }
    }
  }
});
window.__mutationObserver.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
const count = () => { if (window.__mutationsStop) return; m.frames += 1; requestAnimationFrame(count); };
requestAnimationFrame(count);
"#;

const MUTATIONS_STOP: &str = r#"
window.__mutationsStop = true;
const pending = window.__mutationObserver.takeRecords().length;
window.__mutationObserver.disconnect();
window.__mutations.records += pending;
return window.__mutations;
"#;

/// How long DOM mutations are counted, after the timing window.
const MUTATION_WINDOW: Duration = Duration::from_secs(2);

/// Warm-up before measuring, and the measuring window.
const PROBE_WARMUP: Duration = Duration::from_secs(3);
const PROBE_WINDOW: Duration = Duration::from_secs(5);

/// One probe's results.
pub struct Probe {
    scene: String,
    /// Deltas of the frames' `requestAnimationFrame` timestamps: the frame clock.
    ticks: Vec<f64>,
    /// Deltas of `performance.now()` at the probe's callback, after the page's script.
    frames: Vec<f64>,
    /// Per frame: the page's script before the probe's callback (ms after the frame began).
    script: Vec<f64>,
    /// Per frame: when the main thread had finished the frame (script, style, layout, paint).
    main: Vec<f64>,
    long_tasks: Vec<f64>,
    wall_ms: f64,
    start: Value,
    end: Value,
    /// DOM mutations counted after the timing window (see [`MUTATIONS_START`]), if they were.
    mutations: Value,
}

/// One frame at 60 Hz, in milliseconds.
const VSYNC_MS: f64 = 1000.0 / 60.0;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Probe {
    fn sorted(&self) -> Vec<f64> {
        let mut s = self.frames.clone();
        s.sort_by(f64::total_cmp);
        s
    }

    pub fn p95(&self) -> f64 {
        percentile(&self.sorted(), 95.0)
    }

    /// Frames the frame clock skipped (a delta over 1.5 vsync), and the page script's p95 (ms).
    pub fn missed_and_script_p95(&self) -> (usize, f64) {
        let missed = self.ticks.iter().filter(|d| **d > 1.5 * VSYNC_MS).count();
        let mut script = self.script.clone();
        script.sort_by(f64::total_cmp);
        (missed, percentile(&script, 95.0))
    }

    pub fn nodes(&self) -> (u64, u64) {
        (
            self.start["nodes"].as_u64().unwrap_or(0),
            self.end["nodes"].as_u64().unwrap_or(0),
        )
    }

    /// DOM mutation records per animation frame, if they were counted.
    pub fn mutations_per_frame(&self) -> Option<f64> {
        let m = &self.mutations;
        let frames = m["frames"].as_f64().filter(|f| *f > 0.0)?;
        Some(m["records"].as_f64()? / frames)
    }

    /// DOM mutations per animation frame: in all, by kind and by part of the page (the
    /// busiest first), and the attributes written most.
    fn mutations_line(&self) -> Option<String> {
        let m = &self.mutations;
        let frames = m["frames"].as_f64().filter(|f| *f > 0.0)?;
        let per = |v: &Value| v.as_f64().unwrap_or(0.0) / frames;
        let busiest = |v: &Value, n: usize| {
            let mut all: Vec<(String, f64)> = v
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), per(v))).collect())
                .unwrap_or_default();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            all.iter()
                .take(n)
                .map(|(k, v)| format!("{k} {v:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(format!(
            "  DOM mutations per frame ({frames:.0} frames in {MUTATION_WINDOW:?} after the timing window): {:.1} records \
             (attributes {:.1}, text {:.1}, nodes added {:.1}, removed {:.1}); by part: {}; attributes written and nodes added most: {}\n",
            per(&m["records"]),
            per(&m["attributes"]),
            per(&m["text"]),
            per(&m["added"]),
            per(&m["removed"]),
            busiest(&m["parts"], 8),
            busiest(&m["attrs"], 10),
        ))
    }

    pub fn report(&self) -> String {
        let s = self.sorted();
        let n = s.len();
        let mean = s.iter().sum::<f64>() / n.max(1) as f64;
        let over = |ms: f64| s.iter().filter(|d| **d > ms).count();
        let (n0, n1) = self.nodes();
        let mb = |v: &Value| {
            v.as_f64()
                .map_or("?".into(), |b| format!("{:.1} MB", b / 1e6))
        };
        let heap = |v: &Value| {
            if v["heap"].is_null() {
                "n/a (no performance.memory)".to_string()
            } else {
                format!(
                    "{} used / {} total",
                    mb(&v["heap"]["used"]),
                    mb(&v["heap"]["total"])
                )
            }
        };
        let virt = |v: &Value| v["now"].as_f64().unwrap_or(f64::NAN);
        let virtual_ms = virt(&self.end) - virt(&self.start);
        let appended = |v: &Value| {
            v["counters"]
                .as_str()
                .and_then(|c| c.split_whitespace().next())
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        let appended_delta = appended(&self.end) - appended(&self.start);
        let long_total: f64 = self.long_tasks.iter().fold(0.0, |a, b| a + b);
        let long_max = self.long_tasks.iter().cloned().fold(0.0, f64::max);
        let mut out = String::new();
        let mut ticks = self.ticks.clone();
        ticks.sort_by(f64::total_cmp);
        let missed = ticks.iter().filter(|d| **d > 1.5 * VSYNC_MS).count();
        let _ = writeln!(out, "scene {}", self.scene);
        let _ = writeln!(
            out,
            "  frame clock (rAF timestamp deltas): {} frames in {:.0} ms ({:.1} fps): median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; missed frames (delta > 1.5 vsync): {missed}",
            ticks.len(),
            self.wall_ms,
            ticks.len() as f64 * 1000.0 / self.wall_ms,
            percentile(&ticks, 50.0),
            percentile(&ticks, 95.0),
            percentile(&ticks, 99.0),
            ticks.last().copied().unwrap_or(f64::NAN),
        );
        let _ = writeln!(
            out,
            "  callback deltas (performance.now() after the page's script, so its jitter too): median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms, mean {:.1} ms",
            percentile(&s, 50.0),
            percentile(&s, 95.0),
            percentile(&s, 99.0),
            s.last().copied().unwrap_or(f64::NAN),
            mean
        );
        let _ = writeln!(
            out,
            "  frames over 20 ms: {}, over 50 ms: {}, over 100 ms: {}; long tasks (>50 ms): {} totalling {:.0} ms, longest {:.0} ms",
            over(20.0),
            over(50.0),
            over(100.0),
            self.long_tasks.len(),
            long_total,
            long_max
        );
        let spread = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            format!(
                "median {:.1} ms, p95 {:.1} ms",
                percentile(&v, 50.0),
                percentile(&v, 95.0)
            )
        };
        let _ = writeln!(
            out,
            "  page script per frame: {}; main thread done after: {}",
            spread(&self.script),
            spread(&self.main)
        );
        if virtual_ms.is_finite() {
            let _ = writeln!(
                out,
                "  virtual time advanced {virtual_ms:.0} ms in {:.0} ms wall ({:.2}x); appended +{appended_delta:.0} ({:.0}/s wall)",
                self.wall_ms,
                virtual_ms / self.wall_ms,
                appended_delta * 1000.0 / self.wall_ms
            );
        }
        let _ = writeln!(
            out,
            "  DOM nodes {n0} -> {n1}; cells {} -> {}, flights {} -> {}, log lines {} -> {}",
            self.start["cells"],
            self.end["cells"],
            self.start["flights"],
            self.end["flights"],
            self.start["log"],
            self.end["log"]
        );
        let _ = writeln!(
            out,
            "  JS heap {} -> {}",
            heap(&self.start),
            heap(&self.end)
        );
        if let Some(line) = self.mutations_line() {
            out.push_str(&line);
        }
        if let Some(counters) = self.end["counters"].as_str() {
            let _ = writeln!(out, "  counters at end: {counters}");
        }
        out
    }
}

/// Opens `rel` as a first visit and lets it warm up: each scene starts from its address alone
/// (the page restores its autosaved session on an address without a setup, `#/playground`,
/// which would measure the scene run before). Storage is cleared from about:blank, where no
/// page of ours runs to save again.
fn open_scene(h: &Harness, rel: &str) -> Result<(), Error> {
    h.clear_storage()?;
    h.open(rel)?;
    if rel.starts_with("#/playground") {
        h.wait_scene("the Playground to render", STABLE_TIMEOUT, |s| {
            !s.lanes.is_empty()
        })?;
    }
    thread::sleep(PROBE_WARMUP);
    Ok(())
}

fn probe(h: &Harness, rel: &str) -> Result<Probe, Error> {
    open_scene(h, rel)?;
    let mut probe = measure(h, rel)?;
    h.browser.execute(MUTATIONS_START, &[])?;
    thread::sleep(MUTATION_WINDOW);
    probe.mutations = h.browser.execute(MUTATIONS_STOP, &[])?;
    Ok(probe)
}

/// Measures the page as it is, for [`PROBE_WINDOW`], without opening or warming it up (the soak
/// measures the same page again and again, and right after a hidden tab returns).
pub fn measure(h: &Harness, rel: &str) -> Result<Probe, Error> {
    h.browser.execute(PROBE_SAMPLE, &[])?;
    let start = h.browser.execute(PROBE_START, &[])?;
    thread::sleep(PROBE_WINDOW);
    let mut stop = h.browser.execute(PROBE_STOP, &[])?;
    let floats = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    h.expect_no_panic_banner(rel)?;
    Ok(Probe {
        scene: rel.to_owned(),
        ticks: floats(&stop["ticks"]),
        frames: floats(&stop["frames"]),
        script: floats(&stop["script"]),
        main: floats(&stop["main"]),
        long_tasks: floats(&stop["longTasks"]),
        wall_ms: stop["wall"].as_f64().unwrap_or(f64::NAN),
        start,
        end: stop["end"].take(),
        mutations: Value::Null,
    })
}

/// The machine's load average (1, 5 and 15 minutes; Linux), or "?".
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

/// What a probe ran on, so figures from two machines or two builds are not compared blindly:
/// the browser, the cores it saw, the machine's load before and after (other work on a shared
/// machine shows here first), and the build (the wasm module's hashed name and size).
fn ran_on(h: &Harness, load_before: &str) -> String {
    let browser = h
        .browser
        .execute(
            "return navigator.userAgent + ' | ' + navigator.hardwareConcurrency + ' cores';",
            &[],
        )
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    let wasm = fs::read_dir(server::dist_dir())
        .ok()
        .and_then(|dir| {
            dir.filter_map(|e| e.ok())
                .find(|e| e.file_name().to_string_lossy().ends_with("_bg.wasm"))
        })
        .map(|e| {
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            format!("{} ({size} B)", e.file_name().to_string_lossy())
        })
        .unwrap_or_else(|| "?".into());
    format!(
        "ran on: {browser}; load average before {load_before}, after {}; build {wasm}\n",
        load_average()
    )
}

/// Task 2: `requestAnimationFrame` deltas of the busy scene (12 partitions,
/// 3 groups × 2 consumers, 1,000 records/s), of the default scene, of the
/// EDA-vs-SOA view at 20× and of a page without animation (what headless Chromium's frame clock does alone).
/// Prints the numbers (with the DOM mutations per frame, which mean the same on any machine)
/// and writes them to `<target>/e2e/frame-time.txt`;
/// only gross failures (p95 ≥ 1 s, an unbounded DOM) fail it.
pub fn frame_time_probe(h: &Harness) -> Result<(), Error> {
    const BUSY: &str = "#/playground?partitions=12&groups=3&rate=1000&seed=1";
    let load_before = load_average();
    let busy = probe(h, BUSY)?;
    h.screenshot("playground-busy")?;
    let default = probe(h, "#/playground")?;
    let compare = probe(h, "#/eda-vs-soa?speed=20&seed=1")?;
    let idle = probe(h, "#/lessons")?;
    let mut out = format!(
        "frame-time probe: headless Chromium (--disable-gpu, software compositing), window 1280x800; \
         {PROBE_WARMUP:?} warm-up, {PROBE_WINDOW:?} of rAF deltas\n{}",
        ran_on(h, &load_before)
    );
    for p in [&busy, &default, &compare, &idle] {
        out.push_str(&p.report());
    }
    // Issue #18's figures for the busy scene, in one line.
    let (missed, script_p95) = busy.missed_and_script_p95();
    let _ = writeln!(
        out,
        "busy scene: {missed} missed frames, page script p95 {script_p95:.1} ms, {:.1} DOM mutations per frame",
        busy.mutations_per_frame().unwrap_or(f64::NAN)
    );
    eprint!("{out}");
    let file = webdriver::artifact_dir().join("frame-time.txt");
    fs::write(&file, &out).map_err(|e| Error::Io(format!("write {}: {e}", file.display())))?;

    for p in [&busy, &default, &compare] {
        assert!(
            p.frames.len() >= 10,
            "{}: only {} animation frames in {PROBE_WINDOW:?}",
            p.scene,
            p.frames.len()
        );
        assert!(
            p.p95() < 1_000.0,
            "{}: p95 frame time {:.0} ms: the page is frozen, not slow",
            p.scene,
            p.p95()
        );
        // Cells, flights and log lines are all capped, so the DOM must not
        // grow with the records that flow.
        let (n0, n1) = p.nodes();
        assert!(
            n1 <= n0 + n0 / 2 + 200,
            "{}: the DOM grew from {n0} to {n1} nodes in {PROBE_WINDOW:?}",
            p.scene
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Replicas, topics and narrow screens.
// ---------------------------------------------------------------------------

/// The replica table and the lanes' health, in one round trip.
const REPLICAS_SCRIPT: &str = r#"
const pg = document.querySelector('main#view .playground');
if (!pg) return null;
const table = pg.querySelector('table.replicas');
return {
  topic: table ? table.getAttribute('data-topic') : null,
  brokers: Array.from(pg.querySelectorAll('.cluster li[data-broker]')).map(li => ({
    id: Number(li.getAttribute('data-broker')),
    running: li.getAttribute('data-running') === 'true',
  })),
  rows: table ? Array.from(table.querySelectorAll('tbody tr')).map(tr => ({
    partition: Number(tr.getAttribute('data-partition')),
    state: tr.getAttribute('data-state'),
    leader: tr.getAttribute('data-leader'),
    isr: tr.getAttribute('data-isr'),
    leaders: tr.querySelectorAll('td.leader').length,
    followers: tr.querySelectorAll('td.follower').length,
    out_of_sync: Array.from(tr.querySelectorAll('td.out-of-sync')).map(td => Number(td.getAttribute('data-broker'))),
  })) : [],
  lanes: Array.from(pg.querySelectorAll('.diagram svg g.lane')).map(l => l.getAttribute('class')),
  shown: (pg.querySelector('select.show-topic') || {}).value || null,
  form_error: (pg.querySelector('.create-topic .form-error[role="alert"]') || {}).textContent || null,
  log: Array.from(pg.querySelectorAll('.event-log ol li')).map(li => li.textContent),
};
"#;

#[derive(Debug, Clone, Deserialize)]
struct Replicas {
    topic: Option<String>,
    brokers: Vec<BrokerRow>,
    rows: Vec<ReplicaRow>,
    lanes: Vec<String>,
    shown: Option<String>,
    form_error: Option<String>,
    log: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct BrokerRow {
    id: u32,
    running: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct ReplicaRow {
    partition: u32,
    state: String,
    leader: String,
    isr: String,
    leaders: usize,
    followers: usize,
    out_of_sync: Vec<u32>,
}

impl Replicas {
    fn all(&self, state: &str) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|r| r.state == state)
    }

    fn lanes_flagged(&self, class: &str) -> usize {
        self.lanes
            .iter()
            .filter(|c| c.split_whitespace().any(|w| w == class))
            .count()
    }
}

impl Harness {
    fn replicas(&self) -> Result<Replicas, Error> {
        let v = self.browser.execute(REPLICAS_SCRIPT, &[])?;
        serde_json::from_value(v.clone())
            .map_err(|e| Error::Protocol(format!("not a replica table ({e}): {v}")))
    }

    fn wait_replicas(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Replicas) -> bool,
    ) -> Result<Replicas, Error> {
        let mut seen: Option<Replicas> = None;
        let result = self.browser.wait_until(what, timeout, || {
            let r = self.replicas()?;
            let done = pred(&r);
            seen = Some(r.clone());
            Ok(done.then_some(r))
        });
        result.map_err(|e| Error::Timeout(format!("{e}\n    last replicas: {seen:#?}")))
    }

    /// Sets a form field's value the way typing does (value, then `input`).
    fn set_field(&self, css: &str, value: &str) -> Result<(), Error> {
        self.browser.execute(
            r#"const el = document.querySelector(arguments[0]);
               el.value = arguments[1];
               el.dispatchEvent(new Event('input', { bubbles: true }));
               el.dispatchEvent(new Event('change', { bubbles: true }));"#,
            &[json!(css), json!(value)],
        )?;
        Ok(())
    }

    /// Clicks the Stop/Start button of broker `id` in the cluster panel.
    /// Stops or starts broker `id` and waits until the panel says it did. A click the page
    /// moved away from (a line above it re-wrapped as it rendered) lands elsewhere without an
    /// error, so a click that changed nothing is retried (at most 5 times).
    fn toggle_broker(&self, id: u32) -> Result<(), Error> {
        let li = format!(".cluster li[data-broker=\"{id}\"]");
        let running = || -> Result<Option<String>, Error> {
            self.browser.find(&li)?.attribute("data-running")
        };
        let before = running()?;
        for _ in 0..5 {
            self.click(&format!("{li} button"))?;
            let changed = self.browser.wait_until(
                &format!("broker {id} to change state"),
                Duration::from_secs(2),
                || Ok((running()? != before).then_some(())),
            );
            if changed.is_ok() {
                return Ok(());
            }
        }
        Err(Error::Timeout(format!(
            "clicking broker {id}'s button five times did not change it"
        )))
    }
}

/// Replication factor 3 on 3 brokers: one leader and two in-sync followers
/// per partition; stopping a broker makes every partition under-replicated
/// (its replica is marked out of sync, the lanes are flagged); starting it
/// again brings it back into the ISR; stopping every broker takes the
/// partitions offline.
pub fn check_replicas(h: &Harness) -> Result<(), Error> {
    open_playground(h, "#/playground?brokers=3&rf=3&seed=3&speed=4")?;
    let healthy = h.wait_replicas(
        "3 partitions fully in sync on 3 brokers",
        STABLE_TIMEOUT,
        |r| {
            r.rows.len() == 3
                && r.all("in sync")
                && r.rows.iter().all(|row| {
                    row.leaders == 1 && row.followers == 2 && row.isr.split(',').count() == 3
                })
        },
    )?;
    assert_eq!(healthy.topic.as_deref(), Some("orders"));
    let partitions: Vec<u32> = healthy.rows.iter().map(|r| r.partition).collect();
    assert_eq!(partitions, [0, 1, 2], "one row per partition, in order");
    assert_eq!(healthy.brokers.len(), 3, "{healthy:?}");
    assert_eq!(healthy.lanes_flagged("under-replicated"), 0);
    for row in &healthy.rows {
        assert!(
            row.isr.split(',').any(|b| b == row.leader),
            "the leader is in the ISR: {row:?}"
        );
    }

    h.toggle_broker(2)?;
    let degraded = h.wait_replicas(
        "every partition under-replicated with broker 2 out of sync",
        FLOW_TIMEOUT,
        |r| {
            r.all("under-replicated")
                && r.rows
                    .iter()
                    .all(|row| row.out_of_sync == [2] && !row.isr.contains('2'))
                && r.lanes_flagged("under-replicated") == 3
                && r.brokers.iter().any(|b| b.id == 2 && !b.running)
        },
    )?;
    h.screenshot("playground-under-replicated")?;
    assert!(
        degraded.rows.iter().all(|row| row.leader != "2"),
        "a stopped broker leads nothing: {degraded:?}"
    );

    h.toggle_broker(2)?;
    h.wait_replicas("broker 2 back in every ISR", FLOW_TIMEOUT, |r| {
        r.all("in sync") && r.lanes_flagged("under-replicated") == 0
    })?;

    for id in [1, 2, 3] {
        h.toggle_broker(id)?;
        h.wait_replicas(&format!("broker {id} stopped"), FLOW_TIMEOUT, |r| {
            r.brokers.iter().any(|b| b.id == id && !b.running)
        })?;
    }
    let offline = h.wait_replicas("every partition offline", FLOW_TIMEOUT, |r| {
        r.all("offline") && r.lanes_flagged("offline") == 3
    })?;
    assert!(offline.rows.iter().all(|row| row.leader.is_empty()));
    h.screenshot("playground-offline")?;
    h.expect_no_panic_banner("playground replicas")
}

/// The create-topic form: Kafka's refusal when the replication factor
/// exceeds the live brokers, then a compacted topic with RF 2 once a second
/// broker runs; the diagram shows it, the producer writes to it, the event
/// log records it, and rewinding the timeline before it hides it again.
pub fn check_create_topic(h: &Harness) -> Result<(), Error> {
    open_playground(h, "#/playground?seed=4")?;
    h.wait_scene("group billing Stable", STABLE_TIMEOUT, |s| {
        s.stable("billing")
    })?;
    let fill = |name: &str, partitions: &str, rf: &str, policy: &str| -> Result<(), Error> {
        h.set_field(".create-topic input[name=topic]", name)?;
        h.set_field(".create-topic input[name=partitions]", partitions)?;
        h.set_field(".create-topic input[name=replication-factor]", rf)?;
        h.set_field(".create-topic select[name=cleanup-policy]", policy)?;
        h.click(".create-topic button[type=submit]")
    };
    fill("payments", "4", "2", "compact")?;
    let refused = h.wait_replicas("Kafka's refusal", RENDER, |r| r.form_error.is_some())?;
    assert_eq!(
        refused.form_error.as_deref(),
        Some(
            "Unable to replicate the partition 2 time(s): The target replication factor of 2 \
             cannot be reached because only 1 broker(s) are registered."
        )
    );
    assert_eq!(refused.topic.as_deref(), Some("orders"), "nothing created");
    fill("payments", "0", "1", "delete")?;
    h.wait_replicas("Kafka's refusal of 0 partitions", RENDER, |r| {
        r.form_error
            .as_deref()
            .is_some_and(|e| e.contains("partitions") && !e.contains("replicate"))
    })?;

    h.click_button(".cluster", "Add broker")?;
    h.wait_replicas("a second broker", RENDER, |r| r.brokers.len() == 2)?;
    let before = h.scene()?.now;
    fill("payments", "4", "2", "compact")?;
    let created = h.wait_replicas("payments shown with RF 2", FLOW_TIMEOUT, |r| {
        r.topic.as_deref() == Some("payments")
            && r.rows.len() == 4
            && r.rows
                .iter()
                .all(|row| row.leaders == 1 && row.followers == 1)
            && r.form_error.is_none()
    })?;
    assert_eq!(created.shown.as_deref(), Some("payments"));
    assert_eq!(created.lanes.len(), 4, "the diagram shows payments' lanes");
    let label = h.browser.find(".producer-panel label.grow")?.text()?;
    assert!(label.contains("Message to payments"), "{label:?}");
    h.wait_replicas("the event log records the creation", FLOW_TIMEOUT, |r| {
        r.log
            .iter()
            .any(|l| l.contains("topic payments created: 4 partitions, replication factor 2"))
    })?;
    h.produce("alice:compacted")?;
    let p = partition_for_key(b"alice", 4);
    h.wait_scene("alice in payments' murmur2 lane", FLOW_TIMEOUT, |s| {
        s.lane(p)
            .is_some_and(|l| l.cells.iter().any(|c| c.key == "alice"))
    })?;

    // The creation is on the timeline: rewind before it, and orders is back.
    h.click_button(".controls", "Pause")?;
    h.drag_timeline(before)?;
    let rewound = h.wait_replicas("orders shown after rewinding", RENDER, |r| {
        r.topic.as_deref() == Some("orders") && r.rows.len() as u32 == DEFAULT_PARTITIONS
    })?;
    assert!(
        rewound.shown.as_deref() == Some("orders"),
        "payments does not exist yet: {rewound:?}"
    );
    h.expect_no_panic_banner("playground create topic")
}

/// Puts the Playground in a `width` × `height` iframe (same origin, as an
/// embedding page would) and returns what overflows, and the controls that
/// are not on screen horizontally. (The harness's window is 1280 px and has
/// no resize command; an iframe is also exactly how the small case happens.)
const EMBED_SCRIPT: &str = r#"
const [width, height, hash] = arguments;
let f = document.getElementById('embed-probe');
if (!f) {
  f = document.createElement('iframe');
  f.id = 'embed-probe';
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
if (!d || !d.querySelector('.playground .diagram svg') || !d.querySelector('.group[data-state="Stable"]')) return null;
const de = d.documentElement;
const key = {
  play: Array.from(d.querySelectorAll('.controls button')).find(b => /^(Play|Pause)$/.test(b.textContent.trim())),
  step: Array.from(d.querySelectorAll('.controls button')).find(b => b.textContent.trim().startsWith('Step')),
  timeline: d.querySelector('.controls .timeline input'),
  produce: d.querySelector('#produce-input'),
  diagram: d.querySelector('.playground .diagram svg'),
  add_consumer: Array.from(d.querySelectorAll('.group button')).find(b => b.textContent.trim() === 'Add consumer'),
  create_topic: d.querySelector('.create-topic button[type=submit]'),
  broker: d.querySelector('.cluster li[data-broker] button'),
};
const off = [];
for (const [name, el] of Object.entries(key)) {
  if (!el) { off.push(name + ': missing'); continue; }
  const r = el.getBoundingClientRect();
  const s = f.contentWindow.getComputedStyle(el);
  if (r.width <= 0 || r.height <= 0 || s.visibility === 'hidden' || s.display === 'none') off.push(name + ': not displayed');
  else if (r.left < 0 || r.right > de.clientWidth + 0.5) off.push(name + ': x ' + r.left + '..' + r.right);
}
const wide = Array.from(d.querySelectorAll('.playground *'))
  .filter(el => el.getBoundingClientRect().right > de.clientWidth + 0.5 && !el.closest('.table-scroll'))
  .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
return {
  inner_width: f.contentWindow.innerWidth,
  scroll_width: de.scrollWidth,
  client_width: de.clientWidth,
  body_scroll_width: d.body.scrollWidth,
  view_box: key.diagram ? key.diagram.getAttribute('viewBox') : null,
  off, wide,
};
"#;

#[derive(Debug, Clone, Deserialize)]
struct Embed {
    inner_width: f64,
    scroll_width: f64,
    client_width: f64,
    body_scroll_width: f64,
    view_box: Option<String>,
    off: Vec<String>,
    wide: Vec<String>,
}

/// At 360 px (a phone, a small iframe) and at 640 × 400 (the design's
/// embed size): no horizontal overflow of the page, the key controls on
/// screen, and the compact diagram at both (the wide one, 960 units, would be
/// drawn below its own size there and its text under 11 px). Brokers 3 and
/// RF 3 so the replica table is as wide as it gets in an ordinary lesson.
pub fn check_narrow(h: &Harness) -> Result<(), Error> {
    // The embedding page: a light view, so the iframe has the machine to itself.
    h.open("#/lessons")?;
    for (width, height, compact) in [(360u32, 640u32, true), (640, 400, true)] {
        let hash = "#/playground?brokers=3&rf=3&seed=2&partitions=6";
        let mut seen = None;
        let embed = h
            .browser
            .wait_until(
                &format!("the Playground in a {width} px iframe"),
                STABLE_TIMEOUT,
                || {
                    let v = h
                        .browser
                        .execute(EMBED_SCRIPT, &[json!(width), json!(height), json!(hash)])?;
                    seen = Some(v.clone());
                    Ok((!v.is_null()).then_some(v))
                },
            )
            .map_err(|e| Error::Timeout(format!("{e}; last: {seen:?}")))?;
        let embed: Embed = serde_json::from_value(embed.clone())
            .map_err(|e| Error::Protocol(format!("not an embed report ({e}): {embed}")))?;
        h.screenshot_of(&format!("playground-{width}px"), "#embed-probe")?;
        assert_eq!(embed.inner_width, f64::from(width), "{embed:?}");
        assert!(
            embed.scroll_width <= embed.client_width
                && embed.body_scroll_width <= embed.client_width,
            "{width} px: the page scrolls sideways ({} > {}); widest: {:?}",
            embed.scroll_width,
            embed.client_width,
            embed.wide
        );
        assert!(
            embed.off.is_empty(),
            "{width} px: controls off screen: {:?}",
            embed.off
        );
        assert_eq!(
            embed.view_box.as_deref().map(|v| v.starts_with("0 0 400 ")),
            Some(compact),
            "{width} px: compact diagram is {compact}: {embed:?}"
        );
    }
    h.expect_no_panic_banner("playground narrow")
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_replicas_show_leaders_isr_and_failures() {
    crate::run_on_dist("playground-replicas", check_replicas);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_creates_topics_and_shows_kafkas_refusals() {
    crate::run_on_dist("playground-create-topic", check_create_topic);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_fits_360px_and_a_640x400_iframe() {
    crate::run_on_dist("playground-narrow", check_narrow);
}

// ---------------------------------------------------------------------------
// Where a frame's time goes.
// ---------------------------------------------------------------------------

/// The Chromium metrics (`Performance.getMetrics`) whose growth over a window says where the
/// main thread's time went: the page's script, style, layout, and all tasks.
const METRICS: [&str; 4] = [
    "ScriptDuration",
    "RecalcStyleDuration",
    "LayoutDuration",
    "TaskDuration",
];

fn metrics(h: &Harness) -> Result<BTreeMap<String, f64>, Error> {
    let m = h.browser.cdp("Performance.getMetrics", json!({}))?;
    Ok(m["metrics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
                .collect()
        })
        .unwrap_or_default())
}

/// Counts the page's animation frames from now on (`window.__profileFrames`).
const COUNT_FRAMES: &str = r#"
window.__profileFrames = 0;
// A loop of an earlier window stops when it sees a newer one started.
const run = (window.__profileRun || 0) + 1;
window.__profileRun = run;
const tick = () => { if (window.__profileRun !== run) return; window.__profileFrames += 1; requestAnimationFrame(tick); };
requestAnimationFrame(tick);
"#;

/// Frames counted since the profiled window began (at least 1); ends that window's count.
fn profiled_frames(h: &Harness) -> Result<f64, Error> {
    Ok(h.browser
        .execute(
            "window.__profileRun += 1; return window.__profileFrames;",
            &[],
        )?
        .as_f64()
        .unwrap_or(0.0)
        .max(1.0))
}

/// CPU time (user + system, ms) of this test's Chromium processes by type (`renderer`, `gpu-process`,
/// `browser`, …), from `/proc` (Linux): every thread's work, the raster and compositor threads
/// too, counted as CPU time, so other work on a shared machine changes it little.
fn browser_cpu_ms() -> BTreeMap<String, f64> {
    let mut by_type = BTreeMap::new();
    let mine = format!("eda-e2e-profile-{}-", std::process::id());
    let Ok(dir) = fs::read_dir("/proc") else {
        return by_type;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        let Ok(cmdline) = fs::read(path.join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if !cmdline.contains("chrom") || !cmdline.contains(&mine) {
            continue;
        }
        let kind = cmdline
            .split_whitespace()
            .find_map(|a| a.strip_prefix("--type="))
            .unwrap_or("browser")
            .to_owned();
        let Ok(stat) = fs::read_to_string(path.join("stat")) else {
            continue;
        };
        // Fields after the command's closing parenthesis: utime and stime are the 12th and
        // 13th, in clock ticks (100 a second on Linux).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
        let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
            f.iter().filter_map(|t| t.parse::<f64>().ok()).sum()
        });
        *by_type.entry(kind).or_insert(0.0) += ticks * 10.0;
    }
    by_type
}

/// Parts of the Playground hidden in turn by [`frame_profile`] ("" hides nothing).
const ABLATION_PARTS: [&str; 7] = [
    "",
    ".flights-layer",
    ".diagram-stage > svg:not(.flights-layer)",
    "figure.diagram",
    ".controls",
    ".event-log",
    "",
];
const ABLATION_WINDOW: Duration = Duration::from_secs(3);

/// The CPU profile's samples summed per function: self time and time with callees (a
/// function counted once per sample however deep it recurs), in ms.
fn profile_times(profile: &Value) -> (BTreeMap<String, f64>, BTreeMap<String, f64>) {
    let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
    let mut name = BTreeMap::new();
    let mut parent = BTreeMap::new();
    for n in &nodes {
        let id = n["id"].as_u64().unwrap_or(0);
        let f = &n["callFrame"];
        let mut label = f["functionName"].as_str().unwrap_or("").to_owned();
        let url = f["url"].as_str().unwrap_or("");
        if label.is_empty() {
            label = "(anonymous)".into();
        }
        let origin = if url.starts_with("wasm://") || url.ends_with(".wasm") {
            "wasm"
        } else if url.is_empty() {
            ""
        } else {
            "js"
        };
        if !origin.is_empty() {
            label = format!("[{origin}] {label}");
        }
        name.insert(id, label);
        for c in n["children"].as_array().into_iter().flatten() {
            if let Some(c) = c.as_u64() {
                parent.insert(c, id);
            }
        }
    }
    let samples = profile["samples"].as_array().cloned().unwrap_or_default();
    let deltas = profile["timeDeltas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let (mut own, mut total) = (BTreeMap::new(), BTreeMap::new());
    for (i, s) in samples.iter().enumerate() {
        let Some(id) = s.as_u64() else { continue };
        // The delta before the next sample is the time this one stands for.
        let ms = deltas.get(i + 1).and_then(Value::as_f64).unwrap_or(0.0) / 1000.0;
        let label = name.get(&id).cloned().unwrap_or_default();
        *own.entry(label).or_insert(0.0) += ms;
        let mut seen = std::collections::BTreeSet::new();
        let mut at = Some(id);
        while let Some(n) = at {
            if let Some(l) = name.get(&n)
                && seen.insert(l.clone())
            {
                *total.entry(l.clone()).or_insert(0.0) += ms;
            }
            at = parent.get(&n).copied();
        }
    }
    (own, total)
}

/// A benchmark, not a check: where the busy scene's frames spend the main thread. For
/// [`PROBE_WINDOW`] it reads Chromium's own counters (`Performance.getMetrics`: script, style,
/// layout, all tasks) and a sampled CPU profile (`Profiler`), and prints them per frame: the
/// metrics, then the functions taking most time, alone and with what they call. Wasm
/// functions are named only in a build that keeps the name section (the README says how to
/// make one). `EDA_PROFILE_SCENE` picks another address, `EDA_PROFILE_HIDE` other parts to hide.
pub fn frame_profile(h: &Harness) -> Result<(), Error> {
    let scene = std::env::var("EDA_PROFILE_SCENE")
        .unwrap_or_else(|_| "#/playground?partitions=12&groups=3&rate=1000&seed=1".into());
    let load_before = load_average();
    open_scene(h, &scene)?;
    h.browser.cdp("Performance.enable", json!({}))?;
    h.browser.cdp("Profiler.enable", json!({}))?;
    h.browser
        .cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))?;
    let before = metrics(h)?;
    let cpu_before = browser_cpu_ms();
    h.browser.execute(COUNT_FRAMES, &[])?;
    h.browser.cdp("Profiler.start", json!({}))?;
    thread::sleep(PROBE_WINDOW);
    let stopped = h.browser.cdp("Profiler.stop", json!({}))?;
    let frames = profiled_frames(h)?;
    let after = metrics(h)?;
    let cpu_after = browser_cpu_ms();
    h.expect_no_panic_banner(&scene)?;
    let mut out = format!("frame profile of {scene}\n{}", ran_on(h, &load_before));
    let _ = writeln!(
        out,
        "  {frames:.0} frames in {PROBE_WINDOW:?}; main thread per frame (Performance.getMetrics):"
    );
    for m in METRICS {
        let d = after.get(m).unwrap_or(&0.0) - before.get(m).unwrap_or(&0.0);
        let _ = writeln!(out, "    {m}: {:.2} ms", d * 1000.0 / frames);
    }
    let cpu: Vec<String> = cpu_after
        .iter()
        .map(|(kind, ms)| {
            let d = ms - cpu_before.get(kind).unwrap_or(&0.0);
            format!("{kind} {:.2} ms", d / frames)
        })
        .collect();
    let _ = writeln!(
        out,
        "  CPU time per frame of the browser's processes (all threads, /proc; the profiler's own work included): {}",
        cpu.join(", ")
    );
    let (own, total) = profile_times(&stopped["profile"]);
    let top = |map: &BTreeMap<String, f64>, n: usize| {
        let mut v: Vec<_> = map.iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(a.1));
        v.into_iter()
            .take(n)
            .map(|(k, ms)| format!("    {:.3} ms  {k}\n", ms / frames))
            .collect::<String>()
    };
    let _ = writeln!(
        out,
        "  CPU profile, self time per frame:\n{}",
        top(&own, 40)
    );
    let _ = writeln!(
        out,
        "  CPU profile, time with callees per frame:\n{}",
        top(&total, 60)
    );
    // What painting each part costs: the same window with that part hidden (laid out, not
    // painted; `visibility` set through the CSSOM, which the page's CSP allows).
    let _ = writeln!(
        out,
        "  main thread per frame with one part hidden (visibility: hidden), {ABLATION_WINDOW:?} each:"
    );
    // `EDA_PROFILE_HIDE`: other parts to hide in turn, CSS selectors separated by `;`.
    let asked = std::env::var("EDA_PROFILE_HIDE").ok();
    let parts: Vec<&str> = match &asked {
        Some(parts) => std::iter::once("")
            .chain(parts.split(';').map(str::trim))
            .collect(),
        None => ABLATION_PARTS.to_vec(),
    };
    for part in parts {
        let hide = format!(
            "document.querySelectorAll({part:?}).forEach(e => e.style.visibility = 'hidden');"
        );
        let show =
            format!("document.querySelectorAll({part:?}).forEach(e => e.style.visibility = '');");
        if !part.is_empty() {
            h.browser.execute(&hide, &[])?;
        }
        h.browser.execute(COUNT_FRAMES, &[])?;
        let before = metrics(h)?;
        let cpu_before = browser_cpu_ms();
        thread::sleep(ABLATION_WINDOW);
        let after = metrics(h)?;
        let cpu_after = browser_cpu_ms();
        let cpu =
            |kind: &str| cpu_after.get(kind).unwrap_or(&0.0) - cpu_before.get(kind).unwrap_or(&0.0);
        let frames = profiled_frames(h)?;
        if !part.is_empty() {
            h.browser.execute(&show, &[])?;
        }
        let per = |m: &str| {
            (after.get(m).unwrap_or(&0.0) - before.get(m).unwrap_or(&0.0)) * 1000.0 / frames
        };
        let _ = writeln!(
            out,
            "    {:<40} {frames:.0} frames: task {:.2} ms, script {:.2}, style {:.2}, layout {:.2}; CPU: renderer {:.2} ms, gpu-process {:.2} ms",
            if part.is_empty() {
                "(nothing hidden)"
            } else {
                part
            },
            per("TaskDuration"),
            per("ScriptDuration"),
            per("RecalcStyleDuration"),
            per("LayoutDuration"),
            cpu("renderer") / frames,
            cpu("gpu-process") / frames,
        );
    }
    eprint!("{out}");
    let file = webdriver::artifact_dir().join("frame-profile.txt");
    fs::write(&file, &out).map_err(|e| Error::Io(format!("write {}: {e}", file.display())))?;
    Ok(())
}
