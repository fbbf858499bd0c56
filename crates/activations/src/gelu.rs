//! The Gaussian error linear unit, computed exactly with the error function.

use crate::Activation;
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI};

/// $1/\sqrt{2\pi}$, the peak of the standard normal density.
const FRAC_1_SQRT_2PI: f64 = 0.5 * FRAC_2_SQRT_PI * FRAC_1_SQRT_2;

/// $\Phi(x) = \tfrac12\left(1 + \mathrm{erf}(x/\sqrt2)\right)$, the standard
/// normal CDF, computed as $\tfrac12 \mathrm{erfc}(-x/\sqrt2)$.
///
/// The two forms are equal ($\mathrm{erfc} = 1 - \mathrm{erf}$), but for
/// $x \ll 0$ the first adds $1$ to $\mathrm{erf} \approx -1$ and loses every
/// digit: at $x = -10$ it gives 0 where $\Phi(-10) \approx 7.6 \cdot 10^{-24}$
/// (test `erfc_keeps_the_negative_tail`).
#[inline]
fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * FRAC_1_SQRT_2)
}

/// $\varphi(x) = \dfrac{e^{-x^2/2}}{\sqrt{2\pi}}$, the standard normal density.
#[inline]
fn normal_pdf(x: f64) -> f64 {
    // for |x| > 1.3e154, x² overflows to ∞ and e^{-∞} = 0: still correct
    FRAC_1_SQRT_2PI * (-0.5 * x * x).exp()
}

/// GELU (Gaussian Error Linear Unit), exact, as an [`Activation`].
///
/// $$\mathrm{GELU}(x) = x \cdot \frac{1}{2} \left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right) = x\,\Phi(x),
/// \qquad
/// \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x),$$
///
/// where $\mathrm{erf}$ is the Gauss error function, $\Phi$ the standard
/// normal CDF and $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$ its density. The input
/// is weighted by the probability that a standard normal variable is below
/// it: close to ReLU far from 0, but smooth, and slightly negative for
/// $x < 0$ (minimum $\approx -0.17$ at $x \approx -0.75$). The lecture names
/// it, with ReLU, as the usual choice for hidden layers.
///
/// The lecture adds that an approximation is used instead of
/// $\mathrm{erf}$; two are here: [`GeluSigmoid`](crate::GeluSigmoid) (the
/// lecture's $x\,\sigma(1.702x)$) and [`GeluTanh`](crate::GeluTanh). Today
/// both PyTorch (`approximate='none'`, the default) and this crate compute
/// $\mathrm{erf}$ itself, with a library routine ([`libm::erfc`]), which is
/// exact to the last few bits; the tests measure how far the approximations
/// are from it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Gelu;

// ANCHOR: gelu
impl Activation for Gelu {
    #[inline]
    fn name(&self) -> &'static str {
        "gelu"
    }

    /// x·Φ(x)
    #[inline]
    fn forward(&self, x: f64) -> f64 {
        x * normal_cdf(x)
    }

    /// Φ(x) + x·φ(x)
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        normal_cdf(x) + x * normal_pdf(x)
    }
}
// ANCHOR_END: gelu

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        // (x, GELU x, GELU' x), from mpmath at 50 digits
        let table = [
            (0.0, 0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9, 1.083_315_470_587_686_4),
            (-1.0, -0.158_655_253_931_457_05, -0.083_315_470_587_686_3),
            (-5.0, -1.433_257_859_395_969_5e-6, -7.146_946_001_792_295e-6),
            (
                -10.0,
                -7.619_853_024_160_526e-23,
                -7.618_400_096_464_814e-22,
            ),
        ];
        for (x, f, d) in table {
            let (got_f, got_d) = (Gelu.forward(x), Gelu.derivative(x));
            assert!(
                (got_f - f).abs() <= 4e-16 * f.abs().max(1e-300) + 1e-16,
                "GELU({x}) = {got_f}"
            );
            assert!(
                (got_d - d).abs() <= 4e-16 * d.abs().max(1e-300) + 1e-16,
                "GELU'({x}) = {got_d}"
            );
        }
    }

    #[test]
    fn erfc_keeps_the_negative_tail() {
        let x = -10.0;
        let with_erf = x * 0.5 * (1.0 + libm::erf(x * FRAC_1_SQRT_2));
        assert_eq!(with_erf, 0.0); // every digit cancelled
        let exact = -7.619_853_024_160_526e-23;
        assert!(((Gelu.forward(x) - exact) / exact).abs() < 1e-13);
        // where nothing cancels the two forms agree to rounding
        for x in [-2.0, -0.3, 0.0, 0.8, 3.0] {
            let with_erf = x * 0.5 * (1.0 + libm::erf(x * FRAC_1_SQRT_2));
            assert!((Gelu.forward(x) - with_erf).abs() < 1e-15, "x = {x}");
        }
    }

    #[test]
    fn tends_to_relu_far_from_zero() {
        assert_eq!(Gelu.forward(40.0), 40.0);
        assert_eq!(Gelu.derivative(40.0), 1.0);
        assert_eq!(Gelu.forward(-40.0), 0.0);
        assert_eq!(Gelu.derivative(-40.0), 0.0);
    }
}
