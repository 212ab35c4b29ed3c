//! Writing the generated files, or checking them, without ever leaving a
//! half-written output folder or touching a file we did not generate.

mod regenerate;
mod staging;
pub mod stamp;

pub use regenerate::{regenerate, regenerate_from, Options, Outcome, Regeneration};
pub use staging::Staging;

use crate::emit::File;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// The list of generated files, kept in the output folder so that a later
/// run knows which files it may replace or remove.
pub const MANIFEST: &str = ".generated-files";

/// What a write did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files generated earlier that no model produces any more.
    pub removed: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

/// How a file on disk differs from what generation produces.
#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    /// Generated, but not on disk.
    Missing(String),
    /// On disk with other contents.
    Stale(String),
    /// Generated earlier, no longer produced, still on disk.
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Stale(p) => write!(f, "stale:   {p}"),
            Drift::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// Adds the manifest to `files` (sorted by path) and returns the full set.
pub fn with_manifest(mut files: Vec<File>) -> Vec<File> {
    files.retain(|f| f.path != MANIFEST);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let list = manifest(files.iter().map(|f| f.path.as_str()));
    files.push(list);
    files
}

/// The manifest listing `paths` (sorted, without the manifest itself).
fn manifest<'a>(paths: impl Iterator<Item = &'a str>) -> File {
    let mut list = String::from(
        "# Files written by `cargo xtask regenerate`; it replaces or removes only these.\n",
    );
    for path in paths {
        list.push_str(path);
        list.push('\n');
    }
    File::new(MANIFEST, list)
}

fn previous(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .filter(|l| is_safe_relative(l))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A manifest entry may only name a file inside the output folder.
fn is_safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != ".." && c != ".")
}

fn target(out: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(out.to_path_buf(), |p, c| p.join(c))
}

/// Compares `files` with the output folder.
pub fn check(out: &Path, files: &[File]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for f in files {
        match std::fs::read(target(out, &f.path)) {
            Ok(bytes) if bytes == f.contents.as_bytes() => {}
            Ok(_) => drift.push(Drift::Stale(f.path.clone())),
            Err(_) => drift.push(Drift::Missing(f.path.clone())),
        }
    }
    let new: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for old in previous(out) {
        if !new.contains(old.as_str()) && target(out, &old).exists() {
            drift.push(Drift::Extra(old));
        }
    }
    drift
}

/// Writes `files` into `out`: only changed files, each through a temporary
/// file and a rename, then removes files that earlier runs generated and
/// this one does not. Files not in the manifest are never touched.
///
/// The write is all or nothing as far as the file system allows: every new
/// file is first written beside its destination under a temporary name; only
/// when all are written are they renamed into place, each replaced or removed
/// file being first renamed to a backup. If any step fails, every rename done
/// so far is undone (the backups are renamed back, so the old files keep their
/// bytes and modification times), the temporary files and the folders created
/// for them are removed, and the error is returned.
pub fn write(out: &Path, files: &[File]) -> io::Result<Written> {
    if let Some(bad) = unsafe_path(files) {
        return Err(bad);
    }
    let old = previous(out);
    let foreign = foreign(out, files, &old);
    if !foreign.is_empty() {
        return Err(foreign_error(&foreign));
    }
    remove_leftovers(
        out,
        files
            .iter()
            .map(|f| f.path.as_str())
            .chain(old.iter().map(String::as_str)),
    );
    let mut tx = Transaction::default();
    let result = tx.stage(out, files).and_then(|staged| {
        let mut result = Written::default();
        for (f, staged) in files.iter().zip(staged) {
            if staged.tmp.is_some() {
                result.written.push(f.path.clone());
            } else {
                result.unchanged += 1;
            }
        }
        let new: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        result.removed = tx.swap_in(out, &old, &new)?;
        Ok(result)
    });
    match result {
        Ok(result) => {
            tx.commit(out);
            Ok(result)
        }
        Err(e) => {
            tx.roll_back();
            Err(e)
        }
    }
}

/// The error for the first file of `files` whose path leaves the output folder.
fn unsafe_path(files: &[File]) -> Option<io::Error> {
    files
        .iter()
        .find(|f| !is_safe_relative(&f.path))
        .map(|bad| {
            io::Error::other(format!(
                "refusing to write `{}`: not a relative path inside the output folder",
                bad.path
            ))
        })
}

/// The files of `files` that would replace a file on disk that no run generated: not in
/// the previous manifest `old`, with other contents and no `@generated` mark.
fn foreign(out: &Path, files: &[File], old: &[String]) -> Vec<String> {
    let old_set: HashSet<&str> = old.iter().map(String::as_str).collect();
    files
        .iter()
        .filter(|f| !old_set.contains(f.path.as_str()) && f.path != MANIFEST)
        .filter(|f| {
            std::fs::read(target(out, &f.path)).is_ok_and(|b| {
                b != f.contents.as_bytes()
                    && !b.starts_with(b"// @generated")
                    && !b.starts_with(b"# @generated")
            })
        })
        .map(|f| f.path.clone())
        .collect()
}

fn foreign_error(foreign: &[String]) -> io::Error {
    io::Error::other(format!(
        "refusing to overwrite files that were not generated: {} (move them away, or list them in {MANIFEST})",
        foreign.join(", ")
    ))
}

/// The steps of one [`write`], remembered so that they can be undone.
#[derive(Default)]
struct Transaction {
    /// Folders created, outermost first.
    created_dirs: Vec<PathBuf>,
    /// Temporary files holding new contents, with their destinations.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Old files moved aside: (backup, original place).
    backups: Vec<(PathBuf, PathBuf)>,
    /// Destinations that did not exist and now hold a new file.
    created_files: Vec<PathBuf>,
}

impl Transaction {
    /// Writes each of `files` beside its destination under a temporary name, unless the
    /// destination already holds its contents (creating the folders needed first), and
    /// remembers the temporary files for [`Transaction::swap_in`]. Answers, per file in
    /// order, its temporary file (if staged) and the length and hash of its contents.
    fn stage(&mut self, out: &Path, files: &[File]) -> io::Result<Vec<Staged>> {
        // Folders first, one by one, so that each created one is remembered for a roll back.
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .map(|f| {
                let dest = target(out, &f.path);
                dest.parent()
                    .map_or_else(|| out.to_path_buf(), Path::to_path_buf)
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in &dirs {
            self.create_dir_all(dir)?;
        }
        // Then the files, compared and staged on every core; creating thousands of files is
        // mostly the kernel's work, and two cores do it in little more than half the time.
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let per_worker = files.len().div_ceil(workers).max(1);
        let runs: Vec<Vec<io::Result<Staged>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(per_worker)
                .map(|run| scope.spawn(move || run.iter().map(|f| stage(out, f)).collect()))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![Err(io::Error::other("a writer thread panicked"))])
                })
                .collect()
        });
        let mut done = Vec::with_capacity(files.len());
        let mut failure = None;
        for (f, staged) in files.iter().zip(runs.into_iter().flatten()) {
            match staged {
                Ok(staged) => {
                    if let Some(tmp) = &staged.tmp {
                        self.staged.push((tmp.clone(), target(out, &f.path)));
                    }
                    done.push(staged);
                }
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(done),
        }
    }

    /// Renames every staged file into place, in the order staged, then moves the files of
    /// `old` that `new` does not list to backups; answers those.
    fn swap_in(
        &mut self,
        out: &Path,
        old: &[String],
        new: &HashSet<&str>,
    ) -> io::Result<Vec<String>> {
        self.staged.reverse();
        while let Some((tmp, dest)) = self.staged.pop() {
            if let Err(e) = self.replace(&tmp, &dest) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
        let mut removed = Vec::new();
        for rel in old {
            if new.contains(rel.as_str()) {
                continue;
            }
            let path = target(out, rel);
            if path.is_file() {
                let backup = sibling(&path, "old");
                std::fs::rename(&path, &backup)?;
                self.backups.push((backup, path));
                removed.push(rel.clone());
            }
        }
        Ok(removed)
    }

    /// Creates `dir` and its missing parents, remembering which were created.
    fn create_dir_all(&mut self, dir: &Path) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.is_dir() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        for d in missing.into_iter().rev() {
            std::fs::create_dir(&d)?;
            self.created_dirs.push(d);
        }
        Ok(())
    }

    /// Moves `tmp` to `dest`, first moving an existing `dest` to a backup.
    fn replace(&mut self, tmp: &Path, dest: &Path) -> io::Result<()> {
        let existed = dest.is_file();
        if existed {
            let backup = sibling(dest, "old");
            std::fs::rename(dest, &backup)?;
            self.backups.push((backup, dest.to_path_buf()));
        }
        std::fs::rename(tmp, dest)?;
        if !existed {
            self.created_files.push(dest.to_path_buf());
        }
        Ok(())
    }

    /// Success: drops the backups and the folders they leave empty.
    fn commit(self, out: &Path) {
        for (backup, original) in self.backups {
            let _ = std::fs::remove_file(&backup);
            remove_empty_parents(out, &original);
        }
    }

    /// Failure: puts everything back as it was, as far as possible.
    fn roll_back(self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
        for dest in self.created_files.iter().rev() {
            let _ = std::fs::remove_file(dest);
        }
        for (backup, original) in self.backups.iter().rev() {
            let _ = std::fs::rename(backup, original);
        }
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// A file given to [`Transaction::stage`].
struct Staged {
    /// The temporary file holding its contents; `None` when the destination holds them.
    tmp: Option<PathBuf>,
    /// The length of its contents.
    len: u64,
    /// Their hash, as the stamp records it.
    hash: u128,
}

/// Writes `f` beside its destination under a temporary name, unless the destination
/// already holds its contents.
fn stage(out: &Path, f: &File) -> io::Result<Staged> {
    let bytes = f.contents.as_bytes();
    let (len, hash) = (bytes.len() as u64, xxhash_rust::xxh3::xxh3_128(bytes));
    let dest = target(out, &f.path);
    if std::fs::read(&dest).is_ok_and(|b| b == bytes) {
        return Ok(Staged {
            tmp: None,
            len,
            hash,
        });
    }
    let tmp = sibling(&dest, "tmp");
    std::fs::write(&tmp, bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(Staged {
        tmp: Some(tmp),
        len,
        hash,
    })
}

/// A hidden file beside `path` for a temporary copy, unique to this process.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.{}.{what}", std::process::id()))
}

/// The file that `name` is a temporary copy of, if it is one made by
/// [`sibling`] (in any process): `.{file}.{pid}.tmp` or `.{file}.{pid}.old`.
fn leftover_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".old"))?;
    let (file, pid) = rest.rsplit_once('.')?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(file)
}

/// Removes temporary copies that a run killed half-way left beside the files
/// in `paths`, so that they do not pile up. Nothing else is touched; each
/// folder is read once.
fn remove_leftovers<'a>(out: &Path, paths: impl Iterator<Item = &'a str>) {
    let mut by_dir: std::collections::BTreeMap<PathBuf, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for rel in paths {
        let path = target(out, rel);
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str()))
        {
            by_dir
                .entry(dir.to_path_buf())
                .or_default()
                .insert(name.to_owned());
        }
    }
    for (dir, names) in by_dir {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let leftover = entry
                .file_name()
                .to_str()
                .is_some_and(|n| leftover_of(n).is_some_and(|of| names.contains(of)));
            if leftover && entry.path().is_file() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Removes the folders above a removed file that are left empty, up to (not
/// including) the output folder.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || std::fs::read_dir(d).map_or(true, |mut entries| entries.next().is_some()) {
            break;
        }
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::time::SystemTime;

    /// Every file under `dir` with its bytes and modification time, and
    /// every folder (a folder's own time changes with its entries).
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, SystemTime)>> {
        let mut out = BTreeMap::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                let meta = std::fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    out.insert(rel, None);
                    todo.push(path);
                } else {
                    out.insert(
                        rel,
                        Some((std::fs::read(&path).unwrap(), meta.modified().unwrap())),
                    );
                }
            }
        }
        out
    }

    fn names(dir: &Path) -> Vec<String> {
        snapshot(dir)
            .into_keys()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    fn crate_files(lib: &str) -> Vec<File> {
        with_manifest(vec![
            File::new("Cargo.toml", "# @generated\n[package]\n"),
            File::new("src/lib.rs", lib),
            File::new("src/models/pet.rs", "// @generated\npub struct Pet;\n"),
        ])
    }

    #[test]
    fn second_write_of_the_same_files_writes_nothing_and_keeps_mtimes() {
        let dir = tempfile::tempdir().unwrap();
        let first = write(dir.path(), &crate_files("// @generated\n")).unwrap();
        assert_eq!(first.written.len(), 4);
        let before = snapshot(dir.path());
        let second = write(dir.path(), &crate_files("// @generated\n")).unwrap();
        assert_eq!(
            second,
            Written {
                written: vec![],
                removed: vec![],
                unchanged: 4
            }
        );
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn refuses_to_overwrite_a_hand_written_file_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), "// mine\n").unwrap();
        let before = snapshot(dir.path());
        let err = write(dir.path(), &crate_files("// @generated\n")).unwrap_err();
        assert!(err.to_string().contains("src/lib.rs"), "{err}");
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn a_failed_rename_half_way_restores_every_file_with_its_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let old = with_manifest(vec![
            File::new("a.rs", "// @generated\nold a\n"),
            File::new("m/b.rs", "// @generated\nold b\n"),
        ]);
        write(dir.path(), &old).unwrap();
        // `z` exists as a folder, so renaming a file onto it fails, after
        // `a.rs` and `m/b.rs` (sorted first) were already swapped in.
        std::fs::create_dir_all(dir.path().join("z")).unwrap();
        std::fs::write(dir.path().join("z/keep.txt"), "hand-written\n").unwrap();
        let before = snapshot(dir.path());
        let new = with_manifest(vec![
            File::new("a.rs", "// @generated\nnew a\n"),
            File::new("m/b.rs", "// @generated\nnew b\n"),
            File::new("n/c.rs", "// @generated\nnew c\n"),
            File::new("z", "// @generated\nnew z\n"),
        ]);
        assert!(write(dir.path(), &new).is_err());
        assert_eq!(
            snapshot(dir.path()),
            before,
            "no temporary file, folder or change is left"
        );
    }

    #[test]
    fn removes_files_no_longer_generated_and_keeps_hand_written_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &crate_files("// @generated\n")).unwrap();
        std::fs::create_dir_all(dir.path().join("tests")).unwrap();
        std::fs::write(dir.path().join("tests/mine.rs"), "// mine\n").unwrap();
        std::fs::write(dir.path().join("src/models/notes.txt"), "mine\n").unwrap();
        let fewer = with_manifest(vec![
            File::new("Cargo.toml", "# @generated\n[package]\n"),
            File::new("src/lib.rs", "// @generated\n"),
        ]);
        let done = write(dir.path(), &fewer).unwrap();
        assert_eq!(done.removed, vec!["src/models/pet.rs".to_owned()]);
        let left = names(dir.path());
        assert!(left.contains(&"tests/mine.rs".to_owned()), "{left:?}");
        assert!(
            left.contains(&"src/models/notes.txt".to_owned()),
            "{left:?}"
        );
        assert!(
            !left
                .iter()
                .any(|n| n.contains(".tmp") || n.contains(".old")),
            "{left:?}"
        );
        // Without the hand-written file, the emptied folder goes too.
        std::fs::remove_file(dir.path().join("src/models/notes.txt")).unwrap();
        write(dir.path(), &crate_files("// @generated\n")).unwrap();
        write(dir.path(), &fewer).unwrap();
        assert!(!dir.path().join("src/models").exists());
    }

    #[test]
    fn temporary_copies_left_by_a_killed_run_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &crate_files("// @generated\n")).unwrap();
        let models = dir.path().join("src/models");
        for name in [
            ".pet.rs.123.tmp",
            ".pet.rs.9.old",
            ".pet.rs.x.tmp",
            ".pet.rs.12.bak",
            ".other.rs.1.tmp",
        ] {
            std::fs::write(models.join(name), "left").unwrap();
        }
        write(dir.path(), &crate_files("// @generated\nchanged\n")).unwrap();
        let mut left: Vec<String> = names(&models);
        left.sort();
        assert_eq!(
            left,
            [
                ".other.rs.1.tmp",
                ".pet.rs.12.bak",
                ".pet.rs.x.tmp",
                "pet.rs"
            ]
        );
    }

    #[test]
    fn refuses_paths_outside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![File::new("../escape.rs", "x")];
        assert!(write(dir.path(), &files).is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn check_names_stale_missing_and_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &crate_files("// @generated\n")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), "// edited\n").unwrap();
        let fewer = with_manifest(vec![
            File::new("src/lib.rs", "// @generated\n"),
            File::new("src/new.rs", "// @generated\n"),
        ]);
        let drift = check(dir.path(), &fewer);
        assert!(
            drift.contains(&Drift::Stale("src/lib.rs".into())),
            "{drift:?}"
        );
        assert!(
            drift.contains(&Drift::Missing("src/new.rs".into())),
            "{drift:?}"
        );
        assert!(
            drift.contains(&Drift::Extra("src/models/pet.rs".into())),
            "{drift:?}"
        );
    }
}
