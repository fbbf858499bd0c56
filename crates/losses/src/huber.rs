//! Huber loss.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Huber loss with sensitivity $\delta$, as the lecture writes it:
///
/// $$\mathcal{L}_\delta(a) = \begin{cases} \frac{1}{2} a^2, & \lvert a \rvert \le \delta, \\ \delta \left(\lvert a \rvert - \frac{1}{2} \delta\right), & \lvert a \rvert > \delta, \end{cases} \qquad a = y - \hat y,$$
///
/// averaged over all $n \cdot k$ entries of the batch. This is exactly
/// PyTorch's `HuberLoss(delta=δ)` (not `SmoothL1Loss(beta=δ)`, which is the
/// same curve divided by $\delta$).
///
/// **When to use** (the lecture): regression with outliers. Near the target
/// it is MSE-like (a smooth minimum, gradients that shrink as the error
/// does); beyond $\delta$ it grows only linearly, so it is "less sensitive
/// to outliers further away than $\delta$".
///
/// **Gradient.** $\frac{d \mathcal{L}_\delta}{d a}$ is $a$ inside and
/// $\delta \operatorname{sign}(a)$ outside, and $\frac{\partial a}{\partial \hat y} = -1$, so
///
/// $$\frac{\partial \mathcal{L}}{\partial \hat y_i} = \frac{1}{n} \begin{cases} \hat y_i - y_i, & \lvert a_i \rvert \le \delta, \\ \delta \operatorname{sign}(\hat y_i - y_i), & \lvert a_i \rvert > \delta, \end{cases}$$
///
/// that is, $\frac1n \operatorname{clamp}(\hat y_i - y_i, -\delta, \delta)$. Both
/// branches meet at $\lvert a \rvert = \delta$ with equal value and slope; only
/// the second derivative jumps there.
///
/// ```
/// use losses::{Huber, Loss};
/// use ndarray::array;
/// let huber = Huber::new(1.0)?;
/// // a = 0.5 is inside δ: ½·0.25; a = −3 is outside: 1·(3 − ½)
/// let (pred, target) = (array![[0.5, 3.0]], array![[1.0, 0.0]]);
/// assert_eq!(huber.value(pred.view(), target.view())?, (0.125 + 2.5) / 2.0);
/// assert_eq!(huber.gradient(pred.view(), target.view())?, array![[-0.25, 0.5]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Huber {
    delta: f64,
}

impl Huber {
    /// PyTorch's default $\delta = 1$.
    pub const DEFAULT_DELTA: f64 = 1.0;

    /// Huber loss with sensitivity `delta`; it must be finite and $> 0$.
    ///
    /// ```
    /// assert!(losses::Huber::new(0.5).is_ok());
    /// let err = losses::Huber::new(-1.0).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid delta = -1: expected a finite number > 0");
    /// ```
    pub fn new(delta: f64) -> Result<Self, LossError> {
        Ok(Self {
            delta: validate::positive("delta", delta)?,
        })
    }

    /// The sensitivity $\delta$.
    pub fn delta(&self) -> f64 {
        self.delta
    }
}

impl Default for Huber {
    /// $\delta = 1$, PyTorch's default.
    fn default() -> Self {
        Self {
            delta: Self::DEFAULT_DELTA,
        }
    }
}

// ANCHOR: huber
impl Loss for Huber {
    fn name(&self) -> &'static str {
        "huber"
    }

    fn value(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<f64, LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        let (n, delta) = (pred.len() as f64, self.delta);
        // ANCHOR: huber_value
        let sum = Zip::from(&pred).and(&target).fold(0.0, |acc, &y_hat, &y| {
            let a = y - y_hat;
            // ½a² inside δ, δ·(|a| − ½δ) outside
            let l = if a.abs() <= delta {
                0.5 * a * a
            } else {
                delta * (a.abs() - 0.5 * delta)
            };
            acc + l
        });
        // ANCHOR_END: huber_value
        Ok(sum / n)
    }

    // ANCHOR: huber_gradient
    fn gradient_into(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        validate::gradient_buffer(&grad, pred)?;
        let (n, delta) = (pred.len() as f64, self.delta);
        // clamp(ŷ − y, −δ, δ)/n: −a inside δ, −δ·sign(a) outside
        Zip::from(&mut grad)
            .and(&pred)
            .and(&target)
            .for_each(|g, &y_hat, &y| *g = (y_hat - y).clamp(-delta, delta) / n);
        Ok(())
    }
    // ANCHOR_END: huber_gradient
}
// ANCHOR_END: huber

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn is_mse_like_inside_delta_and_mae_like_outside() {
        let huber = Huber::new(2.0).unwrap();
        let target = array![[0.0]];
        let at = |y_hat: f64| huber.value(array![[y_hat]].view(), target.view()).unwrap();
        // inside: ½a², the same as half of MSE
        assert_eq!(at(1.5), 0.5 * 1.5 * 1.5);
        // outside: δ(|a| − ½δ) grows by δ per unit of error
        assert_eq!(at(-7.0) - at(-6.0), 2.0);
        // the branches meet: value continuous at |a| = δ
        assert!((at(2.0) - huber.delta() * (2.0 - 0.5 * 2.0)).abs() < 1e-15);
    }

    #[test]
    fn gradient_is_continuous_across_delta() {
        let huber = Huber::new(0.5).unwrap();
        let target = array![[1.0]];
        let grad_at = |y_hat: f64| {
            huber
                .gradient(array![[y_hat]].view(), target.view())
                .unwrap()[[0, 0]]
        };
        let eps = 1e-9;
        assert!((grad_at(1.5 - eps) - grad_at(1.5 + eps)).abs() < 1e-8);
        assert_eq!(grad_at(1.5 + eps), 0.5);
        assert_eq!(grad_at(0.0), -0.5);
    }

    #[test]
    fn default_is_pytorchs_delta_one() {
        assert_eq!(Huber::default(), Huber::new(1.0).unwrap());
    }
}
