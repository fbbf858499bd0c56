//! Two classic test functions of two variables, with their gradients, on
//! which the optimizers show their character.

use serde::{Deserialize, Serialize};

/// Condition number $\kappa$ of [`quadratic`]: the ratio of its largest to
/// smallest curvature.
pub const KAPPA: f64 = 25.0;

/// An ill-conditioned quadratic bowl
/// $f(x, y) = \tfrac12\left(x^2 + \kappa\, y^2\right)$ with $\kappa$ = [`KAPPA`];
/// minimum 0 at $(0, 0)$.
///
/// Its level sets are ellipses $\sqrt{\kappa} = 5$ times longer along $x$ than
/// along $y$: a gradient step small enough not to bounce across the steep
/// $y$ direction ($\eta < 2/\kappa$) crawls along the shallow $x$ direction.
pub fn quadratic(x: f64, y: f64) -> f64 {
    0.5 * (x * x + KAPPA * y * y)
}

/// $\nabla f = (x,\ \kappa y)$ of [`quadratic`].
pub fn quadratic_gradient(x: f64, y: f64) -> [f64; 2] {
    [x, KAPPA * y]
}

/// The Rosenbrock function $f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$;
/// minimum 0 at $(1, 1)$, at the end of a long, curved, flat-bottomed valley
/// along $y = x^2$.
pub fn rosenbrock(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

/// $\nabla f = \left(-2(1 - x) - 400\,x\,(y - x^2),\ 200\,(y - x^2)\right)$ of [`rosenbrock`].
pub fn rosenbrock_gradient(x: f64, y: f64) -> [f64; 2] {
    [
        -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
        200.0 * (y - x * x),
    ]
}

/// One of the two test functions, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// [`rosenbrock`].
    Rosenbrock,
    /// [`quadratic`].
    Quadratic,
}

impl Problem {
    /// Both problems.
    pub const ALL: [Problem; 2] = [Problem::Rosenbrock, Problem::Quadratic];

    /// `"rosenbrock"` or `"quadratic"`.
    pub fn name(self) -> &'static str {
        match self {
            Problem::Rosenbrock => "rosenbrock",
            Problem::Quadratic => "quadratic",
        }
    }

    /// The problem called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// $f(x, y)$.
    pub fn loss(self, x: f64, y: f64) -> f64 {
        match self {
            Problem::Rosenbrock => rosenbrock(x, y),
            Problem::Quadratic => quadratic(x, y),
        }
    }

    /// $\nabla f(x, y)$.
    pub fn gradient(self, x: f64, y: f64) -> [f64; 2] {
        match self {
            Problem::Rosenbrock => rosenbrock_gradient(x, y),
            Problem::Quadratic => quadratic_gradient(x, y),
        }
    }

    /// Where $f$ is smallest.
    pub fn minimum(self) -> [f64; 2] {
        match self {
            Problem::Rosenbrock => [1.0, 1.0],
            Problem::Quadratic => [0.0, 0.0],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::check_gradient;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn gradients_match_finite_differences(x in -3.0..3.0_f64, y in -3.0..3.0_f64) {
            let f = |v: &[f64]| quadratic(v[0], v[1]);
            check_gradient(f, &[x, y], &quadratic_gradient(x, y)).assert_good();

            // The central difference is itself off by h²·f'''/6. For the
            // quadratic f''' = 0; Rosenbrock's ∂³f/∂x³ = 2400x reaches 7200
            // here, with h = 10⁻⁵·|x| ≤ 3·10⁻⁵ that is up to 1.1·10⁻⁶, plus
            // rounding ε·|f|/h ≤ 3·10⁻⁷. Where ∂f/∂x crosses zero no relative
            // threshold survives that, so Rosenbrock is judged by the bound.
            let f = |v: &[f64]| rosenbrock(v[0], v[1]);
            let report = check_gradient(f, &[x, y], &rosenbrock_gradient(x, y));
            for (a, n) in report.analytic.iter().zip(&report.numeric) {
                prop_assert!((a - n).abs() <= 2e-6, "{report}");
            }
        }
    }

    #[test]
    fn minima_are_zero_with_zero_gradient() {
        for problem in Problem::ALL {
            let [x, y] = problem.minimum();
            assert_eq!(problem.loss(x, y), 0.0);
            assert_eq!(problem.gradient(x, y), [0.0, 0.0]);
            assert_eq!(Problem::from_name(problem.name()), Some(problem));
        }
    }

    #[test]
    fn a_wrong_sign_is_caught() {
        let [gx, gy] = rosenbrock_gradient(1.5, 1.5);
        assert_eq!((gx, gy), (451.0, -150.0)); // by hand: 1 + 400·1.5·0.75, 200·(1.5 − 2.25)
        let f = |v: &[f64]| rosenbrock(v[0], v[1]);
        assert!(!check_gradient(f, &[1.5, 1.5], &[-gx, gy]).passes(gradcheck::WRONG));
    }
}
