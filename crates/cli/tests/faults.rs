//! Fault injection: `nn` killed (SIGKILL, SIGTERM) at random moments of
//! training and of its writes, two runs racing for one folder, a failed run
//! over a finished one, a damaged `run.json`, a full disk, a non-UTF-8
//! path. After each, `nn eval` / `nn resume` must find the previous
//! complete run or a consistent new one, never a mixture.
//!
//! The kill rounds are random; the seed is printed, and `NN_FAULT_SEED`
//! replays it. `NN_FAULT_ROUNDS` sets the rounds per signal: 5 by default
//! (CI), 50 for the full run of issue 16.
#![cfg(unix)]

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{NN, Run, nn, nn_ok, number_after};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Run A: the finished run that is in the folder before each fault.
const A: &[&str] = &[
    "train", "--data", "iris", "--hidden", "16", "--epochs", "8", "--seed", "1",
];
/// Run B: the run that replaces it (bigger, so its writes take a while;
/// a checkpoint every epoch, so most moments fall into a commit).
const B: &[&str] = &[
    "train",
    "--data",
    "iris",
    "--hidden",
    "256",
    "--epochs",
    "12",
    "--seed",
    "2",
    "--checkpoint-every",
    "1",
    "--force",
];

fn rounds() -> usize {
    std::env::var("NN_FAULT_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}

fn with_out<'a>(args: &[&'a str], out: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--out", out]);
    all
}

/// The test accuracy line `nn eval` prints for a folder.
fn eval_accuracy(cwd: &Path, out: &str) -> Result<f64, Run> {
    let run = nn(cwd, &["eval", out]);
    if run.code == Some(0) {
        Ok(number_after(&run.stdout, "accuracy: "))
    } else {
        Err(run)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn seed_of(dir: &Path) -> u64 {
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    run["spec"]["seed"].as_u64().unwrap()
}

/// Names in `dir` that a finished `nn` must not leave: staging folders,
/// lock files, temporary files (recursively).
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.contains(".staging-")
            || name.ends_with(".lock")
            || name.ends_with(".tmp")
            || name.ends_with(".previous")
        {
            found.push(entry.path().display().to_string());
        }
        if entry.path().is_dir() {
            found.extend(leftovers(&entry.path()));
        }
    }
    found
}

#[test]
fn kill_9_and_sigterm_at_random_moments_leave_the_old_run_or_a_consistent_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    nn_ok(cwd, &with_out(A, "pristine"));
    let a_accuracy = eval_accuracy(cwd, "pristine").unwrap();
    let started = Instant::now();
    nn_ok(cwd, &with_out(B, "reference"));
    let b_time = started.elapsed();
    let b_accuracy = eval_accuracy(cwd, "reference").unwrap();
    let expected = |seed: u64| if seed == 1 { a_accuracy } else { b_accuracy };

    let seed = std::env::var("NN_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random_range(0..u64::from(u32::MAX)));
    eprintln!(
        "fault rounds: {} per signal, NN_FAULT_SEED={seed}, run B takes {b_time:?}",
        rounds()
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen = [0usize; 3]; // old run, new run interrupted, new run finished
    for round in 0..rounds() {
        for signal in ["KILL", "TERM"] {
            let out = cwd.join("r");
            let _ = fs::remove_dir_all(&out);
            copy_dir(&cwd.join("pristine"), &out);
            // a moment anywhere in the run's life, start-up and last write included
            let delay = b_time.mul_f64(rng.random_range(0.0..1.15));
            let child = Command::new(NN)
                .args(with_out(B, "r"))
                .current_dir(cwd)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            std::thread::sleep(delay);
            let _ = Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let context =
                format!("round {round}, SIG{signal} after {delay:?} (NN_FAULT_SEED={seed})");
            assert!(!stderr.contains("panicked"), "{context}: {stderr}");
            if signal == "TERM" && output.status.code() == Some(130) {
                assert_eq!(
                    leftovers(cwd),
                    Vec::<String>::new(),
                    "{context}: SIGTERM must clean up"
                );
            }

            match eval_accuracy(cwd, "r") {
                Ok(accuracy) => {
                    let seed = seed_of(&out);
                    assert_eq!(accuracy, expected(seed), "{context}: run of seed {seed}");
                    seen[if seed == 1 { 0 } else { 2 }] += 1;
                }
                Err(run) => {
                    assert!(
                        run.stderr.contains("resume first: nn resume r"),
                        "{context}: the folder is neither run:\n{}",
                        run.stderr
                    );
                    assert_eq!(seed_of(&out), 2, "{context}");
                    seen[1] += 1;
                    // the checkpoint continues to exactly the uninterrupted result
                    let resumed = nn(cwd, &["resume", "r"]);
                    assert_eq!(resumed.code, Some(0), "{context}: {}", resumed.stderr);
                    assert_eq!(eval_accuracy(cwd, "r").unwrap(), b_accuracy, "{context}");
                    assert_eq!(
                        trainer::load_model(out.join("model.safetensors")).unwrap(),
                        trainer::load_model(cwd.join("reference/model.safetensors")).unwrap(),
                        "{context}: resumed weights differ"
                    );
                }
            }
        }
    }
    eprintln!(
        "states seen: old run {}, new run interrupted {}, new run finished {}",
        seen[0], seen[1], seen[2]
    );
    // a last run cleans up whatever the kills left
    nn_ok(cwd, &with_out(B, "r"));
    assert_eq!(leftovers(cwd), Vec::<String>::new());
}

#[test]
fn two_runs_into_one_folder_one_wins_the_other_is_told() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let args = [
        "train", "--data", "iris", "--hidden", "64", "--epochs", "60", "--out", "r",
    ];
    let spawn = |seed: &str| {
        Command::new(NN)
            .args(args)
            .args(["--seed", seed])
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn("1");
    let second = spawn("2");
    let runs: Vec<Run> = [first, second]
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().into())
        .collect();
    let winners: Vec<usize> = (0..2).filter(|&i| runs[i].code == Some(0)).collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one run may write r:\n{}\n{}",
        runs[0].stderr,
        runs[1].stderr
    );
    let loser = &runs[1 - winners[0]];
    // "another nn (pid N)", or just "another nn" when the loser looked in
    // the instant between the winner's lock and its pid being written
    assert!(
        loser.stderr.contains("r is in use: another nn")
            || loser.stderr.contains("r already holds a finished run"),
        "{}",
        loser.stderr
    );
    // the folder is the winner's, whole
    let eval = nn_ok(cwd, &["eval", "r"]);
    let line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("Test accuracy"))
            .map(|l| l.to_owned())
    };
    let winner = line(&runs[winners[0]].stdout).unwrap();
    assert!(
        winner.contains(&format!("{:.2}%", number_after(&eval.stdout, "accuracy: "))),
        "{winner}\n{}",
        eval.stdout
    );
    assert_eq!(seed_of(&cwd.join("r")), winners[0] as u64 + 1);
    assert_eq!(leftovers(cwd), Vec::<String>::new());
}

#[test]
fn a_stale_lock_of_a_dead_process_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join(".r.lock"), "4000000").unwrap();
    let run = nn_ok(tmp.path(), &with_out(A, "r"));
    assert!(
        run.stderr
            .contains("taking over the lock of r left by pid 4000000"),
        "{}",
        run.stderr
    );
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_failed_run_into_a_finished_folder_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    nn_ok(cwd, &with_out(A, "r"));
    let before = eval_accuracy(cwd, "r").unwrap();
    let run_json = fs::read(cwd.join("r/run.json")).unwrap();

    // without --force: refused, and told what is there and what to do
    let refused = nn(cwd, &with_out(&A[..A.len() - 2], "r"));
    assert_eq!(refused.code, Some(2));
    assert!(
        refused
            .stderr
            .contains("r already holds a finished run (nn train --data iris")
            && refused
                .stderr
                .contains("add --force to replace it, or write to another folder, e.g. --out r-2"),
        "{}",
        refused.stderr
    );
    // with --force, a run that diverges
    let diverged = nn(
        cwd,
        &[
            "train",
            "--data",
            "iris",
            "--lr",
            "1e4",
            "--optimizer",
            "sgd",
            "--epochs",
            "50",
            "--out",
            "r",
            "--force",
        ],
    );
    assert_eq!(diverged.code, Some(1), "{}", diverged.stderr);
    assert!(diverged.stderr.contains("diverged"), "{}", diverged.stderr);
    assert!(
        diverged.stdout.contains("r was left as it was"),
        "{}",
        diverged.stdout
    );
    // with --force, a run that fails on its data after the folder was checked
    let bad = nn(
        cwd,
        &[
            "train",
            "--data",
            "iris",
            "--split",
            "0.98,0.01,0.01",
            "--out",
            "r",
            "--force",
        ],
    );
    assert_ne!(bad.code, Some(0), "{}", bad.stdout);

    assert_eq!(
        eval_accuracy(cwd, "r").unwrap(),
        before,
        "eval's accuracy must not change"
    );
    assert_eq!(fs::read(cwd.join("r/run.json")).unwrap(), run_json);
    assert_eq!(leftovers(cwd), Vec::<String>::new());
}

#[test]
fn a_changed_run_json_or_a_mixed_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    nn_ok(cwd, &with_out(A, "r"));
    nn_ok(
        cwd,
        &with_out(
            &[
                "train", "--data", "iris", "--hidden", "16", "--epochs", "8", "--seed", "5",
            ],
            "other",
        ),
    );
    let path = cwd.join("r/run.json");
    let text = fs::read_to_string(&path).unwrap();

    // an edited seed: the split would change under the model
    fs::write(&path, text.replace("\"seed\": 1,", "\"seed\": 7,")).unwrap();
    for command in [["eval", "r"], ["resume", "r"]] {
        let run = nn(cwd, &command);
        assert_eq!(run.code, Some(1));
        assert!(
            run.stderr
                .contains("r/run.json was changed after nn wrote it"),
            "{}",
            run.stderr
        );
    }
    // truncated, empty, not JSON: an error, never a panic
    for damaged in [&text[..text.len() / 2], "", "\u{0}\u{1}"] {
        fs::write(&path, damaged).unwrap();
        let run = nn(cwd, &["eval", "r"]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("is not a valid run.json"),
            "{}",
            run.stderr
        );
    }
    // the model of another run in this folder
    fs::write(&path, &text).unwrap();
    fs::copy(
        cwd.join("other/model.safetensors"),
        cwd.join("r/model.safetensors"),
    )
    .unwrap();
    let run = nn(cwd, &["eval", "r"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "r is inconsistent: model.safetensors differs from the one run.json recorded"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_disk_while_writing_keeps_the_previous_run_and_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    nn_ok(cwd, &with_out(A, "r"));
    let before = eval_accuracy(cwd, "r").unwrap();
    // simulated ENOSPC in each file the command writes itself
    for file in ["run.json", "metrics.csv", "report.svg"] {
        let run: Run = Command::new(NN)
            .args(with_out(B, "r"))
            .current_dir(cwd)
            .env("NN_FAULT_WRITE", file)
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("{file}: No space left on device")),
            "{}",
            run.stderr
        );
        assert_eq!(eval_accuracy(cwd, "r").unwrap(), before, "{file}");
        assert_eq!(leftovers(cwd), Vec::<String>::new(), "{file}");
    }
}

/// A real full disk: a 300 kB tmpfs, where the platform lets the test mount
/// one (root on Linux); elsewhere the simulated test above covers it.
#[test]
fn a_real_full_disk_on_a_small_tmpfs() {
    let tmp = tempfile::tempdir().unwrap();
    let mount = tmp.path().join("small");
    fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "skipped: cannot mount a tmpfs here (not root?); the simulated ENOSPC test covers this"
        );
        return;
    }
    let result = std::panic::catch_unwind(|| {
        nn_ok(&mount, &with_out(A, "r"));
        let before = eval_accuracy(&mount, "r").unwrap();
        // a network whose checkpoint (weights and Adam's two moments) does not fit
        let big = [
            "train", "--data", "iris", "--hidden", "3000", "--epochs", "2", "--seed", "2",
            "--force", "--out", "r",
        ];
        let run = nn(&mount, &big);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("No space left on device"),
            "{}",
            run.stderr
        );
        assert_eq!(eval_accuracy(&mount, "r").unwrap(), before);
        assert_eq!(leftovers(&mount), Vec::<String>::new());
    });
    let _ = Command::new("umount").arg(&mount).status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn a_non_utf8_run_folder_trains_evaluates_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"run-\xff\xfe");
    let run: Run = Command::new(NN)
        .args(&A[..A.len()])
        .arg("--out")
        .arg(name)
        .current_dir(tmp.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(tmp.path().join(name).join("model.safetensors").is_file());
    let eval: Run = Command::new(NN)
        .arg("eval")
        .arg(name)
        .current_dir(tmp.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(eval.code, Some(0), "{}", eval.stderr);
    let resume: Run = Command::new(NN)
        .arg("resume")
        .arg(name)
        .current_dir(tmp.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(resume.code, Some(1));
    assert!(
        resume
            .stderr
            .contains("holds a finished run: nothing to resume"),
        "{}",
        resume.stderr
    );
}

#[test]
fn eval_while_a_run_commits_into_the_folder_never_mixes_two_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    nn_ok(cwd, &with_out(A, "r"));
    nn_ok(cwd, &with_out(B, "reference"));
    let (a, b) = (
        eval_accuracy(cwd, "r").unwrap(),
        eval_accuracy(cwd, "reference").unwrap(),
    );
    let mut writer = Command::new(NN)
        .args(with_out(B, "r"))
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reads = 0;
    while writer.try_wait().unwrap().is_none() {
        match eval_accuracy(cwd, "r") {
            Ok(accuracy) => assert!(
                accuracy == a || accuracy == b,
                "{accuracy}: neither {a} nor {b}"
            ),
            Err(run) => assert!(run.stderr.contains("resume first"), "{}", run.stderr),
        }
        reads += 1;
    }
    assert!(writer.wait().unwrap().success());
    assert_eq!(eval_accuracy(cwd, "r").unwrap(), b);
    eprintln!("{reads} evaluations while the run committed");
}
