//! Runtime support for validating generated models against their schema.
//!
//! Generated types implement [`Validate`]; their implementations call the keyword checks in
//! this module ([`min_length`], [`pattern`], [`format()`], [`minimum`], ...), each of which records a
//! [`Violation`] in a [`ValidationErrors`] collection when the value breaks the rule. Every
//! violation carries an RFC 6901 JSON Pointer to the offending value, built lazily from a
//! stack-allocated [`Path`], so validating a valid value allocates nothing.
//!
//! [`from_str`], [`from_slice`] and [`from_value`] deserialize and validate in one call.
//!
//! This file is copied verbatim into every generated crate; do not edit the copy.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// One rule broken by one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// RFC 6901 JSON Pointer to the offending value; empty for the document root.
    pub pointer: String,
    /// The schema keyword that failed, such as `"minLength"` or `"required"`.
    pub keyword: &'static str,
    /// A short human-readable description of the failure.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_pointer(&self.pointer), self.message)
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

/// Every [`Violation`] found while validating one value, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// Creates an empty collection; does not allocate.
    pub const fn new() -> Self {
        Self {
            violations: Vec::new(),
        }
    }

    /// Records that the value at `path` broke `keyword`.
    pub fn push(&mut self, path: &Path<'_>, keyword: &'static str, message: impl Into<String>) {
        self.violations.push(Violation {
            pointer: path.to_pointer(),
            keyword,
            message: message.into(),
        });
    }

    /// Returns `true` when no violation has been recorded.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// Returns the number of recorded violations.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Iterates over the recorded violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// Returns `Ok(())` when empty, otherwise `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

/// Which way a value travels, for the properties marked `readOnly` or `writeOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Either way ([`Validate::validate`]): `readOnly` and `writeOnly` are not checked.
    Any,
    /// To the server ([`Validate::validate_request`]): a read-only property must be absent,
    /// and a required write-only one present.
    Request,
    /// From the server ([`Validate::validate_response`]): a write-only property must be
    /// absent, and a required read-only one present.
    Response,
}

/// A JSON Pointer built on the stack as validation descends; it is turned into a `String`
/// only when a violation is recorded, so the success path allocates nothing. It also carries
/// the [`Direction`] of the whole validation down to every nested value.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
    direction: Direction,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl Path<'static> {
    /// The document root, whose pointer is the empty string, validated in either direction.
    pub const ROOT: Path<'static> = Path::root(Direction::Any);

    /// The document root of a value travelling in `direction`.
    pub const fn root(direction: Direction) -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Root,
            direction,
        }
    }
}

impl<'a> Path<'a> {
    /// The path of the property `key` of the object at `self`.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
            direction: self.direction,
        }
    }

    /// The path of the item at `index` of the array at `self`.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
            direction: self.direction,
        }
    }

    /// The direction the value at this path travels in.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Renders the path as an RFC 6901 JSON Pointer (`~` becomes `~0`, `/` becomes `~1`);
    /// the root is the empty string.
    pub fn to_pointer(&self) -> String {
        let mut out = String::new();
        self.write_pointer(&mut out);
        out
    }

    fn write_pointer(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_pointer(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Key(key) => push_token(out, key),
            Segment::Index(index) => {
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
}

fn push_token(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A value that can check itself against the schema it was generated from.
pub trait Validate {
    /// Validates `self` and returns every violation found. `readOnly` and `writeOnly` are not
    /// checked: a required read-only or write-only property may be absent.
    fn validate(&self) -> Result<(), ValidationErrors> {
        self.validate_in(Direction::Any)
    }

    /// Validates `self` as the body of a request: as [`Validate::validate`], and a read-only
    /// property that is present, or a required write-only one that is absent, is a violation.
    fn validate_request(&self) -> Result<(), ValidationErrors> {
        self.validate_in(Direction::Request)
    }

    /// Validates `self` as the body of a response: as [`Validate::validate`], and a write-only
    /// property that is present, or a required read-only one that is absent, is a violation.
    fn validate_response(&self) -> Result<(), ValidationErrors> {
        self.validate_in(Direction::Response)
    }

    /// Validates `self` as a value travelling in `direction`.
    fn validate_in(&self, direction: Direction) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.validate_at(&Path::root(direction), &mut errors);
        errors.into_result()
    }

    /// Appends every violation found in `self`, located under `path`, to `errors`.
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors);
}

macro_rules! leaf_validate {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _path: &Path<'_>, _errors: &mut ValidationErrors) {}
        })*
    };
}

leaf_validate!(
    String, str, bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize,
    f32, f64, Value,
    serde_json::Map<String, Value>,
);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_at(path, errors);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&path.index(i), errors);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        self.as_slice().validate_at(path, errors);
    }
}

/// A tuple checks each position at its index, and is diagnosed by parsing it whole.
macro_rules! tuple_validate {
    ($(($($name:ident $index:tt),+)),* $(,)?) => {
        $(impl<$($name: Validate),+> Validate for ($($name,)+) {
            fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
                $(self.$index.validate_at(&path.index($index), errors);)+
            }
        }

        /// A tuple is parsed whole (a named fixed-length tuple is an alias of one).
        impl<$($name: Diagnose),+> Diagnose for ($($name,)+) {})*
    };
}

tuple_validate!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11),
);

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        for (key, value) in self {
            value.validate_at(&path.key(key), errors);
        }
    }
}

/// An exact number literal, used for bounds in generated code so that integer bounds never
/// pass through `f64`.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    /// An integer, compared exactly.
    Int(i128),
    /// A floating-point number.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl Number {
    /// The value as an `i128` when it is an integer, including floats with no fraction.
    fn as_exact_int(self) -> Option<i128> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(x) if x.fract() == 0.0 && (-TWO_POW_127..TWO_POW_127).contains(&x) => {
                Some(x as i128)
            }
            Number::Float(_) => None,
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(x) => x,
        }
    }
}

/// 2^127 as `f64` (exact); every float in `-2^127..2^127` converts exactly to `i128` once truncated.
const TWO_POW_127: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;

/// Compares two numbers exactly; `None` only when a NaN is involved.
fn compare(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(x), Number::Float(y)) => compare_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => compare_int_float(y, x).map(Ordering::reverse),
    }
}

fn compare_int_float(int: i128, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    let truncated = float.trunc();
    if truncated >= TWO_POW_127 {
        return Some(Ordering::Less);
    }
    if truncated < -TWO_POW_127 {
        return Some(Ordering::Greater);
    }
    // In range and integral, so the conversion is exact.
    let whole = truncated as i128;
    Some(int.cmp(&whole).then(if float > truncated {
        Ordering::Less
    } else if float < truncated {
        Ordering::Greater
    } else {
        Ordering::Equal
    }))
}

/// Checks `minLength`, counting Unicode code points.
pub fn min_length(value: &str, min: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    let length = value.chars().count() as u64;
    if length < min {
        let message = format!("length {length} is less than minLength {min}");
        errors.push(path, "minLength", message);
    }
}

/// Checks `maxLength`, counting Unicode code points.
pub fn max_length(value: &str, max: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    let length = value.chars().count() as u64;
    if length > max {
        let message = format!("length {length} is greater than maxLength {max}");
        errors.push(path, "maxLength", message);
    }
}

/// Checks `pattern` with ECMA-262 semantics: the regex may match anywhere in `value`.
/// `source` is the pattern as written in the schema, used in the message.
pub fn pattern(
    value: &str,
    regex: &regress::Regex,
    source: &str,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if regex.find(value).is_none() {
        errors.push(
            path,
            "pattern",
            format!("does not match pattern `{source}`"),
        );
    }
}

/// The one table of formats: every format the generator knows, with the check
/// [`format()`] runs for it (`None`: an annotation only, or carried by the Rust type).
/// It expands to [`KNOWN_FORMATS`] (which the generator reads: any other format is
/// reported as unknown) and to the dispatch of [`format()`], so the two cannot drift.
macro_rules! format_table {
    ($($name:literal => $check:expr,)*) => {
        /// Every format known: checked by [`format()`], or an annotation only.
        pub const KNOWN_FORMATS: &[&str] = &[$($name),*];

        /// The check of a known format, if it has one.
        #[inline]
        fn format_check(format: &str) -> Option<fn(&[u8]) -> bool> {
            match format {
                $($name => $check,)*
                _ => None,
            }
        }
    };
}

// The checks of `idn-hostname` and `idn-email` need Unicode data from other crates, which a
// generated crate depends on only when one of its schemas uses one of these formats: its
// `validation/idn.rs` is `runtime/idn.rs` then, else `runtime/idn_unchecked.rs`, where the two
// formats have no check.
mod idn;

format_table! {
    // JSON Schema (draft 2020-12, section 7.3).
    "date-time" => Some(is_date_time),
    "date" => Some(is_date),
    "time" => Some(is_time),
    "duration" => Some(is_duration),
    "email" => Some(is_email),
    "idn-email" => idn::IDN_EMAIL,
    "hostname" => Some(is_hostname),
    "idn-hostname" => idn::IDN_HOSTNAME,
    "ipv4" => Some(is_ipv4),
    "ipv6" => Some(is_ipv6),
    "uri" => Some(is_uri),
    "uri-reference" => Some(is_uri_reference),
    "iri" => Some(is_iri),
    "iri-reference" => Some(is_iri_reference),
    "uuid" => Some(is_uuid),
    "uri-template" => Some(is_uri_template),
    "json-pointer" => Some(is_json_pointer),
    "relative-json-pointer" => Some(is_relative_json_pointer),
    "regex" => Some(is_regex),
    // OpenAPI (3.0 data types and the format registry). The numeric ones size the Rust
    // type of numbers; on a string they are annotations.
    "int8" => None,
    "int16" => None,
    "int32" => None,
    "int64" => None,
    "uint8" => None,
    "uint16" => None,
    "uint32" => None,
    "uint64" => None,
    "float" => None,
    "double" => None,
    "double-int" => None,
    "decimal" => None,
    "decimal128" => None,
    "byte" => Some(is_base64),
    "base64url" => None,
    "binary" => None,
    "password" => None,
    "char" => None,
    "commonmark" => None,
    "html" => None,
    "http-date" => None,
    "media-range" => None,
    "sf-binary" => None,
    "sf-boolean" => None,
    "sf-decimal" => None,
    "sf-integer" => None,
    "sf-string" => None,
    "sf-token" => None,
}

/// Checks the `format` keyword against [`KNOWN_FORMATS`]; a format without a check passes.
///
/// Inlined, so that the `match` on a literal `format` folds away at each call site.
#[inline]
pub fn format(value: &str, format: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    if let Some(check) = format_check(format) {
        if !check(value.as_bytes()) {
            format_violation(value, format, path, errors);
        }
    }
}

#[cold]
#[inline(never)]
fn format_violation(value: &str, format: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    let message = format!("`{}` is not a valid {format}", preview_str(value));
    errors.push(path, "format", message);
}

/// Checks `minimum` (or `exclusiveMinimum` when `exclusive`), comparing exactly.
pub fn minimum(
    value: Number,
    bound: Number,
    exclusive: bool,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    let order = compare(value, bound);
    if exclusive && order != Some(Ordering::Greater) {
        let message = format!("value {value} is not greater than exclusiveMinimum {bound}");
        errors.push(path, "exclusiveMinimum", message);
    } else if !exclusive && matches!(order, None | Some(Ordering::Less)) {
        let message = format!("value {value} is less than minimum {bound}");
        errors.push(path, "minimum", message);
    }
}

/// Checks `maximum` (or `exclusiveMaximum` when `exclusive`), comparing exactly.
pub fn maximum(
    value: Number,
    bound: Number,
    exclusive: bool,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    let order = compare(value, bound);
    if exclusive && order != Some(Ordering::Less) {
        let message = format!("value {value} is not less than exclusiveMaximum {bound}");
        errors.push(path, "exclusiveMaximum", message);
    } else if !exclusive && matches!(order, None | Some(Ordering::Greater)) {
        let message = format!("value {value} is greater than maximum {bound}");
        errors.push(path, "maximum", message);
    }
}

/// Checks `multipleOf`: exact for integers, tolerant of binary rounding for decimals
/// (`0.07` is a multiple of `0.01`). A zero divisor never fails.
pub fn multiple_of(value: Number, divisor: Number, path: &Path<'_>, errors: &mut ValidationErrors) {
    let is_multiple = match (value.as_exact_int(), divisor.as_exact_int()) {
        (_, Some(0)) => true,
        // `checked_rem` is `None` only for `i128::MIN % -1`, which is a multiple.
        (Some(v), Some(d)) => v.checked_rem(d).unwrap_or(0) == 0,
        _ => {
            let (v, d) = (value.as_f64(), divisor.as_f64());
            let quotient = v / d;
            if d == 0.0 {
                true
            } else if !quotient.is_finite() {
                false
            } else {
                (quotient - quotient.round()).abs() <= quotient.abs() * 1e-12
            }
        }
    };
    if !is_multiple {
        errors.push(
            path,
            "multipleOf",
            format!("{value} is not a multiple of {divisor}"),
        );
    }
}

fn counted(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "property") => format!("{count} properties"),
        _ => format!("{count} {noun}s"),
    }
}

/// Checks `minItems` against an array of `len` items.
pub fn min_items(len: usize, min: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    if (len as u64) < min {
        let message = format!("{} is fewer than minItems {min}", counted(len, "item"));
        errors.push(path, "minItems", message);
    }
}

/// Checks `maxItems` against an array of `len` items.
pub fn max_items(len: usize, max: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    if len as u64 > max {
        let message = format!("{} is more than maxItems {max}", counted(len, "item"));
        errors.push(path, "maxItems", message);
    }
}

fn first_duplicate<T>(items: &[T], equal: impl Fn(&T, &T) -> bool) -> Option<(usize, usize)> {
    items.iter().enumerate().find_map(|(j, b)| {
        let i = items.get(..j)?.iter().position(|a| equal(a, b))?;
        Some((i, j))
    })
}

fn push_duplicate(pair: Option<(usize, usize)>, path: &Path<'_>, errors: &mut ValidationErrors) {
    if let Some((i, j)) = pair {
        let message = format!("items {i} and {j} are equal (uniqueItems)");
        errors.push(path, "uniqueItems", message);
    }
}

/// Checks `uniqueItems` for typed items, reporting the first equal pair.
pub fn unique_items<T: PartialEq>(items: &[T], path: &Path<'_>, errors: &mut ValidationErrors) {
    push_duplicate(first_duplicate(items, T::eq), path, errors);
}

/// Checks `uniqueItems` for JSON values, compared with [`json_equal`].
pub fn unique_values(items: &[Value], path: &Path<'_>, errors: &mut ValidationErrors) {
    push_duplicate(first_duplicate(items, json_equal), path, errors);
}

/// Checks `minProperties` against an object with `count` properties.
pub fn min_properties(count: usize, min: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    if (count as u64) < min {
        let have = counted(count, "property");
        let message = format!("{have} is fewer than minProperties {min}");
        errors.push(path, "minProperties", message);
    }
}

/// Checks `maxProperties` against an object with `count` properties.
pub fn max_properties(count: usize, max: u64, path: &Path<'_>, errors: &mut ValidationErrors) {
    if count as u64 > max {
        let have = counted(count, "property");
        let message = format!("{have} is more than maxProperties {max}");
        errors.push(path, "maxProperties", message);
    }
}

/// JSON Schema equality: numbers by value (`1 == 1.0`), objects by content regardless of key
/// order, arrays element by element.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => match (number_of(a), number_of(b)) {
            (Some(x), Some(y)) => compare(x, y) == Some(Ordering::Equal),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// Renders a value as JSON, shortened to keep messages readable.
fn preview(value: &Value) -> String {
    preview_str(&value.to_string()).into_owned()
}

fn preview_str(text: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 64;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()).into(),
        None => text.into(),
    }
}

/// Checks `enum`: `value` must equal one of `allowed` (see [`json_equal`]).
pub fn enum_value(
    value: &Value,
    allowed: &[Value],
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if !allowed.iter().any(|candidate| json_equal(value, candidate)) {
        let list: Vec<String> = allowed.iter().map(preview).collect();
        let message = format!("{} is not one of {}", preview(value), list.join(", "));
        errors.push(path, "enum", message);
    }
}

/// Checks `const`: `value` must equal `expected` (see [`json_equal`]).
pub fn const_value(
    value: &Value,
    expected: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if !json_equal(value, expected) {
        let message = format!("{} is not equal to {}", preview(value), preview(expected));
        errors.push(path, "const", message);
    }
}

/// A typed scalar seen as JSON, so that `enum` and `const` can compare it with the schema's
/// values without building a [`Value`].
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'a> {
    /// A string.
    String(&'a str),
    /// A number, compared by value (`1` equals `1.0`).
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
}

impl Scalar<'_> {
    /// JSON equality with `json` (see [`json_equal`]).
    pub fn equals(self, json: &Value) -> bool {
        match (self, json) {
            (Scalar::String(a), Value::String(b)) => a == b,
            (Scalar::Bool(a), Value::Bool(b)) => a == *b,
            (Scalar::Number(a), Value::Number(_)) => {
                number_of(json).is_some_and(|b| compare(a, b) == Some(Ordering::Equal))
            }
            _ => false,
        }
    }

    fn preview(self) -> String {
        match self {
            Scalar::String(s) => preview(&Value::String(s.to_owned())),
            Scalar::Number(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// Checks `enum` for a typed scalar: `value` must equal one of `allowed`.
pub fn enum_scalar(
    value: Scalar<'_>,
    allowed: &[Value],
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if !allowed.iter().any(|candidate| value.equals(candidate)) {
        let list: Vec<String> = allowed.iter().map(preview).collect();
        let message = format!("{} is not one of {}", value.preview(), list.join(", "));
        errors.push(path, "enum", message);
    }
}

/// Checks `const` for a typed scalar: `value` must equal `expected`.
pub fn const_scalar(
    value: Scalar<'_>,
    expected: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    if !value.equals(expected) {
        let message = format!("{} is not equal to {}", value.preview(), preview(expected));
        errors.push(path, "const", message);
    }
}

/// A JSON type named by the `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// Any JSON number.
    Number,
    /// A number with no fractional part (`1.0` included).
    Integer,
    /// A JSON string.
    String,
}

impl JsonType {
    fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::String => "string",
        }
    }

    /// The most specific type of `value`.
    fn of(value: &Value) -> JsonType {
        match value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Object(_) => JsonType::Object,
            Value::Array(_) => JsonType::Array,
            Value::String(_) => JsonType::String,
            Value::Number(_) => match number_of(value) {
                Some(Number::Float(x)) if x.fract() != 0.0 => JsonType::Number,
                _ => JsonType::Integer,
            },
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Checks `type`: `value` must be one of the `allowed` types.
pub fn json_type(
    value: &Value,
    allowed: &[JsonType],
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    let actual = JsonType::of(value);
    let ok = allowed
        .iter()
        .any(|&t| t == actual || (t == JsonType::Number && actual == JsonType::Integer));
    if !ok {
        let names: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
        let message = if names.is_empty() {
            // A `false` schema, such as a property another `allOf` part closes off.
            format!("no value is allowed here, found {actual}")
        } else {
            format!("expected {}, found {actual}", names.join(" or "))
        };
        errors.push(path, "type", message);
    }
}

/// The JSON form of a typed value, which the sub-schema checks (`anyOf`, `not`, ...) read.
/// A float with no fraction is written as the integer it equals: JSON Schema counts `0.0` as
/// the integer 0, and an `f64` that read `0` must still meet `type: integer` there.
pub fn json_form<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    let mut json = serde_json::to_value(value).unwrap_or_default();
    whole_floats_as_integers(&mut json);
    json
}

fn whole_floats_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            // 2^63 and 2^64: the integers in these ranges are exact as `i64`/`u64`.
            const I64_END: f64 = 9_223_372_036_854_775_808.0;
            const U64_END: f64 = 18_446_744_073_709_551_616.0;
            let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0) else {
                return;
            };
            if (-I64_END..I64_END).contains(&f) {
                *n = serde_json::Number::from(f as i64);
            } else if (0.0..U64_END).contains(&f) {
                *n = serde_json::Number::from(f as u64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

/// The number in `value`, or `None` when it is not a JSON number.
pub fn number_of(value: &Value) -> Option<Number> {
    let n = match value {
        Value::Number(n) => n,
        _ => return None,
    };
    if let Some(i) = n.as_i64() {
        Some(Number::Int(i.into()))
    } else if let Some(u) = n.as_u64() {
        Some(Number::Int(u.into()))
    } else {
        n.as_f64().map(Number::Float)
    }
}

/// Checks `oneOf`, given how many of the alternatives matched.
pub fn one_of(matches: usize, path: &Path<'_>, errors: &mut ValidationErrors) {
    if matches != 1 {
        let message = format!("matches {matches} of the oneOf schemas, expected exactly 1");
        errors.push(path, "oneOf", message);
    }
}

/// Checks `anyOf`, given how many of the alternatives matched.
pub fn any_of(matches: usize, path: &Path<'_>, errors: &mut ValidationErrors) {
    if matches == 0 {
        errors.push(path, "anyOf", "matches none of the anyOf schemas");
    }
}

/// Checks `not`, given whether the value matched the schema it must not match.
pub fn not(matched: bool, path: &Path<'_>, errors: &mut ValidationErrors) {
    if matched {
        errors.push(path, "not", "matches the schema it must not match");
    }
}

/// Checks `contains` with `minContains` and `maxContains`, given how many items matched.
pub fn contains(
    count: usize,
    min: u64,
    max: Option<u64>,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    let count = count as u64;
    if count < min {
        let message = format!("{count} items match the `contains` schema, at least {min} must");
        errors.push(path, "contains", message);
    }
    if let Some(max) = max.filter(|m| count > *m) {
        let message = format!("{count} items match the `contains` schema, at most {max} may");
        errors.push(path, "maxContains", message);
    }
}

/// Whether a key matches a `patternProperties` regex compiled once into a static.
pub fn is_match(regex: Option<&regress::Regex>, key: &str) -> bool {
    regex.is_some_and(|r| r.find(key).is_some())
}

/// Checks `required` for the property `name` of the object at `path`.
pub fn required(present: bool, name: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    if !present {
        errors.push(
            path,
            "required",
            format!("missing required property `{name}`"),
        );
    }
}

/// `readOnly` on the property `name` of the object at `path`: in a request it must be absent;
/// in a response, when `required`, present.
pub fn read_only(
    present: bool,
    required: bool,
    name: &str,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    access(present, required, name, Direction::Request, path, errors);
}

/// `writeOnly` on the property `name` of the object at `path`: in a response it must be
/// absent; in a request, when `required`, present.
pub fn write_only(
    present: bool,
    required: bool,
    name: &str,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    access(present, required, name, Direction::Response, path, errors);
}

/// A property kept out of the values travelling in `forbidden`, and required (when
/// `required`) in those travelling the other way.
fn access(
    present: bool,
    required: bool,
    name: &str,
    forbidden: Direction,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    let direction = path.direction();
    if direction == Direction::Any {
        return;
    }
    if direction != forbidden {
        if required {
            self::required(present, name, path, errors);
        }
    } else if present {
        let (keyword, message) = match forbidden {
            Direction::Request => (
                "readOnly",
                "read-only property must not be sent in a request",
            ),
            _ => (
                "writeOnly",
                "write-only property must not be sent in a response",
            ),
        };
        errors.push(&path.key(name), keyword, message);
    }
}

/// Records that the object at `path` has the property `name`, which the schema forbids.
pub fn additional_property(name: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    let message = format!("property `{name}` is not allowed");
    errors.push(path, "additionalProperties", message);
}

/// The keys and items of one JSON value that a schema's keywords evaluated (`properties`,
/// `patternProperties`, `items`, `contains`, and those of the sub-schemas the value matched):
/// what `unevaluatedProperties` and `unevaluatedItems` leave alone.
#[derive(Debug, Default)]
pub struct Evaluated<'a> {
    all_keys: bool,
    keys: std::collections::BTreeSet<&'a str>,
    all_items: bool,
    prefix: usize,
    items: std::collections::BTreeSet<usize>,
}

impl<'a> Evaluated<'a> {
    /// Nothing evaluated yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `properties`: the key `name`.
    pub fn property(&mut self, name: &'a str) {
        self.keys.insert(name);
    }

    /// `patternProperties`: the keys of `value` (an object) that `regex` matches.
    pub fn pattern(&mut self, value: &'a Value, regex: Option<&regress::Regex>) {
        if let Value::Object(o) = value {
            let matching = o.keys().filter(|k| is_match(regex, k));
            self.keys.extend(matching.map(String::as_str));
        }
    }

    /// `additionalProperties`, or `unevaluatedProperties` of a sub-schema: every key.
    pub fn all_properties(&mut self) {
        self.all_keys = true;
    }

    /// `prefixItems`: the first `count` items.
    pub fn prefix_items(&mut self, count: usize) {
        self.prefix = self.prefix.max(count);
    }

    /// `items`, or `unevaluatedItems` of a sub-schema: every item.
    pub fn all_items(&mut self) {
        self.all_items = true;
    }

    /// `contains`: the item at `index`, which matched.
    pub fn item(&mut self, index: usize) {
        self.items.insert(index);
    }

    /// The entries of `value` (an object) that nothing evaluated.
    pub fn unevaluated_properties<'v>(&self, value: &'v Value) -> Vec<(&'v String, &'v Value)> {
        match value {
            Value::Object(o) if !self.all_keys => o
                .iter()
                .filter(|(k, _)| !self.keys.contains(k.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The items of `value` (an array), with their index, that nothing evaluated.
    pub fn unevaluated_items<'v>(&self, value: &'v Value) -> Vec<(usize, &'v Value)> {
        match value {
            Value::Array(a) if !self.all_items => a
                .iter()
                .enumerate()
                .filter(|(i, _)| *i >= self.prefix && !self.items.contains(i))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Records that the property `name` of the object at `path` is one no keyword evaluated,
/// which `unevaluatedProperties: false` forbids.
pub fn unevaluated_property(name: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
    let message = format!("property `{name}` is not evaluated by the schema and is not allowed");
    errors.push(&path.key(name), "unevaluatedProperties", message);
}

/// Records that the item `index` of the array at `path` is one no keyword evaluated, which
/// `unevaluatedItems: false` forbids.
pub fn unevaluated_item(index: usize, path: &Path<'_>, errors: &mut ValidationErrors) {
    let message = format!("item {index} is not evaluated by the schema and is not allowed");
    errors.push(&path.index(index), "unevaluatedItems", message);
}

/// Why [`from_str`], [`from_slice`] or [`from_value`] failed.
#[derive(Debug)]
pub enum Error {
    /// The input is not valid JSON or does not have the shape of the target type.
    Parse {
        /// RFC 6901 JSON Pointer to where deserialization failed; empty for the root.
        pointer: String,
        /// The deserializer's description of the failure.
        message: String,
        /// Every problem of an input that is JSON, found by reading it again property by
        /// property (see [`Diagnose`]): each missing required property, each value of the
        /// wrong type, each unknown key of a closed object, and the violations of the unions
        /// and enums that did parse. Empty when the input is not JSON at all, or nests deeper than 48
        /// levels (reading it again would take the stack the typed parse spared).
        problems: ValidationErrors,
    },
    /// The input has the right shape but breaks the schema's rules.
    Invalid(ValidationErrors),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse {
                pointer,
                message,
                problems,
            } => {
                if problems.len() > 1 {
                    problems.fmt(f)
                } else {
                    write!(f, "{}: {message}", display_pointer(pointer))
                }
            }
            Error::Invalid(errors) => errors.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        Error::Invalid(errors)
    }
}

fn parse_error<E: fmt::Display>(error: serde_path_to_error::Error<E>) -> Error {
    let pointer = pointer_of(error.path());
    let message = shorten_middle(explain_integer(error.inner().to_string()));
    Error::Parse {
        pointer,
        message,
        problems: ValidationErrors::new(),
    }
}

/// The JSON Pointer of a deserialization path.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => push_token(&mut pointer, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}

/// Says in the schema's words why a number does not fit an integer field: integers without a
/// `format` are 64-bit (`i64`), and `int8` ... `uint64` are the Rust type of that size, so an
/// integer beyond that range (JSON Schema allows any size) is rejected, and named as such
/// instead of as serde's type mismatch.
fn explain_integer(message: String) -> String {
    let Some((head, rest)) = message.split_once(", expected ") else {
        return message;
    };
    let width = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let (ty, position) = rest.split_at(width);
    let format = match ty {
        "i64" => "an integer without a format is held as i64, from -9223372036854775808 to 9223372036854775807",
        "i32" => "format int32 is held as i32, from -2147483648 to 2147483647",
        "i16" => "format int16 is held as i16, from -32768 to 32767",
        "i8" => "format int8 is held as i8, from -128 to 127",
        "u64" => "format uint64 is held as u64, from 0 to 18446744073709551615",
        "u32" => "format uint32 is held as u32, from 0 to 4294967295",
        "u16" => "format uint16 is held as u16, from 0 to 65535",
        "u8" => "format uint8 is held as u8, from 0 to 255",
        _ => return message,
    };
    let quoted = |prefix: &str| {
        head.strip_prefix(prefix)
            .and_then(|v| v.strip_prefix('`'))
            .and_then(|v| v.strip_suffix('`'))
            .map(str::to_owned)
    };
    if let Some(number) = quoted("invalid value: integer ") {
        return format!("`{number}` is outside the range of the integer type ({format}){position}");
    }
    match quoted("invalid type: floating point ") {
        // serde_json reads an integer too large for 64 bits as a float (`1e52`).
        Some(number)
            if number
                .parse::<f64>()
                .is_ok_and(|f| f.fract() == 0.0 && f.abs() >= 9.2e18) =>
        {
            format!("`{number}` is outside the range of the integer type ({format}){position}")
        }
        Some(number) => format!("`{number}` is not an integer{position}"),
        None => message,
    }
}

/// Keeps a parse message readable when it quotes a huge input (a 100 MB string in a number
/// field): the start and the end, which say what was found and what was expected, survive.
fn shorten_middle(message: String) -> String {
    const HEAD: usize = 120;
    const TAIL: usize = 100;
    let count = message.chars().count();
    if count <= HEAD + TAIL + 1 {
        return message;
    }
    let head: String = message.chars().take(HEAD).collect();
    let tail: String = message.chars().skip(count - TAIL).collect();
    format!("{head}…{tail}")
}

fn from_json<'de, T, R>(mut deserializer: serde_json::Deserializer<R>) -> Result<T, Error>
where
    T: serde::Deserialize<'de> + Validate,
    R: serde_json::de::Read<'de>,
{
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(parse_error)?;
    deserializer.end().map_err(|error| Error::Parse {
        pointer: String::new(),
        message: shorten_middle(error.to_string()),
        problems: ValidationErrors::new(),
    })?;
    checked(value)
}

/// Validates a value that deserialized without error.
fn checked<T: Validate>(value: T) -> Result<T, Error> {
    value.validate()?;
    Ok(value)
}

/// Deserializes a `T` from JSON text and validates it.
///
/// Tracking the path costs as much as validating, so it is done only when the input does not
/// deserialize: the second pass, on the same input, fails at the same place. The input is
/// then read a third time, as a JSON value checked property by property ([`Diagnose`]), so
/// that the error lists every problem, not only the first.
pub fn from_str<T: Diagnose>(json: &str) -> Result<T, Error> {
    match serde_json::from_str(json) {
        Ok(value) => checked(value),
        Err(_) => from_json(serde_json::Deserializer::from_str(json))
            .map_err(|first| diagnosed::<T>(first, || json_value(json.as_bytes()))),
    }
}

/// Deserializes a `T` from JSON bytes and validates it (see [`from_str`]).
pub fn from_slice<T: Diagnose>(json: &[u8]) -> Result<T, Error> {
    match serde_json::from_slice(json) {
        Ok(value) => checked(value),
        Err(_) => from_json(serde_json::Deserializer::from_slice(json))
            .map_err(|first| diagnosed::<T>(first, || json_value(json))),
    }
}

/// Deserializes a `T` from a JSON value and validates it (see [`from_str`]).
pub fn from_value<T: Diagnose>(value: Value) -> Result<T, Error> {
    match serde_path_to_error::deserialize(&value) {
        Ok(parsed) => checked(parsed),
        Err(error) => Err(diagnosed::<T>(parse_error(error), || Some(value))),
    }
}

/// How deep the input of a failed parse may nest for it to be read again as a JSON value, to
/// list its problems: a `Value` is read recursively, and the typed parse that failed may have
/// stopped long before serde_json's own limit of 128 levels, on a small stack.
const DIAGNOSIS_DEPTH: usize = 48;

/// `json` as a JSON value, when it is JSON nested no deeper than [`DIAGNOSIS_DEPTH`].
fn json_value(json: &[u8]) -> Option<Value> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > DIAGNOSIS_DEPTH {
                    return None;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    serde_json::from_slice(json).ok()
}

/// Adds every problem of `input` (when it is JSON) to the first problem of a failed parse.
fn diagnosed<T: Diagnose>(first: Error, input: impl FnOnce() -> Option<Value>) -> Error {
    let Error::Parse {
        pointer, message, ..
    } = first
    else {
        return first;
    };
    let mut problems = ValidationErrors::new();
    if let Some(value) = input() {
        T::diagnose(&value, &Path::ROOT, &mut problems);
        if problems.is_empty() {
            // Reading property by property found nothing the typed parse did not: keep its
            // problem, so that `problems` lists every problem of a JSON input.
            problems.violations.push(Violation {
                pointer: pointer.clone(),
                keyword: keyword_of(&message),
                message: message.clone(),
            });
        }
    }
    Error::Parse {
        pointer,
        message,
        problems,
    }
}

/// A JSON value read as a type property by property, to list every problem of an input that
/// does not parse ([`Error::Parse`]'s `problems`).
///
/// A generated struct checks each property against its field's type, and reports each missing
/// required property and each key a closed struct does not declare; arrays, maps and `Option`
/// check each value. Every other type (a union, an enum, a string) parses the value whole:
/// its first problem, or else every violation of its `validate()`. A struct's own checks of
/// its properties (`maxLength` of a string field, say) are `validate()`'s, which runs once the
/// whole input parses.
pub trait Diagnose: serde::de::DeserializeOwned + Validate {
    /// Appends every problem of `value`, read as `Self` at `path`, to `errors`.
    fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
        parsed::<Self>(value, path, errors);
    }
}

macro_rules! leaf_diagnose {
    ($($ty:ty),* $(,)?) => {
        $(impl Diagnose for $ty {})*
    };
}

leaf_diagnose!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, String, Value);

impl<T: Diagnose> Diagnose for Box<T> {
    fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
        T::diagnose(value, path, errors);
    }
}

impl<T: Diagnose> Diagnose for Option<T> {
    fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
        if !value.is_null() {
            T::diagnose(value, path, errors);
        }
    }
}

impl<T: Diagnose> Diagnose for Vec<T> {
    fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    T::diagnose(item, &path.index(i), errors);
                }
            }
            other => wrong_type("array", other, path, errors),
        }
    }
}

impl<T: Diagnose> Diagnose for BTreeMap<String, T> {
    fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
        match value {
            Value::Object(entries) => {
                for (key, item) in entries {
                    T::diagnose(item, &path.key(key), errors);
                }
            }
            other => wrong_type("object", other, path, errors),
        }
    }
}

/// How one value is checked by [`Diagnose`].
pub type Check = fn(&Value, &Path<'_>, &mut ValidationErrors);

/// One property of a struct, for [`diagnose_struct`]: its name on the wire, whether it must be
/// present, and the check of its value.
pub type Property = (&'static str, bool, Check);

/// What a struct does with keys it does not declare, for [`diagnose_struct`].
pub enum Undeclared {
    /// Accepted (dropped, or kept as they are).
    Accepted,
    /// Rejected: `additionalProperties: false`.
    Denied,
    /// Kept in a map whose values this checks.
    Checked(Check),
}

/// [`Diagnose`] of a generated struct: every property against its field's type, every missing
/// required property, every undeclared key. The struct is not parsed whole: that would
/// compile a second deserializer for every struct of the crate (more than doubling its code),
/// so its own checks of its properties are left to `validate()`.
pub fn diagnose_struct(
    value: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
    properties: &[Property],
    undeclared: Undeclared,
) {
    let Value::Object(object) = value else {
        wrong_type("object", value, path, errors);
        return;
    };
    for (name, required, check) in properties {
        match object.get(*name) {
            Some(item) => check(item, &path.key(name), errors),
            None if *required => {
                errors.push(
                    path,
                    "required",
                    format!("missing required property `{name}`"),
                );
            }
            None => {}
        }
    }
    for (key, item) in object {
        if properties.iter().any(|(name, _, _)| name == key) {
            continue;
        }
        match undeclared {
            Undeclared::Accepted => {}
            Undeclared::Denied => additional_property(key, path, errors),
            Undeclared::Checked(check) => check(item, &path.key(key), errors),
        }
    }
}

/// Parses `value` whole as a `T` and validates it: its first parse problem, else every
/// violation. The default [`Diagnose`], and the check of values of types from outside the
/// crate.
pub fn parsed<T: serde::de::DeserializeOwned + Validate>(
    value: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(parsed) => parsed.validate_at(path, errors),
        Err(error) => {
            let mut pointer = path.to_pointer();
            pointer.push_str(&pointer_of(error.path()));
            let message = shorten_middle(explain_integer(error.inner().to_string()));
            errors.violations.push(Violation {
                pointer,
                keyword: keyword_of(&message),
                message,
            });
        }
    }
}

/// [`Diagnose`] of a generated string enum: `value` must be one of `variants` (any string,
/// when the enum is `open` and keeps unknown values), read as its derived `Deserialize` reads
/// it, with serde's words. Checking the value against the list, rather than parsing it whole,
/// spares the crate a second copy of every enum's `Deserialize`, for JSON values.
pub fn diagnose_enum(
    value: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
    variants: &'static [&'static str],
    open: bool,
) {
    let text = match value {
        Value::String(text) => text.as_str(),
        // serde also reads a unit variant from a one-key object: `{"name": null}`.
        Value::Object(object) if object.len() == 1 && !open => match object.iter().next() {
            Some((key, Value::Null)) => key.as_str(),
            _ => return wrong_type("string", value, path, errors),
        },
        other => return wrong_type("string", other, path, errors),
    };
    if open || variants.contains(&text) {
        return;
    }
    let error = <serde_json::Error as serde::de::Error>::unknown_variant(text, variants);
    errors.push(path, "enum", shorten_middle(error.to_string()));
}

/// [`Diagnose`] of a library type read from a string in a named `format` (a date, a uuid),
/// reported in the schema's words.
pub fn diagnose_formatted<T: Formatted>(
    value: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    match value {
        Value::String(text) => {
            if T::parse_formatted(text).is_none() {
                let message = format!(
                    "`{}` is not a valid {}",
                    shorten_middle(text.clone()),
                    T::FORMAT
                );
                errors.push(path, "format", message);
            }
        }
        other => wrong_type("string", other, path, errors),
    }
}

/// Records that the value at `path` is not of the JSON type `expected`.
fn wrong_type(expected: &str, value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    errors.push(path, "type", format!("expected {expected}, found {found}"));
}

/// The schema keyword a parse message is about.
fn keyword_of(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "required"
    } else if message.starts_with("unknown field") {
        "additionalProperties"
    } else if message.starts_with("unknown variant") {
        "enum"
    } else if message.contains(" is not a valid ") {
        "format"
    } else {
        "type"
    }
}

/// A deserializer that reads a struct only from a JSON object.
///
/// Serde's derived `Deserialize` for a struct also takes an array of its fields in order; JSON
/// Schema's `type: object` does not. Every other request goes to the wrapped deserializer.
pub struct ObjectOnly<D>(pub D);

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Reading a struct from a JSON object: what the `Deserialize` impl of a struct calls.
///
/// The struct lists its property names and reads its fields in [`object::FromObject::read`], a loop
/// over the keys and one `match` on their indexes. It behaves as serde's derived impl read
/// through [`ObjectOnly`] does (only an object, `missing field`, `duplicate field` and
/// `unknown field` errors in serde's words), in far less code: no identifier visitor per
/// struct, no array form, no wrapper type per field with its own reading.
pub mod object {
    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    /// A struct read from the keys and values of an object.
    pub trait FromObject: Sized {
        /// What the struct is, in messages (`struct Pet`).
        const EXPECTING: &'static str;

        /// Reads the fields from the entries of an object.
        fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }

    /// Reads `T` from an object (and nothing else).
    pub fn deserialize<'de, D: Deserializer<'de>, T: FromObject>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        deserializer.deserialize_map(Entries::<T>(PhantomData))
    }

    struct Entries<T>(PhantomData<T>);

    impl<'de, T: FromObject> Visitor<'de> for Entries<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map)
        }
    }

    /// The keys of an object, each as the index of the field it names.
    pub struct Keys {
        /// The property names, in field order.
        fields: &'static [&'static str],
        /// Whether a key that names no field is an error (`additionalProperties: false`);
        /// otherwise it is [`UNKNOWN`] and its value skipped.
        deny: bool,
        /// The index of the field a key names, [`UNKNOWN`] for none: a `match` the struct
        /// writes out, which the compiler turns into a search by length first.
        field: fn(&str) -> usize,
    }

    /// The index [`Keys::next`] gives a key that names no field.
    pub const UNKNOWN: usize = usize::MAX;

    impl Keys {
        /// The keys of a struct with properties `fields`, found by `field`.
        pub fn new(fields: &'static [&'static str], deny: bool, field: fn(&str) -> usize) -> Self {
            Keys {
                fields,
                deny,
                field,
            }
        }

        /// The keys of a struct without properties.
        pub fn none(deny: bool) -> Self {
            Keys::new(&[], deny, |_| UNKNOWN)
        }

        /// The index of the next key, [`UNKNOWN`] for one that names no field, `None`
        /// after the last.
        pub fn next<'de, A: MapAccess<'de>>(
            &mut self,
            map: &mut A,
        ) -> Result<Option<usize>, A::Error> {
            map.next_key_seed(&mut *self)
        }

        /// The name of field `index`.
        pub fn name(&self, index: usize) -> &'static str {
            self.fields.get(index).copied().unwrap_or_default()
        }
    }

    impl<'de> DeserializeSeed<'de> for &mut Keys {
        type Value = usize;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de> Visitor<'de> for &mut Keys {
        type Value = usize;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("field identifier")
        }

        fn visit_u64<E: de::Error>(self, index: u64) -> Result<usize, E> {
            match usize::try_from(index) {
                Ok(i) if i < self.fields.len() => Ok(i),
                _ if self.deny => Err(E::invalid_value(
                    de::Unexpected::Unsigned(index),
                    &format!("field index 0 <= i < {}", self.fields.len()).as_str(),
                )),
                _ => Ok(UNKNOWN),
            }
        }

        fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
            match (self.field)(key) {
                UNKNOWN if self.deny => Err(E::unknown_field(key, self.fields)),
                i => Ok(i),
            }
        }

        fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
            match std::str::from_utf8(key).map_or(UNKNOWN, self.field) {
                UNKNOWN if self.deny => {
                    Err(E::unknown_field(&String::from_utf8_lossy(key), self.fields))
                }
                i => Ok(i),
            }
        }
    }

    /// Reads the value of field `index` into its slot; a field seen twice is serde's
    /// `duplicate field` error.
    pub fn value<'de, A: MapAccess<'de>, V: serde::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<V>,
        keys: &Keys,
        index: usize,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(keys.name(index)));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// Skips the value of a key that names no field.
    pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<de::IgnoredAny>().map(|_| ())
    }

    /// The value of required field `index`, or serde's `missing field` error.
    pub fn required<V, E: de::Error>(slot: Option<V>, keys: &Keys, index: usize) -> Result<V, E> {
        slot.ok_or_else(|| E::missing_field(keys.name(index)))
    }
}

/// Serde helpers for nullable fields: `Option<Option<T>>` keeps an absent field (`None`)
/// distinct from an explicit `null` (`Some(None)`).
pub mod nullable {
    use serde::{Deserialize, Deserializer};

    /// Deserializes a present value, `null` included, as `Some`; used with
    /// `#[serde(default, deserialize_with = "...")]` so that an absent field stays `None`.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }

    /// Deserializes a present value as `Some`, for optional non-nullable fields: only absence
    /// is `None`, so `null` is a value of a free-form field and rejected by any other type.
    pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        T::deserialize(deserializer).map(Some)
    }

    /// Deserializes `null` or a value for a required nullable field; as a `deserialize_with`
    /// without `default`, serde still reports the field as missing when it is absent.
    pub fn required<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer)
    }
}

/// A library type read from a string in a named `format` (a date, a uuid). Fields of such
/// types deserialize through [`formatted`], so that a bad value is reported in the schema's
/// words, naming the value and the format, not in the library's.
pub trait Formatted: Sized {
    /// The format as messages name it (`date-time (RFC 3339)`).
    const FORMAT: &'static str;
    /// The value of `text`, when it is one.
    fn parse_formatted(text: &str) -> Option<Self>;
}

/// Serde helpers for fields of a [`Formatted`] type, one per way a field holds it (see
/// [`nullable`] for the `Option` layers).
pub mod formatted {
    use super::Formatted;
    use serde::de::{Deserialize, Deserializer, Error, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    /// A [`Formatted`] value, deserialized from a string (how a struct reads such a field).
    pub struct Parsed<T>(pub T);

    impl<'de, T: Formatted> Deserialize<'de> for Parsed<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer
                .deserialize_str(FormattedVisitor(PhantomData))
                .map(Parsed)
        }
    }

    struct FormattedVisitor<T>(PhantomData<T>);

    impl<T: Formatted> Visitor<'_> for FormattedVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} string", T::FORMAT)
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
            T::parse_formatted(text)
                .ok_or_else(|| E::custom(format_args!("`{text}` is not a valid {}", T::FORMAT)))
        }
    }

    /// A required, non-nullable field.
    pub fn required<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        Parsed::deserialize(deserializer).map(|Parsed(value)| value)
    }

    /// An optional, non-nullable field (with `default`): present is `Some`.
    pub fn optional<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        required(deserializer).map(Some)
    }

    /// A required, nullable field: `null` is `None`.
    pub fn required_nullable<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<Parsed<T>>::deserialize(deserializer).map(|v| v.map(|Parsed(value)| value))
    }

    /// A required array of values.
    pub fn list<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        let items = Vec::<Parsed<T>>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|Parsed(value)| value).collect())
    }

    /// An optional array of values (with `default`).
    pub fn optional_list<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        list(deserializer).map(Some)
    }

    /// The value read as [`Parsed`].
    pub fn value<T>(parsed: Parsed<T>) -> T {
        parsed.0
    }

    /// The value, if any, read as [`Parsed`].
    pub fn nullable<T>(parsed: Option<Parsed<T>>) -> Option<T> {
        parsed.map(|Parsed(value)| value)
    }

    /// The values of a list read as [`Parsed`].
    pub fn values<T>(items: Vec<Parsed<T>>) -> Vec<T> {
        items.into_iter().map(|Parsed(value)| value).collect()
    }

    /// The values of a map read as [`Parsed`].
    pub fn entries<T>(
        entries: std::collections::BTreeMap<String, Parsed<T>>,
    ) -> std::collections::BTreeMap<String, T> {
        entries
            .into_iter()
            .map(|(key, Parsed(value))| (key, value))
            .collect()
    }

    /// A required map of values.
    pub fn map<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<std::collections::BTreeMap<String, T>, D::Error> {
        let entries = std::collections::BTreeMap::<String, Parsed<T>>::deserialize(deserializer)?;
        Ok(entries
            .into_iter()
            .map(|(key, Parsed(value))| (key, value))
            .collect())
    }

    /// An optional map of values (with `default`).
    pub fn optional_map<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Option<std::collections::BTreeMap<String, T>>, D::Error> {
        map(deserializer).map(Some)
    }

    /// An optional, nullable field (with `default`): absent is `None`, `null` is `Some(None)`.
    pub fn optional_nullable<'de, D: Deserializer<'de>, T: Formatted>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        required_nullable(deserializer).map(Some)
    }
}

/// Checks `pattern` against a regex compiled once into a static; a pattern that failed to
/// compile (which generation rules out) is reported rather than skipped.
pub fn matches(
    value: &str,
    regex: Option<&regress::Regex>,
    source: &str,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    match regex {
        Some(regex) => pattern(value, regex, source, path, errors),
        None => errors.push(
            path,
            "pattern",
            format!("pattern `{source}` could not be compiled"),
        ),
    }
}

/// Compiles a schema pattern for a `static`; `None` when it does not compile.
pub fn compile(source: &str) -> Option<regress::Regex> {
    regress::Regex::new(source).ok()
}

// ---------------------------------------------------------------------------------------------
// Unions. A union takes its input as JSON text, borrowed from the input when the deserializer
// reads from memory (`serde_json::from_str`, `from_slice`), and deserializes only the branch it
// chooses from that text: no tree of `Value`s is built. The tag, the JSON type and the keys
// of the input are read from the text first, so only branches that can match are tried.

/// serde_json's name for a raw-value request (`serde_json::value::RawValue`): a deserializer
/// that knows it hands over the value's text, any other hands over the value itself.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// JSON types as bits: what a union branch can hold.
pub mod kinds {
    /// `null`.
    pub const NULL: u8 = 1;
    /// `true` or `false`.
    pub const BOOLEAN: u8 = 2;
    /// A number.
    pub const NUMBER: u8 = 4;
    /// A string.
    pub const STRING: u8 = 8;
    /// An array.
    pub const ARRAY: u8 = 16;
    /// An object.
    pub const OBJECT: u8 = 32;
    /// A generated struct: an object, or (as serde reads structs) an array of its fields.
    pub const STRUCT: u8 = OBJECT | ARRAY;
    /// A generated string enum: a string, or (as serde reads enums) a one-entry object.
    pub const ENUM: u8 = STRING | OBJECT;
    /// Any JSON value.
    pub const ANY: u8 = 63;

    /// The names of the types in `kinds`, as in "object or array".
    pub(super) fn names(kinds: u8) -> String {
        const NAMES: [(u8, &str); 6] = [
            (OBJECT, "object"),
            (ARRAY, "array"),
            (STRING, "string"),
            (NUMBER, "number"),
            (BOOLEAN, "boolean"),
            (NULL, "null"),
        ];
        let names: Vec<&str> = NAMES
            .iter()
            .filter(|(bit, _)| kinds & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        names.join(" or ")
    }
}

/// The input of a union: its JSON text. A deserializer that does not hand over text (serde's
/// buffered content, for a struct with flattened properties, or a `Value`) gives the value,
/// which is written out as text: the branches are read from text only, so that each is
/// compiled for one deserializer rather than two.
pub struct UnionInput<'de> {
    json: std::borrow::Cow<'de, str>,
    /// Whether branch errors say where they occurred; set once no branch matched.
    traced: bool,
}

/// A value that came whole, as text.
fn written(value: &Value) -> std::borrow::Cow<'static, str> {
    std::borrow::Cow::Owned(value.to_string())
}

impl<'de> serde::Deserialize<'de> for UnionInput<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = deserializer.deserialize_newtype_struct(RAW_VALUE, InputVisitor)?;
        Ok(UnionInput {
            json,
            traced: false,
        })
    }
}

/// Takes the text a raw-value-aware deserializer hands over, or builds the value from any
/// other (the fallback that keeps unions working inside buffered content).
struct InputVisitor;

impl<'de> serde::de::Visitor<'de> for InputVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        let Some(first) = map.next_key::<Text<'de>>()? else {
            return Ok(written(&Value::Object(object)));
        };
        if first.0 == RAW_VALUE {
            return Ok(map.next_value::<Text<'de>>()?.0);
        }
        object.insert(first.0.into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(written(&Value::Object(object)))
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        <Value as serde::Deserialize>::deserialize(deserializer).map(|v| written(&v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(written(&Value::Array(items)))
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        <Value as serde::Deserialize>::deserialize(deserializer).map(|v| written(&v))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(written(&Value::Null))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(written(&Value::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(written(&Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(written(&Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(written(&Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(written(&Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(written(&Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(written(&Value::String(v)))
    }
}

/// A string, borrowed from the input where the deserializer allows.
struct Text<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Whether an object key is the one looked for, without copying it.
struct KeyIs<'n>(&'n str);

impl<'de> serde::de::DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// The string value of one property of an object; the last one wins, as in a `Value`.
struct TagVisitor<'n>(&'n str);

impl<'de> serde::de::Visitor<'de> for TagVisitor<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tag = None;
        while let Some(is_tag) = map.next_key_seed(KeyIs(self.0))? {
            if is_tag {
                tag = map.next_value::<Value>()?.as_str().map(str::to_owned);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(tag)
    }
}

/// The property names of an object, borrowed where they hold no escapes.
struct KeysVisitor;

impl<'de> serde::de::Visitor<'de> for KeysVisitor {
    type Value = Vec<std::borrow::Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            keys.push(key.0);
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(keys)
    }
}

impl UnionInput<'_> {
    /// The JSON type of the input, as a [`kinds`] bit.
    fn kind(&self) -> u8 {
        match self.json.trim_start().as_bytes().first() {
            Some(b'{') => kinds::OBJECT,
            Some(b'[') => kinds::ARRAY,
            Some(b'"') => kinds::STRING,
            Some(b't' | b'f') => kinds::BOOLEAN,
            Some(b'n') => kinds::NULL,
            _ => kinds::NUMBER,
        }
    }

    /// The property names of an object input (none for any other).
    fn keys(&self) -> Vec<std::borrow::Cow<'_, str>> {
        let mut de = serde_json::Deserializer::from_str(&self.json);
        serde::Deserializer::deserialize_map(&mut de, KeysVisitor).unwrap_or_default()
    }

    /// The value of the property `name` when the input is an object where it is a string:
    /// the tag of a tagged union.
    pub fn tag(&self, name: &str) -> Option<String> {
        if self.kind() != kinds::OBJECT {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(&self.json);
        serde::Deserializer::deserialize_map(&mut de, TagVisitor(name))
            .ok()
            .flatten()
    }

    /// Deserializes the input as `T`. Once no branch matched, the message says where.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        if self.traced {
            let mut de = serde_json::Deserializer::from_str(&self.json);
            serde_path_to_error::deserialize(&mut de).map_err(traced_message)
        } else {
            serde_json::from_str(&self.json).map_err(|e| message_of(&e))
        }
    }

    /// Deserializes the input as `T` without the property `name`: for a tagged branch that
    /// has no field for its tag. Only such branches build a `Value`.
    pub fn parse_without<T: serde::de::DeserializeOwned>(self, name: &str) -> Result<T, String> {
        let mut value: Value = serde_json::from_str(&self.json).map_err(|e| message_of(&e))?;
        if let Value::Object(object) = &mut value {
            object.remove(name);
        }
        let input = UnionInput {
            json: written(&value),
            traced: self.traced,
        };
        input.parse()
    }

    /// Tries one branch: the variant `wrap` makes of it, and whether it passes validation.
    pub fn try_branch_as<T, U>(&self, wrap: impl FnOnce(T) -> U) -> Result<(U, bool), String>
    where
        T: serde::de::DeserializeOwned + Validate,
    {
        let (value, valid) = self.try_branch()?;
        Ok((wrap(value), valid))
    }

    /// Tries one branch: the value, and whether it passes validation.
    pub fn try_branch<T: serde::de::DeserializeOwned + Validate>(
        &self,
    ) -> Result<(T, bool), String> {
        let value: T = self.parse()?;
        let valid = value.validate().is_ok();
        Ok((value, valid))
    }
}

/// serde_json's message without the line and column, which would count from the start of
/// the union rather than of the document.
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// A branch's error with the JSON Pointer, within the union's value, of where it occurred.
fn traced_message(error: serde_path_to_error::Error<serde_json::Error>) -> String {
    let pointer = pointer_of(error.path());
    let message = message_of(error.inner());
    if pointer.is_empty() {
        message
    } else {
        format!("at {pointer}: {message}")
    }
}

/// The JSON type of `value`, as a [`kinds`] bit.
fn kind_of(value: &Value) -> u8 {
    match value {
        Value::Object(_) => kinds::OBJECT,
        Value::Array(_) => kinds::ARRAY,
        Value::String(_) => kinds::STRING,
        Value::Bool(_) => kinds::BOOLEAN,
        Value::Null => kinds::NULL,
        Value::Number(_) => kinds::NUMBER,
    }
}

/// How a union finds its branch, for [`diagnose_union`].
pub enum Tags {
    /// By the branches that fit the value.
    None,
    /// By the tag property first: each tag with the index of the branch it selects, and
    /// whether that branch holds the tag as a field (if not, the tag is taken off first).
    Property(&'static str, &'static [(&'static str, usize, bool)]),
}

/// [`Diagnose`] of a generated union, which reads the value as its `Deserialize` would choose
/// a branch, and each branch by that branch's own [`Diagnose`]: a tag selects its branch; else
/// the branches that the value's JSON type and keys do not rule out are read in turn, and the
/// first without a problem is taken. When only one branch fits, its problems are the union's;
/// when several do and none is taken, one problem names each branch and its first problem.
/// Like a struct's, the union's own checks are `validate()`'s; and no second copy of every
/// branch's `Deserialize` is compiled, for JSON values.
pub fn diagnose_union(
    value: &Value,
    path: &Path<'_>,
    errors: &mut ValidationErrors,
    branches: &[Branch],
    checks: &[Check],
    tags: Tags,
) {
    if let (Tags::Property(property, table), Value::Object(object)) = (&tags, value) {
        if let Some(tag) = object.get(*property).and_then(Value::as_str) {
            match table.iter().find(|(name, _, _)| *name == tag) {
                Some((_, index, carries)) => {
                    if let Some(check) = checks.get(*index) {
                        if *carries {
                            check(value, path, errors);
                        } else {
                            let mut without = object.clone();
                            without.remove(*property);
                            check(&Value::Object(without), path, errors);
                        }
                    }
                }
                None => {
                    let message =
                        format!("unknown {property} `{}`", shorten_middle(tag.to_owned()));
                    errors.push(path, keyword_of(&message), message);
                }
            }
            return;
        }
    }
    let kind = kind_of(value);
    let keys: Vec<std::borrow::Cow<'_, str>> = match value {
        Value::Object(object) => object
            .keys()
            .map(|k| std::borrow::Cow::Borrowed(k.as_str()))
            .collect(),
        _ => Vec::new(),
    };
    let mut tried: Vec<(usize, ValidationErrors)> = Vec::new();
    for (i, (branch, check)) in branches.iter().zip(checks).enumerate() {
        if branch.rules_out(kind, &keys).is_some() {
            continue;
        }
        let mut found = ValidationErrors::new();
        check(value, path, &mut found);
        if found.is_empty() {
            return;
        }
        tried.push((i, found));
    }
    if let [(_, only)] = tried.as_mut_slice() {
        errors.violations.append(&mut only.violations);
        return;
    }
    use fmt::Write as _;
    let at = path.to_pointer();
    let mut message = String::from("matches none of the expected shapes");
    for (i, branch) in branches.iter().enumerate() {
        let why = match branch.rules_out(kind, &keys) {
            Some(Miss::Kind) => format!(
                "expected {}, found {}",
                kinds::names(branch.kinds),
                kinds::names(kind)
            ),
            Some(Miss::Property(name)) => format!("missing field `{name}`"),
            None => match tried
                .iter()
                .find(|(index, _)| *index == i)
                .and_then(|(_, found)| found.violations.first())
            {
                Some(first) => match first.pointer.strip_prefix(&at) {
                    Some("") | None => first.message.clone(),
                    Some(inner) => format!("at {inner}: {}", first.message),
                },
                None => "matches".to_owned(),
            },
        };
        let _ = write!(message, "; {}: {why}", branch.name);
    }
    errors.push(path, keyword_of(&message), message);
}

/// Reads a union's input (see [`UnionInput`]).
pub fn union_input<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<UnionInput<'de>, D::Error> {
    <UnionInput<'de> as serde::Deserialize<'de>>::deserialize(deserializer)
}

/// A branch named `name` holding the JSON types `kinds`, which needs the properties
/// `required` when the input is an object.
pub const fn branch(name: &'static str, kinds: u8, required: &'static [&'static str]) -> Branch {
    Branch {
        name,
        kinds,
        required,
    }
}

/// What a union branch can hold, to rule it out before it is tried.
pub struct Branch {
    name: &'static str,
    kinds: u8,
    required: &'static [&'static str],
}

/// Why a branch was not tried.
enum Miss {
    /// The input's JSON type is not one the branch holds.
    Kind,
    /// The input is an object without this property, which the branch requires.
    Property(&'static str),
}

impl Branch {
    fn rules_out(&self, kind: u8, keys: &[std::borrow::Cow<'_, str>]) -> Option<Miss> {
        if self.kinds & kind == 0 {
            return Some(Miss::Kind);
        }
        if kind != kinds::OBJECT {
            return None;
        }
        self.required
            .iter()
            .find(|name| !keys.iter().any(|key| key == *name))
            .map(|name| Miss::Property(name))
    }
}

/// Picks the union branch for `input`. Branches whose JSON type or required properties rule
/// them out are not tried. Of the others, a branch that deserializes and validates wins; with
/// `exactly_one` (`oneOf`), more than one such branch is an error, as the schema says. When no
/// branch validates, the first that deserializes is kept so `validate()` can report why; when
/// none deserializes, the error names each branch and why it failed.
pub fn select_branch<T>(
    mut input: UnionInput<'_>,
    branches: &[Branch],
    exactly_one: bool,
    attempt: impl Fn(usize, &UnionInput<'_>) -> Result<(T, bool), String>,
) -> Result<T, String> {
    let kind = input.kind();
    let mut first_parsed = None;
    let mut chosen = None;
    // Indices of the valid branches after the first; allocated only when a oneOf is ambiguous.
    let mut more_valid = Vec::new();
    {
        let needs_keys = kind == kinds::OBJECT && branches.iter().any(|b| !b.required.is_empty());
        let keys = if needs_keys { input.keys() } else { Vec::new() };
        for (i, branch) in branches.iter().enumerate() {
            if branch.rules_out(kind, &keys).is_some() {
                continue;
            }
            match attempt(i, &input) {
                Ok((value, true)) if chosen.is_none() => {
                    chosen = Some((i, value));
                    if !exactly_one {
                        break;
                    }
                }
                Ok((_, true)) => more_valid.push(i),
                Ok((value, false)) if first_parsed.is_none() => first_parsed = Some(value),
                Ok(_) | Err(_) => {}
            }
        }
    }
    match chosen {
        Some((first, _)) if !more_valid.is_empty() => Err(ambiguous(first, &more_valid, branches)),
        Some((_, value)) => Ok(value),
        None => match first_parsed {
            Some(value) => Ok(value),
            None => {
                input.traced = true;
                Err(no_branch(&input, branches, attempt))
            }
        },
    }
}

/// The message for a oneOf payload that more than one branch accepts.
fn ambiguous(first: usize, more: &[usize], branches: &[Branch]) -> String {
    let valid: Vec<&str> = std::iter::once(&first)
        .chain(more)
        .map(|&i| branches.get(i).map_or("?", |b| b.name))
        .collect();
    format!(
        "matches {} oneOf branches ({}), expected exactly 1",
        valid.len(),
        valid.join(", ")
    )
}

/// The message for a payload that no branch accepts: each branch and why, with the pointer
/// (within the union's value) and the first error of the branches that were tried.
fn no_branch<T>(
    input: &UnionInput<'_>,
    branches: &[Branch],
    attempt: impl Fn(usize, &UnionInput<'_>) -> Result<(T, bool), String>,
) -> String {
    use fmt::Write as _;
    let kind = input.kind();
    let keys = input.keys();
    let mut message = String::from("matches none of the expected shapes");
    for (i, branch) in branches.iter().enumerate() {
        let why = match branch.rules_out(kind, &keys) {
            Some(Miss::Kind) => format!(
                "expected {}, found {}",
                kinds::names(branch.kinds),
                kinds::names(kind)
            ),
            Some(Miss::Property(name)) => format!("missing field `{name}`"),
            None => match attempt(i, input) {
                Err(error) => error,
                Ok(_) => "matches".to_owned(),
            },
        };
        let _ = write!(message, "; {}: {why}", branch.name);
    }
    message
}

// ---------------------------------------------------------------------------------------------
// Formats. Each checker takes the UTF-8 bytes of the value; any non-ASCII byte fails every
// character class below, so none of them needs to decode.

/// Parses a fixed-width run of ASCII digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// RFC 3339 `full-date`, on the real calendar.
fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `hh:mm:ss[.frac]` then `Z` or `±hh:mm`. Second 60 (a leap second) is
/// accepted only at 23:59 UTC.
fn is_time(b: &[u8]) -> bool {
    if b.len() < 9 || b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&b[..2]), digits(&b[3..5]), digits(&b[6..8]))
    else {
        return false;
    };
    let mut rest = &b[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    let offset_minutes: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            match (digits(&[*h1, *h2]), digits(&[*m1, *m2])) {
                (Some(h), Some(m)) if h < 24 && m < 60 => {
                    let minutes = i64::from(h * 60 + m);
                    if *sign == b'-' {
                        -minutes
                    } else {
                        minutes
                    }
                }
                _ => return false,
            }
        }
        _ => return false,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let utc_minute = (i64::from(hour * 60 + minute) - offset_minutes).rem_euclid(24 * 60);
    second < 60 || utc_minute == 23 * 60 + 59
}

/// RFC 3339 `date-time`: `full-date` `T` `full-time` (`T` and `Z` in either case).
fn is_date_time(b: &[u8]) -> bool {
    b.len() > 11 && matches!(b[10], b'T' | b't') && is_date(&b[..10]) && is_time(&b[11..])
}

fn is_atext(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&c)
}

/// RFC 5322 `addr-spec`: a dot-atom or quoted-string local part, `@`, and a hostname or an
/// address literal (`[1.2.3.4]`, `[IPv6:...]`).
fn is_email(b: &[u8]) -> bool {
    is_mailbox(b, false, is_hostname)
}

/// An `addr-spec` whose domain `host` checks; `international` (RFC 6531) lets the local part
/// hold non-ASCII text (UTF-8 bytes), in atoms and quoted strings alike.
fn is_mailbox(b: &[u8], international: bool, host: fn(&[u8]) -> bool) -> bool {
    let Some(at) = b.iter().rposition(|&c| c == b'@') else {
        return false;
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    let wide = |c: u8| international && !c.is_ascii();
    let local_ok = match local {
        [b'"', inner @ .., b'"'] => {
            let mut escaped = false;
            inner.iter().all(|&c| {
                let ok = escaped || c != b'"';
                escaped = !escaped && c == b'\\';
                ok && (c == b' ' || c == b'\t' || c.is_ascii_graphic() || wide(c))
            }) && !escaped
        }
        _ => {
            !local.is_empty()
                && local
                    .split(|&c| c == b'.')
                    .all(|atom| !atom.is_empty() && atom.iter().all(|&c| is_atext(c) || wide(c)))
        }
    };
    let domain_ok = match domain {
        [b'[', inner @ .., b']'] => match inner.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case(b"IPv6:") => is_ipv6(&inner[5..]),
            _ => is_ipv4(inner),
        },
        _ => host(domain),
    };
    local_ok && domain_ok
}

fn is_ipv6(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok_and(|s| s.parse::<std::net::Ipv6Addr>().is_ok())
}

/// `8-4-4-4-12` hexadecimal digits, either case.
fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Dotted quad of decimal octets without leading zeros.
fn is_ipv4(b: &[u8]) -> bool {
    let mut parts = 0;
    let all_ok = b.split(|&c| c == b'.').all(|part| {
        parts += 1;
        part.len() <= 3
            && (part.len() == 1 || part.first() != Some(&b'0'))
            && digits(part).is_some_and(|n| n <= 255)
    });
    all_ok && parts == 4
}

/// RFC 1123 hostname: dot-separated labels of 1-63 letters, digits and hyphens, not starting
/// or ending with a hyphen; at most 253 characters.
fn is_hostname(b: &[u8]) -> bool {
    b.len() <= 253
        && b.split(|&c| c == b'.').all(|label| {
            (1..=63).contains(&label.len())
                && label.first() != Some(&b'-')
                && label.last() != Some(&b'-')
                && label
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

/// RFC 4648 base64 with the standard alphabet and padding.
fn is_base64(b: &[u8]) -> bool {
    let data = b
        .strip_suffix(b"==")
        .or_else(|| b.strip_suffix(b"="))
        .unwrap_or(b);
    b.len().is_multiple_of(4)
        && data
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Byte classes of RFC 3986, one bit each, looked up in [`URI_CLASSES`].
const UNRESERVED: u8 = 1;
const SUB_DELIM: u8 = 1 << 1;
const COLON: u8 = 1 << 2;
const AT: u8 = 1 << 3;
const SLASH: u8 = 1 << 4;
const QUESTION: u8 = 1 << 5;
const HEX: u8 = 1 << 6;
const PCHAR: u8 = UNRESERVED | SUB_DELIM | COLON | AT;
/// The bytes of a path (`segment *( "/" segment )`), unescaped.
const PATH_CHAR: u8 = PCHAR | SLASH;
/// The bytes of a query or a fragment, unescaped.
const QUERY_CHAR: u8 = PCHAR | SLASH | QUESTION;

/// The class bits of every byte; non-ASCII bytes belong to no class.
static URI_CLASSES: [u8; 256] = uri_classes();

const fn uri_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let mut bits = 0;
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            bits |= UNRESERVED;
        }
        if matches!(
            b,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        ) {
            bits |= SUB_DELIM;
        }
        if b == b':' {
            bits |= COLON;
        }
        if b == b'@' {
            bits |= AT;
        }
        if b == b'/' {
            bits |= SLASH;
        }
        if b == b'?' {
            bits |= QUESTION;
        }
        if b.is_ascii_hexdigit() {
            bits |= HEX;
        }
        table[c] = bits;
        c += 1;
    }
    table
}

/// Whether the byte at `i` (if any) has one of the class bits in `class`.
fn has_class(b: &[u8], i: usize, class: u8) -> bool {
    b.get(i)
        .is_some_and(|&c| URI_CLASSES[usize::from(c)] & class != 0)
}

/// Which non-ASCII characters a part of a reference takes: none in a URI; in an IRI (RFC 3987)
/// `ucschar` where a URI takes `unreserved`, and `iprivate` too in the query.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wide {
    None,
    Ucs,
    Private,
}

/// The length of the UTF-8 character at `i` when `wide` takes it.
fn wide_char(b: &[u8], i: usize, wide: Wide) -> Option<usize> {
    let len = match b.get(i)? {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let c = u32::from(
        std::str::from_utf8(b.get(i..i + len)?)
            .ok()?
            .chars()
            .next()?,
    );
    // `ucschar`: planes 1 to 13 and 14 from U+E1000, each without its last two code points.
    let ucs = matches!(c, 0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF | 0xE_1000..=0xE_FFFD)
        || (matches!(c, 0x1_0000..=0xD_FFFF) && c & 0xFFFF <= 0xFFFD);
    let private = matches!(c, 0xE000..=0xF8FF | 0xF_0000..=0xF_FFFD | 0x10_0000..=0x10_FFFD);
    let ok = match wide {
        Wide::None => false,
        Wide::Ucs => ucs,
        Wide::Private => ucs || private,
    };
    ok.then_some(len)
}

/// Every byte is in `allowed` (class bits), part of a `%XX` escape, or of a character `wide`
/// takes.
fn is_encoded(b: &[u8], allowed: u8, wide: Wide) -> bool {
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if URI_CLASSES[usize::from(c)] & allowed != 0 {
            i += 1;
        } else if c == b'%' && has_class(b, i + 1, HEX) && has_class(b, i + 2, HEX) {
            i += 3;
        } else if let Some(len) = wide_char(b, i, wide) {
            i += len;
        } else {
            return false;
        }
    }
    true
}

/// RFC 3986 `authority`: `[userinfo@]host[:port]`; with `wide`, RFC 3987 `iauthority`.
fn is_authority(b: &[u8], wide: Wide) -> bool {
    let (userinfo, host_port) = match b.iter().rposition(|&c| c == b'@') {
        Some(at) => (&b[..at], &b[at + 1..]),
        None => (&b[..0], b),
    };
    let userinfo_ok = is_encoded(userinfo, UNRESERVED | SUB_DELIM | COLON, wide);
    let (host_ok, port) = if let Some(literal) = host_port.strip_prefix(b"[") {
        let Some(close) = literal.iter().position(|&c| c == b']') else {
            return false;
        };
        let (inner, after) = (&literal[..close], &literal[close + 1..]);
        let ok = match inner {
            [b'v' | b'V', future @ ..] => match future.iter().position(|&c| c == b'.') {
                Some(dot) => {
                    let (version, rest) = (&future[..dot], &future[dot + 1..]);
                    !version.is_empty()
                        && version.iter().all(u8::is_ascii_hexdigit)
                        && !rest.is_empty()
                        && rest.iter().all(|&c| {
                            URI_CLASSES[usize::from(c)] & (UNRESERVED | SUB_DELIM | COLON) != 0
                        })
                }
                None => false,
            },
            _ => is_ipv6(inner),
        };
        match after {
            [] => (ok, &after[..0]),
            [b':', port @ ..] => (ok, port),
            _ => return false,
        }
    } else {
        let colon = host_port.iter().position(|&c| c == b':');
        let (host, port) = match colon {
            Some(i) => (&host_port[..i], &host_port[i + 1..]),
            None => (host_port, &host_port[..0]),
        };
        (is_encoded(host, UNRESERVED | SUB_DELIM, wide), port)
    };
    userinfo_ok && host_ok && port.iter().all(u8::is_ascii_digit)
}

/// The index of the first byte at or after `start` with none of the class bits in `class`, or
/// the length of `b`; eight bytes at a time, without a branch per byte.
fn plain_run(b: &[u8], start: usize, class: u8) -> usize {
    let mut i = start;
    while let Some(chunk) = b.get(i..i + 8) {
        let plain = chunk.iter().fold(true, |all, &c| {
            all & (URI_CLASSES[usize::from(c)] & class != 0)
        });
        if !plain {
            break;
        }
        i += 8;
    }
    while b
        .get(i)
        .is_some_and(|&c| URI_CLASSES[usize::from(c)] & class != 0)
    {
        i += 1;
    }
    i
}

/// Everything after the scheme (or a whole relative reference): hier-part or relative-part,
/// then optional `?query` and `#fragment`, checked in one pass after the authority. With
/// `wide` (`Wide::Ucs`), the same parts of an IRI.
fn is_uri_tail(b: &[u8], relative: bool, wide: Wide) -> bool {
    let ends_part = |c: &u8| matches!(c, b'/' | b'?' | b'#');
    let path_start = if let Some(after) = b.strip_prefix(b"//") {
        // Most authorities are a plain host name: every byte unreserved or a sub-delim.
        let plain = plain_run(after, 0, UNRESERVED | SUB_DELIM);
        let end = match after.get(plain) {
            None | Some(b'/' | b'?' | b'#') => plain,
            Some(_) => {
                let end = after[plain..]
                    .iter()
                    .position(ends_part)
                    .map_or(after.len(), |end| plain + end);
                if !is_authority(&after[..end], wide) {
                    return false;
                }
                end
            }
        };
        2 + end
    } else {
        // A relative path's first segment must not look like a scheme (RFC 3986 path-noscheme).
        if relative {
            let first = b.iter().position(ends_part).unwrap_or(b.len());
            if b[..first].contains(&b':') {
                return false;
            }
        }
        0
    };
    // The path runs to the first `?` (query) or `#` (fragment); a query may hold `?`, and only
    // the first `#` starts the fragment.
    let mut allowed = PATH_CHAR;
    let mut in_fragment = false;
    let mut in_query = false;
    let mut i = path_start;
    loop {
        i = plain_run(b, i, allowed);
        let Some(&c) = b.get(i) else {
            return true;
        };
        if c == b'%' {
            if !(has_class(b, i + 1, HEX) && has_class(b, i + 2, HEX)) {
                return false;
            }
            i += 3;
        } else if c == b'?' || (c == b'#' && !in_fragment) {
            in_fragment |= c == b'#';
            in_query = c == b'?' && !in_fragment;
            allowed = QUERY_CHAR;
            i += 1;
        } else if wide == Wide::None {
            return false;
        } else if let Some(len) = wide_char(b, i, if in_query { Wide::Private } else { wide }) {
            i += len;
        } else {
            return false;
        }
    }
}

/// RFC 3986 absolute `URI`: `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`.
fn is_uri(b: &[u8]) -> bool {
    is_absolute(b, Wide::None)
}

/// RFC 3987 `IRI`: a `URI` that may hold non-ASCII characters (`ucschar`, and `iprivate` in
/// the query) unescaped, in every part but the scheme, the port and an IP literal.
fn is_iri(b: &[u8]) -> bool {
    is_absolute(b, Wide::Ucs)
}

/// RFC 3987 `IRI-reference`: an `IRI` or an `irelative-ref`.
fn is_iri_reference(b: &[u8]) -> bool {
    is_iri(b) || is_uri_tail(b, true, Wide::Ucs)
}

/// An absolute URI, or with `wide` an absolute IRI.
fn is_absolute(b: &[u8], wide: Wide) -> bool {
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return false;
    };
    let scheme = &b[..colon];
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    scheme_ok && is_uri_tail(&b[colon + 1..], false, wide)
}

/// RFC 3986 `relative-ref`.
fn is_relative_ref(b: &[u8]) -> bool {
    is_uri_tail(b, true, Wide::None)
}

/// RFC 3986 `URI-reference`: an absolute URI or a relative reference.
fn is_uri_reference(b: &[u8]) -> bool {
    is_uri(b) || is_relative_ref(b)
}

/// RFC 3339 appendix A `duration` (ISO 8601): `P` then years-months-days (a run of
/// adjacent units, in order) with an optional `T` hours-minutes-seconds run, or weeks alone.
fn is_duration(b: &[u8]) -> bool {
    let Some(rest) = b.strip_prefix(b"P") else {
        return false;
    };
    let (date, time) = match rest.iter().position(|&c| c == b'T') {
        Some(t) => (&rest[..t], Some(&rest[t + 1..])),
        None => (rest, None),
    };
    if time.is_none() && date.len() > 1 && date.strip_suffix(b"W").is_some_and(all_digits) {
        return true;
    }
    let date_ok = duration_units(date, b"YMD");
    let time_ok = time.is_none_or(|t| !t.is_empty() && duration_units(t, b"HMS"));
    date_ok && time_ok && !(date.is_empty() && time.is_none())
}

fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// `1*DIGIT unit` pairs whose units are adjacent entries of `units`, in order.
fn duration_units(mut b: &[u8], units: &[u8]) -> bool {
    let mut next: Option<usize> = None;
    while !b.is_empty() {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let Some(&unit) = b.get(digits) else {
            return false;
        };
        let Some(at) = units.iter().position(|&u| u == unit) else {
            return false;
        };
        if digits == 0 || next.is_some_and(|n| n != at) {
            return false;
        }
        next = Some(at + 1);
        b = &b[digits + 1..];
    }
    true
}

/// RFC 6901 JSON Pointer: empty, or `/`-led reference tokens where `~` is followed by
/// `0` or `1`.
fn is_json_pointer(b: &[u8]) -> bool {
    (b.is_empty() || b.first() == Some(&b'/'))
        && b.iter()
            .enumerate()
            .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// Relative JSON Pointer: a non-negative integer, an optional index manipulation (`+` or
/// `-` and an integer), then `#` or a JSON Pointer. Integers have no leading zero.
fn is_relative_json_pointer(b: &[u8]) -> bool {
    let Some(mut rest) = strip_integer(b) else {
        return false;
    };
    if let Some(signed) = rest.strip_prefix(b"+").or_else(|| rest.strip_prefix(b"-")) {
        let Some(after) = strip_integer(signed) else {
            return false;
        };
        rest = after;
    }
    rest == b"#" || is_json_pointer(rest)
}

/// The bytes after a leading `non-negative-integer` (`0`, or digits not led by `0`).
fn strip_integer(b: &[u8]) -> Option<&[u8]> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || (digits > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    b.get(digits..)
}

/// ECMA-262 regular expression, as `pattern` compiles them.
fn is_regex(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok_and(|s| regress::Regex::new(s).is_ok())
}

/// RFC 6570 URI Template: literals and `{` [operator] varspec *( "," varspec ) `}` expressions.
fn is_uri_template(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'{' => {
                let Some(len) = b[i + 1..].iter().position(|&c| c == b'}') else {
                    return false;
                };
                if !is_template_expression(&b[i + 1..i + 1 + len]) {
                    return false;
                }
                i += len + 2;
            }
            b'%' => {
                if !b
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
            }
            // Not `literals`: controls, space, double quote, angle brackets, backslash, caret,
            // backtick, bar and a closing brace. (The apostrophe is allowed, as the JSON Schema
            // Test Suite has it.)
            0..=0x20 | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'|' | b'}' | 0x7F => {
                return false;
            }
            _ => i += 1,
        }
    }
    true
}

/// The inside of a URI Template expression. The operators RFC 6570 reserves for
/// later use (`=,!@|`) are errors to a processor, so they are rejected here.
fn is_template_expression(b: &[u8]) -> bool {
    let b = match b.first() {
        Some(b'+' | b'#' | b'.' | b'/' | b';' | b'?' | b'&') => &b[1..],
        _ => b,
    };
    b.split(|&c| c == b',').all(|spec| {
        let (name, modifier) = match spec.iter().position(|&c| c == b':') {
            Some(colon) => (&spec[..colon], Some(&spec[colon + 1..])),
            None => match spec.strip_suffix(b"*") {
                Some(name) => (name, None),
                None => (spec, None),
            },
        };
        let max_length_ok =
            modifier.is_none_or(|m| all_digits(m) && m.len() <= 4 && m.first() != Some(&b'0'));
        is_varname(name) && max_length_ok
    })
}

/// `varname = varchar *( ["."] varchar )`, `varchar = ALPHA / DIGIT / "_" / pct-encoded`.
fn is_varname(b: &[u8]) -> bool {
    let mut i = 0;
    let mut after_dot = true;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' if b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                i += 3;
                after_dot = false;
                continue;
            }
            b'.' if !after_dot => after_dot = true,
            c if c.is_ascii_alphanumeric() || c == b'_' => after_dot = false,
            _ => return false,
        }
        i += 1;
    }
    !b.is_empty() && !after_dot
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(f: impl FnOnce(&Path<'_>, &mut ValidationErrors)) -> Vec<Violation> {
        let mut errors = ValidationErrors::new();
        f(&Path::ROOT, &mut errors);
        errors.into_iter().collect()
    }

    fn passes(f: impl FnOnce(&Path<'_>, &mut ValidationErrors)) -> bool {
        check(f).is_empty()
    }

    fn message(f: impl FnOnce(&Path<'_>, &mut ValidationErrors)) -> String {
        let violations = check(f);
        assert_eq!(violations.len(), 1, "{violations:?}");
        violations[0].message.clone()
    }

    fn regex(source: &str) -> regress::Regex {
        regress::Regex::new(source).expect("test pattern compiles")
    }

    fn valid_format(value: &str, name: &str) -> bool {
        passes(|p, e| format(value, name, p, e))
    }

    /// Asserts that `name` accepts every whitespace-separated sample in `valid` and rejects
    /// every one in `invalid`.
    fn assert_format(name: &str, valid: &str, invalid: &str) {
        for sample in valid.split_whitespace() {
            assert!(
                valid_format(sample, name),
                "{name} should accept {sample:?}"
            );
        }
        for sample in invalid.split_whitespace() {
            assert!(
                !valid_format(sample, name),
                "{name} should reject {sample:?}"
            );
        }
    }

    use Number::{Float, Int};

    #[test]
    fn length_counts_code_points_and_bounds_are_inclusive() {
        assert!(passes(|p, e| min_length("日本", 2, p, e)));
        assert!(passes(|p, e| max_length("日本", 2, p, e)));
        assert!(!passes(|p, e| max_length("日本", 1, p, e)));
        // "e" + COMBINING ACUTE ACCENT is one grapheme but two code points.
        assert!(passes(|p, e| min_length("e\u{301}", 2, p, e)));
        // Family emoji: 3 people joined by 2 zero-width joiners = 5 code points.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert!(passes(|p, e| max_length(family, 5, p, e)));
        assert!(!passes(|p, e| max_length(family, 4, p, e)));
        let msg = message(|p, e| min_length("", 1, p, e));
        assert_eq!(msg, "length 0 is less than minLength 1");
        let msg = message(|p, e| max_length("abcd", 3, p, e));
        assert_eq!(msg, "length 4 is greater than maxLength 3");
    }

    #[test]
    fn pattern_uses_unanchored_ecma_search_with_lookahead() {
        assert!(passes(|p, e| pattern("xay", &regex("a"), "a", p, e)));
        let digit_word = regex(r"^(?=.*\d)\w+$");
        assert!(passes(|p, e| pattern("abc1", &digit_word, "", p, e)));
        assert!(!passes(|p, e| pattern("abcd", &digit_word, "", p, e)));
        let msg = message(|p, e| pattern("b", &regex("^a+$"), "^a+$", p, e));
        assert_eq!(msg, "does not match pattern `^a+$`");
    }

    #[test]
    fn inclusive_bounds_accept_equality_and_exclusive_bounds_reject_it() {
        assert!(passes(|p, e| minimum(Int(3), Int(3), false, p, e)));
        assert!(passes(|p, e| maximum(Int(3), Int(3), false, p, e)));
        let msg = message(|p, e| minimum(Int(3), Int(3), true, p, e));
        assert_eq!(msg, "value 3 is not greater than exclusiveMinimum 3");
        let msg = message(|p, e| maximum(Float(3.0), Int(3), true, p, e));
        assert_eq!(msg, "value 3.0 is not less than exclusiveMaximum 3");
        assert!(passes(|p, e| minimum(Float(3.5), Int(3), true, p, e)));
        assert!(passes(|p, e| maximum(Int(2), Float(2.5), true, p, e)));
        let msg = message(|p, e| maximum(Int(5), Int(3), false, p, e));
        assert_eq!(msg, "value 5 is greater than maximum 3");
        let violations = check(|p, e| minimum(Float(-0.5), Int(0), false, p, e));
        assert_eq!(violations[0].keyword, "minimum");
        assert_eq!(violations[0].message, "value -0.5 is less than minimum 0");
        assert!(!passes(|p, e| minimum(
            Float(f64::NAN),
            Int(0),
            false,
            p,
            e
        )));
    }

    #[test]
    fn large_integer_bounds_compare_exactly() {
        let max = i128::from(i64::MAX);
        assert!(passes(|p, e| maximum(
            Int(max - 1),
            Int(max - 1),
            false,
            p,
            e
        )));
        assert!(!passes(|p, e| maximum(Int(max), Int(max - 1), false, p, e)));
        // 2^53 + 1 is not representable as f64; it must not round down to the bound.
        let bound = Float(9_007_199_254_740_992.0);
        assert!(!passes(|p, e| maximum(
            Int(9_007_199_254_740_993),
            bound,
            false,
            p,
            e
        )));
        assert!(passes(|p, e| maximum(
            Int(9_007_199_254_740_992),
            bound,
            false,
            p,
            e
        )));
        assert!(passes(|p, e| maximum(
            Int(i128::MAX),
            Float(1e300),
            true,
            p,
            e
        )));
        assert!(passes(|p, e| minimum(
            Int(i128::MIN),
            Float(-1e300),
            true,
            p,
            e
        )));
        assert!(passes(|p, e| maximum(
            Int(u64::MAX.into()),
            Float(f64::INFINITY),
            true,
            p,
            e
        )));
    }

    #[test]
    fn multiple_of_is_exact_for_integers_and_tolerant_for_decimals() {
        let multiple = |v, d| passes(|p, e| multiple_of(v, d, p, e));
        assert!(multiple(Int(10), Int(5)));
        assert!(!multiple(Int(7), Int(2)));
        assert!(multiple(Int(i128::MIN), Int(-1)));
        assert!(multiple(Int(7), Int(0)));
        assert!(multiple(Float(0.07), Float(0.01)));
        assert!(multiple(Float(19.99), Float(0.01)));
        assert!(multiple(Float(4.5), Float(1.5)));
        assert!(multiple(Float(0.3), Float(0.1)));
        assert!(multiple(Int(12_391_239_123), Float(1e-8)));
        assert!(!multiple(Float(0.075), Float(0.02)));
        assert!(!multiple(Float(1e308), Float(0.123456789)));
        assert!(!multiple(Float(1e10 + 0.5), Int(1)));
        assert!(!multiple(Float(1e-20), Float(0.01)));
        assert!(multiple(Float(4.0), Int(2)));
        let msg = message(|p, e| multiple_of(Int(7), Int(2), p, e));
        assert_eq!(msg, "7 is not a multiple of 2");
    }

    #[test]
    fn item_and_property_counts_are_inclusive() {
        assert!(passes(|p, e| min_items(3, 3, p, e)));
        assert!(passes(|p, e| max_items(3, 3, p, e)));
        let msg = message(|p, e| min_items(2, 3, p, e));
        assert_eq!(msg, "2 items is fewer than minItems 3");
        let msg = message(|p, e| max_items(1, 0, p, e));
        assert_eq!(msg, "1 item is more than maxItems 0");
        assert!(passes(|p, e| min_properties(1, 1, p, e)));
        assert!(passes(|p, e| max_properties(1, 1, p, e)));
        let msg = message(|p, e| min_properties(0, 1, p, e));
        assert_eq!(msg, "0 properties is fewer than minProperties 1");
        assert!(!passes(|p, e| max_properties(2, 1, p, e)));
    }

    #[test]
    fn unique_items_reports_the_first_equal_pair() {
        assert!(passes(|p, e| unique_items(&[1, 2, 3], p, e)));
        let msg = message(|p, e| unique_items(&["a", "b", "a"], p, e));
        assert_eq!(msg, "items 0 and 2 are equal (uniqueItems)");
        let objects = [json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1})];
        assert!(!passes(|p, e| unique_values(&objects, p, e)));
        assert!(!passes(|p, e| unique_values(&[json!(1), json!(1.0)], p, e)));
        let distinct = [
            json!([1, 2]),
            json!([2, 1]),
            json!({"a": 1}),
            json!({"a": 1, "b": 1}),
        ];
        assert!(passes(|p, e| unique_values(&distinct, p, e)));
        assert!(passes(|p, e| unique_values(
            &[json!(0), json!(false), json!(null)],
            p,
            e
        )));
    }

    #[test]
    fn json_form_writes_whole_floats_as_the_integers_they_equal() {
        let integer = |v: &Value| <i64 as serde::Deserialize>::deserialize(v).is_ok();
        // An `f64` that read `0` meets `type: integer` in the checks on its JSON form.
        assert!(integer(&json_form(&0.0f64)));
        assert_eq!(json_form(&-3.0f64), json!(-3));
        assert_eq!(json_form(&1e19f64), json!(10_000_000_000_000_000_000u64));
        assert_eq!(json_form(&1.5f64), json!(1.5));
        assert_eq!(json_form(&1e300f64), json!(1e300));
        assert_eq!(
            json_form(&json!({"a": [2.0, 0.25], "b": "2.0"})),
            json!({"a": [2, 0.25], "b": "2.0"})
        );
    }

    #[test]
    fn enum_and_const_use_json_equality() {
        let allowed = [json!("a"), json!(1), json!({"x": [1.0]})];
        assert!(passes(|p, e| enum_value(&json!(1.0), &allowed, p, e)));
        assert!(passes(|p, e| enum_value(
            &json!({"x": [1]}),
            &allowed,
            p,
            e
        )));
        let violations = check(|p, e| enum_value(&json!("b"), &allowed, p, e));
        assert_eq!(violations[0].keyword, "enum");
        assert_eq!(
            violations[0].message,
            r#""b" is not one of "a", 1, {"x":[1.0]}"#
        );
        assert!(passes(|p, e| const_value(
            &json!(u64::MAX),
            &json!(u64::MAX),
            p,
            e
        )));
        assert!(!passes(|p, e| const_value(
            &json!(u64::MAX),
            &json!(u64::MAX - 1),
            p,
            e
        )));
        assert_eq!(
            check(|p, e| const_value(&json!(2), &json!(1), p, e))[0].keyword,
            "const"
        );
    }

    #[test]
    fn scalar_enum_and_const_compare_as_json_without_building_values() {
        let allowed = [json!("a"), json!(2), json!(true), json!({"x": 1})];
        assert!(passes(|p, e| enum_scalar(
            Scalar::String("a"),
            &allowed,
            p,
            e
        )));
        assert!(passes(|p, e| enum_scalar(
            Scalar::Number(Float(2.0)),
            &allowed,
            p,
            e
        )));
        assert!(passes(|p, e| enum_scalar(
            Scalar::Bool(true),
            &allowed,
            p,
            e
        )));
        assert!(!passes(|p, e| enum_scalar(
            Scalar::Bool(false),
            &allowed,
            p,
            e
        )));
        // A string never equals a number with the same digits.
        assert!(!passes(|p, e| enum_scalar(
            Scalar::String("2"),
            &allowed,
            p,
            e
        )));
        let violations = check(|p, e| enum_scalar(Scalar::String("b"), &allowed, p, e));
        assert_eq!(violations[0].keyword, "enum");
        assert_eq!(
            violations[0].message,
            r#""b" is not one of "a", 2, true, {"x":1}"#
        );
        let big = json!(u64::MAX);
        assert!(passes(|p, e| const_scalar(
            Scalar::Number(Int(u64::MAX.into())),
            &big,
            p,
            e
        )));
        let msg =
            message(|p, e| const_scalar(Scalar::Number(Int(i128::from(u64::MAX) - 1)), &big, p, e));
        assert_eq!(
            msg,
            "18446744073709551614 is not equal to 18446744073709551615"
        );
        let mut errors = ValidationErrors::new();
        enum_scalar(Scalar::String("a"), &allowed, &Path::ROOT, &mut errors);
        const_scalar(Scalar::Bool(true), &json!(true), &Path::ROOT, &mut errors);
        assert_eq!(errors.violations.capacity(), 0);
    }

    #[test]
    fn json_type_treats_whole_floats_as_integers() {
        let int = [JsonType::Integer];
        assert!(passes(|p, e| json_type(&json!(1.0), &int, p, e)));
        assert!(passes(|p, e| json_type(&json!(u64::MAX), &int, p, e)));
        assert!(passes(|p, e| json_type(&json!(1e300), &int, p, e)));
        let msg = message(|p, e| json_type(&json!(1.5), &int, p, e));
        assert_eq!(msg, "expected integer, found number");
        let number = [JsonType::Number];
        assert!(passes(|p, e| json_type(&json!(3), &number, p, e)));
        let nullable_string = [JsonType::String, JsonType::Null];
        assert!(passes(|p, e| json_type(
            &json!(null),
            &nullable_string,
            p,
            e
        )));
        let msg = message(|p, e| json_type(&json!({}), &nullable_string, p, e));
        assert_eq!(msg, "expected string or null, found object");
    }

    #[test]
    fn number_of_keeps_integers_exact() {
        assert!(matches!(number_of(&json!(u64::MAX)), Some(Int(n)) if n == u64::MAX.into()));
        assert!(matches!(number_of(&json!(-3)), Some(Int(-3))));
        assert!(matches!(number_of(&json!(2.5)), Some(Float(x)) if x == 2.5));
        assert!(number_of(&json!("1")).is_none());
    }

    #[test]
    fn combinator_and_object_checks_report_their_keyword() {
        assert!(passes(|p, e| one_of(1, p, e)));
        let msg = message(|p, e| one_of(2, p, e));
        assert_eq!(msg, "matches 2 of the oneOf schemas, expected exactly 1");
        assert!(!passes(|p, e| one_of(0, p, e)));
        assert!(passes(|p, e| any_of(2, p, e)));
        assert_eq!(check(|p, e| any_of(0, p, e))[0].keyword, "anyOf");
        let violations = check(|p, e| required(false, "id", p, e));
        assert_eq!(violations[0].keyword, "required");
        assert_eq!(violations[0].message, "missing required property `id`");
        assert!(passes(|p, e| required(true, "id", p, e)));
        let msg = message(|p, e| additional_property("extra", p, e));
        assert_eq!(msg, "property `extra` is not allowed");
    }

    #[test]
    fn read_only_and_write_only_are_checked_only_in_their_direction() {
        let under = |direction: Direction, f: &dyn Fn(&Path<'_>, &mut ValidationErrors)| {
            let root = Path::root(direction);
            let item = root.key("items");
            let at = item.index(2);
            let mut errors = ValidationErrors::new();
            f(&at, &mut errors);
            errors.into_iter().collect::<Vec<_>>()
        };
        // Present: rejected only the way it must not travel, at the property's own pointer.
        let sent = |p: &Path<'_>, e: &mut ValidationErrors| read_only(true, true, "id", p, e);
        let found = under(Direction::Request, &sent);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/items/2/id");
        assert_eq!(found[0].keyword, "readOnly");
        assert!(under(Direction::Response, &sent).is_empty());
        assert!(under(Direction::Any, &sent).is_empty());
        let sent = |p: &Path<'_>, e: &mut ValidationErrors| write_only(true, false, "pin", p, e);
        let found = under(Direction::Response, &sent);
        assert_eq!(found[0].pointer, "/items/2/pin");
        assert_eq!(found[0].keyword, "writeOnly");
        assert!(under(Direction::Request, &sent).is_empty());
        // Absent and required: missing only the way it must travel, at the object's pointer.
        let absent = |p: &Path<'_>, e: &mut ValidationErrors| read_only(false, true, "id", p, e);
        let found = under(Direction::Response, &absent);
        assert_eq!(found[0].pointer, "/items/2");
        assert_eq!(found[0].keyword, "required");
        assert!(under(Direction::Request, &absent).is_empty());
        assert!(under(Direction::Any, &absent).is_empty());
        let absent = |p: &Path<'_>, e: &mut ValidationErrors| write_only(false, true, "pin", p, e);
        assert_eq!(under(Direction::Request, &absent)[0].keyword, "required");
        let optional =
            |p: &Path<'_>, e: &mut ValidationErrors| write_only(false, false, "pin", p, e);
        assert!(under(Direction::Request, &optional).is_empty());
    }

    #[test]
    fn pointers_escape_tilde_and_slash_per_rfc_6901() {
        assert_eq!(Path::ROOT.to_pointer(), "");
        let a = Path::ROOT.key("a/b");
        let b = a.index(3);
        let c = b.key("m~n");
        assert_eq!(c.to_pointer(), "/a~1b/3/m~0n");
        assert_eq!(Path::ROOT.key("").to_pointer(), "/");
    }

    #[test]
    fn errors_display_one_violation_per_line_with_root_named() {
        let mut errors = ValidationErrors::new();
        let items = Path::ROOT.key("items");
        errors.push(&Path::ROOT, "required", "missing required property `id`");
        errors.push(
            &items.index(0),
            "minLength",
            String::from("length 0 is less than minLength 1"),
        );
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.to_string(),
            "(root): missing required property `id`\n/items/0: length 0 is less than minLength 1"
        );
        let keywords: Vec<_> = errors.iter().map(|v| v.keyword).collect();
        assert_eq!(keywords, ["required", "minLength"]);
        assert!(errors.into_result().is_err());
        assert_eq!(ValidationErrors::new().into_result(), Ok(()));
    }

    #[test]
    fn success_path_allocates_nothing() {
        let mut errors = ValidationErrors::new();
        let path = Path::ROOT.key("name");
        min_length("abc", 1, &path, &mut errors);
        minimum(Int(5), Int(1), false, &path, &mut errors);
        format("2020-01-01", "date", &path, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(errors.violations.capacity(), 0);
    }

    #[derive(Debug, serde::Deserialize)]
    struct Token {
        scopes: Vec<String>,
        #[serde(default, deserialize_with = "nullable::deserialize")]
        note: Option<Option<String>>,
    }

    impl Validate for Token {
        fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
            let scopes = path.key("scopes");
            min_items(self.scopes.len(), 1, &scopes, errors);
            for (i, scope) in self.scopes.iter().enumerate() {
                min_length(scope, 1, &scopes.index(i), errors);
            }
        }
    }

    impl Diagnose for Token {
        fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
            diagnose_struct(
                value,
                path,
                errors,
                &[
                    ("scopes", true, <Vec<String> as Diagnose>::diagnose),
                    ("note", false, <Option<String> as Diagnose>::diagnose),
                ],
                Undeclared::Accepted,
            );
        }
    }

    /// The problems of a failed parse, as `pointer: message` lines.
    fn problems_of(error: &Error) -> Vec<String> {
        match error {
            Error::Parse { problems, .. } => problems.iter().map(ToString::to_string).collect(),
            Error::Invalid(errors) => panic!("expected a parse error, got {errors}"),
        }
    }

    #[test]
    fn a_failed_parse_lists_every_problem_of_the_input() {
        let input = r#"{"scopes": [1, "", true], "note": 5}"#;
        for error in [
            from_str::<Token>(input).unwrap_err(),
            from_slice::<Token>(input.as_bytes()).unwrap_err(),
            from_value::<Token>(serde_json::from_str(input).unwrap()).unwrap_err(),
        ] {
            let problems = problems_of(&error);
            assert_eq!(problems.len(), 3, "{problems:?}");
            assert!(problems[0].starts_with("/scopes/0: invalid type: integer `1`"));
            assert!(problems[1].starts_with("/scopes/2: invalid type: boolean `true`"));
            assert!(problems[2].starts_with("/note: invalid type: integer `5`"));
            // Display lists them all, one a line.
            assert_eq!(error.to_string().lines().count(), 3, "{error}");
        }
        // A missing required property beside a bad value: both.
        let error = from_str::<Token>(r#"{"note": []}"#).unwrap_err();
        assert_eq!(
            problems_of(&error),
            [
                "(root): missing required property `scopes`",
                "/note: invalid type: sequence, expected a string",
            ]
        );
        // Not an object at all: one problem, in the schema's words.
        let error = from_str::<Token>("[1]").unwrap_err();
        assert_eq!(
            problems_of(&error),
            ["(root): expected object, found array"]
        );
        // Not JSON: the syntax error alone.
        let error = from_str::<Token>("{").unwrap_err();
        assert!(problems_of(&error).is_empty());
        // Nested deeper than the diagnosis reads: the first problem alone.
        let deep = format!(
            r#"{{"scopes": 1, "note": {}{}}}"#,
            "[".repeat(49),
            "]".repeat(49)
        );
        assert!(problems_of(&from_str::<Token>(&deep).unwrap_err()).is_empty());
        let shallow = format!(
            r#"{{"scopes": 1, "note": {}{}}}"#,
            "[".repeat(47),
            "]".repeat(47)
        );
        assert_eq!(
            problems_of(&from_str::<Token>(&shallow).unwrap_err()).len(),
            2
        );
        // Brackets inside strings do not count.
        let quoted = format!(r#"{{"scopes": 1, "note": "{}\""}}"#, "[".repeat(60));
        assert_eq!(
            problems_of(&from_str::<Token>(&quoted).unwrap_err()).len(),
            1
        );
        // Input that parses is validated as before.
        assert!(matches!(
            from_str::<Token>(r#"{"scopes": [""]}"#),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn a_formatted_value_is_diagnosed_in_the_schemas_words() {
        let mut errors = ValidationErrors::new();
        let path = Path::ROOT;
        diagnose_formatted::<Even>(&Value::from("3"), &path.key("one"), &mut errors);
        diagnose_formatted::<Even>(&Value::from(4), &path.key("two"), &mut errors);
        diagnose_formatted::<Even>(&Value::from("4"), &path.key("three"), &mut errors);
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "/one: `3` is not a valid even number",
                "/two: expected string, found number",
            ]
        );
    }

    /// A string enum as the generator writes it, to compare `diagnose_enum` with serde.
    #[derive(Debug, serde::Deserialize)]
    enum Colour {
        #[serde(rename = "red")]
        Red,
        #[serde(rename = "dark-blue")]
        DarkBlue,
    }

    #[test]
    fn a_string_enum_is_diagnosed_as_serde_reads_it() {
        const COLOURS: &[&str] = &["red", "dark-blue"];
        let inputs = [
            json!("red"),
            json!("dark-blue"),
            json!("Red"),
            json!("green"),
            json!(""),
            json!(1),
            json!(null),
            json!(["red"]),
            json!({"red": null}),
            json!({"green": null}),
            json!({"red": 1}),
            json!({"red": null, "dark-blue": null}),
        ];
        for input in &inputs {
            let parsed = serde_json::from_value::<Colour>(input.clone());
            let mut errors = ValidationErrors::new();
            diagnose_enum(input, &Path::ROOT, &mut errors, COLOURS, false);
            assert_eq!(
                errors.is_empty(),
                parsed.is_ok(),
                "{input}: serde says {parsed:?}, the diagnosis {errors}"
            );
            if let (Err(error), Some(problem)) = (&parsed, errors.iter().next()) {
                if error.to_string().starts_with("unknown variant") {
                    assert_eq!(problem.message, error.to_string());
                    assert_eq!(problem.keyword, "enum");
                }
            }
        }
        let mut errors = ValidationErrors::new();
        diagnose_enum(&json!("green"), &Path::ROOT, &mut errors, COLOURS, true);
        diagnose_enum(&json!(2), &Path::ROOT.key("n"), &mut errors, COLOURS, true);
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(found, ["/n: expected string, found number"]);
    }

    /// A closed struct, for a tagged branch that holds no field for its tag.
    struct Closed;

    impl Closed {
        fn diagnose(value: &Value, path: &Path<'_>, errors: &mut ValidationErrors) {
            diagnose_struct(
                value,
                path,
                errors,
                &[("size", true, <u8 as Diagnose>::diagnose)],
                Undeclared::Denied,
            );
        }
    }

    /// The problems `diagnose_union` finds, as `pointer: message` lines.
    fn union_problems(value: Value, tags: Tags) -> Vec<String> {
        const BRANCHES: &[Branch] = &[
            branch("Token", kinds::STRUCT, &["scopes"]),
            branch("Closed", kinds::STRUCT, &["size"]),
            branch("Name", kinds::STRING, &[]),
        ];
        let mut errors = ValidationErrors::new();
        diagnose_union(
            &value,
            &Path::ROOT.key("u"),
            &mut errors,
            BRANCHES,
            &[
                <Token as Diagnose>::diagnose,
                Closed::diagnose,
                <String as Diagnose>::diagnose,
            ],
            tags,
        );
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_union_is_diagnosed_by_the_branches_that_fit() {
        assert!(union_problems(json!("ada"), Tags::None).is_empty());
        assert!(union_problems(json!({"scopes": []}), Tags::None).is_empty());
        assert!(union_problems(json!({"size": 3}), Tags::None).is_empty());
        // One branch fits: its problems are the union's.
        assert_eq!(
            union_problems(json!({"scopes": [1, "a", 2]}), Tags::None),
            [
                "/u/scopes/0: invalid type: integer `1`, expected a string",
                "/u/scopes/2: invalid type: integer `2`, expected a string"
            ]
        );
        // Several fit, none reads: one problem names each branch.
        assert_eq!(
            union_problems(json!({"scopes": [1], "size": 300}), Tags::None),
            ["/u: matches none of the expected shapes; Token: at /scopes/0: invalid type: \
              integer `1`, expected a string; Closed: at /size: `300` is outside the range of the integer \
              type (format uint8 is held as u8, from 0 to 255); Name: expected string, found object"]
        );
        assert_eq!(
            union_problems(json!(true), Tags::None),
            [
                "/u: matches none of the expected shapes; Token: expected object or array, found \
              boolean; Closed: expected object or array, found boolean; Name: expected string, \
              found boolean"
            ]
        );
        // A tag selects its branch; a branch without a field for it reads the rest.
        const TAGS: &[(&str, usize, bool)] = &[("token", 0, true), ("closed", 1, false)];
        let tagged = |value| union_problems(value, Tags::Property("kind", TAGS));
        assert!(tagged(json!({"kind": "closed", "size": 3})).is_empty());
        assert_eq!(
            tagged(json!({"kind": "closed", "size": 3, "more": 1})),
            ["/u: property `more` is not allowed"]
        );
        assert_eq!(
            tagged(json!({"kind": "other"})),
            ["/u: unknown kind `other`"]
        );
        assert!(tagged(json!("ada")).is_empty());
    }

    #[test]
    fn from_str_reports_parse_errors_with_a_pointer() {
        let error = from_str::<Token>(r#"{"scopes": ["read", 1]}"#).unwrap_err();
        match &error {
            Error::Parse {
                pointer, message, ..
            } => {
                assert_eq!(pointer, "/scopes/1");
                assert!(message.contains("invalid type"), "{message}");
            }
            Error::Invalid(errors) => panic!("expected a parse error, got {errors}"),
        }
        assert!(error.to_string().starts_with("/scopes/1: invalid type"));
        let error = from_str::<Token>(r#"{"scopes": [1]}"#).unwrap_err();
        assert!(matches!(error, Error::Parse { pointer, .. } if pointer == "/scopes/0"));
        let error = from_str::<Token>("{}").unwrap_err();
        assert!(error
            .to_string()
            .starts_with("(root): missing field `scopes`"));
        let error = from_str::<Token>(r#"{"scopes": ["a"]} x"#).unwrap_err();
        assert!(matches!(error, Error::Parse { .. }));
    }

    /// A stand-in for a library type read from a string.
    #[derive(Debug, PartialEq)]
    struct Even(u32);

    impl Formatted for Even {
        const FORMAT: &'static str = "even number";

        fn parse_formatted(text: &str) -> Option<Self> {
            text.parse().ok().filter(|n| n % 2 == 0).map(Even)
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct WithFormats {
        #[serde(deserialize_with = "formatted::required")]
        one: Even,
        #[serde(default, deserialize_with = "formatted::optional")]
        two: Option<Even>,
        #[serde(default, deserialize_with = "formatted::optional_nullable")]
        three: Option<Option<Even>>,
        #[serde(deserialize_with = "formatted::required_nullable")]
        four: Option<Even>,
        #[serde(default, deserialize_with = "formatted::optional_list")]
        list: Option<Vec<Even>>,
        #[serde(default, deserialize_with = "formatted::optional_map")]
        map: Option<BTreeMap<String, Even>>,
    }

    impl Validate for WithFormats {
        fn validate_at(&self, _path: &Path<'_>, _errors: &mut ValidationErrors) {}
    }

    impl Diagnose for WithFormats {}

    #[test]
    fn formatted_fields_name_the_format_and_the_value_and_keep_their_option_layers() {
        let parsed: WithFormats =
            from_str(r#"{"one": "2", "three": null, "four": null}"#).expect("valid");
        assert_eq!(parsed.one, Even(2));
        assert_eq!(parsed.two, None);
        assert_eq!(parsed.three, Some(None));
        assert_eq!(parsed.four, None);
        let parsed: WithFormats =
            from_str(r#"{"one": "2", "two": "4", "three": "6", "four": "8"}"#).expect("valid");
        assert_eq!(parsed.two, Some(Even(4)));
        assert_eq!(parsed.three, Some(Some(Even(6))));
        assert_eq!(parsed.four, Some(Even(8)));
        let error = from_str::<WithFormats>(r#"{"one": "2", "two": "3", "four": null}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("/two: `3` is not a valid even number"),
            "{error}"
        );
        let error = from_str::<WithFormats>(r#"{"one": 2, "four": null}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("expected a even number string"), "{error}");
        let parsed: WithFormats =
            from_str(r#"{"one": "2", "four": null, "list": ["2", "4"], "map": {"a": "6"}}"#)
                .expect("valid");
        assert_eq!(parsed.list, Some(vec![Even(2), Even(4)]));
        assert_eq!(parsed.map.and_then(|m| m.get("a").map(|e| e.0)), Some(6));
        let error = from_str::<WithFormats>(r#"{"one": "2", "four": null, "list": ["2", "5"]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("/list/1: `5` is not a valid even number"),
            "{error}"
        );
        let error = from_str::<WithFormats>(r#"{"one": "2", "four": null, "map": {"k": "7"}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("/map/k: `7` is not a valid even number"),
            "{error}"
        );
        let error = from_str::<WithFormats>(r#"{"one": "2"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("missing field `four`"), "{error}");
    }

    #[test]
    fn integers_beyond_64_bits_are_rejected_with_the_range_named() {
        let big = "12345678910111213141516171819202122232425262728293031";
        let error = from_str::<i64>(big).unwrap_err().to_string();
        assert!(
            error.contains("outside the range of the integer type"),
            "{error}"
        );
        assert!(error.contains("i64"), "{error}");
        let error = from_str::<i64>("18446744073709551615")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`18446744073709551615` is outside the range"),
            "{error}"
        );
        let error = from_str::<i32>("3000000000").unwrap_err().to_string();
        assert!(
            error.contains("`3000000000` is outside the range of the integer type (format int32"),
            "{error}"
        );
        let error = from_str::<i64>("1.5").unwrap_err().to_string();
        assert!(error.contains("`1.5` is not an integer"), "{error}");
        for (error, expected) in [
            (from_str::<i8>("128").err(), "`128` is outside the range of the integer type (format int8 is held as i8, from -128 to 127)"),
            (from_str::<i16>("-32769").err(), "`-32769` is outside the range of the integer type (format int16 is held as i16, from -32768 to 32767)"),
            (from_str::<u8>("-1").err(), "`-1` is outside the range of the integer type (format uint8 is held as u8, from 0 to 255)"),
            (from_str::<u16>("65536").err(), "`65536` is outside the range of the integer type (format uint16 is held as u16, from 0 to 65535)"),
            (from_str::<u32>("4294967296").err(), "`4294967296` is outside the range of the integer type (format uint32 is held as u32, from 0 to 4294967295)"),
            (from_str::<u64>("-1").err(), "`-1` is outside the range of the integer type (format uint64 is held as u64, from 0 to 18446744073709551615)"),
            (from_str::<u64>("1e20").err(), "is outside the range of the integer type (format uint64"),
        ] {
            let error = error.map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains(expected), "{error}");
        }
        assert_eq!(from_str::<u64>("18446744073709551615").ok(), Some(u64::MAX));
        assert_eq!(from_str::<i8>("-128").ok(), Some(i8::MIN));
        assert_eq!(from_str::<i64>("-9223372036854775808").ok(), Some(i64::MIN));
        // Other messages are left as they are.
        let error = from_str::<i64>("\"a\"").unwrap_err().to_string();
        assert!(error.contains("invalid type: string"), "{error}");
    }

    #[test]
    fn from_str_slice_and_value_validate_after_parsing() {
        let error = from_str::<Token>(r#"{"scopes": ["a", ""]}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/scopes/1: length 0 is less than minLength 1"
        );
        let token: Token = from_slice(br#"{"scopes": ["a"]}"#).expect("valid");
        assert_eq!(token.scopes, ["a"]);
        let error = from_value::<Token>(json!({"scopes": []})).unwrap_err();
        assert!(matches!(error, Error::Invalid(ref e) if e.len() == 1));
        let error = from_value::<Token>(json!({"scopes": [true]})).unwrap_err();
        assert!(matches!(error, Error::Parse { pointer, .. } if pointer == "/scopes/0"));
    }

    #[test]
    fn nullable_keeps_absent_distinct_from_null() {
        let absent: Token = from_str(r#"{"scopes": ["a"]}"#).expect("valid");
        assert_eq!(absent.note, None);
        let null: Token = from_str(r#"{"scopes": ["a"], "note": null}"#).expect("valid");
        assert_eq!(null.note, Some(None));
        let set: Token = from_str(r#"{"scopes": ["a"], "note": "n"}"#).expect("valid");
        assert_eq!(set.note, Some(Some("n".to_owned())));
    }

    #[test]
    fn nullable_required_rejects_a_missing_field_but_accepts_null() {
        #[derive(Debug, serde::Deserialize)]
        struct Required {
            #[serde(deserialize_with = "nullable::required")]
            value: Option<i32>,
        }
        let parsed: Required = serde_json::from_str(r#"{"value": null}"#).expect("null is fine");
        assert_eq!(parsed.value, None);
        let parsed: Required = serde_json::from_str(r#"{"value": 4}"#).expect("value is fine");
        assert_eq!(parsed.value, Some(4));
        let error = serde_json::from_str::<Required>("{}").unwrap_err();
        assert!(error.to_string().contains("missing field `value`"));
    }

    #[test]
    fn containers_validate_items_at_their_own_paths() {
        struct Short(&'static str);
        impl Validate for Short {
            fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
                max_length(self.0, 1, path, errors);
            }
        }
        let list = vec![
            Some(Box::new(Short("a"))),
            None,
            Some(Box::new(Short("bb"))),
        ];
        let errors = list.validate().unwrap_err();
        assert_eq!(errors.iter().next().map(|v| v.pointer.as_str()), Some("/2"));
        let map = BTreeMap::from([("k/1".to_owned(), Short("xyz"))]);
        assert_eq!(
            map.validate().unwrap_err().to_string(),
            "/k~11: length 3 is greater than maxLength 1"
        );
        assert!("anything".validate().is_ok());
        assert!(json!({"a": 1}).validate().is_ok());
        let pair = (Short("a"), Short("bb"));
        assert_eq!(
            pair.validate().unwrap_err().to_string(),
            "/1: length 2 is greater than maxLength 1"
        );
    }

    #[test]
    fn date_time_follows_rfc_3339() {
        assert_format(
            "date-time",
            "1963-06-19T08:30:06.283185Z 1963-06-19t08:30:06z 1937-01-01T12:00:27.87+00:20 \
             2016-12-31T23:59:60Z 1998-12-31T15:59:60.123-08:00 2020-02-29T00:00:00-23:59",
            "1990-12-31T15:59:59-24:00 1990-12-31T15:59:60+08:00 2016-12-31T22:59:60Z \
             1963-06-19T08:30:06.Z 1963-06-19T08:30:06 2013-350T01:01:01 2021-02-29T00:00:00Z \
             1963-06-1\u{0969}T00:00:00Z 06/19/1963T08:30:06Z 1963-06-19T08:30:06Z+01:00",
        );
        assert!(!valid_format("1963-06-19 08:30:06Z", "date-time"));
        assert!(!valid_format("", "date-time"));
        let msg = message(|p, e| format("abc", "date-time", p, e));
        assert_eq!(msg, "`abc` is not a valid date-time");
    }

    #[test]
    fn date_follows_the_real_calendar() {
        assert_format(
            "date",
            "2020-02-29 2000-02-29 1963-06-19 0000-01-01 2021-12-31",
            "1990-02-31 1900-02-29 2021-13-01 2021-00-10 2021-04-31 2021-1-01 20210101 \
             2021-01-01T 2021-01-00 2021/01/01",
        );
    }

    #[test]
    fn time_requires_an_offset() {
        assert_format(
            "time",
            "08:30:06Z 08:30:06.283185+01:00 23:59:60Z 15:59:60-08:00 23:20:50.52z",
            "08:30:06 24:00:00Z 08:60:00Z 22:59:60Z 08:30:06+0100 8:30:06Z 08:30:06+01:60 \
             08:30:06+24:00 08:30Z",
        );
    }

    #[test]
    fn email_accepts_dot_atoms_quoted_locals_and_address_literals() {
        assert_format(
            "email",
            "joe.bloggs@example.com te~st@example.com \"joe..bloggs\"@example.com \
             \"joe@bloggs\"@example.com joe.bloggs@[127.0.0.1] joe.bloggs@[IPv6:::1] a+b@c",
            "2962 .test@example.com test.@example.com te..st@example.com \
             joe.bloggs@[127.0.0.300] joe.bloggs@[IPv6:::12345] joe.bloggs@invalid=domain.com \
             joe.bloggs@example..com @example.com joe@ \"a\"b\"@example.com \"a\\\"@example.com",
        );
        assert!(valid_format("\"joe bloggs\"@example.com", "email"));
        assert!(!valid_format("joe bloggs@example.com", "email"));
    }

    #[test]
    fn uuid_is_hyphenated_hex() {
        assert_format(
            "uuid",
            "2EB8AA08-AA98-11EA-B4AA-73B441D16380 00000000-0000-0000-0000-000000000000",
            "2eb8aa08-aa98-11ea-b4aa-73b441d1638 2eb8aa08aa9811eab4aa73b441d16380 \
             2eb8aa08-aa98-11ea-b4aa-73b441d1638g 2eb8aa0-8aa98-11ea-b4aa-73b441d16380",
        );
    }

    #[test]
    fn uri_must_be_absolute_and_well_encoded() {
        assert_format(
            "uri",
            "http://foo.bar/?baz=qux#quux http://foo.com/blah_(wikipedia)_blah#cite-1 \
             http://foo.bar/?q=Test%20URL-encoded%20stuff http://223.255.255.254 \
             http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com file:///etc/hosts \
             ftp://ftp.is.co.za/rfc/rfc1808.txt http://[2001:db8::7]/c=GB?objectClass?one \
             http://[v1.fe80::a+en1]/ mailto:John.Doe@example.com tel:+1-816-555-1212 \
             urn:oasis:names:specification:docbook:dtd:xml:4.1.2 http://localhost:8080",
            "//foo.bar/?baz=qux#quux /abc abc \\\\WINDOWS\\fileshare :// bar,baz:foo \
             http://ƒøø.ßår/?∂éœ=πîx#πîüx http://example.com/%zz http://example.com/a#b#c \
             http://[::1/ http://[::1]x http://host:80a/ 1http://x http://[vz.1]/",
        );
        assert!(!valid_format("http:// shouldfail.com", "uri"));
    }

    #[test]
    fn uri_checks_every_part_whatever_its_length_and_position() {
        assert_format(
            "uri",
            "http://host?q http://host#f http://user@host http://host: http://h%41st/ \
             http://host/a?b?c#d?e/ http://host/a#b?c http://host/a%41%42 \
             https://api.github.com/repos/octocat/Hello-World/issues/1347/comments \
             https://example.com/abcdefghijklmnopqrstuvwxyz0123456789?a=b&c=d#e",
            "http://ho%st http://host/%4 http://host/a% http://host/a#b#c \
             https://api.github.com/repos/octocat/Hello-World{/ref} \
             https://api.github.com/repos/octocat/Hello-World/issues{/number} \
             https://example.com/abcdefghijklmnopqrstuvwxyz0123456789?a=b|c \
             https://example.com/abcdefghijklmnopqrstuvwxyz0123456789#a#b \
             http://exa{mple.com/ http://example.com@@/",
        );
        assert!(!valid_format(
            "https://example.com/abcdefgh\u{e9}ijklmnop",
            "uri"
        ));
    }

    /// A test union: a number, a `Token` object, or a list of strings.
    #[derive(Debug)]
    enum TestUnion {
        Number(i64),
        Token(Token),
        List(Vec<String>),
    }

    const TEST_BRANCHES: &[Branch] = &[
        branch("Number", kinds::NUMBER, &[]),
        branch("Token", kinds::STRUCT, &["scopes"]),
        branch("List", kinds::ARRAY, &[]),
    ];

    impl<'de> serde::Deserialize<'de> for TestUnion {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let input = union_input(deserializer)?;
            select_branch(input, TEST_BRANCHES, true, |branch, input| match branch {
                0 => input.try_branch_as(Self::Number),
                1 => input.try_branch_as(Self::Token),
                _ => input.try_branch_as(Self::List),
            })
            .map_err(serde::de::Error::custom)
        }
    }

    /// The union inside a struct with flattened properties, which serde buffers.
    #[derive(Debug, serde::Deserialize)]
    struct Buffered {
        inner: TestUnion,
        #[serde(flatten)]
        _rest: BTreeMap<String, Value>,
    }

    #[test]
    fn union_branches_are_chosen_the_same_from_text_and_from_buffered_content() {
        let summary = |union: TestUnion| match union {
            TestUnion::Number(n) => format!("number {n}"),
            TestUnion::Token(t) => format!("token {}", t.scopes.join(",")),
            TestUnion::List(l) => format!("list {}", l.join(",")),
        };
        let cases = [
            (r#"7"#, "number 7"),
            (r#"{"scopes": ["a"]}"#, "token a"),
            (r#"["a", "b"]"#, "list a,b"),
        ];
        for (json, expected) in cases {
            let direct: TestUnion = serde_json::from_str(json).expect("direct");
            assert_eq!(summary(direct), expected);
            let text = format!(r#"{{"inner": {json}, "other": 1}}"#);
            let buffered: Buffered = serde_json::from_str(&text).expect("buffered");
            assert_eq!(summary(buffered.inner), expected);
            let value: TestUnion =
                serde_json::from_value(serde_json::from_str(json).unwrap()).expect("from a value");
            assert_eq!(summary(value), expected);
        }
    }

    #[test]
    fn union_error_names_each_branch_with_its_pointer_and_first_error() {
        let error = serde_json::from_str::<TestUnion>(r#"{"scopes": ["a", 7]}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "matches none of the expected shapes; Number: expected number, found object; \
             Token: at /scopes/1: invalid type: integer `7`, expected a string; \
             List: expected array, found object"
        );
        let error = serde_json::from_str::<TestUnion>(r#"{"note": null}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("; Token: missing field `scopes`; "),
            "{error}"
        );
        let error = serde_json::from_str::<TestUnion>(r#"[1]"#).unwrap_err();
        assert!(
            error.to_string().contains(
                "; Token: at /0: invalid type: integer `1`, expected a sequence; \
                 List: at /0: invalid type: integer `1`, expected a string"
            ),
            "{error}"
        );
    }

    #[test]
    fn union_tag_is_read_from_the_text_and_the_last_one_wins() {
        let input: UnionInput<'_> =
            serde_json::from_str(r#"{"a": {"kind": "x"}, "kind": "dog", "kind": "cat"}"#).unwrap();
        assert_eq!(input.tag("kind").as_deref(), Some("cat"));
        let input: UnionInput<'_> = serde_json::from_str(r#"{"kind": 1}"#).unwrap();
        assert_eq!(input.tag("kind"), None);
        let input: UnionInput<'_> = serde_json::from_str(r#"[{"kind": "dog"}]"#).unwrap();
        assert_eq!(input.tag("kind"), None);
        let input: UnionInput<'_> = serde_json::from_str(r#"{"kind": "dog", "x": 1}"#).unwrap();
        let without: BTreeMap<String, i64> = input.parse_without("kind").unwrap();
        assert_eq!(without.len(), 1);
    }

    #[test]
    fn select_keeps_the_first_valid_branch_and_names_every_valid_one_when_ambiguous() {
        let branches = [
            branch("A", kinds::ANY, &[]),
            branch("B", kinds::ANY, &[]),
            branch("C", kinds::ANY, &[]),
            branch("D", kinds::ANY, &[]),
        ];
        let outcomes = [
            Ok((1, false)),
            Ok((2, true)),
            Err(String::new()),
            Ok((4, true)),
        ];
        let select = |exactly_one: bool, outcomes: &[Result<(i32, bool), String>]| {
            let input: UnionInput<'_> = serde_json::from_str("null").unwrap();
            select_branch(input, &branches, exactly_one, |i, _| {
                outcomes.get(i).cloned().unwrap_or(Err("none".to_owned()))
            })
        };
        assert_eq!(select(false, &outcomes), Ok(2));
        assert_eq!(
            select(true, &outcomes),
            Err("matches 2 oneOf branches (B, D), expected exactly 1".to_owned())
        );
        assert_eq!(select(true, &[Ok((1, false)), Ok((3, true))]), Ok(3));
        assert_eq!(select(true, &[Ok((1, false)), Err(String::new())]), Ok(1));
        assert_eq!(
            select(true, &[Err("bad".to_owned())]),
            Err(
                "matches none of the expected shapes; A: bad; B: none; C: none; D: none".to_owned()
            )
        );
    }

    #[test]
    fn from_str_and_from_slice_locate_what_does_not_deserialize() {
        for error in [
            from_str::<Token>(r#"{"scopes": ["a", 7]}"#).unwrap_err(),
            from_slice::<Token>(br#"{"scopes": ["a", 7]}"#).unwrap_err(),
        ] {
            assert!(
                matches!(error, Error::Parse { ref pointer, .. } if pointer == "/scopes/1"),
                "{error:?}"
            );
        }
        let error = from_str::<Token>(r#"{"scopes": ["a"]} x"#).unwrap_err();
        assert!(
            matches!(error, Error::Parse { ref pointer, ref message, .. } if pointer.is_empty() && message.contains("trailing")),
            "{error:?}"
        );
    }

    #[test]
    fn uri_reference_also_accepts_relative_references() {
        assert_format(
            "uri-reference",
            "http://foo.bar/?baz=qux#quux //foo.bar/?baz=qux#quux /abc abc #fragment a/b:c \
             ./x:y ?q",
            "\\\\WINDOWS\\fileshare #frag\\ment 1a:b % a%2",
        );
        assert!(valid_format("", "uri-reference"));
        assert!(!valid_format("a b", "uri-reference"));
    }

    #[test]
    fn ipv4_is_a_strict_dotted_quad() {
        assert_format(
            "ipv4",
            "192.168.0.1 0.0.0.0 255.255.255.255",
            "1.2.3.4.5 256.256.256.256 127.0 087.10.0.1 0x7f000001 1.2.3. 1.2.3.\u{0967} \
             1.2.3.-4",
        );
        assert!(!valid_format(" 1.2.3.4", "ipv4"));
    }

    #[test]
    fn ipv6_accepts_compression_and_embedded_ipv4_but_not_zones() {
        assert_format(
            "ipv6",
            "::1 :: 1:2:3:4:5:6:7:8 ::ffff:192.168.0.1 fe80::a 1::8",
            "12345:: ::laptop 1:1:1:1:1:1:1:1:1 :2:3:4:5:6:7:8 1::d6::42 fe80::a%eth1 1.2.3.4",
        );
        assert!(!valid_format(" ::1", "ipv6"));
    }

    #[test]
    fn hostname_follows_rfc_1123() {
        let long_label = "a".repeat(64);
        let long_name = [63, 63, 63, 62].map(|n| "x".repeat(n)).join(".");
        assert_format(
            "hostname",
            "www.example.com a xn--4gbwdl.xn--wgbh1c 1host",
            "",
        );
        assert_format("hostname", &long_name[..253], &long_label);
        assert_format(
            "hostname",
            "",
            "-a.com a-.com a_b.com a..com . é.com example.com.",
        );
        assert_format("hostname", "", &long_name);
        assert!(!valid_format("", "hostname"));
    }

    #[test]
    fn byte_is_padded_base64() {
        assert_format(
            "byte",
            "Zg== Zm8= Zm9v YW55IGNhcm5hbCBwbGVhcw== +/+/",
            "Zg Zg= Z=== Zm9v! Zm=v Zm-_ ====",
        );
        assert!(valid_format("", "byte"));
        assert!(!valid_format("Zm9v\n", "byte"));
    }

    #[test]
    fn duration_follows_the_rfc_3339_grammar() {
        assert_format(
            "duration",
            "P3D PT0S P2Y P1Y6M P6M15D P1Y2M3DT4H5M6S PT90M PT1M30S P2DT1H P3W P007D",
            "P PT P3DT P1D3H P3S P1W2D P3WT1H P1Y3D PT1H3S P3D1Y PT1.5S -P1D P1 3D P\u{0663}D",
        );
        assert!(!valid_format(" P1D", "duration"));
    }

    #[test]
    fn json_pointers_escape_tilde_as_0_or_1() {
        assert_format(
            "json-pointer",
            "/ /a /a/0 /a~0b /a~1b// /~1~0 /-/x /\u{2603} /%25",
            "a #/a /~ /a~2 /~~ /~a 0/x",
        );
        assert!(valid_format("", "json-pointer"));
        assert!(valid_format("/with space", "json-pointer"));
    }

    #[test]
    fn relative_json_pointers_take_an_integer_an_index_shift_and_a_tail() {
        assert_format(
            "relative-json-pointer",
            "0 3 10/a 0# 2/x/~1 1+2 0-1/y 4-0#",
            "/a -1 +1/a 01 00# 1x 1#/a 0+ 0+01 1+-1 0##",
        );
        assert!(!valid_format("", "relative-json-pointer"));
    }

    #[test]
    fn regex_is_any_ecma_262_pattern() {
        assert_format("regex", "^a+$ (x|y)? [0-9]{2,3} \\d+", "( [b-a] +x \\ ab)");
        assert!(valid_format("", "regex"));
    }

    #[test]
    fn uri_templates_follow_rfc_6570_expressions() {
        assert_format(
            "uri-template",
            "https://api.example.com/r/{owner}/{repo}{/number} x{?q,page} {+path} {#frag} {.ext} {;p*} {&more} {a.b} {v:30} {%2A} a%2Fb it's",
            "{} {a {a,} {,a} {a..b} {a=b} {v:0} {v:10000} {v:03} a}b a% a%zz {%} {-a}",
        );
        assert!(valid_format("", "uri-template"));
        assert!(!valid_format("a b", "uri-template"));
    }

    #[test]
    fn unconstrained_and_unknown_formats_accept_anything() {
        for name in [
            "int32", "int64", "float", "double", "binary", "password", "made-up",
        ] {
            assert!(valid_format("not really ✓", name), "{name}");
        }
    }

    #[test]
    fn iri_takes_unescaped_unicode_where_a_uri_takes_unreserved_characters() {
        assert_format(
            "iri",
            "http://ƒøø.ßår/?∂éœ=πîx#πîüx http://例え.テスト/パス?q=値 urn:ü:ö \
             mailto:jöe@example.com http://[::1]:80/ä?\u{E000}",
            "/abc âππ http://ex.com/a\\b http://ex.com/a\u{9F}b http://[::1]:8ä0/ \
             ḧttp://ex.com/ http://ex.com/#\u{E000} http://ex.com/\u{FFFE}",
        );
        // The URI grammar still holds around the Unicode: a port is digits.
        assert!(!valid_format("http://2001:0db8:85a3::7334", "iri"));
        assert!(valid_format("http://ex.com/\u{10000}\u{E1000}", "iri"));
        assert!(!valid_format("http://ex.com/\u{E0001}", "iri"));
        // A URI is an IRI; an IRI is not a URI.
        assert!(valid_format("https://example.com/a?b=c#d", "iri"));
        assert!(!valid_format("http://ƒøø.com/", "uri"));
    }

    #[test]
    fn iri_reference_also_accepts_relative_references() {
        assert_format(
            "iri-reference",
            "//ƒøø.ßår/?∂éœ=πîx#πîüx /âππ âππ #ƒrägmênt ../ä?ö",
            "\\\\WINDOWS\\filëßåré #ƒräg\\mênt ä:b/c:d a\u{7F}",
        );
        assert!(valid_format("", "iri-reference"));
        // A first segment with a colon reads as a scheme, which is ASCII.
        assert!(!valid_format("ä:b", "iri-reference"));
    }

    #[test]
    fn idn_hostname_follows_idna2008_with_its_contextual_rules() {
        if idn::IDN_HOSTNAME.is_none() {
            // A crate whose schemas use neither IDN format goes without their checks.
            assert!(valid_format("-not a host-", "idn-hostname"));
            return;
        }
        assert_format(
            "idn-hostname",
            "실례.테스트 xn--ihqwcrb4cv8a8dqg056pqjye bücher.example ßς་〇 ۽۾ l·l α͵β א׳ב \
             א״ב ・ぁ ・ァ ・丈 ب٠ب ۰0 क्\u{200D}ष क्\u{200C}ष بي\u{200C}بي hostname \
             Host-Name 1host",
            "〮실례.테스트 실〮례.테스트 xn--X XN--aa---o47jg78q -hello hello- ःhello \
             ̀hello ҈hello ـߺ 〱〲〳〴〵〮〯〻 a·l ·l l·a l· α͵S α͵ A׳ב ׳ב \
             def・abc ・ ٠۰ क\u{200D}ष \u{200D}ष Bücher.example bu\u{308}cher ａｂｃ \
             a..b a. ☃.net ᄀ",
        );
        assert!(!valid_format("", "idn-hostname"));
        let long_label = "실".repeat(60);
        assert!(!valid_format(
            &format!("{long_label}.테스트"),
            "idn-hostname"
        ));
        assert!(valid_format("실례.테스트", "idn-hostname"));
    }

    #[test]
    fn idn_email_takes_unicode_in_the_local_part_and_the_domain() {
        if idn::IDN_EMAIL.is_none() {
            assert!(valid_format("not an address", "idn-email"));
            return;
        }
        assert_format(
            "idn-email",
            "실례@실례.테스트 joe.bloggs@example.com δοκιμή@παράδειγμα.δοκιμή \
             \"jöe@b\"@example.com ü@[127.0.0.1]",
            "2962 실례@ @실례.테스트 실례@-실례.테스트 a..b@example.com ü@〮실례.테스트",
        );
    }

    #[test]
    fn parse_errors_quoting_huge_input_keep_only_its_ends() {
        let huge = "x".repeat(1_000_000);
        let message =
            super::shorten_middle(format!("invalid type: string \"{huge}\", expected i64"));
        assert!(
            message.chars().count() < 300,
            "{} chars",
            message.chars().count()
        );
        assert!(message.starts_with("invalid type: string"));
        assert!(message.ends_with("expected i64"));
    }
}
