//! Type replacement: named schemas replaced by the project's own types (`[types]` in the
//! settings, `x-rust-type` in the schema) and formats mapped to a named type (`[formats]`).

use super::{docs, has_structure, Lowerer};
use crate::diagnostic::Diagnostic;
use crate::ir::{Checks, External, Replaced, Shape, Ty};
use crate::load::schema::{self as s, Schema, Target};
use crate::settings::{FormatChoice, Replacement, FILE_NAME};
use std::collections::{BTreeMap, HashMap};

/// Dependencies every generated crate has, or that need no `Cargo.toml` entry.
const PROVIDED: &[&str] = &["crate", "std", "core", "alloc", "serde", "serde_json"];

/// The replacements found while lowering.
#[derive(Default)]
pub(super) struct Replacements {
    /// Replaced named schemas by where they are.
    targets: HashMap<Target, External>,
    /// The same, in input order, for the docs.
    replaced: Vec<Replaced>,
    /// `[dependencies]` lines by crate: the first one recorded for a crate wins, and the
    /// settings' are recorded before any schema's.
    dependencies: BTreeMap<String, String>,
}

impl Replacements {
    /// Whether the named schema at `target` is replaced.
    pub(super) fn replaces(&self, target: &Target) -> bool {
        self.targets.contains_key(target)
    }

    /// The type replacing the named schema at `target`.
    pub(super) fn get(&self, target: &Target) -> Option<&External> {
        self.targets.get(target)
    }

    /// The replaced schemas and the dependency lines, for the model.
    pub(super) fn finish(self) -> (Vec<Replaced>, Vec<String>) {
        (self.replaced, self.dependencies.into_values().collect())
    }
}

impl Lowerer<'_> {
    /// Finds the named schemas the settings or their `x-rust-type` replace (the settings
    /// win), and the dependencies of every replacing type, before any schema is lowered.
    pub(super) fn replace_named_schemas(&mut self) {
        let spec = self.spec;
        let settings = self.settings;
        let names: Vec<&str> = spec.schemas.iter().map(|n| n.name.as_str()).collect();
        for key in settings.types.keys() {
            if !names.contains(&key.as_str()) {
                let mut d = Diagnostic::warning(
                    FILE_NAME,
                    "",
                    format!("`[types]` names `{key}`, which is not a schema; nothing is replaced"),
                );
                if let Some(near) = s::closest(key, &names) {
                    d = d.with_hint(format!("did you mean `{near}`?"));
                }
                self.diagnostics.push(d);
            }
        }
        // The settings' crates first, all of them, so that a type of a crate another entry
        // names the dependency of needs no `version` of its own.
        let mut named: Vec<(&Replacement, String)> = Vec::new();
        for (format, choice) in &settings.formats {
            if let FormatChoice::Type(replacement) = choice {
                named.push((replacement, format!("[formats] {format}")));
                if replacement.path.starts_with("time::") {
                    let d = Diagnostic::warning(
                        FILE_NAME,
                        format!("[formats] {format}"),
                        format!("`{}` does not (de)serialize as RFC 3339 text: values would not read or round-trip as the schema writes them", replacement.path),
                    )
                    .with_hint("map the format to a wrapper type whose serde impls use `time::serde::rfc3339` (or keep chrono, the default)");
                    self.diagnostics.push(d);
                }
            }
        }
        for (name, replacement) in &settings.types {
            if names.contains(&name.as_str()) {
                named.push((replacement, format!("[types] {name}")));
            }
        }
        for (replacement, _) in &named {
            self.record_dependency(replacement);
        }
        for (replacement, at) in &named {
            self.add_dependency(replacement, FILE_NAME, at);
        }
        for n in &spec.schemas {
            let (replacement, source) = match (settings.types.get(&n.name), &n.schema.rust_type) {
                (Some(r), _) => (r.clone(), "codegen.toml"),
                (None, Some(t)) => (
                    Replacement::from_extension(&t.crate_name, &t.version, &t.path),
                    "x-rust-type",
                ),
                (None, None) => continue,
            };
            let file = self.file_name(&n.schema);
            if source == "x-rust-type" {
                self.add_dependency(&replacement, &file, &n.schema.pointer);
            }
            let external = External {
                path: replacement.path.clone(),
                validates: replacement.validate.unwrap_or(true),
                implements: replacement.implements.clone(),
            };
            if !external.validates {
                let unchecked = constraint_keywords(&n.schema);
                if !unchecked.is_empty() {
                    let d = Diagnostic::warning(
                        file,
                        &n.schema.pointer,
                        format!(
                            "`{}` is replaced by `{}` with `validate = false`: its {} not checked by `validate()`",
                            n.name,
                            external.path,
                            list(&unchecked),
                        ),
                    )
                    .with_hint("the replacing type's own parsing is all that checks these values; leave out `validate = false` when it implements `Validate`");
                    self.diagnostics.push(d);
                }
            }
            self.replacements.targets.insert(
                Target {
                    file: n.schema.file,
                    pointer: n.schema.pointer.clone(),
                },
                external.clone(),
            );
            self.replacements.replaced.push(Replaced {
                schema_name: n.name.clone(),
                origin: self.origin(&n.schema),
                docs: docs(&n.schema),
                external,
                source,
            });
        }
    }

    /// Records the dependency line of `replacement`, unless its crate has one already.
    fn record_dependency(&mut self, replacement: &Replacement) {
        let name = replacement.crate_name();
        if let (false, Some(line)) = (
            self.replacements.dependencies.contains_key(name),
            replacement.dependency_line(),
        ) {
            self.replacements.dependencies.insert(name.to_owned(), line);
        }
    }

    /// Records the dependency line of `replacement`, or warns that the crate gets none.
    fn add_dependency(&mut self, replacement: &Replacement, file: &str, at: &str) {
        self.record_dependency(replacement);
        let name = replacement.crate_name();
        let recorded = self.replacements.dependencies.contains_key(name);
        // A type of the prelude (`String`) or of a crate every generated crate has needs none.
        let provided = PROVIDED.contains(&name) || !replacement.path.contains("::");
        if !recorded && !provided {
            let d = Diagnostic::warning(
                file,
                at,
                format!(
                    "`{}` comes from the crate `{name}`, which the generated crate does not depend on",
                    replacement.path
                ),
            )
            .with_hint("give its `version` (or a `dependency` table) in codegen.toml");
            self.diagnostics.push(d);
        }
    }

    /// The shape of a use of a replaced named schema (a bare `$ref` to it). An inline
    /// schema's `x-rust-type` is not applied, with a warning.
    pub(super) fn replaced_use(&mut self, schema: &Schema, is_definition: bool) -> Option<Shape> {
        if let Some(target) = schema.reference.as_ref().and_then(|r| r.target.as_ref()) {
            if has_structure(schema) || !schema.all_of.is_empty() {
                return None;
            }
            let external = self.replacements.get(target)?.clone();
            return Some(Shape {
                ty: Ty::External(Box::new(external)),
                nullable: schema.nullable || self.references_nullable(schema, 0),
                checks: Default::default(),
            });
        }
        if schema.rust_type.is_some() && !is_definition {
            let at = format!("{}/x-rust-type", schema.pointer);
            self.warn(
                schema,
                &at,
                "`x-rust-type` applies to named schemas (`components/schemas`) only; this inline schema is generated",
            );
        }
        None
    }

    /// The type the settings name for the schema's `format`, if any.
    pub(super) fn format_type(&self, schema: &Schema) -> Option<Ty> {
        let replacement = self.settings.format_type(schema.format.as_deref()?)?;
        Some(Ty::External(Box::new(External {
            path: replacement.path.clone(),
            validates: replacement.validate.unwrap_or(false),
            implements: replacement.implements.clone(),
        })))
    }

    /// The checks left on a value held as a format's named type: none. The type parses the
    /// format; any other constraint is reported as unchecked.
    pub(super) fn unchecked_by_format_type(&mut self, schema: &Schema, checks: Checks) -> Checks {
        let unchecked: Vec<&str> = constraint_keywords(schema)
            .into_iter()
            .filter(|k| *k != "format")
            .collect();
        if !unchecked.is_empty() || checks.applied.is_some() {
            let format = schema.format.as_deref().unwrap_or_default();
            let path = self
                .settings
                .format_type(format)
                .map_or("", |r| r.path.as_str());
            let what = if unchecked.is_empty() {
                "sub-schema keywords are".to_owned()
            } else {
                list(&unchecked)
            };
            self.warn(
                schema,
                &schema.pointer,
                format!("this `{format}` value is held as `{path}`: its {what} not checked by `validate()`"),
            );
        }
        Checks::default()
    }
}

/// The value constraints a schema states (what `validate()` would check).
fn constraint_keywords(schema: &Schema) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |present: bool, keyword: &'static str| {
        if present {
            out.push(keyword);
        }
    };
    add(schema.format.is_some(), "format");
    add(schema.enum_values.is_some(), "enum");
    add(schema.const_value.is_some(), "const");
    add(schema.limits.min_length.is_some(), "minLength");
    add(schema.limits.max_length.is_some(), "maxLength");
    add(!schema.limits.patterns.is_empty(), "pattern");
    add(schema.limits.minimum.is_some(), "minimum");
    add(schema.limits.maximum.is_some(), "maximum");
    add(
        schema.limits.exclusive_minimum.is_some(),
        "exclusiveMinimum",
    );
    add(
        schema.limits.exclusive_maximum.is_some(),
        "exclusiveMaximum",
    );
    add(schema.limits.multiple_of.is_some(), "multipleOf");
    add(schema.limits.min_items.is_some(), "minItems");
    add(schema.limits.max_items.is_some(), "maxItems");
    add(schema.limits.unique_items, "uniqueItems");
    add(schema.limits.min_properties.is_some(), "minProperties");
    add(schema.limits.max_properties.is_some(), "maxProperties");
    add(!schema.required.is_empty(), "required");
    out
}

/// `` `a`, `b` and `c` are `` / `` `a` is ``.
fn list(keywords: &[&str]) -> String {
    let quoted: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => format!("{last} is"),
        Some((last, rest)) => format!("{} and {last} are", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::lower;
    use crate::ir::{Model, Ty, TypeKind};
    use crate::load::FileSource;
    use crate::settings::Settings;
    use std::path::{Path, PathBuf};

    struct Memory(String);

    impl FileSource for Memory {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            if path == Path::new("api.yaml") {
                Ok(self.0.clone().into_bytes())
            } else {
                Err(std::io::ErrorKind::NotFound.into())
            }
        }
    }

    /// The model and warnings of a document whose `components/schemas` is `schemas`.
    fn lowered(schemas: &str, settings: &str) -> (Model, Vec<String>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let settings = Settings::parse("codegen.toml", settings).expect("valid settings");
        let out = lower(&[PathBuf::from("api.yaml")], &Memory(text), &settings);
        let messages = out.diagnostics.iter().map(|d| d.message.clone()).collect();
        (out.model, messages)
    }

    /// The Rust type path of `Order.field`, when it is a type from outside the crate.
    fn field_path(model: &Model, field: &str) -> Option<String> {
        let order = model.types.iter().find(|t| t.name == "Order")?;
        let TypeKind::Struct(s) = &order.kind else {
            return None;
        };
        let f = s.fields.iter().find(|f| f.wire_name == field)?;
        match &f.shape.ty {
            Ty::External(e) => Some(e.path.clone()),
            Ty::Array(item) => match &item.ty {
                Ty::External(e) => Some(format!("Vec<{}>", e.path)),
                _ => None,
            },
            _ => None,
        }
    }

    const SCHEMAS: &str = "    Money:
      type: object
      properties: {amount: {type: integer}}
      x-rust-type: {crate: vendor_money, version: '2', path: vendor_money::Money}
    Order:
      type: object
      properties:
        total: {$ref: '#/components/schemas/Money'}
        all: {type: array, items: {$ref: '#/components/schemas/Money'}}
        rate: {type: string, format: decimal}
";

    #[test]
    fn the_extension_replaces_a_schema_and_adds_its_crate() {
        let (model, warnings) = lowered(SCHEMAS, "");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            field_path(&model, "total").as_deref(),
            Some("vendor_money::Money")
        );
        assert_eq!(
            field_path(&model, "all").as_deref(),
            Some("Vec<vendor_money::Money>")
        );
        assert!(model.types.iter().all(|t| t.name != "Money"));
        assert_eq!(model.replaced.len(), 1);
        assert_eq!(model.dependencies, ["vendor_money = \"2\""]);
    }

    #[test]
    fn the_settings_win_over_the_extension_and_map_formats() {
        let settings = "[types]\nMoney = { path = \"ours::Money\", dependency = { path = \"../ours\" } }\n\n[formats]\ndecimal = { path = \"ours::Decimal\", crate = \"ours\" }\n";
        let (model, warnings) = lowered(SCHEMAS, settings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(field_path(&model, "total").as_deref(), Some("ours::Money"));
        assert_eq!(field_path(&model, "rate").as_deref(), Some("ours::Decimal"));
        // One line for the crate, from the settings; the extension's crate is not added.
        assert_eq!(model.dependencies, ["ours = { path = \"../ours\" }"]);
        assert!(model
            .replaced
            .first()
            .is_some_and(|r| r.source == "codegen.toml"));
    }

    #[test]
    fn a_type_whose_crate_the_crate_lacks_or_a_name_that_is_no_schema_is_a_warning() {
        let settings =
            "[types]\nMony = { path = \"a::B\" }\n\n[formats]\ndecimal = \"rust_decimal::Decimal\"\n";
        let (_, warnings) = lowered(SCHEMAS, settings);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("`Mony`, which is not a schema")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains(
                "`rust_decimal::Decimal` comes from the crate `rust_decimal`, which the generated crate does not depend on"
            )),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_time_type_for_a_format_is_reported_for_its_serde_form() {
        let settings =
            "[formats]\ndate-time = { path = \"time::OffsetDateTime\", version = \"0.3\" }\n";
        let (_, warnings) = lowered(SCHEMAS, settings);
        assert!(
            warnings
                .iter()
                .any(|w| w
                    .contains("`time::OffsetDateTime` does not (de)serialize as RFC 3339 text")),
            "{warnings:?}"
        );
    }

    #[test]
    fn unchecked_constraints_of_a_replaced_schema_without_validation_are_reported() {
        let schemas = "    Code:
      type: string
      maxLength: 3
      pattern: '^[A-Z]+$'
    Order:
      type: object
      properties:
        code: {$ref: '#/components/schemas/Code'}
        rate: {type: string, format: decimal, maxLength: 10}
";
        let settings = "[types]\nCode = { path = \"String\", validate = false }\n\n[formats]\ndecimal = { path = \"d::Decimal\", version = \"1\" }\n";
        let (model, warnings) = lowered(schemas, settings);
        assert_eq!(field_path(&model, "code").as_deref(), Some("String"));
        assert!(
            warnings.iter().any(
                |w| w.contains("its `maxLength` and `pattern` are not checked by `validate()`")
            ),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains(
                "this `decimal` value is held as `d::Decimal`: its `maxLength` is not checked"
            )),
            "{warnings:?}"
        );
        // `String` needs no dependency; the decimal's crate is added.
        assert_eq!(model.dependencies, ["d = \"1\""]);
    }
}
