//! What a disagreement is: a deliberate deviation (documented in the README), a known generator
//! bug listed as pending with `--pending`, or unexplained (the run fails).
//!
//! Each rule is narrow: it names the direction of the disagreement (who accepts) and a fact of
//! the schema, the instance or our error message that the deviation is about.

use serde_json::Value;

/// The two verdicts, the instance and the schemas of one disagreement.
pub struct Facts<'a> {
    /// The named schemas of the subject, its own first.
    pub schemas: &'a [(String, Value)],
    pub instance: &'a Value,
    /// `Err` holds our error message.
    pub ours: &'a Result<(), String>,
    pub oracle: &'a Result<(), String>,
}

impl Facts<'_> {
    fn we_reject(&self) -> Option<&str> {
        match (self.ours, self.oracle) {
            (Err(why), Ok(())) => Some(why),
            _ => None,
        }
    }

    fn we_accept(&self) -> bool {
        self.ours.is_ok() && self.oracle.is_err()
    }

    /// Every schema object of the subject, nested ones included.
    fn any_schema(&self, test: &dyn Fn(&serde_json::Map<String, Value>, bool) -> bool) -> bool {
        self.schemas.iter().any(|(_, s)| walk(s, true, test))
    }
}

fn walk(
    schema: &Value,
    top: bool,
    test: &dyn Fn(&serde_json::Map<String, Value>, bool) -> bool,
) -> bool {
    match schema {
        Value::Object(map) => {
            if test(map, top) {
                return true;
            }
            map.iter().any(|(k, v)| match k.as_str() {
                "enum" | "const" | "example" | "examples" | "default" | "required" => false,
                "properties" => v
                    .as_object()
                    .is_some_and(|p| p.values().any(|s| walk(s, false, test))),
                _ => walk(v, false, test),
            })
        }
        Value::Array(items) => items.iter().any(|v| walk(v, false, test)),
        _ => false,
    }
}

/// A documented class of disagreement.
pub struct Rule {
    /// Short name, as printed and as given to `--pending`.
    pub name: &'static str,
    /// Why (printed in the summary; the README lists the same).
    pub reason: &'static str,
    pub applies: fn(&Facts) -> bool,
}

/// Deliberate deviations: by design, listed in the README.
pub const DEVIATIONS: &[Rule] = &[
    Rule {
        name: "format-range",
        reason: "`format: int32` picks the Rust type `i32`, so an integer outside its range is \
                 rejected when parsing (also as a union branch); JSON Schema does not assert the format",
        applies: |f| {
            let rejected_as_i32 = f.we_reject().is_some_and(|why| why.contains("expected i32"));
            let int32_branch = f.any_schema(&|m, _| m.get("format") == Some(&Value::from("int32")));
            rejected_as_i32 || (int32_branch && has_integer_beyond_i32(f.instance))
        },
    },
    Rule {
        name: "format-not-in-oracle",
        reason: "`format: byte` is checked by `validate()` (base64); the oracle does not know the format",
        applies: |f| f.we_reject().is_some_and(|why| why.contains("is not a valid byte")),
    },
    Rule {
        name: "untyped-object",
        reason: "a schema with `properties` but no `type` is a struct, so a non-object instance \
                 fails to parse where JSON Schema ignores `properties` for it",
        applies: |f| {
            f.we_reject().is_some()
                && !f.instance.is_object()
                && f.any_schema(&|m, _| m.contains_key("properties") && !m.contains_key("type"))
        },
    },
];

/// Known generator bugs, counted separately when named with `--pending` (and only then).
pub const PENDING: &[Rule] = &[
    Rule {
        name: "allof-bounds",
        reason: "`allOf` numeric bounds keep the first bound, not the tightest",
        applies: |f| {
            f.we_accept()
                && f.any_schema(&|m, _| {
                    m.get("allOf")
                        .and_then(Value::as_array)
                        .is_some_and(|parts| parts.iter().filter(|p| has_bound(p)).count() >= 2)
                })
        },
    },
    Rule {
        name: "inline-closed",
        reason: "an inline `{type: object, additionalProperties: false}` without properties \
                 becomes an unchecked map",
        applies: |f| {
            f.we_accept()
                && f.any_schema(&|m, _| {
                    m.get("additionalProperties") == Some(&Value::Bool(false))
                        && m.get("properties")
                            .and_then(Value::as_object)
                            .is_none_or(|p| p.is_empty())
                })
        },
    },
    Rule {
        name: "required-undeclared",
        reason: "a `required` name missing from `properties` is not enforced",
        applies: |f| {
            f.we_accept()
                && f.any_schema(&|m, _| {
                    let props = m.get("properties").and_then(Value::as_object);
                    m.get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| {
                            r.iter()
                                .filter_map(Value::as_str)
                                .any(|name| props.is_none_or(|p| !p.contains_key(name)))
                        })
                })
        },
    },
    Rule {
        name: "nullable-named",
        reason: "a nullable named schema rejects `null` when parsed on its own",
        applies: |f| f.we_reject().is_some() && f.instance.is_null(),
    },
];

fn has_integer_beyond_i32(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.as_i64().is_some_and(|i| i32::try_from(i).is_err())
                || n.is_u64() && n.as_i64().is_none()
        }
        Value::Array(items) => items.iter().any(has_integer_beyond_i32),
        Value::Object(map) => map.values().any(has_integer_beyond_i32),
        _ => false,
    }
}

fn has_bound(schema: &Value) -> bool {
    [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "multipleOf",
    ]
    .iter()
    .any(|k| schema.get(*k).is_some())
}

/// How a disagreement is classified.
pub enum Class {
    Deviation(&'static Rule),
    Pending(&'static Rule),
    Unexplained,
}

/// The first deviation that applies, else the first pending bug named in `pending`.
pub fn classify(facts: &Facts, pending: &[String]) -> Class {
    if let Some(rule) = DEVIATIONS.iter().find(|r| (r.applies)(facts)) {
        return Class::Deviation(rule);
    }
    match PENDING
        .iter()
        .find(|r| pending.iter().any(|p| p == r.name) && (r.applies)(facts))
    {
        Some(rule) => Class::Pending(rule),
        None => Class::Unexplained,
    }
}
