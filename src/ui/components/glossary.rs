//! The glossary: one sentence for each Kafka term the views put on screen, and [`Term`], which
//! shows a term as a small button that opens its sentence in a popover.
//!
//! Invariants: every entry is one sentence that holds for Apache Kafka 4.1.1 (the version the
//! page simulates) and for what the views show; every `<Term word="…">` in `src/ui` names an
//! entry (both checked by the tests below). The popover stays inside the viewport (placed from
//! the button's box when it opens), Esc or leaving the button closes it, and focus stays on (or
//! returns to) the button.

use std::cell::Cell;

use yew::prelude::*;

/// `(term, its one-sentence entry)`, in the order a learner meets them.
pub const GLOSSARY: &[(&str, &str)] = &[
    (
        "record",
        "A record is one message in Kafka: an optional key, a value, a timestamp and headers, stored at one offset of one partition.",
    ),
    (
        "key",
        "A record's key picks its partition: the default partitioner hashes it with murmur2, so records with the same key land in the same partition, in the order they were sent.",
    ),
    (
        "topic",
        "A topic is a named stream of records, split into partitions that producers write to and consumers read from.",
    ),
    (
        "partition",
        "A partition is one ordered, append-only log of a topic's records; order holds within a partition, not across them.",
    ),
    (
        "offset",
        "An offset is a record's position in its partition, counting from 0, and it never changes.",
    ),
    (
        "log-end offset",
        "The log-end offset is the offset the next record written to a partition will get: the last record's offset plus one.",
    ),
    (
        "lag",
        "Lag is how many records a consumer group has not yet read in a partition: the log-end offset minus the group's committed offset.",
    ),
    (
        "consumer group",
        "A consumer group is the set of consumers sharing one group.id; each partition of the topics it reads goes to at most one of its members at a time.",
    ),
    (
        "commit",
        "A commit stores a group's position in a partition (the offset of the next record to read) in Kafka, so a restarted or new member carries on from there.",
    ),
    (
        "rebalance",
        "A rebalance hands a group's partitions out again when a member joins, leaves, or sends no heartbeat within session.timeout.ms.",
    ),
    (
        "generation",
        "The generation numbers a group's rebalances: it goes up by one each time one completes, and Kafka refuses commits from a member of an older generation.",
    ),
    (
        "assignor",
        "The assignor is the strategy that splits a group's partitions among its members, such as range, round-robin, sticky or cooperative-sticky.",
    ),
    (
        "acks",
        "acks is the producer setting that says when a write counts as done: 0 does not wait, 1 waits for the leader, and all (Kafka 4's default) waits for every in-sync replica.",
    ),
    (
        "leader",
        "The leader is the one replica of a partition that takes its writes and, by default, serves its reads, while the other replicas copy from it.",
    ),
    (
        "ISR",
        "The ISR (in-sync replicas) is the set of a partition's replicas that have caught up with its leader; a write with acks=all waits for all of them.",
    ),
    (
        "broker",
        "A broker is one Kafka server: it stores partitions' replicas and answers producers and consumers.",
    ),
    (
        "p50/p99",
        "p50 and p99 are latency percentiles: half of the users waited at most the p50 time, and 99 in 100 at most the p99 time.",
    ),
    (
        "task",
        "A Kafka Streams task runs one sub-topology for one input partition, and its name, such as 0_1, is the sub-topology's number and the partition's.",
    ),
    (
        "state store",
        "A state store is the local table a Kafka Streams task keeps, such as the count for each word.",
    ),
    (
        "changelog",
        "A changelog topic receives every update of a Kafka Streams state store, so the store can be rebuilt from it after a restart or a move.",
    ),
    (
        "repartition topic",
        "A repartition topic is an internal topic Kafka Streams writes to when the key changes before a count or a join, so that records with the same new key reach the same task.",
    ),
];

/// The entry for `word`, if the glossary has one.
pub fn entry(word: &str) -> Option<&'static str> {
    GLOSSARY
        .iter()
        .find(|(term, _)| *term == word)
        .map(|(_, text)| *text)
}

// ---------------------------------------------------------------------------------------------
// The component

thread_local! {
    /// Numbers for popover ids (unique within the page).
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Props for [`Term`].
#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// The glossary's term (a key of [`GLOSSARY`]).
    pub word: AttrValue,
    /// The text on screen, when it differs from the term (a plural, a column heading).
    #[prop_or_default]
    pub text: Option<AttrValue>,
}

/// A Kafka term on screen: a button (dotted underline) that opens its glossary entry in a
/// popover beside it. Enter, Space or a click opens and closes it; Esc closes it.
#[component]
pub fn Term(props: &TermProps) -> Html {
    let open = use_state_eq(|| false);
    let id = use_state(|| {
        NEXT_ID.with(|n| {
            n.set(n.get().wrapping_add(1));
            format!("gloss-{}", n.get())
        })
    });
    let button = use_node_ref();
    let pop = use_node_ref();
    {
        let (button, pop) = (button.clone(), pop.clone());
        use_effect_with(*open, move |open| {
            let follow = open.then(|| {
                place(&button, &pop);
                // A scroll moves the term, not the fixed popover: place it again, so it stays
                // beside its term. Dropped (unsubscribed) when the popover closes.
                ScrollListener::start(move || place(&button, &pop))
            });
            move || {
                let _follow = follow;
            }
        });
    }
    let text = props.text.clone().unwrap_or_else(|| props.word.clone());
    let Some(definition) = entry(&props.word) else {
        // A term the glossary lacks still reads as plain text (the tests keep this from
        // happening).
        return html! { { text } };
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onkeydown = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open {
                e.prevent_default();
                e.stop_propagation();
                open.set(false);
                if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(false))
    };
    let id = (*id).clone();
    html! {
        <span class="gloss">
            <button type="button" class="gloss-word" ref={button} onclick={toggle} {onkeydown} {onblur}
                aria-expanded={open.to_string()} aria-controls={id.clone()}
                aria-describedby={open.then(|| id.clone())} data-term={props.word.clone()}
                title="What is this?">{ text }</button>
            if *open {
                <span class="gloss-pop" role="tooltip" id={id} ref={pop}>
                    <strong>{ props.word.clone() }</strong>{ " — " }{ definition }
                </span>
            }
        </span>
    }
}

/// Puts the popover below its button (above when there is no room below), kept at least
/// [`MARGIN_PX`] inside the viewport on every side. Its box is `position: fixed`, so this sets
/// `left`/`top` through the style object (the strict CSP forbids style attributes, not this).
fn place(button: &NodeRef, pop: &NodeRef) {
    let (Some(button), Some(pop)) = (
        button.cast::<web_sys::Element>(),
        pop.cast::<web_sys::HtmlElement>(),
    ) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    // The layout viewport without its scroll bars: a popover under a scroll bar is cut off.
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let (width, height) = (
        f64::from(root.client_width()),
        f64::from(root.client_height()),
    );
    let b = button.get_bounding_client_rect();
    let p = pop.get_bounding_client_rect();
    let (left, top) = popover_origin(
        (b.left(), b.top(), b.bottom()),
        (p.width(), p.height()),
        (width, height),
    );
    let style = pop.style();
    let _ = style.set_property("left", &format!("{left:.0}px"));
    let _ = style.set_property("top", &format!("{top:.0}px"));
    let _ = style.set_property("visibility", "visible");
}

/// A `scroll` subscription on the window (capturing, so scrolled panels count too); dropping it
/// unsubscribes.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct ScrollListener {
    #[cfg(target_arch = "wasm32")]
    closure: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl ScrollListener {
    #[cfg(target_arch = "wasm32")]
    fn start(on_scroll: impl FnMut() + 'static) -> Option<Self> {
        use wasm_bindgen::JsCast;
        let window = web_sys::window()?;
        let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(on_scroll);
        window
            .add_event_listener_with_callback_and_bool(
                "scroll",
                closure.as_ref().unchecked_ref(),
                true,
            )
            .ok()?;
        Some(Self { closure })
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn start(_on_scroll: impl FnMut() + 'static) -> Option<Self> {
        None
    }
}

#[cfg(target_arch = "wasm32")]
impl Drop for ScrollListener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback_and_bool(
                "scroll",
                self.closure.as_ref().unchecked_ref(),
                true,
            );
        }
    }
}

/// Space kept between a popover and the viewport's edges, in px.
pub const MARGIN_PX: f64 = 8.0;

/// Where a popover of size `pop` (w, h) goes for a button at `(left, top, bottom)` in a
/// viewport of `view` (w, h): below the button, else above it, else at the top; left-aligned
/// with the button, pulled back inside the viewport. Plain geometry, tested natively.
pub fn popover_origin(button: (f64, f64, f64), pop: (f64, f64), view: (f64, f64)) -> (f64, f64) {
    let (b_left, b_top, b_bottom) = button;
    let (w, h) = pop;
    let (vw, vh) = view;
    let left = b_left.min(vw - w - MARGIN_PX).max(MARGIN_PX);
    let below = b_bottom + 4.0;
    let above = b_top - 4.0 - h;
    let top = if below + h <= vh - MARGIN_PX {
        below
    } else if above >= MARGIN_PX {
        above
    } else {
        MARGIN_PX
    };
    (left, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms the issue asks every view to explain.
    const REQUIRED: [&str; 19] = [
        "partition",
        "offset",
        "log-end offset",
        "lag",
        "consumer group",
        "commit",
        "rebalance",
        "generation",
        "acks",
        "ISR",
        "leader",
        "assignor",
        "p50/p99",
        "task",
        "changelog",
        "repartition topic",
        "record",
        "key",
        "topic",
    ];

    #[test]
    fn every_required_term_has_an_entry() {
        for term in REQUIRED {
            assert!(entry(term).is_some(), "no glossary entry for {term:?}");
        }
    }

    #[test]
    fn terms_are_unique() {
        for (i, (a, _)) in GLOSSARY.iter().enumerate() {
            assert!(
                GLOSSARY[i + 1..].iter().all(|(b, _)| a != b),
                "{a:?} is listed twice"
            );
        }
    }

    /// One sentence: a capital (or a lower-case setting name such as acks, or p50) first, one
    /// full stop at the very end, and no other sentence ending inside it.
    #[test]
    fn every_entry_is_one_sentence() {
        for (term, text) in GLOSSARY {
            assert!(
                text.ends_with('.'),
                "{term}: {text:?} must end with a full stop"
            );
            let body = &text[..text.len() - 1];
            for end in [". ", "! ", "? ", ".\n"] {
                assert!(
                    !body.contains(end),
                    "{term}: {text:?} holds more than one sentence"
                );
            }
            assert!(!body.ends_with('.'), "{term}: {text:?}");
            assert!(
                text.len() <= 200,
                "{term}: {} characters is more than one line's worth",
                text.len()
            );
            let first = text.chars().next().unwrap_or(' ');
            assert!(
                first.is_uppercase() || term.split('/').next().is_some_and(|w| text.starts_with(w)),
                "{term}: {text:?} must start a sentence"
            );
        }
    }

    /// Every term the views wrap (`<Term word="…"`) has an entry: reads the views' sources.
    #[test]
    fn no_entry_is_missing_for_a_term_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let mut used = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)
                .expect("src/ui is readable")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("components/glossary.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("a source file is readable");
                    for (i, _) in text.match_indices("<Term word=\"") {
                        let rest = &text[i + "<Term word=\"".len()..];
                        let word = rest.split('"').next().unwrap_or_default().to_string();
                        used.push((path.display().to_string(), word));
                    }
                }
            }
        }
        assert!(
            used.len() >= 10,
            "the views wrap only {} terms: {used:?}",
            used.len()
        );
        for (file, word) in &used {
            assert!(
                entry(word).is_some(),
                "{file} wraps {word:?}, which the glossary lacks"
            );
        }
    }

    #[test]
    fn a_popover_stays_inside_the_viewport() {
        let view = (360.0, 640.0);
        let pop = (280.0, 90.0);
        // Near the right edge: pulled left.
        let (left, top) = popover_origin((330.0, 100.0, 120.0), pop, view);
        assert!(left >= MARGIN_PX && left + pop.0 <= view.0 - MARGIN_PX + 0.01);
        assert_eq!(top, 124.0);
        // Near the bottom: above the button.
        let (_, top) = popover_origin((10.0, 600.0, 620.0), pop, view);
        assert!(top + pop.1 <= 600.0 && top >= MARGIN_PX);
        // Wider than the viewport: starts at the margin.
        let (left, _) = popover_origin((100.0, 10.0, 30.0), (400.0, 40.0), view);
        assert_eq!(left, MARGIN_PX);
    }
}
