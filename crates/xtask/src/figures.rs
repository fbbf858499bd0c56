//! `cargo xtask figures [--check]`: the book's figures, drawn by the course's
//! own crates with plotters and written as SVG to `book/src/figures/`.
//!
//! Each figure is one small function in its own file under `figures/`,
//! registered in [`FIGURES`]. Figures are deterministic (any randomness is
//! seeded), so the SVG bytes are stable: `--check` draws them all into a
//! temporary directory and fails if a committed file differs or is missing.

use crate::Result;
use std::path::{Path, PathBuf};

mod activations;
mod perceptron;
mod style;

/// Options of `cargo xtask figures`.
#[derive(clap::Args)]
pub struct Args {
    /// Draw into a temporary directory and compare with the committed figures.
    #[arg(long)]
    pub check: bool,
}

/// One figure: its file name under `book/src/figures/` and the function
/// that draws it to a given path.
pub struct Figure {
    /// File name, e.g. `activations.svg`.
    pub file: &'static str,
    /// Draws the figure into the given file.
    pub draw: fn(&Path) -> Result,
}

/// Every figure of the book.
pub const FIGURES: &[Figure] = &[
    Figure {
        file: "activations.svg",
        draw: activations::draw,
    },
    Figure {
        file: "perceptron.svg",
        draw: perceptron::draw,
    },
];

/// Where the committed figures live.
pub fn figures_dir() -> PathBuf {
    crate::workspace_root().join("book/src/figures")
}

/// Runs the command.
pub fn run(args: Args) -> Result {
    let dir = figures_dir();
    if args.check {
        let fresh = tempfile::tempdir()?;
        draw_all(fresh.path())?;
        let problems = compare(fresh.path(), &dir)?;
        for problem in &problems {
            println!("{problem}");
        }
        if problems.is_empty() {
            println!("figures check: {} figure(s) up to date", FIGURES.len());
            Ok(())
        } else {
            Err(format!(
                "figures check: {} problem(s); run `cargo xtask figures` and commit book/src/figures/",
                problems.len()
            )
            .into())
        }
    } else {
        std::fs::create_dir_all(&dir)?;
        draw_all(&dir)?;
        for figure in FIGURES {
            println!("{}", dir.join(figure.file).display());
        }
        Ok(())
    }
}

/// Draws every figure into `dir`.
fn draw_all(dir: &Path) -> Result {
    for figure in FIGURES {
        let path = dir.join(figure.file);
        (figure.draw)(&path).map_err(|e| format!("drawing {}: {e}", figure.file))?;
    }
    Ok(())
}

/// Compares freshly drawn figures in `fresh` with the committed ones in
/// `committed`: one line per figure that differs or is missing, and per
/// committed SVG that no figure draws any more.
fn compare(fresh: &Path, committed: &Path) -> Result<Vec<String>> {
    let shown = |file: &str| {
        let path = committed.join(file);
        let root = crate::workspace_root();
        path.strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string()
    };
    let mut problems = Vec::new();
    for figure in FIGURES {
        let new = std::fs::read(fresh.join(figure.file))?;
        match std::fs::read(committed.join(figure.file)) {
            Ok(old) if old == new => {}
            Ok(_) => problems.push(format!(
                "{}: differs from what `cargo xtask figures` draws now",
                shown(figure.file)
            )),
            Err(_) => problems.push(format!(
                "{}: missing (never drawn or not committed)",
                shown(figure.file)
            )),
        }
    }
    if let Ok(entries) = std::fs::read_dir(committed) {
        let mut stale: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.ends_with(".svg") && !FIGURES.iter().any(|f| f.file == name))
            .collect();
        stale.sort();
        for name in stale {
            problems.push(format!(
                "{}: no figure draws this file any more",
                shown(&name)
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_byte_stable() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        draw_all(a.path()).unwrap();
        draw_all(b.path()).unwrap();
        assert!(compare(a.path(), b.path()).unwrap().is_empty());
    }

    #[test]
    fn a_changed_missing_or_stale_figure_is_reported() {
        let fresh = tempfile::tempdir().unwrap();
        let committed = tempfile::tempdir().unwrap();
        draw_all(fresh.path()).unwrap();
        draw_all(committed.path()).unwrap();
        let first = committed.path().join(FIGURES[0].file);
        let mut bytes = std::fs::read(&first).unwrap();
        bytes.extend_from_slice(b"<!-- edited -->");
        std::fs::write(&first, bytes).unwrap();
        std::fs::remove_file(committed.path().join(FIGURES[1].file)).unwrap();
        std::fs::write(committed.path().join("old.svg"), "<svg/>").unwrap();
        let problems = compare(fresh.path(), committed.path()).unwrap();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("differs"));
        assert!(problems[1].contains("missing"));
        assert!(problems[2].contains("old.svg: no figure draws"));
    }

    #[test]
    fn every_figure_is_a_nonempty_svg() {
        let dir = tempfile::tempdir().unwrap();
        draw_all(dir.path()).unwrap();
        for figure in FIGURES {
            let text = std::fs::read_to_string(dir.path().join(figure.file)).unwrap();
            assert!(
                text.starts_with("<svg") && text.len() > 1000,
                "{}",
                figure.file
            );
            assert!(
                !text.contains("NaN") && !text.contains("inf"),
                "{}",
                figure.file
            );
        }
    }
}
