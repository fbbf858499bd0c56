//! How an update rule walks over a tensor: the one place that decides the
//! loop, so that each optimizer's file shows only its formula.
//!
//! A parameter, its gradient and the optimizer's buffers are almost always
//! contiguous arrays of one shape. Then the loop runs over flat slices,
//! which the compiler turns into vector instructions, and a large tensor is
//! cut into two halves updated on two threads at once (each element's
//! update depends only on that element, so the result is the same bit for
//! bit however the tensor is cut). Anything else goes through ndarray's `Zip`.

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};

/// From this many elements on, a tensor is updated by two threads. Below
/// it the second thread's start (about 10 µs, and a few small allocations)
/// costs more than it saves: Adam's pass over $2^{16}$ weights takes about
/// 0.1 ms on one core, bound by its division and square root per weight.
pub(crate) const PARALLEL_MIN_LEN: usize = 1 << 16;

/// The flat (row-major) position of the first NaN or ±∞ in `grad`, if any.
///
/// For a contiguous gradient the test runs without an early exit, so that
/// it is vectorised (one pass at memory speed); only a gradient that holds
/// a non-finite value is searched a second time for its position.
pub(crate) fn first_non_finite(grad: &ArrayViewD<'_, f64>) -> Option<usize> {
    match grad.as_slice() {
        Some(flat) => {
            let any_bad = flat.iter().fold(false, |bad, g| bad | !g.is_finite());
            any_bad
                .then(|| flat.iter().position(|g| !g.is_finite()))
                .flatten()
        }
        None => grad.iter().position(|g| !g.is_finite()),
    }
}

/// Runs `rule(w, g, m, v)` for every element of a parameter `param`, its
/// gradient `grad` and two buffers of the same shape (Adam's moments).
///
/// The caller has checked the shapes; the order in which elements are
/// visited does not change the result.
pub(crate) fn for_each_with_two_buffers<F>(
    mut param: ArrayViewMutD<'_, f64>,
    grad: ArrayViewD<'_, f64>,
    m: &mut ArrayD<f64>,
    v: &mut ArrayD<f64>,
    rule: F,
) where
    F: Fn(&mut f64, f64, &mut f64, &mut f64) + Sync,
{
    let slices = (
        param.as_slice_mut(),
        grad.as_slice(),
        m.as_slice_mut(),
        v.as_slice_mut(),
    );
    if let (Some(w), Some(g), Some(m), Some(v)) = slices {
        let run = |w: &mut [f64], g: &[f64], m: &mut [f64], v: &mut [f64]| {
            let elements = w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut());
            for (((w, &g), m), v) in elements {
                rule(w, g, m, v);
            }
        };
        if w.len() < PARALLEL_MIN_LEN {
            run(w, g, m, v);
        } else {
            let half = w.len() / 2;
            let (w0, w1) = w.split_at_mut(half);
            let (g0, g1) = g.split_at(half);
            let (m0, m1) = m.split_at_mut(half);
            let (v0, v1) = v.split_at_mut(half);
            std::thread::scope(|scope| {
                scope.spawn(|| run(w1, g1, m1, v1));
                run(w0, g0, m0, v0);
            });
        }
    } else {
        Zip::from(&mut param)
            .and(&grad)
            .and(m)
            .and(v)
            .for_each(|w, &g, m, v| rule(w, g, m, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, ArrayD, IxDyn, ShapeBuilder};

    #[test]
    fn the_first_non_finite_value_is_found_in_any_layout() {
        let mut grad = Array2::<f64>::zeros((3, 4));
        assert_eq!(first_non_finite(&grad.view().into_dyn()), None);
        grad[[2, 1]] = f64::NEG_INFINITY;
        grad[[1, 3]] = f64::NAN;
        assert_eq!(first_non_finite(&grad.view().into_dyn()), Some(7));
        // transposed (not contiguous in row-major order): row-major position 1·3 + 2
        assert_eq!(first_non_finite(&grad.t().into_dyn()), Some(5));
    }

    /// The slices path, the two-thread path and the `Zip` path give the same
    /// numbers as a plain loop.
    #[test]
    fn every_path_applies_the_rule_to_every_element_once() {
        let rule = |w: &mut f64, g: f64, m: &mut f64, v: &mut f64| {
            *m += g;
            *v += 2.0 * g;
            *w -= *m * *v;
        };
        for (len, transposed) in [(10, false), (PARALLEL_MIN_LEN + 2, false), (12, true)] {
            let shape = IxDyn(&[len / 2, 2]);
            let grad_data: Vec<f64> = (0..len).map(|i| (i % 7) as f64 - 3.0).collect();
            let grad = if transposed {
                ArrayD::from_shape_vec(shape.clone().f(), grad_data).unwrap()
            } else {
                ArrayD::from_shape_vec(shape.clone(), grad_data).unwrap()
            };
            let mut param = ArrayD::from_elem(shape.clone(), 1.0);
            let mut m = ArrayD::from_elem(shape.clone(), 0.5);
            let mut v = ArrayD::zeros(shape);
            for_each_with_two_buffers(param.view_mut(), grad.view(), &mut m, &mut v, rule);
            for (((w, g), m), v) in param.iter().zip(&grad).zip(&m).zip(&v) {
                assert_eq!((*m, *v), (0.5 + g, 2.0 * g), "len {len}");
                assert_eq!(*w, 1.0 - (0.5 + g) * 2.0 * g, "len {len}");
            }
        }
    }
}
