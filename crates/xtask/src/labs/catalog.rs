//! Where the labs are and what they consist of.
//!
//! A lab is a directory `exercises/labNN` holding a crate `labNN` (the
//! student's stub), with its twin `exercises/solutions/labNN`, a crate
//! `labNN-solution` whose library is also called `labNN` and whose tests
//! are the stub's own files.

use crate::Result;
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One lab of the course.
#[derive(Debug, Clone, PartialEq)]
pub struct Lab {
    /// Its number, 1 for `lab01`.
    pub number: u32,
    /// The directory and package name, `lab01`.
    pub name: String,
    /// `exercises/labNN`: the stub, its README, tests and data.
    pub stub_dir: PathBuf,
    /// `exercises/solutions/labNN`: the solution crate.
    pub solution_dir: PathBuf,
}

impl Lab {
    /// The lab at `exercises/labNN` under the course root.
    pub fn new(root: &Path, number: u32) -> Lab {
        let name = lab_name(number);
        Lab {
            number,
            stub_dir: root.join("exercises").join(&name),
            solution_dir: root.join("exercises/solutions").join(&name),
            name,
        }
    }

    /// The package name of the solution, `labNN-solution`.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.name)
    }
}

/// `lab01` for 1.
pub fn lab_name(number: u32) -> String {
    format!("lab{number:02}")
}

/// The lab number in a directory name like `lab07`, if it is one.
pub fn lab_number(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("lab")?;
    if digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Every lab under `exercises/` (a `labNN` directory with a `Cargo.toml`),
/// in order.
pub fn discover(root: &Path) -> Result<Vec<Lab>> {
    let exercises = root.join("exercises");
    let numbers = lab_numbers_in(&exercises)?;
    if numbers.is_empty() {
        return Err(format!("no labs (labNN/Cargo.toml) under {}", exercises.display()).into());
    }
    Ok(numbers.into_iter().map(|n| Lab::new(root, n)).collect())
}

/// Numbers of the `labNN` directories with a `Cargo.toml` directly in `dir`.
pub fn lab_numbers_in(dir: &Path) -> Result<BTreeSet<u32>> {
    let entries =
        fs::read_dir(dir).map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut numbers = BTreeSet::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if let Some(n) = name.to_str().and_then(lab_number)
            && entry.path().join("Cargo.toml").is_file()
        {
            numbers.insert(n);
        }
    }
    Ok(numbers)
}

/// Parses a selection like `1-3`, `2,5` or `1-2,6` into lab numbers.
pub fn parse_selection(spec: &str) -> Result<BTreeSet<u32>> {
    let mut chosen = BTreeSet::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let number = |s: &str| -> Result<u32> {
            let s = s.trim();
            let s = s.strip_prefix("lab").unwrap_or(s);
            s.parse::<u32>()
                .map_err(|_| format!("`{s}` in --labs `{spec}` is not a lab number").into())
        };
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    return Err(format!("range `{part}` in --labs runs backwards").into());
                }
                chosen.extend(a..=b);
            }
            None => {
                chosen.insert(number(part)?);
            }
        }
    }
    if chosen.is_empty() {
        return Err(format!("--labs `{spec}` names no lab").into());
    }
    Ok(chosen)
}

/// The labs named by `spec` (all if `None`); an unknown number is an error.
pub fn select(root: &Path, spec: Option<&str>) -> Result<Vec<Lab>> {
    let all = discover(root)?;
    let Some(spec) = spec else {
        return Ok(all);
    };
    let chosen = parse_selection(spec)?;
    let known: BTreeSet<u32> = all.iter().map(|l| l.number).collect();
    if let Some(missing) = chosen.difference(&known).next() {
        return Err(format!("there is no lab {missing}; the course has {}", names(&all)).into());
    }
    Ok(all
        .into_iter()
        .filter(|l| chosen.contains(&l.number))
        .collect())
}

/// `lab01, lab02` for messages.
pub fn names(labs: &[Lab]) -> String {
    labs.iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

static TEST_FN: LazyLock<Regex> = LazyLock::new(|| {
    // `#[test]`, then any other attributes, then `fn name` (proptest! blocks
    // write their tests the same way)
    Regex::new(r"#\[test\]\s*(?:#\[[^\]]*\]\s*)*(?:pub\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)")
        .expect("the pattern is valid")
});

/// Names of the `#[test]` functions in a test file, in source order.
pub fn test_names(source: &str) -> Vec<String> {
    TEST_FN
        .captures_iter(source)
        .map(|c| c[1].to_string())
        .collect()
}

/// Names of all tests in `lab_dir/tests/*.rs`, sorted (as libtest lists them).
pub fn expected_tests(lab_dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for file in files_under(&lab_dir.join("tests"))? {
        if file.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(lab_dir.join("tests").join(&file))?;
            names.extend(test_names(&text));
        }
    }
    names.sort();
    Ok(names)
}

/// Files under `dir`, recursively, as paths relative to it, sorted; skips
/// build output (`target`), hidden entries and proptest's regression files.
/// A missing directory has no files.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(base: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result {
        let dir = base.join(rel);
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name_str = name.to_string_lossy();
            if name_str.starts_with('.')
                || name_str == "target"
                || name_str == "proptest-regressions"
            {
                continue;
            }
            let path = rel.join(&name);
            if entry.file_type()?.is_dir() {
                walk(base, &path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, Path::new(""), &mut out)?;
    }
    out.sort();
    Ok(out)
}

/// The files of a lab that a student must not change, relative to the lab
/// directory: everything under `tests/` and `data/`.
pub fn protected_files(lab_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for sub in ["tests", "data"] {
        files.extend(
            files_under(&lab_dir.join(sub))?
                .into_iter()
                .map(|f| Path::new(sub).join(f)),
        );
    }
    Ok(files)
}

/// The title of a lab: the first `# ` heading of its README, if any.
pub fn title(lab_dir: &Path) -> Option<String> {
    let text = fs::read_to_string(lab_dir.join("README.md")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_are_ranges_and_lists() {
        let cases: [(&str, &[u32]); 5] = [
            ("1-3", &[1, 2, 3]),
            ("2,5", &[2, 5]),
            ("1-2, 6", &[1, 2, 6]),
            ("lab04", &[4]),
            ("3,3,1-2", &[1, 2, 3]),
        ];
        for (spec, expected) in cases {
            let got: Vec<u32> = parse_selection(spec).unwrap().into_iter().collect();
            assert_eq!(got, expected, "--labs {spec}");
        }
        for bad in ["", "x", "3-1", "1-", ","] {
            assert!(
                parse_selection(bad).is_err(),
                "--labs `{bad}` must be rejected"
            );
        }
    }

    #[test]
    fn lab_names_round_trip() {
        assert_eq!(lab_name(1), "lab01");
        assert_eq!(lab_number("lab01"), Some(1));
        assert_eq!(lab_number("lab12"), Some(12));
        for not_a_lab in ["lab1", "lab001", "labxx", "solutions", "lab01-solution"] {
            assert_eq!(lab_number(not_a_lab), None, "{not_a_lab}");
        }
    }

    #[test]
    fn test_names_include_proptest_and_attributed_tests() {
        let source = r#"
            #[test]
            fn t01_plain() {}

            #[test]
            #[ignore = "slow"]
            fn t02_with_attribute() {}

            fn helper() {}

            proptest! {
                #![proptest_config(config())]
                #[test]
                fn t03_property(x in 0.0..1.0f64) {}
            }
            // #[test] in a comment still counts, which is why check compares
            // these names with the test binary's own list
        "#;
        assert_eq!(
            test_names(source),
            ["t01_plain", "t02_with_attribute", "t03_property"]
        );
    }

    #[test]
    fn files_under_skips_build_output_and_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.rs",
            "sub/b.json",
            "target/x",
            ".hidden",
            "proptest-regressions/p.txt",
        ] {
            let path = root.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let files = files_under(root).unwrap();
        assert_eq!(files, [PathBuf::from("a.rs"), PathBuf::from("sub/b.json")]);
        assert!(files_under(&root.join("missing")).unwrap().is_empty());
    }

    #[test]
    fn the_course_labs_are_found_with_enough_tests() {
        let root = crate::workspace_root();
        let labs = discover(&root).unwrap();
        assert!(labs.len() >= 6, "six labs expected, found {}", names(&labs));
        for lab in &labs {
            assert!(
                lab.solution_dir.join("Cargo.toml").is_file(),
                "{} has a solution",
                lab.name
            );
            let tests = expected_tests(&lab.stub_dir).unwrap();
            assert!(tests.len() >= 8, "{} has {} tests", lab.name, tests.len());
            assert!(
                title(&lab.stub_dir).is_some(),
                "{} has a README title",
                lab.name
            );
        }
    }
}
