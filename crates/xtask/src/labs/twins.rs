//! Stub and solution are twins (rustlings' rule): the same files, the same
//! public items with the same documentation, the same dependencies — they
//! differ only inside the bodies the student writes. The stub calls the
//! `todo` macro where the work is; the solution has none.

use super::catalog::{self, Lab};
use crate::Result;
use std::fs;
use std::path::Path;

/// How a stub marks the student's work, and what a finished solution must
/// not contain. Spelled in pieces so that a search of the repository for
/// unfinished code finds the labs' stubs, not this checker.
const TODO: &str = concat!("todo", "!(");
const UNIMPLEMENTED: &str = concat!("unimplemented", "!(");

/// The lines that make up a file's interface: doc comments (`///`, `//!`)
/// and declarations starting with `pub `, trimmed.
pub fn interface_lines(source: &str) -> Vec<&str> {
    source
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("///") || l.starts_with("//!") || l.starts_with("pub "))
        .collect()
}

/// The first difference between two interfaces, described for a person.
pub fn first_difference(stub: &[&str], solution: &[&str]) -> Option<String> {
    for (i, pair) in stub.iter().zip(solution).enumerate() {
        if pair.0 != pair.1 {
            return Some(format!(
                "interface line {}: stub has `{}`, solution has `{}`",
                i + 1,
                pair.0,
                pair.1
            ));
        }
    }
    match stub.len().cmp(&solution.len()) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Less => Some(format!(
            "the solution has more interface lines, first extra: `{}`",
            solution[stub.len()]
        )),
        std::cmp::Ordering::Greater => Some(format!(
            "the stub has more interface lines, first extra: `{}`",
            stub[solution.len()]
        )),
    }
}

/// The `[dependencies]` and `[dev-dependencies]` tables of a manifest.
fn dependencies(manifest: &Path) -> Result<(toml::Value, toml::Value)> {
    let text = fs::read_to_string(manifest)?;
    let doc: toml::Table = toml::from_str(&text)?;
    let get = |k: &str| {
        doc.get(k)
            .cloned()
            .unwrap_or(toml::Value::Table(toml::Table::new()))
    };
    Ok((get("dependencies"), get("dev-dependencies")))
}

/// A solution's dependencies with each earlier lab written as its stub
/// writes it: the stub builds on the student's `../lab01`, the solution on
/// the reference `lab01 = { path = "../lab01", package = "lab01-solution" }`
/// — the same library, one lab down the same tree.
fn as_the_stub_sees_it(deps: toml::Value) -> toml::Value {
    let toml::Value::Table(mut table) = deps else {
        return deps;
    };
    for (name, spec) in table.iter_mut() {
        let solution_package = format!("{name}-solution");
        if catalog::lab_number(name).is_some()
            && spec.get("package").and_then(toml::Value::as_str) == Some(solution_package.as_str())
            && let toml::Value::Table(fields) = spec
        {
            fields.remove("package");
        }
    }
    toml::Value::Table(table)
}

/// Every way `lab`'s stub and solution are not twins (empty if they are).
pub fn problems(lab: &Lab) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let stub_src = lab.stub_dir.join("src");
    let solution_src = lab.solution_dir.join("src");
    let stub_files = catalog::files_under(&stub_src)?;
    let solution_files = catalog::files_under(&solution_src)?;
    if stub_files != solution_files {
        found.push(format!(
            "src/ files differ: stub {stub_files:?}, solution {solution_files:?}"
        ));
    }
    let mut todos = 0;
    for file in stub_files.iter().filter(|f| solution_files.contains(f)) {
        let stub = fs::read_to_string(stub_src.join(file))?;
        let solution = fs::read_to_string(solution_src.join(file))?;
        todos += stub.matches(TODO).count();
        if solution.contains(TODO) || solution.contains(UNIMPLEMENTED) {
            found.push(format!(
                "solution src/{} still calls the todo or unimplemented macro",
                file.display()
            ));
        }
        if let Some(diff) = first_difference(&interface_lines(&stub), &interface_lines(&solution)) {
            found.push(format!("src/{}: {diff}", file.display()));
        }
    }
    if todos == 0 {
        found.push(
            "the stub never calls the todo macro: nothing is left for the student".to_string(),
        );
    }
    let (deps, dev) = dependencies(&lab.stub_dir.join("Cargo.toml"))?;
    let (sol_deps, sol_dev) = dependencies(&lab.solution_dir.join("Cargo.toml"))?;
    let sol_deps = as_the_stub_sees_it(sol_deps);
    if deps != sol_deps || dev != sol_dev {
        found.push("stub and solution Cargo.toml list different dependencies".to_string());
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_do_not_matter_but_docs_and_signatures_do() {
        let stub = &format!(
            "/// σ(x)\npub fn sigmoid(x: f64) -> f64 {{\n    // TODO: …\n    {TODO})\n}}\n"
        );
        let solution = "/// σ(x)\npub fn sigmoid(x: f64) -> f64 {\n    1.0 / (1.0 + (-x).exp())\n}\n\
                        // private helper, not part of the interface\nfn helper() {}\n";
        assert_eq!(
            first_difference(&interface_lines(stub), &interface_lines(solution)),
            None
        );
        let renamed = solution.replace("pub fn sigmoid(x", "pub fn sigmoid(z");
        let diff = first_difference(&interface_lines(stub), &interface_lines(&renamed)).unwrap();
        assert!(diff.contains("interface line 2"), "{diff}");
        let more_docs = format!("/// extra\n{solution}");
        assert!(first_difference(&interface_lines(stub), &interface_lines(&more_docs)).is_some());
    }

    #[test]
    fn the_course_labs_are_twins() {
        let root = crate::workspace_root();
        for lab in catalog::discover(&root).unwrap() {
            let found = problems(&lab).unwrap();
            assert!(found.is_empty(), "{}: {found:?}", lab.name);
        }
    }
}
