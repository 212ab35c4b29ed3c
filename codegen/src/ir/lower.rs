//! Lowering: schema trees to Rust-shaped types.

use super::names::{self, Scope};
use super::{Docs, Extras, Model, Module, Origin, Shape, Ty, TypeDef, TypeId, TypeKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::schema::{self as s, Items, Schema, Target};
use crate::load::Spec;
use crate::settings::Settings;
use classify::{has_structure, is_struct, Becomes};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use unions::{branches_beside_map, push_group, union_base, union_branches};

mod checks;
pub(super) use checks::stated;
mod classify;
pub(super) mod cycles;
mod enums;
mod given;
mod hierarchy;
mod keywords;
mod merge;
mod nulls;
mod replace;
mod shapes;
mod structs;
mod tuples;
mod unevaluated;
mod unions;

/// Deepest nesting of uses lowered (half the schema reader's limit: each
/// level of properties is two levels of schema).
const MAX_USE_DEPTH: usize = s::MAX_DEPTH / 2;

/// The most steps (uses lowered, `allOf` parts merged) one named schema may take. A schema
/// whose parts and branches reach the same schemas along exponentially many ways would spell
/// each way out as types of its own; it is reported instead of taking that long. The largest
/// named schemas of GitHub's REST and webhooks descriptions take 1,314 and 1,312 steps,
/// Stripe's 133.
const WORK_LIMIT: usize = 50_000;

/// Formats that pick a numeric Rust type.
const NUMERIC_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
];

/// Lowers every named schema (and every referenced fragment) to types.
pub fn lower(spec: &Spec, settings: &Settings, diagnostics: &mut Diagnostics) -> Model {
    let mut lowerer = Lowerer::new(spec, settings, diagnostics);
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
    /// Set when the named schema being lowered met the depth limit: the rest of it is not
    /// lowered (the error is reported once), so a schema that branches at every level does
    /// not take time exponential in the limit.
    too_deep: bool,
    /// The steps (uses lowered, `allOf` parts merged) the named schema being lowered has
    /// taken; see [`WORK_LIMIT`].
    work: usize,
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
    /// Each referenced schema whose `allOf` merge is done, merged (`merge::resolve`), so that
    /// parts reaching one schema along many ways merge it once, not once for each way.
    merged: HashMap<Target, Schema>,
    /// How many merges stopped at the depth limit; a merge that met it is not kept in
    /// `merged`.
    merges_cut: usize,
    /// Whether each referenced schema accepts `null` (`accepts_null`) and whether its `type`
    /// rules `null` out (`types_out_null`), once known: schemas that reach one schema along
    /// many ways ask once.
    null_answers: RefCell<HashMap<Target, [Option<bool>; 2]>>,
    /// How many of those questions stopped at the depth limit; an answer that met it is not
    /// kept.
    null_cuts: Cell<usize>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a Spec, settings: &'a Settings, diagnostics: &'a mut Diagnostics) -> Self {
        Lowerer {
            spec,
            settings,
            diagnostics,
            slots: Vec::new(),
            by_target: HashMap::new(),
            type_names: Scope::with_reserved(&[]),
            modules: Vec::new(),
            module_names: Scope::with_reserved(names::RESERVED_MODULES),
            current_module: 0,
            depth: 0,
            too_deep: false,
            work: 0,
            inlining: Vec::new(),
            unknown_formats: Vec::new(),
            named_index: HashMap::new(),
            replacements: replace::Replacements::default(),
            own: HashMap::new(),
            merged: HashMap::new(),
            merges_cut: 0,
            null_answers: RefCell::new(HashMap::new()),
            null_cuts: Cell::new(0),
        }
    }

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
            self.too_deep = false;
            self.work = 0;
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
        let module_name = self.module_names.claim(names::module_name(&name));
        self.modules.push(Module {
            name: module_name,
            types: vec![id],
            shared: false,
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

    /// Counts one step of lowering the current named schema; answers whether lowering it
    /// goes on. Past [`WORK_LIMIT`] the error is reported once, and the rest of the schema
    /// is not lowered (as past the depth limit).
    pub(super) fn step(&mut self, schema: &Schema) -> bool {
        if self.too_deep {
            return false;
        }
        self.work += 1;
        if self.work <= WORK_LIMIT {
            return true;
        }
        self.too_deep = true;
        let d = self
            .error(
                schema,
                &schema.pointer,
                format!("lowering this schema takes more than {WORK_LIMIT} steps: its `allOf` parts and `oneOf`/`anyOf` branches reach the same schemas along very many ways, each of which would become types of its own"),
            )
            .with_hint("give the inline schemas that merge or branch on the same schemas a name in `components/schemas`, and refer to them with `$ref` from a property");
        self.diagnostics.push(d);
        false
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

    /// What a (normalised) schema becomes as a named type (see [`Becomes`]).
    fn kind(&mut self, schema: &Schema, name: &str) -> TypeKind {
        match self.becomes(schema) {
            Becomes::BesideAnyOf { rest, any_of } => {
                self.warn_unseen_tag(schema, &any_of);
                let mut kind = self.kind(&rest, name);
                let group = self.any_of_group(&any_of, name);
                match &mut kind {
                    TypeKind::Union(u) => {
                        let null_fails = self.group_rejects_null(&group, &any_of);
                        for v in &mut u.variants {
                            if null_fails {
                                v.shape.nullable = false;
                            }
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
                kind
            }
            Becomes::Narrowed(narrowed) => {
                self.depth += 1;
                let kind = self.kind(&narrowed, name);
                self.depth -= 1;
                kind
            }
            Becomes::Enum(values) => {
                self.warn_unapplied(schema, "an enum");
                TypeKind::Enum(self.enumeration(schema, &values))
            }
            Becomes::Union => match self.union(schema, name) {
                Some(mut union) => {
                    // Without a discriminator, the keywords beside the branches are merged
                    // into each branch (`union_base`), which checks them.
                    if union_base(schema).is_none() {
                        self.tagged_applicators(schema, name, &mut union);
                    }
                    TypeKind::Union(union)
                }
                None => self.newtype(schema, name),
            },
            Becomes::Struct => TypeKind::Struct(self.structure(schema, name)),
            Becomes::OnlyNull
            | Becomes::OneBranch { .. }
            | Becomes::BranchesBesideMap
            | Becomes::Value => self.newtype(schema, name),
        }
    }

    /// A named type holding the shape of `schema`.
    fn newtype(&mut self, schema: &Schema, name: &str) -> TypeKind {
        let mut shape = self.shape_inner(schema, name, true);
        // The definition's own nullability lives on its uses (see `references_nullable`),
        // so that `Option` layers are counted in one place.
        shape.nullable = false;
        TypeKind::Newtype(shape)
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
