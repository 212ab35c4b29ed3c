//! What the settings and the `x-rust-*` extensions give by hand: a name that collides is an
//! error naming both sides, a name or attribute Rust cannot take is an error, a settings
//! table for something the schema does not have is an error with the nearest name, a
//! derive that cannot hold is left out with a warning, and a serde direction turned off where
//! a type that keeps it needs it stays on, with a warning.

use codegen::diagnostic::{Diagnostics, Severity};
use codegen::load::FileSource;
use codegen::settings::Settings;
use codegen::Generation;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Memory(BTreeMap<PathBuf, Vec<u8>>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// Generates from an OpenAPI document whose `components/schemas` are `schemas` (YAML,
/// indented by six spaces), with the settings `toml`.
fn generate(schemas: &str, toml: &str) -> Generation {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Given, version: \"1\"}}\ncomponents:\n  schemas:\n{schemas}"
    );
    let path = PathBuf::from("api.yaml");
    let files = Memory(BTreeMap::from([(path.clone(), text.into_bytes())]));
    let settings = Settings::parse("codegen.toml", toml).expect("valid settings");
    codegen::generate_from(&[path], &files, &settings, Diagnostics::new())
}

/// The messages of the diagnostics of `severity`, with their hints.
fn said(g: &Generation, severity: Severity) -> Vec<String> {
    g.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| format!("{} [{}]", d.message, d.hint.as_deref().unwrap_or("")))
        .collect()
}

fn assert_error(g: &Generation, parts: &[&str]) {
    let errors = said(g, Severity::Error);
    assert!(
        errors.iter().any(|e| parts.iter().all(|p| e.contains(p))),
        "no error saying {parts:?}; errors: {errors:#?}"
    );
    assert!(g.files.is_empty(), "a failed run writes no files");
}

fn source<'g>(g: &'g Generation, path: &str) -> &'g str {
    g.files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("{path} is not generated: {}", g.diagnostics))
}

const TWO: &str = "    A:\n      type: object\n      properties: {a: {type: string}, b: {type: string}}\n    B:\n      type: string\n      enum: [x, y]\n";

#[test]
fn two_schemas_given_one_type_name_is_an_error_naming_both() {
    let g = generate(
        "    A:\n      x-rust-name: Same\n      type: string\n    B:\n      type: integer\n",
        "[models.B]\nname = \"Same\"\n",
    );
    assert_error(&g, &["`A`", "`B`", "`Same`"]);
}

#[test]
fn a_type_name_that_takes_another_schemas_name_is_an_error_naming_both() {
    let g = generate(TWO, "[models.A]\nname = \"B\"\n");
    assert_error(
        &g,
        &["the schemas `B` and `A` would both be the Rust type `B`"],
    );
}

#[test]
fn a_field_name_that_takes_another_fields_name_is_an_error_naming_both() {
    let g = generate(TWO, "[models.A]\nfields = { a = \"b\" }\n");
    assert_error(
        &g,
        &["the properties `b` and `a` would both be the field `b`"],
    );
}

#[test]
fn a_variant_name_that_takes_another_variants_name_is_an_error_naming_both() {
    let g = generate(TWO, "[models.B]\nvariants = { x = \"Y\" }\n");
    assert_error(
        &g,
        &["the value \"y\" and the value \"x\" would both be the variant `Y`"],
    );
    let open = "    B:\n      type: string\n      enum: [x]\n      x-open-enum: true\n      x-enum-varnames: [Other]\n";
    assert_error(&generate(open, ""), &["`Other`"]);
}

#[test]
fn names_rust_cannot_take_are_errors() {
    let g = generate(TWO, "[models.A]\nname = \"not a name\"\n");
    assert_error(
        &g,
        &["`not a name` is not an UpperCamelCase Rust identifier"],
    );
    let g = generate(TWO, "[models.A]\nfields = { a = \"self\" }\n");
    assert_error(&g, &["`self` is not a snake_case Rust field name", "`a`"]);
    let g = generate(TWO, "[models.B]\nvariants = { x = \"lower\" }\n");
    assert_error(&g, &["`lower`", "value \"x\""]);
}

#[test]
fn settings_for_what_the_schema_lacks_are_errors_with_the_nearest_name() {
    let pet = "    Pet:\n      type: object\n      properties: {name: {type: string}}\n    Kind:\n      type: string\n      enum: [dog, cat]\n";
    let g = generate(pet, "[models.Pte]\nname = \"Z\"\n");
    assert_error(
        &g,
        &[
            "`[models.Pte]` names no schema",
            "did you mean `[models.Pet]`?",
        ],
    );
    let g = generate(pet, "[models.Pet]\nfields = { nmae = \"z\" }\n");
    assert_error(
        &g,
        &[
            "names `nmae`, which is not a property of `Pet`",
            "did you mean `name`?",
        ],
    );
    let g = generate(pet, "[models.Kind]\nvariants = { dgo = \"Z\" }\n");
    assert_error(
        &g,
        &[
            "names `dgo`, which is not an enum value of `Kind`",
            "did you mean `dog`?",
        ],
    );
}

#[test]
fn unknown_settings_keys_are_errors_that_name_the_right_one() {
    for (text, near) in [
        ("[rust]\nderive = [\"Hash\"]\n", "derives"),
        ("[rust]\nfield-visibilty = \"pub\"\n", "field-visibility"),
        ("[models.A]\nnmae = \"B\"\n", "name"),
        ("[models.A]\nfield-atrs = {}\n", "field-attrs"),
        ("[rust]\nfield-visibility = \"pub(crat)\"\n", "pub(crate)"),
        ("[rust]\nserialise = false\n", "serialize"),
        ("[models.A]\ndeserialise = false\n", "deserialize"),
    ] {
        let d = Settings::parse("codegen.toml", text).expect_err(text);
        assert_eq!(
            d.hint.as_deref(),
            Some(format!("did you mean `{near}`?").as_str()),
            "{text}: {d}"
        );
    }
}

#[test]
fn attributes_not_written_as_attributes_are_errors() {
    let g = generate(
        "    A:\n      type: object\n      x-rust-attrs: ['doc(alias = \"b\")']\n      properties: {a: {type: string}}\n",
        "",
    );
    assert_error(&g, &["`doc(alias = \"b\")`", "is not written as one"]);
}

#[test]
fn the_settings_attributes_replace_the_extensions_and_follow_the_derive() {
    let schemas = "    A:\n      type: object\n      x-rust-attrs: ['#[doc(alias = \"from_schema\")]']\n      properties:\n        a:\n          type: string\n          x-rust-attrs: ['#[doc(alias = \"field_schema\")]']\n        b: {type: string}\n";
    let g = generate(schemas, "");
    let a = source(&g, "src/models/a.rs");
    assert!(a.contains("#[doc(alias = \"from_schema\")]"), "{a}");
    assert!(
        a.contains("#[doc(alias = \"field_schema\")]\n    pub a:"),
        "{a}"
    );
    let toml = "[models.A]\nattrs = ['#[doc(alias = \"from_settings\")]']\nfield-attrs = { b = ['#[doc(alias = \"b2\")]'] }\n";
    let g = generate(schemas, toml);
    let a = source(&g, "src/models/a.rs");
    assert!(!a.contains("from_schema"), "{a}");
    let derive = a.find("#[derive(").expect("a derive");
    let attr = a
        .find("#[doc(alias = \"from_settings\")]")
        .expect("the settings' attribute");
    assert!(derive < attr, "{a}");
    assert!(
        a.contains("#[doc(alias = \"field_schema\")]\n    pub a:"),
        "{a}"
    );
    assert!(a.contains("#[doc(alias = \"b2\")]\n    pub b:"), "{a}");
}

#[test]
fn a_derive_that_cannot_hold_is_left_out_with_a_warning_naming_why() {
    let schemas = "    A:\n      type: object\n      properties:\n        n: {type: number}\n    B:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/A'}\n        s: {type: string}\n    C:\n      type: object\n      properties:\n        s: {type: string}\n";
    let g = generate(
        schemas,
        "[rust]\nderives = [\"Hash\", \"schemars::JsonSchema\"]\n",
    );
    let warnings = said(&g, Severity::Warning);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`A` does not derive `Hash`: its field `n` holds `f64`")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains(
            "`B` does not derive `Hash`: its field `a` holds `A`, which does not derive `Hash`"
        )),
        "{warnings:#?}"
    );
    let a = source(&g, "src/models/a.rs");
    assert!(
        a.contains("#[derive(Debug, Clone, PartialEq, schemars::JsonSchema, serde::Serialize"),
        "{a}"
    );
    let c = source(&g, "src/models/c.rs");
    assert!(
        c.contains("PartialEq, Eq, Hash, schemars::JsonSchema, serde::Serialize"),
        "{c}"
    );
}

#[test]
fn eq_is_derived_wherever_every_value_held_has_it() {
    let schemas = "    A:\n      type: object\n      properties:\n        n: {type: number}\n    B:\n      type: object\n      properties:\n        v: {}\n        list: {type: array, items: {$ref: '#/components/schemas/B'}}\n";
    let g = generate(schemas, "");
    assert!(said(&g, Severity::Warning).is_empty(), "{}", g.diagnostics);
    assert!(!source(&g, "src/models/a.rs").contains(" Eq,"));
    assert!(source(&g, "src/models/b.rs").contains("PartialEq, Eq, serde::Serialize"));
}

#[test]
fn non_exhaustive_and_field_visibility_apply_to_every_type_unless_one_says_otherwise() {
    let toml = "[rust]\nnon-exhaustive = true\nfield-visibility = \"pub(crate)\"\n\n[models.B]\nnon-exhaustive = false\n";
    let g = generate(TWO, toml);
    let a = source(&g, "src/models/a.rs");
    assert!(a.contains("#[non_exhaustive]"), "{a}");
    assert!(a.contains("    pub(crate) a: Option<String>,"), "{a}");
    assert!(!source(&g, "src/models/b.rs").contains("#[non_exhaustive]"));
}

const HOLDER: &str = "    Owner:\n      type: object\n      properties:\n        pet: {$ref: '#/components/schemas/Pet'}\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n        tag: {type: string, default: a}\n";

#[test]
fn a_type_that_does_not_deserialize_has_no_deserialize_code() {
    let g = generate(HOLDER, "[rust]\ndeserialize = false\n");
    assert!(said(&g, Severity::Warning).is_empty(), "{}", g.diagnostics);
    let pet = source(&g, "src/models/pet.rs");
    assert!(
        pet.contains("#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]\npub struct Pet"),
        "{pet}"
    );
    for reading in [
        "Deserialize",
        "deserialize_with",
        "serde(default",
        "remote",
        "ObjectOnly",
    ] {
        assert!(!pet.contains(reading), "{reading} in {pet}");
    }
    assert!(pet.contains("skip_serializing_if"), "{pet}");
    // No example of it is parsed in a test.
    let with_example = format!("{HOLDER}      example: {{name: rex}}\n");
    let g = generate(&with_example, "");
    let tests = "tests/schema_examples/pet.rs";
    assert!(source(&g, tests).contains("fn pet_example()"));
    let g = generate(&with_example, "[rust]\ndeserialize = false\n");
    assert!(!g.files.iter().any(|f| f.path == tests), "{tests} written");
}

#[test]
fn the_library_has_unit_tests_only_when_asked_for() {
    let with_example = format!("{HOLDER}      example: {{name: rex}}\n");
    let g = generate(&with_example, "");
    let manifest = source(&g, "Cargo.toml");
    assert!(manifest.ends_with("[lib]\ntest = false\n"), "{manifest}");
    let main = source(&g, "tests/schema_examples/main.rs");
    assert!(main.contains("mod pet;"), "{main}");
    let g = generate(&with_example, "[rust]\nlibrary-tests = true\n");
    let manifest = source(&g, "Cargo.toml");
    assert!(!manifest.contains("[lib]"), "{manifest}");
}

#[test]
fn a_model_named_main_keeps_the_example_tests_root() {
    let g = generate("    Main:\n      type: string\n      example: x\n", "");
    let root = source(&g, "tests/schema_examples/main.rs");
    assert!(
        root.contains("#[path = \"model_main.rs\"]\nmod main;"),
        "{root}"
    );
    let tests = source(&g, "tests/schema_examples/model_main.rs");
    assert!(tests.contains("fn main_example()"), "{tests}");
}

#[test]
fn keywords_beside_a_union_are_checked() {
    // Without a discriminator, `not` is merged into each branch; beside one, each branch
    // checks it as an `anyOf` of one. Neither is reported as unchecked.
    let branches =
        "      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]\n";
    let schemas = format!(
        "    A: {{type: object, properties: {{a: {{type: string}}}}, required: [a]}}\n    \
         B: {{type: object, properties: {{b: {{type: string}}}}, required: [b]}}\n    \
         Untagged:\n{branches}      not: {{required: [c]}}\n    \
         Tagged:\n{branches}      discriminator: {{propertyName: a}}\n      \
         not: {{required: [c]}}\n"
    );
    let g = generate(&schemas, "");
    assert!(g.diagnostics.is_empty(), "{}", g.diagnostics);
    for file in ["src/models/untagged.rs", "src/models/tagged.rs"] {
        let code = source(&g, file);
        assert!(code.contains("crate::validation::not("), "{code}");
    }
}

#[test]
fn a_type_that_does_not_serialize_has_no_serialize_code() {
    let g = generate(HOLDER, "[rust]\nserialize = false\n");
    let pet = source(&g, "src/models/pet.rs");
    assert!(!pet.contains("Serialize"), "{pet}");
    assert!(!pet.contains("skip_serializing_if"), "{pet}");
    assert!(
        pet.contains("impl<'de> serde::Deserialize<'de> for Pet"),
        "{pet}"
    );
    let g = generate(HOLDER, "[rust]\nserialize = false\ndeserialize = false\n");
    let pet = source(&g, "src/models/pet.rs");
    assert!(!pet.contains("serde"), "{pet}");
}

#[test]
fn a_direction_turned_off_where_a_holder_needs_it_stays_on_with_a_warning_naming_the_holder() {
    let g = generate(HOLDER, "[models.Pet]\ndeserialize = false\n");
    let warnings = said(&g, Severity::Warning);
    assert!(
        warnings.iter().any(|w| w.contains(
            "`Pet` keeps `Deserialize`: `Owner.pet` holds it and deserializes"
        )),
        "{warnings:#?}"
    );
    assert!(source(&g, "src/models/pet.rs").contains("serde::Deserialize"));
    // Turned off for every type, the holder asking for it takes it back without a word.
    let g = generate(
        HOLDER,
        "[rust]\nserialize = false\n\n[models.Owner]\nserialize = true\n",
    );
    assert!(said(&g, Severity::Warning).is_empty(), "{}", g.diagnostics);
    assert!(source(&g, "src/models/pet.rs").contains("serde::Serialize"));
}

#[test]
fn x_rust_serde_chooses_per_schema_and_the_settings_win() {
    let schemas = HOLDER.replace(
        "    Pet:\n",
        "    Pet:\n      x-rust-serde: {serialize: false, deserialize: false}\n",
    );
    let schemas = schemas.replace(
        "    Owner:\n",
        "    Owner:\n      x-rust-serde: {serialize: false, deserialize: false}\n",
    );
    let g = generate(&schemas, "");
    assert!(!source(&g, "src/models/pet.rs").contains("serde"));
    let g = generate(&schemas, "[models.Pet]\nserialize = true\n");
    let pet = source(&g, "src/models/pet.rs");
    assert!(pet.contains("serde::Serialize"), "{pet}");
    assert!(!pet.contains("Deserialize"), "{pet}");
}

#[test]
fn x_rust_serde_on_a_property_without_a_type_of_its_own_is_a_warning() {
    let g = generate(
        "    A:\n      type: object\n      properties:\n        a: {type: string, x-rust-serde: {serialize: false}}\n        b:\n          type: object\n          x-rust-serde: {serialize: false}\n          properties: {c: {type: string}}\n",
        "",
    );
    let warnings = said(&g, Severity::Warning);
    let ignored: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("`x-rust-serde` applies to a schema that becomes a type of its own"))
        .collect();
    // `a` is a `String`, so its extension is ignored; `b` is an inline struct of its own, to
    // which the extension applies (and which keeps `Serialize`, since `A` holds it).
    assert_eq!(ignored.len(), 1, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`Ab` keeps `Serialize`")),
        "{warnings:#?}"
    );
}

#[test]
fn a_misspelt_x_rust_serde_key_is_a_warning_naming_the_right_one() {
    let g = generate(
        "    A:\n      type: object\n      x-rust-serde: {serialise: false}\n      properties: {a: {type: string}}\n",
        "",
    );
    let warnings = said(&g, Severity::Warning);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`x-rust-serde` has no field `serialise`")
                && w.contains("did you mean `serialize`?")),
        "{warnings:#?}"
    );
    assert!(source(&g, "src/models/a.rs").contains("serde::Serialize"));
}
