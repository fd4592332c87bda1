//! `driehoek-server`: the command line around [`driehoek_server::app`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use driehoek_server::api::{etag_of, hash};
use driehoek_server::store::{SqliteStore, Store};
use driehoek_server::{app, is_built, AppState};
use tracing_subscriber::EnvFilter;

/// Driehoek's server: serves the app and, later, a school's content and RSVPs.
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
        /// The SQLite database file; without it, the API runs on an empty database in memory.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Create the demo school (from the demo content, dated around today) on first start and
        /// print the join link with its access code.
        #[arg(long)]
        demo: bool,
    },
    /// Manage schools.
    School {
        #[command(subcommand)]
        command: SchoolCommand,
    },
}

#[derive(Subcommand)]
enum SchoolCommand {
    /// Create a school; prints its access code and admin token once (only hashes are kept).
    Create {
        /// Short id: a-z, 0-9 and -.
        id: String,
        /// The school's name.
        name: String,
        /// The SQLite database file.
        #[arg(long, default_value = "driehoek.sqlite3")]
        db: PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    match Cli::parse().command {
        Command::Serve {
            addr,
            dist,
            db,
            demo,
        } => serve(addr, dist, db, demo).await,
        Command::School {
            command: SchoolCommand::Create { id, name, db },
        } => school_create(&id, &name, &db),
    }
}

/// 16 random bytes from the kernel, as hex.
fn random_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates a school; returns its (access code, admin token).
fn create_school(store: &dyn Store, id: &str, name: &str) -> Result<(String, String), String> {
    if !driehoek_core::validate::is_valid_id(id) {
        return Err(format!("{id:?} is geen geldige code (a-z, 0-9, -)"));
    }
    let code = random_token().map_err(|e| e.to_string())?;
    let admin = random_token().map_err(|e| e.to_string())?;
    store
        .create_school(id, name, &hash(&code), &hash(&admin))
        .map_err(|e| e.to_string())?;
    Ok((code, admin))
}

fn school_create(id: &str, name: &str, db: &std::path::Path) -> std::process::ExitCode {
    let result = SqliteStore::open(db)
        .map_err(|e| e.to_string())
        .and_then(|store| create_school(&store, id, name));
    match result {
        Ok((code, admin)) => {
            println!("School {id} aangemaakt. Bewaar deze codes: ze worden niet nog eens getoond.");
            println!("toegangscode (ouders): {code}");
            println!("beheercode (school):   {admin}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("driehoek-server: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The demo school on first start: created, its demo content published, the join link printed.
/// Its access code is kept in a file beside the database, so later starts print the same link.
fn demo_school(store: &dyn Store, db: Option<&std::path::Path>) -> Result<String, String> {
    let id = driehoek_core::demo::school().id;
    let code_file = db.map(|p| p.with_extension("demo-code"));
    if let (Some(_), Some(file)) = (store.school(&id).map_err(|e| e.to_string())?, &code_file) {
        if let Ok(code) = std::fs::read_to_string(file) {
            return Ok(format!("/?school={id}&code={}", code.trim()));
        }
    }
    let (code, _admin) = create_school(store, &id, &driehoek_core::demo::school().name)?;
    let content = driehoek_core::demo_content(chrono::Local::now().date_naive());
    let json = serde_json::to_string(&content).map_err(|e| e.to_string())?;
    store
        .publish(&id, &content, &etag_of(&json))
        .map_err(|e| e.to_string())?;
    if let Some(file) = code_file {
        std::fs::write(file, &code).map_err(|e| e.to_string())?;
    }
    Ok(format!("/?school={id}&code={code}"))
}

async fn serve(
    addr: SocketAddr,
    dist: PathBuf,
    db: Option<PathBuf>,
    demo: bool,
) -> std::process::ExitCode {
    let store = match &db {
        Some(path) => SqliteStore::open(path),
        None => SqliteStore::in_memory(),
    };
    let store: std::sync::Arc<dyn driehoek_server::store::Store> = match store {
        Ok(store) => std::sync::Arc::new(store),
        Err(err) => {
            eprintln!("driehoek-server: cannot open the database: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let join = if demo {
        match demo_school(store.as_ref(), db.as_deref()) {
            Ok(link) => Some(link),
            Err(err) => {
                eprintln!("driehoek-server: cannot create the demo school: {err}");
                return std::process::ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    if !is_built(&dist) {
        eprintln!(
            "driehoek-server: {} has no index.html; build the app first (scripts/run.sh does).",
            dist.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("driehoek-server: cannot listen on {addr}: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    // The tests read this line to find the port.
    println!("Driehoek draait op http://{local}/");
    if let Some(link) = join {
        println!("Demoschool: http://{local}{link}");
    }
    let result = axum::serve(listener, app(AppState { dist, store }))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("driehoek-server: {err}");
            std::process::ExitCode::FAILURE
        }
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
