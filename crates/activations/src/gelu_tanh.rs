//! GELU approximated through tanh, as PyTorch's `approximate='tanh'`.

use crate::Activation;
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI};

/// GELU approximated through $\tanh$ (Hendrycks & Gimpel, 2016; PyTorch's
/// `gelu(x, approximate='tanh')`, used by GPT-2 and BERT), as an
/// [`Activation`].
///
/// $$\mathrm{GELU}(x) \approx \frac{x}{2}\left(1 + \tanh u\right),
/// \qquad u = \sqrt{2/\pi}\,\left(x + 0.044715\,x^3\right),$$
/// $$\frac{d}{dx} = \frac12 (1 + \tanh u) + \frac{x}{2}\,(1 - \tanh^2 u)\,\sqrt{2/\pi}\,\left(1 + 3 \cdot 0.044715\,x^2\right).$$
///
/// Its largest distance from the exact [`Gelu`](crate::Gelu) is
/// $\approx 4.7 \cdot 10^{-4}$ at $x \approx \pm 2.70$ (measured in
/// `tests/identities.rs`), forty times closer than the lecture's
/// [`GeluSigmoid`](crate::GeluSigmoid).
///
/// **Large $|x|$.** $x^3$ overflows for $|x| > 5.6 \cdot 10^{102}$ and $x^2$
/// for $|x| > 1.3 \cdot 10^{154}$; the forward pass survives ($u = \pm\infty$,
/// $\tanh u = \pm 1$), but in the derivative $(1 - \tanh^2 u) \cdot x^2$
/// becomes $0 \cdot \infty = $ NaN — which is what PyTorch returns at
/// $x = 10^{300}$. So for $|x| > 10$ the derivative returns its limit, 1 or
/// 0. Already beyond $|x| \approx 7.2$, $\tanh u$ is $\pm 1$ to the last bit
/// and the formula itself gives exactly 1 or 0 (measured), so the branch changes no
/// value that the formula could compute (test `large_x_branch_is_seamless`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GeluTanh;

impl GeluTanh {
    /// $\sqrt{2/\pi} = \frac{2}{\sqrt\pi} \cdot \frac{1}{\sqrt2}$.
    pub const SQRT_2_OVER_PI: f64 = FRAC_2_SQRT_PI * FRAC_1_SQRT_2;
    /// The cubic coefficient 0.044715.
    pub const KAPPA: f64 = 0.044715;
    /// Beyond this $|x|$ the derivative is returned as its limit (1 or 0).
    const LARGE_X: f64 = 10.0;

    /// The derivative's formula as written, without the large-$|x|$ branch.
    #[inline]
    fn derivative_formula(x: f64) -> f64 {
        let u = Self::SQRT_2_OVER_PI * (x + Self::KAPPA * x * x * x);
        let du_dx = Self::SQRT_2_OVER_PI * (1.0 + 3.0 * Self::KAPPA * x * x);
        let t = u.tanh();
        0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du_dx
    }
}

// ANCHOR: gelu_tanh
impl Activation for GeluTanh {
    #[inline]
    fn name(&self) -> &'static str {
        "gelu_tanh"
    }

    /// (x/2)·(1 + tanh u), u = √(2/π)·(x + 0.044715x³)
    #[inline]
    fn forward(&self, x: f64) -> f64 {
        let u = Self::SQRT_2_OVER_PI * (x + Self::KAPPA * x * x * x);
        0.5 * x * (1.0 + u.tanh())
    }

    /// ½(1 + tanh u) + (x/2)·(1 − tanh² u)·u′(x), or its limit for |x| > 10
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        if x > Self::LARGE_X {
            1.0
        } else if x < -Self::LARGE_X {
            0.0
        } else {
            Self::derivative_formula(x)
        }
    }
}
// ANCHOR_END: gelu_tanh

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        // (x, f(x), f'(x)) from torch.nn.functional.gelu(x, approximate='tanh')
        let table = [
            (0.0, 0.0, 0.5),
            (1.0, 0.841_191_990_608_276_8, 1.082_964_083_845_782_6),
            (-2.0, -0.045_402_305_912_224_94, -0.086_099_256_623_618_3),
        ];
        for (x, f, d) in table {
            assert!((GeluTanh.forward(x) - f).abs() < 1e-15, "x = {x}");
            assert!((GeluTanh.derivative(x) - d).abs() < 1e-15, "x = {x}");
        }
    }

    #[test]
    fn large_x_branch_is_seamless() {
        // the formula is already exactly 1 / 0 well before the branch starts
        let mut x = 7.21;
        while x <= GeluTanh::LARGE_X {
            assert_eq!(GeluTanh::derivative_formula(x), 1.0, "x = {x}");
            assert_eq!(GeluTanh::derivative_formula(-x), 0.0, "x = {x}");
            x += 0.01;
        }
        // ...and it is NaN where the branch is needed
        assert!(GeluTanh::derivative_formula(1e300).is_nan());
        assert_eq!(GeluTanh.derivative(1e300), 1.0);
        assert_eq!(GeluTanh.derivative(-1e300), 0.0);
    }

    #[test]
    fn forward_survives_overflowing_cube() {
        assert_eq!(GeluTanh.forward(1e200), 1e200);
        assert_eq!(GeluTanh.forward(-1e200), 0.0);
        assert_eq!(GeluTanh.forward(f64::MAX), f64::MAX);
    }
}
