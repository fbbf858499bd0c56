//! The output folder of a run and the files in it.
//!
//! ```text
//! runs/digits-seed42/
//!   metrics.csv          one row per epoch
//!   report.svg           loss, accuracy and learning-rate curves
//!   model.safetensors    the trained network and its scaler (nn eval)
//!   run.json             the data set, split and seed (nn eval, nn resume)
//!   checkpoint/          the training state (nn resume), with a copy of run.json
//! ```

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use losses::LossKind;
use serde::{Deserialize, Serialize};
use trainer::EpochRecord;

use crate::error::{CliError, CliResult};
use crate::setup::DataSpec;

/// The per-epoch table.
pub const METRICS_FILE: &str = "metrics.csv";
/// The curves.
pub const REPORT_FILE: &str = "report.svg";
/// The trained network.
pub const MODEL_FILE: &str = "model.safetensors";
/// The settings `nn eval` and `nn resume` need besides the checkpoint.
pub const RUN_FILE: &str = "run.json";
/// The checkpoint folder inside a run folder.
pub const CHECKPOINT_DIR: &str = "checkpoint";

/// What a run was trained on, and how long its epochs took: the part of a
/// run that the library's checkpoint does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// The command line that started the run (for the reader).
    pub command: String,
    /// Where the data come from.
    pub data: DataSpec,
    /// Train, validation and test fractions.
    pub split: [f64; 3],
    /// The seed of the split, the weights, the shuffles and synthetic data.
    pub seed: u64,
    /// The loss the network was trained with (what `nn eval` reports).
    pub loss: LossKind,
    /// Seconds of training since the start at the end of each completed epoch.
    #[serde(default)]
    pub epoch_seconds: Vec<f64>,
    /// Seconds of training since the start when the checkpoint was saved.
    #[serde(default)]
    pub elapsed_seconds: f64,
}

impl RunSpec {
    /// Writes `run.json` into `dir`.
    pub fn save(&self, dir: &Path) -> CliResult {
        let text = serde_json::to_string_pretty(self).expect("a run spec serializes");
        write_file(&dir.join(RUN_FILE), text.as_bytes())
    }

    /// Reads `dir/run.json`.
    pub fn load(dir: &Path) -> CliResult<Self> {
        let path = dir.join(RUN_FILE);
        let text = fs::read_to_string(&path).map_err(|err| {
            CliError::runtime(format!(
                "cannot read {}: {err}; it is written by nn train and names the run's data set",
                path.display()
            ))
        })?;
        serde_json::from_str(&text).map_err(|err| {
            CliError::runtime(format!("{} is not a valid run.json: {err}", path.display()))
        })
    }
}

/// Creates `dir` (and its parents).
pub fn create_dir(dir: &Path) -> CliResult {
    fs::create_dir_all(dir)
        .map_err(|err| CliError::runtime(format!("cannot create {}: {err}", dir.display())))
}

/// Writes `bytes` to `path`, or says which file could not be written.
pub fn write_file(path: &Path, bytes: &[u8]) -> CliResult {
    fs::File::create(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|err| CliError::runtime(format!("cannot write {}: {err}", path.display())))
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

/// The checkpoint folder given to `nn resume`: the folder itself if it holds
/// `checkpoint.json`, or its `checkpoint/` subfolder.
pub fn find_checkpoint(given: &Path) -> CliResult<PathBuf> {
    let state = trainer::checkpoint::STATE_FILE;
    if given.join(state).is_file() {
        return Ok(given.to_path_buf());
    }
    let inner = given.join(CHECKPOINT_DIR);
    if inner.join(state).is_file() {
        return Ok(inner);
    }
    Err(CliError::runtime(format!(
        "no checkpoint in {}: expected {state} there or in {}/{CHECKPOINT_DIR}/ (nn train writes one)",
        given.display(),
        given.display()
    )))
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

    #[test]
    fn run_spec_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let spec = RunSpec {
            command: "nn train".into(),
            data: DataSpec {
                source: "iris".into(),
                label: "last".into(),
                header: "auto".into(),
                delimiter: ';',
                regression: false,
            },
            split: [0.6, 0.2, 0.2],
            seed: 7,
            loss: LossKind::CrossEntropyWithLogits,
            epoch_seconds: vec![0.5, 1.0],
            elapsed_seconds: 1.25,
        };
        spec.save(dir.path()).unwrap();
        assert_eq!(RunSpec::load(dir.path()).unwrap(), spec);
        let err = RunSpec::load(&dir.path().join("missing")).unwrap_err();
        assert!(err.to_string().contains("run.json"), "{err}");
    }
}
