//! `cargo xtask book`.

use crate::Result;

/// Options of `cargo xtask book`.
#[derive(clap::Args)]
pub struct Args {
    /// Verify instead of (re)generating.
    #[arg(long)]
    pub check: bool,
}

/// Runs the command.
pub fn run(_args: Args) -> Result {
    Err("`cargo xtask book` is not built yet".into())
}
