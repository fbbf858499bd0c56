//! `cargo xtask …` — the course's own tooling, in Rust so that nothing needs
//! installing: building the book, drawing its figures, and the teacher's
//! lab commands.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

mod book;
mod figures;
mod labs;
mod serve;

/// Result of an xtask command; errors are printed as one clear line.
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Course tooling: book, figures, labs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into book/build/ (and check it with --check).
    Book(book::Args),
    /// Draw the book's figures into book/src/figures/ (or compare with --check).
    Figures(figures::Args),
    /// Teacher's tools: check, handout, grade.
    #[command(subcommand)]
    Labs(labs::Command),
    /// Serve the book on 127.0.0.1 with runnable, editable code (▶).
    Serve(serve::Args),
}

/// The workspace root (the parent of `crates/`), whatever the current directory.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the root")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Book(args) => book::run(args),
        Command::Figures(args) => figures::run(args),
        Command::Labs(cmd) => labs::run(cmd),
        Command::Serve(args) => serve::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
