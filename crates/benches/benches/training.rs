//! Training speed: the `mlp` crate's trainer on the two training workloads
//! of `peers/WORKLOADS.md`, which `peers/torch_peer.py` runs in PyTorch.
//!
//! * `train/mlp784_epoch`: one epoch of the 784-256-10 network (ReLU,
//!   softmax + cross-entropy, Adam, batches of 128) over 60 000 Gaussian
//!   blobs, f64. The target: at most 1.0 s and no slower than
//!   PyTorch (about 1.5–1.7 s per epoch here).
//! * `train/moons_epoch`: one epoch (32 steps) of the 2-16-16-1 network on
//!   1000 two-moons points, batches of 32. Criterion's throughput is in
//!   steps: the time per step is 1 / (elements per second). Target: at most
//!   50 µs per step (PyTorch: about 500–750 µs).
//!
//! Each sample trains a fresh copy of the untrained network for one
//! untimed warm-up epoch and then the timed epochs, through the same
//! `fit` loop students call (shuffle, gather, forward, loss, backward, Adam).
//!
//! `cargo bench -p benches --bench training` (add `--features faer` or
//! `--features blas` for the other matrix-product backends).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::time::Duration;

use benches::training::Workload;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

/// Criterion's timing loop over whole epochs: `iters` timed epochs after
/// one warm-up epoch, on a fresh copy of the workload's network.
fn epochs(workload: &Workload, iters: u64) -> Duration {
    let run = workload
        .time(iters as usize)
        .unwrap_or_else(|err| panic!("the workload failed: {err}"));
    assert_eq!(run.epoch_seconds.len() as u64, iters.max(1));
    Duration::from_secs_f64(run.epoch_seconds.iter().sum())
}

fn training(c: &mut Criterion) {
    let mlp784 = Workload::mlp784().expect("the 784-256-10 workload builds");
    let moons = Workload::moons().expect("the moons workload builds");

    let mut group = c.benchmark_group("train");
    // an epoch of the large network takes about a second: ten of them
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(12));
    group.bench_function("mlp784_epoch", |b| {
        b.iter_custom(|iters| epochs(&mlp784, iters))
    });

    group
        .sample_size(30)
        .sampling_mode(SamplingMode::Auto)
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(moons.steps_per_epoch() as u64));
    group.bench_function("moons_epoch", |b| {
        b.iter_custom(|iters| epochs(&moons, iters))
    });
    group.finish();
}

criterion_group!(benches, training);
criterion_main!(benches);
