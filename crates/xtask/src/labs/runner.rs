//! Building test binaries with cargo and running one test at a time.
//!
//! Tests are built once (`cargo test --no-run --message-format=json`, which
//! names every test executable), then each test runs in its own process:
//! `<binary> --exact <name> --test-threads=1`. One process per test means
//! a test that loops forever, aborts or exits the process takes only
//! itself down, and its verdict is read from the exit status together with
//! libtest's own `test <name> ... ok` line.

use super::libtest::{self, Verdict};
use crate::Result;
use serde_json::Value;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A cargo to run in one workspace.
#[derive(Debug, Clone)]
pub struct Cargo {
    program: OsString,
    workspace: PathBuf,
    target_dir: Option<PathBuf>,
}

/// An integration-test executable cargo built.
#[derive(Debug, Clone, PartialEq)]
pub struct TestBinary {
    /// The `Cargo.toml` of the package it belongs to.
    pub manifest_path: PathBuf,
    /// The test target's name (`lab01` for `tests/lab01.rs`).
    pub target: String,
    /// The file to run.
    pub executable: PathBuf,
}

impl TestBinary {
    /// The package directory: tests run there, as under `cargo test`.
    pub fn package_dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// What building the tests gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Build {
    /// The integration-test binaries of the requested packages.
    Built(Vec<TestBinary>),
    /// Compilation failed; the compiler's errors as it rendered them.
    Failed(Vec<String>),
}

impl Cargo {
    /// Cargo for the workspace in `workspace` (the directory with the root
    /// `Cargo.toml`). Uses the cargo that runs xtask (`$CARGO`), else `cargo`.
    pub fn new(workspace: &Path) -> Cargo {
        Cargo {
            program: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
            workspace: workspace.to_path_buf(),
            target_dir: None,
        }
    }

    /// Builds into `dir` (default: where cargo would, `$CARGO_TARGET_DIR`
    /// or the workspace's `target/`).
    pub fn with_target_dir(mut self, dir: Option<PathBuf>) -> Cargo {
        self.target_dir = dir;
        self
    }

    /// A `cargo <args>` command for this workspace.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(&self.program);
        cmd.args(args)
            .current_dir(&self.workspace)
            .env("CARGO_TERM_COLOR", "never");
        if let Some(dir) = &self.target_dir {
            // the grader's own target directory, whatever the caller set
            cmd.env("CARGO_TARGET_DIR", dir)
                .env_remove("CARGO_BUILD_TARGET_DIR");
        }
        cmd
    }

    /// Runs `cargo <args>`, printing nothing; `Err` with cargo's message if it fails.
    pub fn run_quiet(&self, args: &[&str]) -> Result<()> {
        let out = self.command(args).stdin(Stdio::null()).output()?;
        if out.status.success() {
            Ok(())
        } else {
            let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stdout));
            Err(format!("`cargo {}` failed:\n{}", args.join(" "), text.trim_end()).into())
        }
    }

    /// Builds (without running) the integration tests of `packages`.
    pub fn build_tests(&self, packages: &[&str]) -> Result<Build> {
        let mut args = vec!["test", "--no-run", "--message-format=json"];
        for p in packages {
            args.extend(["-p", p]);
        }
        let out = self.command(&args).stdin(Stdio::null()).output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (binaries, errors) = parse_build_messages(&stdout);
        if out.status.success() {
            return Ok(Build::Built(binaries));
        }
        if errors.is_empty() {
            // no compiler error: cargo itself refused (bad manifest, unknown package …)
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Ok(Build::Failed(vec![stderr.trim().to_string()]));
        }
        Ok(Build::Failed(errors))
    }
}

/// What one build of several packages gave: the test binaries built, and
/// the compiler's errors by the `Cargo.toml` of the package they are in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Built {
    /// The integration-test executables that were built.
    pub binaries: Vec<TestBinary>,
    /// Rendered errors, by package manifest.
    pub errors: Vec<(PathBuf, String)>,
    /// What cargo said if it failed without a compiler error.
    pub cargo_error: Option<String>,
}

impl Cargo {
    /// Builds the integration tests of `packages` in one cargo run, going
    /// on past a package that fails (`--keep-going`), so one broken lab
    /// costs only itself (and the labs built on it).
    pub fn build_integration_tests(&self, packages: &[&str]) -> Result<Built> {
        let mut args = vec![
            "build",
            "--test",
            "*",
            "--keep-going",
            "--message-format=json",
        ];
        for p in packages {
            args.extend(["-p", p]);
        }
        let out = self.command(&args).stdin(Stdio::null()).output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (binaries, _) = parse_build_messages(&stdout);
        let mut errors = Vec::new();
        for line in stdout.lines() {
            let Ok(msg) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if msg["reason"] == "compiler-message"
                && msg["message"]["level"] == "error"
                && let (Some(manifest), Some(text)) = (
                    msg["manifest_path"].as_str(),
                    msg["message"]["rendered"].as_str(),
                )
            {
                errors.push((PathBuf::from(manifest), text.trim_end().to_string()));
            }
        }
        let cargo_error = (!out.status.success() && errors.is_empty())
            .then(|| String::from_utf8_lossy(&out.stderr).trim().to_string());
        Ok(Built {
            binaries,
            errors,
            cargo_error,
        })
    }
}

/// Test executables and rendered compiler errors from cargo's JSON messages.
pub fn parse_build_messages(stdout: &str) -> (Vec<TestBinary>, Vec<String>) {
    let mut binaries = Vec::new();
    let mut errors = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                let is_test = msg["target"]["kind"]
                    .as_array()
                    .is_some_and(|k| k.iter().any(|k| k == "test"));
                if let (true, Some(exe), Some(manifest), Some(target)) = (
                    is_test,
                    msg["executable"].as_str(),
                    msg["manifest_path"].as_str(),
                    msg["target"]["name"].as_str(),
                ) {
                    binaries.push(TestBinary {
                        manifest_path: PathBuf::from(manifest),
                        target: target.to_string(),
                        executable: PathBuf::from(exe),
                    });
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                if let Some(rendered) = msg["message"]["rendered"].as_str() {
                    errors.push(rendered.trim_end().to_string());
                }
            }
            _ => {}
        }
    }
    (binaries, errors)
}

/// A finished (or killed) process.
#[derive(Debug)]
pub struct Finished {
    /// Exit status; `None` if it was killed at the time limit.
    pub status: Option<ExitStatus>,
    /// Standard output and error, one after the other.
    pub output: String,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// Most bytes kept of each of a test's two output streams.
pub const MAX_OUTPUT: usize = 1 << 20;

/// Runs `cmd` with its output captured, killing it after `timeout`.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<Finished> {
    let start = Instant::now();
    let mut child: Child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // read both pipes while waiting, or a chatty test would block on a full pipe
    let readers = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .map(|pipe| {
        thread::spawn(move || {
            // keep the first MAX_OUTPUT bytes, drain the rest: a test that
            // prints forever must not fill the grader's memory
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let mut pipe = pipe.take(MAX_OUTPUT as u64);
                let _ = pipe.read_to_end(&mut bytes);
                let _ = std::io::copy(pipe.get_mut(), &mut std::io::sink());
            }
            bytes
        })
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let mut output = String::new();
    for reader in readers {
        let bytes = reader.join().unwrap_or_default();
        output.push_str(&String::from_utf8_lossy(&bytes));
    }
    Ok(Finished {
        status,
        output,
        elapsed,
    })
}

/// A command running a test binary as `cargo test` would: in the package
/// directory, without colours or backtraces.
fn test_command(binary: &TestBinary) -> Command {
    let mut cmd = Command::new(&binary.executable);
    cmd.current_dir(binary.package_dir())
        .env("CARGO_MANIFEST_DIR", binary.package_dir())
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_TEST_THREADS")
        .arg("--color=never");
    cmd
}

/// The tests a binary contains (`--list`), sorted.
pub fn list_tests(binary: &TestBinary) -> Result<Vec<String>> {
    let mut cmd = test_command(binary);
    cmd.args(["--list", "--format=pretty"]);
    let done = run_with_timeout(cmd, Duration::from_secs(60))?;
    match done.status {
        Some(s) if s.success() => Ok(libtest::listed_tests(&done.output)),
        _ => Err(format!(
            "{} --list failed:\n{}",
            binary.executable.display(),
            done.output
        )
        .into()),
    }
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TestRun {
    /// The test's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why it failed (its panic message, shortened), if it did.
    pub message: Option<String>,
    /// How long its process ran.
    pub seconds: f64,
    /// Points earned (set by `grade`).
    pub points: f64,
    /// Points possible (set by `grade`).
    pub max_points: f64,
    /// A hidden test, from the teacher's copy only.
    pub hidden: bool,
}

impl TestRun {
    /// A test that did not pass, with why.
    pub fn failed(name: &str, message: &str) -> TestRun {
        TestRun {
            name: name.to_string(),
            passed: false,
            message: Some(message.to_string()),
            seconds: 0.0,
            points: 0.0,
            max_points: 0.0,
            hidden: false,
        }
    }
}

/// Runs the single test `name` of `binary` in its own process.
pub fn run_one(binary: &TestBinary, name: &str, timeout: Duration) -> Result<TestRun> {
    let mut cmd = test_command(binary);
    cmd.args(["--exact", name, "--test-threads=1"]);
    let done = run_with_timeout(cmd, timeout)?;
    Ok(judge(name, &done, timeout))
}

/// Reads one test's verdict from its process: it passed only if the
/// process succeeded *and* libtest reported it `ok` (a test that calls
/// `std::process::exit(0)` never gets that line).
pub fn judge(name: &str, done: &Finished, timeout: Duration) -> TestRun {
    let seconds = done.elapsed.as_secs_f64();
    let verdict = libtest::verdict(&done.output, name);
    let (passed, message) = match (done.status, verdict) {
        (None, _) => (
            false,
            Some(format!(
                "превышено время: тест шёл дольше {} с и был остановлен",
                timeout.as_secs_f64()
            )),
        ),
        (Some(s), Some(Verdict::Ok)) if s.success() => (true, None),
        (_, Some(Verdict::Ignored)) => (false, Some("тест помечен #[ignore]".to_string())),
        (_, Some(Verdict::Failed)) => {
            let message = libtest::failure_section(&done.output, name)
                .and_then(libtest::last_panic_message)
                .unwrap_or_else(|| "тест не прошёл (сообщения нет)".to_string());
            (
                false,
                Some(libtest::shorten(&libtest::tidy(&message), 6, 600)),
            )
        }
        (Some(s), _) => (
            false,
            Some(libtest::shorten(
                &format!(
                    "процесс теста завершился ({s}) без результата — тест не найден или программа \
                     аварийно остановилась:\n{}",
                    done.output.trim()
                ),
                6,
                600,
            )),
        ),
    };
    TestRun {
        name: name.to_string(),
        passed,
        message,
        seconds,
        points: 0.0,
        max_points: 0.0,
        hidden: false,
    }
}

/// Runs the whole binary once (all tests, in parallel, as a student's
/// `cargo test -p labNN` does) and gives every test's verdict and the time.
pub fn run_all(
    binary: &TestBinary,
    names: &[String],
    timeout: Duration,
) -> Result<(Vec<TestRun>, Duration)> {
    let done = run_with_timeout(test_command(binary), timeout)?;
    let runs = names.iter().map(|n| judge_in_batch(n, &done)).collect();
    Ok((runs, done.elapsed))
}

// In a run of many tests the exit status is shared: judge by each test's line.
fn judge_in_batch(name: &str, done: &Finished) -> TestRun {
    let passed = done.status.is_some() && libtest::verdict(&done.output, name) == Some(Verdict::Ok);
    let message = (!passed).then(|| {
        libtest::failure_section(&done.output, name)
            .and_then(libtest::last_panic_message)
            .map(|m| libtest::shorten(&libtest::tidy(&m), 6, 600))
            .unwrap_or_else(|| "тест не прошёл или не запускался".to_string())
    });
    TestRun {
        name: name.to_string(),
        passed,
        message,
        seconds: 0.0,
        points: 0.0,
        max_points: 0.0,
        hidden: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_messages_give_test_binaries_and_errors() {
        let stdout = [
            r#"{"reason":"compiler-artifact","manifest_path":"/w/lab01/Cargo.toml","target":{"kind":["lib"],"name":"lab01"},"executable":null}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/lab01/Cargo.toml","target":{"kind":["lib"],"name":"lab01"},"profile":{"test":true},"executable":"/t/lab01-unit"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/lab01/Cargo.toml","target":{"kind":["test"],"name":"lab01"},"executable":"/t/lab01-abc"}"#,
            r#"{"reason":"compiler-message","message":{"level":"warning","rendered":"warning: unused"}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","rendered":"error[E0308]: mismatched types\n"}}"#,
            "not json",
            r#"{"reason":"build-finished","success":false}"#,
        ]
        .join("\n");
        let (binaries, errors) = parse_build_messages(&stdout);
        assert_eq!(
            binaries,
            [TestBinary {
                manifest_path: "/w/lab01/Cargo.toml".into(),
                target: "lab01".into(),
                executable: "/t/lab01-abc".into(),
            }]
        );
        assert_eq!(errors, ["error[E0308]: mismatched types"]);
    }

    #[test]
    fn a_process_that_overstays_is_killed() {
        let mut cmd = Command::new("sleep");
        cmd.arg("5");
        let done = run_with_timeout(cmd, Duration::from_millis(100)).unwrap();
        assert!(done.status.is_none());
        assert!(done.elapsed < Duration::from_secs(4));
        let run = judge("t", &done, Duration::from_millis(100));
        assert!(!run.passed);
        assert!(run.message.unwrap().contains("превышено время"));
    }

    #[test]
    fn a_chatty_process_does_not_block_on_its_pipes() {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "head -c 300000 /dev/zero | tr '\\0' x; echo; echo done >&2",
        ]);
        let done = run_with_timeout(cmd, Duration::from_secs(20)).unwrap();
        assert!(done.status.unwrap().success());
        assert!(done.output.len() > 300_000 && done.output.ends_with("done\n"));
    }

    #[test]
    fn success_needs_both_the_exit_status_and_the_ok_line() {
        let ok_status = run_with_timeout(Command::new("true"), Duration::from_secs(5))
            .unwrap()
            .status;
        let finished = |output: &str| Finished {
            status: ok_status,
            output: output.to_string(),
            elapsed: Duration::ZERO,
        };
        let t = Duration::from_secs(1);
        assert!(judge("t01", &finished("test t01 ... ok\n"), t).passed);
        // exit(0) from inside a test: status fine, but libtest never said ok
        let exited = judge("t01", &finished("running 1 test\n"), t);
        assert!(!exited.passed);
        assert!(exited.message.unwrap().contains("без результата"));
    }
}
