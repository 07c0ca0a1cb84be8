//! Any bytes as a key: a key or a clear error, never a panic. The bytes go in as PEM text,
//! and also, base64-wrapped in each accepted label, straight to the DER parsing (PKCS#1,
//! PKCS#8, SPKI) behind it.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Standard base64 with padding, 64-character lines (enough for a fuzz harness).
fn pem(label: &str, der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::with_capacity(der.len() * 4 / 3 + 4);
    for chunk in der.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = idv_auth::PrivateKey::from_pem_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = idv_auth::PublicKey::from_pem(text);
    }
    let _ = idv_auth::PublicKey::from_spki_der(data);
    for label in ["RSA PRIVATE KEY", "PRIVATE KEY"] {
        let _ = idv_auth::PrivateKey::from_pem(&pem(label, data));
    }
    let _ = idv_auth::PublicKey::from_pem(&pem("RSA PUBLIC KEY", data));
});
