//! Property-test strategies (`src/arbitrary.rs`, behind the crate feature `proptest`):
//! for every type, values that pass `validate()` and read back from their JSON unchanged.
//!
//! Values are built to satisfy each check rather than drawn and thrown away: numbers
//! from the integer range the bounds and `multipleOf` leave, strings from the pattern
//! or format, collections within their counts. Filters remain where construction cannot
//! be exact (patterns outside the regex subset proptest generates from, unions whose
//! branches overlap, property counts), and each filtered strategy says so in its docs.
//!
//! A type no value can satisfy gets no strategy, nor do the types that need it; each is
//! reported as a warning (see [`diagnostics`]).

mod analysis;
mod scalars;
mod tuples;
mod types;

use super::code::{self, Code};
use super::features::write_gate;
use super::{checks, repr, HEADER};
use crate::diagnostic::Diagnostic;
use crate::emit::wording;
use crate::ir::{
    Additional, Constraint, Enum, EnumRepr, Field, Model, Shape, Struct, Ty, TypeDef, TypeId,
    TypeKind, Union, UnionMode,
};
use analysis::Analysis;
use heck::ToSnakeCase;
use types::{enumeration, structure, union};

/// How deep recursive types nest in generated values.
const DEPTH: u32 = 3;

/// Why a value of a type from outside the crate cannot be built; a type that fails for this
/// reason has a value, only not one strategies can build.
const OUTSIDE: &str = "a type from outside the crate, which has no strategy here";

/// Whether a type lacks a strategy only for a type from outside the crate.
fn for_outside_type(reason: &str) -> bool {
    reason.contains(OUTSIDE)
}

/// The support module copied into the crate with the strategies.
pub const RUNTIME: &str = include_str!("../../../runtime/strategies.rs");

/// A warning for each type that gets no strategy, with the reason, and for each type from
/// outside the crate, which has none.
pub fn diagnostics(model: &Model) -> Vec<Diagnostic> {
    let analysis = Analysis::new(model);
    let mut out = external_uses(model);
    let unsatisfiable = model.types.iter().enumerate().filter_map(|(i, def)| {
        let reason = analysis.unsatisfiable(TypeId(i))?;
        let message = if for_outside_type(reason) {
            format!("no strategy can build `{}`: {reason}", def.name)
        } else {
            format!("no value can satisfy `{}`: {reason}", def.name)
        };
        Some(
            Diagnostic::warning(&def.origin.file, &def.origin.pointer, message)
                .with_hint("its property-test strategy (feature `proptest`) is not generated"),
        )
    });
    out.extend(unsatisfiable);
    out
}

/// One warning per type from outside the crate, at its first use: strategies cannot build it.
fn external_uses(model: &Model) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for def in &model.types {
        let mut paths = Vec::new();
        def.kind.walk_stored(&mut |shape| {
            if let Ty::External(external) = &shape.ty {
                paths.push(external.path.as_str());
            }
        });
        for path in paths {
            if seen.insert(path) {
                out.push(
                    Diagnostic::warning(
                        &def.origin.file,
                        &def.origin.pointer,
                        format!("`{path}` replaces a schema or a format here: property-test strategies (feature `proptest`) build no value of it"),
                    )
                    .with_hint("an optional field of it is always absent in generated values, a union branch of it is never drawn, and a model that must hold one gets no strategy"),
                );
            }
        }
    }
    out
}

/// `src/arbitrary.rs`: a strategy function for every satisfiable type, and
/// `Arbitrary` for each one the crate defines (aliases take their target's).
pub fn file(model: &Model, features: Option<&super::features::Features>) -> String {
    let gate = |id: TypeId| features.map(|f| f.of_type(id)).unwrap_or_default();
    let analysis = Analysis::new(model);
    let mut c = Code::new();
    c.line(HEADER);
    c.inner_doc_lines(&[
        "Property-test strategies: values of every model that pass `validate()` and read back"
            .to_owned(),
        "from their JSON unchanged. Each model implements `proptest::arbitrary::Arbitrary`, so"
            .to_owned(),
        "`proptest::prelude::any::<Model>()` works; each function here takes the depth to which"
            .to_owned(),
        "recursive types nest.".to_owned(),
    ]);
    c.line("#![allow(deprecated, unused_imports)]");
    c.blank();
    c.line("use crate::models::*;");
    c.line("use crate::strategies as s;");
    c.line("use proptest::strategy::{BoxedStrategy, Just, Strategy};");
    c.blank();
    c.line("/// How deep recursive types nest in the values of `Arbitrary`.");
    c.line(&format!("pub const DEPTH: u32 = {DEPTH};"));
    let mut checked = Vec::new();
    for (i, def) in model.types.iter().enumerate() {
        let id = TypeId(i);
        c.blank();
        if let Some(reason) = analysis.unsatisfiable(id) {
            let why = if for_outside_type(reason) {
                "no strategy can build it"
            } else {
                "no value can satisfy it"
            };
            c.line(&format!(
                "// No strategy for `{}`: {why} ({}).",
                def.name,
                reason.replace('\n', " ")
            ));
            continue;
        }
        let gate = gate(id);
        if type_strategy(&mut c, def, id, model, &analysis, &gate) {
            checked.push((def, gate));
        }
    }
    c.blank();
    c.line("/// Draws `cases` values of every model (`PROPTEST_CASES` overrides it) and checks that each");
    c.line("/// passes `validate()` and reads back from its JSON to the same JSON; one message a failure.");
    c.line("///");
    c.line(
        "/// Runs on a thread of its own with a large stack (see `strategies::on_large_stack`).",
    );
    if checked.iter().any(|(d, _)| !d.extras.serde.both()) {
        c.line("///");
        c.line(
            "/// A model that does not deserialize is checked to validate and serialize, one that",
        );
        c.line("/// does not serialize to validate.");
    }
    c.line("pub fn check_every_model(cases: u32) -> Vec<String> {");
    c.depth_in();
    c.open("s::on_large_stack(move || {");
    // With no model's feature on, nothing is drawn.
    let gated = features.is_some();
    if gated {
        c.line("#[allow(unused_variables)]");
    }
    c.line("let cases = s::cases(cases);");
    if gated {
        c.line("#[allow(unused_mut)]");
    }
    c.line("let mut failures = Vec::new();");
    for (def, gate) in checked {
        write_gate(&mut c, &gate);
        let check = match (def.extras.serde.serialize, def.extras.serde.deserialize) {
            (true, true) => "check",
            (true, false) => "check_serializes",
            (false, _) => "check_valid",
        };
        c.line(&format!(
            "failures.extend(s::{check}::<{}>({}, {}(DEPTH), cases).err());",
            def.name,
            code::string(&def.name),
            fn_name(def)
        ));
    }
    c.line("failures");
    c.close("})");
    c.close("}");
    c.finish()
}

/// The strategy function's name for a type.
fn fn_name(def: &TypeDef) -> String {
    function_name(&def.name)
}

/// The name of the strategy function, in `arbitrary`, of the type named `type_name`.
pub fn function_name(type_name: &str) -> String {
    format!("{}_values", type_name.to_snake_case())
}

/// What one type's strategy needs beyond its expression.
#[derive(Default)]
struct Notes {
    /// Values are kept only when `validate()` passes; the reasons, for the docs.
    validate_filter: Vec<String>,
    /// Other filters, for the docs.
    filters: Vec<String>,
}

/// The context of one type's strategy.
struct Ctx<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
    /// The type being written.
    this: TypeId,
    notes: Notes,
}

/// Writes a type's strategy function and `Arbitrary` impl; `false` when it has none.
fn type_strategy(
    c: &mut Code,
    def: &TypeDef,
    id: TypeId,
    model: &Model,
    analysis: &Analysis,
    gate: &[&str],
) -> bool {
    let mut ctx = Ctx {
        model,
        analysis,
        this: id,
        notes: Notes::default(),
    };
    let name = def.name.as_str();
    let alias = checks::is_alias(def, model);
    let body = match &def.kind {
        TypeKind::Struct(s) => structure(&mut ctx, name, s),
        TypeKind::Enum(e) => Ok(enumeration(name, e)),
        TypeKind::Union(u) => Ok(union(&mut ctx, name, u)),
        TypeKind::Newtype(shape) => field_shape(&mut ctx, shape, true).map(|inner| {
            if alias {
                inner
            } else {
                format!("{inner}.prop_map({name}).boxed()")
            }
        }),
    };
    let body = match body {
        Ok(body) => body,
        Err(why) => {
            c.line(&format!("// No strategy for `{name}`: {why}."));
            return false;
        }
    };
    let body = if ctx.notes.validate_filter.is_empty() {
        body
    } else {
        format!(
            "{body}.prop_filter({}, |v| crate::validation::Validate::validate(v).is_ok()).boxed()",
            code::string("valid as validate() checks it")
        )
    };
    let mut docs = vec![format!(
        "Valid `{name}` values; recursive types nest at most `depth` levels."
    )];
    let mut filters = ctx.notes.filters;
    filters.extend(
        ctx.notes
            .validate_filter
            .iter()
            .map(|why| format!("values are kept only when `validate()` passes ({why})")),
    );
    if !filters.is_empty() {
        docs.push(String::new());
        docs.push("Filtered, not built exactly:".to_owned());
        docs.extend(filters.iter().map(|f| format!("- {f}")));
    }
    c.doc_lines(&docs);
    write_gate(c, gate);
    let param = if uses_depth(&body) { "depth" } else { "_depth" };
    c.line(&format!(
        "pub fn {}({param}: u32) -> BoxedStrategy<{name}> {{",
        fn_name(def)
    ));
    c.depth_in();
    c.line(&body);
    c.close("}");
    if !alias {
        c.blank();
        write_gate(c, gate);
        c.open_impl("impl proptest::arbitrary::Arbitrary", name);
        c.line("type Parameters = ();");
        c.line("type Strategy = BoxedStrategy<Self>;");
        c.blank();
        c.open("fn arbitrary_with(_args: Self::Parameters) -> Self::Strategy {");
        c.line(&format!("{}(DEPTH)", fn_name(def)));
        c.close("}");
        c.close("}");
    }
    true
}

/// Whether a strategy expression uses the variable `depth` (not merely a name holding the
/// word, such as the field `color_depth`).
fn uses_depth(body: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    body.match_indices("depth").any(|(at, _)| {
        let before = body.get(..at).and_then(|b| b.chars().next_back());
        let after = body
            .get(at + "depth".len()..)
            .and_then(|a| a.chars().next());
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// The strategy of a field or newtype shape (`Option` for nullable included, and one more
/// for an optional field), switching to a value that nests no further at depth 0 where
/// the shape reaches a recursive type.
fn field_shape(ctx: &mut Ctx<'_>, shape: &Shape, held: bool) -> Result<String, String> {
    let full = shape_expr(ctx, shape);
    let recursive = ctx.analysis.reaches_cycle(shape);
    if !held {
        return Ok(match full {
            Ok(full) => {
                let full = format!("proptest::option::of({full}).boxed()");
                if recursive {
                    format!("if depth == 0 {{ s::absent() }} else {{ {full} }}")
                } else {
                    full
                }
            }
            // No value fits: the property is always absent.
            Err(_) => "s::absent()".to_owned(),
        });
    }
    let full = full?;
    if !recursive {
        return Ok(full);
    }
    let before = |t: TypeId| ctx.analysis.before(t, ctx.this);
    Ok(match ctx.analysis.witness(shape, ctx.model, &before) {
        Some(w) => format!("if depth == 0 {{ {w} }} else {{ {full} }}"),
        None => full,
    })
}

/// The strategy of a shape, or why no value fits it.
fn shape_expr(ctx: &mut Ctx<'_>, shape: &Shape) -> Result<String, String> {
    note_applied(ctx, &shape.checks);
    note_unbuilt(ctx, &shape.checks);
    let inner = match &shape.ty {
        Ty::Named { id, boxed } => {
            if !shape.checks.is_empty() {
                ctx.notes
                    .validate_filter
                    .push("a reference carries checks of its own".to_owned());
            }
            named(ctx, *id, *boxed)
        }
        Ty::Array(_) if !shape.checks.tuple.is_empty() || shape.checks.items.is_some() => {
            tuples::listed(ctx, shape)
        }
        Ty::Array(item) => array(ctx, shape, item),
        Ty::Tuple(positions) => tuples::fixed(ctx, shape, positions),
        Ty::Map(value) => map(ctx, shape, value),
        _ => scalars::expr(shape, ctx.model, &mut ctx.notes),
    };
    match (inner, shape.nullable) {
        (Ok(inner), true) => Ok(format!("proptest::option::of({inner}).boxed()")),
        (Ok(inner), false) => Ok(inner),
        (Err(_), true) => Ok("s::absent()".to_owned()),
        (Err(why), false) => Err(why),
    }
}

/// A use of another generated type: one level deeper when it is recursive.
fn named(ctx: &Ctx<'_>, id: TypeId, boxed: bool) -> Result<String, String> {
    let def = ctx
        .model
        .get(id)
        .ok_or_else(|| "refers to an unknown type".to_owned())?;
    if ctx.analysis.unsatisfiable(id).is_some() {
        return Err(format!("needs `{}`, which no value can satisfy", def.name));
    }
    let call = named_call(ctx.analysis, def, id, "depth.saturating_sub(1)", "depth");
    Ok(if boxed {
        format!("{call}.prop_map(Box::new).boxed()")
    } else {
        call
    })
}

/// The call of a type's strategy function: lazily, one level down, for recursive types.
fn named_call(analysis: &Analysis, def: &TypeDef, id: TypeId, down: &str, same: &str) -> String {
    let f = fn_name(def);
    if analysis.is_cyclic(id) {
        format!("s::lazy(move || {f}({down}))")
    } else {
        format!("{f}({same})")
    }
}

fn array(ctx: &mut Ctx<'_>, shape: &Shape, item: &Shape) -> Result<String, String> {
    let checks = &shape.checks;
    let min = checks.min_items.unwrap_or(0);
    let max = checks.max_items.unwrap_or(min + 4);
    if min > max {
        return Err(format!("minItems {min} is greater than maxItems {max}"));
    }
    let item = match shape_expr(ctx, item) {
        Ok(item) => item,
        Err(_) if min == 0 => return Ok("Just(Vec::new()).boxed()".to_owned()),
        Err(why) => return Err(format!("its items: {why}")),
    };
    let max = max.min(min + 8);
    let vec = format!("proptest::collection::vec({item}, {min}..={max})");
    if checks.unique_items && min > 0 {
        ctx.notes
            .filters
            .push("`uniqueItems`: duplicates are removed, then too short lists dropped".into());
        Ok(format!(
            "{vec}.prop_map(s::unique).prop_filter({}, move |v| s::at_least(v, {min})).boxed()",
            code::string("minItems after removing duplicates")
        ))
    } else if checks.unique_items {
        Ok(format!("{vec}.prop_map(s::unique).boxed()"))
    } else {
        Ok(format!("{vec}.boxed()"))
    }
}

fn map(ctx: &mut Ctx<'_>, shape: &Shape, value: &Shape) -> Result<String, String> {
    let checks = &shape.checks;
    let min = checks.min_properties.unwrap_or(0);
    let max = checks.max_properties.unwrap_or(min + 4);
    if min > max {
        return Err(format!(
            "minProperties {min} is greater than maxProperties {max}"
        ));
    }
    let value = match shape_expr(ctx, value) {
        Ok(value) => value,
        Err(_) if min == 0 => {
            return Ok("Just(std::collections::BTreeMap::new()).boxed()".to_owned())
        }
        Err(why) => return Err(format!("its values: {why}")),
    };
    let max = max.min(min + 8);
    Ok(format!(
        "proptest::collection::btree_map(s::key(), {value}, {min}..={max}).boxed()"
    ))
}

/// Groups expressions into nested tuples of at most ten (proptest's tuples end at twelve),
/// returning the tuple expression and the matching pattern.
fn tuple(items: &[(String, String)]) -> (String, String) {
    if items.len() <= 10 {
        let exprs: Vec<&str> = items.iter().map(|(e, _)| e.as_str()).collect();
        let pats: Vec<&str> = items.iter().map(|(_, p)| p.as_str()).collect();
        let comma = if items.len() == 1 { "," } else { "" };
        return (
            format!("({}{comma})", exprs.join(", ")),
            format!("({}{comma})", pats.join(", ")),
        );
    }
    let groups: Vec<(String, String)> = items.chunks(10).map(tuple).collect();
    tuple(&groups)
}

/// Sub-schema checks (`not`, `if`/`then`/`else`, `contains`, `dependentSchemas`, patterns of
/// keys, branches beside properties ...) are not built into the values: they are kept only
/// when `validate()` passes.
fn note_filter(ctx: &mut Ctx<'_>, why: &str) {
    ctx.notes.validate_filter.push(why.to_owned());
}

/// Keyword constraints that no generator below builds values within: those values are kept
/// only when `validate()` passes.
fn note_unbuilt(ctx: &mut Ctx<'_>, checks: &crate::ir::Checks) {
    for constraint in checks.constraints() {
        if !built(constraint) {
            let why = format!(
                "{} is not built into the values",
                wording::words(constraint)
            );
            ctx.notes.validate_filter.push(why);
        }
    }
}

/// Whether the generators handle a keyword constraint themselves: build values within it
/// (`scalars.rs`, `tuples.rs`, arrays and maps here), or filter by it and say so. A new
/// constraint is `false` until a generator handles it, and is then filtered by `validate()`.
fn built(constraint: Constraint<'_>) -> bool {
    match constraint {
        Constraint::MinLength(_)
        | Constraint::MaxLength(_)
        | Constraint::Pattern(_)
        | Constraint::Format(_)
        | Constraint::Minimum(_)
        | Constraint::Maximum(_)
        | Constraint::MultipleOf(_)
        | Constraint::MinItems(_)
        | Constraint::MaxItems(_)
        | Constraint::UniqueItems
        | Constraint::MinProperties(_)
        | Constraint::MaxProperties(_) => true,
    }
}

fn note_applied(ctx: &mut Ctx<'_>, checks: &crate::ir::Checks) {
    if checks.applied.is_some() {
        ctx.notes
            .validate_filter
            .push("sub-schema checks such as `not`, `if` or `contains`".to_owned());
    }
}
