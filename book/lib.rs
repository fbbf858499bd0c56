//! The course book. Every Rust code block of its chapters runs as a doctest
//! of this crate (`cargo test -p book`).
#![forbid(unsafe_code)]
