//! Atomic replacement of a dataset folder: files are written into a
//! temporary folder beside the target (`.<name>.sitrep-tmp-<pid>`), synced,
//! and renamed into place only when everything is written. A folder that is
//! not a sitrep dataset is never replaced, and the temporary folder is
//! removed on any error (including a panic or an early return) by `Drop`.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// What a finished file looks like: its size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A file being written that hashes and counts its bytes on the way out.
pub struct HashedFile {
    inner: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
    path: PathBuf,
}

impl HashedFile {
    pub fn create(path: &Path) -> Result<HashedFile> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(HashedFile {
            inner: BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
            path: path.to_path_buf(),
        })
    }

    /// Flushes and syncs the file to disk and returns its digest.
    pub fn finish(self) -> Result<FileDigest> {
        let path = self.path;
        let file = self
            .inner
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        Ok(FileDigest {
            name: file_name(&path),
            bytes: self.bytes,
            sha256: hex::encode(self.hasher.finalize()),
        })
    }
}

impl Write for HashedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a small file whole (JSON), synced, and returns its digest.
pub fn write_file(dir: &Path, name: &str, content: &[u8]) -> Result<FileDigest> {
    let path = dir.join(name);
    let mut f = HashedFile::create(&path)?;
    f.write_all(content).map_err(|e| Error::io(&path, e))?;
    f.finish()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

const TMP_TAG: &str = "sitrep-tmp-";
const OLD_TAG: &str = "sitrep-old-";

/// The temporary folder of one build. Removed on drop unless committed.
pub struct StagingDir {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl StagingDir {
    /// Checks that `out` may be replaced, removes stale temporary folders of
    /// dead builds beside it and creates a fresh temporary folder.
    pub fn create(out: &Path) -> Result<StagingDir> {
        let (parent, name) = split(out)?;
        check_replaceable(out)?;
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        remove_stale(&parent, &name, out);
        let tmp = parent.join(format!(".{name}.{TMP_TAG}{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(StagingDir {
            out: out.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// The temporary folder files are written into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Moves the temporary folder to `out`, replacing a previous dataset there.
    pub fn commit(mut self) -> Result<()> {
        let (parent, name) = split(&self.out)?;
        sync_dir(&self.tmp);
        check_replaceable(&self.out)?;
        let old = parent.join(format!(".{name}.{OLD_TAG}{}", std::process::id()));
        let had_old = self.out.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            }
            fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &self.out) {
            if had_old {
                // Put the previous dataset back; the temporary folder goes on drop.
                let _ = fs::rename(&old, &self.out);
            }
            return Err(Error::io(&self.out, e));
        }
        self.committed = true;
        sync_dir(&parent);
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// The folder that holds `out` and `out`'s own name.
fn split(out: &Path) -> Result<(PathBuf, String)> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Write {
            path: out.to_path_buf(),
            detail: "the output path must name a folder (e.g. dataset)".into(),
        })?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// `out` may be replaced when it does not exist, is empty, or is a sitrep dataset.
fn check_replaceable(out: &Path) -> Result<()> {
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    let refuse = |what: &str| Error::Write {
        path: out.to_path_buf(),
        detail: format!(
            "{what}; sitrep only replaces an empty folder or a dataset it wrote: pick another --out folder or remove it"
        ),
    };
    if !meta.is_dir() {
        return Err(refuse("exists and is not a folder"));
    }
    if is_dataset(out) {
        return Ok(());
    }
    let mut entries = fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    Err(refuse(
        "is a folder that holds other files and no sitrep dataset",
    ))
}

/// A folder written by sitrep holds `manifest.json` or `datapackage.json`.
pub fn is_dataset(dir: &Path) -> bool {
    dir.join("manifest.json").is_file() || dir.join("datapackage.json").is_file()
}

/// Removes `.<name>.sitrep-tmp-<pid>` folders of builds that are no longer
/// running, and their `.<name>.sitrep-old-<pid>` folders once `out` is in
/// place; an old folder without `out` (a build killed between its two
/// renames) is renamed back to `out`.
fn remove_stale(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".{name}.{TMP_TAG}");
    let old_prefix = format!(".{name}.{OLD_TAG}");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (pid, is_old) = if let Some(pid) = file_name.strip_prefix(&tmp_prefix) {
            (pid, false)
        } else if let Some(pid) = file_name.strip_prefix(&old_prefix) {
            (pid, true)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || pid_alive(pid) {
            continue;
        }
        if is_old && !out.exists() {
            // A build died between its two renames: the previous dataset is
            // all there is, so it goes back in place.
            let _ = fs::rename(entry.path(), out);
            continue;
        }
        let _ = fs::remove_dir_all(entry.path());
    }
}

/// Whether a process runs. Where this cannot be told (no `/proc`), assume it does.
fn pid_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Syncs a folder's entries to disk where the platform allows opening a folder.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_foreign_folder_and_cleans_up() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("mine");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("thesis.docx"), b"x").expect("write");
        let err = StagingDir::create(&out).err().expect("refused");
        assert!(err.to_string().contains("pick another"), "{err}");

        let out2 = root.path().join("ds");
        let staging = StagingDir::create(&out2).expect("staging");
        let tmp = staging.path().to_path_buf();
        assert!(tmp.is_dir());
        drop(staging);
        assert!(!tmp.exists());
        assert!(!out2.exists());
    }

    #[test]
    fn restores_the_previous_dataset_of_a_build_killed_between_renames() {
        if !Path::new("/proc").is_dir() {
            return;
        }
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("ds");
        let old = root.path().join(".ds.sitrep-old-4294967295");
        fs::create_dir(&old).expect("mkdir");
        fs::write(old.join("manifest.json"), b"{\"previous\":1}").expect("write");
        let staging = StagingDir::create(&out).expect("staging");
        assert!(!old.exists());
        assert_eq!(
            fs::read(out.join("manifest.json")).expect("restored"),
            b"{\"previous\":1}"
        );
        drop(staging);
        assert!(out.join("manifest.json").is_file());
    }

    #[test]
    fn removes_stale_temp_folders_of_dead_builds() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("ds");
        // pid 4294967295 never runs.
        let stale = root.path().join(".ds.sitrep-tmp-4294967295");
        fs::create_dir(&stale).expect("mkdir");
        let staging = StagingDir::create(&out).expect("staging");
        if Path::new("/proc").is_dir() {
            assert!(!stale.exists());
        }
        fs::write(staging.path().join("manifest.json"), b"{}").expect("write");
        staging.commit().expect("commit");
        assert!(out.join("manifest.json").is_file());
    }
}
