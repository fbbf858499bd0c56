//! Targets in the layout the network's head and loss expect, and the
//! reusable buffers batches are gathered into.

use ndarray::{Array2, ArrayView2, Axis, Slice};

use super::TrainError;
use crate::data::{Dataset, Target, one_hot};
use crate::{Head, Mlp};

/// The data set's targets as the `n × k` matrix the loss compares with the
/// network's output:
///
/// * classes with a softmax head: one-hot rows, $k$ = number of classes;
/// * two classes with a single sigmoid output: the label itself, 0 or 1
///   (the lecture's binary classification: $p = \sigma(z)$ is the
///   probability of class 1);
/// * classes with one sigmoid output per class: one-hot rows;
/// * regression targets with the identity head: the targets.
///
/// Anything else is a [`TrainError::TargetMismatch`] that says why.
pub(crate) fn encode_targets(
    data: &Dataset,
    model: &Mlp,
    part: &'static str,
) -> Result<Array2<f64>, TrainError> {
    let k = model.n_outputs();
    let head = model.head();
    let mismatch = |reason: String| TrainError::TargetMismatch { part, reason };
    match data.target() {
        Target::Classes {
            labels, n_classes, ..
        } => match head {
            Head::Identity => Err(mismatch(format!(
                "it has {n_classes} classes, but the network has the identity (regression) head; use softmax or sigmoid"
            ))),
            Head::Sigmoid if k == 1 && *n_classes == 2 => {
                Ok(Array2::from_shape_fn((labels.len(), 1), |(i, _)| {
                    labels[i] as f64
                }))
            }
            _ if k == *n_classes => Ok(one_hot(labels, k).expect("labels are below n_classes")),
            Head::Sigmoid => Err(mismatch(format!(
                "it has {n_classes} classes but the network has {k} sigmoid outputs; use 1 output for 2 classes or one per class"
            ))),
            Head::Softmax => Err(mismatch(format!(
                "it has {n_classes} classes but the network has {k} outputs; a softmax head needs one per class"
            ))),
        },
        Target::Values { y, .. } => {
            if head != Head::Identity {
                Err(mismatch(format!(
                    "it has regression targets, but the network has the {head} (classification) head; use identity"
                )))
            } else if y.ncols() != k {
                Err(mismatch(format!(
                    "it has {} target columns but the network has {k} outputs",
                    y.ncols()
                )))
            } else {
                Ok(y.clone())
            }
        }
    }
}

/// Checks a data set against the network: rows, features, targets; returns
/// the encoded targets.
pub(crate) fn check_data(
    data: &Dataset,
    model: &Mlp,
    part: &'static str,
) -> Result<Array2<f64>, TrainError> {
    if data.is_empty() {
        return Err(TrainError::EmptyDataset { part });
    }
    if data.n_features() != model.n_inputs() {
        return Err(TrainError::FeatureCount {
            part,
            expected: model.n_inputs(),
            found: data.n_features(),
        });
    }
    encode_targets(data, model, part)
}

/// Two buffers, `capacity × d` and `capacity × k`, refilled for every batch
/// (the trainer's [`BatchBuffer`](crate::data::BatchBuffer), over encoded
/// targets).
#[derive(Debug, Clone)]
pub(crate) struct Batches {
    x: Array2<f64>,
    y: Array2<f64>,
}

impl Batches {
    pub(crate) fn new(capacity: usize, d: usize, k: usize) -> Self {
        Self {
            x: Array2::zeros((capacity, d)),
            y: Array2::zeros((capacity, k)),
        }
    }

    /// Copies the rows `indices` of `x` and `y` in (no allocation) and returns
    /// views of the filled part.
    pub(crate) fn fill(
        &mut self,
        x: &Array2<f64>,
        y: &Array2<f64>,
        indices: &[usize],
    ) -> (ArrayView2<'_, f64>, ArrayView2<'_, f64>) {
        for (r, &i) in indices.iter().enumerate() {
            self.x.row_mut(r).assign(&x.row(i));
            self.y.row_mut(r).assign(&y.row(i));
        }
        let rows = Slice::from(..indices.len());
        (
            self.x.slice_axis(Axis(0), rows),
            self.y.slice_axis(Axis(0), rows),
        )
    }
}
