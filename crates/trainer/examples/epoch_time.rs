//! A quick timing of the training loop, with nothing but this crate (the
//! `benches` crate times the same work with criterion, and its `compare`
//! command next to PyTorch):
//!
//! * 784-256-10 ReLU, softmax + CE, Adam, batches of 128, 60 000 synthetic
//!   MNIST-sized samples, `f64`: seconds per epoch;
//! * 2-16-16-1 tanh, sigmoid + BCE, Adam, batches of 32, 1000 points:
//!   microseconds per step.
//!
//! Run: `cargo run --release -p trainer --example epoch_time`

use std::time::Instant;

use activations::ActivationKind;
use datasets::Dataset;
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp};
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use trainer::{EpochRecord, Observer, TrainConfig, Trainer};

/// Prints the time of every epoch.
struct Clock {
    last: Instant,
    times: Vec<f64>,
}

impl Observer for Clock {
    fn on_epoch(&mut self, record: &EpochRecord) {
        let seconds = self.last.elapsed().as_secs_f64();
        println!(
            "  epoch {}: {seconds:.3} s, train loss {:.4}",
            record.epoch, record.train_loss
        );
        self.times.push(seconds);
        self.last = Instant::now();
    }
}

fn synthetic(n: usize, d: usize, classes: usize, seed: u64) -> Dataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array2::from_shape_simple_fn((n, d), || rng.random_range(0.0..1.0));
    let labels = (0..n).map(|_| rng.random_range(0..classes)).collect();
    Dataset::classification(x, labels, classes).unwrap()
}

fn main() {
    println!("784-256-10 relu, softmax + ce_logits, adam, batch 128, 60000 samples (f64)");
    let set = synthetic(60_000, 784, 10, 1);
    let arch = Architecture::new([784, 256, 10], ActivationKind::Relu, Head::Softmax).unwrap();
    let config = TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(3)
        .with_batch_size(128);
    let mut trainer = Trainer::new(Mlp::new(&arch, Init::He, 1).unwrap(), config).unwrap();
    let mut clock = Clock {
        last: Instant::now(),
        times: Vec::new(),
    };
    trainer.fit(&set, None, &mut clock).unwrap();
    let best = clock.times.iter().copied().fold(f64::INFINITY, f64::min);
    println!("  best epoch: {best:.3} s (target <= 1.0 s)");

    println!("2-16-16-1 tanh, sigmoid + bce_logits, adam, batch 32, 1000 points");
    let mut rng = StdRng::seed_from_u64(2);
    let x = Array2::from_shape_simple_fn((1000, 2), || rng.random_range(-1.0..1.0));
    let labels = x
        .rows()
        .into_iter()
        .map(|r| usize::from(r[0] * r[1] > 0.0))
        .collect();
    let set = Dataset::classification(x, labels, 2).unwrap();
    let arch = Architecture::new([2, 16, 16, 1], ActivationKind::Tanh, Head::Sigmoid).unwrap();
    let epochs = 200;
    let config = TrainConfig::new(LossKind::BceWithLogits)
        .with_epochs(epochs)
        .with_batch_size(32)
        .with_learning_rate(1e-2);
    let mut trainer = Trainer::new(Mlp::new(&arch, Init::Xavier, 1).unwrap(), config).unwrap();
    let start = Instant::now();
    trainer.fit(&set, None, &mut trainer::Silent).unwrap();
    let steps = trainer.progress().step as f64;
    let micros = start.elapsed().as_secs_f64() / steps * 1e6;
    let last = trainer.history().last().unwrap();
    println!(
        "  {micros:.1} µs per step over {steps} steps (target <= 50 µs), final train accuracy {:.3}",
        last.train_accuracy.unwrap()
    );
}
