//! Targets in the layout the network's head and loss expect, and the
//! reusable buffers batches are gathered into.

use ndarray::{Array2, ArrayView2, Axis, Slice};

use crate::TrainError;
use datasets::{Dataset, Target, one_hot};
use mlp::{Head, Mlp};

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
/// (the trainer's [`BatchBuffer`](datasets::BatchBuffer), over encoded
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
        gather_rows(x, indices, &mut self.x);
        gather_rows(y, indices, &mut self.y);
        let rows = Slice::from(..indices.len());
        (
            self.x.slice_axis(Axis(0), rows),
            self.y.slice_axis(Axis(0), rows),
        )
    }
}

/// Row `indices[r]` of `from` into row `r` of `into`: one `memcpy` per row
/// when both are contiguous (a batch of 32 rows of 2 features would
/// otherwise spend more time setting up row views than copying).
fn gather_rows(from: &Array2<f64>, indices: &[usize], into: &mut Array2<f64>) {
    let width = from.ncols();
    match (from.as_slice(), into.as_slice_mut()) {
        (Some(source), Some(target)) if width > 0 => {
            for (row, &i) in target.chunks_exact_mut(width).zip(indices) {
                row.copy_from_slice(&source[i * width..(i + 1) * width]);
            }
        }
        _ => {
            for (r, &i) in indices.iter().enumerate() {
                into.row_mut(r).assign(&from.row(i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rows_are_gathered_in_the_order_of_the_indices_in_every_layout() {
        let x = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
        let y = array![[0.0], [1.0], [2.0]];
        let mut batches = Batches::new(4, 2, 1);
        let (bx, by) = batches.fill(&x, &y, &[2, 0, 2]);
        assert_eq!(bx, array![[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]);
        assert_eq!(by, array![[2.0], [0.0], [2.0]]);
        // a column-major source takes the general path
        let x_f = x.t().as_standard_layout().t().to_owned();
        assert!(x_f.as_slice().is_none());
        let (bx, _) = batches.fill(&x_f, &y, &[1]);
        assert_eq!(bx, array![[3.0, 4.0]]);
    }
}
