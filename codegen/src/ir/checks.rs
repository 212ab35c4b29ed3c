//! Constraints as the IR holds them: exact numbers and bounds, the checks `validate()`
//! enforces on one value, and the sub-schema checks run on its JSON form.

use super::{Shape, UnionMode};
use crate::load::JsonType;
use serde_json::Value;
use std::cmp::Ordering;

/// A numeric bound, held exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer bound.
    Int(i128),
    /// A fractional bound.
    Float(f64),
}

impl Number {
    /// Reads a JSON number exactly.
    pub fn from_json(n: &serde_json::Number) -> Number {
        if let Some(i) = n.as_i64() {
            Number::Int(i128::from(i))
        } else if let Some(u) = n.as_u64() {
            Number::Int(i128::from(u))
        } else {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e30 {
                Number::Int(f as i128)
            } else {
                Number::Float(f)
            }
        }
    }

    /// As a float, for comparisons that need one.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// Compares two numbers exactly: integers as integers, an integer and a
    /// fraction without rounding the integer to a float.
    pub fn compare(self, other: Number) -> Ordering {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a.cmp(&b),
            (Number::Float(a), Number::Float(b)) => a.total_cmp(&b),
            (Number::Int(a), Number::Float(b)) => int_float(a, b),
            (Number::Float(a), Number::Int(b)) => int_float(b, a).reverse(),
        }
    }
}

/// Orders an integer against a float with no rounding.
fn int_float(i: i128, f: f64) -> Ordering {
    if f.is_nan() {
        return Ordering::Equal;
    }
    let floor = f.floor();
    // Beyond i128 (about 1.7e38) every integer is on one side.
    if floor >= 1.7e38 {
        return Ordering::Less;
    }
    if floor < -1.7e38 {
        return Ordering::Greater;
    }
    #[allow(clippy::cast_possible_truncation)]
    let whole = floor as i128;
    match i.cmp(&whole) {
        Ordering::Equal if f > floor => Ordering::Less,
        other => other,
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A lower or upper bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: Number,
    /// Whether the limit itself is excluded.
    pub exclusive: bool,
}

impl Bound {
    /// Of two lower bounds (`lower`) or two upper bounds, the one that admits
    /// fewer values: the higher minimum, the lower maximum, and at equal limits
    /// the exclusive one. Every bound merge (`allOf` parts, `minimum` beside
    /// `exclusiveMinimum`) goes through here.
    pub fn tightest(a: Option<Bound>, b: Option<Bound>, lower: bool) -> Option<Bound> {
        match (a, b) {
            (Some(a), Some(b)) => {
                let order = a.value.compare(b.value);
                let a_wins = match order {
                    Ordering::Equal => a.exclusive || !b.exclusive,
                    Ordering::Greater => lower,
                    Ordering::Less => !lower,
                };
                Some(if a_wins { a } else { b })
            }
            (a, b) => a.or(b),
        }
    }
}

/// Every constraint `validate()` enforces on one value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// Allowed JSON types, for values the Rust type does not pin down.
    pub types: Option<Vec<JsonType>>,
    /// `enum`, for values not generated as a Rust enum.
    pub enumeration: Option<Vec<Value>>,
    /// `const`.
    pub constant: Option<Value>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262): each one the value must match (several from merged `allOf`
    /// parts).
    pub patterns: Vec<String>,
    /// `format`, checked at run time.
    pub format: Option<String>,
    /// `minimum` / `exclusiveMinimum`.
    pub minimum: Option<Bound>,
    /// `maximum` / `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `required` on untyped objects.
    pub required: Vec<String>,
    /// `items` of a value whose type is not pinned down, or of a `Vec<serde_json::Value>`
    /// that is a tuple: checked on the array items after the `tuple` positions.
    pub items: Option<Box<Shape>>,
    /// The positions of a tuple (`prefixItems`, draft 4's `items: [..]`) held as an untyped
    /// value or a `Vec<serde_json::Value>`: item `i` of an array is checked against shape `i`.
    /// A closed tuple (`items: false`, `additionalItems: false`) is a `max_items`.
    pub tuple: Vec<Shape>,
    /// Sub-schemas the value (as JSON) must or must not match: `not`, `if`, `contains` ...
    pub applied: Option<Box<Applied>>,
}

/// Constraints through sub-schemas, checked on the JSON form of a value. A sub-schema
/// "matches" when the value deserializes into its shape and passes its checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// `not`: the value must not match.
    pub not: Option<Shape>,
    /// `if` / `then` / `else`.
    pub conditional: Option<Conditional>,
    /// `dependentRequired`: when the key is present, so must be the names.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// `dependentSchemas`: when the key is present, the object must match.
    pub dependent_schemas: Vec<(String, Shape)>,
    /// `contains` with its `minContains` (1 when absent) and `maxContains`.
    pub contains: Option<Contains>,
    /// `propertyNames`: each key, as a string, must match.
    pub property_names: Option<Shape>,
    /// `patternProperties`: each value whose key matches the pattern must match.
    pub pattern_properties: Vec<(String, Shape)>,
    /// Beside `patternProperties`: what `additionalProperties` asks of keys that no
    /// property or pattern claims, with the listed property names.
    pub unclaimed: Option<Unclaimed>,
    /// `oneOf` / `anyOf` beside `properties`: branches over the whole object, one group per
    /// keyword (`oneOf` first when both are given).
    pub branches: Vec<(UnionMode, Vec<Shape>)>,
    /// `unevaluatedProperties` / `unevaluatedItems`, one entry per schema that gives them.
    pub unevaluated: Vec<Unevaluated>,
}

/// `unevaluatedProperties` and `unevaluatedItems` of one schema: what they ask of the keys
/// and items that its keywords leave unevaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Unevaluated {
    /// The keys and items the schema's keywords evaluate.
    pub evaluation: Evaluation,
    /// `unevaluatedProperties`: `Some(None)` rejects each unevaluated key (`false`),
    /// `Some(Some(shape))` checks its value against the shape.
    pub properties: Option<Option<Shape>>,
    /// `unevaluatedItems`, in the same form.
    pub items: Option<Option<Shape>>,
}

/// Which keys and items of a value a schema evaluates (JSON Schema's annotations): its own
/// keywords' always, and those of a sub-schema (`oneOf`, `if` ..) when the value matches it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// `properties`: the names it lists.
    pub properties: Vec<String>,
    /// `patternProperties`: keys matching one of these patterns.
    pub patterns: Vec<String>,
    /// Every key (`additionalProperties`, or `unevaluatedProperties` of a sub-schema).
    pub all_properties: bool,
    /// `prefixItems`: this many first items.
    pub prefix_items: usize,
    /// Every item (`items`, or `unevaluatedItems` of a sub-schema).
    pub all_items: bool,
    /// `contains`: the items matching one of these shapes.
    pub contains: Vec<Shape>,
    /// Sub-schemas whose evaluations count when the value passes their conditions.
    pub gated: Vec<Gated>,
}

/// The evaluations of a sub-schema, counted when every condition holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Gated {
    /// What must hold (all of them).
    pub conditions: Vec<Condition>,
    /// What the sub-schema evaluates.
    pub evaluation: Evaluation,
}

/// A condition on the value under which a sub-schema's evaluations count.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The value matches the shape (a branch, `if`, `then`, `else`).
    Matches(Shape),
    /// The value does not match it (`if`, for `else`).
    Fails(Shape),
    /// The value is an object with this key (`dependentSchemas`).
    HasKey(String),
}

impl Evaluation {
    /// Whether it evaluates nothing, whatever the value.
    pub fn is_empty(&self) -> bool {
        *self == Evaluation::default()
    }
}

/// `if` / `then` / `else`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    /// `if`.
    pub condition: Shape,
    /// `then`, checked when `if` matches.
    pub then: Option<Shape>,
    /// `else`, checked when it does not.
    pub otherwise: Option<Shape>,
}

/// `contains`, `minContains`, `maxContains`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contains {
    /// The schema items are counted against.
    pub shape: Shape,
    /// Fewest matching items.
    pub min: u64,
    /// Most matching items.
    pub max: Option<u64>,
}

/// Keys beyond `properties` and `patternProperties`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unclaimed {
    /// The names `properties` lists.
    pub listed: Vec<String>,
    /// `None`: rejected (`additionalProperties: false`); else the shape values must match.
    pub shape: Option<Shape>,
}

crate::sparse::blank!(Checks);

/// One keyword constraint on a string, a number, an array's length or an object's size: the
/// one list that `validate()` (`emit/rust/checks.rs`), the example checker (`instance.rs`)
/// and the words of the docs (`emit/wording.rs`) all read, each with one `match` that the
/// compiler keeps complete.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint<'c> {
    /// `minLength`, in code points.
    MinLength(u64),
    /// `maxLength`, in code points.
    MaxLength(u64),
    /// `pattern` (ECMA-262), unanchored.
    Pattern(&'c str),
    /// `format`, checked at run time.
    Format(&'c str),
    /// `minimum` / `exclusiveMinimum`.
    Minimum(Bound),
    /// `maximum` / `exclusiveMaximum`.
    Maximum(Bound),
    /// `multipleOf`.
    MultipleOf(Number),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `minProperties`.
    MinProperties(u64),
    /// `maxProperties`.
    MaxProperties(u64),
}

/// The kind of value a [`Constraint`] applies to; a value of another kind passes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A string.
    String,
    /// A number.
    Number,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Constraint<'_> {
    /// The kind of value it applies to.
    pub fn subject(self) -> Subject {
        match self {
            Constraint::MinLength(_)
            | Constraint::MaxLength(_)
            | Constraint::Pattern(_)
            | Constraint::Format(_) => Subject::String,
            Constraint::Minimum(_) | Constraint::Maximum(_) | Constraint::MultipleOf(_) => {
                Subject::Number
            }
            Constraint::MinItems(_) | Constraint::MaxItems(_) | Constraint::UniqueItems => {
                Subject::Array
            }
            Constraint::MinProperties(_) | Constraint::MaxProperties(_) => Subject::Object,
        }
    }
}

impl Checks {
    /// Whether nothing is checked.
    pub fn is_empty(&self) -> bool {
        *self == Checks::default()
    }

    /// Every keyword constraint, in the order `validate()` checks them and the docs list
    /// them: string, number, array, then object keywords.
    pub fn constraints(&self) -> Vec<Constraint<'_>> {
        // Every field is named, so that a new one is placed here or said to be elsewhere.
        let Checks {
            min_length,
            max_length,
            patterns,
            format,
            minimum,
            maximum,
            multiple_of,
            min_items,
            max_items,
            unique_items,
            min_properties,
            max_properties,
            // Checked before the value's kind is known, or through shapes.
            types: _,
            enumeration: _,
            constant: _,
            required: _,
            items: _,
            tuple: _,
            applied: _,
        } = self;
        let mut out = Vec::new();
        out.extend(min_length.map(Constraint::MinLength));
        out.extend(max_length.map(Constraint::MaxLength));
        out.extend(patterns.iter().map(|p| Constraint::Pattern(p)));
        out.extend(format.as_deref().map(Constraint::Format));
        out.extend(minimum.map(Constraint::Minimum));
        out.extend(maximum.map(Constraint::Maximum));
        out.extend(multiple_of.map(Constraint::MultipleOf));
        out.extend(min_items.map(Constraint::MinItems));
        out.extend(max_items.map(Constraint::MaxItems));
        out.extend(unique_items.then_some(Constraint::UniqueItems));
        out.extend(min_properties.map(Constraint::MinProperties));
        out.extend(max_properties.map(Constraint::MaxProperties));
        out
    }

    /// The keyword constraints on values of one kind, in the order of [`Checks::constraints`].
    pub fn constraints_on(&self, subject: Subject) -> impl Iterator<Item = Constraint<'_>> {
        self.constraints()
            .into_iter()
            .filter(move |c| c.subject() == subject)
    }

    /// The shapes checked inside an untyped value (`items`, tuple `items`).
    pub fn nested(&self) -> impl Iterator<Item = &Shape> {
        self.items.as_deref().into_iter().chain(&self.tuple)
    }

    /// The shapes of the sub-schema checks (`not`, `if`/`then`/`else`, `dependentSchemas`,
    /// `contains`, `propertyNames`, `patternProperties`, unclaimed keys, branches beside
    /// properties, then those of `unevaluatedProperties` / `unevaluatedItems` and of the
    /// keywords they see), in that order: `validate()` parses the value into each.
    pub fn applied_shapes(&self) -> Vec<&Shape> {
        let mut out = Vec::new();
        if let Some(applied) = &self.applied {
            applied.shapes(&mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Bound, Checks, Constraint, Number, Subject};
    use std::cmp::Ordering;

    #[test]
    fn constraints_come_in_one_order_and_each_names_the_kind_of_value_it_applies_to() {
        let at_least_one = Bound {
            value: Number::Int(1),
            exclusive: false,
        };
        let checks = Checks {
            max_properties: Some(9),
            unique_items: true,
            multiple_of: Some(Number::Float(0.5)),
            format: Some("email".to_owned()),
            patterns: vec!["^a".to_owned(), "b$".to_owned()],
            min_length: Some(2),
            minimum: Some(at_least_one),
            // Not keyword constraints: left to the type, the listed values and the shapes.
            required: vec!["id".to_owned()],
            constant: Some(serde_json::json!(3)),
            ..Checks::default()
        };
        assert_eq!(
            checks.constraints(),
            [
                Constraint::MinLength(2),
                Constraint::Pattern("^a"),
                Constraint::Pattern("b$"),
                Constraint::Format("email"),
                Constraint::Minimum(at_least_one),
                Constraint::MultipleOf(Number::Float(0.5)),
                Constraint::UniqueItems,
                Constraint::MaxProperties(9),
            ]
        );
        let subjects: Vec<Subject> = checks.constraints().iter().map(|c| c.subject()).collect();
        use Subject::{Array, Number as Num, Object, String as Str};
        assert_eq!(subjects, [Str, Str, Str, Str, Num, Num, Array, Object]);
        let on_numbers: Vec<Constraint<'_>> = checks.constraints_on(Num).collect();
        assert_eq!(
            on_numbers,
            [
                Constraint::Minimum(at_least_one),
                Constraint::MultipleOf(Number::Float(0.5))
            ]
        );
        assert_eq!(Checks::default().constraints(), []);
    }

    fn b(value: Number, exclusive: bool) -> Option<Bound> {
        Some(Bound { value, exclusive })
    }

    #[test]
    fn the_tightest_lower_bound_is_the_highest_and_the_tightest_upper_the_lowest() {
        let (one, eighteen) = (b(Number::Int(1), false), b(Number::Int(18), false));
        assert_eq!(Bound::tightest(one, eighteen, true), eighteen);
        assert_eq!(Bound::tightest(eighteen, one, true), eighteen);
        assert_eq!(Bound::tightest(one, eighteen, false), one);
        assert_eq!(Bound::tightest(None, one, false), one);
    }

    #[test]
    fn at_an_equal_limit_the_exclusive_bound_wins() {
        let inclusive = b(Number::Int(5), false);
        let exclusive = b(Number::Float(5.0), true);
        assert_eq!(Bound::tightest(inclusive, exclusive, true), exclusive);
        assert_eq!(Bound::tightest(exclusive, inclusive, false), exclusive);
    }

    #[test]
    fn integers_compare_exactly_with_each_other_and_with_fractions() {
        let big = i128::from(i64::MAX);
        assert_eq!(
            Number::Int(big).compare(Number::Int(big - 1)),
            Ordering::Greater
        );
        assert_eq!(Number::Int(2).compare(Number::Float(2.5)), Ordering::Less);
        assert_eq!(
            Number::Float(-2.5).compare(Number::Int(-3)),
            Ordering::Greater
        );
        assert_eq!(Number::Int(3).compare(Number::Float(3.0)), Ordering::Equal);
    }
}
