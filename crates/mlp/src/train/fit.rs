//! The lecture's training loop.

use ndarray::{ArrayView2, Axis};
use optim::Optimizer;
use schedulers::Scheduler;

use super::{Hooks, epoch_order};
use crate::backprop::{Gradients, Objective, backward, forward};
use crate::{Mlp, ModelError};

/// How long and in which order [`fit`] trains.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// Passes over the training set.
    pub epochs: usize,
    /// Rows per batch, at least 1 (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Seed of the per-epoch shuffles ([`epoch_order`]).
    pub seed: u64,
    /// Shuffle the rows every epoch.
    pub shuffle: bool,
    /// A learning-rate schedule $\eta_t$, $t$ counting batches; without one
    /// the optimizer's $\eta$ stays fixed.
    pub schedule: Option<&'a dyn Scheduler>,
}

/// Trains `model` on the rows of `x` with targets `y`: for each epoch, for
/// each batch — forward pass, loss, backward pass, schedule, update. The
/// `hooks` see every batch and epoch and may stop the run.
pub fn fit(
    model: &mut Mlp,
    (x, y): (ArrayView2<'_, f64>, ArrayView2<'_, f64>),
    objective: &Objective,
    optimizer: &mut dyn Optimizer,
    settings: &Settings<'_>,
    hooks: &mut dyn Hooks,
) -> Result<(), ModelError> {
    check_rows(model, x, y)?;
    let (mut order, mut step) = (vec![0; x.nrows()], 0);
    // ANCHOR: fit
    for epoch in 0..settings.epochs {
        epoch_order(settings.seed, epoch, settings.shuffle, &mut order);
        for rows in order.chunks(settings.batch_size.max(1)) {
            let (x_b, y_b) = (x.select(Axis(0), rows), y.select(Axis(0), rows));
            let pass = forward(model, x_b.view())?; // forward pass
            let (loss, delta) = objective.loss_and_delta(pass.logits(), y_b.view())?; // loss
            let gradients = backward(model, &pass, delta); // backward pass
            if let Some(schedule) = settings.schedule {
                optimizer.set_learning_rate(schedule.learning_rate(step)); // schedule: ηₜ
            }
            update(model, &gradients, optimizer)?; // update
            step += 1;
            if hooks.on_batch(epoch, loss, rows, pass.logits()).is_break() {
                return Ok(());
            }
        }
        if hooks.on_epoch(model, epoch).is_break() {
            return Ok(());
        }
    }
    // ANCHOR_END: fit
    Ok(())
}

/// One optimizer step over every $W_l$ and $b_l$ (tensors $2l$ and $2l + 1$).
// ANCHOR: update
// W_l and b_l are tensors 2l and 2l + 1
pub fn update(
    model: &mut Mlp,
    gradients: &Gradients,
    optimizer: &mut dyn Optimizer,
) -> Result<(), ModelError> {
    let mut params: Vec<_> = (model.parameters_mut())
        .flat_map(|(w, b)| [w.into_dyn(), b.into_dyn()])
        .collect();
    let grads: Vec<_> = (gradients.layers().iter())
        .flat_map(|g| [g.weight.view().into_dyn(), g.bias.view().into_dyn()])
        .collect();
    Ok(optimizer.step(&mut params, &grads)?)
}
// ANCHOR_END: update

/// A non-empty `x` of the network's width and one target row per row of `x`.
fn check_rows(
    model: &Mlp,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<(), ModelError> {
    model.check_input(x)?;
    if y.dim() != (x.nrows(), model.n_outputs()) {
        return Err(ModelError::TargetShape {
            expected: (x.nrows(), model.n_outputs()),
            found: y.dim(),
        });
    }
    Ok(())
}
