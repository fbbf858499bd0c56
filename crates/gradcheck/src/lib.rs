//! # gradcheck — is this derivative right?
//!
//! Every derivative in this course is written twice: once by hand (the chain
//! rule, as the lecture derives it) and once by this crate, which does not
//! know any calculus at all. It nudges the input a little to each side and
//! looks at how the output moved — the *central difference*
//!
//! $$ f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}. $$
//!
//! Its error is $O(h^2)$ from the Taylor series plus $O(\varepsilon / h)$
//! from rounding ($\varepsilon \approx 2.2 \cdot 10^{-16}$ in `f64`), which is
//! smallest near $h \approx \varepsilon^{1/3} \approx 6 \cdot 10^{-6}$.
//! We use [`DEFAULT_STEP`] $= 10^{-5}$, scaled by $\max(1, |x|)$ so that large
//! inputs get a step they can feel.
//!
//! The analytic and numeric answers are compared by [`relative_error`]
//!
//! $$ \mathrm{err}(a, n) = \frac{|a - n|}{\max(|a| + |n|,\ \text{tiny})}, $$
//!
//! read with the thresholds of CS231n's notes on gradient checking: below
//! [`GOOD`] ($10^{-7}$) the derivative is right, above [`WRONG`] ($10^{-4}$)
//! it is almost surely wrong, in between look at kinks and step size.
//!
//! Reference values from PyTorch are compared with [`close`]:
//! $|a - e| \le 10^{-9} + 10^{-7}|e|$.
//!
//! ```
//! use gradcheck::{derivative, relative_error, GOOD};
//! // d/dx x³ = 3x²
//! let numeric = derivative(|x| x * x * x, 2.0);
//! assert!(relative_error(12.0, numeric) < GOOD);
//! ```
//!
//! The [`strategies`] module gives `proptest` strategies for vectors and
//! matrices and a way to keep inputs away from kinks (ReLU at 0, Huber at
//! $|a| = \delta$), where a finite difference straddles two branches and
//! disagrees with either one-sided derivative.
#![forbid(unsafe_code)]

mod check;
mod compare;
mod diff;
pub mod reference;
pub mod strategies;

pub use check::{GradientReport, check_gradient, check_jacobian};
pub use compare::{
    ABS_TOLERANCE, REL_TOLERANCE, assert_all_close, assert_close, close, relative_error,
};
pub use diff::{DEFAULT_STEP, derivative, derivative_with_step, gradient, jacobian, step_for};

/// Relative error below which an analytic derivative is considered right
/// (CS231n: "relative error < 1e-7 and you should be happy", in `f64`).
pub const GOOD: f64 = 1e-7;

/// Relative error above which an analytic derivative is almost surely wrong.
pub const WRONG: f64 = 1e-4;

/// Denominator floor of [`relative_error`], so that two exact zeros compare
/// as equal instead of producing `0 / 0`.
pub const TINY: f64 = 1e-300;
