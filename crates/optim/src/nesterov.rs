//! Nesterov momentum — beyond the lecture.

use crate::{MomentumConfig, OptimError, Optimizer, OptimizerState, Resumable, TensorStates};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};

/// Nesterov's accelerated gradient, **not in the lecture**: momentum that
/// looks one step ahead.
///
/// $$ v_{t+1} = \mu v_t + g_t, \qquad
///    w^{(t+1)} = w^{(t)} - \eta \left(g_t + \mu v_{t+1}\right), \qquad
///    g_t = \frac{\partial \mathcal{L}}{\partial w^{(t)}}. $$
///
/// Plain [`Momentum`](crate::Momentum) steps by $\eta v_{t+1}$; Nesterov
/// replaces the velocity in the step by $g_t + \mu v_{t+1}$, an estimate of
/// the velocity one step later. Sutskever et al. (2013) write it as a
/// gradient taken at the look-ahead point $w - \eta\mu v$; the form above
/// (Bengio et al., 2012) is the same method rewritten to need only the
/// gradient at the current $w$, and it is what PyTorch computes:
/// `torch.optim.SGD(params, lr=eta, momentum=mu, nesterov=True)`.
#[derive(Debug, Clone)]
pub struct Nesterov {
    config: MomentumConfig,
    states: TensorStates<1>,
}

impl Nesterov {
    /// Nesterov momentum with learning rate `lr` ($\eta > 0$) and `mu` ($0 \le \mu < 1$).
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

impl Optimizer for Nesterov {
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

impl Resumable for Nesterov {
    fn name(&self) -> &'static str {
        "nesterov"
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

/// One tensor's step: $v \leftarrow \mu v + g$, $w \leftarrow w - \eta (g + \mu v)$.
// ANCHOR: nesterov
// v ← μ·v + g, w ← w − η·(g + μ·v)
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
            *v = mu * *v + g; // v ← μ·v + g
            *w -= eta * (g + mu * *v); // w ← w − η·(g + μ·v)
        });
}
// ANCHOR_END: nesterov

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    /// Hand-computed: η = 0.1, μ = 0.5, w₀ = 1, gradient 1 twice.
    /// Step 1: v = 1, w = 1 − 0.1·(1 + 0.5) = 0.85.
    /// Step 2: v = 1.5, w = 0.85 − 0.1·(1 + 0.75) = 0.675.
    #[test]
    fn two_steps_by_hand() {
        let mut opt = Nesterov::new(0.1, 0.5).unwrap();
        let mut w = ArrayD::from_elem(vec![1], 1.0);
        let g = ArrayD::from_elem(vec![1], 1.0);
        let mut got = Vec::new();
        for _ in 0..2 {
            opt.step(&mut [w.view_mut()], &[g.view()]).unwrap();
            got.push(w[[0]]);
        }
        for (g, e) in got.iter().zip([0.85, 0.675]) {
            assert!((g - e).abs() < 1e-15, "{got:?}");
        }
    }

    #[test]
    fn nesterov_differs_from_plain_momentum() {
        let mut nesterov = Nesterov::new(0.1, 0.9).unwrap();
        let mut momentum = crate::Momentum::new(0.1, 0.9).unwrap();
        let g = ArrayD::from_elem(vec![1], 1.0);
        let (mut a, mut b) = (g.clone(), g.clone());
        nesterov.step(&mut [a.view_mut()], &[g.view()]).unwrap();
        momentum.step(&mut [b.view_mut()], &[g.view()]).unwrap();
        // first step: Nesterov moves (1 + μ) times as far
        assert!(((1.0 - a[[0]]) - 1.9 * (1.0 - b[[0]])).abs() < 1e-15);
    }
}
