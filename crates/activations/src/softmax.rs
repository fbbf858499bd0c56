//! SoftMax and its log-space relatives, computed stably.

use ndarray::{Array1, Array2, ArrayRef1, ArrayRef2, ArrayView1, ArrayView2, Axis};

/// $\log \sum_j e^{z_j}$ without overflow: with $m = \max_j z_j$,
/// $$\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m},$$
/// where every $e^{z_j - m} \le 1$ and the largest term is exactly 1.
///
/// An empty vector gives $-\infty$ (the log of an empty sum).
pub fn logsumexp(z: ArrayView1<'_, f64>) -> f64 {
    let m = z.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + z.fold(0.0, |s, &v| s + (v - m).exp()).ln()
}

/// $\mathrm{SoftMax}(z)_i = \dfrac{e^{z_i}}{\sum_j e^{z_j}}$, computed as
/// $\dfrac{e^{z_i - m}}{\sum_j e^{z_j - m}}$ with $m = \max_j z_j$.
///
/// The lecture turns the last layer's scores $z$ into the probabilities
/// $p_k$ of cross-entropy with it: every entry is in $[0, 1]$ and they sum
/// to 1.
///
/// Subtracting the maximum changes nothing mathematically (the factor
/// $e^{-m}$ cancels) but keeps every exponent $\le 0$, so nothing overflows:
/// `softmax([1000, 0, -1000])` is exactly `[1, 0, 0]`, where the formula as
/// written gives $\infty / \infty = $ NaN.
///
/// ```
/// let p = activations::softmax(ndarray::array![1000.0, 0.0, -1000.0].view());
/// assert_eq!(p.to_vec(), vec![1.0, 0.0, 0.0]);
/// ```
// ANCHOR: softmax
// SoftMax(z)ᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m), m = maxⱼ zⱼ: every exponent ≤ 0, nothing overflows
pub fn softmax(z: ArrayView1<'_, f64>) -> Array1<f64> {
    let m = z.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let mut e = z.mapv(|v| (v - m).exp());
    let sum = e.sum();
    e /= sum;
    e
}
// ANCHOR_END: softmax

/// [`softmax`] overwriting its input: `z` becomes $\mathrm{SoftMax}(z)$.
///
/// Accepts an `Array1` or a mutable view (`&mut a`, `&mut a.row_mut(i)`).
pub fn softmax_inplace(z: &mut ArrayRef1<f64>) {
    let m = z.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    z.mapv_inplace(|v| (v - m).exp());
    let sum = z.sum();
    z.mapv_inplace(|e| e / sum);
}

/// [`softmax`] applied to each row of a batch (`n × k`, one sample per row).
pub fn softmax_rows(z: ArrayView2<'_, f64>) -> Array2<f64> {
    let mut s = z.to_owned();
    softmax_rows_inplace(&mut s);
    s
}

/// [`softmax_rows`] overwriting its input, for a training loop that does not
/// need the logits afterwards and wants no new allocation.
///
/// ```
/// let mut z = ndarray::array![[0.0, 0.0], [1000.0, -1000.0]];
/// activations::softmax_rows_inplace(&mut z);
/// assert_eq!(z, ndarray::array![[0.5, 0.5], [1.0, 0.0]]);
/// ```
pub fn softmax_rows_inplace(z: &mut ArrayRef2<f64>) {
    for mut row in z.axis_iter_mut(Axis(0)) {
        softmax_inplace(&mut row);
    }
}

/// $\log \mathrm{SoftMax}(z)_i = z_i - \log \sum_j e^{z_j}$, finite wherever
/// $z$ is (unlike `softmax(z).ln()`, which gives $-\infty$ for
/// $z = [1000, 0]$).
pub fn log_softmax(z: ArrayView1<'_, f64>) -> Array1<f64> {
    let lse = logsumexp(z);
    z.mapv(|v| v - lse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn softmax_of_extreme_logits_is_exact() {
        let p = softmax(array![1000.0, 0.0, -1000.0].view());
        assert_eq!(p, array![1.0, 0.0, 0.0]);
        let lp = log_softmax(array![1000.0, 0.0].view());
        assert!(lp.iter().all(|v| v.is_finite()));
        assert_eq!(lp[0], 0.0);
        assert_eq!(lp[1], -1000.0);
    }

    #[test]
    fn formula_as_written_overflows() {
        let z = array![1000.0, 0.0, -1000.0];
        let e = z.mapv(f64::exp);
        let naive = &e / e.sum();
        assert!(naive[0].is_nan());
    }

    #[test]
    fn logsumexp_matches_the_naive_formula_where_that_is_finite() {
        let z = array![0.5, -1.0, 2.0];
        let naive = z.mapv(f64::exp).sum().ln();
        assert!((logsumexp(z.view()) - naive).abs() < 1e-15);
        assert_eq!(logsumexp(array![1e308, 1e308].view()), 1e308 + 2f64.ln());
        assert_eq!(logsumexp(Array1::<f64>::zeros(0).view()), f64::NEG_INFINITY);
    }

    #[test]
    fn softmax_rows_normalises_each_row() {
        let z = array![[1.0, 2.0, 3.0], [1e300, -1e300, 0.0]];
        let p = softmax_rows(z.view());
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12);
        }
        assert_eq!(p.row(1).to_vec(), vec![1.0, 0.0, 0.0]);
        assert_eq!(p.row(0), softmax(z.row(0)));
    }

    #[test]
    fn inplace_forms_agree_with_the_allocating_ones() {
        let z = array![[0.3, -1.2, 2.0, 0.0], [5.0, 5.0, -5.0, 1e3]];
        let mut rows = z.clone();
        softmax_rows_inplace(&mut rows);
        assert_eq!(rows, softmax_rows(z.view()));
        // a mutable view works too
        let mut again = z.clone();
        softmax_rows_inplace(&mut again.view_mut());
        assert_eq!(again, rows);
        let mut v = z.row(0).to_owned();
        softmax_inplace(&mut v);
        assert_eq!(v, softmax(z.row(0)));
    }

    #[test]
    fn softmax_scores_keep_their_order() {
        // a bigger logit gets a bigger probability, and 0 logits share equally
        let p = softmax(array![1.0, 2.0, 3.0].view());
        assert!(p[0] < p[1] && p[1] < p[2]);
        assert_eq!(
            softmax(array![0.0, 0.0, 0.0, 0.0].view()),
            array![0.25, 0.25, 0.25, 0.25]
        );
    }
}
