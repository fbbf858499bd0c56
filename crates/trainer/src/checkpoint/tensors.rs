//! Networks as safetensors: `layers.{l}.weight` (`out × in`) and
//! `layers.{l}.bias` (`out`), `f64` little-endian, with a metadata header.

use std::borrow::Cow;
use std::collections::HashMap;

use ndarray::{Array1, Array2};
use safetensors::tensor::{Dtype, SafeTensors, View};

use super::CheckpointError;
use mlp::{Architecture, Linear, Mlp};

/// The version of the formats written here; files with another version are refused.
pub const FORMAT_VERSION: u32 = 1;

/// One tensor ready to be written: its shape and its `f64`s as little-endian bytes.
pub(crate) struct F64Tensor {
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl F64Tensor {
    fn new<'a>(shape: &[usize], values: impl IntoIterator<Item = &'a f64>) -> Self {
        Self {
            shape: shape.to_vec(),
            bytes: values.into_iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }
}

impl View for &F64Tensor {
    fn dtype(&self) -> Dtype {
        Dtype::F64
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

/// The tensors of `model`, named `{prefix}layers.{l}.weight` / `.bias`.
pub(crate) fn network_tensors(prefix: &str, model: &Mlp) -> Vec<(String, F64Tensor)> {
    let mut tensors = Vec::with_capacity(2 * model.layers().len());
    for (l, layer) in model.layers().iter().enumerate() {
        tensors.push((
            format!("{prefix}layers.{l}.weight"),
            F64Tensor::new(layer.weight.shape(), layer.weight.iter()),
        ));
        tensors.push((
            format!("{prefix}layers.{l}.bias"),
            F64Tensor::new(layer.bias.shape(), layer.bias.iter()),
        ));
    }
    tensors
}

/// CRC-32 of the tensors' names and bytes, in name order: recorded in the
/// header, so that a flipped bit anywhere in the data is noticed on loading
/// (safetensors itself checks only that the sizes add up).
fn checksum<'a>(tensors: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> u32 {
    let mut sorted: Vec<_> = tensors.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut hasher = crc32fast::Hasher::new();
    for (name, bytes) in sorted {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    hasher.finalize()
}

/// A safetensors file of `tensors` with `metadata` plus `format_version`
/// and `crc32` entries; returns the bytes and the checksum.
pub(crate) fn encode(
    tensors: &[(String, F64Tensor)],
    mut metadata: HashMap<String, String>,
) -> (Vec<u8>, u32) {
    let crc = checksum(
        tensors
            .iter()
            .map(|(n, t)| (n.as_str(), t.bytes.as_slice())),
    );
    metadata.insert("format_version".into(), FORMAT_VERSION.to_string());
    metadata.insert("crc32".into(), crc.to_string());
    let bytes =
        safetensors::serialize(tensors.iter().map(|(n, t)| (n.as_str(), t)), Some(metadata))
            .expect("f64 tensors with consistent shapes always serialize");
    (bytes, crc)
}

/// A parsed safetensors file whose format, version and checksum have been checked.
pub(crate) struct Decoded<'a> {
    path: String,
    tensors: SafeTensors<'a>,
    metadata: HashMap<String, String>,
    /// The checksum recorded in (and verified against) the file.
    pub(crate) crc: u32,
}

/// Parses `bytes` (the file `path`), which must be a safetensors file whose
/// `format` metadata is `format`, of [`FORMAT_VERSION`], whose tensors match
/// their recorded checksum. `what` names the kind of file in errors.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    path: &str,
    what: &'static str,
    format: &str,
) -> Result<Decoded<'a>, CheckpointError> {
    let bad = |reason: String| CheckpointError::Format {
        path: path.to_owned(),
        what,
        reason,
    };
    let tensors = SafeTensors::deserialize(bytes).map_err(|e| {
        bad(format!(
            "cannot parse it as safetensors ({e}); is it truncated?"
        ))
    })?;
    let (_, header) = SafeTensors::read_metadata(bytes)
        .map_err(|e| bad(format!("cannot read its header ({e})")))?;
    let metadata = header.metadata().clone().unwrap_or_default();
    let field = |key: &str| {
        metadata
            .get(key)
            .cloned()
            .ok_or_else(|| bad(format!("its header has no {key:?} entry")))
    };
    let found_format = field("format")?;
    if found_format != format {
        return Err(bad(format!(
            "its format is {found_format:?}, expected {format:?}"
        )));
    }
    let version = field("format_version")?;
    if version != FORMAT_VERSION.to_string() {
        return Err(CheckpointError::Version {
            path: path.to_owned(),
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let crc: u32 = field("crc32")?
        .parse()
        .map_err(|_| bad("its crc32 entry is not a number".into()))?;
    let found = checksum(tensors.iter().map(|(n, t)| (n, t.data())));
    if found != crc {
        return Err(CheckpointError::Checksum {
            path: path.to_owned(),
            what: "tensor data",
            expected: crc,
            found,
        });
    }
    Ok(Decoded {
        path: path.to_owned(),
        tensors,
        metadata,
        crc,
    })
}

impl Decoded<'_> {
    /// A metadata entry.
    pub(crate) fn metadata(&self, key: &str) -> Option<&str> {
        self.metadata.get(key).map(String::as_str)
    }

    fn format_error(&self, what: &'static str, reason: String) -> CheckpointError {
        CheckpointError::Format {
            path: self.path.clone(),
            what,
            reason,
        }
    }

    /// Whether a tensor of that name exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tensors.tensor(name).is_ok()
    }

    /// The tensor `name` as `f64`s, checked to have `shape` and finite entries.
    fn values(
        &self,
        name: &str,
        shape: &[usize],
        architecture: &Architecture,
        what: &'static str,
    ) -> Result<Vec<f64>, CheckpointError> {
        let tensor = self
            .tensors
            .tensor(name)
            .map_err(|_| self.format_error(what, format!("tensor {name} is missing")))?;
        if tensor.dtype() != Dtype::F64 {
            return Err(self.format_error(
                what,
                format!(
                    "tensor {name} has data type {:?}, expected F64",
                    tensor.dtype()
                ),
            ));
        }
        if tensor.shape() != shape {
            return Err(CheckpointError::Shape {
                path: self.path.clone(),
                tensor: name.to_owned(),
                architecture: architecture.to_string(),
                expected: shape.to_vec(),
                found: tensor.shape().to_vec(),
            });
        }
        let values: Vec<f64> = tensor
            .data()
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes")))
            .collect();
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(self.format_error(
                what,
                format!(
                    "tensor {name} holds the non-finite value {} at index {i}",
                    values[i]
                ),
            ));
        }
        Ok(values)
    }

    /// The network `{prefix}layers.*` of the given architecture.
    pub(crate) fn network(
        &self,
        prefix: &str,
        architecture: &Architecture,
        what: &'static str,
    ) -> Result<Mlp, CheckpointError> {
        let mut layers = Vec::with_capacity(architecture.sizes.len() - 1);
        for (l, w) in architecture.sizes.windows(2).enumerate() {
            let (fan_in, fan_out) = (w[0], w[1]);
            let weight = self.values(
                &format!("{prefix}layers.{l}.weight"),
                &[fan_out, fan_in],
                architecture,
                what,
            )?;
            let bias = self.values(
                &format!("{prefix}layers.{l}.bias"),
                &[fan_out],
                architecture,
                what,
            )?;
            layers.push(Linear {
                weight: Array2::from_shape_vec((fan_out, fan_in), weight)
                    .expect("the shape was checked"),
                bias: Array1::from(bias),
            });
        }
        let expected = 2 * layers.len();
        let found = self
            .tensors
            .names()
            .iter()
            .filter(|n| n.starts_with(prefix) && n[prefix.len()..].starts_with("layers."))
            .count();
        if found != expected {
            return Err(self.format_error(
                what,
                format!(
                    "it holds {found} {prefix}layers.* tensors, but the architecture ({architecture}) has {expected}"
                ),
            ));
        }
        Mlp::from_layers(layers, architecture.hidden, architecture.head).map_err(|source| {
            CheckpointError::Model {
                path: self.path.clone(),
                source,
            }
        })
    }
}
