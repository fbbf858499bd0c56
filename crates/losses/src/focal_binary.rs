//! Binary (and multi-label) focal loss on probabilities.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError, ln_clamped, ln_clamped_derivative};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Binary focal loss (Lin et al., 2017), as the lecture writes it:
///
/// $$\mathcal{L}_\mathrm{focal}(y, p) = -\alpha (1 - p)^\gamma\, y \log p - (1 - \alpha)\, p^\gamma (1 - y) \log (1 - p),$$
///
/// summed over the $k$ labels of a sample and averaged over the $n$ samples,
/// like [`Bce`](crate::Bce). Logs are clamped at −100 ([`ln_clamped`]).
///
/// **When to use** (the lecture): classification with imbalanced classes.
/// The factor $(1 - p)^\gamma$ (for $y = 1$; $p^\gamma$ for $y = 0$) shrinks
/// the loss of examples that are already classified well, so the many easy
/// ones stop drowning out the few hard ones; usually $\gamma = 2$. $\alpha$
/// weighs the positive class against the negative one and helps under
/// strong imbalance. With $\alpha = \frac12$, $\gamma = 0$ it is exactly
/// half of BCE (test `focal_half_gamma_zero_is_half_bce`).
///
/// **Gradient**, by the product rule on each term: with
/// $\frac{d}{dp}(1 - p)^\gamma = -\gamma (1 - p)^{\gamma - 1}$ and
/// $\frac{d}{dp} p^\gamma = \gamma p^{\gamma - 1}$,
///
/// $$\frac{\partial}{\partial p}\Big[-\alpha y (1 - p)^\gamma \log p\Big] = -\alpha y \left[\frac{(1 - p)^\gamma}{p} - \gamma (1 - p)^{\gamma - 1} \log p\right],$$
///
/// $$\frac{\partial}{\partial p}\Big[-(1 - \alpha)(1 - y)\, p^\gamma \log(1 - p)\Big] = (1 - \alpha)(1 - y) \left[\frac{p^\gamma}{1 - p} - \gamma p^{\gamma - 1} \log(1 - p)\right],$$
///
/// and $\partial \mathcal{L} / \partial p_{ik}$ is their sum divided by $n$.
/// Where a log is clamped, its $1/p$ (or $1/(1 - p)$) becomes 0 and the log
/// itself is −100. The products $\gamma (1 - p)^{\gamma - 1} \log p$ and
/// $\gamma p^{\gamma - 1} \log(1 - p)$ are taken as 0 when $\gamma = 0$ or
/// the log is 0 (their limit), so $p \in \{0, 1\}$ and $0 < \gamma < 1$ do
/// not produce $0 \cdot \infty$.
///
/// ```
/// use losses::{FocalBinary, Loss};
/// use ndarray::array;
/// let focal = FocalBinary::new(0.25, 2.0)?;
/// // an easy positive (p = 0.9) costs 100× less than under ¼·BCE: (1 − 0.9)² = 0.01
/// let v = focal.value(array![[0.9]].view(), array![[1.0]].view())?;
/// assert!((v - 0.25 * 0.01 * -(0.9f64.ln())).abs() < 1e-15);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FocalBinary {
    alpha: f64,
    gamma: f64,
}

impl FocalBinary {
    /// $\alpha = 0.25$, the value of Lin et al. (2017) and torchvision's
    /// `sigmoid_focal_loss`.
    pub const DEFAULT_ALPHA: f64 = 0.25;
    /// $\gamma = 2$, "usually" in the lecture.
    pub const DEFAULT_GAMMA: f64 = 2.0;

    /// Focal loss with weight `alpha` $\in [0, 1]$ and focusing parameter
    /// `gamma` $\ge 0$ (finite).
    ///
    /// ```
    /// assert!(losses::FocalBinary::new(0.25, 2.0).is_ok());
    /// let err = losses::FocalBinary::new(1.5, 2.0).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid alpha = 1.5: expected a number in [0, 1]");
    /// ```
    pub fn new(alpha: f64, gamma: f64) -> Result<Self, LossError> {
        Ok(Self {
            alpha: validate::fraction("alpha", alpha)?,
            gamma: validate::non_negative("gamma", gamma)?,
        })
    }

    /// The class weight $\alpha$.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The focusing parameter $\gamma$.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }
}

impl Default for FocalBinary {
    /// $\alpha = 0.25$, $\gamma = 2$.
    fn default() -> Self {
        Self {
            alpha: Self::DEFAULT_ALPHA,
            gamma: Self::DEFAULT_GAMMA,
        }
    }
}

/// $\gamma\, b^{\gamma - 1} \log q$ — the derivative of a focusing factor
/// $b^\gamma$ times the log it multiplies — taken as its limit 0 when
/// $\gamma = 0$ or $\log q = 0$.
///
/// The log is 0 exactly when $q = 1$, which happens for $b = 0$ (where
/// $b^{\gamma - 1} = \infty$ if $\gamma < 1$) and for $b$ too small to
/// change $1 - b$; whenever the log is not 0, $b > 10^{-17}$ and the product
/// is finite.
pub(crate) fn focus_slope_times_log(gamma: f64, b: f64, log_q: f64) -> f64 {
    if gamma == 0.0 || log_q == 0.0 {
        0.0
    } else {
        gamma * b.powf(gamma - 1.0) * log_q
    }
}

// ANCHOR: focal_binary
impl Loss for FocalBinary {
    fn name(&self) -> &'static str {
        "focal"
    }

    fn value(&self, p: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        // ANCHOR: focal_binary_value
        let (n, alpha, gamma) = (p.nrows() as f64, self.alpha, self.gamma);
        let sum = Zip::from(&p).and(&y).fold(0.0, |acc, &p, &y| {
            // −α(1 − p)ᵞ·y·log p − (1 − α)pᵞ·(1 − y)·log(1 − p)
            let positive = alpha * (1.0 - p).powf(gamma) * y * ln_clamped(p);
            let negative = (1.0 - alpha) * p.powf(gamma) * (1.0 - y) * ln_clamped(1.0 - p);
            acc - (positive + negative)
        });
        // ANCHOR_END: focal_binary_value
        Ok(sum / n)
    }

    // ANCHOR: focal_binary_gradient
    fn gradient_into(
        &self,
        p: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        validate::gradient_buffer(&grad, p)?;
        let (n, alpha, gamma) = (p.nrows() as f64, self.alpha, self.gamma);
        Zip::from(&mut grad).and(&p).and(&y).for_each(|g, &p, &y| {
            // (1 − p)ᵞ/p − γ(1 − p)ᵞ⁻¹·log p
            let d_positive = (1.0 - p).powf(gamma) * ln_clamped_derivative(p)
                - focus_slope_times_log(gamma, 1.0 - p, ln_clamped(p));
            // pᵞ/(1 − p) − γpᵞ⁻¹·log(1 − p)
            let d_negative = p.powf(gamma) * ln_clamped_derivative(1.0 - p)
                - focus_slope_times_log(gamma, p, ln_clamped(1.0 - p));
            *g = (-alpha * y * d_positive + (1.0 - alpha) * (1.0 - y) * d_negative) / n;
        });
        Ok(())
    }
    // ANCHOR_END: focal_binary_gradient
}
// ANCHOR_END: focal_binary

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn easy_examples_are_down_weighted_more_than_hard_ones() {
        let focal = FocalBinary::new(0.5, 2.0).unwrap();
        let y = array![[1.0]];
        let ratio = |p: f64| {
            let p = array![[p]];
            focal.value(p.view(), y.view()).unwrap() / crate::Bce.value(p.view(), y.view()).unwrap()
        };
        // ratio to BCE is ½(1 − p)²: 0.005 for an easy p = 0.9, 0.405 for a hard p = 0.1
        assert!((ratio(0.9) - 0.5 * 0.01).abs() < 1e-15);
        assert!((ratio(0.1) - 0.5 * 0.81).abs() < 1e-15);
    }

    #[test]
    fn corners_and_small_gamma_stay_finite() {
        let p = array![[0.0, 1.0, 0.0, 1.0, 0.5]];
        let y = array![[1.0, 0.0, 0.0, 1.0, 0.3]];
        for gamma in [0.0, 0.5, 1.0, 2.0, 5.0] {
            let focal = FocalBinary::new(0.25, gamma).unwrap();
            let v = focal.value(p.view(), y.view()).unwrap();
            let g = focal.gradient(p.view(), y.view()).unwrap();
            assert!(v.is_finite(), "γ = {gamma}: value {v}");
            assert!(g.iter().all(|x| x.is_finite()), "γ = {gamma}: gradient {g}");
        }
    }

    #[test]
    fn slope_term_takes_its_limit_where_it_would_be_zero_times_infinity() {
        // b = 0 with γ < 1: b^{γ−1} = ∞ but log q = log 1 = 0
        assert_eq!(focus_slope_times_log(0.5, 0.0, 0.0), 0.0);
        assert_eq!(focus_slope_times_log(0.0, 0.3, -1.0), 0.0);
        assert_eq!(focus_slope_times_log(2.0, 0.5, -1.0), -1.0);
    }
}
