//! Cyclic learning rate (Smith, 2015): back and forth between two bounds.

use crate::error::check;
use crate::{ScheduleError, Scheduler};
use serde::{Deserialize, Serialize};

/// How the height of each cycle changes (Smith's "policies").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum CyclicPolicy {
    /// Every cycle goes all the way from $\eta_{\text{base}}$ to $\eta_{\max}$.
    Triangular,
    /// The height halves after each cycle: scale $= 1 / 2^{c}$ in cycle $c = 0, 1, \dots$
    Triangular2,
    /// The height shrinks by $\gamma$ every step: scale $= \gamma^{t}$.
    ExpRange {
        /// $\gamma \in (0, 1]$.
        gamma: f64,
    },
}

/// Cyclic learning rate, "triangular" policies of Smith (2015),
/// *Cyclical Learning Rates for Training Neural Networks* (the lecture's
/// source, arXiv:1506.01186):
///
/// $$ c = \left\lfloor 1 + \frac{t}{2s} \right\rfloor, \qquad
///    x = \left| \frac{t}{s} - 2c + 1 \right|, \qquad
///    \eta_t = \eta_{\text{base}} + (\eta_{\max} - \eta_{\text{base}}) \max(0, 1 - x) \cdot \text{scale}, $$
///
/// where $s$ is the step size (half a cycle) and the scale comes from the
/// [`CyclicPolicy`]: 1, $1/2^{c-1}$ or $\gamma^t$. The rate climbs linearly
/// from $\eta_{\text{base}}$ to $\eta_{\max}$ over $s$ steps and falls back over
/// the next $s$. As the lecture puts it: a large rate may hurt in the short
/// term but speed training up in the long term.
///
/// The code computes the same with whole numbers — the position in the
/// cycle is `t % (2s)` — so the triangular schedule is exactly periodic.
/// A cycle may also fall more slowly than it rises
/// ([`with_step_size_down`](Self::with_step_size_down)).
///
/// PyTorch: `CyclicLR(optimizer, base_lr, max_lr, step_size_up=s, mode=…, gamma=…)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CyclicLr {
    base_lr: f64,
    max_lr: f64,
    step_size_up: usize,
    step_size_down: usize,
    policy: CyclicPolicy,
}

impl CyclicLr {
    /// Cycles between `base_lr` ($\ge 0$) and `max_lr` ($> \eta_{\text{base}}$),
    /// rising over `step_size` ($s \ge 1$) steps and falling over as many.
    pub fn new(
        base_lr: f64,
        max_lr: f64,
        step_size: usize,
        policy: CyclicPolicy,
    ) -> Result<Self, ScheduleError> {
        let base_lr = check::non_negative("base_lr", base_lr)?;
        let max_lr = check::positive("max_lr", max_lr)?;
        if max_lr <= base_lr {
            return Err(ScheduleError::InvalidParameter {
                name: "max_lr",
                value: max_lr,
                expected: "a number > base_lr",
            });
        }
        if let CyclicPolicy::ExpRange { gamma } = policy {
            check::factor("gamma", gamma)?;
        }
        let step_size = check::steps("step_size", step_size)?;
        Ok(Self {
            base_lr,
            max_lr,
            step_size_up: step_size,
            step_size_down: step_size,
            policy,
        })
    }

    /// The same cycle, falling over `step_size_down` ($\ge 1$) steps
    /// instead (PyTorch's `step_size_down`).
    pub fn with_step_size_down(self, step_size_down: usize) -> Result<Self, ScheduleError> {
        Ok(Self {
            step_size_down: check::steps("step_size_down", step_size_down)?,
            ..self
        })
    }
}

impl Scheduler for CyclicLr {
    // ANCHOR: cyclic_lr
    fn learning_rate(&self, step: usize) -> f64 {
        let (up, down) = (self.step_size_up, self.step_size_down);
        let period = up + down; // 2s
        let cycle = step / period; // c − 1, counting from 0
        let position = step % period;
        let height = if position <= up {
            position as f64 / up as f64 // rising: 0 → 1
        } else {
            (period - position) as f64 / down as f64 // falling: 1 → 0
        };
        let scale = match self.policy {
            CyclicPolicy::Triangular => 1.0,
            CyclicPolicy::Triangular2 => 0.5_f64.powf(cycle as f64),
            CyclicPolicy::ExpRange { gamma } => gamma.powf(step as f64),
        };
        self.base_lr + (self.max_lr - self.base_lr) * height * scale
    }
    // ANCHOR_END: cyclic_lr
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed: base 1, max 5, s = 2 (exact in binary).
    #[test]
    fn table_by_hand() {
        let tri = CyclicLr::new(1.0, 5.0, 2, CyclicPolicy::Triangular).unwrap();
        let tri2 = CyclicLr::new(1.0, 5.0, 2, CyclicPolicy::Triangular2).unwrap();
        let exp = CyclicLr::new(1.0, 5.0, 2, CyclicPolicy::ExpRange { gamma: 0.5 }).unwrap();
        // t: triangular, triangular2, exp_range (height·4·0.5^t + 1)
        let table = [
            (0, 1.0, 1.0, 1.0),
            (1, 3.0, 3.0, 2.0),
            (2, 5.0, 5.0, 2.0),
            (3, 3.0, 3.0, 1.25),
            (4, 1.0, 1.0, 1.0),
            (5, 3.0, 2.0, 1.0 + 2.0 / 32.0),
            (6, 5.0, 3.0, 1.0 + 4.0 / 64.0),
            (10, 5.0, 2.0, 1.0 + 4.0 / 1024.0),
        ];
        for (t, a, b, c) in table {
            assert_eq!(tri.learning_rate(t), a, "triangular, t = {t}");
            assert_eq!(tri2.learning_rate(t), b, "triangular2, t = {t}");
            assert_eq!(exp.learning_rate(t), c, "exp_range, t = {t}");
        }
    }

    #[test]
    fn asymmetric_cycle_by_hand() {
        // up over 1 step, down over 3: 0, 1, 2/3, 1/3, 0, 1 …
        let s = CyclicLr::new(0.0, 3.0, 1, CyclicPolicy::Triangular)
            .unwrap()
            .with_step_size_down(3)
            .unwrap();
        let got: Vec<f64> = (0..6).map(|t| s.learning_rate(t)).collect();
        assert_eq!(got, vec![0.0, 3.0, 2.0, 1.0, 0.0, 3.0]);
    }

    #[test]
    fn parameters_are_validated() {
        let p = CyclicPolicy::Triangular;
        let err = CyclicLr::new(0.1, 0.1, 5, p).unwrap_err().to_string();
        assert!(
            err.contains("max_lr = 0.1") && err.contains("base_lr"),
            "{err}"
        );
        assert!(CyclicLr::new(-0.1, 0.1, 5, p).is_err());
        assert!(CyclicLr::new(0.01, 0.1, 0, p).is_err());
        let bad_gamma = CyclicPolicy::ExpRange { gamma: 1.2 };
        assert!(
            CyclicLr::new(0.01, 0.1, 5, bad_gamma)
                .unwrap_err()
                .to_string()
                .contains("gamma = 1.2")
        );
        assert!(
            CyclicLr::new(0.01, 0.1, 5, p)
                .unwrap()
                .with_step_size_down(0)
                .is_err()
        );
    }
}
