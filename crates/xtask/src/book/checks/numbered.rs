//! No sentence turns into a numbered list by accident. When a wrapped
//! paragraph happens to put `1. ` at the start of a line («вдоль w₁ кривизна
//! 100, вдоль w₂ —⏎1. Градиентный…»), Markdown starts a list there and the
//! number vanishes from the sentence; `2. ` there is plain text today and a
//! list after the next rewrap. So an intended list must be preceded by a
//! blank line (or a heading, or an HTML line such as `</div>`), and a line
//! that starts with `N. ` or `N) ` right after paragraph text is a problem.
//! Items of a list may wrap and follow each other without blank lines.

use super::markdown::{BULLET_ITEM, NUMBERED_ITEM, code_mask, is_block_line};
use super::{Problem, files_with_extension};
use std::path::Path;

/// What the previous lines opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    /// Nothing: the start, a blank line, code or a block line.
    None,
    /// A paragraph of text.
    Paragraph,
    /// A list (its first item followed a blank or block line).
    List,
}

/// The 1-based lines of `text` that start with a number inside a paragraph.
pub fn accidental_items(text: &str) -> Vec<usize> {
    let mask = code_mask(text);
    let mut found = Vec::new();
    let mut block = Block::None;
    for (i, line) in text.lines().enumerate() {
        if mask[i] || line.trim().is_empty() || is_block_line(line) {
            block = Block::None;
            continue;
        }
        let numbered = NUMBERED_ITEM.is_match(line);
        let item = numbered || BULLET_ITEM.is_match(line);
        block = match (block, item) {
            (Block::None, true) => Block::List,
            (Block::None, false) => Block::Paragraph,
            (Block::Paragraph, _) => {
                if numbered {
                    found.push(i + 1);
                }
                Block::Paragraph
            }
            (Block::List, _) => Block::List,
        };
    }
    found
}

/// Checks every `.md` file under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&chapter) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for n in accidental_items(&text) {
            let start: String = lines[n - 1].trim().chars().take(30).collect();
            problems.push(Problem::new(
                &chapter,
                Some(n),
                format!(
                    "«{start}…» starts with a number inside a paragraph: Markdown makes it a numbered list and the number drops out of the sentence; rewrap the paragraph (an intended list needs a blank line before it)"
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_line_starting_with_a_number_is_found() {
        // defect 1 of issue 12, as it was in ch06
        let text = "Вдоль $w_1$ кривизна 1, вдоль $w_2$ кривизна\n100. Градиентный спуск идёт зигзагом,\n1. Не список.\n";
        assert_eq!(accidental_items(text), [2, 3]);
        let indented = "    текст пункта списка\n    1. продолжение\n";
        assert_eq!(accidental_items(indented), [2]);
    }

    #[test]
    fn intended_lists_code_and_html_are_quiet() {
        let text = "Абзац.\n\n1. Первый пункт,\nперенос пункта.\n2. Второй.\n   3) третий\n\n## Вопросы\n1. Вопрос?\n</div>\n1. После блока.\n\n```text\nстрока\n1. в коде\n```\n- пункт\n  1. вложенный\n";
        assert_eq!(accidental_items(text), Vec::<usize>::new());
    }

    #[test]
    fn check_reports_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ok.md"), "Текст.\n\n1. Пункт.\n").unwrap();
        std::fs::write(
            dir.path().join("bad.md"),
            "Кривизна\n1. Градиентный спуск\n",
        )
        .unwrap();
        let p = check(dir.path());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].file.ends_with("bad.md") && p[0].line == Some(2));
        assert!(p[0].message.contains("«1. Градиентный спуск…»"));
    }
}
