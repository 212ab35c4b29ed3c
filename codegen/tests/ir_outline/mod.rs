//! A compact, stable text form of the IR a fixture lowers to: every type in model order
//! with its kind, schema name (when it differs), derives, fields (Rust type, required,
//! default), enum values, union branches and a summary of its checks; then the modules.
//! It names types, never ids or addresses, and holds no map order: every list is in the
//! order the model keeps.

use codegen::emit::rust::repr::{field_repr, shape_type};
use codegen::ir::{
    Additional, Applied, Bound, Checks, Enum, EnumRepr, Extras, Model, Shape, Struct, TypeDef,
    TypeKind, Union, UnionMode,
};
use std::fmt::Write as _;

/// The outline of `model`.
pub fn outline(model: &Model) -> String {
    let mut out = String::new();
    for def in &model.types {
        type_def(&mut out, def, model);
    }
    for module in &model.modules {
        let names: Vec<&str> = module
            .types
            .iter()
            .filter_map(|id| model.get(*id).map(|d| d.name.as_str()))
            .collect();
        let _ = writeln!(out, "mod {}: {}", module.name, names.join(", "));
    }
    for replaced in &model.replaced {
        let _ = writeln!(
            out,
            "replaced {} by {}",
            replaced.schema_name, replaced.external.path
        );
    }
    if !model.dependencies.is_empty() {
        let _ = writeln!(out, "dependencies: {}", model.dependencies.join(", "));
    }
    out
}

fn type_def(out: &mut String, def: &TypeDef, model: &Model) {
    let kind = match &def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Newtype(_) => "newtype",
    };
    let _ = write!(out, "{kind} {}", def.name);
    if def.schema_name != def.name {
        let _ = write!(out, " ({})", def.schema_name);
    }
    if let Some(alias) = &def.nullable_alias {
        let _ = write!(out, " nullable as {alias}");
    }
    out.push('\n');
    extras(out, &def.extras);
    match &def.kind {
        TypeKind::Struct(s) => structure(out, s, model),
        TypeKind::Enum(e) => enumeration(out, e),
        TypeKind::Union(u) => union(out, u, model),
        TypeKind::Newtype(shape) => {
            let _ = writeln!(
                out,
                "  = {}{}",
                shape_type(shape, model),
                checks(&shape.checks)
            );
        }
    }
}

fn extras(out: &mut String, extras: &Extras) {
    if !extras.derives.is_empty() {
        let _ = writeln!(out, "  derives {}", extras.derives.join(", "));
    }
    let serde = extras.serde;
    if !serde.both() {
        let ways = match (serde.serialize, serde.deserialize) {
            (true, false) => "serialize only",
            (false, true) => "deserialize only",
            _ => "neither",
        };
        let _ = writeln!(out, "  serde {ways}");
    }
    if extras.non_exhaustive {
        out.push_str("  non_exhaustive\n");
    }
    for attr in &extras.attrs {
        let _ = writeln!(out, "  attr {attr}");
    }
}

fn structure(out: &mut String, s: &Struct, model: &Model) {
    for f in &s.fields {
        let mut line = format!("  .{}", f.rust_name);
        if f.rust_name.trim_start_matches("r#") != f.wire_name {
            let _ = write!(line, " \"{}\"", f.wire_name);
        }
        let _ = write!(line, ": {}", field_repr(f, model).ty);
        if f.required {
            line.push_str(if f.presence_validated {
                " required (validated)"
            } else {
                " required"
            });
        }
        if let Some(default) = &f.default {
            let _ = write!(line, " default {default}");
        }
        if f.docs.read_only {
            line.push_str(" read-only");
        }
        if f.docs.write_only {
            line.push_str(" write-only");
        }
        line.push_str(&checks(&f.shape.checks));
        let _ = writeln!(out, "{line}");
    }
    match &s.additional {
        Additional::Ignored => {}
        Additional::Denied => out.push_str("  other properties denied\n"),
        Additional::Map(shape) => {
            let _ = writeln!(
                out,
                "  other properties: {}{}",
                shape_type(shape, model),
                checks(&shape.checks)
            );
        }
    }
    let object = checks(&s.checks);
    if !object.is_empty() {
        let _ = writeln!(out, "  object{object}");
    }
}

fn enumeration(out: &mut String, e: &Enum) {
    let repr = match e.repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
        EnumRepr::Json => "json",
    };
    let open = if e.open { "open" } else { "closed" };
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{}={}", v.name, v.value))
        .collect();
    let _ = writeln!(out, "  {repr} {open}: {}", variants.join(", "));
}

fn union(out: &mut String, u: &Union, model: &Model) {
    let mode = match u.mode {
        UnionMode::OneOf => "oneOf",
        UnionMode::AnyOf => "anyOf",
    };
    let mut head = format!("  {mode}");
    if let Some(tag) = &u.discriminator {
        let _ = write!(head, " tag {tag}");
    }
    if let Some(base) = u.base.and_then(|id| model.get(id)) {
        let _ = write!(head, " base {}", base.name);
    }
    let _ = writeln!(out, "{head}");
    for v in &u.variants {
        let mut line = format!("  | {}({})", v.name, shape_type(&v.shape, model));
        if !v.tags.is_empty() {
            let _ = write!(line, " when {}", v.tags.join(" | "));
        }
        line.push_str(&checks(&v.shape.checks));
        let _ = writeln!(out, "{line}");
    }
}

/// The checks as ` [keyword value, ..]`, or nothing when there are none.
fn checks(c: &Checks) -> String {
    if c.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(types) = &c.types {
        let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
        // No type at all: parts that disagree left nothing a value can be.
        let names = if names.is_empty() {
            "none".to_owned()
        } else {
            names.join("|")
        };
        parts.push(format!("type {names}"));
    }
    if let Some(values) = &c.enumeration {
        let values: Vec<String> = values.iter().map(ToString::to_string).collect();
        parts.push(format!("enum {}", values.join("|")));
    }
    if let Some(value) = &c.constant {
        parts.push(format!("const {value}"));
    }
    let counts = [
        ("minLength", c.min_length),
        ("maxLength", c.max_length),
        ("minItems", c.min_items),
        ("maxItems", c.max_items),
        ("minProperties", c.min_properties),
        ("maxProperties", c.max_properties),
    ];
    for (name, value) in counts {
        if let Some(n) = value {
            parts.push(format!("{name} {n}"));
        }
    }
    for p in &c.patterns {
        parts.push(format!("pattern {p:?}"));
    }
    if let Some(f) = &c.format {
        parts.push(format!("format {f}"));
    }
    parts.extend(bound(">", c.minimum));
    parts.extend(bound("<", c.maximum));
    if let Some(m) = c.multiple_of {
        parts.push(format!("multipleOf {m}"));
    }
    if c.unique_items {
        parts.push("uniqueItems".to_owned());
    }
    if !c.required.is_empty() {
        parts.push(format!("required {}", c.required.join("|")));
    }
    if let Some(items) = &c.items {
        parts.push(format!("items {}", nested(items)));
    }
    if !c.tuple.is_empty() {
        let positions: Vec<String> = c.tuple.iter().map(nested).collect();
        parts.push(format!("tuple({})", positions.join(", ")));
    }
    if let Some(applied) = &c.applied {
        parts.push(applied_keywords(applied));
    }
    format!(" [{}]", parts.join(", "))
}

/// A shape checked inside a JSON value: its checks as `[..]`, or `{}` for none.
fn nested(shape: &Shape) -> String {
    match checks(&shape.checks) {
        s if s.is_empty() => "{}".to_owned(),
        s => s.trim_start().to_owned(),
    }
}

/// `>= 1` / `> 1` for a lower bound, `<= 9` / `< 9` for an upper one.
fn bound(direction: &str, b: Option<Bound>) -> Option<String> {
    let b = b?;
    let eq = if b.exclusive { "" } else { "=" };
    Some(format!("{direction}{eq} {}", b.value))
}

/// The sub-schema keywords present, in the order `validate()` applies them.
fn applied_keywords(a: &Applied) -> String {
    let mut words: Vec<String> = Vec::new();
    if a.not.is_some() {
        words.push("not".to_owned());
    }
    if let Some(c) = &a.conditional {
        let mut w = "if".to_owned();
        if c.then.is_some() {
            w.push_str("/then");
        }
        if c.otherwise.is_some() {
            w.push_str("/else");
        }
        words.push(w);
    }
    for (key, names) in &a.dependent_required {
        words.push(format!("dependentRequired {key}->{}", names.join("|")));
    }
    for (key, _) in &a.dependent_schemas {
        words.push(format!("dependentSchemas {key}"));
    }
    if let Some(c) = &a.contains {
        let max = c.max.map_or(String::new(), |m| format!("..{m}"));
        words.push(format!("contains {}{max}", c.min));
    }
    if a.property_names.is_some() {
        words.push("propertyNames".to_owned());
    }
    for (pattern, _) in &a.pattern_properties {
        words.push(format!("patternProperties {pattern:?}"));
    }
    if let Some(u) = &a.unclaimed {
        let what = if u.shape.is_some() {
            "checked"
        } else {
            "denied"
        };
        words.push(format!("unclaimed {what}"));
    }
    for (mode, branches) in &a.branches {
        let mode = match mode {
            UnionMode::OneOf => "oneOf",
            UnionMode::AnyOf => "anyOf",
        };
        words.push(format!("{mode} of {}", branches.len()));
    }
    format!("applied {}", words.join(" "))
}
