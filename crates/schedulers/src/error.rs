//! What can be wrong with a schedule's parameters.

use thiserror::Error;

/// Why a schedule could not be built; names the parameter, its value and
/// the valid range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScheduleError {
    /// A parameter outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter's name (`"eta_max"`, `"gamma"`, `"warmup_steps"` …).
        name: &'static str,
        /// The value given (counts are shown as numbers too).
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },
}

/// Validation shared by the schedules' constructors.
pub(crate) mod check {
    use super::ScheduleError;

    fn invalid(name: &'static str, value: f64, expected: &'static str) -> ScheduleError {
        ScheduleError::InvalidParameter {
            name,
            value,
            expected,
        }
    }

    /// A learning rate $> 0$, finite.
    pub fn positive(name: &'static str, value: f64) -> Result<f64, ScheduleError> {
        if value.is_finite() && value > 0.0 {
            Ok(value)
        } else {
            Err(invalid(name, value, "a finite number > 0"))
        }
    }

    /// A learning rate $\ge 0$, finite (a lower bound may be 0).
    pub fn non_negative(name: &'static str, value: f64) -> Result<f64, ScheduleError> {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            Err(invalid(name, value, "a finite number >= 0"))
        }
    }

    /// A factor in $(0, 1]$ ($\gamma$ of a decay, a warmup's start factor).
    pub fn factor(name: &'static str, value: f64) -> Result<f64, ScheduleError> {
        if value > 0.0 && value <= 1.0 {
            Ok(value)
        } else {
            Err(invalid(name, value, "a number in (0, 1]"))
        }
    }

    /// A number of steps $\ge 1$.
    pub fn steps(name: &'static str, value: usize) -> Result<usize, ScheduleError> {
        if value >= 1 {
            Ok(value)
        } else {
            Err(invalid(name, value as f64, "a whole number of steps >= 1"))
        }
    }
}
