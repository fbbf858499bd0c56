//! Cross-entropy on probabilities.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError, ln_clamped, ln_clamped_derivative};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Cross-entropy, the lecture's CE, on probabilities $p$:
///
/// $$\mathcal{L}_\mathrm{CE}(y, p) = -\sum_k y_k \log p_k$$
///
/// per sample, averaged over the $n$ samples of the batch. $y$ is one-hot
/// (then only the true class's $-\log p_t$ remains) or a soft distribution.
///
/// **When to use** (the lecture): classification in general, with the
/// probabilities $p_k$ coming from SoftMax. For training, prefer
/// [`CrossEntropyWithLogits`](crate::CrossEntropyWithLogits), which takes
/// the logits and never computes $\log 0$. PyTorch has no loss on
/// probabilities: `nn.CrossEntropyLoss` takes logits, `nn.NLLLoss` takes
/// $\log p$ and one-hot targets only. Logs are clamped at −100
/// ([`ln_clamped`]), as PyTorch's `BCELoss` does, so $p_t = 0$ costs 100.
///
/// **Gradient.**
///
/// $$\frac{\partial \mathcal{L}}{\partial p_{ik}} = -\frac{1}{n} \cdot \frac{y_{ik}}{p_{ik}},$$
///
/// and $0$ where the log is clamped ($p_{ik} < e^{-100}$, the loss is flat
/// there), so $p = 0$ gives a finite gradient. It is only nonzero for
/// classes with $y_k > 0$: CE on probabilities does not see the other
/// classes' $p_k$ (SoftMax couples them; see the with-logits form).
///
/// ```
/// use losses::{CrossEntropy, Loss};
/// use ndarray::array;
/// let (p, y) = (array![[0.7, 0.2, 0.1]], array![[0.0, 1.0, 0.0]]);
/// assert_eq!(CrossEntropy.value(p.view(), y.view())?, -(0.2f64.ln()));
/// assert_eq!(CrossEntropy.gradient(p.view(), y.view())?, array![[0.0, -5.0, 0.0]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CrossEntropy;

// ANCHOR: cross_entropy
impl Loss for CrossEntropy {
    fn name(&self) -> &'static str {
        "ce"
    }

    // ANCHOR: cross_entropy_value
    fn value(&self, p: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        let n = p.nrows() as f64;
        // −Σₖ yₖ·log pₖ, summed over samples too
        let sum = Zip::from(&p)
            .and(&y)
            .fold(0.0, |acc, &p, &y| acc - y * ln_clamped(p));
        Ok(sum / n)
    }
    // ANCHOR_END: cross_entropy_value

    // ANCHOR: cross_entropy_gradient
    fn gradient_into(
        &self,
        p: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        validate::gradient_buffer(&grad, p)?;
        let n = p.nrows() as f64;
        // −yₖ/(n·pₖ), 0 where the log is clamped
        Zip::from(&mut grad)
            .and(&p)
            .and(&y)
            .for_each(|g, &p, &y| *g = -y * ln_clamped_derivative(p) / n);
        Ok(())
    }
    // ANCHOR_END: cross_entropy_gradient
}
// ANCHOR_END: cross_entropy

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn one_hot_picks_the_true_class_and_soft_targets_mix() {
        let p = array![[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]];
        let one_hot = array![[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
        let expected = -(0.5f64.ln() + 0.8f64.ln()) / 2.0;
        assert!((CrossEntropy.value(p.view(), one_hot.view()).unwrap() - expected).abs() < 1e-15);
        let soft = array![[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]];
        let expected = -(0.5 * 0.5f64.ln() + 0.5 * 0.25f64.ln() + 0.8f64.ln()) / 2.0;
        assert!((CrossEntropy.value(p.view(), soft.view()).unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn zero_probability_is_finite_for_the_true_class_and_free_for_the_others() {
        let p = array![[0.0, 1.0], [0.0, 1.0]];
        let y = array![[1.0, 0.0], [0.0, 1.0]];
        // sample 0 is clamped: 100; sample 1 is exact: 0
        assert_eq!(CrossEntropy.value(p.view(), y.view()), Ok(50.0));
        let grad = CrossEntropy.gradient(p.view(), y.view()).unwrap();
        assert_eq!(grad, array![[0.0, 0.0], [0.0, -0.5]]);
    }
}
