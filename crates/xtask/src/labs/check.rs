//! `cargo xtask labs check`: the labs are in order.
//!
//! 1. stubs and solutions are twins ([`super::twins`]), each lab
//!    has a README with hints and a time estimate;
//! 2. the tests found in the sources are the tests the binaries list, at
//!    least eight per lab;
//! 3. every solution passes all its lab's tests, and the whole run takes
//!    under `--max-seconds` (10 s) in a debug build;
//! 4. every stub fails **each** test, each run alone: no free points;
//! 5. stubs and solutions are fmt- and clippy-clean;
//! 6. every test has a hint and every hint an existing test ([`super::hints`]);
//! 7. the tests kill the mutants of `exercises/mutants/` — the students'
//!    mistakes written as edits of the solutions ([`super::mutants`]): at
//!    least 8 per lab, at least 95 % killed (a sample per lab by default,
//!    all with `--all-mutants`);
//! 8. a handout of the labs builds on its own, grades to zero as handed
//!    out and to full marks with the solutions copied in, untampered.

use super::catalog::{self, Lab};
use super::grade::{self, Grading};
use super::manifest;
use super::points::Points;
use super::runner::{Build, Cargo, TestBinary, list_tests, run_all, run_one};
use super::{CheckArgs, handout, hints, mutants, twins};
use crate::Result;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// Fewest tests a lab may have.
const MIN_TESTS: usize = 8;

/// Runs the command.
pub fn run(root: &Path, args: &CheckArgs) -> Result {
    let labs = catalog::select(root, args.labs.as_deref())?;
    let mut problems: Vec<String> = Vec::new();
    let started = Instant::now();

    eprintln!("==> twins, READMEs and hints");
    for lab in &labs {
        for p in twins::problems(lab)? {
            problems.push(format!("{}: {p}", lab.name));
        }
        problems.extend(readme_problems(lab));
        problems.extend(hints::problems(lab)?);
    }

    eprintln!("==> building the tests of {}", catalog::names(&labs));
    let cargo = Cargo::new(root);
    let packages: Vec<String> = labs
        .iter()
        .flat_map(|l| [l.name.clone(), l.solution_package()])
        .collect();
    let package_refs: Vec<&str> = packages.iter().map(String::as_str).collect();
    let binaries = match cargo.build_tests(&package_refs)? {
        Build::Built(b) => b,
        Build::Failed(errors) => {
            return Err(format!("the labs do not build:\n{}", errors.join("\n")).into());
        }
    };

    for lab in &labs {
        match check_lab(lab, &binaries, args.max_seconds) {
            Ok(mut found) => problems.append(&mut found),
            Err(e) => problems.push(format!("{}: {e}", lab.name)),
        }
    }

    eprintln!("==> rustfmt and clippy");
    let mut fmt = vec!["fmt"];
    let mut clippy = vec!["clippy", "--all-targets"];
    for p in &package_refs {
        fmt.extend(["-p", p]);
        clippy.extend(["-p", p]);
    }
    fmt.extend(["--", "--check"]);
    clippy.extend(["--", "-D", "warnings"]);
    for cmd in [fmt, clippy] {
        if let Err(e) = cargo.run_quiet(&cmd) {
            problems.push(e.to_string());
        }
    }

    let mut scores = Vec::new();
    if args.skip_mutants {
        eprintln!("==> mutation check skipped");
    } else {
        let selection = if args.all_mutants {
            mutants::Selection::All
        } else {
            mutants::Selection::PerLab(args.mutants_per_lab)
        };
        eprintln!("==> mutation check ({selection:?})");
        let started = Instant::now();
        match mutants::run(root, &labs, selection, &mut problems) {
            Ok(s) => scores = s,
            Err(e) => problems.push(format!("mutation check: {e}")),
        }
        eprintln!(
            "  mutation check took {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }

    if args.skip_handout {
        eprintln!("==> handout round trip skipped");
    } else {
        eprintln!("==> handout round trip");
        if let Err(e) = handout_round_trip(root, &labs, &mut problems) {
            problems.push(format!("handout round trip: {e}"));
        }
    }

    if !scores.is_empty() {
        eprintln!("==> mutation scores");
        for s in &scores {
            eprintln!(
                "  {}: {}/{} killed ({:.0} %), {} mutants in the file",
                s.lab,
                s.killed,
                s.run,
                100.0 * s.ratio(),
                s.total
            );
        }
    }
    if problems.is_empty() {
        eprintln!(
            "labs check passed: {} in {:.0} s",
            catalog::names(&labs),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    } else {
        Err(format!(
            "labs check found {} problem(s):\n- {}",
            problems.len(),
            problems.join("\n- ")
        )
        .into())
    }
}

/// The lab's README must tell the student what to read, what to do, how
/// long it takes, and hide its hints.
fn readme_problems(lab: &Lab) -> Vec<String> {
    let Ok(text) = fs::read_to_string(lab.stub_dir.join("README.md")) else {
        return vec![format!("{}: README.md is missing", lab.name)];
    };
    let required = [
        ("# ", "a title"),
        ("**Время:**", "a time estimate (**Время:**)"),
        ("Глава ", "the book chapter to read"),
        ("<details>", "hints inside <details>"),
        (
            &format!("cargo test -p {}", lab.name) as &str,
            "the test command",
        ),
    ];
    required
        .iter()
        .filter(|(needle, _)| !text.contains(needle))
        .map(|(_, what)| format!("{}: README.md lacks {what}", lab.name))
        .collect()
}

/// The test binary of `dir`'s package whose target is `name`.
fn binary_of<'a>(binaries: &'a [TestBinary], dir: &Path, name: &str) -> Result<&'a TestBinary> {
    let manifest = fs::canonicalize(dir.join("Cargo.toml"))?;
    binaries
        .iter()
        .find(|b| {
            b.target == name && fs::canonicalize(&b.manifest_path).is_ok_and(|p| p == manifest)
        })
        .ok_or_else(|| format!("no test binary `{name}` built for {}", dir.display()).into())
}

fn check_lab(lab: &Lab, binaries: &[TestBinary], max_seconds: f64) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let name = &lab.name;
    let expected = catalog::expected_tests(&lab.stub_dir)?;
    let stub = binary_of(binaries, &lab.stub_dir, name)?;
    let solution = binary_of(binaries, &lab.solution_dir, name)?;
    for (who, binary) in [("stub", stub), ("solution", solution)] {
        let listed = list_tests(binary)?;
        if listed != expected {
            problems.push(format!(
                "{name}: the {who}'s test binary lists {listed:?}, the sources have {expected:?}"
            ));
        }
    }
    if expected.len() < MIN_TESTS {
        problems.push(format!(
            "{name}: {} tests, at least {MIN_TESTS} wanted",
            expected.len()
        ));
    }

    // the solution, run as a student would: all tests at once
    let (runs, elapsed) = run_all(solution, &expected, Duration::from_secs(120))?;
    for run in runs.iter().filter(|r| !r.passed) {
        problems.push(format!(
            "{name}: the solution fails {}: {}",
            run.name,
            run.message.as_deref().unwrap_or("")
        ));
    }
    if elapsed.as_secs_f64() > max_seconds {
        problems.push(format!(
            "{name}: the solution's tests take {:.1} s, more than {max_seconds} s",
            elapsed.as_secs_f64()
        ));
    }

    // the stub, one test per process: each must fail, and fail fast
    let mut stub_time = 0.0;
    for test in &expected {
        let run = run_one(stub, test, Duration::from_secs(60))?;
        stub_time += run.seconds;
        if run.passed {
            problems.push(format!("{name}: the stub passes {test} — a free point"));
        } else if run.seconds > max_seconds {
            problems.push(format!(
                "{name}: the stub's {test} takes {:.1} s to fail",
                run.seconds
            ));
        }
    }
    eprintln!(
        "  {name}: {} tests; solution passes {}/{} in {:.2} s; stub fails each, {:.2} s in all",
        expected.len(),
        runs.iter().filter(|r| r.passed).count(),
        expected.len(),
        elapsed.as_secs_f64(),
        stub_time
    );
    Ok(problems)
}

/// `cargo lab hint N t01` works in the handout for each lab handed out.
fn companion_works(out: &Path, target: &Path, labs: &[Lab], problems: &mut Vec<String>) -> Result {
    for lab in labs {
        let n = lab.number.to_string();
        let run = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args(["lab", "hint", &n, "t01"])
            .current_dir(out.join(&lab.name))
            .env("CARGO_TARGET_DIR", target)
            .output()?;
        let stdout = String::from_utf8_lossy(&run.stdout);
        if !run.status.success() || !stdout.contains(&format!("Лабораторная {n}, t01"))
        {
            problems.push(format!(
                "handout: `cargo lab hint {n} t01` fails: {}",
                String::from_utf8_lossy(&run.stderr).trim()
            ));
        }
    }
    eprintln!("  cargo lab hint works in the handout");
    Ok(())
}

/// Makes a handout under `target/labs-check/`, grades it bare (all zero)
/// and with the solutions copied in (full marks).
fn handout_round_trip(root: &Path, labs: &[Lab], problems: &mut Vec<String>) -> Result {
    // a lab is handed out with the earlier labs it builds on
    let labs = &mutants::with_earlier_labs(root, labs)?;
    let work = root.join("target/labs-check");
    let out = work.join("handout");
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    handout::write(root, labs, &out)?;
    companion_works(&out, &work.join("target"), labs, problems)?;
    let expected = manifest::for_course(root, labs)?;
    let points = Points::load(&root.join("exercises/points.toml"), false)?;
    let grading = Grading {
        dir: &out,
        expected: &expected,
        labs: labs.iter().map(|l| l.name.clone()).collect(),
        points: &points,
        timeout: Duration::from_secs(120),
        // registry dependencies compile once and stay cached between checks
        target_dir: Some(work.join("target")),
    };

    let bare = grade::grade(&grading)?;
    for lab in &bare.labs {
        if let Some(error) = &lab.build_error {
            problems.push(format!(
                "handout {}: does not build on its own:\n{error}",
                lab.lab
            ));
        }
        if lab.passed != 0 || lab.tampered {
            problems.push(format!(
                "handout {}: as handed out it grades {}/{} (tampered: {}), expected 0",
                lab.lab, lab.passed, lab.total, lab.tampered
            ));
        }
    }
    eprintln!(
        "  bare handout: {}/{} points, as it should be 0",
        bare.points, bare.max_points
    );

    for lab in labs {
        let src = out.join(&lab.name).join("src");
        fs::remove_dir_all(&src)?;
        for file in catalog::files_under(&lab.solution_dir.join("src"))? {
            let target = src.join(&file);
            fs::create_dir_all(target.parent().expect("a file has a parent"))?;
            fs::copy(lab.solution_dir.join("src").join(&file), target)?;
        }
    }
    let solved = grade::grade(&grading)?;
    for lab in &solved.labs {
        if lab.passed != lab.total || lab.tampered || lab.build_error.is_some() {
            problems.push(format!(
                "handout {} with the solution: {}/{} (tampered: {}, build error: {})",
                lab.lab,
                lab.passed,
                lab.total,
                lab.tampered,
                lab.build_error.is_some()
            ));
        }
    }
    eprintln!(
        "  handout with solutions: {}/{} points",
        solved.points, solved.max_points
    );
    Ok(())
}
