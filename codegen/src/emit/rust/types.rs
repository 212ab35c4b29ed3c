//! Type definitions: structs, enums and newtypes with their trait impls (their type text
//! and serde attributes come from [`super::repr`]).

use super::checks;
use super::code::{self, Code};
use super::repr::{
    default_accessor, derive, field_read, field_repr, json_literal, serde_args, shape_type,
};
use super::rustdoc;
use super::unions;
use crate::ir::names::extra_field_name;
use crate::ir::{
    Additional, Directions, Enum, EnumRepr, EnumVariant, Model, Shape, Struct, TypeDef, TypeKind,
};
use serde_json::Value;

/// Writes the items for one type: its definition and trait impls.
pub fn definition(c: &mut Code, def: &TypeDef, model: &Model, statics: &mut checks::Statics) {
    let doc_checks = match &def.kind {
        TypeKind::Newtype(shape) => Some(&*shape.checks),
        TypeKind::Struct(s) => Some(&*s.checks),
        _ => None,
    };
    let fallback = if def.origin.pointer.is_empty() {
        format!("The `{}` schema.", def.schema_name)
    } else {
        format!("The schema at `{}`.", def.origin.pointer)
    };
    c.doc_lines(&rustdoc::lines(&def.docs, doc_checks, &fallback));
    if def.docs.deprecated {
        c.line("#[deprecated]");
    }
    match &def.kind {
        TypeKind::Struct(s) => structure(c, def, s, model, statics),
        TypeKind::Enum(e) => enumeration(c, def, e),
        TypeKind::Union(u) => unions::union(c, def, u, model, statics),
        TypeKind::Newtype(shape) => newtype(c, def, shape, model, statics),
    }
    super::diagnose::definition(c, def, model);
    if let Some(alias) = &def.nullable_alias {
        nullable_alias(c, def, alias);
    }
}

/// `pub type Maybe = Option<MaybeValue>;`: the whole of a schema that accepts `null`.
fn nullable_alias(c: &mut Code, def: &TypeDef, alias: &str) {
    c.blank();
    c.doc_lines(&[format!(
        "The `{}` schema, which also accepts `null` (as `None`).",
        def.schema_name
    )]);
    if def.docs.deprecated {
        c.line("#[deprecated]");
    }
    c.line(&format!("pub type {alias} = Option<{}>;", def.name));
}

/// The derives of every struct, newtype and enum that serde derives both ways.
const OWN: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "serde::Serialize",
    "serde::Deserialize",
];

fn structure(
    c: &mut Code,
    def: &TypeDef,
    s: &Struct,
    model: &Model,
    statics: &mut checks::Statics,
) {
    let name = def.name.as_str();
    let visibility = def.extras.field_visibility.keyword();
    let ways = def.extras.serde;
    // Read field by field through `crate::validation::object` (see `from_object`), unless a
    // flattened map asks for serde's own reading, or given attributes may be meant for
    // serde's derive.
    let read_fields = ways.deserialize
        && !matches!(s.additional, Additional::Map(_))
        && def.extras.attrs.is_empty()
        && !def.extras.derives.iter().any(|d| d.contains("Deserialize"))
        && s.fields
            .iter()
            .all(|f| def.extras.field_attrs(&f.wire_name).is_empty());
    let derived_ways = Directions {
        serialize: ways.serialize,
        deserialize: ways.deserialize && !read_fields,
    };
    if read_fields {
        let own: Vec<&str> = OWN
            .iter()
            .copied()
            .filter(|t| *t != "serde::Deserialize")
            .collect();
        derive(c, &own, def);
    } else {
        derive(c, OWN, def);
    }
    // A flattened map makes serde read the struct as a map already; otherwise the derived
    // impls are inherent (`remote = "Self"`) and the trait impls below read only an object.
    let object_only = derived_ways.deserialize && !matches!(s.additional, Additional::Map(_));
    if object_only {
        c.line("#[serde(remote = \"Self\")]");
    }
    if derived_ways.deserialize && matches!(s.additional, Additional::Denied) {
        c.line("#[serde(deny_unknown_fields)]");
    }
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut accessors = Vec::new();
    if s.fields.is_empty() && !matches!(s.additional, Additional::Map(_)) {
        c.line(&format!("pub struct {name} {{}}"));
    } else {
        c.open(&format!("pub struct {name} {{"));
        for f in &s.fields {
            let fname = f.rust_name.as_str();
            let repr = field_repr(f, model);
            let fallback = format!("The `{}` property.", f.wire_name);
            c.doc_lines(&rustdoc::lines(&f.docs, Some(&f.shape.checks), &fallback));
            if f.docs.deprecated {
                c.line("#[deprecated]");
            }
            let args = serde_args(&repr.serde, derived_ways);
            if !args.is_empty() {
                c.attr("serde", &args);
            }
            for attr in def.extras.field_attrs(&f.wire_name) {
                c.line(attr);
            }
            field_line(
                c,
                &format!("{visibility} {fname}:"),
                &format!("{},", repr.ty),
            );
            if f.required && f.presence_validated {
                params.push(format!("{fname}: {}", shape_type(&f.shape, model)));
                inits.push(format!("{fname}: Some({fname})"));
            } else if f.required {
                params.push(format!("{fname}: {}", repr.ty));
                inits.push(fname.to_owned());
            } else {
                inits.push(format!("{fname}: None"));
                if let Some(accessor) = default_accessor(f, model) {
                    accessors.push((f, accessor));
                }
            }
        }
        if let Additional::Map(values) = &s.additional {
            let extra = extra_field_name(s);
            c.line("/// Properties not listed in the schema, kept as they came.");
            if ways.any() {
                c.line("#[serde(flatten)]");
            }
            field_line(
                c,
                &format!("{visibility} {extra}:"),
                &format!(
                    "std::collections::BTreeMap<String, {}>,",
                    shape_type(values, model)
                ),
            );
            inits.push(format!("{extra}: std::collections::BTreeMap::new()"));
        }
        c.close("}");
    }
    c.blank();
    c.open(&format!("impl {name} {{"));
    c.line(&format!(
        "/// Builds a `{name}` from its required fields; optional fields start empty."
    ));
    // Clippy's limit; a constructor mirrors the schema's required properties, however many.
    if params.len() > 7 {
        c.line("#[allow(clippy::too_many_arguments)]");
    }
    // A property named by digits alone (`"1"`) is the field `_1`, and its argument keeps
    // the field's name, which clippy finds undescriptive.
    let digits_only = |param: &String| {
        let name = param.split(':').next().unwrap_or("");
        name.starts_with('_') && name.chars().all(|ch| ch == '_' || ch.is_ascii_digit())
    };
    if params.iter().any(digits_only) {
        c.line("#[allow(clippy::just_underscores_and_digits)]");
    }
    c.open_fn("pub fn new", &params, "Self");
    c.struct_lit("Self", &inits, "");
    c.close("}");
    for (f, accessor) in accessors {
        let default = f.default.as_ref().map(Value::to_string).unwrap_or_default();
        c.blank();
        c.doc_lines(&[format!(
            "`{}`, or its `default` (`{default}`) when it is absent.",
            f.wire_name
        )]);
        if f.docs.deprecated {
            c.line("#[deprecated]");
        }
        c.open(&format!(
            "pub fn {}(&self) -> {} {{",
            accessor.name, accessor.ty
        ));
        c.line(&accessor.body);
        c.close("}");
    }
    c.close("}");
    if params.is_empty() {
        c.blank();
        c.open_impl("impl Default", name);
        c.open("fn default() -> Self {");
        c.line("Self::new()");
        c.close("}");
        c.close("}");
    }
    if object_only {
        object_only_impls(c, name, ways.serialize);
    }
    if read_fields {
        from_object(c, name, s);
    }
    c.blank();
    checks::struct_impl(c, name, s, model, statics);
}

/// A field declaration, `name: Type,`; when it does not fit on one line, rustfmt's layout:
/// the type on the next line, indented.
fn field_line(c: &mut Code, name: &str, ty: &str) {
    let line = format!("{name} {ty}");
    if code::width(&line) <= c.room() {
        c.line(&line);
    } else {
        c.line(name);
        c.depth_in();
        c.line(ty);
        c.depth_out();
    }
}

/// `Deserialize` of a struct without a flattened map: `crate::validation::object` reads
/// the keys of an object into one slot per field, then makes the fields of the slots. It
/// reads as serde's derive read through `ObjectOnly` does, in far less code.
fn from_object(c: &mut Code, name: &str, s: &Struct) {
    c.blank();
    c.open_impl("impl<'de> serde::Deserialize<'de>", name);
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    c.line("crate::validation::object::deserialize(deserializer)");
    c.close("}");
    c.close("}");
    c.blank();
    c.open_impl("impl crate::validation::object::FromObject", name);
    let expecting = code::string(&format!("struct {name}"));
    let one_line = format!("const EXPECTING: &'static str = {expecting};");
    if c.room() >= code::width(&one_line) {
        c.line(&one_line);
    } else {
        c.line("const EXPECTING: &'static str =");
        c.depth_in();
        c.line(&format!("{expecting};"));
        c.depth_out();
    }
    c.blank();
    c.open("fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {");
    let deny = matches!(s.additional, Additional::Denied);
    if s.fields.is_empty() {
        c.line(&format!(
            "let mut keys = crate::validation::object::Keys::none({deny});"
        ));
        c.open("while keys.next(&mut map)?.is_some() {");
        c.line("crate::validation::object::skip(&mut map)?;");
        c.close("}");
        c.line("Ok(Self {})");
        c.close("}");
        c.close("}");
        return;
    }
    c.line("use crate::validation::object;");
    // Laid out by hand (one line when short, else one name a line), which rustfmt would
    // pack several to a line when the names are short.
    c.line("#[rustfmt::skip]");
    let names: Vec<String> = s
        .fields
        .iter()
        .map(|f| code::string(&f.wire_name))
        .collect();
    let one_line = format!("const FIELDS: &[&str] = &[{}];", names.join(", "));
    if c.room() >= code::width(&one_line) && names.len() <= 3 {
        c.line(&one_line);
    } else {
        c.open("const FIELDS: &[&str] = &[");
        for n in &names {
            c.line(&format!("{n},"));
        }
        c.close("];");
    }
    // The field a key names, as a `match` (a search by length first, then bytes).
    c.open("fn field(key: &str) -> usize {");
    c.open("match key {");
    for (i, n) in names.iter().enumerate() {
        c.line(&format!("{n} => {i},"));
    }
    c.line("_ => crate::validation::object::UNKNOWN,");
    c.close("}");
    c.close("}");
    c.line(&format!(
        "let mut keys = object::Keys::new(FIELDS, {deny}, field);"
    ));
    for i in 0..s.fields.len() {
        c.line(&format!("let mut f{i} = None;"));
    }
    c.open("while let Some(key) = keys.next(&mut map)? {");
    c.open("match key {");
    for i in 0..s.fields.len() {
        c.line(&format!(
            "{i} => object::value(&mut map, &mut f{i}, &keys, {i})?,"
        ));
    }
    c.line("_ => object::skip(&mut map)?,");
    c.close("}");
    c.close("}");
    let mut inits = Vec::new();
    for (i, f) in s.fields.iter().enumerate() {
        let read = field_read(f);
        if read.required {
            c.line(&format!("let f{i} = object::required(f{i}, &keys, {i})?;"));
            if let Some(convert) = read.convert {
                c.line(&format!("let f{i} = {convert}(f{i});"));
            }
        } else if let Some(convert) = read.convert {
            c.line(&format!("let f{i} = f{i}.map({convert});"));
        }
        inits.push(format!("{}: f{i}", f.rust_name));
    }
    c.struct_lit("Ok(Self", &inits, ")");
    c.close("}");
    c.close("}");
}

/// The serde trait impls of a struct derived with `remote = "Self"`: serializing (when it
/// does) is the derived one; deserializing goes through `ObjectOnly`, so a JSON array of the
/// fields is rejected.
fn object_only_impls(c: &mut Code, name: &str, serialize: bool) {
    if serialize {
        c.blank();
        c.open_impl("impl serde::Serialize", name);
        c.open(
            "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
        );
        c.line("Self::serialize(self, serializer)");
        c.close("}");
        c.close("}");
    }
    c.blank();
    c.open_impl("impl<'de> serde::Deserialize<'de>", name);
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    c.line("Self::deserialize(crate::validation::ObjectOnly(deserializer))");
    c.close("}");
    c.close("}");
}

/// `Validate` for a type that holds nothing to check.
pub fn empty_validate(c: &mut Code, name: &str) {
    c.open_impl("impl crate::validation::Validate", name);
    c.open_fn(
        "fn validate_at",
        &[
            "&self".to_owned(),
            "_path: &crate::validation::Path<'_>".to_owned(),
            "_errors: &mut crate::validation::ValidationErrors".to_owned(),
        ],
        "",
    );
    c.close("}");
    c.close("}");
}

fn enumeration(c: &mut Code, def: &TypeDef, e: &Enum) {
    let name = def.name.as_str();
    let ways = def.extras.serde;
    if e.repr == EnumRepr::String {
        if e.open {
            derive(c, OWN, def);
        } else {
            let own = [
                "Debug",
                "Clone",
                "Copy",
                "Eq",
                "Hash",
                "PartialEq",
                "serde::Serialize",
                "serde::Deserialize",
            ];
            derive(c, &own, def);
        }
        c.open(&format!("pub enum {name} {{"));
        let mut wires = Vec::new();
        // Every field is named, so that a new one is written out or said to be elsewhere.
        for EnumVariant {
            name,
            value,
            description,
        } in &e.variants
        {
            let wire = code::string(value.as_str().unwrap_or(""));
            variant_docs(c, value, description.as_deref());
            if ways.any() {
                c.attr("serde", &[format!("rename = {wire}")]);
            }
            c.line(&format!("{name},"));
            wires.push(wire);
        }
        if e.open {
            c.line("/// A value not listed in the schema, kept as it came.");
            if ways.any() {
                c.line("#[serde(untagged)]");
            }
            c.line("Other(String),");
        }
        c.close("}");
        c.blank();
        c.open(&format!("impl {name} {{"));
        c.line("/// The value as it appears on the wire.");
        c.open("pub fn as_str(&self) -> &str {");
        c.open("match self {");
        for (v, wire) in e.variants.iter().zip(&wires) {
            c.arm(&format!("Self::{}", v.name), wire);
        }
        if e.open {
            c.arm("Self::Other(s)", "s");
        }
        c.close("}");
        c.close("}");
        c.close("}");
        c.blank();
        c.open_impl("impl std::fmt::Display", name);
        c.open("fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {");
        c.line("f.write_str(self.as_str())");
        c.close("}");
        c.close("}");
        c.blank();
        empty_validate(c, name);
        return;
    }
    derive(c, OWN, def);
    // Read and written through its JSON value: `TryFrom` reads, `From` writes.
    let mut through = Vec::new();
    if ways.deserialize {
        through.push("try_from = \"serde_json::Value\"".to_owned());
    }
    if ways.serialize {
        through.push("into = \"serde_json::Value\"".to_owned());
    }
    if !through.is_empty() {
        c.attr("serde", &through);
    }
    c.open(&format!("pub enum {name} {{"));
    for EnumVariant {
        name,
        value,
        description,
    } in &e.variants
    {
        variant_docs(c, value, description.as_deref());
        c.line(&format!("{name},"));
    }
    if e.open {
        c.line("/// A value not listed in the schema, kept as it came.");
        c.line("Other(serde_json::Value),");
    }
    c.close("}");
    if ways.serialize {
        json_from(c, name, e);
    }
    if ways.deserialize {
        json_try_from(c, name, e);
    }
    c.blank();
    empty_validate(c, name);
}

/// An enum variant's rustdoc: what the value means, where the schema says, then the value.
fn variant_docs(c: &mut Code, value: &serde_json::Value, description: Option<&str>) {
    if let Some(description) = description {
        c.doc_lines(&rustdoc::sanitize(description).lines().collect::<Vec<_>>());
        c.line("///");
    }
    c.line(&format!("/// `{value}`"));
}

/// `From<{name}> for serde_json::Value`, through which a non-string enum serializes.
fn json_from(c: &mut Code, name: &str, e: &Enum) {
    c.blank();
    c.open(&format!("impl From<{name}> for serde_json::Value {{"));
    c.open(&format!("fn from(value: {name}) -> Self {{"));
    c.open("match value {");
    for v in &e.variants {
        c.arm(&format!("{name}::{}", v.name), &json_literal(&v.value));
    }
    if e.open {
        c.arm(&format!("{name}::Other(v)"), "v");
    }
    c.close("}");
    c.close("}");
    c.close("}");
}

/// `TryFrom<serde_json::Value> for {name}`, through which a non-string enum deserializes.
fn json_try_from(c: &mut Code, name: &str, e: &Enum) {
    c.blank();
    c.open_impl("impl TryFrom<serde_json::Value>", name);
    c.line("type Error = String;");
    c.blank();
    c.open("fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {");
    for v in &e.variants {
        let literal = json_literal(&v.value);
        c.call(
            "if crate::validation::json_equal",
            &["&value".to_owned(), format!("&{literal}")],
            " {",
        );
        c.depth_in();
        c.line(&format!("return Ok(Self::{});", v.name));
        c.close("}");
    }
    if e.open {
        c.line("Ok(Self::Other(value))");
    } else {
        let message = format!("Err(format!(\"{{value}} is not one of the values of {name}\"))");
        if code::width(&message) + 8 <= 100 {
            c.line(&message);
        } else {
            c.open("Err(format!(");
            c.line(&format!("\"{{value}} is not one of the values of {name}\""));
            c.close("))");
        }
    }
    c.close("}");
    c.close("}");
}

fn newtype(
    c: &mut Code,
    def: &TypeDef,
    shape: &Shape,
    model: &Model,
    statics: &mut checks::Statics,
) {
    let name = def.name.as_str();
    let inner = shape_type(shape, model);
    if checks::is_alias(def, model) {
        c.line(&format!("pub type {name} = {inner};"));
        return;
    }
    derive(c, OWN, def);
    if def.extras.serde.any() {
        c.line("#[serde(transparent)]");
    }
    let visibility = def.extras.field_visibility.keyword();
    c.line(&format!("pub struct {name}({visibility} {inner});"));
    c.blank();
    checks::newtype_impl(c, name, shape, model, statics);
}
