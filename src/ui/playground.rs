//! The Playground view: producers → partitions → consumer groups, driven by the engine.
//!
//! Everything drawn is the engine's state or trace: lanes are partition logs, cells are
//! records, dots are records in flight (placed by `sent_at`/`arrives_at`), member boxes are
//! the group coordinator's members, the replica table is the controller's view of leaders and
//! ISRs. The model (`playground/model.rs`) is plain Rust; this file and its children
//! (`diagram.rs`, `panels.rs`) only draw it and turn input into actions.
//!
//! Per-frame cost is kept small (the page must hold 60 fps while 1,000 records/s flow through
//! 12 partitions to 3 groups): the callback every child gets is created once, children are
//! components with snapshot or version props so unchanged ones are skipped, and the event log
//! and the live region are refreshed once every [`LOG_REFRESH_FRAMES`] frames while playing.
//! Only the records in flight move every frame, on their own layer. While playing, the rest
//! (lanes, clock and counters, groups, replicas, cluster) is re-read from the model once every
//! [`SLOW_REFRESH_FRAMES`] frames (~10 Hz), each part in its own frame of that cycle so that no
//! frame redraws them all; after any learner action, or while paused, everything is re-read
//! at once. The numbers stay exact: each is the engine's value at its last refresh.

mod diagram;
mod panels;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::sim::client::Acks;
use crate::ui::components::{self, error_banner};
use crate::ui::embed::{self, EmbedHost, Panel, Panels};
use crate::ui::geometry::{self, WIDE_QUERY};
use crate::ui::hooks::{SimKey, use_frames, use_media, use_reduced_motion, use_sim_keys};
use crate::ui::route::current_hash;
use crate::ui::session::{self as model, Action, Session as Model};

/// The session behind Yew's reducer.
type Store = crate::ui::store::Store<Model>;

/// While playing, the event log and the live region are redrawn once in this many frames
/// (2 Hz at 60 fps; at 1,000 records/s the log gains thousands of lines a second, more than
/// anyone reads). Redrawing its 60 lines is the costliest refresh, so it is kept to under 5%
/// of frames and falls in the cycle's lightest slot, [`SLOT_LOG`].
pub const LOG_REFRESH_FRAMES: u64 = 30;

/// While playing, each slowly changing part is re-read from the model once in this many
/// frames (~10 Hz at 60 fps); the parts take turns (see [`Refresh`]).
pub const SLOW_REFRESH_FRAMES: u64 = 6;

/// The frames of the refresh cycle the slow parts take. Lanes take slot `partition` (so two of
/// twelve lanes are re-read per frame); these take the remaining work in between.
const SLOT_CONTROLS: u64 = 1;
const SLOT_GROUPS: u64 = 3;
const SLOT_CLUSTER: u64 = 5;
/// The event log's slot in its own, longer cycle: it coincides with [`SLOT_CLUSTER`], whose
/// snapshot rarely changes.
const SLOT_LOG: u64 = 29;

/// Which slow parts this render re-reads from the model.
#[derive(Clone, Copy, Debug)]
pub struct Refresh {
    /// Renders so far while playing.
    frame: u64,
    /// Re-read everything (paused, or the learner just acted).
    all: bool,
}

impl Refresh {
    /// Whether the part in `slot` of the cycle is re-read now.
    pub fn due(self, slot: u64) -> bool {
        self.all || self.frame % SLOW_REFRESH_FRAMES == slot % SLOW_REFRESH_FRAMES
    }

    /// Whether everything is re-read now.
    pub fn due_all(self) -> bool {
        self.all
    }
}

/// What the slow parts showed at their last refresh (their props between refreshes).
#[derive(Default)]
struct Shown {
    frame: u64,
    controls: Option<ControlsModel>,
    groups: Vec<panels::GroupSnap>,
    brokers: Vec<(u32, bool)>,
    topics: Vec<String>,
    replicas: Vec<diagram::ReplicaRow>,
    diagram: diagram::DiagramShown,
}

/// The shared model, handed to memoised children that read it when their version changes.
/// Equal when it is the same model (the version props say whether its content changed).
#[derive(Clone)]
pub struct ModelRef(pub Rc<RefCell<Model>>);

impl PartialEq for ModelRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the event log and the live region show, refreshed once every
/// [`LOG_REFRESH_FRAMES`] renders while playing, at once when paused or after an action.
#[derive(Default)]
struct LogShown {
    version: u64,
    announcement: String,
}

/// What a host of the Playground may ask of it.
#[derive(Properties, PartialEq, Clone, Default)]
pub struct PlaygroundProps {
    /// Only these panels (a lesson step's `panels:`); `None`: an embed's `panels=`, else all.
    #[prop_or_default]
    pub panels: Option<Panels>,
}

/// The Playground.
#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let shared = use_context::<model::SharedSession>();
    let store = use_reducer(move || {
        let hash = current_hash();
        match shared {
            // The page's session: the Console may have changed its world meanwhile.
            Some(shared) => Store {
                model: shared.session(|| Model::from_hash(&hash)),
            },
            None => Store::new(Model::from_hash(&hash)),
        }
    });
    let playing = store.model.borrow().playing;
    // Asked once and kept current by the queries' change events, not every frame.
    // Narrow enough for the compact diagram: a phone, a small iframe.
    let narrow = !use_media(WIDE_QUERY);
    let motion = !use_reduced_motion();
    use_frames(playing, store.dispatcher(), |wall_ms| Action::Frame {
        wall_ms,
    });
    // In an embed: only the panels the link asks for, and the host's messages come through
    // this view's dispatcher.
    let host = use_context::<EmbedHost>();
    let panels = props
        .panels
        .unwrap_or_else(|| host.as_ref().map_or(Panels::ALL, |h| h.params().panels));
    // Set by every learner action (not by frames): the next render re-reads everything.
    let acted = use_mut_ref(|| true);
    // One callback for the life of the view, so children's props stay equal between frames.
    let dispatch = {
        let dispatcher = store.dispatcher();
        let acted = acted.clone();
        (*use_memo((), move |_| {
            Callback::from(move |action: Action| {
                *acted.borrow_mut() = true;
                dispatcher.dispatch(action)
            })
        }))
        .clone()
    };
    {
        let (host, dispatch) = (host.clone(), dispatch.clone());
        use_effect_with((), move |_| {
            if let Some(host) = &host {
                host.set_driver(Some(dispatch));
            }
            move || {
                if let Some(host) = host {
                    host.set_driver(None);
                }
            }
        });
    }
    {
        // The host hears of every play, pause, seek, step and speed change.
        let m = store.model.borrow();
        let (now, horizon, speed) = (m.timeline.now_ms(), m.horizon_ms(), m.speed);
        let moved = if m.playing { u64::MAX } else { now };
        let embedded = host.is_some();
        drop(m);
        use_effect_with(
            (
                playing,
                moved,
                store.model.borrow().rebuilds,
                speed.to_bits(),
            ),
            move |_| {
                if embedded {
                    embed::post_message(&embed::moment_message(now, playing, horizon, speed));
                }
            },
        );
    }
    let model_ref = ModelRef(Rc::clone(&store.model));
    let shown = use_mut_ref(LogShown::default);
    let slow = use_mut_ref(Shown::default);
    let model = store.model.borrow();
    let refresh = {
        let mut slow = slow.borrow_mut();
        slow.frame += 1;
        let all = !model.playing || std::mem::take(&mut *acted.borrow_mut());
        Refresh {
            frame: slow.frame,
            all,
        }
    };
    let (log_version, announcement) = {
        let mut s = shown.borrow_mut();
        let due = refresh.all || refresh.frame % LOG_REFRESH_FRAMES == SLOT_LOG;
        // A seek restores an earlier log (and its version): the rebuild count tells them apart.
        let version = model.trace().log_version ^ (model.rebuilds << 40);
        if s.version != version && due {
            s.version = version;
            s.announcement.clone_from(&model.trace().announcement);
        }
        if !model.playing {
            s.announcement.clone_from(&model.trace().announcement);
        }
        (s.version, s.announcement.clone())
    };
    {
        // Space, → and ← for the whole page (not only when focus is inside the view).
        let dispatch = dispatch.clone();
        let now = model.timeline.now_ms();
        use_sim_keys(Callback::from(move |key: SimKey| {
            dispatch.emit(match key {
                SimKey::Space => Action::TogglePlay,
                SimKey::Right => Action::Step,
                // Back as ← on the Time slider goes (the model keeps the seek in its range).
                SimKey::Left => Action::Seek(
                    components::time::seek_key_target("ArrowLeft", now, 0, u64::MAX).unwrap_or(now),
                ),
            })
        }));
    }
    let mut slow = slow.borrow_mut();
    let slow = &mut *slow;
    if refresh.due(SLOT_CONTROLS) || slow.controls.is_none() {
        slow.controls = Some(snapshot_controls(&model));
    }
    if refresh.due(SLOT_GROUPS) {
        slow.groups = panels::group_snaps(&model);
    }
    if refresh.due(SLOT_CLUSTER) {
        let world = model.world();
        slow.brokers = world.brokers().iter().map(|b| (b.id, b.running)).collect();
        slow.topics = world
            .topics()
            .filter(|t| !t.internal)
            .map(|t| t.name.to_string())
            .collect();
        slow.replicas = diagram::replica_rows(&model);
    }
    let controls = slow
        .controls
        .clone()
        .unwrap_or_else(|| snapshot_controls(&model));
    let topic = AttrValue::from(model.trace().topic.clone());
    let lag_version = (
        model.trace().lag_history.len(),
        model.trace().lag_history.back().map_or(0, |s| s.at_ms),
    );
    let shows = |panel| panels.shows(panel);
    html! {
        <div class="playground" data-panels={panels.names()}>
            <h2>{ "Playground" }</h2>
            // The hint is about the producer box: not drawn without it (an embed, a lesson step).
            if host.is_none() && shows(Panel::Producer) {
                <p class="hint">{ "Type a message and press Enter — key:value, or just a value for a null key." }</p>
            }
            if shows(Panel::Controls) {
                <Controls model={controls} dispatch={dispatch.clone()} embedded={host.is_some()} />
            }
            { error_banner(model.error.as_ref(), dispatch.reform(|_| Action::DismissError)) }
            { time_travel(&model, &dispatch) }
            if shows(Panel::Producer) {
                <ProducerPanel dispatch={dispatch.clone()} partitions={partition_count(&model)} auto_rate={model.auto_rate()} topic={topic.clone()}
                    acks={model.world().producer(model.producer).map_or(Acks::All, |p| p.config.acks)} />
            }
            if shows(Panel::Lanes) {
                { diagram::diagram(&model, &model_ref, &dispatch, narrow, motion, refresh, &mut slow.diagram) }
            }
            if shows(Panel::Replicas) {
                <diagram::Replicas topic={topic.clone()} brokers={slow.brokers.clone()} rows={slow.replicas.clone()}
                    min_isr={model.world().topic(&topic).map_or(1, |t| t.config.min_insync_replicas)} />
            }
            if shows(Panel::Lanes) {
                <panels::RecordCard model={model_ref.clone()} selected={model.selected.clone()} version={log_version} dispatch={dispatch.clone()} />
            }
            if shows(Panel::Groups) {
                <panels::GroupsPanel groups={slow.groups.clone()} dispatch={dispatch.clone()} />
            }
            if shows(Panel::Cluster) {
                <panels::ClusterPanel brokers={slow.brokers.clone()} topic={topic.clone()} partitions={partition_count(&model)} topics={slow.topics.clone()}
                    topic_error={model.topic_error.clone()} dispatch={dispatch.clone()} />
            }
            if shows(Panel::Lag) {
                <panels::LagChart model={model_ref.clone()} version={lag_version} />
            }
            if shows(Panel::Log) {
                <panels::EventLog model={model_ref.clone()} version={log_version} filter={AttrValue::from(model.filter.clone())} dispatch={dispatch.clone()} />
            }
            <p class="sr-only" aria-live="polite" role="status">{ announcement }</p>
        </div>
    }
}

/// The shared time-travel bars ([`components::time_travel`]) for the session's timeline.
fn time_travel(model: &Model, dispatch: &Callback<Action>) -> Html {
    components::time_travel(
        !model.timeline.is_live(),
        model.timeline.now_ms(),
        model.horizon_ms(),
        model.replaced_future,
        &dispatch.reform(Action::Seek),
        dispatch.reform(|_| Action::DismissReplaced),
    )
}

fn partition_count(model: &Model) -> u32 {
    model
        .world()
        .topic(&model.trace().topic)
        .map_or(0, |t| t.partition_count())
}

// ---------------------------------------------------------------------------------------------
// Controls

#[derive(Clone, PartialEq)]
pub struct ControlsModel {
    playing: bool,
    speed: f64,
    now_ms: u64,
    horizon_ms: u64,
    /// The part of the timeline the slider spans (an embed's lock, else all of it).
    min_ms: u64,
    max_ms: u64,
    seed: u64,
    produced: u64,
    consumed: u64,
    /// Appended and delivered per second over the last seconds of virtual time.
    throughput: Option<(u64, u64)>,
    /// In a lesson: when the step's goal was reached (the event that satisfied it).
    goal_ms: Option<u64>,
}

fn snapshot_controls(model: &Model) -> ControlsModel {
    let horizon_ms = model.horizon_ms();
    let (min_ms, max_ms) = model.lock.map_or((0, horizon_ms), |lock| {
        let to = lock.to_ms.map_or(horizon_ms, |to| to.min(horizon_ms));
        (lock.from_ms, to.max(lock.from_ms))
    });
    ControlsModel {
        playing: model.playing,
        speed: model.speed,
        now_ms: model.world().now_ms(),
        horizon_ms,
        min_ms,
        max_ms,
        seed: model.seed(),
        produced: model.trace().produced,
        consumed: model.trace().consumed,
        throughput: model::throughput(&model.trace().lag_history),
        // Only inside a lesson: a goal left in the session from one is not the Playground's.
        goal_ms: (crate::ui::route::Route::from_hash(&current_hash())
            == crate::ui::route::Route::Lessons)
            .then(|| model.trace().checker.as_ref().and_then(|c| c.passed_at_ms))
            .flatten(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    model: ControlsModel,
    dispatch: Callback<Action>,
    /// In an embed: no seed and no reset (the figure is the teacher's scenario).
    #[prop_or_default]
    embedded: bool,
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
            <span class="keys-hint">{ "Keys: Space play/pause · → step · ← back 1 s" }</span>
            <label>{ "Speed " }
                <input type="range" min="0" max="1000" value={geometry::slider_from_speed(m.speed).to_string()}
                    oninput={speed} aria-valuetext={format!("{} times", tenths(m.speed))} />
                <output>{ format!("{}×", tenths(m.speed)) }</output>
            </label>
            { components::time_slider(m.now_ms, m.min_ms, m.max_ms, m.goal_ms, &d.reform(Action::Seek)) }
            if !props.embedded {
                <label>{ "Seed " }
                    <input type="number" ref={seed_input} value={m.seed.to_string()} min="0" class="seed" />
                </label>
                <button type="button" onclick={reset}>{ "Reset" }</button>
            }
            <span class="counters mono" aria-label="Throughput">
                { format!("{} appended · {} delivered", m.produced, m.consumed) }
                // Always the same shape ("–" until two samples), so the line never re-wraps and
                // moves what is below it under the pointer.
                { match m.throughput {
                    Some((appended, delivered)) => format!(" · {appended}/s in · {delivered}/s out"),
                    None => " · –/s in · –/s out".to_string(),
                } }
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
    /// The topic the producer writes to.
    topic: AttrValue,
    /// The acks of the producer the page sends through (what "Show me" or the last record
    /// typed chose): the list starts there when the panel is drawn anew.
    acks: Acks,
}

#[component]
fn ProducerPanel(props: &ProducerProps) -> Html {
    let text = use_node_ref();
    let partition = use_state(|| None::<u32>);
    let acks = use_state(|| props.acks);
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
            <label class="grow">{ format!("Message to {} ", props.topic) }
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
                <select class="acks" onchange={on_acks}>
                    <option value="all" selected={*acks == Acks::All}>{ "all" }</option>
                    <option value="1" selected={*acks == Acks::One}>{ "1" }</option>
                    <option value="0" selected={*acks == Acks::Zero}>{ "0" }</option>
                </select>
            </label>
            <label>{ "Auto-produce " }
                <select class="auto-rate" onchange={on_rate}>
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
