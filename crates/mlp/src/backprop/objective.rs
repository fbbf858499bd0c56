//! The loss at the output and its gradient $\delta_L = \partial \mathcal{L} / \partial z_L$,
//! where the backward pass starts.

use std::fmt;

use activations::{sigmoid, softmax_rows};
use losses::{Loss, LossKind};
use ndarray::{Array2, ArrayView2, Axis};

use crate::{Head, ModelError};

/// A head paired with a loss it can be trained with (checked by
/// [`Head::check_loss`]); computes $\mathcal{L}$ and
/// $\delta_L = \partial \mathcal{L} / \partial z_L$ from the logits $z_L$.
///
/// | head + loss | $\delta_L$ |
/// |---|---|
/// | softmax + `ce_logits` | $\frac1n(\mathrm{SoftMax}(z) - y)$ |
/// | sigmoid + `bce_logits` | $\frac1n(\sigma(z) - y)$ |
/// | identity + `mse`/`mae`/`huber` | $\partial \mathcal{L} / \partial \hat y$, $\hat y = z$ |
/// | sigmoid + `bce`/`focal` | $\frac{\partial \mathcal{L}}{\partial p} \odot p(1 - p)$, chain rule through $p = \sigma(z)$ |
/// | softmax + `ce`/`focal_multiclass` | $p \odot (g - \langle g, p \rangle)$, $g = \frac{\partial \mathcal{L}}{\partial p}$: SoftMax's Jacobian $\mathrm{diag}(p) - p p^\top$ applied to $g$ |
pub struct Objective {
    head: Head,
    kind: LossKind,
    loss: Box<dyn Loss + Send + Sync>,
}

impl fmt::Debug for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Objective")
            .field("head", &self.head)
            .field("loss", &self.kind)
            .finish()
    }
}

impl Objective {
    /// `loss` for a network with `head`; an error if they do not fit or
    /// the loss's hyperparameters are invalid.
    pub fn new(head: Head, loss: LossKind) -> Result<Self, ModelError> {
        head.check_loss(loss)?;
        Ok(Self {
            head,
            kind: loss,
            loss: loss.build()?,
        })
    }

    /// The head.
    pub fn head(&self) -> Head {
        self.head
    }

    /// The loss.
    pub fn loss(&self) -> LossKind {
        self.kind
    }

    /// The loss function itself.
    pub fn loss_fn(&self) -> &(dyn Loss + Send + Sync) {
        &*self.loss
    }

    /// $\mathcal{L}(z, y)$ and $\delta = \partial \mathcal{L} / \partial z$
    /// for logits `z` and targets `y` of the same shape. An error if the
    /// shapes differ, a target is invalid for the loss, or `z` is not
    /// finite ([`ModelError::NotFiniteOutput`]: the weights have blown up).
    pub fn loss_and_delta(
        &self,
        z: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
    ) -> Result<(f64, Array2<f64>), ModelError> {
        if y.dim() != z.dim() {
            return Err(ModelError::TargetShape {
                expected: z.dim(),
                found: y.dim(),
            });
        }
        if let Some(((row, col), &value)) = z.indexed_iter().find(|(_, z)| !z.is_finite()) {
            return Err(ModelError::NotFiniteOutput { row, col, value });
        }
        let loss = &self.loss;
        match self.head {
            // the with-logits losses and regression: the loss's own gradient in z
            _ if self.kind.takes_logits() => Ok(loss.value_and_gradient(z, y)?),
            Head::Identity => Ok(loss.value_and_gradient(z, y)?),
            Head::Sigmoid => {
                // ANCHOR: sigmoid_chain
                let p = z.mapv(sigmoid); // p = σ(z)
                let (value, dl_dp) = loss.value_and_gradient(p.view(), y)?; // ∂L/∂p
                // δ = ∂L/∂p ⊙ σ′(z), σ′(z) = p(1 − p)
                let delta = dl_dp * &p.mapv(|p| p * (1.0 - p));
                // ANCHOR_END: sigmoid_chain
                Ok((value, delta))
            }
            Head::Softmax => {
                // ANCHOR: softmax_chain
                let p = softmax_rows(z); // p = SoftMax(z), row by row
                let (value, g) = loss.value_and_gradient(p.view(), y)?; // g = ∂L/∂p
                let g_dot_p = (&g * &p).sum_axis(Axis(1)).insert_axis(Axis(1)); // ⟨gᵢ, pᵢ⟩
                let delta = &p * &(g - &g_dot_p); // δᵢ = pᵢ ⊙ (gᵢ − ⟨gᵢ, pᵢ⟩)
                // ANCHOR_END: softmax_chain
                Ok((value, delta))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::assert_all_close;
    use ndarray::array;

    #[test]
    fn probability_losses_chain_through_the_head() {
        // δ through the head equals the with-logits form for BCE and CE,
        // where σ'(z) cancels 1/(p(1-p)) and the SoftMax Jacobian cancels 1/p
        let z = array![[0.3, -1.2], [2.0, 0.1]];
        let y = array![[1.0, 0.0], [0.0, 1.0]];
        let pairs = [
            (Head::Sigmoid, LossKind::Bce, LossKind::BceWithLogits),
            (
                Head::Softmax,
                LossKind::CrossEntropy,
                LossKind::CrossEntropyWithLogits,
            ),
        ];
        for (head, prob_loss, logit_loss) in pairs {
            let objective = Objective::new(head, prob_loss).unwrap();
            let (v1, d1) = objective.loss_and_delta(z.view(), y.view()).unwrap();
            let objective = Objective::new(head, logit_loss).unwrap();
            let (v2, d2) = objective.loss_and_delta(z.view(), y.view()).unwrap();
            assert_all_close([&v1], [&v2], "value");
            assert_all_close(d1.iter(), d2.iter(), "delta");
        }
        assert!(Objective::new(Head::Identity, LossKind::CrossEntropy).is_err());
    }

    #[test]
    fn blown_up_logits_and_wrong_shapes_are_errors() {
        let objective = Objective::new(Head::Softmax, LossKind::CrossEntropyWithLogits).unwrap();
        let y = array![[1.0, 0.0]];
        let err = objective
            .loss_and_delta(array![[0.0, f64::NAN]].view(), y.view())
            .unwrap_err();
        assert!(
            matches!(err, ModelError::NotFiniteOutput { row: 0, col: 1, .. }),
            "{err}"
        );
        let err = objective
            .loss_and_delta(array![[0.0, 1.0, 2.0]].view(), y.view())
            .unwrap_err();
        assert!(matches!(err, ModelError::TargetShape { .. }), "{err}");
    }
}
