//! `allOf`: several schemas merged into one.

use super::Lowerer;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::schema::{Additional, Items, JsonType, Schema, Target, Tuple, MAX_DEPTH};
use limits::{common_multiple, first, max, min, tightest};
use std::collections::HashSet;

mod limits;
mod types;
pub(super) use types::declared_types;
use types::{common_types, merge_types};

/// Merges `schema`'s `allOf` parts (following references) and its own
/// keywords into one schema with no `allOf` and no `$ref`.
pub(super) fn flatten(
    lowerer: &mut Lowerer<'_>,
    schema: &Schema,
    visiting: &mut HashSet<Target>,
    depth: usize,
) -> Schema {
    let mut acc = Schema {
        file: schema.file,
        pointer: schema.pointer.clone(),
        ..Schema::default()
    };
    if depth > MAX_DEPTH {
        // Reported once for the named schema, whose lowering stops here (as past the
        // depth limit of uses), so that no deeper part is left out unsaid.
        if !lowerer.too_deep {
            lowerer.too_deep = true;
            let d = lowerer
                .error(
                    schema,
                    &schema.pointer,
                    format!("`allOf` parts and the schemas they refer to nest more than {MAX_DEPTH} levels deep (each part and each `$ref` a level), so they cannot all be merged"),
                )
                .with_hint("merge fewer levels: list the parts of the deepest schemas in one `allOf`");
            lowerer.diagnostics.push(d);
        }
        lowerer.merges_cut += 1;
        return acc;
    }
    if !lowerer.step(schema) {
        lowerer.merges_cut += 1;
        return acc;
    }
    let mut parts = Vec::with_capacity(schema.all_of.len() + 2);
    if let Some(reference) = &schema.reference {
        if let Some(part) = resolve(lowerer, schema, reference.target.as_ref(), visiting, depth) {
            parts.push(part);
        }
    }
    for part in &schema.all_of {
        parts.push(if part.reference.is_some() || !part.all_of.is_empty() {
            flatten(lowerer, part, visiting, depth + 1)
        } else {
            let mut part = part.clone();
            keep_evaluations(&mut part, None);
            part
        });
    }
    let mut own = own_keywords(schema);
    keep_evaluations(&mut own, Some(schema));
    parts.push(own);
    additional_across_parts(lowerer, &mut parts);
    let null = null_stance(&parts);
    for part in parts {
        merge(lowerer, &mut acc, part);
    }
    if null == NullStance::Rejected {
        acc.nullable = false;
    }
    acc
}

/// A schema's own keywords, cloned without its `allOf` and `$ref` (merged before them, and
/// perhaps large).
fn own_keywords(schema: &Schema) -> Schema {
    let Schema {
        all_of: _,
        reference: _,
        file,
        pointer,
        types,
        nullable,
        format,
        title,
        description,
        default,
        examples,
        deprecated,
        read_only,
        write_only,
        enum_values,
        const_value,
        properties,
        required,
        additional,
        items,
        limits,
        any_of,
        one_of,
        discriminator,
        discriminator_value,
        open_enum,
        rust_type,
        never,
        code,
        applicators,
    } = schema;
    Schema {
        all_of: Vec::new(),
        reference: None,
        file: *file,
        pointer: pointer.clone(),
        types: types.clone(),
        nullable: *nullable,
        format: format.clone(),
        title: title.clone(),
        description: description.clone(),
        default: default.clone(),
        examples: examples.clone(),
        deprecated: *deprecated,
        read_only: *read_only,
        write_only: *write_only,
        enum_values: enum_values.clone(),
        const_value: const_value.clone(),
        properties: properties.clone(),
        required: required.clone(),
        additional: additional.clone(),
        items: items.clone(),
        limits: limits.clone(),
        any_of: any_of.clone(),
        one_of: one_of.clone(),
        discriminator: discriminator.clone(),
        discriminator_value: discriminator_value.clone(),
        open_enum: *open_enum,
        rust_type: rust_type.clone(),
        never: *never,
        code: code.clone(),
        applicators: applicators.clone(),
    }
}

/// Whether `null` survives the merge of `allOf` parts.
#[derive(Debug, PartialEq, Eq)]
enum NullStance {
    /// Each part's own reading, joined (a part that allows `null` lets it through).
    Joined,
    /// A part's `type` leaves `null` out, so no value `null` meets every part.
    Rejected,
}

/// `null` meets every part only when no part's `type` leaves it out. Two readings of real
/// descriptions keep `null` whatever the other parts say: `nullable: true` without a `type` on
/// the schema holding the `allOf` (the last part, its own keywords), which OpenAPI 3.0
/// descriptions write for "the referenced type, or null", and a part of `type: "null"` alone
/// (see `merge_types`).
fn null_stance(parts: &[Schema]) -> NullStance {
    let own_nullable = parts
        .last()
        .is_some_and(|own| own.nullable && own.types.is_none());
    let null_only = parts
        .iter()
        .any(|p| p.nullable && matches!(p.types.as_deref(), Some([])));
    let typed_without_null = parts.iter().any(|p| p.types.is_some() && !p.nullable);
    if typed_without_null && !own_nullable && !null_only {
        NullStance::Rejected
    } else {
        NullStance::Joined
    }
}

/// Ties the part's `unevaluatedProperties` / `unevaluatedItems` to the schema whose keywords
/// evaluate for them (`within`, else the part itself), before merging takes it apart.
pub(super) fn keep_evaluations(part: &mut Schema, within: Option<&Schema>) {
    if part
        .applicators
        .unevaluated
        .iter()
        .all(|u| u.within.is_some())
    {
        return;
    }
    let within = Box::new(within.unwrap_or(part).clone());
    for u in &mut part.applicators.unevaluated {
        u.within.get_or_insert_with(|| within.clone());
    }
}

/// A part's `additionalProperties` covers every key that part does not declare, including
/// those another part declares: such a property must also be valid against it (or, under
/// `additionalProperties: false`, be absent). Keys no part declares are left to the merged
/// `additionalProperties`. A property whose type the values schema contradicts (`integer`
/// against `string`) can only be absent too, with a warning. Two parts that both declare a
/// property with disagreeing types are read leniently (see `merge_types`), but a values
/// schema was not written for that property, so JSON Schema's reading is kept.
fn additional_across_parts(lowerer: &mut Lowerer<'_>, parts: &mut [Schema]) {
    for i in 0..parts.len() {
        let Some(part) = parts.get(i) else { continue };
        let declared: Vec<String> = part.properties.iter().map(|(p, _)| p.clone()).collect();
        let undeclared = |(j, other): (usize, &Schema)| {
            j != i && (other.properties.iter()).any(|(name, _)| !declared.contains(name))
        };
        // Cloned only when some other part has a property it covers: a values schema
        // merged from deep parts can be large.
        let extra = match &part.additional {
            Some(a @ (Additional::Denied | Additional::Schema(_)))
                if part.applicators.pattern_properties.is_empty()
                    && parts.iter().enumerate().any(undeclared) =>
            {
                a.clone()
            }
            _ => continue,
        };
        for (j, other) in parts.iter_mut().enumerate() {
            if j == i {
                continue;
            }
            for (name, prop) in other.properties.iter_mut() {
                if declared.contains(name) {
                    continue;
                }
                let both = Schema {
                    file: prop.file,
                    pointer: prop.pointer.clone(),
                    ..Schema::default()
                };
                let contradiction = match &extra {
                    Additional::Schema(values) => contradiction(lowerer, prop, values),
                    _ => None,
                };
                if let Some(message) = &contradiction {
                    let d = Diagnostic::warning(
                        lowerer.file_name(prop),
                        format!("{}/type", prop.pointer),
                        format!("{message}, so the property can only be absent"),
                    )
                    .with_hint("make the types agree, or declare the property in the part whose `additionalProperties` covers it");
                    lowerer.diagnostics.push(d);
                }
                *prop = match &extra {
                    Additional::Schema(values) if contradiction.is_none() => Schema {
                        all_of: vec![std::mem::take(prop), (**values).clone()],
                        ..both
                    },
                    _ => Schema {
                        never: true,
                        ..both
                    },
                };
            }
        }
    }
}

/// Why no value of `prop` can be valid against `values` too, when their types say so: they
/// share no type, and not both allow `null`.
fn contradiction(lowerer: &Lowerer<'_>, prop: &Schema, values: &Schema) -> Option<String> {
    let (own, own_null) = declared_types(lowerer, prop, 0)?;
    let (extra, extra_null) = declared_types(lowerer, values, 0)?;
    if !common_types(&own, &extra).is_empty() || (own_null && extra_null) {
        return None;
    }
    let names = |v: &[JsonType]| v.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
    Some(format!(
        "this property is [{}], but another `allOf` part's `additionalProperties` allows only [{}] for it",
        names(&own),
        names(&extra)
    ))
}

fn resolve(
    lowerer: &mut Lowerer<'_>,
    from: &Schema,
    target: Option<&Target>,
    visiting: &mut HashSet<Target>,
    depth: usize,
) -> Option<Schema> {
    let target = target?;
    if let Some(merged) = lowerer.merged.get(target) {
        return Some(merged.clone());
    }
    if !visiting.insert(target.clone()) {
        let d = Diagnostic::error(
            lowerer.file_name(from),
            format!("{}/$ref", from.pointer),
            "this reference loops back into its own `allOf`; no Rust type can hold it",
        )
        .with_hint("break the cycle: reference the schema from a property instead of merging it");
        lowerer.diagnostics.push(d);
        return None;
    }
    let (problems, cut) = (lowerer.diagnostics.len(), lowerer.merges_cut);
    let found = lowerer.target_schema(target);
    let merged = found.map(|s| flatten(lowerer, s, visiting, depth + 1));
    visiting.remove(target);
    // Only a merge that is whole (no error, such as a loop, and not cut at the depth limit)
    // is the same wherever the schema is reached from; its warnings were recorded once
    // already, and a repeated one is recorded once anyway.
    let whole = lowerer.merges_cut == cut
        && (lowerer.diagnostics.iter().skip(problems)).all(|d| d.severity != Severity::Error);
    if let (Some(merged), true) = (&merged, whole) {
        lowerer.merged.insert(target.clone(), merged.clone());
    }
    merged
}

/// Merges `part` into `acc`.
fn merge(lowerer: &mut Lowerer<'_>, acc: &mut Schema, part: Schema) {
    let Schema {
        // Only a named schema is replaced; a part merged into another is read as written.
        rust_type: _,
        types,
        nullable,
        format,
        title,
        description,
        default,
        examples,
        deprecated,
        read_only,
        write_only,
        enum_values,
        const_value,
        properties,
        required,
        additional,
        items,
        limits,
        all_of: _,
        any_of,
        one_of,
        discriminator,
        open_enum,
        never,
        applicators,
        reference: _,
        file: _,
        pointer: part_pointer,
        // Names and attributes belong to the schema that says them, not to those merging it.
        code: _,
        // So does the tag value that names a subtype.
        discriminator_value: _,
    } = part;
    let crate::load::schema::Limits {
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
    } = limits.into_inner();
    acc.types = match (acc.types.take(), types) {
        (Some(a), Some(b)) => Some(merge_types(lowerer, acc, &part_pointer, a, b, nullable)),
        (a, b) => a.or(b),
    };
    acc.nullable |= nullable;
    acc.never |= never;
    if let (Some(a), Some(b)) = (&acc.format, &format) {
        if a != b {
            let d = Diagnostic::warning(
                lowerer.file_name(acc),
                format!("{part_pointer}/format"),
                format!("`allOf` parts give two formats; only `{a}` is used, `{b}` is not checked"),
            )
            .with_hint("give the merged schema a single `format`");
            lowerer.diagnostics.push(d);
        }
    }
    first(&mut acc.format, format);
    first(&mut acc.title, title);
    // The merging schema's own description (merged last) wins.
    if description.is_some() {
        acc.description = description;
    }
    first(&mut acc.default, default);
    join(&mut acc.examples, examples);
    acc.deprecated |= deprecated;
    acc.read_only |= read_only;
    acc.write_only |= write_only;
    acc.enum_values = match (acc.enum_values.take(), enum_values) {
        (Some(a), Some(b)) => {
            let common: Vec<_> = a.iter().filter(|v| b.contains(v)).cloned().collect();
            if common.is_empty() {
                // No value can match: read as alternatives, so real payloads still parse.
                let d = Diagnostic::warning(
                    lowerer.file_name(acc),
                    format!("{part_pointer}/enum"),
                    "`allOf` parts share no `enum` value, so no value could match; a value of either list is accepted",
                )
                .with_hint("make the `enum` lists overlap, or use `oneOf` for alternatives");
                lowerer.diagnostics.push(d);
                let mut either = a;
                either.extend(
                    b.into_iter()
                        .filter(|v| !either.contains(v))
                        .collect::<Vec<_>>(),
                );
                Some(either)
            } else {
                Some(common)
            }
        }
        (a, b) => a.or(b),
    };
    match (acc.const_value.take(), const_value) {
        (Some(a), Some(b)) if a != b => {
            // No value can match: read as alternatives, like disjoint `enum`s.
            let d = Diagnostic::warning(
                lowerer.file_name(acc),
                format!("{part_pointer}/const"),
                format!("`allOf` parts require two different values, {a} and {b}, so no value could match; either is accepted"),
            )
            .with_hint("keep one `const`, or use `oneOf` for alternatives");
            lowerer.diagnostics.push(d);
            let listed = acc.enum_values.take().unwrap_or_default();
            let mut either = vec![*a, *b];
            either.extend(
                listed
                    .into_iter()
                    .filter(|v| !either.contains(v))
                    .collect::<Vec<_>>(),
            );
            acc.enum_values = Some(either);
        }
        (a, b) => acc.const_value = a.or(b),
    }
    for (name, prop) in properties {
        if let Some((_, existing)) = acc.properties.iter_mut().find(|(n, _)| *n == name) {
            if *existing != prop {
                let combined = Schema {
                    file: existing.file,
                    pointer: existing.pointer.clone(),
                    all_of: vec![existing.clone(), prop],
                    ..Schema::default()
                };
                *existing = combined;
            }
        } else {
            acc.properties.push((name, prop));
        }
    }
    for r in required {
        if !acc.required.iter().any(|(n, _)| *n == r.0) {
            acc.required.push(r);
        }
    }
    acc.additional = match (acc.additional.take(), additional) {
        (Some(Additional::Denied), _) | (_, Some(Additional::Denied)) => Some(Additional::Denied),
        // Two value schemas: each value must meet both.
        (Some(Additional::Schema(a)), Some(Additional::Schema(b))) => {
            Some(Additional::Schema(Box::new(both(*a, *b))))
        }
        (Some(Additional::Schema(a)), _) => Some(Additional::Schema(a)),
        (a, b) => b.or(a),
    };
    acc.items = merge_items(acc.items.take(), items);
    acc.limits.min_length = max(acc.limits.min_length, min_length);
    acc.limits.max_length = min(acc.limits.max_length, max_length);
    acc.limits.min_items = max(acc.limits.min_items, min_items);
    acc.limits.max_items = min(acc.limits.max_items, max_items);
    acc.limits.min_properties = max(acc.limits.min_properties, min_properties);
    acc.limits.max_properties = min(acc.limits.max_properties, max_properties);
    acc.limits.unique_items |= unique_items;
    // A value meets every part's `pattern`: each is checked.
    for p in patterns {
        if !acc.limits.patterns.contains(&p) {
            acc.limits.patterns.push(p);
        }
    }
    // Every part's bound holds, so the tightest one is the merged bound.
    acc.limits.minimum = tightest(acc.limits.minimum.take(), minimum, false, true);
    acc.limits.maximum = tightest(acc.limits.maximum.take(), maximum, false, false);
    acc.limits.exclusive_minimum = tightest(
        acc.limits.exclusive_minimum.take(),
        exclusive_minimum,
        true,
        true,
    );
    acc.limits.exclusive_maximum = tightest(
        acc.limits.exclusive_maximum.take(),
        exclusive_maximum,
        true,
        false,
    );
    acc.limits.multiple_of = match (acc.limits.multiple_of.take(), multiple_of) {
        (Some(a), Some(b)) if a != b => match common_multiple(&a, &b) {
            Some(both) => Some(both),
            None => {
                let d = Diagnostic::warning(
                    lowerer.file_name(acc),
                    format!("{part_pointer}/multipleOf"),
                    format!(
                        "`allOf` parts give two `multipleOf`, {a} and {b}; only {a} is checked"
                    ),
                )
                .with_hint("give the merged schema a single `multipleOf`");
                lowerer.diagnostics.push(d);
                Some(a)
            }
        },
        (a, b) => a.or(b),
    };
    acc.limits.compact();
    // Without `oneOf`/`anyOf` beside it, a discriminator marks its schema as a base that
    // other schemas extend: merged into one of those, it says nothing (see `hierarchy.rs`).
    if !any_of.is_empty() || !one_of.is_empty() {
        first(&mut acc.discriminator, discriminator);
    }
    if acc.one_of.is_empty() {
        acc.one_of = one_of;
    }
    if acc.any_of.is_empty() {
        acc.any_of = any_of;
    }
    first(&mut acc.open_enum, open_enum);
    merge_applicators(lowerer, acc, &part_pointer, applicators.into_inner());
}

/// Every part's `not`, `if`, `contains` ... holds: lists are joined; of two single
/// sub-schemas for one keyword the first is checked and the second reported.
/// `items` of two parts, both applying: one schema for every item meets each tuple position
/// and the items after them; two tuples meet position by position.
fn merge_items(a: Option<Items>, b: Option<Items>) -> Option<Items> {
    match (a, b) {
        (Some(Items::Single(a)), Some(Items::Single(b))) => {
            Some(Items::Single(Box::new(both(*a, *b))))
        }
        (Some(Items::Single(all)), Some(Items::Tuple(t)))
        | (Some(Items::Tuple(t)), Some(Items::Single(all))) => Some(Items::Tuple(Tuple {
            positions: t
                .positions
                .into_iter()
                .map(|p| both(p, (*all).clone()))
                .collect(),
            rest: Some(Box::new(match t.rest {
                Some(rest) => both(*rest, *all),
                None => *all,
            })),
            rest_written: true,
        })),
        (Some(Items::Tuple(a)), Some(Items::Tuple(b))) => {
            let at =
                |t: &Tuple, i: usize| t.positions.get(i).cloned().or(t.rest.as_deref().cloned());
            let n = a.positions.len().max(b.positions.len());
            let positions = (0..n)
                .filter_map(|i| match (at(&a, i), at(&b, i)) {
                    (Some(x), Some(y)) => Some(both(x, y)),
                    (x, y) => x.or(y),
                })
                .collect();
            let rest_written = a.rest_written || b.rest_written;
            let rest = match (a.rest, b.rest) {
                (Some(x), Some(y)) => Some(Box::new(both(*x, *y))),
                (x, y) => x.or(y),
            };
            Some(Items::Tuple(Tuple {
                positions,
                rest,
                rest_written,
            }))
        }
        (a, b) => a.or(b),
    }
}

/// Adds each of `more` that `list` does not hold yet. A part reached along two ways (`allOf`
/// of two schemas that both merge a third) gives its examples and sub-schemas twice, and
/// holding each once keeps a merge the size of what it says, not of the ways to it.
fn join<T: PartialEq>(list: &mut Vec<T>, more: Vec<T>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// A schema both `a` and `b` apply to (`a` alone when they are the same).
fn both(a: Schema, b: Schema) -> Schema {
    if a == b {
        return a;
    }
    Schema {
        file: a.file,
        pointer: a.pointer.clone(),
        all_of: vec![a, b],
        ..Schema::default()
    }
}

fn merge_applicators(
    lowerer: &mut Lowerer<'_>,
    acc: &mut Schema,
    part_pointer: &str,
    part: crate::load::schema::Applicators,
) {
    let mut singles = [
        ("not", part.not),
        ("contains", part.contains),
        ("propertyNames", part.property_names),
    ];
    let a: &mut crate::load::schema::Applicators = &mut acc.applicators;
    let mut slots = [&mut a.not, &mut a.contains, &mut a.property_names];
    let mut clashes = Vec::new();
    // `if`, `then` and `else` act together: one part's `then` or `else` never pairs with
    // another part's `if`, and without an `if` of its own it constrains nothing.
    if let Some(condition) = part.if_schema {
        if a.if_schema.is_some() {
            clashes.push("if");
        } else {
            a.if_schema = Some(condition);
            a.then_schema = part.then_schema;
            a.else_schema = part.else_schema;
        }
    }
    for ((keyword, value), slot) in singles.iter_mut().zip(slots.iter_mut()) {
        match (slot.is_some(), value.take()) {
            (true, Some(_)) => clashes.push(*keyword),
            (false, v) => **slot = v,
            (true, None) => {}
        }
    }
    a.min_contains = max(a.min_contains, part.min_contains);
    a.max_contains = min(a.max_contains, part.max_contains);
    join(&mut a.dependent_required, part.dependent_required);
    join(&mut a.dependent_schemas, part.dependent_schemas);
    join(&mut a.pattern_properties, part.pattern_properties);
    join(&mut a.unevaluated, part.unevaluated);
    acc.applicators.compact();
    for keyword in clashes {
        let d = Diagnostic::warning(
            lowerer.file_name(acc),
            format!("{part_pointer}/{keyword}"),
            format!("`allOf` parts each give `{keyword}`; only the first is checked"),
        )
        .with_hint(format!("give the merged schema a single `{keyword}`"));
        lowerer.diagnostics.push(d);
    }
}

#[cfg(test)]
mod tests;
