//! Every hint has a test, every test a hint.
//!
//! A lab's hints live in `exercises/labNN/hints.toml`, one table per test
//! number (`[t07]`): a one-line `summary` (the progress table of `cargo lab`
//! shows it) and graded `hints`, from a nudge to the formula or the
//! lecture's paragraph, never code. `cargo xtask labs check` verifies that
//! each test of the lab has its table, that each table, each README hint
//! (`<summary>t07: …`) and each test named in the sources' documentation
//! refers to an existing test, and that each test prints its hint command
//! when it fails (`let _hint = hint::on_failure(N, "tNN");` at its start).

use super::catalog::{self, Lab};
use crate::Result;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::LazyLock;

/// The hints of one test.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TestHints {
    /// One line: the mistake the test catches.
    pub summary: String,
    /// Graded hints, from a nudge to the formula.
    pub hints: Vec<String>,
}

/// Hints of a lab by test number (`t07`).
pub type Hints = BTreeMap<String, TestHints>;

/// Fewest graded hints per test: a nudge, then the formula.
pub const MIN_LEVELS: usize = 2;

/// Reads `lab_dir/hints.toml`.
pub fn load(lab_dir: &Path) -> Result<Hints> {
    let path = lab_dir.join("hints.toml");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// `t07` for `t07_elu_is_continuous`.
pub fn test_number(name: &str) -> Option<&str> {
    let (head, _) = name.split_once('_')?;
    let digits = head.strip_prefix('t')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(head)
}

static README_HINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<summary>\s*(t\d{2}(?:\s*[/,–-]\s*t\d{2})*)").expect("valid"));
static TEST_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bt\d{2}\b").expect("valid"));
static DOC_TEST_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`(t\d{2}_[a-z0-9_]+)`").expect("valid"));
static CHAPTER_CITE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Глава (\d+) «([^»]+)»").expect("valid"));
static SUMMARY_CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^- \[([^\]]+)\]\(ch(\d+)-[^)]*\.md\)").expect("valid"));

/// Chapter titles of the book by number, from `book/src/SUMMARY.md`.
pub fn book_chapters(summary: &str) -> BTreeMap<u32, String> {
    summary
        .lines()
        .filter_map(|l| SUMMARY_CHAPTER.captures(l.trim()))
        .filter_map(|c| Some((c[2].parse().ok()?, c[1].to_string())))
        .collect()
}

/// Chapters a README cites as `Глава N «Title»` whose title is not the
/// book's.
pub fn chapter_problems(readme: &str, chapters: &BTreeMap<u32, String>) -> Vec<String> {
    CHAPTER_CITE
        .captures_iter(readme)
        .filter_map(|c| {
            let n: u32 = c[1].parse().ok()?;
            match chapters.get(&n) {
                Some(title) if title == &c[2] => None,
                Some(title) => Some(format!(
                    "README.md cites «{}» as chapter {n}, the book calls it «{title}»",
                    &c[2]
                )),
                None => Some(format!(
                    "README.md cites chapter {n}, which the book does not have"
                )),
            }
        })
        .collect()
}

static CODE_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"```|`([^`\n]*)`").expect("valid"));
/// What a hint may put in backticks: a name (`exp_m1`, `libm::erf`,
/// `history.epoch_loss`) or a command (`cargo lab hint 1 t07`, `--level 2`).
static NAME_OR_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z_][A-Za-z0-9_]*(?:(?:::|\.)[A-Za-z_][A-Za-z0-9_]*)*|cargo .*|--.*)$")
        .expect("valid")
});

/// The first piece of code a hint gives: a fenced block, or inline code that
/// is more than a name or a command (`(-x).exp()`, `a.grad += …`,
/// `f64::signum(0.0)`). Hints nudge and give the formula, never code.
pub fn code_in_hint(text: &str) -> Option<&str> {
    CODE_SPAN.captures_iter(text).find_map(|c| match c.get(1) {
        None => c.get(0).map(|m| m.as_str()),
        Some(inner) if NAME_OR_COMMAND.is_match(inner.as_str().trim()) => None,
        Some(inner) => Some(inner.as_str()),
    })
}

static HINT_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<details>\s*<summary>(.*?)</summary>(.*?)</details>").expect("valid")
});

/// A README's hint boxes (`<details><summary>t07: …</summary> … </details>`):
/// title and body.
pub fn readme_hint_boxes(readme: &str) -> Vec<(&str, &str)> {
    HINT_BOX
        .captures_iter(readme)
        .filter_map(|c| Some((c.get(1)?.as_str().trim(), c.get(2)?.as_str())))
        .collect()
}

/// Test numbers a README's hints (`<summary>t05/t07: …`) name.
pub fn readme_hint_numbers(readme: &str) -> BTreeSet<String> {
    README_HINT
        .captures_iter(readme)
        .flat_map(|c| {
            TEST_NUMBER
                .find_iter(c.get(1).map_or("", |m| m.as_str()))
                .map(|m| m.as_str().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Full test names (`t01_sigmoid_…`) cited in backticks in `text`.
pub fn cited_test_names(text: &str) -> BTreeSet<String> {
    DOC_TEST_NAME
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect()
}

/// Every way the lab's tests and hints do not match (empty if they do).
pub fn problems(lab: &Lab) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let name = &lab.name;
    let tests = catalog::expected_tests(&lab.stub_dir)?;
    let hints = match load(&lab.stub_dir) {
        Ok(h) => h,
        Err(e) => return Ok(vec![format!("{name}: {e}")]),
    };
    let mut numbers = BTreeSet::new();
    for test in &tests {
        let Some(number) = test_number(test) else {
            found.push(format!("{name}: test {test} is not named tNN_…"));
            continue;
        };
        numbers.insert(number.to_string());
        if !hints.contains_key(number) {
            found.push(format!(
                "{name}: test {test} has no [{number}] in hints.toml"
            ));
        }
    }
    for (number, entry) in &hints {
        if !numbers.contains(number) {
            found.push(format!(
                "{name}: hints.toml has [{number}], but no test {number}_… exists"
            ));
        }
        if entry.summary.trim().is_empty() || entry.summary.contains('\n') {
            found.push(format!("{name}: [{number}] needs a one-line summary"));
        }
        if entry.hints.len() < MIN_LEVELS {
            found.push(format!(
                "{name}: [{number}] has {} hint(s), at least {MIN_LEVELS} wanted (a nudge, then the formula)",
                entry.hints.len()
            ));
        }
        for hint in entry.hints.iter().chain([&entry.summary]) {
            if let Some(code) = code_in_hint(hint) {
                found.push(format!(
                    "{name}: [{number}] gives code (`{code}`): hints nudge, they never solve"
                ));
            }
        }
    }

    let readme = fs::read_to_string(lab.stub_dir.join("README.md")).unwrap_or_default();
    let root = lab
        .stub_dir
        .parent()
        .and_then(Path::parent)
        .ok_or("a lab lives in exercises/")?;
    if let Ok(summary) = fs::read_to_string(root.join("book/src/SUMMARY.md")) {
        for p in chapter_problems(&readme, &book_chapters(&summary)) {
            found.push(format!("{name}: {p}"));
        }
    }
    for (title, body) in readme_hint_boxes(&readme) {
        if let Some(code) = code_in_hint(title).or_else(|| code_in_hint(body)) {
            found.push(format!(
                "{name}: README.md hint «{title}» gives code (`{code}`): hints nudge, they never solve"
            ));
        }
    }
    for number in readme_hint_numbers(&readme) {
        if !numbers.contains(&number) {
            found.push(format!(
                "{name}: README.md has a hint for {number}, but no such test exists"
            ));
        }
    }

    // tests cited by full name in the docs of the stub and the solution
    for dir in [&lab.stub_dir, &lab.solution_dir] {
        for file in catalog::files_under(&dir.join("src"))? {
            let text = fs::read_to_string(dir.join("src").join(&file))?;
            for cited in cited_test_names(&text) {
                if !tests.contains(&cited) {
                    found.push(format!(
                        "{name}: {} cites test `{cited}`, which does not exist",
                        dir.join("src").join(&file).display()
                    ));
                }
            }
        }
    }
    for cited in cited_test_names(&readme) {
        if !tests.contains(&cited) {
            found.push(format!(
                "{name}: README.md cites test `{cited}`, which does not exist"
            ));
        }
    }

    // each test prints its hint command when it fails
    let mut sources = String::new();
    for file in catalog::files_under(&lab.stub_dir.join("tests"))? {
        if file.extension().is_some_and(|e| e == "rs") {
            sources.push_str(&fs::read_to_string(lab.stub_dir.join("tests").join(&file))?);
        }
    }
    for number in &numbers {
        let call = format!("hint::on_failure({}, \"{number}\")", lab.number);
        if !sources.contains(&call) {
            found.push(format!(
                "{name}: test {number} does not print its hint when it fails (`{call}` missing)"
            ));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_numbers_and_readme_hints_are_read() {
        assert_eq!(test_number("t07_elu_is_continuous"), Some("t07"));
        assert_eq!(test_number("elu"), None);
        assert_eq!(test_number("tx_elu"), None);
        let readme = "<details>\n<summary>t05/t07: знак</summary>\n</details>\n\
                      <summary>Как пройти по матрицам</summary>\n<summary>t12: логиты</summary>";
        let got: Vec<String> = readme_hint_numbers(readme).into_iter().collect();
        assert_eq!(got, ["t05", "t07", "t12"]);
        let cited = cited_test_names("тест `t05_gradient_step_reduces_the_loss` это ловит");
        assert!(cited.contains("t05_gradient_step_reduces_the_loss"));
    }

    #[test]
    fn chapter_titles_are_those_of_the_book() {
        let summary = "- [Функции активации](ch02-activations.md)\n- [Скорость обучения](ch07-learning-rate.md)\n";
        let chapters = book_chapters(summary);
        assert_eq!(chapters[&7], "Скорость обучения");
        assert!(chapter_problems("Глава 2 «Функции активации» книги", &chapters).is_empty());
        let found = chapter_problems("Глава 7 «Расписания скорости обучения»", &chapters);
        assert!(found[0].contains("«Скорость обучения»"), "{found:?}");
        assert_eq!(chapter_problems("Глава 9 «Нет»", &chapters).len(), 1);
    }

    #[test]
    fn code_in_a_hint_is_found() {
        assert_eq!(
            code_in_hint("возьмите `let m = z.max();`"),
            Some("let m = z.max();")
        );
        assert_eq!(code_in_hint("```rust\nx\n```"), Some("```"));
        assert_eq!(
            code_in_hint("в Rust `1.0 / (1.0 + (-x).exp())`"),
            Some("1.0 / (1.0 + (-x).exp())")
        );
        assert_eq!(
            code_in_hint("`f64::signum(0.0)` равно 1"),
            Some("f64::signum(0.0)")
        );
        assert_eq!(code_in_hint("`a.grad += …`"), Some("a.grad += …"));
        // names and commands are not code
        assert_eq!(code_in_hint("функция `exp_m1` считает eˣ − 1 точно"), None);
        assert_eq!(
            code_in_hint("`libm::erf`, `history.epoch_loss`, `f64`"),
            None
        );
        assert_eq!(
            code_in_hint("`cargo lab hint 1 t07 --level 2` или `--all`"),
            None
        );
    }

    #[test]
    fn code_in_a_readme_hint_box_is_a_problem() {
        let readme = "<details>\n<summary>t01: сигмоида убывает</summary>\n\n\
                      Правильно $\\frac{1}{1 + e^{-x}}$: в Rust `1.0 / (1.0 + (-x).exp())`.\n\
                      </details>\n<details>\n<summary>t02: другое</summary>\n\
                      Метод `exp_m1` точен.\n</details>\n";
        let boxes = readme_hint_boxes(readme);
        assert_eq!(boxes.len(), 2);
        assert_eq!(boxes[0].0, "t01: сигмоида убывает");
        assert_eq!(code_in_hint(boxes[0].1), Some("1.0 / (1.0 + (-x).exp())"));
        assert_eq!(code_in_hint(boxes[1].1), None);
        // and `problems` reports it for a lab whose README has such a box
        let root = crate::workspace_root();
        let mut lab = catalog::select(&root, Some("1")).unwrap().remove(0);
        let tmp = tempfile::tempdir().unwrap();
        let stub = tmp.path().join("exercises/lab01");
        copy_dir(&lab.stub_dir, &stub);
        fs::write(stub.join("README.md"), readme).unwrap();
        lab.stub_dir = stub;
        let found = problems(&lab).unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.contains("«t01: сигмоида убывает» gives code")),
            "{found:#?}"
        );
        assert!(!found.iter().any(|p| p.contains("«t02")), "{found:#?}");
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    #[test]
    fn a_handout_ships_cargo_lab_its_alias_and_the_hints() {
        let root = crate::workspace_root();
        let labs = catalog::select(&root, Some("1")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("handout");
        super::super::handout::write(&root, &labs, &out).unwrap();
        let alias = fs::read_to_string(out.join(".cargo/config.toml")).unwrap();
        assert!(alias.contains("lab = \"run -q -p lab --\""), "{alias}");
        assert!(out.join("lab01/hints.toml").is_file());
        assert!(out.join("lab01/tests/hint/mod.rs").is_file());
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("\"lab-cli\""), "{manifest}");
        // `cargo xtask labs check` runs the alias in its handout (the build
        // of the companion's dependencies is too slow for a unit test)
    }

    #[test]
    fn the_course_labs_have_a_hint_for_every_test() {
        let root = crate::workspace_root();
        for lab in catalog::discover(&root).unwrap() {
            let found = problems(&lab).unwrap();
            assert!(found.is_empty(), "{}: {found:#?}", lab.name);
        }
    }
}
