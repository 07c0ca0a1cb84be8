//! A closure is a transport for both clients, so a user's unit test needs no server.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use idv::core::{TransportError, async_fn, sync_fn};
use idv::{ClientBuilder, Error, PrivateKey};

const KEY: &str = idv_test_support::keys::TEST_KEY;

fn config() -> ClientBuilder {
    ClientBuilder::new()
        .sdk_id("sdk-id")
        .key(PrivateKey::from_pem(KEY).unwrap())
        .base_url("http://127.0.0.1:9/idverify/v1")
}

fn not_found() -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(404)
        .header("content-type", "application/json")
        .body(br#"{"code":"SESSION_NOT_FOUND","message":"no such session"}"#.to_vec())
        .unwrap()
}

#[test]
fn a_closure_is_a_blocking_transport() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let client = config()
        .build_blocking_with_transport(sync_fn(move |request| {
            seen.fetch_add(1, Ordering::SeqCst);
            assert_eq!(request.method(), http::Method::GET);
            assert!(request.uri().path().ends_with("/sessions/abc"));
            assert!(request.headers().contains_key("x-yoti-auth-digest"));
            Ok(not_found())
        }))
        .unwrap();
    let err = client.get_session(&"abc".into()).unwrap_err();
    assert!(
        matches!(err, Error::Api(ref e) if e.status() == 404),
        "{err:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Without the adapter, a closure with its types written out is a transport as well.
    let client = config()
        .build_blocking_with_transport(
            |_request: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
                Ok(not_found())
            },
        )
        .unwrap();
    assert!(matches!(
        client.get_session(&"abc".into()),
        Err(Error::Api(_))
    ));
}

#[tokio::test]
async fn a_closure_returning_a_future_is_an_async_transport() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let client = config()
        .build_with_transport(async_fn(move |request| {
            seen.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(request.uri().path().ends_with("/sessions/abc"));
                Ok(not_found())
            }
        }))
        .unwrap();
    let err = client.get_session(&"abc".into()).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(ref e) if e.status() == 404),
        "{err:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
