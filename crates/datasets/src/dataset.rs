//! A data set: the features $X$ (one sample per row) and what the network
//! should predict from them.
//!
//! The lecture's network is a function $f_\theta : \mathbb{R}^d \to \mathbb{R}^k$.
//! A data set supplies its inputs and outputs: the $n \times d$ matrix $X$
//! whose row $i$ is the sample $x_i$, and either
//!
//! * a **class label** $y_i \in \{0, \dots, k-1\}$ per sample (classification),
//!   which the losses receive as a one-hot row ($k$ columns, a 1 in column
//!   $y_i$) — see [`one_hot`]; or
//! * a **target vector** $y_i \in \mathbb{R}^k$ per sample (regression), an
//!   $n \times k$ matrix.
//!
//! Every value is checked to be finite when a data set is built, so the
//! training loop never has to wonder where a NaN came from.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

use crate::DataError;

/// What the network should predict for each sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// One class label per sample (classification).
    Classes {
        /// `labels[i]` is the class of sample `i`, in `0..n_classes`.
        labels: Vec<usize>,
        /// Number of classes $k$ (the network's output width).
        n_classes: usize,
        /// A readable name per class (`"setosa"`, `"7"` …).
        names: Vec<String>,
    },
    /// One real-valued vector per sample (regression).
    Values {
        /// The $n \times k$ targets, one sample per row.
        y: Array2<f64>,
        /// A name per target column.
        names: Vec<String>,
    },
}

/// Features and targets of $n$ samples, checked to fit together.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    name: String,
    x: Array2<f64>,
    feature_names: Vec<String>,
    target: Target,
}

/// Names `prefix0, prefix1, …` for columns that came without names.
pub(crate) fn numbered(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|j| format!("{prefix}{j}")).collect()
}

fn check_finite(what: &'static str, a: ArrayView2<f64>) -> Result<(), DataError> {
    match a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((row, col), &value)) => Err(DataError::NotFinite {
            what,
            row,
            col,
            value,
        }),
        None => Ok(()),
    }
}

fn check_names(what: &'static str, names: &[String], expected: usize) -> Result<(), DataError> {
    if names.len() == expected {
        Ok(())
    } else {
        Err(DataError::NameCount {
            what,
            expected,
            found: names.len(),
        })
    }
}

/// Labels as one-hot rows: row $i$ has a 1 in column $y_i$ and 0 elsewhere.
///
/// $$ Y_{ij} = [\, y_i = j \,], \qquad Y \in \{0, 1\}^{n \times k} $$
///
/// This is the target layout the losses expect (`n × k`, one sample per row),
/// so cross-entropy $-\sum_j Y_{ij} \log p_{ij}$ picks out $-\log p_{i y_i}$.
pub fn one_hot(labels: &[usize], n_classes: usize) -> Result<Array2<f64>, DataError> {
    let mut y = Array2::zeros((labels.len(), n_classes));
    for (row, &label) in labels.iter().enumerate() {
        if label >= n_classes {
            return Err(DataError::LabelOutOfRange {
                row,
                label,
                n_classes,
            });
        }
        y[[row, label]] = 1.0;
    }
    Ok(y)
}

impl Dataset {
    /// A classification set: features `x` ($n \times d$) and one label per
    /// row in `0..n_classes`. Classes are named `"0"`, `"1"`, … until
    /// [`with_class_names`](Self::with_class_names) says otherwise.
    pub fn classification(
        x: Array2<f64>,
        labels: Vec<usize>,
        n_classes: usize,
    ) -> Result<Self, DataError> {
        check_finite("features", x.view())?;
        if labels.len() != x.nrows() {
            return Err(DataError::LengthMismatch {
                what: "labels",
                expected: x.nrows(),
                found: labels.len(),
            });
        }
        if let Some((row, &label)) = labels.iter().enumerate().find(|(_, l)| **l >= n_classes) {
            return Err(DataError::LabelOutOfRange {
                row,
                label,
                n_classes,
            });
        }
        Ok(Self {
            name: String::from("unnamed"),
            feature_names: numbered("x", x.ncols()),
            x,
            target: Target::Classes {
                labels,
                n_classes,
                names: (0..n_classes).map(|c| c.to_string()).collect(),
            },
        })
    }

    /// A regression set: features `x` ($n \times d$) and targets `y` ($n \times k$).
    pub fn regression(x: Array2<f64>, y: Array2<f64>) -> Result<Self, DataError> {
        check_finite("features", x.view())?;
        check_finite("targets", y.view())?;
        if y.nrows() != x.nrows() {
            return Err(DataError::LengthMismatch {
                what: "targets",
                expected: x.nrows(),
                found: y.nrows(),
            });
        }
        let names = if y.ncols() == 1 {
            vec![String::from("y")]
        } else {
            numbered("y", y.ncols())
        };
        Ok(Self {
            name: String::from("unnamed"),
            feature_names: numbered("x", x.ncols()),
            x,
            target: Target::Values { y, names },
        })
    }

    /// The same data under another name (shown in reports and errors).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The same data with a name per feature column.
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self, DataError> {
        check_names("feature names", &names, self.n_features())?;
        self.feature_names = names;
        Ok(self)
    }

    /// The same data with a name per class; an error for a regression set.
    pub fn with_class_names(mut self, new_names: Vec<String>) -> Result<Self, DataError> {
        match &mut self.target {
            Target::Classes {
                n_classes, names, ..
            } => {
                check_names("class names", &new_names, *n_classes)?;
                *names = new_names;
                Ok(self)
            }
            Target::Values { .. } => Err(DataError::NotClassification {
                what: "naming classes",
                name: self.name,
            }),
        }
    }

    /// The same data with a name per target column (for classification: the
    /// label column's name is not stored, so this only applies to regression).
    pub fn with_target_names(mut self, new_names: Vec<String>) -> Result<Self, DataError> {
        if let Target::Values { y, names } = &mut self.target {
            check_names("target names", &new_names, y.ncols())?;
            *names = new_names;
        }
        Ok(self)
    }

    /// The data set's name (`"digits"`, a file path …).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The features, $n \times d$, one sample per row.
    pub fn x(&self) -> &Array2<f64> {
        &self.x
    }

    /// The targets.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// One name per feature column.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Number of samples $n$.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Whether the set has no samples (a split part with fraction 0).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of features $d$ (the network's input width).
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Width $k$ of the target matrix: the number of classes, or of target columns.
    pub fn n_outputs(&self) -> usize {
        match &self.target {
            Target::Classes { n_classes, .. } => *n_classes,
            Target::Values { y, .. } => y.ncols(),
        }
    }

    /// Whether the targets are class labels.
    pub fn is_classification(&self) -> bool {
        matches!(self.target, Target::Classes { .. })
    }

    /// The class labels, or `None` for a regression set.
    pub fn labels(&self) -> Option<&[usize]> {
        match &self.target {
            Target::Classes { labels, .. } => Some(labels),
            Target::Values { .. } => None,
        }
    }

    /// Number of classes, or `None` for a regression set.
    pub fn n_classes(&self) -> Option<usize> {
        match &self.target {
            Target::Classes { n_classes, .. } => Some(*n_classes),
            Target::Values { .. } => None,
        }
    }

    /// Class names, or `None` for a regression set.
    pub fn class_names(&self) -> Option<&[String]> {
        match &self.target {
            Target::Classes { names, .. } => Some(names),
            Target::Values { .. } => None,
        }
    }

    /// Names of the target matrix's columns: the class names, or the target names.
    pub fn target_names(&self) -> &[String] {
        match &self.target {
            Target::Classes { names, .. } | Target::Values { names, .. } => names,
        }
    }

    /// How many samples each class has, or `None` for a regression set.
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        let Target::Classes {
            labels, n_classes, ..
        } = &self.target
        else {
            return None;
        };
        let mut counts = vec![0; *n_classes];
        for &label in labels {
            counts[label] += 1;
        }
        Some(counts)
    }

    /// The $n \times k$ target matrix the losses take: one-hot rows for
    /// classification ([`one_hot`]), the targets themselves for regression.
    pub fn target_matrix(&self) -> Array2<f64> {
        match &self.target {
            Target::Classes {
                labels, n_classes, ..
            } => one_hot(labels, *n_classes).expect("labels were checked when the set was built"),
            Target::Values { y, .. } => y.clone(),
        }
    }

    /// A new data set made of the rows `indices` (in that order, repeats
    /// allowed). Allocates; for training batches use
    /// [`gather_into`](Self::gather_into) or [`BatchBuffer`](crate::BatchBuffer).
    pub fn select(&self, indices: &[usize]) -> Result<Self, DataError> {
        self.check_indices(indices)?;
        let x = self.x.select(Axis(0), indices);
        let target = match &self.target {
            Target::Classes {
                labels,
                n_classes,
                names,
            } => Target::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                n_classes: *n_classes,
                names: names.clone(),
            },
            Target::Values { y, names } => Target::Values {
                y: y.select(Axis(0), indices),
                names: names.clone(),
            },
        };
        Ok(Self {
            name: self.name.clone(),
            x,
            feature_names: self.feature_names.clone(),
            target,
        })
    }

    /// Copies the rows `indices` into caller-owned buffers without
    /// allocating: features into `x_out` (`m × d`) and the target matrix's
    /// rows (one-hot or regression targets) into `y_out` (`m × k`), where
    /// `m = indices.len()`.
    ///
    /// The training loop owns one pair of buffers for the whole run and
    /// passes views of their first `m` rows, so no batch allocates.
    pub fn gather_into(
        &self,
        indices: &[usize],
        mut x_out: ArrayViewMut2<f64>,
        mut y_out: ArrayViewMut2<f64>,
    ) -> Result<(), DataError> {
        let rows = indices.len();
        let x_shape = (rows, self.n_features());
        let y_shape = (rows, self.n_outputs());
        if x_out.dim() != x_shape {
            return Err(DataError::BufferShape {
                what: "x",
                expected: x_shape,
                found: x_out.dim(),
                rows,
            });
        }
        if y_out.dim() != y_shape {
            return Err(DataError::BufferShape {
                what: "y",
                expected: y_shape,
                found: y_out.dim(),
                rows,
            });
        }
        self.check_indices(indices)?;
        for (r, &i) in indices.iter().enumerate() {
            x_out.row_mut(r).assign(&self.x.row(i));
            match &self.target {
                Target::Classes { labels, .. } => {
                    let mut y_row = y_out.row_mut(r);
                    y_row.fill(0.0);
                    y_row[labels[i]] = 1.0;
                }
                Target::Values { y, .. } => y_out.row_mut(r).assign(&y.row(i)),
            }
        }
        Ok(())
    }

    fn check_indices(&self, indices: &[usize]) -> Result<(), DataError> {
        match indices.iter().find(|&&i| i >= self.len()) {
            Some(&index) => Err(DataError::IndexOutOfRange {
                index,
                len: self.len(),
            }),
            None => Ok(()),
        }
    }

    /// The same samples with new features of the same shape (used by the
    /// scaler). Checked finite.
    pub(crate) fn with_features(mut self, x: Array2<f64>) -> Result<Self, DataError> {
        debug_assert_eq!(x.dim(), self.x.dim());
        check_finite("features", x.view())?;
        self.x = x;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn tiny() -> Dataset {
        Dataset::classification(array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], vec![0, 2, 1], 3)
            .unwrap()
    }

    #[test]
    fn one_hot_puts_a_single_one_in_the_label_column() {
        let y = one_hot(&[2, 0, 1], 3).unwrap();
        assert_eq!(y, array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    }

    #[test]
    fn one_hot_rejects_a_label_past_the_last_class() {
        let err = one_hot(&[0, 3], 3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "label 3 of row 1 is out of range: expected 0..3"
        );
    }

    #[test]
    fn counts_and_sizes() {
        let d = tiny();
        assert_eq!((d.len(), d.n_features(), d.n_outputs()), (3, 2, 3));
        assert_eq!(d.n_classes(), Some(3));
        assert_eq!(d.class_counts(), Some(vec![1, 1, 1]));
        assert_eq!(d.class_names().unwrap(), ["0", "1", "2"]);
        assert!(d.is_classification() && !d.is_empty());
    }

    #[test]
    fn construction_errors_name_the_problem() {
        let cases: Vec<(Result<Dataset, DataError>, &str)> = vec![
            (
                Dataset::classification(array![[1.0], [2.0]], vec![0], 2),
                "labels has 1 rows but the features have 2; they must match",
            ),
            (
                Dataset::classification(array![[1.0], [f64::NAN]], vec![0, 1], 2),
                "features[1, 0] = NaN is not a finite number",
            ),
            (
                Dataset::regression(array![[1.0]], array![[f64::INFINITY]]),
                "targets[0, 0] = inf is not a finite number",
            ),
            (
                Dataset::regression(array![[1.0], [2.0]], array![[1.0]]),
                "targets has 1 rows but the features have 2; they must match",
            ),
            (
                tiny().with_class_names(vec!["a".into()]),
                "class names: 1 names given for 3 columns",
            ),
            (
                Dataset::regression(array![[1.0]], array![[1.0]])
                    .unwrap()
                    .with_name("sine")
                    .with_class_names(vec![]),
                "naming classes needs class labels, but data set \"sine\" has regression targets",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn select_keeps_rows_and_labels_together() {
        let s = tiny().select(&[2, 0, 2]).unwrap();
        assert_eq!(s.x(), &array![[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]);
        assert_eq!(s.labels().unwrap(), [1, 0, 1]);
        let err = tiny().select(&[3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "row index 3 is out of range: the data set has 3 rows"
        );
    }

    #[test]
    fn gather_into_overwrites_old_one_hot_rows() {
        let d = tiny();
        let mut x = Array2::from_elem((2, 2), 9.0);
        let mut y = Array2::from_elem((2, 3), 9.0);
        d.gather_into(&[1, 0], x.view_mut(), y.view_mut()).unwrap();
        assert_eq!(x, array![[3.0, 4.0], [1.0, 2.0]]);
        assert_eq!(y, array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
    }

    #[test]
    fn gather_into_checks_buffer_shapes() {
        let d = tiny();
        let mut x = Array2::zeros((2, 2));
        let mut y = Array2::zeros((2, 2));
        let err = d
            .gather_into(&[1, 0], x.view_mut(), y.view_mut())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "batch buffer y has shape (2, 2) but (2, 3) is needed for 2 rows"
        );
    }

    #[test]
    fn regression_target_matrix_is_the_targets() {
        let d = Dataset::regression(array![[0.0], [1.0]], array![[0.5], [-0.5]]).unwrap();
        assert_eq!(d.target_matrix(), array![[0.5], [-0.5]]);
        assert_eq!(d.labels(), None);
        assert_eq!(d.target_names(), ["y"]);
    }
}
