//! Comparing the constraints `validate()` enforces on one value.
//!
//! Each keyword is compared on its own and answers whether the new version
//! accepts fewer values (tightened), more (loosened), or a different set
//! (changed). Nested shapes (`items` of untyped values) are left to the caller.

use crate::ir::{Bound, Checks, Number};
use serde_json::Value;
use std::cmp::Ordering;

/// Which way a constraint moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Fewer values are accepted.
    Tightened,
    /// More values are accepted.
    Loosened,
    /// Some values are accepted only before, others only after.
    Changed,
}

/// One keyword that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    /// Which way it moved.
    pub direction: Direction,
    /// The keyword as written in schemas (`maxLength`).
    pub keyword: &'static str,
    /// The old value, `None` when absent.
    pub before: Option<String>,
    /// The new value, `None` when absent.
    pub after: Option<String>,
}

/// Every keyword whose constraint differs between `a` (old) and `b` (new), in
/// a fixed keyword order.
pub fn compare(a: &Checks, b: &Checks) -> Vec<Delta> {
    // Every field is named, so that a new one is compared below or said to be compared
    // elsewhere.
    let Checks {
        types: _,
        enumeration: _,
        constant: _,
        min_length: _,
        max_length: _,
        patterns: _,
        format: _,
        minimum: _,
        maximum: _,
        multiple_of: _,
        min_items: _,
        max_items: _,
        unique_items: _,
        min_properties: _,
        max_properties: _,
        required: _,
        applied: _,
        // Nested shapes are the caller's.
        items: _,
        tuple: _,
    } = a;
    let mut out = Vec::new();
    let mut push = |keyword, direction: Option<Direction>, before, after| {
        if let Some(direction) = direction {
            out.push(Delta {
                direction,
                keyword,
                before,
                after,
            });
        }
    };
    push(
        "type",
        set(a.types.as_deref(), b.types.as_deref()),
        a.types.as_ref().map(|t| json_types(t)),
        b.types.as_ref().map(|t| json_types(t)),
    );
    push(
        "enum",
        set(a.enumeration.as_deref(), b.enumeration.as_deref()),
        a.enumeration.as_ref().map(|v| values(v)),
        b.enumeration.as_ref().map(|v| values(v)),
    );
    push(
        "const",
        exact(&a.constant, &b.constant),
        a.constant.as_ref().map(Value::to_string),
        b.constant.as_ref().map(Value::to_string),
    );
    push(
        "minLength",
        lower_count(a.min_length, b.min_length),
        a.min_length.map(|n| n.to_string()),
        b.min_length.map(|n| n.to_string()),
    );
    push(
        "maxLength",
        upper_count(a.max_length, b.max_length),
        a.max_length.map(|n| n.to_string()),
        b.max_length.map(|n| n.to_string()),
    );
    let patterns = |c: &Checks| (!c.patterns.is_empty()).then(|| c.patterns.join(", "));
    push(
        "pattern",
        all_of(&a.patterns, &b.patterns),
        patterns(a),
        patterns(b),
    );
    push(
        "format",
        exact(&a.format, &b.format),
        a.format.clone(),
        b.format.clone(),
    );
    push(
        "minimum",
        lower_bound(a.minimum, b.minimum),
        a.minimum.map(|m| bound(m, ">")),
        b.minimum.map(|m| bound(m, ">")),
    );
    push(
        "maximum",
        lower_bound(a.maximum.map(negate), b.maximum.map(negate)),
        a.maximum.map(|m| bound(m, "<")),
        b.maximum.map(|m| bound(m, "<")),
    );
    push(
        "multipleOf",
        multiple_of(a.multiple_of, b.multiple_of),
        a.multiple_of.map(|n| n.to_string()),
        b.multiple_of.map(|n| n.to_string()),
    );
    push(
        "minItems",
        lower_count(a.min_items, b.min_items),
        a.min_items.map(|n| n.to_string()),
        b.min_items.map(|n| n.to_string()),
    );
    push(
        "maxItems",
        upper_count(a.max_items, b.max_items),
        a.max_items.map(|n| n.to_string()),
        b.max_items.map(|n| n.to_string()),
    );
    push(
        "uniqueItems",
        flag(a.unique_items, b.unique_items),
        a.unique_items.then(|| "true".to_owned()),
        b.unique_items.then(|| "true".to_owned()),
    );
    push(
        "minProperties",
        lower_count(a.min_properties, b.min_properties),
        a.min_properties.map(|n| n.to_string()),
        b.min_properties.map(|n| n.to_string()),
    );
    push(
        "maxProperties",
        upper_count(a.max_properties, b.max_properties),
        a.max_properties.map(|n| n.to_string()),
        b.max_properties.map(|n| n.to_string()),
    );
    // More required names accept fewer objects: the inverse of a set of allowed values.
    push(
        "required",
        set(Some(b.required.as_slice()), Some(a.required.as_slice())),
        (!a.required.is_empty()).then(|| names(&a.required)),
        (!b.required.is_empty()).then(|| names(&b.required)),
    );
    // Sub-schema checks are compared as a whole: any change is reported, with the keywords
    // each side has.
    push(
        "not/if/contains/dependent*/patternProperties",
        exact(&a.applied, &b.applied),
        a.applied.as_deref().map(applied_keywords),
        b.applied.as_deref().map(applied_keywords),
    );
    out
}

/// The keywords a set of sub-schema checks comes from, for the report.
fn applied_keywords(a: &crate::ir::Applied) -> String {
    let present = [
        ("not", a.not.is_some()),
        ("if", a.conditional.is_some()),
        ("dependentRequired", !a.dependent_required.is_empty()),
        ("dependentSchemas", !a.dependent_schemas.is_empty()),
        ("contains", a.contains.is_some()),
        ("propertyNames", a.property_names.is_some()),
        ("patternProperties", !a.pattern_properties.is_empty()),
        ("oneOf/anyOf", !a.branches.is_empty()),
        (
            "unevaluatedProperties",
            a.unevaluated.iter().any(|u| u.properties.is_some()),
        ),
        (
            "unevaluatedItems",
            a.unevaluated.iter().any(|u| u.items.is_some()),
        ),
    ];
    let names: Vec<&str> = present
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    names.join(", ")
}

/// A keyword that either holds (`true`) or not: holding accepts fewer values.
fn flag(a: bool, b: bool) -> Option<Direction> {
    match (a, b) {
        (false, true) => Some(Direction::Tightened),
        (true, false) => Some(Direction::Loosened),
        _ => None,
    }
}

/// A keyword whose values are not ordered: adding it tightens, removing it
/// loosens, replacing it changes.
fn exact<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> Option<Direction> {
    match (a, b) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(x), Some(y)) if x == y => None,
        (Some(_), Some(_)) => Some(Direction::Changed),
    }
}

/// Requirements that must all hold (patterns): more of them tighten, fewer loosen.
fn all_of<T: PartialEq>(a: &[T], b: &[T]) -> Option<Direction> {
    let within = |x: &[T], y: &[T]| x.iter().all(|v| y.contains(v));
    match (within(a, b), within(b, a)) {
        (true, true) => None,
        (true, false) => Some(Direction::Tightened),
        (false, true) => Some(Direction::Loosened),
        (false, false) => Some(Direction::Changed),
    }
}

/// A list of allowed values (absent: anything): fewer values tighten.
fn set<T: PartialEq>(a: Option<&[T]>, b: Option<&[T]>) -> Option<Direction> {
    match (a, b) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(x), Some(y)) => {
            let x_in_y = x.iter().all(|v| y.contains(v));
            let y_in_x = y.iter().all(|v| x.contains(v));
            match (x_in_y, y_in_x) {
                (true, true) => None,
                (false, true) => Some(Direction::Tightened),
                (true, false) => Some(Direction::Loosened),
                (false, false) => Some(Direction::Changed),
            }
        }
    }
}

/// A lower limit on a count (absent: 0): a higher limit tightens.
fn lower_count(a: Option<u64>, b: Option<u64>) -> Option<Direction> {
    order(a.unwrap_or(0).cmp(&b.unwrap_or(0)))
}

/// An upper limit on a count (absent: none): a lower limit tightens.
fn upper_count(a: Option<u64>, b: Option<u64>) -> Option<Direction> {
    order(b.unwrap_or(u64::MAX).cmp(&a.unwrap_or(u64::MAX)))
}

/// `Less`: the new limit is above the old one, as for a rising lower limit.
fn order(o: Ordering) -> Option<Direction> {
    match o {
        Ordering::Less => Some(Direction::Tightened),
        Ordering::Greater => Some(Direction::Loosened),
        Ordering::Equal => None,
    }
}

/// A lower bound: a higher value, or the same value made exclusive, tightens.
fn lower_bound(a: Option<Bound>, b: Option<Bound>) -> Option<Direction> {
    match (a, b) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(x), Some(y)) => match compare_numbers(x.value, y.value) {
            Ordering::Equal => flag(x.exclusive, y.exclusive),
            o => order(o),
        },
    }
}

/// An upper bound seen as a lower bound on the negated value.
fn negate(b: Bound) -> Bound {
    Bound {
        value: match b.value {
            Number::Int(i) => Number::Int(i.saturating_neg()),
            Number::Float(f) => Number::Float(-f),
        },
        exclusive: b.exclusive,
    }
}

/// Compares exactly when both are integers, as floats otherwise.
fn compare_numbers(a: Number, b: Number) -> Ordering {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x.cmp(&y),
        _ => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
    }
}

/// `multipleOf`: a multiple of the old divisor tightens, a divisor of it loosens.
fn multiple_of(a: Option<Number>, b: Option<Number>) -> Option<Direction> {
    match (a, b) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(x), Some(y)) => {
            if compare_numbers(x, y) == Ordering::Equal {
                None
            } else if divides(x, y) {
                Some(Direction::Tightened)
            } else if divides(y, x) {
                Some(Direction::Loosened)
            } else {
                Some(Direction::Changed)
            }
        }
    }
}

/// Whether `d` divides `n` (every multiple of `n` is a multiple of `d`).
fn divides(d: Number, n: Number) -> bool {
    match (d, n) {
        (Number::Int(0), _) => false,
        (Number::Int(d), Number::Int(n)) => n % d == 0,
        _ => {
            let q = n.as_f64() / d.as_f64();
            q.is_finite() && (q - q.round()).abs() < 1e-9
        }
    }
}

fn bound(b: Bound, exclusive: &str) -> String {
    if b.exclusive {
        format!("{exclusive} {}", b.value)
    } else {
        format!("{exclusive}= {}", b.value)
    }
}

fn json_types(types: &[crate::load::JsonType]) -> String {
    types
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn values(values: &[Value]) -> String {
    values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn names(names: &[String]) -> String {
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(a: &Checks, b: &Checks) -> (Direction, &'static str) {
        let deltas = compare(a, b);
        assert_eq!(deltas.len(), 1, "{deltas:?}");
        (deltas[0].direction, deltas[0].keyword)
    }

    fn int_bound(value: i128, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: Number::Int(value),
            exclusive,
        })
    }

    #[test]
    fn equal_checks_have_no_delta() {
        let c = Checks {
            max_length: Some(3),
            patterns: vec!["^a".into()],
            ..Checks::default()
        };
        assert!(compare(&c, &c.clone()).is_empty());
    }

    #[test]
    fn lower_limits_tighten_when_raised_and_loosen_when_lowered_or_dropped() {
        let none = Checks::default();
        let one_char = Checks {
            min_length: Some(1),
            ..Checks::default()
        };
        let three = Checks {
            min_length: Some(3),
            ..Checks::default()
        };
        assert_eq!(one(&one_char, &three), (Direction::Tightened, "minLength"));
        assert_eq!(one(&three, &one_char), (Direction::Loosened, "minLength"));
        assert_eq!(one(&three, &none), (Direction::Loosened, "minLength"));
        // `minLength: 0` accepts what no limit accepts.
        let zero = Checks {
            min_length: Some(0),
            ..Checks::default()
        };
        assert!(compare(&none, &zero).is_empty());
    }

    #[test]
    fn upper_limits_tighten_when_lowered_or_added() {
        let none = Checks::default();
        let ten = Checks {
            max_items: Some(10),
            ..Checks::default()
        };
        let five = Checks {
            max_items: Some(5),
            ..Checks::default()
        };
        assert_eq!(one(&ten, &five), (Direction::Tightened, "maxItems"));
        assert_eq!(one(&none, &ten), (Direction::Tightened, "maxItems"));
        assert_eq!(one(&five, &ten), (Direction::Loosened, "maxItems"));
        assert_eq!(one(&ten, &none), (Direction::Loosened, "maxItems"));
    }

    #[test]
    fn bounds_compare_values_then_exclusiveness() {
        let min = |value, exclusive| Checks {
            minimum: int_bound(value, exclusive),
            ..Checks::default()
        };
        let max = |value, exclusive| Checks {
            maximum: int_bound(value, exclusive),
            ..Checks::default()
        };
        assert_eq!(
            one(&min(0, false), &min(1, false)),
            (Direction::Tightened, "minimum")
        );
        assert_eq!(
            one(&min(0, false), &min(0, true)),
            (Direction::Tightened, "minimum")
        );
        assert_eq!(
            one(&min(0, true), &min(-5, true)),
            (Direction::Loosened, "minimum")
        );
        assert_eq!(
            one(&max(10, false), &max(9, false)),
            (Direction::Tightened, "maximum")
        );
        assert_eq!(
            one(&max(10, false), &max(10, true)),
            (Direction::Tightened, "maximum")
        );
        assert_eq!(
            one(&max(10, true), &max(11, false)),
            (Direction::Loosened, "maximum")
        );
        let float = Checks {
            maximum: Some(Bound {
                value: Number::Float(9.5),
                exclusive: false,
            }),
            ..Checks::default()
        };
        assert_eq!(
            one(&max(10, false), &float),
            (Direction::Tightened, "maximum")
        );
    }

    #[test]
    fn multiple_of_follows_divisibility() {
        let m = |n| Checks {
            multiple_of: Some(Number::Int(n)),
            ..Checks::default()
        };
        assert_eq!(one(&m(2), &m(4)), (Direction::Tightened, "multipleOf"));
        assert_eq!(one(&m(4), &m(2)), (Direction::Loosened, "multipleOf"));
        assert_eq!(one(&m(2), &m(3)), (Direction::Changed, "multipleOf"));
        let half = Checks {
            multiple_of: Some(Number::Float(0.5)),
            ..Checks::default()
        };
        assert_eq!(one(&half, &m(1)), (Direction::Tightened, "multipleOf"));
    }

    #[test]
    fn value_lists_compare_as_sets() {
        let e = |v: &[i64]| Checks {
            enumeration: Some(v.iter().map(|n| Value::from(*n)).collect()),
            ..Checks::default()
        };
        assert_eq!(one(&e(&[1, 2]), &e(&[1])), (Direction::Tightened, "enum"));
        assert_eq!(one(&e(&[1]), &e(&[2, 1])), (Direction::Loosened, "enum"));
        assert_eq!(one(&e(&[1]), &e(&[2])), (Direction::Changed, "enum"));
        assert!(compare(&e(&[1, 2]), &e(&[2, 1])).is_empty());
    }

    #[test]
    fn more_required_names_tighten() {
        let r = |v: &[&str]| Checks {
            required: v.iter().map(|s| (*s).to_owned()).collect(),
            ..Checks::default()
        };
        assert_eq!(
            one(&r(&["a"]), &r(&["a", "b"])),
            (Direction::Tightened, "required")
        );
        assert_eq!(
            one(&r(&["a", "b"]), &r(&[])),
            (Direction::Loosened, "required")
        );
        assert_eq!(
            one(&r(&["a"]), &r(&["b"])),
            (Direction::Changed, "required")
        );
    }

    #[test]
    fn pattern_added_removed_or_replaced() {
        let p = |s: Option<&str>| Checks {
            patterns: s.map(str::to_owned).into_iter().collect(),
            ..Checks::default()
        };
        assert_eq!(
            one(&p(None), &p(Some("^a"))),
            (Direction::Tightened, "pattern")
        );
        assert_eq!(
            one(&p(Some("^a")), &p(None)),
            (Direction::Loosened, "pattern")
        );
        assert_eq!(
            one(&p(Some("^a")), &p(Some("^b"))),
            (Direction::Changed, "pattern")
        );
        // A second pattern (from a merged `allOf` part) is one more requirement.
        let both = Checks {
            patterns: vec!["^a".to_owned(), "b$".to_owned()],
            ..Checks::default()
        };
        assert_eq!(
            one(&p(Some("^a")), &both),
            (Direction::Tightened, "pattern")
        );
        assert_eq!(one(&both, &p(Some("b$"))), (Direction::Loosened, "pattern"));
        let u = |b| Checks {
            unique_items: b,
            ..Checks::default()
        };
        assert_eq!(
            one(&u(false), &u(true)),
            (Direction::Tightened, "uniqueItems")
        );
    }
}
