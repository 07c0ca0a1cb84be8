//! Applicants, their faces, and applicant pools (Yoti's Face Search and applicant face
//! authentication): the store, its limits, and the request bodies of its endpoints.
//!
//! Each application has its own applicants and pools, separately per base (API and
//! sandbox, as sessions are): an id of another application or base is 404, exactly like an
//! unknown one. The handlers are in `routes::applicants`; the checks that read the store
//! (`FACE_COMPARISON` against an attached applicant, `FAMILIAR_FACE_SEARCH` against a pool)
//! are in `session::outcomes`, through [`Applicants::faces_of`] and
//! [`Applicants::pool_snapshot`].
//!
//! Lock order: the session store's lock may be held while this store's lock is taken (the
//! checks run inside a session), never the other way round. Nothing here calls into the
//! session store.
//!
//! # Limits
//!
//! Applicants persist until deleted, so the store refuses to grow past its limits rather
//! than forgetting anything: 409 `LIMIT_REACHED` naming the limit. Per application and
//! base, by default: 1,000 applicants, 5 faces each, 100 pools, 1,000 members per pool,
//! and 256 MiB of face images in all ([`StoreLimits`], set through the emulator's builder
//! and flags, see `limits`). A pool label is at most [`MAX_LABEL_CHARS`] characters.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::limits::StoreLimits;
use crate::media::{ImageType, MAX_IMAGE_BYTES, sniff_image};
use crate::util::{format_rfc3339, new_uuid, parse_object};

/// Longest pool label, in characters.
pub(crate) const MAX_LABEL_CHARS: usize = 256;
/// Longest base64 text of a face image: that of a [`MAX_IMAGE_BYTES`] image.
pub(crate) const MAX_FACE_BASE64: usize = MAX_IMAGE_BYTES.div_ceil(3) * 4;

/// A validated face image.
#[derive(Debug, Clone)]
pub(crate) struct FaceImage {
    pub(crate) kind: ImageType,
    pub(crate) data: Bytes,
}

/// A face in a request body: the image itself, or an image of a session of the same
/// application (`{session_id, media_id}`), resolved by the handler.
#[derive(Debug, Clone)]
pub(crate) enum FaceInput {
    Data(FaceImage),
    Source {
        session_id: String,
        media_id: String,
    },
}

#[derive(Debug, Clone)]
struct Face {
    id: String,
    image: FaceImage,
    created: SystemTime,
}

#[derive(Debug, Clone)]
struct Applicant {
    id: String,
    faces: Vec<Face>,
    created: SystemTime,
    last_updated: SystemTime,
}

#[derive(Debug, Clone)]
struct Pool {
    id: String,
    label: String,
    /// Applicant ids, in the order they joined.
    members: Vec<String>,
}

/// One application's data on one base.
#[derive(Debug, Default)]
struct AppData {
    applicants: HashMap<String, Applicant>,
    /// In creation order (a few at most: [`MAX_POOLS`]).
    pools: Vec<Pool>,
    face_bytes: usize,
}

impl AppData {
    fn applicant(&self, id: &str) -> Result<&Applicant, ApiError> {
        self.applicants.get(id).ok_or_else(applicant_not_found)
    }

    fn applicant_mut(&mut self, id: &str) -> Result<&mut Applicant, ApiError> {
        self.applicants.get_mut(id).ok_or_else(applicant_not_found)
    }

    fn pool_mut(&mut self, id: &str) -> Result<&mut Pool, ApiError> {
        self.pools
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(pool_not_found)
    }

    /// `{id, created_at, last_updated, faces: {archetype_face, faces: [{id, created_at}]},
    /// pools: [{id, label}]}`.
    fn applicant_view(&self, a: &Applicant) -> Value {
        let pools: Vec<Value> = self
            .pools
            .iter()
            .filter(|p| p.members.contains(&a.id))
            .map(|p| json!({"id": p.id, "label": p.label}))
            .collect();
        let faces: Vec<Value> = a
            .faces
            .iter()
            .map(|f| json!({"id": f.id, "created_at": format_rfc3339(f.created)}))
            .collect();
        json!({
            "id": a.id,
            "created_at": format_rfc3339(a.created),
            "last_updated": format_rfc3339(a.last_updated),
            "faces": {
                "archetype_face": a.faces.first().map(|f| f.id.clone()),
                "faces": faces,
            },
            "pools": pools,
        })
    }
}

/// A pool as a check sees it: its label and its members' faces, in joining order.
#[derive(Debug, Clone)]
pub(crate) struct PoolSnapshot {
    pub(crate) label: String,
    /// (applicant id, that applicant's face images).
    pub(crate) members: Vec<(String, Vec<Bytes>)>,
}

/// All applicants and pools, by (application, base).
#[derive(Debug, Default)]
pub(crate) struct Applicants {
    apps: Mutex<HashMap<(String, bool), AppData>>,
    limits: StoreLimits,
}

/// Who is asking: the application and the base (sandbox or not).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner<'a> {
    pub(crate) sdk_id: &'a str,
    pub(crate) sandbox: bool,
}

/// 404 `APPLICANT_NOT_FOUND` (also for another application's or base's applicant).
pub(crate) fn applicant_not_found() -> ApiError {
    ApiError::not_found("APPLICANT_NOT_FOUND", "Applicant not found")
}

fn pool_not_found() -> ApiError {
    ApiError::not_found("POOL_NOT_FOUND", "Pool not found")
}

fn limit_reached(what: &str, limit: usize) -> ApiError {
    ApiError::conflict(
        "LIMIT_REACHED",
        format!("The emulator holds at most {limit} {what}; delete some first"),
    )
}

impl Applicants {
    /// An empty store with these limits.
    pub(crate) fn with_limits(limits: StoreLimits) -> Self {
        Self {
            apps: Mutex::default(),
            limits,
        }
    }

    fn with<R>(&self, owner: Owner<'_>, f: impl FnOnce(&mut AppData) -> R) -> R {
        let mut apps = self.apps.lock().unwrap_or_else(PoisonError::into_inner);
        let data = apps
            .entry((owner.sdk_id.to_owned(), owner.sandbox))
            .or_default();
        f(data)
    }

    fn read<R>(&self, owner: Owner<'_>, f: impl FnOnce(Option<&AppData>) -> R) -> R {
        let apps = self.apps.lock().unwrap_or_else(PoisonError::into_inner);
        f(apps.get(&(owner.sdk_id.to_owned(), owner.sandbox)))
    }

    fn add_face_to(
        &self,
        data: &mut AppData,
        applicant_id: &str,
        image: FaceImage,
        now: SystemTime,
    ) -> Result<String, ApiError> {
        let limits = self.limits;
        let size = image.data.len();
        if data.face_bytes.saturating_add(size) > limits.face_bytes {
            return Err(limit_reached("bytes of face images", limits.face_bytes));
        }
        let applicant = data.applicant_mut(applicant_id)?;
        if applicant.faces.len() >= limits.faces_per_applicant {
            return Err(limit_reached(
                "faces per applicant",
                limits.faces_per_applicant,
            ));
        }
        let id = new_uuid()?;
        applicant.faces.push(Face {
            id: id.clone(),
            image,
            created: now,
        });
        applicant.last_updated = now;
        data.face_bytes += size;
        Ok(id)
    }

    /// A1: a new applicant, with a face when one is given; its view.
    pub(crate) fn create_applicant(
        &self,
        owner: Owner<'_>,
        face: Option<FaceImage>,
        now: SystemTime,
    ) -> Result<Value, ApiError> {
        self.with(owner, |data| {
            if data.applicants.len() >= self.limits.applicants {
                return Err(limit_reached("applicants", self.limits.applicants));
            }
            let id = new_uuid()?;
            data.applicants.insert(
                id.clone(),
                Applicant {
                    id: id.clone(),
                    faces: Vec::new(),
                    created: now,
                    last_updated: now,
                },
            );
            if let Some(face) = face
                && let Err(e) = self.add_face_to(data, &id, face, now)
            {
                data.applicants.remove(&id);
                return Err(e);
            }
            let applicant = data.applicant(&id)?;
            Ok(data.applicant_view(applicant))
        })
    }

    /// A2: adds a face to an applicant; the new face's id.
    pub(crate) fn add_face(
        &self,
        owner: Owner<'_>,
        applicant_id: &str,
        face: FaceImage,
        now: SystemTime,
    ) -> Result<String, ApiError> {
        self.with(owner, |data| {
            self.add_face_to(data, applicant_id, face, now)
        })
    }

    /// Whether the applicant exists (A2's 404 before a face source is resolved).
    pub(crate) fn has_applicant(&self, owner: Owner<'_>, applicant_id: &str) -> bool {
        self.read(owner, |d| {
            d.is_some_and(|d| d.applicants.contains_key(applicant_id))
        })
    }

    /// A3: the applicant's view.
    pub(crate) fn applicant_view(
        &self,
        owner: Owner<'_>,
        applicant_id: &str,
    ) -> Result<Value, ApiError> {
        self.read(owner, |d| {
            let d = d.ok_or_else(applicant_not_found)?;
            Ok(d.applicant_view(d.applicant(applicant_id)?))
        })
    }

    /// A4: `{face: {data, content_type}}`.
    pub(crate) fn face_view(
        &self,
        owner: Owner<'_>,
        applicant_id: &str,
        face_id: &str,
    ) -> Result<Value, ApiError> {
        self.read(owner, |d| {
            let d = d.ok_or_else(applicant_not_found)?;
            let face = d
                .applicant(applicant_id)?
                .faces
                .iter()
                .find(|f| f.id == face_id)
                .ok_or_else(face_not_found)?;
            Ok(json!({"face": {
                "data": STANDARD.encode(&face.image.data),
                "content_type": face.image.kind.mime(),
            }}))
        })
    }

    /// A5: deletes the applicant, its faces, and its pool memberships.
    pub(crate) fn delete_applicant(
        &self,
        owner: Owner<'_>,
        applicant_id: &str,
    ) -> Result<(), ApiError> {
        self.with(owner, |data| {
            let removed = data
                .applicants
                .remove(applicant_id)
                .ok_or_else(applicant_not_found)?;
            let freed: usize = removed.faces.iter().map(|f| f.image.data.len()).sum();
            data.face_bytes = data.face_bytes.saturating_sub(freed);
            for pool in &mut data.pools {
                pool.members.retain(|m| m != applicant_id);
            }
            Ok(())
        })
    }

    /// A6: deletes one face of an applicant.
    pub(crate) fn delete_face(
        &self,
        owner: Owner<'_>,
        applicant_id: &str,
        face_id: &str,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        self.with(owner, |data| {
            let applicant = data.applicant_mut(applicant_id)?;
            let index = applicant
                .faces
                .iter()
                .position(|f| f.id == face_id)
                .ok_or_else(face_not_found)?;
            let face = applicant.faces.remove(index);
            applicant.last_updated = now;
            data.face_bytes = data.face_bytes.saturating_sub(face.image.data.len());
            Ok(())
        })
    }

    /// P1: a new pool; `{id, label}`.
    pub(crate) fn create_pool(&self, owner: Owner<'_>, label: String) -> Result<Value, ApiError> {
        self.with(owner, |data| {
            if data.pools.len() >= self.limits.pools {
                return Err(limit_reached("pools", self.limits.pools));
            }
            let id = new_uuid()?;
            let view = json!({"id": id, "label": label});
            data.pools.push(Pool {
                id,
                label,
                members: Vec::new(),
            });
            Ok(view)
        })
    }

    /// Whether the pool exists (checked when a session requests a search of it).
    pub(crate) fn has_pool(&self, owner: Owner<'_>, pool_id: &str) -> bool {
        self.read(owner, |d| {
            d.is_some_and(|d| d.pools.iter().any(|p| p.id == pool_id))
        })
    }

    /// P2: adds an applicant to a pool (409 `ALREADY_IN_POOL` when it is a member).
    pub(crate) fn add_member(
        &self,
        owner: Owner<'_>,
        pool_id: &str,
        applicant_id: &str,
    ) -> Result<(), ApiError> {
        self.with(owner, |data| {
            let known = data.applicants.contains_key(applicant_id);
            let pool = data.pool_mut(pool_id)?;
            if !known {
                return Err(applicant_not_found());
            }
            if pool.members.iter().any(|m| m == applicant_id) {
                return Err(ApiError::conflict(
                    "ALREADY_IN_POOL",
                    "The applicant is already a member of this pool",
                ));
            }
            if pool.members.len() >= self.limits.pool_members {
                return Err(limit_reached(
                    "applicants per pool",
                    self.limits.pool_members,
                ));
            }
            pool.members.push(applicant_id.to_owned());
            Ok(())
        })
    }

    /// P3: deletes a pool; its applicants stay.
    pub(crate) fn delete_pool(&self, owner: Owner<'_>, pool_id: &str) -> Result<(), ApiError> {
        self.with(owner, |data| {
            let index = data
                .pools
                .iter()
                .position(|p| p.id == pool_id)
                .ok_or_else(pool_not_found)?;
            data.pools.remove(index);
            Ok(())
        })
    }

    /// P4: removes an applicant from a pool (404 `APPLICANT_NOT_IN_POOL` when it is not a
    /// member).
    pub(crate) fn remove_member(
        &self,
        owner: Owner<'_>,
        pool_id: &str,
        applicant_id: &str,
    ) -> Result<(), ApiError> {
        self.with(owner, |data| {
            let pool = data.pool_mut(pool_id)?;
            let index = pool
                .members
                .iter()
                .position(|m| m == applicant_id)
                .ok_or_else(|| {
                    ApiError::not_found(
                        "APPLICANT_NOT_IN_POOL",
                        "The applicant is not a member of this pool",
                    )
                })?;
            pool.members.remove(index);
            Ok(())
        })
    }

    /// The applicant's face images (oldest first), or `None` for an unknown applicant.
    pub(crate) fn faces_of(&self, owner: Owner<'_>, applicant_id: &str) -> Option<Vec<Bytes>> {
        self.read(owner, |d| {
            let a = d?.applicants.get(applicant_id)?;
            Some(a.faces.iter().map(|f| f.image.data.clone()).collect())
        })
    }

    /// The pool's label and its members' faces, or `None` for an unknown pool.
    pub(crate) fn pool_snapshot(&self, owner: Owner<'_>, pool_id: &str) -> Option<PoolSnapshot> {
        self.read(owner, |d| {
            let d = d?;
            let pool = d.pools.iter().find(|p| p.id == pool_id)?;
            let members = pool
                .members
                .iter()
                .filter_map(|m| {
                    let a = d.applicants.get(m)?;
                    Some((
                        m.clone(),
                        a.faces.iter().map(|f| f.image.data.clone()).collect(),
                    ))
                })
                .collect();
            Some(PoolSnapshot {
                label: pool.label.clone(),
                members,
            })
        })
    }
}

fn face_not_found() -> ApiError {
    ApiError::not_found("FACE_NOT_FOUND", "Face not found for this applicant")
}

/// The emulator's "same person" rule: a live face matches a stored face when the image
/// bytes are equal.
pub(crate) fn same_person(live: &[u8], stored: &[u8]) -> bool {
    live == stored
}

/// Reads `face` (`{data}` or `{source: {session_id, media_id}}`) at `path` of `obj`.
fn face_input(obj: &Map<String, Value>, path: &str) -> Result<FaceInput, ApiError> {
    let Some(face) = obj.get("face").and_then(Value::as_object) else {
        return Err(ApiError::invalid(path, "must be an object"));
    };
    match (face.get("data"), face.get("source")) {
        (Some(data), None) => {
            let property = format!("{path}.data");
            let Some(text) = data.as_str() else {
                return Err(ApiError::invalid(property, "must be a string"));
            };
            // Limit before allocating: the text's length bounds the decoded size.
            if text.len() > MAX_FACE_BASE64 {
                return Err(ApiError::too_large(&property, MAX_IMAGE_BYTES));
            }
            if text.starts_with("data:") {
                return Err(ApiError::invalid(
                    property,
                    "must be the image in standard base64, without a data: URI prefix",
                ));
            }
            let bytes = STANDARD
                .decode(text)
                .map_err(|_| ApiError::invalid(&property, "must be standard base64"))?;
            let kind = sniff_image(&property, &bytes)?;
            Ok(FaceInput::Data(FaceImage {
                kind,
                data: Bytes::from(bytes),
            }))
        }
        (None, Some(source)) => {
            let property = format!("{path}.source");
            let Some(source) = source.as_object() else {
                return Err(ApiError::invalid(property, "must be an object"));
            };
            let mut errors = Vec::new();
            let mut field = |name: &str| match source.get(name) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ => {
                    errors.push(crate::error::FieldError::new(
                        format!("{property}.{name}"),
                        "must be a non-empty string",
                    ));
                    String::new()
                }
            };
            let session_id = field("session_id");
            let media_id = field("media_id");
            if errors.is_empty() {
                Ok(FaceInput::Source {
                    session_id,
                    media_id,
                })
            } else {
                Err(ApiError::validation(errors))
            }
        }
        (Some(_), Some(_)) => Err(ApiError::invalid(
            path,
            "must have either data or source, not both",
        )),
        (None, None) => Err(ApiError::invalid(path, "must have data or source")),
    }
}

/// The body of A1: empty, `{}`, or `{face}`.
pub(crate) fn parse_create_applicant(body: &[u8]) -> Result<Option<FaceInput>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let obj = parse_object(body)?;
    match obj.get("face") {
        None | Some(Value::Null) => Ok(None),
        Some(_) => face_input(&obj, "face").map(Some),
    }
}

/// The body of A2: `{face}`.
pub(crate) fn parse_add_face(body: &[u8]) -> Result<FaceInput, ApiError> {
    let obj = parse_object(body)?;
    face_input(&obj, "face")
}

/// The body of P1: `{label}`, a non-empty string of at most [`MAX_LABEL_CHARS`] characters.
pub(crate) fn parse_pool(body: &[u8]) -> Result<String, ApiError> {
    let obj = parse_object(body)?;
    match obj.get("label") {
        Some(Value::String(label)) if label.trim().is_empty() => {
            Err(ApiError::invalid("label", "must not be empty"))
        }
        Some(Value::String(label)) if label.chars().count() > MAX_LABEL_CHARS => {
            Err(ApiError::invalid(
                "label",
                format!("must be at most {MAX_LABEL_CHARS} characters"),
            ))
        }
        Some(Value::String(label)) => Ok(label.clone()),
        None | Some(Value::Null) => Err(ApiError::invalid("label", "must not be null")),
        Some(_) => Err(ApiError::invalid("label", "must be a string")),
    }
}

/// The body of P2 and S1: `{applicant_id}`, a non-empty string.
pub(crate) fn parse_applicant_id(body: &[u8]) -> Result<String, ApiError> {
    let obj = parse_object(body)?;
    match obj.get("applicant_id") {
        Some(Value::String(id)) if !id.is_empty() => Ok(id.clone()),
        Some(Value::String(_)) => Err(ApiError::invalid("applicant_id", "must not be empty")),
        None | Some(Value::Null) => Err(ApiError::invalid("applicant_id", "must not be null")),
        Some(_) => Err(ApiError::invalid("applicant_id", "must be a string")),
    }
}

/// 422 `APPLICANT_HAS_NO_FACE`: S1 with an applicant that has no face to compare with (the
/// documented 422 "the media is not processable").
pub(crate) fn applicant_has_no_face() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "APPLICANT_HAS_NO_FACE",
        "The applicant has no face to compare with",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::DEFAULT_LIVENESS_JPEG;

    const OWNER: Owner<'static> = Owner {
        sdk_id: "app",
        sandbox: true,
    };

    fn jpeg() -> FaceImage {
        FaceImage {
            kind: ImageType::Jpeg,
            data: Bytes::from_static(DEFAULT_LIVENESS_JPEG),
        }
    }

    fn id_of(view: &Value) -> String {
        view["id"].as_str().expect("id").to_owned()
    }

    #[test]
    fn limits_refuse_growth() {
        let store = Applicants::with_limits(StoreLimits {
            applicants: 2,
            faces_per_applicant: 1,
            pools: 1,
            pool_members: 1,
            face_bytes: DEFAULT_LIVENESS_JPEG.len() * 2,
        });
        let now = SystemTime::UNIX_EPOCH;
        let a = id_of(&store.create_applicant(OWNER, Some(jpeg()), now).unwrap());
        let err = store.add_face(OWNER, &a, jpeg(), now).unwrap_err();
        assert_eq!(err.code(), "LIMIT_REACHED");
        let b = id_of(&store.create_applicant(OWNER, None, now).unwrap());
        assert_eq!(
            store.create_applicant(OWNER, None, now).unwrap_err().code(),
            "LIMIT_REACHED"
        );
        store.add_face(OWNER, &b, jpeg(), now).unwrap();
        // The byte budget is spent: deleting a face frees its share.
        store.delete_applicant(OWNER, &a).unwrap();
        let c = id_of(&store.create_applicant(OWNER, Some(jpeg()), now).unwrap());
        assert_eq!(
            store
                .create_applicant(OWNER, Some(jpeg()), now)
                .unwrap_err()
                .code(),
            "LIMIT_REACHED"
        );
        let pool = id_of(&store.create_pool(OWNER, "p".into()).unwrap());
        assert_eq!(
            store.create_pool(OWNER, "q".into()).unwrap_err().code(),
            "LIMIT_REACHED"
        );
        store.add_member(OWNER, &pool, &b).unwrap();
        assert_eq!(
            store.add_member(OWNER, &pool, &c).unwrap_err().code(),
            "LIMIT_REACHED"
        );
    }

    #[test]
    fn stores_are_apart_per_app_and_base() {
        let store = Applicants::default();
        let now = SystemTime::UNIX_EPOCH;
        let a = id_of(&store.create_applicant(OWNER, None, now).unwrap());
        let other_app = Owner {
            sdk_id: "other",
            sandbox: true,
        };
        let other_base = Owner {
            sdk_id: "app",
            sandbox: false,
        };
        for owner in [other_app, other_base] {
            assert_eq!(
                store.applicant_view(owner, &a).unwrap_err().code(),
                "APPLICANT_NOT_FOUND"
            );
            assert!(store.faces_of(owner, &a).is_none());
        }
        assert!(store.faces_of(OWNER, &a).is_some());
    }

    #[test]
    fn face_bodies() {
        use base64::engine::general_purpose::STANDARD;
        let ok = format!(
            r#"{{"face":{{"data":"{}"}}}}"#,
            STANDARD.encode(DEFAULT_LIVENESS_JPEG)
        );
        assert!(matches!(
            parse_add_face(ok.as_bytes()).unwrap(),
            FaceInput::Data(FaceImage {
                kind: ImageType::Jpeg,
                ..
            })
        ));
        let gif = format!(
            r#"{{"face":{{"data":"{}"}}}}"#,
            STANDARD.encode(b"GIF89a....")
        );
        assert_eq!(
            parse_add_face(gif.as_bytes()).unwrap_err().errors()[0].property,
            "face.data"
        );
        let err = parse_add_face(br#"{"face":{"source":{"session_id":""}}}"#).unwrap_err();
        let props: Vec<_> = err.errors().iter().map(|e| e.property.as_str()).collect();
        assert_eq!(props, ["face.source.session_id", "face.source.media_id"]);
        assert!(parse_create_applicant(b"").unwrap().is_none());
        assert!(parse_create_applicant(b"{}").unwrap().is_none());
        // Over the limit by its length alone: refused before decoding.
        let huge = format!(
            r#"{{"face":{{"data":"{}"}}}}"#,
            "A".repeat(MAX_FACE_BASE64 + 4)
        );
        assert_eq!(
            parse_add_face(huge.as_bytes()).unwrap_err().code(),
            "PAYLOAD_TOO_LARGE"
        );
    }
}
