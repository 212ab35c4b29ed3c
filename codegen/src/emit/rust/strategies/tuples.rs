//! Strategies for tuples: a Rust tuple of the positions' strategies, or, for a tuple held as
//! `Vec<serde_json::Value>`, each position's value as JSON followed by items after them.

use super::{note_filter, shape_expr, Ctx};
use crate::emit::rust::repr::{shape_type, tuple_of};
use crate::ir::Shape;

/// A fixed-length tuple: one strategy per position.
pub(super) fn fixed(
    ctx: &mut Ctx<'_>,
    shape: &Shape,
    positions: &[Shape],
) -> Result<String, String> {
    if shape.checks.unique_items {
        note_filter(ctx, "`uniqueItems` across a tuple's positions");
    }
    let mut each = Vec::new();
    for (i, position) in positions.iter().enumerate() {
        each.push(shape_expr(ctx, position).map_err(|why| format!("its position {i}: {why}"))?);
    }
    Ok(format!("{}.boxed()", tuple_of(&each)))
}

/// A tuple of any length in `minItems..=maxItems`: the positions' values (as JSON) in order,
/// then items of the `items` schema (any JSON when it has none), cut to a drawn length. Any
/// such prefix is valid, since a position is checked only when present.
pub(super) fn listed(ctx: &mut Ctx<'_>, shape: &Shape) -> Result<String, String> {
    let checks = &shape.checks;
    if checks.unique_items {
        note_filter(ctx, "`uniqueItems` across a tuple's items");
    }
    let min = checks.min_items.unwrap_or(0);
    let mut max = checks.max_items.unwrap_or(u64::MAX);
    let mut positions = Vec::new();
    for (i, position) in checks.tuple.iter().enumerate() {
        match shape_expr(ctx, position) {
            Ok(e) => positions.push(as_json(ctx, position, &e)),
            // Positions past `minItems` may be left out.
            Err(_) if i as u64 >= min => {
                max = max.min(i as u64);
                break;
            }
            Err(why) => return Err(format!("its position {i}: {why}")),
        }
    }
    let n = positions.len() as u64;
    if min > max {
        return Err(format!("minItems {min} is greater than maxItems {max}"));
    }
    // Items after the positions: as many as `minItems` needs, and a few more when allowed.
    let rest_min = min.saturating_sub(n);
    let rest_max = if max > n {
        (max - n).min(rest_min + 3)
    } else {
        0
    };
    let rest = if rest_max == 0 || n < checks.tuple.len() as u64 {
        max = max.min(n);
        "Just(Vec::<serde_json::Value>::new())".to_owned()
    } else {
        let item = match &checks.items {
            Some(item) => shape_expr(ctx, item).map(|e| as_json(ctx, item, &e)),
            None => Ok("s::json(2)".to_owned()),
        };
        match item {
            Ok(item) => format!("proptest::collection::vec({item}, {rest_min}..={rest_max})"),
            Err(_) if rest_min == 0 => {
                max = max.min(n);
                "Just(Vec::<serde_json::Value>::new())".to_owned()
            }
            Err(why) => return Err(format!("its items: {why}")),
        }
    };
    let longest = max.min(n + rest_max);
    if min > longest {
        return Err(format!("minItems {min} cannot be reached"));
    }
    let positions = if positions.is_empty() {
        "Vec::<BoxedStrategy<serde_json::Value>>::new()".to_owned()
    } else {
        format!("vec![{}]", positions.join(", "))
    };
    Ok(format!(
        "({positions}, {rest}, {min}usize..={longest}usize).prop_map(|(mut items, rest, len)| {{ items.extend(rest); items.truncate(len); items }}).boxed()"
    ))
}

/// `strategy`, of `shape`'s Rust type (named, since a strategy such as `Just(BTreeMap::new())`
/// leaves it open), drawing its JSON form.
fn as_json(ctx: &Ctx<'_>, shape: &Shape, strategy: &str) -> String {
    let ty = shape_type(shape, ctx.model);
    format!("{strategy}.prop_map(|v: {ty}| serde_json::to_value(v).unwrap_or_default()).boxed()")
}
