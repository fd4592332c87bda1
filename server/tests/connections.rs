//! The accept loop over real sockets on 127.0.0.1: slow and silent clients are closed after the
//! header-read and idle timeouts, open connections are capped per address and in total, and a
//! request whose body never comes gets a JSON 408. Small timeouts keep every test under seconds.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use driehoek_server::serve::{serve, Limits};
use driehoek_server::{app_with, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// The setup's app served on a free port with `limits` and `config`; stops with the test.
async fn start(setup: &Setup, limits: Limits, config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app_with(setup.state.clone(), &config);
    tokio::spawn(serve(listener, app, limits, std::future::pending()));
    addr
}

fn small() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(600),
        max_connections: 100,
        max_per_address: 100,
    }
}

/// A connection from `from` (any 127.x.y.z address is this machine) to `to`.
async fn connect(from: [u8; 4], to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    socket.connect(to).await.unwrap()
}

/// How long until the server closes `stream` (reads until end of file); `None` when it is
/// still open after `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + within),
            stream.read(&mut buffer),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

async fn healthz(addr: SocketAddr) -> String {
    let mut stream = connect([127, 0, 0, 1], addr).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_or_nothing_is_closed() {
    // Bug: partial headers, or no bytes at all, kept a connection (and a file descriptor) open
    // for more than 70 seconds.
    let setup = setup();
    let addr = start(&setup, small(), Config::default()).await;
    let mut silent = connect([127, 0, 0, 1], addr).await;
    let mut half = connect([127, 0, 0, 1], addr).await;
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let silent = closed_within(&mut silent, Duration::from_secs(3)).await;
    let half = closed_within(&mut half, Duration::from_secs(3)).await;
    assert!(silent.is_some(), "a client that sends nothing is closed");
    assert!(half.is_some(), "a client that stops halfway is closed");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let setup = setup();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(30),
        ..small()
    };
    let addr = start(&setup, limits, Config::default()).await;
    let mut stream = connect([127, 0, 0, 1], addr).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let n = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
    let after = closed_within(&mut stream, Duration::from_secs(5)).await;
    let after = after.expect("the idle connection is closed");
    assert!(
        after >= Duration::from_millis(400),
        "not before the idle timeout: {after:?}"
    );
}

#[tokio::test]
async fn open_connections_are_capped_per_address_and_in_total() {
    // Bug: with `ulimit -n 1024`, 1,100 idle sockets left the server without file descriptors
    // and /healthz timed out.
    let setup = setup();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_secs(30),
        max_connections: 4,
        max_per_address: 2,
    };
    let addr = start(&setup, limits, Config::default()).await;
    let mut first = connect([127, 0, 0, 2], addr).await;
    let mut second = connect([127, 0, 0, 2], addr).await;
    let mut third = connect([127, 0, 0, 2], addr).await;
    assert!(
        closed_within(&mut third, Duration::from_secs(2))
            .await
            .is_some(),
        "a third connection from one address is closed at once"
    );
    assert!(closed_within(&mut first, Duration::from_millis(200))
        .await
        .is_none());
    assert!(closed_within(&mut second, Duration::from_millis(200))
        .await
        .is_none());
    let mut others = vec![
        connect([127, 0, 0, 3], addr).await,
        connect([127, 0, 0, 4], addr).await,
    ];
    // Accepted in order: the cap counts them before the next one comes.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut over = connect([127, 0, 0, 5], addr).await;
    assert!(
        closed_within(&mut over, Duration::from_secs(2))
            .await
            .is_some(),
        "past the total cap a connection is closed at once"
    );
    drop(first);
    drop(others.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        healthz(addr).await.starts_with("HTTP/1.1 200"),
        "once connections close, /healthz is answered again"
    );
}

#[tokio::test]
async fn a_body_that_never_comes_gets_a_json_408() {
    let setup = setup();
    let config = Config {
        request_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let addr = start(&setup, small(), config).await;
    let mut stream = connect([127, 0, 0, 1], addr).await;
    let head = format!(
        "PUT /api/v1/schools/demo/rsvps/r-1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {CODE}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("application/json"), "{text}");
    assert!(text.contains("duurde te lang"), "a Dutch message: {text}");
}

#[tokio::test]
async fn a_429_closes_its_connection_and_says_so() {
    // Bug: a 429 (its body unread) did not say `Connection: close`, so a client reusing the
    // connection lost its next request.
    let setup = setup();
    let config = Config {
        write_rate: driehoek_server::WriteRate {
            burst: 1,
            per_second: 0.01,
        },
        ..Config::default()
    };
    let addr = start(&setup, small(), config).await;
    let body = serde_json::to_string(&rsvp(
        "fam-1",
        &setup.activity,
        1_000,
        driehoek_core::Answer::Ja,
        1,
    ))
    .unwrap();
    let put = format!(
        "PUT /api/v1/schools/demo/rsvps/r-fam-1-{} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \
         {CODE}\r\nX-Family-Secret: {SECRET}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        setup.activity,
        body.len()
    );
    let mut stream = connect([127, 0, 0, 1], addr).await;
    stream.write_all(put.as_bytes()).await.unwrap();
    let mut buffer = vec![0u8; 8192];
    let n = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
    stream.write_all(put.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 429"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(text.contains("retry-after"), "{text}");
}
