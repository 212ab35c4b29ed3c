//! Resolving `$ref` and `$dynamicRef` to the schema they name, across files.

use super::pointer::{self, child, unescape_segment};
use super::schema::{self, Additional, Items, Schema, SchemaReader, Target};
use super::source::FileId;
use super::{dynamic, ids, lookup, Loader};
use crate::diagnostic::Diagnostic;
use serde_json::Value;
use std::path::Path;

impl Loader<'_> {
    /// Resolves every reference in every schema, loading files as needed.
    pub(super) fn resolve_all(&mut self) {
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
            if let Some(applicators) = s.applicators.stored_mut() {
                stack.extend(applicators.schemas_mut());
            }
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
