//! The files of a run folder, and `run.json`, which binds them together.
//!
//! ```text
//! runs/digits-seed42/
//!   run.json             the run id, settings, state, and the SHA-256 of every other file
//!   metrics.csv          one row per epoch
//!   report.svg           loss, accuracy and learning-rate curves
//!   model.safetensors    the trained network and its scaler (nn eval; finished runs)
//!   checkpoint/          the training state (nn resume)
//! ```
//!
//! `run.json` is the folder's manifest: it names the run (a run id), says
//! whether the run finished or was interrupted, lists every other file with
//! its SHA-256, and carries a SHA-256 of its own content. `nn eval` and
//! `nn resume` [`RunFile::verify`] a folder before they read it: an edited
//! `run.json`, a file from another run, a missing or extra file are
//! refused. (The folder is written as a whole, see [`crate::folder`], so a
//! mixed folder can only come from a hand-made copy.)

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use datasets::Dataset;
use losses::LossKind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use trainer::EpochRecord;

use crate::error::{CliError, CliResult};
use crate::output::shell_path;
use crate::setup::DataSpec;

/// The per-epoch table.
pub const METRICS_FILE: &str = "metrics.csv";
/// The curves.
pub const REPORT_FILE: &str = "report.svg";
/// The trained network.
pub const MODEL_FILE: &str = "model.safetensors";
/// The manifest and settings.
pub const RUN_FILE: &str = "run.json";
/// The checkpoint folder inside a run folder.
pub const CHECKPOINT_DIR: &str = "checkpoint";

/// `format` of `run.json`.
const RUN_FORMAT: &str = "nn-run";
/// Version of `run.json`; 2 added the manifest.
const RUN_VERSION: u32 = 2;

/// What a run was trained on, and how long its epochs took: the part of a
/// run that the library's checkpoint does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// The id every file of the run belongs to.
    pub run_id: String,
    /// The command line that started the run (for the reader).
    pub command: String,
    /// Where the data come from.
    pub data: DataSpec,
    /// SHA-256 of the loaded rows (features and targets): `nn resume` and
    /// `nn eval` check that the data are still the same.
    pub data_sha256: String,
    /// Train, validation and test fractions.
    pub split: [f64; 3],
    /// The seed of the split, the weights, the shuffles and synthetic data.
    pub seed: u64,
    /// The loss the network was trained with (what `nn eval` reports).
    pub loss: LossKind,
    /// Epochs of the whole run.
    pub epochs: usize,
    /// Seconds of training since the start at the end of each completed epoch.
    #[serde(default)]
    pub epoch_seconds: Vec<f64>,
    /// Seconds of training since the start when the checkpoint was saved.
    #[serde(default)]
    pub elapsed_seconds: f64,
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Stopped (signal or periodic checkpoint): `nn resume` continues it.
    Interrupted {
        /// Epochs done.
        epoch: usize,
    },
    /// All epochs ran (or early stopping ended it): `model.safetensors` is final.
    Finished,
}

/// `run.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    /// Always `nn-run`.
    pub format: String,
    /// [`RUN_VERSION`].
    pub version: u32,
    /// Finished or interrupted.
    pub status: Status,
    /// The settings.
    pub spec: RunSpec,
    /// Every other file of the folder (path relative to it, `/`-separated)
    /// and its SHA-256.
    pub files: BTreeMap<String, String>,
    /// SHA-256 of this file's content with this field empty.
    pub sha256: String,
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the rows of a data set: features, targets and class names,
/// as `run.json` records them to recognise the same data later.
pub fn data_sha256(data: &Dataset) -> String {
    let mut bytes = Vec::with_capacity(8 * (data.x().len() + data.len()));
    bytes.extend((data.len() as u64).to_le_bytes());
    bytes.extend((data.n_features() as u64).to_le_bytes());
    bytes.extend(data.x().iter().flat_map(|v| v.to_le_bytes()));
    bytes.extend(data.target_matrix().iter().flat_map(|v| v.to_le_bytes()));
    for name in data.class_names().unwrap_or_default() {
        bytes.extend(name.as_bytes());
        bytes.push(0);
    }
    sha256_hex(&bytes)
}

/// SHA-256 of a file, read in pieces (a checkpoint can be large).
fn file_sha256(path: &Path) -> CliResult<String> {
    use std::io::Read;
    let failed =
        |e: std::io::Error| CliError::runtime(format!("cannot read {}: {e}", shell_path(path)));
    let mut file = fs::File::open(path).map_err(failed)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(failed)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The files of `dir` (recursively, `run.json` excepted), as relative paths.
fn listing(dir: &Path) -> CliResult<Vec<String>> {
    let mut names = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let entries = fs::read_dir(&folder)
            .map_err(|e| CliError::runtime(format!("cannot list {}: {e}", shell_path(&folder))))?;
        for entry in entries.flatten() {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                pending.push((entry.path(), format!("{name}/")));
            } else if name != RUN_FILE {
                names.push(name);
            }
        }
    }
    names.sort();
    Ok(names)
}

impl RunFile {
    /// The manifest of the complete folder `dir` (every file but `run.json`
    /// written), for a run in `status`.
    pub fn of_folder(dir: &Path, status: Status, spec: RunSpec) -> CliResult<Self> {
        let mut files = BTreeMap::new();
        for name in listing(dir)? {
            let hash = file_sha256(&dir.join(&name))?;
            files.insert(name, hash);
        }
        let mut run = Self {
            format: RUN_FORMAT.into(),
            version: RUN_VERSION,
            status,
            spec,
            files,
            sha256: String::new(),
        };
        run.sha256 = run.own_checksum();
        Ok(run)
    }

    /// SHA-256 of the JSON of this file with `sha256` empty.
    fn own_checksum(&self) -> String {
        let mut copy = self.clone();
        copy.sha256.clear();
        sha256_hex(
            serde_json::to_string(&copy)
                .expect("a run file serializes")
                .as_bytes(),
        )
    }

    /// Writes `dir/run.json`.
    pub fn save(&self, dir: &Path) -> CliResult {
        let text = serde_json::to_string_pretty(self).expect("a run file serializes");
        write_file(&dir.join(RUN_FILE), text.as_bytes())
    }

    /// Reads `dir/run.json` and checks its own checksum (not the other files).
    pub fn load(dir: &Path) -> CliResult<Self> {
        let path = dir.join(RUN_FILE);
        let text = fs::read_to_string(&path).map_err(|err| {
            CliError::runtime(format!(
                "cannot read {}: {err}; it is written by nn train and names the run's data set",
                shell_path(&path)
            ))
        })?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|err| {
            CliError::runtime(format!(
                "{} is not a valid run.json: {err}",
                shell_path(&path)
            ))
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(RUN_FORMAT)
            || value.get("version").and_then(|v| v.as_u64()) != Some(u64::from(RUN_VERSION))
        {
            return Err(CliError::runtime(format!(
                "{} was written by an older nn (without a manifest of the run's files); train the run again",
                shell_path(&path)
            )));
        }
        let run: Self = serde_json::from_value(value).map_err(|err| {
            CliError::runtime(format!(
                "{} is not a valid run.json: {err}",
                shell_path(&path)
            ))
        })?;
        if run.own_checksum() != run.sha256 {
            return Err(CliError::runtime(format!(
                "{} was changed after nn wrote it (its checksum does not match); the run's settings cannot be trusted, train it again",
                shell_path(&path)
            )));
        }
        Ok(run)
    }

    /// Reads `dir/run.json` and checks that the folder holds exactly the
    /// files it lists, each with its recorded SHA-256.
    pub fn verify(dir: &Path) -> CliResult<Self> {
        let run = Self::load(dir)?;
        let present = listing(dir)?;
        let listed: Vec<&String> = run.files.keys().collect();
        let mixed = |what: String| {
            CliError::runtime(format!(
                "{} is inconsistent: {what}, so its parts do not belong to one run (id {}); train it again or use a complete copy",
                shell_path(dir),
                run.spec.run_id
            ))
        };
        if let Some(extra) = present.iter().find(|name| !run.files.contains_key(*name)) {
            return Err(mixed(format!("{extra} is not listed in {RUN_FILE}")));
        }
        if let Some(missing) = listed.iter().find(|name| !present.contains(name)) {
            return Err(mixed(format!("{missing} is missing")));
        }
        for (name, expected) in &run.files {
            if file_sha256(&dir.join(name))? != *expected {
                return Err(mixed(format!(
                    "{name} differs from the one {RUN_FILE} recorded"
                )));
            }
        }
        Ok(run)
    }
}

/// Creates `dir` (and its parents).
pub fn create_dir(dir: &Path) -> CliResult {
    fs::create_dir_all(dir)
        .map_err(|err| CliError::runtime(format!("cannot create {}: {err}", shell_path(dir))))
}

/// Writes `bytes` to `path`, or says which file could not be written.
///
/// Test hook: `NN_FAULT_WRITE=<name>` makes writing a file of that name fail
/// as a full disk does (`ENOSPC`), after half of it is written — the
/// out-of-space test where no small file system can be mounted.
pub fn write_file(path: &Path, bytes: &[u8]) -> CliResult {
    let fail = std::env::var_os("NN_FAULT_WRITE")
        .is_some_and(|name| path.file_name() == Some(name.as_os_str()));
    fs::File::create(path)
        .and_then(|mut file| {
            if fail {
                file.write_all(&bytes[..bytes.len() / 2])?;
                return Err(std::io::Error::from_raw_os_error(28));
            }
            file.write_all(bytes)
        })
        .map_err(|err| CliError::runtime(format!("cannot write {}: {err}", shell_path(path))))
}

/// A number for a CSV cell: full precision, empty when absent.
fn cell(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// `metrics.csv`: `epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds`,
/// one row per epoch; accuracies are fractions in [0, 1], `seconds` counts
/// training time since the start of the run; empty cells where a value does
/// not exist (no validation part, regression).
pub fn metrics_csv(history: &[EpochRecord], seconds: &[f64]) -> String {
    let mut text = String::from("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds\n");
    for (i, r) in history.iter().enumerate() {
        let row = [
            r.epoch.to_string(),
            r.train_loss.to_string(),
            cell(r.train_accuracy),
            cell(r.val_loss),
            cell(r.val_accuracy),
            r.learning_rate.to_string(),
            seconds
                .get(i)
                .map_or_else(String::new, |s| format!("{s:.3}")),
        ];
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

/// The run folder given to `nn resume` as itself or as its `checkpoint/`
/// subfolder.
pub fn run_folder_of(given: &Path) -> CliResult<PathBuf> {
    if given.join(RUN_FILE).is_file() {
        return Ok(given.to_path_buf());
    }
    let absolute = std::path::absolute(given).unwrap_or_else(|_| given.to_path_buf());
    match absolute.parent() {
        Some(parent)
            if parent.join(RUN_FILE).is_file()
                && given.join(trainer::checkpoint::STATE_FILE).is_file() =>
        {
            // `runs/x/checkpoint` → `runs/x` (kept relative when it was)
            Ok(given
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| parent.to_path_buf(), Path::to_path_buf))
        }
        _ => Err(CliError::runtime(format!(
            "no run in {}: expected the {RUN_FILE} that nn train writes there (or in its parent, for a {CHECKPOINT_DIR}/ folder)",
            shell_path(given)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, val: Option<f64>) -> EpochRecord {
        EpochRecord {
            epoch,
            train_loss: 0.5 / epoch as f64,
            train_accuracy: Some(0.75),
            val_loss: val,
            val_accuracy: val.map(|_| 0.5),
            learning_rate: 0.001,
            steps: 10 * epoch as u64,
        }
    }

    #[test]
    fn metrics_rows_have_every_column() {
        let text = metrics_csv(&[record(1, Some(0.4)), record(2, None)], &[0.25, 0.5]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds",
                "1,0.5,0.75,0.4,0.5,0.001,0.250",
                "2,0.25,0.75,,,0.001,0.500",
            ]
        );
    }

    fn spec() -> RunSpec {
        RunSpec {
            run_id: "iris-seed7-1".into(),
            command: "nn train".into(),
            data: DataSpec {
                source: "iris".into(),
                label: "last".into(),
                header: "auto".into(),
                delimiter: ';',
                regression: false,
            },
            data_sha256: sha256_hex(b"rows"),
            split: [0.6, 0.2, 0.2],
            seed: 7,
            loss: LossKind::CrossEntropyWithLogits,
            epochs: 10,
            epoch_seconds: vec![0.5, 1.0],
            elapsed_seconds: 1.25,
        }
    }

    #[test]
    fn a_run_file_round_trips_and_binds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(METRICS_FILE), "epoch\n").unwrap();
        fs::create_dir(dir.path().join(CHECKPOINT_DIR)).unwrap();
        fs::write(dir.path().join("checkpoint/state"), "s").unwrap();
        let run = RunFile::of_folder(dir.path(), Status::Finished, spec()).unwrap();
        assert_eq!(
            run.files.keys().collect::<Vec<_>>(),
            ["checkpoint/state", METRICS_FILE]
        );
        run.save(dir.path()).unwrap();
        assert_eq!(RunFile::verify(dir.path()).unwrap(), run);

        // another file, a changed file, a missing file, an edited seed
        fs::write(dir.path().join(MODEL_FILE), "m").unwrap();
        let err = RunFile::verify(dir.path()).unwrap_err().to_string();
        assert!(err.contains("model.safetensors is not listed"), "{err}");
        fs::remove_file(dir.path().join(MODEL_FILE)).unwrap();
        fs::write(dir.path().join("checkpoint/state"), "t").unwrap();
        let err = RunFile::verify(dir.path()).unwrap_err().to_string();
        assert!(err.contains("checkpoint/state differs"), "{err}");
        fs::remove_file(dir.path().join("checkpoint/state")).unwrap();
        let err = RunFile::verify(dir.path()).unwrap_err().to_string();
        assert!(err.contains("checkpoint/state is missing"), "{err}");
        let text = fs::read_to_string(dir.path().join(RUN_FILE)).unwrap();
        fs::write(
            dir.path().join(RUN_FILE),
            text.replace("\"seed\": 7", "\"seed\": 8"),
        )
        .unwrap();
        let err = RunFile::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("was changed after nn wrote it"), "{err}");
        let err = RunFile::load(&dir.path().join("missing")).unwrap_err();
        assert!(err.to_string().contains("run.json"), "{err}");
    }
}
