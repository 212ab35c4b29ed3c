//! The `xtask` command as a user runs it, in temporary folders with `--out`:
//! what it writes, what it leaves alone, and what it says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const PETS: &str = "\
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
          minLength: 1
        owner:
          $ref: '#/components/schemas/Owner'
    Owner:
      type: object
      properties:
        id:
          type: integer
          format: int64
";

/// The same document without `Owner` (and the reference to it).
const PETS_WITHOUT_OWNER: &str = "\
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
          minLength: 1
";

fn xtask(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run xtask")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary folder with `schemas/api.yaml` holding `text`.
fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("schemas")).expect("mkdir");
    std::fs::write(dir.path().join("schemas/api.yaml"), text).expect("write");
    std::fs::write(
        dir.path().join("schemas/codegen.toml"),
        "crate-name = \"pets\"\n",
    )
    .expect("write");
    dir
}

fn regenerate(dir: &Path) -> Output {
    let output = xtask(dir, &["regenerate", "--schemas", "schemas", "--out", "out"]);
    assert!(output.status.success(), "{}", stderr(&output));
    output
}

/// Every file under `dir` with its bytes and modification time, and every
/// folder (whose own time changes with its entries, so it is not compared).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, SystemTime)>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(dir).expect("inside").to_path_buf();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                out.insert(rel, None);
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.insert(rel, Some((bytes, meta.modified().expect("mtime"))));
            }
        }
    }
    out
}

#[test]
fn regenerate_into_a_fresh_folder_writes_a_crate_that_builds() {
    let dir = project(PETS);
    let output = regenerate(dir.path());
    let out = dir.path().join("out");
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/models/pet.rs",
        "src/models/owner.rs",
        "docs/models/Pet.md",
    ] {
        assert!(
            out.join(file).is_file(),
            "{file} missing:\n{}",
            stderr(&output)
        );
    }
    // Build it (offline, with the dependencies the workspace already has),
    // sharing one target folder between runs.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-build");
    let build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    assert!(
        build.status.success(),
        "the generated crate does not build:\n{}",
        stderr(&build)
    );
}

#[test]
fn a_second_regenerate_writes_nothing_and_changes_no_mtime() {
    let dir = project(PETS);
    regenerate(dir.path());
    let before = snapshot(&dir.path().join("out"));
    let second = regenerate(dir.path());
    assert!(
        stderr(&second).contains("up to date (") && !stderr(&second).contains("wrote"),
        "{}",
        stderr(&second)
    );
    assert_eq!(snapshot(&dir.path().join("out")), before);
    // `--force` generates in full, and still writes nothing.
    let forced = xtask(
        dir.path(),
        &[
            "regenerate",
            "--schemas",
            "schemas",
            "--out",
            "out",
            "--force",
        ],
    );
    assert!(
        stderr(&forced).contains("0 written, 0 removed"),
        "{}",
        stderr(&forced)
    );
    assert_eq!(snapshot(&dir.path().join("out")), before);
}

#[test]
fn an_up_to_date_regenerate_repeats_the_warnings_and_deny_warnings_still_fails() {
    let dir = project(&PETS.replace("minLength: 1", "minLength: 1\n          format: colour"));
    let first = regenerate(dir.path());
    assert!(
        stderr(&first).contains("1 warning(s)"),
        "{}",
        stderr(&first)
    );
    let before = snapshot(&dir.path().join("out"));
    let second = regenerate(dir.path());
    let said = stderr(&second);
    assert!(said.contains("up to date ("), "{said}");
    let warnings = |text: &str| text.split("up to date (").next().unwrap_or("").to_owned();
    assert_eq!(
        warnings(&said),
        stderr(&first)
            .split("wrote ")
            .next()
            .unwrap_or("")
            .to_owned()
    );
    let denied = xtask(
        dir.path(),
        &[
            "regenerate",
            "--schemas",
            "schemas",
            "--out",
            "out",
            "--deny-warnings",
        ],
    );
    assert!(!denied.status.success());
    let said = stderr(&denied);
    assert!(said.contains("unknown format `colour`"), "{said}");
    assert!(
        said.contains("--deny-warnings makes warnings errors"),
        "{said}"
    );
    assert_eq!(snapshot(&dir.path().join("out")), before);
}

#[test]
fn regenerate_after_an_edit_of_a_schema_or_a_generated_file_runs_in_full() {
    let dir = project(PETS);
    regenerate(dir.path());
    let pet = dir.path().join("out/src/models/pet.rs");
    let generated = std::fs::read_to_string(&pet).expect("read");
    std::fs::write(&pet, "// edited\n").expect("write");
    let said = stderr(&regenerate(dir.path()));
    assert!(said.contains("wrote   src/models/pet.rs"), "{said}");
    assert_eq!(std::fs::read_to_string(&pet).ok(), Some(generated));
    std::fs::write(dir.path().join("schemas/api.yaml"), PETS_WITHOUT_OWNER).expect("write");
    let said = stderr(&regenerate(dir.path()));
    assert!(said.contains("removed src/models/owner.rs"), "{said}");
}

#[test]
fn removing_a_schema_removes_its_files_and_keeps_hand_written_ones() {
    let dir = project(PETS);
    regenerate(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("tests")).expect("mkdir");
    std::fs::write(out.join("tests/owner.rs"), "// Hand-written.\n").expect("write");
    std::fs::write(out.join("docs/models/NOTES.md"), "Hand-written.\n").expect("write");
    std::fs::write(dir.path().join("schemas/api.yaml"), PETS_WITHOUT_OWNER).expect("write");
    let output = regenerate(dir.path());
    let said = stderr(&output);
    assert!(said.contains("removed src/models/owner.rs"), "{said}");
    assert!(said.contains("removed docs/models/Owner.md"), "{said}");
    assert!(!out.join("src/models/owner.rs").exists());
    assert!(!out.join("docs/models/Owner.md").exists());
    assert!(out.join("src/models/pet.rs").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("tests/owner.rs"))
            .ok()
            .as_deref(),
        Some("// Hand-written.\n")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("docs/models/NOTES.md"))
            .ok()
            .as_deref(),
        Some("Hand-written.\n")
    );
}

#[test]
fn check_fails_naming_the_stale_file_and_the_command_to_run() {
    let dir = project(PETS);
    regenerate(dir.path());
    let check = xtask(
        dir.path(),
        &["check", "--schemas", "schemas", "--out", "out"],
    );
    assert!(check.status.success(), "{}", stderr(&check));
    let pet = dir.path().join("out/src/models/pet.rs");
    let edited = std::fs::read_to_string(&pet).expect("read") + "// edited\n";
    std::fs::write(&pet, edited).expect("write");
    std::fs::remove_file(dir.path().join("out/docs/models/Owner.md")).expect("remove");
    let check = xtask(
        dir.path(),
        &["check", "--schemas", "schemas", "--out", "out"],
    );
    assert!(!check.status.success());
    let said = stderr(&check);
    assert!(said.contains("stale:   src/models/pet.rs"), "{said}");
    assert!(said.contains("missing: docs/models/Owner.md"), "{said}");
    assert!(said.contains("run `cargo xtask regenerate`"), "{said}");
}

#[test]
fn regenerate_refuses_to_overwrite_a_hand_written_file_and_writes_nothing() {
    let dir = project(PETS);
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("src/lib.rs"), "//! Mine.\n").expect("write");
    let before = snapshot(&out);
    let output = xtask(
        dir.path(),
        &["regenerate", "--schemas", "schemas", "--out", "out"],
    );
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("refusing to overwrite") && said.contains("src/lib.rs"),
        "{said}"
    );
    assert!(said.contains("nothing was written"), "{said}");
    assert_eq!(snapshot(&out), before);
}

/// Fixtures that only warn: they fail only with `--deny-warnings`.
const WARNING_ONLY: &[&str] = &[
    "backtracking_pattern.yaml",
    "bad_default.yaml",
    "bad_pattern.yaml",
    "colliding_names.yaml",
    "many_constraint_problems.yaml",
    "merged_ref_cycle.yaml",
    "min_length_over_max.yaml",
    "minimum_over_maximum.yaml",
    "no_schemas.yaml",
    "required_missing_closed.yaml",
    "required_missing_open.yaml",
    "same_name_in_two_files",
    "warnings_only.yaml",
];

/// Descriptions that once failed and now generate cleanly; `codegen/tests/errors.rs` checks
/// what they become.
const NOW_GENERATE: &[&str] = &[
    "allof_ref_recursion.yaml",
    "annotated_ref_cycle.yaml",
    "two_multiples.yaml",
];

#[test]
fn bad_input_fails_naming_the_file_and_leaves_the_output_untouched() {
    let dir = project(PETS);
    regenerate(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("tests")).expect("mkdir");
    std::fs::write(out.join("tests/mine.rs"), "// Hand-written.\n").expect("write");
    let before = snapshot(&out);
    let bad_input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/bad_input");
    let mut fixtures: Vec<String> = std::fs::read_dir(&bad_input)
        .expect("bad_input")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !NOW_GENERATE.contains(&name.as_str()))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 20, "{fixtures:?}");
    for fixture in &fixtures {
        let path = bad_input.join(fixture);
        let path = path.to_str().expect("UTF-8 path");
        let mut args = vec!["regenerate", "--schemas", path, "--out", "out"];
        if WARNING_ONLY.contains(&fixture.as_str()) {
            args.push("--deny-warnings");
        }
        let output = xtask(dir.path(), &args);
        let said = stderr(&output);
        assert!(!output.status.success(), "{fixture} did not fail:\n{said}");
        assert!(
            said.contains(fixture.as_str()),
            "{fixture} is not named:\n{said}"
        );
        assert!(said.contains("nothing was written"), "{fixture}:\n{said}");
        assert_eq!(
            snapshot(&out),
            before,
            "{fixture} changed the output folder"
        );
    }
}

#[test]
fn warnings_do_not_stop_regenerate_but_deny_warnings_does() {
    let dir = project(&PETS.replace("minLength: 1", "minLength: 1\n          format: colour"));
    let denied = xtask(
        dir.path(),
        &[
            "regenerate",
            "--schemas",
            "schemas",
            "--out",
            "out",
            "--deny-warnings",
        ],
    );
    assert!(!denied.status.success());
    assert!(
        stderr(&denied).contains("unknown format `colour`"),
        "{}",
        stderr(&denied)
    );
    let said = stderr(&denied);
    assert!(
        said.contains("--deny-warnings makes warnings errors"),
        "{said}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
    let allowed = regenerate(dir.path());
    assert!(
        stderr(&allowed).contains("warning: unknown format `colour`"),
        "{}",
        stderr(&allowed)
    );
    assert!(dir.path().join("out/src/models/pet.rs").is_file());
}

#[test]
fn the_same_schemas_give_the_same_bytes_from_other_folders_and_processes() {
    let first = project(PETS);
    let second = project(PETS);
    // One run from the project folder with relative paths, the other from
    // elsewhere with absolute ones.
    regenerate(first.path());
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let schemas = second.path().join("schemas");
    let out = second.path().join("out");
    let output = xtask(
        elsewhere.path(),
        &[
            "regenerate",
            "--schemas",
            schemas.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = |dir: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(dir)
            .into_iter()
            .filter_map(|(p, f)| f.map(|(b, _)| (p, b)))
            .collect()
    };
    let a = bytes(&first.path().join("out"));
    let b = bytes(&out);
    assert!(a.len() > 5, "{:?}", a.keys());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, contents) in &a {
        assert!(b.get(path) == Some(contents), "{} differs", path.display());
        let text = String::from_utf8_lossy(contents);
        for leak in [first.path(), second.path(), elsewhere.path()] {
            let leak = leak.to_string_lossy();
            assert!(
                !text.contains(leak.as_ref()),
                "{} holds the path {leak}",
                path.display()
            );
        }
    }
}
