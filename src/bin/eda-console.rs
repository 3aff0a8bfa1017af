//! `eda-console`: runs a console script against a fresh simulated world and prints what the
//! page's terminal would show, stdout to stdout and stderr to stderr, without prompts. Each
//! piece is written (and flushed) to its stream in the order the console wrote it, line by
//! line as the script runs, so a terminal (or `2>&1`) shows warnings where they happened.
//!
//! Usage: `eda-console [--seed N] [SCRIPT]` (the script from the file, or standard input).
//! The world is the quickstart's (`eda_playground::console::quickstart_world`); the same seed
//! and script always print the same transcript. This binary is the only part of the console
//! that touches files and standard streams; everything else is `console::run_script`.
#![allow(clippy::print_stdout)]

use std::io::{Read, Write};

use eda_playground::console::{Fd, quickstart_world, run_script_streaming};

/// The seed used when `--seed` is not given.
const DEFAULT_SEED: u64 = 42;

fn main() {
    let mut seed = DEFAULT_SEED;
    let mut path = None;
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
            "-h" | "--help" => {
                println!("usage: eda-console [--seed N] [SCRIPT]");
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
