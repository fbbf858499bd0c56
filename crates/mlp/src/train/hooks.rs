//! What a training run tells the code around it, and how that code can stop it.

use std::ops::ControlFlow;

use ndarray::ArrayView2;

use crate::Mlp;

/// One finished batch of [`fit`](super::fit).
#[derive(Debug, Clone, Copy)]
pub struct BatchEnd<'a> {
    /// The epoch, counted from 0.
    pub epoch: usize,
    /// The batch within the epoch, counted from 0.
    pub batch: usize,
    /// Batches done since the start, this one included.
    pub step: u64,
    /// The batch's loss, measured before its update.
    pub loss: f64,
    /// The learning rate of the batch's update.
    pub learning_rate: f64,
    /// The training rows that formed the batch.
    pub rows: &'a [usize],
    /// The batch's logits $z_L$ (before the update), e.g. to count correct answers.
    pub logits: ArrayView2<'a, f64>,
}

/// Code that runs around [`fit`](super::fit)'s loop: progress bars, logs,
/// early stopping, divergence checks, a stop flag. Every method does
/// nothing and continues by default, so a hook implements only what it
/// needs; [`ControlFlow::Break`] ends the run after the current step.
///
/// ```
/// use std::ops::ControlFlow;
/// use mlp::train::{BatchEnd, Hooks};
/// /// Stops as soon as the loss becomes NaN or ±∞.
/// struct StopOnBadLoss;
/// impl Hooks for StopOnBadLoss {
///     fn on_batch(&mut self, batch: &BatchEnd<'_>) -> ControlFlow<()> {
///         if batch.loss.is_finite() { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
///     }
/// }
/// ```
pub trait Hooks {
    /// Before each batch (a stop flag is checked here).
    fn before_batch(&mut self, _epoch: usize, _batch: usize) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    /// After each batch's update.
    fn on_batch(&mut self, _batch: &BatchEnd<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    /// After each epoch; the hook may measure the model on held-out data,
    /// or change it (early stopping restores the best weights).
    fn on_epoch(&mut self, _model: &mut Mlp, _epoch: usize) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// Hooks that do nothing: plain training for the given epochs.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}
