//! The logarithm as the probability losses take it: clamped at −100, as
//! PyTorch's `BCELoss` does.

/// The floor of every logarithm in the probability losses:
/// $\log p \ge -100$.
///
/// Without it a confident wrong answer, $p = 0$ for $y = 1$, would cost
/// $-\log 0 = \infty$ and one such sample would make the whole batch's loss
/// infinite. PyTorch clamps at the same value, so our values agree with its
/// `BCELoss` even there. ($e^{-100} \approx 3.7 \cdot 10^{-44}$: the clamp
/// only acts on probabilities that small.)
pub const LOG_FLOOR: f64 = -100.0;

/// $\max(\log x, -100)$; $x = 0$ gives $-100$, not $-\infty$.
///
/// ```
/// assert_eq!(losses::ln_clamped(0.0), -100.0);
/// assert_eq!(losses::ln_clamped(1.0), 0.0);
/// ```
pub fn ln_clamped(x: f64) -> f64 {
    x.ln().max(LOG_FLOOR)
}

/// The derivative of [`ln_clamped`]: $1/x$ where the log is above the
/// floor, and $0$ where it is clamped (there the function is the constant
/// $-100$). Finite for every $x \ge 0$: where it is not zero,
/// $x > e^{-100}$, so $1/x < 2.7 \cdot 10^{43}$.
///
/// PyTorch's `BCELoss` backward instead divides by
/// $\max(p(1 - p), 10^{-12})$; see [`Bce`](crate::Bce) for where the two differ.
pub fn ln_clamped_derivative(x: f64) -> f64 {
    if x.ln() > LOG_FLOOR { 1.0 / x } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clamp_acts_only_below_e_to_the_minus_100() {
        assert_eq!(ln_clamped(0.0), -100.0);
        assert_eq!(ln_clamped(1e-300), -100.0);
        assert_eq!(ln_clamped(0.5), 0.5f64.ln());
        assert_eq!(ln_clamped(1e-43), 1e-43f64.ln());
        assert_eq!(ln_clamped_derivative(0.0), 0.0);
        assert_eq!(ln_clamped_derivative(1e-300), 0.0);
        assert_eq!(ln_clamped_derivative(0.25), 4.0);
        assert_eq!(ln_clamped_derivative(1e-43), 1.0 / 1e-43);
    }

    #[test]
    fn derivative_matches_differences_where_the_log_is_smooth() {
        for x in [0.1, 0.2, 0.9, 1.0] {
            let numeric = gradcheck::derivative(ln_clamped, x);
            assert!(gradcheck::relative_error(ln_clamped_derivative(x), numeric) < gradcheck::GOOD);
        }
    }
}
