//! `--replay FILE`: one disagreement again, from a description written by hand or copied from
//! a run's report. The file is an OpenAPI description (YAML or JSON) whose first schema under
//! `components/schemas` is the one compared; its instances are the list `x-instances` at the
//! top level. Each instance is judged by ours and by the oracle, and every disagreement is
//! classified (and shrunk on the instance) as in a run.

use super::{
    compare, corpus::rust_names, is_openapi30, read_description, run_ours_files, settings, shrink,
    tally_pairs, verdict_text, work_dir, Options, Subject, Tally,
};
use crate::models_runner::Runner;
use codegen::diagnostic::Diagnostics;
use serde_json::{Map, Value};
use std::path::Path;

pub fn run(path: &Path, options: &Options) -> Result<Tally, String> {
    let description = read_description(path)?;
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
        Some(Value::Array(items)) => items.clone(),
        _ => {
            return Err(format!(
                "{}: no instances (a list `x-instances` at the top level)",
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
    let mut tally = Tally {
        builds: 1,
        subjects: 1,
        ..Tally::default()
    };
    let shrinker = shrink::Shrinker {
        runner: &runner,
        settings: &settings,
        openapi30,
        rebuild: false,
        defs: &schemas,
        batch: None,
        replaced: Default::default(),
    };
    tally_pairs(
        &mut tally,
        &subjects,
        &pairs,
        &options.pending,
        Some(&shrinker),
    );
    Ok(tally)
}
