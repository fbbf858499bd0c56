//! What several checks need to know about a chapter's Markdown: which lines
//! are code, where its paragraphs start, which chapter number it has.

use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// `1. `, `12) ` at the start of a line (after any indentation).
pub static NUMBERED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,9}[.)]\s").expect("valid regex"));

/// `- `, `* `, `+ ` at the start of a line (after any indentation).
pub static BULLET_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[-*+]\s").expect("valid regex"));

/// `chNN-…md`: the number of a lecture chapter.
static CHAPTER_FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ch(\d+)-.*\.md$").expect("valid regex"));

/// `# Приложение B. …`: the letter of an appendix.
static APPENDIX_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#\s+Приложение\s+([A-Z])\b").expect("valid regex"));

/// For each line of `text`, whether it belongs to a fenced code block
/// (its fences included): ``` or ~~~, closed by a fence of the same
/// character at least as long, as in [`super::fences::fences_in`].
pub fn code_mask(text: &str) -> Vec<bool> {
    let mut mask = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |ch| trimmed.chars().take_while(|c| *c == ch).count());
        let fence = fence_char.filter(|_| run >= 3);
        match (open, fence) {
            (None, Some(ch)) => {
                open = Some((ch, run));
                mask.push(true);
            }
            (Some((open_ch, open_run)), Some(ch))
                if ch == open_ch && run >= open_run && trimmed[run..].trim().is_empty() =>
            {
                open = None;
                mask.push(true);
            }
            (Some(_), _) => mask.push(true),
            (None, None) => mask.push(false),
        }
    }
    mask
}

/// Whether `line` ends a paragraph by itself: a heading, a thematic break,
/// a table row or an HTML line such as `</div>` (mdBook's boxes).
pub fn is_block_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('#')
        || t.starts_with('|')
        || t.starts_with('<')
        || (t.len() >= 3 && t.chars().all(|c| c == '-' || c == '*' || c == '_'))
}

/// The chapter "number" used in captions: `5` for `ch05-….md`, the letter
/// for an appendix whose first heading is `# Приложение B. …`, `None` for
/// other pages (about, labs), which captions do not number.
pub fn chapter_number(path: &Path, text: &str) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if let Some(c) = CHAPTER_FILE.captures(name) {
        return c[1].parse::<u32>().ok().map(|n| n.to_string());
    }
    let heading = text.lines().find(|l| l.starts_with("# "))?;
    APPENDIX_HEADING.captures(heading).map(|c| c[1].to_owned())
}

/// The index of the first line of the paragraph that ends at line `end`
/// (0-based): going up while lines are non-blank prose.
pub fn paragraph_start(lines: &[&str], end: usize) -> usize {
    let mut start = end;
    while start > 0 && !lines[start - 1].trim().is_empty() && !is_block_line(lines[start - 1]) {
        start -= 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines_are_masked_fences_included() {
        let text = "a\n```rust\n1. not a list\n```\nb\n````text\n```\n````\nc\n";
        assert_eq!(
            code_mask(text),
            [false, true, true, true, false, true, true, true, false]
        );
    }

    #[test]
    fn chapters_and_appendices_have_numbers() {
        assert_eq!(
            chapter_number(Path::new("src/ch05-backprop.md"), "# x").as_deref(),
            Some("5")
        );
        assert_eq!(
            chapter_number(Path::new("appendix-x.md"), "# Приложение E. Скорость\n").as_deref(),
            Some("E")
        );
        assert_eq!(chapter_number(Path::new("about.md"), "# О книге"), None);
    }

    #[test]
    fn a_paragraph_starts_after_a_blank_or_block_line() {
        let lines = ["<div>", "first", "second", "", "third"];
        assert_eq!(paragraph_start(&lines, 2), 1);
        assert_eq!(paragraph_start(&lines, 4), 4);
    }
}
