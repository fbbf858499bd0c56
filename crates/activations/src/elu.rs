//! The exponential linear unit.

use crate::{Activation, ActivationError, error::finite_alpha};

/// ELU (Exponential Linear Unit) as an [`Activation`].
///
/// $$\mathrm{ELU}(x) = \begin{cases}\alpha (e^x - 1), & x < 0, \\ x, & x \ge 0,\end{cases}
/// \qquad
/// \mathrm{ELU}'(x) = \begin{cases}\alpha e^x, & x \le 0, \\ 1, & x > 0.\end{cases}$$
///
/// Like [`LeakyRelu`](crate::LeakyRelu), ELU keeps a gradient for negative
/// inputs, so neurons do not die; unlike it, the negative side is smooth and
/// **saturates** at $-\alpha$, which pushes the mean activation towards 0
/// (Clevert et al., 2015). For $x < 0$ the derivative is also
/// $\mathrm{ELU}(x) + \alpha$.
///
/// **Уточнение (correction 6).** The lecture writes "$\alpha \ll 1$", as for
/// Leaky ReLU. The usual choice is $\alpha = 1$: it is the value of the paper
/// that introduced ELU (Clevert, Unterthiner, Hochreiter, 2015) and PyTorch's
/// default, and it is the only one for which ELU has a continuous
/// derivative at 0 (left slope $\alpha$, right slope 1). A small $\alpha$ is
/// Leaky ReLU's habit. So [`Elu::default`] has $\alpha = 1$ (test
/// `default_is_alpha_one_as_in_pytorch`, which compares with
/// `torch.nn.functional.elu` called without `alpha`).
///
/// **At $x = 0$** (a kink when $\alpha \ne 1$) we return $\alpha$, the left
/// slope, as PyTorch's autograd does (its backward takes the $x \le 0$
/// branch); test `kink_follows_pytorch`.
///
/// $e^x - 1$ is computed with [`f64::exp_m1`], which keeps full precision
/// near 0 where $e^x \approx 1$ would cancel. Any finite $\alpha$ is
/// accepted, as in PyTorch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Elu {
    // crate-visible so that `ActivationKind` can rebuild it without re-checking
    pub(crate) alpha: f64,
}

impl Elu {
    /// $\alpha = 1$: Clevert et al. (2015) and PyTorch's default.
    pub const DEFAULT_ALPHA: f64 = 1.0;

    /// ELU with scale `alpha` for $x < 0$.
    ///
    /// # Panics
    ///
    /// If `alpha` is NaN or infinite. Use [`Elu::try_new`] for a value that
    /// comes from a user or a file.
    #[track_caller]
    pub fn new(alpha: f64) -> Self {
        Self::try_new(alpha).unwrap_or_else(|e| panic!("{e}; use Elu::try_new for untrusted input"))
    }

    /// ELU with scale `alpha`, or [`ActivationError::InvalidAlpha`] if it is
    /// NaN or infinite.
    pub fn try_new(alpha: f64) -> Result<Self, ActivationError> {
        Ok(Self {
            alpha: finite_alpha("elu", alpha)?,
        })
    }

    /// The scale $\alpha$ of the negative side (ELU tends to $-\alpha$).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
}

impl Default for Elu {
    /// $\alpha = 1$ ([`Elu::DEFAULT_ALPHA`]); see correction 6 above.
    fn default() -> Self {
        Self {
            alpha: Self::DEFAULT_ALPHA,
        }
    }
}

// ANCHOR: elu
impl Activation for Elu {
    #[inline]
    fn name(&self) -> &'static str {
        "elu"
    }

    /// α·(eˣ − 1) for x < 0, else x
    #[inline]
    fn forward(&self, x: f64) -> f64 {
        if x < 0.0 { self.alpha * x.exp_m1() } else { x }
    }

    /// α·eˣ for x ≤ 0 (the kink included, as in PyTorch), else 1
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        if x > 0.0 { 1.0 } else { self.alpha * x.exp() }
    }
}
// ANCHOR_END: elu

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::{assert_all_close, reference};

    #[test]
    fn values_and_slopes_at_known_points() {
        let elu = Elu::default();
        let half = Elu::new(0.5);
        // (activation, x, f(x), f'(x))
        let table = [
            (elu, 2.0, 2.0, 1.0),
            (
                elu,
                -1.0,
                -0.632_120_558_828_557_7,
                0.367_879_441_171_442_33,
            ),
            (
                half,
                -1.0,
                -0.316_060_279_414_278_83,
                0.183_939_720_585_721_17,
            ),
            (elu, -1e3, -1.0, 0.0),
            (half, -1e3, -0.5, 0.0),
        ];
        for (f, x, value, slope) in table {
            assert!((f.forward(x) - value).abs() < 1e-15, "{f:?} at {x}");
            assert!((f.derivative(x) - slope).abs() < 1e-15, "{f:?}' at {x}");
        }
    }

    #[test]
    fn default_is_alpha_one_as_in_pytorch() {
        // correction 6: not "α ≪ 1"
        assert_eq!(Elu::default().alpha(), 1.0);
        // `elu` in the reference file is torch.nn.functional.elu(x) with no alpha
        let json = reference::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/reference/activations.json"
        ));
        let case = &json["activations"]["elu"];
        assert_eq!(case["torch_call"], "torch.nn.functional.elu(x)");
        let x = reference::floats(&case["x"], "elu.x");
        let f: Vec<f64> = x.iter().map(|&x| Elu::default().forward(x)).collect();
        let d: Vec<f64> = x.iter().map(|&x| Elu::default().derivative(x)).collect();
        assert_all_close(
            &f,
            &reference::floats(&case["forward"], "elu.forward"),
            "elu",
        );
        assert_all_close(
            &d,
            &reference::floats(&case["derivative"], "elu.derivative"),
            "elu'",
        );
    }

    #[test]
    fn alpha_one_is_smooth_at_zero_and_other_alphas_are_not() {
        let left = |f: Elu| f.derivative(-1e-12);
        let right = |f: Elu| f.derivative(1e-12);
        assert!((left(Elu::default()) - right(Elu::default())).abs() < 1e-11);
        assert!((left(Elu::new(0.1)) - right(Elu::new(0.1))).abs() > 0.8);
    }

    #[test]
    fn kink_follows_pytorch() {
        // torch.nn.functional.elu(x, alpha=0.5) at x = 0 has grad 0.5
        assert_eq!(Elu::new(0.5).derivative(0.0), 0.5);
        assert_eq!(Elu::new(0.5).forward(0.0), 0.0);
    }

    #[test]
    fn exp_m1_keeps_precision_near_zero() {
        let x: f64 = -1e-10;
        let naive = x.exp() - 1.0;
        let exact = -9.999_999_999_5e-11; // x + x²/2
        assert!((Elu::default().forward(x) - exact).abs() < 1e-25);
        assert!((naive - exact).abs() > 1e-18);
    }

    #[test]
    fn non_finite_alpha_is_an_error() {
        let err = Elu::try_new(f64::INFINITY).unwrap_err();
        assert_eq!(
            err,
            ActivationError::InvalidAlpha {
                activation: "elu",
                alpha: f64::INFINITY
            }
        );
        assert_eq!(err.to_string(), "elu: alpha = inf is not a finite number");
    }

    #[test]
    #[should_panic(expected = "use Elu::try_new")]
    fn new_panics_on_nan_and_points_to_try_new() {
        Elu::new(f64::NAN);
    }
}
