//! `cargo lab watch`: тесты лабораторной перезапускаются при каждом
//! сохранении файла в её `src/` (события файловой системы — крейт `notify`,
//! без опроса), на экране — первая ошибка и её подсказка.

use crate::course::{Course, lab_name};
use crate::hints::{self, Hints};
use crate::run::LabRun;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Сколько ждать после первого события, собирая остальные: редактор
/// сохраняет файл несколькими записями.
const SETTLE: Duration = Duration::from_millis(300);

/// Следит за `src/` лабораторной `lab` и перезапускает `runner` после
/// каждого сохранения. Не возвращается, пока не прервут (Ctrl+C).
pub fn watch(
    course: &Course,
    lab: u32,
    runner: impl Fn(&Path, u32) -> Result<LabRun, String>,
) -> Result<(), String> {
    let src = course.lab_dir(lab).join("src");
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| format!("не удалось следить за файлами: {e}"))?;
    watcher
        .watch(&src, RecursiveMode::Recursive)
        .map_err(|e| format!("не удалось следить за {}: {e}", src.display()))?;
    let hints = hints::load(&course.lab_dir(lab)).unwrap_or_default();
    loop {
        // очистить экран: виден только последний запуск
        print!("\x1b[2J\x1b[H");
        println!("cargo lab watch: {} — запускаю тесты …", lab_name(lab));
        let report = match runner(&course.root, lab) {
            Ok(run) => report(lab, &run, &hints),
            Err(e) => e,
        };
        println!("{report}");
        println!(
            "Жду сохранения файла в {} (Ctrl+C — выход) …",
            src.display()
        );
        if !wait_for_change(&rx, None) {
            return Err("наблюдение за файлами прервалось".into());
        }
    }
}

/// Ждёт изменения файла (не дольше `timeout`, если задан), затем собирает
/// события ещё [`SETTLE`]. `false`, если ждать больше нечего.
pub fn wait_for_change(
    rx: &Receiver<notify::Result<notify::Event>>,
    timeout: Option<Duration>,
) -> bool {
    loop {
        let event = match timeout {
            Some(t) => match rx.recv_timeout(t) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            },
            None => match rx.recv() {
                Ok(e) => e,
                Err(_) => return false,
            },
        };
        let changed = matches!(
            event,
            Ok(notify::Event {
                kind: EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_),
                ..
            })
        );
        if changed {
            while rx.recv_timeout(SETTLE).is_ok() {}
            return true;
        }
    }
}

/// Что показать после запуска: первая ошибка и её подсказка, или успех.
pub fn report(lab: u32, run: &LabRun, hints: &Hints) -> String {
    match run {
        LabRun::BuildFailed(error) => {
            format!("{} не собирается:\n\n{error}\n", lab_name(lab))
        }
        LabRun::Tested(results) => {
            let passed = results.iter().filter(|r| r.passed).count();
            let Some(failed) = results.iter().find(|r| !r.passed) else {
                return format!(
                    "Все {passed} тестов {} проходят. Дальше — следующая лабораторная.\n",
                    lab_name(lab)
                );
            };
            let number = hints::test_number(&failed.name);
            // the test's own last line names the hint command; the watcher
            // shows the hint itself below, so the line would only repeat it
            let message = failed.message.as_deref().map_or_else(
                || "(сообщения нет)".to_string(),
                |m| {
                    m.lines()
                        .filter(|l| !l.starts_with("подсказка: cargo lab hint"))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
            let hint = match hints.get(number) {
                Some(h) => {
                    let first = h.hints.first().map_or("", String::as_str);
                    let more = if h.hints.len() > 1 {
                        format!("Не помогло? cargo lab hint {lab} {number} --level 2")
                    } else {
                        format!("Ещё раз: cargo lab hint {lab} {number}")
                    };
                    format!("{number}: {}\nПодсказка: {first}\n{more}", h.summary)
                }
                None => format!("Подсказка: cargo lab hint {lab} {number}"),
            };
            format!(
                "Пройдено {passed} из {}. Первый упавший тест: {}\n\n{message}\n\n{hint}\n",
                results.len(),
                failed.name,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::TestResult;
    use std::fs;

    #[test]
    fn the_report_shows_the_first_failure_and_its_hint() {
        let hints: Hints =
            toml::from_str("[t03]\nsummary = \"σ′ без множителя\"\nhints = [\"а\", \"б\"]\n")
                .unwrap();
        let run = LabRun::Tested(vec![
            TestResult {
                name: "t01_a".into(),
                passed: true,
                message: None,
            },
            TestResult {
                name: "t03_c".into(),
                passed: false,
                message: Some(
                    "ожидалось 0.25, получено 0.5\nподсказка: cargo lab hint 1 t03".into(),
                ),
            },
        ]);
        let text = report(1, &run, &hints);
        assert!(
            text.contains("Пройдено 1 из 2. Первый упавший тест: t03_c"),
            "{text}"
        );
        assert!(text.contains("ожидалось 0.25"), "{text}");
        assert!(text.contains("t03: σ′ без множителя"), "{text}");
        assert!(text.contains("Подсказка: а\n"), "{text}");
        assert!(text.contains("cargo lab hint 1 t03 --level 2"), "{text}");
        assert_eq!(text.matches("cargo lab hint").count(), 1, "{text}");
        let done = report(1, &LabRun::Tested(vec![]), &hints);
        assert!(done.contains("проходят"), "{done}");
    }

    #[test]
    fn saving_a_file_wakes_the_watcher() {
        let tmp = tempfile::tempdir().unwrap();
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx).unwrap();
        watcher.watch(tmp.path(), RecursiveMode::Recursive).unwrap();
        assert!(
            !wait_for_change(&rx, Some(Duration::from_millis(200))),
            "nothing changed yet"
        );
        fs::write(tmp.path().join("lib.rs"), "// saved\n").unwrap();
        assert!(wait_for_change(&rx, Some(Duration::from_secs(10))));
    }
}
