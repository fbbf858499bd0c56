//! Gradient descent with momentum, in the lecture's form.

use crate::error::check;
use crate::{OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};
use serde::{Deserialize, Serialize};

/// Hyperparameters of [`Momentum`] and [`Nesterov`](crate::Nesterov).
///
/// `Default` is PyTorch's `lr = 1e-3` with $\mu = 0.9$, the usual choice
/// (PyTorch's own default `momentum = 0` would be plain gradient descent).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MomentumConfig {
    /// Learning rate $\eta > 0$.
    #[serde(alias = "lr")]
    pub eta: f64,
    /// Momentum $\mu \in [0, 1)$: how much of the previous velocity is kept.
    #[serde(alias = "momentum")]
    pub mu: f64,
}

impl Default for MomentumConfig {
    fn default() -> Self {
        Self { eta: 1e-3, mu: 0.9 }
    }
}

impl MomentumConfig {
    pub(crate) fn validated(self) -> Result<Self, OptimError> {
        check::learning_rate(self.eta)?;
        check::decay("mu", self.mu)?;
        Ok(self)
    }
}

/// Gradient descent with momentum, exactly as the lecture writes it:
///
/// $$ v_{t+1} = \mu v_t + \frac{\partial \mathcal{L}}{\partial w^{(t)}}, \qquad
///    w^{(t+1)} = w^{(t)} - \eta\, v_{t+1}, \qquad v_0 = 0. $$
///
/// The velocity $v$ is a running sum of past gradients, each weighed by
/// $\mu^k$; along a direction where the gradient keeps its sign the step
/// grows up to $\eta / (1 - \mu)$ times the gradient, and across a ravine,
/// where the sign alternates, the contributions cancel. Faster than plain
/// gradient descent where gradients are small and less sensitive to noise.
///
/// This is PyTorch's `torch.optim.SGD(params, lr=eta, momentum=mu)` (with its
/// default `dampening = 0`). Another common form, $v \leftarrow \mu v + \eta g$,
/// $w \leftarrow w - v$, is the same while $\eta$ is constant but not when a
/// schedule changes $\eta$: there the lecture's (and PyTorch's) form applies
/// the new $\eta$ to the whole velocity at once.
#[derive(Debug, Clone)]
pub struct Momentum {
    config: MomentumConfig,
    states: TensorStates<1>,
}

impl Momentum {
    /// Momentum with learning rate `lr` ($\eta > 0$) and `mu` ($0 \le \mu < 1$).
    pub fn new(lr: f64, mu: f64) -> Result<Self, OptimError> {
        Self::from_config(MomentumConfig { eta: lr, mu })
    }

    /// Builds from a config, validating it.
    pub fn from_config(config: MomentumConfig) -> Result<Self, OptimError> {
        Ok(Self {
            config: config.validated()?,
            states: TensorStates::new(["v"]),
        })
    }

    /// The hyperparameters, with the current $\eta$.
    pub fn config(&self) -> MomentumConfig {
        self.config
    }
}

impl Optimizer for Momentum {
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

impl Resumable for Momentum {
    fn name(&self) -> &'static str {
        "momentum"
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

/// One tensor's step: $v \leftarrow \mu v + g$, $w \leftarrow w - \eta v$.
// ANCHOR: momentum
// v ← μ·v + g, w ← w − η·v
fn update(
    config: &MomentumConfig,
    _t: u64,
    mut param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    [v]: &mut [ArrayD<f64>; 1],
) {
    let MomentumConfig { eta, mu } = *config;
    Zip::from(&mut param)
        .and(&grad)
        .and(v)
        .for_each(|w, &g, v| {
            *v = mu * *v + g; // v ← μ·v + ∂L/∂w
            *w -= eta * *v; // w ← w − η·v
        });
}
// ANCHOR_END: momentum

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    fn run(opt: &mut dyn Optimizer, w: f64, grads: &[f64]) -> Vec<f64> {
        let mut param = ArrayD::from_elem(vec![1], w);
        grads
            .iter()
            .map(|&g| {
                let grad = ArrayD::from_elem(vec![1], g);
                opt.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
                param[[0]]
            })
            .collect()
    }

    /// Hand-computed: η = 0.1, μ = 0.5, w₀ = 1, constant gradient 1:
    /// v = 1, 1.5, 1.75 → w = 0.9, 0.75, 0.575.
    #[test]
    fn velocity_accumulates_by_hand() {
        let mut opt = Momentum::new(0.1, 0.5).unwrap();
        let got = run(&mut opt, 1.0, &[1.0, 1.0, 1.0]);
        for (g, e) in got.iter().zip([0.9, 0.75, 0.575]) {
            assert!((g - e).abs() < 1e-15, "{got:?}");
        }
    }

    /// An alternating gradient (a ravine's walls) mostly cancels:
    /// η = 1, μ = 0.5, g = 1, −1: v = 1, −0.5 → w = −1, −0.5.
    #[test]
    fn alternating_gradients_cancel_by_hand() {
        let mut opt = Momentum::new(1.0, 0.5).unwrap();
        assert_eq!(run(&mut opt, 0.0, &[1.0, -1.0]), vec![-1.0, -0.5]);
    }

    #[test]
    fn zero_momentum_is_gradient_descent() {
        let grads = [0.3, -1.2, 2.5, 0.7];
        let mut momentum = Momentum::new(0.05, 0.0).unwrap();
        let mut sgd = crate::Sgd::new(0.05).unwrap();
        assert_eq!(run(&mut momentum, 0.4, &grads), run(&mut sgd, 0.4, &grads));
    }

    #[test]
    fn mu_outside_the_unit_interval_is_rejected() {
        for mu in [1.0, -0.1, 1.5, f64::NAN] {
            let err = Momentum::new(0.1, mu).unwrap_err();
            assert!(err.to_string().contains("mu"), "{err}");
        }
    }
}
