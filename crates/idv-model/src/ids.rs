//! Typed identifiers: one type per kind of id, so that an id of one kind cannot be passed
//! where another is expected.
//!
//! Every id is a cheap-to-clone string (an `Arc<str>` inside) that serialises as the plain
//! JSON string the service sends. Values read from the service flow into the next call
//! unchanged, and an id a user stored as text comes back with `From<String>`, `From<&str>`
//! or `str::parse`:
//!
//! ```
//! use idv_model::{MediaId, SessionId};
//!
//! let session_id = SessionId::from("5c0e9f6a-e3b4-4b2e-8f1b-6a8b1f1c1d2e");
//! let same: SessionId = "5c0e9f6a-e3b4-4b2e-8f1b-6a8b1f1c1d2e".parse().unwrap();
//! assert_eq!(session_id, same);
//! assert_eq!(session_id, "5c0e9f6a-e3b4-4b2e-8f1b-6a8b1f1c1d2e");
//! assert_eq!(session_id.to_string(), session_id.as_str());
//! let media_id = MediaId::from(String::from("m-1"));
//! assert_eq!(serde_json::to_string(&media_id).unwrap(), r#""m-1""#);
//! ```
//!
//! Ids are not secrets and not personal data: `Debug` and `Display` print them.

use std::borrow::Borrow;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// Equality, ordering and hashing are those of the text, so the type also works as a
        /// map key looked up by `&str` (`Borrow<str>`); it dereferences to `str`, so
        /// `Option<Self>::as_deref()` gives an `Option<&str>`.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&&*self.0).finish()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(Arc::from(value))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(Arc::from(value))
            }
        }

        impl From<&String> for $name {
            fn from(value: &String) -> Self {
                Self(Arc::from(value.as_str()))
            }
        }

        impl From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0.as_ref().to_owned()
            }
        }

        impl FromStr for $name {
            type Err = Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == &*other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == &*other.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }
    };
}

id_type! {
    /// The id of a session (`session_id`), from [`crate::CreateSessionResult`].
    SessionId
}

id_type! {
    /// The id of a resource of a session: an ID document, a face capture, a liveness
    /// capture... (`id` of a resource, `resource_id`, `resources_used` of a check).
    ResourceId
}

id_type! {
    /// The id of a required resource of the session configuration (`id` of a required
    /// resource, `requirement_id` of a face-capture resource or an IBV document proposal).
    RequirementId
}

id_type! {
    /// The id of a media object (`id` of a media, `extraction_image_ids`), for
    /// `get_media_content`.
    MediaId
}

id_type! {
    /// The id of a check of a session (`id` of a check, `check_id` of a notification).
    CheckId
}

id_type! {
    /// The id of a task of a session (`id` of a task, `task_id` of a notification).
    TaskId
}

id_type! {
    /// The id of an applicant (Face Search): a person whose stored face later sessions are
    /// compared with or searched for (`id` of an applicant, `applicant_id` of a pool member,
    /// `matching_applicant` of a `FAMILIAR_FACE_SEARCH` result).
    ApplicantId
}

id_type! {
    /// The id of one face of an applicant (`id` of an added face, `archetype_face`).
    FaceId
}

id_type! {
    /// The id of an applicant pool (`id` of a pool, `pool_id` of a `FAMILIAR_FACE_SEARCH`
    /// check, `matching_pool` of its result).
    PoolId
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;

    #[test]
    fn ids_compare_hash_and_borrow_as_their_text() {
        let id = SessionId::from("s-1");
        assert_eq!(id, "s-1");
        assert_eq!(id, *"s-1");
        assert_eq!(id, String::from("s-1"));
        assert_eq!("s-1", id);
        assert_ne!(id, "s-2");
        let mut map = HashMap::new();
        map.insert(id.clone(), 1);
        assert_eq!(map.get("s-1"), Some(&1));
        let set: BTreeSet<MediaId> = ["b", "a"].into_iter().map(MediaId::from).collect();
        assert_eq!(
            set.iter().map(MediaId::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(set.contains("a"));
    }

    #[test]
    fn ids_are_transparent_in_json_and_print_their_text() {
        let id: CheckId = serde_json::from_str(r#""c-1""#).unwrap();
        assert_eq!(id.as_str(), "c-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""c-1""#);
        assert_eq!(id.to_string(), "c-1");
        assert_eq!(format!("{id:?}"), r#"CheckId("c-1")"#);
        assert!(serde_json::from_str::<CheckId>("1").is_err());
        let parsed: TaskId = "t-1".parse().unwrap();
        assert_eq!(String::from(parsed), "t-1");
    }

    #[test]
    fn clones_share_the_text() {
        let id = ResourceId::from(String::from("r-1"));
        let copy = id.clone();
        assert!(std::ptr::eq(id.as_str(), copy.as_str()));
    }
}
