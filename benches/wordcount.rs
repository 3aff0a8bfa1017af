//! WordCount throughput: ~10 MB of generated text through the Streams topology (the real
//! step path, in memory: `TestDriver`) against a bare `HashMap` count of the same words with
//! the same split rules, both measured in this one process. Run with
//! `cargo bench --bench wordcount`.
//!
//! Each case runs several times and the median is reported; the ratio is taken between medians
//! of the same run, so it compares like with like on this shared, noisy machine. No figure is a
//! pass/fail threshold.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::time::Instant;

use eda_playground::console::quickstart_world;
use eda_playground::sim::command::Command;
use eda_playground::sim::rng::Rng;
use eda_playground::sim::streams::examples;
use eda_playground::sim::streams::value::word_count_words;
use eda_playground::sim::streams::{StreamsBuilder, TestDriver};

const RUNS: usize = 5;
const TEXT_BYTES: usize = 10 * 1024 * 1024;
const VOCABULARY: u64 = 5_000;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Lines of generated text: words from a vocabulary with a skewed (roughly Zipf) frequency,
/// some capitalised, separated by spaces and the odd punctuation.
fn generate_text(bytes: usize) -> Vec<String> {
    const SYLLABLES: [&str; 16] = [
        "ka", "fka", "stre", "am", "lo", "g", "par", "ti", "tion", "off", "set", "con", "su",
        "mer", "bro", "ker",
    ];
    let mut rng = Rng::new(2024);
    let vocabulary: Vec<String> = (0..VOCABULARY)
        .map(|i| {
            let mut word = String::new();
            let mut n = i + 1;
            while n > 0 {
                word.push_str(SYLLABLES[(n % 16) as usize]);
                n /= 16;
            }
            word
        })
        .collect();
    let mut lines = Vec::new();
    let mut total = 0usize;
    while total < bytes {
        let words = 4 + rng.below(12);
        let mut line = String::new();
        for i in 0..words {
            if i > 0 {
                line.push_str(match rng.below(10) {
                    0 => ", ",
                    1 => ". ",
                    _ => " ",
                });
            }
            // Skewed: the square of a uniform draw favours the first words.
            let u = rng.below(VOCABULARY);
            let index = (u * u / VOCABULARY) as usize;
            let word = &vocabulary[index];
            if rng.below(8) == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    line.push(first.to_ascii_uppercase());
                    line.push_str(chars.as_str());
                }
            } else {
                line.push_str(word);
            }
        }
        total += line.len() + 1;
        lines.push(line);
    }
    lines
}

/// The baseline: the same lower-case-and-split, then a `HashMap` count.
fn hashmap_count(lines: &[String]) -> (f64, usize) {
    let start = Instant::now();
    let mut counts: HashMap<String, u64> = HashMap::new();
    for line in lines {
        for word in word_count_words(line) {
            *counts.entry(word).or_insert(0) += 1;
        }
    }
    (start.elapsed().as_secs_f64(), counts.len())
}

/// The topology: every line through source, flatMapValues, key-select, filter, repartition
/// sink, (in-memory topic), source, aggregate with its store and changelog, toStream, sink.
fn topology_count(lines: &[String], cache_max_bytes: u64) -> (f64, u64, usize) {
    let builder = StreamsBuilder::new();
    examples::word_count(&builder);
    let topology = builder.build();
    let mut driver = TestDriver::new(&topology, "streams-wordcount", 1, cache_max_bytes);
    driver.set_records_kept(10_000);
    let start = Instant::now();
    let mut steps = 0u64;
    for (i, line) in lines.iter().enumerate() {
        driver.pipe_input(examples::WORD_COUNT_INPUT, None, line, i as u64);
        if i % 1_000 == 999 {
            steps += driver.run_until_idle().unwrap();
        }
    }
    steps += driver.run_until_idle().unwrap();
    steps += driver.commit().unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    let keys = driver
        .thread()
        .tasks()
        .filter_map(|t| t.stores().next().map(|(_, s)| s.len()))
        .sum::<u64>() as usize;
    (elapsed, steps, keys)
}

/// For scale: the same topology on the whole simulated cluster (producers, logs, consumer
/// group, commits), on a smaller text.
fn world_count(lines: &[String]) -> (f64, u64) {
    let mut world = quickstart_world(1);
    world
        .create_topic(examples::WORD_COUNT_INPUT, 1, 1)
        .unwrap();
    world
        .apply(Command::CreateTopic {
            name: examples::WORD_COUNT_OUTPUT.to_string(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![("cleanup.policy".to_string(), "compact".to_string())],
        })
        .unwrap();
    let (topology, mut config) = examples::word_count_demo_app();
    config.recent_steps_kept = 0;
    let id = world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    let start = Instant::now();
    for chunk in lines.chunks(500) {
        for line in chunk {
            world
                .produce(producer, examples::WORD_COUNT_INPUT, None, line)
                .unwrap();
        }
        world.advance(200).unwrap();
    }
    world.advance(5_000).unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    let steps = world.streams_app(id).unwrap().thread().steps();
    (elapsed, steps)
}

fn main() {
    let lines = generate_text(TEXT_BYTES);
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let words: usize = lines.iter().map(|l| word_count_words(l).len()).sum();
    println!(
        "WordCount over {:.1} MB of generated text: {} lines, {} words, vocabulary {}",
        bytes as f64 / 1_048_576.0,
        lines.len(),
        words,
        VOCABULARY
    );
    let mut baseline = Vec::new();
    let mut demo = Vec::new();
    let mut cached = Vec::new();
    let mut steps = 0;
    let mut keys = (0, 0);
    for _ in 0..RUNS {
        let (t, k) = hashmap_count(&lines);
        baseline.push(t);
        keys.0 = k;
        let (t, s, k) = topology_count(&lines, 0);
        demo.push(t);
        steps = s;
        keys.1 = k;
        let (t, _, _) = topology_count(&lines, 10_485_760);
        cached.push(t);
    }
    assert_eq!(keys.0, keys.1, "both count the same distinct words");
    let (b, d, c) = (median(baseline), median(demo), median(cached));
    println!(
        "  HashMap count (lowercase + split + count):        {:>8.1} ms  {:>6.2} M words/s",
        b * 1e3,
        words as f64 / b / 1e6
    );
    println!(
        "  topology, cache 0 (WordCountDemo's config):        {:>8.1} ms  {:>6.2} M words/s  ratio {:.2}x  ({} steps, {:.0} ns/step)",
        d * 1e3,
        words as f64 / d / 1e6,
        d / b,
        steps,
        d / steps as f64 * 1e9
    );
    println!(
        "  topology, cache 10 MB (Kafka's default config):    {:>8.1} ms  {:>6.2} M words/s  ratio {:.2}x",
        c * 1e3,
        words as f64 / c / 1e6,
        c / b
    );
    // The whole cluster, on 1/40 of the text, for scale.
    let small: Vec<String> = lines.iter().take(lines.len() / 40).cloned().collect();
    let small_words: usize = small.iter().map(|l| word_count_words(l).len()).sum();
    let (w, s) = world_count(&small);
    println!(
        "  on the simulated cluster ({} words, 1 partition): {:>8.1} ms  {:>6.2} M words/s  ({} steps)",
        small_words,
        w * 1e3,
        small_words as f64 / w / 1e6,
        s
    );
}
