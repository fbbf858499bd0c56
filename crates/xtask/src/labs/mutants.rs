//! The mutation check of `cargo xtask labs check`: do the tests catch the
//! mistakes students make?
//!
//! Each lab's mistakes are written down in `exercises/mutants/labNN.toml`
//! as small text substitutions in its reference solution (a *mutant*: the
//! sign of the lecture, a missing factor, an off-by-one in `t`, NaN
//! accepted …). The check applies each mutant to a scratch copy of the
//! solutions (a handout with the solutions copied in, so the course tree is
//! never touched), builds it with one shared target directory and runs the
//! lab's tests: at least one must fail, or the mutant *survives* and the
//! tests let that mistake through. The score is the share of mutants
//! killed; a lab needs at least [`MIN_MUTANTS`] of them and [`MIN_SCORE`].

use super::catalog::{self, Lab};
use super::handout;
use super::runner::{Build, Cargo, run_all};
use crate::Result;
use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Fewest mutants a lab may have.
pub const MIN_MUTANTS: usize = 8;
/// Smallest share of mutants the tests must kill.
pub const MIN_SCORE: f64 = 0.95;

/// One substitution: `original` (found exactly once, or its
/// `occurrence`-th match, counted from 1) becomes `replacement`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Text of the solution to replace.
    pub original: String,
    /// What replaces it.
    pub replacement: String,
    /// Which match, when `original` occurs more than once.
    pub occurrence: Option<usize>,
}

/// A student's mistake written as edits of one file of the solution.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    /// The mistake, in Russian, for the report.
    pub mistake: String,
    /// The file, relative to the solution's crate (`src/lib.rs`).
    pub file: PathBuf,
    /// The first (often the only) edit.
    pub original: String,
    /// Its replacement.
    pub replacement: String,
    /// Which match of `original`, when it occurs more than once.
    pub occurrence: Option<usize>,
    /// Further edits of the same file (`[[mutant.edit]]`).
    #[serde(default)]
    pub edit: Vec<Edit>,
}

impl Mutant {
    /// All edits, the first one included.
    pub fn edits(&self) -> Vec<Edit> {
        let first = Edit {
            original: self.original.clone(),
            replacement: self.replacement.clone(),
            occurrence: self.occurrence,
        };
        std::iter::once(first).chain(self.edit.clone()).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantsFile {
    mutant: Vec<Mutant>,
}

/// The mutants file of a lab: `exercises/mutants/labNN.toml`.
pub fn path_for(root: &Path, lab: &Lab) -> PathBuf {
    root.join("exercises/mutants")
        .join(format!("{}.toml", lab.name))
}

/// Reads a mutants file.
pub fn load(path: &Path) -> Result<Vec<Mutant>> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: MutantsFile =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(file.mutant)
}

/// `source` with one edit applied; an error if `original` is not there, or
/// is there several times and no `occurrence` says which.
pub fn apply_edit(source: &str, edit: &Edit) -> Result<String> {
    let starts: Vec<usize> = source
        .match_indices(&edit.original)
        .map(|(i, _)| i)
        .collect();
    let index = match (edit.occurrence, starts.len()) {
        (_, 0) => return Err(format!("`{}` is not in the file", edit.original).into()),
        (None, 1) => 0,
        (None, n) => {
            return Err(format!(
                "`{}` occurs {n} times: say which with `occurrence`",
                edit.original
            )
            .into());
        }
        (Some(k), n) if k >= 1 && k <= n => k - 1,
        (Some(k), n) => {
            return Err(format!(
                "occurrence {k} of `{}` asked for, it occurs {n} times",
                edit.original
            )
            .into());
        }
    };
    let start = starts[index];
    let mut out = String::with_capacity(source.len());
    out.push_str(&source[..start]);
    out.push_str(&edit.replacement);
    out.push_str(&source[start + edit.original.len()..]);
    Ok(out)
}

/// `source` with all of the mutant's edits applied, in order.
pub fn apply(source: &str, mutant: &Mutant) -> Result<String> {
    let mut text = source.to_string();
    for edit in mutant.edits() {
        text = apply_edit(&text, &edit)?;
    }
    if text == source {
        return Err("the edits change nothing".into());
    }
    Ok(text)
}

/// Indices of `k` mutants out of `n`, spread evenly over the list (all of
/// them when `k >= n`): the quick check still samples every part of a lab.
pub fn sample(n: usize, k: usize) -> Vec<usize> {
    if k >= n {
        return (0..n).collect();
    }
    (0..k).map(|i| i * n / k + n / (2 * k)).collect()
}

/// How many mutants of one lab the tests killed.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// `lab01`.
    pub lab: String,
    /// Mutants in the lab's file.
    pub total: usize,
    /// Mutants run (all, or a sample).
    pub run: usize,
    /// Mutants that made a test fail.
    pub killed: usize,
    /// The mistakes no test caught.
    pub survivors: Vec<String>,
}

impl Score {
    /// Killed over run.
    pub fn ratio(&self) -> f64 {
        if self.run == 0 {
            0.0
        } else {
            self.killed as f64 / self.run as f64
        }
    }
}

/// Which mutants to run.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    /// Every mutant of every lab.
    All,
    /// This many per lab, spread over the list.
    PerLab(usize),
}

/// Runs the mutants of `labs` in a scratch copy under `target/labs-mutants/`
/// and returns each lab's score; the problems found (missing or too few
/// mutants, edits that do not apply or do not compile, a low score) are
/// appended to `problems`.
pub fn run(
    root: &Path,
    labs: &[Lab],
    selection: Selection,
    problems: &mut Vec<String>,
) -> Result<Vec<Score>> {
    let scratch = root.join("target/labs-mutants/workspace");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)?;
    }
    let built = with_earlier_labs(root, labs)?;
    handout::write(root, &built, &scratch)?;
    for lab in &built {
        let src = scratch.join(&lab.name).join("src");
        fs::remove_dir_all(&src)?;
        for file in catalog::files_under(&lab.solution_dir.join("src"))? {
            let target = src.join(&file);
            fs::create_dir_all(target.parent().expect("a file has a parent"))?;
            fs::copy(lab.solution_dir.join("src").join(&file), target)?;
        }
    }
    // one target directory for every mutant (and the handout round trip):
    // only the mutated lab recompiles
    let cargo = Cargo::new(&scratch).with_target_dir(Some(root.join("target/labs-check/target")));

    let mut scores = Vec::new();
    for lab in labs {
        let path = path_for(root, lab);
        let mutants = match load(&path) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{}: mutants: {e}", lab.name));
                continue;
            }
        };
        if mutants.len() < MIN_MUTANTS {
            problems.push(format!(
                "{}: {} mutants in {}, at least {MIN_MUTANTS} wanted",
                lab.name,
                mutants.len(),
                path.display()
            ));
        }
        let chosen = match selection {
            Selection::All => sample(mutants.len(), usize::MAX),
            Selection::PerLab(k) => sample(mutants.len(), k),
        };
        let expected = catalog::expected_tests(&lab.stub_dir)?;
        let lab_dir = scratch.join(&lab.name);
        let started = Instant::now();
        let mut score = Score {
            lab: lab.name.clone(),
            total: mutants.len(),
            run: 0,
            killed: 0,
            survivors: Vec::new(),
        };
        for &i in &chosen {
            let mutant = &mutants[i];
            let file = lab_dir.join(&mutant.file);
            let original = fs::read_to_string(&file)
                .map_err(|e| format!("{}: mutant {}: {}: {e}", lab.name, i + 1, file.display()))?;
            let mutated = match apply(&original, mutant) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(format!(
                        "{}: mutant {} ({}) does not apply to {}: {e}",
                        lab.name,
                        i + 1,
                        mutant.mistake,
                        mutant.file.display()
                    ));
                    continue;
                }
            };
            fs::write(&file, mutated)?;
            let verdict = judge(&cargo, lab, &expected);
            fs::write(&file, &original)?;
            match verdict {
                Ok(killed) => {
                    score.run += 1;
                    if killed {
                        score.killed += 1;
                    } else {
                        score
                            .survivors
                            .push(format!("{}: {}", i + 1, mutant.mistake));
                    }
                }
                Err(e) => problems.push(format!(
                    "{}: mutant {} ({}): {e}",
                    lab.name,
                    i + 1,
                    mutant.mistake
                )),
            }
        }
        eprintln!(
            "  {}: mutants killed {}/{} ({:.0} %, {} in the file) in {:.0} s{}",
            lab.name,
            score.killed,
            score.run,
            100.0 * score.ratio(),
            score.total,
            started.elapsed().as_secs_f64(),
            if score.survivors.is_empty() {
                String::new()
            } else {
                format!("; survivors: {}", score.survivors.join("; "))
            }
        );
        if score.run > 0 && score.ratio() < MIN_SCORE {
            problems.push(format!(
                "{}: the tests kill {}/{} mutants ({:.0} %), at least {:.0} % wanted; survivors: {}",
                lab.name,
                score.killed,
                score.run,
                100.0 * score.ratio(),
                100.0 * MIN_SCORE,
                score.survivors.join("; ")
            ));
        }
        scores.push(score);
    }
    Ok(scores)
}

/// `labs` and the earlier labs they build on (path dependencies such as
/// lab06's `lab01 = { path = "../lab01" }`), in order.
pub fn with_earlier_labs(root: &Path, labs: &[Lab]) -> Result<Vec<Lab>> {
    let mut numbers: std::collections::BTreeSet<u32> = labs.iter().map(|l| l.number).collect();
    for lab in labs {
        let names = handout::dependency_names(&[lab.stub_dir.join("Cargo.toml")])?;
        numbers.extend(names.iter().filter_map(|n| catalog::lab_number(n)));
    }
    Ok(numbers.into_iter().map(|n| Lab::new(root, n)).collect())
}

/// Builds the mutated lab and runs its tests: `true` if a test failed (the
/// mutant is killed). A mutant that does not compile is an error, not a
/// kill: it models no mistake a student could hand in.
fn judge(cargo: &Cargo, lab: &Lab, expected: &[String]) -> Result<bool> {
    let binaries = match cargo.build_tests(&[lab.name.as_str()])? {
        Build::Built(b) => b,
        Build::Failed(errors) => {
            return Err(format!(
                "does not compile:\n{}",
                errors.first().map_or("", String::as_str)
            )
            .into());
        }
    };
    let binary = binaries
        .iter()
        .find(|b| b.target == lab.name)
        .ok_or_else(|| format!("no test binary `{}` built", lab.name))?;
    let (runs, _) = run_all(binary, expected, Duration::from_secs(120))?;
    Ok(runs.iter().any(|r| !r.passed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(original: &str, replacement: &str, occurrence: Option<usize>) -> Edit {
        Edit {
            original: original.into(),
            replacement: replacement.into(),
            occurrence,
        }
    }

    #[test]
    fn an_edit_needs_exactly_one_match_or_an_occurrence() {
        let src = "a + b; a + b; c";
        assert_eq!(
            apply_edit(src, &edit("c", "d", None)).unwrap(),
            "a + b; a + b; d"
        );
        assert!(apply_edit(src, &edit("x", "y", None)).is_err());
        assert!(apply_edit(src, &edit("a + b", "a - b", None)).is_err());
        assert_eq!(
            apply_edit(src, &edit("a + b", "a - b", Some(2))).unwrap(),
            "a + b; a - b; c"
        );
        assert!(apply_edit(src, &edit("a + b", "a - b", Some(3))).is_err());
    }

    #[test]
    fn a_mutant_applies_all_its_edits_and_must_change_something() {
        let text = "[[mutant]]\nmistake = \"m\"\nfile = \"src/lib.rs\"\noriginal = \"x\"\n\
                    replacement = \"y\"\n[[mutant.edit]]\noriginal = \"z\"\nreplacement = \"w\"\n";
        let file: MutantsFile = toml::from_str(text).unwrap();
        let m = &file.mutant[0];
        assert_eq!(apply("x z", m).unwrap(), "y w");
        let noop = Mutant {
            replacement: "x".into(),
            edit: vec![],
            ..m.clone()
        };
        assert!(apply("x", &noop).is_err());
    }

    #[test]
    fn the_sample_is_spread_and_distinct() {
        assert_eq!(sample(5, 10), vec![0, 1, 2, 3, 4]);
        let s = sample(15, 3);
        assert_eq!(s, vec![2, 7, 12]);
        let s = sample(8, 3);
        assert!(
            s.windows(2).all(|w| w[0] < w[1]) && *s.last().unwrap() < 8,
            "{s:?}"
        );
    }

    #[test]
    fn every_course_mutant_applies_to_its_solution() {
        let root = crate::workspace_root();
        for lab in catalog::discover(&root).unwrap() {
            let mutants = load(&path_for(&root, &lab)).unwrap();
            assert!(
                mutants.len() >= MIN_MUTANTS,
                "{}: {}",
                lab.name,
                mutants.len()
            );
            for (i, m) in mutants.iter().enumerate() {
                let source = fs::read_to_string(lab.solution_dir.join(&m.file)).unwrap();
                if let Err(e) = apply(&source, m) {
                    panic!("{} mutant {} ({}): {e}", lab.name, i + 1, m.mistake);
                }
            }
        }
    }
}
