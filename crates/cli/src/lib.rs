//! The nn command: train, evaluate and inspect multilayer perceptrons.
#![forbid(unsafe_code)]
