//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use gradcheck::{GradientReport, check_gradient};
use losses::{Loss, LossKind};
use ndarray::{Array2, ArrayView2};

/// Every loss, built by name with its default hyperparameters.
pub fn every_loss() -> Vec<(LossKind, Box<dyn Loss + Send + Sync>)> {
    LossKind::NAMES
        .iter()
        .map(|name| {
            let kind = LossKind::from_name(name).unwrap();
            (kind, kind.build().unwrap())
        })
        .collect()
}

/// The analytic gradient of `loss` against central differences of its
/// value, over the flattened prediction.
pub fn gradient_report(
    loss: &dyn Loss,
    pred: &Array2<f64>,
    target: &Array2<f64>,
) -> GradientReport {
    let analytic = loss.gradient(pred.view(), target.view()).unwrap();
    let shape = pred.dim();
    let pred = pred.as_standard_layout().to_owned();
    let value = |x: &[f64]| {
        let pred = ArrayView2::from_shape(shape, x).unwrap();
        loss.value(pred, target.view()).unwrap()
    };
    check_gradient(
        value,
        pred.as_slice().unwrap(),
        &analytic.iter().copied().collect::<Vec<_>>(),
    )
}

/// A prediction and target that are valid for `kind`: logits or real values
/// in about $[-3, 3]$, probabilities in $(0, 1)$, classification targets in
/// $[0, 1]$; deterministic, with no residual at a kink.
pub fn sample_batch(kind: LossKind, n: usize, k: usize) -> (Array2<f64>, Array2<f64>) {
    // a fixed irrational walk: no randomness needed, no two entries equal
    let t = |i: usize, j: usize, s: f64| ((i * k + j) as f64 * 0.754_877_666 + s).fract();
    let real = Array2::from_shape_fn((n, k), |(i, j)| 6.0 * t(i, j, 0.1) - 3.0);
    let unit = |s| Array2::from_shape_fn((n, k), |(i, j)| 0.05 + 0.9 * t(i, j, s));
    match kind {
        LossKind::Mse | LossKind::Mae | LossKind::Huber { .. } => (
            real,
            Array2::from_shape_fn((n, k), |(i, j)| 4.0 * t(i, j, 0.37) - 2.0),
        ),
        LossKind::BceWithLogits | LossKind::CrossEntropyWithLogits => (real, unit(0.61)),
        _ => (unit(0.23), unit(0.61)),
    }
}
