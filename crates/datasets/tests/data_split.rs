//! Train / validation / test split: disjoint, complete, seeded, stratified.

use std::collections::HashSet;

use datasets::{self, DataError, Dataset, Fractions, split, split_indices};
use ndarray::Array2;
use proptest::prelude::*;

/// A classification set with the given labels and one feature = row index,
/// so every row can be recognised after the split.
fn labelled(labels: Vec<usize>, n_classes: usize) -> Dataset {
    let n = labels.len();
    let x = Array2::from_shape_fn((n, 1), |(i, _)| i as f64);
    Dataset::classification(x, labels, n_classes).unwrap()
}

fn counts(labels: &[usize], rows: &[usize], n_classes: usize) -> Vec<usize> {
    let mut c = vec![0; n_classes];
    for &i in rows {
        c[labels[i]] += 1;
    }
    c
}

#[test]
fn parts_are_disjoint_and_cover_every_row() {
    let digits = datasets::digits();
    let parts = split_indices(&digits, Fractions::new(0.6, 0.2, 0.2).unwrap(), 1).unwrap();
    let mut all: Vec<usize> = [&parts.train, &parts.validation, &parts.test]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..digits.len()).collect::<Vec<_>>());
    let train: HashSet<_> = parts.train.iter().collect();
    assert!(
        parts.test.iter().all(|i| !train.contains(i)),
        "a test row is in train"
    );
    assert!(parts.validation.iter().all(|i| !train.contains(i)));
}

#[test]
fn digits_split_keeps_every_class_within_one_sample() {
    let digits = datasets::digits();
    let labels = digits.labels().unwrap();
    let f = Fractions::default();
    let parts = split_indices(&digits, f, 7).unwrap();
    let totals = digits.class_counts().unwrap();
    for (rows, fraction) in [
        (&parts.train, f.train()),
        (&parts.validation, f.validation()),
        (&parts.test, f.test()),
    ] {
        for (c, &got) in counts(labels, rows, 10).iter().enumerate() {
            let want = totals[c] as f64 * fraction;
            assert!(
                (got as f64 - want).abs() <= 1.0,
                "class {c}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn split_datasets_hold_the_rows_of_their_indices() {
    let iris = datasets::iris();
    let f = Fractions::new(0.5, 0.25, 0.25).unwrap();
    let parts = split_indices(&iris, f, 3).unwrap();
    let sets = split(&iris, f, 3).unwrap();
    assert_eq!(sets.test, iris.select(&parts.test).unwrap());
    assert_eq!(sets.train.class_names(), iris.class_names());
}

#[test]
fn the_same_seed_gives_the_same_split_and_another_seed_another() {
    let digits = datasets::digits();
    let f = Fractions::default();
    let a = split_indices(&digits, f, 5).unwrap();
    assert_eq!(a, split_indices(&digits, f, 5).unwrap());
    let b = split_indices(&digits, f, 6).unwrap();
    assert_ne!(a.test, b.test);
}

#[test]
fn parts_are_not_sorted_by_class() {
    let digits = datasets::digits();
    let parts = split_indices(&digits, Fractions::default(), 2).unwrap();
    let labels = digits.labels().unwrap();
    let first: Vec<usize> = parts.train[..20].iter().map(|&i| labels[i]).collect();
    assert!(first.iter().any(|&l| l != first[0]), "{first:?}");
}

#[test]
fn regression_sets_are_shuffled_to_the_rounded_sizes() {
    let sine = datasets::sine(101, 0.1, 0).unwrap();
    let parts = split_indices(&sine, Fractions::new(0.6, 0.2, 0.2).unwrap(), 9).unwrap();
    // round(60.6) = 61, round(80.8) = 81
    assert_eq!(
        (parts.train.len(), parts.validation.len(), parts.test.len()),
        (61, 20, 20)
    );
    assert_ne!(parts.train[..10], (0..10).collect::<Vec<_>>()[..]);
}

#[test]
fn an_empty_part_with_a_positive_fraction_is_an_error() {
    let tiny = labelled(vec![0, 1, 0, 1], 2);
    let err = split_indices(&tiny, Fractions::new(0.8, 0.1, 0.1).unwrap(), 0).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::EmptyPart {
                part: "validation",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the validation part would be empty: 0.1 of 4 rows rounds to 0; use more data or a larger fraction"
    );
    // a zero fraction may give an empty part
    let parts = split(&tiny, Fractions::new(0.5, 0.0, 0.5).unwrap(), 0).unwrap();
    assert!(parts.validation.is_empty());
    assert_eq!(parts.validation.n_features(), 1);
}

fn fractions() -> impl Strategy<Value = Fractions> {
    (0.05..0.9f64, 0.0..1.0f64).prop_map(|(train, share)| {
        let validation = (1.0 - train) * share;
        Fractions::new(train, validation, 1.0 - train - validation).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each class's count in each part is its total times the part's
    /// fraction, within ±1 sample.
    #[test]
    fn stratification_preserves_each_class_within_one_sample(
        labels in proptest::collection::vec(0usize..5, 1..300),
        f in fractions(),
        seed in any::<u64>(),
    ) {
        let d = labelled(labels.clone(), 5);
        let totals = counts(&labels, &(0..labels.len()).collect::<Vec<_>>(), 5);
        match split_indices(&d, f, seed) {
            Ok(parts) => {
                for (rows, fraction) in [
                    (&parts.train, f.train()),
                    (&parts.validation, f.validation()),
                    (&parts.test, f.test()),
                ] {
                    for (c, &got) in counts(&labels, rows, 5).iter().enumerate() {
                        let want = totals[c] as f64 * fraction;
                        prop_assert!((got as f64 - want).abs() <= 1.0 + 1e-9,
                            "class {} has {} rows, expected {} ± 1", c, got, want);
                    }
                }
                let n = parts.train.len() + parts.validation.len() + parts.test.len();
                prop_assert_eq!(n, labels.len());
            }
            // a part is empty only if every class rounds to 0 rows in it
            // (n_c f <= 1 each), so n f <= number of classes
            Err(DataError::EmptyPart { n, fraction, .. }) => {
                prop_assert!(n as f64 * fraction <= 5.0 + 1e-9, "n = {}, f = {}", n, fraction)
            }
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }
    }
}
