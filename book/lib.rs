//! The course book. Every chapter under `src/` is the documentation of one
//! module below, so `cargo test -p book` runs every Rust code block of the
//! book as a doctest (see `build.rs`). Build the book itself with
//! `cargo xtask book`.
#![forbid(unsafe_code)]
// The modules' docs are the chapters, written for mdBook, not API docs:
// their links point at other chapters and their math is KaTeX, which rustdoc
// reads as (broken) intra-doc links or HTML.
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::bare_urls
)]

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
