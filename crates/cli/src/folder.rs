//! The run folder as one unit: a lock, a staging folder, and a commit that
//! replaces the whole folder in one step.
//!
//! ```text
//! runs/
//!   digits-seed42/                   the run folder: always one complete state
//!   .digits-seed42.lock              the pid of the nn that writes it (locked while it runs)
//!   .digits-seed42.staging-<pid>-<n>/  the next state, being written
//! ```
//!
//! **Two states only.** Everything a run writes goes into a fresh staging
//! folder beside the run folder. When the staging folder is complete (a
//! checkpoint, or the finished run) it is *swapped* with the run folder in
//! one system call (`renameat2(RENAME_EXCHANGE)` on Linux, `RENAME_SWAP` on
//! macOS), then the old content, now under the staging name, is deleted. A
//! reader sees the previous folder or the new one, never a mixture; a
//! process killed at any moment leaves one of the two (and perhaps a
//! staging folder, which the next run of the folder deletes). Where the
//! swap is not available the commit takes two renames (old → `.previous`,
//! staging → run folder); a crash between them leaves only the
//! `.previous` folder, which the next `nn` renames back.
//!
//! **One writer.** The lock file is held with an advisory lock
//! ([`File::try_lock`]) that the operating system drops when the process
//! ends, however it ends (kill -9 included): a lock file left by a dead
//! process is stale by construction and is simply taken over.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult};
use crate::output::shell_path;

/// A run folder held by this process.
pub struct RunFolder {
    /// The run folder (`runs/digits-seed42`).
    out: PathBuf,
    /// Its parent (where the lock and staging folders live).
    parent: PathBuf,
    /// Its file name.
    name: OsString,
    /// The lock file's path.
    lock_path: PathBuf,
    /// The open, locked lock file (unlocked when dropped, or when the process dies).
    _lock: File,
    /// Staging folders made so far (for unique names).
    staged: usize,
}

impl Drop for RunFolder {
    /// Deletes the lock file while still holding its lock (a process that
    /// opened it meanwhile notices, see [`take_lock`]).
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Opens and locks `path`, and writes our pid into it. A lock file whose
/// owner died (its pid inside, but no lock on it) is taken over. The file
/// is re-checked after locking: if its owner deleted it meanwhile (at its
/// end), the lock we hold is on a file no one else sees, and we start over.
fn take_lock(path: &Path, out: &Path) -> CliResult<File> {
    for _ in 0..10 {
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| io_error("create the lock file", path, e))?;
        let mut holder = read_holder(&mut lock);
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                // The owner writes its pid just after locking: read again, so
                // a run that lost by microseconds can still name it.
                if holder.is_empty() {
                    holder = read_holder(&mut lock);
                }
                let who = if holder.is_empty() {
                    "another nn".to_owned()
                } else {
                    format!("another nn (pid {holder})")
                };
                return Err(CliError::runtime(format!(
                    "{} is in use: {who} is writing it right now (lock file {}); wait until it ends, or choose another --out",
                    shell_path(out),
                    shell_path(path)
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", path, e)),
        }
        if !same_file(&lock, path) {
            continue;
        }
        if !holder.is_empty() && holder != std::process::id().to_string() {
            let _ = writeln!(
                std::io::stderr(),
                "note: taking over the lock of {} left by pid {holder}, which is no longer running",
                shell_path(out)
            );
        }
        let _ = lock.set_len(0);
        let _ = lock.rewind();
        let _ = write!(lock, "{}", std::process::id());
        let _ = lock.flush();
        return Ok(lock);
    }
    Err(CliError::runtime(format!(
        "cannot lock {}: its lock file keeps changing; is another nn starting and stopping in a loop?",
        shell_path(out)
    )))
}

/// The pid written in the lock file, trimmed; empty if there is none yet.
fn read_holder(lock: &mut File) -> String {
    let mut holder = String::new();
    let _ = lock.rewind();
    let _ = lock.read_to_string(&mut holder);
    holder.trim().to_owned()
}

/// Whether the open `file` is still the one at `path`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// A staging folder: deleted when dropped, unless committed.
pub struct Staging {
    path: PathBuf,
    committed: bool,
}

impl Staging {
    /// The folder to write into.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

fn io_error(action: &str, path: &Path, err: std::io::Error) -> CliError {
    CliError::runtime(format!("cannot {action} {}: {err}", shell_path(path)))
}

/// `parent/.{name}{suffix}`.
fn beside(parent: &Path, name: &OsString, suffix: &str) -> PathBuf {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(suffix);
    parent.join(hidden)
}

impl RunFolder {
    /// Locks the run folder `out` (which need not exist yet): creates its
    /// parent and the lock file, takes the lock or says who holds it,
    /// restores a folder whose commit was cut short and deletes staging
    /// folders that a killed run left behind.
    pub fn lock(out: &Path) -> CliResult<Self> {
        let name = out
            .file_name()
            .filter(|n| *n != "." && *n != "..")
            .map(OsString::from)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--out {} does not name a folder; give a path such as runs/my-run",
                    shell_path(out)
                ))
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;
        if out.exists() && !out.is_dir() {
            return Err(CliError::usage(format!(
                "{} is a file, not a run folder; choose another --out",
                shell_path(out)
            )));
        }
        let lock_path = beside(&parent, &name, ".lock");
        let lock = take_lock(&lock_path, out)?;
        let folder = Self {
            out: out.to_path_buf(),
            parent,
            name,
            lock_path,
            _lock: lock,
            staged: 0,
        };
        folder.recover()?;
        Ok(folder)
    }

    /// The run folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Restores the previous folder if a two-rename commit was cut short,
    /// and deletes staging folders of killed runs (we hold the lock: no one
    /// else writes them).
    fn recover(&self) -> CliResult {
        let previous = beside(&self.parent, &self.name, ".previous");
        if previous.is_dir() {
            if self.out.exists() {
                let _ = fs::remove_dir_all(&previous);
            } else {
                fs::rename(&previous, &self.out)
                    .map_err(|e| io_error("restore the previous run from", &previous, e))?;
            }
        }
        let mut prefix = OsString::from(".");
        prefix.push(&self.name);
        prefix.push(".staging-");
        let prefix = prefix.to_string_lossy().into_owned();
        if let Ok(entries) = fs::read_dir(&self.parent) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
        Ok(())
    }

    /// A fresh, empty staging folder beside the run folder.
    pub fn stage(&mut self) -> CliResult<Staging> {
        self.staged += 1;
        let path = beside(
            &self.parent,
            &self.name,
            &format!(".staging-{}-{}", std::process::id(), self.staged),
        );
        let _ = fs::remove_dir_all(&path);
        fs::create_dir(&path).map_err(|e| io_error("create", &path, e))?;
        Ok(Staging {
            path,
            committed: false,
        })
    }

    /// Makes the staging folder the run folder, in one step where the
    /// system allows it, and deletes the old content.
    pub fn commit(&self, mut staging: Staging) -> CliResult {
        sync_dir(staging.path());
        if !self.out.exists() {
            fs::rename(staging.path(), &self.out)
                .map_err(|e| io_error("move the new run into", &self.out, e))?;
            staging.committed = true;
            sync_dir(&self.parent);
            return Ok(());
        }
        if swap(staging.path(), &self.out).is_ok() {
            // the staging name now holds the old run: Staging's drop deletes it
            sync_dir(&self.parent);
            return Ok(());
        }
        let previous = beside(&self.parent, &self.name, ".previous");
        let _ = fs::remove_dir_all(&previous);
        fs::rename(&self.out, &previous)
            .map_err(|e| io_error("move the previous run aside from", &self.out, e))?;
        if let Err(err) = fs::rename(staging.path(), &self.out) {
            let _ = fs::rename(&previous, &self.out);
            return Err(io_error("move the new run into", &self.out, err));
        }
        staging.committed = true;
        sync_dir(&self.parent);
        let _ = fs::remove_dir_all(&previous);
        Ok(())
    }
}

/// Flushes a folder's entries to disk (best effort: a crash before it only
/// loses the newest state, never mixes two).
fn sync_dir(dir: &Path) {
    if cfg!(unix) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
}

/// Exchanges two folders atomically.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
))]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
fn swap(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether an `nn` holds the lock of the run folder `out` right now.
pub fn writer_active(out: &Path) -> bool {
    let (Some(name), Some(parent)) = (out.file_name(), out.parent()) else {
        return false;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let path = beside(parent, &OsString::from(name), ".lock");
    File::open(&path)
        .is_ok_and(|lock| matches!(lock.try_lock_shared(), Err(fs::TryLockError::WouldBlock)))
}

/// The first of `base-2`, `base-3` … that does not exist.
pub fn free_name(base: &Path) -> PathBuf {
    let name = base
        .file_name()
        .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
    (2..)
        .map(|i| base.with_file_name(format!("{name}-{i}")))
        .find(|candidate| !candidate.exists())
        .expect("some numbered name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_replaces_the_whole_folder_and_leaves_nothing_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        let mut folder = RunFolder::lock(&out).unwrap();
        let first = folder.stage().unwrap();
        fs::write(first.path().join("a"), "1").unwrap();
        folder.commit(first).unwrap();
        let second = folder.stage().unwrap();
        fs::write(second.path().join("b"), "2").unwrap();
        folder.commit(second).unwrap();
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b"]);
        let beside: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut beside = beside;
        // an abandoned staging folder disappears
        let third = folder.stage().unwrap();
        let path = third.path().to_path_buf();
        drop(third);
        assert!(!path.exists());
        beside.sort();
        assert_eq!(beside, [".run.lock", "run"]);
        drop(folder);
        assert!(
            !tmp.path().join(".run.lock").exists(),
            "the lock file goes with its owner"
        );
    }

    #[test]
    fn a_second_lock_is_refused_and_a_dropped_one_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        let held = RunFolder::lock(&out).unwrap();
        let err = RunFolder::lock(&out).err().unwrap().to_string();
        assert!(err.contains("is in use"), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(held);
        RunFolder::lock(&out).unwrap();
    }

    #[test]
    fn an_interrupted_two_rename_commit_is_rolled_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        let previous = tmp.path().join(".run.previous");
        fs::create_dir(&previous).unwrap();
        fs::write(previous.join("model"), "old").unwrap();
        let stale = tmp.path().join(".run.staging-1-1");
        fs::create_dir(&stale).unwrap();
        let _folder = RunFolder::lock(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("model")).unwrap(), "old");
        assert!(!previous.exists() && !stale.exists());
    }

    #[test]
    fn free_names_count_up() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("digits-seed42");
        assert_eq!(free_name(&base), tmp.path().join("digits-seed42-2"));
        fs::create_dir(tmp.path().join("digits-seed42-2")).unwrap();
        assert_eq!(free_name(&base), tmp.path().join("digits-seed42-3"));
    }
}
