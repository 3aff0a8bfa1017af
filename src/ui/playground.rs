//! The Playground view: producers → partitions → consumer groups, driven by the engine.
//!
//! Everything drawn is the engine's state or trace: lanes are partition logs, cells are
//! records, dots are records in flight (placed by `sent_at`/`arrives_at`), member boxes are
//! the group coordinator's members. The model (`playground/model.rs`) is plain Rust; this file
//! only draws it and turns input into actions.

pub mod model;

use yew::prelude::*;

use crate::sim::assignor::AssignorKind;
use crate::sim::client::{Acks, ConsumerState};
use crate::sim::partitioner::{murmur2, to_positive};
use crate::ui::geometry::{self, Layout, key_colour};
use crate::ui::hooks::use_animation_frame;
use model::{Action, FlightKind, Model, Store, format_ms};

/// Cells drawn per lane: the DOM stays bounded however many records flow.
const CELLS: u32 = 14;
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;

/// Whether the learner asked for less motion.
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The Playground.
#[component]
pub fn Playground() -> Html {
    let store = use_reducer(|| {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let (setup, problems) = model::Setup::from_params(&crate::ui::route::query_params(&hash));
        let mut model = Model::with_setup(&setup);
        if !problems.is_empty() {
            model.error = Some(problems.join("\n"));
        }
        Store::new(model)
    });
    let playing = store.model.borrow().playing;
    {
        let dispatcher = store.dispatcher();
        use_animation_frame(
            playing,
            Callback::from(move |wall_ms: f64| dispatcher.dispatch(Action::Frame { wall_ms })),
        );
    }
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action: Action| store.dispatch(action))
    };
    let model = store.model.borrow();
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Space and → belong to the simulation only when focus is not on a control that
            // uses them itself: Space presses buttons and links and types in fields; arrows move
            // sliders, lists and text cursors.
            let tag = e
                .target_dyn_into::<web_sys::Element>()
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            let takes_arrows = matches!(tag.as_str(), "input" | "select" | "textarea" | "option");
            let takes_space = takes_arrows || matches!(tag.as_str(), "button" | "a");
            let key = e.key();
            if (key == " " && takes_space) || (key == "ArrowRight" && takes_arrows) {
                return;
            }
            match e.key().as_str() {
                " " => {
                    e.prevent_default();
                    dispatch.emit(Action::TogglePlay);
                }
                "ArrowRight" => {
                    e.prevent_default();
                    dispatch.emit(Action::Step);
                }
                _ => {}
            }
        })
    };
    html! {
        <div class="playground" {onkeydown}>
            <h2>{ "Playground" }</h2>
            <p class="hint">{ "Type a message and press Enter — key:value, or just a value for a null key." }</p>
            <Controls model={snapshot_controls(&model)} dispatch={dispatch.clone()} />
            { error_banner(&model, &dispatch) }
            <ProducerPanel dispatch={dispatch.clone()} partitions={partition_count(&model)} auto_rate={model.auto_rate} />
            { diagram(&model, &dispatch) }
            { record_card(&model, &dispatch) }
            { groups_panel(&model, &dispatch) }
            { cluster_panel(&model, &dispatch) }
            { lag_chart(&model) }
            { event_log(&model, &dispatch, &store) }
            <p class="sr-only" aria-live="polite" role="status">{ model.announcement.clone() }</p>
        </div>
    }
}

fn partition_count(model: &Model) -> u32 {
    model
        .world
        .topic(&model.topic)
        .map_or(0, |t| t.partition_count())
}

fn error_banner(model: &Model, dispatch: &Callback<Action>) -> Html {
    let Some(error) = &model.error else {
        return html! {};
    };
    let onclick = dispatch.reform(|_| Action::DismissError);
    html! {
        <div class="error" role="alert">
            <span style="white-space: pre-line">{ error.clone() }</span>
            <button type="button" {onclick} aria-label="Dismiss the message">{ "×" }</button>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Controls

#[derive(Clone, PartialEq)]
pub struct ControlsModel {
    playing: bool,
    speed: f64,
    now_ms: u64,
    horizon_ms: u64,
    seed: u64,
    produced: u64,
    consumed: u64,
}

fn snapshot_controls(model: &Model) -> ControlsModel {
    ControlsModel {
        playing: model.playing,
        speed: model.speed,
        now_ms: model.world.now_ms(),
        horizon_ms: model.horizon_ms,
        seed: model.seed,
        produced: model.produced,
        consumed: model.consumed,
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    model: ControlsModel,
    dispatch: Callback<Action>,
}

#[component]
fn Controls(props: &ControlsProps) -> Html {
    let m = &props.model;
    let d = &props.dispatch;
    let toggle = d.reform(|_| Action::TogglePlay);
    let step = d.reform(|_| Action::Step);
    let speed = d.reform(|e: InputEvent| {
        let v: u32 = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
            .parse()
            .unwrap_or(500);
        Action::SetSpeed(geometry::speed_from_slider(v))
    });
    let seek = d.reform(|e: InputEvent| {
        let v: u64 = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
            .parse()
            .unwrap_or(0);
        Action::Seek(v)
    });
    let seed_input = use_node_ref();
    let reset = {
        let seed_input = seed_input.clone();
        let current = m.seed;
        d.reform(move |_| {
            let seed = seed_input
                .cast::<web_sys::HtmlInputElement>()
                .and_then(|i| i.value().trim().parse().ok())
                .unwrap_or(current);
            Action::Reset { seed }
        })
    };
    html! {
        <div class="controls" role="group" aria-label="Simulation controls">
            <button type="button" onclick={toggle} aria-keyshortcuts="Space">
                { if m.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" onclick={step} aria-keyshortcuts="ArrowRight">{ "Step →" }</button>
            <label>{ "Speed " }
                <input type="range" min="0" max="1000" value={geometry::slider_from_speed(m.speed).to_string()}
                    oninput={speed} aria-valuetext={format!("{} times", tenths(m.speed))} />
                <output>{ format!("{}×", tenths(m.speed)) }</output>
            </label>
            <label class="timeline" data-now={m.now_ms.to_string()} data-horizon={m.horizon_ms.to_string()}>{ "Time " }
                <input type="range" min="0" max={m.horizon_ms.max(1).to_string()} value={m.now_ms.to_string()}
                    oninput={seek} aria-valuetext={format_ms(m.now_ms)} />
                <output class="mono">{ format_ms(m.now_ms) }</output>
            </label>
            <label>{ "Seed " }
                <input type="number" ref={seed_input} value={m.seed.to_string()} min="0" class="seed" />
            </label>
            <button type="button" onclick={reset}>{ "Reset" }</button>
            <span class="counters mono" aria-label="Throughput">
                { format!("{} appended · {} delivered", m.produced, m.consumed) }
            </span>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Producer panel

#[derive(Properties, PartialEq)]
pub struct ProducerProps {
    dispatch: Callback<Action>,
    partitions: u32,
    auto_rate: u32,
}

#[component]
fn ProducerPanel(props: &ProducerProps) -> Html {
    let text = use_node_ref();
    let partition = use_state(|| None::<u32>);
    let acks = use_state(|| Acks::All);
    let onkeydown = {
        let text = text.clone();
        let dispatch = props.dispatch.clone();
        let partition = partition.clone();
        let acks = acks.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            e.prevent_default();
            if let Some(input) = text.cast::<web_sys::HtmlInputElement>() {
                dispatch.emit(Action::Produce {
                    text: input.value(),
                    partition: *partition,
                    acks: *acks,
                });
                input.set_value("");
            }
        })
    };
    let on_partition = {
        let partition = partition.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            partition.set(v.parse().ok());
        })
    };
    let on_acks = {
        let acks = acks.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            acks.set(Acks::parse(&v).unwrap_or(Acks::All));
        })
    };
    let on_rate = props.dispatch.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        Action::SetAutoRate(v.parse().unwrap_or(0))
    });
    html! {
        <div class="producer-panel" role="group" aria-label="Producer">
            <label class="grow">{ "Message to orders " }
                <input type="text" ref={text} id="produce-input" placeholder="alice:order-1" maxlength="10000"
                    {onkeydown} autocomplete="off" spellcheck="false" />
            </label>
            <label>{ "Partition " }
                <select onchange={on_partition} aria-label="Explicit partition">
                    <option value="" selected={partition.is_none()}>{ "by key" }</option>
                    { for (0..props.partitions).map(|p| html! {
                        <option value={p.to_string()} selected={*partition == Some(p)}>{ p }</option>
                    }) }
                </select>
            </label>
            <label>{ "acks " }
                <select onchange={on_acks}>
                    <option value="all" selected={*acks == Acks::All}>{ "all" }</option>
                    <option value="1" selected={*acks == Acks::One}>{ "1" }</option>
                    <option value="0" selected={*acks == Acks::Zero}>{ "0" }</option>
                </select>
            </label>
            <label>{ "Auto-produce " }
                <select onchange={on_rate}>
                    { for [0u32, 1, 5, 20, 100, 1000].into_iter().map(|r| html! {
                        <option value={r.to_string()} selected={props.auto_rate == r}>
                            { if r == 0 { "off".to_string() } else { format!("{r}/s") } }
                        </option>
                    }) }
                </select>
            </label>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// The diagram

fn diagram(model: &Model, dispatch: &Callback<Action>) -> Html {
    let world = &model.world;
    let Some(topic) = world.topic(&model.topic) else {
        return html! { <p>{ "The topic no longer exists." }</p> };
    };
    let layout = Layout::new(WIDTH, HEIGHT, topic.partition_count(), CELLS);
    let now = world.now_ms() as f64;
    let producers: Vec<u32> = world
        .producers()
        .filter(|p| !p.closed)
        .map(|p| p.id)
        .collect();
    let consumers: Vec<&crate::sim::client::Consumer> =
        world.consumers().filter(|c| c.is_alive()).collect();
    let group = world.group(model::GROUP);
    let motion = !reduced_motion();
    // The group's lag table, once per frame (each lane looks up its row).
    let lag_rows = world.group_lag(model::GROUP);

    let lanes = topic.partitions.iter().map(|p| {
        let y = layout.lane_centre(p.id);
        let top = y - layout.lane_pitch * 0.4;
        let h = layout.lane_pitch * 0.8;
        let first = layout.first_shown(p.log.log_start_offset(), p.log.log_end_offset());
        let records = p.log.read(first, CELLS);
        let cells = records.into_iter().map(|r| {
            let x = layout.cell_x(first, r.offset);
            let fill = key_colour(r.key.as_deref());
            let label = r
                .key
                .as_ref()
                .map(|k| String::from_utf8_lossy(k).chars().take(1).collect::<String>())
                .unwrap_or_else(|| "∅".to_string());
            let selected = model.selected.as_ref().is_some_and(|(t, part, o)| {
                t == &*topic.name && *part == p.id && *o == r.offset
            });
            let sel = (topic.name.to_string(), p.id, r.offset);
            let onclick = dispatch.reform(move |_| Action::Select(Some(sel.clone())));
            let committed = r.offset < p.high_watermark;
            html! {
                <g key={r.offset.to_string()} class={classes!("cell", selected.then_some("selected"))} {onclick}
                    data-offset={r.offset.to_string()}
                    data-key={r.key.as_ref().map_or(String::new(), |k| String::from_utf8_lossy(k).into_owned())}>
                    <title>{ format!("offset {} key {}", r.offset, r.key.as_ref().map_or("null".into(), |k| String::from_utf8_lossy(k).into_owned())) }</title>
                    <rect x={fmt(x + 1.0)} y={fmt(top)} width={fmt(layout.cell_width - 2.0)} height={fmt(h)}
                        fill={fill} opacity={if committed { "1" } else { "0.45" }} rx="3" />
                    <text x={fmt(x + layout.cell_width / 2.0)} y={fmt(y + 4.0)} class="cell-label">{ label }</text>
                </g>
            }
        });
        let markers = group
            .and_then(|g| g.committed.get(&(topic.name.clone(), p.id)))
            .map(|c| {
                let x = layout.cell_x(first, c.offset.max(first)).min(layout.lanes_x + layout.lanes_width);
                html! { <line class="committed" x1={fmt(x)} x2={fmt(x)} y1={fmt(top - 3.0)} y2={fmt(top + h + 3.0)}>
                    <title>{ format!("billing committed offset {}", c.offset) }</title></line> }
            });
        let lag = lag_rows
            .iter()
            .find(|r| r.topic == topic.name && r.partition == p.id)
            .and_then(|r| r.lag);
        html! {
            <g key={p.id.to_string()} class="lane" data-partition={p.id.to_string()} data-end={p.high_watermark.to_string()}>
                <rect class="lane-bg" x={fmt(layout.lanes_x)} y={fmt(top)} width={fmt(layout.lanes_width)} height={fmt(h)} rx="4" />
                <text class="lane-label" x={fmt(layout.lanes_x - 6.0)} y={fmt(y + 4.0)} text-anchor="end">{ format!("P{}", p.id) }</text>
                { for cells }
                { for markers }
                <text class="lane-meta" x={fmt(layout.lanes_x + layout.lanes_width + 4.0)} y={fmt(y + 4.0)}>
                    { format!("end {} · lag {}", p.high_watermark, lag.map_or("–".into(), |l| l.to_string())) }
                </text>
            </g>
        }
    });

    let producer_boxes = producers.iter().enumerate().map(|(i, id)| {
        let (x, y) = layout.producer_at(i as u32, producers.len() as u32);
        html! {
            <g key={format!("p{id}")} class="client">
                <rect x={fmt(x - 45.0)} y={fmt(y - 14.0)} width="90" height="28" rx="5" />
                <text x={fmt(x)} y={fmt(y + 4.0)}>{ format!("producer {id}") }</text>
            </g>
        }
    });
    let consumer_boxes = consumers.iter().enumerate().map(|(i, c)| {
        let (x, y) = layout.consumer_at(i as u32, consumers.len() as u32);
        let owns: Vec<String> = c.assignment.iter().map(|(_, p)| format!("P{p}")).collect();
        let owns_text = match owns.len() {
            0 => "owns nothing".to_string(),
            1..=3 => owns.join(" "),
            n => format!("{n} partitions"),
        };
        let group = c.group.as_deref().unwrap_or("no group").to_string();
        let state = match c.state {
            ConsumerState::Active => "",
            _ => "joining…",
        };
        html! {
            <g key={format!("c{}", c.id)} class={classes!("client", (!state.is_empty()).then_some("paused"))}>
                <title>{ format!("consumer {} in {group}: {}", c.id, if owns.is_empty() { "no partitions".to_string() } else { owns.join(", ") }) }</title>
                <rect x={fmt(x - 50.0)} y={fmt(y - 16.0)} width="100" height="32" rx="5" />
                <text x={fmt(x)} y={fmt(y - 2.0)}>{ format!("C{} · {group}", c.id) }</text>
                <text x={fmt(x)} y={fmt(y + 11.0)} class="small">{
                    if !state.is_empty() { state.to_string() } else { owns_text }
                }</text>
            </g>
        }
    });
    let dots = model.flights.iter().filter(|_| motion).filter_map(|f| {
        if f.topic != *topic.name {
            return None;
        }
        let t = geometry::progress(now, f.sent_at_ms, f.arrives_at_ms);
        let (from, to, dup) = match f.kind {
            FlightKind::Produce { producer } => {
                let i = producers.iter().position(|p| *p == producer)?;
                (
                    layout.producer_at(i as u32, producers.len() as u32),
                    layout.lane_entry(f.partition),
                    false,
                )
            }
            FlightKind::Deliver { consumer, duplicate } => {
                let i = consumers.iter().position(|c| c.id == consumer)?;
                (
                    layout.lane_exit(f.partition),
                    layout.consumer_at(i as u32, consumers.len() as u32),
                    duplicate,
                )
            }
        };
        let (x, y) = geometry::lerp(from, to, t);
        Some(html! {
            <circle class={classes!("flight", dup.then_some("duplicate"))} cx={fmt(x)} cy={fmt(y)} r="6"
                fill={key_colour(f.key.as_deref())} />
        })
    });
    html! {
        <figure class="diagram">
            <svg viewBox="0 0 760 260" role="img"
                aria-label={format!("Topic {} with {} partitions; {} consumers", topic.name, topic.partition_count(), consumers.len())}>
                { for producer_boxes }
                { for lanes }
                { for consumer_boxes }
                { for dots }
            </svg>
            <figcaption>
                { format!("Topic {}: cells are records (colour and letter = key; faded = not yet replicated to all in-sync replicas), the dark line is group billing's committed offset. Network latency is slowed to 150–350 ms so travel is visible.", topic.name) }
            </figcaption>
        </figure>
    }
}

/// A coordinate with one decimal, formatted through integers: `{:.1}` would pull Rust's
/// float-formatting machinery into the bundle.
fn fmt(v: f64) -> String {
    tenths(v)
}

/// `v` rounded to one decimal, as text.
pub fn tenths(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let t = t.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

// ---------------------------------------------------------------------------------------------
// Panels

fn record_card(model: &Model, dispatch: &Callback<Action>) -> Html {
    let Some((topic, partition, offset)) = &model.selected else {
        return html! {};
    };
    let Some(t) = model.world.topic(topic) else {
        return html! {};
    };
    let Some(record) = t
        .partitions
        .get(*partition as usize)
        .and_then(|p| p.log.get(*offset))
    else {
        return html! { <p class="card">{ "That record is no longer in the log (retention or compaction removed it)." }</p> };
    };
    let n = t.partition_count();
    let how = match &record.key {
        Some(k) => {
            let h = murmur2(k);
            let pos = to_positive(h);
            format!(
                "murmur2(\"{}\") = {h}; toPositive = {pos}; {pos} mod {n} = {}",
                String::from_utf8_lossy(k),
                (pos as u32) % n
            )
        }
        None => "null key: the sticky partitioner chose it (it stays on one partition until a batch fills)".to_string(),
    };
    let consumed_by: Vec<String> = model
        .world
        .groups()
        .filter(|g| {
            g.committed
                .get(&(t.name.clone(), *partition))
                .is_some_and(|c| c.offset > *offset)
        })
        .map(|g| g.id.to_string())
        .collect();
    let close = dispatch.reform(|_| Action::Select(None));
    let text = |b: &Option<crate::sim::log::Bytes>| {
        b.as_ref().map_or("null".to_string(), |v| {
            String::from_utf8_lossy(v).into_owned()
        })
    };
    html! {
        <section class="card" aria-label="Selected record">
            <button type="button" class="close" onclick={close} aria-label="Close the record card">{ "×" }</button>
            <dl>
                <dt>{ "key" }</dt><dd class="mono">{ text(&record.key) }</dd>
                <dt>{ "value" }</dt><dd class="mono">{ text(&record.value) }</dd>
                <dt>{ "partition · offset" }</dt><dd class="mono">{ format!("{partition} · {offset}") }</dd>
                <dt>{ "timestamp" }</dt><dd class="mono">{ format!("{} ms (CreateTime)", record.timestamp_ms) }</dd>
                <dt>{ "committed past it by" }</dt><dd>{ if consumed_by.is_empty() { "no group yet".to_string() } else { consumed_by.join(", ") } }</dd>
                <dt>{ "why this partition" }</dt><dd class="mono">{ how }</dd>
            </dl>
        </section>
    }
}

fn groups_panel(model: &Model, dispatch: &Callback<Action>) -> Html {
    let world = &model.world;
    let groups = world.groups().map(|g| {
        let members = g.members.values().map(|m| {
            let id = m.consumer;
            let stop = dispatch.reform(move |_| Action::StopConsumer(id));
            let crash = dispatch.reform(move |_| Action::CrashConsumer(id));
            let owns: Vec<String> = m.assignment.iter().map(|(t, p)| format!("{t}-{p}")).collect();
            let alive = world.consumer(id).is_some_and(|c| c.is_alive());
            html! {
                <li data-consumer={id.to_string()} data-owns={m.assignment.iter().map(|(_, p)| p.to_string()).collect::<Vec<_>>().join(",")}>
                    <span class="mono">{ format!("consumer {id}") }</span>
                    { if alive { "" } else { " (dead: waiting for session timeout)" } }
                    { format!(" owns {}", if owns.is_empty() { "nothing".to_string() } else { owns.join(", ") }) }
                    <button type="button" onclick={stop} disabled={!alive}>{ "Stop" }</button>
                    <button type="button" onclick={crash} disabled={!alive}>{ "Crash" }</button>
                </li>
            }
        });
        let total: u64 = world.group_lag(&g.id).iter().filter_map(|r| r.lag).sum();
        let group_name = g.id.to_string();
        let add = dispatch.reform(move |_| Action::AddConsumer { group: group_name.clone() });
        html! {
            <div class="group" data-group={g.id.to_string()} data-state={g.state.name()} data-generation={g.generation.to_string()}>
                <h4>{ format!("group {} · {} · generation {} · {} · total lag {total}", g.id, g.state.name(), g.generation, g.protocol.map_or("no assignor yet", |p| p.name())) }</h4>
                <ul>{ for members }</ul>
                <button type="button" onclick={add}>{ "Add consumer" }</button>
            </div>
        }
    });
    html! {
        <section class="panel" aria-label="Consumer groups">
            <h3>{ "Consumer groups" }</h3>
            <AddGroup dispatch={dispatch.clone()} />
            { for groups }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct AddGroupProps {
    dispatch: Callback<Action>,
}

/// A new group of two consumers, with the assignor the learner picks.
#[component]
fn AddGroup(props: &AddGroupProps) -> Html {
    let assignor = use_state(|| AssignorKind::Range);
    let on_change = {
        let assignor = assignor.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            assignor.set(AssignorKind::parse(&v).unwrap_or(AssignorKind::Range));
        })
    };
    let chosen = *assignor;
    let add = props
        .dispatch
        .reform(move |_| Action::AddGroup { assignor: chosen });
    html! {
        <p>
            <label>{ "Assignor " }
                <select onchange={on_change}>
                    { for AssignorKind::ALL.into_iter().map(|a| html! {
                        <option value={a.name()} selected={a == chosen}>{ a.name() }</option>
                    }) }
                </select>
            </label>
            { " " }
            <button type="button" onclick={add}>{ "Add group" }</button>
        </p>
    }
}

fn cluster_panel(model: &Model, dispatch: &Callback<Action>) -> Html {
    let world = &model.world;
    let n = partition_count(model);
    let grow = dispatch.reform(move |_| Action::IncreasePartitions { to: n + 1 });
    let brokers = world.brokers().into_iter().map(|b| {
        let id = b.id;
        let toggle = if b.running {
            dispatch.reform(move |_| Action::StopBroker(id))
        } else {
            dispatch.reform(move |_| Action::StartBroker(id))
        };
        html! {
            <li>
                { format!("broker {id}: {}", if b.running { "running" } else { "stopped" }) }
                <button type="button" onclick={toggle}>{ if b.running { "Stop" } else { "Start" } }</button>
            </li>
        }
    });
    let next_broker = world.brokers().iter().map(|b| b.id).max().unwrap_or(0) + 1;
    let add_broker = dispatch.reform(move |_| Action::StartBroker(next_broker));
    html! {
        <section class="panel" aria-label="Cluster">
            <h3>{ "Cluster" }</h3>
            <ul>{ for brokers }</ul>
            <button type="button" onclick={add_broker} disabled={next_broker > 9}>{ "Add broker" }</button>
            <button type="button" onclick={grow} disabled={n >= 64}>{ format!("Increase orders to {} partitions", n + 1) }</button>
        </section>
    }
}

fn lag_chart(model: &Model) -> Html {
    let samples = &model.lag_history;
    if samples.len() < 2 {
        return html! {};
    }
    let max = samples
        .iter()
        .flat_map(|(_, g)| g.iter().map(|(_, l)| *l))
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h) = (300.0, 60.0);
    let n = samples.len() as f64;
    let points: Vec<String> = samples
        .iter()
        .enumerate()
        .map(|(i, (_, groups))| {
            let lag = groups
                .iter()
                .find(|(g, _)| g == model::GROUP)
                .map_or(0, |(_, l)| *l);
            format!(
                "{},{}",
                tenths(w * i as f64 / (n - 1.0)),
                tenths(h - h * lag as f64 / max as f64)
            )
        })
        .collect();
    html! {
        <figure class="lag-chart">
            <svg viewBox="0 0 300 60" role="img" aria-label={format!("Lag of group billing over the last {} seconds; at most {max} records", samples.len())}>
                <polyline points={points.join(" ")} />
            </svg>
            <figcaption>{ format!("billing total lag, records (max {max}), one point per second") }</figcaption>
        </figure>
    }
}

fn event_log(model: &Model, dispatch: &Callback<Action>, store: &UseReducerHandle<Store>) -> Html {
    let filter = dispatch.reform(|e: InputEvent| {
        Action::SetFilter(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });
    // The export is built when the link is clicked, not on every frame.
    let export = |json: bool| {
        let store = store.clone();
        Callback::from(move |e: MouseEvent| {
            let model = store.model.borrow();
            let href = if json {
                data_url("application/json", &model.log_json())
            } else {
                data_url("text/csv", &model.log_csv())
            };
            e.target_unchecked_into::<web_sys::HtmlAnchorElement>()
                .set_href(&href);
        })
    };
    let lines: Vec<&model::LogLine> = model.filtered_log().collect();
    let shown = lines.iter().rev().take(60).map(|l| {
        html! { <li><span class="mono">{ format_ms(l.at_ms) }</span>{ " " }<span class={classes!("tag", l.category)}>{ l.category }</span>{ " " }{ l.text.clone() }</li> }
    });
    html! {
        <section class="panel event-log" aria-label="Event log">
            <h3>{ "Event log" }</h3>
            <label>{ "Filter " }<input type="text" value={model.filter.clone()} oninput={filter} placeholder="group, produce, P1…" /></label>
            <a href="#" onclick={export(false)} download="eda-playground-events.csv">{ "Export CSV" }</a>
            { " " }
            <a href="#" onclick={export(true)} download="eda-playground-events.json">{ "Export JSON" }</a>
            <ol reversed=true>{ for shown }</ol>
        </section>
    }
}

/// A `data:` URL for a download link (percent-encoded, so any text is safe).
fn data_url(mime: &str, body: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in body.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tenths;

    #[test]
    fn tenths_rounds_to_one_decimal() {
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(12.34), "12.3");
        assert_eq!(tenths(12.35), "12.4");
        assert_eq!(tenths(-0.26), "-0.3");
        assert_eq!(tenths(760.0), "760.0");
    }
}
