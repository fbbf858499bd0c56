//! # Training: the lecture's loop
//!
//! > * Сначала генерируют случайным образом веса
//! > * Далее на небольшом наборе (батче) ~~тестовых~~ **обучающих** данных находится результат нейросети как значение $f(x)$ — прямой проход
//! > * Находится значение функции потерь $\mathcal{L}$
//! > * Далее находится градиент по всем весам с помощью цепного правила дифференцирования — обратное распространение ошибки
//! > * Параметры обновляются, например, с помощью градиентного спуска
//! > * Процесс повторяется для всей ~~тестовой~~ **обучающей** выборки. Проход по всей выборке называется эпохой
//!
//! | lecture | here |
//! |---|---|
//! | random weights | [`Mlp::new`](crate::Mlp::new) with an [`Init`](crate::Init) and a seed |
//! | a batch, forward pass | [`Workspace::forward`](crate::Workspace::forward) on `batch_size` rows, in an order drawn per epoch ([`epoch_order`]) |
//! | the loss | [`Workspace::output_loss`](crate::Workspace::output_loss) ([`TrainConfig::loss`]) |
//! | backpropagation | [`Workspace::backward`](crate::Workspace::backward) |
//! | the update | the optimizer ([`TrainConfig::optimizer`]), $\eta$ from the schedule ([`TrainConfig::schedule`]) |
//! | epochs | [`TrainConfig::epochs`], a record per epoch ([`EpochRecord`]) |
//!
//! **Исправление (correction 5).** The lecture takes the batch from the
//! *test* data ("тестовых данных") and calls a pass over the *test* set
//! ("тестовой выборки") an epoch. Both are the **training** data. The test
//! set is what the model must never have seen — not in its gradients, not
//! in the choice of hyperparameters — so that its score estimates the error
//! on new data; a model trained on its test set scores well on it and
//! proves nothing. Here [`Trainer::fit`] receives only the training set (for
//! gradients) and optionally a validation set (measured after each epoch,
//! never differentiated); the test part of a [`split`](crate::data::split)
//! is for one [`evaluate`] at the end. Tests in `tests/train.rs`:
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
//! is all a [`Checkpoint`](crate::Checkpoint) needs to continue bit for bit.
//! A stop flag ([`Trainer::stop_flag`]) is checked between batches, so
//! Ctrl-C stops at a batch boundary in a state that can be saved.

mod config;
mod error;
mod evaluate;
mod history;
mod observer;
mod shuffle;
pub(crate) mod step;
pub(crate) mod targets;
mod trainer;

pub use config::{EarlyStopping, ScheduleUnit, TrainConfig};
pub use error::TrainError;
pub use evaluate::{Evaluation, evaluate};
pub use history::EpochRecord;
pub use observer::{BatchProgress, Observer, Silent};
pub use shuffle::{epoch_order, epoch_rng};
pub use trainer::{Outcome, Progress, Trainer};
