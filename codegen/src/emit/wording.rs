//! What `validate()` enforces, in words: one description of each constraint, shared by the
//! rustdoc and the Markdown pages so that both say the same thing.
//!
//! Keyword constraints read as a flat list (`min length 1`, `max length 5`); the checks that
//! go through sub-schemas (`not`, `if`, `contains` ...) read as phrases that name a shape.
//! How a shape's type is spelled is the caller's business: the Markdown pages link other
//! models, rustdoc names Rust types.

use crate::ir::{Applied, Bound, Checks, Constraint, Docs, Shape, Ty, UnionMode};
use serde_json::Value;

/// Spells the type of a shape inside a phrase (`*i64*`, `[Cat](Cat.md)`).
pub type TypeName<'a> = dyn Fn(&Shape) -> String + 'a;

/// The line that sums up a value's direction (`readOnly`, `writeOnly`) and its keyword
/// constraints: `Constraints: read-only: ..., min length 1.`; `None` when there are none.
pub fn constraint_line(docs: &Docs, checks: Option<&Checks>) -> Option<String> {
    let mut notes = access(docs);
    if let Some(c) = checks {
        notes.extend(constraints(c));
    }
    (!notes.is_empty()).then(|| format!("Constraints: {}.", notes.join(", ")))
}

/// `readOnly` and `writeOnly`.
pub fn access(docs: &Docs) -> Vec<String> {
    let mut v = Vec::new();
    if docs.read_only {
        v.push("read-only: `validate_request()` rejects it".to_owned());
    }
    if docs.write_only {
        v.push("write-only: `validate_response()` rejects it".to_owned());
    }
    v
}

/// The keyword constraints on one value (lengths, pattern, format, bounds, counts), as a
/// flat list.
pub fn constraints(c: &Checks) -> Vec<String> {
    c.constraints().into_iter().map(words).collect()
}

/// One keyword constraint, in words.
pub fn words(constraint: Constraint<'_>) -> String {
    match constraint {
        Constraint::MinLength(n) => format!("min length {n}"),
        Constraint::MaxLength(n) => format!("max length {n}"),
        Constraint::Pattern(p) => format!("pattern {}", code_span(p)),
        Constraint::Format(f) => format!("format `{f}`"),
        Constraint::Minimum(b) => bound("minimum", b),
        Constraint::Maximum(b) => bound("maximum", b),
        Constraint::MultipleOf(m) => format!("multiple of {m}"),
        Constraint::MinItems(n) => format!("min items {n}"),
        Constraint::MaxItems(n) => format!("max items {n}"),
        Constraint::UniqueItems => "unique items".to_owned(),
        Constraint::MinProperties(n) => format!("min properties {n}"),
        Constraint::MaxProperties(n) => format!("max properties {n}"),
    }
}

fn bound(name: &str, b: Bound) -> String {
    if b.exclusive {
        format!("exclusive {name} {}", b.value)
    } else {
        format!("{name} {}", b.value)
    }
}

/// Everything else `validate()` checks on a value of `shape`, beyond [`constraints`]: the
/// [`phrases`] of its checks, then what each item of an array or value of a map must match.
pub fn shape_phrases(shape: &Shape, name: &TypeName<'_>) -> Vec<String> {
    let mut v = phrases(&shape.checks, name);
    match &shape.ty {
        Ty::Array(item) if has_rules(item) => {
            v.push(format!("each item must match {}", shape_words(item, name)));
        }
        Ty::Map(value) if has_rules(value) => {
            v.push(format!(
                "each value must match {}",
                shape_words(value, name)
            ));
        }
        Ty::Tuple(positions) => {
            for (index, position) in positions.iter().enumerate() {
                if has_rules(position) {
                    v.push(format!(
                        "the item at index {index} must match {}",
                        shape_words(position, name)
                    ));
                }
            }
        }
        _ => {}
    }
    v
}

/// The checks beyond [`constraints`]: JSON types, listed values, required keys of an untyped
/// object, the items of an untyped array, and the sub-schema keywords. Each phrase starts in
/// lower case with no final stop; [`sentence`] makes one a sentence.
pub fn phrases(c: &Checks, name: &TypeName<'_>) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(types) = &c.types {
        let names: Vec<String> = types.iter().map(|t| format!("`{}`", t.name())).collect();
        v.push(format!("JSON type {}", names.join(" or ")));
    }
    if let Some(values) = &c.enumeration {
        v.push(format!("one of {}", json_list(values)));
    }
    if let Some(value) = &c.constant {
        v.push(format!("must be {}", json(value)));
    }
    match c.required.as_slice() {
        [] => {}
        [key] => v.push(format!("required key {}", code_span(key))),
        keys => v.push(format!("required keys {}", code_list(keys))),
    }
    for (index, item) in c.tuple.iter().enumerate() {
        v.push(format!(
            "the array item at index {index} must match {}",
            shape_words(item, name)
        ));
    }
    match (&c.items, c.tuple.len()) {
        (None, _) => {}
        (Some(item), 0) => v.push(format!(
            "each array item must match {}",
            shape_words(item, name)
        )),
        (Some(item), n) => v.push(format!(
            "each array item from index {n} on must match {}",
            shape_words(item, name)
        )),
    }
    if let Some(a) = &c.applied {
        v.extend(applied(a, name));
    }
    v
}

/// The sub-schema keywords, in the order [`Checks::applied_shapes`] gives their shapes.
fn applied(a: &Applied, name: &TypeName<'_>) -> Vec<String> {
    let words = |s: &Shape| shape_words(s, name);
    let mut v = Vec::new();
    if let Some(not) = &a.not {
        v.push(format!("must not match {}", words(not)));
    }
    if let Some(c) = &a.conditional {
        let condition = words(&c.condition);
        match (&c.then, &c.otherwise) {
            (Some(then), Some(otherwise)) => v.push(format!(
                "if it matches {condition}, it must match {}; otherwise it must match {}",
                words(then),
                words(otherwise)
            )),
            (Some(then), None) => v.push(format!(
                "if it matches {condition}, it must match {}",
                words(then)
            )),
            (None, Some(otherwise)) => v.push(format!(
                "unless it matches {condition}, it must match {}",
                words(otherwise)
            )),
            (None, None) => {}
        }
    }
    for (key, names) in &a.dependent_required {
        v.push(format!(
            "if {} is present, so must be {}",
            code_span(key),
            code_list(names)
        ));
    }
    for (key, shape) in &a.dependent_schemas {
        v.push(format!(
            "if {} is present, the object must match {}",
            code_span(key),
            words(shape)
        ));
    }
    if let Some(c) = &a.contains {
        let items = if c.min == 1 && c.max.is_none() {
            "item"
        } else {
            "items"
        };
        let count = match c.max {
            Some(max) => format!("at least {} and at most {max}", c.min),
            None => format!("at least {}", c.min),
        };
        v.push(format!("{count} {items} must match {}", words(&c.shape)));
    }
    if let Some(names) = &a.property_names {
        v.push(format!("each key must match {}", words(names)));
    }
    for (pattern, shape) in &a.pattern_properties {
        v.push(format!(
            "the value of each key matching {} must match {}",
            code_span(pattern),
            words(shape)
        ));
    }
    if let Some(u) = &a.unclaimed {
        match &u.shape {
            None => v.push("keys that no property or pattern claims are rejected".to_owned()),
            Some(shape) => v.push(format!(
                "the value of each key that no property or pattern claims must match {}",
                words(shape)
            )),
        }
    }
    for (mode, branches) in &a.branches {
        let how = match mode {
            UnionMode::OneOf => "exactly one",
            UnionMode::AnyOf => "at least one",
        };
        let list: Vec<String> = branches.iter().map(words).collect();
        v.push(format!("must match {how} of {}", list.join(", ")));
    }
    for u in &a.unevaluated {
        let rules = [("key", &u.properties), ("item", &u.items)];
        for (what, rule) in rules {
            match rule {
                None => {}
                Some(None) => v.push(format!(
                    "each {what} that no keyword of the schema evaluates is rejected"
                )),
                Some(Some(shape)) => v.push(format!(
                    "each {what} that no keyword of the schema evaluates must match {}",
                    words(shape)
                )),
            }
        }
    }
    v
}

/// A shape inside a phrase: its type, then its rules in parentheses (`*String* (max length
/// 5)`); an untyped shape is its rules alone, in parentheses, or `any value`.
pub fn shape_words(shape: &Shape, name: &TypeName<'_>) -> String {
    let keywords = constraints(&shape.checks);
    let mut chunks = Vec::new();
    if !keywords.is_empty() {
        chunks.push(keywords.join(", "));
    }
    chunks.extend(shape_phrases(shape, name));
    let rules = chunks.join("; ");
    match (&shape.ty, rules.is_empty()) {
        (Ty::Any, true) => "any value".to_owned(),
        (Ty::Any, false) => format!("({rules})"),
        (_, true) => name(shape),
        (_, false) => format!("{} ({rules})", name(shape)),
    }
}

/// Whether `validate()` checks anything on a value of `shape` beyond its type.
fn has_rules(shape: &Shape) -> bool {
    !shape.checks.is_empty() || shape.ty.held().iter().any(has_rules)
}

/// A phrase as a sentence: first letter in upper case, a final stop.
pub fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

fn json(value: &Value) -> String {
    code_span(&value.to_string())
}

fn json_list(values: &[Value]) -> String {
    values.iter().map(json).collect::<Vec<_>>().join(", ")
}

fn code_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| code_span(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as a Markdown code span, whatever backticks it holds.
pub fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("`{text}`")
    } else {
        format!("{fence} {text} {fence}")
    }
}

/// The first non-empty line of the title or description.
pub fn summary(docs: &Docs) -> Option<&str> {
    docs.title
        .iter()
        .chain(docs.description.iter())
        .flat_map(|text| text.lines())
        .map(str::trim)
        .find(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Conditional, Contains, IntKind, Number, TypeId, Unclaimed};
    use crate::load::JsonType;
    use serde_json::json;

    /// A plain spelling of types, so that the expected words are easy to read.
    fn name(shape: &Shape) -> String {
        match &shape.ty {
            Ty::String => "String".to_owned(),
            Ty::Int(_) => "i64".to_owned(),
            Ty::Named { id, .. } => format!("Type{}", id.0),
            Ty::Array(item) => format!("Vec<{}>", name(item)),
            _ => "other".to_owned(),
        }
    }

    fn named(id: usize) -> Shape {
        Shape::plain(Ty::Named {
            id: TypeId(id),
            boxed: false,
        })
    }

    fn untyped(checks: Checks) -> Shape {
        Shape {
            ty: Ty::Any,
            nullable: false,
            checks: checks.into(),
        }
    }

    fn requiring(key: &str) -> Shape {
        untyped(Checks {
            required: vec![key.to_owned()],
            ..Checks::default()
        })
    }

    fn with_applied(applied: Applied) -> Vec<String> {
        let checks = Checks {
            applied: Some(Box::new(applied)),
            ..Checks::default()
        };
        phrases(&checks, &name)
    }

    fn int(value: i128, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: Number::Int(value),
            exclusive,
        })
    }

    #[test]
    fn string_keywords_read_as_a_list() {
        let checks = Checks {
            min_length: Some(1),
            max_length: Some(64),
            patterns: vec!["^[a-z`]+$".into()],
            format: Some("email".into()),
            ..Checks::default()
        };
        assert_eq!(
            constraints(&checks),
            [
                "min length 1",
                "max length 64",
                "pattern `` ^[a-z`]+$ ``",
                "format `email`"
            ]
        );
    }

    #[test]
    fn bounds_say_when_they_are_exclusive() {
        let checks = Checks {
            minimum: int(0, true),
            maximum: int(100, false),
            multiple_of: Some(Number::Float(0.5)),
            ..Checks::default()
        };
        assert_eq!(
            constraints(&checks),
            ["exclusive minimum 0", "maximum 100", "multiple of 0.5"]
        );
    }

    #[test]
    fn counts_of_items_and_properties_read_as_a_list() {
        let checks = Checks {
            min_items: Some(1),
            max_items: Some(3),
            unique_items: true,
            min_properties: Some(2),
            max_properties: Some(9),
            ..Checks::default()
        };
        assert_eq!(
            constraints(&checks),
            [
                "min items 1",
                "max items 3",
                "unique items",
                "min properties 2",
                "max properties 9"
            ]
        );
    }

    #[test]
    fn the_constraint_line_puts_the_direction_first_and_is_absent_when_empty() {
        let docs = Docs {
            read_only: true,
            write_only: true,
            ..Docs::default()
        };
        let checks = Checks {
            max_length: Some(5),
            ..Checks::default()
        };
        assert_eq!(
            constraint_line(&docs, Some(&checks)).as_deref(),
            Some("Constraints: read-only: `validate_request()` rejects it, write-only: `validate_response()` rejects it, max length 5.")
        );
        assert_eq!(
            constraint_line(&Docs::default(), Some(&Checks::default())),
            None
        );
        assert_eq!(constraint_line(&Docs::default(), None), None);
    }

    #[test]
    fn types_values_and_required_keys_of_untyped_values_are_phrases() {
        let checks = Checks {
            types: Some(vec![JsonType::String, JsonType::Null]),
            enumeration: Some(vec![json!("a"), json!(1)]),
            constant: Some(json!({"k": true})),
            required: vec!["id".into(), "name".into()],
            ..Checks::default()
        };
        assert_eq!(
            phrases(&checks, &name),
            [
                "JSON type `string` or `null`",
                "one of `\"a\"`, `1`",
                "must be `{\"k\":true}`",
                "required keys `id`, `name`"
            ]
        );
        assert_eq!(
            phrases(&requiring("id").checks, &name),
            ["required key `id`"]
        );
    }

    #[test]
    fn items_of_an_untyped_array_name_the_shape_they_must_match() {
        let checks = Checks {
            tuple: vec![Shape::plain(Ty::String), named(2)],
            items: Some(Box::new(untyped(Checks {
                max_length: Some(3),
                ..Checks::default()
            }))),
            ..Checks::default()
        };
        assert_eq!(
            phrases(&checks, &name),
            [
                "the array item at index 0 must match String",
                "the array item at index 1 must match Type2",
                "each array item from index 2 on must match (max length 3)"
            ]
        );
    }

    #[test]
    fn items_and_map_values_with_rules_of_their_own_are_phrases() {
        let item = Shape {
            checks: Checks {
                max_length: Some(5),
                ..Checks::default()
            }
            .into(),
            ..Shape::plain(Ty::String)
        };
        let list = Shape::plain(Ty::Array(Box::new(item.clone())));
        assert_eq!(
            shape_phrases(&list, &name),
            ["each item must match String (max length 5)"]
        );
        let map = Shape::plain(Ty::Map(Box::new(item)));
        assert_eq!(
            shape_phrases(&map, &name),
            ["each value must match String (max length 5)"]
        );
        let plain = Shape::plain(Ty::Array(Box::new(Shape::plain(Ty::String))));
        assert!(shape_phrases(&plain, &name).is_empty());
    }

    #[test]
    fn not_names_the_shape_the_value_must_not_match() {
        let not = Applied {
            not: Some(Shape::plain(Ty::Int(IntKind::I64))),
            ..Applied::default()
        };
        assert_eq!(with_applied(not), ["must not match i64"]);
    }

    #[test]
    fn if_then_else_reads_in_each_of_its_forms() {
        let conditional = |then: Option<Shape>, otherwise: Option<Shape>| Applied {
            conditional: Some(Conditional {
                condition: named(1),
                then,
                otherwise,
            }),
            ..Applied::default()
        };
        assert_eq!(
            with_applied(conditional(Some(requiring("a")), Some(requiring("b")))),
            ["if it matches Type1, it must match (required key `a`); otherwise it must match (required key `b`)"]
        );
        assert_eq!(
            with_applied(conditional(Some(requiring("a")), None)),
            ["if it matches Type1, it must match (required key `a`)"]
        );
        assert_eq!(
            with_applied(conditional(None, Some(requiring("b")))),
            ["unless it matches Type1, it must match (required key `b`)"]
        );
    }

    #[test]
    fn dependent_keywords_name_the_key_that_triggers_them() {
        let dependent = Applied {
            dependent_required: vec![("number".into(), vec!["address".into(), "zip".into()])],
            dependent_schemas: vec![("cvc".into(), named(3))],
            ..Applied::default()
        };
        assert_eq!(
            with_applied(dependent),
            [
                "if `number` is present, so must be `address`, `zip`",
                "if `cvc` is present, the object must match Type3"
            ]
        );
    }

    #[test]
    fn contains_counts_the_matching_items() {
        let contains = |min, max| Applied {
            contains: Some(Contains {
                shape: named(4),
                min,
                max,
            }),
            ..Applied::default()
        };
        assert_eq!(
            with_applied(contains(1, None)),
            ["at least 1 item must match Type4"]
        );
        assert_eq!(
            with_applied(contains(2, Some(3))),
            ["at least 2 and at most 3 items must match Type4"]
        );
        assert_eq!(
            with_applied(contains(0, Some(1))),
            ["at least 0 and at most 1 items must match Type4"]
        );
    }

    #[test]
    fn key_rules_cover_names_patterns_and_unclaimed_keys() {
        let keys = |unclaimed| Applied {
            property_names: Some(untyped(Checks {
                max_length: Some(8),
                ..Checks::default()
            })),
            pattern_properties: vec![("^x-".into(), Shape::plain(Ty::String))],
            unclaimed,
            ..Applied::default()
        };
        let rejected = Unclaimed {
            listed: vec!["name".into()],
            shape: None,
        };
        assert_eq!(
            with_applied(keys(Some(rejected))),
            [
                "each key must match (max length 8)",
                "the value of each key matching `^x-` must match String",
                "keys that no property or pattern claims are rejected"
            ]
        );
        let typed = Unclaimed {
            listed: Vec::new(),
            shape: Some(Shape::plain(Ty::Int(IntKind::I64))),
        };
        assert_eq!(
            with_applied(keys(Some(typed))).last().map(String::as_str),
            Some("the value of each key that no property or pattern claims must match i64")
        );
    }

    #[test]
    fn branches_beside_properties_say_how_many_must_match() {
        let branches = |mode| Applied {
            branches: vec![(mode, vec![requiring("card"), requiring("iban")])],
            ..Applied::default()
        };
        assert_eq!(
            with_applied(branches(UnionMode::OneOf)),
            ["must match exactly one of (required key `card`), (required key `iban`)"]
        );
        assert_eq!(
            with_applied(branches(UnionMode::AnyOf)),
            ["must match at least one of (required key `card`), (required key `iban`)"]
        );
    }

    #[test]
    fn a_shape_reads_as_its_type_then_its_rules_in_parentheses() {
        assert_eq!(shape_words(&untyped(Checks::default()), &name), "any value");
        assert_eq!(shape_words(&named(1), &name), "Type1");
        let rules = Checks {
            min_length: Some(1),
            max_length: Some(2),
            applied: Some(Box::new(Applied {
                not: Some(requiring("a")),
                ..Applied::default()
            })),
            ..Checks::default()
        };
        let typed = Shape {
            checks: rules.clone().into(),
            ..Shape::plain(Ty::String)
        };
        assert_eq!(
            shape_words(&typed, &name),
            "String (min length 1, max length 2; must not match (required key `a`))"
        );
        assert_eq!(
            shape_words(&untyped(rules), &name),
            "(min length 1, max length 2; must not match (required key `a`))"
        );
    }

    #[test]
    fn sentences_start_in_upper_case_and_end_with_a_stop() {
        assert_eq!(sentence("must not match i64"), "Must not match i64.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("^[a-z]+$"), "`^[a-z]+$`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }
}
