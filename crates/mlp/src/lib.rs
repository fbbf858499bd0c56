//! # mlp — the lecture's network (Lecture 11)
//!
//! The multilayer perceptron as the lecture derives it, in four modules
//! that import one another in one direction only
//! (`model` ← `backprop` ← `train`):
//!
//! * [`model`] — [`Linear`], [`Mlp`], [`Init`], [`Head`]: the network, its
//!   random initialisation and its plain forward pass
//!   ($z = a W^\top + b$, $a = f(z)$).
//! * [`backprop`] — the forward pass that keeps every $z$ and $a$, the loss
//!   at the output with $\delta_L$, and the backward pass as the chain rule
//!   of chapter 5, one function per step (`layer_gradients`: `dw`, `db`;
//!   `delta_below`: the next `delta`); the same through the `autograd`
//!   tape, which must agree.
//! * [`train`] — [`fit`](train::fit), the lecture's loop: for each epoch,
//!   for each batch — forward pass, loss, backward pass, schedule, update —
//!   with [`Hooks`](train::Hooks) around it.
//!
//! Data sets live in the `datasets` crate; the full-featured trainer
//! (early stopping, divergence detection, checkpoints and resume, the LR
//! range test, and a fast path for the same formulas) in the `trainer` crate.
//!
//! ```
//! use mlp::train::{NoHooks, Settings, fit};
//! use mlp::{Architecture, Head, Init, Mlp, Objective};
//! use ndarray::array;
//!
//! // XOR: four points, a 2-8-2 network
//! let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let y = array![[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]];
//! let arch = Architecture::new([2, 8, 2], "tanh".parse()?, Head::Softmax)?;
//! let mut net = Mlp::new(&arch, Init::Xavier, 1)?;
//! let objective = Objective::new(Head::Softmax, "ce_logits".parse()?)?;
//! let mut adam = optim::Adam::new(0.05)?;
//! let settings = Settings { epochs: 300, batch_size: 4, seed: 0, shuffle: true, schedule: None };
//! fit(&mut net, (x.view(), y.view()), &objective, &mut adam, &settings, &mut NoHooks)?;
//! assert_eq!(net.predict(x.view())?, vec![0, 1, 1, 0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod backprop;
pub mod model;
pub mod train;

pub use backprop::{ForwardPass, Gradients, Objective, loss_and_gradients_autograd};
pub use model::{Architecture, Head, Init, Linear, Mlp, ModelError};
