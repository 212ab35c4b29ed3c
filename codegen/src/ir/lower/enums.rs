//! Enums: the values of `enum` (or a scalar `const`) that the keywords beside them let
//! through, and the Rust enum they make.

use super::Lowerer;
use crate::diagnostic::count;
use crate::ir::names::Scope;
use crate::ir::{Enum, EnumRepr, EnumVariant};
use crate::load::schema::{DescriptionEntries, Schema, VariantDescriptions};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    /// Warns of each `enum` (or `const`) value that [`enum_value_kept`] leaves out.
    pub(super) fn warn_dropped_enum_values(&mut self, schema: &Schema) {
        let (listed, keyword) = match (&schema.enum_values, schema.const_value.as_deref()) {
            (Some(values), _) => (values.clone(), "enum"),
            (None, Some(c)) => (vec![c.clone()], "const"),
            (None, None) => return,
        };
        let at = format!("{}/{keyword}", schema.pointer);
        let mut dropped = 0;
        for v in &listed {
            if enum_value_kept(schema, v) {
                continue;
            }
            dropped += 1;
            let mut reasons = crate::ir::instance::enum_value_violations(v, schema);
            if let (Some(c), "enum") = (&schema.const_value, keyword) {
                if !crate::ir::instance::json_equal(c, v) {
                    reasons.insert(0, format!("it is not the `const` {c}"));
                }
            }
            self.warn(
                schema,
                &at,
                format!(
                    "the {keyword} value {v} fails the keywords beside it ({}); it is left out",
                    reasons.join("; ")
                ),
            );
        }
        if dropped > 0
            && listed
                .iter()
                .all(|v| v.is_null() || !enum_value_kept(schema, v))
        {
            self.warn(
                schema,
                &at,
                format!("no {keyword} value passes the keywords beside it; the schema accepts no value (but `null` where it is nullable)"),
            );
        }
    }

    pub(super) fn enumeration(&mut self, schema: &Schema, values: &[Value]) -> Enum {
        self.warn_dropped_enum_values(schema);
        let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        let repr = if values.iter().all(|v| v.is_string()) {
            EnumRepr::String
        } else if values.iter().all(|v| v.is_i64()) {
            EnumRepr::Integer
        } else {
            EnumRepr::Json
        };
        let open =
            schema.enum_values.is_some() && schema.open_enum.unwrap_or(self.settings.open_enums);
        // An open enum's catch-all variant is `Other`.
        let mut scope = Scope::with_reserved(if open { &["Other"] } else { &[] });
        let mut unique: Vec<(&Value, String)> = Vec::with_capacity(values.len());
        let mut seen: Vec<&Value> = Vec::new();
        for v in values {
            if seen.contains(&v) {
                let at = format!("{}/enum", schema.pointer);
                self.warn(schema, &at, format!("the enum value {v} is listed twice"));
                continue;
            }
            seen.push(v);
            let raw = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => format!("value {n}")
                    .replace('-', " minus ")
                    .replace('.', " point "),
                other => other.to_string(),
            };
            unique.push((v, raw));
        }
        let names = self.variant_names(schema, &unique, &mut scope);
        let descriptions = self.variant_descriptions(schema, &unique);
        let variants = unique
            .into_iter()
            .zip(names)
            .zip(descriptions)
            .map(|(((v, _), name), description)| EnumVariant {
                name,
                value: v.clone(),
                description,
            })
            .collect();
        Enum {
            repr,
            variants,
            // A `const` is one value, never open.
            open,
        }
    }
}

impl Lowerer<'_> {
    /// The description of each enum value (`x-enum-descriptions`), by its place in `enum`
    /// or by its text; a blank one is none. Descriptions for no value are warned of.
    fn variant_descriptions(
        &mut self,
        schema: &Schema,
        values: &[(&Value, String)],
    ) -> Vec<Option<String>> {
        let listed = schema.enum_values.as_deref().unwrap_or_default();
        let Some(VariantDescriptions { keyword, entries }) = &schema.code.variant_descriptions
        else {
            return vec![None; values.len()];
        };
        let at = format!("{}/{keyword}", schema.pointer);
        let found: Vec<Option<&String>> = match entries {
            DescriptionEntries::InOrder(descriptions) => {
                if descriptions.len() != listed.len() {
                    let message = format!(
                        "`{keyword}` lists {} for {}, which are matched in order; {}",
                        count(descriptions.len(), "description"),
                        count(listed.len(), "`enum` value"),
                        if descriptions.len() > listed.len() {
                            "the descriptions past the last value are left out"
                        } else {
                            "the values past the last description have none"
                        }
                    );
                    self.warn(schema, &at, message);
                }
                let place = |v: &Value| listed.iter().position(|l| l == v);
                values
                    .iter()
                    .map(|(v, _)| place(v).and_then(|i| descriptions.get(i)))
                    .collect()
            }
            DescriptionEntries::ByValue(descriptions) => {
                let texts: Vec<String> = values.iter().map(|(v, _)| wire_text(v)).collect();
                let listed: Vec<String> = listed.iter().map(wire_text).collect();
                for (text, _) in descriptions {
                    if !listed.contains(text) {
                        let message = format!(
                            "`{keyword}` describes `{text}`, which is not one of the `enum` values; the description is left out"
                        );
                        self.warn(schema, &crate::load::pointer::child(&at, text), message);
                    }
                }
                let described = |text: &String| {
                    descriptions
                        .iter()
                        .find(|(t, _)| t == text)
                        .map(|(_, description)| description)
                };
                texts.iter().map(described).collect()
            }
        };
        found
            .into_iter()
            .map(|d| d.filter(|d| !d.trim().is_empty()).cloned())
            .collect()
    }
}

/// An enum value as text: a string as it is, anything else as JSON (the keys of
/// `[models.<schema>.variants]` and of `x-enumDescriptions`).
pub(super) fn wire_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The values of `enum`, or a scalar `const` as a one-value enum: only those that the `const`
/// beside an `enum` and the scalar keywords beside them (lengths, `pattern`, `format`, bounds,
/// `multipleOf`), which an enum type does not check, let through. With no value left, the
/// schema is not an enum type: its own checks (the `enum`, `const` and the rest) reject every
/// value but `null` where allowed.
pub(super) fn enum_values(schema: &Schema) -> Option<std::borrow::Cow<'_, [Value]>> {
    if let Some(values) = &schema.enum_values {
        if values.iter().all(|v| enum_value_kept(schema, v)) {
            return Some(std::borrow::Cow::Borrowed(values.as_slice()));
        }
        let kept = values.iter().filter(|v| enum_value_kept(schema, v));
        return Some(std::borrow::Cow::Owned(kept.cloned().collect()));
    }
    match schema.const_value.as_deref() {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
            let kept = enum_value_kept(schema, v).then(|| v.clone());
            Some(std::borrow::Cow::Owned(kept.into_iter().collect()))
        }
        _ => None,
    }
}

/// Whether an `enum` value passes the `const` and scalar keywords beside it (`null` always does:
/// it is the schema's nullability, not a variant).
pub(super) fn enum_value_kept(schema: &Schema, value: &Value) -> bool {
    value.is_null()
        || (schema
            .const_value
            .as_ref()
            .is_none_or(|c| crate::ir::instance::json_equal(c, value))
            && crate::ir::instance::enum_value_violations(value, schema).is_empty())
}

pub(super) fn is_scalar_enum(values: &[Value]) -> bool {
    values.iter().any(|v| !v.is_null()) && values.iter().all(|v| !v.is_array() && !v.is_object())
}
