//! Small helpers: random v4 UUIDs (`uuid`), RFC 3339 timestamps (`jiff`), JSON string lists.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::error::ApiError;

/// Reads a request body that must be a JSON object (400 `MALFORMED_REQUEST` otherwise).
pub(crate) fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::malformed("Request body is not valid JSON"))?;
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(ApiError::malformed("Request body must be a JSON object")),
    }
}

/// The strings of a JSON array (other elements skipped; empty when it is not an array).
pub(crate) fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A random, lower-case RFC 4122 version-4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub(crate) fn new_uuid() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|_| ApiError::internal("the system random number generator failed"))?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string())
}

/// Formats a time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds), as the API does.
/// Times before 1970 are written as the epoch, times past jiff's range as its maximum.
pub(crate) fn format_rfc3339(time: SystemTime) -> String {
    let time = time.max(UNIX_EPOCH);
    let ts = jiff::Timestamp::try_from(time).unwrap_or(jiff::Timestamp::MAX);
    // Whole milliseconds, truncated, as the real service writes them.
    let ms = jiff::Timestamp::from_millisecond(ts.as_millisecond()).unwrap_or(ts);
    format!("{ms:.3}")
}

/// Parses an RFC 3339 date-time with a zone (`Z` or `±HH:MM`), e.g.
/// `2021-12-15T16:46:43.739Z` or `2021-09-14T17:48:26.902+01:00`.
/// Returns `None` for anything else, or for times before 1970.
///
/// jiff parses the value; this checks first that the text has RFC 3339's shape, since jiff
/// also accepts forms RFC 3339 does not (a space for `T`, `+0100`, a comma before the
/// fraction, a missing seconds field, a bracketed time zone).
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
        || !(b[..19].iter().enumerate())
            .all(|(i, c)| matches!(i, 4 | 7 | 10 | 13 | 16) || c.is_ascii_digit())
    {
        return None;
    }
    let zone_start = match b {
        [.., b'Z' | b'z'] => b.len() - 1,
        [.., b'+' | b'-', h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            b.len() - 6
        }
        _ => return None,
    };
    match &b[19..zone_start] {
        [] => {}
        [b'.', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {}
        _ => return None,
    }
    let time = SystemTime::from(text.parse::<jiff::Timestamp>().ok()?);
    (time >= UNIX_EPOCH).then_some(time)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn uuid_is_v4_shaped() {
        let id = new_uuid().expect("random");
        assert_eq!(id.len(), 36);
        let b = id.as_bytes();
        assert_eq!(b[14], b'4');
        assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'));
        assert_eq!(
            id.chars().filter(|c| *c == '-').count(),
            4,
            "hyphens in {id}"
        );
        assert_ne!(id, new_uuid().expect("random"));
    }

    #[test]
    fn formats_epoch_and_known_dates() {
        assert_eq!(format_rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_767_225_601_123);
        assert_eq!(format_rfc3339(t), "2026-01-01T00:00:01.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(format_rfc3339(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_round_trip_and_offsets() {
        let t = UNIX_EPOCH + Duration::from_millis(1_767_225_601_123);
        assert_eq!(parse_rfc3339("2026-01-01T00:00:01.123Z"), Some(t));
        assert_eq!(parse_rfc3339("2026-01-01T01:00:01.123+01:00"), Some(t));
        assert_eq!(parse_rfc3339("2025-12-31T23:00:01.123-01:00"), Some(t));
        assert_eq!(
            parse_rfc3339("2026-01-01T00:00:01Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_767_225_601))
        );
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "2026-01-01",
            "2026-01-01T00:00:00",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+0100",
            "1969-12-31T23:59:59Z",
            "2026-01-01 00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
