//! How a shape is represented in Rust: type text, the serde attributes and
//! derives of a definition, field layouts, and JSON literals. The type emitter,
//! the check emitter and the docs all read it; it depends on none of them.

use super::code::{self, Code};
use crate::ir::{
    names, Directions, EnumRepr, Field, FloatKind, Model, Shape, Ty, TypeDef, TypeKind, Typed,
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
        name: names::default_accessor_name(&field.rust_name),
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

/// How a struct's `FromObject::read` (`crate::validation::object`) makes a field from the
/// value read for it, if any: the same choices as the serde attributes of [`field_repr`].
pub struct FieldRead {
    /// Absence is an error (serde's `missing field`).
    pub required: bool,
    /// The function that makes the field's value of what was read, when it was read as
    /// another type (`crate::validation::formatted::Parsed`); applied inside the `Option`
    /// of an optional field.
    pub convert: Option<&'static str>,
}

/// How a struct reads `field` (see [`FieldRead`]).
pub fn field_read(field: &Field) -> FieldRead {
    let required = field.required && !field.presence_validated;
    let [formatted, ..] = formatted_helpers(&field.shape);
    let convert = match (field.shape.nullable, formatted) {
        (false, Some("required")) => Some("crate::validation::formatted::value"),
        (false, Some("list")) => Some("crate::validation::formatted::values"),
        (false, Some("map")) => Some("crate::validation::formatted::entries"),
        (true, Some("required")) => Some("crate::validation::formatted::nullable"),
        _ => None,
    };
    FieldRead { required, convert }
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
