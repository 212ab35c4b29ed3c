use super::*;
use crate::diagnostic::Severity;

/// Files held in memory, by path.
struct Memory(Vec<(&'static str, &'static str)>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let wanted = display(path);
        self.0
            .iter()
            .find(|(p, _)| *p == wanted)
            .map(|(_, text)| text.as_bytes().to_vec())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }
}

fn load_memory(files: Vec<(&'static str, &'static str)>) -> (Spec, Diagnostics) {
    let input = PathBuf::from(files.first().map_or("", |f| f.0));
    let mut diagnostics = Diagnostics::new();
    let spec = load(&[input], &Memory(files), &mut diagnostics);
    (spec, diagnostics)
}

const PET: &str = "components:\n  schemas:\n    Pet:\n      type: object\n";

/// The tuple `items` of each named schema: positions, and whether the items after them
/// are free (`None`), closed (`Some(true)`) or held to a schema (`Some(false)`).
fn tuples(text: &'static str) -> (Vec<(usize, Option<bool>)>, Vec<String>) {
    let (spec, d) = load_memory(vec![("api.yaml", text)]);
    let shapes = spec
        .schemas
        .iter()
        .filter_map(|s| match &s.schema.items {
            Some(schema::Items::Tuple(t)) => {
                Some((t.positions.len(), t.rest.as_ref().map(|r| r.never)))
            }
            _ => None,
        })
        .collect();
    let messages = d
        .iter()
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect();
    (shapes, messages)
}

#[test]
fn prefix_items_take_the_items_beside_them_as_the_rest_in_either_order() {
    let (shapes, messages) = tuples(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    Closed:\n      items: false\n      prefixItems: [{type: string}, {type: integer}]\n    Rest:\n      prefixItems: [{type: string}]\n      items: {type: integer}\n    Free:\n      prefixItems: [{type: string}]\n      items: true\n",
    );
    assert_eq!(shapes, [(2, Some(true)), (1, Some(false)), (1, None)]);
    assert!(messages.is_empty(), "{messages:?}");
}

#[test]
fn a_draft_4_tuple_takes_additional_items_as_the_rest() {
    let (shapes, messages) = tuples(
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    Closed:\n      additionalItems: false\n      items: [{type: string}]\n    Rest:\n      items: [{type: string}]\n      additionalItems: {type: integer}\n    Free:\n      items: [{type: string}, {}]\n",
    );
    assert_eq!(shapes, [(1, Some(true)), (1, Some(false)), (2, None)]);
    assert!(messages.is_empty(), "{messages:?}");
}

#[test]
fn a_list_of_items_beside_prefix_items_is_reported() {
    let (shapes, messages) = tuples(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    Both:\n      prefixItems: [{type: string}]\n      items: [{type: integer}]\n",
    );
    assert_eq!(shapes, [(1, None)]);
    assert_eq!(
        messages,
        ["/components/schemas/Both/items `items` beside `prefixItems` must be one schema, not a list"]
    );
}

#[test]
fn an_unknown_openapi_version_is_read_as_3_0_with_a_warning() {
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 4.0.0\ncomponents:\n  schemas:\n    Pet:\n      type: object\n",
    )]);
    assert_eq!(spec.schemas.len(), 1);
    let messages: Vec<String> = d
        .iter()
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect();
    assert_eq!(
        messages,
        vec!["/openapi unknown OpenAPI version `4.0.0`".to_owned()]
    );
}

#[test]
fn a_reference_into_the_paths_of_a_json_document_still_resolves() {
    // `paths` is left out of the first read of a JSON document; a reference into it
    // reads the whole document.
    let (spec, d) = load_memory(vec![(
        "api.json",
        r##"{"openapi": "3.0.3",
                "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"type": "string", "maxLength": 3}}}}}}}},
                "components": {"examples": {"e": {"value": 1}}, "schemas": {
                    "Pet": {"properties": {"name": {"$ref":
                        "#/paths/~1pets/get/responses/200/content/application~1json/schema"}}}}}}"##,
    )]);
    assert!(d.is_empty(), "{d}");
    let name = &spec.schemas[0].schema.properties[0].1;
    let target = name.reference.as_ref().and_then(|r| r.target.as_ref());
    let fragment = target.and_then(|t| spec.fragments.get(t));
    assert_eq!(fragment.and_then(|f| f.limits.max_length), Some(3));
}

#[test]
fn the_parts_of_a_json_document_without_models_are_left_out_but_checked() {
    let text = r#"{"openapi": "3.0.3", "paths": {"/a": {}}, "tags": [],
            "components": {"examples": {"e": {}}, "schemas": {"A": {}}}}"#;
    let (value, skipped) = source::parse_models("api.json", text).expect("parses");
    assert!(skipped);
    assert_eq!(
        value,
        serde_json::json!({"openapi": "3.0.3", "components": {"schemas": {"A": {}}}})
    );
    let broken = r#"{"openapi": "3.0.3", "paths": {"/a": [}, "components": {}}"#;
    let error = source::parse_models("api.json", broken).expect_err("a syntax error");
    assert!(
        error.message.contains("not valid JSON"),
        "{}",
        error.message
    );
}

#[test]
fn each_version_reads_its_own_schema_location() {
    for (text, name) in [
        ("openapi: 3.0.3\n", "A"),
        ("openapi: 3.1.0\n", "B"),
        ("swagger: '2.0'\n", "C"),
    ] {
        let doc = if name == "C" {
            format!("{text}definitions:\n  {name}:\n    type: string\n")
        } else {
            format!("{text}components:\n  schemas:\n    {name}:\n      type: string\n")
        };
        let doc: &'static str = Box::leak(doc.into_boxed_str());
        let (spec, d) = load_memory(vec![("api.yaml", doc)]);
        assert!(d.is_empty(), "{d}");
        let names: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec![name]);
    }
}

#[test]
fn a_reference_into_another_file_resolves_relative_to_the_referring_file() {
    let (spec, d) = load_memory(vec![
        (
            "specs/api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Owner:\n      properties:\n        pet:\n          $ref: 'common/pets.yaml#/components/schemas/Pet'\n",
        ),
        ("specs/common/pets.yaml", PET),
    ]);
    assert!(d.is_empty(), "{d}");
    let names: Vec<&str> = spec.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["specs/api.yaml", "specs/common/pets.yaml"]);
    let owner = &spec.schemas[0].schema;
    let target = owner.properties[0]
        .1
        .reference
        .as_ref()
        .and_then(|r| r.target.clone());
    assert_eq!(
        target,
        Some(Target {
            file: FileId(1),
            pointer: "/components/schemas/Pet".into()
        })
    );
}

#[test]
fn one_file_reached_by_two_spellings_is_read_once() {
    let (spec, d) = load_memory(vec![
        (
            "api.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: './pets.yaml#/components/schemas/Pet'\n    B:\n      $ref: 'sub/../pets.yaml#/components/schemas/Pet'\n",
        ),
        ("pets.yaml", PET),
    ]);
    assert!(d.is_empty(), "{d}");
    assert_eq!(spec.files.len(), 2);
    let pets: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(pets, vec!["A", "B", "Pet"]);
}

#[test]
fn a_reference_to_a_missing_file_is_an_error_at_the_reference() {
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: 'gone.yaml#/components/schemas/X'\n",
    )]);
    let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, "api.yaml");
    assert_eq!(errors[0].pointer, "/components/schemas/A/$ref");
    assert!(
        errors[0].message.contains("gone.yaml"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_keyword_of_the_wrong_form_is_left_out_with_a_warning() {
    // Seen in published descriptions: `pattern: 0` (api.video) and a `type`
    // that is itself a schema (codat.io).
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: string\n      pattern: 0\n      maxLength: ten\n    B:\n      type:\n        type: string\n        enum: [x]\n    C: 5\n",
    )]);
    let found: Vec<(Severity, &str)> = d.iter().map(|d| (d.severity, d.pointer.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (Severity::Warning, "/components/schemas/A/pattern"),
            (Severity::Warning, "/components/schemas/A/maxLength"),
            (Severity::Warning, "/components/schemas/B/type"),
            (Severity::Warning, "/components/schemas/C"),
        ],
        "{d}"
    );
    let a = &spec.schemas[0].schema;
    assert_eq!(
        (
            a.limits.patterns.first().map(String::as_str),
            a.limits.max_length
        ),
        (None, None)
    );
    assert_eq!(spec.schemas.len(), 3);
}

fn target_of(schema: &Schema) -> Option<&str> {
    schema
        .reference
        .as_ref()
        .and_then(|r| r.target.as_ref())
        .map(|t| t.pointer.as_str())
}

#[test]
fn references_resolve_against_the_nearest_id() {
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: 'http://example.com/a/root.json'\n      properties:\n        b: {$ref: 'b.json'}\n        c: {$ref: '#/$defs/c'}\n        d: {$ref: '#d'}\n      $defs:\n        b:\n          $id: b.json\n          properties:\n            x: {$ref: '#/$defs/x'}\n          $defs:\n            x: {type: string}\n        c: {$anchor: d, type: integer}\n    E:\n      properties:\n        b: {$ref: 'http://example.com/a/b.json#/$defs/x'}\n",
    )]);
    assert!(d.is_empty(), "{d}");
    let a = &spec.schemas[0].schema;
    let targets: Vec<Option<&str>> = a.properties.iter().map(|(_, p)| target_of(p)).collect();
    assert_eq!(
        targets,
        [
            Some("/components/schemas/A/$defs/b"),
            Some("/components/schemas/A/$defs/c"),
            Some("/components/schemas/A/$defs/c"),
        ]
    );
    let b = spec
        .fragments
        .values()
        .find(|f| f.pointer.ends_with("/$defs/b"));
    let x = b
        .and_then(|b| b.properties.first())
        .and_then(|(_, x)| target_of(x));
    assert_eq!(x, Some("/components/schemas/A/$defs/b/$defs/x"));
    let e = &spec.schemas[1].schema;
    assert_eq!(
        target_of(&e.properties[0].1),
        Some("/components/schemas/A/$defs/b/$defs/x")
    );
}

#[test]
fn draft_4_ids_are_read_in_3_0_documents() {
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '#named'}\n    B:\n      id: '#named'\n      type: string\n",
    )]);
    assert!(d.is_empty(), "{d}");
    assert_eq!(
        target_of(&spec.schemas[0].schema.properties[0].1),
        Some("/components/schemas/B")
    );
}

#[test]
fn relative_ids_lead_to_files_beside_the_referring_one() {
    // `sub/` is relative to the document, so `pets.yaml` inside it is `sub/pets.yaml`.
    let (spec, d) = load_memory(vec![
        (
            "api.yaml",
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: sub/\n      properties:\n        pet: {$ref: 'pets.yaml#/components/schemas/Pet'}\n",
        ),
        ("sub/pets.yaml", PET),
    ]);
    assert!(d.is_empty(), "{d}");
    let pet = &spec.schemas[0].schema.properties[0].1;
    let file = pet
        .reference
        .as_ref()
        .and_then(|r| r.target.as_ref())
        .map(|t| t.file);
    assert_eq!(file, Some(FileId(1)));
    assert_eq!(spec.file_name(FileId(1)), "sub/pets.yaml");
}

#[test]
fn a_mapping_by_schema_name_reads_the_document_inside_an_id() {
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    Pet:\n      $id: 'https://example.com/pet'\n      oneOf: [{$ref: 'dog'}]\n      discriminator: {propertyName: kind, mapping: {dog: Dog}}\n    Dog:\n      $id: 'https://example.com/dog'\n      properties: {kind: {type: string}}\n",
    )]);
    assert!(d.is_empty(), "{d}");
    let pet = &spec.schemas[0].schema;
    assert_eq!(target_of(&pet.one_of[0]), Some("/components/schemas/Dog"));
    let mapped = pet
        .discriminator
        .as_ref()
        .and_then(|d| d.mapping.first())
        .and_then(|(_, r)| r.target.as_ref())
        .map(|t| t.pointer.as_str());
    assert_eq!(mapped, Some("/components/schemas/Dog"));
}

#[test]
fn a_misspelt_pointer_inside_a_resource_is_suggested_as_written() {
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $id: 'https://example.com/a'\n      $ref: '#/$defs/itme'\n      $defs:\n        item: {type: string}\n",
    )]);
    let hints: Vec<&str> = d.iter().filter_map(|d| d.hint.as_deref()).collect();
    assert_eq!(hints, ["did you mean `#/$defs/item`?"], "{d}");
}

#[test]
fn a_reference_to_an_unknown_anchor_is_an_error_at_the_reference() {
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      $ref: '#nowhere'\n",
    )]);
    let messages: Vec<String> = d
        .iter()
        .map(|d| format!("{}: {}", d.pointer, d.message))
        .collect();
    assert_eq!(
        messages,
        ["/components/schemas/A/$ref: `#nowhere` names no anchor of `api.yaml`"]
    );
}

#[test]
fn a_reference_to_a_missing_schema_names_it() {
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Nope'\n",
    )]);
    let messages: Vec<String> = d
        .iter()
        .map(|d| format!("{}: {}", d.pointer, d.message))
        .collect();
    assert_eq!(
        messages,
        vec![
            "/components/schemas/A/$ref: `#/components/schemas/Nope` points at nothing".to_owned()
        ]
    );
}

#[test]
fn enum_descriptions_are_read_as_a_list_or_a_map_and_the_dashed_keyword_wins() {
    use schema::{DescriptionEntries, VariantDescriptions};
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    Listed:\n      enum: [0, 1]\n      x-enumDescriptions: {'0': loses}\n      x-enum-descriptions: [Zero, One]\n    Mapped:\n      enum: [a, b]\n      x-enumDescriptions: {a: First, b: 2}\n    Wrong:\n      enum: [a]\n      x-enum-descriptions: 3\n",
    )]);
    let found: Vec<&str> = d.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        found,
        [
            "/components/schemas/Mapped/x-enumDescriptions/b",
            "/components/schemas/Wrong/x-enum-descriptions"
        ],
        "{d}"
    );
    let read: Vec<Option<&VariantDescriptions>> = spec
        .schemas
        .iter()
        .map(|s| s.schema.code.variant_descriptions.as_ref())
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        read,
        [
            Some(&VariantDescriptions {
                keyword: "x-enum-descriptions",
                entries: DescriptionEntries::InOrder(strings(&["Zero", "One"])),
            }),
            Some(&VariantDescriptions {
                keyword: "x-enumDescriptions",
                entries: DescriptionEntries::ByValue(vec![("a".to_owned(), "First".to_owned())]),
            }),
            None,
        ]
    );
}

#[test]
fn a_misspelt_keyword_is_matched_against_every_keyword_read() {
    // `unevaluatedProperties` is read, and so is suggested, as every keyword the reader
    // knows is.
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      unevaluatedPropertie: false\n      x-whatever: 1\n",
    )]);
    let found: Vec<(&str, Option<&str>)> = d
        .iter()
        .map(|d| (d.pointer.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(
            "/components/schemas/A/unevaluatedPropertie",
            Some("did you mean `unevaluatedProperties`?")
        )],
        "{d}"
    );
}

#[test]
fn a_dynamic_reference_in_a_3_0_document_is_ignored_with_a_warning_that_says_why() {
    let (spec, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $dynamicRef: '#node'\n",
    )]);
    let found: Vec<(&str, &str)> = d
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "/components/schemas/A/$dynamicRef",
            "`$dynamicRef` is read in OpenAPI 3.1 documents only and is ignored"
        )],
        "{d}"
    );
    assert!(spec.schemas[0].schema.reference.is_none());
}

#[test]
fn enum_names_and_descriptions_without_an_enum_are_ignored_with_a_warning() {
    // `allOf` may bring the `enum` the names are for, and a `const` is a one-value enum.
    let (_, d) = load_memory(vec![(
        "api.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: string\n      x-enumNames: [One]\n      x-enum-descriptions: [The one.]\n    B:\n      allOf: [{enum: [x]}]\n      x-enum-varnames: [X]\n    C:\n      const: c\n      x-enum-descriptions: [See.]\n",
    )]);
    let found: Vec<(&str, &str)> = d
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/components/schemas/A/x-enumNames",
                "`x-enumNames` has no `enum` beside it and is ignored"
            ),
            (
                "/components/schemas/A/x-enum-descriptions",
                "`x-enum-descriptions` has no `enum` beside it and is ignored"
            ),
        ],
        "{d}"
    );
}
