//! The WordCount view: Kafka Streams' `WordCountDemo`, stepped one record through one
//! processor node at a time.
//!
//! Everything drawn is the engine's: the graph is the application's bound topology (its
//! sub-topologies, nodes and topics, as `describe()` prints them), each node shows the last
//! record that went in and what came out (the application's step reports), the tables are the
//! tasks' stores and the topics' logs. The model (`wordcount/model.rs`) is plain Rust; this
//! file only draws it and turns input into actions.

pub mod model;

use yew::prelude::*;
use yew::virtual_dom::VText;

use crate::sim::streams::StepReport;
use crate::sim::streams::task::Program;
use crate::sim::streams::topology::Operation;
use crate::ui::components::el::{self, Attr};
use crate::ui::components::{Term, error_banner, send};
use crate::ui::hooks::{SimKey, sim_key, use_frames};
use model::{Action, EXAMPLE_LINES, Model, SAMPLE_CORPUS, Setup, record_text, value_text};

/// Output-topic updates listed in the full-log table (the newest).
const OUTPUT_SHOWN: u32 = 30;

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
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action: Action| store.dispatch(action))
    };
    let model = store.model.borrow();
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let action = sim_key(&e).map(|key| match key {
                SimKey::Space => Action::TogglePlay,
                SimKey::Right => Action::StepNode,
                SimKey::Left => Action::Back,
            });
            if let Some(action) = action {
                e.prevent_default();
                dispatch.emit(action);
            }
        })
    };
    html! {
        <div class="wordcount" {onkeydown}>
            { el::text("h2", &[], "WordCount") }
            { el::text("p", &[("class", Attr("hint"))], "Kafka Streams' WordCountDemo, waiting for you: produce a line, then step it through the topology one processor at a time (→), or run.") }
            <InputPanel dispatch={dispatch.clone()} />
            { controls(&model, &dispatch) }
            { error_banner(model.error.as_ref(), send(&dispatch, Action::DismissError)) }
            <div class="wc-layout">
                { topology(&model) }
                { code_panel(&model) }
            </div>
            <div class="wc-tables">
                { store_panel(&model) }
                { repartition_panel(&model) }
                { output_panel(&model) }
            </div>
            <p class="sr-only" aria-live="polite" role="status">{ model.announcement.clone() }</p>
        </div>
    }
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

fn controls(model: &Model, dispatch: &Callback<Action>) -> Html {
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
        html! { <option value={p.to_string()} selected={p == setup.partitions}>{ p }</option> }
    });
    let state = model.app().map_or("—", |a| a.state().name());
    html! {
        <div class="controls wc-controls">
            <button type="button" onclick={step} class="wc-step" title="One record through one processor (→)">{ "Next processor" }</button>
            <button type="button" onclick={record} class="wc-record">{ "Next record" }</button>
            <button type="button" onclick={play} class="wc-play" aria-pressed={model.running.to_string()} title="Space">
                { if model.running { "Pause" } else { "Run" } }
            </button>
            <label>{ "Speed " }<select onchange={onspeed} aria-label="Steps per second while running">{ for speeds }</select></label>
            <button type="button" onclick={back} class="wc-back" disabled={!model.can_go_back()} title="Undo the last step (←)">{ "Back" }</button>
            <button type="button" onclick={reset}>{ "Reset" }</button>
            <label>{ "Input partitions " }
                <select class="wc-partitions" onchange={onpartitions} aria-label="Partitions of the input topic, so stream tasks per sub-topology (resets)">{ for partitions }</select>
            </label>
            <label class="wc-cache">
                <input type="checkbox" checked={setup.caching} onchange={oncache} />
                { " Record cache (Kafka's default 10 MB, commit every 30 s; WordCountDemo sets 0)" }
            </label>
            { el::tags("span", &[("class", Attr("counters"))], vec![
                VText::new(format!("{state} · t = {:.1} s · {}", model.world().now_ms() as f64 / 1000.0, plural(model.input_records(), "line", "lines"))).into(),
                html! { " in the input topic" },
            ]) }
        </div>
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
                node_card(program, i, step, current)
            });
        html! {
            <li class="wc-sub">
                { el::string("h3", &[], format!("Sub-topology {}", sub.id)) }
                { el::string("p", &[("class", Attr("wc-tasks"))], format!("reads {} · tasks {}", topics.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", "), tasks.join(", "))) }
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

fn node_card(program: &Program, index: u32, step: Option<&StepReport>, current: bool) -> Html {
    let Some(node) = program.nodes.get(index as usize) else {
        return html! {};
    };
    let internal = is_internal(&node.op);
    let label = op_label(&node.op, internal);
    let detail = match (&node.op, &node.topic) {
        (Operation::Sink { .. }, Some(topic)) => format!("→ {topic}"),
        (Operation::Aggregate { store, .. }, _) => program
            .stores
            .get(*store as usize)
            .map(|s| format!("store {} · changelog {}", s.name, s.changelog))
            .unwrap_or_default(),
        _ => String::new(),
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
    let sent = step.map(|s| {
        s.sent
            .iter()
            .map(|r| {
                format!(
                    "{}-{} ← ({}, {})",
                    r.topic,
                    r.partition,
                    value_text(r.key.as_ref()),
                    value_text(r.value.as_ref())
                )
            })
            .collect::<Vec<_>>()
    });
    let changes = step.map(|s| {
        s.store_changes
            .iter()
            .map(|c| {
                format!(
                    "{}: {} → {}{}",
                    value_text(Some(&c.key)),
                    value_text(c.old.as_ref()),
                    value_text(c.new.as_ref()),
                    if c.cached { " (cache)" } else { "" }
                )
            })
            .collect::<Vec<_>>()
    });
    let dropped = step.and_then(|s| s.dropped.clone());
    let class = classes!("wc-node", current.then_some("current"));
    html! {
        <li class={class} aria-current={current.then_some("step")} data-node={node.name.to_string()}>
            { el::string("div", &[("class", Attr("wc-node-name mono"))], node.name.to_string()) }
            { el::text("div", &[("class", Attr("wc-node-label"))], label) }
            if !detail.is_empty() { { el::string("div", &[("class", Attr("wc-node-detail mono"))], detail) } }
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
            if let Some(sent) = sent.filter(|s| !s.is_empty()) {
                <div class="wc-io">{ io_tag("sent") }{ for sent.into_iter().map(|c| el::string("span", &[("class", Attr("mono"))], c)) }</div>
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
                el::text("summary", &[], "topology.describe()"),
                el::string("pre", &[], describe),
            ]) }
        </aside>
    }
}

// ---------------------------------------------------------------------------------------------
// Stores and topics

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
    let body = rows.iter().map(|(task, word, count)| {
        let hit = changed.iter().any(|(t, w)| t == task && w == word);
        html! {
            <tr class={classes!(hit.then_some("changed"))}>
                { el::string("td", &[("class", Attr("mono"))], word.clone()) }{ el::string("td", &[("class", Attr("num"))], count.clone()) }{ el::string("td", &[("class", Attr("mono"))], task.clone()) }
            </tr>
        }
    });
    let changelog = model
        .program()
        .and_then(|p| p.stores.first())
        .map(|s| s.changelog.to_string())
        .unwrap_or_default();
    let changelog_records: Vec<_> = model
        .records(&changelog, true)
        .into_iter()
        .flatten()
        .collect();
    html! {
        <section class="panel wc-store" aria-label="The count store">
            <h3><Term word="state store" text="State store" />{ " (word → count)" }</h3>
            if cached {
                { el::hint("The last update is in the record cache: the store, its changelog and the output get it at the next commit.") }
            }
            if rows.is_empty() {
                { el::hint("Empty: no word has reached count() yet.") }
            } else {
                { el::tags("table", &[("class", Attr("wc-store-table"))], vec![
                    html! { <thead><tr>{ el::text("th", &[("scope", Attr("col"))], "word") }{ el::text("th", &[("scope", Attr("col"))], "count") }<th scope="col"><Term word="task" /></th></tr></thead> },
                    el::tags("tbody", &[], body.collect()),
                ]) }
            }
            <h4><Term word="changelog" text="Changelog" />{ ": " }<span class="mono">{ changelog.clone() }</span></h4>
            { record_list(&changelog_records, "The changelog is empty.") }
        </section>
    }
}

fn record_list(records: &[model::ShownRecord], empty: &str) -> Html {
    if records.is_empty() {
        return el::string("p", &[("class", Attr("hint"))], empty.to_string());
    }
    let items = records
        .iter()
        .map(|r| {
            el::string(
                "li",
                &[("class", Attr("mono"))],
                format!("p{} @{}  {} → {}", r.partition, r.offset, r.key, r.value),
            )
        })
        .collect();
    el::tags("ol", &[("class", Attr("wc-records"))], items)
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
    let parts = model.records(&topic, false);
    html! {
        <section class="panel wc-repartition" aria-label="The repartition topic">
            <h3><Term word="repartition topic" text="Repartition topic" /></h3>
            { el::string("p", &[("class", Attr("hint mono"))], topic.clone()) }
            { el::hint("The word is the key, so murmur2 sends the same word to the same partition, and one task counts it.") }
            { for parts.iter().enumerate().map(|(p, records)| el::tags("div", &[("class", Attr("wc-partition"))], vec![
                el::string("h4", &[], format!("partition {p}")),
                record_list(records, "empty"),
            ])) }
        </section>
    }
}

fn output_panel(model: &Model) -> Html {
    let log = model.output_log(OUTPUT_SHOWN);
    let compacted = model.output_compacted();
    html! {
        <section class="panel wc-output" aria-label="The output topic">
            { el::text("h3", &[], "streams-wordcount-output") }
            <div class="wc-output-views">
                { el::tags("div", &[], vec![
                    el::text("h4", &[], "Full log (what a consumer reading from the beginning sees)"),
                    record_list(&log, "No updates yet."),
                ]) }
                <div>
                    { el::text("h4", &[], "Compacted (latest per key, as the log cleaner leaves it)") }
                    if compacted.is_empty() {
                        { el::hint("No keys yet.") }
                    } else {
                        { el::tags("table", &[("class", Attr("wc-compacted"))], vec![
                            el::head(&["word", "count"]),
                            el::tags("tbody", &[], compacted.iter().map(|(k, v)| el::tags("tr", &[], vec![
                                el::string("td", &[("class", Attr("mono"))], k.clone()),
                                el::string("td", &[("class", Attr("num"))], v.clone()),
                            ])).collect()),
                        ]) }
                    }
                </div>
            </div>
        </section>
    }
}
