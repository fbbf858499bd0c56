//! Every chapter listed in `SUMMARY.md` became a page with content.

use super::Problem;
use crate::book::html::{self, Token};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// `[Title](path.md)` in SUMMARY.md (draft chapters `[Title]()` have no file).
static CHAPTER_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(([^)#\s]+\.md)\)").expect("valid regex"));

/// The chapter sources listed in `summary_text`, in order.
pub fn chapters_in(summary_text: &str) -> Vec<String> {
    CHAPTER_LINK
        .captures_iter(summary_text)
        .map(|c| c[1].to_owned())
        .collect()
}

/// Where mdBook writes the page of chapter `source` (`a/b.md` → `a/b.html`,
/// `README.md` → `index.html`).
pub fn page_of(build_dir: &Path, source: &str) -> PathBuf {
    let path = Path::new(source);
    let page = if path.file_name().is_some_and(|n| n == "README.md") {
        path.with_file_name("index.html")
    } else {
        path.with_extension("html")
    };
    build_dir.join(page)
}

/// Checks that each chapter of `summary` has a page in `build_dir` whose
/// `<main>` holds text.
pub fn check(summary: &Path, build_dir: &Path) -> Vec<Problem> {
    let text = match std::fs::read_to_string(summary) {
        Ok(t) => t,
        Err(e) => return vec![Problem::new(summary, None, format!("cannot read: {e}"))],
    };
    let chapters = chapters_in(&text);
    if chapters.is_empty() {
        return vec![Problem::new(summary, None, "lists no chapter")];
    }
    let mut problems = Vec::new();
    for chapter in chapters {
        let page = page_of(build_dir, &chapter);
        match std::fs::read_to_string(&page) {
            Ok(html) if main_has_text(&html) => {}
            Ok(_) => problems.push(Problem::new(
                &page,
                None,
                format!("chapter `{chapter}` rendered with an empty <main>"),
            )),
            Err(_) => problems.push(Problem::new(
                summary,
                None,
                format!(
                    "chapter `{chapter}` was not rendered (no {})",
                    page.display()
                ),
            )),
        }
    }
    problems
}

/// Whether the page's `<main>` element contains non-blank text.
fn main_has_text(page: &str) -> bool {
    let tokens = html::tokenize(page);
    html::texts_in_context(&tokens)
        .iter()
        .any(|t| t.inside.iter().any(|e| e == "main") && !t.text.trim().is_empty())
        && tokens
            .iter()
            .any(|t| matches!(t, Token::Open { name, .. } if name == "main"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_and_pages() {
        let summary = "# Summary\n\n[О книге](about.md)\n\n- [Глава 1](ch01.md)\n  - [Лаба](labs/lab01.md)\n- [Черновик]()\n";
        assert_eq!(
            chapters_in(summary),
            ["about.md", "ch01.md", "labs/lab01.md"]
        );
        assert_eq!(
            page_of(Path::new("b"), "labs/lab01.md"),
            Path::new("b/labs/lab01.html")
        );
        assert_eq!(
            page_of(Path::new("b"), "README.md"),
            Path::new("b/index.html")
        );
    }

    #[test]
    fn missing_and_empty_chapters_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        let summary = dir.path().join("SUMMARY.md");
        std::fs::write(&summary, "- [A](a.md)\n- [B](b.md)\n- [C](c.md)\n").unwrap();
        let build = dir.path().join("build");
        std::fs::create_dir(&build).unwrap();
        std::fs::write(build.join("a.html"), "<main><h1>A</h1><p>text</p></main>").unwrap();
        std::fs::write(build.join("b.html"), "<main>\n  \n</main>").unwrap();
        let problems = check(&summary, &build);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("`b.md` rendered with an empty <main>")
        );
        assert!(problems[1].message.contains("`c.md` was not rendered"));
    }
}
