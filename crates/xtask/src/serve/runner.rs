//! The run queue: one worker thread owns the scratch crate and takes the
//! snippets one at a time (two at once would overwrite each other's
//! `src/main.rs`). It first builds the scratch crate once, so every later run
//! recompiles only the snippet.

use super::limits::{self, Current, Limits, RUN_LIMITS, Stopped};
use super::outcome::{Outcome, result_text, svgs};
use super::scratch::Scratch;
use super::snippet::{self, Program};
use std::io::{BufRead as _, BufReader};
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A snippet's build: long enough for cargo to rebuild a course crate the
/// reader has just edited, short enough that a request never hangs.
const BUILD_LIMITS: Limits = Limits {
    time: Duration::from_secs(300),
    output: 16 * 1024 * 1024,
};

/// Where the first build stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Warmup {
    /// Building since the server started.
    Building,
    /// Done in this many seconds.
    Ready(f64),
    /// Failed; runs retry the build and report its errors.
    Failed(String),
}

struct Job {
    code: String,
    reply: Sender<Outcome>,
}

/// The queue and its worker.
pub struct Runner {
    jobs: Mutex<Sender<Job>>,
    warmup: Arc<Mutex<Warmup>>,
    current: Arc<Current>,
    crates: Vec<String>,
}

impl Runner {
    /// Starts the worker; its first job is the warm-up build.
    pub fn start(scratch: Scratch) -> Runner {
        let (tx, rx) = mpsc::channel::<Job>();
        let warmup = Arc::new(Mutex::new(Warmup::Building));
        let current = Arc::new(Current::default());
        let crates = scratch.crates.clone();
        let (w, c) = (Arc::clone(&warmup), Arc::clone(&current));
        std::thread::spawn(move || worker(&scratch, &rx, &w, &c));
        Runner {
            jobs: Mutex::new(tx),
            warmup,
            current,
            crates,
        }
    }

    /// Queues a snippet; the outcome arrives on the receiver.
    pub fn submit(&self, code: String) -> Receiver<Outcome> {
        let (reply, outcome) = mpsc::channel();
        let job = Job { code, reply };
        if let Err(mpsc::SendError(job)) = self.jobs.lock().expect("queue lock").send(job) {
            let _ = job.reply.send(Outcome::message(
                "Сервер остановлен: перезапустите `cargo xtask serve`.",
            ));
        }
        outcome
    }

    /// Where the first build stands.
    pub fn warmup(&self) -> Warmup {
        self.warmup.lock().expect("warmup lock").clone()
    }

    /// The crates a snippet may use.
    pub fn crates(&self) -> &[String] {
        &self.crates
    }

    /// Kills the run in progress (the server is stopping).
    pub fn stop_current(&self) {
        self.current.kill();
    }
}

fn worker(scratch: &Scratch, jobs: &Receiver<Job>, warmup: &Mutex<Warmup>, current: &Current) {
    let started = Instant::now();
    eprintln!("first build of the snippet crate (the course crates and their dependencies)…");
    let state = match warm_build(scratch, current) {
        Ok(()) => {
            let seconds = started.elapsed().as_secs_f64();
            println!("first build done in {seconds:.1} s: ▶ now compiles only the snippet");
            Warmup::Ready(seconds)
        }
        Err(e) => {
            println!(
                "first build failed after {:.1} s:\n{e}",
                started.elapsed().as_secs_f64()
            );
            Warmup::Failed(e)
        }
    };
    *warmup.lock().expect("warmup lock") = state;
    for job in jobs {
        let outcome = compile_and_run(scratch, &job.code, current);
        let _ = job.reply.send(outcome);
    }
}

fn cargo_build(scratch: &Scratch) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(scratch.dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&scratch.target)
        .args(["--message-format=json", "--color=never"]);
    command
}

const NO_CARGO: &str = "Не найден `cargo`: установите Rust (rustup.rs, см. README) и \
                        перезапустите `cargo xtask serve`.";

/// Builds a trivial program, so that all dependencies are compiled once;
/// cargo's progress goes to the terminal. It runs in its own process group,
/// so a server told to stop (`--stop-on-eof`) stops it too.
fn warm_build(scratch: &Scratch, current: &Current) -> Result<(), String> {
    let program = snippet::wrap("");
    std::fs::write(scratch.dir.join("src/main.rs"), &program.source).map_err(|e| e.to_string())?;
    let mut command = cargo_build(scratch);
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => NO_CARGO.to_owned(),
        _ => format!("cannot start cargo: {e}"),
    })?;
    current.set(&child);
    let mut messages = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            messages.push(line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string());
    current.clear();
    let status = status?;
    if status.success() {
        return Ok(());
    }
    let errors = Diagnostics::parse(messages.iter().map(String::as_str));
    Err(errors.others.join("\n"))
}

/// The compiler's messages of one build, split by where they point.
#[derive(Debug, Default)]
struct Diagnostics {
    /// Errors in the snippet (rendered, lines of `src/main.rs`).
    snippet: Vec<String>,
    /// Errors anywhere else: a course crate or a dependency does not build.
    others: Vec<String>,
}

impl Diagnostics {
    fn parse<'a>(lines: impl Iterator<Item = &'a str>) -> Diagnostics {
        let mut d = Diagnostics::default();
        for line in lines {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
                continue;
            }
            let rendered = msg["message"]["rendered"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let ours = msg["target"]["name"] == super::scratch::NAME
                && msg["package_id"]
                    .as_str()
                    .is_some_and(|id| id.contains(super::scratch::NAME));
            if ours {
                d.snippet.push(rendered);
            } else {
                d.others.push(rendered);
            }
        }
        d
    }
}

/// Writes the snippet, builds it, runs it.
fn compile_and_run(scratch: &Scratch, code: &str, current: &Current) -> Outcome {
    let program = snippet::wrap(code);
    if let Err(e) = std::fs::write(scratch.dir.join("src/main.rs"), &program.source) {
        return Outcome::message(format!("Не удалось записать пример: {e}"));
    }
    let started = Instant::now();
    let mut command = cargo_build(scratch);
    command.arg("--quiet");
    let built = match limits::run(command, BUILD_LIMITS, current) {
        Ok(built) => built,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Outcome::message(NO_CARGO),
        Err(e) => return Outcome::message(format!("Не удалось запустить cargo: {e}")),
    };
    let build_seconds = started.elapsed().as_secs_f64();
    if built.stopped.is_some() || !built.status.success() {
        let stdout = String::from_utf8_lossy(&built.stdout);
        let d = Diagnostics::parse(stdout.lines());
        let mut outcome = Outcome {
            build_seconds,
            ..Outcome::default()
        };
        if built.stopped.is_some() {
            outcome.result = format!(
                "Сборка не уложилась в {} с и остановлена (если в это время шла другая \
                 сборка cargo в том же каталоге target, пример ждал её): нажмите ▶ ещё раз.",
                BUILD_LIMITS.time.as_secs()
            );
        } else if !d.snippet.is_empty() {
            let text = program.relabel(&d.snippet.join("\n"));
            outcome.result =
                format!("Ошибка компиляции (номера строк — строки этого примера):\n\n{text}");
            outcome.compile_error = Some(text);
        } else {
            let why = if d.others.is_empty() {
                String::from_utf8_lossy(&built.stderr).into_owned()
            } else {
                d.others.join("\n")
            };
            outcome.result = format!(
                "Не собираются крейты курса — это не ошибка в примере. Исправьте сборку \
                 (`cargo build -p book`) и нажмите ▶ ещё раз.\n\n{why}"
            );
        }
        return outcome;
    }
    run_program(scratch, &program, current, build_seconds)
}

fn run_program(
    scratch: &Scratch,
    program: &Program,
    current: &Current,
    build_seconds: f64,
) -> Outcome {
    let _ = std::fs::remove_dir_all(&scratch.run_dir);
    if let Err(e) = std::fs::create_dir_all(&scratch.run_dir) {
        return Outcome::message(format!("Не удалось создать каталог запуска: {e}"));
    }
    let mut command = Command::new(scratch.binary());
    command.current_dir(&scratch.run_dir);
    let finished = match limits::run(command, RUN_LIMITS, current) {
        Ok(f) => f,
        Err(e) => return Outcome::message(format!("Не удалось запустить пример: {e}")),
    };
    let stdout = String::from_utf8_lossy(&finished.stdout).into_owned();
    let stderr = program.relabel_locations(&String::from_utf8_lossy(&finished.stderr));
    let exit_code = finished.status.code();
    let stopped = finished.stopped.map(|s| match s {
        Stopped::Time => "time",
        Stopped::Output => "output",
    });
    let result = result_text(&stdout, &stderr, finished.status, finished.stopped);
    Outcome {
        result,
        error: None,
        stdout,
        stderr,
        exit_code,
        stopped,
        compile_error: None,
        build_seconds,
        run_seconds: finished.elapsed.as_secs_f64(),
        svgs: svgs(&scratch.run_dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_the_snippet_are_told_from_errors_of_the_course() {
        let lines = [
            r#"{"reason":"compiler-message","package_id":"path+file:///w/target/serve/scratch#snippet@0.0.0","target":{"name":"snippet"},"message":{"level":"error","rendered":"error: mine"}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/crates/mlp#0.1.0","target":{"name":"mlp"},"message":{"level":"error","rendered":"error: theirs"}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/target/serve/scratch#snippet@0.0.0","target":{"name":"snippet"},"message":{"level":"warning","rendered":"warning: w"}}"#,
            "not json",
        ];
        let d = Diagnostics::parse(lines.into_iter());
        assert_eq!(d.snippet, vec!["error: mine"]);
        assert_eq!(d.others, vec!["error: theirs"]);
    }
}
