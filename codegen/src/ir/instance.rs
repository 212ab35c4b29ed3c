//! Checking a JSON value against a type of the model, at generation time.
//!
//! The schema's own values (`example`, `examples`, `default`) are claims
//! that a value is valid. [`check`] tests such a claim the way the
//! generated crate would: the value must deserialize into the Rust type and
//! pass `validate()`. The keyword checks are the very functions the
//! generated crate runs (`runtime/validation.rs`, compiled in here too), so
//! a value accepted here is accepted there. Where deserialization is looser
//! than the schema (an optional field given `null`, a struct given an
//! array), the check follows the schema and rejects the value.

use super::{Checks, Enum, EnumRepr, Field, Model, Origin, Shape, Ty, TypeDef, TypeKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::source::SourceFile;
use serde_json::Value;
use std::collections::BTreeMap;

// The generated crates' own runtime. Only part of it is used here, and its
// public API is shaped for those crates, where clippy keeps it as it is.
#[allow(dead_code, clippy::wrong_self_convention)]
#[path = "../../runtime/validation.rs"]
mod runtime;

use runtime::{Number, Path, ValidationErrors};

mod checker;
use checker::{wrong_type, Checker};

/// Every format the generator knows, from the runtime's format table (so the
/// formats the generator accepts are the ones the generated crate dispatches on).
pub use runtime::KNOWN_FORMATS;

/// Named types followed without consuming any of the value (newtypes of
/// newtypes) before giving up; only a cycle of aliases gets this far.
const MAX_DEPTH: usize = 256;

/// Every reason `value` is not a valid `shape`, each led by the JSON Pointer
/// inside `value` (`(root)` for the value itself). Empty when it is valid.
pub fn check(value: &Value, shape: &Shape, model: &Model) -> Vec<String> {
    let mut errors = ValidationErrors::new();
    Checker { model }.shape(value, shape, &Path::ROOT, &mut errors, 0);
    errors.iter().map(ToString::to_string).collect()
}

/// Every reason `value` is not a valid `def`; see [`check`].
pub fn check_def(value: &Value, def: &TypeDef, model: &Model) -> Vec<String> {
    let mut errors = ValidationErrors::new();
    Checker { model }.kind(value, &def.kind, &Path::ROOT, &mut errors, 0);
    errors.iter().map(ToString::to_string).collect()
}

/// What a claimed value must be.
#[derive(Debug, Clone, Copy)]
pub enum Against<'m> {
    /// A whole type (an example of a model).
    Def(&'m TypeDef),
    /// A use of a type (an example or default of a field, an item example).
    Shape(&'m Shape),
}

/// Which keyword makes the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `example` / `examples`; `index` counts them per schema.
    Example {
        /// Position among the schema's examples.
        index: usize,
    },
    /// `default`.
    Default,
}

/// A value the schema says is valid, and what it is said to be valid as.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'m> {
    /// The value.
    pub value: &'m Value,
    /// What it must be.
    pub against: Against<'m>,
    /// Which keyword holds it.
    pub keyword: Keyword,
    /// The type whose docs or field holds it.
    pub owner: &'m TypeDef,
    /// The field, for field and item claims.
    pub field: Option<&'m Field>,
    /// Whether it is an example of the items of an array.
    pub items: bool,
}

impl<'m> Claim<'m> {
    /// The reasons the claim is false; empty when it holds.
    pub fn check(&self, model: &Model) -> Vec<String> {
        match self.against {
            Against::Def(def) => check_def(self.value, def, model),
            Against::Shape(shape) => check(self.value, shape, model),
        }
    }

    /// The schema that holds the keyword, as far as the model knows it:
    /// the type's own schema, or its property (and the property's items).
    pub fn schema_origin(&self) -> Origin {
        let mut pointer = self.owner.origin.pointer.clone();
        if let Some(field) = self.field {
            pointer = crate::load::source::child(&pointer, "properties");
            pointer = crate::load::source::child(&pointer, &field.wire_name);
        }
        if self.items {
            pointer = crate::load::source::child(&pointer, "items");
        }
        Origin {
            file: self.owner.origin.file.clone(),
            pointer,
        }
    }
}

/// Every example and default of `def`: its own examples, its fields'
/// examples and defaults, and the examples of array items.
pub fn claims<'m>(def: &'m TypeDef) -> Vec<Claim<'m>> {
    let mut out = Vec::new();
    let claim = |value, against, keyword, field, items| Claim {
        value,
        against,
        keyword,
        owner: def,
        field,
        items,
    };
    for (index, value) in def.docs.examples.iter().enumerate() {
        out.push(claim(
            value,
            Against::Def(def),
            Keyword::Example { index },
            None,
            false,
        ));
    }
    if let TypeKind::Newtype(Shape {
        ty: Ty::Array(item),
        ..
    }) = &def.kind
    {
        for (index, value) in def.docs.item_examples.iter().enumerate() {
            out.push(claim(
                value,
                Against::Shape(item),
                Keyword::Example { index },
                None,
                true,
            ));
        }
    }
    if let TypeKind::Struct(s) = &def.kind {
        for f in &s.fields {
            for (index, value) in f.docs.examples.iter().enumerate() {
                out.push(claim(
                    value,
                    Against::Shape(&f.shape),
                    Keyword::Example { index },
                    Some(f),
                    false,
                ));
            }
            if let Ty::Array(item) = &f.shape.ty {
                for (index, value) in f.docs.item_examples.iter().enumerate() {
                    out.push(claim(
                        value,
                        Against::Shape(item),
                        Keyword::Example { index },
                        Some(f),
                        true,
                    ));
                }
            }
            if let Some(value) = &f.default {
                out.push(claim(
                    value,
                    Against::Shape(&f.shape),
                    Keyword::Default,
                    Some(f),
                    false,
                ));
            }
        }
    }
    out
}

/// Reports every claim of the model that does not hold, as a warning at the
/// keyword that makes it. A wrong example is left out of the generated
/// tests; a wrong default is taken off its field (so it is never applied)
/// and noted in the field's documentation instead.
pub fn report(model: &mut Model, sources: &[SourceFile], diagnostics: &mut Diagnostics) {
    let broken = report_claims(model, sources, diagnostics);
    for (type_index, wire_name) in broken {
        let field = model
            .types
            .get_mut(type_index)
            .and_then(|def| match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().find(|f| f.wire_name == wire_name),
                _ => None,
            });
        if let Some(field) = field {
            if let Some(value) = field.default.take() {
                let note = format!(
                    "The schema's `default` ({value}) does not match the schema, so it is not applied."
                );
                field.docs.description = Some(match field.docs.description.take() {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note,
                });
            }
        }
    }
}

/// Reports the claims that do not hold; returns the fields (type index, wire
/// name) whose default is wrong.
fn report_claims(
    model: &Model,
    sources: &[SourceFile],
    diagnostics: &mut Diagnostics,
) -> Vec<(usize, String)> {
    let mut broken = Vec::new();
    let mut documents: BTreeMap<String, Option<Value>> = BTreeMap::new();
    for (type_index, def) in model.types.iter().enumerate() {
        for claim in claims(def) {
            let reasons = claim.check(model);
            if reasons.is_empty() {
                continue;
            }
            let origin = claim.schema_origin();
            let document = documents.entry(origin.file.clone()).or_insert_with(|| {
                let source = sources.iter().find(|s| s.name == origin.file)?;
                crate::load::source::parse_models(&source.name, &source.text)
                    .ok()
                    .map(|(value, _)| value)
            });
            let pointer = keyword_pointer(
                document.as_ref(),
                &origin.pointer,
                &def.origin.pointer,
                &claim,
            );
            let reasons = reasons.join("; ");
            diagnostics.push(match claim.keyword {
                Keyword::Example { .. } => Diagnostic::warning(
                    origin.file,
                    pointer,
                    format!(
                        "this example does not match its schema, so it is not tested: {reasons}"
                    ),
                )
                .with_hint("correct the example or the schema"),
                Keyword::Default => {
                    if let Some(field) = claim.field {
                        broken.push((type_index, field.wire_name.clone()));
                    }
                    Diagnostic::warning(
                        origin.file,
                        pointer,
                        format!(
                            "this default does not match its schema, so it is not applied (only documented): {reasons}"
                        ),
                    )
                    .with_hint("a default must be a valid value of its property")
                }
            });
        }
    }
    broken
}

/// The pointer of the keyword holding a claim. The model keeps the schema's
/// pointer only; the keyword is found in the document by its value. When the
/// schema is not where the model expects it (a property merged from `allOf`),
/// the owning type's pointer stands in.
fn keyword_pointer(
    document: Option<&Value>,
    schema: &str,
    owner: &str,
    claim: &Claim<'_>,
) -> String {
    use crate::load::source::child;
    let Some(node) = document.and_then(|d| d.pointer(schema)) else {
        return owner.to_owned();
    };
    if claim.keyword == Keyword::Default {
        return child(schema, "default");
    }
    if node.get("example").is_some_and(|e| e == claim.value) {
        return child(schema, "example");
    }
    let examples = child(schema, "examples");
    match node.get("examples") {
        Some(Value::Array(items)) => match items.iter().position(|e| e == claim.value) {
            Some(i) => child(&examples, &i.to_string()),
            None => examples,
        },
        Some(Value::Object(map)) => match map
            .iter()
            .find(|(_, e)| e.get("value") == Some(claim.value))
        {
            Some((key, _)) => child(&child(&examples, key), "value"),
            None => examples,
        },
        _ => schema.to_owned(),
    }
}

fn enumeration(value: &Value, e: &Enum, path: &Path<'_>, errors: &mut ValidationErrors) {
    let listed = e.variants.iter().any(|v| match e.repr {
        // Serde matches string variants by exact spelling.
        EnumRepr::String => value.as_str().is_some() && v.value == *value,
        EnumRepr::Integer | EnumRepr::Json => runtime::json_equal(value, &v.value),
    });
    if listed {
        return;
    }
    match (e.open, e.repr) {
        (true, EnumRepr::String) if !value.is_string() => wrong_type(value, "string", path, errors),
        (true, _) => {}
        (false, _) => {
            let allowed: Vec<Value> = e.variants.iter().map(|v| v.value.clone()).collect();
            runtime::enum_value(value, &allowed, path, errors);
        }
    }
}

/// A value of the kind a keyword constraint applies to.
#[derive(Clone, Copy)]
enum Subject<'v> {
    String(&'v str),
    Number(Number),
    Array(&'v [Value]),
    /// An object: the properties the generated code keeps, which `minProperties` counts (never
    /// more than the schema's count), and all of them, which `maxProperties` counts.
    Object {
        kept: usize,
        all: usize,
    },
}

impl Subject<'_> {
    /// An object whose properties are all kept (a map, an untyped value).
    fn object(len: usize) -> Self {
        Subject::Object {
            kept: len,
            all: len,
        }
    }
}

/// Runs the keyword constraints of `c` that apply to the kind of `value`, as `validate()` runs
/// them, with the runtime's own checks.
fn constraints(value: Subject<'_>, c: &Checks, path: &Path<'_>, errors: &mut ValidationErrors) {
    use super::Constraint as C;
    let subject = match value {
        Subject::String(_) => super::Subject::String,
        Subject::Number(_) => super::Subject::Number,
        Subject::Array(_) => super::Subject::Array,
        Subject::Object { .. } => super::Subject::Object,
    };
    for constraint in c.constraints_on(subject) {
        match (constraint, value) {
            (C::MinLength(min), Subject::String(s)) => runtime::min_length(s, min, path, errors),
            (C::MaxLength(max), Subject::String(s)) => runtime::max_length(s, max, path, errors),
            (C::Pattern(source), Subject::String(s)) => {
                // A pattern that can backtrack for exponential time is not tried (lowering
                // warns).
                if super::backtracking::nested_repetition(source).is_none() {
                    let regex = runtime::compile(source);
                    runtime::matches(s, regex.as_ref(), source, path, errors);
                }
            }
            (C::Format(format), Subject::String(s)) => runtime::format(s, format, path, errors),
            (C::Minimum(b), Subject::Number(n)) => {
                runtime::minimum(n, runtime_number(b.value), b.exclusive, path, errors);
            }
            (C::Maximum(b), Subject::Number(n)) => {
                runtime::maximum(n, runtime_number(b.value), b.exclusive, path, errors);
            }
            (C::MultipleOf(m), Subject::Number(n)) => {
                runtime::multiple_of(n, runtime_number(m), path, errors);
            }
            (C::MinItems(min), Subject::Array(items)) => {
                runtime::min_items(items.len(), min, path, errors);
            }
            (C::MaxItems(max), Subject::Array(items)) => {
                runtime::max_items(items.len(), max, path, errors);
            }
            (C::UniqueItems, Subject::Array(items)) => runtime::unique_values(items, path, errors),
            (C::MinProperties(min), Subject::Object { kept, .. }) => {
                runtime::min_properties(kept, min, path, errors);
            }
            (C::MaxProperties(max), Subject::Object { all, .. }) => {
                runtime::max_properties(all, max, path, errors);
            }
            // `constraints_on` gives only the constraints of the value's kind.
            (
                C::MinLength(_)
                | C::MaxLength(_)
                | C::Pattern(_)
                | C::Format(_)
                | C::Minimum(_)
                | C::Maximum(_)
                | C::MultipleOf(_)
                | C::MinItems(_)
                | C::MaxItems(_)
                | C::UniqueItems
                | C::MinProperties(_)
                | C::MaxProperties(_),
                _,
            ) => {}
        }
    }
}

fn runtime_number(n: super::Number) -> Number {
    match n {
        super::Number::Int(i) => Number::Int(i),
        super::Number::Float(f) => Number::Float(f),
    }
}

fn runtime_type(t: crate::load::JsonType) -> runtime::JsonType {
    use crate::load::JsonType as J;
    match t {
        J::Null => runtime::JsonType::Null,
        J::Boolean => runtime::JsonType::Boolean,
        J::Object => runtime::JsonType::Object,
        J::Array => runtime::JsonType::Array,
        J::Number => runtime::JsonType::Number,
        J::Integer => runtime::JsonType::Integer,
        J::String => runtime::JsonType::String,
    }
}

/// Whether two JSON values are equal as JSON Schema compares them (`1` equals `1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    runtime::json_equal(a, b)
}

/// Every reason a value listed in `enum` (or `const`) fails the keywords beside it that the
/// generated enum does not check: its `type`, then the keyword constraints the schema states
/// ([`super::lower::stated`]) on a string or a number, run as for any other value. Empty when
/// it passes them all.
pub fn enum_value_violations(value: &Value, schema: &crate::load::schema::Schema) -> Vec<String> {
    use crate::load::schema::JsonType;
    // The `type` beside the values holds them too (`2.0` is an integer, as JSON Schema counts).
    let fits = |t: &JsonType| match t {
        JsonType::Null => value.is_null(),
        JsonType::Boolean => value.is_boolean(),
        JsonType::Object => value.is_object(),
        JsonType::Array => value.is_array(),
        JsonType::Number => value.is_number(),
        JsonType::Integer => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        JsonType::String => value.is_string(),
    };
    if let Some(types) = schema.types.as_deref().filter(|t| !t.is_empty()) {
        if !value.is_null() && !types.iter().any(fits) {
            let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
            return vec![format!("it is not of type [{}]", names.join(", "))];
        }
    }
    let mut errors = ValidationErrors::new();
    let path = Path::ROOT;
    let checks = super::lower::stated(schema);
    if let Value::String(s) = value {
        constraints(Subject::String(s), &checks, &path, &mut errors);
    }
    if let Some(n) = runtime::number_of(value) {
        constraints(Subject::Number(n), &checks, &path, &mut errors);
    }
    errors.iter().map(|v| v.message.clone()).collect()
}

#[cfg(test)]
mod tests;
