//! Building blocks of the generated property-test strategies (feature `proptest`).
//!
//! Every value these produce is built from proptest combinators, so a failing case
//! shrinks as proptest shrinks: numbers toward their lower bound, collections toward
//! their fewest items, strings toward their shortest.

use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::fmt;

/// A strategy built only when a value is drawn from it, so that recursive types build
/// no more of themselves than a value needs.
pub struct Lazy<T> {
    make: std::sync::Arc<dyn Fn() -> BoxedStrategy<T> + Send + Sync>,
}

impl<T> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lazy")
    }
}

impl<T: fmt::Debug> Strategy for Lazy<T> {
    type Tree = Box<dyn ValueTree<Value = T>>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        (self.make)().new_tree(runner)
    }
}

/// The strategy `make` returns, built when first drawn from.
pub fn lazy<T: fmt::Debug + 'static>(
    make: impl Fn() -> BoxedStrategy<T> + Send + Sync + 'static,
) -> BoxedStrategy<T> {
    Lazy {
        make: std::sync::Arc::new(make),
    }
    .boxed()
}

/// An always-absent value (`None`). `None` of a large type takes as much stack as the type
/// (some models hold others inline, hundreds of kilobytes deep); built here, it takes that
/// room in this small function rather than in the strategy function of every type using it.
pub fn absent<T: fmt::Debug + 'static>() -> BoxedStrategy<Option<T>> {
    proptest::strategy::LazyJust::new(|| None).boxed()
}

/// The stack of the thread [`on_large_stack`] starts: virtual memory, only the pages used
/// are taken.
const LARGE_STACK: usize = 1 << 28;

/// Runs `work` on a thread with a 256 MiB stack and returns its result.
///
/// Recursion in values is bounded (see `arbitrary::DEPTH`), but a model that holds other
/// models inline (not boxed) can be large: a debug build copies such a value between stack
/// frames when it is drawn, validated and read back, and a single value of a description's
/// biggest types is then larger than the 2 MiB stack of a test thread. A test drawing such
/// values needs this, or `RUST_MIN_STACK`.
pub fn on_large_stack<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> R {
    match std::thread::Builder::new()
        .stack_size(LARGE_STACK)
        .spawn(work)
    {
        Ok(worker) => match worker.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(e) => panic!("starting a thread for the checks: {e}"),
    }
}

/// Characters, mostly printable ASCII, sometimes any code point.
fn character() -> BoxedStrategy<char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => any::<char>(),
    ]
    .boxed()
}

/// Strings of `min..=max` code points.
pub fn string(min: usize, max: usize) -> BoxedStrategy<String> {
    proptest::collection::vec(character(), min..=max)
        .prop_map(String::from_iter)
        .boxed()
}

fn length_within(text: &str, min: usize, max: usize) -> bool {
    let n = text.chars().count();
    n >= min && n <= max
}

/// Whether `text` matches the ECMA-262 `pattern` anywhere, as `validate()` checks it.
pub fn matches(text: &str, regex: Option<&regress::Regex>) -> bool {
    regex.is_some_and(|r| r.find(text).is_some())
}

/// Strings generated from `generator` (a regular expression in the subset proptest
/// understands, equivalent to the schema's `pattern`), kept when they have `min..=max`
/// code points and match `pattern` as `validate()` reads it.
pub fn pattern(generator: &str, pattern: &str, min: usize, max: usize) -> BoxedStrategy<String> {
    let regex = crate::validation::compile(pattern);
    match proptest::string::string_regex(generator) {
        Ok(strings) => strings
            .prop_filter("length and pattern as validate() checks them", move |s| {
                length_within(s, min, max) && matches(s, regex.as_ref())
            })
            .boxed(),
        Err(_) => filtered_pattern(pattern, min, max),
    }
}

/// Strings of `min..=max` code points kept when they match `pattern`: for patterns
/// outside the regular-expression subset proptest generates from. Most draws are
/// rejected unless the pattern is loose.
pub fn filtered_pattern(pattern: &str, min: usize, max: usize) -> BoxedStrategy<String> {
    let regex = crate::validation::compile(pattern);
    string(min, max)
        .prop_filter("pattern as validate() checks it", move |s| {
            matches(s, regex.as_ref())
        })
        .boxed()
}

/// Whether `text` is a valid `format` as `validate()` checks it.
pub fn is_format(text: &str, format: &str) -> bool {
    let mut errors = crate::validation::ValidationErrors::new();
    crate::validation::format(text, format, &crate::validation::Path::ROOT, &mut errors);
    errors.is_empty()
}

const DATE: &str = "(19[7-9][0-9]|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])";
const TIME: &str =
    "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])";
// No `--` in a label: at the third and fourth characters it marks an IDNA label, which a
// validator may check further.
const LABEL: &str = "[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,4})?";
// Labels with letters beyond ASCII, for the internationalized formats.
const WIDE_LABEL: &str = "[a-zäöüéñ][a-z0-9äöüéñ]{0,7}(-[a-z0-9äöüéñ]{1,4})?";
const OCTET: &str = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

/// Strings of `format` with `min..=max` code points: built from a pattern for the formats
/// `validate()` checks, any string for the formats that are annotations only.
pub fn format(name: &str, min: usize, max: usize) -> BoxedStrategy<String> {
    let generator = match name {
        "date-time" => format!("{DATE}T{TIME}"),
        "date" => DATE.to_owned(),
        "time" => TIME.to_owned(),
        "email" => format!("[a-z0-9._+-]{{1,12}}@{LABEL}(\\.{LABEL}){{0,2}}\\.[a-z]{{2,6}}"),
        "uuid" => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".to_owned(),
        "uri" => format!("(https?|ftp|urn):(//{LABEL}(\\.{LABEL}){{0,2}})?(/[a-zA-Z0-9._~-]{{0,8}}){{0,3}}(\\?[a-z0-9=&]{{0,10}})?"),
        "uri-reference" => format!("((https?:)?//{LABEL}(\\.{LABEL}){{0,2}})?(/[a-zA-Z0-9._~-]{{0,8}}){{0,3}}"),
        "iri" => format!("(https?|ftp|urn):(//{WIDE_LABEL}(\\.{WIDE_LABEL}){{0,2}})?(/[a-zA-Z0-9._~πéü-]{{0,8}}){{0,3}}(\\?[a-z0-9=&πéü]{{0,10}})?"),
        "iri-reference" => format!("((https?:)?//{WIDE_LABEL}(\\.{WIDE_LABEL}){{0,2}})?(/[a-zA-Z0-9._~πéü-]{{0,8}}){{0,3}}"),
        "idn-hostname" => format!("{WIDE_LABEL}(\\.{WIDE_LABEL}){{0,3}}"),
        "idn-email" => format!("[a-z0-9._+äöüé-]{{1,12}}@{WIDE_LABEL}(\\.{WIDE_LABEL}){{0,2}}\\.[a-z]{{2,6}}"),
        "ipv4" => format!("{OCTET}(\\.{OCTET}){{3}}"),
        "ipv6" => "[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}".to_owned(),
        "hostname" => format!("{LABEL}(\\.{LABEL}){{0,3}}"),
        "duration" => "P([1-9][0-9]{0,2}Y)?([1-9][0-9]{0,2}M)?[1-9][0-9]{0,2}D".to_owned(),
        "json-pointer" => "(/[a-z0-9]{0,6}){0,3}".to_owned(),
        "relative-json-pointer" => "(0|[1-9][0-9]{0,2})(#|(/[a-z0-9]{0,6}){0,3})".to_owned(),
        "regex" => "[a-z]{1,8}".to_owned(),
        "uri-template" => "(/[a-z]{1,6}){1,3}(\\{[a-z]{1,6}\\})?".to_owned(),
        "byte" => return base64(min, max),
        // Formats that are annotations only: any short string passes `validate()`; a checked
        // format without a generator of its own is filtered by that check.
        _ => {
            let known = name.to_owned();
            return string(min, max.min(min + 16))
                .prop_filter("format as validate() checks it", move |s| is_format(s, &known))
                .boxed();
        }
    };
    let known = name.to_owned();
    match proptest::string::string_regex(&generator) {
        Ok(strings) => strings
            .prop_filter("length and format as validate() checks them", move |s| {
                length_within(s, min, max) && is_format(s, &known)
            })
            .boxed(),
        Err(_) => string(min, max),
    }
}

/// Base64 text (`format: byte`) of `min..=max` characters.
fn base64(min: usize, max: usize) -> BoxedStrategy<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // Four characters carry three bytes.
    let bytes = (min / 4 * 3)..=(max / 4 * 3).max(min / 4 * 3);
    proptest::collection::vec(any::<u8>(), bytes)
        .prop_map(|data| {
            let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
            for chunk in data.chunks(3) {
                let b = [
                    chunk.first().copied().unwrap_or(0),
                    chunk.get(1).copied().unwrap_or(0),
                    chunk.get(2).copied().unwrap_or(0),
                ];
                let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                for i in 0..4 {
                    if i <= chunk.len() {
                        out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                    } else {
                        out.push('=');
                    }
                }
            }
            out
        })
        .prop_filter("length as validate() checks it", move |s| {
            length_within(s, min, max) && is_format(s, "byte")
        })
        .boxed()
}

/// Object keys for a map.
pub fn key() -> BoxedStrategy<String> {
    string(0, 12)
}

/// Object keys for properties beyond the listed ones: never one of `listed`.
pub fn key_except(listed: &'static [&'static str]) -> BoxedStrategy<String> {
    string(1, 12)
        .prop_filter("not a listed property", move |k| {
            !listed.contains(&k.as_str())
        })
        .boxed()
}

/// Any JSON value, nested at most `depth` levels.
pub fn json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1_000_000i64..=1_000_000).prop_map(Value::from),
        (-100_000i64..=100_000).prop_map(|n| Value::from(n as f64 / 100.0)),
        string(0, 12).prop_map(Value::String),
    ];
    leaf.prop_recursive(depth, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// JSON values of the named JSON types (`"string"`, `"integer"` ...).
pub fn json_of(types: &'static [&'static str], depth: u32) -> BoxedStrategy<Value> {
    let mut options: Vec<BoxedStrategy<Value>> = Vec::new();
    for t in types {
        options.push(match *t {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "integer" => (-1_000_000i64..=1_000_000).prop_map(Value::from).boxed(),
            "number" => (-100_000i64..=100_000)
                .prop_map(|n| Value::from(n as f64 / 100.0))
                .boxed(),
            "string" => string(0, 12).prop_map(Value::String).boxed(),
            "array" => proptest::collection::vec(json(depth), 0..4)
                .prop_map(Value::Array)
                .boxed(),
            _ => proptest::collection::btree_map(key(), json(depth), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed(),
        });
    }
    if options.is_empty() {
        return json(depth);
    }
    proptest::strategy::Union::new(options).boxed()
}

/// One of `values`, read into `T`; values `T` cannot hold are dropped beforehand.
pub fn one_of_json<T>(values: Vec<Value>) -> BoxedStrategy<T>
where
    T: serde::de::DeserializeOwned + Clone + fmt::Debug + 'static,
{
    let held: Vec<T> = values
        .iter()
        .filter_map(|v| T::deserialize(v).ok())
        .collect();
    if held.is_empty() {
        return Just(())
            .prop_filter_map("no listed value fits", |()| None)
            .boxed();
    }
    proptest::sample::select(held).boxed()
}

/// `items` with later duplicates removed.
pub fn unique<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Whether `value` validates, and reads back from its JSON as the same value: a union
/// value that another branch would claim, or that would be ambiguous, is neither.
pub fn reads_back<T>(value: &T) -> bool
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + crate::validation::Validate,
{
    if value.validate().is_err() {
        return false;
    }
    let Ok(json) = serde_json::to_value(value) else {
        return false;
    };
    T::deserialize(&json).is_ok_and(|again| again == *value)
}

/// `value` with its `property` set to `tag`, as a tagged union reads it.
pub fn with_tag<T>(value: T, property: &str, tag: &str) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut json = serde_json::to_value(value).ok()?;
    json.as_object_mut()?
        .insert(property.to_owned(), Value::String(tag.to_owned()));
    T::deserialize(&json).ok()
}

/// The number of values [`check`] draws: `PROPTEST_CASES` when set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A drawn value, checked through a trait object: the test runner is then compiled once,
/// not once per model (in a crate of 385 models, those copies were a fifth of its code).
pub trait Sample: fmt::Debug {
    /// Validates the value and reads its JSON back: what went wrong, if anything did.
    fn check(&self) -> Result<(), String>;
}

impl<T> Sample for T
where
    T: serde::Serialize + serde::de::DeserializeOwned + fmt::Debug + crate::validation::Validate,
{
    fn check(&self) -> Result<(), String> {
        if let Err(errors) = self.validate() {
            return Err(format!("does not validate: {errors:?}"));
        }
        let json = serde_json::to_value(self).map_err(|e| e.to_string())?;
        // Read from a borrowed `Value`, as union branches are: one set of `Deserialize`
        // instances serves both.
        let back = T::deserialize(&json).map_err(|e| format!("{json} does not read back: {e}"))?;
        let again = serde_json::to_value(&back).map_err(|e| e.to_string())?;
        if json != again {
            return Err(format!(
                "the JSON changed in a round trip: {json} read back as {again}"
            ));
        }
        Ok(())
    }
}

/// Draws `cases` values of `strategy` and checks that each passes `validate()` and that
/// its JSON reads back into a value with the same JSON; the failure, shrunk, when not.
pub fn check<T: Sample + 'static>(
    name: &str,
    strategy: BoxedStrategy<T>,
    cases: u32,
) -> Result<(), String> {
    let samples = strategy
        .prop_map(|value| Box::new(value) as Box<dyn Sample>)
        .boxed();
    check_samples(samples, cases).map_err(|e| format!("{name}: {e}"))
}

/// A value of a model that serializes but does not deserialize: it must pass `validate()`
/// and serialize.
#[derive(Debug)]
struct Serializes<T>(T);

impl<T> Sample for Serializes<T>
where
    T: serde::Serialize + fmt::Debug + crate::validation::Validate,
{
    fn check(&self) -> Result<(), String> {
        if let Err(errors) = self.0.validate() {
            return Err(format!("does not validate: {errors:?}"));
        }
        serde_json::to_value(&self.0)
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// A value of a model that does not serialize: it must pass `validate()`.
#[derive(Debug)]
struct Valid<T>(T);

impl<T: fmt::Debug + crate::validation::Validate> Sample for Valid<T> {
    fn check(&self) -> Result<(), String> {
        self.0
            .validate()
            .map_err(|errors| format!("does not validate: {errors:?}"))
    }
}

/// As [`check`], for a model that serializes but does not deserialize: each value passes
/// `validate()` and serializes.
pub fn check_serializes<T>(name: &str, strategy: BoxedStrategy<T>, cases: u32) -> Result<(), String>
where
    T: serde::Serialize + fmt::Debug + crate::validation::Validate + 'static,
{
    check(name, strategy.prop_map(Serializes).boxed(), cases)
}

/// As [`check`], for a model that does not serialize: each value passes `validate()`.
pub fn check_valid<T>(name: &str, strategy: BoxedStrategy<T>, cases: u32) -> Result<(), String>
where
    T: fmt::Debug + crate::validation::Validate + 'static,
{
    check(name, strategy.prop_map(Valid).boxed(), cases)
}

/// Whether `value` passes `validate()`: the filter of a union that does not convert both
/// ways, whose values cannot be read back.
pub fn valid<T: crate::validation::Validate>(value: &T) -> bool {
    value.validate().is_ok()
}

/// [`check`] on values behind a trait object.
fn check_samples(strategy: BoxedStrategy<Box<dyn Sample>>, cases: u32) -> Result<(), String> {
    let config = proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&strategy, |value| {
            value
                .check()
                .map_err(proptest::test_runner::TestCaseError::fail)
        })
        .map_err(|e| e.to_string())
}

/// Whether `items` holds at least `min` items.
pub fn at_least<T>(items: &[T], min: usize) -> bool {
    items.len() >= min
}
