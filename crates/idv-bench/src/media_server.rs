//! A tiny HTTP/1.1 server on loopback that answers every request with media bytes.
//!
//! The emulator caps an uploaded image at 10 MiB (a face-capture upload body at 10 MiB +
//! 64 KiB, a sandbox body with base64 images at 14 MiB; see `idv_emulator::limits`), so a
//! 64 MiB media cannot be uploaded to it. The
//! client does not check who serves a download (responses are not signed), so the memory
//! benchmark downloads from this server instead: a path containing `/small/` gets 1 KiB
//! (the warm-up call), any other path `size` bytes of `image/jpeg`. It sends from one
//! reused 1 MiB buffer, so it holds no copy of the media itself.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;

/// The size of the warm-up answer.
pub const SMALL_BYTES: usize = 1024;

/// A running media server; it stops with the process.
#[derive(Debug)]
pub struct MediaServer {
    addr: SocketAddr,
}

impl MediaServer {
    /// The base URL to configure a client with: `http://127.0.0.1:PORT/idverify/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/idverify/v1", self.addr)
    }
}

/// Starts the server on `127.0.0.1` (any free port); every connection is served on its own
/// thread, `size` bytes per media answer.
///
/// # Errors
///
/// The I/O error if the listener cannot be bound.
pub fn start(size: usize) -> std::io::Result<MediaServer> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let addr = listener.local_addr()?;
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || {
                // A client that goes away mid-body is not the server's problem.
                let _ = serve(stream, size);
            });
        }
    });
    Ok(MediaServer { addr })
}

fn serve(stream: TcpStream, size: usize) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let chunk = vec![0xa5u8; 1024 * 1024];
    loop {
        // Request line and headers; bodies are not expected (GET).
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
        }
        let len = if request_line.contains("/small/") {
            SMALL_BYTES
        } else {
            size
        };
        write!(
            writer,
            "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {len}\r\n\r\n"
        )?;
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            writer.write_all(&chunk[..n])?;
            left -= n;
        }
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn serves_the_requested_sizes() {
        let server = start(3 * 1024 * 1024 + 5).expect("starts");
        let mut stream = TcpStream::connect(server.addr).expect("connects");
        for (path, expected) in [
            ("/small/x", SMALL_BYTES),
            ("/m/content", 3 * 1024 * 1024 + 5),
        ] {
            write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").expect("writes");
            let mut reader = BufReader::new(&stream);
            let mut content_length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("reads");
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    content_length = v.trim().parse().expect("a number");
                }
                if line == "\r\n" {
                    break;
                }
            }
            assert_eq!(content_length, expected);
            let mut body = vec![0; content_length];
            reader.read_exact(&mut body).expect("the whole body");
        }
    }
}
