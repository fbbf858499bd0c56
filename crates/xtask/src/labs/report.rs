//! The grade report: Markdown for people, JSON for a course system.

use super::manifest::{Change, Tamper};
use super::runner::TestRun;
use super::scan::Flag;
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

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
    /// The student (the submission folder's name).
    pub student: String,
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
    /// Workspace files outside the labs that differ from the handout
    /// (never used: the teacher's are built).
    pub workspace_changes: Vec<Tamper>,
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
    /// Whether files of the lab outside `src/` differ from the handout
    /// (they are never built: the teacher's are).
    pub tampered: bool,
    /// Which files outside `src/` differ, and how.
    pub tampered_files: Vec<Tamper>,
    /// What in this lab's `src/` (or a lab it is built with) could fake a result.
    pub flags: Vec<Flag>,
    /// The teacher accepted the flags (`--accept-flagged`): the lab was graded.
    pub flags_accepted: bool,
    /// Files of `src/` not taken (not `.rs`, symbolic links).
    pub skipped_sources: Vec<String>,
    /// Every handed-out test with its result.
    pub tests: Vec<TestRun>,
}

impl GradeReport {
    /// A report of `labs`; the totals are summed here.
    pub fn new(
        student: &str,
        dir: &Path,
        course_commit: Option<String>,
        labs: Vec<LabReport>,
        notes: Vec<String>,
        workspace_changes: Vec<Tamper>,
    ) -> GradeReport {
        GradeReport {
            student: student.to_string(),
            dir: dir.display().to_string(),
            course_commit,
            points: super::points::round(labs.iter().map(|l| l.points).sum()),
            max_points: super::points::round(labs.iter().map(|l| l.max_points).sum()),
            labs,
            notes,
            workspace_changes,
        }
    }

    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Md => self.markdown(),
            Format::Json => serde_json::to_string_pretty(self).expect("a report serialises") + "\n",
        }
    }

    /// A Markdown report: a summary table, then each lab: its flags, the
    /// files changed outside `src/`, and every test with its points.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Результаты лабораторных: {}\n", self.student);
        let _ = writeln!(md, "Каталог: `{}`", self.dir);
        if let Some(commit) = &self.course_commit {
            let _ = writeln!(md, "\nТесты курса: коммит `{}`", short(commit));
        }
        let _ = writeln!(
            md,
            "\n| Лабораторная | Тесты | Баллы | Помечено | Изменено вне `src/` |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|");
        for lab in &self.labs {
            let tampered = if lab.tampered {
                format!("**да** ({})", files(lab.tampered_files.len()))
            } else {
                "нет".to_string()
            };
            let flagged = match (lab.flags.is_empty(), lab.flags_accepted) {
                (true, _) => "нет".to_string(),
                (false, false) => format!("**да** ({}), 0 баллов", lab.flags.len()),
                (false, true) => format!("да ({}), принято", lab.flags.len()),
            };
            let _ = writeln!(
                md,
                "| {} | {}/{} | {}/{} | {flagged} | {tampered} |",
                lab.lab,
                lab.passed,
                lab.total,
                number(lab.points),
                number(lab.max_points),
            );
        }
        let (passed, total) = self
            .labs
            .iter()
            .fold((0, 0), |(p, t), l| (p + l.passed, t + l.total));
        let _ = writeln!(
            md,
            "| **Итого** | {passed}/{total} | **{}/{}** | | |",
            number(self.points),
            number(self.max_points)
        );
        for note in &self.notes {
            let _ = writeln!(md, "\n> {note}");
        }
        if !self.workspace_changes.is_empty() {
            let _ = writeln!(
                md,
                "\nИзменены файлы рабочего пространства (не использованы — собраны файлы преподавателя):\n"
            );
            for t in &self.workspace_changes {
                let _ = writeln!(md, "- `{}` — {}", t.path, change(t.change));
            }
        }
        for lab in &self.labs {
            let _ = writeln!(
                md,
                "\n## {} — {}/{} баллов, {}/{} тестов",
                lab.lab,
                number(lab.points),
                number(lab.max_points),
                lab.passed,
                lab.total
            );
            if !lab.flags.is_empty() {
                let verdict = if lab.flags_accepted {
                    "преподаватель принял (`--accept-flagged`), лабораторная проверена"
                } else {
                    "лабораторная не запускалась, 0 баллов; принять после просмотра: `--accept-flagged`"
                };
                let _ = writeln!(md, "\nПомечено ({verdict}):\n");
                for f in &lab.flags {
                    let _ = writeln!(md, "- `{}:{}` — {}", f.file, f.line, f.what);
                }
            }
            if let Some(error) = &lab.build_error {
                let _ = writeln!(md, "\nНе компилируется:\n\n```text\n{error}\n```");
            }
            if lab.tampered {
                let _ = writeln!(
                    md,
                    "\nИзменены файлы вне `src/` (не использованы — собраны файлы преподавателя):\n"
                );
                for t in &lab.tampered_files {
                    let _ = writeln!(md, "- `{}` — {}", t.path, change(t.change));
                }
            }
            if !lab.skipped_sources.is_empty() {
                let _ = writeln!(md, "\nНе взяты из `src/`:\n");
                for s in &lab.skipped_sources {
                    let _ = writeln!(md, "- `{s}`");
                }
            }
            let _ = writeln!(md, "\n| Тест | Баллы | Результат |\n|---|---|---|");
            for t in &lab.tests {
                let hidden = if t.hidden { " (скрытый)" } else { "" };
                let result = if t.passed {
                    "пройден".to_string()
                } else {
                    one_line(t.message.as_deref().unwrap_or("не пройден"))
                };
                let _ = writeln!(
                    md,
                    "| `{}`{hidden} | {}/{} | {result} |",
                    t.name,
                    number(t.points),
                    number(t.max_points)
                );
            }
        }
        md
    }
}

/// One student's line of the class table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassRow {
    /// The student.
    pub student: String,
    /// Points per lab.
    pub labs: std::collections::BTreeMap<String, f64>,
    /// Points, all labs.
    pub total: f64,
    /// Points possible.
    pub max_points: f64,
    /// `lab03: unsafe (lab03/src/lib.rs:12)`, changed files, build errors.
    pub flags: Vec<String>,
}

impl ClassRow {
    /// The row of one report.
    pub fn of(report: &GradeReport) -> ClassRow {
        let mut flags = Vec::new();
        for lab in &report.labs {
            for f in &lab.flags {
                let state = if lab.flags_accepted {
                    "принято"
                } else {
                    "0 баллов"
                };
                flags.push(format!(
                    "{}: помечено {}:{} ({state})",
                    lab.lab, f.file, f.line
                ));
            }
            if lab.tampered {
                flags.push(format!(
                    "{}: изменено вне src/ {}",
                    lab.lab,
                    files(lab.tampered_files.len())
                ));
            }
            if lab.build_error.is_some() {
                flags.push(format!("{}: не компилируется", lab.lab));
            }
        }
        if !report.workspace_changes.is_empty() {
            flags.push(format!(
                "рабочее пространство: изменено {}",
                files(report.workspace_changes.len())
            ));
        }
        ClassRow {
            student: report.student.clone(),
            labs: report
                .labs
                .iter()
                .map(|l| (l.lab.clone(), l.points))
                .collect(),
            total: report.points,
            max_points: report.max_points,
            flags,
        }
    }
}

/// The class table as CSV: `student,lab01,…,total,max_points,flags`.
pub fn class_csv(rows: &[ClassRow], labs: &[String]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("student");
    for lab in labs {
        out.push(',');
        out.push_str(lab);
    }
    out.push_str(",total,max_points,flags\n");
    for row in rows {
        out.push_str(&quote(&row.student));
        for lab in labs {
            out.push(',');
            out.push_str(&row.labs.get(lab).map_or(String::new(), |p| number(*p)));
        }
        out.push_str(&format!(
            ",{},{},{}\n",
            number(row.total),
            number(row.max_points),
            quote(&row.flags.join("; "))
        ));
    }
    out
}

fn change(c: Change) -> &'static str {
    match c {
        Change::Modified => "изменён",
        Change::Missing => "удалён",
        Change::Added => "добавлен",
    }
}

/// A message in one table cell.
fn one_line(message: &str) -> String {
    message.replace('|', "\\|").replace('\n', " ")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, passed: bool, message: Option<&str>) -> TestRun {
        TestRun {
            name: name.into(),
            passed,
            message: message.map(String::from),
            seconds: 0.01,
            points: if passed { 3.33 } else { 0.0 },
            max_points: 3.33,
            hidden: name == "t03",
        }
    }

    fn sample() -> GradeReport {
        GradeReport {
            student: "ivanov".into(),
            workspace_changes: vec![],
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
                    flags: vec![],
                    flags_accepted: false,
                    skipped_sources: vec![],
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
                    flags: vec![Flag {
                        file: "lab02/src/lib.rs".into(),
                        line: 7,
                        what: "`unsafe`: доступ к любой памяти процесса".into(),
                    }],
                    flags_accepted: true,
                    skipped_sources: vec![],
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
        assert!(md.contains("| lab01 | 2/2 | 10/10 | нет | нет |"), "{md}");
        assert!(
            md.contains("| lab02 | 1/3 | 3.33/10 | да (1), принято | **да** (1 файл) |"),
            "{md}"
        );
        assert!(
            md.contains("| **Итого** | 3/5 | **13.33/20** | | |"),
            "{md}"
        );
        assert!(md.contains("- `lab02/tests/lab02.rs` — изменён"));
        assert!(md.contains("- `lab02/src/lib.rs:7` — `unsafe`"), "{md}");
        assert!(
            md.contains("| `t02` | 0/3.33 | MSE: ожидалось 3.5e0, получено 7e0 |"),
            "{md}"
        );
        assert!(md.contains("| `t03` (скрытый) | 0/3.33 |"), "{md}");
        assert!(md.contains("| `t01` | 3.33/3.33 | пройден |"), "{md}");
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
        assert_eq!(json["labs"][0]["tests"][0]["points"], 3.33);
        assert_eq!(json["labs"][1]["flags"][0]["line"], 7);
    }

    #[test]
    fn the_class_table_has_a_row_per_student() {
        let row = ClassRow::of(&sample());
        assert_eq!(row.labs["lab02"], 3.33);
        assert!(
            row.flags
                .iter()
                .any(|f| f.contains("lab02: помечено lab02/src/lib.rs:7 (принято)"))
        );
        let csv = class_csv(&[row], &["lab01".into(), "lab02".into()]);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("student,lab01,lab02,total,max_points,flags")
        );
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("\"ivanov\",10,3.33,13.33,20,\"lab02: "),
            "{line}"
        );
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
