//! `cargo xtask labs grade`: grade one submission or a class of them.
//!
//! For every submission (see [`super::stage`] for the staging workspace):
//!
//! 1. only each lab's `src/` is taken (regular `.rs` files) and put into a
//!    fresh copy of the teacher's lab: its `Cargo.toml`, tests, data, the
//!    workspace manifest and `gradcheck`, all from the teacher's copy;
//!    whatever else the submission changed is listed, never built;
//! 2. the `src/` is read first ([`super::scan`]): code that could reach the
//!    grader's secret or fake a result flags the lab — 0 points, not run —
//!    unless the teacher accepts it (`--accept-flagged`);
//! 3. the teacher's tests get the harness ([`super::instrument`]) with a
//!    fresh secret; every lab crate is rebuilt;
//! 4. each test runs alone in its own process with a time and a memory
//!    limit and a cleared environment; it passed only if its signed verdict
//!    is in the verdict file *and* libtest said `ok` *and* it exited with 0;
//! 5. points per test from `points.toml` (weights, hidden tests).

use super::GradeArgs;
use super::catalog;
use super::manifest::{Change, MANIFEST_PATH, Manifest, Tamper};
use super::points::{self, Points};
use super::report::{self, ClassRow, GradeReport, LabReport};
use super::runner::{Built, Finished, TestRun, judge, run_with_timeout};
use super::scan::{self, Flag};
use super::stage::{self, Course, GradedTest, Stage};
use crate::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What to grade and against what (the interface `labs check` uses).
pub struct Grading<'a> {
    /// The student's workspace.
    pub dir: &'a Path,
    /// What was handed out: which labs the student was given.
    pub expected: &'a Manifest,
    /// The labs to grade, by name.
    pub labs: Vec<String>,
    /// Maximum points per lab, test weights, hidden tests.
    pub points: &'a Points,
    /// Time limit per test.
    pub timeout: Duration,
    /// The grader's work directory (default: `target/labs-grade` of the course).
    pub target_dir: Option<PathBuf>,
}

/// Flags the teacher has looked at and accepts: `all`, or a list of
/// `lab03` (every student) and `ivanov/lab03` (one student).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accept {
    all: bool,
    items: BTreeSet<String>,
}

impl Accept {
    /// Parses `--accept-flagged`.
    pub fn parse(spec: Option<&str>) -> Accept {
        match spec.map(str::trim) {
            None | Some("") => Accept::default(),
            Some("all") => Accept {
                all: true,
                items: BTreeSet::new(),
            },
            Some(list) => Accept {
                all: false,
                items: list.split(',').map(|s| s.trim().to_string()).collect(),
            },
        }
    }

    /// Are `student`'s flags in `lab` accepted?
    pub fn accepts(&self, student: &str, lab: &str) -> bool {
        self.all || self.items.contains(lab) || self.items.contains(&format!("{student}/{lab}"))
    }
}

/// How the grader runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time limit per test.
    pub timeout: Duration,
    /// Address-space limit per test process, in MiB (Unix; `None`: none).
    pub memory_mb: Option<u64>,
    /// Flags the teacher accepts.
    pub accept: Accept,
}

/// The grader: the teacher's course and a staging workspace.
pub struct Grader {
    course: Course,
    stage: Stage,
    options: Options,
}

/// Runs the command.
pub fn run(root: &Path, args: &GradeArgs) -> Result {
    let root = args.course.clone().unwrap_or_else(|| root.to_path_buf());
    let points = match &args.points {
        Some(path) => Points::load(path, true)?,
        None => Points::load(&root.join("exercises/points.toml"), false)?,
    };
    let course = Course::load(&root, points)?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| root.join("target/labs-grade"));
    let options = Options {
        timeout: Duration::from_secs_f64(args.timeout),
        memory_mb: (args.memory_mb > 0).then_some(args.memory_mb),
        accept: Accept::parse(args.accept_flagged.as_deref()),
    };
    let grader = Grader::new(course, &work, options)?;
    let expected = grader.expected()?;
    if let Some(class) = &args.class {
        let out = args
            .output
            .clone()
            .ok_or("--class needs --output DIR for the reports")?;
        let labs = match args.labs.as_deref() {
            Some(spec) => selected(&expected, spec)?,
            None => expected.labs.keys().cloned().collect(),
        };
        return grade_class(&grader, class, &labs, &out);
    }
    let dir = fs::canonicalize(&args.dir)
        .map_err(|e| format!("cannot open the workspace {}: {e}", args.dir.display()))?;
    let labs = labs_to_grade(&dir, &expected, args.labs.as_deref())?;
    eprintln!("grading {} in {}", labs.join(", "), dir.display());
    let report = grader.grade(&student_name(&dir), &dir, &labs)?;
    let text = report.render(args.format);
    match &args.output {
        Some(path) => fs::write(path, text)?,
        None => print!("{text}"),
    }
    Ok(())
}

fn student_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || "student".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn selected(expected: &Manifest, spec: &str) -> Result<Vec<String>> {
    let names: Vec<String> = catalog::parse_selection(spec)?
        .into_iter()
        .map(catalog::lab_name)
        .collect();
    for n in &names {
        if !expected.labs.contains_key(n) {
            return Err(format!("the course has no {n}").into());
        }
    }
    Ok(names)
}

/// Grades every sub-folder of `class` (one per student): a Markdown and a
/// JSON report each, and the class table `class.csv` / `class.json`.
pub fn grade_class(grader: &Grader, class: &Path, labs: &[String], out: &Path) -> Result {
    let mut students: Vec<PathBuf> = fs::read_dir(class)
        .map_err(|e| format!("cannot read the class folder {}: {e}", class.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    students.sort();
    if students.is_empty() {
        return Err(format!("{} has no student folders", class.display()).into());
    }
    fs::create_dir_all(out)?;
    let started = Instant::now();
    let mut rows = Vec::new();
    for (i, dir) in students.iter().enumerate() {
        let name = student_name(dir);
        eprintln!("[{}/{}] {name}", i + 1, students.len());
        let report = match grader.grade(&name, dir, labs) {
            Ok(report) => report,
            // one broken submission must not stop the class
            Err(e) => grader.failed_report(&name, dir, labs, &format!("не проверена: {e}")),
        };
        fs::write(out.join(format!("{name}.md")), report.markdown())?;
        fs::write(
            out.join(format!("{name}.json")),
            report.render(report::Format::Json),
        )?;
        rows.push(ClassRow::of(&report));
    }
    fs::write(out.join("class.csv"), report::class_csv(&rows, labs))?;
    fs::write(
        out.join("class.json"),
        serde_json::to_string_pretty(&rows)? + "\n",
    )?;
    eprintln!(
        "graded {} submissions in {:.0} s; reports in {}",
        students.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// The labs to grade: `--labs` if given; else those in the student's
/// `.labs/manifest.json` (what they were given); else the `labNN`
/// directories present. Only labs the expected manifest knows.
pub fn labs_to_grade(dir: &Path, expected: &Manifest, spec: Option<&str>) -> Result<Vec<String>> {
    let names: Vec<String> = if let Some(spec) = spec {
        catalog::parse_selection(spec)?
            .into_iter()
            .map(catalog::lab_name)
            .collect()
    } else if let Ok(theirs) = Manifest::load(&dir.join(MANIFEST_PATH)) {
        theirs.labs.keys().cloned().collect()
    } else {
        let mut found = catalog::lab_numbers_in(dir)?;
        if let Ok(more) = catalog::lab_numbers_in(&dir.join("exercises")) {
            found.extend(more);
        }
        found.into_iter().map(catalog::lab_name).collect()
    };
    let known: Vec<String> = names
        .iter()
        .filter(|n| expected.labs.contains_key(*n))
        .cloned()
        .collect();
    if known.is_empty() {
        return Err(format!(
            "no lab to grade in {} (expected some of: {})",
            dir.display(),
            expected.labs.keys().cloned().collect::<Vec<_>>().join(", ")
        )
        .into());
    }
    Ok(known)
}

/// Grades the labs of one workspace with the course this xtask belongs to
/// (what `labs check` uses).
pub fn grade(g: &Grading) -> Result<GradeReport> {
    let root = crate::workspace_root();
    let course = Course::load(&root, g.points.clone())?;
    let work = g
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target/labs-grade"));
    let options = Options {
        timeout: g.timeout,
        memory_mb: Some(DEFAULT_MEMORY_MB),
        accept: Accept::default(),
    };
    let grader = Grader::new(course, &work, options)?;
    let labs: Vec<String> = g
        .labs
        .iter()
        .filter(|l| g.expected.labs.contains_key(*l))
        .cloned()
        .collect();
    grader.grade(&student_name(g.dir), g.dir, &labs)
}

/// Default memory limit of a test process.
pub const DEFAULT_MEMORY_MB: u64 = 4096;

/// The lab directory of a submission: `labNN/` of a handout, or
/// `exercises/labNN/` of a clone of the course.
fn submitted_lab(dir: &Path, lab: &str) -> Option<PathBuf> {
    [dir.join(lab), dir.join("exercises").join(lab)]
        .into_iter()
        .find(|d| d.join("src").is_dir())
}

impl Grader {
    /// A grader for `course` working in `work`.
    pub fn new(course: Course, work: &Path, options: Options) -> Result<Grader> {
        let stage = Stage::prepare(&course, work)?;
        Ok(Grader {
            course,
            stage,
            options,
        })
    }

    /// The course's manifest (every lab, its tests).
    pub fn expected(&self) -> Result<Manifest> {
        super::manifest::for_course(&self.course.root, &self.course.labs)
    }

    /// A report that gives every lab 0 with `reason`.
    pub fn failed_report(
        &self,
        student: &str,
        dir: &Path,
        labs: &[String],
        reason: &str,
    ) -> GradeReport {
        let labs = labs
            .iter()
            .map(|lab| {
                let tests = self.course.tests(lab).unwrap_or_default();
                let max = self.course.points.max_for(lab);
                LabReport {
                    lab: lab.clone(),
                    passed: 0,
                    total: tests.len(),
                    points: 0.0,
                    max_points: max,
                    build_error: Some(reason.to_string()),
                    tampered: false,
                    tampered_files: vec![],
                    flags: vec![],
                    flags_accepted: false,
                    skipped_sources: vec![],
                    tests: self.all_failed(lab, &tests, reason),
                }
            })
            .collect::<Vec<_>>();
        GradeReport::new(student, dir, None, labs, vec![reason.to_string()], vec![])
    }

    fn all_failed(&self, lab: &str, tests: &[GradedTest], reason: &str) -> Vec<TestRun> {
        let names: Vec<String> = tests.iter().map(|t| t.name.clone()).collect();
        let points = self.course.points.per_test(lab, &names);
        tests
            .iter()
            .zip(points)
            .map(|(t, max)| TestRun {
                name: t.name.clone(),
                passed: false,
                message: Some(reason.to_string()),
                seconds: 0.0,
                points: 0.0,
                max_points: points::round(max),
                hidden: t.hidden,
            })
            .collect()
    }

    /// Grades `labs` of the submission in `dir` of `student`.
    pub fn grade(&self, student: &str, dir: &Path, labs: &[String]) -> Result<GradeReport> {
        let mut sources = BTreeMap::new();
        let mut flags: BTreeMap<String, Vec<Flag>> = BTreeMap::new();
        for lab in &self.course.labs {
            if let Some(lab_dir) = submitted_lab(dir, &lab.name) {
                let src = lab_dir.join("src");
                flags.insert(
                    lab.name.clone(),
                    scan::scan_dir(&src, &format!("{}/src", lab.name))?,
                );
                sources.insert(lab.name.clone(), src);
            }
        }
        let secret = stage::secret()?;
        let taken = self.stage.load(&self.course, &sources, &secret)?;
        // one cargo run builds every lab that will run
        let runnable: Vec<&str> = labs
            .iter()
            .filter(|lab| sources.contains_key(*lab))
            .filter(|lab| {
                self.flagged(student, lab, &flags)
                    .is_ok_and(|(f, ok)| f.is_empty() || ok)
            })
            .map(String::as_str)
            .collect();
        let built = if runnable.is_empty() {
            Built::default()
        } else {
            eprintln!("  building {}", runnable.join(", "));
            self.stage.cargo().build_integration_tests(&runnable)?
        };
        let mut reports = Vec::new();
        for lab in labs {
            reports.push(
                self.grade_lab(student, dir, lab, &sources, &flags, &taken, &built, &secret)?,
            );
        }
        let mut notes = Vec::new();
        if !dir.join(MANIFEST_PATH).is_file() && !dir.join("exercises").is_dir() {
            notes.push(
                "В каталоге нет `.labs/manifest.json`: это не раздача `labs handout`.".to_string(),
            );
        }
        let workspace = self.workspace_changes(dir)?;
        let commit = self.expected().ok().and_then(|m| m.course_commit);
        Ok(GradeReport::new(
            student, dir, commit, reports, notes, workspace,
        ))
    }

    /// Workspace files (outside every lab) that differ from the handout.
    fn workspace_changes(&self, dir: &Path) -> Result<Vec<Tamper>> {
        if !dir.join("Cargo.toml").is_file() || dir.join("exercises").is_dir() {
            return Ok(Vec::new()); // a clone of the course: only labs are compared
        }
        let mut found = Vec::new();
        // the handout's manifest for the labs the student was given
        let given: Vec<catalog::Lab> = self
            .course
            .labs
            .iter()
            .filter(|l| dir.join(&l.name).is_dir())
            .cloned()
            .collect();
        let manifest = super::handout::handout_manifest(&self.course.root, &given)?;
        for file in ["Cargo.toml", "Cargo.lock"] {
            let expected = match file {
                "Cargo.toml" => Some(super::manifest::hash_bytes(manifest.as_bytes())),
                _ => super::manifest::hash_file(&self.stage.base.join(file)).ok(),
            };
            let theirs = dir.join(file);
            let change = match (expected, theirs.is_file()) {
                (Some(_), false) => Some(Change::Missing),
                (Some(hash), true) if hash != super::manifest::hash_file(&theirs)? => {
                    Some(Change::Modified)
                }
                _ => None,
            };
            if let Some(change) = change {
                found.push(Tamper {
                    path: file.to_string(),
                    change,
                });
            }
        }
        let shared = super::manifest::SHARED_DIR;
        found.extend(stage::changed_outside_src(
            &self.stage.base.join(shared),
            &dir.join(shared),
            shared,
        )?);
        for hidden in [".cargo", "build.rs"] {
            if dir.join(hidden).exists() {
                found.push(Tamper {
                    path: hidden.to_string(),
                    change: Change::Added,
                });
            }
        }
        Ok(found)
    }

    #[allow(clippy::too_many_arguments)]
    fn grade_lab(
        &self,
        student: &str,
        dir: &Path,
        lab: &str,
        sources: &BTreeMap<String, PathBuf>,
        flags: &BTreeMap<String, Vec<Flag>>,
        taken: &BTreeMap<String, stage::Taken>,
        built: &Built,
        secret: &str,
    ) -> Result<LabReport> {
        let tests = self.course.tests(lab)?;
        let max_points = self.course.points.max_for(lab);
        let changed = match submitted_lab(dir, lab) {
            Some(lab_dir) => stage::changed_outside_src(&self.stage.base.join(lab), &lab_dir, lab)?,
            None => Vec::new(),
        };
        let (lab_flags, accepted) = self.flagged(student, lab, flags)?;
        let mut build_error = None;
        let runs = if !sources.contains_key(lab) {
            self.all_failed(lab, &tests, "нет каталога лабораторной (labNN/src)")
        } else if !lab_flags.is_empty() && !accepted {
            self.all_failed(
                lab,
                &tests,
                "не запускалась: в коде есть то, что может подделать результат (см. «Помечено»); \
                 преподаватель может принять после просмотра: --accept-flagged",
            )
        } else {
            let manifest = self.stage.dir.join(lab).join("Cargo.toml");
            let by_target: BTreeMap<&str, &Path> = built
                .binaries
                .iter()
                .filter(|b| b.manifest_path == manifest)
                .map(|b| (b.target.as_str(), b.executable.as_path()))
                .collect();
            let own_errors: Vec<&String> = built
                .errors
                .iter()
                .filter(|(m, _)| *m == manifest)
                .map(|(_, e)| e)
                .collect();
            let missing = tests
                .iter()
                .any(|t| !by_target.contains_key(t.target.as_str()));
            match (missing, own_errors.first()) {
                (true, first) => {
                    let message = match first {
                        Some(error) => super::libtest::shorten(error, 20, 2000),
                        None => {
                            let other = built
                                .errors
                                .first()
                                .map(|(m, e)| format!("{}:\n{e}", m.display()));
                            let why = other
                                .or_else(|| built.cargo_error.clone())
                                .unwrap_or_default();
                            super::libtest::shorten(
                                &format!(
                                    "не собралась лабораторная, с которой она собирается: {why}"
                                ),
                                20,
                                2000,
                            )
                        }
                    };
                    build_error = Some(message);
                    self.all_failed(lab, &tests, "лабораторная не компилируется")
                }
                (false, _) => {
                    let names: Vec<String> = tests.iter().map(|t| t.name.clone()).collect();
                    let points = self.course.points.per_test(lab, &names);
                    tests
                        .iter()
                        .zip(points)
                        .map(|(t, max)| {
                            let mut run = match by_target.get(t.target.as_str()) {
                                Some(exe) => {
                                    self.run_test(exe, &self.stage.dir.join(lab), &t.name, secret)?
                                }
                                None => TestRun::failed(&t.name, "тестовая программа не собрана"),
                            };
                            run.max_points = points::round(max);
                            run.points = if run.passed { run.max_points } else { 0.0 };
                            run.hidden = t.hidden;
                            Ok(run)
                        })
                        .collect::<Result<Vec<_>>>()?
                }
            }
        };
        let passed = runs.iter().filter(|r| r.passed).count();
        let earned: f64 = runs.iter().map(|r| r.points).sum();
        let skipped_sources = taken
            .get(lab)
            .map(|t| t.skipped.clone())
            .unwrap_or_default();
        Ok(LabReport {
            lab: lab.to_string(),
            passed,
            total: tests.len(),
            // the sum of rounded test points could miss the maximum by a cent
            points: if passed == tests.len() {
                max_points
            } else {
                points::round(earned.min(max_points))
            },
            max_points,
            build_error,
            tampered: !changed.is_empty(),
            tampered_files: changed,
            flags_accepted: !lab_flags.is_empty() && accepted,
            flags: lab_flags,
            skipped_sources,
            tests: runs,
        })
    }

    /// The flags of `lab` and of every lab it is built with, and whether
    /// the teacher accepted all of them.
    fn flagged(
        &self,
        student: &str,
        lab: &str,
        flags: &BTreeMap<String, Vec<Flag>>,
    ) -> Result<(Vec<Flag>, bool)> {
        let closure = self.course.closure(lab)?;
        let all: Vec<Flag> = closure
            .iter()
            .filter_map(|l| flags.get(l))
            .flatten()
            .cloned()
            .collect();
        let accepted = closure
            .iter()
            .filter(|l| flags.get(*l).is_some_and(|f| !f.is_empty()))
            .all(|l| self.options.accept.accepts(student, l));
        Ok((all, accepted))
    }

    /// Runs one test alone: cleared environment, time and memory limits;
    /// passed only with the signed verdict, libtest's `ok` and exit 0.
    fn run_test(
        &self,
        exe: &Path,
        package_dir: &Path,
        name: &str,
        secret: &str,
    ) -> Result<TestRun> {
        let _ = fs::remove_file(&self.stage.verdicts);
        let test_args = ["--exact", name, "--test-threads=1", "--color=never"];
        let mut cmd = match self.options.memory_mb {
            Some(mb) if cfg!(unix) && Path::new("/bin/sh").exists() => {
                let mut cmd = Command::new("/bin/sh");
                cmd.arg("-c")
                    .arg("ulimit -v \"$1\" || exit 97; ulimit -c 0; shift; exec \"$@\"")
                    .arg("sh")
                    .arg((mb * 1024).to_string())
                    .arg(exe);
                cmd
            }
            _ => Command::new(exe),
        };
        cmd.args(test_args)
            .current_dir(package_dir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("RUST_BACKTRACE", "0")
            .env("CARGO_MANIFEST_DIR", package_dir);
        let done = run_with_timeout(cmd, self.options.timeout)?;
        let signed = fs::read_to_string(&self.stage.verdicts)
            .unwrap_or_default()
            .lines()
            .any(|l| l == format!("{name} {secret}"));
        Ok(self.verdict(name, &done, signed))
    }

    fn verdict(&self, name: &str, done: &Finished, signed: bool) -> TestRun {
        let mut run = judge(name, done, self.options.timeout);
        let limit = self
            .options
            .memory_mb
            .map_or(String::new(), |mb| format!(" (ограничение {mb} МБ)"));
        if run.passed && !signed {
            run.passed = false;
            run.message = Some(
                "нет подписанной отметки проверяющего: строка `ok` и код выхода 0 есть, а \
                 тест до конца не дошёл — результат подделан или процесс завершён досрочно"
                    .to_string(),
            );
        } else if !run.passed && done.status.is_some() {
            let special = if done.output.contains("has overflowed its stack") {
                Some("переполнение стека (бесконечная рекурсия?)".to_string())
            } else if done.output.contains("memory allocation of")
                || done.status.is_some_and(|s| s.code() == Some(97))
            {
                Some(format!("не хватило памяти{limit}"))
            } else {
                None
            };
            if let Some(reason) = special {
                run.message = Some(reason);
            }
        }
        run
    }
}

#[cfg(test)]
mod tests {
    use super::super::manifest::LabEntry;
    use super::*;
    use std::collections::BTreeMap;

    fn manifest_with(labs: &[&str]) -> Manifest {
        Manifest {
            format: 1,
            course_commit: None,
            labs: labs
                .iter()
                .map(|l| {
                    let entry = LabEntry {
                        tests: vec!["t01".into()],
                        files: BTreeMap::new(),
                    };
                    (l.to_string(), entry)
                })
                .collect(),
            shared: BTreeMap::new(),
        }
    }

    #[test]
    fn labs_come_from_the_option_the_handout_or_the_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for lab in ["lab01", "lab02", "lab09"] {
            fs::create_dir_all(root.join(lab)).unwrap();
            fs::write(root.join(lab).join("Cargo.toml"), "").unwrap();
        }
        let expected = manifest_with(&["lab01", "lab02", "lab03"]);
        // directories, limited to what the course knows (no lab09)
        assert_eq!(
            labs_to_grade(root, &expected, None).unwrap(),
            ["lab01", "lab02"]
        );
        assert_eq!(
            labs_to_grade(root, &expected, Some("2-3")).unwrap(),
            ["lab02", "lab03"]
        );
        // the handout's own manifest says what was given out
        manifest_with(&["lab01"])
            .save(&root.join(MANIFEST_PATH))
            .unwrap();
        assert_eq!(labs_to_grade(root, &expected, None).unwrap(), ["lab01"]);
        assert!(labs_to_grade(root, &expected, Some("7")).is_err());
    }

    #[test]
    fn accepted_flags_name_labs_or_one_students_lab() {
        let none = Accept::parse(None);
        assert!(!none.accepts("ivanov", "lab01"));
        assert!(Accept::parse(Some("all")).accepts("ivanov", "lab03"));
        let some = Accept::parse(Some("lab02, ivanov/lab03"));
        assert!(some.accepts("petrov", "lab02"));
        assert!(some.accepts("ivanov", "lab03"));
        assert!(!some.accepts("petrov", "lab03"));
    }
}
