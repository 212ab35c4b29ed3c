//! Union types: the enum, and the `Deserialize` that picks its branch.
//!
//! A union reads its input once as JSON text (`crate::validation::UnionInput`). A tagged
//! union reads the tag from that text and deserializes the chosen branch from it; when the
//! payload is not an object or carries no tag, it falls back to trying the branches. An
//! untagged union rules out the branches whose JSON type or required properties do not fit
//! before it tries any (`crate::validation::select_branch`).

use super::checks;
use super::code::{self, Code};
use super::repr::{derive, field_repr, shape_type};
use super::rustdoc;
use crate::ir::{
    EnumRepr, Field, Model, Shape, Struct, Ty, TypeDef, TypeKind, Union, UnionMode, UnionVariant,
};

/// Named types followed through newtypes before a branch is taken to hold anything.
const NEWTYPE_DEPTH: u8 = 8;

/// Writes a union's enum, its `Deserialize`, its `Serialize` when some branch may lack the tag,
/// and its `Validate`; the serde impls only for the ways the union converts.
pub fn union(c: &mut Code, def: &TypeDef, u: &Union, model: &Model, statics: &mut checks::Statics) {
    let name = def.name.as_str();
    let types: Vec<String> = u
        .variants
        .iter()
        .map(|v| shape_type(&v.shape, model))
        .collect();
    let tag_lacking = match &u.discriminator {
        Some(property) => !u
            .variants
            .iter()
            .all(|v| always_carries_tag(v, property, model)),
        None => false,
    };
    let ways = def.extras.serde;
    if tag_lacking || !ways.serialize {
        derive(c, &["Debug", "Clone", "PartialEq"], def);
    } else {
        derive(c, &["Debug", "Clone", "PartialEq", "serde::Serialize"], def);
        c.line("#[serde(untagged)]");
    }
    // Each branch holds a whole model by value, as the schema describes it; boxing the
    // larger ones would make building and matching them clumsier for every user.
    c.line("#[allow(clippy::large_enum_variant)]");
    c.open(&format!("pub enum {name} {{"));
    for (v, t) in u.variants.iter().zip(&types) {
        c.doc_lines(&rustdoc::union_variant(
            v,
            u.discriminator.as_deref(),
            model,
        ));
        c.line(&format!("{}({t}),", v.name));
    }
    c.close("}");
    base_accessors(c, name, u, model);
    if ways.deserialize {
        c.blank();
        deserialize_impl(c, name, u, &types, model, statics);
    }
    if let (Some(property), true, true) = (&u.discriminator, tag_lacking, ways.serialize) {
        c.blank();
        tag_serialize(c, name, u, property);
    }
    c.blank();
    checks::union_impl(c, name, u, model, statics);
}

/// Method names an accessor does not take: they would hide a trait's method on the union.
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "deserialize",
    "eq",
    "fmt",
    "ne",
    "serialize",
    "validate",
    "validate_at",
];

/// On the union standing for a base schema: the base's fields that every branch holds with
/// the same name and type, each with its Rust type; each gets an accessor.
pub fn shared_fields<'m>(u: &Union, model: &'m Model) -> Vec<(&'m Field, String)> {
    let Some(TypeKind::Struct(base)) = u.base.and_then(|id| model.get(id)).map(|d| &d.kind) else {
        return Vec::new();
    };
    let branches: Option<Vec<&Struct>> = u
        .variants
        .iter()
        .map(|v| match &v.shape.ty {
            Ty::Named { id, .. } => match model.get(*id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let Some(branches) = branches else {
        return Vec::new();
    };
    base.fields
        .iter()
        .filter(|f| !f.docs.deprecated && !TRAIT_METHODS.contains(&f.rust_name.as_str()))
        .filter_map(|f| {
            let ty = field_repr(f, model).ty;
            let everywhere = branches.iter().all(|s| {
                s.fields
                    .iter()
                    .any(|g| g.rust_name == f.rust_name && field_repr(g, model).ty == ty)
            });
            everywhere.then_some((f, ty))
        })
        .collect()
}

/// An accessor for each of [`shared_fields`] (`pet.name()`, whatever the pet).
fn base_accessors(c: &mut Code, name: &str, u: &Union, model: &Model) {
    let shared = shared_fields(u, model);
    if shared.is_empty() {
        return;
    }
    c.blank();
    c.open(&format!("impl {name} {{"));
    for (i, (f, ty)) in shared.iter().enumerate() {
        let field = f.rust_name.as_str();
        if i > 0 {
            c.blank();
        }
        c.doc_lines(&[format!(
            "The `{}` property, which every branch has.",
            f.wire_name
        )]);
        c.open_fn(
            &format!("pub fn {field}"),
            &["&self".to_owned()],
            &format!("&{ty}"),
        );
        c.open("match self {");
        for v in &u.variants {
            c.arm(&format!("Self::{}(v)", v.name), &format!("&v.{field}"));
        }
        c.close("}");
        c.close("}");
    }
    c.close("}");
}

/// `Deserialize`, which picks the branch.
fn deserialize_impl(
    c: &mut Code,
    name: &str,
    u: &Union,
    types: &[String],
    model: &Model,
    statics: &mut checks::Statics,
) {
    c.open_impl("impl<'de> serde::Deserialize<'de>", name);
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    // Only lower-case names are imported: they cannot shadow a model's.
    c.line("use crate::validation::{branch, kinds, select_branch};");
    branch_table(c, u, model);
    c.line("let input = crate::validation::union_input(deserializer)?;");
    match &u.discriminator {
        Some(property) => tagged(c, u, types, property, model, statics),
        None => {
            select(c, u, types, model, statics);
            c.line(".map_err(serde::de::Error::custom)");
        }
    }
    c.close("}");
    c.close("}");
}

/// The `BRANCHES` constant: what each branch can hold, to rule it out before it is tried.
/// The caller imports `branch` and `kinds`.
pub fn branch_table(c: &mut Code, u: &Union, model: &Model) {
    // Laid out by hand, one branch a line: rustfmt's layout of these calls and their key lists
    // depends on widths and counts.
    c.line("#[rustfmt::skip]");
    c.open("const BRANCHES: &[crate::validation::Branch] = &[");
    for v in &u.variants {
        let (kinds, required) = holds(&v.shape, model);
        let name = code::string(&v.name);
        let keys: Vec<String> = required.iter().map(|k| code::string(k)).collect();
        let one_line = format!("branch({name}, {kinds}, &[{}]),", keys.join(", "));
        if code::width(&one_line) <= c.room() {
            c.line(&one_line);
        } else {
            c.open("branch(");
            c.line(&format!("{name},"));
            c.line(&format!("{kinds},"));
            c.open("&[");
            for key in &keys {
                c.line(&format!("{key},"));
            }
            c.close("],");
            c.close("),");
        }
    }
    c.close("];");
}

/// The `kinds` expression of what a branch can hold, and the properties it requires of an
/// object. Sound rather than tight: a branch is ruled out only when it could not deserialize.
fn holds(shape: &Shape, model: &Model) -> (String, Vec<String>) {
    let (kind, nullable, required) = holds_ty(&shape.ty, model, 0);
    let kinds = if kind != "ANY" && (shape.nullable || nullable) {
        format!("kinds::{kind} | kinds::NULL")
    } else {
        format!("kinds::{kind}")
    };
    (kinds, required)
}

/// The `kinds` constant for a type, whether it takes `null` itself, and the wire names of the
/// fields serde requires (those without a `default`).
fn holds_ty(ty: &Ty, model: &Model, depth: u8) -> (&'static str, bool, Vec<String>) {
    match ty {
        // A type from outside the crate may read any JSON.
        Ty::Any | Ty::External(_) => ("ANY", false, Vec::new()),
        Ty::Bool => ("BOOLEAN", false, Vec::new()),
        Ty::Int(_) | Ty::Float(_) => ("NUMBER", false, Vec::new()),
        Ty::String | Ty::Typed(_) => ("STRING", false, Vec::new()),
        Ty::Array(_) | Ty::Tuple(_) => ("ARRAY", false, Vec::new()),
        Ty::Map(_) => ("OBJECT", false, Vec::new()),
        Ty::Named { id, .. } => match model.get(*id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let required = s
                    .fields
                    .iter()
                    .filter(|f| {
                        let repr = field_repr(f, model);
                        !repr
                            .serde
                            .iter()
                            .any(|a| a == "default" || a.starts_with("default "))
                    })
                    .map(|f| f.wire_name.clone())
                    .collect();
                ("STRUCT", false, required)
            }
            Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => ("ENUM", false, Vec::new()),
            Some(TypeKind::Newtype(inner)) if depth < NEWTYPE_DEPTH => {
                let (kind, nullable, required) = holds_ty(&inner.ty, model, depth + 1);
                (kind, nullable || inner.nullable, required)
            }
            _ => ("ANY", false, Vec::new()),
        },
    }
}

/// `select_branch(..)` over every branch of `u`, taking `input`.
fn select(c: &mut Code, u: &Union, types: &[String], model: &Model, statics: &mut checks::Statics) {
    let exactly_one = u.mode == UnionMode::OneOf;
    c.open(&format!(
        "select_branch(input, BRANCHES, {exactly_one}, |branch, input| match branch {{"
    ));
    let last = u.variants.len().saturating_sub(1);
    for (i, (v, t)) in u.variants.iter().zip(types).enumerate() {
        let pattern = if i == last {
            "_".to_owned()
        } else {
            i.to_string()
        };
        // A branch's own checks (beyond its type's) decide whether it matches too.
        let mark = c.mark();
        c.open(&format!("{pattern} => {{"));
        c.line(&format!("let (v, ok) = input.try_branch::<{t}>()?;"));
        c.open("let ok = ok && {");
        if checks::branch_passes(c, &v.shape, model, statics) {
            c.close("};");
            c.line(&format!("Ok((Self::{}(v), ok))", v.name));
            c.close("}");
        } else {
            c.reset(mark);
            c.arm(&pattern, &format!("input.try_branch_as(Self::{})", v.name));
        }
    }
    c.close("})");
}

/// The body of a tagged union's `deserialize`: the tag chooses the branch; without a tag,
/// the branches are tried.
fn tagged(
    c: &mut Code,
    u: &Union,
    types: &[String],
    property: &str,
    model: &Model,
    statics: &mut checks::Statics,
) {
    let key = code::string(property);
    c.open(&format!("match input.tag({key}).as_deref() {{"));
    for v in &u.variants {
        let pattern = v
            .tags
            .iter()
            .map(|t| format!("Some({})", code::string(t)))
            .collect::<Vec<_>>()
            .join(" | ");
        if carries_tag(v, property, model) {
            c.arm(&pattern, &format!("input.parse().map(Self::{})", v.name));
        } else {
            // The branch has no field for the tag: it is taken off, and put back when serializing.
            c.arm(
                &pattern,
                &format!("input.parse_without({key}).map(Self::{})", v.name),
            );
        }
    }
    let unknown = code::string(&format!("unknown {property} `{{other}}`"));
    c.arm("Some(other)", &format!("Err(format!({unknown}))"));
    c.line("// Not an object, or no tag: the branches that fit the payload are tried.");
    c.open("None => {");
    select(c, u, types, model, statics);
    c.close("}");
    c.close("}");
    c.line(".map_err(serde::de::Error::custom)");
}

/// `Serialize` for a tagged union some of whose branches do not hold the tag as a field.
fn tag_serialize(c: &mut Code, name: &str, u: &Union, property: &str) {
    c.line("/// Serializes the branch with its tag, which some branches do not hold as a field.");
    c.open_impl("impl serde::Serialize", name);
    c.open("fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {");
    c.open("let (tag, value) = match self {");
    for v in &u.variants {
        let tag = code::string(v.tags.first().map_or("", String::as_str));
        c.arm(
            &format!("Self::{}(v)", v.name),
            &format!("({tag}, serde_json::to_value(v))"),
        );
    }
    c.close("};");
    c.line("let mut value = value.map_err(serde::ser::Error::custom)?;");
    c.open("if let serde_json::Value::Object(object) = &mut value {");
    c.line("object");
    c.depth_in();
    c.line(&format!(".entry({})", code::string(property)));
    c.line(".or_insert_with(|| serde_json::Value::String(tag.to_owned()));");
    c.depth_out();
    c.close("}");
    c.line("serde::Serialize::serialize(&value, serializer)");
    c.close("}");
    c.close("}");
}

/// Whether a tagged branch always serializes the tag itself: a struct whose field for it is
/// required (an optional one may be empty, and the tag is then added when serializing).
/// Branches that are not structs are taken to carry it.
fn always_carries_tag(v: &UnionVariant, property: &str, model: &Model) -> bool {
    let Ty::Named { id, .. } = &v.shape.ty else {
        return true;
    };
    match model.get(*id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .any(|f| f.wire_name == property && f.required && !f.presence_validated),
        _ => true,
    }
}

/// Whether a tagged branch holds the tag property itself (a struct with that field).
/// Branches that are not structs are taken to carry it.
pub fn carries_tag(v: &UnionVariant, property: &str, model: &Model) -> bool {
    let Ty::Named { id, .. } = &v.shape.ty else {
        return true;
    };
    match model.get(*id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire_name == property),
        _ => true,
    }
}
