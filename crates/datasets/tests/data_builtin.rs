//! The embedded data sets match the figures in `data/PROVENANCE.md`, the
//! synthetic ones are reproducible from their seed, and lookup by name works.

use datasets::{
    self, BUILTIN_NAMES, BatchBuffer, Dataset, Target, builtin, circles, sine, spirals, two_moons,
    xor,
};

#[test]
fn digits_match_the_provenance_figures() {
    let d = datasets::digits();
    assert_eq!(d.name(), "digits");
    assert_eq!(
        (d.len(), d.n_features(), d.n_classes()),
        (1797, 64, Some(10))
    );
    assert_eq!(d.x().sum(), 561_718.0, "sum of all pixels");
    assert_eq!(
        d.labels().unwrap().iter().sum::<usize>(),
        8070,
        "sum of labels"
    );
    assert_eq!(
        d.class_counts().unwrap(),
        [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    );
    assert!(
        d.x()
            .iter()
            .all(|&p| (0.0..=16.0).contains(&p) && p.fract() == 0.0)
    );
    // first image of the file, first row of pixels: 0,0,5,13,9,1,0,0
    assert_eq!(
        d.x().row(0).iter().take(8).copied().collect::<Vec<_>>(),
        [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
    );
    assert_eq!(d.feature_names()[9], "r1c1");
}

#[test]
fn digits_have_the_three_constant_pixels_the_provenance_names() {
    let d = datasets::digits();
    let constant: Vec<usize> = (0..64)
        .filter(|&j| d.x().column(j).iter().all(|&p| p == d.x()[[0, j]]))
        .collect();
    assert_eq!(constant, [0, 32, 39]);
}

#[test]
fn iris_matches_the_provenance_figures() {
    let d = datasets::iris();
    assert_eq!((d.len(), d.n_features()), (150, 4));
    assert_eq!(d.class_counts().unwrap(), [50, 50, 50]);
    assert_eq!(
        d.class_names().unwrap(),
        ["setosa", "versicolor", "virginica"]
    );
    assert_eq!(d.feature_names()[2], "petal length (cm)");
    assert_eq!(d.x().row(0).to_vec(), [5.1, 3.5, 1.4, 0.2]);
    assert_eq!(d.labels().unwrap()[0], 0);
    // the last flower of the file: 5.9,3.0,5.1,1.8 → virginica
    assert_eq!(d.x().row(149).to_vec(), [5.9, 3.0, 5.1, 1.8]);
    assert_eq!(d.labels().unwrap()[149], 2);
}

type Generator = fn(u64) -> Dataset;

/// Every synthetic generator at a small size, for the determinism tests.
fn generators() -> Vec<(&'static str, Generator)> {
    vec![
        ("xor", |s| xor(64, 0.1, s).unwrap()),
        ("moons", |s| two_moons(64, 0.1, s).unwrap()),
        ("circles", |s| circles(64, 0.1, 0.5, s).unwrap()),
        ("spirals", |s| spirals(64, 3, 0.1, s).unwrap()),
        ("sine", |s| sine(64, 0.1, s).unwrap()),
    ]
}

#[test]
fn the_same_seed_gives_bit_identical_data() {
    for (name, generate) in generators() {
        let (a, b) = (generate(11), generate(11));
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn another_seed_gives_other_data() {
    for (name, generate) in generators() {
        let (a, b) = (generate(11), generate(12));
        assert_ne!(a.x(), b.x(), "{name}");
    }
}

#[test]
fn without_noise_only_the_positions_change_with_the_seed() {
    // noise 0 must not collapse the sample to a fixed grid
    assert_ne!(
        two_moons(20, 0.0, 1).unwrap().x(),
        two_moons(20, 0.0, 2).unwrap().x()
    );
}

#[test]
fn noise_has_the_requested_spread() {
    // sine: residuals y − sin x are the noise; their std should be ≈ noise
    let d = sine(4000, 0.2, 3).unwrap();
    let Target::Values { y, .. } = d.target() else {
        panic!("sine is a regression set")
    };
    let residuals: Vec<f64> = d
        .x()
        .column(0)
        .iter()
        .zip(y.column(0))
        .map(|(x, y)| y - x.sin())
        .collect();
    let n = residuals.len() as f64;
    let mean = residuals.iter().sum::<f64>() / n;
    let std = (residuals.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n).sqrt();
    assert!(mean.abs() < 0.02, "mean {mean}");
    assert!((std - 0.2).abs() < 0.01, "std {std}");
}

#[test]
fn every_builtin_name_loads_with_its_documented_size() {
    let expected = [
        ("digits", 1797, 64, 10),
        ("iris", 150, 4, 3),
        ("xor", 400, 2, 2),
        ("moons", 400, 2, 2),
        ("circles", 400, 2, 2),
        ("spirals", 600, 2, 3),
        ("sine", 200, 1, 1),
    ];
    assert_eq!(BUILTIN_NAMES.to_vec(), expected.map(|e| e.0).to_vec());
    for (name, n, d, k) in expected {
        let set = builtin(name, 0).unwrap();
        assert_eq!(
            (set.len(), set.n_features(), set.n_outputs()),
            (n, d, k),
            "{name}"
        );
    }
    assert!(!builtin("sine", 0).unwrap().is_classification());
}

#[test]
fn an_unknown_name_lists_the_known_ones() {
    let err = builtin("mnist", 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown data set \"mnist\"; known data sets: digits, iris, xor, moons, circles, spirals, sine"
    );
}

#[test]
fn batches_from_the_buffer_equal_selected_rows() {
    let d = datasets::digits();
    let mut buffer = BatchBuffer::new(&d, 32);
    let indices: Vec<usize> = (0..32).map(|i| (i * 53) % d.len()).collect();
    let expected = d.select(&indices).unwrap();
    let (x, y) = buffer.fill(&d, &indices).unwrap();
    assert_eq!(x, expected.x());
    assert_eq!(y, expected.target_matrix());
    for (row, &label) in y.rows().into_iter().zip(expected.labels().unwrap()) {
        assert_eq!(row.sum(), 1.0);
        assert_eq!(row[label], 1.0);
    }
}
