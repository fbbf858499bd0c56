//! The multilayer perceptron, its training loop, data sets and checkpoints.
#![forbid(unsafe_code)]
