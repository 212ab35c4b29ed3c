//! Rust expressions that build a value of a shape, for the union pages.
//!
//! Each expression is real Rust against the generated crate: constructors
//! (`Cat::new(..)`) with the schema's examples where there are some, and
//! the plainest value of each type otherwise (`String::new()`, `0`,
//! `Vec::new()`, `None` for nullable uses). Placeholders may not satisfy
//! the schema's constraints; the snippet shows how to build, not what to send.

use super::checks::is_alias;
use crate::ir::{FloatKind, Model, Shape, Ty, TypeKind, Typed, Union, UnionVariant};
use serde_json::Value;

/// Deeper than this, required fields of required fields are not expanded
/// further (only a schema that can never be satisfied gets there).
const MAX_DEPTH: usize = 6;

/// An expression that builds `variant` of the union `name`
/// (`Pet::Cat(Cat::new(..))`); a tagged branch gets its tag.
pub fn union_variant(name: &str, union: &Union, variant: &UnionVariant, model: &Model) -> String {
    variant_at(name, union, variant, model, 0)
}

fn variant_at(
    name: &str,
    union: &Union,
    variant: &UnionVariant,
    model: &Model,
    depth: usize,
) -> String {
    let tag = union
        .discriminator
        .as_deref()
        .zip(variant.tags.first().map(String::as_str));
    let value = build(&variant.shape, None, model, tag, depth + 1);
    format!("{name}::{}({value})", variant.name)
}

fn build(
    shape: &Shape,
    example: Option<&Value>,
    model: &Model,
    tag: Option<(&str, &str)>,
    depth: usize,
) -> String {
    if shape.nullable {
        return "None".to_owned();
    }
    match &shape.ty {
        Ty::Any => "serde_json::Value::Null".to_owned(),
        Ty::Bool => match example {
            Some(Value::Bool(b)) => b.to_string(),
            _ => "false".to_owned(),
        },
        Ty::Int(kind) => match example {
            Some(Value::Number(n)) => kind.value(n).unwrap_or(0).to_string(),
            _ => "0".to_owned(),
        },
        Ty::Float(kind) => match example.and_then(Value::as_f64) {
            Some(f) if f.is_finite() && (*kind == FloatKind::F64 || (f as f32).is_finite()) => {
                format!("{f:?}")
            }
            _ => "0.0".to_owned(),
        },
        Ty::String => match example {
            Some(Value::String(s)) => format!("String::from({s:?})"),
            _ => "String::new()".to_owned(),
        },
        Ty::Typed(Typed::DateTime) => "chrono::DateTime::UNIX_EPOCH.fixed_offset()".to_owned(),
        Ty::Typed(Typed::Date) => "chrono::NaiveDate::MIN".to_owned(),
        Ty::Typed(Typed::Uuid) => "uuid::Uuid::nil()".to_owned(),
        // A type from outside the crate: how to build one is its own business.
        Ty::External(external) => format!("/* a {} value */", external.path),
        Ty::Array(_) => "Vec::new()".to_owned(),
        Ty::Tuple(positions) => {
            let items = example.and_then(Value::as_array);
            let values: Vec<String> = positions
                .iter()
                .enumerate()
                .map(|(i, p)| build(p, items.and_then(|a| a.get(i)), model, None, depth + 1))
                .collect();
            super::repr::tuple_of(&values)
        }
        Ty::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
        Ty::Named { id, boxed } => {
            let Some(def) = model.get(*id) else {
                return "serde_json::Value::Null".to_owned();
            };
            let name = &def.name;
            let inner = match &def.kind {
                TypeKind::Struct(s) => {
                    let args: Vec<String> = s
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| match tag {
                            Some((property, value)) if f.wire_name == property => {
                                tag_value(&f.shape, value, model).unwrap_or_else(|| {
                                    build(&f.shape, None, model, None, depth + 1)
                                })
                            }
                            // Only a type that requires itself gets here; no finite value exists.
                            _ if depth >= MAX_DEPTH => {
                                "/* no finite value: the type requires itself */".to_owned()
                            }
                            _ => build(&f.shape, f.docs.examples.first(), model, None, depth + 1),
                        })
                        .collect();
                    format!("{name}::new({})", args.join(", "))
                }
                TypeKind::Enum(e) => match e.variants.first() {
                    Some(v) => format!("{name}::{}", v.name),
                    None => format!("{name}::Other(Default::default())"),
                },
                TypeKind::Union(u) => match u.variants.first() {
                    Some(v) if depth < MAX_DEPTH => variant_at(name, u, v, model, depth),
                    _ => "/* no finite value: the type requires itself */".to_owned(),
                },
                TypeKind::Newtype(inner) => {
                    let example = example.or(def.docs.examples.first());
                    let value = build(inner, example, model, None, depth + 1);
                    if is_alias(def, model) {
                        value
                    } else {
                        format!("{name}({value})")
                    }
                }
            };
            if *boxed {
                format!("Box::new({inner})")
            } else {
                inner
            }
        }
    }
}

/// The discriminator property's value for a branch: a string, or the enum
/// variant spelled that way.
fn tag_value(shape: &Shape, tag: &str, model: &Model) -> Option<String> {
    let value = match &shape.ty {
        Ty::String => format!("String::from({tag:?})"),
        Ty::Named { id, .. } => {
            let def = model.get(*id)?;
            let TypeKind::Enum(e) = &def.kind else {
                return None;
            };
            let variant = e.variants.iter().find(|v| v.value.as_str() == Some(tag))?;
            format!("{}::{}", def.name, variant.name)
        }
        _ => return None,
    };
    Some(if shape.nullable {
        format!("Some({value})")
    } else {
        value
    })
}
