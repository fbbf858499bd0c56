//! `cargo xtask figures [--check]`: the book's figures, drawn by the course's
//! own crates with plotters and written as SVG to `book/src/figures/`.
//!
//! Each figure is one small function in its own file under `figures/`,
//! registered in [`FIGURES`]. Figures are deterministic (any randomness is
//! seeded), so the SVG bytes are stable: `--check` draws them all into a
//! temporary directory and fails if a committed file differs or is missing.

use crate::Result;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod activations;
mod approximation;
mod backprop_graph;
mod contour;
mod decision_boundary;
mod focal;
mod learning_rates;
mod lr_range_test;
mod optimizer_paths;
mod perceptron;
mod regression_losses;
mod schedules;
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
    Figure {
        file: "focal.svg",
        draw: focal::draw,
    },
    Figure {
        file: "regression_losses.svg",
        draw: regression_losses::draw,
    },
    Figure {
        file: "optimizer_paths.svg",
        draw: optimizer_paths::draw,
    },
    Figure {
        file: "schedules.svg",
        draw: schedules::draw,
    },
    Figure {
        file: "learning_rates.svg",
        draw: learning_rates::draw,
    },
    Figure {
        file: "lr_range_test.svg",
        draw: lr_range_test::draw,
    },
    Figure {
        file: "backprop_graph.svg",
        draw: backprop_graph::draw,
    },
    Figure {
        file: "decision_boundary.svg",
        draw: decision_boundary::draw,
    },
    Figure {
        file: "approximation.svg",
        draw: approximation::draw,
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
        let started = Instant::now();
        for (figure, seconds) in FIGURES.iter().zip(draw_all(&dir)?) {
            println!("{} ({seconds:.1} s)", dir.join(figure.file).display());
        }
        println!(
            "{} figure(s) drawn in {:.1} s",
            FIGURES.len(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

/// Draws every figure into `dir`; how many seconds each took.
fn draw_all(dir: &Path) -> Result<Vec<f64>> {
    FIGURES
        .iter()
        .map(|figure| {
            let started = Instant::now();
            (figure.draw)(&dir.join(figure.file))
                .map_err(|e| format!("drawing {}: {e}", figure.file))?;
            Ok(started.elapsed().as_secs_f64())
        })
        .collect()
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
    use std::sync::OnceLock;

    /// Every figure drawn once for all tests of this module (the training
    /// figures take seconds in a debug build).
    fn drawn() -> &'static Path {
        static DRAWN: OnceLock<tempfile::TempDir> = OnceLock::new();
        DRAWN
            .get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                draw_all(dir.path()).unwrap();
                dir
            })
            .path()
    }

    #[test]
    fn figures_are_byte_stable() {
        let again = tempfile::tempdir().unwrap();
        draw_all(again.path()).unwrap();
        assert_eq!(
            compare(again.path(), drawn()).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_changed_missing_or_stale_figure_is_reported() {
        let committed = tempfile::tempdir().unwrap();
        for figure in FIGURES {
            std::fs::copy(
                drawn().join(figure.file),
                committed.path().join(figure.file),
            )
            .unwrap();
        }
        let first = committed.path().join(FIGURES[0].file);
        let mut bytes = std::fs::read(&first).unwrap();
        bytes.extend_from_slice(b"<!-- edited -->");
        std::fs::write(&first, bytes).unwrap();
        std::fs::remove_file(committed.path().join(FIGURES[1].file)).unwrap();
        std::fs::write(committed.path().join("old.svg"), "<svg/>").unwrap();
        let problems = compare(drawn(), committed.path()).unwrap();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("differs"));
        assert!(problems[1].contains("missing"));
        assert!(problems[2].contains("old.svg: no figure draws"));
    }

    #[test]
    fn every_figure_is_a_nonempty_svg() {
        for figure in FIGURES {
            let text = std::fs::read_to_string(drawn().join(figure.file)).unwrap();
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

    #[test]
    fn every_figure_is_shown_in_the_book() {
        let src = crate::workspace_root().join("book/src");
        let chapters: String = std::fs::read_dir(&src)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        for figure in FIGURES {
            assert!(
                chapters.contains(&format!("(./figures/{})", figure.file)),
                "no chapter shows figures/{}",
                figure.file
            );
        }
    }
}
