//! The constraints `validate()` enforces on a value, normalised into `Checks`.

use super::enums::enum_values;
use super::{Lowerer, NUMERIC_FORMATS};
use crate::diagnostic::Diagnostic;
use crate::ir::instance::KNOWN_FORMATS;
use crate::ir::{Bound, Checks, Number};
use crate::load::schema::{self as s, Schema};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    pub(super) fn checks(&mut self, schema: &Schema, name: &str) -> Checks {
        let mut c = Checks {
            applied: self.applied(schema, name),
            min_length: schema.limits.min_length,
            max_length: schema.limits.max_length,
            min_items: schema.limits.min_items,
            max_items: schema.limits.max_items,
            unique_items: schema.limits.unique_items,
            min_properties: schema.limits.min_properties,
            max_properties: schema.limits.max_properties,
            constant: schema.const_value.as_deref().cloned(),
            ..Checks::default()
        };
        if let Some(values) = &schema.enum_values {
            c.enumeration = Some(values.clone());
        }
        if enum_values(schema).is_some_and(|v| v.iter().all(Value::is_null)) {
            // Every listed value was left out (an enum type warns for itself).
            self.warn_dropped_enum_values(schema);
        }
        if schema.types.is_none() && !schema.required.is_empty() {
            c.required = schema.required.iter().map(|(r, _)| r.clone()).collect();
        }
        for p in &schema.limits.patterns {
            match regress::Regex::new(p) {
                Ok(_) => {
                    c.patterns.push(p.clone());
                    if let Some(group) = crate::ir::backtracking::nested_repetition(p) {
                        let d = Diagnostic::warning(
                            self.file_name(schema),
                            format!("{}/pattern", schema.pointer),
                            format!("`{p}` repeats a group whose body repeats too (`{group}`): a string that does not match can take exponential time in `validate()`, whose matcher backtracks; the schema's examples are not matched against it"),
                        )
                        .with_hint("let each repetition match a string one way only, e.g. `[a-z]*` rather than `([a-z]*)*`");
                        self.diagnostics.push(d);
                    }
                }
                Err(e) => {
                    // Code can still be written: the pattern is left out, and said so.
                    let at = format!("{}/pattern", schema.pointer);
                    let d = Diagnostic::warning(
                        self.file_name(schema),
                        at,
                        format!("`{p}` is not a valid ECMA-262 regular expression ({e}); the pattern is not checked"),
                    )
                    .with_hint("patterns use JavaScript regex syntax");
                    self.diagnostics.push(d);
                }
            }
        }
        if let Some(f) = &schema.format {
            if NUMERIC_FORMATS.contains(&f.as_str()) || self.settings.format_type(f).is_some() {
                // Carried by the Rust type (i32, f32, a type the settings name), not checked
                // at run time.
            } else if KNOWN_FORMATS.contains(&f.as_str()) {
                c.format = Some(f.clone());
            } else {
                if let Some(entry) = self
                    .unknown_formats
                    .iter_mut()
                    .find(|(name, _, _)| name == f)
                {
                    entry.2 += 1;
                } else {
                    let at = format!("{}/format", schema.pointer);
                    let d = Diagnostic::warning(
                        self.file_name(schema),
                        at,
                        format!("unknown format `{f}`; values are not checked against it"),
                    )
                    .with_hint(match s::closest(f, KNOWN_FORMATS) {
                        Some(near) => format!("did you mean `{near}`? known formats are those of JSON Schema and of the OpenAPI format registry"),
                        None => "known formats are those of JSON Schema and of the OpenAPI format registry".to_owned(),
                    });
                    self.unknown_formats.push((f.clone(), d, 1));
                }
            }
        }
        let bound = |n: &serde_json::Number, exclusive| Bound {
            value: Number::from_json(n),
            exclusive,
        };
        c.minimum = Bound::tightest(
            schema.limits.minimum.as_ref().map(|n| bound(n, false)),
            schema
                .limits
                .exclusive_minimum
                .as_ref()
                .map(|n| bound(n, true)),
            true,
        );
        c.maximum = Bound::tightest(
            schema.limits.maximum.as_ref().map(|n| bound(n, false)),
            schema
                .limits
                .exclusive_maximum
                .as_ref()
                .map(|n| bound(n, true)),
            false,
        );
        c.multiple_of = schema.limits.multiple_of.as_ref().map(Number::from_json);
        self.check_counts(
            schema,
            schema.limits.min_length,
            schema.limits.max_length,
            "minLength",
        );
        self.check_counts(
            schema,
            schema.limits.min_items,
            schema.limits.max_items,
            "minItems",
        );
        if let (Some(lo), Some(hi)) = (c.minimum, c.maximum) {
            if lo.value.compare(hi.value) == std::cmp::Ordering::Greater {
                let at = format!("{}/minimum", schema.pointer);
                self.warn(
                    schema,
                    &at,
                    format!(
                        "minimum {} is greater than maximum {}; no value is valid, so `validate()` rejects every one",
                        lo.value, hi.value
                    ),
                );
            }
        }
        c
    }

    pub(super) fn check_counts(
        &mut self,
        schema: &Schema,
        min: Option<u64>,
        max: Option<u64>,
        keyword: &str,
    ) {
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                let at = format!("{}/{keyword}", schema.pointer);
                let max_kw = keyword.replacen("min", "max", 1);
                self.warn(
                    schema,
                    &at,
                    format!("{keyword} {lo} is greater than {max_kw} {hi}; no value is valid, so `validate()` rejects every one"),
                );
            }
        }
    }
}
