//! Objects with properties: a struct's fields (names, requiredness, defaults, the `required`
//! keys no property lists) and what happens to the other properties.

use super::{annotated_reference, docs, has_structure, names, unevaluated, Lowerer};
use crate::diagnostic::Diagnostic;
use crate::ir::names::Scope;
use crate::ir::{Additional, Checks, Docs, Field, Shape, Struct, Ty};
use crate::load::schema::{self as s, Schema};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    /// Whether required properties are checked by `validate()` rather than when parsing.
    pub(super) fn presence_validated(&self) -> bool {
        self.settings.required == crate::settings::RequiredChoice::Validate
    }

    /// `x-rust-serde` on a property whose value is not a type made from that property (a
    /// `String`, a reference to a named schema) has nothing to apply to: said, not dropped.
    pub(super) fn warn_unused_direction(&mut self, prop: &Schema, shape: &Shape) {
        if prop.code.serialize.is_none() && prop.code.deserialize.is_none() {
            return;
        }
        let own_type = match &shape.ty {
            Ty::Named { id, .. } => self
                .slots
                .get(id.0)
                .and_then(Option::as_ref)
                .is_some_and(|def| def.origin.pointer == prop.pointer),
            _ => false,
        };
        if !own_type {
            let at = format!("{}/x-rust-serde", prop.pointer);
            self.warn(
                prop,
                &at,
                "`x-rust-serde` applies to a schema that becomes a type of its own; this property's value is not one (a plain value, or a reference whose schema sets its own directions), so it is ignored",
            );
        }
    }

    pub(super) fn structure(&mut self, schema: &Schema, name: &str) -> Struct {
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(schema.properties.len());
        let rust_names = self.field_names(schema, &mut scope);
        for ((wire, prop), rust_name) in schema.properties.iter().zip(rust_names) {
            let required = schema.required.iter().any(|(r, _)| r == wire);
            let child = format!("{name}{}", names::type_name(wire, "Field"));
            let shape = self.shape(prop, &child);
            self.warn_unused_direction(prop, &shape);
            let mut docs = docs(prop);
            if let Some(target) = self.referenced_schema(prop) {
                docs.read_only |= target.read_only;
                docs.write_only |= target.write_only;
            }
            // A read-only property is absent from requests, a write-only one from responses:
            // either parses when absent, and the other direction's validation reports it.
            let one_way = docs.read_only || docs.write_only;
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                shape,
                required,
                presence_validated: required && (self.presence_validated() || one_way),
                default: prop
                    .default
                    .as_deref()
                    .cloned()
                    .or_else(|| self.referenced_default(prop)),
                docs,
            });
        }
        let additional = match &schema.additional {
            None => Additional::Ignored,
            // Written out (`true` or `{}`): the extra properties are kept, as any JSON.
            Some(s::Additional::Allowed) => Additional::Map(Box::new(Shape::plain(Ty::Any))),
            Some(s::Additional::Denied) => Additional::Denied,
            Some(s::Additional::Schema(a)) => {
                Additional::Map(Box::new(self.shape(a, &format!("{name}Extra"))))
            }
        };
        // A required key the schema forgot to declare must still be present,
        // with any value: it becomes a required field of any JSON.
        for (req, at) in &schema.required {
            if schema.properties.iter().any(|(p, _)| p == req)
                || fields.iter().any(|f| f.wire_name == *req)
            {
                continue;
            }
            let known: Vec<&str> = schema.properties.iter().map(|(p, _)| p.as_str()).collect();
            let hint = match s::closest(req, &known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("declare `{req}` in `properties` to give it a type"),
            };
            // Not a listed property, so `additionalProperties` (a schema) constrains its value.
            let values = match &schema.additional {
                Some(s::Additional::Schema(a))
                    if schema.applicators.pattern_properties.is_empty() =>
                {
                    Some(a)
                }
                _ => None,
            };
            let what = match values {
                Some(_) => "of the `additionalProperties` schema",
                None => "of any JSON value (`serde_json::Value`)",
            };
            let d = Diagnostic::warning(
                self.file_name(schema),
                at,
                format!("`required` names `{req}`, which is not a property; it becomes a required field {what}"),
            )
            .with_hint(hint);
            self.diagnostics.push(d);
            let shape = match values {
                Some(a) => self.shape(a, &format!("{name}{}", names::type_name(req, "Field"))),
                None => Shape::plain(Ty::Any),
            };
            fields.push(Field {
                wire_name: req.clone(),
                rust_name: scope.claim(names::field_name(req)),
                shape,
                required: true,
                presence_validated: self.presence_validated(),
                default: None,
                docs: Docs {
                    description: Some(match values {
                        Some(_) => "Required by the schema, which does not declare it: a value of the `additionalProperties` schema.".to_owned(),
                        None => "Required by the schema, which does not declare it: any JSON value.".to_owned(),
                    }),
                    ..Docs::default()
                },
            });
        }
        let mut checks = Checks {
            min_properties: schema.limits.min_properties,
            max_properties: schema.limits.max_properties,
            applied: self.applied(schema, name),
            ..Checks::default()
        };
        let closed = unevaluated::closes_struct(&mut checks.applied, &fields);
        // Beside `patternProperties` the extra keys are kept, and checked by `applied`.
        // Other sub-schema checks, and `minProperties`/`maxProperties`, see the whole object,
        // so its extra keys are kept as JSON rather than dropped.
        let counted = checks.min_properties.is_some() || checks.max_properties.is_some();
        let additional = match (self.pattern_map(checks.applied.as_deref()), additional) {
            (Some(values), _) => Additional::Map(Box::new(values)),
            // `unevaluatedProperties: false` that sees only the fields.
            (None, _) if closed => Additional::Denied,
            (None, Additional::Ignored) if checks.applied.is_some() || counted => {
                Additional::Map(Box::new(Shape::plain(Ty::Any)))
            }
            (None, additional) => additional,
        };
        self.check_counts(
            schema,
            schema.limits.min_properties,
            schema.limits.max_properties,
            "minProperties",
        );
        Struct {
            fields,
            additional,
            checks: checks.into(),
        }
    }

    /// The `default` of the schema a bare `$ref` points at (a referenced enum's default).
    /// The schema a property's value refers to, directly or as `allOf: [$ref]` beside
    /// annotations: its `readOnly` and `writeOnly` hold for the property.
    pub(super) fn referenced_schema(&self, prop: &Schema) -> Option<&'a Schema> {
        let reference = match &prop.reference {
            Some(r) => r,
            None => annotated_reference(prop)?.reference.as_ref()?,
        };
        self.target_schema(reference.target.as_ref()?)
    }

    pub(super) fn referenced_default(&self, prop: &Schema) -> Option<Value> {
        let target = prop.reference.as_ref()?.target.as_ref()?;
        if has_structure(prop) {
            return None;
        }
        self.target_schema(target)?.default.as_deref().cloned()
    }
}
