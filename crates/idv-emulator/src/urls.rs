//! Which URLs the hosted page may navigate to.

/// Whether the hosted page may navigate to `url` (`success_url`, `error_url`,
/// `privacy_policy_url`): `https://` with a host, or `http://` to a loopback host
/// (`localhost`, `127.0.0.0/8`, `[::1]`) so local examples work. Anything else, a
/// `javascript:` or `data:` URL among them, is refused, as are URLs with whitespace, control
/// characters or backslashes (which browsers read in surprising ways).
pub(crate) fn page_url_allowed(url: &str) -> bool {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return false;
    }
    let (secure, rest) = match url.get(..8) {
        Some(p) if p.eq_ignore_ascii_case("https://") => (true, &url[8..]),
        _ => match url.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("http://") => (false, &url[7..]),
            _ => return false,
        },
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Whatever precedes an `@` is user information, not the host.
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, _)) => host,
            None => return false,
        },
        None => host_port.rsplit_once(':').map_or(host_port, |(h, _)| h),
    };
    if host.is_empty() {
        return false;
    }
    secure || is_loopback_host(host)
}

/// `localhost` or a loopback address (an IPv6 one without its brackets): the hosts to which
/// the emulator allows plain `http` (hosted-page URLs, notification endpoints).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::page_url_allowed;

    #[test]
    fn https_or_loopback_http_only() {
        for ok in [
            "https://example.com/done",
            "HTTPS://example.com",
            "https://user@example.com:8443/x?y#z",
            "http://localhost:3000/ok",
            "http://127.0.0.1/ok",
            "http://127.9.9.9:1/ok",
            "http://[::1]:8080/ok",
        ] {
            assert!(page_url_allowed(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/html,hi",
            "http://example.com/",
            "http://127.0.0.1@evil.example/",
            "http://localhost.evil.example/",
            "https://",
            "https:///path",
            "http://[::1/",
            "https://example.com/a b",
            "https://example.com/\n",
            "http://localhost\\@evil.example/",
            "//example.com",
            "",
        ] {
            assert!(!page_url_allowed(bad), "{bad}");
        }
    }
}
