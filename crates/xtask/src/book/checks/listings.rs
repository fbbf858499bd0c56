//! Listings a student can read: every Rust code block of the book, as the
//! reader sees it (includes expanded the way mdBook expands them, hidden
//! `# ` lines left out), is at most [`MAX_LINES`] lines and [`MAX_COLUMNS`]
//! columns, and its comments write math in Unicode (σ′(z), ∂L/∂w), never
//! TeX (`\frac`, `\partial`, `$…$`), which a code block shows raw. That
//! holds for `///` docs too once the book shows them: an anchor can start
//! below a doc comment, so rustdoc keeps its TeX and the book shows code.

use super::fences::fences_in;
use super::includes::{ANCHOR, INCLUDE};
use super::{Problem, files_with_extension};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;
use unicode_width::UnicodeWidthStr;

/// Lines a listing may have.
pub const MAX_LINES: usize = 30;
/// Columns a listing's line may have.
pub const MAX_COLUMNS: usize = 100;

/// TeX in a comment: a command (`\frac`, `\hat`), a `$`, or `_{` / `^{`.
static TEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\[A-Za-z]{2,}|\$|[_^]\{").expect("valid regex"));

/// The lines mdBook shows for an include of `text` with `spec`, the part
/// after the path: empty (the whole file), an anchor name, or a line range
/// `a:b`, `a:`, `:b`, `a` (1-based, `b` inclusive). Inside an anchor the
/// lines of other anchors are left out, as mdBook leaves them out.
pub fn included_lines(text: &str, spec: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut parts = spec.splitn(2, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let taken: Vec<&str> = if first.is_empty() && second.is_none() {
        lines.clone()
    } else if let Some(start) = first
        .parse::<usize>()
        .ok()
        .or(first.is_empty().then_some(1))
    {
        let start = start.saturating_sub(1);
        let end = match second {
            None => start + 1,
            Some(e) => e.parse::<usize>().unwrap_or(lines.len()),
        };
        lines
            .get(start.min(lines.len())..end.min(lines.len()))
            .unwrap_or(&[])
            .to_vec()
    } else {
        let mut inside = false;
        let mut out = Vec::new();
        for line in &lines {
            if let Some(c) = ANCHOR.captures(line) {
                let is_end = c.get(1).is_some();
                if &c[2] == first {
                    if !is_end {
                        inside = true;
                    } else if inside {
                        break;
                    }
                }
                continue;
            }
            if inside {
                out.push(*line);
            }
        }
        out
    };
    taken.into_iter().map(str::to_owned).collect()
}

/// The lines a reader sees of a Rust block whose body is `body`, in a
/// chapter in directory `dir`: includes expanded, hidden lines dropped,
/// blank lines at both ends trimmed.
pub fn shown_lines(body: &[String], dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for line in body {
        match INCLUDE.captures(line.trim()).filter(|c| c[1].is_empty()) {
            Some(c) => {
                let spec = &c[3];
                let (path, rest) = spec.split_once(':').unwrap_or((spec, ""));
                // a missing file is the includes check's problem
                if let Ok(text) = std::fs::read_to_string(dir.join(path)) {
                    out.extend(included_lines(&text, rest));
                }
            }
            None => out.push(line.clone()),
        }
    }
    let hidden = |l: &String| {
        let t = l.trim_start();
        t == "#" || t.starts_with("# ")
    };
    out.retain(|l| !hidden(l));
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
}

/// The text of the comment on `line` (`//`, `///` or `//!`), found outside
/// string and character literals.
pub fn comment(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'\'' if !in_string => {
                // '"' or '\'' : skip the character literal
                if bytes.get(i + 2) == Some(&b'\'') {
                    i += 2;
                } else if bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'') {
                    i += 3;
                }
            }
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                return Some(&line[i + 2..]);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The problems of one Rust block as shown (messages only).
pub fn problems_in(shown: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if shown.len() > MAX_LINES {
        out.push(format!(
            "listing has {} lines (at most {MAX_LINES}): show it in parts with narrower anchors",
            shown.len()
        ));
    }
    let numbers = |lines: &[(usize, &String)]| {
        let n: Vec<String> = lines.iter().map(|(k, _)| (k + 1).to_string()).collect();
        n.join(", ")
    };
    let wide: Vec<(usize, &String)> = shown
        .iter()
        .enumerate()
        .filter(|(_, l)| l.replace('\t', "    ").width() > MAX_COLUMNS)
        .collect();
    if let Some((_, first)) = wide.first() {
        out.push(format!(
            "line(s) {} of the listing are wider than {MAX_COLUMNS} columns ({} in «{}…»)",
            numbers(&wide),
            first.replace('\t', "    ").width(),
            first.trim().chars().take(40).collect::<String>()
        ));
    }
    let tex: Vec<(usize, &String)> = shown
        .iter()
        .enumerate()
        .filter(|(_, l)| comment(l).is_some_and(|c| TEX.is_match(c)))
        .collect();
    if let Some((_, first)) = tex.first() {
        let found = comment(first)
            .and_then(|c| TEX.find(c))
            .map_or("", |m| m.as_str());
        out.push(format!(
            "line(s) {} of the listing have TeX in a comment, shown raw (`{found}` in «{}»): write the math in Unicode (σ′(z), ∂L/∂w) or start the anchor below the doc comment",
            numbers(&tex),
            first.trim()
        ));
    }
    out
}

/// Checks every Rust block of every `.md` file under `src`.
pub fn check(src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in files_with_extension(src, "md") {
        let Ok(text) = std::fs::read_to_string(&chapter) else {
            continue;
        };
        let dir = chapter.parent().unwrap_or(src);
        for fence in fences_in(&text) {
            if fence.info.split([',', ' ']).next() != Some("rust") {
                continue;
            }
            let includes: Vec<String> = fence
                .body
                .iter()
                .filter_map(|l| INCLUDE.captures(l.trim()).map(|c| c[3].to_owned()))
                .collect();
            let what = if includes.is_empty() {
                String::new()
            } else {
                format!(" (`{}`)", includes.join("`, `"))
            };
            for message in problems_in(&shown_lines(&fence.body, dir)) {
                problems.push(Problem::new(
                    &chapter,
                    Some(fence.line),
                    format!("{message}{what}"),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "fn a() {}\n// ANCHOR: two\nfn b() {}\n// ANCHOR: inner\nfn c() {}\n// ANCHOR_END: inner\n// ANCHOR_END: two\nfn d() {}\n";

    #[test]
    fn includes_are_taken_as_mdbook_takes_them() {
        assert_eq!(included_lines(CODE, "two"), ["fn b() {}", "fn c() {}"]);
        assert_eq!(included_lines(CODE, "inner"), ["fn c() {}"]);
        assert_eq!(included_lines(CODE, "gone"), Vec::<String>::new());
        assert_eq!(included_lines(CODE, "").len(), 8);
        let ended_first = "// ANCHOR_END: x\nno\n// ANCHOR: x\nyes\n// ANCHOR_END: x\n";
        assert_eq!(included_lines(ended_first, "x"), ["yes"]);
        assert_eq!(included_lines(CODE, "1"), ["fn a() {}"]);
        assert_eq!(included_lines(CODE, "2:3"), ["// ANCHOR: two", "fn b() {}"]);
        assert_eq!(included_lines(CODE, "8:"), ["fn d() {}"]);
        assert_eq!(included_lines(CODE, ":1"), ["fn a() {}"]);
    }

    #[test]
    fn shown_lines_expand_includes_and_hide_hash_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.rs"), CODE).unwrap();
        let body: Vec<String> = [
            "",
            "{{#include a.rs:two}}",
            "",
            "# let hidden = 1;",
            "let x = 1;",
            "",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            shown_lines(&body, dir.path()),
            ["fn b() {}", "fn c() {}", "", "let x = 1;"]
        );
    }

    #[test]
    fn comments_are_found_outside_strings() {
        assert_eq!(comment("let a = 1; // ∂L/∂w"), Some(" ∂L/∂w"));
        assert_eq!(comment("let s = \"http://x\"; // c"), Some(" c"));
        assert_eq!(comment("let q = '\"'; // c"), Some(" c"));
        assert_eq!(
            comment("/// $\\hat y$ in a doc"),
            Some("/ $\\hat y$ in a doc")
        );
        assert_eq!(comment("let s = \"a // b\";"), None);
        assert_eq!(comment("let s = \"a \\\" // b\";"), None);
    }

    #[test]
    fn long_wide_and_tex_listings_fail_and_good_ones_pass() {
        let good: Vec<String> = (0..MAX_LINES)
            .map(|i| format!("let a{i} = \"$ in a string\"; // ∂L/∂w = {i}·x, σ′(z)"))
            .collect();
        assert_eq!(problems_in(&good), Vec::<String>::new());
        let mut long = good.clone();
        long.push("let one_more = 1;".into());
        let p = problems_in(&long);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("has 31 lines"));
        let wide = vec![
            "let a = 1;".to_owned(),
            format!("let s = {};", "1 + ".repeat(30)),
        ];
        let p = problems_in(&wide);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("line(s) 2 of the listing are wider than 100 columns (129 in"));
        // Cyrillic and Greek count one column each, not their UTF-8 bytes
        let cyrillic = vec![format!("// {}", "ы".repeat(97))];
        assert_eq!(problems_in(&cyrillic), Vec::<String>::new());
        // one problem per listing, naming every line
        let two = [
            "let a = 1; // $a$".to_owned(),
            "ok".to_owned(),
            "// \\frac12".to_owned(),
        ];
        let p = problems_in(&two);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("line(s) 1, 3 of the listing have TeX")
                && p[0].contains("(`$` in «let a = 1; // $a$»)")
        );
        for tex in [
            "// \\frac{1}{2}",
            "let g = 1.0; // $\\partial L$",
            "// y_{hat}",
            "// \\hat y",
            "/// $\\sigma'(x)$ in a doc the book shows",
            "//! $x$",
        ] {
            let p = problems_in(&[tex.to_owned()]);
            assert!(
                p.len() == 1 && p[0].contains("have TeX in a comment"),
                "{tex}: {p:?}"
            );
        }
    }

    #[test]
    fn check_names_the_include() {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        let long: String = (0..40).map(|i| format!("let a{i} = {i};\n")).collect();
        std::fs::write(
            dir.path().join("long.rs"),
            format!("// ANCHOR: all\n{long}// ANCHOR_END: all\n"),
        )
        .unwrap();
        std::fs::write(src.join("ch.md"), "```rust\n{{#include ../long.rs:all}}\n```\n\n```text\n{{#include ../long.rs:all}}\n```\n").unwrap();
        let p = check(&src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(1));
        assert!(p[0].message.contains("has 40 lines") && p[0].message.contains("`../long.rs:all`"));
    }
}
