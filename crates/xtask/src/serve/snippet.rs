//! A snippet from the page becomes a program the way rustdoc makes a doctest
//! of it (so it compiles here exactly when `cargo test -p book` accepts it):
//! hidden lines (`# …`) count, `#![allow(unused)]` comes first, the
//! snippet's own crate attributes follow, and unless it has its own
//! `fn main` the rest goes into one.
//!
//! The compiler then speaks of lines of `src/main.rs`; [`Program::relabel`]
//! turns them back into lines of the snippet the reader sees.

use regex::Regex;
use std::sync::LazyLock;

/// What rustdoc puts first in every doctest.
const PRELUDE: &str = "#![allow(unused)]";

/// The file name the reader sees in compiler messages.
pub const SHOWN_NAME: &str = "snippet.rs";

/// A snippet wrapped into `src/main.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The text of `src/main.rs`.
    pub source: String,
    /// For each line of `source` (index 0 = line 1), the snippet line it came
    /// from (1-based), or `None` for a line the wrapper added.
    origin: Vec<Option<usize>>,
}

/// rustdoc's hidden-line rule: `# code` and a lone `#` are code the page
/// hides, `##` escapes a literal `#`.
fn unhide(line: &str) -> &str {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed == "#" {
        ""
    } else if trimmed.starts_with("# ") {
        &line[indent + 2..]
    } else if trimmed.starts_with("##") {
        &line[indent + 1..]
    } else {
        line
    }
}

/// Whether the snippet defines its own `fn main`.
fn has_main(lines: &[&str]) -> bool {
    static MAIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bfn\s+main\s*\(").expect("valid regex"));
    lines.iter().any(|l| MAIN.is_match(l))
}

/// mdBook's page wraps a runnable block without `fn main` in hidden lines
/// (`#![allow(unused)]`, the block's own crate attributes, `fn main() {`,
/// the code, `}`) and sends that. The reader saw the code without them, and
/// rustdoc would wrap it its own way (a block ending in `Ok::<(), E>(())`
/// needs a `main` that returns a `Result`), so the wrapper comes off again.
fn strip_mdbook_main<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let Some((&PRELUDE, rest)) = lines.split_first() else {
        return lines.to_vec();
    };
    let attrs = rest
        .iter()
        .take_while(|l| l.trim_start().starts_with("#!["))
        .count();
    let (head, body) = rest.split_at(attrs);
    let Some((&"fn main() {", body)) = body.split_first() else {
        return lines.to_vec();
    };
    let Some((&"}", code)) = body.split_last() else {
        return lines.to_vec();
    };
    head.iter().chain(code).copied().collect()
}

/// Wraps `snippet` as rustdoc does.
pub fn wrap(snippet: &str) -> Program {
    let unhidden: Vec<&str> = snippet.lines().map(unhide).collect();
    let lines = strip_mdbook_main(&unhidden);
    let mut source = Vec::new();
    let mut origin = Vec::new();
    let mut push = |text: &str, from: Option<usize>| {
        source.push(text.to_owned());
        origin.push(from);
    };
    push(PRELUDE, None);
    // Crate attributes at the top (blank lines and comments between them
    // included) cannot go inside `fn main`.
    let head = lines
        .iter()
        .take_while(|l| {
            let t = l.trim_start();
            t.is_empty() || t.starts_with("#![") || t.starts_with("//")
        })
        .count();
    for (i, line) in lines[..head].iter().enumerate() {
        push(line, Some(i + 1));
    }
    let wrapped = !has_main(&lines);
    // rustdoc: a snippet that ends in `Ok(())` (spelled with its error
    // type, `Ok::<(), E>(())`) may use `?`; its main returns the Result.
    let returns_result = wrapped && lines.join("\n").trim_end().ends_with("(())");
    if returns_result {
        push(
            "fn main() { fn _inner() -> Result<(), impl core::fmt::Debug> {",
            None,
        );
    } else if wrapped {
        push("fn main() {", None);
    }
    for (i, line) in lines.iter().enumerate().skip(head) {
        push(line, Some(i + 1));
    }
    if returns_result {
        push("} _inner().unwrap() }", None);
    } else if wrapped {
        push("}", None);
    }
    let mut source = source.join("\n");
    source.push('\n');
    Program { source, origin }
}

impl Program {
    /// The snippet line of line `file_line` (1-based) of `src/main.rs`.
    pub fn snippet_line(&self, file_line: usize) -> Option<usize> {
        self.origin
            .get(file_line.checked_sub(1)?)
            .copied()
            .flatten()
    }

    /// A rustc message about `src/main.rs` rewritten to speak of the
    /// snippet: `src/main.rs:12:5` becomes `snippet.rs:10:5`, and the line
    /// numbers in the left margin of the quoted code follow (same width).
    pub fn relabel(&self, rendered: &str) -> String {
        static MARGIN: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?m)^( *)(\d+)( +\|)").expect("valid regex"));
        let located = self.relabel_locations(rendered);
        MARGIN
            .replace_all(&located, |c: &regex::Captures| {
                let width = c[1].len() + c[2].len();
                let line: usize = c[2].parse().unwrap_or(0);
                match self.snippet_line(line) {
                    Some(n) => format!("{n:>width$}{}", &c[3]),
                    None => format!("{:>width$}{}", "", &c[3]),
                }
            })
            .into_owned()
    }

    /// Only the `src/main.rs:L:C` locations rewritten (a panic message on
    /// stderr: the program's own output is left alone).
    pub fn relabel_locations(&self, text: &str) -> String {
        static LOCATION: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"src/main\.rs:(\d+):(\d+)").expect("valid regex"));
        LOCATION
            .replace_all(text, |c: &regex::Captures| {
                let line: usize = c[1].parse().unwrap_or(0);
                match self.snippet_line(line) {
                    Some(n) => format!("{SHOWN_NAME}:{n}:{}", &c[2]),
                    None => format!("{SHOWN_NAME} (wrapper line {line}):{}", &c[2]),
                }
            })
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_snippet_goes_into_main_after_the_prelude() {
        let p = wrap("use activations::Sigmoid;\nlet f = Sigmoid;\n");
        assert_eq!(
            p.source,
            "#![allow(unused)]\nfn main() {\nuse activations::Sigmoid;\nlet f = Sigmoid;\n}\n"
        );
        assert_eq!(p.snippet_line(3), Some(1));
        assert_eq!(p.snippet_line(4), Some(2));
        assert_eq!(p.snippet_line(2), None, "the wrapper's own line");
        assert_eq!(p.snippet_line(99), None);
    }

    #[test]
    fn own_main_and_crate_attributes_stay_where_they_belong() {
        let p = wrap("#![allow(clippy::all)]\n\nfn main() {\n    println!(\"hi\");\n}\n");
        assert_eq!(
            p.source,
            "#![allow(unused)]\n#![allow(clippy::all)]\n\nfn main() {\n    println!(\"hi\");\n}\n"
        );
        assert_eq!(p.snippet_line(5), Some(4));
    }

    #[test]
    fn mdbooks_own_wrapper_comes_off_and_result_snippets_may_use_the_question_mark() {
        // what mdBook's page sends for a block ending in Ok::<(), E>(())
        let sent = "#![allow(unused)]\nfn main() {\nlet x: i32 = \"1\".parse()?;\nOk::<(), std::num::ParseIntError>(())\n}";
        let p = wrap(sent);
        assert_eq!(
            p.source,
            "#![allow(unused)]\nfn main() { fn _inner() -> Result<(), impl core::fmt::Debug> {\nlet x: i32 = \"1\".parse()?;\nOk::<(), std::num::ParseIntError>(())\n} _inner().unwrap() }\n"
        );
        assert_eq!(
            p.snippet_line(3),
            Some(1),
            "lines of the code the reader saw"
        );
        // a main the reader wrote stays
        let own = wrap("fn main() {\n    println!(\"hi\");\n}\n");
        assert_eq!(
            own.source,
            "#![allow(unused)]\nfn main() {\n    println!(\"hi\");\n}\n"
        );
    }

    #[test]
    fn hidden_lines_are_code() {
        let p = wrap("# let x = 1;\n#\n## not hidden\nassert_eq!(x, 1);\n");
        assert!(
            p.source
                .contains("\nlet x = 1;\n\n# not hidden\nassert_eq!(x, 1);\n")
        );
    }

    #[test]
    fn compiler_lines_become_snippet_lines() {
        let p = wrap("let a = 1;\nlet b = c;\n");
        let rendered = "error[E0425]: cannot find value `c` in this scope\n --> src/main.rs:4:9\n  |\n4 | let b = c;\n  |         ^ not found in this scope\n";
        assert_eq!(
            p.relabel(rendered),
            "error[E0425]: cannot find value `c` in this scope\n --> snippet.rs:2:9\n  |\n2 | let b = c;\n  |         ^ not found in this scope\n"
        );
    }

    #[test]
    fn margins_keep_their_width() {
        let text: String = (1..=12).map(|i| format!("let v{i} = {i};\n")).collect();
        let p = wrap(&text);
        // snippet line 9 is file line 11; line 10 is 12
        let rendered = "   --> src/main.rs:11:5\n    |\n11  | let v9 = 9;\n12  | let v10 = 10;\n";
        assert_eq!(
            p.relabel(rendered),
            "   --> snippet.rs:9:5\n    |\n 9  | let v9 = 9;\n10  | let v10 = 10;\n"
        );
    }
}
