//! The diagram: producers → partition lanes → consumers, and each partition's replicas.
//!
//! A frame touches only what changed. Each lane is a component whose props compare a
//! [`LaneVersion`] (every number the lane draws) and read the records from the shared model
//! only when that changes; the cells sit in a group shifted by one `transform`, so an append
//! moves one attribute instead of every cell, and a record entering the lane redraws the cell
//! node of one that left rather than building a new one ([`NodeKeys`]). Client boxes and the replica
//! table compare small snapshots. While playing, a lane's numbers are re-read from the model
//! ~10 Hz, two lanes a frame in turn (see `Refresh`). Only the records in flight are redrawn
//! every frame, as one `<path>` per colour (over one path of their outlines) with at most
//! [`MAX_DRAWN_FLIGHTS`] dots, on an SVG
//! layer of their own over the lanes (so moving them repaints neither the lanes nor the page);
//! the exact count is written beside them.

use yew::prelude::*;

use super::{ModelRef, Refresh, fmt};
use crate::sim::client::ConsumerState;
use crate::ui::components::Term;
use crate::ui::geometry::{
    self, Layout, PENDING_OPACITY, key_colour, pending_text_black, text_colour,
};
use crate::ui::session::{Action, FlightKind, Session as Model, format_ms, format_s};

/// Cells drawn per lane: the DOM stays bounded however many records flow.
pub const CELLS: u32 = 14;
/// Cells drawn per lane in the compact drawing (wide enough for a key's first letters).
pub const COMPACT_CELLS: u32 = 7;
/// The wide drawing's size (SVG units).
pub const WIDTH: f64 = 960.0;
pub const HEIGHT: f64 = 260.0;
/// Dots drawn at most; more in flight are counted, not drawn (the newest are drawn).
pub const MAX_DRAWN_FLIGHTS: usize = 96;
/// Radius of a dot in flight, to the middle of its outline.
const DOT_R: f64 = 6.0;
/// Half the width of a dot's outline; a duplicate delivery's is wider (and red).
const OUTLINE_HALF: f64 = 0.5;
const DUPLICATE_OUTLINE_HALF: f64 = 1.5;

/// The layout for `partitions` lanes, narrow or wide.
pub fn layout_for(partitions: u32, compact: bool) -> Layout {
    if compact {
        Layout::compact(HEIGHT, partitions, COMPACT_CELLS)
    } else {
        Layout::new(WIDTH, HEIGHT, partitions, CELLS)
    }
}

/// What the diagram showed at its last refreshes: the props of its slowly changing parts
/// (lanes, client boxes, the drawing's label) between refreshes.
#[derive(Default)]
pub struct DiagramShown {
    topic: String,
    compact: bool,
    lanes: Vec<LaneVersion>,
    producers: Vec<(u32, String)>,
    consumers: Vec<ConsumerBox>,
    groups: Vec<GroupBar>,
    brokers: Vec<(u32, bool)>,
    keys: Vec<String>,
    label: String,
}

/// Clients' slot in the refresh cycle (lanes take slot `partition`).
const SLOT_CLIENTS: u64 = 2;
/// The drawing's label (with the count in flight) is refreshed with this slot.
const SLOT_LABEL: u64 = 0;

/// The diagram for the model's topic. Called every frame, but cheap: lanes and boxes are
/// memoised components whose props are re-read from the model only when `refresh` says so
/// (lane `p` in slot `p`), and the records in flight are drawn on a layer of their own so
/// that moving them does not repaint the lanes.
pub fn diagram(
    model: &Model,
    model_ref: &ModelRef,
    dispatch: &Callback<Action>,
    compact: bool,
    motion: bool,
    refresh: Refresh,
    shown: &mut DiagramShown,
) -> Html {
    let world = model.world();
    let Some(topic) = world.topic(&model.trace().topic) else {
        return html! { <p>{ "The topic no longer exists." }</p> };
    };
    let layout = layout_for(topic.partition_count(), compact);
    let now = world.now_ms() as f64;
    let all = refresh.due_all()
        || shown.topic != *topic.name
        || shown.compact != compact
        || shown.lanes.len() != topic.partitions.len();
    if all {
        shown.topic = topic.name.to_string();
        shown.compact = compact;
    }
    if all || refresh.due(SLOT_CLIENTS) {
        shown.producers = world
            .producers()
            .filter(|p| !p.closed)
            .map(|p| (p.id, p.config.client_id.clone()))
            .collect();
        // Live consumers, and dead ones their group still counts as members (it waits
        // session.timeout.ms for their heartbeat): the box stays drawn, greyed, until then.
        shown.consumers = world
            .consumers()
            .filter(|c| {
                c.is_alive()
                    || c.group
                        .as_deref()
                        .and_then(|g| world.group(g))
                        .is_some_and(|g| g.members.values().any(|m| m.consumer == c.id))
            })
            .map(|c| ConsumerBox {
                id: c.id,
                name: c.config.client_id.clone(),
                group: c.group.as_deref().unwrap_or("no group").to_string(),
                owns: c
                    .assignment
                    .iter()
                    .filter(|(t, _)| **t == *topic.name)
                    .map(|(_, p)| *p)
                    .collect(),
                left_ms: c
                    .group
                    .as_deref()
                    .and_then(|g| world.group(g))
                    .and_then(|g| g.members.values().find(|m| m.consumer == c.id))
                    .filter(|_| !c.is_alive())
                    .map(|m| {
                        (m.last_heartbeat_ms + m.session_timeout_ms).saturating_sub(world.now_ms())
                    }),
                state: match c.state {
                    ConsumerState::Active => BoxState::Active,
                    ConsumerState::Crashed => BoxState::Crashed,
                    ConsumerState::Stopped => BoxState::Stopped,
                    _ => BoxState::Joining,
                },
            })
            .collect();
        shown.groups = group_bars(model, &topic.name);
        shown.brokers = world.brokers().iter().map(|b| (b.id, b.running)).collect();
        shown.keys = recent_keys(topic);
    }
    if all
        || topic
            .partitions
            .iter()
            .any(|p| refresh.due(u64::from(p.id)))
    {
        // Every group reading the topic (a committed offset or an owned partition in it), by
        // name. Read straight from the group (no lag table built): this runs every frame.
        let groups: Vec<_> = world
            .groups()
            .filter(|g| {
                g.committed.keys().any(|(t, _)| *t == topic.name)
                    || g.members
                        .values()
                        .any(|m| m.assignment.iter().any(|(t, _)| *t == topic.name))
            })
            .take(MAX_GROUP_MARKS)
            .map(|g| (g, AttrValue::from(g.id.to_string())))
            .collect();
        if all {
            shown.lanes.clear();
        }
        for p in &topic.partitions {
            if !all && !refresh.due(u64::from(p.id)) {
                continue;
            }
            let version = LaneVersion {
                first: layout.first_shown(p.log.log_start_offset(), p.log.log_end_offset()),
                end: p.log.log_end_offset(),
                high_watermark: p.high_watermark,
                groups: groups
                    .iter()
                    .map(|(g, name)| {
                        // As the lag table counts it: log end (high watermark) − committed.
                        let committed = g
                            .committed
                            .get(&(topic.name.clone(), p.id))
                            .map(|c| c.offset);
                        GroupMark {
                            name: name.clone(),
                            committed,
                            lag: committed.map(|c| p.high_watermark.saturating_sub(c)),
                        }
                    })
                    .collect(),
                selected: model
                    .selected
                    .as_ref()
                    .filter(|(t, part, _)| t == &*topic.name && *part == p.id)
                    .map(|(_, _, o)| *o),
                leader: p.leader,
                in_sync: p.isr.len() as u32,
                replicas: p.replicas.len() as u32,
            };
            match shown.lanes.get_mut(p.id as usize) {
                Some(v) => *v = version,
                None => shown.lanes.push(version),
            }
        }
    }
    let topic_name = AttrValue::from(topic.name.to_string());
    let lanes = topic.partitions.iter().zip(&shown.lanes).map(|(p, version)| {
        html! {
            <Lane key={p.id} model={model_ref.clone()} topic={topic_name.clone()} partition={p.id}
                {layout} {compact} version={version.clone()} dispatch={dispatch.clone()} />
        }
    });
    let (producers, consumers) = (&shown.producers, &shown.consumers);

    // Dots, newest first, bucketed by how they are painted. The outline is a larger disc under
    // each dot (one path of them, a second for duplicates), not a stroke: the software
    // rasteriser strokes arcs at several times the cost of filling them, and the layer is
    // painted every frame.
    let mut paths: Vec<(&'static str, bool, String)> = Vec::new();
    let mut halos = [String::new(), String::new()];
    let mut in_flight = 0usize;
    let mut drawn = 0usize;
    for f in model.trace().flights.iter().rev() {
        if f.topic != *topic.name || f.arrives_at_ms as f64 <= now {
            continue;
        }
        in_flight += 1;
        if !motion || drawn >= MAX_DRAWN_FLIGHTS {
            continue;
        }
        let lane = shown.lanes.get(f.partition as usize);
        // Produced records fly to the lane's start and run along it to the cell they will take
        // (after the last one shown); delivered ones run along the lane from their cell to its
        // end and fly to the consumer. Along the lane, a dot never crosses another lane.
        let (path, duplicate) = match f.kind {
            FlightKind::Produce { producer } => {
                let Some(i) = producers.iter().position(|p| p.0 == producer) else {
                    continue;
                };
                let entry = layout.lane_entry(f.partition);
                let cell = lane.map_or(entry, |l| layout.cell_centre(f.partition, l.first, l.end));
                (
                    (
                        layout.producer_at(i as u32, producers.len() as u32),
                        entry,
                        cell,
                    ),
                    false,
                )
            }
            FlightKind::Deliver {
                consumer,
                duplicate,
                offset,
            } => {
                let Some(i) = consumers.iter().position(|c| c.id == consumer) else {
                    continue;
                };
                let exit = layout.lane_exit(f.partition);
                let cell = lane
                    .filter(|l| offset >= l.first && offset < l.end)
                    .map_or(exit, |l| layout.cell_centre(f.partition, l.first, offset));
                (
                    (
                        cell,
                        exit,
                        layout.consumer_at(i as u32, consumers.len() as u32),
                    ),
                    duplicate,
                )
            }
        };
        let (x, y) = geometry::along(
            path.0,
            path.1,
            path.2,
            geometry::progress(now, f.sent_at_ms, f.arrives_at_ms),
        );
        let colour = key_colour(f.key.as_deref());
        let d = match paths
            .iter_mut()
            .find(|(c, dup, _)| *c == colour && *dup == duplicate)
        {
            Some((_, _, d)) => d,
            None => {
                paths.push((colour, duplicate, String::with_capacity(64 * 16)));
                let last = paths.len() - 1;
                &mut paths[last].2
            }
        };
        let outline = if duplicate {
            DUPLICATE_OUTLINE_HALF
        } else {
            OUTLINE_HALF
        };
        push_dot(d, x, y, DOT_R - outline);
        push_dot(&mut halos[usize::from(duplicate)], x, y, DOT_R + outline);
        drawn += 1;
    }
    crate::sim::sort::sort_by(&mut paths, |a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let [halo, duplicate_halo] = halos;
    let halos = [(halo, false), (duplicate_halo, true)]
        .into_iter()
        .filter(|(d, _)| !d.is_empty())
        .map(|(d, duplicate)| {
            html! {
                <path key={format!("halo{duplicate}")} class={classes!("flight-halo", duplicate.then_some("duplicate"))} d={d} />
            }
        });
    let dots = paths.into_iter().map(|(colour, duplicate, d)| {
        html! {
            <path key={format!("{colour}{duplicate}")} class={classes!("flight", duplicate.then_some("duplicate"))}
                fill={colour} d={d} />
        }
    });
    if all || refresh.due(SLOT_LABEL) {
        shown.label = format!(
            "Topic {} with {} partitions; {} consumers; {in_flight} records in flight",
            topic.name,
            topic.partition_count(),
            consumers.len()
        );
    }
    let more = in_flight - drawn;
    let width = layout.width;
    let view_box = format!("0 0 {} {}", width as u32, HEIGHT as u32);
    html! {
        <figure class={classes!("diagram", compact.then_some("compact"))}>
            <div class="diagram-stage">
                <svg viewBox={view_box.clone()} role="img" aria-label={shown.label.clone()}>
                    <Clients producers={producers.clone()} consumers={consumers.clone()} {layout} {compact} dispatch={dispatch.clone()} />
                    { for lanes }
                </svg>
                // The records in flight, on a layer of their own: they move every frame, the
                // drawing under them changes a few times a second. The count is also in the
                // drawing's label.
                <svg class="flights-layer" viewBox={view_box} aria-hidden="true">
                    <g class="flights" data-count={in_flight.to_string()} data-drawn={drawn.to_string()}>
                        { for halos.chain(dots) }
                    </g>
                    if more > 0 {
                        <text class="flight-count" x={fmt(layout.lanes_x + layout.lanes_width / 2.0)} y={fmt(layout.lanes_y - 8.0)} text-anchor="middle">
                            { format!("{in_flight} records in flight ({drawn} drawn)") }
                        </text>
                    }
                </svg>
            </div>
            <Strip groups={shown.groups.clone()} brokers={shown.brokers.clone()} dispatch={dispatch.clone()} />
            <KeyLegend keys={shown.keys.clone()} />
            <figcaption>
                <span class="explain">{ format!("Topic {}: cells are records, labelled and coloured by key (faded = not yet replicated to all in-sync replicas); click a cell or press Enter on it for its details. ⚠ marks an under-replicated partition, ✕ an offline one. Network latency is slowed to 150–350 ms so travel is visible. ", topic.name) }</span>
                { group_legend(shown.lanes.first().map_or(&[][..], |l| &l.groups[..])) }
            </figcaption>
        </figure>
    }
}

/// A legend entry: a sample of the `index`th group's dash pattern (drawn as `line_class`), then
/// its name.
pub fn group_key(index: usize, name: &str, line_class: Option<&'static str>) -> Html {
    html! {
        <span class="group-key" key={name.to_string()}>
            <svg class="dash-sample" viewBox="0 0 24 8" aria-hidden="true">
                <line class={classes!(line_class)} x1="0" x2="24" y1="4" y2="4" stroke-dasharray={group_dash(index)} />
            </svg>
            { name.to_string() }
        </span>
    }
}

/// Which line is which group's committed offset, and the order of the lags beside a lane.
fn group_legend(groups: &[GroupMark]) -> Html {
    if groups.is_empty() {
        return html! { "No consumer group reads this topic yet." };
    }
    let entries = groups
        .iter()
        .enumerate()
        .map(|(i, g)| group_key(i, &g.name, Some("committed")));
    let order = groups
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join("/");
    html! {
        <>
            { "Committed offset of group: " }{ for entries }
            { format!(". Lag beside each lane: {order}.") }
        </>
    }
}

/// Appends a circle of radius `r` at `(x, y)` to path data (many dots share one `<path>`),
/// writing into the one buffer rather than a string per number.
fn push_dot(d: &mut String, x: f64, y: f64, r: f64) {
    d.push('M');
    push_tenths(d, x - r);
    d.push(',');
    push_tenths(d, y);
    // Two half circles: right across and back.
    let (mut radius, mut across) = (String::new(), String::new());
    push_tenths(&mut radius, r);
    push_tenths(&mut across, 2.0 * r);
    for sign in ["", "-"] {
        d.push('a');
        d.push_str(&radius);
        d.push(',');
        d.push_str(&radius);
        d.push_str(" 0 1,0 ");
        d.push_str(sign);
        d.push_str(&across);
        d.push_str(",0");
    }
}

/// Appends `v` with one decimal, as [`fmt`] writes it.
fn push_tenths(d: &mut String, v: f64) {
    use std::fmt::Write;
    let t = (v * 10.0).round() as i64;
    if t < 0 {
        d.push('-');
    }
    let t = t.unsigned_abs();
    let _ = write!(d, "{}.{}", t / 10, t % 10);
}

// ---------------------------------------------------------------------------------------------
// A lane

/// Groups whose committed offsets a lane marks (each with its own dash pattern); the Groups
/// panel lists them all.
pub const MAX_GROUP_MARKS: usize = 4;

/// One group's place in a lane.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupMark {
    pub name: AttrValue,
    pub committed: Option<u64>,
    pub lag: Option<u64>,
}

/// The dash pattern of the `index`th group's marks (committed-offset line, lag chart): a
/// second cue beside the legend, so no group is told apart by colour alone.
pub fn group_dash(index: usize) -> &'static str {
    ["none", "5 3", "1.5 2.5", "8 3 2 3"][index % MAX_GROUP_MARKS]
}

/// Everything a lane draws that can change; the lane re-renders only when this does.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneVersion {
    /// The first offset shown.
    pub first: u64,
    pub end: u64,
    pub high_watermark: u64,
    /// Each group reading the topic (by name, at most [`MAX_GROUP_MARKS`]): its committed
    /// offset and lag for the partition.
    pub groups: Vec<GroupMark>,
    /// The selected record's offset, if it is in this lane.
    pub selected: Option<u64>,
    pub leader: Option<u32>,
    pub in_sync: u32,
    pub replicas: u32,
}

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub model: ModelRef,
    pub topic: AttrValue,
    pub partition: u32,
    pub layout: Layout,
    pub compact: bool,
    pub version: LaneVersion,
    pub dispatch: Callback<Action>,
}

/// Which DOM node draws which item of a list that moves on (a lane's cells, the event log's
/// lines): the `key` of each item shown.
///
/// Keyed by offset, every record that enters a lane would build a new cell (six nodes and
/// some twenty attributes) and every record that leaves would drop one: in the busy scene
/// (1,000 records/s over 12 lanes) that is every cell of every lane, ten times a second.
/// Unkeyed, one line added to the event log would rewrite all the lines below it.
/// Instead an item keeps its key while it stays, and an item entering takes the key of one
/// that left, so the same nodes are redrawn (or moved) with the new item's content.
#[derive(Default)]
pub struct NodeKeys {
    /// `(item, key)` of the items drawn last, in item order.
    shown: Vec<(u64, u64)>,
    /// The next key never used.
    fresh: u64,
}

impl NodeKeys {
    /// The keys for the items `offsets` (ascending: a lane's offsets, the log's line numbers),
    /// remembered for the next call: an item drawn last time keeps its key; a new one takes,
    /// in order, the keys of items no longer drawn, then fresh ones.
    pub fn assign(&mut self, offsets: Vec<u64>) -> Vec<u64> {
        let kept = |o: &u64| self.shown.binary_search_by_key(o, |s| s.0).ok();
        let mut freed = self
            .shown
            .iter()
            .filter(|(o, _)| offsets.binary_search(o).is_err())
            .map(|s| s.1);
        let mut shown = Vec::with_capacity(offsets.len());
        let mut fresh = self.fresh;
        for &o in &offsets {
            let key = match kept(&o) {
                Some(i) => self.shown[i].1,
                None => freed.next().unwrap_or_else(|| {
                    fresh += 1;
                    fresh - 1
                }),
            };
            shown.push((o, key));
        }
        self.fresh = fresh;
        self.shown = shown;
        self.shown.iter().map(|s| s.1).collect()
    }
}

/// One partition: its last records, billing's committed offset, its numbers and its health.
#[component]
fn Lane(props: &LaneProps) -> Html {
    let keys = use_mut_ref(NodeKeys::default);
    let model = props.model.0.borrow();
    let Some(p) = model
        .world()
        .topic(&props.topic)
        .and_then(|t| t.partitions.get(props.partition as usize))
    else {
        return html! {};
    };
    let (layout, v) = (&props.layout, &props.version);
    let y = layout.lane_centre(p.id);
    let top = y - layout.lane_pitch * 0.4;
    let h = layout.lane_pitch * 0.8;
    let base = layout.block_base(v.first);
    // As many of the key's characters as fit the cell (monospace: ~0.62 em each).
    let fits = ((layout.cell_width - 4.0) / (label_size(props.compact) * 0.62))
        .floor()
        .max(1.0) as usize;
    // A compacted log has gaps: only offsets that fit the lane are drawn.
    let records: Vec<_> = p
        .log
        .records_from(v.first)
        .take(layout.cells as usize)
        .filter(|r| r.offset < v.first + u64::from(layout.cells))
        .collect();
    let keys = keys
        .borrow_mut()
        .assign(records.iter().map(|r| r.offset).collect());
    // What every cell of the lane shares, formatted once. A cell is placed by its group's
    // `transform` alone, so a node redrawn for another record changes one attribute to move.
    let rect_x = AttrValue::from(fmt(1.0));
    let label_x = AttrValue::from(fmt(layout.cell_width / 2.0));
    let (rect_y, rect_w, rect_h) = (
        AttrValue::from(fmt(top)),
        AttrValue::from(fmt(layout.cell_width - 2.0)),
        AttrValue::from(fmt(h)),
    );
    let label_y = AttrValue::from(fmt(y + 4.0));
    let cells = records.into_iter().zip(keys).map(|(r, node)| {
            let x = layout.cell_x(base, r.offset);
            let key = r
                .key
                .as_ref()
                .map(|k| String::from_utf8_lossy(k).into_owned());
            let label = key
                .as_ref()
                .map(|k| k.chars().take(fits).collect::<String>())
                .unwrap_or_else(|| "∅".to_string());
            let committed = r.offset < v.high_watermark;
            let selected = v.selected == Some(r.offset);
            let colour = key_colour(r.key.as_deref());
            let name = format!(
                "{} partition {} offset {} key {}",
                props.topic,
                p.id,
                r.offset,
                key.as_deref().unwrap_or("null")
            );
            // The `<title>` is the cell's accessible name (SVG-AAM) and its tooltip: the one
            // string written per record, not an `aria-label` beside it.
            html! {
                <g key={node} class={classes!("cell", selected.then_some("selected"))} tabindex="0" role="button"
                    transform={format!("translate({},0)", fmt(x))}
                    data-offset={r.offset.to_string()} data-key={key.clone().unwrap_or_default()}>
                    <title>{ name }</title>
                    <rect x={rect_x.clone()} y={rect_y.clone()} width={rect_w.clone()} height={rect_h.clone()}
                        fill={colour} opacity={if committed { "1".to_string() } else { tenths_2(PENDING_OPACITY) }} rx="3" />
                    if committed {
                        <text x={label_x.clone()} y={label_y.clone()} class="cell-label" fill={text_colour(colour)}>{ label }</text>
                    } else {
                        // Faded: the page's background shows through, so the letters' colour
                        // depends on the theme (see static/app.css).
                        <text x={label_x.clone()} y={label_y.clone()} class={classes!("cell-label", pending_classes(colour))}>{ label }</text>
                    }
                </g>
            }
        });
    let markers = v.groups.iter().enumerate().filter_map(|(i, g)| {
        let c = g.committed?;
        let title = html! { <title>{ format!("group {} committed offset {c}", g.name) }</title> };
        if c < v.first {
            // Left of the records shown: an arrow at the lane's start points to it.
            let (x, y) = (layout.lanes_x, top + h * (i as f64 + 0.5) / v.groups.len() as f64);
            let points = format!("{},{} {},{} {},{}", fmt(x - 1.0), fmt(y), fmt(x + 6.0), fmt(y - 3.5), fmt(x + 6.0), fmt(y + 3.5));
            return Some(html! { <polygon key={g.name.as_str()} class="committed-before" points={points} data-group={g.name.clone()}>{ title }</polygon> });
        }
        let x = layout
            .cell_x(v.first, c)
            .min(layout.lanes_x + layout.lanes_width);
        Some(html! { <line key={g.name.as_str()} class="committed" x1={fmt(x)} x2={fmt(x)} y1={fmt(top - 3.0)} y2={fmt(top + h + 3.0)}
            stroke-dasharray={group_dash(i)} data-group={g.name.clone()}>{ title }</line> })
    });
    // Event delegation: one listener per lane, not one per cell.
    let select = {
        let dispatch = props.dispatch.clone();
        let topic = props.topic.to_string();
        let partition = props.partition;
        move |target: Option<web_sys::Element>| -> bool {
            let offset = target
                .and_then(|el| el.closest("g.cell").ok().flatten())
                .and_then(|g| g.get_attribute("data-offset"))
                .and_then(|o| o.parse::<u64>().ok());
            if let Some(offset) = offset {
                dispatch.emit(Action::Select(Some((topic.clone(), partition, offset))));
            }
            offset.is_some()
        }
    };
    let onclick = {
        let select = select.clone();
        Callback::from(move |e: MouseEvent| {
            select(e.target_dyn_into::<web_sys::Element>());
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if (e.key() == "Enter" || e.key() == " ") && select(e.target_dyn_into::<web_sys::Element>())
        {
            e.prevent_default();
            e.stop_propagation();
        }
    });
    let offline = v.leader.is_none();
    let under = !offline && v.in_sync < v.replicas;
    let (flag, health) = if offline {
        ("✕", "offline: no in-sync replica is alive".to_string())
    } else if under {
        (
            "⚠",
            format!(
                "under-replicated: {} of {} replicas in sync",
                v.in_sync, v.replicas
            ),
        )
    } else {
        (
            "",
            format!("led by broker {}", v.leader.unwrap_or_default()),
        )
    };
    // One lag per group, in the legend's order ("–": nothing committed yet, as Kafka's
    // kafka-consumer-groups prints it). With several groups the lags take the room of the
    // log end, which stays in the lane's title.
    let lags: Vec<String> = v
        .groups
        .iter()
        .map(|g| g.lag.map_or("–".into(), |l| l.to_string()))
        .collect();
    let meta = match (props.compact, lags.len()) {
        (true, 0) => String::new(),
        (false, 0) => format!("end offset {} · no group", v.high_watermark),
        (false, 1) if v.groups[0].lag.is_none() => {
            format!("end offset {} · no commit yet", v.high_watermark)
        }
        (false, 1) => format!(
            "end offset {} · lag {} record{}",
            v.high_watermark,
            lags[0],
            if v.groups[0].lag == Some(1) { "" } else { "s" }
        ),
        (true, 1) => format!("lag {}", lags[0]),
        _ => format!("lag {} records", lags.join("/")),
    };
    let mut title = format!("P{}: {health}; log end {}", p.id, v.high_watermark);
    for g in &v.groups {
        title.push_str(&format!(
            "; group {}: committed {}, lag {}",
            g.name,
            g.committed.map_or("none".into(), |c| c.to_string()),
            g.lag.map_or("–".into(), |l| l.to_string())
        ));
    }
    html! {
        <g class={classes!("lane", under.then_some("under-replicated"), offline.then_some("offline"))}
            data-partition={p.id.to_string()} data-end={v.high_watermark.to_string()}
            data-leader={v.leader.map(|l| l.to_string()).unwrap_or_default()} {onclick} {onkeydown}>
            <rect class="lane-bg" x={fmt(layout.lanes_x)} y={fmt(top)} width={fmt(layout.lanes_width)} height={fmt(h)} rx="4">
                <title>{ title }</title>
            </rect>
            <text class="lane-label" x={fmt(layout.lanes_x - 4.0)} y={fmt(y + 4.0)} text-anchor="end">{ format!("{flag}P{}", p.id) }</text>
            <g class="cells" transform={format!("translate({},0)", fmt(-layout.shift(v.first)))}>{ for cells }</g>
            // In a group of their own: the lane's children are diffed from the end, so a mark
            // that came or went among them would shift and rebuild everything before it (the
            // lane's cells too).
            <g class="marks">{ for markers }</g>
            <text class="lane-meta" x={fmt(layout.lanes_x + layout.lanes_width + 4.0)} y={fmt(y + 4.0)}>{ meta }</text>
            if offline {
                <text class="lane-offline" x={fmt(layout.lanes_x + layout.lanes_width / 2.0)} y={fmt(y + 4.0)} text-anchor="middle">{ "offline" }</text>
            }
        </g>
    }
}

// ---------------------------------------------------------------------------------------------
// Producer and consumer boxes

/// Where a consumer is, as its box says it (in words, not by colour alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxState {
    Active,
    Joining,
    /// Died without a word: its group still counts it until session.timeout.ms passes.
    Crashed,
    /// Closed (LeaveGroup sent): gone once the group rebalances.
    Stopped,
}

/// A consumer's box.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerBox {
    pub id: u32,
    /// Its `client.id`, as Kafka names it (`consumer-<group>-<n>`).
    pub name: String,
    pub group: String,
    /// Partitions of the shown topic it owns.
    pub owns: Vec<u32>,
    pub state: BoxState,
    /// For a dead member its group still counts: ms until its session times out.
    pub left_ms: Option<u64>,
}

#[derive(Properties, PartialEq)]
pub struct ClientsProps {
    /// `(id, client.id)`.
    pub producers: Vec<(u32, String)>,
    pub consumers: Vec<ConsumerBox>,
    pub layout: Layout,
    pub compact: bool,
    pub dispatch: Callback<Action>,
}

/// Text size in the drawing (SVG units): larger in the compact drawing, which a phone shows
/// at less than its own size, so nothing is drawn under 11 px.
pub fn label_size(compact: bool) -> f64 {
    if compact { 14.0 } else { 11.0 }
}

/// An opacity (0..=1) with two decimals, through integers (see `fmt`).
fn tenths_2(v: f64) -> String {
    let t = (v * 100.0).round() as u64;
    format!("{}.{:02}", t / 100, t % 100)
}

/// The classes that colour a faded cell's letters in the light and the dark theme.
fn pending_classes(colour: &str) -> [&'static str; 2] {
    let [light, dark] = pending_text_black(colour);
    [
        if light { "pl-b" } else { "pl-w" },
        if dark { "pd-b" } else { "pd-w" },
    ]
}

/// The XHTML namespace: what a `<foreignObject>` holds (buttons inside the drawing).
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The producer column and the consumer column; each consumer box carries its own Stop and
/// Crash buttons.
#[component]
fn Clients(props: &ClientsProps) -> Html {
    let layout = &props.layout;
    let n = props.producers.len() as u32;
    let box_w = layout.side - 12.0;
    let producers = props.producers.iter().enumerate().map(|(i, (id, name))| {
        let (x, y) = layout.producer_at(i as u32, n);
        html! {
            <g key={format!("p{id}")} class="client producer">
                <rect x={fmt(x - box_w / 2.0)} y={fmt(y - 14.0)} width={fmt(box_w)} height="28" rx="5" />
                <text x={fmt(x)} y={fmt(y + 4.0)}>{ name.clone() }</text>
            </g>
        }
    });
    let m = props.consumers.len() as u32;
    let pitch = (layout.height - 16.0) / f64::from(m.max(1));
    let text = label_size(props.compact);
    // Name, what it owns, then a row of buttons; the middle line goes when boxes are packed,
    // and the buttons too when a box has no room for them under the name (many consumers):
    // each member's Stop and Crash stay in the groups panel.
    let full = pitch >= text * 4.6;
    let buttons = pitch >= text * 3.2;
    let box_h = if full {
        text * 4.4
    } else if buttons {
        (text * 3.2).min(pitch - 2.0)
    } else {
        (text * 1.6).min(pitch - 2.0)
    };
    let consumers = props.consumers.iter().enumerate().map(|(i, c)| {
        let (x, y) = layout.consumer_at(i as u32, m);
        let owns: Vec<String> = c.owns.iter().map(|p| format!("P{p}")).collect();
        let owns_text = match owns.len() {
            0 => "owns nothing".to_string(),
            1..=3 if !props.compact => format!("owns {}", owns.join(" ")),
            1 => owns.join(" "),
            n => format!("{n} partitions"),
        };
        let status = match c.state {
            BoxState::Active => owns_text,
            BoxState::Joining => "joining…".to_string(),
            BoxState::Crashed => "crashed".to_string(),
            BoxState::Stopped => "stopped".to_string(),
        };
        let w = box_w;
        let top = y - box_h / 2.0;
        let alive = matches!(c.state, BoxState::Active | BoxState::Joining);
        let id = c.id;
        let stop = props.dispatch.reform(move |_| Action::StopConsumer(id));
        let crash = props.dispatch.reform(move |_| Action::CrashConsumer(id));
        let name = if props.compact {
            c.name.strip_prefix("consumer-").unwrap_or(&c.name).to_string()
        } else {
            c.name.clone()
        };
        let actions_y = top + box_h - text * 1.6;
        html! {
            <g key={format!("c{}", c.id)} data-consumer={c.id.to_string()} data-state={match c.state {
                    BoxState::Active => "active", BoxState::Joining => "joining",
                    BoxState::Crashed => "crashed", BoxState::Stopped => "stopped" }}
                class={classes!("client", "consumer", (c.state == BoxState::Joining).then_some("paused"), (!alive).then_some("dead"))}>
                <title>{ format!("{} in group {}: {}", c.name, c.group, if owns.is_empty() { "no partitions".to_string() } else { owns.join(", ") }) }</title>
                <rect x={fmt(x - w / 2.0)} y={fmt(top)} width={fmt(w)} height={fmt(box_h)} rx="5" />
                <text x={fmt(x)} y={fmt(top + text * 1.15)} class="name">{ name }</text>
                if full || !alive {
                    <text x={fmt(x)} y={fmt(top + text * 2.35)} class={classes!("small", (!alive).then_some("state"))}>{ status }</text>
                }
                if let (false, Some(left)) = (alive, c.left_ms) {
                    <text x={fmt(x)} y={fmt(top + box_h - text * 0.5)} class="small countdown-in-box">{
                        if props.compact { format!("{} s", left.div_ceil(1000)) } else { format!("rebalance in {} s", left.div_ceil(1000)) }
                    }</text>
                }
                if alive && buttons {
                    <foreignObject x={fmt(x - w / 2.0 + 2.0)} y={fmt(actions_y)} width={fmt(w - 4.0)} height={fmt(text * 1.5)}>
                        <div xmlns={XHTML} class="box-actions">
                            <button type="button" onclick={stop} aria-label={format!("Stop {}", c.name)}>{ "Stop" }</button>
                            <button type="button" onclick={crash} aria-label={format!("Crash {}", c.name)}>{ "Crash" }</button>
                        </div>
                    </foreignObject>
                }
            </g>
        }
    });
    html! { <g class="clients">{ for producers }{ for consumers }</g> }
}

/// A group as the strip under the drawing shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupBar {
    pub id: String,
    pub state: &'static str,
    pub generation: i32,
    /// Dead members the coordinator still counts: `(client.id, crashed, ms until their
    /// session times out, their session.timeout.ms)`.
    pub waiting: Vec<(String, bool, u64, u64)>,
    /// The last rebalance: from and to generation, `(partition, owner before, owner after)`
    /// on the shown topic, and when it completed.
    pub last: Option<LastRebalance>,
}

/// `(from generation, to generation, (partition, owner before, owner after), completed at)`.
pub type LastRebalance = (i32, i32, Vec<(u32, String, String)>, u64);

/// The groups reading `topic` (a committed offset or an owned partition in it).
pub fn group_bars(model: &Model, topic: &str) -> Vec<GroupBar> {
    let world = model.world();
    let now = world.now_ms();
    world
        .groups()
        .filter(|g| {
            g.committed.keys().any(|(t, _)| **t == *topic)
                || g.members
                    .values()
                    .any(|m| m.subscription.iter().any(|t| t == topic))
        })
        .take(MAX_GROUP_MARKS)
        .map(|g| {
            let waiting = g
                .members
                .values()
                .filter_map(|m| {
                    let c = world.consumer(m.consumer)?;
                    (!c.is_alive()).then(|| {
                        let deadline = m.last_heartbeat_ms + m.session_timeout_ms;
                        (
                            m.client_id.clone(),
                            c.state == ConsumerState::Crashed,
                            deadline.saturating_sub(now),
                            m.session_timeout_ms,
                        )
                    })
                })
                .collect();
            let last = model.trace().rebalances.get(&*g.id).and_then(|h| {
                let (from, before, at) = h.previous.as_ref()?;
                // An owner that has since died says so (the box is gone by then).
                let fate = |client: &str| match world
                    .consumers()
                    .find(|c| c.config.client_id == client)
                    .map(|c| c.state.clone())
                {
                    Some(ConsumerState::Crashed) => " (crashed)",
                    Some(ConsumerState::Stopped) => " (stopped)",
                    _ => "",
                };
                let owner = |owners: &[(String, u32, String)], p: u32| {
                    owners
                        .iter()
                        .find(|(t, q, _)| t == topic && *q == p)
                        .map_or_else(
                            || "nobody".to_string(),
                            |o| format!("{}{}", o.2, fate(&o.2)),
                        )
                };
                let mut parts: Vec<u32> = before
                    .iter()
                    .chain(&h.owners)
                    .filter(|(t, _, _)| t == topic)
                    .map(|o| o.1)
                    .collect();
                parts.sort_unstable();
                parts.dedup();
                let moves = parts
                    .into_iter()
                    .map(|p| (p, owner(before, p), owner(&h.owners, p)))
                    .collect();
                Some((*from, h.generation, moves, *at))
            });
            GroupBar {
                id: g.id.to_string(),
                state: g.state.name(),
                generation: g.generation,
                waiting,
                last,
            }
        })
        .collect()
}

/// The newest distinct keys in the topic's lanes (at most [`LEGEND_KEYS`]), newest first.
fn recent_keys(topic: &crate::sim::cluster::Topic) -> Vec<String> {
    let mut newest: Vec<(u64, String)> = Vec::new();
    for p in &topic.partitions {
        let end = p.log.log_end_offset();
        let from = end
            .saturating_sub(u64::from(CELLS))
            .max(p.log.log_start_offset());
        for r in p.log.read(from, CELLS) {
            let key = r.key.as_ref().map_or_else(
                || "null".to_string(),
                |k| String::from_utf8_lossy(k).into_owned(),
            );
            match newest.iter_mut().find(|(_, k)| *k == key) {
                Some(entry) => entry.0 = entry.0.max(r.timestamp_ms),
                None => newest.push((r.timestamp_ms, key)),
            }
        }
    }
    crate::sim::sort::sort_by(&mut newest, |a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    });
    newest
        .into_iter()
        .take(LEGEND_KEYS)
        .map(|(_, k)| k)
        .collect()
}

/// Keys the legend lists at most.
pub const LEGEND_KEYS: usize = 8;

#[derive(Properties, PartialEq)]
pub struct KeyLegendProps {
    pub keys: Vec<String>,
}

/// Which colour (and label) is which key, for the keys seen last.
#[component]
fn KeyLegend(props: &KeyLegendProps) -> Html {
    if props.keys.is_empty() {
        return html! {};
    }
    let entries = props.keys.iter().map(|k| {
        let colour = key_colour((k != "null").then_some(k.as_bytes()));
        html! {
            <li key={k.clone()} data-key={k.clone()}>
                <svg class="key-swatch" viewBox="0 0 16 16" aria-hidden="true">
                    <rect width="16" height="16" rx="3" fill={colour} />
                    <text x="8" y="12" fill={text_colour(colour)}>{ k.chars().next().map_or(String::new(), |c| c.to_string()) }</text>
                </svg>
                <span class="mono">{ k.clone() }</span>
            </li>
        }
    });
    html! {
        <div class="key-legend">
            <span>{ "Recent keys:" }</span>
            <ul>{ for entries }</ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StripProps {
    pub groups: Vec<GroupBar>,
    /// `(broker id, running)`.
    pub brokers: Vec<(u32, bool)>,
    pub dispatch: Callback<Action>,
}

/// Under the drawing: each broker with Stop/Start, each group with its generation, state, a
/// "+ consumer" button, the wait for a dead member's session to time out, and its last
/// rebalance (who owned what before and after).
#[component]
fn Strip(props: &StripProps) -> Html {
    let d = &props.dispatch;
    let brokers = props.brokers.iter().map(|&(id, running)| {
        let toggle = if running {
            d.reform(move |_| Action::StopBroker(id))
        } else {
            d.reform(move |_| Action::StartBroker(id))
        };
        html! {
            <li key={id} class={classes!("broker-chip", (!running).then_some("down"))} data-broker={id.to_string()}>
                { format!("broker {id} · {}", if running { "running" } else { "stopped" }) }
                <button type="button" onclick={toggle} aria-label={format!("{} broker {id}", if running { "Stop" } else { "Start" })}>
                    { if running { "Stop" } else { "Start" } }
                </button>
            </li>
        }
    });
    let groups = props.groups.iter().map(|g| {
        let name = g.id.clone();
        let add = d.reform(move |_| Action::AddConsumer { group: name.clone() });
        let waits = g.waiting.iter().map(|(client, crashed, left_ms, timeout_ms)| {
            let why = if *crashed { "crashed" } else { "stopped" };
            html! {
                <li class="countdown" data-left-ms={left_ms.to_string()}>
                    { format!("{client} {why}: the coordinator waits session.timeout.ms ({}) for a heartbeat — rebalance in {} s",
                        format_s(*timeout_ms), left_ms.div_ceil(1000)) }
                </li>
            }
        });
        let rebalancing = matches!(g.state, "PreparingRebalance" | "CompletingRebalance");
        let last = g.last.as_ref().map(|(from, to, moves, at)| {
            let rows = moves.iter().map(|(p, before, after)| {
                let moved = before != after;
                html! {
                    <li key={*p} class={classes!(moved.then_some("moved"))}>
                        { format!("P{p}: {before} → {after}{}", if moved { "" } else { " (kept)" }) }
                    </li>
                }
            });
            html! {
                <div class="rebalance" data-from={from.to_string()} data-to={to.to_string()}>
                    { format!("Last rebalance at t = {}: generation {from} → {to}", format_ms(*at)) }
                    <ul class="moves">{ for rows }</ul>
                </div>
            }
        });
        html! {
            <li key={g.id.clone()} class="group-bar" data-group={g.id.clone()} data-generation={g.generation.to_string()} data-state={g.state}>
                <span class="group-title">{ format!("group {} · generation {} · {}", g.id, g.generation, g.state) }</span>
                <button type="button" onclick={add} aria-label={format!("Add a consumer to group {}", g.id)}>{ "+ consumer" }</button>
                if rebalancing {
                    <span class="rebalancing">{ format!(" rebalancing: generation {} → {}", g.generation, g.generation + 1) }</span>
                }
                <ul class="waits">{ for waits }</ul>
                { for last }
            </li>
        }
    });
    html! {
        <div class="diagram-strip">
            <ul class="broker-strip" aria-label="Brokers">{ for brokers }</ul>
            <ul class="group-strip" aria-label="Consumer groups">{ for groups }</ul>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Replicas and ISR

/// One replica in the table.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaCell {
    pub broker: u32,
    pub in_sync: bool,
    /// Records behind the leader, shown for out-of-sync replicas only (in-sync followers
    /// trail by a fetch or two all the time, and that number would flicker every frame).
    pub behind: Option<u64>,
}

/// One partition's replicas.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaRow {
    pub partition: u32,
    pub leader: Option<u32>,
    pub isr: Vec<u32>,
    pub replicas: Vec<ReplicaCell>,
    /// During a reassignment (`kafka-reassign-partitions.sh`), the brokers joining and leaving.
    pub adding: Vec<u32>,
    pub removing: Vec<u32>,
}

impl ReplicaRow {
    /// Fewer in-sync replicas than assigned, not counting those a reassignment is adding
    /// (as `kafka-topics.sh --describe --under-replicated-partitions` counts).
    fn under_replicated(&self) -> bool {
        self.isr.len() < self.replicas.len().saturating_sub(self.adding.len())
    }
}

/// The replica table of the shown topic, as the engine's controller sees it.
pub fn replica_rows(model: &Model) -> Vec<ReplicaRow> {
    let Some(topic) = model.world().topic(&model.trace().topic) else {
        return Vec::new();
    };
    topic
        .partitions
        .iter()
        .map(|p| {
            let leader_end = p
                .leader
                .and_then(|l| p.replica(l))
                .map_or(p.log.log_end_offset(), |r| r.log_end_offset);
            ReplicaRow {
                partition: p.id,
                leader: p.leader,
                isr: p.isr.clone(),
                replicas: p
                    .replicas
                    .iter()
                    .map(|r| {
                        let in_sync = p.isr.contains(&r.broker);
                        ReplicaCell {
                            broker: r.broker,
                            in_sync,
                            behind: (!in_sync).then(|| leader_end.saturating_sub(r.log_end_offset)),
                        }
                    })
                    .collect(),
                adding: p.adding_replicas.clone(),
                removing: p.removing_replicas.clone(),
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct ReplicasProps {
    pub topic: AttrValue,
    /// `(broker id, running)`.
    pub brokers: Vec<(u32, bool)>,
    pub rows: Vec<ReplicaRow>,
    /// The topic's `min.insync.replicas`: below it, the leader refuses acks=all writes.
    pub min_isr: u32,
}

/// Partitions × brokers: which broker holds which replica, the leader, the ISR, and each
/// partition's health (under-replicated, offline).
#[component]
pub fn Replicas(props: &ReplicasProps) -> Html {
    let rf = props
        .rows
        .first()
        .map_or(0, |r| r.replicas.len().saturating_sub(r.adding.len()));
    let under = props
        .rows
        .iter()
        .filter(|r| r.leader.is_some() && r.under_replicated())
        .count();
    let offline = props.rows.iter().filter(|r| r.leader.is_none()).count();
    let heads = props.brokers.iter().map(|(id, running)| {
        html! {
            <th scope="col" class={classes!((!running).then_some("down"))} data-broker={id.to_string()}>
                { format!("broker {id}") }{ if *running { "" } else { " (stopped)" } }
            </th>
        }
    });
    let rows = props.rows.iter().map(|row| {
        let state = if row.leader.is_none() {
            "offline"
        } else if !row.adding.is_empty() || !row.removing.is_empty() {
            "reassigning"
        } else if row.under_replicated() {
            "under-replicated"
        } else {
            "in sync"
        };
        let cells = props.brokers.iter().map(|(b, running)| {
            let replica = row.replicas.iter().find(|r| r.broker == *b);
            let (class, text, label) = match replica {
                None => ("none", String::new(), format!("no replica on broker {b}")),
                Some(_) if row.leader == Some(*b) => {
                    ("leader", "L".to_string(), format!("leader on broker {b}"))
                }
                Some(r) if r.in_sync => (
                    "follower",
                    "✓".to_string(),
                    format!("in-sync follower on broker {b}"),
                ),
                Some(r) => (
                    "out-of-sync",
                    match r.behind {
                        Some(n) if n > 0 => format!("✗ −{n}"),
                        _ => "✗".to_string(),
                    },
                    format!(
                        "out of sync on broker {b}{}",
                        if *running { "" } else { " (stopped)" }
                    ),
                ),
            };
            let label = if row.adding.contains(b) {
                format!("{label}, joining (reassignment)")
            } else if row.removing.contains(b) {
                format!("{label}, leaving when the reassignment completes")
            } else {
                label
            };
            html! {
                <td class={classes!("replica", class, (!running).then_some("down"))} data-broker={b.to_string()}
                    title={label.clone()} aria-label={label}>{ text }</td>
            }
        });
        let isr: Vec<String> = row.isr.iter().map(u32::to_string).collect();
        html! {
            <tr key={row.partition} data-partition={row.partition.to_string()} data-state={state}
                data-leader={row.leader.map(|l| l.to_string()).unwrap_or_default()} data-isr={isr.join(",")}
                class={classes!(state.replace(' ', "-"))}>
                <th scope="row">{ format!("P{}", row.partition) }</th>
                { for cells }
                <td class="mono">{ format!("[{}]", isr.join(",")) }</td>
                <td class="state">{ match state {
                    "offline" => "✕ offline",
                    "under-replicated" => "⚠ under-replicated",
                    "reassigning" => "⇄ reassigning",
                    _ => "in sync",
                } }</td>
            </tr>
        }
    });
    let summary = format!(
        "Replicas of {} (replication factor {rf}, min.insync.replicas={}){}",
        props.topic,
        props.min_isr,
        match (under, offline) {
            (0, 0) => String::new(),
            (u, 0) => format!(": {u} under-replicated"),
            (0, o) => format!(": {o} offline"),
            (u, o) => format!(": {u} under-replicated, {o} offline"),
        }
    );
    html! {
        <details class="panel replicas-panel" open=true>
            <summary>{ summary }</summary>
            <div class="table-scroll">
                <table class="replicas" data-topic={props.topic.clone()} data-under={under.to_string()} data-offline={offline.to_string()}>
                    <caption>{ "L = " }<Term word="leader" />{ ", ✓ = in-sync follower, ✗ = out of sync (records behind the leader)" }</caption>
                    <thead><tr><th scope="col"><Term word="partition" /></th>{ for heads }<th scope="col"><Term word="ISR" /></th><th scope="col">{ "state" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::{DOT_R, NodeKeys, OUTLINE_HALF, ReplicaRow, group_bars, push_dot};

    /// A replica a reassignment is adding does not make its partition under-replicated while
    /// it catches up (`TopicCommand.getReplicationFactor` leaves it out).
    #[test]
    fn a_joining_replica_is_not_counted_as_missing() {
        let row = |isr: Vec<u32>, adding: Vec<u32>| ReplicaRow {
            partition: 0,
            leader: Some(1),
            isr,
            replicas: Vec::new(),
            adding,
            removing: Vec::new(),
        };
        let mut reassigning = row(vec![1, 2], vec![3]);
        reassigning.replicas = vec![
            super::ReplicaCell {
                broker: 3,
                in_sync: false,
                behind: Some(4),
            };
            3
        ];
        assert!(!reassigning.under_replicated());
        let mut short = row(vec![1], Vec::new());
        short.replicas = reassigning.replicas.clone();
        assert!(short.under_replicated());
    }
    use crate::sim::client::{ConsumerConfig, OffsetReset};
    use crate::sim::command::{Command, Subscription};
    use crate::ui::session::{Action, Session, TOPIC};

    /// A crashed member's countdown and its log line say the member's own
    /// `session.timeout.ms` (a scenario may set it: `ConsumerConfig::session_timeout_ms`, the
    /// `session.timeout.ms` of Kafka's `ConsumerConfig`), not Kafka's default.
    #[test]
    fn a_crashed_members_countdown_uses_its_own_session_timeout() {
        let mut m = Session::new(3);
        let quick = m
            .command(Command::AddConsumer {
                config: ConsumerConfig {
                    group_id: Some("fast".into()),
                    auto_offset_reset: OffsetReset::Earliest,
                    session_timeout_ms: 10_000,
                    ..Default::default()
                },
                subscription: Subscription::Topics(vec![TOPIC.into()]),
            })
            .expect("a consumer");
        let crate::sim::command::Outcome::Consumer(id) = quick else {
            panic!("{quick:?}");
        };
        m.run(8_000);
        m.act(Action::CrashConsumer(id));
        m.run(2_500);
        let bars = group_bars(&m, TOPIC);
        let fast = bars.iter().find(|g| g.id == "fast").expect("the group");
        let (client, crashed, left_ms, timeout_ms) = fast.waiting[0].clone();
        assert!(crashed, "{client}");
        assert_eq!(timeout_ms, 10_000);
        assert!(left_ms <= 7_500, "{left_ms}");
        let line = m
            .trace()
            .log
            .iter()
            .find(|l| l.text.contains("crashed"))
            .expect("a log line");
        assert!(
            line.text
                .ends_with("the coordinator notices after session.timeout.ms (10 s)"),
            "{}",
            line.text
        );
        // Members of the page's own group keep Kafka's default.
        let billing = m
            .world()
            .consumers()
            .find(|c| c.group.as_deref() == Some("billing"))
            .map(|c| c.id);
        m.act(Action::CrashConsumer(billing.expect("billing")));
        m.run(100);
        assert!(
            m.trace()
                .log
                .iter()
                .any(|l| l.text.ends_with("session.timeout.ms (45 s)"))
        );
    }

    #[test]
    fn seconds_read_as_a_sentence_says_them() {
        use crate::ui::session::format_s;
        assert_eq!(format_s(45_000), "45 s");
        assert_eq!(format_s(10_500), "10.5 s");
        assert_eq!(format_s(250), "0.25 s");
        assert_eq!(format_s(6_001), "6.001 s");
    }

    #[test]
    fn a_cell_keeps_its_node_and_a_new_record_takes_a_freed_one() {
        let mut keys = NodeKeys::default();
        assert_eq!(keys.assign(vec![0, 1, 2]), [0, 1, 2], "fresh keys at first");
        // One append, one record off the start: 3 is drawn by 0's node.
        assert_eq!(keys.assign(vec![1, 2, 3]), [1, 2, 0]);
        // The whole lane replaced: every node redrawn in place, in order, none built.
        assert_eq!(keys.assign(vec![10, 11, 12]), [1, 2, 0]);
        // More cells than nodes: fresh keys for the rest, never one in use.
        assert_eq!(keys.assign(vec![12, 13, 14, 15, 16]), [0, 1, 2, 3, 4]);
        // Fewer (a compacted log's gap): the nodes of records still drawn are kept.
        assert_eq!(keys.assign(vec![14, 16]), [2, 4]);
        assert_eq!(keys.assign(vec![]), Vec::<u64>::new());
        assert_eq!(keys.assign(vec![20, 21]), [5, 6]);
    }

    #[test]
    fn a_dot_is_two_half_circles_of_its_radius() {
        let mut d = String::new();
        push_dot(&mut d, 100.04, 20.25, 6.0);
        push_dot(&mut d, 3.0, -1.0, 6.5);
        assert_eq!(
            d,
            "M94.0,20.3a6.0,6.0 0 1,0 12.0,0a6.0,6.0 0 1,0 -12.0,0M-3.5,-1.0a6.5,6.5 0 1,0 13.0,0a6.5,6.5 0 1,0 -13.0,0"
        );
        // A dot's outline is the disc under it, as wide as the stroke it replaces.
        assert_eq!((DOT_R - OUTLINE_HALF, DOT_R + OUTLINE_HALF), (5.5, 6.5));
    }
}
