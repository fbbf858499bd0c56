//! The `lab` binary against the course's own labs: hints are read from the
//! real `hints.toml` files, and a wrong request is a message, not a panic.

use std::process::Command;

fn lab(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn hint_shows_the_first_level_and_the_command_for_the_next() {
    let (ok, out, err) = lab(&["hint", "1", "t07"]);
    assert!(ok, "{err}");
    assert!(out.contains("Лабораторная 1, t07"), "{out}");
    assert!(out.contains("Подсказка 1 из"), "{out}");
    assert!(out.contains("cargo lab hint 1 t07 --level 2"), "{out}");
    let (ok, all, _) = lab(&["hint", "1", "t07", "--all"]);
    assert!(ok && all.contains("Подсказка 2 из"), "{all}");
}

#[test]
fn every_lab_of_the_course_has_hints() {
    let course = lab::Course::find(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert!(!course.labs().is_empty());
    for n in course.labs() {
        let (ok, out, err) = lab(&["hint", &n.to_string(), "t01"]);
        assert!(ok, "lab {n}: {err}");
        assert!(out.contains(&format!("Лабораторная {n}, t01")), "{out}");
    }
}

#[test]
fn an_unknown_test_is_an_error_message() {
    let (ok, _, err) = lab(&["hint", "1", "t99"]);
    assert!(!ok);
    assert!(err.contains("нет теста t99"), "{err}");
}

/// A course of two labs without dependencies, built in its own target
/// directory: lab01 with one passing and one failing test, lab02 that does
/// not compile.
fn tiny_course(root: &std::path::Path) {
    use std::fs;
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"lab01\", \"lab02\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    for (lab, title, lib, tests) in [
        (
            "lab01",
            "# Лабораторная 1. Функции активации\n",
            "pub fn one() -> i32 { 1 }\npub fn two() -> i32 { 3 }\n",
            "#[test]\nfn t01_one() { assert_eq!(lab01::one(), 1); }\n\
             #[test]\nfn t02_two() { assert_eq!(lab01::two(), 2, \"ожидалось 2\"); }\n",
        ),
        (
            "lab02",
            "# Лабораторная 2. Функции потерь\n",
            "pub fn broken( {}\n",
            "#[test]\nfn t01_x() {}\n",
        ),
    ] {
        let dir = root.join(lab);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{lab}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        )
        .unwrap();
        fs::write(dir.join("README.md"), title).unwrap();
        fs::write(dir.join("src/lib.rs"), lib).unwrap();
        fs::write(dir.join(format!("tests/{lab}.rs")), tests).unwrap();
        fs::write(
            dir.join("hints.toml"),
            "[t01]\nsummary = \"первый\"\nhints = [\"а\", \"б\"]\n\
             [t02]\nsummary = \"два, а не три\"\nhints = [\"а\", \"б\"]\n",
        )
        .unwrap();
    }
}

#[test]
fn the_progress_table_of_a_course_with_a_failing_and_a_broken_lab() {
    let tmp = tempfile::tempdir().unwrap();
    tiny_course(tmp.path());
    let out = Command::new(env!("CARGO_BIN_EXE_lab"))
        .current_dir(tmp.path())
        .env("CARGO_TARGET_DIR", tmp.path().join("target"))
        .output()
        .expect("the binary runs");
    let table = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // the broken lab02 does not stop lab01's tests
    assert!(
        table.contains("lab01 Функции активации    1/2   t02: два, а не три"),
        "{table}\n{err}"
    );
    assert!(
        table.contains("lab02 Функции потерь         —   не собирается: cargo test -p lab02"),
        "{table}\n{err}"
    );
    assert!(table.contains("cargo lab hint 1 t02"), "{table}");
    // cargo's own progress reaches the student while the labs build
    assert!(err.contains("Compiling lab01"), "{err}");
}
