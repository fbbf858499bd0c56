//! What was handed out: the tests of each lab and SHA-256 hashes of the
//! files a student must not change (`labNN/tests/**`, `labNN/data/**` and
//! the shared `gradcheck/**`), written to `.labs/manifest.json` in every
//! handout and compared by `grade` to spot tampering.
//!
//! Text files are hashed with `\r\n` read as `\n`, so a checkout that
//! converts line endings is not mistaken for an edit.

use super::catalog::{self, Lab};
use crate::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The manifest's file name inside a handout.
pub const MANIFEST_PATH: &str = ".labs/manifest.json";

/// The directory, inside a handout, of the shared `gradcheck` crate.
pub const SHARED_DIR: &str = "gradcheck";

/// Everything `grade` needs to know about what was handed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub format: u32,
    /// The course's git commit the handout was made from, if known.
    pub course_commit: Option<String>,
    /// Per lab (`lab01` …): its tests and its protected files.
    pub labs: BTreeMap<String, LabEntry>,
    /// Hashes of the shared files (`gradcheck/...`), by handout path.
    pub shared: BTreeMap<String, String>,
}

/// One lab in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabEntry {
    /// Names of the lab's tests, sorted.
    pub tests: Vec<String>,
    /// Hashes of `labNN/tests/**` and `labNN/data/**`, by handout path.
    pub files: BTreeMap<String, String>,
}

/// How a protected file differs from what was handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Its content changed.
    Modified,
    /// It was deleted.
    Missing,
    /// It was not handed out.
    Added,
}

/// One changed protected file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Tamper {
    /// Path inside the student's workspace, with `/`.
    pub path: String,
    /// What happened to it.
    pub change: Change,
}

/// SHA-256 of a file as lowercase hex; text is hashed with `\r\n` → `\n`.
pub fn hash_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(hash_bytes(&bytes))
}

/// SHA-256 of file content as lowercase hex; UTF-8 text is hashed with
/// `\r\n` read as `\n`.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let digest = match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("\r\n") => Sha256::digest(text.replace("\r\n", "\n").as_bytes()),
        _ => Sha256::digest(bytes),
    };
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `a/b/c` from a relative path, whatever the platform's separator.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hashes every file under `dir` into `out`, keyed by `prefix/relative/path`.
fn hash_tree(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) -> Result {
    for file in catalog::files_under(dir)? {
        out.insert(
            format!("{prefix}/{}", slash_path(&file)),
            hash_file(&dir.join(&file))?,
        );
    }
    Ok(())
}

/// The manifest of a handout of `labs` made from the course at `root`.
pub fn for_course(root: &Path, labs: &[Lab]) -> Result<Manifest> {
    let mut entries = BTreeMap::new();
    for lab in labs {
        let mut files = BTreeMap::new();
        for rel in catalog::protected_files(&lab.stub_dir)? {
            files.insert(
                format!("{}/{}", lab.name, slash_path(&rel)),
                hash_file(&lab.stub_dir.join(&rel))?,
            );
        }
        let entry = LabEntry {
            tests: catalog::expected_tests(&lab.stub_dir)?,
            files,
        };
        entries.insert(lab.name.clone(), entry);
    }
    let mut shared = BTreeMap::new();
    hash_tree(&root.join("crates/gradcheck"), SHARED_DIR, &mut shared)?;
    Ok(Manifest {
        format: 1,
        course_commit: git_commit(root),
        labs: entries,
        shared,
    })
}

/// `git rev-parse HEAD` of the course, if git is there.
fn git_commit(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Manifest {
    /// Reads a manifest written by [`Manifest::save`].
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = fs::read_to_string(path)
            .map_err(|e| format!("cannot read manifest {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("manifest {} is not valid: {e}", path.display()).into())
    }

    /// Writes the manifest as pretty JSON.
    pub fn save(&self, path: &Path) -> Result {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_line_endings_but_not_content() {
        assert_eq!(hash_bytes(b"a\r\nb\r\n"), hash_bytes(b"a\nb\n"));
        assert_ne!(hash_bytes(b"a\nb\n"), hash_bytes(b"a\nc\n"));
        // the SHA-256 of the empty string
        assert_eq!(
            hash_bytes(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // binary data is hashed as it is
        assert_ne!(
            hash_bytes(&[0xff, b'\r', b'\n']),
            hash_bytes(&[0xff, b'\n'])
        );
    }

    #[test]
    fn the_course_manifest_names_tests_and_round_trips() {
        let root = crate::workspace_root();
        let labs = catalog::select(&root, Some("1")).unwrap();
        let manifest = for_course(&root, &labs).unwrap();
        let lab01 = &manifest.labs["lab01"];
        assert!(lab01.tests.len() >= 8);
        assert!(lab01.files.contains_key("lab01/tests/lab01.rs"));
        assert!(manifest.shared.contains_key("gradcheck/src/lib.rs"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST_PATH);
        manifest.save(&path).unwrap();
        assert_eq!(Manifest::load(&path).unwrap(), manifest);
    }
}
