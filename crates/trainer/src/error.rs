//! What can go wrong when training: a bad setting, data that does not fit
//! the network, or a run that diverges.

use optim::OptimError;
use schedulers::ScheduleError;
use thiserror::Error;

use mlp::ModelError;

/// Why training could not start or did not finish. Messages name the
/// values involved; [`Diverged`](TrainError::Diverged) also says what to try.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrainError {
    /// `batch_size = 0`.
    #[error("batch size must be at least 1, got 0")]
    ZeroBatchSize,
    /// `epochs = 0`.
    #[error("the number of epochs must be at least 1, got 0")]
    ZeroEpochs,
    /// A data set with no rows.
    #[error("the {part} set is empty; it needs at least one sample")]
    EmptyDataset {
        /// `"training"`, `"validation"` …
        part: &'static str,
    },
    /// A data set with another number of features than the network's inputs.
    #[error("the {part} set has {found} features but the network takes {expected} inputs")]
    FeatureCount {
        /// Which set.
        part: &'static str,
        /// The network's input width.
        expected: usize,
        /// The data set's feature count.
        found: usize,
    },
    /// Targets that do not fit the network's outputs or head.
    #[error("the {part} set does not fit the network: {reason}")]
    TargetMismatch {
        /// Which set.
        part: &'static str,
        /// What does not fit, with the numbers.
        reason: String,
    },
    /// Early stopping without validation data to watch.
    #[error(
        "early stopping watches the validation loss, but no (or an empty) validation set was given"
    )]
    NoValidation,
    /// A setting outside its range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidSetting {
        /// The setting's name.
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// The valid range, in words.
        expected: &'static str,
    },
    /// The loss became NaN or infinite, or exploded, or a gradient did.
    ///
    /// The lecture's last paragraph: "too large a learning rate shows as an
    /// oscillating or quickly growing loss". This error says where it
    /// happened and what to try.
    #[error(
        "training diverged at epoch {epoch}, batch {batch} (learning rate {learning_rate}): {reason}. \
         The learning rate is probably too large: try --lr {suggested} or less"
    )]
    Diverged {
        /// Epoch, counted from 1.
        epoch: usize,
        /// Batch within the epoch, counted from 1.
        batch: usize,
        /// The learning rate of that batch.
        learning_rate: f64,
        /// What was seen (`"the loss is NaN"` …).
        reason: String,
        /// A smaller rate to try: a tenth of `learning_rate`, rounded down to one significant digit.
        suggested: f64,
    },
    /// The loss on a data set is not finite (the network's weights are not usable).
    #[error("the loss on the {part} set is not finite: {reason}")]
    NotFinite {
        /// Which set.
        part: &'static str,
        /// What was seen.
        reason: String,
    },
    /// The network rejected the data or its own state.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The optimizer rejected its configuration or a state.
    #[error("optimizer: {0}")]
    Optimizer(#[from] OptimError),
    /// The schedule's configuration is invalid.
    #[error("schedule: {0}")]
    Schedule(#[from] ScheduleError),
}

/// A tenth of `eta`, rounded down to one significant digit
/// (`0.37 → 0.03`, `10 → 1`), the rate [`TrainError::Diverged`] suggests.
pub(crate) fn suggest_smaller(eta: f64) -> f64 {
    let tenth = eta / 10.0;
    if !(tenth.is_finite() && tenth > 0.0) {
        return 1e-3;
    }
    let magnitude = 10f64.powf(tenth.log10().floor());
    let digit = (tenth / magnitude).floor().max(1.0);
    // `1e-3 * 3` is 0.0030000000000000005; reparse the rounded decimal
    format!("{:.1e}", digit * magnitude)
        .parse()
        .unwrap_or(digit * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_is_a_round_tenth() {
        let table = [
            (10.0, 1.0),
            (0.37, 0.03),
            (1.0, 0.1),
            (0.003, 0.0003),
            (5e6, 5e5),
        ];
        for (eta, expected) in table {
            assert_eq!(suggest_smaller(eta), expected, "eta = {eta}");
        }
        assert_eq!(suggest_smaller(f64::INFINITY), 1e-3);
    }

    #[test]
    fn divergence_names_epoch_batch_and_rate() {
        let err = TrainError::Diverged {
            epoch: 3,
            batch: 17,
            learning_rate: 10.0,
            reason: "the loss is NaN".into(),
            suggested: suggest_smaller(10.0),
        };
        assert_eq!(
            err.to_string(),
            "training diverged at epoch 3, batch 17 (learning rate 10): the loss is NaN. \
             The learning rate is probably too large: try --lr 1 or less"
        );
    }
}
