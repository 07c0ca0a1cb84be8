//! `Debug` output never shows key material.
#![cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))]

use crate::common;

use idv_auth::{Backend, FixedNonce, FixedTimestamp, PrivateKey, RequestSigner};

use common::{assert_no_key_material, data, data_str};

#[test]
fn debug_of_keys_and_signer_is_redacted() {
    for file in ["test-key.pem", "test-key.pkcs8.pem"] {
        let pem = data_str(file);
        for &backend in Backend::available() {
            let key = PrivateKey::from_pem_with_backend(&data(file), backend).expect("loads");
            let signer = RequestSigner::new("sdk-123", key.clone())
                .with_nonce_source(FixedNonce("n".into()))
                .with_timestamp_source(FixedTimestamp(1));
            let outputs = [
                format!("{key:?}"),
                format!("{key:#?}"),
                format!("{signer:?}"),
                format!("{signer:#?}"),
                format!("{:?}", key.public_key()),
            ];
            for text in &outputs {
                assert_no_key_material(text, &pem);
                assert_no_key_material(text, &data_str("test-key.pem"));
            }
            assert_eq!(
                outputs[0],
                format!("PrivateKey {{ backend: {backend:?}, bits: 2048, key: \"<redacted>\" }}")
            );
            assert!(outputs[2].contains("sdk-123") && outputs[2].contains("<redacted>"));
        }
    }
}
