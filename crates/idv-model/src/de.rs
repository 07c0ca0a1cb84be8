//! Deserialization helpers shared by the response types.

use serde::{Deserialize, Deserializer};

/// Decodes `null` as the type's default value (absent fields are handled by `#[serde(default)]`).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
