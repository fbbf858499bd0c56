//! # optim — how the weights move (Lecture 11, «Оптимизация обучения»)
//!
//! Backpropagation gives $\partial \mathcal{L} / \partial w$ for every weight;
//! an optimizer turns it into a step. The lecture's four rules, in its
//! symbols ($\eta$ learning rate, $\mu$ momentum, $\rho$ decay,
//! $\varepsilon$ guard against division by zero, $\beta_1$, $\beta_2$ moment
//! decays; $v$ velocity, $s$ square average, $m$, $v$ moments, $\hat m$, $\hat v$
//! their bias-corrected versions):
//!
//! | rule | update | type |
//! |---|---|---|
//! | gradient descent | $w \leftarrow w - \eta g$ | [`Sgd`] |
//! | momentum | $v \leftarrow \mu v + g,\ w \leftarrow w - \eta v$ | [`Momentum`] |
//! | RMSProp | $s \leftarrow \rho s + (1-\rho) g^2,\ w \leftarrow w - \frac{\eta}{\sqrt{s} + \varepsilon} g$ | [`RmsProp`] |
//! | Adam | $m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ w \leftarrow w - \frac{\eta}{\sqrt{\hat v} + \varepsilon} \hat m$ | [`Adam`] |
//!
//! and two beyond the lecture, each documented as such: [`Nesterov`]
//! momentum and [`AdamW`] (decoupled weight decay). Each type's doc comment
//! has the full formula, the code under it uses the same names, and the
//! results are checked against PyTorch's `torch.optim` trajectories
//! (`tests/torch_reference.rs`, from `reference/generate.py`).
//!
//! **Исправление (correction 4).** The lecture's Adam divides by
//! $1 - \beta^{t}$ with $t$ counting from 0, i.e. by zero on the first step;
//! the exponent is the number of updates made so far. See [`Adam`].
//!
//! ## Using an optimizer
//!
//! An optimizer updates a list of parameter tensors (`ArrayViewMutD`) with
//! their gradients; index `i` must mean the same tensor on every call. Its
//! state — one set of buffers per tensor — starts at zero on the first step.
//! Hyperparameters are validated when it is built (defaults are PyTorch's),
//! and bad input (mismatched counts or shapes, a shape that changes between
//! steps, a NaN gradient) is an [`OptimError`], never a panic.
//!
//! ```
//! use ndarray::array;
//! use optim::{Adam, Optimizer};
//!
//! // minimise f(w) = Σ (w − 3)², ∇f = 2(w − 3)
//! let mut w = array![[0.0, 1.0], [5.0, 10.0]].into_dyn();
//! let mut adam = Adam::new(0.1)?;
//! for _ in 0..500 {
//!     let grad = w.mapv(|w| 2.0 * (w - 3.0));
//!     adam.step(&mut [w.view_mut()], &[grad.view()])?;
//! }
//! assert!(w.iter().all(|w| (w - 3.0).abs() < 1e-2));
//! # Ok::<(), optim::OptimError>(())
//! ```
//!
//! A learning-rate schedule drives an optimizer through
//! [`Optimizer::set_learning_rate`]; [`Resumable::state`] and
//! [`Resumable::load_state`] save and restore it for checkpoints;
//! [`OptimizerConfig`] picks one by name for the CLI.
#![forbid(unsafe_code)]

mod adam;
mod adamw;
mod config;
pub mod demo;
mod elementwise;
mod error;
mod momentum;
mod nesterov;
pub mod objectives;
mod optimizer;
mod rmsprop;
mod sgd;
mod state;

pub use adam::{Adam, AdamConfig, first_step_as_written_in_lecture};
pub use adamw::{AdamW, AdamWConfig};
pub use config::OptimizerConfig;
pub use error::OptimError;
pub use momentum::{Momentum, MomentumConfig};
pub use nesterov::Nesterov;
pub use optimizer::{Optimizer, Resumable};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};
pub use state::{OptimizerState, TensorState, TensorStates};
