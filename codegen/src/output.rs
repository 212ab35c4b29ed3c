//! Writing the generated files, or checking them, without ever leaving a
//! half-written output folder or touching a file we did not generate.

use crate::emit::File;
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
    let mut list = String::from("# Files written by `cargo xtask regenerate`; it replaces or removes only these.\n");
    for f in &files {
        list.push_str(&f.path);
        list.push('\n');
    }
    files.push(File::new(MANIFEST, list));
    files
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
    !path.starts_with('/') && !path.contains('\\') && path.split('/').all(|c| !c.is_empty() && c != ".." && c != ".")
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
    for old in previous(out) {
        if !files.iter().any(|f| f.path == old) && target(out, &old).exists() {
            drift.push(Drift::Extra(old));
        }
    }
    drift
}

/// Writes `files` into `out`: only changed files, each through a temporary
/// file and a rename, then removes files that earlier runs generated and
/// this one does not. Files not in the manifest are never touched.
pub fn write(out: &Path, files: &[File]) -> io::Result<Written> {
    let mut result = Written::default();
    let old = previous(out);
    // Stage every change first, so a failure leaves nothing half-replaced.
    let mut staged: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf, String)]| {
        for (tmp, _, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    let foreign: Vec<&str> = files
        .iter()
        .filter(|f| !old.contains(&f.path) && f.path != MANIFEST)
        .filter(|f| {
            std::fs::read(target(out, &f.path))
                .is_ok_and(|b| b != f.contents.as_bytes() && !b.starts_with(b"// @generated") && !b.starts_with(b"# @generated"))
        })
        .map(|f| f.path.as_str())
        .collect();
    if !foreign.is_empty() {
        return Err(io::Error::other(format!(
            "refusing to overwrite files that were not generated: {} (move them away, or list them in {MANIFEST})",
            foreign.join(", ")
        )));
    }
    for f in files {
        let dest = target(out, &f.path);
        if std::fs::read(&dest).is_ok_and(|b| b == f.contents.as_bytes()) {
            result.unchanged += 1;
            continue;
        }
        let dir = dest.parent().map(Path::to_path_buf).unwrap_or_else(|| out.to_path_buf());
        let staged_file = std::fs::create_dir_all(&dir).and_then(|()| {
            let tmp = dir.join(format!(
                ".{}.tmp",
                dest.file_name().and_then(|n| n.to_str()).unwrap_or("file")
            ));
            std::fs::write(&tmp, f.contents.as_bytes()).map(|()| tmp)
        });
        match staged_file {
            Ok(tmp) => staged.push((tmp, dest, f.path.clone())),
            Err(e) => {
                cleanup(&staged);
                return Err(e);
            }
        }
    }
    for (tmp, dest, rel) in &staged {
        if let Err(e) = std::fs::rename(tmp, dest) {
            cleanup(&staged);
            return Err(e);
        }
        result.written.push(rel.clone());
    }
    for rel in old {
        if files.iter().any(|f| f.path == rel) {
            continue;
        }
        let path = target(out, &rel);
        if path.is_file() {
            std::fs::remove_file(&path)?;
            result.removed.push(rel);
            // Remove folders left empty, up to the output folder.
            let mut dir = path.parent().map(Path::to_path_buf);
            while let Some(d) = dir {
                if d == out || std::fs::remove_dir(&d).is_err() {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
        }
    }
    Ok(result)
}
