//! Networks as safetensors: `layers.{l}.weight` (`out × in`) and
//! `layers.{l}.bias` (`out`), `f64` little-endian, with a metadata header.
//!
//! The header's metadata is one entry, [`METADATA_KEY`], whose value is a
//! JSON object with sorted keys (format, version, architecture, scaler …,
//! and the CRC-32). One entry because safetensors keeps metadata in a
//! `HashMap`, whose order changes from run to run: with several entries two
//! identical runs would write files that differ in their header bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use ndarray::{Array1, Array2, ArrayD, IxDyn};
use safetensors::tensor::{Dtype, SafeTensors, View};
use serde_json::Value;

use super::CheckpointError;
use mlp::{Architecture, Linear, Mlp};

/// The version of the formats written here; files with another version are refused.
/// Version 2: one sorted metadata entry covered by the checksum, the
/// optimizer's buffers as tensors.
pub const FORMAT_VERSION: u32 = 2;

/// The one metadata entry of every file written here.
pub const METADATA_KEY: &str = "mlp";

/// The header's metadata: sorted keys, so the same content gives the same bytes.
pub(crate) type Metadata = BTreeMap<String, Value>;

/// One tensor ready to be written: its shape and its `f64`s as little-endian bytes.
pub(crate) struct F64Tensor {
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl F64Tensor {
    pub(crate) fn new<'a>(shape: &[usize], values: impl IntoIterator<Item = &'a f64>) -> Self {
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

/// CRC-32 of the tensors' names and bytes, in name order, and of the
/// metadata (without its `crc32` entry): recorded in the header, so that a
/// flipped bit anywhere in the data, or an edited scaler or architecture, is
/// noticed on loading (safetensors itself checks only that the sizes add up).
fn checksum<'a>(
    tensors: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    metadata: &Metadata,
) -> u32 {
    let mut sorted: Vec<_> = tensors.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut hasher = crc32fast::Hasher::new();
    for (name, bytes) in sorted {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    let covered: BTreeMap<&String, &Value> =
        metadata.iter().filter(|(k, _)| *k != "crc32").collect();
    hasher.update(
        serde_json::to_string(&covered)
            .expect("JSON values serialize")
            .as_bytes(),
    );
    hasher.finalize()
}

/// A safetensors file of `tensors` with `metadata` plus `format_version`
/// and `crc32` entries; returns the bytes and the checksum. The same
/// tensors and metadata always give the same bytes.
pub(crate) fn encode(tensors: &[(String, F64Tensor)], mut metadata: Metadata) -> (Vec<u8>, u32) {
    metadata.insert("format_version".into(), FORMAT_VERSION.into());
    let crc = checksum(
        tensors
            .iter()
            .map(|(n, t)| (n.as_str(), t.bytes.as_slice())),
        &metadata,
    );
    metadata.insert("crc32".into(), crc.into());
    let header = HashMap::from([(
        METADATA_KEY.to_owned(),
        serde_json::to_string(&metadata).expect("JSON values serialize"),
    )]);
    let bytes = safetensors::serialize(tensors.iter().map(|(n, t)| (n.as_str(), t)), Some(header))
        .expect("f64 tensors with consistent shapes always serialize");
    (bytes, crc)
}

/// A parsed safetensors file whose format, version and checksum have been checked.
pub(crate) struct Decoded<'a> {
    path: String,
    tensors: SafeTensors<'a>,
    metadata: Metadata,
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
    let text = header
        .metadata()
        .as_ref()
        .and_then(|m| m.get(METADATA_KEY))
        .ok_or_else(|| bad(format!("its header has no {METADATA_KEY:?} metadata entry")))?;
    let metadata: Metadata = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "its {METADATA_KEY:?} metadata is not a JSON object ({e})"
        ))
    })?;
    let field = |key: &str| {
        metadata
            .get(key)
            .ok_or_else(|| bad(format!("its header has no {key:?} entry")))
    };
    let found_format = field("format")?;
    if found_format != format {
        return Err(bad(format!(
            "its format is {found_format}, expected {format:?}"
        )));
    }
    let version = field("format_version")?;
    if *version != FORMAT_VERSION {
        return Err(CheckpointError::Version {
            path: path.to_owned(),
            found: version.to_string(),
            expected: FORMAT_VERSION,
        });
    }
    let crc = field("crc32")?
        .as_u64()
        .and_then(|c| u32::try_from(c).ok())
        .ok_or_else(|| bad("its crc32 entry is not a 32-bit number".into()))?;
    let found = checksum(tensors.iter().map(|(n, t)| (n, t.data())), &metadata);
    if found != crc {
        return Err(CheckpointError::Checksum {
            path: path.to_owned(),
            what: "tensors and header",
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
    /// The file's path, for errors.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// A metadata entry.
    pub(crate) fn metadata(&self, key: &str) -> Option<&Value> {
        self.metadata.get(key)
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
        self.finite(name, tensor.data(), what)
    }

    /// Little-endian `f64`s, all finite.
    fn finite(
        &self,
        name: &str,
        data: &[u8],
        what: &'static str,
    ) -> Result<Vec<f64>, CheckpointError> {
        let values: Vec<f64> = data
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

    /// The tensor `name` of any shape, with finite entries (an optimizer's buffer).
    pub(crate) fn array(
        &self,
        name: &str,
        what: &'static str,
    ) -> Result<ArrayD<f64>, CheckpointError> {
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
        let values = self.finite(name, tensor.data(), what)?;
        Ok(ArrayD::from_shape_vec(IxDyn(tensor.shape()), values)
            .expect("safetensors checked that the data fill the shape"))
    }

    /// How many tensors have names that start with `prefix`.
    pub(crate) fn count_with_prefix(&self, prefix: &str) -> usize {
        self.tensors
            .names()
            .iter()
            .filter(|n| n.starts_with(prefix))
            .count()
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
