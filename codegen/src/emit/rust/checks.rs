//! `Validate` implementations: the checks of every shape, as code.
//!
//! Every writer here writes statements into a [`Code`] at its current depth
//! and answers whether it wrote anything; a guard (`if let Some(value) = ..`)
//! whose checks come to nothing is taken back out.

use super::code::{self, Code};
use super::repr::field_repr;
use crate::ir::names::extra_field_name;
use crate::ir::{
    Additional, Applied, Bound, Checks, Condition, Constraint, Evaluation, FloatKind, Model,
    Number, Shape, Struct, Subject, Ty, TypeKind, Unevaluated, Union, UnionMode,
};
use crate::load::JsonType;

mod applied;
mod statics;

use applied::{applied_checks, typed_applied};
pub use statics::Statics;

/// Whether validating a shape does anything at all.
pub fn needs_code(shape: &Shape, model: &Model) -> bool {
    let mut statics = Statics::default();
    let mut c = Code::new();
    shape_checks(&mut c, shape, "value", model, &mut statics)
}

/// Whether a newtype definition is written as a plain `pub type` alias: it has nothing to
/// check, and no attributes are asked of it (an alias could not carry them).
pub fn is_alias(def: &crate::ir::TypeDef, model: &Model) -> bool {
    match &def.kind {
        TypeKind::Newtype(shape) => def.extras.attrs.is_empty() && !needs_code(shape, model),
        _ => false,
    }
}

/// Writes `impl Validate for name`, with `body` writing its statements (and answering
/// whether it wrote any).
fn validate_impl(c: &mut Code, name: &str, body: impl FnOnce(&mut Code) -> bool) {
    c.line("#[allow(deprecated)]");
    c.open_impl("impl crate::validation::Validate", name);
    let mark = c.mark();
    let signature = |c: &mut Code, path: &str, errors: &str| {
        c.open_fn(
            "fn validate_at",
            &[
                "&self".to_owned(),
                format!("{path}: &crate::validation::Path<'_>"),
                format!("{errors}: &mut crate::validation::ValidationErrors"),
            ],
            "",
        );
    };
    signature(c, "path", "errors");
    // Checks take `&path`, as they do for the local paths of fields and items.
    c.line("let path = *path;");
    let after_rebind = c.mark();
    if !body(c) || !c.wrote_since(after_rebind) {
        c.reset(mark);
        signature(c, "_path", "_errors");
    }
    c.close("}");
    c.close("}");
}

/// `Validate` for a struct: each field under its wire name.
pub fn struct_impl(c: &mut Code, name: &str, s: &Struct, model: &Model, statics: &mut Statics) {
    validate_impl(c, name, |c| {
        let mut wrote = false;
        if s.checks.constraints_on(Subject::Object).next().is_some() {
            let mut count = Vec::new();
            for f in &s.fields {
                // A field that parsing requires is always present, even when it holds `None`
                // for an explicit `null`.
                let always_present = f.required && !f.presence_validated;
                count.push(match field_repr(f, model).option_layers {
                    _ if always_present => "1usize".to_owned(),
                    0 => "1usize".to_owned(),
                    _ => format!("usize::from(self.{}.is_some())", f.rust_name),
                });
            }
            if let Additional::Map(_) = &s.additional {
                count.push(format!("self.{}.len()", extra_field_name(s)));
            }
            if count.is_empty() {
                count.push("0usize".to_owned());
            }
            expression_lines(c, "let self_len = ", &count, " + ", ";");
            constraints(c, &s.checks, On::Object("self_len"), statics);
            wrote = true;
        }
        for f in &s.fields {
            let mut inner = f.shape.clone();
            inner.nullable = false;
            let fname = &f.rust_name;
            let present = match field_repr(f, model).option_layers {
                0 => "true".to_owned(),
                _ => format!("self.{fname}.is_some()"),
            };
            if f.absence_always_reported() {
                check(
                    c,
                    "required",
                    &[present.clone(), code::string(&f.wire_name)],
                );
                wrote = true;
            }
            // Each direction keeps one of them out, and requires it (when required) the other
            // way; a property both read-only and write-only is required neither way.
            let ways = [
                ("read_only", f.docs.read_only, f.docs.write_only),
                ("write_only", f.docs.write_only, f.docs.read_only),
            ];
            for (name, this, other) in ways {
                if this {
                    let required = (f.required && !other).to_string();
                    let args = [present.clone(), required, code::string(&f.wire_name)];
                    check(c, name, &args);
                    wrote = true;
                }
            }
            let mark = c.mark();
            match field_repr(f, model).option_layers {
                0 => {
                    c.open("{");
                    c.line(&format!("let value = &self.{fname};"));
                }
                1 => c.open(&format!("if let Some(value) = &self.{fname} {{")),
                _ => c.open(&format!("if let Some(Some(value)) = &self.{fname} {{")),
            }
            c.line(&format!(
                "let path = path.key({});",
                code::string(&f.wire_name)
            ));
            if shape_checks(c, &inner, "value", model, statics) {
                c.close("}");
                wrote = true;
            } else {
                c.reset(mark);
            }
        }
        // Beside `patternProperties` the kept keys are checked by the pattern rules.
        let patterns = s
            .checks
            .applied
            .as_ref()
            .is_some_and(|a| !a.pattern_properties.is_empty());
        if let (Additional::Map(values), false) = (&s.additional, patterns) {
            let mark = c.mark();
            c.open(&format!(
                "for (key, value) in &self.{} {{",
                extra_field_name(s)
            ));
            c.line("let path = path.key(key);");
            if shape_checks(c, values, "value", model, statics) {
                c.close("}");
                wrote = true;
            } else {
                c.reset(mark);
            }
        }
        if let Some(a) = &s.checks.applied {
            wrote |= typed_applied(c, a, "self", model, statics);
        }
        wrote
    });
}

/// `Validate` for a union: the held branch validates itself.
pub fn union_impl(c: &mut Code, name: &str, u: &Union, model: &Model, statics: &mut Statics) {
    validate_impl(c, name, |c| {
        let mut wrote = false;
        c.open("match self {");
        for v in &u.variants {
            let mark = c.mark();
            c.open(&format!("Self::{}(value) => {{", v.name));
            if shape_checks(c, &v.shape, "value", model, statics) {
                c.close("}");
                wrote = true;
            } else {
                c.reset(mark);
                c.line(&format!("Self::{}(_) => {{}}", v.name));
            }
        }
        c.close("}");
        wrote
    });
}

/// `Validate` for a newtype: its checks on `self.0`.
pub fn newtype_impl(c: &mut Code, name: &str, shape: &Shape, model: &Model, statics: &mut Statics) {
    validate_impl(c, name, |c| {
        c.line("let value = &self.0;");
        shape_checks(c, shape, "value", model, statics)
    });
}

/// For a union branch held as `v`: writes the statements of a block that is `true` when the
/// branch's own checks pass, and answers whether there are any. None are needed when the branch
/// type's `Validate` (run by `try_branch`) already covers them.
pub fn branch_passes(c: &mut Code, shape: &Shape, model: &Model, statics: &mut Statics) -> bool {
    if matches!(shape.ty, Ty::Named { .. }) && shape.checks.is_empty() {
        return false;
    }
    c.line("let path = crate::validation::Path::ROOT;");
    c.line("let mut found = crate::validation::ValidationErrors::new();");
    c.line("let errors = &mut found;");
    c.line("let value = &v;");
    if !shape_checks(c, shape, "value", model, statics) {
        return false;
    }
    c.line("found.is_empty()");
    true
}

/// `head` + the parts joined by `sep` + `tail`: on one line when it fits, else one part a line.
fn expression_lines(c: &mut Code, head: &str, parts: &[String], sep: &str, tail: &str) {
    let one = format!("{head}{}{tail}", parts.join(sep));
    if code::width(&one) <= c.room() {
        c.line(&one);
        return;
    }
    let (first, rest) = parts
        .split_first()
        .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
    c.line(head.trim_end());
    c.depth_in();
    if rest.is_empty() {
        c.line_parts(&[first, tail]);
    } else {
        c.line(first);
    }
    let op = sep.trim_start();
    let last = rest.len().saturating_sub(1);
    for (i, p) in rest.iter().enumerate() {
        c.line_parts(&[op, p, if i == last { tail } else { "" }]);
    }
    c.depth_out();
}

/// A `validation::Number` for a float held at `value`.
fn float_number(kind: FloatKind, value: &str) -> String {
    match kind {
        FloatKind::F32 => format!("crate::validation::Number::Float(f64::from(*{value}))"),
        FloatKind::F64 => format!("crate::validation::Number::Float(*{value})"),
    }
}

fn number_lit(n: Number) -> String {
    match n {
        Number::Int(i) => format!("crate::validation::Number::Int({i}i128)"),
        Number::Float(f) => format!("crate::validation::Number::Float({})", code::f64_lit(f)),
    }
}

/// A call to a check of the runtime, `crate::validation::name(args, &path, errors);`.
fn check(c: &mut Code, name: &str, args: &[String]) {
    let mut all = args.to_vec();
    all.push("&path".to_owned());
    all.push("errors".to_owned());
    c.call(&format!("crate::validation::{name}"), &all, ";");
}

/// What the keyword constraints of one kind are checked on.
#[derive(Clone, Copy)]
enum On<'v> {
    /// A string (`&str` or `&String`).
    String(&'v str),
    /// A `validation::Number`.
    Number(&'v str),
    /// An array, and the runtime's check that its items are distinct (`unique_items` on
    /// typed items, `unique_values` on JSON values).
    Array(&'v str, &'static str),
    /// The number of an object's properties.
    Object(&'v str),
}

/// A check call for each keyword constraint of the kind `on` names; answers whether it
/// wrote any.
fn constraints(c: &mut Code, ch: &Checks, on: On<'_>, statics: &mut Statics) -> bool {
    let (subject, value) = match on {
        On::String(v) => (Subject::String, v),
        On::Number(v) => (Subject::Number, v),
        On::Array(v, _) => (Subject::Array, v),
        On::Object(v) => (Subject::Object, v),
    };
    let on_value = |arg: String| vec![value.to_owned(), arg];
    let on_len = |n: u64| vec![format!("{value}.len()"), format!("{n}u64")];
    let bound = |b: Bound| {
        vec![
            value.to_owned(),
            number_lit(b.value),
            b.exclusive.to_string(),
        ]
    };
    let mut wrote = false;
    for constraint in ch.constraints_on(subject) {
        let (name, args) = match constraint {
            Constraint::MinLength(n) => ("min_length", on_value(format!("{n}u64"))),
            Constraint::MaxLength(n) => ("max_length", on_value(format!("{n}u64"))),
            Constraint::Pattern(p) => {
                let name = statics.pattern(p);
                let args = vec![
                    value.to_owned(),
                    format!("{name}.as_ref()"),
                    code::string(p),
                ];
                ("matches", args)
            }
            Constraint::Format(f) => ("format", on_value(code::string(f))),
            Constraint::Minimum(b) => ("minimum", bound(b)),
            Constraint::Maximum(b) => ("maximum", bound(b)),
            Constraint::MultipleOf(m) => ("multiple_of", on_value(number_lit(m))),
            Constraint::MinItems(n) => ("min_items", on_len(n)),
            Constraint::MaxItems(n) => ("max_items", on_len(n)),
            Constraint::UniqueItems => match on {
                On::Array(_, unique) => (unique, vec![value.to_owned()]),
                _ => continue,
            },
            Constraint::MinProperties(n) => ("min_properties", on_value(format!("{n}u64"))),
            Constraint::MaxProperties(n) => ("max_properties", on_value(format!("{n}u64"))),
        };
        check(c, name, &args);
        wrote = true;
    }
    wrote
}

fn json_type(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "crate::validation::JsonType::Null",
        JsonType::Boolean => "crate::validation::JsonType::Boolean",
        JsonType::Object => "crate::validation::JsonType::Object",
        JsonType::Array => "crate::validation::JsonType::Array",
        JsonType::Number => "crate::validation::JsonType::Number",
        JsonType::Integer => "crate::validation::JsonType::Integer",
        JsonType::String => "crate::validation::JsonType::String",
    }
}

/// Writes the checks on `value` (a reference to the shape's Rust value), with `path` and
/// `errors` in scope; answers whether it wrote any.
pub fn shape_checks(
    c: &mut Code,
    shape: &Shape,
    value: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    if shape.nullable {
        let mut inner = shape.clone();
        inner.nullable = false;
        let mark = c.mark();
        c.open(&format!("if let Some(value) = {value} {{"));
        if shape_checks(c, &inner, "value", model, statics) {
            c.close("}");
            return true;
        }
        c.reset(mark);
        return false;
    }
    let ch = &shape.checks;
    let mut wrote = false;
    // `enum` and `const` on shapes that are not Rust enums compare as JSON; scalars are
    // compared in place, so a valid value costs no allocation.
    if ch.enumeration.is_some() || ch.constant.is_some() {
        let scalar = match &shape.ty {
            Ty::String => Some(format!("crate::validation::Scalar::String({value})")),
            Ty::Bool => Some(format!("crate::validation::Scalar::Bool(*{value})")),
            Ty::Int(_) => Some(format!(
                "crate::validation::Scalar::Number(crate::validation::Number::Int(i128::from(*{value})))"
            )),
            Ty::Float(kind) => Some(format!(
                "crate::validation::Scalar::Number({})",
                float_number(*kind, value)
            )),
            _ => None,
        };
        let (bind, enum_fn, const_fn) = match (&shape.ty, scalar) {
            (_, Some(scalar)) => (scalar, "enum_scalar", "const_scalar"),
            (Ty::Any, None) => (value.to_owned(), "enum_value", "const_value"),
            // Arrays, maps, library types and generated types: compared as JSON.
            (_, None) => (
                format!("&serde_json::to_value({value}).unwrap_or_default()"),
                "enum_value",
                "const_value",
            ),
        };
        c.open("{");
        expression_lines(c, "let json = ", &[bind], "", ";");
        if let Some(values) = &ch.enumeration {
            let name = statics.enumeration(values);
            check(c, enum_fn, &["json".to_owned(), format!("&*{name}")]);
        }
        if let Some(v) = &ch.constant {
            let name = statics.constant(v);
            check(c, const_fn, &["json".to_owned(), format!("&{name}")]);
        }
        c.close("}");
        wrote = true;
    }
    match &shape.ty {
        Ty::String => wrote |= constraints(c, ch, On::String(value), statics),
        Ty::Int(_) => {
            let number = format!("crate::validation::Number::Int(i128::from(*{value}))");
            wrote |= constraints(c, ch, On::Number(&number), statics);
        }
        Ty::Float(kind) => {
            let number = float_number(*kind, value);
            wrote |= constraints(c, ch, On::Number(&number), statics);
        }
        Ty::Bool | Ty::Typed(_) => {}
        Ty::External(external) => {
            if external.validates {
                c.line(&format!(
                    "crate::validation::Validate::validate_at({value}, &path, errors);"
                ));
                wrote = true;
            }
        }
        Ty::Array(item) => {
            let unique = if item.ty == Ty::Any && !item.nullable {
                "unique_values"
            } else {
                "unique_items"
            };
            wrote |= constraints(c, ch, On::Array(value, unique), statics);
            let mark = c.mark();
            c.open(&format!(
                "for (index, item) in {value}.iter().enumerate() {{"
            ));
            c.line("let path = path.index(index);");
            if shape_checks(c, item, "item", model, statics) {
                c.close("}");
                wrote = true;
            } else {
                c.reset(mark);
            }
            // A tuple held as `Vec<serde_json::Value>`.
            wrote |= tuple_items(c, ch, value, model, statics);
        }
        Ty::Tuple(positions) => {
            if ch.unique_items {
                c.open(&format!(
                    "if let serde_json::Value::Array(a) = &serde_json::to_value({value}).unwrap_or_default() {{"
                ));
                check(c, "unique_values", &["a".to_owned()]);
                c.close("}");
                wrote = true;
            }
            for (index, position) in positions.iter().enumerate() {
                let mark = c.mark();
                c.open("{");
                c.line(&format!("let path = path.index({index}usize);"));
                c.line(&format!("let item = &{value}.{index};"));
                if shape_checks(c, position, "item", model, statics) {
                    c.close("}");
                    wrote = true;
                } else {
                    c.reset(mark);
                }
            }
        }
        Ty::Map(values) => {
            let len = format!("{value}.len()");
            wrote |= constraints(c, ch, On::Object(&len), statics);
            let mark = c.mark();
            c.open(&format!("for (key, value) in {value} {{"));
            c.line("let path = path.key(key);");
            if shape_checks(c, values, "value", model, statics) {
                c.close("}");
                wrote = true;
            } else {
                c.reset(mark);
            }
        }
        Ty::Named { id, .. } => {
            if let Some(TypeKind::Enum(_)) = model.get(*id).map(|d| &d.kind) {
                // Closed enums are checked by deserialization; open ones accept anything.
            } else {
                c.line(&format!(
                    "crate::validation::Validate::validate_at({value}, &path, errors);"
                ));
                wrote = true;
            }
        }
        Ty::Any => wrote |= any_checks(c, ch, value, model, statics),
    }
    if let Some(a) = &ch.applied {
        wrote |= match &shape.ty {
            Ty::Any => applied_checks(c, a, value, model, statics),
            _ => typed_applied(c, a, value, model, statics),
        };
    }
    wrote
}

/// Checks on an untyped value: each applies only to values of its kind.
fn any_checks(
    c: &mut Code,
    ch: &Checks,
    value: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    let mut wrote = false;
    if let Some(types) = &ch.types {
        let types: Vec<&str> = types.iter().copied().map(json_type).collect();
        check(
            c,
            "json_type",
            &[value.to_owned(), format!("&[{}]", types.join(", "))],
        );
        wrote = true;
    }
    let mark = c.mark();
    c.open(&format!("if let serde_json::Value::String(s) = {value} {{"));
    if constraints(c, ch, On::String("s"), statics) {
        c.close("}");
        wrote = true;
    } else {
        c.reset(mark);
    }
    let mark = c.mark();
    c.open(&format!(
        "if let Some(n) = crate::validation::number_of({value}) {{"
    ));
    if constraints(c, ch, On::Number("n"), statics) {
        c.close("}");
        wrote = true;
    } else {
        c.reset(mark);
    }
    let mark = c.mark();
    c.open(&format!("if let serde_json::Value::Array(a) = {value} {{"));
    let mut any = constraints(c, ch, On::Array("a", "unique_values"), statics);
    any |= tuple_items(c, ch, "a", model, statics);
    if any {
        c.close("}");
        wrote = true;
    } else {
        c.reset(mark);
    }
    let mark = c.mark();
    c.open(&format!("if let serde_json::Value::Object(o) = {value} {{"));
    let mut any = constraints(c, ch, On::Object("o.len()"), statics);
    for r in &ch.required {
        let key = code::string(r);
        check(c, "required", &[format!("o.contains_key({key})"), key]);
        any = true;
    }
    if any {
        c.close("}");
        wrote = true;
    } else {
        c.reset(mark);
    }
    wrote
}

/// Checks the items of `array` (a slice or `Vec` of `serde_json::Value` in scope): each tuple
/// position against its shape, and the items after them against `items`; answers whether it
/// wrote any.
fn tuple_items(
    c: &mut Code,
    ch: &Checks,
    array: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    let mut wrote = false;
    for (index, item) in ch.tuple.iter().enumerate() {
        let inner = c.mark();
        // clippy asks for `first()` over `get(0)`.
        let get = match index {
            0 => "first()".to_owned(),
            _ => format!("get({index}usize)"),
        };
        c.open(&format!("if let Some(item) = {array}.{get} {{"));
        c.line(&format!("let path = path.index({index}usize);"));
        if json_as_shape(c, item, "item", model, statics) {
            c.close("}");
            wrote = true;
        } else {
            c.reset(inner);
        }
    }
    if let Some(item) = &ch.items {
        let inner = c.mark();
        let skip = match ch.tuple.len() {
            0 => String::new(),
            n => format!(".skip({n}usize)"),
        };
        c.open(&format!(
            "for (index, item) in {array}.iter().enumerate(){skip} {{"
        ));
        c.line("let path = path.index(index);");
        if json_as_shape(c, item, "item", model, statics) {
            c.close("}");
            wrote = true;
        } else {
            c.reset(inner);
        }
    }
    wrote
}

/// Checks a `&serde_json::Value` against a shape: directly when the shape is untyped, otherwise
/// by deserializing it into the shape's Rust type (a mismatch is a `type` violation).
fn json_as_shape(
    c: &mut Code,
    shape: &Shape,
    value: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    if shape.ty == Ty::Any && !shape.nullable {
        return shape_checks(c, shape, value, model, statics);
    }
    let ty = super::repr::shape_type(shape, model);
    let mark = c.mark();
    c.open(&format!(
        "match <{ty} as serde::Deserialize>::deserialize({value}) {{"
    ));
    c.open("Ok(parsed) => {");
    c.line("let value = &parsed;");
    if shape_checks(c, shape, "value", model, statics) {
        c.close("}");
        c.line("Err(error) => errors.push(&path, \"type\", error.to_string()),");
        c.close("}");
    } else {
        c.reset(mark);
        c.open(&format!(
            "if let Err(error) = <{ty} as serde::Deserialize>::deserialize({value}) {{"
        ));
        c.line("errors.push(&path, \"type\", error.to_string());");
        c.close("}");
    }
    true
}
