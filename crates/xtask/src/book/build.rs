//! Building the book: mdBook's own driver, with mdbook-katex registered as an
//! in-process preprocessor in place of the `mdbook-katex` command that
//! `book.toml` would otherwise make mdBook look for on `PATH`.

use super::log::{self, Log};
use crate::Result;
use mdbook_driver::MDBook;
use mdbook_katex::preprocess::KatexProcessor;
use std::path::{Path, PathBuf};

/// A finished build.
pub struct Built {
    /// The HTML output directory (`book/build/`).
    pub dir: PathBuf,
    /// `book/build/index.html`.
    pub index: PathBuf,
    /// What mdBook and KaTeX logged during this build.
    pub log: Log,
}

/// Builds the book whose `book.toml` is in `root`.
pub fn build(root: &Path) -> Result<Built> {
    build_with(root, |_| Ok(()))
}

/// Builds the book after `configure` has adjusted it (the served variant of
/// `cargo xtask serve` turns the playground on and builds elsewhere).
pub fn build_with(root: &Path, configure: impl FnOnce(&mut MDBook) -> Result) -> Result<Built> {
    let log = log::global();
    log.clear();
    let mut book = MDBook::load(root)
        .map_err(|e| format!("cannot load the book in {}: {e:#}", root.display()))?;
    // Same name as the `[preprocessor.katex]` table, so it takes that entry's
    // place (and its `after = ["links"]` order) and reads its options.
    book.with_preprocessor(KatexProcessor);
    configure(&mut book)?;
    book.build()
        .map_err(|e| format!("book build failed: {e:#}"))?;
    let dir = book.build_dir_for("html");
    let index = dir.join("index.html");
    if !index.is_file() {
        return Err(format!("the build wrote no {}", index.display()).into());
    }
    Ok(Built { dir, index, log })
}
