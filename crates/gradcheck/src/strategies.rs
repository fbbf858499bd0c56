//! `proptest` strategies for finite-difference property tests.
//!
//! ```
//! use gradcheck::strategies::{matrix, scalar_away_from};
//! use proptest::prelude::*;
//!
//! proptest! {
//!     // ReLU has a kink at 0: test its derivative only where it exists
//!     fn relu_derivative(x in scalar_away_from(-5.0..5.0, &[0.0], 1e-3)) {
//!         let d = gradcheck::derivative(|t| t.max(0.0), x);
//!         prop_assert_eq!(d, if x > 0.0 { 1.0 } else { 0.0 });
//!     }
//! }
//! # relu_derivative();
//! ```

use ndarray::{Array1, Array2};
use proptest::prelude::*;
use std::ops::Range;

/// A finite `f64` uniformly in `range`.
pub fn scalar(range: Range<f64>) -> impl Strategy<Value = f64> + Clone {
    range
}

/// A scalar in `range` that is at least `margin` away from every point of
/// `kinks` (where the function under test is not differentiable).
///
/// Rejection keeps the distribution uniform on what is left; `margin` must be
/// small enough that most of `range` survives. The kinks are copied, so they
/// may be computed from an earlier drawn value inside `prop_flat_map`
/// (Huber's $\pm\delta$).
pub fn scalar_away_from(
    range: Range<f64>,
    kinks: &[f64],
    margin: f64,
) -> impl Strategy<Value = f64> + Clone + use<> {
    let kinks = kinks.to_vec();
    range.prop_filter("too close to a kink", move |x| {
        kinks.iter().all(|k| (x - k).abs() >= margin)
    })
}

/// A vector of `len` values uniformly in `range`.
pub fn vector(len: usize, range: Range<f64>) -> impl Strategy<Value = Array1<f64>> + Clone {
    proptest::collection::vec(range, len).prop_map(Array1::from_vec)
}

/// A vector of `len` values, each at least `margin` away from every kink.
pub fn vector_away_from(
    len: usize,
    range: Range<f64>,
    kinks: &[f64],
    margin: f64,
) -> impl Strategy<Value = Array1<f64>> + Clone + use<> {
    proptest::collection::vec(scalar_away_from(range, kinks, margin), len)
        .prop_map(Array1::from_vec)
}

/// A `rows × cols` matrix of values uniformly in `range`.
pub fn matrix(
    rows: usize,
    cols: usize,
    range: Range<f64>,
) -> impl Strategy<Value = Array2<f64>> + Clone {
    proptest::collection::vec(range, rows * cols)
        .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).expect("length is rows·cols"))
}

/// A `rows × cols` matrix whose entries keep `margin` away from the kinks.
pub fn matrix_away_from(
    rows: usize,
    cols: usize,
    range: Range<f64>,
    kinks: &[f64],
    margin: f64,
) -> impl Strategy<Value = Array2<f64>> + Clone + use<> {
    proptest::collection::vec(scalar_away_from(range, kinks, margin), rows * cols)
        .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).expect("length is rows·cols"))
}

/// A matrix whose shape is itself drawn: rows in `rows`, cols in `cols`.
pub fn any_matrix(
    rows: Range<usize>,
    cols: Range<usize>,
    range: Range<f64>,
) -> impl Strategy<Value = Array2<f64>> {
    (rows, cols).prop_flat_map(move |(r, c)| matrix(r, c, range.clone()))
}

/// A `rows × cols` matrix of probabilities strictly inside `(margin, 1 − margin)`,
/// for losses that take $\log p$ and $\log(1 - p)$.
pub fn probabilities(
    rows: usize,
    cols: usize,
    margin: f64,
) -> impl Strategy<Value = Array2<f64>> + Clone + use<> {
    matrix(rows, cols, margin..1.0 - margin)
}

/// `rows` one-hot rows of length `classes` (exactly one 1 per row).
pub fn one_hot(rows: usize, classes: usize) -> impl Strategy<Value = Array2<f64>> + Clone {
    proptest::collection::vec(0..classes, rows).prop_map(move |labels| {
        let mut y = Array2::zeros((rows, classes));
        for (i, &c) in labels.iter().enumerate() {
            y[[i, c]] = 1.0;
        }
        y
    })
}

/// `rows` probability distributions over `classes` (soft targets: each row is
/// non-negative and sums to 1).
pub fn distributions(rows: usize, classes: usize) -> impl Strategy<Value = Array2<f64>> + Clone {
    matrix(rows, classes, 0.01..1.0).prop_map(|mut m| {
        for mut row in m.rows_mut() {
            let s = row.sum();
            row /= s;
        }
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest! {
        #[test]
        fn kinks_are_avoided(x in scalar_away_from(-1.0..1.0, &[0.0, 0.5], 0.01)) {
            prop_assert!(x.abs() >= 0.01 && (x - 0.5).abs() >= 0.01);
        }

        #[test]
        fn kinks_may_come_from_a_drawn_value(
            (delta, a) in (0.1..2.0f64).prop_flat_map(|d| (Just(d), scalar_away_from(-3.0..3.0, &[-d, d], 1e-3)))
        ) {
            prop_assert!((a.abs() - delta).abs() >= 1e-3);
        }

        #[test]
        fn shapes_and_ranges_hold(m in matrix(3, 4, -2.0..2.0), v in vector(5, 0.0..1.0)) {
            prop_assert_eq!(m.dim(), (3, 4));
            prop_assert!(m.iter().all(|x| (-2.0..2.0).contains(x)));
            prop_assert_eq!(v.len(), 5);
        }

        #[test]
        fn one_hot_rows_have_a_single_one(y in one_hot(6, 4)) {
            for row in y.rows() {
                prop_assert_eq!(row.sum(), 1.0);
                prop_assert_eq!(row.iter().filter(|&&v| v == 1.0).count(), 1);
            }
        }

        #[test]
        fn distributions_sum_to_one(y in distributions(4, 3)) {
            for row in y.rows() {
                prop_assert!((row.sum() - 1.0).abs() < 1e-12);
                prop_assert!(row.iter().all(|&v| v > 0.0));
            }
        }
    }
}
