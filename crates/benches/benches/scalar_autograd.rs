//! Scalar autograd speed: forward + backward of a 2-16-16-1 MLP on one sample.
//!
//! The network is micrograd's `MLP(2, [16, 16, 1])` built the same way
//! (each neuron $b + \sum_i w_i x_i$, ReLU on the hidden layers, a linear
//! output, loss $(\hat y - y)^2$), so `peers/micrograd_mlp.py` times the same
//! graph in Python. Criterion reports the throughput in graph nodes per
//! second: ns per node = $10^9$ / (elements per second). The target
//! is at most 0.1 µs per node (micrograd: about 4.9 µs per node here).
//!
//! `cargo bench -p benches --bench scalar_autograd`
#![allow(missing_docs)] // criterion's macros generate undocumented items

use autograd::Value;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// One neuron: weights, a bias, and whether a ReLU follows.
struct Neuron {
    w: Vec<Value>,
    b: Value,
    relu: bool,
}

impl Neuron {
    /// $b + \sum_i w_i x_i$ (then ReLU), summed in micrograd's order.
    fn forward(&self, x: &[Value]) -> Value {
        let act = self
            .w
            .iter()
            .zip(x)
            .fold(self.b.clone(), |acc, (wi, xi)| acc + wi * xi);
        if self.relu { act.relu() } else { act }
    }
}

/// A multilayer perceptron of scalar `Value`s.
struct Mlp {
    layers: Vec<Vec<Neuron>>,
}

impl Mlp {
    /// Sizes `[n_in, h1, …, n_out]`; deterministic weights in (−1, 1).
    fn new(sizes: &[usize]) -> Self {
        let mut k = 0.0_f64;
        let mut next = || {
            k += 1.0;
            (k * 12.9898).sin() // fixed pseudo-random pattern, both signs
        };
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(l, pair)| {
                let relu = l + 2 < sizes.len();
                (0..pair[1])
                    .map(|_| Neuron {
                        w: (0..pair[0]).map(|_| Value::new(next())).collect(),
                        b: Value::new(0.0),
                        relu,
                    })
                    .collect()
            })
            .collect();
        Mlp { layers }
    }

    fn forward(&self, x: &[f64]) -> Value {
        let mut h: Vec<Value> = x.iter().copied().map(Value::new).collect();
        for layer in &self.layers {
            h = layer.iter().map(|n| n.forward(&h)).collect();
        }
        h.pop().expect("the last layer has one neuron")
    }

    /// One sample: forward, squared error, backward. The graph is freed on
    /// return, which is part of the cost (Python's garbage collector pays it too).
    fn step(&self, x: &[f64], y: f64) -> f64 {
        let loss = (self.forward(x) - y).powi(2);
        loss.backward();
        loss.data()
    }
}

fn scalar_mlp(c: &mut Criterion) {
    let mlp = Mlp::new(&[2, 16, 16, 1]);
    let (x, y) = ([0.5, -1.2], 1.0);
    let nodes = (mlp.forward(&x) - y).powi(2).node_count();
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
