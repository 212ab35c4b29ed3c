//! Rust type expressions and type definitions.

use super::checks;
use super::code::{self, Code};
use super::rustdoc;
use super::unions;
use crate::ir::{
    Additional, Directions, Enum, EnumRepr, Field, FloatKind, Model, Shape, Struct, Ty, TypeDef,
    TypeKind, Typed,
};
use serde_json::Value;

/// The Rust type of a shape, including `Option` for nullable.
pub fn shape_type(shape: &Shape, model: &Model) -> String {
    let inner = ty(&shape.ty, model);
    if shape.nullable {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// A tuple type of the given position types: `(A, B)`, and `(A,)` for one position.
pub fn tuple_of(types: &[String]) -> String {
    match types {
        [one] => format!("({one},)"),
        _ => format!("({})", types.join(", ")),
    }
}

/// The Rust type of a `Ty`.
pub fn ty(t: &Ty, model: &Model) -> String {
    match t {
        Ty::Any => "serde_json::Value".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Int(kind) => kind.rust().to_owned(),
        Ty::Float(FloatKind::F32) => "f32".to_owned(),
        Ty::Float(FloatKind::F64) => "f64".to_owned(),
        Ty::String => "String".to_owned(),
        Ty::Typed(Typed::DateTime) => "chrono::DateTime<chrono::FixedOffset>".to_owned(),
        Ty::Typed(Typed::Date) => "chrono::NaiveDate".to_owned(),
        Ty::Typed(Typed::Uuid) => "uuid::Uuid".to_owned(),
        Ty::External(external) => external.path.clone(),
        Ty::Array(item) => format!("Vec<{}>", shape_type(item, model)),
        Ty::Tuple(positions) => {
            let types: Vec<String> = positions.iter().map(|p| shape_type(p, model)).collect();
            tuple_of(&types)
        }
        Ty::Map(value) => format!(
            "std::collections::BTreeMap<String, {}>",
            shape_type(value, model)
        ),
        Ty::Named { id, boxed } => {
            let name = model.get(*id).map_or("Unknown", |d| d.name.as_str());
            if *boxed {
                format!("Box<{name}>")
            } else {
                name.to_owned()
            }
        }
    }
}

/// How a field is held: its type and serde attribute arguments.
pub struct FieldRepr {
    /// The field's Rust type.
    pub ty: String,
    /// The arguments of its `#[serde(..)]` attribute (none: no attribute).
    pub serde: Vec<String>,
    /// `Option` layers around the shape's own type (0, 1 or 2).
    pub option_layers: u8,
}

/// The method giving an optional field's value or, when absent, its `default`.
pub struct DefaultAccessor {
    /// The method name (`{field}_or_default`).
    pub name: String,
    /// Its return type.
    pub ty: String,
    /// Its body.
    pub body: String,
}

/// The accessor for an optional field's `default`, when the field's type can hold it. The
/// field itself stays an `Option`, so that a default is never serialized as if it was sent.
///
/// Applied: `boolean`, `integer`, `number` and `string` (no `format` type) values, and
/// values of a generated enum. Not applied (documented only): nullable or required
/// fields, arrays, objects, unions, dates and uuids.
pub fn default_accessor(field: &Field, model: &Model) -> Option<DefaultAccessor> {
    if field.required || field.shape.nullable {
        return None;
    }
    let value = field.default.as_ref()?;
    let base = field.rust_name.trim_start_matches("r#");
    let this = format!("self.{}", field.rust_name);
    let copied =
        |ty: &str, literal: String| (ty.to_owned(), format!("{this}.unwrap_or({literal})"));
    let (ty, body) = match (&field.shape.ty, value) {
        (Ty::Bool, Value::Bool(b)) => copied("bool", b.to_string()),
        (Ty::Int(kind), Value::Number(n)) => copied(kind.rust(), kind.value(n)?.to_string()),
        (Ty::Float(FloatKind::F32), Value::Number(n)) => {
            let f = n.as_f64()?;
            #[allow(clippy::cast_possible_truncation)]
            let narrow = f as f32;
            if f64::from(narrow) != f {
                return None;
            }
            copied("f32", code::f32_lit(narrow))
        }
        (Ty::Float(FloatKind::F64), Value::Number(n)) => copied("f64", code::f64_lit(n.as_f64()?)),
        (Ty::String, Value::String(text)) => (
            "&str".to_owned(),
            format!("{this}.as_deref().unwrap_or({})", code::string(text)),
        ),
        (Ty::Named { id, boxed: false }, v) => {
            let def = model.get(*id)?;
            let TypeKind::Enum(e) = &def.kind else {
                return None;
            };
            let variant = e.variants.iter().find(|var| &var.value == v)?;
            let literal = format!("{}::{}", def.name, variant.name);
            if e.repr == EnumRepr::String && !e.open {
                // Closed string enums are `Copy`.
                copied(&def.name, literal)
            } else {
                (
                    def.name.clone(),
                    format!("{this}.clone().unwrap_or({literal})"),
                )
            }
        }
        _ => return None,
    };
    Some(DefaultAccessor {
        name: format!("{base}_or_default"),
        ty,
        body,
    })
}

/// Chooses the field representation that keeps absent, `null` and a value apart.
pub fn field_repr(field: &Field, model: &Model) -> FieldRepr {
    let inner = ty(&field.shape.ty, model);
    let wire = &field.wire_name;
    let mut serde = Vec::new();
    if field.rust_name.trim_start_matches("r#") != wire {
        serde.push(format!("rename = {}", code::string(wire)));
    }
    // A library type read from a string (a date, a uuid) goes through
    // `crate::validation::formatted`, whose parse errors name the format and the value.
    let [required, optional, required_nullable, optional_nullable] =
        formatted_helpers(&field.shape);
    let with = |formatted: Option<&str>, nullable_fn: &str| match formatted {
        Some(f) => format!("deserialize_with = \"crate::validation::formatted::{f}\""),
        None => format!("deserialize_with = \"crate::validation::nullable::{nullable_fn}\""),
    };
    let skip = "skip_serializing_if = \"Option::is_none\"".to_owned();
    // Under `required = "validate"` a required field is held as an optional one, and
    // `validate()` reports its absence.
    let parse_required = field.required && !field.presence_validated;
    let (ty, layers, args): (String, u8, Vec<String>) = match (parse_required, field.shape.nullable)
    {
        (true, false) => (
            inner,
            0,
            required.map(|f| with(Some(f), "")).into_iter().collect(),
        ),
        (true, true) => (
            format!("Option<{inner}>"),
            1,
            vec![with(required_nullable, "required")],
        ),
        // Only absence is `None`: a free-form value takes `null` as a value, and every other
        // type rejects it, since the property is not nullable.
        (false, false) => (
            format!("Option<{inner}>"),
            1,
            vec!["default".to_owned(), with(optional, "present"), skip],
        ),
        (false, true) => (
            format!("Option<Option<{inner}>>"),
            2,
            vec![
                "default".to_owned(),
                with(optional_nullable, "deserialize"),
                skip,
            ],
        ),
    };
    serde.extend(args);
    FieldRepr {
        ty,
        serde,
        option_layers: layers,
    }
}

/// The `crate::validation::formatted` helpers for a field that holds a format's library type
/// (a date, a uuid) directly, or as the items of an array or the values of a map: for a
/// required, optional, required nullable and optional nullable field. `None` leaves that
/// field to the library's own message.
fn formatted_helpers(shape: &Shape) -> [Option<&'static str>; 4] {
    let plain = |s: &Shape| matches!(s.ty, Ty::Typed(_)) && !s.nullable;
    match &shape.ty {
        Ty::Typed(_) => [
            Some("required"),
            Some("optional"),
            Some("required_nullable"),
            Some("optional_nullable"),
        ],
        Ty::Array(item) if plain(item) => [Some("list"), Some("optional_list"), None, None],
        Ty::Map(value) if plain(value) => [Some("map"), Some("optional_map"), None, None],
        _ => [None; 4],
    }
}

/// `#[derive(..)]` of a type: the generator's own traits (`own`, the serde ones last, each
/// only when the type converts that way), with the type's extra derives
/// ([`crate::ir::Extras::derives`]) before the serde ones; then `#[non_exhaustive]` and the
/// given attributes, after the derive whose helpers they may use.
pub fn derive(c: &mut Code, own: &[&str], def: &TypeDef) {
    let ways = def.extras.serde;
    let own = own.iter().filter(|t| match **t {
        "serde::Serialize" => ways.serialize,
        "serde::Deserialize" => ways.deserialize,
        _ => true,
    });
    let (serde, std): (Vec<&str>, Vec<&str>) = own.partition(|t| t.starts_with("serde::"));
    let mut traits: Vec<String> = std.into_iter().map(str::to_owned).collect();
    for extra in &def.extras.derives {
        if !traits.contains(extra) && !serde.contains(&extra.as_str()) {
            traits.push(extra.clone());
        }
    }
    traits.extend(serde.into_iter().map(str::to_owned));
    c.derive(&traits);
    if def.extras.non_exhaustive {
        c.line("#[non_exhaustive]");
    }
    for attr in &def.extras.attrs {
        c.line(attr);
    }
}

/// Writes the items for one type: its definition and trait impls.
pub fn definition(c: &mut Code, def: &TypeDef, model: &Model, statics: &mut checks::Statics) {
    let doc_checks = match &def.kind {
        TypeKind::Newtype(shape) => Some(&shape.checks),
        TypeKind::Struct(s) => Some(&s.checks),
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
    derive(c, OWN, def);
    // A flattened map makes serde read the struct as a map already; otherwise the derived
    // impls are inherent (`remote = "Self"`) and the trait impls below read only an object.
    let object_only = ways.deserialize && !matches!(s.additional, Additional::Map(_));
    if object_only {
        c.line("#[serde(remote = \"Self\")]");
    }
    if ways.deserialize && matches!(s.additional, Additional::Denied) {
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
            let args = serde_args(&repr.serde, ways);
            if !args.is_empty() {
                c.attr("serde", &args);
            }
            for attr in def.extras.field_attrs(&f.wire_name) {
                c.line(attr);
            }
            c.line(&format!("{visibility} {fname}: {},", repr.ty));
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
            c.line(&format!(
                "{visibility} {extra}: std::collections::BTreeMap<String, {}>,",
                shape_type(values, model)
            ));
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
        c.open(&format!("impl Default for {name} {{"));
        c.open("fn default() -> Self {");
        c.line("Self::new()");
        c.close("}");
        c.close("}");
    }
    if object_only {
        object_only_impls(c, name, ways.serialize);
    }
    c.blank();
    checks::struct_impl(c, name, s, model, statics);
}

/// The serde trait impls of a struct derived with `remote = "Self"`: serializing (when it
/// does) is the derived one; deserializing goes through `ObjectOnly`, so a JSON array of the
/// fields is rejected.
fn object_only_impls(c: &mut Code, name: &str, serialize: bool) {
    if serialize {
        c.blank();
        c.open(&format!("impl serde::Serialize for {name} {{"));
        c.open(
            "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
        );
        c.line("Self::serialize(self, serializer)");
        c.close("}");
        c.close("}");
    }
    c.blank();
    c.open(&format!("impl<'de> serde::Deserialize<'de> for {name} {{"));
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    c.line("Self::deserialize(crate::validation::ObjectOnly(deserializer))");
    c.close("}");
    c.close("}");
}

/// The arguments of a field's `#[serde(..)]` the type's directions use: `default` and
/// `deserialize_with` only deserialize, `skip_serializing_if` only serializes, and without
/// either way there is no `#[serde]` at all.
pub fn serde_args(args: &[String], ways: Directions<bool>) -> Vec<String> {
    if !ways.any() {
        return Vec::new();
    }
    args.iter()
        .filter(|a| {
            let reading = *a == "default" || a.starts_with("deserialize_with");
            let writing = a.starts_with("skip_serializing");
            (ways.deserialize || !reading) && (ways.serialize || !writing)
        })
        .cloned()
        .collect()
}

/// The flattened map's field name, clear of the listed fields.
pub fn extra_field_name(s: &Struct) -> String {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

/// `Validate` for a type that holds nothing to check.
pub fn empty_validate(c: &mut Code, name: &str) {
    c.open(&format!("impl crate::validation::Validate for {name} {{"));
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
        for v in &e.variants {
            let wire = code::string(v.value.as_str().unwrap_or(""));
            c.line(&format!("/// `{}`", v.value));
            if ways.any() {
                c.attr("serde", &[format!("rename = {wire}")]);
            }
            c.line(&format!("{},", v.name));
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
        c.open(&format!("impl std::fmt::Display for {name} {{"));
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
    for v in &e.variants {
        c.line(&format!("/// `{}`", v.value));
        c.line(&format!("{},", v.name));
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
    c.open(&format!("impl TryFrom<serde_json::Value> for {name} {{"));
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

/// A `serde_json::Value` expression for a JSON value.
pub fn json_literal(v: &Value) -> String {
    match v {
        Value::Null => "serde_json::Value::Null".to_owned(),
        Value::Bool(b) => format!("serde_json::Value::Bool({b})"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                format!("serde_json::Value::from({i}i64)")
            } else if let Some(u) = n.as_u64() {
                format!("serde_json::Value::from({u}u64)")
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                format!("serde_json::Value::from({})", code::f64_lit(f))
            }
        }
        Value::String(s) => format!(
            "serde_json::Value::String(String::from({}))",
            code::string(s)
        ),
        other => format!(
            "serde_json::from_str::<serde_json::Value>({}).unwrap_or_default()",
            code::string(&other.to_string())
        ),
    }
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
