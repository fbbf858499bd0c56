//! Scalar autograd speed: forward + backward of a 2-16-16-1 MLP on one sample.
//!
//! The network is [`ScalarMlp`], micrograd's `MLP(2, [16, 16, 1])` built the
//! same way (each neuron $b + \sum_i w_i x_i$, ReLU on the hidden layers, a
//! linear output, loss $(\hat y - y)^2$), so `peers/micrograd_mlp.py` times
//! the same graph in Python. Criterion reports the throughput in graph nodes
//! per second: ns per node = $10^9$ / (elements per second). The issue's
//! target is at most 0.1 µs per node (micrograd: about 2–5 µs per node here).
//!
//! `cargo bench -p benches --bench scalar_autograd`
#![allow(missing_docs)] // criterion's macros generate undocumented items

use benches::scalar::ScalarMlp;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn scalar_mlp(c: &mut Criterion) {
    let mlp = ScalarMlp::new(&[2, 16, 16, 1]);
    let (x, y) = ([0.5, -1.2], 1.0);
    let nodes = mlp.loss(&x, y).node_count();
    eprintln!("scalar 2-16-16-1 MLP: {nodes} graph nodes per sample");
    let mut group = c.benchmark_group("scalar_autograd");
    group.throughput(Throughput::Elements(nodes as u64));
    group.bench_function("mlp_2_16_16_1_forward_backward", |b| {
        b.iter(|| mlp.step(black_box(&x), black_box(y)))
    });
    group.finish();
}

criterion_group!(benches, scalar_mlp);
criterion_main!(benches);
