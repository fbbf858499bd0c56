//! The loops under the workspace's formulas, written for speed: over flat
//! slices when the matrices are contiguous (as the workspace's buffers
//! always are), so that the compiler vectorises them and no per-row
//! iterator is set up, with a general fallback for any other layout. Each
//! gives the same numbers, bit for bit, as the plain row-by-row loop it replaces.

use ndarray::{Array1, ArrayView2};

/// `out` $= \sum_i m_i$, the sum of the rows of `m` (`out` has `m.ncols()`
/// entries), added row after row in order.
pub(crate) fn sum_rows_into(m: ArrayView2<'_, f64>, out: &mut Array1<f64>) {
    out.fill(0.0);
    let width = m.ncols();
    match (m.as_slice(), out.as_slice_mut()) {
        (Some(rows), Some(sum)) if width > 0 => {
            for row in rows.chunks_exact(width) {
                for (s, &x) in sum.iter_mut().zip(row) {
                    *s += x;
                }
            }
        }
        _ => {
            for row in m.rows() {
                *out += &row;
            }
        }
    }
}

/// The position and value of the first NaN or ±∞ of `m` in row order, if
/// any. The common case, no such entry, is one vectorised pass without an
/// early exit.
pub(crate) fn first_non_finite(m: ArrayView2<'_, f64>) -> Option<((usize, usize), f64)> {
    if let Some(flat) = m.as_slice()
        && !flat.iter().fold(false, |bad, x| bad | !x.is_finite())
    {
        return None;
    }
    m.indexed_iter()
        .find(|(_, x)| !x.is_finite())
        .map(|(index, &x)| (index, x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn row_sums_agree_in_every_layout() {
        let m = array![[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]];
        let mut out = Array1::from_elem(3, 7.0);
        sum_rows_into(m.view(), &mut out);
        assert_eq!(out, array![11.0, 22.0, 33.0]);
        // transposed: not contiguous in row order, takes the general loop
        let mut out = Array1::from_elem(2, 7.0);
        sum_rows_into(m.t(), &mut out);
        assert_eq!(out, array![6.0, 60.0]);
        let mut out = Array1::from_elem(2, 7.0);
        sum_rows_into(Array2::zeros((0, 2)).view(), &mut out);
        assert_eq!(out, array![0.0, 0.0]);
    }

    #[test]
    fn the_first_non_finite_entry_is_found_in_every_layout() {
        let mut m = Array2::<f64>::ones((3, 4));
        assert_eq!(first_non_finite(m.view()), None);
        m[[2, 0]] = f64::NAN;
        m[[1, 3]] = f64::INFINITY;
        assert_eq!(first_non_finite(m.view()), Some(((1, 3), f64::INFINITY)));
        let (index, value) = first_non_finite(m.t()).unwrap();
        assert_eq!(index, (0, 2));
        assert!(value.is_nan());
    }
}
