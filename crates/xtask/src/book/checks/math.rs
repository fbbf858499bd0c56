//! No formula left unrendered: after KaTeX has run, a `$` in the text of a
//! page (outside code) is a formula it skipped or failed on, and an element
//! of class `katex-error` is one it rendered as an error. A page with
//! rendered formulas must link the vendored KaTeX stylesheet, or its
//! formulas show as jumbled text; and it must sit at the top of the book,
//! because Firefox opening the book from disk (`file://`) loads fonts only
//! from the page's own directory and below, and the fonts are in `katex/`.

use super::logged::shorten;
use super::{Page, Problem};
use crate::book::html::{Token, texts_in_context};
use std::path::Path;

/// Elements whose text is code, where a `$` is just a character.
const CODE: [&str; 7] = ["code", "pre", "kbd", "samp", "script", "style", "textarea"];

/// Checks one page of the book built into `build_dir`.
pub fn check(page: &Page, build_dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for text in texts_in_context(&page.tokens) {
        if text.inside.iter().any(|e| CODE.contains(&e.as_str())) {
            continue;
        }
        if let Some(at) = text.text.find('$') {
            let start = text.text[..at]
                .char_indices()
                .rev()
                .nth(20)
                .map_or(0, |(i, _)| i);
            let snippet = text.text[start..]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            problems.push(Problem::new(
                &page.path,
                Some(text.line),
                format!("unrendered math: `{}`", shorten(&snippet, 80)),
            ));
        }
    }
    for token in &page.tokens {
        if let Token::Open { line, .. } = token
            && token
                .attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == "katex-error"))
        {
            let what = token.attr("title").unwrap_or("KaTeX error");
            problems.push(Problem::new(
                &page.path,
                Some(*line),
                format!("formula rendered as an error: {}", shorten(what, 120)),
            ));
        }
    }
    let has_class = |t: &Token, class: &str| {
        t.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    };
    let has_math = page.tokens.iter().any(|t| has_class(t, "katex"));
    let links_katex_css = page.tokens.iter().any(|t| {
        matches!(t, Token::Open { name, .. } if name == "link")
            && t.attr("href").is_some_and(|h| h.ends_with("katex.min.css"))
    });
    if has_math && !links_katex_css {
        problems.push(Problem::new(
            &page.path,
            None,
            "page has formulas but does not link katex/katex.min.css (theme/head.hbs)",
        ));
    }
    if has_math && page.path.parent() != Some(build_dir) {
        problems.push(Problem::new(
            &page.path,
            None,
            "page with formulas in a subdirectory: opened from disk, Firefox will not load the KaTeX fonts from ../katex/; keep chapters in book/src/ itself",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(html: &str) -> Vec<Problem> {
        check(&Page::parse("build/p.html", html), Path::new("build"))
    }

    #[test]
    fn dollar_math_left_in_text_fails() {
        let p = problems("<main><p>Косинусный отжиг: $\\eta_\\min + 1$, где</p></main>");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("$\\eta_\\min"), "{}", p[0]);
        assert_eq!(p[0].line, Some(1));
    }

    #[test]
    fn display_math_left_in_text_fails_with_its_line() {
        let p = problems("<main>\n<p>a</p>\n<p>$$\\sigma(x)$$</p></main>");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, Some(3));
    }

    #[test]
    fn dollars_in_code_are_fine() {
        assert!(
            problems("<pre><code>$ cargo test\necho $HOME</code></pre><p>ok <code>$x</code></p>")
                .is_empty()
        );
    }

    #[test]
    fn rendered_katex_is_fine_and_katex_errors_fail() {
        let css = "<link rel=\"stylesheet\" href=\"../katex/katex.min.css\">";
        let ok =
            format!("{css}<p><span class=\"katex\"><span class=\"katex-html\">σ</span></span></p>");
        assert!(problems(&ok).is_empty());
        let p = problems("<p><span class=\"katex\">σ</span></p>");
        assert!(
            p[0].message.contains("does not link katex/katex.min.css"),
            "{p:?}"
        );
        let p = problems(
            "<p><span class=\"katex-error\" title=\"ParseError: KaTeX parse error\">\\min</span></p>",
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("ParseError"));
    }
}
