//! AdamW: Adam with decoupled weight decay — beyond the lecture.

use crate::elementwise::for_each_with_two_buffers;
use crate::error::check;
use crate::{AdamConfig, OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD};
use serde::{Deserialize, Serialize};

/// Hyperparameters of [`AdamW`]; `Default` is PyTorch's
/// (`lr = 1e-3`, `betas = (0.9, 0.999)`, `eps = 1e-8`, `weight_decay = 1e-2`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamWConfig {
    /// Learning rate $\eta > 0$.
    #[serde(alias = "lr")]
    pub eta: f64,
    /// Decay $\beta_1 \in [0, 1)$ of the first moment $m$.
    pub beta1: f64,
    /// Decay $\beta_2 \in [0, 1)$ of the second moment $v$.
    pub beta2: f64,
    /// $\varepsilon > 0$ against division by zero.
    pub eps: f64,
    /// Weight decay $\lambda \ge 0$.
    #[serde(alias = "lambda")]
    pub weight_decay: f64,
}

impl Default for AdamWConfig {
    fn default() -> Self {
        let AdamConfig {
            eta,
            beta1,
            beta2,
            eps,
        } = AdamConfig::default();
        Self {
            eta,
            beta1,
            beta2,
            eps,
            weight_decay: 1e-2,
        }
    }
}

/// AdamW (Loshchilov & Hutter, 2019), **not in the lecture**: [`Adam`](crate::Adam)
/// whose weights also shrink towards zero by a fixed fraction each step,
///
/// $$ w \leftarrow w - \eta \lambda\, w, \qquad\text{then}\qquad
///    w^{(t+1)} = w - \frac{\eta}{\sqrt{\hat v_{t+1}} + \varepsilon}\, \hat m_{t+1}, $$
///
/// with $m$, $v$, $\hat m$, $\hat v$ exactly as in Adam (bias corrections
/// with the number of updates so far, see correction 4).
///
/// Adding an L2 penalty $\frac{\lambda}{2}\|w\|^2$ to the loss would put
/// $\lambda w$ into the gradient, where Adam's $1 / \sqrt{\hat v}$ rescales
/// it: weights with large gradients would hardly be regularized. AdamW
/// *decouples* the decay from the gradient, so every weight shrinks by the
/// same factor $1 - \eta\lambda$. The decay is scaled by $\eta$, so a schedule
/// that lowers $\eta$ lowers it too (as in PyTorch).
///
/// PyTorch: `torch.optim.AdamW(params, lr=eta, betas=(beta1, beta2), eps=eps, weight_decay=lambda)`.
#[derive(Debug, Clone)]
pub struct AdamW {
    config: AdamWConfig,
    states: TensorStates<2>,
}

impl AdamW {
    /// AdamW with learning rate `lr`, weight decay $\lambda$ = `weight_decay`
    /// (PyTorch's default is 0.01) and PyTorch's $\beta_1$, $\beta_2$, $\varepsilon$.
    pub fn new(lr: f64, weight_decay: f64) -> Result<Self, OptimError> {
        Self::from_config(AdamWConfig {
            eta: lr,
            weight_decay,
            ..AdamWConfig::default()
        })
    }

    /// Builds from a config, validating it.
    pub fn from_config(config: AdamWConfig) -> Result<Self, OptimError> {
        AdamConfig {
            eta: config.eta,
            beta1: config.beta1,
            beta2: config.beta2,
            eps: config.eps,
        }
        .validated()?;
        check::weight_decay(config.weight_decay)?;
        Ok(Self {
            config,
            states: TensorStates::new(["m", "v"]),
        })
    }

    /// The hyperparameters, with the current $\eta$.
    pub fn config(&self) -> AdamWConfig {
        self.config
    }
}

impl Optimizer for AdamW {
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

impl Resumable for AdamW {
    fn name(&self) -> &'static str {
        "adamw"
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

/// One tensor's step $t$: Adam's, after the decoupled decay $w \leftarrow w - \eta \lambda w$.
// ANCHOR: adam_w
// w ← w − η·λ·w, then Adam: w ← w − η·m̂/(√v̂ + ε)
fn update(
    config: &AdamWConfig,
    t: u64,
    param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    [m, v]: &mut [ArrayD<f64>; 2],
) {
    let AdamWConfig {
        eta,
        beta1,
        beta2,
        eps,
        weight_decay: lambda,
    } = *config;
    let bias1 = 1.0 - beta1.powf(t as f64); // 1 − β₁ᵗ
    let bias2 = 1.0 - beta2.powf(t as f64); // 1 − β₂ᵗ
    for_each_with_two_buffers(param, grad, m, v, |w, g, m, v| {
        *w *= 1.0 - eta * lambda; // decoupled decay: w ← w − η·λ·w
        *m = beta1 * *m + (1.0 - beta1) * g; // m ← β₁·m + (1 − β₁)·g
        *v = beta2 * *v + (1.0 - beta2) * g * g; // v ← β₂·v + (1 − β₂)·g²
        let m_hat = *m / bias1; // m̂ = m / (1 − β₁ᵗ)
        let v_hat = *v / bias2; // v̂ = v / (1 − β₂ᵗ)
        *w -= eta * m_hat / (v_hat.sqrt() + eps); // w ← w − η·m̂ / (√v̂ + ε)
    });
}
// ANCHOR_END: adam_w

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Adam;
    use ndarray::ArrayD;

    fn run(opt: &mut dyn Optimizer, w: f64, g: f64, steps: usize) -> f64 {
        let mut param = ArrayD::from_elem(vec![1], w);
        let grad = ArrayD::from_elem(vec![1], g);
        for _ in 0..steps {
            opt.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
        }
        param[[0]]
    }

    #[test]
    fn zero_decay_is_adam() {
        let mut adamw = AdamW::new(0.01, 0.0).unwrap();
        let mut adam = Adam::new(0.01).unwrap();
        assert_eq!(run(&mut adamw, 2.0, 0.7, 5), run(&mut adam, 2.0, 0.7, 5));
    }

    /// With a zero gradient Adam does not move (m = 0), and AdamW only
    /// decays: w_k = w₀ (1 − ηλ)^k. Hand-computed: 2 · 0.99³ = 1.940598.
    #[test]
    fn decay_alone_shrinks_by_one_minus_eta_lambda() {
        let mut adamw = AdamW::new(0.1, 0.1).unwrap();
        let w = run(&mut adamw, 2.0, 0.0, 3);
        assert!((w - 1.940598).abs() < 1e-12, "{w}");
    }

    #[test]
    fn negative_weight_decay_is_rejected() {
        let err = AdamW::new(0.01, -0.1).unwrap_err();
        assert!(err.to_string().contains("weight_decay = -0.1"), "{err}");
    }
}
