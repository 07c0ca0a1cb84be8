//! Nonce and clock sources.

use std::collections::HashSet;

use idv_auth::{NonceSource, RandomNonce, SystemTimestamp, TimestampSource};

/// `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
fn is_lowercase_uuid_v4(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
    let hex_ok = groups.iter().all(|g| {
        g.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    lens_ok && hex_ok && groups[2].starts_with('4') && groups[3].starts_with(['8', '9', 'a', 'b'])
}

#[test]
fn uuid_checker_works() {
    assert!(is_lowercase_uuid_v4("00000000-0000-4000-8000-000000000001"));
    assert!(!is_lowercase_uuid_v4(
        "00000000-0000-4000-C000-000000000001"
    ));
    assert!(!is_lowercase_uuid_v4(
        "00000000-0000-3000-8000-000000000001"
    ));
    assert!(!is_lowercase_uuid_v4(
        "00000000-0000-4000-8000-00000000000A"
    ));
    assert!(!is_lowercase_uuid_v4(
        "00000000-0000-4000-8000-0000000000011"
    ));
    assert!(!is_lowercase_uuid_v4("000000000000-4000-8000-000000000001"));
}

#[test]
fn random_nonces_are_distinct_lowercase_uuid_v4() {
    let source = RandomNonce;
    let nonces: Vec<String> = (0..1000).map(|_| source.nonce()).collect();
    for n in &nonces {
        assert_eq!(n.len(), 36);
        assert!(is_lowercase_uuid_v4(n), "{n}");
    }
    let unique: HashSet<&String> = nonces.iter().collect();
    assert_eq!(unique.len(), nonces.len());
}

#[test]
fn system_clock_is_epoch_millis() {
    let now = SystemTimestamp.now_millis();
    // 2020-01-01 .. 2100-01-01, 13 digits.
    assert!(
        (1_577_836_800_000..4_102_444_800_000).contains(&now),
        "{now}"
    );
    assert_eq!(now.to_string().len(), 13);
}
