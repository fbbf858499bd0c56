//! The derivative of SoftMax: its Jacobian, and the vector-Jacobian product
//! that backpropagation actually uses.

use crate::softmax;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// The Jacobian of SoftMax at $z$, a $k \times k$ matrix:
/// $$J_{ij} = \frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j),
/// \qquad J = \mathrm{diag}(s) - s\,s^\top, \qquad s = \mathrm{SoftMax}(z).$$
///
/// Every output depends on every input (through the shared denominator), so
/// unlike an element-wise activation the derivative is a full matrix. It is
/// symmetric, and each row sums to 0 because the outputs always sum to 1.
/// Backprop never needs it whole: see [`softmax_vjp`].
///
/// ```
/// let j = activations::softmax_jacobian(ndarray::array![0.0, 0.0].view());
/// assert_eq!(j, ndarray::array![[0.25, -0.25], [-0.25, 0.25]]);
/// ```
// ANCHOR: softmax_jacobian
// Jᵢⱼ = ∂sᵢ/∂zⱼ = sᵢ·(δᵢⱼ − sⱼ), J = diag(s) − s·sᵀ
pub fn softmax_jacobian(z: ArrayView1<'_, f64>) -> Array2<f64> {
    let s = softmax(z);
    let k = s.len();
    Array2::from_shape_fn((k, k), |(i, j)| {
        let delta_ij = if i == j { 1.0 } else { 0.0 };
        s[i] * (delta_ij - s[j])
    })
}
// ANCHOR_END: softmax_jacobian

/// Backprop through SoftMax: given its **output** $s$ and the upstream
/// gradient $g = \partial \mathcal{L} / \partial s$, returns
/// $\partial \mathcal{L} / \partial z = J^\top g$:
/// $$J^\top g = \left(\mathrm{diag}(s) - s\,s^\top\right) g = s \odot \left(g - \langle g, s\rangle\right).$$
///
/// **Why the Jacobian is never built.** $J$ has $k^2$ entries, but the
/// product collapses to one dot product $\langle g, s \rangle$ and one
/// element-wise product: $O(k)$ time and memory instead of $O(k^2)$. With a
/// 50 000-word vocabulary $J$ would be $2.5 \cdot 10^9$ numbers (20 GB) per
/// sample; the VJP needs two vectors of 50 000. This is what autograd
/// systems compute too (PyTorch's `_softmax_backward_data` is exactly this
/// formula). It takes $s$ rather than $z$ because the forward pass has
/// already computed $s$, so nothing is recomputed.
///
/// (Followed by cross-entropy, the two collapse further into $s - y$; the
/// `losses` crate's `CrossEntropyWithLogits` uses that.)
///
/// # Panics
///
/// If `s` and `g` have different lengths (a bug in the caller's backward
/// pass, not bad data).
// ANCHOR: softmax_vjp
// ∂L/∂z = Jᵀg = s ⊙ (g − ⟨g, s⟩): one dot product, no k × k matrix
pub fn softmax_vjp(s: ArrayView1<'_, f64>, g: ArrayView1<'_, f64>) -> Array1<f64> {
    assert_eq!(
        s.len(),
        g.len(),
        "softmax_vjp: the softmax output has {} entries but the upstream gradient has {}",
        s.len(),
        g.len()
    );
    let g_dot_s = g.dot(&s);
    (&g - g_dot_s) * s
}
// ANCHOR_END: softmax_vjp

/// [`softmax_vjp`] for a batch, row by row: row $r$ of the result is
/// $s_r \odot (g_r - \langle g_r, s_r \rangle)$, where `s` is the output of
/// [`softmax_rows`](crate::softmax_rows) and `g` the upstream gradient, both
/// `n × k`.
///
/// # Panics
///
/// If `s` and `g` have different shapes (a bug in the caller's backward pass).
pub fn softmax_rows_vjp(s: ArrayView2<'_, f64>, g: ArrayView2<'_, f64>) -> Array2<f64> {
    assert_eq!(
        s.dim(),
        g.dim(),
        "softmax_rows_vjp: the softmax output is {:?} but the upstream gradient is {:?}",
        s.dim(),
        g.dim()
    );
    // ⟨g_r, s_r⟩ for every row r, as an n × 1 column that broadcasts over k
    let g_dot_s = (&g * &s).sum_axis(Axis(1)).insert_axis(Axis(1));
    (&g - &g_dot_s) * s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::softmax_rows;
    use ndarray::array;

    #[test]
    fn jacobian_rows_sum_to_zero_and_it_is_symmetric() {
        let j = softmax_jacobian(array![0.2, -1.0, 3.0, 0.5].view());
        for row in j.rows() {
            assert!(row.sum().abs() < 1e-16);
        }
        assert_eq!(j, j.t());
        // diagonal s_i(1 − s_i) > 0, off-diagonal −s_i s_j < 0
        assert!(j.diag().iter().all(|&d| d > 0.0));
        assert!(j[[0, 1]] < 0.0);
    }

    #[test]
    fn vjp_is_jacobian_transpose_times_g() {
        let z = array![0.2, -1.0, 3.0, 0.5];
        let g = array![1.0, -2.0, 0.5, 4.0];
        let s = softmax(z.view());
        let expected = softmax_jacobian(z.view()).t().dot(&g);
        let got = softmax_vjp(s.view(), g.view());
        for (a, e) in got.iter().zip(&expected) {
            assert!((a - e).abs() < 1e-15, "{got} vs {expected}");
        }
    }

    #[test]
    fn a_constant_upstream_gradient_is_absorbed() {
        // SoftMax(z + c) = SoftMax(z), so g ∝ 1 must give a zero gradient
        let s = softmax(array![0.2, -1.0, 3.0].view());
        let dz = softmax_vjp(s.view(), array![7.0, 7.0, 7.0].view());
        assert!(dz.iter().all(|v| v.abs() < 1e-15), "{dz}");
    }

    #[test]
    fn rows_vjp_is_the_vjp_of_each_row() {
        let z = array![[0.2, -1.0, 3.0], [10.0, 0.0, -10.0]];
        let g = array![[1.0, 0.0, 0.0], [0.5, -0.5, 2.0]];
        let s = softmax_rows(z.view());
        let dz = softmax_rows_vjp(s.view(), g.view());
        for r in 0..2 {
            let one = softmax_vjp(s.row(r), g.row(r));
            for (a, e) in dz.row(r).iter().zip(&one) {
                assert!((a - e).abs() < 1e-15, "row {r}: {} vs {one}", dz.row(r));
            }
        }
    }

    #[test]
    #[should_panic(expected = "softmax output has 3 entries but the upstream gradient has 2")]
    fn vjp_names_mismatched_lengths() {
        softmax_vjp(array![0.2, 0.3, 0.5].view(), array![1.0, 2.0].view());
    }

    #[test]
    #[should_panic(expected = "softmax output is (1, 3) but the upstream gradient is (3, 1)")]
    fn rows_vjp_names_mismatched_shapes() {
        softmax_rows_vjp(
            array![[0.2, 0.3, 0.5]].view(),
            array![[1.0], [2.0], [3.0]].view(),
        );
    }
}
