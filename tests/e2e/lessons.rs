//! End-to-end checks of the Lessons view (`src/ui/lessons.rs`): each shipped lesson is done as
//! a learner would (predictions answered, "Show me" pressed, Next) until "Lesson complete";
//! a wrong prediction is shown as wrong with the engine's arithmetic; progress survives a
//! reload; a malformed lesson file gets line-numbered errors.

use std::time::Duration;

use eda_playground::sim::partitioner::partition_for_key;
use serde_json::json;

use super::webdriver::Error;
use crate::Harness;

const TIMEOUT: Duration = Duration::from_secs(40);

/// The step on screen: its number, whether it passed, the verdict and whether the lesson is
/// complete.
const STEP: &str = r#"
const n = document.querySelector('.lessons.narration');
if (!n) return null;
const count = n.querySelector('.step-count');
const verdict = n.querySelector('.verdict');
return {
  step: count ? count.textContent : '',
  passed: n.querySelector('.goal.passed') !== null,
  predict: n.querySelector('fieldset.predict') !== null,
  answered: n.querySelector('.answered') !== null,
  verdict: verdict ? verdict.className + ' ' + verdict.textContent : null,
  complete: n.querySelector('.complete') !== null,
  playground: document.querySelector('.lesson-view .playground, .lesson-view .terminal, .lesson-view .compare, .lesson-view .wordcount') !== null,
};
"#;

fn step_state(h: &Harness) -> Result<serde_json::Value, Error> {
    h.browser.execute(STEP, &[])
}

fn click_text(h: &Harness, scope: &str, text: &str) -> Result<(), Error> {
    for el in h.browser.find_all(&format!("{scope} button"))? {
        if el.text()?.trim() == text {
            return el.click();
        }
    }
    Err(Error::Protocol(format!(
        "no button {text:?} under `{scope}`"
    )))
}

fn wait_step(
    h: &Harness,
    what: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value, Error> {
    let mut seen = serde_json::Value::Null;
    let r = h.browser.wait_until(what, TIMEOUT, || {
        seen = step_state(h)?;
        Ok((!seen.is_null() && pred(&seen)).then(|| seen.clone()))
    });
    r.map_err(|e| Error::Timeout(format!("{e}\n    last: {seen}")))
}

/// Does a lesson from its first step to "Lesson complete". `choose` picks the answer to each
/// prediction (by step number, 1-based) from the choices shown.
fn do_lesson(
    h: &Harness,
    id: &str,
    steps: usize,
    choose: impl Fn(usize, &[String]) -> String,
) -> Result<(), Error> {
    h.open(&format!("#/lessons/{id}"))?;
    for n in 1..=steps {
        let s = wait_step(h, &format!("{id}: step {n}"), |s| {
            s["step"]
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("Step {n} of {steps}")))
                && s["playground"] == json!(true)
        })?;
        if n == 1 {
            h.screenshot(&format!("lesson-{id}-first"))?;
        }
        if s["predict"] == json!(true) && s["answered"] == json!(false) {
            let radios = h
                .browser
                .find_all(".lessons fieldset.predict input[type=radio]")?;
            let mut choices = Vec::new();
            for r in &radios {
                choices.push(r.attribute("value")?.unwrap_or_default());
            }
            let pick = choose(n, &choices);
            let index = choices.iter().position(|c| *c == pick).unwrap_or(0);
            radios[index].click()?;
            click_text(h, ".lessons", "Commit my answer")?;
            wait_step(h, "the answer to be kept", |s| s["answered"] == json!(true))?;
        }
        if h.browser
            .find_all(".lessons .lesson-actions button")?
            .iter()
            .any(|b| b.text().map(|t| t.trim() == "Show me").unwrap_or(false))
        {
            click_text(h, ".lessons .lesson-actions", "Show me")?;
        }
        wait_step(h, &format!("{id}: step {n} to pass"), |s| {
            s["passed"] == json!(true)
        })?;
        if n < steps {
            click_text(h, ".lessons .lesson-actions", "Next")?;
        }
    }
    wait_step(h, &format!("{id}: Lesson complete"), |s| {
        s["complete"] == json!(true)
    })?;
    h.screenshot(&format!("lesson-{id}-last"))?;
    h.expect_no_panic_banner(id)
}

/// Keys and partitions, answering the prediction wrongly on purpose: the verdict says so and
/// shows murmur2's arithmetic; then the progress survives a reload of the course.
pub fn check_keys_and_partitions(h: &Harness) -> Result<(), Error> {
    let right = format!("P{}", partition_for_key(b"alice", 3));
    do_lesson(h, "keys-and-partitions", 3, |_, choices| {
        choices
            .iter()
            .find(|c| **c != right)
            .cloned()
            .unwrap_or_default()
    })?;
    // Back to step 2: the verdict is there, wrong, with the engine's answer.
    h.open("#/lessons/keys-and-partitions/2")?;
    let s = wait_step(h, "step 2 again", |s| {
        s["verdict"].as_str().is_some_and(|v| v.contains("wrong"))
    })?;
    let verdict = s["verdict"].as_str().unwrap_or_default();
    assert!(verdict.contains("Not this time"), "{verdict}");
    assert!(
        verdict.contains(&format!("The engine's answer: {right}")),
        "{verdict}"
    );
    assert!(
        verdict.contains("murmur2(\"alice\")") && verdict.contains("mod 3"),
        "{verdict}"
    );
    h.screenshot("lesson-wrong-prediction")?;
    // Progress is kept: the course lists the lesson as done after a reload.
    h.open("#/lessons")?;
    h.browser.wait_until("the course list", TIMEOUT, || {
        let text = h.browser.find("main#view")?.text()?;
        Ok(text.contains("Keys and partitions").then_some(()))
    })?;
    h.browser.execute("location.reload()", &[])?;
    std::thread::sleep(Duration::from_millis(300));
    h.browser
        .wait_until("the lesson marked done after a reload", TIMEOUT, || {
            let items = h.browser.find_all("ol.course li")?;
            for li in items {
                let text = li.text()?;
                if text.contains("Keys and partitions") {
                    return Ok(text.contains("done").then_some(()));
                }
            }
            Ok(None)
        })?;
    h.screenshot("lesson-course-list")?;
    Ok(())
}

pub fn check_consumer_groups(h: &Harness) -> Result<(), Error> {
    do_lesson(h, "consumer-groups", 3, |_, _| "1 each".to_string())
}

pub fn check_crash_and_rebalance(h: &Harness) -> Result<(), Error> {
    do_lesson(h, "crash-and-rebalance", 4, |_, c| c[0].clone())
}

/// The quickstart, typed into the lesson's terminal as a learner would (no "Show me" here).
pub fn check_quickstart(h: &Harness) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    h.open("#/lessons/quickstart")?;
    let type_line = |text: &str| -> Result<(), Error> {
        let input = h.browser.wait_for(".lesson-view #term-input", TIMEOUT)?;
        input.send_keys(&format!("{text}{ENTER}"))
    };
    let terminal_says = |what: &str| -> Result<(), Error> {
        h.browser
            .wait_until(&format!("the terminal to print {what:?}"), TIMEOUT, || {
                let text = h.browser.find(".lesson-view")?.text()?;
                Ok(text.contains(what).then_some(()))
            })
    };
    wait_step(h, "step 1", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 1 of 3"))
    })?;
    h.screenshot("lesson-quickstart-first")?;
    type_line(
        "bin/kafka-topics.sh --create --topic quickstart-events --bootstrap-server localhost:9092",
    )?;
    terminal_says("Created topic quickstart-events.")?;
    wait_step(h, "step 1 to pass", |s| s["passed"] == json!(true))?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step(h, "step 2", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 2 of 3"))
    })?;
    type_line(
        "bin/kafka-console-producer.sh --topic quickstart-events --bootstrap-server localhost:9092",
    )?;
    type_line("This is my first event")?;
    type_line("This is my second event")?;
    wait_step(h, "step 2 to pass", |s| s["passed"] == json!(true))?;
    h.browser.find(".lesson-view button.term-eof")?.click()?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step(h, "step 3", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 3 of 3"))
    })?;
    type_line(
        "bin/kafka-console-consumer.sh --topic quickstart-events --from-beginning --bootstrap-server localhost:9092",
    )?;
    terminal_says("This is my second event")?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    h.screenshot("lesson-quickstart-last")?;
    h.expect_no_panic_banner("quickstart lesson")
}

pub fn check_offsets_and_lag(h: &Harness) -> Result<(), Error> {
    do_lesson(h, "offsets-and-lag", 3, |_, c| c[0].clone())
}

pub fn check_delivery_guarantees(h: &Harness) -> Result<(), Error> {
    do_lesson(h, "delivery-guarantees", 3, |_, c| c[0].clone())
}

/// The ISR of each partition of the topic in the lesson's Replicas table, as it reads.
fn isrs_shown(h: &Harness) -> Result<Vec<String>, Error> {
    let v = h.browser.execute(
        "return [...document.querySelectorAll('.lesson-view table.replicas tr[data-isr]')].map(r => r.dataset.isr);",
        &[],
    )?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

/// Replicas, leaders and acks, by clicks and keys: Play, Stop broker 1 (leaders move); the
/// Replicas table names `min.insync.replicas=2` (the lesson's `run:` line); Auto-produce off
/// and Stop broker 2 (every ISR `[3]`); the prediction answered, then grace:1 typed with acks
/// all: the event log shows Kafka 4.1.1's `NotEnoughReplicasException` and its text
/// (`Errors.NOT_ENOUGH_REPLICAS`), retried; acks 1 chosen and heidi:1 typed: appended;
/// Start broker 2: two replicas in each ISR again, and "Lesson complete".
pub fn check_replication(h: &Harness) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    const OF: usize = 6;
    h.open("#/lessons/replication")?;
    wait_step_n(h, 1, OF)?;
    h.browser.wait_for(".lesson-view .controls", TIMEOUT)?;
    h.screenshot("lesson-replication-first")?;
    // "Press Play": the button reads Pause when the clock already runs.
    let _ = click_text(h, ".lesson-view .controls", "Play");
    pass_and_next(h, 1)?;
    wait_step_n(h, 2, OF)?;
    h.browser
        .wait_for(".lesson-view button[aria-label=\"Stop broker 1\"]", TIMEOUT)?
        .click()?;
    wait_step(h, "step 2 to pass", |s| s["passed"] == json!(true))?;
    // A reload at once (within the autosave's 2 s) keeps the stopped broker: the page saves
    // as it is left.
    h.browser.execute("location.reload()", &[])?;
    std::thread::sleep(Duration::from_millis(300));
    let s = wait_step_n(h, 2, OF)?;
    assert_eq!(s["passed"], json!(true), "{s}");
    h.browser.wait_for(
        ".lesson-view button[aria-label=\"Start broker 1\"]",
        TIMEOUT,
    )?;
    // The course (the crumbs' link) offers to go on where the learner stopped, on the
    // lesson's session: broker 1 is still stopped at step 3.
    h.browser.find(".lessons .crumbs a")?.click()?;
    h.browser
        .wait_until("Continue at step 3", TIMEOUT, || {
            Ok(h.browser
                .find_all("ol.course a.resume")?
                .into_iter()
                .find(|a| a.text().is_ok_and(|t| t == "Continue at step 3")))
        })?
        .click()?;
    wait_step_n(h, 3, OF)?;
    h.browser.wait_for(
        ".lesson-view button[aria-label=\"Start broker 1\"]",
        TIMEOUT,
    )?;
    view_says(h, "min.insync.replicas=2")?;
    choose(h, ".lesson-view select.auto-rate", "0")?;
    // A second apart, as a learner's two clicks are: what was in flight is acknowledged.
    std::thread::sleep(Duration::from_millis(1_000));
    h.browser
        .find(".lesson-view button[aria-label=\"Stop broker 2\"]")?
        .click()?;
    let isrs = h.browser.wait_until("every ISR to be [3]", TIMEOUT, || {
        let isrs = isrs_shown(h)?;
        Ok((!isrs.is_empty() && isrs.iter().all(|i| i == "3")).then_some(isrs))
    })?;
    assert_eq!(isrs.len(), 3, "{isrs:?}");
    pass_and_next(h, 3)?;
    let s = wait_step_n(h, 4, OF)?;
    assert_eq!(s["passed"], json!(false), "nothing sent yet: {s}");
    assert_eq!(s["predict"], json!(true), "{s}");
    predict(h, "The leader refuses it; the producer retries")?;
    h.browser
        .find(".lesson-view #produce-input")?
        .send_keys(&format!("grace:1{ENTER}"))?;
    let s = wait_step(h, "step 4 to pass", |s| s["passed"] == json!(true))?;
    let verdict = s["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict.contains("right") && verdict.contains("NotEnoughReplicasException"),
        "{verdict}"
    );
    let log = view_says(h, "NotEnoughReplicasException")?;
    assert!(
        log.contains("failed (will retry): org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required."),
        "{log}"
    );
    // The Time slider marks the moment the goal was reached, the one the narration names.
    let mark = h.browser.wait_until("the goal's mark on the Time slider", TIMEOUT, || {
        let v = h.browser.execute(
            "const m = document.querySelector('.lesson-view .timeline .goal-mark'); \
             const o = document.querySelector('.lesson-view .timeline datalist option'); \
             const g = document.querySelector('.lessons .goal.passed'); \
             return m && o && g ? { mark: m.textContent, tick: o.value, ms: m.dataset.ms, goal: g.textContent } : null;",
            &[],
        )?;
        Ok((!v.is_null()).then_some(v))
    })?;
    let shown = mark["mark"].as_str().unwrap_or_default();
    let when = shown.trim_start_matches("✓ goal at ");
    assert!(
        !when.is_empty()
            && mark["goal"]
                .as_str()
                .is_some_and(|g| g.contains(&format!("at t = {when}"))),
        "{mark}"
    );
    assert_eq!(mark["tick"], mark["ms"], "{mark}");
    h.screenshot("lesson-replication-not-enough-replicas")?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 5, OF)?;
    choose(h, ".lesson-view select.acks", "1")?;
    h.browser
        .find(".lesson-view #produce-input")?
        .send_keys(&format!("heidi:1{ENTER}"))?;
    view_says(h, "(key heidi)")?;
    pass_and_next(h, 5)?;
    wait_step_n(h, 6, OF)?;
    h.browser
        .find(".lesson-view button[aria-label=\"Start broker 2\"]")?
        .click()?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    let isrs = h
        .browser
        .wait_until("two replicas in each ISR", TIMEOUT, || {
            let isrs = isrs_shown(h)?;
            Ok((isrs.len() == 3 && isrs.iter().all(|i| i.split(',').count() == 2)).then_some(isrs))
        })?;
    assert!(
        isrs.iter().all(|i| i.contains('2') && i.contains('3')),
        "{isrs:?}"
    );
    // As the step says: the producer's retry of grace:1 is appended once the ISR has grown.
    view_says(h, "(key grace)")?;
    h.screenshot("lesson-replication-last")?;
    h.expect_no_panic_banner("replication lesson")
}

/// A malformed lesson file (written into the served site for the test) gets errors with line
/// numbers, and the page keeps working.
pub fn check_malformed_lesson(h: &Harness) -> Result<(), Error> {
    let dir = crate::e2e::server::require_dist().join("lessons");
    let path = dir.join("e2e-malformed.txt");
    std::fs::write(
        &path,
        "title: Broken\nminutes: many\n\n== A step\ncheck: appeneded count=1\nshow: fly\n",
    )
    .map_err(|e| Error::Io(e.to_string()))?;
    let result = (|| {
        h.open("#/lessons?src=lessons/e2e-malformed.txt")?;
        let items = h.browser.wait_until("line-numbered errors", TIMEOUT, || {
            let items = h.browser.find_all(".lesson-errors li")?;
            let mut texts = Vec::new();
            for li in items {
                texts.push(li.text()?);
            }
            Ok((!texts.is_empty()).then_some(texts))
        })?;
        let all = items.join("\n");
        assert!(all.contains("line 2:") && all.contains("minutes"), "{all}");
        assert!(
            all.contains("line 5:") && all.contains("unknown check"),
            "{all}"
        );
        assert!(all.contains("line 6:"), "{all}");
        h.screenshot("lesson-malformed")?;
        // A source from another site is refused by name, not fetched.
        h.open("#/lessons?src=https://elsewhere.example/x.txt")?;
        h.browser.wait_until("the refusal", TIMEOUT, || {
            let text = h.browser.find("main#view")?.text()?;
            Ok(text.contains("cannot be loaded").then_some(()))
        })?;
        h.expect_no_panic_banner("malformed lesson")
    })();
    let _ = std::fs::remove_file(&path);
    result
}

/// A teacher's lesson whose setup is console commands (`run:` lines, written into the served
/// site for the test): the topic they created is in the lesson's terminal from the first step
/// with the record they produced, and a file whose command Kafka refuses names its line and
/// the console's error instead of starting.
pub fn check_run_lines_set_up_a_lesson(h: &Harness) -> Result<(), Error> {
    let dir = crate::e2e::server::require_dist().join("lessons");
    let good = dir.join("e2e-run.txt");
    let bad = dir.join("e2e-run-bad.txt");
    let lesson = "title: Payments\nview: console\nsetup: #/playground?groups=0\n\
        run: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments --partitions 2\n\
        run: kafka-console-producer.sh --bootstrap-server localhost:9092 --topic payments --property parse.key=true --property key.separator=: <<< 'alice:42'\n\
        \n== Read what the setup wrote\ntask: Read payments from the beginning.\ncheck: delivered topic=payments count=1\n";
    // The same topic created twice: Kafka's tool answers TopicExistsException.
    let refused = lesson.replace(
        "\nrun: kafka-console-producer.sh",
        "\nrun: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments\nrun: kafka-console-producer.sh",
    );
    write_file(&good, lesson)?;
    write_file(&bad, &refused)?;
    let result = (|| {
        h.open("#/lessons?src=lessons/e2e-run.txt")?;
        wait_step_n(h, 1, 1)?;
        type_line(
            h,
            "bin/kafka-topics.sh --describe --topic payments --bootstrap-server localhost:9092",
        )?;
        let described = view_says(h, "PartitionCount: 2")?;
        assert!(described.contains("Topic: payments"), "{described}");
        type_line(
            h,
            "bin/kafka-console-consumer.sh --topic payments --from-beginning --property print.key=true --max-messages 1 --bootstrap-server localhost:9092",
        )?;
        view_says(h, "Processed a total of 1 messages")?;
        let read = h.browser.find(".lesson-view")?.text()?;
        assert!(read.contains("alice") && read.contains("42"), "{read}");
        wait_step(h, "the step to pass", |s| s["passed"] == json!(true))?;
        h.screenshot("lesson-run-lines")?;

        h.open("#/lessons?src=lessons/e2e-run-bad.txt")?;
        let errors = h
            .browser
            .wait_until("the refused command's line", TIMEOUT, || {
                let items = h.browser.find_all(".lesson-errors li")?;
                let mut texts = Vec::new();
                for li in items {
                    texts.push(li.text()?);
                }
                Ok((!texts.is_empty()).then(|| texts.join("\n")))
            })?;
        assert!(
            errors.contains("line 5:")
                && errors.contains(
                    "Error while executing topic command : Topic 'payments' already exists."
                ),
            "{errors}"
        );
        assert!(
            h.browser.find_all(".lesson-view")?.is_empty(),
            "a lesson half set up is not started"
        );
        h.screenshot("lesson-run-refused")?;
        h.expect_no_panic_banner("run: lines")
    })();
    let _ = std::fs::remove_file(&good);
    let _ = std::fs::remove_file(&bad);
    result
}

/// The page's address, as the address bar shows it.
fn hash(h: &Harness) -> Result<String, Error> {
    let v = h.browser.execute("return location.hash", &[])?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// A two-step lesson's first step done with "Show me", then Next: the address of step 2.
fn show_me_and_next(h: &Harness) -> Result<String, Error> {
    wait_step_n(h, 1, 2)?;
    click_text(h, ".lessons .lesson-actions", "Show me")?;
    pass_and_next(h, 1)?;
    wait_step_n(h, 2, 2)?;
    hash(h)
}

/// Writes a file the test serves or picks.
fn write_file(path: &std::path::Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::Io(e.to_string()))
}

/// A teacher's file opened by `src=` keeps its step in the address, as the course's lessons
/// do: Next writes `#/lessons/2?src=…`, a reload opens step 2 again, the browser's back
/// button returns to step 1 (passed), and the address opened afresh (a shared link) starts at
/// step 2.
pub fn check_teachers_file_keeps_its_step(h: &Harness) -> Result<(), Error> {
    let path = crate::e2e::server::require_dist()
        .join("lessons")
        .join("e2e-steps.txt");
    std::fs::write(
        &path,
        "title: Two steps\nsetup: #/playground?groups=0\n\n\
         == First\ntask: Send erin:1.\ncheck: appended key=erin count=1\nshow: produce erin:1\n\n\
         == Second\ntask: Send erin:2.\ncheck: appended key=erin count=1\nshow: produce erin:2\n",
    )
    .map_err(|e| Error::Io(e.to_string()))?;
    let result = (|| {
        h.open("#/lessons?src=lessons/e2e-steps.txt")?;
        let second = show_me_and_next(h)?;
        assert_eq!(second, "#/lessons/2?src=lessons/e2e-steps.txt");
        h.browser.execute("location.reload()", &[])?;
        std::thread::sleep(Duration::from_millis(300));
        wait_step_n(h, 2, 2)?;
        h.browser.back()?;
        let s = wait_step_n(h, 1, 2)?;
        assert_eq!(s["passed"], json!(true), "progress kept: {s}");
        h.open(&second)?;
        wait_step_n(h, 2, 2)?;
        h.screenshot("lesson-src-step-2")?;
        h.expect_no_panic_banner("a src= lesson's step")
    })();
    let _ = std::fs::remove_file(&path);
    result
}

/// A lesson embedded in a course page (`embed=1`): each passed step posts `checkpoint` to the
/// host page and the last one `completed` too (the embed's message API, version 1), while
/// Next keeps the embed in the frame's address. Clicks are made inside the frame.
pub fn check_embedded_lesson_posts_progress(h: &Harness) -> Result<(), Error> {
    let dist = crate::e2e::server::require_dist();
    let lesson = dist.join("lessons").join("e2e-embed.txt");
    let host = dist.join("e2e-lesson-host.html");
    write_file(
        &lesson,
        "title: Embedded\nsetup: #/playground?groups=0\n\n\
         == First\ntask: Send frank:1.\ncheck: appended key=frank count=1\nshow: produce frank:1\n\n\
         == Second\ntask: Send frank:2.\ncheck: appended key=frank count=1\nshow: produce frank:2\n",
    )?;
    write_file(
        &host,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A course page</title><link rel=\"icon\" href=\"data:,\"></head>\
         <body><iframe id=\"lesson\" title=\"A lesson\" width=\"800\" height=\"580\" \
         src=\"index.html#/lessons?src=lessons/e2e-embed.txt&amp;embed=1\"></iframe></body></html>",
    )?;
    let result = (|| {
        h.browser.goto(&h.server.url("e2e-lesson-host.html"))?;
        h.browser.execute(
            "window.seen = []; addEventListener('message', e => { \
               if (e.source === document.getElementById('lesson').contentWindow) seen.push(e.data); });",
            &[],
        )?;
        let seen = || -> Result<Vec<serde_json::Value>, Error> {
            let v = h.browser.execute("return window.seen", &[])?;
            Ok(serde_json::from_value(v).unwrap_or_default())
        };
        h.browser.enter_frame(0)?;
        assert_eq!(
            show_me_and_next(h)?,
            "#/lessons/2?src=lessons/e2e-embed.txt&embed=1",
            "the frame stays an embed"
        );
        click_text(h, ".lessons .lesson-actions", "Show me")?;
        wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
        h.browser.leave_frames()?;
        let messages = h
            .browser
            .wait_until("checkpoint and completed", TIMEOUT, || {
                let all = seen()?;
                Ok(all.iter().any(|m| m["type"] == "completed").then_some(all))
            })?;
        let of = |kind: &str| -> Vec<&serde_json::Value> {
            messages.iter().filter(|m| m["type"] == kind).collect()
        };
        let checkpoints = of("checkpoint");
        assert_eq!(checkpoints.len(), 2, "{messages:?}");
        for (n, c) in checkpoints.iter().enumerate() {
            assert_eq!(c["version"], json!(1), "{c}");
            assert_eq!(c["lesson"], json!("src:lessons/e2e-embed.txt"), "{c}");
            assert_eq!(c["step"], json!(n + 1), "{c}");
            assert_eq!(c["passed"], json!(true), "{c}");
        }
        let completed = of("completed");
        assert_eq!(completed.len(), 1, "{messages:?}");
        assert_eq!(completed[0]["steps"], json!(2), "{messages:?}");
        assert_eq!(completed[0]["title"], json!("Embedded"), "{messages:?}");
        h.screenshot("lesson-embedded")?;
        h.expect_no_panic_banner("an embedded lesson")
    })();
    let _ = h.browser.leave_frames();
    let _ = std::fs::remove_file(&lesson);
    let _ = std::fs::remove_file(&host);
    result
}

/// A teacher's file picked on the course page ("Open a lesson file…"): it runs as a `src=`
/// file runs, its first step on screen; Show me, Next and a reload of the tab keep it; a
/// malformed file picked the same way gets its errors with line numbers.
pub fn check_open_lesson_file(h: &Harness) -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("eda-e2e-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io(e.to_string()))?;
    let good = dir.join("my-lesson.txt");
    let bad = dir.join("broken-lesson.txt");
    write_file(
        &good,
        "title: My own lesson\nminutes: 3\nlearn: A file from my computer.\nsetup: #/playground?groups=0\n\n\
         == Send one record\ntask: Send carol:1.\ncheck: appended key=carol count=1\nshow: produce carol:1\n\n\
         == Send another\ntask: Send carol:2.\ncheck: appended key=carol count=1\nshow: produce carol:2\n",
    )?;
    write_file(
        &bad,
        "title: Broken\nminutes: soon\n\n== A step\ncheck: appended count=many\n",
    )?;
    let pick = |path: &std::path::Path| -> Result<(), Error> {
        h.open("#/lessons")?;
        let input = h
            .browser
            .wait_for(".open-lesson input[type=file]", TIMEOUT)?;
        input.send_keys(&path.display().to_string())
    };
    let result = (|| {
        h.open("#/lessons")?;
        h.browser.wait_for(".open-lesson", TIMEOUT)?;
        h.screenshot("lesson-open-file-course")?;
        pick(&good)?;
        wait_step_n(h, 1, 2)?;
        let crumbs = h.browser.find(".lessons .crumbs")?.text()?;
        assert!(crumbs.contains("My own lesson"), "{crumbs}");
        assert_eq!(
            show_me_and_next(h)?,
            "#/lessons/2?file=imported",
            "the step is in the address"
        );
        h.browser.execute("location.reload()", &[])?;
        // The tab kept the file: the lesson comes back at the step the learner was on.
        wait_step_n(h, 2, 2)?;
        h.screenshot("lesson-open-file-reloaded")?;
        click_text(h, ".lessons .lesson-actions", "Back")?;
        let s = wait_step_n(h, 1, 2)?;
        assert_eq!(s["passed"], json!(true), "progress kept: {s}");
        assert_eq!(hash(h)?, "#/lessons/1?file=imported");

        // Pasted text runs the same way.
        h.open("#/lessons")?;
        h.browser
            .wait_for(".open-lesson summary", TIMEOUT)?
            .click()?;
        h.browser.find("#paste-lesson")?.send_keys(
            "title: Pasted lesson\nsetup: #/playground?groups=0\n== Only step\ntask: Send dave:1.\ncheck: appended key=dave count=1\nshow: produce dave:1\n",
        )?;
        click_text(h, ".open-lesson", "Open the pasted lesson")?;
        wait_step_n(h, 1, 1)?;
        let crumbs = h.browser.find(".lessons .crumbs")?.text()?;
        assert!(crumbs.contains("Pasted lesson"), "{crumbs}");

        pick(&bad)?;
        let errors = h.browser.wait_until("line-numbered errors", TIMEOUT, || {
            let items = h.browser.find_all(".lesson-errors li")?;
            let mut texts = Vec::new();
            for li in items {
                texts.push(li.text()?);
            }
            Ok((!texts.is_empty()).then(|| texts.join("\n")))
        })?;
        assert!(
            errors.contains("line 2:") && errors.contains("minutes"),
            "{errors}"
        );
        assert!(errors.contains("line 5:"), "{errors}");
        let alert = h.browser.find(".lessons .error")?.text()?;
        assert!(alert.contains("broken-lesson.txt"), "{alert}");
        // The address is the page's own: no banner about an unknown parameter.
        let view = h.browser.find("body")?.text()?;
        assert!(!view.contains("unknown URL parameter"), "{view}");
        h.screenshot("lesson-open-file-malformed")?;
        h.expect_no_panic_banner("open a lesson file")
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Types `text` and Enter into the lesson's terminal.
fn type_line(h: &Harness, text: &str) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    let input = h.browser.wait_for(".lesson-view #term-input", TIMEOUT)?;
    input.send_keys(&format!("{text}{ENTER}"))
}

/// Waits until the lesson's view shows `what`.
fn view_says(h: &Harness, what: &str) -> Result<String, Error> {
    h.browser
        .wait_until(&format!("the view to show {what:?}"), TIMEOUT, || {
            let text = h.browser.find(".lesson-view")?.text()?;
            Ok(text.contains(what).then_some(text))
        })
}

fn wait_step_n(h: &Harness, n: usize, of: usize) -> Result<serde_json::Value, Error> {
    wait_step(h, &format!("step {n} of {of}"), |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("Step {n} of {of}")))
    })
}

fn pass_and_next(h: &Harness, n: usize) -> Result<(), Error> {
    wait_step(h, &format!("step {n} to pass"), |s| {
        s["passed"] == json!(true)
    })?;
    click_text(h, ".lessons .lesson-actions", "Next")
}

/// Compaction, typed into the lesson's terminal: the compacted topic its `run:` line made,
/// three values for one key, a tombstone, one more record to close the segment, the cleaner's
/// pass, and a read that shows only the latest value per key (the removed offsets are gaps).
pub fn check_compaction(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons/compaction")?;
    wait_step_n(h, 1, 4)?;
    h.screenshot("lesson-compaction-first")?;
    // The lesson's run: line made the compacted topic before the first step.
    type_line(
        h,
        "bin/kafka-topics.sh --describe --topic prices --bootstrap-server localhost:9092",
    )?;
    view_says(h, "cleanup.policy=compact")?;
    type_line(
        h,
        "bin/kafka-console-producer.sh --topic prices --property parse.key=true --property key.separator=: --property null.marker=NULL --bootstrap-server localhost:9092",
    )?;
    for line in ["apple:1", "apple:2", "pear:5", "apple:3"] {
        type_line(h, line)?;
    }
    pass_and_next(h, 1)?;
    wait_step_n(h, 2, 4)?;
    type_line(h, "pear:NULL")?;
    pass_and_next(h, 2)?;
    let s = wait_step_n(h, 3, 4)?;
    assert_eq!(s["passed"], json!(false), "the cleaner has not run: {s}");
    type_line(h, "banana:1")?;
    // The cleaner looks every 15 s of virtual time; the Console runs at 1×.
    h.browser
        .wait_until("the cleaner's pass", Duration::from_secs(60), || {
            Ok((step_state(h)?["passed"] == json!(true)).then_some(()))
        })?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 4, 4)?;
    h.browser.find(".lesson-view button.term-eof")?.click()?;
    type_line(
        h,
        "bin/kafka-console-consumer.sh --topic prices --from-beginning --property print.key=true --property print.offset=true --bootstrap-server localhost:9092",
    )?;
    // What the consumer printed (after its command line): the latest value per key, the
    // tombstone, and gaps where the older records were.
    let consumer = h
        .browser
        .wait_until("the consumer to print banana", TIMEOUT, || {
            let text = h.browser.find(".lesson-view")?.text()?;
            let after = text
                .rsplit("kafka-console-consumer.sh")
                .next()
                .unwrap_or_default()
                .to_string();
            Ok(after.contains("banana").then_some(after))
        })?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    assert!(
        consumer.contains("apple") && consumer.contains('3'),
        "{consumer}"
    );
    assert!(
        consumer.contains("pear") && consumer.contains("null"),
        "{consumer}"
    );
    for gone in ["Offset:0", "Offset:1", "Offset:2"] {
        assert!(
            !consumer.contains(gone),
            "{gone} was compacted away: {consumer}"
        );
    }
    h.screenshot("lesson-compaction-last")?;
    h.expect_no_panic_banner("compaction lesson")
}

/// Picks the option whose value is `value` in the select at `css`, as a learner does: a click
/// on the select, then on the option.
fn choose(h: &Harness, css: &str, value: &str) -> Result<(), Error> {
    h.browser.find(css)?.click()?;
    for option in h.browser.find_all(&format!("{css} option"))? {
        if option.attribute("value")?.as_deref() == Some(value) {
            return option.click();
        }
    }
    Err(Error::Protocol(format!("no option {value:?} in `{css}`")))
}

/// The Assignor list of the lesson's Playground.
fn choose_assignor(h: &Harness, name: &str) -> Result<(), Error> {
    choose(h, ".lesson-view select.assignor", name)
}

fn assignor_shown(h: &Harness) -> Result<String, Error> {
    let v = h.browser.execute(
        "return document.querySelector('.lesson-view select.assignor').value;",
        &[],
    )?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Answers the step's prediction with `choice`.
fn predict(h: &Harness, choice: &str) -> Result<(), Error> {
    for radio in h
        .browser
        .find_all(".lessons fieldset.predict input[type=radio]")?
    {
        if radio.attribute("value")?.as_deref() == Some(choice) {
            radio.click()?;
            click_text(h, ".lessons", "Commit my answer")?;
            wait_step(h, "the answer to be kept", |s| s["answered"] == json!(true))?;
            return Ok(());
        }
    }
    Err(Error::Protocol(format!("no choice {choice:?}")))
}

fn add_consumer(h: &Harness, group: &str) -> Result<(), Error> {
    click_text(
        h,
        &format!(".lesson-view .group[data-group=\"{group}\"]"),
        "Add consumer",
    )
}

/// Assignors, done with the Playground's own controls: range, then a third member (eager:
/// every partition given up); cooperative-sticky, chosen in the Assignor list, which stays
/// chosen after "Add group"; then a third member (only the moving partition given up).
pub fn check_assignors(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons/assignors")?;
    wait_step_n(h, 1, 7)?;
    h.browser
        .wait_for(".lesson-view select.assignor", TIMEOUT)?;
    h.screenshot("lesson-assignors-first")?;
    // The step names the panels it needs (`panels:`): what it asks for is on the first screen,
    // and what it does not use (the producer box, the replicas table, …) is left out.
    let first_screen = h.browser.execute(
        r#"const v = document.querySelector('.lesson-view');
           const r = sel => { const e = v.querySelector(sel); return e ? e.getBoundingClientRect().bottom : null; };
           return { assignor: r('select.assignor'), height: window.innerHeight,
                    panels: (v.querySelector('.playground') || {}).dataset.panels };"#,
        &[],
    )?;
    assert_eq!(
        first_screen["panels"], "controls,lanes,groups,log",
        "{first_screen}"
    );
    assert!(
        first_screen["assignor"].as_f64().unwrap_or(f64::MAX)
            <= first_screen["height"].as_f64().unwrap_or(0.0),
        "the Assignor list is on the first screen: {first_screen}"
    );
    choose_assignor(h, "range")?;
    click_text(h, ".lesson-view", "Add group")?;
    pass_and_next(h, 1)?;
    wait_step_n(h, 2, 7)?;
    predict(h, "consumer-billing-3")?;
    add_consumer(h, "billing")?;
    let s = wait_step(h, "step 2 to pass", |s| s["passed"] == json!(true))?;
    let verdict = s["verdict"].as_str().unwrap_or_default().to_string();
    assert!(verdict.contains("right"), "{verdict}");
    h.browser
        .wait_until("consumer-billing-3 to own partition 2", TIMEOUT, || {
            let li = h
                .browser
                .find_all(".lesson-view .group[data-group=\"billing\"] li[data-consumer=\"4\"]")?;
            Ok(match li.first() {
                Some(li) => (li.attribute("data-owns")?.as_deref() == Some("2")).then_some(()),
                None => None,
            })
        })?;
    // The event log says which protocol made the member give up its partitions.
    view_says(
        h,
        "consumer-billing-2 gives up orders-2 (range: the eager protocol revokes all its partitions)",
    )?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 3, 7)?;
    choose_assignor(h, "cooperative-sticky")?;
    click_text(h, ".lesson-view", "Add group")?;
    h.browser.wait_until("the group shipping", TIMEOUT, || {
        Ok((!h
            .browser
            .find_all(".lesson-view .group[data-group=\"shipping\"]")?
            .is_empty())
        .then_some(()))
    })?;
    assert_eq!(
        assignor_shown(h)?,
        "cooperative-sticky",
        "the assignor chosen stays chosen after Add group"
    );
    pass_and_next(h, 3)?;
    wait_step_n(h, 4, 7)?;
    let protocol = h
        .browser
        .find(".lesson-view .group[data-group=\"shipping\"] h4")?
        .text()?;
    assert!(protocol.contains("cooperative-sticky"), "{protocol}");
    predict(h, "1")?;
    add_consumer(h, "shipping")?;
    let s = wait_step(h, "step 4 to pass", |s| s["passed"] == json!(true))?;
    assert!(
        s["verdict"].as_str().is_some_and(|v| v.contains("right")),
        "{s}"
    );
    view_says(
        h,
        "consumer-shipping-1 gives up orders-2 (cooperative-sticky: the cooperative protocol revokes only partitions that move)",
    )?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    // roundrobin deals the partitions out in turn: the first member owns orders-0 and orders-2
    // (range gave billing's first member orders-0 and orders-1).
    wait_step_n(h, 5, 7)?;
    predict(h, "orders-0 and orders-2")?;
    choose_assignor(h, "roundrobin")?;
    click_text(h, ".lesson-view", "Add group")?;
    let s = wait_step(h, "step 5 to pass", |s| s["passed"] == json!(true))?;
    assert!(
        s["verdict"].as_str().is_some_and(|v| v.contains("right")),
        "{s}"
    );
    let first = h
        .browser
        .wait_until("consumer-analytics-1's partitions", TIMEOUT, || {
            let groups = h
                .browser
                .find_all(".lesson-view .group[data-group=\"analytics\"] li[data-owns]")?;
            Ok(match groups.first() {
                Some(li) => li.attribute("data-owns")?.filter(|o| !o.is_empty()),
                None => None,
            })
        })?;
    assert_eq!(first, "0,2", "roundrobin's first member");
    click_text(h, ".lessons .lesson-actions", "Next")?;
    // sticky: the same single move as cooperative-sticky, on the eager protocol. The wrong
    // answer (1, cooperative-sticky's) is shown as wrong.
    wait_step_n(h, 6, 7)?;
    choose_assignor(h, "sticky")?;
    click_text(h, ".lesson-view", "Add group")?;
    pass_and_next(h, 6)?;
    wait_step_n(h, 7, 7)?;
    predict(h, "1")?;
    add_consumer(h, "fraud")?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    let s = step_state(h)?;
    assert!(
        s["verdict"]
            .as_str()
            .is_some_and(|v| v.contains("wrong") && v.contains("The engine's answer: 3.")),
        "{s}"
    );
    view_says(
        h,
        "consumer-fraud-2 gives up orders-1 (sticky: the eager protocol revokes all its partitions)",
    )?;
    h.screenshot("lesson-assignors-last")?;
    // Ten consumers in the column: a box whose name and buttons would overlap draws the name
    // alone (Stop and Crash stay in the groups panel).
    let overlaps = h.browser.execute(
        r#"const out = [];
           for (const g of document.querySelectorAll('.lesson-view svg g.consumer')) {
             const name = g.querySelector('text.name').getBBox();
             const fo = g.querySelector('foreignObject');
             if (fo && fo.y.baseVal.value < name.y + name.height - 0.5) out.push(g.dataset.consumer);
           }
           return { boxes: document.querySelectorAll('.lesson-view svg g.consumer').length, overlaps: out };"#,
        &[],
    )?;
    assert!(
        overlaps["boxes"].as_u64().unwrap_or(0) >= 10
            && overlaps["overlaps"].as_array().is_some_and(Vec::is_empty),
        "{overlaps}"
    );
    h.expect_no_panic_banner("assignors lesson")
}

/// Requests vs events over the EDA-vs-SOA view: both sides serve, email-service is taken down
/// with its own button (the prediction: EDA keeps serving), the SOA side fails users while the
/// EDA side answers them, and after "up" the consumer group catches up.
pub fn check_requests_vs_events(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons/requests-vs-events")?;
    wait_step(h, "step 1 and the comparison", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 1 of 3"))
            && s["playground"] == json!(true)
    })?;
    h.screenshot("lesson-requests-vs-events-first")?;
    pass_and_next(h, 1)?;
    wait_step_n(h, 2, 3)?;
    predict(h, "EDA")?;
    h.browser
        .find(".lesson-view tr[data-service=\"email-service\"] button[data-health=\"down\"]")?
        .click()?;
    let s = wait_step(h, "step 2 to pass", |s| s["passed"] == json!(true))?;
    let verdict = s["verdict"].as_str().unwrap_or_default().to_string();
    assert!(verdict.contains("right"), "{verdict}");
    // What the page shows: users answered with an error on the SOA side, none on the EDA side.
    let outcomes = h.browser.execute(
        "const c = s => document.querySelector('.lesson-view td[data-metric=outcomes][data-side=' + s + ']').textContent;
         return [c('soa'), c('eda')];",
        &[],
    )?;
    let soa_failed: u64 = outcomes[0]
        .as_str()
        .and_then(|t| t.split(" / ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        soa_failed >= 5,
        "SOA answered users with an error: {outcomes}"
    );
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 3, 3)?;
    h.browser
        .find(".lesson-view tr[data-service=\"email-service\"] button[data-health=\"up\"]")?
        .click()?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    let backlog = h
        .browser
        .find(".lesson-view tr[data-service=\"email-service\"] td[data-metric=backlog][data-side=eda]")?
        .text()?;
    // New users keep coming, so the backlog is 0 only between two events: a few at most.
    let backlog: u64 = backlog.trim().parse().unwrap_or(u64::MAX);
    assert!(backlog < 5, "email-service caught up: backlog {backlog}");
    h.screenshot("lesson-requests-vs-events-last")?;
    // "Reset this step" puts the comparison back as the step began: email-service down.
    click_text(h, ".lessons .lesson-actions", "Reset this step")?;
    h.browser
        .wait_until("email-service down again", TIMEOUT, || {
            let down = h.browser.find_all(
                ".lesson-view tr[data-service=\"email-service\"] button[data-health=\"down\"][aria-pressed=\"true\"]",
            )?;
            Ok((!down.is_empty()).then_some(()))
        })?;
    let s = step_state(h)?;
    assert_eq!(s["complete"], json!(true), "what was earned stays: {s}");
    h.expect_no_panic_banner("requests-vs-events lesson")
}

/// Produces a line in the lesson's WordCount view, then clicks "Next record" until the step
/// passes (at most `clicks_max` times).
fn wordcount_line(h: &Harness, line: Option<&str>, clicks_max: usize) -> Result<(), Error> {
    if let Some(line) = line {
        let input = h.browser.find(".lesson-view input.wc-line")?;
        input.send_keys(line)?;
        click_text(h, ".lesson-view form.producer-panel", "Produce")?;
    }
    for _ in 0..clicks_max {
        if step_state(h)?["passed"] == json!(true) {
            return Ok(());
        }
        h.browser.find(".lesson-view button.wc-record")?.click()?;
        std::thread::sleep(Duration::from_millis(250));
    }
    wait_step(h, "the step to pass", |s| s["passed"] == json!(true)).map(|_| ())
}

/// WordCount: a line through the topology to the repartition topic, the store and its
/// changelog, a prediction of the next count for kafka, and kafka = 3 in the store.
pub fn check_wordcount(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons/wordcount")?;
    wait_step(h, "step 1 and WordCount", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 1 of 4"))
            && s["playground"] == json!(true)
    })?;
    h.screenshot("lesson-wordcount-first")?;
    wordcount_line(h, Some("all streams lead to kafka"), 10)?;
    view_says(h, "Repartition topic")?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 2, 4)?;
    wordcount_line(h, None, 12)?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 3, 4)?;
    predict(h, "2")?;
    wordcount_line(h, Some("hello kafka streams"), 12)?;
    let s = step_state(h)?;
    assert!(
        s["verdict"].as_str().is_some_and(|v| v.contains("right")),
        "{s}"
    );
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step_n(h, 4, 4)?;
    wordcount_line(h, Some("join kafka summit"), 12)?;
    wait_step(h, "Lesson complete", |s| s["complete"] == json!(true))?;
    let store = h.browser.find(".lesson-view .wc-store-table")?.text()?;
    assert!(store.contains("kafka") && store.contains('3'), "{store}");
    h.screenshot("lesson-wordcount-last")?;
    h.expect_no_panic_banner("wordcount lesson")
}

/// The learner's own WordCount survives a lesson: a line typed in #/wordcount is still there,
/// counted, after the WordCount lesson ran (with a line of its own) and the learner went back.
pub fn check_lesson_keeps_learners_wordcount(h: &Harness) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    let store_text = |h: &Harness| -> Result<String, Error> {
        h.browser.find(".wordcount .wc-store-table")?.text()
    };
    h.open("#/wordcount?seed=11")?;
    h.browser.wait_for(".wordcount .wc-line", TIMEOUT)?;
    h.browser
        .find(".wordcount .wc-line")?
        .send_keys(&format!("learner owns zebra{ENTER}"))?;
    h.browser.find("button.wc-play")?.click()?;
    h.browser.wait_until("zebra counted", TIMEOUT, || {
        Ok(store_text(h)?.contains("zebra").then_some(()))
    })?;
    let before = store_text(h)?;
    h.screenshot("lesson-keeps-wordcount-before")?;

    h.browser
        .find("nav a.nav-link[href=\"#/lessons\"]")?
        .click()?;
    h.browser
        .wait_for("main#view a[href=\"#/lessons/wordcount\"]", TIMEOUT)?
        .click()?;
    h.browser.wait_until("the lesson's address", TIMEOUT, || {
        let hash = h.browser.execute("return location.hash", &[])?;
        Ok(hash
            .as_str()
            .is_some_and(|h| h.starts_with("#/lessons/wordcount"))
            .then_some(()))
    })?;
    wait_step(h, "step 1 and WordCount", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 1 of 4"))
            && s["playground"] == json!(true)
    })?;
    let lesson_store = h.browser.find(".lesson-view")?.text()?;
    assert!(
        !lesson_store.contains("zebra"),
        "the lesson runs on its own world: {lesson_store}"
    );
    wordcount_line(h, Some("all streams lead to kafka"), 10)?;

    h.browser
        .find("nav a.nav-link[href=\"#/wordcount\"]")?
        .click()?;
    h.browser.wait_for(".wordcount .wc-store-table", TIMEOUT)?;
    let after = h
        .browser
        .wait_until("the learner's counts back", TIMEOUT, || {
            let t = store_text(h)?;
            Ok(t.contains("zebra").then_some(t))
        })?;
    h.screenshot("lesson-keeps-wordcount-after")?;
    assert_eq!(after, before, "the learner's store is as they left it");
    assert!(!after.contains("streams lead"), "{after}");
    let log = h.browser.find(".wordcount")?.text()?;
    assert!(
        log.contains("learner owns zebra"),
        "the learner's line: {log}"
    );
    h.expect_no_panic_banner("wordcount after a lesson")
}

/// Back inside a lesson: the lesson's Back button and the browser's back (and forward) each
/// show the other step, and the address names it.
pub fn check_back_goes_to_the_previous_step(h: &Harness) -> Result<(), Error> {
    let at_step = |n: usize| {
        move |s: &serde_json::Value| {
            s["step"]
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("Step {n} of 3")))
                && s["playground"] == json!(true)
        }
    };
    let address_ends = |what: &str, tail: &str| -> Result<(), Error> {
        let tail = tail.to_owned();
        h.browser.wait_until(what, TIMEOUT, || {
            let url = h.browser.current_url()?;
            Ok(url.ends_with(&tail).then_some(()))
        })
    };
    h.open("#/lessons/consumer-groups")?;
    wait_step(h, "step 1", at_step(1))?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step(h, "step 2 after Next", at_step(2))?;
    address_ends("the address of step 2", "#/lessons/consumer-groups/2")?;
    click_text(h, ".lessons .lesson-actions", "Next")?;
    wait_step(h, "step 3 after Next", at_step(3))?;
    address_ends("the address of step 3", "#/lessons/consumer-groups/3")?;
    // The lesson's own Back button.
    click_text(h, ".lessons .lesson-actions", "Back")?;
    wait_step(h, "step 2 after the lesson's Back", at_step(2))?;
    address_ends("the address of step 2 again", "#/lessons/consumer-groups/2")?;
    // The browser's back and forward.
    h.browser.back()?;
    wait_step(h, "step 3 after the browser's back", at_step(3))?;
    h.browser.back()?;
    wait_step(h, "step 2 after the browser's back", at_step(2))?;
    address_ends(
        "the address of step 2 after back",
        "#/lessons/consumer-groups/2",
    )?;
    h.browser.back()?;
    wait_step(h, "step 1 after the browser's back", at_step(1))?;
    h.browser.forward()?;
    wait_step(h, "step 2 after the browser's forward", at_step(2))?;
    h.screenshot("lesson-back")?;
    h.expect_no_panic_banner("lesson back")
}

/// The Playground's scene a learner reads: the moment, the counters and the keys of the
/// records drawn (null while the Playground is not shown).
const PLAYGROUND: &str = r#"
const pg = document.querySelector('main#view[data-view="playground"] .playground');
if (!pg) return null;
const tl = pg.querySelector('label.timeline');
return {
  now: tl ? tl.getAttribute('data-now') : null,
  counters: (pg.querySelector('.counters') || {}).textContent || '',
  keys: Array.from(pg.querySelectorAll('.diagram svg g.cell')).map(c => c.getAttribute('data-key')).sort().join(','),
};
"#;

fn playground_scene(h: &Harness, what: &str) -> Result<serde_json::Value, Error> {
    h.browser.wait_until(what, TIMEOUT, || {
        let v = h.browser.execute(PLAYGROUND, &[])?;
        Ok((!v.is_null() && v["keys"] != json!("")).then_some(v))
    })
}

/// Lessons over EDA vs SOA and WordCount run on worlds of their own: the learner's
/// Playground session — its records and the moment shown — is there, untouched, when they go
/// back to it after opening such lessons (at their first step and further on), and after a
/// reload.
pub fn check_view_lessons_leave_the_playground_alone(h: &Harness) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    h.open("#/playground")?;
    let input = h.browser.wait_for("#produce-input", TIMEOUT)?;
    input.send_keys(&format!("alice:mine-1{ENTER}"))?;
    input.send_keys(&format!("bob:mine-2{ENTER}"))?;
    h.browser.wait_until("both records drawn", TIMEOUT, || {
        let v = h.browser.execute(PLAYGROUND, &[])?;
        Ok((v["keys"] == json!("alice,bob")).then_some(()))
    })?;
    click_text(h, ".playground .controls", "Pause")?;
    std::thread::sleep(Duration::from_millis(300));
    let before = playground_scene(h, "the paused Playground")?;
    h.screenshot("lesson-leaves-playground-before")?;

    h.browser
        .find("nav a.nav-link[href=\"#/lessons\"]")?
        .click()?;
    h.browser
        .wait_for(
            "main#view a[href=\"#/lessons/requests-vs-events\"]",
            TIMEOUT,
        )?
        .click()?;
    wait_step(h, "the EDA-vs-SOA lesson", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 1 of 3"))
            && s["playground"] == json!(true)
    })?;
    // Straight to a later step of the WordCount lesson (an address, as a bookmark opens it).
    h.browser.execute(
        "location.hash = arguments[0]",
        &[json!("#/lessons/wordcount/2")],
    )?;
    wait_step(h, "the WordCount lesson's step 2", |s| {
        s["step"]
            .as_str()
            .is_some_and(|t| t.starts_with("Step 2 of 4"))
            && s["playground"] == json!(true)
    })?;
    h.browser
        .find("nav a.nav-link[href=\"#/playground\"]")?
        .click()?;
    let after = playground_scene(h, "the learner's Playground")?;
    h.screenshot("lesson-leaves-playground-after")?;
    assert_eq!(
        after, before,
        "the records and the moment are as the learner left them"
    );
    // Saved as it was: a reload brings the same back.
    std::thread::sleep(Duration::from_millis(2_500));
    h.browser.execute("location.reload()", &[])?;
    std::thread::sleep(Duration::from_millis(300));
    let reloaded = playground_scene(h, "the Playground after a reload")?;
    assert_eq!(reloaded, before, "after a reload");
    h.expect_no_panic_banner("the Playground after view lessons")
}

/// A goal left from another lesson never stands in for a lesson's setup: after step 1 of
/// "Keys and partitions" (one broker, its goal met), "Replicas and leaders" opened at step 2
/// runs on its own setup (three brokers), its step waits for the learner, and stopping broker
/// 1 passes it.
pub fn check_a_left_over_goal_does_not_skip_a_setup(h: &Harness) -> Result<(), Error> {
    const ENTER: &str = "\u{E007}";
    h.open("#/lessons/keys-and-partitions")?;
    wait_step_n(h, 1, 3)?;
    h.browser
        .wait_for(".lesson-view #produce-input", TIMEOUT)?
        .send_keys(&format!("hello{ENTER}"))?;
    wait_step(h, "step 1 to pass", |s| s["passed"] == json!(true))?;
    h.browser.execute(
        "location.hash = arguments[0]",
        &[json!("#/lessons/replication/2")],
    )?;
    wait_step_n(h, 2, 6)?;
    let brokers = h.browser.wait_until("three brokers", TIMEOUT, || {
        let n = h.browser.find_all(".lesson-view .broker-chip")?.len();
        Ok((n == 3).then_some(n))
    })?;
    assert_eq!(brokers, 3);
    std::thread::sleep(Duration::from_millis(1_000));
    let s = step_state(h)?;
    assert_eq!(s["passed"], json!(false), "nothing done yet: {s}");
    h.screenshot("lesson-left-over-goal")?;
    h.browser
        .find(".lesson-view button[aria-label=\"Stop broker 1\"]")?
        .click()?;
    wait_step(h, "step 2 to pass", |s| s["passed"] == json!(true))?;
    h.expect_no_panic_banner("a lesson after another")
}

/// A link to a later step of a lesson, opened in a page with no session of that lesson: the
/// earlier steps are done as "Show me" does them, so step 4 of the replication lesson shows
/// what its narration says — brokers 1 and 2 stopped, every ISR `[3]` — not the setup's three
/// running brokers.
pub fn check_opened_at_a_later_step(h: &Harness) -> Result<(), Error> {
    h.open("#/lessons/replication/4")?;
    wait_step_n(h, 4, 6)?;
    for id in [1, 2] {
        view_says(h, &format!("broker {id} (stopped)"))?;
    }
    let isrs = h.browser.wait_until("every ISR to be [3]", TIMEOUT, || {
        let isrs = isrs_shown(h)?;
        Ok((!isrs.is_empty() && isrs.iter().all(|i| i == "3")).then_some(isrs))
    })?;
    assert_eq!(isrs.len(), 3, "{isrs:?}");
    h.screenshot("lesson-replication-opened-at-step-4")?;
    Ok(())
}
