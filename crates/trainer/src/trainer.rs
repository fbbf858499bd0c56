//! The training loop.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use optim::{Optimizer, OptimizerState, Resumable};
use schedulers::Scheduler;
use serde::{Deserialize, Serialize};

use crate::engine::Workspace;
use crate::engine::{StepError, backward_update, forward_loss};
use crate::error::suggest_smaller;
use crate::evaluate::evaluate_with;
use crate::targets::{Batches, check_data};
use crate::{
    BatchProgress, EpochRecord, Evaluation, Observer, ScheduleUnit, TrainConfig, TrainError,
    epoch_order,
};
use datasets::{Dataset, Standardizer};
use mlp::model::predicted_class;
use mlp::{Mlp, Objective};
use ndarray::{Array2, ArrayView2};

/// How far a run has got: everything besides the weights and the optimizer
/// that a resumed run needs to continue exactly where this one stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Epochs completed.
    pub epoch: usize,
    /// Batches completed in the epoch under way (0 between epochs).
    pub batch: usize,
    /// Batches completed since the start (the schedule's step when it counts batches).
    pub step: u64,
    /// Sum of (batch loss × batch rows) over the epoch under way.
    pub epoch_loss_sum: f64,
    /// Correctly classified training samples in the epoch under way.
    pub epoch_correct: usize,
    /// Training samples seen in the epoch under way.
    pub epoch_seen: usize,
    /// The first batch's loss, the reference of the divergence rule.
    pub first_loss: Option<f64>,
    /// One record per completed epoch.
    pub history: Vec<EpochRecord>,
    /// The epoch (from 1) with the lowest validation loss so far, and that loss
    /// (tracked when early stopping is on).
    pub best: Option<(usize, f64)>,
    /// Epochs since the best one.
    pub epochs_without_improvement: usize,
    /// Whether early stopping ended the run.
    pub stopped_early: bool,
}

impl Progress {
    fn new() -> Self {
        Self {
            epoch: 0,
            batch: 0,
            step: 0,
            epoch_loss_sum: 0.0,
            epoch_correct: 0,
            epoch_seen: 0,
            first_loss: None,
            history: Vec::new(),
            best: None,
            epochs_without_improvement: 0,
            stopped_early: false,
        }
    }
}

/// How [`Trainer::fit`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All epochs ran.
    Completed,
    /// Early stopping ended the run; the model holds the weights of `best_epoch`.
    EarlyStopped {
        /// The epoch (from 1) with the lowest validation loss.
        best_epoch: usize,
    },
    /// The stop flag was raised; the run stopped between two batches and
    /// can be saved and resumed.
    Interrupted {
        /// The epoch under way, counted from 1.
        epoch: usize,
        /// Batches already done in it.
        batch: usize,
    },
}

/// Trains an [`Mlp`]: the lecture's loop, on the training set only.
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp};
/// use trainer::{Outcome, Silent, TrainConfig, Trainer};
///
/// let moons = datasets::two_moons(300, 0.15, 4)?;
/// let parts = datasets::split(&moons, datasets::Fractions::new(0.7, 0.3, 0.0)?, 4)?;
/// let arch = Architecture::new([2, 16, 2], "tanh".parse()?, Head::Softmax)?;
/// let net = Mlp::new(&arch, Init::Xavier, 2)?;
/// let config = TrainConfig::new("ce_logits".parse()?)
///     .with_epochs(40)
///     .with_batch_size(16)
///     .with_learning_rate(0.02)
///     .with_seed(3);
/// let mut trainer = Trainer::new(net, config)?;
/// let outcome = trainer.fit(&parts.train, Some(&parts.validation), &mut Silent)?;
/// assert_eq!(outcome, Outcome::Completed);
/// let last = trainer.history().last().unwrap();
/// assert!(last.val_accuracy.unwrap() > 0.9, "{last:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Trainer {
    config: TrainConfig,
    model: Mlp,
    objective: Objective,
    optimizer: Box<dyn Resumable>,
    schedule: Option<Box<dyn Scheduler>>,
    progress: Progress,
    /// The weights of the best epoch, kept when early stopping is on.
    best_model: Option<Mlp>,
    scaler: Option<Standardizer>,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("config", &self.config)
            .field("architecture", &self.model.architecture())
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl Trainer {
    /// A trainer for `model` with `config`: checks the settings and that the
    /// loss fits the model's head, and builds the optimizer and schedule.
    pub fn new(model: Mlp, config: TrainConfig) -> Result<Self, TrainError> {
        let (optimizer, schedule) = config.build_parts()?;
        let objective = Objective::new(model.head(), config.loss)?;
        let best_model = config.early_stopping.map(|_| model.clone());
        Ok(Self {
            config,
            model,
            objective,
            optimizer,
            schedule,
            progress: Progress::new(),
            best_model,
            scaler: None,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Rebuilds a trainer from saved parts (what a checkpoint holds), so
    /// that [`fit`](Self::fit) continues exactly where the saved run stopped.
    pub fn from_parts(
        model: Mlp,
        config: TrainConfig,
        progress: Progress,
        optimizer_state: OptimizerState,
        best_model: Option<Mlp>,
    ) -> Result<Self, TrainError> {
        let mut trainer = Self::new(model, config)?;
        trainer.optimizer.load_state(optimizer_state)?;
        if let (Some(slot), Some(best)) = (trainer.best_model.as_mut(), best_model) {
            if !best.has_sizes(&slot.sizes()) {
                return Err(mlp::ModelError::WorkspaceMismatch {
                    expected: slot.sizes(),
                    found: best.sizes(),
                }
                .into());
            }
            *slot = best;
        }
        trainer.progress = progress;
        Ok(trainer)
    }

    /// Keeps the standardiser the features were scaled with, so that
    /// checkpoints carry it.
    pub fn with_scaler(mut self, scaler: Standardizer) -> Self {
        self.scaler = Some(scaler);
        self
    }

    /// Uses `flag` as the stop flag (e.g. one shared with a Ctrl-C handler).
    pub fn with_stop_flag(mut self, flag: Arc<AtomicBool>) -> Self {
        self.stop = flag;
        self
    }

    /// The stop flag: set it (from any thread, e.g. a Ctrl-C handler) and
    /// [`fit`](Self::fit) returns [`Outcome::Interrupted`] before the next
    /// batch, with a state that [`save_checkpoint`](Self::save_checkpoint) can save.
    /// `fit` does not clear it.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// The network being trained.
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// The network, giving up the trainer.
    pub fn into_model(self) -> Mlp {
        self.model
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// How far training has got.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// One record per completed epoch.
    pub fn history(&self) -> &[EpochRecord] {
        &self.progress.history
    }

    /// The optimizer's state (moments, step count, $\eta$) for a checkpoint.
    pub fn optimizer_state(&self) -> OptimizerState {
        self.optimizer.state()
    }

    /// The best epoch's weights, when early stopping is on.
    pub fn best_model(&self) -> Option<&Mlp> {
        self.best_model.as_ref()
    }

    /// The standardiser given with [`with_scaler`](Self::with_scaler).
    pub fn scaler(&self) -> Option<&Standardizer> {
        self.scaler.as_ref()
    }

    /// The learning rate for the next batch: the schedule's $\eta_t$ (with
    /// $t$ counting batches or epochs), or the optimizer's own.
    fn learning_rate(&self) -> f64 {
        match &self.schedule {
            Some(schedule) => {
                let t = match self.config.schedule_unit {
                    ScheduleUnit::Batch => self.progress.step as usize,
                    ScheduleUnit::Epoch => self.progress.epoch,
                };
                schedule.learning_rate(t)
            }
            None => self.optimizer.learning_rate(),
        }
    }

    fn diverged(&self, eta: f64, reason: String) -> TrainError {
        TrainError::Diverged {
            epoch: self.progress.epoch + 1,
            batch: self.progress.batch + 1,
            learning_rate: eta,
            reason,
            suggested: suggest_smaller(eta),
        }
    }

    // ANCHOR: fit
    /// Trains on `train`, measuring `validation` after every epoch, until
    /// the configured number of epochs is done (counting those done before a
    /// checkpoint), early stopping ends the run, or the stop flag is raised.
    ///
    /// Each epoch: a fresh order of the training rows from (seed, epoch);
    /// then for each batch, in the lecture's words — прямой проход, функция
    /// потерь, обратное распространение ошибки, обновление параметров.
    /// After the first batch nothing of ours is allocated until the epoch's
    /// record (test `tests/no_allocation.rs`); what is left is the
    /// libraries': `matrixmultiply`'s packing buffer in each matrix product
    /// and, for a tensor of 65 536 weights or more, the helper thread that
    /// Adam starts to update its two halves at once.
    ///
    /// Errors: data that does not fit the network, and
    /// [`TrainError::Diverged`] when the loss becomes NaN or ±∞ or exceeds
    /// `divergence_factor` × max(first batch's loss, 1), or a gradient
    /// becomes infinite. The model then holds the weights of that moment.
    pub fn fit(
        &mut self,
        train: &Dataset,
        validation: Option<&Dataset>,
        observer: &mut dyn Observer,
    ) -> Result<Outcome, TrainError> {
        let y_train = check_data(train, &self.model, "training")?;
        let validation = match validation.filter(|v| !v.is_empty()) {
            Some(v) => Some((v, check_data(v, &self.model, "validation")?)),
            None => None,
        };
        if self.config.early_stopping.is_some() && validation.is_none() {
            return Err(TrainError::NoValidation);
        }
        if self.progress.stopped_early {
            return Ok(self.early_stop_outcome());
        }
        let n = train.len();
        let batch_size = self.config.batch_size.min(n);
        let batches = n.div_ceil(batch_size);
        let mut order = vec![0; n];
        let mut buffers = Batches::new(batch_size, train.n_features(), self.model.n_outputs());
        let mut workspace = Workspace::new(&self.model, batch_size);
        let epochs = self.config.epochs;
        // room for the next epochs' records, but never the whole of a huge
        // `epochs` up front: beyond that the history grows as it goes
        self.progress
            .history
            .reserve(epochs.saturating_sub(self.progress.history.len()).min(1024));

        while self.progress.epoch < epochs {
            epoch_order(
                self.config.seed,
                self.progress.epoch,
                self.config.shuffle,
                &mut order,
            );
            while self.progress.batch < batches {
                if self.stop.load(Ordering::Relaxed) {
                    return Ok(self.interrupted());
                }
                let start = self.progress.batch * batch_size;
                let indices = &order[start..(start + batch_size).min(n)];
                let (x, y) = buffers.fill(train.x(), &y_train, indices);
                let eta = self.learning_rate(); // schedule: ηₜ
                self.optimizer.set_learning_rate(eta);
                let loss = self.forward_loss(&mut workspace, x, y, eta)?; // forward pass, loss
                self.count_correct(train, &workspace, indices);
                self.backward_update(&mut workspace, x, eta)?; // backward pass, update
                self.record_batch(loss, indices, batches, eta, observer);
            }
            let measured =
                self.validate(&mut workspace, validation.as_ref().map(|(v, y)| (*v, y)))?;
            if let Some(outcome) = self.end_epoch(train.is_classification(), measured, observer) {
                return Ok(outcome);
            }
        }
        if let Some(best) = &self.best_model {
            // keep the best weights at the end too, not only when stopping early
            self.model.assign(best);
        }
        Ok(Outcome::Completed)
    }
    // ANCHOR_END: fit

    /// Where a raised stop flag leaves the run: after the batches done so far.
    fn interrupted(&self) -> Outcome {
        Outcome::Interrupted {
            epoch: self.progress.epoch + 1,
            batch: self.progress.batch,
        }
    }

    /// Forward pass and loss of one batch, with the divergence rule: the
    /// loss must be finite and at most `divergence_factor` × max(first
    /// batch's loss, 1).
    fn forward_loss(
        &mut self,
        workspace: &mut Workspace,
        x: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        eta: f64,
    ) -> Result<f64, TrainError> {
        let loss = forward_loss(&self.model, &self.objective, workspace, x, y)
            .map_err(|err| self.step_error(eta, err))?;
        let reference = *self.progress.first_loss.get_or_insert(loss);
        let limit = self.config.divergence_factor * reference.max(1.0);
        if loss > limit {
            let reason = format!(
                "the loss {loss:.4e} exploded past {limit:.4e} ({} × max(first batch's loss {reference:.4e}, 1))",
                self.config.divergence_factor
            );
            return Err(self.diverged(eta, reason));
        }
        Ok(loss)
    }

    /// Backward pass and the optimizer's update of every $W_l$, $b_l$.
    fn backward_update(
        &mut self,
        workspace: &mut Workspace,
        x: ArrayView2<'_, f64>,
        eta: f64,
    ) -> Result<(), TrainError> {
        backward_update(&mut self.model, &mut *self.optimizer, workspace, x)
            .map_err(|err| self.step_error(eta, err))
    }

    /// A failed step as the run reports it: a divergence with its epoch,
    /// batch and a smaller learning rate to try, or the error itself.
    fn step_error(&self, eta: f64, err: StepError) -> TrainError {
        match err {
            StepError::Diverged(reason) => self.diverged(eta, reason),
            StepError::Other(err) => err,
        }
    }

    /// Adds the batch's correct answers to the epoch's count (classification
    /// only), from the logits the forward pass left in the workspace.
    fn count_correct(&mut self, train: &Dataset, workspace: &Workspace, indices: &[usize]) {
        if let Some(labels) = train.labels() {
            let head = self.model.head();
            self.progress.epoch_correct += workspace
                .logits()
                .rows()
                .into_iter()
                .zip(indices)
                .filter(|(z, i)| predicted_class(head, z.view()) == labels[**i])
                .count();
        }
    }

    /// Adds the batch to the epoch's loss and counters and tells the observer.
    fn record_batch(
        &mut self,
        loss: f64,
        indices: &[usize],
        batches: usize,
        eta: f64,
        observer: &mut dyn Observer,
    ) {
        let p = &mut self.progress;
        p.epoch_loss_sum += loss * indices.len() as f64;
        p.epoch_seen += indices.len();
        p.batch += 1;
        p.step += 1;
        observer.on_batch(&BatchProgress {
            epoch: p.epoch + 1,
            epochs: self.config.epochs,
            batch: p.batch,
            batches,
            step: p.step,
            loss,
            learning_rate: eta,
            indices,
        });
    }

    /// The loss (and accuracy) on the validation set after an epoch, if there is one.
    fn validate(
        &self,
        workspace: &mut Workspace,
        validation: Option<(&Dataset, &Array2<f64>)>,
    ) -> Result<Option<Evaluation>, TrainError> {
        let Some((v, y_v)) = validation else {
            return Ok(None);
        };
        let eta = self.optimizer.learning_rate();
        evaluate_with(
            &self.model,
            &self.objective,
            workspace,
            v.x(),
            y_v,
            v.labels(),
        )
        .map(Some)
        .map_err(|err| self.step_error(eta, err))
    }

    /// Records the finished epoch, tells the observer, and applies early
    /// stopping; `Some` if the run ends here.
    fn end_epoch(
        &mut self,
        classification: bool,
        validation: Option<Evaluation>,
        observer: &mut dyn Observer,
    ) -> Option<Outcome> {
        let p = &mut self.progress;
        let seen = p.epoch_seen as f64;
        let record = EpochRecord {
            epoch: p.epoch + 1,
            train_loss: p.epoch_loss_sum / seen,
            train_accuracy: classification.then(|| p.epoch_correct as f64 / seen),
            val_loss: validation.map(|v| v.loss),
            val_accuracy: validation.and_then(|v| v.accuracy),
            learning_rate: self.optimizer.learning_rate(),
            steps: p.step,
        };
        p.epoch += 1;
        p.batch = 0;
        p.epoch_loss_sum = 0.0;
        p.epoch_correct = 0;
        p.epoch_seen = 0;
        observer.on_epoch(&record);
        let val_loss = record.val_loss;
        p.history.push(record);
        let (es, val_loss) = (self.config.early_stopping?, val_loss?);
        let improved = p
            .best
            .is_none_or(|(_, best)| val_loss < best - es.min_delta);
        if improved {
            p.best = Some((p.epoch, val_loss));
            p.epochs_without_improvement = 0;
            if let Some(best) = &mut self.best_model {
                best.assign(&self.model);
            }
        } else {
            p.epochs_without_improvement += 1;
        }
        if p.epochs_without_improvement >= es.patience && p.epoch < self.config.epochs {
            p.stopped_early = true;
            return Some(self.early_stop_outcome());
        }
        None
    }

    /// Restores the best weights and reports the early stop.
    fn early_stop_outcome(&mut self) -> Outcome {
        if let Some(best) = &self.best_model {
            self.model.assign(best);
        }
        Outcome::EarlyStopped {
            best_epoch: self.progress.best.map_or(0, |(epoch, _)| epoch),
        }
    }
}
