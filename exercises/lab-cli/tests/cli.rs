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
