//! # mlp — the multilayer perceptron, assembled (Lecture 11)
//!
//! Everything the lecture describes put together: data, a network of
//! `Linear` layers and activations, its forward and backward pass, and
//! the training loop. This file is only an index; each module explains its
//! part.
//!
//! * [`data`] — built-in and user data sets, train/validation/test split,
//!   standardisation, mini-batches.
//! * [`model`] — [`Linear`], [`Mlp`], [`Init`], [`Head`]: the network and its
//!   random initialisation.
//! * [`backprop`] — the forward pass that keeps what backpropagation needs,
//!   the hand-written backward pass (the lecture's chain rule, layer by
//!   layer), and the same through the `autograd` tape.
#![forbid(unsafe_code)]

pub mod backprop;
pub mod checkpoint;
pub mod data;
pub mod lr_finder;
pub mod model;
pub mod train;

pub use backprop::{Gradients, Objective, Workspace, loss_and_gradients_autograd};
pub use checkpoint::{Checkpoint, CheckpointError, SavedModel, load_model, save_model};
pub use data::{DataError, Dataset};
pub use model::{Architecture, Head, Init, Linear, Mlp, ModelError};
pub use train::{TrainConfig, TrainError, Trainer};
