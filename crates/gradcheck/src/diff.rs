//! Central finite differences: derivatives, gradients and Jacobians.

use ndarray::Array2;

/// Base step $h$ of the central difference (see the crate docs for why $10^{-5}$).
pub const DEFAULT_STEP: f64 = 1e-5;

/// The step used at `x`: $h = 10^{-5} \cdot \max(1, |x|)$.
///
/// A fixed step would vanish in rounding at $x = 10^{6}$ (where one ulp is
/// already $10^{-10}$); scaling keeps the relative perturbation the same.
pub fn step_for(x: f64) -> f64 {
    DEFAULT_STEP * x.abs().max(1.0)
}

/// $f'(x) \approx \dfrac{f(x+h) - f(x-h)}{2h}$ with $h$ from [`step_for`].
///
/// ```
/// let d = gradcheck::derivative(f64::sin, 0.0);
/// assert!((d - 1.0).abs() < 1e-9);
/// ```
pub fn derivative(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    derivative_with_step(f, x, step_for(x))
}

/// The central difference with an explicit step `h`.
pub fn derivative_with_step(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    // (x + h) - (x - h) is not exactly 2h in floating point; dividing by the
    // step actually taken removes that part of the rounding error.
    let (xp, xm) = (x + h, x - h);
    (f(xp) - f(xm)) / (xp - xm)
}

/// Gradient of $f: \mathbb{R}^n \to \mathbb{R}$, one central difference per
/// coordinate: $\dfrac{\partial f}{\partial x_i} \approx \dfrac{f(x + h e_i) - f(x - h e_i)}{2h}$.
///
/// ```
/// // f(x, y) = x²y  →  ∇f = (2xy, x²)
/// let g = gradcheck::gradient(|v| v[0] * v[0] * v[1], &[3.0, 2.0]);
/// assert!((g[0] - 12.0).abs() < 1e-6 && (g[1] - 9.0).abs() < 1e-6);
/// ```
pub fn gradient(mut f: impl FnMut(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    let mut probe = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = step_for(x[i]);
            probe[i] = x[i] + h;
            let up = f(&probe);
            let xp = probe[i];
            probe[i] = x[i] - h;
            let down = f(&probe);
            let xm = probe[i];
            probe[i] = x[i];
            (up - down) / (xp - xm)
        })
        .collect()
}

/// Jacobian of $f: \mathbb{R}^n \to \mathbb{R}^m$ as an $m \times n$ matrix,
/// $J_{ij} = \partial f_i / \partial x_j$, one central difference per input.
///
/// Panics if `f` returns outputs of different lengths for different inputs
/// (a bug in the function under test, not bad data).
pub fn jacobian(mut f: impl FnMut(&[f64]) -> Vec<f64>, x: &[f64]) -> Array2<f64> {
    let m = f(x).len();
    let mut jac = Array2::zeros((m, x.len()));
    let mut probe = x.to_vec();
    for j in 0..x.len() {
        let h = step_for(x[j]);
        probe[j] = x[j] + h;
        let up = f(&probe);
        let xp = probe[j];
        probe[j] = x[j] - h;
        let down = f(&probe);
        let xm = probe[j];
        probe[j] = x[j];
        assert!(
            up.len() == m && down.len() == m,
            "the function under test changed its output length"
        );
        for i in 0..m {
            jac[[i, j]] = (up[i] - down[i]) / (xp - xm);
        }
    }
    jac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivative_of_polynomials_is_exact_to_rounding() {
        // central differences are exact for quadratics up to rounding
        let d = derivative(|x| 3.0 * x * x - 2.0 * x + 1.0, 1.5);
        assert!((d - 7.0).abs() < 1e-9, "got {d}");
    }

    #[test]
    fn derivative_scales_the_step_for_large_inputs() {
        // f = ln x at x = 1e8: f' = 1e-8; an unscaled 1e-5 step would still
        // work, but at 1e12 it would be lost in the last bits of x.
        let x = 1e12;
        let d = derivative(f64::ln, x);
        assert!(((d - 1.0 / x) / (1.0 / x)).abs() < 1e-6, "got {d}");
    }

    #[test]
    fn gradient_and_jacobian_agree_on_a_known_map() {
        // f(x, y) = (x·y, sin x + y²)
        let f = |v: &[f64]| vec![v[0] * v[1], v[0].sin() + v[1] * v[1]];
        let x = [0.7, -1.3];
        let jac = jacobian(f, &x);
        let expected = [[x[1], x[0]], [x[0].cos(), 2.0 * x[1]]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((jac[[i, j]] - expected[i][j]).abs() < 1e-9);
            }
            let row = gradient(|v| f(v)[i], &x);
            for j in 0..2 {
                assert!((row[j] - jac[[i, j]]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn a_wrong_derivative_is_caught() {
        // the classic sign error: d/dx (1/x) = -1/x², not 1/x²
        let x = 0.8;
        let numeric = derivative(|x| 1.0 / x, x);
        let wrong = 1.0 / (x * x);
        assert!(crate::relative_error(wrong, numeric) > crate::WRONG);
        assert!(crate::relative_error(-wrong, numeric) < crate::GOOD);
    }
}
