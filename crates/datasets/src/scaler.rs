//! Standardisation: every feature shifted to mean 0 and scaled to
//! standard deviation 1.
//!
//! **Why.** Gradient descent uses one learning rate $\eta$ for every weight.
//! The gradient of a first-layer weight is proportional to its input
//! feature, so a feature measured in thousands pushes its weights a thousand
//! times harder than one measured in thousandths: the loss surface becomes a
//! long narrow valley where any $\eta$ is too large along one axis and too
//! small along the other. Standardised inputs also keep $w^\top x + b$ in
//! the range where $\sigma$ and $\tanh$ are not saturated, and they are what
//! Xavier/He initialisation assumes (unit-variance inputs).
//!
//! **Why fit on the training part only.** The validation and test parts
//! stand in for data that arrives after training. Computing $\mu$ and
//! $\sigma$ over them would let information about them leak into the model
//! and make their scores optimistic. So [`Standardizer::fit`] sees the
//! training features only, and the *same* $\mu$, $\sigma$ are applied to the
//! other parts — and, via checkpoints (hence `serde`), to any data the
//! trained model is evaluated on later.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Zip};
use serde::{Deserialize, Serialize};

use crate::{DataError, Dataset};

/// Per-feature mean and scale fitted on training features.
///
/// For feature $j$ of the $n$ training rows:
/// $$ \mu_j = \frac{1}{n}\sum_{i=1}^{n} x_{ij}, \qquad
///    \sigma_j = \sqrt{\frac{1}{n}\sum_{i=1}^{n} (x_{ij} - \mu_j)^2}, \qquad
///    z_{ij} = \frac{x_{ij} - \mu_j}{s_j}, $$
/// with $s_j = \sigma_j$, except $s_j = 1$ for a constant feature
/// ($\sigma_j = 0$, e.g. a digit's corner pixel that is 0 in every image):
/// dividing by 0 would give NaN, and a feature that never varies carries no
/// information, so it just becomes $x_{ij} - \mu_j = 0$.
/// $\sigma_j$ is the population standard deviation (divide by $n$), as in
/// scikit-learn's `StandardScaler`, so the training part ends up with
/// exactly mean 0 and standard deviation 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StandardizerFields")]
pub struct Standardizer {
    mean: Array1<f64>,
    scale: Array1<f64>,
}

/// The serialized form, checked before it becomes a [`Standardizer`] so a
/// corrupted checkpoint is an error rather than NaN predictions.
#[derive(Deserialize)]
struct StandardizerFields {
    mean: Array1<f64>,
    scale: Array1<f64>,
}

impl TryFrom<StandardizerFields> for Standardizer {
    type Error = DataError;

    fn try_from(fields: StandardizerFields) -> Result<Self, DataError> {
        Self::new(fields.mean, fields.scale)
    }
}

/// $(\mu, s)$ of one feature column.
fn column_statistics(column: ArrayView1<f64>) -> (f64, f64) {
    let first = column[0];
    if column.iter().all(|&v| v == first) {
        // Constant: exactly representable mean, so z is exactly 0 (not the
        // ±1 that rounding noise divided by a tiny σ would give).
        return (first, 1.0);
    }
    let n = column.len() as f64;
    // Two passes (mean first, then squared deviations) rather than
    // E[x²] − E[x]², which cancels catastrophically for large means.
    let mu = column.sum() / n;
    let sigma = (column.iter().map(|&v| (v - mu).powi(2)).sum::<f64>() / n).sqrt();
    if mu.is_finite() && sigma.is_normal() {
        return (mu, sigma);
    }
    // Magnitudes near f64::MAX overflow the squares, near f64::MIN_POSITIVE
    // they underflow: redo the sums on x / max|x|, which lies in [-1, 1].
    let c = column.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let mu_y = column.iter().map(|&v| v / c).sum::<f64>() / n;
    let sigma_y = (column.iter().map(|&v| (v / c - mu_y).powi(2)).sum::<f64>() / n).sqrt();
    let sigma = sigma_y * c;
    (mu_y * c, if sigma.is_normal() { sigma } else { 1.0 })
}

impl Standardizer {
    /// A scaler from known means and scales: same length, means finite,
    /// scales finite and $> 0$.
    pub fn new(mean: Array1<f64>, scale: Array1<f64>) -> Result<Self, DataError> {
        if scale.len() != mean.len() {
            return Err(DataError::FeatureCount {
                what: "scale",
                expected: mean.len(),
                found: scale.len(),
            });
        }
        if let Some(m) = mean.iter().find(|m| !m.is_finite()) {
            return Err(DataError::InvalidParameter {
                name: "mean",
                value: m.to_string(),
                expected: "a finite number",
            });
        }
        if let Some(s) = scale.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(DataError::InvalidParameter {
                name: "scale",
                value: s.to_string(),
                expected: "a finite number > 0",
            });
        }
        Ok(Self { mean, scale })
    }

    /// Fits $\mu_j$ and $s_j$ on training features `x` ($n \times d$, $n \ge 1$).
    pub fn fit(x: ArrayView2<f64>) -> Result<Self, DataError> {
        if x.is_empty() {
            return Err(DataError::Empty {
                what: "fitting a standardizer",
                shape: x.dim(),
            });
        }
        let (mean, scale): (Vec<f64>, Vec<f64>) =
            x.columns().into_iter().map(column_statistics).unzip();
        Self::new(Array1::from(mean), Array1::from(scale))
    }

    /// Per-feature means $\mu_j$.
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// Per-feature scales $s_j$ ($\sigma_j$, or 1 for constant features).
    pub fn scale(&self) -> &Array1<f64> {
        &self.scale
    }

    /// Number of features $d$ it was fitted on.
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    fn check_width(&self, what: &'static str, found: usize) -> Result<(), DataError> {
        if found == self.n_features() {
            Ok(())
        } else {
            Err(DataError::FeatureCount {
                what,
                expected: self.n_features(),
                found,
            })
        }
    }

    /// $z_{ij} = (x_{ij} - \mu_j) / s_j$ in place.
    pub fn transform_inplace(&self, mut x: ArrayViewMut2<f64>) -> Result<(), DataError> {
        self.check_width("the input", x.ncols())?;
        for mut row in x.rows_mut() {
            Zip::from(&mut row)
                .and(&self.mean)
                .and(&self.scale)
                .for_each(|x_ij, &mu_j, &s_j| *x_ij = (*x_ij - mu_j) / s_j);
        }
        Ok(())
    }

    /// $z_{ij} = (x_{ij} - \mu_j) / s_j$ as a new matrix.
    pub fn transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, DataError> {
        let mut z = x.to_owned();
        self.transform_inplace(z.view_mut())?;
        Ok(z)
    }

    /// Back to the original units: $x_{ij} = z_{ij} s_j + \mu_j$.
    pub fn inverse_transform(&self, z: ArrayView2<f64>) -> Result<Array2<f64>, DataError> {
        self.check_width("the input", z.ncols())?;
        let mut x = z.to_owned();
        for mut row in x.rows_mut() {
            Zip::from(&mut row)
                .and(&self.mean)
                .and(&self.scale)
                .for_each(|v, &mu_j, &s_j| *v = *v * s_j + mu_j);
        }
        Ok(x)
    }

    /// The data set with standardised features (targets unchanged).
    pub fn apply(&self, dataset: Dataset) -> Result<Dataset, DataError> {
        let z = self.transform(dataset.x().view())?;
        dataset.with_features(z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_small_example_by_hand() {
        // column 0: mean 2, σ = sqrt(2/3); column 1: mean 10, σ = sqrt(200/3)
        let x = array![[1.0, 0.0], [2.0, 10.0], [3.0, 20.0]];
        let s = Standardizer::fit(x.view()).unwrap();
        assert_eq!(s.mean(), &array![2.0, 10.0]);
        let z = s.transform(x.view()).unwrap();
        let a = (1.5f64).sqrt();
        gradcheck::assert_all_close(&z, &array![[-a, -a], [0.0, 0.0], [a, a]], "z");
    }

    #[test]
    fn a_constant_column_becomes_exactly_zero() {
        // the mean of three 0.1s is not exactly 0.1 in floating point; a
        // rounding-noise σ ~ 1e-17 must not turn the column into ±1
        let x = array![[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]];
        let s = Standardizer::fit(x.view()).unwrap();
        assert_eq!((s.mean()[0], s.scale()[0]), (0.1, 1.0));
        let z = s.transform(x.view()).unwrap();
        assert!(z.column(0).iter().all(|&v| v == 0.0), "{z}");
    }

    #[test]
    fn extreme_magnitudes_give_finite_statistics() {
        let huge = array![[1e308], [-1e308], [1e308]];
        let s = Standardizer::fit(huge.view()).unwrap();
        let expected_scale = (8.0f64 / 9.0).sqrt() * 1e308;
        assert!(
            (s.scale()[0] / expected_scale - 1.0).abs() < 1e-12,
            "{}",
            s.scale()
        );
        let z = s.transform(huge.view()).unwrap();
        assert!(z.iter().all(|v| v.is_finite()), "{z}");

        let tiny = array![[1e-310], [3e-310]];
        let s = Standardizer::fit(tiny.view()).unwrap();
        assert_eq!(s.scale()[0], 1.0, "a subnormal σ is treated as no spread");
        assert!(
            s.transform(tiny.view())
                .unwrap()
                .iter()
                .all(|v| v.is_finite())
        );
    }

    #[test]
    fn invalid_scales_and_widths_are_errors() {
        let cases = [
            (
                Standardizer::new(array![0.0], array![0.0]).unwrap_err(),
                "invalid scale = 0: expected a finite number > 0",
            ),
            (
                Standardizer::new(array![f64::NAN], array![1.0]).unwrap_err(),
                "invalid mean = NaN: expected a finite number",
            ),
            (
                Standardizer::new(array![0.0, 1.0], array![1.0]).unwrap_err(),
                "scale has 1 feature columns but 2 were expected",
            ),
            (
                Standardizer::fit(Array2::zeros((0, 3)).view()).unwrap_err(),
                "fitting a standardizer needs at least one row and one feature, got shape (0, 3)",
            ),
            (
                Standardizer::new(array![0.0], array![1.0])
                    .unwrap()
                    .transform(Array2::zeros((2, 3)).view())
                    .unwrap_err(),
                "the input has 3 feature columns but 1 were expected",
            ),
        ];
        for (err, message) in cases {
            assert_eq!(err.to_string(), message);
        }
    }
}
