//! Streaming media downloads: the bytes are handed over as they arrive, so memory stays flat
//! however large the media is.

use std::fmt;
use std::io::Read;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use idv_core::call::{BodyAction, Step, StreamedCall};
use idv_core::operation::mime_type;
use idv_core::operations::GetMediaContent;
use idv_core::{BodyReader, BodyStream, Error};

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
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub fn get_media_content_reader(
        &self,
        session_id: &idv_model::SessionId,
        media_id: &idv_model::MediaId,
    ) -> crate::Result<Option<MediaReader>> {
        let operation = GetMediaContent {
            session_id,
            media_id,
        };
        let mut call = StreamedCall::new(
            Arc::clone(&self.inner.calls),
            self.inner.config.base_url.clone(),
            &operation,
        )?;
        let transport = &*self.inner.transport;
        loop {
            match call.next()? {
                Step::Send(request) => match transport.send_streaming(request) {
                    Ok(response) => {
                        let (parts, mut body) = response.into_parts();
                        match call.on_response_head(parts.status, &parts.headers) {
                            BodyAction::Deliver => {
                                return Ok(Some(MediaReader {
                                    mime_type: mime_type(&parts.headers),
                                    content_length: content_length(&parts.headers),
                                    body,
                                }));
                            }
                            BodyAction::Empty => return Ok(None),
                            BodyAction::Discard => {}
                            BodyAction::ReadError { max_bytes } => {
                                let mut bytes = Vec::new();
                                // The error body is informative only: a failure to read it
                                // leaves it short.
                                let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX);
                                let _ = (&mut body).take(limit).read_to_end(&mut bytes);
                                call.on_error_body(bytes);
                            }
                        }
                    }
                    Err(error) => call.on_transport_error(error),
                },
                Step::Sleep(wait) => std::thread::sleep(wait),
                Step::Authenticate(need) => match self.authenticate(need.rejected.as_ref()) {
                    Ok(token) => call.on_token(token),
                    Err(error) => call.on_token_error(error),
                },
                Step::Done(never) => match never {},
            }
        }
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
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the service refuses the call (for example 404 for
    /// an unknown session), [`Error::Config`](crate::Error::Config) when its answer says the
    /// client is misconfigured (unknown SDK id, wrong base URL),
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty or dot-segment id,
    /// [`Error::Transport`](crate::Error::Transport) when the exchange fails,
    /// [`Error::Decode`](crate::Error::Decode) when the answer cannot be read.
    pub async fn get_media_content_stream(
        &self,
        session_id: &idv_model::SessionId,
        media_id: &idv_model::MediaId,
    ) -> crate::Result<Option<MediaStream>> {
        let operation = GetMediaContent {
            session_id,
            media_id,
        };
        let mut call = StreamedCall::new(
            Arc::clone(&self.inner.calls),
            self.inner.config.base_url.clone(),
            &operation,
        )?;
        let transport = &*self.inner.transport;
        loop {
            match call.next()? {
                Step::Send(request) => match transport.send_streaming(request).await {
                    Ok(response) => {
                        let (parts, mut body) = response.into_parts();
                        match call.on_response_head(parts.status, &parts.headers) {
                            BodyAction::Deliver => {
                                return Ok(Some(MediaStream {
                                    mime_type: mime_type(&parts.headers),
                                    content_length: content_length(&parts.headers),
                                    body,
                                }));
                            }
                            BodyAction::Empty => return Ok(None),
                            BodyAction::Discard => {}
                            BodyAction::ReadError { max_bytes } => {
                                // The error body is informative only: a read error ends it.
                                let mut bytes = Vec::new();
                                while bytes.len() < max_bytes {
                                    let next =
                                        std::future::poll_fn(|cx| body.as_mut().poll_next(cx))
                                            .await;
                                    match next {
                                        Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
                                        _ => break,
                                    }
                                }
                                call.on_error_body(bytes);
                            }
                        }
                    }
                    Err(error) => call.on_transport_error(error),
                },
                Step::Sleep(wait) => transport.sleep(wait).await,
                Step::Authenticate(need) => match self.authenticate(need.rejected.as_ref()).await {
                    Ok(token) => call.on_token(token),
                    Err(error) => call.on_token_error(error),
                },
                Step::Done(never) => match never {},
            }
        }
    }
}
