//! # The network: layers, initialisation and the output head
//!
//! The lecture's three-layer network
//! $f(x) = \sigma(w_2\, \sigma(w_1 x + b_1) + b_2)$, generalised to any
//! number of layers: an [`Mlp`] is a list of [`Linear`] layers
//! $z_l = a_{l-1} W_l^\top + b_l$, a hidden activation $f$ between them
//! ($a_l = f(z_l)$), and an output [`Head`] chosen by the task. Its weights
//! are drawn by an [`Init`] rule from a seed; its [`Architecture`] (sizes,
//! activation, head) is plain data that checkpoints store.

mod architecture;
mod error;
mod head;
mod init;
mod linear;
mod mlp;

pub use architecture::Architecture;
pub use error::ModelError;
pub use head::Head;
pub use init::Init;
pub use linear::Linear;
pub use mlp::Mlp;
pub use mlp::predicted_class;
