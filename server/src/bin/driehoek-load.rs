//! `driehoek-load`: the load generator of the server benchmark (P5, `scripts/bench-server.sh`).
//!
//! Sends a fixed number of requests over N keep-alive HTTP/1.1 connections to a running
//! `driehoek-server --demo` and measures three targets: `GET /healthz` (the baseline: the
//! hello-world route), the content `GET` answered `304` (a phone checking for news), and RSVP
//! `PUT`s that are real writes (a new family each). With the admin token it also plays "the
//! opening minute of a round": it publishes a round of 200 slots (8 groepen × 25), then 400
//! families race for them (each names three slots of its child's groep; on "vol" it takes the
//! first slot proposed, as a parent taps one, until it has a slot or none is proposed), and
//! checks that exactly 200 slots are taken. Prints requests per second, p50 and p99 and the
//! verdict against the budgets; writes the same as JSON.
//!
//! `--addr` more than once loads several servers in front of one database (PostgreSQL): the
//! connections are spread round-robin, connection `i` to address `i % n`, for every target; each
//! server must answer the content with the same ETag and see the same slots taken. `--label`
//! names the setup in the table and the JSON. `--combine a.json b.json …` sends no load: it
//! prints the reports of several runs side by side (a column per setup) and writes them as one.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};

/// The budgets of P5.
const GET_304_PER_SECOND: f64 = 20_000.0;
const PUT_PER_SECOND: f64 = 5_000.0;
const BOOKING_PER_SECOND: f64 = 5_000.0;
/// The bench round: groepen 1 to 8, this many slots each.
const BENCH_ROUND: &str = "bench-opening";
const SLOTS_PER_GROEP: u32 = 25;
const P99_MS: f64 = 20.0;

#[derive(Parser)]
#[command(about = "Load generator for driehoek-server (benchmark P5)")]
struct Args {
    /// A server's address (host:port). More than once for several servers on one database:
    /// connection i goes to address i % n, for every target.
    #[arg(
        long = "addr",
        value_name = "HOST:PORT",
        required_unless_present = "combine"
    )]
    addrs: Vec<SocketAddr>,
    /// The setup measured ("SQLite", "PostgreSQL, 2 servers"), printed and written to the JSON.
    #[arg(long, default_value = "")]
    label: String,
    /// The school's id.
    #[arg(long, default_value = "wilgenhoek")]
    school: String,
    /// The school's access code (printed by `serve --demo`; with SQLite also kept in
    /// `<db>.demo-code`).
    #[arg(long, required_unless_present = "combine")]
    code: Option<String>,
    /// Requests per GET target.
    #[arg(long, default_value_t = 50_000)]
    get_requests: usize,
    /// RSVP PUTs.
    #[arg(long, default_value_t = 20_000)]
    put_requests: usize,
    /// The school's admin token (the demo writes it to `<db>.demo-admin`): publishes the bench
    /// round and measures the bookings. Without it, no bookings.
    #[arg(long)]
    admin: Option<String>,
    /// Families racing for the bench round's 200 slots.
    #[arg(long, default_value_t = 400)]
    booking_families: usize,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Threads of the load generator (it shares the machine with the server).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Writes the results as JSON to this file (one per run; `--combine` joins them).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Exit with 1 when a target is over its budget (with `--combine`: a target of any setup).
    #[arg(long)]
    strict: bool,
    /// Sends no load: reads these reports (written by earlier runs with `--out`), prints them
    /// side by side, a column per setup, and writes them as one to `--out`.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    combine: Vec<PathBuf>,
}

impl Args {
    /// The address of the one-off requests (the content, publishing, the slots taken).
    fn first(&self) -> SocketAddr {
        self.addrs[0]
    }

    /// The address of connection `i`: round-robin over `--addr`.
    fn addr_of(&self, i: usize) -> SocketAddr {
        self.addrs[i % self.addrs.len()]
    }
}

/// One target's figures.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Measured {
    name: String,
    method: String,
    path: String,
    requests: usize,
    errors: usize,
    /// The errors by what was answered: a status ("503"), "no answer", or a check that failed.
    #[serde(default)]
    error_kinds: Errors,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// At least this many per second (none for the baseline).
    budget_per_second: Option<f64>,
    budget_p99_ms: Option<f64>,
    /// Requests per second as a share of the baseline's.
    ratio_to_baseline: f64,
    verdict: String,
}

/// One run: one setup.
#[derive(Serialize, Deserialize)]
struct Report {
    label: String,
    /// The servers loaded, round-robin.
    addresses: Vec<String>,
    connections: usize,
    load_threads: usize,
    cpus: usize,
    targets: Vec<Measured>,
}

/// Several runs side by side (`--combine`).
#[derive(Serialize)]
struct Combined {
    setups: Vec<Report>,
}

/// Errors counted by kind.
type Errors = BTreeMap<String, usize>;

fn tally(errors: &mut Errors, kind: impl Into<String>) {
    *errors.entry(kind.into()).or_default() += 1;
}

/// "503 × 4, no answer × 1".
fn kinds(errors: &Errors) -> String {
    errors
        .iter()
        .map(|(kind, n)| format!("{kind} × {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

type MakeRequest = Arc<dyn Fn(usize) -> Request<Full<Bytes>> + Send + Sync>;

/// One thing to measure.
struct Target {
    name: &'static str,
    method: Method,
    path: &'static str,
    requests: usize,
    /// The request with number `i` (0, 1, …).
    make: MakeRequest,
    /// The status every answer should have.
    expect: StatusCode,
    /// At least this many per second; `None` for the baseline.
    budget: Option<f64>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if !args.combine.is_empty() {
        return match combine(&args) {
            Ok(over) if over && args.strict => std::process::ExitCode::FAILURE,
            Ok(_) => std::process::ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("driehoek-load: {err}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.threads)
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("driehoek-load: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench(&args)) {
        Ok(over) if over && args.strict => std::process::ExitCode::FAILURE,
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("driehoek-load: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn bench(args: &Args) -> Result<bool, String> {
    if args.addrs.is_empty() {
        return Err("no --addr".into());
    }
    let code = args.code.as_deref().ok_or("no --code")?;
    let host = args.first().to_string();
    let content_path = format!("/api/v1/schools/{}/content", args.school);
    let auth = format!("Bearer {code}");

    let bench_round = match &args.admin {
        Some(admin) => Some(publish_bench_round(args, &host, &content_path, &auth, admin).await?),
        None => None,
    };
    // The content once: its ETag, and an activity that takes answers for a while yet.
    let (status, etag, body) = fetch(
        args.first(),
        request(
            Method::GET,
            &host,
            &content_path,
            &[("authorization", &auth)],
            Bytes::new(),
        ),
    )
    .await?;
    if status != StatusCode::OK {
        return Err(format!("GET {content_path}: {status}"));
    }
    let etag = etag.ok_or("the content has no ETag")?;
    // Every server answers with the same version: the 304s below are asked of all of them.
    for &addr in &args.addrs[1..] {
        let (status, other, _) = fetch(
            addr,
            request(
                Method::GET,
                &addr.to_string(),
                &content_path,
                &[("authorization", &auth)],
                Bytes::new(),
            ),
        )
        .await?;
        if status != StatusCode::OK || other.as_deref() != Some(etag.as_str()) {
            return Err(format!(
                "GET {content_path} on {addr}: {status}, ETag {other:?}; on {}: {etag}",
                args.first()
            ));
        }
    }
    let content: driehoek_core::Content =
        serde_json::from_slice(&body).map_err(|e| format!("the content does not parse: {e}"))?;
    // The server under load runs on the system clock; so does this client.
    let clock = driehoek_server::Clock::system();
    let soon = clock.now_local() + chrono::Duration::hours(2);
    let activity = content
        .activities
        .iter()
        .find(|a| a.capacity.is_none() && driehoek_core::rsvp::deadline(a) > soon)
        .ok_or("no open activity without a limit in the content")?
        .id
        .clone();

    let healthz: MakeRequest = {
        let host = host.clone();
        Arc::new(move |_| request(Method::GET, &host, "/healthz", &[], Bytes::new()))
    };
    let conditional: MakeRequest = {
        let (host, path, auth, etag) = (host.clone(), content_path.clone(), auth.clone(), etag);
        Arc::new(move |_| {
            request(
                Method::GET,
                &host,
                &path,
                &[("authorization", &auth), ("if-none-match", &etag)],
                Bytes::new(),
            )
        })
    };
    // A new family per request, unique per run, so every PUT is a real write.
    let run = clock.unix_millis();
    let rsvp: MakeRequest = {
        let (host, auth, school) = (host.clone(), auth.clone(), args.school.clone());
        Arc::new(move |i| {
            let id = format!("load-{run}-{i}");
            let body = serde_json::json!({
                "family_id": id,
                "names": format!("Gezin {i}"),
                "rsvp": {
                    "id": id, "activity_id": activity, "answer": "ja", "people": 1,
                    "helps": false, "note": "", "updated_at": run + i as i64
                }
            })
            .to_string();
            let secret = format!("geheim-{run}-{i:08}");
            request(
                Method::PUT,
                &host,
                &format!("/api/v1/schools/{school}/rsvps/{id}"),
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                    ("x-family-secret", &secret),
                ],
                Bytes::from(body),
            )
        })
    };

    let mut targets = Vec::new();
    let plan = [
        Target {
            name: "healthz",
            method: Method::GET,
            path: "/healthz",
            requests: args.get_requests,
            make: healthz,
            expect: StatusCode::OK,
            budget: None,
        },
        Target {
            name: "content 304",
            method: Method::GET,
            path: "/api/v1/schools/{school}/content (If-None-Match)",
            requests: args.get_requests,
            make: conditional,
            expect: StatusCode::NOT_MODIFIED,
            budget: Some(GET_304_PER_SECOND),
        },
        Target {
            name: "rsvp put",
            method: Method::PUT,
            path: "/api/v1/schools/{school}/rsvps/{rsvp_id}",
            requests: args.put_requests,
            make: rsvp,
            expect: StatusCode::OK,
            budget: Some(PUT_PER_SECOND),
        },
    ];
    let mut baseline = f64::NAN;
    let mut over = false;
    for Target {
        name,
        method,
        path,
        requests,
        make,
        expect,
        budget,
    } in plan
    {
        // A short warm-up of the GETs (connections, caches); writes are all measured.
        if method == Method::GET {
            run_target(args, make.clone(), (requests / 10).max(1), expect).await?;
        }
        let (mut latencies, error_kinds, seconds) =
            run_target(args, make, requests, expect).await?;
        let errors = error_kinds.values().sum::<usize>();
        latencies.sort_unstable();
        let per_second = requests as f64 / seconds;
        if budget.is_none() {
            baseline = per_second;
        }
        let p99_ms = percentile(&latencies, 0.99);
        let verdict = match budget {
            None => "baseline",
            Some(b) if per_second >= b && p99_ms <= P99_MS && errors == 0 => "PASS",
            Some(_) => "OVER",
        };
        over |= verdict == "OVER";
        targets.push(Measured {
            name: name.into(),
            method: method.to_string(),
            path: path.into(),
            requests,
            errors,
            error_kinds,
            seconds,
            per_second,
            p50_ms: percentile(&latencies, 0.50),
            p99_ms,
            max_ms: latencies.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
            budget_per_second: budget,
            budget_p99_ms: budget.map(|_| P99_MS),
            ratio_to_baseline: per_second / baseline,
            verdict: verdict.into(),
        });
    }
    if let Some(round) = &bench_round {
        let booking = measure_bookings(args, round, &auth, run, baseline).await?;
        over |= booking.verdict == "OVER";
        targets.push(booking);
    }
    let report = Report {
        label: args.label.clone(),
        addresses: args.addrs.iter().map(ToString::to_string).collect(),
        connections: args.connections,
        load_threads: args.threads,
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        targets,
    };
    print_table(&report);
    if let Some(out) = &args.out {
        write_json(out, &report)?;
    }
    Ok(over)
}

fn write_json(out: &Path, value: &impl Serialize) -> Result<(), String> {
    let json = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(())
}

fn print_table(report: &Report) {
    let label = if report.label.is_empty() {
        String::new()
    } else {
        format!(" ({})", report.label)
    };
    println!(
        "\nP5 server{label}: {} connections over {}, load generator on {} thread(s), {} CPUs",
        report.connections,
        report.addresses.join(" and "),
        report.load_threads,
        report.cpus
    );
    let targets = &report.targets;
    println!(
        "{:<14} {:>8} {:>7} {:>10} {:>8} {:>8} {:>8}  {:<24} {:<8} {:>9}",
        "target",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "budget",
        "verdict",
        "vs healthz"
    );
    for t in targets {
        let budget = match t.budget_per_second {
            Some(b) => format!(">= {b:.0}/s, p99 <= {P99_MS:.0} ms"),
            None => "-".into(),
        };
        println!(
            "{:<14} {:>8} {:>7} {:>10.0} {:>8.2} {:>8.2} {:>8.2}  {:<24} {:<8} {:>9.2}",
            t.name,
            t.requests,
            t.errors,
            t.per_second,
            t.p50_ms,
            t.p99_ms,
            t.max_ms,
            budget,
            t.verdict,
            t.ratio_to_baseline
        );
    }
    for t in targets.iter().filter(|t| t.errors > 0) {
        println!("{} errors: {}", t.name, kinds(&t.error_kinds));
    }
}

/// `--combine`: the reports of several runs side by side, a column per setup; writes them as one
/// to `--out`. True when a target of any setup is over its budget.
fn combine(args: &Args) -> Result<bool, String> {
    let mut setups = Vec::new();
    for file in &args.combine {
        let json = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let report: Report =
            serde_json::from_str(&json).map_err(|e| format!("{}: {e}", file.display()))?;
        setups.push(report);
    }
    print_side_by_side(&setups);
    let over = setups
        .iter()
        .flat_map(|s| &s.targets)
        .any(|t| t.verdict == "OVER");
    if let Some(out) = &args.out {
        write_json(out, &Combined { setups })?;
    }
    Ok(over)
}

fn print_side_by_side(setups: &[Report]) {
    let Some(first) = setups.first() else {
        return;
    };
    println!(
        "\nP5 server, {} setups one after the other: {} connections, load generator on {} \
         thread(s), {} CPUs",
        setups.len(),
        first.connections,
        first.load_threads,
        first.cpus
    );
    // The targets in the order of the first run, then any only a later one has.
    let mut names: Vec<&str> = Vec::new();
    for t in setups.iter().flat_map(|s| &s.targets) {
        if !names.contains(&t.name.as_str()) {
            names.push(&t.name);
        }
    }
    let width = setups
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0)
        .max(14);
    let mut header = format!("{:<12} {:<14}", "target", "");
    for s in setups {
        header.push_str(&format!("  {:>width$}", s.label));
    }
    println!("{header}");
    type Cell = fn(&Measured) -> String;
    let rows: [(&str, Cell); 5] = [
        ("req/s", |t| format!("{:.0}", t.per_second)),
        ("p50 / p99 ms", |t| {
            format!("{:.2} / {:.2}", t.p50_ms, t.p99_ms)
        }),
        ("vs healthz", |t| format!("{:.2}", t.ratio_to_baseline)),
        ("requests/errs", |t| {
            format!("{} / {}", t.requests, t.errors)
        }),
        ("verdict", |t| t.verdict.clone()),
    ];
    for name in names {
        for (k, (row, cell)) in rows.iter().enumerate() {
            let mut line = format!("{:<12} {row:<14}", if k == 0 { name } else { "" });
            for s in setups {
                let value = s
                    .targets
                    .iter()
                    .find(|t| t.name == name)
                    .map_or_else(|| "-".to_owned(), cell);
                line.push_str(&format!("  {value:>width$}"));
            }
            println!("{line}");
        }
    }
    println!(
        "budgets: content 304 >= {GET_304_PER_SECOND:.0}/s, rsvp put >= {PUT_PER_SECOND:.0}/s, \
         booking put >= {BOOKING_PER_SECOND:.0}/s, each with p99 <= {P99_MS:.0} ms and no errors"
    );
    for s in setups {
        for t in s.targets.iter().filter(|t| t.errors > 0) {
            println!("errors, {}, {}: {}", s.label, t.name, kinds(&t.error_kinds));
        }
    }
}

fn percentile(sorted_us: &[u32], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 * q).ceil() as usize).clamp(1, sorted_us.len()) - 1;
    f64::from(sorted_us[i]) / 1000.0
}

fn request(
    method: Method,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", host);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(body))
        .unwrap_or_else(|_| Request::new(Full::new(Bytes::new())))
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// One request on a new connection: status, ETag, body.
async fn fetch(
    addr: SocketAddr,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Option<String>, Bytes), String> {
    let mut sender = connect(addr).await?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, etag, body))
}

/// Sends `requests` requests over the connections; latencies in µs, errors, seconds.
async fn run_target(
    args: &Args,
    make: MakeRequest,
    requests: usize,
    expect: StatusCode,
) -> Result<(Vec<u32>, Errors, f64), String> {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..args.connections.max(1) {
        let (next, make, addr) = (next.clone(), make.clone(), args.addr_of(c));
        let host =
            hyper::header::HeaderValue::from_str(&addr.to_string()).map_err(|e| e.to_string())?;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests / 16 + 1);
            let mut errors = Errors::new();
            let mut sender = connect(addr).await?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let mut request = make(i);
                request
                    .headers_mut()
                    .insert(hyper::header::HOST, host.clone());
                let sent = Instant::now();
                if sender.ready().await.is_err() {
                    sender = connect(addr).await?;
                }
                let answer = match sender.send_request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        match response.into_body().collect().await {
                            Ok(_) => Some(status),
                            Err(_) => None,
                        }
                    }
                    Err(_) => None,
                };
                let elapsed = sent.elapsed();
                match answer {
                    Some(status) if status == expect => {}
                    Some(status) => tally(&mut errors, status.as_str()),
                    None => {
                        tally(&mut errors, "no answer");
                        sender = connect(addr).await?;
                    }
                }
                latencies.push(micros(elapsed));
            }
            Ok::<_, String>((latencies, errors))
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = Errors::new();
    for task in tasks {
        let (l, e) = task.await.map_err(|e| e.to_string())??;
        latencies.extend(l);
        for (kind, n) in e {
            *errors.entry(kind).or_default() += n;
        }
    }
    Ok((latencies, errors, start.elapsed().as_secs_f64()))
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

/// Publishes the content with the bench round added (8 groepen × [`SLOTS_PER_GROEP`] slots, on
/// the first day of the demo round, whose booking is open in the demo's week).
async fn publish_bench_round(
    args: &Args,
    host: &str,
    content_path: &str,
    auth: &str,
    admin: &str,
) -> Result<driehoek_core::talks::TalkRound, String> {
    let (status, etag, body) = fetch(
        args.first(),
        request(
            Method::GET,
            host,
            content_path,
            &[("authorization", auth)],
            Bytes::new(),
        ),
    )
    .await?;
    if status != StatusCode::OK {
        return Err(format!("GET {content_path}: {status}"));
    }
    let etag = etag.ok_or("the content has no ETag")?;
    let mut content: driehoek_core::Content =
        serde_json::from_slice(&body).map_err(|e| format!("the content does not parse: {e}"))?;
    content.talks.retain(|r| r.id != BENCH_ROUND);
    let mut round = content
        .talks
        .first()
        .cloned()
        .ok_or("the demo content has no round of talks")?;
    let date = round
        .groepen
        .iter()
        .flat_map(|g| g.windows.iter().map(|w| w.date))
        .min()
        .ok_or("the demo round has no days")?;
    let from = chrono::NaiveTime::from_hms_opt(13, 0, 0).ok_or("13:00")?;
    let length = (SLOTS_PER_GROEP - 1) * u32::from(round.slot_minutes + round.changeover_minutes)
        + u32::from(round.slot_minutes);
    let window = driehoek_core::talks::TalkWindow {
        date,
        from,
        to: from + chrono::Duration::minutes(i64::from(length)),
    };
    round.id = BENCH_ROUND.into();
    round.groepen = (1..=8u8)
        .map(|groep| driehoek_core::talks::TalkGroep {
            groep,
            windows: vec![window.clone()],
            place: driehoek_core::Text::nl(format!("Lokaal {groep}")),
        })
        .collect();
    if round.slots().len() != 8 * SLOTS_PER_GROEP as usize {
        return Err(format!(
            "the bench round makes {} slots",
            round.slots().len()
        ));
    }
    content.talks.push(round.clone());
    let json = serde_json::to_vec(&content).map_err(|e| e.to_string())?;
    let bearer = format!("Bearer {admin}");
    let (status, _, body) = fetch(
        args.first(),
        request(
            Method::PUT,
            host,
            content_path,
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
                ("if-match", &etag),
            ],
            Bytes::from(json),
        ),
    )
    .await?;
    if status != StatusCode::OK {
        return Err(format!(
            "publishing the bench round: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(round)
}

/// "The opening minute": [`Args::booking_families`] families race for the bench round's slots
/// over the connections; every request (first tries and the taps on a proposed slot) is
/// measured; then the slots taken must be exactly the round's.
async fn measure_bookings(
    args: &Args,
    round: &driehoek_core::talks::TalkRound,
    auth: &str,
    run: i64,
    baseline: f64,
) -> Result<Measured, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let families = args.booking_families;
    let slots: Arc<Vec<Vec<String>>> = Arc::new(
        (1..=8u8)
            .map(|g| round.slots_of(g).into_iter().map(|s| s.id).collect())
            .collect(),
    );
    // The families' phones are connected before the round opens, round-robin over the servers.
    let mut senders = Vec::new();
    for c in 0..args.connections.max(1) {
        let addr = args.addr_of(c);
        senders.push((addr, connect(addr).await?));
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (addr, mut sender) in senders {
        let (next, host, auth) = (next.clone(), addr.to_string(), auth.to_owned());
        let (school, slots) = (args.school.clone(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut errors, mut booked) = (Errors::new(), 0usize);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= families {
                    break;
                }
                let groep = (i % 8) as u8 + 1;
                let id = format!("bench-{run}-{i}");
                // Three slots of the child's groep, scattered so that families collide.
                let mine = &slots[usize::from(groep) - 1];
                let mut preferences: Vec<String> = Vec::new();
                for k in 0..3u64 {
                    let slot = &mine[scatter(i as u64 * 3 + k) % mine.len()];
                    if !preferences.contains(slot) {
                        preferences.push(slot.clone());
                    }
                }
                let mut body = serde_json::json!({
                    "id": id, "family_id": id, "names": format!("Gezin {i}"),
                    "round_id": BENCH_ROUND,
                    "child": { "name": format!("Kind {i}"), "groep": groep },
                    "preferences": [], "children_in_round": 1, "updated_at": run + i as i64,
                });
                let secret = format!("geheim-{run}-b{i:08}");
                let path = format!("/api/v1/schools/{school}/bookings/{id}");
                let mut wanted: Option<Vec<String>> = None;
                loop {
                    body["preferences"] = match &wanted {
                        Some(ids) => serde_json::json!(ids),
                        None => serde_json::json!(preferences),
                    };
                    let request = request(
                        Method::PUT,
                        &host,
                        &path,
                        &[
                            ("authorization", &auth),
                            ("content-type", "application/json"),
                            ("x-family-secret", &secret),
                        ],
                        Bytes::from(body.to_string()),
                    );
                    let sent = Instant::now();
                    if sender.ready().await.is_err() {
                        sender = connect(addr).await?;
                    }
                    let answer = match sender.send_request(request).await {
                        Ok(response) => {
                            let status = response.status();
                            match response.into_body().collect().await {
                                Ok(bytes) => Some((status, bytes.to_bytes())),
                                Err(_) => None,
                            }
                        }
                        Err(_) => None,
                    };
                    latencies.push(micros(sent.elapsed()));
                    match answer {
                        Some((StatusCode::OK, _)) => {
                            booked += 1;
                            break;
                        }
                        Some((StatusCode::CONFLICT, bytes)) => {
                            let full: driehoek_core::talks::BookingFull =
                                serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                            let Some(first) = full.alternatives.first() else {
                                break;
                            };
                            // The parent taps the first time proposed: a newer version.
                            wanted = Some(vec![first.id.clone()]);
                            body["updated_at"] =
                                serde_json::json!(body["updated_at"].as_i64().unwrap_or(run) + 1);
                        }
                        Some((status, _)) => {
                            tally(&mut errors, status.as_str());
                            break;
                        }
                        None => {
                            tally(&mut errors, "no answer");
                            sender = connect(addr).await?;
                            break;
                        }
                    }
                }
            }
            Ok::<_, String>((latencies, errors, booked))
        }));
    }
    let (mut latencies, mut error_kinds, mut booked) = (Vec::new(), Errors::new(), 0);
    for task in tasks {
        let (l, e, b) = task.await.map_err(|e| e.to_string())??;
        latencies.extend(l);
        for (kind, n) in e {
            *error_kinds.entry(kind).or_default() += n;
        }
        booked += b;
    }
    let seconds = start.elapsed().as_secs_f64();
    // Exactly the round's slots are taken, each by one family, and every server says so.
    let taken_path = format!("/api/v1/schools/{}/talks/{BENCH_ROUND}/taken", args.school);
    let slots = 8 * SLOTS_PER_GROEP as usize;
    let expected = slots.min(families);
    let mut seen = Vec::new();
    for &addr in &args.addrs {
        let (status, _, body) = fetch(
            addr,
            request(
                Method::GET,
                &addr.to_string(),
                &taken_path,
                &[("authorization", auth)],
                Bytes::new(),
            ),
        )
        .await?;
        if status != StatusCode::OK {
            return Err(format!("GET {taken_path} on {addr}: {status}"));
        }
        let taken: driehoek_core::talks::TakenSlots =
            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        seen.push(taken.taken.len());
    }
    let taken = seen
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" / ");
    println!(
        "\nbookings: {families} families, {} requests, {booked} booked, {taken} slots taken of \
         {slots} (expected {expected}; as seen by each server)",
        latencies.len(),
    );
    if seen.iter().any(|&n| n != expected) || booked != expected {
        tally(&mut error_kinds, "slots taken not as expected");
    }
    let errors = error_kinds.values().sum::<usize>();
    latencies.sort_unstable();
    let requests = latencies.len();
    let per_second = requests as f64 / seconds;
    let p99_ms = percentile(&latencies, 0.99);
    let verdict = if per_second >= BOOKING_PER_SECOND && p99_ms <= P99_MS && errors == 0 {
        "PASS"
    } else {
        "OVER"
    };
    Ok(Measured {
        name: "booking put".into(),
        method: "PUT".into(),
        path: "/api/v1/schools/{school}/bookings/{booking_id}".into(),
        requests,
        errors,
        error_kinds,
        seconds,
        per_second,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms,
        max_ms: latencies.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
        budget_per_second: Some(BOOKING_PER_SECOND),
        budget_p99_ms: Some(P99_MS),
        ratio_to_baseline: per_second / baseline,
        verdict: verdict.into(),
    })
}

/// SplitMix64 of `seed`: the same scattered number on every run.
fn scatter(seed: u64) -> usize {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as usize
}
