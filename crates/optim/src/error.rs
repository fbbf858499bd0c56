//! What can go wrong when building or stepping an optimizer.

use thiserror::Error;

/// Why an optimizer could not be built, stepped or restored; each variant
/// names the offending tensor index, shape or value.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    /// A hyperparameter outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidHyperparameter {
        /// The parameter's name (`"eta"`, `"beta1"`, `"eps"` …).
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },
    /// `step` got a different number of parameter tensors and gradients.
    #[error(
        "{params} parameter tensors but {grads} gradients: each parameter needs exactly one gradient"
    )]
    CountMismatch {
        /// Number of parameter tensors.
        params: usize,
        /// Number of gradients.
        grads: usize,
    },
    /// A step over a different number of tensors than the first step.
    #[error(
        "the first step had {before} tensors, this one has {now}: index i must mean the same tensor on every step"
    )]
    CountChanged {
        /// Tensors in the first step.
        before: usize,
        /// Tensors now.
        now: usize,
    },
    /// A tensor index beyond the count fixed by the first step.
    #[error("tensor index {index} is out of range: this optimizer steps {count} tensors")]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of tensors.
        count: usize,
    },
    /// `update` was called before any `begin_step`.
    #[error("update of tensor {index} before begin_step: call begin_step (or step) first")]
    StepNotBegun {
        /// The index given.
        index: usize,
    },
    /// The same tensor was updated twice within one step.
    #[error(
        "tensor {index} was already updated in step {t}: call begin_step before updating it again"
    )]
    AlreadyUpdated {
        /// The tensor index.
        index: usize,
        /// The step (number of updates so far).
        t: u64,
    },
    /// A parameter and its gradient have different shapes.
    #[error("parameter {index} has shape {param:?} but its gradient has shape {grad:?}")]
    ShapeMismatch {
        /// The tensor index.
        index: usize,
        /// The parameter's shape.
        param: Vec<usize>,
        /// The gradient's shape.
        grad: Vec<usize>,
    },
    /// A parameter whose shape differs from the one it had on earlier steps.
    #[error("parameter {index} had shape {before:?} on earlier steps but now has shape {now:?}")]
    ShapeChanged {
        /// The tensor index.
        index: usize,
        /// The shape its state was created with.
        before: Vec<usize>,
        /// The shape now.
        now: Vec<usize>,
    },
    /// A NaN or infinite gradient entry.
    #[error("gradient {index} has the non-finite value {value} at position {position:?}")]
    NonFiniteGradient {
        /// The tensor index.
        index: usize,
        /// The entry's multi-index within the tensor.
        position: Vec<usize>,
        /// The offending value.
        value: f64,
    },
    /// A saved state that does not fit this optimizer.
    #[error("cannot load optimizer state: {reason}")]
    StateMismatch {
        /// What does not fit, with the values involved.
        reason: String,
    },
    /// A name that is not one of the optimizers of this crate.
    #[error("unknown optimizer {name:?}: expected one of {expected}")]
    UnknownOptimizer {
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        expected: String,
    },
}

/// Validation of hyperparameters, shared by every optimizer's constructor.
pub(crate) mod check {
    use super::OptimError;

    fn invalid(name: &'static str, value: f64, expected: &'static str) -> OptimError {
        OptimError::InvalidHyperparameter {
            name,
            value,
            expected,
        }
    }

    /// $\eta > 0$ and finite: the learning rate an optimizer is built with.
    pub fn learning_rate(value: f64) -> Result<f64, OptimError> {
        if value.is_finite() && value > 0.0 {
            Ok(value)
        } else {
            Err(invalid("eta", value, "a finite number > 0"))
        }
    }

    /// $\eta \ge 0$ and finite: a learning rate set later by a schedule,
    /// which may reach 0 (cosine annealing with $\eta_{\min} = 0$).
    pub fn scheduled_learning_rate(value: f64) -> Result<f64, OptimError> {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            Err(invalid(
                "eta",
                value,
                "a finite number >= 0 (as set by set_learning_rate)",
            ))
        }
    }

    /// $0 \le \beta < 1$: a decay rate of a running average ($\mu$, $\rho$, $\beta_1$, $\beta_2$).
    pub fn decay(name: &'static str, value: f64) -> Result<f64, OptimError> {
        if (0.0..1.0).contains(&value) {
            Ok(value)
        } else {
            Err(invalid(name, value, "a number in [0, 1)"))
        }
    }

    /// $\varepsilon > 0$ and finite.
    pub fn epsilon(value: f64) -> Result<f64, OptimError> {
        if value.is_finite() && value > 0.0 {
            Ok(value)
        } else {
            Err(invalid("eps", value, "a finite number > 0"))
        }
    }

    /// $\lambda \ge 0$ and finite.
    pub fn weight_decay(value: f64) -> Result<f64, OptimError> {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            Err(invalid("weight_decay", value, "a finite number >= 0"))
        }
    }
}
