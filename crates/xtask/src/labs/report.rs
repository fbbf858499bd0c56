//! The grade report: Markdown for people, JSON for a course system.

use super::manifest::{Change, Tamper};
use super::runner::TestRun;
use serde::Serialize;
use std::fmt::Write;

/// Output format of `grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown, for people.
    Md,
    /// JSON, for a course system.
    Json,
}

/// The grade of one student's workspace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeReport {
    /// The workspace graded.
    pub dir: String,
    /// The course commit the expected tests come from, if known.
    pub course_commit: Option<String>,
    /// Points earned, all labs.
    pub points: f64,
    /// Points possible, all labs.
    pub max_points: f64,
    /// Per lab, in order.
    pub labs: Vec<LabReport>,
    /// Remarks about the workspace as a whole.
    pub notes: Vec<String>,
}

/// The grade of one lab.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabReport {
    /// `lab01` …
    pub lab: String,
    /// Tests passed.
    pub passed: usize,
    /// Tests handed out.
    pub total: usize,
    /// Points earned: `max_points · passed / total`.
    pub points: f64,
    /// Points possible.
    pub max_points: f64,
    /// The first compiler error, if the lab does not build.
    pub build_error: Option<String>,
    /// Whether protected files (tests, data, gradcheck) differ from the handout.
    pub tampered: bool,
    /// Which protected files differ, and how.
    pub tampered_files: Vec<Tamper>,
    /// Every handed-out test with its result.
    pub tests: Vec<TestRun>,
}

impl GradeReport {
    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Md => self.markdown(),
            Format::Json => serde_json::to_string_pretty(self).expect("a report serialises") + "\n",
        }
    }

    /// A Markdown report: a summary table, then what failed in each lab.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Результаты лабораторных\n");
        let _ = writeln!(md, "Каталог: `{}`", self.dir);
        if let Some(commit) = &self.course_commit {
            let _ = writeln!(md, "\nТесты курса: коммит `{}`", short(commit));
        }
        let _ = writeln!(md, "\n| Лабораторная | Тесты | Баллы | Тесты изменены |");
        let _ = writeln!(md, "|---|---|---|---|");
        for lab in &self.labs {
            let tampered = if lab.tampered {
                format!("**да** ({})", files(lab.tampered_files.len()))
            } else {
                "нет".to_string()
            };
            let _ = writeln!(
                md,
                "| {} | {}/{} | {}/{} | {} |",
                lab.lab,
                lab.passed,
                lab.total,
                number(lab.points),
                number(lab.max_points),
                tampered
            );
        }
        let (passed, total) = self
            .labs
            .iter()
            .fold((0, 0), |(p, t), l| (p + l.passed, t + l.total));
        let _ = writeln!(
            md,
            "| **Итого** | {passed}/{total} | **{}/{}** | |",
            number(self.points),
            number(self.max_points)
        );
        for note in &self.notes {
            let _ = writeln!(md, "\n> {note}");
        }
        for lab in &self.labs {
            let failed: Vec<&TestRun> = lab.tests.iter().filter(|t| !t.passed).collect();
            if failed.is_empty() && !lab.tampered && lab.build_error.is_none() {
                continue;
            }
            let _ = writeln!(md, "\n## {} — {}/{}", lab.lab, lab.passed, lab.total);
            if let Some(error) = &lab.build_error {
                let _ = writeln!(md, "\nНе компилируется:\n\n```text\n{error}\n```");
            }
            if lab.tampered {
                let _ = writeln!(md, "\nИзменены файлы, которые менять нельзя:\n");
                for t in &lab.tampered_files {
                    let change = match t.change {
                        Change::Modified => "изменён",
                        Change::Missing => "удалён",
                        Change::Added => "добавлен",
                    };
                    let _ = writeln!(md, "- `{}` — {change}", t.path);
                }
            }
            if !failed.is_empty() && lab.build_error.is_none() {
                let _ = writeln!(md, "\nНе прошли:\n");
                for t in failed {
                    let message = t.message.as_deref().unwrap_or("");
                    let _ = writeln!(md, "- `{}`: {}", t.name, indent(message));
                }
            }
        }
        md
    }
}

/// `10`, `3.33`: no trailing zeros.
fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// `1 файл`, `2 файла`, `5 файлов`.
fn files(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (1, 11) | (2..=4, 12..=14) | (0 | 5..=9, _) => "файлов",
        (1, _) => "файл",
        _ => "файла",
    };
    format!("{n} {word}")
}

/// A multi-line message as a Markdown list item: later lines indented.
fn indent(message: &str) -> String {
    message.replace('\n', "\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, passed: bool, message: Option<&str>) -> TestRun {
        TestRun {
            name: name.into(),
            passed,
            message: message.map(String::from),
            seconds: 0.01,
        }
    }

    fn sample() -> GradeReport {
        GradeReport {
            dir: "/home/student/labs".into(),
            course_commit: Some("0123456789abcdef".into()),
            points: 13.33,
            max_points: 20.0,
            labs: vec![
                LabReport {
                    lab: "lab01".into(),
                    passed: 2,
                    total: 2,
                    points: 10.0,
                    max_points: 10.0,
                    build_error: None,
                    tampered: false,
                    tampered_files: vec![],
                    tests: vec![run("t01", true, None), run("t02", true, None)],
                },
                LabReport {
                    lab: "lab02".into(),
                    passed: 1,
                    total: 3,
                    points: 3.33,
                    max_points: 10.0,
                    build_error: None,
                    tampered: true,
                    tampered_files: vec![Tamper {
                        path: "lab02/tests/lab02.rs".into(),
                        change: Change::Modified,
                    }],
                    tests: vec![
                        run("t01", true, None),
                        run("t02", false, Some("MSE: ожидалось 3.5e0,\nполучено 7e0")),
                        run("t03", false, Some("not yet implemented")),
                    ],
                },
            ],
            notes: vec![],
        }
    }

    #[test]
    fn markdown_has_a_summary_and_the_failures() {
        let md = sample().markdown();
        assert!(md.contains("| lab01 | 2/2 | 10/10 | нет |"), "{md}");
        assert!(
            md.contains("| lab02 | 1/3 | 3.33/10 | **да** (1 файл) |"),
            "{md}"
        );
        assert!(md.contains("| **Итого** | 3/5 | **13.33/20** | |"), "{md}");
        assert!(md.contains("- `lab02/tests/lab02.rs` — изменён"));
        assert!(md.contains("- `t02`: MSE: ожидалось 3.5e0,\n  получено 7e0"));
        assert!(!md.contains("## lab01"), "a perfect lab needs no section");
    }

    #[test]
    fn json_keeps_every_field() {
        let json: serde_json::Value = serde_json::from_str(&sample().render(Format::Json)).unwrap();
        assert_eq!(json["points"], 13.33);
        assert_eq!(json["labs"][1]["tampered_files"][0]["change"], "modified");
        assert_eq!(
            json["labs"][1]["tests"][2]["message"],
            "not yet implemented"
        );
        assert_eq!(json["labs"][0]["tests"][0]["passed"], true);
    }

    #[test]
    fn russian_plurals_and_numbers() {
        let cases = [
            (1, "1 файл"),
            (2, "2 файла"),
            (5, "5 файлов"),
            (11, "11 файлов"),
            (21, "21 файл"),
            (22, "22 файла"),
        ];
        for (n, expected) in cases {
            assert_eq!(files(n), expected);
        }
        assert_eq!(number(10.0), "10");
        assert_eq!(number(3.5), "3.5");
        assert_eq!(number(0.0), "0");
    }
}
