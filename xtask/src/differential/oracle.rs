//! The reference verdict: OpenAPI schemas translated to JSON Schema (draft 2020-12) and checked by
//! the `jsonschema` crate.
//!
//! The translation keeps every keyword and maps the three places where OpenAPI differs:
//! - `nullable: true` (3.0) and `x-nullable: true` (Swagger 2.0) allow `null`: `"null"` joins
//!   `type` and `enum`, and `$ref`/`allOf`/`oneOf`/`anyOf` move into an `anyOf` beside `null`;
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0) become the numeric form of 3.1;
//! - a `discriminator` makes each `oneOf`/`anyOf` branch require the tag property to hold one
//!   of the branch's tag values (its `mapping` keys, else its schema name).
//!
//! References into `components/schemas` (or Swagger's `definitions`) point into `$defs`.

use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Where the named schemas of a description live, as reference prefixes.
const PREFIXES: &[&str] = &["#/components/schemas/", "#/definitions/"];

/// Translates one schema of an OpenAPI description to JSON Schema. `openapi30` says whether
/// the 3.0 forms (`nullable`, boolean exclusive bounds) apply.
pub fn translate(schema: &Value, openapi30: bool) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(r) => Value::String(rewrite_ref(r)),
                None => value.clone(),
            },
            "properties" | "patternProperties" | "$defs" | "definitions" => match value {
                Value::Object(props) => Value::Object(
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), translate(v, openapi30)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "items"
            | "additionalItems"
            | "additionalProperties"
            | "not"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedProperties"
            | "unevaluatedItems" => translate_schemas(value, openapi30),
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => translate_schemas(value, openapi30),
            // Annotations and keyword values that hold no schema.
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if openapi30 {
        exclusive_bound(&mut out, "minimum", "exclusiveMinimum");
        exclusive_bound(&mut out, "maximum", "exclusiveMaximum");
    }
    discriminate(&mut out);
    tuple_in_2020_12_spelling(&mut out);
    let nullable = [("nullable"), ("x-nullable")]
        .iter()
        .any(|k| out.get(*k) == Some(&Value::Bool(true)));
    if nullable && (openapi30 || out.contains_key("x-nullable")) {
        allow_null(&mut out);
    }
    Value::Object(out)
}

/// Draft 4's tuple, `items: [..]` with `additionalItems`, as 2020-12 spells it: `prefixItems`
/// with `items`.
pub fn tuple_in_2020_12_spelling(schema: &mut Map<String, Value>) {
    if !matches!(schema.get("items"), Some(Value::Array(_))) {
        return;
    }
    if let Some(positions) = schema.remove("items") {
        schema.insert("prefixItems".into(), positions);
    }
    if let Some(rest) = schema.remove("additionalItems") {
        schema.insert("items".into(), rest);
    }
}

fn translate_schemas(value: &Value, openapi30: bool) -> Value {
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| translate(v, openapi30)).collect())
        }
        other => translate(other, openapi30),
    }
}

/// `#/components/schemas/X...` (or `#/definitions/X...`) as `#/$defs/X...`.
pub fn rewrite_ref(reference: &str) -> String {
    for prefix in PREFIXES {
        if let Some(rest) = reference.strip_prefix(prefix) {
            return format!("#/$defs/{rest}");
        }
    }
    reference.to_owned()
}

/// The 3.0 form `minimum: 5, exclusiveMinimum: true` as the 3.1 form `exclusiveMinimum: 5`.
fn exclusive_bound(out: &mut Map<String, Value>, bound: &str, exclusive: &str) {
    match out.get(exclusive) {
        Some(Value::Bool(true)) => {
            match out.remove(bound) {
                Some(limit) => out.insert(exclusive.to_owned(), limit),
                None => out.remove(exclusive),
            };
        }
        Some(Value::Bool(false)) => {
            out.remove(exclusive);
        }
        _ => {}
    }
}

/// Each branch of a discriminated union accepts only its own tag values.
fn discriminate(out: &mut Map<String, Value>) {
    let Some(property) = out
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let mapping: Vec<(String, String)> = out
        .get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(tag, target)| {
                    let target = target.as_str()?;
                    let target = if target.starts_with('#') {
                        rewrite_ref(target)
                    } else {
                        format!("#/$defs/{target}")
                    };
                    Some((tag.clone(), target))
                })
                .collect()
        })
        .unwrap_or_default();
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = out.get_mut(key) else {
            continue;
        };
        for branch in branches.iter_mut() {
            let Some(target) = branch
                .get("$ref")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            let mut tags: BTreeSet<String> = mapping
                .iter()
                .filter(|(_, t)| *t == target)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                if let Some(name) = target.rsplit('/').next() {
                    tags.insert(name.replace("~1", "/").replace("~0", "~"));
                }
            }
            *branch = json!({
                "$ref": target,
                "required": [property],
                "properties": {property.clone(): {"enum": tags.into_iter().collect::<Vec<_>>()}},
            });
        }
    }
}

/// Lets `null` through a schema that otherwise rejects it.
fn allow_null(out: &mut Map<String, Value>) {
    match out.get_mut("type") {
        Some(Value::String(t)) if t != "null" => {
            let t = t.clone();
            out.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    if out.get("const").is_some_and(|c| !c.is_null()) {
        if let Some(c) = out.remove("const") {
            out.insert("enum".into(), json!([c, null]));
        }
    }
    let mut moved = Map::new();
    for key in ["$ref", "allOf", "oneOf", "anyOf"] {
        if let Some(v) = out.remove(key) {
            moved.insert(key.to_owned(), v);
        }
    }
    if !moved.is_empty() {
        out.insert("anyOf".into(), json!([{"type": "null"}, moved]));
    }
}

/// One validator per schema, over every named schema of its description.
pub struct Oracle {
    defs: Value,
}

impl Oracle {
    /// `schemas` are the named schemas of the description, untranslated.
    pub fn new<'a>(
        schemas: impl IntoIterator<Item = (&'a String, &'a Value)>,
        openapi30: bool,
    ) -> Self {
        let defs: Map<String, Value> = schemas
            .into_iter()
            .map(|(name, schema)| (name.clone(), translate(schema, openapi30)))
            .collect();
        Oracle {
            defs: Value::Object(defs),
        }
    }

    /// A validator for the named schema `name`.
    pub fn validator(&self, name: &str) -> Result<jsonschema::Validator, String> {
        let escaped = name.replace('~', "~0").replace('/', "~1");
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/$defs/{escaped}"),
            "$defs": self.defs,
        });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the oracle cannot compile `{name}`: {e}"))
    }
}

/// The verdict of the oracle: `Err` holds the first reason, then (after `; within: `) the
/// errors inside subschemas such as union branches, which say what failed in them.
pub fn verdict(validator: &jsonschema::Validator, instance: &Value) -> Result<(), String> {
    let Some(first) = validator.iter_errors(instance).next() else {
        return Ok(());
    };
    let mut reason = format!("{}: {first}", first.instance_path());
    let evaluation = validator.evaluate(instance);
    let nested: Vec<String> = evaluation
        .iter_errors()
        .map(|e| format!("{}: {}", e.instance_location.as_str(), e.error))
        .filter(|e| *e != reason)
        .take(6)
        .collect();
    if !nested.is_empty() {
        reason.push_str("; within: ");
        reason.push_str(&nested.join("; "));
    }
    Err(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(schema: Value, instance: Value) -> bool {
        let schemas = [("S".to_owned(), schema)];
        let oracle = Oracle::new(schemas.iter().map(|(k, v)| (k, v)), true);
        let validator = oracle.validator("S").expect("compiles");
        verdict(&validator, &instance).is_ok()
    }

    #[test]
    fn a_draft_4_tuple_is_checked_as_prefix_items() {
        let tuple =
            json!({"type": "array", "items": [{"type": "string"}], "additionalItems": false});
        let t = translate(&tuple, true);
        assert_eq!(t["prefixItems"], json!([{"type": "string"}]));
        assert_eq!(t["items"], json!(false));
        assert!(accepts(tuple.clone(), json!(["a"])));
        assert!(!accepts(tuple.clone(), json!(["a", 1])));
        assert!(!accepts(tuple, json!([1])));
    }

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        let t = translate(
            &json!({"type": "string", "enum": ["a"], "nullable": true}),
            true,
        );
        assert_eq!(t["type"], json!(["string", "null"]));
        assert_eq!(t["enum"], json!(["a", null]));
        assert!(accepts(
            json!({"type": "integer", "nullable": true}),
            Value::Null
        ));
        assert!(!accepts(json!({"type": "integer"}), Value::Null));
    }

    #[test]
    fn nullable_reference_and_all_of_accept_null_beside_the_target() {
        let schemas = [
            ("T".to_owned(), json!({"type": "integer"})),
            (
                "S".to_owned(),
                json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true}),
            ),
        ];
        let oracle = Oracle::new(schemas.iter().map(|(k, v)| (k, v)), true);
        let v = oracle.validator("S").expect("compiles");
        assert!(verdict(&v, &Value::Null).is_ok());
        assert!(verdict(&v, &json!(3)).is_ok());
        assert!(verdict(&v, &json!("x")).is_err());
    }

    #[test]
    fn nullable_is_an_ordinary_annotation_outside_openapi_30() {
        let t = translate(&json!({"type": "string", "nullable": true}), false);
        assert_eq!(t["type"], json!("string"));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let t = translate(
            &json!({"minimum": 1, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": false}),
            true,
        );
        assert_eq!(t, json!({"exclusiveMinimum": 1, "maximum": 5}));
        let schema = json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true});
        assert!(!accepts(schema.clone(), json!(1)));
        assert!(accepts(schema, json!(2)));
    }

    #[test]
    fn discriminator_selects_the_branch_by_tag() {
        let schemas = [
            (
                "Cat".to_owned(),
                json!({"type": "object", "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}}),
            ),
            (
                "Dog".to_owned(),
                json!({"type": "object", "properties": {"kind": {"type": "string"}, "bark": {"type": "string"}}}),
            ),
            (
                "Pet".to_owned(),
                json!({
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
                }),
            ),
        ];
        let oracle = Oracle::new(schemas.iter().map(|(k, v)| (k, v)), true);
        let v = oracle.validator("Pet").expect("compiles");
        // Valid for both branches, yet the tag picks one: accepted.
        assert!(verdict(&v, &json!({"kind": "cat"})).is_ok());
        // Dog has no mapping entry, so its schema name is its tag.
        assert!(verdict(&v, &json!({"kind": "Dog", "bark": "woof"})).is_ok());
        assert!(verdict(&v, &json!({"kind": "Cat"})).is_err());
        assert!(verdict(&v, &json!({"kind": "cat", "lives": "nine"})).is_err());
        assert!(verdict(&v, &json!({"lives": 9})).is_err());
    }
}
