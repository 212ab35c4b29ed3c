//! `cargo xtask conformance`: runs the JSON Schema Test Suite (draft 4) against generated code.
//!
//! Every test group's schema becomes `components/schemas/Case<N>` of one OpenAPI 3.0 document.
//! One crate is generated from it, plus a small runner binary that deserializes and validates
//! each test instance with `validation::from_value::<CaseN>`; one `cargo build` builds both.
//! An instance passes when it is accepted exactly when the suite says it is valid.
//!
//! The suite comes from npm (`npm pack`) at run time and is cached under the target folder.
//! The checked-in baseline file names the least number of passing cases and every known failure;
//! the command fails when fewer cases pass or when a failure is not listed there.

use crate::models_runner::{generate_in_memory, target_dir, Runner};
use codegen::diagnostic::Severity;
use codegen::settings::{FormatChoice, Settings};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The npm package holding the suite, pinned so that results are reproducible.
const SUITE: &str = "json-schema-test-suite@0.0.10";

/// The draft 4 keyword files run, relative to `tests/draft4`.
const FILES: &[&str] = &[
    "type",
    "properties",
    "required",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "items",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "dependencies",
    "patternProperties",
    "optional/format",
    "default",
    "ref",
];

/// Tests not run, with the reason: file, group description, test description (`None` for the
/// whole group), reason.
const SKIPPED: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "additionalProperties",
        "additionalProperties being false does not allow other properties",
        Some("ignores non-objects"),
        UNTYPED_OBJECT,
    ),
    (
        "properties",
        "object properties validation",
        Some("ignores non-objects"),
        UNTYPED_OBJECT,
    ),
    ("ref", "root pointer ref", Some("match"), UNTYPED_OBJECT),
    (
        "ref",
        "root pointer ref",
        Some("recursive match"),
        UNTYPED_OBJECT,
    ),
];

const UNTYPED_OBJECT: &str = "a schema with `properties` but no `type` is generated as a struct, \
     so a non-object instance fails to deserialize where JSON Schema ignores it";

/// The name of the in-memory document, in diagnostics.
const FILE: &str = "conformance.json";

/// The checked-in baseline, relative to the workspace root.
const BASELINE: &str = "xtask/conformance-baseline.txt";

/// One test group turned into a generated type.
struct Case {
    index: usize,
    file: &'static str,
    group: String,
    tests: Vec<Test>,
}

struct Test {
    description: String,
    data: Value,
    valid: bool,
}

/// A test instance that was not run, and why.
struct Skip {
    id: String,
    reason: String,
}

/// Runs the suite and compares the result with the baseline.
pub fn run() -> ExitCode {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().map(PathBuf::from).unwrap_or(manifest);
    match run_inner(&root) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_inner(root: &Path) -> Result<ExitCode, String> {
    let target = target_dir(root);
    let work = target.join("conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    let suite = fetch_suite(&work)?;
    let baseline = Baseline::read(&root.join(BASELINE))?;

    let mut skips = Vec::new();
    let mut cases = Vec::new();
    let mut schemas = Map::new();
    let mut next = 0usize;
    for &file in FILES {
        let path = suite.join(format!("{file}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let groups: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        for group in groups {
            next += 1;
            let description = group["description"].as_str().unwrap_or_default().to_owned();
            let tests: Vec<Test> = group["tests"]
                .as_array()
                .map(|t| t.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|t| Test {
                    description: t["description"].as_str().unwrap_or_default().to_owned(),
                    data: t["data"].clone(),
                    valid: t["valid"].as_bool().unwrap_or(false),
                })
                .collect();
            let case = Case {
                index: next,
                file,
                group: description,
                tests,
            };
            let mut case = case;
            let whole_group = SKIPPED
                .iter()
                .find(|(f, g, t, _)| *f == file && *g == case.group && t.is_none())
                .map(|(_, _, _, r)| (*r).to_owned());
            let schema = match whole_group {
                Some(reason) => Err(reason),
                None => to_openapi(&group["schema"], &case_name(next)).and_then(|schema| {
                    check_alone(&case_name(next), &schema)?;
                    Ok(schema)
                }),
            };
            let schema = match schema {
                Ok(schema) => schema,
                Err(reason) => {
                    for test in &case.tests {
                        skips.push(Skip {
                            id: test_id(&case, test),
                            reason: reason.clone(),
                        });
                    }
                    continue;
                }
            };
            let tests = std::mem::take(&mut case.tests);
            for test in tests {
                let skipped = SKIPPED.iter().find(|(f, g, t, _)| {
                    *f == file && *g == case.group && *t == Some(test.description.as_str())
                });
                match skipped {
                    Some((_, _, _, reason)) => skips.push(Skip {
                        id: test_id(&case, &test),
                        reason: (*reason).to_owned(),
                    }),
                    None => case.tests.push(test),
                }
            }
            schemas.insert(case_name(next), schema);
            cases.push(case);
        }
    }

    let document = document(schemas);
    let runner = Runner {
        dir: work.join("runner"),
        package: "conformance-runner",
        models: "conformance-models",
    };
    generate_models(&work, &document, &runner)?;
    let dispatch: Vec<(u64, String)> = cases
        .iter()
        .map(|case| (case.index as u64, case_name(case.index)))
        .collect();
    eprintln!("building the conformance crate ({} cases)", cases.len());
    let binary = runner.build(root, &target, &dispatch)?;
    let pairs: Vec<(u64, &Value)> = cases
        .iter()
        .flat_map(|case| {
            case.tests
                .iter()
                .map(move |test| (case.index as u64, &test.data))
        })
        .collect();
    let outcomes = runner.run(&binary, &pairs)?;

    let mut passed = 0usize;
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut outcomes = outcomes.into_iter();
    for case in &cases {
        for test in &case.tests {
            let outcome = outcomes
                .next()
                .unwrap_or_else(|| Err("no result".to_owned()));
            let accepted = outcome.is_ok();
            if accepted == test.valid {
                passed += 1;
                continue;
            }
            let id = test_id(case, test);
            let detail = match outcome {
                Ok(()) => "accepted, but the suite says invalid".to_owned(),
                Err(why) => format!("rejected, but the suite says valid: {why}"),
            };
            match baseline.known_failures.get(&id) {
                Some(reason) => known.push((id, detail, reason.clone())),
                None => failures.push((id, detail)),
            }
        }
    }

    for (id, detail) in &failures {
        println!("FAIL {id}\n     {detail}");
    }
    for (id, detail, reason) in &known {
        println!("known failure {id}\n     {detail}\n     reason: {reason}");
    }
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for skip in &skips {
        println!("skip {}\n     reason: {}", skip.id, skip.reason);
        *by_reason.entry(&skip.reason).or_default() += 1;
    }
    let failed = failures.len() + known.len();
    println!(
        "conformance: {passed} passed, {failed} failed, {} skipped",
        skips.len()
    );
    let mut ok = true;
    if !failures.is_empty() {
        eprintln!(
            "error: {} failure(s) not listed as known in {BASELINE}",
            failures.len()
        );
        ok = false;
    }
    if passed < baseline.passed {
        eprintln!(
            "error: {passed} passed, fewer than the baseline of {} in {BASELINE}",
            baseline.passed
        );
        ok = false;
    } else if passed > baseline.passed {
        eprintln!(
            "note: {passed} passed, more than the baseline of {}; raise it in {BASELINE}",
            baseline.passed
        );
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn case_name(index: usize) -> String {
    format!("Case{index}")
}

/// How a test is named in output and in the baseline: `file | group | test`.
fn test_id(case: &Case, test: &Test) -> String {
    format!("{} | {} | {}", case.file, case.group, test.description)
}

/// The suite's `tests/draft4` folder, fetched with `npm pack` on first use.
fn fetch_suite(work: &Path) -> Result<PathBuf, String> {
    let folder = work.join(SUITE.replace('@', "-"));
    let tests = folder.join("package").join("tests").join("draft4");
    if tests.is_dir() {
        return Ok(tests);
    }
    std::fs::create_dir_all(&folder).map_err(|e| format!("creating {}: {e}", folder.display()))?;
    eprintln!("fetching {SUITE} with npm pack");
    let output = Command::new("npm")
        .args(["pack", SUITE, "--silent", "--pack-destination"])
        .arg(&folder)
        .output()
        .map_err(|e| format!("running npm (is Node.js installed?): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "npm pack {SUITE} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tarball = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let status = Command::new("tar")
        .arg("xzf")
        .arg(folder.join(&tarball))
        .arg("-C")
        .arg(&folder)
        .status()
        .map_err(|e| format!("running tar: {e}"))?;
    if !status.success() || !tests.is_dir() {
        return Err(format!(
            "unpacking {tarball} did not give {}",
            tests.display()
        ));
    }
    Ok(tests)
}

/// Rewrites a draft 4 schema for `components/schemas/<name>`: local references point into the
/// wrapper document. Remote references are not supported.
fn to_openapi(schema: &Value, name: &str) -> Result<Value, String> {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let value = match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => {
                        Value::String(rewrite_ref(reference, name)?)
                    }
                    // Keyword values that are not schemas: copied as they are.
                    ("enum" | "required" | "default" | "type", _) => value.clone(),
                    _ => to_openapi(value, name)?,
                };
                out.insert(key.clone(), value);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|item| to_openapi(item, name))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn rewrite_ref(reference: &str, name: &str) -> Result<String, String> {
    match reference.strip_prefix('#') {
        Some(pointer) if pointer.is_empty() || pointer.starts_with('/') => {
            Ok(format!("#/components/schemas/{name}{pointer}"))
        }
        _ => Err(format!(
            "remote reference `{reference}`: the generator reads local files only"
        )),
    }
}

fn document(schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "JSON Schema Test Suite", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
}

fn settings() -> Settings {
    // The suite checks formats on strings; library types would change what deserializes.
    let formats = ["date-time", "date", "uuid"]
        .into_iter()
        .map(|f| (f.to_owned(), FormatChoice::String))
        .collect();
    Settings {
        crate_name: Some("conformance-models".to_owned()),
        formats,
        ..Settings::default()
    }
}

/// Generates one case on its own; its first error is the reason to skip it.
fn check_alone(name: &str, schema: &Value) -> Result<(), String> {
    let mut schemas = Map::new();
    schemas.insert(name.to_owned(), schema.clone());
    let generation = generate_in_memory(&document(schemas), FILE, &settings())?;
    match generation
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        Some(d) => Err(format!(
            "the generator rejects the schema: {} (at {})",
            d.message, d.pointer
        )),
        None => Ok(()),
    }
}

fn generate_models(work: &Path, document: &Value, runner: &Runner) -> Result<(), String> {
    let text = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    // Kept for reading when a case fails.
    let copy = work.join("conformance.json");
    std::fs::write(&copy, text).map_err(|e| format!("writing {}: {e}", copy.display()))?;
    let generation = generate_in_memory(document, FILE, &settings())?;
    if generation.failed(false) {
        return Err(format!(
            "generating the conformance crate failed:\n{}",
            generation.report()
        ));
    }
    runner.write_models(&generation.files)
}

/// The checked-in expectations.
struct Baseline {
    /// The least number of instances that must pass.
    passed: usize,
    /// Test ids (`file | group | test`) that are known to fail, with the reason.
    known_failures: BTreeMap<String, String>,
}

impl Baseline {
    /// Reads lines `passed N` and `known-failure <file | group | test> => <reason>`;
    /// `#` starts a comment line.
    fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let mut baseline = Baseline {
            passed: 0,
            known_failures: BTreeMap::new(),
        };
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("{}:{}: cannot read `{line}`", path.display(), number + 1);
            if let Some(count) = line.strip_prefix("passed ") {
                baseline.passed = count.trim().parse().map_err(|_| bad())?;
            } else if let Some(rest) = line.strip_prefix("known-failure ") {
                let (id, reason) = rest.split_once(" => ").ok_or_else(bad)?;
                baseline
                    .known_failures
                    .insert(id.trim().to_owned(), reason.trim().to_owned());
            } else {
                return Err(bad());
            }
        }
        Ok(baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_refs_point_into_the_wrapper_document() {
        let schema = json!({
            "properties": {"foo": {"$ref": "#"}, "bar": {"$ref": "#/definitions/a~1b"}},
            "definitions": {"a/b": {"type": "integer"}}
        });
        let rewritten = to_openapi(&schema, "Case7").expect("local refs only");
        assert_eq!(
            rewritten["properties"]["foo"]["$ref"],
            "#/components/schemas/Case7"
        );
        assert_eq!(
            rewritten["properties"]["bar"]["$ref"],
            "#/components/schemas/Case7/definitions/a~1b"
        );
    }

    #[test]
    fn values_that_are_not_schemas_are_copied_unchanged() {
        let schema = json!({"enum": [{"$ref": "#"}], "default": {"$ref": "#"}});
        assert_eq!(to_openapi(&schema, "Case1").expect("no refs"), schema);
    }

    #[test]
    fn remote_refs_are_refused_with_a_reason() {
        let schema = json!({"items": {"$ref": "http://example.com/schema#"}});
        let reason = to_openapi(&schema, "Case1").expect_err("remote");
        assert!(reason.starts_with("remote reference `http://example.com/schema#`"));
    }

    #[test]
    fn baseline_reads_the_floor_and_known_failures_with_reasons() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("baseline.txt");
        std::fs::write(
            &path,
            "# comment\npassed 12\nknown-failure f | g | t => why it fails\n",
        )
        .expect("written");
        let baseline = Baseline::read(&path).expect("valid baseline");
        assert_eq!(baseline.passed, 12);
        assert_eq!(
            baseline.known_failures.get("f | g | t").map(String::as_str),
            Some("why it fails")
        );
        std::fs::write(&path, "known-failure without a reason\n").expect("written");
        let error = Baseline::read(&path).err().expect("rejected");
        assert!(
            error.ends_with(":1: cannot read `known-failure without a reason`"),
            "{error}"
        );
    }
}
