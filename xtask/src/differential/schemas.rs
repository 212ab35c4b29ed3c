//! Random schemas from the part of OpenAPI that the README's shape table claims, as proptest
//! strategies: every type and format, the string, number, array and object constraints, `enum`,
//! `const`, `nullable`, `allOf` of bounds, `oneOf`/`anyOf` (and both together) with and
//! without a discriminator, branches beside properties, inline objects in arrays and maps,
//! every `additionalProperties` form, tuples in both spellings, `$ref` chains and recursion.
//!
//! A case is one named schema plus the helper schemas it references. References are written
//! with [`SELF`] in place of the case name, which is only known when the case joins a batch.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

/// Stands for the case name inside references (`#/components/schemas/@A0`).
pub const SELF: &str = "@";

/// The prefix of a reference to a named schema.
pub const REF_PREFIX: &str = "#/components/schemas/";

/// One generated schema and its helpers (`<case>A0`, `<case>A1`, ...).
#[derive(Clone, Debug)]
pub struct Case {
    pub main: Value,
    pub helpers: Vec<Value>,
}

impl Case {
    /// The named schemas of the case, with references resolved to `name`.
    pub fn named(&self, name: &str) -> Vec<(String, Value)> {
        let mut out = vec![(name.to_owned(), rename(&self.main, name))];
        for (k, helper) in self.helpers.iter().enumerate() {
            out.push((format!("{name}A{k}"), rename(helper, name)));
        }
        out
    }
}

fn rename(schema: &Value, name: &str) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => Value::String(r.replace(SELF, name)),
                        ("mapping", Value::Object(m)) => Value::Object(
                            m.iter()
                                .map(|(k, v)| {
                                    let v = v.as_str().map_or(v.clone(), |s| {
                                        Value::String(s.replace(SELF, name))
                                    });
                                    (k.clone(), v)
                                })
                                .collect(),
                        ),
                        ("enum" | "const" | "example" | "default", _) => v.clone(),
                        _ => rename(v, name),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| rename(v, name)).collect()),
        other => other.clone(),
    }
}

fn helper_ref(k: usize) -> Value {
    json!({"$ref": format!("{REF_PREFIX}{SELF}A{k}")})
}

fn self_ref() -> Value {
    json!({"$ref": format!("{REF_PREFIX}{SELF}")})
}

const PATTERNS: &[&str] = &["^[a-z]*$", "^x", "[0-9]$", "^[^ ]+$"];
const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "uuid",
    "email",
    "uri",
    "uri-reference",
    "ipv4",
    "ipv6",
    "hostname",
    "iri",
    "iri-reference",
    "idn-hostname",
    "idn-email",
    "byte",
    "password",
];
const NAMES: &[&str] = &[
    "id", "name", "count", "type", "fooBar", "a-b", "tags", "ref", "value", "1st", "kind",
];

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

fn string_schema() -> impl Strategy<Value = Value> {
    (
        0u8..12,
        proptest::option::of(0u64..4),
        proptest::option::of(0u64..6),
        proptest::option::of(select(PATTERNS)),
        select(FORMATS),
    )
        .prop_map(|(kind, min, extra, pattern, format)| {
            let mut s = Map::new();
            s.insert("type".into(), json!("string"));
            match kind {
                0 => {
                    s.insert("enum".into(), json!(["a", "b c", "é"]));
                }
                1 => {
                    s.insert("const".into(), json!("fixed"));
                }
                2 | 3 => {
                    s.insert("format".into(), json!(format));
                    put(&mut s, "maxLength", extra.map(|e| json!(e + 30)));
                }
                _ => {
                    put(&mut s, "minLength", min.map(Value::from));
                    put(
                        &mut s,
                        "maxLength",
                        extra.map(|e| json!(min.unwrap_or(0) + e)),
                    );
                    put(&mut s, "pattern", pattern.map(Value::from));
                }
            }
            Value::Object(s)
        })
}

fn integer_schema() -> impl Strategy<Value = Value> {
    (
        0u8..10,
        proptest::option::of(-5i64..5),
        proptest::option::of(0i64..8),
        any::<(bool, bool)>(),
        proptest::option::of(select(&[2i64, 3, 5][..])),
        proptest::option::of(select(&["int32", "int64"][..])),
    )
        .prop_map(|(kind, min, span, (emin, emax), multiple, format)| {
            let mut s = Map::new();
            s.insert("type".into(), json!("integer"));
            put(&mut s, "format", format.map(Value::from));
            match kind {
                0 => {
                    s.insert("enum".into(), json!([1, 2, -3]));
                }
                1 => {
                    s.insert("const".into(), json!(7));
                }
                _ => {
                    put(&mut s, "minimum", min.map(Value::from));
                    put(
                        &mut s,
                        "maximum",
                        span.map(|sp| json!(min.unwrap_or(0) + sp)),
                    );
                    if min.is_some() && emin {
                        s.insert("exclusiveMinimum".into(), json!(true));
                    }
                    if span.is_some() && emax {
                        s.insert("exclusiveMaximum".into(), json!(true));
                    }
                    put(&mut s, "multipleOf", multiple.map(Value::from));
                }
            }
            Value::Object(s)
        })
}

fn number_schema() -> impl Strategy<Value = Value> {
    (
        0u8..8,
        proptest::option::of(select(&[-2.5f64, -1.0, 0.0, 0.5, 1.5][..])),
        proptest::option::of(select(&[0.0f64, 1.0, 2.5, 10.0][..])),
        any::<(bool, bool)>(),
        proptest::option::of(select(&[0.5f64, 0.25, 2.0][..])),
        proptest::option::of(select(&["float", "double"][..])),
    )
        .prop_map(|(kind, min, span, (emin, emax), multiple, format)| {
            let mut s = Map::new();
            s.insert("type".into(), json!("number"));
            put(&mut s, "format", format.map(Value::from));
            if kind == 0 {
                s.insert("enum".into(), json!([0.5, 2, -1.25]));
                return Value::Object(s);
            }
            put(&mut s, "minimum", min.map(|m| json!(m)));
            put(
                &mut s,
                "maximum",
                span.map(|sp| json!(min.unwrap_or(0.0) + sp)),
            );
            if min.is_some() && emin {
                s.insert("exclusiveMinimum".into(), json!(true));
            }
            if span.is_some() && emax {
                s.insert("exclusiveMaximum".into(), json!(true));
            }
            put(&mut s, "multipleOf", multiple.map(|m| json!(m)));
            Value::Object(s)
        })
}

fn leaf(helpers: usize) -> BoxedStrategy<Value> {
    let scalars = prop_oneof![
        3 => string_schema(),
        2 => integer_schema(),
        2 => number_schema(),
        1 => Just(json!({"type": "boolean"})),
        1 => Just(json!({})),
        1 => Just(json!({"type": "object"})),
    ];
    if helpers == 0 {
        scalars.boxed()
    } else {
        prop_oneof![3 => scalars, 1 => (0..helpers).prop_map(helper_ref)].boxed()
    }
}

fn object_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((select(NAMES), inner.clone()), 0..4),
        any::<u8>(),
        0u8..6,
        inner,
        0u8..16,
    )
        .prop_map(|(props, required_bits, additional, extra, rare)| {
            let mut properties = Map::new();
            let names: Vec<String> = props.iter().map(|(n, _)| (*n).to_owned()).collect();
            for (name, schema) in props {
                properties.insert(name.to_owned(), schema);
            }
            let required: Vec<Value> = properties
                .keys()
                .enumerate()
                .filter(|(i, _)| required_bits & (1 << i) != 0)
                .map(|(_, k)| Value::String(k.clone()))
                .collect();
            let mut s = Map::new();
            s.insert("type".into(), json!("object"));
            s.insert("properties".into(), Value::Object(properties));
            let mut required = required;
            if rare == 0 {
                required.push(json!("ghost"));
            }
            if !required.is_empty() {
                s.insert("required".into(), Value::Array(required));
            }
            match additional {
                1 => put(&mut s, "additionalProperties", Some(json!(false))),
                2 => put(&mut s, "additionalProperties", Some(json!(true))),
                3 => put(&mut s, "additionalProperties", Some(extra)),
                4 => put(&mut s, "additionalProperties", Some(json!({}))),
                _ => {}
            }
            if rare == 1 {
                s.insert("minProperties".into(), json!(1));
            }
            if rare == 2 {
                s.insert("maxProperties".into(), json!(2));
            }
            // Branches beside properties, `oneOf` and `anyOf` together: both are checked over
            // the whole object.
            if rare == 3 {
                let first = names.first().cloned().unwrap_or_else(|| "ghost".to_owned());
                let last = names.last().cloned().unwrap_or_else(|| "ghost".to_owned());
                s.insert(
                    "oneOf".into(),
                    json!([{"required": [first]}, {"minProperties": 2}]),
                );
                s.insert(
                    "anyOf".into(),
                    json!([{"required": [last]}, {"maxProperties": 1}]),
                );
            }
            Value::Object(s)
        })
}

fn array_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        inner,
        proptest::option::of(0u64..3),
        proptest::option::of(0u64..3),
        any::<bool>(),
    )
        .prop_map(|(items, min, extra, unique)| {
            let mut s = Map::new();
            s.insert("type".into(), json!("array"));
            s.insert("items".into(), items);
            put(&mut s, "minItems", min.map(Value::from));
            put(
                &mut s,
                "maxItems",
                extra.map(|e| json!(min.unwrap_or(0) + e)),
            );
            if unique {
                s.insert("uniqueItems".into(), json!(true));
            }
            Value::Object(s)
        })
}

/// A tuple in either spelling (`prefixItems` + `items`, draft 4's `items: [..]` +
/// `additionalItems`): fixed arity (`minItems` the number of positions and no items after
/// them) or open (the items after them free or held to a schema, some positions optional).
fn tuple_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(inner.clone(), 1..4),
        inner,
        0u8..6,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(positions, rest, form, draft4, unique)| {
            let n = positions.len() as u64;
            let (list, after) = if draft4 {
                ("items", "additionalItems")
            } else {
                ("prefixItems", "items")
            };
            let mut s = Map::new();
            s.insert("type".into(), json!("array"));
            s.insert(list.into(), Value::Array(positions));
            match form {
                // Fixed arity, closed by `items: false` or by `maxItems`.
                0 | 1 => {
                    s.insert("minItems".into(), json!(n));
                    if form == 0 {
                        s.insert(after.into(), json!(false));
                    } else {
                        s.insert("maxItems".into(), json!(n));
                    }
                }
                // Open: the items after the positions held to a schema.
                2 => {
                    s.insert(after.into(), rest);
                }
                // Closed, with positions that may be missing.
                3 => {
                    s.insert(after.into(), json!(false));
                    s.insert("minItems".into(), json!(n.saturating_sub(1)));
                }
                // Open with bounds on the length.
                4 => {
                    s.insert("minItems".into(), json!(n));
                    s.insert("maxItems".into(), json!(n + 1));
                }
                _ => {}
            }
            if unique {
                s.insert("uniqueItems".into(), json!(true));
            }
            Value::Object(s)
        })
}

fn map_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (inner, 0u8..4).prop_map(|(values, bounds)| {
        let mut s = json!({"type": "object", "additionalProperties": values});
        if bounds == 0 {
            s["maxProperties"] = json!(2);
        }
        if bounds == 1 {
            s["additionalProperties"] = json!(false);
        }
        s
    })
}

/// `allOf` parts that each constrain the same thing: bounds, lengths, objects.
fn all_of_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    let objects = object_schema(inner.clone()).boxed();
    prop_oneof![
        (integer_schema(), integer_schema()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
        (number_schema(), number_schema()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
        (string_schema(), string_schema()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
        (objects.clone(), objects).prop_map(|(a, b)| json!({"allOf": [a, b]})),
    ]
}

fn union_schema(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(inner.clone(), 2..4),
        proptest::collection::vec(inner, 1..3),
        0u8..5,
    )
        .prop_map(|(branches, others, form)| match form {
            0 | 1 => json!({ "oneOf": branches }),
            2 | 3 => json!({ "anyOf": branches }),
            // Both: every `oneOf` branch is also held to the `anyOf`.
            _ => json!({ "oneOf": branches, "anyOf": others }),
        })
}

/// Marks a schema nullable in one of the forms that OpenAPI 3.0 descriptions use.
fn nullable(schema: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (schema, 0u8..12).prop_map(|(mut s, form)| {
        match form {
            0 | 1 => {
                if let Some(map) = s.as_object_mut() {
                    map.insert("nullable".into(), json!(true));
                    if let Some(Value::Array(values)) = map.get_mut("enum") {
                        if form == 1 {
                            values.push(Value::Null);
                        }
                    }
                }
            }
            2 => s = json!({"oneOf": [s, {"type": "null"}]}),
            3 => s = json!({"anyOf": [{"type": "null"}, s]}),
            _ => {}
        }
        s
    })
}

/// A schema that may reference helpers `0..helpers`.
pub fn node(helpers: usize) -> BoxedStrategy<Value> {
    let base = leaf(helpers);
    let tree = base.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            3 => object_schema(inner.clone()),
            2 => array_schema(inner.clone()),
            1 => tuple_schema(inner.clone()),
            1 => map_schema(inner.clone()),
            1 => all_of_schema(inner.clone()),
            2 => union_schema(inner),
        ]
        .boxed()
    });
    nullable(tree.boxed()).boxed()
}

fn generic_case() -> impl Strategy<Value = Case> {
    (0usize..3).prop_flat_map(|count| {
        let helpers: Vec<BoxedStrategy<Value>> = (0..count)
            .map(|k| {
                if k + 1 < count {
                    // A chain: a helper may be an alias of the next one.
                    prop_oneof![3 => node(0), 1 => Just(helper_ref(k + 1))].boxed()
                } else {
                    node(0)
                }
            })
            .collect();
        (node(count), helpers).prop_map(|(main, helpers)| Case { main, helpers })
    })
}

fn recursive_case() -> impl Strategy<Value = Case> {
    (leaf(0), 0u8..3, any::<bool>()).prop_map(|(value, form, nullable_next)| {
        let mut next = self_ref();
        if nullable_next {
            next = json!({"oneOf": [next, {"type": "null"}]});
        }
        match form {
            0 => Case {
                main: json!({"type": "object", "properties": {"value": value, "next": next},
                              "required": ["value"]}),
                helpers: vec![],
            },
            1 => Case {
                main: json!({"type": "object", "properties": {"value": value,
                              "children": {"type": "array", "items": self_ref()}}}),
                helpers: vec![],
            },
            _ => Case {
                main: json!({"type": "object", "properties": {"other": helper_ref(0)}}),
                helpers: vec![json!({"type": "object", "required": ["value"],
                                     "properties": {"value": value, "back": self_ref()}})],
            },
        }
    })
}

fn discriminated_case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(object_schema(leaf(0)), 2..4),
        any::<bool>(),
        0u8..3,
        0u8..3,
        0u8..3,
    )
        .prop_map(|(branches, one, mapping, wrap, beside)| {
            let helpers: Vec<Value> = branches
                .into_iter()
                .map(|mut b| {
                    b["properties"]["kind"] = json!({"type": "string"});
                    let required = b["required"].as_array().cloned().unwrap_or_default();
                    let mut required: Vec<Value> =
                        required.into_iter().filter(|r| r != "kind").collect();
                    required.insert(0, json!("kind"));
                    b["required"] = Value::Array(required);
                    b
                })
                .collect();
            let refs: Vec<Value> = (0..helpers.len()).map(helper_ref).collect();
            let mut discriminator = json!({"propertyName": "kind"});
            match mapping {
                1 => {
                    let m: Map<String, Value> = (0..helpers.len())
                        .map(|k| (format!("v{k}"), json!(format!("{REF_PREFIX}{SELF}A{k}"))))
                        .collect();
                    discriminator["mapping"] = Value::Object(m);
                }
                2 => {
                    let m: Map<String, Value> = (0..helpers.len())
                        .map(|k| (format!("t-{k}"), json!(format!("{SELF}A{k}"))))
                        .collect();
                    discriminator["mapping"] = Value::Object(m);
                }
                _ => {}
            }
            let key = if one { "oneOf" } else { "anyOf" };
            let mut union = json!({ key: refs, "discriminator": discriminator });
            // An `anyOf` beside the discriminated `oneOf`, checked over each branch. Its
            // branches do not count keys: a branch struct without `additionalProperties`
            // drops undeclared keys, so the check does not see them (see the README).
            if one && beside > 0 {
                union["anyOf"] = json!([{"required": ["id"]}, {"required": ["value"]}]);
            }
            // A sub-schema keyword beside the discriminated branches, checked over each.
            if beside == 2 {
                union["not"] = json!({"required": ["id"], "properties": {"id": {"const": 0}}});
            }
            let main = match wrap {
                0 => json!({"type": "array", "items": union}),
                _ => union,
            };
            Case { main, helpers }
        })
}

/// Every kind of case.
pub fn case() -> BoxedStrategy<Case> {
    prop_oneof![
        6 => generic_case(),
        1 => recursive_case(),
        1 => discriminated_case(),
    ]
    .boxed()
}

/// The same schema in OpenAPI 3.1 spelling: `type: [T, "null"]` (or a `null` branch) for
/// `nullable`, numeric `exclusiveMinimum`/`exclusiveMaximum`, `examples` for `example`.
pub fn to_openapi31(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            "enum" | "const" | "example" | "default" | "required" | "discriminator" | "type" => {
                value.clone()
            }
            "properties" => Value::Object(
                value
                    .as_object()
                    .map(|p| {
                        p.iter()
                            .map(|(k, v)| (k.clone(), to_openapi31(v)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            _ => match value {
                Value::Array(items) => Value::Array(items.iter().map(to_openapi31).collect()),
                other => to_openapi31(other),
            },
        };
        out.insert(key.clone(), value);
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if out.get(exclusive) == Some(&Value::Bool(true)) {
            match out.remove(bound) {
                Some(limit) => out.insert(exclusive.to_owned(), limit),
                None => out.remove(exclusive),
            };
        } else if out.get(exclusive) == Some(&Value::Bool(false)) {
            out.remove(exclusive);
        }
    }
    if let Some(example) = out.remove("example") {
        out.insert("examples".into(), json!([example]));
    }
    if out.remove("nullable") == Some(Value::Bool(true)) {
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            _ => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    #[test]
    fn openapi31_spelling_of_nullable_bounds_and_examples() {
        let schema = json!({
            "type": "object",
            "properties": {
                "n": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "nullable": true},
                "r": {"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true},
            },
            "example": {"n": 2},
        });
        let out = to_openapi31(&schema);
        assert_eq!(
            out["properties"]["n"],
            json!({"type": ["integer", "null"], "exclusiveMinimum": 1})
        );
        assert_eq!(
            out["properties"]["r"],
            json!({"anyOf": [{"allOf": [{"$ref": "#/components/schemas/X"}]}, {"type": "null"}]})
        );
        assert_eq!(out["examples"], json!([{"n": 2}]));
    }

    #[test]
    fn the_same_seed_gives_the_same_schemas() {
        let make = || {
            let mut runner = TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
            );
            (0..20)
                .map(|_| case().new_tree(&mut runner).map(|t| t.current().main))
                .collect::<Result<Vec<_>, _>>()
                .expect("schemas")
        };
        assert_eq!(make(), make());
    }

    #[test]
    fn references_name_the_case_once_it_is_named() {
        let case = Case {
            main: json!({"items": {"$ref": format!("{REF_PREFIX}{SELF}A0")}, "enum": ["@"]}),
            helpers: vec![json!({"$ref": format!("{REF_PREFIX}{SELF}")})],
        };
        let named = case.named("C3");
        assert_eq!(named[0].1["items"]["$ref"], "#/components/schemas/C3A0");
        assert_eq!(named[0].1["enum"], json!(["@"]));
        assert_eq!(
            named[1],
            (
                "C3A0".to_owned(),
                json!({"$ref": "#/components/schemas/C3"})
            )
        );
    }
}
