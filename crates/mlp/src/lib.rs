//! # mlp — the multilayer perceptron, assembled (Lecture 11)
//!
//! Everything the lecture describes put together: data, a network of
//! `Linear` layers and activations, its forward and backward pass, and
//! the training loop. This file is only an index; each module explains its
//! part.
//!
//! * [`data`] — built-in and user data sets, train/validation/test split,
//!   standardisation, mini-batches.
//! * [`model`] — [`Linear`], [`Mlp`], [`Init`], [`Head`]: the network and its
//!   random initialisation.
//! * [`backprop`] — the forward pass that keeps what backpropagation needs,
//!   the hand-written backward pass (the lecture's chain rule, layer by
//!   layer), and the same through the `autograd` tape.
//!
//! ## Where the time goes
//!
//! One training step of the 784-256-10 ReLU network (softmax + CE, Adam,
//! batches of 128, `f64`, 2 cores; `perf` and timers around each part):
//!
//! * **≈ 75–80 % matrix products.** Two of them carry almost all the
//!   arithmetic, 51 MFLOP each: $X W_1^\top$ in the forward pass and
//!   $\delta_1^\top X$ for $\partial \mathcal{L} / \partial W_1$
//!   ($\partial \mathcal{L} / \partial X$ is never computed). Both read the
//!   stored matrices through transposed views, without copies.
//! * **≈ 12 % Adam** over 203 530 parameters: one pass per tensor, one
//!   division and one square root per weight, two threads for large
//!   tensors, plus a vectorised pass that checks the gradient is finite.
//! * **≈ 5 % gathering the batch**: 128 shuffled rows copied out of the data set.
//! * **the rest, ≈ 3–5 %**: bias + ReLU (one fused pass), SoftMax + CE and its
//!   gradient (one fused pass), the small second layer, bookkeeping.
//!
//! For the 2-16-16-1 network on two moons the products are tiny, and about
//! half of a step (by instruction count) is `matrixmultiply`'s fixed cost per
//! product: packing the operands into a buffer it allocates and frees each
//! time. Adam is ≈ 13 %, the fused sigmoid + BCE ≈ 7 %, activations and
//! bias sums ≈ 15 %.
//!
//! **Faster matrix products**, both off by default (CI and students build
//! without them); every product goes through one function,
//! [`backprop`]'s `products::general_mat_mul`:
//!
//! * the `faer` feature sends products of $2^{16}$ multiply-adds or more to
//!   the pure-Rust `faer` crate, whose AVX-512 kernels (picked at run time)
//!   multiply about twice as fast as `matrixmultiply` here, with nothing to
//!   install; its first build takes a few minutes:
//!   `cargo run --release -p mlp --features faer --example epoch_time`;
//! * the `blas` feature sends them to the system OpenBLAS
//!   (`apt-get install libopenblas-dev`;
//!   `cargo run --release -p mlp --features blas --example epoch_time`).
//!   Debian 12's OpenBLAS 0.3.21 does not recognise processors newer than
//!   it and then falls back to its slowest kernels (`Prescott`, slower than
//!   `matrixmultiply`): on such a machine set `OPENBLAS_CORETYPE=SkylakeX`
//!   (AVX-512) or `OPENBLAS_CORETYPE=Haswell` (AVX2); `OPENBLAS_VERBOSE=2`
//!   prints the kernel chosen.
//!
//! With `blas`, `tests/no_allocation.rs` fails: it counts exactly one
//! `matrixmultiply` packing buffer per product, and OpenBLAS allocates none.
#![forbid(unsafe_code)]

// The `blas` feature: ndarray multiplies through `cblas_dgemm`, and this
// brings in the library that defines it (the system OpenBLAS).
#[cfg(feature = "blas")]
extern crate openblas_src as _;

pub mod backprop;
pub mod checkpoint;
pub mod data;
pub mod lr_finder;
pub mod model;
pub mod train;

pub use backprop::{Gradients, Objective, Workspace, loss_and_gradients_autograd};
pub use checkpoint::{Checkpoint, CheckpointError, SavedModel, load_model, save_model};
pub use data::{DataError, Dataset};
pub use model::{Architecture, Head, Init, Linear, Mlp, ModelError};
pub use train::{TrainConfig, TrainError, Trainer};
