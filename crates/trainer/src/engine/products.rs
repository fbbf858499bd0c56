//! Where the matrix products run. Every product of the forward and backward
//! passes goes through [`general_mat_mul`] here, which has the signature of
//! `ndarray::linalg::general_mat_mul`, $C \leftarrow \alpha A B + \beta C$:
//!
//! * by default it *is* ndarray's: `matrixmultiply` on both cores (or the
//!   system OpenBLAS with the `blas` feature);
//! * with the `faer` feature, products of at least $2^{16}$ multiply-adds
//!   whose operands are row- or column-major go to `faer`'s matrix product
//!   instead — pure Rust, with AVX-512 kernels chosen at run time, about
//!   twice `matrixmultiply`'s speed on the course's machines, and no system
//!   library to install. Smaller products, other layouts, and $\beta$ other
//!   than 0 or 1 still take ndarray's path.
//!
//! The backends compute the same sums in different orders, so results
//! differ in the last bits; each gives the same numbers on every run. With
//! `faer` or `blas` the last bits of a large product may also depend on its
//! number of rows (different kernels for different sizes).

use ndarray::{ArrayBase, Data, DataMut, Ix2};

/// $C \leftarrow \alpha A B + \beta C$, like `ndarray::linalg::general_mat_mul`
/// (and panicking like it if the shapes do not fit: the workspace checks them).
pub(crate) fn general_mat_mul<S1, S2, S3>(
    alpha: f64,
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
    beta: f64,
    c: &mut ArrayBase<S3, Ix2>,
) where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    S3: DataMut<Elem = f64>,
{
    #[cfg(feature = "faer")]
    if with_faer::mat_mul(alpha, a.view(), b.view(), beta, c.view_mut()) {
        return;
    }
    ndarray::linalg::general_mat_mul(alpha, a, b, beta, c);
}

#[cfg(feature = "faer")]
mod with_faer {
    use faer::linalg::matmul::matmul;
    use faer::{Accum, MatMut, MatRef, Par};
    use ndarray::{ArrayView2, ArrayViewMut2};

    /// Smaller products stay with ndarray: for a network like 2-16-16-1
    /// `matrixmultiply` is as fast, and a row of the result then does not
    /// depend on how many rows are multiplied with it (test
    /// `large_inputs_are_run_in_chunks_with_the_same_result`).
    const FAER_MIN_MACS: usize = 1 << 16;

    /// Products with fewer multiply-adds than this run on one thread: waking
    /// the second one costs more than it saves (2²⁰ take about 20 µs).
    const PARALLEL_MIN_MACS: usize = 1 << 20;

    /// `faer` reads an ndarray view whose rows or columns are contiguous.
    fn as_faer(a: ArrayView2<'_, f64>) -> Option<MatRef<'_, f64>> {
        let (rows, cols) = a.dim();
        if let Some(flat) = a.to_slice() {
            return Some(MatRef::from_row_major_slice(flat, rows, cols));
        }
        let flat = a.reversed_axes().to_slice()?;
        Some(MatRef::from_row_major_slice(flat, cols, rows).transpose())
    }

    /// The product through `faer`; `false` (nothing done) for a layout or a
    /// $\beta$ it is not given.
    pub(super) fn mat_mul(
        alpha: f64,
        a: ArrayView2<'_, f64>,
        b: ArrayView2<'_, f64>,
        beta: f64,
        mut c: ArrayViewMut2<'_, f64>,
    ) -> bool {
        let accum = if beta == 0.0 {
            Accum::Replace
        } else if beta == 1.0 {
            Accum::Add
        } else {
            return false;
        };
        let (m, n) = c.dim();
        let macs = m * n * a.ncols();
        if macs < FAER_MIN_MACS {
            return false;
        }
        let (Some(a), Some(b)) = (as_faer(a), as_faer(b)) else {
            return false;
        };
        let par = if macs >= PARALLEL_MIN_MACS {
            Par::rayon(0)
        } else {
            Par::Seq
        };
        if c.is_standard_layout() {
            let flat = c.as_slice_mut().expect("standard layout is contiguous");
            matmul(
                MatMut::from_row_major_slice_mut(flat, m, n),
                accum,
                a,
                b,
                alpha,
                par,
            );
            return true;
        }
        let mut c_t = c.reversed_axes();
        match c_t.as_slice_mut() {
            Some(flat) => {
                let c = MatMut::from_row_major_slice_mut(flat, n, m).transpose_mut();
                matmul(c, accum, a, b, alpha, par);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::assert_all_close;
    use ndarray::{Array2, Axis, Slice};

    /// Every layout the passes use (row-major, transposed views, the top rows
    /// of a buffer, a transposed output) and both β, against a plain triple
    /// loop; large enough ($70 \cdot 40 \cdot 30$ multiply-adds) for `faer`.
    #[test]
    fn products_agree_with_the_definition_in_every_layout() {
        let (m, k, n) = (70, 40, 30);
        let a = Array2::from_shape_fn((m, k), |(i, j)| ((i * k + j) % 13) as f64 * 0.25 - 1.5);
        let b = Array2::from_shape_fn((k, n), |(i, j)| ((i * n + j) % 7) as f64 - 2.5);
        let expected = Array2::from_shape_fn((m, n), |(i, j)| {
            (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum::<f64>()
        });
        let a_t = a.t().to_owned(); // a_t.t() is a column-major view of A
        let b_t = b.t().to_owned();
        let mut tall = Array2::from_elem((m + 3, n), 1.0);
        for (a_view, b_view) in [
            (a.view(), b.view()),
            (a_t.t(), b.view()),
            (a.view(), b_t.t()),
            (a_t.t(), b_t.t()),
        ] {
            let mut c = Array2::from_elem((m, n), 7.0);
            general_mat_mul(1.0, &a_view, &b_view, 0.0, &mut c);
            assert_all_close(c.iter(), expected.iter(), "C = AB");
            // accumulate into the top rows of a taller buffer
            let mut top = tall.slice_axis_mut(Axis(0), Slice::from(..m));
            top.fill(1.0);
            general_mat_mul(2.0, &a_view, &b_view, 1.0, &mut top);
            let twice_plus_one = expected.mapv(|x| 2.0 * x + 1.0);
            assert_all_close(top.iter(), twice_plus_one.iter(), "C = 2AB + C");
            // a column-major output
            let mut c_t = Array2::from_elem((n, m), 7.0);
            general_mat_mul(
                1.0,
                &a_view,
                &b_view,
                0.0,
                &mut c_t.view_mut().reversed_axes(),
            );
            assert_all_close(c_t.t().iter(), expected.iter(), "Cᵀ = (AB)ᵀ");
        }
        let below = tall.slice_axis(Axis(0), Slice::from(m..));
        assert!(below.iter().all(|&x| x == 1.0), "rows below untouched");
    }

    /// With the feature, `faer` takes the large products of the layouts it
    /// reads and leaves the rest to ndarray.
    #[cfg(feature = "faer")]
    #[test]
    fn faer_takes_what_it_is_given() {
        let a = Array2::<f64>::ones((70, 40));
        let b = Array2::<f64>::ones((40, 30));
        let mut c = Array2::zeros((70, 30));
        assert!(with_faer::mat_mul(
            1.0,
            a.view(),
            b.view(),
            0.0,
            c.view_mut()
        ));
        assert!(c.iter().all(|&x| x == 40.0));
        assert!(with_faer::mat_mul(
            1.0,
            a.t(),
            a.view(),
            1.0,
            Array2::zeros((40, 40)).view_mut()
        ));
        // β = 0.5, a strided view, a tiny product: not faer's
        assert!(!with_faer::mat_mul(
            1.0,
            a.view(),
            b.view(),
            0.5,
            c.view_mut()
        ));
        let every_other = a.slice_axis(Axis(1), Slice::from(..).step_by(2));
        let half = b.slice_axis(Axis(0), Slice::from(..20));
        assert!(!with_faer::mat_mul(
            1.0,
            every_other,
            half,
            0.0,
            c.view_mut()
        ));
        let small = Array2::<f64>::ones((4, 4));
        assert!(!with_faer::mat_mul(
            1.0,
            small.view(),
            small.view(),
            0.0,
            Array2::zeros((4, 4)).view_mut()
        ));
    }
}
