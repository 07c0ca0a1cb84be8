//! Authentication: timestamp skew (seconds and milliseconds), nonce replay, supported
//! documents signed without `sdkId`, and unsigned.

use crate::common;

use std::time::{Duration, UNIX_EPOCH};

use common::*;
use idv_emulator::ManualClock;

fn target(path: &str, nonce: &str, timestamp: u128) -> String {
    format!("{path}?sdkId={SDK_ID}&nonce={nonce}&timestamp={timestamp}")
}

#[test]
fn timestamps_in_seconds_and_milliseconds_are_accepted() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let millis = timestamp_millis();
    for ts in [millis, millis / 1000] {
        let resp = client.signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &nonce(), ts),
            None,
            b"",
        );
        resp.expect_error(404, "SESSION_NOT_FOUND");
    }
}

#[test]
fn stale_and_future_timestamps_are_refused() {
    // The skew check is the emulator's own, off by default.
    let emulator = builder()
        .timestamp_skew(Some(Duration::from_secs(600)))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let now = timestamp_millis();
    let eleven_minutes = 11 * 60 * 1000;
    for ts in [
        now - eleven_minutes,
        now + eleven_minutes,
        (now - eleven_minutes) / 1000,
    ] {
        client
            .signed_target(
                &app,
                "GET",
                API,
                &target("/sessions/x", &nonce(), ts),
                None,
                b"",
            )
            .expect_error(401, "STALE_TIMESTAMP");
    }
    // Nine minutes either way is inside the window.
    let nine_minutes = 9 * 60 * 1000;
    for ts in [now - nine_minutes, now + nine_minutes] {
        client
            .signed_target(
                &app,
                "GET",
                API,
                &target("/sessions/x", &nonce(), ts),
                None,
                b"",
            )
            .expect_error(404, "SESSION_NOT_FOUND");
    }
    // Not a number at all.
    let t = format!(
        "/sessions/x?sdkId={SDK_ID}&nonce={}&timestamp=yesterday",
        nonce()
    );
    let body = client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(400, "MALFORMED_REQUEST");
    assert_eq!(body["errors"][0]["property"], "query.timestamp");
}

#[test]
fn skew_window_is_configurable_and_can_be_off() {
    let emulator = builder()
        .timestamp_skew(Some(Duration::from_secs(5)))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let old = timestamp_millis() - 6_000;
    client
        .signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &nonce(), old),
            None,
            b"",
        )
        .expect_error(401, "STALE_TIMESTAMP");

    let emulator = builder().timestamp_skew(None).start().expect("starts");
    let client = Client::new(&emulator);
    // Java's nanoTime()/1000 is no epoch time at all: accepted when the check is off.
    client
        .signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &nonce(), 123_456_789),
            None,
            b"",
        )
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn skew_follows_an_injected_clock() {
    let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let clock = ManualClock::new(start);
    let emulator = builder()
        .clock(clock.clone())
        .timestamp_skew(Some(Duration::from_secs(600)))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let ts = 1_700_000_000_000u128;
    client
        .signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &nonce(), ts),
            None,
            b"",
        )
        .expect_error(404, "SESSION_NOT_FOUND");
    clock.advance(Duration::from_secs(601));
    client
        .signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &nonce(), ts),
            None,
            b"",
        )
        .expect_error(401, "STALE_TIMESTAMP");
    // advance_clock ages sessions only: wall-clock signatures keep working.
    let emulator = emulator_aged();
    let client = Client::new(&emulator);
    client
        .get(&app, "/sessions/x")
        .expect_error(404, "SESSION_NOT_FOUND");
}

fn emulator_aged() -> idv_emulator::Emulator {
    let e = emulator();
    e.advance_clock(Duration::from_secs(86_400));
    e
}

#[test]
fn a_nonce_is_refused_the_second_time() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    let t = signed_path(SDK_ID, "/sessions/x");
    client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");
    let body = client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(401, "REPLAYED_NONCE");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| !m.contains(SDK_ID))
    );
    // The same nonce with a fresh timestamp and signature is still a replay.
    let n = t
        .split("nonce=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .expect("nonce")
        .to_owned();
    client
        .signed_target(
            &app,
            "GET",
            API,
            &target("/sessions/x", &n, timestamp_millis()),
            None,
            b"",
        )
        .expect_error(401, "REPLAYED_NONCE");
    // Another application may use the same nonce (nonces are per application).
    let other = App::other();
    let t2 = format!(
        "/sessions/x?sdkId={OTHER_SDK_ID}&nonce={n}&timestamp={}",
        timestamp_millis()
    );
    client
        .signed_target(&other, "GET", API, &t2, None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");
    // A request refused for its signature does not use the nonce up.
    let fresh = nonce();
    let bad = target("/sessions/x", &fresh, timestamp_millis());
    client
        .raw(
            "GET",
            &format!("{API}{bad}"),
            &[("X-Yoti-Auth-Digest", "AAAA")],
            b"",
        )
        .expect_error(401, "UNAUTHORIZED");
    client
        .signed_target(&app, "GET", API, &bad, None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");
}

#[test]
fn replay_window_is_configurable() {
    let clock = ManualClock::starting_now();
    let emulator = builder()
        .clock(clock.clone())
        .timestamp_skew(None)
        .replay_window(Duration::from_secs(60))
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let app = App::test();
    let t = signed_path(SDK_ID, "/sessions/x");
    client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");
    clock.advance(Duration::from_secs(59));
    client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(401, "REPLAYED_NONCE");
    clock.advance(Duration::from_secs(1));
    client
        .signed_target(&app, "GET", API, &t, None, b"")
        .expect_error(404, "SESSION_NOT_FOUND");

    let emulator = builder()
        .replay_window(Duration::ZERO)
        .start()
        .expect("starts");
    let client = Client::new(&emulator);
    let t = signed_path(SDK_ID, "/sessions/x");
    for _ in 0..2 {
        client
            .signed_target(&app, "GET", API, &t, None, b"")
            .expect_error(404, "SESSION_NOT_FOUND");
    }
}

#[test]
fn supported_documents_with_or_without_sdk_id_or_unsigned() {
    let emulator = emulator();
    let client = Client::new(&emulator);
    let app = App::test();
    // With sdkId (.NET), and without (Node), signed.
    let resp = client.get(&app, "/supported-documents");
    assert_eq!(resp.status, 200);
    let latin = resp.json();
    assert!(
        latin["supported_countries"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    assert!(!latin.to_string().contains("AADHAAR"));
    let t = format!(
        "/supported-documents?includeNonLatin=true&nonce={}&timestamp={}",
        nonce(),
        timestamp_millis()
    );
    let resp = client.signed_target(&app, "GET", API, &t, None, b"");
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert!(resp.json().to_string().contains("AADHAAR"));
    let t = format!(
        "/supported-documents?includeNonLatin=1&nonce={}&timestamp={}",
        nonce(),
        timestamp_millis()
    );
    assert!(
        client
            .signed_target(&App::other(), "GET", API, &t, None, b"")
            .json()
            .to_string()
            .contains("AADHAAR")
    );
    // Unsigned (Java).
    let resp = client.raw(
        "GET",
        &format!("{API}/supported-documents?includeNonLatin=false"),
        &[],
        b"",
    );
    assert_eq!(resp.status, 200);
    // Signed without sdkId by an unknown key: 401; half-signed: 400.
    let stranger = App::new(SDK_ID, OTHER_KEY);
    let key_only = App {
        sdk_id: String::new(),
        key: stranger.key,
    };
    let t = format!(
        "/supported-documents?nonce={}&timestamp={}",
        nonce(),
        timestamp_millis()
    );
    let sig = digest(&key_only.key, "GET", &t, b"");
    // On an emulator where that key's application is not registered: no key verifies it.
    let emulator2 = idv_emulator::Emulator::builder()
        .app(SDK_ID, public_key(TEST_PUB))
        .start()
        .expect("starts");
    let client2 = Client::new(&emulator2);
    client2
        .raw(
            "GET",
            &format!("{API}{t}"),
            &[("X-Yoti-Auth-Digest", &sig)],
            b"",
        )
        .expect_error(401, "UNAUTHORIZED");
    client2
        .raw(
            "GET",
            &format!("{API}/supported-documents?nonce={}", nonce()),
            &[],
            b"",
        )
        .expect_error(400, "MALFORMED_REQUEST");
}
