//! A tiny loopback HTTP/1.1 server for the transport tests.
//!
//! It accepts connections on `127.0.0.1:0`, reads each request (head plus a
//! `Content-Length` body), records the raw bytes, and answers with whatever the test's
//! handler returns: canned raw bytes, optionally followed by a close or a stall.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod keys;
pub mod webdriver;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the server does after reading a request.
pub enum Action {
    /// Writes the bytes, then waits for the next request on the same connection.
    Reply(Vec<u8>),
    /// Writes the bytes, then closes the connection.
    ReplyAndClose(Vec<u8>),
    /// Writes the bytes, then keeps the connection open without writing anything more.
    ReplyAndStall(Vec<u8>, Duration),
    /// Closes the connection without writing anything.
    Close,
}

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Every byte of the request: head and body.
    pub raw: Vec<u8>,
    /// The head (request line and header lines), without the blank line.
    pub head: String,
    /// The body, as framed by `Content-Length`.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The request line, e.g. `GET /path HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.split("\r\n").next().unwrap_or_default()
    }

    /// The method of the request line.
    pub fn method(&self) -> &str {
        self.request_line().split(' ').next().unwrap_or_default()
    }

    /// The request target, exactly as written on the request line.
    pub fn target(&self) -> &str {
        self.request_line().split(' ').nth(1).unwrap_or_default()
    }

    /// The header lines in order, names lowercased, values as sent.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.head
            .split("\r\n")
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
            .collect()
    }

    /// The values of header `name` (lowercase), in order.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers()
            .into_iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v)
            .collect()
    }
}

type Handler = dyn Fn(&Recorded) -> Action + Send + Sync;

/// A running loopback server. Its threads are detached and end with the test process.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server answering every request with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Action + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);

        let (reqs, conns) = (Arc::clone(&requests), Arc::clone(&connections));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                conns.fetch_add(1, Ordering::SeqCst);
                let (reqs, handler) = (Arc::clone(&reqs), Arc::clone(&handler));
                thread::spawn(move || serve_connection(stream, &reqs, &*handler));
            }
        });

        Self {
            addr,
            requests,
            connections,
        }
    }

    /// Starts a server that always writes `bytes` and keeps the connection alive.
    pub fn replying(bytes: Vec<u8>) -> Self {
        Self::start(move |_| Action::Reply(bytes.clone()))
    }

    /// `http://127.0.0.1:<port>` followed by `target`.
    pub fn url(&self, target: &str) -> String {
        format!("http://{}{}", self.addr, target)
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("requests lock").clone()
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn serve_connection(mut stream: TcpStream, requests: &Mutex<Vec<Recorded>>, handler: &Handler) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer) else {
            return;
        };
        requests
            .lock()
            .expect("requests lock")
            .push(request.clone());
        match handler(&request) {
            Action::Reply(bytes) => {
                if stream.write_all(&bytes).is_err() {
                    return;
                }
            }
            Action::ReplyAndClose(bytes) => {
                let _ = stream.write_all(&bytes);
                return;
            }
            Action::ReplyAndStall(bytes, duration) => {
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                thread::sleep(duration);
                return;
            }
            Action::Close => return,
        }
    }
}

/// Reads one request from `stream`; bytes past its end stay in `buffer`.
fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(at) = find(buffer, b"\r\n\r\n") {
            break at;
        }
        fill(stream, buffer)?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let total = head_end + 4 + length;
    while buffer.len() < total {
        fill(stream, buffer)?;
    }
    let raw: Vec<u8> = buffer.drain(..total).collect();
    let body = raw[head_end + 4..].to_vec();
    Some(Recorded { raw, head, body })
}

fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0_u8; 8192];
    match stream.read(&mut chunk) {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A response with `status` (e.g. `"404 Not Found"`), the given headers, a `Content-Length`
/// and `body`.
pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut bytes = head(status, headers);
    bytes.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// A chunked response with `status`, the given headers and one chunk per element of `chunks`.
pub fn chunked(status: &str, headers: &[(&str, &str)], chunks: &[&[u8]]) -> Vec<u8> {
    let mut bytes = head(status, headers);
    bytes.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
    for chunk in chunks {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    bytes
}

/// The status line and header lines of a response, without the blank line.
pub fn head(status: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut bytes = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes
}

/// A URL on a loopback port nobody listens on.
pub fn refused_url(target: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}{target}")
}

/// The request target used to check byte-for-byte fidelity: percent-escapes (including an
/// encoded `/`, `?` and space) and sub-delimiters that a normalising URL parser could touch.
pub const SIGNED_TARGET: &str =
    "/idverify/v1/sessions/a%2Fb%3F%20c!*()~?sdkId=x%27y&nonce=n&timestamp=1";
