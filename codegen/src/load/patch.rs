//! `[[patch]]` settings: corrections applied to a document right after it is
//! read, before any of its schemas are.
//!
//! Each applied patch is reported as a note at the node it changed; a patch
//! that changes nothing (its value is already there, the node it removes is
//! gone, or its pointer leads nowhere) is reported as no longer needed, at
//! the patch in the settings file, so that a team sees when a vendor fixed
//! its description.

use super::pointer::unescape_segment;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::settings::{Change, Patch};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The patches of a run and what became of each.
pub struct Patches<'p> {
    patches: &'p [Patch],
    /// The input documents (normalised paths), which patches without `file` apply to.
    inputs: Vec<PathBuf>,
    outcomes: Vec<Outcome>,
}

/// What became of one patch.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// No file it applies to was read.
    NoFile,
    /// It changed at least one document.
    Applied,
    /// It changed nothing: why, and in which file.
    Unneeded(&'static str, String),
}

/// What applying one patch to one document did.
enum Applied {
    Replaced,
    Added,
    Removed,
    Unneeded(&'static str),
}

impl<'p> Patches<'p> {
    /// The patches of `settings` for a run over `inputs` (normalised paths).
    /// A patch without `file` when there are several inputs is an error.
    pub fn new(patches: &'p [Patch], inputs: Vec<PathBuf>, diagnostics: &mut Diagnostics) -> Self {
        if inputs.len() > 1 {
            for (i, patch) in patches.iter().enumerate() {
                if patch.file.is_none() {
                    diagnostics.push(
                        at_patch(
                            Diagnostic::error(
                                "",
                                "",
                                "this patch does not say which schema file it applies to, and there are several",
                            ),
                            patch,
                            i,
                        )
                        .with_hint("add `file = \"api.yaml\"` (the end of the file's path) to the `[[patch]]`"),
                    );
                }
            }
        }
        Patches {
            patches,
            inputs,
            outcomes: vec![Outcome::NoFile; patches.len()],
        }
    }

    /// Whether any patch for the file at `path` changes a node that `root`
    /// lacks (so that a document read in part must be read whole first).
    pub fn reach_beyond(&self, path: &Path, root: &Value) -> bool {
        self.for_file(path)
            .any(|(_, p)| root.pointer(&p.pointer).is_none())
    }

    /// Applies the patches for the file at `path` (shown as `name`) to its
    /// document `root`, reporting each change.
    pub fn apply(
        &mut self,
        path: &Path,
        name: &str,
        root: &mut Value,
        diagnostics: &mut Diagnostics,
    ) {
        let matching: Vec<usize> = self.for_file(path).map(|(i, _)| i).collect();
        for i in matching {
            let (Some(patch), Some(outcome)) = (self.patches.get(i), self.outcomes.get_mut(i))
            else {
                continue;
            };
            let done = match change(root, &patch.pointer, &patch.change) {
                Applied::Unneeded(why) => {
                    if *outcome != Outcome::Applied {
                        *outcome = Outcome::Unneeded(why, name.to_owned());
                    }
                    continue;
                }
                Applied::Replaced => "replaced",
                Applied::Added => "added",
                Applied::Removed => "removed",
            };
            *outcome = Outcome::Applied;
            let mut message = format!("patch applied: value {done}");
            if let Some(reason) = &patch.reason {
                message.push_str(&format!(" ({reason})"));
            }
            let mut note = Diagnostic::note(name, patch.pointer.clone(), message);
            if let Some((file, at)) = &patch.origin {
                note = note.with_hint(format!(
                    "by the `[[patch]]` at {file}:{}:{}",
                    at.line, at.column
                ));
            }
            diagnostics.push(note);
        }
    }

    /// Applies the patches for the file at `path` again, without reports: for a
    /// document read again whole after a first read in part.
    pub fn reapply(&self, path: &Path, root: &mut Value) {
        for (_, patch) in self.for_file(path) {
            change(root, &patch.pointer, &patch.change);
        }
    }

    /// Reports every patch that changed nothing.
    pub fn finish(self, diagnostics: &mut Diagnostics) {
        for (i, (patch, outcome)) in self.patches.iter().zip(self.outcomes).enumerate() {
            let why = match outcome {
                Outcome::Applied => continue,
                Outcome::NoFile => match &patch.file {
                    Some(file) => format!("no schema file read ends with `{file}`"),
                    None => continue, // reported by `new`, or there is no input
                },
                Outcome::Unneeded(why, file) => format!("`{}` in `{file}` {why}", patch.pointer),
            };
            diagnostics.push(
                at_patch(
                    Diagnostic::warning("", "", format!("patch no longer needed: {why}")),
                    patch,
                    i,
                )
                .with_hint("remove this `[[patch]]`"),
            );
        }
    }

    /// The patches (with their index) that apply to the file at `path`.
    fn for_file<'s>(&'s self, path: &'s Path) -> impl Iterator<Item = (usize, &'p Patch)> + 's {
        let patches: &'p [Patch] = self.patches;
        patches
            .iter()
            .enumerate()
            .filter(move |(_, p)| match &p.file {
                Some(file) => path.ends_with(super::normalize(Path::new(file))),
                None => self.inputs.len() == 1 && self.inputs.iter().any(|i| i == path),
            })
    }
}

/// `diagnostic` placed at the `[[patch]]` table (number `index`) in the settings file.
fn at_patch(mut diagnostic: Diagnostic, patch: &Patch, index: usize) -> Diagnostic {
    diagnostic.pointer = format!("/patch/{index}");
    match &patch.origin {
        Some((file, at)) => {
            diagnostic.file.clone_from(file);
            diagnostic.at(*at)
        }
        None => {
            diagnostic.file = crate::settings::FILE_NAME.to_owned();
            diagnostic
        }
    }
}

/// Makes `change` at `pointer` in `root`.
fn change(root: &mut Value, pointer: &str, change: &Change) -> Applied {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Applied::Unneeded("leads nowhere");
    };
    let key = unescape_segment(last);
    let Some(parent) = root.pointer_mut(parent) else {
        return Applied::Unneeded("leads nowhere: its parent is not there");
    };
    match (parent, change) {
        (Value::Object(map), Change::Set(value)) => match map.get_mut(&key) {
            Some(old) if old == value => Applied::Unneeded("already has the patched value"),
            Some(old) => {
                *old = value.clone();
                Applied::Replaced
            }
            None => {
                map.insert(key, value.clone());
                Applied::Added
            }
        },
        (Value::Object(map), Change::Remove) => match map.shift_remove(&key) {
            Some(_) => Applied::Removed,
            None => Applied::Unneeded("is already gone"),
        },
        (Value::Array(items), change) => {
            let index = if key == "-" {
                Some(items.len())
            } else {
                index(&key)
            };
            let len = items.len();
            match (index, change) {
                (Some(i), Change::Set(value)) => match items.get_mut(i) {
                    Some(old) if old == value => Applied::Unneeded("already has the patched value"),
                    Some(old) => {
                        *old = value.clone();
                        Applied::Replaced
                    }
                    None if i == len => {
                        items.push(value.clone());
                        Applied::Added
                    }
                    None => Applied::Unneeded("leads nowhere: the array is shorter"),
                },
                (Some(i), Change::Remove) if i < len => {
                    items.remove(i);
                    Applied::Removed
                }
                (Some(_), Change::Remove) => Applied::Unneeded("is already gone"),
                (None, _) => Applied::Unneeded("leads nowhere: an array index is not a number"),
            }
        }
        _ => Applied::Unneeded("leads nowhere: its parent is not an object or array"),
    }
}

/// A canonical decimal array index (`0`, `12`; not `01` or `+1`).
fn index(segment: &str) -> Option<usize> {
    let canonical = segment == "0"
        || (!segment.starts_with('0')
            && !segment.is_empty()
            && segment.bytes().all(|b| b.is_ascii_digit()));
    if canonical {
        segment.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(value: Value) -> Change {
        Change::Set(value)
    }

    #[test]
    fn a_change_replaces_adds_or_removes_and_keeps_member_order() {
        let mut doc = json!({"a": {"x": 1, "y": 2, "z": 3}, "list": [1, 2]});
        assert!(matches!(
            change(&mut doc, "/a/y", &set(json!(5))),
            Applied::Replaced
        ));
        assert!(matches!(
            change(&mut doc, "/a/w", &set(json!(0))),
            Applied::Added
        ));
        assert!(matches!(
            change(&mut doc, "/a/x", &Change::Remove),
            Applied::Removed
        ));
        assert!(matches!(
            change(&mut doc, "/list/-", &set(json!(3))),
            Applied::Added
        ));
        assert!(matches!(
            change(&mut doc, "/list/0", &Change::Remove),
            Applied::Removed
        ));
        assert_eq!(
            serde_json::to_string(&doc).ok().as_deref(),
            Some(r#"{"a":{"y":5,"z":3,"w":0},"list":[2,3]}"#)
        );
    }

    #[test]
    fn a_change_that_changes_nothing_says_why() {
        let mut doc = json!({"a": {"b~c/d": 1}, "list": [1]});
        let before = doc.clone();
        for (pointer, change_, why) in [
            ("/a/b~0c~1d", set(json!(1)), "already has"),
            ("/a/gone", Change::Remove, "already gone"),
            ("/nothing/here", set(json!(1)), "leads nowhere"),
            ("/a/b~0c~1d/deeper", set(json!(1)), "not an object or array"),
            ("/list/5", set(json!(1)), "shorter"),
            ("/list/01", Change::Remove, "not a number"),
        ] {
            match change(&mut doc, pointer, &change_) {
                Applied::Unneeded(said) => assert!(said.contains(why), "{pointer}: {said}"),
                _ => panic!("{pointer} changed the document"),
            }
        }
        assert_eq!(doc, before);
    }
}
