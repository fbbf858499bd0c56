//! Optimizers of Lecture 11: SGD, momentum, RMSProp, Adam (+ Nesterov, AdamW).
#![forbid(unsafe_code)]
