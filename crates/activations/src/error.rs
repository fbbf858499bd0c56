//! What can go wrong when an activation is built from user input.

use thiserror::Error;

/// Why an activation could not be built; each variant names the offending
/// name or value.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ActivationError {
    /// A name that is not one of [`ActivationKind::NAMES`](crate::ActivationKind::NAMES).
    #[error(
        "unknown activation {name:?}; known activations: {}; \
         leaky_relu and elu also take alpha, e.g. \"leaky_relu(0.2)\"",
        crate::ActivationKind::NAMES.join(", ")
    )]
    UnknownName {
        /// The name that was given.
        name: String,
    },
    /// A slope or scale $\alpha$ that is NaN or infinite.
    #[error("{activation}: alpha = {alpha} is not a finite number")]
    InvalidAlpha {
        /// The activation's name (`"leaky_relu"`, `"elu"`).
        activation: &'static str,
        /// The value given.
        alpha: f64,
    },
    /// A parameter list that cannot be read: `"relu(0.5)"` (ReLU has no
    /// parameter), `"elu(abc)"`, `"elu(1"`.
    #[error("activation {input:?}: {problem}")]
    BadParameter {
        /// The whole text that was given.
        input: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// `Ok(alpha)` if it is finite; shared by the constructors that take $\alpha$.
pub(crate) fn finite_alpha(activation: &'static str, alpha: f64) -> Result<f64, ActivationError> {
    if alpha.is_finite() {
        Ok(alpha)
    } else {
        Err(ActivationError::InvalidAlpha { activation, alpha })
    }
}
