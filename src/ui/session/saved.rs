//! Saved sessions: the page keeps the current session in `localStorage` as it changes and
//! restores it on reload, and keeps named sessions the learner saved ("My sessions").
//!
//! What is stored is the scenario document (`sim::scenario`) with the address it was made at.
//! Reading saved data is reading input from outside: it goes through the same checked decoder
//! as a link or a file, and data that does not read is never overwritten — it is moved aside
//! under another key ([`CORRUPT_PREFIX`]) and the learner is told. Storage that is full or
//! unavailable (private mode, an iframe without storage) is reported once; the page keeps
//! working without it.
//!
//! The parsing and the choice of what to restore are plain functions, tested natively; only
//! [`Store`] touches the browser.

use serde::{Deserialize, Serialize};

use crate::sim::scenario::{ScenarioDoc, ScenarioError, decode_json};

/// The key the current session is saved under.
pub const AUTOSAVE_KEY: &str = "eda-playground.autosave.v1";
/// The key the named sessions are saved under.
pub const SESSIONS_KEY: &str = "eda-playground.sessions.v1";
/// Data that could not be read is moved to this prefix plus the key and a number.
pub const CORRUPT_PREFIX: &str = "eda-playground.unreadable.";
/// Named sessions kept at most.
pub const SESSIONS_MAX: usize = 50;
/// Longest session name, in characters.
pub const NAME_CHARS_MAX: usize = 80;

/// The current session as saved: the document and the address it was made at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosave {
    /// The view's address without a scenario payload (`#/playground?partitions=12`).
    pub address: String,
    pub doc: ScenarioDoc,
}

/// A session the learner saved by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub doc: ScenarioDoc,
}

/// Reads saved autosave text; a failure names what is wrong.
pub fn read_autosave(text: &str) -> Result<Autosave, ScenarioError> {
    #[derive(Deserialize)]
    struct Raw {
        address: String,
        doc: serde_json::Value,
    }
    let raw: Raw = serde_json::from_str(text)
        .map_err(|e| ScenarioError(format!("the saved data is not a saved session ({e})")))?;
    let doc = decode_json(&raw.doc.to_string())?;
    Ok(Autosave {
        address: raw.address,
        doc,
    })
}

/// Reads the named sessions; a failure names what is wrong.
pub fn read_sessions(text: &str) -> Result<Vec<Named>, ScenarioError> {
    #[derive(Deserialize)]
    struct Raw {
        name: String,
        doc: serde_json::Value,
    }
    let raw: Vec<Raw> = serde_json::from_str(text)
        .map_err(|e| ScenarioError(format!("the saved sessions cannot be read ({e})")))?;
    raw.into_iter()
        .take(SESSIONS_MAX)
        .map(|r| {
            let doc = decode_json(&r.doc.to_string())
                .map_err(|e| ScenarioError(format!("“{}”: {}", clip(&r.name), e.0)))?;
            Ok(Named {
                name: clip(&r.name),
                doc,
            })
        })
        .collect()
}

/// A name cut to [`NAME_CHARS_MAX`] characters, without control characters.
pub fn clip(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .take(NAME_CHARS_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Whether a page opened at `address` should restore `saved`: a reload of the same address,
/// a plain view address with no setup of its own, or another step of the lesson it was saved
/// in (a teacher's file keeps its `src=` at every step). An address that asks for a setup (a
/// teacher's link) starts that setup instead; the saved session stays in storage.
pub fn restores(address: &str, saved: &Autosave) -> bool {
    use crate::ui::lessons::lesson_of;
    let plain = |a: &str| !a.contains('?');
    address == saved.address
        || plain(address)
        || lesson_of(address).is_some_and(|l| lesson_of(&saved.address) == Some(l))
}

/// The address without its scenario payload (`s=`), as saved and as shown after a link was
/// opened.
pub fn without_payload(address: &str) -> String {
    let Some((path, query)) = address.split_once('?') else {
        return address.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("s="))
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// The scenario payload of an address (`…?s=PAYLOAD`), if it has one.
pub fn payload(address: &str) -> Option<&str> {
    let (_, query) = address.split_once('?')?;
    query.split('&').find_map(|pair| pair.strip_prefix("s="))
}

// ---------------------------------------------------------------------------------------------
// The browser's storage

/// `localStorage`, or why it cannot be used.
pub struct Store {
    #[cfg(target_arch = "wasm32")]
    storage: web_sys::Storage,
}

impl Store {
    /// The page's `localStorage`; an error says why there is none.
    #[cfg(target_arch = "wasm32")]
    pub fn open() -> Result<Self, String> {
        let storage = web_sys::window()
            .ok_or("no window")?
            .local_storage()
            .map_err(|_| "this browser blocks storage for this page".to_string())?
            .ok_or("this browser gives this page no storage")?;
        Ok(Self { storage })
    }

    /// Outside a browser there is no storage.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open() -> Result<Self, String> {
        Err("no browser storage outside the browser".to_string())
    }

    /// The text under `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        #[cfg(target_arch = "wasm32")]
        {
            self.storage.get_item(key).ok().flatten()
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = key;
            None
        }
    }

    /// Stores `value` under `key`; an error says why it could not (storage full, say).
    pub fn set(&self, key: &str, value: &str) -> Result<(), String> {
        #[cfg(target_arch = "wasm32")]
        {
            self.storage
                .set_item(key, value)
                .map_err(|_| "the browser's storage for this page is full or blocked".to_string())
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = (key, value);
            Err("no browser storage outside the browser".to_string())
        }
    }

    /// Moves what is under `key` aside to the first free [`CORRUPT_PREFIX`] key (never
    /// overwriting one); returns that key.
    pub fn move_aside(&self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        let target = (1..=20)
            .map(|n| format!("{CORRUPT_PREFIX}{key}.{n}"))
            .find(|k| self.get(k).is_none())?;
        self.set(&target, &value).ok()?;
        #[cfg(target_arch = "wasm32")]
        let _ = self.storage.remove_item(key);
        Some(target)
    }
}

/// Saves the current session; an error says why it could not.
pub fn save_autosave(store: &Store, saved: &Autosave) -> Result<(), String> {
    let text = serde_json::to_string(saved).map_err(|e| e.to_string())?;
    store.set(AUTOSAVE_KEY, &text)
}

/// The named sessions in storage (none when there are none; unreadable ones moved aside with
/// a message).
pub fn load_sessions(store: &Store) -> (Vec<Named>, Option<String>) {
    let Some(text) = store.get(SESSIONS_KEY) else {
        return (Vec::new(), None);
    };
    match read_sessions(&text) {
        Ok(list) => (list, None),
        Err(e) => {
            let aside = store.move_aside(SESSIONS_KEY).unwrap_or_default();
            (
                Vec::new(),
                Some(format!(
                    "Your saved sessions could not be read: {}. They were kept aside under “{aside}”.",
                    e.0
                )),
            )
        }
    }
}

/// Writes the named sessions.
pub fn store_sessions(store: &Store, list: &[Named]) -> Result<(), String> {
    let text = serde_json::to_string(list).map_err(|e| e.to_string())?;
    store.set(SESSIONS_KEY, &text)
}

/// Whether `doc` holds work of the learner's that its address alone would not start again:
/// a command after the setup (time 0), or a WordCount or EDA-vs-SOA world.
pub fn holds_learner_work(doc: &ScenarioDoc) -> bool {
    doc.commands.iter().any(|c| c.at_ms > 0) || doc.wordcount.is_some() || doc.compare.is_some()
}

/// Keeps `doc` first under My sessions as `name` (replacing one of that name; past
/// [`SESSIONS_MAX`] the oldest go), so that whatever replaces the learner's session never
/// destroys it. Returns the sentence that tells the learner where it is, or why it could not
/// be kept.
pub fn keep_aside(name: &str, doc: ScenarioDoc) -> String {
    let name = clip(name);
    let kept = Store::open().and_then(|store| {
        let (mut list, _) = load_sessions(&store);
        list.retain(|n| n.name != name);
        list.insert(
            0,
            Named {
                name: name.clone(),
                doc,
            },
        );
        list.truncate(SESSIONS_MAX);
        store_sessions(&store, &list)
    });
    match kept {
        Ok(()) => format!("Your previous session is kept under Share → My sessions as “{name}”."),
        Err(e) => format!("Your previous session could not be kept ({e})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::World;

    fn doc() -> ScenarioDoc {
        let mut world = World::new(1);
        world.create_topic("orders", 2, 1).expect("topic");
        ScenarioDoc::new(world.scenario())
    }

    #[test]
    fn an_autosave_round_trips_and_corrupt_ones_are_named() {
        let saved = Autosave {
            address: "#/playground".into(),
            doc: doc(),
        };
        let text = serde_json::to_string(&saved).expect("json");
        assert_eq!(read_autosave(&text), Ok(saved));
        for bad in [
            "",
            "{",
            "null",
            r##"{"address":"#/x","doc":{"version":9,"seed":1}}"##,
        ] {
            assert!(read_autosave(bad).is_err(), "{bad}");
        }
        let newer = read_autosave(r##"{"address":"#/x","doc":{"version":9,"seed":1}}"##);
        assert!(newer.expect_err("newer").0.contains("newer"));
    }

    #[test]
    fn named_sessions_are_clipped_and_checked() {
        let list = vec![Named {
            name: "x".repeat(500),
            doc: doc(),
        }];
        let text = serde_json::to_string(&list).expect("json");
        let read = read_sessions(&text).expect("read");
        assert_eq!(read[0].name.chars().count(), NAME_CHARS_MAX);
        assert!(read_sessions(r#"[{"name":"a","doc":{}}]"#).is_err());
    }

    /// Only a session holding the learner's own work is kept aside when something replaces
    /// it: a setup alone (its commands at time 0) comes back from its address.
    #[test]
    fn work_of_the_learners_is_what_is_kept_aside() {
        let setup = doc();
        assert!(setup.commands.iter().all(|c| c.at_ms == 0));
        assert!(!holds_learner_work(&setup));
        let mut later = setup.clone();
        later.commands[0].at_ms = 1_500;
        assert!(holds_learner_work(&later));
        let session = crate::ui::session::Session::new(1);
        let mut with_views = session.to_doc("playground").expect("doc");
        assert!(!holds_learner_work(&with_views));
        with_views.compare = Some(Default::default());
        assert!(holds_learner_work(&with_views));
        // Outside a browser there is no storage: said, not hidden.
        assert_eq!(
            keep_aside("Before #/playground?partitions=7", later),
            "Your previous session could not be kept (no browser storage outside the browser)."
        );
    }

    #[test]
    fn a_reload_restores_and_a_setup_link_does_not() {
        let saved = Autosave {
            address: "#/playground?partitions=6".into(),
            doc: doc(),
        };
        assert!(restores("#/playground?partitions=6", &saved));
        assert!(restores("#/console", &saved));
        assert!(restores("", &saved));
        assert!(!restores("#/playground?partitions=12", &saved));
        // Saved at step 1 of a teacher's file: its step 3 goes on with it, another file not.
        let in_lesson = Autosave {
            address: "#/lessons?src=mine.txt".into(),
            doc: doc(),
        };
        assert!(restores("#/lessons/3?src=mine.txt", &in_lesson));
        assert!(!restores("#/lessons/3?src=theirs.txt", &in_lesson));
        assert!(!restores("#/playground?partitions=12", &in_lesson));
    }

    #[test]
    fn the_payload_is_found_and_removed() {
        assert_eq!(payload("#/playground?s=abc&paused"), Some("abc"));
        assert_eq!(payload("#/playground?seed=1"), None);
        assert_eq!(
            without_payload("#/playground?s=abc&paused"),
            "#/playground?paused"
        );
        assert_eq!(without_payload("#/console?s=abc"), "#/console");
        assert_eq!(without_payload("#/console"), "#/console");
    }
}
