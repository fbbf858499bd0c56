//! A training session, shared by `nn train` and `nn resume`: run the
//! trainer with a progress display and a Ctrl-C handler, then write the
//! outputs and print the summary (or the command that resumes).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use datasets::Dataset;
use datasets::Split;
use trainer::checkpoint;
use trainer::{Evaluation, Outcome, Trainer, evaluate};

use crate::error::{CliError, CliResult};
use crate::progress::{EpochProgress, format_duration, percent};
use crate::run_dir::{self, CHECKPOINT_DIR, METRICS_FILE, MODEL_FILE, REPORT_FILE, RunSpec};
use crate::setup::train_error;
use crate::{report, say};

/// How a session ended (errors aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// All epochs ran, or early stopping ended the run.
    Finished,
    /// Ctrl-C stopped it; a checkpoint was saved.
    Interrupted,
}

/// What a session trains and where it writes.
pub struct Session {
    /// The trainer (new, or resumed from a checkpoint).
    trainer: Trainer,
    /// The standardised train / validation / test parts.
    parts: Split,
    /// The settings outside the checkpoint.
    spec: RunSpec,
    /// The run folder.
    out: PathBuf,
    /// One line naming the run, for the report's title.
    title: String,
}

/// A stop flag raised by the first Ctrl-C; a second Ctrl-C quits at once.
fn ctrl_c_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    let installed = ctrlc::set_handler(move || {
        if handler_flag.swap(true, Ordering::SeqCst) {
            eprintln!("\nSecond Ctrl-C: quitting without saving.");
            std::process::exit(130);
        }
        eprintln!(
            "\nCtrl-C: stopping after this batch and saving a checkpoint (Ctrl-C again quits without saving)"
        );
    });
    if let Err(err) = installed {
        eprintln!("warning: Ctrl-C will not save a checkpoint: {err}");
    }
    flag
}

/// The path as the user should type it (quoted if it has spaces).
pub fn shell_path(path: &Path) -> String {
    let text = path.display().to_string();
    if text.contains(char::is_whitespace) || text.contains('\'') {
        format!("'{}'", text.replace('\'', r"'\''"))
    } else {
        text
    }
}

/// The command that runs `nn <args>`: `nn …`, and the `cargo run` form
/// when the program was started by cargo.
fn nn_command(args: &str) -> String {
    if std::env::var_os("CARGO_MANIFEST_DIR").is_some() {
        let release = if cfg!(debug_assertions) {
            ""
        } else {
            " --release"
        };
        format!("nn {args}\n  (from the workspace: cargo run{release} -- {args})")
    } else {
        format!("nn {args}")
    }
}

impl Session {
    /// A session of `trainer`, whose stop flag is raised by Ctrl-C.
    pub fn new(trainer: Trainer, parts: Split, spec: RunSpec, out: PathBuf, title: String) -> Self {
        Self {
            trainer: trainer.with_stop_flag(ctrl_c_flag()),
            parts,
            spec,
            out,
            title,
        }
    }

    /// Trains until the end, early stopping or Ctrl-C, and writes the outputs.
    pub fn run(mut self) -> CliResult<Ended> {
        let n_train = self.parts.train.len();
        let batch_size = self.trainer.config().batch_size.min(n_train.max(1));
        let batches = n_train.div_ceil(batch_size);
        let progress = self.trainer.progress();
        let mut observer = EpochProgress::new(
            self.trainer.config().epochs,
            batches,
            progress.step,
            self.spec.elapsed_seconds,
            self.spec.epoch_seconds.clone(),
        );
        let validation = (!self.parts.validation.is_empty()).then_some(&self.parts.validation);
        let outcome = self
            .trainer
            .fit(&self.parts.train, validation, &mut observer);
        observer.clear();
        self.spec.epoch_seconds = observer.epoch_seconds().to_vec();
        self.spec.elapsed_seconds = observer.elapsed_seconds();
        match outcome {
            Err(err) => {
                // keep what the finished epochs showed: the curves before the blow-up
                if !self.trainer.history().is_empty() {
                    let _ = self.write_curves(&self.title);
                }
                Err(train_error(err))
            }
            Ok(Outcome::Interrupted { epoch, batch }) => {
                let dir = self.save_checkpoint()?;
                if !self.trainer.history().is_empty() {
                    self.write_curves(&format!("{} (interrupted)", self.title))?;
                }
                say!();
                say!(
                    "Interrupted in epoch {epoch} after {batch} of {batches} batches ({} of training). Checkpoint saved in {}",
                    format_duration(self.spec.elapsed_seconds),
                    dir.display()
                );
                say!("Resume with:");
                say!("  {}", nn_command(&format!("resume {}", shell_path(&dir))));
                Ok(Ended::Interrupted)
            }
            Ok(outcome) => {
                self.finish(outcome)?;
                Ok(Ended::Finished)
            }
        }
    }

    /// Saves the checkpoint and `run.json` beside it; returns its folder.
    fn save_checkpoint(&self) -> CliResult<PathBuf> {
        let dir = self.out.join(CHECKPOINT_DIR);
        self.trainer
            .save_checkpoint(&dir)
            .map_err(CliError::runtime)?;
        self.spec.save(&dir)?;
        self.spec.save(&self.out)?;
        Ok(dir)
    }

    /// `metrics.csv` and `report.svg` (with `title` above the curves).
    fn write_curves(&self, title: &str) -> CliResult {
        let history = self.trainer.history();
        run_dir::write_file(
            &self.out.join(METRICS_FILE),
            run_dir::metrics_csv(history, &self.spec.epoch_seconds).as_bytes(),
        )?;
        report::training_report(&self.out.join(REPORT_FILE), title, history)
    }

    /// Measures every part, writes every output and prints the summary.
    fn finish(&self, outcome: Outcome) -> CliResult {
        let model = self.trainer.model();
        let loss = self.trainer.config().loss;
        let measure = |part: &Dataset| -> CliResult<Option<Evaluation>> {
            if part.is_empty() {
                return Ok(None);
            }
            evaluate(model, part, loss).map(Some).map_err(train_error)
        };
        let rows = [
            ("train", measure(&self.parts.train)?),
            ("val", measure(&self.parts.validation)?),
            ("test", measure(&self.parts.test)?),
        ];
        checkpoint::save_model(self.out.join(MODEL_FILE), model, self.trainer.scaler())
            .map_err(CliError::runtime)?;
        self.save_checkpoint()?;
        let title = match &rows[2].1 {
            Some(Evaluation {
                accuracy: Some(accuracy),
                ..
            }) => format!("{}; test accuracy {}", self.title, percent(*accuracy)),
            _ => self.title.clone(),
        };
        self.write_curves(&title)?;

        let epochs = self.trainer.history().len();
        say!();
        match outcome {
            Outcome::EarlyStopped { best_epoch } => say!(
                "Early stopping after epoch {epochs}: the validation loss last improved in epoch {best_epoch}, whose weights are kept. Training took {}.",
                format_duration(self.spec.elapsed_seconds)
            ),
            _ => say!(
                "Trained {epochs} epochs in {}.",
                format_duration(self.spec.elapsed_seconds)
            ),
        }
        say!();
        say!("          loss ({})    accuracy   samples", loss.name());
        for (name, evaluation) in &rows {
            if let Some(e) = evaluation {
                let accuracy = e.accuracy.map_or_else(|| "—".into(), percent);
                say!(
                    "  {name:<6} {:>14.4}   {accuracy:>9}   {:>7}",
                    e.loss,
                    e.samples
                );
            }
        }
        say!();
        match &rows[2].1 {
            Some(Evaluation {
                accuracy: Some(accuracy),
                samples,
                ..
            }) => say!(
                "Test accuracy: {} ({} of {samples} test samples)",
                percent(*accuracy),
                (accuracy * *samples as f64).round() as usize
            ),
            Some(e) => say!("Test loss ({}): {:.4}", loss.name(), e.loss),
            None => say!("No test part (--split …,0): nothing to report as test accuracy."),
        }
        say!();
        say!(
            "Wrote {}: {METRICS_FILE}, {REPORT_FILE}, {MODEL_FILE}, {CHECKPOINT_DIR}/",
            self.out.display()
        );
        say!(
            "Evaluate it again (with the confusion matrix): {}",
            nn_command(&format!("eval {}", shell_path(&self.out)))
        );
        Ok(())
    }
}
