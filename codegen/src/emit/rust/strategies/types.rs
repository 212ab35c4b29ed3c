//! The strategies of the generated types: structs field by field, enums from their values,
//! unions branch by branch (a tagged branch carrying its tag).

use super::*;

pub(super) fn structure(ctx: &mut Ctx<'_>, name: &str, s: &Struct) -> Result<String, String> {
    note_applied(ctx, &s.checks);
    let mut items = Vec::new();
    for f in &s.fields {
        items.push((field(ctx, f)?, f.rust_name.clone()));
    }
    if let Additional::Map(values) = &s.additional {
        let extra = crate::ir::names::extra_field_name(s);
        let listed: Vec<String> = s
            .fields
            .iter()
            .map(|f| code::string(&f.wire_name))
            .collect();
        let values = match shape_expr(ctx, values) {
            Ok(v) => format!(
                "proptest::collection::btree_map(s::key_except(&[{}]), {v}, 0..=3).boxed()",
                listed.join(", ")
            ),
            Err(_) => "Just(std::collections::BTreeMap::new()).boxed()".to_owned(),
        };
        items.push((values, extra));
    }
    if s.checks.min_properties.is_some() || s.checks.max_properties.is_some() {
        ctx.notes
            .validate_filter
            .push("`minProperties` / `maxProperties` count the properties present".to_owned());
    }
    if items.is_empty() {
        return Ok(format!("Just({name} {{}}).boxed()"));
    }
    let fields: Vec<&str> = items.iter().map(|(_, n)| n.as_str()).collect();
    let fields = fields.join(", ");
    if items.len() <= 10 {
        // One field's strategy a line, in field order.
        let pat = if items.len() == 1 {
            format!("({fields},)")
        } else {
            format!("({fields})")
        };
        let mut expr = String::from("(");
        for (e, _) in &items {
            expr.push_str(&format!("\n        {e},"));
        }
        expr.push_str("\n    )");
        return Ok(format!(
            "{expr}\n    .prop_map(|{pat}| {name} {{ {fields} }})\n    .boxed()"
        ));
    }
    let (expr, pat) = tuple(&items);
    Ok(format!(
        "{expr}.prop_map(|{pat}| {name} {{ {fields} }}).boxed()"
    ))
}

fn field(ctx: &mut Ctx<'_>, f: &Field) -> Result<String, String> {
    let strategy = field_shape(ctx, &f.shape, analysis::held(f))
        .map_err(|why| format!("property `{}`: {why}", f.wire_name))?;
    // A required field held as an `Option` (`required = "validate"`) is always present.
    Ok(if f.required && f.presence_validated {
        format!("({strategy}).prop_map(Some).boxed()")
    } else {
        strategy
    })
}

pub(super) fn enumeration(name: &str, e: &Enum) -> String {
    let listed: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{name}::{}", v.name))
        .collect();
    let select = format!(
        "proptest::sample::select(vec![{}]).boxed()",
        listed.join(", ")
    );
    if !e.open {
        return select;
    }
    let other = match e.repr {
        EnumRepr::String => {
            let wires: Vec<String> = e
                .variants
                .iter()
                .map(|v| code::string(v.value.as_str().unwrap_or("")))
                .collect();
            format!(
                "s::string(0, 12).prop_filter({}, |v| ![{}].contains(&v.as_str())).prop_map({name}::Other).boxed()",
                code::string("not a listed value"),
                wires.join(", ")
            )
        }
        _ => {
            let values: Vec<String> = e
                .variants
                .iter()
                .map(|v| repr::json_literal(&v.value))
                .collect();
            format!(
                "s::json(1).prop_filter({}, |v| ![{}].iter().any(|l| crate::validation::json_equal(l, v))).prop_map({name}::Other).boxed()",
                code::string("not a listed value"),
                values.join(", ")
            )
        }
    };
    if e.variants.is_empty() {
        return other;
    }
    format!("proptest::strategy::Union::new_weighted(vec![(3, {select}), (1, {other})]).boxed()")
}

pub(super) fn union(ctx: &mut Ctx<'_>, name: &str, u: &Union) -> String {
    let cyclic = ctx.analysis.is_cyclic(ctx.this);
    // Read back from its JSON only when it converts both ways; otherwise validated.
    let reads_back = ctx
        .model
        .get(ctx.this)
        .is_some_and(|d| d.extras.serde.both());
    let mut all = Vec::new();
    let mut shallow = Vec::new();
    for v in &u.variants {
        let Ok(expr) = shape_expr(ctx, &v.shape) else {
            ctx.notes.filters.push(format!(
                "branch `{}` is never generated: no value satisfies it",
                v.name
            ));
            continue;
        };
        let tagged = |expr: String| match (&u.discriminator, v.tags.first()) {
            (Some(property), Some(tag)) if holds_field(&v.shape, property, ctx.model) => {
                if branch_both_ways(&v.shape, ctx.model) {
                    format!(
                        "{expr}.prop_filter_map({}, |v| s::with_tag(v, {}, {})).boxed()",
                        code::string("the branch holds its tag"),
                        code::string(property),
                        code::string(tag)
                    )
                } else {
                    // Without both ways the tag cannot be set through JSON: set on the field.
                    match set_tag(&v.shape, property, tag, ctx.model) {
                        Some(set) => format!("{expr}.prop_map(|mut v| {{ {set}; v }}).boxed()"),
                        None => expr,
                    }
                }
            }
            _ => expr,
        };
        let branch =
            |expr: String| format!("{}.prop_map({name}::{}).boxed()", tagged(expr), v.name);
        if cyclic {
            let before = |t: TypeId| ctx.analysis.before(t, ctx.this);
            if !ctx.analysis.reaches_cycle(&v.shape) {
                shallow.push(branch(expr.clone()));
            } else if let Some(w) = ctx.analysis.witness(&v.shape, ctx.model, &before) {
                shallow.push(branch(w));
            }
        }
        all.push(branch(expr));
    }
    let overlap = match (u.mode, &u.discriminator) {
        _ if !reads_back => "a value is kept when it passes `validate()`",
        (_, Some(_)) => "a value is kept when it reads back as the branch it was built as",
        (UnionMode::OneOf, None) => {
            "a value is kept when exactly one branch accepts it, the one it was built as"
        }
        (UnionMode::AnyOf, None) => {
            "a value is kept when it reads back as the branch it was built as"
        }
    };
    ctx.notes.filters.push(overlap.to_owned());
    let filter = if reads_back {
        format!(
            ".prop_filter({}, s::reads_back).boxed()",
            code::string("reads back as the branch it was built as")
        )
    } else {
        format!(
            ".prop_filter({}, s::valid).boxed()",
            code::string("valid as validate() checks it")
        )
    };
    if cyclic && !shallow.is_empty() {
        let all = format!("proptest::strategy::Union::new(vec![{}])", all.join(", "));
        format!(
            "if depth == 0 {{ proptest::strategy::Union::new(vec![{}]){filter} }} else {{ {all}{filter} }}",
            shallow.join(", ")
        )
    } else {
        // One branch a line, in schema order.
        let branches: String = all.iter().map(|b| format!("\n        {b},")).collect();
        format!("proptest::strategy::Union::new(vec![{branches}\n    ])\n    {filter}")
    }
}

/// Whether a branch's type converts both ways, so that its tag can be set through its JSON.
fn branch_both_ways(shape: &Shape, model: &Model) -> bool {
    match &shape.ty {
        Ty::Named { id, .. } => model.get(*id).is_some_and(|d| d.extras.serde.both()),
        _ => true,
    }
}

/// The statement that sets a struct branch's tag field to `tag` (`v.kind = ..`), when the
/// field holds a string or a string enum with that value; `None` otherwise.
fn set_tag(shape: &Shape, property: &str, tag: &str, model: &Model) -> Option<String> {
    let Ty::Named { id, .. } = &shape.ty else {
        return None;
    };
    let Some(TypeKind::Struct(s)) = model.get(*id).map(|d| &d.kind) else {
        return None;
    };
    let f = s.fields.iter().find(|f| f.wire_name == property)?;
    let value = match &f.shape.ty {
        Ty::String => format!("String::from({})", code::string(tag)),
        Ty::Named { id, boxed: false } => {
            let def = model.get(*id)?;
            let TypeKind::Enum(e) = &def.kind else {
                return None;
            };
            let v = e.variants.iter().find(|v| v.value.as_str() == Some(tag))?;
            format!("{}::{}", def.name, v.name)
        }
        _ => return None,
    };
    let wrapped = match repr::field_repr(f, model).option_layers {
        0 => value,
        1 => format!("Some({value})"),
        _ => format!("Some(Some({value}))"),
    };
    Some(format!("v.{} = {wrapped}", f.rust_name))
}

/// Whether a union branch is a struct with a field for the tag property.
fn holds_field(shape: &Shape, property: &str, model: &Model) -> bool {
    let Ty::Named { id, .. } = &shape.ty else {
        return false;
    };
    matches!(model.get(*id).map(|d| &d.kind),
        Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| f.wire_name == property))
}

#[cfg(test)]
mod tests {
    use super::uses_depth;

    #[test]
    fn depth_is_used_only_as_a_whole_name() {
        assert!(uses_depth("if depth == 0 { s::absent() } else { x }"));
        assert!(uses_depth(
            "s::lazy(move || a_values(depth.saturating_sub(1)))"
        ));
        assert!(uses_depth("b_values(depth)"));
        assert!(!uses_depth(
            "(s::string(0, 16),).prop_map(|(color_depth,)| B { color_depth })"
        ));
        assert!(!uses_depth("depth_values(_x)"));
    }
}
