//! The build log: mdBook and mdbook-katex report through `tracing`, so the
//! log is captured while it is also shown on stderr, and `--check` can read
//! every warning (mdbook-katex's "Rendering failed", a failed `{{#include}}`).

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use tracing_subscriber::fmt::MakeWriter;

/// Everything the build printed through `tracing`, one entry per event.
#[derive(Clone, Default)]
pub struct Log {
    text: Arc<Mutex<Vec<u8>>>,
}

impl Log {
    /// A log holding the given text (for tests).
    #[cfg(test)]
    pub fn from_text(text: &str) -> Self {
        let log = Log::default();
        log.append(text.as_bytes());
        log
    }

    fn append(&self, bytes: &[u8]) {
        self.text
            .lock()
            .expect("log lock poisoned")
            .extend_from_slice(bytes);
    }

    /// Forget everything captured so far (a new build starts).
    pub fn clear(&self) {
        self.text.lock().expect("log lock poisoned").clear();
    }

    /// The events, each with its continuation lines joined to it.
    pub fn events(&self) -> Vec<String> {
        let bytes = self.text.lock().expect("log lock poisoned").clone();
        let text = String::from_utf8_lossy(&bytes);
        let mut events: Vec<String> = Vec::new();
        for line in text.lines() {
            let starts_event = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
                .iter()
                .any(|level| line.trim_start().starts_with(level));
            match events.last_mut() {
                Some(last) if !starts_event => {
                    last.push('\n');
                    last.push_str(line);
                }
                _ => events.push(line.trim_start().to_owned()),
            }
        }
        events
    }

    /// The events at level WARN or ERROR.
    pub fn warnings(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|e| e.starts_with("WARN") || e.starts_with("ERROR"))
            .collect()
    }
}

/// A writer that copies to stderr and into the [`Log`].
pub struct Tee(Log);

impl Write for Tee {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stderr().write_all(buf)?;
        self.0.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl<'a> MakeWriter<'a> for Log {
    type Writer = Tee;

    fn make_writer(&'a self) -> Tee {
        Tee(self.clone())
    }
}

/// The process-wide log. `tracing` allows one global subscriber, and it must
/// be global (not per thread) because mdbook-katex renders on rayon threads.
pub fn global() -> Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let filter = tracing_subscriber::EnvFilter::builder()
            .with_default_directive(tracing_subscriber::filter::LevelFilter::INFO.into())
            .from_env_lossy();
        // Another subscriber may already be installed (never in this binary,
        // but harmless): then the log stays empty and the HTML checks remain.
        let _ = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .without_time()
            .with_env_filter(filter)
            .try_init();
        log
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_stay_with_their_event() {
        let log = Log::from_text(
            " INFO mdbook: Book building has started\n WARN render{item=\"x\"}: mdbook_katex::render: Rendering failed, keeping the original content: KaTeX parse error\nsecond line\nERROR links: Error updating \"{{#include a.rs}}\"\n",
        );
        let warnings = log.warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("Rendering failed") && warnings[0].ends_with("second line"));
        assert!(warnings[1].starts_with("ERROR"));
    }

    #[test]
    fn info_is_not_a_warning() {
        assert!(Log::from_text(" INFO all good\n").warnings().is_empty());
    }
}
