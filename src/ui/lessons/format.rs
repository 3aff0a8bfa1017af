//! The lesson file format: plain text a teacher can write, read at run time from
//! `static/lessons/` (or a teacher's own file), never compiled into the page.
//!
//! ```text
//! title: Keys and partitions
//! minutes: 8
//! learn: Records with the same key go to the same partition, in order.
//! setup: #/playground?groups=0
//! run: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments --partitions 2
//! view: playground
//!
//! == Same key, same partition
//! Narration: paragraphs separated by blank lines; `code` and **bold**; lines starting
//! with "- " are a list.
//! task: Type alice:1 and press Enter.
//! predict: Which partition will the key `alice` go to?
//! choices: P0 | P1 | P2
//! answer: partition-of-key alice
//! explain: The producer hashes the key with murmur2.
//! check: appended key=alice count=1
//! hint: Type alice:1 in the message box and press Enter.
//! show: produce alice:1
//! panels: controls, producer, lanes
//! ```
//!
//! The header (before the first `==`) names the lesson; each `==` line starts a step. In a
//! step, a line `field: value` with a known field is a directive; every other line is
//! narration (so a narration line cannot start with a lowercase field name and a colon).
//! Narration is a safe subset of Markdown: it is drawn as text, never as HTML. Every error
//! names its line; a file with errors is not used.

use crate::ui::embed::Panels;
use crate::ui::lessons::check::Predicate;

/// Longest lesson file read, in bytes.
pub const LESSON_BYTES_MAX: usize = 256 * 1024;
/// Most steps a lesson may have.
pub const STEPS_MAX: usize = 40;

/// A lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub title: String,
    pub minutes: u32,
    pub learn: String,
    /// The address the lesson starts from: `#/playground?…` for the Playground and the
    /// Console (the page's session), `#/eda-vs-soa?…` or `#/wordcount?…` for those views.
    pub setup: String,
    /// Console commands run in order on the session after `setup` (`run:` lines; the
    /// Playground and the Console only).
    pub run: Vec<SetupCommand>,
    /// The view beside the narration: `playground`, `console`, `eda-vs-soa` or `wordcount`.
    pub view: String,
    pub steps: Vec<Step>,
}

/// Most `run:` lines a lesson may have.
pub const RUN_MAX: usize = 50;

/// A `run:` line: one whole command, as a learner would type it in the Console.
#[derive(Clone, Debug, PartialEq)]
pub struct SetupCommand {
    /// Its line in the file.
    pub line: usize,
    pub command: String,
}

/// One step: narration, an optional prediction, a goal, hints and what "Show me" does.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// What to do, in one line: all a short frame shows of the step until "More" is opened.
    pub task: Option<String>,
    /// Paragraphs; a paragraph whose lines start with "- " is a list.
    pub narration: Vec<String>,
    pub predict: Option<Prediction>,
    pub check: Option<Predicate>,
    pub hints: Vec<String>,
    pub show: Vec<ShowAction>,
    /// The Playground's panels this step needs (`panels:` as an embed's `panels=`); `None`:
    /// all of them.
    pub panels: Option<Panels>,
}

/// A question asked before the learner acts.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    pub answer: Answer,
    pub explain: String,
}

/// How the right answer is found.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The choice the teacher names.
    Choice(String),
    /// `P<n>`: where the producer puts this key in the shown topic (murmur2, as Kafka).
    PartitionOfKey(String),
}

/// What "Show me" does, through the same actions a learner's clicks send.
#[derive(Clone, Debug, PartialEq)]
pub enum ShowAction {
    /// `produce [acks=0|1|all] K:V`: the record typed into the producer box, sent with the
    /// acks chosen beside it (`all` unless named).
    Produce(String, crate::sim::client::Acks),
    AddConsumer(String),
    /// A new group of two consumers with this assignor (`range`, `cooperative-sticky`, …).
    AddGroup(crate::sim::assignor::AssignorKind),
    CrashConsumer(u32),
    StopConsumer(u32),
    StopBroker(u32),
    StartBroker(u32),
    Rate(u32),
    Speed(f64),
    Play,
    Pause,
    /// EDA vs SOA: a service up, slow or down (on both sides).
    Health(String, crate::sim::soa::Health),
    /// WordCount: produce a line to the input topic.
    WcProduce(String),
    /// WordCount: the record in progress through the whole topology.
    WcStepRecord,
}

/// A problem with a lesson file, at a line (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

const HEADER_FIELDS: [&str; 6] = ["title", "minutes", "learn", "setup", "run", "view"];
const STEP_FIELDS: [&str; 9] = [
    "task", "predict", "choices", "answer", "explain", "check", "hint", "show", "panels",
];

/// Reads a lesson file; every problem is listed with its line.
pub fn parse(text: &str) -> Result<Lesson, Vec<LineError>> {
    let mut errors = Vec::new();
    if text.len() > LESSON_BYTES_MAX {
        return Err(vec![LineError {
            line: 1,
            message: format!(
                "the file is {} bytes; a lesson is at most {LESSON_BYTES_MAX}",
                text.len()
            ),
        }]);
    }
    let mut lesson = Lesson {
        title: String::new(),
        minutes: 0,
        learn: String::new(),
        setup: "#/playground".to_string(),
        run: Vec::new(),
        view: "playground".to_string(),
        steps: Vec::new(),
    };
    // Per step: (line of `==`, step, pending prediction parts).
    struct Building {
        line: usize,
        step: Step,
        question: Option<(usize, String)>,
        choices: Vec<String>,
        answer: Option<Answer>,
        explain: String,
        paragraph: Vec<String>,
    }
    let mut current: Option<Building> = None;
    let (mut setup_line, mut view_line) = (0, 0);
    let finish = |b: Building, errors: &mut Vec<LineError>, steps: &mut Vec<Step>| {
        let mut b = b;
        flush(&mut b.paragraph, &mut b.step.narration);
        match (b.question, b.answer) {
            (Some((_, question)), Some(answer)) => {
                if b.choices.len() < 2 {
                    errors.push(LineError {
                        line: b.line,
                        message: "a prediction needs `choices:` with at least two, separated by |"
                            .into(),
                    });
                }
                if let Answer::Choice(c) = &answer
                    && !b.choices.contains(c)
                {
                    errors.push(LineError {
                        line: b.line,
                        message: format!("the answer “{c}” is not one of the choices"),
                    });
                }
                b.step.predict = Some(Prediction {
                    question,
                    choices: b.choices,
                    answer,
                    explain: b.explain,
                });
            }
            (Some((line, _)), None) => errors.push(LineError {
                line,
                message: "a prediction needs `answer:`".into(),
            }),
            (None, Some(_)) => errors.push(LineError {
                line: b.line,
                message: "`answer:` without `predict:`".into(),
            }),
            (None, None) => {}
        }
        steps.push(b.step);
    };
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end();
        if let Some(title) = line.strip_prefix("==") {
            if let Some(b) = current.take() {
                finish(b, &mut errors, &mut lesson.steps);
            }
            let title = title.trim().to_string();
            if title.is_empty() {
                errors.push(LineError {
                    line: line_no,
                    message: "a step needs a title after ==".into(),
                });
            }
            current = Some(Building {
                line: line_no,
                step: Step {
                    title,
                    task: None,
                    narration: Vec::new(),
                    predict: None,
                    check: None,
                    hints: Vec::new(),
                    show: Vec::new(),
                    panels: None,
                },
                question: None,
                choices: Vec::new(),
                answer: None,
                explain: String::new(),
                paragraph: Vec::new(),
            });
            continue;
        }
        let field = field_of(line);
        match (&mut current, field) {
            (None, Some((key, value))) => match key {
                "title" => lesson.title = value.to_string(),
                "minutes" => match value.parse::<u32>() {
                    Ok(m) if (1..=120).contains(&m) => lesson.minutes = m,
                    _ => errors.push(LineError {
                        line: line_no,
                        message: format!("minutes must be 1 to 120, not “{value}”"),
                    }),
                },
                "learn" => lesson.learn = value.to_string(),
                "view" => match value {
                    "playground" | "console" | "eda-vs-soa" | "wordcount" => {
                        lesson.view = value.to_string();
                        view_line = line_no;
                    }
                    other => errors.push(LineError {
                        line: line_no,
                        message: format!(
                            "view must be playground, console, eda-vs-soa or wordcount, not “{other}”"
                        ),
                    }),
                },
                "setup" => {
                    lesson.setup = value.to_string();
                    setup_line = line_no;
                }
                "run" if value.is_empty() => errors.push(LineError {
                    line: line_no,
                    message: "run: needs a command, such as kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments".into(),
                }),
                "run" if lesson.run.len() == RUN_MAX => errors.push(LineError {
                    line: line_no,
                    message: format!("a lesson has at most {RUN_MAX} run: lines"),
                }),
                "run" => lesson.run.push(SetupCommand {
                    line: line_no,
                    command: value.to_string(),
                }),
                other => errors.push(LineError {
                    line: line_no,
                    message: format!(
                        "unknown field “{other}” before the first step (use {})",
                        HEADER_FIELDS.join(", ")
                    ),
                }),
            },
            (None, None) => {
                if !line.trim().is_empty() && !line.starts_with('#') {
                    errors.push(LineError {
                        line: line_no,
                        message:
                            "text before the first step (== Title); use learn: for the summary"
                                .into(),
                    });
                }
            }
            (Some(b), Some((key, value))) => {
                flush(&mut b.paragraph, &mut b.step.narration);
                match key {
                    "task" => b.step.task = Some(value.to_string()),
                    "predict" => b.question = Some((line_no, value.to_string())),
                    "choices" => {
                        b.choices = value
                            .split('|')
                            .map(|c| c.trim().to_string())
                            .filter(|c| !c.is_empty())
                            .collect();
                    }
                    "answer" => match parse_answer(value) {
                        Ok(a) => b.answer = Some(a),
                        Err(message) => errors.push(LineError {
                            line: line_no,
                            message,
                        }),
                    },
                    "explain" => b.explain = value.to_string(),
                    "check" => match Predicate::parse(value) {
                        Ok(p) => b.step.check = Some(p),
                        Err(message) => errors.push(LineError {
                            line: line_no,
                            message: format!("check: {message}"),
                        }),
                    },
                    "hint" => b.step.hints.push(value.to_string()),
                    "panels" if lesson.view != "playground" => errors.push(LineError {
                        line: line_no,
                        message: format!(
                            "panels: only the Playground has panels; this lesson's view is {}",
                            lesson.view
                        ),
                    }),
                    "panels" => match Panels::parse(value) {
                        Ok(p) => b.step.panels = Some(p),
                        Err(rule) => errors.push(LineError {
                            line: line_no,
                            message: format!("panels: {rule}"),
                        }),
                    },
                    "show" => {
                        for part in value.split('|').map(str::trim).filter(|p| !p.is_empty()) {
                            match parse_show(part) {
                                Ok(a) => b.step.show.push(a),
                                Err(message) => errors.push(LineError {
                                    line: line_no,
                                    message: format!("show: {message}"),
                                }),
                            }
                        }
                    }
                    other => errors.push(LineError {
                        line: line_no,
                        message: format!(
                            "unknown field “{other}” in a step (use {})",
                            STEP_FIELDS.join(", ")
                        ),
                    }),
                }
            }
            (Some(b), None) => {
                if line.trim().is_empty() {
                    flush(&mut b.paragraph, &mut b.step.narration);
                } else {
                    b.paragraph.push(line.trim().to_string());
                }
            }
        }
    }
    if let Some(b) = current.take() {
        finish(b, &mut errors, &mut lesson.steps);
    }
    let wanted = setup_route(&lesson.view);
    if crate::ui::route::Route::from_hash(&lesson.setup) != wanted {
        errors.push(LineError {
            line: setup_line.max(view_line).max(1),
            message: format!(
                "the view {} needs a setup such as #/{}?seed=1, not “{}”",
                lesson.view,
                wanted.slug(),
                lesson.setup
            ),
        });
    }
    if let Some(first) = lesson.run.first()
        && wanted != crate::ui::route::Route::Playground
    {
        errors.push(LineError {
            line: first.line,
            message: format!(
                "run: commands set up the Playground's session (views playground and console); the view {} has its own world",
                lesson.view
            ),
        });
    }
    if lesson.title.is_empty() {
        errors.push(LineError {
            line: 1,
            message: "the lesson needs `title:`".into(),
        });
    }
    if lesson.steps.is_empty() {
        errors.push(LineError {
            line: text.lines().count().max(1),
            message: "the lesson has no step (a step starts with == Title)".into(),
        });
    }
    if lesson.steps.len() > STEPS_MAX {
        errors.push(LineError {
            line: 1,
            message: format!("a lesson has at most {STEPS_MAX} steps"),
        });
    }
    if errors.is_empty() {
        Ok(lesson)
    } else {
        Err(errors)
    }
}

/// The view whose address sets up a lesson shown in `view` (the Console runs on the
/// Playground's session).
pub fn setup_route(view: &str) -> crate::ui::route::Route {
    use crate::ui::route::Route;
    match view {
        "eda-vs-soa" => Route::EdaVsSoa,
        "wordcount" => Route::WordCount,
        _ => Route::Playground,
    }
}

/// `field: value` when `field` is lowercase letters (and dashes) followed by a colon.
fn field_of(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let is_field = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && (HEADER_FIELDS.contains(&key) || STEP_FIELDS.contains(&key) || value.starts_with(' '));
    is_field.then(|| (key, value.trim()))
}

fn flush(paragraph: &mut Vec<String>, narration: &mut Vec<String>) {
    if !paragraph.is_empty() {
        narration.push(paragraph.join("\n"));
        paragraph.clear();
    }
}

fn parse_answer(value: &str) -> Result<Answer, String> {
    let mut words = value.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("partition-of-key"), Some(key), None) => Ok(Answer::PartitionOfKey(key.to_string())),
        (Some("choice"), Some(_), _) => {
            Ok(Answer::Choice(value["choice".len()..].trim().to_string()))
        }
        _ => Err(format!(
            "answer must be `choice <one of the choices>` or `partition-of-key <key>`, not “{value}”"
        )),
    }
}

fn parse_show(part: &str) -> Result<ShowAction, String> {
    let (verb, arg) = part
        .split_once(' ')
        .map_or((part, ""), |(v, a)| (v, a.trim()));
    let number = |what: &str| {
        arg.parse::<u32>()
            .map_err(|_| format!("`{verb}` needs a {what}, not “{arg}”"))
    };
    Ok(match verb {
        "produce" if !arg.is_empty() => {
            use crate::sim::client::Acks;
            match arg.strip_prefix("acks=").map(|rest| rest.split_once(' ')) {
                Some(Some((acks, record))) if !record.trim().is_empty() => {
                    match Acks::parse(acks) {
                        Some(acks) => ShowAction::Produce(record.trim().to_string(), acks),
                        None => {
                            return Err(format!(
                                "`produce` takes acks=0, 1 or all, not “acks={acks}”"
                            ));
                        }
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "`produce {arg}` needs a record after the acks, such as produce acks=1 bob:1"
                    ));
                }
                None => ShowAction::Produce(arg.to_string(), Acks::All),
            }
        }
        "add-consumer" if !arg.is_empty() => ShowAction::AddConsumer(arg.to_string()),
        "add-group" => match crate::sim::assignor::AssignorKind::parse(arg) {
            Some(a) => ShowAction::AddGroup(a),
            None => {
                return Err(format!(
                    "`add-group` needs an assignor (range, roundrobin, sticky or cooperative-sticky), not “{arg}”"
                ));
            }
        },
        "crash-consumer" => ShowAction::CrashConsumer(number("consumer number")?),
        "stop-consumer" => ShowAction::StopConsumer(number("consumer number")?),
        "stop-broker" => ShowAction::StopBroker(number("broker id")?),
        "start-broker" => ShowAction::StartBroker(number("broker id")?),
        "rate" => ShowAction::Rate(number("rate in records per second")?.min(1_000)),
        "speed" => match arg.parse::<f64>() {
            Ok(s) if (0.1..=20.0).contains(&s) => ShowAction::Speed(s),
            _ => return Err(format!("`speed` needs 0.1 to 20, not “{arg}”")),
        },
        "play" => ShowAction::Play,
        "pause" => ShowAction::Pause,
        "health" => {
            use crate::sim::soa::Health;
            let (service, health) = arg.rsplit_once(' ').unwrap_or((arg, ""));
            let health = match health {
                "up" => Health::Up,
                "slow" => Health::Slow,
                "down" => Health::Down,
                _ => {
                    return Err(format!(
                        "`health` needs a service and up, slow or down, not “{arg}”"
                    ));
                }
            };
            ShowAction::Health(service.trim().to_string(), health)
        }
        "wc-produce" if !arg.is_empty() => ShowAction::WcProduce(arg.to_string()),
        "wc-step-record" => ShowAction::WcStepRecord,
        _ => {
            return Err(format!(
                "unknown action “{part}” (use produce [acks=0|1|all] K:V, add-consumer GROUP, add-group ASSIGNOR, crash-consumer N, stop-consumer N, stop-broker N, start-broker N, rate N, speed X, play, pause, health SERVICE up|slow|down, wc-produce LINE, wc-step-record)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "title: Keys\nminutes: 5\nlearn: Keys pick partitions.\nsetup: #/playground?groups=0\n\n== First\nA topic has partitions.\n\nSecond paragraph with `code`.\ntask: Type alice:1.\npredict: Where does alice go?\nchoices: P0 | P1 | P2\nanswer: partition-of-key alice\nexplain: murmur2.\ncheck: appended key=alice count=1\nhint: Type alice:1.\nshow: produce alice:1 | play\n\n== Second\n- one\n- two\ncheck: crashed\n";

    #[test]
    fn a_small_lesson_reads() {
        let lesson = parse(SMALL).expect("parses");
        assert_eq!(lesson.title, "Keys");
        assert_eq!(lesson.minutes, 5);
        assert_eq!(lesson.steps.len(), 2);
        let first = &lesson.steps[0];
        assert_eq!(first.narration.len(), 2);
        assert_eq!(
            first.predict.as_ref().map(|p| p.answer.clone()),
            Some(Answer::PartitionOfKey("alice".into()))
        );
        assert_eq!(
            first.show,
            vec![
                ShowAction::Produce("alice:1".into(), crate::sim::client::Acks::All),
                ShowAction::Play
            ]
        );
        let acks = parse("title: T\n== One\ncheck: crashed\nshow: produce acks=1 bob:1 | produce acks=all x:y z\n")
            .expect("parses");
        assert_eq!(
            acks.steps[0].show,
            vec![
                ShowAction::Produce("bob:1".into(), crate::sim::client::Acks::One),
                ShowAction::Produce("x:y z".into(), crate::sim::client::Acks::All),
            ]
        );
        for bad in ["produce acks=2 bob:1", "produce acks=1"] {
            let errors =
                parse(&format!("title: T\n== One\ncheck: crashed\nshow: {bad}\n")).expect_err(bad);
            assert!(
                errors
                    .iter()
                    .any(|e| e.line == 4 && e.message.contains("acks")),
                "{bad}: {errors:?}"
            );
        }
        assert_eq!(lesson.steps[1].narration, vec!["- one\n- two".to_string()]);
        assert_eq!(first.task.as_deref(), Some("Type alice:1."));
        assert_eq!(lesson.steps[1].task, None);
    }

    #[test]
    fn errors_name_their_lines() {
        let bad = "title: X\nminutes: lots\nstray text\n== \ncheck: appended count=x\nshow: fly away\npredict: Q?\nchoices: a\nanswer: choice b\n";
        let errors = parse(bad).expect_err("bad");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert!(lines.contains(&2), "{errors:?}");
        assert!(lines.contains(&3), "{errors:?}");
        assert!(lines.contains(&4), "{errors:?}");
        assert!(lines.contains(&5), "{errors:?}");
        assert!(lines.contains(&6), "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("not one of the choices"))
        );
        assert!(parse("").is_err());
        assert!(parse(&"x".repeat(LESSON_BYTES_MAX + 1)).is_err());
    }

    #[test]
    fn a_view_needs_its_own_setup() {
        let step = "\n== One\nText.\ncheck: outage\n";
        let ok = parse(&format!(
            "title: T\nview: eda-vs-soa\nsetup: #/eda-vs-soa?seed=1{step}"
        ))
        .expect("EDA vs SOA with its own address");
        assert_eq!(ok.view, "eda-vs-soa");
        let errors = parse(&format!(
            "title: T\nview: wordcount\nsetup: #/playground?groups=0{step}"
        ))
        .expect_err("a Playground setup for WordCount");
        assert!(
            errors
                .iter()
                .any(|e| e.line == 3 && e.message.contains("#/wordcount")),
            "{errors:?}"
        );
        assert!(parse(&format!("title: T\nview: charts{step}")).is_err());
    }

    #[test]
    fn run_lines_are_kept_in_order_with_their_lines() {
        let lesson = parse(
            "title: T\nsetup: #/playground?groups=0\nrun: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments\nrun: kafka-topics.sh --bootstrap-server localhost:9092 --list\n== One\ncheck: crashed\n",
        )
        .expect("parses");
        assert_eq!(
            lesson.run,
            vec![
                SetupCommand {
                    line: 3,
                    command: "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments".into()
                },
                SetupCommand {
                    line: 4,
                    command: "kafka-topics.sh --bootstrap-server localhost:9092 --list".into()
                },
            ]
        );
        let errors = parse(
            "title: T\nview: wordcount\nsetup: #/wordcount\nrun: kafka-topics.sh --list\nrun:\n== One\ncheck: crashed\n",
        )
        .expect_err("run: on a view with its own world");
        assert!(
            errors
                .iter()
                .any(|e| e.line == 4 && e.message.contains("own world")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.line == 5 && e.message.contains("needs a command")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_step_names_the_playground_panels_it_needs() {
        use crate::ui::embed::Panel;
        let lesson = parse(
            "title: T\n== One\npanels: controls, groups, log\ncheck: crashed\n== Two\ncheck: crashed\n",
        )
        .expect("parses");
        let one = lesson.steps[0].panels.expect("panels");
        assert!(one.shows(Panel::Groups) && one.shows(Panel::Log) && one.shows(Panel::Controls));
        assert!(!one.shows(Panel::Lanes) && !one.shows(Panel::Producer));
        assert_eq!(
            lesson.steps[1].panels, None,
            "a step without panels: shows all"
        );
        let errors = parse("title: T\n== One\npanels: controls, charts\n").expect_err("bad name");
        assert!(
            errors
                .iter()
                .any(|e| e.line == 3 && e.message.contains("name panels from")),
            "{errors:?}"
        );
        let errors =
            parse("title: T\nview: wordcount\nsetup: #/wordcount\n== One\npanels: lanes\n")
                .expect_err("WordCount has no panels");
        assert!(
            errors
                .iter()
                .any(|e| e.line == 5 && e.message.contains("only the Playground")),
            "{errors:?}"
        );
    }

    #[test]
    fn every_shipped_lesson_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/lessons");
        let course = std::fs::read_to_string(dir.join("course.txt")).expect("course.txt");
        let ids: Vec<&str> = course
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(ids.len() >= 3, "{ids:?}");
        for id in ids {
            let text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).expect(id);
            let lesson = parse(&text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert!(
                lesson.steps.iter().all(|s| s.check.is_some()),
                "{id}: every step has a goal"
            );
            // A short frame shows only the task until "More" is opened.
            for step in &lesson.steps {
                let task = step.task.as_deref().unwrap_or_default();
                assert!(
                    !task.is_empty() && task.len() <= 110,
                    "{id}: step “{}” needs a one-line task: {task:?}",
                    step.title
                );
            }
        }
    }
}
