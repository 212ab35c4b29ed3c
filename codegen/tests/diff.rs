//! Breaking-change report fixtures: every case in `tests/diff/<case>/` compares
//! `old.yaml` with `new.yaml` and must give the report checked in beside them,
//! as Markdown (`expected.md`) and as JSON (`expected.json`).
//!
//! `UPDATE_GOLDEN=1 cargo test -p codegen --test diff` rewrites the expected files.

use codegen::diff;
use codegen::load::Disk;
use codegen::settings::Settings;
use std::path::{Path, PathBuf};

const CASES: &str = "tests/diff";

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

fn lowered(path: PathBuf) -> codegen::ir::Model {
    let version = diff::lower(std::slice::from_ref(&path), &Disk, &Settings::default());
    assert!(
        version.diagnostics.is_empty(),
        "{} must lower without diagnostics:\n{}",
        path.display(),
        version.report()
    );
    version.model
}

/// Compares `actual` with the expected file, or rewrites it when updating.
fn check(expected: &Path, actual: &str, failures: &mut Vec<String>) {
    if updating() {
        std::fs::write(expected, actual).expect("writable expected file");
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want != actual {
        failures.push(format!(
            "{} differs; got:\n{actual}\n(UPDATE_GOLDEN=1 rewrites it)",
            expected.display()
        ));
    }
}

#[test]
fn every_case_gives_its_checked_in_report() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(CASES)
        .expect("cases folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 9, "cases missing from {CASES}");
    let mut failures = Vec::new();
    for case in &cases {
        let old = lowered(case.join("old.yaml"));
        let new = lowered(case.join("new.yaml"));
        let report = diff::compare(&old, &new);
        check(&case.join("expected.md"), &report.markdown(), &mut failures);
        check(&case.join("expected.json"), &report.json(), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn reversing_a_case_reports_changes_in_the_same_types() {
    for name in ["types", "fields", "enums", "constraints", "unchanged"] {
        let case = Path::new(CASES).join(name);
        let old = lowered(case.join("old.yaml"));
        let new = lowered(case.join("new.yaml"));
        let forward = diff::compare(&old, &new);
        let backward = diff::compare(&new, &old);
        assert_eq!(forward.changes.is_empty(), name == "unchanged", "{name}");
        assert_eq!(backward.changes.is_empty(), name == "unchanged", "{name}");
        // What one direction adds the other removes: both name the same types.
        let mut forward_types: Vec<&str> = forward
            .changes
            .iter()
            .map(|c| c.type_name.as_str())
            .collect();
        let mut backward_types: Vec<&str> = backward
            .changes
            .iter()
            .map(|c| c.type_name.as_str())
            .collect();
        forward_types.dedup();
        backward_types.dedup();
        forward_types.sort();
        backward_types.sort();
        assert_eq!(forward_types, backward_types, "{name}");
    }
}
