//! Every analytic gradient against central finite differences
//! (`gradcheck::check_gradient`, relative error below `gradcheck::GOOD`).
//!
//! Kinks are avoided by a margin of $10^{-3}$ (MAE at a zero residual, Huber
//! at $\lvert a \rvert = \delta$).
//!
//! **Probability losses.** The central difference errs by about
//! $\frac{h^2}{6} f'''$, and near $p = 0$ (or 1) $f'''/f'$ grows like
//! $1/p^2$; with $p \in [0.05, 0.95]$ and $\gamma < 3$ that error stays
//! below $10^{-8}$ of the gradient. Soft targets add a second problem:
//! $-y/p$ and $(1 - y)/(1 - p)$ can cancel to a gradient so small that the
//! truncation error swamps it, whatever the analytic answer. So differences
//! are taken with hard (0/1) targets, and soft targets are covered by
//! `soft_targets_mix_the_hard_gradients`: each of these losses is affine in
//! $y$ entry by entry, hence so is its gradient, which must equal
//! $y \odot g(p, 1) + (1 - y) \odot g(p, 0)$. (The PyTorch reference values
//! cover soft targets as well.) Logit and regression losses have small
//! bounded third derivatives and are checked with soft targets directly.

mod common;

use common::gradient_report;
use gradcheck::strategies::{distributions, matrix, matrix_away_from, one_hot, probabilities};
use losses::{
    Bce, BceWithLogits, CrossEntropy, CrossEntropyWithLogits, FocalBinary, FocalMulticlass, Huber,
    Loss, Mae, Mse,
};
use ndarray::Array2;
use proptest::prelude::*;

const MARGIN: f64 = 0.05;

/// Shapes from 1 × 1 to 4 × 5, so both n × 1 and n × k are drawn.
fn shape() -> impl Strategy<Value = (usize, usize)> {
    (1usize..5, 1usize..6)
}

/// An `n × k` matrix of 0s and 1s (binary and multi-label targets).
fn binary(n: usize, k: usize) -> impl Strategy<Value = Array2<f64>> {
    matrix(n, k, 0.0..1.0).prop_map(|m| m.mapv(f64::round))
}

/// Probabilities and hard (0/1) targets of one drawn shape: multi-label or
/// one-hot.
fn probs_and_hard_targets() -> impl Strategy<Value = (Array2<f64>, Array2<f64>)> {
    shape().prop_flat_map(|(n, k)| {
        (
            probabilities(n, k, MARGIN),
            prop_oneof![binary(n, k), one_hot(n, k)],
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn mse((pred, target) in shape().prop_flat_map(|(n, k)| (matrix(n, k, -5.0..5.0), matrix(n, k, -5.0..5.0)))) {
        gradient_report(&Mse, &pred, &target).assert_good();
    }

    #[test]
    fn mae((target, a) in shape().prop_flat_map(|(n, k)| {
        (matrix(n, k, -5.0..5.0), matrix_away_from(n, k, -5.0..5.0, &[0.0], 1e-3))
    })) {
        // a = y − ŷ is kept away from 0, where |a| has its kink
        let pred = &target - &a;
        gradient_report(&Mae, &pred, &target).assert_good();
    }

    #[test]
    fn huber((delta, target, a) in (0.1f64..3.0, shape()).prop_flat_map(|(delta, (n, k))| {
        // |a| = δ is where the two branches meet (a kink of the second derivative)
        let away = matrix(n, k, -6.0..6.0).prop_filter("a residual too close to ±δ", move |a| {
            a.iter().all(|v| (v.abs() - delta).abs() >= 1e-3)
        });
        (Just(delta), matrix(n, k, -5.0..5.0), away)
    })) {
        let pred = &target - &a;
        gradient_report(&Huber::new(delta).unwrap(), &pred, &target).assert_good();
    }

    #[test]
    fn bce((p, y) in probs_and_hard_targets()) {
        gradient_report(&Bce, &p, &y).assert_good();
    }

    #[test]
    fn cross_entropy((p, y) in probs_and_hard_targets()) {
        gradient_report(&CrossEntropy, &p, &y).assert_good();
    }

    #[test]
    fn focal_binary(alpha in 0.0f64..=1.0, gamma in 0.0f64..3.0, (p, y) in probs_and_hard_targets()) {
        let focal = FocalBinary::new(alpha, gamma).unwrap();
        gradient_report(&focal, &p, &y).assert_good();
    }

    #[test]
    fn focal_multiclass(gamma in 0.0f64..3.0, (p, y) in probs_and_hard_targets()) {
        let focal = FocalMulticlass::new(gamma).unwrap();
        gradient_report(&focal, &p, &y).assert_good();
    }

    #[test]
    fn soft_targets_mix_the_hard_gradients(
        alpha in 0.0f64..=1.0,
        gamma in 0.0f64..3.0,
        (p, y) in shape().prop_flat_map(|(n, k)| (probabilities(n, k, 1e-3), matrix(n, k, 0.0..1.0))),
    ) {
        let losses: [Box<dyn Loss>; 4] = [
            Box::new(Bce),
            Box::new(CrossEntropy),
            Box::new(FocalBinary::new(alpha, gamma).unwrap()),
            Box::new(FocalMulticlass::new(gamma).unwrap()),
        ];
        let ones = Array2::ones(p.dim());
        let zeros = Array2::zeros(p.dim());
        for loss in &losses {
            let g = loss.gradient(p.view(), y.view()).unwrap();
            let g1 = loss.gradient(p.view(), ones.view()).unwrap();
            let g0 = loss.gradient(p.view(), zeros.view()).unwrap();
            let mixed = &y * &g1 + (1.0 - &y) * &g0;
            gradcheck::assert_all_close(g.iter(), mixed.iter(), loss.name());
        }
    }

    #[test]
    fn bce_with_logits((z, y) in shape().prop_flat_map(|(n, k)| (matrix(n, k, -20.0..20.0), matrix(n, k, 0.0..1.0)))) {
        gradient_report(&BceWithLogits, &z, &y).assert_good();
    }

    #[test]
    fn cross_entropy_with_logits((z, y) in shape().prop_flat_map(|(n, k)| {
        // unnormalised targets exercise the Σ_k y_k factor of the gradient
        let targets = prop_oneof![one_hot(n, k), distributions(n, k), matrix(n, k, 0.0..1.0)];
        (matrix(n, k, -20.0..20.0), targets)
    })) {
        gradient_report(&CrossEntropyWithLogits, &z, &y).assert_good();
    }
}

/// The checks above can fail: a gradient with the wrong sign, or without
/// the $1/n$ of the mean, is rejected.
#[test]
fn the_check_rejects_a_wrong_gradient() {
    use gradcheck::{WRONG, check_gradient};
    let p = ndarray::array![[0.3, 0.8], [0.6, 0.1]];
    let y = ndarray::array![[1.0, 0.0], [0.0, 1.0]];
    let f = |x: &[f64]| {
        let p = ndarray::ArrayView2::from_shape((2, 2), x).unwrap();
        Bce.value(p, y.view()).unwrap()
    };
    let g = Bce.gradient(p.view(), y.view()).unwrap();
    let right: Vec<f64> = g.iter().copied().collect();
    let flipped: Vec<f64> = g.iter().map(|v| -v).collect();
    let not_averaged: Vec<f64> = g.iter().map(|v| v * 2.0).collect();
    let x = p.as_slice().unwrap();
    check_gradient(f, x, &right).assert_good();
    assert!(!check_gradient(f, x, &flipped).passes(WRONG));
    assert!(!check_gradient(f, x, &not_averaged).passes(WRONG));
}
