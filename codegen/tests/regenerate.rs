//! `output::regenerate` with its stamp: a run with nothing changed writes
//! nothing and says what the last full run said; any change to what a run
//! consumes or produces (an input, a file reached through `$ref`, a new
//! schema file, the settings, a generated file edited or deleted, the stamp
//! itself) makes the next run a full one that brings the output up to date.

use codegen::output::{self, Options, Outcome, Regeneration};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// `Pet` uses an unknown format (one warning) and refers to `Owner` in a
/// file of a subfolder, which is read only through that reference.
const API: &str = "\
openapi: 3.0.3
info:
  title: Pets
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name:
          type: string
          format: colour
        owner:
          $ref: 'shared/common.yaml#/components/schemas/Owner'
";

const COMMON: &str = "\
openapi: 3.0.3
info:
  title: Common
components:
  schemas:
    Owner:
      type: object
      properties:
        id:
          type: integer
";

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let schemas = dir.path().join("schemas");
        std::fs::create_dir_all(schemas.join("shared")).expect("mkdir");
        std::fs::write(schemas.join("api.yaml"), API).expect("write");
        std::fs::write(schemas.join("shared/common.yaml"), COMMON).expect("write");
        std::fs::write(schemas.join("codegen.toml"), "crate-name = \"pets\"\n").expect("write");
        Project { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn stamp(&self) -> PathBuf {
        self.path("stamps/out")
    }

    fn run_with(&self, force: bool, deny_warnings: bool) -> Regeneration {
        let options = Options {
            stamp: Some(self.stamp()),
            force,
            deny_warnings,
        };
        output::regenerate(&self.path("schemas"), &self.path("out"), &options)
    }

    fn run(&self) -> Regeneration {
        self.run_with(false, false)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).expect("write");
    }

    /// Whether `out/` holds exactly what a generation in memory produces.
    fn output_is_fresh(&self) -> bool {
        let generation = codegen::generate(&self.path("schemas"));
        assert!(!generation.failed(false), "{}", generation.report());
        output::check(&self.path("out"), &generation.files).is_empty()
    }
}

/// Asserts a full run that wrote the output; returns the files it changed.
fn full(run: &Regeneration) -> Vec<String> {
    match &run.outcome {
        Outcome::Written(w) => w.written.iter().chain(&w.removed).cloned().collect(),
        other => panic!("expected a full run, got {other:?}\n{}", run.report),
    }
}

fn skipped(run: &Regeneration) -> usize {
    match &run.outcome {
        Outcome::UpToDate(files) => *files,
        other => panic!("expected a skipped run, got {other:?}\n{}", run.report),
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::metadata(&path).expect("metadata");
            if meta.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.insert(path, (bytes, meta.modified().expect("mtime")));
            }
        }
    }
    out
}

#[test]
fn a_second_run_writes_nothing_and_reports_the_same_warnings() {
    let project = Project::new();
    let first = project.run();
    let files = full(&first);
    assert!(
        files.contains(&"src/models/owner.rs".to_owned()),
        "{files:?}"
    );
    assert_eq!(first.warnings, 1, "{}", first.report);
    assert!(first.report.contains("unknown format `colour`"));
    let before = snapshot(&project.path("out"));

    let second = project.run();
    assert_eq!(skipped(&second), files.len());
    assert_eq!(second.report, first.report);
    assert_eq!((second.errors, second.warnings), (0, 1));
    assert_eq!(snapshot(&project.path("out")), before);
}

#[test]
fn deny_warnings_fails_a_skipped_run_as_it_fails_a_full_one() {
    let project = Project::new();
    full(&project.run());
    let denied = project.run_with(false, true);
    assert!(matches!(denied.outcome, Outcome::NotWritten), "{denied:?}");
    assert!(denied.report.contains("unknown format `colour`"));
    assert_eq!(denied.warnings, 1);
    // Without the warning, the same flag lets a skipped run through.
    project.write(
        "schemas/api.yaml",
        &API.replace("format: colour", "minLength: 1"),
    );
    full(&project.run());
    let allowed = project.run_with(false, true);
    assert_eq!(allowed.warnings, 0);
    skipped(&allowed);
}

#[test]
fn editing_an_input_makes_the_next_run_a_full_one() {
    let project = Project::new();
    full(&project.run());
    let api = API.replace(
        "required: [name]",
        "required: [name]\n      description: A pet.",
    );
    project.write("schemas/api.yaml", &api);
    let changed = full(&project.run());
    assert!(
        changed.contains(&"src/models/pet.rs".to_owned()),
        "{changed:?}"
    );
    assert!(project.output_is_fresh());
    skipped(&project.run());
}

#[test]
fn editing_a_file_reached_only_through_a_reference_makes_the_next_run_a_full_one() {
    let project = Project::new();
    full(&project.run());
    project.write(
        "schemas/shared/common.yaml",
        &COMMON.replace("type: integer", "type: integer\n          minimum: 1"),
    );
    let changed = full(&project.run());
    assert!(
        changed.contains(&"src/models/owner.rs".to_owned()),
        "{changed:?}"
    );
    assert!(project.output_is_fresh());
}

#[test]
fn a_hand_edited_generated_file_is_restored_by_the_next_run() {
    let project = Project::new();
    full(&project.run());
    let pet = project.path("out/src/models/pet.rs");
    let generated = std::fs::read_to_string(&pet).expect("read");
    std::fs::write(&pet, generated.replace("pub name", "pub nom")).expect("write");
    assert_eq!(full(&project.run()), ["src/models/pet.rs"]);
    assert_eq!(std::fs::read_to_string(&pet).ok(), Some(generated));
}

#[test]
fn a_deleted_generated_file_is_restored_by_the_next_run() {
    let project = Project::new();
    full(&project.run());
    std::fs::remove_file(project.path("out/docs/models/Owner.md")).expect("remove");
    assert_eq!(full(&project.run()), ["docs/models/Owner.md"]);
    assert!(project.output_is_fresh());
}

#[test]
fn adding_or_removing_a_schema_file_makes_the_next_run_a_full_one() {
    let project = Project::new();
    full(&project.run());
    project.write(
        "schemas/more.yaml",
        "openapi: 3.0.3\ninfo:\n  title: More\ncomponents:\n  schemas:\n    Toy:\n      type: string\n",
    );
    let added = full(&project.run());
    assert!(added.contains(&"src/models/toy.rs".to_owned()), "{added:?}");
    std::fs::remove_file(project.path("schemas/more.yaml")).expect("remove");
    let removed = full(&project.run());
    assert!(
        removed.contains(&"src/models/toy.rs".to_owned()),
        "{removed:?}"
    );
    assert!(!project.path("out/src/models/toy.rs").exists());
    assert!(project.output_is_fresh());
}

#[test]
fn changing_the_settings_makes_the_next_run_a_full_one() {
    let project = Project::new();
    full(&project.run());
    project.write("schemas/codegen.toml", "crate-name = \"animals\"\n");
    let changed = full(&project.run());
    assert!(changed.contains(&"Cargo.toml".to_owned()), "{changed:?}");
    let manifest = std::fs::read_to_string(project.path("out/Cargo.toml")).expect("read");
    assert!(manifest.contains("name = \"animals\""), "{manifest}");
    // Back to the first settings: the output changes back too.
    project.write("schemas/codegen.toml", "crate-name = \"pets\"\n");
    assert!(full(&project.run()).contains(&"Cargo.toml".to_owned()));
    assert!(project.output_is_fresh());
}

#[test]
fn a_corrupt_stamp_falls_back_to_a_full_run_and_is_replaced() {
    let project = Project::new();
    full(&project.run());
    let stamp = std::fs::read_to_string(project.stamp()).expect("stamp");
    for corrupt in [
        String::new(),
        "not a stamp\n".to_owned(),
        stamp[..stamp.len() / 2].to_owned(),
        stamp.replacen("outputs ", "outputs 1", 1),
    ] {
        std::fs::write(project.stamp(), &corrupt).expect("write");
        let run = project.run();
        assert!(
            full(&run).is_empty(),
            "nothing changed, so nothing is written"
        );
        assert_eq!(run.warnings, 1);
        skipped(&project.run());
    }
}

#[test]
fn a_stamp_of_another_generator_is_not_trusted() {
    let project = Project::new();
    full(&project.run());
    let stamp = std::fs::read_to_string(project.stamp()).expect("stamp");
    let other = stamp.replacen(
        &format!("generator {}", output::stamp::GENERATOR),
        "generator 00000000000000000000000000000000",
        1,
    );
    assert_ne!(other, stamp);
    std::fs::write(project.stamp(), other).expect("write");
    full(&project.run());
}

#[test]
fn force_runs_in_full_even_when_nothing_changed() {
    let project = Project::new();
    full(&project.run());
    assert!(full(&project.run_with(true, false)).is_empty());
    skipped(&project.run());
}

#[test]
fn a_failed_run_leaves_the_output_and_restoring_the_input_is_up_to_date_again() {
    let project = Project::new();
    full(&project.run());
    let before = snapshot(&project.path("out"));
    project.write("schemas/api.yaml", "openapi: 3.0.3\ncomponents: [\n");
    let failed = project.run();
    assert!(matches!(failed.outcome, Outcome::NotWritten), "{failed:?}");
    assert!(failed.errors > 0);
    assert_eq!(snapshot(&project.path("out")), before);
    project.write("schemas/api.yaml", API);
    skipped(&project.run());
}

#[test]
fn without_a_stamp_place_every_run_is_a_full_one() {
    let project = Project::new();
    let options = Options::default();
    let out = project.path("out");
    full(&output::regenerate(
        &project.path("schemas"),
        &out,
        &options,
    ));
    assert!(full(&output::regenerate(
        &project.path("schemas"),
        &out,
        &options
    ))
    .is_empty());
    assert!(!project.stamp().exists());
}
