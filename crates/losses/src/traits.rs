//! The shape every loss has: a value and its gradient.

use crate::LossError;
use ndarray::{Array2, ArrayView2, ArrayViewMut2};

/// A loss $\mathcal{L}(\hat y, y)$ over a batch, with its gradient
/// $\partial \mathcal{L} / \partial \hat y$.
///
/// `pred` is the network's output ($\hat y$, probabilities $p$ or logits $z$
/// depending on the loss) and `target` the true values $y$; both are
/// `n × k`. Bad input — different shapes, an empty batch, NaN, a probability
/// outside $[0, 1]$ — is a [`LossError`], never a panic or a NaN.
pub trait Loss {
    /// The name under which the loss is chosen in configs and the CLI.
    fn name(&self) -> &'static str;

    /// $\mathcal{L}(\hat y, y)$, reduced over the batch as the loss's docs say.
    fn value(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<f64, LossError>;

    /// Writes $\partial \mathcal{L} / \partial \hat y$ into `grad` (same shape
    /// as `pred`), so a training loop can reuse one buffer for every batch.
    fn gradient_into(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
        grad: ArrayViewMut2<'_, f64>,
    ) -> Result<(), LossError>;

    /// $\partial \mathcal{L} / \partial \hat y$ as a new array.
    fn gradient(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>, LossError> {
        let mut grad = Array2::zeros(pred.raw_dim());
        self.gradient_into(pred, target, grad.view_mut())?;
        Ok(grad)
    }

    /// The value, with the gradient written into `grad`: what one training
    /// step needs.
    ///
    /// The provided version simply calls [`gradient_into`](Self::gradient_into)
    /// and [`value`](Self::value). A loss whose value and gradient share work
    /// (softmax in [`CrossEntropyWithLogits`](crate::CrossEntropyWithLogits))
    /// overrides it to do that work once.
    fn value_and_gradient_into(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
        grad: ArrayViewMut2<'_, f64>,
    ) -> Result<f64, LossError> {
        self.gradient_into(pred, target, grad)?;
        self.value(pred, target)
    }

    /// The value and the gradient as a new array.
    fn value_and_gradient(
        &self,
        pred: ArrayView2<'_, f64>,
        target: ArrayView2<'_, f64>,
    ) -> Result<(f64, Array2<f64>), LossError> {
        let mut grad = Array2::zeros(pred.raw_dim());
        let value = self.value_and_gradient_into(pred, target, grad.view_mut())?;
        Ok((value, grad))
    }
}
