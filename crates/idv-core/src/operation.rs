//! The [`Operation`] trait and the response-parsing helpers every operation shares.

use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error};
use crate::request::ApiRequest;

/// One IDV endpoint: a pure description of the request and a pure parser of the response.
///
/// Neither step does I/O, so every operation is tested without a network, and the blocking
/// and the async clients share them.
pub trait Operation {
    /// What a successful call returns.
    type Output;

    /// A stable name for logs and traces, e.g. `get_session`.
    const NAME: &'static str;

    /// The path with placeholders instead of ids, e.g. `/sessions/{session_id}`: safe to log.
    const PATH_TEMPLATE: &'static str;

    /// Whether sending the request twice has the same effect as sending it once (GET, DELETE,
    /// the image PUT). Non-idempotent calls are retried only when the request provably never
    /// left.
    fn is_idempotent(&self) -> bool;

    /// Whether the response is media (bytes of any size) rather than a JSON document: media
    /// responses get the media size limit instead of the JSON one.
    fn is_media(&self) -> bool {
        false
    }

    /// Describes the request. Called once per call; signing happens per attempt.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the operation's input cannot make a valid request.
    fn request(&self) -> Result<ApiRequest, Error>;

    /// Turns the response into the output, or an error for a non-success status or a body
    /// that does not decode.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] or [`Error::Config`] for a non-success status (see
    /// [`Error::from_response`]), [`Error::Decode`] for a body that does not decode.
    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, Error>;
}

/// Returns the response if its status is 2xx, else the API error it carries.
///
/// # Errors
///
/// [`Error::Api`], or [`Error::Config`] when the answer says the client is misconfigured (see
/// [`Error::from_response`]).
pub fn expect_success(response: http::Response<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(Error::from_response(response))
    }
}

/// Decodes a 2xx JSON body into `T`, keeping the JSON path of any failure.
///
/// # Errors
///
/// As [`expect_success`], and [`Error::Decode`] when the body is not the expected JSON.
pub fn decode_json<T: DeserializeOwned>(response: http::Response<Vec<u8>>) -> Result<T, Error> {
    let response = expect_success(response)?;
    let body = response.body();
    // Fast path: no path tracking. Only when it fails is the body decoded again with
    // serde_path_to_error, to say where (decoding is deterministic, so it fails there too).
    if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_slice(body)) {
        return Ok(value);
    }
    let status = response.status();
    let de = &mut serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize(de) {
        Ok(value) => Ok(value),
        Err(e) => {
            let path = e.path().to_string();
            Err(Error::Decode(DecodeError::new(
                status,
                path,
                &e.inner().to_string(),
                body,
            )))
        }
    }
}

/// Accepts any 2xx response and discards its body.
///
/// # Errors
///
/// As [`expect_success`].
pub fn expect_empty(response: http::Response<Vec<u8>>) -> Result<(), Error> {
    expect_success(response).map(|_| ())
}

/// The MIME type of a response without its parameters (`image/jpeg; charset=x` gives
/// `image/jpeg`), or an empty string when there is none.
pub fn mime_type(headers: &http::HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}
