//! `nn train` writes sane outputs, and `nn eval` on the saved model
//! reproduces the test accuracy it reported.

mod common;

use common::{csv_rows, nn_ok, number_after};
use trainer::checkpoint::Checkpoint;

const EPOCHS: usize = 12;

#[test]
fn a_short_run_writes_every_output_and_eval_reproduces_its_test_accuracy() {
    let tmp = tempfile::tempdir().unwrap();
    let epochs = EPOCHS.to_string();
    let run = nn_ok(
        tmp.path(),
        &[
            "train",
            "--data",
            "iris",
            "--hidden",
            "8",
            "--epochs",
            &epochs,
            "--batch-size",
            "8",
            "--lr",
            "0.02",
            "--seed",
            "3",
        ],
    );
    let out = tmp.path().join("runs/iris-seed3");

    // one line per epoch (stdout is a pipe: no progress bar), then the summary
    let epoch_lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("epoch"))
        .collect();
    assert_eq!(epoch_lines.len(), EPOCHS, "{}", run.stdout);
    assert!(
        epoch_lines[0].starts_with("epoch  1/12  train loss"),
        "{}",
        epoch_lines[0]
    );
    assert!(
        !run.stdout.contains('\r'),
        "no bar drawing when stdout is not a terminal"
    );
    assert!(
        run.stdout.contains("Trained 12 epochs in"),
        "{}",
        run.stdout
    );
    for part in ["train", "val", "test"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(part) && l.contains('%')),
            "summary row {part} missing:\n{}",
            run.stdout
        );
    }
    let test_accuracy = number_after(&run.stdout, "Test accuracy: ");
    assert!(test_accuracy > 80.0, "iris is easy: {test_accuracy}%");

    // metrics.csv: a row per epoch, finite losses, fractions, growing time
    let rows = csv_rows(
        &out.join("metrics.csv"),
        "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds",
    );
    assert_eq!(rows.len(), EPOCHS);
    let mut previous_seconds = 0.0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 7, "{row:?}");
        assert_eq!(row[0], (i + 1).to_string());
        let cell = |j: usize| -> f64 { row[j].parse().unwrap_or_else(|_| panic!("{row:?}")) };
        assert!(
            cell(1).is_finite() && cell(1) > 0.0 && cell(3) > 0.0,
            "{row:?}"
        );
        for j in [2, 4] {
            assert!((0.0..=1.0).contains(&cell(j)), "{row:?}");
        }
        assert!(
            cell(5) > 0.0 && cell(5) <= 0.02,
            "η within the schedule: {row:?}"
        );
        assert!(cell(6) >= previous_seconds, "{row:?}");
        previous_seconds = cell(6);
    }
    let first_loss: f64 = rows[0][1].parse().unwrap();
    let last_loss: f64 = rows[EPOCHS - 1][1].parse().unwrap();
    assert!(
        last_loss < first_loss / 2.0,
        "training lowers the loss: {first_loss} → {last_loss}"
    );

    // report.svg: an SVG with the three panels and the run's title
    let svg = std::fs::read_to_string(out.join("report.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for text in [
        "loss L",
        "accuracy, %",
        "learning rate η",
        "iris: 4-8-3",
        "test accuracy",
    ] {
        assert!(svg.contains(text), "report.svg lacks {text:?}");
    }
    assert!(
        svg.matches("<polyline").count() >= 5,
        "train/val loss, train/val accuracy, η"
    );

    // the model file and the checkpoint load, and hold the same network
    let saved = trainer::load_model(out.join("model.safetensors")).unwrap();
    assert_eq!(saved.model.sizes(), vec![4, 8, 3]);
    assert!(saved.scaler.is_some(), "the scaler travels with the model");
    let checkpoint = Checkpoint::load(out.join("checkpoint")).unwrap();
    assert_eq!(checkpoint.progress.epoch, EPOCHS);
    assert_eq!(checkpoint.progress.history.len(), EPOCHS);
    assert_eq!(checkpoint.model, saved.model);
    assert_eq!(checkpoint.config.seed, 3);
    // run.json lists every other file with its SHA-256
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(manifest["status"], "finished");
    let listed: Vec<&str> = manifest["files"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for name in [
        "metrics.csv",
        "report.svg",
        "model.safetensors",
        "checkpoint/checkpoint.json",
    ] {
        assert!(listed.contains(&name), "{name} not in {listed:?}");
    }

    // nn eval on the run folder: the same test part, the same accuracy
    let eval = nn_ok(tmp.path(), &["eval", "runs/iris-seed3"]);
    assert_eq!(
        number_after(&eval.stdout, "accuracy: "),
        test_accuracy,
        "{}",
        eval.stdout
    );
    assert!(
        eval.stdout.contains("test part: 21 of 150 samples"),
        "{}",
        eval.stdout
    );
    assert!(eval.stdout.contains("confusion matrix"), "{}", eval.stdout);
    // the matrix counts every test sample once
    let matrix_total: usize = eval
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("confusion matrix"))
        .skip(2)
        .flat_map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|c| c.parse::<usize>().unwrap())
                .collect::<Vec<_>>()
        })
        .sum();
    assert_eq!(matrix_total, 21);
    let test_loss_line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("test"))
        .unwrap();
    let test_loss: f64 = test_loss_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let eval_loss = number_after(&eval.stdout, "loss (ce_logits): ");
    assert!(
        (eval_loss - test_loss).abs() < 1e-4,
        "{eval_loss} vs {test_loss}"
    );

    // the model file alone, on the whole data set
    let all = nn_ok(
        tmp.path(),
        &[
            "eval",
            "runs/iris-seed3/model.safetensors",
            "--data",
            "iris",
            "--part",
            "all",
        ],
    );
    assert!(all.stdout.contains("150 of 150 samples"), "{}", all.stdout);
    assert!(number_after(&all.stdout, "accuracy: ") > 80.0);
}

#[test]
fn regression_runs_report_loss_without_accuracy() {
    let tmp = tempfile::tempdir().unwrap();
    let run = nn_ok(
        tmp.path(),
        &[
            "train",
            "--data",
            "sine",
            "--hidden",
            "16",
            "--activation",
            "tanh",
            "--epochs",
            "5",
            "--out",
            "sine",
        ],
    );
    assert!(run.stdout.contains("Test loss (mse): "), "{}", run.stdout);
    let rows = csv_rows(
        &tmp.path().join("sine/metrics.csv"),
        "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds",
    );
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter()
            .all(|r| r[2].is_empty() && r[4].is_empty() && !r[3].is_empty())
    );
    let svg = std::fs::read_to_string(tmp.path().join("sine/report.svg")).unwrap();
    assert!(!svg.contains("accuracy"));
    let eval = nn_ok(tmp.path(), &["eval", "sine"]);
    assert!(eval.stdout.contains("loss (mse): "), "{}", eval.stdout);
    assert!(!eval.stdout.contains("confusion"), "{}", eval.stdout);
}

#[test]
fn a_csv_file_with_a_named_label_column_trains() {
    let tmp = tempfile::tempdir().unwrap();
    // two separable blobs, header, label column in the middle, ';'-separated
    let mut csv = String::from("a;kind;b\n");
    for i in 0..60 {
        let t = i as f64 / 10.0;
        let (kind, shift) = if i % 2 == 0 {
            ("left", -2.0)
        } else {
            ("right", 2.0)
        };
        csv.push_str(&format!(
            "{};{kind};{}\n",
            shift + (t.sin() * 0.3),
            t.cos() * 0.3
        ));
    }
    std::fs::write(tmp.path().join("blobs.csv"), csv).unwrap();
    let run = nn_ok(
        tmp.path(),
        &[
            "train",
            "--data",
            "blobs.csv",
            "--label",
            "kind",
            "--delimiter",
            ";",
            "--hidden",
            "4",
            "--epochs",
            "20",
            "--lr",
            "0.05",
        ],
    );
    assert!(
        run.stdout
            .contains("blobs (60 samples, 2 features, 2 classes)"),
        "{}",
        run.stdout
    );
    assert_eq!(number_after(&run.stdout, "Test accuracy: "), 100.0);
    assert!(
        tmp.path()
            .join("runs/blobs-seed42/model.safetensors")
            .is_file()
    );
}

#[test]
fn early_stopping_ends_the_run_and_keeps_the_best_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let run = nn_ok(
        tmp.path(),
        &[
            "train",
            "--data",
            "iris",
            "--hidden",
            "16",
            "--epochs",
            "300",
            "--lr",
            "0.05",
            "--patience",
            "5",
            "--out",
            "es",
        ],
    );
    let stopped = number_after(&run.stdout, "Early stopping after epoch ") as usize;
    let best = number_after(
        &run.stdout.replace("last improved in epoch ", "\nbest "),
        "best ",
    ) as usize;
    assert!(stopped < 300 && best + 5 == stopped, "{}", run.stdout);
    let rows = csv_rows(
        &tmp.path().join("es/metrics.csv"),
        "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds",
    );
    assert_eq!(rows.len(), stopped);
    // the best epoch has the lowest validation loss, and its weights were saved
    let val_loss = |r: &Vec<String>| r[3].parse::<f64>().unwrap();
    let lowest = rows
        .iter()
        .min_by(|a, b| val_loss(a).total_cmp(&val_loss(b)))
        .unwrap();
    assert_eq!(lowest[0], best.to_string());
    let saved = trainer::load_model(tmp.path().join("es/model.safetensors")).unwrap();
    let checkpoint = Checkpoint::load(tmp.path().join("es/checkpoint")).unwrap();
    assert_eq!(Some(&saved.model), checkpoint.best_model.as_ref());
}

#[test]
fn a_regression_csv_trains_with_the_identity_head() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("y,x\n");
    for i in 0..80 {
        let x = i as f64 / 40.0 - 1.0;
        csv.push_str(&format!("{},{x}\n", 2.0 * x + 0.5));
    }
    std::fs::write(tmp.path().join("line.csv"), csv).unwrap();
    let run = nn_ok(
        tmp.path(),
        &[
            "train",
            "--data",
            "line.csv",
            "--regression",
            "--label",
            "y",
            "--hidden",
            "none",
            "--epochs",
            "30",
            "--lr",
            "0.05",
        ],
    );
    assert!(
        run.stdout
            .contains("line (80 samples, 1 feature, 1 regression target)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("network   1-1, no hidden layer (a linear model), identity head"),
        "{}",
        run.stdout
    );
    assert!(
        number_after(&run.stdout, "Test loss (mse): ") < 0.01,
        "{}",
        run.stdout
    );
}
