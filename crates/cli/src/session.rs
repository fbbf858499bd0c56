//! A training session, shared by `nn train` and `nn resume`: run the
//! trainer with a progress display, stop signals and periodic checkpoints,
//! commit every state of the run folder as a whole, then print the summary
//! (or the command that resumes).

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use datasets::{Dataset, Split};
use trainer::checkpoint;
use trainer::{BatchProgress, EpochRecord, Evaluation, Observer, Outcome, Trainer, evaluate};

use crate::error::{CliError, CliResult};
use crate::folder::RunFolder;
use crate::output::shell_path;
use crate::progress::{EpochProgress, format_duration, percent, plural};
use crate::run_dir::{
    self, CHECKPOINT_DIR, METRICS_FILE, MODEL_FILE, REPORT_FILE, RunFile, RunSpec, Status,
};
use crate::setup::train_error;
use crate::signals::{self, StopFlags};
use crate::{report, say};

/// How a session ended (errors aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// All epochs ran, or early stopping ended the run.
    Finished,
    /// A stop signal stopped it; a checkpoint was saved.
    Interrupted,
}

/// When to commit a checkpoint during training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointEvery {
    /// After every `n` epochs.
    Epochs(usize),
    /// After the first epoch that ends this long after the last checkpoint
    /// (the default: a run longer than a minute loses at most about a minute).
    Time(Duration),
    /// Only when stopped and at the end.
    Never,
}

impl CheckpointEvery {
    /// `--checkpoint-every N`: `None` → every minute, 0 → never, N → every N epochs.
    pub fn from_arg(value: Option<i64>) -> CliResult<Self> {
        match value {
            None => Ok(Self::Time(Duration::from_secs(60))),
            Some(0) => Ok(Self::Never),
            Some(n) if n > 0 => Ok(Self::Epochs(n as usize)),
            Some(n) => Err(CliError::usage(format!(
                "invalid --checkpoint-every {n}: expected a number of epochs >= 1, or 0 for no periodic checkpoints"
            ))),
        }
    }
}

/// What a session trains and where it writes.
pub struct Session {
    /// The trainer (new, or resumed from a checkpoint).
    trainer: Trainer,
    /// The standardised train / validation / test parts.
    parts: Split,
    /// The settings outside the checkpoint.
    spec: RunSpec,
    /// The run folder, locked.
    folder: RunFolder,
    /// One line naming the run, for the report's title.
    title: String,
    /// When to save checkpoints while training.
    every: CheckpointEvery,
    /// Raised by Ctrl-C, SIGTERM, SIGHUP.
    flags: StopFlags,
}

/// The progress display, plus the clock of periodic checkpoints: at the end
/// of an epoch when one is due it raises the trainer's stop flag, so the
/// trainer returns between two epochs and the session can save.
struct Watch {
    progress: EpochProgress,
    every: CheckpointEvery,
    last_saved: Instant,
    flags: StopFlags,
    due: bool,
}

impl Observer for Watch {
    fn on_batch(&mut self, progress: &BatchProgress<'_>) {
        self.progress.on_batch(progress);
    }

    fn on_epoch(&mut self, record: &EpochRecord) {
        self.progress.on_epoch(record);
        let due = match self.every {
            CheckpointEvery::Epochs(n) => record.epoch.is_multiple_of(n),
            CheckpointEvery::Time(interval) => self.last_saved.elapsed() >= interval,
            CheckpointEvery::Never => false,
        };
        if due {
            self.due = true;
            self.flags.stop.store(true, Ordering::SeqCst);
        }
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
    /// A session of `trainer` writing into `folder`; stop signals raise its stop flag.
    pub fn new(
        trainer: Trainer,
        parts: Split,
        spec: RunSpec,
        folder: RunFolder,
        title: String,
        every: CheckpointEvery,
    ) -> Self {
        let flags = signals::install();
        Self {
            trainer: trainer.with_stop_flag(flags.stop.clone()),
            parts,
            spec,
            folder,
            title,
            every,
            flags,
        }
    }

    /// Trains until the end, early stopping or a stop signal, committing a
    /// checkpoint whenever one is due, and writes the outputs.
    pub fn run(mut self) -> CliResult<Ended> {
        let n_train = self.parts.train.len();
        let batch_size = self.trainer.config().batch_size.min(n_train.max(1));
        let batches = n_train.div_ceil(batch_size);
        let progress = self.trainer.progress();
        let mut watch = Watch {
            progress: EpochProgress::new(
                self.trainer.config().epochs,
                batches,
                progress.step,
                self.spec.elapsed_seconds,
                self.spec.epoch_seconds.clone(),
            ),
            every: self.every,
            last_saved: Instant::now(),
            flags: self.flags.clone(),
            due: false,
        };
        let outcome = loop {
            let validation = (!self.parts.validation.is_empty()).then_some(&self.parts.validation);
            let outcome = self.trainer.fit(&self.parts.train, validation, &mut watch);
            let periodic = matches!(outcome, Ok(Outcome::Interrupted { .. }))
                && watch.due
                && !self.flags.signalled();
            if !periodic {
                break outcome;
            }
            watch.due = false;
            self.note_times(&watch.progress);
            let title = format!("{} (in progress)", self.title);
            if let Err(err) = self.commit_checkpoint(&title) {
                watch.progress.clear();
                return Err(err);
            }
            watch.last_saved = Instant::now();
            self.flags.stop.store(false, Ordering::SeqCst);
            if self.flags.signalled() {
                // a signal came while saving: stop at once
                self.flags.stop.store(true, Ordering::SeqCst);
            }
        };
        watch.progress.clear();
        self.note_times(&watch.progress);
        match outcome {
            Err(err) => {
                let out = shell_path(self.folder.out());
                if self.folder.out().join(run_dir::RUN_FILE).exists() {
                    say!("{out} was left as it was (its last complete state).");
                } else {
                    say!("Nothing was written to {out}.");
                }
                Err(train_error(err))
            }
            Ok(Outcome::Interrupted { epoch, batch }) => {
                self.commit_checkpoint(&format!("{} (interrupted)", self.title))?;
                let out = shell_path(self.folder.out());
                say!();
                say!(
                    "Interrupted in epoch {epoch} after {batch} of {} ({} of training). Checkpoint saved in {out}/{CHECKPOINT_DIR}",
                    plural(batches, "batch", "batches"),
                    format_duration(self.spec.elapsed_seconds),
                );
                say!("Resume with:");
                say!("  {}", nn_command(&format!("resume {out}")));
                Ok(Ended::Interrupted)
            }
            Ok(outcome) => {
                self.finish(outcome)?;
                Ok(Ended::Finished)
            }
        }
    }

    fn note_times(&mut self, progress: &EpochProgress) {
        self.spec.epoch_seconds = progress.epoch_seconds().to_vec();
        self.spec.elapsed_seconds = progress.elapsed_seconds();
    }

    /// Commits the run folder as a resumable checkpoint: the checkpoint,
    /// the curves so far (titled `title`) and `run.json`.
    fn commit_checkpoint(&mut self, title: &str) -> CliResult {
        let staging = self.folder.stage()?;
        let dir = staging.path();
        self.trainer
            .save_checkpoint(dir.join(CHECKPOINT_DIR))
            .map_err(CliError::runtime)?;
        if !self.trainer.history().is_empty() {
            self.write_curves(dir, title)?;
        }
        let status = Status::Interrupted {
            epoch: self.trainer.progress().epoch,
        };
        RunFile::of_folder(dir, status, self.spec.clone())?.save(dir)?;
        self.folder.commit(staging)
    }

    /// `metrics.csv` and `report.svg` (with `title` above the curves) in `dir`.
    fn write_curves(&self, dir: &Path, title: &str) -> CliResult {
        let history = self.trainer.history();
        run_dir::write_file(
            &dir.join(METRICS_FILE),
            run_dir::metrics_csv(history, &self.spec.epoch_seconds).as_bytes(),
        )?;
        report::training_report(&dir.join(REPORT_FILE), title, history)
    }

    /// Measures every part, writes every output and prints the summary.
    fn finish(&mut self, outcome: Outcome) -> CliResult {
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
        let title = match &rows[2].1 {
            Some(Evaluation {
                accuracy: Some(accuracy),
                ..
            }) => format!("{}; test accuracy {}", self.title, percent(*accuracy)),
            _ => self.title.clone(),
        };
        // the whole finished run in a staging folder, then one commit
        let staging = self.folder.stage()?;
        let dir = staging.path();
        checkpoint::save_model(dir.join(MODEL_FILE), model, self.trainer.scaler())
            .map_err(CliError::runtime)?;
        self.trainer
            .save_checkpoint(dir.join(CHECKPOINT_DIR))
            .map_err(CliError::runtime)?;
        self.write_curves(dir, &title)?;
        RunFile::of_folder(dir, Status::Finished, self.spec.clone())?.save(dir)?;
        self.folder.commit(staging)?;

        let epochs = self.trainer.history().len();
        say!();
        match outcome {
            Outcome::EarlyStopped { best_epoch } => say!(
                "Early stopping after epoch {epochs}: the validation loss last improved in epoch {best_epoch}, whose weights are kept. Training took {}.",
                format_duration(self.spec.elapsed_seconds)
            ),
            _ => say!(
                "Trained {} in {}.",
                plural(epochs, "epoch", "epochs"),
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
            "Wrote {}: {METRICS_FILE}, {REPORT_FILE}, {MODEL_FILE}, {CHECKPOINT_DIR}/, run.json",
            shell_path(self.folder.out())
        );
        say!(
            "Evaluate it again (with the confusion matrix): {}",
            nn_command(&format!("eval {}", shell_path(self.folder.out())))
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_every_reads_its_option() {
        assert_eq!(
            CheckpointEvery::from_arg(None).unwrap(),
            CheckpointEvery::Time(Duration::from_secs(60))
        );
        assert_eq!(
            CheckpointEvery::from_arg(Some(0)).unwrap(),
            CheckpointEvery::Never
        );
        assert_eq!(
            CheckpointEvery::from_arg(Some(5)).unwrap(),
            CheckpointEvery::Epochs(5)
        );
        let err = CheckpointEvery::from_arg(Some(-1)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().starts_with("invalid --checkpoint-every -1"),
            "{err}"
        );
    }
}
