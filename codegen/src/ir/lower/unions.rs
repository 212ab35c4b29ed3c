//! Unions: `oneOf` / `anyOf` branches, narrowed by the `type` beside them, tagged by a
//! discriminator or by the values a branch lists, and named.

use super::{has_structure, merge, names, Lowerer, MAX_USE_DEPTH};
use crate::ir::names::Scope;
use crate::ir::{Checks, Shape, Union, UnionMode, UnionVariant};
use crate::load::schema::{self as s, Items, JsonType, Schema, Target};

impl<'a> Lowerer<'a> {
    /// Drops the `oneOf`/`anyOf` branches that the `type` beside them rules out
    /// (`allOf: [{oneOf: [integer, string]}, {type: string}]` is the string
    /// branch). `None` when no branch is dropped, or when every one would be
    /// (then the merge of each branch reports the disagreement). One branch
    /// left is merged with the keywords beside it.
    pub(super) fn narrow_union(&mut self, schema: &Schema) -> Option<Schema> {
        // A branch that refers back to its union can narrow forever; stop as deep uses do.
        if self.depth >= MAX_USE_DEPTH {
            return None;
        }
        let types = schema.types.as_deref().filter(|t| !t.is_empty())?;
        let branches = union_branches(schema);
        // A `null` branch fits only a `type` beside it that allows `null`.
        let overlaps = |own: &[JsonType]| {
            own.iter().any(|t| {
                types.contains(t)
                    || (*t == JsonType::Integer && types.contains(&JsonType::Number))
                    || (*t == JsonType::Number && types.contains(&JsonType::Integer))
            })
        };
        let fits = |branch: &Schema| {
            if is_null_schema(branch) {
                return schema.nullable;
            }
            match self.branch_types(branch) {
                Some(own) if !own.is_empty() => overlaps(&own),
                // Through a chain of references, a union's branches or `allOf` parts.
                _ => match merge::declared_types(self, branch, 0) {
                    Some((own, null)) => overlaps(&own) || (null && schema.nullable),
                    None => true,
                },
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
            // Only the list narrowed goes: an `anyOf` beside a `oneOf` still holds.
            if schema.one_of.is_empty() {
                narrowed.any_of.clear();
            } else {
                narrowed.one_of.clear();
            }
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
    pub(super) fn branch_types(&self, branch: &Schema) -> Option<Vec<JsonType>> {
        if let Some(types) = &branch.types {
            return Some(types.clone());
        }
        let target = branch.reference.as_ref()?.target.as_ref()?;
        self.target_schema(target)?.types.clone()
    }

    /// Beside a discriminated `oneOf`, the `anyOf` checks each branch's JSON form, which holds
    /// the tag only where the branch has a property for it (else the tag is taken off when
    /// parsing): an `anyOf` branch that names the tag would not see it there.
    pub(super) fn warn_unseen_tag(&mut self, schema: &Schema, any_of: &[Schema]) {
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

    /// Beside a discriminated `oneOf`/`anyOf`, the sub-schema keywords (`not`, `if`,
    /// `contains` ...) are checked over each branch's JSON form, as an `anyOf` of one.
    /// `unevaluatedProperties` / `unevaluatedItems` there would see only their own schema's
    /// evaluations, not the branch's, so they are left unchecked, with a warning.
    pub(super) fn tagged_applicators(&mut self, schema: &Schema, name: &str, union: &mut Union) {
        let mut applicators = schema.applicators.clone();
        if !std::mem::take(&mut applicators.unevaluated).is_empty() {
            let at = schema.pointer.clone();
            self.warn(
                schema,
                &at,
                "`unevaluatedProperties` / `unevaluatedItems` on a union with a `discriminator` are not checked",
            );
        }
        if applicators.is_empty() {
            return;
        }
        let keywords = Schema {
            file: schema.file,
            pointer: schema.pointer.clone(),
            applicators,
            ..Schema::default()
        };
        // Only its sub-schemas can be types, named after the union (`ItemNot`).
        let shape = self.shape(&keywords, name);
        for v in &mut union.variants {
            push_group(&mut v.shape.checks, vec![shape.clone()]);
        }
    }

    /// The shapes of an `anyOf` split off from beside a `oneOf`.
    pub(super) fn any_of_group(&mut self, any_of: &[Schema], name: &str) -> Vec<Shape> {
        any_of
            .iter()
            .enumerate()
            .map(|(i, b)| self.shape(b, &format!("{name}AnyBranch{}", i + 1)))
            .collect()
    }

    pub(super) fn union(&mut self, schema: &Schema, name: &str) -> Option<Union> {
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
    pub(super) fn tags(
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

    pub(super) fn variant_base(&self, branch: &Schema, index: usize) -> String {
        self.describe(branch, 0)
            .unwrap_or_else(|| format!("Variant{}", index + 1))
    }

    /// A name for what a schema holds, when one can be told from it.
    pub(super) fn describe(&self, branch: &Schema, depth: usize) -> Option<String> {
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
}

/// The string values an inline branch lists for the tag property: its `const`, else its
/// `enum`.
pub(super) fn listed_tag_values(branch: &Schema, property: &str) -> Vec<String> {
    let Some((_, p)) = branch.properties.iter().find(|(name, _)| name == property) else {
        return Vec::new();
    };
    let listed = match (p.const_value.as_deref(), &p.enum_values) {
        (Some(c), _) => std::slice::from_ref(c),
        (None, Some(values)) => values.as_slice(),
        (None, None) => &[],
    };
    listed
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

pub(super) fn union_branches(schema: &Schema) -> &[Schema] {
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
pub(super) fn union_base(schema: &Schema) -> Option<Schema> {
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
pub(super) fn split_any_of(schema: &Schema) -> Option<(Schema, Vec<Schema>)> {
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
pub(super) fn push_group(checks: &mut Checks, group: Vec<Shape>) {
    checks
        .applied
        .get_or_insert_with(Default::default)
        .branches
        .push((UnionMode::AnyOf, group));
}

pub(super) fn is_null_schema(schema: &Schema) -> bool {
    schema.nullable && matches!(schema.types.as_deref(), Some([])) && schema.reference.is_none()
}
