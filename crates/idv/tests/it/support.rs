//! Helpers shared by the facade's integration tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// A bare HTTP/1.1 server on 127.0.0.1 that answers every request with `size` bytes of a
/// repeating pattern, written from one small buffer: the server itself uses no memory for the
/// body. Returns the base URL to give the client.
pub fn big_media_server(size: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, size));
        }
    });
    format!("http://{addr}/idverify/v1")
}

fn serve(mut stream: TcpStream, size: u64) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let header =
        format!("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {size}\r\n\r\n");
    if stream.write_all(header.as_bytes()).is_err() {
        return;
    }
    let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if stream.write_all(&chunk[..n]).is_err() {
            return;
        }
        left -= n as u64;
    }
}

/// The process's peak resident set size so far, in bytes (Linux `VmHWM`).
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// The test key (for tests only).
pub const KEY: &str = idv_test_support::keys::TEST_KEY;

/// The SDK id the tests register on the emulator.
pub const SDK_ID: &str = "6e7f4c8a-1b2d-4e3f-9a0b-c1d2e3f4a5b6";

/// The reference face (a 32x32 JPEG).
pub const FACE: &[u8] = include_bytes!("../data/reference-face.jpg");

/// An emulator on 127.0.0.1 with the test key's application, and a client configuration
/// pointing at it.
pub fn emulator() -> (idv_emulator::Emulator, idv::ClientBuilder) {
    let key = idv::PrivateKey::from_pem(KEY).unwrap();
    let emulator = idv_emulator::Emulator::builder()
        .app(SDK_ID, key.public_key())
        .start()
        .unwrap();
    let config = idv::ClientBuilder::new()
        .sdk_id(SDK_ID)
        .key(key)
        .base_url(&emulator.sandbox_base_url());
    (emulator, config)
}

/// Creates the face-capture resource of a session's first face-capture requirement and
/// uploads [`FACE`] to it; returns the resource id.
pub fn upload_reference(
    client: &idv::BlockingClient,
    session_id: &idv::model::SessionId,
) -> idv::model::ResourceId {
    use idv::model::{CreateFaceCaptureResourcePayload, UploadFaceCaptureImagePayload};
    let configuration = client.get_session_configuration(session_id).unwrap();
    let requirement = configuration.face_capture_requirements().next().unwrap();
    let resource = client
        .create_face_capture_resource(
            session_id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .unwrap();
    client
        .upload_face_capture_image(
            session_id,
            &resource.id,
            &UploadFaceCaptureImagePayload::jpeg(FACE),
        )
        .unwrap();
    resource.id
}

/// [`upload_reference`] with the async client.
pub async fn upload_reference_async(
    client: &idv::Client,
    session_id: &idv::model::SessionId,
) -> idv::model::ResourceId {
    use idv::model::{CreateFaceCaptureResourcePayload, UploadFaceCaptureImagePayload};
    let configuration = client.get_session_configuration(session_id).await.unwrap();
    let requirement = configuration.face_capture_requirements().next().unwrap();
    let resource = client
        .create_face_capture_resource(
            session_id,
            &CreateFaceCaptureResourcePayload::new(requirement.id.clone()),
        )
        .await
        .unwrap();
    client
        .upload_face_capture_image(
            session_id,
            &resource.id,
            &UploadFaceCaptureImagePayload::jpeg(FACE),
        )
        .await
        .unwrap();
    resource.id
}
