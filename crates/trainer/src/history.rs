//! What each epoch achieved.

use serde::{Deserialize, Serialize};

/// One epoch's results.
///
/// `train_loss` and `train_accuracy` are averages over the epoch's batches,
/// each measured on its batch *before* that batch's update (as Keras and most
/// progress bars report them: free, but a little pessimistic early in an
/// epoch). The validation numbers are measured after the epoch, on the whole
/// validation set, with the epoch's final weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// The epoch, counted from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's samples.
    pub train_loss: f64,
    /// Fraction of training samples classified correctly (classification only).
    pub train_accuracy: Option<f64>,
    /// Loss on the validation set, if one was given.
    pub val_loss: Option<f64>,
    /// Accuracy on the validation set (classification with a validation set).
    pub val_accuracy: Option<f64>,
    /// The learning rate of the epoch's last batch.
    pub learning_rate: f64,
    /// Batches done since the start of training, this epoch included.
    pub steps: u64,
}
