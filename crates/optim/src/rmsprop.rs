//! RMSProp: a step scaled by the running root mean square of the gradient.

use crate::error::check;
use crate::{OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};
use serde::{Deserialize, Serialize};

/// Hyperparameters of [`RmsProp`]; `Default` is PyTorch's
/// (`lr = 1e-2`, `alpha` $= \rho = 0.99$, `eps` $= 10^{-8}$).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RmsPropConfig {
    /// Learning rate $\eta > 0$.
    #[serde(alias = "lr")]
    pub eta: f64,
    /// Decay $\rho \in [0, 1)$ of the square average (PyTorch's `alpha`).
    #[serde(alias = "alpha")]
    pub rho: f64,
    /// $\varepsilon > 0$ against division by zero.
    pub eps: f64,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        Self {
            eta: 1e-2,
            rho: 0.99,
            eps: 1e-8,
        }
    }
}

/// RMSProp (Root Mean Square Propagation), as the lecture writes it:
///
/// $$ s_{t+1} = \rho s_t + (1 - \rho) \left(\frac{\partial \mathcal{L}}{\partial w^{(t)}}\right)^2, \qquad
///    w^{(t+1)} = w^{(t)} - \frac{\eta}{\sqrt{s_{t+1}} + \varepsilon} \frac{\partial \mathcal{L}}{\partial w^{(t)}}, \qquad s_0 = 0. $$
///
/// Each weight gets its own step size: $\sqrt{s}$ is the root mean square of
/// its recent gradients, so a weight with large gradients takes smaller
/// steps and one with small gradients larger ones — which is what an
/// ill-conditioned loss needs. $\varepsilon$ keeps the division finite when
/// $s = 0$. Because $s_0 = 0$, the first step is large:
/// $s_1 = (1 - \rho) g^2$, so $|\Delta w| \approx \eta / \sqrt{1 - \rho}$
/// ($10\eta$ for $\rho = 0.99$).
///
/// PyTorch: `torch.optim.RMSprop(params, lr=eta, alpha=rho, eps=eps)`.
#[derive(Debug, Clone)]
pub struct RmsProp {
    config: RmsPropConfig,
    states: TensorStates<1>,
}

impl RmsProp {
    /// RMSProp with learning rate `lr` and PyTorch's $\rho = 0.99$, $\varepsilon = 10^{-8}$.
    pub fn new(lr: f64) -> Result<Self, OptimError> {
        Self::from_config(RmsPropConfig {
            eta: lr,
            ..RmsPropConfig::default()
        })
    }

    /// Builds from a config, validating it.
    pub fn from_config(config: RmsPropConfig) -> Result<Self, OptimError> {
        check::learning_rate(config.eta)?;
        check::decay("rho", config.rho)?;
        check::epsilon(config.eps)?;
        Ok(Self {
            config,
            states: TensorStates::new(["s"]),
        })
    }

    /// The hyperparameters, with the current $\eta$.
    pub fn config(&self) -> RmsPropConfig {
        self.config
    }
}

impl Optimizer for RmsProp {
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

impl Resumable for RmsProp {
    fn name(&self) -> &'static str {
        "rmsprop"
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

/// One tensor's step: $s \leftarrow \rho s + (1 - \rho) g^2$,
/// $w \leftarrow w - \frac{\eta}{\sqrt{s} + \varepsilon} g$.
// ANCHOR: rms_prop
// s ← ρ·s + (1 − ρ)·g², w ← w − η·g/(√s + ε)
fn update(
    config: &RmsPropConfig,
    _t: u64,
    mut param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    [s]: &mut [ArrayD<f64>; 1],
) {
    let RmsPropConfig { eta, rho, eps } = *config;
    Zip::from(&mut param)
        .and(&grad)
        .and(s)
        .for_each(|w, &g, s| {
            *s = rho * *s + (1.0 - rho) * g * g; // s ← ρ·s + (1 − ρ)·g²
            *w -= eta / (s.sqrt() + eps) * g; // w ← w − η/(√s + ε)·g
        });
}
// ANCHOR_END: rms_prop

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    fn first_step(config: RmsPropConfig, w: f64, g: f64) -> f64 {
        let mut opt = RmsProp::from_config(config).unwrap();
        let mut param = ArrayD::from_elem(vec![1], w);
        let grad = ArrayD::from_elem(vec![1], g);
        opt.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
        param[[0]]
    }

    /// Hand-computed first steps: s₁ = (1 − ρ)g², Δw = −η g / (√s₁ + ε).
    #[test]
    fn first_step_by_hand() {
        // (η, ρ, ε, w, g, expected)
        let cases = [
            // ρ = 0.75: s = 0.25·4 = 1, Δw = −0.1·2/(1 + 0) ≈ −0.2
            (0.1, 0.75, 1e-12, 1.0, 2.0, 0.8),
            // ρ = 0.99: s = 0.01·g², √s = 0.1|g|, Δw ≈ −10η·sign(g)
            (0.01, 0.99, 1e-12, 0.0, -3.0, 0.1),
            // g = 0: s = 0, Δw = −η·0/ε = 0, ε prevents 0/0
            (0.01, 0.99, 1e-8, 0.5, 0.0, 0.5),
        ];
        for (eta, rho, eps, w, g, expected) in cases {
            let got = first_step(RmsPropConfig { eta, rho, eps }, w, g);
            assert!(
                (got - expected).abs() < 1e-10,
                "η={eta} ρ={rho} w={w} g={g}: {got}"
            );
        }
    }

    #[test]
    fn step_size_does_not_depend_on_the_gradient_scale() {
        // per-weight normalisation: scaling g by 1000 leaves the first step the same
        let config = RmsPropConfig {
            eps: 1e-15,
            ..RmsPropConfig::default()
        };
        let small = first_step(config, 0.0, 1e-3);
        let large = first_step(config, 0.0, 1.0);
        assert!((small - large).abs() < 1e-10, "{small} vs {large}");
    }

    #[test]
    fn invalid_hyperparameters_are_rejected() {
        let base = RmsPropConfig::default();
        let bad = [
            RmsPropConfig { rho: 1.0, ..base },
            RmsPropConfig { eps: 0.0, ..base },
            RmsPropConfig { eta: -1.0, ..base },
        ];
        for config in bad {
            assert!(RmsProp::from_config(config).is_err(), "{config:?}");
        }
    }
}
