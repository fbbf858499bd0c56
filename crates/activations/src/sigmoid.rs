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
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The lecture's formula taken literally, $\dfrac{1}{1 + e^{x}}$ — kept only
/// to show that it is $1 - \sigma(x) = \sigma(-x)$, not the sigmoid.
pub fn sigmoid_as_written_in_lecture(x: f64) -> f64 {
    sigmoid(-x)
}

/// The sigmoid as an [`Activation`].
///
/// $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,(1 - \sigma(x)).$$
///
/// Values lie in $(0, 1)$, which suits a probability. The lecture's caveats:
/// gradients vanish for large $|x|$ ($\sigma'(x) \le \tfrac14$ and
/// $\sigma'(\pm 10) \approx 4.5 \cdot 10^{-5}$), and the mean is not at 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sigmoid;

impl Activation for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }

    fn forward(&self, x: f64) -> f64 {
        sigmoid(x)
    }

    fn derivative(&self, x: f64) -> f64 {
        let s = sigmoid(x);
        s * (1.0 - s)
    }
}

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
