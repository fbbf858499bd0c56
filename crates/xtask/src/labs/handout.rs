//! A handout: a standalone student workspace, written by [`write`] (the
//! `cargo xtask labs handout` command, in `publish.rs`, then grades it).
//!
//! ```text
//! OUT/
//!   Cargo.toml          its own workspace: the labs + gradcheck, the course's
//!                       dependency versions, lints and `opt-level = 3` for deps
//!   Cargo.lock          the course's, so students build the tested versions
//!   README.md           for students (from exercises/HANDOUT.md)
//!   points.toml         how the labs are weighed (for information; hidden tests left out)
//!   .labs/manifest.json tests and hashes of the protected files, for `grade`
//!   gradcheck/          the course's finite-difference crate, copied
//!   lab-cli/            `cargo lab` (progress, hints, watch), with its alias in
//!                       .cargo/config.toml
//!   labNN/              stub, README, tests, data — never the solution
//! ```

use super::catalog::{self, Lab};
use super::leak;
use super::manifest::{self, MANIFEST_PATH, SHARED_DIR};
use super::points::Points;
use crate::Result;
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// The sections copied word for word from the course's `Cargo.toml`.
const COPIED_SECTIONS: [&str; 4] = [
    "[workspace.package]",
    "[workspace.lints.rust]",
    "[workspace.lints.clippy]",
    "[profile.dev.package.\"*\"]",
];

/// `cargo lab`, the students' companion (progress, hints, watch): its crate
/// under `exercises/` and in the handout, and the alias that runs it.
const COMPANION_DIR: &str = "lab-cli";
const COMPANION_ALIAS: &str = "[alias]\n# `cargo lab`, `cargo lab hint 1 t07`, `cargo lab watch`\nlab = \"run -q -p lab --\"\n";

/// Writes a handout of `labs` into `out` (which must not exist or be
/// empty) and checks that no solution code is in it. Returns the number
/// of files written.
pub fn write(root: &Path, labs: &[Lab], out: &Path) -> Result<usize> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(format!(
            "{} exists and is not empty: choose a new directory (a handout never overwrites work)",
            out.display()
        )
        .into());
    }
    fs::create_dir_all(out)?;
    let mut written = 0;
    for lab in labs {
        written += copy_tree(&lab.stub_dir, &out.join(&lab.name))?;
    }
    written += copy_tree(&root.join("crates/gradcheck"), &out.join(SHARED_DIR))?;
    // ---- `cargo lab`: the companion crate and its alias ----
    let companion = root.join("exercises").join(COMPANION_DIR);
    written += copy_tree(&companion, &out.join(COMPANION_DIR))?;
    fs::create_dir_all(out.join(".cargo"))?;
    fs::write(out.join(".cargo/config.toml"), COMPANION_ALIAS)?;
    written += 1;
    // ---- earlier labs as path dependencies: a lab ships with the labs it builds on ----
    for lab in labs {
        for needed in path_dependency_names(&lab.stub_dir.join("Cargo.toml"))? {
            if catalog::lab_number(&needed).is_some() && !labs.iter().any(|l| l.name == needed) {
                return Err(format!(
                    "{} builds on {needed}: hand them out together (e.g. --labs 1-6)",
                    lab.name
                )
                .into());
            }
        }
    }
    fs::write(out.join("Cargo.toml"), handout_manifest(root, labs)?)?;
    written += 1;
    for optional in ["Cargo.lock", "rustfmt.toml"] {
        if root.join(optional).is_file() {
            fs::copy(root.join(optional), out.join(optional))?;
            written += 1;
        }
    }
    fs::write(out.join("points.toml"), students_points(root)?)?;
    fs::write(out.join(".gitignore"), "/target\n")?;
    fs::write(out.join("README.md"), student_readme(root, labs)?)?;
    manifest::for_course(root, labs)?.save(&out.join(MANIFEST_PATH))?;
    written += 4;

    let leaks = leak::find(out, labs)?;
    if let Some(first) = leaks.first() {
        return Err(format!(
            "solution code found in the handout ({} places), e.g. {} contains a body of {}: `{}…`; \
             the handout at {} must not be given out",
            leaks.len(),
            first.file.display(),
            first.solution_file.display(),
            first.excerpt,
            out.display()
        )
        .into());
    }
    Ok(written)
}

/// The handout's `points.toml`: the course's file as it is, or, if it
/// names hidden tests, the same weights without them.
fn students_points(root: &Path) -> Result<String> {
    let path = root.join("exercises/points.toml");
    let points = Points::load(&path, false)?;
    let hidden: usize = points
        .tests
        .keys()
        .map(|lab| points.hidden(lab).len())
        .sum();
    if hidden == 0 && path.is_file() {
        return Ok(fs::read_to_string(path)?);
    }
    Ok(format!(
        "# Баллы за лабораторные: доля баллов лабораторной = доля весов пройденных тестов\n\
         # (вес теста 1, если ниже не сказано иначе). При проверке есть и скрытые тесты.\n{}",
        toml::to_string(&points.for_students())?
    ))
}

/// The workspace `Cargo.toml` of a handout of `labs` (what `grade`
/// compares a submission's with).
pub fn handout_manifest(root: &Path, labs: &[Lab]) -> Result<String> {
    let mut crate_manifests: Vec<_> = labs.iter().map(|l| l.stub_dir.join("Cargo.toml")).collect();
    crate_manifests.push(root.join("crates/gradcheck/Cargo.toml"));
    crate_manifests.push(
        root.join("exercises")
            .join(COMPANION_DIR)
            .join("Cargo.toml"),
    );
    let course_manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    let members: Vec<String> = std::iter::once(SHARED_DIR.to_string())
        .chain(std::iter::once(COMPANION_DIR.to_string()))
        .chain(labs.iter().map(|l| l.name.clone()))
        .collect();
    let deps = dependency_names(&crate_manifests)?;
    workspace_manifest(&course_manifest, &members, &deps)
}

/// Names of the `path` dependencies of one crate (lab06 on `../lab01` …).
fn path_dependency_names(manifest: &Path) -> Result<Vec<String>> {
    let text = fs::read_to_string(manifest)?;
    let doc: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let deps = doc.get("dependencies").and_then(toml::Value::as_table);
    Ok(deps
        .into_iter()
        .flatten()
        .filter(|(_, spec)| spec.get("path").is_some())
        .map(|(name, _)| name.clone())
        .collect())
}

/// Copies every file under `from` (see [`catalog::files_under`]) to `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let files = catalog::files_under(from)?;
    for file in &files {
        let target = to.join(file);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::copy(from.join(file), &target)
            .map_err(|e| format!("cannot copy {}: {e}", from.join(file).display()))?;
    }
    Ok(files.len())
}

/// Names of all dependencies (normal, dev, build) of the given crates
/// that come from `[workspace.dependencies]`; a `path` dependency (lab06
/// on `../lab01`) needs no entry there.
pub fn dependency_names(manifests: &[impl AsRef<Path>]) -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for path in manifests {
        let path = path.as_ref();
        let text = fs::read_to_string(path)?;
        let doc: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(deps) = doc.get(table).and_then(toml::Value::as_table) {
                let from_workspace = deps.iter().filter(|(_, spec)| spec.get("path").is_none());
                names.extend(from_workspace.map(|(name, _)| name.clone()));
            }
        }
    }
    Ok(names)
}

/// The lines of `section` (its header included) in a TOML text, up to
/// the next header, without trailing blank lines and comments.
pub fn section(text: &str, header: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim() == header)?;
    let mut end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |p| start + 1 + p);
    while end > start + 1 && {
        let l = lines[end - 1].trim();
        l.is_empty() || l.starts_with('#')
    } {
        end -= 1;
    }
    Some(lines[start..end].join("\n"))
}

/// The entry `name = …` of `[workspace.dependencies]`, with continuation
/// lines if its braces or brackets span several.
pub fn dependency_entry(text: &str, name: &str) -> Option<String> {
    let deps = section(text, "[workspace.dependencies]")?;
    let pattern = Regex::new(&format!(r"^\s*{}\s*=", regex::escape(name))).ok()?;
    let lines: Vec<&str> = deps.lines().collect();
    let start = lines.iter().position(|l| pattern.is_match(l))?;
    let mut entry = Vec::new();
    let mut depth = 0i32;
    for line in &lines[start..] {
        entry.push(*line);
        let code = line.split('#').next().unwrap_or("");
        depth += code.matches(['{', '[']).count() as i32 - code.matches(['}', ']']).count() as i32;
        if depth <= 0 {
            break;
        }
    }
    Some(entry.join("\n"))
}

/// `line` without a trailing `# comment` (a `#` inside a string stays).
pub fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The handout's `Cargo.toml`: members, the course's package fields,
/// lints and profile, and the course's entries for the dependencies used.
pub fn workspace_manifest(
    course: &str,
    members: &[String],
    deps: &BTreeSet<String>,
) -> Result<String> {
    let mut out = String::from(
        "# The labs of the deep-learning course (Lecture 11), handed out by\n\
         # `cargo xtask labs handout`. A workspace of its own: `cargo test -p lab01`.\n\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for m in members {
        out.push_str(&format!("    \"{m}\",\n"));
    }
    out.push_str("]\n\n");
    let copy = |out: &mut String, header: &str| -> Result {
        let text = section(course, header)
            .ok_or_else(|| format!("the course's Cargo.toml has no {header} section"))?;
        out.push_str(&text);
        out.push_str("\n\n");
        Ok(())
    };
    copy(&mut out, COPIED_SECTIONS[0])?;
    out.push_str("[workspace.dependencies]\n");
    for dep in deps {
        if dep == SHARED_DIR {
            out.push_str(&format!("{SHARED_DIR} = {{ path = \"{SHARED_DIR}\" }}\n"));
            continue;
        }
        let entry = dependency_entry(course, dep).ok_or_else(|| {
            format!(
                "`{dep}` is used by a lab but missing from the course's [workspace.dependencies]"
            )
        })?;
        // the course's comments explain the course's choices, not the labs'
        for line in entry.lines() {
            out.push_str(strip_comment(line).trim_end());
            out.push('\n');
        }
    }
    out.push('\n');
    for header in &COPIED_SECTIONS[1..] {
        copy(&mut out, header)?;
    }
    let out = out.trim_end().to_string() + "\n";
    // a typo here would only show in the student's first build: parse now
    toml::from_str::<toml::Table>(&out).map_err(|e| format!("generated Cargo.toml: {e}"))?;
    Ok(out)
}

/// The student README: `exercises/HANDOUT.md` with `{{labs}}` replaced by
/// a table of the labs handed out.
fn student_readme(root: &Path, labs: &[Lab]) -> Result<String> {
    let template = fs::read_to_string(root.join("exercises/HANDOUT.md"))?;
    let time = Regex::new(r"\*\*Время:\*\*\s*(.+)").expect("valid pattern");
    let mut table = String::from("| Лабораторная | Тема | Время |\n|---|---|---|\n");
    for lab in labs {
        let readme = fs::read_to_string(lab.stub_dir.join("README.md")).unwrap_or_default();
        let title = catalog::title(&lab.stub_dir).unwrap_or_else(|| lab.name.clone());
        // "Лабораторная 1. Функции активации" → "Функции активации"
        let topic = match title.split_once(". ") {
            Some((head, rest)) if head.starts_with("Лабораторная") => rest.to_string(),
            _ => title,
        };
        let estimate = time.captures(&readme).map_or(String::from("—"), |c| {
            c[1].trim().trim_end_matches('.').to_string()
        });
        table.push_str(&format!(
            "| [`{0}`]({0}/README.md) | {topic} | {estimate} |\n",
            lab.name
        ));
    }
    Ok(template.replace("{{labs}}", table.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = r#"
[workspace]
members = ["a"]

[workspace.package]
version = "0.1.0"
edition = "2024"

[workspace.dependencies]
# ours
gradcheck = { path = "crates/gradcheck" }
ndarray = { version = "0.17.2", features = [
    "approx",
] }
rand = "0.10"  # seeded
serde = "1"

[workspace.lints.rust]
unsafe_code = "forbid"

[workspace.lints.clippy]
needless_range_loop = "allow"

# a comment that belongs to the next section
[profile.dev.package."*"]
opt-level = 3
"#;

    #[test]
    fn sections_stop_before_the_next_header_and_its_comments() {
        assert_eq!(
            section(COURSE, "[workspace.lints.clippy]").unwrap(),
            "[workspace.lints.clippy]\nneedless_range_loop = \"allow\""
        );
        assert!(section(COURSE, "[nope]").is_none());
    }

    #[test]
    fn dependency_entries_may_span_lines() {
        assert_eq!(
            dependency_entry(COURSE, "rand").unwrap(),
            "rand = \"0.10\"  # seeded"
        );
        assert_eq!(
            dependency_entry(COURSE, "ndarray").unwrap(),
            "ndarray = { version = \"0.17.2\", features = [\n    \"approx\",\n] }"
        );
        assert!(dependency_entry(COURSE, "nd").is_none());
    }

    #[test]
    fn comments_are_stripped_outside_strings() {
        assert_eq!(
            strip_comment("rand = \"0.10\"  # seeded"),
            "rand = \"0.10\"  "
        );
        assert_eq!(strip_comment("x = \"a#b\" # c"), "x = \"a#b\" ");
        assert_eq!(strip_comment("# only"), "");
        assert_eq!(strip_comment("plain = 1"), "plain = 1");
    }

    #[test]
    fn the_workspace_manifest_has_members_deps_and_profile() {
        let deps: BTreeSet<String> = ["gradcheck", "ndarray", "rand"].map(String::from).into();
        let text =
            workspace_manifest(COURSE, &["gradcheck".into(), "lab01".into()], &deps).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let ws = doc["workspace"].as_table().unwrap();
        assert_eq!(ws["members"].as_array().unwrap().len(), 2);
        let d = ws["dependencies"].as_table().unwrap();
        assert_eq!(d["gradcheck"]["path"].as_str(), Some("gradcheck"));
        assert_eq!(d["rand"].as_str(), Some("0.10"));
        assert!(
            !d.contains_key("serde"),
            "only the dependencies the labs use"
        );
        assert_eq!(
            doc["profile"]["dev"]["package"]["*"]["opt-level"].as_integer(),
            Some(3)
        );
        let missing: BTreeSet<String> = ["csv".to_string()].into();
        assert!(workspace_manifest(COURSE, &[], &missing).is_err());
    }

    #[test]
    fn a_handout_has_everything_but_solutions() {
        let root = crate::workspace_root();
        // lab06 builds on labs 1, 2, 4 and 5 (issue 15): they come along
        let labs = catalog::select(&root, Some("1-2,4-6")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("handout");
        write(&root, &labs, &out).unwrap();
        for f in [
            "Cargo.toml",
            "README.md",
            "points.toml",
            ".labs/manifest.json",
            "gradcheck/src/lib.rs",
            "lab01/README.md",
            "lab01/src/lib.rs",
            "lab01/tests/lab01.rs",
            "lab01/tests/reference.json",
            "lab06/data/digits.csv.gz",
        ] {
            assert!(out.join(f).is_file(), "{f} is in the handout");
        }
        assert!(!out.join("lab03").exists(), "only the chosen labs");
        let readme = fs::read_to_string(out.join("README.md")).unwrap();
        assert!(readme.contains("lab02/README.md") && !readme.contains("{{labs}}"));
        assert!(
            readme.contains("| Функции активации и их производные | 1,5–2 часа |"),
            "{readme}"
        );
        // no solution anywhere: the check inside `write` passed; make sure it can fail
        assert!(leak::find(&out, &labs).unwrap().is_empty());
        fs::copy(
            labs[1].solution_dir.join("src/lib.rs"),
            out.join("lab02/src/lib.rs"),
        )
        .unwrap();
        assert!(!leak::find(&out, &labs).unwrap().is_empty());
        // and an existing handout is never overwritten
        assert!(write(&root, &labs, &out).is_err());
    }
}
