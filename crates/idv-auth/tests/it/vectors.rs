//! Known-answer tests against `signing-vectors.json`, produced by the official
//! Yoti Node SDK, for both key encodings and every compiled-in backend.
#![cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))]

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use idv_auth::{
    Backend, DIGEST_HEADER, FixedNonce, FixedTimestamp, PrivateKey, PublicKey, RequestSigner,
    string_to_sign,
};
use serde_json::Value;

use common::{data, data_str};

const KEY_FILES: [&str; 2] = ["test-key.pem", "test-key.pkcs8.pem"];

fn vectors() -> Value {
    serde_json::from_slice(&data("signing-vectors.json")).expect("vectors parse")
}

fn str_field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("field {name} is not a string"))
}

/// `k=v&k=v` from the vector's ordered `query`, with nonce and timestamp
/// replaced by the given values when provided.
fn query_string(vector: &Value, nonce: Option<&str>, timestamp: Option<u64>) -> String {
    let pairs = vector["query"].as_array().expect("query is an array");
    pairs
        .iter()
        .map(|pair| {
            let k = pair[0].as_str().expect("query key");
            let v = pair[1].as_str().expect("query value");
            let v = match (k, nonce, timestamp) {
                ("nonce", Some(n), _) => n.to_owned(),
                ("timestamp", _, Some(t)) => t.to_string(),
                _ => v.to_owned(),
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn body(vector: &Value) -> Option<Vec<u8>> {
    match vector["body_b64"].as_str() {
        None | Some("") => None,
        Some(b64) => Some(STANDARD.decode(b64).expect("body_b64 is base64")),
    }
}

fn keys() -> Vec<(&'static str, Backend, PrivateKey)> {
    let mut out = Vec::new();
    for file in KEY_FILES {
        for &backend in Backend::available() {
            let key = PrivateKey::from_pem_with_backend(&data(file), backend)
                .unwrap_or_else(|e| panic!("{file} with {backend}: {e}"));
            assert_eq!(key.backend(), backend);
            assert_eq!(key.bits(), 2048);
            out.push((file, backend, key));
        }
    }
    assert_eq!(out.len(), KEY_FILES.len() * Backend::available().len());
    out
}

#[test]
fn every_vector_matches_with_every_key_file_and_backend() {
    let vectors = vectors();
    let list = vectors["vectors"].as_array().expect("vectors array");
    assert!(!list.is_empty());
    for (file, backend, key) in keys() {
        for vector in list {
            let id = str_field(vector, "id");
            let ctx = format!("vector {id}, {file}, {backend}");
            let path_and_query = format!(
                "{}?{}",
                str_field(vector, "endpoint"),
                query_string(vector, None, None)
            );
            assert_eq!(path_and_query, str_field(vector, "signed_path"), "{ctx}");
            assert_eq!(
                query_string(vector, None, None),
                str_field(vector, "query_string"),
                "{ctx}"
            );

            let body = body(vector);
            assert_eq!(
                body.is_some(),
                vector["body_sent"] == Value::Bool(true),
                "{ctx}"
            );
            let method = str_field(vector, "method");
            let expected_string = str_field(vector, "string_to_sign");
            let message = string_to_sign(method, &path_and_query, body.as_deref());
            assert_eq!(message, expected_string, "{ctx}");

            let expected_digest = str_field(vector, "x_yoti_auth_digest");
            assert_eq!(
                vector["headers"][DIGEST_HEADER].as_str(),
                Some(expected_digest)
            );
            let signature = key.sign(message.as_bytes()).expect("signs");
            assert_eq!(signature.len(), 256, "{ctx}");
            assert_eq!(STANDARD.encode(&signature), expected_digest, "{ctx}");

            // Through RequestSigner with the vector's pinned nonce and time.
            let pinned = &vector["pinned"];
            let signer = RequestSigner::new(
                vectors["constants"]["sdk_id"].as_str().expect("sdk_id"),
                key.clone(),
            )
            .with_nonce_source(FixedNonce(str_field(pinned, "nonce").to_owned()))
            .with_timestamp_source(FixedTimestamp(
                pinned["timestamp"].as_u64().expect("timestamp"),
            ));
            let nonce = signer.nonce();
            let timestamp = signer.timestamp_millis();
            let built = format!(
                "{}?{}",
                str_field(vector, "endpoint"),
                query_string(vector, Some(&nonce), Some(timestamp))
            );
            assert_eq!(built, path_and_query, "{ctx}");
            assert!(
                built.contains(&format!("sdkId={}", signer.sdk_id())),
                "{ctx}"
            );
            let digest = signer
                .digest(method, &built, body.as_deref())
                .expect("digest");
            assert_eq!(digest, expected_digest, "{ctx}");

            // Verification accepts the vector's signature, rejects tampering.
            let public = key.public_key();
            let vector_sig = STANDARD.decode(expected_digest).expect("digest is base64");
            public
                .verify(expected_string.as_bytes(), &vector_sig)
                .unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let mut tampered = expected_string.as_bytes().to_vec();
            tampered[0] ^= 0x20; // "GET" -> "gET"
            assert!(public.verify(&tampered, &vector_sig).is_err(), "{ctx}");
            let longer = format!("{expected_string}&");
            assert!(
                public.verify(longer.as_bytes(), &vector_sig).is_err(),
                "{ctx}"
            );
            let mut bad_sig = vector_sig.clone();
            bad_sig[100] ^= 1;
            assert!(
                public.verify(expected_string.as_bytes(), &bad_sig).is_err(),
                "{ctx}"
            );
            assert!(
                public
                    .verify(expected_string.as_bytes(), &vector_sig[1..])
                    .is_err(),
                "{ctx}"
            );
        }
    }
}

#[test]
fn key_format_check_block() {
    let vectors = vectors();
    let check = &vectors["key_format_check"];
    let id = str_field(check, "vector");
    let vector = vectors["vectors"]
        .as_array()
        .expect("vectors array")
        .iter()
        .find(|v| v["id"] == id)
        .expect("the key_format_check vector exists");
    let message = str_field(vector, "string_to_sign");
    assert_eq!(check["identical"], Value::Bool(true));
    for &backend in Backend::available() {
        for (file, field) in [
            ("test-key.pem", "pkcs1_pem_digest"),
            ("test-key.pkcs8.pem", "pkcs8_pem_digest"),
        ] {
            let key = PrivateKey::from_pem_with_backend(&data(file), backend).expect("loads");
            let digest = STANDARD.encode(key.sign(message.as_bytes()).expect("signs"));
            assert_eq!(digest, str_field(check, field), "{file} with {backend}");
        }
    }
}

#[test]
fn public_key_fingerprint_and_encodings() {
    let vectors = vectors();
    let expected_fp = str_field(&vectors["key"], "public_key_spki_sha256_hex");
    let expected_spki_b64 = str_field(&vectors["key"], "x_yoti_auth_key_equivalent");
    let pub_pem = data_str("test-key.pub.pem");

    let from_file = PublicKey::from_pem(&pub_pem).expect("SPKI PEM loads");
    assert_eq!(from_file.fingerprint_sha256_hex(), expected_fp);
    assert_eq!(from_file.bits(), 2048);
    assert_eq!(from_file.to_pem(), pub_pem);
    assert_eq!(STANDARD.encode(from_file.to_spki_der()), expected_spki_b64);

    let from_pkcs1 =
        PublicKey::from_pem(&data_str("test-key.rsapub.pem")).expect("RSA PUBLIC KEY loads");
    assert_eq!(from_pkcs1, from_file);
    assert_eq!(from_pkcs1.fingerprint_sha256_hex(), expected_fp);

    let from_der = PublicKey::from_spki_der(&from_file.to_spki_der()).expect("DER loads");
    assert_eq!(from_der, from_file);

    for (file, _, key) in keys() {
        let public = key.public_key();
        assert_eq!(public, from_file, "{file}");
        assert_eq!(public.fingerprint_sha256_hex(), expected_fp, "{file}");
        assert_eq!(public.to_pem(), pub_pem, "{file}");
        let debug = format!("{public:?}");
        assert!(
            debug.contains(expected_fp) && debug.contains("2048"),
            "{debug}"
        );
    }
}

#[test]
fn verify_with_a_key_loaded_from_the_public_pem() {
    let vectors = vectors();
    let public = PublicKey::from_pem(&data_str("test-key.pub.pem")).expect("loads");
    for vector in vectors["vectors"].as_array().expect("vectors array") {
        let sig = STANDARD
            .decode(str_field(vector, "x_yoti_auth_digest"))
            .expect("base64");
        let message = str_field(vector, "string_to_sign");
        assert!(public.verify(message.as_bytes(), &sig).is_ok());
        assert!(public.verify(b"something else", &sig).is_err());
    }
}

#[test]
fn backends_agree_and_cross_verify() {
    let message = b"PATCH&/sessions/x?sdkId=y&nonce=z&timestamp=1&e30=";
    let signatures: Vec<Vec<u8>> = keys()
        .iter()
        .map(|(_, _, key)| key.sign(message).expect("signs"))
        .collect();
    assert!(signatures.windows(2).all(|w| w[0] == w[1]));
    for (_, _, key) in keys() {
        assert!(key.public_key().verify(message, &signatures[0]).is_ok());
    }
}

#[test]
fn loads_from_files_and_with_surrounding_text() {
    for file in KEY_FILES {
        let key = PrivateKey::from_pem_file(common::data_path(file)).expect("file loads");
        assert_eq!(
            key.backend(),
            Backend::default_backend().expect("a backend")
        );

        // CRLF line endings, indentation and text around the block.
        let pem = data_str(file);
        let messy = format!(
            "Bag Attributes: none\r\n{}\r\ntrailing words\r\n",
            pem.lines()
                .map(|l| format!("  {l}  "))
                .collect::<Vec<_>>()
                .join("\r\n")
        );
        let messy_key = PrivateKey::from_pem(&messy).expect("messy PEM loads");
        assert_eq!(messy_key.public_key(), key.public_key());
    }

    // A certificate followed by its key: the private key is found.
    let bundle = format!(
        "{}{}",
        data_str("certificate.pem"),
        data_str("test-key.pem")
    );
    let key = PrivateKey::from_pem(&bundle).expect("bundle loads");
    assert_eq!(key.bits(), 2048);
}
