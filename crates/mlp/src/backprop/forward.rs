//! The forward pass that keeps what backpropagation needs: $z_l$ and $a_l$
//! of every layer.

use activations::Activation;
use ndarray::{Array2, ArrayView2};

use crate::{Mlp, ModelError};

/// Every layer's input and pre-activation from one forward pass of a batch.
///
/// Indices count layers from 0: layer `l` takes `a[l]` (`a[0]` $= X$) and
/// computes `z[l]` $= a_l W_l^\top + \mathbf{1} b_l^\top$; a hidden layer's
/// output is `a[l + 1]` $= f(z_l)$. The last `z` is the logits $z_L$; the
/// head is applied inside the loss ([`Objective`](crate::Objective)).
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardPass {
    /// `z[l]`: the pre-activation of layer `l` (`n × out`).
    pub z: Vec<Array2<f64>>,
    /// `a[l]`: the input of layer `l`; `a[0]` is the batch $X$.
    pub a: Vec<Array2<f64>>,
}

impl ForwardPass {
    /// The logits $z_L$, the last layer's output.
    pub fn logits(&self) -> ArrayView2<'_, f64> {
        self.z[self.z.len() - 1].view()
    }
}

/// The forward pass of `mlp` on a batch `x` (`n × d`), keeping every $z$
/// and $a$:
///
/// $$ z_l = a_{l-1} W_l^\top + \mathbf{1} b_l^\top, \qquad a_l = f(z_l), \qquad a_0 = X. $$
// ANCHOR: forward
// z_l = a_(l−1)·W_lᵀ + b_l, a_l = f(z_l), a₀ = X
pub fn forward(mlp: &Mlp, x: ArrayView2<'_, f64>) -> Result<ForwardPass, ModelError> {
    mlp.check_input(x)?;
    let f = mlp.hidden();
    let last = mlp.layers().len() - 1;
    let mut pass = ForwardPass {
        z: Vec::with_capacity(last + 1),
        a: vec![x.to_owned()], // a₀ = X
    };
    for (l, layer) in mlp.layers().iter().enumerate() {
        let z = pass.a[l].dot(&layer.weight.t()) + &layer.bias; // z = a·Wᵀ + b
        if l < last {
            pass.a.push(z.mapv(|z| f.forward(z))); // a = f(z)
        }
        pass.z.push(z);
    }
    Ok(pass)
}
// ANCHOR_END: forward
