//! `cargo xtask corpus --payloads`: GitHub's real webhook payloads against the crate generated
//! from GitHub's webhooks description.
//!
//! The payloads are the examples of the npm package `@octokit/webhooks-examples` (fetched at run
//! time like the corpus, nothing vendored). Each is parsed, with `validation::from_str`, as the
//! type of its event (the request body of the description's webhook whose `x-github.subcategory`
//! is the event and whose `operationId` ends in its `action`), and an accepted payload is
//! serialized again and compared with the input as JSON values. A key the output lacks counts as
//! dropped by design when no schema the value can match at that place (through `$ref`, `allOf`,
//! `oneOf`, `anyOf`) declares it or keeps undeclared keys.

use crate::corpus::{self, CORPUS};
use crate::directory::message_class;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};

/// The payloads, pinned like the corpus entries.
const PACKAGE: &str = "@octokit/webhooks-examples";
const VERSION: &str = "7.6.1";
/// The payloads sent by github.com (the package also holds GitHub Enterprise Server's).
const FILE: &str = "package/api.github.com/index.json";
/// The runner crate's folder and package in the corpus workspace.
const RUNNER: &str = "payloads";
const RUNNER_PACKAGE: &str = "corpus-payloads";

/// One payload and the Rust type it is parsed as.
struct Payload {
    /// `<event>#<index>`, the index counting the event's examples.
    label: String,
    value: Value,
    /// The component schema of the event's request body, when the description has the event.
    schema: Option<String>,
}

/// What the runner said about one payload.
enum Verdict {
    /// Parsed and validated; the value serialized again.
    Accepted(Value),
    /// Did not deserialize: pointer and message of the first problem, then every problem
    /// (pointer, keyword, message).
    Parse(String, String, Vec<(String, String, String)>),
    /// Deserialized, but `validate()` reported these (pointer, keyword, message).
    Invalid(Vec<(String, String, String)>),
    /// The runner could not say (a value it could not serialize, a missing line).
    Broken(String),
}

/// One difference between a payload and its re-serialization.
struct Difference {
    kind: &'static str,
    pointer: String,
    detail: String,
}

/// `cargo xtask corpus --payloads`.
pub fn run(_args: &[String]) -> ExitCode {
    match check() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("payloads: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check() -> Result<bool, String> {
    let entry = CORPUS
        .iter()
        .find(|e| e.name == "github-webhooks")
        .ok_or("no github-webhooks corpus entry")?;
    let root = corpus::root();
    let ws = root.join("ws");
    let logs = root.join("logs");
    let _ = std::fs::create_dir_all(&logs);
    let spec = corpus::fetch(entry)?;
    eprintln!("generating {} from {}", entry.name, spec.display());
    if !corpus::generate_into(entry, &spec, &ws.join(entry.name), &logs) {
        return Err(format!("{} did not generate", entry.name));
    }
    let description: Value = serde_json::from_slice(
        &std::fs::read(&spec).map_err(|e| format!("reading {}: {e}", spec.display()))?,
    )
    .map_err(|e| format!("{}: {e}", spec.display()))?;
    let events = events(&description);
    let (_, settings) = codegen::discover(&spec).map_err(|d| d.to_string())?;
    let rust_names = rust_names(&spec, &settings);
    let payloads = payloads(&examples()?, &events);

    // One dispatch arm per type used.
    let mut types: Vec<String> = Vec::new();
    let mut lines = String::new();
    let mut cases: Vec<(usize, usize)> = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let Some(rust) = p.schema.as_ref().and_then(|s| rust_names.get(s)) else {
            continue;
        };
        let index = match types.iter().position(|t| t == rust) {
            Some(index) => index,
            None => {
                types.push(rust.clone());
                types.len() - 1
            }
        };
        let _ = writeln!(lines, "{index}\t{}", p.value);
        cases.push((i, index));
    }
    let binary = build_runner(&ws, &logs, &types)?;
    let input = ws.join(RUNNER).join("payloads.txt");
    std::fs::write(&input, &lines).map_err(|e| format!("writing {}: {e}", input.display()))?;
    eprintln!("parsing {} payloads", cases.len());
    let output = Command::new(&binary)
        .arg(&input)
        .output()
        .map_err(|e| format!("running {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the runner failed after {} payloads: {}",
            String::from_utf8_lossy(&output.stdout).lines().count(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut verdicts: Vec<Option<Verdict>> = payloads.iter().map(|_| None).collect();
    let mut said = stdout.lines();
    for (i, _) in &cases {
        let verdict = said
            .next()
            .map(read_verdict)
            .unwrap_or_else(|| Verdict::Broken("no answer from the runner".to_owned()));
        if let Some(slot) = verdicts.get_mut(*i) {
            *slot = Some(verdict);
        }
    }
    let report = report(&payloads, &verdicts, &description);
    let log = logs.join("payloads.log");
    let _ = std::fs::write(&log, &report.log);
    print!("{}", report.summary);
    eprintln!("every payload's result: {}", log.display());
    Ok(report.ok)
}

/// The component schema of each webhook's request body, by (event, action).
fn events(description: &Value) -> BTreeMap<(String, Option<String>), String> {
    let mut found = BTreeMap::new();
    let webhooks = description.get("webhooks").and_then(Value::as_object);
    for hook in webhooks.into_iter().flat_map(Map::values) {
        let Some(post) = hook.get("post") else {
            continue;
        };
        let event = post
            .pointer("/x-github/subcategory")
            .and_then(Value::as_str);
        let operation = post.get("operationId").and_then(Value::as_str);
        let schema = post
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"));
        if let (Some(event), Some(operation), Some(schema)) = (event, operation, schema) {
            let action = operation.split_once('/').map(|(_, a)| a.to_owned());
            found.insert((event.to_owned(), action), schema.to_owned());
        }
    }
    found
}

/// The examples file of the payloads package, fetched and read.
fn examples() -> Result<Value, String> {
    let tgz = corpus::tarball_of(PACKAGE, VERSION, &corpus::root().join("cache"))?;
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&tgz)
        .arg("-O")
        .arg(FILE)
        .output()
        .map_err(|e| format!("running tar: {e}"))?;
    if !out.status.success() {
        return Err(format!("{FILE} is not in {}", tgz.display()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{FILE}: {e}"))
}

/// Every example payload with the schema of its event.
fn payloads(examples: &Value, events: &BTreeMap<(String, Option<String>), String>) -> Vec<Payload> {
    let mut out = Vec::new();
    for event in examples.as_array().into_iter().flatten() {
        let name = event.get("name").and_then(Value::as_str).unwrap_or("?");
        for (i, value) in event
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            // The description's operation ids spell actions in kebab case (`closed-by-user`).
            let action = value
                .get("action")
                .and_then(Value::as_str)
                .map(|a| a.replace('_', "-"));
            out.push(Payload {
                label: format!("{name}#{i}"),
                value: value.clone(),
                schema: events.get(&(name.to_owned(), action)).cloned(),
            });
        }
    }
    out
}

/// The Rust type of each named schema: the first type of its module.
fn rust_names(path: &Path, settings: &codegen::settings::Settings) -> BTreeMap<String, String> {
    let mut diagnostics = codegen::diagnostic::Diagnostics::new();
    let spec = codegen::load::load(
        std::slice::from_ref(&path.to_path_buf()),
        &codegen::load::Disk,
        &mut diagnostics,
    );
    let model = codegen::ir::lower(&spec, settings, &mut diagnostics);
    let mut names = BTreeMap::new();
    for module in &model.modules {
        if let Some(def) = module.types.first().and_then(|id| model.get(*id)) {
            names.insert(def.schema_name.clone(), def.name.clone());
        }
    }
    names
}

/// Writes the runner crate beside the webhooks crate in the corpus workspace and builds it.
fn build_runner(ws: &Path, logs: &Path, types: &[String]) -> Result<std::path::PathBuf, String> {
    let lib = "corpus_github_webhooks";
    let manifest = format!(
        "# Written by `cargo xtask corpus --payloads`.\n[package]\nname = \"{RUNNER_PACKAGE}\"\n\
         version = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         corpus-github-webhooks = {{ path = \"../github-webhooks\" }}\nserde = \"1\"\n\
         serde_json = {{ version = \"1\", features = [\"raw_value\"] }}\n"
    );
    let mut main = format!(
        "//! Written by `cargo xtask corpus --payloads`: reads `<type>\\t<payload>` lines from the\n\
         //! file named by the first argument and prints one JSON line per payload.\n\n\
         use {lib}::validation::{{self, Error}};\n\
         use serde_json::{{json, Value}};\n\n\
         fn check<T: validation::Diagnose + serde::Serialize>(text: &str) -> Value {{\n\
         \x20   match validation::from_str::<T>(text) {{\n\
         \x20       Ok(value) => match serde_json::to_value(&value) {{\n\
         \x20           Ok(value) => json!({{ \"ok\": value }}),\n\
         \x20           Err(e) => json!({{ \"broken\": e.to_string() }}),\n\
         \x20       }},\n\
         \x20       Err(Error::Parse {{ pointer, message, problems }}) => json!({{\n\
         \x20           \"parse\": [pointer, message],\n\
         \x20           \"problems\": problems.into_iter().map(|v| json!([v.pointer, v.keyword, v.message])).collect::<Vec<_>>()\n\
         \x20       }}),\n\
         \x20       Err(Error::Invalid(errors)) => json!({{\n\
         \x20           \"invalid\": errors.into_iter().map(|v| json!([v.pointer, v.keyword, v.message])).collect::<Vec<_>>()\n\
         \x20       }}),\n\
         \x20   }}\n\
         }}\n\n\
         fn dispatch(index: usize, text: &str) -> Value {{\n\
         \x20   match index {{\n"
    );
    for (index, rust) in types.iter().enumerate() {
        let _ = writeln!(main, "        {index} => check::<{lib}::{rust}>(text),");
    }
    main.push_str(
        "        _ => json!({ \"broken\": format!(\"no type {index}\") }),\n    }\n}\n\n\
         // Deserializers of deeply nested types take much stack in debug builds.\n\
         fn main() {\n\
         \x20   let worker = std::thread::Builder::new().stack_size(1 << 29).spawn(run).expect(\"a thread\");\n\
         \x20   worker.join().expect(\"the runner finished\");\n\
         }\n\n\
         fn run() {\n\
         \x20   let path = std::env::args().nth(1).expect(\"a payloads file\");\n\
         \x20   let text = std::fs::read_to_string(path).expect(\"a readable payloads file\");\n\
         \x20   for line in text.lines() {\n\
         \x20       let (index, payload) = line.split_once('\\t').expect(\"<type>\\t<payload>\");\n\
         \x20       let index: usize = index.parse().expect(\"a type number\");\n\
         \x20       println!(\"{}\", dispatch(index, payload));\n\
         \x20   }\n\
         }\n",
    );
    let dir = ws.join(RUNNER);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("creating {}: {e}", src.display()))?;
    crate::models_runner::write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    crate::models_runner::write_if_changed(&src.join("main.rs"), &main)?;
    // Every corpus crate already generated stays a member, so the lock file keeps their versions.
    let mut members: Vec<&str> = CORPUS
        .iter()
        .map(|e| e.name)
        .filter(|name| ws.join(name).join("Cargo.toml").is_file())
        .collect();
    members.push(RUNNER);
    corpus::write_members(ws, &members)?;
    eprintln!("building {RUNNER_PACKAGE} (-D warnings)");
    let (built, time, text) = corpus::cargo(
        ws,
        &["build", "-p", RUNNER_PACKAGE],
        &logs.join("payloads-build.log"),
    );
    if !built {
        let errors: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("error"))
            .take(10)
            .collect();
        return Err(format!(
            "building the runner failed:\n{}",
            errors.join("\n")
        ));
    }
    eprintln!("built in {:.0} s", time.as_secs_f64());
    Ok(ws
        .join("target")
        .join("debug")
        .join(format!("{RUNNER_PACKAGE}{}", std::env::consts::EXE_SUFFIX)))
}

fn read_verdict(line: &str) -> Verdict {
    let Ok(value) = serde_json::from_str::<Value>(line) else {
        return Verdict::Broken(format!("unreadable answer: {line}"));
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let triples = |key: &str| -> Vec<(String, String, String)> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|v| (text(&v[0]), text(&v[1]), text(&v[2])))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(ok) = value.get("ok") {
        Verdict::Accepted(ok.clone())
    } else if let Some(parse) = value.get("parse") {
        Verdict::Parse(text(&parse[0]), text(&parse[1]), triples("problems"))
    } else if value.get("invalid").is_some() {
        Verdict::Invalid(triples("invalid"))
    } else {
        Verdict::Broken(text(&value["broken"]))
    }
}

/// The summary printed and the full log.
struct Report {
    summary: String,
    log: String,
    ok: bool,
}

fn report(payloads: &[Payload], verdicts: &[Option<Verdict>], description: &Value) -> Report {
    let mut summary = String::new();
    let mut log = String::new();
    let mut untyped = Vec::new();
    let (mut exact, mut by_design_only, mut differing) = (0, 0, 0);
    let (mut parse, mut invalid, mut broken) = (0, 0, 0);
    // How many problems each payload rejected when parsing lists.
    let mut problem_counts: Vec<usize> = Vec::new();
    let mut dropped_by_design = 0;
    // kind -> (payloads, places, first examples)
    let mut kinds: BTreeMap<&'static str, (usize, usize, Vec<String>)> = BTreeMap::new();
    // error class -> (payloads, first example)
    let mut rejections: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut reject = |class: String, example: String| {
        let entry = rejections.entry(class).or_insert((0, example));
        entry.0 += 1;
    };
    for (payload, verdict) in payloads.iter().zip(verdicts) {
        let label = &payload.label;
        let Some(verdict) = verdict else {
            untyped.push(label.clone());
            let _ = writeln!(log, "{label}: no type for this event in the description");
            continue;
        };
        match verdict {
            Verdict::Accepted(output) => {
                let root = payload
                    .schema
                    .as_ref()
                    .map(|s| serde_json::json!({ "$ref": format!("#/components/schemas/{s}") }))
                    .unwrap_or(Value::Null);
                let mut found = Vec::new();
                differences(
                    &payload.value,
                    output,
                    &mut Vec::new(),
                    &[&root],
                    description,
                    &mut found,
                );
                let design = found.iter().filter(|d| d.kind == BY_DESIGN).count();
                dropped_by_design += design;
                if found.is_empty() {
                    exact += 1;
                } else if design == found.len() {
                    by_design_only += 1;
                } else {
                    differing += 1;
                }
                let _ = writeln!(
                    log,
                    "{label}: accepted, {} difference(s), {design} of them keys dropped by design",
                    found.len()
                );
                let mut seen: Vec<&str> = Vec::new();
                for d in &found {
                    let _ = writeln!(log, "  {} {}: {}", d.kind, d.pointer, d.detail);
                    let entry = kinds.entry(d.kind).or_default();
                    entry.1 += 1;
                    if !seen.contains(&d.kind) {
                        seen.push(d.kind);
                        entry.0 += 1;
                    }
                    if entry.2.len() < 3 {
                        entry.2.push(format!("{label} {}: {}", d.pointer, d.detail));
                    }
                }
            }
            Verdict::Parse(pointer, message, problems) => {
                parse += 1;
                problem_counts.push(problems.len());
                let _ = writeln!(
                    log,
                    "{label}: rejected when parsing: {pointer}: {message}; {} problem(s) in all",
                    problems.len()
                );
                for (pointer, keyword, message) in problems {
                    let _ = writeln!(log, "  {pointer} ({keyword}): {message}");
                }
                reject(
                    format!("parse: {}", message_class(message)),
                    format!("{label} {pointer}: {message}"),
                );
            }
            Verdict::Invalid(errors) => {
                invalid += 1;
                let _ = writeln!(
                    log,
                    "{label}: parsed, rejected by validate() with {} violation(s)",
                    errors.len()
                );
                let mut classes: Vec<String> = Vec::new();
                for (pointer, keyword, message) in errors {
                    let _ = writeln!(log, "  {pointer} ({keyword}): {message}");
                    let class = format!("validate: {keyword}: {}", message_class(message));
                    if !classes.contains(&class) {
                        classes.push(class.clone());
                        reject(class, format!("{label} {pointer}: {message}"));
                    }
                }
            }
            Verdict::Broken(why) => {
                broken += 1;
                let _ = writeln!(log, "{label}: the runner failed: {why}");
            }
        }
    }
    let typed = payloads.len() - untyped.len();
    let accepted = exact + by_design_only + differing;
    let _ = writeln!(
        summary,
        "\n{} payloads of {PACKAGE} {VERSION} ({FILE}); {} have no type (their event or action is not in the description){}",
        payloads.len(),
        untyped.len(),
        if untyped.is_empty() {
            String::new()
        } else {
            format!(": {}", untyped.join(", "))
        }
    );
    let _ = writeln!(
        summary,
        "of {typed} parsed with their event's type: {accepted} accepted, {parse} rejected when parsing, {invalid} rejected by validate(){}",
        if broken > 0 {
            format!(", {broken} the runner could not check")
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        summary,
        "of the {accepted} accepted: {exact} round-trip exactly, {by_design_only} once undeclared keys are dropped by design ({dropped_by_design} keys in all), {differing} with other differences"
    );
    if !kinds.is_empty() {
        let _ = writeln!(
            summary,
            "\ndifferences by kind (payloads, places; first examples):"
        );
        for (kind, (n, places, examples)) in &kinds {
            let _ = writeln!(summary, "  {n:>5} {places:>7}  {kind}");
            for e in examples {
                let _ = writeln!(summary, "                  {}", shorten(e));
            }
        }
    }
    if !rejections.is_empty() {
        let mut sorted: Vec<(&String, &(usize, String))> = rejections.iter().collect();
        sorted.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let _ = writeln!(summary, "\nrejections by kind (payloads; first example):");
        for (class, (n, example)) in sorted {
            let _ = writeln!(summary, "  {n:>5}  {class}");
            let _ = writeln!(summary, "         {}", shorten(example));
        }
    }
    let undeliberate: Vec<&str> = kinds
        .keys()
        .copied()
        .filter(|kind| !DELIBERATE.contains(kind))
        .collect();
    let _ = writeln!(
        summary,
        "\nrejected when parsing: {parse} payloads, {} problems listed in all ({} payloads with more than one, at most {} in one); {} with no problem listed",
        problem_counts.iter().sum::<usize>(),
        problem_counts.iter().filter(|n| **n > 1).count(),
        problem_counts.iter().max().copied().unwrap_or(0),
        problem_counts.iter().filter(|n| **n == 0).count(),
    );
    if !undeliberate.is_empty() {
        let _ = writeln!(
            summary,
            "FAILED: accepted payloads changed on re-serialization beyond the deliberate deviations: {}",
            undeliberate.join(", ")
        );
    }
    let unlisted = problem_counts.contains(&0);
    if unlisted {
        let _ = writeln!(
            summary,
            "FAILED: a payload rejected when parsing has no problem listed"
        );
    }
    Report {
        summary,
        log,
        ok: broken == 0 && undeliberate.is_empty() && !unlisted,
    }
}

fn shorten(text: &str) -> String {
    let short: String = text.chars().take(160).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

const BY_DESIGN: &str = "undeclared key dropped (by design)";

/// A whole number written with a fraction (`15` -> `15.0`): a deliberate deviation of
/// `type: number` fields (see the README's shape table).
const NUMBER_FRACTION: &str = "number written differently";

/// A date-time's zero fraction of a second dropped (`.000Z` -> `Z`): the same instant, a
/// deliberate deviation of `format: date-time` fields (see the README's shape table).
const ZERO_FRACTION: &str = "zero fraction of a date-time dropped";

/// The kinds of difference an accepted payload may show and still count as round-tripping.
const DELIBERATE: [&str; 3] = [BY_DESIGN, NUMBER_FRACTION, ZERO_FRACTION];

/// `text` without a fraction of a second made of zeros only (`...:21.000-04:00` ->
/// `...:21-04:00`); anything else unchanged.
fn without_zero_fraction(text: &str) -> String {
    let Some(dot) = text.find('.') else {
        return text.to_owned();
    };
    let (head, rest) = text.split_at(dot);
    let digits = rest[1..].chars().take_while(char::is_ascii_digit).count();
    let fraction = &rest[1..1 + digits];
    if digits > 0 && fraction.chars().all(|c| c == '0') && head.contains('T') {
        format!("{head}{}", &rest[1 + digits..])
    } else {
        text.to_owned()
    }
}

/// The differences between `input` and `output`, with `candidates` the schemas that the value
/// at `path` can match.
fn differences(
    input: &Value,
    output: &Value,
    path: &mut Vec<String>,
    candidates: &[&Value],
    description: &Value,
    found: &mut Vec<Difference>,
) {
    let pointer = |path: &[String], key: Option<&str>| {
        let mut p = String::new();
        for part in path.iter().map(String::as_str).chain(key) {
            p.push('/');
            p.push_str(&part.replace('~', "~0").replace('/', "~1"));
        }
        p
    };
    let expanded = expand(candidates, description);
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(out) => {
                        let inner = step(&expanded, key);
                        path.push(key.clone());
                        differences(value, out, path, &inner, description, found);
                        path.pop();
                    }
                    None => {
                        let kept = expanded.iter().any(|s| declares(s, key));
                        found.push(Difference {
                            kind: if kept {
                                "declared key dropped"
                            } else {
                                BY_DESIGN
                            },
                            pointer: pointer(path, Some(key)),
                            detail: shorten(&value.to_string()),
                        });
                    }
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    found.push(Difference {
                        kind: if value.is_null() {
                            "key added: null"
                        } else {
                            "key added: a value"
                        },
                        pointer: pointer(path, Some(key)),
                        detail: shorten(&value.to_string()),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let key = i.to_string();
                let inner = step(&expanded, &key);
                path.push(key);
                differences(x, y, path, &inner, description, found);
                path.pop();
            }
        }
        (Value::Number(a), Value::Number(b)) if a != b => {
            let same = a.as_f64() == b.as_f64();
            found.push(Difference {
                kind: if same {
                    NUMBER_FRACTION
                } else {
                    "number changed"
                },
                pointer: pointer(path, None),
                detail: format!("{a} -> {b}"),
            });
        }
        (Value::String(a), Value::String(b)) if a != b => found.push(Difference {
            kind: if without_zero_fraction(a) == *b {
                ZERO_FRACTION
            } else {
                "string changed"
            },
            pointer: pointer(path, None),
            detail: format!("{a:?} -> {b:?}"),
        }),
        (a, b) if a != b => found.push(Difference {
            kind: "value changed",
            pointer: pointer(path, None),
            detail: format!("{} -> {}", shorten(&a.to_string()), shorten(&b.to_string())),
        }),
        _ => {}
    }
}

/// The schemas `candidates` stand for: themselves, what their `$ref` points at, and the parts
/// of their `allOf`, `oneOf` and `anyOf`, recursively.
fn expand<'a>(candidates: &[&'a Value], description: &'a Value) -> Vec<&'a Value> {
    let mut out: Vec<&Value> = Vec::new();
    let mut stack: Vec<(&Value, usize)> = candidates.iter().map(|c| (*c, 0)).collect();
    while let Some((schema, depth)) = stack.pop() {
        if depth > 32 || out.iter().any(|s| std::ptr::eq(*s, schema)) {
            continue;
        }
        out.push(schema);
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| description.pointer(p))
        {
            stack.push((target, depth + 1));
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for part in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                stack.push((part, depth + 1));
            }
        }
    }
    out
}

/// The schemas of the value under `key` (a property name or an array index).
fn step<'a>(expanded: &[&'a Value], key: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    for schema in expanded {
        if let Some(property) = schema.pointer(&format!(
            "/properties/{}",
            key.replace('~', "~0").replace('/', "~1")
        )) {
            out.push(property);
        } else if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            out.push(extra);
        }
        if let Some(patterns) = schema.get("patternProperties").and_then(Value::as_object) {
            out.extend(patterns.values());
        }
        if let Some(items) = schema.get("items").filter(|v| v.is_object()) {
            out.push(items);
        }
    }
    out
}

/// Whether `schema` declares `key` or keeps undeclared keys.
fn declares(schema: &Value, key: &str) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| p.contains_key(key))
        || schema
            .get("additionalProperties")
            .is_some_and(|v| v.is_object() || v == &Value::Bool(true))
        || schema.get("patternProperties").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(input: Value, output: Value, schema: Value) -> Vec<(&'static str, String)> {
        let description = json!({ "components": { "schemas": { "S": schema } } });
        let root = json!({ "$ref": "#/components/schemas/S" });
        let mut found = Vec::new();
        differences(
            &input,
            &output,
            &mut Vec::new(),
            &[&root],
            &description,
            &mut found,
        );
        found.into_iter().map(|d| (d.kind, d.pointer)).collect()
    }

    #[test]
    fn only_a_zero_fraction_of_a_date_time_dropped_is_deliberate() {
        let schema = json!({ "type": "object" });
        let found = diff(
            json!({"a": "2021-04-28T22:32:21.000-04:00", "b": "2021-04-28T22:32:21.5Z", "c": "v1.0"}),
            json!({"a": "2021-04-28T22:32:21-04:00", "b": "2021-04-28T22:32:21Z", "c": "v1"}),
            schema,
        );
        assert_eq!(
            found,
            [
                (ZERO_FRACTION, "/a".to_owned()),
                ("string changed", "/b".to_owned()),
                ("string changed", "/c".to_owned()),
            ]
        );
    }

    #[test]
    fn an_undeclared_key_dropped_is_by_design_and_a_declared_one_is_not() {
        let schema = json!({
            "type": "object",
            "properties": { "a": { "type": "integer" }, "b": { "type": "string" } },
            "allOf": [{ "properties": { "c": {} } }]
        });
        assert_eq!(
            diff(json!({"a": 1, "x": 2, "c": 3}), json!({"a": 1}), schema),
            [
                (BY_DESIGN, "/x".to_owned()),
                ("declared key dropped", "/c".to_owned())
            ]
        );
    }

    #[test]
    fn nested_values_are_followed_through_items_and_branches() {
        let schema = json!({
            "properties": {
                "list": { "items": { "oneOf": [
                    { "properties": { "n": { "type": "number" } } },
                    { "properties": { "s": {} } }
                ] } }
            }
        });
        assert_eq!(
            diff(
                json!({"list": [{"n": 15, "s": "x", "zz": 1}]}),
                json!({"list": [{"n": 15.0, "d": false}]}),
                schema
            ),
            [
                ("number written differently", "/list/0/n".to_owned()),
                ("declared key dropped", "/list/0/s".to_owned()),
                (BY_DESIGN, "/list/0/zz".to_owned()),
                ("key added: a value", "/list/0/d".to_owned()),
            ]
        );
    }

    #[test]
    fn a_map_keeps_its_keys() {
        let schema = json!({ "properties": { "a": {} }, "additionalProperties": true });
        assert_eq!(
            diff(json!({"a": 1, "x": 2}), json!({"a": 1}), schema),
            [("declared key dropped", "/x".to_owned())]
        );
    }

    #[test]
    fn events_are_found_by_subcategory_and_action() {
        let description = json!({ "webhooks": {
            "push": { "post": {
                "operationId": "push",
                "x-github": { "subcategory": "push" },
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/webhook-push" } } } }
            } },
            "issues-opened": { "post": {
                "operationId": "issues/opened",
                "x-github": { "subcategory": "issues" },
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/webhook-issues-opened" } } } }
            } },
            "issues-closed-by-user": { "post": {
                "operationId": "issues/closed-by-user",
                "x-github": { "subcategory": "issues" },
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/webhook-issues-closed-by-user" } } } }
            } }
        } });
        let events = events(&description);
        let examples = json!([
            { "name": "push", "examples": [{ "ref": "x" }] },
            { "name": "issues", "examples": [{ "action": "opened" }, { "action": "gone" }, { "action": "closed_by_user" }] }
        ]);
        let found: Vec<(String, Option<String>)> = payloads(&examples, &events)
            .into_iter()
            .map(|p| (p.label, p.schema))
            .collect();
        assert_eq!(
            found,
            [
                ("push#0".to_owned(), Some("webhook-push".to_owned())),
                (
                    "issues#0".to_owned(),
                    Some("webhook-issues-opened".to_owned())
                ),
                ("issues#1".to_owned(), None),
                (
                    "issues#2".to_owned(),
                    Some("webhook-issues-closed-by-user".to_owned())
                ),
            ]
        );
    }
}
