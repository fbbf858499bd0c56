//! # activations — the nonlinearities of Lecture 11, each with its derivative
//!
//! > Функция активации добавляет необходимое нелинейное преобразование в сеть.
//!
//! Every activation is a small value implementing [`Activation`]: its
//! `forward` $f(x)$ and its `derivative` $f'(x)$ travel together, because
//! backpropagation needs both (the pairing is borrowed from TensorFlow
//! Playground's `nn.ts`).
//!
//! ```
//! use activations::{Activation, Sigmoid};
//! let s = Sigmoid;
//! assert_eq!(s.forward(0.0), 0.5);
//! assert_eq!(s.derivative(0.0), 0.25); // σ'(x) = σ(x)(1 − σ(x))
//! ```
#![forbid(unsafe_code)]

mod sigmoid;
mod softmax;
mod traits;

pub use sigmoid::{Sigmoid, sigmoid, sigmoid_as_written_in_lecture};
pub use softmax::{log_softmax, logsumexp, softmax, softmax_rows};
pub use traits::Activation;
