//! Any bytes as a PEM private or public key: a key or a clear error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = idv_auth::PrivateKey::from_pem_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = idv_auth::PublicKey::from_pem(text);
    }
});
