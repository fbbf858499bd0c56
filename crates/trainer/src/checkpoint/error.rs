//! What can be wrong with a file on disk.

use thiserror::Error;

use crate::TrainError;
use mlp::ModelError;

/// Why a model or checkpoint could not be written or read. Every message
/// names the file, and for a mismatch what was expected and what was found.
#[derive(Debug, Error)]
pub enum CheckpointError {
    /// The operating system refused (missing file, no permission, full disk …).
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done (`"read"`, `"write"`, `"rename"` …).
        action: &'static str,
        /// The file or directory.
        path: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not what it should be: truncated, not JSON, not
    /// safetensors, a missing field or tensor, a wrong data type.
    #[error("{path} is not a valid {what}: {reason}")]
    Format {
        /// The file.
        path: String,
        /// What the file should be (`"model file"`, `"checkpoint state"` …).
        what: &'static str,
        /// What is wrong, in words.
        reason: String,
    },
    /// Written by another version of this format.
    #[error("{path} has format version {found}, but this program reads version {expected}")]
    Version {
        /// The file.
        path: String,
        /// The version in the file.
        found: String,
        /// The version this program reads.
        expected: u32,
    },
    /// A tensor whose shape does not fit the architecture stored beside it.
    #[error(
        "{path}: tensor {tensor} has shape {found:?}, but the architecture ({architecture}) needs {expected:?}"
    )]
    Shape {
        /// The file.
        path: String,
        /// The tensor's name (`"layers.0.weight"` …).
        tensor: String,
        /// The architecture, as text.
        architecture: String,
        /// The shape it needs.
        expected: Vec<usize>,
        /// The shape in the file.
        found: Vec<usize>,
    },
    /// The content does not match its checksum: the file was damaged.
    #[error(
        "{path} is corrupted: its {what} has checksum {found:08x}, but {expected:08x} was recorded when it was written"
    )]
    Checksum {
        /// The file.
        path: String,
        /// What was checked (`"tensors and header"`, `"state"`).
        what: &'static str,
        /// The recorded checksum.
        expected: u32,
        /// The checksum of what was read.
        found: u32,
    },
    /// The state file and the weights file do not belong together.
    #[error("{path} does not belong to {state}: {reason}")]
    Mismatch {
        /// The weights file.
        path: String,
        /// The state file.
        state: String,
        /// What differs.
        reason: String,
    },
    /// The stored network is invalid (e.g. a bad architecture).
    #[error("{path}: {source}")]
    Model {
        /// The file.
        path: String,
        /// What is wrong with the network.
        #[source]
        source: ModelError,
    },
    /// The stored training state cannot be resumed (e.g. an optimizer state
    /// of the wrong shapes).
    #[error("{path}: cannot resume: {source}")]
    Train {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: TrainError,
    },
}
