//! What can be wrong with a loss's input.

use thiserror::Error;

/// Why a loss could not be computed; each variant names the offending
/// shape, position or value.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LossError {
    /// Prediction and target have different shapes.
    #[error("prediction has shape {pred:?} but target has shape {target:?}; they must match")]
    ShapeMismatch {
        /// Shape of the prediction, `(n, k)`.
        pred: (usize, usize),
        /// Shape of the target, `(n, k)`.
        target: (usize, usize),
    },
    /// The batch has no samples or no outputs.
    #[error("empty batch (shape {shape:?}): a loss needs at least one sample and one output")]
    EmptyBatch {
        /// The shape that was given.
        shape: (usize, usize),
    },
    /// A NaN or infinite entry.
    #[error("{which}[{row}, {col}] = {value} is not a finite number")]
    NotFinite {
        /// `"prediction"` or `"target"`.
        which: &'static str,
        /// Sample index.
        row: usize,
        /// Output index.
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// A probability (or a target that must be one) outside $[0, 1]$.
    #[error("{which}[{row}, {col}] = {value} is outside [0, 1]; this loss expects probabilities")]
    OutOfUnitInterval {
        /// `"prediction"` or `"target"`.
        which: &'static str,
        /// Sample index.
        row: usize,
        /// Output index.
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// A hyperparameter outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidHyperparameter {
        /// The parameter's name (`"delta"`, `"alpha"`, `"gamma"`).
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range, in words (`"a finite number > 0"`).
        expected: &'static str,
    },
    /// The buffer passed to [`Loss::gradient_into`](crate::Loss::gradient_into)
    /// does not have the prediction's shape.
    #[error(
        "gradient buffer has shape {grad:?} but the prediction has shape {pred:?}; they must match"
    )]
    GradientShape {
        /// Shape of the buffer, `(rows, cols)`.
        grad: (usize, usize),
        /// Shape of the prediction, `(n, k)`.
        pred: (usize, usize),
    },
    /// A loss name that [`LossKind`](crate::LossKind) does not know.
    #[error("unknown loss {name:?}; known losses: {}", .known.join(", "))]
    UnknownLoss {
        /// The name that was asked for.
        name: String,
        /// Every name that would have been accepted.
        known: &'static [&'static str],
    },
}
