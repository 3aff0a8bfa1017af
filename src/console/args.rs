//! Command-line options as Kafka's tools parse them (with jopt-simple).
//!
//! Long options only (`--name value` or `--name=value`); a unique prefix of a name selects it
//! (jopt-simple's abbreviations, e.g. `--bootstrap`); an option that takes an argument takes the
//! next word whatever it is; other words are kept as positional arguments. Errors carry
//! jopt-simple's exception class and message, so each tool can print them the way Kafka's
//! `main` does.
//!
//! Simplified versus jopt-simple: no short options and no option clusters (`-abc`); a repeated
//! single-valued option keeps its first value instead of failing later.

/// An option a tool accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptSpec {
    /// The name without dashes.
    pub name: &'static str,
    /// Whether it takes an argument.
    pub takes_arg: bool,
    /// Whether that argument may be left out (taken only when the next word is not an option).
    pub optional: bool,
}

/// A flag (no argument).
pub const fn flag(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        takes_arg: false,
        optional: false,
    }
}

/// An option whose argument may be left out (jopt-simple's `withOptionalArg`).
pub const fn opt_optional(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        takes_arg: true,
        optional: true,
    }
}

/// An option with a required argument.
pub const fn opt(name: &'static str) -> OptSpec {
    OptSpec {
        name,
        takes_arg: true,
        optional: false,
    }
}

/// A jopt-simple parse failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    /// `UnrecognizedOptionException`.
    Unrecognized(String),
    /// `OptionMissingRequiredArgumentException`.
    MissingArgument(&'static str),
}

impl ArgError {
    /// jopt-simple's message.
    pub fn message(&self) -> String {
        match self {
            ArgError::Unrecognized(name) => format!("{name} is not a recognized option"),
            ArgError::MissingArgument(name) => format!("Option ['{name}'] requires an argument"),
        }
    }

    /// The fully qualified exception class.
    pub fn exception_class(&self) -> &'static str {
        match self {
            ArgError::Unrecognized(_) => "joptsimple.UnrecognizedOptionException",
            ArgError::MissingArgument(_) => "joptsimple.OptionMissingRequiredArgumentException",
        }
    }

    /// The first line of the stack trace Java prints for it.
    pub fn trace_line(&self) -> String {
        format!("{}: {}", self.exception_class(), self.message())
    }
}

/// Parsed options, in command-line order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    given: Vec<(&'static str, Option<String>)>,
    /// Words that are not options.
    pub positional: Vec<String>,
}

impl Options {
    /// Whether the option was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// Its first value.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// All its values, in order.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// Its value as a Java `Integer` (`Cannot parse argument 'x' of option name` otherwise).
    pub fn int(&self, name: &str) -> Result<Option<i32>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(text) => java_parse_int(text)
                .map(Some)
                .ok_or_else(|| format!("Cannot parse argument '{text}' of option {name}")),
        }
    }

    /// Its value as a Java `Long`.
    pub fn long(&self, name: &str) -> Result<Option<i64>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(text) => java_parse_long(text)
                .map(Some)
                .ok_or_else(|| format!("Cannot parse argument '{text}' of option {name}")),
        }
    }

    /// The names of the options given, in command-line order (jopt-simple's `specs()`).
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.given.iter().map(|(n, _)| *n)
    }

    /// How many of `names` were given.
    pub fn count(&self, names: &[&str]) -> usize {
        names.iter().filter(|n| self.has(n)).count()
    }
}

/// `Integer.parseInt`: an optional sign and ASCII digits, within `i32`.
pub fn java_parse_int(text: &str) -> Option<i32> {
    java_parse_long(text).and_then(|v| i32::try_from(v).ok())
}

/// `Long.parseLong`: an optional sign and ASCII digits, within `i64`.
pub fn java_parse_long(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}

/// Parses `args` against `specs`, or writes the uncaught exception a tool's `main` prints for
/// an argument jopt-simple refuses (`Exception in thread "main" joptsimple.…`) to `err` and
/// gives `None` (the tool then exits 1).
pub fn parse_or_uncaught(
    specs: &[OptSpec],
    args: &[String],
    err: &mut impl std::fmt::Write,
) -> Option<Options> {
    match parse(specs, args) {
        Ok(options) => Some(options),
        Err(e) => {
            let _ = writeln!(err, "Exception in thread \"main\" {}", e.trace_line());
            None
        }
    }
}

/// Parses `args` against `specs`.
pub fn parse(specs: &[OptSpec], args: &[String]) -> Result<Options, ArgError> {
    let mut options = Options::default();
    let mut i = 0;
    let mut only_positional = false;
    while let Some(arg) = args.get(i) {
        i += 1;
        if only_positional || !arg.starts_with('-') || arg == "-" {
            options.positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        let body = arg.trim_start_matches('-');
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let spec = find(specs, name).ok_or_else(|| ArgError::Unrecognized(name.to_string()))?;
        let value = if spec.takes_arg {
            match inline {
                Some(v) => Some(v),
                None if spec.optional => match args.get(i) {
                    Some(next) if !next.starts_with('-') => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => None,
                },
                None => {
                    let next = args.get(i).ok_or(ArgError::MissingArgument(spec.name))?;
                    i += 1;
                    Some(next.clone())
                }
            }
        } else {
            None
        };
        options.given.push((spec.name, value));
    }
    Ok(options)
}

/// The spec named `name` exactly, or the only one it abbreviates.
fn find<'a>(specs: &'a [OptSpec], name: &str) -> Option<&'a OptSpec> {
    if name.is_empty() {
        return None;
    }
    if let Some(exact) = specs.iter().find(|s| s.name == name) {
        return Some(exact);
    }
    let mut matches = specs.iter().filter(|s| s.name.starts_with(name));
    let first = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [OptSpec; 4] = [
        opt("topic"),
        opt("bootstrap-server"),
        flag("from-beginning"),
        flag("from-end"),
    ];

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_flags_and_abbreviations() {
        let o = parse(
            &SPECS,
            &strings(&["--topic", "t", "--bootstrap=x:1", "--from-b", "p"]),
        )
        .unwrap();
        assert_eq!(o.value("topic"), Some("t"));
        assert_eq!(o.value("bootstrap-server"), Some("x:1"));
        assert!(o.has("from-beginning"));
        assert_eq!(o.positional, vec!["p"]);
    }

    #[test]
    fn errors_are_jopt_simples() {
        let e = parse(&SPECS, &strings(&["--zookeeper", "x"])).unwrap_err();
        assert_eq!(e.message(), "zookeeper is not a recognized option");
        let e = parse(&SPECS, &strings(&["--from"])).unwrap_err();
        assert_eq!(e, ArgError::Unrecognized("from".into()));
        let e = parse(&SPECS, &strings(&["--topic"])).unwrap_err();
        assert_eq!(e.message(), "Option ['topic'] requires an argument");
    }

    #[test]
    fn java_numbers() {
        assert_eq!(java_parse_int("+7"), Some(7));
        assert_eq!(java_parse_int("-7"), Some(-7));
        assert_eq!(java_parse_int("2147483648"), None);
        assert_eq!(java_parse_int("1e3"), None);
        assert_eq!(java_parse_long(""), None);
    }
}
