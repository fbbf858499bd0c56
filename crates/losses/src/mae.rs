//! Mean absolute error.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Mean absolute error, the lecture's MAE:
///
/// $$\mathcal{L}_\mathrm{MAE}(y, \hat y) = \frac{1}{n} \sum_{i = 1}^n \lvert y_i - \hat y_i \rvert,$$
///
/// averaged, like [`Mse`](crate::Mse), over all $n \cdot k$ entries of the
/// batch (PyTorch's `L1Loss()`).
///
/// **When to use** (the lecture): regression. Every unit of error costs the
/// same, so outliers weigh far less than under MSE; the price is a gradient
/// of constant size that does not shrink as the prediction gets close.
///
/// **Gradient.**
///
/// $$\frac{\partial \mathcal{L}}{\partial \hat y_i} = \frac{1}{n} \operatorname{sign}(\hat y_i - y_i),$$
///
/// which does not exist at $\hat y_i = y_i$ (the kink of $\lvert a \rvert$).
/// There we return $0$, as PyTorch does: $0$ is a valid subgradient, and a
/// prediction that is exactly right should not be pushed.
///
/// ```
/// use losses::{Loss, Mae};
/// use ndarray::array;
/// let (pred, target) = (array![[1.0, 2.0, 3.0]], array![[0.0, 4.0, 3.0]]);
/// assert_eq!(Mae.value(pred.view(), target.view())?, (1.0 + 2.0 + 0.0) / 3.0);
/// let third = 1.0 / 3.0;
/// assert_eq!(Mae.gradient(pred.view(), target.view())?, array![[third, -third, 0.0]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mae;

/// $\operatorname{sign}(x)$ with $\operatorname{sign}(0) = 0$ (Rust's
/// `f64::signum` gives $\pm 1$ at $\pm 0$).
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

// ANCHOR: mae
impl Loss for Mae {
    fn name(&self) -> &'static str {
        "mae"
    }

    // ANCHOR: mae_value
    fn value(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<f64, LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        let n = pred.len() as f64;
        // (1/n)·Σᵢ |yᵢ − ŷᵢ|
        let sum = Zip::from(&pred)
            .and(&target)
            .fold(0.0, |acc, &y_hat, &y| acc + (y - y_hat).abs());
        Ok(sum / n)
    }
    // ANCHOR_END: mae_value

    // ANCHOR: mae_gradient
    fn gradient_into(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        validate::gradient_buffer(&grad, pred)?;
        let n = pred.len() as f64;
        // sign(ŷᵢ − yᵢ)/n, 0 at the kink
        Zip::from(&mut grad)
            .and(&pred)
            .and(&target)
            .for_each(|g, &y_hat, &y| *g = sign(y_hat - y) / n);
        Ok(())
    }
    // ANCHOR_END: mae_gradient
}
// ANCHOR_END: mae

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn gradient_is_zero_exactly_at_the_kink_and_plus_minus_one_over_n_elsewhere() {
        let pred = array![[2.0], [-1.0], [0.5], [0.0]];
        let target = array![[2.0], [1.0], [0.0], [-0.0]];
        let grad = Mae.gradient(pred.view(), target.view()).unwrap();
        assert_eq!(grad, array![[0.0], [-0.25], [0.25], [0.0]]);
        assert_eq!(Mae.value(pred.view(), target.view()), Ok((2.0 + 0.5) / 4.0));
    }

    #[test]
    fn an_outlier_costs_linearly_not_quadratically() {
        let target = array![[0.0, 0.0, 0.0, 0.0]];
        let small = array![[1.0, 1.0, 1.0, 1.0]];
        let outlier = array![[0.0, 0.0, 0.0, 4.0]];
        // same total absolute error, so the same MAE ...
        assert_eq!(
            Mae.value(small.view(), target.view()),
            Mae.value(outlier.view(), target.view())
        );
        // ... while MSE is four times larger for the outlier
        let mse = |p: &ndarray::Array2<f64>| crate::Mse.value(p.view(), target.view()).unwrap();
        assert_eq!(mse(&outlier), 4.0 * mse(&small));
    }
}
