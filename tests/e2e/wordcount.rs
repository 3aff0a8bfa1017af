//! End-to-end check of the WordCount view (`src/ui/wordcount.rs`) in Chromium: type a line,
//! run the topology, read the store table and the output topic, step back.
//!
//! The view's DOM contract read here: `.wc-line` (the input), `button.wc-play`,
//! `button.wc-back`, `.wc-store-table tbody tr` (word, count, task), `.wc-compacted tbody tr`
//! (word, count) and `.wc-output .wc-records li` (the full output log).

use std::time::Duration;

use serde_json::Value;

use super::webdriver::Error;
use crate::Harness;

/// WebDriver's code for the Enter key.
const ENTER: &str = "\u{E007}";
/// Running at the default 4 steps/s, one line of three words takes ~4 s of wall time.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// The store table, the compacted output and the output log, as rows of cell texts.
const TABLES_SCRIPT: &str = r#"
const view = document.querySelector('main#view[data-view="wordcount"] .wordcount');
if (!view) return null;
const rows = css => Array.from(view.querySelectorAll(css)).map(tr =>
  Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()));
return {
  store: rows('.wc-store-table tbody tr'),
  compacted: rows('.wc-compacted tbody tr'),
  log: Array.from(view.querySelectorAll('.wc-output .wc-records li')).map(li => li.textContent.trim()),
  running: (view.querySelector('button.wc-play') || {}).textContent === 'Pause',
  alert: (view.querySelector('.error[role="alert"]') || {}).textContent || null,
};
"#;

fn tables(h: &Harness) -> Result<Value, Error> {
    h.browser.execute(TABLES_SCRIPT, &[])
}

fn rows(v: &Value, name: &str) -> Vec<Vec<String>> {
    v[name]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|cells| {
                            cells
                                .iter()
                                .map(|c| c.as_str().unwrap_or_default().to_string())
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn words_counted(v: &Value, table: &str) -> Vec<(String, String)> {
    rows(v, table)
        .into_iter()
        .map(|r| {
            (
                r.first()
                    .cloned()
                    .unwrap_or_default()
                    .replace(['“', '”', '▶', ' '], ""),
                r.get(1).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Types "hello kafka streams", runs, checks hello 1 / kafka 1 / streams 1 in the store and
/// the output topic, then steps back until the store has not counted "streams" yet.
pub fn check_type_run_and_step_back(h: &Harness) -> Result<(), Error> {
    h.open("#/wordcount?seed=11")?;
    h.browser
        .wait_for(".wordcount .wc-line", Duration::from_secs(10))?;
    let input = h.browser.find(".wordcount .wc-line")?;
    input.send_keys(&format!("hello kafka streams{ENTER}"))?;
    h.browser.find("button.wc-play")?.click()?;
    let expected = pairs(&[("hello", "1"), ("kafka", "1"), ("streams", "1")]);
    let mut seen = Value::Null;
    let done = h
        .browser
        .wait_until("the three words counted", RUN_TIMEOUT, || {
            seen = tables(h)?;
            Ok((words_counted(&seen, "store") == expected
                && words_counted(&seen, "compacted") == expected
                && !seen["running"].as_bool().unwrap_or(true))
            .then_some(()))
        });
    done.map_err(|e| Error::Timeout(format!("{e}\n    last tables: {seen}")))?;
    let log = seen["log"].as_array().map_or(0, Vec::len);
    assert_eq!(log, 3, "one update per word in the full log: {seen}");
    assert!(seen["alert"].is_null(), "no alert: {seen}");
    h.screenshot("wordcount-counted")?;

    // Step back: the last steps were "streams" through count → toStream → the sink; after a
    // few Backs the store has not counted it yet, and the output has no "streams".
    let mut backs = 0;
    loop {
        h.browser.find("button.wc-back")?.click()?;
        backs += 1;
        let now = tables(h)?;
        let store = words_counted(&now, "store");
        if !store.iter().any(|(w, _)| w == "streams") {
            assert_eq!(store, pairs(&[("hello", "1"), ("kafka", "1")]), "{now}");
            assert!(
                !words_counted(&now, "compacted")
                    .iter()
                    .any(|(w, _)| w == "streams"),
                "{now}"
            );
            break;
        }
        assert!(
            backs < 6,
            "the store still counts streams after {backs} Backs: {now}"
        );
    }
    h.screenshot("wordcount-back")?;
    Ok(())
}
