//! The red team: real handouts, graded by the real `xtask` binary, played
//! by a student who wants marks without the work. Every cheat of issue 11
//! and every rule of the static check has its submission here, and each
//! must earn nothing for what it faked.
//!
//! One warm build serves the whole suite: every grading uses the same work
//! directory (staging workspace and cargo target), so third-party crates
//! compile once; the tests take turns through one lock. Labs 1–2 by
//! default (the light ones); `GRADE_REDTEAM_FULL=1` grades labs 1–6.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The course repository (this crate is `crates/xtask`).
fn course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the root")
        .to_path_buf()
}

fn full() -> bool {
    std::env::var_os("GRADE_REDTEAM_FULL").is_some_and(|v| v != "0")
}

fn labs() -> Vec<String> {
    let n = if full() { 6 } else { 2 };
    (1..=n).map(|i| format!("lab{i:02}")).collect()
}

fn lab_spec() -> &'static str {
    if full() { "1-6" } else { "1-2" }
}

/// The shared state: a handout made once, and the one work directory.
struct Fixture {
    /// Kept alive for the suite.
    _dir: tempfile::TempDir,
    /// The handout as `labs handout` wrote it (never modified).
    handout: PathBuf,
    /// The grader's work directory (one warm cargo target for all).
    work: PathBuf,
    /// Scratch space for submissions.
    scratch: PathBuf,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();
static TURN: Mutex<()> = Mutex::new(());

/// Takes the lock (gradings share the staging workspace) and the fixture.
fn fixture() -> (MutexGuard<'static, ()>, &'static Fixture) {
    let guard = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let fixture = FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // the work directory `labs check` uses (target/labs-check/target):
        // CI's later `labs check` finds it warm, and the cache survives runs
        let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("CARGO_TARGET_TMPDIR is target/tmp")
            .join("labs-check/target");
        let handout = dir.path().join("handout");
        let scratch = dir.path().join("scratch");
        fs::create_dir_all(&scratch).unwrap();
        let out = xtask(&[
            "labs",
            "handout",
            "--labs",
            lab_spec(),
            "--out",
            handout.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
        ]);
        assert!(
            out.0,
            "the handout is written and passes its own check:\n{}",
            out.1
        );
        Fixture {
            _dir: dir,
            handout,
            work,
            scratch,
        }
    });
    (guard, fixture)
}

/// Runs the xtask binary; (success, stderr + stdout).
fn xtask(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("xtask runs");
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stdout));
    (out.status.success(), text)
}

/// `labs grade --class CLASS --labs 1-2 --output OUT` in the fixture's work
/// directory, with `extra` options; it must succeed.
fn grade_class(f: &Fixture, class: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "labs",
        "grade",
        "--class",
        class.to_str().unwrap(),
        "--labs",
        "1-2",
        "--output",
        out.to_str().unwrap(),
        "--work-dir",
        f.work.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (ok, text) = xtask(&args);
    assert!(ok, "{text}");
}

/// The JSON report of `student` in a class's output folder.
fn student_report(out: &Path, student: &str) -> Value {
    let file = out.join(format!("{student}.json"));
    serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Fixture {
    /// A fresh copy of the handout called `name`.
    fn submission(&self, name: &str) -> PathBuf {
        let dir = self.scratch.join(name);
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        copy_dir(&self.handout, &dir);
        dir
    }

    /// Grades one submission, JSON report parsed; `extra` options added.
    fn grade(&self, dir: &Path, extra: &[&str]) -> Value {
        let mut args = vec![
            "labs",
            "grade",
            "--dir",
            dir.to_str().unwrap(),
            "--labs",
            lab_spec(),
            "--format",
            "json",
            "--timeout",
            "20",
            "--work-dir",
            self.work.to_str().unwrap(),
        ];
        args.extend(extra);
        let (ok, text) = xtask(&args);
        assert!(ok, "grade ran:\n{text}");
        let json = &text[text.find("\n{").map_or(0, |i| i + 1)..];
        serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON report ({e}):\n{text}"))
    }
}

/// Puts the official solution of every graded lab into `dir`.
fn solve(dir: &Path) {
    for lab in labs() {
        solve_lab(dir, &lab);
    }
}

fn solve_lab(dir: &Path, lab: &str) {
    let src = dir.join(lab).join("src");
    fs::remove_dir_all(&src).unwrap();
    copy_dir(
        &course().join("exercises/solutions").join(lab).join("src"),
        &src,
    );
}

fn lab<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["labs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lab"] == name)
        .unwrap_or_else(|| panic!("{name} in the report"))
}

fn points(report: &Value, name: &str) -> f64 {
    lab(report, name)["points"].as_f64().unwrap()
}

fn messages(report: &Value, name: &str) -> String {
    lab(report, name)["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["message"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn flags(report: &Value, name: &str) -> String {
    lab(report, name)["flags"].to_string()
}

/// The report without what may differ between two gradings of the same
/// work: run times and the folder it was graded from.
fn stable(mut report: Value) -> Value {
    report["dir"] = Value::Null;
    for lab in report["labs"].as_array_mut().unwrap() {
        for t in lab["tests"].as_array_mut().unwrap() {
            t["seconds"] = Value::Null;
        }
    }
    report
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn the_bare_handout_earns_nothing_and_the_solved_one_everything() {
    let (_turn, f) = fixture();
    let bare = f.grade(&f.handout, &[]);
    assert_eq!(bare["points"], 0.0, "{bare:#}");
    let solved_dir = f.submission("solved");
    solve(&solved_dir);
    let solved = f.grade(&solved_dir, &[]);
    assert_eq!(solved["points"], solved["max_points"], "{solved:#}");
    for name in labs() {
        let l = lab(&solved, &name);
        assert_eq!(l["passed"], l["total"], "{name}: {l:#}");
        assert_eq!(l["tampered"], false);
        assert!(l["flags"].as_array().unwrap().is_empty(), "{name}: {l:#}");
    }
    // the hidden test is graded, with its weight, and is not in the handout
    let hidden = lab(&solved, "lab01")["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["hidden"] == true)
        .cloned()
        .expect("lab01 has a hidden test");
    assert_eq!(hidden["passed"], true);
    let name = hidden["name"].as_str().unwrap();
    let handout_text = fs::read_to_string(f.handout.join("points.toml")).unwrap();
    assert!(
        !handout_text.contains(name),
        "hidden test named in the handout"
    );
    assert!(!f.handout.join("lab01/tests/hidden.rs").exists());
}

/// Cheat 1: print libtest's `ok` lines and exit with 0.
#[test]
fn forged_ok_lines_and_exit_zero_earn_nothing() {
    let (_turn, f) = fixture();
    let dir = f.submission("forger");
    let stub = fs::read_to_string(dir.join("lab01/src/lib.rs")).unwrap();
    // libtest's own lines for every test of the lab, straight to the real
    // stdout (past libtest's capture), then a clean exit
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(dir.join(".labs/manifest.json")).unwrap())
            .unwrap();
    let lines: String = manifest["labs"]["lab01"]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("test {} ... ok\\n", t.as_str().unwrap()))
        .collect();
    let forge = format!(
        "{{ use std::io::Write as _; let _ = std::io::stdout().write_all(b\"running 1 test\\n{lines}\\ntest result: ok. 1 passed\\n\"); \
         let _ = std::io::stdout().flush(); std::process::exit(0) }}"
    );
    let forged = stub.replace("todo!()", &forge);
    assert_ne!(forged, stub);
    write(&dir, "lab01/src/lib.rs", &forged);
    // the static check stops it before it runs
    let report = f.grade(&dir, &[]);
    assert_eq!(points(&report, "lab01"), 0.0);
    assert!(flags(&report, "lab01").contains("`process`"), "{report:#}");
    // and if the teacher lets it run, the forged lines are not a verdict
    let accepted = f.grade(&dir, &["--accept-flagged", "lab01"]);
    let l = lab(&accepted, "lab01");
    assert_eq!(l["points"], 0.0, "{l:#}");
    assert_eq!(l["flags_accepted"], true);
    assert!(
        messages(&accepted, "lab01").contains("нет подписанной отметки"),
        "{l:#}"
    );
}

/// Cheat 2: a lab `Cargo.toml` of the student's (own test target of empty
/// tests, the course's library as a dependency).
#[test]
fn the_students_cargo_toml_is_never_used() {
    let (_turn, f) = fixture();
    let dir = f.submission("manifest-cheat");
    let manifest = fs::read_to_string(dir.join("lab01/Cargo.toml")).unwrap();
    let cheat = manifest.replace(
        "[lints]",
        "autotests = false\n\n[[test]]\nname = \"lab01\"\npath = \"fake/lab01.rs\"\n\n[lints]",
    ) + "activations = { path = \"../../crates/activations\" }\n";
    write(&dir, "lab01/Cargo.toml", &cheat);
    let names = [
        "t01_sigmoid_at_zero_and_symmetry",
        "t02_sigmoid_matches_pytorch_even_far_from_zero",
    ];
    let fake: String = names
        .iter()
        .map(|n| format!("#[test]\nfn {n}() {{}}\n"))
        .collect();
    write(&dir, "lab01/fake/lab01.rs", &fake);
    // the stub "solved" by calling the course's library
    let stub = fs::read_to_string(dir.join("lab01/src/lib.rs")).unwrap();
    write(
        &dir,
        "lab01/src/lib.rs",
        &stub.replacen("    todo!()\n", "    activations::sigmoid(x)\n", 1),
    );
    write(&dir, "lab01/build.rs", "fn main() {}\n");
    let report = f.grade(&dir, &[]);
    let l = lab(&report, "lab01");
    assert_eq!(l["points"], 0.0, "{l:#}");
    assert!(
        l["build_error"]
            .as_str()
            .unwrap_or("")
            .contains("activations"),
        "{l:#}"
    );
    let changed = l["tampered_files"].to_string();
    for file in ["lab01/Cargo.toml", "lab01/fake/lab01.rs", "lab01/build.rs"] {
        assert!(changed.contains(file), "{file} listed: {changed}");
    }
}

/// Cheat 3: edited tests (emptied); and a workspace manifest with a `[patch]`.
#[test]
fn edited_tests_and_workspace_files_are_listed_and_never_built() {
    let (_turn, f) = fixture();
    let dir = f.submission("test-editor");
    let emptied: String = (1..=9)
        .map(|i| format!("#[test]\nfn t0{i}() {{}}\n"))
        .collect();
    write(&dir, "lab01/tests/lab01.rs", &emptied);
    let ws = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    write(
        &dir,
        "Cargo.toml",
        &(ws + "\n[patch.crates-io]\nlibm = { path = \"gradcheck\" }\n"),
    );
    write(
        &dir,
        ".cargo/config.toml",
        "[build]\nrustflags = [\"--cfg\", \"cheat\"]\n",
    );
    let report = f.grade(&dir, &[]);
    let l = lab(&report, "lab01");
    assert_eq!(l["points"], 0.0, "{l:#}");
    assert_eq!(l["tampered"], true);
    assert!(
        l["tampered_files"]
            .to_string()
            .contains("lab01/tests/lab01.rs")
    );
    let ws = report["workspace_changes"].to_string();
    assert!(ws.contains("Cargo.toml") && ws.contains(".cargo"), "{ws}");
}

/// Cheat 4 and point 3: the same folder graded twice, before and after
/// others, with old timestamps, and with `CARGO_TARGET_DIR` set.
#[test]
fn regrading_gives_the_same_report() {
    let (_turn, f) = fixture();
    let dir = f.submission("regrade");
    solve(&dir);
    // a file older than every build: mtime-based freshness would keep the
    // previous submission's build
    for lab in labs() {
        let status = Command::new("touch")
            .args(["-d", "2001-01-01"])
            .arg(dir.join(&lab).join("src/lib.rs"))
            .status();
        assert!(status.is_ok_and(|s| s.success()), "touch -d");
    }
    let first = stable(f.grade(&dir, &[]));
    let bare = f.grade(&f.handout, &[]);
    assert_eq!(bare["points"], 0.0);
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "labs",
            "grade",
            "--dir",
            dir.to_str().unwrap(),
            "--labs",
            lab_spec(),
        ])
        .args(["--format", "json", "--work-dir", f.work.to_str().unwrap()])
        .env("CARGO_TARGET_DIR", f.scratch.join("elsewhere"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let second = stable(serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(first, second, "two gradings of the same work differ");
    assert_eq!(first["points"], first["max_points"]);
}

/// Point 2: one submission per rule of the static check, each in lab02
/// (lab01 solved, to show the other labs still count). One class run.
#[test]
fn each_rule_of_the_static_check_flags_its_lab_and_gives_zero() {
    let (_turn, f) = fixture();
    let class = f.scratch.join("rules");
    if class.exists() {
        fs::remove_dir_all(&class).unwrap();
    }
    let cheats: [(&str, &str, &str); 11] = [
        (
            "env",
            "pub fn k() -> Option<String> { std::env::var(\"GRADE\").ok() }",
            "`env`",
        ),
        (
            "fs",
            "pub fn k() -> String { std::fs::read_to_string(\"../tests/lab02.rs\").unwrap() }",
            "`fs`",
        ),
        (
            "include",
            "pub const K: &str = include_str!(\"../tests/reference.json\");",
            "`include_str!`",
        ),
        (
            "path",
            "#[path = \"../tests/lab02.rs\"]\nmod k;",
            "`#[path]`",
        ),
        (
            "macro",
            "#[macro_export]\nmacro_rules! assert { ($($t:tt)*) => {} }",
            "`macro_rules! assert`",
        ),
        (
            "unsafe",
            "pub fn k() -> u8 { unsafe { *(8 as *const u8) } }",
            "`unsafe`",
        ),
        (
            "extern",
            "unsafe extern \"C\" { fn exit(code: i32); }",
            "`extern`",
        ),
        (
            "no_mangle",
            "#[unsafe(no_mangle)]\npub extern \"C\" fn main() {}",
            "`#[no_mangle]`",
        ),
        (
            "allocator",
            "#[global_allocator]\nstatic A: std::alloc::System = std::alloc::System;",
            "`#[global_allocator]`",
        ),
        (
            "partial_eq",
            "pub struct K;\nimpl PartialEq for K { fn eq(&self, _: &K) -> bool { true } }",
            "`PartialEq`",
        ),
        (
            "process",
            "pub fn k() { let _ = std::process::Command::new(\"true\").status(); }",
            "`process`",
        ),
    ];
    for (name, code, _) in &cheats {
        let dir = class.join(name);
        copy_dir(&f.handout, &dir);
        solve_lab(&dir, "lab01");
        let stub = fs::read_to_string(dir.join("lab02/src/lib.rs")).unwrap();
        write(&dir, "lab02/src/lib.rs", &format!("{stub}\n{code}\n"));
    }
    let out = f.scratch.join("rules-reports");
    grade_class(f, &class, &out, &[]);
    for (name, _, expected) in &cheats {
        let report = student_report(&out, name);
        assert_eq!(points(&report, "lab02"), 0.0, "{name}");
        assert!(
            flags(&report, "lab02").contains(expected),
            "{name}: {}",
            flags(&report, "lab02")
        );
        assert_eq!(
            points(&report, "lab01"),
            10.0,
            "{name}: the clean lab still counts"
        );
    }
    let csv = fs::read_to_string(out.join("class.csv")).unwrap();
    assert!(csv.contains("lab02: помечено lab02/src/lib.rs"), "{csv}");
}

/// Point 5: a class of three, and submissions that loop, overflow the
/// stack, exhaust memory or do not compile cost only their own lab.
#[test]
fn a_class_is_graded_at_once_and_runaway_code_costs_only_its_lab() {
    let (_turn, f) = fixture();
    let class = f.scratch.join("class");
    if class.exists() {
        fs::remove_dir_all(&class).unwrap();
    }
    copy_dir(&f.handout, &class.join("ivanova"));
    solve(&class.join("ivanova"));
    copy_dir(&f.handout, &class.join("petrov"));
    let runaway = [
        ("loops", "loop { std::hint::black_box(x); }"),
        ("recurses", "sigmoid(x + 1.0) + 1.0"),
        (
            "hoards",
            "{ let v = vec![1u8; 1 << 40]; v[(x as usize) % 7] as f64 }",
        ),
        ("broken", "x +"),
    ];
    for (name, body) in runaway {
        let dir = class.join(name);
        copy_dir(&f.handout, &dir);
        solve(&dir);
        let solution = fs::read_to_string(dir.join("lab01/src/lib.rs")).unwrap();
        let at = solution
            .find("1.0 / (1.0 + (-x).exp())")
            .expect("the solution's sigmoid");
        let mut text = solution.clone();
        text.replace_range(at..at + "1.0 / (1.0 + (-x).exp())".len(), body);
        write(&dir, "lab01/src/lib.rs", &text);
    }
    let out = f.scratch.join("class-reports");
    grade_class(f, &class, &out, &["--timeout", "3", "--memory-mb", "1024"]);
    let read = |name: &str| student_report(&out, name);
    assert_eq!(read("ivanova")["points"], 20.0);
    assert_eq!(read("petrov")["points"], 0.0);
    for (name, reason) in [
        ("loops", "превышено время"),
        ("recurses", "переполнение стека"),
        ("hoards", "не хватило памяти"),
    ] {
        let report = read(name);
        assert!(points(&report, "lab01") < 10.0, "{name}");
        assert!(
            messages(&report, "lab01").contains(reason),
            "{name}: {}",
            messages(&report, "lab01")
        );
        assert_eq!(
            points(&report, "lab02"),
            10.0,
            "{name}: lab02 is not affected"
        );
    }
    let broken = read("broken");
    assert_eq!(points(&broken, "lab01"), 0.0);
    assert!(lab(&broken, "lab01")["build_error"].is_string());
    assert_eq!(points(&broken, "lab02"), 10.0);
    // the class table: one row per student, in order
    let csv = fs::read_to_string(out.join("class.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "student,lab01,lab02,total,max_points,flags");
    assert_eq!(rows.len(), 1 + 6, "{csv}");
    assert!(rows[3].starts_with("\"ivanova\",10,10,20,20,"), "{csv}");
    assert!(rows[5].starts_with("\"petrov\",0,0,0,20,"), "{csv}");
    let table: Value =
        serde_json::from_str(&fs::read_to_string(out.join("class.json")).unwrap()).unwrap();
    assert_eq!(table.as_array().unwrap().len(), 6);
    let md = fs::read_to_string(out.join("ivanova.md")).unwrap();
    assert!(
        md.contains("| **Итого** |") && md.contains("(скрытый)"),
        "{md}"
    );
}

/// Point 6: `handout` refuses a handout in which a stub passes a test,
/// even when no solution text was copied into it.
#[test]
fn a_handout_whose_stub_passes_a_test_is_refused() {
    let (_turn, f) = fixture();
    let fake = f.scratch.join("course");
    if fake.exists() {
        fs::remove_dir_all(&fake).unwrap();
    }
    let root = course();
    fs::create_dir_all(&fake).unwrap();
    for file in ["Cargo.toml", "Cargo.lock", "rustfmt.toml"] {
        if root.join(file).is_file() {
            fs::copy(root.join(file), fake.join(file)).unwrap();
        }
    }
    copy_dir(
        &root.join("crates/gradcheck"),
        &fake.join("crates/gradcheck"),
    );
    copy_dir(&root.join("exercises"), &fake.join("exercises"));
    // a sigmoid written differently from the solution: no text to find
    let stub_path = fake.join("exercises/lab01/src/lib.rs");
    let stub = fs::read_to_string(&stub_path).unwrap();
    fs::write(
        &stub_path,
        stub.replacen(
            "    todo!()\n",
            "    let e = (-x).exp();\n    1.0 / (e + 1.0)\n",
            1,
        ),
    )
    .unwrap();
    let out = f.scratch.join("refused");
    let (ok, text) = xtask(&[
        "labs",
        "handout",
        "--course",
        fake.to_str().unwrap(),
        "--labs",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--work-dir",
        f.work.to_str().unwrap(),
    ]);
    assert!(!ok, "a leaking handout must be refused:\n{text}");
    assert!(
        text.contains("the stub passes t01_sigmoid_at_zero_and_symmetry"),
        "{text}"
    );
    assert!(!out.exists(), "the refused handout is deleted");
}
