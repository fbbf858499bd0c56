//! The engine (preallocated buffers, fused passes) computes what the
//! lecture's plain code computes: a whole training run of
//! [`Trainer::fit`] ends with the weights of [`mlp::train::fit`] to 1e-12.

use activations::ActivationKind;
use losses::LossKind;
use mlp::train::{NoHooks, Settings, fit};
use mlp::{Architecture, Head, Init, Mlp, Objective};
use schedulers::ScheduleConfig;
use trainer::{ScheduleUnit, Silent, TrainConfig, Trainer};

fn assert_same_weights(fast: &Mlp, plain: &Mlp, what: &str) {
    for (a, b) in fast.to_vec().iter().zip(plain.to_vec()) {
        assert!(
            (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
            "{what}: engine {a} vs plain {b}"
        );
    }
}

#[test]
fn the_engine_trains_exactly_like_the_plain_loop() {
    let moons = datasets::two_moons(300, 0.2, 3).unwrap();
    let y = datasets::one_hot(moons.labels().unwrap(), 2).unwrap();
    let schedule = ScheduleConfig::CosineAnnealing {
        eta_min: 1e-3,
        eta_max: 0.02,
        total_steps: 200,
    };
    for (hidden, loss) in [
        (ActivationKind::Relu, LossKind::CrossEntropyWithLogits),
        (ActivationKind::Tanh, LossKind::CrossEntropy),
        (ActivationKind::Sigmoid, LossKind::CrossEntropyWithLogits),
    ] {
        let arch = Architecture::new([2, 16, 16, 2], hidden, Head::Softmax).unwrap();
        let net = Mlp::new(&arch, Init::Xavier, 5).unwrap();
        let config = TrainConfig::new(loss)
            .with_epochs(8)
            .with_batch_size(32)
            .with_seed(11)
            .with_schedule(schedule.clone(), ScheduleUnit::Batch);

        let mut trainer = Trainer::new(net.clone(), config.clone()).unwrap();
        trainer.fit(&moons, None, &mut Silent).unwrap();

        let mut plain = net;
        let objective = Objective::new(Head::Softmax, loss).unwrap();
        let mut optimizer = config.optimizer.build().unwrap();
        let schedule = schedule.build().unwrap();
        let settings = Settings {
            epochs: 8,
            batch_size: 32,
            seed: 11,
            shuffle: true,
            schedule: Some(&*schedule),
        };
        let data = (moons.x().view(), y.view());
        fit(
            &mut plain,
            data,
            &objective,
            &mut optimizer,
            &settings,
            &mut NoHooks,
        )
        .unwrap();
        assert_same_weights(trainer.model(), &plain, &format!("{hidden:?}, {loss:?}"));
    }
}
