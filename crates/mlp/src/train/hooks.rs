//! What a training run tells the code around it, and how that code can stop it.

use std::ops::ControlFlow;

use ndarray::ArrayView2;

use crate::Mlp;

/// Code that runs around [`fit`](super::fit)'s loop: progress bars, logs,
/// early stopping, divergence checks, a stop flag. Every method does
/// nothing and continues by default, so a hook implements only what it
/// needs; [`ControlFlow::Break`] ends the run after the current step.
///
/// ```
/// use std::ops::ControlFlow;
/// use mlp::train::Hooks;
/// use ndarray::ArrayView2;
/// /// Stops as soon as the loss becomes NaN or ±∞.
/// struct StopOnBadLoss;
/// impl Hooks for StopOnBadLoss {
///     fn on_batch(&mut self, _: usize, loss: f64, _: &[usize], _: ArrayView2<'_, f64>) -> ControlFlow<()> {
///         if loss.is_finite() { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
///     }
/// }
/// ```
pub trait Hooks {
    /// After each batch's update: the epoch (from 0), the batch's loss
    /// (measured before the update), its rows of the training set and its
    /// logits $z_L$ (e.g. to count correct answers). A stop flag is checked here.
    fn on_batch(
        &mut self,
        _epoch: usize,
        _loss: f64,
        _rows: &[usize],
        _logits: ArrayView2<'_, f64>,
    ) -> ControlFlow<()> {
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
