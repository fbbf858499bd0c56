//! Gradient descent — the lecture's first update rule.

use crate::error::check;
use crate::{OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};
use serde::{Deserialize, Serialize};

/// Hyperparameters of [`Sgd`]; `Default` is PyTorch's (`lr = 1e-3`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate $\eta > 0$.
    #[serde(alias = "lr")]
    pub eta: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self { eta: 1e-3 }
    }
}

/// Gradient descent (stochastic when the gradient comes from a mini-batch):
///
/// $$ w^{(t+1)} = w^{(t)} - \eta \, \frac{\partial \mathcal{L}}{\partial w^{(t)}} $$
///
/// and the same for every bias $b$. As the lecture says, it is sensitive to
/// the scale of the features and to the choice of $\eta$, and slow where the
/// gradients are small. It keeps no state besides the tensors' shapes.
///
/// PyTorch: `torch.optim.SGD(params, lr=eta)`.
#[derive(Debug, Clone)]
pub struct Sgd {
    config: SgdConfig,
    states: TensorStates<0>,
}

impl Sgd {
    /// Gradient descent with learning rate `lr` ($\eta > 0$, finite).
    pub fn new(lr: f64) -> Result<Self, OptimError> {
        Self::from_config(SgdConfig { eta: lr })
    }

    /// Builds from a config, validating it.
    pub fn from_config(config: SgdConfig) -> Result<Self, OptimError> {
        check::learning_rate(config.eta)?;
        Ok(Self {
            config,
            states: TensorStates::new([]),
        })
    }

    /// The hyperparameters, with the current $\eta$.
    pub fn config(&self) -> SgdConfig {
        self.config
    }
}

impl Optimizer for Sgd {
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

impl Resumable for Sgd {
    fn name(&self) -> &'static str {
        "sgd"
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

/// One tensor's step: $w \leftarrow w - \eta\, \partial \mathcal{L} / \partial w$.
// ANCHOR: sgd
// w ← w − η·∂L/∂w
fn update(
    config: &SgdConfig,
    _t: u64,
    mut param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    _: &mut [ArrayD<f64>; 0],
) {
    let eta = config.eta;
    Zip::from(&mut param).and(&grad).for_each(|w, &g| {
        *w -= eta * g; // w ← w − η·∂L/∂w
    });
}
// ANCHOR_END: sgd

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{ArrayD, array};

    /// Hand-computed steps: (η, w, g, w after one step).
    #[test]
    fn one_step_by_hand() {
        let cases = [
            (0.1, 1.0, 2.0, 0.8),
            (0.5, -1.0, -4.0, 1.0),
            (1e-3, 3.0, 0.0, 3.0),
            (0.25, 0.0, 1.0, -0.25),
        ];
        for (eta, w, g, expected) in cases {
            let mut sgd = Sgd::new(eta).unwrap();
            let mut param = ArrayD::from_elem(vec![1], w);
            let grad = ArrayD::from_elem(vec![1], g);
            sgd.step(&mut [param.view_mut()], &[grad.view()]).unwrap();
            assert_eq!(param[[0]], expected, "η = {eta}, w = {w}, g = {g}");
        }
    }

    #[test]
    fn the_step_goes_against_the_gradient() {
        // f(w) = w² at w = 3: g = 6 > 0, so w must decrease
        let mut sgd = Sgd::new(0.1).unwrap();
        let mut w = array![3.0].into_dyn();
        let g = array![6.0].into_dyn();
        sgd.step(&mut [w.view_mut()], &[g.view()]).unwrap();
        assert!(w[[0]] < 3.0 && w[[0]] * w[[0]] < 9.0);
    }

    #[test]
    fn invalid_learning_rates_are_rejected() {
        for lr in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            let err = Sgd::new(lr).unwrap_err();
            assert!(matches!(
                err,
                OptimError::InvalidHyperparameter { name: "eta", .. }
            ));
        }
    }
}
