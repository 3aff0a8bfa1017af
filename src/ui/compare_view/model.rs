//! The EDA-vs-SOA view's model: one [`Comparison`] (the same flow as services calling
//! services and as events on the broker, fed by the same users), the wall-clock ticker, and
//! the learner's controls. Plain Rust, tested natively; the Yew component dispatches
//! [`Action`]s and draws.
//!
//! Everything shown comes from the comparison: services, calls in flight, the topic's
//! partitions, consumer groups and lag, the metric samples. The comparison lives on a
//! [`Timeline`] (`sim::timeline`, the one place that rewinds anything, as the page's world
//! does): every control goes through it and is recorded at its virtual time, so the seed and
//! the timed controls rebuild the view (share links, saved sessions, lessons) and a seek
//! rebuilds any earlier moment.

use crate::sim::compare::{Comparison, Control, DownstreamSpec, Preset, Sample, StartFrom};
use crate::sim::scenario::CompareSettings;
use crate::sim::soa::{Fanout, Health, Latency, OnFailure};
use crate::sim::timeline::{Limits, Timeline};

/// The comparison with its recorded controls and checkpoints; it reads as the comparison
/// shown (`model.comparison.live()`).
pub type CompareTimeline = Timeline<(), Comparison>;

/// The comparison's timeline bounds: the page's (a checkpoint every 15 s of virtual time, ten
/// minutes of reach, fewer when the event side's topic is busy).
fn limits() -> Limits {
    Limits::default()
}

/// Largest virtual step one animation frame may take (a background tab resumes gently).
pub const MAX_FRAME_MS: f64 = 250.0;
/// Samples drawn in the charts (the newest).
pub const CHART_SAMPLES: usize = 120;
/// Extra requests a spike sends, and over how long.
pub const SPIKE_REQUESTS: u32 = 300;
pub const SPIKE_MS: u64 = 3_000;
/// Names for services the learner adds, in order.
pub const NEW_SERVICES: [&str; 5] = [
    "loyalty-points",
    "recommendations",
    "audit-log",
    "fraud-check",
    "search-index",
];

/// The health a click (or Enter/Space) on a service box moves it to: up → slow → down → up.
pub fn next_health(health: Health) -> Health {
    match health {
        Health::Up => Health::Slow,
        Health::Slow => Health::Down,
        Health::Down => Health::Up,
    }
}

/// Which flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Registration,
    Order,
}

impl Flow {
    /// The preset it builds.
    pub fn preset(self) -> Preset {
        match self {
            Flow::Registration => Preset::user_registration(),
            Flow::Order => Preset::order_placement(),
        }
    }

    /// Its URL value.
    pub fn slug(self) -> &'static str {
        match self {
            Flow::Registration => "registration",
            Flow::Order => "order",
        }
    }
}

/// How the view starts: `#/eda-vs-soa?flow=order&seed=7&fanout=parallel&speed=4&paused`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setup {
    pub seed: u64,
    pub flow: Flow,
    pub fanout: Fanout,
    pub speed: f64,
    pub running: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            seed: 42,
            flow: Flow::Registration,
            fanout: Fanout::Sequential,
            speed: 1.0,
            running: true,
        }
    }
}

impl Setup {
    /// Reads URL parameters; returns the setup and a message for each value it could not use.
    pub fn from_params(params: &[(String, String)]) -> (Setup, Vec<String>) {
        use crate::ui::route::{SEED_RULE, decimal_in, number_in, read_params};
        let mut setup = Setup::default();
        let problems = read_params(params, |key, value| {
            Some(match key {
                "seed" => number_in(value, 0, u64::MAX, SEED_RULE).map(|n| setup.seed = n),
                "flow" => match value {
                    "registration" => Ok(Flow::Registration),
                    "order" => Ok(Flow::Order),
                    _ => Err("flow must be registration or order"),
                }
                .map(|f| setup.flow = f),
                "fanout" => match value {
                    "sequential" => Ok(Fanout::Sequential),
                    "parallel" => Ok(Fanout::Parallel),
                    _ => Err("fanout must be sequential or parallel"),
                }
                .map(|f| setup.fanout = f),
                "speed" => decimal_in(value, 0.1, 20.0, "the speed must be 0.1 to 20")
                    .map(|s| setup.speed = s),
                "paused" => {
                    setup.running = false;
                    Ok(())
                }
                _ => return None,
            })
        });
        (setup, problems)
    }
}

/// Everything the learner can ask of the view.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: `wall_ms` of real time passed.
    Frame {
        wall_ms: f64,
    },
    TogglePlay,
    SetSpeed(f64),
    Reset(Setup),
    /// A service (front or downstream) up, slow or down — on both sides at once.
    SetHealth {
        service: String,
        health: Health,
    },
    /// A burst of extra users on both sides.
    Spike,
    /// A new downstream service: SOA needs the caller redeployed; EDA a new group.
    AddService {
        start: StartFrom,
    },
    ConfirmRedeploy,
    SetFanout(Fanout),
    SetOnFailure {
        service: String,
        on_failure: OnFailure,
    },
    /// Pause or resume the steady stream of users (to watch backlogs drain).
    SetUsers(bool),
    /// Rebuild both sides as they were at this virtual time (within the timeline's reach);
    /// running on from there replays the controls recorded after it, and a control given
    /// there replaces them.
    Seek(u64),
    DismissError,
    /// Hide the note that acting in the past replaced the recorded future.
    DismissReplaced,
}

/// The view's state.
#[derive(Clone, Debug)]
pub struct Model {
    pub setup: Setup,
    pub comparison: CompareTimeline,
    pub running: bool,
    pub speed: f64,
    carry_ms: f64,
    pub announcement: String,
    pub error: Option<String>,
    /// After a control given while rewound: the moment it was given at and where the recording
    /// had ended (what was dropped), until dismissed or the next seek.
    pub replaced_future: Option<(u64, u64)>,
}

impl Model {
    /// The model the address asks for (`#/…?seed=…`); parameters it cannot use are reported
    /// in its error, and the rest still apply.
    pub fn from_hash(hash: &str) -> Self {
        let (setup, error) = crate::ui::route::setup_from_hash(hash, Setup::from_params);
        let mut model = Self::new(setup);
        if error.is_some() {
            model.error = error;
        }
        model
    }

    /// A comparison of the setup's flow at virtual time 0.
    pub fn new(setup: Setup) -> Self {
        let mut error = None;
        let comparison = match Comparison::new(setup.seed, setup.flow.preset()) {
            Ok(c) => c,
            Err(e) => {
                error = Some(e.message().to_string());
                // The registration preset with the default seed always builds; fall back to it
                // rather than show nothing.
                match Comparison::new(42, Preset::user_registration()) {
                    Ok(c) => c,
                    Err(_) => unreachable_comparison(),
                }
            }
        };
        let mut model = Self {
            setup,
            comparison: Timeline::start(comparison, (), limits()),
            running: setup.running,
            speed: setup.speed,
            carry_ms: 0.0,
            announcement: format!(
                "{}: the same users hit both sides. Take a service down and watch.",
                setup.flow.preset().title
            ),
            error,
            replaced_future: None,
        };
        if setup.fanout != Fanout::Sequential {
            model.control(Control::SetFanout {
                fanout: setup.fanout,
            });
        }
        model
    }

    /// The setup as it stands: the one the view was built from, with the fan-out and the speed
    /// the learner has chosen since (what the address bar shows, and what a copied address
    /// starts).
    pub fn current_setup(&self) -> Setup {
        Setup {
            fanout: self.comparison.config().fanout,
            speed: self.speed,
            ..self.setup
        }
    }

    /// The view's address for its current setup (see [`crate::ui::route::address_with`]):
    /// `seed`, `flow`, `fanout` and `speed`, defaults left out; `paused` and an embed's
    /// parameters stay as they were, parameters the view could not use go (it said so).
    pub fn address(&self, address: &str) -> String {
        use crate::ui::route::unless_default;
        let (setup, defaults) = (self.current_setup(), Setup::default());
        crate::ui::route::address_with(
            crate::ui::route::Route::EdaVsSoa,
            address,
            &[
                ("seed", unless_default(setup.seed, defaults.seed)),
                (
                    "flow",
                    unless_default(setup.flow.slug(), defaults.flow.slug()),
                ),
                (
                    "fanout",
                    unless_default(fanout_slug(setup.fanout), fanout_slug(defaults.fanout)),
                ),
                ("speed", unless_default(setup.speed, defaults.speed)),
            ],
            |key| key == "paused" || crate::ui::route::EMBED_PARAMS.contains(&key),
        )
    }

    /// The view as a scenario document keeps it (`sim::scenario`); `None` once its controls
    /// no longer reach back to the start.
    pub fn settings(&self) -> Option<CompareSettings> {
        let controls = self.comparison.script_from_start()?.to_vec();
        Some(CompareSettings {
            seed: self.setup.seed,
            flow: self.setup.flow.slug().to_string(),
            fanout: fanout_slug(self.setup.fanout).to_string(),
            speed_tenths: (self.speed * 10.0).round().clamp(1.0, 200.0) as u32,
            playing: self.running,
            controls,
            moment_ms: self.comparison.now_ms(),
        })
    }

    /// The view a scenario document describes, at its moment; an error says why it cannot be
    /// rebuilt.
    pub fn from_settings(settings: &CompareSettings) -> Result<Self, String> {
        let flow = match settings.flow.as_str() {
            "registration" => Flow::Registration,
            "order" => Flow::Order,
            other => return Err(format!("EDA vs SOA has no flow “{other}”.")),
        };
        let fanout = match settings.fanout.as_str() {
            "parallel" => Fanout::Parallel,
            _ => Fanout::Sequential,
        };
        let comparison = Comparison::new(settings.seed, flow.preset())
            .and_then(|origin| {
                Timeline::from_script(
                    origin,
                    &settings.controls,
                    settings.moment_ms,
                    0,
                    (),
                    limits(),
                )
            })
            .map_err(|e| format!("EDA vs SOA's scenario does not replay: {}", e.message()))?;
        let speed = f64::from(settings.speed_tenths.clamp(1, 200)) / 10.0;
        Ok(Self {
            setup: Setup {
                seed: settings.seed,
                flow,
                fanout,
                speed,
                running: settings.playing,
            },
            comparison,
            running: settings.playing,
            speed,
            carry_ms: 0.0,
            announcement: "EDA vs SOA as it was shared.".to_string(),
            error: None,
            replaced_future: None,
        })
    }

    fn control(&mut self, control: Control) -> bool {
        let (now, horizon) = (self.comparison.now_ms(), self.comparison.horizon_ms());
        let rewound = !self.comparison.is_live();
        match self.comparison.apply(control) {
            Ok(()) => {
                self.error = None;
                if rewound {
                    self.replaced_future = Some((now, horizon));
                }
                true
            }
            Err(e) => {
                self.error = Some(e.message().to_string());
                false
            }
        }
    }

    /// Applies an action.
    pub fn act(&mut self, action: Action) {
        match action {
            Action::Frame { wall_ms } => self.frame(wall_ms),
            Action::TogglePlay => {
                self.running = !self.running;
                self.carry_ms = 0.0;
                self.announcement = if self.running { "Running." } else { "Paused." }.to_string();
            }
            Action::SetSpeed(speed) => {
                if speed.is_finite() {
                    self.speed = speed.clamp(0.1, 20.0);
                }
            }
            Action::Reset(setup) => *self = Model::new(setup),
            Action::SetHealth { service, health } => {
                if self.control(Control::SetHealth {
                    service: service.clone(),
                    health,
                }) {
                    self.announcement = match health {
                        Health::Down => format!(
                            "{service} is down on both sides. SOA callers get connection refused; EDA events wait in its group's lag."
                        ),
                        Health::Slow => format!(
                            "{service} is slow on both sides. SOA users wait for it; EDA users do not, its lag grows."
                        ),
                        Health::Up => format!(
                            "{service} is up again. EDA: its consumer resumes from the committed offset."
                        ),
                    };
                }
            }
            Action::Spike => {
                if self.control(Control::Spike {
                    extra_requests: SPIKE_REQUESTS,
                    over_ms: SPIKE_MS,
                }) {
                    self.announcement = format!(
                        "A spike: {SPIKE_REQUESTS} extra users over {} s, on both sides.",
                        SPIKE_MS / 1000
                    );
                }
            }
            Action::AddService { start } => self.add_service(start),
            Action::ConfirmRedeploy => {
                let pending = self.comparison.pending_redeploy().join(", ");
                if pending.is_empty() {
                    self.error = Some("Nothing to redeploy: no service is waiting.".to_string());
                } else if self.control(Control::ConfirmRedeploy) {
                    self.announcement = format!(
                        "SOA: the front service was changed and redeployed; it now calls {pending}."
                    );
                }
            }
            Action::SetFanout(fanout) => {
                if self.control(Control::SetFanout { fanout }) {
                    self.setup.fanout = fanout;
                    self.announcement =
                        format!("SOA: the front calls its services {}.", fanout_text(fanout));
                }
            }
            Action::SetOnFailure {
                service,
                on_failure,
            } => {
                if self.control(Control::SetOnFailure {
                    service: service.clone(),
                    on_failure,
                }) {
                    self.announcement = match on_failure {
                        OnFailure::FailRequest => {
                            format!("SOA: when {service} fails, the whole request fails.")
                        }
                        OnFailure::Fallback => format!(
                            "SOA: when {service} fails, the front carries on without it (fallback)."
                        ),
                    };
                }
            }
            Action::SetUsers(running) => {
                if self.control(Control::SetUsers { running }) {
                    self.announcement = if running {
                        "Users are back.".to_string()
                    } else {
                        "No new users: watch the backlogs drain.".to_string()
                    };
                }
            }
            Action::Seek(at_ms) => {
                let shown = self.comparison.seek(at_ms);
                self.carry_ms = 0.0;
                self.replaced_future = None;
                self.announcement = format!(
                    "Both sides as they were at {}.",
                    crate::ui::session::format_ms(shown)
                );
            }
            Action::DismissError => self.error = None,
            Action::DismissReplaced => self.replaced_future = None,
        }
    }

    fn add_service(&mut self, start: StartFrom) {
        let taken: Vec<&str> = self
            .comparison
            .downstreams()
            .iter()
            .map(|d| d.spec.name.as_str())
            .collect();
        let Some(name) = NEW_SERVICES.iter().find(|n| !taken.contains(n)) else {
            self.error = Some("Every service this view can add is there already.".to_string());
            return;
        };
        let spec = DownstreamSpec::new(name, Latency::uniform(10, 40));
        if self.control(Control::AddDownstream { spec, start }) {
            self.announcement = format!(
                "Added {name}. EDA: a new consumer group reading from {}; the producer did not change. SOA: the front must be changed and redeployed to call it.",
                match start {
                    StartFrom::Beginning => "the beginning",
                    StartFrom::Now => "now",
                }
            );
        }
    }

    fn frame(&mut self, wall_ms: f64) {
        if !self.running || !wall_ms.is_finite() {
            return;
        }
        self.carry_ms += wall_ms.clamp(0.0, MAX_FRAME_MS) * self.speed;
        let whole = self.carry_ms.floor();
        if whole < 1.0 {
            return;
        }
        self.carry_ms -= whole;
        if let Err(e) = self.comparison.advance(whole as u64) {
            self.running = false;
            self.error = Some(e.message().to_string());
        }
    }

    /// The numbers now.
    pub fn live(&self) -> Sample {
        self.comparison.live()
    }

    /// The newest samples, oldest first.
    pub fn chart_samples(&self) -> Vec<&Sample> {
        let history = self.comparison.history();
        history
            .iter()
            .skip(history.len().saturating_sub(CHART_SAMPLES))
            .collect()
    }
}

/// A fan-out's URL value.
pub fn fanout_slug(fanout: Fanout) -> &'static str {
    match fanout {
        Fanout::Sequential => "sequential",
        Fanout::Parallel => "parallel",
    }
}

/// How a fan-out reads in a sentence.
pub fn fanout_text(fanout: Fanout) -> &'static str {
    match fanout {
        Fanout::Sequential => "one after another",
        Fanout::Parallel => "all at once",
    }
}

/// A per-mille rate as a percentage ("99.5%"), or a dash.
pub fn percent(per_mille: Option<u32>) -> String {
    match per_mille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".to_string(),
    }
}

/// Milliseconds, or a dash.
pub fn ms(value: Option<u64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v} ms"))
}

#[cold]
fn unreachable_comparison() -> Comparison {
    // `Comparison::new` only fails on a malformed preset; the built-in ones are checked by the
    // tests. Build the smallest possible preset by hand as a last resort.
    let mut preset = Preset::user_registration();
    preset.downstream.truncate(1);
    match Comparison::new(0, preset) {
        Ok(c) => c,
        Err(e) => panic!("the built-in preset does not build: {}", e.message()),
    }
}

/// The EDA-vs-SOA model behind Yew's reducer.
pub type Store = crate::ui::store::Store<Model>;

impl crate::ui::store::Acts for Model {
    type Action = Action;

    fn act(&mut self, action: Action) {
        Model::act(self, action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_box_cycles_up_slow_down() {
        let mut h = Health::Up;
        let mut seen = Vec::new();
        for _ in 0..3 {
            h = next_health(h);
            seen.push(h);
        }
        assert_eq!(seen, [Health::Slow, Health::Down, Health::Up]);
    }

    fn run(model: &mut Model, virtual_ms: u64) {
        let speed = model.speed;
        let frames = (virtual_ms as f64 / (16.0 * speed)).ceil() as u32;
        for _ in 0..frames {
            model.act(Action::Frame { wall_ms: 16.0 });
        }
    }

    #[test]
    fn email_down_diverges_the_two_sides_then_the_backlog_drains() {
        let mut model = Model::new(Setup {
            speed: 20.0,
            ..Setup::default()
        });
        run(&mut model, 10_000);
        let before = model.live();
        assert_eq!(before.soa.success_per_mille, Some(1000));
        assert_eq!(before.eda.success_per_mille, Some(1000));
        model.act(Action::SetHealth {
            service: "email-service".to_string(),
            health: Health::Down,
        });
        assert!(model.error.is_none(), "{:?}", model.error);
        run(&mut model, 20_000);
        let down = model.live();
        assert!(
            down.soa.success_per_mille.unwrap_or(1000) < 100,
            "SOA fails without email: {:?}",
            down.soa
        );
        assert_eq!(down.eda.success_per_mille, Some(1000));
        let email = |s: &Sample| s.eda.downstream[0].backlog;
        assert!(email(&down) > 30, "email lag grows: {:?}", down.eda);
        model.act(Action::SetHealth {
            service: "email-service".to_string(),
            health: Health::Up,
        });
        model.act(Action::SetUsers(false));
        run(&mut model, 30_000);
        assert_eq!(email(&model.live()), 0, "the backlog drains to 0");
    }

    #[test]
    fn adding_a_service_needs_a_redeploy_on_one_side_only() {
        let mut model = Model::new(Setup::default());
        let deps = |m: &Model| {
            let live = m.live();
            (live.soa.front_dependencies, live.eda.front_dependencies)
        };
        assert_eq!(deps(&model), (3, 1));
        model.act(Action::AddService {
            start: StartFrom::Beginning,
        });
        assert_eq!(model.comparison.pending_redeploy(), ["loyalty-points"]);
        assert_eq!(deps(&model), (3, 1));
        model.act(Action::ConfirmRedeploy);
        assert_eq!(deps(&model), (4, 1));
        model.act(Action::ConfirmRedeploy);
        assert!(model.error.is_some(), "nothing left to redeploy");
        for _ in 0..5 {
            model.act(Action::AddService {
                start: StartFrom::Now,
            });
        }
        assert!(model.error.is_some(), "runs out of names: says so");
    }

    #[test]
    fn same_seed_same_numbers() {
        let session = || {
            let mut model = Model::new(Setup {
                seed: 9,
                flow: Flow::Order,
                speed: 10.0,
                ..Setup::default()
            });
            run(&mut model, 5_000);
            model.act(Action::Spike);
            model.act(Action::SetHealth {
                service: "payment-service".to_string(),
                health: Health::Slow,
            });
            run(&mut model, 5_000);
            model
                .comparison
                .history()
                .iter()
                .cloned()
                .collect::<Vec<_>>()
        };
        let a = session();
        assert!(a.len() >= 9);
        assert_eq!(a, session());
    }

    #[test]
    fn seeking_back_shows_the_earlier_moment_and_a_control_there_replaces_the_future() {
        let mut model = Model::new(Setup {
            speed: 20.0,
            ..Setup::default()
        });
        run(&mut model, 10_000);
        model.act(Action::SetHealth {
            service: "email-service".to_string(),
            health: Health::Down,
        });
        run(&mut model, 10_000);
        let end = model.comparison.now_ms();
        let at_end = model.live();
        model.act(Action::Seek(5_000));
        assert_eq!(model.comparison.now_ms(), 5_000);
        assert_eq!(model.comparison.downstreams()[0].health, Health::Up);
        // Running on replays the recorded outage and lands on the same numbers.
        while model.comparison.now_ms() < end {
            let left_ms = (end - model.comparison.now_ms()) as f64;
            model.act(Action::Frame {
                wall_ms: (left_ms / model.speed).min(16.0),
            });
        }
        assert_eq!(model.comparison.now_ms(), end);
        assert_eq!(model.live(), at_end);
        // A control given in the past replaces the recorded future.
        model.act(Action::Seek(5_000));
        assert_eq!(
            model.replaced_future, None,
            "rewinding alone replaces nothing"
        );
        model.act(Action::Spike);
        assert_eq!(model.comparison.horizon_ms(), 5_000);
        assert_eq!(
            model.replaced_future,
            Some((5_000, end)),
            "the view says so"
        );
        let settings = model.settings().expect("complete");
        assert_eq!(settings.controls.len(), 1, "only the spike is left");
        model.act(Action::DismissReplaced);
        assert_eq!(model.replaced_future, None);
    }

    #[test]
    fn the_address_follows_the_setup_and_starts_the_same_one() {
        let mut model = Model::new(Setup::default());
        assert_eq!(model.address("#/eda-vs-soa"), "#/eda-vs-soa");
        model.act(Action::Reset(Setup {
            seed: 7,
            flow: Flow::Order,
            ..Setup::default()
        }));
        model.act(Action::SetFanout(Fanout::Parallel));
        model.act(Action::SetSpeed(4.0));
        let address = model.address("#/eda-vs-soa?embed=1&bogus=2&s=PAYLOAD");
        assert_eq!(
            address,
            "#/eda-vs-soa?embed=1&seed=7&flow=order&fanout=parallel&speed=4"
        );
        let (setup, problems) = Setup::from_params(&crate::ui::route::view_params(&address));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(setup, model.current_setup());
        // A page opened paused keeps saying so.
        let paused = Model::from_hash("#/eda-vs-soa?paused&seed=3");
        assert_eq!(
            paused.address("#/eda-vs-soa?paused&seed=3"),
            "#/eda-vs-soa?paused&seed=3"
        );
        // Reset keeps the fan-out and speed chosen since.
        model.act(Action::Reset(model.current_setup()));
        assert_eq!(
            Model::from_hash(&address).current_setup(),
            model.current_setup()
        );
    }

    #[test]
    fn url_parameters_and_bad_input() {
        let params = |s: &str| crate::ui::route::query_params(s);
        let (setup, problems) = Setup::from_params(&params(
            "#/eda-vs-soa?flow=order&fanout=parallel&seed=3&speed=4&paused",
        ));
        assert_eq!(setup.flow, Flow::Order);
        assert_eq!(setup.fanout, Fanout::Parallel);
        assert!(!setup.running);
        assert!(problems.is_empty());
        let (setup, problems) =
            Setup::from_params(&params("#/eda-vs-soa?flow=x&fanout=y&speed=NaN&z"));
        assert_eq!(setup, Setup::default());
        assert_eq!(problems.len(), 4);
        let mut model = Model::new(setup);
        model.act(Action::SetHealth {
            service: "no-such-service".to_string(),
            health: Health::Down,
        });
        assert!(model.error.is_some());
        model.act(Action::Frame { wall_ms: f64::NAN });
        model.act(Action::Frame { wall_ms: 1e12 });
        assert!(model.comparison.now_ms() <= 250);
    }
}
