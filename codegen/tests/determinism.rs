//! The same schemas always give the same bytes: no hash-map order, time,
//! absolute path or environment reaches the output, and document order is
//! kept. (Across processes and working folders: `xtask/tests/cli.rs`.)

use codegen::diagnostic::Diagnostics;
use codegen::emit::File;
use codegen::load::FileSource;
use codegen::settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

fn generate_text(text: &str) -> Vec<File> {
    let path = PathBuf::from("api.yaml");
    let files = Memory(BTreeMap::from([(path.clone(), text.as_bytes().to_vec())]));
    let g = codegen::generate_from(&[path], &files, &Settings::default(), Diagnostics::new());
    assert!(!g.failed(false), "{}", g.report());
    g.files
}

fn workspace_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn generate(schemas: &Path) -> Vec<File> {
    let g = codegen::generate(schemas);
    assert!(!g.failed(false), "{}", g.report());
    g.files
}

/// A document with many schemas and properties, in no sorted order, that
/// refer to each other (so that maps keyed by name or reference are used).
fn many_schemas() -> String {
    let mut text = String::from("openapi: 3.1.0\ninfo:\n  title: Many\ncomponents:\n  schemas:\n");
    // A fixed permutation of 0..60, far from sorted.
    for i in (0..60).map(|i| (i * 37 + 19) % 60) {
        text.push_str(&format!(
            "    S{i}:\n      type: object\n      required: [z{i}]\n      properties:\n"
        ));
        for p in (0..6).rev() {
            let other = (i * 7 + p) % 60;
            text.push_str(&format!(
                "        z{p}:\n          $ref: '#/components/schemas/S{other}'\n"
            ));
            text.push_str(&format!(
                "        m{p}:\n          oneOf: [{{type: string, enum: [b{p}, a{p}]}}, {{type: integer}}]\n"
            ));
        }
    }
    text
}

#[test]
fn generating_twice_gives_the_same_files() {
    let text = many_schemas();
    let first = generate_text(&text);
    assert!(first.len() > 60, "{}", first.len());
    assert_eq!(generate_text(&text), first);
    assert_eq!(
        generate(&workspace_schemas()),
        generate(&workspace_schemas())
    );
}

#[test]
fn relative_and_absolute_schema_paths_give_the_same_files() {
    let absolute = workspace_schemas().canonicalize().expect("schemas folder");
    // Tests run in the package folder.
    let relative = Path::new("../schemas");
    assert_eq!(generate(&absolute), generate(relative));
}

#[test]
fn output_holds_no_absolute_path_environment_or_date() {
    let files = generate(&workspace_schemas().canonicalize().expect("schemas folder"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    let mut leaks: Vec<String> = vec![root.to_string_lossy().into_owned()];
    leaks.extend(
        std::env::current_dir()
            .ok()
            .map(|d| d.to_string_lossy().into_owned()),
    );
    for var in ["HOME", "USER", "HOSTNAME", "CARGO_TARGET_DIR"] {
        // Only values long enough not to occur by chance.
        leaks.extend(std::env::var(var).ok().filter(|v| v.len() > 4));
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let year = 1970 + seconds / 31_556_952;
    leaks.push(format!("{year}-"));
    for file in &files {
        for leak in &leaks {
            assert!(
                !file.contents.contains(leak.as_str()),
                "{} holds `{leak}`",
                file.path
            );
        }
    }
}

#[test]
fn schemas_and_properties_keep_document_order() {
    let text = many_schemas();
    let files = generate_text(&text);
    let module = files
        .iter()
        .find(|f| f.path == "src/models/s19.rs")
        .expect("s19.rs");
    // Properties come as z5, m5, z4, m4, ...: document order, not sorted.
    let fields: Vec<usize> = (0..6)
        .rev()
        .flat_map(|p| [format!("pub z{p}:"), format!("pub m{p}:")])
        .map(|f| {
            module
                .contents
                .find(&f)
                .unwrap_or_else(|| panic!("{f} in:\n{}", module.contents))
        })
        .collect();
    assert!(
        fields.windows(2).all(|w| w[0] < w[1]),
        "{}",
        module.contents
    );
    // Enum values too: `b0` before `a0`, in the module of the enum every schema shares.
    let shared = files
        .iter()
        .find(|f| f.path.starts_with("src/models/") && f.contents.contains("\"b0\""))
        .expect("a module with the enum values");
    let b = shared.contents.find("\"b0\"");
    let a = shared.contents.find("\"a0\"");
    assert!(b.is_some() && b < a, "{}", shared.contents);
}
