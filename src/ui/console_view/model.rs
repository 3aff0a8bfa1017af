//! The Console view's model: terminal tabs over one shared [`World`], each tab a
//! [`Console`] with its scrollback, its line history and what its input line should show.
//! Plain Rust, tested natively; the Yew component only turns keys into [`Action`]s and draws.
//!
//! Time: every animation frame advances the world by the wall time that passed (1×, at most
//! [`FRAME_MS_MAX`]), then every tab's console is pumped with the events of that advance, so a
//! consumer in one tab prints what a producer in another sent. Events a console produced by
//! advancing time itself (`sleep`) are pumped into the other tabs too.
//!
//! Invariants: everything is bounded — at most [`TABS_MAX`] tabs, [`SCROLLBACK_MAX`] lines of
//! scrollback per tab (the oldest are dropped), [`LINE_CHARS_MAX`] characters per line shown,
//! [`INPUT_CHARS_MAX`] characters per line run, [`PASTE_LINES_MAX`] lines per paste and
//! [`HISTORY_MAX`] remembered lines per tab. No input panics: the world is borrowed with
//! `try_borrow_mut` and text is cut only on character boundaries.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::rc::Rc;

use yew::Reducible;

use crate::console::{Console, Mode, Output, complete, quickstart_world};
use crate::sim::{TraceEvent, World};
use crate::ui::session::{Session, SharedSession};

/// Most tabs open at once.
pub const TABS_MAX: usize = 8;
/// Lines of scrollback kept per tab (the oldest are dropped first).
pub const SCROLLBACK_MAX: usize = 2_000;
/// Characters of one output line kept for display (the rest is summarised).
pub const LINE_CHARS_MAX: usize = 10_000;
/// Longest line the terminal runs, in characters.
pub const INPUT_CHARS_MAX: usize = 10_000;
/// Most lines one paste runs.
pub const PASTE_LINES_MAX: usize = 2_000;
/// Most characters one paste takes.
pub const PASTE_CHARS_MAX: usize = 200_000;
/// Lines each tab remembers for ↑/↓.
pub const HISTORY_MAX: usize = 500;
/// Largest virtual step one animation frame may take (a background tab resumes gently).
pub const FRAME_MS_MAX: f64 = 250.0;
/// Most completion candidates listed at once.
const CANDIDATES_SHOWN_MAX: usize = 200;
/// Width bash lays completion candidates out in.
const CANDIDATE_COLUMNS_WIDTH: usize = 80;
/// The seed of the world the view makes for itself when none is shared with it.
pub const OWN_WORLD_SEED: u64 = 42;

/// Kafka 4.0's quickstart (<https://kafka.apache.org/quickstart>), steps 2 to 4, verbatim: the
/// lines the quickstart button pastes into the producer's terminal.
pub const QUICKSTART_PRODUCER: [&str; 8] = [
    "KAFKA_CLUSTER_ID=\"$(bin/kafka-storage.sh random-uuid)\"",
    "bin/kafka-storage.sh format --standalone -t $KAFKA_CLUSTER_ID -c config/server.properties",
    "bin/kafka-server-start.sh config/server.properties",
    "bin/kafka-topics.sh --create --topic quickstart-events --bootstrap-server localhost:9092",
    "bin/kafka-topics.sh --describe --topic quickstart-events --bootstrap-server localhost:9092",
    "bin/kafka-console-producer.sh --topic quickstart-events --bootstrap-server localhost:9092",
    "This is my first event",
    "This is my second event",
];
/// Step 5 of the quickstart, "in another terminal session": the consumer's tab.
pub const QUICKSTART_CONSUMER: &str = "bin/kafka-console-consumer.sh --topic quickstart-events --from-beginning --bootstrap-server localhost:9092";

// ---------------------------------------------------------------------------------------------
// The shared world

/// A [`World`] several views can drive: a cheap handle (cloning it shares the world), equal
/// to another handle when both point at the same world. Either a world of its own, or the
/// page's session ([`SharedWorld::session`]): then the terminals drive the session's timeline,
/// so the commands typed here are recorded at their virtual times (a topic created in a
/// terminal appears in the Playground and survives a rewind).
#[derive(Clone, Debug)]
pub struct SharedWorld(Host);

#[derive(Clone, Debug)]
enum Host {
    Own(Rc<RefCell<World>>),
    Session(SharedSession, fn() -> Session),
}

impl SharedWorld {
    /// A handle around `world`.
    pub fn new(world: World) -> Self {
        Self(Host::Own(Rc::new(RefCell::new(world))))
    }

    /// A handle on the page's session, made by `init` if no view has made it yet.
    pub fn session(shared: SharedSession, init: fn() -> Session) -> Self {
        Self(Host::Session(shared, init))
    }

    /// Runs `f` on the world, or returns `None` when it is borrowed elsewhere right now.
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut World) -> R) -> Option<R> {
        match &self.0 {
            Host::Own(cell) => {
                let mut world = cell.try_borrow_mut().ok()?;
                Some(f(&mut world))
            }
            Host::Session(shared, init) => {
                let session = shared.session(*init);
                let mut session = session.try_borrow_mut().ok()?;
                Some(session.timeline.drive(f))
            }
        }
    }

    /// Lets `delta_ms` of virtual time pass, then runs `f` on the world with what happened;
    /// `None` when the world is borrowed elsewhere right now. On the session's world, time
    /// passes on its timeline (recorded commands are applied as their times come).
    pub fn advance_with<R>(
        &self,
        delta_ms: u64,
        f: impl FnOnce(&mut World, &[TraceEvent]) -> R,
    ) -> Option<R> {
        match &self.0 {
            Host::Own(cell) => {
                let mut world = cell.try_borrow_mut().ok()?;
                let events = world.advance(delta_ms).ok()?;
                Some(f(&mut world, &events))
            }
            Host::Session(shared, init) => {
                let session = shared.session(*init);
                let mut session = session.try_borrow_mut().ok()?;
                Some(session.advance_with(delta_ms, f))
            }
        }
    }

    /// Runs `f` on the world read-only, or returns `None` when it is being changed right now.
    pub fn with<R>(&self, f: impl FnOnce(&World) -> R) -> Option<R> {
        match &self.0 {
            Host::Own(cell) => {
                let world = cell.try_borrow().ok()?;
                Some(f(&world))
            }
            Host::Session(shared, init) => {
                let session = shared.session(*init);
                let session = session.try_borrow().ok()?;
                Some(f(session.world()))
            }
        }
    }
}

impl PartialEq for SharedWorld {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Host::Own(a), Host::Own(b)) => Rc::ptr_eq(a, b),
            (Host::Session(a, _), Host::Session(b, _)) => a == b,
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scrollback

/// Where a line of scrollback came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// What was typed, after its prompt (the terminal's echo).
    Input,
    /// Standard output.
    Stdout,
    /// Standard error (and the playground's own notes).
    Stderr,
}

/// One line of scrollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// A number no other line of this tab has (the view's key).
    pub seq: u64,
    pub stream: Stream,
    pub text: String,
    /// No newline has ended it yet: more text of the same stream continues it.
    open: bool,
    /// Characters dropped from it to keep it within [`LINE_CHARS_MAX`].
    dropped_chars: u64,
}

impl Line {
    /// The text to show, with a note of what was cut.
    pub fn shown(&self) -> String {
        if self.dropped_chars == 0 {
            self.text.clone()
        } else {
            format!(
                "{}… ({} more characters not shown)",
                self.text, self.dropped_chars
            )
        }
    }
}

/// Appends `piece` to `line`, keeping it within [`LINE_CHARS_MAX`] characters.
fn extend_line(line: &mut Line, piece: &str) {
    if line.dropped_chars > 0 {
        line.dropped_chars += piece.chars().count() as u64;
        return;
    }
    let room = LINE_CHARS_MAX.saturating_sub(line.text.chars().count());
    match piece.char_indices().nth(room) {
        None => line.text.push_str(piece),
        Some((cut, _)) => {
            line.text.push_str(&piece[..cut]);
            line.dropped_chars = piece[cut..].chars().count() as u64;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A tab

/// One terminal: a console, what it printed, and its input line.
#[derive(Clone, Debug)]
pub struct Tab {
    /// The tab's number, shown in its label; never reused while the view lives.
    pub id: u32,
    pub console: Console,
    pub lines: VecDeque<Line>,
    next_seq: u64,
    /// Bumped whenever `lines` changes (the scrollback redraws only then).
    pub version: u64,
    /// Output arrived while another tab was shown.
    pub unread: bool,
    history: VecDeque<String>,
    /// Which remembered line ↑/↓ shows (`None`: the line being typed).
    history_pos: Option<usize>,
    /// What was typed before ↑ was pressed.
    draft: String,
    /// What the input line should show, and where its cursor goes (in UTF-16 units, as the
    /// DOM counts); applied when `input_rev` changes.
    pub input: String,
    pub input_cursor_utf16: u32,
    pub input_rev: u64,
}

impl Tab {
    fn new(id: u32) -> Self {
        Self {
            id,
            console: Console::for_terminal(Mode::Interactive, u64::from(id.saturating_sub(1))),
            lines: VecDeque::new(),
            next_seq: 0,
            version: 0,
            unread: false,
            history: VecDeque::new(),
            history_pos: None,
            draft: String::new(),
            input: String::new(),
            input_cursor_utf16: 0,
            input_rev: 0,
        }
    }

    /// The tab's label: "Terminal N", and the foreground job if one runs.
    pub fn label(&self) -> String {
        match self.job() {
            Some(job) => format!("Terminal {} · {job}", self.id),
            None => format!("Terminal {}", self.id),
        }
    }

    /// "producer" or "consumer" while a console producer or consumer runs.
    pub fn job(&self) -> Option<&'static str> {
        if !self.console.job_running() {
            return None;
        }
        Some(if self.console.prompt() == ">" {
            "producer"
        } else {
            "consumer"
        })
    }

    /// Whether the shell waits for a new command (no job, no unfinished line).
    pub fn idle(&self) -> bool {
        self.console.prompt() == "$ "
    }

    /// Adds text of one stream, splitting it into lines.
    fn print(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        let (body, ends_line) = match text.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let pieces = body.split('\n');
        // A huge output keeps only its tail: what would survive the scrollback limit anyway.
        let count = body.split('\n').count();
        let skip = count.saturating_sub(SCROLLBACK_MAX);
        for (i, piece) in pieces.enumerate() {
            if i < skip {
                continue;
            }
            let continues = i == 0
                && self
                    .lines
                    .back()
                    .is_some_and(|l| l.open && l.stream == stream);
            if continues {
                if let Some(line) = self.lines.back_mut() {
                    extend_line(line, piece);
                }
            } else {
                if let Some(last) = self.lines.back_mut() {
                    last.open = false;
                }
                let mut line = Line {
                    seq: self.next_seq,
                    stream,
                    text: String::new(),
                    open: true,
                    dropped_chars: 0,
                };
                self.next_seq += 1;
                extend_line(&mut line, piece);
                self.lines.push_back(line);
            }
        }
        if ends_line && let Some(last) = self.lines.back_mut() {
            last.open = false;
        }
        while self.lines.len() > SCROLLBACK_MAX {
            self.lines.pop_front();
        }
        self.version += 1;
    }

    /// Prints what a console call returned: stdout, then stderr.
    fn show(&mut self, output: &Output) {
        if output.clear {
            self.clear();
        }
        // In the order it happened, as a terminal shows it (a warning between two lines of
        // output stays between them).
        for (fd, text) in output.chunks() {
            let stream = match fd {
                crate::console::Fd::Out => Stream::Stdout,
                crate::console::Fd::Err => Stream::Stderr,
            };
            self.print(stream, text);
        }
    }

    /// Echoes a typed line after the prompt it was typed at.
    fn echo(&mut self, prompt: &str, text: &str) {
        if let Some(last) = self.lines.back_mut() {
            last.open = false;
        }
        self.print(Stream::Input, &format!("{prompt}{text}\n"));
    }

    /// A message from the playground itself (not from a Kafka tool).
    fn note(&mut self, text: &str) {
        self.print(Stream::Stderr, &format!("eda-playground: {text}\n"));
    }

    fn clear(&mut self) {
        self.lines.clear();
        self.version += 1;
    }

    fn set_input(&mut self, text: String, cursor_bytes: usize) {
        let cursor = cursor_bytes.min(text.len());
        let cursor = floor_char_boundary(&text, cursor);
        self.input_cursor_utf16 = text[..cursor].encode_utf16().count() as u32;
        self.input = text;
        self.input_rev += 1;
    }

    fn remember(&mut self, line: &str) {
        self.history_pos = None;
        self.draft.clear();
        if line.trim().is_empty() || self.history.back().is_some_and(|last| last == line) {
            return;
        }
        if self.history.len() >= HISTORY_MAX {
            self.history.pop_front();
        }
        self.history.push_back(line.to_string());
    }
}

/// The largest character boundary of `text` at or before `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The byte offset of a DOM cursor position (UTF-16 code units) in `text`.
pub fn byte_offset_of_utf16(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

// ---------------------------------------------------------------------------------------------
// Actions and the model

/// Everything the terminal can be asked to do. `text` is what the input line holds when the
/// key is pressed; `cursor` is a byte offset into it.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: `wall_ms` of real time passed.
    Frame { wall_ms: f64 },
    /// Enter: run the line.
    Submit { text: String },
    /// Text pasted at the cursor; lines it completes run one by one, as a terminal does.
    Paste {
        text: String,
        cursor: usize,
        pasted: String,
    },
    /// Ctrl+C.
    Interrupt { text: String },
    /// Ctrl+D on an empty line.
    EndOfInput,
    /// Ctrl+L.
    Clear,
    /// Tab.
    Complete { text: String, cursor: usize },
    /// ↑ (`older`) or ↓.
    History { older: bool, text: String },
    /// "+ New tab"; `text` is what the current tab's input holds (kept for when it returns).
    NewTab { text: String },
    /// Close a tab (its foreground job is stopped, as closing a terminal window does).
    CloseTab { id: u32, text: String },
    /// Show another tab.
    Select { id: u32, text: String },
    /// The quickstart button: steps 2–4 pasted into this tab (or a new one, if this one runs a
    /// job or holds a half-typed line) and step 5, the consumer, in a new tab.
    Quickstart { text: String },
}

/// The terminals and the world they drive.
#[derive(Debug)]
pub struct Terminals {
    pub world: SharedWorld,
    pub tabs: Vec<Tab>,
    /// The id of the tab shown.
    pub active: u32,
    next_id: u32,
    /// Virtual time carried over between frames (fractions of a millisecond).
    carry_ms: f64,
}

impl Terminals {
    /// One empty tab on `world`.
    pub fn new(world: SharedWorld) -> Self {
        Self {
            world,
            tabs: vec![Tab::new(1)],
            active: 1,
            next_id: 2,
            carry_ms: 0.0,
        }
    }

    /// One empty tab on a world of its own: Kafka's quickstart configuration on one broker.
    pub fn standalone() -> Self {
        Self::new(SharedWorld::new(quickstart_world(OWN_WORLD_SEED)))
    }

    /// The tab shown.
    pub fn active_tab(&self) -> Option<&Tab> {
        self.tabs.iter().find(|t| t.id == self.active)
    }

    fn index_of(&self, id: u32) -> Option<usize> {
        self.tabs.iter().position(|t| t.id == id)
    }

    /// Whether another tab may be opened.
    pub fn can_open(&self) -> bool {
        self.tabs.len() < TABS_MAX
    }

    /// Applies an action; returns whether anything the view shows changed.
    pub fn act(&mut self, action: Action) -> bool {
        match action {
            Action::Frame { wall_ms } => self.frame(wall_ms),
            Action::Submit { text } => {
                let Some(i) = self.index_of(self.active) else {
                    return false;
                };
                self.tabs[i].set_input(String::new(), 0);
                self.submit(i, &text);
                true
            }
            Action::Paste {
                text,
                cursor,
                pasted,
            } => {
                self.paste(&text, cursor, &pasted);
                true
            }
            Action::Interrupt { text } => {
                let Some(i) = self.index_of(self.active) else {
                    return false;
                };
                let tab = &mut self.tabs[i];
                let prompt = tab.console.prompt();
                tab.echo(prompt, &format!("{text}^C"));
                tab.set_input(String::new(), 0);
                tab.history_pos = None;
                let output = self
                    .world
                    .with_mut(|world| tab.console.interrupt(world))
                    .unwrap_or_default();
                tab.show(&output);
                true
            }
            Action::EndOfInput => {
                let Some(i) = self.index_of(self.active) else {
                    return false;
                };
                let tab = &mut self.tabs[i];
                let prompt = tab.console.prompt();
                if prompt == "$ " || prompt.is_empty() {
                    // Nothing reads the end of input: no job, or a consumer (which ignores it).
                    return false;
                }
                tab.echo(prompt, "");
                let output = self
                    .world
                    .with_mut(|world| tab.console.end_of_input(world))
                    .unwrap_or_default();
                tab.show(&output);
                true
            }
            Action::Clear => {
                let Some(i) = self.index_of(self.active) else {
                    return false;
                };
                self.tabs[i].clear();
                true
            }
            Action::Complete { text, cursor } => self.complete(&text, cursor),
            Action::History { older, text } => self.history(older, text),
            Action::NewTab { text } => {
                self.keep_input(text);
                self.open_tab().is_some()
            }
            Action::CloseTab { id, text } => {
                self.keep_input(text);
                self.close_tab(id)
            }
            Action::Select { id, text } => {
                if id == self.active || self.index_of(id).is_none() {
                    return false;
                }
                self.keep_input(text);
                self.show_tab(id);
                true
            }
            Action::Quickstart { text } => {
                self.keep_input(text);
                self.quickstart();
                true
            }
        }
    }

    /// Stops every foreground job, as closing the terminal window does (call it when the view
    /// goes away while the world lives on).
    pub fn hang_up(&mut self) {
        for tab in &mut self.tabs {
            if tab.console.job_running() {
                let _ = self.world.with_mut(|world| tab.console.interrupt(world));
            }
        }
    }

    // -----------------------------------------------------------------------------------------

    fn frame(&mut self, wall_ms: f64) -> bool {
        let wall_ms = if wall_ms.is_finite() {
            wall_ms.clamp(0.0, FRAME_MS_MAX)
        } else {
            0.0
        };
        let total = wall_ms + self.carry_ms;
        let whole = total.floor();
        self.carry_ms = total - whole;
        if whole < 1.0 {
            return false;
        }
        let tabs = &mut self.tabs;
        let active = self.active;
        self.world
            .advance_with(whole as u64, |world, events| {
                pump_tabs(tabs, world, events, None, active)
            })
            .unwrap_or(false)
    }

    fn submit(&mut self, i: usize, text: &str) {
        let length = text.chars().count();
        let tab = &mut self.tabs[i];
        let prompt = tab.console.prompt();
        if length > INPUT_CHARS_MAX {
            let head: String = text.chars().take(60).collect();
            tab.echo(prompt, &format!("{head}…"));
            tab.note(&format!(
                "that line is {length} characters long; the terminal runs lines of at most \
                 {INPUT_CHARS_MAX} characters. Nothing was run."
            ));
            return;
        }
        tab.echo(prompt, text);
        tab.remember(text);
        let active = self.active;
        let tabs = &mut self.tabs;
        let _ = self.world.with_mut(|world| {
            let output = tabs[i].console.run_line(world, text);
            tabs[i].show(&output);
            if !output.events.is_empty() {
                pump_tabs(tabs, world, &output.events, Some(i), active);
            }
        });
    }

    fn paste(&mut self, text: &str, cursor: usize, pasted: &str) {
        let Some(i) = self.index_of(self.active) else {
            return;
        };
        let cursor = floor_char_boundary(text, cursor);
        let (before, after) = text.split_at(cursor);
        let mut pasted = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let mut notes = Vec::new();
        if pasted.chars().count() > PASTE_CHARS_MAX {
            let cut = pasted
                .char_indices()
                .nth(PASTE_CHARS_MAX)
                .map_or(pasted.len(), |(at, _)| at);
            pasted.truncate(cut);
            notes.push(format!(
                "the paste was cut at {PASTE_CHARS_MAX} characters."
            ));
        }
        let whole = format!("{before}{pasted}{after}");
        let mut lines: Vec<&str> = whole.split('\n').collect();
        let rest = lines.pop().unwrap_or("").to_string();
        if lines.len() > PASTE_LINES_MAX {
            notes.push(format!(
                "the paste has {} lines; the first {PASTE_LINES_MAX} ran.",
                lines.len()
            ));
            lines.truncate(PASTE_LINES_MAX);
        }
        for line in lines {
            self.submit(i, line);
        }
        for note in notes {
            self.tabs[i].note(&note);
        }
        let tab = &mut self.tabs[i];
        let cursor = rest.len() - after.len().min(rest.len());
        if rest.chars().count() > INPUT_CHARS_MAX {
            tab.note(&format!(
                "the pasted line is longer than {INPUT_CHARS_MAX} characters and was dropped."
            ));
            tab.set_input(String::new(), 0);
        } else {
            tab.set_input(rest, cursor);
        }
    }

    fn complete(&mut self, text: &str, cursor: usize) -> bool {
        let Some(i) = self.index_of(self.active) else {
            return false;
        };
        if !self.tabs[i].idle() && self.tabs[i].console.prompt() != "> " {
            // A producer or consumer reads the line, not the shell: Tab is just a character.
            return false;
        }
        let cursor = floor_char_boundary(text, cursor);
        let Some(candidates) = self.world.with(|world| complete(world, text, cursor)) else {
            return false;
        };
        let (before, after) = text.split_at(cursor);
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '|' | ';' | '&' | '('))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let current = &before[start..];
        let tab = &mut self.tabs[i];
        match candidates.as_slice() {
            [] => false,
            [only] => {
                let space = if only.ends_with('=') || after.starts_with(' ') {
                    ""
                } else {
                    " "
                };
                let head = format!("{}{only}{space}", &before[..start]);
                let cursor = head.len();
                tab.set_input(format!("{head}{after}"), cursor);
                true
            }
            several => {
                let common = common_prefix(several);
                if common.len() > current.len() && common.starts_with(current) {
                    let head = format!("{}{common}", &before[..start]);
                    let cursor = head.len();
                    tab.set_input(format!("{head}{after}"), cursor);
                } else {
                    let prompt = tab.console.prompt();
                    tab.echo(prompt, text);
                    tab.print(Stream::Stdout, &columns(several));
                }
                true
            }
        }
    }

    fn history(&mut self, older: bool, text: String) -> bool {
        let Some(i) = self.index_of(self.active) else {
            return false;
        };
        let tab = &mut self.tabs[i];
        let len = tab.history.len();
        if len == 0 {
            return false;
        }
        let next = match (tab.history_pos, older) {
            (None, true) => {
                tab.draft = text;
                Some(len - 1)
            }
            (None, false) => return false,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p + 1 < len => Some(p + 1),
            (Some(_), false) => None,
        };
        tab.history_pos = next;
        let shown = match next {
            Some(p) => tab.history.get(p).cloned().unwrap_or_default(),
            None => std::mem::take(&mut tab.draft),
        };
        let end = shown.len();
        tab.set_input(shown, end);
        true
    }

    /// Remembers what the shown tab's input holds, for when it is shown again.
    fn keep_input(&mut self, text: String) {
        if let Some(i) = self.index_of(self.active) {
            let end = text.len();
            let tab = &mut self.tabs[i];
            if tab.input != text {
                tab.set_input(text, end);
            }
        }
    }

    fn show_tab(&mut self, id: u32) {
        self.active = id;
        if let Some(i) = self.index_of(id) {
            self.tabs[i].unread = false;
            // The input line shows this tab's text again.
            self.tabs[i].input_rev += 1;
        }
    }

    /// Opens a tab and shows it; `None` when [`TABS_MAX`] are open.
    fn open_tab(&mut self) -> Option<usize> {
        if !self.can_open() {
            if let Some(i) = self.index_of(self.active) {
                self.tabs[i].note(&format!(
                    "{TABS_MAX} tabs are open, the most this terminal keeps: close one first."
                ));
            }
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.tabs.push(Tab::new(id));
        self.show_tab(id);
        Some(self.tabs.len() - 1)
    }

    fn close_tab(&mut self, id: u32) -> bool {
        let Some(i) = self.index_of(id) else {
            return false;
        };
        if self.tabs.len() == 1 {
            return false;
        }
        let mut tab = self.tabs.remove(i);
        if tab.console.job_running() {
            let _ = self.world.with_mut(|world| tab.console.interrupt(world));
        }
        if self.active == id {
            let next = self.tabs[i.min(self.tabs.len() - 1)].id;
            self.show_tab(next);
        }
        true
    }

    /// Pastes steps 2–4 into the shown tab when its shell waits with an empty line (else into a
    /// new tab), then runs step 5 in a new tab: the path a learner's own paste takes.
    fn quickstart(&mut self) {
        let free = self
            .active_tab()
            .is_some_and(|t| t.idle() && t.input.is_empty());
        if !free && self.open_tab().is_none() {
            return;
        }
        let Some(producer) = self.index_of(self.active) else {
            return;
        };
        let mut script = QUICKSTART_PRODUCER.join("\n");
        script.push('\n');
        self.paste("", 0, &script);
        match self.open_tab() {
            Some(consumer) => self.submit(consumer, QUICKSTART_CONSUMER),
            None => self.tabs[producer]
                .note(&format!("open another tab and run: {QUICKSTART_CONSUMER}")),
        }
    }
}

/// Pumps every tab but `skip` with `events`; returns whether any printed.
fn pump_tabs(
    tabs: &mut [Tab],
    world: &mut World,
    events: &[TraceEvent],
    skip: Option<usize>,
    active: u32,
) -> bool {
    let mut changed = false;
    for (i, tab) in tabs.iter_mut().enumerate() {
        if Some(i) == skip {
            continue;
        }
        let job_before = tab.console.job_running();
        let output = tab.console.pump(world, events);
        if !output.is_empty() {
            tab.show(&output);
            if tab.id != active {
                tab.unread = true;
            }
            changed = true;
        }
        changed |= job_before != tab.console.job_running();
    }
    changed
}

/// The longest prefix all `words` share (on character boundaries).
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for word in &words[1..] {
        end = first
            .char_indices()
            .zip(word.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(word.len()), |((at, _), _)| at)
            .min(end);
    }
    first[..floor_char_boundary(first, end)].to_string()
}

/// Candidates laid out as bash lists them: in columns, down then across, within 80 characters.
fn columns(words: &[String]) -> String {
    let shown = &words[..words.len().min(CANDIDATES_SHOWN_MAX)];
    let width = shown.iter().map(|w| w.chars().count()).max().unwrap_or(0) + 2;
    let cols = (CANDIDATE_COLUMNS_WIDTH / width).max(1);
    let rows = shown.len().div_ceil(cols);
    let mut out = String::new();
    for r in 0..rows {
        let mut row = String::new();
        for c in 0..cols {
            if let Some(word) = shown.get(c * rows + r) {
                let _ = write!(row, "{word:<width$}");
            }
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    if words.len() > shown.len() {
        let _ = writeln!(out, "… and {} more", words.len() - shown.len());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The reducer

/// The reducer wrapper: the terminals are shared (`Rc<RefCell<…>>`) so a frame does not clone
/// consoles and scrollback; every action still goes through [`Terminals::act`], in order. An
/// action that changed nothing returns the same store, so Yew does not re-render.
pub struct Store {
    pub terminals: Rc<RefCell<Terminals>>,
}

impl Store {
    /// A store around the terminals.
    pub fn new(terminals: Terminals) -> Self {
        Self {
            terminals: Rc::new(RefCell::new(terminals)),
        }
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let changed = match self.terminals.try_borrow_mut() {
            Ok(mut terminals) => terminals.act(action),
            Err(_) => false,
        };
        if changed {
            Rc::new(Store {
                terminals: Rc::clone(&self.terminals),
            })
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(tab: &Tab) -> String {
        tab.lines
            .iter()
            .map(|l| format!("{}\n", l.shown()))
            .collect()
    }

    fn run(t: &mut Terminals, line: &str) {
        t.act(Action::Submit { text: line.into() });
    }

    fn frames(t: &mut Terminals, count: u32) {
        for _ in 0..count {
            t.act(Action::Frame { wall_ms: 16.7 });
        }
    }

    #[test]
    fn a_command_echoes_and_prints() {
        let mut t = Terminals::standalone();
        run(
            &mut t,
            "bin/kafka-topics.sh --create --topic demo --bootstrap-server localhost:9092",
        );
        let tab = t.active_tab().unwrap();
        assert_eq!(
            text_of(tab),
            "$ bin/kafka-topics.sh --create --topic demo --bootstrap-server localhost:9092\n\
             Created topic demo.\n"
        );
        assert_eq!(tab.lines[0].stream, Stream::Input);
        assert_eq!(tab.lines[1].stream, Stream::Stdout);
        run(&mut t, "nope");
        let tab = t.active_tab().unwrap();
        let last = tab.lines.back().unwrap();
        assert_eq!(last.stream, Stream::Stderr);
        assert_eq!(last.text, "bash: nope: command not found");
    }

    #[test]
    fn a_producer_tab_feeds_a_consumer_tab() {
        let mut t = Terminals::standalone();
        run(
            &mut t,
            "kafka-console-consumer.sh --topic chat --bootstrap-server localhost:9092",
        );
        assert_eq!(t.active_tab().unwrap().label(), "Terminal 1 · consumer");
        t.act(Action::NewTab {
            text: String::new(),
        });
        assert_eq!(t.active, 2);
        run(
            &mut t,
            "kafka-console-producer.sh --topic chat --bootstrap-server localhost:9092",
        );
        frames(&mut t, 150);
        run(&mut t, "hello");
        frames(&mut t, 150);
        let consumer = &t.tabs[0];
        assert!(
            text_of(consumer).ends_with("hello\n"),
            "{}",
            text_of(consumer)
        );
        assert!(consumer.unread);
        let producer = &t.tabs[1];
        assert!(text_of(producer).ends_with(">hello\n"));
        t.act(Action::Select {
            id: 1,
            text: String::new(),
        });
        assert!(!t.tabs[0].unread);
        t.act(Action::Interrupt {
            text: String::new(),
        });
        let consumer = &t.tabs[0];
        assert!(text_of(consumer).ends_with("^C\nProcessed a total of 1 messages\n"));
        assert!(consumer.idle());
    }

    #[test]
    fn ctrl_d_ends_the_producer_and_closing_a_tab_stops_its_job() {
        let mut t = Terminals::standalone();
        run(
            &mut t,
            "kafka-console-producer.sh --topic x --bootstrap-server localhost:9092",
        );
        assert_eq!(t.active_tab().unwrap().job(), Some("producer"));
        assert!(t.act(Action::EndOfInput));
        assert!(t.active_tab().unwrap().idle());
        assert!(!t.act(Action::EndOfInput), "nothing reads it at the shell");
        t.act(Action::NewTab {
            text: "half typed".into(),
        });
        run(
            &mut t,
            "kafka-console-consumer.sh --topic x --bootstrap-server localhost:9092",
        );
        frames(&mut t, 60);
        let members = |t: &Terminals| {
            t.world
                .with(|w| w.consumers().filter(|c| c.is_alive()).count())
                .unwrap()
        };
        assert_eq!(members(&t), 1);
        assert!(t.act(Action::CloseTab {
            id: 2,
            text: String::new()
        }));
        assert_eq!(t.active, 1);
        frames(&mut t, 60);
        assert_eq!(members(&t), 0);
        assert_eq!(t.active_tab().unwrap().input, "half typed");
        assert!(!t.act(Action::CloseTab {
            id: 1,
            text: String::new()
        }));
    }

    #[test]
    fn history_walks_back_and_returns_to_the_draft() {
        let mut t = Terminals::standalone();
        run(&mut t, "echo one");
        run(&mut t, "echo two");
        let up = |t: &mut Terminals, text: &str| {
            t.act(Action::History {
                older: true,
                text: text.into(),
            });
            t.active_tab().unwrap().input.clone()
        };
        assert_eq!(up(&mut t, "draft"), "echo two");
        assert_eq!(up(&mut t, "echo two"), "echo one");
        assert_eq!(up(&mut t, "echo one"), "echo one");
        t.act(Action::History {
            older: false,
            text: String::new(),
        });
        assert_eq!(t.active_tab().unwrap().input, "echo two");
        t.act(Action::History {
            older: false,
            text: String::new(),
        });
        assert_eq!(t.active_tab().unwrap().input, "draft");
    }

    #[test]
    fn tab_completes_one_match_and_lists_several() {
        let mut t = Terminals::standalone();
        run(
            &mut t,
            "kafka-topics.sh --create --topic orders --bootstrap-server localhost:9092",
        );
        let line = "bin/kafka-topics.sh --describe --topic or";
        t.act(Action::Complete {
            text: line.into(),
            cursor: line.len(),
        });
        let tab = t.active_tab().unwrap();
        assert_eq!(tab.input, format!("{}ders ", line));
        assert_eq!(tab.input_cursor_utf16 as usize, tab.input.len());
        // kafka-console-producer/-consumer share "kafka-console-" (kafka-configs and
        // kafka-consumer-groups share less with them).
        let line = "bin/kafka-conso";
        t.act(Action::Complete {
            text: line.into(),
            cursor: line.len(),
        });
        assert_eq!(t.active_tab().unwrap().input, "bin/kafka-console-");
        let line = "bin/kafka-console-";
        let before = t.active_tab().unwrap().lines.len();
        t.act(Action::Complete {
            text: line.into(),
            cursor: line.len(),
        });
        let tab = t.active_tab().unwrap();
        assert_eq!(tab.lines.len(), before + 2);
        let listed = &tab.lines.back().unwrap().text;
        assert!(listed.contains("bin/kafka-console-consumer.sh"), "{listed}");
        assert!(listed.contains("bin/kafka-console-producer.sh"), "{listed}");
        // Completing in the middle keeps what follows the cursor.
        let line = "kafka-topics.sh --li --bootstrap-server localhost:9092";
        t.act(Action::Complete {
            text: line.into(),
            cursor: 20,
        });
        assert_eq!(
            t.active_tab().unwrap().input,
            "kafka-topics.sh --list --bootstrap-server localhost:9092"
        );
    }

    #[test]
    fn a_multi_line_paste_runs_line_by_line() {
        let mut t = Terminals::standalone();
        t.act(Action::Paste {
            text: "echo ".into(),
            cursor: 5,
            pasted: "a\r\necho b\necho c".into(),
        });
        let tab = t.active_tab().unwrap();
        assert_eq!(text_of(tab), "$ echo a\na\n$ echo b\nb\n");
        assert_eq!(tab.input, "echo c");
    }

    #[test]
    fn the_quickstart_runs_in_two_tabs() {
        let mut t = Terminals::standalone();
        t.act(Action::Quickstart {
            text: String::new(),
        });
        assert_eq!(t.tabs.len(), 2);
        assert_eq!(t.active, 2);
        assert_eq!(t.tabs[0].job(), Some("producer"));
        assert_eq!(t.tabs[1].job(), Some("consumer"));
        let producer = text_of(&t.tabs[0]);
        assert!(producer.contains("Created topic quickstart-events.\n"));
        assert!(producer.ends_with(">This is my first event\n>This is my second event\n"));
        frames(&mut t, 200);
        assert!(
            text_of(&t.tabs[1]).ends_with("This is my first event\nThis is my second event\n"),
            "{}",
            text_of(&t.tabs[1])
        );
        // A busy tab is left alone: the quickstart opens new ones.
        t.act(Action::Quickstart {
            text: "half typed".into(),
        });
        assert_eq!(t.tabs.len(), 4);
        assert_eq!(t.tabs[1].input, "half typed");
        assert!(text_of(&t.tabs[2]).contains("Topic 'quickstart-events' already exists."));
    }

    /// Each console consumer without `--group` should join a group of its own, as on Kafka
    /// (a random `console-consumer-NNNNN`), so two consumer tabs both print every record.
    #[test]
    fn two_consumer_tabs_each_print_every_record() {
        let mut t = Terminals::standalone();
        let consume = "kafka-console-consumer.sh --topic t --from-beginning --bootstrap-server localhost:9092";
        run(
            &mut t,
            "kafka-topics.sh --create --topic t --bootstrap-server localhost:9092",
        );
        run(&mut t, consume);
        t.act(Action::NewTab {
            text: String::new(),
        });
        run(&mut t, consume);
        t.act(Action::NewTab {
            text: String::new(),
        });
        run(
            &mut t,
            "echo hi | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092",
        );
        frames(&mut t, 300);
        assert!(
            text_of(&t.tabs[0]).ends_with("hi\n"),
            "{}",
            text_of(&t.tabs[0])
        );
        assert!(
            text_of(&t.tabs[1]).ends_with("hi\n"),
            "{}",
            text_of(&t.tabs[1])
        );
    }

    #[test]
    fn everything_is_bounded() {
        let mut t = Terminals::standalone();
        for _ in 0..TABS_MAX + 3 {
            t.act(Action::NewTab {
                text: String::new(),
            });
        }
        assert_eq!(t.tabs.len(), TABS_MAX);
        run(&mut t, "printf 'x\\n%.0s' $(seq 1 10)");
        let long = "y".repeat(INPUT_CHARS_MAX + 1);
        run(&mut t, &format!("echo {long}"));
        let tab = t.active_tab().unwrap();
        assert!(tab.lines.back().unwrap().text.contains("Nothing was run."));
        // 3000 lines of output keep the last 2000.
        let tab = &mut t.tabs[0];
        let many: String = (0..3_000).map(|i| format!("{i}\n")).collect();
        tab.print(Stream::Stdout, &many);
        assert_eq!(tab.lines.len(), SCROLLBACK_MAX);
        assert_eq!(tab.lines.back().unwrap().text, "2999");
        // A huge line is cut for display.
        tab.print(Stream::Stdout, &"z".repeat(LINE_CHARS_MAX * 3));
        let last = tab.lines.back().unwrap();
        assert_eq!(last.text.chars().count(), LINE_CHARS_MAX);
        assert!(last.shown().ends_with("(20000 more characters not shown)"));
        // Partial lines join; a new stream starts a new line.
        tab.clear();
        tab.print(Stream::Stdout, "a");
        tab.print(Stream::Stdout, "b\n");
        tab.print(Stream::Stdout, "c");
        tab.print(Stream::Stderr, "d\n");
        assert_eq!(text_of(tab), "ab\nc\nd\n");
    }

    #[test]
    fn odd_input_never_panics() {
        let mut t = Terminals::standalone();
        for text in ["", "é", "日本語 --to", "\u{0}", "a\u{1F600}b", "'", "<<EOF"] {
            for cursor in 0..text.len() + 3 {
                t.act(Action::Complete {
                    text: text.into(),
                    cursor,
                });
                t.act(Action::Paste {
                    text: text.into(),
                    cursor,
                    pasted: "\n\u{1F600}\n".into(),
                });
            }
            t.act(Action::Submit { text: text.into() });
            t.act(Action::Interrupt { text: text.into() });
            t.act(Action::EndOfInput);
            t.act(Action::Frame { wall_ms: f64::NAN });
            t.act(Action::Frame { wall_ms: 1e300 });
            t.act(Action::Frame { wall_ms: -5.0 });
        }
        assert_eq!(byte_offset_of_utf16("a\u{1F600}b", 3), 5);
        assert_eq!(byte_offset_of_utf16("a\u{1F600}b", 2), 5);
        assert_eq!(byte_offset_of_utf16("é", 99), 2);
        assert_eq!(common_prefix(&["héllo".into(), "hé".into()]), "hé");
        assert_eq!(common_prefix(&["é".into(), "è".into()]), "");
    }
}
