//! Backpropagation: the lecture's derivation by hand, a scalar autograd and a tensor tape.
#![forbid(unsafe_code)]

pub mod lecture;
pub mod value;

pub use value::Value;
