//! End-to-end checks of the page's one session (`src/ui/session.rs`) and how it travels:
//! a share link opened in a fresh browser profile shows the same view, moment, offsets and lag;
//! a reload restores the session; corrupt saved data gives a message, a fresh start and is
//! kept aside; a downloaded scenario file opened through the file picker gives the same state;
//! a hostile link gives a message and no SEVERE console entry.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::webdriver::{Browser, Error};
use crate::Harness;

const ENTER: &str = "\u{E007}";
const TIMEOUT: Duration = Duration::from_secs(20);

/// What a learner would compare between two pages: the moment, the timeline's end, the
/// play button, every lane's end offset and lag text, the topics the cluster panel lists, and
/// the message banner.
const STATE: &str = r#"
const pg = document.querySelector('main#view[data-view="playground"] .playground');
const alert = document.querySelector('.error[role="alert"]');
if (!pg) return { mounted: false, alert: alert ? alert.textContent.trim() : null };
const tl = pg.querySelector('label.timeline');
const toggle = Array.from(pg.querySelectorAll('button'))
  .map(b => b.textContent.trim()).find(t => t === 'Pause' || t === 'Play');
return {
  mounted: true,
  now: tl ? Number(tl.getAttribute('data-now')) : 0,
  horizon: tl ? Number(tl.getAttribute('data-horizon')) : 0,
  toggle: toggle || '',
  lanes: Array.from(pg.querySelectorAll('.diagram svg g.lane')).map(l =>
    l.getAttribute('data-partition') + ':' + l.getAttribute('data-end') + ' ' +
    ((l.querySelector('.lane-meta') || {}).textContent || '')),
  topics: Array.from(pg.querySelectorAll('select.show-topic option')).map(o => o.value),
  alert: alert ? alert.textContent.trim() : null,
};
"#;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct State {
    mounted: bool,
    #[serde(default)]
    now: u64,
    #[serde(default)]
    horizon: u64,
    #[serde(default)]
    toggle: String,
    #[serde(default)]
    lanes: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    alert: Option<String>,
}

fn state(b: &Browser) -> Result<State, Error> {
    let v = b.execute(STATE, &[])?;
    serde_json::from_value(v.clone()).map_err(|e| Error::Protocol(format!("state ({e}): {v}")))
}

fn wait(b: &Browser, what: &str, pred: impl Fn(&State) -> bool) -> Result<State, Error> {
    let mut seen = None;
    let result = b.wait_until(what, TIMEOUT, || {
        let s = state(b)?;
        let done = pred(&s);
        seen = Some(s.clone());
        Ok(done.then_some(s))
    });
    result.map_err(|e| Error::Timeout(format!("{e}\n    last state: {seen:#?}")))
}

fn click_text(b: &Browser, scope: &str, text: &str) -> Result<(), Error> {
    for el in b.find_all(&format!("{scope} button"))? {
        if el.text()?.trim() == text {
            return el.click();
        }
    }
    Err(Error::Protocol(format!(
        "no button {text:?} under `{scope}`"
    )))
}

/// Opens `url` as a fresh page load.
fn load(b: &Browser, url: &str) -> Result<(), Error> {
    b.goto("about:blank")?;
    b.goto(url)?;
    b.wait_for("main#view", TIMEOUT).map(drop)
}

/// Play, make a topic in the Console, rewind, Share; open the link in a fresh profile; reload
/// it; corrupt its saved data; download and open the scenario file; open a hostile link.
pub fn check_share_reload_corrupt_file_hostile(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;
    load(b, &h.server.url("#/playground?seed=7&speed=4"))?;
    wait(b, "the Playground to run", |s| s.mounted && s.now > 0)?;
    let input = b.find("input#produce-input")?;
    for m in ["alice:1", "bob:2", "carol:3", "alice:4"] {
        input.send_keys(&format!("{m}{ENTER}"))?;
    }
    wait(b, "the records to be appended", |s| {
        s.lanes.iter().map(|l| end_of(l)).sum::<u64>() >= 4
    })?;

    // A topic made in the Console belongs to the same session.
    b.find("nav a[href='#/console']")?.click()?;
    let term = b.wait_for("#term-input", TIMEOUT)?;
    term.send_keys(&format!(
        "bin/kafka-topics.sh --create --topic shared-topic --partitions 2 --bootstrap-server localhost:9092{ENTER}"
    ))?;
    b.wait_until("the Console to create the topic", TIMEOUT, || {
        let text = b.find("main#view")?.text()?;
        Ok(text.contains("Created topic shared-topic.").then_some(()))
    })?;
    b.find("nav a[href='#/playground']")?.click()?;
    let after_topic = wait(b, "the Playground again, with the new topic", |s| {
        s.mounted && s.topics.iter().any(|t| t == "shared-topic")
    })?;
    click_text(b, ".controls", "Pause")?;
    let paused = wait(b, "paused", |s| s.toggle == "Play")?;
    assert!(paused.horizon >= after_topic.now);
    // Rewind a little (still after the topic was made, so it is in the moment shown).
    let target = paused.now.saturating_sub(300).max(after_topic.now);
    b.execute(
        r#"const r = document.querySelector('label.timeline input[type="range"]');
           r.value = String(arguments[0]);
           r.dispatchEvent(new InputEvent('input', { bubbles: true }));"#,
        &[json!(target)],
    )?;
    let moment = wait(b, "the rewound moment", |s| s.now == target)?;
    assert!(
        moment.topics.iter().any(|t| t == "shared-topic"),
        "{moment:?}"
    );
    h.screenshot("session-1-rewound")?;

    // Share: the dialog's link.
    b.find("button.share-button")?.click()?;
    let link_input = b.wait_for(
        ".share-dialog input[aria-label='Link to this moment']",
        TIMEOUT,
    )?;
    let link = b
        .execute("return arguments[0].value", &[link_input.to_arg()])?
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        link.contains("#/playground?") && link.contains("s="),
        "{link}"
    );
    let chars: usize = b
        .find(".share-dialog [data-link-chars]")?
        .attribute("data-link-chars")?
        .unwrap_or_default()
        .parse()
        .unwrap_or(usize::MAX);
    assert!(
        chars <= 2_000,
        "a typical session's link is {chars} characters"
    );
    let file_href = b
        .find(".share-dialog a[download]")?
        .attribute("href")?
        .unwrap_or_default();
    h.screenshot("session-2-share-dialog")?;

    // A fresh browser profile opens the same view at the same moment.
    {
        let fresh = Browser::launch("session-fresh-profile")?;
        load(&fresh, &link)?;
        let opened = wait(&fresh, "the shared moment", |s| {
            s.mounted && s.now == moment.now
        })?;
        assert_eq!(opened.lanes, moment.lanes, "the same offsets and lag");
        assert_eq!(
            opened.topics, moment.topics,
            "the Console's topic came along"
        );
        assert_eq!(opened.horizon, moment.horizon, "the same history");
        assert_eq!(opened.toggle, "Play", "a shared moment opens paused");
        assert_eq!(opened.alert, None);
        let url = fresh.current_url()?;
        assert!(
            !url.contains("s="),
            "the payload leaves the address once opened: {url}"
        );
        fresh.screenshot(&super::webdriver::artifact_dir().join("session-3-opened-link.png"))?;
        // A reload restores the session from the browser's storage (saved at once on open).
        let saved = fresh.execute(
            "return localStorage.getItem('eda-playground.autosave.v1') !== null",
            &[],
        )?;
        assert_eq!(saved, json!(true), "the opened session is saved at once");
        fresh.execute("location.reload()", &[])?;
        thread_sleep(500);
        fresh.wait_for("main#view", TIMEOUT)?;
        let reloaded = wait(&fresh, "the session after a reload", |s| {
            s.mounted && s.horizon > 0
        })?;
        assert_eq!(reloaded.now, moment.now);
        assert_eq!(reloaded.lanes, moment.lanes);
        assert_eq!(reloaded.topics, moment.topics);
        let errors = fresh.browser_log()?;
        let severe: Vec<_> = errors.iter().filter(|e| e.level == "SEVERE").collect();
        assert!(severe.is_empty(), "fresh profile console: {severe:?}");
    }

    // Corrupt saved data: a message, a fresh start, the data kept aside.
    b.wait_until("the autosave", TIMEOUT, || {
        let v = b.execute(
            "return localStorage.getItem('eda-playground.autosave.v1') !== null",
            &[],
        )?;
        Ok((v == json!(true)).then_some(()))
    })?;
    b.execute(
        "localStorage.setItem('eda-playground.autosave.v1', '{\"address\":\"#/playground\",\"doc\":{\"version\":1,\"seed\":\"oops\"}}'); location.reload();",
        &[],
    )?;
    thread_sleep(500);
    b.wait_for("main#view", TIMEOUT)?;
    let fresh_start = wait(b, "a fresh start with a message", |s| {
        s.mounted
            && s.alert
                .as_deref()
                .is_some_and(|a| a.contains("could not be restored"))
    })?;
    assert!(!fresh_start.topics.iter().any(|t| t == "shared-topic"));
    let kept = b.execute(
        "return localStorage.getItem('eda-playground.unreadable.eda-playground.autosave.v1.1')",
        &[],
    )?;
    assert!(
        kept.as_str().is_some_and(|k| k.contains("oops")),
        "the corrupt data is kept aside: {kept}"
    );
    h.screenshot("session-4-corrupt-storage")?;

    // The downloaded file, opened through the file picker, gives the same state.
    let json_text = data_url_text(&file_href)?;
    let dir =
        super::webdriver::TempDir::new("scenario-file").map_err(|e| Error::Io(e.to_string()))?;
    let path = dir.path().join("scenario.json");
    std::fs::write(&path, json_text).map_err(|e| Error::Io(e.to_string()))?;
    b.find("button.share-button")?.click()?;
    let picker = b.wait_for(".share-dialog input[type=file]", TIMEOUT)?;
    picker.send_keys(&path.display().to_string())?;
    b.wait_until("the file to open", TIMEOUT, || {
        let text = b.find(".share-dialog")?.text()?;
        Ok(text.contains("Opened the scenario").then_some(()))
    })?;
    let imported = wait(b, "the imported moment", |s| {
        s.mounted && s.now == moment.now
    })?;
    assert_eq!(imported.lanes, moment.lanes);
    assert_eq!(imported.topics, moment.topics);
    h.screenshot("session-5-imported-file")?;

    // A hostile link: a message, the page keeps working, nothing SEVERE (checked by run_e2e).
    for payload in ["AAAA", "%3Cscript%3E", &"A".repeat(5_000)] {
        load(b, &h.server.url(&format!("#/playground?s={payload}")))?;
        let s = wait(b, "a message about the link", |s| {
            s.mounted
                && s.alert
                    .as_deref()
                    .is_some_and(|a| a.contains("could not be opened"))
        })?;
        assert!(s.lanes.len() == 3, "a fresh session runs: {s:?}");
    }
    h.screenshot("session-6-hostile-link")?;
    Ok(())
}

fn end_of(lane: &str) -> u64 {
    lane.split([':', ' '])
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn thread_sleep(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// The text of a `data:…;charset=utf-8,` URL (percent-decoded).
fn data_url_text(href: &str) -> Result<String, Error> {
    let (_, body) = href
        .split_once(',')
        .ok_or_else(|| Error::Protocol(format!("not a data URL: {href:.60}")))?;
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
            out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| Error::Protocol(e.to_string()))
}
