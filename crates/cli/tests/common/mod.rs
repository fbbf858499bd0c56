//! Running the built `nn` binary from the integration tests.
#![allow(dead_code)] // each test file uses its own part of these helpers

use std::path::Path;
use std::process::{Command, Output};

/// The `nn` binary cargo built for these tests.
pub const NN: &str = env!("CARGO_BIN_EXE_nn");

/// What a finished `nn` run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Runs `nn args…` in `cwd` and waits for it.
pub fn nn(cwd: &Path, args: &[&str]) -> Run {
    Command::new(NN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the nn binary runs")
        .into()
}

/// Runs `nn args…` and checks that it succeeded.
pub fn nn_ok(cwd: &Path, args: &[&str]) -> Run {
    let run = nn(cwd, args);
    assert_eq!(
        run.code,
        Some(0),
        "nn {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    run
}

/// The number after `prefix` in the first line of `text` that starts with it
/// (e.g. `"Test accuracy: "` → 97.41 from `Test accuracy: 97.41% (…)`).
pub fn number_after(text: &str, prefix: &str) -> f64 {
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"));
    let rest = &line[prefix.len()..];
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-' || *c == 'e')
        .collect();
    number
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix:?} in {line:?}"))
}

/// The data rows of a CSV file, split into cells (header dropped); also
/// checks the header.
pub fn csv_rows(path: &Path, header: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("the CSV file exists");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(header), "{}", path.display());
    lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}
