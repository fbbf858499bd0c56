//! The training loop: reproducibility, what it touches, divergence, early
//! stopping, schedules, the stop flag and resuming.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use activations::ActivationKind;
use datasets::{self, Dataset, Fractions, Split};
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp};
use optim::OptimizerConfig;
use schedulers::ScheduleConfig;
use trainer::{
    BatchProgress, EpochRecord, Observer, Outcome, ScheduleUnit, Silent, TrainConfig, TrainError,
    Trainer, evaluate,
};

fn moons(n: usize, seed: u64) -> Split {
    let set = datasets::two_moons(n, 0.15, seed).unwrap();
    datasets::split(&set, Fractions::new(0.7, 0.3, 0.0).unwrap(), seed).unwrap()
}

fn net(sizes: &[usize], head: Head, seed: u64) -> Mlp {
    let arch = Architecture::new(sizes, ActivationKind::Tanh, head).unwrap();
    Mlp::new(&arch, Init::Xavier, seed).unwrap()
}

fn config() -> TrainConfig {
    TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(5)
        .with_batch_size(16)
        .with_learning_rate(0.01)
        .with_seed(3)
}

/// Records every batch and epoch.
#[derive(Default)]
struct Recorder {
    batches: Vec<(usize, usize, Vec<usize>, f64)>,
    epochs: Vec<EpochRecord>,
}

impl Observer for Recorder {
    fn on_batch(&mut self, p: &BatchProgress<'_>) {
        self.batches
            .push((p.epoch, p.batch, p.indices.to_vec(), p.learning_rate));
    }
    fn on_epoch(&mut self, record: &EpochRecord) {
        self.epochs.push(record.clone());
    }
}

fn bits(model: &Mlp) -> Vec<u64> {
    model.to_vec().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn the_same_seeds_give_bit_identical_weights() {
    let parts = moons(200, 1);
    let run = |shuffle_seed: u64| {
        let mut trainer = Trainer::new(
            net(&[2, 8, 2], Head::Softmax, 7),
            config().with_seed(shuffle_seed),
        )
        .unwrap();
        trainer
            .fit(&parts.train, Some(&parts.validation), &mut Silent)
            .unwrap();
        trainer
    };
    let (a, b) = (run(3), run(3));
    assert_eq!(bits(a.model()), bits(b.model()));
    assert_eq!(a.history(), b.history());
    assert_ne!(
        bits(a.model()),
        bits(run(4).model()),
        "another shuffle seed, other weights"
    );
}

#[test]
fn an_epoch_visits_each_training_row_exactly_once() {
    let parts = moons(100, 2); // 70 training rows: batches of 16, 16, 16, 16, 6
    let mut recorder = Recorder::default();
    let mut trainer =
        Trainer::new(net(&[2, 4, 2], Head::Softmax, 1), config().with_epochs(3)).unwrap();
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut recorder)
        .unwrap();
    assert_eq!(recorder.batches.len(), 3 * 5);
    for epoch in 1..=3 {
        let mut seen: Vec<usize> = recorder
            .batches
            .iter()
            .filter(|b| b.0 == epoch)
            .flat_map(|b| b.2.clone())
            .collect();
        assert_eq!(
            seen.len(),
            parts.train.len(),
            "epoch {epoch} has n_train samples"
        );
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..parts.train.len()).collect::<Vec<_>>(),
            "epoch {epoch}"
        );
    }
    let sizes: Vec<usize> = recorder.batches[..5].iter().map(|b| b.2.len()).collect();
    assert_eq!(sizes, [16, 16, 16, 16, 6]);
    // epochs see the rows in different orders
    assert_ne!(recorder.batches[0].2, recorder.batches[5].2);
}

#[test]
fn held_out_data_never_changes_the_weights() {
    let parts = moons(200, 3);
    // the same validation rows with the labels flipped: a different "held-out" set
    let flipped_labels: Vec<usize> = parts
        .validation
        .labels()
        .unwrap()
        .iter()
        .map(|l| 1 - l)
        .collect();
    let flipped = Dataset::classification(parts.validation.x().clone(), flipped_labels, 2).unwrap();
    let run = |validation: &Dataset| {
        let mut trainer = Trainer::new(net(&[2, 8, 2], Head::Softmax, 5), config()).unwrap();
        trainer
            .fit(&parts.train, Some(validation), &mut Silent)
            .unwrap();
        trainer
    };
    let (a, b) = (run(&parts.validation), run(&flipped));
    assert_eq!(
        bits(a.model()),
        bits(b.model()),
        "validation data must not reach the gradients"
    );
    let (va, vb) = (
        a.history()[4].val_accuracy.unwrap(),
        b.history()[4].val_accuracy.unwrap(),
    );
    assert!(
        (va + vb - 1.0).abs() < 1e-12,
        "yet it was measured: {va} + {vb} = 1"
    );
}

#[test]
fn training_learns_and_the_history_shows_it() {
    let parts = moons(300, 4);
    let mut trainer = Trainer::new(
        net(&[2, 16, 2], Head::Softmax, 2),
        config().with_epochs(40).with_learning_rate(0.02),
    )
    .unwrap();
    let outcome = trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    assert_eq!(outcome, Outcome::Completed);
    let history = trainer.history();
    assert_eq!(history.len(), 40);
    assert!(
        history[39].train_loss < 0.5 * history[0].train_loss,
        "{history:?}"
    );
    assert!(history[39].val_accuracy.unwrap() > 0.9, "{:?}", history[39]);
    assert_eq!(history[39].steps, 40 * 14);
    // the trainer's validation loss is what evaluate() measures
    let e = evaluate(
        trainer.model(),
        &parts.validation,
        LossKind::CrossEntropyWithLogits,
    )
    .unwrap();
    assert!((e.loss - history[39].val_loss.unwrap()).abs() < 1e-12);
}

#[test]
fn a_single_sigmoid_output_learns_two_classes() {
    // the lecture's binary classification: one output, p = σ(z) = P(class 1)
    let parts = moons(300, 5);
    let config = TrainConfig::new(LossKind::BceWithLogits)
        .with_epochs(40)
        .with_batch_size(16)
        .with_learning_rate(0.02);
    let mut trainer = Trainer::new(net(&[2, 16, 1], Head::Sigmoid, 3), config).unwrap();
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    assert!(trainer.history()[39].val_accuracy.unwrap() > 0.9);
    let predicted = trainer
        .model()
        .predict(parts.validation.x().view())
        .unwrap();
    assert!(predicted.iter().all(|&c| c < 2));
}

#[test]
fn regression_on_the_noisy_sine() {
    let set = datasets::sine(200, 0.05, 1).unwrap();
    let parts = datasets::split(&set, Fractions::new(0.8, 0.2, 0.0).unwrap(), 1).unwrap();
    let config = TrainConfig::new(LossKind::Mse)
        .with_epochs(60)
        .with_batch_size(16)
        .with_learning_rate(0.01);
    let mut trainer = Trainer::new(net(&[1, 16, 1], Head::Identity, 1), config).unwrap();
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    let last = trainer.history().last().unwrap();
    assert!(last.val_loss.unwrap() < 0.05, "{last:?}");
    assert_eq!(last.val_accuracy, None);
}

#[test]
fn a_huge_learning_rate_stops_with_a_useful_error() {
    let parts = moons(200, 6);
    let config = config().with_optimizer(
        OptimizerConfig::from_name("sgd")
            .unwrap()
            .with_learning_rate(1e6),
    );
    let mut trainer = Trainer::new(net(&[2, 16, 2], Head::Softmax, 1), config).unwrap();
    let err = trainer.fit(&parts.train, None, &mut Silent).unwrap_err();
    let TrainError::Diverged {
        epoch,
        batch,
        learning_rate,
        suggested,
        ..
    } = &err
    else {
        panic!("expected divergence, got {err}");
    };
    assert_eq!((*epoch, *learning_rate, *suggested), (1, 1e6, 1e5));
    assert!(
        *batch >= 2,
        "the first batch sets the reference, got batch {batch}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "training diverged at epoch 1, batch {batch} (learning rate 1000000)"
        )),
        "{message}"
    );
    assert!(message.ends_with("try --lr 100000 or less"), "{message}");
    // the same run with a sane rate trains
    let mut fine = Trainer::new(net(&[2, 16, 2], Head::Softmax, 1), config_sgd(0.1)).unwrap();
    assert!(fine.fit(&parts.train, None, &mut Silent).is_ok());
}

fn config_sgd(eta: f64) -> TrainConfig {
    config().with_optimizer(
        OptimizerConfig::from_name("sgd")
            .unwrap()
            .with_learning_rate(eta),
    )
}

#[test]
fn early_stopping_keeps_the_best_weights() {
    // few noisy training samples and a wide network: it overfits, the validation loss turns up
    let set = datasets::two_moons(400, 0.35, 8).unwrap();
    let parts = datasets::split(&set, Fractions::new(0.1, 0.9, 0.0).unwrap(), 8).unwrap();
    let config = config()
        .with_epochs(400)
        .with_batch_size(40)
        .with_learning_rate(0.03)
        .with_early_stopping(10);
    let mut trainer = Trainer::new(net(&[2, 64, 64, 2], Head::Softmax, 8), config).unwrap();
    let outcome = trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    let Outcome::EarlyStopped { best_epoch } = outcome else {
        panic!("expected an early stop, got {outcome:?}");
    };
    let history = trainer.history();
    assert_eq!(
        history.len(),
        best_epoch + 10,
        "stopped after 10 epochs without improvement"
    );
    let best = history
        .iter()
        .min_by(|a, b| a.val_loss.unwrap().total_cmp(&b.val_loss.unwrap()))
        .unwrap();
    assert_eq!(best.epoch, best_epoch);
    let now = evaluate(
        trainer.model(),
        &parts.validation,
        LossKind::CrossEntropyWithLogits,
    )
    .unwrap();
    assert!(
        (now.loss - best.val_loss.unwrap()).abs() < 1e-12,
        "the model holds the best epoch's weights"
    );
    // fit again: it stays stopped
    assert_eq!(
        trainer
            .fit(&parts.train, Some(&parts.validation), &mut Silent)
            .unwrap(),
        outcome
    );
}

#[test]
fn schedules_step_per_batch_or_per_epoch() {
    let parts = moons(100, 9); // 70 rows, 5 batches per epoch
    let decay = ScheduleConfig::StepDecay {
        eta0: 0.1,
        gamma: 0.5,
        step_size: 1,
    };
    let rates = |unit| {
        let mut recorder = Recorder::default();
        let config = config().with_epochs(2).with_schedule(decay.clone(), unit);
        let mut trainer = Trainer::new(net(&[2, 4, 2], Head::Softmax, 1), config).unwrap();
        trainer.fit(&parts.train, None, &mut recorder).unwrap();
        recorder.batches.iter().map(|b| b.3).collect::<Vec<f64>>()
    };
    assert_eq!(
        rates(ScheduleUnit::Epoch),
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05]
    );
    let per_batch = rates(ScheduleUnit::Batch);
    let expected: Vec<f64> = (0..10).map(|t| 0.1 * 0.5f64.powi(t)).collect();
    assert_eq!(per_batch, expected);
}

/// Raises the stop flag after a given number of batches.
struct StopAfter {
    batches: usize,
    flag: Arc<AtomicBool>,
}

impl Observer for StopAfter {
    fn on_batch(&mut self, p: &BatchProgress<'_>) {
        if p.step as usize == self.batches {
            self.flag.store(true, Ordering::Relaxed);
        }
    }
}

#[test]
fn the_stop_flag_stops_between_batches_and_the_run_resumes_bit_for_bit() {
    let parts = moons(200, 10); // 140 rows: 9 batches of 16 per epoch
    let config = config().with_epochs(4).with_early_stopping(100);
    let uninterrupted = {
        let mut trainer = Trainer::new(net(&[2, 8, 2], Head::Softmax, 4), config.clone()).unwrap();
        trainer
            .fit(&parts.train, Some(&parts.validation), &mut Silent)
            .unwrap();
        trainer
    };
    for stop_after in [9, 13, 20] {
        // after a whole epoch (9), and in the middle of one (13, 20)
        let mut trainer = Trainer::new(net(&[2, 8, 2], Head::Softmax, 4), config.clone()).unwrap();
        let flag = trainer.stop_flag();
        let mut observer = StopAfter {
            batches: stop_after,
            flag: Arc::clone(&flag),
        };
        let outcome = trainer
            .fit(&parts.train, Some(&parts.validation), &mut observer)
            .unwrap();
        assert_eq!(
            outcome,
            Outcome::Interrupted {
                epoch: stop_after / 9 + 1,
                batch: stop_after % 9
            }
        );
        assert_eq!(trainer.progress().step, stop_after as u64);
        // rebuild from the saved parts, as a checkpoint does, and finish
        let mut resumed = Trainer::from_parts(
            trainer.model().clone(),
            trainer.config().clone(),
            trainer.progress().clone(),
            trainer.optimizer_state(),
            trainer.best_model().cloned(),
        )
        .unwrap();
        flag.store(false, Ordering::Relaxed);
        resumed
            .fit(&parts.train, Some(&parts.validation), &mut Silent)
            .unwrap();
        assert_eq!(
            bits(resumed.model()),
            bits(uninterrupted.model()),
            "stopped after {stop_after}"
        );
        assert_eq!(resumed.history(), uninterrupted.history());
    }
}

#[test]
fn data_that_does_not_fit_is_an_error() {
    let parts = moons(100, 11);
    let softmax = || Trainer::new(net(&[2, 4, 2], Head::Softmax, 1), config()).unwrap();
    let empty = parts.train.select(&[]).unwrap();
    let three_features =
        Dataset::classification(ndarray::Array2::zeros((4, 3)), vec![0, 1, 0, 1], 2).unwrap();
    let three_classes =
        Dataset::classification(ndarray::Array2::zeros((3, 2)), vec![0, 1, 2], 3).unwrap();
    let regression = datasets::sine(10, 0.1, 1).unwrap();
    let cases: [(&Dataset, &str); 4] = [
        (
            &empty,
            "the training set is empty; it needs at least one sample",
        ),
        (
            &three_features,
            "the training set has 3 features but the network takes 2 inputs",
        ),
        (
            &three_classes,
            "the training set does not fit the network: it has 3 classes but the network has 2 outputs; a softmax head needs one per class",
        ),
        (
            &regression,
            "the training set has 1 features but the network takes 2 inputs",
        ),
    ];
    for (set, message) in cases {
        assert_eq!(
            softmax()
                .fit(set, None, &mut Silent)
                .unwrap_err()
                .to_string(),
            message
        );
    }
    let err = Trainer::new(
        net(&[1, 4, 1], Head::Sigmoid, 1),
        TrainConfig::new(LossKind::BceWithLogits),
    )
    .unwrap()
    .fit(&regression, None, &mut Silent)
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the training set does not fit the network: it has regression targets, but the network has the sigmoid (classification) head; use identity"
    );
    let err = Trainer::new(
        net(&[2, 4, 2], Head::Softmax, 1),
        config().with_early_stopping(3),
    )
    .unwrap()
    .fit(&parts.train, None, &mut Silent)
    .unwrap_err();
    assert_eq!(err, TrainError::NoValidation);
    let err = Trainer::new(
        net(&[2, 4, 2], Head::Softmax, 1),
        TrainConfig::new(LossKind::Mse),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the softmax head cannot be trained with the mse loss; use ce_logits (or ce, focal_multiclass)"
    );
}

#[test]
fn digits_end_to_end_small() {
    // the README's main job in miniature: digits, one ReLU hidden layer, Adam
    let digits = datasets::digits();
    let parts = datasets::split(&digits, Fractions::new(0.7, 0.15, 0.15).unwrap(), 42).unwrap();
    let (parts, scaler) = parts.standardize().unwrap();
    let arch = Architecture::new([64, 32, 10], ActivationKind::Relu, Head::Softmax).unwrap();
    let config = TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(8)
        .with_batch_size(32)
        .with_learning_rate(3e-3);
    let mut trainer = Trainer::new(Mlp::new(&arch, Init::He, 42).unwrap(), config)
        .unwrap()
        .with_scaler(scaler);
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    // the test set, once, at the end
    let test = evaluate(
        trainer.model(),
        &parts.test,
        LossKind::CrossEntropyWithLogits,
    )
    .unwrap();
    assert!(test.accuracy.unwrap() > 0.93, "{test:?}");
}
