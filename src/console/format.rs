//! Output formats every tool shares: log4j lines, Java stack-trace first lines, jopt-simple's
//! usage header and Java's `%-Ns` padding.
//!
//! Kafka's tools log with log4j's pattern `[%d] %p %m (%c)%n` to stderr
//! (`config/tools-log4j2.yaml`); the broker logs with the same pattern to stdout. `%d` is
//! `yyyy-MM-dd HH:mm:ss,SSS`. The simulated clock starts at the Unix epoch, so a line logged
//! 5.123 s into the simulation reads `[1970-01-01 00:00:05,123]`.
//!
//! Simplified versus Kafka: where Java prints a stack trace, only its first line
//! (`class: message`) is printed; jopt-simple's full option table is cut to its two header
//! lines.

/// `yyyy-MM-dd HH:mm:ss,SSS` for a virtual time in ms since the epoch (UTC).
pub fn log_time(now_ms: u64) -> String {
    let ms = now_ms % 1000;
    let secs = now_ms / 1000;
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    let (year, month, day) = civil_from_days(secs / 86_400);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02},{ms:03}")
}

/// Howard Hinnant's days-to-civil conversion for days since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// One log4j line, newline included: `[time] LEVEL message (logger)`.
pub fn log_line(now_ms: u64, level: &str, message: &str, logger: &str) -> String {
    format!("[{}] {level} {message} ({logger})\n", log_time(now_ms))
}

/// The first line of a Java stack trace, newline included.
pub fn trace_line(class: &str, message: &str) -> String {
    if message.is_empty() {
        format!("{class}\n")
    } else {
        format!("{class}: {message}\n")
    }
}

/// The first two lines of jopt-simple's `printHelpOn` (its option table's header).
pub const USAGE_HEADER: &str = "Option                                   Description\n\
------                                   -----------\n";

/// `CommandLineUtils.printUsageAndExit`: the message and the option table's header on stderr;
/// returns `code`.
pub fn usage(io: &mut crate::console::Io, message: &str, code: i32) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    code
}

/// Java's `%-Ns`: `text` left-justified in at least `width` characters.
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - len))
    }
}

/// The host:port a broker listens on in the playground: node 1 on the quickstart's
/// `localhost:9092`, node N on `9092 + 2 (N - 1)` (9093 is the quickstart's controller port).
pub fn broker_address(node: u32) -> String {
    format!("localhost:{}", 9092 + 2 * u64::from(node.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_times() {
        assert_eq!(log_time(0), "1970-01-01 00:00:00,000");
        assert_eq!(log_time(5_123), "1970-01-01 00:00:05,123");
        assert_eq!(
            log_time(86_400_000 * 365 + 3_723_004),
            "1971-01-01 01:02:03,004"
        );
        // 2000-02-29 (a leap day).
        assert_eq!(log_time(951_782_400_000), "2000-02-29 00:00:00,000");
        assert!(log_time(u64::MAX).len() > 20);
    }

    #[test]
    fn padding_is_javas() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("abcdef", 4), "abcdef");
    }
}
