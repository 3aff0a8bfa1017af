//! End-to-end checks of issue 17 in the page, as a learner does them: Share → "Export for a
//! real cluster" downloads the three files (the browser's download directory set through
//! CDP `Browser.setDownloadBehavior`), and describe output pasted into Share's box opens in
//! the Playground as that cluster's shape (`sim::import`): the lanes at the log-end offsets,
//! the replicas table with the stopped broker, the group with its lag.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use super::webdriver::{Browser, Error, TempDir};
use crate::Harness;

const TIMEOUT: Duration = Duration::from_secs(30);
const ENTER: &str = "\u{E007}";

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

/// Waits until the element's top is on screen (the dialog scrolls an import's outcome into
/// view: it is taller than the window).
fn in_view(b: &Browser, css: &str) -> Result<(), Error> {
    b.wait_until(&format!("{css} on screen"), TIMEOUT, || {
        let v = b.execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;",
            &[json!(css)],
        )?;
        Ok((v == json!(true)).then_some(()))
    })
}

/// A file's first line, once the browser has finished writing it.
fn first_line(dir: &Path, name: &str) -> Option<String> {
    let partial = dir.join(format!("{name}.crdownload"));
    if partial.exists() {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(name)).ok()?;
    text.lines().next().map(str::to_string)
}

/// Plays a little, then Share → Export → the three downloads; checks each file's first lines,
/// that session.sh carries the session's topic and record, and that java-project.sh, run
/// with `sh`, writes the Maven project.
pub fn check_export_downloads(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;
    let downloads = TempDir::new("downloads").map_err(|e| Error::Io(e.to_string()))?;
    b.cdp(
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.path().display().to_string() }),
    )?;
    h.open("#/playground?seed=7")?;
    let input = b.wait_for("input#produce-input", TIMEOUT)?;
    input.send_keys(&format!("alice:first order{ENTER}"))?;
    b.wait_until("the record to be appended", TIMEOUT, || {
        let ends = b.execute(
            "return Array.from(document.querySelectorAll('g.lane')).map(l => Number(l.getAttribute('data-end'))).reduce((a, b) => a + b, 0)",
            &[],
        )?;
        Ok((ends.as_u64().unwrap_or(0) >= 1).then_some(()))
    })?;
    click_text(b, ".controls", "Pause")?;
    b.find("button.share-button")?.click()?;
    b.wait_for(".share-dialog", TIMEOUT)?;
    click_text(
        b,
        ".share-dialog",
        "Make session.sh, compose.yaml and java-project.sh",
    )?;
    b.wait_for(".share-dialog .export-files a[download]", TIMEOUT)?;
    h.screenshot("import-1-export-links")?;
    let names = ["session.sh", "compose.yaml", "java-project.sh"];
    for name in names {
        b.find(&format!(".share-dialog .export-files a[download='{name}']"))?
            .click()?;
    }
    let mut firsts = Vec::new();
    for name in names {
        let line = b.wait_until(&format!("{name} to be downloaded"), TIMEOUT, || {
            Ok(first_line(downloads.path(), name))
        })?;
        firsts.push(line);
    }
    assert_eq!(firsts[0], "#!/usr/bin/env bash", "session.sh");
    assert!(
        firsts[1].starts_with(
            "# compose.yaml: the eda-playground session's cluster, for Apache Kafka 4.1.1"
        ),
        "compose.yaml: {}",
        firsts[1]
    );
    assert_eq!(firsts[2], "#!/bin/sh", "java-project.sh");
    let read =
        |name: &str| std::fs::read_to_string(downloads.path().join(name)).unwrap_or_default();
    let session = read("session.sh");
    // The link to the same moment, to replay the failing session natively.
    let link = b.execute(
        "return document.querySelector('.share-dialog .share-link input').value",
        &[],
    )?;
    assert!(
        session.contains("kafka-topics.sh --create --topic orders")
            && session.contains("alice")
            && session.contains("first order"),
        "session.sh holds the session's topic and record:\n{session}\nthe link: {link}\nthe event log:\n{}",
        b.execute("return document.querySelector('.event-log').innerText", &[])?
    );
    assert!(
        read("compose.yaml").contains("image: apache/kafka:4.1.1"),
        "compose.yaml names the image"
    );
    // The Java project: the script writes pom.xml and the classes.
    let status = std::process::Command::new("sh")
        .arg("java-project.sh")
        .current_dir(downloads.path())
        .status()
        .map_err(|e| Error::Io(format!("sh java-project.sh: {e}")))?;
    assert!(status.success(), "java-project.sh ran: {status}");
    let pom = read("pom.xml");
    assert!(
        pom.contains("<artifactId>kafka-clients</artifactId>") && pom.contains("4.1.1"),
        "pom.xml:\n{pom}"
    );
    Ok(())
}

/// What a learner pastes: `kafka-topics.sh --describe` and `kafka-consumer-groups.sh
/// --describe` from a terminal (tabs became spaces), with the prompts. Broker 3 is down.
const DESCRIBE: &str = "$ bin/kafka-topics.sh --describe --topic orders --bootstrap-server kafka:9092
Topic: orders  TopicId: 4RwbxDu0QLa4IvXYQXEKUg  PartitionCount: 3  ReplicationFactor: 2  Configs: segment.bytes=1073741824
  Topic: orders  Partition: 0  Leader: 1  Replicas: 1,2  Isr: 1,2  Elr:   LastKnownElr: 
  Topic: orders  Partition: 1  Leader: 2  Replicas: 2,3  Isr: 2  Elr:   LastKnownElr: 
  Topic: orders  Partition: 2  Leader: 1  Replicas: 3,1  Isr: 1  Elr:   LastKnownElr: 
$ bin/kafka-consumer-groups.sh --describe --group billing --bootstrap-server kafka:9092

GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                              HOST            CLIENT-ID
billing         orders          0          120             150             30              consumer-billing-1-1c0d5a0e-6f58-4d5b-9b1e-2d7f0c4a9a11  /10.0.0.7       consumer-billing-1
billing         orders          1          95              140             45              consumer-billing-1-1c0d5a0e-6f58-4d5b-9b1e-2d7f0c4a9a11  /10.0.0.7       consumer-billing-1
billing         orders          2          130             130             0               consumer-billing-2-77c1e1f4-05a6-4a09-9d5c-0b8ce8c3e2b2  /10.0.0.8       consumer-billing-2
";

const SCENE: &str = r#"
const pg = document.querySelector('main#view[data-view="playground"] .playground');
if (!pg) return null;
const tl = pg.querySelector('label.timeline');
return {
  now: tl ? Number(tl.getAttribute('data-now')) : 0,
  lanes: Array.from(pg.querySelectorAll('.diagram svg g.lane')).map(l =>
    l.getAttribute('data-partition') + ':' + l.getAttribute('data-end') + ':' +
    ((l.querySelector('.lane-meta') || {}).textContent || '')),
  replicas: Array.from(pg.querySelectorAll('table.replicas tr[data-partition]')).map(r =>
    r.getAttribute('data-partition') + ' leader ' + r.getAttribute('data-leader') + ' isr ' + r.getAttribute('data-isr')),
  down: Array.from(pg.querySelectorAll('.broker-strip li.broker-chip.down')).map(b => b.getAttribute('data-broker')),
  groups: Array.from(pg.querySelectorAll('.group-strip li.group-bar')).map(g =>
    g.getAttribute('data-group') + ' ' + g.getAttribute('data-state')),
};
"#;

/// Pastes describe output into Share's box: a broken paste first (line-numbered errors, the
/// session kept), then the real one: the Playground shows the lanes at the log-end offsets
/// with the group's lag, the replicas with broker 3 stopped, and the group.
pub fn check_paste_describe_output(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;
    h.open("#/playground?seed=3")?;
    b.wait_for("input#produce-input", TIMEOUT)?;
    b.find("button.share-button")?.click()?;
    let paste = b.wait_for(".share-dialog textarea#paste-scenario", TIMEOUT)?;

    // A broken paste: errors by line, nothing replaced.
    paste.send_keys(
        "Topic: orders  TopicId: X  PartitionCount: 2  ReplicationFactor: 1  Configs: \n  Topic: orders  Partition: 0  Leader: 1  Replicas: 1  Isr: 1\nwhat is this\n",
    )?;
    click_text(b, ".share-dialog", "Open what I pasted")?;
    let errors = b
        .wait_for(".share-dialog .import-errors", TIMEOUT)?
        .text()?;
    assert!(
        errors.contains("Line 3: “what is this” is not a line of kafka-topics.sh --describe"),
        "{errors}"
    );
    assert!(errors.contains("Your session is unchanged"), "{errors}");
    in_view(b, ".share-dialog .import-errors")?;
    h.screenshot("import-2-paste-errors")?;

    // The real paste.
    b.execute(
        "const t = document.querySelector('#paste-scenario'); t.value = ''; t.focus();",
        &[],
    )?;
    paste.send_keys(DESCRIBE)?;
    click_text(b, ".share-dialog", "Open what I pasted")?;
    let done = b.wait_for(".share-dialog .import-done", TIMEOUT)?.text()?;
    assert!(
        done.contains("Opened your cluster's shape in the Playground")
            && done.contains("3 brokers (broker 3 stopped), 1 topic (3 partitions), 1 group (2 members), 420 records"),
        "{done}"
    );
    in_view(b, ".share-dialog .import-done")?;
    h.screenshot("import-3-paste-opened")?;
    click_text(b, ".share-dialog", "Close")?;

    let scene = b.wait_until("the imported cluster in the Playground", TIMEOUT, || {
        let v = b.execute(SCENE, &[])?;
        let ready = v["groups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g == "billing Stable"));
        Ok(ready.then_some(v))
    })?;
    let lanes: Vec<String> = serde_json::from_value(scene["lanes"].clone()).unwrap_or_default();
    assert_eq!(lanes.len(), 3, "{scene}");
    for (lane, (end, lag)) in lanes.iter().zip([(150, 30), (140, 45), (130, 0)]) {
        assert!(
            lane.contains(&format!(":{end}:")) && lane.contains(&format!("lag {lag} record")),
            "lane {lane}: end {end}, lag {lag}"
        );
    }
    assert_eq!(scene["down"], json!(["3"]), "{scene}");
    assert_eq!(
        scene["replicas"],
        json!(["0 leader 1 isr 1,2", "1 leader 2 isr 2", "2 leader 1 isr 1"]),
        "{scene}"
    );
    h.screenshot("import-4-playground")?;
    let page = b.find("main#view")?.text()?;
    assert!(page.contains("billing"), "the group is on the page");
    Ok(())
}
