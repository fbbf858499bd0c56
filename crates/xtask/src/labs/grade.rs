//! `cargo xtask labs grade`: run a student's workspace and report.
//!
//! For each lab: build its tests (a lab that does not compile gets 0 and
//! the compiler's first error), run every handed-out test in its own
//! process with a time limit, count points from `points.toml`, and compare
//! the protected files with the handout's hashes. The expected tests and
//! hashes come from this course (or from `--manifest`), never from the
//! student's copy, which they could edit.

use super::GradeArgs;
use super::catalog;
use super::manifest::{LabEntry, MANIFEST_PATH, Manifest};
use super::points::{self, Points};
use super::report::{GradeReport, LabReport};
use super::runner::{Build, Cargo, TestBinary, TestRun, list_tests, run_one};
use crate::Result;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What to grade and against what.
pub struct Grading<'a> {
    /// The student's workspace.
    pub dir: &'a Path,
    /// What was handed out: expected tests and hashes.
    pub expected: &'a Manifest,
    /// The labs to grade, by name.
    pub labs: Vec<String>,
    /// Maximum points per lab.
    pub points: &'a Points,
    /// Time limit per test.
    pub timeout: Duration,
    /// Where cargo builds (default: the workspace's own `target/`).
    pub target_dir: Option<PathBuf>,
}

/// Runs the command.
pub fn run(root: &Path, args: &GradeArgs) -> Result {
    let dir = fs::canonicalize(&args.dir)
        .map_err(|e| format!("cannot open the workspace {}: {e}", args.dir.display()))?;
    if !dir.join("Cargo.toml").is_file() {
        return Err(format!("{} has no Cargo.toml: not a lab workspace", dir.display()).into());
    }
    let expected = match &args.manifest {
        Some(path) => Manifest::load(path)?,
        None => super::manifest::for_course(root, &catalog::discover(root)?)?,
    };
    let points = match &args.points {
        Some(path) => Points::load(path, true)?,
        None => Points::load(&root.join("exercises/points.toml"), false)?,
    };
    let labs = labs_to_grade(&dir, &expected, args.labs.as_deref())?;
    eprintln!("grading {} in {}", labs.join(", "), dir.display());
    let report = grade(&Grading {
        dir: &dir,
        expected: &expected,
        labs,
        points: &points,
        timeout: Duration::from_secs_f64(args.timeout),
        target_dir: args.target_dir.clone(),
    })?;
    let text = report.render(args.format);
    match &args.output {
        Some(path) => fs::write(path, text)?,
        None => print!("{text}"),
    }
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
        catalog::lab_numbers_in(dir)?
            .into_iter()
            .map(catalog::lab_name)
            .collect()
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

/// Grades the labs of one workspace.
pub fn grade(g: &Grading) -> Result<GradeReport> {
    let cargo = Cargo::new(g.dir).with_target_dir(g.target_dir.clone());
    let mut labs = Vec::new();
    for name in &g.labs {
        let entry = &g.expected.labs[name];
        eprintln!("  {name}: building and running {} tests", entry.tests.len());
        labs.push(grade_lab(&cargo, g, name, entry)?);
    }
    let mut notes = Vec::new();
    if let Ok(theirs) = Manifest::load(&g.dir.join(MANIFEST_PATH)) {
        let differs = g
            .labs
            .iter()
            .any(|l| theirs.labs.get(l) != g.expected.labs.get(l))
            || theirs.shared != g.expected.shared;
        if differs {
            notes.push(
                "`.labs/manifest.json` в каталоге студента не совпадает с ожидаемым: раздача \
                 из другой версии курса или файл изменён. Если тесты курса менялись после \
                 раздачи, проверьте с `--manifest` той раздачи."
                    .to_string(),
            );
        }
    } else {
        notes.push(
            "В каталоге нет `.labs/manifest.json`: это не раздача `labs handout`.".to_string(),
        );
    }
    Ok(GradeReport {
        dir: g.dir.display().to_string(),
        course_commit: g.expected.course_commit.clone(),
        points: (labs.iter().map(|l| l.points).sum::<f64>() * 100.0).round() / 100.0,
        max_points: labs.iter().map(|l| l.max_points).sum(),
        labs,
        notes,
    })
}

fn grade_lab(cargo: &Cargo, g: &Grading, name: &str, entry: &LabEntry) -> Result<LabReport> {
    let max_points = g.points.max_for(name);
    let tampered_files = g.expected.tampering(name, g.dir)?;
    let failed_all = |message: &str| -> Vec<TestRun> {
        entry
            .tests
            .iter()
            .map(|t| TestRun {
                name: t.clone(),
                passed: false,
                message: Some(message.to_string()),
                seconds: 0.0,
            })
            .collect()
    };
    let lab_dir = g.dir.join(name);
    let (tests, build_error) = if !lab_dir.join("Cargo.toml").is_file() {
        (failed_all("нет каталога лабораторной"), None)
    } else {
        match cargo.build_tests(&[name])? {
            Build::Failed(errors) => {
                let first = errors.first().cloned().unwrap_or_default();
                (
                    failed_all("лабораторная не компилируется"),
                    Some(super::libtest::shorten(&first, 20, 2000)),
                )
            }
            Build::Built(binaries) => (run_tests(&binaries, &lab_dir, entry, g.timeout)?, None),
        }
    };
    let passed = tests.iter().filter(|t| t.passed).count();
    Ok(LabReport {
        lab: name.to_string(),
        passed,
        total: entry.tests.len(),
        points: points::earned(max_points, passed, entry.tests.len()),
        max_points,
        build_error,
        tampered: !tampered_files.is_empty(),
        tampered_files,
        tests,
    })
}

/// Runs each expected test from whichever of the lab's test binaries has it.
fn run_tests(
    binaries: &[TestBinary],
    lab_dir: &Path,
    entry: &LabEntry,
    timeout: Duration,
) -> Result<Vec<TestRun>> {
    let lab_manifest = fs::canonicalize(lab_dir.join("Cargo.toml"))?;
    let mut owner: BTreeMap<String, &TestBinary> = BTreeMap::new();
    for binary in binaries {
        let same_package = fs::canonicalize(&binary.manifest_path).is_ok_and(|p| p == lab_manifest);
        if same_package {
            for test in list_tests(binary)? {
                owner.entry(test).or_insert(binary);
            }
        }
    }
    entry
        .tests
        .iter()
        .map(|name| match owner.get(name) {
            Some(binary) => run_one(binary, name, timeout),
            None => Ok(TestRun {
                name: name.clone(),
                passed: false,
                message: Some(
                    "такого теста нет в сборке: его удалили или переименовали".to_string(),
                ),
                seconds: 0.0,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
}
