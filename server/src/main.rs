//! `driehoek-server`: the command line around [`driehoek_server::app`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
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
        Command::Serve { addr, dist } => serve(addr, dist).await,
    }
}

async fn serve(addr: SocketAddr, dist: PathBuf) -> std::process::ExitCode {
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
    let result = axum::serve(listener, app(AppState { dist }))
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
