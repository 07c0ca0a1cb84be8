//! Points in time the service sends: RFC 3339 text plus its parsed value.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as the service sent it (`created`, `last_updated`, `session_deadline`...):
/// the RFC 3339 text, kept as received, and its value parsed with [`jiff`].
///
/// A timestamp the SDK cannot parse never fails the decode of the response around it: the
/// text stays readable with [`Timestamp::as_str`], and [`Timestamp::parsed`] is `None`.
/// Equality and hashing are those of the text; serialising writes the text back unchanged.
///
/// ```
/// use idv_model::Timestamp;
///
/// let t: Timestamp = serde_json::from_str(r#""2024-03-01T10:15:30.123+01:00""#).unwrap();
/// assert_eq!(t.as_str(), "2024-03-01T10:15:30.123+01:00");
/// assert_eq!(t.parsed().map(|p| p.as_millisecond()), Some(1_709_284_530_123));
///
/// let odd: Timestamp = serde_json::from_str(r#""yesterday""#).unwrap();
/// assert_eq!(odd.as_str(), "yesterday");
/// assert!(odd.parsed().is_none());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    parsed: Option<jiff::Timestamp>,
}

impl Timestamp {
    /// A timestamp from its text; [`Timestamp::parsed`] is `None` when it is not RFC 3339.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let parsed = jiff::Timestamp::from_str(&text).ok();
        Self { text, parsed }
    }

    /// The text as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed point in time, or `None` when the text is not an RFC 3339 timestamp.
    pub fn parsed(&self) -> Option<jiff::Timestamp> {
        self.parsed
    }

    /// Same as [`Timestamp::parsed`], named after the crate it returns a value of.
    pub fn to_jiff(&self) -> Option<jiff::Timestamp> {
        self.parsed
    }

    /// Whether the text is a valid RFC 3339 timestamp.
    pub fn is_valid(&self) -> bool {
        self.parsed.is_some()
    }
}

impl From<jiff::Timestamp> for Timestamp {
    /// The RFC 3339 text of a point in time (in UTC).
    fn from(value: jiff::Timestamp) -> Self {
        Self {
            text: value.to_string(),
            parsed: Some(value),
        }
    }
}

impl From<String> for Timestamp {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Timestamp {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text).finish()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The text, as with [`Timestamp::as_str`] (so `Option<Timestamp>::as_deref()` gives an
/// `Option<&str>`).
impl std::ops::Deref for Timestamp {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_fractions_and_offsets_parses() {
        let utc = Timestamp::new("2020-01-01T12:00:00Z");
        assert_eq!(utc.parsed().map(|t| t.as_second()), Some(1_577_880_000));
        let micros = Timestamp::new("2020-01-01T12:00:00.123456Z");
        assert_eq!(
            micros.parsed().map(|t| t.as_microsecond()),
            Some(1_577_880_000_123_456)
        );
        let offset = Timestamp::new("2020-01-01T13:30:00+01:30");
        assert_eq!(offset.to_jiff(), utc.parsed());
        assert_eq!(offset.as_str(), "2020-01-01T13:30:00+01:30");
        assert!(offset.is_valid());
    }

    #[test]
    fn unparsable_text_is_kept() {
        for text in ["", "not a date", "2020-13-45T00:00:00Z", "2020-01-01"] {
            let t: Timestamp = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(t.as_str(), text);
            assert_eq!(t.parsed(), None, "{text}");
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(text));
        }
    }

    #[test]
    fn from_jiff_writes_rfc3339() {
        let t = Timestamp::from(jiff::Timestamp::from_second(1_577_880_000).unwrap());
        assert_eq!(t.as_str(), "2020-01-01T12:00:00Z");
        assert_eq!(Timestamp::new(t.as_str()), t);
    }
}
