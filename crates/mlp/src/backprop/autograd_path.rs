//! The same network differentiated by the `autograd` tape instead of by hand.

use activations::Sigmoid;
use autograd::Tape;
use losses::LossKind;
use ndarray::ArrayView2;

use super::{Gradients, Objective};
use crate::{Head, Linear, Mlp, ModelError};

/// The loss of the batch `(x, y)` and its gradients computed by recording
/// the forward pass on an [`autograd::Tape`] and running its reverse mode:
/// no derivative is written here, each tape operation brings its own.
///
/// This is the check on the hand-written backward pass
/// ([`Mlp::loss_and_gradients`]): the two must agree (test
/// `manual_and_autograd_backward_agree` in `tests/backprop.rs`, to $10^{-10}$
/// on random networks and batches). It allocates a matrix per operation,
/// so the trainer uses the manual pass.
// ANCHOR: autograd_path
pub fn loss_and_gradients_autograd(
    mlp: &Mlp,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    loss: LossKind,
) -> Result<(f64, Gradients), ModelError> {
    Objective::new(mlp.head(), loss)?; // the same head/loss pairs as the manual pass
    if x.ncols() != mlp.n_inputs() {
        return Err(ModelError::InputWidth {
            expected: mlp.n_inputs(),
            found: x.ncols(),
        });
    }
    let loss_fn = loss.build()?;
    let mut tape = Tape::new();
    let mut a = tape.constant(x.to_owned()); // a_0 = X
    let mut z = a;
    let mut parameters = Vec::with_capacity(mlp.layers().len());
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let w = tape.parameter(layer.weight.clone());
        let b = tape.parameter_row(layer.bias.view());
        parameters.push((w, b));
        let a_w = tape.matmul_t(a, w)?; // a_(l−1)·W_lᵀ
        z = tape.add_bias(a_w, b)?; // z_l = a_(l−1)·W_lᵀ + b_l
        if l < last {
            a = tape.activation(z, &mlp.hidden()); // a_l = f(z_l)
        }
    }
    // ANCHOR_END: autograd_path
    // ANCHOR: autograd_path_backward
    let prediction = match mlp.head() {
        _ if loss.takes_logits() => z,
        Head::Identity => z,
        Head::Sigmoid => tape.activation(z, &Sigmoid),
        Head::Softmax => tape.softmax_rows(z),
    };
    let loss_var = tape.loss(prediction, y, &*loss_fn)?;
    tape.backward(loss_var)?;
    let layers = parameters
        .into_iter()
        .map(|(w, b)| Linear {
            weight: tape
                .grad(w)
                .expect("a parameter gets a gradient")
                .to_owned(),
            bias: tape
                .grad(b)
                .expect("a parameter gets a gradient")
                .row(0)
                .to_owned(),
        })
        .collect();
    Ok((tape.scalar(loss_var)?, Gradients::from_layers(layers)))
}
// ANCHOR_END: autograd_path_backward
