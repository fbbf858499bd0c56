//! # datasets — what the network learns from (like `torchvision.datasets`, `sklearn.datasets`)
//!
//! The lecture's loop — take a batch, forward pass, loss, backward pass,
//! update — needs samples. This crate supplies them and prepares them:
//!
//! 1. **Get a [`Dataset`]**: built in and embedded in the binary
//!    ([`digits`], [`iris`]), generated from a seed ([`xor`], [`two_moons`],
//!    [`circles`], [`spirals`], [`sine`]), looked up by name ([`builtin`]),
//!    or loaded from your own files ([`load_csv`], [`load_mnist`]).
//! 2. **Split it** into train / validation / test parts ([`split`]),
//!    stratified by class and seeded.
//! 3. **Standardise the features** with statistics of the training part
//!    only ([`Standardizer`], [`Split::standardize`]).
//! 4. **Cut batches** into reusable buffers ([`BatchBuffer`]) so the training
//!    loop allocates nothing per batch.
//!
//! Each module's documentation explains *why* its step is done the way it
//! is. Everything that reads user input returns a [`DataError`] that names
//! the file and line (or byte offset) and what was expected.
//!
//! ```
//! use datasets::{self, Fractions};
//!
//! let digits = datasets::digits();
//! assert_eq!((digits.len(), digits.n_features(), digits.n_outputs()), (1797, 64, 10));
//!
//! let parts = datasets::split(&digits, Fractions::new(0.7, 0.15, 0.15)?, 42)?;
//! let (parts, scaler) = parts.standardize()?;
//! assert_eq!(scaler.n_features(), 64);
//! assert_eq!(parts.train.len() + parts.validation.len() + parts.test.len(), 1797);
//! # Ok::<(), datasets::DataError>(())
//! ```
#![forbid(unsafe_code)]

mod batch;
mod builtin;
mod csv_file;
mod dataset;
mod error;
mod gzip;
mod idx;
mod scaler;
mod split;
pub mod synthetic;

pub use batch::BatchBuffer;
pub use builtin::{BUILTIN_NAMES, builtin, digits, iris};
pub use csv_file::{Column, CsvOptions, Header, Task, load_csv, read_csv};
pub use dataset::{Dataset, Target, one_hot};
pub use error::DataError;
pub use idx::{
    IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxImages, load_mnist, parse_idx_images, parse_idx_labels,
};
pub use scaler::Standardizer;
pub use split::{Fractions, Split, SplitIndices, split, split_indices};
pub use synthetic::{circles, sine, spirals, two_moons, xor};
