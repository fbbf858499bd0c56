//! The served variant of the book: the same sources built with mdBook's
//! playground on, into `<target>/serve/book/` (the static `book/build/` is
//! not touched).
//!
//! Three changes, each to mdBook's own machinery rather than beside it:
//! - a Rust block that only includes crate source (`{{#include …}}`) is a
//!   fragment, not a program (`book/build.rs` turns it into text for the
//!   doctests for the same reason), so it gets mdBook's `noplayground`;
//! - mdBook's `book.js` sends code to play.rust-lang.org with a 6 s timeout;
//!   its one `fetch_with_timeout` is pointed at `book/theme/serve.js`,
//!   which sends it here, with the token, and waits as long as the run does;
//! - every HTML page gets this start's token in a `<meta>` tag as it is
//!   served ([`inject_token`]).

use crate::Result;
use std::path::{Path, PathBuf};

/// The client side: loaded inside mdBook's `book.js`, before its code.
const SERVE_JS: &str = include_str!("../../../../book/theme/serve.js");

/// The `<meta>` name the token is written under.
pub const TOKEN_META: &str = "course-run-token";

/// Builds the served book from `book_root` into `out`; returns `out`.
pub fn build(book_root: &Path, out: &Path) -> Result<PathBuf> {
    let out = out.to_path_buf();
    let build_dir = out.clone();
    let built = crate::book::build::build_with(book_root, move |book| {
        let set = |c: &mut mdbook_driver::config::Config, key: &str, value: bool| {
            c.set(key, value)
                .map_err(|e| format!("cannot set {key}: {e:#}"))
        };
        set(&mut book.config, "output.html.playground.runnable", true)?;
        set(&mut book.config, "output.html.playground.editable", true)?;
        set(&mut book.config, "output.html.playground.copy-js", true)?;
        set(
            &mut book.config,
            "output.html.playground.line-numbers",
            false,
        )?;
        book.config
            .set("build.build-dir", build_dir.to_string_lossy().as_ref())
            .map_err(|e| format!("cannot set the build directory: {e:#}"))?;
        book.book.for_each_chapter_mut(|chapter| {
            chapter.content = fragments_not_runnable(&chapter.content);
        });
        Ok(())
    })?;
    patch_book_js(&built.dir)?;
    Ok(built.dir)
}

/// Marks every Rust block that holds only `{{#include}}` lines
/// `noplayground`.
pub fn fragments_not_runnable(markdown: &str) -> String {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let fence_len = trimmed.chars().take_while(|&c| c == '`').count();
        if fence_len < 3 {
            out.push(line.to_owned());
            i += 1;
            continue;
        }
        let fence = &trimmed[..fence_len];
        let info = trimmed[fence_len..].trim();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim() == fence)
            .unwrap_or(lines.len());
        let body = &lines[i + 1..end];
        let is_include = |l: &&str| {
            let l = l.trim();
            l.starts_with("{{#include") || l.starts_with("{{#rustdoc_include")
        };
        let is_rust = info.split([',', ' ']).next() == Some("rust");
        let fragment = body.iter().any(is_include)
            && body.iter().all(|l| l.trim().is_empty() || is_include(l));
        if is_rust && fragment {
            out.push(format!("{line},noplayground"));
        } else {
            out.push(line.to_owned());
        }
        out.extend(body.iter().map(|l| (*l).to_owned()));
        if end < lines.len() {
            out.push(lines[end].to_owned());
        }
        i = end + 1;
    }
    let mut joined = out.join("\n");
    if markdown.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// mdBook's script, as it must read for the patch to mean what it says.
const STRICT: &str = "'use strict';\n";
const FETCH: &str = "function fetch_with_timeout(url, options, timeout = 6000) {";

/// Loads `serve.js` inside `book.js` and sends mdBook's playground requests
/// through it.
pub fn patch(book_js: &str) -> Result<String> {
    for pattern in [STRICT, FETCH] {
        if book_js.matches(pattern).count() != 1 {
            return Err(format!(
                "mdBook's book.js no longer holds `{}` once: update crates/xtask/src/serve/site.rs for this mdBook",
                pattern.trim()
            )
            .into());
        }
    }
    let with_client = book_js.replacen(STRICT, &format!("{STRICT}{SERVE_JS}\n"), 1);
    Ok(with_client.replacen(
        FETCH,
        &format!(
            "{FETCH}\n        // cargo xtask serve: to the local server (book/theme/serve.js)\n        return window.courseServe.fetch(url, options);"
        ),
        1,
    ))
}

/// Patches the one `book-<hash>.js` of the build in `dir`.
fn patch_book_js(dir: &Path) -> Result {
    let scripts: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n == "book.js" || (n.starts_with("book-") && n.ends_with(".js")))
        })
        .collect();
    let [script] = scripts.as_slice() else {
        return Err(format!(
            "expected one book-*.js in {}, found {scripts:?}",
            dir.display()
        )
        .into());
    };
    let text = std::fs::read_to_string(script)?;
    std::fs::write(script, patch(&text)?)?;
    Ok(())
}

/// The page with this start's token in its `<head>`.
pub fn inject_token(html: &str, token: &str) -> String {
    html.replacen(
        "<head>",
        &format!("<head>\n        <meta name=\"{TOKEN_META}\" content=\"{token}\">"),
        1,
    )
}

/// The `Content-Type` of a served file.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_blocks_become_noplayground_and_snippets_stay() {
        let md = "```rust\n{{#include ../a.rs:x}}\n```\n\n```rust\nlet a = 1;\n```\n```rust,editable\n{{#include ../a.rs:y}}\n\n{{#include ../a.rs:z}}\n```\n```sh\n{{#include x}}\n```\n";
        assert_eq!(
            fragments_not_runnable(md),
            "```rust,noplayground\n{{#include ../a.rs:x}}\n```\n\n```rust\nlet a = 1;\n```\n```rust,editable,noplayground\n{{#include ../a.rs:y}}\n\n{{#include ../a.rs:z}}\n```\n```sh\n{{#include x}}\n```\n"
        );
    }

    #[test]
    fn the_patch_loads_the_client_and_reroutes_the_fetch() {
        // the two lines of mdBook 0.5's book.js the patch relies on (the
        // integration tests check the real, served script)
        let original = "'use strict';\n\n(function codeSnippets() {\n    function fetch_with_timeout(url, options, timeout = 6000) {\n        return 1;\n    }\n})();\n";
        let patched = patch(original).unwrap();
        assert!(
            patched.starts_with("'use strict';\n"),
            "strict mode stays on"
        );
        let client = patched.find("window.courseServe = ").unwrap();
        let reroute = patched
            .find("return window.courseServe.fetch(url, options);")
            .unwrap();
        assert!(client < reroute);
        assert!(
            patch("nothing here")
                .unwrap_err()
                .to_string()
                .contains("update")
        );
        let twice = format!("{original}{FETCH}");
        assert!(patch(&twice).is_err());
    }

    #[test]
    fn the_token_goes_into_the_head() {
        let html = inject_token("<!DOCTYPE html>\n<html><head>\n<title>x</title>", "t0k");
        assert!(
            html.contains(
                "<head>\n        <meta name=\"course-run-token\" content=\"t0k\">\n<title>"
            )
        );
    }
}
