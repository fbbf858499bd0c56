//! The whole lecture is in the book: every paragraph of
//! `book/lecture/lecture-11.md`, in order, is a paragraph of the chapters
//! (read in SUMMARY.md order). Additions may come between them; the
//! paragraphs themselves may differ only by the markup fixes in [`FIXES`],
//! each of which the book explains in a box where it occurs.

use super::Problem;
use super::chapters::chapters_in;
use super::logged::shorten;
use std::path::Path;

/// A change the book makes to the lecture's markup: (as the lecture writes
/// it, as the book writes it, why).
pub const FIXES: &[(&str, &str, &str)] = &[
    (
        r"\eta_\min",
        r"\eta_{\min}",
        "KaTeX refuses `\\min` as a bare subscript (correction 10)",
    ),
    (
        r"\eta_\max",
        r"\eta_{\max}",
        "KaTeX refuses `\\max` as a bare subscript (correction 10)",
    ),
    (
        "отжиг\u{1F91F}",
        "отжиг",
        "no emoji in the book: without an emoji font it renders as an empty box",
    ),
    (
        "./images/machlearn_perceptron.png",
        "./figures/perceptron.svg",
        "the lecture's image is not available; the book draws its own",
    ),
    (
        "./images/machlearn_activation_functions.png",
        "./figures/activations.svg",
        "the lecture's image is not available; the book draws it from the activations crate",
    ),
];

/// The paragraphs of a Markdown text: blocks between blank lines, each line
/// trimmed, joined by one space; headings lose their `#`s (the book's
/// chapters start at `#` where the lecture's sections are `##`/`###`), and
/// thematic breaks (`---`, where the lecture changes subject) are dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut flush = |current: &mut Vec<&str>| {
        if !current.is_empty() {
            let joined = current.join(" ");
            let joined = joined.trim_start_matches('#').trim().to_owned();
            if joined != "---" && !joined.is_empty() {
                out.push(joined);
            }
            current.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current);
        } else {
            current.push(line);
        }
    }
    flush(&mut current);
    out
}

/// The lecture's paragraph as the book should have it.
fn fixed(paragraph: &str) -> String {
    FIXES
        .iter()
        .fold(paragraph.to_owned(), |p, (from, to, _)| p.replace(from, to))
}

/// Compares `lecture` with the chapters listed in `summary` (paths relative
/// to `summary`'s directory). One problem per lecture paragraph that is not
/// found after the previous one.
pub fn check(lecture: &Path, summary: &Path) -> Vec<Problem> {
    let Ok(lecture_text) = std::fs::read_to_string(lecture) else {
        return vec![Problem::new(
            lecture,
            None,
            "cannot read the lecture's text",
        )];
    };
    let Ok(summary_text) = std::fs::read_to_string(summary) else {
        return vec![Problem::new(summary, None, "cannot read")];
    };
    let src = summary.parent().unwrap_or(Path::new("."));
    let mut book = Vec::new();
    for chapter in chapters_in(&summary_text) {
        if let Ok(text) = std::fs::read_to_string(src.join(&chapter)) {
            book.extend(paragraphs(&text));
        }
    }
    compare(&paragraphs(&lecture_text), &book)
        .into_iter()
        .map(|(n, p)| {
            Problem::new(
                lecture,
                None,
                format!(
                    "paragraph {n} of the lecture is not in the book (or out of order): «{}»",
                    shorten(&p, 90)
                ),
            )
        })
        .collect()
}

/// The (1-based number, text) of each lecture paragraph missing from `book`
/// in order: those outside a longest common subsequence of the two, so one
/// moved paragraph is reported alone, not everything after it.
pub fn compare(lecture: &[String], book: &[String]) -> Vec<(usize, String)> {
    let wanted: Vec<String> = lecture.iter().map(|p| fixed(p)).collect();
    let (n, m) = (wanted.len(), book.len());
    // lcs[i][j]: longest common subsequence of wanted[i..] and book[j..]
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if wanted[i] == book[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut missing = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n {
        if j < m && wanted[i] == book[j] {
            i += 1;
            j += 1;
        } else if j < m && lcs[i][j + 1] >= lcs[i + 1][j] {
            j += 1;
        } else {
            missing.push((i + 1, wanted[i].clone()));
            i += 1;
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    const LECTURE: &str = "## Лекция\n\nПервый абзац\nв две строки\n\n* Пункт\n\n    $$\\eta_\\min$$\n\n---\n\n### Раздел\n\nПоследний\n";

    #[test]
    fn paragraphs_are_normalised() {
        assert_eq!(
            paragraphs(LECTURE),
            [
                "Лекция",
                "Первый абзац в две строки",
                "* Пункт",
                "$$\\eta_\\min$$",
                "Раздел",
                "Последний"
            ]
        );
    }

    #[test]
    fn the_book_may_add_between_paragraphs_and_fix_markup() {
        let book = "# Лекция\n\n<div class=\"box\">\n\nДополнение\n\n</div>\n\nПервый абзац\nв две строки\n\n* Пункт\n\n    $$\\eta_{\\min}$$\n\n# Раздел\n\nПоследний\n";
        assert!(compare(&paragraphs(LECTURE), &paragraphs(book)).is_empty());
    }

    #[test]
    fn a_missing_changed_or_moved_paragraph_fails() {
        let lecture = paragraphs(LECTURE);
        // the sigmoid fixed silently, a paragraph dropped, two swapped
        let edited = "# Лекция\n\nПервый абзац в две строки, исправленный\n\n* Пункт\n\n# Раздел\n\nПоследний\n\n$$\\eta_{\\min}$$\n";
        let missing = compare(&lecture, &paragraphs(edited));
        let numbers: Vec<usize> = missing.iter().map(|m| m.0).collect();
        assert_eq!(numbers, [2, 4], "{missing:?}");
        // an unexplained fix is also a difference
        let unfixed = LECTURE.replace("\\eta_\\min", "\\eta_{min}");
        assert_eq!(compare(&lecture, &paragraphs(&unfixed)).len(), 1);
    }

    #[test]
    fn the_fixes_are_declared_with_a_reason() {
        for (from, to, why) in FIXES {
            assert_ne!(from, to);
            assert!(!why.is_empty());
        }
    }
}
