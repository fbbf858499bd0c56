//! The operations of the tape: each forward computation beside the backward
//! rule (vector–Jacobian product) that undoes it.
//!
//! Notation: $\bar y = \partial \mathcal{L} / \partial y$ is the gradient
//! arriving at an operation's output; the rule says what it adds to each
//! input's gradient. Every rule is checked against central differences in
//! this module's tests.

use super::{Node, Tape, TapeError, Var};
use activations::{Activation, softmax_rows, softmax_rows_vjp};
use losses::Loss;
use ndarray::{Array2, ArrayView2, Axis};

/// How a node was made, with what its backward rule needs from the forward pass.
#[derive(Debug)]
pub(super) enum TensorOp {
    /// A trainable leaf.
    Parameter,
    /// A leaf without gradient.
    Constant,
    /// $y = x W^\top$.
    MatMulT { x: Var, w: Var },
    /// $y = z + b$, $b$ a `1 × k` row added to every row.
    AddBias { z: Var, b: Var },
    /// $y = a + b$, same shapes.
    Add { a: Var, b: Var },
    /// $y = a \odot b$, same shapes.
    Mul { a: Var, b: Var },
    /// $y = f(z)$ element-wise, with $f'(z)$ stored (only if $z$ needs a gradient).
    Activation {
        z: Var,
        derivative: Option<Array2<f64>>,
    },
    /// $s = \mathrm{SoftMax}(z)$ row by row; the rule uses the stored $s$.
    SoftmaxRows { z: Var },
    /// $\mathcal{L}(\hat y, y)$, with $\partial \mathcal{L} / \partial \hat y$ stored.
    Loss {
        pred: Var,
        gradient: Option<Array2<f64>>,
    },
    /// $\sum_{ij} a_{ij}$.
    Sum { a: Var },
    /// $\frac{1}{nk} \sum_{ij} a_{ij}$.
    Mean { a: Var },
}

/// The nodes recorded before the one being differentiated: its inputs.
pub(super) struct Inputs<'a>(pub(super) &'a mut [Node]);

impl Inputs<'_> {
    fn value(&self, var: Var) -> &Array2<f64> {
        &self.0[var.index].value
    }

    fn needs_grad(&self, var: Var) -> bool {
        self.0[var.index].needs_grad
    }

    /// $\bar v \mathrel{+}= \text{contribution}$: a variable used by several
    /// operations sums the gradients from all of them.
    fn add(&mut self, var: Var, contribution: Array2<f64>) {
        let node = &mut self.0[var.index];
        match &mut node.grad {
            Some(grad) => *grad += &contribution,
            None => node.grad = Some(contribution),
        }
    }
}

impl TensorOp {
    /// Adds this operation's contribution to its inputs' gradients, given
    /// its output `y` and the gradient `y_bar` that reached it.
    pub(super) fn backward(&self, y: &Array2<f64>, y_bar: &Array2<f64>, mut inputs: Inputs<'_>) {
        match self {
            TensorOp::Parameter | TensorOp::Constant => {}
            TensorOp::MatMulT { x, w } => matmul_t_backward(*x, *w, y_bar, &mut inputs),
            TensorOp::AddBias { z, b } => add_bias_backward(*z, *b, y_bar, &mut inputs),
            TensorOp::Add { a, b } => add_backward(*a, *b, y_bar, &mut inputs),
            TensorOp::Mul { a, b } => mul_backward(*a, *b, y_bar, &mut inputs),
            TensorOp::Activation { z, derivative } => {
                activation_backward(*z, derivative.as_ref(), y_bar, &mut inputs)
            }
            TensorOp::SoftmaxRows { z } => softmax_rows_backward(*z, y, y_bar, &mut inputs),
            TensorOp::Loss { pred, gradient } => {
                loss_backward(*pred, gradient.as_ref(), y_bar, &mut inputs)
            }
            TensorOp::Sum { a } => sum_backward(*a, y_bar, &mut inputs),
            TensorOp::Mean { a } => mean_backward(*a, y_bar, &mut inputs),
        }
    }
}

impl Tape {
    fn needs_grad(&self, var: Var) -> bool {
        self.node(var).needs_grad
    }

    fn shape_check(
        &self,
        op: &'static str,
        left: Var,
        right: Var,
        fits: impl FnOnce((usize, usize), (usize, usize)) -> bool,
        rule: &'static str,
    ) -> Result<(), TapeError> {
        let (l, r) = (self.node(left).value.dim(), self.node(right).value.dim());
        if fits(l, r) {
            Ok(())
        } else {
            Err(TapeError::ShapeMismatch {
                op,
                left: l,
                right: r,
                rule,
            })
        }
    }
}

// ANCHOR: matmul_t
impl Tape {
    /// y = x·Wᵀ: `x` is `n × in`, `W` is `out × in`, `y` is `n × out`
    /// — a layer's weights applied to every sample (row) of the batch.
    pub fn matmul_t(&mut self, x: Var, w: Var) -> Result<Var, TapeError> {
        self.shape_check(
            "matmul_t",
            x,
            w,
            |(_, x_in), (_, w_in)| x_in == w_in,
            "x must be n × in and W out × in (the same number of columns)",
        )?;
        let y = self.value(x).dot(&self.value(w).t());
        let needs_grad = self.needs_grad(x) || self.needs_grad(w);
        Ok(self.push(y, needs_grad, TensorOp::MatMulT { x, w }))
    }
}

/// x̄ = ȳ·W (`n × out` · `out × in`) and W̄ = ȳᵀ·x (`out × n` · `n × in`):
/// from yᵢⱼ = Σₖ xᵢₖ·Wⱼₖ, ∂yᵢⱼ/∂xᵢₖ = Wⱼₖ and ∂yᵢⱼ/∂Wⱼₖ = xᵢₖ.
fn matmul_t_backward(x: Var, w: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(x) {
        let x_bar = y_bar.dot(inputs.value(w));
        inputs.add(x, x_bar);
    }
    if inputs.needs_grad(w) {
        let w_bar = y_bar.t().dot(inputs.value(x));
        inputs.add(w, w_bar);
    }
}
// ANCHOR_END: matmul_t

// ANCHOR: add_bias
impl Tape {
    /// y = z + b, the `1 × k` row b added to every row of the `n × k` z.
    pub fn add_bias(&mut self, z: Var, b: Var) -> Result<Var, TapeError> {
        self.shape_check(
            "add_bias",
            z,
            b,
            |(_, k), (rows, b_k)| rows == 1 && k == b_k,
            "the bias must be one row (1 × k) as wide as z (n × k)",
        )?;
        let y = &self.value(z) + &self.value(b);
        let needs_grad = self.needs_grad(z) || self.needs_grad(b);
        Ok(self.push(y, needs_grad, TensorOp::AddBias { z, b }))
    }
}

/// z̄ = ȳ and b̄ = Σᵢ ȳᵢ: the bias was used
/// once per sample, so its gradient is the sum over the batch's rows.
fn add_bias_backward(z: Var, b: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(z) {
        inputs.add(z, y_bar.clone());
    }
    if inputs.needs_grad(b) {
        inputs.add(b, y_bar.sum_axis(Axis(0)).insert_axis(Axis(0)));
    }
}
// ANCHOR_END: add_bias

// ANCHOR: add
impl Tape {
    /// $y = a + b$ element-wise (same shapes).
    pub fn add(&mut self, a: Var, b: Var) -> Result<Var, TapeError> {
        self.shape_check("add", a, b, |l, r| l == r, "add needs equal shapes")?;
        let y = &self.value(a) + &self.value(b);
        let needs_grad = self.needs_grad(a) || self.needs_grad(b);
        Ok(self.push(y, needs_grad, TensorOp::Add { a, b }))
    }
}

/// $\bar a = \bar y$, $\bar b = \bar y$.
// ANCHOR: add_backward
// ā = ȳ, b̄ = ȳ
fn add_backward(a: Var, b: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    for v in [a, b] {
        if inputs.needs_grad(v) {
            inputs.add(v, y_bar.clone());
        }
    }
}
// ANCHOR_END: add_backward
// ANCHOR_END: add

// ANCHOR: mul
impl Tape {
    /// $y = a \odot b$ element-wise (same shapes).
    pub fn mul(&mut self, a: Var, b: Var) -> Result<Var, TapeError> {
        self.shape_check("mul", a, b, |l, r| l == r, "mul needs equal shapes")?;
        let y = &self.value(a) * &self.value(b);
        let needs_grad = self.needs_grad(a) || self.needs_grad(b);
        Ok(self.push(y, needs_grad, TensorOp::Mul { a, b }))
    }
}

/// $\bar a = \bar y \odot b$, $\bar b = \bar y \odot a$ (micrograd's product
/// rule, element by element).
// ANCHOR: mul_backward
// ā = ȳ ⊙ b, b̄ = ȳ ⊙ a: the product rule, element by element
fn mul_backward(a: Var, b: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(a) {
        let a_bar = y_bar * inputs.value(b);
        inputs.add(a, a_bar);
    }
    if inputs.needs_grad(b) {
        let b_bar = y_bar * inputs.value(a);
        inputs.add(b, b_bar);
    }
}
// ANCHOR_END: mul_backward
// ANCHOR_END: mul

// ANCHOR: activation
impl Tape {
    /// $y = f(z)$ element-wise for any activation $f$; stores $f'(z)$ (the
    /// lecture's $\sigma'(z)$) on the forward pass, from the activation's
    /// own `derivative`.
    pub fn activation<A: Activation + ?Sized>(&mut self, z: Var, f: &A) -> Var {
        let z_value = self.value(z);
        let y = z_value.mapv(|v| f.forward(v));
        let needs_grad = self.needs_grad(z);
        let derivative = needs_grad.then(|| z_value.mapv(|v| f.derivative(v)));
        self.push(y, needs_grad, TensorOp::Activation { z, derivative })
    }
}

/// $\bar z = \bar y \odot f'(z)$: the activation acts on each element alone,
/// so its Jacobian is diagonal.
// ANCHOR: activation_backward
// z̄ = ȳ ⊙ f′(z), with f′(z) stored on the forward pass
fn activation_backward(
    z: Var,
    derivative: Option<&Array2<f64>>,
    y_bar: &Array2<f64>,
    inputs: &mut Inputs<'_>,
) {
    if let Some(f_prime) = derivative {
        inputs.add(z, y_bar * f_prime);
    }
}
// ANCHOR_END: activation_backward
// ANCHOR_END: activation

// ANCHOR: softmax_rows
impl Tape {
    /// $s = \mathrm{SoftMax}(z)$ for each row (max-subtracted, so no overflow).
    pub fn softmax_rows(&mut self, z: Var) -> Var {
        let s = softmax_rows(self.value(z));
        let needs_grad = self.needs_grad(z);
        self.push(s, needs_grad, TensorOp::SoftmaxRows { z })
    }
}

/// $\bar z = s \odot (\bar s - \langle \bar s, s \rangle)$ row by row — the
/// Jacobian $\mathrm{diag}(s) - s s^\top$ applied without being formed
/// (`activations::softmax_rows_vjp`).
// ANCHOR: softmax_rows_backward
// z̄ = s ⊙ (s̄ − ⟨s̄, s⟩) row by row; the Jacobian is never formed
fn softmax_rows_backward(z: Var, s: &Array2<f64>, s_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(z) {
        inputs.add(z, softmax_rows_vjp(s.view(), s_bar.view()));
    }
}
// ANCHOR_END: softmax_rows_backward
// ANCHOR_END: softmax_rows

// ANCHOR: loss
impl Tape {
    /// $\mathcal{L}(\hat y, y)$ for any loss of the `losses` crate, as a
    /// `1 × 1` result; `target` is a constant. Stores
    /// $\partial \mathcal{L} / \partial \hat y$ from the loss's own gradient.
    ///
    /// Bad input (shapes that differ, an empty batch, NaN, probabilities
    /// outside [0, 1] …) is the loss's [`LossError`](losses::LossError).
    pub fn loss<L: Loss + ?Sized>(
        &mut self,
        pred: Var,
        target: ArrayView2<'_, f64>,
        loss: &L,
    ) -> Result<Var, TapeError> {
        let needs_grad = self.needs_grad(pred);
        let (value, gradient) = if needs_grad {
            let (value, gradient) = loss.value_and_gradient(self.value(pred), target)?;
            (value, Some(gradient))
        } else {
            (loss.value(self.value(pred), target)?, None)
        };
        let y = Array2::from_elem((1, 1), value);
        Ok(self.push(y, needs_grad, TensorOp::Loss { pred, gradient }))
    }
}

/// $\bar{\hat y} = \bar{\mathcal{L}} \cdot \partial \mathcal{L} / \partial \hat y$
/// ($\bar{\mathcal{L}} = 1$ when the loss is the output).
// ANCHOR: loss_backward
// ŷ gets ∂L/∂ŷ (stored by the loss) times the gradient arriving at L
fn loss_backward(
    pred: Var,
    gradient: Option<&Array2<f64>>,
    l_bar: &Array2<f64>,
    inputs: &mut Inputs<'_>,
) {
    if let Some(dl_dpred) = gradient {
        inputs.add(pred, dl_dpred * l_bar[[0, 0]]);
    }
}
// ANCHOR_END: loss_backward
// ANCHOR_END: loss

// ANCHOR: sum_mean
impl Tape {
    /// $\sum_{ij} a_{ij}$ as a `1 × 1` result.
    pub fn sum(&mut self, a: Var) -> Var {
        let y = Array2::from_elem((1, 1), self.value(a).sum());
        let needs_grad = self.needs_grad(a);
        self.push(y, needs_grad, TensorOp::Sum { a })
    }

    /// $\frac{1}{nk}\sum_{ij} a_{ij}$ as a `1 × 1` result; an empty matrix is
    /// an error (its mean does not exist).
    pub fn mean(&mut self, a: Var) -> Result<Var, TapeError> {
        let value = self.value(a);
        let Some(mean) = value.mean() else {
            return Err(TapeError::Empty {
                op: "mean",
                shape: value.dim(),
            });
        };
        let needs_grad = self.needs_grad(a);
        Ok(self.push(
            Array2::from_elem((1, 1), mean),
            needs_grad,
            TensorOp::Mean { a },
        ))
    }
}

/// $\bar a_{ij} = \bar y$: every element counts once.
// ANCHOR: sum_backward
// every element gets ȳ: each counts once
fn sum_backward(a: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(a) {
        let a_bar = Array2::from_elem(inputs.value(a).raw_dim(), y_bar[[0, 0]]);
        inputs.add(a, a_bar);
    }
}
// ANCHOR_END: sum_backward

/// $\bar a_{ij} = \bar y / (nk)$.
// ANCHOR: mean_backward
// every element gets ȳ/(n·k)
fn mean_backward(a: Var, y_bar: &Array2<f64>, inputs: &mut Inputs<'_>) {
    if inputs.needs_grad(a) {
        let count = inputs.value(a).len() as f64;
        let a_bar = Array2::from_elem(inputs.value(a).raw_dim(), y_bar[[0, 0]] / count);
        inputs.add(a, a_bar);
    }
}
// ANCHOR_END: mean_backward
// ANCHOR_END: sum_mean
