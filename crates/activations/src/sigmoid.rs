//! The logistic sigmoid.

use crate::Activation;

/// $\sigma(x) = \dfrac{1}{1 + e^{-x}}$, computed without overflow for either sign.
///
/// For $x \ge 0$ the formula is used as written ($e^{-x} \le 1$). For
/// $x < 0$, $e^{-x}$ would overflow at $x < -709$, so the same value is
/// computed as $\dfrac{e^{x}}{1 + e^{x}}$, where $e^{x} \le 1$.
///
/// **Исправление (correction 1).** The lecture writes
/// $\sigma(x) = \frac{1}{1 + e^{x}}$. That function is *decreasing* and
/// equals $1 - \sigma(x)$: it gives the probability of the other class. See
/// [`sigmoid_as_written_in_lecture`] and the test
/// `lecture_sigmoid_is_one_minus_sigma`.
#[inline]
// ANCHOR: sigmoid_fn
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        // σ(x) = 1 / (1 + e⁻ˣ), as written: e⁻ˣ ≤ 1
        1.0 / (1.0 + (-x).exp())
    } else {
        // e⁻ˣ would overflow for x < −709; eˣ / (1 + eˣ) is the same σ(x)
        let e = x.exp();
        e / (1.0 + e)
    }
}
// ANCHOR_END: sigmoid_fn

/// The lecture's formula taken literally, $\dfrac{1}{1 + e^{x}}$ — kept only
/// to show that it is $1 - \sigma(x) = \sigma(-x)$, not the sigmoid.
#[inline]
pub fn sigmoid_as_written_in_lecture(x: f64) -> f64 {
    sigmoid(-x)
}

/// The sigmoid as an [`Activation`].
///
/// $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,(1 - \sigma(x)).$$
///
/// Values lie in $(0, 1)$, which suits a probability (the lecture puts it on
/// the output layer for binary classification). The lecture's caveats:
///
/// - **gradients vanish** for large $|x|$: $\sigma'(x) \le \tfrac14$ (the
///   maximum, at 0), and $\sigma'(\pm 10) \approx 4.5 \cdot 10^{-5}$; through
///   $L$ layers the chain rule multiplies $L$ such factors;
/// - **the mean is not at 0**: every output is positive, so the next layer's
///   inputs are all of one sign (compare [`Tanh`](crate::Tanh)).
///
/// The derivative reuses the value, $\sigma' = \sigma(1 - \sigma)$, so
/// backprop needs no second exponential.
///
/// **Исправление (correction 1)**: the lecture's $\frac{1}{1 + e^{x}}$ is
/// $1 - \sigma(x)$; see [`sigmoid`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sigmoid;

// ANCHOR: sigmoid
impl Activation for Sigmoid {
    #[inline]
    fn name(&self) -> &'static str {
        "sigmoid"
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        sigmoid(x)
    }

    /// σ′(x) = σ(x)·(1 − σ(x))
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        let s = sigmoid(x);
        s * (1.0 - s)
    }
}
// ANCHOR_END: sigmoid

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_sigmoid_is_one_minus_sigma() {
        for x in [-30.0, -2.0, -0.5, 0.0, 0.3, 4.0, 25.0] {
            let written = sigmoid_as_written_in_lecture(x);
            assert!((written - (1.0 - sigmoid(x))).abs() < 1e-15, "x = {x}");
            // and directly from the lecture's expression where it is finite
            assert!((written - 1.0 / (1.0 + f64::exp(x))).abs() < 1e-15);
        }
        // the written one decreases: a larger score gives a smaller "probability"
        assert!(sigmoid_as_written_in_lecture(2.0) < sigmoid_as_written_in_lecture(1.0));
        assert!(sigmoid(2.0) > sigmoid(1.0));
    }

    #[test]
    fn sigmoid_is_finite_and_exact_at_the_extremes() {
        for x in [1e3, -1e3, 1e300, -1e300, f64::MAX, f64::MIN] {
            let s = sigmoid(x);
            assert!(s.is_finite() && (0.0..=1.0).contains(&s), "σ({x}) = {s}");
            let d = Sigmoid.derivative(x);
            assert!(d.is_finite() && d >= 0.0, "σ'({x}) = {d}");
        }
        assert_eq!(sigmoid(1e3), 1.0);
        assert_eq!(sigmoid(-1e3), 0.0);
        // in the far negative tail the value is tiny but not flushed early
        assert!(sigmoid(-700.0) > 0.0);
    }
}
