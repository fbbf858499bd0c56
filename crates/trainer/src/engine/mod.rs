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
//!
//! **Why it stays, measured** (`cargo run -p benches --release --example
//! plain_vs_engine [-- moons]`, phase by phase, same batches, same Adam;
//! 2026-12-02 on 2 cores at a load of 0.6–1.9, so only the ratios mean
//! something; appendix E has the table): for 784-256-10 the plain code is
//! almost as fast (a whole step plain / engine = 1.09–1.15: the two large
//! matrix products dominate, and `.dot()` runs the same kernel); for
//! 2-16-16-1 the plain code's allocations and the `select` gathering
//! dominate the tiny products, and a step takes 1.52–1.68 times as long.
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
//! `products::general_mat_mul`:
//!
//! * the `faer` feature sends products of $2^{16}$ multiply-adds or more to
//!   the pure-Rust `faer` crate, whose AVX-512 kernels (picked at run time)
//!   multiply about twice as fast as `matrixmultiply` here, with nothing to
//!   install; its first build takes a few minutes:
//!   `cargo run --release -p trainer --features faer --example epoch_time`;
//! * the `blas` feature sends them to the system OpenBLAS
//!   (`apt-get install libopenblas-dev`;
//!   `cargo run --release -p trainer --features blas --example epoch_time`).
//!   Debian 12's OpenBLAS 0.3.21 does not recognise processors newer than
//!   it and then falls back to its slowest kernels (`Prescott`, slower than
//!   `matrixmultiply`): on such a machine set `OPENBLAS_CORETYPE=SkylakeX`
//!   (AVX-512) or `OPENBLAS_CORETYPE=Haswell` (AVX2); `OPENBLAS_VERBOSE=2`
//!   prints the kernel chosen.
//!
//! `tests/no_allocation.rs` counts exactly one `matrixmultiply` packing
//! buffer per product; with `blas` it asks for at most one, since OpenBLAS
//! allocates none.

mod dispatch;
mod kernels;
mod objective;
pub(crate) mod products;
mod step;
mod workspace;

pub(crate) use step::{StepError, backward_update, forward_loss};
pub use workspace::Workspace;
