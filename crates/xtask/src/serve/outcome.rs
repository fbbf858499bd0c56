//! What a run request gets back: mdBook's `result` text for the page, and
//! the same in parts for tests and for the SVGs shown under the code.

use super::limits::{RUN_LIMITS, Stopped};
use serde::Serialize;

/// An SVG file a snippet wrote into its run directory.
#[derive(Debug, Clone, Serialize)]
pub struct Svg {
    /// Its file name.
    pub name: String,
    /// Its text.
    pub svg: String,
}

/// What a run request gets back. `result` is what mdBook's page shows; the
/// other fields say the same in parts (the tests read them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    /// The text for mdBook's result block.
    pub result: String,
    /// mdBook's field for a failed request (never used: failures are results).
    pub error: Option<String>,
    /// The program's standard output.
    pub stdout: String,
    /// The program's standard error.
    pub stderr: String,
    /// Its exit code (`None`: not run, or killed).
    pub exit_code: Option<i32>,
    /// `"time"` or `"output"` when a limit stopped it.
    pub stopped: Option<&'static str>,
    /// The compiler's messages when the snippet did not compile, with lines
    /// of the snippet.
    pub compile_error: Option<String>,
    /// Seconds the compilation took.
    pub build_seconds: f64,
    /// Seconds the program ran.
    pub run_seconds: f64,
    /// SVG files the program wrote.
    pub svgs: Vec<Svg>,
}

impl Outcome {
    pub fn message(text: impl Into<String>) -> Outcome {
        Outcome {
            result: text.into(),
            ..Outcome::default()
        }
    }
}

/// The text of the result block: the output, then what ended the run.
pub fn result_text(
    stdout: &str,
    stderr: &str,
    status: std::process::ExitStatus,
    stopped: Option<Stopped>,
) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    let mut text = stdout.to_owned();
    if !stderr.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(stderr);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let end = match stopped {
        Some(Stopped::Time) => Some(format!(
            "[остановлено: программа работала дольше {} с; все её процессы завершены]",
            RUN_LIMITS.time.as_secs()
        )),
        Some(Stopped::Output) => Some(format!(
            "[остановлено: вывод длиннее {} КБ, показано начало; все её процессы завершены]",
            RUN_LIMITS.output / 1024
        )),
        None => match (status.code(), status.signal()) {
            (Some(0), _) if text.is_empty() => Some(
                "Программа завершилась успешно и ничего не напечатала: все assert! выполнены. \
                 Добавьте println!, чтобы увидеть значения."
                    .to_owned(),
            ),
            (Some(0), _) => None,
            (Some(101), _) => Some("[программа завершилась паникой, код 101]".to_owned()),
            (Some(code), _) => Some(format!("[программа завершилась с кодом {code}]")),
            (None, Some(signal)) => Some(format!("[программа убита сигналом {signal}]")),
            (None, None) => Some("[программа завершилась без кода]".to_owned()),
        },
    };
    if let Some(end) = end {
        text.push_str(&end);
    }
    text
}

/// The SVG files (at most 2 MB each) a run left in `dir`.
pub fn svgs(dir: &std::path::Path) -> Vec<Svg> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Svg> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "svg"))
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= 2 << 20)
        })
        .filter_map(|e| {
            Some(Svg {
                name: e.file_name().to_string_lossy().into_owned(),
                svg: std::fs::read_to_string(e.path()).ok()?,
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::ExitStatus;

    #[test]
    fn the_result_says_how_the_run_ended() {
        let ok = ExitStatus::from_raw(0);
        assert_eq!(result_text("0.5\n", "", ok, None), "0.5\n");
        assert!(result_text("", "", ok, None).contains("ничего не напечатала"));
        let panic = ExitStatus::from_raw(101 << 8);
        let text = result_text("", "thread 'main' panicked", panic, None);
        assert!(text.starts_with("thread 'main' panicked\n") && text.contains("паникой"));
        let killed = ExitStatus::from_raw(9);
        assert!(result_text("a", "", killed, Some(Stopped::Time)).contains("дольше 10 с"));
        assert!(result_text("a", "", killed, Some(Stopped::Output)).contains("64 КБ"));
    }
}
