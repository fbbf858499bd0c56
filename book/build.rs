//! Makes every chapter of the book a doctest source.
//!
//! Each `src/**/*.md` (except `SUMMARY.md`) is copied to `OUT_DIR/chapters/`
//! and becomes the documentation of one module of this crate, so
//! `cargo test -p book` runs every ```` ```rust ```` block of every chapter.
//! One change on the way: a Rust block that is an mdBook include of compiled
//! crate source (`{{#include ../../crates/…:anchor}}`) is a fragment, not a
//! program; its crate's own build compiles it, so here it becomes `text`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The chapters are mdBook markdown laid out for readers (the lecture's list
/// items are indented four spaces), not rustdoc's house style.
const ALLOW: &str = "#[allow(clippy::doc_overindented_list_items, clippy::doc_lazy_continuation)]";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let src = manifest.join("src");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let chapters_out = out.join("chapters");
    std::fs::create_dir_all(&chapters_out).expect("create OUT_DIR/chapters");
    println!("cargo::rerun-if-changed=src");

    let mut modules = String::new();
    for chapter in markdown_files(&src) {
        let relative = chapter.strip_prefix(&src).expect("under src");
        if relative == Path::new("SUMMARY.md") {
            continue;
        }
        let text = std::fs::read_to_string(&chapter).expect("read a chapter");
        let name = module_name(relative);
        let copy = chapters_out.join(format!("{name}.md"));
        std::fs::write(&copy, includes_as_text(&text)).expect("write a chapter copy");
        writeln!(
            modules,
            "#[doc = include_str!({copy:?})]\n{ALLOW}\npub mod {name} {{}}\n",
            copy = copy.display().to_string()
        )
        .expect("write to a String");
    }
    std::fs::write(out.join("chapters.rs"), modules).expect("write chapters.rs");
}

/// `src/**/*.md`, sorted, so the generated file is stable.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .expect("read a directory of src")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `appendix/glossary.md` → `appendix_glossary`, `ch01-intro.md` → `ch01_intro`.
fn module_name(relative: &Path) -> String {
    let stem = relative.with_extension("");
    let mut name: String = stem
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "chapter_");
    }
    name
}

/// The chapter with every Rust block that holds an `{{#include …}}` turned
/// into a `text` block. (`cargo xtask book --check` makes sure such a block
/// holds nothing but includes, so no hand-written Rust escapes the tests.)
fn includes_as_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let fence_len = trimmed.chars().take_while(|&c| c == '`').count();
        if fence_len >= 3 {
            let info = trimmed[fence_len..].trim();
            let fence = &trimmed[..fence_len];
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].trim() == fence)
                .unwrap_or(lines.len());
            let body = &lines[i + 1..end];
            let is_rust = info.split([',', ' ']).next() == Some("rust");
            let has_include = body
                .iter()
                .any(|l| l.contains("{{#include") || l.contains("{{#rustdoc_include"));
            if is_rust && has_include {
                out.push(format!("{indent}{fence}text"));
            } else {
                out.push(line.to_owned());
            }
            out.extend(body.iter().map(|l| (*l).to_owned()));
            if end < lines.len() {
                out.push(lines[end].to_owned());
            }
            i = end + 1;
        } else {
            out.push(line.to_owned());
            i += 1;
        }
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}
