//! `kafka-metadata-quorum.sh`: the KRaft metadata quorum's status (`describe --status`) and
//! its replication (`describe --replication`).
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/MetadataQuorumCommand.java`:
//! - `describe --status` (`handleDescribeStatus`): `ClusterId:`, `LeaderId:`, `LeaderEpoch:`,
//!   `HighWatermark:`, `MaxFollowerLag:`, `MaxFollowerLagTimeMs:`, `CurrentVoters:`,
//!   `CurrentObservers:`, each label padded to 24 characters; a voter prints as
//!   `{"id": 1, "directoryId": "…", "endpoints": ["CONTROLLER://localhost:9093"]}` and an
//!   observer, which has no endpoint in the quorum's node list, as `{"id": 2, "directoryId": "…"}`
//!   (`Node.toString`);
//! - `describe --replication` (`handleDescribeReplication`): `NodeId DirectoryId LogEndOffset Lag
//!   LastFetchTimestamp LastCaughtUpTimestamp Status`, the leader first, then followers, then
//!   observers, through `ToolsUtils.prettyPrintTable` (each cell padded to its column's widest,
//!   then a tab);
//! - the `TerseException`s of `execute` (`One of --status or --replication must be specified
//!   with describe sub-command`, …) alone on stderr; argparse4j's errors after its usage line
//!   (`kafka-metadata-quorum: error: …`); with no broker answering, `describeCluster`'s
//!   `listNodes` call times out after `default.api.timeout.ms` and `mainNoExit` prints the
//!   message and the trace's first line.
//!
//! The quorum modelled is the quickstart's: node 1 runs the broker and the controller in one
//! process (`process.roles=broker,controller`, controller listener `localhost:9093`), so it is
//! the only voter and the leader, in epoch 1; the other running brokers fetch the metadata log
//! as observers. Simplified versus Kafka: the engine keeps no metadata log, so its high
//! watermark is counted as the controller writes records: bootstrap records (the
//! `metadata.version` feature level), one `RegisterBrokerRecord` per broker, one `TopicRecord`
//! plus one `PartitionRecord` per partition and one `ConfigRecord` per topic override for every
//! topic, and a `NoOpRecord` every `metadata.max.idle.interval.ms` (500 ms) of virtual time;
//! every replica has fetched up to it, at the current virtual time. Directory ids are drawn
//! from the world's seed. `add-controller` and `remove-controller` are not simulated.

use crate::console::{Console, Io, Output, network};
use crate::sim::{Rng, World};
use std::fmt::Write as _;

const USAGE: &str = "usage: kafka-metadata-quorum [-h] (--bootstrap-server BOOTSTRAP_SERVER | --bootstrap-controller BOOTSTRAP_CONTROLLER) [--command-config COMMAND_CONFIG] {describe,add-controller,remove-controller} ...\n";
/// The quorum's only voter (and leader): the quickstart's combined node.
const VOTER: u32 = 1;
/// Its controller listener.
const CONTROLLER_ENDPOINT: &str = "CONTROLLER://localhost:9093";
/// `metadata.max.idle.interval.ms`: the active controller appends a `NoOpRecord` this often.
const NOOP_INTERVAL_MS: u64 = 500;
/// Records `kafka-storage.sh format` bootstraps the log with (the `metadata.version` and
/// `kraft.version` feature levels).
const BOOTSTRAP_RECORDS: u64 = 2;

/// The options the tool and its `describe` sub-command take, for tab completion.
pub const OPTIONS: &[crate::console::args::OptSpec] = &[
    crate::console::args::opt("bootstrap-server"),
    crate::console::args::opt("bootstrap-controller"),
    crate::console::args::opt("command-config"),
    crate::console::args::flag("help"),
    crate::console::args::flag("status"),
    crate::console::args::flag("replication"),
    crate::console::args::flag("human-readable"),
];

/// argparse4j's `handleError`: the usage line, then `kafka-metadata-quorum: error: MESSAGE`.
fn parse_error(io: &mut Io, message: &str) -> i32 {
    io.err.push_str(USAGE);
    let _ = writeln!(io.err, "kafka-metadata-quorum: error: {message}");
    1
}

/// What the command line says.
#[derive(Default)]
struct Args {
    bootstrap_server: Option<String>,
    bootstrap_controller: Option<String>,
    command: Option<String>,
    status: bool,
    replication: bool,
    human_readable: bool,
}

fn parse(argv: &[String]) -> Result<Args, String> {
    let mut args = Args::default();
    let mut rest = argv.iter();
    let mut unrecognized: Vec<String> = Vec::new();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |label: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| format!("argument {label}: expected one argument"))
        };
        match (name, args.command.as_deref()) {
            ("--bootstrap-server", None) => {
                if args.bootstrap_controller.is_some() {
                    return Err("argument --bootstrap-server: not allowed with argument --bootstrap-controller".into());
                }
                args.bootstrap_server = Some(value("--bootstrap-server")?);
            }
            ("--bootstrap-controller", None) => {
                if args.bootstrap_server.is_some() {
                    return Err("argument --bootstrap-controller: not allowed with argument --bootstrap-server".into());
                }
                args.bootstrap_controller = Some(value("--bootstrap-controller")?);
            }
            ("--command-config", None) => {
                let file = value("--command-config")?;
                return Err(format!(
                    "argument --command-config: The file '{file}' does not exist"
                ));
            }
            ("--status", Some("describe")) => args.status = true,
            ("--replication", Some("describe")) => args.replication = true,
            ("--human-readable", Some("describe")) => args.human_readable = true,
            (word, None) if !word.starts_with('-') => {
                if !matches!(word, "describe" | "add-controller" | "remove-controller") {
                    return Err(format!(
                        "argument command: invalid choice: '{word}' (choose from 'describe', 'add-controller', 'remove-controller')"
                    ));
                }
                args.command = Some(word.to_string());
            }
            _ => unrecognized.push(format!("'{arg}'")),
        }
    }
    if args.bootstrap_server.is_none() && args.bootstrap_controller.is_none() {
        return Err(
            "one of the arguments --bootstrap-server --bootstrap-controller is required".into(),
        );
    }
    if args.command.is_none() {
        return Err("too few arguments".into());
    }
    if !unrecognized.is_empty() {
        return Err(format!(
            "unrecognized arguments: {}",
            unrecognized.join(" ")
        ));
    }
    Ok(args)
}

/// Runs `kafka-metadata-quorum.sh ARGS`; returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    if argv.iter().any(|a| a == "-h" || a == "--help") {
        io.out.push_str(USAGE);
        io.out
            .push_str("\nThis tool describes kraft metadata quorum status.\n");
        return 0;
    }
    let args = match parse(argv) {
        Ok(args) => args,
        Err(message) => return parse_error(io, &message),
    };
    if args.command.as_deref() != Some("describe") {
        let _ = writeln!(
            io.err,
            "eda-playground: kafka-metadata-quorum.sh {} is not simulated (the playground's quorum is one combined node).",
            args.command.as_deref().unwrap_or_default()
        );
        return 1;
    }
    if args.status && args.replication {
        io.err.push_str(
            "Only one of --status or --replication should be specified with describe sub-command\n",
        );
        return 1;
    }
    if args.status && args.human_readable {
        io.err
            .push_str("The option --human-readable is only supported along with --replication\n");
        return 1;
    }
    if !args.status && !args.replication {
        io.err.push_str(
            "One of --status or --replication must be specified with describe sub-command\n",
        );
        return 1;
    }
    // The controller listener answers only while node 1 runs; a broker address as any tool's.
    let refused = match (&args.bootstrap_server, &args.bootstrap_controller) {
        (Some(servers), _) => network::unreachable(world, servers),
        (None, Some(controllers)) => {
            let reaches = controllers.split(',').any(|c| c.trim().ends_with(":9093"))
                && world.live_brokers().contains(&VOTER);
            (!reaches).then(|| {
                controllers
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
        }
        (None, None) => None,
    };
    if let Some(refused) = refused.filter(|r| !r.is_empty()) {
        network::wait_until_timeout(
            console,
            world,
            "AdminClient clientId=adminclient-1",
            &refused,
            network::ADMIN_API_TIMEOUT_MS,
            io,
            out,
        );
        let cause = "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listNodes";
        let _ = writeln!(io.err, "{cause}");
        let _ = writeln!(io.err, "java.util.concurrent.ExecutionException: {cause}");
        return 1;
    }
    let quorum = Quorum::of(world);
    if args.status {
        describe_status(world, &quorum, io);
    } else {
        describe_replication(world, &quorum, args.human_readable, io);
    }
    0
}

/// The quorum as the tool sees it.
struct Quorum {
    high_watermark: u64,
    /// Running nodes other than the voter: they fetch the log as observers.
    observers: Vec<u32>,
}

impl Quorum {
    fn of(world: &World) -> Quorum {
        let brokers = world.brokers();
        let topic_records: u64 = world
            .topics()
            .map(|t| 1 + t.partitions.len() as u64 + t.overrides.len() as u64)
            .sum();
        let high_watermark = BOOTSTRAP_RECORDS
            + brokers.len() as u64
            + topic_records
            + world.now_ms() / NOOP_INTERVAL_MS;
        let observers = brokers
            .iter()
            .filter(|b| b.running && b.id != VOTER)
            .map(|b| b.id)
            .collect();
        Quorum {
            high_watermark,
            observers,
        }
    }
}

/// A node's log directory id (`meta.properties`' `directory.id`), drawn from the world's seed.
fn directory_id(world: &World, node: u32) -> String {
    let mut rng = Rng::new(world.seed() ^ 0x6469_7265_6374_6f72 ^ u64::from(node));
    World::random_uuid(&mut rng)
}

fn describe_status(world: &World, quorum: &Quorum, io: &mut Io) {
    let voters = format!(
        "[{{\"id\": {VOTER}, \"directoryId\": \"{}\", \"endpoints\": [\"{CONTROLLER_ENDPOINT}\"]}}]",
        directory_id(world, VOTER)
    );
    let observers: Vec<String> = quorum
        .observers
        .iter()
        .map(|id| {
            format!(
                "{{\"id\": {id}, \"directoryId\": \"{}\"}}",
                directory_id(world, *id)
            )
        })
        .collect();
    let _ = writeln!(
        io.out,
        "ClusterId:              {}\n\
         LeaderId:               {VOTER}\n\
         LeaderEpoch:            1\n\
         HighWatermark:          {}\n\
         MaxFollowerLag:         0\n\
         MaxFollowerLagTimeMs:   0\n\
         CurrentVoters:          {voters}\n\
         CurrentObservers:       [{}]",
        world.cluster_id(),
        quorum.high_watermark,
        observers.join(", ")
    );
}

fn describe_replication(world: &World, quorum: &Quorum, human_readable: bool, io: &mut Io) {
    let now = world.now_ms();
    let at = |_: u32| {
        if human_readable {
            "0 ms ago".to_string()
        } else {
            now.to_string()
        }
    };
    let mut rows: Vec<[String; 7]> = vec![[
        VOTER.to_string(),
        directory_id(world, VOTER),
        quorum.high_watermark.to_string(),
        "0".to_string(),
        at(VOTER),
        at(VOTER),
        "Leader".to_string(),
    ]];
    for id in &quorum.observers {
        rows.push([
            id.to_string(),
            directory_id(world, *id),
            quorum.high_watermark.to_string(),
            "0".to_string(),
            at(*id),
            at(*id),
            "Observer".to_string(),
        ]);
    }
    let headers = [
        "NodeId",
        "DirectoryId",
        "LogEndOffset",
        "Lag",
        "LastFetchTimestamp",
        "LastCaughtUpTimestamp",
        "Status",
    ];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let print = |cells: &[&str], io: &mut Io| {
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(io.out, "{}\t", crate::console::format::pad(cell, *width));
        }
        io.out.push('\n');
    };
    print(&headers, io);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        print(&cells, io);
    }
}
