//! Watching training: a progress bar per epoch on a terminal, one line per
//! epoch everywhere.
//!
//! On a terminal the bar shows the epoch's batches, its running loss, the
//! last epoch's validation accuracy (the trainer measures accuracy per
//! epoch) and the time the whole run still needs; when the epoch ends the
//! bar gives way to a permanent line with the epoch's train and validation
//! loss and accuracy.
//! When stdout is not a terminal (a pipe, a file, CI, tests) there is no bar,
//! only those lines, so logs stay readable.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use trainer::{BatchProgress, EpochRecord, Observer};

use crate::say;

/// The trainer's [`Observer`] for `nn train` and `nn resume`; it also keeps
/// the time of every epoch for `metrics.csv`.
pub struct EpochProgress {
    interactive: bool,
    bar: Option<ProgressBar>,
    started: Instant,
    /// Training seconds of the sessions before this one (a resumed run).
    earlier_seconds: f64,
    /// Steps done when this session started.
    first_step: u64,
    /// Epochs of the whole run.
    epochs: usize,
    /// Steps of the whole run (epochs × batches).
    total_steps: u64,
    loss_sum: f64,
    seen: usize,
    epoch_seconds: Vec<f64>,
    /// The validation accuracy of the last finished epoch, shown in the bar
    /// (the trainer reports accuracy per epoch, not per batch).
    last_val_accuracy: Option<(usize, f64)>,
}

impl EpochProgress {
    /// An observer for a run of `epochs` × `batches` that has done
    /// `first_step` batches in `earlier_seconds` (0 and 0.0 for a new run),
    /// with the times `epoch_seconds` of the epochs done so far.
    pub fn new(
        epochs: usize,
        batches: usize,
        first_step: u64,
        earlier_seconds: f64,
        epoch_seconds: Vec<f64>,
    ) -> Self {
        Self {
            interactive: std::io::stdout().is_terminal(),
            bar: None,
            started: Instant::now(),
            earlier_seconds,
            first_step,
            epochs,
            total_steps: (epochs as u64).saturating_mul(batches as u64),
            loss_sum: 0.0,
            seen: 0,
            epoch_seconds,
            last_val_accuracy: None,
        }
    }

    /// Training seconds since the start of the run.
    pub fn elapsed_seconds(&self) -> f64 {
        self.earlier_seconds + self.started.elapsed().as_secs_f64()
    }

    /// Seconds since the start of the run at the end of each epoch.
    pub fn epoch_seconds(&self) -> &[f64] {
        &self.epoch_seconds
    }

    /// Removes the bar of an unfinished epoch (before printing after Ctrl-C
    /// or an error).
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// The time the rest of the run needs at this session's pace.
    fn time_left(&self, step: u64) -> Duration {
        let done = step.saturating_sub(self.first_step).max(1) as f64;
        let left = self.total_steps.saturating_sub(step) as f64;
        Duration::from_secs_f64(self.started.elapsed().as_secs_f64() / done * left)
    }

    fn new_bar(&self, p: &BatchProgress<'_>) -> ProgressBar {
        let bar =
            ProgressBar::with_draw_target(Some(p.batches as u64), ProgressDrawTarget::stdout());
        let style = ProgressStyle::with_template("{prefix} {msg} [{wide_bar}] {pos}/{len}")
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(format!(
            "epoch {:>width$}/{}",
            p.epoch,
            p.epochs,
            width = digits(p.epochs)
        ));
        bar
    }
}

/// Number of decimal digits of `n`, to align epoch counters.
fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// `0.27 s`, `1.2 s`, `3 min 05 s`.
pub fn format_duration(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{seconds:.2} s")
    } else if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else {
        let whole = seconds.round() as u64;
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// `97.41%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.2}%", 100.0 * fraction)
}

/// `1 epoch`, `40 epochs`, `1 batch`, `3 batches`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A number as a reader wants it: `0.003`, `0.05`, `1e-300`, `2.5e12`
/// (Rust's `{}` writes every digit of 1e-300 out in full).
pub fn short_number(x: f64) -> String {
    let a = x.abs();
    if x != 0.0 && !(1e-4..1e6).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// One epoch as a line: `epoch 3/40  train loss 0.1234 acc 96.54% | val loss … | η … | 1.2 s`.
pub fn epoch_line(record: &EpochRecord, epochs: usize, seconds: f64) -> String {
    let mut line = format!(
        "epoch {:>width$}/{epochs}  train loss {:.4}",
        record.epoch,
        record.train_loss,
        width = digits(epochs)
    );
    if let Some(acc) = record.train_accuracy {
        line.push_str(&format!(" acc {:>7}", percent(acc)));
    }
    if let Some(loss) = record.val_loss {
        line.push_str(&format!("  |  val loss {loss:.4}"));
        if let Some(acc) = record.val_accuracy {
            line.push_str(&format!(" acc {:>7}", percent(acc)));
        }
    }
    line.push_str(&format!(
        "  |  η {:.2e}  |  {}",
        record.learning_rate,
        format_duration(seconds)
    ));
    line
}

impl Observer for EpochProgress {
    fn on_batch(&mut self, p: &BatchProgress<'_>) {
        self.loss_sum += p.loss * p.indices.len() as f64;
        self.seen += p.indices.len();
        if !self.interactive {
            return;
        }
        if self.bar.is_none() {
            self.bar = Some(self.new_bar(p));
        }
        let left = format_duration(self.time_left(p.step).as_secs_f64());
        let mut message = format!("loss {:.4}", self.loss_sum / self.seen as f64);
        if let Some((epoch, accuracy)) = self.last_val_accuracy {
            message.push_str(&format!("  val acc {} (epoch {epoch})", percent(accuracy)));
        }
        message.push_str(&format!("  ~{left} left"));
        if let Some(bar) = &self.bar {
            bar.set_position(p.batch as u64);
            bar.set_message(message);
        }
    }

    fn on_epoch(&mut self, record: &EpochRecord) {
        let seconds = self.elapsed_seconds();
        self.epoch_seconds.push(seconds);
        self.loss_sum = 0.0;
        self.seen = 0;
        self.last_val_accuracy = record.val_accuracy.map(|a| (record.epoch, a));
        self.clear();
        say!("{}", epoch_line(record, self.epochs, seconds));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_short_numbers() {
        assert_eq!(plural(1, "batch", "batches"), "1 batch");
        assert_eq!(plural(2, "epoch", "epochs"), "2 epochs");
        assert_eq!(short_number(0.003), "0.003");
        assert_eq!(short_number(1e-300), "1e-300");
        assert_eq!(short_number(0.0), "0");
    }

    #[test]
    fn durations_and_percentages() {
        assert_eq!(format_duration(1.234), "1.2 s");
        assert_eq!(format_duration(0.271), "0.27 s");
        assert_eq!(format_duration(185.0), "3 min 05 s");
        assert_eq!(percent(0.97412), "97.41%");
    }

    #[test]
    fn epoch_lines_show_what_exists() {
        let record = EpochRecord {
            epoch: 3,
            train_loss: 0.12345,
            train_accuracy: Some(0.9654),
            val_loss: Some(0.2),
            val_accuracy: Some(0.95),
            learning_rate: 0.0029,
            steps: 120,
        };
        assert_eq!(
            epoch_line(&record, 40, 1.25),
            "epoch  3/40  train loss 0.1235 acc  96.54%  |  val loss 0.2000 acc  95.00%  |  η 2.90e-3  |  1.2 s"
        );
        let regression = EpochRecord {
            train_accuracy: None,
            val_loss: None,
            val_accuracy: None,
            ..record
        };
        assert_eq!(
            epoch_line(&regression, 5, 0.5),
            "epoch 3/5  train loss 0.1235  |  η 2.90e-3  |  0.50 s"
        );
    }
}
