//! Comparing numbers: relative error for finite-difference checks, and the
//! project-wide tolerance for reference values.

use crate::TINY;

/// Absolute part of the reference tolerance: $10^{-9}$.
pub const ABS_TOLERANCE: f64 = 1e-9;
/// Relative part of the reference tolerance: $10^{-7}$.
pub const REL_TOLERANCE: f64 = 1e-7;

/// $\dfrac{|a - n|}{\max(|a| + |n|,\ \text{tiny})}$ — scale-free distance of
/// an analytic value `a` from a numeric one `n`.
///
/// Equal numbers (including two zeros) give 0; opposite signs give 1; a NaN
/// on either side gives NaN, which fails every `<` comparison, as it should.
pub fn relative_error(a: f64, n: f64) -> f64 {
    (a - n).abs() / (a.abs() + n.abs()).max(TINY)
}

/// $|a - e| \le 10^{-9} + 10^{-7}\,|e|$: the tolerance for comparing against
/// committed reference values (PyTorch, numpy). Non-finite values are close
/// only to the identical non-finite value.
pub fn close(actual: f64, expected: f64) -> bool {
    if !expected.is_finite() || !actual.is_finite() {
        return actual == expected || (actual.is_nan() && expected.is_nan());
    }
    (actual - expected).abs() <= ABS_TOLERANCE + REL_TOLERANCE * expected.abs()
}

/// Panics with both values and `what` in the message unless [`close`] holds.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: got {actual:e}, expected {expected:e} (difference {:e}, tolerance {:e})",
        (actual - expected).abs(),
        ABS_TOLERANCE + REL_TOLERANCE * expected.abs()
    );
}

/// [`assert_close`] element by element; the message names the first index
/// that differs. Lengths must match.
#[track_caller]
pub fn assert_all_close<'a>(
    actual: impl IntoIterator<Item = &'a f64>,
    expected: impl IntoIterator<Item = &'a f64>,
    what: &str,
) {
    let actual: Vec<f64> = actual.into_iter().copied().collect();
    let expected: Vec<f64> = expected.into_iter().copied().collect();
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: {} values, expected {}",
        actual.len(),
        expected.len()
    );
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        assert_close(*a, *e, &format!("{what}[{i}]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_error_is_scale_free_and_symmetric() {
        assert_eq!(relative_error(0.0, 0.0), 0.0);
        assert_eq!(relative_error(1.0, -1.0), 1.0);
        let small = relative_error(1e-20, 1.1e-20);
        let big = relative_error(1e20, 1.1e20);
        assert!((small - big).abs() < 1e-12);
        assert_eq!(relative_error(2.0, 3.0), relative_error(3.0, 2.0));
        assert!(relative_error(f64::NAN, 1.0).is_nan());
    }

    #[test]
    fn close_uses_absolute_and_relative_parts() {
        assert!(close(1e-10, 0.0));
        assert!(!close(1e-8, 0.0));
        assert!(close(1e6 + 0.09, 1e6));
        assert!(!close(1e6 + 0.2, 1e6));
        assert!(close(f64::INFINITY, f64::INFINITY));
        assert!(!close(f64::NAN, 1.0));
        assert!(!close(1.0, f64::NAN));
    }

    #[test]
    #[should_panic(expected = "w[1]")]
    fn assert_all_close_names_the_index() {
        assert_all_close(&[1.0, 2.0], &[1.0, 2.5], "w");
    }
}
