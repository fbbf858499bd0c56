//! Every local link and image resolves: the file exists in the built book,
//! and a `#fragment` names an element `id` of the page it points to.

use super::{Page, Problem};
use crate::book::checks::hosts::is_remote;
use crate::book::html::{self, Token};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The element ids of pages, read once each.
pub struct Targets {
    ids: HashMap<PathBuf, Option<HashSet<String>>>,
}

impl Targets {
    /// An empty cache for the book built into `_build_dir`.
    pub fn new(_build_dir: &Path) -> Self {
        Targets {
            ids: HashMap::new(),
        }
    }

    /// The ids in the page at `path` (`None` if it cannot be read).
    fn ids(&mut self, path: &Path) -> Option<&HashSet<String>> {
        self.ids
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                Some(ids_of(&html::tokenize(&text)))
            })
            .as_ref()
    }
}

/// The `id` (and `name`, for old-style anchors) values in a page.
fn ids_of(tokens: &[Token]) -> HashSet<String> {
    tokens
        .iter()
        .flat_map(|t| [t.attr("id"), t.attr("name")])
        .flatten()
        .map(str::to_owned)
        .collect()
}

/// Decodes `%XX` escapes (the sidebar writes non-ASCII file names so).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `base` joined with `rel`, with `.` and `..` resolved lexically.
fn join_normalized(base: &Path, rel: &str) -> PathBuf {
    let mut out = base.to_path_buf();
    for component in Path::new(rel).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    out
}

/// Checks the local links and images of one page of the book in `build_dir`.
pub fn check(page: &Page, build_dir: &Path, targets: &mut Targets) -> Vec<Problem> {
    let page_dir = page.path.parent().unwrap_or(build_dir).to_path_buf();
    // 404.html carries `<base href="/">`: its links are relative to the site root.
    let base_dir = page
        .tokens
        .iter()
        .find(|t| matches!(t, Token::Open { name, .. } if name == "base"))
        .and_then(|t| t.attr("href"))
        .map_or(page_dir.clone(), |base| {
            if base.starts_with('/') {
                join_normalized(build_dir, base)
            } else {
                join_normalized(&page_dir, base)
            }
        });
    let own_ids = ids_of(&page.tokens);
    let mut problems = Vec::new();
    for token in &page.tokens {
        let Token::Open { name, line, .. } = token else {
            continue;
        };
        if name == "base" {
            continue;
        }
        for key in ["href", "src"] {
            let Some(url) = token.attr(key) else {
                continue;
            };
            let url = url.trim();
            let lower = url.to_ascii_lowercase();
            if url.is_empty()
                || url == "#"
                || is_remote(url)
                || ["mailto:", "javascript:", "data:", "tel:"]
                    .iter()
                    .any(|s| lower.starts_with(s))
            {
                continue;
            }
            let (path_part, fragment) = url.split_once('#').unwrap_or((url, ""));
            let path_part = path_part.split('?').next().unwrap_or("");
            let what = if name == "img" { "image" } else { "link" };
            let problem = |message: String| Problem::new(&page.path, Some(*line), message);
            if path_part.is_empty() {
                if !fragment.is_empty() && !own_ids.contains(&percent_decode(fragment)) {
                    problems.push(problem(format!(
                        "{what} `{url}`: no element with id `{fragment}` on this page"
                    )));
                }
                continue;
            }
            let decoded = percent_decode(path_part);
            let mut target = if let Some(from_root) = decoded.strip_prefix('/') {
                join_normalized(build_dir, from_root)
            } else {
                join_normalized(&base_dir, &decoded)
            };
            if !target.starts_with(build_dir) {
                problems.push(problem(format!(
                    "{what} `{url}` points outside the built book"
                )));
                continue;
            }
            if target.is_dir() {
                target.push("index.html");
            }
            if !target.is_file() {
                problems.push(problem(format!("broken {what} `{url}`: no such file")));
                continue;
            }
            let is_page = target.extension().is_some_and(|e| e == "html");
            if is_page && !fragment.is_empty() {
                let fragment = percent_decode(fragment);
                match targets.ids(&target) {
                    Some(ids) if ids.contains(&fragment) => {}
                    _ => problems.push(problem(format!(
                        "{what} `{url}`: the page has no element with id `{fragment}`"
                    ))),
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Book {
        _dir: tempfile::TempDir,
        build: PathBuf,
    }

    fn book() -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        let build = dir.path().join("build");
        std::fs::create_dir_all(build.join("figures")).unwrap();
        std::fs::create_dir_all(build.join("appendix")).unwrap();
        std::fs::write(build.join("figures/act.svg"), "<svg/>").unwrap();
        std::fs::write(build.join("index.html"), "<h1 id=\"top\">x</h1>").unwrap();
        std::fs::write(
            build.join("appendix/bibliography.html"),
            "<p id=\"kingma2014\">Kingma</p>",
        )
        .unwrap();
        Book { _dir: dir, build }
    }

    fn problems(book: &Book, page: &str, html: &str) -> Vec<Problem> {
        let page = Page::parse(book.build.join(page), html);
        check(&page, &book.build, &mut Targets::new(&book.build))
    }

    #[test]
    fn good_links_pass() {
        let b = book();
        let html = concat!(
            "<a href=\"index.html#top\">i</a><img src=\"../figures/act.svg\">",
            "<a href=\"bibliography.html#kingma2014\">K</a><a href=\"#here\" id=\"here\">h</a>",
            "<a href=\"https://arxiv.org/abs/1412.6980\">paper</a><a href=\"../\">up</a>",
        );
        let p = problems(
            &b,
            "appendix/x.html",
            &html.replace("index.html", "../index.html"),
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn missing_image_and_page_fail() {
        let b = book();
        let p = problems(
            &b,
            "ch02.html",
            "<img src=\"images/machlearn_activation_functions.png\">\n<a href=\"ch03.html\">next</a>",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].message
                .starts_with("broken image `images/machlearn_activation_functions.png`")
        );
        assert_eq!(p[1].line, Some(2));
    }

    #[test]
    fn wrong_fragments_fail() {
        let b = book();
        let p = problems(
            &b,
            "ch01.html",
            "<a href=\"appendix/bibliography.html#cybenko1989\">C</a><a href=\"#nowhere\">n</a>",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].message.contains("no element with id `cybenko1989`"));
        assert!(p[1].message.contains("`nowhere` on this page"));
    }

    #[test]
    fn escaping_the_book_fails_and_base_href_is_honoured() {
        let b = book();
        let p = problems(&b, "ch01.html", "<a href=\"../../secret.txt\">s</a>");
        assert!(p[0].message.contains("outside the built book"), "{p:?}");
        // 404.html: `<base href="/">` makes `index.html` mean the root's
        let p = problems(
            &b,
            "appendix/404.html",
            "<base href=\"/\"><a href=\"index.html\">home</a>",
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("%D0%B0.html"), "а.html");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
