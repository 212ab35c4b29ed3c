//! Load: files on disk to a typed schema tree.
//!
//! This stage knows OpenAPI and YAML, and nothing about Rust. It reads every
//! input file (and every file a `$ref` reaches), detects each document's
//! version, reads `components/schemas` (or Swagger 2.0 `definitions`) into
//! [`Schema`] trees and resolves every `$ref` to a [`Target`].

mod dynamic;
pub mod ids;
pub mod locate;
pub mod patch;
pub mod pointer;
pub mod schema;
pub mod source;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::settings::Patch;
use pointer::{child, unescape_segment};
use schema::{Additional, Items, Schema, SchemaReader, Target};
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

impl Loader<'_> {
    /// Reads and parses a file once; returns its id.
    fn open(&mut self, path: &Path, referrer: Option<(&str, &str)>) -> Option<FileId> {
        // One spelling per file: `a/../b.yaml` and `./b.yaml` are both read as `b.yaml`.
        let key = normalize(path);
        if let Some(id) = self.by_path.get(&key) {
            return Some(*id);
        }
        let name = display(&key);
        let bytes = match self.fs.read(&key) {
            Ok(b) => b,
            Err(e) => {
                let d = match referrer {
                    Some((file, pointer)) => {
                        Diagnostic::error(file, pointer, format!("cannot read `{name}`: {e}"))
                            .with_hint(
                                "references to other files are relative to the referring file",
                            )
                    }
                    None => Diagnostic::error(&name, "", format!("cannot read: {e}")),
                };
                self.diagnostics.push(d);
                return None;
            }
        };
        let id = FileId(self.spec.files.len());
        self.by_path.insert(key.clone(), id);
        let key_path = key.clone();
        self.paths.push(key);
        let mut readable = true;
        let text = match source::decode(&name, bytes) {
            Ok(t) => t,
            Err((d, lossy)) => {
                readable = false;
                self.diagnostics.push(d);
                lossy
            }
        };
        let parsed = if !readable {
            None
        } else {
            match source::parse_models(&name, &text) {
                Ok(v) => Some(v),
                Err(d) => {
                    self.diagnostics.push(d);
                    None
                }
            }
        };
        self.spec.files.push(SourceFile {
            name: name.clone(),
            text,
        });
        let Some((mut root, mut partial)) = parsed else {
            self.roots.push((Value::Null, Version::OpenApi30, false));
            self.ids.push(ids::Ids::document(id.0, &name));
            return Some(id);
        };
        if let Some(text) = self.spec.files.last().map(|f| f.text.as_str()) {
            if partial && self.patches.reach_beyond(&key_path, &root) {
                if let Ok(whole) = source::parse(&name, text) {
                    root = whole;
                    partial = false;
                }
            }
        }
        self.patches
            .apply(&key_path, &name, &mut root, self.diagnostics);
        let version = self.version(&root, &name);
        if self.spec.title.is_none() {
            self.spec.title = root
                .pointer("/info/title")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        self.read_named_schemas(id, &name, &root, version, referrer.is_none());
        self.ids.push(ids::Ids::build(
            id.0,
            &name,
            &root,
            version,
            self.diagnostics,
        ));
        self.roots.push((root, version, partial));
        Some(id)
    }

    /// Reads the whole of a file whose parts without models were left out, when `pointer`
    /// points into one of them.
    fn whole_document_for(&mut self, file: FileId, pointer: &str) {
        let Some((root, _, partial)) = self.roots.get(file.0) else {
            return;
        };
        if !*partial || lookup(root, pointer).is_some() {
            return;
        }
        let mut whole = self
            .spec
            .files
            .get(file.0)
            .and_then(|f| source::parse(&f.name, &f.text).ok());
        if let (Some(whole), Some(path)) = (&mut whole, self.paths.get(file.0)) {
            self.patches.reapply(path, whole);
        }
        if let (Some(whole), Some(slot)) = (whole, self.roots.get_mut(file.0)) {
            slot.0 = whole;
            slot.2 = false;
        }
    }

    fn version(&mut self, root: &Value, name: &str) -> Version {
        if let Some(v) = root.get("openapi").and_then(Value::as_str) {
            if v.starts_with("3.1") {
                return Version::OpenApi31;
            }
            if !v.starts_with("3.0") {
                self.diagnostics.push(
                    Diagnostic::warning(name, "/openapi", format!("unknown OpenAPI version `{v}`"))
                        .with_hint("reading it as OpenAPI 3.0"),
                );
            }
            return Version::OpenApi30;
        }
        if root.get("swagger").is_some() {
            return Version::Swagger2;
        }
        // A bare fragment file (for example `common.yaml` holding only schemas).
        Version::OpenApi30
    }

    fn read_named_schemas(
        &mut self,
        id: FileId,
        name: &str,
        root: &Value,
        version: Version,
        is_input: bool,
    ) {
        let (pointer, found) = if let Some(s) = root.pointer("/components/schemas") {
            ("/components/schemas", Some(s))
        } else if let Some(s) = root.get("definitions") {
            ("/definitions", Some(s))
        } else {
            ("", None)
        };
        let Some(schemas) = found else {
            let described = root.get("openapi").is_some() || root.get("swagger").is_some();
            if is_input && described {
                // An API description without named schemas is valid: it has no models.
                self.diagnostics.push(
                    Diagnostic::warning(
                        name,
                        "",
                        NO_MODELS,
                    )
                    .with_hint("models are generated from `components/schemas` (`definitions` in Swagger 2.0); inline schemas of operations are not read"),
                );
            } else if is_input && root.is_object() {
                self.diagnostics.push(
                    Diagnostic::error(
                        name,
                        "",
                        "the document has no `components/schemas` or `definitions`",
                    )
                    .with_hint("put the models under `components: schemas:`"),
                );
            } else if is_input {
                self.diagnostics.push(Diagnostic::error(
                    name,
                    "",
                    format!(
                        "expected an OpenAPI document (an object), found {}",
                        schema::kind_of(root)
                    ),
                ));
            }
            return;
        };
        let Value::Object(map) = schemas else {
            self.diagnostics.push(Diagnostic::error(
                name,
                pointer,
                "expected a map of schemas",
            ));
            return;
        };
        let mut reader = SchemaReader {
            file: id,
            file_name: name,
            version,
            diagnostics: self.diagnostics,
        };
        self.spec.schemas.reserve_exact(map.len());
        for (schema_name, value) in map {
            let at = child(pointer, schema_name);
            let schema = reader.read(value, &at);
            self.named.insert(Target {
                file: id,
                pointer: at,
            });
            self.spec.schemas.push(NamedSchema {
                name: schema_name.clone(),
                schema,
            });
        }
    }

    /// Resolves every reference in every schema, loading files as needed.
    fn resolve_all(&mut self) {
        // Resolving may load more files, which adds named schemas and
        // fragments; work through both until nothing new appears.
        let mut next = 0;
        loop {
            if let Some(mut named) = self
                .spec
                .schemas
                .get_mut(next)
                .map(|n| std::mem::take(&mut n.schema))
            {
                self.resolve_tree(&mut named);
                if let Some(slot) = self.spec.schemas.get_mut(next) {
                    slot.schema = named;
                }
                next += 1;
            } else if let Some(target) = self.fragment_queue.pop() {
                // Cloned, not removed: a fragment that refers to itself must
                // still be found while it is being resolved.
                if let Some(mut fragment) = self.spec.fragments.get(&target).cloned() {
                    self.resolve_tree(&mut fragment);
                    self.spec.fragments.insert(target, fragment);
                }
            } else {
                break;
            }
        }
    }

    fn resolve_tree(&mut self, schema: &mut Schema) {
        let mut stack: Vec<&mut Schema> = vec![schema];
        while let Some(s) = stack.pop() {
            if let Some(reference) = &mut s.reference {
                reference.target = self.resolve(s.file, &s.pointer, reference);
            }
            if let Some(d) = &mut s.discriminator {
                for (_, r) in &mut d.mapping {
                    r.target = self.resolve(s.file, &s.pointer, r);
                }
            }
            for (_, p) in &mut s.properties {
                stack.push(p);
            }
            if let Some(Additional::Schema(a)) = &mut s.additional {
                stack.push(a);
            }
            match &mut s.items {
                Some(Items::Single(i)) => stack.push(i),
                Some(Items::Tuple(tuple)) => {
                    stack.extend(tuple.positions.iter_mut());
                    stack.extend(tuple.rest.as_deref_mut());
                }
                None => {}
            }
            stack.extend(s.all_of.iter_mut());
            stack.extend(s.any_of.iter_mut());
            stack.extend(s.one_of.iter_mut());
            stack.extend(s.applicators.schemas_mut());
        }
    }

    fn resolve(&mut self, file: FileId, at: &str, reference: &schema::Reference) -> Option<Target> {
        let from_name = self.spec.file_name(file).to_owned();
        let keyword = if reference.dynamic {
            "$dynamicRef"
        } else {
            "$ref"
        };
        let at_ref = child(at, keyword);
        let (target_file, resource) = self.resource_of(file, at, reference, &at_ref)?;
        let root_len = self
            .resource(target_file, resource)
            .map_or(0, |r| r.pointer.len());
        let pointer = match &reference.anchor {
            None => {
                let root = self.resource(target_file, resource)?.pointer.clone();
                format!("{root}{}", reference.pointer)
            }
            Some(name) => {
                let found = self
                    .ids
                    .get(target_file.0)
                    .and_then(|ids| ids.anchor(resource, name))
                    .map(|a| (a.pointer.clone(), a.dynamic));
                match found {
                    Some((_, true)) if reference.dynamic && target_file == file => {
                        self.dynamic_target(file, at, name, resource, &at_ref, reference)?
                    }
                    Some((pointer, _)) => pointer,
                    None => {
                        let ids = self.ids.get(target_file.0)?;
                        let uri = ids
                            .resources
                            .get(resource)
                            .map_or("", |r| ids::shown(&r.uri));
                        let names = ids.anchor_names(resource);
                        let hint = match schema::closest(name, &names) {
                            Some(near) => format!("did you mean `#{near}`?"),
                            None if names.is_empty() => format!(
                                "declare `$anchor: {name}` on the schema meant, or refer to it by JSON Pointer"
                            ),
                            None => format!("its anchors are: {}", names.join(", ")),
                        };
                        let d = Diagnostic::error(
                            &from_name,
                            &at_ref,
                            format!("`{}` names no anchor of `{uri}`", reference.text),
                        )
                        .with_hint(hint);
                        self.diagnostics.push(d);
                        return None;
                    }
                }
            }
        };
        self.whole_document_for(target_file, &pointer);
        let (root, version, _) = self.roots.get(target_file.0)?;
        let version = *version;
        if root.is_null() {
            return None; // the file's own error is already reported
        }
        let target = Target {
            file: target_file,
            pointer,
        };
        if self.named.contains(&target) || self.spec.fragments.contains_key(&target) {
            return Some(target);
        }
        let Some(value) = lookup(root, &target.pointer) else {
            let mut d = Diagnostic::error(
                &from_name,
                &at_ref,
                format!("`{}` points at nothing", reference.text),
            );
            if let Some((parent, name)) = target.pointer.rsplit_once('/') {
                let name = unescape_segment(name);
                let siblings: Vec<&str> = lookup(root, parent)
                    .and_then(Value::as_object)
                    .map(|m| m.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                d = d.with_hint(match schema::closest(&name, &siblings) {
                    Some(near) => {
                        // As written: from the root of the resource the reference is read in.
                        let written = parent.get(root_len..).unwrap_or(parent);
                        let near = pointer::escape_segment(near);
                        format!("did you mean `{}#{written}/{near}`?", reference.file_part)
                    }
                    None if parent.is_empty() => format!("add `{name}` to the document"),
                    None => format!("add `{name}` to {}", parent.trim_start_matches('/')),
                });
            }
            self.diagnostics.push(d);
            return None;
        };
        let name = self.spec.file_name(target_file).to_owned();
        let mut reader = SchemaReader {
            file: target_file,
            file_name: &name,
            version,
            diagnostics: self.diagnostics,
        };
        let schema = reader.read(value, &target.pointer);
        self.spec.fragments.insert(target.clone(), schema);
        self.fragment_queue.push(target.clone());
        Some(target)
    }

    fn resource(&self, file: FileId, index: usize) -> Option<&ids::Resource> {
        self.ids.get(file.0)?.resources.get(index)
    }

    /// The file and schema resource that the URI part of a reference leads to: resolved
    /// against the nearest `$id` around the reference (else the document), it names a
    /// resource of this document or of a file already read, or else a file relative to the
    /// referring one.
    fn resource_of(
        &mut self,
        file: FileId,
        at: &str,
        reference: &schema::Reference,
        at_ref: &str,
    ) -> Option<(FileId, usize)> {
        let ids = self.ids.get(file.0)?;
        let base_index = if reference.by_name {
            0
        } else {
            ids.resource_at(at)
        };
        if reference.file_part.is_empty() {
            return Some((file, base_index));
        }
        let base = ids.resources.get(base_index)?.uri.clone();
        let uri = ids::resolve(&base, &reference.file_part);
        if let Some(index) = ids.find(&uri) {
            return Some((file, index));
        }
        let elsewhere = self
            .ids
            .iter()
            .enumerate()
            .find_map(|(other, o)| o.find(&uri).map(|index| (FileId(other), index)));
        if elsewhere.is_some() {
            return elsewhere;
        }
        let from_name = self.spec.file_name(file).to_owned();
        let relative_file = if ids::has_scheme(&reference.file_part) {
            None
        } else if base_index == 0 {
            // No `$id` around the reference: a file relative to the referring one.
            Some(reference.file_part.clone())
        } else {
            // Relative `$id`s only: the path they lead to, relative to the referring file.
            let document = ids.resources.first().map_or("", |r| r.uri.as_str());
            let folder = document.rfind('/').map_or("", |end| &document[..=end]);
            uri.strip_prefix(folder)
                .filter(|rest| !folder.is_empty() && !rest.is_empty())
                .map(str::to_owned)
        };
        let Some(relative) = relative_file else {
            let d = if ids::is_document_uri(&uri) {
                Diagnostic::error(
                    &from_name,
                    at_ref,
                    format!(
                        "`{}` resolves to `{}`, which no schema declares as its `$id`",
                        reference.text,
                        ids::shown(&uri)
                    ),
                )
                .with_hint("references resolve against the nearest `$id`; refer to the schema by a JSON Pointer, or give it that `$id`")
            } else {
                Diagnostic::error(
                    &from_name,
                    at_ref,
                    format!("remote reference `{}` is not supported", reference.text),
                )
                .with_hint(format!(
                    "no schema read declares `$id: {uri}`; download the file next to the schemas and use a relative path"
                ))
            };
            self.diagnostics.push(d);
            return None;
        };
        let base_dir = self
            .paths
            .get(file.0)
            .and_then(|p| p.parent())
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let path = base_dir.join(relative);
        let opened = self.open(&path, Some((&from_name, at_ref)))?;
        Some((opened, 0))
    }

    /// The schema a `$dynamicRef` to a `$dynamicAnchor` leads to, when every way into the
    /// reference from a named schema of its document finds the same outermost resource with
    /// that anchor (see [`dynamic`]).
    fn dynamic_target(
        &mut self,
        file: FileId,
        at: &str,
        name: &str,
        initial: usize,
        at_ref: &str,
        reference: &schema::Reference,
    ) -> Option<String> {
        let (root, _, _) = self.roots.get(file.0)?;
        let ids = self.ids.get(file.0)?;
        let mut entries: Vec<&str> = self
            .named
            .iter()
            .filter(|t| t.file == file)
            .map(|t| t.pointer.as_str())
            .collect();
        entries.sort_unstable();
        match dynamic::outermost(ids, root, &entries, at, name, initial) {
            Ok(resource) => ids.anchor(resource, name).map(|a| a.pointer.clone()),
            Err(ways) => {
                let listed: Vec<String> = ways
                    .iter()
                    .map(|(resource, entry)| {
                        let to = ids
                            .anchor(*resource, name)
                            .map_or(String::new(), |a| a.pointer.clone());
                        format!("`{to}` from `{entry}`")
                    })
                    .collect();
                let d = Diagnostic::error(
                    self.spec.file_name(file),
                    at_ref,
                    format!(
                        "`{}` leads to different schemas depending on the way in: {}",
                        reference.text,
                        listed.join(", ")
                    ),
                )
                .with_hint("a generated type is one type wherever it is used: refer to the schema meant with `$ref`, or keep one `$dynamicAnchor` of this name in reach");
                self.diagnostics.push(d);
                None
            }
        }
    }
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
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// Files held in memory, by path.
    struct Memory(Vec<(&'static str, &'static str)>);

    impl FileSource for Memory {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            let wanted = display(path);
            self.0
                .iter()
                .find(|(p, _)| *p == wanted)
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
        }
    }

    fn load_memory(files: Vec<(&'static str, &'static str)>) -> (Spec, Diagnostics) {
        let input = PathBuf::from(files.first().map_or("", |f| f.0));
        let mut diagnostics = Diagnostics::new();
        let spec = load(&[input], &Memory(files), &mut diagnostics);
        (spec, diagnostics)
    }

    const PET: &str = "components:\n  schemas:\n    Pet:\n      type: object\n";

    /// The tuple `items` of each named schema: positions, and whether the items after them
    /// are free (`None`), closed (`Some(true)`) or held to a schema (`Some(false)`).
    fn tuples(text: &'static str) -> (Vec<(usize, Option<bool>)>, Vec<String>) {
        let (spec, d) = load_memory(vec![("api.yaml", text)]);
        let shapes = spec
            .schemas
            .iter()
            .filter_map(|s| match &s.schema.items {
                Some(schema::Items::Tuple(t)) => {
                    Some((t.positions.len(), t.rest.as_ref().map(|r| r.never)))
                }
                _ => None,
            })
            .collect();
        let messages = d
            .iter()
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect();
        (shapes, messages)
    }

    #[test]
    fn prefix_items_take_the_items_beside_them_as_the_rest_in_either_order() {
        let (shapes, messages) = tuples(
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    Closed:\n      items: false\n      prefixItems: [{type: string}, {type: integer}]\n    Rest:\n      prefixItems: [{type: string}]\n      items: {type: integer}\n    Free:\n      prefixItems: [{type: string}]\n      items: true\n",
        );
        assert_eq!(shapes, [(2, Some(true)), (1, Some(false)), (1, None)]);
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn a_draft_4_tuple_takes_additional_items_as_the_rest() {
        let (shapes, messages) = tuples(
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Closed:\n      additionalItems: false\n      items: [{type: string}]\n    Rest:\n      items: [{type: string}]\n      additionalItems: {type: integer}\n    Free:\n      items: [{type: string}, {}]\n",
        );
        assert_eq!(shapes, [(1, Some(true)), (1, Some(false)), (2, None)]);
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn a_list_of_items_beside_prefix_items_is_reported() {
        let (shapes, messages) = tuples(
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    Both:\n      prefixItems: [{type: string}]\n      items: [{type: integer}]\n",
        );
        assert_eq!(shapes, [(1, None)]);
        assert_eq!(
            messages,
            ["/components/schemas/Both/items `items` beside `prefixItems` must be one schema, not a list"]
        );
    }

    #[test]
    fn an_unknown_openapi_version_is_read_as_3_0_with_a_warning() {
        let (spec, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 4.0.0\ncomponents:\n  schemas:\n    Pet:\n      type: object\n",
        )]);
        assert_eq!(spec.schemas.len(), 1);
        let messages: Vec<String> = d
            .iter()
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect();
        assert_eq!(
            messages,
            vec!["/openapi unknown OpenAPI version `4.0.0`".to_owned()]
        );
    }

    #[test]
    fn a_reference_into_the_paths_of_a_json_document_still_resolves() {
        // `paths` is left out of the first read of a JSON document; a reference into it
        // reads the whole document.
        let (spec, d) = load_memory(vec![(
            "api.json",
            r##"{"openapi": "3.0.3",
                "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"type": "string", "maxLength": 3}}}}}}}},
                "components": {"examples": {"e": {"value": 1}}, "schemas": {
                    "Pet": {"properties": {"name": {"$ref":
                        "#/paths/~1pets/get/responses/200/content/application~1json/schema"}}}}}}"##,
        )]);
        assert!(d.is_empty(), "{d}");
        let name = &spec.schemas[0].schema.properties[0].1;
        let target = name.reference.as_ref().and_then(|r| r.target.as_ref());
        let fragment = target.and_then(|t| spec.fragments.get(t));
        assert_eq!(fragment.and_then(|f| f.max_length), Some(3));
    }

    #[test]
    fn the_parts_of_a_json_document_without_models_are_left_out_but_checked() {
        let text = r#"{"openapi": "3.0.3", "paths": {"/a": {}}, "tags": [],
            "components": {"examples": {"e": {}}, "schemas": {"A": {}}}}"#;
        let (value, skipped) = source::parse_models("api.json", text).expect("parses");
        assert!(skipped);
        assert_eq!(
            value,
            serde_json::json!({"openapi": "3.0.3", "components": {"schemas": {"A": {}}}})
        );
        let broken = r#"{"openapi": "3.0.3", "paths": {"/a": [}, "components": {}}"#;
        let error = source::parse_models("api.json", broken).expect_err("a syntax error");
        assert!(
            error.message.contains("not valid JSON"),
            "{}",
            error.message
        );
    }

    #[test]
    fn each_version_reads_its_own_schema_location() {
        for (text, name) in [
            ("openapi: 3.0.3\n", "A"),
            ("openapi: 3.1.0\n", "B"),
            ("swagger: '2.0'\n", "C"),
        ] {
            let doc = if name == "C" {
                format!("{text}definitions:\n  {name}:\n    type: string\n")
            } else {
                format!("{text}components:\n  schemas:\n    {name}:\n      type: string\n")
            };
            let doc: &'static str = Box::leak(doc.into_boxed_str());
            let (spec, d) = load_memory(vec![("api.yaml", doc)]);
            assert!(d.is_empty(), "{d}");
            let names: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, vec![name]);
        }
    }

    #[test]
    fn a_reference_into_another_file_resolves_relative_to_the_referring_file() {
        let (spec, d) = load_memory(vec![
            (
                "specs/api.yaml",
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    Owner:\n      properties:\n        pet:\n          $ref: 'common/pets.yaml#/components/schemas/Pet'\n",
            ),
            ("specs/common/pets.yaml", PET),
        ]);
        assert!(d.is_empty(), "{d}");
        let names: Vec<&str> = spec.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["specs/api.yaml", "specs/common/pets.yaml"]);
        let owner = &spec.schemas[0].schema;
        let target = owner.properties[0]
            .1
            .reference
            .as_ref()
            .and_then(|r| r.target.clone());
        assert_eq!(
            target,
            Some(Target {
                file: FileId(1),
                pointer: "/components/schemas/Pet".into()
            })
        );
    }

    #[test]
    fn one_file_reached_by_two_spellings_is_read_once() {
        let (spec, d) = load_memory(vec![
            (
                "api.yaml",
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: './pets.yaml#/components/schemas/Pet'\n    B:\n      $ref: 'sub/../pets.yaml#/components/schemas/Pet'\n",
            ),
            ("pets.yaml", PET),
        ]);
        assert!(d.is_empty(), "{d}");
        assert_eq!(spec.files.len(), 2);
        let pets: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(pets, vec!["A", "B", "Pet"]);
    }

    #[test]
    fn a_reference_to_a_missing_file_is_an_error_at_the_reference() {
        let (_, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: 'gone.yaml#/components/schemas/X'\n",
        )]);
        let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "api.yaml");
        assert_eq!(errors[0].pointer, "/components/schemas/A/$ref");
        assert!(
            errors[0].message.contains("gone.yaml"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_keyword_of_the_wrong_form_is_left_out_with_a_warning() {
        // Seen in published descriptions: `pattern: 0` (api.video) and a `type`
        // that is itself a schema (codat.io).
        let (spec, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: string\n      pattern: 0\n      maxLength: ten\n    B:\n      type:\n        type: string\n        enum: [x]\n    C: 5\n",
        )]);
        let found: Vec<(Severity, &str)> =
            d.iter().map(|d| (d.severity, d.pointer.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (Severity::Warning, "/components/schemas/A/pattern"),
                (Severity::Warning, "/components/schemas/A/maxLength"),
                (Severity::Warning, "/components/schemas/B/type"),
                (Severity::Warning, "/components/schemas/C"),
            ],
            "{d}"
        );
        let a = &spec.schemas[0].schema;
        assert_eq!((a.pattern.as_deref(), a.max_length), (None, None));
        assert_eq!(spec.schemas.len(), 3);
    }

    fn target_of(schema: &Schema) -> Option<&str> {
        schema
            .reference
            .as_ref()
            .and_then(|r| r.target.as_ref())
            .map(|t| t.pointer.as_str())
    }

    #[test]
    fn references_resolve_against_the_nearest_id() {
        let (spec, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: 'http://example.com/a/root.json'\n      properties:\n        b: {$ref: 'b.json'}\n        c: {$ref: '#/$defs/c'}\n        d: {$ref: '#d'}\n      $defs:\n        b:\n          $id: b.json\n          properties:\n            x: {$ref: '#/$defs/x'}\n          $defs:\n            x: {type: string}\n        c: {$anchor: d, type: integer}\n    E:\n      properties:\n        b: {$ref: 'http://example.com/a/b.json#/$defs/x'}\n",
        )]);
        assert!(d.is_empty(), "{d}");
        let a = &spec.schemas[0].schema;
        let targets: Vec<Option<&str>> = a.properties.iter().map(|(_, p)| target_of(p)).collect();
        assert_eq!(
            targets,
            [
                Some("/components/schemas/A/$defs/b"),
                Some("/components/schemas/A/$defs/c"),
                Some("/components/schemas/A/$defs/c"),
            ]
        );
        let b = spec
            .fragments
            .values()
            .find(|f| f.pointer.ends_with("/$defs/b"));
        let x = b
            .and_then(|b| b.properties.first())
            .and_then(|(_, x)| target_of(x));
        assert_eq!(x, Some("/components/schemas/A/$defs/b/$defs/x"));
        let e = &spec.schemas[1].schema;
        assert_eq!(
            target_of(&e.properties[0].1),
            Some("/components/schemas/A/$defs/b/$defs/x")
        );
    }

    #[test]
    fn draft_4_ids_are_read_in_3_0_documents() {
        let (spec, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '#named'}\n    B:\n      id: '#named'\n      type: string\n",
        )]);
        assert!(d.is_empty(), "{d}");
        assert_eq!(
            target_of(&spec.schemas[0].schema.properties[0].1),
            Some("/components/schemas/B")
        );
    }

    #[test]
    fn relative_ids_lead_to_files_beside_the_referring_one() {
        // `sub/` is relative to the document, so `pets.yaml` inside it is `sub/pets.yaml`.
        let (spec, d) = load_memory(vec![
            (
                "api.yaml",
                "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: sub/\n      properties:\n        pet: {$ref: 'pets.yaml#/components/schemas/Pet'}\n",
            ),
            ("sub/pets.yaml", PET),
        ]);
        assert!(d.is_empty(), "{d}");
        let pet = &spec.schemas[0].schema.properties[0].1;
        let file = pet
            .reference
            .as_ref()
            .and_then(|r| r.target.as_ref())
            .map(|t| t.file);
        assert_eq!(file, Some(FileId(1)));
        assert_eq!(spec.file_name(FileId(1)), "sub/pets.yaml");
    }

    #[test]
    fn a_mapping_by_schema_name_reads_the_document_inside_an_id() {
        let (spec, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    Pet:\n      $id: 'https://example.com/pet'\n      oneOf: [{$ref: 'dog'}]\n      discriminator: {propertyName: kind, mapping: {dog: Dog}}\n    Dog:\n      $id: 'https://example.com/dog'\n      properties: {kind: {type: string}}\n",
        )]);
        assert!(d.is_empty(), "{d}");
        let pet = &spec.schemas[0].schema;
        assert_eq!(target_of(&pet.one_of[0]), Some("/components/schemas/Dog"));
        let mapped = pet
            .discriminator
            .as_ref()
            .and_then(|d| d.mapping.first())
            .and_then(|(_, r)| r.target.as_ref())
            .map(|t| t.pointer.as_str());
        assert_eq!(mapped, Some("/components/schemas/Dog"));
    }

    #[test]
    fn a_misspelt_pointer_inside_a_resource_is_suggested_as_written() {
        let (_, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: 'https://example.com/a'\n      $ref: '#/$defs/itme'\n      $defs:\n        item: {type: string}\n",
        )]);
        let hints: Vec<&str> = d.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert_eq!(hints, ["did you mean `#/$defs/item`?"], "{d}");
    }

    #[test]
    fn a_reference_to_an_unknown_anchor_is_an_error_at_the_reference() {
        let (_, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $ref: '#nowhere'\n",
        )]);
        let messages: Vec<String> = d
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.message))
            .collect();
        assert_eq!(
            messages,
            ["/components/schemas/A/$ref: `#nowhere` names no anchor of `api.yaml`"]
        );
    }

    #[test]
    fn a_reference_to_a_missing_schema_names_it() {
        let (_, d) = load_memory(vec![(
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Nope'\n",
        )]);
        let messages: Vec<String> = d
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.message))
            .collect();
        assert_eq!(
            messages,
            vec![
                "/components/schemas/A/$ref: `#/components/schemas/Nope` points at nothing"
                    .to_owned()
            ]
        );
    }
}
