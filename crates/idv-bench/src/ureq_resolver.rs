//! A name resolver for ureq that starts no thread per request: a proposal for
//! `idv-transport-ureq`, measured against the transport as it is by the `blocking-resolver`
//! end-to-end case (`idv-bench e2e --case blocking-resolver`).
//!
//! ureq 3 resolves the host of every request, before it looks for a pooled connection, and
//! whenever a timeout applies (`UreqTransport` always sets one) its `DefaultResolver` runs
//! the lookup on a new thread so that it can give up on time. That is one thread spawn and
//! one `getaddrinfo` per call even on a kept-alive connection (and, for a host name without
//! a local DNS cache, one DNS query per call). [`CachingResolver`] answers IP-literal hosts
//! without any lookup and remembers a host name's addresses for a short time, asking ureq's
//! resolver only on a miss.
//!
//! It uses ureq's `unversioned` resolver API, which may change in a minor ureq release: the
//! transport crate, where ureq upgrades are handled, is the place for it.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use idv_transport_ureq::ureq;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// Resolves IP literals directly and caches host names for [`CachingResolver::ttl`].
#[derive(Debug)]
pub struct CachingResolver {
    inner: DefaultResolver,
    ttl: Duration,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl CachingResolver {
    /// A resolver keeping host names' addresses for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            inner: DefaultResolver::default(),
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// How long a host name's addresses are kept.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
            Some("http") => 80,
            _ => 443,
        });
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        if let Ok(cache) = self.cache.lock()
            && let Some((at, addrs)) = cache.get(&key)
            && at.elapsed() < self.ttl
        {
            return Ok(addrs.clone());
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, (Instant::now(), addrs.clone()));
        }
        Ok(addrs)
    }
}

/// An agent configured as `UreqTransport::new` configures its own (every status is a
/// response, no redirects, the same timeouts), with a [`CachingResolver`].
pub fn agent(config: &idv_core::TransportConfig) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .build();
    ureq::Agent::with_parts(
        config,
        DefaultConnector::default(),
        CachingResolver::new(Duration::from_secs(30)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_need_no_lookup() {
        let resolver = CachingResolver::new(Duration::from_secs(1));
        let config = Config::default();
        let timeout = NextTimeout::default();
        for (uri, expected) in [
            ("http://127.0.0.1:8080/x", "127.0.0.1:8080"),
            ("https://[::1]/x", "[::1]:443"),
        ] {
            let uri: Uri = uri.parse().unwrap();
            let addrs = resolver.resolve(&uri, &config, timeout).unwrap();
            assert_eq!(addrs.len(), 1);
            assert_eq!(addrs[0].to_string(), expected);
        }
        assert!(resolver.cache.lock().unwrap().is_empty());
    }
}
