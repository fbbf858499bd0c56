//! `cargo xtask labs release N --dir HANDOUT`: after lab N's deadline, its
//! reference solution goes into the students' tree, so that nobody stays
//! stuck on a lab the later ones build on.
//!
//! Until then a handout holds no solution code (`handout` checks it). The
//! release replaces `labNN/src/` of the handout with the solution's files.
//! If the student has already changed the stub, the command stops unless
//! `--force` is given, and then keeps their work in `labNN/src.before-release/`.

use super::ReleaseArgs;
use super::catalog::{self, Lab};
use super::manifest::MANIFEST_PATH;
use crate::Result;
use std::fs;
use std::path::Path;

/// Runs the command.
pub fn run(root: &Path, args: &ReleaseArgs) -> Result {
    let lab = catalog::select(root, Some(&args.lab.to_string()))?
        .pop()
        .ok_or("no such lab")?;
    let copied = release(&lab, &args.dir, args.force)?;
    eprintln!(
        "{}: the reference solution ({copied} files) is now in {}",
        lab.name,
        args.dir.join(&lab.name).join("src").display()
    );
    Ok(())
}

/// Copies `lab`'s solution into the handout at `dir`; returns the number of
/// files copied.
pub fn release(lab: &Lab, dir: &Path, force: bool) -> Result<usize> {
    if !dir.join(MANIFEST_PATH).is_file() {
        return Err(format!(
            "{} is not a handout (no {MANIFEST_PATH}): release copies into a tree made by \
             `cargo xtask labs handout`",
            dir.display()
        )
        .into());
    }
    let target = dir.join(&lab.name);
    if !target.join("Cargo.toml").is_file() {
        return Err(format!("{} has no {}", dir.display(), lab.name).into());
    }
    let src = target.join("src");
    if !force && differs_from_stub(&lab.stub_dir.join("src"), &src)? {
        return Err(format!(
            "{} differs from the stub (a student's work?); pass --force to keep it in \
             {}/src.before-release and release anyway",
            src.display(),
            lab.name
        )
        .into());
    }
    if src.exists() {
        let backup = target.join("src.before-release");
        if backup.exists() {
            fs::remove_dir_all(&backup)?;
        }
        fs::rename(&src, &backup)?;
        if !force {
            // it was the untouched stub: nothing worth keeping
            fs::remove_dir_all(&backup)?;
        }
    }
    let files = catalog::files_under(&lab.solution_dir.join("src"))?;
    for file in &files {
        let to = src.join(file);
        fs::create_dir_all(to.parent().expect("a file has a parent"))?;
        fs::copy(lab.solution_dir.join("src").join(file), to)?;
    }
    Ok(files.len())
}

/// Whether the files under `theirs` are not exactly the stub's.
fn differs_from_stub(stub: &Path, theirs: &Path) -> Result<bool> {
    let stub_files = catalog::files_under(stub)?;
    if catalog::files_under(theirs)? != stub_files {
        return Ok(true);
    }
    for file in &stub_files {
        if fs::read(stub.join(file))? != fs::read(theirs.join(file))? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::super::handout;
    use super::*;

    #[test]
    fn a_release_puts_the_solution_in_and_keeps_a_students_work_only_when_forced() {
        let root = crate::workspace_root();
        let labs = catalog::select(&root, Some("5")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("handout");
        handout::write(&root, &labs, &out).unwrap();
        let lab = &labs[0];
        let lib = out.join("lab05/src/lib.rs");
        let solution = fs::read_to_string(lab.solution_dir.join("src/lib.rs")).unwrap();
        assert_ne!(
            fs::read_to_string(&lib).unwrap(),
            solution,
            "the handout starts as a stub"
        );

        // a student's edit stops the release …
        fs::write(&lib, "// my work\n").unwrap();
        let err = release(lab, &out, false).unwrap_err().to_string();
        assert!(err.contains("--force"), "{err}");
        assert_eq!(fs::read_to_string(&lib).unwrap(), "// my work\n");

        // … unless forced, and then it is kept aside
        release(lab, &out, true).unwrap();
        assert_eq!(fs::read_to_string(&lib).unwrap(), solution);
        let kept = out.join("lab05/src.before-release/lib.rs");
        assert_eq!(fs::read_to_string(kept).unwrap(), "// my work\n");

        assert!(release(lab, tmp.path(), false).is_err(), "not a handout");
    }
}
