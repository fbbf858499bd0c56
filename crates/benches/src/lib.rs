//! # benches — how fast the course's code runs, next to PyTorch
//!
//! Issue 8 asks that students never wait for their networks and that the
//! code shows where the time goes. This crate holds what measures it:
//!
//! * the criterion benches in `benches/` (`cargo bench -p benches`): a
//!   training epoch of both networks ([`training`]), matrix products at the
//!   MLP's shapes ([`gemm`]) and the scalar autograd graph ([`scalar`]);
//! * the workloads every side runs, defined once in `peers/WORKLOADS.md` and
//!   built here ([`workloads`], [`gemm`], [`scalar`]) and trained with the
//!   `mlp` crate's trainer ([`training`]);
//! * `peers/torch_peer.py`, PyTorch running the same workloads, and the
//!   `compare` binary (`cargo run -p benches --release --bin compare`), which
//!   runs ours and theirs one after another and prints a table with the
//!   ratios ([`peer`], [`report`]);
//! * `examples/fma_peak.rs`, the machine's f64 limit.
//!
//! With the `blas` feature ndarray multiplies through the system OpenBLAS
//! (`apt-get install libopenblas-dev`) instead of `matrixmultiply`; see the
//! crate's README.md for the measurements of both.
#![forbid(unsafe_code)]

// The `blas` feature: ndarray calls cblas_dgemm, and this crate brings in the
// library that defines it (the system OpenBLAS, found by openblas-src).
#[cfg(feature = "blas")]
extern crate openblas_src as _;

pub mod gemm;
pub mod machine;
pub mod peer;
pub mod report;
pub mod scalar;
pub mod timing;
pub mod training;
pub mod workloads;

/// Which backend the trainer's matrix products use in this build.
pub const GEMM_BACKEND: &str = if cfg!(feature = "faer") {
    "faer for the trainer's large products (feature `faer`), ndarray's own for the rest and the GEMM rows"
} else if cfg!(feature = "blas") {
    "OpenBLAS (feature `blas`)"
} else {
    "matrixmultiply (threading)"
};
