//! The rectified linear unit.

use crate::Activation;

/// ReLU (Rectified Linear Unit) as an [`Activation`].
///
/// $$\mathrm{ReLU}(x) = \begin{cases}0, & x < 0, \\ x, & x \ge 0,\end{cases}
/// \qquad
/// \mathrm{ReLU}'(x) = \begin{cases}0, & x \le 0, \\ 1, & x > 0.\end{cases}$$
///
/// For $x > 0$ the slope is 1, so the gradient passes through unchanged and
/// does not fade the way the sigmoid's does. The lecture's caveat, the
/// **dead ReLU**: where the pre-activation is negative the gradient is
/// exactly 0, and a neuron whose $z = w x + b$ is negative for every input
/// never gets a gradient again, so its weights stop updating.
/// [`LeakyRelu`](crate::LeakyRelu) and [`Elu`](crate::Elu) keep a slope there.
///
/// **At the kink** $x = 0$ ReLU has no derivative (the left slope is 0, the
/// right one 1). Like PyTorch's autograd we return $\mathrm{ReLU}'(0) = 0$
/// (test `kink_follows_pytorch`; the reference grid in `tests/reference.rs`
/// includes 0).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Relu;

// ANCHOR: relu
impl Activation for Relu {
    #[inline]
    fn name(&self) -> &'static str {
        "relu"
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        // written as the lecture's cases; `x.max(0.0)` would turn NaN into 0
        if x < 0.0 { 0.0 } else { x }
    }

    /// 1 for x > 0, else 0 — so 0 at the kink, as in PyTorch
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        if x > 0.0 { 1.0 } else { 0.0 }
    }
}
// ANCHOR_END: relu

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        // (x, ReLU x, ReLU' x)
        let table = [
            (-3.0, 0.0, 0.0),
            (-1e-300, 0.0, 0.0),
            (0.0, 0.0, 0.0),
            (1e-300, 1e-300, 1.0),
            (2.5, 2.5, 1.0),
        ];
        for (x, f, d) in table {
            assert_eq!(Relu.forward(x), f, "ReLU({x})");
            assert_eq!(Relu.derivative(x), d, "ReLU'({x})");
        }
    }

    #[test]
    fn kink_follows_pytorch() {
        // torch.relu(torch.tensor(0., requires_grad=True)).backward() → grad 0
        assert_eq!(Relu.derivative(0.0), 0.0);
        assert_eq!(Relu.derivative(-0.0), 0.0);
    }

    #[test]
    fn dead_neuron_gets_no_gradient() {
        // every pre-activation negative: the chain rule multiplies by 0
        let z = [-0.3, -2.0, -7.5];
        let upstream = 1.0;
        assert!(z.iter().all(|&z| upstream * Relu.derivative(z) == 0.0));
    }

    #[test]
    fn nan_is_not_hidden() {
        assert!(Relu.forward(f64::NAN).is_nan());
    }
}
