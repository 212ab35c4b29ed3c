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
        default.ends_with("not applied (only documented): (root): expected integer, found string"),
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

#[test]
fn listed_values_are_checked_against_the_constraints_beside_them_as_any_value_is() {
    use crate::load::schema::{JsonType, Limits, Schema};
    let number = |n: &str| serde_json::from_str(n).ok();
    let text = Schema {
        types: Some(vec![JsonType::String]),
        limits: Limits {
            min_length: Some(2),
            patterns: vec!["^[a-z]+$".to_owned()],
            ..Limits::default()
        }
        .into(),
        ..Schema::default()
    };
    assert_eq!(super::enum_value_violations(&json!("ab"), &text).len(), 0);
    let reasons = super::enum_value_violations(&json!("A"), &text);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[1].contains("^[a-z]+$"), "{reasons:?}");
    assert_eq!(
        super::enum_value_violations(&json!(7), &text),
        ["it is not of type [string]"]
    );
    // `minimum` and `exclusiveMinimum` at one limit are one bound, the exclusive one.
    let above_three = Schema {
        limits: Limits {
            minimum: number("3"),
            exclusive_minimum: number("3"),
            ..Limits::default()
        }
        .into(),
        ..Schema::default()
    };
    assert_eq!(
        super::enum_value_violations(&json!(3), &above_three).len(),
        1
    );
    assert_eq!(
        super::enum_value_violations(&json!(4), &above_three).len(),
        0
    );
}
