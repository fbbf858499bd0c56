//! The shape every optimizer has, and the separate one of saving it.

use crate::{OptimError, OptimizerState};
use ndarray::{ArrayViewD, ArrayViewMutD};
use std::fmt;

/// An update rule $w^{(t+1)} = \text{rule}(w^{(t)}, \partial\mathcal{L}/\partial w^{(t)}, \text{state})$
/// applied to a list of parameter tensors.
///
/// Index `i` means the same tensor on every call: the optimizer keeps one
/// state per index (velocity $v$, square average $s$, moments $m$ and $v$),
/// created at zero on that tensor's first update. The learning rate $\eta$
/// is separate from the rule so that a schedule can drive it through
/// [`set_learning_rate`](Self::set_learning_rate). Saving and restoring the
/// state for a checkpoint is the separate trait [`Resumable`].
///
/// ```
/// use ndarray::array;
/// use optim::{Optimizer, Sgd};
///
/// let mut w = array![1.0, -2.0].into_dyn();
/// let grad = array![0.5, -1.0].into_dyn();
/// let mut sgd = Sgd::new(0.1)?;
/// sgd.step(&mut [w.view_mut()], &[grad.view()])?;
/// assert_eq!(w, array![0.95, -1.9].into_dyn());
/// # Ok::<(), optim::OptimError>(())
/// ```
pub trait Optimizer: fmt::Debug + Send {
    /// One step over all tensors: `params[i] ← rule(params[i], grads[i])`.
    ///
    /// Everything is checked first (counts, shapes against each other and
    /// earlier steps, finite gradients, a valid $\eta$), so on error neither
    /// the parameters nor the optimizer have changed.
    fn step(
        &mut self,
        params: &mut [ArrayViewMutD<'_, f64>],
        grads: &[ArrayViewD<'_, f64>],
    ) -> Result<(), OptimError>;

    /// The current learning rate $\eta$.
    fn learning_rate(&self) -> f64;

    /// Sets $\eta$ for the following steps (a schedule calls this before
    /// each step). A value that is negative or not finite is reported by
    /// the next [`step`](Self::step); 0 is allowed (schedules may reach it).
    fn set_learning_rate(&mut self, lr: f64);
}

/// An optimizer whose state (moments, step count, $\eta$) can be saved in a
/// checkpoint and restored, so that a resumed run continues bit for bit.
pub trait Resumable: Optimizer {
    /// The name in configs and saved states (`"sgd"`, `"adam"` …).
    fn name(&self) -> &'static str;

    /// $t$: the number of steps taken so far (0 before the first).
    fn steps_taken(&self) -> u64;

    /// A copy of the state ($\eta$, $t$, buffers).
    fn state(&self) -> OptimizerState;

    /// Restores a state saved by [`state`](Self::state). A state of another
    /// optimizer or with mismatching buffers is an error and changes nothing.
    fn load_state(&mut self, state: OptimizerState) -> Result<(), OptimError>;
}

impl<O: Optimizer + ?Sized> Optimizer for Box<O> {
    fn step(
        &mut self,
        params: &mut [ArrayViewMutD<'_, f64>],
        grads: &[ArrayViewD<'_, f64>],
    ) -> Result<(), OptimError> {
        (**self).step(params, grads)
    }
    fn learning_rate(&self) -> f64 {
        (**self).learning_rate()
    }
    fn set_learning_rate(&mut self, lr: f64) {
        (**self).set_learning_rate(lr);
    }
}

impl<O: Resumable + ?Sized> Resumable for Box<O> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn steps_taken(&self) -> u64 {
        (**self).steps_taken()
    }
    fn state(&self) -> OptimizerState {
        (**self).state()
    }
    fn load_state(&mut self, state: OptimizerState) -> Result<(), OptimError> {
        (**self).load_state(state)
    }
}
