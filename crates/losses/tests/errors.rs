//! Every `LossError` variant, produced by the input that causes it, with its
//! message naming the offending shape, position or value. Bad input is an
//! error from `value`, `gradient` and `value_and_gradient` alike, never a
//! panic or a NaN.

mod common;

use common::every_loss;
use losses::{FocalBinary, FocalMulticlass, Huber, Loss, LossError, LossKind};
use ndarray::{Array2, array};

/// Runs all three entry points and checks they report the same error.
fn error_of(loss: &dyn Loss, pred: &Array2<f64>, target: &Array2<f64>) -> LossError {
    let from_value = loss.value(pred.view(), target.view()).unwrap_err();
    let from_gradient = loss.gradient(pred.view(), target.view()).unwrap_err();
    let from_both = loss
        .value_and_gradient(pred.view(), target.view())
        .unwrap_err();
    // compared as messages: a NaN inside the error never equals itself
    assert_eq!(
        from_value.to_string(),
        from_gradient.to_string(),
        "{}",
        loss.name()
    );
    assert_eq!(
        from_value.to_string(),
        from_both.to_string(),
        "{}",
        loss.name()
    );
    from_value
}

#[test]
fn shape_mismatch_names_both_shapes() {
    for (_, loss) in every_loss() {
        let err = error_of(
            &*loss,
            &Array2::from_elem((2, 3), 0.5),
            &Array2::from_elem((3, 2), 0.5),
        );
        assert_eq!(
            err,
            LossError::ShapeMismatch {
                pred: (2, 3),
                target: (3, 2)
            }
        );
        assert_eq!(
            err.to_string(),
            "prediction has shape (2, 3) but target has shape (3, 2); they must match"
        );
    }
}

#[test]
fn empty_batch_is_an_error_not_a_nan() {
    for (_, loss) in every_loss() {
        for shape in [(0, 3), (4, 0), (0, 0)] {
            let empty = Array2::zeros(shape);
            let err = error_of(&*loss, &empty, &empty);
            assert_eq!(err, LossError::EmptyBatch { shape });
            assert!(err.to_string().contains(&format!("{shape:?}")), "{err}");
        }
    }
}

#[test]
fn nan_and_infinity_name_the_array_row_column_and_value() {
    for (_, loss) in every_loss() {
        let ok = Array2::from_elem((2, 3), 0.5);
        let mut bad = ok.clone();
        bad[[1, 2]] = f64::NAN;
        let err = error_of(&*loss, &bad, &ok);
        assert!(
            matches!(err, LossError::NotFinite { which: "prediction", row: 1, col: 2, value } if value.is_nan())
        );
        assert_eq!(
            err.to_string(),
            "prediction[1, 2] = NaN is not a finite number"
        );

        let mut bad = ok.clone();
        bad[[0, 1]] = f64::NEG_INFINITY;
        let err = error_of(&*loss, &ok, &bad);
        assert_eq!(
            err,
            LossError::NotFinite {
                which: "target",
                row: 0,
                col: 1,
                value: f64::NEG_INFINITY
            }
        );
        assert_eq!(
            err.to_string(),
            "target[0, 1] = -inf is not a finite number"
        );
    }
}

#[test]
fn probabilities_outside_the_unit_interval_are_rejected_by_probability_losses_only() {
    let target = Array2::from_elem((2, 2), 1.0);
    for (kind, loss) in every_loss() {
        for bad_p in [1.5, -0.25] {
            let mut pred = Array2::from_elem((2, 2), 0.5);
            pred[[1, 0]] = bad_p;
            let result = loss.value(pred.view(), target.view());
            match kind {
                LossKind::Bce
                | LossKind::CrossEntropy
                | LossKind::FocalBinary { .. }
                | LossKind::FocalMulticlass { .. } => {
                    let err = error_of(&*loss, &pred, &target);
                    assert_eq!(
                        err,
                        LossError::OutOfUnitInterval {
                            which: "prediction",
                            row: 1,
                            col: 0,
                            value: bad_p
                        }
                    );
                    assert_eq!(
                        err.to_string(),
                        format!(
                            "prediction[1, 0] = {bad_p} is outside [0, 1]; this loss expects probabilities"
                        )
                    );
                }
                // regression values and logits may be any real number
                _ => assert!(result.is_ok(), "{kind}: {result:?}"),
            }
        }
    }
}

#[test]
fn classification_targets_outside_the_unit_interval_are_rejected() {
    let pred = Array2::from_elem((1, 3), 0.5);
    let target = array![[0.0, 1.0, 2.0]];
    for (kind, loss) in every_loss() {
        match kind {
            LossKind::Mse | LossKind::Mae | LossKind::Huber { .. } => {
                assert!(loss.value(pred.view(), target.view()).is_ok(), "{kind}");
            }
            _ => {
                let err = error_of(&*loss, &pred, &target);
                assert_eq!(
                    err,
                    LossError::OutOfUnitInterval {
                        which: "target",
                        row: 0,
                        col: 2,
                        value: 2.0
                    },
                    "{kind}"
                );
                assert!(
                    err.to_string()
                        .starts_with("target[0, 2] = 2 is outside [0, 1]"),
                    "{err}"
                );
            }
        }
    }
}

#[test]
fn invalid_hyperparameters_are_refused_at_construction() {
    let inf = f64::INFINITY;
    let cases = [
        (Huber::new(0.0).err(), "delta", 0.0, "a finite number > 0"),
        (Huber::new(-1.0).err(), "delta", -1.0, "a finite number > 0"),
        (Huber::new(inf).err(), "delta", inf, "a finite number > 0"),
        (
            FocalBinary::new(-0.1, 2.0).err(),
            "alpha",
            -0.1,
            "a number in [0, 1]",
        ),
        (
            FocalBinary::new(1.5, 2.0).err(),
            "alpha",
            1.5,
            "a number in [0, 1]",
        ),
        (
            FocalBinary::new(0.25, -1.0).err(),
            "gamma",
            -1.0,
            "a finite number >= 0",
        ),
        (
            FocalBinary::new(0.25, inf).err(),
            "gamma",
            inf,
            "a finite number >= 0",
        ),
        (
            FocalMulticlass::new(-0.5).err(),
            "gamma",
            -0.5,
            "a finite number >= 0",
        ),
    ];
    for (err, name, value, expected) in cases {
        let err = err.expect("must be refused");
        assert_eq!(
            err,
            LossError::InvalidHyperparameter {
                name,
                value,
                expected
            }
        );
        assert_eq!(
            err.to_string(),
            format!("invalid {name} = {value}: expected {expected}")
        );
    }
    // NaN never equals itself, so match on it
    for err in [
        Huber::new(f64::NAN).err().unwrap(),
        FocalBinary::new(f64::NAN, 2.0).err().unwrap(),
        FocalMulticlass::new(f64::NAN).err().unwrap(),
    ] {
        assert!(matches!(err, LossError::InvalidHyperparameter { value, .. } if value.is_nan()));
        assert!(err.to_string().contains("= NaN"), "{err}");
    }
    // the ends of the ranges are valid
    assert!(FocalBinary::new(0.0, 0.0).is_ok() && FocalBinary::new(1.0, 0.0).is_ok());
}

#[test]
fn a_gradient_buffer_of_the_wrong_shape_names_both_shapes() {
    let pred = Array2::from_elem((2, 3), 0.5);
    for (_, loss) in every_loss() {
        let mut grad = Array2::zeros((3, 2));
        let err = loss
            .gradient_into(pred.view(), pred.view(), grad.view_mut())
            .unwrap_err();
        assert_eq!(
            err,
            LossError::GradientShape {
                grad: (3, 2),
                pred: (2, 3)
            }
        );
        assert_eq!(
            err.to_string(),
            "gradient buffer has shape (3, 2) but the prediction has shape (2, 3); they must match"
        );
        let err = loss
            .value_and_gradient_into(pred.view(), pred.view(), grad.view_mut())
            .unwrap_err();
        assert_eq!(
            err,
            LossError::GradientShape {
                grad: (3, 2),
                pred: (2, 3)
            }
        );
    }
}

#[test]
fn an_unknown_name_lists_the_known_ones() {
    let err = "cross_entropy".parse::<LossKind>().unwrap_err();
    assert_eq!(
        err,
        LossError::UnknownLoss {
            name: "cross_entropy".into(),
            known: LossKind::NAMES
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown loss \"cross_entropy\"; known losses: mse, mae, huber, bce, ce, focal, \
         focal_multiclass, bce_logits, ce_logits"
    );
}
