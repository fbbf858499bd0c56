//! Initialisation: the lecture's first step, "Сначала генерируют случайным
//! образом веса" — and why *how* random matters (see [`Init`]).

use std::fmt;
use std::str::FromStr;

use activations::ActivationKind;
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;

/// How the weights of a new network are drawn (biases start at 0): the
/// lecture's first step, "Сначала генерируют случайным образом веса" — and
/// why *how* random matters.
///
/// ## Why the scale matters (variance preservation)
///
/// A unit of layer $l$ computes $z_j = \sum_{i=1}^{n_\text{in}} w_{ji} a_i + b_j$.
/// With independent zero-mean weights of variance $\operatorname{Var}(w)$,
/// independent of the inputs, and $b = 0$,
///
/// $$ \operatorname{Var}(z_j) = n_\text{in} \operatorname{Var}(w)\, \mathbb{E}[a_i^2]. $$
///
/// Each layer multiplies the signal's second moment by
/// $n_\text{in} \operatorname{Var}(w)$ times what the activation keeps. If
/// that factor is $c \ne 1$, after $L$ layers the signal is scaled by
/// $c^{L/2}$: with $c = 40$ and $L = 10$ the activations are $10^8$ times too
/// large (they *explode*, saturated sigmoids, infinite losses); with
/// $c = 0.004$ they are $10^{-12}$ (they *collapse*, and so do the
/// gradients — backpropagation multiplies by the same weights on the way
/// back). Hence:
///
/// | rule | distribution | $\operatorname{Var}(w)$ | keeps the variance for |
/// |---|---|---|---|
/// | [`Init::Uniform`] $a$ (the lecture's "random weights") | $U(-a, a)$ | $a^2/3$ | nothing in particular: right only by luck |
/// | [`Init::Xavier`] (Glorot & Bengio, 2010) | $U\!\left(-\sqrt{\tfrac{6}{n_\text{in} + n_\text{out}}},\ \sqrt{\tfrac{6}{n_\text{in} + n_\text{out}}}\right)$ | $\frac{2}{n_\text{in} + n_\text{out}}$ | tanh, sigmoid, identity: a compromise between the forward ($1/n_\text{in}$) and backward ($1/n_\text{out}$) conditions |
/// | [`Init::He`] (He et al., 2015) | $\mathcal{N}\!\left(0,\ \tfrac{2}{n_\text{in}}\right)$ | $\frac{2}{n_\text{in}}$ | ReLU: it zeroes half of a symmetric $z$, so $\mathbb{E}[a^2] = \tfrac12 \operatorname{Var}(z)$, and the 2 compensates |
///
/// The test `scale_through_ten_layers` (in `tests/init_scale.rs`) pushes
/// unit-variance data through 10 layers of width 128: with He and ReLU the
/// standard deviation of every layer stays between 0.5 and 2, with $U(-1, 1)$
/// it grows beyond $10^6$ and with $U(-0.01, 0.01)$ it falls below
/// $10^{-6}$.
///
/// Biases start at 0: the random weights already break the symmetry between
/// units (two units with identical weights would receive identical
/// gradients and stay identical forever).
///
/// Everything is drawn from one seeded generator, layer after layer and
/// row after row, so the same seed gives the same network bit for bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Init {
    /// $w \sim U(-a, a)$ whatever the layer's width: the lecture's plain
    /// "generate random weights". $\operatorname{Var}(w) = a^2/3$.
    Uniform {
        /// The limit $a > 0$.
        limit: f64,
    },
    /// Glorot/Xavier uniform:
    /// $w \sim U(-r, r)$, $r = \sqrt{6 / (n_\text{in} + n_\text{out})}$,
    /// $\operatorname{Var}(w) = 2 / (n_\text{in} + n_\text{out})$.
    /// PyTorch: `nn.init.xavier_uniform_`.
    Xavier,
    /// He/Kaiming normal: $w \sim \mathcal{N}(0, 2 / n_\text{in})$.
    /// PyTorch: `nn.init.kaiming_normal_(w, nonlinearity='relu')`.
    He,
}

impl Init {
    /// The names [`from_name`](Self::from_name) accepts.
    pub const NAMES: &'static str = "uniform, uniform(a), xavier, he";

    /// The lecture's plain uniform with $a = 1$.
    pub const LECTURE_UNIFORM: Init = Init::Uniform { limit: 1.0 };

    /// The usual choice for an activation: [`He`](Self::He) for the ReLU
    /// family (ReLU, Leaky ReLU, ELU, GELU and its approximations, which all
    /// behave like ReLU for large $|z|$), [`Xavier`](Self::Xavier) for
    /// sigmoid, tanh and identity.
    pub fn for_activation(activation: ActivationKind) -> Self {
        match activation {
            ActivationKind::Sigmoid | ActivationKind::Tanh | ActivationKind::Identity => {
                Self::Xavier
            }
            _ => Self::He,
        }
    }

    /// Reads `"uniform"` ($a = 1$), `"uniform(0.05)"`, `"xavier"` (or
    /// `"glorot"`) and `"he"` (or `"kaiming"`), case-insensitively.
    pub fn from_name(name: &str) -> Result<Self, ModelError> {
        let unknown = || ModelError::UnknownName {
            what: "init",
            name: name.to_owned(),
            known: Self::NAMES,
        };
        let lower = name.trim().to_ascii_lowercase();
        let init = match lower.as_str() {
            "uniform" => Self::LECTURE_UNIFORM,
            "xavier" | "glorot" => Self::Xavier,
            "he" | "kaiming" => Self::He,
            other => {
                let inside = other
                    .strip_prefix("uniform(")
                    .and_then(|rest| rest.strip_suffix(')'))
                    .ok_or_else(unknown)?;
                let limit: f64 = inside.trim().parse().map_err(|_| unknown())?;
                Self::Uniform { limit }
            }
        };
        init.validate()?;
        Ok(init)
    }

    /// Checks the parameter: a uniform limit must be finite and $> 0$.
    pub fn validate(&self) -> Result<(), ModelError> {
        match *self {
            Self::Uniform { limit } if !(limit.is_finite() && limit > 0.0) => {
                Err(ModelError::InvalidUniformLimit { limit })
            }
            _ => Ok(()),
        }
    }

    /// $\operatorname{Var}(w)$ for a layer with `fan_in` inputs and
    /// `fan_out` outputs (the table in [`Init`]'s docs).
    pub fn variance(&self, fan_in: usize, fan_out: usize) -> f64 {
        match *self {
            Self::Uniform { limit } => limit * limit / 3.0,
            Self::Xavier => 2.0 / (fan_in + fan_out) as f64,
            Self::He => 2.0 / fan_in as f64,
        }
    }

    /// A `fan_out × fan_in` weight matrix (PyTorch's layout) drawn from `rng`.
    pub fn weights(&self, fan_in: usize, fan_out: usize, rng: &mut StdRng) -> Array2<f64> {
        match *self {
            Self::Uniform { limit } => uniform(fan_in, fan_out, limit, rng),
            // ANCHOR: xavier
            Self::Xavier => {
                // r = √(6 / (n_in + n_out)), so that r²/3 = 2 / (n_in + n_out)
                let r = (6.0 / (fan_in + fan_out) as f64).sqrt();
                uniform(fan_in, fan_out, r, rng)
            }
            // ANCHOR_END: xavier
            // ANCHOR: he
            Self::He => {
                // σ = √(2 / n_in)
                let sigma = (2.0 / fan_in as f64).sqrt();
                let normal = Normal::new(0.0, sigma).expect("σ is finite and > 0");
                Array2::from_shape_simple_fn((fan_out, fan_in), || normal.sample(rng))
            } // ANCHOR_END: he
        }
    }

    /// The generator behind a network's weights: seeded from `seed` and
    /// a tag of its own, so it never coincides with the training loop's
    /// shuffling stream of the same seed.
    pub fn rng(seed: u64) -> StdRng {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[16..24].copy_from_slice(b"mlp:init");
        StdRng::from_seed(key)
    }
}

/// `fan_out × fan_in` entries from $U(-a, a)$.
fn uniform(fan_in: usize, fan_out: usize, a: f64, rng: &mut StdRng) -> Array2<f64> {
    Array2::from_shape_simple_fn((fan_out, fan_in), || rng.random_range(-a..a))
}

impl Default for Init {
    /// [`He`](Self::He), the right choice for the default ReLU hidden layers.
    fn default() -> Self {
        Self::He
    }
}

impl fmt::Display for Init {
    /// `"uniform(0.5)"`, `"xavier"`, `"he"`; a value read back is the value written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Uniform { limit } => write!(f, "uniform({limit})"),
            Self::Xavier => f.write_str("xavier"),
            Self::He => f.write_str("he"),
        }
    }
}

impl FromStr for Init {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

impl Serialize for Init {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Init {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::from_name(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_and_write_back() {
        let table = [
            ("uniform", Init::Uniform { limit: 1.0 }, "uniform(1)"),
            (
                "Uniform(0.05)",
                Init::Uniform { limit: 0.05 },
                "uniform(0.05)",
            ),
            ("xavier", Init::Xavier, "xavier"),
            ("glorot", Init::Xavier, "xavier"),
            ("He", Init::He, "he"),
            ("kaiming", Init::He, "he"),
        ];
        for (text, init, written) in table {
            assert_eq!(text.parse::<Init>(), Ok(init), "{text}");
            assert_eq!(init.to_string(), written);
            assert_eq!(written.parse::<Init>(), Ok(init));
        }
        let json = serde_json::to_string(&Init::Uniform { limit: 0.25 }).unwrap();
        assert_eq!(json, "\"uniform(0.25)\"");
        assert_eq!(
            serde_json::from_str::<Init>(&json).unwrap(),
            Init::Uniform { limit: 0.25 }
        );
    }

    #[test]
    fn bad_names_and_limits_are_errors() {
        let err = "lecun".parse::<Init>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown init \"lecun\"; known: uniform, uniform(a), xavier, he"
        );
        for bad in ["uniform(0)", "uniform(-1)", "uniform(inf)", "uniform(NaN)"] {
            assert!(
                matches!(
                    bad.parse::<Init>(),
                    Err(ModelError::InvalidUniformLimit { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            "uniform(x)".parse::<Init>(),
            Err(ModelError::UnknownName { .. })
        ));
    }

    #[test]
    fn sample_moments_match_the_formulas() {
        // (init, fan_in, fan_out): sample variance within 5% of Var(w), mean ≈ 0
        let table = [
            (Init::Uniform { limit: 0.5 }, 200, 300),
            (Init::Xavier, 200, 300),
            (Init::He, 200, 300),
        ];
        let mut rng = Init::rng(7);
        for (init, fan_in, fan_out) in table {
            let w = init.weights(fan_in, fan_out, &mut rng);
            assert_eq!(w.dim(), (fan_out, fan_in));
            let n = w.len() as f64;
            let mean = w.sum() / n;
            let var = w.mapv(|v| (v - mean).powi(2)).sum() / n;
            let expected = init.variance(fan_in, fan_out);
            assert!(
                mean.abs() < 0.01 * expected.sqrt() * 5.0,
                "{init}: mean {mean}"
            );
            assert!(
                (var / expected - 1.0).abs() < 0.05,
                "{init}: variance {var}, expected {expected}"
            );
        }
        // Xavier's bound is exactly √(6 / (n_in + n_out))
        let w = Init::Xavier.weights(10, 14, &mut rng);
        assert!(w.iter().all(|v| v.abs() < 0.5), "r = √(6/24) = 0.5");
    }

    #[test]
    fn the_default_follows_the_activation() {
        assert_eq!(Init::for_activation(ActivationKind::Relu), Init::He);
        assert_eq!(Init::for_activation(ActivationKind::Gelu), Init::He);
        assert_eq!(Init::for_activation(ActivationKind::Tanh), Init::Xavier);
        assert_eq!(Init::for_activation(ActivationKind::Sigmoid), Init::Xavier);
    }
}
