//! The console: Kafka's command-line tools, run against a simulated [`World`].
//!
//! One implementation serves two callers. The page's terminal holds a [`Console`] in
//! [`Mode::Interactive`]: it calls [`Console::run_line`] for each line typed,
//! [`Console::pump`] after each `world.advance` with the events it returned (a running console
//! consumer prints records as they arrive; a console producer reports failed sends),
//! [`Console::interrupt`] on Ctrl+C and [`Console::end_of_input`] on Ctrl+D. The native
//! `eda-console` binary runs a script with [`run_script`] ([`Mode::Script`]): between commands
//! the console advances virtual time itself until nothing is in flight, a console consumer
//! stops after being idle for its `--timeout-ms` (1000 ms of virtual time when not given), and
//! the transcript is what the page would show, without prompts.
//!
//! A pipeline ended by `&` runs in the background in both modes: a console consumer keeps
//! running as job `%N` (pumped with the foreground job, its output shown as it comes) while
//! the shell goes on; `jobs`, `wait` and `kill` work on it as bash's do. In a script, `wait`
//! lets a waited-for consumer stop once idle (as a foreground one does), and the end of the
//! script hangs up the ones still running.
//!
//! Everything a command does to the world goes through [`World::apply`] (a topic created here
//! appears in the page); queries read the world's public state. The console keeps its own
//! seeded RNG (derived from the world's seed) for `random-uuid` and console-consumer group
//! numbers, so typing those never changes what the world draws.
//!
//! Invariants: no input makes the console panic; its state is bounded (history, pending
//! deliveries, watched producers, nesting of `$(…)`), and so is every text the shell builds:
//! words, arguments, variables, command substitutions, here-documents and lines stop at the
//! limits in `limits.rs`, checked before they grow. Output text is Kafka [`KAFKA_VERSION`]'s,
//! byte for byte where Kafka prints it; each tool's module says where each format comes from and what is
//! simplified.
//!
//! Layout: `shell.rs` parses lines; `args.rs` parses tool options as jopt-simple does;
//! `format.rs` holds shared output formats; `limits.rs` the shell's size limits; `text.rs` a
//! stream's text in write order; one file per tool (`topics.rs`, `producer.rs`,
//! `consumer.rs`, `groups.rs`, `configs.rs`, `offsets.rs` (get-offsets), `delete_records.rs`, `quorum.rs` (metadata-quorum), `leader_election.rs`, `reassign.rs`, `json.rs` (the JSON files), `streams_reset.rs` (streams-application-reset), `perf.rs` (producer- and consumer-perf-test), `server.rs` for storage, server start/stop and
//! run-class); `network.rs` what clients do when no broker answers;
//! `complete.rs` tab completion; `tool.rs` names the tools.

pub mod args;
pub mod complete;
pub mod configs;
pub mod consumer;
pub mod delete_records;
pub mod format;
pub mod groups;
pub mod json;
pub mod leader_election;
pub mod limits;
pub mod network;
pub mod offsets;
pub mod perf;
pub mod producer;
pub mod quorum;
pub mod reassign;
pub mod server;
pub mod shell;
pub mod streams_reset;
pub mod text;
pub mod tool;
pub mod topics;

use crate::sim::vecmap::VecSet;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

/// The Apache Kafka release the simulator and its tools follow: `--version` prints it, the
/// broker logs it, and every golden transcript is this release's text.
pub const KAFKA_VERSION: &str = crate::KAFKA_VERSION;
/// The `metadata.version` `kafka-storage.sh format` writes for [`KAFKA_VERSION`]
/// (`MetadataVersion.LATEST_PRODUCTION` of 4.1).
pub const METADATA_VERSION: &str = "4.1-IV1";

pub use complete::complete;
pub use text::Fd;
pub use tool::KafkaTool;

use crate::sim::command::Command;
use crate::sim::{Rng, TraceEvent, World};
use shell::{CommandList, Connector, HereDoc, Input, Parsed, Part, Pipeline, Redirect, Word};
use text::Text;

/// What a call printed: stdout and stderr kept apart, as Kafka's tools split them, and the
/// order in which their pieces were written ([`Output::chunks`]), as a terminal shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// `clear` was run: the terminal should be wiped before showing this output.
    pub clear: bool,
    /// Trace events of virtual time the console advanced itself (`sleep`, a consumer run to
    /// completion inside `$(…)`), in interactive mode only: the page forwards them to its other
    /// views so nothing is missed.
    pub events: Vec<TraceEvent>,
    /// The pieces of `stdout` and `stderr` in the order they were written: which stream and
    /// how many bytes.
    order: Vec<(Fd, usize)>,
}

impl Output {
    /// Whether nothing was printed.
    pub fn is_empty(&self) -> bool {
        self.stdout.is_empty() && self.stderr.is_empty() && !self.clear
    }

    /// The printed text as pieces in the order they were written (what a terminal showing both
    /// streams shows, and what `eda-console` writes to its two streams one after the other).
    pub fn chunks(&self) -> Vec<(Fd, &str)> {
        let mut chunks = Vec::with_capacity(self.order.len() + 2);
        let (mut at_out, mut at_err) = (0usize, 0usize);
        for &(fd, len) in &self.order {
            let (text, at) = match fd {
                Fd::Out => (&self.stdout, &mut at_out),
                Fd::Err => (&self.stderr, &mut at_err),
            };
            let end = (*at + len).min(text.len());
            chunks.push((fd, text.get(*at..end).unwrap_or("")));
            *at = end;
        }
        // Text written to the fields directly (not through the console) comes last.
        if let Some(rest) = self.stdout.get(at_out..).filter(|r| !r.is_empty()) {
            chunks.push((Fd::Out, rest));
        }
        if let Some(rest) = self.stderr.get(at_err..).filter(|r| !r.is_empty()) {
            chunks.push((Fd::Err, rest));
        }
        chunks
    }

    /// Appends `text` to the stream `fd`.
    fn write(&mut self, fd: Fd, text: &str) {
        if text.is_empty() {
            return;
        }
        match fd {
            Fd::Out => self.stdout.push_str(text),
            Fd::Err => self.stderr.push_str(text),
        }
        match self.order.last_mut() {
            Some((last, len)) if *last == fd => *len += text.len(),
            _ => self.order.push((fd, text.len())),
        }
    }

    /// What `io` holds, its two streams interleaved in write order.
    fn from_io(io: Io) -> Output {
        let mut out = Output::default();
        out.absorb_io(io);
        out
    }

    fn absorb_io(&mut self, io: Io) {
        for (fd, piece) in text::interleave(&io.out, &io.err) {
            self.write(fd, piece);
        }
    }

    fn absorb(&mut self, other: Output) {
        for (fd, piece) in other.chunks() {
            self.write(fd, piece);
        }
        self.clear |= other.clear;
        self.events.extend(other.events);
    }
}

/// A command's fields and the assignments before its name, expanded.
type ExpandedWords = (Vec<String>, Vec<(String, String)>);

/// Who is driving the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The page's terminal: the page advances time; consumers and producers without input
    /// run as foreground jobs.
    Interactive,
    /// A script: the console advances time itself between commands.
    Script,
}

/// A command's two output streams while it runs (before redirections and pipes route them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Io {
    /// Standard output.
    pub out: Text,
    /// Standard error.
    pub err: Text,
}

impl Io {
    /// Appends `other`, keeping when its pieces were written.
    fn append(&mut self, other: Io) {
        self.out.append(other.out);
        self.err.append(other.err);
    }
}

/// Where a command's stdout and stderr end up once its redirections are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sink {
    /// The command's stdout (the terminal, or the pipe to the next command).
    Out,
    /// The command's stderr (the terminal).
    Err,
    /// `/dev/null`.
    Null,
}

/// A command's two streams after its redirections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Route {
    out: Sink,
    err: Sink,
}

impl Default for Route {
    fn default() -> Self {
        Self {
            out: Sink::Out,
            err: Sink::Err,
        }
    }
}

impl Route {
    /// Applies `redirects` left to right, as bash does: each one points a stream at a file
    /// (here only `/dev/null`; others were refused) or at where the other stream points now.
    fn of(redirects: &[Redirect]) -> Route {
        let mut route = Route::default();
        for redirect in redirects {
            match redirect {
                Redirect::Stdout(target) => route.out = route.target(target),
                Redirect::Stderr(target) => route.err = route.target(target),
                Redirect::Both(target) => {
                    let sink = route.target(target);
                    route.out = sink;
                    route.err = sink;
                }
                Redirect::StderrToStdout => route.err = route.out,
                Redirect::StdoutToStderr => route.out = route.err,
            }
        }
        route
    }

    /// Where a redirection to `target` points a stream: `/dev/stdout` and `/dev/stderr` are
    /// where those streams point now; anything else is `/dev/null` (other files are refused
    /// before the command runs).
    fn target(self, target: &str) -> Sink {
        match target {
            "/dev/stdout" => self.out,
            "/dev/stderr" => self.err,
            _ => Sink::Null,
        }
    }

    /// Sends what a command wrote where its route says, keeping the write order when both
    /// streams end up in one.
    fn apply(self, io: Io) -> Io {
        let mut routed = Io::default();
        for (text, sink) in [(io.out, self.out), (io.err, self.err)] {
            match sink {
                Sink::Out => routed.out.merge(text),
                Sink::Err => routed.err.merge(text),
                Sink::Null => {}
            }
        }
        routed
    }
}

/// The foreground job, if any.
#[derive(Clone, Debug)]
pub(crate) enum Job {
    Producer(producer::ProducerJob),
    Consumer(consumer::ConsumerJob),
    /// `wait` in the page: the terminal waits until these background jobs have ended.
    Wait(Vec<u32>),
    /// A Kafka Streams application (`kafka-run-class.sh … WordCountDemo`), by its engine id:
    /// always a background job, which `kill` stops.
    Streams(u32),
}

/// A job started with `&`.
#[derive(Clone, Debug)]
pub(crate) struct Background {
    /// Its job number (`%N`).
    number: u32,
    /// Its process id, as `[N] PID` and `$!` show it.
    pid: u32,
    /// Its command line, as `jobs` shows it.
    source: String,
    /// The running console consumer or Streams application; `None` once it has ended.
    job: Option<Job>,
    /// Where its output goes.
    route: Route,
    /// Its exit status once it has ended.
    status: Option<i32>,
    /// Started by the command running now: a job that ended at once (`echo hi &`) is
    /// reported before the prompt after the next command, as bash's prompt comes back before
    /// the job has run.
    fresh: bool,
}

/// A line that is not finished yet.
#[derive(Clone, Debug, Default)]
enum Pending {
    #[default]
    None,
    /// An open quote, a trailing `\`, `|` or `&&`: the text so far.
    Continuation(String),
    /// Here-document bodies being collected for a parsed line.
    HereDocs {
        list: CommandList,
        docs: Vec<HereDoc>,
        bodies: Vec<String>,
        current: String,
        /// A body passed its limit: the rest is read and dropped, and the line does not run.
        too_large: Option<limits::TooLarge>,
    },
}

/// Most lines `history` keeps.
const HISTORY_MAX: usize = 1_000;
/// Most bytes `history` keeps (older lines go first).
const HISTORY_BYTES_MAX: usize = 4 << 20;
/// Deepest nesting of `$(…)`.
const SUBST_DEPTH_MAX: u32 = 8;
/// Virtual time per step while the console drives the world, in ms.
pub(crate) const STEP_MS: u64 = 50;
/// Most steps a script waits for the world to settle (2 minutes of virtual time: Kafka's
/// `delivery.timeout.ms`).
const SETTLE_STEPS_MAX: u32 = 2_400;
/// Most background jobs at once (bash has no such limit; a page needs one).
const JOBS_MAX: usize = 16;
/// The first process id a background job gets (its number is then counted up from it).
const PID_FIRST: u32 = 4_242;
/// Longest a script's `wait` lets virtual time pass, in ms (10 minutes).
const WAIT_MAX_MS: u64 = 600_000;
/// Longest `sleep`, in seconds (one virtual day).
const SLEEP_MAX_S: f64 = 86_400.0;
/// Most trace events an interactive `Output` carries.
const EVENTS_MAX: usize = 50_000;

/// A shell with Kafka's tools, holding variables, history and the foreground job.
#[derive(Clone, Debug)]
pub struct Console {
    mode: Mode,
    vars: BTreeMap<String, String>,
    /// What `vars` holds, as [`limits::var_bytes`] counts it.
    vars_bytes: usize,
    status: i32,
    history: VecDeque<String>,
    /// What `history` holds, in bytes.
    history_bytes: usize,
    pending: Pending,
    pub(crate) job: Option<Job>,
    /// Where the foreground job's output goes.
    job_route: Route,
    /// Jobs started with `&`, oldest first (at most [`JOBS_MAX`]).
    background: Vec<Background>,
    /// What background jobs printed and nobody has shown yet.
    background_out: Io,
    /// A pipeline ending in `&` is being started: a console consumer becomes a job of its own.
    pub(crate) spawning: bool,
    /// The last process id handed out.
    last_pid: u32,
    pub(crate) watchers: producer::Watchers,
    rng: Option<Rng>,
    /// `kafka-storage.sh format` has run in this console.
    pub(crate) storage_formatted: bool,
    /// Nodes `kafka-server-start.sh` started (or found running) in this console.
    pub(crate) started_nodes: VecSet<u32>,
    depth: u32,
    /// Mixed into the RNG seed so that terminals of one page differ.
    salt: u64,
}

impl Console {
    /// A console with no variables, no history and no job.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            vars: BTreeMap::new(),
            vars_bytes: 0,
            status: 0,
            history: VecDeque::new(),
            history_bytes: 0,
            pending: Pending::None,
            job: None,
            job_route: Route::default(),
            background: Vec::new(),
            background_out: Io::default(),
            spawning: false,
            last_pid: 0,
            watchers: producer::Watchers::default(),
            rng: None,
            storage_formatted: false,
            started_nodes: VecSet::new(),
            depth: 0,
            salt: 0,
        }
    }

    /// A console for terminal number `terminal` of a page with several: each draws its own
    /// random numbers (a console consumer's `console-consumer-NNNNN` group), so two terminals'
    /// consumers are two groups, as two shells on a real machine would be.
    pub fn for_terminal(mode: Mode, terminal: u64) -> Self {
        Self {
            salt: terminal.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ..Self::new(mode)
        }
    }

    /// Its mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The prompt the terminal should show before the next line: `$ ` normally, `> ` while a
    /// line goes on or a here-document is collected, `>` while a console producer reads lines,
    /// and none while a console consumer runs.
    pub fn prompt(&self) -> &'static str {
        match (&self.job, &self.pending) {
            (Some(Job::Producer(_)), _) => ">",
            (Some(Job::Consumer(_) | Job::Wait(_) | Job::Streams(_)), _) => "",
            (None, Pending::None) => "$ ",
            (None, _) => "> ",
        }
    }

    /// Whether a console producer or consumer runs in the foreground.
    pub fn job_running(&self) -> bool {
        self.job.is_some()
    }

    /// The commands run so far, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &str> {
        self.history.iter().map(String::as_str)
    }

    /// A shell variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The exit status of the last command (`$?`).
    pub fn last_status(&self) -> i32 {
        self.status
    }

    pub(crate) fn set_status(&mut self, status: i32) {
        self.status = status;
    }

    /// The console's own RNG, seeded from the world's seed on first use.
    pub(crate) fn rng(&mut self, world: &World) -> &mut Rng {
        self.rng
            .get_or_insert_with(|| Rng::new(world.seed() ^ 0x636f_6e73_6f6c_6521 ^ self.salt))
    }

    /// Whether a command may become the foreground job: it ends a pipeline at top level (not
    /// inside `$(…)`).
    pub(crate) fn jobs_allowed(&self) -> bool {
        self.depth == 0
    }

    // -----------------------------------------------------------------------------------------
    // The caller's entry points

    /// Runs one line typed (or read from a script): a command, a continuation of an unfinished
    /// one, a here-document line, or input for the running console producer.
    pub fn run_line(&mut self, world: &mut World, line: &str) -> Output {
        let mut out = Output::default();
        match &self.job {
            Some(Job::Producer(_)) => {
                let mut io = Io::default();
                producer::feed_line(self, world, line, &mut io, &mut out);
                out.absorb_io(io);
                return out;
            }
            // The console consumer (or `wait`) does not read its input; what is typed is
            // dropped.
            Some(Job::Consumer(_) | Job::Wait(_) | Job::Streams(_)) => return out,
            None => {}
        }
        let text = match std::mem::take(&mut self.pending) {
            Pending::HereDocs {
                list,
                docs,
                mut bodies,
                mut current,
                mut too_large,
            } => {
                let Some(doc) = docs.get(bodies.len()) else {
                    self.run_collected(world, &list, &bodies, too_large, &mut out);
                    return out;
                };
                let line = if doc.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if line == doc.delimiter {
                    bodies.push(std::mem::take(&mut current));
                    if bodies.len() == docs.len() {
                        self.run_collected(world, &list, &bodies, too_large, &mut out);
                        return out;
                    }
                } else if too_large.is_none() {
                    match limits::here_document(current.len(), line.len() + 1) {
                        Ok(()) => {
                            current.push_str(line);
                            current.push('\n');
                        }
                        Err(e) => {
                            // Read to its delimiter and dropped, so its lines do not run.
                            current = String::new();
                            too_large = Some(e);
                        }
                    }
                }
                self.pending = Pending::HereDocs {
                    list,
                    docs,
                    bodies,
                    current,
                    too_large,
                };
                return out;
            }
            // The parser refuses a line past `limits::LINE_CHARS_MAX`, continuation lines
            // included, so this text stays bounded by one typed line more.
            Pending::Continuation(previous) => format!("{previous}\n{line}"),
            Pending::None => line.to_string(),
        };
        match shell::parse(&text) {
            Parsed::Incomplete => {
                self.pending = Pending::Continuation(text);
            }
            Parsed::Error(message) => {
                self.remember(&text);
                out.write(Fd::Err, &message);
                out.write(Fd::Err, "\n");
                self.status = 2;
            }
            Parsed::Complete(list) => {
                self.remember(&text);
                let docs = list.heredocs();
                if docs.is_empty() {
                    self.execute_top(world, &list, &[], &mut out);
                } else {
                    self.pending = Pending::HereDocs {
                        list,
                        docs,
                        bodies: Vec::new(),
                        current: String::new(),
                        too_large: None,
                    };
                }
            }
        }
        out
    }

    /// Lets the running jobs react to what happened in the world: call it after every
    /// `world.advance` (or `step`) with the events that call returned. A console consumer
    /// prints the records that have reached it and stops at `--max-messages` or its
    /// `--timeout-ms`; producers report sends that failed for good.
    pub fn pump(&mut self, world: &mut World, events: &[TraceEvent]) -> Output {
        let mut io = Io::default();
        self.pump_jobs(world, events, &mut io);
        self.take_background(&mut io);
        // A job that ends while the prompt waits is reported after the next command, as
        // bash reports it before its next prompt (without `set -b`).
        Output::from_io(io)
    }

    /// Lets every job react to `events`: the foreground job's output goes to `io` (through its
    /// redirections), the background jobs' to `background_out`.
    fn pump_jobs(&mut self, world: &mut World, events: &[TraceEvent], io: &mut Io) {
        producer::pump(self, world, events, io);
        let mut foreground = Io::default();
        consumer::pump(self, world, events, &mut foreground);
        io.append(self.job_route.apply(foreground));
        for entry in &mut self.background {
            // A Streams application closed elsewhere (the page's Streams view, `--force` of the
            // reset tool) has ended: exit 1 if an exception stopped its thread, else 0.
            if let Some(Job::Streams(app)) = entry.job
                && !world.streams_app(app).is_some_and(|a| a.is_alive())
            {
                entry.job = None;
                let failed = world.streams_app(app).is_none_or(|a| a.error().is_some());
                entry.status = Some(i32::from(failed));
            }
            let Some(Job::Consumer(job)) = &mut entry.job else {
                continue;
            };
            let mut job_io = Io::default();
            if let Some(ending) = consumer::advance(job, world, events, &mut job_io)
                && let Some(Job::Consumer(job)) = entry.job.take()
            {
                entry.status = Some(consumer::finish(world, job, ending, &mut job_io));
            }
            self.background_out.append(entry.route.apply(job_io));
        }
        if let Some(Job::Wait(numbers)) = &self.job
            && !self
                .background
                .iter()
                .any(|b| numbers.contains(&b.number) && b.job.is_some())
        {
            let status = self.waited_status(numbers);
            self.job = None;
            self.status = status;
        }
    }

    /// Moves what background jobs printed into `io`, interleaved by when it was written.
    fn take_background(&mut self, io: &mut Io) {
        let background = std::mem::take(&mut self.background_out);
        io.out.merge(background.out);
        io.err.merge(background.err);
    }

    /// In the page, bash reports background jobs that ended (`[1]+  Done  …`) before its
    /// next prompt, and forgets them; a script's non-interactive shell says nothing.
    fn notify(&mut self, out: &mut Output) {
        if self.mode != Mode::Interactive || self.job.is_some() {
            return;
        }
        if self.background.iter().all(|b| b.job.is_some()) {
            for entry in &mut self.background {
                entry.fresh = false;
            }
            return;
        }
        let mut text = String::new();
        let count = self.background.len();
        for (i, entry) in self.background.iter().enumerate() {
            if entry.job.is_none() && !entry.fresh {
                text.push_str(&job_line(entry, i, count));
            }
        }
        self.background.retain(|b| b.job.is_some() || b.fresh);
        for entry in &mut self.background {
            entry.fresh = false;
        }
        out.write(Fd::Err, &text);
    }

    /// Ctrl+C: stops the foreground job (a console consumer prints its closing line) or drops
    /// the unfinished line.
    pub fn interrupt(&mut self, world: &mut World) -> Output {
        let mut io = Io::default();
        self.pending = Pending::None;
        match self.job.take() {
            Some(Job::Producer(job)) => {
                producer::close(self, world, job);
                self.status = 130;
            }
            Some(Job::Consumer(job)) => {
                let mut job_io = Io::default();
                consumer::finish(world, job, consumer::Ending::Interrupted, &mut job_io);
                io.append(self.job_route.apply(job_io));
                self.status = 130;
            }
            // Ctrl+C ends `wait`, not the jobs (they are in process groups of their own).
            Some(Job::Wait(_)) => self.status = 130,
            Some(Job::Streams(app)) => {
                let _ = world.apply(Command::StopStreams { app });
                self.status = 130;
            }
            None => {}
        }
        let mut out = Output::from_io(io);
        if self.mode == Mode::Script {
            self.settle(world, &mut out);
        }
        out
    }

    /// Ctrl+D (or the end of a script): ends a console producer's input (it flushes and
    /// exits) and runs a here-document that was never closed, as bash does.
    pub fn end_of_input(&mut self, world: &mut World) -> Output {
        let mut out = Output::default();
        if let Some(Job::Producer(_)) = &self.job
            && let Some(Job::Producer(job)) = self.job.take()
        {
            producer::close(self, world, job);
            self.status = 0;
        }
        match std::mem::take(&mut self.pending) {
            Pending::HereDocs {
                list,
                docs,
                mut bodies,
                current,
                too_large,
            } => {
                if let Some(doc) = docs.get(bodies.len()) {
                    out.write(
                        Fd::Err,
                        &format!(
                            "bash: warning: here-document at line 1 delimited by end-of-file (wanted `{}')\n",
                            doc.delimiter
                        ),
                    );
                }
                bodies.push(current);
                while bodies.len() < docs.len() {
                    bodies.push(String::new());
                }
                self.run_collected(world, &list, &bodies, too_large, &mut out);
            }
            Pending::Continuation(_) => {
                out.write(Fd::Err, "bash: syntax error: unexpected end of file\n");
                self.status = 2;
            }
            Pending::None => {}
        }
        if self.mode == Mode::Script {
            self.settle(world, &mut out);
            self.hang_up(world, &mut out);
        }
        out
    }

    /// The end of a script closes its terminal: background console consumers still running get
    /// SIGHUP, which runs Kafka's shutdown hook (their count lines), so a transcript ends.
    fn hang_up(&mut self, world: &mut World, out: &mut Output) {
        for entry in &mut self.background {
            match entry.job.take() {
                Some(Job::Consumer(job)) => {
                    let mut job_io = Io::default();
                    consumer::finish(world, job, consumer::Ending::Interrupted, &mut job_io);
                    entry.status = Some(129);
                    self.background_out.append(entry.route.apply(job_io));
                }
                Some(Job::Streams(app)) => {
                    let _ = world.apply(Command::StopStreams { app });
                    entry.status = Some(129);
                }
                other => entry.job = other,
            }
        }
        let mut io = Io::default();
        self.take_background(&mut io);
        out.absorb_io(io);
        self.settle(world, out);
    }

    // -----------------------------------------------------------------------------------------
    // Execution

    fn remember(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        while self.history.len() >= HISTORY_MAX
            || self.history_bytes + text.len() > HISTORY_BYTES_MAX
        {
            let Some(oldest) = self.history.pop_front() else {
                break;
            };
            self.history_bytes = self.history_bytes.saturating_sub(oldest.len());
        }
        self.history_bytes += text.len();
        self.history.push_back(text.to_string());
    }

    /// Runs a line whose here-documents are collected, unless one passed its limit.
    fn run_collected(
        &mut self,
        world: &mut World,
        list: &CommandList,
        bodies: &[String],
        too_large: Option<limits::TooLarge>,
        out: &mut Output,
    ) {
        match too_large {
            None => self.execute_top(world, list, bodies, out),
            Some(e) => {
                out.write(Fd::Err, &e.0);
                out.write(Fd::Err, "\n");
                self.status = 1;
            }
        }
    }

    fn execute_top(
        &mut self,
        world: &mut World,
        list: &CommandList,
        bodies: &[String],
        out: &mut Output,
    ) {
        let mut io = Io::default();
        let events_before = out.events.len();
        let ended_in_background = self.execute_list(world, list, bodies, &mut io, out);
        self.take_background(&mut io);
        out.absorb_io(io);
        // A line ending in `&` returns at once, as bash does: the jobs it started run on while
        // the next line starts at the same moment, so consumers started one line after
        // another join their group together, as they would from a real script.
        if self.mode == Mode::Script && self.job.is_none() && !ended_in_background {
            self.settle(world, out);
        }
        if self.mode == Mode::Script {
            out.events.truncate(events_before);
        }
        self.notify(out);
    }

    /// Advances the world until nothing is in flight (script mode), pumping the jobs.
    fn settle(&mut self, world: &mut World, out: &mut Output) {
        let mut io = Io::default();
        for _ in 0..SETTLE_STEPS_MAX {
            if world.is_settled() && self.watchers.is_idle() && self.job.is_none() {
                break;
            }
            if !self.step(world, &mut io, out) {
                break;
            }
        }
        self.take_background(&mut io);
        out.absorb_io(io);
    }

    /// One step of virtual time driven by the console; false if time cannot move. What the
    /// foreground job prints goes to `io`; in the page, the events go to `out`.
    pub(crate) fn step(&mut self, world: &mut World, io: &mut Io, out: &mut Output) -> bool {
        self.step_events(world, STEP_MS, io, out).is_some()
    }

    /// [`Console::step`] by `ms` (at most [`STEP_MS`]), returning the step's events (`None`
    /// if time cannot move).
    pub(crate) fn step_events(
        &mut self,
        world: &mut World,
        ms: u64,
        io: &mut Io,
        out: &mut Output,
    ) -> Option<Vec<TraceEvent>> {
        let events = world.advance(ms.clamp(1, STEP_MS)).ok()?;
        self.pump_jobs(world, &events, io);
        if self.mode == Mode::Interactive && out.events.len() < EVENTS_MAX {
            out.events.extend(events.iter().cloned());
        }
        Some(events)
    }

    fn execute_list(
        &mut self,
        world: &mut World,
        list: &CommandList,
        bodies: &[String],
        io: &mut Io,
        out: &mut Output,
    ) -> bool {
        let mut next_body = 0usize;
        let mut last_background = false;
        for (connector, pipeline) in &list.items {
            let run = match connector {
                Connector::Always => true,
                Connector::IfSuccess => self.status == 0,
                Connector::IfFailure => self.status != 0,
            };
            if !run {
                next_body += pipeline
                    .commands
                    .iter()
                    .filter(|c| matches!(c.input, Some(Input::HereDoc(_))))
                    .count();
                continue;
            }
            last_background = pipeline.background;
            if pipeline.background {
                self.status = self.spawn(world, pipeline, bodies, &mut next_body, io, out);
                continue;
            }
            self.status = self.run_pipeline(world, pipeline, bodies, &mut next_body, io, out);
            if self.job.is_some() {
                // The rest of the line would run after the job; the playground drops it.
                break;
            }
        }
        last_background
    }

    /// Starts `pipeline` in the background (`&`): a console consumer keeps running as job `%N`
    /// while the shell goes on; anything else runs at once (its output shown as it comes) and
    /// is a job that has already ended. Its standard input is empty (`/dev/null`), as bash gives
    /// a background command. Returns `$?`, which is 0.
    fn spawn(
        &mut self,
        world: &mut World,
        pipeline: &Pipeline,
        bodies: &[String],
        next_body: &mut usize,
        io: &mut Io,
        out: &mut Output,
    ) -> i32 {
        let Some((number, pid)) = self.allocate_job(io) else {
            next_body_skip(pipeline, next_body);
            return 254;
        };
        if self.mode == Mode::Interactive {
            let _ = writeln!(io.err, "[{number}] {pid}");
        }
        let foreground = self.job.take();
        let route = std::mem::take(&mut self.job_route);
        self.spawning = true;
        let status = self.run_pipeline(world, pipeline, bodies, next_body, io, out);
        self.spawning = false;
        let job = std::mem::replace(&mut self.job, foreground);
        let job_route = std::mem::replace(&mut self.job_route, route);
        let job = match job {
            Some(Job::Producer(job)) => {
                producer::close(self, world, job);
                None
            }
            other => other,
        };
        self.background.push(Background {
            number,
            pid,
            source: pipeline.source.clone(),
            status: job.is_none().then_some(status),
            job,
            route: job_route,
            fresh: true,
        });
        0
    }

    /// A job number and a process id for a new background job, or bash's error when there are
    /// [`JOBS_MAX`] already.
    fn allocate_job(&mut self, io: &mut Io) -> Option<(u32, u32)> {
        if self.background.len() >= JOBS_MAX {
            // Forget jobs that have ended, oldest first, before refusing a new one.
            if let Some(i) = self.background.iter().position(|b| b.job.is_none()) {
                self.background.remove(i);
            }
        }
        if self.background.len() >= JOBS_MAX {
            let _ = writeln!(
                io.err,
                "bash: fork: retry: Resource temporarily unavailable (at most {JOBS_MAX} background jobs in the playground)"
            );
            return None;
        }
        let number = self.background.iter().map(|b| b.number).max().unwrap_or(0) + 1;
        self.last_pid = if self.last_pid == 0 {
            PID_FIRST
        } else {
            self.last_pid.wrapping_add(1)
        };
        Some((number, self.last_pid))
    }

    /// Runs a Streams application as a background job (as `&` would): inside `&` it becomes
    /// that job, otherwise a new one. Returns its job number.
    pub(crate) fn adopt_streams(&mut self, app: u32, source: &str, io: &mut Io) -> Option<u32> {
        if self.spawning {
            self.job = Some(Job::Streams(app));
            return Some(self.background.iter().map(|b| b.number).max().unwrap_or(0) + 1);
        }
        let (number, pid) = self.allocate_job(io)?;
        self.background.push(Background {
            number,
            pid,
            source: source.to_string(),
            job: Some(Job::Streams(app)),
            route: Route::default(),
            status: None,
            fresh: false,
        });
        Some(number)
    }

    /// The exit status of the last of `numbers` to be waited for.
    fn waited_status(&self, numbers: &[u32]) -> i32 {
        numbers
            .last()
            .and_then(|n| self.background.iter().find(|b| b.number == *n))
            .and_then(|b| b.status)
            .unwrap_or(127)
    }

    fn run_pipeline(
        &mut self,
        world: &mut World,
        pipeline: &Pipeline,
        bodies: &[String],
        next_body: &mut usize,
        io: &mut Io,
        out: &mut Output,
    ) -> i32 {
        let count = pipeline.commands.len();
        let mut piped: Option<String> = None;
        let mut status = 0;
        for (index, command) in pipeline.commands.iter().enumerate() {
            let last = index + 1 == count;
            let mut input = piped.take();
            if let Some(Input::File(path)) = &command.input {
                let _ = writeln!(io.err, "bash: {path}: No such file or directory");
                status = 1;
                if !last {
                    piped = Some(String::new());
                }
                continue;
            }
            let expanded_input = match &command.input {
                Some(Input::HereDoc(doc)) => {
                    let body = bodies.get(*next_body).cloned().unwrap_or_default();
                    *next_body += 1;
                    if doc.expand {
                        let parts = shell::parse_heredoc_body(&body);
                        self.expand_joined(world, &parts, io).map(Some)
                    } else {
                        Ok(Some(body))
                    }
                }
                Some(Input::HereString(word)) => {
                    self.expand_word(world, word, io).and_then(|fields| {
                        let text = fields.join(" ");
                        limits::word(text.len(), 1)?;
                        Ok(Some(text + "\n"))
                    })
                }
                _ => Ok(None),
            };
            match expanded_input {
                Ok(Some(text)) => input = Some(text),
                Ok(None) if self.spawning && input.is_none() => input = Some(String::new()),
                Ok(None) => {}
                Err(e) => {
                    e.report(io);
                    status = 1;
                    if !last {
                        piped = Some(String::new());
                    }
                    continue;
                }
            }
            if let Some(target) = command.redirects.iter().find_map(|r| match r {
                Redirect::Stdout(t) | Redirect::Stderr(t) | Redirect::Both(t)
                    if !matches!(t.as_str(), "/dev/null" | "/dev/stdout" | "/dev/stderr") =>
                {
                    Some(t.clone())
                }
                _ => None,
            }) {
                let _ = writeln!(io.err, "bash: {target}: Read-only file system");
                status = 1;
                if !last {
                    piped = Some(String::new());
                }
                continue;
            }
            let (fields, assignments) = match self.expand_words(world, &command.words, io) {
                Ok(expanded) => expanded,
                Err(e) => {
                    e.report(io);
                    status = 1;
                    if !last {
                        piped = Some(String::new());
                    }
                    continue;
                }
            };
            let mut cmd_io = Io::default();
            if fields.is_empty() {
                status = 0;
                for (name, value) in assignments {
                    if let Err(e) = self.set_var(name, value) {
                        e.report(&mut cmd_io);
                        status = 1;
                    }
                }
            } else {
                let job_allowed = last && self.jobs_allowed();
                if self.job.is_none() {
                    self.job_route = Route::default();
                }
                status = self.run_command(world, &fields, input, job_allowed, &mut cmd_io, out);
                if self.job.is_some() {
                    self.job_route = Route::of(&command.redirects);
                }
            }
            let cmd_io = Route::of(&command.redirects).apply(cmd_io);
            io.err.append(cmd_io.err);
            if last {
                io.out.append(cmd_io.out);
            } else {
                piped = Some(cmd_io.out.into_string());
            }
        }
        status
    }

    /// Expands a command's words: the assignments before its name, then its fields, within
    /// the shell's limits (checked before anything grows past them).
    fn expand_words(
        &mut self,
        world: &mut World,
        words: &[Word],
        io: &mut Io,
    ) -> Result<ExpandedWords, limits::TooLarge> {
        let mut fields = Vec::new();
        let mut assignments = Vec::new();
        let mut in_prefix = true;
        let mut total = 0usize;
        for word in words {
            if in_prefix && let Some((name, value)) = word.as_assignment() {
                let value = self.expand_joined(world, &value.0, io)?;
                assignments.push((name, value));
                continue;
            }
            in_prefix = false;
            for field in self.expand_word(world, word, io)? {
                total = total.saturating_add(field.len() + 1);
                limits::arguments(fields.first().map_or(field.as_str(), String::as_str), total)?;
                fields.push(field);
            }
        }
        Ok((fields, assignments))
    }

    /// Sets a shell variable, within the limit on all variables together.
    fn set_var(&mut self, name: String, value: String) -> Result<(), limits::TooLarge> {
        let old = self
            .vars
            .get(&name)
            .map_or(0, |v| limits::var_bytes(&name, v));
        let total = self
            .vars_bytes
            .saturating_sub(old)
            .saturating_add(limits::var_bytes(&name, &value));
        limits::variables(&name, total)?;
        self.vars_bytes = total;
        self.vars.insert(name, value);
        Ok(())
    }

    fn unset_var(&mut self, name: &str) {
        if let Some(value) = self.vars.remove(name) {
            self.vars_bytes = self
                .vars_bytes
                .saturating_sub(limits::var_bytes(name, &value));
        }
    }

    /// Expands a word into fields: variables and command substitutions, unquoted results
    /// split on blanks.
    fn expand_word(
        &mut self,
        world: &mut World,
        word: &Word,
        io: &mut Io,
    ) -> Result<Vec<String>, limits::TooLarge> {
        let mut fields = Vec::new();
        let mut current: Option<String> = None;
        // All the word's fields together, so that splitting cannot pass the limit either.
        let mut total = 0usize;
        for part in &word.0 {
            let (value, quoted) = match part {
                Part::Text { text, .. } => {
                    let field = current.get_or_insert_with(String::new);
                    limits::word(field.len(), text.len())?;
                    total = limits::fields(total, text.len())?;
                    field.push_str(text);
                    continue;
                }
                Part::Var { name, quoted } => (self.lookup(name), *quoted),
                Part::Subst { source, quoted } => (self.substitute(world, source, io)?, *quoted),
            };
            if quoted {
                let field = current.get_or_insert_with(String::new);
                limits::word(field.len(), value.len())?;
                total = limits::fields(total, value.len())?;
                field.push_str(&value);
                continue;
            }
            if value.starts_with(char::is_whitespace)
                && let Some(field) = current.take()
            {
                fields.push(field);
            }
            let mut pieces = value.split_whitespace().peekable();
            while let Some(piece) = pieces.next() {
                let field = current.get_or_insert_with(String::new);
                limits::word(field.len(), piece.len())?;
                total = limits::fields(total, piece.len() + 1)?;
                field.push_str(piece);
                if pieces.peek().is_some()
                    && let Some(field) = current.take()
                {
                    fields.push(field);
                }
            }
            if value.ends_with(char::is_whitespace)
                && let Some(field) = current.take()
            {
                fields.push(field);
            }
        }
        if let Some(field) = current {
            fields.push(field);
        }
        Ok(fields)
    }

    /// Expands parts into one string, without field splitting (assignments, here-documents).
    fn expand_joined(
        &mut self,
        world: &mut World,
        parts: &[Part],
        io: &mut Io,
    ) -> Result<String, limits::TooLarge> {
        let mut text = String::new();
        for part in parts {
            let piece = match part {
                Part::Text { text: t, .. } => std::borrow::Cow::Borrowed(t.as_str()),
                Part::Var { name, .. } => std::borrow::Cow::Owned(self.lookup(name)),
                Part::Subst { source, .. } => {
                    std::borrow::Cow::Owned(self.substitute(world, source, io)?)
                }
            };
            limits::word(text.len(), piece.len())?;
            text.push_str(&piece);
        }
        Ok(text)
    }

    fn lookup(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".to_string(),
            "#" => "0".to_string(),
            "!" if self.last_pid != 0 => self.last_pid.to_string(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// Runs `$(source)` and returns its output without trailing newlines.
    fn substitute(
        &mut self,
        world: &mut World,
        source: &str,
        io: &mut Io,
    ) -> Result<String, limits::TooLarge> {
        if self.depth >= SUBST_DEPTH_MAX {
            io.err
                .push_str("bash: command substitution: nested too deeply\n");
            return Ok(String::new());
        }
        self.depth += 1;
        let mut sub_io = Io::default();
        let mut scratch = Output::default();
        match shell::parse(source) {
            Parsed::Complete(list) => {
                let bodies = vec![String::new(); list.heredocs().len()];
                let _ = self.execute_list(world, &list, &bodies, &mut sub_io, &mut scratch);
            }
            Parsed::Incomplete => {
                sub_io.err.push_str(
                    "bash: command substitution: line 1: syntax error: unexpected end of file\n",
                );
                self.status = 2;
            }
            Parsed::Error(message) => {
                sub_io.err.push_str(&message);
                sub_io.err.push('\n');
                self.status = 2;
            }
        }
        self.depth -= 1;
        io.err.append(sub_io.err);
        io.err.push_str(&scratch.stderr);
        limits::substitution(sub_io.out.len().saturating_add(scratch.stdout.len()))?;
        let mut text = sub_io.out.into_string();
        text.push_str(&scratch.stdout);
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    fn run_command(
        &mut self,
        world: &mut World,
        argv: &[String],
        stdin: Option<String>,
        job_allowed: bool,
        io: &mut Io,
        out: &mut Output,
    ) -> i32 {
        let Some((name, args)) = argv.split_first() else {
            return 0;
        };
        if let Some(tool) = KafkaTool::from_command(name) {
            return match tool {
                KafkaTool::Topics => topics::run(self, world, args, io, out),
                KafkaTool::ConsoleProducer => {
                    producer::run(self, world, args, stdin, job_allowed, io, out)
                }
                KafkaTool::ConsoleConsumer => {
                    consumer::run(self, world, args, job_allowed, io, out)
                }
                KafkaTool::ConsumerGroups => groups::run(self, world, args, io, out),
                KafkaTool::Configs => configs::run(self, world, args, io, out),
                KafkaTool::GetOffsets => offsets::run(self, world, args, io, out),
                KafkaTool::DeleteRecords => {
                    delete_records::run(self, world, args, stdin.as_deref(), io)
                }
                KafkaTool::MetadataQuorum => quorum::run(self, world, args, io, out),
                KafkaTool::LeaderElection => leader_election::run(world, args, io),
                KafkaTool::ReassignPartitions => {
                    reassign::run(self, world, args, stdin.as_deref(), io, out)
                }
                KafkaTool::StreamsReset => streams_reset::run(world, args, io),
                KafkaTool::ProducerPerfTest => perf::run(self, world, args, io),
                KafkaTool::ConsumerPerfTest => perf::consumer_run(self, world, args, io),
                KafkaTool::Storage => server::storage(self, world, args, io),
                KafkaTool::ServerStart => server::start(self, world, args, io),
                KafkaTool::ServerStop => server::stop(self, world, args, io),
                KafkaTool::RunClass => server::run_class(self, world, args, io),
            };
        }
        match name.as_str() {
            "echo" => builtin_echo(args, io),
            "printf" => builtin_printf(args, io),
            "cat" => {
                if let Some(first) = args.iter().find(|a| !a.starts_with('-')) {
                    let _ = writeln!(io.err, "cat: {first}: No such file or directory");
                    return 1;
                }
                io.out.push_str(stdin.as_deref().unwrap_or(""));
                0
            }
            "clear" => {
                out.clear = true;
                io.out.clear();
                0
            }
            "help" => {
                io.out.push_str(&help_text());
                0
            }
            "history" => {
                for (i, line) in self.history.iter().enumerate() {
                    let _ = writeln!(io.out, "{:>5}  {line}", i + 1);
                }
                0
            }
            "export" => {
                for arg in args {
                    if let Some((name, value)) = arg.split_once('=') {
                        if shell::is_name(name) {
                            if let Err(e) = self.set_var(name.to_string(), value.to_string()) {
                                e.report(io);
                                return 1;
                            }
                        } else {
                            let _ =
                                writeln!(io.err, "bash: export: `{arg}': not a valid identifier");
                            return 1;
                        }
                    }
                }
                0
            }
            "unset" => {
                for arg in args {
                    self.unset_var(arg);
                }
                0
            }
            "jobs" => self.builtin_jobs(args, io),
            "wait" => self.builtin_wait(world, args, io, out),
            "kill" => self.builtin_kill(world, args, io),
            "true" | ":" => 0,
            "false" => 1,
            "sleep" => self.builtin_sleep(world, args, io, out),
            "exit" | "logout" => 0,
            "pwd" => {
                io.out.push_str("/opt/kafka\n");
                0
            }
            "cd" => match args.first().map(String::as_str) {
                None | Some("~" | "/opt/kafka" | "." | "..") => 0,
                Some(dir) if dir.starts_with("kafka") => {
                    io.out.push_str(&install_note());
                    0
                }
                Some(dir) => {
                    let _ = writeln!(io.err, "bash: cd: {dir}: No such file or directory");
                    1
                }
            },
            "wget" | "curl" | "tar" | "docker" | "java" | "apt" | "apt-get" | "brew" | "unzip"
            | "sudo" | "podman" => {
                io.out.push_str(&install_note());
                0
            }
            _ => {
                let _ = writeln!(io.err, "bash: {name}: command not found");
                127
            }
        }
    }

    /// The background job a job spec names: `%N`, `%%`, `%+` (the current job, the newest),
    /// `%-` (the one before), or a process id.
    fn find_job(&self, spec: &str) -> Option<usize> {
        let count = self.background.len();
        match spec {
            "%%" | "%+" | "%" => count.checked_sub(1),
            "%-" => count.checked_sub(2).or(count.checked_sub(1)),
            _ => match spec.strip_prefix('%') {
                Some(n) => {
                    let n: u32 = n.parse().ok()?;
                    self.background.iter().position(|b| b.number == n)
                }
                None => {
                    let pid: u32 = spec.parse().ok()?;
                    self.background.iter().position(|b| b.pid == pid)
                }
            },
        }
    }

    /// `jobs [-l|-p]`: bash's list (`[N]+  Running                 command &`); jobs that have
    /// ended are listed once, then forgotten.
    fn builtin_jobs(&mut self, args: &[String], io: &mut Io) -> i32 {
        let pids = args.iter().any(|a| a == "-p");
        let long = args.iter().any(|a| a == "-l");
        if let Some(bad) = args
            .iter()
            .find(|a| a.starts_with('-') && !matches!(a.as_str(), "-p" | "-l"))
        {
            let _ = writeln!(
                io.err,
                "bash: jobs: {bad}: invalid option\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]"
            );
            return 2;
        }
        let count = self.background.len();
        for (i, entry) in self.background.iter().enumerate() {
            if pids {
                let _ = writeln!(io.out, "{}", entry.pid);
            } else if long {
                let line = job_line(entry, i, count);
                let (head, rest) = line.split_at(line.find("  ").unwrap_or(0).min(line.len()));
                let _ = write!(io.out, "{head} {}{rest}", entry.pid);
            } else {
                io.out.push_str(&job_line(entry, i, count));
            }
        }
        self.background.retain(|b| b.job.is_some());
        0
    }

    /// `wait [%N …]`: lets virtual time pass until the background jobs (all, or those named)
    /// have ended. In a script a waited-for console consumer stops once idle for its
    /// `--timeout-ms` (1000 ms when not given, standing for the Ctrl+C a person would type);
    /// in the page the terminal waits (Ctrl+C stops waiting, not the jobs).
    fn builtin_wait(
        &mut self,
        world: &mut World,
        args: &[String],
        io: &mut Io,
        out: &mut Output,
    ) -> i32 {
        let mut numbers = Vec::new();
        let mut status = 0;
        for arg in args {
            match self.find_job(arg) {
                Some(i) => numbers.push(self.background[i].number),
                None => {
                    let _ = writeln!(io.err, "bash: wait: {arg}: no such job");
                    status = 127;
                }
            }
        }
        if args.is_empty() {
            numbers = self.background.iter().map(|b| b.number).collect();
        }
        let running = |console: &Console| {
            console
                .background
                .iter()
                .any(|b| numbers.contains(&b.number) && b.job.is_some())
        };
        if !running(self) {
            return if args.is_empty() {
                0
            } else {
                self.waited_status(&numbers).max(status)
            };
        }
        if self.mode == Mode::Interactive && self.jobs_allowed() {
            self.job = Some(Job::Wait(if args.is_empty() {
                Vec::new()
            } else {
                numbers
            }));
            if let Some(Job::Wait(list)) = &mut self.job
                && list.is_empty()
            {
                list.extend(self.background.iter().map(|b| b.number));
            }
            return 0;
        }
        for entry in &mut self.background {
            if let Some(Job::Consumer(job)) = &mut entry.job
                && numbers.contains(&entry.number)
            {
                job.time_out_when_idle();
            }
        }
        let deadline = world.now_ms().saturating_add(WAIT_MAX_MS);
        while running(self) && world.now_ms() < deadline {
            if !self.step(world, io, out) {
                break;
            }
        }
        let status = if args.is_empty() {
            0
        } else {
            self.waited_status(&numbers)
        };
        // Jobs waited for are forgotten, as bash forgets them.
        self.background
            .retain(|b| b.job.is_some() || !numbers.contains(&b.number));
        status
    }

    /// `kill [-s SIGNAL | -SIGNAL] %N|PID …`: a console consumer killed with TERM, INT or HUP
    /// runs Kafka's shutdown hook (its count line, then close); with KILL it dies at once.
    fn builtin_kill(&mut self, world: &mut World, args: &[String], io: &mut Io) -> i32 {
        const USAGE: &str = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";
        let mut signal = 15u32;
        let mut rest = args;
        if let Some((first, tail)) = rest.split_first() {
            let spec = match first.as_str() {
                "-s" | "-n" => {
                    let Some((spec, tail)) = tail.split_first() else {
                        io.err.push_str("bash: kill: ");
                        let _ = writeln!(io.err, "{first}: option requires an argument");
                        io.err.push_str(USAGE);
                        return 2;
                    };
                    rest = tail;
                    Some(spec.as_str())
                }
                "-l" | "-L" => {
                    io.out.push_str(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n");
                    return 0;
                }
                f if f.starts_with('-') && f.len() > 1 => {
                    rest = tail;
                    Some(&f[1..])
                }
                _ => None,
            };
            if let Some(spec) = spec {
                let name = spec.trim_start_matches("SIG").to_ascii_uppercase();
                signal = match name.as_str() {
                    "HUP" | "1" => 1,
                    "INT" | "2" => 2,
                    "KILL" | "9" => 9,
                    "TERM" | "15" => 15,
                    _ => {
                        let _ =
                            writeln!(io.err, "bash: kill: {spec}: invalid signal specification");
                        return 1;
                    }
                };
            }
        }
        if rest.is_empty() {
            io.err.push_str(USAGE);
            return 2;
        }
        let mut status = 0;
        for spec in rest {
            let Some(i) = self.find_job(spec) else {
                if spec.starts_with('%') {
                    let _ = writeln!(io.err, "bash: kill: {spec}: no such job");
                } else if spec.parse::<u32>().is_ok() {
                    let _ = writeln!(io.err, "bash: kill: ({spec}) - No such process");
                } else {
                    let _ = writeln!(
                        io.err,
                        "bash: kill: {spec}: arguments must be process or job IDs"
                    );
                }
                status = 1;
                continue;
            };
            let entry = &mut self.background[i];
            let Some(job) = entry.job.take() else {
                let _ = writeln!(io.err, "bash: kill: ({}) - No such process", entry.pid);
                status = 1;
                continue;
            };
            let mut job_io = Io::default();
            match job {
                Job::Consumer(job) if signal == 9 => consumer::kill(world, job),
                Job::Consumer(job) => {
                    consumer::finish(world, job, consumer::Ending::Interrupted, &mut job_io);
                }
                // Kafka Streams' shutdown hook closes the application (it commits and leaves
                // its group); the playground does the same for SIGKILL.
                Job::Streams(app) => {
                    let _ = world.apply(Command::StopStreams { app });
                }
                Job::Producer(_) | Job::Wait(_) => {}
            }
            entry.status = Some(128 + signal as i32);
            self.background_out.append(entry.route.apply(job_io));
        }
        status
    }

    fn builtin_sleep(
        &mut self,
        world: &mut World,
        args: &[String],
        io: &mut Io,
        out: &mut Output,
    ) -> i32 {
        let Some(arg) = args.first() else {
            io.err.push_str("sleep: missing operand\n");
            return 1;
        };
        let (number, unit) = match arg.char_indices().last() {
            Some((i, c @ ('s' | 'm' | 'h' | 'd'))) => (&arg[..i], c),
            _ => (arg.as_str(), 's'),
        };
        let seconds = number
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0);
        let Some(seconds) = seconds else {
            let _ = writeln!(io.err, "sleep: invalid time interval '{arg}'");
            return 1;
        };
        let factor = match unit {
            'm' => 60.0,
            'h' => 3_600.0,
            'd' => 86_400.0,
            _ => 1.0,
        };
        let total_ms = ((seconds * factor).min(SLEEP_MAX_S) * 1000.0).round() as u64;
        let mut remaining = total_ms;
        // Long sleeps take bigger steps, so a day of virtual time stays about 2000 steps.
        let stride = (total_ms / 2_000).max(STEP_MS);
        while remaining > 0 {
            let step = remaining.min(stride);
            let Ok(events) = world.advance(step) else {
                break;
            };
            remaining -= step;
            self.pump_jobs(world, &events, io);
            if self.mode == Mode::Interactive && out.events.len() < EVENTS_MAX {
                out.events.extend(events);
            }
        }
        0
    }
}

/// Skips the here-document bodies of a pipeline that does not run.
fn next_body_skip(pipeline: &Pipeline, next_body: &mut usize) {
    *next_body += pipeline
        .commands
        .iter()
        .filter(|c| matches!(c.input, Some(Input::HereDoc(_))))
        .count();
}

/// A line of `jobs` (and of bash's notice when a job ends): `[N]+  Running                 cmd &`.
/// `+` marks the current job (the newest), `-` the one before.
fn job_line(entry: &Background, index: usize, count: usize) -> String {
    let mark = if index + 1 == count {
        '+'
    } else if index + 2 == count {
        '-'
    } else {
        ' '
    };
    let state = match entry.status {
        None => "Running".to_string(),
        Some(0) => "Done".to_string(),
        Some(129) => "Hangup".to_string(),
        Some(130) => "Interrupt".to_string(),
        Some(137) => "Killed".to_string(),
        Some(143) => "Terminated".to_string(),
        Some(code) => format!("Exit {code}"),
    };
    let amp = if entry.job.is_some() { " &" } else { "" };
    format!(
        "[{}]{mark}  {state:<24}{}{amp}\n",
        entry.number, entry.source
    )
}

/// What the tutorials' install steps get: the playground needs none of them.
fn install_note() -> String {
    format!(
        "eda-playground: nothing to download or install here: Kafka {KAFKA_VERSION} already runs \
         in this page (one broker, node.id 1, at localhost:9092). Go on with the bin/kafka-*.sh \
         commands.\n"
    )
}

fn help_text() -> String {
    let mut text = format!(
        "Kafka {KAFKA_VERSION}'s command-line tools, run against the simulated cluster in this page.\n\
         Tools (with or without bin/ and .sh):\n"
    );
    for tool in KafkaTool::ALL {
        text.push_str("  bin/");
        text.push_str(tool.script());
        text.push('\n');
    }
    text.push_str(
        "Shell: VAR=value, $VAR, ${VAR}, $(command), 'quotes', \"quotes\", \\ escapes, # comments,\n\
         cmd <<EOF … EOF, echo … | cmd, printf … | cmd, ;, &&, ||, cmd &, jobs, wait, kill %N,\n\
         >/dev/null, 2>&1, sleep N, clear, history, help.\n\
         Ctrl+C stops a console producer or consumer; Ctrl+D ends a producer's input.\n",
    );
    text
}

fn builtin_echo(args: &[String], io: &mut Io) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        let flags = first
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        rest = tail;
    }
    let text = rest.join(" ");
    if escapes {
        let (expanded, stop) = backslash_escapes(&text);
        io.out.push_str(&expanded);
        if stop {
            return 0;
        }
    } else {
        io.out.push_str(&text);
    }
    if newline {
        io.out.push('\n');
    }
    0
}

/// `echo -e` / `printf` escapes; the flag is true at `\c` (stop output).
fn backslash_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('e') => out.push('\u{1b}'),
            Some('0') => out.push('\0'),
            Some('c') => return (out, true),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

fn builtin_printf(args: &[String], io: &mut Io) -> i32 {
    let Some((format, mut rest)) = args.split_first() else {
        io.err
            .push_str("printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    };
    // The format is reused while arguments remain, as bash does (bounded).
    let start = io.out.len();
    for _ in 0..10_000 {
        if let Err(e) = limits::printf_output(io.out.len() - start) {
            e.report(io);
            return 1;
        }
        let mut consumed = 0usize;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let next = chars.next();
                    let (text, stop) = backslash_escapes(&format!("\\{}", next.unwrap_or('\\')));
                    io.out.push_str(&text);
                    if stop {
                        return 0;
                    }
                }
                '%' => match chars.next() {
                    Some('%') => io.out.push('%'),
                    Some(spec @ ('s' | 'd' | 'i' | 'b' | 'c')) => {
                        let arg = rest.get(consumed).map(String::as_str).unwrap_or("");
                        consumed += 1;
                        match spec {
                            'd' | 'i' => {
                                let value = arg.trim().parse::<i64>().unwrap_or(0);
                                io.out.push_str(&value.to_string());
                            }
                            'b' => io.out.push_str(&backslash_escapes(arg).0),
                            'c' => io.out.extend(arg.chars().next()),
                            _ => io.out.push_str(arg),
                        }
                    }
                    Some(other) => {
                        io.out.push('%');
                        io.out.push(other);
                    }
                    None => io.out.push('%'),
                },
                other => io.out.push(other),
            }
        }
        if consumed == 0 || consumed >= rest.len() {
            break;
        }
        rest = &rest[consumed..];
    }
    0
}

// ---------------------------------------------------------------------------------------------
// Script mode

/// Runs a whole script as `eda-console` does: each line through a [`Mode::Script`] console,
/// then the end of input. Returns everything printed.
pub fn run_script(world: &mut World, script: &str) -> Output {
    let mut out = Output::default();
    run_script_streaming(world, script, |line_out| out.absorb(line_out));
    out.events.clear();
    out
}

/// Runs a whole script as [`run_script`] does, handing what each line printed to `emit` as
/// soon as the line has run (its [`Output::chunks`] are in the order they were written).
pub fn run_script_streaming(world: &mut World, script: &str, mut emit: impl FnMut(Output)) {
    let mut console = Console::new(Mode::Script);
    for line in script.lines() {
        emit(console.run_line(world, line));
    }
    emit(console.end_of_input(world));
}

/// The world a script runs against: the quickstart's `config/server.properties`, which sets
/// `group.initial.rebalance.delay.ms=0` ("for a better out-of-the-box experience"), on one
/// broker.
pub fn quickstart_world(seed: u64) -> World {
    let config = crate::sim::world::WorldConfig {
        group_initial_rebalance_delay_ms: 0,
        ..Default::default()
    };
    World::with_config(seed, config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> (Console, Output) {
        let mut world = World::new(1);
        let mut console = Console::new(Mode::Script);
        let mut out = Output::default();
        for line in lines {
            let o = console.run_line(&mut world, line);
            out.absorb(o);
        }
        let end = console.end_of_input(&mut world);
        out.absorb(end);
        (console, out)
    }

    fn stdout(lines: &[&str]) -> String {
        run(lines).1.stdout
    }

    #[test]
    fn echo_quotes_and_variables() {
        assert_eq!(
            stdout(&["X=1 Y='a b'", "echo $X \"$Y\" '$X'"]),
            "1 a b $X\n"
        );
        assert_eq!(stdout(&["echo -n a; echo b"]), "ab\n");
        assert_eq!(stdout(&["echo -e 'a\\tb'"]), "a\tb\n");
        assert_eq!(stdout(&["echo ${UNSET}x"]), "x\n");
    }

    #[test]
    fn unquoted_expansions_split_into_fields() {
        assert_eq!(
            stdout(&["X='a   b'", "printf '[%s]' $X \"$X\""]),
            "[a][b][a   b]"
        );
        assert_eq!(stdout(&["E=", "printf '[%s]' $E x"]), "[x]");
    }

    #[test]
    fn command_substitution() {
        assert_eq!(
            stdout(&["X=\"$(echo hi; echo there)\"", "echo \"$X\""]),
            "hi\nthere\n"
        );
        assert_eq!(stdout(&["echo $(echo a b) `echo c`"]), "a b c\n");
        assert_eq!(stdout(&["echo $(echo $(echo deep))"]), "deep\n");
    }

    #[test]
    fn heredocs_feed_stdin() {
        assert_eq!(
            stdout(&["X=v", "cat <<EOF", "a $X", "'b'", "EOF"]),
            "a v\n'b'\n"
        );
        assert_eq!(stdout(&["cat <<'EOF'", "a $X", "EOF"]), "a $X\n");
        assert_eq!(stdout(&["cat <<-EOF", "\t\tx", "\tEOF"]), "x\n");
        assert_eq!(stdout(&["cat <<< 'one two'"]), "one two\n");
    }

    #[test]
    fn unclosed_heredoc_warns_at_end_of_input() {
        let (_, out) = run(&["cat <<EOF", "a"]);
        assert_eq!(out.stdout, "a\n");
        assert!(out.stderr.contains("wanted `EOF'"));
    }

    #[test]
    fn pipes_and_status() {
        assert_eq!(stdout(&["echo a | cat | cat"]), "a\n");
        assert_eq!(stdout(&["printf 'x\\ny\\n' | cat"]), "x\ny\n");
        assert_eq!(stdout(&["false && echo no || echo yes"]), "yes\n");
        assert_eq!(stdout(&["nope; echo $?"]), "127\n");
    }

    #[test]
    fn continuation_lines() {
        assert_eq!(stdout(&["echo 'a", "b'"]), "a\nb\n");
        assert_eq!(stdout(&["echo a \\", "b"]), "a b\n");
    }

    #[test]
    fn unknown_commands_are_bashs() {
        let (_, out) = run(&["foo bar"]);
        assert_eq!(out.stderr, "bash: foo: command not found\n");
        let (_, out) = run(&["echo a >file"]);
        assert_eq!(out.stderr, "bash: file: Read-only file system\n");
        assert_eq!(stdout(&["echo a >/dev/null", "echo b 2>/dev/null"]), "b\n");
    }

    #[test]
    fn install_steps_are_answered_kindly() {
        for line in [
            "wget https://example/kafka_2.13-4.0.0.tgz",
            "tar -xzf kafka_2.13-4.0.0.tgz",
            "cd kafka_2.13-4.0.0",
            "docker run -p 9092:9092 apache/kafka:4.0.0",
            "java -version",
        ] {
            let (_, out) = run(&[line]);
            assert!(out.stdout.starts_with("eda-playground:"), "{line}");
            assert!(out.stderr.is_empty(), "{line}");
        }
    }

    #[test]
    fn the_shells_limits_stop_growth_before_it_happens() {
        // A holds 500,000 bytes: two copies fit in a word (1 MiB), three do not.
        let fill = format!("A={}", "x".repeat(50_000));
        let grow = "A=$A$A$A$A$A$A$A$A$A$A";
        let with_a = |more: &[&str]| {
            let mut lines = vec![fill.as_str(), grow];
            lines.extend_from_slice(more);
            run(&lines)
        };
        let (console, out) = with_a(&["B=$A$A", "C=$A$A$A", "echo ok"]);
        assert_eq!(
            out.stderr,
            "bash: expansion too large: more than 1048576 bytes in one word (the playground's limit)\n"
        );
        assert_eq!(console.var("B").map(str::len), Some(1_000_000));
        assert_eq!(console.var("C"), None);
        assert_eq!(out.stdout, "ok\n");
        // A here-string, a here-document's expansion, a command substitution.
        let (_, out) = with_a(&["cat <<< $A$A$A"]);
        assert!(out.stderr.contains("expansion too large"), "{out:?}");
        let (_, out) = with_a(&["cat <<EOF", "$A", "$A", "$A", "EOF", "echo ok"]);
        assert!(out.stderr.contains("expansion too large"), "{out:?}");
        assert_eq!(out.stdout, "ok\n");
        let (_, out) = with_a(&["B=$(echo $A; echo $A; echo $A)"]);
        assert!(
            out.stderr
                .contains("command substitution: output too large")
        );
        // A here-document collected past its limit is read to its end and dropped.
        let line = "y".repeat(90_000);
        let mut lines = vec!["cat <<EOF"];
        lines.extend(std::iter::repeat_n(line.as_str(), 12));
        lines.extend(["echo not run", "EOF", "echo ok"]);
        let (_, out) = run(&lines);
        assert_eq!(
            out.stderr,
            "bash: here-document too large: more than 1048576 bytes (the playground's limit)\n"
        );
        assert_eq!(out.stdout, "ok\n");
        // Arguments together, printf's output and all variables together.
        let (_, out) = with_a(&["echo $A $A $A $A $A"]);
        assert!(out.stderr.starts_with("bash: echo: Argument list too long"));
        assert_eq!(out.stdout, "");
        let (_, out) = with_a(&["B=\"1 2 3 4 5 6 7\"", "printf \"$A%s\" $B"]);
        assert!(
            out.stderr.starts_with("bash: printf: write error"),
            "{out:?}"
        );
        let names: Vec<String> = (0..40).map(|i| format!("V{i}=$A")).collect();
        let mut more: Vec<&str> = names.iter().map(String::as_str).collect();
        more.push("echo ok");
        let (console, out) = with_a(&more);
        assert!(
            out.stderr
                .contains("cannot assign: shell variables would hold more than")
        );
        assert!(console.var("V0").is_some() && console.var("V39").is_none());
        assert_eq!(out.stdout, "ok\n");
        // Splitting a word into many small fields is bounded too.
        let spaced = format!("S=\"{}\"", "s ".repeat(45_000));
        let (_, out) = run(&[
            &spaced,
            "S=\"$S$S$S$S$S$S$S$S$S$S\"",
            &format!("echo {}", "$S".repeat(3)),
        ]);
        assert!(out.stderr.contains("in one word's fields"), "{out:?}");
        // A line past its limit.
        let (_, out) = run(&[&format!("echo {}", "z".repeat(100_001))]);
        assert!(
            out.stderr
                .starts_with("bash: command line too long: more than 100000")
        );
    }

    /// bash applies redirections left to right (bash manual, "Redirections": `ls > dirlist
    /// 2>&1` sends both to dirlist, `ls 2>&1 > dirlist` only stdout).
    #[test]
    fn redirections_apply_left_to_right() {
        let out = |line: &str| {
            let (_, out) = run(&[line]);
            (out.stdout, out.stderr)
        };
        let e = "bash: nope: command not found\n";
        assert_eq!(out("nope > /dev/null 2>&1"), (String::new(), String::new()));
        assert_eq!(out("nope 2>&1 > /dev/null"), (e.to_string(), String::new()));
        assert_eq!(out("nope &> /dev/null"), (String::new(), String::new()));
        assert_eq!(out("echo a >&2"), (String::new(), "a\n".to_string()));
        assert_eq!(
            out("echo a 1>&2 2>/dev/null"),
            (String::new(), "a\n".to_string())
        );
        assert_eq!(
            out("echo a 2>/dev/null 1>&2"),
            (String::new(), String::new())
        );
        assert_eq!(
            out("echo a >/dev/stderr"),
            (String::new(), "a\n".to_string())
        );
        assert_eq!(
            out("nope 2>/dev/stdout | cat"),
            (e.to_string(), String::new())
        );
        assert_eq!(out("echo a 1>/dev/null"), (String::new(), String::new()));
    }

    /// bash (interactive) prints `[N] PID` for `cmd &`, gives the prompt back before the job
    /// has run, and reports the ended job before the prompt that follows the next command.
    #[test]
    fn a_finished_background_job_is_reported_after_the_next_command() {
        let mut world = World::new(1);
        let mut console = Console::new(Mode::Interactive);
        let started = console.run_line(&mut world, "echo hi &");
        assert_eq!(
            (started.stdout.as_str(), started.stderr.as_str()),
            ("hi\n", "[1] 4242\n")
        );
        let next = console.run_line(&mut world, "echo $!");
        assert_eq!(next.stdout, "4242\n");
        assert_eq!(next.stderr, "[1]+  Done                    echo hi\n");
        assert!(console.run_line(&mut world, "jobs").is_empty());
    }

    #[test]
    fn history_and_clear() {
        let (console, out) = run(&["echo a", "clear", "history"]);
        assert!(out.clear);
        assert_eq!(console.history().count(), 3);
        assert!(out.stdout.ends_with("    3  history\n"));
    }

    #[test]
    fn prompts_follow_the_state() {
        let mut world = World::new(1);
        let mut console = Console::new(Mode::Interactive);
        assert_eq!(console.prompt(), "$ ");
        console.run_line(&mut world, "echo 'open");
        assert_eq!(console.prompt(), "> ");
        console.interrupt(&mut world);
        assert_eq!(console.prompt(), "$ ");
    }
}
