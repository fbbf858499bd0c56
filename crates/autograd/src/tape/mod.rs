//! Reverse mode over matrices: a tape (Wengert list) of ndarray operations.
//!
//! The scalar [`Value`](crate::Value) makes one node per number; a layer of
//! a real network is a matrix product, and one node per *matrix* is enough.
//! The tape records every operation in the order it runs (which is a
//! topological order by construction). For each it stores, on the forward
//! pass, the result and whatever its local derivative needs — $f'(z)$ for an
//! activation, $\partial \mathcal{L} / \partial \hat y$ for a loss, the
//! output $s$ for SoftMax. [`Tape::backward`] walks the list from the end and
//! applies each operation's *vector–Jacobian product*: given
//! $\bar y = \partial \mathcal{L} / \partial y$ it adds
//! $\bar x = \bar y \, \partial y / \partial x$ to each input — the
//! lecture's chain rule with matrices instead of numbers, and without ever
//! forming a Jacobian.
//!
//! Layout as in PyTorch: a batch is `n × features`, one sample per row; a
//! layer has `W: out × in` and a bias of length `out`, stored as a `1 × out`
//! row, and computes $y = x W^\top + b$ (the lecture's $w_1 x + b_1$ for
//! every sample at once).
//!
//! ```
//! use activations::Sigmoid;
//! use autograd::Tape;
//! use losses::Mse;
//! use ndarray::array;
//!
//! let mut tape = Tape::new();
//! let x = tape.constant(array![[0.5]]); // one sample, one feature
//! let w1 = tape.parameter(array![[0.3]]);
//! let b1 = tape.parameter_row(array![-0.1].view());
//! let w2 = tape.parameter(array![[0.8]]);
//! let b2 = tape.parameter_row(array![0.2].view());
//! let xw = tape.matmul_t(x, w1)?;
//! let z = tape.add_bias(xw, b1)?;
//! let sigma_z = tape.activation(z, &Sigmoid);
//! let sw = tape.matmul_t(sigma_z, w2)?;
//! let y_hat = tape.add_bias(sw, b2)?;
//! // MSE is (y − ŷ)², twice the lecture's ½(y − ŷ)²
//! let loss = tape.loss(y_hat, array![[1.0]].view(), &Mse)?;
//! tape.backward(loss)?;
//! let dl_dw2 = tape.grad(w2).unwrap()[[0, 0]];
//! assert!((dl_dw2 / 2.0 - -0.19988).abs() < 1e-5);
//! assert!(tape.grad(x).is_none()); // a constant has no gradient
//! # Ok::<(), autograd::TapeError>(())
//! ```

mod backward;
mod error;
mod ops;

pub use error::TapeError;

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use std::sync::atomic::{AtomicU64, Ordering};

/// A handle to one recorded matrix on a [`Tape`]: cheap to copy, valid only
/// on the tape that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Var {
    tape: u64,
    index: usize,
}

/// A record of matrix operations for reverse-mode differentiation.
///
/// Build it forward with [`parameter`](Tape::parameter),
/// [`constant`](Tape::constant) and the operations, call
/// [`backward`](Tape::backward) on a scalar, and read
/// [`grad`](Tape::grad) for each parameter. A tape is meant for one
/// forward/backward step: a training loop builds a fresh one per batch.
#[derive(Debug)]
pub struct Tape {
    id: u64,
    nodes: Vec<Node>,
}

/// One recorded operation: its result, the gradient that reaches it, and
/// what the backward pass needs.
#[derive(Debug)]
struct Node {
    value: Array2<f64>,
    /// Whether any parameter feeds into this node. Only such nodes get a
    /// gradient: constants, and results computed from constants alone,
    /// never store one.
    needs_grad: bool,
    /// $\partial \text{output} / \partial \text{this node}$, after `backward`.
    grad: Option<Array2<f64>>,
    op: ops::TensorOp,
}

/// Gives every tape its own number, so a `Var` used on the wrong tape is caught.
static TAPES: AtomicU64 = AtomicU64::new(0);

impl Default for Tape {
    fn default() -> Self {
        Self::new()
    }
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Self {
        Tape {
            id: TAPES.fetch_add(1, Ordering::Relaxed),
            nodes: Vec::new(),
        }
    }

    /// A trainable matrix: [`backward`](Tape::backward) computes its gradient.
    pub fn parameter(&mut self, value: Array2<f64>) -> Var {
        self.push(value, true, ops::TensorOp::Parameter)
    }

    /// A trainable vector (a bias $b$ of length `out`), stored as a
    /// `1 × out` row so that [`add_bias`](Tape::add_bias) can add it to
    /// every row of a batch. Its gradient is `1 × out` too.
    pub fn parameter_row(&mut self, value: ArrayView1<'_, f64>) -> Var {
        self.parameter(value.to_owned().insert_axis(Axis(0)))
    }

    /// A matrix that is not trained (inputs $x$, targets, fixed weights):
    /// no gradient is computed or stored for it.
    pub fn constant(&mut self, value: Array2<f64>) -> Var {
        self.push(value, false, ops::TensorOp::Constant)
    }

    /// The value of `var` computed on the forward pass.
    pub fn value(&self, var: Var) -> ArrayView2<'_, f64> {
        self.node(var).value.view()
    }

    /// The value of a `1 × 1` variable (a loss, a sum, a mean) as a number.
    pub fn scalar(&self, var: Var) -> Result<f64, TapeError> {
        let value = &self.node(var).value;
        if value.dim() != (1, 1) {
            return Err(TapeError::NotScalar {
                op: "scalar",
                shape: value.dim(),
            });
        }
        Ok(value[[0, 0]])
    }

    /// $\partial\,\text{output} / \partial\,\mathtt{var}$ from the last
    /// [`backward`](Tape::backward), with the shape of `var`.
    ///
    /// `None` for constants (and results computed from constants only),
    /// and before `backward` has run. Intermediate results that depend on a
    /// parameter keep their gradient too (the "δ" of a layer), which the
    /// book uses to compare with the hand-derived backward pass.
    pub fn grad(&self, var: Var) -> Option<ArrayView2<'_, f64>> {
        self.node(var).grad.as_ref().map(|g| g.view())
    }

    /// `true` if `var` is a parameter.
    pub fn is_parameter(&self, var: Var) -> bool {
        matches!(self.node(var).op, ops::TensorOp::Parameter)
    }

    /// How many operations (parameters and constants included) are recorded.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// `true` if nothing is recorded yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn push(&mut self, value: Array2<f64>, needs_grad: bool, op: ops::TensorOp) -> Var {
        self.nodes.push(Node {
            value,
            needs_grad,
            grad: None,
            op,
        });
        Var {
            tape: self.id,
            index: self.nodes.len() - 1,
        }
    }

    /// The node of `var`. Panics if `var` belongs to another tape: mixing
    /// tapes is a bug in the calling code, not bad data.
    fn node(&self, var: Var) -> &Node {
        assert_eq!(
            var.tape, self.id,
            "this Var was made by another Tape (tape {}, this is tape {})",
            var.tape, self.id
        );
        &self.nodes[var.index]
    }
}

#[cfg(test)]
mod tests;
