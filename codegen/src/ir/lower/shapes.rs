//! The shape of each use of a schema: inline types, Rust types by `type` and `format`, and
//! the items of an untyped value.

use super::classify::Becomes;
use super::unions::{is_null_schema, push_group, union_base, union_branches};
use super::{
    annotated_reference, docs, given, has_structure, is_struct, names, nulls::allows_only_null,
    Lowerer, MAX_USE_DEPTH,
};
use crate::ir::{Checks, FloatKind, IntKind, Shape, Ty, TypeDef, TypeId, Typed};
use crate::load::schema::{self as s, Items, JsonType, Schema};
use serde_json::Value;

impl<'a> Lowerer<'a> {
    /// A new named type for an inline schema, in the current module.
    pub(super) fn inline(&mut self, schema: &Schema, name: &str) -> TypeId {
        let open = self
            .inlining
            .iter()
            .rev()
            .find(|(s, _)| s.file == schema.file && s.pointer == schema.pointer && s == schema);
        if let Some((_, id)) = open {
            return *id;
        }
        let id = TypeId(self.slots.len());
        self.slots.push(None);
        let claimed = self.type_names.claim(names::type_name(name, "Inline"));
        if let Some(module) = self.modules.get_mut(self.current_module) {
            module.types.push(id);
        }
        let origin = self.origin(schema);
        let docs = docs(schema);
        self.check_discriminator(schema);
        // Only a struct is reused: a way back to it passes through one of its fields, so
        // each step reads deeper JSON. A union reaching itself through a branch would
        // read the same value again without end; it meets the depth limit instead.
        let reusable = is_struct(schema);
        if reusable {
            self.inlining.push((schema.clone(), id));
        }
        let kind = self.kind(schema, &claimed);
        if reusable {
            self.inlining.pop();
        }
        self.fill(
            id,
            TypeDef {
                name: claimed,
                schema_name: name.to_owned(),
                origin,
                docs,
                kind,
                nullable_alias: None,
                extras: given::schema_extras(schema),
            },
        );
        id
    }

    /// The shape of a use of `schema` (a property, an item, a branch).
    pub(super) fn shape(&mut self, schema: &Schema, name: &str) -> Shape {
        // Bounds the recursion: deep nesting, or a schema that reaches itself
        // again through `oneOf`/`anyOf` with shared keywords, is reported
        // instead of overflowing the stack.
        if self.too_deep {
            return Shape::plain(Ty::Any);
        }
        if self.depth >= MAX_USE_DEPTH {
            self.too_deep = true;
            let d = self
                .error(
                    schema,
                    &schema.pointer,
                    format!("schemas are nested (or refer back to themselves through `oneOf`/`anyOf`) more than {MAX_USE_DEPTH} levels deep"),
                )
                .with_hint("move inner schemas to `components/schemas` and refer to them with `$ref` from a property");
            self.diagnostics.push(d);
            return Shape::plain(Ty::Any);
        }
        if !self.step(schema) {
            return Shape::plain(Ty::Any);
        }
        self.depth += 1;
        let shape = self.shape_inner(schema, name, false);
        self.depth -= 1;
        shape
    }

    pub(super) fn shape_inner(
        &mut self,
        schema: &Schema,
        name: &str,
        is_definition: bool,
    ) -> Shape {
        if schema.never {
            let mut shape = Shape::plain(Ty::Any);
            shape.checks.types = Some(Vec::new());
            return shape;
        }
        if let Some(shape) = self.replaced_use(schema, is_definition) {
            return shape;
        }
        if let Some(reference) = &schema.reference {
            if !has_structure(schema) && schema.all_of.is_empty() {
                let Some(id) = reference
                    .target
                    .as_ref()
                    .and_then(|t| self.by_target.get(t))
                else {
                    // Unresolved: already reported by the loader.
                    return Shape::plain(Ty::Any);
                };
                return Shape {
                    ty: Ty::Named {
                        id: *id,
                        boxed: false,
                    },
                    nullable: schema.nullable || self.references_nullable(schema, 0),
                    checks: Default::default(),
                };
            }
        }
        if !schema.all_of.is_empty() || schema.reference.is_some() {
            // `allOf: [$ref, {description: ...}]`: annotations added to a reference. It is
            // the reference (the annotations document the use), never a copy of the
            // referenced schema, which through a cycle would be copied without end.
            if schema.all_of.len() > 1 {
                if let Some(single) = annotated_reference(schema) {
                    let mut shape = self.shape_inner(single, name, false);
                    shape.nullable |= schema.nullable || schema.all_of.iter().any(|p| p.nullable);
                    return shape;
                }
            }
            // `allOf: [$ref]` with annotations only is the usual way to add docs to a reference.
            if let [single] = schema.all_of.as_slice() {
                if single.reference.is_some() && !has_structure(single) && !has_structure(schema) {
                    let mut shape = self.shape_inner(single, name, false);
                    shape.nullable |= schema.nullable;
                    return shape;
                }
                // `type: "null"` beside `allOf: [$ref]` allows no value as written;
                // the meaning is plainly "the referenced type, or null".
                if single.reference.is_some() && !has_structure(single) && allows_only_null(schema)
                {
                    let at = format!("{}/type", schema.pointer);
                    self.warn(
                        schema,
                        &at,
                        "`type: \"null\"` beside `allOf: [$ref]` allows no value but `null`; read as the referenced type or null",
                    );
                    let mut shape = self.shape_inner(single, name, false);
                    shape.nullable = true;
                    return shape;
                }
            }
            let merged = self.normalize(schema);
            if merged.all_of.is_empty() && merged.reference.is_none() {
                return self.shape_inner(&merged, name, is_definition);
            }
            return Shape::plain(Ty::Any);
        }
        let nullable = schema.nullable;
        match self.becomes(schema) {
            Becomes::BesideAnyOf { rest, any_of } => {
                let first = self.slots.len();
                let mut shape = self.shape_inner(&rest, name, is_definition);
                let group = self.any_of_group(&any_of, name);
                if self.group_rejects_null(&group, &any_of) {
                    // `nullable: true` written on the schema keeps `null`, as everywhere.
                    shape.nullable &= schema.nullable;
                    if let Ty::Named { id, .. } = shape.ty {
                        self.rule_null_out_of_new_union(id, first);
                    }
                }
                push_group(&mut shape.checks, group);
                return shape;
            }
            Becomes::Narrowed(narrowed) => {
                self.depth += 1;
                let shape = self.shape_inner(&narrowed, name, is_definition);
                self.depth -= 1;
                return shape;
            }
            Becomes::Enum(values) if !is_definition => {
                let id = self.inline(schema, name);
                let nullable = nullable || values.iter().any(Value::is_null);
                return Shape {
                    ty: Ty::Named { id, boxed: false },
                    nullable,
                    checks: Default::default(),
                };
            }
            Becomes::OnlyNull => {
                // Every branch is `type: "null"`: `null` is the one value.
                let mut null = schema.clone();
                null.one_of.clear();
                null.any_of.clear();
                null.types = Some(Vec::new());
                null.nullable = true;
                return self.shape_inner(&null, name, is_definition);
            }
            Becomes::OneBranch { only, null_branch } => {
                // The keywords beside the union constrain its one branch too.
                let mut shape = match union_base(schema) {
                    Some(mut both) => {
                        both.all_of = vec![only];
                        let merged = self.normalize(&both);
                        self.shape(&merged, name)
                    }
                    None => self.shape(&only, name),
                };
                shape.nullable |= nullable || null_branch;
                return shape;
            }
            Becomes::Union | Becomes::BranchesBesideMap if !is_definition => {
                let id = self.inline(schema, name);
                let null_branch = union_branches(schema).iter().any(is_null_schema);
                return Shape {
                    ty: Ty::Named { id, boxed: false },
                    nullable: nullable || null_branch,
                    checks: Default::default(),
                };
            }
            Becomes::Struct if !is_definition => {
                let id = self.inline(schema, name);
                return Shape {
                    ty: Ty::Named { id, boxed: false },
                    nullable,
                    checks: Default::default(),
                };
            }
            // A named type's own shape, or a value.
            Becomes::Enum(_)
            | Becomes::Union
            | Becomes::BranchesBesideMap
            | Becomes::Struct
            | Becomes::Value => {}
        }
        self.warn_object_keywords(schema);
        let mut checks = self.checks(schema, name);
        let ty = match schema.types.as_deref() {
            Some([JsonType::Array]) if self.format_type(schema).is_none() => {
                self.array(schema, name, &mut checks)
            }
            Some([t]) => match self.format_type(schema) {
                Some(external) => {
                    return Shape {
                        ty: external,
                        nullable,
                        checks: self.unchecked_by_format_type(schema, checks).into(),
                    }
                }
                None => self.typed(schema, *t, name),
            },
            Some([]) if nullable => {
                // `type: null` alone.
                checks.types = Some(vec![JsonType::Null]);
                return Shape {
                    ty: Ty::Any,
                    nullable: false,
                    checks: checks.into(),
                };
            }
            Some(many) if !many.is_empty() => {
                let mut types = many.to_vec();
                if nullable {
                    types.push(JsonType::Null);
                }
                checks.types = Some(types);
                self.untyped_items(schema, name, &mut checks);
                return Shape {
                    ty: Ty::Any,
                    nullable: false,
                    checks: checks.into(),
                };
            }
            _ => {
                if schema.additional.is_some() && schema.items.is_none() {
                    self.typed(schema, JsonType::Object, name)
                } else {
                    // No `type`: `items` applies to arrays only, so the value stays untyped.
                    self.untyped_items(schema, name, &mut checks);
                    return Shape {
                        ty: Ty::Any,
                        nullable,
                        checks: checks.into(),
                    };
                }
            }
        };
        Shape {
            ty,
            nullable,
            checks: checks.into(),
        }
    }

    pub(super) fn typed(&mut self, schema: &Schema, t: JsonType, name: &str) -> Ty {
        let format = schema.format.as_deref();
        match t {
            JsonType::String => match format {
                Some("date-time") if self.settings.typed("date-time") => Ty::Typed(Typed::DateTime),
                Some("date") if self.settings.typed("date") => Ty::Typed(Typed::Date),
                Some("uuid") if self.settings.typed("uuid") => Ty::Typed(Typed::Uuid),
                _ => Ty::String,
            },
            JsonType::Integer => Ty::Int(IntKind::from_format(format)),
            JsonType::Number => match format {
                Some("float") => Ty::Float(FloatKind::F32),
                _ => Ty::Float(FloatKind::F64),
            },
            JsonType::Boolean => Ty::Bool,
            JsonType::Array => match &schema.items {
                Some(Items::Single(items)) => {
                    Ty::Array(Box::new(self.shape(items, &format!("{name}Item"))))
                }
                // Tuples are lowered with their checks, in `tuples.rs`.
                Some(Items::Tuple(_)) | None => Ty::Array(Box::new(Shape::plain(Ty::Any))),
            },
            JsonType::Object => match &schema.additional {
                // Beside `patternProperties`, `additionalProperties` covers only the keys
                // no pattern claims; `applied` checks them.
                Some(s::Additional::Schema(values))
                    if schema.applicators.pattern_properties.is_empty() =>
                {
                    Ty::Map(Box::new(self.shape(values, &format!("{name}Value"))))
                }
                _ => Ty::Map(Box::new(Shape::plain(Ty::Any))),
            },
            JsonType::Null => Ty::Any,
        }
    }

    /// The item shapes of an untyped value's `items`, checked when the value is an array.
    pub(super) fn untyped_items(&mut self, schema: &Schema, name: &str, checks: &mut Checks) {
        match &schema.items {
            Some(Items::Single(items)) => {
                checks.items = Some(Box::new(self.shape(items, &format!("{name}Item"))));
            }
            Some(Items::Tuple(tuple)) => self.tuple_checks(tuple, name, checks),
            None => {}
        }
    }
}
