//! Identifiers inside a document: `$id` (draft 4's `id` in OpenAPI 3.0 and Swagger 2.0),
//! `$anchor` and `$dynamicAnchor`, and the URIs references are resolved against.
//!
//! Each document is a schema resource of its own, with a base URI made from its file. A
//! schema with an `$id` starts an embedded resource: the references inside it are resolved
//! against that `$id`, and a JSON Pointer after `#` is read from its root. The index is built
//! from the schema positions of the document (`components/schemas`, `definitions`, and the
//! keywords that hold sub-schemas), so an `$id` inside an `enum` or an `example` is data.

use super::pointer::child;
use super::Version;
use crate::diagnostic::{Diagnostic, Diagnostics};
use serde_json::{Map, Value};

/// The scheme of the base URI each document gets from its file; never shown to users.
const DOCUMENT_SCHEME: &str = "document:///";

/// Deepest nesting walked; deeper schemas are reported by the schema reader.
const MAX_DEPTH: usize = super::schema::MAX_DEPTH;

/// A schema resource: the document itself, or a schema with an `$id`.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Its absolute URI, without fragment.
    pub uri: String,
    /// The JSON Pointer of its root schema in the file.
    pub pointer: String,
    /// `$anchor`s and `$dynamicAnchor`s (draft 4: `id: "#name"`) declared in it.
    pub anchors: Vec<Anchor>,
}

/// A plain-name fragment that identifies a schema of a resource.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// The name, without `#`.
    pub name: String,
    /// The JSON Pointer of the schema.
    pub pointer: String,
    /// Declared with `$dynamicAnchor`.
    pub dynamic: bool,
}

/// The identifiers of one document.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    /// Every resource, the document itself first, then in document order.
    pub resources: Vec<Resource>,
}

impl Ids {
    /// The index of an unreadable document: the document resource alone.
    pub fn document(file_index: usize, file_name: &str) -> Ids {
        Ids {
            resources: vec![Resource {
                uri: document_uri(file_index, file_name),
                pointer: String::new(),
                anchors: Vec::new(),
            }],
        }
    }

    /// Indexes the identifiers of the document `root`, reporting malformed and repeated ones.
    pub fn build(
        file_index: usize,
        file_name: &str,
        root: &Value,
        version: Version,
        diagnostics: &mut Diagnostics,
    ) -> Ids {
        let mut walk = Walk {
            ids: Ids::document(file_index, file_name),
            version,
            file_name,
            diagnostics,
        };
        // The root itself is a schema in a bare schema file; in an OpenAPI document its
        // keys are not schema keywords, apart from Swagger 2.0's `definitions`.
        let mut pointer = String::new();
        walk.schema(root, &mut pointer, 0, 0);
        if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
            let mut pointer = "/components/schemas".to_owned();
            walk.map(schemas, &mut pointer, 0, 0);
        }
        walk.ids
    }

    /// The innermost resource holding the schema at `pointer`.
    pub fn resource_at(&self, pointer: &str) -> usize {
        let mut best = 0;
        let mut best_len = 0;
        for (index, r) in self.resources.iter().enumerate() {
            let inside = pointer == r.pointer
                || (pointer.starts_with(&r.pointer)
                    && pointer.as_bytes().get(r.pointer.len()) == Some(&b'/'));
            if inside && (r.pointer.len() >= best_len) {
                best = index;
                best_len = r.pointer.len();
            }
        }
        best
    }

    /// The resource with the absolute URI `uri`.
    pub fn find(&self, uri: &str) -> Option<usize> {
        self.resources.iter().position(|r| r.uri == uri)
    }

    /// The anchor `name` of resource `index`; for the document, also of a resource whose
    /// root is the document's root (a schema file with an `$id` at the top).
    pub fn anchor(&self, index: usize, name: &str) -> Option<&Anchor> {
        let own = self
            .resources
            .get(index)
            .and_then(|r| r.anchors.iter().find(|a| a.name == name));
        if own.is_some() || index != 0 {
            return own;
        }
        self.resources
            .iter()
            .filter(|r| r.pointer.is_empty())
            .find_map(|r| r.anchors.iter().find(|a| a.name == name))
    }

    /// The names of the anchors of resource `index`, for hints.
    pub fn anchor_names(&self, index: usize) -> Vec<&str> {
        self.resources
            .get(index)
            .map(|r| r.anchors.iter().map(|a| a.name.as_str()).collect())
            .unwrap_or_default()
    }
}

/// The keyword that gives a schema its identifier in this version.
pub fn id_keyword(version: Version) -> &'static str {
    match version {
        Version::OpenApi31 => "$id",
        Version::OpenApi30 | Version::Swagger2 => "id",
    }
}

/// The base URI of a document: unique per file, hierarchical so that relative `$id`s and
/// references resolve against it as against any other.
fn document_uri(file_index: usize, file_name: &str) -> String {
    let last = file_name.rsplit('/').next().unwrap_or(file_name);
    let last: String = last
        .chars()
        .map(|c| match c {
            '#' | '?' | '%' | ' ' => '_',
            c => c,
        })
        .collect();
    format!("{DOCUMENT_SCHEME}{file_index}/{last}")
}

/// Appends a JSON Pointer segment to `pointer`, escaped.
fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(segment);
    }
}

/// Whether `uri` is the base URI of a document (made by the loader, not written by anyone).
pub fn is_document_uri(uri: &str) -> bool {
    uri.starts_with(DOCUMENT_SCHEME)
}

/// A URI as shown to users: a document's own URI by the path relative to it.
pub fn shown(uri: &str) -> &str {
    match uri.strip_prefix(DOCUMENT_SCHEME) {
        Some(rest) => rest.split_once('/').map_or(rest, |(_, path)| path),
        None => uri,
    }
}

/// Whether a name is a valid plain-name fragment (`$anchor`): a letter or `_`, then
/// letters, digits, `-`, `_`, `.`.
pub fn is_anchor_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether a URI reference starts with a scheme (`http:`, `urn:`).
pub fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains(['/', '?', '#'])
}

/// The parts of a URI reference without its fragment (RFC 3986, section 3).
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

fn parts(reference: &str) -> Parts<'_> {
    let reference = reference.split_once('#').map_or(reference, |(r, _)| r);
    let (scheme, rest) = if has_scheme(reference) {
        match reference.split_once(':') {
            Some((s, rest)) => (Some(s), rest),
            None => (None, reference),
        }
    } else {
        (None, reference)
    };
    let (authority, rest) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?']).unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    Parts {
        scheme,
        authority,
        path,
        query,
    }
}

/// Resolves the URI reference `reference` (its fragment left out) against the absolute URI
/// `base` (RFC 3986, section 5.2).
pub fn resolve(base: &str, reference: &str) -> String {
    let r = parts(reference);
    let b = parts(base);
    let (scheme, authority, path, query) = if r.scheme.is_some() {
        (r.scheme, r.authority, remove_dot_segments(r.path), r.query)
    } else if r.authority.is_some() {
        (b.scheme, r.authority, remove_dot_segments(r.path), r.query)
    } else if r.path.is_empty() {
        (
            b.scheme,
            b.authority,
            b.path.to_owned(),
            r.query.or(b.query),
        )
    } else if r.path.starts_with('/') {
        (b.scheme, b.authority, remove_dot_segments(r.path), r.query)
    } else {
        let merged = if b.authority.is_some() && b.path.is_empty() {
            format!("/{}", r.path)
        } else {
            match b.path.rfind('/') {
                Some(end) => format!("{}{}", &b.path[..=end], r.path),
                None => r.path.to_owned(),
            }
        };
        (b.scheme, b.authority, remove_dot_segments(&merged), r.query)
    };
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// RFC 3986, section 5.2.4, segment by segment.
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    let mut out: Vec<&str> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => {
                if *segment == ".." && out.last().is_some_and(|s| !s.is_empty() || out.len() > 1) {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if path.starts_with('/') && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The walk that builds an [`Ids`].
struct Walk<'a> {
    ids: Ids,
    version: Version,
    file_name: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Walk<'_> {
    fn warn(&mut self, pointer: &str, message: String, hint: &str) {
        self.diagnostics
            .push(Diagnostic::warning(self.file_name, pointer, message).with_hint(hint.to_owned()));
    }

    /// Walks the schemas of `map`; `pointer` is the map's pointer, lengthened for each entry
    /// and given back as it was (one buffer for the whole walk: most schemas have no `$id`).
    fn map(
        &mut self,
        map: &Map<String, Value>,
        pointer: &mut String,
        resource: usize,
        depth: usize,
    ) {
        for (name, schema) in map {
            let len = pointer.len();
            push_segment(pointer, name);
            self.schema(schema, pointer, resource, depth + 1);
            pointer.truncate(len);
        }
    }

    fn schema(&mut self, value: &Value, pointer: &mut String, resource: usize, depth: usize) {
        let Value::Object(map) = value else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        let resource = self.identify(map, pointer, resource);
        let len = pointer.len();
        for (key, v) in map {
            match (key.as_str(), v) {
                (
                    "properties" | "patternProperties" | "dependentSchemas" | "dependencies"
                    | "$defs" | "definitions",
                    Value::Object(m),
                ) => {
                    push_segment(pointer, key);
                    self.map(m, pointer, resource, depth);
                }
                (
                    "additionalProperties"
                    | "additionalItems"
                    | "unevaluatedItems"
                    | "unevaluatedProperties"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "contains"
                    | "propertyNames"
                    | "items",
                    Value::Object(_),
                ) => {
                    push_segment(pointer, key);
                    self.schema(v, pointer, resource, depth + 1);
                }
                ("allOf" | "anyOf" | "oneOf" | "prefixItems" | "items", Value::Array(list)) => {
                    push_segment(pointer, key);
                    let list_len = pointer.len();
                    for (i, s) in list.iter().enumerate() {
                        push_segment(pointer, &i.to_string());
                        self.schema(s, pointer, resource, depth + 1);
                        pointer.truncate(list_len);
                    }
                }
                _ => {}
            }
            pointer.truncate(len);
        }
    }

    /// Reads the schema's `$id` (or `id`), `$anchor` and `$dynamicAnchor`; returns the
    /// resource it belongs to.
    fn identify(&mut self, map: &Map<String, Value>, pointer: &str, resource: usize) -> usize {
        let keyword = id_keyword(self.version);
        let mut resource = resource;
        if let Some(Value::String(id)) = map.get(keyword) {
            let at = child(pointer, keyword);
            let (uri_part, fragment) = id.split_once('#').unwrap_or((id.as_str(), ""));
            if !fragment.is_empty() && self.version == Version::OpenApi31 {
                self.warn(
                    &at,
                    format!("`$id` `{id}` holds a fragment; the `$id` is ignored"),
                    "name a schema with `$anchor`; `$id` is a URI without `#...`",
                );
            } else {
                // OpenAPI 3.0 does not list `id`; a relative one (`id: Pet`) is more likely a
                // label than a URI, so only absolute ones start a resource there.
                let applies = self.version == Version::OpenApi31 || has_scheme(uri_part);
                if !uri_part.is_empty() && applies {
                    resource = self.resource(&at, uri_part, pointer, resource);
                }
                if !fragment.is_empty() {
                    // Draft 4 names a schema with a fragment: `id: "#foo"`.
                    self.anchor(&at, fragment, pointer, resource, false);
                }
            }
        }
        if self.version == Version::OpenApi31 {
            for (key, dynamic) in [("$anchor", false), ("$dynamicAnchor", true)] {
                match map.get(key) {
                    Some(Value::String(name)) => {
                        self.anchor(&child(pointer, key), name, pointer, resource, dynamic)
                    }
                    Some(other) => self.warn(
                        &child(pointer, key),
                        format!(
                            "`{key}` must be a string, found {}",
                            super::schema::keywords::kind_of(other)
                        ),
                        "the keyword is ignored",
                    ),
                    None => {}
                }
            }
        }
        resource
    }

    fn resource(&mut self, at: &str, uri_part: &str, pointer: &str, parent: usize) -> usize {
        let base = self
            .ids
            .resources
            .get(parent)
            .map_or(String::new(), |r| r.uri.clone());
        let uri = resolve(&base, uri_part);
        if let Some(first) = self.ids.find(&uri) {
            let first_at = self
                .ids
                .resources
                .get(first)
                .map_or(String::new(), |r| r.pointer.clone());
            if first_at != pointer {
                self.warn(
                    at,
                    format!(
                        "`{}` is already the identifier of the schema at `{first_at}`",
                        shown(&uri)
                    ),
                    "each `$id` must be unique in a document; references to it lead to the first",
                );
            }
            return first;
        }
        self.ids.resources.push(Resource {
            uri,
            pointer: pointer.to_owned(),
            anchors: Vec::new(),
        });
        self.ids.resources.len() - 1
    }

    fn anchor(&mut self, at: &str, name: &str, pointer: &str, resource: usize, dynamic: bool) {
        if !is_anchor_name(name) {
            self.warn(
                at,
                format!("`{name}` is not a valid anchor name; it is ignored"),
                "an anchor starts with a letter or `_`, followed by letters, digits, `-`, `_` or `.`",
            );
            return;
        }
        let Some(r) = self.ids.resources.get_mut(resource) else {
            return;
        };
        if let Some(first) = r.anchors.iter().find(|a| a.name == name) {
            if first.pointer != pointer {
                let message = format!(
                    "the anchor `{name}` is already declared at `{}` in the same resource",
                    first.pointer
                );
                self.warn(at, message, "references to it lead to the first");
            } else if dynamic {
                // `$anchor` and `$dynamicAnchor` of one name on one schema.
                if let Some(a) = r.anchors.iter_mut().find(|a| a.name == name) {
                    a.dynamic = true;
                }
            }
            return;
        }
        r.anchors.push(Anchor {
            name: name.to_owned(),
            pointer: pointer.to_owned(),
            dynamic,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_resolve_as_rfc_3986_says() {
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("", "http://a/b/c/d;p?q"),
            ("#s", "http://a/b/c/d;p?q"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../../g", "http://a/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("urn:example:x", "urn:example:x"),
        ] {
            assert_eq!(resolve(base, reference), expected, "{reference}");
        }
        assert_eq!(resolve("urn:uuid:deadbeef", ""), "urn:uuid:deadbeef");
        assert_eq!(
            resolve("http://example.com/root.json", "item.json"),
            "http://example.com/item.json"
        );
    }

    #[test]
    fn embedded_resources_and_anchors_are_indexed_from_schema_positions_only() {
        let doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {
                "Tree": {
                    "$id": "http://example.com/tree.json",
                    "$defs": {"node": {"$id": "node.json", "$anchor": "n"}},
                    "enum": [{"$id": "http://example.com/data"}],
                    "properties": {"leaf": {"$dynamicAnchor": "leaf"}}
                },
                "Plain": {"$anchor": "plain"}
            }}
        });
        let mut d = Diagnostics::new();
        let ids = Ids::build(0, "api.yaml", &doc, Version::OpenApi31, &mut d);
        assert!(d.is_empty(), "{d}");
        let uris: Vec<&str> = ids.resources.iter().map(|r| r.uri.as_str()).collect();
        assert_eq!(
            uris,
            [
                "document:///0/api.yaml",
                "http://example.com/tree.json",
                "http://example.com/node.json"
            ]
        );
        let node = ids.find("http://example.com/node.json").unwrap_or(0);
        assert_eq!(
            ids.anchor(node, "n").map(|a| a.pointer.as_str()),
            Some("/components/schemas/Tree/$defs/node")
        );
        assert_eq!(
            ids.resource_at("/components/schemas/Tree/properties/leaf"),
            1
        );
        assert!(ids.anchor(1, "leaf").is_some_and(|a| a.dynamic));
        assert_eq!(
            ids.anchor(0, "plain").map(|a| a.pointer.as_str()),
            Some("/components/schemas/Plain")
        );
    }

    #[test]
    fn draft_4_ids_name_resources_and_fragments_in_3_0_documents() {
        let doc = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "A": {"id": "#foo"},
                "B": {"id": "http://example.com/b.json", "properties": {"c": {"id": "#c"}}},
                "C": {"$id": "http://example.com/ignored"},
                "D": {"id": "Label"}
            }}
        });
        let mut d = Diagnostics::new();
        let ids = Ids::build(0, "api.yaml", &doc, Version::OpenApi30, &mut d);
        assert!(d.is_empty(), "{d}");
        assert_eq!(ids.resources.len(), 2);
        assert!(ids.anchor(0, "foo").is_some());
        assert!(ids.anchor(1, "c").is_some());
    }

    #[test]
    fn repeated_and_malformed_identifiers_are_warnings() {
        let doc = json!({"components": {"schemas": {
            "A": {"$id": "http://x/a"},
            "B": {"$id": "http://x/a"},
            "C": {"$anchor": "1bad"},
            "D": {"$id": "http://x/d#frag"}
        }}});
        let mut d = Diagnostics::new();
        let ids = Ids::build(0, "api.yaml", &doc, Version::OpenApi31, &mut d);
        let pointers: Vec<&str> = d.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/B/$id",
                "/components/schemas/C/$anchor",
                "/components/schemas/D/$id"
            ]
        );
        assert_eq!(ids.resources.len(), 2);
    }
}
