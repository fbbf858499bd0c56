//! The staging workspace: the teacher's copy of the labs with only the
//! student's `src/` put in.
//!
//! ```text
//! WORK/
//!   base/      a fresh handout of every lab, from the teacher's copy: what
//!              a submission is compared with, and where staging copies from
//!   stage/     the workspace that is built: base, plus each lab's src/ from
//!              the submission, plus the tests with the harness woven in and
//!              the hidden tests; always at this path, so cargo's cache of
//!              the teacher's dependency graph is reused
//!   stage/.grade/verdicts  where the harness writes its signed verdicts
//!   target/    cargo's target directory (never the caller's CARGO_TARGET_DIR)
//! ```
//!
//! Third-party crates are built once and stay; everything a submission
//! owns (the lab crates and their tests) is rebuilt for every submission
//! with `cargo clean -p`, whatever the files' timestamps say.

use super::catalog::{self, Lab};
use super::handout;
use super::instrument;
use super::points::Points;
use super::runner::Cargo;
use crate::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Where hidden tests live in the teacher's copy: `exercises/hidden/labNN/`.
pub const HIDDEN_DIR: &str = "exercises/hidden";

/// The teacher's copy of the course: every lab, its tests, the weights.
#[derive(Debug, Clone)]
pub struct Course {
    /// The course root (with `exercises/`).
    pub root: PathBuf,
    /// Every lab of the course (a lab may depend on earlier ones).
    pub labs: Vec<Lab>,
    /// Weights and hidden tests.
    pub points: Points,
}

/// One test the grader runs: which test target has it, and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedTest {
    /// The test target (the file stem: `lab01` for `tests/lab01.rs`).
    pub target: String,
    /// The libtest name.
    pub name: String,
    /// From the teacher's hidden tests.
    pub hidden: bool,
}

impl Course {
    /// The course at `root` with its `exercises/points.toml` (or `points`).
    pub fn load(root: &Path, points: Points) -> Result<Course> {
        let course = Course {
            root: root.to_path_buf(),
            labs: catalog::discover(root)?,
            points,
        };
        for lab in &course.labs {
            course.tests(&lab.name)?; // hidden tests and points.toml agree
        }
        Ok(course)
    }

    /// The lab called `name`.
    pub fn lab(&self, name: &str) -> Result<&Lab> {
        self.labs
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| format!("the course has no {name}").into())
    }

    /// The hidden test files of `lab` (`exercises/hidden/labNN/*`).
    pub fn hidden_files(&self, lab: &str) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(HIDDEN_DIR).join(lab);
        Ok(catalog::files_under(&dir)?
            .into_iter()
            .map(|f| dir.join(f))
            .collect())
    }

    /// Every test of `lab` the grader runs: the handed-out ones, then the
    /// hidden ones, each with its target. The hidden tests must be exactly
    /// those `points.toml` marks hidden.
    pub fn tests(&self, lab: &str) -> Result<Vec<GradedTest>> {
        let stub = &self.lab(lab)?.stub_dir;
        let mut tests = Vec::new();
        let tests_dir = stub.join("tests");
        let visible: Vec<PathBuf> = catalog::files_under(&tests_dir)?
            .into_iter()
            .filter(|f| f.parent() == Some(Path::new("")))
            .map(|f| tests_dir.join(f))
            .collect();
        for (files, hidden) in [(visible, false), (self.hidden_files(lab)?, true)] {
            for file in files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "rs"))
            {
                let text = fs::read_to_string(file)?;
                let target = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let names = instrument::test_names(&text)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                for name in names {
                    tests.push(GradedTest {
                        target: target.clone(),
                        name,
                        hidden,
                    });
                }
            }
        }
        let mut seen = BTreeSet::new();
        for t in &tests {
            if !seen.insert(&t.name) {
                return Err(format!("{lab}: two tests are called {}", t.name).into());
            }
        }
        let marked: BTreeSet<String> = self.points.hidden(lab).into_iter().collect();
        let found: BTreeSet<String> = tests
            .iter()
            .filter(|t| t.hidden)
            .map(|t| t.name.clone())
            .collect();
        if marked != found {
            return Err(format!(
                "{lab}: points.toml marks hidden {marked:?}, but {HIDDEN_DIR}/{lab}/ has {found:?}"
            )
            .into());
        }
        Ok(tests)
    }

    /// `lab` and every lab it depends on through `path = "../labNN"`,
    /// transitively (lab06 uses the student's labs 01–05).
    pub fn closure(&self, lab: &str) -> Result<Vec<String>> {
        let mut out = BTreeSet::new();
        let mut todo = vec![lab.to_string()];
        while let Some(name) = todo.pop() {
            if !out.insert(name.clone()) {
                continue;
            }
            let manifest = fs::read_to_string(self.lab(&name)?.stub_dir.join("Cargo.toml"))?;
            let doc: toml::Table = toml::from_str(&manifest)?;
            for table in ["dependencies", "dev-dependencies"] {
                let Some(deps) = doc.get(table).and_then(toml::Value::as_table) else {
                    continue;
                };
                for (dep, spec) in deps {
                    let path = spec.get("path").and_then(toml::Value::as_str);
                    let is_lab = path.is_some_and(|p| {
                        Path::new(p)
                            .file_name()
                            .and_then(|n| n.to_str())
                            .and_then(catalog::lab_number)
                            .is_some()
                    });
                    if is_lab && self.labs.iter().any(|l| &l.name == dep) {
                        todo.push(dep.clone());
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }
}

/// What was taken from a submission's `src/` and what was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taken {
    /// Files copied (relative to `src/`).
    pub copied: Vec<PathBuf>,
    /// Not copied: not a `.rs` file, or a symbolic link.
    pub skipped: Vec<String>,
}

/// Copies the `.rs` files under `from` (regular files only: a symbolic
/// link could point at the teacher's files) into `to`.
pub fn copy_sources(from: &Path, to: &Path) -> Result<Taken> {
    fn walk(base: &Path, rel: &Path, to: &Path, taken: &mut Taken) -> Result {
        let dir = base.join(rel);
        let mut entries: Vec<_> = fs::read_dir(&dir)?.collect::<std::io::Result<_>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = rel.join(entry.file_name());
            let meta = fs::symlink_metadata(entry.path())?;
            let shown = super::manifest::slash_path(&path);
            if meta.file_type().is_symlink() {
                taken
                    .skipped
                    .push(format!("{shown} (символическая ссылка)"));
            } else if meta.is_dir() {
                walk(base, &path, to, taken)?;
            } else if path.extension().is_some_and(|e| e == "rs") && meta.is_file() {
                let target = to.join(&path);
                fs::create_dir_all(target.parent().expect("a file has a parent"))?;
                fs::write(&target, fs::read(entry.path())?)?;
                taken.copied.push(path);
            } else {
                taken.skipped.push(format!("{shown} (не файл .rs)"));
            }
        }
        Ok(())
    }
    let mut taken = Taken::default();
    fs::create_dir_all(to)?;
    if from.is_dir() {
        walk(from, Path::new(""), to, &mut taken)?;
    }
    Ok(taken)
}

/// Makes `to` hold exactly the files of `from` (its `target/` and hidden
/// entries aside), writing only what differs so that cargo's fingerprints
/// of the unchanged teacher files stay valid.
fn sync_tree(from: &Path, to: &Path) -> Result {
    let wanted: BTreeSet<PathBuf> = catalog::files_under(from)?.into_iter().collect();
    for file in &wanted {
        let bytes = fs::read(from.join(file))?;
        let target = to.join(file);
        if fs::read(&target).ok().as_ref() != Some(&bytes) {
            fs::create_dir_all(target.parent().expect("a file has a parent"))?;
            fs::write(&target, bytes)?;
        }
    }
    for file in catalog::files_under(to)? {
        if !wanted.contains(&file) {
            fs::remove_file(to.join(file))?;
        }
    }
    Ok(())
}

/// The staging area under a work directory.
#[derive(Debug, Clone)]
pub struct Stage {
    /// `WORK/base`: the teacher's handout of every lab.
    pub base: PathBuf,
    /// `WORK/stage`: the workspace that is built.
    pub dir: PathBuf,
    /// `WORK/target`.
    pub target: PathBuf,
    /// Where the harness writes verdicts.
    pub verdicts: PathBuf,
    /// Held while this stage exists: one grading per work directory.
    _lock: std::sync::Arc<fs::File>,
}

impl Stage {
    /// Writes the base handout of every lab of `course` and brings the
    /// staging workspace up to date with it.
    pub fn prepare(course: &Course, work: &Path) -> Result<Stage> {
        fs::create_dir_all(work)?;
        let work = fs::canonicalize(work)?;
        let lock = fs::File::create(work.join(".lock"))?;
        if lock.try_lock().is_err() {
            eprintln!(
                "waiting for another grading in {} to finish",
                work.display()
            );
            lock.lock()?;
        }
        let stage = Stage {
            _lock: std::sync::Arc::new(lock),
            base: work.join("base"),
            dir: work.join("stage"),
            target: work.join("target"),
            verdicts: work.join("stage/.grade/verdicts"),
        };
        if stage.base.exists() {
            fs::remove_dir_all(&stage.base)?;
        }
        handout::write(&course.root, &course.labs, &stage.base)?;
        fs::create_dir_all(&stage.dir)?;
        sync_tree(&stage.base, &stage.dir)?;
        if let Some(dir) = stage.verdicts.parent() {
            fs::create_dir_all(dir)?;
        }
        Ok(stage)
    }

    /// Cargo for the staging workspace, with its own target directory.
    pub fn cargo(&self) -> Cargo {
        Cargo::new(&self.dir).with_target_dir(Some(self.target.clone()))
    }

    /// Puts a submission in: every lab's `src/` from `sources` (lab name →
    /// the submission's `src/` directory; a lab not there gets the stub),
    /// the tests with the harness and `secret`, the hidden tests; then
    /// forces cargo to rebuild every lab crate.
    pub fn load(
        &self,
        course: &Course,
        sources: &BTreeMap<String, PathBuf>,
        secret: &str,
    ) -> Result<BTreeMap<String, Taken>> {
        let mut taken = BTreeMap::new();
        for lab in &course.labs {
            let src = self.dir.join(&lab.name).join("src");
            if src.exists() {
                fs::remove_dir_all(&src)?;
            }
            let from = sources
                .get(&lab.name)
                .cloned()
                .unwrap_or_else(|| self.base.join(&lab.name).join("src"));
            taken.insert(lab.name.clone(), copy_sources(&from, &src)?);
            self.write_tests(course, lab, secret)?;
        }
        let _ = fs::remove_file(&self.verdicts);
        let mut clean = vec!["clean".to_string()];
        for lab in &course.labs {
            clean.extend(["-p".to_string(), lab.name.clone()]);
        }
        let refs: Vec<&str> = clean.iter().map(String::as_str).collect();
        self.cargo().run_quiet(&refs)?;
        Ok(taken)
    }

    /// The lab's test files, the hidden ones added, each with the harness.
    fn write_tests(&self, course: &Course, lab: &Lab, secret: &str) -> Result {
        let tests = self.dir.join(&lab.name).join("tests");
        let mut files: Vec<PathBuf> =
            catalog::files_under(&self.base.join(&lab.name).join("tests"))?
                .into_iter()
                .map(|f| self.base.join(&lab.name).join("tests").join(f))
                .collect();
        let visible: BTreeSet<_> = files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_owned()))
            .collect();
        for hidden in course.hidden_files(&lab.name)? {
            let name = hidden.file_name().map(|n| n.to_owned()).unwrap_or_default();
            if visible.contains(&name) {
                return Err(format!(
                    "{}: the hidden test file {} has the name of a handed-out one",
                    lab.name,
                    hidden.display()
                )
                .into());
            }
            files.push(hidden);
        }
        let verdicts = self.verdicts.to_string_lossy().into_owned();
        for file in files {
            let rel = file
                .strip_prefix(self.base.join(&lab.name).join("tests"))
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| PathBuf::from(file.file_name().unwrap_or_default()));
            let target = tests.join(&rel);
            fs::create_dir_all(target.parent().expect("a file has a parent"))?;
            let top_level_rs =
                rel.parent() == Some(Path::new("")) && rel.extension().is_some_and(|e| e == "rs");
            if top_level_rs {
                let text = fs::read_to_string(&file)?;
                let woven = instrument::instrument(&text, &verdicts, secret)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                fs::write(target, woven.source)?;
            } else {
                fs::copy(&file, target)?;
            }
        }
        Ok(())
    }
}

/// A fresh secret: 128 random bits as hex, from the OS.
pub fn secret() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .or_else(|_| {
            // no /dev/urandom (Windows): the std hasher's per-process random keys
            use std::hash::{BuildHasher, Hasher};
            for chunk in bytes.chunks_mut(8) {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_u128(
                    std::time::SystemTime::now()
                        .elapsed()
                        .map_or(0, |d| d.as_nanos()),
                );
                chunk.copy_from_slice(&h.finish().to_le_bytes());
            }
            Ok::<(), std::io::Error>(())
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Files of a submission's lab outside `src/` that differ from the
/// teacher's: they are listed in the report and never built.
pub fn changed_outside_src(
    base_lab: &Path,
    submitted_lab: &Path,
    lab: &str,
) -> Result<Vec<super::manifest::Tamper>> {
    use super::manifest::{Change, Tamper, hash_file};
    let mut found = Vec::new();
    let outside = |files: Vec<PathBuf>| -> Vec<PathBuf> {
        files
            .into_iter()
            .filter(|f| !f.starts_with("src"))
            .collect()
    };
    let theirs: BTreeSet<PathBuf> = outside(catalog::files_under(submitted_lab)?)
        .into_iter()
        .collect();
    for file in outside(catalog::files_under(base_lab)?) {
        let shown = format!("{lab}/{}", super::manifest::slash_path(&file));
        let change = if !theirs.contains(&file) {
            Some(Change::Missing)
        } else if hash_file(&base_lab.join(&file))? != hash_file(&submitted_lab.join(&file))? {
            Some(Change::Modified)
        } else {
            None
        };
        if let Some(change) = change {
            found.push(Tamper {
                path: shown,
                change,
            });
        }
    }
    for file in &theirs {
        if !base_lab.join(file).exists() {
            found.push(Tamper {
                path: format!("{lab}/{}", super::manifest::slash_path(file)),
                change: Change::Added,
            });
        }
    }
    // a cargo configuration next to the lab would be hidden from files_under
    if submitted_lab.join(".cargo").exists() {
        found.push(Tamper {
            path: format!("{lab}/.cargo/"),
            change: Change::Added,
        });
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_rs_files_are_taken_from_src() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("src");
        fs::create_dir_all(from.join("nested")).unwrap();
        fs::write(from.join("lib.rs"), "pub mod nested;").unwrap();
        fs::write(from.join("nested/mod.rs"), "").unwrap();
        fs::write(from.join("answers.json"), "{}").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/hostname", from.join("link.rs")).unwrap();
        let to = dir.path().join("out");
        let taken = copy_sources(&from, &to).unwrap();
        assert_eq!(
            taken.copied,
            [PathBuf::from("lib.rs"), PathBuf::from("nested/mod.rs")]
        );
        assert!(taken.skipped.iter().any(|s| s.starts_with("answers.json")));
        #[cfg(unix)]
        assert!(taken.skipped.iter().any(|s| s.contains("символическая")));
        assert!(!to.join("link.rs").exists() && !to.join("answers.json").exists());
    }

    #[test]
    fn lab06_depends_on_the_labs_its_manifest_names() {
        let root = crate::workspace_root();
        let points = Points::load(&root.join("exercises/points.toml"), true).unwrap();
        let course = Course::load(&root, points).unwrap();
        assert_eq!(course.closure("lab01").unwrap(), ["lab01"]);
        let lab06 = course.closure("lab06").unwrap();
        assert!(lab06.contains(&"lab06".to_string()));
    }

    #[test]
    fn secrets_are_fresh() {
        let (a, b) = (secret().unwrap(), secret().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
