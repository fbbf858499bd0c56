//! Results of the peers (PyTorch, micrograd) and how to collect them.
//!
//! `peers/torch_peer.py` prints one JSON object per line
//! (`{"peer", "workload", "case", "dtype", "unit", "best", "median", …}`);
//! `peers/micrograd_mlp.py` prints a sentence with "… µs per node". Both
//! are read here into [`Measurement`]s, the type our own results use too.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// What a number measures, and so which direction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Unit {
    /// Seconds per training epoch (lower is better).
    #[serde(rename = "s/epoch")]
    SecondsPerEpoch,
    /// Seconds per training step (lower is better).
    #[serde(rename = "s/step")]
    SecondsPerStep,
    /// Seconds per graph node of a scalar autograd pass (lower is better).
    #[serde(rename = "s/node")]
    SecondsPerNode,
    /// Billions of floating-point operations per second (higher is better).
    #[serde(rename = "GFLOP/s")]
    Gflops,
}

impl Unit {
    /// Whether the number is a time (lower is better).
    pub fn is_time(self) -> bool {
        !matches!(self, Unit::Gflops)
    }

    /// How many times faster `ours` is than `theirs` (> 1: ours is faster),
    /// whichever direction this unit counts: $t_\text{theirs} / t_\text{ours}$
    /// for times, $r_\text{ours} / r_\text{theirs}$ for rates.
    pub fn speedup(self, ours: f64, theirs: f64) -> f64 {
        if self.is_time() {
            theirs / ours
        } else {
            ours / theirs
        }
    }
}

/// One measured number with its context.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Measurement {
    /// Who ran it: `"ours"`, `"pytorch"`, `"micrograd"`.
    pub peer: String,
    /// The workload of WORKLOADS.md: `mlp784`, `moons`, `gemm`, `fma_peak`,
    /// `scalar_autograd`.
    pub workload: String,
    /// Which case of the workload (`"fwd1 128x784x256"`, `"784-256-10 epoch, index"` …).
    pub case: String,
    /// `"f64"` or `"f32"`.
    pub dtype: String,
    /// The unit of `best` and `median`.
    pub unit: Unit,
    /// The best round (lowest time or highest rate).
    pub best: f64,
    /// The median round, where known.
    #[serde(default)]
    pub median: Option<f64>,
    /// How batches were fed (`"index"` or `"loader"`), for training workloads.
    #[serde(default)]
    pub variant: Option<String>,
    /// The mean loss of the last epoch, for training workloads (both sides
    /// should learn the task about equally well).
    #[serde(default)]
    pub last_epoch_loss: Option<f64>,
}

/// Why a peer's results could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// The interpreter could not be started.
    #[error("could not run `{program}` (is it installed?): {source}")]
    Spawn {
        /// The program that failed to start.
        program: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The script ran and failed.
    #[error("{script} exited with {status}; its last error lines:\n{stderr}")]
    Failed {
        /// The script.
        script: PathBuf,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The end of what it printed on stderr.
        stderr: String,
    },
    /// A line that looks like JSON is not a valid result.
    #[error("line {line} of {source_name} is not a result ({reason}): {text}")]
    BadLine {
        /// Which script printed it.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// The line itself.
        text: String,
        /// What serde_json said.
        reason: String,
    },
    /// The output has no result at all.
    #[error("{source_name} printed no result")]
    NoResult {
        /// Which script printed nothing usable.
        source_name: String,
    },
}

/// The results in `text`: every line starting with `{` must be a
/// [`Measurement`]; other lines (progress, messages) are skipped.
pub fn parse_json_lines(source_name: &str, text: &str) -> Result<Vec<Measurement>, PeerError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with('{'))
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| PeerError::BadLine {
                source_name: source_name.to_owned(),
                line: i + 1,
                text: line.to_owned(),
                reason: e.to_string(),
            })
        })
        .collect()
}

/// micrograd's result from the sentence `micrograd_mlp.py` prints
/// (`"… 4131.0 µs per sample, 4.08 µs per node …"`): the number before
/// `µs per node`, in seconds per node.
pub fn parse_micrograd(text: &str) -> Result<Measurement, PeerError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let micros = words
        .windows(4)
        .find(|w| w[1] == "µs" && w[2] == "per" && w[3].starts_with("node"))
        .and_then(|w| w[0].parse::<f64>().ok())
        .ok_or_else(|| PeerError::NoResult {
            source_name: "micrograd_mlp.py (no \"… µs per node\")".to_owned(),
        })?;
    Ok(Measurement {
        peer: "micrograd".to_owned(),
        workload: "scalar_autograd".to_owned(),
        case: "2-16-16-1 forward + backward, per node".to_owned(),
        dtype: "f64".to_owned(),
        unit: Unit::SecondsPerNode,
        best: micros * 1e-6,
        median: None,
        variant: None,
        last_epoch_loss: None,
    })
}

/// Runs `python script args…` and returns what it printed on stdout.
pub fn run_script(python: &str, script: &Path, args: &[&str]) -> Result<String, PeerError> {
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .map_err(|source| PeerError::Spawn {
            program: python.to_owned(),
            source,
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        return Err(PeerError::Failed {
            script: script.to_owned(),
            status: output.status,
            stderr: lines[lines.len().saturating_sub(5)..].join("\n"),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The directory holding the peer scripts (`crates/benches/peers`).
pub fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speedup_is_above_one_when_ours_is_faster_in_either_unit() {
        assert_eq!(Unit::SecondsPerEpoch.speedup(0.5, 1.0), 2.0);
        assert_eq!(Unit::SecondsPerStep.speedup(2.0, 1.0), 0.5);
        assert_eq!(Unit::Gflops.speedup(60.0, 30.0), 2.0);
        assert_eq!(Unit::Gflops.speedup(30.0, 60.0), 0.5);
    }

    #[test]
    fn json_lines_are_read_and_other_lines_skipped() {
        let text = r#"warming up
{"peer": "pytorch", "torch": "2.15.0", "threads": 2, "workload": "moons", "case": "2-16-16-1 step, index", "dtype": "f64", "variant": "index", "unit": "s/step", "best": 0.0011, "median": 0.0013, "rounds": 20, "steps": 32}
{"peer": "pytorch", "workload": "gemm", "case": "square 1024x1024x1024", "dtype": "f64", "unit": "GFLOP/s", "best": 110.2}
"#;
        let results = parse_json_lines("torch_peer.py", text).unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].unit, Unit::SecondsPerStep);
        assert_eq!(results[0].variant.as_deref(), Some("index"));
        assert_eq!((results[0].best, results[0].median), (0.0011, Some(0.0013)));
        assert_eq!(results[0].last_epoch_loss, None);
        assert_eq!(results[1].unit, Unit::Gflops);
        assert_eq!(results[1].median, None);
    }

    #[test]
    fn a_bad_json_line_is_named() {
        let text = "{\"peer\": \"pytorch\"}\n";
        let err = parse_json_lines("torch_peer.py", text).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("line 1 of torch_peer.py is not a result (missing field"),
            "{message}"
        );
        let text = "ok\n{\"peer\": \"x\", \"workload\": \"w\", \"case\": \"c\", \"dtype\": \"f64\", \"unit\": \"s/year\", \"best\": 1}\n";
        let message = parse_json_lines("p.py", text).unwrap_err().to_string();
        assert!(message.starts_with("line 2 of p.py"), "{message}");
        assert!(message.contains("s/year"), "{message}");
    }

    #[test]
    fn micrograd_sentence_gives_seconds_per_node() {
        let text = "micrograd 2-16-16-1 MLP: 1012 graph nodes per sample\n\
                    forward + backward: 4131.0 µs per sample, 4.08 µs per node (best of 5 rounds of 200)\n";
        let m = parse_micrograd(text).unwrap();
        assert_eq!(m.unit, Unit::SecondsPerNode);
        assert!((m.best - 4.08e-6).abs() < 1e-15);
        assert_eq!(m.peer, "micrograd");
        let err = parse_micrograd("nothing here").unwrap_err();
        assert_eq!(
            err.to_string(),
            "micrograd_mlp.py (no \"… µs per node\") printed no result"
        );
    }

    #[test]
    fn a_missing_interpreter_is_an_error_not_a_panic() {
        let err = run_script("no-such-python-3.99", Path::new("x.py"), &[]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("could not run `no-such-python-3.99`"),
            "{err}"
        );
    }

    #[test]
    fn the_peer_scripts_are_where_the_compare_command_looks() {
        assert!(peers_dir().join("torch_peer.py").is_file());
        assert!(peers_dir().join("WORKLOADS.md").is_file());
    }
}
