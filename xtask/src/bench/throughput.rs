//! Validation throughput of the generated GitHub crate: a release binary, written into the
//! bench workspace, that times deserialization, `validate()` and the `jsonschema` crate on
//! GitHub's own examples.

use super::{row, verdict, Row, PAYLOADS, UNION_PAYLOADS};
use crate::corpus;
use std::path::Path;
use std::process::Command;

/// The validation bench: a binary comparing deserialization alone,
/// deserialization + `validate()`, and the `jsonschema` crate.
pub fn write_bench_crate(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = "# Written by `cargo xtask bench`.\n[package]\nname = \"bench-validate\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ncorpus-github = { path = \"../bench-crate\" }\nserde = \"1\"\nserde_json = \"1\"\njsonschema = { version = \"0.61\", default-features = false }\n";
    let mut arms = String::new();
    for name in PAYLOADS {
        let ty = rust_type_name(name);
        arms.push_str(&format!(
            "        \"{name}\" => measure::<corpus_github::{ty}>(name, &text, filled, &schemas, budget),\n"
        ));
    }
    let main = BENCH_MAIN.replace("//ARMS", &arms);
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())?;
    Ok(())
}

/// `full-repository` -> `FullRepository`, as the generator names types.
fn rust_type_name(schema: &str) -> String {
    schema
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

const BENCH_MAIN: &str = r##"//! Written by `cargo xtask bench`: validation throughput.
//!
//! For every payload: nanoseconds per object of seven ways to handle the same JSON text,
//! timed interleaved (one batch of each per round) and taken from the fastest round: other
//! processes on the machine only ever add time, to whichever mode runs when they do.
//! (`validate()` comes with the `Diagnose` bound: `Validate` is its supertrait.)
use serde_json::Value;
use std::time::Instant;

/// OpenAPI 3.0 `nullable: true` as JSON Schema: `type` gains `null`.
fn to_json_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            map.remove("nullable");
            for (_, x) in map.iter_mut() {
                to_json_schema(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

/// The schema `schema` points to, following `$ref`s into `spec`.
fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
                Some(target) => schema = target,
                None => break,
            },
            None => break,
        }
    }
    schema
}

/// A stand-in for a property the example leaves out: the schema's own `example`, `default` or
/// first `enum` value, else a value of its type and format.
fn stand_in(spec: &Value, schema: &Value, filled: &mut usize, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    let branch = ["allOf", "oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(*k).and_then(|b| b.get(0)));
    let mut value = if let Some(v) = schema.get("example").or_else(|| schema.get("default")) {
        v.clone()
    } else if let Some(v) = schema.get("enum").and_then(|e| e.get(0)) {
        v.clone()
    } else if let (None, Some(b)) = (schema.get("type"), branch) {
        stand_in(spec, b, filled, depth + 1)
    } else {
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Value::String(
                match schema.get("format").and_then(Value::as_str) {
                    Some("date-time") => "2011-01-26T19:01:12Z",
                    Some("date") => "2011-01-26",
                    Some("uri") => "https://api.github.com/",
                    Some("email") => "octocat@github.com",
                    _ => "example",
                }
                .to_owned(),
            ),
            Some("integer") | Some("number") => serde_json::json!(1),
            Some("boolean") => Value::Bool(false),
            Some("array") => serde_json::json!([]),
            Some("object") => serde_json::json!({}),
            _ => Value::Null,
        }
    };
    complete(spec, &mut value, schema, filled, depth + 1);
    value
}

/// GitHub's examples leave out some properties their schemas require (`full-repository`
/// lacks `has_discussions`): fills each in with a stand-in, counting them in `filled`.
fn complete(spec: &Value, value: &mut Value, schema: &Value, filled: &mut usize, depth: usize) {
    if depth > 40 {
        return;
    }
    let schema = resolve(spec, schema);
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for branch in all {
            complete(spec, value, branch, filled, depth + 1);
        }
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties");
            if let Some(Value::Array(required)) = schema.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(name) {
                        let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
                        *filled += 1;
                        let v = stand_in(spec, property, filled, depth + 1);
                        map.insert(name.to_owned(), v);
                    }
                }
            }
            for (name, v) in map.iter_mut() {
                if let Some(property) = properties.and_then(|p| p.get(name.as_str())) {
                    complete(spec, v, property, filled, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for v in items {
                    complete(spec, v, item, filled, depth + 1);
                }
            }
        }
        _ => {}
    }
}

const ROUNDS: usize = 25;

/// Nanoseconds per call of each mode in its fastest round; each round runs every mode `iters`
/// times.
fn time(iters: usize, modes: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(ROUNDS); modes.len()];
    for mode in modes.iter_mut() {
        mode(); // warm-up
    }
    for _ in 0..ROUNDS {
        for (mode, out) in modes.iter_mut().zip(samples.iter_mut()) {
            let t = Instant::now();
            for _ in 0..iters {
                mode();
            }
            out.push(t.elapsed().as_nanos() as f64 / iters as f64);
        }
    }
    samples
        .into_iter()
        .map(|v| v.into_iter().fold(f64::INFINITY, f64::min))
        .collect()
}

fn measure<T: corpus_github::validation::Diagnose>(
    name: &str,
    text: &str,
    filled: usize,
    schemas: &Value,
    budget: f64,
) {
    let mut root = schemas.clone();
    root["$ref"] = Value::String(format!("#/components/schemas/{name}"));
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&root)
    {
        Ok(v) => v,
        Err(e) => {
            println!("{name} jsonschema-error {e}");
            return;
        }
    };
    let parsed: T = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            println!("{name} deserialize-error {e}");
            return;
        }
    };
    let ours = parsed.validate().err().map_or(0, |e| e.len());
    let value: Value = serde_json::from_str(text).unwrap();
    let theirs = validator.iter_errors(&value).count();
    let iters = ((budget * 1e6 / text.len() as f64) as usize).clamp(10, 100_000);
    let mut plain = || {
        let v: T = serde_json::from_str(text).unwrap();
        std::hint::black_box(v);
    };
    let mut checked = || {
        let v: T = serde_json::from_str(text).unwrap();
        let r = v.validate().is_ok();
        std::hint::black_box((v, r));
    };
    let mut one_call = || {
        let r = corpus_github::validation::from_str::<T>(text);
        std::hint::black_box(r.is_ok());
        drop(std::hint::black_box(r));
    };
    let mut validate_only = || {
        let r = std::hint::black_box(&parsed).validate();
        drop(std::hint::black_box(r));
    };
    let mut js_all = || {
        let v: Value = serde_json::from_str(text).unwrap();
        let n = validator.iter_errors(&v).count();
        std::hint::black_box((v, n));
    };
    let mut js_valid = || {
        let v: Value = serde_json::from_str(text).unwrap();
        let ok = validator.is_valid(&v);
        std::hint::black_box((v, ok));
    };
    let mut value_only = || {
        let v: Value = serde_json::from_str(text).unwrap();
        std::hint::black_box(v);
    };
    let ns = time(
        iters,
        &mut [
            &mut plain,
            &mut checked,
            &mut one_call,
            &mut validate_only,
            &mut js_all,
            &mut js_valid,
            &mut value_only,
        ],
    );
    let ns: Vec<String> = ns.iter().map(|n| format!("{n:.0}")).collect();
    println!("{name} {} {filled} {ours} {theirs} {}", text.len(), ns.join(" "));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let spec: Value = serde_json::from_slice(&std::fs::read(&args[1]).unwrap()).unwrap();
    // Megabytes of JSON per mode and round; the batch size follows from the payload size.
    let budget: f64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(6.0);
    let mut schemas = serde_json::json!({ "components": { "schemas": spec["components"]["schemas"].clone() } });
    to_json_schema(&mut schemas);
    for name in &args[3..] {
        let Some(example) = spec["components"]["examples"][name.as_str()].get("value") else {
            println!("{name} no-example");
            continue;
        };
        let mut example = example.clone();
        let mut filled = 0;
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        complete(&spec, &mut example, &schema, &mut filled, 0);
        let text = serde_json::to_string(&example).unwrap();
        match name.as_str() {
//ARMS
            _ => println!("{name} unknown"),
        }
    }
}
"##;

pub fn throughput(ws: &Path, spec: &Path, rows: &mut Vec<Row>) {
    let logs = corpus::root().join("logs");
    let (ok, _, text) = corpus::cargo(
        ws,
        &["build", "--release", "-p", "bench-validate"],
        &logs.join("bench-validate-build.log"),
    );
    if !ok {
        eprintln!(
            "building the validation bench failed:\n{}",
            text.lines()
                .filter(|l| l.starts_with("error"))
                .take(10)
                .collect::<Vec<_>>()
                .join("\n")
        );
        return;
    }
    let exe = ws.join("target/release/bench-validate");
    let out = Command::new(exe).arg(spec).arg("6").args(PAYLOADS).output();
    let Ok(out) = out else {
        eprintln!("running the validation bench failed");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::write(logs.join("bench-validate.out"), stdout.as_bytes());
    let mut table = String::from(
        "| model | bytes | deserialize | deserialize + validate | `validation::from_str` | `validate()` alone | jsonschema, all errors | jsonschema, `is_valid` | parse to `Value` alone | validate overhead | vs jsonschema (all errors / `is_valid`) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let (mut worst_overhead, mut worst_union_overhead, mut worst_speedup) =
        (f64::MIN, f64::MIN, f64::MAX);
    let (mut measured, mut measured_unions) = (0, 0);
    let mut totals = [0.0; 7];
    for line in stdout.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok());
        let ns: Option<Vec<f64>> = (5..12).map(num).collect();
        let (Some(bytes), Some(filled), Some(ours), Some(theirs), Some(ns), true) =
            (num(1), num(2), num(3), num(4), ns, f.len() == 12)
        else {
            row(
                rows,
                format!("payload {}", f.first().unwrap_or(&"?")),
                line.to_owned(),
                "not measured",
            );
            continue;
        };
        // ns per object: plain, checked, from_str, validate alone, jsonschema all, is_valid, Value.
        let rate = |ns: f64| {
            format!(
                "{:.0} MB/s, {:.0} k/s",
                bytes / ns.max(1e-9) * 1e3,
                1e6 / ns.max(1e-9)
            )
        };
        let overhead = (ns[1] / ns[0].max(1e-9) - 1.0) * 100.0;
        let (vs_all, vs_valid) = (ns[4] / ns[1].max(1e-9), ns[5] / ns[1].max(1e-9));
        if UNION_PAYLOADS.contains(&f[0]) {
            worst_union_overhead = worst_union_overhead.max(overhead);
            measured_unions += 1;
        } else {
            worst_overhead = worst_overhead.max(overhead);
            measured += 1;
        }
        worst_speedup = worst_speedup.min(vs_all.min(vs_valid));
        for (total, ns) in totals.iter_mut().zip(&ns) {
            *total += ns;
        }
        let mut note = String::new();
        if filled > 0.0 {
            note.push_str(&format!(" ({filled} required filled in)"));
        }
        if ours > 0.0 || theirs > 0.0 {
            note.push_str(&format!(
                " ({ours} violation(s) here, {theirs} in jsonschema)"
            ));
        }
        table.push_str(&format!(
            "| `{}`{note} | {bytes} | {} | {} | {} | {} | {} | {} | {} | {overhead:+.0}% | {vs_all:.1}x / {vs_valid:.1}x |\n",
            f[0],
            rate(ns[0]),
            rate(ns[1]),
            rate(ns[2]),
            rate(ns[3]),
            rate(ns[4]),
            rate(ns[5]),
            rate(ns[6]),
        ));
    }
    println!("\nValidation throughput (fastest of 25 interleaved rounds of about 6 MB per mode; k/s = thousand objects per second):\n");
    println!("{table}");
    if measured > 0 {
        row(
            rows,
            format!("validation throughput, {measured} payloads without unions: worst validate overhead over deserialize"),
            format!("{worst_overhead:+.0}%"),
            format!("<= +10%: {}", verdict(worst_overhead <= 10.0)),
        );
    }
    if measured_unions > 0 {
        row(
            rows,
            format!(
                "validation throughput, {measured_unions} union-heavy payloads ({}): worst validate overhead over deserialize",
                UNION_PAYLOADS.join(", ")
            ),
            format!("{worst_union_overhead:+.0}%"),
            format!("<= +25%: {}", verdict(worst_union_overhead <= 25.0)),
        );
    }
    let measured = measured + measured_unions;
    if measured > 0 {
        row(
            rows,
            format!("validation throughput, {measured} payloads: lowest speedup of deserialize + validate over jsonschema"),
            format!("{worst_speedup:.1}x"),
            format!(">= 5x: {}", verdict(worst_speedup >= 5.0)),
        );
        let overhead = (totals[1] / totals[0].max(1e-9) - 1.0) * 100.0;
        let speedup = totals[4].min(totals[5]) / totals[1].max(1e-9);
        row(
            rows,
            format!("validation throughput, one object of each of the {measured} payloads in turn"),
            format!("validate {overhead:+.0}%; {speedup:.1}x jsonschema"),
            format!(
                "<= +25%: {}; >= 5x: {}",
                verdict(overhead <= 25.0),
                verdict(speedup >= 5.0)
            ),
        );
    }
}
