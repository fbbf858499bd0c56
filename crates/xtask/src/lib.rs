//! Course tooling: the book, its figures and the labs.
#![forbid(unsafe_code)]
