//! Whether a tool's `--bootstrap-server` reaches a broker, and what Kafka's clients do when it
//! does not: they keep trying to connect, logging each refused attempt, until their API
//! timeout passes (on the virtual clock, so a learner waits a moment, not a minute).
//!
//! Responsibility: [`unreachable`] reads a bootstrap list against the brokers running in the
//! world (broker N listens on `localhost:9092 + 2·(N−1)`, also reached as `127.0.0.1`);
//! [`wait_until_timeout`] advances virtual time for a client's timeout, printing
//! `NetworkClient`'s two warnings for every attempt, as Kafka 4.1 logs them:
//! `[AdminClient clientId=adminclient-1] Connection to node -1 (localhost/127.0.0.1:9999) could
//! not be established. Node may not be available.` and `… Bootstrap broker localhost:9999 (id:
//! -1 rack: null isFenced: false) disconnected`.
//!
//! Simplified versus Kafka: attempts follow `reconnect.backoff.ms` (50 ms) doubling up to
//! `reconnect.backoff.max.ms` (1 s) without Kafka's ±20 % jitter, so the count of warnings is
//! the jitter-free one; only `localhost` and `127.0.0.1` hosts are understood (any other host
//! is taken to be the simulated cluster, as before).

use crate::console::format::{broker_address, log_line};
use crate::console::{Console, Io, Output};
use crate::sim::World;

const NETWORK_LOGGER: &str = "org.apache.kafka.clients.NetworkClient";
/// `reconnect.backoff.ms`.
const RECONNECT_BACKOFF_MS: u64 = 50;
/// `reconnect.backoff.max.ms`.
const RECONNECT_BACKOFF_MS_MAX: u64 = 1_000;
/// `default.api.timeout.ms` of the admin client.
pub const ADMIN_API_TIMEOUT_MS: u64 = 60_000;

/// One bootstrap address, as the client resolves it: `host:port`.
struct Address<'a> {
    host: &'a str,
    port: u16,
}

fn parse(entry: &str) -> Option<Address<'_>> {
    let (host, port) = entry.trim().rsplit_once(':')?;
    Some(Address {
        host,
        port: port.parse().ok()?,
    })
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1")
}

/// The addresses of `bootstrap` that no running broker answers, when none answers at all
/// (`None` when some broker answers, or when an address names a host the playground does not
/// model, which is taken to be the cluster).
pub fn unreachable(world: &World, bootstrap: &str) -> Option<Vec<String>> {
    let live: Vec<String> = world
        .live_brokers()
        .into_iter()
        .map(broker_address)
        .collect();
    let mut refused = Vec::new();
    for entry in bootstrap.split(',').filter(|e| !e.trim().is_empty()) {
        let address = parse(entry)?;
        if !is_loopback(address.host) {
            return None;
        }
        if live.contains(&format!("localhost:{}", address.port)) {
            return None;
        }
        refused.push(format!("{}:{}", address.host, address.port));
    }
    (!refused.is_empty()).then_some(refused)
}

/// The two lines `NetworkClient` logs for one refused connection to a bootstrap `address`.
pub fn refused_lines(now_ms: u64, client: &str, address: &str) -> String {
    let (host, port) = address.rsplit_once(':').unwrap_or((address, ""));
    let mut text = log_line(
        now_ms,
        "WARN",
        &format!(
            "[{client}] Connection to node -1 ({host}/127.0.0.1:{port}) could not be established. Node may not be available."
        ),
        NETWORK_LOGGER,
    );
    text.push_str(&log_line(
        now_ms,
        "WARN",
        &format!(
            "[{client}] Bootstrap broker {address} (id: -1 rack: null isFenced: false) disconnected"
        ),
        NETWORK_LOGGER,
    ));
    text
}

/// Lets `timeout_ms` of virtual time pass while `client` (`AdminClient clientId=adminclient-1`)
/// tries the `refused` addresses in turn, logging each attempt; the console's jobs keep running
/// meanwhile (in the page, the world's events go to `out` for the other views).
pub fn wait_until_timeout(
    console: &mut Console,
    world: &mut World,
    client: &str,
    refused: &[String],
    timeout_ms: u64,
    io: &mut Io,
    out: &mut Output,
) {
    let start = world.now_ms();
    let end = start.saturating_add(timeout_ms);
    let mut next_attempt = start;
    let mut backoff = RECONNECT_BACKOFF_MS;
    let mut attempt = 0usize;
    loop {
        let now = world.now_ms();
        while next_attempt <= now && next_attempt < end {
            let Some(address) = refused.get(attempt % refused.len().max(1)) else {
                break;
            };
            io.err
                .push_str(&refused_lines(next_attempt, client, address));
            attempt += 1;
            next_attempt += backoff;
            backoff = (backoff * 2).min(RECONNECT_BACKOFF_MS_MAX);
        }
        if now >= end || !console.step(world, io, out) {
            break;
        }
    }
}
