//! The shape of a network as data: what a checkpoint stores beside the weights.

use std::fmt;

use activations::ActivationKind;
use serde::{Deserialize, Serialize};

use super::{Head, ModelError};

/// Layer sizes, hidden activation and output head of an [`Mlp`](crate::Mlp).
///
/// `sizes` lists the widths from the input to the output:
/// `[64, 32, 10]` is 64 inputs, one hidden layer of 32 units and 10 outputs,
/// i.e. two [`Linear`](crate::Linear) layers ($32 \times 64$ and
/// $10 \times 32$). The lecture's "three-layer" network (input, hidden,
/// output) is `[d, h, k]`.
///
/// ```
/// use mlp::{Architecture, Head};
/// let arch = Architecture::new([64, 32, 10], "relu".parse()?, Head::Softmax)?;
/// assert_eq!(arch.n_parameters(), 32 * 64 + 32 + 10 * 32 + 10);
/// assert_eq!(arch.to_string(), "64-32-10, relu hidden, softmax head");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// Widths from input to output (at least two, none 0).
    pub sizes: Vec<usize>,
    /// The activation $f$ of every hidden layer.
    pub hidden: ActivationKind,
    /// The output head.
    pub head: Head,
}

impl Architecture {
    /// A checked architecture (see [`validate`](Self::validate)).
    pub fn new(
        sizes: impl Into<Vec<usize>>,
        hidden: ActivationKind,
        head: Head,
    ) -> Result<Self, ModelError> {
        let architecture = Self {
            sizes: sizes.into(),
            hidden,
            head,
        };
        architecture.validate()?;
        Ok(architecture)
    }

    /// At least two sizes, none of them 0, and a finite $\alpha$ for Leaky
    /// ReLU / ELU.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.sizes.len() < 2 {
            return Err(ModelError::TooFewSizes {
                sizes: self.sizes.clone(),
            });
        }
        if let Some(index) = self.sizes.iter().position(|&s| s == 0) {
            return Err(ModelError::ZeroWidth {
                index,
                sizes: self.sizes.clone(),
            });
        }
        check_activation(self.hidden)
    }

    /// Number of inputs $d$.
    pub fn n_inputs(&self) -> usize {
        self.sizes[0]
    }

    /// Number of outputs $k$.
    pub fn n_outputs(&self) -> usize {
        *self.sizes.last().expect("validated: at least two sizes")
    }

    /// Number of trainable numbers: $\sum_l (n_{l-1} n_l + n_l)$.
    pub fn n_parameters(&self) -> usize {
        self.sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }
}

/// A Leaky ReLU or ELU with a NaN or infinite $\alpha$ cannot be evaluated.
pub(crate) fn check_activation(hidden: ActivationKind) -> Result<(), ModelError> {
    match hidden.alpha() {
        Some(alpha) if !alpha.is_finite() => Err(ModelError::InvalidActivation {
            activation: format!("{hidden:?}"),
            reason: format!("alpha = {alpha} must be a finite number"),
        }),
        _ => Ok(()),
    }
}

impl fmt::Display for Architecture {
    /// `64-32-10, relu hidden, softmax head`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sizes: Vec<String> = self.sizes.iter().map(usize::to_string).collect();
        write!(
            f,
            "{}, {} hidden, {} head",
            sizes.join("-"),
            self.hidden,
            self.head
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_sizes_name_the_problem() {
        let relu = ActivationKind::Relu;
        let cases = [
            (
                Architecture::new([3], relu, Head::Softmax).unwrap_err(),
                "layer sizes [3]: a network needs at least two sizes (inputs and outputs), e.g. [64, 32, 10]",
            ),
            (
                Architecture::new([4, 0, 2], relu, Head::Softmax).unwrap_err(),
                "layer sizes [4, 0, 2]: size 1 is 0, but every layer needs at least one unit",
            ),
            (
                Architecture::new(
                    [2, 2],
                    ActivationKind::LeakyRelu { alpha: f64::NAN },
                    Head::Identity,
                )
                .unwrap_err(),
                "hidden activation \"LeakyRelu { alpha: NaN }\": alpha = NaN must be a finite number",
            ),
        ];
        for (err, message) in cases {
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn json_round_trip() {
        let arch = Architecture::new(
            [2, 16, 16, 1],
            ActivationKind::Elu { alpha: 0.5 },
            Head::Sigmoid,
        )
        .unwrap();
        let json = serde_json::to_string(&arch).unwrap();
        assert_eq!(
            json,
            r#"{"sizes":[2,16,16,1],"hidden":"elu(0.5)","head":"sigmoid"}"#
        );
        assert_eq!(serde_json::from_str::<Architecture>(&json).unwrap(), arch);
        assert_eq!(arch.n_parameters(), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    }
}
