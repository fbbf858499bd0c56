//! # Backpropagation: the lecture's chain rule, layer by layer
//!
//! The lecture derives the four gradients of a one-hidden-layer network
//! $\hat y = w_2 \sigma(z) + b_2$, $z = w_1 x + b_1$ with
//! $\mathcal{L} = \frac12 (y - \hat y)^2$, and says "аналогичным образом
//! вычисляются градиенты для больших сетей". This module is that
//! "аналогичным образом" written out.
//!
//! **Notation.** A batch of $n$ samples is the matrix $X$ (one sample per
//! row). Layer $l = 1 \dots L$ computes
//!
//! $$ z_l = a_{l-1} W_l^\top + \mathbf{1} b_l^\top, \qquad a_l = f(z_l), \qquad a_0 = X, $$
//!
//! and the loss $\mathcal{L}$ is computed from $z_L$. Call
//! $\delta_l = \partial \mathcal{L} / \partial z_l$ the *error* of layer $l$
//! (an $n \times n_l$ matrix, one row per sample).
//!
//! **Step 1, the output.** $\delta_L = \partial \mathcal{L} / \partial z_L$
//! comes from the loss ([`Objective`]). For the lecture's
//! $\frac12(y - \hat y)^2$ with $\hat y = z_L$ it is $\hat y - y$ —
//! *not* the lecture's $(y - \hat y)$, see correction 3 below.
//!
//! **Step 2, the weights of layer $l$.** $z_{l,ij} = \sum_k a_{l-1,ik} W_{l,jk} + b_{l,j}$,
//! so $\partial z_{l,ij} / \partial W_{l,jk} = a_{l-1,ik}$ and, summing over the samples $i$,
//!
//! $$ \frac{\partial \mathcal{L}}{\partial W_l} = \delta_l^\top a_{l-1}, \qquad
//!    \frac{\partial \mathcal{L}}{\partial b_l} = \sum_{i=1}^{n} \delta_{l,i} = \delta_l^\top \mathbf{1}. $$
//!
//! This is the lecture's $\frac{\partial \mathcal{L}}{\partial w_2} = \frac{\partial \mathcal{L}}{\partial \hat y}\, \sigma(z)$
//! ("error times the input of the layer") and
//! $\frac{\partial \mathcal{L}}{\partial b_2} = \frac{\partial \mathcal{L}}{\partial \hat y} \cdot 1$, for
//! every unit and every sample at once.
//!
//! **Step 3, one layer down.** $z_l$ depends on $z_{l-1}$ through
//! $a_{l-1} = f(z_{l-1})$: $\partial z_{l,ij} / \partial a_{l-1,ik} = W_{l,jk}$ and
//! $\partial a_{l-1,ik} / \partial z_{l-1,ik} = f'(z_{l-1,ik})$, so
//!
//! $$ \delta_{l-1} = (\delta_l W_l) \odot f'(z_{l-1}). $$
//!
//! This is the lecture's $\frac{\partial \mathcal{L}}{\partial \hat y}\, w_2\, \sigma'(z)$ —
//! the part that $\frac{\partial \mathcal{L}}{\partial w_1}$ and
//! $\frac{\partial \mathcal{L}}{\partial b_1}$ share; step 2 on layer 1 then
//! gives the lecture's $\frac{\partial \mathcal{L}}{\partial w_1} = \frac{\partial \mathcal{L}}{\partial \hat y}\, w_2 \sigma'(z)\, x$
//! and $\frac{\partial \mathcal{L}}{\partial b_1} = \frac{\partial \mathcal{L}}{\partial \hat y}\, w_2 \sigma'(z)$.
//! Repeating steps 2 and 3 from $l = L$ down to $l = 1$ gives every
//! gradient with one pass over the layers — each $\delta_l$ is computed once
//! and reused by everything below it, instead of re-expanding the chain
//! rule for every weight.
//!
//! **What the forward pass must keep**: $a_{l-1}$ (for step 2) and $z_{l-1}$
//! (for $f'$ in step 3) of every layer — a [`ForwardPass`] holds them.
//!
//! **Исправление (correction 3).** For $\mathcal{L} = \frac12 (y - \hat y)^2$
//! the lecture writes $\frac{\partial \mathcal{L}}{\partial \hat y} = (y - \hat y)$;
//! it is $-(y - \hat y) = \hat y - y$, and all four gradients that follow
//! change sign. A step $w - \eta \cdot \text{grad}$ with the lecture's sign
//! climbs the loss. The test `lecture_example_has_the_corrected_sign` in
//! `tests/backprop.rs` runs the lecture's numbers ($x = 0.5$, $y = 1$,
//! $w_1 = 0.3$, $b_1 = -0.1$, $w_2 = 0.8$, $b_2 = 0.2$):
//! $\partial \mathcal{L} / \partial w_2 \approx -0.19988$, negative, as
//! finite differences confirm.
//!
//! Two implementations, which must agree (`tests/backprop.rs`, to $10^{-10}$,
//! and both against central differences and PyTorch):
//!
//! * the hand-written one: [`forward`], [`Objective::loss_and_delta`] and
//!   [`backward`] (one function per step: [`layer_gradients`],
//!   [`delta_below`]), together [`Mlp::loss_and_gradients`];
//! * [`loss_and_gradients_autograd`], the same network recorded on the
//!   `autograd` tape.
//!
//! The `trainer` crate runs the same formulas in preallocated buffers (its
//! `engine` module), tested equal to these to $10^{-12}$.

mod autograd_path;
mod backward;
mod forward;
mod gradients;
mod objective;

pub use autograd_path::loss_and_gradients_autograd;
pub use backward::{backward, delta_below, layer_gradients};
pub use forward::{ForwardPass, forward};
pub use gradients::Gradients;
pub use objective::Objective;

use losses::LossKind;
use ndarray::ArrayView2;

use crate::{Mlp, ModelError};

impl Mlp {
    /// The loss of the batch `(x, y)` and its gradient with respect to every
    /// weight and bias, by the hand-written backward pass: [`forward`],
    /// [`Objective::loss_and_delta`], [`backward`]. `y` is `n × k` (one-hot
    /// rows for classes).
    pub fn loss_and_gradients(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        loss: LossKind,
    ) -> Result<(f64, Gradients), ModelError> {
        let objective = Objective::new(self.head(), loss)?;
        let pass = forward(self, x)?;
        let (value, delta) = objective.loss_and_delta(pass.logits(), y)?;
        Ok((value, backward(self, &pass, delta)))
    }
}
