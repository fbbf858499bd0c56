//! `cargo xtask labs …`: the teacher's tools.

use crate::Result;

/// The lab subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Every solution passes its lab's tests; every stub fails each of them.
    Check,
}

/// Runs a lab subcommand.
pub fn run(_cmd: Command) -> Result {
    Err("`cargo xtask labs` is not built yet".into())
}
