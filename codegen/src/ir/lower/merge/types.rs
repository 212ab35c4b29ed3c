//! `type` across `allOf` parts: the types each part declares, and the types both allow.

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::load::schema::{JsonType, Schema, MAX_DEPTH};

/// The JSON types a schema's `type` allows (following `$ref`s, or, without a `type`, the types
/// of every branch of its `anyOf` or `oneOf`, or those every typed `allOf` part allows) and
/// whether it allows `null`; `None` when no `type` says so (a branch without a `type`, no
/// `type`, or `allOf` parts that disagree, which `merge_types` reads leniently).
pub(in crate::ir::lower) fn declared_types(
    lowerer: &Lowerer<'_>,
    schema: &Schema,
    depth: usize,
) -> Option<(Vec<JsonType>, bool)> {
    if depth > MAX_DEPTH || schema.never {
        return None;
    }
    if !schema.all_of.is_empty() {
        let mut own = schema.clone();
        let parts = std::mem::take(&mut own.all_of);
        let mut known = Vec::new();
        for part in std::iter::once(&own).chain(&parts) {
            if let Some(types) = declared_types(lowerer, part, depth + 1) {
                known.push(types);
            }
        }
        let mut known = known.into_iter();
        let (mut types, mut nullable) = known.next()?;
        for (more, null) in known {
            types = common_types(&types, &more);
            nullable &= null;
        }
        return (!types.is_empty() || nullable).then_some((types, nullable));
    }
    let (types, nullable) = match (&schema.types, &schema.reference) {
        (Some(types), _) => (types.clone(), schema.nullable),
        (None, Some(reference)) => {
            let target = lowerer.target_schema(reference.target.as_ref()?)?;
            let (types, nullable) = declared_types(lowerer, target, depth + 1)?;
            (types, nullable || schema.nullable)
        }
        // `anyOf`/`oneOf` alone, each branch with its types: any branch's.
        (None, None) => {
            let branches = if schema.one_of.is_empty() {
                &schema.any_of
            } else if schema.any_of.is_empty() {
                &schema.one_of
            } else {
                return None;
            };
            if branches.is_empty() {
                return None;
            }
            let mut types: Vec<JsonType> = Vec::new();
            let mut nullable = schema.nullable;
            for branch in branches {
                let (more, null) = declared_types(lowerer, branch, depth + 1)?;
                nullable |= null;
                for t in more {
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
            (types, nullable)
        }
    };
    let null = nullable || types.contains(&JsonType::Null);
    Some((
        types.into_iter().filter(|t| *t != JsonType::Null).collect(),
        null,
    ))
}

/// The types two `allOf` parts both allow. When they share none, the
/// parts disagree and no value but perhaps `null` could match; rather than
/// a type that rejects every payload, the merge takes the reading that
/// real payloads fit, and says so:
/// - a part that allows `null` only (`type: "null"` beside `allOf: [X]`):
///   `X` or `null`;
/// - otherwise: any of the listed types (`validate()` checks the value is
///   one of them), as if the parts were alternatives.
pub(super) fn merge_types(
    lowerer: &mut Lowerer<'_>,
    acc: &mut Schema,
    part_pointer: &str,
    a: Vec<JsonType>,
    b: Vec<JsonType>,
    part_nullable: bool,
) -> Vec<JsonType> {
    let both = common_types(&a, &b);
    // Parts that both allow `null` besides disjoint types still agree on `null`.
    if !both.is_empty() || (acc.nullable && part_nullable) {
        return both;
    }
    let names = |v: &[JsonType]| v.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
    let null_only = |types: &[JsonType], nullable: bool| types.is_empty() && nullable;
    let (message, merged) = if null_only(&a, acc.nullable) || null_only(&b, part_nullable) {
        let other = if a.is_empty() { b } else { a };
        acc.nullable = true;
        (
            format!(
                "`allOf` parts disagree on the type: one allows only `null`, the other [{}]; read as [{}] or null",
                names(&other),
                names(&other)
            ),
            other,
        )
    } else {
        let mut either = a.clone();
        either.extend(b.iter().copied().filter(|t| !a.contains(t)));
        (
            format!(
                "`allOf` parts disagree on the type, [{}] against [{}], so no value could match; any of [{}] is accepted",
                names(&a),
                names(&b),
                names(&either)
            ),
            either,
        )
    };
    let d = Diagnostic::warning(
        lowerer.file_name(acc),
        format!("{part_pointer}/type"),
        message,
    )
    .with_hint("make the parts agree, or use `oneOf` for alternatives");
    lowerer.diagnostics.push(d);
    merged
}

/// The types both lists allow (`integer` is a `number`).
pub(super) fn common_types(a: &[JsonType], b: &[JsonType]) -> Vec<JsonType> {
    a.iter()
        .copied()
        .filter(|t| b.contains(t) || (*t == JsonType::Integer && b.contains(&JsonType::Number)))
        .chain(
            b.iter()
                .copied()
                .filter(|t| *t == JsonType::Integer && a.contains(&JsonType::Number)),
        )
        .collect()
}
