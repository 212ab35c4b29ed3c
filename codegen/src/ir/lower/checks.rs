//! The constraints `validate()` enforces on a value, normalised into `Checks`.

use super::enums::enum_values;
use super::{Lowerer, NUMERIC_FORMATS};
use crate::diagnostic::Diagnostic;
use crate::ir::instance::KNOWN_FORMATS;
use crate::ir::{Bound, Checks, Number};
use crate::load::schema::{self as s, Limits, Schema};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    pub(super) fn checks(&mut self, schema: &Schema, name: &str) -> Checks {
        let mut c = Checks {
            applied: self.applied(schema, name),
            constant: schema.const_value.as_deref().cloned(),
            ..stated(schema)
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
                    // Code can still be written: the pattern is left out (by `stated`), and
                    // said so.
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
            if self.settings.format_type(f).is_some() {
                // Carried by a type the settings name, not checked at run time.
                c.format = None;
            } else if !NUMERIC_FORMATS.contains(&f.as_str()) && !KNOWN_FORMATS.contains(&f.as_str())
            {
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

/// The keyword constraints a schema states on a value of its own, read before anything of the
/// model is known: lengths, the patterns that compile, a format checked at run time (one the
/// Rust type does not carry), bounds (the tightest of `minimum` and `exclusiveMinimum`, of
/// `maximum` and `exclusiveMaximum`), `multipleOf` and counts. Lowering starts from it, and the
/// values an `enum` lists are checked against it.
pub(in crate::ir) fn stated(schema: &Schema) -> Checks {
    // Every field is named, so that a new limit is lowered here or said to be elsewhere.
    let Limits {
        min_length,
        max_length,
        patterns,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
    } = &*schema.limits;
    let bound = |n: &serde_json::Number, exclusive| Bound {
        value: Number::from_json(n),
        exclusive,
    };
    let checked_format =
        |f: &&String| !NUMERIC_FORMATS.contains(&f.as_str()) && KNOWN_FORMATS.contains(&f.as_str());
    Checks {
        min_length: *min_length,
        max_length: *max_length,
        patterns: (patterns.iter())
            .filter(|p| regress::Regex::new(p).is_ok())
            .cloned()
            .collect(),
        format: schema.format.as_ref().filter(checked_format).cloned(),
        minimum: Bound::tightest(
            minimum.as_ref().map(|n| bound(n, false)),
            exclusive_minimum.as_ref().map(|n| bound(n, true)),
            true,
        ),
        maximum: Bound::tightest(
            maximum.as_ref().map(|n| bound(n, false)),
            exclusive_maximum.as_ref().map(|n| bound(n, true)),
            false,
        ),
        multiple_of: multiple_of.as_ref().map(Number::from_json),
        min_items: *min_items,
        max_items: *max_items,
        unique_items: *unique_items,
        min_properties: *min_properties,
        max_properties: *max_properties,
        // Not stated by a schema's limits: set by lowering from its other keywords.
        types: None,
        enumeration: None,
        constant: None,
        required: Vec::new(),
        items: None,
        tuple: Vec::new(),
        applied: None,
    }
}

#[cfg(test)]
mod tests {
    use super::stated;
    use crate::ir::{Bound, Number};
    use crate::load::schema::{Limits, Schema};

    fn number(n: &str) -> Option<serde_json::Number> {
        serde_json::from_str(n).ok()
    }

    #[test]
    fn stated_checks_keep_the_tightest_bounds_the_patterns_that_compile_and_run_time_formats() {
        let schema = Schema {
            format: Some("int32".to_owned()),
            limits: Limits {
                minimum: number("3"),
                exclusive_minimum: number("3"),
                maximum: number("10"),
                exclusive_maximum: number("12.5"),
                patterns: vec!["^[a-z]+$".to_owned(), "(".to_owned()],
                min_items: Some(1),
                ..Limits::default()
            }
            .into(),
            ..Schema::default()
        };
        let c = stated(&schema);
        let bound = |value, exclusive| Some(Bound { value, exclusive });
        assert_eq!(c.minimum, bound(Number::Int(3), true));
        assert_eq!(c.maximum, bound(Number::Int(10), false));
        // `(` does not compile; lowering warns about it.
        assert_eq!(c.patterns, ["^[a-z]+$"]);
        // `int32` is carried by the Rust type, not checked at run time.
        assert_eq!(c.format, None);
        assert_eq!(c.min_items, Some(1));
        let email = Schema {
            format: Some("email".to_owned()),
            ..Schema::default()
        };
        assert_eq!(stated(&email).format.as_deref(), Some("email"));
        let unknown = Schema {
            format: Some("e-mail".to_owned()),
            ..Schema::default()
        };
        assert_eq!(stated(&unknown).format, None);
    }
}
