//! Server-supplied text made inert for a terminal: see [`clean`].

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a terminal could act on `c`, or it reorders the text around it.
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(
            c,
            '\u{061C}' // Arabic letter mark
            | '\u{200E}' | '\u{200F}' // left-to-right / right-to-left marks
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
        )
}

/// `text` with every character a terminal could act on shown as an escape (`\n`, `\r`,
/// `\t`, or `\u{..}`), all on one line. Borrowed when there is nothing to change.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    clean_except(text, None)
}

pub(crate) fn clean_except(text: &str, keep: Option<char>) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && Some(c) != keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if Some(c) == keep => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text (as `serde_json` writes it) with the characters it leaves raw inside strings
/// (DEL, C1 controls, bidirectional controls) written as `\uXXXX` escapes: still the same
/// JSON value, but inert on a terminal.
pub(crate) fn clean_json(json: &str) -> Cow<'_, str> {
    if !json.chars().any(|c| is_unsafe(c) && c != '\n') {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && c != '\n' {
            // all of them are in the Basic Multilingual Plane: one `\uXXXX`
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}
