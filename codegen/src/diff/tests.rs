//! Classification of each kind of change, from two small documents held in memory.

use super::*;
use std::path::Path;

struct Memory(String);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == Path::new("api.yaml") {
            Ok(self.0.clone().into_bytes())
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
}

/// A document whose `components/schemas` is `schemas` (YAML, indented by 4).
fn model(schemas: &str, settings: &Settings) -> Model {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
    );
    let lowered = lower(&[PathBuf::from("api.yaml")], &Memory(text), settings);
    assert!(!lowered.diagnostics.has_errors(), "{}", lowered.report());
    lowered.model
}

fn diff(old: &str, new: &str) -> Report {
    compare(
        &model(old, &Settings::default()),
        &model(new, &Settings::default()),
    )
}

/// The (severity, kind, path) of every change.
fn kinds(report: &Report) -> Vec<(Severity, ChangeKind, &str)> {
    report
        .changes
        .iter()
        .map(|c| (c.severity, c.kind, c.path.as_str()))
        .collect()
}

const PET: &str = "    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32}
";

#[test]
fn identical_versions_have_no_change() {
    let report = diff(PET, PET);
    assert!(report.changes.is_empty(), "{report:?}");
    assert!(!report.is_breaking());
}

#[test]
fn a_removed_type_is_major_and_an_added_type_minor() {
    let report = diff(
        PET,
        "    Animal:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32}
",
    );
    assert_eq!(
        kinds(&report),
        vec![
            (Severity::Major, ChangeKind::TypeRemoved, "Pet"),
            (Severity::Minor, ChangeKind::TypeAdded, "Animal"),
        ]
    );
    // Same fields, same types: the hint suggests a rename both ways.
    assert!(report.changes[0]
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("`Animal`")));
    assert!(report.changes[1]
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("`Pet`")));
}

#[test]
fn optional_field_added_is_minor_required_field_added_is_major() {
    let report = diff(
        PET,
        "    Pet:
      type: object
      required: [name, id]
      properties:
        name: {type: string}
        age: {type: integer, format: int32}
        id: {type: string}
        tag: {type: string}
",
    );
    assert_eq!(
        kinds(&report),
        vec![
            (Severity::Major, ChangeKind::FieldAdded, "Pet.id"),
            (Severity::Minor, ChangeKind::FieldAdded, "Pet.tag"),
        ]
    );
}

#[test]
fn required_and_optional_flips_are_major_with_the_field_types() {
    let report = diff(
        PET,
        "    Pet:
      type: object
      required: [age]
      properties:
        name: {type: string}
        age: {type: integer, format: int32}
",
    );
    assert_eq!(
        kinds(&report),
        vec![
            (Severity::Major, ChangeKind::BecameOptional, "Pet.name"),
            (Severity::Major, ChangeKind::BecameRequired, "Pet.age"),
        ]
    );
    assert_eq!(report.changes[0].before.as_deref(), Some("String"));
    assert_eq!(report.changes[0].after.as_deref(), Some("Option<String>"));
}

#[test]
fn widening_an_integer_is_a_type_change() {
    let report = diff(
        PET,
        "    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int64}
",
    );
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::TypeChanged, "Pet.age")]
    );
    assert_eq!(report.changes[0].before.as_deref(), Some("i32"));
    assert_eq!(report.changes[0].after.as_deref(), Some("i64"));
}

#[test]
fn tightened_constraints_are_major_loosened_minor() {
    let old = "    Name:
      type: string
      minLength: 1
      maxLength: 10
";
    let new = "    Name:
      type: string
      minLength: 2
      maxLength: 20
";
    assert_eq!(
        kinds(&diff(old, new)),
        vec![
            (Severity::Major, ChangeKind::ConstraintTightened, "Name"),
            (Severity::Minor, ChangeKind::ConstraintLoosened, "Name"),
        ]
    );
}

#[test]
fn constraints_inside_array_items_are_reported_at_the_items() {
    let old = "    Tags:
      type: array
      items: {type: string, maxLength: 5}
";
    let new = "    Tags:
      type: array
      maxItems: 3
      items: {type: string, maxLength: 3}
";
    assert_eq!(
        kinds(&diff(old, new)),
        vec![
            (Severity::Major, ChangeKind::ConstraintTightened, "Tags[]"),
            (Severity::Major, ChangeKind::ConstraintTightened, "Tags"),
        ]
    );
}

const STATUS: &str = "    Status:
      type: string
      enum: [active, gone]
";

#[test]
fn variant_added_to_a_closed_enum_is_major_to_an_open_one_minor() {
    let closed = diff(
        STATUS,
        "    Status:
      type: string
      enum: [active, gone, paused]
",
    );
    assert_eq!(
        kinds(&closed),
        vec![(Severity::Major, ChangeKind::VariantAdded, "Status::Paused")]
    );
    let open = diff(
        "    Status:
      type: string
      x-open-enum: true
      enum: [active, gone]
",
        "    Status:
      type: string
      x-open-enum: true
      enum: [active, gone, paused]
",
    );
    assert_eq!(
        kinds(&open),
        vec![(Severity::Minor, ChangeKind::VariantAdded, "Status::Paused")]
    );
}

#[test]
fn variant_removed_is_major() {
    let report = diff(
        STATUS,
        "    Status:
      type: string
      enum: [active]
",
    );
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::VariantRemoved, "Status::Gone")]
    );
}

#[test]
fn string_to_enum_is_a_type_change() {
    let old = "    Pet:
      type: object
      properties:
        kind: {type: string}
";
    let new = "    Pet:
      type: object
      properties:
        kind: {type: string, enum: [cat, dog]}
";
    let report = diff(old, new);
    assert_eq!(
        kinds(&report),
        vec![
            (Severity::Major, ChangeKind::TypeChanged, "Pet.kind"),
            (Severity::Minor, ChangeKind::TypeAdded, "PetKind"),
        ]
    );
    assert_eq!(report.changes[0].after.as_deref(), Some("PetKind"));
}

#[test]
fn nullable_flips_are_major() {
    let old = "    Pet:
      type: object
      properties:
        name: {type: string}
";
    let new = "    Pet:
      type: object
      properties:
        name: {type: string, nullable: true}
";
    let report = diff(old, new);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::BecameNullable, "Pet.name")]
    );
    assert_eq!(
        report.changes[0].after.as_deref(),
        Some("Option<Option<String>>")
    );
    assert_eq!(
        kinds(&diff(new, old)),
        vec![(Severity::Major, ChangeKind::NoLongerNullable, "Pet.name")]
    );
}

#[test]
fn docs_changes_are_one_patch_per_type_and_deprecation_minor() {
    let old = "    Pet:
      type: object
      description: A pet.
      properties:
        name: {type: string, description: Its name.}
";
    let new = "    Pet:
      type: object
      description: A pet in the store.
      properties:
        name: {type: string, description: What it answers to., deprecated: true}
";
    let report = diff(old, new);
    assert_eq!(
        kinds(&report),
        vec![
            (Severity::Minor, ChangeKind::DeprecationChanged, "Pet.name"),
            (Severity::Patch, ChangeKind::DocsChanged, "Pet"),
        ]
    );
    assert!(report.changes[1].summary.contains("`Pet`, `Pet.name`"));
}

#[test]
fn groups_come_most_severe_first_then_by_name() {
    let old = "    A:
      type: string
      description: one
    B:
      type: string
    C:
      type: string
";
    let new = "    A:
      type: string
      description: two
    B:
      type: string
      maxLength: 3
    C:
      type: string
      minLength: 0
      maxLength: 9
    D:
      type: string
";
    let report = diff(old, new);
    let groups: Vec<&str> = report
        .changes
        .iter()
        .map(|c| c.type_name.as_str())
        .collect();
    assert_eq!(groups, vec!["B", "C", "D", "A"]);
}

#[test]
fn open_enums_setting_is_honoured() {
    let open = Settings {
        open_enums: true,
        ..Settings::default()
    };
    let report = compare(&model(STATUS, &Settings::default()), &model(STATUS, &open));
    assert_eq!(
        kinds(&report),
        vec![(Severity::Minor, ChangeKind::ConstraintLoosened, "Status")]
    );
}

#[test]
fn json_has_stable_keys_and_counts() {
    let report = diff(
        STATUS,
        "    Status:\n      type: string\n      enum: [active]\n",
    );
    let value: serde_json::Value = serde_json::from_str(&report.json()).expect("valid JSON");
    assert_eq!(value["summary"]["major"], 1);
    assert_eq!(value["breaking"], true);
    let keys: Vec<&str> = value["changes"][0]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec!["severity", "kind", "type", "path", "summary", "reason", "before", "after", "hint"]
    );
    assert_eq!(value["changes"][0]["kind"], "variant-removed");
}

#[test]
fn the_settings_patches_apply_as_they_do_when_generating() {
    // A patch that removes `age` from both versions leaves nothing to report about it.
    let patched = Settings {
        patches: vec![crate::settings::Patch {
            file: None,
            pointer: "/components/schemas/Pet/properties/age".to_owned(),
            change: crate::settings::Change::Remove,
            reason: None,
            origin: None,
        }],
        ..Settings::default()
    };
    let wider = PET.replace("format: int32", "format: int64");
    let unpatched = diff(PET, &wider);
    assert_eq!(unpatched.changes.len(), 1, "{unpatched:?}");
    let report = compare(&model(PET, &patched), &model(&wider, &patched));
    assert!(report.changes.is_empty(), "{report:?}");
}

#[test]
fn a_serde_trait_dropped_is_major_and_one_gained_minor() {
    let write_only = PET.replacen(
        "Pet:\n",
        "Pet:\n      x-rust-serde: {deserialize: false}\n",
        1,
    );
    let report = diff(PET, &write_only);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::SerdeChanged, "Pet")]
    );
    assert!(report.is_breaking());
    assert!(report.changes[0].summary.contains("`Deserialize`"));
    let read_only = Settings {
        rust: crate::settings::RustSettings {
            serialize: Some(false),
            ..Default::default()
        },
        ..Settings::default()
    };
    let report = compare(&model(PET, &read_only), &model(PET, &Settings::default()));
    assert_eq!(
        kinds(&report),
        vec![(Severity::Minor, ChangeKind::SerdeChanged, "Pet")]
    );
    assert!(report.changes[0]
        .summary
        .contains("now implements `Serialize`"));
}

#[test]
fn a_property_becoming_read_only_or_write_only_is_major_and_the_reverse_minor() {
    let read_only = PET.replace(
        "name: {type: string}",
        "name: {type: string, readOnly: true}",
    );
    let report = diff(PET, &read_only);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::AccessChanged, "Pet.name")]
    );
    assert!(report.changes[0].summary.contains("became read-only"));
    assert!(report.changes[0].reason.contains("`validate_request()`"));
    // `name` is required: read-only, it is held as an `Option`; dropping that is major too.
    assert!(report.changes[0].reason.contains("held as an `Option`"));
    let report = diff(&read_only, PET);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::AccessChanged, "Pet.name")]
    );
    let write_only = PET.replace(
        "age: {type: integer, format: int32}",
        "age: {type: integer, format: int32, writeOnly: true}",
    );
    let report = diff(PET, &write_only);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Major, ChangeKind::AccessChanged, "Pet.age")]
    );
    assert!(report.changes[0].reason.contains("`validate_response()`"));
    let report = diff(&write_only, PET);
    assert_eq!(
        kinds(&report),
        vec![(Severity::Minor, ChangeKind::AccessChanged, "Pet.age")]
    );
    assert!(report.changes[0].summary.contains("no longer write-only"));
}

#[test]
fn tuple_positions_and_the_items_after_them_are_compared_where_they_are() {
    let old = "    Pair:
      type: array
      items: [{type: string}, {type: integer, maximum: 9}]
      additionalItems: false
      minItems: 2
    Open:
      type: array
      items: [{type: string}]
      additionalItems: {type: integer, minimum: 0}
";
    let new = old
        .replace("maximum: 9", "maximum: 5")
        .replace("minimum: 0}", "minimum: 1}");
    let report = diff(old, &new);
    assert_eq!(
        kinds(&report),
        [
            (Severity::Major, ChangeKind::ConstraintTightened, "Open[]"),
            (Severity::Major, ChangeKind::ConstraintTightened, "Pair.1"),
        ]
    );
}
