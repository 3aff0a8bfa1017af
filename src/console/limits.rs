//! The shell's size limits: how large a word, a command's arguments, the shell variables, a
//! command substitution's output, a here-document, a command line and `printf`'s output may
//! grow.
//!
//! Responsibility: one place for the limits and their messages. Each check is made before the
//! text grows (the caller asks with the size it would reach), so a script that doubles a
//! variable again and again stops with an error at the limit instead of exhausting the page's
//! memory (wasm memory never shrinks). A failed check fails only the command that passed the
//! limit (status 1, bash's `bash: …` form naming the limit); variables, history and the world
//! are left as they were.
//!
//! Real bash has no such limits for words and variables (it runs out of memory); the
//! argument-list limit is Linux's `ARG_MAX` (2 MiB), whose error bash reports as `Argument list
//! too long`.

use std::fmt::Write as _;

use crate::console::Io;

/// Most bytes in one word after expansion, one variable's value, one here-document or one
/// command substitution's output (1 MiB).
pub const WORD_BYTES_MAX: usize = 1 << 20;
/// Most bytes in one command's arguments together, and in the output `printf` writes for one
/// command (Linux's `ARG_MAX`, 2 MiB).
pub const ARGUMENTS_BYTES_MAX: usize = 2 << 20;
/// Most bytes all shell variables hold together (names, values and 32 bytes of bookkeeping
/// each): 16 MiB.
pub const VARIABLES_BYTES_MAX: usize = 16 << 20;
/// Most characters in one command line, continuation lines included.
pub const LINE_CHARS_MAX: usize = 100_000;

/// What one variable counts for against [`VARIABLES_BYTES_MAX`].
pub fn var_bytes(name: &str, value: &str) -> usize {
    name.len() + value.len() + 32
}

/// Growing text passed a limit: the message bash-like error to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge(pub String);

impl TooLarge {
    /// Prints the message on the command's stderr.
    pub fn report(&self, io: &mut Io) {
        let _ = writeln!(io.err, "{}", self.0);
    }
}

/// A word of `len` bytes growing by `extra`.
pub fn word(len: usize, extra: usize) -> Result<(), TooLarge> {
    if len.saturating_add(extra) > WORD_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: expansion too large: more than {WORD_BYTES_MAX} bytes in one word (the playground's limit)"
        )));
    }
    Ok(())
}

/// A command named `name` whose arguments reach `total` bytes.
pub fn arguments(name: &str, total: usize) -> Result<(), TooLarge> {
    if total > ARGUMENTS_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: {name}: Argument list too long (more than {ARGUMENTS_BYTES_MAX} bytes, the playground's limit)"
        )));
    }
    Ok(())
}

/// The fields one word expands to, `total` bytes so far, growing by `extra`: the new total.
pub fn fields(total: usize, extra: usize) -> Result<usize, TooLarge> {
    let grown = total.saturating_add(extra);
    if grown > ARGUMENTS_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: expansion too large: more than {ARGUMENTS_BYTES_MAX} bytes in one word's fields (the playground's limit)"
        )));
    }
    Ok(grown)
}

/// Shell variables that would hold `total` bytes once `name` is set.
pub fn variables(name: &str, total: usize) -> Result<(), TooLarge> {
    if total > VARIABLES_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: {name}: cannot assign: shell variables would hold more than {VARIABLES_BYTES_MAX} bytes (the playground's limit)"
        )));
    }
    Ok(())
}

/// A command substitution whose output is `len` bytes.
pub fn substitution(len: usize) -> Result<(), TooLarge> {
    if len > WORD_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: command substitution: output too large: more than {WORD_BYTES_MAX} bytes (the playground's limit)"
        )));
    }
    Ok(())
}

/// `printf`'s output for one command reaching `len` bytes.
pub fn printf_output(len: usize) -> Result<(), TooLarge> {
    if len > ARGUMENTS_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: printf: write error: more than {ARGUMENTS_BYTES_MAX} bytes of output (the playground's limit)"
        )));
    }
    Ok(())
}

/// A here-document body of `len` bytes growing by `extra`.
pub fn here_document(len: usize, extra: usize) -> Result<(), TooLarge> {
    if len.saturating_add(extra) > WORD_BYTES_MAX {
        return Err(TooLarge(format!(
            "bash: here-document too large: more than {WORD_BYTES_MAX} bytes (the playground's limit)"
        )));
    }
    Ok(())
}

/// A command line of `chars` characters.
pub fn line(chars: usize) -> Result<(), TooLarge> {
    if chars > LINE_CHARS_MAX {
        return Err(TooLarge(format!(
            "bash: command line too long: more than {LINE_CHARS_MAX} characters (the playground's limit)"
        )));
    }
    Ok(())
}
