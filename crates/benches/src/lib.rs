//! Criterion benchmarks and the PyTorch comparison.
#![forbid(unsafe_code)]
