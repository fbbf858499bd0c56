//! `cargo xtask serve [--port N]`: the book with runnable code, served on
//! this machine only.
//!
//! The page is mdBook's own: its playground buttons (▶), its editor and its
//! result block. mdBook's script posts a snippet to a playground URL; in the
//! served copy that URL is this server (see [`site`]), which compiles the
//! snippet against the course crates exactly as `cargo test -p book` does
//! (see [`scratch`]) and runs it under a time and an output limit (see
//! [`limits`]). Only pages this server handed out may ask for a run
//! (see [`guard`]). The static book of `cargo xtask book` is not touched.

use crate::Result;
use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

mod guard;
mod http;
mod limits;
mod outcome;
mod runner;
mod scratch;
mod selftest;
mod site;
mod snippet;
mod wire;

/// Options of `cargo xtask serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0: any free port, printed at start).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Start the server, open a chapter in headless Chromium, press ▶ there and
    /// check the output on the page; exit non-zero if anything fails.
    #[arg(long)]
    pub self_test: bool,
    /// Stop when standard input is closed (tests start the server this way, so
    /// it never outlives them).
    #[arg(long, hide = true)]
    pub stop_on_eof: bool,
}

/// The workspace's target directory (`CARGO_TARGET_DIR` or `target/`).
pub fn target_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"));
    if target.is_absolute() {
        target
    } else {
        crate::workspace_root().join(target)
    }
}

/// Where the served book and the scratch crate live: `<target>/serve/`,
/// beside the workspace's own build, never inside `book/`.
pub fn serve_dir() -> PathBuf {
    target_dir().join("serve")
}

/// Runs the command.
pub fn run(args: Args) -> Result {
    let root = crate::workspace_root();
    let dir = serve_dir();
    std::fs::create_dir_all(&dir)?;
    let _lock = scratch::lock(&dir)?;

    let started = Instant::now();
    let book_dir = site::build(&root.join("book"), &dir.join("book"))?;
    println!(
        "served book built in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        book_dir.display()
    );

    let crate_dir = scratch::Scratch::create(&root, &dir, &target_dir())?;
    let runner = Arc::new(runner::Runner::start(crate_dir));
    let server = http::Server::bind(args.port, book_dir, Arc::clone(&runner))?;
    let url = server.url();
    println!("serving the book at {url} (loopback only; Ctrl-C stops)");

    // Snippets, the first build and the self-test's browser run in process
    // groups of their own, which the terminal's Ctrl-C (or a SIGTERM) does
    // not reach: stop them before leaving.
    let on_interrupt = Arc::clone(&runner);
    ctrlc::set_handler(move || {
        on_interrupt.stop_current();
        selftest::kill_browser();
        std::process::exit(130);
    })?;
    if args.stop_on_eof {
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
            runner.stop_current();
            std::process::exit(0);
        });
    }
    if args.self_test {
        let server = Arc::new(server);
        let serving = Arc::clone(&server);
        std::thread::spawn(move || serving.serve());
        return selftest::run(&server);
    }
    server.serve();
    Ok(())
}
