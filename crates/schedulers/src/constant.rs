//! The schedule that does not change.

use crate::error::check;
use crate::{ScheduleError, Scheduler};

/// $\eta_t = \eta$ for every step: plain training, and the schedule a
/// warmup wraps when only the warmup is wanted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant {
    eta: f64,
}

impl Constant {
    /// The constant learning rate $\eta > 0$.
    pub fn new(eta: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            eta: check::positive("eta", eta)?,
        })
    }
}

impl Scheduler for Constant {
    // ANCHOR: constant
    fn learning_rate(&self, _step: usize) -> f64 {
        self.eta
    }
    // ANCHOR_END: constant
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_is_constant_and_validated() {
        let c = Constant::new(0.3).unwrap();
        assert!(
            [0, 1, 17, usize::MAX]
                .iter()
                .all(|&t| c.learning_rate(t) == 0.3)
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Constant::new(bad).is_err());
        }
    }
}
