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

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis, Zip};
use serde::{Deserialize, Serialize};

use super::{DataError, Dataset};

/// Per-feature mean and scale fitted on training features.
///
/// For feature $j$ of the $n$ training rows:
/// $$ \mu_j = \frac{1}{n}\sum_{i=1}^{n} x_{ij}, \qquad
///    \sigma_j = \sqrt{\frac{1}{n}\sum_{i=1}^{n} (x_{ij} - \mu_j)^2}, \qquad
///    z_{ij} = \frac{x_{ij} - \mu_j}{s_j}, $$
/// with $s_j = \sigma_j$, except $s_j = 1$ for a constant feature
/// ($\sigma_j = 0$ up to rounding, e.g. a digit's corner pixel that is 0 in
/// every image): dividing by 0 would give NaN, and a feature that never
/// varies carries no information, so it just becomes $x_{ij} - \mu_j = 0$.
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
        let n = x.nrows() as f64;
        let mean = x.mean_axis(Axis(0)).expect("x has at least one row");
        // Two passes (mean first, then squared deviations) rather than
        // E[x²] − E[x]², which cancels catastrophically for large means.
        let mut variance = Array1::zeros(x.ncols());
        for row in x.rows() {
            Zip::from(&mut variance)
                .and(&row)
                .and(&mean)
                .for_each(|v, &x_ij, &mu_j| *v += (x_ij - mu_j).powi(2));
        }
        let scale = Zip::from(&variance)
            .and(&mean)
            .map_collect(|&v: &f64, &mu_j: &f64| {
                let sigma = (v / n).sqrt();
                // A constant column still shows rounding noise ~ε·|μ|
                // (e.g. the mean of three 0.1s is not exactly 0.1).
                if sigma <= 10.0 * f64::EPSILON * mu_j.abs() {
                    1.0
                } else {
                    sigma
                }
            });
        Self::new(mean, scale)
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
    fn a_constant_column_with_rounding_noise_is_not_blown_up() {
        let x = array![[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]];
        let s = Standardizer::fit(x.view()).unwrap();
        assert_eq!(s.scale()[0], 1.0);
        let z = s.transform(x.view()).unwrap();
        assert!(z.column(0).iter().all(|v| v.abs() < 1e-15), "{z}");
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
