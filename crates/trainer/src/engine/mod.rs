//! # The fast path: the lecture's formulas in preallocated buffers
//!
//! [`mlp`] computes a batch the way the lecture writes it: `let z =
//! a.dot(&w.t()) + &b;`, a new matrix for every $z$, $a$, $\delta$ and
//! gradient. The [`Workspace`] computes the same numbers in buffers made
//! once per run, with the bias and activation fused into one pass, the
//! softmax + cross-entropy fused into one pass per row, and every matrix
//! product written straight into its buffer (through one function,
//! `products::general_mat_mul`, where the optional `blas` and `faer`
//! features plug in). [`Trainer`](crate::Trainer) and the LR range test
//! use it; after the first batch an epoch allocates nothing of ours
//! (`tests/no_allocation.rs`).
//!
//! Tested equal to the plain code to $10^{-12}$: the output gradient
//! (`objective.rs`), a whole training run (`tests/engine.rs`).

mod dispatch;
mod kernels;
mod objective;
pub(crate) mod products;
mod step;
mod workspace;

pub(crate) use step::{StepError, backward_update, forward_loss};
pub use workspace::Workspace;
