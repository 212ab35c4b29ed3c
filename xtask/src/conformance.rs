//! `cargo xtask conformance`: runs the JSON Schema Test Suite (draft 4 and draft 2020-12)
//! against generated code.
//!
//! For each draft, every test group's schema becomes `components/schemas/Case<N>` of one OpenAPI
//! document (3.0 for draft 4, 3.1 for draft 2020-12), with an `$id` of its own when it has
//! none. One crate is generated from it, plus a small runner binary that deserializes and
//! validates each test instance with `validation::from_value::<CaseN>`; one `cargo build`
//! builds both. An instance passes when it
//! is accepted exactly when the suite says it is valid.
//!
//! Each draft's copy of the suite comes from a package registry at run time (a pinned version)
//! and is cached under the target folder. Each draft has a checked-in baseline naming the least
//! number of passing cases and every known failure; the command fails when fewer cases pass or
//! when a failure is not listed there.

use crate::models_runner::{generate_in_memory, target_dir, Runner};
use codegen::diagnostic::Severity;
use codegen::settings::{FormatChoice, Settings};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// One draft of the suite: where its files come from and how they are run.
struct Draft {
    /// The name used in output, folder names and the runner's package name.
    name: &'static str,
    /// The registry package holding the suite, pinned so that results are reproducible.
    source: Source,
    /// The keyword files run, relative to the draft's folder, without `.json`.
    files: &'static [&'static str],
    /// Tests not run, with the reason: file, group description, test description (`None` for
    /// the whole group), reason. A description may start or end with `*`, which stands for any
    /// text there.
    skipped: &'static [(
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
    )],
    /// The `openapi` version of the wrapper document.
    openapi: &'static str,
    /// The checked-in baseline, relative to the workspace root.
    baseline: &'static str,
}

/// A registry package that ships the suite.
enum Source {
    /// An npm package (`npm pack`); the draft's folder inside it.
    Npm {
        package: &'static str,
        folder: &'static str,
    },
    /// The source distribution of a PyPI package (`pip download --no-binary`); the draft's
    /// folder inside it.
    PypiSdist {
        package: &'static str,
        version: &'static str,
        folder: &'static str,
    },
}

const DRAFTS: &[Draft] = &[DRAFT4, DRAFT2020_12];
const DRAFT4: Draft = Draft {
    name: "draft4",
    // Its latest version; it ships draft 3 and draft 4 only.
    source: Source::Npm {
        package: "json-schema-test-suite@0.0.10",
        folder: "package/tests/draft4",
    },
    files: &[
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
        "additionalItems",
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
        "refRemote",
        "definitions",
    ],
    skipped: &[
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
    ],
    openapi: "3.0.3",
    baseline: "xtask/conformance-draft4.txt",
};

const DRAFT2020_12: Draft = Draft {
    name: "draft2020-12",
    // The Python `jsonschema` package tests itself against the suite and ships a copy of it in
    // its source distribution.
    source: Source::PypiSdist {
        package: "jsonschema",
        version: "4.23.0",
        folder: "json/tests/draft2020-12",
    },
    files: &[
        "additionalProperties",
        "allOf",
        "anchor",
        "anyOf",
        "boolean_schema",
        "const",
        "contains",
        "content",
        "default",
        "defs",
        "dependentRequired",
        "dependentSchemas",
        "dynamicRef",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if-then-else",
        "infinite-loop-detection",
        "items",
        "maxContains",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minContains",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "ref",
        "refRemote",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
        "vocabulary",
        "optional/format/date-time",
        "optional/format/date",
        "optional/format/duration",
        "optional/format/email",
        "optional/format/hostname",
        "optional/format/idn-email",
        "optional/format/idn-hostname",
        "optional/format/ipv4",
        "optional/format/ipv6",
        "optional/format/iri-reference",
        "optional/format/iri",
        "optional/format/json-pointer",
        "optional/format/regex",
        "optional/format/relative-json-pointer",
        "optional/format/time",
        "optional/format/unknown",
        "optional/format/uri-reference",
        "optional/format/uri-template",
        "optional/format/uri",
        "optional/format/uuid",
    ],
    skipped: &[
        (
            "additionalProperties",
            "additionalProperties being false does not allow other properties",
            Some("ignores *"),
            UNTYPED_OBJECT,
        ),
        (
            "properties",
            "object properties validation",
            Some("ignores *"),
            UNTYPED_OBJECT,
        ),
        (
            "properties",
            "properties whose names are Javascript object property names",
            Some("ignores *"),
            UNTYPED_OBJECT,
        ),
        (
            "required",
            "required validation",
            Some("ignores *"),
            UNTYPED_OBJECT,
        ),
        ("ref", "root pointer ref", Some("match"), UNTYPED_OBJECT),
        (
            "ref",
            "root pointer ref",
            Some("recursive match"),
            UNTYPED_OBJECT,
        ),
        (
            "ref",
            "simple URN base URI with $ref via the URN",
            Some("valid under the URN IDed schema"),
            UNTYPED_OBJECT,
        ),
        (
            "format",
            "*",
            Some("* is only an annotation by default"),
            FORMAT_ASSERTED,
        ),
    ],
    openapi: "3.1.0",
    baseline: "xtask/conformance-draft2020-12.txt",
};

const FORMAT_ASSERTED: &str = "`format` is checked, as OpenAPI users expect and as the suite's \
     `optional/format` files test; draft 2020-12 makes it an annotation unless a vocabulary asks \
     for assertion";

const UNTYPED_OBJECT: &str = "a schema with `properties` but no `type` is generated as a struct, \
     so a non-object instance fails to deserialize where JSON Schema ignores it";

/// The name of the in-memory document, in diagnostics.
const FILE: &str = "conformance.json";

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

/// What one draft's run came to.
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    ok: bool,
}

/// Runs the suite for each draft, or for the drafts named in `args` (`--draft 4`,
/// `--draft 2020-12`), and compares each result with its baseline.
pub fn run(args: &[String]) -> ExitCode {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().map(PathBuf::from).unwrap_or(manifest);
    let drafts = match chosen_drafts(args) {
        Ok(drafts) => drafts,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut tallies = Vec::new();
    for draft in drafts {
        match run_draft(&root, draft) {
            Ok(tally) => tallies.push((draft.name, tally)),
            Err(message) => {
                eprintln!("error: {}: {message}", draft.name);
                return ExitCode::FAILURE;
            }
        }
    }
    println!();
    for (name, tally) in &tallies {
        println!(
            "{name}: {} passed, {} failed, {} skipped",
            tally.passed, tally.failed, tally.skipped
        );
    }
    let sum = |f: fn(&Tally) -> usize| tallies.iter().map(|(_, t)| f(t)).sum::<usize>();
    println!(
        "conformance: {} passed, {} failed, {} skipped",
        sum(|t| t.passed),
        sum(|t| t.failed),
        sum(|t| t.skipped)
    );
    if tallies.iter().all(|(_, t)| t.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn chosen_drafts(args: &[String]) -> Result<Vec<&'static Draft>, String> {
    const USAGE: &str = "usage: cargo xtask conformance [--draft 4|2020-12]...";
    let mut chosen = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--draft" => {
                let name = args
                    .next()
                    .ok_or_else(|| format!("--draft needs a name\n{USAGE}"))?;
                let draft = DRAFTS
                    .iter()
                    .find(|d| d.name == format!("draft{name}") || d.name == name.as_str())
                    .ok_or_else(|| format!("unknown draft `{name}`\n{USAGE}"))?;
                chosen.push(draft);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if chosen.is_empty() {
        chosen.extend(DRAFTS);
    }
    Ok(chosen)
}

fn run_draft(root: &Path, draft: &'static Draft) -> Result<Tally, String> {
    let target = target_dir(root);
    let work = target.join("conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    let suite = fetch_suite(&work, &draft.source)?;
    let baseline = Baseline::read(&root.join(draft.baseline))?;

    let mut skips = Vec::new();
    let mut cases = Vec::new();
    let mut schemas = Map::new();
    let mut next = 0usize;
    for &file in draft.files {
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
            let mut case = Case {
                index: next,
                file,
                group: description,
                tests,
            };
            let whole_group = draft
                .skipped
                .iter()
                .find(|(f, g, t, _)| *f == file && matches(g, &case.group) && t.is_none())
                .map(|(_, _, _, r)| (*r).to_owned());
            let schema = match whole_group {
                Some(reason) => Err(reason),
                None => {
                    let schema = to_openapi(draft, &group["schema"], &case_name(next));
                    check_alone(draft, &case_name(next), &schema).map(|()| schema)
                }
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
                let skipped = draft.skipped.iter().find(|(f, g, t, _)| {
                    *f == file
                        && matches(g, &case.group)
                        && t.is_some_and(|t| matches(t, &test.description))
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

    let document = document(draft, schemas);
    let package = format!("conformance-{}", draft.name);
    let models = format!("conformance-models-{}", draft.name);
    let runner = Runner {
        dir: work.join(draft.name),
        package: &package,
        models: &models,
    };
    generate_models(draft, &work, &document, &runner)?;
    let dispatch: Vec<(u64, String)> = cases
        .iter()
        .map(|case| (case.index as u64, case_name(case.index)))
        .collect();
    eprintln!(
        "{}: building the conformance crate ({} cases)",
        draft.name,
        cases.len()
    );
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
    let mut fixed = Vec::new();
    let mut outcomes = outcomes.into_iter();
    for case in &cases {
        for test in &case.tests {
            let outcome = outcomes
                .next()
                .unwrap_or_else(|| Err("no result".to_owned()));
            let accepted = outcome.is_ok();
            let id = test_id(case, test);
            if accepted == test.valid {
                passed += 1;
                if baseline.exact(&id) {
                    fixed.push(id);
                }
                continue;
            }
            let detail = match outcome {
                Ok(()) => "accepted, but the suite says invalid".to_owned(),
                Err(why) => format!("rejected, but the suite says valid: {why}"),
            };
            match baseline.known_failure(case.file, &case.group, &test.description) {
                Some(reason) => known.push((id, detail, reason.to_owned())),
                None => failures.push((id, detail)),
            }
        }
    }

    let name = draft.name;
    let file = draft.baseline;
    for (id, detail) in &failures {
        println!("{name} FAIL {id}\n     {detail}");
    }
    for (id, detail, reason) in &known {
        println!("{name} known failure {id}\n     {detail}\n     reason: {reason}");
    }
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for skip in &skips {
        println!("{name} skip {}\n     reason: {}", skip.id, skip.reason);
        *by_reason.entry(&skip.reason).or_default() += 1;
    }
    if !by_reason.is_empty() {
        println!("{name}: skips by reason");
        for (reason, count) in &by_reason {
            println!("  {count:>4}  {reason}");
        }
    }
    let failed = failures.len() + known.len();
    println!(
        "{name}: {passed} passed, {failed} failed ({} known), {} skipped",
        known.len(),
        skips.len()
    );
    let mut ok = true;
    if !failures.is_empty() {
        eprintln!(
            "error: {name}: {} failure(s) not listed as known in {file}",
            failures.len()
        );
        ok = false;
    }
    if passed < baseline.passed {
        eprintln!(
            "error: {name}: {passed} passed, fewer than the baseline of {} in {file}",
            baseline.passed
        );
        ok = false;
    } else if passed > baseline.passed {
        eprintln!(
            "note: {name}: {passed} passed, more than the baseline of {}; raise it in {file}",
            baseline.passed
        );
    }
    for id in &fixed {
        eprintln!("note: {name}: `{id}` passes; remove it from the known failures in {file}");
    }
    Ok(Tally {
        passed,
        failed,
        skipped: skips.len(),
        ok,
    })
}

/// Whether a description matches a pattern of the skip list: the text itself, or with `*`
/// at its start or end standing for any text there.
fn matches(pattern: &str, text: &str) -> bool {
    if let Some(suffix) = pattern.strip_prefix('*') {
        text.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        text.starts_with(prefix)
    } else {
        pattern == text
    }
}

fn case_name(index: usize) -> String {
    format!("Case{index}")
}

/// How a test is named in output and in the baseline: `file | group | test`.
fn test_id(case: &Case, test: &Test) -> String {
    format!("{} | {} | {}", case.file, case.group, test.description)
}

/// The draft's folder of the suite, fetched from its registry on first use.
fn fetch_suite(work: &Path, source: &Source) -> Result<PathBuf, String> {
    let (label, folder, inner) = match source {
        Source::Npm { package, folder } => {
            (package.to_string(), package.replace('@', "-"), *folder)
        }
        Source::PypiSdist {
            package,
            version,
            folder,
        } => (
            format!("{package}=={version}"),
            format!("pypi-{package}-{version}"),
            *folder,
        ),
    };
    let download = work.join(folder);
    let tests = match source {
        Source::Npm { .. } => download.join(inner),
        Source::PypiSdist {
            package, version, ..
        } => download.join(format!("{package}-{version}")).join(inner),
    };
    if tests.is_dir() {
        return Ok(tests);
    }
    std::fs::create_dir_all(&download)
        .map_err(|e| format!("creating {}: {e}", download.display()))?;
    let output = match source {
        Source::Npm { .. } => {
            eprintln!("fetching {label} with npm pack");
            Command::new("npm")
                .args(["pack", &label, "--silent", "--pack-destination"])
                .arg(&download)
                .output()
                .map_err(|e| format!("running npm (is Node.js installed?): {e}"))?
        }
        Source::PypiSdist { .. } => {
            eprintln!("fetching the source distribution of {label} with pip download");
            Command::new("python3")
                .args(["-m", "pip", "download", "--quiet", "--no-deps"])
                .args(["--no-binary", ":all:", "--dest"])
                .arg(&download)
                .arg(&label)
                .output()
                .map_err(|e| format!("running python3 -m pip (is pip installed?): {e}"))?
        }
    };
    if !output.status.success() {
        return Err(format!(
            "fetching {label} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tarball = std::fs::read_dir(&download)
        .map_err(|e| format!("reading {}: {e}", download.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|e| e == "tgz" || e == "gz"))
        .ok_or_else(|| format!("fetching {label} left no archive in {}", download.display()))?;
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&download)
        .status()
        .map_err(|e| format!("running tar: {e}"))?;
    if !status.success() || !tests.is_dir() {
        return Err(format!(
            "unpacking {} did not give {}",
            tarball.display(),
            tests.display()
        ));
    }
    Ok(tests)
}

/// A suite schema as `components/schemas/<name>`: a schema without an identifier gets one
/// (`$id`, draft 4's `id`), so that its references (`#`, `#/$defs/a`, `#foo`) resolve against
/// it as they would at the root of a document of its own, and not against the wrapper document.
/// Everything else, embedded resources and references by URI included, is left to the
/// generator.
fn to_openapi(draft: &Draft, schema: &Value, name: &str) -> Value {
    let mut schema = schema.clone();
    let keyword = if draft.openapi.starts_with("3.0") {
        "id"
    } else {
        "$id"
    };
    if let Value::Object(map) = &mut schema {
        if !map.contains_key(keyword) {
            let id = format!("https://conformance.invalid/{}/{name}", draft.name);
            map.insert(keyword.to_owned(), Value::String(id));
        }
    }
    schema
}

fn document(draft: &Draft, schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": draft.openapi,
        "info": {"title": "JSON Schema Test Suite", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
}

fn settings(draft: &Draft) -> Settings {
    // The suite checks formats on strings; library types would change what deserializes.
    let formats = ["date-time", "date", "uuid"]
        .into_iter()
        .map(|f| (f.to_owned(), FormatChoice::String))
        .collect();
    Settings {
        crate_name: Some(format!("conformance-models-{}", draft.name)),
        formats,
        ..Settings::default()
    }
}

/// Generates one case on its own; its first error is the reason to skip it.
fn check_alone(draft: &Draft, name: &str, schema: &Value) -> Result<(), String> {
    let mut schemas = Map::new();
    schemas.insert(name.to_owned(), schema.clone());
    let generation = generate_in_memory(&document(draft, schemas), FILE, &settings(draft))?;
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

fn generate_models(
    draft: &Draft,
    work: &Path,
    document: &Value,
    runner: &Runner,
) -> Result<(), String> {
    let text = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    // Kept for reading when a case fails.
    let copy = work.join(format!("{}.json", draft.name));
    std::fs::write(&copy, text).map_err(|e| format!("writing {}: {e}", copy.display()))?;
    let generation = generate_in_memory(document, FILE, &settings(draft))?;
    if generation.failed(false) {
        return Err(format!(
            "generating the conformance crate failed:\n{}",
            generation.report()
        ));
    }
    runner.write_models(&generation.files)
}

/// The checked-in expectations of one draft.
struct Baseline {
    /// The least number of instances that must pass.
    passed: usize,
    /// Known failures with the reason, keyed by test id (`file | group | test`); `*` in place
    /// of the test, or of the group and test, stands for all of them.
    known_failures: BTreeMap<String, String>,
}

impl Baseline {
    /// The reason a failing test is known to fail: listed by its id, its group or its file.
    fn known_failure(&self, file: &str, group: &str, test: &str) -> Option<&str> {
        [
            format!("{file} | {group} | {test}"),
            format!("{file} | {group} | *"),
            format!("{file} | *"),
        ]
        .iter()
        .find_map(|id| self.known_failures.get(id))
        .map(String::as_str)
    }

    /// Whether the test is listed by its own id.
    fn exact(&self, id: &str) -> bool {
        self.known_failures.contains_key(id)
    }

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
    fn each_case_is_a_resource_of_its_own_unless_it_has_one() {
        let schema = json!({"properties": {"foo": {"$ref": "#"}}});
        let case = to_openapi(&DRAFT2020_12, &schema, "Case7");
        assert_eq!(
            case["$id"],
            "https://conformance.invalid/draft2020-12/Case7"
        );
        assert_eq!(case["properties"]["foo"]["$ref"], "#");
        let draft4 = to_openapi(&DRAFT4, &schema, "Case7");
        assert_eq!(draft4["id"], "https://conformance.invalid/draft4/Case7");
        let own = json!({"$id": "http://example.com/root", "$ref": "#/$defs/a"});
        assert_eq!(to_openapi(&DRAFT2020_12, &own, "Case1"), own);
        assert_eq!(
            to_openapi(&DRAFT2020_12, &json!(true), "Case1"),
            json!(true)
        );
    }

    #[test]
    fn skip_patterns_match_the_whole_text_or_its_start_or_end() {
        assert!(matches("ignores *", "ignores arrays"));
        assert!(matches(
            "* by default",
            "invalid uri string is only an annotation by default"
        ));
        assert!(matches("*", "anything"));
        assert!(matches("match", "match"));
        assert!(!matches("match", "recursive match"));
        assert!(!matches("ignores *", "does not ignore arrays"));
    }

    #[test]
    fn known_failures_may_name_a_whole_group_or_file() {
        let mut known_failures = BTreeMap::new();
        for (id, reason) in [
            ("f | g | t", "one"),
            ("f | h | *", "group"),
            ("e | *", "file"),
        ] {
            known_failures.insert(id.to_owned(), reason.to_owned());
        }
        let baseline = Baseline {
            passed: 0,
            known_failures,
        };
        assert_eq!(baseline.known_failure("f", "g", "t"), Some("one"));
        assert_eq!(baseline.known_failure("f", "g", "u"), None);
        assert_eq!(baseline.known_failure("f", "h", "any"), Some("group"));
        assert_eq!(baseline.known_failure("e", "any", "any"), Some("file"));
        assert!(baseline.exact("f | g | t"));
        assert!(!baseline.exact("f | h | x"));
    }

    #[test]
    fn drafts_are_chosen_by_number_or_name() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let names = |d: Vec<&Draft>| d.iter().map(|d| d.name).collect::<Vec<_>>();
        assert_eq!(
            names(chosen_drafts(&[]).expect("all")),
            ["draft4", "draft2020-12"]
        );
        assert_eq!(
            names(chosen_drafts(&args(&["--draft", "2020-12"])).expect("one")),
            ["draft2020-12"]
        );
        assert!(chosen_drafts(&args(&["--draft", "7"])).is_err());
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
