//! The shape every optimizer has.

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
/// [`set_learning_rate`](Self::set_learning_rate).
///
/// Two ways to step:
///
/// * [`step`](Self::step) with all parameters and gradients at once; it
///   checks everything before it changes anything;
/// * [`begin_step`](Self::begin_step) then [`update`](Self::update) for each
///   tensor, so a training loop can step without building a list of views
///   for every batch. After the first step the optimizer's buffers are
///   reused; the only allocations are the few small ones of starting a
///   second thread, which [`Adam`](crate::Adam) and [`AdamW`](crate::AdamW)
///   do for a tensor of at least 65 536 elements to update its two halves at once.
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
    /// The name in configs and saved states (`"sgd"`, `"adam"` …).
    fn name(&self) -> &'static str;

    /// The current learning rate $\eta$.
    fn learning_rate(&self) -> f64;

    /// Sets $\eta$ for the following steps (a schedule calls this before
    /// each step). A value that is negative or not finite is reported by
    /// the next [`begin_step`](Self::begin_step); 0 is allowed (schedules
    /// may reach it).
    fn set_learning_rate(&mut self, lr: f64);

    /// $t$: the number of steps begun so far (0 before the first).
    fn steps_taken(&self) -> u64;

    /// Starts step $t + 1$ over `tensors` parameter tensors. Fails, changing
    /// nothing, if $\eta$ is invalid or `tensors` differs from the first step.
    fn begin_step(&mut self, tensors: usize) -> Result<(), OptimError>;

    /// Checks, changing nothing, that tensor `index` of shape `param_shape`
    /// can be updated with `grad`: shapes agree with each other and with
    /// earlier steps, the index is in range, the gradient is finite.
    fn check(
        &self,
        index: usize,
        param_shape: &[usize],
        grad: &ArrayViewD<'_, f64>,
    ) -> Result<(), OptimError>;

    /// Updates tensor `index` in place within the step begun by
    /// [`begin_step`](Self::begin_step). On error the tensor and its state
    /// are unchanged.
    fn update(
        &mut self,
        index: usize,
        param: ArrayViewMutD<'_, f64>,
        grad: ArrayViewD<'_, f64>,
    ) -> Result<(), OptimError>;

    /// One step over all tensors: `params[i] ← rule(params[i], grads[i])`.
    ///
    /// Everything is checked first (counts, shapes, finite gradients), so on
    /// error neither the parameters nor the optimizer have changed.
    fn step(
        &mut self,
        params: &mut [ArrayViewMutD<'_, f64>],
        grads: &[ArrayViewD<'_, f64>],
    ) -> Result<(), OptimError> {
        if params.len() != grads.len() {
            return Err(OptimError::CountMismatch {
                params: params.len(),
                grads: grads.len(),
            });
        }
        for (index, (param, grad)) in params.iter().zip(grads).enumerate() {
            self.check(index, param.shape(), grad)?;
        }
        self.begin_step(params.len())?;
        for (index, (param, grad)) in params.iter_mut().zip(grads).enumerate() {
            self.update(index, param.view_mut(), grad.view())?;
        }
        Ok(())
    }

    /// A copy of the state ($\eta$, $t$, buffers) for a checkpoint.
    fn state(&self) -> OptimizerState;

    /// Restores a state saved by [`state`](Self::state), so that the
    /// following steps equal those of the uninterrupted run bit for bit. A
    /// state of another optimizer or with mismatching buffers is an error.
    fn load_state(&mut self, state: OptimizerState) -> Result<(), OptimError>;
}

impl<O: Optimizer + ?Sized> Optimizer for Box<O> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn learning_rate(&self) -> f64 {
        (**self).learning_rate()
    }
    fn set_learning_rate(&mut self, lr: f64) {
        (**self).set_learning_rate(lr);
    }
    fn steps_taken(&self) -> u64 {
        (**self).steps_taken()
    }
    fn begin_step(&mut self, tensors: usize) -> Result<(), OptimError> {
        (**self).begin_step(tensors)
    }
    fn check(
        &self,
        index: usize,
        param_shape: &[usize],
        grad: &ArrayViewD<'_, f64>,
    ) -> Result<(), OptimError> {
        (**self).check(index, param_shape, grad)
    }
    fn update(
        &mut self,
        index: usize,
        param: ArrayViewMutD<'_, f64>,
        grad: ArrayViewD<'_, f64>,
    ) -> Result<(), OptimError> {
        (**self).update(index, param, grad)
    }
    fn step(
        &mut self,
        params: &mut [ArrayViewMutD<'_, f64>],
        grads: &[ArrayViewD<'_, f64>],
    ) -> Result<(), OptimError> {
        (**self).step(params, grads)
    }
    fn state(&self) -> OptimizerState {
        (**self).state()
    }
    fn load_state(&mut self, state: OptimizerState) -> Result<(), OptimError> {
        (**self).load_state(state)
    }
}

/// The bookkeeping every optimizer of this crate shares, so that each file
/// shows only what differs between them: its `update`, the lecture's formula.
///
/// It expects a `config` with the learning rate `eta` and a
/// [`TensorStates`](crate::TensorStates) called `states`, and writes the
/// trait's other methods: $\eta$ read and set through `config.eta` (checked
/// again at each step, since a schedule may have set it), the step counter
/// $t$ and the shape checks of `states`, and the state snapshot for
/// checkpoints under the optimizer's `name`.
macro_rules! bookkeeping {
    ($name:literal) => {
        fn name(&self) -> &'static str {
            $name
        }

        fn learning_rate(&self) -> f64 {
            self.config.eta
        }

        fn set_learning_rate(&mut self, lr: f64) {
            self.config.eta = lr;
        }

        fn steps_taken(&self) -> u64 {
            self.states.t()
        }

        fn begin_step(&mut self, tensors: usize) -> Result<(), $crate::OptimError> {
            $crate::error::check::scheduled_learning_rate(self.config.eta)?;
            self.states.begin_step(tensors)
        }

        fn check(
            &self,
            index: usize,
            param_shape: &[usize],
            grad: &::ndarray::ArrayViewD<'_, f64>,
        ) -> Result<(), $crate::OptimError> {
            self.states.check(index, param_shape, grad)
        }

        fn state(&self) -> $crate::OptimizerState {
            self.states.snapshot($name, self.config.eta)
        }

        fn load_state(&mut self, state: $crate::OptimizerState) -> Result<(), $crate::OptimError> {
            self.config.eta = self.states.restore($name, state)?;
            Ok(())
        }
    };
}
pub(crate) use bookkeeping;
