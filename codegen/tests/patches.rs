//! `[[patch]]` tables in `codegen.toml`: a correction to a schema document is
//! applied before its schemas are read, reported as a note where it applied,
//! and reported as no longer needed (at the patch) once it changes nothing.
//!
//! The fixture is `tests/patches/`: `api.yaml` with a misspelt type, and a
//! `codegen.toml` whose first three patches apply and last three do not.

use codegen::diagnostic::{Diagnostic, Diagnostics, Location, Severity};
use codegen::load::FileSource;
use codegen::output::{self, Outcome};
use codegen::settings::Settings;
use codegen::Generation;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/patches";

fn find<'g>(g: &'g Generation, pointer: &str, says: &str) -> &'g Diagnostic {
    g.diagnostics
        .iter()
        .find(|d| d.pointer == pointer && d.message.contains(says))
        .unwrap_or_else(|| panic!("nothing at `{pointer}` saying `{says}`:\n{}", g.report()))
}

fn model(g: &Generation) -> &str {
    g.files
        .iter()
        .find(|f| f.path == "src/models/pet.rs")
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no pet.rs:\n{}", g.report()))
}

#[test]
fn patches_apply_before_the_schemas_are_read_and_each_is_reported_where_it_applied() {
    let g = codegen::generate(Path::new(FIXTURE));
    // Unpatched, `type: strnig` is an error; patched, the run succeeds.
    assert!(!g.diagnostics.has_errors(), "{}", g.report());
    let pet = model(&g);
    assert!(pet.contains("pub nickname: Option<String>"), "{pet}");
    assert!(pet.contains("pub age: Option<i64>"), "{pet}");
    assert!(
        !pet.contains("legacy"),
        "the removed property is gone: {pet}"
    );

    let schema = "tests/patches/api.yaml";
    let replaced = find(
        &g,
        "/components/schemas/Pet/properties/nickname",
        "patch applied",
    );
    assert_eq!(replaced.severity, Severity::Note);
    assert_eq!(replaced.file, schema);
    assert_eq!(
        replaced.message,
        "patch applied: value replaced (the vendor misspells `string`)"
    );
    assert_eq!(
        replaced.hint.as_deref(),
        Some("by the `[[patch]]` at tests/patches/codegen.toml:3:1")
    );
    let removed = find(
        &g,
        "/components/schemas/Pet/properties/legacy",
        "value removed",
    );
    assert_eq!(removed.severity, Severity::Note);
    let added = find(&g, "/components/schemas/Pet/properties/age", "value added");
    assert_eq!(added.severity, Severity::Note);

    // The report shows each note at the node in the schema file; an added
    // node, which the file lacks, at its parent.
    let report = g.report();
    assert!(
        report.contains("note: patch applied: value replaced"),
        "{report}"
    );
    assert!(report.contains("tests/patches/api.yaml:13:9"), "{report}");
    assert!(report.contains("tests/patches/api.yaml:15:9"), "{report}");
    assert!(report.contains("tests/patches/api.yaml:10:7"), "{report}");
}

#[test]
fn a_patch_that_changes_nothing_is_reported_as_no_longer_needed_at_the_patch() {
    let g = codegen::generate(Path::new(FIXTURE));
    let settings = "tests/patches/codegen.toml";
    for (index, line, says) in [
        (
            3,
            16,
            "`/components/schemas/Pet/properties/name/type` in `tests/patches/api.yaml` already has the patched value",
        ),
        (4, 21, "`/components/schemas/Cat` in `tests/patches/api.yaml` is already gone"),
        (5, 25, "no schema file read ends with `common.yaml`"),
    ] {
        let d = find(&g, &format!("/patch/{index}"), "patch no longer needed");
        assert_eq!(d.severity, Severity::Warning, "{d}");
        assert_eq!(d.file, settings, "{d}");
        assert_eq!(d.location, Some(Location { line, column: 1 }), "{d}");
        assert!(d.message.contains(says), "{d}");
        assert_eq!(d.hint.as_deref(), Some("remove this `[[patch]]`"), "{d}");
    }
    let report = g.report();
    assert!(
        report.contains("--> tests/patches/codegen.toml:16:1"),
        "{report}"
    );
    assert!(
        report.ends_with("0 error(s), 3 warning(s), 3 note(s)\n"),
        "{report}"
    );
}

/// Files held in memory.
struct Memory(BTreeMap<PathBuf, String>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(path)
            .map(|t| t.clone().into_bytes())
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

fn generate_in_memory(files: &[(&str, &str)], settings: &str) -> Generation {
    let settings = Settings::parse("codegen.toml", settings).expect("valid settings");
    let memory = Memory(
        files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect(),
    );
    let inputs: Vec<PathBuf> = files
        .iter()
        .filter(|(p, _)| !p.starts_with("common"))
        .map(|(p, _)| PathBuf::from(p))
        .collect();
    codegen::generate_from(&inputs, &memory, &settings, Diagnostics::new())
}

#[test]
fn applied_patches_are_notes_that_do_not_fail_a_run_with_warnings_denied() {
    let g = generate_in_memory(
        &[(
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Pet:\n      type: strnig\n",
        )],
        "[[patch]]\npointer = \"/components/schemas/Pet/type\"\nvalue = \"string\"\n",
    );
    assert!(!g.failed(true), "{}", g.report());
    assert_eq!(g.report().lines().last(), Some("1 note(s)"));
}

#[test]
fn a_patch_can_reach_into_a_referenced_file_and_into_the_parts_of_a_json_document_read_last() {
    // `paths` of a JSON document is left out of its first read; a patch there
    // makes it read whole, and the patch survives a later read for a reference.
    let api = r##"{"openapi": "3.0.3",
        "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "strnig"}}}}}}}},
        "components": {"schemas": {
            "Pet": {"properties": {
                "tag": {"$ref": "#/paths/~1pets/get/responses/200/content/application~1json/schema"},
                "owner": {"$ref": "common/people.yaml#/components/schemas/Owner"}}}}}}"##;
    let people = "components:\n  schemas:\n    Owner:\n      type: object\n      properties:\n        id:\n          type: integr\n";
    let settings = r#"
[[patch]]
file = "api.json"
pointer = "/paths/~1pets/get/responses/200/content/application~1json/schema/type"
value = "string"

[[patch]]
file = "common/people.yaml"
pointer = "/components/schemas/Owner/properties/id/type"
value = "integer"
"#;
    let g = generate_in_memory(
        &[("api.json", api), ("common/people.yaml", people)],
        settings,
    );
    assert!(!g.diagnostics.has_errors(), "{}", g.report());
    let notes: Vec<(&str, &str)> = g
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.pointer.as_str()))
        .collect();
    assert_eq!(
        notes,
        vec![
            (
                "api.json",
                "/paths/~1pets/get/responses/200/content/application~1json/schema/type"
            ),
            (
                "common/people.yaml",
                "/components/schemas/Owner/properties/id/type"
            ),
        ],
        "{}",
        g.report()
    );
}

#[test]
fn with_several_schema_files_a_patch_must_name_its_file() {
    let g = generate_in_memory(
        &[
            (
                "a.yaml",
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    A: {}\n",
            ),
            (
                "b.yaml",
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    B: {}\n",
            ),
        ],
        "\n[[patch]]\npointer = \"/components/schemas/A\"\nremove = true\n",
    );
    let d = g
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap_or_else(|| panic!("an error:\n{}", g.report()));
    assert_eq!(
        (d.file.as_str(), d.location),
        ("codegen.toml", Some(Location { line: 2, column: 1 }))
    );
    assert!(d.message.contains("does not say which schema file"), "{d}");
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("file = ")),
        "{d}"
    );
}

#[test]
fn regenerate_writes_the_patched_crate_and_a_changed_patch_regenerates_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schemas = dir.path().join("schemas");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&schemas).expect("mkdir");
    let api = "openapi: 3.0.3\ncomponents:\n  schemas:\n    Pet:\n      properties:\n        name:\n          type: strnig\n";
    std::fs::write(schemas.join("api.yaml"), api).expect("write");
    let patch = |ty: &str| {
        format!("[[patch]]\npointer = \"/components/schemas/Pet/properties/name/type\"\nvalue = \"{ty}\"\n")
    };
    std::fs::write(schemas.join("codegen.toml"), patch("string")).expect("write");
    let options = output::Options {
        stamp: Some(dir.path().join("stamp")),
        force: false,
        deny_warnings: true,
    };
    let run = output::regenerate(&schemas, &out, &options);
    assert!(matches!(run.outcome, Outcome::Written(_)), "{}", run.report);
    assert!(run.report.contains("note: patch applied"), "{}", run.report);
    let pet = std::fs::read_to_string(out.join("src/models/pet.rs")).expect("pet.rs");
    assert!(pet.contains("Option<String>"), "{pet}");

    let again = output::regenerate(&schemas, &out, &options);
    assert!(
        matches!(again.outcome, Outcome::UpToDate(_)),
        "{}",
        again.report
    );

    std::fs::write(schemas.join("codegen.toml"), patch("integer")).expect("write");
    let changed = output::regenerate(&schemas, &out, &options);
    assert!(
        matches!(changed.outcome, Outcome::Written(_)),
        "{}",
        changed.report
    );
    let pet = std::fs::read_to_string(out.join("src/models/pet.rs")).expect("pet.rs");
    assert!(pet.contains("Option<i64>"), "{pet}");
}
