//! Golden tests: every schema shape in `tests/fixtures/<shape>/` generates the
//! models and docs checked in beside it, with exactly the diagnostics listed in
//! its `diagnostics.txt`; and every fixture's crate builds without warnings,
//! passes clippy, and round-trips the JSON cases of its `roundtrip.json`; with the
//! `proptest` feature, values drawn from every type's strategy validate and round-trip.
//! Each fixture's `ir.txt` holds the outline of the IR it lowers to (`ir_outline`), so that
//! a change to lowering shows in the model before it shows in the generated code.
//!
//! `UPDATE_GOLDEN=1 cargo test -p codegen --test golden` rewrites the expected files.

mod ir_outline;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = "tests/fixtures";

/// The generated files a fixture keeps as expected output.
fn is_golden(path: &str) -> bool {
    ((path.starts_with("src/models/") || path.starts_with("tests/schema_examples/"))
        && path.ends_with(".rs"))
        || (path.starts_with("docs/models/") && path.ends_with(".md"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// The fixture's schema entry point: `schema.yaml`, else `schema.json`.
fn entry(fixture: &Path) -> PathBuf {
    let yaml = fixture.join("schema.yaml");
    if yaml.exists() {
        yaml
    } else {
        fixture.join("schema.json")
    }
}

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn all_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn diagnostics_text(generation: &codegen::Generation) -> String {
    let mut out = String::new();
    for d in generation.diagnostics.iter() {
        let _ = writeln!(out, "{d}");
    }
    out
}

fn read_tree(root: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.path().is_dir() {
            read_tree(root, &rel, out);
        } else {
            out.insert(
                rel,
                std::fs::read_to_string(e.path()).expect("readable expected file"),
            );
        }
    }
}

/// The outline of the IR the fixture in `dir` lowers to: the model the crate is emitted from.
fn ir_text(dir: &Path) -> String {
    let (inputs, settings) = codegen::discover(&entry(dir)).expect("fixture settings read");
    let mut diagnostics = codegen::diagnostic::Diagnostics::new();
    let modelled = codegen::model_from(&inputs, &codegen::load::Disk, &settings, &mut diagnostics);
    ir_outline::outline(&modelled.model)
}

/// Generates `name` in memory and compares models, docs and diagnostics with
/// the checked-in expectations (or rewrites them under `UPDATE_GOLDEN=1`).
fn golden(name: &str) {
    let dir = fixture_dir(name);
    let generation = codegen::generate(&entry(&dir));
    let diagnostics = diagnostics_text(&generation);
    let actual: BTreeMap<String, String> = generation
        .files
        .iter()
        .filter(|f| is_golden(&f.path))
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect();
    // The emitter writes text, not syntax trees: every Rust file it writes must parse.
    for file in generation.files.iter().filter(|f| f.path.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(&file.contents) {
            panic!("fixture `{name}`: {} is not valid Rust: {e}", file.path);
        }
    }
    let ir = ir_text(&dir);
    let ir_file = dir.join("ir.txt");
    let expected_dir = dir.join("expected");
    let diagnostics_file = dir.join("diagnostics.txt");
    if updating() {
        std::fs::write(&ir_file, &ir).expect("write ir.txt");
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, contents) in &actual {
            let target = expected_dir.join(path);
            std::fs::create_dir_all(target.parent().expect("has a parent")).expect("create folder");
            std::fs::write(target, contents).expect("write expected file");
        }
        std::fs::write(&diagnostics_file, &diagnostics).expect("write diagnostics.txt");
        return;
    }
    let expected_diagnostics = std::fs::read_to_string(&diagnostics_file).unwrap_or_default();
    assert_eq!(
        diagnostics,
        expected_diagnostics,
        "diagnostics of fixture `{name}` differ from {} (UPDATE_GOLDEN=1 rewrites them)",
        diagnostics_file.display()
    );
    let expected_ir = std::fs::read_to_string(&ir_file).unwrap_or_default();
    if ir != expected_ir {
        let first = ir
            .lines()
            .zip(expected_ir.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| ir.lines().count().min(expected_ir.lines().count()));
        panic!(
            "fixture `{name}`: the IR differs from {} at line {}:\n  lowered:  {:?}\n  expected: {:?}\n(UPDATE_GOLDEN=1 rewrites it)",
            ir_file.display(),
            first + 1,
            ir.lines().nth(first).unwrap_or("<end of file>"),
            expected_ir.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
    let mut expected = BTreeMap::new();
    read_tree(&expected_dir, "", &mut expected);
    let actual_paths: Vec<&String> = actual.keys().collect();
    let expected_paths: Vec<&String> = expected.keys().collect();
    assert_eq!(
        actual_paths,
        expected_paths,
        "fixture `{name}` generates other files than {} holds (UPDATE_GOLDEN=1 rewrites them)",
        expected_dir.display()
    );
    for (path, contents) in &actual {
        let want = expected.get(path).map(String::as_str).unwrap_or("");
        if contents != want {
            let first = contents
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| contents.lines().count().min(want.lines().count()));
            panic!(
                "fixture `{name}`: {path} differs from the expected file at line {}:\n  generated: {:?}\n  expected:  {:?}\n(UPDATE_GOLDEN=1 rewrites expected files)",
                first + 1,
                contents.lines().nth(first).unwrap_or("<end of file>"),
                want.lines().nth(first).unwrap_or("<end of file>"),
            );
        }
    }
}

macro_rules! golden_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                golden(stringify!($name));
            }
        )*

        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

golden_tests!(
    all_of,
    all_of_contradiction,
    any_of,
    arrays,
    attributes_setting,
    base_discriminator,
    branches_beside_properties,
    contains,
    defaults_and_flags,
    dependencies,
    derives_setting,
    enums,
    formats,
    free_form,
    inline_closed_objects,
    integer_formats,
    maps,
    multi_file,
    names,
    nested_objects,
    not_if_then_else,
    nullable,
    nullable_31,
    one_of_discriminator,
    one_of_untagged,
    open_enums_setting,
    pattern_properties,
    read_write_only,
    recursive,
    ref_siblings_31,
    renames_setting,
    required_validate,
    schema_ids,
    serde_direction,
    shared_inline_shapes,
    swagger2,
    tuples,
    type_replacement,
    unevaluated,
    unsatisfiable,
    unsupported_keywords,
    vendor_mistakes,
);

#[test]
fn every_fixture_folder_has_a_golden_test() {
    let listed: Vec<String> = LISTED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        all_fixtures(),
        listed,
        "add new fixture folders to golden_tests!"
    );
}

// ---------------------------------------------------------------------------------------------
// Compile and round-trip check: one cargo workspace holding one crate per fixture.

/// One JSON case of a fixture's `roundtrip.json`.
struct Case {
    /// Test name, a sentence in snake_case.
    name: String,
    /// The Rust type, as exported at the crate root.
    ty: String,
    /// The payload.
    json: Value,
    /// `valid` (parses, validates, re-serializes to `output` or `json`),
    /// `invalid` (parses and re-serializes, `validate()` fails) or
    /// `rejected` (does not deserialize).
    expect: String,
    /// The serialization when it differs from `json` (defaults filled in).
    output: Option<Value>,
    /// Substrings the `Debug` form must contain (which variant, which `Option` layer).
    debug: Vec<String>,
    /// For `rejected`: a substring the deserialization error must contain. For
    /// `invalid`: a substring of one violation written `"pointer" keyword: message`.
    error: Option<String>,
}

fn read_cases(dir: &Path) -> Vec<Case> {
    let path = dir.join("roundtrip.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    let cases: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not a JSON array of cases: {e}", path.display()));
    cases
        .into_iter()
        .map(|c| {
            let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            let case = Case {
                name: text("name")
                    .unwrap_or_else(|| panic!("{}: a case has no `name`", path.display())),
                ty: text("type")
                    .unwrap_or_else(|| panic!("{}: a case has no `type`", path.display())),
                json: c
                    .get("json")
                    .cloned()
                    .unwrap_or_else(|| panic!("{}: a case has no `json`", path.display())),
                expect: text("expect").unwrap_or_else(|| "valid".to_owned()),
                output: c.get("output").cloned(),
                debug: c
                    .get("debug")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                error: text("error"),
            };
            assert!(
                matches!(case.expect.as_str(), "valid" | "invalid" | "rejected"),
                "{}: case `{}` expects `{}`; use valid, invalid or rejected",
                path.display(),
                case.name,
                case.expect
            );
            case
        })
        .collect()
}

const CHECK_FN: &str = r#"
fn check<T>(json: &str, expect: &str, output: Option<&str>, debug: &[&str], error: Option<&str>)
where
    T: serde::Serialize + std::fmt::Debug + Diagnose,
{
    let parsed: Result<T, _> = serde_json::from_str(json);
    if expect == "rejected" {
        match (&parsed, error) {
            (Err(e), Some(part)) => {
                // serde's own message, or the one `validation::from_str` gives in the schema's words.
                let explained = fixture::validation::from_str::<T>(json).err().map(|e| e.to_string()).unwrap_or_default();
                assert!(e.to_string().contains(part) || explained.contains(part), "neither {e} nor {explained} contains {part}");
            }
            (Err(_), None) => {}
            (Ok(_), _) => panic!("expected {json} to be rejected, got {parsed:?}"),
        }
        return;
    }
    let value = parsed.unwrap_or_else(|e| panic!("{json} does not deserialize: {e}"));
    let shown = format!("{value:?}");
    for part in debug {
        assert!(shown.contains(part), "{shown} does not contain {part}");
    }
    let again = serde_json::to_value(&value).expect("serializes");
    let want: serde_json::Value = serde_json::from_str(output.unwrap_or(json)).expect("valid JSON");
    assert_eq!(again, want, "re-serialized JSON differs");
    let result = value.validate();
    match expect {
        "valid" => assert!(result.is_ok(), "expected valid: {result:?}"),
        _ => {
            let errors = result.err().unwrap_or_else(|| panic!("expected a validation error for {json}"));
            let shown: Vec<String> = errors
                .into_iter()
                .map(|v| format!("{:?} {}: {}", v.pointer, v.keyword, v.message))
                .collect();
            if let Some(part) = error {
                assert!(shown.iter().any(|v| v.contains(part)), "{shown:?} has no {part}");
            }
        }
    }
}
"#;

fn roundtrip_source(lib: &str, cases: &[Case]) -> String {
    let mut out = format!(
        "// Written by codegen/tests/golden.rs from the fixture's roundtrip.json.\n\
         #![allow(deprecated)]\n\
         use {lib} as fixture;\n\
         use fixture::validation::Diagnose;\n",
    );
    out.push_str(CHECK_FN);
    for c in cases {
        let json = serde_json::to_string(&c.json).expect("serializable");
        let output = match &c.output {
            Some(o) => format!(
                "Some({:?})",
                serde_json::to_string(o).expect("serializable")
            ),
            None => "None".to_owned(),
        };
        let _ = write!(
            out,
            "\n#[test]\nfn {}() {{\n    check::<fixture::{}>({:?}, {:?}, {}, &{:?}, {:?});\n}}\n",
            c.name, c.ty, json, c.expect, output, c.debug, c.error
        );
    }
    out
}

/// The fixture crate's property test: with the `proptest` feature, values drawn from every
/// type's strategy validate and read back from their JSON unchanged.
fn strategies_source(lib: &str) -> String {
    format!(
        "// Written by codegen/tests/golden.rs.\n\
         #![cfg(feature = \"proptest\")]\n\
         \n\
         /// 64 values a type; `PROPTEST_CASES` overrides.\n\
         #[test]\n\
         fn every_type_generates_values_that_validate_and_round_trip() {{\n    \
             let failures = {lib}::arbitrary::check_every_model(64);\n    \
             assert!(failures.is_empty(), \"{{}}\", failures.join(\"\\n\\n\"));\n\
         }}\n"
    )
}

/// Copies the files under `from` (when it exists) to the same places under `to`.
fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for e in entries.flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy a hand-written file");
        }
    }
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Builds every fixture's full crate in one workspace, denies warnings, runs
/// clippy and rustdoc, and runs the round-trip cases. The nested build has its own target
/// folder under `CARGO_TARGET_TMPDIR`; set `GOLDEN_SKIP_BUILD=1` to skip it.
#[test]
fn fixture_crates_build_cleanly_and_round_trip_their_json_cases() {
    if std::env::var_os("GOLDEN_SKIP_BUILD").is_some() {
        eprintln!("GOLDEN_SKIP_BUILD is set; not building the fixture crates");
        return;
    }
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-crates");
    let mut members = Vec::new();
    // Each fixture's model features, from its manifest's `all-models`.
    let mut model_features: Vec<(String, Vec<String>)> = Vec::new();
    for name in all_fixtures() {
        let dir = fixture_dir(&name);
        let generation = codegen::generate(&entry(&dir));
        if generation.files.is_empty() {
            // An error fixture: nothing to build.
            assert!(
                generation.diagnostics.has_errors(),
                "fixture `{name}` generated nothing without an error"
            );
            continue;
        }
        let out = root.join(&name);
        // Distinct library names keep rustdoc's output apart.
        let lib = format!("fixture_{name}");
        let files: Vec<codegen::emit::File> = generation
            .files
            .into_iter()
            .map(|mut f| {
                if f.path == "Cargo.toml" {
                    model_features.push((name.clone(), all_models(&f.contents)));
                    let package = format!("name = \"fixture-{}\"", name.replace('_', "-"));
                    let mut renamed = false;
                    let lines: Vec<String> = f
                        .contents
                        .lines()
                        .map(|l| {
                            if !renamed && l.starts_with("name = ") {
                                renamed = true;
                                package.clone()
                            } else {
                                l.to_owned()
                            }
                        })
                        .collect();
                    let contents = lines.join("\n");
                    f.contents = if contents.contains("\n[lib]\n") {
                        contents.replace("\n[lib]\n", &format!("\n[lib]\nname = \"{lib}\"\n"))
                    } else {
                        format!("{contents}\n\n[lib]\nname = \"{lib}\"\n")
                    };
                } else if f.path == "tests/schema_examples/main.rs" {
                    // The example tests import the library by the name it now has.
                    f.contents = f
                        .contents
                        .lines()
                        .map(|l| match l.strip_suffix("::{models, validation};") {
                            Some(_) if l.starts_with("use ") => {
                                format!("use {lib}::{{models, validation}};")
                            }
                            _ => l.to_owned(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                        + "\n";
                }
                f
            })
            .collect();
        codegen::output::write(&out, &files)
            .unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
        // Hand-written files of the crate (`src/replaced.rs`, a crate of replacing types).
        copy_tree(&dir.join("crate"), &out);
        let tests = out.join("tests");
        std::fs::create_dir_all(&tests).expect("tests folder");
        std::fs::write(
            tests.join("roundtrip.rs"),
            roundtrip_source(&lib, &read_cases(&dir)),
        )
        .expect("write roundtrip.rs");
        std::fs::write(tests.join("strategies.rs"), strategies_source(&lib))
            .expect("write strategies.rs");
        members.push(name);
    }
    let manifest = format!(
        // No debug info: the fixture crates' test binaries would otherwise take gigabytes.
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write workspace manifest");
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        // Start from the main lock file so the nested build picks versions already cached.
        let _ = std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
            &lock,
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target");
    let base = |args: &[&str]| {
        let mut c = Command::new(&cargo);
        c.args(args)
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            // Each fixture crate is built once per run: incremental caches would only cost disk.
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_MAKEFLAGS");
        c
    };
    // With the `proptest` feature, so that every type's strategy is exercised too.
    let (ok, log) = run(&mut base(&[
        "test",
        "--workspace",
        "--all-features",
        "--quiet",
        "--no-fail-fast",
    ]));
    assert!(
        ok,
        "fixture crates fail to build, round-trip or generate valid values:\n{log}"
    );
    for features in [None, Some("--all-features")] {
        let mut args = vec!["clippy", "--workspace", "--all-targets", "--quiet"];
        args.extend(features);
        args.extend(["--", "-D", "warnings"]);
        let (ok, log) = run(&mut base(&args));
        assert!(
            ok,
            "clippy ({features:?}) finds problems in fixture crates:\n{log}"
        );
    }
    let (ok, log) =
        run(base(&["doc", "--workspace", "--no-deps", "--quiet"])
            .env("RUSTDOCFLAGS", "-D warnings"));
    assert!(ok, "rustdoc finds problems in fixture crates:\n{log}");
    // Every model feature builds on its own, warnings denied, with and without the
    // strategies: round `k` checks the `k`-th feature of every fixture that has one, and
    // round 0 none at all.
    let rounds = model_features
        .iter()
        .map(|(_, f)| f.len())
        .max()
        .unwrap_or(0);
    for k in 0..=rounds {
        let mut args: Vec<String> = ["clippy", "--no-default-features", "--quiet"]
            .map(str::to_owned)
            .to_vec();
        let mut checked = Vec::new();
        for (name, features) in &model_features {
            let package = format!("fixture-{}", name.replace('_', "-"));
            let feature = match k.checked_sub(1) {
                None => None,
                Some(i) => match features.get(i) {
                    Some(f) => Some(f),
                    None => continue,
                },
            };
            args.extend(["-p".to_owned(), package.clone()]);
            if let Some(f) = feature {
                args.extend([
                    "--features".to_owned(),
                    format!("{package}/{f},{package}/proptest"),
                ]);
                checked.push(format!("{package}/{f}"));
            }
        }
        args.extend(["--", "-D", "warnings"].map(str::to_owned));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, log) = run(&mut base(&args));
        assert!(
            ok,
            "a model feature does not build on its own (round {k}: {}):\n{log}",
            if checked.is_empty() {
                "no features".to_owned()
            } else {
                checked.join(", ")
            }
        );
    }
}

/// The features `all-models` turns on in a generated manifest.
fn all_models(manifest: &str) -> Vec<String> {
    let Some(start) = manifest.find("\nall-models = [") else {
        return Vec::new();
    };
    let rest = &manifest[start + "\nall-models = [".len()..];
    let end = rest.find(']').unwrap_or(rest.len());
    rest[..end]
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}
