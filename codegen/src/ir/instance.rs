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

use super::{
    Additional, Applied, Condition, Enum, EnumRepr, Evaluation, Field, FloatKind, IntKind, Model,
    Origin, Shape, Struct, Ty, TypeDef, TypeKind, Typed, Unevaluated, Union, UnionMode,
};
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

/// Checks a value against the model. It follows the value, not the IR: each kind of type and
/// shape is interpreted by its own match arm, so it keeps its own matches beside `ir::walk`.
struct Checker<'m> {
    model: &'m Model,
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong_type(value: &Value, expected: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    errors.push(
        path,
        "type",
        format!("expected {expected}, found {}", kind_of(value)),
    );
}

impl Checker<'_> {
    fn shape(
        &self,
        value: &Value,
        shape: &Shape,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        if value.is_null() && shape.nullable {
            return;
        }
        let c = &shape.checks;
        if let Some(allowed) = &c.enumeration {
            runtime::enum_value(value, allowed, path, errors);
        }
        if let Some(expected) = &c.constant {
            runtime::const_value(value, expected, path, errors);
        }
        match &shape.ty {
            Ty::Any => self.any(value, shape, path, errors, depth),
            // A type from outside the crate: what it accepts is its own parsing's business.
            Ty::External(_) => {}
            Ty::Bool => {
                if !value.is_boolean() {
                    wrong_type(value, "boolean", path, errors);
                }
            }
            Ty::Int(kind) => self.integer(value, *kind, shape, path, errors),
            Ty::Float(kind) => match value.as_f64() {
                Some(x) => {
                    let x = if *kind == FloatKind::F32 {
                        f64::from(x as f32)
                    } else {
                        x
                    };
                    numeric(Number::Float(x), shape, path, errors);
                }
                None => wrong_type(value, "number", path, errors),
            },
            Ty::String => match value {
                Value::String(s) => string(s, shape, path, errors),
                _ => wrong_type(value, "string", path, errors),
            },
            Ty::Typed(typed) => {
                let format = match typed {
                    Typed::DateTime => "date-time",
                    Typed::Date => "date",
                    Typed::Uuid => "uuid",
                };
                match value {
                    Value::String(s) => runtime::format(s, format, path, errors),
                    _ => wrong_type(value, &format!("a {format} string"), path, errors),
                }
            }
            Ty::Array(item) => match value {
                Value::Array(items) => {
                    array(items, c, path, errors);
                    for (i, v) in items.iter().enumerate() {
                        self.shape(v, item, &path.index(i), errors, depth);
                    }
                    self.tuple_items(items, c, path, errors, depth);
                }
                _ => wrong_type(value, "array", path, errors),
            },
            Ty::Tuple(positions) => match value {
                Value::Array(items) if items.len() == positions.len() => {
                    array(items, c, path, errors);
                    for (i, (v, position)) in items.iter().zip(positions).enumerate() {
                        self.shape(v, position, &path.index(i), errors, depth);
                    }
                }
                _ => wrong_type(
                    value,
                    &format!("an array of {} items", positions.len()),
                    path,
                    errors,
                ),
            },
            Ty::Map(values) => match value {
                Value::Object(map) => {
                    counts(map.len(), map.len(), c, path, errors);
                    for (k, v) in map {
                        self.shape(v, values, &path.key(k), errors, depth);
                    }
                }
                _ => wrong_type(value, "object", path, errors),
            },
            Ty::Named { id, .. } => match self.model.get(*id) {
                Some(def) => self.kind(value, &def.kind, path, errors, depth + 1),
                None => errors.push(path, "$ref", "refers to a type the model does not have"),
            },
        }
        if let Some(a) = &c.applied {
            self.applied(value, a, path, errors, depth);
        }
    }

    /// Whether `value` matches `shape`.
    fn matches(&self, value: &Value, shape: &Shape, depth: usize) -> bool {
        let mut found = ValidationErrors::new();
        self.shape(value, shape, &Path::ROOT, &mut found, depth + 1);
        found.is_empty()
    }

    /// The sub-schema checks: `not`, `if`/`then`/`else`, `contains`, the object rules
    /// and `oneOf`/`anyOf` beside `properties`.
    fn applied(
        &self,
        value: &Value,
        a: &Applied,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            errors.push(path, "$ref", "the type refers to itself without end");
            return;
        }
        let depth = depth + 1;
        if let Some(not) = &a.not {
            runtime::not(self.matches(value, not, depth), path, errors);
        }
        if let Some(cond) = &a.conditional {
            let next = if self.matches(value, &cond.condition, depth) {
                &cond.then
            } else {
                &cond.otherwise
            };
            if let Some(next) = next {
                self.shape(value, next, path, errors, depth);
            }
        }
        for (mode, branches) in &a.branches {
            let count = branches
                .iter()
                .filter(|b| self.matches(value, b, depth))
                .count();
            match mode {
                UnionMode::OneOf => runtime::one_of(count, path, errors),
                UnionMode::AnyOf => runtime::any_of(count, path, errors),
            }
        }
        if let (Some(contains), Value::Array(items)) = (&a.contains, value) {
            let count = items
                .iter()
                .filter(|i| self.matches(i, &contains.shape, depth))
                .count();
            runtime::contains(count, contains.min, contains.max, path, errors);
        }
        for u in &a.unevaluated {
            self.unevaluated(value, u, path, errors, depth);
        }
        let Value::Object(map) = value else {
            return;
        };
        for (key, names) in &a.dependent_required {
            if map.contains_key(key) {
                for n in names {
                    runtime::required(map.contains_key(n), n, path, errors);
                }
            }
        }
        for (key, shape) in &a.dependent_schemas {
            if map.contains_key(key) {
                self.shape(value, shape, path, errors, depth);
            }
        }
        if let Some(names) = &a.property_names {
            for key in map.keys() {
                let name = Value::String(key.clone());
                self.shape(&name, names, &path.key(key), errors, depth);
            }
        }
        if a.pattern_properties.is_empty() && a.unclaimed.is_none() {
            return;
        }
        let patterns: Vec<(Option<regress::Regex>, &Shape)> = a
            .pattern_properties
            .iter()
            .map(|(p, s)| (runtime::compile(p), s))
            .collect();
        for (key, v) in map {
            let at = path.key(key);
            let mut claimed = false;
            for (regex, shape) in &patterns {
                if runtime::is_match(regex.as_ref(), key) {
                    claimed = true;
                    self.shape(v, shape, &at, errors, depth);
                }
            }
            if let Some(u) = &a.unclaimed {
                if claimed || u.listed.iter().any(|l| l == key) {
                    continue;
                }
                match &u.shape {
                    None => runtime::additional_property(key, &at, errors),
                    Some(shape) => self.shape(v, shape, &at, errors, depth),
                }
            }
        }
    }

    /// `unevaluatedProperties` / `unevaluatedItems`, as the generated `validate()` checks them.
    fn unevaluated(
        &self,
        value: &Value,
        u: &Unevaluated,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        let mut seen = runtime::Evaluated::new();
        self.evaluate(value, &u.evaluation, &mut seen, depth);
        if let Some(rule) = &u.properties {
            for (key, v) in seen.unevaluated_properties(value) {
                match rule {
                    None => runtime::unevaluated_property(key, path, errors),
                    Some(shape) => self.shape(v, shape, &path.key(key), errors, depth),
                }
            }
        }
        if let Some(rule) = &u.items {
            for (index, item) in seen.unevaluated_items(value) {
                match rule {
                    None => runtime::unevaluated_item(index, path, errors),
                    Some(shape) => self.shape(item, shape, &path.index(index), errors, depth),
                }
            }
        }
    }

    /// Adds to `seen` what `e` evaluates of `value`.
    fn evaluate<'v>(
        &self,
        value: &'v Value,
        e: &'v Evaluation,
        seen: &mut runtime::Evaluated<'v>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for name in &e.properties {
            seen.property(name);
        }
        for pattern in &e.patterns {
            seen.pattern(value, runtime::compile(pattern).as_ref());
        }
        if e.all_properties {
            seen.all_properties();
        }
        seen.prefix_items(e.prefix_items);
        if e.all_items {
            seen.all_items();
        }
        if let Value::Array(items) = value {
            for shape in &e.contains {
                for (index, item) in items.iter().enumerate() {
                    if self.matches(item, shape, depth) {
                        seen.item(index);
                    }
                }
            }
        }
        for gated in &e.gated {
            let holds = gated.conditions.iter().all(|c| match c {
                Condition::Matches(shape) => self.matches(value, shape, depth),
                Condition::Fails(shape) => !self.matches(value, shape, depth),
                Condition::HasKey(key) => value.get(key).is_some(),
            });
            if holds {
                self.evaluate(value, &gated.evaluation, seen, depth + 1);
            }
        }
    }

    /// Whether a branch is a struct with a field of that wire name.
    fn holds_field(&self, shape: &Shape, wire_name: &str) -> bool {
        match &shape.ty {
            Ty::Named { id, .. } => match self.model.get(*id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire_name == wire_name),
                _ => false,
            },
            _ => false,
        }
    }

    fn kind(
        &self,
        value: &Value,
        kind: &TypeKind,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            errors.push(path, "$ref", "the type refers to itself without end");
            return;
        }
        match kind {
            TypeKind::Struct(s) => self.structure(value, s, path, errors, depth),
            TypeKind::Enum(e) => enumeration(value, e, path, errors),
            TypeKind::Union(u) => self.union(value, u, path, errors, depth),
            TypeKind::Newtype(shape) => self.shape(value, shape, path, errors, depth),
        }
    }

    fn integer(
        &self,
        value: &Value,
        kind: IntKind,
        shape: &Shape,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
    ) {
        let name = kind.rust();
        match value {
            Value::Number(n) => match kind.value(n) {
                Some(i) => numeric(Number::Int(i), shape, path, errors),
                // `1.0` is an integer to JSON Schema but not to serde.
                None if n.is_f64() => errors.push(
                    path,
                    "type",
                    format!("{value} is not written as an integer"),
                ),
                None => errors.push(path, "type", format!("{value} does not fit {name}")),
            },
            _ => wrong_type(value, "integer", path, errors),
        }
    }

    /// The items of a tuple held as an untyped value or `Vec<serde_json::Value>`: each position
    /// against its shape, the items after them against `items`.
    fn tuple_items(
        &self,
        items: &[Value],
        c: &super::Checks,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        for (i, (v, position)) in items.iter().zip(&c.tuple).enumerate() {
            self.shape(v, position, &path.index(i), errors, depth);
        }
        if let Some(rest) = &c.items {
            for (i, v) in items.iter().enumerate().skip(c.tuple.len()) {
                self.shape(v, rest, &path.index(i), errors, depth);
            }
        }
    }

    fn any(
        &self,
        value: &Value,
        shape: &Shape,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        let c = &shape.checks;
        if let Some(types) = &c.types {
            let allowed: Vec<runtime::JsonType> = types.iter().map(|t| runtime_type(*t)).collect();
            runtime::json_type(value, &allowed, path, errors);
        }
        match value {
            Value::String(s) => string(s, shape, path, errors),
            Value::Number(_) => {
                if let Some(n) = runtime::number_of(value) {
                    numeric(n, shape, path, errors);
                }
            }
            Value::Array(items) => {
                array(items, c, path, errors);
                self.tuple_items(items, c, path, errors, depth);
            }
            Value::Object(map) => {
                counts(map.len(), map.len(), c, path, errors);
                for name in &c.required {
                    runtime::required(map.contains_key(name), name, path, errors);
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn structure(
        &self,
        value: &Value,
        s: &Struct,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        let Value::Object(map) = value else {
            return wrong_type(value, "object", path, errors);
        };
        let mut listed = 0;
        for f in &s.fields {
            match map.get(&f.wire_name) {
                Some(v) => {
                    listed += 1;
                    self.shape(v, &f.shape, &path.key(&f.wire_name), errors, depth);
                }
                // As `validate()`, which leaves read-only and write-only out.
                None if f.required && !f.one_way() => {
                    runtime::required(false, &f.wire_name, path, errors);
                }
                None => {}
            }
        }
        let extra = map
            .iter()
            .filter(|(k, _)| !s.fields.iter().any(|f| &f.wire_name == *k));
        let mut kept = 0;
        // Beside `patternProperties` the kept keys are checked by the pattern rules.
        let patterns = s
            .checks
            .applied
            .as_ref()
            .is_some_and(|a| !a.pattern_properties.is_empty());
        for (k, v) in extra {
            match &s.additional {
                Additional::Ignored => {}
                Additional::Denied => runtime::additional_property(k, path, errors),
                Additional::Map(values) => {
                    kept += 1;
                    if !patterns {
                        self.shape(v, values, &path.key(k), errors, depth);
                    }
                }
            }
        }
        // The generated code counts the properties it keeps; the schema counts them all.
        counts(listed + kept, map.len(), &s.checks, path, errors);
        if let Some(a) = &s.checks.applied {
            self.applied(value, a, path, errors, depth);
        }
    }

    fn union(
        &self,
        value: &Value,
        u: &Union,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
        depth: usize,
    ) {
        if let Some(property) = &u.discriminator {
            let Value::Object(map) = value else {
                return wrong_type(value, "object", path, errors);
            };
            let Some(tag) = map.get(property).and_then(Value::as_str) else {
                return runtime::required(false, property, path, errors);
            };
            match u.variants.iter().find(|v| v.tags.iter().any(|t| t == tag)) {
                Some(v) if self.holds_field(&v.shape, property) => {
                    self.shape(value, &v.shape, path, errors, depth)
                }
                // A branch without the tag field is parsed with the tag taken out.
                Some(v) => {
                    let mut rest = map.clone();
                    rest.remove(property);
                    self.shape(&Value::Object(rest), &v.shape, path, errors, depth)
                }
                None => {
                    let known: Vec<String> = u
                        .variants
                        .iter()
                        .flat_map(|v| v.tags.iter())
                        .map(|t| format!("`{t}`"))
                        .collect();
                    errors.push(
                        path,
                        "discriminator",
                        format!("`{property}` is `{tag}`, not one of {}", known.join(", ")),
                    );
                }
            }
            return;
        }
        let mut fits = Vec::new();
        let mut why = Vec::new();
        // What a type from outside the crate accepts is unknown here: such a branch is
        // taken to match exactly when no other branch does.
        let external = u
            .variants
            .iter()
            .any(|v| matches!(v.shape.ty, Ty::External(_)));
        for v in u
            .variants
            .iter()
            .filter(|v| !matches!(v.shape.ty, Ty::External(_)))
        {
            let mut branch = ValidationErrors::new();
            self.shape(value, &v.shape, path, &mut branch, depth);
            if branch.is_empty() {
                fits.push(v.name.as_str());
            } else if let Some(first) = branch.iter().next() {
                why.push(format!("not {} ({first})", v.name));
            }
        }
        match (u.mode, fits.len()) {
            (_, 0) if external => {}
            (_, 0) => errors.push(
                path,
                "oneOf",
                format!("matches none of the types: {}", why.join("; ")),
            ),
            (UnionMode::OneOf, n) if n > 1 => errors.push(
                path,
                "oneOf",
                format!(
                    "matches {n} of the types ({}), expected exactly 1",
                    fits.join(", ")
                ),
            ),
            _ => {}
        }
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

fn string(s: &str, shape: &Shape, path: &Path<'_>, errors: &mut ValidationErrors) {
    let c = &shape.checks;
    if let Some(min) = c.min_length {
        runtime::min_length(s, min, path, errors);
    }
    if let Some(max) = c.max_length {
        runtime::max_length(s, max, path, errors);
    }
    // A pattern that can backtrack for exponential time is not tried (lowering warns).
    if let Some(source) = c
        .pattern
        .as_ref()
        .filter(|p| super::backtracking::nested_repetition(p).is_none())
    {
        runtime::matches(s, runtime::compile(source).as_ref(), source, path, errors);
    }
    if let Some(format) = &c.format {
        runtime::format(s, format, path, errors);
    }
}

fn numeric(n: Number, shape: &Shape, path: &Path<'_>, errors: &mut ValidationErrors) {
    let c = &shape.checks;
    if let Some(b) = c.minimum {
        runtime::minimum(n, runtime_number(b.value), b.exclusive, path, errors);
    }
    if let Some(b) = c.maximum {
        runtime::maximum(n, runtime_number(b.value), b.exclusive, path, errors);
    }
    if let Some(m) = c.multiple_of {
        runtime::multiple_of(n, runtime_number(m), path, errors);
    }
}

fn array(items: &[Value], c: &super::Checks, path: &Path<'_>, errors: &mut ValidationErrors) {
    if let Some(min) = c.min_items {
        runtime::min_items(items.len(), min, path, errors);
    }
    if let Some(max) = c.max_items {
        runtime::max_items(items.len(), max, path, errors);
    }
    if c.unique_items {
        runtime::unique_values(items, path, errors);
    }
}

/// `minProperties` against the properties the generated code keeps (never
/// more than the schema's count), `maxProperties` against all of them.
fn counts(
    kept: usize,
    all: usize,
    c: &super::Checks,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if let Some(min) = c.min_properties {
        runtime::min_properties(kept, min, path, errors);
    }
    if let Some(max) = c.max_properties {
        runtime::max_properties(all, max, path, errors);
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
/// generated enum does not check: `minLength`/`maxLength`, `pattern` and `format` on a string;
/// bounds and `multipleOf` on a number. Empty when it passes them all.
pub fn enum_value_violations(value: &Value, schema: &crate::load::schema::Schema) -> Vec<String> {
    let mut errors = ValidationErrors::new();
    let path = Path::ROOT;
    if let Value::String(s) = value {
        if let Some(min) = schema.min_length {
            runtime::min_length(s, min, &path, &mut errors);
        }
        if let Some(max) = schema.max_length {
            runtime::max_length(s, max, &path, &mut errors);
        }
        if let Some(source) = &schema.pattern {
            // An invalid pattern, or one that can backtrack for exponential time, is reported
            // where the schema's checks are built.
            let slow = super::backtracking::nested_repetition(source).is_some();
            if let Some(regex) = runtime::compile(source).filter(|_| !slow) {
                runtime::matches(s, Some(&regex), source, &path, &mut errors);
            }
        }
        if let Some(format) = &schema.format {
            runtime::format(s, format, &path, &mut errors);
        }
    }
    if let Some(n) = runtime::number_of(value) {
        let number = |b: &serde_json::Number| runtime_number(super::Number::from_json(b));
        if let Some(b) = &schema.minimum {
            runtime::minimum(n, number(b), false, &path, &mut errors);
        }
        if let Some(b) = &schema.exclusive_minimum {
            runtime::minimum(n, number(b), true, &path, &mut errors);
        }
        if let Some(b) = &schema.maximum {
            runtime::maximum(n, number(b), false, &path, &mut errors);
        }
        if let Some(b) = &schema.exclusive_maximum {
            runtime::maximum(n, number(b), true, &path, &mut errors);
        }
        if let Some(m) = &schema.multiple_of {
            runtime::multiple_of(n, number(m), &path, &mut errors);
        }
    }
    errors.iter().map(|v| v.message.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use serde_json::json;
    use std::path::{Path as FsPath, PathBuf};

    struct Memory(String);

    impl crate::load::FileSource for Memory {
        fn read(&self, _path: &FsPath) -> std::io::Result<Vec<u8>> {
            Ok(self.0.clone().into_bytes())
        }
    }

    /// A 3.0 document holding `schemas` (YAML, indented for `components/schemas`).
    fn document(schemas: &str) -> String {
        let body: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
        format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{body}")
    }

    fn model(schemas: &str) -> (Model, Diagnostics, Vec<SourceFile>) {
        let mut diagnostics = Diagnostics::new();
        let files = [PathBuf::from("api.yaml")];
        let spec = crate::load::load(&files, &Memory(document(schemas)), &mut diagnostics);
        let model = crate::ir::lower(
            &spec,
            &crate::settings::Settings::default(),
            &mut diagnostics,
        );
        (model, diagnostics, spec.files)
    }

    /// The reasons `value` is not a valid `name`.
    fn reasons(schemas: &str, name: &str, value: Value) -> Vec<String> {
        let (model, diagnostics, _) = model(schemas);
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        let def = model
            .types
            .iter()
            .find(|d| d.name == name)
            .expect("the type");
        check_def(&value, def, &model)
    }

    const PERSON: &str = "\
Person:
  type: object
  additionalProperties: false
  required: [name]
  properties:
    name: {type: string, minLength: 2, maxLength: 3, pattern: '^[a-zé]+$'}
    age: {type: integer, format: int32, minimum: 0, exclusiveMaximum: 150}
    score: {type: number, multipleOf: 0.01}
    tags: {type: array, minItems: 1, uniqueItems: true, items: {type: string}}
    limits: {type: object, additionalProperties: {type: integer, maximum: 9}}
    kind: {type: string, enum: [a, b]}
    fixed: {type: integer, const: 7}
    nick: {type: string, nullable: true}";

    #[test]
    fn a_valid_value_has_no_reasons() {
        let value = json!({"name": "éé", "age": 149, "score": 0.07, "tags": ["x"], "limits": {"a": 9}, "kind": "b", "nick": null});
        assert_eq!(reasons(PERSON, "Person", value), Vec::<String>::new());
    }

    #[test]
    fn every_broken_keyword_is_a_reason_with_its_pointer() {
        let value = json!({"age": 150, "score": 0.001, "tags": ["x", "x"], "limits": {"a": 10}, "kind": "c", "fixed": 8, "other": 1});
        assert_eq!(
            reasons(PERSON, "Person", value),
            [
                "(root): missing required property `name`",
                "/age: value 150 is not less than exclusiveMaximum 150",
                "/score: 0.001 is not a multiple of 0.01",
                "/tags: items 0 and 1 are equal (uniqueItems)",
                "/limits/a: value 10 is greater than maximum 9",
                "/kind: \"c\" is not one of \"a\", \"b\"",
                "/fixed: 8 is not one of 7",
                "(root): property `other` is not allowed",
            ]
        );
    }

    #[test]
    fn a_required_read_only_or_write_only_property_may_be_absent_as_for_validate() {
        let account = "\
Account:
  type: object
  required: [id, secret, name]
  properties:
    id: {type: integer, readOnly: true}
    secret: {type: string, writeOnly: true}
    name: {type: string}";
        assert_eq!(
            reasons(account, "Account", json!({})),
            ["(root): missing required property `name`"]
        );
        let present = json!({"id": 1, "secret": "s", "name": "n"});
        assert_eq!(reasons(account, "Account", present), Vec::<String>::new());
    }

    #[test]
    fn lengths_count_code_points_and_patterns_are_ecma() {
        let too_long = reasons(PERSON, "Person", json!({"name": "éééé"}));
        assert_eq!(too_long, ["/name: length 4 is greater than maxLength 3"]);
        let bad = reasons(PERSON, "Person", json!({"name": "A1"}));
        assert_eq!(bad, ["/name: does not match pattern `^[a-zé]+$`"]);
    }

    #[test]
    fn values_rust_cannot_hold_are_reasons() {
        let found = reasons(
            PERSON,
            "Person",
            json!({"name": "ab", "age": 1.0, "nick": 3}),
        );
        assert_eq!(
            found,
            [
                "/age: 1.0 is not written as an integer",
                "/nick: expected string, found number"
            ]
        );
        let big = reasons(
            PERSON,
            "Person",
            json!({"name": "ab", "age": 3_000_000_000_i64}),
        );
        assert_eq!(big, ["/age: 3000000000 does not fit i32"]);
        let null = reasons(PERSON, "Person", json!({"name": null}));
        assert_eq!(null, ["/name: expected string, found null"]);
    }

    const TUPLES: &str = "\
Pair:
  type: array
  items: [{type: string, minLength: 1}, {type: integer, maximum: 9}]
  additionalItems: false
  minItems: 2
Open:
  type: array
  items: [{type: string}]
  additionalItems: {type: integer, minimum: 0}";

    #[test]
    fn a_fixed_length_tuple_is_a_rust_tuple_and_its_positions_are_checked() {
        let (model, _, _) = model(TUPLES);
        let pair = model.types.iter().find(|d| d.name == "Pair").expect("Pair");
        assert!(matches!(
            &pair.kind,
            TypeKind::Newtype(Shape { ty: Ty::Tuple(positions), .. }) if positions.len() == 2
        ));
        assert!(reasons(TUPLES, "Pair", json!(["a", 9])).is_empty());
        assert_eq!(
            reasons(TUPLES, "Pair", json!(["", 10])),
            [
                "/0: length 0 is less than minLength 1",
                "/1: value 10 is greater than maximum 9"
            ]
        );
        assert_eq!(
            reasons(TUPLES, "Pair", json!(["a", 1, 2])),
            ["(root): expected an array of 2 items, found array"]
        );
    }

    #[test]
    fn items_after_an_open_tuple_are_checked_against_additional_items() {
        let (model, _, _) = model(TUPLES);
        let open = model.types.iter().find(|d| d.name == "Open").expect("Open");
        assert!(matches!(
            &open.kind,
            TypeKind::Newtype(Shape {
                ty: Ty::Array(_),
                ..
            })
        ));
        assert!(reasons(TUPLES, "Open", json!(["a", 1, 2])).is_empty());
        assert!(reasons(TUPLES, "Open", json!([])).is_empty());
        assert_eq!(
            reasons(TUPLES, "Open", json!([1, -1])),
            [
                "/0: expected string, found number",
                "/1: value -1 is less than minimum 0"
            ]
        );
    }

    const UNIONS: &str = "\
Cat: {type: object, required: [petType, lives], properties: {petType: {type: string}, lives: {type: integer}}}
Dog: {type: object, required: [petType, bark], properties: {petType: {type: string}, bark: {type: boolean}}}
Pet:
  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
  discriminator: {propertyName: petType}
Loose:
  oneOf: [{type: string}, {type: string, maxLength: 3}]
Either:
  anyOf: [{type: string}, {type: integer}]";

    #[test]
    fn tagged_unions_check_the_branch_their_tag_selects() {
        assert!(reasons(UNIONS, "Pet", json!({"petType": "Cat", "lives": 9})).is_empty());
        assert_eq!(
            reasons(UNIONS, "Pet", json!({"petType": "Dog", "lives": 9})),
            ["(root): missing required property `bark`"]
        );
        assert_eq!(
            reasons(UNIONS, "Pet", json!({"petType": "Cow"})),
            ["(root): `petType` is `Cow`, not one of `Cat`, `Dog`"]
        );
        assert_eq!(
            reasons(UNIONS, "Pet", json!({"lives": 1})),
            ["(root): missing required property `petType`"]
        );
    }

    #[test]
    fn a_branch_without_the_tag_field_is_checked_without_the_tag() {
        let schemas = "\
Box: {type: object, additionalProperties: false, required: [size], properties: {size: {type: integer}}}
Bag: {type: object, additionalProperties: false, properties: {kind: {type: string}}}
Parcel:
  oneOf: [{$ref: '#/components/schemas/Box'}, {$ref: '#/components/schemas/Bag'}]
  discriminator: {propertyName: kind}";
        assert!(reasons(schemas, "Parcel", json!({"kind": "Box", "size": 1})).is_empty());
        assert!(reasons(schemas, "Parcel", json!({"kind": "Bag"})).is_empty());
        assert_eq!(
            reasons(schemas, "Parcel", json!({"kind": "Box", "size": 1, "x": 2})),
            ["(root): property `x` is not allowed"]
        );
    }

    #[test]
    fn untagged_unions_need_one_match_for_one_of_and_any_for_any_of() {
        assert!(reasons(UNIONS, "Loose", json!("long")).is_empty());
        assert_eq!(
            reasons(UNIONS, "Loose", json!("abc")),
            ["(root): matches 2 of the types (String, String2), expected exactly 1"]
        );
        assert!(reasons(UNIONS, "Either", json!(3)).is_empty());
        assert_eq!(
            reasons(UNIONS, "Either", json!(true)),
            ["(root): matches none of the types: not String ((root): expected string, found boolean); not Integer ((root): expected integer, found boolean)"]
        );
    }

    const APPLIED: &str = "\
Order:
  type: object
  properties: {kind: {type: string}, code: {not: {type: integer}}, zip: {type: string}}
  if: {properties: {kind: {const: home}}, required: [kind]}
  then: {required: [zip]}
  dependentRequired: {code: [kind]}
Labels:
  type: object
  properties: {name: {type: string}}
  patternProperties: {'^x-': {type: string}, '-n$': {type: integer}}
  additionalProperties: false
Team:
  type: array
  contains: {const: admin}
  maxContains: 1";

    #[test]
    fn sub_schema_keywords_are_checked_on_examples_as_validate_checks_them() {
        assert!(reasons(APPLIED, "Order", json!({"kind": "home", "zip": "1"})).is_empty());
        assert_eq!(
            reasons(APPLIED, "Order", json!({"kind": "home", "code": 1})),
            [
                "/code: matches the schema it must not match",
                "(root): missing required property `zip`",
            ]
        );
        assert_eq!(
            reasons(APPLIED, "Order", json!({"code": "a"})),
            ["(root): missing required property `kind`"]
        );
        assert!(reasons(APPLIED, "Labels", json!({"name": "a", "x-a": "b"})).is_empty());
        assert_eq!(
            reasons(APPLIED, "Labels", json!({"x-n": "b", "other": 1})),
            [
                "/x-n: expected integer, found string",
                "/other: property `other` is not allowed",
            ]
        );
        assert!(reasons(APPLIED, "Team", json!(["admin", "x"])).is_empty());
        assert_eq!(reasons(APPLIED, "Team", json!(["x"])).len(), 1);
        assert_eq!(reasons(APPLIED, "Team", json!(["admin", "admin"])).len(), 1);
    }

    #[test]
    fn unevaluated_keys_and_items_are_those_no_matching_keyword_evaluated() {
        let schemas = "\
Pay:
  type: object
  properties: {amount: {type: integer}}
  oneOf:
    - {properties: {card: {type: string}}, required: [card]}
    - {properties: {iban: {type: string}}, required: [iban]}
  unevaluatedProperties: false
Pair:
  type: array
  prefixItems: [{type: string}]
  contains: {type: integer}
  unevaluatedItems: {type: boolean}
Part:
  allOf:
    - {properties: {a: {type: string}}, unevaluatedProperties: false}
  properties: {b: {type: string}}";
        assert!(reasons(schemas, "Pay", json!({"amount": 1, "card": "x"})).is_empty());
        assert_eq!(
            reasons(schemas, "Pay", json!({"amount": 1, "card": "x", "iban": 2})),
            ["/iban: property `iban` is not evaluated by the schema and is not allowed"]
        );
        assert!(reasons(schemas, "Pair", json!(["a", 1, true])).is_empty());
        assert_eq!(
            reasons(schemas, "Pair", json!(["a", 1, "b"])),
            ["/2: expected boolean, found string"]
        );
        // An `allOf` part's own `unevaluatedProperties` sees only that part.
        assert!(reasons(schemas, "Part", json!({"a": "x"})).is_empty());
        assert_eq!(
            reasons(schemas, "Part", json!({"a": "x", "b": "y"})),
            ["/b: property `b` is not evaluated by the schema and is not allowed"]
        );
    }

    #[test]
    fn recursive_types_are_checked_as_deep_as_the_value() {
        let tree = "Node: {type: object, required: [v], properties: {v: {type: integer}, next: {$ref: '#/components/schemas/Node'}}}";
        assert!(reasons(tree, "Node", json!({"v": 1, "next": {"v": 2}})).is_empty());
        assert_eq!(
            reasons(tree, "Node", json!({"v": 1, "next": {"next": {}}})).len(),
            2
        );
    }

    #[test]
    fn a_wrong_example_or_default_is_a_warning_at_its_keyword() {
        let schemas = "\
A:
  type: object
  example: {n: x}
  properties:
    n: {type: integer, default: 'no', examples: [1, 'two']}
    list: {type: array, items: {type: integer, example: 1.5}}";
        let (mut model, _, sources) = model(schemas);
        let mut diagnostics = Diagnostics::new();
        report(&mut model, &sources, &mut diagnostics);
        let found: Vec<(Severity, &str, &str)> = diagnostics
            .iter()
            .map(|d| (d.severity, d.file.as_str(), d.pointer.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Warning,
                    "api.yaml",
                    "/components/schemas/A/example"
                ),
                (
                    Severity::Warning,
                    "api.yaml",
                    "/components/schemas/A/properties/n/examples/1"
                ),
                (
                    Severity::Warning,
                    "api.yaml",
                    "/components/schemas/A/properties/n/default"
                ),
                (
                    Severity::Warning,
                    "api.yaml",
                    "/components/schemas/A/properties/list/items/example"
                ),
            ]
        );
        let first = diagnostics
            .iter()
            .next()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        assert!(
            first.ends_with("not tested: /n: expected integer, found string"),
            "{first}"
        );
        let default = diagnostics
            .iter()
            .nth(2)
            .map(|d| d.message.clone())
            .unwrap_or_default();
        assert!(
            default
                .ends_with("not applied (only documented): (root): expected integer, found string"),
            "{default}"
        );
    }

    #[test]
    fn a_union_narrowed_into_a_reference_back_to_itself_ends() {
        let schemas = "\
A:
  type: string
  oneOf: [{type: integer}, {$ref: '#/components/schemas/B'}]
B:
  oneOf: [{type: integer}, {$ref: '#/components/schemas/B'}]";
        let (model, _, _) = model(schemas);
        assert!(model.types.iter().any(|t| t.name == "A"));
    }

    #[test]
    fn a_wrong_default_is_taken_off_its_field_and_documented() {
        let schemas = "\
A:
  type: object
  properties:
    url: {type: string, format: uri, default: ''}
    n: {type: integer, default: 3}";
        let (mut model, _, sources) = model(schemas);
        report(&mut model, &sources, &mut Diagnostics::new());
        let Some(TypeKind::Struct(s)) = model.types.first().map(|d| &d.kind) else {
            panic!("A is a struct");
        };
        let url = &s.fields[0];
        assert_eq!(url.default, None);
        assert_eq!(
            url.docs.description.as_deref(),
            Some("The schema's `default` (\"\") does not match the schema, so it is not applied.")
        );
        assert_eq!(s.fields[1].default, Some(json!(3)));
    }
}
