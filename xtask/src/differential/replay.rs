//! `--replay FILE`: one disagreement again, from a description written by hand or copied from
//! a run's report. The file is an OpenAPI description (YAML or JSON) whose first schema under
//! `components/schemas` is the one compared; its instances are the list `x-instances` at the
//! top level. Each instance is judged by ours and by the oracle, and every disagreement is
//! classified (and shrunk on the instance) as in a run. Given a folder, every `.json`, `.yaml`
//! and `.yml` file in it is replayed, in name order.
//!
//! A top-level `x-expect` pins the outcome, so that a replayed case stays what it was found to
//! be: `agree` (the two verdicts agree on every instance: the case was a bug, fixed since), or
//! the name of a deviation that every disagreement of the case is classified as.

use super::classify::{classify, Class, Facts, DEVIATIONS};
use super::{
    compare, corpus::rust_names, is_openapi30, read_description, run_ours_files, settings, shrink,
    tally_pairs, verdict_text, work_dir, Options, Subject, Tally,
};
use crate::models_runner::Runner;
use codegen::diagnostic::Diagnostics;
use serde_json::{Map, Value};
use std::path::Path;

pub fn run(path: &Path, options: &Options) -> Result<Tally, String> {
    let mut tally = Tally::default();
    if path.is_dir() {
        let entries =
            std::fs::read_dir(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("{}: no description to replay", path.display()));
        }
        // Every file is replayed, and every failure reported together.
        let mut failures = Vec::new();
        for file in files {
            println!("== {}", file.display());
            if let Err(e) = one(&file, options, &mut tally) {
                println!("FAILED: {e}");
                failures.push(e);
            }
        }
        if !failures.is_empty() {
            return Err(failures.join("\n"));
        }
    } else {
        one(path, options, &mut tally)?;
    }
    Ok(tally)
}

/// Replays one description into `tally`.
fn one(path: &Path, options: &Options, tally: &mut Tally) -> Result<(), String> {
    let description = read_description(path)?;
    let expect = match description.get("x-expect") {
        None => None,
        Some(Value::String(e)) if e == "agree" || DEVIATIONS.iter().any(|r| r.name == e) => {
            Some(e.as_str())
        }
        Some(other) => {
            let known: Vec<&str> = DEVIATIONS.iter().map(|r| r.name).collect();
            return Err(format!(
                "{}: `x-expect` is {other}; it takes `agree` or a deviation ({})",
                path.display(),
                known.join(", ")
            ));
        }
    };
    let openapi30 = is_openapi30(&description);
    let schemas: Map<String, Value> = description
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some((name, _)) = schemas.iter().next() else {
        return Err(format!(
            "{}: no schema under components/schemas",
            path.display()
        ));
    };
    let instances: Vec<Value> = match description.get("x-instances") {
        Some(Value::Array(items)) if !items.is_empty() => items.clone(),
        _ => {
            return Err(format!(
                "{}: no instances (a non-empty list `x-instances` at the top level)",
                path.display()
            ))
        }
    };
    let models = "differential-replay-models";
    let settings = settings(models, false);
    let generation = codegen::generate_from(
        &[path.to_path_buf()],
        &codegen::load::Disk,
        &settings,
        Diagnostics::new(),
    );
    if generation.failed(false) {
        return Err(format!("generation failed:\n{}", generation.report()));
    }
    let rust = rust_names(path, &settings)
        .remove(name)
        .ok_or_else(|| format!("`{name}` has no type of its own"))?;
    let subjects = vec![Subject {
        name: name.clone(),
        rust,
        schemas: schemas
            .iter()
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect(),
        instances: instances.into_iter().map(|v| (v, "given")).collect(),
    }];
    let package = "differential-replay";
    let runner = Runner {
        dir: work_dir().join(package),
        package,
        models,
    };
    let ours = run_ours_files(&runner, &generation.files, &subjects)?;
    let oracle = super::oracle::Oracle::new(schemas.iter(), openapi30);
    let pairs = compare(&subjects, &oracle, ours);
    for pair in &pairs {
        println!(
            "instance {}\n  ours:   {}\n  oracle: {}",
            pair.instance,
            verdict_text(&pair.ours),
            verdict_text(&pair.oracle)
        );
    }
    tally.builds += 1;
    tally.subjects += 1;
    let shrinker = shrink::Shrinker {
        runner: &runner,
        settings: &settings,
        openapi30,
        rebuild: false,
        defs: &schemas,
        batch: None,
        replaced: Default::default(),
    };
    tally_pairs(tally, &subjects, &pairs, &options.pending, Some(&shrinker));
    match expect {
        Some(expect) => expected(path, expect, &subjects, &pairs, options),
        None => Ok(()),
    }
}

/// Whether every pair of a replayed case turned out as its `x-expect` says.
fn expected(
    path: &Path,
    expect: &str,
    subjects: &[Subject],
    pairs: &[super::Pair],
    options: &Options,
) -> Result<(), String> {
    let mut classes = Vec::new();
    for pair in pairs.iter().filter(|p| p.ours.is_ok() != p.oracle.is_ok()) {
        let Some(subject) = subjects.get(pair.subject) else {
            continue;
        };
        let facts = Facts {
            schemas: &subject.schemas,
            instance: &pair.instance,
            ours: &pair.ours,
            oracle: &pair.oracle,
            defs: None,
        };
        classes.push(match classify(&facts, &options.pending) {
            Class::Deviation(rule) | Class::Pending(rule) => rule.name,
            Class::Unexplained => "unexplained",
        });
    }
    let met = match expect {
        "agree" => classes.is_empty(),
        name => !classes.is_empty() && classes.iter().all(|c| *c == name),
    };
    if met {
        Ok(())
    } else {
        Err(format!(
            "{}: expected `{expect}`, found {}",
            path.display(),
            if classes.is_empty() {
                "agreement on every instance".to_owned()
            } else {
                classes.join(", ")
            }
        ))
    }
}
