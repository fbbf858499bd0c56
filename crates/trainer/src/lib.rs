//! # trainer — the engine around the lecture's loop
//!
//! [`mlp`] holds the lecture's network and its loop
//! ([`mlp::train::fit`]: for each epoch, for each batch — forward pass, loss,
//! backward pass, schedule, update). This crate is what a real run needs
//! around it:
//!
//! * [`TrainConfig`] — every setting as data, optimizers and schedules
//!   chosen by name ([`optim::OptimizerConfig`], [`schedulers::ScheduleConfig`]);
//! * [`Trainer`] — validation after every epoch, early stopping with the
//!   best weights kept, divergence detection, a stop flag (Ctrl-C), a
//!   history, [`Observer`]s for progress bars;
//! * [`checkpoint`] — models and whole runs on disk (safetensors, atomic
//!   writes, checksums), resumed bit for bit;
//! * [`lr_finder`] — the LR range test;
//! * [`engine`] — the same formulas as [`mlp::backprop`] in preallocated
//!   buffers, tested equal to them; the trainer's speed comes from here.
//!
//! | lecture | here |
//! |---|---|
//! | random weights | [`Mlp::new`](mlp::Mlp::new) with an [`Init`](mlp::Init) and a seed |
//! | a batch, forward pass | [`Workspace::forward`](engine::Workspace::forward) on `batch_size` rows, in an order drawn per epoch ([`epoch_order`]) |
//! | the loss | [`Workspace::output_loss`](engine::Workspace::output_loss) ([`TrainConfig::loss`]) |
//! | backpropagation | [`Workspace::backward`](engine::Workspace::backward) |
//! | the update | the optimizer ([`TrainConfig::optimizer`]), $\eta$ from the schedule ([`TrainConfig::schedule`]) |
//! | epochs | [`TrainConfig::epochs`], a record per epoch ([`EpochRecord`]) |
//!
//! **Held-out data (the lecture's correction 5, see [`mlp::train`]).**
//! [`Trainer::fit`] receives only the training set (for gradients) and
//! optionally a validation set (measured after each epoch, never
//! differentiated); the test part of a [`split`](datasets::split) is for
//! one [`evaluate`] at the end. Tests in `tests/train.rs`:
//! `an_epoch_visits_each_training_row_exactly_once` (the batches of an epoch
//! are exactly the training rows) and
//! `held_out_data_never_changes_the_weights` (the weights do not depend on the
//! validation data).
//!
//! **Divergence.** "Слишком большая скорость обучения выражается в
//! колеблющейся или быстро растущей функции потерь": the trainer stops with
//! [`TrainError::Diverged`] — naming the epoch, batch and learning rate and
//! suggesting a tenth of it — when a batch's loss is NaN or ±∞, when it
//! exceeds [`TrainConfig::divergence_factor`] ($10^3$) times the first
//! batch's loss (or $10^3$ if that was below 1), or when a gradient becomes
//! infinite.
//!
//! **Reproducible and resumable.** The weights come from the model's seed,
//! the batches from (training seed, epoch) ([`shuffle`](epoch_order)), and
//! nothing else is random: the same seeds give bit-identical weights. A
//! [`Progress`] (epoch, batch, step, history …) plus the optimizer's state
//! is all a [`Checkpoint`] needs to continue bit for bit.
//! A stop flag ([`Trainer::stop_flag`]) is checked between batches, so
//! Ctrl-C stops at a batch boundary in a state that can be saved.

#![forbid(unsafe_code)]

// The `blas` feature: ndarray multiplies through `cblas_dgemm`, and this
// brings in the library that defines it (the system OpenBLAS).
#[cfg(feature = "blas")]
extern crate openblas_src as _;

pub mod checkpoint;
mod config;
pub mod engine;
mod error;
mod evaluate;
mod history;
pub mod lr_finder;
mod observer;
mod targets;
mod trainer;

pub use checkpoint::{Checkpoint, CheckpointError, SavedModel, load_model, save_model};
pub use config::{EarlyStopping, ScheduleUnit, TrainConfig};
pub use error::TrainError;
pub use evaluate::{Evaluation, evaluate};
pub use history::EpochRecord;
pub use mlp::train::{epoch_order, epoch_rng};
pub use observer::{BatchProgress, Observer, Silent};
pub use trainer::{Outcome, Progress, Trainer};
