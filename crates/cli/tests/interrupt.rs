//! Ctrl-C during training: the run stops at a batch boundary, saves a
//! checkpoint, prints the command that resumes it and exits with 130; the
//! resumed run ends with exactly the weights of an uninterrupted one.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::{NN, csv_rows, nn_ok};

const ARGS: &[&str] = &[
    "train",
    "--data",
    "moons",
    "--hidden",
    "8",
    "--epochs",
    "120",
    "--batch-size",
    "4",
    "--seed",
    "5",
];

#[test]
fn ctrl_c_saves_a_checkpoint_and_resume_finishes_bit_for_bit() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(NN)
        .args(ARGS)
        .args(["--out", "stopped"])
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // wait until training is under way (the first epoch's line), then press Ctrl-C
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "nn ended before its first epoch:\n{seen}"
        );
        seen.push_str(&line);
        if line.starts_with("epoch") {
            break;
        }
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    stdout.read_to_string(&mut seen).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();

    assert_eq!(
        status.code(),
        Some(130),
        "stdout:\n{seen}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.contains("Stop signal (Ctrl-C, SIGTERM or SIGHUP): stopping after this batch"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(seen.contains("Interrupted in epoch"), "{seen}");
    assert!(
        seen.lines().any(|l| l.trim() == "nn resume stopped"),
        "the exact resume command:\n{seen}"
    );
    let checkpoint = trainer::Checkpoint::load(tmp.path().join("stopped/checkpoint")).unwrap();
    let stopped_at = checkpoint.progress.epoch;
    assert!(stopped_at < 120, "stopped early: epoch {stopped_at}");
    assert!(
        !tmp.path().join("stopped/model.safetensors").exists(),
        "no final model yet"
    );

    let resumed = nn_ok(tmp.path(), &["resume", "stopped/checkpoint"]);
    assert!(
        resumed.stdout.starts_with("Resuming moons"),
        "{}",
        resumed.stdout
    );
    assert!(
        resumed.stdout.contains("Trained 120 epochs"),
        "{}",
        resumed.stdout
    );
    let epoch_lines = resumed
        .stdout
        .lines()
        .filter(|l| l.starts_with("epoch"))
        .count();
    assert_eq!(epoch_lines, 120 - stopped_at, "{}", resumed.stdout);

    // the same run without the interruption
    let mut full_args = ARGS.to_vec();
    full_args.extend(["--out", "full"]);
    let full = nn_ok(tmp.path(), &full_args);
    let load =
        |dir: &str| trainer::load_model(tmp.path().join(dir).join("model.safetensors")).unwrap();
    assert_eq!(
        load("stopped"),
        load("full"),
        "resumed weights differ from the uninterrupted run's"
    );
    let test_line = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("Test accuracy"))
            .unwrap()
            .to_owned()
    };
    assert_eq!(test_line(&resumed.stdout), test_line(&full.stdout));

    // metrics.csv holds all epochs, identical to the uninterrupted run's but for the time
    let header = "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds";
    let without_time = |dir: &str| -> Vec<Vec<String>> {
        csv_rows(&tmp.path().join(dir).join("metrics.csv"), header)
            .into_iter()
            .map(|mut row| {
                row.pop();
                row
            })
            .collect()
    };
    let stopped_rows = without_time("stopped");
    assert_eq!(stopped_rows.len(), 120);
    assert_eq!(stopped_rows, without_time("full"));
}
