//! Tab completion for the terminal: tool names, their flags, topic and group names, and the
//! `key=` of properties and topic configs.
//!
//! [`complete`] looks only at the text before the cursor: the word under it is completed from
//! what the words before it say (the command, the option just before). Candidates are whole
//! words that start with what is typed, sorted and deduplicated, quoted (with `shlex`) when a
//! name holds characters the shell would split on. It never changes the world.

use crate::console::args::OptSpec;
use crate::console::tool::KafkaTool;
use crate::console::{
    configs, consumer, delete_records, groups, leader_election, offsets, perf, producer, quorum,
    reassign, streams_reset, topics,
};
use crate::sim::World;
use crate::sim::validate;

const BUILTINS: [&str; 12] = [
    "cat", "cd", "clear", "echo", "exit", "export", "help", "history", "printf", "sleep", "true",
    "unset",
];

const PRODUCER_PROPERTIES: [&str; 4] = [
    "ignore.error=",
    "key.separator=",
    "null.marker=",
    "parse.key=",
];
const CONSUMER_PROPERTIES: [&str; 13] = [
    "headers.separator=",
    "key.deserializer=",
    "key.separator=",
    "line.separator=",
    "null.literal=",
    "print.headers=",
    "print.key=",
    "print.offset=",
    "print.partition=",
    "print.timestamp=",
    "print.value=",
    "value.deserializer=",
    "print.key=true",
];

fn options_of(tool: KafkaTool) -> &'static [OptSpec] {
    match tool {
        KafkaTool::Topics => topics::OPTIONS,
        KafkaTool::ConsoleProducer => producer::OPTIONS,
        KafkaTool::ConsoleConsumer => consumer::OPTIONS,
        KafkaTool::ConsumerGroups => groups::OPTIONS,
        KafkaTool::Configs => configs::OPTIONS,
        KafkaTool::GetOffsets => offsets::OPTIONS,
        KafkaTool::DeleteRecords => delete_records::OPTIONS,
        KafkaTool::MetadataQuorum => quorum::OPTIONS,
        KafkaTool::LeaderElection => leader_election::OPTIONS,
        KafkaTool::ReassignPartitions => reassign::OPTIONS,
        KafkaTool::StreamsReset => streams_reset::OPTIONS,
        KafkaTool::ProducerPerfTest => perf::OPTIONS,
        KafkaTool::ConsumerPerfTest => perf::CONSUMER_OPTIONS,
        _ => &[],
    }
}

/// The words that could replace the word under `cursor` (a byte offset into `line`; clamped
/// to the line and to a character boundary).
pub fn complete(world: &World, line: &str, cursor: usize) -> Vec<String> {
    let mut end = cursor.min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let before = &line[..end];
    // The current command starts after the last operator.
    let command_start = before.rfind(['|', ';', '&', '(']).map_or(0, |i| i + 1);
    let command = &before[command_start..];
    let mut words: Vec<&str> = command.split_whitespace().collect();
    let current = if command.ends_with(char::is_whitespace) || words.is_empty() {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    let mut candidates: Vec<String> = if words.is_empty() {
        command_names(current)
    } else {
        let tool = words.first().and_then(|w| KafkaTool::from_command(w));
        let previous = words.last().copied().unwrap_or("");
        match (tool, previous) {
            (Some(_), "--topic" | "--include") => {
                world.topics().map(|t| t.name.to_string()).collect()
            }
            (Some(_), "--group") => world.groups().map(|g| g.id.to_string()).collect(),
            (Some(_), "--bootstrap-server") => vec!["localhost:9092".to_string()],
            (Some(KafkaTool::ConsoleProducer), "--property") => {
                PRODUCER_PROPERTIES.iter().map(|s| s.to_string()).collect()
            }
            (Some(KafkaTool::ConsoleConsumer), "--property") => {
                CONSUMER_PROPERTIES.iter().map(|s| s.to_string()).collect()
            }
            (Some(KafkaTool::ConsoleConsumer), "--key-deserializer" | "--value-deserializer") => [
                "String",
                "Long",
                "Integer",
                "Short",
                "Double",
                "Float",
                "ByteArray",
            ]
            .iter()
            .map(|s| format!("org.apache.kafka.common.serialization.{s}Deserializer"))
            .collect(),
            (Some(KafkaTool::Topics), "--config") => validate::topic_config_names()
                .map(|n| format!("{n}="))
                .collect(),
            (Some(tool), _) if current.starts_with('-') => options_of(tool)
                .iter()
                .map(|o| format!("--{}", o.name))
                .collect(),
            (Some(KafkaTool::MetadataQuorum), _)
                if !words.contains(&"describe") && !current.starts_with('-') =>
            {
                vec![
                    "describe".to_string(),
                    "add-controller".to_string(),
                    "remove-controller".to_string(),
                ]
            }
            (Some(KafkaTool::Storage), _) if words.len() == 1 => {
                vec!["format".to_string(), "random-uuid".to_string()]
            }
            (Some(KafkaTool::ServerStart | KafkaTool::Storage), _) => {
                vec!["config/server.properties".to_string()]
            }
            _ => Vec::new(),
        }
    };
    candidates.retain(|c| c.starts_with(current));
    crate::sim::sort::sort(&mut candidates);
    candidates.dedup();
    candidates
        .into_iter()
        .map(|c| match shlex::try_quote(&c) {
            Ok(quoted) if c.ends_with('=') => {
                // Keep `key=` open for the value: quote only when needed, without a closing quote.
                if quoted == c { c } else { quoted.into_owned() }
            }
            Ok(quoted) => quoted.into_owned(),
            Err(_) => c,
        })
        .collect()
}

fn command_names(current: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for tool in KafkaTool::ALL {
        if current.starts_with("bin/") || current.starts_with("./bin/") {
            let prefix = if current.starts_with("./") {
                "./bin/"
            } else {
                "bin/"
            };
            names.push(format!("{prefix}{}", tool.script()));
        } else {
            names.push(tool.script().to_string());
            names.push(format!("bin/{}", tool.script()));
        }
    }
    names.extend(BUILTINS.iter().map(|b| b.to_string()));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_tools_flags_and_names() {
        let mut world = World::new(1);
        world.create_topic("orders", 1, 1).unwrap();
        world.create_topic("my topic-x", 1, 1).ok();
        assert_eq!(
            complete(&world, "bin/kafka-to", 12),
            vec!["bin/kafka-topics.sh"]
        );
        assert_eq!(
            complete(&world, "kafka-topics.sh --cre", 21),
            vec!["--create"]
        );
        assert_eq!(
            complete(&world, "kafka-topics.sh --describe --topic or", 37),
            vec!["orders"]
        );
        assert!(
            complete(&world, "echo a | kafka-console-c", 24)
                .contains(&"kafka-console-consumer.sh".to_string())
        );
        assert!(complete(&world, "x\u{e9}", 2).is_empty());
    }
}
