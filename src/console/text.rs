//! What a command writes to one of its two streams, remembering when each piece was written,
//! so that stdout and stderr can be shown interleaved in the order they were written, as a
//! terminal shows them (and as `2>&1` merges them).
//!
//! Responsibility: [`Text`] is a `String` (it dereferences to `str`) whose writes are stamped
//! with a sequence number from one per-thread counter; [`interleave`] merges a stdout and a
//! stderr [`Text`] into pieces in write order. Moving text from one buffer to another keeps its
//! stamps ([`Text::append`]), so a consumer's records collected while it ran keep their place
//! before its closing `Processed a total of N messages`.
//!
//! Invariants: each stream's own bytes are never reordered; only the interleaving of the two
//! uses the stamps. The counter only orders writes; its values never reach any output, so the
//! transcript is the same on every run and platform.

use std::cell::Cell;
use std::fmt;
use std::ops::Deref;

/// One of a command's two output streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fd {
    /// Standard output.
    Out,
    /// Standard error.
    Err,
}

thread_local! {
    static WRITES: Cell<u64> = const { Cell::new(0) };
}

/// The next write stamp.
fn stamp() -> u64 {
    WRITES.with(|w| {
        let next = w.get().wrapping_add(1);
        w.set(next);
        next
    })
}

/// A piece of a [`Text`] written without any other write in between: its first and last
/// stamp and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    first: u64,
    last: u64,
    start: usize,
}

/// Text written to one stream, with the write order of its pieces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    text: String,
    marks: Vec<Mark>,
}

impl Text {
    /// Appends `s`, written now.
    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let now = stamp();
        match self.marks.last_mut() {
            Some(mark) if mark.last.wrapping_add(1) == now => mark.last = now,
            _ => self.marks.push(Mark {
                first: now,
                last: now,
                start: self.text.len(),
            }),
        }
        self.text.push_str(s);
    }

    /// Appends `c`, written now.
    pub fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf));
    }

    /// Appends `other`, keeping when its pieces were written.
    pub fn append(&mut self, other: Text) {
        if self.text.is_empty() {
            *self = other;
            return;
        }
        let offset = self.text.len();
        self.marks.extend(other.marks.into_iter().map(|m| Mark {
            start: m.start + offset,
            ..m
        }));
        self.text.push_str(&other.text);
    }

    /// Empties it.
    pub fn clear(&mut self) {
        self.text.clear();
        self.marks.clear();
    }

    /// The text, without the write order.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Its pieces in the order they sit in the text, each with its first write stamp.
    fn pieces(&self) -> impl Iterator<Item = (u64, &str)> {
        self.marks.iter().enumerate().map(|(i, m)| {
            let end = self.marks.get(i + 1).map_or(self.text.len(), |n| n.start);
            (m.first, self.text.get(m.start..end).unwrap_or(""))
        })
    }

    /// Moves `other`'s pieces into this text, interleaved by when they were written (what
    /// `2>&1` does to a command's stderr).
    pub fn merge(&mut self, other: Text) {
        let mut merged = Text::default();
        for (_, piece, stamp) in interleave_stamped(self, &other) {
            merged.marks.push(Mark {
                first: stamp,
                last: stamp,
                start: merged.text.len(),
            });
            merged.text.push_str(piece);
        }
        *self = merged;
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl Extend<char> for Text {
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        for c in iter {
            self.push(c);
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        let mut text = Text::default();
        text.push_str(s);
        text
    }
}

fn interleave_stamped<'a>(out: &'a Text, err: &'a Text) -> Vec<(Fd, &'a str, u64)> {
    let mut pieces = Vec::with_capacity(out.marks.len() + err.marks.len());
    let mut outs = out.pieces().peekable();
    let mut errs = err.pieces().peekable();
    loop {
        let take_out = match (outs.peek(), errs.peek()) {
            (Some((a, _)), Some((b, _))) => a <= b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let (fd, next) = if take_out {
            (Fd::Out, outs.next())
        } else {
            (Fd::Err, errs.next())
        };
        if let Some((stamp, piece)) = next {
            pieces.push((fd, piece, stamp));
        }
    }
    pieces
}

/// A command's stdout and stderr as pieces in the order they were written; each stream's own
/// order is kept.
pub fn interleave<'a>(out: &'a Text, err: &'a Text) -> Vec<(Fd, &'a str)> {
    interleave_stamped(out, err)
        .into_iter()
        .map(|(fd, piece, _)| (fd, piece))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn pieces_interleave_in_write_order_and_keep_it_when_moved() {
        let mut out = Text::default();
        let mut err = Text::default();
        out.push_str("a");
        let _ = writeln!(err, "warn");
        out.push('b');
        let mut later = Text::default();
        later.push_str("c");
        err.push_str("x");
        out.append(later);
        assert_eq!(&*out, "abc");
        assert_eq!(
            interleave(&out, &err),
            vec![
                (Fd::Out, "a"),
                (Fd::Err, "warn\n"),
                (Fd::Out, "b"),
                (Fd::Out, "c"),
                (Fd::Err, "x")
            ]
        );
        out.merge(err);
        assert_eq!(&*out, "awarn\nbcx");
    }
}
