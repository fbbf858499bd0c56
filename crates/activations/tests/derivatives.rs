//! Every derivative against central finite differences (`gradcheck`), as
//! property tests: the analytic $f'(x)$ must agree with
//! $\frac{f(x+h) - f(x-h)}{2h}$ to a relative error below
//! [`gradcheck::GOOD`] at random $x$, away from kinks.

use activations::{
    Activation, ActivationKind, softmax, softmax_jacobian, softmax_rows, softmax_rows_vjp,
    softmax_vjp,
};
use gradcheck::strategies::{matrix, scalar_away_from, vector};
use gradcheck::{GOOD, check_gradient, check_jacobian};
use ndarray::{Array1, ArrayView1};
use proptest::prelude::*;

/// The defaults plus non-default α, so that α is really used.
fn kinds() -> Vec<ActivationKind> {
    let mut kinds = ActivationKind::ALL.to_vec();
    kinds.push(ActivationKind::LeakyRelu { alpha: 0.2 });
    kinds.push(ActivationKind::Elu { alpha: 0.5 });
    kinds.push(ActivationKind::Elu { alpha: 2.0 });
    kinds
}

/// Where a kind has no derivative (a kink) or only a one-sided one.
fn has_kink_at_zero(kind: ActivationKind) -> bool {
    matches!(
        kind,
        ActivationKind::Relu | ActivationKind::LeakyRelu { .. } | ActivationKind::Elu { .. }
    )
}

fn check_at(kind: ActivationKind, x: f64) -> Result<(), TestCaseError> {
    let report = check_gradient(|v| kind.forward(v[0]), &[x], &[kind.derivative(x)]);
    prop_assert!(report.passes(GOOD), "{kind} at x = {x}: {report}");
    Ok(())
}

proptest! {
    #[test]
    fn every_derivative_matches_finite_differences(
        x in scalar_away_from(-30.0..30.0, &[0.0], 1e-3)
    ) {
        for kind in kinds() {
            check_at(kind, x)?;
        }
    }

    #[test]
    fn smooth_activations_are_right_near_zero(x in -1e-2..1e-2_f64) {
        for kind in kinds().into_iter().filter(|&k| !has_kink_at_zero(k)) {
            check_at(kind, x)?;
        }
    }

    #[test]
    fn derivatives_are_right_for_large_inputs(
        x in prop_oneof![-1e3..-30.0_f64, 30.0..1e3_f64]
    ) {
        for kind in kinds() {
            check_at(kind, x)?;
        }
    }

    #[test]
    fn softmax_jacobian_matches_finite_differences(
        z in (1usize..8).prop_flat_map(|k| vector(k, -10.0..10.0))
    ) {
        let analytic = softmax_jacobian(z.view());
        let report = check_jacobian(
            |v| softmax(ArrayView1::from(v)).to_vec(),
            z.as_slice().expect("contiguous"),
            &analytic,
        );
        prop_assert!(report.passes(GOOD), "z = {z}: {report}");
    }

    #[test]
    fn softmax_vjp_is_jacobian_transpose_times_g(
        (z, g) in (1usize..8).prop_flat_map(|k| (vector(k, -10.0..10.0), vector(k, -10.0..10.0)))
    ) {
        let s = softmax(z.view());
        let expected: Array1<f64> = softmax_jacobian(z.view()).t().dot(&g);
        let got = softmax_vjp(s.view(), g.view());
        for (a, e) in got.iter().zip(&expected) {
            prop_assert!((a - e).abs() <= 1e-13, "z = {z}, g = {g}: {got} vs {expected}");
        }
    }

    #[test]
    fn softmax_vjp_matches_finite_differences_of_a_weighted_sum(
        (z, g) in (1usize..8).prop_flat_map(|k| (vector(k, -10.0..10.0), vector(k, -3.0..3.0)))
    ) {
        // L(z) = ⟨g, SoftMax(z)⟩ has ∂L/∂z = Jᵀg
        let loss = |v: &[f64]| softmax(ArrayView1::from(v)).dot(&g);
        let s = softmax(z.view());
        let vjp = softmax_vjp(s.view(), g.view());
        let report = check_gradient(loss, z.as_slice().expect("contiguous"), vjp.as_slice().expect("contiguous"));
        prop_assert!(report.passes(GOOD), "z = {z}, g = {g}: {report}");
    }

    #[test]
    fn batch_vjp_is_the_vjp_of_each_row(
        (z, g) in (1usize..5, 1usize..6)
            .prop_flat_map(|(n, k)| (matrix(n, k, -10.0..10.0), matrix(n, k, -5.0..5.0)))
    ) {
        let s = softmax_rows(z.view());
        let dz = softmax_rows_vjp(s.view(), g.view());
        for r in 0..z.nrows() {
            let row = softmax_vjp(s.row(r), g.row(r));
            for (a, e) in dz.row(r).iter().zip(&row) {
                prop_assert!((a - e).abs() <= 1e-14, "row {r}: {} vs {row}", dz.row(r));
            }
        }
    }
}

#[test]
fn a_wrong_derivative_would_be_caught() {
    // the check is not vacuous: a sign error, or sigmoid' written as σ(1 + σ)
    let x = 0.7;
    let kind = ActivationKind::Tanh;
    let wrong_sign = check_gradient(|v| kind.forward(v[0]), &[x], &[-kind.derivative(x)]);
    assert!(!wrong_sign.passes(GOOD));
    let s = activations::sigmoid(x);
    let wrong = check_gradient(|v| activations::sigmoid(v[0]), &[x], &[s * (1.0 + s)]);
    assert!(!wrong.passes(GOOD));
}
