//! # autograd — backpropagation, three times over
//!
//! > Далее находится градиент по всем весам с помощью цепного правила
//! > дифференцирования — обратное распространение ошибки.
//!
//! The lecture derives the four gradients of a network with one hidden
//! neuron by the chain rule and adds: «Аналогичным образом вычисляются
//! градиенты для больших сетей». This crate shows that sentence in three
//! layers that agree with each other, with central finite differences
//! (`gradcheck`) and with PyTorch:
//!
//! 1. [`lecture`] — the derivation as written, symbol for symbol:
//!    $z = w_1 x + b_1$, $\sigma(z)$, $\hat y = w_2 \sigma(z) + b_2$,
//!    $\mathcal{L} = \frac12 (y - \hat y)^2$, and the four products such as
//!    $\frac{\partial \mathcal{L}}{\partial w_1} = \frac{\partial \mathcal{L}}{\partial \hat y}
//!    \frac{\partial \hat y}{\partial \sigma(z)} \frac{\partial \sigma(z)}{\partial z}
//!    \frac{\partial z}{\partial w_1}$ — with the sign the lecture gets wrong
//!    put right, and the lecture's version kept beside it for comparison.
//! 2. [`Value`] — a scalar that records how it was computed (after
//!    micrograd). Nobody writes $\partial \mathcal{L} / \partial w_1$ any
//!    more: each operation knows only its own *local* derivative, and
//!    [`Value::backward`] chains them.
//! 3. [`Tape`] — the same with one node per matrix instead of per number,
//!    in the layout $y = x W^\top + b$ of a real layer, enough to train the
//!    `mlp` crate's networks.
//!
//! ## Reverse mode in the lecture's terms
//!
//! **Forward pass: compute and remember.** Going from $x$ to $\mathcal{L}$,
//! every step stores its result ($z$, $\sigma(z)$, $\hat y$, $\mathcal{L}$)
//! and its local derivatives with respect to its inputs, evaluated right
//! there: $\partial z / \partial w_1 = x$, $\partial \sigma(z) / \partial z = \sigma(z)(1 - \sigma(z))$,
//! $\partial \hat y / \partial \sigma(z) = w_2$, $\partial \mathcal{L} / \partial \hat y = \hat y - y$.
//! These are exactly the factors of the lecture's products.
//!
//! **Backward pass: multiply from the loss down.** Start with
//! $\partial \mathcal{L} / \partial \mathcal{L} = 1$ and visit the steps in
//! reverse. A step $c = f(a, b)$ that has received
//! $\bar c = \partial \mathcal{L} / \partial c$ passes
//! $\bar a \mathrel{+}= \frac{\partial c}{\partial a} \bar c$ to its inputs. After
//! $\mathcal{L}$ and $\hat y$ comes $\sigma(z)$ with
//! $\overline{\sigma(z)} = (\hat y - y)\, w_2$, then $z$ with
//! $\bar z = (\hat y - y)\, w_2\, \sigma'(z)$, and finally
//! $\bar w_1 = \bar z\, x$, $\bar b_1 = \bar z$ — the lecture's
//! $\frac{\partial \mathcal{L}}{\partial w_1}$ and
//! $\frac{\partial \mathcal{L}}{\partial b_1}$, but with the shared prefix
//! $(\hat y - y) w_2 \sigma'(z)$ computed once instead of once per gradient.
//! That sharing is why one backward pass costs about as much as one forward
//! pass however many parameters there are. Where a value feeds several
//! steps, the `+=` adds the contributions of all paths.
//!
//! ```
//! use autograd::lecture::{gradients, gradients_by_autograd, WORKED_EXAMPLE};
//! let (x, y, params) = WORKED_EXAMPLE; // x = 0.5, y = 1, w1 = 0.3, b1 = −0.1, w2 = 0.8, b2 = 0.2
//! let by_hand = gradients(&params, &params.forward(x, y));
//! let by_autograd = gradients_by_autograd(&params, x, y);
//! assert!((by_hand.dl_dw2 - -0.19988).abs() < 1e-5);
//! assert!((by_hand.dl_dw2 - by_autograd.dl_dw2).abs() < 1e-15);
//! ```
//!
//! `cargo run -p autograd --example lecture` prints the worked example as a
//! table (by hand, by autograd, by finite differences, with the lecture's
//! sign); `--example dot` prints its graph for Graphviz.
//!
//! ## For the book
//!
//! mdBook anchors (`{{#include …:name}}`): in `lecture.rs` `forward`,
//! `hand_gradients` (and `dl_dw2`, `dl_db2`, `dl_dw1`, `dl_db1` inside it),
//! `literal_gradients`, `graph`, `sgd_step`; in `value/ops.rs` one per
//! operation (`add`, `sub`, `mul`, `div`, `constants`, `neg`, `powi`, `exp`,
//! `ln`, `tanh`, `sigmoid`, `relu`, `activation`); `backward` in
//! `value/backward.rs`; in `tape/ops.rs` `matmul_t`, `add_bias`, `add`,
//! `mul`, `activation`, `softmax_rows`, `loss`, `sum_mean`; `tape_backward`
//! in `tape/backward.rs`.
#![forbid(unsafe_code)]

pub mod lecture;
pub mod tape;
pub mod value;

pub use tape::{Tape, TapeError, Var};
pub use value::Value;
