//! Running a process under a time limit and an output limit.
//!
//! The process starts as the leader of a new process group, so whatever it
//! spawns stays in that group; on a limit the whole group gets `SIGKILL`,
//! and after a normal exit the group is killed too, so no child of a
//! snippet outlives its run.

use rustix::process::{Pid, Signal, kill_process_group};
use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The limits of one run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time before the group is killed.
    pub time: Duration,
    /// Bytes of stdout + stderr kept; one byte more and the group is killed.
    pub output: usize,
}

/// The limits of a snippet's run, as the page states them.
pub const RUN_LIMITS: Limits = Limits {
    time: Duration::from_secs(10),
    output: 64 * 1024,
};

/// Why a run was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// It ran past [`Limits::time`].
    Time,
    /// It printed more than [`Limits::output`].
    Output,
}

/// What a finished (or stopped) process left.
#[derive(Debug)]
pub struct Finished {
    /// Its standard output, cut at the output limit.
    pub stdout: Vec<u8>,
    /// Its standard error, cut at the output limit.
    pub stderr: Vec<u8>,
    /// How it exited (killed processes have no code).
    pub status: ExitStatus,
    /// Set when a limit stopped it.
    pub stopped: Option<Stopped>,
    /// How long it ran.
    pub elapsed: Duration,
}

/// The process group running now (0: none), so that a server shutting down
/// can kill it.
#[derive(Default)]
pub struct Current(AtomicI32);

impl Current {
    /// Records the group of a process started elsewhere (the first build).
    pub fn set(&self, child: &std::process::Child) {
        self.0
            .store(i32::try_from(child.id()).unwrap_or(0), Ordering::SeqCst);
    }

    /// Forgets it (it has ended).
    pub fn clear(&self) {
        self.0.store(0, Ordering::SeqCst);
    }

    /// Kills the group running now, if any.
    pub fn kill(&self) {
        let pgid = self.0.swap(0, Ordering::SeqCst);
        kill_group(pgid);
    }
}

fn kill_group(pgid: i32) {
    if let Some(pid) = Pid::from_raw(pgid) {
        // ESRCH (the group is already gone) is the usual, happy case.
        let _ = kill_process_group(pid, Signal::KILL);
    }
}

/// Runs `command` (its stdin closed) under `limits`.
pub fn run(mut command: Command, limits: Limits, current: &Current) -> std::io::Result<Finished> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child = command.spawn()?;
    let pgid = i32::try_from(child.id()).unwrap_or(0);
    current.0.store(pgid, Ordering::SeqCst);

    let budget = Arc::new(AtomicUsize::new(limits.output));
    let overflow = Arc::new(AtomicBool::new(false));
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        let budget = Arc::clone(&budget);
        let overflow = Arc::clone(&overflow);
        let kept = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&kept);
        let thread = std::thread::spawn(move || {
            let Some(mut pipe) = pipe else { return };
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let allowed = take(&budget, n);
                sink.lock()
                    .expect("output lock")
                    .extend_from_slice(&buf[..allowed]);
                if allowed < n {
                    overflow.store(true, Ordering::SeqCst);
                    kill_group(pgid);
                    break;
                }
            }
        });
        (thread, kept)
    };
    let out = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let mut stopped = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() >= limits.time {
            stopped = Some(Stopped::Time);
            kill_group(pgid);
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // Children left behind (still in the group) would hold the pipes open.
    kill_group(pgid);
    current.0.store(0, Ordering::SeqCst);
    let elapsed = started.elapsed();
    let _ = out.0.join();
    let _ = err.0.join();
    if overflow.load(Ordering::SeqCst) && stopped.is_none() {
        stopped = Some(Stopped::Output);
    }
    let unwrap =
        |kept: Arc<Mutex<Vec<u8>>>| std::mem::take(&mut *kept.lock().expect("output lock"));
    Ok(Finished {
        stdout: unwrap(out.1),
        stderr: unwrap(err.1),
        status,
        stopped,
        elapsed,
    })
}

/// Takes up to `n` bytes from the shared budget; returns how many it got.
fn take(budget: &AtomicUsize, n: usize) -> usize {
    let mut granted = 0;
    let _ = budget.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
        granted = left.min(n);
        Some(left - granted)
    });
    granted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    const SHORT: Limits = Limits {
        time: Duration::from_secs(2),
        output: 1000,
    };

    #[test]
    fn output_and_status_come_back() {
        let f = run(
            sh("echo out; echo err >&2; exit 3"),
            SHORT,
            &Current::default(),
        )
        .unwrap();
        assert_eq!(f.stdout, b"out\n");
        assert_eq!(f.stderr, b"err\n");
        assert_eq!(f.status.code(), Some(3));
        assert_eq!(f.stopped, None);
    }

    #[test]
    fn a_sleeper_and_its_child_are_killed_at_the_time_limit() {
        let f = run(
            sh("sleep 30 & echo $!; sleep 30"),
            SHORT,
            &Current::default(),
        )
        .unwrap();
        assert_eq!(f.stopped, Some(Stopped::Time));
        assert!(f.elapsed < Duration::from_secs(4), "{:?}", f.elapsed);
        let child: u32 = String::from_utf8_lossy(&f.stdout).trim().parse().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let state = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
        // gone, or a zombie waiting for init to reap it
        assert!(
            state.is_empty() || state.contains(") Z "),
            "child {child} still runs: {state}"
        );
    }

    #[test]
    fn a_flood_is_cut_at_the_output_limit() {
        let f = run(sh("yes"), SHORT, &Current::default()).unwrap();
        assert_eq!(f.stopped, Some(Stopped::Output));
        assert_eq!(f.stdout.len() + f.stderr.len(), 1000);
    }
}
