//! Cross-entropy computed from logits (SoftMax inside).

use crate::validate::{self, Inputs};
use crate::{Loss, LossError};
use activations::log_softmax;
use ndarray::{Array1, ArrayView1, ArrayView2, ArrayViewMut2, Zip};

/// [`CrossEntropy`](crate::CrossEntropy) of $p = \mathrm{SoftMax}(z)$,
/// computed from the logits $z$ through log-sum-exp:
///
/// $$\log p_k = \log \mathrm{SoftMax}(z)_k = z_k - \log \sum_j e^{z_j}, \qquad \mathcal{L} = -\sum_k y_k \log p_k$$
///
/// per sample, averaged over the $n$ samples. This is PyTorch's
/// `CrossEntropyLoss(reduction='sum')` divided by $n$ (its default `'mean'`
/// divides by $n$ too, for class-index and probability targets alike).
///
/// **Why this form.** [`log_softmax`] subtracts the largest logit inside
/// the log-sum-exp, so nothing overflows and $\log p_k$ stays finite even
/// when $p_k$ itself underflows to 0: at $z = (500, -500)$ the loss of the
/// second class is $1000$, where `CrossEntropy` on `softmax(z)` would be
/// clamped to 100.
///
/// **When to use** (the lecture): multiclass classification; the network's
/// SoftMax is folded into the loss, and the last layer outputs logits.
///
/// **Gradient.** With $s = \sum_k y_k$, $\mathcal{L}_i = s \log \sum_j e^{z_j} - \sum_k y_k z_k$, and
/// $\frac{\partial}{\partial z_k} \log \sum_j e^{z_j} = \mathrm{SoftMax}(z)_k$, so
///
/// $$\frac{\partial \mathcal{L}}{\partial z_{ik}} = \frac{1}{n}\big(\mathrm{SoftMax}(z_i)_k\, s_i - y_{ik}\big),$$
///
/// which is $\frac1n(\mathrm{SoftMax}(z) - y)$ for one-hot or normalised
/// soft targets ($s = 1$). [`value_and_gradient_into`](Loss::value_and_gradient_into)
/// computes the log-softmax once per sample for both: the value uses it
/// directly and SoftMax is its exponent.
///
/// ```
/// use losses::{CrossEntropyWithLogits, Loss};
/// use ndarray::array;
/// let (z, y) = (array![[0.0, 0.0]], array![[1.0, 0.0]]);
/// let (value, grad) = CrossEntropyWithLogits.value_and_gradient(z.view(), y.view())?;
/// assert_eq!(value, 2f64.ln());
/// assert_eq!(grad, array![[-0.5, 0.5]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CrossEntropyWithLogits;

/// $\sum_k y_k \log p_k$ with $0 \cdot \log p_k = 0$ even where $\log p_k$
/// would be $-\infty$ (a logit more than $10^{308}$ below the largest).
fn y_dot_log_p(y: ArrayView1<'_, f64>, log_p: &Array1<f64>) -> f64 {
    Zip::from(&y).and(log_p).fold(
        0.0,
        |acc, &y, &lp| if y == 0.0 { acc } else { acc + y * lp },
    )
}

// ANCHOR: cross_entropy_with_logits
impl Loss for CrossEntropyWithLogits {
    fn name(&self) -> &'static str {
        "ce_logits"
    }

    fn value(&self, z: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(z, y, Inputs::Logits)?;
        let n = z.nrows() as f64;
        // −Σₖ yₖ·log SoftMax(z)ₖ for each sample
        let sum: f64 = z
            .rows()
            .into_iter()
            .zip(y.rows())
            .map(|(z_i, y_i)| -y_dot_log_p(y_i, &log_softmax(z_i)))
            .sum();
        Ok(sum / n)
    }

    fn gradient_into(
        &self,
        z: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        self.value_and_gradient_into(z, y, grad).map(|_| ())
    }

    // ANCHOR: cross_entropy_with_logits_value_and_gradient
    fn value_and_gradient_into(
        &self,
        z: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<f64, LossError> {
        validate::inputs(z, y, Inputs::Logits)?;
        validate::gradient_buffer(&grad, z)?;
        let n = z.nrows() as f64;
        let mut sum = 0.0;
        for ((z_i, y_i), g_i) in z.rows().into_iter().zip(y.rows()).zip(grad.rows_mut()) {
            // one log-softmax per sample serves both the value and the gradient
            let log_p = log_softmax(z_i);
            sum -= y_dot_log_p(y_i, &log_p);
            let s = y_i.sum();
            // (SoftMax(z)ₖ·s − yₖ)/n, with SoftMax = e^(log SoftMax)
            Zip::from(g_i)
                .and(&log_p)
                .and(&y_i)
                .for_each(|g, &lp, &y| *g = (lp.exp() * s - y) / n);
        }
        Ok(sum / n)
    }
    // ANCHOR_END: cross_entropy_with_logits_value_and_gradient
}
// ANCHOR_END: cross_entropy_with_logits

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn separate_and_fused_paths_agree_exactly() {
        let z = array![[1.0, -2.0, 0.5], [3.0, 3.0, -1.0]];
        let y = array![[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]];
        let loss = CrossEntropyWithLogits;
        let (v, g) = loss.value_and_gradient(z.view(), y.view()).unwrap();
        assert_eq!(loss.value(z.view(), y.view()), Ok(v));
        assert_eq!(loss.gradient(z.view(), y.view()), Ok(g));
    }

    #[test]
    fn unnormalised_targets_scale_the_softmax_part() {
        // y sums to 2: the gradient is (2·SoftMax(z) − y)/n, still zero-sum only if s = 1
        let z = array![[0.0, 0.0]];
        let y = array![[1.0, 1.0]];
        let g = CrossEntropyWithLogits.gradient(z.view(), y.view()).unwrap();
        assert_eq!(g, array![[0.0, 0.0]]);
        let y = array![[1.0, 0.5]];
        let g = CrossEntropyWithLogits.gradient(z.view(), y.view()).unwrap();
        assert_eq!(g, array![[0.75 - 1.0, 0.75 - 0.5]]);
    }

    #[test]
    fn logits_far_beyond_exp_range_stay_finite() {
        let z = array![[1e300, -1e300, 0.0]];
        let y = array![[1.0, 0.0, 0.0]];
        let (v, g) = CrossEntropyWithLogits
            .value_and_gradient(z.view(), y.view())
            .unwrap();
        assert_eq!(v, 0.0);
        assert_eq!(g, array![[0.0, 0.0, 0.0]]);
        let y = array![[0.0, 0.0, 1.0]];
        let (v, g) = CrossEntropyWithLogits
            .value_and_gradient(z.view(), y.view())
            .unwrap();
        assert_eq!(v, 1e300);
        assert_eq!(g, array![[1.0, 0.0, -1.0]]);
    }
}
