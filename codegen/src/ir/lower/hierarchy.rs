//! Base-type discriminators: a named schema with a `discriminator` and no `oneOf`/`anyOf`
//! (Swagger 2.0's polymorphism, kept by OpenAPI 3.0), whose subtypes name it in their
//! `allOf`.
//!
//! The base's name goes to a tagged union of its subtypes, so every reference to the base
//! accepts any of them. A subtype's tag values are those the `mapping` gives it, else its
//! `x-ms-discriminator-value`, else its schema name. The base's own schema becomes a struct
//! of its own (`PetBase`), which is a branch too when the base itself has a tag value: in
//! Swagger 2.0 always (its name, as the specification allows), in OpenAPI 3.0 when the
//! `mapping` names the base or the base has an `x-ms-discriminator-value`. A subtype's
//! `allOf` reference to the base still merges the base's fields (see `merge.rs`), never the
//! union.

use crate::ir::{Ty, TypeId, Union};
use crate::load::schema::{Discriminator, Reference, Schema, Target};
use crate::load::Spec;
use std::collections::{HashMap, HashSet};

/// One base schema with subtypes, and what it becomes.
pub(super) struct Hierarchy {
    /// The base schema's index in `spec.schemas`.
    pub base: usize,
    /// The key of the base's own struct. Its pointer starts with `#`, so it is no JSON
    /// Pointer and no reference in a document can reach it.
    pub own: Target,
    /// The base's own schema without its `discriminator`, lowered as the base's struct.
    pub own_schema: Schema,
    /// What the base's name stands for: a `oneOf` of its subtypes (and of its own struct
    /// when that is a tag value), with every tag value spelled out in the `mapping`.
    pub union: Schema,
}

/// The key of a named schema.
fn target_of(schema: &Schema) -> Target {
    Target {
        file: schema.file,
        pointer: schema.pointer.clone(),
    }
}

/// Whether a schema is a base in the base-type style.
fn is_base(schema: &Schema) -> bool {
    schema.discriminator.is_some() && schema.one_of.is_empty() && schema.any_of.is_empty()
}

/// Finds every named base schema that some named schema extends, in document order.
pub(super) fn collect(spec: &Spec) -> Vec<Hierarchy> {
    let index: HashMap<Target, usize> = spec
        .schemas
        .iter()
        .enumerate()
        .map(|(i, n)| (target_of(&n.schema), i))
        .collect();
    // The named schemas that extend each schema directly (name it in their `allOf`).
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, n) in spec.schemas.iter().enumerate() {
        let parents = n
            .schema
            .all_of
            .iter()
            .filter_map(|part| part.reference.as_ref()?.target.as_ref())
            .filter_map(|t| index.get(t));
        for parent in parents {
            if *parent != i {
                children.entry(*parent).or_default().push(i);
            }
        }
    }
    let subtypes_of = |base: usize| -> Vec<usize> {
        // Subtypes of subtypes too: a `Lion` extending `Cat` extending `Pet` is a `Pet`.
        let mut seen: HashSet<usize> = HashSet::from([base]);
        let mut queue = vec![base];
        while let Some(next) = queue.pop() {
            for child in children.get(&next).into_iter().flatten() {
                if seen.insert(*child) {
                    queue.push(*child);
                }
            }
        }
        seen.remove(&base);
        let mut found: Vec<usize> = seen.into_iter().collect();
        found.sort_unstable();
        found
    };
    let bases: Vec<(usize, Vec<usize>)> = spec
        .schemas
        .iter()
        .enumerate()
        .filter(|(_, n)| is_base(&n.schema))
        .map(|(i, _)| (i, subtypes_of(i)))
        .filter(|(_, subtypes)| !subtypes.is_empty())
        .collect();
    let own_targets: HashMap<usize, Target> = bases
        .iter()
        .filter_map(|(i, _)| {
            let n = spec.schemas.get(*i)?;
            Some((*i, own_target(&n.schema)))
        })
        .collect();
    bases
        .iter()
        .filter_map(|(base, subtypes)| {
            let n = spec.schemas.get(*base)?;
            let disc = n.schema.discriminator.as_ref()?;
            let own = own_targets.get(base)?.clone();
            // A subtype that is a base itself is taken as written: its own struct.
            let branches: Vec<Subtype<'_>> = subtypes
                .iter()
                .filter_map(|i| {
                    let sub = spec.schemas.get(*i)?;
                    let real = target_of(&sub.schema);
                    Some(Subtype {
                        branch: own_targets.get(i).cloned().unwrap_or_else(|| real.clone()),
                        real,
                        name: sub
                            .schema
                            .discriminator_value
                            .as_deref()
                            .unwrap_or(&sub.name),
                    })
                })
                .collect();
            let union = union_schema(&n.schema, &n.name, disc, &own, &branches);
            let mut own_schema = n.schema.clone();
            own_schema.discriminator = None;
            let note = format!(
                "The fields of `{}` itself, which every schema extending it has too.",
                n.name
            );
            own_schema.description = Some(match &n.schema.description {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            });
            Some(Hierarchy {
                base: *base,
                own,
                own_schema,
                union,
            })
        })
        .collect()
}

fn own_target(base: &Schema) -> Target {
    Target {
        file: base.file,
        pointer: format!("#own{}", base.pointer),
    }
}

/// A subtype as a branch of its base's union.
struct Subtype<'a> {
    /// What the branch refers to: the subtype, or its own struct when it is a base too.
    branch: Target,
    /// The subtype's schema, which a `mapping` names.
    real: Target,
    /// Its tag value when the `mapping` gives none: its `x-ms-discriminator-value`, else
    /// its schema name.
    name: &'a str,
}

/// The union standing for `base`: a `oneOf` of `subtypes` in document order, then of the
/// other schemas the `mapping` names, then of the base's own struct when it is a tag value.
fn union_schema(
    base: &Schema,
    base_name: &str,
    disc: &Discriminator,
    own: &Target,
    subtypes: &[Subtype<'_>],
) -> Schema {
    let base_target = target_of(base);
    let at = format!("{}/discriminator", base.pointer);
    let mut branches: Vec<Target> = Vec::new();
    let mut mapping: Vec<(String, Reference)> = Vec::new();
    let mapped_to = |target: &Target| -> Vec<String> {
        disc.mapping
            .iter()
            .filter(|(_, r)| r.target.as_ref() == Some(target))
            .map(|(value, _)| value.clone())
            .collect()
    };
    for sub in subtypes {
        let mut tags = mapped_to(&sub.real);
        if tags.is_empty() {
            tags.push(sub.name.to_owned());
        }
        for tag in tags {
            mapping.push((tag, reference(&sub.branch)));
        }
        branches.push(sub.branch.clone());
    }
    let mut own_tags = mapped_to(&base_target);
    if own_tags.is_empty() {
        // A base that gives its own `x-ms-discriminator-value` is concrete, in any version.
        match (&base.discriminator_value, disc.names_itself) {
            (Some(value), _) => own_tags.push(value.clone()),
            (None, true) => own_tags.push(base_name.to_owned()),
            (None, false) => {}
        }
    }
    for (value, r) in &disc.mapping {
        let Some(target) = &r.target else { continue };
        let taken = mapping.iter().any(|(v, _)| v == value);
        if *target == base_target || taken || subtypes.iter().any(|s| s.real == *target) {
            continue;
        }
        if !branches.contains(target) {
            branches.push(target.clone());
        }
        mapping.push((value.clone(), reference(target)));
    }
    if !own_tags.is_empty() {
        for tag in own_tags {
            mapping.push((tag, reference(own)));
        }
        branches.push(own.clone());
    }
    let note = format!(
        "Any `{base_name}`: one of the schemas extending it, chosen by `{}`.",
        disc.property_name
    );
    Schema {
        file: base.file,
        pointer: base.pointer.clone(),
        title: base.title.clone(),
        description: Some(match &base.description {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        }),
        deprecated: base.deprecated,
        nullable: base.nullable,
        code: base.code.clone(),
        one_of: branches.iter().map(|t| branch(t, &at)).collect(),
        discriminator: Some(Box::new(Discriminator {
            property_name: disc.property_name.clone(),
            mapping,
            names_itself: false,
        })),
        ..Schema::default()
    }
}

/// A reference already resolved to `target`.
fn reference(target: &Target) -> Reference {
    Reference {
        text: format!("#{}", target.pointer.trim_start_matches('#')),
        file_part: String::new(),
        pointer: target.pointer.clone(),
        anchor: None,
        dynamic: false,
        by_name: false,
        target: Some(target.clone()),
    }
}

/// A `oneOf` branch that is only a reference to `target`.
fn branch(target: &Target, at: &str) -> Schema {
    Schema {
        file: target.file,
        pointer: at.to_owned(),
        reference: Some(Box::new(reference(target))),
        ..Schema::default()
    }
}

/// Names the variants of the union standing for a base named `name` as a reader (and clippy's
/// `enum_variant_names`) expects: the base's own struct is the variant `Pet`, and a subtype
/// named after the base loses the base's name (`AutomationActionLogicApp` is `LogicApp` in
/// `AutomationAction`), unless that would leave no name or the name of another variant.
pub(super) fn name_variants(union: &mut Union, name: &str, own: TypeId) {
    let is_own = |ty: &Ty| matches!(ty, Ty::Named { id, .. } if *id == own);
    let shortened: Vec<Option<String>> = union
        .variants
        .iter()
        .map(|v| {
            if is_own(&v.shape.ty) {
                return Some(name.to_owned());
            }
            let rest = v
                .name
                .strip_prefix(name)
                .or_else(|| v.name.strip_suffix(name))?;
            let fits = rest.starts_with(|c: char| c.is_ascii_uppercase()) && rest != "Self";
            fits.then(|| rest.to_owned())
        })
        .collect();
    let taken = |candidate: &str, index: usize| {
        union.variants.iter().enumerate().any(|(j, other)| {
            j != index
                && (other.name == candidate
                    || shortened.get(j).and_then(Option::as_deref) == Some(candidate))
        })
    };
    let names: Vec<Option<String>> = shortened
        .iter()
        .enumerate()
        .map(|(i, s)| s.clone().filter(|s| !taken(s, i)))
        .collect();
    for (variant, new) in union.variants.iter_mut().zip(names) {
        if let Some(new) = new {
            variant.name = new;
        }
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

    /// The model and warnings of a 3.0 document whose `components/schemas` is `schemas`.
    fn lowered(schemas: &str) -> (Model, Vec<String>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let settings = Settings::parse("codegen.toml", "").expect("valid settings");
        let out = lower(&[PathBuf::from("api.yaml")], &Memory(text), &settings);
        let messages = out.diagnostics.iter().map(|d| d.message.clone()).collect();
        (out.model, messages)
    }

    /// Each variant of the union `name`: its name, the type it holds, its tags.
    fn variants(model: &Model, name: &str) -> Vec<(String, String, Vec<String>)> {
        let Some(TypeKind::Union(u)) = model.types.iter().find(|t| t.name == name).map(|t| &t.kind)
        else {
            panic!("`{name}` is not a union");
        };
        u.variants
            .iter()
            .map(|v| {
                let held = match &v.shape.ty {
                    Ty::Named { id, .. } => model
                        .types
                        .get(id.0)
                        .map_or_else(String::new, |t| t.name.clone()),
                    other => format!("{other:?}"),
                };
                (v.name.clone(), held, v.tags.clone())
            })
            .collect()
    }

    fn kind_of<'m>(model: &'m Model, name: &str) -> Option<&'m TypeKind> {
        model.types.iter().find(|t| t.name == name).map(|t| &t.kind)
    }

    const ACTIONS: &str = "    Action:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind}
    ActionLogicApp:
      x-ms-discriminator-value: LogicApp
      allOf: [{$ref: '#/components/schemas/Action'}, {properties: {app: {type: string}}}]
    EventHubAction:
      allOf: [{$ref: '#/components/schemas/Action'}]
    ActionCat:
      allOf: [{$ref: '#/components/schemas/Action'}]
    Cat:
      allOf: [{$ref: '#/components/schemas/Action'}]
";

    #[test]
    fn subtypes_named_after_the_base_drop_its_name_unless_another_variant_has_it() {
        let (model, warnings) = lowered(ACTIONS);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            variants(&model, "Action"),
            [
                (
                    "LogicApp".into(),
                    "ActionLogicApp".into(),
                    vec!["LogicApp".into()]
                ),
                (
                    "EventHub".into(),
                    "EventHubAction".into(),
                    vec!["EventHubAction".into()]
                ),
                (
                    "ActionCat".into(),
                    "ActionCat".into(),
                    vec!["ActionCat".into()]
                ),
                ("Cat".into(), "Cat".into(), vec!["Cat".into()]),
            ]
        );
        // The subtypes stay structs holding the base's fields; the base's own struct is
        // generated, though no tag selects it.
        for subtype in ["ActionLogicApp", "EventHubAction", "Cat", "ActionBase"] {
            let Some(TypeKind::Struct(s)) = kind_of(&model, subtype) else {
                panic!("`{subtype}` is not a struct");
            };
            assert_eq!(s.fields.first().map(|f| f.wire_name.as_str()), Some("kind"));
        }
    }

    #[test]
    fn a_mapping_names_subtypes_the_base_itself_and_other_schemas() {
        let (model, warnings) = lowered(
            "    Shape:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator:
        propertyName: kind
        mapping: {blob: Shape, round: Circle, ring: Circle, dot: Dot}
    Circle:
      allOf: [{$ref: '#/components/schemas/Shape'}, {properties: {r: {type: number}}}]
    Dot:
      type: object
      properties: {kind: {type: string}}
",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            variants(&model, "Shape"),
            [
                (
                    "Circle".into(),
                    "Circle".into(),
                    vec!["round".into(), "ring".into()]
                ),
                ("Dot".into(), "Dot".into(), vec!["dot".into()]),
                ("Shape".into(), "ShapeBase".into(), vec!["blob".into()]),
            ]
        );
    }

    #[test]
    fn a_subtype_that_is_a_base_itself_is_its_own_struct_in_the_outer_union() {
        let (model, warnings) = lowered(
            "    Animal:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind}
    Pet:
      allOf: [{$ref: '#/components/schemas/Animal'}, {properties: {name: {type: string}}}]
      discriminator: {propertyName: kind}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}]
    Wolf:
      allOf: [{$ref: '#/components/schemas/Animal'}]
",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            variants(&model, "Animal"),
            [
                ("PetBase".into(), "PetBase".into(), vec!["Pet".into()]),
                ("Cat".into(), "Cat".into(), vec!["Cat".into()]),
                ("Dog".into(), "Dog".into(), vec!["Dog".into()]),
                ("Wolf".into(), "Wolf".into(), vec!["Wolf".into()]),
            ]
        );
        assert_eq!(
            variants(&model, "Pet"),
            [
                ("Cat".into(), "Cat".into(), vec!["Cat".into()]),
                ("Dog".into(), "Dog".into(), vec!["Dog".into()]),
            ]
        );
    }

    #[test]
    fn a_base_nothing_extends_stays_a_struct_with_a_warning() {
        let (model, warnings) = lowered(
            "    Lonely:
      type: object
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind}
",
        );
        assert!(matches!(
            kind_of(&model, "Lonely"),
            Some(TypeKind::Struct(_))
        ));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings
            .iter()
            .all(|w| w.contains("no named schema extends")));
    }
}
