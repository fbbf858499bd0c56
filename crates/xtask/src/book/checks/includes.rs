//! Every `{{#include path:anchor}}` in the sources names a file that exists
//! and, when it names an anchor, a file that has `ANCHOR: name` and
//! `ANCHOR_END: name`. (mdBook itself only logs a missing file, and silently
//! includes nothing for a missing anchor.)

use super::{Problem, files_with_extension};
use regex::Regex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// `{{#include …}}` / `{{#rustdoc_include …}}`, with an optional `\` that
/// escapes it (mdBook then prints it literally).
pub(super) static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\\?)\{\{#(include|rustdoc_include)\s+([^}\s]+)\s*\}\}").expect("valid regex")
});

/// `ANCHOR: name` / `ANCHOR_END: name` as mdBook reads them.
pub(super) static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR(_END)?:\s*([\w_-]+)").expect("valid regex"));

/// One include directive found in a source.
#[derive(Debug, PartialEq, Eq)]
pub struct Include {
    /// 1-based line of the directive.
    pub line: usize,
    /// The file, as written (relative to the chapter's directory).
    pub path: String,
    /// The anchor, if the directive names one (not a line range).
    pub anchor: Option<String>,
}

/// The include directives of a chapter's text, escaped ones left out.
pub fn includes_in(text: &str) -> Vec<Include> {
    INCLUDE
        .captures_iter(text)
        .filter(|c| c[1].is_empty())
        .map(|c| {
            let whole = c.get(0).expect("match");
            let line = text[..whole.start()].matches('\n').count() + 1;
            let spec = &c[3];
            let (path, rest) = spec.split_once(':').unwrap_or((spec, ""));
            let is_range = rest.chars().all(|ch| ch.is_ascii_digit() || ch == ':');
            Include {
                line,
                path: path.to_owned(),
                anchor: (!is_range).then(|| rest.to_owned()),
            }
        })
        .collect()
}

/// The anchors a file opens and closes: (opened, closed).
fn anchors_of(text: &str) -> (HashSet<String>, HashSet<String>) {
    let mut opened = HashSet::new();
    let mut closed = HashSet::new();
    for c in ANCHOR.captures_iter(text) {
        let set = if c.get(1).is_some() {
            &mut closed
        } else {
            &mut opened
        };
        set.insert(c[2].to_owned());
    }
    (opened, closed)
}

/// Checks every `.md` file under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&chapter) else {
            problems.push(Problem::new(&chapter, None, "cannot read"));
            continue;
        };
        let dir = chapter.parent().unwrap_or(src);
        for include in includes_in(&text) {
            let target: PathBuf = dir.join(&include.path);
            let problem = |m: String| Problem::new(&chapter, Some(include.line), m);
            let Ok(included) = std::fs::read_to_string(&target) else {
                problems.push(problem(format!("include `{}`: no such file", include.path)));
                continue;
            };
            if let Some(anchor) = &include.anchor {
                let (opened, closed) = anchors_of(&included);
                if !opened.contains(anchor) {
                    problems.push(problem(format!(
                        "include `{}:{anchor}`: the file has no `ANCHOR: {anchor}`",
                        include.path
                    )));
                } else if !closed.contains(anchor) {
                    problems.push(problem(format!(
                        "include `{}:{anchor}`: the file has no `ANCHOR_END: {anchor}`",
                        include.path
                    )));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_anchors_ranges_and_escapes() {
        let text = "a\n```rust\n{{#include ../../crates/activations/src/sigmoid.rs:sigmoid}}\n```\n{{#include ../lab.md}} {{#include x.rs:3:9}} \\{{#include not/this.rs}}\n";
        let found = includes_in(text);
        assert_eq!(
            found,
            vec![
                Include {
                    line: 3,
                    path: "../../crates/activations/src/sigmoid.rs".into(),
                    anchor: Some("sigmoid".into())
                },
                Include {
                    line: 5,
                    path: "../lab.md".into(),
                    anchor: None
                },
                Include {
                    line: 5,
                    path: "x.rs".into(),
                    anchor: None
                },
            ]
        );
    }

    #[test]
    fn missing_file_anchor_and_anchor_end_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(
            dir.path().join("code.rs"),
            "// ANCHOR: good\nfn a() {}\n// ANCHOR_END: good\n// ANCHOR: open\nfn b() {}\n// ANCHOR: good_two\n",
        )
        .unwrap();
        std::fs::write(
            src.join("ch.md"),
            "{{#include ../code.rs:good}}\n{{#include ../code.rs:gone}}\n{{#include ../code.rs:open}}\n{{#include ../nope.rs}}\n",
        )
        .unwrap();
        let p = check(&src);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].message.contains("no `ANCHOR: gone`") && p[0].line == Some(2));
        assert!(p[1].message.contains("no `ANCHOR_END: open`"));
        assert!(p[2].message.contains("`../nope.rs`: no such file"));
    }
}
