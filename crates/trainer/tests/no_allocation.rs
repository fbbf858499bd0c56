//! "After the first batch the training loop allocates nothing": counted
//! with a global allocator that tallies every allocation, in a binary of
//! its own so no other test's allocations mix in.
//!
//! The one allocation left is not the loop's: `matrixmultiply` (ndarray's
//! matrix product) takes a packing buffer from the allocator in every call
//! and frees it before returning. So epoch 2 makes exactly one allocation
//! per matrix product — 3L − 1 per training batch (L forward, L for
//! $\partial \mathcal{L} / \partial W$, L − 1 for $\delta$) and L per
//! validation chunk — and retains no memory. Everything of ours (batches,
//! activations, deltas, gradients, optimizer moments, the softmax + CE
//! fusion, the shuffled order, the epoch record) reuses its buffers.
//!
//! Counting is process-wide, so this binary runs without the test harness
//! (`harness = false`: no harness threads allocating beside it), and it
//! waits a moment after epoch 1 for `matrixmultiply`'s worker threads,
//! spawned on the first product, to finish starting up.

use std::alloc::System;
use std::time::Duration;

use activations::ActivationKind;
use datasets::{Dataset, Fractions, split};
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp};
use ndarray::Array2;
use schedulers::ScheduleConfig;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use trainer::{EpochRecord, Observer, ScheduleUnit, TrainConfig, Trainer};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocation statistics between the end of epoch 1 and the end of epoch 2.
#[derive(Default)]
struct Epoch2 {
    start: Option<Region<'static, System>>,
    stats: Option<stats_alloc::Stats>,
}

impl Observer for Epoch2 {
    fn on_epoch(&mut self, record: &EpochRecord) {
        match record.epoch {
            1 => {
                std::thread::sleep(Duration::from_millis(200));
                self.start = Some(Region::new(GLOBAL));
            }
            2 => self.stats = self.start.as_ref().map(Region::change),
            _ => {}
        }
    }
}

fn main() {
    epoch_two_allocates_only_matrixmultiply_packing_buffers();
    println!("no_allocation: 1 passed, 0 failed");
}

fn epoch_two_allocates_only_matrixmultiply_packing_buffers() {
    // 250 samples of 20 features in 4 classes: 200 train (batches of 32:
    // 6 full + 1 of 8), 50 validation (chunks of 32 and 18)
    let x = Array2::from_shape_fn((250, 20), |(i, j)| {
        ((i * 7 + j * 13) % 17) as f64 / 8.0 - 1.0
    });
    let labels: Vec<usize> = (0..250).map(|i| (i * 3 + i / 7) % 4).collect();
    let set = Dataset::classification(x, labels, 4).unwrap();
    let parts = split(&set, Fractions::new(0.8, 0.2, 0.0).unwrap(), 1).unwrap();
    assert_eq!((parts.train.len(), parts.validation.len()), (200, 50));

    let arch = Architecture::new([20, 16, 16, 4], ActivationKind::Relu, Head::Softmax).unwrap();
    let schedule = ScheduleConfig::LinearWarmup {
        warmup_steps: 5,
        start_factor: 0.1,
        then: Box::new(ScheduleConfig::CosineAnnealing {
            eta_min: 0.0,
            eta_max: 0.01,
            total_steps: 30,
        }),
    };
    let config = TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(3)
        .with_batch_size(32)
        .with_schedule(schedule, ScheduleUnit::Batch)
        .with_early_stopping(5); // keeps a copy of the best weights every epoch
    let mut trainer = Trainer::new(Mlp::new(&arch, Init::He, 1).unwrap(), config).unwrap();
    let mut observer = Epoch2::default();
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut observer)
        .unwrap();

    let stats = observer.stats.expect("epoch 2 ran");
    let layers = 3;
    let batches = 7;
    let validation_chunks = 2;
    let matrix_products = batches * (3 * layers - 1) + validation_chunks * layers;
    if cfg!(feature = "blas") {
        // OpenBLAS takes its buffers from its own pool through C's malloc,
        // which a Rust global allocator does not see: what is counted is
        // matrixmultiply's, for the products ndarray leaves to it (none for
        // this network with ndarray 0.17: epoch 2 counts 0 allocations).
        assert!(
            stats.allocations <= matrix_products,
            "at most one packing buffer per matrix product and nothing else: {stats:?}"
        );
    } else {
        assert_eq!(
            stats.allocations, matrix_products,
            "one packing buffer per matrix product and nothing else: {stats:?}"
        );
    }
    assert_eq!(
        stats.deallocations, stats.allocations,
        "each freed at once: {stats:?}"
    );
    assert_eq!(stats.reallocations, 0, "{stats:?}");
    assert_eq!(
        stats.bytes_allocated, stats.bytes_deallocated,
        "no memory kept: {stats:?}"
    );
}
