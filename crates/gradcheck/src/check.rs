//! Whole-gradient checks with a report that says where they disagree.

use crate::{GOOD, diff, relative_error};
use ndarray::Array2;
use std::fmt;

/// The outcome of comparing an analytic gradient (or Jacobian, flattened row
/// by row) with central differences.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientReport {
    /// The gradient under test.
    pub analytic: Vec<f64>,
    /// The central-difference estimate.
    pub numeric: Vec<f64>,
    /// Largest [`relative_error`] among the components that are above the
    /// noise floor (see [`GradientReport::noise_floor`]).
    pub max_relative_error: f64,
    /// Index of the component with that error (0 if all are below the floor).
    pub worst_index: usize,
    /// Components whose absolute difference is below this are treated as
    /// agreeing: a central difference cannot resolve them. It is
    /// $10^{-9} \cdot \max(1, |f(x)|)$, about fifty times the rounding noise
    /// $\varepsilon |f| / h \approx 2 \cdot 10^{-11} |f|$.
    pub noise_floor: f64,
}

impl GradientReport {
    fn new(analytic: Vec<f64>, numeric: Vec<f64>, f_scale: f64) -> Self {
        assert_eq!(
            analytic.len(),
            numeric.len(),
            "analytic gradient has {} components, the input has {}",
            analytic.len(),
            numeric.len()
        );
        let noise_floor = 1e-9 * f_scale.abs().max(1.0);
        let mut max_relative_error = 0.0;
        let mut worst_index = 0;
        for (i, (a, n)) in analytic.iter().zip(&numeric).enumerate() {
            let err = if (a - n).abs() <= noise_floor {
                0.0
            } else {
                relative_error(*a, *n)
            };
            // A NaN error is kept (and never replaced): it must never pass.
            if err.is_nan() || err > max_relative_error {
                max_relative_error = err;
                worst_index = i;
            }
        }
        Self {
            analytic,
            numeric,
            max_relative_error,
            worst_index,
            noise_floor,
        }
    }

    /// `true` if every component is within `threshold` relative error.
    pub fn passes(&self, threshold: f64) -> bool {
        self.max_relative_error <= threshold
    }

    /// Panics with the report unless the gradient [`passes`](Self::passes) [`GOOD`].
    #[track_caller]
    pub fn assert_good(&self) {
        self.assert_within(GOOD);
    }

    /// Panics with the report unless the gradient passes `threshold`.
    #[track_caller]
    pub fn assert_within(&self, threshold: f64) {
        assert!(self.passes(threshold), "{self}");
    }
}

impl fmt::Display for GradientReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.worst_index;
        write!(
            f,
            "gradient check: max relative error {:e} at index {i} (analytic {:e}, numeric {:e})",
            self.max_relative_error,
            self.analytic.get(i).copied().unwrap_or(f64::NAN),
            self.numeric.get(i).copied().unwrap_or(f64::NAN),
        )
    }
}

/// Compares `analytic` with the central-difference gradient of `f` at `x`.
///
/// ```
/// use gradcheck::check_gradient;
/// // f(x) = Σ xᵢ²  →  ∇f = 2x
/// let x = [0.5, -2.0, 3.0];
/// let f = |v: &[f64]| v.iter().map(|t| t * t).sum::<f64>();
/// check_gradient(f, &x, &[1.0, -4.0, 6.0]).assert_good();
/// assert!(!check_gradient(f, &x, &[1.0, 4.0, 6.0]).passes(1e-4));
/// ```
pub fn check_gradient(
    mut f: impl FnMut(&[f64]) -> f64,
    x: &[f64],
    analytic: &[f64],
) -> GradientReport {
    let scale = f(x);
    let numeric = diff::gradient(&mut f, x);
    GradientReport::new(analytic.to_vec(), numeric, scale)
}

/// Compares an analytic Jacobian ($m \times n$) with central differences;
/// the report's vectors are the Jacobians flattened row by row.
pub fn check_jacobian(
    mut f: impl FnMut(&[f64]) -> Vec<f64>,
    x: &[f64],
    analytic: &Array2<f64>,
) -> GradientReport {
    let scale = f(x).iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let numeric = diff::jacobian(&mut f, x);
    assert_eq!(
        analytic.dim(),
        numeric.dim(),
        "analytic Jacobian is {:?}, expected {:?}",
        analytic.dim(),
        numeric.dim()
    );
    GradientReport::new(
        analytic.iter().copied().collect(),
        numeric.iter().copied().collect(),
        scale,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_nan_gradient_never_passes() {
        let report = check_gradient(|v| v[0] * v[0], &[1.0], &[f64::NAN]);
        assert!(!report.passes(1.0));
    }

    #[test]
    fn jacobian_check_finds_a_transposed_matrix() {
        // f(x) = A x with a non-symmetric A: J = A, and Aᵀ is wrong
        let a = array![[1.0, 2.0], [3.0, 4.0]];
        let f = |v: &[f64]| a.dot(&ndarray::arr1(v)).to_vec();
        check_jacobian(f, &[0.3, 0.9], &a).assert_good();
        let report = check_jacobian(f, &[0.3, 0.9], &a.t().to_owned());
        assert!(!report.passes(crate::WRONG));
        assert!(report.to_string().contains("max relative error"));
    }

    #[test]
    fn tiny_components_are_judged_by_the_noise_floor() {
        // ∂/∂y of x² + 1e-13·y is 1e-13, below what differences can resolve
        let report = check_gradient(|v| v[0] * v[0] + 1e-13 * v[1], &[1.0, 5.0], &[2.0, 0.0]);
        report.assert_good();
    }
}
