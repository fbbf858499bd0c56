//! # mlp — the multilayer perceptron, assembled (Lecture 11)
//!
//! Everything the lecture describes put together: data, a network of
//! `Linear` layers and activations, its forward and backward pass, and
//! the training loop. This file is only an index; each module explains its
//! part.
//!
//! * [`data`] — built-in and user data sets, train/validation/test split,
//!   standardisation, mini-batches.
#![forbid(unsafe_code)]

pub mod data;

pub use data::{DataError, Dataset};
