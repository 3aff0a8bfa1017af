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
use crate::ui::components::{error_banner, send};
use crate::ui::hooks::{prefers_reduced_motion, use_frames};
use model::{Action, Flow, Model, Setup, fanout_text, ms, percent};

/// Calls drawn at once per side (the rest are counted, not drawn).
const MAX_DOTS: usize = 80;
const SVG_WIDTH: f64 = 360.0;
const ROW: f64 = 34.0;

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
    let model = store.model.borrow();
    let live = model.live();
    let motion = !prefers_reduced_motion();
    let c = &model.comparison;
    html! {
        <div class="compare">
            { el::text("h2", &[], "EDA vs SOA") }
            { el::string("p", &[("class", Attr("hint"))], format!("{}: the same users, the same services, built two ways. Take a service down, make one slow, send a spike, add a service — both sides at once.", c.preset().title)) }
            { controls(&model, &dispatch) }
            { error_banner(model.error.as_ref(), send(&dispatch, Action::DismissError)) }
            <div class="cmp-sides">
                <section class="cmp-side" data-side="soa" aria-label="SOA: services calling services">
                    { el::text("h3", &[], "SOA — services call services") }
                    { soa_diagram(c, motion) }
                    { side_metrics("soa", &live.soa) }
                    { answers(c.soa_recent_answers(), &c.preset().success, &c.preset().failure) }
                </section>
                <section class="cmp-side" data-side="eda" aria-label="EDA: events through the broker">
                    { el::text("h3", &[], "EDA — services react to events") }
                    { eda_diagram(c, &live.eda, motion) }
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
    let setup = model.setup;
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
            <label>{ "Flow " }
                <select class="cmp-flow" onchange={onflow} aria-label="Business flow (resets)">
                    <option value="registration" selected={setup.flow == Flow::Registration}>{ "User registration" }</option>
                    <option value="order" selected={setup.flow == Flow::Order}>{ "Order placement" }</option>
                </select>
            </label>
            <button type="button" class="cmp-play" onclick={play} aria-pressed={model.running.to_string()}>
                { if model.running { "Pause" } else { "Run" } }
            </button>
            <label>{ "Speed " }<select onchange={onspeed} aria-label="Speed">{ for speeds }</select></label>
            <button type="button" onclick={reset}>{ "Reset" }</button>
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
            <button type="button" class="cmp-add" onclick={add_beginning}>{ "Add a service (EDA reads from the beginning)" }</button>
            <button type="button" class="cmp-add-now" onclick={add_now}>{ "Add a service (EDA reads from now)" }</button>
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

/// A service box: name, health in words (the second cue besides colour), a detail line.
fn service_box(x: f64, y: f64, name: &str, health: Health, detail: String) -> Html {
    html! {
        <g class={classes!("svc", health_class(health))} data-service={name.to_string()} data-health={health.name()}>
            <rect x={(x - 58.0).to_string()} y={(y - 13.0).to_string()} width="116" height="28" rx="4" />
            <text x={x.to_string()} y={(y - 1.0).to_string()}>{ format!("{name} · {}", health.name()) }</text>
            <text class="small" x={x.to_string()} y={(y + 10.0).to_string()}>{ detail }</text>
        </g>
    }
}

fn user_box(y: f64) -> Html {
    html! {
        <g class="svc user">
            <circle cx="18" cy={y.to_string()} r="10" />
            <text x="18" y={(y + 24.0).to_string()}>{ "users" }</text>
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

fn soa_diagram(c: &Comparison, motion: bool) -> Html {
    let soa = c.soa();
    let downstreams = c.downstreams();
    let n = downstreams.len().max(1) as f64;
    let height = 20.0 + ROW * n;
    let mid = height / 2.0;
    let front = (120.0, mid);
    let row_y = |i: usize| 10.0 + ROW * (i as f64 + 0.5);
    let front_id = c.soa_front();
    let place = |node: Node| -> Option<(f64, f64)> {
        match node {
            Node::User => Some((18.0, mid)),
            Node::Service(id) if id == front_id => Some(front),
            Node::Service(id) => downstreams
                .iter()
                .position(|d| d.soa_service == id)
                .map(|i| (280.0, row_y(i))),
            Node::External(_) => None,
        }
    };
    let front_svc = soa.service(front_id);
    let front_detail = front_svc.map_or(String::new(), |s| {
        format!(
            "{} busy · {} queued · {} deps",
            s.busy,
            s.queue.len(),
            s.dependencies.len()
        )
    });
    let edges = downstreams.iter().enumerate().map(|(i, d)| {
        let y = row_y(i);
        html! { <line class={classes!("edge", (!d.in_soa_caller).then_some("pending"))} x1="178" y1={mid.to_string()} x2="222" y2={y.to_string()} /> }
    });
    let boxes = downstreams.iter().enumerate().map(|(i, d)| {
        let detail = soa.service(d.soa_service).map_or(String::new(), |s| {
            if d.in_soa_caller {
                format!("{} done · {} queued", s.stats.succeeded, s.queue.len())
            } else {
                "not called yet: redeploy".to_string()
            }
        });
        service_box(280.0, row_y(i), &d.spec.name, d.health, detail)
    });
    html! {
        <svg class="cmp-diagram" viewBox={format!("0 0 {SVG_WIDTH} {height}")} role="img"
            aria-label="Users call the front service, which calls each downstream service and waits">
            <line class="edge" x1="28" y1={mid.to_string()} x2="62" y2={mid.to_string()} />
            { for edges }
            { user_box(mid) }
            { service_box(front.0, front.1, &c.preset().front.name, c.front_health(), front_detail) }
            { for boxes }
            if motion { { call_dots(soa, c.now_ms(), &place) } }
        </svg>
    }
}

fn eda_diagram(c: &Comparison, eda: &SideSample, motion: bool) -> Html {
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
    let height = (20.0 + ROW * n).max(30.0 + 16.0 * partitions.len() as f64);
    let mid = height / 2.0;
    let front = (96.0, mid);
    let row_y = |i: usize| 10.0 + ROW * (i as f64 + 0.5);
    let topic_x = 174.0;
    let place = |node: Node| -> Option<(f64, f64)> {
        match node {
            Node::User => Some((18.0, mid)),
            Node::Service(_) => Some(front),
            Node::External(_) => Some((topic_x, mid)),
        }
    };
    let lanes_top = mid - 8.0 * partitions.len() as f64;
    let lanes = partitions.iter().enumerate().map(|(i, (p, end))| {
        let y = lanes_top + 16.0 * i as f64;
        html! {
            <g class="lane" data-partition={p.to_string()} data-end={end.to_string()}>
                <rect x={topic_x.to_string()} y={y.to_string()} width="56" height="14" />
                <text x={(topic_x + 28.0).to_string()} y={(y + 11.0).to_string()}>{ format!("p{p} · {end}") }</text>
            </g>
        }
    });
    let lag = &eda.downstream;
    let groups = downstreams.iter().enumerate().map(|(i, d)| {
        let y = row_y(i);
        let sample = lag.get(i);
        let backlog = sample.map_or(0, |s| s.backlog);
        let done = sample.map_or(0, |s| s.work_done);
        let bar = (backlog as f64).sqrt().min(40.0);
        html! {
            <g data-group={d.group().to_string()} data-lag={backlog.to_string()}>
                <line class="edge" x1={(topic_x + 56.0).to_string()} y1={mid.to_string()} x2="240" y2={y.to_string()} />
                { service_box(298.0, y, &d.spec.name, d.health, format!("{done} done · lag {backlog}")) }
                <rect class="lag-bar" x="240" y={(y + 15.0).to_string()} width={format!("{:.1}", bar * 3.0)} height="3" />
            </g>
        }
    });
    html! {
        <svg class="cmp-diagram" viewBox={format!("0 0 {SVG_WIDTH} {height}")} role="img"
            aria-label="Users call the front service, which writes an event to the topic; each service's consumer group reads it">
            <line class="edge" x1="28" y1={mid.to_string()} x2="38" y2={mid.to_string()} />
            <line class="edge" x1="154" y1={mid.to_string()} x2={topic_x.to_string()} y2={mid.to_string()} />
            { user_box(mid) }
            { service_box(front.0, front.1, &c.preset().front.name, c.front_health(), "1 dep: the topic".to_string()) }
            // Right-aligned over the lanes, so a long topic name runs left, clear of the boxes.
            <text class="topic-label" x={(topic_x + 56.0).to_string()} y={(lanes_top - 4.0).to_string()}>{ c.topic().to_string() }</text>
            { for lanes }
            { for groups }
            if motion { { call_dots(c.eda_front(), c.now_ms(), &place) } }
        </svg>
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn side_metrics(side: &'static str, s: &SideSample) -> Html {
    let row = |label: &'static str, key: &'static str, value: String| {
        html! { <tr>{ el::text("th", &[("scope", Attr("row"))], label) }<td data-metric={key} data-side={side}>{ value }</td></tr> }
    };
    html! {
        <table class="cmp-metrics">
            <tbody>
                { row("Latency p50", "p50", ms(s.p50_ms)) }
                { row("Latency p99", "p99", ms(s.p99_ms)) }
                { row("Success (last 10 s)", "success", percent(s.success_per_mille)) }
                { row("Users answered OK / error", "outcomes", format!("{} / {}", s.succeeded, s.failed)) }
                { row("Users waiting", "waiting", s.waiting.to_string()) }
                { row("Front's direct dependencies", "coupling", s.front_dependencies.to_string()) }
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
                <td>{ health_buttons(d.spec.name.clone(), d.health) }</td>
                <td>
                    if let Some(policy) = policy {
                        <select onchange={onpolicy} aria-label={format!("When {} fails, the SOA front", d.spec.name)}>
                            <option value="fail" selected={policy == OnFailure::FailRequest}>{ "fails the request" }</option>
                            <option value="fallback" selected={policy == OnFailure::Fallback}>{ "carries on (fallback)" }</option>
                        </select>
                    } else {
                        { "not called yet" }
                    }
                </td>
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("work")), ("data-side", Attr("soa"))], soa.map_or(0, |s| s.work_done).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("backlog")), ("data-side", Attr("soa"))], soa.map_or(0, |s| s.backlog).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("work")), ("data-side", Attr("eda"))], eda.map_or(0, |s| s.work_done).to_string()) }
                { el::string("td", &[("class", Attr("num")), ("data-metric", Attr("backlog")), ("data-side", Attr("eda"))], eda.map_or(0, |s| s.backlog).to_string()) }
            </tr>
        }
    });
    html! {
        <section class="panel cmp-services" aria-label="Services">
            { el::text("h3", &[], "Services (changes hit both sides at once)") }
            <div class="table-scroll">
                <table>
                    { el::head(&["service", "health", "SOA: on failure the front…", "SOA done", "SOA queue", "EDA done", "EDA lag"]) }
                    <tbody>
                        <tr data-service={front.clone()}>
                            { el::row_head(format!("{front} (front)")) }
                            <td>{ health_buttons(front.clone(), c.front_health()) }</td>
                            { el::string("td", &[("colspan", Attr("5"))], format!("SOA: calls {} services {}; EDA: writes one event to {}.", live.soa.front_dependencies, fanout_text(c.config().fanout), c.topic())) }
                        </tr>
                        { for rows }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One chart: two series over the samples, SOA solid and EDA dashed (labelled, not only
/// coloured).
fn chart(
    title: &str,
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
    let (w, h) = (240.0, 60.0);
    let points = |series: &[Option<f64>]| -> String {
        let n = series.len().max(2) as f64 - 1.0;
        series
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.map(|v| {
                    format!(
                        "{:.1},{:.1}",
                        w * i as f64 / n,
                        h - h * (v / top).clamp(0.0, 1.0)
                    )
                })
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let last = |series: &[Option<f64>]| {
        series
            .last()
            .copied()
            .flatten()
            .map_or("—".to_string(), |v| format!("{v:.0}"))
    };
    html! {
        <figure class="cmp-chart">
            { el::string("figcaption", &[], format!("{title} — SOA {} · EDA {} (max {top:.0})", last(&soa), last(&eda))) }
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label={title.to_string()}>
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
                { chart("User latency p99 (ms)", &samples, |s| s.p99_ms.map(|v| v as f64), None) }
                { chart("Success (%)", &samples, |s| s.success_per_mille.map(|v| f64::from(v) / 10.0), Some(100.0)) }
                { chart("Backlog, all services", &samples, |s| Some(s.downstream.iter().map(|d| d.backlog as f64).sum()), None) }
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
