//! # The learning-rate range test (fast.ai's form of Smith's idea)
//!
//! The lecture ends: too large a learning rate shows as an oscillating or
//! quickly growing loss, too small a one as a slowly falling loss. Smith's
//! *Cyclical Learning Rates for Training Neural Networks* (2015, arXiv
//! 1506.01186, §3.3, the source the lecture cites) turns that into a
//! measurement: raise the rate *linearly* over a few epochs and read the
//! *accuracy*. This module does what Smith (2018, arXiv 1803.09820) and
//! fast.ai's `lr_find` (Howard & Gugger, 2020) do instead, as ch07 of the
//! book explains: train for a few hundred batches while the learning rate
//! grows *exponentially* from tiny to huge, and watch the smoothed *loss*.
//!
//! $$ \eta_i = \eta_{\text{start}} \left(\frac{\eta_{\text{end}}}{\eta_{\text{start}}}\right)^{i/(N-1)}, \qquad i = 0 \dots N-1. $$
//!
//! At first $\eta$ is too small to matter and the loss stays flat; then it
//! falls; then $\eta$ is too large and the loss shoots up. The raw batch
//! losses are noisy, so they are smoothed by an exponential moving average
//! with bias correction (as Adam corrects $m$):
//!
//! $$ a_i = \beta a_{i-1} + (1 - \beta) \mathcal{L}_i, \qquad \bar{\mathcal{L}}_i = \frac{a_i}{1 - \beta^{i+1}}, \qquad a_{-1} = 0,\ \beta = 0.98. $$
//!
//! The test stops when $\bar{\mathcal{L}}_i$ exceeds 4 times its minimum so
//! far, or a loss is not finite.
//!
//! **The suggested rate** is $\eta^\star / 10$, where $\eta^\star$ is the rate
//! at the minimum of the smoothed loss. At $\eta^\star$ training is already at
//! the edge of instability (a moment later the loss blows up); a tenth of it
//! lies on the falling slope, where the loss decreases fast but safely.
//! (This is fastai's `lr_min` rule.) The result also reports
//! the rate of the steepest descent of $\bar{\mathcal{L}}$ against
//! $\ln \eta$ before the minimum, another common choice; Smith himself reads
//! the plot for the bounds of a cyclic schedule: where the loss starts to
//! fall, and where it stops falling.
//!
//! The network is copied; the one passed in is not changed.

use losses::LossKind;
use optim::OptimizerConfig;
use serde::{Deserialize, Serialize};

use crate::TrainError;
use crate::engine::Workspace;
use crate::engine::{StepError, backward_update, forward_loss};
use crate::targets::{Batches, check_data};
use datasets::Dataset;
use mlp::train::epoch_order;
use mlp::{Mlp, Objective};

/// Settings of [`lr_range_test`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LrFinderConfig {
    /// $\eta_{\text{start}} > 0$, the first (smallest) rate.
    pub start_lr: f64,
    /// $\eta_{\text{end}} > \eta_{\text{start}}$, the last rate.
    pub end_lr: f64,
    /// $N \ge 2$: batches in the sweep (at most; it stops when the loss blows up).
    pub steps: usize,
    /// Samples per batch.
    pub batch_size: usize,
    /// The optimizer (its own rate is replaced by the sweep's).
    pub optimizer: OptimizerConfig,
    /// The loss; it must fit the network's head.
    pub loss: LossKind,
    /// Seed of the batches' order (as in training).
    pub seed: u64,
    /// $\beta \in [0, 1)$ of the moving average.
    pub smoothing: f64,
    /// Stop when the smoothed loss exceeds this many times its minimum ($> 1$).
    pub blowup_factor: f64,
}

impl LrFinderConfig {
    /// From $10^{-6}$ to 1 in 200 batches of 32, with Adam, $\beta = 0.98$,
    /// stopping at 4 × the minimum.
    pub fn new(loss: LossKind) -> Self {
        Self {
            start_lr: 1e-6,
            end_lr: 1.0,
            steps: 200,
            batch_size: 32,
            optimizer: OptimizerConfig::from_name("adam").expect("adam exists"),
            loss,
            seed: 0,
            smoothing: 0.98,
            blowup_factor: 4.0,
        }
    }

    fn validate(&self) -> Result<(), TrainError> {
        let invalid = |name, value: String, expected| TrainError::InvalidSetting {
            name,
            value,
            expected,
        };
        if !(self.start_lr.is_finite() && self.start_lr > 0.0) {
            return Err(invalid(
                "start_lr",
                self.start_lr.to_string(),
                "a finite number > 0",
            ));
        }
        if !(self.end_lr.is_finite() && self.end_lr > self.start_lr) {
            return Err(invalid(
                "end_lr",
                self.end_lr.to_string(),
                "a finite number > start_lr",
            ));
        }
        if self.steps < 2 {
            return Err(invalid("steps", self.steps.to_string(), "at least 2"));
        }
        if self.batch_size == 0 {
            return Err(TrainError::ZeroBatchSize);
        }
        if !(0.0..1.0).contains(&self.smoothing) {
            return Err(invalid(
                "smoothing",
                self.smoothing.to_string(),
                "a number in [0, 1)",
            ));
        }
        if !(self.blowup_factor.is_finite() && self.blowup_factor > 1.0) {
            return Err(invalid(
                "blowup_factor",
                self.blowup_factor.to_string(),
                "a finite number > 1",
            ));
        }
        Ok(())
    }
}

/// The sweep and what it suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LrFinderResult {
    /// $\eta_i$ of each recorded batch.
    pub learning_rates: Vec<f64>,
    /// The batch losses $\mathcal{L}_i$ (before each batch's update).
    pub losses: Vec<f64>,
    /// The smoothed losses $\bar{\mathcal{L}}_i$.
    pub smoothed: Vec<f64>,
    /// $\eta^\star$, the rate at the minimum of the smoothed loss.
    pub min_loss_lr: f64,
    /// The rate where the smoothed loss falls fastest against $\ln \eta$ (before the minimum).
    pub steepest_lr: f64,
    /// The suggested rate, $\eta^\star / 10$ (not below `start_lr`).
    pub suggestion: f64,
    /// Whether the sweep stopped before `end_lr` because the loss blew up.
    pub stopped_early: bool,
}

/// Runs the range test on a copy of `model` with batches of `train` (see
/// the [module docs](self) for the rule).
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp};
/// use trainer::lr_finder::{LrFinderConfig, lr_range_test};
/// let moons = datasets::two_moons(400, 0.15, 1)?;
/// let net = Mlp::new(&Architecture::new([2, 16, 2], "tanh".parse()?, Head::Softmax)?, Init::Xavier, 1)?;
/// let result = lr_range_test(&net, &moons, &LrFinderConfig::new("ce_logits".parse()?))?;
/// assert!(result.suggestion > 1e-6 && result.suggestion < 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// ANCHOR: lr_range_test
pub fn lr_range_test(
    model: &Mlp,
    train: &Dataset,
    config: &LrFinderConfig,
) -> Result<LrFinderResult, TrainError> {
    config.validate()?;
    let mut model = model.clone();
    let objective = Objective::new(model.head(), config.loss)?;
    let mut optimizer = config.optimizer.build()?;
    let y = check_data(train, &model, "training")?;
    let n = train.len();
    let batch_size = config.batch_size.min(n);
    let batches = n.div_ceil(batch_size);
    let mut order = vec![0; n];
    let mut buffers = Batches::new(batch_size, train.n_features(), model.n_outputs());
    let mut workspace = Workspace::new(&model, batch_size);

    let ratio = config.end_lr / config.start_lr;
    let beta = config.smoothing;
    let (mut learning_rates, mut losses, mut smoothed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut average, mut best) = (0.0, f64::INFINITY);
    let mut stopped_early = false;
    // ANCHOR_END: lr_range_test
    // ANCHOR: lr_range_test_loop
    for i in 0..config.steps {
        let (epoch, batch) = (i / batches, i % batches);
        if batch == 0 {
            epoch_order(config.seed, epoch, true, &mut order);
        }
        let start = batch * batch_size;
        let (x, y) = buffers.fill(train.x(), &y, &order[start..(start + batch_size).min(n)]);
        // η_i = η_start·(η_end / η_start)^(i / (N − 1))
        let eta = config.start_lr * ratio.powf(i as f64 / (config.steps - 1) as f64);
        optimizer.set_learning_rate(eta);
        let loss = match forward_loss(&model, &objective, &mut workspace, x, y) {
            Ok(loss) => loss,
            Err(StepError::Diverged(_)) => {
                stopped_early = true;
                break;
            }
            Err(StepError::Other(err)) => return Err(err),
        };
        // a_i = β·a_(i−1) + (1 − β)·L_i, L̄_i = a_i / (1 − β^(i+1))
        average = beta * average + (1.0 - beta) * loss;
        let smooth = average / (1.0 - beta.powi(i as i32 + 1));
        learning_rates.push(eta);
        losses.push(loss);
        smoothed.push(smooth);
        best = best.min(smooth);
        if smooth > config.blowup_factor * best {
            stopped_early = true;
            break;
        }
        // ANCHOR_END: lr_range_test_loop
        // ANCHOR: lr_range_test_step
        match backward_update(&mut model, &mut *optimizer, &mut workspace, x) {
            Ok(()) => {}
            Err(StepError::Diverged(_)) => {
                stopped_early = true;
                break;
            }
            Err(StepError::Other(err)) => return Err(err),
        }
    }
    if smoothed.len() < 2 {
        return Err(TrainError::InvalidSetting {
            name: "start_lr",
            value: config.start_lr.to_string(),
            expected: "a rate small enough that the loss does not blow up in the first two batches",
        });
    }
    // ANCHOR_END: lr_range_test_step
    // ANCHOR: lr_range_test_result
    let minimum = (0..smoothed.len())
        .min_by(|&a, &b| smoothed[a].total_cmp(&smoothed[b]))
        .expect("at least two points");
    // the steepest descent of the smoothed loss against ln η, up to the minimum
    let steepest = (1..=minimum)
        .min_by(|&a, &b| {
            slope(&learning_rates, &smoothed, a).total_cmp(&slope(&learning_rates, &smoothed, b))
        })
        .unwrap_or(minimum);
    let min_loss_lr = learning_rates[minimum];
    Ok(LrFinderResult {
        steepest_lr: learning_rates[steepest],
        suggestion: (min_loss_lr / 10.0).max(config.start_lr),
        min_loss_lr,
        learning_rates,
        losses,
        smoothed,
        stopped_early,
    })
}
// ANCHOR_END: lr_range_test_result

/// $(\bar{\mathcal{L}}_i - \bar{\mathcal{L}}_{i-1}) / (\ln \eta_i - \ln \eta_{i-1})$.
fn slope(learning_rates: &[f64], smoothed: &[f64], i: usize) -> f64 {
    (smoothed[i] - smoothed[i - 1]) / (learning_rates[i].ln() - learning_rates[i - 1].ln())
}
