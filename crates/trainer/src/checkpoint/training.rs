//! A training run on disk: tensors (safetensors: weights and the optimizer's
//! buffers) and state (small JSON) side by side.

use std::fs;
use std::path::{Path, PathBuf};

use optim::{OptimizerState, TensorState};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CheckpointError;
use super::atomic::{read, write_atomically};
use super::model_file::{from_json, to_json};
use super::tensors::{
    Decoded, F64Tensor, FORMAT_VERSION, Metadata, decode, encode, network_tensors,
};
use crate::{Progress, ScheduleUnit, TrainConfig, Trainer};
use datasets::Standardizer;
use mlp::{Architecture, Mlp};

/// The state file's name inside a checkpoint directory.
pub const STATE_FILE: &str = "checkpoint.json";

/// The `format` entry of the state file and of the weights file's header.
pub const CHECKPOINT_FORMAT: &str = "mlp-checkpoint";

/// Everything needed to continue a training run exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// The current weights.
    pub model: Mlp,
    /// The best epoch's weights (kept when early stopping is on).
    pub best_model: Option<Mlp>,
    /// The run's settings.
    pub config: TrainConfig,
    /// Epoch, batch, step, history, early-stopping bookkeeping.
    pub progress: Progress,
    /// The optimizer's moments, step count and $\eta$.
    pub optimizer: OptimizerState,
    /// The standardiser of the features, if the run had one.
    pub scaler: Option<Standardizer>,
}

/// Where in the shuffling the run is: the whole "RNG state" (see
/// [`epoch_order`](crate::epoch_order)), written out for a reader of
/// the JSON; on loading it is checked against the config and progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RngState {
    scheme: String,
    seed: u64,
    epoch: usize,
    batch: usize,
}

const RNG_SCHEME: &str = "StdRng (ChaCha12) keyed by (seed, epoch) for each epoch's shuffle";

/// The optimizer's state without its buffers: those are the tensors
/// `optimizer.{i}.{name}` of the weights file ($v$, $s$, $m$ of parameter
/// tensor $i$), so a large network's moments cost 8 bytes per number, not
/// the 20-odd of decimal JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptimizerMeta {
    optimizer: String,
    learning_rate: f64,
    t: u64,
    /// Per parameter tensor: `None` before its first update, else the names
    /// of its buffers (the tensors hold their shapes).
    tensors: Vec<Option<Vec<String>>>,
}

/// The prefix of the optimizer's tensors.
const OPTIMIZER_PREFIX: &str = "optimizer.";

impl OptimizerMeta {
    /// The metadata of `state` and its buffers as tensors.
    fn split(state: &OptimizerState) -> (Self, Vec<(String, F64Tensor)>) {
        let mut tensors = Vec::new();
        let meta = state
            .tensors
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                slot.as_ref().map(|slot| {
                    for (name, buffer) in &slot.buffers {
                        tensors.push((
                            format!("{OPTIMIZER_PREFIX}{i}.{name}"),
                            F64Tensor::new(buffer.shape(), buffer.iter()),
                        ));
                    }
                    slot.buffers.keys().cloned().collect()
                })
            })
            .collect();
        let meta = Self {
            optimizer: state.optimizer.clone(),
            learning_rate: state.learning_rate,
            t: state.t,
            tensors: meta,
        };
        (meta, tensors)
    }

    /// The state again, with the buffers read from `file`.
    fn join(
        self,
        file: &Decoded<'_>,
        what: &'static str,
    ) -> Result<OptimizerState, CheckpointError> {
        let mut count = 0;
        let mut tensors = Vec::with_capacity(self.tensors.len());
        for (i, names) in self.tensors.into_iter().enumerate() {
            let Some(names) = names else {
                tensors.push(None);
                continue;
            };
            let mut buffers = std::collections::BTreeMap::new();
            let mut shape = None;
            for name in names {
                let buffer = file.array(&format!("{OPTIMIZER_PREFIX}{i}.{name}"), what)?;
                shape.get_or_insert_with(|| buffer.shape().to_vec());
                buffers.insert(name, buffer);
                count += 1;
            }
            tensors.push(Some(TensorState {
                shape: shape.unwrap_or_default(),
                buffers,
            }));
        }
        let found = file.count_with_prefix(OPTIMIZER_PREFIX);
        if found != count {
            return Err(CheckpointError::Format {
                path: file.path().to_owned(),
                what,
                reason: format!("it holds {found} optimizer tensors, the state names {count}"),
            });
        }
        Ok(OptimizerState {
            optimizer: self.optimizer,
            learning_rate: self.learning_rate,
            t: self.t,
            tensors,
        })
    }
}

/// The JSON state, without the tensors.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    architecture: Architecture,
    config: TrainConfig,
    progress: Progress,
    optimizer: OptimizerMeta,
    /// The step $t$ the schedule gives the next batch's rate for (batches
    /// or epochs done, by the config's unit); `None` without a schedule.
    schedule_step: Option<u64>,
    rng: RngState,
    scaler: Option<Standardizer>,
}

/// The schedule's $t$ for the next batch: batches or epochs done so far.
fn schedule_step(config: &TrainConfig, progress: &Progress) -> Option<u64> {
    config
        .schedule
        .as_ref()
        .map(|_| match config.schedule_unit {
            ScheduleUnit::Batch => progress.step,
            ScheduleUnit::Epoch => progress.epoch as u64,
        })
}

impl Checkpoint {
    /// A snapshot of `trainer` (between two batches, e.g. after
    /// [`Outcome::Interrupted`](crate::Outcome::Interrupted)).
    pub fn from_trainer(trainer: &Trainer) -> Self {
        Self {
            model: trainer.model().clone(),
            best_model: trainer.best_model().cloned(),
            config: trainer.config().clone(),
            progress: trainer.progress().clone(),
            optimizer: trainer.optimizer_state(),
            scaler: trainer.scaler().cloned(),
        }
    }

    /// A trainer that continues the run: its [`fit`](Trainer::fit) with the
    /// same data gives bit for bit the weights the uninterrupted run would have.
    pub fn into_trainer(self) -> Result<Trainer, crate::TrainError> {
        let trainer = Trainer::from_parts(
            self.model,
            self.config,
            self.progress,
            self.optimizer,
            self.best_model,
        )?;
        Ok(match self.scaler {
            Some(scaler) => trainer.with_scaler(scaler),
            None => trainer,
        })
    }

    /// Writes the checkpoint into `dir` (created if needed) and returns the
    /// state file's path.
    ///
    /// Two files: `weights-<step>.safetensors` (tensors `layers.{l}.weight`,
    /// `layers.{l}.bias`, `best.layers.*` when early stopping keeps a
    /// best model, and the optimizer's buffers `optimizer.{i}.{name}`;
    /// `f64` little-endian; a header with the format, version, architecture
    /// and a CRC-32) and [`STATE_FILE`] (compact JSON: format, version, the
    /// weights file's name and CRC-32, and the state — architecture, config
    /// with the seed, progress with the history, optimizer's step and
    /// $\eta$, schedule step, RNG position, scaler — with its own CRC-32).
    /// The same run saved at the same point gives byte-identical files.
    ///
    /// **Consistent after a crash at any point.** Each file is written
    /// atomically (temporary file, `fsync`, rename). The weights go first,
    /// under a name the current state file does not use; the state file,
    /// which names them, is renamed last; only then are older weights files
    /// deleted. Before that last rename the old state still names the old
    /// weights, which are still there; after it the new state names the new
    /// ones. So the directory always holds a loadable checkpoint: the
    /// previous one or the new one.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<PathBuf, CheckpointError> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|source| CheckpointError::Io {
            action: "create directory",
            path: dir.display().to_string(),
            source,
        })?;
        let architecture = self.model.architecture();
        let mut tensors = network_tensors("", &self.model);
        if let Some(best) = &self.best_model {
            tensors.extend(network_tensors("best.", best));
        }
        let (optimizer, buffers) = OptimizerMeta::split(&self.optimizer);
        tensors.extend(buffers);
        let mut metadata = Metadata::new();
        metadata.insert("format".into(), CHECKPOINT_FORMAT.into());
        metadata.insert("architecture".into(), to_json(&architecture));
        metadata.insert("step".into(), self.progress.step.into());
        let (bytes, weights_crc) = encode(&tensors, metadata);

        let state_path = dir.join(STATE_FILE);
        let current = current_weights_file(&state_path);
        let mut weights_file = format!("weights-{:010}.safetensors", self.progress.step);
        if current.as_deref() == Some(weights_file.as_str()) {
            weights_file = format!("weights-{:010}-b.safetensors", self.progress.step);
        }
        write_atomically(&dir.join(&weights_file), &bytes)?;

        let state = State {
            architecture,
            config: self.config.clone(),
            progress: self.progress.clone(),
            optimizer,
            schedule_step: schedule_step(&self.config, &self.progress),
            rng: RngState {
                scheme: RNG_SCHEME.into(),
                seed: self.config.seed,
                epoch: self.progress.epoch,
                batch: self.progress.batch,
            },
            scaler: self.scaler.clone(),
        };
        let state = serde_json::to_value(&state).expect("a training state serializes");
        let file = serde_json::json!({
            "format": CHECKPOINT_FORMAT,
            "format_version": FORMAT_VERSION,
            "weights_file": weights_file,
            "weights_crc32": weights_crc,
            "state_crc32": state_checksum(&state),
            "state": state,
        });
        // compact: the state is small now that the tensors live beside it
        let text = serde_json::to_string(&file).expect("JSON values serialize");
        write_atomically(&state_path, text.as_bytes())?;
        remove_stale_weights(dir, &weights_file);
        Ok(state_path)
    }

    /// Reads the checkpoint in `dir`, checking formats, versions, checksums,
    /// that the two files belong together and that every tensor fits the
    /// architecture. Any damage is an error that names the file, never a panic.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, CheckpointError> {
        let dir = dir.as_ref();
        let state_path = dir.join(STATE_FILE);
        let state_name = state_path.display().to_string();
        let what = "checkpoint state";
        let bad = |reason: String| CheckpointError::Format {
            path: state_name.clone(),
            what,
            reason,
        };
        let text = read(&state_path)?;
        let file: Value = serde_json::from_slice(&text)
            .map_err(|e| bad(format!("it is not JSON ({e}); is it truncated?")))?;
        if file["format"] != CHECKPOINT_FORMAT {
            return Err(bad(format!(
                "its format is {}, expected {CHECKPOINT_FORMAT:?}",
                file["format"]
            )));
        }
        if file["format_version"] != FORMAT_VERSION {
            return Err(CheckpointError::Version {
                path: state_name,
                found: file["format_version"].to_string(),
                expected: FORMAT_VERSION,
            });
        }
        let number = |key: &str| {
            file[key]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| bad(format!("its {key:?} is missing or not a 32-bit number")))
        };
        let (weights_crc, state_crc) = (number("weights_crc32")?, number("state_crc32")?);
        let found = state_checksum(&file["state"]);
        if found != state_crc {
            return Err(CheckpointError::Checksum {
                path: state_name,
                what: "state",
                expected: state_crc,
                found,
            });
        }
        let state: State = serde_json::from_value(file["state"].clone())
            .map_err(|e| bad(format!("its state is invalid: {e}")))?;
        state
            .architecture
            .validate()
            .map_err(|source| CheckpointError::Model {
                path: state_name.clone(),
                source,
            })?;
        if state.schedule_step != schedule_step(&state.config, &state.progress) {
            return Err(bad(format!(
                "its schedule_step {:?} disagrees with the progress and the schedule's unit",
                state.schedule_step
            )));
        }
        let rng_matches = state.rng.seed == state.config.seed
            && state.rng.epoch == state.progress.epoch
            && state.rng.batch == state.progress.batch;
        if !rng_matches {
            return Err(bad(format!(
                "its rng position {:?} disagrees with the config's seed {} and the progress (epoch {}, batch {})",
                state.rng, state.config.seed, state.progress.epoch, state.progress.batch
            )));
        }

        let weights_file = file["weights_file"]
            .as_str()
            .filter(|name| is_plain_file_name(name))
            .ok_or_else(|| bad("its \"weights_file\" is missing or not a file name".into()))?;
        let weights_path = dir.join(weights_file);
        let weights_name = weights_path.display().to_string();
        let bytes = read(&weights_path)?;
        let what = "checkpoint weights file";
        let weights = decode(&bytes, &weights_name, what, CHECKPOINT_FORMAT)?;
        let mismatch = |reason: String| CheckpointError::Mismatch {
            path: weights_name.clone(),
            state: state_name.clone(),
            reason,
        };
        if weights.crc != weights_crc {
            return Err(mismatch(format!(
                "its checksum is {:08x}, the state expects {weights_crc:08x}",
                weights.crc
            )));
        }
        let stored: Option<Architecture> =
            from_json(&weights, "architecture", &weights_name, what)?;
        if stored.as_ref() != Some(&state.architecture) {
            return Err(mismatch(format!(
                "it holds a network of architecture {}, the state says {}",
                stored.map_or_else(|| "(none)".to_owned(), |a| a.to_string()),
                state.architecture
            )));
        }
        let model = weights.network("", &state.architecture, what)?;
        let best_model = if state.config.early_stopping.is_some() {
            Some(weights.network("best.", &state.architecture, what)?)
        } else if weights.has("best.layers.0.weight") {
            return Err(mismatch(
                "it holds best.* weights, but the run has no early stopping".into(),
            ));
        } else {
            None
        };
        let optimizer = state.optimizer.join(&weights, what)?;
        Ok(Self {
            model,
            best_model,
            config: state.config,
            progress: state.progress,
            optimizer,
            scaler: state.scaler,
        })
    }
}

/// CRC-32 of the state's compact JSON form (keys in sorted order, as
/// `serde_json::Value` keeps them), so an edited or damaged value is noticed.
fn state_checksum(state: &Value) -> u32 {
    crc32fast::hash(
        serde_json::to_string(state)
            .expect("JSON values serialize")
            .as_bytes(),
    )
}

/// The weights file named by an existing, readable state file.
fn current_weights_file(state_path: &Path) -> Option<String> {
    let text = fs::read(state_path).ok()?;
    let file: Value = serde_json::from_slice(&text).ok()?;
    file["weights_file"].as_str().map(str::to_owned)
}

/// A name without directories, so a state file cannot point outside its directory.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && Path::new(name).file_name().is_some_and(|f| f == name) && name != ".."
}

/// Deletes `weights-*.safetensors` other than `keep` (best effort: a file
/// left behind wastes space but is never read).
fn remove_stale_weights(dir: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != keep && name.starts_with("weights-") && name.ends_with(".safetensors") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

impl Trainer {
    /// Saves this run into `dir` ([`Checkpoint::save`]).
    pub fn save_checkpoint(&self, dir: impl AsRef<Path>) -> Result<PathBuf, CheckpointError> {
        Checkpoint::from_trainer(self).save(dir)
    }

    /// Loads the checkpoint in `dir` and returns a trainer that continues it.
    pub fn resume(dir: impl AsRef<Path>) -> Result<Trainer, CheckpointError> {
        let dir = dir.as_ref();
        Checkpoint::load(dir)?
            .into_trainer()
            .map_err(|source| CheckpointError::Train {
                path: dir.join(STATE_FILE).display().to_string(),
                source,
            })
    }
}
