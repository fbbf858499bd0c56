//! Nothing is loaded from another host: the book must work opened from disk
//! with no network. A plain `<a href>` to a paper is a link the reader
//! follows, not a load, so it is allowed; every other URL attribute pointing
//! off the machine (`src`, `<link href>`, `srcset`, …), a stylesheet
//! `url(…)`/`@import` off the machine, and a Rust playground block (whose
//! script asks play.rust-lang.org for its crate list) is a problem.

use super::{Page, Problem, files_with_extension};
use crate::book::html::Token;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// Attributes that make the browser fetch (or navigate to) a URL.
const URL_ATTRS: [&str; 7] = [
    "src",
    "href",
    "srcset",
    "data",
    "poster",
    "action",
    "xlink:href",
];

/// Whether `url` points to another host.
pub fn is_remote(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("//")
        || ["http:", "https:", "ftp:", "ws:", "wss:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
}

/// Checks one page.
pub fn check(page: &Page) -> Vec<Problem> {
    let mut problems = Vec::new();
    for token in &page.tokens {
        let Token::Open {
            name, attrs, line, ..
        } = token
        else {
            continue;
        };
        for (key, value) in attrs {
            let remote = if key == "srcset" {
                value.split(',').any(is_remote)
            } else if key == "style" {
                css_remote_urls(value).next().is_some()
            } else {
                URL_ATTRS.contains(&key.as_str()) && is_remote(value)
            };
            let plain_link = name == "a" && key == "href";
            if remote && !plain_link {
                problems.push(Problem::new(
                    &page.path,
                    Some(*line),
                    format!("<{name} {key}=\"{value}\"> loads from another host"),
                ));
            }
        }
        if token
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "playground"))
        {
            problems.push(Problem::new(
                &page.path,
                Some(*line),
                "a Rust playground block (its script contacts play.rust-lang.org); set `runnable = false`",
            ));
        }
    }
    problems
}

/// `url(…)` and `@import "…"` targets on another host in a stylesheet.
fn css_remote_urls(css: &str) -> impl Iterator<Item = String> + '_ {
    static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)"#).expect("valid regex")
    });
    CSS_URL
        .captures_iter(css)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_owned()))
        .filter(|url| is_remote(url))
}

/// Checks every stylesheet in the build.
pub fn check_stylesheets(build_dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for css in files_with_extension(build_dir, "css") {
        let Ok(text) = std::fs::read_to_string(&css) else {
            continue;
        };
        for url in css_remote_urls(&text) {
            problems.push(Problem::new(
                &css,
                None,
                format!("stylesheet loads `{url}` from another host"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(html: &str) -> Vec<Problem> {
        check(&Page::parse("p.html", html))
    }

    #[test]
    fn cdn_stylesheet_script_and_image_fail() {
        let p = problems(concat!(
            "<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/katex@0.16.4/dist/katex.min.css\">\n",
            "<script src=\"//cdnjs.cloudflare.com/mathjax.js\"></script>\n",
            "<img src=\"http://example.org/a.png\">\n",
            "<div style=\"background: url('https://x.org/b.png')\"></div>",
        ));
        assert_eq!(p.len(), 4, "{p:?}");
        assert_eq!(p[1].line, Some(2));
        assert!(p[0].message.contains("<link href="));
    }

    #[test]
    fn links_to_papers_and_local_files_are_fine() {
        assert!(
            problems(
                "<a href=\"https://arxiv.org/abs/1412.6980\">Kingma</a><img src=\"figures/a.svg\"><link href=\"katex/katex.min.css\" rel=\"stylesheet\">"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_playground_block_fails() {
        let p = problems(
            "<pre class=\"playground\"><code class=\"language-rust\">fn main() {}</code></pre>",
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("playground"));
    }

    #[test]
    fn remote_urls_in_stylesheets_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("a.css"),
            "@import \"https://fonts.googleapis.com/css?family=Open+Sans\";\n@font-face{src:url(fonts/KaTeX_Main-Regular.woff2) format(\"woff2\")}",
        )
        .unwrap();
        let p = check_stylesheets(dir.path());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("fonts.googleapis.com"));
    }

    #[test]
    fn what_counts_as_remote() {
        for url in ["https://a.b", "HTTP://a.b", "//a.b/c", "wss://a"] {
            assert!(is_remote(url), "{url}");
        }
        for url in [
            "a.html",
            "../b.svg#x",
            "#top",
            "mailto:a@b.c",
            "/index.html",
        ] {
            assert!(!is_remote(url), "{url}");
        }
    }
}
