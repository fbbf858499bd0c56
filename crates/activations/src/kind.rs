//! Choosing an activation by name, for the CLI and for configuration files.

use crate::{
    Activation, ActivationError, Elu, Gelu, GeluSigmoid, GeluTanh, Identity, LeakyRelu, Relu,
    Sigmoid, Tanh,
};
use ndarray::{Array, ArrayView, Dimension};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Any of the crate's activations, as one `Copy` value that can be read from
/// a name and written back to it.
///
/// | name | type | formula |
/// |---|---|---|
/// | `"sigmoid"` | [`Sigmoid`] | $1/(1 + e^{-x})$ |
/// | `"tanh"` | [`Tanh`] | $\tanh x$ |
/// | `"relu"` | [`Relu`] | $\max(0, x)$ |
/// | `"leaky_relu"`, `"leaky_relu(0.2)"` | [`LeakyRelu`] | $x$ or $\alpha x$, $\alpha = 0.01$ by default |
/// | `"elu"`, `"elu(0.5)"` | [`Elu`] | $x$ or $\alpha(e^x - 1)$, $\alpha = 1$ by default |
/// | `"gelu"` | [`Gelu`] | $x\,\Phi(x)$ |
/// | `"gelu_sigmoid"` | [`GeluSigmoid`] | $x\,\sigma(1.702x)$ |
/// | `"gelu_tanh"` | [`GeluTanh`] | $\frac{x}{2}(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))$ |
/// | `"identity"` | [`Identity`] | $x$ |
///
/// Names are read case-insensitively, with `-` allowed for `_`
/// (`"Leaky-ReLU"` works). [`Display`](fmt::Display) and serde write the
/// canonical name, with $\alpha$ in parentheses only when it is not the
/// default, so a value read back is the value written.
///
/// ```
/// use activations::{Activation, ActivationKind};
/// let kind: ActivationKind = "leaky_relu(0.2)".parse()?;
/// assert_eq!(kind, ActivationKind::LeakyRelu { alpha: 0.2 });
/// assert_eq!(kind.forward(-1.0), -0.2);
/// assert_eq!(kind.to_string(), "leaky_relu(0.2)");
/// assert!(ActivationKind::from_name("softplus").is_err());
/// # Ok::<(), activations::ActivationError>(())
/// ```
///
/// It implements [`Activation`] by calling the concrete type, so a network
/// can hold one per layer; the array methods choose the type once per array,
/// not once per element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ActivationKind {
    /// [`Sigmoid`].
    Sigmoid,
    /// [`Tanh`].
    Tanh,
    /// [`Relu`].
    Relu,
    /// [`LeakyRelu`] with slope `alpha` for $x < 0$.
    LeakyRelu {
        /// The slope for negative inputs ([`LeakyRelu::DEFAULT_ALPHA`] = 0.01).
        alpha: f64,
    },
    /// [`Elu`] with scale `alpha`.
    Elu {
        /// The scale of the negative side ([`Elu::DEFAULT_ALPHA`] = 1).
        alpha: f64,
    },
    /// [`Gelu`], exact.
    Gelu,
    /// [`GeluSigmoid`], the lecture's $x\,\sigma(1.702x)$.
    GeluSigmoid,
    /// [`GeluTanh`], PyTorch's `approximate='tanh'`.
    GeluTanh,
    /// [`Identity`], no activation.
    Identity,
}

/// Binds `$f` to the concrete activation behind an [`ActivationKind`] and
/// evaluates `$body` with it; each arm is monomorphic, so `$body` inlines.
macro_rules! dispatch {
    ($kind:expr, $f:ident => $body:expr) => {
        match *$kind {
            ActivationKind::Sigmoid => {
                let $f = Sigmoid;
                $body
            }
            ActivationKind::Tanh => {
                let $f = Tanh;
                $body
            }
            ActivationKind::Relu => {
                let $f = Relu;
                $body
            }
            ActivationKind::LeakyRelu { alpha } => {
                let $f = LeakyRelu { alpha };
                $body
            }
            ActivationKind::Elu { alpha } => {
                let $f = Elu { alpha };
                $body
            }
            ActivationKind::Gelu => {
                let $f = Gelu;
                $body
            }
            ActivationKind::GeluSigmoid => {
                let $f = GeluSigmoid;
                $body
            }
            ActivationKind::GeluTanh => {
                let $f = GeluTanh;
                $body
            }
            ActivationKind::Identity => {
                let $f = Identity;
                $body
            }
        }
    };
}

impl ActivationKind {
    /// Every name [`from_name`](Self::from_name) knows, in the lecture's order.
    pub const NAMES: [&'static str; 9] = [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "elu",
        "gelu",
        "gelu_sigmoid",
        "gelu_tanh",
        "identity",
    ];

    /// Every activation with its default parameters, in the order of
    /// [`NAMES`](Self::NAMES).
    pub const ALL: [ActivationKind; 9] = [
        Self::Sigmoid,
        Self::Tanh,
        Self::Relu,
        Self::LeakyRelu {
            alpha: LeakyRelu::DEFAULT_ALPHA,
        },
        Self::Elu {
            alpha: Elu::DEFAULT_ALPHA,
        },
        Self::Gelu,
        Self::GeluSigmoid,
        Self::GeluTanh,
        Self::Identity,
    ];

    /// Reads a name such as `"relu"`, `"gelu_sigmoid"` or `"leaky_relu(0.2)"`
    /// (see the table above).
    ///
    /// Errors: [`ActivationError::UnknownName`] (its message lists the known
    /// names), [`ActivationError::BadParameter`] for a malformed or
    /// unexpected `(…)`, [`ActivationError::InvalidAlpha`] for a non-finite
    /// $\alpha$.
    pub fn from_name(name: &str) -> Result<Self, ActivationError> {
        let bad = |problem: &str| ActivationError::BadParameter {
            input: name.to_string(),
            problem: problem.to_string(),
        };
        let (base, alpha) = match name.trim().split_once('(') {
            None => (name.trim(), None),
            Some((base, rest)) => {
                let inside = rest
                    .strip_suffix(')')
                    .ok_or_else(|| bad("expected a closing ')' at the end"))?
                    .trim();
                let alpha: f64 = inside
                    .parse()
                    .map_err(|_| bad(&format!("alpha {inside:?} is not a number")))?;
                (base.trim_end(), Some(alpha))
            }
        };
        // only the name is normalised: the '-' of a negative alpha must stay
        let base = base.to_ascii_lowercase().replace('-', "_");
        let kind = match base.as_str() {
            "sigmoid" => Self::Sigmoid,
            "tanh" => Self::Tanh,
            "relu" => Self::Relu,
            "leaky_relu" => Self::from(match alpha {
                Some(alpha) => LeakyRelu::try_new(alpha)?,
                None => LeakyRelu::default(),
            }),
            "elu" => Self::from(match alpha {
                Some(alpha) => Elu::try_new(alpha)?,
                None => Elu::default(),
            }),
            "gelu" => Self::Gelu,
            "gelu_sigmoid" => Self::GeluSigmoid,
            "gelu_tanh" => Self::GeluTanh,
            "identity" => Self::Identity,
            _ => {
                return Err(ActivationError::UnknownName {
                    name: name.to_string(),
                });
            }
        };
        if alpha.is_some() && kind.alpha().is_none() {
            return Err(bad(&format!(
                "{base} takes no parameter; only leaky_relu and elu take alpha"
            )));
        }
        Ok(kind)
    }

    /// $\alpha$ of [`LeakyRelu`](Self::LeakyRelu) or [`Elu`](Self::Elu);
    /// `None` for the activations without a parameter.
    pub fn alpha(&self) -> Option<f64> {
        match *self {
            Self::LeakyRelu { alpha } | Self::Elu { alpha } => Some(alpha),
            _ => None,
        }
    }
}

impl Default for ActivationKind {
    /// [`Relu`](Self::Relu): "in hidden layers ReLU or GELU are used most
    /// often", says the lecture.
    fn default() -> Self {
        Self::Relu
    }
}

impl Activation for ActivationKind {
    #[inline]
    fn name(&self) -> &'static str {
        dispatch!(self, f => f.name())
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        dispatch!(self, f => f.forward(x))
    }

    #[inline]
    fn derivative(&self, x: f64) -> f64 {
        dispatch!(self, f => f.derivative(x))
    }

    fn forward_array<D: Dimension>(&self, x: ArrayView<'_, f64, D>) -> Array<f64, D> {
        dispatch!(self, f => f.forward_array(x))
    }

    fn derivative_array<D: Dimension>(&self, x: ArrayView<'_, f64, D>) -> Array<f64, D> {
        dispatch!(self, f => f.derivative_array(x))
    }
}

impl FromStr for ActivationKind {
    type Err = ActivationError;

    /// The same as [`ActivationKind::from_name`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

impl fmt::Display for ActivationKind {
    /// The canonical name; $\alpha$ in parentheses when it is not the default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default_alpha = match self {
            Self::LeakyRelu { .. } => LeakyRelu::DEFAULT_ALPHA,
            _ => Elu::DEFAULT_ALPHA,
        };
        match self.alpha() {
            Some(alpha) if alpha != default_alpha => write!(f, "{}({alpha})", self.name()),
            _ => f.write_str(self.name()),
        }
    }
}

impl Serialize for ActivationKind {
    /// As its [`Display`](fmt::Display) name: `"relu"`, `"elu(0.5)"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ActivationKind {
    /// From a name, as [`ActivationKind::from_name`] reads it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::from_name(&name).map_err(serde::de::Error::custom)
    }
}

macro_rules! from_activation {
    ($($ty:ident),*) => {$(
        impl From<$ty> for ActivationKind {
            fn from(_: $ty) -> Self {
                Self::$ty
            }
        }
    )*};
}
from_activation!(Sigmoid, Tanh, Relu, Gelu, GeluSigmoid, GeluTanh, Identity);

impl From<LeakyRelu> for ActivationKind {
    fn from(f: LeakyRelu) -> Self {
        Self::LeakyRelu { alpha: f.alpha }
    }
}

impl From<Elu> for ActivationKind {
    fn from(f: Elu) -> Self {
        Self::Elu { alpha: f.alpha }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_to_itself() {
        for (name, kind) in ActivationKind::NAMES.iter().zip(ActivationKind::ALL) {
            assert_eq!(ActivationKind::from_name(name), Ok(kind));
            assert_eq!(kind.to_string(), *name);
            assert_eq!(kind.name(), *name);
        }
    }

    #[test]
    fn names_match_the_concrete_types() {
        let names = [
            Sigmoid.name(),
            Tanh.name(),
            Relu.name(),
            LeakyRelu::default().name(),
            Elu::default().name(),
            Gelu.name(),
            GeluSigmoid.name(),
            GeluTanh.name(),
            Identity.name(),
        ];
        assert_eq!(names, ActivationKind::NAMES);
    }

    #[test]
    fn alpha_is_read_written_and_used() {
        // (text, parsed, written back)
        let table = [
            (
                "leaky_relu(0.2)",
                ActivationKind::LeakyRelu { alpha: 0.2 },
                "leaky_relu(0.2)",
            ),
            ("elu(0.5)", ActivationKind::Elu { alpha: 0.5 }, "elu(0.5)"),
            ("elu( 1 )", ActivationKind::Elu { alpha: 1.0 }, "elu"),
            (
                "leaky_relu(0.01)",
                ActivationKind::LeakyRelu { alpha: 0.01 },
                "leaky_relu",
            ),
            (
                " Leaky-ReLU (1e-3)",
                ActivationKind::LeakyRelu { alpha: 1e-3 },
                "leaky_relu(0.001)",
            ),
            ("GELU_Tanh", ActivationKind::GeluTanh, "gelu_tanh"),
            (
                "leaky_relu(-0.5)",
                ActivationKind::LeakyRelu { alpha: -0.5 },
                "leaky_relu(-0.5)",
            ),
        ];
        for (text, kind, written) in table {
            assert_eq!(text.parse::<ActivationKind>(), Ok(kind), "{text:?}");
            assert_eq!(kind.to_string(), written);
        }
        assert_eq!(ActivationKind::LeakyRelu { alpha: 0.2 }.forward(-2.0), -0.4);
        assert_eq!(ActivationKind::Elu { alpha: 0.5 }.derivative(0.0), 0.5);
        assert_eq!(ActivationKind::Relu.alpha(), None);
    }

    #[test]
    fn unknown_name_lists_the_known_ones() {
        let err = ActivationKind::from_name("softplus").unwrap_err();
        assert_eq!(
            err,
            ActivationError::UnknownName {
                name: "softplus".into()
            }
        );
        let message = err.to_string();
        assert!(
            message.starts_with("unknown activation \"softplus\""),
            "{message}"
        );
        for name in ActivationKind::NAMES {
            assert!(message.contains(name), "{message} lacks {name}");
        }
    }

    #[test]
    fn bad_parameters_say_what_is_wrong() {
        // (text, part of the message)
        let table = [
            ("relu(0.5)", "relu takes no parameter"),
            ("elu(abc)", "alpha \"abc\" is not a number"),
            ("elu(1", "closing ')'"),
            ("leaky_relu()", "alpha \"\" is not a number"),
        ];
        for (text, expected) in table {
            let err = ActivationKind::from_name(text).unwrap_err();
            assert!(
                matches!(err, ActivationError::BadParameter { .. }),
                "{text}: {err:?}"
            );
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        assert!(matches!(
            ActivationKind::from_name("leaky_relu(nan)"),
            Err(ActivationError::InvalidAlpha {
                activation: "leaky_relu",
                ..
            })
        ));
        assert!(matches!(
            ActivationKind::from_name("elu(inf)"),
            Err(ActivationError::InvalidAlpha {
                activation: "elu",
                ..
            })
        ));
        assert!(matches!(
            ActivationKind::from_name("gelu2(1)"),
            Err(ActivationError::UnknownName { .. })
        ));
    }

    #[test]
    fn dispatch_agrees_with_the_concrete_types() {
        let concrete: [&dyn Activation; 9] = [
            &Sigmoid,
            &Tanh,
            &Relu,
            &LeakyRelu::default(),
            &Elu::default(),
            &Gelu,
            &GeluSigmoid,
            &GeluTanh,
            &Identity,
        ];
        let xs = ndarray::array![-2.5, -0.1, 0.0, 0.7, 4.0];
        for (kind, f) in ActivationKind::ALL.iter().zip(concrete) {
            for &x in &xs {
                assert_eq!(kind.forward(x), f.forward(x), "{kind} at {x}");
                assert_eq!(kind.derivative(x), f.derivative(x), "{kind}' at {x}");
            }
            let forward = kind.forward_array(xs.view());
            let derivative = kind.derivative_array(xs.view());
            for (i, &x) in xs.iter().enumerate() {
                assert_eq!(forward[i], f.forward(x));
                assert_eq!(derivative[i], f.derivative(x));
            }
        }
    }

    #[test]
    fn conversions_keep_alpha() {
        assert_eq!(
            ActivationKind::from(LeakyRelu::new(0.3)),
            ActivationKind::LeakyRelu { alpha: 0.3 }
        );
        assert_eq!(
            ActivationKind::from(Elu::default()),
            ActivationKind::Elu { alpha: 1.0 }
        );
        assert_eq!(ActivationKind::from(GeluTanh), ActivationKind::GeluTanh);
    }

    #[test]
    fn serde_uses_the_name() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Layer {
            activation: ActivationKind,
        }
        let layer = Layer {
            activation: ActivationKind::Elu { alpha: 0.5 },
        };
        let json = serde_json::to_string(&layer).unwrap();
        assert_eq!(json, r#"{"activation":"elu(0.5)"}"#);
        assert_eq!(serde_json::from_str::<Layer>(&json).unwrap(), layer);
        assert_eq!(
            serde_json::to_string(&ActivationKind::Relu).unwrap(),
            r#""relu""#
        );
        let err = serde_json::from_str::<Layer>(r#"{"activation":"swish"}"#).unwrap_err();
        assert!(err.to_string().contains("gelu_sigmoid"), "{err}");
    }
}
