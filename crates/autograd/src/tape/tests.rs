//! Finite-difference checks of every tape operation and of small networks,
//! and the errors for bad input.

use super::*;
use activations::{Activation, ActivationKind, Sigmoid, Tanh};
use gradcheck::{GradientReport, check_gradient, strategies};
use losses::{CrossEntropyWithLogits, Loss, LossError, LossKind, Mse};
use ndarray::{Array2, array};
use proptest::prelude::*;

type Build<'a> = &'a dyn Fn(&mut Tape, &[Var]) -> Result<Var, TapeError>;

/// Fixed, uneven weights $R$: the check differentiates $\sum_{ij} R_{ij} y_{ij}$,
/// which sees every entry of the Jacobian (a plain sum would only see the
/// sums of its columns, and could miss two errors that cancel).
fn weights(shape: (usize, usize)) -> Array2<f64> {
    Array2::from_shape_fn(shape, |(i, j)| {
        1.0 + 0.5 * ((3 * i + 7 * j + 1) as f64).sin()
    })
}

/// Records `params` as parameters, applies `build`, and reduces the result
/// to a scalar (itself if it already is one).
fn record(params: &[Array2<f64>], build: Build<'_>) -> (Tape, Var, Vec<Var>) {
    let mut tape = Tape::new();
    let vars: Vec<Var> = params.iter().map(|p| tape.parameter(p.clone())).collect();
    let y = build(&mut tape, &vars).expect("the test builds valid shapes");
    let out = if tape.value(y).dim() == (1, 1) {
        y
    } else {
        let r = tape.constant(weights(tape.value(y).dim()));
        let ry = tape.mul(y, r).expect("same shape");
        tape.sum(ry)
    };
    (tape, out, vars)
}

/// The tape's gradients of every parameter against central differences.
fn check(params: &[Array2<f64>], build: Build<'_>) -> GradientReport {
    let (mut tape, out, vars) = record(params, build);
    tape.backward(out).expect("scalar output");
    let analytic: Vec<f64> = vars
        .iter()
        .flat_map(|&v| tape.grad(v).expect("parameters get a gradient").to_owned())
        .collect();
    let x: Vec<f64> = params.iter().flat_map(|p| p.iter().copied()).collect();
    let f = |flat: &[f64]| {
        let mut rest = flat;
        let rebuilt: Vec<Array2<f64>> = params
            .iter()
            .map(|p| {
                let (now, later) = rest.split_at(p.len());
                rest = later;
                Array2::from_shape_vec(p.raw_dim(), now.to_vec()).expect("same length")
            })
            .collect();
        let (tape, out, _) = record(&rebuilt, build);
        tape.scalar(out).expect("scalar output")
    };
    check_gradient(f, &x, &analytic)
}

fn mat(rows: usize, cols: usize) -> impl Strategy<Value = Array2<f64>> + Clone {
    strategies::matrix(rows, cols, -2.0..2.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn matmul_t(x in mat(3, 4), w in mat(2, 4)) {
        let r = check(&[x.clone(), w.clone()], &|t, v| t.matmul_t(v[0], v[1]));
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
        // with x a constant, only W is differentiated
        let r = check(&[w], &|t, v| {
            let x = t.constant(x.clone());
            t.matmul_t(x, v[0])
        });
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
    }

    #[test]
    fn add_bias(z in mat(4, 3), b in mat(1, 3)) {
        let r = check(&[z, b], &|t, v| t.add_bias(v[0], v[1]));
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
    }

    #[test]
    fn add_and_mul(a in mat(2, 3), b in mat(2, 3)) {
        for op in [Tape::add, Tape::mul] {
            let r = check(&[a.clone(), b.clone()], &|t, v| op(t, v[0], v[1]));
            prop_assert!(r.passes(gradcheck::GOOD), "{r}");
            // the same variable on both sides: its gradient is the sum of both
            let r = check(std::slice::from_ref(&a), &|t, v| op(t, v[0], v[0]));
            prop_assert!(r.passes(gradcheck::GOOD), "{r}");
        }
    }

    #[test]
    fn every_activation(z in strategies::matrix_away_from(3, 3, -3.0..3.0, &[0.0], 1e-3)) {
        for kind in ActivationKind::ALL {
            let r = check(std::slice::from_ref(&z), &|t, v| Ok(t.activation(v[0], &kind)));
            prop_assert!(r.passes(gradcheck::GOOD), "{}: {r}", kind.name());
        }
    }

    #[test]
    fn softmax_rows(z in mat(3, 4)) {
        let r = check(&[z], &|t, v| Ok(t.softmax_rows(v[0])));
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
    }

    #[test]
    fn sum_and_mean(a in mat(3, 2)) {
        let r = check(std::slice::from_ref(&a), &|t, v| Ok(t.sum(v[0])));
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
        let r = check(&[a], &|t, v| t.mean(v[0]));
        prop_assert!(r.passes(gradcheck::GOOD), "{r}");
    }

    #[test]
    fn every_loss(
        u in strategies::matrix(3, 4, 0.0..1.0),
        regression_target in mat(3, 4),
        labels in strategies::one_hot(3, 4),
        soft in strategies::distributions(3, 4),
    ) {
        for name in LossKind::NAMES {
            let kind = LossKind::from_name(name).expect("known name");
            let loss = kind.build().expect("default hyperparameters are valid");
            let (pred, target) = match kind {
                LossKind::Mse | LossKind::Mae | LossKind::Huber { .. } => (u.mapv(|p| 4.0 * p - 2.0), regression_target.clone()),
                LossKind::BceWithLogits => (u.mapv(|p| 4.0 * p - 2.0), soft.clone()),
                LossKind::CrossEntropyWithLogits => (u.mapv(|p| 4.0 * p - 2.0), soft.clone()),
                // probabilities, kept away from 0 and 1
                _ => (u.mapv(|p| 0.05 + 0.9 * p), labels.clone()),
            };
            // MAE and Huber have kinks at ŷ = y and |ŷ − y| = δ
            let gap = (&pred - &target).mapv(f64::abs);
            prop_assume!(gap.iter().all(|&d| d > 1e-3 && (d - 1.0).abs() > 1e-3));
            let r = check(&[pred], &|t, v| t.loss(v[0], target.view(), &*loss));
            prop_assert!(r.passes(gradcheck::GOOD), "{name}: {r}");
        }
    }
}

/// A one-hidden-layer network $y = f(x W_1^\top + b_1) W_2^\top + b_2$ with
/// its loss, on the tape; `x` and the target are constants.
fn network(
    tape: &mut Tape,
    v: &[Var],
    x: &Array2<f64>,
    target: &Array2<f64>,
    hidden: &dyn Activation,
    loss: &dyn Loss,
) -> Result<Var, TapeError> {
    let (w1, b1, w2, b2) = (v[0], v[1], v[2], v[3]);
    let x = tape.constant(x.clone());
    let xw1 = tape.matmul_t(x, w1)?;
    let z = tape.add_bias(xw1, b1)?;
    let h = tape.activation(z, hidden);
    let hw2 = tape.matmul_t(h, w2)?;
    let y_hat = tape.add_bias(hw2, b2)?;
    tape.loss(y_hat, target.view(), loss)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn whole_networks(
        x in mat(4, 3),
        w1 in mat(5, 3), b1 in mat(1, 5),
        w2 in mat(2, 5), b2 in mat(1, 2),
        target in strategies::distributions(4, 2),
        activation in 0..ActivationKind::ALL.len(),
        loss_name in prop::sample::select(vec!["mse", "huber", "bce_logits", "ce_logits"]),
    ) {
        let hidden = ActivationKind::ALL[activation];
        let loss = LossKind::from_name(loss_name).expect("known").build().expect("valid");
        // keep ReLU-like kinks out of the hidden pre-activations
        let z = x.dot(&w1.t()) + &b1;
        prop_assume!(z.iter().all(|v| v.abs() > 1e-3));
        let r = check(&[w1, b1, w2, b2], &|t, v| network(t, v, &x, &target, &hidden, &*loss));
        prop_assert!(r.passes(gradcheck::GOOD), "{} + {loss_name}: {r}", hidden.name());
    }
}

#[test]
fn a_wrong_backward_rule_would_be_caught() {
    // the check is not vacuous: Wᵀ in place of W in x̄ = ȳW fails it
    let (x, w) = (
        array![[0.5, -1.0], [2.0, 0.3]],
        array![[1.0, 2.0], [-0.5, 0.7]],
    );
    let (mut tape, out, vars) = record(&[x.clone(), w.clone()], &|t, v| t.matmul_t(v[0], v[1]));
    tape.backward(out).unwrap();
    let y_bar = weights((2, 2));
    let wrong_x_bar = y_bar.dot(&w.t());
    let right_x_bar = tape.grad(vars[0]).unwrap().to_owned();
    assert_eq!(right_x_bar, y_bar.dot(&w));
    let analytic: Vec<f64> = wrong_x_bar
        .iter()
        .chain(tape.grad(vars[1]).unwrap().iter())
        .copied()
        .collect();
    let flat: Vec<f64> = x.iter().chain(w.iter()).copied().collect();
    let f = |p: &[f64]| {
        let x = Array2::from_shape_vec((2, 2), p[..4].to_vec()).unwrap();
        let w = Array2::from_shape_vec((2, 2), p[4..].to_vec()).unwrap();
        (x.dot(&w.t()) * weights((2, 2))).sum()
    };
    assert!(!check_gradient(f, &flat, &analytic).passes(gradcheck::WRONG));
}

#[test]
fn constants_store_no_gradient_and_shared_inputs_sum() {
    let mut tape = Tape::new();
    let x = tape.constant(array![[1.0, 2.0]]);
    let w = tape.parameter(array![[3.0, 4.0]]);
    let fixed = tape.constant(array![[0.5, 0.5]]);
    // y = x·wᵀ + x·fixedᵀ: only w is trainable; x is used twice
    let a = tape.matmul_t(x, w).unwrap();
    let b = tape.matmul_t(x, fixed).unwrap();
    let only_constants = tape.sum(b);
    let y = tape.add(a, b).unwrap();
    let l = tape.sum(y);
    tape.backward(l).unwrap();
    assert_eq!(tape.grad(w).unwrap(), array![[1.0, 2.0]]);
    assert!(tape.grad(x).is_none());
    assert!(tape.grad(fixed).is_none());
    assert!(tape.grad(b).is_none(), "computed from constants only");
    assert!(tape.grad(only_constants).is_none());
    assert!(tape.is_parameter(w) && !tape.is_parameter(x) && !tape.is_parameter(a));

    // a parameter used twice gets both contributions: Σ (w ⊙ w) → 2w
    let mut tape = Tape::new();
    let w = tape.parameter(array![[3.0, -4.0]]);
    let ww = tape.mul(w, w).unwrap();
    let l = tape.sum(ww);
    tape.backward(l).unwrap();
    assert_eq!(tape.grad(w).unwrap(), array![[6.0, -8.0]]);
}

#[test]
fn backward_twice_gives_the_same_gradients() {
    let mut tape = Tape::new();
    let x = tape.constant(array![[0.2, -0.4], [1.0, 0.5]]);
    let w = tape.parameter(array![[0.3, -0.7], [0.1, 0.9]]);
    let z = tape.matmul_t(x, w).unwrap();
    let h = tape.activation(z, &Tanh);
    let l = tape.mean(h).unwrap();
    tape.backward(l).unwrap();
    let first = tape.grad(w).unwrap().to_owned();
    tape.backward(l).unwrap();
    assert_eq!(tape.grad(w).unwrap(), first);
    assert!(
        tape.grad(z).is_some(),
        "intermediate results keep their gradient"
    );
}

#[test]
fn backward_from_an_intermediate_scalar_ignores_later_operations() {
    let mut tape = Tape::new();
    let a = tape.parameter(array![[2.0]]);
    let s = tape.sum(a);
    let later = tape.mul(s, s).unwrap();
    tape.backward(s).unwrap();
    assert_eq!(tape.grad(a).unwrap(), array![[1.0]]);
    assert!(tape.grad(later).is_none());
}

#[test]
fn the_lecture_network_on_the_tape_matches_the_hand_formulas() {
    use crate::lecture::{WORKED_EXAMPLE, gradients};
    let (x, y, p) = WORKED_EXAMPLE;
    let mut tape = Tape::new();
    let v = [
        tape.parameter(array![[p.w1]]),
        tape.parameter(array![[p.b1]]),
        tape.parameter(array![[p.w2]]),
        tape.parameter(array![[p.b2]]),
    ];
    // MSE on one number is (y − ŷ)², twice the lecture's ½(y − ŷ)²
    let l = network(&mut tape, &v, &array![[x]], &array![[y]], &Sigmoid, &Mse).unwrap();
    tape.backward(l).unwrap();
    let hand = gradients(&p, &p.forward(x, y));
    let half = |var: Var| tape.grad(var).unwrap()[[0, 0]] / 2.0;
    let tape_grads = [half(v[2]), half(v[3]), half(v[0]), half(v[1])];
    for (t, h) in tape_grads.iter().zip(hand.to_array()) {
        assert!((t - h).abs() < 1e-15, "{tape_grads:?} vs {hand:?}");
    }
}

#[test]
fn bad_shapes_are_errors_that_name_them() {
    let mut tape = Tape::new();
    let x = tape.constant(Array2::zeros((4, 3)));
    let w = tape.parameter(Array2::zeros((2, 5)));
    let err = tape.matmul_t(x, w).unwrap_err();
    assert_eq!(
        err,
        TapeError::ShapeMismatch {
            op: "matmul_t",
            left: (4, 3),
            right: (2, 5),
            rule: "x must be n × in and W out × in (the same number of columns)"
        }
    );
    assert!(err.to_string().contains("(4, 3)") && err.to_string().contains("(2, 5)"));

    let b = tape.parameter(Array2::zeros((2, 3)));
    assert!(matches!(
        tape.add_bias(x, b),
        Err(TapeError::ShapeMismatch { op: "add_bias", .. })
    ));
    let c = tape.parameter(Array2::zeros((3, 4)));
    assert!(matches!(
        tape.add(x, c),
        Err(TapeError::ShapeMismatch { op: "add", .. })
    ));
    assert!(matches!(
        tape.mul(x, c),
        Err(TapeError::ShapeMismatch { op: "mul", .. })
    ));

    let empty = tape.parameter(Array2::zeros((0, 3)));
    assert_eq!(
        tape.mean(empty),
        Err(TapeError::Empty {
            op: "mean",
            shape: (0, 3)
        })
    );

    assert_eq!(
        tape.backward(x),
        Err(TapeError::NotScalar {
            op: "backward",
            shape: (4, 3)
        })
    );
    assert!(tape.scalar(x).unwrap_err().to_string().contains("(4, 3)"));

    let err = tape
        .loss(x, Array2::zeros((4, 2)).view(), &CrossEntropyWithLogits)
        .unwrap_err();
    assert!(
        matches!(err, TapeError::Loss(LossError::ShapeMismatch { .. })),
        "{err}"
    );
    assert!(err.to_string().starts_with("loss: "));
}

#[test]
#[should_panic(expected = "made by another Tape")]
fn a_var_from_another_tape_is_a_bug() {
    let mut one = Tape::new();
    let mut other = Tape::new();
    let a = one.parameter(array![[1.0]]);
    other.sum(a);
}

#[test]
fn extreme_inputs_give_finite_gradients() {
    let mut tape = Tape::new();
    let z = tape.parameter(array![[1000.0, -1000.0, 0.0], [-800.0, 800.0, 5.0]]);
    let s = tape.softmax_rows(z);
    let h = tape.activation(z, &Sigmoid);
    let a = tape.mul(s, h).unwrap();
    let l1 = tape.sum(a);
    let l2 = tape
        .loss(
            z,
            array![[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]].view(),
            &CrossEntropyWithLogits,
        )
        .unwrap();
    let l = tape.add(l1, l2).unwrap();
    tape.backward(l).unwrap();
    assert!(tape.scalar(l).unwrap().is_finite());
    assert!(tape.grad(z).unwrap().iter().all(|g| g.is_finite()));
}
