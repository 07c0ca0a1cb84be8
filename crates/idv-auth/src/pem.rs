//! PEM: finding the blocks by hand, decoding and encoding them with `pem-rfc7468`.
//!
//! What stays hand-written, and why: `pem-rfc7468` decodes exactly one document, refuses
//! text after it and refuses RFC 1421 headers without saying which. Key files hold text
//! around the block, several blocks (a certificate and its key) and, for legacy encrypted
//! PKCS#1 keys, a `Proc-Type: 4,ENCRYPTED` header that must be reported as "encrypted", not
//! as "malformed". So the lines below only locate `BEGIN`/`END` pairs and read that one
//! header; the base64 body is decoded by `pem-rfc7468`, only for the block actually used,
//! into a zeroizing buffer. Input is capped at [`MAX_KEY_BYTES`](crate::MAX_KEY_BYTES)
//! before it gets here, which bounds the line index too.

use zeroize::Zeroizing;

use crate::KeyError;

/// One `-----BEGIN <label>-----` ... `-----END <label>-----` block.
pub(crate) struct Block<'a> {
    /// The label between `BEGIN ` and the closing dashes.
    pub(crate) label: &'a str,
    /// `Proc-Type: 4,ENCRYPTED` was present (legacy OpenSSL encryption).
    pub(crate) encrypted_headers: bool,
    /// The raw body text (base64 plus line breaks).
    body: &'a [u8],
}

fn malformed(reason: &str) -> KeyError {
    KeyError::Malformed {
        reason: reason.to_owned(),
    }
}

fn begin_label(line: &[u8]) -> Option<&str> {
    let label = line.strip_prefix(b"-----BEGIN ")?.strip_suffix(b"-----")?;
    let label = std::str::from_utf8(label).ok()?;
    let valid = !label.is_empty() && label.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    valid.then_some(label)
}

fn is_end_line(line: &[u8]) -> bool {
    line.starts_with(b"-----END ")
}

fn is_end_of(line: &[u8], label: &str) -> bool {
    line.strip_prefix(b"-----END ")
        .and_then(|rest| rest.strip_suffix(b"-----"))
        .is_some_and(|l| l == label.as_bytes())
}

/// Each line as (start offset, contents trimmed of surrounding whitespace), produced on
/// demand: no index of the input is built, so junk input costs no memory in proportion to its
/// number of lines. Splits exactly as `input.split(|&b| b == b'\n')` does.
struct Lines<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let rest = self.input.get(start..)?;
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.input.len(), |i| start + i);
        self.pos = end + 1;
        Some((start, self.input[start..end].trim_ascii()))
    }
}

/// Finds every PEM block in `input`. An empty result means "no PEM here".
pub(crate) fn parse(input: &[u8]) -> Result<Vec<Block<'_>>, KeyError> {
    let mut lines = Lines { input, pos: 0 }.peekable();
    let mut blocks = Vec::new();
    while let Some((_, line)) = lines.next() {
        let Some(label) = begin_label(line) else {
            continue;
        };

        // RFC 1421 headers: `Name: value` lines up to a blank line.
        let mut encrypted_headers = false;
        if lines
            .peek()
            .is_some_and(|&(_, l)| l.contains(&b':') && !is_end_line(l))
        {
            while let Some(&(_, line)) = lines.peek() {
                if line.is_empty() {
                    break;
                }
                if is_end_line(line) {
                    return Err(malformed("the PEM headers are not followed by a body"));
                }
                if line.starts_with(b"Proc-Type:") && line.windows(9).any(|w| w == b"ENCRYPTED") {
                    encrypted_headers = true;
                }
                lines.next();
            }
        }

        let body_start = lines.peek().map_or(input.len(), |l| l.0);
        loop {
            let Some((start, line)) = lines.next() else {
                return Err(KeyError::Malformed {
                    reason: format!("the PEM block \"{label}\" has no END line"),
                });
            };
            if is_end_of(line, label) {
                blocks.push(Block {
                    label,
                    encrypted_headers,
                    body: &input[body_start..start],
                });
                break;
            }
            if is_end_line(line) {
                return Err(KeyError::Malformed {
                    reason: format!("the END line of the PEM block \"{label}\" has another label"),
                });
            }
            if begin_label(line).is_some() {
                return Err(KeyError::Malformed {
                    reason: format!("the PEM block \"{label}\" has no END line"),
                });
            }
        }
    }
    Ok(blocks)
}

impl Block<'_> {
    /// Decodes the base64 body with `pem-rfc7468` into a zeroizing buffer (sized once, so no
    /// un-zeroed copies of the key are left behind).
    ///
    /// `pem-rfc7468` decodes exactly one strict RFC 7468 document; the block is first
    /// re-framed as one (its lines trimmed, blank lines dropped) into a zeroizing buffer,
    /// because real key files carry indentation, CRLF line ends and text around the block,
    /// which OpenSSL accepts.
    pub(crate) fn decode(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let begin_end = 2 * (self.label.len() + 16);
        let mut text = Zeroizing::new(Vec::with_capacity(self.body.len() + begin_end + 2));
        text.extend_from_slice(b"-----BEGIN ");
        text.extend_from_slice(self.label.as_bytes());
        text.extend_from_slice(b"-----\n");
        let mut empty = true;
        for line in self.body.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            if !line.is_empty() {
                text.extend_from_slice(line);
                text.push(b'\n');
                empty = false;
            }
        }
        if empty {
            return Err(malformed("the PEM block has an empty body"));
        }
        text.extend_from_slice(b"-----END ");
        text.extend_from_slice(self.label.as_bytes());
        text.extend_from_slice(b"-----\n");

        let pem_error = |e: pem_rfc7468::Error| match e {
            pem_rfc7468::Error::Base64(_) | pem_rfc7468::Error::EncapsulatedText => {
                malformed("the PEM body is not valid base64")
            }
            other => KeyError::Malformed {
                reason: format!("the PEM block is malformed ({other})"),
            },
        };
        let mut decoder = pem_rfc7468::Decoder::new_detect_wrap(&text).map_err(pem_error)?;
        let mut der = Zeroizing::new(vec![0u8; decoder.remaining_len()]);
        let len = decoder.decode(der.as_mut_slice()).map_err(pem_error)?.len();
        der.truncate(len);
        Ok(der)
    }
}

/// Writes `der` as a PEM block with 64-character lines and LF line ends.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    // Fails only for an invalid label or a length overflow: neither happens for our labels
    // and key sizes, and the fallback is an empty block rather than a panic.
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .unwrap_or_else(|_| format!("-----BEGIN {label}-----\n-----END {label}-----\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_slice_split() {
        for input in [&b""[..], b"\n", b"a", b"a\n", b"a\r\n b \n\nc", b"\n\n"] {
            let ours: Vec<&[u8]> = Lines { input, pos: 0 }.map(|(_, l)| l).collect();
            let std: Vec<&[u8]> = input
                .split(|&b| b == b'\n')
                .map(<[u8]>::trim_ascii)
                .collect();
            assert_eq!(ours, std, "{input:?}");
        }
    }

    #[test]
    fn finds_blocks_and_ignores_surrounding_text() {
        let input = b"junk\n-----BEGIN FOO-----\nAAEC\n-----END FOO-----\r\ntrailer";
        let blocks = parse(input).expect("parses");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label, "FOO");
        assert_eq!(blocks[0].decode().expect("decodes").as_slice(), &[0, 1, 2]);
    }

    #[test]
    fn detects_proc_type_headers() {
        let input = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: X\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        let blocks = parse(input).expect("parses");
        assert!(blocks[0].encrypted_headers);
    }

    #[test]
    fn rejects_missing_or_mismatched_end() {
        assert!(parse(b"-----BEGIN FOO-----\nAAEC\n").is_err());
        assert!(parse(b"-----BEGIN FOO-----\nAAEC\n-----END BAR-----\n").is_err());
    }

    #[test]
    fn encode_round_trips() {
        let der: Vec<u8> = (0..=255).collect();
        let pem = encode("PUBLIC KEY", &der);
        assert!(pem.lines().all(|l| l.len() <= 64 || l.starts_with("-----")));
        let blocks = parse(pem.as_bytes()).expect("parses");
        assert_eq!(
            blocks[0].decode().expect("decodes").as_slice(),
            der.as_slice()
        );
    }
}
