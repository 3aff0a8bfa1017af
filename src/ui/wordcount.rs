//! The WordCount view: Kafka Streams' `WordCountDemo`, stepped one record through one
//! processor node at a time.
//!
//! Everything drawn is the engine's: the graph is the application's bound topology (its
//! sub-topologies, nodes and topics, as `describe()` prints them), each node shows the last
//! record that went in and what came out (the application's step reports), the tables are the
//! tasks' stores and the topics' logs. The model (`wordcount/model.rs`) is plain Rust; this
//! file only draws it and turns input into actions.
//!
//! At a glance: the step controls are a sticky toolbar; each step scrolls the current processor
//! into view (as little as needed); from 1100 px the store, changelog and topics sit in a
//! sticky column beside the topology (below it, as open `<details>`, on narrow screens). No
//! panel says less than the topology: what a sink or a store sent and no log holds yet is
//! listed as in flight (`World::records_in_flight`), and each sent line says which it is.
//! Kafka's generated names are shortened on screen only (`model::short_name`), the full name
//! in the title and a disclosure; `describe()` prints them whole.

pub mod model;

use yew::prelude::*;

use crate::sim::streams::StepReport;
use crate::sim::streams::examples::{WORD_COUNT_INPUT, WORD_COUNT_OUTPUT};
use crate::sim::streams::task::Program;
use crate::sim::streams::topology::Operation;
use crate::sim::vecmap::VecMap;
use crate::sim::world::InFlightStage;
use crate::ui::components::el::{self, Attr};
use crate::ui::components::{Term, error_banner, send};
use crate::ui::hooks::{SimKey, prefers_reduced_motion, use_frames, use_sim_keys};
use model::{
    Action, EXAMPLE_LINES, InFlightShown, Model, SAMPLE_CORPUS, Setup, field_text, record_text,
    short_name, task_meaning, value_text,
};

/// Output-topic updates listed in the full-log table (the newest).
const OUTPUT_SHOWN: u32 = 30;

/// Records in flight listed per topic partition (the newest).
const IN_FLIGHT_SHOWN: usize = 5;

/// Speeds offered while running, in steps per second.
const SPEEDS: [f64; 6] = [1.0, 2.0, 4.0, 8.0, 16.0, 40.0];

/// WordCountDemo's Java, as Kafka's source writes it (`createWordCountStream`).
const JAVA: [&str; 9] = [
    "final KStream<String, String> source = builder.stream(INPUT_TOPIC);",
    "",
    "final KTable<String, Long> counts = source",
    "    .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split(\"\\\\W+\")))",
    "    .groupBy((key, value) -> value)",
    "    .count();",
    "",
    "// need to override value serde to Long type",
    "counts.toStream().to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));",
];

/// The line of [`JAVA`] that created a node.
fn java_line(op: &Operation, internal_topic: bool) -> usize {
    match op {
        Operation::Source { .. } if internal_topic => 4,
        Operation::Source { .. } => 0,
        Operation::FlatMapValues(_) | Operation::MapValues(_) => 3,
        Operation::SelectKey(_) | Operation::Map(_) | Operation::Filter(_) => 4,
        Operation::Sink { .. } if internal_topic => 4,
        Operation::Aggregate { .. } => 5,
        Operation::ToStream | Operation::Sink { .. } => 8,
    }
}

/// What a node does, in the DSL's words.
fn op_label(op: &Operation, internal_topic: bool) -> &'static str {
    match op {
        Operation::Source { .. } if internal_topic => "source: reads the repartition topic",
        Operation::Source { .. } => "source: builder.stream(…)",
        Operation::FlatMapValues(_) => "flatMapValues: one line → its words",
        Operation::MapValues(_) => "mapValues",
        Operation::SelectKey(_) => "groupBy: the word becomes the key",
        Operation::Map(_) => "map",
        Operation::Filter(_) => "filter: drops null keys before repartitioning",
        Operation::Sink { .. } if internal_topic => "sink: writes the repartition topic",
        Operation::Aggregate { .. } => "count(): the store adds 1",
        Operation::ToStream => "toStream(): table updates as a stream",
        Operation::Sink { .. } => "sink: to(OUTPUT_TOPIC)",
    }
}

fn is_internal(op: &Operation) -> bool {
    match op {
        Operation::Source { topics, .. } => topics.iter().any(|t| t.internal),
        Operation::Sink { topic, .. } => topic.internal,
        _ => false,
    }
}

/// The WordCount view.
#[component]
pub fn WordCount() -> Html {
    // The page's session keeps the view's world while other views are shown.
    let store = crate::ui::session::use_kept_store(crate::ui::session::SharedSession::wordcount);
    let running = store.model.borrow().running;
    use_frames(running, store.dispatcher(), |wall_ms| Action::Frame {
        wall_ms,
    });
    let setup_open = use_state(|| false);
    let view_ref = use_node_ref();
    let moment = store.model.borrow().timeline.moment();
    {
        // Each step the learner takes: the processor it ran stays in view (the page scrolls
        // only as far as needed; no smooth scroll under prefers-reduced-motion). While it runs
        // on its own the page never scrolls by itself: the learner may be scrolling (to the
        // navigation, say), and a scroll at every step would pull the page from under them.
        let view_ref = view_ref.clone();
        use_effect_with(moment, move |_| {
            if !running {
                scroll_current_into_view(&view_ref);
            }
        });
    }
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action: Action| store.dispatch(action))
    };
    let model = store.model.borrow();
    {
        // Space, → and ← for the whole page, as in the Playground (not only when focus is
        // inside the view).
        let dispatch = dispatch.clone();
        use_sim_keys(Callback::from(move |key: SimKey| {
            dispatch.emit(match key {
                SimKey::Space => Action::TogglePlay,
                SimKey::Right => Action::StepNode,
                SimKey::Left => Action::Back,
            })
        }));
    }
    let toggle_setup = {
        let setup_open = setup_open.clone();
        Callback::from(move |_: MouseEvent| setup_open.set(!*setup_open))
    };
    html! {
        <div class="wordcount" ref={view_ref} data-commands={moment.commands.to_string()}>
            { el::text("h2", &[], "WordCount") }
            { el::text("p", &[("class", Attr("hint wc-intro"))], "Kafka Streams' WordCountDemo, waiting for you: produce a line, then step it through the topology one processor at a time (→), or run.") }
            <InputPanel dispatch={dispatch.clone()} />
            { error_banner(model.error.as_ref(), send(&dispatch, Action::DismissError)) }
            <div class="wc-stage">
                <div class="wc-main">
                    { controls(&model, &dispatch, *setup_open, toggle_setup) }
                    { topology(&model) }
                    { code_panel(&model) }
                </div>
                <div class="wc-side" aria-label="What the steps changed: the store, its changelog and the topics" role="region">
                    { store_panel(&model) }
                    { changelog_panel(&model) }
                    { output_panel(&model) }
                    { repartition_panel(&model) }
                </div>
            </div>
            <p class="sr-only" aria-live="polite" role="status">{ model.announcement.clone() }</p>
        </div>
    }
}

/// Scrolls the current processor node into view, as little as needed.
fn scroll_current_into_view(root: &NodeRef) {
    use wasm_bindgen::JsCast;
    let Some(root) = root.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(Some(node)) = root.query_selector(".wc-node.current") else {
        return;
    };
    let options = js_sys::Object::new();
    let behavior = if prefers_reduced_motion() {
        "auto"
    } else {
        "smooth"
    };
    for (key, value) in [
        ("block", "nearest"),
        ("inline", "nearest"),
        ("behavior", behavior),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    // `scrollIntoView(options)` through Reflect: web-sys's typed options need a feature the
    // rest of the app does not use.
    if let Ok(f) = js_sys::Reflect::get(&node, &"scrollIntoView".into())
        && let Some(f) = f.dyn_ref::<js_sys::Function>()
    {
        let _ = f.call1(&node, &options);
    }
    // The store row it changed, inside the store's own scroller only (the page stays put).
    if let Ok(Some(scroller)) = root.query_selector(".wc-store-scroll")
        && let Ok(Some(row)) = scroller.query_selector("tr.changed")
    {
        let (Some(outer), Some(inner)) = (rect(&scroller), rect(&row)) else {
            return;
        };
        if inner.0 < outer.0 || inner.1 > outer.1 {
            let middle = (outer.1 - outer.0) / 2.0;
            let by = inner.0 - outer.0 - middle;
            scroller.set_scroll_top(scroller.scroll_top() + by as i32);
        }
    }
}

/// An element's `(top, bottom)` in the viewport (`getBoundingClientRect`, through Reflect as
/// above).
fn rect(el: &web_sys::Element) -> Option<(f64, f64)> {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(el, &"getBoundingClientRect".into()).ok()?;
    let r = f.dyn_ref::<js_sys::Function>()?.call0(el).ok()?;
    let top = js_sys::Reflect::get(&r, &"top".into()).ok()?.as_f64()?;
    let bottom = js_sys::Reflect::get(&r, &"bottom".into()).ok()?.as_f64()?;
    Some((top, bottom))
}

// ---------------------------------------------------------------------------------------------
// Input and controls

#[derive(Properties, PartialEq)]
struct InputProps {
    dispatch: Callback<Action>,
}

/// The line input, the example lines and the corpus.
#[component]
fn InputPanel(props: &InputProps) -> Html {
    let dispatch = &props.dispatch;
    let line = use_node_ref();
    let onsubmit = {
        let dispatch = dispatch.clone();
        let line = line.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = line.cast::<web_sys::HtmlInputElement>() {
                dispatch.emit(Action::Produce(input.value()));
                input.set_value("");
            }
        })
    };
    let examples = EXAMPLE_LINES.iter().map(|line| {
        let onclick = send(dispatch, Action::Produce(line.to_string()));
        html! { <button type="button" class="wc-example" {onclick}>{ format!("“{line}”") }</button> }
    });
    let corpus = dispatch.reform(|_| Action::Produce(SAMPLE_CORPUS.join("\n")));
    html! {
        <div class="wc-input">
            <form class="producer-panel" {onsubmit} aria-label="Produce a line to streams-plaintext-input">
                <label class="grow">
                    { el::text("span", &[], "Line") }
                    <input ref={line} type="text" class="wc-line" autocomplete="off"
                        placeholder="hello kafka streams" aria-label="A line of text for streams-plaintext-input" />
                </label>
                { el::text("button", &[("type", Attr("submit"))], "Produce") }
            </form>
            <div class="wc-examples" role="group" aria-label="Example lines">
                { for examples }
                <button type="button" class="wc-corpus" onclick={corpus}>{ "Sample corpus (4 lines)" }</button>
            </div>
        </div>
    }
}

fn controls(
    model: &Model,
    dispatch: &Callback<Action>,
    setup_open: bool,
    toggle_setup: Callback<MouseEvent>,
) -> Html {
    let setup = model.setup;
    let play = send(dispatch, Action::TogglePlay);
    let step = send(dispatch, Action::StepNode);
    let record = send(dispatch, Action::StepRecord);
    let back = send(dispatch, Action::Back);
    let reset = send(dispatch, Action::Reset(setup));
    let onspeed = dispatch.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| s.value().parse::<f64>().ok())
            .unwrap_or(4.0);
        Action::SetSpeed(value)
    });
    let onpartitions = dispatch.reform(move |e: Event| {
        let partitions = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| s.value().parse::<u32>().ok())
            .unwrap_or(1);
        Action::Reset(Setup {
            partitions,
            ..setup
        })
    });
    let oncache = dispatch.reform(move |e: Event| {
        let caching = e
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .is_some_and(|i| i.checked());
        Action::Reset(Setup { caching, ..setup })
    });
    let speeds = SPEEDS.iter().map(|s| {
        html! { <option value={s.to_string()} selected={(*s - model.speed).abs() < 1e-9}>{ format!("{s} steps/s") }</option> }
    });
    let partitions = (1..=4u32).map(|p| {
        html! { <option value={p.to_string()} selected={p == setup.partitions}>{ plural(u64::from(p), "partition", "partitions") }</option> }
    });
    let state = model.app().map_or("—", |a| a.state().name());
    let flying = model.in_flight(WORD_COUNT_INPUT, false).len() as u64;
    let mut counters = format!(
        "{state} · t = {:.1} s · {} in the input topic",
        model.world().now_ms() as f64 / 1000.0,
        plural(model.input_records(), "line", "lines"),
    );
    if flying > 0 {
        counters.push_str(&format!(" · {flying} in flight"));
    }
    html! {
        <div class="controls wc-toolbar" role="group" aria-label="Step the topology">
            <button type="button" onclick={step} class="wc-step" title="One record through one processor (→)">{ "Next processor" }</button>
            <button type="button" onclick={record} class="wc-record" title="The record in progress through the whole topology">{ "Next record" }</button>
            <button type="button" onclick={play} class="wc-play" aria-pressed={model.running.to_string()} title="Space">
                { if model.running { "Pause" } else { "Run" } }
            </button>
            <select class="wc-speed" onchange={onspeed} aria-label="Steps per second while running">{ for speeds }</select>
            <button type="button" onclick={back} class="wc-back" disabled={!model.can_go_back()} title="Undo the last step (←)">{ "Back" }</button>
            <button type="button" onclick={reset} class="wc-reset">{ "Reset" }</button>
            <button type="button" class="wc-setup-toggle" onclick={toggle_setup} aria-expanded={setup_open.to_string()} aria-controls="wc-setup">
                { if setup_open { "Setup ▴" } else { "Setup ▾" } }
            </button>
            { el::string("span", &[("class", Attr("counters"))], counters) }
            if setup_open {
                <div id="wc-setup" class="wc-setup">
                    <label>{ "Input topic: " }
                        <select class="wc-partitions" onchange={onpartitions} aria-label="Partitions of the input topic, so stream tasks per sub-topology (resets)">{ for partitions }</select>
                    </label>
                    <label class="wc-cache">
                        <input type="checkbox" checked={setup.caching} onchange={oncache} />
                        { " Record cache (Kafka's default 10 MB, commit every 30 s; WordCountDemo sets 0)" }
                    </label>
                    { el::hint("Either change starts over.") }
                </div>
            }
        </div>
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A Kafka-generated name, shortened, with the full name on demand (hover, or open the
/// disclosure by keyboard or click).
fn name(full: &str, application_id: &str) -> Html {
    let short = short_name(full, application_id);
    if short == full {
        return el::string("span", &[("class", Attr("mono wc-name"))], full.to_string());
    }
    html! {
        <details class="wc-name">
            <summary class="mono" title={full.to_string()} aria-label={format!("{short} (shortened: show the full name)")}>{ short }</summary>
            { el::string("span", &[("class", Attr("mono wc-full"))], full.to_string()) }
        </details>
    }
}

/// A task id with what it means on hover and for screen readers.
fn task(task: &str) -> Html {
    let meaning = task_meaning(task);
    html! { <abbr class="mono wc-task" title={meaning.clone()} aria-label={meaning}>{ task.to_string() }</abbr> }
}

// ---------------------------------------------------------------------------------------------
// The topology

fn topology(model: &Model) -> Html {
    let Some(program) = model.program() else {
        return el::text(
            "p",
            &[("class", Attr("status"))],
            "The application is not running.",
        );
    };
    let app_id = model.application_id();
    let last = model.last_step();
    let per_node = model.last_step_per_node();
    let subs = program.topology.subtopologies().iter().map(|sub| {
        let tasks: Vec<String> = model
            .app()
            .map(|a| {
                a.thread()
                    .tasks()
                    .filter(|t| t.id().subtopology == sub.id)
                    .map(|t| t.id().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let topics = program
            .subtopology_topics
            .get(sub.id as usize)
            .cloned()
            .unwrap_or_default();
        let nodes = sub
            .nodes
            .iter()
            .filter_map(|&i| program.nodes.get(i as usize).map(|n| (i, n)))
            .map(|(i, node)| {
                let step = per_node.get(&*node.name).copied();
                let current = last.is_some_and(|l| l.node == node.name);
                node_card(model, program, app_id, i, step, current)
            });
        let mut reads: Vec<Html> =
            vec![html! { { if topics.len() == 1 { "reads topic " } else { "reads topics " } } }];
        for (i, t) in topics.iter().enumerate() {
            if i > 0 {
                reads.push(html! { ", " });
            }
            reads.push(name(t, app_id));
        }
        reads.push(html! { { if tasks.len() == 1 { " · task " } else { " · tasks " } } });
        for (i, t) in tasks.iter().enumerate() {
            if i > 0 {
                reads.push(html! { ", " });
            }
            reads.push(task(t));
        }
        html! {
            <li class="wc-sub">
                { el::string("h3", &[], format!("Sub-topology {}", sub.id)) }
                { el::tags("p", &[("class", Attr("wc-tasks"))], reads) }
                { el::tags("ol", &[("class", Attr("wc-nodes"))], nodes.collect()) }
            </li>
        }
    });
    el::tag(
        "section",
        &[
            (
                "aria-label",
                Attr("The topology, from the application's description"),
            ),
            ("class", Attr("wc-topology")),
        ],
        el::tags("ol", &[("class", Attr("wc-subs"))], subs.collect()),
    )
}

/// A store change in words: `“the”: count 1 → 2`.
fn change_text(c: &crate::sim::streams::StoreChange) -> String {
    let key = value_text(Some(&c.key));
    let text = match (&c.old, &c.new) {
        (None, Some(new)) => format!("{key}: new, count {}", value_text(Some(new))),
        (Some(old), Some(new)) => format!(
            "{key}: count {} → {}",
            value_text(Some(old)),
            value_text(Some(new))
        ),
        (_, None) => format!("{key}: deleted"),
    };
    if c.cached {
        format!("{text} (in the cache)")
    } else {
        text
    }
}

fn node_card(
    model: &Model,
    program: &Program,
    app_id: &str,
    index: u32,
    step: Option<&StepReport>,
    current: bool,
) -> Html {
    let Some(node) = program.nodes.get(index as usize) else {
        return html! {};
    };
    let internal = is_internal(&node.op);
    let label = op_label(&node.op, internal);
    let detail: Vec<Html> = match (&node.op, &node.topic) {
        (Operation::Sink { .. }, Some(topic)) => vec![html! { "→ topic " }, name(topic, app_id)],
        (Operation::Aggregate { store, .. }, _) => program
            .stores
            .get(*store as usize)
            .map(|s| {
                vec![
                    html! { "store " },
                    name(&s.name, app_id),
                    html! { " · changelog " },
                    name(&s.changelog, app_id),
                ]
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let (input, outputs) = match step {
        Some(s) => (
            Some(record_text(&s.input)),
            s.outputs
                .iter()
                .map(|f| record_text(&f.record))
                .collect::<Vec<_>>(),
        ),
        None => (None, Vec::new()),
    };
    let sent: Vec<Html> = step
        .map(|s| {
            s.sent
                .iter()
                .map(|r| {
                    let flying = model.sent_is_in_flight(r);
                    html! {
                        <span class="mono wc-sent" data-topic={r.topic.to_string()} data-in-flight={flying.to_string()}>
                            { format!("({}, {}) → partition {} of ", field_text(r.key.as_ref()), field_text(r.value.as_ref()), r.partition) }
                            { name(&r.topic, app_id) }
                            if flying { { el::text("span", &[("class", Attr("tag wc-flying"))], "in flight") } } else { { el::text("span", &[("class", Attr("tag"))], "written") } }
                        </span>
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let changes = step.map(|s| s.store_changes.iter().map(change_text).collect::<Vec<_>>());
    let dropped = step.and_then(|s| s.dropped.clone());
    let class = classes!("wc-node", current.then_some("current"));
    html! {
        <li class={class} aria-current={current.then_some("step")} data-node={node.name.to_string()}>
            <div class="wc-node-head">
                { el::text("span", &[("class", Attr("wc-node-label"))], label) }
                { name(&node.name, app_id) }
            </div>
            if !detail.is_empty() { { el::tags("div", &[("class", Attr("wc-node-detail"))], detail) } }
            if let Some(input) = input {
                { el::tags("div", &[("class", Attr("wc-io"))], vec![io_tag("in"), html! { " " }, el::string("span", &[("class", Attr("mono wc-in"))], input)]) }
            }
            if !outputs.is_empty() {
                <div class="wc-io wc-edge" aria-label="records passed on">
                    { io_tag(if current { "on the edge" } else { "out" }) }
                    { for outputs.iter().map(|o| el::string("span", &[("class", Attr("mono wc-out"))], o.clone())) }
                </div>
            }
            if let Some(changes) = changes.filter(|c| !c.is_empty()) {
                <div class="wc-io">{ io_tag("store") }{ for changes.into_iter().map(|c| el::string("span", &[("class", Attr("mono wc-change"))], c)) }</div>
            }
            if !sent.is_empty() {
                <div class="wc-io">{ io_tag("sent") }{ for sent }</div>
            }
            if let Some(reason) = dropped {
                <div class="wc-io">{ io_tag("dropped") }{ " " }{ reason }</div>
            }
        </li>
    }
}

/// `<span class="tag">{ label }</span>`.
fn io_tag(label: &'static str) -> Html {
    el::text("span", &[("class", Attr("tag"))], label)
}

fn code_panel(model: &Model) -> Html {
    let current_line = model.last_step().and_then(|step| {
        let program = model.program()?;
        let index = program.topology.node_index(&step.node)?;
        let def = program.topology.node(index)?;
        Some(java_line(&def.op, is_internal(&def.op)))
    });
    let lines = JAVA.iter().enumerate().map(|(i, line)| {
        let current = current_line == Some(i);
        html! {
            <li class={classes!(current.then_some("current"))} aria-current={current.then_some("step")}>
                { el::string("code", &[], line.to_string()) }
            </li>
        }
    });
    let describe = model
        .program()
        .map(|p| p.topology.describe())
        .unwrap_or_default();
    html! {
        <aside class="wc-code" aria-label="The Java code">
            { el::text("h3", &[], "WordCountDemo.java") }
            { el::tags("ol", &[("class", Attr("java"))], lines.collect()) }
            { el::tags("details", &[("class", Attr("wc-describe"))], vec![
                el::text("summary", &[], "topology.describe() (Kafka's full names)"),
                el::string("pre", &[], describe),
            ]) }
        </aside>
    }
}

// ---------------------------------------------------------------------------------------------
// Stores and topics: each a collapsible panel (open at first), side by side with the topology
// on wide screens. What a sink or a store sent and the topic does not hold yet is listed as in
// flight, so no panel says less than the topology.

/// A collapsible panel: `summary` is its heading line (with counts, so a closed panel still
/// says what it holds).
fn panel(class: &'static str, label: &'static str, summary: Vec<Html>, body: Vec<Html>) -> Html {
    html! {
        <details class={classes!("panel", "wc-panel", class)} open=true aria-label={label}>
            { el::tags("summary", &[], summary) }
            { for body }
        </details>
    }
}

fn store_panel(model: &Model) -> Html {
    let changed: Vec<(String, String)> = model
        .last_step()
        .map(|s| {
            s.store_changes
                .iter()
                .map(|c| (s.task.to_string(), value_text(Some(&c.key))))
                .collect()
        })
        .unwrap_or_default();
    let cached = model
        .last_step()
        .is_some_and(|s| s.store_changes.iter().any(|c| c.cached));
    let rows = model.store_rows();
    let app_id = model.application_id();
    let store_name = model
        .program()
        .and_then(|p| p.stores.first())
        .map(|s| s.name.to_string())
        .unwrap_or_default();
    let body = rows.iter().map(|(t, word, count)| {
        let hit = changed.iter().any(|(ct, w)| ct == t && w == word);
        html! {
            <tr class={classes!(hit.then_some("changed"))}>
                { el::string("td", &[("class", Attr("mono"))], word.clone()) }{ el::string("td", &[("class", Attr("num"))], count.clone()) }<td>{ task(t) }</td>
            </tr>
        }
    });
    let summary = vec![
        el::text("h3", &[], "State store"),
        html! { " " },
        name(&store_name, app_id),
        el::string(
            "span",
            &[("class", Attr("wc-count"))],
            format!(" · {}", plural(rows.len() as u64, "word", "words")),
        ),
    ];
    let mut content = Vec::new();
    if cached {
        content.push(el::hint("The last update is in the record cache: the store, its changelog and the output get it at the next commit."));
    }
    if rows.is_empty() {
        content.push(el::hint("Empty: no word has reached count() yet."));
    } else {
        content.push(el::tag(
            "div",
            &[("class", Attr("wc-store-scroll"))],
            el::tags(
                "table",
                &[("class", Attr("wc-store-table"))],
                vec![
                    html! { <thead><tr>{ el::text("th", &[("scope", Attr("col"))], "word") }{ el::text("th", &[("scope", Attr("col"))], "count") }<th scope="col"><Term word="task" /></th></tr></thead> },
                    el::tags("tbody", &[], body.collect()),
                ],
            ),
        ));
    }
    panel("wc-store", "The count store", summary, content)
}

/// One record of a topic: `offset 4 · “the” → count 1` (the partition too when the topic
/// has several).
fn record_line(r: &model::ShownRecord, noun: &str, partitions: bool) -> String {
    let at = if partitions {
        format!("partition {} · offset {}", r.partition, r.offset)
    } else {
        format!("offset {}", r.offset)
    };
    format!("{at} · {} → {noun}{}", r.key, r.value)
}

fn record_list(records: &[model::ShownRecord], noun: &str, partitions: bool, empty: &str) -> Html {
    if records.is_empty() {
        return el::string("p", &[("class", Attr("hint"))], empty.to_string());
    }
    let items = records
        .iter()
        .map(|r| {
            el::string(
                "li",
                &[("class", Attr("mono"))],
                record_line(r, noun, partitions),
            )
        })
        .collect();
    el::tags("ol", &[("class", Attr("wc-records"))], items)
}

/// Records on their way to a topic: who sent them and where they are now (once for all when
/// they are all in one place), the newest [`IN_FLIGHT_SHOWN`] of each partition.
fn in_flight_list(model: &Model, records: &[InFlightShown], noun: &str) -> Html {
    if records.is_empty() {
        return html! {};
    }
    let now = model.world().now_ms();
    let where_of = |r: &InFlightShown| {
        let sender = if r.by_app {
            "the application's producer"
        } else {
            "your producer"
        };
        match r.stage {
            InFlightStage::Batching { send_at_ms } => format!(
                "waiting in {sender}'s batch (linger.ms), sent at t = {:.1} s",
                send_at_ms.max(now) as f64 / 1000.0
            ),
            InFlightStage::OnTheWire { arrives_at_ms } => format!(
                "on the way to the broker, arriving at t = {:.1} s",
                arrives_at_ms as f64 / 1000.0
            ),
            InFlightStage::Retrying { resend_at_ms } => format!(
                "refused for now; {sender} resends at t = {:.1} s",
                resend_at_ms as f64 / 1000.0
            ),
        }
    };
    let wheres: Vec<String> = records.iter().map(where_of).collect();
    let same = wheres.windows(2).all(|w| w[0] == w[1]);
    // Each partition's records are in send order (not so across partitions): the newest few of
    // each partition, so what a step just sent is always listed.
    let mut kept = vec![false; records.len()];
    let mut per_partition: VecMap<u32, usize> = VecMap::default();
    for (i, r) in records.iter().enumerate().rev() {
        let n = per_partition.entry(r.partition).or_insert(0);
        if *n < IN_FLIGHT_SHOWN {
            *n += 1;
            kept[i] = true;
        }
    }
    let skipped = kept.iter().filter(|k| !**k).count();
    let items = records
        .iter()
        .zip(&wheres)
        .zip(&kept)
        .filter(|(_, kept)| **kept)
        .map(|((r, where_), _)| {
            html! {
                <li>
                    { el::string("span", &[("class", Attr("mono"))], format!("{} → {noun}{} · partition {}", r.key, r.value, r.partition)) }
                    if !same { { el::string("span", &[("class", Attr("wc-where"))], format!(" — {where_}")) } }
                </li>
            }
        })
        .collect();
    let mut head = format!(
        "In flight: {} sent, not yet in the topic",
        plural(records.len() as u64, "record", "records")
    );
    if same && let Some(where_) = wheres.first() {
        head.push_str(&format!(", {where_}"));
    }
    let mut parts = vec![el::string("h4", &[], head)];
    if skipped > 0 {
        parts.push(el::string(
            "p",
            &[("class", Attr("hint"))],
            format!(
                "The newest {IN_FLIGHT_SHOWN} of each partition; {} sent before them.",
                plural(skipped as u64, "record", "records")
            ),
        ));
    }
    parts.push(el::tags("ol", &[], items));
    el::tags("div", &[("class", Attr("wc-in-flight"))], parts)
}

fn topic_counts(written: usize, flying: usize) -> String {
    let mut text = format!(" · {}", plural(written as u64, "record", "records"));
    if flying > 0 {
        text.push_str(&format!(" · {flying} in flight"));
    }
    text
}

fn changelog_panel(model: &Model) -> Html {
    let Some(changelog) = model
        .program()
        .and_then(|p| p.stores.first())
        .map(|s| s.changelog.to_string())
    else {
        return html! {};
    };
    let app_id = model.application_id();
    let parts = model.records(&changelog, true);
    let several = parts.len() > 1;
    let records: Vec<_> = parts.into_iter().flatten().collect();
    let flying = model.in_flight(&changelog, true);
    let written = model.topic_records(&changelog);
    let summary = vec![
        el::text("h3", &[], "Changelog"),
        html! { " " },
        name(&changelog, app_id),
        el::string(
            "span",
            &[("class", Attr("wc-count"))],
            topic_counts(written as usize, flying.len()),
        ),
    ];
    let empty = if flying.is_empty() {
        "The changelog is empty."
    } else {
        "Nothing written yet."
    };
    panel(
        "wc-changelog",
        "The store's changelog topic",
        summary,
        vec![
            html! { <p class="hint"><Term word="changelog" text="Changelog" />{ ": every store update, so a restarted task can rebuild its store." }</p> },
            in_flight_list(model, &flying, "count "),
            record_list(&records, "count ", several, empty),
        ],
    )
}

fn repartition_panel(model: &Model) -> Html {
    let Some(topic) = model
        .program()
        .and_then(|p| p.subtopology_topics.get(1))
        .and_then(|t| t.first())
        .map(ToString::to_string)
    else {
        return html! {};
    };
    let app_id = model.application_id();
    let parts = model.records(&topic, false);
    let flying = model.in_flight(&topic, false);
    let written = model.topic_records(&topic);
    let summary = vec![
        el::text("h3", &[], "Repartition topic"),
        html! { " " },
        name(&topic, app_id),
        el::string(
            "span",
            &[("class", Attr("wc-count"))],
            topic_counts(written as usize, flying.len()),
        ),
    ];
    let mut body = vec![
        html! { <p class="hint"><Term word="repartition topic" text="Repartition topic" />{ ": the word is the key, so murmur2 sends the same word to the same partition, and one task counts it." }</p> },
        in_flight_list(model, &flying, ""),
    ];
    for (p, records) in parts.iter().enumerate() {
        body.push(el::tags(
            "div",
            &[("class", Attr("wc-partition"))],
            vec![
                el::string("h4", &[], format!("partition {p}")),
                record_list(records, "", false, "empty"),
            ],
        ));
    }
    panel("wc-repartition", "The repartition topic", summary, body)
}

fn output_panel(model: &Model) -> Html {
    let log = model.output_log(OUTPUT_SHOWN);
    let compacted = model.output_compacted();
    let flying = model.in_flight(WORD_COUNT_OUTPUT, true);
    let written = model.topic_records(WORD_COUNT_OUTPUT);
    let empty = if flying.is_empty() {
        "No updates yet."
    } else {
        "Nothing written yet: the update above is still in flight."
    };
    let summary = vec![
        el::text("h3", &[], "Output topic"),
        html! { " " },
        el::text("span", &[("class", Attr("mono"))], WORD_COUNT_OUTPUT),
        el::string(
            "span",
            &[("class", Attr("wc-count"))],
            topic_counts(written as usize, flying.len()),
        ),
    ];
    let compacted_view = if compacted.is_empty() {
        el::hint("No keys yet.")
    } else {
        el::tags(
            "table",
            &[("class", Attr("wc-compacted"))],
            vec![
                el::head(&["word", "count"]),
                el::tags(
                    "tbody",
                    &[],
                    compacted
                        .iter()
                        .map(|(k, v)| {
                            el::tags(
                                "tr",
                                &[],
                                vec![
                                    el::string("td", &[("class", Attr("mono"))], k.clone()),
                                    el::string("td", &[("class", Attr("num"))], v.clone()),
                                ],
                            )
                        })
                        .collect(),
                ),
            ],
        )
    };
    panel(
        "wc-output",
        "The output topic",
        summary,
        vec![
            in_flight_list(model, &flying, "count "),
            html! {
                <div class="wc-output-views">
                    { el::tags("div", &[], vec![
                        el::text("h4", &[], "Full log (what a consumer reading from the beginning sees)"),
                        record_list(&log, "count ", false, empty),
                    ]) }
                    { el::tags("div", &[], vec![
                        el::text("h4", &[], "Compacted (latest per key, as the log cleaner leaves it)"),
                        compacted_view,
                    ]) }
                </div>
            },
        ],
    )
}
