//! The lecture's last paragraph, measured: the same network trained on the
//! digits with plain SGD at a too-small, a good and two too-large learning
//! rates, by `trainer::Trainer` (seeded, so the curves are the same on
//! every run). The good rate is about what the LR range test suggests
//! ([`super::lr_range_test`], checked by a test below).

use super::style::{LinePlot, PALETTE, Series, line_plot};
use crate::Result;
use datasets::{self as data, Fractions, Split};
use mlp::{Architecture, Head, Init, Mlp};
use optim::{OptimizerConfig, SgdConfig};
use plotters::prelude::*;
use std::path::Path;
use trainer::{BatchProgress, Observer, TrainConfig, TrainError, Trainer};

/// Epochs of each run.
const EPOCHS: usize = 8;

/// The rates: too small, good, too large (oscillating), too large (diverging).
pub const RATES: [(f64, &str); 4] = [
    (0.002, "слишком мала"),
    (0.2, "хорошая"),
    (1.4, "велика: колебания"),
    (2.0, "слишком велика: рост"),
];

/// Batches in the moving average of the drawn curves.
const WINDOW: usize = 15;

/// Samples per batch.
const BATCH_SIZE: usize = 32;

/// Batches (steps) in one epoch over `train_len` samples: the trainer keeps
/// the short last batch, so it is ⌈n / 32⌉.
pub fn steps_per_epoch(train_len: usize) -> usize {
    train_len.div_ceil(BATCH_SIZE)
}

/// The digits split 80/20 into training and validation parts, standardised
/// with the training part's statistics.
pub fn digits() -> Result<Split> {
    let parts = data::split(&data::digits(), Fractions::new(0.8, 0.2, 0.0)?, 7)?;
    Ok(parts.standardize()?.0)
}

/// The network of both digit figures: 64-32-10, ReLU, SoftMax head, He
/// initialisation with a fixed seed.
pub fn network() -> Result<Mlp> {
    let architecture = Architecture::new([64, 32, 10], "relu".parse()?, Head::Softmax)?;
    Ok(Mlp::new(&architecture, Init::He, 11)?)
}

/// The loss of every batch of a run, before its update.
#[derive(Debug, Default)]
struct BatchLosses(Vec<f64>);

impl Observer for BatchLosses {
    fn on_batch(&mut self, p: &BatchProgress<'_>) {
        self.0.push(p.loss);
    }
}

/// One run: the batch losses, and whether it stopped because the loss exploded.
pub struct Run {
    /// The loss of each batch.
    pub losses: Vec<f64>,
    /// Whether the trainer stopped with [`TrainError::Diverged`].
    pub diverged: bool,
}

/// Trains [`network`] on [`digits`] with SGD at rate `eta`, batches of
/// [`BATCH_SIZE`].
pub fn train(parts: &Split, eta: f64) -> Result<Run> {
    let config = TrainConfig::new("ce_logits".parse()?)
        .with_optimizer(OptimizerConfig::Sgd(SgdConfig { eta }))
        .with_epochs(EPOCHS)
        .with_batch_size(BATCH_SIZE)
        .with_seed(5);
    let mut trainer = Trainer::new(network()?, config)?;
    let mut losses = BatchLosses::default();
    let diverged = match trainer.fit(&parts.train, None, &mut losses) {
        Ok(_) => false,
        Err(TrainError::Diverged { .. }) => true,
        Err(e) => return Err(e.into()),
    };
    Ok(Run {
        losses: losses.0,
        diverged,
    })
}

/// The mean of each value with up to `WINDOW − 1` before it.
fn moving_average(values: &[f64]) -> Vec<f64> {
    (0..values.len())
        .map(|i| {
            let window = &values[(i + 1).saturating_sub(WINDOW)..=i];
            window.iter().sum::<f64>() / window.len() as f64
        })
        .collect()
}

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let parts = digits()?;
    let mut series = Vec::new();
    for (k, (eta, words)) in RATES.into_iter().enumerate() {
        let run = train(&parts, eta)?;
        let points = moving_average(&run.losses)
            .into_iter()
            .enumerate()
            .map(|(step, loss)| ((step + 1) as f64, loss))
            .collect();
        let end = if run.diverged {
            format!(" (остановлено на шаге {})", run.losses.len())
        } else {
            String::new()
        };
        series.push(Series::solid(
            format!("η = {eta}: {words}{end}"),
            points,
            PALETTE[k],
        ));
    }
    let steps = series.iter().map(|s| s.points.len()).max().unwrap_or(1);
    let x_desc = format!(
        "шаг (батч из {BATCH_SIZE} примеров; {} шагов — эпоха)",
        steps_per_epoch(parts.train.len())
    );
    line_plot(
        &root,
        &LinePlot {
            title: "Цифры, SGD: потери на батчах (скользящее среднее по 15)",
            x_desc: &x_desc,
            y_desc: "потери CE",
            x_range: 0.0..steps as f64,
            y_range: 0.01..10_000.0,
            series: &series,
            legend: SeriesLabelPosition::UpperRight,
            log_x: false,
            log_y: true,
        },
    )?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rates_behave_as_the_lecture_says() {
        let parts = digits().unwrap();
        let runs: Vec<Run> = RATES
            .iter()
            .map(|&(eta, _)| train(&parts, eta).unwrap())
            .collect();
        // the last epoch of each run
        let epoch = steps_per_epoch(parts.train.len());
        let tail = |run: &Run| {
            let last = &run.losses[run.losses.len() - epoch..];
            last.iter().sum::<f64>() / last.len() as f64
        };
        let [small, good, oscillating, exploding] = &runs[..] else {
            unreachable!()
        };
        // too small: still falling slowly, far above the good rate
        assert!(!small.diverged && tail(small) > 5.0 * tail(good));
        assert!(tail(small) < small.losses[0]);
        // too large: the loss jumps up by orders of magnitude and back
        assert!(!oscillating.diverged);
        let jumps = oscillating
            .losses
            .windows(2)
            .filter(|w| w[1] > 10.0 * w[0])
            .count();
        assert!(jumps > 5, "{jumps} tenfold jumps");
        assert!(tail(oscillating) > tail(good));
        // much too large: the trainer stops it
        assert!(exploding.diverged && !good.diverged);
    }

    #[test]
    fn an_epoch_of_the_digits_is_45_batches() {
        // 80 % of the 1797 digits, in batches of 32 with the short last one kept
        let parts = digits().unwrap();
        assert_eq!(parts.train.len(), 1438);
        assert_eq!(steps_per_epoch(parts.train.len()), 45);
        assert_eq!(steps_per_epoch(64), 2);
        assert_eq!(steps_per_epoch(65), 3);
        // and the trainer takes exactly that many steps per epoch
        let run = train(&parts, RATES[1].0).unwrap();
        assert_eq!(run.losses.len(), EPOCHS * 45);
    }

    #[test]
    fn moving_average_starts_with_what_it_has() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        let averaged = moving_average(&values);
        assert_eq!(averaged[0], 1.0);
        assert_eq!(averaged[1], 1.5);
        assert_eq!(averaged[19], (6..=20).sum::<i32>() as f64 / 15.0);
    }
}
