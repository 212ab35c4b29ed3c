//! Keywords that constrain a value through sub-schemas (`not`, `if`/`then`/`else`,
//! `dependentRequired`, `dependentSchemas`, `contains`, `propertyNames`,
//! `patternProperties`, and `oneOf`/`anyOf` beside `properties`): lowered to
//! [`Applied`] checks that `validate()` runs on the JSON form of the value.

use super::classify::allows_object;
use super::{union_branches, Lowerer};
use crate::diagnostic::Diagnostic;
use crate::ir::{Applied, Conditional, Contains, Shape, Ty, Unclaimed, UnionMode};
use crate::load::schema::{self as s, Schema};

impl Lowerer<'_> {
    /// The sub-schema checks of `schema`, if it has any. `name` prefixes the names of
    /// types its sub-schemas need.
    pub(super) fn applied(&mut self, schema: &Schema, name: &str) -> Option<Box<Applied>> {
        let a = &schema.applicators;
        let mut out = Applied::default();
        let sub = |l: &mut Self, s: &Option<Box<Schema>>, suffix: &str| {
            s.as_deref().map(|s| l.shape(s, &format!("{name}{suffix}")))
        };
        out.not = sub(self, &a.not, "Not");
        let condition = sub(self, &a.if_schema, "If");
        let then = sub(self, &a.then_schema, "Then");
        let otherwise = sub(self, &a.else_schema, "Else");
        match condition {
            Some(condition) if then.is_some() || otherwise.is_some() => {
                out.conditional = Some(Conditional {
                    condition,
                    then,
                    otherwise,
                });
            }
            // `if` alone, or `then`/`else` without `if`, constrain nothing.
            _ => {}
        }
        if let Some(shape) = sub(self, &a.contains, "Contains") {
            out.contains = Some(Contains {
                shape,
                min: a.min_contains.unwrap_or(1),
                max: a.max_contains,
            });
        }
        out.property_names = sub(self, &a.property_names, "Name");
        out.dependent_required = a.dependent_required.clone();
        for (key, dependent) in &a.dependent_schemas {
            let shape = self.shape(
                dependent,
                &format!("{name}If{}", crate::ir::names::type_name(key, "Key")),
            );
            out.dependent_schemas.push((key.clone(), shape));
        }
        for (i, (pattern, value)) in a.pattern_properties.iter().enumerate() {
            if let Err(e) = regress::Regex::new(pattern) {
                let at = format!("{}/patternProperties", schema.pointer);
                let d = self
                    .error(
                        schema,
                        &at,
                        format!("`{pattern}` is not a valid ECMA-262 regular expression: {e}"),
                    )
                    .with_hint("patterns use JavaScript regex syntax");
                self.diagnostics.push(d);
                continue;
            }
            let shape = self.shape(value, &format!("{name}Pattern{}", i + 1));
            out.pattern_properties.push((pattern.clone(), shape));
        }
        if !a.pattern_properties.is_empty() {
            let shape = match &schema.additional {
                Some(s::Additional::Denied) => Some(None),
                Some(s::Additional::Schema(values)) => {
                    Some(Some(self.shape(values, &format!("{name}Extra"))))
                }
                _ => None,
            };
            out.unclaimed = shape.map(|shape| Unclaimed {
                listed: schema.properties.iter().map(|(p, _)| p.clone()).collect(),
                shape,
            });
        }
        if !union_branches(schema).is_empty()
            && (!schema.properties.is_empty() || super::branches_beside_map(schema))
        {
            // `oneOf` and `anyOf` together are two groups, both checked; the names of the
            // first group's types do not depend on whether the second is there.
            let any_infix = if schema.one_of.is_empty() {
                "Branch"
            } else {
                "AnyBranch"
            };
            let groups = [
                (UnionMode::OneOf, &schema.one_of, "Branch"),
                (UnionMode::AnyOf, &schema.any_of, any_infix),
            ];
            for (mode, list, infix) in groups {
                if list.is_empty() {
                    continue;
                }
                let shapes = list
                    .iter()
                    .enumerate()
                    .map(|(i, b)| self.shape(b, &format!("{name}{infix}{}", i + 1)))
                    .collect();
                out.branches.push((mode, shapes));
            }
        }
        out.unevaluated = self.unevaluated(schema, name);
        (out != Applied::default()).then(|| Box::new(out))
    }

    /// Reports sub-schema keywords on a schema generated as a type that does not run them.
    pub(super) fn warn_unapplied(&mut self, schema: &Schema, what: &str) {
        if schema.applicators.is_empty() {
            return;
        }
        let at = schema.pointer.clone();
        self.warn(
            schema,
            &at,
            format!("`not`, `if`, `contains` and similar keywords on {what} are not checked"),
        );
    }

    /// Warns of `properties`, `required` and `additionalProperties` beside a `type` that
    /// leaves objects out: JSON Schema applies them to objects only, so they have no effect.
    pub(super) fn warn_object_keywords(&mut self, schema: &Schema) {
        if allows_object(schema) {
            return;
        }
        let written: Vec<&str> = [
            ("properties", !schema.properties.is_empty()),
            ("required", !schema.required.is_empty()),
            // `additionalProperties: true` says nothing on any type.
            (
                "additionalProperties",
                !matches!(schema.additional, None | Some(s::Additional::Allowed)),
            ),
        ]
        .into_iter()
        .filter_map(|(keyword, on)| on.then_some(keyword))
        .collect();
        if written.is_empty() {
            return;
        }
        let types: Vec<&str> = schema.types.iter().flatten().map(|t| t.name()).collect();
        let at = schema.pointer.clone();
        let d = Diagnostic::warning(
            self.file_name(schema),
            format!("{at}/type"),
            format!(
                "`{}` {} only to objects, and `type` is [{}]: {} no effect",
                written.join("`, `"),
                if written.len() == 1 {
                    "applies"
                } else {
                    "apply"
                },
                types.join(", "),
                if written.len() == 1 {
                    "it has"
                } else {
                    "they have"
                },
            ),
        )
        .with_hint("add `object` to `type` if objects are meant to be sent");
        self.diagnostics.push(d);
    }

    /// The value shape of the map that keeps a struct's extra keys beside
    /// `patternProperties`: the pattern schemas' shape when they (and a schema
    /// `additionalProperties`) agree on one, else any JSON.
    pub(super) fn pattern_map(&mut self, applied: Option<&Applied>) -> Option<Shape> {
        let applied = applied?;
        let (_, first) = applied.pattern_properties.first()?;
        let agree = applied.pattern_properties.iter().all(|(_, s)| s == first);
        let extra_agrees = match &applied.unclaimed {
            Some(Unclaimed { shape: None, .. }) => true,
            Some(Unclaimed {
                shape: Some(shape), ..
            }) => shape == first,
            None => false,
        };
        Some(if agree && extra_agrees {
            first.clone()
        } else {
            Shape::plain(Ty::Any)
        })
    }
}
