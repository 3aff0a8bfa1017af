//! Embeds: the page inside a course page's `<iframe>` (`embed=1` on any view's link), and the
//! versioned JSON messages it exchanges with that page (`window.postMessage`).
//!
//! An embed shows one view without the app's chrome, only the panels its link asks for
//! (`panels=`), optionally locked to a range of the timeline (`from`, `to`) and opened at a
//! moment (`at`). It never reads or writes the learner's saved session: a figure in a course
//! page always starts as the teacher made it.
//!
//! Messages (README, "Embedding in a course", is their documentation): every message is a JSON
//! object with a `"type"` and `"version": 1`. Out, to the parent: `ready`, `resize`, `moment`
//! (and, through [`post`], whatever a lesson reports later: `checkpoint`, `completed`). In:
//! `play`, `pause`, `seek`, `step`, `setSpeed`, `load`. What comes in is input from outside:
//! it is accepted only from the parent's origin (as `document.referrer` names it), the page's
//! own, or one the link lists (`origin=`), read by [`parse_message`] with a size limit, and a
//! message that does not read is ignored with a `console.warn` (never an error, never a
//! panic). The figure works fully when the host runs no script at all.
//!
//! The parsing and the rules (parameters, origins, the snippet) are plain functions, tested
//! natively; only [`Bridge`] and [`post`] touch the browser.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{Map, Value, json};
use yew::Callback;

use crate::sim::scenario::{DOCUMENT_BYTES_MAX, ScenarioDoc};
use crate::ui::route::{EMBED_PARAMS, query_params, read_params};
use crate::ui::session::{Action, TimeLock};

/// The message protocol's version: every message carries it, and one with another version is
/// ignored (with a warning naming both).
pub const MESSAGE_VERSION: u64 = 1;
/// Largest message read, in bytes of JSON (a `load` carries a whole scenario).
pub const MESSAGE_BYTES_MAX: usize = DOCUMENT_BYTES_MAX + 4_096;
/// Latest moment a link's `from`, `to` or `at` may name: an hour (time beyond what was
/// recorded is simulated when the embed opens, so this bounds that work).
pub const LINK_TIME_MS_MAX: u64 = 3_600_000;
/// Origins a link may list in `origin=`.
pub const ORIGINS_MAX: usize = 4;
/// Console warnings an embed writes at most (a host that floods the page with bad messages
/// does not flood its console).
pub const WARNINGS_MAX: u32 = 20;

// ---------------------------------------------------------------------------------------------
// Panels

/// A part of the Playground an embed can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Play/Pause, Step, speed, the timeline, and the counters.
    Controls,
    /// The box the learner types records into, with partition, acks and auto-produce.
    Producer,
    /// The diagram: producers, partition lanes, consumers (and a selected record's card).
    Lanes,
    /// The table of replicas: leader, ISR, state per partition.
    Replicas,
    /// Consumer groups: members, assignments, add/stop/crash.
    Groups,
    /// Brokers and topics: stop/start a broker, add partitions, create a topic.
    Cluster,
    /// The lag chart.
    Lag,
    /// The event log.
    Log,
}

impl Panel {
    /// Every panel, in the order the Playground draws them.
    pub const ALL: [Panel; 8] = [
        Panel::Controls,
        Panel::Producer,
        Panel::Lanes,
        Panel::Replicas,
        Panel::Groups,
        Panel::Cluster,
        Panel::Lag,
        Panel::Log,
    ];

    /// The panel's name in `panels=`.
    pub fn name(self) -> &'static str {
        match self {
            Panel::Controls => "controls",
            Panel::Producer => "producer",
            Panel::Lanes => "lanes",
            Panel::Replicas => "replicas",
            Panel::Groups => "groups",
            Panel::Cluster => "cluster",
            Panel::Lag => "lag",
            Panel::Log => "log",
        }
    }

    /// What the embed dialog calls it.
    pub fn label(self) -> &'static str {
        match self {
            Panel::Controls => "Controls (play, step, speed, timeline)",
            Panel::Producer => "Producer box",
            Panel::Lanes => "Partition lanes",
            Panel::Replicas => "Replicas table",
            Panel::Groups => "Consumer groups",
            Panel::Cluster => "Cluster (brokers, topics)",
            Panel::Lag => "Lag chart",
            Panel::Log => "Event log",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// Which panels are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels(u16);

/// What `panels=` must be.
pub const PANELS_RULE: &str = "name panels from controls, producer, lanes, replicas, groups, cluster, lag, log (comma-separated), or all";

impl Panels {
    /// Everything (the full app).
    pub const ALL: Panels = Panels(0xff);
    /// An embed whose link names none: what fits a 640 × 400 frame.
    pub const EMBED_DEFAULT: Panels = Panels(0b111);

    /// Whether `panel` is shown.
    pub fn shows(self, panel: Panel) -> bool {
        self.0 & panel.bit() != 0
    }

    /// These panels with `panel` shown or not.
    pub fn with(self, panel: Panel, shown: bool) -> Panels {
        if shown {
            Panels(self.0 | panel.bit())
        } else {
            Panels(self.0 & !panel.bit())
        }
    }

    /// Reads `controls,lanes` (any order, spaces allowed) or `all`.
    pub fn parse(value: &str) -> Result<Panels, &'static str> {
        let mut panels = Panels(0);
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name.eq_ignore_ascii_case("all") {
                panels = Panels::ALL;
                continue;
            }
            let panel = Panel::ALL
                .into_iter()
                .find(|p| p.name().eq_ignore_ascii_case(name))
                .ok_or(PANELS_RULE)?;
            panels = panels.with(panel, true);
        }
        if panels.0 == 0 {
            return Err(PANELS_RULE);
        }
        Ok(panels)
    }

    /// The `panels=` value: names in drawing order.
    pub fn names(self) -> String {
        Panel::ALL
            .into_iter()
            .filter(|p| self.shows(*p))
            .map(Panel::name)
            .collect::<Vec<_>>()
            .join(",")
    }
}

// ---------------------------------------------------------------------------------------------
// The link's parameters

/// How a page opened with `embed=1` is embedded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedParams {
    pub panels: Panels,
    /// The range of the timeline the learner may see (`from`, `to`), in virtual ms.
    pub from_ms: Option<u64>,
    pub to_ms: Option<u64>,
    /// The moment shown first (`at`), in virtual ms.
    pub at_ms: Option<u64>,
    /// Origins allowed to drive the embed besides its parent's and its own (`origin=`).
    pub origins: Vec<String>,
}

impl Default for EmbedParams {
    fn default() -> Self {
        Self {
            panels: Panels::EMBED_DEFAULT,
            from_ms: None,
            to_ms: None,
            at_ms: None,
            origins: Vec::new(),
        }
    }
}

/// What a moment parameter must be.
const TIME_RULE: &str = "use milliseconds (2500) or seconds (2.5s), at most an hour";

impl EmbedParams {
    /// The embed a page opened at `hash` asks for, with a message per parameter it could not
    /// use; `None` when the address has no `embed=1` (the full app).
    pub fn from_hash(hash: &str) -> Option<(EmbedParams, Vec<String>)> {
        let params: Vec<(String, String)> = query_params(hash)
            .into_iter()
            .filter(|(key, _)| EMBED_PARAMS.contains(&key.as_str()))
            .collect();
        let embed = params.iter().find(|(key, _)| key == "embed")?;
        if matches!(embed.1.trim(), "0" | "false" | "no" | "off") {
            return None;
        }
        let mut embed = EmbedParams::default();
        let mut problems = read_params(&params, |key, value| {
            Some(match key {
                "embed" => match value {
                    "" | "1" | "true" | "yes" | "on" => Ok(()),
                    _ => Err("use embed=1"),
                },
                "panels" => Panels::parse(value).map(|p| embed.panels = p),
                "from" => link_time(value).map(|t| embed.from_ms = Some(t)),
                "to" => link_time(value).map(|t| embed.to_ms = Some(t)),
                "at" => link_time(value).map(|t| embed.at_ms = Some(t)),
                "origin" => {
                    let listed = value.split(',').map(str::trim).filter(|o| !o.is_empty());
                    let mut result = Ok(());
                    for origin in listed {
                        match origin_of(origin) {
                            Some(o) if o == origin.trim_end_matches('/').to_ascii_lowercase() => {
                                if embed.origins.len() >= ORIGINS_MAX {
                                    result = Err("at most 4 origins are allowed");
                                } else if !embed.origins.contains(&o) {
                                    embed.origins.push(o);
                                }
                            }
                            _ => {
                                result = Err(
                                    "an origin is scheme://host[:port], such as https://moodle.example.org",
                                )
                            }
                        }
                    }
                    result
                }
                _ => return None,
            })
        });
        if let (Some(from), Some(to)) = (embed.from_ms, embed.to_ms)
            && from > to
        {
            problems.push(format!(
                "Ignored from={from} and to={to}: the range ends before it starts."
            ));
            embed.from_ms = None;
            embed.to_ms = None;
        }
        Some((embed, problems))
    }

    /// The lock the clock keeps (None: the whole timeline).
    pub fn lock(&self) -> Option<TimeLock> {
        (self.from_ms.is_some() || self.to_ms.is_some()).then(|| TimeLock {
            from_ms: self.from_ms.unwrap_or(0),
            to_ms: self.to_ms,
        })
    }
}

/// A moment in a link: milliseconds, or seconds with `s`.
fn link_time(value: &str) -> Result<u64, &'static str> {
    let ms = match value.strip_suffix('s') {
        Some(seconds) => seconds
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| (s * 1000.0).round() as u64),
        None => value.parse::<u64>().ok(),
    };
    ms.filter(|ms| *ms <= LINK_TIME_MS_MAX).ok_or(TIME_RULE)
}

/// `address` without the embed's parameters: the same view and setup, full size.
pub fn without_embed(address: &str) -> String {
    let Some((path, query)) = address.split_once('?') else {
        return address.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !EMBED_PARAMS.contains(&key)
        })
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

// ---------------------------------------------------------------------------------------------
// Origins

/// The origin (`scheme://host[:port]`, lower case) of an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() || host.contains('@') || host.contains(char::is_whitespace) {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Who may drive an embed, and where its messages go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origins {
    /// Origins whose messages are read (exact match).
    pub allowed: Vec<String>,
    /// The `targetOrigin` of what the embed posts: its parent's origin when known, else the
    /// single origin the link lists, else `*` (what it posts is what the figure shows).
    pub target: String,
}

impl Origins {
    /// The rule: the parent's origin (from `document.referrer`), the page's own, and those the
    /// link lists.
    pub fn new(listed: &[String], referrer: &str, own: &str) -> Origins {
        let parent = origin_of(referrer);
        let mut allowed: Vec<String> = parent.iter().cloned().collect();
        allowed.extend(origin_of(own));
        for origin in listed {
            if !allowed.contains(origin) {
                allowed.push(origin.clone());
            }
        }
        let target = match (parent, listed) {
            (Some(parent), _) => parent,
            (None, [only]) => only.clone(),
            _ => "*".to_string(),
        };
        Origins { allowed, target }
    }

    /// Whether a message from `origin` is read.
    pub fn allows(&self, origin: &str) -> bool {
        self.allowed.iter().any(|a| a == origin)
    }
}

// ---------------------------------------------------------------------------------------------
// Messages

/// A message from the host page, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    Play,
    Pause,
    /// Show this moment, in virtual ms (within what was reached and the link's range).
    Seek(u64),
    Step,
    /// 0.1× to 20×.
    SetSpeed(f64),
    /// Replace the embed's scenario (checked like a file: `sim::scenario::decode_json`).
    Load(Box<ScenarioDoc>),
}

/// Reads a host's message: JSON text (an object the host posted is turned into JSON first).
/// A message that does not read is named, for the console warning.
pub fn parse_message(text: &str) -> Result<Inbound, String> {
    if text.len() > MESSAGE_BYTES_MAX {
        return Err(format!(
            "a message of {} bytes (at most {MESSAGE_BYTES_MAX} are read)",
            text.len()
        ));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|_| "a message that is not a JSON object".to_string())?;
    let Value::Object(message) = value else {
        return Err("a message that is not a JSON object".to_string());
    };
    let kind = match message.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        _ => return Err("a message without a \"type\"".to_string()),
    };
    match message.get("version") {
        Some(v) if v.as_u64() == Some(MESSAGE_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "a \"{}\" message of version {v}; this page reads version {MESSAGE_VERSION}",
                clip(&kind)
            ));
        }
        None => {
            return Err(format!(
                "a \"{}\" message without \"version\": {MESSAGE_VERSION}",
                clip(&kind)
            ));
        }
    }
    let number = |field: &str| message.get(field).and_then(Value::as_f64);
    Ok(match kind.as_str() {
        "play" => Inbound::Play,
        "pause" => Inbound::Pause,
        "step" => Inbound::Step,
        "seek" => {
            let ms = message
                .get("ms")
                .and_then(Value::as_u64)
                .ok_or("a \"seek\" message without \"ms\" (a whole number of milliseconds)")?;
            Inbound::Seek(ms)
        }
        "setSpeed" => {
            let speed = number("speed")
                .filter(|s| (0.1..=20.0).contains(s))
                .ok_or("a \"setSpeed\" message without \"speed\" from 0.1 to 20")?;
            Inbound::SetSpeed(speed)
        }
        "load" => {
            let doc = match message.get("scenario") {
                Some(Value::String(text)) => crate::ui::components::share::read_pasted(text),
                Some(doc @ Value::Object(_)) => {
                    crate::sim::scenario::decode_json(&doc.to_string()).map_err(|e| e.0)
                }
                _ => {
                    return Err(
                        "a \"load\" message without \"scenario\" (a scenario document)".into(),
                    );
                }
            };
            Inbound::Load(Box::new(doc.map_err(|e| {
                format!("a \"load\" message whose scenario does not read: {e}")
            })?))
        }
        other => return Err(format!("a message of unknown type \"{}\"", clip(other))),
    })
}

/// At most 40 characters of a host's text, for a warning.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// An outgoing message: `{"type": kind, "version": 1, …payload's fields}`.
pub fn message(kind: &str, payload: Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), Value::from(kind));
    out.insert("version".into(), Value::from(MESSAGE_VERSION));
    if let Value::Object(fields) = payload {
        for (key, value) in fields {
            if key != "type" && key != "version" {
                out.insert(key, value);
            }
        }
    }
    Value::Object(out)
}

/// The `moment` message: the virtual time shown and whether the clock runs.
pub fn moment_message(at_ms: u64, playing: bool, horizon_ms: u64, speed: f64) -> Value {
    message(
        "moment",
        json!({ "ms": at_ms, "playing": playing, "horizon_ms": horizon_ms, "speed": speed }),
    )
}

/// The messages that say the content is `height` px tall: ours, and the shape LMSs (Canvas,
/// Moodle) read from LTI tools (`lti.frameResize`).
pub fn resize_messages(height: u32, width: u32) -> [Value; 2] {
    [
        message("resize", json!({ "height": height, "width": width })),
        json!({ "subject": "lti.frameResize", "height": height }),
    ]
}

// ---------------------------------------------------------------------------------------------
// The snippet

/// Text for an HTML attribute value in double quotes.
pub fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The address an embed opens: `address` (the view and its setup) with the embed's
/// parameters, before the scenario payload `s=` (see `share::link_for`).
pub fn embed_address(address: &str, panels: Panels, all_panels: bool) -> String {
    let address = without_embed(&crate::ui::session::saved::without_payload(address));
    let sep = if address.contains('?') { '&' } else { '?' };
    if all_panels || panels == Panels::EMBED_DEFAULT {
        format!("{address}{sep}embed=1")
    } else {
        format!("{address}{sep}embed=1&panels={}", panels.names())
    }
}

/// The `<iframe>` a teacher pastes.
pub fn snippet(src: &str, title: &str, width: u32, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" allow=\"clipboard-write\" allowfullscreen style=\"border:1px solid #d8dde3;border-radius:6px;max-width:100%\"></iframe>",
        attr(src),
        attr(title)
    )
}

// ---------------------------------------------------------------------------------------------
// The browser side

/// What the page posts to: set once the embed starts (see [`Bridge::start`]).
#[derive(Default)]
struct Outbox {
    target: Option<String>,
    warnings: Cell<u32>,
}

thread_local! {
    static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::default());
}

/// Posts `{"type": kind, "version": 1, …payload}` to the page that embeds this one; does
/// nothing outside an embed (or before it started). This is the hook lessons use to report
/// to a course page: `post("checkpoint", json!({"lesson": id, "step": n, "passed": true}))`
/// and `post("completed", json!({"lesson": id, "score": 0.8}))`, shaped so a host can turn
/// them into xAPI `answered` / `completed` statements.
pub fn post(kind: &str, payload: Value) {
    post_message(&message(kind, payload));
}

/// Posts a message made by [`message`] (or one of its shapes) to the embedding page.
pub fn post_message(value: &Value) {
    let Some(target) = OUTBOX.with(|o| o.borrow().target.clone()) else {
        return;
    };
    post_to_parent(value, &target);
}

#[cfg(target_arch = "wasm32")]
fn post_to_parent(value: &Value, target: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if wasm_bindgen::JsValue::from(parent.clone()) == wasm_bindgen::JsValue::from(window) {
        return; // Not framed: nobody to tell.
    }
    // An object, not a string: what hosts' listeners expect (`event.data.type`).
    if let Ok(data) = js_sys::JSON::parse(&value.to_string()) {
        let _ = parent.post_message(&data, target);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn post_to_parent(_value: &Value, _target: &str) {}

/// A warning in the browser's console (at most [`WARNINGS_MAX`] per page).
pub fn warn(text: &str) {
    let shown = OUTBOX.with(|o| {
        let o = o.borrow();
        let n = o.warnings.get();
        o.warnings.set(n.saturating_add(1));
        n
    });
    if shown > WARNINGS_MAX {
        return;
    }
    let text = if shown == WARNINGS_MAX {
        format!("eda-playground embed: {text} (further problems are not reported)")
    } else {
        format!("eda-playground embed: {text}")
    };
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&text));
    #[cfg(not(target_arch = "wasm32"))]
    let _ = text;
}

/// The embed, as the views see it (a context): its parameters, and the slot where the view
/// that draws the session puts its dispatcher, so a host's `play` or `seek` goes through the
/// same reducer as a click. Handles are equal when they share the embed.
#[derive(Clone)]
pub struct EmbedHost(Rc<HostInner>);

struct HostInner {
    params: EmbedParams,
    driver: RefCell<Option<Callback<Action>>>,
}

impl PartialEq for EmbedHost {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for EmbedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EmbedHost").field(&self.0.params).finish()
    }
}

impl EmbedHost {
    pub fn new(params: EmbedParams) -> Self {
        Self(Rc::new(HostInner {
            params,
            driver: RefCell::new(None),
        }))
    }

    pub fn params(&self) -> &EmbedParams {
        &self.0.params
    }

    /// The view drawing the session hands its dispatcher here (None when it goes away).
    pub fn set_driver(&self, driver: Option<Callback<Action>>) {
        *self.0.driver.borrow_mut() = driver;
    }

    /// The dispatcher of the view drawing the session, if one is shown.
    pub fn driver(&self) -> Option<Callback<Action>> {
        self.0.driver.borrow().clone()
    }
}

/// The embed's link to its host while it lives: the `message` listener and the observer
/// that reports the content's height. Dropping it removes both.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub struct Bridge {
    #[cfg(target_arch = "wasm32")]
    listener: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
    #[cfg(target_arch = "wasm32")]
    observer: Option<(
        web_sys::ResizeObserver,
        wasm_bindgen::closure::Closure<dyn FnMut()>,
    )>,
}

impl Bridge {
    /// Starts talking to the host: reads messages allowed by `listed` origins (plus the
    /// parent's and the page's own) and hands them to `on_message`; reports `content`'s
    /// height whenever it changes.
    #[cfg(target_arch = "wasm32")]
    pub fn start(
        listed: &[String],
        content: web_sys::Element,
        on_message: impl Fn(Inbound) + 'static,
    ) -> Option<Bridge> {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let window = web_sys::window()?;
        let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
        let own = window.location().origin().unwrap_or_default();
        let origins = Origins::new(listed, &referrer, &own);
        OUTBOX.with(|o| o.borrow_mut().target = Some(origins.target.clone()));

        let refused = RefCell::new(Vec::<String>::new());
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let origin = event.origin();
                if !origins.allows(&origin) {
                    // Once per origin: a busy page's other frames may post all the time.
                    let mut refused = refused.borrow_mut();
                    if !refused.contains(&origin) && refused.len() < ORIGINS_MAX * 4 {
                        refused.push(origin.clone());
                        warn(&format!(
                            "ignored messages from {} (not this embed's host; a link can allow it with origin=)",
                            clip(&origin)
                        ));
                    }
                    return;
                }
                match message_text(&event.data()).and_then(|text| parse_message(&text)) {
                    Ok(message) => on_message(message),
                    Err(why) => warn(&format!("ignored {why}.")),
                }
            },
        );
        window
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .ok()?;

        let observer = {
            let measured = content.clone();
            let last = Cell::new(0u32);
            let closure = Closure::<dyn FnMut()>::new(move || {
                let Some(el) = measured.dyn_ref::<web_sys::HtmlElement>() else {
                    return;
                };
                let height = el.offset_height().max(0) as u32;
                let width = el.offset_width().max(0) as u32;
                if height != last.get() && height > 0 {
                    last.set(height);
                    for m in resize_messages(height, width) {
                        post_message(&m);
                    }
                }
            });
            web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref())
                .ok()
                .map(|observer| {
                    observer.observe(&content);
                    (observer, closure)
                })
        };
        Some(Bridge { listener, observer })
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn start(
        _listed: &[String],
        _content: web_sys::Element,
        _on_message: impl Fn(Inbound) + 'static,
    ) -> Option<Bridge> {
        None
    }
}

/// The text of a message's data: a string as it is, an object as JSON; a message too large
/// is refused before it is copied.
#[cfg(target_arch = "wasm32")]
fn message_text(data: &wasm_bindgen::JsValue) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    let text: js_sys::JsString = match data.dyn_ref::<js_sys::JsString>() {
        Some(text) => text.clone(),
        None if data.is_object() => js_sys::JSON::stringify(data)
            .map_err(|_| "a message that cannot be read as JSON".to_string())?,
        None => return Err("a message that is not a JSON object".to_string()),
    };
    // UTF-16 units: at most three bytes of UTF-8 each.
    if text.length() as usize > MESSAGE_BYTES_MAX {
        return Err(format!("a message of more than {MESSAGE_BYTES_MAX} bytes"));
    }
    Ok(String::from(text))
}

#[cfg(target_arch = "wasm32")]
impl Drop for Bridge {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "message",
                self.listener.as_ref().unchecked_ref(),
            );
        }
        if let Some((observer, _)) = &self.observer {
            observer.disconnect();
        }
        OUTBOX.with(|o| o.borrow_mut().target = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::encode_json;
    use crate::ui::session::Session;

    fn embed(hash: &str) -> (EmbedParams, Vec<String>) {
        EmbedParams::from_hash(hash).expect("an embed")
    }

    #[test]
    fn only_embed_1_makes_an_embed() {
        assert!(EmbedParams::from_hash("#/playground").is_none());
        assert!(EmbedParams::from_hash("#/playground?panels=lanes").is_none());
        assert!(EmbedParams::from_hash("#/playground?embed=0").is_none());
        let (params, problems) = embed("#/playground?embed=1&partitions=6");
        assert_eq!(params, EmbedParams::default());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(embed("#/wordcount?embed").0, EmbedParams::default());
        assert_eq!(embed("#/p?embed=maybe").1.len(), 1);
    }

    #[test]
    fn panels_are_read_by_name_and_bad_names_reported() {
        let (params, problems) = embed("#/playground?embed=1&panels=lanes,%20Producer");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(params.panels.names(), "producer,lanes");
        assert!(params.panels.shows(Panel::Lanes));
        assert!(!params.panels.shows(Panel::Controls));
        assert_eq!(embed("#/p?embed=1&panels=all").0.panels, Panels::ALL);
        for bad in ["panels=", "panels=lanes,chart", "panels=,,"] {
            let (params, problems) = embed(&format!("#/p?embed=1&{bad}"));
            assert_eq!(params.panels, Panels::EMBED_DEFAULT, "{bad}");
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(
                problems[0].contains("controls, producer, lanes"),
                "{problems:?}"
            );
        }
        for panel in Panel::ALL {
            assert_eq!(Panels::parse(panel.name()), Ok(Panels(0).with(panel, true)));
        }
        assert_eq!(Panels::parse(&Panels::ALL.names()), Ok(Panels::ALL));
    }

    #[test]
    fn moments_range_and_origins_are_checked() {
        let (params, problems) = embed(
            "#/p?embed=1&from=2s&to=12000&at=2.5s&origin=https://Moodle.Example.org/&origin=http://x.org:8080",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            (params.from_ms, params.to_ms, params.at_ms),
            (Some(2_000), Some(12_000), Some(2_500))
        );
        assert_eq!(
            params.origins,
            vec!["https://moodle.example.org", "http://x.org:8080"]
        );
        assert_eq!(
            params.lock(),
            Some(TimeLock {
                from_ms: 2_000,
                to_ms: Some(12_000)
            })
        );
        let (params, problems) = embed(
            "#/p?embed=1&from=9s&to=1s&at=-1&origin=javascript:alert(1)&origin=https://x.org/path",
        );
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert_eq!(
            (params.from_ms, params.to_ms, params.at_ms),
            (None, None, None)
        );
        assert!(params.origins.is_empty());
        assert_eq!(params.lock(), None);
        for bad in ["at=3600001", "at=NaNs", "at=infs", "at=1e9s", "at=2m"] {
            assert_eq!(embed(&format!("#/p?embed=1&{bad}")).1.len(), 1, "{bad}");
        }
        assert_eq!(
            embed("#/p?embed=1&to=5s").0.lock().map(|l| l.from_ms),
            Some(0)
        );
    }

    #[test]
    fn the_full_size_link_drops_only_the_embed_parameters() {
        assert_eq!(
            without_embed("#/playground?embed=1&partitions=6&panels=lanes&at=2s"),
            "#/playground?partitions=6"
        );
        assert_eq!(without_embed("#/wordcount?embed=1"), "#/wordcount");
        assert_eq!(without_embed("#/console"), "#/console");
    }

    #[test]
    fn origins_default_to_the_parent_and_the_page() {
        let o = Origins::new(
            &[],
            "https://canvas.example.edu/courses/1/pages/kafka?x=1",
            "https://eda.example.org",
        );
        assert!(o.allows("https://canvas.example.edu"));
        assert!(o.allows("https://eda.example.org"));
        assert!(!o.allows("https://evil.example.com"));
        assert!(!o.allows("null"));
        assert!(!o.allows("https://canvas.example.edu.evil.com"));
        assert_eq!(o.target, "https://canvas.example.edu");
        // No referrer (a strict referrer policy): the page's own, and what the link lists.
        let listed = vec!["https://lms.example.org".to_string()];
        let o = Origins::new(&listed, "", "https://eda.example.org");
        assert!(o.allows("https://lms.example.org"));
        assert_eq!(o.target, "https://lms.example.org");
        assert_eq!(Origins::new(&[], "", "https://eda.example.org").target, "*");
        assert_eq!(origin_of("file:///x.html"), None);
        assert_eq!(
            origin_of("HTTP://A.org:81/x"),
            Some("http://a.org:81".into())
        );
    }

    #[test]
    fn host_messages_are_read_or_named() {
        assert_eq!(
            parse_message(r#"{"type":"play","version":1}"#),
            Ok(Inbound::Play)
        );
        assert_eq!(
            parse_message(r#"{"type":"pause","version":1,"extra":[1]}"#),
            Ok(Inbound::Pause)
        );
        assert_eq!(
            parse_message(r#"{"type":"seek","version":1,"ms":2500}"#),
            Ok(Inbound::Seek(2500))
        );
        assert_eq!(
            parse_message(r#"{"type":"step","version":1}"#),
            Ok(Inbound::Step)
        );
        assert_eq!(
            parse_message(r#"{"type":"setSpeed","version":1,"speed":2.5}"#),
            Ok(Inbound::SetSpeed(2.5))
        );
        let cases = [
            ("", "not a JSON object"),
            ("[iFrameSizer]x:1:2", "not a JSON object"),
            ("[1,2]", "not a JSON object"),
            ("\"play\"", "not a JSON object"),
            (r#"{"version":1}"#, "without a \"type\""),
            (r#"{"type":7,"version":1}"#, "without a \"type\""),
            (r#"{"type":"play"}"#, "without \"version\""),
            (r#"{"type":"play","version":2}"#, "version 2"),
            (r#"{"type":"play","version":"1"}"#, "version \"1\""),
            (
                r#"{"type":"explode","version":1}"#,
                "unknown type \"explode\"",
            ),
            (r#"{"type":"seek","version":1}"#, "without \"ms\""),
            (r#"{"type":"seek","version":1,"ms":-5}"#, "without \"ms\""),
            (r#"{"type":"seek","version":1,"ms":"1s"}"#, "without \"ms\""),
            (
                r#"{"type":"setSpeed","version":1,"speed":1000}"#,
                "from 0.1 to 20",
            ),
            (r#"{"type":"load","version":1}"#, "without \"scenario\""),
            (
                r#"{"type":"load","version":1,"scenario":{"version":9,"seed":1}}"#,
                "newer eda-playground",
            ),
            (
                r#"{"type":"load","version":1,"scenario":"not a link"}"#,
                "does not read",
            ),
        ];
        for (text, why) in cases {
            let e = parse_message(text).expect_err(text);
            assert!(e.contains(why), "{text}: {e}");
        }
        let huge = format!(
            r#"{{"type":"play","version":1,"pad":"{}"}}"#,
            "x".repeat(MESSAGE_BYTES_MAX)
        );
        assert!(parse_message(&huge).expect_err("huge").contains("at most"));
        let long_kind = format!(r#"{{"type":"{}","version":1}}"#, "k".repeat(10_000));
        assert!(parse_message(&long_kind).expect_err("long").len() < 200);
    }

    #[test]
    fn a_load_message_carries_a_scenario_as_an_object_or_text() {
        let shared = crate::ui::session::SharedSession::default();
        shared.session(|| Session::new(5));
        let doc =
            crate::ui::components::share::shared_doc(&shared, crate::ui::route::Route::Playground)
                .expect("doc");
        let object: Value = serde_json::from_str(&encode_json(&doc)).expect("json");
        let m = json!({ "type": "load", "version": 1, "scenario": object });
        assert_eq!(
            parse_message(&m.to_string()),
            Ok(Inbound::Load(Box::new(doc.clone())))
        );
        let m = json!({ "type": "load", "version": 1, "scenario": encode_json(&doc) });
        assert_eq!(
            parse_message(&m.to_string()),
            Ok(Inbound::Load(Box::new(doc)))
        );
    }

    #[test]
    fn outgoing_messages_carry_type_and_version() {
        let m = message(
            "checkpoint",
            json!({"lesson": "keys", "type": "x", "version": 9}),
        );
        assert_eq!(
            m,
            json!({"type": "checkpoint", "version": 1, "lesson": "keys"})
        );
        assert_eq!(
            moment_message(1500, false, 3000, 2.0),
            json!({"type": "moment", "version": 1, "ms": 1500, "playing": false, "horizon_ms": 3000, "speed": 2.0})
        );
        let [ours, lti] = resize_messages(420, 640);
        assert_eq!(
            ours,
            json!({"type": "resize", "version": 1, "height": 420, "width": 640})
        );
        assert_eq!(lti, json!({"subject": "lti.frameResize", "height": 420}));
    }

    #[test]
    fn the_snippet_is_escaped_and_complete() {
        let address = embed_address(
            "#/playground?partitions=6&embed=1&panels=log&s=OLD",
            Panels::EMBED_DEFAULT.with(Panel::Log, true),
            false,
        );
        assert_eq!(
            address,
            "#/playground?partitions=6&embed=1&panels=controls,producer,lanes,log"
        );
        assert_eq!(
            embed_address("#/wordcount", Panels::EMBED_DEFAULT, true),
            "#/wordcount?embed=1"
        );
        let s = snippet("https://x.org/#/p?a=1&b=\"<", "A \"title\"", 640, 400);
        assert!(
            s.starts_with("<iframe src=\"https://x.org/#/p?a=1&amp;b=&quot;&lt;\""),
            "{s}"
        );
        for part in [
            "title=\"A &quot;title&quot;\"",
            "width=\"640\"",
            "height=\"400\"",
            "loading=\"lazy\"",
            "allow=\"clipboard-write\"",
            "allowfullscreen",
        ] {
            assert!(s.contains(part), "{part} in {s}");
        }
    }
}
