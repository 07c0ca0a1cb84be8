//! Percent-encoding of URI components, and the loopback-host test of the URL rules: a leaf
//! module, so that both the request builder and the bearer-token form can use them without
//! importing each other.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are: those JavaScript's `encodeURIComponent` leaves, except `'`.
///
/// `encodeURIComponent` leaves `A-Z a-z 0-9 - _ . ! ~ * ' ( )`. We also encode `'`, because
/// WHATWG-URL clients (reqwest among them) re-encode a raw `'` in a query as `%27` after the
/// signature was computed, which breaks it. For every realistic id the result is identical
/// to `encodeURIComponent`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes `value` as a URI component: every byte but ASCII letters, digits and
/// `-_.!~*()`.
///
/// ```
/// assert_eq!(idv_core::request::encode_component("a/b?c d'é"), "a%2Fb%3Fc%20d%27%C3%A9");
/// ```
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// `localhost` or a loopback address (IPv6 in brackets or not).
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}
