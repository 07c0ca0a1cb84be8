//! Misconfiguration is named as such: at build(), or from the service's answer.

use crate::support;

use idv::{ClientBuilder, ConfigErrorKind, Error, PrivateKey};

fn kind(err: &Error) -> Option<ConfigErrorKind> {
    err.as_config().map(idv::ConfigError::kind)
}

#[test]
fn an_unknown_sdk_id_is_a_config_error_not_a_missing_session() {
    let (emulator, _) = support::emulator();
    let client = ClientBuilder::new()
        .sdk_id("no-such-application")
        .key(PrivateKey::from_pem(support::KEY).unwrap())
        .base_url(&emulator.base_url())
        .build_blocking()
        .unwrap();
    let err = client.get_session(&"some-session".into()).unwrap_err();
    assert_eq!(kind(&err), Some(ConfigErrorKind::UnknownSdkId), "{err:?}");
    assert!(!err.is_not_found());
    assert!(err.to_string().contains("SDK id"), "{err}");
}

#[tokio::test]
async fn a_base_url_without_the_api_path_is_a_config_error() {
    let (emulator, _) = support::emulator();
    // The emulator's root: loopback, so build() accepts the path; the answer names it.
    let root = emulator.base_url().replace("/idverify/v1", "");
    let client = ClientBuilder::new()
        .sdk_id(support::SDK_ID)
        .key(PrivateKey::from_pem(support::KEY).unwrap())
        .base_url(&root)
        .build()
        .unwrap();
    let err = client
        .get_session(&"some-session".into())
        .await
        .unwrap_err();
    assert_eq!(kind(&err), Some(ConfigErrorKind::NoSuchEndpoint), "{err:?}");
    assert!(!err.is_not_found());
    assert!(err.to_string().contains("/idverify/v1"), "{err}");
}

#[test]
fn a_missing_session_is_still_not_found() {
    let (_emulator, config) = support::emulator();
    let err = config
        .build_blocking()
        .unwrap()
        .get_session(&"no-such-session".into())
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(!err.is_config());
}

#[test]
fn every_configuration_error_surfaces_at_build_for_every_transport() {
    let key = || PrivateKey::from_pem(support::KEY).unwrap();
    let cases: [(ClientBuilder, ConfigErrorKind); 5] = [
        (
            ClientBuilder::new().key(key()),
            ConfigErrorKind::MissingSdkId,
        ),
        (
            ClientBuilder::new().sdk_id("id"),
            ConfigErrorKind::MissingKey,
        ),
        (
            ClientBuilder::new().sdk_id("id").key_pem("garbage"),
            ConfigErrorKind::InvalidKey,
        ),
        (
            ClientBuilder::new()
                .sdk_id("id")
                .key(key())
                .base_url("ftp://x"),
            ConfigErrorKind::InvalidBaseUrl,
        ),
        (
            ClientBuilder::new()
                .sdk_id("id")
                .key(key())
                .base_url("https://api.yoti.com"),
            ConfigErrorKind::InvalidBaseUrl,
        ),
    ];
    for (builder, expected) in cases {
        let errors = [
            builder.clone().build().map(|_| ()).unwrap_err(),
            builder.clone().build_blocking().map(|_| ()).unwrap_err(),
            builder
                .clone()
                .build_with_transport(
                    idv::transport::ReqwestTransport::new(idv::TransportConfig::default()).unwrap(),
                )
                .map(|_| ())
                .unwrap_err(),
            builder
                .clone()
                .build_blocking_with_transport(idv::transport::UreqTransport::default())
                .map(|_| ())
                .unwrap_err(),
        ];
        for err in errors {
            assert_eq!(kind(&err), Some(expected), "{err:?}");
        }
    }
}

#[test]
fn an_sdk_id_with_a_trailing_newline_works() {
    let (_emulator, config) = support::emulator();
    let client = config
        .sdk_id(format!("  {}\n", support::SDK_ID))
        .build_blocking()
        .unwrap();
    assert_eq!(client.config().sdk_id(), support::SDK_ID);
    client.get_supported_documents(false).unwrap();
}
