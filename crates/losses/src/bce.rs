//! Binary cross-entropy on probabilities (binary and multi-label).

use crate::validate::{self, Inputs};
use crate::{Loss, LossError, ln_clamped, ln_clamped_derivative};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Binary cross-entropy, the lecture's BCE and multi-label BCE, on
/// probabilities $p$:
///
/// $$\mathcal{L}_\mathrm{BCE}(y, p) = -\sum_k \big(y_k \log p_k + (1 - y_k) \log (1 - p_k)\big),$$
///
/// summed over the $k$ labels of a sample and averaged over the $n$ samples
/// of the batch. With $k = 1$ this is the binary BCE,
/// $-(y \log p + (1 - y) \log(1 - p))$.
///
/// **When to use** (the lecture): binary classification, where $y \in \{0, 1\}$
/// is the true class and $p$ the predicted probability of class 1 (a
/// sigmoid output); with one sigmoid output per label, multi-label
/// classification (an object may belong to several classes at once). Soft
/// targets $y \in [0, 1]$ are accepted too. When the network's last layer
/// is a sigmoid, train with [`BceWithLogits`](crate::BceWithLogits) instead:
/// same loss, computed from the logits without rounding $p$ to 0 or 1.
///
/// **Reduction vs PyTorch.** `BCELoss()` (`reduction='mean'`) divides the
/// sum by $n \cdot k$, every entry of the batch; we divide by $n$, as the
/// lecture's per-sample sum over $k$ implies. So our value is $k$ times
/// PyTorch's mean, and equals `BCELoss(reduction='sum')` divided by $n$.
///
/// **Logs clamped at −100,** as in PyTorch ([`ln_clamped`]): $p = 0$ with
/// $y = 1$ costs $100$ instead of $\infty$.
///
/// **Gradient.**
///
/// $$\frac{\partial \mathcal{L}}{\partial p_{ik}} = \frac{1}{n}\left(-\frac{y_{ik}}{p_{ik}} + \frac{1 - y_{ik}}{1 - p_{ik}}\right) = \frac{1}{n} \cdot \frac{p_{ik} - y_{ik}}{p_{ik}(1 - p_{ik})},$$
///
/// where a term whose log is clamped contributes $0$ (the clamped loss is
/// flat there). This is the exact derivative of the value we return, so it
/// is finite for every $p \in [0, 1]$. PyTorch's backward computes
/// $(p - y) / \max(p(1 - p), 10^{-12})$: identical wherever
/// $p(1 - p) \ge 10^{-12}$ (there no log is clamped; the reference tests
/// check it), different in the extreme corners. There PyTorch returns
/// the huge $\pm 10^{12}$ of its floor, we return the slope of the clamped loss:
///
/// | $p$ | $y$ | ours $\cdot n$ | PyTorch $\cdot n$ |
/// |---|---|---|---|
/// | 0 | 1 | 0 (clamped, flat) | $-10^{12}$ |
/// | 1 | 0 | 0 (clamped, flat) | $10^{12}$ |
/// | 0 | 0 | 1 | 0 |
/// | 1 | 1 | −1 | 0 |
/// | $10^{-13}$ | 1 | $-10^{13}$ | $-10^{12}$ |
///
/// ```
/// use losses::{Bce, Loss};
/// use ndarray::array;
/// // one sample, two labels
/// let (p, y) = (array![[0.8, 0.4]], array![[1.0, 0.0]]);
/// let expected = -(0.8f64.ln() + 0.6f64.ln());
/// assert!((Bce.value(p.view(), y.view())? - expected).abs() < 1e-15);
/// // p = 0 for a positive label: a finite loss of 100
/// assert_eq!(Bce.value(array![[0.0]].view(), array![[1.0]].view())?, 100.0);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bce;

// ANCHOR: bce
impl Loss for Bce {
    fn name(&self) -> &'static str {
        "bce"
    }

    // ANCHOR: bce_value
    fn value(&self, p: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        let n = p.nrows() as f64;
        // −Σₖ (yₖ·log pₖ + (1 − yₖ)·log(1 − pₖ)), summed over samples too
        let sum = Zip::from(&p).and(&y).fold(0.0, |acc, &p, &y| {
            acc - (y * ln_clamped(p) + (1.0 - y) * ln_clamped(1.0 - p))
        });
        Ok(sum / n)
    }
    // ANCHOR_END: bce_value

    // ANCHOR: bce_gradient
    fn gradient_into(
        &self,
        p: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        validate::gradient_buffer(&grad, p)?;
        let n = p.nrows() as f64;
        // (−y/p + (1 − y)/(1 − p))/n, each term 0 where its log is clamped
        Zip::from(&mut grad).and(&p).and(&y).for_each(|g, &p, &y| {
            *g = (-y * ln_clamped_derivative(p) + (1.0 - y) * ln_clamped_derivative(1.0 - p)) / n;
        });
        Ok(())
    }
    // ANCHOR_END: bce_gradient
}
// ANCHOR_END: bce

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sums_over_labels_and_averages_over_samples() {
        let p = array![[0.9, 0.2], [0.6, 0.5]];
        let y = array![[1.0, 0.0], [0.0, 1.0]];
        let per_sample = [-(0.9f64.ln() + 0.8f64.ln()), -(0.4f64.ln() + 0.5f64.ln())];
        let expected = (per_sample[0] + per_sample[1]) / 2.0;
        assert!((Bce.value(p.view(), y.view()).unwrap() - expected).abs() < 1e-15);
    }

    /// The table in the doc comment, entry by entry (times n = 1).
    #[test]
    fn corners_are_finite_and_follow_the_clamped_slope() {
        let p = array![[0.0, 1.0, 0.0, 1.0, 1e-13]];
        let y = array![[1.0, 0.0, 0.0, 1.0, 1.0]];
        let value = Bce.value(p.view(), y.view()).unwrap();
        assert!((value - (100.0 + 100.0 + 0.0 + 0.0 - 1e-13f64.ln())).abs() < 1e-12);
        let grad = Bce.gradient(p.view(), y.view()).unwrap();
        assert_eq!(grad, array![[0.0, 0.0, 1.0, -1.0, -1e13]]);
    }
}
