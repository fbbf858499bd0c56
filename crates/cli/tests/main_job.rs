//! The README's main job: `nn` with no command trains the digits with the
//! default settings and reaches at least 97 % test accuracy.
//! (The time limit, 30 s on 2 cores, is for the release build; the README
//! gives the measurement.)

mod common;

use common::{csv_rows, nn_ok, number_after};

#[test]
fn bare_nn_trains_the_digits_to_97_percent_test_accuracy() {
    let tmp = tempfile::tempdir().unwrap();
    let run = nn_ok(tmp.path(), &[]);
    assert!(
        run.stdout
            .starts_with("nn: no command given, so training on the built-in digits"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("nn --help"),
        "says how to see the other commands"
    );
    assert!(
        run.stdout
            .contains("network   64-128-10, relu hidden, softmax head"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("ce_logits loss, adam η = 0.003, linear warmup + cosine"),
        "{}",
        run.stdout
    );
    let accuracy = number_after(&run.stdout, "Test accuracy: ");
    assert!(
        accuracy >= 97.0,
        "test accuracy {accuracy}% < 97%:\n{}",
        run.stdout
    );
    let out = tmp.path().join("runs/digits-seed42");
    let rows = csv_rows(
        &out.join("metrics.csv"),
        "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds",
    );
    assert_eq!(rows.len(), 40);
    for file in [
        "report.svg",
        "model.safetensors",
        "run.json",
        "checkpoint/checkpoint.json",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
}
