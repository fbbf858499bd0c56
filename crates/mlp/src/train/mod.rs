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
//! | a batch, forward pass | [`forward`](crate::backprop::forward) on `batch_size` rows, in an order drawn per epoch ([`epoch_order`]) |
//! | the loss | [`Objective::loss_and_delta`](crate::Objective::loss_and_delta) |
//! | backpropagation | [`backward`](crate::backprop::backward) |
//! | the update | [`update`]: the optimizer's step, $\eta$ from the schedule |
//! | epochs | [`Settings::epochs`] |
//!
//! [`fit`] is only that loop. Everything else a real run needs — early
//! stopping, divergence detection, a stop flag, progress bars, history,
//! checkpoints — is a [`Hooks`] around it (the `trainer` crate).
//!
//! **Исправление (correction 5).** The lecture takes the batch from the
//! *test* data ("тестовых данных") and calls a pass over the *test* set
//! ("тестовой выборки") an epoch. Both are the **training** data. The test
//! set is what the model must never have seen — not in its gradients, not
//! in the choice of hyperparameters — so that its score estimates the error
//! on new data. [`fit`] receives only the training rows.

mod fit;
mod hooks;
mod shuffle;

pub use fit::{Settings, fit, update};
pub use hooks::{Hooks, NoHooks};
pub use shuffle::{epoch_order, epoch_rng};
