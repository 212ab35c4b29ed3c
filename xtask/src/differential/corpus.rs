//! `--corpus`: the comparison over every named schema of the corpus descriptions that
//! `cargo xtask corpus` fetches, with instances from their examples, values built from them,
//! and mutations of both. Disagreements are shrunk on the instance only (a rebuild of a
//! corpus crate is too slow to shrink schemas).

use super::{
    add_instances, compare, is_openapi30, read_description, run_ours_files, settings, shrink,
    tally_pairs, work_dir, Options, Subject, Tally,
};
use crate::corpus::{fetch, CORPUS};
use crate::models_runner::Runner;
use codegen::diagnostic::Diagnostics;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Too large for a routine run; named explicitly (or with `all`) to include them.
const LARGE: &[&str] = &["github", "github-webhooks"];

pub fn run(names: &[String], options: &Options) -> Result<super::Tally, String> {
    let entries: Vec<_> = CORPUS
        .iter()
        .filter(|e| {
            names
                .iter()
                .any(|n| n == e.name || n == "all" || (n == "default" && !LARGE.contains(&e.name)))
        })
        .collect();
    if entries.is_empty() {
        let known: Vec<&str> = CORPUS.iter().map(|e| e.name).collect();
        return Err(format!(
            "--corpus: no description named {} (known: default, all, {})",
            names.join(","),
            known.join(", ")
        ));
    }
    let mut tally = Tally::default();
    let mut rng = super::Rng::new(options.seed);
    for entry in entries {
        let path = fetch(entry)?;
        let description = read_description(&path)?;
        let openapi30 = is_openapi30(&description);
        let schemas: Map<String, Value> = description
            .pointer("/components/schemas")
            .or_else(|| description.get("definitions"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let models = format!("differential-{}-models", entry.name);
        let settings = settings(&models, true);
        let generation = codegen::generate_from(
            std::slice::from_ref(&path),
            &codegen::load::Disk,
            &settings,
            Diagnostics::new(),
        );
        if generation.failed(false) {
            return Err(format!(
                "{}: generation failed:\n{}",
                entry.name,
                generation.report()
            ));
        }
        let rust_names = rust_names(&path, &settings);
        let mut subjects = Vec::new();
        for (name, schema) in &schemas {
            let Some(rust) = rust_names.get(name) else {
                *tally
                    .skipped
                    .entry("no type of its own".to_owned())
                    .or_default() += 1;
                continue;
            };
            let mut subject = Subject {
                name: name.clone(),
                rust: rust.clone(),
                schemas: vec![(name.clone(), schema.clone())],
                instances: Vec::new(),
            };
            add_instances(&mut subject, &schemas, &mut rng, 2);
            subjects.push(subject);
        }
        let pairs_here: usize = subjects.iter().map(|s| s.instances.len()).sum();
        eprintln!(
            "{}: {} schemas, {pairs_here} instances: building",
            entry.name,
            subjects.len()
        );
        let package = format!("differential-corpus-{}", entry.name);
        let runner = Runner {
            dir: work_dir().join(&package),
            package: &package,
            models: &models,
        };
        let ours = run_ours_files(&runner, &generation.files, &subjects)?;
        tally.builds += 1;
        tally.subjects += subjects.len();
        let oracle = super::oracle::Oracle::new(schemas.iter(), openapi30);
        let pairs = compare(&subjects, &oracle, ours);
        let shrinker = shrink::Shrinker {
            runner: &runner,
            settings: &settings,
            openapi30,
            rebuild: false,
            defs: &schemas,
            batch: None,
            replaced: Default::default(),
        };
        let before = tally.unexplained.len();
        tally_pairs(
            &mut tally,
            &subjects,
            &pairs,
            &options.pending,
            Some(&shrinker),
        );
        eprintln!(
            "{}: {} pairs, {} unexplained disagreement(s)",
            entry.name,
            pairs.len(),
            tally.unexplained.len() - before
        );
    }
    Ok(tally)
}

/// The Rust type of each named schema: the first type of its module.
pub(super) fn rust_names(
    path: &std::path::Path,
    settings: &codegen::settings::Settings,
) -> BTreeMap<String, String> {
    let mut diagnostics = Diagnostics::new();
    let spec = codegen::load::load(
        std::slice::from_ref(&path.to_path_buf()),
        &codegen::load::Disk,
        &mut diagnostics,
    );
    let model = codegen::ir::lower(&spec, settings, &mut diagnostics);
    let mut names = BTreeMap::new();
    for module in &model.modules {
        if let Some(def) = module.types.first().and_then(|id| model.get(*id)) {
            // A nullable schema's type is its alias, `Option<...Value>`.
            let rust = def.nullable_alias.as_ref().unwrap_or(&def.name);
            names.insert(def.schema_name.clone(), rust.clone());
        }
    }
    names
}
