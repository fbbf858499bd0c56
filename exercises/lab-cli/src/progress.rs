//! Таблица прогресса `cargo lab`: лабораторная, пройдено тестов из скольких,
//! следующий упавший тест и его подсказка в одну строку.

use crate::course::{Course, lab_name};
use crate::hints::{self, Hints};
use crate::run::{self, LabRun};
use std::fs;

/// Строка таблицы.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Номер лабораторной.
    pub lab: u32,
    /// Тема из заголовка README.
    pub topic: String,
    /// Итог тестов.
    pub run: LabRun,
    /// Её подсказки (пусто, если файла нет).
    pub hints: Hints,
}

/// Запускает тесты всех лабораторных курса (одна сборка на все).
pub fn collect(course: &Course) -> Result<Vec<Row>, String> {
    eprintln!("собираю тесты лабораторных …");
    Ok(run::run_labs(&course.root, &course.labs())?
        .into_iter()
        .map(|(lab, run)| Row {
            lab,
            topic: topic(course, lab),
            run,
            hints: hints::load(&course.lab_dir(lab)).unwrap_or_default(),
        })
        .collect())
}

/// Первая лабораторная, в которой не все тесты проходят (или последняя).
pub fn first_unsolved(course: &Course) -> Result<u32, String> {
    let runs = run::run_labs(&course.root, &course.labs())?;
    let unsolved = runs.iter().find(|(_, run)| match run {
        LabRun::Tested(results) => results.iter().any(|r| !r.passed),
        LabRun::BuildFailed(_) => true,
    });
    unsolved
        .or(runs.last())
        .map(|(lab, _)| *lab)
        .ok_or_else(|| "лабораторных нет".to_string())
}

/// «Функции активации» из `# Лабораторная 1. Функции активации`.
fn topic(course: &Course, lab: u32) -> String {
    let readme = fs::read_to_string(course.lab_dir(lab).join("README.md")).unwrap_or_default();
    let title = readme
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or_default();
    title
        .split_once(". ")
        .map_or(title, |(_, rest)| rest)
        .trim()
        .to_string()
}

/// Заголовок первого столбца.
const HEADER: &str = "Лабораторная";

/// Таблица для терминала.
pub fn render(rows: &[Row]) -> String {
    let names: Vec<String> = rows
        .iter()
        .map(|row| format!("{} {}", lab_name(row.lab), row.topic))
        .collect();
    // the column as wide as the longest name (`{:<w}` pads by characters)
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .chain([HEADER.chars().count()])
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("\n{HEADER:<width$}{:>5}   Следующий шаг\n", "Тесты");
    let mut next_command = None;
    for (row, name) in rows.iter().zip(&names) {
        let (score, next) = match &row.run {
            LabRun::BuildFailed(_) => (
                "—".to_string(),
                format!("не собирается: cargo test -p {}", lab_name(row.lab)),
            ),
            LabRun::Tested(results) => {
                let passed = results.iter().filter(|r| r.passed).count();
                let next = match results.iter().find(|r| !r.passed) {
                    None if results.is_empty() => "тестов нет".to_string(),
                    None => "готово".to_string(),
                    Some(failed) => {
                        let number = hints::test_number(&failed.name);
                        let summary = row.hints.get(number).map_or("", |h| h.summary.as_str());
                        next_command.get_or_insert(format!("cargo lab hint {} {number}", row.lab));
                        format!("{number}: {summary}")
                    }
                };
                (format!("{passed}/{}", results.len()), next)
            }
        };
        out.push_str(&format!("{name:<width$}{score:>5}   {next}\n"));
    }
    if let Some(command) = next_command {
        out.push_str(&format!(
            "\nПодсказка к следующему шагу: {command}; перезапуск при сохранении: cargo lab watch\n"
        ));
    } else if rows
        .iter()
        .all(|r| matches!(&r.run, LabRun::Tested(results) if !results.is_empty()))
    {
        out.push_str("\nВсе тесты всех лабораторных проходят.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::TestResult;

    fn result(name: &str, passed: bool) -> TestResult {
        TestResult {
            name: name.into(),
            passed,
            message: None,
        }
    }

    #[test]
    fn the_table_shows_the_score_and_the_next_failing_test_with_its_hint() {
        let hints: Hints =
            toml::from_str("[t02]\nsummary = \"сигмоида конечна\"\nhints = [\"а\", \"б\"]\n")
                .unwrap();
        let rows = [
            Row {
                lab: 1,
                topic: "Функции активации".into(),
                run: LabRun::Tested(vec![result("t01_a", true), result("t02_b", false)]),
                hints,
            },
            Row {
                lab: 2,
                topic: "Функции потерь".into(),
                run: LabRun::BuildFailed("error".into()),
                hints: Hints::new(),
            },
            Row {
                lab: 3,
                topic: "Обратное распространение".into(),
                run: LabRun::Tested(vec![result("t01_a", true)]),
                hints: Hints::new(),
            },
        ];
        let table = render(&rows);
        assert!(table.contains("lab01 Функции активации"), "{table}");
        assert!(table.contains("1/2   t02: сигмоида конечна"), "{table}");
        assert!(
            table.contains("не собирается: cargo test -p lab02"),
            "{table}"
        );
        assert!(table.contains("1/1   готово"), "{table}");
        assert!(table.contains("cargo lab hint 1 t02"), "{table}");
        assert!(!table.contains("Все тесты"), "{table}");
        let done = render(&rows[2..]);
        assert!(
            done.contains("Все тесты всех лабораторных проходят"),
            "{done}"
        );
    }
}
