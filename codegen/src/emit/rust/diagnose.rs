//! `Diagnose` impls: how a type reads a JSON value property by property, so that an input
//! that does not parse is reported with every problem it has (see the runtime's `Diagnose`).

use super::code::Code;
use super::repr::shape_type;
use crate::ir::{Additional, Enum, EnumRepr, Model, Shape, Struct, Ty, TypeDef, TypeKind, Union};

/// The `Diagnose` impl of a type that deserializes: a struct checks each property, a string
/// enum looks the value up in its list, a union reads its branches' own, a newtype the one of
/// the type it wraps; any other enum parses the value whole (the trait's default). A plain
/// alias needs none: what it names has its own.
pub fn definition(c: &mut Code, def: &TypeDef, model: &Model) {
    if !def.extras.serde.deserialize {
        return;
    }
    let name = def.name.as_str();
    match &def.kind {
        TypeKind::Struct(s) => structure(c, name, s, model),
        TypeKind::Newtype(_) if super::checks::is_alias(def, model) => {}
        TypeKind::Enum(e) if e.repr == EnumRepr::String => string_enum(c, name, e),
        TypeKind::Union(u) => union(c, name, u, model),
        TypeKind::Newtype(inner) => {
            // Transparent: the value is read as the type it wraps, whose own checks
            // `validate()` runs.
            c.blank();
            open_impl(c, name);
            c.call(
                &check(inner, model),
                &["value".to_owned(), "path".to_owned(), "errors".to_owned()],
                ";",
            );
            c.close("}");
            c.close("}");
        }
        TypeKind::Enum(_) => {
            c.blank();
            c.line(&format!("impl crate::validation::Diagnose for {name} {{}}"));
        }
    }
}

/// Opens `impl Diagnose for {ty}` and its `diagnose` method; the caller writes the body and
/// closes both.
pub fn open_impl(c: &mut Code, ty: &str) {
    c.open_impl("impl crate::validation::Diagnose", ty);
    c.open_fn(
        "fn diagnose",
        &[
            "value: &serde_json::Value".to_owned(),
            "path: &crate::validation::Path<'_>".to_owned(),
            "errors: &mut crate::validation::ValidationErrors".to_owned(),
        ],
        "",
    );
}

fn structure(c: &mut Code, name: &str, s: &Struct, model: &Model) {
    c.blank();
    open_impl(c, name);
    let undeclared = match &s.additional {
        Additional::Ignored => "crate::validation::Undeclared::Accepted".to_owned(),
        Additional::Denied => "crate::validation::Undeclared::Denied".to_owned(),
        Additional::Map(values) => format!(
            "crate::validation::Undeclared::Checked({})",
            check(values, model)
        ),
    };
    let table = if s.fields.is_empty() {
        "&[]"
    } else {
        // Laid out by hand, one property a line: rustfmt's layout of an array of tuples
        // depends on their widths and count.
        c.line("#[rustfmt::skip]");
        c.open("const PROPERTIES: &[crate::validation::Property] = &[");
        for f in &s.fields {
            c.line(&format!(
                "({}, {}, {}),",
                super::code::string(&f.wire_name),
                f.required,
                check(&f.shape, model)
            ));
        }
        c.close("];");
        "PROPERTIES"
    };
    let args = ["value", "path", "errors", table, undeclared.as_str()].map(str::to_owned);
    c.call("crate::validation::diagnose_struct", &args, ";");
    c.close("}");
    c.close("}");
}

/// A string enum: its wire values, without parsing (which would compile the enum's
/// `Deserialize` once more, for JSON values).
fn string_enum(c: &mut Code, name: &str, e: &Enum) {
    c.blank();
    open_impl(c, name);
    // One value a line, laid out by hand (rustfmt packs short strings several to a line).
    c.line("#[rustfmt::skip]");
    c.open("const VALUES: &[&str] = &[");
    for v in &e.variants {
        let wire = v.value.as_str().unwrap_or_default();
        c.line(&format!("{},", super::code::string(wire)));
    }
    c.close("];");
    let args = [
        "value",
        "path",
        "errors",
        "VALUES",
        if e.open { "true" } else { "false" },
    ]
    .map(str::to_owned);
    c.call("crate::validation::diagnose_enum", &args, ";");
    c.close("}");
    c.close("}");
}

/// A union: its branch table, as its `Deserialize` has it, and each branch's check.
fn union(c: &mut Code, name: &str, u: &Union, model: &Model) {
    c.blank();
    open_impl(c, name);
    c.line("use crate::validation::{branch, kinds};");
    super::unions::branch_table(c, u, model);
    c.open("crate::validation::diagnose_union(");
    c.line("value,");
    c.line("path,");
    c.line("errors,");
    c.line("BRANCHES,");
    c.open("&[");
    for v in &u.variants {
        c.line(&format!("{},", check(&v.shape, model)));
    }
    c.close("],");
    match &u.discriminator {
        None => c.line("crate::validation::Tags::None,"),
        Some(property) => {
            c.open("crate::validation::Tags::Property(");
            c.line(&format!("{},", super::code::string(property)));
            c.open("&[");
            for (i, v) in u.variants.iter().enumerate() {
                let carries = super::unions::carries_tag(v, property, model);
                for tag in &v.tags {
                    c.line(&format!("({}, {i}, {carries}),", super::code::string(tag)));
                }
            }
            c.close("],");
            c.close("),");
        }
    }
    c.close(");");
    c.close("}");
    c.close("}");
}

/// The check of a value of `shape` (`null` included when it is nullable): its type's
/// `Diagnose`, or, for a type from outside the crate or a tuple (which have none), parsing it
/// whole.
fn check(shape: &Shape, model: &Model) -> String {
    let ty = shape_type(shape, model);
    if parsed_whole(&shape.ty) {
        format!("crate::validation::parsed::<{ty}>")
    } else {
        format!("<{ty} as crate::validation::Diagnose>::diagnose")
    }
}

/// Whether a type from outside the crate or a tuple is part of `ty`.
fn parsed_whole(ty: &Ty) -> bool {
    match ty {
        Ty::External(_) | Ty::Tuple(_) => true,
        Ty::Array(item) | Ty::Map(item) => parsed_whole(&item.ty),
        Ty::Any
        | Ty::Bool
        | Ty::Int(_)
        | Ty::Float(_)
        | Ty::String
        | Ty::Typed(_)
        | Ty::Named { .. } => false,
    }
}
