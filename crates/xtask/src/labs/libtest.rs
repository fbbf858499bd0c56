//! Reading the plain-text output of a Rust test binary (libtest).
//!
//! Stable libtest has no machine-readable format (`--format json` needs
//! `-Z unstable-options`), but its text is regular enough:
//!
//! ```text
//! test t01_sigmoid ... FAILED
//!
//! failures:
//!
//! ---- t01_sigmoid stdout ----
//!
//! thread 't01_sigmoid' (1234) panicked at tests/lab01.rs:62:5:
//! sigmoid(0): ожидалось 5e-1, получено 0e0
//! note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
//! ```
//!
//! The runner executes one test per process, so even a test that aborts
//! the process cannot hide another test's result; these parsers only have
//! to find that one test's verdict and its message.

/// How a test ended, as libtest printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// `... ok`
    Ok,
    /// `... FAILED`
    Failed,
    /// `... ignored`
    Ignored,
}

/// The verdict printed for `name` (`test name ... ok`), if any.
pub fn verdict(output: &str, name: &str) -> Option<Verdict> {
    output.lines().find_map(|line| {
        let rest = line.strip_prefix("test ")?.strip_prefix(name)?;
        let result = rest.strip_prefix(" ... ")?;
        // "ignored, reason" is printed for #[ignore = "reason"]
        match result.split([',', ' ']).next()? {
            "ok" => Some(Verdict::Ok),
            "FAILED" => Some(Verdict::Failed),
            "ignored" => Some(Verdict::Ignored),
            _ => None,
        }
    })
}

/// The captured output of a failed test: the lines between its
/// `---- name stdout ----` header and the next header or the closing
/// `failures:` list.
pub fn failure_section<'a>(output: &'a str, name: &str) -> Option<&'a str> {
    let header = format!("---- {name} stdout ----");
    let start = output.find(&header)? + header.len();
    let rest = &output[start..];
    let end = ["\n---- ", "\nfailures:\n", "\ntest result:"]
        .iter()
        .filter_map(|marker| rest.find(marker))
        .min()
        .unwrap_or(rest.len());
    Some(rest[..end].trim_matches('\n'))
}

/// The message of the last panic in `text` — the one that failed the test
/// (a property test first reports the panics of its cases, then fails with
/// a summary that names the smallest failing input).
pub fn last_panic_message(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().rposition(|l| l.contains(" panicked at "))?;
    let head = lines[at];
    // Rust ≥ 1.73: "thread 'x' panicked at src/lib.rs:1:2:" then the message
    // on the next lines; before that: "panicked at 'message', src/lib.rs:1:2".
    if let Some(old) = head
        .split_once(" panicked at '")
        .and_then(|(_, rest)| rest.rsplit_once("', "))
    {
        return Some(old.0.to_string());
    }
    let message: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| !l.starts_with("note: ") && !l.starts_with("stack backtrace:"))
        .copied()
        .collect();
    let message = message.join("\n").trim().to_string();
    Some(if message.is_empty() {
        "(panic without a message)".to_string()
    } else {
        message
    })
}

/// Makes a property-test failure readable in one glance: proptest's
/// statistics lines go, and the (often multi-line) smallest failing input
/// becomes one line of at most 200 characters.
pub fn tidy(message: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut input: Option<String> = None;
    for line in message.lines() {
        let trimmed = line.trim();
        let statistic = ["successes:", "local rejects:", "global rejects:"]
            .iter()
            .any(|s| trimmed.starts_with(s));
        if statistic {
            continue;
        }
        match input.as_mut() {
            Some(text) => {
                text.push(' ');
                text.push_str(trimmed);
            }
            None if trimmed.starts_with("minimal failing input:") => {
                input = Some(trimmed.to_string())
            }
            None => kept.push(line.to_string()),
        }
    }
    if let Some(text) = input {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        kept.push(shorten(&text, 1, 200));
    }
    kept.join("\n")
}

/// Shortens a message for a report: at most `lines` lines and `chars`
/// characters, with `…` where it was cut.
pub fn shorten(message: &str, lines: usize, chars: usize) -> String {
    let mut out: String = message.lines().take(lines).collect::<Vec<_>>().join("\n");
    let mut cut = message.lines().count() > lines;
    if out.chars().count() > chars {
        out = out.chars().take(chars).collect();
        cut = true;
    }
    if cut {
        out.push('…');
    }
    out
}

/// Test names from `--list` output (`name: test` lines; benchmarks skipped).
pub fn listed_tests(output: &str) -> Vec<String> {
    let mut names: Vec<String> = output
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "
running 3 tests
test t01_easy ... ok
test t02_wrong_sign ... FAILED
test t03_property ... FAILED
test t04_slow ... ignored, takes a minute

failures:

---- t02_wrong_sign stdout ----

thread 't02_wrong_sign' (9516) panicked at tests/lab03.rs:80:9:
dw2: ожидалось -1.9988e-1, получено 1.9988e-1
— знак перепутан
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- t03_property stdout ----

thread 't03_property' (9517) panicked at src/lib.rs:34:5:
not yet implemented
thread 't03_property' (9517) panicked at tests/lab01.rs:92:1:
Test failed: not yet implemented.
minimal failing input: x = 0.0
\tsuccesses: 0

failures:
    t02_wrong_sign
    t03_property

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s
";

    #[test]
    fn verdicts_are_read_per_test() {
        assert_eq!(verdict(RUN, "t01_easy"), Some(Verdict::Ok));
        assert_eq!(verdict(RUN, "t02_wrong_sign"), Some(Verdict::Failed));
        assert_eq!(verdict(RUN, "t04_slow"), Some(Verdict::Ignored));
        assert_eq!(verdict(RUN, "t05_missing"), None);
        // a name that is a prefix of another must not match it
        assert_eq!(verdict(RUN, "t01"), None);
    }

    #[test]
    fn the_message_is_the_last_panic_of_the_test() {
        let section = failure_section(RUN, "t02_wrong_sign").unwrap();
        assert!(!section.contains("t03_property"));
        assert_eq!(
            last_panic_message(section).unwrap(),
            "dw2: ожидалось -1.9988e-1, получено 1.9988e-1\n— знак перепутан"
        );
        let section = failure_section(RUN, "t03_property").unwrap();
        let message = last_panic_message(section).unwrap();
        assert!(
            message.starts_with("Test failed: not yet implemented."),
            "{message}"
        );
        assert!(message.contains("minimal failing input: x = 0.0"));
        assert!(failure_section(RUN, "t01_easy").is_none());
    }

    #[test]
    fn old_style_panics_and_empty_messages_are_understood() {
        let old = "thread 'main' panicked at 'assertion failed: x', src/main.rs:2:5\nnote: …";
        assert_eq!(last_panic_message(old).unwrap(), "assertion failed: x");
        let empty = "thread 't' (1) panicked at src/lib.rs:1:1:\nnote: run with …";
        assert_eq!(
            last_panic_message(empty).unwrap(),
            "(panic without a message)"
        );
        assert_eq!(last_panic_message("no panic here"), None);
    }

    #[test]
    fn property_test_messages_are_tidied() {
        let message = "Test failed: ratio wrong.\nminimal failing input: m = [[0.0, 0.0],\n   [0.0, 0.0]], shape=[2, 2]\n\tsuccesses: 3\n\tlocal rejects: 0\n\tglobal rejects: 0";
        assert_eq!(
            tidy(message),
            "Test failed: ratio wrong.\nminimal failing input: m = [[0.0, 0.0], [0.0, 0.0]], shape=[2, 2]"
        );
        assert_eq!(tidy("plain\nmessage"), "plain\nmessage");
    }

    #[test]
    fn long_messages_are_shortened() {
        assert_eq!(shorten("a\nb\nc", 2, 100), "a\nb…");
        assert_eq!(shorten("abcdef", 5, 3), "abc…");
        assert_eq!(shorten("short", 5, 100), "short");
    }

    #[test]
    fn list_output_gives_sorted_test_names() {
        let list = "t02_b: test\nt01_a: test\nbench_x: bench\n\n2 tests, 1 benchmark\n";
        assert_eq!(listed_tests(list), ["t01_a", "t02_b"]);
    }
}
