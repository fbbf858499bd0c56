//! The backward pass: the chain rule of the lecture, one layer at a time.

use activations::{Activation, ActivationKind};
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};

use super::{ForwardPass, Gradients};
use crate::{Linear, Mlp};

// ANCHOR: layer_gradients
/// Step 2 of the derivation ([`backprop`](crate::backprop)): the gradients
/// of layer $l$ from its error $\delta_l$ and its input $a_{l-1}$,
///
/// $$ \frac{\partial \mathcal{L}}{\partial W_l} = \delta_l^\top a_{l-1}, \qquad
///    \frac{\partial \mathcal{L}}{\partial b_l} = \sum_i \delta_{l,i}. $$
pub fn layer_gradients(
    delta: ArrayView2<'_, f64>,
    a_prev: ArrayView2<'_, f64>,
) -> (Array2<f64>, Array1<f64>) {
    let dw = delta.t().dot(&a_prev); // ∂L/∂W = δᵀ·a (out × n · n × in)
    let db = delta.sum_axis(Axis(0)); // ∂L/∂b = Σᵢ δᵢ: b was added to every row
    (dw, db)
}
// ANCHOR_END: layer_gradients

// ANCHOR: delta_below
/// Step 3: the error one layer down,
///
/// $$ \delta_{l-1} = (\delta_l W_l) \odot f'(z_{l-1}). $$
pub fn delta_below(
    delta: ArrayView2<'_, f64>,
    weight: ArrayView2<'_, f64>,
    z_prev: ArrayView2<'_, f64>,
    f: ActivationKind,
) -> Array2<f64> {
    let mut delta_prev = delta.dot(&weight); // δ·W (n × out · out × in)
    Zip::from(&mut delta_prev)
        .and(&z_prev)
        .for_each(|d, &z| *d *= f.derivative(z)); // ⊙ f′(z)
    delta_prev
}
// ANCHOR_END: delta_below

/// The backward pass: from $\delta_L = \partial \mathcal{L} / \partial z_L$
/// (given by the loss, [`Objective::loss_and_delta`](crate::Objective::loss_and_delta)),
/// steps 2 and 3 from the last layer down to the first. `pass` is the
/// forward pass of the same batch.
// ANCHOR: backward
// from δ_L = ∂L/∂z_L down to the first layer
pub fn backward(mlp: &Mlp, pass: &ForwardPass, delta_last: Array2<f64>) -> Gradients {
    let layers = mlp.layers();
    let mut grads = vec![Linear::zeros(0, 0); layers.len()];
    let mut delta = delta_last; // δ_L = ∂L/∂z_L
    for l in (0..layers.len()).rev() {
        let (dw, db) = layer_gradients(delta.view(), pass.a[l].view());
        grads[l] = Linear {
            weight: dw,
            bias: db,
        };
        if l > 0 {
            let (weight, z_prev) = (layers[l].weight.view(), pass.z[l - 1].view());
            delta = delta_below(delta.view(), weight, z_prev, mlp.hidden());
        }
    }
    Gradients::from_layers(grads)
}
// ANCHOR_END: backward
