//! `nn lr-find`: a table of the sweep, the suggested rate, lr_find.csv and lr_find.svg.

mod common;

use common::{csv_rows, nn_ok, number_after};

#[test]
fn the_range_test_prints_a_table_and_a_suggestion_and_writes_csv_and_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let run = nn_ok(
        tmp.path(),
        &[
            "lr-find",
            "--data",
            "moons",
            "--hidden",
            "16",
            "--steps",
            "120",
            "--start-lr",
            "1e-5",
            "--end-lr",
            "10",
            "--out",
            "sweep",
        ],
    );
    let table: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("batch"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() >= 10, "a small table:\n{}", run.stdout);
    assert!(
        run.stdout.contains("<- lowest smoothed loss (η*)"),
        "{}",
        run.stdout
    );
    let suggestion = number_after(&run.stdout, "Suggested learning rate: ");
    assert!(suggestion > 1e-5 && suggestion < 10.0, "{suggestion}");

    let rows = csv_rows(
        &tmp.path().join("sweep/lr_find.csv"),
        "step,lr,loss,smoothed",
    );
    assert!(rows.len() >= 2 && rows.len() <= 120, "{}", rows.len());
    let rates: Vec<f64> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(rates[0], 1e-5);
    // η grows by the same factor every batch: (10 / 1e-5)^(1/119)
    let factor = (10.0f64 / 1e-5).powf(1.0 / 119.0);
    for pair in rates.windows(2) {
        assert!((pair[1] / pair[0] / factor - 1.0).abs() < 1e-9, "{pair:?}");
    }
    // the suggestion is a tenth of the rate at the smoothed loss's minimum
    let smoothed: Vec<f64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
    let lowest = (0..smoothed.len())
        .min_by(|&a, &b| smoothed[a].total_cmp(&smoothed[b]))
        .unwrap();
    let expected: f64 = format!("{:.1e}", rates[lowest] / 10.0).parse().unwrap();
    assert_eq!(suggestion, expected);

    let svg = std::fs::read_to_string(tmp.path().join("sweep/lr_find.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("learning rate η (log scale)") && svg.contains("suggested η"));
}
