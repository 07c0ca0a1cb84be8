//! Streaming media downloads: the bytes are handed over as they arrive, so memory stays flat
//! however large the media is.

use std::fmt;
use std::io::Read;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use idv_core::operation::mime_type;
use idv_core::operations::GetMediaContent;
use idv_core::{ApiError, BodyReader, BodyStream, Error, Operation};

use crate::telemetry::CallInfo;

/// The most bytes of an error response read from a streamed download.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The declared length of a response, when it is one valid number.
fn content_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// A media download read as it arrives, from [`crate::BlockingClient::get_media_content_reader`].
///
/// Read errors are `std::io::Error`s wrapping an [`idv_core::TransportError`].
pub struct MediaReader {
    mime_type: String,
    content_length: Option<u64>,
    body: BodyReader,
}

impl MediaReader {
    /// The MIME type without parameters (empty if the server sent none).
    pub fn mime_type(&self) -> &str {
        &self.mime_type
    }

    /// The size the server announced, if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl Read for MediaReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.body.read(buf)
    }
}

impl fmt::Debug for MediaReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaReader")
            .field("mime_type", &self.mime_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// A media download as a stream of chunks, from [`crate::Client::get_media_content_stream`].
///
/// It implements `futures_core::Stream`; [`MediaStream::next_chunk`] reads it without any
/// stream combinator crate.
pub struct MediaStream {
    mime_type: String,
    content_length: Option<u64>,
    body: BodyStream,
}

impl MediaStream {
    /// The MIME type without parameters (empty if the server sent none).
    pub fn mime_type(&self) -> &str {
        &self.mime_type
    }

    /// The size the server announced, if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk, `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_chunk(cx)).await
    }

    fn poll_next_chunk(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Error>>> {
        self.body
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(Error::Transport)))
    }
}

impl futures_core::Stream for MediaStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_next_chunk(cx)
    }
}

impl fmt::Debug for MediaStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaStream")
            .field("mime_type", &self.mime_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl crate::BlockingClient {
    /// Gets the content of a media object as a reader, without holding it in memory
    /// (`GET /sessions/{id}/media/{media_id}/content`). `Ok(None)` on `204 No Content`.
    ///
    /// ```no_run
    /// # fn run(client: &idv::BlockingClient) -> Result<(), Box<dyn std::error::Error>> {
    /// if let Some(mut media) = client.get_media_content_reader(&"session-id".into(), &"media-id".into())? {
    ///     let mut file = std::fs::File::create("media.bin")?;
    ///     std::io::copy(&mut media, &mut file)?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_media_content_reader(
        &self,
        session_id: &idv_model::SessionId,
        media_id: &idv_model::MediaId,
    ) -> crate::Result<Option<MediaReader>> {
        let operation = GetMediaContent {
            session_id,
            media_id,
        };
        let request = operation.request()?;
        let base = self.inner.config.base_url.clone();
        let response = self.send_with_retries(
            CallInfo::of::<GetMediaContent<'_>>(request.method()),
            &base,
            &request,
            true,
            usize::MAX,
            |t, r| t.send_streaming(r),
        )?;
        let (parts, mut body) = response.into_parts();
        if parts.status == http::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        if !parts.status.is_success() {
            let mut bytes = Vec::new();
            // The error body is informative only: a failure to read it leaves it empty.
            let _ = (&mut body)
                .take(MAX_ERROR_BODY as u64)
                .read_to_end(&mut bytes);
            let response = http::Response::from_parts(parts, bytes);
            return Err(Error::Api(ApiError::from_response(response)));
        }
        Ok(Some(MediaReader {
            mime_type: mime_type(&parts.headers),
            content_length: content_length(&parts.headers),
            body,
        }))
    }
}

impl crate::Client {
    /// Gets the content of a media object as a stream of chunks, without holding it in
    /// memory (`GET /sessions/{id}/media/{media_id}/content`). `Ok(None)` on `204 No Content`.
    ///
    /// ```no_run
    /// # async fn run(client: &idv::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// if let Some(mut media) = client.get_media_content_stream(&"session-id".into(), &"media-id".into()).await? {
    ///     let mut size = 0;
    ///     while let Some(chunk) = media.next_chunk().await {
    ///         size += chunk?.len();
    ///     }
    ///     println!("{} bytes of {}", size, media.mime_type());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_media_content_stream(
        &self,
        session_id: &idv_model::SessionId,
        media_id: &idv_model::MediaId,
    ) -> crate::Result<Option<MediaStream>> {
        let operation = GetMediaContent {
            session_id,
            media_id,
        };
        let request = operation.request()?;
        let base = self.inner.config.base_url.clone();
        let response = self
            .send_with_retries::<crate::client::Streamed>(
                CallInfo::of::<GetMediaContent<'_>>(request.method()),
                &base,
                &request,
                true,
                usize::MAX,
            )
            .await?;
        let (parts, mut body) = response.into_parts();
        if parts.status == http::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        if !parts.status.is_success() {
            let mut bytes = Vec::new();
            while bytes.len() < MAX_ERROR_BODY {
                let next = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await;
                match next {
                    Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            bytes.truncate(MAX_ERROR_BODY);
            let response = http::Response::from_parts(parts, bytes);
            return Err(Error::Api(ApiError::from_response(response)));
        }
        Ok(Some(MediaStream {
            mime_type: mime_type(&parts.headers),
            content_length: content_length(&parts.headers),
            body,
        }))
    }
}
