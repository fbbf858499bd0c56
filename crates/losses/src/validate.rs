//! The checks every loss runs before it computes anything, in one place so
//! that every loss reports bad input the same way.
//!
//! Order: shapes, then emptiness, then NaN/±∞ (prediction first), then the
//! ranges the loss needs. The first problem found is the one reported.

use crate::LossError;
use ndarray::{ArrayView2, ArrayViewMut2};

/// What a loss requires of its two arrays beyond equal shapes, at least one
/// entry and finite numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inputs {
    /// Regression: predictions and targets are any finite numbers
    /// (MSE, MAE, Huber).
    Real,
    /// Predictions are probabilities $p \in [0, 1]$ and so are the targets
    /// (BCE, CE, both focal losses).
    Probabilities,
    /// Predictions are logits $z$ (any finite number); targets are in
    /// $[0, 1]$ (the with-logits forms).
    Logits,
}

/// Checks `pred` and `target` for a loss that takes [`Inputs`] of the given kind.
pub(crate) fn inputs(
    pred: ArrayView2<'_, f64>,
    target: ArrayView2<'_, f64>,
    kind: Inputs,
) -> Result<(), LossError> {
    if pred.dim() != target.dim() {
        return Err(LossError::ShapeMismatch {
            pred: pred.dim(),
            target: target.dim(),
        });
    }
    if pred.is_empty() {
        return Err(LossError::EmptyBatch { shape: pred.dim() });
    }
    finite("prediction", pred)?;
    finite("target", target)?;
    match kind {
        Inputs::Real => {}
        Inputs::Probabilities => {
            unit_interval("prediction", pred)?;
            unit_interval("target", target)?;
        }
        Inputs::Logits => unit_interval("target", target)?,
    }
    Ok(())
}

/// Checks that the buffer for the gradient has the prediction's shape.
pub(crate) fn gradient_buffer(
    grad: &ArrayViewMut2<'_, f64>,
    pred: ArrayView2<'_, f64>,
) -> Result<(), LossError> {
    if grad.dim() != pred.dim() {
        return Err(LossError::GradientShape {
            grad: grad.dim(),
            pred: pred.dim(),
        });
    }
    Ok(())
}

/// The first entry (in row order) for which `bad` holds.
fn first(a: ArrayView2<'_, f64>, bad: impl Fn(f64) -> bool) -> Option<((usize, usize), f64)> {
    a.indexed_iter()
        .find(|&(_, &v)| bad(v))
        .map(|(index, &v)| (index, v))
}

fn finite(which: &'static str, a: ArrayView2<'_, f64>) -> Result<(), LossError> {
    match first(a, |v| !v.is_finite()) {
        Some(((row, col), value)) => Err(LossError::NotFinite {
            which,
            row,
            col,
            value,
        }),
        None => Ok(()),
    }
}

fn unit_interval(which: &'static str, a: ArrayView2<'_, f64>) -> Result<(), LossError> {
    match first(a, |v| !(0.0..=1.0).contains(&v)) {
        Some(((row, col), value)) => Err(LossError::OutOfUnitInterval {
            which,
            row,
            col,
            value,
        }),
        None => Ok(()),
    }
}

/// A hyperparameter that must be finite and $> 0$ (Huber's $\delta$).
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, LossError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(LossError::InvalidHyperparameter {
            name,
            value,
            expected: "a finite number > 0",
        })
    }
}

/// A hyperparameter that must be finite and $\ge 0$ (focal $\gamma$).
pub(crate) fn non_negative(name: &'static str, value: f64) -> Result<f64, LossError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(LossError::InvalidHyperparameter {
            name,
            value,
            expected: "a finite number >= 0",
        })
    }
}

/// A hyperparameter that must lie in $[0, 1]$ (focal $\alpha$).
pub(crate) fn fraction(name: &'static str, value: f64) -> Result<f64, LossError> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(LossError::InvalidHyperparameter {
            name,
            value,
            expected: "a number in [0, 1]",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn problems_are_reported_in_a_fixed_order() {
        let ok = array![[0.5, 0.5]];
        // a shape mismatch wins over everything else in the arrays
        let nan = array![[f64::NAN], [2.0]];
        assert!(matches!(
            inputs(ok.view(), nan.view(), Inputs::Probabilities),
            Err(LossError::ShapeMismatch { .. })
        ));
        // NaN in the prediction is found before a bad target range
        let bad_pred = array![[f64::NAN, 0.5]];
        let bad_target = array![[0.5, 7.0]];
        assert!(matches!(
            inputs(bad_pred.view(), bad_target.view(), Inputs::Probabilities),
            Err(LossError::NotFinite {
                which: "prediction",
                ..
            })
        ));
        // the first bad entry in row order is the one named
        let two_bad = array![[0.5, 2.0], [-1.0, 0.5]];
        assert_eq!(
            inputs(two_bad.view(), two_bad.view(), Inputs::Probabilities),
            Err(LossError::OutOfUnitInterval {
                which: "prediction",
                row: 0,
                col: 1,
                value: 2.0
            })
        );
    }

    #[test]
    fn each_kind_checks_only_its_ranges() {
        let big = array![[3.0, -4.0]];
        let unit = array![[0.0, 1.0]];
        assert!(inputs(big.view(), big.view(), Inputs::Real).is_ok());
        assert!(inputs(big.view(), unit.view(), Inputs::Logits).is_ok());
        assert!(inputs(unit.view(), big.view(), Inputs::Logits).is_err());
        assert!(inputs(big.view(), unit.view(), Inputs::Probabilities).is_err());
        assert!(inputs(unit.view(), unit.view(), Inputs::Probabilities).is_ok());
        let empty = Array2::<f64>::zeros((2, 0));
        assert_eq!(
            inputs(empty.view(), empty.view(), Inputs::Real),
            Err(LossError::EmptyBatch { shape: (2, 0) })
        );
    }

    #[test]
    fn hyperparameter_ranges_include_their_ends() {
        assert_eq!(fraction("alpha", 0.0), Ok(0.0));
        assert_eq!(fraction("alpha", 1.0), Ok(1.0));
        assert!(fraction("alpha", f64::NAN).is_err());
        assert_eq!(non_negative("gamma", 0.0), Ok(0.0));
        assert!(non_negative("gamma", f64::INFINITY).is_err());
        assert!(positive("delta", 0.0).is_err());
        assert!(positive("delta", f64::INFINITY).is_err());
        assert_eq!(positive("delta", 1e-300), Ok(1e-300));
    }
}
