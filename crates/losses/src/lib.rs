//! # losses — how wrong is the network? (Lecture 11, «Функция потерь»)
//!
//! Every loss takes a batch of predictions and a batch of targets, both
//! `n × k` (one sample per row), and returns one number; its gradient is
//! taken with respect to the prediction and has the prediction's shape.
#![forbid(unsafe_code)]

mod error;
mod traits;

pub use error::LossError;
pub use traits::Loss;
