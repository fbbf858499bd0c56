//! What can be wrong with the input to a tape operation.

use losses::LossError;
use thiserror::Error;

/// Why a [`Tape`](crate::Tape) operation could not be recorded or run; each
/// variant names the operation and the shapes or values involved.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TapeError {
    /// Two operands whose shapes do not fit the operation.
    #[error("{op}: left operand is {left:?} and right operand is {right:?}, but {rule}")]
    ShapeMismatch {
        /// The operation (`"matmul_t"`, `"add_bias"`, `"add"`, `"mul"`).
        op: &'static str,
        /// Shape of the left operand, `(rows, cols)`.
        left: (usize, usize),
        /// Shape of the right operand, `(rows, cols)`.
        right: (usize, usize),
        /// What the shapes must satisfy, in words.
        rule: &'static str,
    },
    /// An operation that needs at least one element got none.
    #[error("{op}: the input has shape {shape:?}, but it needs at least one element")]
    Empty {
        /// The operation (`"mean"`).
        op: &'static str,
        /// The shape given.
        shape: (usize, usize),
    },
    /// [`backward`](crate::Tape::backward) or [`scalar`](crate::Tape::scalar)
    /// was given a variable that is not a single number.
    #[error(
        "{op}: expected a scalar (shape (1, 1)), got shape {shape:?}; reduce it with sum, mean or a loss first"
    )]
    NotScalar {
        /// The operation (`"backward"`, `"scalar"`).
        op: &'static str,
        /// The shape given.
        shape: (usize, usize),
    },
    /// The loss rejected its input (shape, emptiness, a non-finite value, a
    /// probability outside [0, 1] …).
    #[error("loss: {0}")]
    Loss(#[from] LossError),
}
