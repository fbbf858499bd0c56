//! `cargo xtask labs …`: the teacher's tools for the labs in `exercises/`.
//!
//! * `check` — every solution passes all of its lab's tests, every stub
//!   fails each of them (run one by one), stubs and solutions are twins,
//!   fmt- and clippy-clean, and a handout builds and grades as it should;
//! * `handout` — a standalone student workspace with the chosen labs;
//! * `grade` — grades a submission (or a class folder of them): only each
//!   lab's `src/` is built, inside the teacher's copy, and every test's
//!   verdict is signed by the teacher's harness; Markdown and JSON reports;
//! * `mutants` — the mutation check alone: do the tests catch the mistakes
//!   in `exercises/mutants/`;
//! * `release` — copies a lab's reference solution into a students' tree
//!   after its deadline.
//!
//! The logic lives in small modules, each with its own unit tests:
//! [`catalog`] finds labs and their files, [`libtest`] parses test-binary
//! output, [`runner`] builds with cargo and runs single tests with a time
//! limit, [`manifest`] hashes the handed-out files, [`points`] reads the
//! weights, [`twins`] compares stubs with solutions, [`leak`] looks for
//! solution code in a handout, [`stage`] builds a submission's `src/` in
//! the teacher's copy, [`instrument`] weaves the verdict harness into the
//! teacher's tests, [`scan`] reads the student's code for what could fake
//! a result, and [`report`] renders the grade; [`hints`] ties tests to
//! hints, [`mutants`] runs the mutation check, [`release`] hands out a
//! solution after the deadline.

use crate::Result;
use std::path::PathBuf;

mod catalog;
mod check;
mod grade;
mod handout;
mod hints;
mod instrument;
mod leak;
mod libtest;
mod manifest;
mod mutants;
mod points;
mod publish;
mod release;
mod report;
mod runner;
mod scan;
mod stage;
mod twins;

/// The lab subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Every solution passes its lab's tests; every stub fails each of them.
    Check(CheckArgs),
    /// Write a standalone student workspace with the chosen labs.
    Handout(HandoutArgs),
    /// Run a student's workspace and report tests passed, points and tampering.
    Grade(Box<GradeArgs>),
    /// The mutation check alone: each mutant of `exercises/mutants/` must fail a test.
    Mutants(MutantsArgs),
    /// Copy lab N's reference solution into a students' handout (after its deadline).
    Release(ReleaseArgs),
}

/// Options of `cargo xtask labs mutants`.
#[derive(clap::Args)]
pub struct MutantsArgs {
    /// Labs to check, e.g. `1-3` or `2,5` (default: all).
    #[arg(long)]
    pub labs: Option<String>,
    /// Run every mutant, not a sample per lab.
    #[arg(long)]
    pub all_mutants: bool,
    /// Mutants per lab in the quick run (spread over each lab's list).
    #[arg(long, default_value_t = 3)]
    pub mutants_per_lab: usize,
}

/// Options of `cargo xtask labs release`.
#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// The lab whose solution to release, e.g. `3`.
    pub lab: u32,
    /// The students' handout (made by `cargo xtask labs handout`).
    #[arg(long)]
    pub dir: PathBuf,
    /// Overwrite the student's `src/` even if it differs from the stub (their work is
    /// kept in `src.before-release/`).
    #[arg(long)]
    pub force: bool,
}

/// Options of `cargo xtask labs check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Labs to check, e.g. `1-3` or `2,5` (default: all).
    #[arg(long)]
    pub labs: Option<String>,
    /// Skip the handout round trip (build a handout, grade it bare and solved).
    #[arg(long)]
    pub skip_handout: bool,
    /// Largest allowed time, in seconds, for one lab's whole test run (solution, debug build).
    #[arg(long, default_value_t = 10.0)]
    pub max_seconds: f64,
    /// Run every mutant of every lab (default: a sample of `--mutants-per-lab`).
    #[arg(long)]
    pub all_mutants: bool,
    /// Mutants per lab in the quick run (spread over each lab's list).
    #[arg(long, default_value_t = 3)]
    pub mutants_per_lab: usize,
    /// Skip the mutation check.
    #[arg(long)]
    pub skip_mutants: bool,
}

/// Options of `cargo xtask labs handout`.
#[derive(clap::Args)]
pub struct HandoutArgs {
    /// Directory to create (must not exist or be empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Labs to include, e.g. `1-3` or `2,5` (default: all).
    #[arg(long)]
    pub labs: Option<String>,
    /// The course to hand out (default: this repository).
    #[arg(long)]
    pub course: Option<PathBuf>,
    /// Work directory for the stub check (default: `target/labs-grade`).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
}

/// Options of `cargo xtask labs grade`.
#[derive(clap::Args)]
pub struct GradeArgs {
    /// The student's workspace (a handout with their work in it).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// A class: a folder with one sub-folder per student; reports go to
    /// `--output DIR` (one `.md` and `.json` each, `class.csv`, `class.json`).
    #[arg(long, conflicts_with = "dir")]
    pub class: Option<PathBuf>,
    /// Report format: `md` for people, `json` for a course system.
    #[arg(long, value_enum, default_value_t = report::Format::Md)]
    pub format: report::Format,
    /// Labs to grade, e.g. `1-3` (default: those in the workspace).
    #[arg(long)]
    pub labs: Option<String>,
    /// Points per lab and test, hidden tests (default: `exercises/points.toml`).
    #[arg(long)]
    pub points: Option<PathBuf>,
    /// Time limit for one test, in seconds.
    #[arg(long, default_value_t = 120.0)]
    pub timeout: f64,
    /// Memory (address space) limit of one test process, in MiB; 0: none.
    #[arg(long, default_value_t = grade::DEFAULT_MEMORY_MB)]
    pub memory_mb: u64,
    /// Grade flagged labs anyway, after looking at them: `all`, or a list
    /// like `lab03,ivanov/lab05`.
    #[arg(long)]
    pub accept_flagged: Option<String>,
    /// The teacher's course to grade against (default: this repository).
    #[arg(long)]
    pub course: Option<PathBuf>,
    /// The grader's work directory: staging workspace and its cargo target
    /// (default: `target/labs-grade` of the course; `CARGO_TARGET_DIR` is ignored).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Write the report to this file (with `--class`: the reports' folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Runs a lab subcommand.
pub fn run(cmd: Command) -> Result {
    let root = crate::workspace_root();
    match cmd {
        Command::Check(args) => check::run(&root, &args),
        Command::Handout(args) => publish::run(&root, &args),
        Command::Grade(args) => grade::run(&root, &args),
        Command::Mutants(args) => {
            let labs = catalog::select(&root, args.labs.as_deref())?;
            let selection = if args.all_mutants {
                mutants::Selection::All
            } else {
                mutants::Selection::PerLab(args.mutants_per_lab)
            };
            let started = std::time::Instant::now();
            let mut problems = Vec::new();
            mutants::run(&root, &labs, selection, &mut problems)?;
            eprintln!("mutants run in {:.0} s", started.elapsed().as_secs_f64());
            if problems.is_empty() {
                Ok(())
            } else {
                Err(format!("mutation check: {}", problems.join("\n- ")).into())
            }
        }
        Command::Release(args) => release::run(&root, &args),
    }
}
