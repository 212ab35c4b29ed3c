//! `cargo xtask differential`: compares deserialize + `validate()` of generated code with a
//! reference JSON Schema validator (the `jsonschema` crate), instance by instance.
//!
//! Random schemas ([`schemas`]) go into one OpenAPI document per batch, so a batch costs one
//! crate build; each gets instances built from it, near-miss mutations and its examples
//! ([`instances`]). The oracle ([`oracle`]) judges each instance against the schema translated
//! to JSON Schema. Every instance on which the two verdicts differ is a disagreement: it is
//! shrunk, printed, and classified ([`classify`]); an unexplained one fails the run.
//! `--corpus` runs the same comparison over the corpus descriptions.

mod classify;
mod corpus;
mod instances;
pub(crate) mod oracle;
mod replay;
mod schemas;
mod shrink;

use crate::models_runner::{generate_in_memory, target_dir, workspace_root, Runner};
use classify::{classify, Class, Facts, DEVIATIONS, PENDING};
use codegen::diagnostic::Severity;
use codegen::settings::{FormatChoice, Settings};
use instances::{Resolve, Rng};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo xtask differential [--cases N] [--seed S] [--batch B] [--draws D] [--corpus NAMES] [--replay FILE] [--pending BUGS]

  --cases N       random schemas to try (default 200)
  --seed S        seed of the schemas and instances (default 1)
  --batch B       schemas per generated crate (default 100)
  --draws D       values drawn from each schema's property-test strategy, which the oracle
                  must accept (default 16; 0: none)
  --corpus NAMES  compare over corpus descriptions instead (comma-separated, or `all`;
                  `default` is every one but github and github-webhooks)
  --replay FILE   compare the first schema of one description (YAML or JSON) on the instances
                  listed under its top-level `x-instances`, as printed by a run's report
  --pending BUGS  count disagreements of these known generator bugs apart, loudly, instead of
                  failing on them (comma-separated; see the summary for the names)
";

struct Options {
    cases: usize,
    seed: u64,
    batch: usize,
    draws: u32,
    corpus: Option<Vec<String>>,
    replay: Option<PathBuf>,
    pending: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        cases: 200,
        seed: 1,
        batch: 100,
        draws: 16,
        corpus: None,
        replay: None,
        pending: Vec::new(),
    };
    let mut it = args.iter();
    let number = |v: Option<&String>, flag: &str| -> Result<u64, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number\n\n{USAGE}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cases" => o.cases = number(it.next(), "--cases")? as usize,
            "--seed" => o.seed = number(it.next(), "--seed")?,
            "--batch" => o.batch = (number(it.next(), "--batch")? as usize).max(1),
            "--draws" => o.draws = number(it.next(), "--draws")? as u32,
            "--corpus" => {
                let names = it
                    .next()
                    .ok_or_else(|| format!("--corpus needs names\n\n{USAGE}"))?;
                o.corpus = Some(names.split(',').map(str::to_owned).collect());
            }
            "--replay" => {
                let file = it
                    .next()
                    .ok_or_else(|| format!("--replay needs a file\n\n{USAGE}"))?;
                o.replay = Some(PathBuf::from(file));
            }
            "--pending" => {
                let names = it
                    .next()
                    .ok_or_else(|| format!("--pending needs names\n\n{USAGE}"))?;
                for name in names.split(',') {
                    if !PENDING.iter().any(|r| r.name == name) {
                        let known: Vec<&str> = PENDING.iter().map(|r| r.name).collect();
                        return Err(format!(
                            "--pending: unknown bug class `{name}` (known: {})",
                            known.join(", ")
                        ));
                    }
                    o.pending.push(name.to_owned());
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(o)
}

/// Runs the command.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let outcome = match (&options.replay, &options.corpus) {
        (Some(file), _) => replay::run(file, &options),
        (None, Some(names)) => corpus::run(names, &options),
        (None, None) => run_random(&options),
    };
    match outcome {
        Ok(tally) => {
            let ok = tally.print(&options);
            let phases: Vec<String> = tally
                .phases
                .iter()
                .map(|(name, spent)| format!("{name} {:.1} s", spent.as_secs_f64()))
                .collect();
            eprintln!(
                "differential: {:.1} s{}{}",
                started.elapsed().as_secs_f64(),
                if phases.is_empty() { "" } else { ": " },
                phases.join(", ")
            );
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One schema under test and its instances.
pub struct Subject {
    /// The schema's name in the description.
    pub name: String,
    /// Its Rust type.
    pub rust: String,
    /// The named schemas it needs, its own first (for reports and shrinking).
    pub schemas: Vec<(String, Value)>,
    /// Instances, each with what it is (`built`, `mutation`, `example`).
    pub instances: Vec<(Value, &'static str)>,
}

/// A named schema lookup over a description's schemas (`#/components/schemas/X`).
pub struct Defs<'a>(pub &'a Map<String, Value>);

impl Resolve for Defs<'_> {
    fn resolve(&self, reference: &str) -> Option<&Value> {
        let rest = ["#/components/schemas/", "#/definitions/"]
            .iter()
            .find_map(|p| reference.strip_prefix(p))?;
        let mut parts = rest
            .split('/')
            .map(|p| p.replace("~1", "/").replace("~0", "~"));
        let mut node = self.0.get(&parts.next()?)?;
        for part in parts {
            node = match node {
                Value::Object(m) => m.get(&part)?,
                Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// Adds built values, their mutations and the examples of each subject's own schema.
pub fn add_instances(
    subject: &mut Subject,
    defs: &Map<String, Value>,
    rng: &mut Rng,
    built: usize,
) {
    let resolve = Defs(defs);
    let Some((_, schema)) = subject.schemas.first() else {
        return;
    };
    let schema = schema.clone();
    let mut seen: Vec<Value> = subject.instances.iter().map(|(v, _)| v.clone()).collect();
    let mut examples = Vec::new();
    instances::examples(&schema, &mut examples);
    let mut bases = examples.clone();
    for e in examples {
        if !seen.contains(&e) {
            seen.push(e.clone());
            subject.instances.push((e, "example"));
        }
    }
    for _ in 0..built {
        let v = instances::build(&schema, &resolve, rng, 0);
        if !seen.contains(&v) {
            seen.push(v.clone());
            bases.push(v.clone());
            subject.instances.push((v, "built"));
        }
    }
    for base in bases {
        for m in instances::mutations(&schema, &base, &resolve, rng) {
            if !seen.contains(&m) {
                seen.push(m.clone());
                subject.instances.push((m, "mutation"));
            }
        }
    }
}

/// Verdicts of one instance.
pub struct Pair {
    pub subject: usize,
    pub instance: Value,
    pub kind: &'static str,
    pub ours: Result<(), String>,
    pub oracle: Result<(), String>,
}

/// Counts of a run, and the disagreements to print.
#[derive(Default)]
pub struct Tally {
    pub subjects: usize,
    pub skipped: BTreeMap<String, usize>,
    pub pairs: usize,
    pub accepted_by_both: usize,
    /// Count and first example of each deviation and pending bug.
    pub deviations: BTreeMap<&'static str, (usize, String)>,
    pub pending: BTreeMap<&'static str, (usize, String)>,
    pub unexplained: Vec<String>,
    pub builds: usize,
    /// Values drawn from the schemas' strategies, and how many schemas had one.
    pub strategy_values: usize,
    pub strategy_schemas: usize,
    /// Draws where a strategy's filters gave up: count and first reason.
    pub strategy_gave_up: (usize, String),
    /// Drawn values not valid by both the oracle and ours (class `strategy-value-rejected`),
    /// as printed.
    pub strategy_rejected: Vec<String>,
    /// Wall time spent in each phase, in the order the phases first ran.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Tally {
    /// Adds the time since `start` to `phase`, and returns now.
    fn time(&mut self, phase: &'static str, start: Instant) -> Instant {
        let now = Instant::now();
        let spent = now.duration_since(start);
        match self.phases.iter_mut().find(|(name, _)| *name == phase) {
            Some((_, total)) => *total += spent,
            None => self.phases.push((phase, spent)),
        }
        now
    }

    /// Counts a classified disagreement; the first of each class is kept as its example.
    fn record(&mut self, class: &Class, label: &str, facts: &Facts) {
        let (map, name) = match class {
            Class::Deviation(rule) => (&mut self.deviations, rule.name),
            Class::Pending(rule) => (&mut self.pending, rule.name),
            Class::Unexplained => return,
        };
        let entry = map.entry(name).or_insert_with(|| {
            let schema = facts
                .schemas
                .first()
                .map(|(_, s)| s.to_string())
                .unwrap_or_default();
            let mut schema: String = schema.chars().take(300).collect();
            if schema.len() >= 300 {
                schema.push('…');
            }
            (
                0,
                format!(
                    "`{label}` {schema}; instance {}; ours {}; oracle {}",
                    facts.instance,
                    verdict_text(facts.ours),
                    verdict_text(facts.oracle)
                ),
            )
        });
        entry.0 += 1;
    }

    /// Prints the summary; whether the run passed.
    fn print(&self, options: &Options) -> bool {
        let deviations: usize = self.deviations.values().map(|(n, _)| n).sum();
        let pending: usize = self.pending.values().map(|(n, _)| n).sum();
        println!("\n== differential summary (seed {}) ==", options.seed);
        println!(
            "schemas: {} compared, {} skipped (the generator rejects them); {} crate builds",
            self.subjects,
            self.skipped.values().sum::<usize>(),
            self.builds
        );
        for (why, n) in &self.skipped {
            println!("  skipped {n}: {why}");
        }
        println!(
            "pairs tried: {} ({} valid by the oracle and ours)",
            self.pairs, self.accepted_by_both
        );
        println!(
            "disagreements: {} unexplained, {deviations} deliberate deviations, {pending} pending known bugs",
            self.unexplained.len()
        );
        if self.strategy_schemas > 0 {
            println!(
                "strategy values: {} drawn from the strategies of {} schemas ({} per schema), {} rejected (strategy-value-rejected); {} draws gave up{}",
                self.strategy_values,
                self.strategy_schemas,
                options.draws,
                self.strategy_rejected.len(),
                self.strategy_gave_up.0,
                if self.strategy_gave_up.1.is_empty() {
                    String::new()
                } else {
                    format!(" (first: {})", self.strategy_gave_up.1)
                }
            );
        }
        for (name, (n, example)) in &self.deviations {
            let reason = DEVIATIONS
                .iter()
                .find(|r| r.name == *name)
                .map_or("", |r| r.reason);
            println!("  deviation {name}: {n} ({reason})\n      e.g. {example}");
        }
        if !options.pending.is_empty() {
            println!(
                "!! PENDING KNOWN GENERATOR BUGS (listed with --pending, not failing this run):"
            );
            for name in &options.pending {
                let reason = PENDING
                    .iter()
                    .find(|r| r.name == *name)
                    .map_or("", |r| r.reason);
                match self.pending.get(name.as_str()) {
                    Some((n, example)) => {
                        println!(
                            "!!   {name}: {n} disagreement(s): {reason}\n!!       e.g. {example}"
                        )
                    }
                    None => println!("!!   {name}: 0 disagreement(s): {reason}"),
                }
            }
        }
        self.unexplained.is_empty() && self.strategy_rejected.is_empty()
    }
}

/// Settings of the generated crates: formats as checked strings keep the Rust types simple
/// (typed dates are compared by the corpus run, which keeps the defaults).
fn settings(crate_name: &str, typed_formats: bool) -> Settings {
    let formats = if typed_formats {
        Default::default()
    } else {
        ["date-time", "date", "uuid"]
            .into_iter()
            .map(|f| (f.to_owned(), FormatChoice::String))
            .collect()
    };
    Settings {
        crate_name: Some(crate_name.to_owned()),
        formats,
        ..Settings::default()
    }
}

fn document_for(schemas: Map<String, Value>, version: &str) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "Differential", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
}

/// The first error the generator reports for `schemas` on their own.
fn generator_error(
    schemas: &[(String, Value)],
    settings: &Settings,
    openapi30: bool,
) -> Option<String> {
    let map: Map<String, Value> = schemas.iter().cloned().collect();
    let version = if openapi30 { "3.0.3" } else { "3.1.0" };
    let generation =
        match generate_in_memory(&document_for(map, version), "differential.json", settings) {
            Ok(g) => g,
            Err(e) => return Some(e),
        };
    let error = generation
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)?;
    Some(corpus_kind(&error.message))
}

fn corpus_kind(message: &str) -> String {
    crate::corpus::kind(message)
}

/// The work folder: `<target>/differential`.
fn work_dir() -> PathBuf {
    target_dir(&workspace_root()).join("differential")
}

/// Generates the crate of `document`, builds its runner and returns every verdict of ours.
fn run_ours(
    runner: &Runner,
    document: &Value,
    settings: &Settings,
    subjects: &[Subject],
) -> Result<Vec<Result<(), String>>, String> {
    let generation = generate_in_memory(document, "differential.json", settings)?;
    if generation.failed(false) {
        return Err(format!(
            "generating the batch failed:\n{}",
            generation.report()
        ));
    }
    let copy = runner.dir.join("differential.json");
    std::fs::create_dir_all(&runner.dir).map_err(|e| e.to_string())?;
    std::fs::write(
        &copy,
        serde_json::to_string_pretty(document).unwrap_or_default(),
    )
    .map_err(|e| format!("writing {}: {e}", copy.display()))?;
    run_ours_files(runner, &generation.files, subjects)
}

/// Writes generated files as the runner's models crate, builds it and runs every instance.
fn run_ours_files(
    runner: &Runner,
    files: &[codegen::emit::File],
    subjects: &[Subject],
) -> Result<Vec<Result<(), String>>, String> {
    runner.write_models(files)?;
    build_and_run(runner, subjects)
}

fn build_and_run(runner: &Runner, subjects: &[Subject]) -> Result<Vec<Result<(), String>>, String> {
    let root = workspace_root();
    let target = target_dir(&root);
    let dispatch: Vec<(u64, String)> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u64, s.rust.clone()))
        .collect();
    let binary = runner.build(&root, &target, &dispatch)?;
    let pairs: Vec<(u64, &Value)> = subjects
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.instances.iter().map(move |(v, _)| (i as u64, v)))
        .collect();
    runner.run(&binary, &pairs)
}

/// Both verdicts for every instance of every subject.
fn compare(
    subjects: &[Subject],
    oracle: &oracle::Oracle,
    ours: Vec<Result<(), String>>,
) -> Vec<Pair> {
    let mut ours = ours.into_iter();
    let mut pairs = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        let validator = oracle.validator(&subject.name);
        for (instance, kind) in &subject.instances {
            let mine = ours.next().unwrap_or_else(|| Err("no result".to_owned()));
            let theirs = match &validator {
                Ok(v) => oracle::verdict(v, instance),
                Err(e) => Err(e.clone()),
            };
            pairs.push(Pair {
                subject: i,
                instance: instance.clone(),
                kind,
                ours: mine,
                oracle: theirs,
            });
        }
    }
    pairs
}

fn verdict_text(v: &Result<(), String>) -> String {
    match v {
        Ok(()) => "valid".to_owned(),
        Err(why) => format!("invalid ({why})"),
    }
}

/// A disagreement as printed: the schemas as YAML, the instance and both verdicts.
pub fn describe(
    label: &str,
    schemas: &[(String, Value)],
    instance: &Value,
    ours: &Result<(), String>,
    oracle: &Result<(), String>,
) -> String {
    let map: Map<String, Value> = schemas.iter().cloned().collect();
    let yaml = serde_yaml::to_string(&map).unwrap_or_default();
    let yaml: String = yaml.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "DISAGREEMENT on `{label}`\n  schema (components/schemas):\n{yaml}  instance: {}\n  ours:   {}\n  oracle: {}\n",
        instance,
        verdict_text(ours),
        verdict_text(oracle)
    )
}

/// Counts the pairs of a batch and classifies its disagreements; unexplained ones are shrunk
/// (with `rebuild` for schema candidates) and printed.
fn tally_pairs(
    tally: &mut Tally,
    subjects: &[Subject],
    pairs: &[Pair],
    pending: &[String],
    shrinker: Option<&shrink::Shrinker>,
) {
    let mut unexplained: Vec<&Pair> = Vec::new();
    let mut rejected: Vec<&Pair> = Vec::new();
    for pair in pairs {
        tally.pairs += 1;
        if pair.ours.is_ok() && pair.oracle.is_ok() {
            tally.accepted_by_both += 1;
        }
        // A value drawn from a strategy must be valid by both; one that is not is the
        // strategy's failure unless a documented deviation or a listed bug explains it.
        let drawn_and_rejected = pair.kind == DRAWN && !(pair.ours.is_ok() && pair.oracle.is_ok());
        if pair.ours.is_ok() == pair.oracle.is_ok() && !drawn_and_rejected {
            continue;
        }
        let Some(subject) = subjects.get(pair.subject) else {
            continue;
        };
        let facts = Facts {
            schemas: &subject.schemas,
            instance: &pair.instance,
            ours: &pair.ours,
            oracle: &pair.oracle,
            defs: shrinker.map(|s| s.defs),
        };
        match classify(&facts, pending) {
            Class::Unexplained if drawn_and_rejected => rejected.push(pair),
            Class::Unexplained => unexplained.push(pair),
            class => tally.record(&class, &subject.name, &facts),
        }
    }
    tally_rejected(tally, subjects, &rejected, pending, shrinker);
    let shrunk = match shrinker {
        Some(s) => s.shrink(subjects, &unexplained, tally),
        None => Vec::new(),
    };
    // A shrunk repro shows the cause plainly: classified again, it may match a rule that the
    // original (inside a union, say) hid.
    let defs = shrinker.map(|s| s.defs);
    for item in shrunk {
        let class = match &item.repro {
            Some((schemas, instance, ours, oracle)) => classify(
                &Facts {
                    schemas,
                    instance,
                    ours,
                    oracle,
                    defs,
                },
                pending,
            ),
            None => Class::Unexplained,
        };
        match (class, &item.repro) {
            (Class::Unexplained, _) | (_, None) => {
                println!("{}", item.text);
                tally.unexplained.push(item.text);
            }
            (class, Some((schemas, instance, ours, oracle))) => {
                let label = schemas.first().map_or("", |(n, _)| n.as_str());
                let facts = Facts {
                    schemas,
                    instance,
                    ours,
                    oracle,
                    defs,
                };
                tally.record(&class, &format!("{label}, shrunk"), &facts);
            }
        }
    }
}

/// The kind of the instances drawn from a strategy.
const DRAWN: &str = "strategy";

/// Drawn values that the oracle or ours rejects (class `strategy-value-rejected`): those on
/// which the two disagree are shrunk like other disagreements (and classified again once
/// shrunk), those both reject are printed as they are.
fn tally_rejected(
    tally: &mut Tally,
    subjects: &[Subject],
    rejected: &[&Pair],
    pending: &[String],
    shrinker: Option<&shrink::Shrinker>,
) {
    let (disagreeing, both): (Vec<&Pair>, Vec<&Pair>) = rejected
        .iter()
        .partition(|p| p.ours.is_ok() != p.oracle.is_ok());
    for pair in both {
        let name = subjects.get(pair.subject).map_or("", |s| s.name.as_str());
        let text = format!(
            "STRATEGY VALUE REJECTED (strategy-value-rejected) on `{name}`: instance {}\n  ours:   {}\n  oracle: {}\n",
            pair.instance,
            verdict_text(&pair.ours),
            verdict_text(&pair.oracle)
        );
        println!("{text}");
        tally.strategy_rejected.push(text);
    }
    let shrunk = match shrinker {
        Some(s) if !disagreeing.is_empty() => s.shrink(subjects, &disagreeing, tally),
        _ => disagreeing
            .iter()
            .map(|p| shrink::Shrunk {
                text: describe(
                    subjects.get(p.subject).map_or("", |s| s.name.as_str()),
                    subjects
                        .get(p.subject)
                        .map_or(&[], |s| s.schemas.as_slice()),
                    &p.instance,
                    &p.ours,
                    &p.oracle,
                ),
                repro: None,
            })
            .collect(),
    };
    let defs = shrinker.map(|s| s.defs);
    for item in shrunk {
        if let Some((schemas, instance, ours, oracle)) = &item.repro {
            let facts = Facts {
                schemas,
                instance,
                ours,
                oracle,
                defs,
            };
            let class = classify(&facts, pending);
            if !matches!(class, Class::Unexplained) {
                let label = schemas.first().map_or("", |(n, _)| n.as_str());
                tally.record(
                    &class,
                    &format!("{label}, drawn from its strategy, shrunk"),
                    &facts,
                );
                continue;
            }
        }
        let text = format!(
            "STRATEGY VALUE REJECTED (strategy-value-rejected), a value drawn from the strategy, shrunk:\n{}",
            item.text
        );
        println!("{text}");
        tally.strategy_rejected.push(text);
    }
}

/// Generates the crate of `document` with its strategies, draws `draws` values from the
/// strategy of every subject that has one (added to its instances as [`DRAWN`]), builds the
/// runner and returns every verdict of ours.
fn run_ours_drawing(
    runner: &Runner,
    document: &Value,
    settings: &Settings,
    subjects: &mut [Subject],
    draws: u32,
    seed: u64,
    tally: &mut Tally,
) -> Result<Vec<Result<(), String>>, String> {
    let start = Instant::now();
    let generation = generate_in_memory(document, "differential.json", settings)?;
    if generation.failed(false) {
        return Err(format!(
            "generating the batch failed:\n{}",
            generation.report()
        ));
    }
    std::fs::create_dir_all(&runner.dir).map_err(|e| e.to_string())?;
    let copy = runner.dir.join("differential.json");
    std::fs::write(
        &copy,
        serde_json::to_string_pretty(document).unwrap_or_default(),
    )
    .map_err(|e| format!("writing {}: {e}", copy.display()))?;
    runner.write_models(&generation.files)?;
    let arbitrary = generation
        .files
        .iter()
        .find(|f| f.path == "src/arbitrary.rs")
        .map_or("", |f| f.contents.as_str());
    let has = |function: &String| arbitrary.contains(&format!("pub fn {function}("));
    // A nullable schema is `type X = Option<XValue>`: values of `XValue` are values of it.
    let nullable = |rust: &str| {
        let alias = format!("pub type {rust} = Option<{rust}Value>;");
        generation.files.iter().any(|f| f.contents.contains(&alias))
    };
    let strategy_fns: Vec<(u64, String)> = subjects
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let function = codegen::emit::rust::strategies::function_name(&s.rust);
            let inner = codegen::emit::rust::strategies::function_name(&format!("{}Value", s.rust));
            if has(&function) {
                Some((i as u64, function))
            } else if has(&inner) && nullable(&s.rust) {
                Some((i as u64, inner))
            } else {
                None
            }
        })
        .collect();
    let root = workspace_root();
    let target = target_dir(&root);
    let dispatch: Vec<(u64, String)> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u64, s.rust.clone()))
        .collect();
    let start = tally.time("generating the crate", start);
    let binary = runner.build_drawing(&root, &target, &dispatch, &strategy_fns)?;
    let start = tally.time("building it", start);
    if !strategy_fns.is_empty() {
        tally.strategy_schemas += strategy_fns.len();
        let mut seen: Vec<Vec<Value>> = vec![Vec::new(); subjects.len()];
        for (case, value) in runner.draw(&binary, draws, seed)? {
            let (Some(subject), Some(seen)) =
                (subjects.get_mut(case as usize), seen.get_mut(case as usize))
            else {
                continue;
            };
            match value {
                Ok(value) => {
                    tally.strategy_values += 1;
                    if !seen.contains(&value) {
                        seen.push(value.clone());
                        subject.instances.push((value, DRAWN));
                    }
                }
                Err(why) => {
                    if tally.strategy_gave_up.0 == 0 {
                        tally.strategy_gave_up.1 = format!("`{}`: {why}", subject.name);
                    }
                    tally.strategy_gave_up.0 += 1;
                }
            }
        }
    }
    let pairs: Vec<(u64, &Value)> = subjects
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.instances.iter().map(move |(v, _)| (i as u64, v)))
        .collect();
    let start = tally.time("drawing strategy values", start);
    let verdicts = runner.run(&binary, &pairs);
    tally.time("running ours", start);
    verdicts
}

fn run_random(options: &Options) -> Result<Tally, String> {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&options.seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let mut rng = Rng::new(options.seed);
    let strategy = schemas::case();
    let mut tally = Tally::default();
    let settings = settings("differential-models", false);
    let work = work_dir();
    let mut made = 0usize;
    let mut batch_number = 0usize;
    while made < options.cases {
        let start = Instant::now();
        let size = options.batch.min(options.cases - made);
        // Every other batch is written in OpenAPI 3.1 spelling.
        let openapi30 = batch_number.is_multiple_of(2);
        let mut subjects = Vec::new();
        let mut all = Map::new();
        for _ in 0..size {
            made += 1;
            let case = strategy
                .new_tree(&mut runner)
                .map_err(|e| format!("generating a schema: {e}"))?
                .current();
            let name = format!("C{made}");
            let mut named = case.named(&name);
            if !openapi30 {
                for (_, schema) in &mut named {
                    *schema = schemas::to_openapi31(schema);
                }
            }
            // A third of the schemas carry an example of their own.
            if rng.chance(3) {
                let defs: Map<String, Value> = named.iter().cloned().collect();
                let example = instances::build(&named[0].1, &Defs(&defs), &mut rng, 0);
                if let Some(Value::Object(main)) = named.first_mut().map(|(_, s)| s) {
                    main.insert("example".into(), example);
                }
            }
            if let Some(why) = generator_error(&named, &settings, openapi30) {
                *tally.skipped.entry(why).or_default() += 1;
                continue;
            }
            all.extend(named.iter().cloned());
            subjects.push(Subject {
                rust: name.clone(),
                name,
                schemas: named,
                instances: Vec::new(),
            });
        }
        let start = tally.time("making schemas", start);
        for subject in &mut subjects {
            add_instances(subject, &all, &mut rng, 3);
        }
        tally.time("making instances", start);
        batch_number += 1;
        let pairs_here: usize = subjects.iter().map(|s| s.instances.len()).sum();
        eprintln!(
            "batch {batch_number} (OpenAPI {}): {} schemas, {pairs_here} instances: building",
            if openapi30 { "3.0" } else { "3.1" },
            subjects.len()
        );
        let runner = Runner {
            dir: work.join("runner"),
            package: "differential-runner",
            models: "differential-models",
        };
        let version = if openapi30 { "3.0.3" } else { "3.1.0" };
        let document = document_for(all.clone(), version);
        let ours = if options.draws > 0 {
            run_ours_drawing(
                &runner,
                &document,
                &settings,
                &mut subjects,
                options.draws,
                options.seed.wrapping_add(batch_number as u64),
                &mut tally,
            )?
        } else {
            let start = Instant::now();
            let verdicts = run_ours(&runner, &document, &settings, &subjects)?;
            tally.time("generating, building and running ours", start);
            verdicts
        };
        tally.builds += 1;
        tally.subjects += subjects.len();
        let start = Instant::now();
        let oracle = oracle::Oracle::new(all.iter(), openapi30);
        let pairs = compare(&subjects, &oracle, ours);
        let start = tally.time("running the oracle", start);
        let shrinker = shrink::Shrinker {
            runner: &runner,
            settings: &settings,
            openapi30,
            rebuild: true,
            defs: &all,
            batch: Some(&document),
            replaced: Default::default(),
        };
        tally_pairs(
            &mut tally,
            &subjects,
            &pairs,
            &options.pending,
            Some(&shrinker),
        );
        tally.time("classifying and shrinking", start);
    }
    Ok(tally)
}

/// Whether a description is read with the 3.0 rules (`nullable`, boolean exclusive bounds).
pub fn is_openapi30(document: &Value) -> bool {
    document.get("swagger").is_some()
        || document
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.0"))
}

/// Reads a description (JSON or YAML).
pub fn read_description(path: &Path) -> Result<Value, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
        serde_yaml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
    } else {
        serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
    }
}
