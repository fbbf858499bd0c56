//! Запуск тестов лабораторных и разбор вывода: сборку cargo описывает в
//! JSON (`--message-format json`), а у стабильного libtest машиночитаемого
//! формата нет, но его строки `test name ... ok` и разделы
//! `---- name stdout ----` регулярны.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// Запускает тесты одной лабораторной.
pub fn run_lab(root: &Path, lab: u32) -> Result<LabRun, String> {
    let mut runs = run_labs(root, &[lab])?;
    runs.pop()
        .map(|(_, run)| run)
        .ok_or_else(|| "cargo не вернул итог".to_string())
}

/// Тесты нескольких лабораторных: одна сборка на все
/// (`cargo build --tests --message-format json`, крейты собираются
/// параллельно, ход сборки cargo печатает в stderr), затем каждый тестовый
/// исполняемый файл запускается в каталоге своей лабораторной, как это
/// делает `cargo test`. Лабораторная, которая не собралась, получает первую
/// ошибку компилятора; остальные всё равно проверяются.
pub fn run_labs(root: &Path, labs: &[u32]) -> Result<Vec<(u32, LabRun)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(&cargo);
    build
        .current_dir(root)
        // `cargo test --no-run` stops at the first lab that does not compile;
        // `build --tests --keep-going` builds the same test binaries (cargo
        // test reuses them) and those of the other labs too
        .args([
            "build",
            "--tests",
            "--keep-going",
            "--message-format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for &lab in labs {
        build.args(["-p", &crate::course::lab_name(lab)]);
    }
    let output = build
        .output()
        .map_err(|e| format!("не удалось запустить cargo: {e}"))?;
    let built = parse_build(&String::from_utf8_lossy(&output.stdout));
    let mut runs = Vec::new();
    for &lab in labs {
        let package = crate::course::lab_name(lab);
        let found = built.get(&package);
        let Some(unit) = found.filter(|u| !u.executables.is_empty() || u.error.is_some()) else {
            runs.push((
                lab,
                LabRun::BuildFailed("тесты не собрались: ошибки компилятора выше".into()),
            ));
            continue;
        };
        if let Some(error) = &unit.error {
            runs.push((lab, LabRun::BuildFailed(error.clone())));
            continue;
        }
        let mut stdout = String::new();
        for exe in &unit.executables {
            let out = Command::new(exe)
                .current_dir(&unit.dir)
                .args(["--color", "never"])
                .env("RUST_BACKTRACE", "0")
                .env("CARGO_MANIFEST_DIR", &unit.dir)
                .output()
                .map_err(|e| format!("не удалось запустить {}: {e}", exe.display()))?;
            stdout.push_str(&String::from_utf8_lossy(&out.stdout));
        }
        runs.push((lab, parse(&stdout, "")));
    }
    Ok(runs)
}

/// Что сборка дала одной лабораторной.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Built {
    /// Каталог пакета (там запускаются его тесты).
    pub dir: PathBuf,
    /// Тестовые исполняемые файлы.
    pub executables: Vec<PathBuf>,
    /// Первая ошибка компилятора, если пакет не собрался.
    pub error: Option<String>,
}

/// Разбирает JSON-сообщения cargo (по одному в строке): тестовые
/// исполняемые файлы и ошибки компилятора по имени пакета.
pub fn parse_build(json_lines: &str) -> BTreeMap<String, Built> {
    let mut built: BTreeMap<String, Built> = BTreeMap::new();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(manifest) = msg["manifest_path"].as_str().map(Path::new) else {
            continue;
        };
        let Some(dir) = manifest.parent() else {
            continue;
        };
        let Some(package) = dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let entry = built.entry(package.to_string()).or_default();
        entry.dir = dir.to_path_buf();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(exe) = msg["executable"].as_str()
                    && msg["profile"]["test"].as_bool() == Some(true)
                {
                    entry.executables.push(PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                if entry.error.is_none()
                    && let Some(text) = msg["message"]["rendered"].as_str()
                {
                    entry.error = Some(text.trim().to_string());
                }
            }
            _ => {}
        }
    }
    built
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
    fn the_build_gives_each_lab_its_test_binaries_or_its_first_error() {
        let json = [
            r#"{"reason":"compiler-artifact","manifest_path":"/c/lab01/Cargo.toml","profile":{"test":true},"executable":"/t/lab01-a"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/c/lab01/Cargo.toml","profile":{"test":false},"executable":null}"#,
            r#"{"reason":"compiler-message","manifest_path":"/c/lab02/Cargo.toml","message":{"level":"warning","rendered":"warning: unused"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/c/lab02/Cargo.toml","message":{"level":"error","rendered":"error[E0308]: mismatched types\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/c/lab02/Cargo.toml","message":{"level":"error","rendered":"error: aborting"}}"#,
            "not json",
        ]
        .join("\n");
        let built = parse_build(&json);
        assert_eq!(built["lab01"].executables, [PathBuf::from("/t/lab01-a")]);
        assert_eq!(built["lab01"].dir, PathBuf::from("/c/lab01"));
        assert_eq!(built["lab01"].error, None);
        assert_eq!(
            built["lab02"].error.as_deref(),
            Some("error[E0308]: mismatched types")
        );
        assert!(built["lab02"].executables.is_empty());
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
