//! The Share dialog's "Export for a real cluster": `session.sh` (the Kafka CLI commands that
//! rebuild the session), `compose.yaml` (a KRaft cluster with the session's brokers) and
//! `java-project.sh` (the session's clients as a Maven project) as downloads, made by `sim::export` when the learner asks (exporting replays the session, so
//! it is not done on every frame the dialog is open).
//!
//! The files belong to the session as it was when they were made: once the session moves on,
//! the links go and the button makes them again.

use yew::prelude::*;

use crate::sim::export::{self, Format, KAFKA_RELEASE};
use crate::sim::scenario::ScenarioDoc;
use crate::ui::components::data_url;

/// Props for [`ExportFiles`].
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The session as the dialog shares it (`None`: too long to replay, so nothing to export).
    pub doc: Option<ScenarioDoc>,
}

/// Files made for one document: each file's name and its `data:` URL, or why none could be.
#[derive(Clone, PartialEq)]
struct Made {
    doc: ScenarioDoc,
    files: Result<Vec<(&'static str, String)>, String>,
}

/// Makes every export format of `doc` (the first failure names what is wrong).
fn make(doc: &ScenarioDoc) -> Result<Vec<(&'static str, String)>, String> {
    Format::ALL
        .into_iter()
        .map(|format| {
            let mime = match format {
                Format::SessionSh => "text/x-shellscript",
                Format::ComposeYaml => "application/yaml",
                Format::JavaProject => "text/x-shellscript",
            };
            export::export(doc, format)
                .map(|text| (format.file_name(), data_url(mime, &text)))
                .map_err(|e| e.0)
        })
        .collect()
}

/// "Export for a real cluster": a button that makes the files, then a download link for each.
#[component]
pub fn ExportFiles(props: &ExportProps) -> Html {
    let made = use_state(|| None::<Made>);
    let Some(doc) = props.doc.clone() else {
        return html! {};
    };
    let onclick = {
        let (made, doc) = (made.clone(), doc.clone());
        Callback::from(move |_: MouseEvent| {
            let files = make(&doc);
            made.set(Some(Made {
                doc: doc.clone(),
                files,
            }));
        })
    };
    let current = made.as_ref().filter(|m| m.doc == doc);
    html! {
        <>
        <h3>{ "Export for a real cluster" }</h3>
        <p>{ format!("Kafka CLI commands that rebuild this session (topics, records, committed offsets), a Docker Compose file for a cluster with its brokers, and its clients as a Maven project (a script that writes it), for Apache Kafka {KAFKA_RELEASE}. What cannot carry over (virtual time, simulated failures) is written in the files as comments.") }</p>
        { match current.map(|m| &m.files) {
            None => html! {
                <p><button type="button" {onclick}>{ "Make session.sh, compose.yaml and java-project.sh" }</button></p>
            },
            Some(Ok(files)) => html! {
                <p class="export-files">
                    { for files.iter().map(|(name, href)| html! {
                        <><a href={href.clone()} download={*name}>{ format!("Download {name}") }</a>{ " " }</>
                    }) }
                </p>
            },
            Some(Err(why)) => html! { <p class="share-status error" role="alert">{ why.clone() }</p> },
        } }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Scenario;
    use crate::sim::world::WorldConfig;

    #[test]
    fn both_files_are_made_as_downloads() {
        let doc = ScenarioDoc::new(Scenario {
            seed: 1,
            config: WorldConfig::default(),
            commands: Vec::new(),
        });
        let files = make(&doc).expect("an empty session exports");
        let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["session.sh", "compose.yaml", "java-project.sh"]);
        assert!(
            files[0]
                .1
                .starts_with("data:text/x-shellscript;charset=utf-8,")
        );
        assert!(
            files[1]
                .1
                .starts_with("data:application/yaml;charset=utf-8,")
        );
    }
}
