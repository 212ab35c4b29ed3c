//! The checker behind [`super::check`]: a value against a shape or a type of the model,
//! keyword by keyword, as the generated `validate()` checks it.

use super::runtime::{self, Number, Path, ValidationErrors};
use super::{constraints, enumeration, runtime_type, Subject, MAX_DEPTH};
use crate::ir::{
    Additional, Applied, Condition, Evaluation, FloatKind, IntKind, Model, Shape, Struct, Ty,
    TypeKind, Typed, Unevaluated, Union, UnionMode,
};
use serde_json::Value;

/// Checks a value against the model. It follows the value, not the IR: each kind of type and
/// shape is interpreted by its own match arm, so it keeps its own matches beside `ir::walk`.
pub(super) struct Checker<'m> {
    pub(super) model: &'m Model,
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(super) fn wrong_type(
    value: &Value,
    expected: &str,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    errors.push(
        path,
        "type",
        format!("expected {expected}, found {}", kind_of(value)),
    );
}

impl Checker<'_> {
    pub(super) fn shape(
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
                    constraints(Subject::Number(Number::Float(x)), c, path, errors);
                }
                None => wrong_type(value, "number", path, errors),
            },
            Ty::String => match value {
                Value::String(s) => constraints(Subject::String(s), c, path, errors),
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
                    constraints(Subject::Array(items), c, path, errors);
                    for (i, v) in items.iter().enumerate() {
                        self.shape(v, item, &path.index(i), errors, depth);
                    }
                    self.tuple_items(items, c, path, errors, depth);
                }
                _ => wrong_type(value, "array", path, errors),
            },
            Ty::Tuple(positions) => match value {
                Value::Array(items) if items.len() == positions.len() => {
                    constraints(Subject::Array(items), c, path, errors);
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
                    constraints(Subject::object(map.len()), c, path, errors);
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

    pub(super) fn kind(
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
                Some(i) => {
                    constraints(Subject::Number(Number::Int(i)), &shape.checks, path, errors)
                }
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
        c: &crate::ir::Checks,
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
            Value::String(s) => constraints(Subject::String(s), c, path, errors),
            Value::Number(_) => {
                if let Some(n) = runtime::number_of(value) {
                    constraints(Subject::Number(n), c, path, errors);
                }
            }
            Value::Array(items) => {
                constraints(Subject::Array(items), c, path, errors);
                self.tuple_items(items, c, path, errors, depth);
            }
            Value::Object(map) => {
                constraints(Subject::object(map.len()), c, path, errors);
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
        let sizes = Subject::Object {
            kept: listed + kept,
            all: map.len(),
        };
        constraints(sizes, &s.checks, path, errors);
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
