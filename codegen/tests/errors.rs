//! Bad input: every problem is reported with its file, line:column, JSON
//! Pointer, what is wrong and, where there is one, a hint; all problems of a
//! run come together; and a failed run produces no files.
//!
//! The fixtures are in `tests/bad_input/`. That a failed run leaves an output
//! folder untouched is tested on the built command, in `xtask/tests/cli.rs`.

use codegen::diagnostic::{Diagnostic, Diagnostics, Severity};
use codegen::load::FileSource;
use codegen::settings::Settings;
use codegen::Generation;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BAD_INPUT: &str = "tests/bad_input";

fn generate(fixture: &str) -> Generation {
    codegen::generate(&Path::new(BAD_INPUT).join(fixture))
}

/// What one diagnostic must say.
struct Expected<'a> {
    severity: Severity,
    /// The file, as shown (relative to the package).
    file: &'a str,
    pointer: &'a str,
    /// Where the rendered report points, when the problem has a place.
    line_column: Option<(usize, usize)>,
    message: &'a str,
    hint: Option<&'a str>,
}

fn error<'a>(file: &'a str, pointer: &'a str, message: &'a str) -> Expected<'a> {
    Expected {
        severity: Severity::Error,
        file,
        pointer,
        line_column: None,
        message,
        hint: None,
    }
}

impl<'a> Expected<'a> {
    fn at(mut self, line: usize, column: usize) -> Self {
        self.line_column = Some((line, column));
        self
    }

    fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

/// Asserts that `generation` has a diagnostic as `expected`, and that the
/// rendered report shows it with its file, line:column, pointer and hint.
fn assert_reported(generation: &Generation, expected: Expected<'_>) -> Diagnostic {
    let all = generation.diagnostics.to_string();
    let found = generation
        .diagnostics
        .iter()
        .find(|d| d.pointer == expected.pointer && d.message.contains(expected.message))
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic at `{}` saying `{}`; got:\n{all}",
                expected.pointer, expected.message
            )
        });
    assert_eq!(found.severity, expected.severity, "{found}");
    assert_eq!(found.file, expected.file, "{found}");
    if let Some(hint) = expected.hint {
        let has = found.hint.as_deref().is_some_and(|h| h.contains(hint));
        assert!(has, "expected the hint `{hint}`: {found}");
    }
    // The rendered report: one block per diagnostic, separated by a blank line.
    let report = generation.report();
    let fragment = format!("at #{}", expected.pointer);
    let block = report
        .split("\n\n")
        .find(|b| b.contains(expected.message) && b.contains(&fragment))
        .unwrap_or_else(|| panic!("the report does not show `{fragment}`:\n{report}"));
    let place = match expected.line_column {
        Some((line, column)) => format!("{}:{line}:{column}", expected.file),
        None => expected.file.to_owned(),
    };
    assert!(block.contains(&place), "expected `{place}` in:\n{block}");
    if let Some(hint) = expected.hint {
        assert!(block.contains(hint), "expected the hint in:\n{block}");
    }
    if expected.line_column.is_some() {
        assert!(
            block.contains('^'),
            "expected a caret under the source:\n{block}"
        );
    }
    found.clone()
}

fn assert_failed(generation: &Generation) {
    assert!(generation.failed(false), "{}", generation.report());
    assert!(
        generation.files.is_empty(),
        "a failed run produces no files"
    );
}

#[test]
fn malformed_yaml_is_located_at_the_syntax_error() {
    let g = generate("malformed_yaml.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/malformed_yaml.yaml";
    let pointer = "/components/schemas/Pet/properties/0";
    assert_reported(&g, error(file, pointer, "not valid YAML").at(9, 10));
}

#[test]
fn malformed_json_is_read_strictly_and_located() {
    // `{"type": "object",}` is valid YAML, but not JSON.
    let g = generate("malformed_json.json");
    assert_failed(&g);
    let file = "tests/bad_input/malformed_json.json";
    let pointer = "/components/schemas/Pet";
    let expected = error(file, pointer, "trailing comma")
        .at(5, 32)
        .hint("remove the comma");
    assert_reported(&g, expected);
}

#[test]
fn an_empty_file_is_an_error_naming_the_file() {
    let g = generate("empty.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/empty.yaml";
    let expected = error(file, "", "the file is empty").hint("components/schemas");
    assert_reported(&g, expected);
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_the_bad_byte() {
    let g = generate("not_utf8.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/not_utf8.yaml";
    let pointer = "/components/schemas/Pet/description";
    let expected = error(file, pointer, "not UTF-8")
        .at(5, 24)
        .hint("save the file as UTF-8");
    assert_reported(&g, expected);
}

#[test]
fn an_api_description_without_schemas_has_no_models_and_says_so() {
    let g = generate("no_schemas.yaml");
    assert!(!g.failed(false), "{}", g.report());
    // With nothing to re-export, the re-export would be an unused import.
    let lib = file_text(&g, "src/lib.rs");
    assert!(!lib.contains("pub use models::*;"), "{lib}");
    assert!(lib.contains("pub use validation::{Validate"), "{lib}");
    let file = "tests/bad_input/no_schemas.yaml";
    let expected = error(file, "", "there are no models to generate")
        .warning()
        .at(1, 1)
        .hint("inline schemas of operations are not read");
    assert_reported(&g, expected);
}

#[test]
fn a_document_that_is_no_api_description_and_has_no_schemas_is_an_error() {
    let g = generate_text("not_openapi.yaml", "info:\n  title: Pets\n".to_owned());
    assert_failed(&g);
    let expected = error(
        "not_openapi.yaml",
        "",
        "no `components/schemas` or `definitions`",
    )
    .at(1, 1)
    .hint("components: schemas:");
    assert_reported(&g, expected);
}

#[test]
fn a_misspelt_type_suggests_the_right_one() {
    let g = generate("unknown_type.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/unknown_type.yaml";
    let pointer = "/components/schemas/Pet/properties/name/type";
    let expected = error(file, pointer, "unknown type `strnig`")
        .at(8, 17)
        .hint("did you mean `string`?");
    assert_reported(&g, expected);
}

#[test]
fn a_reference_to_a_missing_schema_suggests_adding_it() {
    let g = generate("missing_schema_ref.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/missing_schema_ref.yaml";
    let pointer = "/components/schemas/Pet/properties/owner/$ref";
    let expected = error(file, pointer, "points at nothing")
        .at(8, 17)
        .hint("add `Owner` to components/schemas");
    assert_reported(&g, expected);
}

#[test]
fn a_reference_to_a_missing_file_names_the_file_and_the_reference() {
    let g = generate("missing_file_ref.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/missing_file_ref.yaml";
    let pointer = "/components/schemas/Pet/properties/owner/$ref";
    let expected = error(file, pointer, "cannot read `tests/bad_input/people.yaml`")
        .at(8, 17)
        .hint("relative to the referring file");
    assert_reported(&g, expected);
}

#[test]
fn references_with_bad_pointers_are_each_reported() {
    let g = generate("bad_pointer_ref.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/bad_pointer_ref.yaml";
    let no_slash = error(
        file,
        "/components/schemas/Pet/properties/owner/$ref",
        "does not hold a JSON Pointer after `#`",
    )
    .at(10, 17)
    .hint("#/components/schemas/Name");
    assert_reported(&g, no_slash);
    let nowhere = error(
        file,
        "/components/schemas/Pet/properties/nickname/$ref",
        "`#/components/schemas/Pet/properties/nick` points at nothing",
    )
    .at(12, 17)
    .hint("add `nick` to components/schemas/Pet/properties");
    assert_reported(&g, nowhere);
}

#[test]
fn references_that_ids_and_anchors_do_not_resolve_are_each_reported() {
    let g = generate("unresolvable_ids.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/unresolvable_ids.yaml";
    let anchor = error(
        file,
        "/components/schemas/Catalog/properties/featured/$ref",
        "`#featurd` names no anchor of `https://example.com/catalog.json`",
    )
    .at(8, 17)
    .hint("did you mean `#featured`?");
    assert_reported(&g, anchor);
    // Relative to the `$id`, `item.json` is a URI no schema of the document declares.
    let remote = error(
        file,
        "/components/schemas/Catalog/properties/item/$ref",
        "remote reference `item.json` is not supported",
    )
    .at(10, 17)
    .hint("`$id: https://example.com/item.json`");
    assert_reported(&g, remote);
    // `Generic` alone means its own `element`; through `Numbers`, a number.
    let dynamic = error(
        file,
        "/components/schemas/Generic/items/$dynamicRef",
        "`#element` leads to different schemas depending on the way in",
    )
    .at(17, 22)
    .hint("refer to the schema meant with `$ref`");
    assert_reported(&g, dynamic);
}

#[test]
fn a_schema_merging_itself_through_all_of_is_an_error() {
    let g = generate("allof_self_cycle.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/allof_self_cycle.yaml";
    let pointer = "/components/schemas/A/allOf/0/$ref";
    let expected = error(file, pointer, "loops back into its own `allOf`")
        .at(6, 17)
        .hint("break the cycle");
    assert_reported(&g, expected);
}

#[test]
fn all_of_parts_nesting_past_the_depth_limit_are_an_error_not_a_shorter_merge() {
    // Each level merges the next through `$ref`: past the limit, the deeper parts were left
    // out of the struct without a word.
    let g = generate("all_of_too_deep.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/all_of_too_deep.yaml";
    let expected = error(file, "/components/schemas/S64/allOf/0", "levels deep")
        .at(71, 19)
        .hint("one `allOf`");
    assert_reported(&g, expected);
    // One error for each schema whose parts go past it (S0 to S5), and none for the others.
    let deep = g
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("levels deep"))
        .count();
    assert_eq!(deep, 6, "{}", g.report());
}

#[test]
fn a_fragment_referring_to_itself_is_an_error_not_a_hang() {
    let g = generate("self_referencing_fragment.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/self_referencing_fragment.yaml";
    let expected = error(
        file,
        "/components/schemas/A/items",
        "is defined only as itself",
    )
    .at(6, 7)
    .hint("real content");
    assert_reported(&g, expected);
}

#[test]
fn a_union_reaching_itself_through_shared_keywords_is_an_error_not_a_stack_overflow() {
    // `T` is `string and (T or string)`: distributing `string` into the
    // branches meets `T` again, without end.
    let g = on_stack(DEEPEST_SCHEMA_STACK_KIB, || {
        generate("union_through_itself.yaml")
    });
    assert_failed(&g);
    let file = "tests/bad_input/union_through_itself.yaml";
    let expected = error(
        file,
        "/components/schemas/T",
        "refer back to themselves through `oneOf`/`anyOf`",
    )
    .at(4, 5)
    .hint("`$ref`");
    assert_reported(&g, expected);
}

#[test]
fn items_reaching_their_array_through_all_of_beside_a_union_are_an_error_found_quickly() {
    // Each level's items are `T` and a union of two branches, each of which holds `T`'s
    // items again: lowering every branch to the depth limit took time exponential in it.
    // Once the limit is met, the rest of the schema is not lowered.
    let g = on_stack(DEEPEST_SCHEMA_STACK_KIB, || {
        generate("items_through_itself.yaml")
    });
    assert_failed(&g);
    let file = "tests/bad_input/items_through_itself.yaml";
    let expected = error(file, "/components/schemas/T/items", "levels deep")
        .at(6, 7)
        .hint("`$ref`");
    assert_reported(&g, expected);
    let deep = g
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("levels deep"))
        .count();
    assert_eq!(deep, 1, "{}", g.report());
}

#[test]
fn two_schemas_defined_only_as_each_other_are_errors() {
    let g = generate("alias_cycle.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/alias_cycle.yaml";
    for (name, line) in [("A", 4), ("B", 6)] {
        let pointer = format!("/components/schemas/{name}");
        let message = format!("`{name}` is defined only as itself");
        let expected = error(file, &pointer, &message)
            .at(line, 5)
            .hint("real content");
        assert_reported(&g, expected);
    }
}

#[test]
fn an_invalid_pattern_is_a_warning_and_left_unchecked() {
    // Code can still be written; the pattern is dropped, and the warning says so.
    let g = generate("bad_pattern.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let file = "tests/bad_input/bad_pattern.yaml";
    let pointer = "/components/schemas/Code/pattern";
    let expected = error(file, pointer, "not a valid ECMA-262 regular expression")
        .warning()
        .at(6, 16)
        .hint("JavaScript regex syntax");
    assert_reported(&g, expected);
    assert_reported(
        &g,
        error(file, pointer, "the pattern is not checked").warning(),
    );
    let code = file_text(&g, "src/models/code.rs");
    assert!(!code.contains("PATTERN_"), "{code}");
    assert!(code.contains("pub type Code = String;"), "{code}");
}

#[test]
fn a_pattern_that_backtracks_exponentially_is_a_warning_and_examples_skip_it() {
    // The example does not match; a backtracking matcher would take years to say so. The
    // pattern is kept for `validate()`, with a warning, and generation ends.
    let g = generate("backtracking_pattern.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let file = "tests/bad_input/backtracking_pattern.yaml";
    let expected = error(
        file,
        "/components/schemas/Link/pattern",
        "repeats a group whose body repeats too (`([\\/\\w \\.-]*)*`)",
    )
    .warning()
    .at(7, 16)
    .hint("match a string one way only");
    assert_reported(&g, expected);
    let code = file_text(&g, "src/models/link.rs");
    assert!(
        code.contains("PATTERN_"),
        "the pattern is still checked:\n{code}"
    );
}

#[test]
fn min_length_above_max_length_is_a_warning() {
    // Code can still be written; `validate()` then rejects every value.
    let g = generate("min_length_over_max.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let file = "tests/bad_input/min_length_over_max.yaml";
    let pointer = "/components/schemas/Code/minLength";
    let expected = error(file, pointer, "minLength 10 is greater than maxLength 2; no value is valid, so `validate()` rejects every one").warning().at(6, 18);
    assert_reported(&g, expected);
}

#[test]
fn minimum_above_maximum_is_a_warning() {
    let g = generate("minimum_over_maximum.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let file = "tests/bad_input/minimum_over_maximum.yaml";
    let pointer = "/components/schemas/Age/minimum";
    let expected = error(file, pointer, "minimum 150 is greater than maximum 0; no value is valid, so `validate()` rejects every one").warning().at(6, 16);
    assert_reported(&g, expected);
}

const UNDECLARED_REQUIRED: &str = "`required` names `nmae`, which is not a property; it becomes a required field of any JSON value (`serde_json::Value`)";

#[test]
fn requiring_a_missing_property_of_a_closed_object_is_a_warning() {
    // The vendor forgot to declare it: the key is still required, with any value.
    let g = generate("required_missing_closed.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let pet = g
        .files
        .iter()
        .find(|f| f.path == "src/models/pet.rs")
        .expect("pet.rs is generated");
    assert!(
        pet.contents.contains("pub nmae: serde_json::Value,"),
        "{}",
        pet.contents
    );
    let file = "tests/bad_input/required_missing_closed.yaml";
    let pointer = "/components/schemas/Pet/required/1";
    let expected = error(file, pointer, UNDECLARED_REQUIRED)
        .warning()
        .at(7, 24)
        .hint("did you mean `name`?");
    assert_reported(&g, expected);
}

#[test]
fn requiring_a_missing_property_of_an_open_object_is_a_warning() {
    // Valid JSON Schema (an extra property may satisfy it), so generation goes on.
    let g = generate("required_missing_open.yaml");
    assert!(!g.failed(false), "{}", g.report());
    assert!(g.failed(true), "--deny-warnings makes it fatal");
    assert!(!g.files.is_empty());
    let file = "tests/bad_input/required_missing_open.yaml";
    let pointer = "/components/schemas/Pet/required/1";
    let expected = error(file, pointer, UNDECLARED_REQUIRED)
        .warning()
        .at(6, 24)
        .hint("did you mean `name`?");
    assert_reported(&g, expected);
}

#[test]
fn warnings_do_not_stop_generation_unless_denied() {
    let g = generate("warnings_only.yaml");
    assert!(!g.failed(false), "{}", g.report());
    assert!(g.files.iter().any(|f| f.path == "src/models/pet.rs"));
    assert!(g.failed(true));
    let file = "tests/bad_input/warnings_only.yaml";
    let at = "/components/schemas/Pet/properties/name";
    let keyword_at = format!("{at}/minLenght");
    let keyword = error(file, &keyword_at, "`minLenght` is not supported")
        .warning()
        .at(10, 11)
        .hint("did you mean `minLength`?");
    assert_reported(&g, keyword);
    let format_at = format!("{at}/format");
    let format = error(file, &format_at, "unknown format `colour`")
        .warning()
        .at(9, 19)
        .hint("known formats");
    assert_reported(&g, format);
    assert!(
        g.report().ends_with("0 error(s), 2 warning(s)\n"),
        "{}",
        g.report()
    );
}

#[test]
fn every_problem_of_reading_is_reported_together() {
    let g = generate("many_problems.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/many_problems.yaml";
    let pet = "/components/schemas/Pet/properties";
    assert_reported(
        &g,
        error(file, &format!("{pet}/name/type"), "unknown type").at(8, 17),
    );
    assert_reported(
        &g,
        error(file, &format!("{pet}/owner/$ref"), "points at nothing").at(10, 17),
    );
    // A keyword with a value of the wrong form is left out, with a warning.
    let nullable = format!("{pet}/kind/nullable");
    assert_reported(
        &g,
        error(file, &nullable, "expected true or false")
            .warning()
            .at(13, 21)
            .hint("the keyword is ignored"),
    );
    assert!(
        g.report().contains("2 error(s), 1 warning(s)"),
        "{}",
        g.report()
    );
}

#[test]
fn every_constraint_problem_is_reported_together() {
    let g = generate("many_constraint_problems.yaml");
    assert!(!g.failed(false), "{}", g.report());
    assert!(g.failed(true));
    let file = "tests/bad_input/many_constraint_problems.yaml";
    let pet = "/components/schemas/Pet/properties";
    assert_reported(
        &g,
        error(file, &format!("{pet}/code/pattern"), "ECMA-262")
            .warning()
            .at(9, 20),
    );
    assert_reported(
        &g,
        error(file, &format!("{pet}/name/minLength"), "greater than")
            .warning()
            .at(12, 22),
    );
    let age = "/components/schemas/Age/minimum";
    assert_reported(
        &g,
        error(file, age, "greater than maximum")
            .warning()
            .at(16, 16),
    );
    assert_reported(
        &g,
        error(file, "/components/schemas/Age", "no number lies between")
            .warning()
            .at(14, 5),
    );
    assert_eq!(g.diagnostics.warnings(), 4, "{}", g.report());
}

#[test]
fn the_same_schema_name_in_two_files_is_renamed_with_a_warning() {
    // Suffixing always resolves a clash, so it is not an error; but it changes
    // a public name, so it is reported, and `--deny-warnings` refuses it.
    let g = generate("same_name_in_two_files");
    assert!(!g.failed(false), "{}", g.report());
    assert!(g.failed(true));
    let paths: Vec<&str> = g.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"src/models/pet.rs"), "{paths:?}");
    assert!(paths.contains(&"src/models/pet2.rs"), "{paths:?}");
    let file = "tests/bad_input/same_name_in_two_files/b.yaml";
    let expected = error(file, "/components/schemas/Pet", "it is renamed `Pet2`")
        .warning()
        .at(4, 5)
        .hint("rename one of the two schemas");
    let d = assert_reported(&g, expected);
    assert!(
        d.message
            .contains("same_name_in_two_files/a.yaml#/components/schemas/Pet"),
        "{d}"
    );
}

#[test]
fn schema_and_property_names_that_collide_in_rust_are_suffixed() {
    let g = generate("colliding_names.yaml");
    let file = "tests/bad_input/colliding_names.yaml";
    let expected = error(
        file,
        "/components/schemas/PetOwner",
        "it is renamed `PetOwner2`",
    )
    .warning()
    .at(11, 5);
    assert_reported(&g, expected);
    let owner = g
        .files
        .iter()
        .find(|f| f.path == "src/models/pet_owner.rs")
        .expect("pet_owner.rs");
    // `fooBar` and `foo_bar` keep their wire names; the Rust fields differ.
    assert!(
        owner.contents.contains("rename = \"fooBar\""),
        "{}",
        owner.contents
    );
    assert!(
        owner.contents.contains("pub foo_bar: Option<String>"),
        "{}",
        owner.contents
    );
    assert!(
        owner.contents.contains("rename = \"foo_bar\""),
        "{}",
        owner.contents
    );
    assert!(
        owner.contents.contains("pub foo_bar2: Option<i64>"),
        "{}",
        owner.contents
    );
}

#[test]
fn a_default_that_contradicts_its_schema_is_a_warning_and_not_applied() {
    let g = generate("bad_default.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let file = "tests/bad_input/bad_default.yaml";
    let pointer = "/components/schemas/Pet/properties/age/default";
    let expected = error(
        file,
        pointer,
        "does not match its schema, so it is not applied",
    )
    .warning()
    .at(9, 20);
    let d = assert_reported(&g, expected);
    assert!(d.message.contains("expected integer"), "{d}");
    let pet = g
        .files
        .iter()
        .find(|f| f.path == "src/models/pet.rs")
        .expect("pet.rs is generated");
    assert!(
        pet.contents.contains(
            "/// The schema's `default` (\"old\") does not match the schema, so it is not applied."
        ),
        "{}",
        pet.contents
    );
}

/// Files held in memory.
struct Memory(BTreeMap<PathBuf, Vec<u8>>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

fn generate_text(name: &str, text: String) -> Generation {
    let path = PathBuf::from(name);
    let files = Memory(BTreeMap::from([(path.clone(), text.into_bytes())]));
    codegen::generate_from(&[path], &files, &Settings::default(), Diagnostics::new())
}

/// Runs `f` on a thread with a stack of `kib` KiB.
fn on_stack<T: Send + 'static>(kib: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(kib * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the generator panicked")
}

/// Too-deep input is refused before anything recurses on it: 256 KiB of
/// stack (a quarter of a test thread's) is plenty.
const SMALL_STACK_KIB: usize = 512;

const DEPTH: usize = 10_000;

fn assert_too_deep(g: &Generation, file: &str) {
    assert!(g.failed(false));
    let d = g
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error");
    assert_eq!(d.file, file);
    assert!(
        d.message.contains("recursion limit") || d.message.contains("nested more than"),
        "{d}"
    );
    assert!(d.pointer.starts_with("/components/schemas/Deep"), "{d}");
    // Rendering (which locates the pointer in the text) copes too.
    assert!(g.report().contains(file));
}

#[test]
fn json_nested_ten_thousand_levels_is_an_error_not_a_stack_overflow() {
    let g = on_stack(SMALL_STACK_KIB, || {
        let open = "{\"type\": \"array\", \"items\": ".repeat(DEPTH);
        let close = "}".repeat(DEPTH);
        let text = format!(
            "{{\"openapi\": \"3.0.3\", \"components\": {{\"schemas\": {{\"Deep\": {open}{{\"type\": \"string\"}}{close}}}}}}}"
        );
        generate_text("deep.json", text)
    });
    assert_too_deep(&g, "deep.json");
}

#[test]
fn yaml_block_nested_ten_thousand_levels_is_an_error_not_a_stack_overflow() {
    // Compact block sequences (`- - - x`) nest one level per two characters.
    let g = on_stack(SMALL_STACK_KIB, || {
        let text = format!(
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Deep:\n      allOf:\n      {}{{}}\n",
            "- ".repeat(DEPTH)
        );
        generate_text("deep.yaml", text)
    });
    assert_too_deep(&g, "deep.yaml");
}

#[test]
fn yaml_flow_nested_ten_thousand_levels_is_an_error_not_a_stack_overflow() {
    let g = on_stack(SMALL_STACK_KIB, || {
        let open = "{items: ".repeat(DEPTH);
        let close = "}".repeat(DEPTH);
        let text =
            format!("openapi: 3.0.3\ncomponents:\n  schemas:\n    Deep: {open}{{}}{close}\n");
        generate_text("deep.yaml", text)
    });
    assert_too_deep(&g, "deep.yaml");
}

/// Lowering recurses once per level of schema. The deepest schema the
/// parser accepts needs this much stack in a debug build (a release build
/// needs far less): a test thread's default stack.
const DEEPEST_SCHEMA_STACK_KIB: usize = 2048;

#[test]
fn the_deepest_nesting_the_parser_accepts_generates() {
    // 62 levels of inline objects are 124 levels of YAML under the
    // document's own 4: one short of the parser's limit of 128.
    let g = on_stack(DEEPEST_SCHEMA_STACK_KIB, || {
        let depth = 62;
        let open = "{type: object, properties: {p: ".repeat(depth);
        let close = "}}".repeat(depth);
        let text = format!(
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Deep: {open}{{type: string}}{close}\n"
        );
        generate_text("deep.yaml", text)
    });
    assert!(!g.failed(false), "{}", g.report());
    assert!(g.files.iter().any(|f| f.path == "src/models/deep.rs"));
}

#[test]
fn one_level_more_is_refused_with_its_pointer() {
    let g = on_stack(SMALL_STACK_KIB, || {
        let depth = 63;
        let open = "{type: object, properties: {p: ".repeat(depth);
        let close = "}}".repeat(depth);
        let text = format!(
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Deep: {open}{{type: string}}{close}\n"
        );
        generate_text("deep.yaml", text)
    });
    assert_too_deep(&g, "deep.yaml");
}

/// A document of about `megabytes` MB: many schemas, many properties, long descriptions.
fn big_document(megabytes: usize) -> String {
    let description = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40);
    let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: Big\ncomponents:\n  schemas:\n");
    let mut schema = 0;
    while text.len() < megabytes * 1024 * 1024 {
        text.push_str(&format!("    Model{schema}:\n      type: object\n      description: {description}\n      properties:\n"));
        for property in 0..20 {
            text.push_str(&format!(
                "        field{property}:\n          type: string\n          maxLength: 64\n          description: {description}\n"
            ));
        }
        schema += 1;
    }
    text
}

#[test]
fn a_fifty_megabyte_document_generates() {
    // Completes, in time linear in its size: the time itself is measured by
    // a benchmark, not here.
    let text = big_document(50);
    let schemas = text.matches("    Model").count();
    let g = generate_text("big.yaml", text);
    assert!(!g.failed(false), "{}", g.report());
    let models = g
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/models/model"))
        .count();
    assert_eq!(models, schemas);
}

#[test]
fn a_key_repeated_in_a_yaml_mapping_is_an_error() {
    let g = generate("duplicate_key.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/duplicate_key.yaml";
    let expected = error(
        file,
        "/components/schemas/Pet",
        "duplicate entry with key \"Pet\"",
    )
    .at(4, 5)
    .hint("only once");
    assert_reported(&g, expected);
}

#[test]
fn a_key_repeated_in_a_json_object_is_an_error_not_last_one_wins() {
    let g = generate("duplicate_key.json");
    assert_failed(&g);
    let file = "tests/bad_input/duplicate_key.json";
    let expected = error(file, "/components/schemas/Pet", "duplicate key `Pet`")
        .at(6, 7)
        .hint("only once");
    assert_reported(&g, expected);
}

#[test]
fn aliases_that_expand_exponentially_are_refused() {
    let g = generate("alias_bomb.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/alias_bomb.yaml";
    let expected = error(file, "", "repetition limit exceeded")
        .at(1, 1)
        .hint("aliases");
    assert_reported(&g, expected);
}

#[test]
fn a_stream_of_several_documents_is_refused() {
    let g = generate("two_documents.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/two_documents.yaml";
    let expected = error(file, "", "more than one document")
        .at(1, 1)
        .hint("one document per file");
    assert_reported(&g, expected);
}

#[test]
fn a_reference_to_a_misspelt_schema_suggests_the_near_one() {
    let g = generate("misspelt_ref.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/misspelt_ref.yaml";
    let pointer = "/components/schemas/Pet/properties/owner/$ref";
    let expected = error(
        file,
        pointer,
        "`#/components/schemas/Ownr` points at nothing",
    )
    .at(8, 17)
    .hint("did you mean `#/components/schemas/Owner`?");
    assert_reported(&g, expected);
}

#[test]
fn problems_of_reading_and_of_lowering_are_reported_in_one_run() {
    let g = generate("mixed_problems.yaml");
    assert_failed(&g);
    let file = "tests/bad_input/mixed_problems.yaml";
    let pet = "/components/schemas/Pet/properties";
    assert_reported(
        &g,
        error(file, &format!("{pet}/name/type"), "unknown type").at(8, 17),
    );
    assert_reported(
        &g,
        error(file, &format!("{pet}/owner/$ref"), "points at nothing").at(10, 17),
    );
    assert_reported(
        &g,
        error(file, &format!("{pet}/code/pattern"), "ECMA-262")
            .warning()
            .at(13, 20),
    );
    let age = "/components/schemas/Age/minimum";
    assert_reported(
        &g,
        error(file, age, "greater than maximum")
            .warning()
            .at(16, 16),
    );
    assert!(
        g.report().ends_with("2 error(s), 2 warning(s)\n"),
        "{}",
        g.report()
    );
}

fn file_text<'g>(g: &'g Generation, path: &str) -> &'g str {
    g.files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {path} in {:?}", g.diagnostics))
}

#[test]
fn annotated_references_through_a_cycle_are_references_not_copies() {
    // Copying the referenced schema at each `allOf: [$ref, {description}]` doubles the
    // work at every step round the cycle (two properties lead back), without end.
    let g = generate("annotated_ref_cycle.yaml");
    assert!(!g.failed(true), "{}", g.report());
    let column = file_text(&g, "src/models/column_info.rs");
    assert!(column.contains("/// The type of the column."), "{column}");
    assert!(column.contains("pub r#type: Option<Type>,"), "{column}");
    let ty = file_text(&g, "src/models/type_.rs");
    assert!(ty.contains("/// The first column."), "{ty}");
    assert!(ty.contains("pub a: Option<Box<ColumnInfo>>,"), "{ty}");
    assert!(ty.contains("pub b: Option<Box<ColumnInfo>>,"), "{ty}");
    assert!(ty.contains("#[deprecated"), "{ty}");
    assert_eq!(
        g.files
            .iter()
            .filter(|f| f.path.starts_with("src/models/"))
            .count(),
        3
    );
}

#[test]
fn recursion_through_an_annotated_all_of_ends_on_the_reference() {
    let g = generate("allof_ref_recursion.yaml");
    assert!(!g.failed(true), "{}", g.report());
    let expression = file_text(&g, "src/models/expression.rs");
    assert!(
        expression.contains("/// The expression to negate."),
        "{expression}"
    );
    assert!(
        expression.contains("pub not: Option<Box<Expression>>,"),
        "{expression}"
    );
}

#[test]
fn a_merge_that_reaches_itself_again_is_the_type_being_lowered() {
    // The merged `Not` holds a `Not` merged the same way: one type, boxed, not a
    // new copy at each level until the depth limit.
    let g = generate("merged_ref_cycle.yaml");
    assert!(!g.failed(false), "{}", g.report());
    // `ExpressionNot` requires a `Not` of its own type, so every value would nest without
    // end: generated, but said to be unsatisfiable (it gets no property-test strategy).
    assert_reported(
        &g,
        error(
            "tests/bad_input/merged_ref_cycle.yaml",
            "/components/schemas/Expression/properties/Not",
            "nest without end",
        )
        .warning(),
    );
    assert_eq!(g.diagnostics.warnings(), 1, "{}", g.report());
    let expression = file_text(&g, "src/models/expression.rs");
    assert!(
        expression.contains("pub not: Option<ExpressionNot>,"),
        "{expression}"
    );
    assert!(
        expression.contains("pub not: Box<ExpressionNot>,"),
        "{expression}"
    );
}

#[test]
fn two_multiples_of_in_one_all_of_are_both_checked_or_the_loss_is_said() {
    let g = generate("two_multiples.yaml");
    assert!(!g.failed(false), "{}", g.report());
    let step = file_text(&g, "src/models/step.rs");
    // A multiple of 2 and of 3 is a multiple of 6.
    assert!(step.contains("Constraints: multiple of 6."), "{step}");
    assert_eq!(
        step.matches("crate::validation::multiple_of(").count(),
        2,
        "{step}"
    );
    // Decimals merge the same way: a multiple of 0.5 and of 0.3 is a multiple of 1.5, so
    // nothing is lost and nothing is said.
    assert!(step.contains("multiple of 1.5"), "{step}");
    let report = g.report();
    assert!(!report.contains("is checked"), "{report}");
}
