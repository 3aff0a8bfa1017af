//! `eda-console`: runs a console script against a fresh simulated world and prints what the
//! page's terminal would show, stdout to stdout and stderr to stderr, without prompts. Each
//! piece is written (and flushed) to its stream in the order the console wrote it, line by
//! line as the script runs, so a terminal (or `2>&1`) shows warnings where they happened.
//!
//! Usage: `eda-console [--seed N] [SCRIPT]` (the script from the file, or standard input).
//! `eda-console --export FORMAT [SCENARIO]` prints a scenario document (`.json`, from the file
//! or standard input) exported for a real cluster instead (`sim::export`; FORMAT is
//! `session.sh`, `compose.yaml` or `java`, a script that writes the Maven project).
//! The world is the quickstart's (`eda_playground::console::quickstart_world`); the same seed
//! and script always print the same transcript. This binary is the only part of the console
//! that touches files and standard streams; everything else is `console::run_script`.
#![allow(clippy::print_stdout)]

use std::io::{Read, Write};

use eda_playground::console::{Fd, quickstart_world, run_script_streaming};
use eda_playground::sim::export::Format;
use eda_playground::sim::scenario::decode_json;

/// The seed used when `--seed` is not given.
const DEFAULT_SEED: u64 = 42;

fn main() {
    let mut seed = DEFAULT_SEED;
    let mut path = None;
    let mut export = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("eda-console: --seed needs a number");
                    std::process::exit(2);
                }
            },
            "--export" => match args.next().as_deref().and_then(Format::from_name) {
                Some(format) => export = Some(format),
                None => {
                    eprintln!("eda-console: --export needs session.sh, compose.yaml or java");
                    std::process::exit(2);
                }
            },
            "-h" | "--help" => {
                println!("usage: eda-console [--seed N] [SCRIPT]");
                println!(
                    "       eda-console --export session.sh|compose.yaml|java [SCENARIO.json]"
                );
                return;
            }
            _ => path = Some(arg),
        }
    }
    let mut script = String::new();
    let read = match &path {
        Some(p) => std::fs::read(p).map(|bytes| {
            script = String::from_utf8_lossy(&bytes).into_owned();
        }),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map(|_| {
                script = String::from_utf8_lossy(&bytes).into_owned();
            })
        }
    };
    if let Err(e) = read {
        eprintln!("eda-console: {}: {e}", path.as_deref().unwrap_or("stdin"));
        std::process::exit(1);
    }
    if let Some(format) = export {
        let exported = decode_json(&script)
            .map_err(|e| e.0)
            .and_then(|doc| eda_playground::sim::export::export(&doc, format).map_err(|e| e.0));
        match exported {
            Ok(text) => {
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
            Err(e) => {
                eprintln!("eda-console: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let mut world = quickstart_world(seed);
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    run_script_streaming(&mut world, &script, |output| {
        for (fd, piece) in output.chunks() {
            // A closed pipe (`eda-console … | head`) is not an error worth reporting.
            let _ = match fd {
                Fd::Out => stdout
                    .write_all(piece.as_bytes())
                    .and_then(|()| stdout.flush()),
                Fd::Err => stderr
                    .write_all(piece.as_bytes())
                    .and_then(|()| stderr.flush()),
            };
        }
    });
}
