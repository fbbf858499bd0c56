//! Every lecture chapter (ch01–ch07) ends as a textbook chapter does:
//! `## Итоги` with 5–8 bullet points, and `## Вопросы для самопроверки` with
//! at least five numbered questions, each followed by its answer hidden in
//! `<details><summary>Ответ</summary>…</details>`.

use super::markdown::{BULLET_ITEM, NUMBERED_ITEM, chapter_number, code_mask};
use super::{Problem, files_with_extension};
use std::path::Path;

/// The summary's heading.
pub const SUMMARY: &str = "## Итоги";
/// The questions' heading.
pub const QUESTIONS: &str = "## Вопросы для самопроверки";
/// How an answer opens.
pub const ANSWER: &str = "<details><summary>Ответ</summary>";
/// Points a summary has.
pub const SUMMARY_POINTS: std::ops::RangeInclusive<usize> = 5..=8;
/// Questions a chapter has at least.
pub const MIN_QUESTIONS: usize = 5;
/// The lecture chapters: `ch01` … `ch07`.
const LECTURE_CHAPTERS: std::ops::RangeInclusive<u32> = 1..=7;

/// The section under heading `heading`: its 0-based heading line and the
/// lines up to the next heading of level 1 or 2 (code lines blanked).
fn section<'a>(lines: &[&'a str], mask: &[bool], heading: &str) -> Option<(usize, Vec<&'a str>)> {
    let at = (0..lines.len()).find(|&i| !mask[i] && lines[i].trim_end() == heading)?;
    let body = lines[at + 1..]
        .iter()
        .zip(&mask[at + 1..])
        .take_while(|(l, code)| **code || !(l.starts_with("# ") || l.starts_with("## ")))
        .map(|(l, code)| if *code { "" } else { *l })
        .collect();
    Some((at, body))
}

/// The problems of one chapter's text (messages only; 1-based lines).
pub fn problems_in(text: &str) -> Vec<(Option<usize>, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mask = code_mask(text);
    let mut out = Vec::new();
    match section(&lines, &mask, SUMMARY) {
        None => out.push((None, format!("no `{SUMMARY}` section"))),
        Some((at, body)) => {
            // top-level points only: a wrapped point's lines are indented
            let points = body
                .iter()
                .filter(|l| BULLET_ITEM.is_match(l) && !l.starts_with(' '))
                .count();
            if !SUMMARY_POINTS.contains(&points) {
                out.push((
                    Some(at + 1),
                    format!(
                        "`{SUMMARY}` has {points} bullet point(s); a summary has {}–{}",
                        SUMMARY_POINTS.start(),
                        SUMMARY_POINTS.end()
                    ),
                ));
            }
        }
    }
    match section(&lines, &mask, QUESTIONS) {
        None => out.push((None, format!("no `{QUESTIONS}` section"))),
        Some((at, body)) => {
            let starts: Vec<usize> = (0..body.len())
                .filter(|&i| NUMBERED_ITEM.is_match(body[i]) && !body[i].starts_with("    "))
                .collect();
            if starts.len() < MIN_QUESTIONS {
                out.push((
                    Some(at + 1),
                    format!(
                        "`{QUESTIONS}` has {} numbered question(s); at least {MIN_QUESTIONS} are needed",
                        starts.len()
                    ),
                ));
            }
            for (k, &start) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(body.len());
                let answer = body[start..end].join("\n");
                let opened = answer.find(ANSWER);
                let closed = opened.and_then(|o| answer[o..].find("</details>"));
                if opened.is_none() || closed.is_none() {
                    out.push((
                        Some(at + 2 + start),
                        format!(
                            "question {} has no answer `{ANSWER}…</details>` before the next one",
                            k + 1
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Checks the lecture chapters under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&chapter) else {
            continue;
        };
        let number = chapter_number(&chapter, &text).and_then(|n| n.parse::<u32>().ok());
        if !number.is_some_and(|n| LECTURE_CHAPTERS.contains(&n)) {
            continue;
        }
        for (line, message) in problems_in(&text) {
            problems.push(Problem::new(&chapter, line, message));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions(n: usize) -> String {
        (1..=n)
            .map(|i| format!("{i}. Вопрос {i}?\n\n   <details><summary>Ответ</summary>\n\n   Ответ {i}.\n\n   </details>\n\n"))
            .collect()
    }

    fn chapter(points: usize, n_questions: usize) -> String {
        let bullets: String = (1..=points)
            .map(|i| format!("- Итог {i},\n  перенос.\n"))
            .collect();
        format!(
            "# Глава\n\nТекст.\n\n{SUMMARY}\n\n{bullets}\n{QUESTIONS}\n\n{}## Попробуйте сами\n\n- не итог\n",
            questions(n_questions)
        )
    }

    #[test]
    fn a_complete_ending_is_quiet() {
        assert_eq!(problems_in(&chapter(5, 5)), vec![]);
        assert_eq!(problems_in(&chapter(8, 7)), vec![]);
    }

    #[test]
    fn missing_sections_short_lists_and_unanswered_questions_fail() {
        let none = problems_in("# Глава\n\nТекст.\n");
        assert_eq!(none.len(), 2, "{none:?}");
        assert!(none[0].1.contains("no `## Итоги`"));
        assert!(none[1].1.contains("no `## Вопросы для самопроверки`"));

        let short = problems_in(&chapter(4, 4));
        assert_eq!(short.len(), 2, "{short:?}");
        assert!(short[0].1.contains("has 4 bullet point(s)"));
        assert!(short[1].1.contains("has 4 numbered question(s)"));
        assert!(problems_in(&chapter(9, 5))[0].1.contains("has 9 bullet"));

        let unanswered = chapter(5, 5).replacen(
            "<details><summary>Ответ</summary>\n\n   Ответ 3.\n\n   </details>",
            "Ответ 3 без details.",
            1,
        );
        let p = problems_in(&unanswered);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("question 3 has no answer"));
    }

    #[test]
    fn only_lecture_chapters_are_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ch02-a.md"), "# A\n").unwrap();
        std::fs::write(dir.path().join("ch08-b.md"), "# B\n").unwrap();
        std::fs::write(dir.path().join("lab01.md"), "# Лаба\n").unwrap();
        std::fs::write(dir.path().join("ch03-c.md"), chapter(6, 5)).unwrap();
        let p = check(dir.path());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|p| p.file.ends_with("ch02-a.md")));
    }
}
