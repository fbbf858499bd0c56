//! Cosine annealing: half a cosine wave from $\eta_{\max}$ down to $\eta_{\min}$.

use crate::error::check;
use crate::{ScheduleError, Scheduler};
use std::f64::consts::PI;

/// Cosine annealing (Loshchilov & Hutter, 2017), as the lecture writes it:
///
/// $$ \eta_t = \eta_{\min} + \frac{1}{2} \left(\eta_{\max} - \eta_{\min}\right)
///    \left(1 + \cos \frac{\pi t}{T}\right), \qquad 0 \le t \le T, $$
///
/// and $\eta_t = \eta_{\min}$ after $T$, the total number of steps. It
/// starts at $\eta_{\max}$, falls slowly at first, fastest in the middle, and
/// flattens out at $\eta_{\min}$.
///
/// (The lecture's source writes `\eta_\min`, which KaTeX cannot render —
/// correction 10; the subscripts need braces, `\eta_{\min}`.)
///
/// PyTorch: `CosineAnnealingLR(optimizer, T_max=T, eta_min=eta_min)` with
/// the optimizer's `lr` $= \eta_{\max}$ agrees for $t \le T$; after $T$,
/// PyTorch's version keeps following the cosine back up, ours stays at
/// $\eta_{\min}$ (as a schedule that ends training should).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CosineAnnealing {
    eta_min: f64,
    eta_max: f64,
    total_steps: usize,
}

impl CosineAnnealing {
    /// From `eta_max` ($> 0$) at step 0 down to `eta_min`
    /// ($0 \le \eta_{\min} \le \eta_{\max}$) at step `total_steps` ($T \ge 1$).
    pub fn new(eta_min: f64, eta_max: f64, total_steps: usize) -> Result<Self, ScheduleError> {
        let eta_max = check::positive("eta_max", eta_max)?;
        let eta_min = check::non_negative("eta_min", eta_min)?;
        if eta_min > eta_max {
            return Err(ScheduleError::InvalidParameter {
                name: "eta_min",
                value: eta_min,
                expected: "a number <= eta_max",
            });
        }
        Ok(Self {
            eta_min,
            eta_max,
            total_steps: check::steps("total_steps", total_steps)?,
        })
    }
}

impl Scheduler for CosineAnnealing {
    // ANCHOR: cosine_annealing
    fn learning_rate(&self, step: usize) -> f64 {
        let Self {
            eta_min,
            eta_max,
            total_steps,
        } = *self;
        let t = step.min(total_steps) as f64; // after T: stay at η_min
        let eta = eta_min + 0.5 * (eta_max - eta_min) * (1.0 + (PI * t / total_steps as f64).cos());
        // η_min + (η_max − η_min) can round one ulp above η_max at t = 0
        eta.min(eta_max)
    }
    // ANCHOR_END: cosine_annealing
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed values: η_min = 0.1, η_max = 0.5, T = 4:
    /// cos(πt/4) = 1, √2/2, 0, −√2/2, −1.
    #[test]
    fn table_by_hand() {
        let schedule = CosineAnnealing::new(0.1, 0.5, 4).unwrap();
        let half = std::f64::consts::FRAC_1_SQRT_2;
        let table = [
            (0, 0.5),
            (1, 0.1 + 0.2 * (1.0 + half)),
            (2, 0.3),
            (3, 0.1 + 0.2 * (1.0 - half)),
            (4, 0.1),
            (5, 0.1),
            (1000, 0.1),
        ];
        for (t, expected) in table {
            let got = schedule.learning_rate(t);
            assert!(
                (got - expected).abs() < 1e-15,
                "t = {t}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn bounds_are_validated() {
        assert!(
            CosineAnnealing::new(0.2, 0.1, 10)
                .unwrap_err()
                .to_string()
                .contains("eta_min = 0.2")
        );
        assert!(CosineAnnealing::new(-0.1, 0.1, 10).is_err());
        assert!(
            CosineAnnealing::new(0.0, 0.1, 0)
                .unwrap_err()
                .to_string()
                .contains("total_steps")
        );
        assert!(
            CosineAnnealing::new(0.1, 0.1, 5).is_ok(),
            "η_min = η_max is a constant"
        );
    }
}
