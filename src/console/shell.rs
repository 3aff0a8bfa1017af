//! The console's small shell language: parsing a command line into pipelines of words.
//!
//! Supported, as bash does it: words separated by blanks; single quotes (everything literal),
//! double quotes (`$` expansions and `\$ \" \\ \`` escapes inside), backslash escapes,
//! `$'…'` ANSI-C strings; `$NAME`, `${NAME}`, `$?`, `$(command)` and `` `command` ``;
//! `#` comments; `|`, `;`, `&&`, `||`; here-documents (`<<EOF`, `<<-EOF`, `<<'EOF'`) and
//! here-strings (`<<< word`); the redirections `>/dev/null`, `1>/dev/null`, `2>/dev/null`,
//! `2>&1`, `>&2`, `&>/dev/null`, applied left to right as bash applies them (so
//! `>/dev/null 2>&1` silences both streams and `2>&1 >/dev/null` only stdout).
//!
//! This module only parses: it never runs anything, so it cannot touch the world. Expansion
//! (which may run `$(…)`) is the executor's job in `console.rs`, driven by the [`Part`]s kept
//! here, which remember whether each piece was quoted (unquoted expansions are split into
//! fields, quoted ones never are).
//!
//! Invariants: [`parse`] never panics, whatever the input (it works on `char`s and only indexes
//! within bounds), and its work is linear in the input length apart from `$(…)` sources, which
//! are re-parsed when run, with a depth bound enforced by the executor.
//!
//! A pipeline ended by `&` is marked to run in the background, with its source text for `jobs`.
//!
//! Simplified versus bash: no globbing, no arithmetic, no functions or control flow (`if`,
//! `for`), no subshells or `{ …; }` groups, no brace expansion, no `~` expansion, and a
//! redirection target must be a plain word. shlex/shell-words split a line but cannot say which
//! parts were quoted, which `$VAR` expansion needs, hence this hand-written lexer.

/// One piece of a word, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text. `quoted` when it came from quotes or a backslash escape: such text is
    /// never split into fields and keeps a word alive even when empty (`""`).
    Text { text: String, quoted: bool },
    /// `$NAME`, `${NAME}` or `$?`.
    Var { name: String, quoted: bool },
    /// `$(…)` or `` `…` ``: the source of the command whose output replaces it.
    Subst { source: String, quoted: bool },
}

/// A word before expansion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// The word's text when it holds no expansion (for assignment names, here-doc delimiters).
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text { text, .. } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// `NAME=rest` when the word starts with an unquoted assignment: the name and the parts of
    /// the value.
    pub fn as_assignment(&self) -> Option<(String, Word)> {
        let Some(Part::Text {
            text,
            quoted: false,
        }) = self.0.first()
        else {
            return None;
        };
        let eq = text.find('=')?;
        let name = &text[..eq];
        if !is_name(name) {
            return None;
        }
        let mut value = Vec::new();
        let rest = &text[eq + 1..];
        if !rest.is_empty() {
            value.push(Part::Text {
                text: rest.to_string(),
                quoted: false,
            });
        }
        value.extend(self.0.iter().skip(1).cloned());
        Some((name.to_string(), Word(value)))
    }
}

/// Whether `text` is a valid shell variable name.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A here-document waiting for its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDoc {
    /// The line that ends the body.
    pub delimiter: String,
    /// Whether `$` expansions run in the body (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are removed from body lines and the delimiter line.
    pub strip_tabs: bool,
}

/// Where a command's input comes from, besides a pipe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A here-document; its body is collected from the following lines.
    HereDoc(HereDoc),
    /// `<<< word`: the word and a newline.
    HereString(Word),
    /// `< file`: refused, the playground has no files.
    File(String),
}

/// An output redirection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    /// `>target` or `>>target`.
    Stdout(String),
    /// `2>target`.
    Stderr(String),
    /// `&>target`.
    Both(String),
    /// `2>&1`: stderr goes where stdout goes at this point.
    StderrToStdout,
    /// `>&2` or `1>&2`: stdout goes where stderr goes at this point.
    StdoutToStderr,
}

/// A command: its words, and where its input and output go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Its words (assignments first, then the command and its arguments).
    pub words: Vec<Word>,
    /// A here-document, here-string or input file.
    pub input: Option<Input>,
    /// Output redirections, in order.
    pub redirects: Vec<Redirect>,
}

/// Commands joined by `|`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    /// The commands, the output of each feeding the next.
    pub commands: Vec<SimpleCommand>,
    /// Ended by `&`: it runs in the background.
    pub background: bool,
    /// For a background pipeline, its source text (what `jobs` shows).
    pub source: String,
}

/// How a pipeline is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    /// `;` (or the first pipeline).
    Always,
    /// `&&`: only if the previous one succeeded.
    IfSuccess,
    /// `||`: only if the previous one failed.
    IfFailure,
}

/// A whole command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandList {
    /// The pipelines, each with how it is joined to the one before.
    pub items: Vec<(Connector, Pipeline)>,
}

impl CommandList {
    /// The here-documents the line needs, in order.
    pub fn heredocs(&self) -> Vec<HereDoc> {
        self.items
            .iter()
            .flat_map(|(_, p)| p.commands.iter())
            .filter_map(|c| match &c.input {
                Some(Input::HereDoc(h)) => Some(h.clone()),
                _ => None,
            })
            .collect()
    }
}

/// What parsing a line gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A complete line.
    Complete(CommandList),
    /// The line goes on (open quote, trailing `\`, `|`, `&&`, `||`): bash's `> ` prompt.
    Incomplete,
    /// A syntax error, worded as bash words it.
    Error(String),
}

/// Parses one (possibly multi-line) command line.
pub fn parse(input: &str) -> Parsed {
    if let Err(e) = crate::console::limits::line(input.chars().count()) {
        return Parsed::Error(e.0);
    }
    let mut parser = Parser {
        chars: input.chars().collect(),
        pos: 0,
    };
    parser.line()
}

/// Parses text in which only `$` expansions and backslashes are special (a here-document body
/// with an unquoted delimiter): quotes stay literal.
pub fn parse_heredoc_body(text: &str) -> Vec<Part> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let mut parts = Vec::new();
    while parser.pos < parser.chars.len() {
        let c = parser.chars[parser.pos];
        match c {
            '\\' => {
                let next = parser.chars.get(parser.pos + 1).copied();
                match next {
                    Some(n @ ('$' | '`' | '\\')) => {
                        push_text(&mut parts, &n.to_string(), true);
                        parser.pos += 2;
                    }
                    Some('\n') => parser.pos += 2,
                    _ => {
                        push_text(&mut parts, "\\", true);
                        parser.pos += 1;
                    }
                }
            }
            '$' | '`' => match parser.dollar_or_backtick(true) {
                Ok(Some(part)) => parts.push(part),
                Ok(None) => {
                    push_text(&mut parts, &c.to_string(), true);
                    parser.pos += 1;
                }
                Err(_) => {
                    // An unterminated `$(` in a body is taken literally.
                    push_text(&mut parts, &c.to_string(), true);
                    parser.pos += 1;
                }
            },
            _ => {
                push_text(&mut parts, &c.to_string(), true);
                parser.pos += 1;
            }
        }
    }
    parts
}

fn push_text(parts: &mut Vec<Part>, text: &str, quoted: bool) {
    if let Some(Part::Text {
        text: last,
        quoted: q,
    }) = parts.last_mut()
        && *q == quoted
    {
        last.push_str(text);
        return;
    }
    parts.push(Part::Text {
        text: text.to_string(),
        quoted,
    });
}

/// Why a lexing step could not finish.
enum Stop {
    Incomplete,
    Error(String),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

fn syntax_error(token: &str) -> String {
    format!("bash: syntax error near unexpected token `{token}'")
}

impl Parser {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn line(&mut self) -> Parsed {
        let mut list = CommandList::default();
        let mut pipeline = Pipeline::default();
        let mut command = SimpleCommand::default();
        let mut connector = Connector::Always;
        // Whether an operator that needs a command after it (`|`, `&&`, `||`) was just seen.
        let mut dangling = false;
        // Where the current pipeline's text starts.
        let mut item_start = 0usize;
        loop {
            self.skip_blanks();
            let Some(c) = self.peek(0) else { break };
            match c {
                '#' => {
                    while let Some(c) = self.peek(0) {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                '\n' | ';' => {
                    self.pos += 1;
                    if command_is_empty(&command) && pipeline.commands.is_empty() {
                        if dangling && c == '\n' {
                            continue;
                        }
                        if c == ';' {
                            if dangling || list.items.is_empty() {
                                return Parsed::Error(syntax_error(";"));
                            }
                            continue;
                        }
                        continue;
                    }
                    if command_is_empty(&command) {
                        if c == '\n' {
                            continue;
                        }
                        return Parsed::Error(syntax_error(";"));
                    }
                    pipeline.commands.push(std::mem::take(&mut command));
                    list.items.push((connector, std::mem::take(&mut pipeline)));
                    connector = Connector::Always;
                    dangling = false;
                    item_start = self.pos;
                }
                '|' | '&' => {
                    let double = self.peek(1) == Some(c);
                    if c == '&' && !double && self.peek(1) == Some('>') {
                        self.pos += 2;
                        match self.redirect_target() {
                            Ok(t) => command.redirects.push(Redirect::Both(t)),
                            Err(e) => return stop(e),
                        }
                        continue;
                    }
                    let token = if double {
                        format!("{c}{c}")
                    } else {
                        c.to_string()
                    };
                    let operator_at = self.pos;
                    self.pos += if double { 2 } else { 1 };
                    if command_is_empty(&command) {
                        return Parsed::Error(syntax_error(&token));
                    }
                    pipeline.commands.push(std::mem::take(&mut command));
                    match (c, double) {
                        ('|', false) => dangling = true,
                        ('&', false) => {
                            pipeline.background = true;
                            pipeline.source = self
                                .chars
                                .get(item_start..operator_at)
                                .unwrap_or_default()
                                .iter()
                                .collect::<String>()
                                .trim()
                                .to_string();
                            list.items.push((connector, std::mem::take(&mut pipeline)));
                            connector = Connector::Always;
                            dangling = false;
                            item_start = self.pos;
                        }
                        (_, true) => {
                            item_start = self.pos;
                            list.items.push((connector, std::mem::take(&mut pipeline)));
                            connector = if c == '&' {
                                Connector::IfSuccess
                            } else {
                                Connector::IfFailure
                            };
                            dangling = true;
                        }
                        _ => {}
                    }
                }
                '<' => {
                    if let Err(e) = self.input_redirect(&mut command) {
                        return stop(e);
                    }
                    dangling = false;
                }
                '>' => {
                    self.pos += 1;
                    if let Err(e) = self.stdout_redirect(&mut command) {
                        return stop(e);
                    }
                }
                '1' if self.peek(1) == Some('>') && self.at_word_start() => {
                    self.pos += 2;
                    if let Err(e) = self.stdout_redirect(&mut command) {
                        return stop(e);
                    }
                }
                '2' if self.peek(1) == Some('>') && self.at_word_start() => {
                    self.pos += 2;
                    if self.peek(0) == Some('&') && matches!(self.peek(1), Some('1' | '2')) {
                        if self.peek(1) == Some('1') {
                            command.redirects.push(Redirect::StderrToStdout);
                        }
                        self.pos += 2;
                    } else {
                        if self.peek(0) == Some('>') {
                            self.pos += 1;
                        }
                        match self.redirect_target() {
                            Ok(t) => command.redirects.push(Redirect::Stderr(t)),
                            Err(e) => return stop(e),
                        }
                    }
                }
                _ => match self.word() {
                    Ok(word) => {
                        command.words.push(word);
                        dangling = false;
                    }
                    Err(e) => return stop(e),
                },
            }
        }
        if dangling && command_is_empty(&command) {
            return Parsed::Incomplete;
        }
        if !command_is_empty(&command) {
            pipeline.commands.push(command);
        }
        if !pipeline.commands.is_empty() {
            list.items.push((connector, pipeline));
        }
        Parsed::Complete(list)
    }

    /// After `>` (or `1>`): `>&2`, `>&1`, or `>target` / `>>target`.
    fn stdout_redirect(&mut self, command: &mut SimpleCommand) -> Result<(), Stop> {
        if self.peek(0) == Some('&') && matches!(self.peek(1), Some('1' | '2')) {
            if self.peek(1) == Some('2') {
                command.redirects.push(Redirect::StdoutToStderr);
            }
            self.pos += 2;
            return Ok(());
        }
        if self.peek(0) == Some('>') {
            self.pos += 1;
        }
        let target = self.redirect_target()?;
        command.redirects.push(Redirect::Stdout(target));
        Ok(())
    }

    fn at_word_start(&self) -> bool {
        self.pos == 0
            || self
                .chars
                .get(self.pos.wrapping_sub(1))
                .is_some_and(|c| c.is_whitespace() || matches!(c, ';' | '|' | '&'))
    }

    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek(0) {
            if c == ' ' || c == '\t' || c == '\r' {
                self.pos += 1;
            } else if c == '\\' && self.peek(1) == Some('\n') {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    fn redirect_target(&mut self) -> Result<String, Stop> {
        self.skip_blanks();
        let word = match self.peek(0) {
            None | Some('\n' | ';' | '|' | '&' | '<' | '>') => {
                let token = self
                    .peek(0)
                    .map_or("newline".to_string(), |c| c.to_string());
                return Err(Stop::Error(syntax_error(&token)));
            }
            Some(_) => self.word()?,
        };
        let text = word
            .0
            .iter()
            .map(|p| match p {
                Part::Text { text, .. } => text.clone(),
                Part::Var { name, .. } => format!("${name}"),
                Part::Subst { source, .. } => format!("$({source})"),
            })
            .collect();
        Ok(text)
    }

    fn input_redirect(&mut self, command: &mut SimpleCommand) -> Result<(), Stop> {
        // `<`, `<<`, `<<-`, `<<<`
        self.pos += 1;
        if self.peek(0) != Some('<') {
            let target = self.redirect_target()?;
            command.input = Some(Input::File(target));
            return Ok(());
        }
        self.pos += 1;
        if self.peek(0) == Some('<') {
            self.pos += 1;
            self.skip_blanks();
            if self.peek(0).is_none() || self.peek(0) == Some('\n') {
                return Err(Stop::Error(syntax_error("newline")));
            }
            let word = self.word()?;
            command.input = Some(Input::HereString(word));
            return Ok(());
        }
        let strip_tabs = if self.peek(0) == Some('-') {
            self.pos += 1;
            true
        } else {
            false
        };
        self.skip_blanks();
        if matches!(
            self.peek(0),
            None | Some('\n' | ';' | '|' | '&' | '<' | '>')
        ) {
            let token = self
                .peek(0)
                .map_or("newline".to_string(), |c| c.to_string());
            return Err(Stop::Error(syntax_error(&token)));
        }
        let word = self.word()?;
        let mut delimiter = String::new();
        let mut expand = true;
        for part in &word.0 {
            match part {
                Part::Text { text, quoted } => {
                    delimiter.push_str(text);
                    if *quoted {
                        expand = false;
                    }
                }
                Part::Var { name, .. } => {
                    delimiter.push('$');
                    delimiter.push_str(name);
                }
                Part::Subst { source, .. } => {
                    delimiter.push_str("$(");
                    delimiter.push_str(source);
                    delimiter.push(')');
                }
            }
        }
        command.input = Some(Input::HereDoc(HereDoc {
            delimiter,
            expand,
            strip_tabs,
        }));
        Ok(())
    }

    /// One word, up to an unquoted blank or operator.
    fn word(&mut self) -> Result<Word, Stop> {
        let mut parts = Vec::new();
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '|' | '&' | '<' | '>' => break,
                '\\' => match self.peek(1) {
                    None => return Err(Stop::Incomplete),
                    Some('\n') => self.pos += 2,
                    Some(n) => {
                        push_text(&mut parts, &n.to_string(), true);
                        self.pos += 2;
                    }
                },
                '\'' => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek(0).is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek(0).is_none() {
                        return Err(Stop::Incomplete);
                    }
                    let text: String = self.chars[start..self.pos].iter().collect();
                    // `''` still makes a (possibly empty) word.
                    parts.push(Part::Text { text, quoted: true });
                    self.pos += 1;
                }
                '"' => {
                    self.pos += 1;
                    let mut inner = Vec::new();
                    // An empty "" must still produce a word.
                    inner.push(Part::Text {
                        text: String::new(),
                        quoted: true,
                    });
                    loop {
                        let Some(c) = self.peek(0) else {
                            return Err(Stop::Incomplete);
                        };
                        match c {
                            '"' => {
                                self.pos += 1;
                                break;
                            }
                            '\\' => match self.peek(1) {
                                None => return Err(Stop::Incomplete),
                                Some(n @ ('$' | '`' | '"' | '\\')) => {
                                    push_text(&mut inner, &n.to_string(), true);
                                    self.pos += 2;
                                }
                                Some('\n') => self.pos += 2,
                                Some(_) => {
                                    push_text(&mut inner, "\\", true);
                                    self.pos += 1;
                                }
                            },
                            '$' | '`' => match self.dollar_or_backtick(true)? {
                                Some(part) => inner.push(part),
                                None => {
                                    push_text(&mut inner, &c.to_string(), true);
                                    self.pos += 1;
                                }
                            },
                            _ => {
                                push_text(&mut inner, &c.to_string(), true);
                                self.pos += 1;
                            }
                        }
                    }
                    for part in inner {
                        match part {
                            Part::Text { text, quoted } => push_text(&mut parts, &text, quoted),
                            other => parts.push(other),
                        }
                    }
                }
                '$' if self.peek(1) == Some('\'') => {
                    self.pos += 2;
                    let text = self.ansi_c()?;
                    parts.push(Part::Text { text, quoted: true });
                }
                '$' | '`' => match self.dollar_or_backtick(false)? {
                    Some(part) => parts.push(part),
                    None => {
                        push_text(&mut parts, "$", false);
                        self.pos += 1;
                    }
                },
                _ => {
                    push_text(&mut parts, &c.to_string(), false);
                    self.pos += 1;
                }
            }
        }
        Ok(Word(parts))
    }

    /// `$'…'` after the opening quote.
    fn ansi_c(&mut self) -> Result<String, Stop> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek(0) else {
                return Err(Stop::Incomplete);
            };
            self.pos += 1;
            match c {
                '\'' => return Ok(out),
                '\\' => {
                    let Some(n) = self.peek(0) else {
                        return Err(Stop::Incomplete);
                    };
                    self.pos += 1;
                    out.push(match n {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        'e' | 'E' => '\u{1b}',
                        '0' => '\0',
                        other => other,
                    });
                }
                other => out.push(other),
            }
        }
    }

    /// An expansion at `$` or `` ` ``; `None` when the `$` is literal.
    fn dollar_or_backtick(&mut self, quoted: bool) -> Result<Option<Part>, Stop> {
        let c = self.peek(0);
        if c == Some('`') {
            let start = self.pos + 1;
            let mut i = start;
            while let Some(ch) = self.chars.get(i) {
                if *ch == '\\' {
                    i += 2;
                    continue;
                }
                if *ch == '`' {
                    let source: String = self.chars[start..i].iter().collect();
                    self.pos = i + 1;
                    return Ok(Some(Part::Subst { source, quoted }));
                }
                i += 1;
            }
            return Err(Stop::Incomplete);
        }
        match self.peek(1) {
            Some('(') => {
                let start = self.pos + 2;
                let end = self.matching_paren(start)?;
                let source: String = self.chars[start..end].iter().collect();
                self.pos = end + 1;
                Ok(Some(Part::Subst { source, quoted }))
            }
            Some('{') => {
                let start = self.pos + 2;
                let mut i = start;
                while let Some(ch) = self.chars.get(i) {
                    if *ch == '}' {
                        let name: String = self.chars[start..i].iter().collect();
                        if !is_name(&name) && name != "?" {
                            return Err(Stop::Error(format!(
                                "bash: ${{{name}}}: bad substitution"
                            )));
                        }
                        self.pos = i + 1;
                        return Ok(Some(Part::Var { name, quoted }));
                    }
                    i += 1;
                }
                Err(Stop::Incomplete)
            }
            Some('?') | Some('$') | Some('#') | Some('!') => {
                let name = self.peek(1).map(String::from).unwrap_or_default();
                self.pos += 2;
                Ok(Some(Part::Var { name, quoted }))
            }
            Some(ch) if ch.is_ascii_digit() => {
                self.pos += 2;
                Ok(Some(Part::Var {
                    name: ch.to_string(),
                    quoted,
                }))
            }
            Some(ch) if ch == '_' || ch.is_ascii_alphabetic() => {
                let start = self.pos + 1;
                let mut i = start;
                while self
                    .chars
                    .get(i)
                    .is_some_and(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    i += 1;
                }
                let name: String = self.chars[start..i].iter().collect();
                self.pos = i;
                Ok(Some(Part::Var { name, quoted }))
            }
            _ => Ok(None),
        }
    }

    /// The index of the `)` closing a `$(` whose contents start at `start`.
    fn matching_paren(&self, start: usize) -> Result<usize, Stop> {
        let mut depth = 1u32;
        let mut i = start;
        while let Some(c) = self.chars.get(i) {
            match c {
                '\\' => i += 1,
                '\'' => {
                    i += 1;
                    while self.chars.get(i).is_some_and(|c| *c != '\'') {
                        i += 1;
                    }
                }
                '"' => {
                    i += 1;
                    while let Some(c) = self.chars.get(i) {
                        if *c == '\\' {
                            i += 1;
                        } else if *c == '"' {
                            break;
                        }
                        i += 1;
                    }
                }
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Err(Stop::Incomplete)
    }
}

fn command_is_empty(command: &SimpleCommand) -> bool {
    command.words.is_empty() && command.input.is_none() && command.redirects.is_empty()
}

fn stop(stop: Stop) -> Parsed {
    match stop {
        Stop::Incomplete => Parsed::Incomplete,
        Stop::Error(message) => Parsed::Error(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<Part>> {
        match parse(line) {
            Parsed::Complete(list) => list.items[0].1.commands[0]
                .words
                .iter()
                .map(|w| w.0.clone())
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    fn text(t: &str, quoted: bool) -> Part {
        Part::Text {
            text: t.to_string(),
            quoted,
        }
    }

    #[test]
    fn splits_words_on_blanks() {
        assert_eq!(
            words("a  b\tc"),
            vec![
                vec![text("a", false)],
                vec![text("b", false)],
                vec![text("c", false)]
            ]
        );
    }

    #[test]
    fn single_quotes_keep_everything() {
        assert_eq!(words("'a $X \\n'"), vec![vec![text("a $X \\n", true)]]);
    }

    #[test]
    fn double_quotes_expand_and_escape() {
        assert_eq!(
            words("\"a $X \\\" \\q\""),
            vec![vec![
                text("a ", true),
                Part::Var {
                    name: "X".into(),
                    quoted: true
                },
                text(" \" \\q", true)
            ]]
        );
        assert_eq!(words("\"\""), vec![vec![text("", true)]]);
    }

    #[test]
    fn backslash_escapes_one_character() {
        assert_eq!(
            words("a\\ b"),
            vec![vec![text("a", false), text(" ", true), text("b", false)]]
        );
    }

    #[test]
    fn variables_in_all_forms() {
        assert_eq!(
            words("$A${B}x$?"),
            vec![vec![
                Part::Var {
                    name: "A".into(),
                    quoted: false
                },
                Part::Var {
                    name: "B".into(),
                    quoted: false
                },
                text("x", false),
                Part::Var {
                    name: "?".into(),
                    quoted: false
                }
            ]]
        );
        assert_eq!(words("a$"), vec![vec![text("a$", false)]]);
    }

    #[test]
    fn command_substitution_nests() {
        assert_eq!(
            words("\"$(echo $(echo hi) ')')\""),
            vec![vec![
                text("", true),
                Part::Subst {
                    source: "echo $(echo hi) ')'".into(),
                    quoted: true
                }
            ]]
        );
        assert_eq!(
            words("`date`"),
            vec![vec![Part::Subst {
                source: "date".into(),
                quoted: false
            }]]
        );
    }

    #[test]
    fn assignments_are_recognised() {
        let Parsed::Complete(list) = parse("X=\"$(a b)\"") else {
            panic!()
        };
        let (name, value) = list.items[0].1.commands[0].words[0]
            .as_assignment()
            .unwrap();
        assert_eq!(name, "X");
        assert_eq!(
            value.0[1],
            Part::Subst {
                source: "a b".into(),
                quoted: true
            }
        );
        let Parsed::Complete(list) = parse("'X'=1") else {
            panic!()
        };
        assert!(
            list.items[0].1.commands[0].words[0]
                .as_assignment()
                .is_none()
        );
    }

    #[test]
    fn pipes_and_lists() {
        let Parsed::Complete(list) = parse("echo a | cat; b && c || d") else {
            panic!()
        };
        assert_eq!(list.items.len(), 4);
        assert_eq!(list.items[0].1.commands.len(), 2);
        assert_eq!(list.items[2].0, Connector::IfSuccess);
        assert_eq!(list.items[3].0, Connector::IfFailure);
    }

    #[test]
    fn comments_are_ignored() {
        assert_eq!(words("a # b c"), vec![vec![text("a", false)]]);
        assert_eq!(words("a#b"), vec![vec![text("a#b", false)]]);
        assert_eq!(parse("# only"), Parsed::Complete(CommandList::default()));
    }

    #[test]
    fn heredocs_are_declared() {
        let Parsed::Complete(list) = parse("cat <<'EOF' | x") else {
            panic!()
        };
        assert_eq!(
            list.heredocs(),
            vec![HereDoc {
                delimiter: "EOF".into(),
                expand: false,
                strip_tabs: false
            }]
        );
        let Parsed::Complete(list) = parse("cat <<-END") else {
            panic!()
        };
        assert!(list.heredocs()[0].expand && list.heredocs()[0].strip_tabs);
    }

    #[test]
    fn heredoc_bodies_expand_but_keep_quotes() {
        assert_eq!(
            parse_heredoc_body("'a' $X \\$"),
            vec![
                text("'a' ", true),
                Part::Var {
                    name: "X".into(),
                    quoted: true
                },
                text(" $", true)
            ]
        );
    }

    #[test]
    fn unfinished_lines_ask_for_more() {
        for line in ["'abc", "\"abc", "a \\", "a |", "a &&", "$(a", "`a"] {
            assert_eq!(parse(line), Parsed::Incomplete, "{line:?}");
        }
    }

    #[test]
    fn syntax_errors_are_bashs() {
        assert_eq!(
            parse("| a"),
            Parsed::Error("bash: syntax error near unexpected token `|'".into())
        );
        assert_eq!(
            parse("a | | b"),
            Parsed::Error("bash: syntax error near unexpected token `|'".into())
        );
        assert_eq!(
            parse("cat <<"),
            Parsed::Error("bash: syntax error near unexpected token `newline'".into())
        );
    }

    #[test]
    fn redirections() {
        let Parsed::Complete(list) = parse("a >/dev/null 2>&1 x 2> /dev/null") else {
            panic!()
        };
        let command = &list.items[0].1.commands[0];
        assert_eq!(command.words.len(), 2);
        assert_eq!(
            command.redirects,
            vec![
                Redirect::Stdout("/dev/null".into()),
                Redirect::StderrToStdout,
                Redirect::Stderr("/dev/null".into())
            ]
        );
    }

    #[test]
    fn background_pipelines_keep_their_source() {
        let Parsed::Complete(list) = parse("a x | b  & c; d y 1>&2 &") else {
            panic!()
        };
        let flags: Vec<(bool, &str)> = list
            .items
            .iter()
            .map(|(_, p)| (p.background, p.source.as_str()))
            .collect();
        assert_eq!(
            flags,
            vec![(true, "a x | b"), (false, ""), (true, "d y 1>&2")]
        );
        assert_eq!(
            list.items[2].1.commands[0].redirects,
            vec![Redirect::StdoutToStderr]
        );
        assert_eq!(parse("&"), Parsed::Error(syntax_error("&")));
    }

    #[test]
    fn ansi_c_strings() {
        assert_eq!(words("$'a\\tb'"), vec![vec![text("a\tb", true)]]);
    }
}
