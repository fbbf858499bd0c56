//! Writing a file so that a crash never leaves half of it.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use super::CheckpointError;

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> CheckpointError {
    let path = path.display().to_string();
    move |source| CheckpointError::Io {
        action,
        path,
        source,
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk (`fsync`), then renamed over `path`, and the
/// directory flushed so the rename itself is durable.
///
/// A rename within one directory replaces the name in a single step: a
/// reader, or a restart after a crash or power cut, sees either the old
/// file or the complete new one, never a mixture. When writing fails (a
/// full disk) the temporary file is removed; only a killed process leaves
/// one behind, named `.<name>.<pid>.tmp`, and it is never read.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CheckpointError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // the pid keeps two processes writing into one directory apart
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_and_flush(&temporary, bytes)
        .and_then(|()| fs::rename(&temporary, path).map_err(io("rename into place", path)));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written?;
    sync_directory(dir)
}

fn write_and_flush(temporary: &Path, bytes: &[u8]) -> Result<(), CheckpointError> {
    let mut file = File::create(temporary).map_err(io("create", temporary))?;
    file.write_all(bytes).map_err(io("write", temporary))?;
    file.sync_all().map_err(io("flush", temporary))
}

/// Flushes a directory's entries (the rename) to disk. Opening a directory
/// for this works on Unix; elsewhere the flush is skipped.
fn sync_directory(dir: &Path) -> Result<(), CheckpointError> {
    if cfg!(unix) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("flush directory", dir))?;
    }
    Ok(())
}

/// Reads a whole file, with the path in the error.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CheckpointError> {
    fs::read(path).map_err(io("read", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new contents").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new contents");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.bin"]);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("a.bin");
        let err = write_atomically(&path, b"x").unwrap_err();
        assert!(err.to_string().starts_with("cannot create "), "{err}");
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
