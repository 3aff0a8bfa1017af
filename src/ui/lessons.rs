//! The Lessons view: a course of guided steps over the live views.
//!
//! `#/lessons` lists the course (`static/lessons/course.txt`, each lesson a text file fetched
//! when needed, never compiled in); `#/lessons/<id>` and `#/lessons/<id>/<step>` run one;
//! `#/lessons?src=<same-origin path>` runs a teacher's own file, and `#/lessons?file=imported`
//! one opened on the course page (kept in the tab's `sessionStorage`). A lesson's `run:` lines
//! set up its session through the Console's code ([`session_for_lesson`]). A step shows its narration
//! beside the same component the view itself uses: the Playground or the Console on the page's
//! one session, or EDA vs SOA or WordCount on worlds the session keeps for lessons (fresh from
//! the lesson's setup, beside the learner's own, which #/wordcount and #/eda-vs-soa still show). Its goal is a checkpoint (`lessons/check.rs`) riding in the session's
//! trace fold (and reading those views' worlds at each refresh, for theirs); a step can
//! ask for a prediction first, compared with what the engine then did. "Show me" sends the
//! same actions a learner's clicks send. Progress (passed steps and answers) is kept in
//! `localStorage` and survives a reload; what the learner earned is never taken back by
//! scrubbing the timeline.

pub mod check;
pub mod format;

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::sim::partitioner::{murmur2, to_positive};
use crate::ui::hooks::use_media;
use crate::ui::route::current_hash;
use crate::ui::session::saved::Store;
use crate::ui::session::{Action, Session, SharedSession, format_ms};
use check::Checker;
use format::{Answer, Lesson, LineError, ShowAction, Step};

/// Where the course's files are, relative to the page.
pub const LESSONS_DIR: &str = "lessons/";
/// The key progress is saved under.
pub const PROGRESS_KEY: &str = "eda-playground.lessons.v1";
/// The key an imported lesson file is kept under, in `sessionStorage` (this tab only).
pub const IMPORTED_KEY: &str = "eda-playground.lessons.imported.v1";
/// The address an imported lesson file runs at.
pub const IMPORTED_HASH: &str = "#/lessons?file=imported";

/// What the learner has done in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Steps passed (0-based).
    pub passed: Vec<usize>,
    /// The answer committed for each step that asked.
    pub answers: BTreeMap<usize, String>,
    /// Whether that answer was the engine's, once the step passed.
    #[serde(default)]
    pub right: BTreeMap<usize, bool>,
}

/// Progress in every lesson, by id.
pub type AllProgress = BTreeMap<String, Progress>;

/// Where a lesson begun and not finished goes on: its first step not passed (0-based); `None`
/// for a lesson not begun or complete.
pub fn resume_step(progress: Option<&Progress>, steps: usize) -> Option<usize> {
    let passed = &progress?.passed;
    if passed.is_empty() {
        return None;
    }
    (0..steps).find(|i| !passed.contains(i))
}

/// The saved progress (none when there is none or it does not read).
pub fn load_progress() -> AllProgress {
    Store::open()
        .ok()
        .and_then(|s| s.get(PROGRESS_KEY))
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_progress(all: &AllProgress) {
    if let (Ok(store), Ok(text)) = (Store::open(), serde_json::to_string(all)) {
        let _ = store.set(PROGRESS_KEY, &text);
    }
}

/// What the address asks of the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    List,
    /// A lesson of the course, at a step (0-based).
    Lesson {
        id: String,
        step: usize,
    },
    /// A teacher's own file.
    Source {
        path: String,
        step: usize,
    },
    /// A teacher's file opened on the course page (kept in the tab: [`imported`]).
    Imported {
        step: usize,
    },
    /// An address that cannot be used, and why.
    Bad(String),
}

/// Reads `#/lessons…`.
pub fn page_of(hash: &str) -> Page {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let parts: Vec<&str> = path.trim_matches('/').split('/').skip(1).collect();
    let step = |s: Option<&&str>| {
        s.and_then(|s| s.parse::<usize>().ok())
            .map_or(0, |n| n.saturating_sub(1))
    };
    let params = crate::ui::route::query_params(&format!("?{query}"));
    if params.iter().any(|(k, v)| k == "file" && v == "imported") {
        return Page::Imported {
            step: step(parts.first()),
        };
    }
    let src = params.into_iter().find(|(k, _)| k == "src").map(|(_, v)| v);
    if let Some(src) = src {
        return match safe_source(&src) {
            Ok(path) => Page::Source {
                path,
                step: step(parts.first()),
            },
            Err(why) => Page::Bad(why),
        };
    }
    match parts.first() {
        None | Some(&"") => Page::List,
        Some(id) if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && id.len() <= 64 => {
            Page::Lesson {
                id: id.to_string(),
                step: step(parts.get(1)),
            }
        }
        Some(_) => Page::Bad("A lesson id is letters, digits and dashes.".to_string()),
    }
}

/// The lesson an address runs (its id, or `src:<path>` for a teacher's file), if any.
pub fn lesson_of(hash: &str) -> Option<String> {
    if crate::ui::route::Route::from_hash(hash) != crate::ui::route::Route::Lessons {
        return None;
    }
    match page_of(hash) {
        Page::Lesson { id, .. } => Some(id),
        Page::Source { path, .. } => Some(format!("src:{path}")),
        Page::Imported { .. } => imported().map(|file| imported_id(&file.name)),
        Page::List | Page::Bad(_) => None,
    }
}

/// The address of step `step` (0-based) of the lesson `hash` runs, so a reload, the browser's
/// Back or a shared link opens that step: `#/lessons/<id>/<n>` for a lesson of the course;
/// for a teacher's file (`src=`) or one opened on the course page (`file=imported`), the step
/// goes in the path: `#/lessons/<n>?src=…`. The query is kept as it was typed.
pub fn step_hash(hash: &str, step: usize) -> Option<String> {
    let n = step + 1;
    // The query as typed (`embed=1` and its panels stay with an embedded lesson too).
    let query = hash
        .split_once('?')
        .map_or(String::new(), |(_, q)| format!("?{q}"));
    match page_of(hash) {
        Page::Lesson { id, .. } => Some(format!("#/lessons/{id}/{n}{query}")),
        Page::Source { .. } | Page::Imported { .. } => Some(format!("#/lessons/{n}{query}")),
        Page::List | Page::Bad(_) => None,
    }
}

/// A teacher's file must come from this site: a relative path or one starting with `/`.
fn safe_source(src: &str) -> Result<String, String> {
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    if src.is_empty()
        || src.starts_with("//")
        || lower.contains(':')
        || src.contains('\\')
        || src.chars().any(char::is_control)
        || src.len() > 300
    {
        return Err(format!(
            "“{}” cannot be loaded: give a path on this site, such as lessons/my-lesson.txt.",
            src.chars()
                .filter(|c| !c.is_control())
                .take(80)
                .collect::<String>()
        ));
    }
    Ok(src.to_string())
}

/// A lesson file opened on the course page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedFile {
    /// The file's name (or "pasted lesson").
    pub name: String,
    pub text: String,
}

thread_local! {
    /// The imported file, when the tab's storage cannot keep it.
    static IMPORTED: std::cell::RefCell<Option<ImportedFile>> = const { std::cell::RefCell::new(None) };
}

/// The id progress of an imported file is kept under.
fn imported_id(name: &str) -> String {
    format!("file:{name}")
}

/// The tab's `sessionStorage` (kept across reloads of this tab, gone with it).
fn tab_storage() -> Option<web_sys::Storage> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()?.session_storage().ok().flatten()
    } else {
        None
    }
}

/// Keeps an imported file for this tab; returns whether a reload will still find it.
pub fn keep_imported(file: ImportedFile) -> bool {
    let kept = serde_json::to_string(&file).ok().is_some_and(|text| {
        tab_storage().is_some_and(|storage| storage.set_item(IMPORTED_KEY, &text).is_ok())
    });
    IMPORTED.with(|slot| *slot.borrow_mut() = Some(file));
    kept
}

/// The imported file: this page's, or the one the tab kept before a reload.
pub fn imported() -> Option<ImportedFile> {
    IMPORTED.with(|slot| slot.borrow().clone()).or_else(|| {
        tab_storage()
            .and_then(|storage| storage.get_item(IMPORTED_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
    })
}

/// Fetches a text file from this site.
async fn fetch_text(url: String) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|_| format!("{url} could not be fetched"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{url}: no response"))?;
    if !response.ok() {
        return Err(format!("{url}: the server answered {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| format!("{url}: no text"))?)
        .await
        .map_err(|_| format!("{url}: the text could not be read"))?;
    let text = text.as_string().unwrap_or_default();
    if text.len() > format::LESSON_BYTES_MAX {
        return Err(format!("{url} is larger than a lesson may be"));
    }
    Ok(text)
}

/// The view.
#[component]
pub fn Lessons() -> Html {
    // The shell re-renders on a change of view only: a move inside #/lessons (the course's
    // link to a lesson, "Back to the course") is followed here.
    let hash = use_state(current_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = crate::ui::app::hash_listener(move || hash.set(current_hash()));
            // The cleanup owns the listener; dropping it (when the view goes) unsubscribes.
            move || {
                let _listener = listener;
            }
        });
    }
    let page = page_of(&hash);
    match page {
        Page::List => html! { <CourseList /> },
        Page::Lesson { id, step } => {
            let url = format!("{LESSONS_DIR}{id}.txt");
            let key = id.clone();
            html! { <Runner {key} {id} {url} {step} /> }
        }
        Page::Source { path, step } => {
            let (key, id) = (path.clone(), format!("src:{path}"));
            html! { <Runner {key} {id} url={path} {step} /> }
        }
        Page::Imported { step } => {
            let name = imported().map_or_else(|| "imported".to_string(), |f| f.name);
            let (key, id) = (imported_id(&name), imported_id(&name));
            html! { <Runner {key} {id} url={name} imported=true {step} /> }
        }
        Page::Bad(why) => html! {
            <section class="lessons">
                <h2>{ "Lessons" }</h2>
                <p class="error" role="alert">{ why }</p>
                <p><a href="#/lessons">{ "See the course" }</a></p>
            </section>
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The course

#[component]
fn CourseList() -> Html {
    let lessons = use_state(|| None::<Result<Vec<(String, Result<Lesson, String>)>, String>>);
    {
        let lessons = lessons.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let result = async {
                    let course = fetch_text(format!("{LESSONS_DIR}course.txt")).await?;
                    let mut out = Vec::new();
                    for id in course
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .take(50)
                    {
                        let lesson =
                            fetch_text(format!("{LESSONS_DIR}{id}.txt"))
                                .await
                                .and_then(|text| {
                                    format::parse(&text).map_err(|errors| {
                                        format!("{} problem(s), first: {}", errors.len(), errors[0])
                                    })
                                });
                        out.push((id.to_string(), lesson));
                    }
                    Ok(out)
                }
                .await;
                lessons.set(Some(result));
            });
        });
    }
    let progress = load_progress();
    let body = match &*lessons {
        None => html! { <p class="status" role="status">{ "Loading the course…" }</p> },
        Some(Err(e)) => {
            html! { <p class="error" role="alert">{ format!("The course could not be loaded: {e}") }</p> }
        }
        Some(Ok(list)) => html! {
            <ol class="course">
                { for list.iter().map(|(id, lesson)| match lesson {
                    Ok(lesson) => {
                        let done = progress.get(id).map_or(0, |p| p.passed.len());
                        let total = lesson.steps.len();
                        html! {
                            <li key={id.clone()}>
                                <a href={format!("#/lessons/{id}")}>{ lesson.title.clone() }</a>
                                { format!(" · {} min · ", lesson.minutes) }
                                <span class="progress">{ if done >= total { "done".to_string() } else { format!("{done} of {total} steps") } }</span>
                                if let Some(n) = resume_step(progress.get(id), total) {
                                    { " · " }<a class="resume" href={format!("#/lessons/{id}/{}", n + 1)}>{ format!("Continue at step {}", n + 1) }</a>
                                }
                                <p>{ inline(&lesson.learn) }</p>
                            </li>
                        }
                    }
                    Err(e) => html! { <li key={id.clone()}>{ format!("{id}: {e}") }</li> },
                }) }
            </ol>
        },
    };
    html! {
        <section class="lessons">
            <h2>{ "Lessons" }</h2>
            <p class="purpose">{ "Short guided lessons. Each step asks you to do something in a live view (Playground, Console, EDA vs SOA or WordCount) and checks it against what the simulation actually did." }</p>
            { body }
            <OpenLessonFile />
        </section>
    }
}

/// "Open a lesson file…": a teacher's file picked, dropped or pasted runs as a `src=` file
/// runs (same errors with line numbers), kept in the tab so Back, Next and a reload find it.
#[component]
fn OpenLessonFile() -> Html {
    let reader = use_mut_ref(|| None::<gloo_file::callbacks::FileReader>);
    let problem = use_state(|| None::<String>);
    let paste_ref = use_node_ref();
    let open = {
        let problem = problem.clone();
        Rc::new(move |name: String, text: String| {
            if text.trim().is_empty() {
                problem.set(Some(format!("{name} is empty: nothing to open.")));
                return;
            }
            // Without the tab's storage it still opens; a reload then says it is gone.
            let _ = keep_imported(ImportedFile { name, text });
            push_hash(IMPORTED_HASH);
        })
    };
    let read_file = {
        let (open, reader, problem) = (open.clone(), reader.clone(), problem.clone());
        Rc::new(move |file: web_sys::File| {
            let file = gloo_file::File::from(file);
            let name = file.name();
            if file.size() > format::LESSON_BYTES_MAX as u64 {
                problem.set(Some(format!(
                    "{name} is {} bytes; a lesson is at most {} bytes.",
                    file.size(),
                    format::LESSON_BYTES_MAX
                )));
                return;
            }
            let (open, problem) = (open.clone(), problem.clone());
            let task = gloo_file::callbacks::read_as_text(&file, move |text| match text {
                Ok(text) => open(name, text),
                Err(e) => problem.set(Some(format!("{name} could not be read ({e})."))),
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let onfile = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_file(file);
            }
            input.set_value("");
        })
    };
    let ondrop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(file) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            read_file(file);
        }
    });
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let onpaste = {
        let (open, paste_ref, problem) = (open.clone(), paste_ref.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let text = paste_ref
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if text.len() > format::LESSON_BYTES_MAX {
                problem.set(Some(format!(
                    "The text is {} bytes; a lesson is at most {} bytes.",
                    text.len(),
                    format::LESSON_BYTES_MAX
                )));
                return;
            }
            open("pasted lesson".to_string(), text);
        })
    };
    html! {
        <section class="open-lesson" aria-labelledby="open-lesson-title" {ondrop} {ondragover}>
            <h3 id="open-lesson-title">{ "Your own lesson" }</h3>
            <p>{ "A lesson is a text file (see “Writing a lesson” in the README). Open one from your computer, drop it here, or paste its text. It stays in this browser tab only; nothing is sent anywhere." }</p>
            <p><label>{ "Open a lesson file… " }<input type="file" accept=".txt,text/plain" onchange={onfile} /></label></p>
            <details>
                <summary>{ "Paste a lesson" }</summary>
                <p><label for="paste-lesson">{ "The lesson's text:" }</label></p>
                <textarea id="paste-lesson" ref={paste_ref} rows="6" class="mono" />
                <p><button type="button" onclick={onpaste}>{ "Open the pasted lesson" }</button></p>
            </details>
            if let Some(problem) = &*problem {
                <p class="error" role="alert">{ problem.clone() }</p>
            }
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// One lesson

/// The frame height at or under which the narration folds to the step's task and "More".
const SHORT_FRAME: &str = "(max-height: 500px)";

#[derive(Properties, PartialEq)]
struct RunnerProps {
    id: String,
    /// Where the file is fetched from (or, for an imported file, its name).
    url: String,
    /// The file was opened on the course page: its text is [`imported`]'s.
    #[prop_or_default]
    imported: bool,
    step: usize,
}

/// The world of a view that keeps its own, as a step began.
#[derive(Clone)]
enum ViewSnapshot {
    Compare(Rc<crate::ui::compare_view::model::Model>),
    WordCount(Rc<crate::ui::wordcount::model::Model>),
}

/// The runner's own state, beside the session.
#[derive(Clone)]
struct Run {
    step: usize,
    /// Whether the step was entered (its setup made if needed, its checkpoint started).
    entered: bool,
    progress: Progress,
    hints: usize,
    /// The choice picked but not yet committed.
    picked: Option<String>,
    /// The session as the step began ("Reset this step"), in a lesson over it.
    start: Option<Rc<Session>>,
    /// EDA vs SOA's or WordCount's world as the step began.
    view_start: Option<ViewSnapshot>,
    /// When the goal held (virtual ms), this step.
    passed_at: Option<u64>,
    /// Bumped to rebuild the Playground after the session was replaced or changed here.
    generation: u64,
}

#[component]
fn Runner(props: &RunnerProps) -> Html {
    let shared = use_context::<SharedSession>();
    // The lesson, and the session its setup makes (a lesson over the page's session).
    let loaded = use_state(|| None::<Result<(Lesson, Option<Rc<Session>>), Vec<String>>>);
    let run = use_state(|| Run {
        step: props.step,
        entered: false,
        progress: load_progress().remove(&props.id).unwrap_or_default(),
        hints: 0,
        picked: None,
        start: None,
        view_start: None,
        passed_at: None,
        generation: 0,
    });
    let tick = use_state(|| 0u64);
    // The step's goal in a lesson over EDA vs SOA or WordCount (read from the lesson's world at
    // each refresh); a lesson over the session keeps it in the session's trace fold.
    let goal = use_mut_ref(|| None::<Checker>);
    let short = use_media(SHORT_FRAME);
    {
        // The address names the step: the browser's back and forward (or a link) move to
        // another step of this lesson, which then starts as Next or Back would start it.
        let run = run.clone();
        use_effect_with(props.step, move |step| {
            if run.step != *step {
                let mut next = (*run).clone();
                next.step = *step;
                next.hints = 0;
                next.picked = None;
                next.entered = false;
                run.set(next);
            }
        });
    }
    {
        let (loaded, url, from_file) = (loaded.clone(), props.url.clone(), props.imported);
        use_effect_with(url.clone(), move |_| {
            yew::platform::spawn_local(async move {
                let text = if from_file {
                    imported().map(|f| f.text).ok_or_else(|| {
                        "The imported lesson file is no longer in this page (a file is kept in this browser tab only). Open it again on the course page.".to_string()
                    })
                } else {
                    fetch_text(url).await
                };
                let result = text.map_err(|e| vec![e]).and_then(|text| prepare(&text));
                loaded.set(Some(result));
            });
        });
    }
    // Re-read the checkpoint a few times a second while the step is open.
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let interval = gloo_timers::callback::Interval::new(200, move || {
                tick.set(tick.wrapping_add(1));
            });
            move || drop(interval)
        });
    }
    let Some(shared) = shared else {
        return html! { <p>{ "The lesson runner needs the page's session." }</p> };
    };
    let lesson = match &*loaded {
        None => {
            return html! { <section class="lessons"><h2>{ "Lessons" }</h2><p class="status" role="status">{ "Loading the lesson…" }</p></section> };
        }
        Some(Err(errors)) => {
            return html! {
                <section class="lessons">
                    <h2>{ "Lessons" }</h2>
                    <div class="error" role="alert">
                        <p>{ format!("This lesson cannot be used ({}):", props.url) }</p>
                        <ul class="lesson-errors">{ for errors.iter().map(|e| html! { <li class="mono">{ e.clone() }</li> }) }</ul>
                    </div>
                    <p><a href="#/lessons">{ "See the course" }</a></p>
                </section>
            };
        }
        Some(Ok((lesson, _))) => lesson.clone(),
    };
    let setup_session = || match &*loaded {
        Some(Ok((_, Some(start)))) => (**start).clone(),
        _ => session_for_setup(&lesson.setup),
    };
    let step_index = run.step.min(lesson.steps.len().saturating_sub(1));
    let step = &lesson.steps[step_index];
    let session = shared.session(setup_session);

    // EDA vs SOA and WordCount lessons run on worlds of their own, beside the learner's: the
    // page's session (the learner's Playground) is left as it was, its goal included.
    let own_world = matches!(lesson.view.as_str(), "eda-vs-soa" | "wordcount");

    // Entering a step: the lesson's setup is made on its first step, or when what the view runs
    // on is not this lesson's (the learner's own, another lesson's: a goal left from it never
    // stands in for this lesson's setup); each step starts its checkpoint.
    if !run.entered {
        let mut next = (*run).clone();
        next.entered = true;
        next.passed_at = None;
        if own_world {
            if step_index == 0 || !shared.lesson_world_is(&props.id) {
                match lesson.view.as_str() {
                    "eda-vs-soa" => drop(shared.fresh_compare(&lesson.setup)),
                    _ => drop(shared.fresh_wordcount(&lesson.setup)),
                }
                shared.set_lesson_world(&props.id);
                next.generation += 1;
            }
            *goal.borrow_mut() = step.check.clone().map(|p| Checker::new(p, 0));
            next.start = None;
            let hash = current_hash();
            next.view_start = match lesson.view.as_str() {
                "eda-vs-soa" => shared
                    .compare(&hash)
                    .try_borrow()
                    .ok()
                    .map(|m| ViewSnapshot::Compare(Rc::new(m.clone()))),
                _ => shared
                    .wordcount(&hash)
                    .try_borrow()
                    .ok()
                    .map(|m| ViewSnapshot::WordCount(Rc::new(m.clone()))),
            };
        } else {
            let theirs = session.borrow().lesson.as_deref() != Some(props.id.as_str());
            if theirs {
                // Kept before the lesson's setup replaces it (not a lesson's own step 1 again).
                keep_learners_session(&shared, &lesson.title);
            }
            let mut s = session.borrow_mut();
            if step_index == 0 || theirs {
                let mut fresh = setup_session();
                fresh.rebuilds = s.rebuilds + 1;
                fresh.lesson = Some(props.id.clone());
                // Opened at a later step: the earlier steps are done as "Show me" does them.
                catch_up(&mut fresh, &lesson.steps[..step_index]);
                *s = fresh;
                // The view is rebuilt only when its session was replaced (a terminal keeps its
                // lines from one step to the next).
                next.generation += 1;
            }
            let now = s.timeline.now_ms();
            s.timeline.fold_mut().checker = step.check.clone().map(|p| Checker::new(p, now));
            next.start = Some(Rc::new(s.clone()));
            next.view_start = None;
        }
        run.set(next);
    }

    // EDA vs SOA and WordCount keep worlds of their own: their goals read them at each refresh.
    if let Some(checker) = goal.borrow_mut().as_mut().filter(|_| own_world) {
        let hash = current_hash();
        match lesson.view.as_str() {
            "eda-vs-soa" => {
                if let Ok(m) = shared.compare(&hash).try_borrow() {
                    checker.observe_comparison(&m.comparison);
                }
            }
            _ => {
                if let Ok(m) = shared.wordcount(&hash).try_borrow() {
                    checker.observe_wordcount(&m);
                }
            }
        }
    }
    // The goal: held now (latched by the checker), or earned before.
    let held_at = if own_world {
        goal.borrow().as_ref().and_then(|c| c.passed_at_ms)
    } else {
        session
            .borrow()
            .trace()
            .checker
            .as_ref()
            .and_then(|c| c.passed_at_ms)
    };
    let earned = run.progress.passed.contains(&step_index);
    if let Some(at) = held_at
        && (run.passed_at.is_none() || !earned)
    {
        let mut next = (*run).clone();
        next.passed_at = Some(at);
        if !next.progress.passed.contains(&step_index) {
            next.progress.passed.push(step_index);
            if let (Some(p), Some(answer)) = (
                &step.predict,
                next.progress.answers.get(&step_index).cloned(),
            ) {
                let right = right_answer(&p.answer, &session.borrow()).0 == answer;
                next.progress.right.insert(step_index, right);
            }
            let mut all = load_progress();
            all.insert(props.id.clone(), next.progress.clone());
            save_progress(&all);
            report_to_host(&props.id, &lesson, step_index, &next.progress);
        }
        run.set(next);
    }
    let passed = earned || held_at.is_some();
    let answered = run.progress.answers.get(&step_index).cloned();
    let total = lesson.steps.len();
    let complete =
        (0..total).all(|i| run.progress.passed.contains(&i) || (i == step_index && passed));

    let go = |to: usize| {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*run).clone();
            next.step = to;
            next.hints = 0;
            next.picked = None;
            next.entered = false;
            run.set(next);
            if let Some(hash) = step_hash(&current_hash(), to) {
                push_hash(&hash);
            }
        })
    };
    let show_me = {
        let (session, run, actions) = (session.clone(), run.clone(), step.show.clone());
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = session.borrow_mut();
            for action in &actions {
                perform_on(&shared, &mut s, action, &current_hash());
            }
            drop(s);
            let mut next = (*run).clone();
            next.generation += 1;
            run.set(next);
        })
    };
    let hint = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*run).clone();
            next.hints += 1;
            run.set(next);
        })
    };
    let reset = {
        let (session, run, shared) = (session.clone(), run.clone(), shared.clone());
        let (goal, check) = (goal.clone(), step.check.clone());
        Callback::from(move |_: MouseEvent| {
            if own_world {
                *goal.borrow_mut() = check.clone().map(|p| Checker::new(p, 0));
            }
            if let Some(start) = &run.start {
                let mut s = session.borrow_mut();
                let rebuilds = s.rebuilds + 1;
                *s = (**start).clone();
                s.rebuilds = rebuilds;
            }
            let hash = current_hash();
            match &run.view_start {
                Some(ViewSnapshot::Compare(m)) => {
                    if let Ok(mut now) = shared.compare(&hash).try_borrow_mut() {
                        *now = (**m).clone();
                    }
                }
                Some(ViewSnapshot::WordCount(m)) => {
                    if let Ok(mut now) = shared.wordcount(&hash).try_borrow_mut() {
                        *now = (**m).clone();
                    }
                }
                None => {}
            }
            let mut next = (*run).clone();
            next.passed_at = None;
            next.generation += 1;
            run.set(next);
        })
    };
    let see_moment = {
        let (session, run, at) = (session.clone(), run.clone(), run.passed_at);
        Callback::from(move |_: MouseEvent| {
            if let Some(at) = at {
                let mut s = session.borrow_mut();
                s.act(Action::Seek(at));
                s.playing = false;
            }
            let mut next = (*run).clone();
            next.generation += 1;
            run.set(next);
        })
    };

    let prediction = step.predict.as_ref().map(|p| {
        let pick = |choice: String| {
            let run = run.clone();
            Callback::from(move |_: Event| {
                let mut next = (*run).clone();
                next.picked = Some(choice.clone());
                run.set(next);
            })
        };
        let commit = {
            let (run, id) = (run.clone(), props.id.clone());
            Callback::from(move |_: MouseEvent| {
                let Some(choice) = run.picked.clone() else { return };
                let mut next = (*run).clone();
                next.progress.answers.insert(step_index, choice);
                let mut all = load_progress();
                all.insert(id.clone(), next.progress.clone());
                save_progress(&all);
                run.set(next);
            })
        };
        let right = right_answer(&p.answer, &session.borrow());
        html! {
            <fieldset class="predict">
                <legend>{ "Predict first: " }{ inline(&p.question) }</legend>
                { for p.choices.iter().map(|c| html! {
                    <label class="choice">
                        <input type="radio" name={format!("predict-{step_index}")} value={c.clone()}
                            checked={answered.as_ref().or(run.picked.as_ref()) == Some(c)}
                            disabled={answered.is_some()} onchange={pick(c.clone())} />
                        { format!(" {c}") }
                    </label>
                }) }
                if answered.is_none() {
                    <p><button type="button" onclick={commit} disabled={run.picked.is_none()}>{ "Commit my answer" }</button>
                    <span class="hint">{ " Then do the step and compare." }</span></p>
                }
                if let Some(answer) = &answered {
                    <p class="answered">{ format!("Your answer: {answer}.") }</p>
                }
                if let (Some(answer), true) = (&answered, passed) {
                    <div class={classes!("verdict", if *answer == right.0 { "right" } else { "wrong" })} role="status">
                        <p><strong>{ if *answer == right.0 { "Right." } else { "Not this time." } }</strong>
                           { format!(" The engine's answer: {}.", right.0) }</p>
                        if !right.1.is_empty() { <p class="mono">{ right.1.clone() }</p> }
                        if !p.explain.is_empty() { <p>{ inline(&p.explain) }</p> }
                    </div>
                }
            </fieldset>
        }
    });
    html! {
        <div class="lesson-layout">
            <section class={classes!("lessons", "narration", short.then_some("short"))} aria-label="Lesson">
                <p class="crumbs"><a href="#/lessons">{ "Lessons" }</a>{ format!(" › {}", lesson.title) }</p>
                <h2>{ lesson.title.clone() }</h2>
                <p class="step-count">{ format!("Step {} of {total}: ", step_index + 1) }<strong>{ step.title.clone() }</strong></p>
                if short {
                    // A short frame: the step's task in one line, the rest a click away, so
                    // the view is on the first screen.
                    if let Some(task) = &step.task {
                        <p class="task">{ inline(task) }</p>
                    }
                    <details class="more" key={format!("more-{step_index}")}>
                        <summary>{ "More" }</summary>
                        { for step.narration.iter().map(|para| narration(para)) }
                    </details>
                } else {
                    { for step.narration.iter().map(|para| narration(para)) }
                }
                { prediction.unwrap_or_default() }
                // "See the moment" seeks the session: a lesson over its own world has none.
                { goal_line(step, passed, run.passed_at.filter(|_| !own_world), see_moment) }
                { for step.hints.iter().take(run.hints).map(|h| html! { <p class="hint-text">{ "Hint: " }{ inline(h) }</p> }) }
                <p class="lesson-actions">
                    <button type="button" onclick={go(step_index.saturating_sub(1))} disabled={step_index == 0}>{ "Back" }</button>
                    if !step.show.is_empty() {
                        <button type="button" onclick={show_me}>{ "Show me" }</button>
                    }
                    if run.hints < step.hints.len() {
                        <button type="button" onclick={hint}>{ "Hint" }</button>
                    }
                    <button type="button" onclick={reset}>{ "Reset this step" }</button>
                    if step_index + 1 < total {
                        <button type="button" class="next" onclick={go(step_index + 1)}>{ "Next" }</button>
                    }
                </p>
                if complete {
                    <p class="complete" role="status"><strong>{ "Lesson complete." }</strong>{ " " }<a href="#/lessons">{ "Back to the course" }</a></p>
                }
            </section>
            <div class="lesson-view">
                if lesson.view == "console" {
                    <crate::ui::console_view::ConsoleView key={run.generation} />
                } else if lesson.view == "eda-vs-soa" {
                    <crate::ui::compare_view::EdaVsSoa key={run.generation} />
                } else if lesson.view == "wordcount" {
                    <crate::ui::wordcount::WordCount key={run.generation} />
                } else {
                    <crate::ui::playground::Playground key={run.generation} panels={step.panels} />
                }
            </div>
        </div>
    }
}

/// Reads a lesson file and, for a lesson over the page's session, makes its setup (its
/// `run:` commands included): every problem as a line-numbered message.
fn prepare(text: &str) -> Result<(Lesson, Option<Rc<Session>>), Vec<String>> {
    let to_strings = |errors: Vec<LineError>| -> Vec<String> {
        errors.iter().map(LineError::to_string).collect()
    };
    let lesson = format::parse(text).map_err(to_strings)?;
    if matches!(lesson.view.as_str(), "eda-vs-soa" | "wordcount") {
        return Ok((lesson, None));
    }
    let session = session_for_lesson(&lesson).map_err(to_strings)?;
    Ok((lesson, Some(Rc::new(session))))
}

/// The session a lesson's setup describes: a Playground address, or a share link's scenario.
pub fn session_for_setup(setup: &str) -> Session {
    match crate::ui::session::saved::payload(setup) {
        Some(payload) => crate::sim::scenario::decode_link(payload)
            .and_then(|doc| Session::from_doc(&doc))
            .unwrap_or_else(|e| {
                let mut session = Session::new(42);
                session.error = Some(format!("The lesson's setup does not open: {}", e.0));
                session
            }),
        None => Session::from_hash(setup),
    }
}

/// The session a lesson starts on: its setup address, then its `run:` commands, each typed
/// into a console on that session (the Console view's code: what they do joins the session's
/// timeline, as a terminal's commands do). The Playground shows the first topic they created.
/// A command that fails, or waits for more input, is an error naming its line and what the
/// console printed; then no session is given, never one half set up.
pub fn session_for_lesson(lesson: &Lesson) -> Result<Session, Vec<LineError>> {
    use crate::console::{Console, Mode};
    let mut session = session_for_setup(&lesson.setup);
    // A script's line runs until nothing is in flight, which a steady load never allows: the
    // setup's auto-produce waits until the lines have run (else each line would take the
    // console's longest wait, minutes of virtual time, with records piling up meanwhile).
    let auto_rate = session.auto_rate();
    if auto_rate > 0 && !lesson.run.is_empty() {
        session.act(Action::SetAutoRate(0));
    }
    let mut console = Console::new(Mode::Script);
    let mut created = None;
    for run in &lesson.run {
        let before: Vec<String> = session
            .world()
            .topics()
            .map(|t| t.name.to_string())
            .collect();
        let out = session
            .timeline
            .drive(|world| console.run_line(world, &run.command));
        let problem = if console.prompt() != "$ " {
            let _ = session.timeline.drive(|world| console.interrupt(world));
            Some("it waits for more input; a run: line is one whole command (give a producer its records with <<< 'key:value')".to_string())
        } else if console.last_status() != 0 {
            // The first line it printed, as the terminal shows it (kafka-topics.sh prints
            // "Error while executing topic command : …", then logs the exception).
            let printed: String = out.chunks().into_iter().map(|(_, text)| text).collect();
            let printed = printed
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("");
            Some(if printed.is_empty() {
                format!("it exited with status {}", console.last_status())
            } else {
                printed.to_string()
            })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(vec![LineError {
                line: run.line,
                message: format!("run: `{}` failed: {problem}", run.command),
            }]);
        }
        if created.is_none() {
            created = session
                .world()
                .topics()
                .find(|t| !t.internal && !before.iter().any(|b| **b == *t.name))
                .map(|t| t.name.to_string());
        }
    }
    if let Some(topic) = created {
        session.act(Action::ShowTopic(topic));
    }
    if auto_rate > 0 && !lesson.run.is_empty() {
        session.act(Action::SetAutoRate(auto_rate));
    }
    Ok(session)
}

/// A lesson file to start from: the page's moment as its setup, one step to fill in.
pub fn lesson_skeleton(setup: &str) -> String {
    format!(
        "title: My lesson\nminutes: 5\nlearn: What the learner will know afterwards, in one sentence.\nsetup: {setup}\n\n== First step\nSay what is on screen, then what to do.\ncheck: appended count=1\nhint: One hint at a time.\nshow: produce key:value\n"
    )
}

/// The step's goal, and whether it was reached.
fn goal_line(step: &Step, passed: bool, at: Option<u64>, see: Callback<MouseEvent>) -> Html {
    if step.check.is_none() {
        return html! {};
    }
    if passed {
        html! {
            <p class="goal passed" role="status">
                { "✓ Step passed" }
                if let Some(at) = at {
                    { format!(" at t = {}. ", format_ms(at)) }
                    <button type="button" onclick={see}>{ "See the moment" }</button>
                }
            </p>
        }
    } else {
        html! { <p class="goal" role="status">{ "○ Waiting for you to do it…" }</p> }
    }
}

/// A paragraph of narration: text only (never HTML), `code` and **bold** marked, "- " lists.
fn narration(para: &str) -> Html {
    if para.lines().all(|l| l.starts_with("- ")) {
        return html! { <ul>{ for para.lines().map(|l| html! { <li>{ inline(&l[2..]) }</li> }) }</ul> };
    }
    html! { <p>{ inline(para) }</p> }
}

/// `code` and **bold** spans as elements; everything else as text (an unclosed mark is text).
fn inline(text: &str) -> Html {
    const MARKS: [&str; 2] = ["`", "**"];
    let mut out: Vec<Html> = Vec::new();
    let mut rest = text;
    loop {
        let next = MARKS
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .min_by_key(|(at, _)| *at);
        let Some((at, mark)) = next else { break };
        let after = &rest[at + mark.len()..];
        let Some(end) = after.find(mark) else { break };
        out.push(html! { { rest[..at].to_string() } });
        let inner = after[..end].to_string();
        out.push(if mark == "`" {
            html! { <code>{ inner }</code> }
        } else {
            html! { <strong>{ inner }</strong> }
        });
        rest = &after[end + mark.len()..];
    }
    out.push(html! { { rest.to_string() } });
    html! { <>{ for out }</> }
}

/// The right answer and, for a key's partition, the arithmetic that gives it.
fn right_answer(answer: &Answer, session: &Session) -> (String, String) {
    match answer {
        Answer::Choice(c) => (c.clone(), String::new()),
        Answer::PartitionOfKey(key) => {
            let partitions = session
                .world()
                .topic(&session.trace().topic)
                .map_or(1, |t| t.partition_count().max(1));
            let hash = murmur2(key.as_bytes());
            let positive = to_positive(hash);
            let p = positive % partitions as i32;
            (
                format!("P{p}"),
                format!(
                    "murmur2(\"{key}\") = {hash}; toPositive = {positive}; {positive} mod {partitions} = {p}"
                ),
            )
        }
    }
}

/// Does one "Show me" action through the actions a click on the lesson's view sends: the
/// session's, or EDA vs SOA's and WordCount's for theirs.
/// `hash` is the page's address (a lesson's, so the views keep their models).
fn perform_on(shared: &SharedSession, session: &mut Session, action: &ShowAction, hash: &str) {
    match action {
        ShowAction::Health(service, health) => {
            let model = shared.compare(hash);
            if let Ok(mut m) = model.try_borrow_mut() {
                m.act(crate::ui::compare_view::model::Action::SetHealth {
                    service: service.clone(),
                    health: *health,
                });
            }
        }
        ShowAction::WcProduce(line) => {
            if let Ok(mut m) = shared.wordcount(hash).try_borrow_mut() {
                m.act(crate::ui::wordcount::model::Action::Produce(line.clone()));
            }
        }
        ShowAction::WcStepRecord => {
            if let Ok(mut m) = shared.wordcount(hash).try_borrow_mut() {
                m.act(crate::ui::wordcount::model::Action::StepRecord);
            }
        }
        other => perform(session, other),
    }
}

/// Does one "Show me" action through the session's own actions (Play and Pause set the
/// clock rather than toggle it).
fn perform(session: &mut Session, action: &ShowAction) {
    let action = match action {
        ShowAction::Health(..) | ShowAction::WcProduce(_) | ShowAction::WcStepRecord => return,
        ShowAction::Play => return session.playing = true,
        ShowAction::Pause => return session.playing = false,
        ShowAction::Produce(text, acks) => Action::Produce {
            text: text.clone(),
            partition: None,
            acks: *acks,
        },
        ShowAction::AddConsumer(group) => Action::AddConsumer {
            group: group.clone(),
        },
        ShowAction::AddGroup(assignor) => Action::AddGroup {
            assignor: *assignor,
        },
        ShowAction::CrashConsumer(id) => Action::CrashConsumer(*id),
        ShowAction::StopConsumer(id) => Action::StopConsumer(*id),
        ShowAction::StopBroker(id) => Action::StopBroker(*id),
        ShowAction::StartBroker(id) => Action::StartBroker(*id),
        ShowAction::Rate(rate) => Action::SetAutoRate(*rate),
        ShowAction::Speed(speed) => Action::SetSpeed(*speed),
    };
    session.act(action);
}

/// The longest a caught-up step may take, in virtual time (see [`catch_up`]).
const CATCH_UP_MS: u64 = 300_000;

/// Does what the learner would have done in `steps` (a lesson opened at a later step, from a
/// link or a reload over another session): each step's "Show me", then virtual time until its
/// goal holds, so the page shows what the narration of the step opened says. Returns how many
/// steps passed; it stops at a step without "Show me" or whose goal does not come.
pub fn catch_up(session: &mut Session, steps: &[Step]) -> usize {
    for (n, step) in steps.iter().enumerate() {
        if step.show.is_empty() {
            return n;
        }
        let now = session.timeline.now_ms();
        session.timeline.fold_mut().checker = step.check.clone().map(|p| Checker::new(p, now));
        for (k, action) in step.show.iter().enumerate() {
            if k > 0 {
                // A second apart, as a learner's clicks are: what was in flight lands first
                // (turning Auto-produce off, then stopping a broker, refuses no record).
                session.run(1_000);
            }
            perform(session, action);
        }
        let passed = |s: &Session| s.trace().checker.as_ref().is_none_or(Checker::passed);
        let mut waited = 0;
        while !passed(session) && waited < CATCH_UP_MS {
            session.run(500);
            waited += 500;
        }
        if !passed(session) {
            return n;
        }
    }
    steps.len()
}

/// In an embed, tells the course page (the message API of `ui::embed`) that a step passed,
/// with the prediction if it asked one, and that the lesson is complete once every step is,
/// with its score: the share of predictions answered right.
fn report_to_host(id: &str, lesson: &Lesson, step: usize, progress: &Progress) {
    use serde_json::json;
    let answer = progress.answers.get(&step);
    crate::ui::embed::post(
        "checkpoint",
        json!({ "lesson": id, "step": step + 1, "title": lesson.steps[step].title, "passed": true,
                "answer": answer, "correct": progress.right.get(&step) }),
    );
    if (0..lesson.steps.len()).all(|i| progress.passed.contains(&i)) {
        let asked = lesson.steps.iter().filter(|s| s.predict.is_some()).count();
        let right = progress.right.values().filter(|r| **r).count();
        let score = if asked == 0 {
            1.0
        } else {
            right as f64 / asked as f64
        };
        crate::ui::embed::post(
            "completed",
            json!({ "lesson": id, "title": lesson.title, "steps": lesson.steps.len(), "score": score }),
        );
    }
}

/// Keeps the learner's current session under My sessions before a lesson replaces it.
fn keep_learners_session(shared: &SharedSession, title: &str) {
    use crate::ui::session::saved::holds_learner_work;
    if let Some(doc) = shared.to_doc("playground").filter(holds_learner_work) {
        crate::ui::session::saved::keep_aside(&format!("Before the lesson “{title}”"), doc);
    }
}

/// Goes to `hash` as a link would: a new history entry, so the browser's back button returns
/// to the step before (the `hashchange` reaches the runner as its `step`).
fn push_hash(hash: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location())
        && location.hash().ok().as_deref() != Some(hash)
    {
        let _ = location.set_hash(hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_the_page() {
        assert_eq!(page_of("#/lessons"), Page::List);
        assert_eq!(
            page_of("#/lessons/keys-and-partitions/2"),
            Page::Lesson {
                id: "keys-and-partitions".into(),
                step: 1
            }
        );
        assert_eq!(
            page_of("#/lessons?src=my/lesson.txt"),
            Page::Source {
                path: "my/lesson.txt".into(),
                step: 0
            }
        );
        assert_eq!(page_of(IMPORTED_HASH), Page::Imported { step: 0 });
        assert_eq!(
            page_of("#/lessons/2?file=imported"),
            Page::Imported { step: 1 }
        );
        for bad in [
            "#/lessons?src=https://evil.example/x.txt",
            "#/lessons?src=//evil.example/x.txt",
            "#/lessons?src=javascript:alert(1)",
            "#/lessons/<script>",
        ] {
            assert!(matches!(page_of(bad), Page::Bad(_)), "{bad}");
        }
    }

    #[test]
    fn a_lesson_begun_goes_on_at_its_first_step_not_passed() {
        let progress = |passed: &[usize]| Progress {
            passed: passed.to_vec(),
            ..Progress::default()
        };
        assert_eq!(resume_step(None, 4), None, "not begun");
        assert_eq!(resume_step(Some(&progress(&[])), 4), None, "not begun");
        assert_eq!(resume_step(Some(&progress(&[0, 1])), 4), Some(2));
        assert_eq!(
            resume_step(Some(&progress(&[1, 0, 3])), 4),
            Some(2),
            "a gap"
        );
        assert_eq!(resume_step(Some(&progress(&[0, 1, 2, 3])), 4), None, "done");
    }

    /// Every kind of lesson keeps its step in the address: the course's in the path after its
    /// id, a teacher's file and an imported one in the path before their query, which is kept
    /// as typed (an escaped path stays escaped and reads back the same).
    #[test]
    fn the_step_is_kept_in_every_lessons_address() {
        assert_eq!(
            step_hash("#/lessons/replication", 2).as_deref(),
            Some("#/lessons/replication/3")
        );
        assert_eq!(
            step_hash("#/lessons/replication/5", 0).as_deref(),
            Some("#/lessons/replication/1")
        );
        let src = "#/lessons?src=my%20lessons/a%26b.txt";
        let second = step_hash(src, 1).expect("a src= lesson");
        assert_eq!(second, "#/lessons/2?src=my%20lessons/a%26b.txt");
        assert_eq!(
            page_of(&second),
            Page::Source {
                path: "my lessons/a&b.txt".into(),
                step: 1
            }
        );
        let back = step_hash(&second, 0).expect("back to the first");
        assert_eq!(
            page_of(&back),
            Page::Source {
                path: "my lessons/a&b.txt".into(),
                step: 0
            }
        );
        let third = step_hash(IMPORTED_HASH, 2).expect("an imported lesson");
        assert_eq!(third, "#/lessons/3?file=imported");
        assert_eq!(page_of(&third), Page::Imported { step: 2 });
        assert_eq!(
            step_hash("#/lessons/replication/1?embed=1", 1).as_deref(),
            Some("#/lessons/replication/2?embed=1"),
            "an embedded lesson stays embedded"
        );
        assert_eq!(step_hash("#/lessons", 1), None);
        assert_eq!(step_hash("#/lessons?src=https://evil.example/x", 1), None);
    }

    /// Without the tab's storage (here: outside a browser) an imported file is still kept in
    /// the page, and the runner's address finds it by its name.
    #[test]
    fn an_imported_file_is_kept_in_the_page() {
        let file = ImportedFile {
            name: "mine.txt".into(),
            text: "title: Mine\n== One\ncheck: crashed\n".into(),
        };
        assert!(!keep_imported(file.clone()), "no tab storage natively");
        assert_eq!(imported(), Some(file));
        assert_eq!(lesson_of(IMPORTED_HASH), Some("file:mine.txt".into()));
    }

    #[test]
    fn a_skeleton_from_this_moment_reads_and_opens_the_same_session() {
        let shared = SharedSession::default();
        shared.session(|| Session::new(9));
        let doc =
            crate::ui::components::share::shared_doc(&shared, crate::ui::route::Route::Playground)
                .expect("doc");
        let setup = format!("#/playground?s={}", crate::sim::scenario::encode_link(&doc));
        let lesson = format::parse(&lesson_skeleton(&setup)).expect("the skeleton reads");
        let session = session_for_setup(&lesson.setup);
        assert_eq!(session.seed(), 9);
        assert!(session.error.is_none());
    }

    /// `run:` lines go through the Console's code on the lesson's session: the topic and the
    /// record they make are there when the lesson starts, the Playground shows that topic,
    /// and a command the console refuses names its line and the console's error.
    #[test]
    fn run_lines_set_up_the_session_through_the_console() {
        let text = "title: Payments\nsetup: #/playground?groups=0\nrun: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments --partitions 2\nrun: kafka-console-producer.sh --bootstrap-server localhost:9092 --topic payments --property parse.key=true --property key.separator=: <<< 'alice:1'\n== One\ncheck: appended topic=payments count=1\n";
        let lesson = format::parse(text).expect("parses");
        let session = session_for_lesson(&lesson).expect("sets up");
        let topic = session
            .world()
            .topic("payments")
            .expect("payments was created");
        assert_eq!(topic.partition_count(), 2);
        let records: u64 = topic.partitions.iter().map(|p| p.high_watermark).sum();
        assert_eq!(records, 1, "the producer's record was appended");
        assert_eq!(session.trace().topic, "payments", "the Playground shows it");

        // `kafka-topics.sh --create` of a topic that exists: Kafka's TopicExistsException text.
        let again = text.replace("run: kafka-console", "run: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments\nrun: kafka-console");
        let errors = session_for_lesson(&format::parse(&again).expect("parses"))
            .expect_err("the second create fails");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(
            errors[0].message.ends_with(
                "failed: Error while executing topic command : Topic 'payments' already exists."
            ),
            "{errors:?}"
        );
        let waits = text.replace(" <<< 'alice:1'", "");
        let errors = session_for_lesson(&format::parse(&waits).expect("parses"))
            .expect_err("a producer without input waits");
        assert!(
            errors[0].line == 4 && errors[0].message.contains("waits for more input"),
            "{errors:?}"
        );
    }

    /// What the assignors lesson says of the four assignors is what the engine does, through
    /// the lesson's own actions (Add group, Add consumer): with two members range gives the
    /// first orders-0 and orders-1, the three others orders-0 and orders-2; with a third member
    /// all four end with one partition each, the third owning orders-2; the eager ones (range,
    /// roundrobin, sticky) revoke all 3 partitions on the way, cooperative-sticky only 1.
    #[test]
    fn the_four_assignors_do_what_the_lesson_says() {
        use crate::sim::assignor::AssignorKind;
        let owned = |s: &Session| -> Vec<Vec<u32>> {
            let group = s.world().group("billing").expect("billing");
            group
                .members
                .iter()
                .map(|(_, m)| {
                    let consumer = s.world().consumer(m.consumer).expect("consumer");
                    consumer.assignment.iter().map(|(_, p)| *p).collect()
                })
                .collect()
        };
        for (assignor, two, revoked) in [
            (AssignorKind::Range, vec![vec![0, 1], vec![2]], 3),
            (AssignorKind::RoundRobin, vec![vec![0, 2], vec![1]], 3),
            (AssignorKind::Sticky, vec![vec![0, 2], vec![1]], 3),
            (
                AssignorKind::CooperativeSticky,
                vec![vec![0, 2], vec![1]],
                1,
            ),
        ] {
            let mut s = session_for_setup("#/playground?groups=0");
            perform(&mut s, &ShowAction::AddGroup(assignor));
            s.run(10_000);
            assert_eq!(owned(&s), two, "{assignor:?}, two members");
            let now = s.timeline.now_ms();
            s.timeline.fold_mut().checker = Some(Checker::new(
                check::Predicate::parse("revoked group=billing min=1").expect("predicate"),
                now,
            ));
            perform(&mut s, &ShowAction::AddConsumer("billing".into()));
            s.run(20_000);
            assert_eq!(
                owned(&s),
                vec![vec![0], vec![1], vec![2]],
                "{assignor:?}, three members"
            );
            let total = s.trace().checker.as_ref().map(|c| c.total);
            assert_eq!(total, Some(revoked), "{assignor:?}: partitions given up");
        }
    }

    /// What the replication lesson says is what the engine does, step by step through its
    /// own "Show me" actions: its `run:` line sets `min.insync.replicas=2` on `orders`; with
    /// brokers 1 and 2 stopped every ISR is `[3]`; grace:1 with acks=all is refused with Kafka
    /// 4.1.1's `NotEnoughReplicasException` and its text (`Errors.NOT_ENOUGH_REPLICAS`),
    /// retriable, and not appended; heidi:1 with acks=1 is appended; broker 2 back, each ISR
    /// has two replicas.
    /// A lesson opened at its fourth step over another session (a link to
    /// `#/lessons/replication/4`) shows what that step's narration says: brokers 1 and 2
    /// stopped and every ISR down to one replica, as the first three steps' "Show me" left it
    /// (before, only the setup was made: three brokers running).
    #[test]
    fn a_lesson_opened_at_a_later_step_catches_up_on_the_steps_before() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/lessons");
        let text = std::fs::read_to_string(dir.join("replication.txt")).expect("lesson");
        let lesson = format::parse(&text).expect("parses");
        let mut s = session_for_lesson(&lesson).expect("sets up");
        let running = |s: &Session| -> Vec<u32> {
            let mut ids: Vec<u32> = s
                .world()
                .brokers()
                .into_iter()
                .filter(|b| b.running)
                .map(|b| b.id)
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(running(&s), vec![1, 2, 3]);
        assert_eq!(catch_up(&mut s, &lesson.steps[..3]), 3);
        assert_eq!(running(&s), vec![3]);
        let topic = s.world().topic("orders").expect("orders");
        assert!(
            topic.partitions.iter().all(|p| p.isr == vec![3]),
            "{:?}",
            topic.partitions.iter().map(|p| &p.isr).collect::<Vec<_>>()
        );
        s.run(10_000);
        // No record was refused for want of in-sync replicas before the learner's own: the
        // step's prediction is not answered in the event log already (step 2's leader change
        // does refuse records in flight, with NotLeaderOrFollower, as Kafka does).
        let not_enough: Vec<_> = s
            .world()
            .recent_events()
            .iter()
            .filter(|e| {
                matches!(&e.kind, crate::sim::TraceKind::ProduceFailed { error, .. }
                    if error.contains("NotEnoughReplicas"))
            })
            .cloned()
            .collect();
        assert!(not_enough.is_empty(), "{not_enough:?}");
        // A step without "Show me" stops the catching up there.
        let mut bare = lesson.steps.clone();
        bare[1].show.clear();
        let mut s = session_for_lesson(&lesson).expect("sets up");
        assert_eq!(catch_up(&mut s, &bare[..3]), 1);
    }

    #[test]
    fn the_replication_lesson_says_what_the_engine_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/lessons");
        let text = std::fs::read_to_string(dir.join("replication.txt")).expect("lesson");
        let lesson = format::parse(&text).expect("parses");
        let mut s = session_for_lesson(&lesson).expect("sets up");
        let min_isr = |s: &Session| {
            s.world()
                .topic("orders")
                .map(|t| t.config.min_insync_replicas)
        };
        assert_eq!(min_isr(&s), Some(2));
        // The run: line waits for nothing in flight, not for the setup's steady load.
        assert!(s.world().now_ms() < 10_000, "{} ms", s.world().now_ms());
        assert_eq!(
            s.auto_rate(),
            5,
            "the setup's load runs when the lesson starts"
        );
        let isrs = |s: &Session| -> Vec<Vec<u32>> {
            let topic = s.world().topic("orders").expect("orders");
            topic.partitions.iter().map(|p| p.isr.clone()).collect()
        };
        let step = |s: &mut Session, n: usize| -> Vec<crate::sim::TraceEvent> {
            let before = s.world().now_ms();
            for action in &lesson.steps[n].show {
                perform(s, action);
            }
            s.playing = true;
            s.run(3_000);
            s.world()
                .recent_events()
                .iter()
                .filter(|e| e.at_ms >= before)
                .cloned()
                .collect()
        };
        step(&mut s, 0);
        step(&mut s, 1);
        step(&mut s, 2);
        assert_eq!(isrs(&s), vec![vec![3]; 3], "brokers 1 and 2 stopped");
        assert_eq!(s.auto_rate(), 0, "Auto-produce is off");
        let events = step(&mut s, 3);
        let failed: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.kind {
                crate::sim::TraceKind::ProduceFailed {
                    error,
                    retriable,
                    keys,
                    ..
                } if keys.iter().flatten().any(|k| k[..] == *b"grace") => {
                    Some((error.clone(), *retriable))
                }
                _ => None,
            })
            .collect();
        assert!(!failed.is_empty(), "grace:1 is refused");
        assert!(
            failed.iter().all(|(error, retriable)| *retriable
                && error
                    == "org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required."),
            "{failed:?}"
        );
        let appended = |events: &[crate::sim::TraceEvent], key: &str| {
            events.iter().any(|e| {
                matches!(&e.kind, crate::sim::TraceKind::RecordAppended { key: Some(k), .. } if k[..] == *key.as_bytes())
            })
        };
        assert!(!appended(&events, "grace"), "grace:1 is not appended");
        let events = step(&mut s, 4);
        assert!(appended(&events, "heidi"), "acks=1: heidi:1 is appended");
        let events = step(&mut s, 5);
        assert!(isrs(&s).iter().all(|isr| isr.len() == 2), "{:?}", isrs(&s));
        assert!(
            appended(&events, "grace"),
            "the producer's retry of grace:1 is accepted now"
        );
    }

    #[test]
    fn the_readme_example_reads() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("### Writing a lesson")
            .nth(1)
            .expect("section");
        let text = section
            .split("```text")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("example");
        let lesson = format::parse(text).expect("the README's lesson reads");
        assert_eq!(lesson.steps.len(), 2);
    }

    #[test]
    fn the_right_partition_is_murmur2s() {
        let session = Session::new(1);
        let (p, why) = right_answer(&Answer::PartitionOfKey("alice".into()), &session);
        let expected = crate::sim::partitioner::partition_for_key(b"alice", 3);
        assert_eq!(p, format!("P{expected}"));
        assert!(why.contains("mod 3"), "{why}");
    }

    /// A lesson over EDA vs SOA or WordCount: its setup opens the view's own world without an
    /// error, and "Show me" with time running passes each step.
    fn view_lesson_passes_with_show_me(id: &str, lesson: &Lesson) {
        use crate::ui::compare_view::model::{Action as C, Model as CompareModel};
        use crate::ui::wordcount::model::Model as WordCountModel;
        let shared = SharedSession::default();
        let mut session = Session::new(1);
        let compare = (lesson.view == "eda-vs-soa").then(|| shared.fresh_compare(&lesson.setup));
        let wordcount = (lesson.view == "wordcount").then(|| shared.fresh_wordcount(&lesson.setup));
        if let Some(m) = &compare {
            let m: &CompareModel = &m.borrow();
            assert!(m.error.is_none(), "{id}: {:?}", m.error);
        }
        if let Some(m) = &wordcount {
            let m: &WordCountModel = &m.borrow();
            assert!(m.error.is_none(), "{id}: {:?}", m.error);
        }
        for (n, step) in lesson.steps.iter().enumerate() {
            let Some(predicate) = step.check.clone() else {
                continue;
            };
            let mut checker = Checker::new(predicate, 0);
            for action in &step.show {
                perform_on(&shared, &mut session, action, &format!("#/lessons/{id}"));
            }
            for _ in 0..2_000 {
                if let Some(m) = &compare {
                    checker.observe_comparison(&m.borrow().comparison);
                    m.borrow_mut().act(C::Frame { wall_ms: 100.0 });
                }
                if let Some(m) = &wordcount {
                    checker.observe_wordcount(&m.borrow());
                }
                // WordCount moves only when stepped: Show me alone must get there.
                if checker.passed() || wordcount.is_some() {
                    break;
                }
            }
            assert!(
                checker.passed(),
                "{id}: step {} ({}) does not pass with Show me",
                n + 1,
                step.title
            );
        }
    }

    /// Every lesson of the course reads, its setup opens without an error, and where every
    /// step has "Show me", pressing it (and letting virtual time run) passes the step.
    #[test]
    fn every_shipped_lesson_sets_up_and_show_me_passes_its_steps() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/lessons");
        let course = std::fs::read_to_string(dir.join("course.txt")).expect("course.txt");
        for id in course
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).expect(id);
            let lesson = format::parse(&text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            if lesson.view == "eda-vs-soa" || lesson.view == "wordcount" {
                view_lesson_passes_with_show_me(id, &lesson);
                continue;
            }
            let mut session = session_for_lesson(&lesson).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert!(session.error.is_none(), "{id}: {:?}", session.error);
            assert!(session.world().topics().next().is_some(), "{id}: a world");
            if lesson.steps.iter().any(|s| s.show.is_empty()) {
                continue;
            }
            let passed = catch_up(&mut session, &lesson.steps);
            assert_eq!(
                passed,
                lesson.steps.len(),
                "{id}: step {} ({}) does not pass with Show me",
                passed + 1,
                lesson.steps[passed.min(lesson.steps.len() - 1)].title
            );
        }
    }
}
