//! Everything a training run is configured with, as data (it goes into
//! checkpoints and comes from the command line).

use losses::LossKind;
use optim::{OptimizerConfig, Resumable};
use schedulers::{ScheduleConfig, Scheduler};
use serde::{Deserialize, Serialize};

use crate::TrainError;

/// When a learning-rate schedule advances: its step $t$ counts batches or epochs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleUnit {
    /// $t$ = batches done so far (warmup and cosine over the whole run are
    /// usually given in batches).
    #[default]
    Batch,
    /// $t$ = epochs done so far (the lecture's step decay "через сколько
    /// эпох уменьшать скорость").
    Epoch,
}

/// Stop when the validation loss has not improved for `patience` epochs,
/// and keep the weights of the best epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyStopping {
    /// Epochs without improvement before stopping (at least 1).
    pub patience: usize,
    /// An epoch improves on the best only if its validation loss is lower
    /// by more than this ($\ge 0$).
    #[serde(default)]
    pub min_delta: f64,
}

/// The settings of a training run.
///
/// ```
/// use trainer::{TrainConfig, ScheduleUnit};
/// let config = TrainConfig::new("ce_logits".parse()?)
///     .with_epochs(30)
///     .with_batch_size(64)
///     .with_learning_rate(3e-3)
///     .with_seed(7)
///     .with_early_stopping(5);
/// config.validate()?;
/// let json = serde_json::to_string(&config)?;
/// assert_eq!(serde_json::from_str::<TrainConfig>(&json)?, config);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Samples per batch (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// The update rule and its hyperparameters.
    pub optimizer: OptimizerConfig,
    /// A learning-rate schedule; without one the optimizer's $\eta$ stays fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleConfig>,
    /// Whether the schedule counts batches or epochs.
    #[serde(default)]
    pub schedule_unit: ScheduleUnit,
    /// The loss; it must fit the network's head ([`Head::check_loss`](mlp::Head::check_loss)).
    pub loss: LossKind,
    /// Seed of the per-epoch shuffles (see [`epoch_order`](crate::epoch_order)).
    pub seed: u64,
    /// Shuffle the training set every epoch (on by default).
    #[serde(default = "yes")]
    pub shuffle: bool,
    /// Stop early on the validation loss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<EarlyStopping>,
    /// A batch loss above this many times the first batch's loss (or above
    /// this many times 1, if the first loss was below 1) counts as divergence.
    #[serde(default = "default_divergence_factor")]
    pub divergence_factor: f64,
}

/// The optimizer and the schedule a config describes.
pub(crate) type Parts = (Box<dyn Resumable>, Option<Box<dyn Scheduler>>);

fn yes() -> bool {
    true
}

fn default_divergence_factor() -> f64 {
    TrainConfig::DEFAULT_DIVERGENCE_FACTOR
}

impl TrainConfig {
    /// The default of [`divergence_factor`](Self::divergence_factor): $10^3$.
    pub const DEFAULT_DIVERGENCE_FACTOR: f64 = 1e3;

    /// 10 epochs of batches of 32, Adam with PyTorch's defaults
    /// ($\eta = 10^{-3}$), shuffling with seed 0, no schedule, no early stopping.
    pub fn new(loss: LossKind) -> Self {
        Self {
            epochs: 10,
            batch_size: 32,
            optimizer: OptimizerConfig::from_name("adam").expect("adam exists"),
            schedule: None,
            schedule_unit: ScheduleUnit::Batch,
            loss,
            seed: 0,
            shuffle: true,
            early_stopping: None,
            divergence_factor: Self::DEFAULT_DIVERGENCE_FACTOR,
        }
    }

    /// With `epochs` passes over the data.
    pub fn with_epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }

    /// With batches of `batch_size` samples.
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// With another optimizer.
    pub fn with_optimizer(mut self, optimizer: OptimizerConfig) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// With the optimizer's learning rate set to `eta`.
    pub fn with_learning_rate(mut self, eta: f64) -> Self {
        self.optimizer = self.optimizer.with_learning_rate(eta);
        self
    }

    /// With a learning-rate schedule stepped per batch or per epoch.
    pub fn with_schedule(mut self, schedule: ScheduleConfig, unit: ScheduleUnit) -> Self {
        self.schedule = Some(schedule);
        self.schedule_unit = unit;
        self
    }

    /// With the shuffling seed `seed`.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Without shuffling: every epoch visits the samples in their order.
    pub fn without_shuffle(mut self) -> Self {
        self.shuffle = false;
        self
    }

    /// With early stopping after `patience` epochs without improvement.
    pub fn with_early_stopping(mut self, patience: usize) -> Self {
        self.early_stopping = Some(EarlyStopping {
            patience,
            min_delta: 0.0,
        });
        self
    }

    /// Checks every setting: epochs and batch size $\ge 1$, the optimizer's
    /// and schedule's hyperparameters, patience $\ge 1$, `min_delta` $\ge 0$,
    /// divergence factor finite and $> 1$.
    pub fn validate(&self) -> Result<(), TrainError> {
        self.build_parts().map(|_| ())
    }

    /// Validates, then builds the optimizer and the schedule.
    pub(crate) fn build_parts(&self) -> Result<Parts, TrainError> {
        if self.epochs == 0 {
            return Err(TrainError::ZeroEpochs);
        }
        if self.batch_size == 0 {
            return Err(TrainError::ZeroBatchSize);
        }
        if let Some(es) = self.early_stopping {
            if es.patience == 0 {
                return Err(TrainError::InvalidSetting {
                    name: "patience",
                    value: "0".into(),
                    expected: "at least 1 epoch",
                });
            }
            if !(es.min_delta.is_finite() && es.min_delta >= 0.0) {
                return Err(TrainError::InvalidSetting {
                    name: "min_delta",
                    value: es.min_delta.to_string(),
                    expected: "a finite number >= 0",
                });
            }
        }
        if !(self.divergence_factor.is_finite() && self.divergence_factor > 1.0) {
            return Err(TrainError::InvalidSetting {
                name: "divergence_factor",
                value: self.divergence_factor.to_string(),
                expected: "a finite number > 1",
            });
        }
        let optimizer = self.optimizer.build()?;
        let schedule = self
            .schedule
            .as_ref()
            .map(ScheduleConfig::build)
            .transpose()?;
        Ok((optimizer, schedule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_settings_name_their_values() {
        let base = TrainConfig::new(LossKind::CrossEntropyWithLogits);
        let cases = [
            (
                base.clone().with_epochs(0),
                "the number of epochs must be at least 1, got 0",
            ),
            (
                base.clone().with_batch_size(0),
                "batch size must be at least 1, got 0",
            ),
            (
                base.clone().with_early_stopping(0),
                "invalid patience = 0: expected at least 1 epoch",
            ),
            (
                base.clone().with_learning_rate(-1.0),
                "optimizer: invalid eta = -1: expected a finite number > 0",
            ),
            (
                TrainConfig {
                    divergence_factor: 0.5,
                    ..base.clone()
                },
                "invalid divergence_factor = 0.5: expected a finite number > 1",
            ),
        ];
        for (config, message) in cases {
            assert_eq!(config.validate().unwrap_err().to_string(), message);
        }
        assert!(base.validate().is_ok());
    }

    #[test]
    fn json_fills_in_defaults_and_rejects_typos() {
        let json = r#"{"epochs": 5, "batch_size": 16, "optimizer": {"optimizer": "sgd", "lr": 0.1},
                       "loss": {"name": "mse"}, "seed": 3}"#;
        let config: TrainConfig = serde_json::from_str(json).unwrap();
        assert!(config.shuffle);
        assert_eq!(config.schedule_unit, ScheduleUnit::Batch);
        assert_eq!(config.divergence_factor, 1e3);
        assert_eq!(config.optimizer.learning_rate(), 0.1);
        let typo = json.replace("\"seed\"", "\"sead\"");
        assert!(
            serde_json::from_str::<TrainConfig>(&typo)
                .unwrap_err()
                .to_string()
                .contains("sead")
        );
    }
}
