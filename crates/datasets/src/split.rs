//! Train / validation / test split.
//!
//! Why three parts:
//!
//! * **train** — the only data the gradients see: batches come from here
//!   and an epoch is one pass over it.
//! * **validation** — measured after each epoch to choose hyperparameters
//!   and to stop early; never used for gradients, but it does influence
//!   choices, so it is not an unbiased judge.
//! * **test** — looked at once at the end: an honest estimate of the error
//!   on data the model and its designer have never seen.
//!
//! *Correction to the lecture* ("Исправление"). The lecture's training loop
//! says the batch is taken from "тестовых данных" and that an epoch is a pass
//! over "тестовой выборки" (test data). Both are the **training** data: the
//! test data is never used to compute gradients, or it stops being a test.
//! Here the parts are disjoint by construction (test
//! `parts_are_disjoint_and_cover_every_row` in `tests/data_split.rs`).
//!
//! **Why stratify.** For classification each class is split separately, so
//! every part keeps the class proportions of the whole (within ±1 sample per
//! class). A plain shuffle of iris (150 rows) could give a 23-row test part
//! with 4 setosas and 11 virginicas, and its accuracy would measure the
//! luck of the draw as much as the model. Regression sets are simply
//! shuffled.
//!
//! Both are seeded: the same seed gives the same split, which is what makes
//! a run reproducible and a resumed run identical to an uninterrupted one.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::{DataError, Dataset, Standardizer};

/// The fractions of the rows that go to each part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fractions {
    train: f64,
    validation: f64,
    test: f64,
}

impl Fractions {
    /// Checked fractions: each in $[0, 1]$, `train` $> 0$, and they sum to 1
    /// (within $10^{-9}$).
    pub fn new(train: f64, validation: f64, test: f64) -> Result<Self, DataError> {
        let in_unit = |f: f64| (0.0..=1.0).contains(&f);
        let valid = in_unit(train)
            && in_unit(validation)
            && in_unit(test)
            && train > 0.0
            && (train + validation + test - 1.0).abs() <= 1e-9;
        if valid {
            Ok(Self {
                train,
                validation,
                test,
            })
        } else {
            Err(DataError::Fractions {
                train,
                validation,
                test,
            })
        }
    }

    /// The training fraction.
    pub fn train(&self) -> f64 {
        self.train
    }

    /// The validation fraction.
    pub fn validation(&self) -> f64 {
        self.validation
    }

    /// The test fraction.
    pub fn test(&self) -> f64 {
        self.test
    }
}

impl Default for Fractions {
    /// 70 % train, 15 % validation, 15 % test.
    fn default() -> Self {
        Self {
            train: 0.7,
            validation: 0.15,
            test: 0.15,
        }
    }
}

/// Row indices of each part (disjoint; together every row exactly once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitIndices {
    /// Rows for training.
    pub train: Vec<usize>,
    /// Rows for validation.
    pub validation: Vec<usize>,
    /// Rows for the final test.
    pub test: Vec<usize>,
}

/// The three parts as data sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Training part.
    pub train: Dataset,
    /// Validation part (may be empty if its fraction is 0).
    pub validation: Dataset,
    /// Test part (may be empty if its fraction is 0).
    pub test: Dataset,
}

/// Appends `rows` cut at the rounded cumulative fractions: the first
/// $\operatorname{round}(m f_{\text{train}})$ to train, up to
/// $\operatorname{round}(m (f_{\text{train}} + f_{\text{val}}))$ to
/// validation, the rest to test. Each part is within ±1 of $m f$: each cut
/// is off by at most ½.
fn cut(rows: &[usize], fractions: Fractions, parts: &mut SplitIndices) {
    let m = rows.len() as f64;
    let b1 = ((m * fractions.train).round() as usize).min(rows.len());
    let b2 =
        ((m * (fractions.train + fractions.validation)).round() as usize).clamp(b1, rows.len());
    parts.train.extend_from_slice(&rows[..b1]);
    parts.validation.extend_from_slice(&rows[b1..b2]);
    parts.test.extend_from_slice(&rows[b2..]);
}

/// Seeded indices of a split: stratified by class for classification,
/// shuffled for regression.
pub fn split_indices(
    dataset: &Dataset,
    fractions: Fractions,
    seed: u64,
) -> Result<SplitIndices, DataError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut parts = SplitIndices {
        train: Vec::new(),
        validation: Vec::new(),
        test: Vec::new(),
    };
    match (dataset.labels(), dataset.n_classes()) {
        (Some(labels), Some(n_classes)) => {
            let mut by_class = vec![Vec::new(); n_classes];
            for (i, &label) in labels.iter().enumerate() {
                by_class[label].push(i);
            }
            for mut rows in by_class {
                rows.shuffle(&mut rng);
                cut(&rows, fractions, &mut parts);
            }
            // Class-sorted parts would feed whole classes in a row to a
            // trainer that forgot to shuffle.
            parts.train.shuffle(&mut rng);
            parts.validation.shuffle(&mut rng);
            parts.test.shuffle(&mut rng);
        }
        _ => {
            let mut rows: Vec<usize> = (0..dataset.len()).collect();
            rows.shuffle(&mut rng);
            cut(&rows, fractions, &mut parts);
        }
    }
    let checks = [
        ("train", &parts.train, fractions.train),
        ("validation", &parts.validation, fractions.validation),
        ("test", &parts.test, fractions.test),
    ];
    for (part, rows, fraction) in checks {
        if rows.is_empty() && fraction > 0.0 {
            return Err(DataError::EmptyPart {
                part,
                n: dataset.len(),
                fraction,
            });
        }
    }
    Ok(parts)
}

/// Splits `dataset` into train, validation and test parts (see
/// [`split_indices`]).
pub fn split(dataset: &Dataset, fractions: Fractions, seed: u64) -> Result<Split, DataError> {
    let parts = split_indices(dataset, fractions, seed)?;
    Ok(Split {
        train: dataset.select(&parts.train)?,
        validation: dataset.select(&parts.validation)?,
        test: dataset.select(&parts.test)?,
    })
}

impl Split {
    /// Standardises all three parts with a [`Standardizer`] fitted on the
    /// training part only, and returns it (checkpoints store it so that
    /// evaluation applies the same transformation).
    pub fn standardize(self) -> Result<(Self, Standardizer), DataError> {
        let scaler = Standardizer::fit(self.train.x().view())?;
        let split = Self {
            train: scaler.apply(self.train)?,
            validation: scaler.apply(self.validation)?,
            test: scaler.apply(self.test)?,
        };
        Ok((split, scaler))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_validated() {
        let bad = [
            (0.0, 0.5, 0.5),
            (0.5, 0.5, 0.5),
            (1.2, -0.1, -0.1),
            (f64::NAN, 0.5, 0.5),
            (0.7, 0.2, 0.2),
        ];
        for (train, validation, test) in bad {
            let err = Fractions::new(train, validation, test).unwrap_err();
            assert!(matches!(err, DataError::Fractions { .. }), "{err}");
        }
        assert_eq!(
            Fractions::new(0.5, 0.5, 0.5).unwrap_err().to_string(),
            "invalid split fractions train = 0.5, validation = 0.5, test = 0.5: \
             each must be in [0, 1], train > 0, and they must sum to 1"
        );
        assert!(Fractions::new(0.8, 0.1, 0.1).is_ok());
        assert!(Fractions::new(1.0, 0.0, 0.0).is_ok());
    }

    #[test]
    fn cut_rounds_each_boundary() {
        let rows: Vec<usize> = (0..10).collect();
        let mut parts = SplitIndices {
            train: vec![],
            validation: vec![],
            test: vec![],
        };
        cut(&rows, Fractions::new(0.55, 0.3, 0.15).unwrap(), &mut parts);
        // 5.5 rounds to 6; 8.5 rounds to 9
        assert_eq!(parts.train, (0..6).collect::<Vec<_>>());
        assert_eq!(parts.validation, vec![6, 7, 8]);
        assert_eq!(parts.test, vec![9]);
    }
}
