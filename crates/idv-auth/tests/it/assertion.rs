//! The bearer-token client assertion: PS384 on both backends, checked across backends, and
//! its header and claims.
#![cfg(all(feature = "rust-crypto", feature = "aws-lc-rs"))]
#![allow(clippy::unwrap_used)]

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idv_auth::{Backend, ClientAssertion, PrivateKey, TOKEN_URL};
use serde_json::Value;

use common::data;

fn key(backend: Backend) -> PrivateKey {
    PrivateKey::from_pem_with_backend(&data("test-key.pem"), backend).unwrap()
}

#[test]
fn pss_signatures_verify_across_backends() {
    let aws = key(Backend::AwsLc);
    let rust = key(Backend::RustCrypto);
    for (signer, verifier) in [(&aws, &rust), (&rust, &aws), (&aws, &aws), (&rust, &rust)] {
        let signature = signer.sign_pss_sha384(b"header.claims").unwrap();
        assert_eq!(signature.len(), 256);
        let public = verifier.public_key();
        assert!(
            public
                .verify_pss_sha384(b"header.claims", &signature)
                .is_ok()
        );
        assert!(
            public
                .verify_pss_sha384(b"header.claimz", &signature)
                .is_err()
        );
        // Not a PKCS#1 v1.5 signature.
        assert!(public.verify(b"header.claims", &signature).is_err());
    }
    // PSS is randomised.
    assert_ne!(
        aws.sign_pss_sha384(b"m").unwrap(),
        aws.sign_pss_sha384(b"m").unwrap()
    );
}

#[test]
fn the_assertion_has_the_documented_header_and_claims() {
    for backend in [Backend::AwsLc, Backend::RustCrypto] {
        let key = key(backend);
        let jti = "0f8c2a4e-6b1d-4c3e-8a9f-1b2c3d4e5f60";
        let assertion =
            ClientAssertion::new(&key, "my-sdk", TOKEN_URL, 1_800_000_000, jti).unwrap();
        let jwt = assertion.expose_secret();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"alg": "PS384", "typ": "JWT"}));
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(
            claims,
            serde_json::json!({
                "iss": "sdk:my-sdk", "sub": "sdk:my-sdk", "jti": jti, "aud": TOKEN_URL,
                "exp": 1_800_000_300u64, "iat": 1_800_000_000u64,
            })
        );
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let signed = &jwt[..parts[0].len() + 1 + parts[1].len()];
        assert!(
            key.public_key()
                .verify_pss_sha384(signed.as_bytes(), &signature)
                .is_ok()
        );
        assert!(!format!("{assertion:?}").contains(parts[2]));
    }
}

#[test]
fn minted_assertions_have_fresh_ids() {
    let key = key(Backend::AwsLc);
    let claims = |a: &ClientAssertion| -> Value {
        let part = a.expose_secret().split('.').nth(1).unwrap().to_owned();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    let a = claims(&ClientAssertion::mint(&key, "id", TOKEN_URL).unwrap());
    let b = claims(&ClientAssertion::mint(&key, "id", TOKEN_URL).unwrap());
    assert_ne!(a["jti"], b["jti"]);
    assert_eq!(a["jti"].as_str().unwrap().len(), 36);
    assert_eq!(a["exp"].as_u64().unwrap() - a["iat"].as_u64().unwrap(), 300);
}
