//! Learning-rate schedules of Lecture 11: step decay, cosine annealing, warmup, cyclic.
#![forbid(unsafe_code)]
