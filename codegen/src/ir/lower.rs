//! Lowering: schema trees to Rust-shaped types.

use super::instance::KNOWN_FORMATS;
use super::names::{self, Scope};
use super::{
    Additional, Bound, Checks, Docs, Enum, EnumRepr, EnumVariant, Extras, Field, FloatKind,
    IntKind, Model, Module, Number, Origin, Shape, Struct, Ty, TypeDef, TypeId, TypeKind, Typed,
    Union, UnionMode, UnionVariant,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::schema::{self as s, Items, JsonType, Schema, Target};
use crate::load::Spec;
use crate::settings::Settings;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

pub(super) mod cycles;
mod given;
mod hierarchy;
mod keywords;
mod merge;
mod replace;
mod tuples;
mod unevaluated;

/// Deepest nesting of uses lowered (half the schema reader's limit: each
/// level of properties is two levels of schema).
const MAX_USE_DEPTH: usize = s::MAX_DEPTH / 2;

/// Formats that pick a numeric Rust type.
const NUMERIC_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
];

/// Lowers every named schema (and every referenced fragment) to types.
pub fn lower(spec: &Spec, settings: &Settings, diagnostics: &mut Diagnostics) -> Model {
    let mut lowerer = Lowerer {
        spec,
        settings,
        diagnostics,
        slots: Vec::new(),
        by_target: HashMap::new(),
        type_names: Scope::with_reserved(&[]),
        modules: Vec::new(),
        module_names: Scope::with_reserved(&["validation", "models", "lib", "mod"]),
        current_module: 0,
        depth: 0,
        inlining: Vec::new(),
        unknown_formats: Vec::new(),
        named_index: HashMap::new(),
        replacements: replace::Replacements::default(),
        own: HashMap::new(),
    };
    lowerer.run();
    lowerer.report_unknown_formats();
    let Lowerer {
        slots,
        modules,
        replacements,
        ..
    } = lowerer;
    let (replaced, dependencies) = replacements.finish();
    let mut model = Model {
        types: slots.into_iter().flatten().collect(),
        modules,
        replaced,
        dependencies,
    };
    cycles::box_cycles(&mut model);
    cycles::report_alias_cycles(&model, diagnostics);
    given::apply_settings(&mut model, settings, diagnostics);
    super::derives::choose(&mut model, settings, diagnostics);
    super::directions::choose(&mut model, settings, diagnostics);
    model
}

struct Lowerer<'a> {
    spec: &'a Spec,
    settings: &'a Settings,
    diagnostics: &'a mut Diagnostics,
    /// Types by id; `None` until lowered.
    slots: Vec<Option<TypeDef>>,
    by_target: HashMap<Target, TypeId>,
    type_names: Scope,
    modules: Vec<Module>,
    module_names: Scope,
    current_module: usize,
    /// How many uses (`shape`) are being lowered inside each other.
    depth: usize,
    /// The inline structs being lowered, innermost last: a merged schema that reaches
    /// itself again (an `allOf` through a cycle) is that type, not a new copy.
    inlining: Vec<(Schema, TypeId)>,
    /// Each unknown format with its first use and its number of uses, in order of first use;
    /// reported once per format, since real descriptions repeat one format thousands of times.
    unknown_formats: Vec<(String, Diagnostic, usize)>,
    /// Each named schema's index in the spec.
    named_index: HashMap<Target, usize>,
    /// Schemas and formats replaced by the project's own types.
    replacements: replace::Replacements,
    /// The `[models.<schema>]` settings of each named schema that has some, with its name.
    own: HashMap<Target, (&'a str, &'a crate::settings::ModelSettings)>,
}

impl<'a> Lowerer<'a> {
    fn report_unknown_formats(&mut self) {
        for (_, mut d, uses) in std::mem::take(&mut self.unknown_formats) {
            if uses > 1 {
                d.message
                    .push_str(&format!(" ({uses} uses; this is the first)"));
            }
            self.diagnostics.push(d);
        }
    }

    fn run(&mut self) {
        let spec = self.spec;
        // Claim every top-level name first, so references can be resolved in any order
        // and inline types never take a named schema's name.
        let mut named: Vec<(TypeId, &Schema, String)> = Vec::new();
        let mut first_with_name: HashMap<String, String> = HashMap::new();
        self.replace_named_schemas();
        let given = self.given_type_names();
        let mut hierarchies = hierarchy::collect(spec);
        hierarchies.retain(|h| {
            spec.schemas.get(h.base).is_some_and(|n| {
                !self.replacements.replaces(&Target {
                    file: n.schema.file,
                    pointer: n.schema.pointer.clone(),
                })
            })
        });
        for (index, (n, given)) in spec.schemas.iter().zip(given).enumerate() {
            let target = Target {
                file: n.schema.file,
                pointer: n.schema.pointer.clone(),
            };
            let replaced = self.replacements.replaces(&target);
            self.named_index.insert(target, index);
            if replaced {
                continue;
            }
            let wanted = given
                .clone()
                .unwrap_or_else(|| names::type_name(&n.name, "Model"));
            let id = self.reserve(&n.name, given, &n.schema);
            let given = self.type_name(id);
            let here = format!("{}#{}", self.file_name(&n.schema), n.schema.pointer);
            match first_with_name.get(&wanted.to_lowercase()) {
                Some(first) if given != wanted => {
                    let d = Diagnostic::warning(
                        self.file_name(&n.schema),
                        &n.schema.pointer,
                        format!("`{}` would be the Rust type `{wanted}`, like `{first}`; it is renamed `{given}`", n.name),
                    )
                    .with_hint("rename one of the two schemas so that each keeps its own Rust name");
                    self.diagnostics.push(d);
                }
                _ => {
                    first_with_name.entry(wanted.to_lowercase()).or_insert(here);
                }
            }
            // A base-type discriminator: the base's name is the union of its subtypes.
            let schema = match hierarchies.iter().find(|h| h.base == index) {
                Some(h) => &h.union,
                None => &n.schema,
            };
            named.push((id, schema, n.name.clone()));
        }
        for (target, schema) in &spec.fragments {
            let mut raw: Vec<&str> = target.pointer.rsplit('/').take(3).collect();
            // `Tree/$defs/node` is `TreeNode`: the keyword names no part of the value.
            if let [_, "$defs" | "definitions", parent] = raw.as_slice() {
                if !parent.is_empty() {
                    raw.remove(1);
                }
            }
            let raw: String = raw.into_iter().rev().collect::<Vec<_>>().join(" ");
            let id = self.reserve(&raw, None, schema);
            named.push((id, schema, raw));
        }
        // The base's own struct, named after the union once every schema has its name.
        let mut own_structs: Vec<(TypeId, TypeId, String)> = Vec::new();
        for h in &hierarchies {
            let Some(n) = spec.schemas.get(h.base) else {
                continue;
            };
            let Some(&union) = self.by_target.get(&Target {
                file: n.schema.file,
                pointer: n.schema.pointer.clone(),
            }) else {
                continue;
            };
            let name = self
                .type_names
                .claim(format!("{}Base", self.type_name(union)));
            let id = self.reserve_at(&name, Some(name.clone()), h.own.clone());
            self.named_index.insert(h.own.clone(), h.base);
            named.push((id, &h.own_schema, n.name.clone()));
            own_structs.push((union, id, self.type_name(union)));
        }
        // A schema that accepts `null` itself keeps its name for `Option<..>` of its type,
        // which is named `{name}Value`; uses hold the `Option` and name the inner type.
        let mut aliases: HashMap<TypeId, String> = HashMap::new();
        for (id, schema, _) in &named {
            if self.accepts_null(schema, 0) {
                let alias = self.type_name(*id);
                let inner = self.type_names.claim(format!("{alias}Value"));
                if let Some(Some(def)) = self.slots.get_mut(id.0) {
                    def.name = inner;
                }
                aliases.insert(*id, alias);
            }
        }
        for (module, (id, schema, schema_name)) in named.into_iter().enumerate() {
            self.current_module = module;
            let alias = aliases.remove(&id);
            // Inline types are named after the schema's own name.
            let name = alias.clone().unwrap_or_else(|| self.type_name(id));
            let mut def = self.definition(schema, name, schema_name);
            if alias.is_some() {
                def.name = self.type_name(id);
            }
            def.nullable_alias = alias;
            self.fill(id, def);
        }
        for (union, own, name) in own_structs {
            if let Some(Some(TypeDef {
                kind: TypeKind::Union(u),
                ..
            })) = self.slots.get_mut(union.0)
            {
                hierarchy::name_variants(u, &name, own);
                u.base = Some(own);
            }
        }
    }

    /// Takes a type slot and a module for a named schema or fragment: named `given` (already
    /// claimed) or after `raw`.
    fn reserve(&mut self, raw: &str, given: Option<String>, schema: &Schema) -> TypeId {
        let target = Target {
            file: schema.file,
            pointer: schema.pointer.clone(),
        };
        self.reserve_at(raw, given, target)
    }

    /// [`Self::reserve`], for the type that references to `target` name.
    fn reserve_at(&mut self, raw: &str, given: Option<String>, target: Target) -> TypeId {
        let id = TypeId(self.slots.len());
        self.slots.push(None);
        let name = given.unwrap_or_else(|| self.type_names.claim(names::type_name(raw, "Model")));
        // A keyword (`type`) becomes `type_`: module files are named after modules.
        let module = names::field_name(&name);
        let module = match module.strip_prefix("r#") {
            Some(keyword) => format!("{keyword}_"),
            None => module,
        };
        let module_name = self.module_names.claim(module);
        self.modules.push(Module {
            name: module_name,
            types: vec![id],
        });
        self.by_target.insert(target, id);
        // Remember the name until the definition is lowered.
        self.pending_names_push(id, name);
        id
    }

    fn pending_names_push(&mut self, id: TypeId, name: String) {
        if let Some(slot) = self.slots.get_mut(id.0) {
            *slot = Some(TypeDef {
                name,
                schema_name: String::new(),
                origin: Origin::default(),
                docs: Docs::default(),
                kind: TypeKind::Newtype(Shape::plain(Ty::Any)),
                nullable_alias: None,
                extras: Extras::default(),
            });
        }
    }

    fn type_name(&self, id: TypeId) -> String {
        self.slots
            .get(id.0)
            .and_then(Option::as_ref)
            .map_or_else(String::new, |d| d.name.clone())
    }

    fn fill(&mut self, id: TypeId, def: TypeDef) {
        if let Some(slot) = self.slots.get_mut(id.0) {
            *slot = Some(def);
        }
    }

    fn file_name(&self, schema: &Schema) -> String {
        self.spec.file_name(schema.file).to_owned()
    }

    fn error(&mut self, schema: &Schema, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file_name(schema), pointer, message)
    }

    fn warn(&mut self, schema: &Schema, pointer: &str, message: impl Into<String>) {
        let d = Diagnostic::warning(self.file_name(schema), pointer, message);
        self.diagnostics.push(d);
    }

    fn origin(&self, schema: &Schema) -> Origin {
        Origin {
            file: self.spec.file_name(schema.file).to_owned(),
            pointer: schema.pointer.clone(),
        }
    }

    /// The schema behind a reference (named or fragment).
    fn target_schema(&self, target: &Target) -> Option<&'a Schema> {
        let spec = self.spec;
        if let Some(s) = spec.fragments.get(target) {
            return Some(s);
        }
        let index = self.named_index.get(target)?;
        spec.schemas.get(*index).map(|n| &n.schema)
    }

    /// Lowers a named schema's own definition.
    fn definition(&mut self, schema: &Schema, name: String, schema_name: String) -> TypeDef {
        self.check_discriminator(schema);
        let schema = self.normalize(schema);
        let docs = docs(&schema);
        let origin = self.origin(&schema);
        let kind = self.kind(&schema, &name);
        TypeDef {
            name,
            schema_name,
            origin,
            docs,
            kind,
            nullable_alias: None,
            extras: given::schema_extras(&schema),
        }
    }

    /// Whether the schema a bare `$ref` points at accepts `null` itself (`nullable`,
    /// `type: [T, "null"]`, `null` in its `enum`, a `null` branch, or a reference to such).
    fn references_nullable(&self, schema: &Schema, depth: usize) -> bool {
        let Some(target) = schema.reference.as_ref().and_then(|r| r.target.as_ref()) else {
            return false;
        };
        self.target_schema(target)
            .is_some_and(|t| self.accepts_null(t, depth))
    }

    /// Whether a schema accepts `null` itself (see [`Self::references_nullable`]).
    fn accepts_null(&self, t: &Schema, depth: usize) -> bool {
        t.nullable
            || t.enum_values
                .as_ref()
                .is_some_and(|v| v.iter().any(Value::is_null))
            || union_branches(t).iter().any(is_null_schema)
            || (t.all_of.is_empty()
                && !has_structure(t)
                && depth < s::MAX_DEPTH
                && self.references_nullable(t, depth + 1))
    }

    /// Reports a `discriminator` written where no union can use it: without `oneOf`/`anyOf`,
    /// on a schema that no named schema extends (a base with subtypes is lowered as their
    /// union before it gets here, see `hierarchy.rs`).
    fn check_discriminator(&mut self, schema: &Schema) {
        if schema.discriminator.is_some() && schema.one_of.is_empty() && schema.any_of.is_empty() {
            let at = format!("{}/discriminator", schema.pointer);
            let d = Diagnostic::warning(
                self.file_name(schema),
                at,
                "`discriminator` without `oneOf`/`anyOf` on a schema that no named schema extends through `allOf`: there are no subtypes to choose from, and the tag is an ordinary property",
            )
            .with_hint("name this schema in the `allOf` of each subtype, or list the subtypes in a `oneOf` beside the discriminator, to get a tagged union");
            self.diagnostics.push(d);
        }
    }

    /// Merges `allOf` (and `$ref` with structural siblings) into one schema.
    fn normalize(&mut self, schema: &Schema) -> Schema {
        if schema.all_of.is_empty() && !(schema.reference.is_some() && has_structure(schema)) {
            return schema.clone();
        }
        let mut visiting = HashSet::new();
        merge::flatten(self, schema, &mut visiting, 0)
    }

    /// Drops the `oneOf`/`anyOf` branches that the `type` beside them rules out
    /// (`allOf: [{oneOf: [integer, string]}, {type: string}]` is the string
    /// branch). `None` when no branch is dropped, or when every one would be
    /// (then the merge of each branch reports the disagreement). One branch
    /// left is merged with the keywords beside it.
    fn narrow_union(&mut self, schema: &Schema) -> Option<Schema> {
        // A branch that refers back to its union can narrow forever; stop as deep uses do.
        if self.depth >= MAX_USE_DEPTH {
            return None;
        }
        let types = schema.types.as_deref().filter(|t| !t.is_empty())?;
        let branches = union_branches(schema);
        let fits = |branch: &Schema| {
            is_null_schema(branch)
                || match self.branch_types(branch) {
                    Some(own) if !own.is_empty() => own.iter().any(|t| {
                        types.contains(t)
                            || (*t == JsonType::Integer && types.contains(&JsonType::Number))
                            || (*t == JsonType::Number && types.contains(&JsonType::Integer))
                    }),
                    _ => true,
                }
        };
        let kept: Vec<Schema> = branches.iter().filter(|b| fits(b)).cloned().collect();
        if kept.len() == branches.len() || kept.iter().all(is_null_schema) {
            return None;
        }
        let mut narrowed = schema.clone();
        let real: Vec<&Schema> = kept.iter().filter(|b| !is_null_schema(b)).collect();
        if let [only] = real.as_slice() {
            narrowed.nullable |= kept.len() > real.len();
            narrowed.one_of.clear();
            narrowed.any_of.clear();
            narrowed.discriminator = None;
            narrowed.all_of = vec![(*only).clone()];
            return Some(self.normalize(&narrowed));
        }
        if schema.one_of.is_empty() {
            narrowed.any_of = kept;
        } else {
            narrowed.one_of = kept;
        }
        Some(narrowed)
    }

    /// The `type` of a union branch, following a bare reference.
    fn branch_types(&self, branch: &Schema) -> Option<Vec<JsonType>> {
        if let Some(types) = &branch.types {
            return Some(types.clone());
        }
        let target = branch.reference.as_ref()?.target.as_ref()?;
        self.target_schema(target)?.types.clone()
    }

    /// Decides what a (normalised) schema becomes as a named type.
    fn kind(&mut self, schema: &Schema, name: &str) -> TypeKind {
        if let Some((rest, any_of)) = split_any_of(schema) {
            self.warn_unseen_tag(schema, &any_of);
            let mut kind = self.kind(&rest, name);
            let group = self.any_of_group(&any_of, name);
            match &mut kind {
                TypeKind::Union(u) => {
                    for v in &mut u.variants {
                        push_group(&mut v.shape.checks, group.clone());
                    }
                }
                TypeKind::Struct(s) => push_group(&mut s.checks, group),
                TypeKind::Newtype(shape) => push_group(&mut shape.checks, group),
                TypeKind::Enum(_) => {
                    let at = format!("{}/anyOf", schema.pointer);
                    self.warn(
                        schema,
                        &at,
                        "`anyOf` beside a `oneOf` whose branches are all enum values is not checked",
                    );
                }
            }
            return kind;
        }
        if let Some(narrowed) = self.narrow_union(schema) {
            self.depth += 1;
            let kind = self.kind(&narrowed, name);
            self.depth -= 1;
            return kind;
        }
        if let Some(values) = enum_values(schema).as_deref() {
            if is_scalar_enum(values) && schema.properties.is_empty() {
                self.warn_unapplied(schema, "an enum");
                return TypeKind::Enum(self.enumeration(schema, values));
            }
        }
        if self.is_union(schema) {
            if let Some(union) = self.union(schema, name) {
                self.warn_unapplied(schema, "a union");
                return TypeKind::Union(union);
            }
        }
        if is_struct(schema) {
            return TypeKind::Struct(self.structure(schema, name));
        }
        let mut shape = self.shape_inner(schema, name, true);
        // The definition's own nullability lives on its uses (see `references_nullable`),
        // so that `Option` layers are counted in one place.
        shape.nullable = false;
        TypeKind::Newtype(shape)
    }

    fn is_union(&mut self, schema: &Schema) -> bool {
        let branches = union_branches(schema);
        if branches.is_empty() {
            return false;
        }
        // Beside `properties`, or beside a map's value schema, the branches are checks over the
        // struct or map (see `applied`).
        schema.properties.is_empty() && !branches_beside_map(schema)
    }

    /// Whether required properties are checked by `validate()` rather than when parsing.
    fn presence_validated(&self) -> bool {
        self.settings.required == crate::settings::RequiredChoice::Validate
    }

    /// `x-rust-serde` on a property whose value is not a type made from that property (a
    /// `String`, a reference to a named schema) has nothing to apply to: said, not dropped.
    fn warn_unused_direction(&mut self, prop: &Schema, shape: &Shape) {
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

    fn structure(&mut self, schema: &Schema, name: &str) -> Struct {
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
                    .clone()
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
            min_properties: schema.min_properties,
            max_properties: schema.max_properties,
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
            schema.min_properties,
            schema.max_properties,
            "minProperties",
        );
        Struct {
            fields,
            additional,
            checks,
        }
    }

    /// The `default` of the schema a bare `$ref` points at (a referenced enum's default).
    /// The schema a property's value refers to, directly or as `allOf: [$ref]` beside
    /// annotations: its `readOnly` and `writeOnly` hold for the property.
    fn referenced_schema(&self, prop: &Schema) -> Option<&'a Schema> {
        let reference = match &prop.reference {
            Some(r) => r,
            None => annotated_reference(prop)?.reference.as_ref()?,
        };
        self.target_schema(reference.target.as_ref()?)
    }

    fn referenced_default(&self, prop: &Schema) -> Option<Value> {
        let target = prop.reference.as_ref()?.target.as_ref()?;
        if has_structure(prop) {
            return None;
        }
        self.target_schema(target)?.default.clone()
    }

    /// Warns of each `enum` (or `const`) value that [`enum_value_kept`] leaves out.
    fn warn_dropped_enum_values(&mut self, schema: &Schema) {
        let (listed, keyword) = match (&schema.enum_values, &schema.const_value) {
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
            let mut reasons = super::instance::enum_value_violations(v, schema);
            if let (Some(c), "enum") = (&schema.const_value, keyword) {
                if !super::instance::json_equal(c, v) {
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

    fn enumeration(&mut self, schema: &Schema, values: &[Value]) -> Enum {
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
        let variants = unique
            .into_iter()
            .zip(names)
            .map(|((v, _), name)| EnumVariant {
                name,
                value: v.clone(),
            })
            .collect();
        Enum {
            repr,
            variants,
            // A `const` is one value, never open.
            open,
        }
    }

    /// Beside a discriminated `oneOf`, the `anyOf` checks each branch's JSON form, which holds
    /// the tag only where the branch has a property for it (else the tag is taken off when
    /// parsing): an `anyOf` branch that names the tag would not see it there.
    fn warn_unseen_tag(&mut self, schema: &Schema, any_of: &[Schema]) {
        let Some(tag) = schema
            .discriminator
            .as_ref()
            .map(|d| d.property_name.as_str())
        else {
            return;
        };
        let names_tag = |s: &Schema| {
            s.properties.iter().any(|(k, _)| k == tag) || s.required.iter().any(|(r, _)| r == tag)
        };
        if !any_of.iter().any(|b| names_tag(&self.normalize(b))) {
            return;
        }
        let untagged = schema.one_of.iter().any(|b| {
            let resolved = match b.reference.as_ref().and_then(|r| r.target.as_ref()) {
                Some(target) => self.target_schema(target).cloned(),
                None => Some(b.clone()),
            };
            resolved.is_some_and(|r| !self.normalize(&r).properties.iter().any(|(k, _)| k == tag))
        });
        if untagged {
            let at = format!("{}/anyOf", schema.pointer);
            self.warn(
                schema,
                &at,
                format!("`anyOf` branches that name the tag `{tag}` are checked without it on the `oneOf` branches that declare no `{tag}` property"),
            );
        }
    }

    /// The shapes of an `anyOf` split off from beside a `oneOf`.
    fn any_of_group(&mut self, any_of: &[Schema], name: &str) -> Vec<Shape> {
        any_of
            .iter()
            .enumerate()
            .map(|(i, b)| self.shape(b, &format!("{name}AnyBranch{}", i + 1)))
            .collect()
    }

    fn union(&mut self, schema: &Schema, name: &str) -> Option<Union> {
        let (mode, list) = if schema.one_of.is_empty() {
            (UnionMode::AnyOf, &schema.any_of)
        } else {
            (UnionMode::OneOf, &schema.one_of)
        };
        let branches: Vec<&Schema> = list.iter().filter(|b| !is_null_schema(b)).collect();
        if branches.len() < 2 {
            return None;
        }
        let mut scope = Scope::default();
        let mut variants = Vec::with_capacity(branches.len());
        let shared = union_base(schema);
        for (i, branch) in branches.iter().enumerate() {
            // An inline branch of a tagged union is named after its tag value.
            let tag = match &schema.discriminator {
                Some(d) if branch.reference.is_none() => {
                    listed_tag_values(branch, &d.property_name)
                        .first()
                        .map(|t| names::type_name(t, ""))
                        .filter(|n| !n.is_empty())
                }
                _ => None,
            };
            let base = tag.unwrap_or_else(|| self.variant_base(branch, i));
            let vname = scope.claim(base);
            let shape = match &shared {
                // `base and (A or B)` is `(base and A) or (base and B)`, for `oneOf` and `anyOf`.
                Some(shared) => {
                    let mut both = shared.clone();
                    both.all_of = vec![(*branch).clone()];
                    let merged = self.normalize(&both);
                    self.shape(&merged, &format!("{name}{vname}"))
                }
                None => self.shape(branch, &format!("{name}{vname}")),
            };
            variants.push(UnionVariant {
                name: vname,
                shape,
                tags: Vec::new(),
            });
        }
        let discriminator = schema
            .discriminator
            .as_ref()
            .and_then(|d| self.tags(schema, d, &branches, &mut variants));
        Some(Union {
            mode,
            variants,
            discriminator,
            base: None,
        })
    }

    /// Fills each variant's tag values; `None` (untagged) when that is impossible.
    fn tags(
        &mut self,
        schema: &Schema,
        disc: &s::Discriminator,
        branches: &[&Schema],
        variants: &mut [UnionVariant],
    ) -> Option<String> {
        for (branch, variant) in branches.iter().zip(variants.iter_mut()) {
            let reference = branch.reference.as_ref().and_then(|r| r.target.clone());
            // An inline branch is named by a mapping to its own place, else by the values
            // it lists for the tag property.
            let target = reference.clone().unwrap_or_else(|| Target {
                file: branch.file,
                pointer: branch.pointer.clone(),
            });
            let mut tags: Vec<String> = disc
                .mapping
                .iter()
                .filter(|(_, r)| r.target.as_ref() == Some(&target))
                .map(|(v, _)| v.clone())
                .collect();
            if tags.is_empty() && reference.is_none() {
                tags = listed_tag_values(branch, &disc.property_name);
            }
            if tags.is_empty() {
                if reference.is_none() {
                    let at = format!("{}/discriminator", schema.pointer);
                    self.warn(
                        schema,
                        &at,
                        "a discriminator needs every branch to be a `$ref`, or to list its tag values (a `const` or `enum` of the tag property, or a `mapping` to the branch); the union is untagged",
                    );
                    return None;
                }
                let schema_name = target.pointer.rsplit('/').next().unwrap_or("");
                tags.push(crate::load::source::unescape_segment(schema_name));
            }
            variant.tags = tags;
        }
        Some(disc.property_name.clone())
    }

    fn variant_base(&self, branch: &Schema, index: usize) -> String {
        self.describe(branch, 0)
            .unwrap_or_else(|| format!("Variant{}", index + 1))
    }

    /// A name for what a schema holds, when one can be told from it.
    fn describe(&self, branch: &Schema, depth: usize) -> Option<String> {
        if depth > s::MAX_DEPTH {
            return None;
        }
        let target = branch.reference.as_ref().and_then(|r| r.target.as_ref());
        if let Some(id) = target.and_then(|t| self.by_target.get(t)) {
            return Some(self.type_name(*id));
        }
        if let Some(external) = target.and_then(|t| self.replacements.get(t)) {
            let last = external.path.rsplit("::").next().unwrap_or(&external.path);
            return Some(names::type_name(last, "Replaced"));
        }
        if let Some(title) = &branch.title {
            let n = names::type_name(title, "");
            if !n.is_empty() {
                return Some(n);
            }
        }
        // An object without a title: named after the property that tells it apart
        // (its first required one, else its first).
        let key = branch
            .required
            .first()
            .map(|(r, _)| r.as_str())
            .or_else(|| branch.properties.first().map(|(p, _)| p.as_str()));
        if let Some(key) = key.filter(|k| k.starts_with(|c: char| c.is_ascii_alphabetic())) {
            let n = names::type_name(key, "");
            if !n.is_empty() {
                return Some(n);
            }
        }
        let name = match branch.types.as_deref() {
            Some([JsonType::String]) => match branch.format.as_deref() {
                Some("date-time") => "DateTime",
                Some("date") => "Date",
                Some("uuid") => "Uuid",
                _ => "String",
            },
            Some([JsonType::Integer]) => "Integer",
            Some([JsonType::Number]) => "Number",
            Some([JsonType::Boolean]) => "Boolean",
            Some([JsonType::Array]) => {
                return Some(match &branch.items {
                    Some(Items::Single(items)) => match self.describe(items, depth + 1) {
                        Some(item) => format!("{item}List"),
                        None => "List".into(),
                    },
                    _ => "List".into(),
                })
            }
            Some([JsonType::Object]) => {
                return Some(match &branch.additional {
                    Some(s::Additional::Schema(values)) => match self.describe(values, depth + 1) {
                        Some(value) => format!("{value}Map"),
                        None => "Map".into(),
                    },
                    _ => "Object".into(),
                })
            }
            _ => return None,
        };
        Some(name.to_owned())
    }

    /// A new named type for an inline schema, in the current module.
    fn inline(&mut self, schema: &Schema, name: &str) -> TypeId {
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
    fn shape(&mut self, schema: &Schema, name: &str) -> Shape {
        // Bounds the recursion: deep nesting, or a schema that reaches itself
        // again through `oneOf`/`anyOf` with shared keywords, is reported
        // instead of overflowing the stack.
        if self.depth >= MAX_USE_DEPTH {
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
        self.depth += 1;
        let shape = self.shape_inner(schema, name, false);
        self.depth -= 1;
        shape
    }

    fn shape_inner(&mut self, schema: &Schema, name: &str, is_definition: bool) -> Shape {
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
                    checks: Checks::default(),
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
        if let Some((rest, any_of)) = split_any_of(schema) {
            let mut shape = self.shape_inner(&rest, name, is_definition);
            let group = self.any_of_group(&any_of, name);
            push_group(&mut shape.checks, group);
            return shape;
        }
        let nullable = schema.nullable;
        if let Some(values) = enum_values(schema).as_deref() {
            if is_scalar_enum(values) && !is_definition {
                let id = self.inline(schema, name);
                let nullable = nullable || values.iter().any(Value::is_null);
                return Shape {
                    ty: Ty::Named { id, boxed: false },
                    nullable,
                    checks: Checks::default(),
                };
            }
        }
        if let Some(narrowed) = self.narrow_union(schema) {
            self.depth += 1;
            let shape = self.shape_inner(&narrowed, name, is_definition);
            self.depth -= 1;
            return shape;
        }
        let branches = union_branches(schema);
        if !branches.is_empty() && schema.properties.is_empty() {
            let real: Vec<&Schema> = branches.iter().filter(|b| !is_null_schema(b)).collect();
            let nullable = nullable || real.len() < branches.len();
            if real.is_empty() && schema.types.is_none() {
                // Every branch is `type: "null"`: `null` is the one value.
                let mut null = schema.clone();
                null.one_of.clear();
                null.any_of.clear();
                null.types = Some(Vec::new());
                null.nullable = true;
                return self.shape_inner(&null, name, is_definition);
            }
            if let [only] = real.as_slice() {
                // The keywords beside the union constrain its one branch too.
                let mut shape = match union_base(schema) {
                    Some(mut both) => {
                        both.all_of = vec![(*only).clone()];
                        let merged = self.normalize(&both);
                        self.shape(&merged, name)
                    }
                    None => self.shape(only, name),
                };
                shape.nullable |= nullable;
                return shape;
            }
            if !is_definition {
                let id = self.inline(schema, name);
                return Shape {
                    ty: Ty::Named { id, boxed: false },
                    nullable,
                    checks: Checks::default(),
                };
            }
        }
        if is_struct(schema) && !is_definition {
            let id = self.inline(schema, name);
            return Shape {
                ty: Ty::Named { id, boxed: false },
                nullable,
                checks: Checks::default(),
            };
        }
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
                        checks: self.unchecked_by_format_type(schema, checks),
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
                    checks,
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
                    checks,
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
                        checks,
                    };
                }
            }
        };
        Shape {
            ty,
            nullable,
            checks,
        }
    }

    fn typed(&mut self, schema: &Schema, t: JsonType, name: &str) -> Ty {
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
    fn untyped_items(&mut self, schema: &Schema, name: &str, checks: &mut Checks) {
        match &schema.items {
            Some(Items::Single(items)) => {
                checks.items = Some(Box::new(self.shape(items, &format!("{name}Item"))));
            }
            Some(Items::Tuple(tuple)) => self.tuple_checks(tuple, name, checks),
            None => {}
        }
    }

    fn checks(&mut self, schema: &Schema, name: &str) -> Checks {
        let mut c = Checks {
            applied: self.applied(schema, name),
            min_length: schema.min_length,
            max_length: schema.max_length,
            min_items: schema.min_items,
            max_items: schema.max_items,
            unique_items: schema.unique_items,
            min_properties: schema.min_properties,
            max_properties: schema.max_properties,
            constant: schema.const_value.clone(),
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
        if let Some(p) = &schema.pattern {
            match regress::Regex::new(p) {
                Ok(_) => {
                    c.pattern = Some(p.clone());
                    if let Some(group) = super::backtracking::nested_repetition(p) {
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
            schema.minimum.as_ref().map(|n| bound(n, false)),
            schema.exclusive_minimum.as_ref().map(|n| bound(n, true)),
            true,
        );
        c.maximum = Bound::tightest(
            schema.maximum.as_ref().map(|n| bound(n, false)),
            schema.exclusive_maximum.as_ref().map(|n| bound(n, true)),
            false,
        );
        c.multiple_of = schema.multiple_of.as_ref().map(Number::from_json);
        self.check_counts(schema, schema.min_length, schema.max_length, "minLength");
        self.check_counts(schema, schema.min_items, schema.max_items, "minItems");
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

    fn check_counts(&mut self, schema: &Schema, min: Option<u64>, max: Option<u64>, keyword: &str) {
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

fn docs(schema: &Schema) -> Docs {
    let mut docs = Docs {
        title: schema.title.clone(),
        description: schema.description.clone(),
        examples: schema.examples.clone(),
        item_examples: match &schema.items {
            Some(Items::Single(items)) => items.examples.clone(),
            _ => Vec::new(),
        },
        deprecated: schema.deprecated,
        read_only: schema.read_only,
        write_only: schema.write_only,
    };
    // The annotations of `allOf: [$ref, {description: ...}]` document the use, merged
    // as `allOf` merges them: the first title, the last description (the schema's own
    // wins), every example.
    if schema.all_of.len() > 1 && annotated_reference(schema).is_some() {
        let parts = schema.all_of.iter().filter(|p| p.reference.is_none());
        let mut description = None;
        let mut examples = Vec::new();
        let mut title = None;
        for part in parts {
            title = title.or_else(|| part.title.clone());
            if part.description.is_some() {
                description = part.description.clone();
            }
            examples.extend(part.examples.iter().cloned());
            docs.deprecated |= part.deprecated;
            docs.read_only |= part.read_only;
            docs.write_only |= part.write_only;
        }
        docs.title = title.or(docs.title);
        docs.description = docs.description.or(description);
        examples.append(&mut docs.examples);
        docs.examples = examples;
    }
    docs
}

/// The one reference of an `allOf` whose other parts, and the schema beside it, only
/// annotate (description, title, examples, deprecated, readOnly, nullable ...).
fn annotated_reference(schema: &Schema) -> Option<&Schema> {
    if has_structure(schema) || schema.reference.is_some() {
        return None;
    }
    let mut references = schema.all_of.iter().filter(|p| p.reference.is_some());
    let single = references.next()?;
    let only_annotations = |p: &Schema| {
        p.reference.is_none()
            && p.all_of.is_empty()
            && !has_structure(p)
            && p.types.is_none()
            && p.default.is_none()
    };
    let others_annotate = schema
        .all_of
        .iter()
        .filter(|p| p.reference.is_none())
        .all(only_annotations);
    (references.next().is_none()
        && !has_structure(single)
        && single.all_of.is_empty()
        && schema.types.is_none()
        && others_annotate)
        .then_some(single)
}

/// The string values an inline branch lists for the tag property: its `const`, else its
/// `enum`.
fn listed_tag_values(branch: &Schema, property: &str) -> Vec<String> {
    let Some((_, p)) = branch.properties.iter().find(|(name, _)| name == property) else {
        return Vec::new();
    };
    let listed = match (&p.const_value, &p.enum_values) {
        (Some(c), _) => std::slice::from_ref(c),
        (None, Some(values)) => values.as_slice(),
        (None, None) => &[],
    };
    listed
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn union_branches(schema: &Schema) -> &[Schema] {
    if schema.one_of.is_empty() {
        &schema.any_of
    } else {
        &schema.one_of
    }
}

/// Whether `oneOf`/`anyOf` sit beside `additionalProperties: <schema>` on an object: the value is
/// a map of that schema, and the branches check it.
pub(super) fn branches_beside_map(schema: &Schema) -> bool {
    matches!(schema.additional, Some(s::Additional::Schema(_)))
        && schema.types.as_deref() == Some(&[JsonType::Object])
}

/// The keywords beside an untagged `oneOf`/`anyOf` that constrain every branch, if any.
fn union_base(schema: &Schema) -> Option<Schema> {
    if schema.discriminator.is_some() {
        return None;
    }
    let mut base = schema.clone();
    base.one_of.clear();
    base.any_of.clear();
    base.nullable = false;
    base.title = None;
    base.description = None;
    base.default = None;
    base.examples.clear();
    has_structure(&base).then_some(base)
}

/// `anyOf` beside `oneOf` (no properties; with or without a discriminator): the schema without
/// the `anyOf`, which decides the type, and the `anyOf` branches, checked over the whole value
/// on each `oneOf` branch. Beside properties, both are checks of the struct (see `applied`).
fn split_any_of(schema: &Schema) -> Option<(Schema, Vec<Schema>)> {
    if schema.one_of.is_empty()
        || schema.any_of.is_empty()
        || !schema.properties.is_empty()
        || branches_beside_map(schema)
    {
        return None;
    }
    let mut rest = schema.clone();
    let any_of = std::mem::take(&mut rest.any_of);
    merge::keep_evaluations(&mut rest, Some(schema));
    Some((rest, any_of))
}

/// Adds a group of `anyOf` branches to the sub-schema checks.
fn push_group(checks: &mut Checks, group: Vec<Shape>) {
    checks
        .applied
        .get_or_insert_with(Default::default)
        .branches
        .push((UnionMode::AnyOf, group));
}

fn is_null_schema(schema: &Schema) -> bool {
    schema.nullable && matches!(schema.types.as_deref(), Some([])) && schema.reference.is_none()
}

/// Whether a schema's own keywords (`allOf` aside) allow `null` and nothing else.
fn allows_only_null(schema: &Schema) -> bool {
    if !(schema.nullable && matches!(schema.types.as_deref(), Some([]))) {
        return false;
    }
    // Only the rare `type: "null"` schema pays for the copy.
    let mut rest = schema.clone();
    rest.all_of.clear();
    rest.types = None;
    !has_structure(&rest)
}

/// Whether a schema becomes a struct, named or inline: it lists properties, or it is an
/// object that is closed (`additionalProperties: false`, unknown keys rejected) or names
/// `required` keys (each kept as a field so its absence is rejected).
fn is_struct(schema: &Schema) -> bool {
    !schema.properties.is_empty()
        || (is_object(schema)
            && (matches!(schema.additional, Some(s::Additional::Denied))
                || !schema.required.is_empty()))
}

fn is_object(schema: &Schema) -> bool {
    match schema.types.as_deref() {
        Some(types) => types == [JsonType::Object],
        None => !schema.properties.is_empty() || schema.additional.is_some(),
    }
}

/// The values of `enum`, or a scalar `const` as a one-value enum: only those that the `const`
/// beside an `enum` and the scalar keywords beside them (lengths, `pattern`, `format`, bounds,
/// `multipleOf`), which an enum type does not check, let through. With no value left, the
/// schema is not an enum type: its own checks (the `enum`, `const` and the rest) reject every
/// value but `null` where allowed.
fn enum_values(schema: &Schema) -> Option<std::borrow::Cow<'_, [Value]>> {
    if let Some(values) = &schema.enum_values {
        if values.iter().all(|v| enum_value_kept(schema, v)) {
            return Some(std::borrow::Cow::Borrowed(values.as_slice()));
        }
        let kept = values.iter().filter(|v| enum_value_kept(schema, v));
        return Some(std::borrow::Cow::Owned(kept.cloned().collect()));
    }
    match &schema.const_value {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
            let kept = enum_value_kept(schema, v).then(|| v.clone());
            Some(std::borrow::Cow::Owned(kept.into_iter().collect()))
        }
        _ => None,
    }
}

/// Whether an `enum` value passes the `const` and scalar keywords beside it (`null` always does:
/// it is the schema's nullability, not a variant).
fn enum_value_kept(schema: &Schema, value: &Value) -> bool {
    value.is_null()
        || (schema
            .const_value
            .as_ref()
            .is_none_or(|c| super::instance::json_equal(c, value))
            && super::instance::enum_value_violations(value, schema).is_empty())
}

fn is_scalar_enum(values: &[Value]) -> bool {
    values.iter().any(|v| !v.is_null()) && values.iter().all(|v| !v.is_array() && !v.is_object())
}

/// Whether a schema has keywords beyond annotations, `$ref` and `allOf`
/// (so a `$ref` beside it cannot simply be followed).
fn has_structure(schema: &Schema) -> bool {
    let typed = match schema.types.as_deref() {
        None | Some([JsonType::Object]) => false,
        Some(_) => schema.reference.is_none(),
    };
    typed
        || schema.never
        || schema.format.is_some()
        || schema.enum_values.is_some()
        || schema.const_value.is_some()
        || !schema.properties.is_empty()
        || !schema.required.is_empty()
        || schema.additional.is_some()
        || schema.items.is_some()
        || schema.min_length.is_some()
        || schema.max_length.is_some()
        || schema.pattern.is_some()
        || schema.minimum.is_some()
        || schema.maximum.is_some()
        || schema.exclusive_minimum.is_some()
        || schema.exclusive_maximum.is_some()
        || schema.multiple_of.is_some()
        || schema.min_items.is_some()
        || schema.max_items.is_some()
        || schema.unique_items
        || schema.min_properties.is_some()
        || schema.max_properties.is_some()
        || !schema.any_of.is_empty()
        || !schema.one_of.is_empty()
        || schema.discriminator.is_some()
        || !schema.applicators.is_empty()
}
