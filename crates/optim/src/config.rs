//! Choosing an optimizer by name, for configs, the CLI and checkpoints.

use crate::{
    Adam, AdamConfig, AdamW, AdamWConfig, Momentum, MomentumConfig, Nesterov, OptimError,
    Resumable, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};
use serde::{Deserialize, Serialize};

/// Any optimizer of this crate with its hyperparameters, as data.
///
/// Serialized with the name as a tag, e.g.
/// `{"optimizer": "adam", "eta": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}`;
/// missing fields take PyTorch's defaults and `lr` is accepted for `eta`.
///
/// ```
/// use optim::{OptimizerConfig, Optimizer, Resumable};
/// let config: OptimizerConfig = serde_json::from_str(r#"{"optimizer": "adam", "lr": 0.01}"#)?;
/// let adam = config.build()?;
/// assert_eq!((adam.name(), adam.learning_rate()), ("adam", 0.01));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "optimizer", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// [`Sgd`].
    Sgd(SgdConfig),
    /// [`Momentum`].
    Momentum(MomentumConfig),
    /// [`Nesterov`].
    Nesterov(MomentumConfig),
    /// [`RmsProp`].
    #[serde(rename = "rmsprop")]
    RmsProp(RmsPropConfig),
    /// [`Adam`].
    Adam(AdamConfig),
    /// [`AdamW`].
    #[serde(rename = "adamw")]
    AdamW(AdamWConfig),
}

impl OptimizerConfig {
    /// The names [`from_name`](Self::from_name) accepts, in the lecture's order.
    pub const NAMES: [&'static str; 6] =
        ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];

    /// The optimizer called `name` with PyTorch's default hyperparameters.
    pub fn from_name(name: &str) -> Result<Self, OptimError> {
        Ok(match name {
            "sgd" => Self::Sgd(SgdConfig::default()),
            "momentum" => Self::Momentum(MomentumConfig::default()),
            "nesterov" => Self::Nesterov(MomentumConfig::default()),
            "rmsprop" => Self::RmsProp(RmsPropConfig::default()),
            "adam" => Self::Adam(AdamConfig::default()),
            "adamw" => Self::AdamW(AdamWConfig::default()),
            _ => {
                return Err(OptimError::UnknownOptimizer {
                    name: name.to_string(),
                    expected: Self::NAMES.join(", "),
                });
            }
        })
    }

    /// The optimizer's name, as in [`Resumable::name`] and saved states.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sgd(_) => "sgd",
            Self::Momentum(_) => "momentum",
            Self::Nesterov(_) => "nesterov",
            Self::RmsProp(_) => "rmsprop",
            Self::Adam(_) => "adam",
            Self::AdamW(_) => "adamw",
        }
    }

    /// The learning rate $\eta$.
    pub fn learning_rate(&self) -> f64 {
        match self {
            Self::Sgd(c) => c.eta,
            Self::Momentum(c) | Self::Nesterov(c) => c.eta,
            Self::RmsProp(c) => c.eta,
            Self::Adam(c) => c.eta,
            Self::AdamW(c) => c.eta,
        }
    }

    /// The same config with learning rate `eta` (validated by [`build`](Self::build)).
    pub fn with_learning_rate(mut self, eta: f64) -> Self {
        match &mut self {
            Self::Sgd(c) => c.eta = eta,
            Self::Momentum(c) | Self::Nesterov(c) => c.eta = eta,
            Self::RmsProp(c) => c.eta = eta,
            Self::Adam(c) => c.eta = eta,
            Self::AdamW(c) => c.eta = eta,
        }
        self
    }

    /// Validates the hyperparameters and builds the optimizer.
    pub fn build(&self) -> Result<Box<dyn Resumable>, OptimError> {
        Ok(match *self {
            Self::Sgd(c) => Box::new(Sgd::from_config(c)?),
            Self::Momentum(c) => Box::new(Momentum::from_config(c)?),
            Self::Nesterov(c) => Box::new(Nesterov::from_config(c)?),
            Self::RmsProp(c) => Box::new(RmsProp::from_config(c)?),
            Self::Adam(c) => Box::new(Adam::from_config(c)?),
            Self::AdamW(c) => Box::new(AdamW::from_config(c)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_builds_the_optimizer_of_that_name() {
        for name in OptimizerConfig::NAMES {
            let config = OptimizerConfig::from_name(name).unwrap();
            assert_eq!(config.name(), name);
            assert_eq!(config.build().unwrap().name(), name);
        }
        let err = OptimizerConfig::from_name("adagrad").unwrap_err();
        assert!(err.to_string().contains("\"adagrad\""), "{err}");
    }

    #[test]
    fn json_round_trip_and_torch_defaults() {
        for name in OptimizerConfig::NAMES {
            let config = OptimizerConfig::from_name(name)
                .unwrap()
                .with_learning_rate(0.25);
            let json = serde_json::to_string(&config).unwrap();
            assert!(
                json.contains(&format!("\"optimizer\":\"{name}\"")),
                "{json}"
            );
            let back: OptimizerConfig = serde_json::from_str(&json).unwrap();
            assert_eq!(back, config);
            assert_eq!(back.learning_rate(), 0.25);
        }
        let rmsprop: OptimizerConfig =
            serde_json::from_str(r#"{"optimizer": "rmsprop", "alpha": 0.9}"#).unwrap();
        assert_eq!(
            rmsprop,
            OptimizerConfig::RmsProp(RmsPropConfig {
                eta: 1e-2,
                rho: 0.9,
                eps: 1e-8
            })
        );
    }

    #[test]
    fn typos_and_bad_values_are_errors() {
        let typo =
            serde_json::from_str::<OptimizerConfig>(r#"{"optimizer": "adam", "bata1": 0.5}"#);
        assert!(typo.unwrap_err().to_string().contains("bata1"));
        let bad: OptimizerConfig =
            serde_json::from_str(r#"{"optimizer": "adam", "beta2": 1.0}"#).unwrap();
        assert!(bad.build().unwrap_err().to_string().contains("beta2 = 1"));
    }
}
