//! # Checkpoints: a network and a training run on disk
//!
//! * **A model** — [`save_model`] / [`load_model`]: one safetensors file
//!   with the weights, the architecture and the scaler; what `nn eval`
//!   reads.
//! * **A training run** — [`Checkpoint`]: a directory with the tensors
//!   (safetensors: weights and the optimizer's moments) and the training
//!   state (small JSON: config and seed, epoch, batch and step, history,
//!   the optimizer's step and $\eta$, scaler), from which
//!   [`Trainer::resume`](crate::Trainer::resume) continues bit for bit.
//!
//! Weights are stored as the safetensors format (Hugging Face's: a JSON
//! header and raw little-endian tensors, no code execution on loading),
//! one tensor per parameter, named like PyTorch's `state_dict`:
//! `layers.0.weight` ($W_1$, `out × in`), `layers.0.bias` ($b_1$), … —
//! so the file opens with `safetensors.torch.load_file` too.
//!
//! Files are written atomically, and identical inputs give byte-identical
//! files (the metadata is one JSON object with sorted keys). Loading checks
//! everything it reads: the format and its version, a CRC-32 of the tensor
//! data with the header (architecture, scaler) and of the state,
//! that the state file and weights file belong together, and that every
//! tensor has the shape the architecture needs. A truncated, corrupted or
//! mismatched file is a [`CheckpointError`] that says what is wrong, never
//! a panic (tests in `tests/checkpoint.rs`).

mod atomic;
mod error;
mod model_file;
mod tensors;
mod training;

pub use error::CheckpointError;
pub use model_file::{MODEL_FORMAT, SavedModel, load_model, save_model};
pub use tensors::FORMAT_VERSION;
pub use training::{CHECKPOINT_FORMAT, Checkpoint, STATE_FILE};
