//! `$dynamicRef` resolved when generating.
//!
//! A `$dynamicRef: "#name"` whose first target declares `$dynamicAnchor: name` means, when a
//! value is checked, the outermost schema resource of the dynamic scope (the resources the
//! evaluation went through to reach the reference) that declares `$dynamicAnchor: name`. A
//! generated type is one type wherever it is used, so here the reference is resolved only
//! when every way into it, from every named schema of the document, finds the same resource.
//! The ways are the schemas evaluated in place (`properties`, `items`, `allOf`, `if`, ...,
//! not `$defs`) and the references; other documents are not followed.

use super::ids::{self, Ids};
use super::pointer::child;
use super::pointer::percent_decode;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// One schema of the walk: its resource and the schemas evaluation goes on to from it.
struct Node {
    resource: usize,
    next: Vec<String>,
}

/// The resource whose `$dynamicAnchor: name` the `$dynamicRef` held by the schema at `holder`
/// leads to, `initial` being the resource its URI names; or, when the ways in disagree, each
/// resource found with the first named schema (entry) from which it is found.
pub fn outermost(
    ids: &Ids,
    root: &Value,
    entries: &[&str],
    holder: &str,
    name: &str,
    initial: usize,
) -> Result<usize, Vec<(usize, String)>> {
    let nodes = graph(ids, root, entries);
    let declares = |resource: usize| {
        ids.resources
            .get(resource)
            .is_some_and(|r| r.anchors.iter().any(|a| a.dynamic && a.name == name))
    };
    // A state is a schema and the outermost resource declaring the anchor met on the way.
    let mut seen: HashSet<(&str, Option<usize>)> = HashSet::new();
    let mut queue: VecDeque<(&str, Option<usize>, &str)> = VecDeque::new();
    for entry in entries {
        if let Some(node) = nodes.get(*entry) {
            let found = declares(node.resource).then_some(node.resource);
            if seen.insert((*entry, found)) {
                queue.push_back((*entry, found, *entry));
            }
        }
    }
    let mut outcomes: BTreeMap<usize, String> = BTreeMap::new();
    while let Some((at, found, entry)) = queue.pop_front() {
        if at == holder {
            outcomes
                .entry(found.unwrap_or(initial))
                .or_insert_with(|| entry.to_owned());
        }
        let Some(node) = nodes.get(at) else {
            continue;
        };
        for next in &node.next {
            let Some(next_node) = nodes.get(next.as_str()) else {
                continue;
            };
            let found =
                found.or_else(|| declares(next_node.resource).then_some(next_node.resource));
            if seen.insert((next.as_str(), found)) {
                queue.push_back((next.as_str(), found, entry));
            }
        }
    }
    match outcomes.len() {
        0 => Ok(initial),
        1 => Ok(outcomes.into_keys().next().unwrap_or(initial)),
        _ => Err(outcomes.into_iter().collect()),
    }
}

/// Every schema reached from the entries, by pointer.
fn graph(ids: &Ids, root: &Value, entries: &[&str]) -> HashMap<String, Node> {
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut pending: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
    while let Some(pointer) = pending.pop() {
        if nodes.contains_key(&pointer) {
            continue;
        }
        let value = if pointer.is_empty() {
            Some(root)
        } else {
            root.pointer(&pointer)
        };
        let mut next = Vec::new();
        if let Some(Value::Object(map)) = value {
            for (key, v) in map {
                let at = child(&pointer, key);
                match (key.as_str(), v) {
                    ("$ref" | "$dynamicRef", Value::String(text)) => {
                        if let Some(target) = target_pointer(ids, &pointer, text) {
                            next.push(target);
                        }
                    }
                    ("properties" | "patternProperties" | "dependentSchemas", Value::Object(m)) => {
                        next.extend(m.keys().map(|k| child(&at, k)));
                    }
                    (
                        "additionalProperties"
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
                    ) => next.push(at),
                    ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(list)) => {
                        next.extend((0..list.len()).map(|i| child(&at, &i.to_string())));
                    }
                    _ => {}
                }
            }
        }
        pending.extend(next.iter().cloned());
        let resource = ids.resource_at(&pointer);
        nodes.insert(pointer, Node { resource, next });
    }
    nodes
}

/// Where a reference inside this document leads, if it stays inside it.
fn target_pointer(ids: &Ids, at: &str, text: &str) -> Option<String> {
    let (uri_part, fragment) = text.split_once('#').unwrap_or((text, ""));
    let fragment = percent_decode(fragment)?;
    let base = ids.resource_at(at);
    let resource = if uri_part.is_empty() {
        base
    } else {
        ids.find(&ids::resolve(&ids.resources.get(base)?.uri, uri_part))?
    };
    if fragment.is_empty() || fragment.starts_with('/') {
        Some(format!(
            "{}{fragment}",
            ids.resources.get(resource)?.pointer
        ))
    } else {
        ids.anchor(resource, &fragment).map(|a| a.pointer.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostics;
    use crate::load::Version;
    use serde_json::json;

    fn ids_of(doc: &Value) -> Ids {
        let mut d = Diagnostics::new();
        let ids = Ids::build(0, "api.yaml", doc, Version::OpenApi31, &mut d);
        assert!(d.is_empty(), "{d}");
        ids
    }

    #[test]
    fn the_outermost_resource_with_the_anchor_wins() {
        // The suite's "typical dynamic resolution": the root declares `items` (string).
        let doc = json!({"components": {"schemas": {"Root": {
            "$id": "https://example.com/root",
            "$ref": "list",
            "$defs": {
                "foo": {"$dynamicAnchor": "items", "type": "string"},
                "list": {
                    "$id": "list",
                    "items": {"$dynamicRef": "#items"},
                    "$defs": {"items": {"$dynamicAnchor": "items"}}
                }
            }
        }}}});
        let ids = ids_of(&doc);
        let list = ids.find("https://example.com/list").unwrap_or(0);
        let holder = "/components/schemas/Root/$defs/list/items";
        let found = outermost(
            &ids,
            &doc,
            &["/components/schemas/Root"],
            holder,
            "items",
            list,
        );
        assert_eq!(found, Ok(ids.find("https://example.com/root").unwrap_or(0)));
    }

    #[test]
    fn ways_in_that_disagree_are_each_named() {
        let doc = json!({"components": {"schemas": {
            "Generic": {"$id": "https://example.com/generic",
                "items": {"$dynamicRef": "#t"}, "$defs": {"t": {"$dynamicAnchor": "t"}}},
            "Numbers": {"$id": "https://example.com/numbers", "$ref": "generic",
                "$defs": {"t": {"$dynamicAnchor": "t", "type": "number"}}}
        }}});
        let ids = ids_of(&doc);
        let generic = ids.find("https://example.com/generic").unwrap_or(0);
        let numbers = ids.find("https://example.com/numbers").unwrap_or(0);
        let entries = ["/components/schemas/Generic", "/components/schemas/Numbers"];
        let holder = "/components/schemas/Generic/items";
        let found = outermost(&ids, &doc, &entries, holder, "t", generic);
        assert_eq!(
            found,
            Err(vec![
                (generic, "/components/schemas/Generic".to_owned()),
                (numbers, "/components/schemas/Numbers".to_owned())
            ])
        );
    }
}
