//! The learning-rate range test: the sweep, the stop, and a suggestion that trains.

use activations::ActivationKind;
use datasets::{self, Fractions};
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp};
use optim::OptimizerConfig;
use trainer::lr_finder::{LrFinderConfig, lr_range_test};
use trainer::{Silent, TrainConfig, TrainError, Trainer};

fn net() -> Mlp {
    let arch = Architecture::new([2, 16, 2], ActivationKind::Tanh, Head::Softmax).unwrap();
    Mlp::new(&arch, Init::Xavier, 3).unwrap()
}

#[test]
fn the_suggestion_lies_in_the_range_and_trains() {
    let set = datasets::two_moons(400, 0.15, 2).unwrap();
    let parts = datasets::split(&set, Fractions::new(0.75, 0.25, 0.0).unwrap(), 2).unwrap();
    let model = net();
    let config = LrFinderConfig {
        end_lr: 10.0,
        ..LrFinderConfig::new(LossKind::CrossEntropyWithLogits)
    };
    let result = lr_range_test(&model, &parts.train, &config).unwrap();
    assert_eq!(model, net(), "the network passed in is not trained");

    // an exponential sweep: constant ratio between consecutive rates
    let lrs = &result.learning_rates;
    assert_eq!(lrs[0], 1e-6);
    let ratio = (10.0f64 / 1e-6).powf(1.0 / 199.0);
    assert!(
        lrs.windows(2)
            .all(|w| (w[1] / w[0] / ratio - 1.0).abs() < 1e-12)
    );
    assert_eq!(
        (result.losses.len(), result.smoothed.len()),
        (lrs.len(), lrs.len())
    );
    // Adam up to η = 10 blows up before the end, and the sweep stops there
    assert!(
        result.stopped_early && lrs.len() < 200,
        "{} points",
        lrs.len()
    );
    let min = result
        .smoothed
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    assert!(*result.smoothed.last().unwrap() > 4.0 * min);

    assert!(
        result.suggestion > 1e-6 && result.suggestion < 10.0,
        "{}",
        result.suggestion
    );
    assert_eq!(result.suggestion, result.min_loss_lr / 10.0);
    assert!(result.steepest_lr <= result.min_loss_lr);
    // the loss at the suggested rate's point is clearly below the start
    assert!(
        min < 0.8 * result.smoothed[0],
        "the loss fell during the sweep"
    );

    let train = TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(30)
        .with_batch_size(32)
        .with_learning_rate(result.suggestion);
    let mut trainer = Trainer::new(net(), train).unwrap();
    trainer
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();
    let last = trainer.history().last().unwrap();
    assert!(
        last.val_accuracy.unwrap() > 0.9,
        "η = {}: {last:?}",
        result.suggestion
    );
}

#[test]
fn a_sweep_without_blowup_runs_to_the_end() {
    let set = datasets::two_moons(200, 0.15, 4).unwrap();
    let config = LrFinderConfig {
        start_lr: 1e-5,
        end_lr: 1e-2,
        steps: 50,
        optimizer: OptimizerConfig::from_name("sgd").unwrap(),
        ..LrFinderConfig::new(LossKind::CrossEntropyWithLogits)
    };
    let result = lr_range_test(&net(), &set, &config).unwrap();
    assert!(!result.stopped_early);
    assert_eq!(result.learning_rates.len(), 50);
    assert!((result.learning_rates[49] - 1e-2).abs() < 1e-15);
}

#[test]
fn bad_settings_are_errors() {
    let set = datasets::two_moons(50, 0.1, 1).unwrap();
    let base = LrFinderConfig::new(LossKind::CrossEntropyWithLogits);
    let cases = [
        (
            LrFinderConfig {
                end_lr: 1e-7,
                ..base.clone()
            },
            "invalid end_lr = 0.0000001: expected a finite number > start_lr",
        ),
        (
            LrFinderConfig {
                steps: 1,
                ..base.clone()
            },
            "invalid steps = 1: expected at least 2",
        ),
        (
            LrFinderConfig {
                smoothing: 1.0,
                ..base.clone()
            },
            "invalid smoothing = 1: expected a number in [0, 1)",
        ),
        (
            LrFinderConfig {
                batch_size: 0,
                ..base.clone()
            },
            "batch size must be at least 1, got 0",
        ),
    ];
    for (config, message) in cases {
        assert_eq!(
            lr_range_test(&net(), &set, &config)
                .unwrap_err()
                .to_string(),
            message
        );
    }
    let mse = LrFinderConfig::new(LossKind::Mse);
    assert!(matches!(
        lr_range_test(&net(), &set, &mse),
        Err(TrainError::Model(_))
    ));
}
