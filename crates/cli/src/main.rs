//! # `nn` — train, evaluate and inspect multilayer perceptrons
//!
//! The command-line face of the `mlp` crate (Lecture 11): `nn train`,
//! `nn eval`, `nn lr-find`, `nn resume`; `nn` alone trains the digits with
//! good defaults (the README's main job). This file only parses the command
//! line, dispatches, and turns failures into one line and an exit code:
//!
//! | exit code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | a runtime failure: a missing or malformed file, a diverging run |
//! | 2 | a usage error: an unknown name, a value out of range |
//! | 130 | stopped by Ctrl-C, SIGTERM or SIGHUP; a checkpoint was saved |
#![forbid(unsafe_code)]

mod args;
mod error;
mod eval;
mod folder;
mod limits;
mod lr_find;
mod output;
mod progress;
mod report;
mod resume;
mod run_dir;
mod session;
mod setup;
mod signals;
mod train;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::args::{Cli, Command};
use crate::error::{CliError, clap_one_line};
use crate::session::Ended;

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

/// The command line as typed, for `run.json` (bytes that are not UTF-8,
/// possible in Unix file names, shown as U+FFFD).
fn command_line() -> String {
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|w| output::shell_path(std::path::Path::new(&w)))
        .collect();
    if words.is_empty() {
        "nn".into()
    } else {
        format!("nn {}", words.join(" "))
    }
}

fn dispatch(command: Option<Command>) -> Result<Ended, CliError> {
    let command = command.unwrap_or_else(|| {
        say!(
            "nn: no command given, so training on the built-in digits with the default settings (nn train).\n    Other commands: nn train --help | nn eval | nn lr-find | nn resume; nn --help lists them all.\n"
        );
        let defaults = Cli::parse_from(["nn", "train"]);
        defaults.command.expect("`nn train` parses to the train command")
    });
    match command {
        Command::Train(args) => train::run(&args, command_line()),
        Command::Resume(args) => resume::run(&args),
        Command::Eval(args) => eval::run(&args).map(|()| Ended::Finished),
        Command::LrFind(args) => lr_find::run(&args).map(|()| Ended::Finished),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!("error: {}", clap_one_line(&err.to_string()));
                return ExitCode::from(2);
            }
        },
    };
    limits::set_max_input_mb(cli.max_input_mb);
    match dispatch(cli.command) {
        Ok(Ended::Finished) => ExitCode::SUCCESS,
        Ok(Ended::Interrupted) => ExitCode::from(INTERRUPTED),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
