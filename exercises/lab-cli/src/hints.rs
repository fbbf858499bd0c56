//! Подсказки лабораторной: `labNN/hints.toml`, по таблице на тест (`[t07]`)
//! с однострочным `summary` и ступенями `hints` — от намёка к формуле.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Подсказки одного теста.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TestHints {
    /// Одна строка: какую ошибку ловит тест.
    pub summary: String,
    /// Подсказки по возрастанию подробности.
    pub hints: Vec<String>,
}

/// Подсказки лабораторной по номерам тестов.
pub type Hints = BTreeMap<String, TestHints>;

/// Читает `lab_dir/hints.toml`.
pub fn load(lab_dir: &Path) -> Result<Hints, String> {
    let path = lab_dir.join("hints.toml");
    let text = fs::read_to_string(&path)
        .map_err(|e| format!("не могу прочитать {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `t07` для `t07_elu_is_continuous` или для `t07`.
pub fn test_number(test: &str) -> &str {
    test.split_once('_').map_or(test, |(head, _)| head)
}

/// Подсказка уровня `level` (с 1) к тесту, или все (`all`), как её видит
/// студент: заголовок, текст и команда для следующей.
pub fn render(
    lab: u32,
    hints: &Hints,
    test: &str,
    level: usize,
    all: bool,
) -> Result<String, String> {
    let number = test_number(test);
    let entry = hints.get(number).ok_or_else(|| {
        let known: Vec<&str> = hints.keys().map(String::as_str).collect();
        format!(
            "в лабораторной {lab} нет теста {number}; есть: {}",
            known.join(", ")
        )
    })?;
    let levels = entry.hints.len();
    if level == 0 || level > levels {
        return Err(format!(
            "у теста {number} подсказок {levels}: уровень от 1 до {levels}"
        ));
    }
    let mut out = format!("Лабораторная {lab}, {number}: {}\n\n", entry.summary);
    let shown = if all { 1..=levels } else { level..=level };
    for i in shown {
        out.push_str(&format!(
            "Подсказка {i} из {levels}. {}\n\n",
            entry.hints[i - 1]
        ));
    }
    if !all && level < levels {
        out.push_str(&format!(
            "Не помогло? Следующая: cargo lab hint {lab} {number} --level {}\n",
            level + 1
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Hints {
        toml::from_str("[t07]\nsummary = \"ELU около нуля\"\nhints = [\"намёк\", \"формула\"]\n")
            .unwrap()
    }

    #[test]
    fn hints_come_one_level_at_a_time_and_point_to_the_next() {
        let hints = sample();
        let first = render(1, &hints, "t07_elu_is_continuous", 1, false).unwrap();
        assert!(first.contains("Подсказка 1 из 2. намёк"), "{first}");
        assert!(!first.contains("формула"), "{first}");
        assert!(first.contains("cargo lab hint 1 t07 --level 2"), "{first}");
        let second = render(1, &hints, "t07", 2, false).unwrap();
        assert!(
            second.contains("формула") && !second.contains("Следующая"),
            "{second}"
        );
        let all = render(1, &hints, "t07", 1, true).unwrap();
        assert!(all.contains("намёк") && all.contains("формула"), "{all}");
    }

    #[test]
    fn an_unknown_test_or_level_is_a_message_not_a_panic() {
        let hints = sample();
        let err = render(1, &hints, "t99", 1, false).unwrap_err();
        assert!(
            err.contains("нет теста t99") && err.contains("t07"),
            "{err}"
        );
        assert!(render(1, &hints, "t07", 3, false).is_err());
        assert!(render(1, &hints, "t07", 0, false).is_err());
    }
}
