//! Reusable storage for mini-batches.
//!
//! The lecture's training loop takes "a small set (batch)" of samples, runs
//! the forward and backward pass on it and updates the weights, thousands of
//! times. Allocating two fresh matrices for each batch would cost more than
//! the arithmetic on small networks, so the trainer allocates one
//! [`BatchBuffer`] before the first epoch and refills it in place.

use ndarray::{Array2, ArrayView2, Axis, Slice};

use crate::{DataError, Dataset};

/// Two matrices, `capacity × d` for the features and `capacity × k` for the
/// targets, refilled by [`fill`](Self::fill) for every batch.
#[derive(Debug, Clone)]
pub struct BatchBuffer {
    x: Array2<f64>,
    y: Array2<f64>,
}

impl BatchBuffer {
    /// Buffers for batches of up to `capacity` rows of `dataset`.
    pub fn new(dataset: &Dataset, capacity: usize) -> Self {
        Self {
            x: Array2::zeros((capacity, dataset.n_features())),
            y: Array2::zeros((capacity, dataset.n_outputs())),
        }
    }

    /// The largest batch this buffer holds.
    pub fn capacity(&self) -> usize {
        self.x.nrows()
    }

    /// Copies the rows `indices` of `dataset` in (no allocation) and returns
    /// views of the filled part: features `m × d` and targets `m × k` with
    /// `m = indices.len()` (the last batch of an epoch may be short).
    pub fn fill(
        &mut self,
        dataset: &Dataset,
        indices: &[usize],
    ) -> Result<(ArrayView2<'_, f64>, ArrayView2<'_, f64>), DataError> {
        let rows = indices.len();
        if rows > self.capacity() {
            return Err(DataError::BatchTooLarge {
                rows,
                capacity: self.capacity(),
            });
        }
        // `slice_axis` rather than `s![..rows, ..]`: ndarray's `s!` expands
        // to `#[allow(unsafe_code)]`, which `#![forbid(unsafe_code)]` rejects.
        let first = Slice::from(..rows);
        dataset.gather_into(
            indices,
            self.x.slice_axis_mut(Axis(0), first),
            self.y.slice_axis_mut(Axis(0), first),
        )?;
        Ok((
            self.x.slice_axis(Axis(0), first),
            self.y.slice_axis(Axis(0), first),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_short_last_batch_uses_the_first_rows() {
        let d = Dataset::regression(array![[1.0], [2.0], [3.0]], array![[10.0], [20.0], [30.0]])
            .unwrap();
        let mut buffer = BatchBuffer::new(&d, 2);
        let before = buffer.x.as_ptr();
        let (x, y) = buffer.fill(&d, &[2, 0]).unwrap();
        assert_eq!(
            (x.to_owned(), y.to_owned()),
            (array![[3.0], [1.0]], array![[30.0], [10.0]])
        );
        let (x, y) = buffer.fill(&d, &[1]).unwrap();
        assert_eq!(
            (x.to_owned(), y.to_owned()),
            (array![[2.0]], array![[20.0]])
        );
        assert_eq!(
            buffer.x.as_ptr(),
            before,
            "the buffer must be reused, not reallocated"
        );
    }

    #[test]
    fn too_many_rows_is_an_error() {
        let d = Dataset::regression(array![[1.0], [2.0]], array![[1.0], [2.0]]).unwrap();
        let err = BatchBuffer::new(&d, 1).fill(&d, &[0, 1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "batch of 2 rows does not fit a buffer made for 1"
        );
    }
}
