//! Standardisation: fitted on the training part only, mean 0 / std 1 there,
//! no NaN from constant features, serializable for checkpoints.

use datasets::{self, Fractions, Standardizer, split};
use gradcheck::{assert_all_close, assert_close};
use ndarray::{Array1, Array2, ArrayView1, Axis, array};
use proptest::prelude::*;

fn mean(v: ArrayView1<f64>) -> f64 {
    v.sum() / v.len() as f64
}

/// Population standard deviation (divide by n), as the scaler uses.
fn std(v: ArrayView1<f64>) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

#[test]
fn digits_train_part_has_mean_0_and_std_1_except_constant_pixels() {
    let parts = split(&datasets::digits(), Fractions::default(), 0).unwrap();
    let (parts, scaler) = parts.standardize().unwrap();
    let z = parts.train.x();
    for j in 0..64 {
        let column = z.column(j);
        assert!(
            mean(column).abs() < 1e-12,
            "feature {j}: mean {}",
            mean(column)
        );
        if scaler.scale()[j] == 1.0 && column.iter().all(|&v| v == 0.0) {
            continue; // a pixel that is constant on the training part
        }
        assert_close(std(column), 1.0, &format!("std of feature {j}"));
    }
    assert!(
        [&parts.train, &parts.validation, &parts.test]
            .iter()
            .all(|p| p.x().iter().all(|v| v.is_finite())),
        "NaN or inf after standardisation"
    );
}

#[test]
fn constant_pixels_become_zero_not_nan() {
    let digits = datasets::digits();
    let scaler = Standardizer::fit(digits.x().view()).unwrap();
    let z = scaler.apply(digits).unwrap();
    for j in [0, 32, 39] {
        assert_eq!(scaler.scale()[j], 1.0, "pixel {j}");
        assert!(z.x().column(j).iter().all(|&v| v == 0.0), "pixel {j}");
    }
}

#[test]
fn the_other_parts_use_the_training_statistics() {
    let iris = datasets::iris();
    let parts = split(&iris, Fractions::new(0.6, 0.2, 0.2).unwrap(), 4).unwrap();
    let raw_test = parts.test.x().clone();
    let train_mean = parts.train.x().mean_axis(Axis(0)).unwrap();
    let train_std: Array1<f64> = parts.train.x().columns().into_iter().map(std).collect();
    let (scaled, scaler) = parts.standardize().unwrap();

    assert_all_close(scaler.mean(), &train_mean, "mean");
    assert_all_close(scaler.scale(), &train_std, "scale");
    let expected = (&raw_test - &train_mean) / &train_std;
    assert_all_close(scaled.test.x(), &expected, "test part");

    // Fitting on the test part itself would give other numbers (the leak
    // this design avoids): its mean would be exactly 0.
    let own = Standardizer::fit(raw_test.view()).unwrap();
    assert!((own.mean() - &train_mean).iter().any(|d| d.abs() > 1e-3));
    assert!(
        scaled
            .test
            .x()
            .mean_axis(Axis(0))
            .unwrap()
            .iter()
            .any(|m| m.abs() > 1e-3)
    );
}

#[test]
fn a_feature_constant_on_train_but_not_on_test_stays_finite() {
    let train = array![[5.0, 1.0], [5.0, 2.0]];
    let test = array![[7.0, 3.0]];
    let scaler = Standardizer::fit(train.view()).unwrap();
    let z = scaler.transform(test.view()).unwrap();
    assert_eq!(z, array![[2.0, 3.0]]); // (7 − 5)/1 and (3 − 1.5)/0.5
}

#[test]
fn the_scaler_round_trips_through_json() {
    let scaler = Standardizer::fit(datasets::iris().x().view()).unwrap();
    let json = serde_json::to_string(&scaler).unwrap();
    let back: Standardizer = serde_json::from_str(&json).unwrap();
    assert_eq!(back, scaler);
}

#[test]
fn a_corrupted_scaler_in_a_checkpoint_is_an_error() {
    let cases = [
        (
            r#"{"mean":{"v":1,"dim":[2],"data":[0.0,1.0]},"scale":{"v":1,"dim":[2],"data":[1.0,0.0]}}"#,
            "invalid scale = 0: expected a finite number > 0",
        ),
        (
            r#"{"mean":{"v":1,"dim":[2],"data":[0.0,1.0]},"scale":{"v":1,"dim":[1],"data":[1.0]}}"#,
            "scale has 1 feature columns but 2 were expected",
        ),
    ];
    for (json, message) in cases {
        let err = serde_json::from_str::<Standardizer>(json).unwrap_err();
        assert!(err.to_string().starts_with(message), "{err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any matrix with spread-out columns: after fitting, each column has
    /// mean 0 and std 1, and the inverse gives the input back.
    #[test]
    fn fitted_columns_have_mean_0_std_1_and_invert(
        rows in 2usize..40,
        cols in 1usize..6,
        seed in any::<u64>(),
        offset in -1e3..1e3f64,
        spread in 1e-3..1e3f64,
    ) {
        use rand::{RngExt, SeedableRng, rngs::StdRng};
        let mut rng = StdRng::seed_from_u64(seed);
        let mut x = Array2::from_shape_fn((rows, cols), |_| offset + spread * rng.random::<f64>());
        // make sure no column is constant by accident
        for j in 0..cols {
            x[[0, j]] = offset;
            x[[1, j]] = offset + spread;
        }
        let scaler = Standardizer::fit(x.view()).unwrap();
        let z = scaler.transform(x.view()).unwrap();
        for column in z.columns() {
            prop_assert!(mean(column).abs() < 1e-9, "mean {}", mean(column));
            prop_assert!((std(column) - 1.0).abs() < 1e-9, "std {}", std(column));
        }
        let back = scaler.inverse_transform(z.view()).unwrap();
        for (a, b) in back.iter().zip(&x) {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
        }
    }

    /// A column of one repeated value gives zeros, never NaN.
    #[test]
    fn constant_columns_give_zeros(value in -1e6..1e6f64, rows in 1usize..50) {
        let x = Array2::from_elem((rows, 2), value);
        let z = Standardizer::fit(x.view()).unwrap().transform(x.view()).unwrap();
        prop_assert!(z.iter().all(|&v| v == 0.0), "{}", z);
    }
}
