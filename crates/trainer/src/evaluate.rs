//! Measuring a network on a data set: loss and accuracy, in chunks, with
//! no allocation once a workspace exists.

use losses::LossKind;
use ndarray::{Array2, Axis, Slice};
use serde::{Deserialize, Serialize};

use crate::TrainError;
use crate::engine::Workspace;
use crate::engine::{StepError, forward_loss};
use crate::targets::check_data;
use datasets::Dataset;
use mlp::model::predicted_class;
use mlp::{Mlp, Objective};

/// Loss and accuracy of a network on a data set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The loss over all samples (the same reduction as in training).
    pub loss: f64,
    /// Fraction classified correctly, for classification sets.
    pub accuracy: Option<f64>,
    /// Number of samples.
    pub samples: usize,
}

/// Rows per chunk when [`evaluate`] makes its own workspace.
const CHUNK: usize = 512;

/// Loss and accuracy of `model` on `data` — e.g. on the test set, once, at
/// the very end (see [`train`](super) for why only then).
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp};
/// use trainer::evaluate;
/// let iris = datasets::iris();
/// let net = Mlp::new(&Architecture::new([4, 8, 3], "relu".parse()?, Head::Softmax)?, Init::He, 0)?;
/// let e = evaluate(&net, &iris, "ce_logits".parse()?)?;
/// assert_eq!(e.samples, 150);
/// assert!(e.accuracy.unwrap() <= 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(model: &Mlp, data: &Dataset, loss: LossKind) -> Result<Evaluation, TrainError> {
    let objective = Objective::new(model.head(), loss)?;
    let y = check_data(data, model, "evaluation")?;
    let mut workspace = Workspace::new(model, data.len().min(CHUNK));
    evaluate_with(
        model,
        &objective,
        &mut workspace,
        data.x(),
        &y,
        data.labels(),
    )
    .map_err(|err| match err {
        StepError::Diverged(reason) => TrainError::NotFinite {
            part: "evaluation",
            reason,
        },
        StepError::Other(err) => err,
    })
}

/// The loss and accuracy of `x` against encoded targets `y`, in chunks of
/// the workspace's capacity (contiguous rows: views, no copies).
pub(crate) fn evaluate_with(
    model: &Mlp,
    objective: &Objective,
    workspace: &mut Workspace,
    x: &Array2<f64>,
    y: &Array2<f64>,
    labels: Option<&[usize]>,
) -> Result<Evaluation, StepError> {
    let n = x.nrows();
    let mut loss_sum = 0.0;
    let mut correct = 0;
    for start in (0..n).step_by(workspace.capacity()) {
        let rows = Slice::from(start..(start + workspace.capacity()).min(n));
        let x_chunk = x.slice_axis(Axis(0), rows);
        let y_chunk = y.slice_axis(Axis(0), rows);
        let loss = forward_loss(model, objective, workspace, x_chunk, y_chunk)?;
        // every loss here averages over samples, so weighting by rows gives the overall mean
        loss_sum += loss * x_chunk.nrows() as f64;
        if let Some(labels) = labels {
            correct += count_correct(model, workspace, &labels[start..]);
        }
    }
    Ok(Evaluation {
        loss: loss_sum / n as f64,
        accuracy: labels.map(|_| correct as f64 / n as f64),
        samples: n,
    })
}

/// How many rows of the workspace's last logits predict the class in
/// `labels` (row $r$ against `labels[r]`).
pub(crate) fn count_correct(model: &Mlp, workspace: &Workspace, labels: &[usize]) -> usize {
    workspace
        .logits()
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(z, label)| predicted_class(model.head(), *z) == **label)
        .count()
}
