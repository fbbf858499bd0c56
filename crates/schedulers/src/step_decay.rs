//! Step decay: drop the learning rate by a factor every few steps.

use crate::error::check;
use crate::{ScheduleError, Scheduler};

/// Step decay, as the lecture writes it:
///
/// $$ \eta_t = \eta_0 \cdot \gamma^{\lfloor t / s \rfloor}, $$
///
/// where $s$ is how many steps (the lecture says epochs: the unit is
/// whatever the training loop counts) pass between drops and
/// $\gamma \in (0, 1]$ the factor of each drop.
///
/// PyTorch: `StepLR(optimizer, step_size=s, gamma=gamma)` with the
/// optimizer's `lr` $= \eta_0$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDecay {
    eta0: f64,
    gamma: f64,
    step_size: usize,
}

impl StepDecay {
    /// Starts at `eta0` ($> 0$) and multiplies by `gamma` ($0 < \gamma \le 1$)
    /// every `step_size` ($s \ge 1$) steps.
    pub fn new(eta0: f64, gamma: f64, step_size: usize) -> Result<Self, ScheduleError> {
        Ok(Self {
            eta0: check::positive("eta0", eta0)?,
            gamma: check::factor("gamma", gamma)?,
            step_size: check::steps("step_size", step_size)?,
        })
    }
}

impl Scheduler for StepDecay {
    // ANCHOR: step_decay
    fn learning_rate(&self, step: usize) -> f64 {
        let drops = step / self.step_size; // ⌊t / s⌋
        self.eta0 * self.gamma.powf(drops as f64)
    }
    // ANCHOR_END: step_decay
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed values: η₀ = 0.1, γ = 0.5, s = 3.
    #[test]
    fn table_by_hand() {
        let schedule = StepDecay::new(0.1, 0.5, 3).unwrap();
        let table = [
            (0, 0.1),
            (2, 0.1),
            (3, 0.05),
            (5, 0.05),
            (6, 0.025),
            (9, 0.0125),
            (31, 0.1 / 1024.0),
        ];
        for (t, expected) in table {
            assert_eq!(schedule.learning_rate(t), expected, "t = {t}");
        }
    }

    #[test]
    fn invalid_parameters_are_named() {
        let cases = [
            (StepDecay::new(0.0, 0.5, 3), "eta0 = 0"),
            (StepDecay::new(0.1, 1.5, 3), "gamma = 1.5"),
            (StepDecay::new(0.1, 0.0, 3), "gamma = 0"),
            (StepDecay::new(0.1, 0.5, 0), "step_size = 0"),
        ];
        for (result, needle) in cases {
            let err = result.unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
