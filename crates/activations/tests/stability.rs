//! No NaN and no ±∞ from any finite input: every activation's value and
//! derivative, SoftMax, its Jacobian and its VJP.

use activations::{
    Activation, ActivationKind, log_softmax, logsumexp, softmax, softmax_jacobian, softmax_rows,
    softmax_vjp,
};
use gradcheck::assert_close;
use gradcheck::strategies::matrix;
use ndarray::{Array1, Array2, array};
use proptest::prelude::*;

/// The defaults, non-default α, and unusual but allowed α. (Leaky ReLU with
/// |α| > 1 is left out: αx then exceeds f64::MAX for |x| near it, a true
/// value that f64 cannot hold; see `LeakyRelu`'s docs.)
fn kinds() -> Vec<ActivationKind> {
    let mut kinds = ActivationKind::ALL.to_vec();
    for alpha in [0.2, -0.5, 1.0] {
        kinds.push(ActivationKind::LeakyRelu { alpha });
    }
    for alpha in [0.2, -0.5, 3.0] {
        kinds.push(ActivationKind::Elu { alpha });
    }
    kinds
}

/// Where overflow would show: around e^{±709}, at 1e3, 1e300 and the ends
/// of the f64 range, and the tiniest numbers.
const EXTREMES: [f64; 18] = [
    1e3,
    -1e3,
    1e300,
    -1e300,
    f64::MAX,
    f64::MIN,
    709.0,
    -709.0,
    710.0,
    -710.0,
    1e154,
    -1e154,
    f64::MIN_POSITIVE,
    -f64::MIN_POSITIVE,
    5e-324,
    -5e-324,
    0.0,
    -0.0,
];

#[test]
fn every_activation_is_finite_at_the_extremes() {
    for kind in kinds() {
        for x in EXTREMES {
            let (f, d) = (kind.forward(x), kind.derivative(x));
            assert!(f.is_finite(), "{kind}({x:e}) = {f}");
            assert!(d.is_finite(), "{kind}'({x:e}) = {d}");
        }
        // and the array forms, on a 3-D array
        let x = Array1::from(EXTREMES.to_vec())
            .into_shape_with_order((3, 3, 2))
            .unwrap();
        assert!(kind.forward_array(x.view()).iter().all(|v| v.is_finite()));
        assert!(
            kind.derivative_array(x.view())
                .iter()
                .all(|v| v.is_finite())
        );
    }
}

#[test]
fn far_tails_have_the_right_limits() {
    // (kind, f(+big), f'(+big), f(−big), f'(−big)) at |x| = 1e300
    let table = [
        ("sigmoid", 1.0, 0.0, 0.0, 0.0),
        ("tanh", 1.0, 0.0, -1.0, 0.0),
        ("relu", 1e300, 1.0, 0.0, 0.0),
        ("leaky_relu", 1e300, 1.0, -1e298, 0.01),
        ("elu", 1e300, 1.0, -1.0, 0.0),
        ("gelu", 1e300, 1.0, 0.0, 0.0),
        ("gelu_sigmoid", 1e300, 1.0, 0.0, 0.0),
        ("gelu_tanh", 1e300, 1.0, 0.0, 0.0),
        ("identity", 1e300, 1.0, -1e300, 1.0),
    ];
    for (name, f_pos, d_pos, f_neg, d_neg) in table {
        let kind = ActivationKind::from_name(name).unwrap();
        assert_close(kind.forward(1e300), f_pos, &format!("{name}(1e300)"));
        assert_close(kind.derivative(1e300), d_pos, &format!("{name}'(1e300)"));
        assert_close(kind.forward(-1e300), f_neg, &format!("{name}(-1e300)"));
        assert_close(kind.derivative(-1e300), d_neg, &format!("{name}'(-1e300)"));
    }
}

/// Any finite f64, from subnormals to ±f64::MAX.
fn any_finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO).prop_filter("finite", |x| x.is_finite())
}

proptest! {
    #[test]
    fn every_activation_is_finite_for_any_finite_input(x in any_finite()) {
        for kind in kinds() {
            prop_assert!(kind.forward(x).is_finite(), "{kind}({x:e})");
            prop_assert!(kind.derivative(x).is_finite(), "{kind}'({x:e})");
        }
    }

    #[test]
    fn softmax_rows_sum_to_one(
        z in (1usize..6, 1usize..9).prop_flat_map(|(n, k)| matrix(n, k, -1.0..1.0)),
        scale in prop::sample::select(vec![1.0, 30.0, 1e3, 1e300, f64::MAX]),
    ) {
        let z = z * scale;
        let s = softmax_rows(z.view());
        for (r, row) in s.rows().into_iter().enumerate() {
            prop_assert!(row.iter().all(|p| (0.0..=1.0).contains(p)), "row {r}: {row}");
            prop_assert!((row.sum() - 1.0).abs() <= 1e-12, "row {r} sums to {}", row.sum());
        }
    }

    #[test]
    fn softmax_family_is_finite_for_any_finite_logits(
        z in proptest::collection::vec(any_finite(), 1..8)
    ) {
        let z = Array1::from(z);
        let s = softmax(z.view());
        prop_assert!((s.sum() - 1.0).abs() <= 1e-12, "{z} → {s}");
        prop_assert!(log_softmax(z.view()).iter().all(|v| v.is_finite()));
        prop_assert!(logsumexp(z.view()).is_finite());
        prop_assert!(softmax_jacobian(z.view()).iter().all(|v| v.is_finite()));
        let g = Array1::from_elem(z.len(), 1e3);
        prop_assert!(softmax_vjp(s.view(), g.view()).iter().all(|v| v.is_finite()));
    }

    #[test]
    fn softmax_ignores_a_shift_of_the_logits(
        z in proptest::collection::vec(-50.0..50.0_f64, 1..8),
        c in -1e3..1e3_f64,
    ) {
        // SoftMax(z + c) = SoftMax(z): the reason subtracting max z is allowed
        let z = Array1::from(z);
        let shifted = softmax((&z + c).view());
        for (a, b) in shifted.iter().zip(&softmax(z.view())) {
            prop_assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
        }
    }
}

#[test]
fn softmax_of_huge_logits_is_exact() {
    assert_eq!(
        softmax(array![1000.0, 0.0, -1000.0].view()),
        array![1.0, 0.0, 0.0]
    );
    assert_eq!(
        softmax(array![f64::MAX, 0.0, f64::MIN].view()),
        array![1.0, 0.0, 0.0]
    );
    let two = softmax_rows(Array2::from_elem((2, 4), 1e300).view());
    assert_eq!(two, Array2::from_elem((2, 4), 0.25));
}
