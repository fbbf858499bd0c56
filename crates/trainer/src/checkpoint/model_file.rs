//! "Save model / load model": a trained network and its scaler in one file,
//! for `nn eval` and for anyone who wants to use the network later.

use std::path::Path;

use super::CheckpointError;
use super::atomic::{read, write_atomically};
use super::tensors::{Metadata, decode, encode, network_tensors};
use datasets::Standardizer;
use mlp::{Architecture, Mlp};

/// The `format` entry of a model file's header.
pub const MODEL_FORMAT: &str = "mlp-model";

/// A network read back from a model file, with the standardiser its inputs
/// must go through (if it was saved with one).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    /// The network.
    pub model: Mlp,
    /// $\mu$ and $s$ of the training features, to apply to new inputs.
    pub scaler: Option<Standardizer>,
}

/// Writes `model` (and `scaler`) to the safetensors file `path`,
/// atomically: tensors `layers.{l}.weight` / `layers.{l}.bias` (`f64`,
/// little-endian), and in the header the format, its version, the
/// architecture and the scaler as JSON, and a CRC-32 of the tensors and of
/// that header. Identical inputs give byte-identical files.
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp};
/// use trainer::checkpoint;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("model.safetensors");
/// let net = Mlp::new(&Architecture::new([3, 4, 2], "relu".parse()?, Head::Softmax)?, Init::He, 1)?;
/// checkpoint::save_model(&path, &net, None)?;
/// let saved = checkpoint::load_model(&path)?;
/// assert_eq!(saved.model, net);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn save_model(
    path: impl AsRef<Path>,
    model: &Mlp,
    scaler: Option<&Standardizer>,
) -> Result<(), CheckpointError> {
    let mut metadata = Metadata::new();
    metadata.insert("format".into(), MODEL_FORMAT.into());
    metadata.insert("architecture".into(), to_json(&model.architecture()));
    if let Some(scaler) = scaler {
        metadata.insert("scaler".into(), to_json(scaler));
    }
    let (bytes, _) = encode(&network_tensors("", model), metadata);
    write_atomically(path.as_ref(), &bytes)
}

/// Reads a file written by [`save_model`]. A truncated or damaged file, a
/// file of another format or version, or tensors that do not fit the stored
/// architecture are errors that say so.
pub fn load_model(path: impl AsRef<Path>) -> Result<SavedModel, CheckpointError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = read(path)?;
    let what = "model file";
    let file = decode(&bytes, &name, what, MODEL_FORMAT)?;
    let architecture: Architecture = from_json(&file, "architecture", &name, what)?
        .ok_or_else(|| missing(&name, what, "architecture"))?;
    architecture
        .validate()
        .map_err(|source| CheckpointError::Model {
            path: name.clone(),
            source,
        })?;
    let scaler: Option<Standardizer> = from_json(&file, "scaler", &name, what)?;
    if let Some(scaler) = scaler
        .as_ref()
        .filter(|s| s.n_features() != architecture.n_inputs())
    {
        return Err(CheckpointError::Format {
            path: name,
            what,
            reason: format!(
                "its scaler has {} features but the network takes {} inputs",
                scaler.n_features(),
                architecture.n_inputs()
            ),
        });
    }
    Ok(SavedModel {
        model: file.network("", &architecture, what)?,
        scaler,
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("architectures and scalers serialize")
}

/// The metadata entry `key` parsed from JSON, or `None` if absent.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    file: &super::tensors::Decoded<'_>,
    key: &str,
    path: &str,
    what: &'static str,
) -> Result<Option<T>, CheckpointError> {
    file.metadata(key)
        .map(|value| {
            T::deserialize(value).map_err(|e| CheckpointError::Format {
                path: path.to_owned(),
                what,
                reason: format!("its {key:?} entry is invalid: {e}"),
            })
        })
        .transpose()
}

fn missing(path: &str, what: &'static str, key: &str) -> CheckpointError {
    CheckpointError::Format {
        path: path.to_owned(),
        what,
        reason: format!("its header has no {key:?} entry"),
    }
}
