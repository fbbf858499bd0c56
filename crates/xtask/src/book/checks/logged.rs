//! Warnings in the build log. mdbook-katex only *logs* a formula it cannot
//! render ("Rendering failed, keeping the original content") and mdBook only
//! logs an `{{#include}}` it cannot resolve; both would otherwise pass.

use super::Problem;
use crate::book::log::Log;
use std::path::Path;

/// One problem per WARN or ERROR event in `log`.
pub fn check(log: &Log, log_name: &Path) -> Vec<Problem> {
    log.warnings()
        .into_iter()
        .map(|event| {
            let one_line = event.split_whitespace().collect::<Vec<_>>().join(" ");
            let kind = if one_line.contains("Rendering failed") || one_line.contains("KaTeX") {
                "KaTeX could not render a formula"
            } else {
                "warning"
            };
            Problem::new(
                log_name,
                None,
                format!("{kind}: {}", shorten(&one_line, 300)),
            )
        })
        .collect()
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_katex_failure_is_a_problem() {
        let log = Log::from_text(
            " INFO mdbook_driver: Running the html backend\n WARN render{item=\"\\\\eta_\\\\min\"}: mdbook_katex::render: Rendering failed, keeping the original content: Error: KaTeX parse error: Got function '\\min' with no arguments as subscript\n",
        );
        let problems = check(&log, Path::new("log"));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.starts_with("KaTeX could not render"),
            "{}",
            problems[0]
        );
        assert!(problems[0].message.contains("\\min"));
    }

    #[test]
    fn a_clean_log_has_no_problem() {
        let log = Log::from_text(" INFO mdbook_driver: Book building has started\n");
        assert!(check(&log, Path::new("log")).is_empty());
    }
}
