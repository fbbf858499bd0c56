//! # schedulers — the learning rate over time (Lecture 11, «Оптимизация обучения»)
//!
//! "The learning rate need not be constant", says the lecture, and lists:
//!
//! | schedule | $\eta_t$ | type |
//! |---|---|---|
//! | step decay | $\eta_0 \cdot \gamma^{\lfloor t/s \rfloor}$ | [`StepDecay`] |
//! | cosine annealing | $\eta_{\min} + \frac12 (\eta_{\max} - \eta_{\min})(1 + \cos \frac{\pi t}{T})$ | [`CosineAnnealing`] |
//! | warmup | rise to the wrapped schedule, then hand over | [`LinearWarmup`], [`ExponentialWarmup`] |
//! | cyclic | between two bounds, triangular / triangular2 / exp_range | [`CyclicLr`] |
//!
//! plus [`Constant`]. Each is a pure function of the step ([`Scheduler`]),
//! validated when built, and checked against PyTorch's `StepLR`,
//! `CosineAnnealingLR`, `CyclicLR` and `LinearLR` (`tests/torch_reference.rs`,
//! from `reference/generate.py`). Warmups wrap any schedule — a concrete
//! type or a `Box<dyn Scheduler>` — so schedules compose:
//!
//! ```
//! use schedulers::{CosineAnnealing, LinearWarmup, Scheduler};
//!
//! // 5 warmup steps from 10%, then cosine from 0.1 to 0 over 95 steps
//! let schedule = LinearWarmup::new(CosineAnnealing::new(0.0, 0.1, 95)?, 5, 0.1)?;
//! let eta: Vec<f64> = (0..=100).map(|t| schedule.learning_rate(t)).collect();
//! assert!((eta[0] - 0.01).abs() < 1e-15);
//! assert_eq!(eta[5], 0.1);
//! assert_eq!(eta[100], 0.0);
//! # Ok::<(), schedulers::ScheduleError>(())
//! ```
//!
//! A training loop sets `optimizer.set_learning_rate(schedule.learning_rate(t))`
//! before step `t`. [`ScheduleConfig`] describes any schedule as data for
//! configs and the CLI.
//!
//! **Уточнение (correction 7).** The lecture calls warmup "exponential";
//! the common form (Goyal et al., 2017) is linear. Both are offered — see
//! the [`warmup`] module.
#![forbid(unsafe_code)]

mod config;
mod constant;
mod cosine;
mod cyclic;
mod error;
mod scheduler;
mod step_decay;
pub mod table;
pub mod warmup;

pub use config::ScheduleConfig;
pub use constant::Constant;
pub use cosine::CosineAnnealing;
pub use cyclic::{CyclicLr, CyclicPolicy};
pub use error::ScheduleError;
pub use scheduler::Scheduler;
pub use step_decay::StepDecay;
pub use warmup::{ExponentialWarmup, LinearWarmup};
