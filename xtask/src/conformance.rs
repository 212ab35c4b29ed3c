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

use codegen::diagnostic::{Diagnostics, Severity};
use codegen::load::FileSource;
use codegen::settings::{FormatChoice, Settings};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
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

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
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
    let models = work.join("runner").join("models");
    generate_models(&work, &document, &models)?;
    let binary = build_runner(root, &target, &work, &cases)?;
    let outcomes = run_runner(&binary, &work, &cases)?;

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

/// Serves one in-memory document.
struct Memory {
    path: PathBuf,
    text: Vec<u8>,
}

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            Ok(self.text.clone())
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
}

fn generate_in_memory(document: &Value) -> Result<codegen::Generation, String> {
    let text = serde_json::to_vec_pretty(document).map_err(|e| e.to_string())?;
    let path = PathBuf::from("conformance.json");
    let memory = Memory {
        path: path.clone(),
        text,
    };
    Ok(codegen::generate_from(
        &[path],
        &memory,
        &settings(),
        Diagnostics::new(),
    ))
}

/// Generates one case on its own; its first error is the reason to skip it.
fn check_alone(name: &str, schema: &Value) -> Result<(), String> {
    let mut schemas = Map::new();
    schemas.insert(name.to_owned(), schema.clone());
    let generation = generate_in_memory(&document(schemas))?;
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

fn generate_models(work: &Path, document: &Value, models: &Path) -> Result<(), String> {
    let text = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    // Kept for reading when a case fails.
    let copy = work.join("conformance.json");
    std::fs::write(&copy, text).map_err(|e| format!("writing {}: {e}", copy.display()))?;
    let generation = generate_in_memory(document)?;
    if generation.failed(false) {
        return Err(format!(
            "generating the conformance crate failed:\n{}",
            generation.report()
        ));
    }
    codegen::output::write(models, &generation.files)
        .map_err(|e| format!("writing {}: {e}", models.display()))?;
    Ok(())
}

/// Writes and builds the runner crate; returns the binary.
fn build_runner(
    root: &Path,
    target: &Path,
    work: &Path,
    cases: &[Case],
) -> Result<PathBuf, String> {
    let runner = work.join("runner");
    let manifest = "\
[package]
name = \"conformance-runner\"
version = \"0.0.0\"
edition = \"2021\"
publish = false

[dependencies]
conformance-models = { path = \"models\" }
serde = \"1\"
serde_json = \"1\"

# Not part of the project's workspace.
[workspace]
";
    let mut main = String::from(
        "//! Reads `[case, instance]` pairs (JSON) from the file named by the first argument and\n\
         //! prints one line per pair: `ok`, or `err` and the reason.\n\n\
         use conformance_models::validation::{from_value, Validate};\n\n\
         fn check<T: serde::de::DeserializeOwned + Validate>(data: serde_json::Value) -> Result<(), String> {\n\
         \x20   from_value::<T>(data).map(drop).map_err(|e| e.to_string())\n\
         }\n\n\
         fn dispatch(case: u64, data: serde_json::Value) -> Result<(), String> {\n\
         \x20   match case {\n",
    );
    for case in cases {
        let _ = writeln!(
            main,
            "        {} => check::<conformance_models::{}>(data),",
            case.index,
            case_name(case.index)
        );
    }
    main.push_str(
        "        _ => Err(format!(\"no case {case}\")),\n    }\n}\n\n\
         fn main() {\n\
         \x20   let path = std::env::args().nth(1).expect(\"a cases file\");\n\
         \x20   let text = std::fs::read_to_string(path).expect(\"readable cases file\");\n\
         \x20   let pairs: Vec<(u64, serde_json::Value)> = serde_json::from_str(&text).expect(\"cases JSON\");\n\
         \x20   for (case, data) in pairs {\n\
         \x20       match dispatch(case, data) {\n\
         \x20           Ok(()) => println!(\"ok\"),\n\
         \x20           Err(why) => println!(\"err\\t{}\", why.replace('\\n', \"; \")),\n\
         \x20       }\n\
         \x20   }\n\
         }\n",
    );
    let src = runner.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("creating {}: {e}", src.display()))?;
    write_if_changed(&runner.join("Cargo.toml"), manifest)?;
    write_if_changed(&src.join("main.rs"), &main)?;
    let lock = runner.join("Cargo.lock");
    if !lock.exists() {
        // Start from the workspace's versions, so the build needs nothing new.
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }
    eprintln!("building the conformance crate ({} cases)", cases.len());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(runner.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err("building the conformance crate failed".to_owned());
    }
    let exe = format!("conformance-runner{}", std::env::consts::EXE_SUFFIX);
    Ok(target.join("debug").join(exe))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Runs every instance; one outcome per test, in case order.
fn run_runner(
    binary: &Path,
    work: &Path,
    cases: &[Case],
) -> Result<Vec<Result<(), String>>, String> {
    let pairs: Vec<Value> = cases
        .iter()
        .flat_map(|case| {
            case.tests
                .iter()
                .map(move |test| json!([case.index, test.data]))
        })
        .collect();
    let input = work.join("instances.json");
    let text = serde_json::to_string(&pairs).map_err(|e| e.to_string())?;
    std::fs::write(&input, text).map_err(|e| format!("writing {}: {e}", input.display()))?;
    let output = Command::new(binary)
        .arg(&input)
        .output()
        .map_err(|e| format!("running {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the conformance runner failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcomes: Vec<Result<(), String>> = stdout
        .lines()
        .map(|line| match line.strip_prefix("err\t") {
            Some(why) => Err(why.to_owned()),
            None => Ok(()),
        })
        .collect();
    if outcomes.len() != pairs.len() {
        return Err(format!(
            "the runner gave {} results for {} instances",
            outcomes.len(),
            pairs.len()
        ));
    }
    Ok(outcomes)
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
