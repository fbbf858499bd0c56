//! Issue 16, the probes that are not faults: messages, limits checked
//! before work, signals other than Ctrl-C, periodic checkpoints, moved
//! data, default folders that never replace a run, byte-identical files.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{NN, nn, nn_ok};

/// Starts `nn args…`, waits for the line of epoch `epoch` (or a later one), sends `signal`
/// and returns (exit code, stdout).
fn signal_at_epoch(cwd: &Path, args: &[&str], epoch: usize, signal: &str) -> (Option<i32>, String) {
    let mut child = Command::new(NN)
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "ended early:\n{seen}"
        );
        seen.push_str(&line);
        // `epoch   7/40  train loss …`
        let done = line
            .trim_start()
            .strip_prefix("epoch")
            .and_then(|rest| rest.trim_start().split('/').next())
            .and_then(|n| n.parse::<usize>().ok());
        if done.is_some_and(|done| done >= epoch) {
            break;
        }
    }
    Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    seen.push_str(&rest);
    (child.wait().unwrap().code(), seen)
}

#[test]
fn sigterm_and_sighup_save_a_checkpoint_and_a_billion_epochs_do_not_abort() {
    let tmp = tempfile::tempdir().unwrap();
    for signal in ["TERM", "HUP"] {
        let out = format!("r-{signal}");
        let args = [
            "train",
            "--data",
            "iris",
            "--hidden",
            "8",
            "--epochs",
            "1000000000",
            "--out",
            &out,
        ];
        let (code, stdout) = signal_at_epoch(tmp.path(), &args, 2, signal);
        assert_eq!(code, Some(130), "SIG{signal}: {stdout}");
        assert!(
            stdout.contains(&format!("Resume with:\n  nn resume {out}")),
            "{stdout}"
        );
        let eval = nn(tmp.path(), &["eval", &out]);
        assert_eq!(eval.code, Some(1));
        assert!(
            eval.stderr.contains("holds an interrupted run (")
                && eval
                    .stderr
                    .contains(&format!("resume first: nn resume {out}")),
            "{}",
            eval.stderr
        );
    }
}

#[test]
fn periodic_checkpoints_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "train",
        "--data",
        "iris",
        "--hidden",
        "8",
        "--epochs",
        "40",
        "--seed",
        "4",
        "--checkpoint-every",
        "3",
        "--out",
        "r",
    ];
    let (code, _) = signal_at_epoch(tmp.path(), &args, 7, "KILL");
    assert_eq!(code, None, "killed");
    let checkpoint = trainer::Checkpoint::load(tmp.path().join("r/checkpoint")).unwrap();
    assert!(
        checkpoint.progress.epoch >= 6 && checkpoint.progress.epoch.is_multiple_of(3),
        "{}",
        checkpoint.progress.epoch
    );
    let resumed = nn_ok(tmp.path(), &["resume", "r"]);
    assert!(
        resumed.stdout.contains("Trained 40 epochs"),
        "{}",
        resumed.stdout
    );
    let mut full = args.to_vec();
    full.truncate(full.len() - 2);
    full.extend(["--out", "full"]);
    nn_ok(tmp.path(), &full);
    assert_eq!(
        fs::read(tmp.path().join("r/model.safetensors")).unwrap(),
        fs::read(tmp.path().join("full/model.safetensors")).unwrap(),
        "a run with checkpoints and kills ends with the same bytes"
    );
}

#[test]
fn identical_runs_write_byte_identical_model_and_checkpoint_files() {
    let tmp = tempfile::tempdir().unwrap();
    let args = |out: &'static str| {
        [
            "train",
            "--data",
            "moons",
            "--hidden",
            "8,8",
            "--epochs",
            "3",
            "--patience",
            "5",
            "--out",
            out,
        ]
    };
    nn_ok(tmp.path(), &args("a"));
    nn_ok(tmp.path(), &args("b"));
    let names: Vec<_> = fs::read_dir(tmp.path().join("a/checkpoint"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in names
        .iter()
        .map(|n| Path::new("checkpoint").join(n))
        .chain([Path::new("model.safetensors").to_path_buf()])
    {
        assert_eq!(
            fs::read(tmp.path().join("a").join(&name)).unwrap(),
            fs::read(tmp.path().join("b").join(&name)).unwrap(),
            "{}",
            name.display()
        );
    }
    // the checkpoint's state is small JSON: the moments are tensors
    let state = fs::read(tmp.path().join("a/checkpoint/checkpoint.json")).unwrap();
    assert!(!state.contains(&b'\n'), "compact JSON");
    assert!(
        !String::from_utf8_lossy(&state).contains("\"buffers\":{"),
        "no moments in the JSON"
    );
}

#[test]
fn the_default_folder_never_replaces_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["train", "--data", "iris", "--hidden", "4", "--epochs", "1"];
    let first = nn_ok(tmp.path(), &args);
    assert!(
        first.stdout.contains("output    runs/iris-seed42 "),
        "{}",
        first.stdout
    );
    let second = nn_ok(tmp.path(), &args);
    assert!(
        second.stdout.contains("output    runs/iris-seed42-2 "),
        "{}",
        second.stdout
    );
    nn_ok(tmp.path(), &["eval", "runs/iris-seed42"]);
}

#[test]
fn an_interrupted_run_in_the_folder_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "train", "--data", "iris", "--hidden", "8", "--epochs", "100000", "--out", "r",
    ];
    let (code, _) = signal_at_epoch(tmp.path(), &args, 1, "INT");
    assert_eq!(code, Some(130));
    let again = nn(
        tmp.path(),
        &["train", "--data", "iris", "--epochs", "2", "--out", "r"],
    );
    assert_eq!(again.code, Some(2));
    assert!(
        again
            .stderr
            .contains("r already holds an interrupted run (")
            && again
                .stderr
                .contains("that `nn resume r` continues; add --force"),
        "{}",
        again.stderr
    );
}

fn write_csv(path: &Path, header: &str, rows: impl Iterator<Item = String>) {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row);
        text.push('\n');
    }
    fs::write(path, text).unwrap();
}

#[test]
fn resume_finds_moved_data_and_refuses_changed_data() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let rows = |shift: f64| {
        (0..60).map(move |i| format!("{},{},{}", i as f64 * 0.1 + shift, (i % 7) as f64, i % 2))
    };
    write_csv(&cwd.join("a.csv"), "x1,x2,label", rows(0.0));
    let args = [
        "train", "--data", "a.csv", "--hidden", "4", "--epochs", "100000", "--out", "r",
    ];
    let (code, _) = signal_at_epoch(cwd, &args, 1, "INT");
    assert_eq!(code, Some(130));

    fs::rename(cwd.join("a.csv"), cwd.join("moved.csv")).unwrap();
    let lost = nn(cwd, &["resume", "r"]);
    assert_eq!(lost.code, Some(1));
    assert!(
        lost.stderr
            .contains("if the file moved, say where: nn resume r --data NEW_PATH"),
        "{}",
        lost.stderr
    );
    write_csv(&cwd.join("other.csv"), "x1,x2,label", rows(1.0));
    let other = nn(cwd, &["resume", "r", "--data", "other.csv"]);
    assert_eq!(other.code, Some(1));
    assert!(
        other
            .stderr
            .contains("does not hold the data the run was trained on"),
        "{}",
        other.stderr
    );
    // the moved file is the same data: the run continues (stopped again at once)
    let (code, stdout) = signal_at_epoch(cwd, &["resume", "r", "--data", "moved.csv"], 2, "INT");
    assert_eq!(code, Some(130), "{stdout}");
    // and run.json now names the new place
    let run = fs::read_to_string(cwd.join("r/run.json")).unwrap();
    assert!(run.contains("moved.csv"), "{run}");
}

#[test]
fn messages_say_what_is_wrong_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    // real-valued labels without --regression
    write_csv(
        &cwd.join("real.csv"),
        "x,y",
        (0..200).map(|i| format!("{i},{}", i as f64 * 0.37)),
    );
    let run = nn(cwd, &["train", "--data", "real.csv"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the label column has 200 distinct values in 200 rows, real numbers such as")
            && run.stderr.contains("add --regression"),
        "{}",
        run.stderr
    );
    // a semicolon file without --delimiter
    write_csv(
        &cwd.join("semi.csv"),
        "a;b;label",
        (0..30).map(|i| format!("{i};{};{}", i * 2, i % 2)),
    );
    let run = nn(cwd, &["train", "--data", "semi.csv"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("add --delimiter ';'"), "{}", run.stderr);
    // one class: trains, with a warning; singular words
    write_csv(
        &cwd.join("one.csv"),
        "a,b,label",
        (0..30).map(|i| format!("{i},{},yes", i * 2)),
    );
    let run = nn_ok(
        cwd,
        &[
            "train",
            "--data",
            "one.csv",
            "--epochs",
            "1",
            "--batch-size",
            "100000",
            "--lr",
            "1e-300",
            "--out",
            "one",
        ],
    );
    assert!(
        run.stderr.contains("has one class only (\"yes\")"),
        "{}",
        run.stderr
    );
    for text in [
        "one (30 samples, 2 features, 1 class)",
        "1 epoch of 1 batch of 21",
        "η = 1e-300",
        "Trained 1 epoch in",
    ] {
        assert!(run.stdout.contains(text), "{text:?} in\n{}", run.stdout);
    }
    // --hidden "" is an error, --hidden none says so
    let run = nn(cwd, &["train", "--hidden", ""]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("or none for no hidden layer"),
        "{}",
        run.stderr
    );
    let run = nn_ok(
        cwd,
        &[
            "train", "--data", "iris", "--hidden", "none", "--epochs", "1", "--out", "linear",
        ],
    );
    assert!(
        run.stdout
            .contains("network   4-3, no hidden layer (a linear model), softmax head"),
        "{}",
        run.stdout
    );
    // a network that cannot fit: refused with the estimate, before allocating
    let run = nn(cwd, &["train", "--hidden", "100000000"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("a network of widths 64-100000000-10 (7500000010 parameters) needs about"),
        "{}",
        run.stderr
    );
    assert!(!cwd.join("runs").exists(), "nothing written");
}

#[test]
fn a_gzip_file_that_expands_beyond_the_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bomb.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        fs::File::create(&path).unwrap(),
        flate2::Compression::best(),
    );
    writeln!(encoder, "a,b,label").unwrap();
    let row = b"0,0,0\n".repeat(1 << 16);
    for _ in 0..8 {
        encoder.write_all(&row).unwrap(); // 8 × 384 kB = 3 MB of CSV
    }
    encoder.finish().unwrap();
    assert!(fs::metadata(&path).unwrap().len() < 100_000);
    let run = nn(
        tmp.path(),
        &["train", "--data", "bomb.csv.gz", "--max-input-mb", "1"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "bomb.csv.gz expands to more than 1 MB of CSV text, the --max-input-mb limit (1 MB)"
        ) && run.stderr.contains("--max-input-mb N"),
        "{}",
        run.stderr
    );
    // with the limit raised it is read (and fails for its own reason: one class)
    let run = nn(
        tmp.path(),
        &[
            "eval",
            "--data",
            "bomb.csv.gz",
            "nothing",
            "--max-input-mb",
            "10",
        ],
    );
    assert!(
        !run.stderr.contains("--max-input-mb limit"),
        "{}",
        run.stderr
    );
}
