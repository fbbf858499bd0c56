//! Запуск тестов лабораторной (`cargo test -p labNN`) и разбор вывода
//! libtest: у стабильного libtest нет машиночитаемого формата, но его
//! строки `test name ... ok` и разделы `---- name stdout ----` регулярны.

use std::path::Path;
use std::process::Command;

/// Итог одного теста.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// Полное имя, `t07_elu_is_continuous_and_matches_pytorch`.
    pub name: String,
    /// Прошёл ли.
    pub passed: bool,
    /// Сообщение упавшего теста (без строки `thread … panicked`).
    pub message: Option<String>,
}

/// Итог запуска тестов лабораторной.
#[derive(Debug, Clone, PartialEq)]
pub enum LabRun {
    /// Тесты запустились; результаты в порядке имён.
    Tested(Vec<TestResult>),
    /// Не собирается: первая ошибка компилятора.
    BuildFailed(String),
}

impl LabRun {
    /// Первый упавший тест (по номеру), если есть.
    pub fn first_failure(&self) -> Option<&TestResult> {
        match self {
            LabRun::Tested(results) => results.iter().find(|r| !r.passed),
            LabRun::BuildFailed(_) => None,
        }
    }
}

/// Запускает `cargo test -p labNN` в корне `root`.
pub fn run_lab(root: &Path, lab: u32) -> Result<LabRun, String> {
    let package = crate::course::lab_name(lab);
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["test", "-p", &package, "--no-fail-fast", "--color", "never"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("не удалось запустить cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(parse(&stdout, &stderr))
}

/// Разбирает вывод `cargo test`: stdout — строки libtest, stderr — cargo и
/// компилятор.
pub fn parse(stdout: &str, stderr: &str) -> LabRun {
    let mut results: Vec<TestResult> = stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, verdict) = rest.split_once(" ... ")?;
            let passed = match verdict.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None,
            };
            Some(TestResult {
                name: name.trim().to_string(),
                passed,
                message: None,
            })
        })
        .collect();
    if results.is_empty() && (stderr.contains("error[") || stderr.contains("error:")) {
        return LabRun::BuildFailed(first_error(stderr));
    }
    for r in results.iter_mut().filter(|r| !r.passed) {
        r.message = failure_message(stdout, &r.name);
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    LabRun::Tested(results)
}

/// Первая ошибка компилятора, до пустой строки.
fn first_error(stderr: &str) -> String {
    let start = stderr
        .find("error[")
        .or_else(|| stderr.find("error:"))
        .unwrap_or(0);
    let text = &stderr[start..];
    let end = text.find("\n\n").unwrap_or(text.len());
    text[..end].trim().to_string()
}

/// Сообщение упавшего теста из раздела `---- name stdout ----`.
fn failure_message(stdout: &str, name: &str) -> Option<String> {
    let header = format!("---- {name} stdout ----");
    let start = stdout.find(&header)? + header.len();
    let rest = &stdout[start..];
    let end = ["\n---- ", "\nfailures:\n"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    let lines: Vec<String> = rest[..end]
        .lines()
        .filter(|l| !l.starts_with("note: run with") && !l.trim().is_empty())
        .map(|l| match l.split_once(" panicked at ") {
            // where it failed: a todo in the student's src/ or a line of the tests
            Some((thread, place)) if thread.starts_with("thread '") => {
                format!("паника в {}", place.trim_end_matches(':'))
            }
            _ => l.to_string(),
        })
        .collect();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\nrunning 3 tests\n\
        test t02_b ... ok\n\
        test t01_a ... FAILED\n\
        test t03_c ... FAILED\n\n\
        failures:\n\n\
        ---- t01_a stdout ----\n\n\
        thread 't01_a' (77) panicked at tests/lab01.rs:5:5:\n\
        sigmoid(2): ожидалось 8.8e-1, получено 1.2e-1\n\
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
        подсказка: cargo lab hint 1 t01\n\n\
        ---- t03_c stdout ----\n\
        thread 't03_c' panicked at src/lib.rs:9:5:\n\
        not yet implemented\n\n\
        failures:\n    t01_a\n    t03_c\n\n\
        test result: FAILED. 1 passed; 2 failed\n";

    #[test]
    fn verdicts_and_messages_are_read_from_libtest_output() {
        let LabRun::Tested(results) = parse(OUTPUT, "") else {
            panic!("expected test results")
        };
        let names: Vec<&str> = results.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["t01_a", "t02_b", "t03_c"]);
        assert!(results[1].passed && !results[0].passed && !results[2].passed);
        let message = results[0].message.as_deref().unwrap();
        assert!(
            message.starts_with("паника в tests/lab01.rs:5:5\nsigmoid(2): ожидалось"),
            "{message}"
        );
        assert!(message.ends_with("cargo lab hint 1 t01"), "{message}");
        assert_eq!(
            results[2].message.as_deref(),
            Some("паника в src/lib.rs:9:5\nnot yet implemented")
        );
        let first = parse(OUTPUT, "").first_failure().map(|r| r.name.clone());
        assert_eq!(first.as_deref(), Some("t01_a"));
    }

    #[test]
    fn a_build_error_is_reported_as_such() {
        let stderr = "   Compiling lab01 v0.1.0\nerror[E0308]: mismatched types\n --> src/lib.rs:3:5\n\nerror: aborting\n";
        assert_eq!(
            parse("", stderr),
            LabRun::BuildFailed("error[E0308]: mismatched types\n --> src/lib.rs:3:5".into())
        );
    }
}
