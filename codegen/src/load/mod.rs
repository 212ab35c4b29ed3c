//! Load: files on disk to a typed schema tree.
//!
//! This stage knows OpenAPI and YAML, and nothing about Rust. It reads every
//! input file (and every file a `$ref` reaches), detects each document's
//! version, reads `components/schemas` (or Swagger 2.0 `definitions`) into
//! [`Schema`] trees and resolves every `$ref` to a [`Target`].

mod documents;
mod dynamic;
pub mod ids;
pub mod locate;
pub mod patch;
pub mod pointer;
mod resolve;
pub mod schema;
pub mod source;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::settings::Patch;
use schema::{Schema, Target};
use serde_json::Value;
use source::{FileId, SourceFile};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use schema::JsonType;

/// The warning for an API description without named schemas.
pub const NO_MODELS: &str =
    "the description has no `components/schemas` or `definitions`: there are no models to generate";

/// The specification a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0: schemas under `definitions`.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
}

/// One schema under `components/schemas` (or `definitions`).
#[derive(Debug, Clone)]
pub struct NamedSchema {
    /// The key it has in the document.
    pub name: String,
    /// The schema.
    pub schema: Schema,
}

/// Everything the later stages need from the input.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// Every file read, indexed by [`FileId`].
    pub files: Vec<SourceFile>,
    /// The title of the first document's `info`, if any.
    pub title: Option<String>,
    /// Named schemas of every document, in file order, then document order.
    pub schemas: Vec<NamedSchema>,
    /// Schemas that `$ref`s point at but that are not named schemas
    /// (for example `#/components/schemas/A/properties/b`).
    pub fragments: BTreeMap<Target, Schema>,
}

impl Spec {
    /// The display name of a file.
    pub fn file_name(&self, file: FileId) -> &str {
        self.files
            .get(file.0)
            .map_or("<unknown>", |f| f.name.as_str())
    }
}

/// Reads files from disk (or, in tests, from memory).
pub trait FileSource {
    /// Reads the file at `path`.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// Reads from the real file system.
pub struct Disk;

impl FileSource for Disk {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Lists the schema files under `path`: the file itself, or every
/// `.yaml`, `.yml` and `.json` file in the folder, sorted by name.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = display(path);
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        Diagnostic::error(&shown, "", format!("cannot read: {e}"))
            .with_hint("pass a schema file or a folder of them with --schemas")
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let p = entry.path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if p.is_file() && matches!(ext, "yaml" | "yml" | "json") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(
            Diagnostic::error(&shown, "", "no .yaml, .yml or .json files here")
                .with_hint("add an OpenAPI document with `components/schemas`"),
        );
    }
    Ok(files)
}

/// Shows a path with `/` separators, as given (never made absolute).
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Loads `inputs` and every file their references reach.
pub fn load(inputs: &[PathBuf], fs: &dyn FileSource, diagnostics: &mut Diagnostics) -> Spec {
    load_patched(inputs, fs, &[], diagnostics)
}

/// [`load`], applying `patches` to each document as it is read (see [`patch`]).
pub fn load_patched(
    inputs: &[PathBuf],
    fs: &dyn FileSource,
    patches: &[Patch],
    diagnostics: &mut Diagnostics,
) -> Spec {
    let normalized = inputs.iter().map(|i| normalize(i)).collect();
    let patches = patch::Patches::new(patches, normalized, diagnostics);
    let mut loader = Loader {
        fs,
        patches,
        spec: Spec::default(),
        paths: Vec::new(),
        roots: Vec::new(),
        ids: Vec::new(),
        by_path: HashMap::new(),
        named: HashSet::new(),
        fragment_queue: Vec::new(),
        diagnostics,
    };
    for input in inputs {
        loader.open(input, None);
    }
    loader.resolve_all();
    loader.patches.finish(loader.diagnostics);
    loader.spec
}

struct Loader<'a> {
    fs: &'a dyn FileSource,
    patches: patch::Patches<'a>,
    spec: Spec,
    /// Normalised path of each file, by FileId.
    paths: Vec<PathBuf>,
    /// Parsed document of each file (Null when unreadable), by FileId, and whether the
    /// parts that hold no models were left out of it.
    roots: Vec<(Value, Version, bool)>,
    /// The `$id`s and anchors of each document, by FileId.
    ids: Vec<ids::Ids>,
    by_path: HashMap<PathBuf, FileId>,
    /// Where each named schema sits.
    named: HashSet<Target>,
    /// Fragments whose own references are not resolved yet.
    fragment_queue: Vec<Target>,
    diagnostics: &'a mut Diagnostics,
}

/// Follows an RFC 6901 pointer (already percent-decoded).
fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    root.pointer(pointer)
}

/// Removes `.` and `..` without touching the disk, so one file has one id.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests;
