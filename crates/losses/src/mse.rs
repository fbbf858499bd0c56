//! Mean squared error.

use crate::validate::{self, Inputs};
use crate::{Loss, LossError};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Mean squared error, the lecture's MSE:
///
/// $$\mathcal{L}_\mathrm{MSE}(y, \hat y) = \frac{1}{n} \sum_{i = 1}^n (y_i - \hat y_i)^2,$$
///
/// where the sum runs over every entry of the `n × k` batch and $n$ in the
/// formula is their number, $n \cdot k$ (PyTorch's `MSELoss()`, default
/// `reduction='mean'`).
///
/// **When to use** (the lecture): regression. Squaring makes large errors
/// count much more than small ones, so a few outliers can dominate the
/// loss; [`Mae`](crate::Mae) and [`Huber`](crate::Huber) are less sensitive to them.
///
/// **Gradient.** The inner derivative of $y_i - \hat y_i$ with respect to
/// $\hat y_i$ is $-1$, so
///
/// $$\frac{\partial \mathcal{L}}{\partial \hat y_i} = -\frac{2}{n} (y_i - \hat y_i) = \frac{2}{n} (\hat y_i - y_i).$$
///
/// **Исправление (correction 3).** For $\mathcal{L} = \frac12 (y - \hat y)^2$
/// the lecture writes $\frac{\partial \mathcal{L}}{\partial \hat y} = (y - \hat y)$,
/// forgetting that inner $-1$; the derivative is $\hat y - y$. With the
/// lecture's sign a step $\hat y - \eta \cdot \text{grad}$ moves the
/// prediction *away* from the target and the loss grows — the test
/// `lecture_sign_climbs_the_loss` below shows it.
///
/// ```
/// use losses::{Loss, Mse};
/// use ndarray::array;
/// let (pred, target) = (array![[1.0, 2.0]], array![[0.0, 4.0]]);
/// assert_eq!(Mse.value(pred.view(), target.view())?, (1.0 + 4.0) / 2.0);
/// assert_eq!(Mse.gradient(pred.view(), target.view())?, array![[1.0, -2.0]]);
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mse;

// ANCHOR: mse
impl Loss for Mse {
    fn name(&self) -> &'static str {
        "mse"
    }

    // ANCHOR: mse_value
    fn value(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<f64, LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        let n = pred.len() as f64;
        // (1/n)·Σᵢ (yᵢ − ŷᵢ)²
        let sum = Zip::from(&pred)
            .and(&target)
            .fold(0.0, |acc, &y_hat, &y| acc + (y - y_hat).powi(2));
        Ok(sum / n)
    }
    // ANCHOR_END: mse_value

    // ANCHOR: mse_gradient
    fn gradient_into(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
        mut grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError> {
        validate::inputs(pred, target, Inputs::Real)?;
        validate::gradient_buffer(&grad, pred)?;
        let n = pred.len() as f64;
        // (2/n)·(ŷᵢ − yᵢ)
        Zip::from(&mut grad)
            .and(&pred)
            .and(&target)
            .for_each(|g, &y_hat, &y| *g = 2.0 * (y_hat - y) / n);
        Ok(())
    }
    // ANCHOR_END: mse_gradient
}
// ANCHOR_END: mse

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn averages_over_all_entries() {
        // two samples, two outputs: residuals 1, −1, 2, 0 → (1 + 1 + 4 + 0) / 4
        let pred = array![[1.0, 2.0], [3.0, 4.0]];
        let target = array![[0.0, 3.0], [1.0, 4.0]];
        assert_eq!(Mse.value(pred.view(), target.view()), Ok(1.5));
        let grad = Mse.gradient(pred.view(), target.view()).unwrap();
        assert_eq!(grad, array![[0.5, -0.5], [1.0, 0.0]]);
    }

    /// Correction 3: the lecture's $\partial \mathcal{L} / \partial \hat y = y - \hat y$
    /// has the wrong sign. One step along minus that "gradient" raises the
    /// loss; the same step along minus ours lowers it.
    #[test]
    fn lecture_sign_climbs_the_loss() {
        let (y, y_hat, eta) = (1.0, 0.3, 0.1);
        let half_squared = |y_hat: f64| 0.5 * (y - y_hat) * (y - y_hat);
        let lecture = y - y_hat;
        let correct = y_hat - y;
        assert!(half_squared(y_hat - eta * lecture) > half_squared(y_hat));
        assert!(half_squared(y_hat - eta * correct) < half_squared(y_hat));
        // and ours is what finite differences say
        let numeric = gradcheck::derivative(half_squared, y_hat);
        assert!(gradcheck::relative_error(correct, numeric) < gradcheck::GOOD);
        // Mse on a single entry is twice ½(y − ŷ)², so its gradient is 2(ŷ − y)
        let grad = Mse
            .gradient(array![[y_hat]].view(), array![[y]].view())
            .unwrap();
        assert!((grad[[0, 0]] - 2.0 * correct).abs() < 1e-15);
    }
}
