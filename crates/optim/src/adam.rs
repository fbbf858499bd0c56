//! Adam: momentum and RMSProp together, with bias correction.

use crate::elementwise::for_each_with_two_buffers;
use crate::error::check;
use crate::{OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD};
use serde::{Deserialize, Serialize};

/// Hyperparameters of [`Adam`]; `Default` is PyTorch's
/// (`lr = 1e-3`, `betas = (0.9, 0.999)`, `eps = 1e-8`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamConfig {
    /// Learning rate $\eta > 0$.
    #[serde(alias = "lr")]
    pub eta: f64,
    /// Decay $\beta_1 \in [0, 1)$ of the first moment $m$.
    pub beta1: f64,
    /// Decay $\beta_2 \in [0, 1)$ of the second moment $v$.
    pub beta2: f64,
    /// $\varepsilon > 0$ against division by zero.
    pub eps: f64,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self {
            eta: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl AdamConfig {
    pub(crate) fn validated(self) -> Result<Self, OptimError> {
        check::learning_rate(self.eta)?;
        check::decay("beta1", self.beta1)?;
        check::decay("beta2", self.beta2)?;
        check::epsilon(self.eps)?;
        Ok(self)
    }
}

/// Adam (Adaptive Moment Estimation, Kingma & Ba 2015), with the lecture's
/// symbols:
///
/// $$ m_{t+1} = \beta_1 m_t + (1 - \beta_1)\, g_t, \qquad
///    v_{t+1} = \beta_2 v_t + (1 - \beta_2)\, g_t^2, \qquad
///    g_t = \frac{\partial \mathcal{L}}{\partial w^{(t)}}, $$
///
/// $$ \hat m_{t+1} = \frac{m_{t+1}}{1 - \beta_1^{\,t+1}}, \qquad
///    \hat v_{t+1} = \frac{v_{t+1}}{1 - \beta_2^{\,t+1}}, \qquad
///    w^{(t+1)} = w^{(t)} - \frac{\eta}{\sqrt{\hat v_{t+1}} + \varepsilon}\, \hat m_{t+1}, $$
///
/// with $m_0 = v_0 = 0$. $m$ is momentum's velocity (an average rather than
/// a sum), $v$ is RMSProp's square average. Both start at zero, so early
/// on they are biased towards zero; dividing by $1 - \beta^{k}$, where $k$ is
/// the number of updates made so far, removes that bias exactly for a
/// constant gradient. On the first step $\hat m_1 = g$ and $\hat v_1 = g^2$,
/// so every weight moves by almost exactly $\eta$:
/// $\Delta w = -\eta\, g / (|g| + \varepsilon)$.
///
/// **Исправление (correction 4).** The lecture writes
/// $\hat m_{t+1} = m_{t+1} / (1 - \beta_1^{t})$ and
/// $\hat v_{t+1} = v_{t+1} / (1 - \beta_2^{t})$. With $t$ counting from 0
/// (the first update turns $w^{(0)}$ into $w^{(1)}$), the first step divides
/// by $1 - \beta^0 = 0$: $\hat m$ and $\hat v$ are infinite and the update is
/// $\infty / \infty = $ NaN. The exponent must be the number of updates made
/// so far, $t + 1$. In the code, `t` *is* that number ([`Resumable::steps_taken`],
/// 1 on the first step, as in PyTorch). The test
/// `lecture_bias_correction_divides_by_zero_on_the_first_step` runs
/// [`first_step_as_written_in_lecture`] to show it.
///
/// **In the code** `t` counts from 1 and the update is written as above,
/// with `m_hat` and `v_hat`: per weight, two products by the step's
/// $1 / (1 - \beta_1^t)$ and $1 / (1 - \beta_2^t)$ (computed once per
/// tensor: a division costs several products), a square root and a
/// division. PyTorch folds the corrections into two numbers per step
/// ($\frac{\eta}{1 - \beta_1^t}$ and $\sqrt{1 - \beta_2^t}$); the results
/// agree to rounding (test `tests/torch_reference.rs`, $10^{-9} + 10^{-7}|x|$).
/// A tensor of at least 65 536 weights is updated in two halves on two threads.
///
/// PyTorch: `torch.optim.Adam(params, lr=eta, betas=(beta1, beta2), eps=eps)`.
#[derive(Debug, Clone)]
pub struct Adam {
    config: AdamConfig,
    states: TensorStates<2>,
}

impl Adam {
    /// Adam with learning rate `lr` and PyTorch's $\beta_1 = 0.9$,
    /// $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$.
    pub fn new(lr: f64) -> Result<Self, OptimError> {
        Self::from_config(AdamConfig {
            eta: lr,
            ..AdamConfig::default()
        })
    }

    /// Builds from a config, validating it.
    pub fn from_config(config: AdamConfig) -> Result<Self, OptimError> {
        Ok(Self {
            config: config.validated()?,
            states: TensorStates::new(["m", "v"]),
        })
    }

    /// The hyperparameters, with the current $\eta$.
    pub fn config(&self) -> AdamConfig {
        self.config
    }
}

impl Optimizer for Adam {
    fn step(
        &mut self,
        params: &mut [ArrayViewMutD<'_, f64>],
        grads: &[ArrayViewD<'_, f64>],
    ) -> Result<(), OptimError> {
        let config = self.config;
        self.states
            .step(config.eta, params, grads, |t, param, grad, buffers| {
                update(&config, t, param, grad, buffers)
            })
    }

    fn learning_rate(&self) -> f64 {
        self.config.eta
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.config.eta = lr;
    }
}

impl Resumable for Adam {
    fn name(&self) -> &'static str {
        "adam"
    }

    fn steps_taken(&self) -> u64 {
        self.states.t()
    }

    fn state(&self) -> OptimizerState {
        self.states.snapshot(self.name(), self.config.eta)
    }

    fn load_state(&mut self, state: OptimizerState) -> Result<(), OptimError> {
        self.config.eta = self.states.restore(self.name(), state)?;
        Ok(())
    }
}

/// One tensor's step $t$ ($t = 1$ on the first, correction 4).
// ANCHOR: adam
// w ← w − η·m̂/(√v̂ + ε), t = 1 on the first step
fn update(
    config: &AdamConfig,
    t: u64,
    param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    [m, v]: &mut [ArrayD<f64>; 2],
) {
    let AdamConfig {
        eta,
        beta1,
        beta2,
        eps,
    } = *config;
    // 1/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ) once per tensor: a product per weight
    // instead of a division, which costs several times as much
    let inv_bias1 = 1.0 / (1.0 - beta1.powf(t as f64));
    let inv_bias2 = 1.0 / (1.0 - beta2.powf(t as f64));
    for_each_with_two_buffers(param, grad, m, v, |w, g, m, v| {
        *m = beta1 * *m + (1.0 - beta1) * g; // m ← β₁·m + (1 − β₁)·g
        *v = beta2 * *v + (1.0 - beta2) * g * g; // v ← β₂·v + (1 − β₂)·g²
        let m_hat = *m * inv_bias1; // m̂ = m / (1 − β₁ᵗ)
        let v_hat = *v * inv_bias2; // v̂ = v / (1 − β₂ᵗ)
        *w -= eta * m_hat / (v_hat.sqrt() + eps); // w ← w − η·m̂ / (√v̂ + ε)
    });
}
// ANCHOR_END: adam

/// Adam's first update of one weight $w$ with gradient $g$ exactly as the
/// lecture writes it: bias corrections $1 - \beta^{t}$ with $t = 0$ on the
/// first step. Kept only to show correction 4: the result is NaN for every
/// $w$ and $g$ ($\pm\infty / \infty$ if $g \ne 0$, $0 / 0$ if $g = 0$).
pub fn first_step_as_written_in_lecture(config: &AdamConfig, w: f64, g: f64) -> f64 {
    let AdamConfig {
        eta,
        beta1,
        beta2,
        eps,
    } = *config;
    let t = 0; // w^{(0)} → w^{(1)}
    let m = (1.0 - beta1) * g; // m_1, from m_0 = 0
    let v = (1.0 - beta2) * g * g; // v_1, from v_0 = 0
    let m_hat = m / (1.0 - beta1.powi(t)); // divides by 1 − β₁⁰ = 0
    let v_hat = v / (1.0 - beta2.powi(t));
    w - eta / (v_hat.sqrt() + eps) * m_hat
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    fn steps(config: AdamConfig, w: f64, grads: &[f64]) -> Vec<f64> {
        let mut adam = Adam::from_config(config).unwrap();
        let mut param = ArrayD::from_elem(vec![1], w);
        grads
            .iter()
            .map(|&g| {
                let grad = ArrayD::from_elem(vec![1], g);
                adam.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
                param[[0]]
            })
            .collect()
    }

    #[test]
    fn lecture_bias_correction_divides_by_zero_on_the_first_step() {
        let config = AdamConfig {
            eta: 0.1,
            ..AdamConfig::default()
        };
        for g in [2.0, -0.5, 1e-6, 0.0] {
            let lecture = first_step_as_written_in_lecture(&config, 1.0, g);
            assert!(
                lecture.is_nan(),
                "g = {g}: the lecture's step gave {lecture}"
            );
            // with t = number of updates so far (1) the step is finite and ≈ η
            let ours = steps(config, 1.0, &[g])[0];
            assert!(ours.is_finite());
            let expected = 1.0 - 0.1 * g / (g.abs() + 1e-8);
            assert!(
                (ours - expected).abs() < 1e-12,
                "g = {g}: {ours} vs {expected}"
            );
        }
        // the lecture's m̂ alone: (1 − β₁)g / (1 − β₁⁰) = ±∞
        assert!(((1.0 - 0.9) * 2.0 / (1.0 - 0.9_f64.powi(0))).is_infinite());
    }

    /// Hand-computed second step, η = 0.1, β₁ = 0.5, β₂ = 0.75, ε = 0,
    /// gradients 1 then 3:
    /// m₁ = 0.5, v₁ = 0.25, m̂ = 1, v̂ = 1 → w₁ = w₀ − 0.1;
    /// m₂ = 0.25 + 1.5 = 1.75, v₂ = 0.1875 + 2.25 = 2.4375,
    /// m̂₂ = 1.75/0.75 = 7/3, v̂₂ = 2.4375/0.4375 = 39/7 →
    /// w₂ = w₁ − 0.1·(7/3)/√(39/7).
    #[test]
    fn two_steps_by_hand() {
        let config = AdamConfig {
            eta: 0.1,
            beta1: 0.5,
            beta2: 0.75,
            eps: 1e-300,
        };
        let got = steps(config, 0.0, &[1.0, 3.0]);
        let w1 = -0.1;
        let w2 = w1 - 0.1 * (7.0 / 3.0) / (39.0_f64 / 7.0).sqrt();
        assert!((got[0] - w1).abs() < 1e-15, "{got:?}");
        assert!((got[1] - w2).abs() < 1e-15, "{got:?} vs {w2}");
    }

    #[test]
    fn constant_gradient_gives_steps_of_eta() {
        // bias correction is exact for a constant gradient: m̂ = g, v̂ = g²
        let got = steps(AdamConfig::default(), 0.0, &[0.3; 5]);
        for (k, w) in got.iter().enumerate() {
            let expected = -1e-3 * (k + 1) as f64;
            // ε makes each step η·|g|/(|g| + ε), 3·10⁻¹¹ short of η
            assert!((w - expected).abs() < 1e-9, "step {k}: {w}");
        }
    }

    /// A tensor large enough to be updated on two threads: a NaN in either
    /// half is reported with its position, and neither the weights nor the
    /// moments change; the next finite step goes on as if it never happened.
    #[test]
    fn a_non_finite_gradient_in_a_two_thread_tensor_changes_nothing() {
        let len = crate::elementwise::PARALLEL_MIN_LEN + 10;
        let grad = ArrayD::from_shape_fn(vec![len], |i| (i[0] % 5) as f64 - 2.0);
        let mut adam = Adam::new(0.01).unwrap();
        let mut param = ArrayD::from_elem(vec![len], 1.0);
        adam.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
        let (param_before, state_before) = (param.clone(), adam.state());
        for bad in [3, len - 2] {
            let mut nan_grad = grad.clone();
            nan_grad[[bad]] = f64::NAN;
            let err = adam
                .step(&mut [param.view_mut()], &[nan_grad.view()])
                .unwrap_err();
            assert!(
                matches!(&err, OptimError::NonFiniteGradient { index: 0, position, .. } if position == &vec![bad]),
                "{err}"
            );
            assert_eq!(param, param_before);
            assert_eq!(adam.state(), state_before);
        }
        adam.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
        // the same second step as an uninterrupted run
        let mut fresh = Adam::new(0.01).unwrap();
        let mut expected = ArrayD::from_elem(vec![len], 1.0);
        for _ in 0..2 {
            fresh
                .step(&mut [expected.view_mut()], &[grad.view()])
                .unwrap();
        }
        assert_eq!(param, expected);
        assert_eq!(adam.state(), fresh.state());
    }

    #[test]
    fn invalid_hyperparameters_are_rejected() {
        let base = AdamConfig::default();
        for (config, name) in [
            (AdamConfig { beta1: 1.0, ..base }, "beta1"),
            (
                AdamConfig {
                    beta2: -0.1,
                    ..base
                },
                "beta2",
            ),
            (AdamConfig { eps: -1e-8, ..base }, "eps"),
            (
                AdamConfig {
                    eta: f64::NAN,
                    ..base
                },
                "eta",
            ),
        ] {
            let err = Adam::from_config(config).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}
