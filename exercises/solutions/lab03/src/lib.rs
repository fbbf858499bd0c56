//! # Лабораторная 3. Обратное распространение ошибки
//!
//! Две части:
//!
//! 1. [`network`] — сеть из лекции $\hat y = w_2\,\sigma(w_1 x + b_1) + b_2$ и
//!    её четыре градиента, выведенные цепным правилом вручную (и ошибка
//!    лекции, которую вывод находит);
//! 2. [`value`] — маленький автоматический дифференциатор: скаляр
//!    [`Value`], который запоминает, как его вычислили, и сам применяет
//!    цепное правило. В конце он должен дать те же четыре градиента.
//!
//! Порядок работы — в `README.md`, проверка — `cargo test -p lab03`.
#![forbid(unsafe_code)]

pub mod network;
pub mod value;

pub use network::{
    Forward, Gradients, Params, backward, forward, gradient_step, loss, sigmoid, train,
};
pub use value::Value;
