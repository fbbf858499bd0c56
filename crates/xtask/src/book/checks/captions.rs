//! Figures and listings are numbered and captioned, as the book's
//! conventions say (chapters and appendices; `N` is the chapter's number or
//! the appendix's letter, `M` counts from 1 in the page):
//!
//! - a figure is its image line, one blank line, then a paragraph that
//!   begins `**Рисунок N.M.** `;
//! - a Rust code block (a hand-written example or an `{{#include}}` of
//!   compiled source) is preceded, one blank line between, by a paragraph
//!   that begins `**Листинг N.M.** ` and, for an include, names the file
//!   (`crates/activations/src/sigmoid.rs`).

use super::fences::fences_in;
use super::includes::includes_in;
use super::markdown::{chapter_number, code_mask, is_block_line, paragraph_start};
use super::{Problem, files_with_extension};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// A Markdown image alone on its line.
static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*!\[[^\]]*\]\([^)\s]+\)\s*$").expect("valid regex"));

/// `**Рисунок 2.1.** ` / `**Листинг E.3.** `: the word, then `N.M`.
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\*\*(Рисунок|Листинг) ([0-9A-Z]+)\.(\d+)\.\*\* ").expect("valid regex")
});

/// The problems of one page whose chapter number is `n` (1-based lines).
pub fn problems_in(text: &str, n: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mask = code_mask(text);
    let mut out = Vec::new();
    // figures: the caption follows the image after one blank line
    let mut m = 0;
    for (i, line) in lines.iter().enumerate() {
        if mask[i] || !IMAGE.is_match(line) {
            continue;
        }
        m += 1;
        let blank = lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
        let caption = lines.get(i + 2).map(|l| l.trim_start()).unwrap_or("");
        if let Some(message) = caption_problem("Рисунок", n, m, blank, caption) {
            out.push((i + 1, format!("figure: {message}")));
        }
    }
    // listings: the caption precedes the block after one blank line
    let mut m = 0;
    for fence in fences_in(text) {
        let lang = fence.info.split([',', ' ']).next().unwrap_or("");
        if lang != "rust" {
            continue;
        }
        m += 1;
        let at = fence.line - 1;
        let blank = at >= 1 && lines[at - 1].trim().is_empty();
        let ends = at
            .checked_sub(if blank { 2 } else { 1 })
            .filter(|&e| !lines[e].trim().is_empty() && !is_block_line(lines[e]));
        let paragraph = ends.map(|e| {
            let start = paragraph_start(&lines, e);
            lines[start..=e]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ")
        });
        let caption = paragraph.as_deref().unwrap_or("");
        if let Some(message) = caption_problem("Листинг", n, m, blank, caption) {
            out.push((fence.line, format!("listing: {message}")));
            continue;
        }
        for include in includes_in(&fence.body.join("\n")) {
            let file = include.path.trim_start_matches("../");
            if !caption.contains(file) {
                out.push((
                    fence.line,
                    format!("listing {n}.{m}: the caption does not name `{file}`"),
                ));
            }
        }
    }
    out
}

/// What is wrong with `caption` as the `m`-th `word` of chapter `n`, if
/// anything; `blank` says whether one blank line separates it.
fn caption_problem(word: &str, n: &str, m: usize, blank: bool, caption: &str) -> Option<String> {
    let wanted = format!("**{word} {n}.{m}.** ");
    match CAPTION.captures(caption) {
        Some(c) if &c[1] == word && blank => {
            let found = format!("{}.{}", &c[2], &c[3]);
            (found != format!("{n}.{m}"))
                .then(|| format!("numbered {found}, expected {n}.{m} (`{wanted}`)"))
        }
        Some(c) if &c[1] == word => Some(format!(
            "one blank line must separate it from its caption `{wanted}…`"
        )),
        _ => Some(format!("no caption: a paragraph `{wanted}…`")),
    }
}

/// Checks the chapters and appendices under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for page in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        let Some(n) = chapter_number(&page, &text) else {
            continue;
        };
        for (line, message) in problems_in(&text, &n) {
            problems.push(Problem::new(&page, Some(line), message));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# Глава\n\n![Функции](./figures/a.svg)\n\n**Рисунок 2.1.** Функции активации.\n\n**Листинг 2.1.** Сигмоида\n(`crates/activations/src/sigmoid.rs`).\n\n```rust\n{{#include ../../crates/activations/src/sigmoid.rs:sigmoid}}\n```\n\n**Листинг 2.2.** Пример.\n\n```rust\nlet a = 1;\n```\n\n```text\nвывод\n```\n\n![Второй](./figures/b.svg)\n\n**Рисунок 2.2.** Второй.\n";

    #[test]
    fn captioned_figures_and_listings_are_quiet() {
        assert_eq!(problems_in(GOOD, "2"), vec![]);
    }

    #[test]
    fn missing_misnumbered_and_unseparated_captions_fail() {
        let p = problems_in(GOOD, "3");
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(
            p[0].1
                .contains("numbered 2.1, expected 3.1 (`**Рисунок 3.1.** `)")
        );

        let bare = "Текст.\n\n```rust\nlet a = 1;\n```\n\n![Рис](a.svg)\nПодпись.\n";
        let p = problems_in(bare, "5");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].0, 7);
        assert!(p[0].1.starts_with("figure: no caption"));
        assert_eq!(p[1].0, 3);
        assert!(
            p[1].1
                .contains("no caption: a paragraph `**Листинг 5.1.** …`")
        );

        let glued = "**Листинг 1.1.** Пример.\n```rust\nlet a = 1;\n```\n";
        assert!(problems_in(glued, "1")[0].1.contains("one blank line"));
        let skipped = "**Листинг 1.2.** Пример.\n\n```rust\nlet a = 1;\n```\n";
        assert!(problems_in(skipped, "1")[0].1.contains("numbered 1.2"));
    }

    #[test]
    fn an_include_caption_names_the_file() {
        let text = "**Листинг 4.1.** Потери.\n\n```rust\n{{#include ../../crates/losses/src/mse.rs:mse}}\n```\n";
        let p = problems_in(text, "4");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("does not name `crates/losses/src/mse.rs`"));
    }

    #[test]
    fn only_chapters_and_appendices_are_numbered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bare = "```rust\nlet a = 1;\n```\n";
        std::fs::write(dir.path().join("about.md"), bare).unwrap();
        std::fs::write(
            dir.path().join("appendix-x.md"),
            format!("# Приложение B. X\n\n{bare}"),
        )
        .unwrap();
        let p = check(dir.path());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("**Листинг B.1.**"));
    }
}
