//! `validate()` of the models generated from `schemas/validation.yaml`: every keyword, its
//! boundaries, and the JSON Pointer (in wire names) of every violation.

use api_models::validation::{from_str, from_value, Diagnose, Error, Validate};
use api_models::{
    CheckedChoice, CheckedCollections, CheckedFormats, CheckedLoose, CheckedNumbers, CheckedText,
};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Each violation as `pointer keyword: message`.
fn violations<T: Diagnose>(json: &str) -> Vec<String> {
    match from_str::<T>(json) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(errors)) => errors
            .iter()
            .map(|v| format!("{} {}: {}", v.pointer, v.keyword, v.message))
            .collect(),
        Err(Error::Parse {
            pointer, message, ..
        }) => {
            panic!("{json} should parse, but: {pointer}: {message}")
        }
    }
}

fn accepts<T: Diagnose>(json: &str) -> bool {
    violations::<T>(json).is_empty()
}

/// The keywords of the violations, in order.
fn keywords<T: Diagnose>(json: &str) -> Vec<&'static str> {
    match from_str::<T>(json) {
        Err(Error::Invalid(errors)) => errors.iter().map(|v| v.keyword).collect(),
        _ => Vec::new(),
    }
}

/// The pointer and message of a parse failure.
fn parse_error<T: Diagnose + std::fmt::Debug>(json: &str) -> (String, String) {
    match from_str::<T>(json) {
        Err(Error::Parse {
            pointer, message, ..
        }) => (pointer, message),
        other => panic!("{json} should fail to parse, got {other:?}"),
    }
}

#[test]
fn string_lengths_count_code_points_and_include_both_bounds() {
    assert!(accepts::<CheckedText>(r#"{"name": "ab"}"#));
    assert!(accepts::<CheckedText>(r#"{"name": "abcd"}"#));
    // Three code points in nine bytes.
    assert!(accepts::<CheckedText>(r#"{"name": "日本語"}"#));
    // "e" and a combining accent: one grapheme, two code points.
    assert!(accepts::<CheckedText>("{\"name\": \"e\u{301}\"}"));
    assert_eq!(
        violations::<CheckedText>(r#"{"name": "é"}"#),
        ["/name minLength: length 1 is less than minLength 2"]
    );
    assert_eq!(
        violations::<CheckedText>(r#"{"name": "abcde"}"#),
        ["/name maxLength: length 5 is greater than maxLength 4"]
    );
    // An astral-plane character is one code point, though two UTF-16 units.
    assert_eq!(keywords::<CheckedText>(r#"{"name": "😀"}"#), ["minLength"]);
}

#[test]
fn pattern_is_ecma_262_with_lookahead_and_unanchored_unless_anchored() {
    assert!(accepts::<CheckedText>(r#"{"name": "ab", "code": "abc1"}"#));
    assert!(accepts::<CheckedText>(r#"{"name": "ab", "code": "1"}"#));
    assert_eq!(
        violations::<CheckedText>(r#"{"name": "ab", "code": "abc"}"#),
        [r"/code pattern: does not match pattern `^(?=.*\d)[a-z0-9]+$`"]
    );
    assert_eq!(
        keywords::<CheckedText>(r#"{"name": "ab", "code": "ABC1"}"#),
        ["pattern"]
    );
}

#[test]
fn const_compares_with_json_equality() {
    assert!(accepts::<CheckedLoose>(r#"{"fixed": {"x": 0, "y": [1]}}"#));
    assert!(accepts::<CheckedLoose>(
        r#"{"fixed": {"y": [1.0], "x": 0.0}}"#
    ));
    assert_eq!(
        violations::<CheckedLoose>(r#"{"fixed": {"x": 0}}"#),
        [r#"/fixed const: {"x":0} is not equal to {"x":0,"y":[1]}"#]
    );
    assert_eq!(
        keywords::<CheckedLoose>(r#"{"fixed": {"x": 0, "y": [1], "z": 2}}"#),
        ["const"]
    );
}

#[test]
fn a_string_enum_property_is_a_rust_enum_that_names_an_unknown_value() {
    assert!(accepts::<CheckedText>(r#"{"name": "ab", "unit": "km"}"#));
    let (pointer, message) = parse_error::<CheckedText>(r#"{"name": "ab", "unit": "cm"}"#);
    assert_eq!(pointer, "/unit");
    assert!(
        message.contains("unknown variant `cm`, expected `m` or `km`"),
        "{message}"
    );
}

#[test]
fn pointers_use_wire_names_escaped_per_rfc_6901() {
    assert_eq!(
        violations::<CheckedText>(r#"{"name": "ab", "a/b~c": "xy"}"#),
        ["/a~1b~0c maxLength: length 2 is greater than maxLength 1"]
    );
    assert_eq!(
        violations::<CheckedCollections>(r#"{"labels": {"k/1~": "long"}}"#),
        ["/labels/k~11~0 maxLength: length 4 is greater than maxLength 3"]
    );
}

#[test]
fn every_violation_is_reported_not_just_the_first() {
    let found = violations::<CheckedText>(r#"{"name": "a", "code": "x", "a/b~c": "xy"}"#);
    assert_eq!(
        found,
        [
            "/name minLength: length 1 is less than minLength 2",
            r"/code pattern: does not match pattern `^(?=.*\d)[a-z0-9]+$`",
            "/a~1b~0c maxLength: length 2 is greater than maxLength 1",
        ]
    );
}

#[test]
fn inclusive_integer_bounds_accept_the_bound_and_reject_one_past_it() {
    assert!(accepts::<CheckedNumbers>(r#"{"percent": 0}"#));
    assert!(accepts::<CheckedNumbers>(r#"{"percent": 100}"#));
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"percent": -1}"#),
        ["/percent minimum: value -1 is less than minimum 0"]
    );
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"percent": 101}"#),
        ["/percent maximum: value 101 is greater than maximum 100"]
    );
}

#[test]
fn integer_bounds_beyond_f64_precision_are_exact() {
    // The bound is 2^53 + 1; as an f64 it would round to 2^53 and reject its own value.
    assert!(accepts::<CheckedNumbers>(r#"{"huge": 9007199254740993}"#));
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"huge": 9007199254740994}"#),
        ["/huge maximum: value 9007199254740994 is greater than maximum 9007199254740993"]
    );
    assert!(accepts::<CheckedNumbers>(
        r#"{"negative": -9223372036854775808}"#
    ));
    assert_eq!(
        keywords::<CheckedNumbers>(r#"{"negative": 0}"#),
        ["maximum"]
    );
}

#[test]
fn boolean_exclusive_bounds_reject_the_bound_itself() {
    assert!(accepts::<CheckedNumbers>(r#"{"ratio": 0.5}"#));
    assert!(accepts::<CheckedNumbers>(r#"{"ratio": 5e-324}"#));
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"ratio": 0}"#),
        ["/ratio exclusiveMinimum: value 0.0 is not greater than exclusiveMinimum 0"]
    );
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"ratio": 1.0}"#),
        ["/ratio exclusiveMaximum: value 1.0 is not less than exclusiveMaximum 1"]
    );
}

#[test]
fn numeric_exclusive_bounds_reject_the_bound_itself() {
    assert!(accepts::<CheckedNumbers>(r#"{"score": 0.001}"#));
    assert!(accepts::<CheckedNumbers>(r#"{"score": 9.999}"#));
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"score": 0}"#),
        ["/score exclusiveMinimum: value 0.0 is not greater than exclusiveMinimum 0"]
    );
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"score": 10}"#),
        ["/score exclusiveMaximum: value 10.0 is not less than exclusiveMaximum 10"]
    );
}

#[test]
fn multiple_of_a_decimal_accepts_cents_despite_binary_rounding() {
    for price in ["0.07", "19.99", "0.3", "100", "1e2", "-4.01"] {
        let json = format!(r#"{{"price": {price}}}"#);
        assert!(accepts::<CheckedNumbers>(&json), "{price}");
    }
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"price": 0.075}"#),
        ["/price multipleOf: 0.075 is not a multiple of 0.01"]
    );
    assert!(accepts::<CheckedNumbers>(
        r#"{"even": -9223372036854775808}"#
    ));
    assert_eq!(
        violations::<CheckedNumbers>(r#"{"even": 7}"#),
        ["/even multipleOf: 7 is not a multiple of 2"]
    );
}

#[test]
fn a_closed_enum_rejects_other_values_when_parsing_with_the_pointer() {
    assert!(accepts::<CheckedNumbers>(r#"{"level": 3}"#));
    let (pointer, _) = parse_error::<CheckedNumbers>(r#"{"level": 4}"#);
    assert_eq!(pointer, "/level");
}

#[test]
fn item_counts_include_both_bounds_and_items_are_checked_at_their_index() {
    assert!(accepts::<CheckedCollections>(r#"{"tags": ["a"]}"#));
    assert!(accepts::<CheckedCollections>(
        r#"{"tags": ["a", "b", "c"]}"#
    ));
    assert_eq!(
        violations::<CheckedCollections>(r#"{"tags": []}"#),
        ["/tags minItems: 0 items is fewer than minItems 1"]
    );
    assert_eq!(
        violations::<CheckedCollections>(r#"{"tags": ["a", "b", "c", "d"]}"#),
        ["/tags maxItems: 4 items is more than maxItems 3"]
    );
    assert_eq!(
        violations::<CheckedCollections>(r#"{"tags": ["a", ""]}"#),
        ["/tags/1 minLength: length 0 is less than minLength 1"]
    );
}

#[test]
fn unique_items_compares_strings_objects_and_numbers_by_json_value() {
    assert_eq!(
        violations::<CheckedCollections>(r#"{"tags": ["a", "b", "a"]}"#),
        ["/tags uniqueItems: items 0 and 2 are equal (uniqueItems)"]
    );
    assert_eq!(
        keywords::<CheckedCollections>(r#"{"points": [{"x": 1, "y": 2}, {"y": 2, "x": 1}]}"#),
        ["uniqueItems"]
    );
    assert!(accepts::<CheckedCollections>(
        r#"{"points": [{"x": 1, "y": 2}, {"x": 2, "y": 1}]}"#
    ));
    // Untyped items: 1 equals 1.0, objects equal regardless of key order, arrays by order.
    assert_eq!(
        keywords::<CheckedCollections>(r#"{"values": [1, 1.0]}"#),
        ["uniqueItems"]
    );
    assert_eq!(
        keywords::<CheckedCollections>(r#"{"values": [{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}]}"#),
        ["uniqueItems"]
    );
    assert!(accepts::<CheckedCollections>(
        r#"{"values": [[1, 2], [2, 1], {"a": 1}, {"a": 1, "b": 1}, 0, false, null, "0"]}"#
    ));
}

#[test]
fn nested_models_report_violations_under_their_index() {
    assert_eq!(
        violations::<CheckedCollections>(r#"{"points": [{"x": 0, "y": 0}, {"x": -1, "y": 0}]}"#),
        ["/points/1/x minimum: value -1 is less than minimum 0"]
    );
}

#[test]
fn required_and_additional_properties_false_fail_parsing_with_a_pointer() {
    let (pointer, message) = parse_error::<CheckedCollections>(r#"{"points": [{"x": 1}]}"#);
    assert_eq!(pointer, "/points/0");
    assert!(message.contains("missing field `y`"), "{message}");
    let (pointer, message) =
        parse_error::<CheckedCollections>(r#"{"points": [{"x": 1, "y": 2, "z": 3}]}"#);
    assert!(pointer.starts_with("/points/0"), "{pointer}");
    assert!(message.contains("unknown field `z`"), "{message}");
}

#[test]
fn property_counts_of_maps_include_both_bounds() {
    assert!(accepts::<CheckedCollections>(r#"{"labels": {"a": "x"}}"#));
    assert!(accepts::<CheckedCollections>(
        r#"{"labels": {"a": "x", "b": "y"}}"#
    ));
    assert_eq!(
        violations::<CheckedCollections>(r#"{"labels": {}}"#),
        ["/labels minProperties: 0 properties is fewer than minProperties 1"]
    );
    assert_eq!(
        violations::<CheckedCollections>(r#"{"labels": {"a": "x", "b": "y", "c": "z"}}"#),
        ["/labels maxProperties: 3 properties is more than maxProperties 2"]
    );
}

#[test]
fn string_formats_are_checked_on_string_fields() {
    let cases = [
        ("email", "joe.bloggs@example.com", "joe.bloggs@example..com"),
        (
            "uri",
            "https://example.com/a?b#c",
            "//example.com/no-scheme",
        ),
        ("reference", "../a?b#c", "http://[::1"),
        ("ipv4", "192.168.0.1", "256.1.1.1"),
        ("ipv6", "::ffff:192.168.0.1", "1::2::3"),
        ("host", "api.example.com", "-bad.example.com"),
        ("time", "23:59:60Z", "24:00:00Z"),
    ];
    for (field, good, bad) in cases {
        assert!(
            accepts::<CheckedFormats>(&json!({ field: good }).to_string()),
            "{field} {good}"
        );
        let found = violations::<CheckedFormats>(&json!({ field: bad }).to_string());
        assert_eq!(found.len(), 1, "{field} {bad}: {found:?}");
        assert!(
            found[0].starts_with(&format!("/{field} format: `{bad}` is not a valid ")),
            "{found:?}"
        );
    }
}

#[test]
fn typed_date_time_rejects_a_bad_value_when_parsing() {
    let parsed: CheckedFormats =
        from_value(json!({"when": "2020-02-29T12:00:00+01:00"})).expect("valid date-time");
    assert!(parsed.when.is_some());
    let (pointer, _) = parse_error::<CheckedFormats>(r#"{"when": "2021-02-29T12:00:00Z"}"#);
    assert_eq!(pointer, "/when");
}

#[test]
fn bad_formatted_values_are_reported_with_the_format_and_the_value() {
    let cases = [
        (
            r#"{"when": "2018-04-25 20:42:10"}"#,
            "/when",
            "`2018-04-25 20:42:10` is not a valid date-time (RFC 3339)",
        ),
        (
            r#"{"deadline": "2018-04-25"}"#,
            "/deadline",
            "`2018-04-25` is not a valid date-time (RFC 3339)",
        ),
        (
            r#"{"day": "2018-02-30"}"#,
            "/day",
            "`2018-02-30` is not a valid date (RFC 3339 full-date)",
        ),
        (
            r#"{"holidays": ["2018-12-25", "2018-12-32"]}"#,
            "/holidays/1",
            "`2018-12-32` is not a valid date (RFC 3339 full-date)",
        ),
        (
            r#"{"when": 5}"#,
            "/when",
            "expected a date-time (RFC 3339) string",
        ),
    ];
    for (json, want_pointer, want) in cases {
        let (pointer, message) = parse_error::<CheckedFormats>(json);
        assert_eq!(pointer, want_pointer, "{json}");
        assert!(message.contains(want), "{json}: {message}");
    }
    let parsed: CheckedFormats =
        from_str(r#"{"day": "2018-02-28", "deadline": null}"#).expect("valid formats");
    assert_eq!(parsed.deadline, Some(None));
    assert!(parsed.day.is_some());
}

#[test]
fn integers_beyond_64_bits_are_rejected_naming_the_range() {
    let (pointer, message) = parse_error::<CheckedNumbers>(
        r#"{"percent": 12345678910111213141516171819202122232425262728293031}"#,
    );
    assert_eq!(pointer, "/percent");
    assert!(
        message.contains("is outside the range of the integer type"),
        "{message}"
    );
}

#[test]
fn one_of_needs_exactly_one_matching_branch() {
    assert_eq!(
        from_str::<CheckedChoice>(r#""a""#).ok(),
        Some(CheckedChoice::String("a".to_owned()))
    );
    assert_eq!(
        from_str::<CheckedChoice>(r#""abcd""#).ok(),
        Some(CheckedChoice::String2("abcd".to_owned()))
    );
    // "ab" is at most 3 and at least 2 long: both branches match.
    let (pointer, message) = parse_error::<CheckedChoice>(r#""ab""#);
    assert_eq!(pointer, "");
    assert!(message.contains("matches 2 oneOf branches"), "{message}");
    let (_, message) = parse_error::<CheckedChoice>("7");
    assert!(message.contains("matches none"), "{message}");
}

#[test]
fn keywords_on_untyped_values_apply_to_values_of_their_kind() {
    assert!(accepts::<CheckedLoose>(r#"{"anything": true}"#));
    assert!(accepts::<CheckedLoose>(r#"{"anything": null}"#));
    assert_eq!(
        keywords::<CheckedLoose>(r#"{"anything": "a"}"#),
        ["minLength"]
    );
    assert_eq!(
        keywords::<CheckedLoose>(r#"{"anything": 9.5}"#),
        ["minimum"]
    );
    assert_eq!(
        keywords::<CheckedLoose>(r#"{"anything": [1, 2]}"#),
        ["maxItems"]
    );
    assert_eq!(
        violations::<CheckedLoose>(r#"{"anything": {}}"#),
        [
            "/anything minProperties: 0 properties is fewer than minProperties 1",
            "/anything required: missing required property `id`",
        ]
    );
    assert!(accepts::<CheckedLoose>(r#"{"anything": {"id": 1}}"#));
}

#[test]
fn type_lists_accept_whole_floats_as_integers() {
    assert!(accepts::<CheckedLoose>(r#"{"kind": "x"}"#));
    assert!(accepts::<CheckedLoose>(r#"{"kind": 1.0}"#));
    assert_eq!(
        violations::<CheckedLoose>(r#"{"kind": 1.5}"#),
        ["/kind type: expected string or integer, found number"]
    );
    assert_eq!(keywords::<CheckedLoose>(r#"{"kind": [1]}"#), ["type"]);
}

#[test]
fn enum_of_mixed_values_uses_json_equality() {
    for ok in ["1", "1.0", r#""one""#, r#"{"n": 1.0}"#, "[1]"] {
        assert!(
            accepts::<CheckedLoose>(&format!(r#"{{"choice": {ok}}}"#)),
            "{ok}"
        );
    }
    assert_eq!(
        violations::<CheckedLoose>(r#"{"choice": "two"}"#),
        [r#"/choice enum: "two" is not one of 1, "one", {"n":1}, [1]"#]
    );
    assert_eq!(keywords::<CheckedLoose>(r#"{"choice": [1, 1]}"#), ["enum"]);
}

#[test]
fn items_without_a_type_are_checked_only_on_arrays() {
    assert!(accepts::<CheckedLoose>(r#"{"list": "not an array"}"#));
    assert!(accepts::<CheckedLoose>(r#"{"list": [1, 5]}"#));
    let found = violations::<CheckedLoose>(r#"{"list": [1, 6, "x"]}"#);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        "/list/1 maximum: value 6 is greater than maximum 5"
    );
    assert!(
        found[1].starts_with("/list/2 type: invalid type: string"),
        "{found:?}"
    );
}

// Counts allocations on the current thread, to show that validating a valid value allocates
// nothing once the statics (regexes, enum lists) exist.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn allocations_while(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// `pattern` is left out: the regex engine (regress) allocates its match state on every search.
#[test]
fn validating_a_valid_value_allocates_nothing_except_for_pattern_matching() {
    let text: CheckedText =
        from_str(r#"{"name": "ab", "unit": "m", "a/b~c": "x"}"#).expect("valid");
    let numbers: CheckedNumbers = from_str(
        r#"{"percent": 5, "ratio": 0.5, "huge": 1, "negative": -1, "price": 0.07, "even": 2}"#,
    )
    .expect("valid");
    let collections: CheckedCollections = from_str(
        r#"{"tags": ["a"], "points": [{"x": 1, "y": 1}], "values": [1, "1"], "labels": {"a": "b"}}"#,
    )
    .expect("valid");
    let formats: CheckedFormats = from_str(
        r#"{"email": "a@b.c", "uri": "http://x", "ipv4": "1.2.3.4", "ipv6": "::1", "time": "01:02:03Z"}"#,
    )
    .expect("valid");
    let loose: CheckedLoose =
        from_str(r#"{"anything": {"id": 1}, "kind": 3, "choice": {"n": 1}, "fixed": {"x": 0, "y": [1]}, "list": [1]}"#)
            .expect("valid");
    let validate_all = || {
        assert!(text.validate().is_ok());
        assert!(numbers.validate().is_ok());
        assert!(collections.validate().is_ok());
        assert!(formats.validate().is_ok());
        assert!(loose.validate().is_ok());
    };
    // The first run builds the statics.
    validate_all();
    assert_eq!(allocations_while(validate_all), 0);
}
