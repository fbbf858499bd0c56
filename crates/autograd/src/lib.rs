//! Backpropagation: the lecture's derivation by hand, a scalar autograd and a tensor tape.
#![forbid(unsafe_code)]

pub mod lecture;
pub mod tape;
pub mod value;

pub use tape::{Tape, TapeError, Var};
pub use value::Value;
