//! No emoji anywhere in the book. A character drawn as an emoji by default
//! (Unicode's `Emoji_Presentation`, e.g. «отжиг🤟») or forced to be one by
//! the variation selector U+FE0F renders as an empty box on a machine
//! without an emoji font. Text symbols the book uses (→, ≈, ▶, ✓) are not
//! emoji by default and pass. Checked: every text file under `book/src`
//! (KaTeX's own files aside) and everything the chapters include.

use super::includes::{INCLUDE, includes_in};
use super::listings::included_lines;
use super::{Problem, files_with_extension};
use std::path::Path;
use unicode_properties::{EmojiStatus, UnicodeEmoji};

/// Text files of the book's sources.
const TEXT_EXTENSIONS: [&str; 6] = ["md", "svg", "css", "js", "hbs", "html"];

/// Whether `c` is drawn as an emoji by default.
fn is_emoji(c: char) -> bool {
    c == '\u{FE0F}'
        || matches!(
            c.emoji_status(),
            EmojiStatus::EmojiPresentation
                | EmojiStatus::EmojiPresentationAndModifierBase
                | EmojiStatus::EmojiPresentationAndEmojiComponent
                | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
        )
}

/// The (1-based line, character) of every emoji in `text`.
pub fn emoji_in(text: &str) -> Vec<(usize, char)> {
    text.lines()
        .enumerate()
        .flat_map(|(i, line)| {
            line.chars()
                .filter(|&c| is_emoji(c))
                .map(move |c| (i + 1, c))
        })
        .collect()
}

/// The message for emoji `c`.
fn message(c: char, context: &str) -> String {
    format!(
        "emoji U+{:04X} «{c}»{context}: it renders as an empty box without an emoji font; write words",
        c as u32
    )
}

/// Checks the files under `src` and what its chapters include.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let katex = src.join("katex");
    let mut files: Vec<_> = TEXT_EXTENSIONS
        .iter()
        .flat_map(|ext| files_with_extension(src, ext))
        .filter(|f| !f.starts_with(&katex))
        .collect();
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (line, c) in emoji_in(&text) {
            problems.push(Problem::new(&file, Some(line), message(c, "")));
        }
        if file.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let dir = file.parent().unwrap_or(src);
        for include in includes_in(&text) {
            let Ok(included) = std::fs::read_to_string(dir.join(&include.path)) else {
                continue; // the includes check reports it
            };
            let line = text.lines().nth(include.line - 1).unwrap_or("");
            let spec = INCLUDE
                .captures(line)
                .map(|c| {
                    c[3].split_once(':')
                        .map_or(String::new(), |(_, r)| r.to_owned())
                })
                .unwrap_or_default();
            let shown = included_lines(&included, &spec).join("\n");
            for (_, c) in emoji_in(&shown) {
                let context = format!(" in the included `{}`", include.path);
                problems.push(Problem::new(
                    &file,
                    Some(include.line),
                    message(c, &context),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_found_and_text_symbols_are_not() {
        assert_eq!(
            emoji_in("отжиг🤟\nok\nфлаг ⚠\u{FE0F}"),
            [(1, '🤟'), (3, '\u{FE0F}')]
        );
        let text = "σ′(z) → ∂L/∂w ≈ 0.2, ▶ запустить, ✓ © ® 1. # *, «кавычки» — тире";
        assert_eq!(emoji_in(text), vec![]);
        assert_eq!(
            emoji_in("✅ ❌ 🚀 ⭐"),
            [(1, '✅'), (1, '❌'), (1, '🚀'), (1, '⭐')]
        );
    }

    #[test]
    fn files_and_included_parts_are_checked_katex_is_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("katex")).unwrap();
        std::fs::create_dir_all(src.join("figures")).unwrap();
        std::fs::write(src.join("katex/katex.css"), "/* 🚀 */").unwrap();
        std::fs::write(src.join("figures/f.svg"), "<svg><text>ok</text></svg>").unwrap();
        std::fs::write(
            src.join("ch.md"),
            "Текст.\n\nотжиг🤟\n\n{{#include ../a.rs:shown}}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("a.rs"),
            "// 🙂 outside the anchor\n// ANCHOR: shown\nlet a = 1; // 🚀\n// ANCHOR_END: shown\n",
        )
        .unwrap();
        let p = check(&src);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].line == Some(3) && p[0].message.contains("U+1F91F"));
        assert!(p[1].line == Some(5) && p[1].message.contains("«🚀» in the included `../a.rs`"));
    }
}
