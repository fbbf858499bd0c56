//! One batch of the lecture's loop: forward pass, loss, backward pass, update.

use losses::LossError;
use ndarray::ArrayView2;
use optim::{OptimError, Optimizer};

use mlp::{Mlp, ModelError, Objective};
use smallvec::SmallVec;

use super::Workspace;
use crate::TrainError;

/// Why a batch failed: the numbers blew up (reported as divergence with the
/// epoch and batch by the caller), or something else went wrong.
#[derive(Debug)]
pub(crate) enum StepError {
    /// What was seen, in words.
    Diverged(String),
    /// Not a divergence.
    Other(TrainError),
}

impl From<ModelError> for StepError {
    fn from(err: ModelError) -> Self {
        match err {
            ModelError::NotFiniteOutput { value, .. } => StepError::Diverged(format!(
                "the network's output became {value} (the weights have blown up)"
            )),
            ModelError::Loss(LossError::NotFinite { value, .. }) => {
                StepError::Diverged(format!("the loss saw a value of {value}"))
            }
            other => StepError::Other(other.into()),
        }
    }
}

/// Forward pass and loss of one batch; $\delta_L$ is left in the workspace.
pub(crate) fn forward_loss(
    model: &Mlp,
    objective: &Objective,
    workspace: &mut Workspace,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<f64, StepError> {
    workspace.forward(model, x)?;
    let loss = workspace.output_loss(objective, y)?;
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(StepError::Diverged(format!("the loss is {loss}")))
    }
}

/// Backward pass and one optimizer step over every $W_l$ and $b_l$ (tensor
/// $2l$ and $2l + 1$). The lists of views live on the stack for networks of
/// up to four layers, so a step allocates nothing.
pub(crate) fn backward_update(
    model: &mut Mlp,
    optimizer: &mut dyn Optimizer,
    workspace: &mut Workspace,
    x: ArrayView2<'_, f64>,
) -> Result<(), StepError> {
    let gradients = workspace.backward(model, x)?;
    let mut params: SmallVec<[_; 8]> = (model.parameters_mut())
        .flat_map(|(w, b)| [w.into_dyn(), b.into_dyn()])
        .collect();
    let grads: SmallVec<[_; 8]> = (gradients.layers().iter())
        .flat_map(|g| [g.weight.view().into_dyn(), g.bias.view().into_dyn()])
        .collect();
    optimizer.step(&mut params, &grads).map_err(optim_error)
}

fn optim_error(err: OptimError) -> StepError {
    match err {
        OptimError::NonFiniteGradient { value, .. } => {
            StepError::Diverged(format!("a gradient became {value}"))
        }
        other => StepError::Other(other.into()),
    }
}
