//! `cargo xtask book [--check]`: build the course book with the mdBook and
//! mdbook-katex libraries (nothing to `cargo install`), and check the result.
//!
//! The build renders every formula at build time (KaTeX inside the process)
//! and writes `book/build/`. `--check` then verifies what a reader would
//! notice: a missing chapter, a formula left as `$…$`, a page that loads
//! something from another host, a broken link or image, an include that
//! names a missing file or anchor, a warning in the build log; and what a
//! textbook keeps: no sentence broken into a numbered list, every lecture
//! chapter ending with «Итоги» and «Вопросы для самопроверки», numbered
//! captions under figures and over listings, listings of at most 30 lines
//! and 100 columns with Unicode (not TeX) math in their comments, no emoji.

use crate::Result;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub mod build;
mod checks;
mod html;
mod log;

pub use checks::Problem;

/// Options of `cargo xtask book`.
#[derive(clap::Args)]
pub struct Args {
    /// Build, then check the built book and its sources; fail on any problem.
    #[arg(long)]
    pub check: bool,
}

/// The book's root (where `book.toml` is).
pub fn book_root() -> PathBuf {
    crate::workspace_root().join("book")
}

/// Runs the command.
pub fn run(args: Args) -> Result {
    let root = book_root();
    let started = Instant::now();
    let built = build::build(&root)?;
    let elapsed = started.elapsed();
    println!(
        "book built in {:.1} s: {}",
        elapsed.as_secs_f64(),
        built.index.display()
    );
    let warnings = built.log.warnings();
    if !warnings.is_empty() {
        println!("{} warning(s) in the build log", warnings.len());
    }
    if !args.check {
        return Ok(());
    }
    let problems = checks::run_all(&root, &built.dir, &built.log);
    report(&problems, &root)
}

/// Prints each problem on its own line and fails if there is any.
fn report(problems: &[Problem], root: &Path) -> Result {
    if problems.is_empty() {
        println!("book check: all checks passed");
        return Ok(());
    }
    for problem in problems {
        println!("{}", problem.relative_to(root));
    }
    Err(format!("book check: {} problem(s)", problems.len()).into())
}
