//! Ctrl-C, SIGTERM and SIGHUP: stop at the next batch and save a checkpoint.
//!
//! A terminal that closes (SIGHUP), a dropped ssh session, `kill` or a job
//! scheduler's time limit (SIGTERM) are handled like Ctrl-C (SIGINT): the
//! first one raises the trainer's stop flag, the run stops between two
//! batches and its checkpoint is committed; a second one quits at once
//! (the run folder still holds its last complete state). Only kill -9
//! cannot be caught; against it the periodic checkpoints keep the loss to
//! the epochs since the last one.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The flags a signal raises.
#[derive(Debug, Clone)]
pub struct StopFlags {
    /// The trainer's stop flag (also raised to take a periodic checkpoint).
    pub stop: Arc<AtomicBool>,
    /// Raised by a signal only: the user wants the run to stop.
    pub signalled: Arc<AtomicBool>,
}

impl StopFlags {
    /// Whether a signal asked to stop.
    pub fn signalled(&self) -> bool {
        self.signalled.load(Ordering::SeqCst)
    }
}

/// Installs the handler (once per process) and returns its flags.
pub fn install() -> StopFlags {
    let flags = StopFlags {
        stop: Arc::new(AtomicBool::new(false)),
        signalled: Arc::new(AtomicBool::new(false)),
    };
    let handler = flags.clone();
    let installed = ctrlc::set_handler(move || {
        // a closed terminal makes stderr fail: never panic for a message
        let mut err = std::io::stderr();
        if handler.signalled.swap(true, Ordering::SeqCst) {
            let _ = writeln!(err, "\nSecond stop signal: quitting without saving.");
            std::process::exit(130);
        }
        handler.stop.store(true, Ordering::SeqCst);
        let _ = writeln!(
            err,
            "\nStop signal (Ctrl-C, SIGTERM or SIGHUP): stopping after this batch and saving a checkpoint (Ctrl-C again quits without saving)"
        );
    });
    if let Err(err) = installed {
        let _ = writeln!(
            std::io::stderr(),
            "warning: Ctrl-C will not save a checkpoint: {err}"
        );
    }
    flags
}
