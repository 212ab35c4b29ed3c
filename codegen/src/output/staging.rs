//! [`Staging`]: the write of [`super::write`], taken in steps, so that the files of
//! a large description need not all be held at once.

use super::{
    foreign, foreign_error, manifest, previous, remove_leftovers, stamp, unsafe_path, Transaction,
    Written, MANIFEST,
};
use crate::emit::File;
use std::collections::HashSet;
use std::io;
use std::path::Path;

/// A write of the output folder in steps, all or nothing as [`super::write`] is: each
/// batch given to [`Staging::stage`] is checked and written beside its destinations
/// under temporary names at once, so the caller can free it; [`Staging::finish`] writes
/// the manifest of every file given, renames them all into place and removes the files
/// no longer generated. Until then nothing in the output folder has changed: a staging
/// dropped unfinished, or failed, removes every temporary file and folder it made.
pub struct Staging<'a> {
    out: &'a Path,
    /// The files the previous manifest lists.
    old: Vec<String>,
    tx: Transaction,
    /// Every file given: its path, whether it was staged (else its destination holds its
    /// contents), and the length and hash of its contents.
    given: Vec<(String, bool, u64, u128)>,
    /// Files given that would replace a file no run generated.
    foreign: Vec<String>,
    /// The first error; once there is one, later batches are only checked.
    failure: Option<io::Error>,
    finished: bool,
}

impl<'a> Staging<'a> {
    /// Starts a write into `out` (which need not exist yet), removing the temporary copies
    /// that a run killed half-way left beside the files it generated before.
    pub fn new(out: &'a Path) -> Staging<'a> {
        let old = previous(out);
        remove_leftovers(out, old.iter().map(String::as_str));
        Staging {
            out,
            old,
            tx: Transaction::default(),
            given: Vec::new(),
            foreign: Vec::new(),
            failure: None,
            finished: false,
        }
    }

    /// Checks `files` and writes each under a temporary name beside its destination,
    /// unless the destination already holds its contents. A problem (a path outside the
    /// output folder, a file that was not generated, an error of the file system) is
    /// kept for [`Staging::finish`] to answer.
    pub fn stage(&mut self, files: &[File]) {
        if self.failure.is_none() {
            self.failure = unsafe_path(files);
        }
        self.foreign.extend(foreign(self.out, files, &self.old));
        if self.failure.is_some() || !self.foreign.is_empty() {
            return;
        }
        remove_leftovers(self.out, files.iter().map(|f| f.path.as_str()));
        match self.tx.stage(self.out, files) {
            Ok(staged) => self.given.extend(
                files
                    .iter()
                    .zip(staged)
                    .map(|(f, s)| (f.path.clone(), s.tmp.is_some(), s.len, s.hash)),
            ),
            Err(e) => self.failure = Some(e),
        }
    }

    /// Writes the manifest of every file given, then renames every staged file into
    /// place and removes the files generated before that none of them replaces. Answers
    /// what changed, with the number and hash of the generated files, manifest included,
    /// as the stamp records them ([`stamp::Stamp::of_run`]). On any error, nothing in
    /// the output folder has changed.
    pub fn finish(mut self) -> io::Result<(Written, (usize, u128))> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        if !self.foreign.is_empty() {
            self.foreign.sort();
            return Err(foreign_error(&self.foreign));
        }
        // Listed as `write` lists a generation's files: by path, the manifest last.
        self.given.sort_by(|a, b| a.0.cmp(&b.0));
        let list = manifest(self.given.iter().map(|g| g.0.as_str()));
        self.stage(std::slice::from_ref(&list));
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        let digest = stamp::combine(
            list.contents.as_bytes(),
            self.given
                .iter()
                .filter(|g| g.0 != MANIFEST)
                .map(|(path, _, len, hash)| (path.as_str(), *len, *hash)),
        );
        let mut done = Written::default();
        for (path, staged, _, _) in &self.given {
            if *staged {
                done.written.push(path.clone());
            } else {
                done.unchanged += 1;
            }
        }
        let new: HashSet<&str> = self.given.iter().map(|g| g.0.as_str()).collect();
        done.removed = self.tx.swap_in(self.out, &self.old, &new)?;
        self.finished = true;
        std::mem::take(&mut self.tx).commit(self.out);
        Ok((done, (self.given.len(), digest)))
    }
}

impl Drop for Staging<'_> {
    /// Unfinished or failed: every temporary file, every renamed file and every folder
    /// made is put back as it was.
    fn drop(&mut self) {
        if !self.finished {
            std::mem::take(&mut self.tx).roll_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{with_manifest, write};
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path.clone());
                }
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
        out.sort();
        out
    }

    fn batches() -> [Vec<File>; 2] {
        [
            vec![
                File::new("src/lib.rs", "// @generated\n"),
                File::new("src/models/pet.rs", "// @generated\npub struct Pet;\n"),
            ],
            vec![File::new("docs/Pet.md", "# Pet\n")],
        ]
    }

    #[test]
    fn batches_staged_in_turn_write_what_one_write_of_them_all_writes() {
        let one = tempfile::tempdir().unwrap();
        let all: Vec<File> = batches().into_iter().flatten().collect();
        let files = with_manifest(all);
        let written = write(one.path(), &files).unwrap();
        let steps = tempfile::tempdir().unwrap();
        let mut staging = Staging::new(steps.path());
        for batch in batches() {
            staging.stage(&batch);
            assert!(
                !steps.path().join("src/lib.rs").exists(),
                "nothing in place before the end"
            );
        }
        let (staged, outputs) = staging.finish().unwrap();
        assert_eq!(staged, written);
        assert_eq!(names(steps.path()), names(one.path()));
        for f in &files {
            let on_disk = std::fs::read_to_string(steps.path().join(&f.path)).unwrap();
            assert_eq!(on_disk, f.contents, "{}", f.path);
        }
        assert_eq!(stamp::outputs_on_disk(steps.path()), Some(outputs));
    }

    #[test]
    fn a_staging_dropped_or_refused_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &with_manifest(batches()[0].clone())).unwrap();
        let before = names(dir.path());
        let mut staging = Staging::new(dir.path());
        staging.stage(&[File::new("src/lib.rs", "// @generated\nchanged\n")]);
        staging.stage(&batches()[1]);
        drop(staging);
        assert_eq!(names(dir.path()), before);
        std::fs::write(dir.path().join("src/mine.rs"), "// mine\n").unwrap();
        let before = names(dir.path());
        let mut staging = Staging::new(dir.path());
        staging.stage(&batches()[1]);
        staging.stage(&[File::new("src/mine.rs", "// @generated\n")]);
        let err = staging.finish().unwrap_err();
        assert!(err.to_string().contains("src/mine.rs"), "{err}");
        assert_eq!(names(dir.path()), before);
    }
}
