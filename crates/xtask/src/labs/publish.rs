//! `cargo xtask labs handout`: writes a handout (`handout::write`), then
//! grades it with the real grader and refuses it if any stub passes any test.
//!
//! Apart from `handout.rs` because it needs the grader, and the grader
//! needs the handout's workspace manifest: this way both depend on
//! `handout.rs`, and nothing depends back on this module.

use super::HandoutArgs;
use super::catalog::{self, Lab};
use super::grade::{self, Accept, Grader};
use super::handout::write;
use super::points::Points;
use super::stage::Course;
use crate::Result;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// `cargo xtask labs handout`: writes the handout, then refuses it (and
/// deletes it) if any stub passes any test.
pub fn run(root: &Path, args: &HandoutArgs) -> Result {
    let root = args.course.clone().unwrap_or_else(|| root.to_path_buf());
    let labs = catalog::select(&root, args.labs.as_deref())?;
    let written = write(&root, &labs, &args.out)?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| root.join("target/labs-grade"));
    eprintln!("checking that no stub passes a test (builds the handout once)");
    if let Err(e) = refuse_free_points(&root, &labs, &args.out, &work) {
        fs::remove_dir_all(&args.out)?;
        return Err(format!("{e}\nthe handout at {} was deleted", args.out.display()).into());
    }
    eprintln!(
        "handout with {} written to {} ({} files); no solution code in it, every stub fails every test",
        catalog::names(&labs),
        args.out.display(),
        written
    );
    Ok(())
}

/// Fails if a handout in `out` gives free points: grades it as it is —
/// with the real grader, the course's tests, hidden ones included — and
/// names every test a stub passes, whatever the reason (a solution copied
/// in, a test that asserts nothing, a stub that is already right). Also
/// the check `labs check` wants.
pub fn refuse_free_points(root: &Path, labs: &[Lab], out: &Path, work: &Path) -> Result {
    let points = Points::load(&root.join("exercises/points.toml"), false)?;
    let course = Course::load(root, points)?;
    let options = grade::Options {
        timeout: Duration::from_secs(60),
        memory_mb: Some(grade::DEFAULT_MEMORY_MB),
        // the course's own stubs: nothing to suspect, run them all
        accept: Accept::parse(Some("all")),
    };
    let grader = Grader::new(course, work, options)?;
    let names: Vec<String> = labs.iter().map(|l| l.name.clone()).collect();
    let report = grader.grade("handout", out, &names)?;
    let mut free = Vec::new();
    for lab in &report.labs {
        if let Some(error) = &lab.build_error {
            free.push(format!("{} does not build: {error}", lab.lab));
        }
        for t in lab.tests.iter().filter(|t| t.passed) {
            free.push(format!("{}: the stub passes {}", lab.lab, t.name));
        }
    }
    if free.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the handout gives free points ({} found), it must not be given out:\n- {}",
            free.len(),
            free.join("\n- ")
        )
        .into())
    }
}
