//! The shape every schedule has.

use std::fmt;

/// A learning-rate schedule: $\eta_t$ as a pure function of the step $t$.
///
/// Step 0 is the first step. Because nothing is stored between calls, a
/// schedule can be tabulated, plotted, or asked about any step in any
/// order, and resuming training from a checkpoint needs only the step
/// count. A training loop calls
/// `optimizer.set_learning_rate(schedule.learning_rate(t))` before step $t$.
///
/// Every schedule here is validated when it is built and returns a finite
/// $\eta_t \ge 0$ for every $t$.
pub trait Scheduler: fmt::Debug + Send + Sync {
    /// $\eta_t$, the learning rate for step `step` (0 is the first).
    fn learning_rate(&self, step: usize) -> f64;
}

impl<S: Scheduler + ?Sized> Scheduler for Box<S> {
    fn learning_rate(&self, step: usize) -> f64 {
        (**self).learning_rate(step)
    }
}

impl<S: Scheduler + ?Sized> Scheduler for &S {
    fn learning_rate(&self, step: usize) -> f64 {
        (**self).learning_rate(step)
    }
}
