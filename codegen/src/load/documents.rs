//! Reading documents: each file once, its version, and its named schemas.

use super::pointer::child;
use super::schema::{SchemaReader, Target};
use super::source::{self, FileId, SourceFile};
use super::{display, ids, lookup, normalize, schema, Loader, NamedSchema, Version, NO_MODELS};
use crate::diagnostic::Diagnostic;
use serde_json::Value;
use std::path::Path;

impl Loader<'_> {
    /// Reads and parses a file once; returns its id.
    pub(super) fn open(&mut self, path: &Path, referrer: Option<(&str, &str)>) -> Option<FileId> {
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
    pub(super) fn whole_document_for(&mut self, file: FileId, pointer: &str) {
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
                        schema::keywords::kind_of(root)
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
}
