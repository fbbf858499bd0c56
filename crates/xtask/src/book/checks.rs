//! The checks of `cargo xtask book --check`. Each checker looks at one kind of
//! mistake and returns one [`Problem`] per occurrence; none stops at the first.

use super::html::{self, Token};
use super::log::Log;
use std::fmt;
use std::path::{Path, PathBuf};

mod captions;
mod chapters;
mod closing;
mod emoji;
mod fences;
mod hosts;
mod includes;
mod katex;
mod lecture;
mod links;
mod listings;
mod logged;
mod markdown;
mod math;
mod numbered;
mod titles;

/// One thing wrong, printed as `file[:line]: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file where the problem is (a page, a source, or the build log).
    pub file: PathBuf,
    /// 1-based line in that file, where known.
    pub line: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl Problem {
    /// A problem in `file`.
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// The problem with its path shown relative to the workspace (the parent
    /// of the book's root `root`).
    pub fn relative_to(&self, root: &Path) -> Problem {
        let base = root.parent().unwrap_or(root);
        let file = self.file.strip_prefix(base).unwrap_or(&self.file);
        Problem::new(file, self.line, self.message.clone())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// A built page, read and tokenized once for all checks.
pub struct Page {
    /// Path of the HTML file.
    pub path: PathBuf,
    /// Its tokens.
    pub tokens: Vec<Token>,
}

impl Page {
    /// A page from its path and text.
    pub fn parse(path: impl Into<PathBuf>, text: &str) -> Self {
        Page {
            path: path.into(),
            tokens: html::tokenize(text),
        }
    }
}

/// Runs every check on the book in `root` built into `build_dir`.
pub fn run_all(root: &Path, build_dir: &Path, log: &Log) -> Vec<Problem> {
    let mut problems = Vec::new();
    let src = root.join("src");
    problems.extend(logged::check(log, Path::new("build log")));
    problems.extend(chapters::check(&src.join("SUMMARY.md"), build_dir));
    problems.extend(includes::check(&src));
    problems.extend(fences::check(&src));
    problems.extend(numbered::check(&src));
    problems.extend(closing::check(&src));
    problems.extend(captions::check(&src));
    problems.extend(listings::check(&src));
    problems.extend(emoji::check(&src));
    problems.extend(titles::check(&src));
    problems.extend(katex::check(&src.join("katex"), katex::RENDERER_VERSION));
    problems.extend(lecture::check(
        &root.join("lecture/lecture-11.md"),
        &src.join("SUMMARY.md"),
    ));

    let pages = read_pages(build_dir, &mut problems);
    let mut targets = links::Targets::new(build_dir);
    for page in &pages {
        // print.html repeats every chapter: check its links, not its text twice
        if page.path.file_name().is_some_and(|n| n != "print.html") {
            problems.extend(math::check(page, build_dir));
        }
        problems.extend(hosts::check(page));
        problems.extend(links::check(page, build_dir, &mut targets));
    }
    problems.extend(hosts::check_stylesheets(build_dir));
    problems
}

/// Every `.html` file under `dir`, sorted by path.
fn read_pages(dir: &Path, problems: &mut Vec<Problem>) -> Vec<Page> {
    let mut files = files_with_extension(dir, "html");
    files.sort();
    files
        .into_iter()
        .filter_map(|path| match std::fs::read_to_string(&path) {
            Ok(text) => Some(Page::parse(path, &text)),
            Err(e) => {
                problems.push(Problem::new(&path, None, format!("cannot read: {e}")));
                None
            }
        })
        .collect()
}

/// Files under `dir` (recursively) whose name ends in `.ext`.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_prints_as_one_line_relative_to_the_workspace() {
        let p = Problem::new("/w/book/build/a.html", Some(3), "broken link `b.html`");
        assert_eq!(
            p.relative_to(Path::new("/w/book")).to_string(),
            "book/build/a.html:3: broken link `b.html`"
        );
        let q = Problem::new("/w/book/src/SUMMARY.md", None, "x");
        assert_eq!(
            q.relative_to(Path::new("/w/book")).to_string(),
            "book/src/SUMMARY.md: x"
        );
    }
}
