//! Bad input is an error that names the problem, and leaves the parameters
//! and the optimizer as they were.

use ndarray::{ArrayD, IxDyn, array};
use optim::{Adam, OptimError, Optimizer, OptimizerConfig, Resumable, Sgd};

fn every_optimizer() -> Vec<Box<dyn Resumable>> {
    OptimizerConfig::NAMES
        .iter()
        .map(|name| OptimizerConfig::from_name(name).unwrap().build().unwrap())
        .collect()
}

fn ones(shape: &[usize]) -> ArrayD<f64> {
    ArrayD::ones(IxDyn(shape))
}

#[test]
fn count_mismatch_names_both_counts() {
    for mut opt in every_optimizer() {
        let mut w = ones(&[3]);
        let (g1, g2) = (ones(&[3]), ones(&[3]));
        let err = opt
            .step(&mut [w.view_mut()], &[g1.view(), g2.view()])
            .unwrap_err();
        assert_eq!(
            err,
            OptimError::CountMismatch {
                params: 1,
                grads: 2
            }
        );
        assert!(
            err.to_string()
                .contains("1 parameter tensors but 2 gradients"),
            "{err}"
        );
        assert_eq!(w, ones(&[3]));
        assert_eq!(opt.steps_taken(), 0);
    }
}

#[test]
fn shape_mismatch_names_the_tensor_and_shapes() {
    for mut opt in every_optimizer() {
        let (mut a, mut b) = (ones(&[2]), ones(&[2, 3]));
        let (ga, gb) = (ones(&[2]), ones(&[3, 2]));
        let err = opt
            .step(&mut [a.view_mut(), b.view_mut()], &[ga.view(), gb.view()])
            .unwrap_err();
        assert_eq!(
            err,
            OptimError::ShapeMismatch {
                index: 1,
                param: vec![2, 3],
                grad: vec![3, 2]
            }
        );
        assert!(
            err.to_string().contains("parameter 1 has shape [2, 3]"),
            "{err}"
        );
        // the valid tensor 0 was not updated either: the step is all or nothing
        assert_eq!(a, ones(&[2]), "{}", opt.name());
    }
}

#[test]
fn a_shape_that_changes_between_steps_is_an_error() {
    for mut opt in every_optimizer() {
        let (mut w, g) = (ones(&[2, 2]), ones(&[2, 2]));
        opt.step(&mut [w.view_mut()], &[g.view()]).unwrap();
        let (mut w2, g2) = (ones(&[4]), ones(&[4]));
        let err = opt.step(&mut [w2.view_mut()], &[g2.view()]).unwrap_err();
        assert_eq!(
            err,
            OptimError::ShapeChanged {
                index: 0,
                before: vec![2, 2],
                now: vec![4]
            }
        );
        assert_eq!(
            opt.steps_taken(),
            1,
            "{}: a failed step must not count",
            opt.name()
        );
        assert_eq!(w2, ones(&[4]));
    }
}

#[test]
fn a_count_that_changes_between_steps_is_an_error() {
    for mut opt in every_optimizer() {
        let (mut a, mut b, g) = (ones(&[2]), ones(&[2]), ones(&[2]));
        opt.step(&mut [a.view_mut(), b.view_mut()], &[g.view(), g.view()])
            .unwrap();
        let err = opt.step(&mut [a.view_mut()], &[g.view()]).unwrap_err();
        assert_eq!(err, OptimError::CountChanged { before: 2, now: 1 });
        let (mut c, gc) = (ones(&[1]), ones(&[1]));
        let err = opt
            .step(
                &mut [a.view_mut(), b.view_mut(), c.view_mut()],
                &[g.view(), g.view(), gc.view()],
            )
            .unwrap_err();
        assert_eq!(err, OptimError::IndexOutOfRange { index: 2, count: 2 });
    }
}

#[test]
fn a_non_finite_gradient_is_located() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for mut opt in every_optimizer() {
            let (mut a, mut b) = (ones(&[3]), ones(&[2, 3]));
            let ga = ones(&[3]);
            let mut gb = ones(&[2, 3]);
            gb[[1, 2]] = bad;
            let err = opt
                .step(&mut [a.view_mut(), b.view_mut()], &[ga.view(), gb.view()])
                .unwrap_err();
            match &err {
                OptimError::NonFiniteGradient {
                    index: 1,
                    position,
                    value,
                } => {
                    assert_eq!(position, &vec![1, 2]);
                    assert!(value.is_nan() == bad.is_nan() && (bad.is_nan() || *value == bad));
                }
                other => panic!("{}: expected NonFiniteGradient, got {other:?}", opt.name()),
            }
            assert!(err.to_string().contains("gradient 1"), "{err}");
            assert!(a == ones(&[3]) && b == ones(&[2, 3]), "nothing may change");
        }
    }
}

#[test]
fn an_invalid_scheduled_learning_rate_is_reported_at_the_next_step() {
    for mut opt in every_optimizer() {
        let (mut w, g) = (ones(&[2]), ones(&[2]));
        opt.set_learning_rate(0.0); // a schedule may reach 0: allowed, and nothing moves
        opt.step(&mut [w.view_mut()], &[g.view()]).unwrap();
        assert_eq!(w, ones(&[2]), "{}", opt.name());
        for bad in [-0.1, f64::NAN, f64::INFINITY] {
            opt.set_learning_rate(bad);
            let err = opt.step(&mut [w.view_mut()], &[g.view()]).unwrap_err();
            assert!(
                matches!(err, OptimError::InvalidHyperparameter { name: "eta", .. }),
                "{err}"
            );
            assert!(err.to_string().contains("eta"), "{err}");
        }
        assert_eq!(opt.steps_taken(), 1);
    }
}

#[test]
fn a_mismatching_state_is_refused_and_changes_nothing() {
    let mut adam = Adam::new(0.1).unwrap();
    let (mut w, g) = (array![1.0, 2.0].into_dyn(), array![0.5, -0.5].into_dyn());
    adam.step(&mut [w.view_mut()], &[g.view()]).unwrap();
    let good = adam.state();

    // another optimizer's state
    let mut sgd = Sgd::new(0.1).unwrap();
    let err = sgd.load_state(good.clone()).unwrap_err();
    assert!(err.to_string().contains("\"adam\""), "{err}");

    let mut fresh = Adam::new(0.1).unwrap();
    let before = fresh.state();
    let broken = |f: &dyn Fn(&mut optim::OptimizerState)| {
        let mut s = good.clone();
        f(&mut s);
        s
    };
    let cases = [
        (broken(&|s| s.optimizer = "adamw".into()), "adamw"),
        (
            broken(&|s| {
                let t = s.tensors[0].as_mut().unwrap();
                t.buffers.insert("v".into(), ArrayD::zeros(IxDyn(&[3])));
            }),
            "shape [3]",
        ),
        (
            broken(&|s| {
                let t = s.tensors[0].as_mut().unwrap();
                let m = t.buffers.remove("m").unwrap();
                t.buffers.insert("s".into(), m);
            }),
            "expected [\"m\", \"v\"]",
        ),
        (
            broken(&|s| s.tensors[0].as_mut().unwrap().buffers.get_mut("m").unwrap()[0] = f64::NAN),
            "non-finite",
        ),
        (broken(&|s| s.t = 0), "t = 0"),
        (broken(&|s| s.learning_rate = -1.0), "eta = -1"),
    ];
    for (state, needle) in cases {
        let err = fresh.load_state(state).unwrap_err();
        assert!(
            err.to_string().contains(needle),
            "{err} should mention {needle}"
        );
        assert_eq!(fresh.state(), before, "a refused state must change nothing");
    }
    fresh.load_state(good.clone()).unwrap();
    assert_eq!(fresh.state(), good);
}

#[test]
fn invalid_hyperparameters_name_the_value() {
    let cases: [(&str, &str); 6] = [
        (r#"{"optimizer": "sgd", "eta": 0}"#, "eta = 0"),
        (r#"{"optimizer": "momentum", "mu": 1}"#, "mu = 1"),
        (r#"{"optimizer": "nesterov", "mu": -0.5}"#, "mu = -0.5"),
        (r#"{"optimizer": "rmsprop", "rho": 1.5}"#, "rho = 1.5"),
        (r#"{"optimizer": "adam", "eps": 0}"#, "eps = 0"),
        (
            r#"{"optimizer": "adamw", "weight_decay": -1}"#,
            "weight_decay = -1",
        ),
    ];
    for (json, needle) in cases {
        let config: OptimizerConfig = serde_json::from_str(json).unwrap();
        let err = config.build().unwrap_err();
        assert!(
            err.to_string().contains(needle),
            "{err} should mention {needle}"
        );
    }
}
