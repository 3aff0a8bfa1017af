//! Browser tests: the app mounted in headless Chromium by wasm-bindgen-test.
//!
//! Run by `./run.sh test` (layer 2) as
//! `cargo test --target wasm32-unknown-unknown --test browser`. Each test mounts the real
//! [`App`] into a fresh element, flushes Yew's scheduler and asserts on the DOM.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use eda_playground::sim::{Rng, World};
use eda_playground::ui::route::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

mod browser_support;

use browser_support::{click, document, mount, sleep_ms, until};

wasm_bindgen_test_configure!(run_in_browser);

fn view_of(root: &Element) -> (String, String) {
    let main = root
        .query_selector("main#view")
        .unwrap()
        .expect("main#view");
    let name = main.get_attribute("data-view").unwrap_or_default();
    let title = main
        .query_selector("h2")
        .unwrap()
        .expect("h2")
        .text_content()
        .unwrap_or_default();
    (name, title)
}

/// Sets the hash and waits for the app to follow it (hashchange is dispatched asynchronously).
async fn go(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
    // The browser fires `hashchange` as a task; give it a turn, then let Yew render.
    for _ in 0..20 {
        sleep_ms(10).await;
        yew::scheduler::flush().await;
        if Route::from_hash(&web_sys::window().unwrap().location().hash().unwrap())
            == Route::from_hash(hash)
        {
            break;
        }
    }
    sleep_ms(10).await;
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn the_shell_renders_header_nav_and_footer() {
    go("#/").await;
    let root = mount().await;
    let h1 = root.query_selector("header h1").unwrap().unwrap();
    assert_eq!(h1.text_content().unwrap(), "eda-playground");
    let links = root.query_selector_all("nav a.nav-link").unwrap();
    assert_eq!(links.length(), 5);
    let footer = root.query_selector("footer").unwrap().unwrap();
    assert!(
        footer
            .text_content()
            .unwrap()
            .contains(&format!("v{}", eda_playground::VERSION))
    );
    assert_eq!(view_of(&root), ("playground".into(), "Playground".into()));
    drop(root);
}

#[wasm_bindgen_test]
async fn navigating_changes_the_view_and_the_current_link() {
    go("#/").await;
    let root = mount().await;
    for route in Route::VIEWS {
        go(&route.href()).await;
        assert_eq!(
            view_of(&root),
            (route.slug().to_string(), route.title().to_string())
        );
        let current = root
            .query_selector("nav a[aria-current=page]")
            .unwrap()
            .expect("a current link");
        assert_eq!(current.get_attribute("href").unwrap(), route.href());
    }
    go("#/no-such-view").await;
    assert_eq!(view_of(&root).0, "not-found");
    assert!(
        root.query_selector("nav a[aria-current=page]")
            .unwrap()
            .is_none()
    );
    go("#/").await;
    drop(root);
}

/// The engine's randomness is the same on wasm32 as natively: these are the values the native
/// unit test `rng::tests::splitmix64_reference_values` checks.
#[wasm_bindgen_test]
fn the_engine_is_deterministic_across_platforms() {
    let mut rng = Rng::new(1_234_567);
    assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
    let mut a = World::new(9);
    let mut b = World::new(9);
    assert_eq!(a.advance(1_000).unwrap(), b.advance(1_000).unwrap());
    assert_eq!(a.now_ms(), 1_000);
}

// ---------------------------------------------------------------------------------------------
// The Playground view

fn attr(root: &Element, css: &str, name: &str) -> Option<String> {
    root.query_selector(css).ok().flatten()?.get_attribute(name)
}

fn press_enter_in(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_keyed_message_lands_in_the_lane_murmur2_picks() {
    go("#/playground?speed=20&seed=5").await;
    let root = mount().await;
    assert!(
        until(15_000, || attr(
            &root,
            ".group[data-group=billing]",
            "data-state"
        )
        .as_deref()
            == Some("Stable"))
        .await,
        "group billing becomes Stable"
    );
    let input: web_sys::HtmlInputElement = root
        .query_selector("#produce-input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    press_enter_in(&input, "alice:order-1");
    let lane = eda_playground::sim::partitioner::partition_for_key(b"alice", 3);
    let selector = format!("g.lane[data-partition=\"{lane}\"] g.cell[data-key=alice]");
    assert!(
        until(10_000, || root
            .query_selector(&selector)
            .ok()
            .flatten()
            .is_some())
        .await,
        "alice's record appears in lane {lane}"
    );
    for other in (0..3).filter(|p| *p != lane) {
        let sel = format!("g.lane[data-partition=\"{other}\"] g.cell");
        assert!(root.query_selector(&sel).unwrap().is_none());
    }
    assert_eq!(input.value(), "", "the input clears after Enter");
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn crashing_a_consumer_moves_its_partitions_to_the_other() {
    go("#/playground?speed=20&seed=11").await;
    let root = mount().await;
    assert!(
        until(15_000, || attr(
            &root,
            ".group[data-group=billing]",
            "data-state"
        )
        .as_deref()
            == Some("Stable"))
        .await
    );
    let generation: i32 = attr(&root, ".group[data-group=billing]", "data-generation")
        .unwrap()
        .parse()
        .unwrap();
    let members = root.query_selector_all(".group li[data-consumer]").unwrap();
    assert_eq!(members.length(), 2);
    let first: Element = members.get(0).unwrap().unchecked_into();
    let survivor: Element = members.get(1).unwrap().unchecked_into();
    let survivor_id = survivor.get_attribute("data-consumer").unwrap();
    let crash: web_sys::HtmlElement = first
        .query_selector("button:nth-of-type(2)")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(crash.text_content().unwrap(), "Crash");
    crash.click();
    let selector = format!(".group li[data-consumer=\"{survivor_id}\"]");
    assert!(
        until(20_000, || attr(&root, &selector, "data-owns").as_deref()
            == Some("0,1,2"))
        .await,
        "after session.timeout.ms the survivor owns every partition"
    );
    let after: i32 = attr(&root, ".group[data-group=billing]", "data-generation")
        .unwrap()
        .parse()
        .unwrap();
    assert!(after > generation);
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn each_group_has_its_committed_marker_lag_and_chart_line() {
    go("#/playground?speed=20&seed=3&groups=2&rate=20").await;
    let root = mount().await;
    // Both groups commit (auto-commit every 5 s of virtual time): every lane then carries a
    // committed-offset mark per group, with its own dash pattern, and two lags.
    let marks = |root: &Element, group: &str| {
        root.query_selector_all(&format!(
            "g.lane line.committed[data-group={group}], g.lane polygon.committed-before[data-group={group}]"
        ))
        .unwrap()
        .length()
    };
    assert!(
        until(20_000, || marks(&root, "billing") == 3
            && marks(&root, "shipping") == 3)
        .await,
        "3 lanes × 2 groups of committed marks"
    );
    let dash = |group: &str| {
        attr(
            &root,
            &format!("g.lane line.committed[data-group={group}]"),
            "stroke-dasharray",
        )
    };
    if let (Some(a), Some(b)) = (dash("billing"), dash("shipping")) {
        assert_ne!(a, b, "the groups' lines differ by more than colour");
    }
    let meta = root
        .query_selector("g.lane[data-partition=\"0\"] .lane-meta")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        meta.starts_with("lag ") && meta.matches('/').count() == 1,
        "two lags, billing's then shipping's: {meta:?}"
    );
    let caption = root.query_selector(".diagram figcaption").unwrap().unwrap();
    let caption = caption.text_content().unwrap();
    assert!(caption.contains("billing/shipping"), "{caption}");
    assert!(
        until(10_000, || root
            .query_selector_all(".lag-chart polyline")
            .unwrap()
            .length()
            == 2)
        .await,
        "one lag line per group"
    );
    drop(root);
    go("#/").await;
}

// ---------------------------------------------------------------------------------------------
// The Console view

fn term_input(root: &Element) -> web_sys::HtmlInputElement {
    root.query_selector("#term-input")
        .unwrap()
        .expect("the terminal's input line")
        .dyn_into()
        .unwrap()
}

/// The lines the shown tab's scrollback holds.
fn term_lines(root: &Element) -> Vec<String> {
    let lines = root.query_selector_all(".term-out .line").unwrap();
    (0..lines.length())
        .filter_map(|i| lines.get(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn key_in(input: &web_sys::HtmlInputElement, key: &str, ctrl: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_command_typed_in_the_terminal_prints_kafkas_answer() {
    go("#/console").await;
    let root = mount().await;
    assert_eq!(view_of(&root), ("console".into(), "Console".into()));
    let input = term_input(&root);
    press_enter_in(
        &input,
        "bin/kafka-topics.sh --create --topic demo --bootstrap-server localhost:9092",
    );
    assert!(
        until(5_000, || term_lines(&root)
            .iter()
            .any(|l| l == "Created topic demo."))
        .await,
        "{:?}",
        term_lines(&root)
    );
    assert_eq!(
        term_lines(&root)[0],
        "$ bin/kafka-topics.sh --create --topic demo --bootstrap-server localhost:9092"
    );
    assert_eq!(input.value(), "", "the line clears after Enter");
    // Tab completes the topic's name; ↑ brings the last command back.
    input.set_value("bin/kafka-topics.sh --describe --topic de");
    key_in(&input, "Tab", false);
    assert!(
        until(2_000, || input.value()
            == "bin/kafka-topics.sh --describe --topic demo ")
        .await,
        "{:?}",
        input.value()
    );
    input.set_value("");
    key_in(&input, "ArrowUp", false);
    assert!(until(2_000, || input.value().contains("--create --topic demo")).await);
    // An error goes to stderr, marked as such.
    press_enter_in(
        &input,
        "bin/kafka-topics.sh --create --topic demo --bootstrap-server localhost:9092",
    );
    assert!(
        until(5_000, || root
            .query_selector(".term-out .line.err[data-stream=stderr]")
            .unwrap()
            .is_some_and(|e| e
                .text_content()
                .unwrap()
                .contains("already exists")))
        .await,
        "{:?}",
        term_lines(&root)
    );
    // Ctrl+L clears the scrollback.
    key_in(&input, "l", true);
    assert!(until(2_000, || term_lines(&root).is_empty()).await);
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn a_producer_tab_sends_what_a_consumer_tab_prints() {
    go("#/console").await;
    let root = mount().await;
    let input = term_input(&root);
    press_enter_in(
        &input,
        "bin/kafka-topics.sh --create --topic chat --bootstrap-server localhost:9092",
    );
    press_enter_in(
        &input,
        "bin/kafka-console-consumer.sh --topic chat --from-beginning --bootstrap-server localhost:9092",
    );
    assert!(
        until(2_000, || attr(&root, "#term-input", "data-prompt")
            .as_deref()
            == Some(""))
        .await,
        "the consumer runs in the foreground"
    );
    click(&root, ".term-new");
    assert!(
        until(2_000, || root
            .query_selector_all("[role=tab]")
            .unwrap()
            .length()
            == 2
            && attr(&root, "#term-tab-2", "aria-selected").as_deref()
                == Some("true"))
        .await
    );
    assert!(term_lines(&root).is_empty(), "the new tab starts empty");
    press_enter_in(
        &input,
        "bin/kafka-console-producer.sh --topic chat --bootstrap-server localhost:9092",
    );
    assert!(
        until(2_000, || attr(&root, "#term-input", "data-prompt")
            .as_deref()
            == Some(">"))
        .await,
        "the producer shows Kafka's > prompt"
    );
    // Give the consumer a moment to join its group, as a learner would.
    sleep_ms(1_000).await;
    press_enter_in(&input, "hello from tab 2");
    assert!(
        until(3_000, || term_lines(&root)
            .last()
            .is_some_and(|l| l == ">hello from tab 2"))
        .await
    );
    // The consumer's tab gets an unread mark, then shows the record.
    assert!(
        until(15_000, || root
            .query_selector("#term-tab-1 .term-unread")
            .unwrap()
            .is_some())
        .await,
        "tab 1 received output"
    );
    click(&root, "#term-tab-1");
    assert!(
        until(3_000, || term_lines(&root)
            .iter()
            .any(|l| l == "hello from tab 2"))
        .await,
        "{:?}",
        term_lines(&root)
    );
    // Ctrl+C stops the consumer: ^C, then what it prints on exit.
    key_in(&input, "c", true);
    assert!(
        until(3_000, || term_lines(&root)
            .iter()
            .any(|l| l.ends_with("Processed a total of 1 messages")))
        .await,
        "{:?}",
        term_lines(&root)
    );
    assert!(term_lines(&root).iter().any(|l| l == "^C"));
    assert_eq!(
        attr(&root, "#term-input", "data-prompt").as_deref(),
        Some("$ ")
    );
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn the_quickstart_button_runs_producer_and_consumer_in_two_tabs() {
    go("#/console").await;
    let root = mount().await;
    click(&root, ".term-quickstart");
    assert!(
        until(15_000, || term_lines(&root)
            .iter()
            .any(|l| l == "This is my second event"))
        .await,
        "the consumer tab prints both events: {:?}",
        term_lines(&root)
    );
    assert_eq!(
        attr(&root, "#term-tab-2", "aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&root, "#term-tab-1", "data-job").as_deref(),
        Some("producer")
    );
    assert_eq!(
        attr(&root, "#term-tab-2", "data-job").as_deref(),
        Some("consumer")
    );
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn a_multi_line_paste_runs_line_by_line() {
    go("#/console").await;
    let root = mount().await;
    let input = term_input(&root);
    input.set_value("echo ");
    input.set_selection_range(5, 5).unwrap();
    // A real paste event, carrying its text as a clipboard does.
    let paste = js_sys::Function::new_with_args(
        "input, text",
        "const data = new DataTransfer(); data.setData('text/plain', text); \
         return input.dispatchEvent(new ClipboardEvent('paste', \
         { clipboardData: data, bubbles: true, cancelable: true }));",
    );
    let not_cancelled = paste
        .call2(
            &wasm_bindgen::JsValue::NULL,
            &input,
            &"one\necho two\necho thr".into(),
        )
        .unwrap();
    assert_eq!(
        not_cancelled.as_bool(),
        Some(false),
        "the terminal took the paste"
    );
    assert!(
        until(3_000, || term_lines(&root)
            == ["$ echo one", "one", "$ echo two", "two"])
        .await,
        "{:?}",
        term_lines(&root)
    );
    assert!(until(2_000, || input.value() == "echo thr").await);
    drop(root);
    go("#/").await;
}

#[wasm_bindgen_test]
async fn the_terminal_is_keyboard_operable_without_a_trap() {
    go("#/console").await;
    let root = mount().await;
    click(&root, ".term-new");
    click(&root, ".term-new");
    assert!(
        until(2_000, || attr(&root, "#term-tab-3", "aria-selected")
            .as_deref()
            == Some("true"))
        .await
    );
    let key_on = |css: &str, key: &str| -> bool {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        root.query_selector(css)
            .unwrap()
            .unwrap()
            .dispatch_event(&event)
            .unwrap()
    };
    // ← in the tab list shows (and focuses) the previous tab; Delete closes it.
    key_on("#term-tab-3", "ArrowLeft");
    assert!(
        until(2_000, || attr(&root, "#term-tab-2", "aria-selected")
            .as_deref()
            == Some("true"))
        .await
    );
    assert_eq!(
        document().active_element().unwrap().id(),
        "term-tab-2",
        "focus follows the selection"
    );
    assert_eq!(attr(&root, "#term-tab-2", "tabindex").as_deref(), Some("0"));
    assert_eq!(
        attr(&root, "#term-tab-1", "tabindex").as_deref(),
        Some("-1")
    );
    key_on("#term-tab-2", "Delete");
    assert!(
        until(2_000, || root
            .query_selector("#term-tab-2")
            .unwrap()
            .is_none())
        .await
    );
    assert_eq!(root.query_selector_all("[role=tab]").unwrap().length(), 2);
    // Tab completes a typed word; after Esc, Tab is left to the browser (focus moves on).
    let input = term_input(&root);
    input.set_value("bin/kafka-to");
    assert!(!key_on("#term-input", "Tab"), "Tab completes");
    assert!(until(2_000, || input.value() == "bin/kafka-topics.sh ").await);
    assert!(key_on("#term-input", "Escape"));
    assert!(
        key_on("#term-input", "Tab"),
        "Esc then Tab leaves the terminal"
    );
    input.set_value("");
    assert!(
        key_on("#term-input", "Tab"),
        "Tab on an empty line leaves the terminal"
    );
    drop(root);
    go("#/").await;
}

// ---------------------------------------------------------------------------------------------
// The Playground's replicas and topic form

/// With replication factor 3 on 3 brokers the replica table marks one leader and two in-sync
/// followers per partition; the create-topic form answers a too-large replication factor
/// with Kafka's message and creates (and shows) a compacted topic that fits.
#[wasm_bindgen_test]
async fn the_playground_shows_replicas_and_creates_topics_with_kafkas_errors() {
    go("#/playground?speed=20&seed=6&brokers=3&rf=3").await;
    let root = mount().await;
    let rows = |root: &Element| root.query_selector_all("table.replicas tbody tr").unwrap();
    assert!(
        until(10_000, || rows(&root).length() == 3).await,
        "a replica row per partition"
    );
    for i in 0..3 {
        let row: Element = rows(&root).get(i).unwrap().dyn_into().unwrap();
        assert_eq!(row.query_selector_all("td.leader").unwrap().length(), 1);
        assert_eq!(row.query_selector_all("td.follower").unwrap().length(), 2);
        assert_eq!(row.get_attribute("data-state").as_deref(), Some("in sync"));
    }
    let set = |css: &str, value: &str| {
        // As typing does: the value, then the event the form listens to.
        let el = root.query_selector(css).unwrap().expect(css);
        let event = if let Ok(input) = el.clone().dyn_into::<web_sys::HtmlInputElement>() {
            input.set_value(value);
            "input"
        } else {
            let select: web_sys::HtmlSelectElement = el.clone().dyn_into().unwrap();
            select.set_value(value);
            "change"
        };
        // (web-sys's EventInit is not among the crate's features; a bubbling event from JS.)
        js_sys::Function::new_with_args(
            "el, type",
            "el.dispatchEvent(new Event(type, { bubbles: true }))",
        )
        .call2(&wasm_bindgen::JsValue::NULL, &el, &event.into())
        .unwrap();
    };
    // A click on the submit button submits the form (the form does no browser validation,
    // so Kafka's checks answer).
    let submit = || {
        root.query_selector(".create-topic button[type=submit]")
            .unwrap()
            .unwrap()
            .dyn_into::<web_sys::HtmlElement>()
            .unwrap()
            .click();
    };
    set(".create-topic input[name=topic]", "ledger");
    set(".create-topic input[name=partitions]", "2");
    set(".create-topic input[name=replication-factor]", "4");
    set(".create-topic select[name=cleanup-policy]", "compact");
    submit();
    let error = || {
        root.query_selector(".create-topic .form-error[role=alert]")
            .unwrap()
            .and_then(|e| e.text_content())
    };
    assert!(until(2_000, || error().is_some()).await);
    assert_eq!(
        error().as_deref(),
        Some(
            "Unable to replicate the partition 4 time(s): The target replication factor of 4 \
             cannot be reached because only 3 broker(s) are registered."
        )
    );
    set(".create-topic input[name=replication-factor]", "3");
    submit();
    assert!(
        until(5_000, || attr(&root, "table.replicas", "data-topic")
            .as_deref()
            == Some("ledger")
            && rows(&root).length() == 2
            && root
                .query_selector_all(".diagram g.lane")
                .unwrap()
                .length()
                == 2)
        .await,
        "the new topic is shown, lanes and replicas; error {:?}, table for {:?}, {} rows",
        error(),
        attr(&root, "table.replicas", "data-topic"),
        rows(&root).length()
    );
    assert!(error().is_none(), "the refusal is cleared");
    drop(root);
    go("#/").await;
}

/// The terminal and the Playground drive one world: a topic created in the Console shows in
/// the Playground's topic selector, and the Playground's `orders` is listed in the terminal.
#[wasm_bindgen_test]
async fn a_topic_created_in_the_console_appears_in_the_playground() {
    go("#/console").await;
    let root = mount().await;
    let input = term_input(&root);
    press_enter_in(
        &input,
        "kafka-topics.sh --create --topic from-console --partitions 2 --bootstrap-server localhost:9092",
    );
    assert!(
        until(5_000, || term_lines(&root)
            .iter()
            .any(|l| l == "Created topic from-console."))
        .await,
        "{:?}",
        term_lines(&root)
    );
    press_enter_in(
        &input,
        "kafka-topics.sh --list --bootstrap-server localhost:9092",
    );
    assert!(
        until(5_000, || term_lines(&root).iter().any(|l| l == "orders")).await,
        "the Playground's topic is in the shared world: {:?}",
        term_lines(&root)
    );
    go("#/playground").await;
    assert!(
        until(5_000, || {
            let options = root.query_selector_all("select.show-topic option").unwrap();
            (0..options.length())
                .filter_map(|i| options.get(i))
                .any(|o| {
                    o.text_content()
                        .unwrap_or_default()
                        .contains("from-console")
                })
        })
        .await,
        "from-console is offered in the Playground"
    );
    drop(root);
    go("#/").await;
}
