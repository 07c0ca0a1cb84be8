//! The name resolver of [`UreqTransport::new`](crate::UreqTransport::new): it starts no thread
//! and makes no lookup per request.
//!
//! ureq 3 resolves the host of every request before it looks for a pooled connection, and
//! whenever a timeout applies (the transport always sets one) its `DefaultResolver` runs the
//! lookup on a new thread so that it can give up on time: one thread spawn and one
//! `getaddrinfo` per call even on a kept-alive connection (and, for a host without a local DNS
//! cache, one DNS query per call). [`CachingResolver`] answers IP-literal hosts without any
//! lookup and keeps a host name's addresses for a time to live, asking the resolver it wraps
//! (ureq's own by default) only on a miss, after the time to live, or after
//! [`CachingResolver::forget`], which the transport calls when a request to the host failed.
//!
//! It plugs into ureq through `ureq::unversioned::resolver::Resolver` and
//! `ureq::Agent::with_parts`, ureq's API for a bespoke resolver (marked by ureq as not yet
//! under semver: this crate pins the ureq minor it is tested with).

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// A clock, injectable for tests.
type Clock = Box<dyn Fn() -> Instant + Send + Sync>;

/// A ureq resolver that answers IP literals directly and caches host names' addresses per
/// host and port for a time to live.
///
/// Clones share the cache. A failed lookup is not cached: the next request asks again.
///
/// ```
/// use std::time::Duration;
/// use idv_transport_ureq::{CachingResolver, UreqTransport, ureq};
///
/// // An agent of your own with the caching resolver (UreqTransport::new already uses one).
/// let resolver = CachingResolver::new(Duration::from_secs(60));
/// let config = ureq::Agent::config_builder()
///     .http_status_as_error(false)
///     .max_redirects(0)
///     .timeout_global(Some(Duration::from_secs(20)))
///     .build();
/// let agent = ureq::Agent::with_parts(
///     config,
///     ureq::unversioned::transport::DefaultConnector::default(),
///     resolver,
/// );
/// let transport = UreqTransport::from_agent(agent, 8 * 1024 * 1024);
/// # let _ = transport;
/// ```
#[derive(Clone)]
pub struct CachingResolver {
    shared: Arc<Shared>,
}

struct Shared {
    inner: Box<dyn Resolver>,
    ttl: Duration,
    clock: Clock,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl CachingResolver {
    /// The time to live of [`UreqTransport::new`](crate::UreqTransport::new)'s resolver: 30 s.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(30);

    /// A resolver keeping a host name's addresses for `ttl`, over ureq's default resolver.
    pub fn new(ttl: Duration) -> Self {
        Self::with_parts(DefaultResolver::default(), ttl, Box::new(Instant::now))
    }

    /// A resolver over `inner`, reading the time from `clock`.
    pub(crate) fn with_parts(inner: impl Resolver, ttl: Duration, clock: Clock) -> Self {
        Self {
            shared: Arc::new(Shared {
                inner: Box::new(inner),
                ttl,
                clock,
                cache: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// How long a host name's addresses are kept.
    pub fn ttl(&self) -> Duration {
        self.shared.ttl
    }

    /// Drops what is cached for the host and port of `uri`: the next request to it resolves
    /// again. The transport calls this when a request to that host failed.
    pub fn forget(&self, uri: &Uri) {
        if let Some(key) = cache_key(uri) {
            self.cache().remove(&key);
        }
    }

    /// Drops every cached address.
    pub fn clear(&self) {
        self.cache().clear();
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, ResolvedSocketAddrs)>> {
        // The map holds plain data: a panic elsewhere cannot leave it half-updated.
        self.shared
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for CachingResolver {
    /// A resolver with [`CachingResolver::DEFAULT_TTL`].
    fn default() -> Self {
        Self::new(Self::DEFAULT_TTL)
    }
}

impl fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver")
            .field("ttl", &self.shared.ttl)
            .field("inner", &self.shared.inner)
            .finish_non_exhaustive()
    }
}

/// The host (without IPv6 brackets) and port of `uri`, the port defaulting by scheme.
fn host_and_port(uri: &Uri) -> Option<(&str, u16)> {
    let host = uri.host()?;
    let port = uri.port_u16().or(match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    })?;
    Some((host.trim_start_matches('[').trim_end_matches(']'), port))
}

fn cache_key(uri: &Uri) -> Option<String> {
    host_and_port(uri).map(|(host, port)| format!("{}:{port}", host.to_ascii_lowercase()))
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some((host, port)) = host_and_port(uri) else {
            // Let the inner resolver report what is wrong with the URI.
            return self.shared.inner.resolve(uri, config, timeout);
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{}:{port}", host.to_ascii_lowercase());
        let now = (self.shared.clock)();
        if let Some((at, addrs)) = self.cache().get(&key)
            && now.saturating_duration_since(*at) < self.shared.ttl
        {
            return Ok(addrs.clone());
        }
        // Not under the lock: a slow lookup does not hold up requests to other hosts.
        let addrs = self.shared.inner.resolve(uri, config, timeout)?;
        self.cache().insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    /// A resolver counting its lookups, answering `addr` (or failing while `fail` is set).
    #[derive(Debug, Clone)]
    pub(crate) struct Counting {
        pub(crate) calls: Arc<AtomicUsize>,
        pub(crate) fail: Arc<std::sync::atomic::AtomicBool>,
        pub(crate) addr: SocketAddr,
    }

    impl Counting {
        pub(crate) fn new(addr: SocketAddr) -> Self {
            Self {
                calls: Arc::default(),
                fail: Arc::default(),
                addr,
            }
        }
        pub(crate) fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl Resolver for Counting {
        fn resolve(
            &self,
            _uri: &Uri,
            _config: &Config,
            _timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.fail.load(Ordering::SeqCst) {
                return Err(ureq::Error::HostNotFound);
            }
            let mut addrs = self.empty();
            addrs.push(self.addr);
            Ok(addrs)
        }
    }

    /// A clock that moves only when told to (milliseconds after a fixed start).
    fn manual_clock() -> (Clock, Arc<AtomicU64>) {
        let start = Instant::now();
        let offset = Arc::new(AtomicU64::new(0));
        let read = Arc::clone(&offset);
        let clock: Clock =
            Box::new(move || start + Duration::from_millis(read.load(Ordering::SeqCst)));
        (clock, offset)
    }

    fn resolve(resolver: &CachingResolver, uri: &str) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: Uri = uri.parse().unwrap();
        resolver
            .resolve(&uri, &Config::default(), NextTimeout::default())
            .map(|addrs| addrs.to_vec())
    }

    #[test]
    fn a_host_is_looked_up_once_until_its_ttl_passes() {
        let inner = Counting::new("10.0.0.7:443".parse().unwrap());
        let (clock, now_ms) = manual_clock();
        let resolver = CachingResolver::with_parts(inner.clone(), Duration::from_secs(30), clock);

        for _ in 0..5 {
            let addrs = resolve(&resolver, "https://api.example.test/x?y=1").unwrap();
            assert_eq!(addrs, ["10.0.0.7:443".parse().unwrap()]);
        }
        // The same host in another case and with its default port spelled out is the same.
        resolve(&resolver, "https://API.example.test:443/z").unwrap();
        assert_eq!(inner.calls(), 1);

        // Another host, or another port of the same host, is looked up on its own.
        resolve(&resolver, "https://other.example.test/").unwrap();
        resolve(&resolver, "https://api.example.test:8443/").unwrap();
        assert_eq!(inner.calls(), 3);

        now_ms.store(29_999, Ordering::SeqCst);
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 3, "still within the ttl");

        now_ms.store(30_000, Ordering::SeqCst);
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 4, "the ttl passed: asked again");
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 4, "and cached again from then on");
    }

    #[test]
    fn a_failed_lookup_is_not_cached_and_forget_forces_a_new_one() {
        let inner = Counting::new("10.0.0.7:443".parse().unwrap());
        let (clock, _) = manual_clock();
        let resolver = CachingResolver::with_parts(inner.clone(), Duration::from_secs(30), clock);

        inner.fail.store(true, Ordering::SeqCst);
        assert!(matches!(
            resolve(&resolver, "https://api.example.test/"),
            Err(ureq::Error::HostNotFound)
        ));
        inner.fail.store(false, Ordering::SeqCst);
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 2, "the failure was not remembered");
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 2);

        resolver.forget(&"https://api.example.test/anything".parse().unwrap());
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 3, "forgotten: asked again");

        resolver.clear();
        resolve(&resolver, "https://api.example.test/").unwrap();
        assert_eq!(inner.calls(), 4);
    }

    #[test]
    fn ip_literals_need_no_lookup() {
        let inner = Counting::new("10.0.0.7:443".parse().unwrap());
        let (clock, _) = manual_clock();
        let resolver = CachingResolver::with_parts(inner.clone(), Duration::from_secs(30), clock);
        for (uri, expected) in [
            ("http://127.0.0.1:8080/x", "127.0.0.1:8080"),
            ("http://127.0.0.1/x", "127.0.0.1:80"),
            ("https://[::1]/x", "[::1]:443"),
        ] {
            let addrs = resolve(&resolver, uri).unwrap();
            assert_eq!(addrs, [expected.parse::<SocketAddr>().unwrap()]);
        }
        assert_eq!(inner.calls(), 0);
        assert!(resolver.cache().is_empty());
    }
}
