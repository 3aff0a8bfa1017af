//! The EDA-vs-SOA view: one business flow built as services calling services (left) and as
//! events through the broker (right), driven by the same users, changed by the same controls.
//!
//! Everything drawn is the comparison's state: service boxes and their health, calls in flight
//! placed by their `sent`/`arrives` times, the topic's partitions, each consumer group's lag,
//! and the metric samples. The model (`compare_view/model.rs`) is plain Rust; this file only
//! draws it and turns input into actions.

pub mod model;

use yew::prelude::*;

use crate::sim::compare::{Comparison, Sample, SideSample, StartFrom};
use crate::sim::soa::{CallPhase, Fanout, Health, Node, OnFailure, Soa};
use crate::ui::components::el::{self, Attr};
use crate::ui::components::{self, Term, error_banner, send};
use crate::ui::hooks::{use_frames, use_reduced_motion};
use model::{Action, Flow, Model, Setup, fanout_text, ms, percent};

/// Calls drawn at once per side (the rest are counted, not drawn).
const MAX_DOTS: usize = 80;
const SVG_WIDTH: f64 = 360.0;
const ROW: f64 = 58.0;

/// The EDA-vs-SOA view.
#[component]
pub fn EdaVsSoa() -> Html {
    // The page's session keeps the view's world while other views are shown.
    let store = crate::ui::session::use_kept_store(crate::ui::session::SharedSession::compare);
    let running = store.model.borrow().running;
    use_frames(running, store.dispatcher(), |wall_ms| Action::Frame {
        wall_ms,
    });
    let dispatch = {
        let store = store.clone();
        Callback::from(move |action: Action| store.dispatch(action))
    };
    let motion = !use_reduced_motion();
    let model = store.model.borrow();
    let live = model.live();
    let c = &model.comparison;
    html! {
        <div class="compare">
            { el::text("h2", &[], "EDA vs SOA") }
            { el::string("p", &[("class", Attr("hint"))], format!("{}: the same users and services, built two ways. Click a service box to make it slow, then down, then up again — both sides at once.", c.preset().title)) }
            { controls(&model, &dispatch) }
            { components::time_travel(!c.is_live(), c.now_ms(), c.horizon_ms(), model.replaced_future,
                &dispatch.reform(Action::Seek), send(&dispatch, Action::DismissReplaced)) }
            { error_banner(model.error.as_ref(), send(&dispatch, Action::DismissError)) }
            <div class="cmp-sides">
                <section class="cmp-side" data-side="soa" aria-label="SOA: services calling services">
                    { el::text("h3", &[], "SOA — services call services") }
                    { el::text("p", &[("class", Attr("cmp-key"))], "Click a service box (or Tab to it, Enter): up → slow → down.") }
                    { soa_diagram(c, motion, &dispatch) }
                    { side_metrics("soa", &live.soa) }
                    { answers(c.soa_recent_answers(), &c.preset().success, &c.preset().failure) }
                </section>
                <section class="cmp-side" data-side="eda" aria-label="EDA: events through the broker">
                    { el::text("h3", &[], "EDA — services react to events") }
                    <p class="cmp-key">{ "Each service is a " }<Term word="consumer group" />{ " reading the " }<Term word="topic" />{ "’s " }<Term word="partition" text="partitions" />{ "." }</p>
                    { eda_diagram(c, &live.eda, motion, &dispatch) }
                    { side_metrics("eda", &live.eda) }
                    { answers(c.eda_recent_answers(), &c.preset().success, &c.preset().failure) }
                </section>
            </div>
            { services_panel(&model, &live, &dispatch) }
            { charts(&model) }
            { tradeoffs(&model, &live) }
            <p class="sr-only" aria-live="polite" role="status">{ model.announcement.clone() }</p>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Controls

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn controls(model: &Model, dispatch: &Callback<Action>) -> Html {
    // Reset and a new flow keep the fan-out and speed chosen since.
    let setup = model.current_setup();
    let c = &model.comparison;
    let play = send(dispatch, Action::TogglePlay);
    let reset = send(dispatch, Action::Reset(setup));
    let onflow = dispatch.reform(move |e: Event| {
        let flow = if select_value(&e) == "order" {
            Flow::Order
        } else {
            Flow::Registration
        };
        Action::Reset(Setup { flow, ..setup })
    });
    let onspeed =
        dispatch.reform(|e: Event| Action::SetSpeed(select_value(&e).parse().unwrap_or(1.0)));
    let onfanout = dispatch.reform(|e: Event| {
        Action::SetFanout(if select_value(&e) == "parallel" {
            Fanout::Parallel
        } else {
            Fanout::Sequential
        })
    });
    let spike = send(dispatch, Action::Spike);
    let users_running = c.users_running();
    let users = send(dispatch, Action::SetUsers(!users_running));
    let add_beginning = send(
        dispatch,
        Action::AddService {
            start: StartFrom::Beginning,
        },
    );
    let add_now = send(
        dispatch,
        Action::AddService {
            start: StartFrom::Now,
        },
    );
    let pending = c.pending_redeploy();
    let redeploy = send(dispatch, Action::ConfirmRedeploy);
    let speeds = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0].map(|s| {
        html! { <option value={s.to_string()} selected={(s - model.speed).abs() < 1e-9}>{ format!("{s}×") }</option> }
    });
    let fanout = c.config().fanout;
    html! {
        <div class="controls cmp-controls">
            <label>{ el::text("span", &[("class", Attr("cmp-label"))], "Flow ") }
                <select class="cmp-flow" onchange={onflow} aria-label="Business flow (resets)">
                    <option value="registration" selected={setup.flow == Flow::Registration}>{ "User registration" }</option>
                    <option value="order" selected={setup.flow == Flow::Order}>{ "Order placement" }</option>
                </select>
            </label>
            <button type="button" class="cmp-play" onclick={play} aria-pressed={model.running.to_string()}>
                { if model.running { "Pause" } else { "Run" } }
            </button>
            <label>{ el::text("span", &[("class", Attr("cmp-label"))], "Speed ") }<select onchange={onspeed} aria-label="Speed">{ for speeds }</select></label>
            <button type="button" onclick={reset}>{ "Reset" }</button>
            { components::time_slider(c.now_ms(), c.earliest_ms(), c.horizon_ms(), None, &dispatch.reform(Action::Seek)) }
            <label>{ "SOA calls " }
                <select class="cmp-fanout" onchange={onfanout} aria-label="How the SOA front calls its services">
                    <option value="sequential" selected={fanout == Fanout::Sequential}>{ "in turn" }</option>
                    <option value="parallel" selected={fanout == Fanout::Parallel}>{ "in parallel" }</option>
                </select>
            </label>
            <button type="button" class="cmp-spike" onclick={spike}>{ format!("Spike (+{} users)", model::SPIKE_REQUESTS) }</button>
            <button type="button" class="cmp-users" onclick={users} aria-pressed={(!users_running).to_string()}>
                { if users_running { "Stop new users" } else { "Resume users" } }
            </button>
            <button type="button" class="cmp-add" onclick={add_beginning}>{ el::text("span", &[("class", Attr("long"))], "Add a service (EDA reads from the beginning)") }{ el::text("span", &[("class", Attr("short"))], "+ service, EDA from start") }</button>
            <button type="button" class="cmp-add-now" onclick={add_now}>{ el::text("span", &[("class", Attr("long"))], "Add a service (EDA reads from now)") }{ el::text("span", &[("class", Attr("short"))], "+ service, EDA from now") }</button>
            if !pending.is_empty() {
                <button type="button" class="cmp-redeploy" onclick={redeploy}>
                    { format!("SOA: change the front service to call {} and redeploy", pending.join(", ")) }
                </button>
            }
            { el::string("span", &[("class", Attr("counters"))], format!("t = {:.1} s · {} users", c.now_ms() as f64 / 1000.0, c.requests())) }
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Diagrams

fn health_class(health: Health) -> &'static str {
    match health {
        Health::Up => "up",
        Health::Slow => "slow",
        Health::Down => "down",
    }
}

/// Height of one text line in a service box, in the diagram's units.
const LINE: f64 = 15.0;

/// A service box: its name, its health as a word (the cue besides colour and dash) and a detail
/// line. It is a button: a click, Enter or Space moves the service up → slow → down → up, on
/// both sides at once.
fn service_box(
    (x, y, width): (f64, f64, f64),
    name: &str,
    health: Health,
    detail: String,
    dispatch: &Callback<Action>,
) -> Html {
    let next = model::next_health(health);
    let set = {
        let service = name.to_string();
        dispatch.reform(move |()| Action::SetHealth {
            service: service.clone(),
            health: next,
        })
    };
    let onclick = set.reform(|_: MouseEvent| ());
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if matches!(e.key().as_str(), "Enter" | " ") {
            // Space would scroll the page, as it does on a focused button.
            e.prevent_default();
            set.emit(());
        }
    });
    let height = 3.0 * LINE + 6.0;
    let top = y - height / 2.0;
    let line = |i: f64| (top + 3.0 + LINE * i - 3.5).to_string();
    html! {
        <g class={classes!("svc", health_class(health))} data-service={name.to_string()} data-health={health.name()}
            role="button" tabindex="0" {onclick} {onkeydown}
            aria-label={format!("{name}: {}. Press to make it {}.", health.name(), next.name())}>
            <title>{ format!("{name} is {} — click to make it {}", health.name(), next.name()) }</title>
            <rect x={(x - width / 2.0).to_string()} y={top.to_string()} width={width.to_string()} height={height.to_string()} rx="4" />
            <text x={x.to_string()} y={line(1.0)}>{ name.to_string() }</text>
            <text class="health" x={x.to_string()} y={line(2.0)}>{ health.name() }</text>
            <text class="small" x={x.to_string()} y={line(3.0)}>{ detail }</text>
        </g>
    }
}

fn user_box(y: f64) -> Html {
    html! {
        <g class="svc user">
            <circle cx="14" cy={y.to_string()} r="9" />
            <text class="start" x="0" y={(y - 14.0).to_string()}>{ "users" }</text>
        </g>
    }
}

fn lerp(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let t = t.clamp(0.0, 1.0);
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

fn fraction(now: u64, sent: u64, arrives: u64) -> f64 {
    if arrives <= sent {
        return 1.0;
    }
    (now.saturating_sub(sent)) as f64 / (arrives - sent) as f64
}

/// Dots for calls on the wire: requests travel caller → callee, responses back.
fn call_dots(soa: &Soa, now: u64, place: &dyn Fn(Node) -> Option<(f64, f64)>) -> Html {
    let dots = soa
        .calls()
        .filter_map(|call| {
            let from = place(call.caller.node())?;
            let to = place(call.callee.node())?;
            match call.phase {
                CallPhase::Travelling => Some((
                    lerp(from, to, fraction(now, call.sent_at_ms, call.arrives_at_ms)),
                    true,
                )),
                CallPhase::Responding {
                    ok,
                    sent_at_ms,
                    arrives_at_ms,
                } => Some((lerp(to, from, fraction(now, sent_at_ms, arrives_at_ms)), ok)),
                _ => None,
            }
        })
        .take(MAX_DOTS)
        .map(|((x, y), ok)| {
            html! { <circle class={classes!("call", (!ok).then_some("failed"))} cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3.5" /> }
        });
    html! { <g class="calls">{ for dots }</g> }
}

/// Where a downstream row's centre is.
fn row_y(i: usize) -> f64 {
    10.0 + ROW * (i as f64 + 0.5)
}

fn soa_diagram(c: &Comparison, motion: bool, dispatch: &Callback<Action>) -> Html {
    let soa = c.soa();
    let downstreams = c.downstreams();
    let n = downstreams.len().max(1) as f64;
    let height = 20.0 + ROW * n;
    let mid = height / 2.0;
    let front = (93.0, mid);
    let down_x = 281.0;
    let front_id = c.soa_front();
    let place = |node: Node| -> Option<(f64, f64)> {
        match node {
            Node::User => Some((14.0, mid)),
            Node::Service(id) if id == front_id => Some(front),
            Node::Service(id) => downstreams
                .iter()
                .position(|d| d.soa_service == id)
                .map(|i| (down_x, row_y(i))),
            Node::External(_) => None,
        }
    };
    let front_svc = soa.service(front_id);
    let front_detail = front_svc.map_or(String::new(), |s| {
        format!("{} busy · {} queued", s.busy, s.queue.len())
    });
    let edges = downstreams.iter().enumerate().map(|(i, d)| {
        let y = row_y(i);
        html! { <line class={classes!("edge", (!d.in_soa_caller).then_some("pending"))} x1="150" y1={mid.to_string()} x2="206" y2={y.to_string()} /> }
    });
    let boxes = downstreams.iter().enumerate().map(|(i, d)| {
        let detail = soa.service(d.soa_service).map_or(String::new(), |s| {
            if d.in_soa_caller {
                format!("{} done · {} queued", s.stats.succeeded, s.queue.len())
            } else {
                "not called: redeploy".to_string()
            }
        });
        service_box(
            (down_x, row_y(i), 150.0),
            &d.spec.name,
            d.health,
            detail,
            dispatch,
        )
    });
    html! {
        <svg class="cmp-diagram" viewBox={format!("0 0 {SVG_WIDTH} {height}")}
            aria-label="Users call the front service, which calls each downstream service and waits. Each service box is a button that changes its health.">
            <line class="edge" x1="24" y1={mid.to_string()} x2="36" y2={mid.to_string()} />
            { for edges }
            { user_box(mid) }
            { service_box((front.0, front.1, 114.0), &c.preset().front.name, c.front_health(), front_detail, dispatch) }
            { for boxes }
            if motion { { call_dots(soa, c.now_ms(), &place) } }
        </svg>
    }
}

fn eda_diagram(
    c: &Comparison,
    eda: &SideSample,
    motion: bool,
    dispatch: &Callback<Action>,
) -> Html {
    let world = c.world();
    let downstreams = c.downstreams();
    let n = downstreams.len().max(1) as f64;
    let partitions: Vec<(u32, u64)> = world
        .topic(c.topic())
        .map(|t| {
            t.partitions
                .iter()
                .map(|p| (p.id, p.log.log_end_offset()))
                .collect()
        })
        .unwrap_or_default();
    let height = (20.0 + ROW * n).max(44.0 + 18.0 * partitions.len() as f64);
    let mid = height / 2.0;
    let front = (93.0, mid);
    let (topic_x, topic_w) = (160.0, 66.0);
    let group_x = 296.0;
    let place = |node: Node| -> Option<(f64, f64)> {
        match node {
            Node::User => Some((14.0, mid)),
            Node::Service(_) => Some(front),
            Node::External(_) => Some((topic_x, mid)),
        }
    };
    let lanes_top = (mid - 9.0 * partitions.len() as f64).max(22.0);
    let lanes = partitions.iter().enumerate().map(|(i, (p, end))| {
        let y = lanes_top + 18.0 * i as f64;
        html! {
            <g class="lane" data-partition={p.to_string()} data-end={end.to_string()}>
                <rect x={topic_x.to_string()} y={y.to_string()} width={topic_w.to_string()} height="16" />
                <text x={(topic_x + topic_w / 2.0).to_string()} y={(y + 12.0).to_string()}>{ format!("p{p} · {end}") }</text>
            </g>
        }
    });
    let lag = &eda.downstream;
    let groups = downstreams.iter().enumerate().map(|(i, d)| {
        let y = row_y(i);
        let backlog = lag.get(i).map_or(0, |s| s.backlog);
        let bar = (backlog as f64).sqrt().min(40.0);
        html! {
            <g data-group={d.group().to_string()} data-lag={backlog.to_string()}>
                <line class="edge" x1={(topic_x + topic_w).to_string()} y1={mid.to_string()} x2="236" y2={y.to_string()} />
                { service_box((group_x, y, 120.0), &d.spec.name, d.health, format!("lag {backlog} {}", if backlog == 1 { "event" } else { "events" }), dispatch) }
                <rect class="lag-bar" x="236" y={(y + 26.0).to_string()} width={format!("{:.1}", bar * 3.0)} height="3" />
            </g>
        }
    });
    html! {
        <svg class="cmp-diagram" viewBox={format!("0 0 {SVG_WIDTH} {height}")}
            aria-label="Users call the front service, which writes an event to the topic; each service's consumer group reads it. Each service box is a button that changes its health.">
            <line class="edge" x1="24" y1={mid.to_string()} x2="36" y2={mid.to_string()} />
            <line class="edge" x1="150" y1={mid.to_string()} x2={topic_x.to_string()} y2={mid.to_string()} />
            { user_box(mid) }
            { service_box((front.0, front.1, 114.0), &c.preset().front.name, c.front_health(), "1 dep: the topic".to_string(), dispatch) }
            // Above the lanes, right-aligned on them, clear of the boxes.
            <text class="topic-label" x={(topic_x + topic_w).to_string()} y="14">{ format!("topic {}", c.topic()) }</text>
            { for lanes }
            { for groups }
            if motion { { call_dots(c.eda_front(), c.now_ms(), &place) } }
        </svg>
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn side_metrics(side: &'static str, s: &SideSample) -> Html {
    let row = |label: Html, key: &'static str, value: String| {
        html! { <tr><th scope="row">{ label }</th><td data-metric={key} data-side={side}>{ value }</td></tr> }
    };
    let text = |t: &'static str| html! { { t } };
    let latency = |p: &'static str| html! { <>{ "Latency " }<Term word="p50/p99" text={p} /></> };
    html! {
        <table class="cmp-metrics">
            <tbody>
                { row(latency("p50"), "p50", ms(s.p50_ms)) }
                { row(latency("p99"), "p99", ms(s.p99_ms)) }
                { row(text("Success (last 10 s)"), "success", percent(s.success_per_mille)) }
                { row(text("Users answered OK / error"), "outcomes", format!("{} / {}", s.succeeded, s.failed)) }
                { row(text("Users waiting"), "waiting", s.waiting.to_string()) }
                { row(text("Front's direct dependencies"), "coupling", s.front_dependencies.to_string()) }
            </tbody>
        </table>
    }
}

fn answers(
    recent: &std::collections::VecDeque<crate::sim::soa::UserAnswer>,
    success: &str,
    failure: &str,
) -> Html {
    let items = recent.iter().rev().take(8).map(|a| {
        let word = if a.ok { success } else { failure };
        let why = a
            .failure
            .map(|f| format!(" ({})", f.name()))
            .unwrap_or_default();
        html! {
            <li class={classes!(if a.ok { "ok" } else { "bad" })}>
                { format!("user {}: “{word}”{why} after {} ms", a.request, a.latency_ms()) }
            </li>
        }
    });
    html! {
        { el::tags("div", &[("class", Attr("cmp-answers"))], vec![
            el::text("h4", &[], "What the last users saw"),
            el::tags("ol", &[], items.collect()),
        ]) }
    }
}

fn services_panel(model: &Model, live: &Sample, dispatch: &Callback<Action>) -> Html {
    let c = &model.comparison;
    let health_buttons = |name: String, current: Health| {
        let buttons = [Health::Up, Health::Slow, Health::Down].map(|h| {
            let onclick = send(
                dispatch,
                Action::SetHealth {
                    service: name.clone(),
                    health: h,
                },
            );
            html! {
                <button type="button" class={classes!("health", health_class(h))} data-health={h.name()}
                    aria-pressed={(h == current).to_string()} {onclick}
                    aria-label={format!("{name}: {}", h.name())}>{ h.name() }</button>
            }
        });
        html! { <span class="health-buttons" role="group">{ for buttons }</span> }
    };
    let front = &c.preset().front.name;
    let rows = c.downstreams().iter().enumerate().map(|(i, d)| {
        let soa = live.soa.downstream.get(i);
        let eda = live.eda.downstream.get(i);
        let policy = c
            .soa()
            .service(c.soa_front())
            .and_then(|s| {
                s.dependencies.iter().find(|dep| {
                    matches!(dep.target, crate::sim::soa::Target::Service(id) if id == d.soa_service)
                })
            })
            .map(|dep| dep.policy.on_failure);
        let service = d.spec.name.clone();
        let onpolicy = dispatch.reform(move |e: Event| Action::SetOnFailure {
            service: service.clone(),
            on_failure: if select_value(&e) == "fallback" {
                OnFailure::Fallback
            } else {
                OnFailure::FailRequest
            },
        });
        html! {
            <tr data-service={d.spec.name.clone()}>
                { el::row_head(d.spec.name.clone()) }
                <td data-label="health">{ health_buttons(d.spec.name.clone(), d.health) }</td>
                <td data-label="SOA: on failure the front…">
                    if let Some(policy) = policy {
                        <select onchange={onpolicy} aria-label={format!("When {} fails, the SOA front", d.spec.name)}>
                            <option value="fail" selected={policy == OnFailure::FailRequest}>{ "fails the request" }</option>
                            <option value="fallback" selected={policy == OnFailure::Fallback}>{ "carries on (fallback)" }</option>
                        </select>
                    } else {
                        { "not called yet" }
                    }
                </td>
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("work")), ("data-side", Attr("soa")), ("data-label", Attr("SOA done"))], soa.map_or(0, |s| s.work_done).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("backlog")), ("data-side", Attr("soa")), ("data-label", Attr("SOA queue"))], soa.map_or(0, |s| s.backlog).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("work")), ("data-side", Attr("eda")), ("data-label", Attr("EDA done"))], eda.map_or(0, |s| s.work_done).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("backlog")), ("data-side", Attr("eda")), ("data-label", Attr("EDA lag"))], eda.map_or(0, |s| s.backlog).to_string()) }
            </tr>
        }
    });
    html! {
        <section class="panel cmp-services" aria-label="Services">
            { el::text("h3", &[], "Services (changes hit both sides at once)") }
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        { el::text("th", &[("scope", Attr("col"))], "service") }
                        { el::text("th", &[("scope", Attr("col"))], "health") }
                        { el::text("th", &[("scope", Attr("col"))], "SOA: on failure the front…") }
                        { el::text("th", &[("scope", Attr("col"))], "SOA done") }
                        { el::text("th", &[("scope", Attr("col"))], "SOA queue") }
                        { el::text("th", &[("scope", Attr("col"))], "EDA done") }
                        <th scope="col">{ "EDA " }<Term word="lag" /></th>
                    </tr></thead>
                    <tbody>
                        <tr data-service={front.clone()}>
                            { el::row_head(format!("{front} (front)")) }
                            <td data-label="health">{ health_buttons(front.clone(), c.front_health()) }</td>
                            { el::string("td", &[("colspan", Attr("5")), ("class", Attr("note"))], format!("SOA: calls {} services {}; EDA: writes one event to {}.", live.soa.front_dependencies, fanout_text(c.config().fanout), c.topic())) }
                        </tr>
                        { for rows }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The chart's drawing box (its viewBox), and where the plot sits inside it: room on the left
/// for the value axis, below for the time axis. Text is 12 units, and the chart is never drawn
/// narrower than its viewBox (see app.css), so it stays at least 12 px.
const CHART_W: f64 = 300.0;
const CHART_H: f64 = 150.0;
const PLOT: (f64, f64, f64, f64) = (58.0, 292.0, 12.0, 112.0);

/// A value axis label: a whole number.
fn tick(v: f64) -> String {
    format!("{}", v.round() as i64)
}

/// One chart: two series over the samples, SOA solid and EDA dashed (labelled, not only
/// coloured), with a value axis (0, half, top, in `unit`) and a time axis in seconds.
fn chart(
    title: &str,
    unit: &str,
    samples: &[&Sample],
    value: impl Fn(&SideSample) -> Option<f64>,
    max: Option<f64>,
) -> Html {
    let soa: Vec<Option<f64>> = samples.iter().map(|s| value(&s.soa)).collect();
    let eda: Vec<Option<f64>> = samples.iter().map(|s| value(&s.eda)).collect();
    let top = max.unwrap_or_else(|| {
        soa.iter()
            .chain(eda.iter())
            .flatten()
            .fold(1.0f64, |a, &b| a.max(b))
    });
    let (x0, x1, y0, y1) = PLOT;
    let t_first = samples.first().map_or(0, |s| s.at_ms) as f64 / 1000.0;
    let t_last = samples.last().map_or(0, |s| s.at_ms) as f64 / 1000.0;
    let span = (t_last - t_first).max(1.0);
    let x_of = |t: f64| x0 + (x1 - x0) * (t - t_first) / span;
    let y_of = |v: f64| y1 - (y1 - y0) * (v / top).clamp(0.0, 1.0);
    let points = |series: &[Option<f64>]| -> String {
        series
            .iter()
            .zip(samples)
            .filter_map(|(v, s)| {
                v.map(|v| format!("{:.1},{:.1}", x_of(s.at_ms as f64 / 1000.0), y_of(v)))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let last = |series: &[Option<f64>]| {
        series
            .last()
            .copied()
            .flatten()
            .map_or("—".to_string(), |v| format!("{v:.0} {unit}"))
    };
    let y_ticks = [(0.0, ""), (top / 2.0, ""), (top, unit)].map(|(v, unit)| {
        let y = y_of(v);
        html! {
            <g class="tick">
                <line class="grid" x1={x0.to_string()} x2={x1.to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                <text class="y" x={(x0 - 4.0).to_string()} y={format!("{:.1}", y + 4.0)}>{ format!("{} {unit}", tick(v)).trim_end().to_string() }</text>
            </g>
        }
    });
    // Whole seconds, each label where its second is.
    let mut seconds = vec![
        t_first.ceil(),
        ((t_first + t_last) / 2.0).round(),
        t_last.floor(),
    ];
    seconds.dedup();
    let x_ticks = seconds.into_iter().map(|t| {
        html! { <text class="x" x={format!("{:.1}", x_of(t))} y={(y1 + 16.0).to_string()}>{ format!("{}", t as i64) }</text> }
    });
    html! {
        <figure class="cmp-chart">
            { el::string("figcaption", &[], format!("{title} — now SOA {} · EDA {}", last(&soa), last(&eda))) }
            <svg viewBox={format!("0 0 {CHART_W} {CHART_H}")} role="img"
                aria-label={format!("{title} over time, in {unit}: SOA {}, EDA {}", last(&soa), last(&eda))}>
                { for y_ticks }
                <line class="axis" x1={x0.to_string()} x2={x0.to_string()} y1={y0.to_string()} y2={y1.to_string()} />
                <line class="axis" x1={x0.to_string()} x2={x1.to_string()} y1={y1.to_string()} y2={y1.to_string()} />
                { for x_ticks }
                <text class="x-title" x={((x0 + x1) / 2.0).to_string()} y={(CHART_H - 4.0).to_string()}>{ "time (s)" }</text>
                <polyline class="soa" points={points(&soa)} />
                <polyline class="eda" points={points(&eda)} />
            </svg>
        </figure>
    }
}

fn charts(model: &Model) -> Html {
    let samples = model.chart_samples();
    html! {
        <section class="panel cmp-charts" aria-label="Over time">
            { el::text("h3", &[], "Over time (one sample per second; solid: SOA, dashed: EDA)") }
            <div class="cmp-chart-row">
                { chart("User latency p99", "ms", &samples, |s| s.p99_ms.map(|v| v as f64), None) }
                { chart("Success, last 10 s", "%", &samples, |s| s.success_per_mille.map(|v| f64::from(v) / 10.0), Some(100.0)) }
                { chart("Work waiting (SOA queues + EDA lag)", "items", &samples, |s| Some(s.downstream.iter().map(|d| d.backlog as f64).sum()), None) }
            </div>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Tradeoffs

fn tradeoffs(model: &Model, live: &Sample) -> Html {
    let c = &model.comparison;
    let mut notes: Vec<String> = Vec::new();
    for (i, d) in c.downstreams().iter().enumerate() {
        let lag = live.eda.downstream.get(i).map_or(0, |s| s.backlog);
        match d.health {
            Health::Down => notes.push(format!(
                "{} is down. SOA: users who need it get an error (or, with a fallback, an answer without it). EDA: users still see “{}”; {lag} events wait in its lag and it catches up when it returns — the work happens later, not never.",
                d.spec.name,
                c.preset().success
            )),
            Health::Slow => notes.push(format!(
                "{} is slow. SOA: every user waits for it (p99 {}). EDA: users do not wait for it (p99 {}); its lag shows the delay instead ({lag} events behind).",
                d.spec.name,
                ms(live.soa.p99_ms),
                ms(live.eda.p99_ms)
            )),
            Health::Up if lag > 20 => notes.push(format!(
                "{} is behind by {lag} events: on the event side, what it does (an email, a CRM record) happens later — eventual consistency.",
                d.spec.name
            )),
            Health::Up => {}
        }
    }
    let pending = c.pending_redeploy();
    if !pending.is_empty() {
        notes.push(format!(
            "Added {}: the event side already runs it as a new consumer group, without touching the producer. The SOA front must be changed and redeployed before anyone calls it.",
            pending.join(", ")
        ));
    }
    html! {
        <section class="panel cmp-tradeoffs" aria-label="Tradeoffs">
            { el::text("h3", &[], "What this shows") }
            if notes.is_empty() {
                { el::text("p", &[], "Everything is up: both sides succeed. The event side answers after one write to the broker; the service side after every call returns.") }
            } else {
                { el::tags("ul", &[], notes.into_iter().map(|n| el::string("li", &[], n)).collect()) }
            }
            { el::text("h4", &[], "When to use which") }
            { el::tags("ul", &[], vec![
                el::text("li", &[], "EDA: answers faster and survives a downstream outage; new consumers are added without changing the producer. But the downstream work happens later (eventual consistency), and a failure shows up as lag, not as an error the user sees."),
                el::text("li", &[], "SOA: an immediate, complete answer and simpler reasoning — the user knows everything was done. But each call couples availability and latency: the slowest or broken service decides what every user gets, and adding a service means changing and redeploying the caller."),
            ]) }
        </section>
    }
}
