//! Warmup: start small, rise to the wrapped schedule's first value, then
//! hand over to it.
//!
//! At the start of training the weights are random and the gradients large
//! and unreliable; a full-size step can throw the network somewhere it
//! never recovers from (and Adam's second moment $v$ has seen only a few
//! gradients). A warmup rises over the first $W$ steps from
//! $f \cdot \eta_{\text{inner}}(0)$ to $\eta_{\text{inner}}(0)$, then runs the
//! wrapped schedule from its own step 0:
//!
//! $$ \eta_t = \begin{cases}
//!      \eta_{\text{inner}}(0) \cdot \text{rise}(t) & t < W, \\
//!      \eta_{\text{inner}}(t - W) & t \ge W,
//!    \end{cases} \qquad \text{rise}(0) = f,\ \text{rise}(W) = 1. $$
//!
//! so warmup-then-cosine is `LinearWarmup::new(CosineAnnealing::new(…)?, W, f)`.
//!
//! **Уточнение (correction 7).** The lecture says the rate rises
//! "exponentially" (экспоненциально). The common form — Goyal et al. (2017),
//! *Accurate, Large Minibatch SGD*, and PyTorch's `LinearLR` — is **linear**:
//! [`LinearWarmup`], $\text{rise}(t) = f + (1 - f)\, t / W$. Both are here:
//! [`ExponentialWarmup`] rises geometrically, $\text{rise}(t) = f^{\,1 - t/W}$,
//! multiplying $\eta$ by the same factor $f^{-1/W}$ every step — it spends
//! longer at small rates and climbs fastest at the end. The test
//! `linear_and_exponential_warmup_differ_as_documented` shows the difference.

use crate::error::check;
use crate::{ScheduleError, Scheduler};

/// Linear warmup (Goyal et al., 2017) over any schedule:
///
/// $$ \eta_t = \eta_{\text{inner}}(0) \left(f + (1 - f)\frac{t}{W}\right) \text{ for } t < W,
///    \qquad \eta_t = \eta_{\text{inner}}(t - W) \text{ for } t \ge W. $$
///
/// Over [`Constant`](crate::Constant) this is PyTorch's
/// `LinearLR(optimizer, start_factor=f, total_iters=W)`. See the
/// [module docs](self) for correction 7.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearWarmup<S> {
    inner: S,
    warmup_steps: usize,
    start_factor: f64,
}

impl<S: Scheduler> LinearWarmup<S> {
    /// Rises linearly over `warmup_steps` ($W \ge 1$) steps from
    /// `start_factor` ($0 < f \le 1$) times `inner`'s first rate, then
    /// follows `inner` from its step 0.
    pub fn new(inner: S, warmup_steps: usize, start_factor: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            inner,
            warmup_steps: check::steps("warmup_steps", warmup_steps)?,
            start_factor: check::factor("start_factor", start_factor)?,
        })
    }

    /// The wrapped schedule.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Scheduler> Scheduler for LinearWarmup<S> {
    // ANCHOR: linear_warmup
    fn learning_rate(&self, step: usize) -> f64 {
        let (w, f) = (self.warmup_steps, self.start_factor);
        if step >= w {
            return self.inner.learning_rate(step - w); // hand over
        }
        let rise = f + (1.0 - f) * (step as f64 / w as f64);
        self.inner.learning_rate(0) * rise
    }
    // ANCHOR_END: linear_warmup
}

/// Exponential (geometric) warmup over any schedule — the lecture's word
/// taken literally:
///
/// $$ \eta_t = \eta_{\text{inner}}(0)\, f^{\,1 - t/W} \text{ for } t < W,
///    \qquad \eta_t = \eta_{\text{inner}}(t - W) \text{ for } t \ge W, $$
///
/// so each warmup step multiplies $\eta$ by $f^{-1/W}$. See the
/// [module docs](self) for how it differs from the usual linear warmup
/// (correction 7).
#[derive(Debug, Clone, PartialEq)]
pub struct ExponentialWarmup<S> {
    inner: S,
    warmup_steps: usize,
    start_factor: f64,
}

impl<S: Scheduler> ExponentialWarmup<S> {
    /// Rises geometrically over `warmup_steps` ($W \ge 1$) steps from
    /// `start_factor` ($0 < f \le 1$) times `inner`'s first rate, then
    /// follows `inner` from its step 0.
    pub fn new(inner: S, warmup_steps: usize, start_factor: f64) -> Result<Self, ScheduleError> {
        Ok(Self {
            inner,
            warmup_steps: check::steps("warmup_steps", warmup_steps)?,
            start_factor: check::factor("start_factor", start_factor)?,
        })
    }

    /// The wrapped schedule.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Scheduler> Scheduler for ExponentialWarmup<S> {
    // ANCHOR: exponential_warmup
    fn learning_rate(&self, step: usize) -> f64 {
        let (w, f) = (self.warmup_steps, self.start_factor);
        if step >= w {
            return self.inner.learning_rate(step - w); // hand over
        }
        let rise = f.powf(1.0 - step as f64 / w as f64);
        self.inner.learning_rate(0) * rise
    }
    // ANCHOR_END: exponential_warmup
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Constant, StepDecay};

    /// Hand-computed: η = 0.2, W = 4, f = 1/16.
    /// Linear: 0.2·(1/16 + (15/16)·t/4) = 0.0125, 0.059375, 0.10625, 0.153125, then 0.2.
    /// Exponential: 0.2·(1/16)^(1 − t/4) = 0.0125, 0.025, 0.05, 0.1, then 0.2.
    #[test]
    fn linear_and_exponential_warmup_differ_as_documented() {
        let linear = LinearWarmup::new(Constant::new(0.2).unwrap(), 4, 1.0 / 16.0).unwrap();
        let exponential =
            ExponentialWarmup::new(Constant::new(0.2).unwrap(), 4, 1.0 / 16.0).unwrap();
        let table = [
            (0, 0.0125, 0.0125),
            (1, 0.059375, 0.025),
            (2, 0.10625, 0.05),
            (3, 0.153125, 0.1),
            (4, 0.2, 0.2),
            (50, 0.2, 0.2),
        ];
        for (t, lin, exp) in table {
            assert!(
                (linear.learning_rate(t) - lin).abs() < 1e-15,
                "linear, t = {t}"
            );
            assert!(
                (exponential.learning_rate(t) - exp).abs() < 1e-15,
                "exponential, t = {t}"
            );
        }
        // exponential stays lower during the warmup: it doubles each step here
        for t in 1..4 {
            assert!(exponential.learning_rate(t) < linear.learning_rate(t));
            let ratio = exponential.learning_rate(t) / exponential.learning_rate(t - 1);
            assert!((ratio - 2.0).abs() < 1e-12);
        }
    }

    #[test]
    fn after_the_warmup_the_inner_schedule_starts_from_its_step_zero() {
        let inner = StepDecay::new(0.1, 0.5, 2).unwrap();
        let warm = LinearWarmup::new(inner, 3, 0.5).unwrap();
        for k in 0..10 {
            assert_eq!(warm.learning_rate(3 + k), inner.learning_rate(k));
        }
        assert_eq!(warm.inner(), &inner);
    }

    #[test]
    fn parameters_are_validated() {
        let c = Constant::new(0.1).unwrap();
        assert!(
            LinearWarmup::new(c, 0, 0.1)
                .unwrap_err()
                .to_string()
                .contains("warmup_steps = 0")
        );
        assert!(
            ExponentialWarmup::new(c, 5, 0.0)
                .unwrap_err()
                .to_string()
                .contains("start_factor = 0")
        );
        assert!(LinearWarmup::new(c, 5, 1.5).is_err());
    }
}
