//! `kafka-configs.sh`: describe and alter a topic's dynamic configs (and describe a broker's),
//! through the engine, so a learner can set `retention.ms` and watch the log shrink.
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/ConfigCommand.java`:
//! - `--describe`: `Dynamic configs for topic T are:` then, per override in name order,
//!   `  NAME=VALUE sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:NAME=VALUE, …}`
//!   (`describeResourceConfig`; the broker synonyms that are set follow, here from the
//!   quickstart's `config/server.properties` (`STATIC_BROKER_CONFIG`) and the defaults
//!   (`DEFAULT_CONFIG`)); without a name, every topic; `The topic 'T' doesn't exist and doesn't
//!   have dynamic config.`; brokers: `Dynamic configs for broker 1 are:` (none are set);
//! - `--alter --add-config k=v,k2=[a,b] --delete-config k`: `Completed updating config for
//!   topic T.` (`alterConfig`); `Invalid config(s): k` for deleting a config that is not set,
//!   and the `--add-config` format and key errors (`parseConfigsToBeAdded`), on stderr; a
//!   refused value fails as the command's `Throwable` branch prints it (`Error while executing
//!   config command with args '…'`, then the exception's first line);
//! - argument errors: `Command must include exactly one action: --alter, --describe` (with the
//!   usage header), `At least one entity type must be specified`, `Exactly one of
//!   --bootstrap-server or --bootstrap-controller must be specified`, `At least one of
//!   --add-config, --add-config-file, or --delete-config must be specified with --alter`,
//!   `An entity name must be specified for every entity type`.
//!
//! Simplified versus Kafka: only topics are altered (and brokers described); `--all` lists the
//! overrides only; the synonym table covers the common topic configs (others show their
//! dynamic value alone); `--add-config-file` and `--command-config` are refused with a note.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, Options, flag, opt};
use crate::console::format::USAGE_HEADER;
use crate::console::{Console, Io, Output, network};
use crate::sim::World;
use crate::sim::command::Command;

/// The options `kafka-configs.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    opt("add-config"),
    opt("add-config-file"),
    flag("all"),
    flag("alter"),
    opt("bootstrap-controller"),
    opt("bootstrap-server"),
    opt("broker"),
    flag("broker-defaults"),
    opt("broker-logger"),
    opt("client"),
    flag("client-defaults"),
    opt("client-metrics"),
    opt("command-config"),
    opt("delete-config"),
    flag("describe"),
    flag("entity-default"),
    opt("entity-name"),
    opt("entity-type"),
    opt("group"),
    flag("help"),
    opt("ip"),
    flag("ip-defaults"),
    opt("topic"),
    opt("user"),
    flag("user-defaults"),
    flag("version"),
];

/// A broker config standing for a topic config: its name, the value the quickstart's
/// `server.properties` sets (`STATIC_BROKER_CONFIG`) and its default (`DEFAULT_CONFIG`).
type Synonym = (&'static str, Option<&'static str>, Option<&'static str>);

/// A topic config's broker synonyms as `DescribeConfigs` lists them (`ServerTopicConfigSynonyms`),
/// each with the value the quickstart's `server.properties` sets and its default.
const SYNONYMS: &[(&str, &[Synonym])] = &[
    (
        "cleanup.policy",
        &[("log.cleanup.policy", None, Some("delete"))],
    ),
    (
        "compression.type",
        &[("compression.type", None, Some("producer"))],
    ),
    (
        "delete.retention.ms",
        &[("log.cleaner.delete.retention.ms", None, Some("86400000"))],
    ),
    (
        "max.message.bytes",
        &[("message.max.bytes", None, Some("1048588"))],
    ),
    (
        "message.timestamp.type",
        &[("log.message.timestamp.type", None, Some("CreateTime"))],
    ),
    (
        "min.cleanable.dirty.ratio",
        &[("log.cleaner.min.cleanable.ratio", None, Some("0.5"))],
    ),
    (
        "min.compaction.lag.ms",
        &[("log.cleaner.min.compaction.lag.ms", None, Some("0"))],
    ),
    (
        "min.insync.replicas",
        &[("min.insync.replicas", None, Some("1"))],
    ),
    (
        "retention.bytes",
        &[("log.retention.bytes", None, Some("-1"))],
    ),
    (
        "retention.ms",
        &[
            ("log.retention.ms", None, None),
            ("log.retention.minutes", None, None),
            ("log.retention.hours", Some("168"), Some("168")),
        ],
    ),
    (
        "segment.bytes",
        &[("log.segment.bytes", Some("1073741824"), Some("1073741824"))],
    ),
    (
        "segment.ms",
        &[
            ("log.roll.ms", None, None),
            ("log.roll.hours", None, Some("168")),
        ],
    ),
    (
        "unclean.leader.election.enable",
        &[("unclean.leader.election.enable", None, Some("false"))],
    ),
];

fn usage(io: &mut Io, message: &str) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    1
}

/// `main`'s `IllegalArgumentException | InvalidConfigurationException` branch: the message
/// alone on stderr.
fn refuse(io: &mut Io, message: &str) -> i32 {
    let _ = writeln!(io.err, "{message}");
    1
}

/// The entity named by the options: its type and name (`None` for all of them).
fn entity(opts: &Options) -> Result<(String, Option<String>), String> {
    let mut types: Vec<String> = opts
        .values("entity-type")
        .iter()
        .map(|t| t.to_string())
        .collect();
    let mut names: Vec<String> = opts
        .values("entity-name")
        .iter()
        .map(|n| n.to_string())
        .collect();
    for (option, kind) in [
        ("topic", "topics"),
        ("broker", "brokers"),
        ("group", "groups"),
    ] {
        if let Some(name) = opts.value(option) {
            types.push(kind.to_string());
            names.push(name.to_string());
        }
    }
    if opts.has("broker-defaults") || (opts.has("entity-default") && types.len() > names.len()) {
        if opts.has("broker-defaults") {
            types.push("brokers".to_string());
        }
        names.push(String::new());
    }
    let Some(kind) = types.first().cloned() else {
        return Err("At least one entity type must be specified".to_string());
    };
    if opts.has("alter") && types.len() != names.len() {
        return Err("An entity name must be specified for every entity type".to_string());
    }
    Ok((kind, names.first().cloned()))
}

/// `parseConfigsToBeAdded`: `k=v` pairs split on commas outside `[…]`, brackets removed.
fn configs_to_add(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut pieces = Vec::new();
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth <= 0 => {
                pieces.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    pieces.push(current);
    for piece in pieces {
        let parts: Vec<&str> = piece.splitn(3, '=').collect();
        let [key, value] = parts.as_slice() else {
            return Err("Invalid entity config: all configs to be added must be in the format \"key=val\" or  \"key=[val1,val2]\" to group values which contain commas.".to_string());
        };
        let key = key.trim();
        if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '.' | '_' | '-'))
        {
            return Err(format!("Invalid character found for config key: {key}"));
        }
        let value: String = value.chars().filter(|c| !matches!(c, '[' | ']')).collect();
        pairs.push((key.to_string(), value.trim().to_string()));
    }
    Ok(pairs)
}

/// Runs `kafka-configs.sh ARGS`. Returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return usage(io, &e.message()),
    };
    if argv.is_empty() || opts.has("help") {
        let _ = usage(
            io,
            "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group",
        );
        return i32::from(argv.is_empty());
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if opts.count(&["alter", "describe"]) != 1 {
        return usage(
            io,
            "Command must include exactly one action: --alter, --describe",
        );
    }
    let (kind, name) = match entity(&opts) {
        Ok(e) => e,
        Err(message) => return refuse(io, &message),
    };
    if opts.has("bootstrap-server") == opts.has("bootstrap-controller") {
        return refuse(
            io,
            "Exactly one of --bootstrap-server or --bootstrap-controller must be specified",
        );
    }
    for unsupported in ["add-config-file", "command-config"] {
        if opts.has(unsupported) {
            let _ = writeln!(
                io.err,
                "eda-playground: --{unsupported} is not simulated (the playground has no files)."
            );
            return 1;
        }
    }
    // No broker answers: describing starts with `listTopics` (topics) or `describeCluster`
    // (brokers), which fail after the admin client's `default.api.timeout.ms`; altering first
    // reads the current configs with `describeConfigs(…).all().get(30, SECONDS)`, whose own
    // 30 s wait ends first with a bare `java.util.concurrent.TimeoutException`.
    if let Some(refused) =
        network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default())
        && matches!(kind.as_str(), "topics" | "brokers")
        && (opts.has("describe") || opts.has("add-config") || opts.has("delete-config"))
    {
        let (timeout_ms, trace) = if opts.has("alter") {
            (30_000, "java.util.concurrent.TimeoutException".to_string())
        } else {
            let call = if kind == "topics" {
                "listTopics"
            } else {
                "describeCluster"
            };
            (
                network::ADMIN_API_TIMEOUT_MS,
                format!(
                    "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: {call}"
                ),
            )
        };
        network::wait_until_timeout(
            console,
            world,
            "AdminClient clientId=adminclient-1",
            &refused,
            timeout_ms,
            io,
            out,
        );
        let _ = writeln!(
            io.err,
            "Error while executing config command with args '{}'",
            argv.join(" ")
        );
        let _ = writeln!(io.err, "{trace}");
        return 1;
    }
    if opts.has("alter") {
        if !opts.has("add-config") && !opts.has("delete-config") {
            return refuse(
                io,
                "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
            );
        }
        return alter(world, &opts, argv, &kind, name.as_deref().unwrap_or(""), io);
    }
    describe(world, &kind, name.as_deref(), io)
}

fn describe(world: &World, kind: &str, name: Option<&str>, io: &mut Io) -> i32 {
    match kind {
        "topics" => {
            let names: Vec<String> = match name {
                Some(n) => {
                    if world.topic(n).is_none() {
                        let _ = writeln!(
                            io.out,
                            "The topic '{n}' doesn't exist and doesn't have dynamic config."
                        );
                        return 0;
                    }
                    vec![n.to_string()]
                }
                None => world.topics().map(|t| t.name.to_string()).collect(),
            };
            for topic in names {
                let _ = writeln!(io.out, "Dynamic configs for topic {topic} are:");
                let Some(t) = world.topic(&topic) else {
                    continue;
                };
                for (key, value) in &t.overrides {
                    let mut synonyms = vec![format!("DYNAMIC_TOPIC_CONFIG:{key}={value}")];
                    if let Some((_, broker)) = SYNONYMS.iter().find(|(k, _)| k == key) {
                        for (synonym, static_value, default) in broker.iter() {
                            if let Some(v) = static_value {
                                synonyms.push(format!("STATIC_BROKER_CONFIG:{synonym}={v}"));
                            }
                            if let Some(v) = default {
                                synonyms.push(format!("DEFAULT_CONFIG:{synonym}={v}"));
                            }
                        }
                    }
                    let _ = writeln!(
                        io.out,
                        "  {key}={value} sensitive=false synonyms={{{}}}",
                        synonyms.join(", ")
                    );
                }
            }
            0
        }
        "brokers" => {
            let ids: Vec<String> = match name {
                Some(n) => {
                    if !n.is_empty() && !world.live_brokers().iter().any(|b| b.to_string() == n) {
                        let _ = writeln!(
                            io.out,
                            "The broker '{n}' doesn't exist and doesn't have dynamic config."
                        );
                        return 0;
                    }
                    vec![n.to_string()]
                }
                None => {
                    let mut ids: Vec<String> =
                        world.live_brokers().iter().map(u32::to_string).collect();
                    ids.push(String::new());
                    ids
                }
            };
            for id in ids {
                if id.is_empty() {
                    io.out
                        .push_str("Default configs for brokers in the cluster are:\n");
                } else {
                    let _ = writeln!(io.out, "Dynamic configs for broker {id} are:");
                }
            }
            0
        }
        "groups" | "users" | "clients" | "ips" | "client-metrics" | "broker-loggers" => {
            let _ = writeln!(
                io.err,
                "eda-playground: describing {kind} configs is not simulated; topics and brokers are."
            );
            1
        }
        other => refuse(io, &format!("Invalid entity type: {other}")),
    }
}

fn alter(
    world: &mut World,
    opts: &Options,
    argv: &[String],
    kind: &str,
    name: &str,
    io: &mut Io,
) -> i32 {
    if kind != "topics" {
        if !matches!(
            kind,
            "brokers"
                | "groups"
                | "users"
                | "clients"
                | "ips"
                | "client-metrics"
                | "broker-loggers"
        ) {
            return refuse(io, &format!("Unsupported entity type: {kind}"));
        }
        let _ = writeln!(
            io.err,
            "eda-playground: altering {kind} configs is not simulated; topic configs are."
        );
        return 1;
    }
    let added = match opts.value("add-config").map(configs_to_add).transpose() {
        Ok(a) => a.unwrap_or_default(),
        Err(message) => return refuse(io, &message),
    };
    let deleted: Vec<String> = opts
        .values("delete-config")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|k| k.trim().to_string())
        .collect();
    let Some(topic) = world.topic(name) else {
        // `describeConfigs` of a missing topic fails inside the command.
        let _ = writeln!(
            io.err,
            "Error while executing config command with args '{}'",
            argv.join(" ")
        );
        let _ = writeln!(
            io.err,
            "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{name}' does not exist."
        );
        return 1;
    };
    let missing: Vec<&str> = deleted
        .iter()
        .filter(|k| !topic.overrides.contains_key(k.as_str()))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return refuse(io, &format!("Invalid config(s): {}", missing.join(",")));
    }
    // One request: Kafka validates the whole change before applying any of it. The engine
    // applies one key at a time, so check every value on a copy first.
    let mut trial = world.topic(name).map(|t| t.config.clone());
    for (key, value) in &added {
        if let Some(config) = trial.as_mut()
            && let Err(e) = config.set(key, value)
        {
            let _ = writeln!(
                io.err,
                "Error while executing config command with args '{}'",
                argv.join(" ")
            );
            let _ = writeln!(
                io.err,
                "java.util.concurrent.ExecutionException: {}: {}",
                e.exception_class(),
                e.message()
            );
            return 1;
        }
    }
    for key in deleted {
        let _ = world.apply(Command::AlterTopicConfig {
            name: name.to_string(),
            key,
            value: None,
        });
    }
    for (key, value) in added {
        let _ = world.apply(Command::AlterTopicConfig {
            name: name.to_string(),
            key,
            value: Some(value),
        });
    }
    let _ = writeln!(io.out, "Completed updating config for topic {name}.");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_config_is_parsed_as_config_command_parses_it() {
        assert_eq!(
            configs_to_add("retention.ms=1000, cleanup.policy=[compact,delete]"),
            Ok(vec![
                ("retention.ms".to_string(), "1000".to_string()),
                ("cleanup.policy".to_string(), "compact,delete".to_string())
            ])
        );
        assert!(configs_to_add("retention.ms").is_err());
        assert_eq!(
            configs_to_add("bad key=1"),
            Err("Invalid character found for config key: bad key".to_string())
        );
    }
}
