#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]
//! End-to-end tests: the built site (`dist/`) is served under the sub-path
//! `/course/eda/` by a std-only static server, and driven in headless
//! Chromium through chromedriver, checking the app's DOM contract (header,
//! nav, `main#view[data-view]`, footer, hash routing, history, not-found).
//!
//! The browser tests are `#[ignore]`d so a bare `cargo test` stays fast and
//! needs no browser; `./run.sh test` builds `dist/` in release mode and runs
//! `cargo test --test e2e -- --ignored --test-threads=1`. Every browser test
//! also fails if the console log holds a SEVERE entry (failed asset or wasm
//! load, missing favicon, panic), and saves screenshots to `target/e2e/`.
//!
//! The Playground's own checks (producing, murmur2 placement, the record
//! card, Step, rewinding the timeline, a crashed consumer, bad URL
//! parameters) and the `frame_time_probe` benchmark live in
//! `e2e/playground.rs`; they use the library's partitioner, so this test
//! crate links `eda_playground`.
//!
//! The harness checks itself against a small fake app written in plain JS
//! that honours the same contract (`harness_self_test_against_fake_app`), so
//! a failure of the real tests points at the app, not at the harness.

mod e2e {
    pub mod addresses;
    pub mod compare;
    pub mod console_tools;
    pub mod embed;
    pub mod glance_play;
    pub mod glance_views;
    pub mod glance_wc;
    pub mod hardening;
    pub mod http;
    pub mod import;
    pub mod lessons;
    pub mod narrow;
    pub mod playground;
    pub mod server;
    pub mod session;
    pub mod soak;
    pub mod webdriver;
    pub mod wordcount;
}

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use e2e::server::{self, PREFIX, StaticServer};
use e2e::webdriver::{self, Browser, Error, LogEntry, TempDir};
use serde_json::{Value, json};

/// `(data-view, nav link text = h2 title)` for every view, in nav order.
const VIEWS: [(&str, &str); 5] = [
    ("playground", "Playground"),
    ("wordcount", "WordCount"),
    ("console", "Console"),
    ("eda-vs-soa", "EDA vs SOA"),
    ("lessons", "Lessons"),
];

/// Hashes the bare URL may show: the app may leave it empty or normalise it.
const BARE_HASHES: &[&str] = &["", "#/", "#/playground"];

/// The wasm bundle loads asynchronously; a page without `main#view` after
/// this long counts as blank.
const PAGE_READY_TIMEOUT: Duration = Duration::from_secs(10);

/// Yew re-renders on a later tick than the click or `hashchange`, so view
/// changes are awaited (this long at most) rather than asserted at once.
const RENDER_TIMEOUT: Duration = Duration::from_secs(5);

/// Returns the relevant DOM state in one round trip, so a failed wait can
/// show exactly what the page looked like.
const STATE_SCRIPT: &str = r#"
const main = document.querySelector('main#view');
const h2 = main ? main.querySelector('h2') : null;
return {
  view: main ? main.getAttribute('data-view') : null,
  h2: h2 ? h2.textContent.trim() : null,
  path: location.pathname,
  hash: location.hash,
  current: Array.from(document.querySelectorAll('nav a.nav-link'))
    .filter(a => a.getAttribute('aria-current') === 'page')
    .map(a => a.getAttribute('href')),
  panicBanner: document.querySelector('#panic-banner') !== null,
};
"#;

fn title_of(view: &str) -> &'static str {
    VIEWS
        .iter()
        .find(|(v, _)| *v == view)
        .map_or("(no title: not a nav view)", |(_, t)| *t)
}

/// A served site plus a browser on it, for one test.
struct Harness {
    server: StaticServer,
    browser: Browser,
    /// Where per-view screenshots go.
    shots: PathBuf,
}

impl Harness {
    /// Loads `rel` (e.g. `#/wordcount`) as a fresh page load and waits for
    /// `main#view`. Going through `about:blank` matters: navigating from
    /// `/course/eda/#/a` to `/course/eda/#/b` would only fire `hashchange`,
    /// and the app's start-up routing would go untested.
    fn open(&self, rel: &str) -> Result<(), Error> {
        let url = self.server.url(rel);
        self.browser.goto("about:blank")?;
        self.browser.goto(&url)?;
        self.browser
            .wait_for("main#view", PAGE_READY_TIMEOUT)
            .map_err(|e| {
                Error::Timeout(format!(
                    "the page stayed blank: no `main#view` within {PAGE_READY_TIMEOUT:?} of \
                     loading {url} (did the wasm app start? see the console log below) [{e}]"
                ))
            })
            .map(drop)
    }

    /// Leaves the page (it saves its session as it goes) and forgets what it saved.
    fn clear_storage(&self) -> Result<(), Error> {
        self.browser.goto("about:blank")?;
        let url = self.server.url("");
        let origin: String = url.split('/').take(3).collect::<Vec<_>>().join("/");
        self.browser.cdp(
            "Storage.clearDataForOrigin",
            json!({ "origin": origin, "storageTypes": "local_storage" }),
        )?;
        Ok(())
    }

    fn state(&self) -> Result<Value, Error> {
        self.browser.execute(STATE_SCRIPT, &[])
    }

    /// Waits until `pred` holds for the DOM state; on timeout the error
    /// quotes the last state seen.
    fn wait_state(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value, Error> {
        self.browser
            .wait_value(what, RENDER_TIMEOUT, || self.state(), pred)
    }

    /// Asserts that `view` is showing: `data-view`, its `h2`, a URL under the
    /// sub-path with one of `hashes`, `aria-current="page"` on exactly its
    /// nav link, and no panic banner.
    fn expect_view(&self, view: &str, hashes: &[&str]) -> Result<(), Error> {
        let title = title_of(view);
        let href = format!("#/{view}");
        self.wait_state(
            &format!(
                "view `{view}` (h2 `{title}`, hash one of {hashes:?}, nav link `{href}` current)"
            ),
            |s| {
                s["view"] == view
                    && s["h2"] == title
                    && s["path"] == PREFIX
                    && hashes.iter().any(|h| s["hash"] == *h)
                    && s["current"] == json!([href])
            },
        )?;
        // The state script proved the DOM; now confirm what a user sees,
        // through WebDriver's own notion of rendered text and URL.
        let h2 = self.browser.find("main#view h2")?.text()?;
        assert_eq!(h2.trim(), title, "h2 of view `{view}` as rendered");
        let url = self.browser.current_url()?;
        assert!(
            hashes.iter().any(|h| url == self.server.url(h)),
            "URL of view `{view}` is {url}, expected {} followed by one of {hashes:?} \
             (the app must keep the /course/eda/ sub-path)",
            self.server.url("")
        );
        for link in self.browser.find_all("nav a.nav-link")? {
            let link_href = link.attribute("href")?;
            let current = link.attribute("aria-current")?;
            if link_href.as_deref() == Some(href.as_str()) {
                assert_eq!(
                    current.as_deref(),
                    Some("page"),
                    "aria-current of the active link {href}"
                );
            } else {
                assert_ne!(
                    current.as_deref(),
                    Some("page"),
                    "inactive link {link_href:?} claims aria-current while `{view}` shows"
                );
            }
        }
        self.expect_no_panic_banner(view)
    }

    fn expect_no_panic_banner(&self, context: &str) -> Result<(), Error> {
        let banners = self.browser.find_all("#panic-banner")?;
        let text = match banners.first() {
            Some(b) => b.text()?,
            None => return Ok(()),
        };
        panic!("#panic-banner is present on `{context}`: {text}");
    }

    fn screenshot(&self, name: &str) -> Result<(), Error> {
        self.browser
            .screenshot(&self.shots.join(format!("{name}.png")))
    }

    /// A screenshot of the element `css` alone (the iframe a narrow check sized).
    fn screenshot_of(&self, name: &str, css: &str) -> Result<(), Error> {
        self.browser
            .screenshot_of(css, &self.shots.join(format!("{name}.png")))
    }
}

/// Marks the first-visit introduction as dismissed before any of the page's
/// scripts run (in every document, frames included), as for a returning
/// learner: tests about something else see the views as they always were.
/// `e2e::glance_views` runs without it, as a first visit.
const RETURNING_LEARNER: &str = "try { if (location.protocol.startsWith('http')) \
    localStorage.setItem('eda-playground.intro.v1', 'dismissed'); } catch (e) {}";

/// Runs `body` against `root` served under the sub-path, then fails the test
/// if `body` failed or the console log holds SEVERE entries. On failure it
/// saves `target/e2e/FAILED-<name>.png` and lists the requests served. The
/// browser is a returning learner's (see [`RETURNING_LEARNER`]).
fn run_e2e(
    name: &str,
    root: PathBuf,
    shots: PathBuf,
    body: impl FnOnce(&Harness) -> Result<(), Error>,
) {
    run_e2e_as(name, root, shots, false, body);
}

/// [`run_e2e`], as a learner's first visit when `first_visit` is set.
fn run_e2e_as(
    name: &str,
    root: PathBuf,
    shots: PathBuf,
    first_visit: bool,
    body: impl FnOnce(&Harness) -> Result<(), Error>,
) {
    let server =
        StaticServer::start(root).unwrap_or_else(|e| panic!("cannot start the static server: {e}"));
    let browser = Browser::launch(name).unwrap_or_else(|e| panic!("cannot start the browser: {e}"));
    if !first_visit {
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": RETURNING_LEARNER }),
            )
            .unwrap_or_else(|e| panic!("cannot mark the introduction dismissed: {e}"));
    }
    fs::create_dir_all(&shots).unwrap();
    let h = Harness {
        server,
        browser,
        shots,
    };

    // Catch the panic so the console log, which often explains it, is still
    // read and shown; `h` (and so the browser) is dropped either way.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| body(&h)));
    let mut problems = Vec::new();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => problems.push(format!("a test step failed: {e}")),
        Err(payload) => problems.push(format!("a check failed: {}", panic_text(&*payload))),
    }
    match h.browser.browser_log() {
        Ok(entries) => {
            // Printed always: libtest shows it only for failing tests (or with --nocapture).
            for entry in &entries {
                eprintln!("console: {entry}");
            }
            let severe: Vec<&LogEntry> = entries.iter().filter(|e| e.level == "SEVERE").collect();
            if !severe.is_empty() {
                let list: Vec<String> = severe.iter().map(|e| format!("  - {e}")).collect();
                problems.push(format!(
                    "the browser console has {} SEVERE entr{}:\n{}",
                    severe.len(),
                    if severe.len() == 1 { "y" } else { "ies" },
                    list.join("\n")
                ));
            }
        }
        Err(e) => problems.push(format!("could not read the browser console log: {e}")),
    }
    if problems.is_empty() {
        return;
    }
    let shot = webdriver::artifact_dir().join(format!("FAILED-{name}.png"));
    let shot_note = match h.browser.screenshot(&shot) {
        Ok(()) => format!("screenshot: {}", shot.display()),
        Err(e) => format!("no screenshot: {e}"),
    };
    panic!(
        "e2e test `{name}` failed:\n{}\n{shot_note}\nrequests served:\n  {}",
        problems.join("\n"),
        h.server.request_log().join("\n  ")
    );
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(non-string panic payload)".into())
}

/// Runs a contract check against the real built site.
fn run_on_dist(name: &str, check: impl FnOnce(&Harness) -> Result<(), Error>) {
    run_e2e(
        name,
        server::require_dist(),
        webdriver::artifact_dir(),
        check,
    );
}

/// [`run_on_dist`] as a learner's first visit: nothing in storage.
fn run_on_dist_first_visit(name: &str, check: impl FnOnce(&Harness) -> Result<(), Error>) {
    run_e2e_as(
        name,
        server::require_dist(),
        webdriver::artifact_dir(),
        true,
        check,
    );
}

// ---------------------------------------------------------------------------
// The app's DOM contract, written once and run against both the real site and
// the fake app of the self-test.
// ---------------------------------------------------------------------------

/// Header, nav links (order, hrefs, texts), footer version; bare URL = playground.
fn check_layout(h: &Harness) -> Result<(), Error> {
    h.open("")?;
    h.expect_view("playground", BARE_HASHES)?;
    let h1 = h.browser.find("header h1")?.text()?;
    assert!(h1.contains("eda-playground"), "header h1 is {h1:?}");
    let mut links = Vec::new();
    for a in h.browser.find_all("nav a.nav-link")? {
        links.push((
            a.attribute("href")?.unwrap_or_default(),
            a.text()?.trim().to_owned(),
        ));
    }
    let want: Vec<(String, String)> = VIEWS
        .iter()
        .map(|(v, t)| (format!("#/{v}"), (*t).to_owned()))
        .collect();
    assert_eq!(links, want, "nav a.nav-link (href, text) in order");
    let footer = h.browser.find("footer")?.text()?;
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert!(
        footer.contains(&version),
        "footer {footer:?} lacks {version}"
    );
    Ok(())
}

/// Test 1: every view by nav click, by direct URL, and via history back.
fn check_views(h: &Harness) -> Result<(), Error> {
    h.open("")?;
    h.expect_view("playground", BARE_HASHES)?;
    for (view, _) in VIEWS {
        h.browser
            .find(&format!("nav a.nav-link[href=\"#/{view}\"]"))?
            .click()?;
        h.expect_view(view, &[&format!("#/{view}")])?;
        h.screenshot(view)?;
    }
    // Clicked ... console, eda-vs-soa, lessons: back walks that in reverse.
    h.browser.back()?;
    h.expect_view("eda-vs-soa", &["#/eda-vs-soa"])?;
    h.browser.back()?;
    h.expect_view("console", &["#/console"])?;

    for (view, _) in VIEWS {
        h.open(&format!("#/{view}"))?;
        h.expect_view(view, &[&format!("#/{view}")])?;
    }
    // Back also works after a direct load (the last one: lessons).
    h.browser
        .find("nav a.nav-link[href=\"#/wordcount\"]")?
        .click()?;
    h.expect_view("wordcount", &["#/wordcount"])?;
    h.browser.back()?;
    h.expect_view("lessons", &["#/lessons"])
}

/// An unknown hash shows a visible "not found" view linking to the playground.
fn check_not_found(h: &Harness) -> Result<(), Error> {
    h.open("#/nope")?;
    let state = h.wait_state("main#view[data-view=\"not-found\"] for #/nope", |s| {
        s["view"] == "not-found"
    })?;
    assert_eq!(
        state["current"],
        json!([]),
        "no nav link may be current on not-found"
    );
    let main = h.browser.find("main#view")?;
    assert!(main.displayed()?, "the not-found view is not visible");
    let text = main.text()?;
    assert!(
        text.to_lowercase().contains("not found"),
        "the not-found view should say \"not found\"; it says {text:?}"
    );
    h.screenshot("not-found")?;
    let back = h
        .browser
        .find("main#view a[href=\"#/playground\"]")
        .map_err(|e| {
            Error::Protocol(format!(
                "the not-found view has no link to #/playground: {e}"
            ))
        })?;
    back.click()?;
    h.expect_view("playground", &["#/playground"])
}

/// Test 2: no `#panic-banner` anywhere after visiting every view.
fn check_no_panic_banner(h: &Harness) -> Result<(), Error> {
    h.open("")?;
    for (view, _) in VIEWS {
        h.browser
            .find(&format!("nav a.nav-link[href=\"#/{view}\"]"))?
            .click()?;
        h.expect_view(view, &[&format!("#/{view}")])?;
    }
    for (view, _) in VIEWS {
        h.open(&format!("#/{view}"))?;
        h.expect_view(view, &[&format!("#/{view}")])?;
    }
    h.open("#/nope")?;
    h.wait_state("the not-found view", |s| s["view"] == "not-found")?;
    h.expect_no_panic_banner("not-found")?;
    h.expect_no_panic_banner("all views")
}

// ---------------------------------------------------------------------------
// Browser tests against the real site.
// ---------------------------------------------------------------------------

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn layout_has_header_nav_main_and_footer() {
    run_on_dist("layout", check_layout);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn views_follow_clicks_direct_urls_and_back() {
    run_on_dist("views", check_views);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn unknown_hash_shows_not_found() {
    run_on_dist("not-found", check_not_found);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn no_panic_banner_after_visiting_all_views() {
    run_on_dist("panic-banner", check_no_panic_banner);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_produces_by_key_steps_rewinds_and_replays() {
    run_on_dist("playground", e2e::playground::check_produce_step_rewind);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_crashed_consumer_loses_its_partitions() {
    run_on_dist(
        "playground-crash",
        e2e::playground::check_crash_moves_partitions,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn playground_bad_url_params_alert_and_page_still_works() {
    run_on_dist("playground-bad-params", e2e::playground::check_bad_params);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_keys_and_partitions_wrong_prediction_and_progress() {
    run_on_dist("lesson_keys", e2e::lessons::check_keys_and_partitions);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_consumer_groups() {
    run_on_dist("lesson_groups", e2e::lessons::check_consumer_groups);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_crash_and_rebalance() {
    run_on_dist("lesson_crash", e2e::lessons::check_crash_and_rebalance);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_quickstart_in_the_console() {
    run_on_dist("lesson_quickstart", e2e::lessons::check_quickstart);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_offsets_and_lag() {
    run_on_dist("lesson_offsets", e2e::lessons::check_offsets_and_lag);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_delivery_guarantees() {
    run_on_dist("lesson_delivery", e2e::lessons::check_delivery_guarantees);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_replication() {
    run_on_dist("lesson_replication", e2e::lessons::check_replication);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_opened_at_a_later_step_shows_the_steps_before() {
    run_on_dist(
        "lesson_opened_at_a_later_step",
        e2e::lessons::check_opened_at_a_later_step,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_compaction() {
    run_on_dist("lesson_compaction", e2e::lessons::check_compaction);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_assignors() {
    run_on_dist("lesson_assignors", e2e::lessons::check_assignors);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_requests_vs_events() {
    run_on_dist("lesson_requests", e2e::lessons::check_requests_vs_events);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_wordcount() {
    run_on_dist("lesson_wordcount", e2e::lessons::check_wordcount);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_keeps_the_learners_wordcount() {
    run_on_dist(
        "lesson_keeps_wordcount",
        e2e::lessons::check_lesson_keeps_learners_wordcount,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_over_its_own_world_leaves_the_playground_alone() {
    run_on_dist(
        "lesson_leaves_playground",
        e2e::lessons::check_view_lessons_leave_the_playground_alone,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_after_another_sets_itself_up() {
    run_on_dist(
        "lesson_left_over_goal",
        e2e::lessons::check_a_left_over_goal_does_not_skip_a_setup,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_malformed_file_shows_line_numbered_errors() {
    run_on_dist("lesson_malformed", e2e::lessons::check_malformed_lesson);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_from_a_teachers_file_keeps_its_step() {
    run_on_dist(
        "lesson_src_step",
        e2e::lessons::check_teachers_file_keeps_its_step,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_embedded_posts_checkpoints_to_the_host() {
    run_on_dist(
        "lesson_embed_messages",
        e2e::lessons::check_embedded_lesson_posts_progress,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_file_opened_on_the_course_page() {
    run_on_dist("lesson_open_file", e2e::lessons::check_open_lesson_file);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_setup_by_console_commands() {
    run_on_dist("lesson_run", e2e::lessons::check_run_lines_set_up_a_lesson);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn session_travels_by_link_reload_file_and_survives_bad_input() {
    run_on_dist(
        "session_travels",
        e2e::session::check_share_reload_corrupt_file_hostile,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn export_downloads_session_compose_and_java() {
    run_on_dist("export_downloads", e2e::import::check_export_downloads);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn import_pasted_describe_output_opens_the_cluster() {
    run_on_dist("import_describe", e2e::import::check_paste_describe_output);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn wordcount_counts_a_typed_line_and_steps_back() {
    run_on_dist("wordcount", e2e::wordcount::check_type_run_and_step_back);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_wc_steps_keep_cause_and_effect_on_one_screen() {
    run_on_dist("glance_wc_steps", e2e::glance_wc::check_steps_on_one_screen);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_wc_steps_by_keyboard_only() {
    run_on_dist("glance_wc_keyboard", e2e::glance_wc::check_keyboard_only);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_wc_small_frames_show_the_topology_first() {
    run_on_dist("glance_wc_small", e2e::glance_wc::check_small_frames);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn eda_vs_soa_email_outage_diverges_the_sides() {
    run_on_dist("eda-vs-soa", e2e::compare::check_email_outage);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn eda_vs_soa_time_slider_rewinds_both_sides() {
    run_on_dist("eda-vs-soa-time", e2e::compare::check_time_slider);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn address_keeps_the_wordcount_and_eda_vs_soa_setup() {
    run_on_dist(
        "address-setup",
        e2e::addresses::check_addresses_keep_the_setup,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn address_changed_in_the_open_page_is_applied_or_reported() {
    run_on_dist(
        "address-in-page",
        e2e::addresses::check_in_page_address_changes,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn address_changed_in_the_open_page_reaches_the_playground_console_and_lessons() {
    run_on_dist(
        "address-in-page-playground",
        e2e::addresses::check_playground_follows_in_page_addresses,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn wordcount_fits_360px_and_a_640x400_iframe() {
    run_on_dist("wordcount-narrow", e2e::narrow::check_wordcount);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn eda_vs_soa_fits_360px_and_a_640x400_iframe() {
    run_on_dist("eda-vs-soa-narrow", e2e::narrow::check_compare);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_narrow_640x400() {
    run_on_dist("lessons-narrow", e2e::narrow::check_lessons);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_tasks_fit_two_lines_at_640x400() {
    run_on_dist(
        "lesson-tasks-640x400",
        e2e::narrow::check_lesson_tasks_fit_two_lines,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_views_intro_glossary_and_eda_vs_soa_boxes() {
    run_on_dist_first_visit("glance_views", e2e::glance_views::check_glance);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn embed_example_page_drives_and_sizes_its_figures() {
    run_on_dist("embed-example", e2e::embed::check_example_page);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn embed_fits_its_frames_without_scroll_bars() {
    run_on_dist("embed-sizes", e2e::embed::check_sizes);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn embed_dialog_snippet_shows_the_same_scenario() {
    run_on_dist("embed-dialog", e2e::embed::check_dialog_snippet);
}

/// A benchmark, not a timing test: prints (and writes to
/// `<target>/e2e/frame-time.txt`) the frame-time distribution of the busy
/// and the default Playground; see `e2e::playground::frame_time_probe`.
/// Run alone with `cargo test --test e2e -- --ignored frame_time_probe --nocapture`.
#[test]
#[ignore = "end-to-end benchmark: needs dist/ and chromedriver; run by ./run.sh test"]
fn frame_time_probe() {
    run_on_dist("frame-time", e2e::playground::frame_time_probe);
}

/// A benchmark, not a check: where the busy Playground's frames spend the main thread
/// (Chromium's metrics and a CPU profile, per frame); see `e2e::playground::frame_profile`.
/// Run alone with `cargo test --test e2e -- --ignored frame_profile --nocapture`.
#[test]
#[ignore = "end-to-end benchmark: needs dist/ and chromedriver; run by ./run.sh test"]
fn frame_profile() {
    run_on_dist("frame-profile", e2e::playground::frame_profile);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn console_metadata_quorum_tab_completes_and_describes_the_quorum() {
    run_on_dist(
        "console-metadata-quorum",
        e2e::console_tools::check_metadata_quorum,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn strict_csp_holds_in_every_view() {
    run_on_dist("csp", e2e::hardening::check_strict_csp);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn strict_csp_holds_with_an_error_banner() {
    run_on_dist(
        "csp-error-banner",
        e2e::hardening::check_strict_csp_with_error_banner,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn panic_after_panic_shows_one_banner_whose_reload_works() {
    run_on_dist("panic-after-panic", e2e::hardening::check_panic_after_panic);
}

/// Benchmark, not a check: time to interactive of `#/playground` over emulated 5 Mbit/s 40 ms
/// and 1.6 Mbit/s 300 ms links, empty cache; see `e2e::hardening::load_probe`.
/// Run alone with `cargo test --test e2e -- --ignored load_probe --nocapture`.
#[test]
#[ignore = "end-to-end benchmark: needs dist/ and chromedriver; run by ./run.sh test"]
fn load_probe() {
    run_on_dist("load", e2e::hardening::load_probe);
}

/// The first view runs on the first of the two wasm modules, the rest arrives after it; the
/// Console opened first loads the rest at once.
#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn split_first_view_runs_without_the_rest() {
    run_on_dist("split", e2e::hardening::check_split);
}

/// With the rest's file refused, the Playground draws the same page and runs; the Console
/// loads the rest once it comes through.
#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn split_first_view_needs_nothing_of_the_rest() {
    run_on_dist(
        "split-blocked",
        e2e::hardening::check_split_without_the_rest,
    );
}

/// Not a check: records what the Playground runs first, on the instrumented build
/// `./run.sh split-profile` makes and then reads; see `e2e::hardening::split_profile`.
/// `./run.sh test` skips it (dist/ is not instrumented).
#[test]
#[ignore = "records the split profile: run by ./run.sh split-profile"]
fn split_profile() {
    run_on_dist_first_visit("split-profile", e2e::hardening::split_profile);
}

/// Benchmark, not a check: the busy Playground left running (`EDA_SOAK_MINUTES`, 30 by
/// default), its memory, DOM and frames sampled; see `e2e::soak`. `./run.sh test` skips it.
/// Run alone with `EDA_SOAK_MINUTES=30 cargo test --test e2e -- --ignored soak --nocapture`.
#[test]
#[ignore = "end-to-end benchmark (30 minutes): run alone; ./run.sh test skips it"]
fn soak() {
    run_on_dist("soak", e2e::soak::soak);
}

// ---------------------------------------------------------------------------
// Self-tests of the harness against pages of our own.
// ---------------------------------------------------------------------------

/// A stand-in for the app, in plain JS, honouring the same DOM contract. It
/// renders after a delay, like a wasm bundle that must download first.
fn fake_app_js() -> String {
    r##""use strict";
const VIEWS = [["playground", "Playground"], ["wordcount", "WordCount"], ["console", "Console"],
               ["eda-vs-soa", "EDA vs SOA"], ["lessons", "Lessons"]];
function render() {
  const h = location.hash;
  const name = (h === "" || h === "#" || h === "#/") ? "playground" : h.startsWith("#/") ? h.slice(2) : "";
  const view = VIEWS.find(([v]) => v === name);
  const nav = VIEWS.map(([v, t]) =>
    `<a class="nav-link" href="#/${v}"${view && view[0] === v ? ' aria-current="page"' : ""}>${t}</a>`).join(" ");
  const main = view
    ? `<main id="view" data-view="${view[0]}"><h2>${view[1]}</h2><p>Fake ${view[1]}.</p></main>`
    : `<main id="view" data-view="not-found"><h2>Oops</h2><p>Page not found.
       <a href="#/playground">Back to the playground</a></p></main>`;
  document.body.innerHTML =
    `<header><h1>eda-playground (fake)</h1><nav>${nav}</nav></header>${main}<footer>fake vVERSION</footer>`;
}
window.addEventListener("hashchange", render);
setTimeout(render, 300);
"##
    .replace("VERSION", env!("CARGO_PKG_VERSION"))
}

const FAKE_INDEX: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fake eda-playground</title>
<link rel="icon" href="data:,"><script defer src="app.js"></script></head>
<body></body></html>
"#;

/// Low-level fixtures for the WebDriver operations the contract checks do not use.
const FIXTURES: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fixtures</title><link rel="icon" href="data:,"></head>
<body>
<main id="view" data-view="fixtures">
<input id="name" oninput="document.getElementById('echo').textContent = this.value.toUpperCase()">
<p id="echo"></p>
<p id="hidden" style="display:none">invisible</p>
<button id="err" onclick="console.error('selftest-severe-marker')">error</button>
</main></body></html>
"#;

fn write_site(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("site").unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The WebDriver operations the contract checks do not cover, plus the
/// console-log plumbing the SEVERE check relies on.
fn check_webdriver_basics(h: &Harness) -> Result<(), Error> {
    h.browser.goto(&h.server.url("fixtures.html"))?;
    let b = &h.browser;
    let input = b.wait_for("#name", RENDER_TIMEOUT)?;
    input.send_keys("kafka")?;
    assert_eq!(
        b.execute("return arguments[0].value", &[input.to_arg()])?,
        json!("kafka")
    );
    assert_eq!(b.find("#echo")?.text()?, "KAFKA");
    assert_eq!(input.attribute("id")?.as_deref(), Some("name"));
    assert_eq!(input.attribute("data-missing")?, None);
    assert!(!b.find("#hidden")?.displayed()?);
    assert_eq!(
        b.find("#hidden")?.text()?,
        "",
        "hidden text is not rendered text"
    );

    let e = b.find("#absent").err().expect("#absent should not exist");
    assert_eq!(e.code(), Some("no such element"));
    let started = Instant::now();
    let e = b
        .wait_for("#absent", Duration::from_millis(300))
        .err()
        .expect("waiting for #absent should time out");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "wait overran its timeout"
    );
    assert!(
        e.to_string().contains("`#absent`"),
        "timeout error does not say what: {e}"
    );

    let shot = h.shots.join("fixtures.png");
    b.screenshot(&shot)?;
    assert!(fs::read(&shot).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));

    // The SEVERE check is only as good as log capture: prove an error and a
    // failed resource load both arrive as SEVERE, and survive later page
    // loads (run_e2e reads the log only at the end); then drain them (each
    // entry is handed out once) so they do not fail this test.
    b.execute("console.info('selftest-info-marker')", &[])?;
    b.find("#err")?.click()?;
    b.execute(
        "const i = document.createElement('img'); i.src = 'missing.png'; document.body.append(i);",
        &[],
    )?;
    b.wait_until("the broken image to fail", RENDER_TIMEOUT, || {
        let done = b.execute("return document.querySelector('img').complete", &[])?;
        Ok((done == json!(true)).then_some(()))
    })?;
    h.open("#/lessons")?;
    let mut log: Vec<LogEntry> = Vec::new();
    b.wait_until(
        "console entries for the error and the 404",
        RENDER_TIMEOUT,
        || {
            log.extend(b.browser_log()?);
            let has = |level: &str, needle: &str| {
                log.iter()
                    .any(|e| e.level == level && e.message.contains(needle))
            };
            Ok(
                (has("SEVERE", "selftest-severe-marker") && has("SEVERE", "missing.png"))
                    .then_some(()),
            )
        },
    )
    .map_err(|e| Error::Timeout(format!("{e}; log so far: {log:?}")))?;
    assert!(
        log.iter()
            .any(|e| e.level == "INFO" && e.message.contains("selftest-info-marker")),
        "console.info not captured: {log:?}"
    );
    assert!(b.browser_log()?.is_empty(), "the log should be drained now");
    Ok(())
}

#[test]
#[ignore = "end-to-end: needs chromedriver; run by ./run.sh test"]
fn harness_self_test_against_fake_app() {
    let site = write_site(&[
        ("index.html", FAKE_INDEX),
        ("app.js", &fake_app_js()),
        ("fixtures.html", FIXTURES),
    ]);
    let shots = webdriver::artifact_dir().join("selftest");
    run_e2e("selftest", site.path().to_owned(), shots, |h| {
        check_layout(h)?;
        check_views(h)?;
        check_not_found(h)?;
        check_no_panic_banner(h)?;
        check_webdriver_basics(h)?;
        // A wrong expectation must fail, quoting the DOM it saw.
        h.open("#/console")?;
        let e = h
            .wait_state("an impossible view", |s| s["view"] == "nope")
            .expect_err("an impossible wait should fail");
        assert!(e.to_string().contains(r#""view":"console""#), "{e}");
        Ok(())
    });
}

/// The SEVERE check must fail a test whose page breaks: here a page with no
/// icon of its own (so Chromium asks for `/favicon.ico`, outside the
/// sub-path) and a script referenced root-absolute, as a build made for `/`
/// would.
#[test]
#[ignore = "end-to-end: needs chromedriver; run by ./run.sh test"]
fn harness_fails_tests_on_severe_console_entries() {
    let site = write_site(&[(
        "index.html",
        r#"<!doctype html><html><head><meta charset="utf-8"><title>broken</title>
<script src="/app.js"></script></head><body><main id="view" data-view="x"></main></body></html>"#,
    )]);
    let shots = webdriver::artifact_dir().join("selftest");
    let outcome = panic::catch_unwind(|| {
        run_e2e("selftest-broken", site.path().to_owned(), shots, |h| {
            h.open("")?;
            // Give the favicon request (issued after load) time to fail.
            thread::sleep(Duration::from_millis(1000));
            Ok(())
        });
    });
    let msg = panic_text(&*outcome.expect_err("a page with 404s must fail the test"));
    assert!(msg.contains("SEVERE"), "{msg}");
    assert!(msg.contains("/app.js"), "{msg}");
    assert!(
        msg.contains("/favicon.ico"),
        "headless Chromium asks for it too: {msg}"
    );
    assert!(
        msg.contains("GET /app.js -> 404"),
        "the request log should be listed: {msg}"
    );
    eprintln!("{msg}");
}

/// chromedriver, Chromium and the profile must all be gone after `Browser`
/// drops, also when the test panics with a browser open.
#[test]
#[ignore = "end-to-end: needs chromedriver; run by ./run.sh test"]
fn browser_is_cleaned_up_on_drop_and_on_panic() {
    let b = Browser::launch("cleanup").unwrap();
    let (pid, profile) = (b.driver_pid(), b.profile_dir().to_owned());
    assert!(Path::new(&format!("/proc/{pid}")).exists());
    drop(b);
    assert_cleaned_up(pid, &profile);

    let (tx, rx) = mpsc::channel();
    let joined = thread::spawn(move || {
        let b = Browser::launch("cleanup-panic").unwrap();
        tx.send((b.driver_pid(), b.profile_dir().to_owned()))
            .unwrap();
        panic!("deliberate panic with a browser open");
    })
    .join();
    assert!(joined.is_err());
    let (pid, profile) = rx.recv().unwrap();
    assert_cleaned_up(pid, &profile);

    // A hung driver (stopped, so it accepts connections but never answers):
    // closing the session times out, and Drop must still kill everything.
    let b = Browser::launch("cleanup-hung").unwrap();
    let (pid, profile) = (b.driver_pid(), b.profile_dir().to_owned());
    let stopped = Command::new("kill")
        .args(["-STOP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let started = Instant::now();
    drop(b);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "drop took {:?}",
        started.elapsed()
    );
    assert_cleaned_up(pid, &profile);
}

fn assert_cleaned_up(pid: u32, profile: &Path) {
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "chromedriver {pid} still exists"
    );
    assert!(
        !profile.exists(),
        "profile {} was not removed",
        profile.display()
    );
    // Chromium and its helpers carry the profile path on their command line. Renderers forked
    // by the zygote are not chromedriver's descendants: they exit on their own once the
    // browser's IPC channel closes, which on a loaded machine takes a moment, so wait (bounded)
    // for them before calling one a leak.
    let needle = profile.to_string_lossy().into_owned();
    let survivors = || -> Vec<String> {
        fs::read_dir("/proc")
            .map(|dir| {
                dir.flatten()
                    .filter_map(|entry| {
                        let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
                        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                        cmdline
                            .contains(&needle)
                            .then(|| format!("process {:?}: {cmdline}", entry.file_name()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mut left = survivors();
    while !left.is_empty() && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(200));
        left = survivors();
    }
    assert!(left.is_empty(), "outlived its browser by 15 s: {left:?}");
}

#[test]
fn missing_dist_message_says_how_to_build_it() {
    let empty = TempDir::new("no-dist").unwrap();
    let msg = server::check_dist(empty.path()).unwrap_err();
    assert!(msg.contains("./run.sh test"), "{msg}");
    assert!(msg.contains("index.html"), "{msg}");
    assert!(server::check_dist(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")).is_err());
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_playground_card_crash_countdown_space_and_rewind() {
    run_on_dist("glance-play", e2e::glance_play::check_glance);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_playground_keyboard_only() {
    run_on_dist("glance-keyboard", e2e::glance_play::check_keyboard_only);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_playground_small_frames() {
    run_on_dist("glance-small", e2e::glance_play::check_small_frames);
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn glance_playground_card_follows_its_cell() {
    run_on_dist(
        "glance-card-follows",
        e2e::glance_play::check_card_follows_its_cell,
    );
}

#[test]
#[ignore = "end-to-end: needs dist/ and chromedriver; run by ./run.sh test"]
fn lesson_back_goes_to_the_previous_step() {
    run_on_dist(
        "lesson_back",
        e2e::lessons::check_back_goes_to_the_previous_step,
    );
}
