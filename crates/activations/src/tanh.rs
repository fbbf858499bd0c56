//! The hyperbolic tangent.

use crate::Activation;

/// The hyperbolic tangent as an [`Activation`].
///
/// $$\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}, \qquad \tanh'(x) = 1 - \tanh^2(x).$$
///
/// Values lie in $(-1, 1)$ and $\tanh(0) = 0$, so, unlike the sigmoid, the
/// outputs are **centred at zero**. The lecture's caveat: already at
/// $|x| > 2$ the function is close to $\pm 1$ ($\tanh'(2) \approx 0.071$),
/// which makes **gradients vanish**. The lecture notes its use in recurrent
/// networks.
///
/// It is a rescaled sigmoid, $\tanh(x) = 2\sigma(2x) - 1$ (test
/// `tanh_is_a_rescaled_sigmoid`), so it shares the sigmoid's saturation.
///
/// The formula is not computed as written: at $x = 710$ both $e^{x}$ and the
/// denominator overflow and $\infty / \infty$ is NaN. [`f64::tanh`] is exact
/// to the last bit and simply returns $\pm 1$ there (test
/// `literal_formula_overflows_but_tanh_does_not`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tanh;

// ANCHOR: tanh
impl Activation for Tanh {
    #[inline]
    fn name(&self) -> &'static str {
        "tanh"
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        x.tanh()
    }

    /// tanh′(x) = 1 − tanh²(x)
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        let t = x.tanh();
        1.0 - t * t
    }
}
// ANCHOR_END: tanh

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        // (x, tanh x, tanh' x)
        let table = [
            (0.0, 0.0, 1.0),
            (1.0, 0.761_594_155_955_764_9, 0.419_974_341_614_026_14),
            (-2.0, -0.964_027_580_075_816_9, 0.070_650_824_853_164_43),
            (1e3, 1.0, 0.0),
        ];
        for (x, f, d) in table {
            assert!((Tanh.forward(x) - f).abs() < 1e-15, "tanh({x})");
            assert!((Tanh.derivative(x) - d).abs() < 1e-15, "tanh'({x})");
        }
    }

    #[test]
    fn odd_and_zero_centred() {
        for x in [0.1, 0.7, 2.5, 30.0] {
            assert_eq!(Tanh.forward(-x), -Tanh.forward(x));
            assert_eq!(Tanh.derivative(-x), Tanh.derivative(x));
        }
    }

    #[test]
    fn literal_formula_overflows_but_tanh_does_not() {
        let literal = |x: f64| (x.exp() - (-x).exp()) / (x.exp() + (-x).exp());
        assert!(literal(710.0).is_nan());
        assert_eq!(Tanh.forward(710.0), 1.0);
        assert_eq!(Tanh.derivative(710.0), 0.0);
    }
}
