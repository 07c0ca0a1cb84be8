//! Deserialization helpers shared by the response types.
//!
//! # Polymorphic responses
//!
//! Checks, tasks, liveness resources, required resources and a few smaller types are JSON
//! objects told apart by a discriminator (`type`, `liveness_type`). Their enums decode in one
//! pass, without `#[serde(flatten)]` or serde's internally tagged enums (which buffer every
//! object into an intermediate tree first):
//!
//! * when the discriminator is the object's first key (what the service sends), the rest of
//!   the object is decoded in place into the variant's struct, straight from the input, so a
//!   decode error keeps its full JSON path (`checks[3].report.breakdown[0].result`) through
//!   `serde_path_to_error`;
//! * when other keys come first (serde_json's own `Value` sorts keys, so `type` often comes
//!   last), their raw JSON text is kept, borrowed from the input without a copy when the
//!   input is borrowed, until the discriminator shows up; the variant is then decoded from
//!   those texts and from the rest of the object in place (an error inside one of the early
//!   members names its path in the message, `at \`report.breakdown[0].result\`: ...`);
//! * when the discriminator names a type this version does not know, the object is kept as raw
//!   JSON ([`serde_json::value::RawValue`]) beside its common fields, in the enum's `Unknown`
//!   variant, and the rest of the response decodes as usual. The raw JSON is the object's
//!   members in the server's order, each value byte for byte; only the whitespace between
//!   the object's own members is not kept.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Decodes `null` as the type's default value (absent fields are handled by `#[serde(default)]`).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The discriminator of an unknown variant when the server sent none: the empty value.
pub(crate) fn unknown_tag<T: From<String>>() -> T {
    T::from(String::new())
}

/// Reads the discriminator of an unknown variant: a string, or `null` as the empty value.
pub(crate) fn lenient_tag<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(T::from(
        Option::<String>::deserialize(d)?.unwrap_or_default(),
    ))
}

/// Prints `<redacted>` in place of a secret or a piece of personal data.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A polymorphic response type (implemented by the generated enums).
pub(crate) trait Tagged: Sized {
    /// The discriminator's key, e.g. `type`.
    const TAG: &'static str;
    /// What the decoder expected, for error messages.
    const EXPECTING: &'static str;

    /// Decodes the known variant `tag` from `d`, or `None` (leaving `d` unused) when `tag`
    /// names no known variant.
    fn known<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Option<Result<Self, D::Error>>;

    /// The unknown variant of a complete object.
    fn unknown(raw: Box<RawValue>) -> Result<Self, serde_json::Error>;
}

/// Decodes a [`Tagged`] type (see the module docs).
pub(crate) fn tagged<'de, T: Tagged, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(TaggedVisitor::<T>(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut seen: Vec<(Key<'de>, RawText<'de>)> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() != T::TAG {
                seen.push((key, map.next_value()?));
                continue;
            }
            let Some(tag) = map.next_value::<Option<Key<'de>>>()? else {
                // `"type": null`: no discriminator
                seen.push((key, RawText::Owned("null".to_owned())));
                continue;
            };
            // decode the known variant from the entries seen so far, then the rest in place
            let rest = Chained {
                seen: &seen,
                next: 0,
                pending: None,
                live: &mut map,
            };
            if let Some(result) = T::known(tag.as_str(), RestOfMap(rest)) {
                return result;
            }
            let tag = serde_json::to_string(tag.as_str()).map_err(de::Error::custom)?;
            seen.push((key, RawText::Owned(tag)));
            while let Some(key) = map.next_key::<Key<'de>>()? {
                seen.push((key, map.next_value()?));
            }
            return T::unknown(rebuild(&seen).map_err(de::Error::custom)?)
                .map_err(de::Error::custom);
        }
        T::unknown(rebuild(&seen).map_err(de::Error::custom)?).map_err(de::Error::custom)
    }
}

/// The JSON object of buffered entries, in their order.
fn rebuild(entries: &[(Key<'_>, RawText<'_>)]) -> Result<Box<RawValue>, serde_json::Error> {
    let mut text = String::from("{");
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(key.as_str())?);
        text.push(':');
        text.push_str(value.as_str());
    }
    text.push('}');
    RawValue::from_string(text)
}

/// The JSON text of a value, borrowed from the input when the input is borrowed (no copy).
///
/// It is read through serde_json's raw-value protocol (the one `RawValue` itself uses), so
/// it works with any serde_json deserializer, borrowed (`from_slice`, `from_str`) or not
/// (`from_reader`, `from_value`).
enum RawText<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl RawText<'_> {
    fn as_str(&self) -> &str {
        match self {
            RawText::Borrowed(s) => s,
            RawText::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for RawText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `Box<RawValue>` copies; `&RawValue` fails on non-borrowed input. This asks for the
        // raw text the way both do and takes it borrowed when it comes borrowed.
        const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawText<'de>, A::Error> {
                if map.next_key::<de::IgnoredAny>()?.is_none() {
                    return Err(de::Error::custom("no raw JSON value"));
                }
                Ok(match map.next_value::<Key<'de>>()? {
                    Key::Borrowed(s) => RawText::Borrowed(s),
                    Key::Owned(s) => RawText::Owned(s),
                })
            }
        }
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawVisitor)
    }
}

/// The entries seen before the discriminator (decoded from their raw text), then the rest of
/// the live map (decoded in place, so error paths stay exact).
struct Chained<'s, 'de, A> {
    seen: &'s [(Key<'de>, RawText<'de>)],
    next: usize,
    pending: Option<&'s (Key<'de>, RawText<'de>)>,
    live: &'s mut A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Chained<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(entry) = self.seen.get(self.next) {
            self.next += 1;
            self.pending = Some(entry);
            let key: de::value::StrDeserializer<'_, A::Error> =
                entry.0.as_str().into_deserializer();
            return seed.deserialize(key).map(Some);
        }
        self.live.next_key_seed(seed)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        let Some((key, raw)) = self.pending.take() else {
            return self.live.next_value_seed(seed);
        };
        let mut track = serde_path_to_error::Track::new();
        let result = match raw {
            RawText::Borrowed(text) => {
                let mut de = serde_json::Deserializer::from_str(text);
                seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
            }
            RawText::Owned(text) => {
                let mut de = serde_json::Deserializer::from_reader(text.as_bytes());
                seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
            }
        };
        result.map_err(|e| {
            let inner = track.path().to_string();
            let at = if inner == "." {
                key.as_str().to_owned()
            } else {
                format!("{}.{inner}", key.as_str())
            };
            de::Error::custom(format_args!("at `{at}`: {e}"))
        })
    }
}

/// A map key, borrowed from the input when possible.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// The remaining entries of a map being decoded, as a deserializer of a map.
struct RestOfMap<A>(A);

impl<'de, A: MapAccess<'de>> Deserializer<'de> for RestOfMap<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}
