//! Standard output, and text that came from a server.
//!
//! * [`clean`] neutralises the characters of a server-supplied string that a terminal would
//!   act on (ESC and every other C0/C1 control, DEL, CR, LF, TAB, the bidirectional overrides
//!   and isolates): each one is shown as an escape such as `\u{1b}` instead. Every string
//!   from the API goes through it before it is printed as text, so an API error message or
//!   a check name cannot move the cursor, retitle the terminal, fake a line or reorder the
//!   text around it.
//! * [`print`] writes to standard output. A closed pipe (`idv ... | head -1`) is not a
//!   panic: it becomes [`Failure::closed_stdout`], which ends the command quietly with exit
//!   code 4. As a last guard it neutralises controls in everything written, keeping only
//!   the line feeds the CLI's own formatting puts there.

use std::io::{self, Write};

// The text cleaning lives in `clean`, which `failure` uses too (one way: out -> failure,
// failure -> clean, never back).
use crate::clean::clean_except;
#[cfg(test)]
use crate::clean::is_unsafe;
pub(crate) use crate::clean::{clean, clean_json};
use crate::failure::Failure;

/// Writes `text` to standard output (its controls neutralised, line feeds kept) and
/// flushes.
///
/// # Errors
///
/// [`Failure::closed_stdout`] when the reader has gone (a broken pipe); a local I/O
/// failure for any other write error.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let text = clean_except(text, Some('\n'));
    write_to(&mut io::stdout().lock(), text.as_bytes())
}

/// Writes raw bytes to `writer` and flushes it, mapping a broken pipe to
/// [`Failure::closed_stdout`].
pub(crate) fn write_to(writer: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    writer
        .write_all(bytes)
        .and_then(|()| writer.flush())
        .map_err(|e| stdout_error(&e))
}

/// The failure for an error writing standard output.
pub(crate) fn stdout_error(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::closed_stdout()
    } else {
        Failure::io(format!("cannot write to standard output: {e}"))
    }
}

/// `println!` through [`print`]: `outln!("...", args)?` (returns the failure).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::print(&{
            let mut line = format!($($arg)*);
            line.push('\n');
            line
        })
    };
}

pub(crate) use outln;

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn neutralises_terminal_controls_and_bidi() {
        assert_eq!(clean("plain text: ok"), "plain text: ok");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(
            clean("a\u{1b}[31mred\u{1b}]0;title\u{7}"),
            "a\\u{1b}[31mred\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(clean("x\r\ny\tz"), "x\\r\\ny\\tz");
        assert_eq!(clean("c1 \u{9b}2J del \u{7f}"), "c1 \\u{9b}2J del \\u{7f}");
        assert_eq!(
            clean("\u{202e}txt.exe\u{202c} \u{2066}i\u{2069}"),
            "\\u{202e}txt.exe\\u{202c} \\u{2066}i\\u{2069}"
        );
        // nothing that a terminal acts on is left
        let cleaned = clean("\u{0}\u{1f}\u{85}\u{200f}\u{2028}");
        assert!(!cleaned.chars().any(is_unsafe), "{cleaned}");
        // non-ASCII text is kept
        assert_eq!(clean("Zoë Ñandú 東京"), "Zoë Ñandú 東京");
    }

    #[test]
    fn print_keeps_only_the_line_feeds() {
        assert_eq!(clean_except("a\nb\u{1b}c\r", Some('\n')), "a\nb\\u{1b}c\\r");
    }

    #[test]
    fn json_stays_json_and_inert() {
        let value = serde_json::json!({"m": "x\u{1b}y\u{9b}z\u{202e}w\u{7f}"});
        let text = serde_json::to_string_pretty(&value).expect("serialises");
        let cleaned = clean_json(&text);
        assert!(
            !cleaned.chars().any(|c| is_unsafe(c) && c != '\n'),
            "{cleaned}"
        );
        let back: serde_json::Value = serde_json::from_str(&cleaned).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn a_broken_pipe_is_the_quiet_failure() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let failure = write_to(&mut Closed, b"x").expect_err("fails");
        assert!(failure.is_quiet());
        assert_eq!(failure.code(), 4);
    }
}
