//! The lecture's approximation of GELU through the sigmoid.

use crate::{Activation, sigmoid};

/// GELU approximated as $x\,\sigma(1.702x)$ — the lecture's formula — as an
/// [`Activation`].
///
/// $$\mathrm{GELU}(x) \approx x \cdot \sigma(1.702 x),
/// \qquad
/// \frac{d}{dx}\, x\,\sigma(1.702x) = \sigma(1.702x) + 1.702\,x\,\sigma(1.702x)\bigl(1 - \sigma(1.702x)\bigr).$$
///
/// It replaces the normal CDF $\Phi(x)$ of [`Gelu`](crate::Gelu) by the
/// sigmoid $\sigma(1.702x)$ (Hendrycks & Gimpel, 2016). The 1.702 is the
/// classical scale (Haley, 1952) that makes the logistic curve closest to
/// $\Phi$ in the worst case: $\max_x |\sigma(1.702x) - \Phi(x)| \approx
/// 0.0095$, and 1.70 or 1.71 do worse (test
/// `scale_1_702_is_the_best_fit_to_the_normal_cdf`). It costs one exponential
/// instead of an $\mathrm{erf}$, and the same form with slope 1 is SiLU
/// (Swish). The price: its largest distance from the exact GELU is
/// $\approx 0.0203$ at $x \approx \pm 2.27$ (measured in
/// `tests/identities.rs`, `gelu_approximations_stay_within_their_measured_error`),
/// about forty times that of [`GeluTanh`](crate::GeluTanh).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GeluSigmoid;

impl GeluSigmoid {
    /// The lecture's 1.702: the slope that makes $\sigma(1.702x)$ close to
    /// $\Phi(x)$.
    pub const SCALE: f64 = 1.702;
}

// ANCHOR: gelu_sigmoid
impl Activation for GeluSigmoid {
    #[inline]
    fn name(&self) -> &'static str {
        "gelu_sigmoid"
    }

    /// x·σ(1.702x)
    #[inline]
    fn forward(&self, x: f64) -> f64 {
        x * sigmoid(Self::SCALE * x)
    }

    /// s + 1.702·x·s·(1 − s) with s = σ(1.702x)
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        let s = sigmoid(Self::SCALE * x);
        // s(1 − s) is 0 once |x| > ~440, so multiplying it first keeps
        // 1.702·x (∞ for x near f64::MAX) from meeting it as ∞ · 0 = NaN
        s + x * (Self::SCALE * (s * (1.0 - s)))
    }
}
// ANCHOR_END: gelu_sigmoid

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        // (x, f(x), f'(x)): 0.5 at 0 like GELU; at 1, σ(1.702) ≈ 0.845796
        let s = sigmoid(1.702);
        let table = [
            (0.0, 0.0, 0.5),
            (1.0, s, s + 1.702 * s * (1.0 - s)),
            (-1.0, -(1.0 - s), (1.0 - s) - 1.702 * s * (1.0 - s)),
        ];
        for (x, f, d) in table {
            assert!((GeluSigmoid.forward(x) - f).abs() < 1e-15, "x = {x}");
            assert!((GeluSigmoid.derivative(x) - d).abs() < 1e-15, "x = {x}");
        }
        assert!((s - 0.845_795_765_932_821_2).abs() < 1e-15);
    }

    /// $\max_x |\sigma(ax) - \Phi(x)|$ on $[-8, 8]$, step $10^{-3}$.
    fn worst_cdf_gap(a: f64) -> f64 {
        (0..=16_000)
            .map(|i| -8.0 + i as f64 * 1e-3)
            .map(|x| (sigmoid(a * x) - 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn scale_1_702_is_the_best_fit_to_the_normal_cdf() {
        let best = worst_cdf_gap(GeluSigmoid::SCALE);
        assert!(
            (best - 0.009_486).abs() < 1e-5,
            "max |σ(1.702x) − Φ(x)| = {best}"
        );
        for a in [1.69, 1.70, 1.71, 1.72] {
            assert!(worst_cdf_gap(a) > best, "scale {a} fits better");
        }
    }

    #[test]
    fn product_order_avoids_infinity_times_zero() {
        let naive = |x: f64| {
            let s = sigmoid(1.702 * x);
            s + 1.702 * x * s * (1.0 - s)
        };
        assert!(naive(f64::MAX).is_nan());
        assert_eq!(GeluSigmoid.derivative(f64::MAX), 1.0);
        assert_eq!(GeluSigmoid.forward(f64::MAX), f64::MAX);
    }
}
