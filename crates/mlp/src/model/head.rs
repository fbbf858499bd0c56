//! The output layer's activation.

use std::fmt;
use std::str::FromStr;

use activations::{sigmoid, softmax_rows_inplace};
use losses::LossKind;
use ndarray::ArrayViewMut2;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;

/// The output activation of an [`Mlp`](crate::Mlp), chosen "по смыслу
/// задачи" (by the task), as the lecture says:
///
/// * binary classification — the sigmoid ([`Head::Sigmoid`]);
/// * more than two classes — SoftMax ([`Head::Softmax`]);
/// * regression — no activation ([`Head::Identity`]).
///
/// **Trained on the logits.** The head is applied when the network is *used*
/// ([`Mlp::forward`](crate::Mlp::forward), [`Mlp::predict_proba`](crate::Mlp::predict_proba)).
/// During training the last layer's raw output $z$ (the *logits*) goes
/// straight into [`BceWithLogits`](losses::BceWithLogits) or
/// [`CrossEntropyWithLogits`](losses::CrossEntropyWithLogits), which fold
/// the sigmoid or SoftMax into the loss with log-sum-exp. Computing
/// $\log \sigma(z)$ after rounding $\sigma(z)$ to 1 gives $\log 0$; the
/// fused forms stay exact for any $z$, and their gradient is simply
/// $\frac1n(\sigma(z) - y)$ or $\frac1n(\mathrm{SoftMax}(z) - y)$.
///
/// The probability forms (`bce`, `ce`, and the focal losses) are accepted
/// too: the loss then sees $p = \sigma(z)$ or $\mathrm{SoftMax}(z)$ and the
/// backward pass goes through the head's derivative — correct, but the
/// gradient vanishes once $p$ saturates, which is why the with-logits forms
/// are each head's default ([`Head::default_loss`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Head {
    /// No activation: $\hat y = z$ (regression).
    Identity,
    /// $p = \sigma(z)$ per output: one output for two classes, or one per
    /// label for multi-label data.
    Sigmoid,
    /// $p = \mathrm{SoftMax}(z)$ per sample: one output per class.
    #[default]
    Softmax,
}

impl Head {
    /// Every name, in the lecture's order of mention.
    pub const NAMES: [&'static str; 3] = ["sigmoid", "softmax", "identity"];

    /// The head called `name` (case-insensitive); `"none"` and `"linear"`
    /// also mean [`Identity`](Self::Identity).
    pub fn from_name(name: &str) -> Result<Self, ModelError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sigmoid" => Ok(Self::Sigmoid),
            "softmax" => Ok(Self::Softmax),
            "identity" | "none" | "linear" => Ok(Self::Identity),
            _ => Err(ModelError::UnknownName {
                what: "head",
                name: name.to_owned(),
                known: "sigmoid, softmax, identity",
            }),
        }
    }

    /// The name (one of [`NAMES`](Self::NAMES)).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Sigmoid => "sigmoid",
            Self::Softmax => "softmax",
        }
    }

    /// `true` for the sigmoid and SoftMax heads, whose outputs are class
    /// probabilities.
    pub fn is_classifier(&self) -> bool {
        !matches!(self, Self::Identity)
    }

    /// The loss each head is trained with by default: MSE for regression,
    /// the with-logits forms for classification.
    pub fn default_loss(&self) -> LossKind {
        match self {
            Self::Identity => LossKind::Mse,
            Self::Sigmoid => LossKind::BceWithLogits,
            Self::Softmax => LossKind::CrossEntropyWithLogits,
        }
    }

    /// Checks that `loss` can train this head:
    ///
    /// | head | losses |
    /// |---|---|
    /// | identity | `mse`, `mae`, `huber` (on $\hat y = z$) |
    /// | sigmoid | `bce_logits` (on $z$); `bce`, `focal` (on $p = \sigma(z)$) |
    /// | softmax | `ce_logits` (on $z$); `ce`, `focal_multiclass` (on $p = \mathrm{SoftMax}(z)$) |
    pub fn check_loss(&self, loss: LossKind) -> Result<(), ModelError> {
        let (fits, expected) = match self {
            Self::Identity => (
                matches!(loss, LossKind::Mse | LossKind::Mae | LossKind::Huber { .. }),
                "mse, mae or huber (a regression loss)",
            ),
            Self::Sigmoid => (
                matches!(
                    loss,
                    LossKind::BceWithLogits | LossKind::Bce | LossKind::FocalBinary { .. }
                ),
                "bce_logits (or bce, focal)",
            ),
            Self::Softmax => (
                matches!(
                    loss,
                    LossKind::CrossEntropyWithLogits
                        | LossKind::CrossEntropy
                        | LossKind::FocalMulticlass { .. }
                ),
                "ce_logits (or ce, focal_multiclass)",
            ),
        };
        if fits {
            Ok(())
        } else {
            Err(ModelError::HeadLoss {
                head: self.name(),
                loss: loss.name(),
                expected,
            })
        }
    }

    /// Replaces the logits $z$ by the head's output, in place: $\sigma(z)$
    /// element-wise, SoftMax row by row (max-subtracted), or nothing.
    pub fn apply_inplace(&self, mut z: ArrayViewMut2<'_, f64>) {
        match self {
            Self::Identity => {}
            Self::Sigmoid => z.mapv_inplace(sigmoid),
            Self::Softmax => softmax_rows_inplace(&mut z),
        }
    }
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Head {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

impl Serialize for Head {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::from_name(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn names_round_trip() {
        for name in Head::NAMES {
            let head: Head = name.parse().unwrap();
            assert_eq!(head.to_string(), name);
            let json = serde_json::to_string(&head).unwrap();
            assert_eq!(serde_json::from_str::<Head>(&json).unwrap(), head);
        }
        assert_eq!("None".parse::<Head>(), Ok(Head::Identity));
        let err = "tanh".parse::<Head>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown head \"tanh\"; known: sigmoid, softmax, identity"
        );
    }

    #[test]
    fn every_loss_is_accepted_by_exactly_the_heads_in_the_table() {
        // (loss, heads that accept it)
        let table: [(&str, &[Head]); 9] = [
            ("mse", &[Head::Identity]),
            ("mae", &[Head::Identity]),
            ("huber", &[Head::Identity]),
            ("bce", &[Head::Sigmoid]),
            ("ce", &[Head::Softmax]),
            ("focal", &[Head::Sigmoid]),
            ("focal_multiclass", &[Head::Softmax]),
            ("bce_logits", &[Head::Sigmoid]),
            ("ce_logits", &[Head::Softmax]),
        ];
        for (name, heads) in table {
            let loss = LossKind::from_name(name).unwrap();
            for head in [Head::Identity, Head::Sigmoid, Head::Softmax] {
                assert_eq!(
                    head.check_loss(loss).is_ok(),
                    heads.contains(&head),
                    "{head} with {name}"
                );
            }
        }
        for head in [Head::Identity, Head::Sigmoid, Head::Softmax] {
            assert!(head.check_loss(head.default_loss()).is_ok());
        }
        assert_eq!(
            Head::Softmax
                .check_loss(LossKind::Mse)
                .unwrap_err()
                .to_string(),
            "the softmax head cannot be trained with the mse loss; use ce_logits (or ce, focal_multiclass)"
        );
    }

    #[test]
    fn heads_map_logits_to_outputs() {
        let z = array![[0.0, 2f64.ln()], [-1000.0, 1000.0]];
        let mut p = z.clone();
        Head::Softmax.apply_inplace(p.view_mut());
        assert!((p[[0, 0]] - 1.0 / 3.0).abs() < 1e-15 && (p[[0, 1]] - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(p.row(1), array![0.0, 1.0]);
        let mut p = z.clone();
        Head::Sigmoid.apply_inplace(p.view_mut());
        assert_eq!(p[[0, 0]], 0.5);
        assert_eq!(p[[1, 0]], 0.0);
        let mut p = z.clone();
        Head::Identity.apply_inplace(p.view_mut());
        assert_eq!(p, z);
    }
}
