//! A token bucket per client address for the writes (PUT): a short burst is always fine, a steady
//! flood is slowed down with `429 Too Many Requests` and a `Retry-After`. A second bucket counts
//! failed logins (a 401: a wrong access code, admin token or family secret): an address that
//! guesses too often gets a 429 on every request to the API until its bucket fills again.
//!
//! The client's address is the connection's peer, or, when the peer is a proxy named with
//! `--trusted-proxy`, the last address that proxy added to `X-Forwarded-For` (see [`client`]).
//!
//! IPv6 clients are counted per /64 network (one household or phone gets a whole /64, so single
//! addresses would be free to pick). The map of buckets is pruned: a bucket that has filled up
//! again says nothing that a new bucket would not, so it is dropped; and when, even so, more than
//! [`MAX_CLIENTS`] clients are counted at once, new clients wait until old ones are pruned.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The most clients counted at once.
pub const MAX_CLIENTS: usize = 100_000;

/// How fast one client may write.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WriteRate {
    /// Writes allowed at once, after a quiet moment.
    pub burst: u32,
    /// Writes per second allowed in the long run.
    pub per_second: f64,
}

impl Default for WriteRate {
    fn default() -> Self {
        WriteRate {
            burst: 20,
            per_second: 10.0,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of every client.
#[derive(Debug)]
pub struct RateLimiter {
    rate: WriteRate,
    buckets: Mutex<Buckets>,
    max_clients: usize,
}

#[derive(Debug)]
struct Buckets {
    map: HashMap<IpAddr, Bucket>,
    pruned: Option<Instant>,
}

impl RateLimiter {
    pub fn new(rate: WriteRate) -> Self {
        Self::with_capacity(rate, MAX_CLIENTS)
    }

    /// A limiter that counts at most `max_clients` clients at once.
    pub fn with_capacity(rate: WriteRate, max_clients: usize) -> Self {
        RateLimiter {
            rate: WriteRate {
                burst: rate.burst.max(1),
                per_second: if rate.per_second > 0.0 {
                    rate.per_second
                } else {
                    f64::MIN_POSITIVE
                },
            },
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                pruned: None,
            }),
            max_clients: max_clients.max(1),
        }
    }

    /// Takes one token for `client` at `now`; `Err(wait)` when it must wait that long first.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        self.bucket(client, now, true)
    }

    /// Whether `client` has a token at `now`, without taking it; `Err(wait)` when it must wait.
    pub fn peek(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        self.bucket(client, now, false)
    }

    fn bucket(&self, client: IpAddr, now: Instant, take: bool) -> Result<(), Duration> {
        let key = key(client);
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock only means another request panicked mid-update: let this one pass.
            return Ok(());
        };
        // A client without a bucket has its whole burst: a look makes no bucket (every reader
        // would otherwise be counted, and could crowd out the ones that matter).
        if !take && !buckets.map.contains_key(&key) {
            return Ok(());
        }
        let burst = f64::from(self.rate.burst);
        // Now and then, and whenever the map is full, drop the buckets that filled up again.
        let due = buckets
            .pruned
            .is_none_or(|at| now.saturating_duration_since(at) >= self.refill_time());
        let full = buckets.map.len() >= self.max_clients && !buckets.map.contains_key(&key);
        if due || full {
            self.prune(&mut buckets, now);
        }
        if buckets.map.len() >= self.max_clients && !buckets.map.contains_key(&key) {
            return Err(Duration::from_secs(1));
        }
        let bucket = buckets.map.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate.per_second).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            if take {
                bucket.tokens -= 1.0;
            }
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.rate.per_second;
            Err(Duration::from_secs_f64(wait.min(3600.0)))
        }
    }

    /// Drops the buckets that have filled up again by `now`.
    pub fn prune_idle(&self, now: Instant) {
        if let Ok(mut buckets) = self.buckets.lock() {
            self.prune(&mut buckets, now);
        }
    }

    fn prune(&self, buckets: &mut Buckets, now: Instant) {
        let burst = f64::from(self.rate.burst);
        buckets.pruned = Some(now);
        buckets.map.retain(|_, b| {
            let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
            b.tokens + elapsed * self.rate.per_second < burst
        });
    }

    /// How many clients are counted now.
    pub fn clients(&self) -> usize {
        self.buckets.lock().map(|b| b.map.len()).unwrap_or(0)
    }

    /// How long a bucket takes to fill up from empty: the pruning interval.
    pub fn refill_time(&self) -> Duration {
        Duration::from_secs_f64(
            (f64::from(self.rate.burst) / self.rate.per_second).clamp(1.0, 3600.0),
        )
    }
}

/// The key of a client: its IPv4 address, or the /64 network of its IPv6 address.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The limits of the API: writes, and failed logins.
#[derive(Debug)]
pub struct Limits {
    pub writes: RateLimiter,
    pub logins: RateLimiter,
}

/// The address a request counts for, set by [`client_address`] on every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client of a request: the connection's peer; when that peer is one of `trusted` proxies,
/// the last address in its `X-Forwarded-For` (the one the proxy itself added; earlier ones
/// were sent by the client and prove nothing). Without a peer (a test calling the router
/// directly) all such requests share one address.
pub fn client(request: &Request, trusted: &[IpAddr]) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    if !trusted.contains(&peer) {
        return peer;
    }
    request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|last| last.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

/// Middleware: notes the request's [`ClientAddr`] for the limits.
pub async fn client_address(
    State(trusted): State<std::sync::Arc<Vec<IpAddr>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = client(&request, &trusted);
    request.extensions_mut().insert(ClientAddr(ip));
    next.run(request).await
}

/// Middleware: an address that failed to log in too often waits (429); PUT requests take a token
/// of their client's write bucket, or get a 429; every 401 takes a token of the login bucket.
pub async fn limit(
    State(limits): State<std::sync::Arc<Limits>>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |c| c.0);
    let now = Instant::now();
    if let Err(wait) = limits.logins.peek(client, now) {
        return too_many(wait, Refusal::Logins);
    }
    if request.method() == Method::PUT {
        if let Err(wait) = limits.writes.check(client, now) {
            return too_many(wait, Refusal::Writes);
        }
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        let _ = limits.logins.check(client, Instant::now());
    }
    response
}

/// Which limit refused a request.
#[derive(Clone, Copy)]
enum Refusal {
    Writes,
    Logins,
}

fn too_many(wait: Duration, refusal: Refusal) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    tracing::debug!(retry_after = seconds, "request refused: rate limit");
    let unit = if seconds == 1 { "seconde" } else { "seconden" };
    let message = match refusal {
        Refusal::Writes => format!(
            "Er komen te veel wijzigingen tegelijk binnen. Probeer het over {seconds} {unit} opnieuw."
        ),
        Refusal::Logins => format!(
            "Te vaak een verkeerde code vanaf dit adres. Probeer het over {seconds} {unit} opnieuw."
        ),
    };
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(serde_json::json!({ "message": message })),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    // The request's body is left unread: the connection closes after this answer, and says so,
    // so that a client never sends its next request into a connection that is going away.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let limiter = RateLimiter::new(WriteRate {
            burst: 3,
            per_second: 2.0,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        }
        let wait = limiter.check(ip("10.0.0.1"), t0).unwrap_err();
        assert!(
            (wait.as_secs_f64() - 0.5).abs() < 1e-6,
            "one token takes half a second at 2/s: {wait:?}"
        );
        assert!(
            limiter.check(ip("10.0.0.2"), t0).is_ok(),
            "another client has its own bucket"
        );
        assert!(limiter
            .check(ip("10.0.0.1"), t0 + Duration::from_millis(500))
            .is_ok());
        assert!(limiter
            .check(ip("10.0.0.1"), t0 + Duration::from_millis(500))
            .is_err());
    }

    #[test]
    fn a_look_takes_nothing_and_makes_no_bucket() {
        let limiter = RateLimiter::new(WriteRate {
            burst: 1,
            per_second: 1.0,
        });
        let t0 = Instant::now();
        assert!(limiter.peek(ip("10.0.0.1"), t0).is_ok());
        assert_eq!(limiter.clients(), 0, "a reader is not counted");
        assert!(limiter.check(ip("10.0.0.1"), t0).is_ok());
        assert!(
            limiter.peek(ip("10.0.0.1"), t0).is_err(),
            "the burst is used"
        );
        assert!(limiter.check(ip("10.0.0.1"), t0).is_err());
    }

    #[test]
    fn ipv6_counts_per_64_network_and_mapped_ipv4_as_ipv4() {
        let limiter = RateLimiter::new(WriteRate {
            burst: 1,
            per_second: 1.0,
        });
        let t0 = Instant::now();
        assert!(limiter.check(ip("2001:db8:1:2::1"), t0).is_ok());
        assert!(
            limiter.check(ip("2001:db8:1:2::ffff:1"), t0).is_err(),
            "the same /64"
        );
        assert!(limiter.check(ip("2001:db8:1:3::1"), t0).is_ok());
        assert!(limiter.check(ip("192.0.2.7"), t0).is_ok());
        assert!(limiter.check(ip("::ffff:192.0.2.7"), t0).is_err());
    }

    #[test]
    fn idle_buckets_are_pruned_and_the_map_stays_bounded() {
        let limiter = RateLimiter::with_capacity(
            WriteRate {
                burst: 2,
                per_second: 1.0,
            },
            100,
        );
        let t0 = Instant::now();
        for i in 0..100u8 {
            assert!(limiter.check(IpAddr::from([10, 0, 0, i]), t0).is_ok());
        }
        assert_eq!(limiter.clients(), 100);
        assert!(
            limiter.check(ip("10.0.1.1"), t0).is_err(),
            "a full map lets no new client in while every bucket is busy"
        );
        assert_eq!(limiter.clients(), 100);
        // One token back per second: after a second every bucket is full again.
        let later = t0 + Duration::from_secs(1);
        assert!(limiter.check(ip("10.0.1.1"), later).is_ok());
        assert_eq!(limiter.clients(), 1, "the idle buckets were pruned");
        limiter.prune_idle(later + limiter.refill_time());
        assert_eq!(limiter.clients(), 0);
    }
}
