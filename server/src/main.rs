//! `driehoek-server`: the command line around [`driehoek_server::app`].

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use driehoek_server::schools::{self, Database, Imported, Replaced, SchoolError};
use driehoek_server::serve::Limits;
use driehoek_server::store::{PostgresStore, SqliteStore, Store};
use driehoek_server::{app_with, is_built, parse_origin, AppState, Clock, Config, WriteRate};
use tracing_subscriber::EnvFilter;

/// Driehoek's server: serves the app, and a school's content, RSVPs and acknowledgements.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built app (Trunk's dist/ folder).
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// The SQLite database file, or a PostgreSQL address (`postgres://user@host/db`) that
        /// several servers share; without it, the API runs on an empty database in memory.
        #[arg(long)]
        db: Option<Database>,
        /// Create the demo school (from the demo content, dated around today) on first start and
        /// print the join link with its access code, and the school's admin token.
        #[arg(long)]
        demo: bool,
        /// An origin (`https://app.school.nl`) whose pages may call the API (CORS); repeat for
        /// more. Without it, only the app served here may call it (same origin).
        #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = parse_origin)]
        allow_origin: Vec<axum::http::HeaderValue>,
        /// Writes (PUT) per second one client address may make in the long run.
        #[arg(long, value_name = "PER_SECOND", default_value_t = 10.0, value_parser = positive)]
        write_rate: f64,
        /// Writes one client address may make at once after a quiet moment.
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        write_burst: u32,
        /// Failed logins (a wrong code or token) one client address may have at once; then it
        /// waits (429) until its count comes down.
        #[arg(long, value_name = "N", default_value_t = driehoek_server::LOGIN_RATE.burst, value_parser = clap::value_parser!(u32).range(1..))]
        login_burst: u32,
        /// Failed logins per second one client address may have in the long run.
        #[arg(long, value_name = "PER_SECOND", default_value_t = driehoek_server::LOGIN_RATE.per_second, value_parser = positive)]
        login_rate: f64,
        /// A reverse proxy in front of this server (its address as this server sees it); repeat
        /// for more. Only from these is `X-Forwarded-For` believed, for the per-address limits.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// Seconds a client has to send a request's headers, from connecting or from the
        /// previous answer.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = positive)]
        header_timeout: f64,
        /// Seconds a connection may stay open with nothing sent either way.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = positive)]
        idle_timeout: f64,
        /// The most connections open at once; keep it below the open-files limit (`ulimit -n`).
        #[arg(long, value_name = "N", default_value_t = 768, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
        /// The most connections open at once from one address.
        #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections_per_address: u32,
        /// The largest the database file may grow, in megabytes; past it, writes are answered
        /// "try again later" (503) as on a full disk. Without it, the disk is the limit.
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
        max_db_mb: Option<u64>,
        /// For tests only: run the server's clock from this moment (Europe/Amsterdam wall time,
        /// `2026-11-23T10:00`) instead of the system clock, so that deadlines and the demo
        /// school's dates agree with a browser whose clock a test has set. Never read from the
        /// environment: only this flag changes the clock.
        #[arg(long, value_name = "MOMENT", value_parser = driehoek_server::clock::parse_moment)]
        clock: Option<chrono::NaiveDateTime>,
    },
    /// Manage schools.
    School {
        #[command(subcommand)]
        command: SchoolCommand,
    },
    /// A school's published content as a JSON file.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Print the protocol's OpenAPI description (server/openapi.yaml), made from the routes and
    /// the Rust types.
    Openapi {
        /// Print the readable summary for people instead (docs/API.md).
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Checks a content file and publishes it for the school; prints every problem otherwise.
    Import {
        /// The content (JSON, as `content export` writes it).
        file: PathBuf,
        /// The school's id.
        #[arg(long)]
        school: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
    },
    /// Writes the school's published content as JSON.
    Export {
        /// The school's id.
        #[arg(long)]
        school: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
        /// The file to write; without it, standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 => Ok(n),
        _ => Err(format!("{text:?} is geen getal groter dan 0")),
    }
}

#[derive(Subcommand)]
enum SchoolCommand {
    /// Create a school; prints its access code and admin token once (only hashes are kept).
    Create {
        /// Short id: a-z, 0-9 and -.
        id: String,
        /// The school's name.
        name: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
    },
    /// Give the parents a new access code (when the old one got out); prints it once. The old
    /// code stops working at once, also on a running server.
    NewCode {
        /// The school's id.
        id: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
    },
    /// Give the school a new admin token (Beheer), when the old one got out or someone who had
    /// it left; prints it once. The old token stops working at once, also on a running server.
    NewAdminToken {
        /// The school's id.
        id: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
    },
    /// Write everything kept for a school (content, families, answers, acknowledgements,
    /// reports, bookings) to a JSON file, to move it to another database with `school import`.
    Export {
        /// The school's id.
        id: String,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
        /// The file to write; without it, standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read a school's export (`school export`) into a database that does not have the school
    /// yet, in one transaction.
    Import {
        /// The export (JSON).
        file: PathBuf,
        /// The SQLite database file, or a PostgreSQL address (`postgres://…`).
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: Database,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a log file or the journal gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    match Cli::parse().command {
        Command::Serve {
            addr,
            dist,
            db,
            demo,
            allow_origin,
            write_rate,
            write_burst,
            login_burst,
            login_rate,
            trusted_proxy,
            header_timeout,
            idle_timeout,
            max_connections,
            max_connections_per_address,
            max_db_mb,
            clock,
        } => {
            let config = Config {
                allow_origins: allow_origin,
                write_rate: WriteRate {
                    burst: write_burst,
                    per_second: write_rate,
                },
                login_rate: WriteRate {
                    burst: login_burst,
                    per_second: login_rate,
                },
                trusted_proxies: trusted_proxy,
                ..Config::default()
            };
            let limits = Limits {
                header_read_timeout: Duration::from_secs_f64(header_timeout),
                idle_timeout: Duration::from_secs_f64(idle_timeout),
                max_connections: max_connections as usize,
                max_per_address: max_connections_per_address as usize,
            };
            let clock = clock.map_or_else(Clock::system, Clock::starting_at);
            let setup = Setup {
                config,
                limits,
                max_db_bytes: max_db_mb.map(|mb| mb.saturating_mul(1024 * 1024)),
                clock,
            };
            serve(addr, dist, db, demo, setup).await
        }
        Command::School {
            command: SchoolCommand::Create { id, name, db },
        } => school_create(&id, &name, &db),
        Command::School {
            command: SchoolCommand::NewCode { id, db },
        } => replace_code(&id, &db, Replaced::AccessCode),
        Command::School {
            command: SchoolCommand::NewAdminToken { id, db },
        } => replace_code(&id, &db, Replaced::AdminToken),
        Command::School {
            command: SchoolCommand::Export { id, db, out },
        } => school_export(&id, &db, out.as_deref()),
        Command::School {
            command: SchoolCommand::Import { file, db },
        } => school_import(&file, &db),
        Command::Content {
            command: ContentCommand::Import { file, school, db },
        } => content_import(&file, &school, &db),
        Command::Content {
            command: ContentCommand::Export { school, db, out },
        } => content_export(&school, &db, out.as_deref()),
        Command::Openapi { markdown } => {
            let text = if markdown {
                driehoek_server::openapi::markdown()
            } else {
                driehoek_server::openapi::yaml()
            };
            match std::io::stdout().write_all(text.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(err.to_string()),
            }
        }
    }
}

/// Says what went wrong on stderr; the command fails.
fn fail(message: String) -> ExitCode {
    eprintln!("driehoek-server: {message}");
    ExitCode::FAILURE
}

/// `serve`'s options beyond the addresses and files.
struct Setup {
    config: Config,
    limits: Limits,
    max_db_bytes: Option<u64>,
    clock: Clock,
}

async fn serve(
    addr: SocketAddr,
    dist: PathBuf,
    db: Option<Database>,
    demo: bool,
    setup: Setup,
) -> ExitCode {
    let Setup {
        config,
        limits,
        max_db_bytes,
        clock,
    } = setup;
    let store: std::sync::Arc<dyn Store> = match (&db, max_db_bytes) {
        (Some(Database::Postgres(_)), Some(_)) => {
            eprintln!("driehoek-server: --max-db-mb geldt alleen voor een SQLite-bestand.");
            return ExitCode::FAILURE;
        }
        (Some(Database::Postgres(url)), None) => match PostgresStore::open(url) {
            Ok(store) => std::sync::Arc::new(store),
            Err(err) => return cannot_open(&err),
        },
        (sqlite, max) => {
            let store = match sqlite.as_ref().and_then(Database::file) {
                Some(path) => SqliteStore::open(path),
                None => SqliteStore::in_memory(),
            };
            let store = match store {
                Ok(store) => store,
                Err(err) => return cannot_open(&err),
            };
            if let Some(bytes) = max {
                if let Err(err) = store.limit_size(bytes) {
                    eprintln!(
                        "driehoek-server: kan de grootte van de database niet begrenzen: {err}"
                    );
                    return ExitCode::FAILURE;
                }
            }
            std::sync::Arc::new(store)
        }
    };
    // The write probe: a database that cannot be written still serves the content, but every
    // write will be answered "try again later" until it is mended, and /readyz says so.
    let ready = store.readiness();
    if !ready.writable {
        tracing::warn!(
            "the database cannot be written (a full disk or a read-only file?): writes are \
             answered with 503 until it can; /readyz reports it"
        );
    }
    let join = if demo {
        match schools::demo_school(
            store.as_ref(),
            db.as_ref().and_then(Database::file),
            clock.today(),
        ) {
            Ok(codes) => Some(codes),
            Err(err) => {
                eprintln!("driehoek-server: kan de demoschool niet maken: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    if !is_built(&dist) {
        eprintln!(
            "driehoek-server: {} heeft geen index.html; bouw eerst de app (scripts/run.sh doet dat).",
            dist.display()
        );
        return ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("driehoek-server: kan niet luisteren op {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    // The tests read this line to find the port.
    // Written, not `println!`: a server whose standard output was closed (a launcher that read
    // the address and went away) must keep serving, not panic on a broken pipe.
    let mut out = std::io::stdout();
    let mut lines = vec![format!("Driehoek draait op http://{local}/")];
    if let Some((link, admin)) = join {
        lines.push(format!("Demoschool: http://{local}{link}"));
        lines.push(format!("Demoschool beheercode (school): {admin}"));
        let school = driehoek_core::demo::school().id;
        lines.push(format!(
            "Beheer voor de school: http://{local}/beheer?school={school}"
        ));
    }
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
    let app = app_with(AppState::new(dist, store).with_clock(clock), &config);
    let result = driehoek_server::serve::serve(listener, app, limits, shutdown_signal()).await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("driehoek-server: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `school create`: prints the new school's codes, once.
fn school_create(id: &str, name: &str, db: &Database) -> ExitCode {
    match schools::school_create(db, id, name) {
        Ok(codes) => {
            println!("School {id} aangemaakt. Bewaar deze codes: ze worden niet nog eens getoond.");
            println!("toegangscode (ouders): {}", codes.access_code);
            println!("beheercode (school):   {}", codes.admin_token);
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// `school new-code` and `school new-admin-token`: prints the new code, once.
fn replace_code(id: &str, db: &Database, which: Replaced) -> ExitCode {
    let code = match schools::replace_code(db, id, which) {
        Ok(code) => code,
        Err(err) => return fail(err),
    };
    match which {
        Replaced::AccessCode => {
            println!("Nieuwe code voor de ouders van {id}; de oude werkt vanaf nu niet meer.");
            println!(
                "Geef de ouders de nieuwe link. Bewaar de code: hij wordt niet nog eens getoond."
            );
            println!("toegangscode (ouders): {code}");
        }
        Replaced::AdminToken => {
            println!(
                "Nieuwe beheercode voor {id}; de oude werkt vanaf nu niet meer, ook niet in een \
                 Beheer-scherm dat nog open staat."
            );
            println!("Bewaar de code: hij wordt niet nog eens getoond.");
            println!("beheercode (school):   {code}");
        }
    }
    ExitCode::SUCCESS
}

/// `content import`: publishes the file, or prints every problem with it.
fn content_import(file: &Path, school: &str, db: &Database) -> ExitCode {
    match schools::content_import(file, school, db, Clock::system().now_local()) {
        Ok(Imported { content, etag }) => {
            println!(
                "Gepubliceerd voor {school}: afspraken versie {}, {} maandinfo's, {} activiteiten (ETag {etag}).",
                content.agreement.version,
                content.bulletins.len(),
                content.activities.len()
            );
            ExitCode::SUCCESS
        }
        Err(SchoolError::Message(message)) => fail(message),
        Err(invalid) => {
            eprintln!("{invalid}");
            ExitCode::FAILURE
        }
    }
}

/// `content export`: writes the published content to `out`, or to standard output.
fn content_export(school: &str, db: &Database, out: Option<&Path>) -> ExitCode {
    let text = match schools::content_export(school, db) {
        Ok(text) => text,
        Err(err) => return fail(err),
    };
    match out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => {
                eprintln!("Geschreven: {}", path.display());
                ExitCode::SUCCESS
            }
            Err(err) => fail(format!("kan {} niet schrijven: {err}", path.display())),
        },
        None => match std::io::stdout().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(err.to_string()),
        },
    }
}

/// The database could not be opened: says why; the command fails.
fn cannot_open(err: &driehoek_server::store::StoreError) -> ExitCode {
    eprintln!("driehoek-server: kan de database niet openen: {err}");
    ExitCode::FAILURE
}

/// `school export`: writes the school's rows to `out`, or to standard output.
fn school_export(id: &str, db: &Database, out: Option<&Path>) -> ExitCode {
    let (text, export) = match schools::school_export(db, id) {
        Ok(done) => done,
        Err(err) => return fail(err),
    };
    let written = match out {
        Some(path) => std::fs::write(path, text)
            .map_err(|err| format!("kan {} niet schrijven: {err}", path.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|err| err.to_string()),
    };
    match written {
        Ok(()) => {
            eprintln!(
                "School {id}: {} rijen uit {db} geschreven{}.",
                export.rows(),
                out.map(|p| format!(" naar {}", p.display()))
                    .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// `school import`: reads an export into `db`.
fn school_import(file: &Path, db: &Database) -> ExitCode {
    match schools::school_import(file, db) {
        Ok(export) => {
            println!(
                "School {}: {} rijen ingelezen in {db}.",
                export.school,
                export.rows()
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// Ctrl-C or SIGTERM: finish the requests under way, then stop.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
