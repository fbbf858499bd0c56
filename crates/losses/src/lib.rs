//! # losses — how wrong is the network? (Lecture 11, «Функция потерь»)
//!
//! Every loss takes a batch of predictions and a batch of targets, both
//! `n × k` (one sample per row), and returns one number; its gradient is
//! taken with respect to the prediction and has the prediction's shape.
//!
//! | lecture | type | prediction | reduction |
//! |---|---|---|---|
//! | MSE | [`Mse`] | any real | mean over all $n k$ entries |
//! | MAE | [`Mae`] | any real | mean over all $n k$ entries |
//! | Huber $\mathcal{L}_\delta$ | [`Huber`] | any real | mean over all $n k$ entries |
//! | BCE, multi-label BCE | [`Bce`] | probabilities | sum over $k$, mean over $n$ |
//! | CE | [`CrossEntropy`] | probabilities | sum over $k$, mean over $n$ |
//! | focal (binary) | [`FocalBinary`] | probabilities | sum over $k$, mean over $n$ |
//! | focal (multiclass) | [`FocalMulticlass`] | probabilities | sum over $k$, mean over $n$ |
//! | BCE of $\sigma(z)$ | [`BceWithLogits`] | logits | sum over $k$, mean over $n$ |
//! | CE of $\mathrm{SoftMax}(z)$ | [`CrossEntropyWithLogits`] | logits | sum over $k$, mean over $n$ |
//!
//! Training uses the two with-logits forms: they take the last layer's raw
//! output, fold the sigmoid or SoftMax into the loss, and stay finite and
//! exact for any logits. The probability forms clamp $\log$ at −100 as
//! PyTorch does ([`ln_clamped`]), so $p = 0$ or $1$ gives a finite loss and
//! gradient.
//!
//! ```
//! use losses::{CrossEntropyWithLogits, Loss};
//! use ndarray::array;
//! let z = array![[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]]; // logits, two samples
//! let y = array![[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];  // one-hot targets
//! let (value, grad) = CrossEntropyWithLogits.value_and_gradient(z.view(), y.view())?;
//! assert!(value > 0.0);
//! // (SoftMax(z) − y) / n: each row of the gradient sums to 0
//! assert!(grad.rows().into_iter().all(|r| r.sum().abs() < 1e-15));
//! # Ok::<(), losses::LossError>(())
//! ```
//!
//! Bad input — different shapes, an empty batch, NaN or ±∞, a probability
//! or a classification target outside $[0, 1]$ — is a [`LossError`] that
//! names the array, position and value; hyperparameters ($\delta$,
//! $\alpha$, $\gamma$) are checked when a loss is built. [`LossKind`] picks a
//! loss by name for configs and the CLI.
#![forbid(unsafe_code)]

mod bce;
mod bce_with_logits;
mod cross_entropy;
mod cross_entropy_with_logits;
mod error;
mod focal_binary;
mod focal_multiclass;
mod huber;
mod kind;
mod log;
mod mae;
mod mse;
mod traits;
mod validate;

pub use bce::Bce;
pub use bce_with_logits::BceWithLogits;
pub use cross_entropy::CrossEntropy;
pub use cross_entropy_with_logits::CrossEntropyWithLogits;
pub use error::LossError;
pub use focal_binary::FocalBinary;
pub use focal_multiclass::FocalMulticlass;
pub use huber::Huber;
pub use kind::LossKind;
pub use log::{LOG_FLOOR, ln_clamped, ln_clamped_derivative};
pub use mae::Mae;
pub use mse::Mse;
pub use traits::Loss;
