//! Our side of the training workloads (WORKLOADS.md §1, §2): the `mlp`
//! crate's [`Trainer`] on the same data, network, loss, optimizer and batch
//! size as `torch_peer.py`, timed epoch by epoch.
//!
//! One `fit` call runs `1 + rounds` epochs; an [`Observer`] reads the clock
//! at every epoch's end. The first epoch is the warm-up (it also allocates
//! the trainer's buffers); the others are the timed rounds. Each epoch
//! shuffles, gathers its batches and records the loss, as PyTorch's loop
//! does.

use std::time::Instant;

use activations::ActivationKind;
use datasets::{DataError, Dataset};
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp, ModelError};
use trainer::{EpochRecord, Observer, TrainConfig, TrainError, Trainer};

use crate::timing::Timing;
use crate::workloads::{self, SEED};

/// Why a training workload could not run.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    /// The data set could not be built.
    #[error("data: {0}")]
    Data(#[from] DataError),
    /// The network could not be built.
    #[error("model: {0}")]
    Model(#[from] ModelError),
    /// Training failed.
    #[error("training: {0}")]
    Train(#[from] TrainError),
}

/// A timed training run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRun {
    /// Seconds per epoch over the timed epochs.
    pub epoch: Timing,
    /// Each timed epoch's seconds, in order (criterion sums them).
    pub epoch_seconds: Vec<f64>,
    /// Steps (batches) per epoch.
    pub steps: usize,
    /// The mean training loss of the first (warm-up) epoch.
    pub first_loss: f64,
    /// The mean training loss of the last epoch (to show that it learns).
    pub last_loss: f64,
    /// The training accuracy of the last epoch.
    pub last_accuracy: Option<f64>,
}

impl TrainingRun {
    /// Seconds per step: epoch time / steps per epoch.
    pub fn per_step(&self) -> Timing {
        self.epoch.per(self.steps)
    }
}

/// Reads the clock at the end of every epoch.
struct EpochClock {
    last: Instant,
    seconds: Vec<f64>,
    records: Vec<EpochRecord>,
}

impl Observer for EpochClock {
    fn on_epoch(&mut self, record: &EpochRecord) {
        let now = Instant::now();
        self.seconds.push((now - self.last).as_secs_f64());
        self.records.push(record.clone());
        self.last = Instant::now();
    }
}

/// Trains `model` on `data` for one warm-up epoch and `rounds` timed ones.
pub fn time_epochs(
    model: Mlp,
    data: &Dataset,
    config: TrainConfig,
    rounds: usize,
) -> Result<TrainingRun, WorkloadError> {
    let rounds = rounds.max(1);
    let batch = config.batch_size;
    let mut trainer = Trainer::new(model, config.with_epochs(1 + rounds))?;
    let mut clock = EpochClock {
        last: Instant::now(),
        seconds: Vec::new(),
        records: Vec::new(),
    };
    trainer.fit(data, None, &mut clock)?;
    let last = clock.records.last().expect("fit ran at least one epoch");
    Ok(TrainingRun {
        epoch: Timing::from_rounds(&clock.seconds[1..]),
        epoch_seconds: clock.seconds[1..].to_vec(),
        steps: workloads::steps_per_epoch(data.len(), batch),
        first_loss: clock.records[0].train_loss,
        last_loss: last.train_loss,
        last_accuracy: last.train_accuracy,
    })
}

/// A training workload: data, network and settings, built once (drawing
/// 60 000 blobs takes a while) and trained as often as a bench wants.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The untrained network every run starts from.
    pub model: Mlp,
    /// The training set.
    pub data: Dataset,
    /// Loss, optimizer, batch size and seed.
    pub config: TrainConfig,
}

impl Workload {
    /// Workload `mlp784`: 784-256-10 ReLU, softmax + cross-entropy on the
    /// logits, Adam (PyTorch's defaults), batches of 128, one epoch over the
    /// 60 000 Gaussian blobs of [`workloads::mlp784_blobs`].
    pub fn mlp784() -> Result<Self, WorkloadError> {
        let blobs = workloads::mlp784_blobs();
        let data = Dataset::classification(blobs.x, blobs.labels, workloads::MLP784_SIZES[2])?;
        let arch = Architecture::new(workloads::MLP784_SIZES, ActivationKind::Relu, Head::Softmax)?;
        let config = TrainConfig::new(LossKind::CrossEntropyWithLogits)
            .with_batch_size(workloads::MLP784_BATCH)
            .with_seed(SEED);
        Ok(Self {
            model: Mlp::new(&arch, Init::He, SEED)?,
            data,
            config,
        })
    }

    /// Workload `moons`: 2-16-16-1 ReLU, sigmoid + BCE on the logit, Adam,
    /// batches of 32, 1000 two-moons points with noise 0.1.
    pub fn moons() -> Result<Self, WorkloadError> {
        let data = datasets::two_moons(workloads::MOONS_SAMPLES, workloads::MOONS_NOISE, SEED)?;
        let arch = Architecture::new(workloads::MOONS_SIZES, ActivationKind::Relu, Head::Sigmoid)?;
        let config = TrainConfig::new(LossKind::BceWithLogits)
            .with_batch_size(workloads::MOONS_BATCH)
            .with_seed(SEED);
        Ok(Self {
            model: Mlp::new(&arch, Init::He, SEED)?,
            data,
            config,
        })
    }

    /// Steps (batches) in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        workloads::steps_per_epoch(self.data.len(), self.config.batch_size)
    }

    /// A fresh copy of the untrained network, trained for one warm-up and
    /// `rounds` timed epochs (see [`time_epochs`]).
    pub fn time(&self, rounds: usize) -> Result<TrainingRun, WorkloadError> {
        time_epochs(self.model.clone(), &self.data, self.config.clone(), rounds)
    }
}

/// [`Workload::mlp784`], timed over `rounds` epochs.
pub fn mlp784(rounds: usize) -> Result<TrainingRun, WorkloadError> {
    Workload::mlp784()?.time(rounds)
}

/// [`Workload::moons`], timed over `rounds` epochs.
pub fn moons(rounds: usize) -> Result<TrainingRun, WorkloadError> {
    Workload::moons()?.time(rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moons_trains_and_counts_its_steps() {
        let run = moons(3).unwrap();
        assert_eq!(run.steps, 32);
        assert_eq!(run.epoch.rounds, 3);
        assert_eq!(run.epoch_seconds.len(), 3);
        assert_eq!(Workload::moons().unwrap().steps_per_epoch(), 32);
        assert!(run.epoch.best > 0.0 && run.epoch.best <= run.epoch.median);
        assert!((run.per_step().best * 32.0 - run.epoch.best).abs() < 1e-12);
        assert!(run.last_loss < run.first_loss, "{run:?}");
        assert!(run.last_accuracy.unwrap() > 0.6, "{:?}", run.last_accuracy);
    }

    #[test]
    fn a_small_blob_set_trains_through_the_same_path() {
        let blobs = workloads::gaussian_blobs(512, 20, 4, 1.0, SEED);
        let data = Dataset::classification(blobs.x, blobs.labels, 4).unwrap();
        let arch = Architecture::new([20, 16, 4], ActivationKind::Relu, Head::Softmax).unwrap();
        let config = TrainConfig::new(LossKind::CrossEntropyWithLogits).with_batch_size(128);
        let model = Mlp::new(&arch, Init::He, SEED).unwrap();
        let run = time_epochs(model, &data, config, 2).unwrap();
        assert_eq!((run.steps, run.epoch.rounds), (4, 2));
        assert!(run.last_loss < run.first_loss, "{run:?}");
    }
}
