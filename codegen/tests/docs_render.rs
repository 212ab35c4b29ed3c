//! The Markdown docs render as intended in a CommonMark + GFM renderer
//! (pulldown-cmark with tables): every table keeps its columns, every
//! relative link reaches a page, and the seed page keeps the seed's bytes.
//!
//! Pages checked: `generated/docs`, the golden fixtures'
//! `tests/fixtures/*/expected/docs`, the corpus crates under
//! `<target>/corpus/ws/*/docs` when `cargo xtask corpus` has run, and any
//! folder listed in `DOCS_RENDER_DIRS` (separated like `PATH`).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Every docs folder to check.
fn docs_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![workspace().join("generated/docs")];
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    if let Ok(entries) = std::fs::read_dir(fixtures) {
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path().join("expected/docs")))
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    // `cargo xtask corpus` output, when it has been run.
    if let Some(target) = Path::new(env!("CARGO_TARGET_TMPDIR")).parent() {
        if let Ok(entries) = std::fs::read_dir(target.join("corpus/ws")) {
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path().join("docs")))
                .filter(|p| p.is_dir())
                .collect();
            found.sort();
            dirs.extend(found);
        }
    }
    if let Some(extra) = std::env::var_os("DOCS_RENDER_DIRS") {
        dirs.extend(std::env::split_paths(&extra));
    }
    dirs
}

/// Cells of a source table line: `|` not escaped by a backslash separates them.
fn source_cells(line: &str) -> usize {
    let line = line.trim();
    let mut pipes = 0usize;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => pipes += 1,
            _ => {}
        }
        escaped = false;
    }
    pipes.saturating_sub(1)
}

/// Everything wrong with one page, as readable lines.
fn problems(page: &Path, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut columns = 0;
    let mut cells = 0;
    let mut rows = 0;
    let mut row_start = 0;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(alignments)) => columns = alignments.len(),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                cells = 0;
                row_start = range.start;
            }
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                rows += 1;
                let line = text
                    .get(row_start..)
                    .and_then(|t| t.lines().next())
                    .unwrap_or("");
                let written = source_cells(line);
                if cells != columns || written != columns {
                    out.push(format!(
                        "a row has {written} cells written and {cells} rendered, the table has {columns}: {line}"
                    ));
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let target = dest_url.split('#').next().unwrap_or("");
                // Root-relative links in descriptions point into the API vendor's site.
                let external = target.contains(':') || target.is_empty() || target.starts_with('/');
                if !external {
                    let dir = page.parent().unwrap_or(Path::new("."));
                    if !dir.join(target).is_file() {
                        out.push(format!("the link `{dest_url}` leads to no page"));
                    }
                }
            }
            _ => {}
        }
    }
    // Every table line outside code blocks must have become a row (or a delimiter row).
    let mut in_code = false;
    let mut written_rows = 0;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('|') && !line.starts_with("| -") {
            written_rows += 1;
        }
    }
    if written_rows != rows {
        out.push(format!(
            "{written_rows} table lines written, {rows} rendered as rows"
        ));
    }
    out
}

#[test]
fn every_docs_page_renders_its_tables_and_links_as_intended() {
    let mut pages = Vec::new();
    for dir in docs_dirs() {
        markdown_files(&dir, &mut pages);
    }
    assert!(
        pages
            .iter()
            .any(|p| p.ends_with("generated/docs/README.md")),
        "the generated docs are missing: run `cargo xtask regenerate`"
    );
    let mut report = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap_or_default();
        for problem in problems(page, &text) {
            report.push(format!("{}: {problem}", page.display()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_checker_notices_a_broken_row_and_a_dangling_link() {
    let page = workspace().join("generated/docs/models/Page.md");
    let text = "| A | B |\n| - | - |\n| x | y | z |\n| [Nowhere](Nowhere.md) | \\| |";
    let found = problems(&page, text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("3 cells written"), "{found:?}");
    assert!(found[1].contains("Nowhere.md"), "{found:?}");
}

#[test]
fn seed_page_keeps_the_seed_bytes_but_names_rust_types() {
    let seed = include_str!("seed/CreateApiKeyRequest.md");
    let generated =
        std::fs::read_to_string(workspace().join("generated/docs/models/CreateApiKeyRequest.md"))
            .expect("generated/docs/models/CreateApiKeyRequest.md");
    // The Rust names are one character shorter; the padding keeps every column as wide.
    assert!(seed.contains("| *Long* ") && seed.contains("| List<*String*> "));
    let expected = seed
        .replace("| *Long* ", "| *i64*  ")
        .replace("| List<*String*> ", "| Vec<*String*>  ");
    assert_eq!(generated, expected);
}

struct Memory(String);

impl codegen::load::FileSource for Memory {
    fn read(&self, _path: &Path) -> std::io::Result<Vec<u8>> {
        Ok(self.0.clone().into_bytes())
    }
}

/// The docs pages generated for `schemas` (YAML under `components/schemas`), by path.
fn pages(schemas: &str) -> std::collections::BTreeMap<String, String> {
    let mut files = generated(schemas);
    files.retain(|path, _| path.starts_with("docs/"));
    files
}

/// Every file generated for `schemas` (YAML under `components/schemas`), by path.
fn generated(schemas: &str) -> std::collections::BTreeMap<String, String> {
    let body: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
    let text = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{body}");
    let generation = codegen::generate_from(
        &[PathBuf::from("api.yaml")],
        &Memory(text),
        &codegen::settings::Settings::default(),
        codegen::diagnostic::Diagnostics::new(),
    );
    assert!(!generation.failed(false), "{}", generation.report());
    generation
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

/// The rows of the first table on a page, cells trimmed.
fn rows(page: &str) -> Vec<Vec<String>> {
    page.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| -"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn deprecated_fields_are_struck_through_and_nullable_ones_read_as_option() {
    let pages = pages("A:\n  type: object\n  properties:\n    old: {type: string, deprecated: true}\n    maybe: {type: integer, nullable: true}\n    list: {type: array, items: {$ref: '#/components/schemas/B'}}\nB: {type: object, properties: {x: {type: boolean}}}");
    let table = rows(&pages["docs/models/A.md"]);
    assert_eq!(table[0], ["Field", "Type", "Required", "Description"]);
    assert_eq!(
        table[1],
        [
            "~~`old`~~",
            "*String*",
            ":heavy_minus_sign:",
            "**Deprecated.**"
        ]
    );
    assert_eq!(
        table[2],
        [
            "`maybe`",
            "Option<*i64*>",
            ":heavy_minus_sign:",
            "May be `null`, kept apart from absence: absent is `None`, `null` is `Some(None)`."
        ]
    );
    assert_eq!(
        table[3],
        ["`list`", "Vec<[B](B.md)>", ":heavy_minus_sign:", "N/A"]
    );
}

#[test]
fn the_example_column_appears_when_a_field_has_an_example() {
    let pages = pages("A:\n  type: object\n  properties:\n    a: {type: string}\n    m: {type: object, additionalProperties: {type: integer}, example: {x: 1, y: 2}}");
    let table = rows(&pages["docs/models/A.md"]);
    assert_eq!(table[0].last().map(String::as_str), Some("Example"));
    assert_eq!(table[1].last().map(String::as_str), Some(""));
    assert_eq!(table[2][1], "BTreeMap<*String*, *i64*>");
    assert_eq!(table[2][4], "{<br/>\"x\": 1,<br/>\"y\": 2<br/>}");
}

#[test]
fn enum_pages_list_rust_variants_with_their_wire_values() {
    let pages = pages("Color: {type: string, enum: [light-blue, RED]}");
    let table = rows(&pages["docs/models/Color.md"]);
    assert_eq!(
        table,
        [
            ["Name", "Value"],
            ["`LightBlue`", "light-blue"],
            ["`Red`", "RED"]
        ]
    );
}

#[test]
fn union_pages_show_how_to_build_each_variant() {
    let pages = pages("Cat: {type: object, required: [kind, name], properties: {kind: {type: string}, name: {type: string, example: Tom}}}\nDog: {type: object, required: [kind], properties: {kind: {type: string}}}\nPet:\n  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n  discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}");
    let page = &pages["docs/models/Pet.md"];
    assert!(page.contains("## Supported Types"), "{page}");
    assert!(
        page.contains("### `Cat`\n\nHolds [Cat](Cat.md), selected when `kind` is `cat`."),
        "{page}"
    );
    assert!(
        page.contains(
            "let value = Pet::Cat(Cat::new(String::from(\"cat\"), String::from(\"Tom\")));"
        ),
        "{page}"
    );
    assert!(
        page.contains("let value = Pet::Dog(Dog::new(String::from(\"dog\")));"),
        "{page}"
    );
}

#[test]
fn the_index_links_every_model_with_the_first_line_of_its_description() {
    let pages = pages("A: {type: object, description: \"First | line.\\nSecond.\", properties: {b: {$ref: '#/components/schemas/B'}}}\nB: {type: string, enum: [x]}");
    let index = &pages["docs/README.md"];
    let table = rows(index);
    assert_eq!(table[1], ["[A](models/A.md)", "First \\| line."]);
    assert_eq!(table[2], ["[B](models/B.md)", "N/A"]);
    assert!(
        index.contains("```mermaid\ngraph LR\n    A --> B\n```"),
        "{index}"
    );
}

#[test]
fn each_description_cell_repeats_the_constraint_line_of_the_field_rustdoc() {
    let files = generated("A:\n  type: object\n  properties:\n    code: {type: string, minLength: 2, maxLength: 8, pattern: '^[A-Z|]+$', format: email, readOnly: true}\n    count: {type: integer, minimum: 0, maximum: 10, exclusiveMaximum: true, multipleOf: 2}\n    tags: {type: array, items: {type: string}, minItems: 1, maxItems: 4, uniqueItems: true, writeOnly: true}\n    plain: {type: string, description: Nothing to check.}");
    let rustdoc: Vec<&str> = files["src/models/a.rs"]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("/// "))
        .filter(|l| l.starts_with("Constraints: "))
        .collect();
    let table = rows(&files["docs/models/A.md"]);
    // The Markdown cell escapes `|` for the table; the words are the same.
    let markdown: Vec<String> = table
        .iter()
        .skip(1)
        .flat_map(|row| {
            row[3]
                .split("<br/>")
                .map(|l| l.replace("\\|", "|"))
                .collect::<Vec<_>>()
        })
        .filter(|l| l.starts_with("Constraints: "))
        .collect();
    assert_eq!(rustdoc.len(), 3, "{rustdoc:?}");
    assert_eq!(markdown, rustdoc);
    assert_eq!(table[4][3], "Nothing to check.");
}
