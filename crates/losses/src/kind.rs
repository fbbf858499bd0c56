//! Choosing a loss by name, for configs and the command line.

use crate::{
    Bce, BceWithLogits, CrossEntropy, CrossEntropyWithLogits, FocalBinary, FocalMulticlass, Huber,
    Loss, LossError, Mae, Mse,
};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which loss to use, with its hyperparameters: what a config file or the
/// CLI names, turned into a loss by [`build`](LossKind::build).
///
/// By name ([`from_name`](LossKind::from_name) / [`str::parse`]) the
/// hyperparameters take their defaults (Huber $\delta = 1$, focal
/// $\alpha = 0.25$, $\gamma = 2$). In serde form the name is the `"name"`
/// field and hyperparameters are optional fields beside it:
///
/// ```
/// use losses::LossKind;
/// let kind: LossKind = "huber".parse()?;
/// assert_eq!(kind, LossKind::Huber { delta: 1.0 });
/// let kind: LossKind = serde_json::from_str(r#"{"name": "focal", "gamma": 1.0}"#).unwrap();
/// assert_eq!(kind, LossKind::FocalBinary { alpha: 0.25, gamma: 1.0 });
/// assert_eq!(kind.build()?.name(), "focal");
/// assert!("hinge".parse::<LossKind>().unwrap_err().to_string().contains("mse, mae, huber"));
/// # Ok::<(), losses::LossError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", deny_unknown_fields)]
pub enum LossKind {
    /// [`Mse`], `"mse"`.
    #[serde(rename = "mse")]
    Mse,
    /// [`Mae`], `"mae"`.
    #[serde(rename = "mae")]
    Mae,
    /// [`Huber`], `"huber"`.
    #[serde(rename = "huber")]
    Huber {
        /// $\delta > 0$.
        #[serde(default = "default_delta")]
        delta: f64,
    },
    /// [`Bce`], `"bce"`.
    #[serde(rename = "bce")]
    Bce,
    /// [`CrossEntropy`], `"ce"`.
    #[serde(rename = "ce")]
    CrossEntropy,
    /// [`FocalBinary`], `"focal"`.
    #[serde(rename = "focal")]
    FocalBinary {
        /// $\alpha \in [0, 1]$.
        #[serde(default = "default_alpha")]
        alpha: f64,
        /// $\gamma \ge 0$.
        #[serde(default = "default_gamma")]
        gamma: f64,
    },
    /// [`FocalMulticlass`], `"focal_multiclass"`.
    #[serde(rename = "focal_multiclass")]
    FocalMulticlass {
        /// $\gamma \ge 0$.
        #[serde(default = "default_gamma_multiclass")]
        gamma: f64,
    },
    /// [`BceWithLogits`], `"bce_logits"`.
    #[serde(rename = "bce_logits")]
    BceWithLogits,
    /// [`CrossEntropyWithLogits`], `"ce_logits"`.
    #[serde(rename = "ce_logits")]
    CrossEntropyWithLogits,
}

fn default_delta() -> f64 {
    Huber::DEFAULT_DELTA
}

fn default_alpha() -> f64 {
    FocalBinary::DEFAULT_ALPHA
}

fn default_gamma() -> f64 {
    FocalBinary::DEFAULT_GAMMA
}

fn default_gamma_multiclass() -> f64 {
    FocalMulticlass::DEFAULT_GAMMA
}

impl LossKind {
    /// Every name, in the lecture's order; each is what the built loss's
    /// [`Loss::name`] returns.
    pub const NAMES: &'static [&'static str] = &[
        "mse",
        "mae",
        "huber",
        "bce",
        "ce",
        "focal",
        "focal_multiclass",
        "bce_logits",
        "ce_logits",
    ];

    /// The loss called `name`, with default hyperparameters; an unknown name
    /// is [`LossError::UnknownLoss`], whose message lists [`NAMES`](Self::NAMES).
    pub fn from_name(name: &str) -> Result<Self, LossError> {
        Ok(match name {
            "mse" => Self::Mse,
            "mae" => Self::Mae,
            "huber" => Self::Huber {
                delta: default_delta(),
            },
            "bce" => Self::Bce,
            "ce" => Self::CrossEntropy,
            "focal" => Self::FocalBinary {
                alpha: default_alpha(),
                gamma: default_gamma(),
            },
            "focal_multiclass" => Self::FocalMulticlass {
                gamma: default_gamma_multiclass(),
            },
            "bce_logits" => Self::BceWithLogits,
            "ce_logits" => Self::CrossEntropyWithLogits,
            _ => {
                return Err(LossError::UnknownLoss {
                    name: name.to_owned(),
                    known: Self::NAMES,
                });
            }
        })
    }

    /// The name (one of [`NAMES`](Self::NAMES)).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Mse => "mse",
            Self::Mae => "mae",
            Self::Huber { .. } => "huber",
            Self::Bce => "bce",
            Self::CrossEntropy => "ce",
            Self::FocalBinary { .. } => "focal",
            Self::FocalMulticlass { .. } => "focal_multiclass",
            Self::BceWithLogits => "bce_logits",
            Self::CrossEntropyWithLogits => "ce_logits",
        }
    }

    /// `true` for the with-logits forms, whose prediction is the raw output
    /// of the last layer; the others expect probabilities (after a sigmoid or
    /// SoftMax) or, for regression, any real values.
    pub fn takes_logits(&self) -> bool {
        matches!(self, Self::BceWithLogits | Self::CrossEntropyWithLogits)
    }

    /// The loss itself; hyperparameters are validated here (a config file may
    /// hold `delta = -1`).
    pub fn build(&self) -> Result<Box<dyn Loss + Send + Sync>, LossError> {
        Ok(match *self {
            Self::Mse => Box::new(Mse),
            Self::Mae => Box::new(Mae),
            Self::Huber { delta } => Box::new(Huber::new(delta)?),
            Self::Bce => Box::new(Bce),
            Self::CrossEntropy => Box::new(CrossEntropy),
            Self::FocalBinary { alpha, gamma } => Box::new(FocalBinary::new(alpha, gamma)?),
            Self::FocalMulticlass { gamma } => Box::new(FocalMulticlass::new(gamma)?),
            Self::BceWithLogits => Box::new(BceWithLogits),
            Self::CrossEntropyWithLogits => Box::new(CrossEntropyWithLogits),
        })
    }
}

impl FromStr for LossKind {
    type Err = LossError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::from_name(name)
    }
}

impl fmt::Display for LossKind {
    /// The name only, so that `kind.to_string().parse()` gives the same loss
    /// with default hyperparameters; `{:?}` shows the hyperparameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_builds_the_loss_of_that_name() {
        for &name in LossKind::NAMES {
            let kind: LossKind = name.parse().unwrap();
            assert_eq!(kind.name(), name);
            assert_eq!(kind.to_string(), name);
            assert_eq!(kind.build().unwrap().name(), name);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<LossKind>(&json).unwrap(), kind);
        }
    }

    #[test]
    fn serde_form_is_a_name_with_optional_hyperparameters() {
        let kind: LossKind = serde_json::from_str(r#"{"name": "mse"}"#).unwrap();
        assert_eq!(kind, LossKind::Mse);
        let kind: LossKind = serde_json::from_str(r#"{"name": "huber", "delta": 0.5}"#).unwrap();
        assert_eq!(kind, LossKind::Huber { delta: 0.5 });
        assert_eq!(
            serde_json::to_value(LossKind::FocalMulticlass { gamma: 3.0 }).unwrap(),
            serde_json::json!({"name": "focal_multiclass", "gamma": 3.0})
        );
        // a misspelt field is an error, not silently the default
        let err = serde_json::from_str::<LossKind>(r#"{"name": "huber", "detla": 0.5}"#);
        assert!(err.unwrap_err().to_string().contains("detla"));
        let err = serde_json::from_str::<LossKind>(r#"{"name": "hinge"}"#);
        assert!(err.unwrap_err().to_string().contains("hinge"));
    }

    #[test]
    fn build_validates_hyperparameters_from_configs() {
        let kind: LossKind = serde_json::from_str(r#"{"name": "huber", "delta": -1.0}"#).unwrap();
        let err = kind.build().err().unwrap();
        assert_eq!(
            err,
            LossError::InvalidHyperparameter {
                name: "delta",
                value: -1.0,
                expected: "a finite number > 0"
            }
        );
    }

    #[test]
    fn only_the_with_logits_forms_take_logits() {
        let logits: Vec<_> = LossKind::NAMES
            .iter()
            .filter(|n| LossKind::from_name(n).unwrap().takes_logits())
            .collect();
        assert_eq!(logits, [&"bce_logits", &"ce_logits"]);
    }
}
