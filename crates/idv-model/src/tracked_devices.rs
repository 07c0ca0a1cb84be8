//! Tracked devices: the answer to `GET /sessions/{id}/tracked-devices`, a JSON array of
//! [`TrackedDeviceEvent`]s (decode it as `Vec<TrackedDeviceEvent>`).
//!
//! A device's IP address is personal data: `Debug` of [`TrackedDevice`] prints `<redacted>`
//! in its place.

pub use crate::generated::tracked_devices::*;
