//! Watching a run: a progress bar, a log, a Ctrl-C handler.

use crate::EpochRecord;

/// One finished batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchProgress<'a> {
    /// The epoch under way, counted from 1.
    pub epoch: usize,
    /// Epochs in the run.
    pub epochs: usize,
    /// This batch within the epoch, counted from 1.
    pub batch: usize,
    /// Batches per epoch.
    pub batches: usize,
    /// Batches done since the start of training (this one included).
    pub step: u64,
    /// The batch's loss (before its update).
    pub loss: f64,
    /// The learning rate used for the batch.
    pub learning_rate: f64,
    /// Rows of the *training* set that formed the batch.
    pub indices: &'a [usize],
}

/// Called by the trainer after every batch and every epoch. Both methods do
/// nothing by default, so an observer implements only what it shows.
///
/// The trainer's loop allocates nothing per batch; an observer that
/// allocates (formats strings, draws a bar) is outside that promise.
///
/// ```
/// use trainer::{BatchProgress, EpochRecord, Observer};
/// struct Log(Vec<f64>);
/// impl Observer for Log {
///     fn on_epoch(&mut self, record: &EpochRecord) {
///         self.0.push(record.train_loss);
///     }
/// }
/// ```
pub trait Observer {
    /// After each batch's update.
    fn on_batch(&mut self, _progress: &BatchProgress<'_>) {}

    /// After each epoch, once the validation set has been measured.
    fn on_epoch(&mut self, _record: &EpochRecord) {}
}

/// An observer that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}
