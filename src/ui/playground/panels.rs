//! The panels under the diagram: the selected record, consumer groups, the cluster (brokers
//! and topics), the lag chart and the event log.
//!
//! Each is a component whose props are a small snapshot (or a version number plus the shared
//! model), so a frame in which nothing they show changed costs no DOM work. The event log is
//! redrawn at most a few times a second while playing (see `Playground`): at 1,000 records/s it
//! gains thousands of lines a second, more than anyone can read.

use yew::prelude::*;

use super::diagram::{MAX_GROUP_MARKS, NodeKeys, group_dash, group_key};
use super::{ModelRef, tenths};
use crate::sim::assignor::AssignorKind;
use crate::sim::partitioner::{murmur2, to_positive};
use crate::ui::components::Term;
use crate::ui::session::{self as model, Action, Session as Model, format_ms};

// ---------------------------------------------------------------------------------------------
// The selected record

#[derive(Properties, PartialEq)]
pub struct RecordCardProps {
    pub model: ModelRef,
    /// `(topic, partition, offset)` of the record shown.
    pub selected: Option<(String, u32, u64)>,
    /// Redrawn when this changes (what has committed past the record moves on).
    pub version: u64,
    pub dispatch: Callback<Action>,
}

/// The selector of the diagram's cell for `offset` in lane `partition`.
fn cell_selector(partition: u32, offset: u64) -> String {
    format!(".diagram g.lane[data-partition=\"{partition}\"] g.cell[data-offset=\"{offset}\"]")
}

/// Moves focus to the element `css` selects, if there is one.
fn focus(css: &str) {
    use wasm_bindgen::JsCast;
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(css).ok().flatten());
    if let Some(el) = el {
        if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = el.focus();
        } else if let Some(el) = el.dyn_ref::<web_sys::SvgElement>() {
            let _ = el.focus();
        }
    }
}

/// Where the card stands, for the view and the tests (`data-anchor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    /// Beside its cell.
    Cell,
    /// The cell is not drawn (the lane moved on past it): beside the lane's start, where
    /// the cell slid out.
    Lane,
}

/// Places the card beside the selected cell (right of it, else left, else below), inside
/// the viewport; when the cell is not drawn (the lane moved on past it), beside the start of
/// its lane; without the lane either, at the viewport's top right. Says which it did.
fn place_beside_cell(card: &web_sys::HtmlElement, partition: u32, offset: u64) -> Anchor {
    let Some(window) = web_sys::window() else {
        return Anchor::Lane;
    };
    let Some(document) = window.document() else {
        return Anchor::Lane;
    };
    let (vw, vh) = document.document_element().map_or((1280.0, 800.0), |de| {
        (f64::from(de.client_width()), f64::from(de.client_height()))
    });
    let (w, h) = (
        f64::from(card.offset_width()),
        f64::from(card.offset_height()),
    );
    let gap = 8.0;
    let (mut x, mut y) = (vw - w - gap, gap);
    let cell = document
        .query_selector(&cell_selector(partition, offset))
        .ok()
        .flatten();
    let anchor = if cell.is_some() {
        Anchor::Cell
    } else {
        Anchor::Lane
    };
    let target = cell.or_else(|| {
        document
            .query_selector(&format!(
                ".diagram g.lane[data-partition=\"{partition}\"] g.cell"
            ))
            .ok()
            .flatten()
    });
    if let Some(target) = target {
        let r = target.get_bounding_client_rect();
        y = r.top() + r.height() / 2.0 - h / 2.0;
        if r.right() + gap + w <= vw - gap {
            x = r.right() + gap;
        } else if r.left() - gap - w >= gap {
            x = r.left() - gap - w;
        } else {
            x = r.left();
            y = if r.bottom() + gap + h <= vh - gap {
                r.bottom() + gap
            } else {
                r.top() - gap - h
            };
        }
    }
    let x = x.min(vw - w - gap).max(gap);
    let y = y.min(vh - h - gap).max(gap);
    // Absolutely placed in its offset parent (the view), so it scrolls with the page.
    let (px, py) = card
        .offset_parent()
        .map(|p| p.get_bounding_client_rect())
        .map_or((0.0, 0.0), |r| (r.left(), r.top()));
    let (left, top) = (
        format!("{}px", (x - px).round()),
        format!("{}px", (y - py).round()),
    );
    // Written only when it moved: most frames the cell stands still.
    let style = card.style();
    if style.get_property_value("left").ok().as_deref() != Some(left.as_str()) {
        let _ = style.set_property("left", &left);
    }
    if style.get_property_value("top").ok().as_deref() != Some(top.as_str()) {
        let _ = style.set_property("top", &top);
    }
    anchor
}

/// The selected record's details, as a popover beside its cell: focus moves into it; Esc
/// (or ×) closes it and gives focus back to the cell. It follows its cell every frame while
/// the lane moves; when the cell is no longer drawn it says so and stands by the lane's start,
/// so it never points at nothing.
#[component]
pub fn RecordCard(props: &RecordCardProps) -> Html {
    let card = use_node_ref();
    let anchor = use_state_eq(|| Anchor::Cell);
    {
        let card = card.clone();
        let anchor = anchor.clone();
        use_effect_with(props.selected.clone(), move |selected| {
            anchor.set(Anchor::Cell);
            let follow = match (selected, card.cast::<web_sys::HtmlElement>()) {
                (Some((_, partition, offset)), Some(el)) => {
                    let (partition, offset) = (*partition, *offset);
                    anchor.set(place_beside_cell(&el, partition, offset));
                    focus(".card.popover .close");
                    let last = std::rc::Rc::new(std::cell::Cell::new(Anchor::Cell));
                    Some(crate::ui::hooks::FrameLoop::start(Callback::from(
                        move |_: f64| {
                            let Some(el) = card.cast::<web_sys::HtmlElement>() else {
                                return;
                            };
                            let now = place_beside_cell(&el, partition, offset);
                            if last.replace(now) != now {
                                anchor.set(now);
                            }
                        },
                    )))
                }
                _ => None,
            };
            move || drop(follow)
        });
    }
    let Some((_, partition, offset)) = props.selected.clone() else {
        return html! {};
    };
    let back_to_cell = move || focus(&cell_selector(partition, offset));
    let close = {
        let dispatch = props.dispatch.clone();
        let back = back_to_cell;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Select(None));
            back();
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                dispatch.emit(Action::Select(None));
                back_to_cell();
            }
        })
    };
    let model = props.model.0.borrow();
    // The cell is not drawn while the record is still in the log: the lane moved on past it.
    let gone = *anchor == Anchor::Lane && record_in_log(&model).is_some();
    html! {
        <section class="card popover" ref={card} role="dialog" aria-label={format!("Record at partition {partition}, offset {offset}")}
            data-partition={partition.to_string()} data-offset={offset.to_string()}
            data-anchor={if gone { "lane" } else { "cell" }} {onkeydown}>
            <button type="button" class="close" onclick={close} aria-label="Close the record card (Esc)">{ "×" }</button>
            if gone {
                <p class="card-gone" role="status">{ format!("Offset {offset} has slid off the start of lane P{partition}: the lane draws only its newest records.") }</p>
            }
            { card_body(&model) }
        </section>
    }
}

/// The selected record, if its partition's log holds it at this moment.
fn record_in_log(model: &Model) -> Option<&crate::sim::log::Record> {
    let (topic, partition, offset) = model.selected.as_ref()?;
    model
        .world()
        .topic(topic)?
        .partitions
        .get(*partition as usize)?
        .log
        .get(*offset)
}

fn card_body(model: &Model) -> Html {
    let Some((topic, partition, offset)) = &model.selected else {
        return html! {};
    };
    let Some(t) = model.world().topic(topic) else {
        return html! {};
    };
    let Some(record) = record_in_log(model) else {
        let end = t
            .partitions
            .get(*partition as usize)
            .map_or(0, |p| p.log.log_end_offset());
        // Rewound to before the record was written, or removed by retention or compaction.
        let text = if *offset >= end {
            format!(
                "At this moment the log has no offset {offset} yet: it ends before offset {end}."
            )
        } else {
            "That record is no longer in the log (retention or compaction removed it).".to_string()
        };
        return html! { <p>{ text }</p> };
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
        .world()
        .groups()
        .filter(|g| {
            g.committed
                .get(&(t.name.clone(), *partition))
                .is_some_and(|c| c.offset > *offset)
        })
        .map(|g| g.id.to_string())
        .collect();
    let text = |b: &Option<crate::sim::log::Bytes>| {
        b.as_ref().map_or("null".to_string(), |v| {
            String::from_utf8_lossy(v).into_owned()
        })
    };
    html! {
            <dl>
                <dt>{ "key" }</dt><dd class="mono">{ text(&record.key) }</dd>
                <dt>{ "value" }</dt><dd class="mono">{ text(&record.value) }</dd>
                <dt>{ "partition · offset" }</dt><dd class="mono">{ format!("{partition} · {offset}") }</dd>
                <dt>{ "timestamp" }</dt><dd class="mono">{ format!("{} ms (CreateTime)", record.timestamp_ms) }</dd>
                <dt>{ "committed past it by" }</dt><dd>{ if consumed_by.is_empty() { "no group yet".to_string() } else { consumed_by.join(", ") } }</dd>
                <dt>{ "why this partition" }</dt><dd class="mono">{ how }</dd>
            </dl>
    }
}

// ---------------------------------------------------------------------------------------------
// Consumer groups

/// A member of a group, as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberSnap {
    pub consumer: u32,
    /// Its `client.id`.
    pub name: String,
    pub owns: Vec<(String, u32)>,
    pub alive: bool,
}

/// A group, as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSnap {
    pub id: String,
    pub state: &'static str,
    pub generation: i32,
    pub protocol: &'static str,
    pub total_lag: u64,
    pub members: Vec<MemberSnap>,
}

/// What the groups panel shows, read from the engine.
pub fn group_snaps(model: &Model) -> Vec<GroupSnap> {
    let world = model.world();
    world
        .groups()
        .map(|g| GroupSnap {
            id: g.id.to_string(),
            state: g.state.name(),
            generation: g.generation,
            protocol: g.protocol.map_or("no assignor yet", |p| p.name()),
            total_lag: world.group_lag(&g.id).iter().filter_map(|r| r.lag).sum(),
            members: g
                .members
                .values()
                .map(|m| MemberSnap {
                    consumer: m.consumer,
                    name: m.client_id.clone(),
                    owns: m
                        .assignment
                        .iter()
                        .map(|(t, p)| (t.to_string(), *p))
                        .collect(),
                    alive: world.consumer(m.consumer).is_some_and(|c| c.is_alive()),
                })
                .collect(),
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct GroupsProps {
    pub groups: Vec<GroupSnap>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn GroupsPanel(props: &GroupsProps) -> Html {
    let dispatch = &props.dispatch;
    let groups = props.groups.iter().map(|g| {
        let members = g.members.iter().map(|m| {
            let id = m.consumer;
            let stop = dispatch.reform(move |_| Action::StopConsumer(id));
            let crash = dispatch.reform(move |_| Action::CrashConsumer(id));
            let owns: Vec<String> = m.owns.iter().map(|(t, p)| format!("{t}-{p}")).collect();
            let parts: Vec<String> = m.owns.iter().map(|(_, p)| p.to_string()).collect();
            html! {
                <li key={id} data-consumer={id.to_string()} data-owns={parts.join(",")}>
                    <span class="mono">{ m.name.clone() }</span>
                    { if m.alive { "" } else { " (dead: waiting for session timeout)" } }
                    { format!(" owns {}", if owns.is_empty() { "nothing".to_string() } else { owns.join(", ") }) }
                    <button type="button" onclick={stop} disabled={!m.alive} aria-label={format!("Stop {}", m.name)}>{ "Stop" }</button>
                    <button type="button" onclick={crash} disabled={!m.alive} aria-label={format!("Crash {}", m.name)}>{ "Crash" }</button>
                </li>
            }
        });
        let group_name = g.id.clone();
        let add = dispatch.reform(move |_| Action::AddConsumer {
            group: group_name.clone(),
        });
        html! {
            <div class="group" key={g.id.clone()} data-group={g.id.clone()} data-state={g.state} data-generation={g.generation.to_string()}>
                <h4>{ format!("group {} · {} · generation {} · {} · total lag {}", g.id, g.state, g.generation, g.protocol, g.total_lag) }</h4>
                <ul>{ for members }</ul>
                <button type="button" onclick={add}>{ "Add consumer" }</button>
            </div>
        }
    });
    html! {
        <section class="panel" aria-label="Consumer groups">
            <h3><Term word="consumer group" text="Consumer groups" /></h3>
            <AddGroup dispatch={dispatch.clone()} />
            // In a wrapper of their own: Yew diffs an unkeyed list from its end, so a group
            // added beside the Assignor list would shift it and rebuild it (back to range).
            <div class="groups">{ for groups }</div>
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
                <select class="assignor" onchange={on_change}>
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

// ---------------------------------------------------------------------------------------------
// The cluster: brokers and topics

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    /// `(broker id, running)`.
    pub brokers: Vec<(u32, bool)>,
    /// The shown topic and its partition count.
    pub topic: AttrValue,
    pub partitions: u32,
    /// Topics the learner may show (internal ones left out).
    pub topics: Vec<String>,
    /// Kafka's refusal of the last topic asked for.
    pub topic_error: Option<String>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ClusterPanel(props: &ClusterProps) -> Html {
    let dispatch = &props.dispatch;
    let n = props.partitions;
    let grow = dispatch.reform(move |_| Action::IncreasePartitions { to: n + 1 });
    let brokers = props.brokers.iter().map(|&(id, running)| {
        let toggle = if running {
            dispatch.reform(move |_| Action::StopBroker(id))
        } else {
            dispatch.reform(move |_| Action::StartBroker(id))
        };
        html! {
            <li key={id} data-broker={id.to_string()} data-running={running.to_string()}>
                { format!("broker {id}: {}", if running { "running" } else { "stopped" }) }
                <button type="button" onclick={toggle} aria-label={format!("{} broker {id}", if running { "Stop" } else { "Start" })}>
                    { if running { "Stop" } else { "Start" } }
                </button>
            </li>
        }
    });
    let next_broker = props.brokers.iter().map(|b| b.0).max().unwrap_or(0) + 1;
    let add_broker = dispatch.reform(move |_| Action::StartBroker(next_broker));
    let show = dispatch.reform(|e: Event| {
        Action::ShowTopic(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    html! {
        <section class="panel cluster" aria-label="Cluster">
            <h3>{ "Cluster" }</h3>
            <ul class="brokers">{ for brokers }</ul>
            <p class="row">
                <button type="button" onclick={add_broker} disabled={next_broker > 9}>{ "Add broker" }</button>
                <button type="button" onclick={grow} disabled={n >= 64}>{ format!("Increase {} to {} partitions", props.topic, n + 1) }</button>
            </p>
            <p class="row">
                <label>{ "Show topic " }
                    <select onchange={show} class="show-topic">
                        { for props.topics.iter().map(|t| html! {
                            <option value={t.clone()} selected={*t == *props.topic}>{ t.clone() }</option>
                        }) }
                    </select>
                </label>
            </p>
            <CreateTopic dispatch={dispatch.clone()} error={props.topic_error.clone()} live={props.brokers.iter().filter(|b| b.1).count() as u32} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CreateTopicProps {
    dispatch: Callback<Action>,
    error: Option<String>,
    /// Live brokers (a hint for the replication factor).
    live: u32,
}

/// `kafka-topics.sh --create`, as a form: name, partitions, replication factor and
/// `cleanup.policy`. The engine checks the values and answers with Kafka's messages.
#[component]
fn CreateTopic(props: &CreateTopicProps) -> Html {
    // Controlled fields: what the learner typed survives the form's re-renders.
    let name = use_state(|| "payments".to_string());
    let partitions = use_state(|| "3".to_string());
    let rf = use_state(|| "1".to_string());
    let policy = use_state(|| "delete".to_string());
    let typed = |field: &UseStateHandle<String>| {
        let field = field.clone();
        Callback::from(move |e: InputEvent| {
            field.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
        })
    };
    let on_policy = {
        let policy = policy.clone();
        Callback::from(move |e: Event| {
            policy.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        })
    };
    let onsubmit = {
        let (name, partitions, rf, policy) =
            (name.clone(), partitions.clone(), rf.clone(), policy.clone());
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Not a number (or out of range) becomes 0, which Kafka refuses in its own words.
            let number = |v: &str| v.trim().parse::<u32>().unwrap_or(0);
            dispatch.emit(Action::CreateTopic {
                name: (*name).clone(),
                partitions: number(&partitions),
                replication_factor: number(&rf),
                cleanup_policy: (*policy).clone(),
            });
        })
    };
    html! {
        <form class="create-topic" {onsubmit} aria-label="Create a topic" novalidate=true>
            <h4>{ "Create a topic" }</h4>
            <div class="row">
                <label>{ "Name " }<input type="text" name="topic" value={(*name).clone()} oninput={typed(&name)}
                    size="12" autocomplete="off" spellcheck="false" /></label>
                <label>{ "Partitions " }<input type="number" name="partitions" value={(*partitions).clone()}
                    oninput={typed(&partitions)} min="1" max="64" class="num" /></label>
                <label>{ "Replication factor " }<input type="number" name="replication-factor" value={(*rf).clone()}
                    oninput={typed(&rf)} min="1" max="9" class="num" aria-describedby="rf-hint" /></label>
                <label>{ "cleanup.policy " }
                    <select name="cleanup-policy" onchange={on_policy}>
                        <option value="delete" selected={*policy == "delete"}>{ "delete" }</option>
                        <option value="compact" selected={*policy == "compact"}>{ "compact" }</option>
                    </select>
                </label>
                <button type="submit">{ "Create topic" }</button>
            </div>
            <p class="hint" id="rf-hint">{ format!("{} broker(s) running: the replication factor can be at most that.", props.live) }</p>
            if let Some(error) = &props.error {
                <p class="form-error" role="alert">{ error.clone() }</p>
            }
        </form>
    }
}

// ---------------------------------------------------------------------------------------------
// Lag chart

#[derive(Properties, PartialEq)]
pub struct LagChartProps {
    pub model: ModelRef,
    /// `(samples, time of the last)`: the chart changes only with a new sample.
    pub version: (usize, u64),
}

#[component]
pub fn LagChart(props: &LagChartProps) -> Html {
    let model = props.model.0.borrow();
    let samples = &model.trace().lag_history;
    if samples.len() < 2 {
        return html! {};
    }
    // The groups of the newest sample, by name (a group that has gone drops off the chart).
    let groups: Vec<&str> = samples
        .back()
        .map(|s| s.lags.iter().map(|(name, _)| name.as_str()).collect())
        .unwrap_or_default();
    let groups = &groups[..groups.len().min(MAX_GROUP_MARKS)];
    let max = samples
        .iter()
        .flat_map(|s| s.lags.iter().map(|(_, l)| *l))
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h) = (300.0, 60.0);
    let n = samples.len() as f64;
    let lines = groups.iter().enumerate().map(|(i, group)| {
        let mut points = String::new();
        for (j, sample) in samples.iter().enumerate() {
            let lag = sample
                .lags
                .iter()
                .find(|(g, _)| g == group)
                .map_or(0, |(_, l)| *l);
            if !points.is_empty() {
                points.push(' ');
            }
            points.push_str(&tenths(w * j as f64 / (n - 1.0)));
            points.push(',');
            points.push_str(&tenths(h - h * lag as f64 / max as f64));
        }
        html! { <polyline key={*group} points={points} stroke-dasharray={group_dash(i)} /> }
    });
    let legend = groups
        .iter()
        .enumerate()
        .map(|(i, group)| group_key(i, group, None));
    let now: Vec<String> = groups
        .iter()
        .map(|g| {
            let lag = samples
                .back()
                .and_then(|s| s.lags.iter().find(|(name, _)| name == g))
                .map_or(0, |(_, l)| *l);
            format!("{g} {lag}")
        })
        .collect();
    html! {
        <figure class="lag-chart">
            <svg viewBox="0 0 300 60" role="img" aria-label={format!("Lag on the topic per group over the last {} seconds, at most {max} records; now {}", samples.len(), now.join(", "))}>
                { for lines }
            </svg>
            <figcaption>{ format!("Lag on this topic per group, records (max {max}), one point per second:") }{ for legend }</figcaption>
        </figure>
    }
}

// ---------------------------------------------------------------------------------------------
// Event log

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub model: ModelRef,
    /// The log version to show (throttled by the parent while playing).
    pub version: u64,
    pub filter: AttrValue,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let keys = use_mut_ref(NodeKeys::default);
    let filter = props.dispatch.reform(|e: InputEvent| {
        Action::SetFilter(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });
    // The export is built when the link is clicked, not on every frame.
    let export = |json: bool| {
        let model = props.model.clone();
        Callback::from(move |e: MouseEvent| {
            let model = model.0.borrow();
            let href = if json {
                crate::ui::components::data_url("application/json", &model.trace().log_json())
            } else {
                crate::ui::components::data_url("text/csv", &model.trace().log_csv())
            };
            e.target_unchecked_into::<web_sys::HtmlAnchorElement>()
                .set_href(&href);
        })
    };
    let model = props.model.0.borrow();
    let lines: Vec<(u64, &model::LogLine)> = model.filtered_log().collect();
    // The newest 60, newest first; a line keeps its node while it is shown (see NodeKeys).
    let newest = &lines[lines.len().saturating_sub(60)..];
    let mut nodes = keys
        .borrow_mut()
        .assign(newest.iter().map(|(n, _)| *n).collect());
    nodes.reverse();
    let shown = newest.iter().rev().zip(nodes).map(|((_, l), node)| {
        html! { <li key={node}><span class="mono">{ format_ms(l.at_ms) }</span>{ " " }<span class={classes!("tag", l.category)}>{ l.category }</span>{ " " }{ l.text.clone() }</li> }
    });
    html! {
        <section class="panel event-log" aria-label="Event log">
            <h3>{ "Event log" }</h3>
            <label>{ "Filter " }<input type="text" value={props.filter.clone()} oninput={filter} placeholder="group, produce, P1…" /></label>
            <a href="#" onclick={export(false)} download="eda-playground-events.csv">{ "Export CSV" }</a>
            { " " }
            <a href="#" onclick={export(true)} download="eda-playground-events.json">{ "Export JSON" }</a>
            <ol reversed=true>{ for shown }</ol>
        </section>
    }
}
