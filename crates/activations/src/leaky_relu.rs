//! ReLU with a small slope for negative inputs.

use crate::{Activation, ActivationError, error::finite_alpha};

/// Leaky ReLU as an [`Activation`].
///
/// $$\mathrm{LeakyReLU}(x) = \begin{cases}\alpha x, & x < 0, \\ x, & x \ge 0,\end{cases}
/// \qquad
/// \mathrm{LeakyReLU}'(x) = \begin{cases}\alpha, & x \le 0, \\ 1, & x > 0,\end{cases}$$
///
/// where, as the lecture says, $\alpha \ll 1$; the default is
/// [`LeakyRelu::DEFAULT_ALPHA`] $= 0.01$, PyTorch's `negative_slope`.
///
/// The small slope on the negative side **fixes the zero gradient** of
/// [`Relu`](crate::Relu): a neuron with negative pre-activations still gets a
/// gradient $\alpha \cdot$ upstream, so it cannot die.
///
/// **At the kink** $x = 0$ we return $\alpha$, as PyTorch's autograd does
/// (its backward is `x > 0 ? grad : grad * negative_slope`); test
/// `kink_follows_pytorch`.
///
/// Any finite $\alpha$ is accepted, as in PyTorch (a negative one makes the
/// function non-monotonic, $\alpha = 1$ makes it the identity). With
/// $|\alpha| > 1$, $\alpha x$ overflows to $\pm\infty$ once
/// $|x| > $ `f64::MAX` $/ |\alpha|$ — the true value is beyond `f64` — so the
/// crate's "finite for every finite input" holds for $|\alpha| \le 1$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeakyRelu {
    // crate-visible so that `ActivationKind` can rebuild it without re-checking
    pub(crate) alpha: f64,
}

impl LeakyRelu {
    /// $\alpha = 0.01$, PyTorch's default `negative_slope`.
    pub const DEFAULT_ALPHA: f64 = 0.01;

    /// Leaky ReLU with slope `alpha` for $x < 0$.
    ///
    /// # Panics
    ///
    /// If `alpha` is NaN or infinite. Use [`LeakyRelu::try_new`] for a value
    /// that comes from a user or a file.
    #[track_caller]
    pub fn new(alpha: f64) -> Self {
        Self::try_new(alpha)
            .unwrap_or_else(|e| panic!("{e}; use LeakyRelu::try_new for untrusted input"))
    }

    /// Leaky ReLU with slope `alpha`, or [`ActivationError::InvalidAlpha`]
    /// if it is NaN or infinite.
    pub fn try_new(alpha: f64) -> Result<Self, ActivationError> {
        Ok(Self {
            alpha: finite_alpha("leaky_relu", alpha)?,
        })
    }

    /// The slope $\alpha$ for negative inputs.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
}

impl Default for LeakyRelu {
    /// $\alpha = 0.01$ ([`LeakyRelu::DEFAULT_ALPHA`]).
    fn default() -> Self {
        Self {
            alpha: Self::DEFAULT_ALPHA,
        }
    }
}

// ANCHOR: leaky_relu
impl Activation for LeakyRelu {
    #[inline]
    fn name(&self) -> &'static str {
        "leaky_relu"
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        if x < 0.0 { self.alpha * x } else { x }
    }

    /// α for x ≤ 0 (the kink included, as in PyTorch), 1 above
    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        if x > 0.0 { 1.0 } else { self.alpha }
    }
}
// ANCHOR_END: leaky_relu

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_slopes_at_known_points() {
        let default = LeakyRelu::default();
        let steep = LeakyRelu::new(0.2);
        // (activation, x, f(x), f'(x))
        let table = [
            (default, -3.0, -0.03, 0.01),
            (default, 2.0, 2.0, 1.0),
            (steep, -3.0, -0.6000000000000001, 0.2),
            (steep, 0.5, 0.5, 1.0),
        ];
        for (f, x, value, slope) in table {
            assert_eq!(f.forward(x), value, "{f:?} at {x}");
            assert_eq!(f.derivative(x), slope, "{f:?}' at {x}");
        }
    }

    #[test]
    fn default_alpha_is_pytorchs() {
        assert_eq!(LeakyRelu::default().alpha(), 0.01);
        assert_eq!(LeakyRelu::default(), LeakyRelu::new(0.01));
    }

    #[test]
    fn kink_follows_pytorch() {
        // torch.nn.functional.leaky_relu(x, 0.2) at x = 0 has grad 0.2
        assert_eq!(LeakyRelu::new(0.2).derivative(0.0), 0.2);
        assert_eq!(LeakyRelu::new(0.2).forward(0.0), 0.0);
    }

    #[test]
    fn negative_side_keeps_a_gradient() {
        // the dead-ReLU case: all pre-activations negative, gradient still flows
        let f = LeakyRelu::default();
        assert!([-0.3, -2.0, -7.5].iter().all(|&z| f.derivative(z) > 0.0));
    }

    #[test]
    fn non_finite_alpha_is_an_error() {
        for alpha in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = LeakyRelu::try_new(alpha).unwrap_err();
            assert!(matches!(
                err,
                ActivationError::InvalidAlpha {
                    activation: "leaky_relu",
                    ..
                }
            ));
            assert!(err.to_string().contains("not a finite number"), "{err}");
        }
        assert_eq!(LeakyRelu::try_new(0.3).map(|f| f.alpha()), Ok(0.3));
    }

    #[test]
    #[should_panic(expected = "use LeakyRelu::try_new")]
    fn new_panics_on_nan_and_points_to_try_new() {
        LeakyRelu::new(f64::NAN);
    }
}
