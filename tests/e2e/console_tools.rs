//! The Console's newer Kafka tools, driven as a learner drives them: the tool's name completed
//! with Tab, its command typed and run with Enter, its output read on the page.
//!
//! `kafka-metadata-quorum.sh describe --status` stands for the set (issue 16, point 8): the
//! output is the engine's (cluster id, the quorum's voter and high watermark), so the test
//! checks the lines Kafka prints and that the high watermark grows as the controller writes
//! records, not a fixed text.

use std::time::Duration;

use super::webdriver::Error;
use crate::Harness;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const TIMEOUT: Duration = Duration::from_secs(20);

/// The number after `HighWatermark:` in the last `--status` output on the page.
fn last_high_watermark(text: &str) -> Option<u64> {
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("HighWatermark:"))
        .and_then(|v| v.trim().parse().ok())
}

pub fn check_metadata_quorum(h: &Harness) -> Result<(), Error> {
    let b = &h.browser;
    h.open("#/console")?;
    h.expect_view("console", &["#/console"])?;
    let input = b.wait_for("#term-input", TIMEOUT)?;
    // Tab completes the tool's name (the only tool starting so).
    input.send_keys("kafka-metad")?;
    input.send_keys(TAB)?;
    let completed = b.wait_until("Tab to complete the tool's name", TIMEOUT, || {
        let value: String = serde_json::from_value(
            b.execute("return document.querySelector('#term-input').value;", &[])?,
        )
        .unwrap_or_default();
        Ok(value
            .starts_with("kafka-metadata-quorum.sh")
            .then_some(value))
    })?;
    let gap = if completed.ends_with(' ') { "" } else { " " };
    input.send_keys(&format!(
        "{gap}--bootstrap-server localhost:9092 describe --status{ENTER}"
    ))?;
    let first = b.wait_until("the quorum's status", TIMEOUT, || {
        let text = b.find("main#view")?.text()?;
        Ok(text.contains("CurrentObservers:").then_some(text))
    })?;
    for line in [
        "LeaderId:               1",
        "LeaderEpoch:            1",
        "MaxFollowerLag:         0",
        "\"endpoints\": [\"CONTROLLER://localhost:9093\"]",
    ] {
        assert!(first.contains(line), "{line:?} not in:\n{first}");
    }
    assert!(first.contains("ClusterId:"), "{first}");
    let before = last_high_watermark(&first).expect("a high watermark");
    h.screenshot("console-metadata-quorum")?;

    // A topic is a record in the metadata log: the high watermark moves on.
    input.send_keys(&format!(
        "kafka-topics.sh --create --topic quorum-demo --partitions 2 --bootstrap-server localhost:9092{ENTER}"
    ))?;
    b.wait_until("the topic to be created", TIMEOUT, || {
        let text = b.find("main#view")?.text()?;
        Ok(text.contains("Created topic quorum-demo.").then_some(()))
    })?;
    input.send_keys(&format!(
        "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --status{ENTER}"
    ))?;
    let after = b.wait_until("a second status", TIMEOUT, || {
        let text = b.find("main#view")?.text()?;
        Ok((text.matches("CurrentObservers:").count() == 2).then_some(text))
    })?;
    let later = last_high_watermark(&after).expect("a second high watermark");
    assert!(later >= before + 3, "high watermark {before} then {later}");

    // A describe without --status or --replication fails as Kafka's TerseException does.
    input.send_keys(&format!(
        "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe{ENTER}"
    ))?;
    b.wait_until("the describe error", TIMEOUT, || {
        let text = b.find("main#view")?.text()?;
        Ok(text
            .contains(
                "One of --status or --replication must be specified with describe sub-command",
            )
            .then_some(()))
    })?;
    h.screenshot("console-metadata-quorum-after")?;
    Ok(())
}
