//! Binary cross-entropy computed from logits.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError};
use activations::sigmoid;
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// [`Bce`](crate::Bce) of $p = \sigma(z)$, computed from the logits $z$
/// without ever forming $p$:
///
/// $$-\big(y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))\big) = \max(z, 0) - z y + \log\left(1 + e^{-\lvert z \rvert}\right),$$
///
/// summed over the $k$ labels and averaged over the $n$ samples, like `Bce`.
/// (PyTorch's `BCEWithLogitsLoss()` mean divides by $n \cdot k$; ours equals
/// its `reduction='sum'` divided by $n$.)
///
/// **Why this form.** Using $\log \sigma(z) = -\log(1 + e^{-z})$ and
/// $\log(1 - \sigma(z)) = -z - \log(1 + e^{-z})$ the loss is
/// $z - z y + \log(1 + e^{-z})$, which overflows for $z \ll 0$; splitting on
/// the sign of $z$ gives the form above, where $e^{-\lvert z \rvert} \le 1$.
/// It is finite for every finite $z$ — at $z = \pm 500$, where $\sigma(z)$ is
/// exactly 0 or 1 in `f64` and `Bce` would hit its −100 clamp, this still
/// returns the true loss (about 500 for a wrong label).
///
/// **When to use:** training a binary or multi-label classifier whose last
/// layer would be a sigmoid: drop the sigmoid and give this loss the
/// logits.
///
/// **Gradient.** $\frac{d}{dz}\log(1 + e^{-z}) = -(1 - \sigma(z))$, so
/// $\frac{d}{dz}\big(z - zy + \log(1 + e^{-z})\big) = 1 - y - 1 + \sigma(z)$, and
///
/// $$\frac{\partial \mathcal{L}}{\partial z_{ik}} = \frac{1}{n}\big(\sigma(z_{ik}) - y_{ik}\big):$$
///
/// the sigmoid's $\sigma'(z) = \sigma(1 - \sigma)$ cancels BCE's
/// $\frac{p - y}{p(1 - p)}$, which is why this pair trains so well.
///
/// ```
/// use losses::{BceWithLogits, Loss};
/// use ndarray::array;
/// let (z, y) = (array![[0.0, 500.0]], array![[1.0, 0.0]]);
/// let v = BceWithLogits.value(z.view(), y.view())?;
/// assert!((v - (2f64.ln() + 500.0)).abs() < 1e-12);
/// assert_eq!(BceWithLogits.gradient(z.view(), y.view())?, array![[-0.5, 1.0]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BceWithLogits;

// ANCHOR: bce_with_logits
impl Loss for BceWithLogits {
    fn name(&self) -> &'static str {
        "bce_logits"
    }

    // ANCHOR: bce_with_logits_value
    fn value(&self, z: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(z, y, Inputs::Logits)?;
        let n = z.nrows() as f64;
        // max(z, 0) − z·y + log(1 + e^(−|z|)), summed over labels and samples
        let sum = Zip::from(&z).and(&y).fold(0.0, |acc, &z, &y| {
            acc + z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
        });
        Ok(sum / n)
    }
    // ANCHOR_END: bce_with_logits_value

    // ANCHOR: bce_with_logits_gradient
    fn gradient_into(
        &self,
        z: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(z, y, Inputs::Logits)?;
        validate::gradient_buffer(&grad, z)?;
        let n = z.nrows() as f64;
        // (σ(z) − y)/n
        Zip::from(&mut grad)
            .and(&z)
            .and(&y)
            .for_each(|g, &z, &y| *g = (sigmoid(z) - y) / n);
        Ok(())
    }
    // ANCHOR_END: bce_with_logits_gradient
}
// ANCHOR_END: bce_with_logits

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn huge_logits_give_the_exact_linear_tail() {
        // a wrong confident answer costs |z| (+ log(1 + e^{−|z|}) ≈ 0)
        let z = array![[1e300, -1e300, 40.0]];
        let y = array![[0.0, 1.0, 1.0]];
        let v = BceWithLogits.value(z.view(), y.view()).unwrap();
        assert_eq!(v, 2e300 + (-40f64).exp().ln_1p());
        let g = BceWithLogits.gradient(z.view(), y.view()).unwrap();
        assert_eq!(g, array![[1.0, -1.0, sigmoid(40.0) - 1.0]]);
    }
}
