//! Code blocks in the sources say what they are. `cargo test -p book` runs
//! every ```` ```rust ```` block as a doctest, and rustdoc takes a fence with
//! no language for Rust too; so every fence must name its language (`rust`,
//! `sh` for commands, `text` for output …), and no Rust block may opt out of
//! being run (`ignore`, `no_run`). A Rust block that includes compiled
//! source (`{{#include …}}`) holds nothing else: the book crate turns such a
//! block into text (its crate compiles it), so any other line in it would
//! escape the doctests. A Markdown file pulled in whole (a lab's README) is
//! not seen by the doctests at all, so it may hold no Rust block.

use super::includes::includes_in;
use super::{Problem, files_with_extension};
use std::path::Path;

/// Rust attributes that would let a block skip running.
const NOT_RUN: [&str; 2] = ["ignore", "no_run"];

/// A fenced block's opening line.
#[derive(Debug, PartialEq, Eq)]
pub struct Fence {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The info string (`rust,should_panic`, `sh`, empty).
    pub info: String,
    /// The lines between the fences.
    pub body: Vec<String>,
}

/// The opening fences of `text` (``` or ~~~, any indentation, closed by a
/// fence of the same character at least as long).
pub fn fences_in(text: &str) -> Vec<Fence> {
    let mut fences: Vec<Fence> = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |ch| trimmed.chars().take_while(|c| *c == ch).count());
        let Some(ch) = fence_char.filter(|_| run >= 3) else {
            if open.is_some()
                && let Some(fence) = fences.last_mut()
            {
                fence.body.push(line.to_owned());
            }
            continue;
        };
        match open {
            Some((open_ch, open_run)) => {
                if ch == open_ch && run >= open_run && trimmed[run..].trim().is_empty() {
                    open = None;
                } else if let Some(fence) = fences.last_mut() {
                    fence.body.push(line.to_owned());
                }
            }
            None => {
                open = Some((ch, run));
                fences.push(Fence {
                    line: i + 1,
                    info: trimmed[run..].trim().to_owned(),
                    body: Vec::new(),
                });
            }
        }
    }
    fences
}

/// Checks every `.md` file under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&chapter) else {
            continue;
        };
        let dir = chapter.parent().unwrap_or(src);
        for include in includes_in(&text) {
            if !include.path.ends_with(".md") {
                continue;
            }
            let included = dir.join(&include.path);
            let Ok(included_text) = std::fs::read_to_string(&included) else {
                continue; // the includes check reports a missing file
            };
            for fence in fences_in(&included_text) {
                let lang = fence.info.split([',', ' ']).next().unwrap_or("");
                if lang.is_empty() || lang == "rust" {
                    problems.push(Problem::new(
                        &included,
                        Some(fence.line),
                        format!(
                            "{} block in a file the book includes whole: `cargo test -p book` does not run it; mark it ```text or move the code into a crate",
                            if lang.is_empty() { "unlabelled" } else { "Rust" }
                        ),
                    ));
                }
            }
        }
        for fence in fences_in(&text) {
            let mut words = fence.info.split([',', ' ']).filter(|w| !w.is_empty());
            let lang = words.next().unwrap_or("");
            if lang.is_empty() {
                problems.push(Problem::new(
                    &chapter,
                    Some(fence.line),
                    "code block without a language (rustdoc would run it as Rust): write ```rust, ```sh or ```text",
                ));
            } else if lang == "rust" {
                if let Some(attr) = words.find(|w| NOT_RUN.contains(w)) {
                    problems.push(Problem::new(
                        &chapter,
                        Some(fence.line),
                        format!(
                            "Rust block marked `{attr}`: every Rust block of the book must run"
                        ),
                    ));
                }
                let is_include = |l: &str| {
                    let l = l.trim();
                    l.starts_with("{{#include") || l.starts_with("{{#rustdoc_include")
                };
                let includes = fence.body.iter().filter(|l| is_include(l)).count();
                let others = fence
                    .body
                    .iter()
                    .filter(|l| !l.trim().is_empty() && !is_include(l))
                    .count();
                if includes > 0 && others > 0 {
                    problems.push(Problem::new(
                        &chapter,
                        Some(fence.line),
                        "Rust block mixes `{{#include}}` with other lines (they would not be tested): split it",
                    ));
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
    fn finds_opening_fences_only() {
        let text =
            "```rust\nlet a = 1;\n```\n\n    ```sh\n    cargo test\n    ```\n````text\n```\n````\n";
        let fences = fences_in(text);
        let lines: Vec<(usize, &str)> = fences.iter().map(|f| (f.line, f.info.as_str())).collect();
        assert_eq!(lines, vec![(1, "rust"), (5, "sh"), (8, "text")]);
        assert_eq!(fences[0].body, vec!["let a = 1;"]);
        assert_eq!(
            fences[2].body,
            vec!["```"],
            "a shorter fence does not close a longer one"
        );
    }

    #[test]
    fn bare_and_ignored_blocks_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("ch.md"),
            "```\ncargo test\n```\n```rust,ignore\nfn f() {}\n```\n```rust,no_run\n```\n```rust,should_panic\npanic!()\n```\n```text\nok\n```\n",
        )
        .unwrap();
        let p = check(dir.path());
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().all(|p| !p.message.contains("mixes")));
        assert_eq!(p[0].line, Some(1));
        assert!(p[1].message.contains("`ignore`"));
        assert!(p[2].message.contains("`no_run`"));
    }

    #[test]
    fn rust_in_an_included_markdown_file_fails() {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(
            dir.path().join("README.md"),
            "# Lab\n\n```rust\nlet x = 1;\n```\n\n```sh\ncargo test -p lab01\n```\n",
        )
        .unwrap();
        std::fs::write(src.join("lab01.md"), "{{#include ../README.md}}\n").unwrap();
        let p = check(&src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].file.ends_with("README.md") && p[0].line == Some(3));
        assert!(p[0].message.contains("does not run it"));
    }

    #[test]
    fn an_include_block_must_hold_only_includes() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("ch.md"),
            "```rust\n{{#include ../a.rs:x}}\n\n{{#include ../a.rs:y}}\n```\n```rust\n{{#include ../a.rs:x}}\nassert_eq!(1, 2);\n```\n",
        )
        .unwrap();
        let p = check(dir.path());
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(6));
        assert!(p[0].message.contains("mixes"));
    }
}
