//! Multiclass focal loss on probabilities.

use crate::focal_binary::focus_slope_times_log;
use crate::validate::{self, Inputs};
use crate::{Loss, LossError, ln_clamped, ln_clamped_derivative};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Multiclass focal loss, as the lecture writes it for a one-hot target,
///
/// $$\mathcal{L}_\mathrm{focal}(p_t) = -(1 - p_t)^\gamma \log p_t$$
///
/// ($p_t$ the predicted probability of the true class), generalised to soft
/// targets in the same way CE is:
///
/// $$\mathcal{L} = -\sum_k y_k (1 - p_k)^\gamma \log p_k,$$
///
/// which is the lecture's formula when $y$ is one-hot. Per-sample sums are
/// averaged over the $n$ samples; logs are clamped at −100 ([`ln_clamped`]).
/// Lin et al. (2017) also multiply by a class weight $\alpha_t$; the lecture
/// leaves it out and so do we.
///
/// **When to use** (the lecture): multiclass classification with
/// imbalanced classes; $(1 - p_t)^\gamma$ down-weights examples the model
/// already gets right, usually $\gamma = 2$. With $\gamma = 0$ it is
/// [`CrossEntropy`](crate::CrossEntropy) (test `multiclass_focal_gamma_zero_is_ce`).
///
/// **Gradient**, by the product rule:
///
/// $$\frac{\partial \mathcal{L}}{\partial p_{ik}} = -\frac{y_{ik}}{n} \left[\frac{(1 - p_{ik})^\gamma}{p_{ik}} - \gamma (1 - p_{ik})^{\gamma - 1} \log p_{ik}\right],$$
///
/// with $1/p$ replaced by 0 where the log is clamped, and the second term
/// taken as 0 when $\gamma = 0$ or $p = 1$ (its limit), so every
/// $p \in [0, 1]$ gives a finite gradient.
///
/// ```
/// use losses::{FocalMulticlass, Loss};
/// use ndarray::array;
/// let focal = FocalMulticlass::new(2.0)?;
/// let (p, y) = (array![[0.7, 0.2, 0.1]], array![[1.0, 0.0, 0.0]]);
/// let expected = -(0.3f64 * 0.3) * 0.7f64.ln();
/// assert!((focal.value(p.view(), y.view())? - expected).abs() < 1e-15);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FocalMulticlass {
    gamma: f64,
}

impl FocalMulticlass {
    /// $\gamma = 2$, "usually" in the lecture.
    pub const DEFAULT_GAMMA: f64 = 2.0;

    /// Multiclass focal loss with focusing parameter `gamma` $\ge 0$ (finite).
    ///
    /// ```
    /// let err = losses::FocalMulticlass::new(f64::NAN).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid gamma = NaN: expected a finite number >= 0");
    /// ```
    pub fn new(gamma: f64) -> Result<Self, LossError> {
        Ok(Self {
            gamma: validate::non_negative("gamma", gamma)?,
        })
    }

    /// The focusing parameter $\gamma$.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }
}

impl Default for FocalMulticlass {
    /// $\gamma = 2$.
    fn default() -> Self {
        Self {
            gamma: Self::DEFAULT_GAMMA,
        }
    }
}

// ANCHOR: focal_multiclass
impl Loss for FocalMulticlass {
    fn name(&self) -> &'static str {
        "focal_multiclass"
    }

    // ANCHOR: focal_multiclass_value
    fn value(&self, p: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Result<f64, LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        let (n, gamma) = (p.nrows() as f64, self.gamma);
        // −Σₖ yₖ(1 − pₖ)ᵞ·log pₖ, summed over samples too
        let sum = Zip::from(&p).and(&y).fold(0.0, |acc, &p, &y| {
            acc - y * (1.0 - p).powf(gamma) * ln_clamped(p)
        });
        Ok(sum / n)
    }
    // ANCHOR_END: focal_multiclass_value

    // ANCHOR: focal_multiclass_gradient
    fn gradient_into(
        &self,
        p: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(p, y, Inputs::Probabilities)?;
        validate::gradient_buffer(&grad, p)?;
        let (n, gamma) = (p.nrows() as f64, self.gamma);
        Zip::from(&mut grad).and(&p).and(&y).for_each(|g, &p, &y| {
            // −(y/n)·[(1 − p)ᵞ/p − γ(1 − p)ᵞ⁻¹·log p]
            let d = (1.0 - p).powf(gamma) * ln_clamped_derivative(p)
                - focus_slope_times_log(gamma, 1.0 - p, ln_clamped(p));
            *g = -y * d / n;
        });
        Ok(())
    }
    // ANCHOR_END: focal_multiclass_gradient
}
// ANCHOR_END: focal_multiclass

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn only_the_true_class_counts_for_one_hot_targets() {
        let focal = FocalMulticlass::new(2.0).unwrap();
        let y = array![[0.0, 1.0, 0.0]];
        let a = array![[0.6, 0.3, 0.1]];
        let b = array![[0.1, 0.3, 0.6]];
        // the same p_t = 0.3, however the rest is spread
        assert_eq!(
            focal.value(a.view(), y.view()),
            focal.value(b.view(), y.view())
        );
        let g = focal.gradient(a.view(), y.view()).unwrap();
        assert_eq!((g[[0, 0]], g[[0, 2]]), (0.0, 0.0));
        assert!(g[[0, 1]] < 0.0, "raising p_t must lower the loss");
    }

    #[test]
    fn corners_stay_finite_for_every_gamma() {
        let p = array![[0.0, 1.0], [1.0, 0.0]];
        let y = array![[1.0, 0.0], [0.5, 0.5]];
        for gamma in [0.0, 0.3, 1.0, 2.0] {
            let focal = FocalMulticlass::new(gamma).unwrap();
            assert!(focal.value(p.view(), y.view()).unwrap().is_finite());
            let g = focal.gradient(p.view(), y.view()).unwrap();
            assert!(g.iter().all(|x| x.is_finite()), "γ = {gamma}: {g}");
        }
    }
}
