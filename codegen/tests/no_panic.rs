//! No input makes the generator panic: arbitrary text, arbitrary bytes and
//! arbitrary schema-shaped documents go through load -> lower -> emit, and
//! each run ends with either files or errors (and a report that renders).
//!
//! The number of cases per property is modest so that `cargo test` stays
//! fast. Run longer with, for example:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release -p codegen --test no_panic
//! ```
//!
//! A failing case is shrunk and saved under `proptest-regressions/`, and
//! replayed first by later runs; commit that file with the fix.

use codegen::diagnostic::{Diagnostics, Severity};
use codegen::load::FileSource;
use codegen::settings::Settings;
use codegen::Generation;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Cases per property: `PROPTEST_CASES`, or a default that keeps `cargo test` quick.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Files held in memory.
struct Memory(BTreeMap<PathBuf, Vec<u8>>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// How long one run may take before it counts as a hang (debug build).
const HANG: std::time::Duration = std::time::Duration::from_secs(60);

/// Generates from `files` (the first is the input; the others are reachable
/// by `$ref`) and checks the outcome is consistent. A run that does not end
/// within [`HANG`] aborts the test process, printing its input: a hang
/// cannot be shrunk, and a leaked thread would slow every later case.
fn run(files: Vec<(&str, Vec<u8>)>) -> Generation {
    let input = PathBuf::from(files.first().map_or("api.yaml", |f| f.0));
    let shown: Vec<(String, String)> = files
        .iter()
        .map(|(p, b)| ((*p).to_owned(), String::from_utf8_lossy(b).into_owned()))
        .collect();
    let memory = Memory(
        files
            .into_iter()
            .map(|(p, b)| (PathBuf::from(p), b))
            .collect(),
    );
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let g = codegen::generate_from(&[input], &memory, &Settings::default(), Diagnostics::new());
        let _ = done.send(g);
    });
    let g = match result.recv_timeout(HANG) {
        Ok(g) => g,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            // Written to the process's stderr itself: `eprintln!` in a test is captured, and
            // the capture is lost when the process aborts.
            use std::io::Write;
            let mut report = format!("generation did not end within {HANG:?}; its input:\n");
            for (path, text) in &shown {
                report.push_str(&format!("--- {path}\n{text}\n"));
            }
            let _ = std::io::stderr().write_all(report.as_bytes());
            std::process::abort();
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the generator panicked; its input: {shown:?}")
        }
    };
    let has_errors = g.diagnostics.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(
        has_errors,
        g.files.is_empty(),
        "files exactly when there is no error:\n{}",
        g.report()
    );
    assert_eq!(g.failed(false), has_errors);
    for d in g.diagnostics.iter() {
        assert!(!d.file.is_empty() && !d.message.is_empty(), "{d}");
        assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "{d}");
    }
    if !has_errors {
        assert!(g.files.iter().any(|f| f.path == "Cargo.toml"));
        assert!(g.files.iter().any(|f| f.path == "src/lib.rs"));
    }
    // Rendering locates every pointer in the text: it must not panic either.
    let report = g.report();
    assert_eq!(report.is_empty(), g.diagnostics.is_empty());
    g
}

/// Pieces of YAML and JSON syntax, so that random text often parses.
const TOKENS: &[&str] = &[
    "openapi: 3.0.3\n",
    "openapi: 3.1.0\n",
    "swagger: '2.0'\n",
    "components:\n",
    "  schemas:\n",
    "definitions:\n",
    "    A:\n",
    "    B:\n",
    "      type: ",
    "string",
    "object",
    "integer",
    "strnig",
    "      properties:\n",
    "        a:\n",
    "          $ref: '#/components/schemas/B'\n",
    "          $ref: '#/definitions/A'\n",
    "$ref: other.yaml#/A\n",
    "      allOf:\n",
    "        - ",
    "      required: [a, b]\n",
    "      enum: [1, x, null, true]\n",
    "      pattern: '[a-'\n",
    "      minimum: 1e400\n",
    "      maxLength: -1\n",
    "      default: {}\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "- ",
    "? ",
    "\n",
    "  ",
    "\t",
    "'",
    "\"",
    "#",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!tag ",
    "~",
    "null",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "|\n",
    ">-\n",
    "\\u0000",
    "\u{feff}",
    "é",
    "💥",
    "\r\n",
    "{\"openapi\": \"3.0.3\", \"components\": {\"schemas\": {\"A\": ",
    "{\"type\": \"array\", \"items\": ",
];

fn yaml_like_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|t| t.concat())
}

const NAMES: &[&str] = &[
    "A", "B", "C", "a", "a_b", "aB", "AB", "type", "self", "Self", "", "1", "ü", "x-y", "a/b", "~",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,8}".prop_map(Value::String),
        name().prop_map(Value::String),
    ]
}

/// Any JSON value, small.
fn any_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

fn reference() -> impl Strategy<Value = Value> {
    prop_oneof![
        name().prop_map(|n| json!(format!("#/components/schemas/{n}"))),
        name().prop_map(|n| json!(format!("#/definitions/{n}"))),
        Just(json!("#/components/schemas/A/properties/a")),
        Just(json!("#/components/schemas/A/items")),
        Just(json!("other.yaml#/components/schemas/A")),
        Just(json!("missing.yaml#/A")),
        Just(json!("https://example.com/a.yaml#/A")),
        Just(json!("#components")),
        Just(json!("#/components/schemas/%ZZ")),
        Just(json!("#")),
        Just(json!("")),
        Just(json!(7)),
    ]
}

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null", "file", "strnig",
];
const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "date-time",
    "date",
    "uuid",
    "email",
    "byte",
    "colour",
];
const PATTERNS: &[&str] = &[
    "^[a-z]+$",
    "[a-",
    "(?<n>x)\\k<n>",
    "\\p{L}",
    "a{2,1}",
    "(",
    "\\",
    ".*",
    "[^]",
];

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-5i64..100).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e3f64..1e3).prop_map(Value::from),
        Just(json!(1e300)),
        Just(json!("ten")),
    ]
}

/// One keyword of a schema with a value that is usually, not always, well typed.
fn keyword(schema: BoxedStrategy<Value>) -> impl Strategy<Value = (String, Value)> {
    let k = |s: &str| s.to_owned();
    prop_oneof![
        prop::sample::select(TYPES).prop_map(move |t| (k("type"), json!(t))),
        prop::collection::vec(prop::sample::select(TYPES), 0..3)
            .prop_map(move |t| (k("type"), json!(t))),
        reference().prop_map(move |r| (k("$ref"), r)),
        prop::collection::vec((name(), schema.clone()), 0..4).prop_map(move |p| (
            k("properties"),
            Value::Object(p.into_iter().collect::<Map<_, _>>())
        )),
        prop::collection::vec(name(), 0..4).prop_map(move |r| (k("required"), json!(r))),
        schema.clone().prop_map(move |s| (k("items"), s)),
        prop::collection::vec(schema.clone(), 0..3).prop_map(move |s| (k("items"), json!(s))),
        prop::collection::vec(schema.clone(), 0..3).prop_map(move |s| (k("allOf"), json!(s))),
        prop::collection::vec(schema.clone(), 0..3).prop_map(move |s| (k("anyOf"), json!(s))),
        prop::collection::vec(schema.clone(), 0..3).prop_map(move |s| (k("oneOf"), json!(s))),
        prop_oneof![any::<bool>().prop_map(Value::Bool), schema.clone()]
            .prop_map(move |a| (k("additionalProperties"), a)),
        prop::collection::vec(scalar(), 0..4).prop_map(move |e| (k("enum"), json!(e))),
        scalar().prop_map(move |c| (k("const"), c)),
        any_json().prop_map(move |d| (k("default"), d)),
        any_json().prop_map(move |d| (k("example"), d)),
        prop::sample::select(FORMATS).prop_map(move |f| (k("format"), json!(f))),
        prop::sample::select(PATTERNS).prop_map(move |p| (k("pattern"), json!(p))),
        (
            prop::sample::select(
                &[
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "minProperties",
                    "maxProperties"
                ][..]
            ),
            number()
        )
            .prop_map(|(kw, n)| (kw.to_owned(), n)),
        (
            prop::sample::select(
                &[
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf"
                ][..]
            ),
            number()
        )
            .prop_map(|(kw, n)| (kw.to_owned(), n)),
        any::<bool>().prop_map(move |b| (k("exclusiveMinimum"), json!(b))),
        prop_oneof![any::<bool>().prop_map(Value::Bool), scalar()]
            .prop_map(move |b| (k("nullable"), b)),
        (name(), prop::collection::vec((name(), reference()), 0..3)).prop_map(move |(p, m)| {
            let mapping: Map<String, Value> = m.into_iter().collect();
            (
                k("discriminator"),
                json!({ "propertyName": p, "mapping": mapping }),
            )
        }),
        any::<bool>().prop_map(move |b| (k("uniqueItems"), json!(b))),
        any_json().prop_map(move |v| (k("x-open-enum"), v)),
        (
            prop::sample::select(
                &[
                    "title",
                    "description",
                    "deprecated",
                    "readOnly",
                    "minLenght",
                    "unknownKeyword"
                ][..]
            ),
            any_json()
        )
            .prop_map(|(kw, v)| (kw.to_owned(), v)),
    ]
}

/// A schema: `true`, `false`, or an object of random keywords, nested.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({})),
        Just(json!(true)),
        Just(json!(false)),
        prop::sample::select(TYPES).prop_map(|t| json!({ "type": t })),
        reference().prop_map(|r| json!({ "$ref": r })),
        scalar(),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop::collection::vec(keyword(inner.boxed()), 0..6)
            .prop_map(|keywords| Value::Object(keywords.into_iter().collect()))
    })
}

/// A whole document: OpenAPI 3.0, 3.1 or Swagger 2.0, with a few named schemas.
fn document() -> impl Strategy<Value = Value> {
    let version = prop::sample::select(&["3.0.3", "3.1.0", "2.0", "4.0"][..]);
    let schemas = prop::collection::vec((name(), schema()), 0..5)
        .prop_map(|s| Value::Object(s.into_iter().collect::<Map<_, _>>()));
    (version, schemas, any::<bool>()).prop_map(|(version, schemas, with_title)| {
        let mut doc = if version == "2.0" {
            json!({ "swagger": version, "definitions": schemas })
        } else {
            json!({ "openapi": version, "components": { "schemas": schemas } })
        };
        if with_title {
            doc["info"] = json!({ "title": "Fuzzed API" });
        }
        doc
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_yaml_like_text_never_panics(text in yaml_like_text()) {
        run(vec![("api.yaml", text.into_bytes())]);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        run(vec![("api.yaml", text.clone().into_bytes())]);
        run(vec![("api.json", text.into_bytes())]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        run(vec![("api.yaml", bytes)]);
    }

    #[test]
    fn arbitrary_schema_documents_never_panic(doc in document(), other in document(), as_yaml in any::<bool>()) {
        let text = if as_yaml {
            serde_yaml::to_string(&doc).unwrap_or_default()
        } else {
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        };
        let name = if as_yaml { "api.yaml" } else { "api.json" };
        let other = serde_json::to_string(&other).unwrap_or_default();
        run(vec![(name, text.into_bytes()), ("other.yaml", other.into_bytes())]);
    }
}

#[test]
fn the_document_strategy_reaches_both_outcomes() {
    // Guards the strategy itself: if every document failed (or none did),
    // the property above would test only one path through the generator.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..64 {
        let doc = document().new_tree(&mut runner).expect("tree").current();
        let text = serde_json::to_string(&doc).expect("json");
        if run(vec![("api.json", text.into_bytes())]).failed(false) {
            failed += 1;
        } else {
            ok += 1;
        }
    }
    assert!(ok > 0 && failed > 0, "{ok} succeeded, {failed} failed");
}

/// A document of `levels` schemas `S0`, `S1` .., each written by `level` in terms of the
/// next one's reference, and the last one: `S0` reaches it along as many ways as `level`
/// multiplies.
fn chain(levels: usize, level: fn(Value) -> Value, last: &Value) -> Vec<u8> {
    let mut schemas = Map::new();
    for i in 0..levels {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(format!("S{i}"), level(next));
    }
    schemas.insert(format!("S{levels}"), last.clone());
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

#[test]
fn schemas_that_reach_one_schema_along_exponentially_many_ways_are_generated() {
    // Each level merges the next twice, or takes it as two branches: 2^40 ways to the last
    // schema. Merging and asking whether `null` gets through once took a walk along each
    // way, and a merge held the examples and sub-schemas of the last schema once for each
    // way; each schema is now merged and asked once, and a merge holds each once.
    let string = json!({"type": ["string", "null"], "minLength": 1});
    let object = json!({
        "type": "object",
        "patternProperties": {"^a": {"type": "string"}},
        "additionalProperties": {"type": "string"},
        "dependentRequired": {"a": ["b"]},
        "example": {},
    });
    let twice: fn(Value) -> Value = |next| json!({"allOf": [next, next]});
    let branches: fn(Value) -> Value = |next| json!({"anyOf": [{"allOf": [next, next]}, {"oneOf": [next, next]}], "nullable": true});
    let beside: fn(Value) -> Value = |next| {
        json!({
            "anyOf": [{"allOf": [next, next]}, {"oneOf": [next, next]}],
            "properties": {"a": {"type": "string"}},
        })
    };
    let annotated: fn(Value) -> Value =
        |next| json!({"allOf": [next, next], "example": {}, "propertyNames": {"minLength": 1}});
    let cases = [
        ("allOf", twice, &string),
        ("anyOf", branches, &string),
        ("anyOf beside properties", beside, &string),
        ("allOf with examples and sub-schemas", annotated, &object),
    ];
    for (name, level, last) in cases {
        let g = run(vec![("api.json", chain(40, level, last))]);
        assert!(!g.failed(false), "{name}: {}", g.report());
        // Inline types nested 40 deep have long names; every file name stays within the
        // 255 bytes file systems allow.
        for file in &g.files {
            let longest = file.path.split('/').map(str::len).max().unwrap_or(0);
            assert!(longest <= 160, "{name}: {}", file.path);
        }
    }
}

#[test]
fn schemas_that_would_spell_out_exponentially_many_ways_are_an_error() {
    // Each branch merges the next schema, itself a union of two such branches: every way
    // down is a type of its own, 2^16 of them. Values schemas merged level after level grow
    // alike. Past a bound on the steps one schema takes, lowering stops with an error.
    let string = json!({"type": "object", "additionalProperties": {"type": "string"}});
    let object = json!({"type": "object", "properties": {"z": {"type": "integer"}}});
    let branches: fn(Value) -> Value = |next| {
        json!({"oneOf": [
            {"allOf": [next, {"properties": {"a": {"type": "string"}}}]},
            {"allOf": [next, {"properties": {"b": {"type": "string"}}}]},
        ]})
    };
    let values: fn(Value) -> Value =
        |next| json!({"allOf": [next, next], "additionalProperties": {"allOf": [next, next]}});
    for (name, level, last) in [("oneOf", branches, &object), ("values", values, &string)] {
        let g = run(vec![("api.json", chain(16, level, last))]);
        assert!(g.failed(false), "{name}");
        let stopped = g
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("takes more than"))
            .count();
        assert!(stopped > 0, "{name}: {}", g.report());
        // Only the schemas 2^16 ways deep or close to it stop; the rest are lowered.
        assert!(stopped <= 4, "{name}: {}", g.report());
    }
}
