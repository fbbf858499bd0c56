//! A page's title in the sidebar is the title on the page: the `[Title]` of
//! each chapter in `SUMMARY.md` equals the first `# ` heading of its file
//! (in the first edition they disagreed in ch01, ch02, ch04 and ch05).

use super::Problem;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// `[Title](path.md)` in SUMMARY.md.
static ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]+)\]\(([^)#\s]+\.md)\)").expect("valid regex"));

/// The (title, file) of each chapter in `summary_text`, in order.
pub fn entries(summary_text: &str) -> Vec<(String, String)> {
    ENTRY
        .captures_iter(summary_text)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

/// The first level-1 heading of a Markdown text, outside code fences.
pub fn first_heading(markdown: &str) -> Option<&str> {
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && let Some(title) = line.strip_prefix("# ") {
            return Some(title.trim());
        }
    }
    None
}

/// `markdown` with each line `{{#include FILE}}` (a whole file, no anchor)
/// replaced by that file, as mdBook does: a lab's page is its README.
fn with_whole_includes(markdown: &str, dir: &Path) -> String {
    markdown
        .lines()
        .map(|line| {
            let file = line
                .trim()
                .strip_prefix("{{#include ")
                .and_then(|rest| rest.strip_suffix("}}"))
                .filter(|file| !file.contains(':'));
            match file.and_then(|f| std::fs::read_to_string(dir.join(f.trim())).ok()) {
                Some(included) => included,
                None => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks every chapter of `src/SUMMARY.md`.
pub fn check(src: &Path) -> Vec<Problem> {
    let summary = src.join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(&summary) else {
        return Vec::new(); // chapters.rs reports an unreadable SUMMARY.md
    };
    let mut problems = Vec::new();
    for (title, file) in entries(&text) {
        let path = src.join(&file);
        let Ok(page) = std::fs::read_to_string(&path) else {
            continue; // includes and chapters report a missing file
        };
        let page = with_whole_includes(&page, path.parent().unwrap_or(src));
        match first_heading(&page) {
            Some(heading) if heading == title => {}
            Some(heading) => problems.push(Problem::new(
                &path,
                None,
                format!("the page is titled «{heading}» but SUMMARY.md calls it «{title}»; use one title"),
            )),
            None => problems.push(Problem::new(
                &path,
                None,
                format!("no `# ` title; SUMMARY.md calls it «{title}»"),
            )),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_differs_from_the_sidebar_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        std::fs::write(
            src.join("SUMMARY.md"),
            "# Summary\n\n- [Введение](a.md)\n- [Функции](b.md)\n- [Итоги](c.md)\n- [Лаб](d.md)\n",
        )
        .unwrap();
        std::fs::write(src.join("a.md"), "# Введение\n\ntext\n").unwrap();
        std::fs::write(
            src.join("b.md"),
            "```sh\n# not a title\n```\n# Функции активации\n",
        )
        .unwrap();
        std::fs::write(src.join("c.md"), "no title\n").unwrap();
        std::fs::write(src.join("d.md"), "{{#include lab/README.md}}\n\nmore\n").unwrap();
        std::fs::create_dir(src.join("lab")).unwrap();
        std::fs::write(src.join("lab/README.md"), "# Лаб\n").unwrap();
        let problems = check(src);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("«Функции активации»"));
        assert!(problems[1].message.contains("no `# ` title"));
    }
}
