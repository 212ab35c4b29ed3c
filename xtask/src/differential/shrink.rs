//! Shrinks a disagreement to a small repro: first the instance (keys and items removed, checked
//! with the runner already built), then the schema (keywords and properties removed, checked
//! with one batched rebuild per round). A candidate is kept when both verdicts stay as they were.
//! The work is bounded: a few disagreements, a few rounds, a few candidates each.

use super::{build_and_run, describe, generator_error, oracle, run_ours, Pair, Subject, Tally};
use crate::models_runner::Runner;
use codegen::settings::Settings;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::BTreeSet;

/// Disagreements shrunk per batch; the others are printed as they are.
const TARGETS: usize = 8;
/// Rounds of instance shrinking (cheap) and of schema shrinking (one build each).
const INSTANCE_ROUNDS: usize = 8;
const SCHEMA_ROUNDS: usize = 3;
/// Candidates tried per disagreement and round.
const CANDIDATES: usize = 16;

pub struct Shrinker<'a> {
    pub runner: &'a Runner<'a>,
    pub settings: &'a Settings,
    pub openapi30: bool,
    /// Whether schema candidates may be built (false: instances only).
    pub rebuild: bool,
    /// The description's named schemas, which subjects' schemas may reference.
    pub defs: &'a Map<String, Value>,
    /// The batch's description, written back into the runner's models before the instances
    /// of a later call are shrunk, once schema candidates have replaced them (`None` when
    /// `rebuild` is false: the models stay the batch's).
    pub batch: Option<&'a Value>,
    /// Whether the runner's models are no longer the batch's.
    pub replaced: Cell<bool>,
}

/// A disagreement as printed, with its shrunk schemas, instance and verdicts when shrunk.
pub struct Shrunk {
    pub text: String,
    pub repro: Option<ShrunkRepro>,
}

/// The named schemas, the instance, and our and the oracle's verdicts.
pub type ShrunkRepro = (
    Vec<(String, Value)>,
    Value,
    Result<(), String>,
    Result<(), String>,
);

/// A schema candidate: its repro, its named schemas and the oracle's verdict.
type Candidate = (usize, Vec<(String, Value)>, Result<(), String>);

/// One disagreement being shrunk.
struct Repro {
    /// The subject it came from, as printed.
    label: String,
    /// Its place in the runner's dispatch (the batch's, then the final one's).
    subject: usize,
    schemas: Vec<(String, Value)>,
    instance: Value,
    ours: Result<(), String>,
    oracle: Result<(), String>,
}

impl Shrinker<'_> {
    /// One text per disagreement: the first few per subject shrunk, the rest as they are.
    pub fn shrink(&self, subjects: &[Subject], pairs: &[&Pair], tally: &mut Tally) -> Vec<Shrunk> {
        let mut chosen: Vec<Repro> = Vec::new();
        let mut rest = Vec::new();
        // First one disagreement of each subject and verdict, then others while room is left,
        // so that one subject's many do not crowd out the rest and none is left unshrunk
        // needlessly.
        let mut seen = BTreeSet::new();
        let (first, others): (Vec<&&Pair>, Vec<&&Pair>) = pairs
            .iter()
            .partition(|p| seen.insert((p.subject, p.ours.is_ok())));
        for pair in first.into_iter().chain(others) {
            let Some(subject) = subjects.get(pair.subject) else {
                continue;
            };
            if chosen.len() < TARGETS {
                chosen.push(Repro {
                    label: subject.name.clone(),
                    subject: pair.subject,
                    schemas: subject.schemas.clone(),
                    instance: pair.instance.clone(),
                    ours: pair.ours.clone(),
                    oracle: pair.oracle.clone(),
                });
            } else {
                rest.push(Shrunk {
                    repro: None,
                    text: format!(
                        "DISAGREEMENT on `{}` (not shrunk): {} instance {}; ours {}, oracle {}",
                        subject.name,
                        pair.kind,
                        pair.instance,
                        if pair.ours.is_ok() {
                            "valid"
                        } else {
                            "invalid"
                        },
                        if pair.oracle.is_ok() {
                            "valid"
                        } else {
                            "invalid"
                        },
                    ),
                });
            }
        }
        if chosen.is_empty() {
            return rest;
        }
        eprintln!("shrinking {} disagreement(s)", chosen.len());
        if let Err(e) = self.restore_batch() {
            eprintln!("restoring the batch's models failed: {e}");
        }
        if let Err(e) = self.shrink_instances(subjects, &mut chosen) {
            eprintln!("shrinking instances stopped: {e}");
        }
        if self.rebuild {
            let mut shrunk = false;
            for round in 0..SCHEMA_ROUNDS {
                match self.shrink_schemas(&mut chosen, round) {
                    Ok(true) => {
                        tally.builds += 1;
                        shrunk = true;
                    }
                    Ok(false) => break,
                    Err(e) => {
                        eprintln!("shrinking schemas stopped: {e}");
                        break;
                    }
                }
            }
            // A smaller schema may allow a smaller instance: one more build, then the
            // instances again against it.
            if shrunk {
                match self.final_build(&mut chosen) {
                    Ok(dispatch) => {
                        tally.builds += 1;
                        if let Err(e) = self.shrink_instances(&dispatch, &mut chosen) {
                            eprintln!("shrinking instances stopped: {e}");
                        }
                    }
                    Err(e) => eprintln!("building the shrunk schemas failed: {e}"),
                }
            }
        }
        let mut out: Vec<Shrunk> = chosen
            .into_iter()
            .map(|r| {
                let schemas = reachable(&r.schemas);
                Shrunk {
                    text: describe(&r.label, &schemas, &r.instance, &r.ours, &r.oracle),
                    repro: Some((schemas, r.instance, r.ours, r.oracle)),
                }
            })
            .collect();
        out.extend(rest);
        out
    }

    /// Writes the batch's models back into the runner when schema candidates replaced them.
    fn restore_batch(&self) -> Result<(), String> {
        let Some(document) = self.batch.filter(|_| self.replaced.get()) else {
            return Ok(());
        };
        let generation =
            crate::models_runner::generate_in_memory(document, "differential.json", self.settings)?;
        self.runner.write_models(&generation.files)?;
        self.replaced.set(false);
        Ok(())
    }

    fn same(r: &Repro, ours: &Result<(), String>, theirs: &Result<(), String>) -> bool {
        ours.is_ok() == r.ours.is_ok() && theirs.is_ok() == r.oracle.is_ok()
    }

    fn shrink_instances(&self, subjects: &[Subject], repros: &mut [Repro]) -> Result<(), String> {
        let mut all = self.defs.clone();
        all.extend(subjects.iter().flat_map(|s| s.schemas.iter().cloned()));
        let oracle = oracle::Oracle::new(all.iter(), self.openapi30);
        for _ in 0..INSTANCE_ROUNDS {
            // Same dispatch as the batch, so the runner is not rebuilt.
            let mut probe: Vec<Subject> = subjects
                .iter()
                .map(|s| Subject {
                    name: s.name.clone(),
                    rust: s.rust.clone(),
                    schemas: Vec::new(),
                    instances: Vec::new(),
                })
                .collect();
            let mut asked: Vec<(usize, Value, Result<(), String>)> = Vec::new();
            for (r, repro) in repros.iter().enumerate() {
                let Ok(validator) = oracle.validator(&subjects[repro.subject].name) else {
                    continue;
                };
                for candidate in instance_candidates(&repro.instance)
                    .into_iter()
                    .take(CANDIDATES)
                {
                    let theirs = oracle::verdict(&validator, &candidate);
                    if theirs.is_ok() != repro.oracle.is_ok() {
                        continue;
                    }
                    probe[repro.subject]
                        .instances
                        .push((candidate.clone(), "shrunk"));
                    asked.push((r, candidate, theirs));
                }
            }
            if asked.is_empty() {
                return Ok(());
            }
            // Results come back in subject order; match them up the same way.
            let ours = build_and_run(self.runner, &probe)?;
            let mut order: Vec<&(usize, Value, Result<(), String>)> = asked.iter().collect();
            order.sort_by_key(|(r, _, _)| repros[*r].subject);
            let mut progressed = BTreeSet::new();
            for ((r, candidate, theirs), mine) in order.into_iter().zip(ours) {
                if progressed.contains(r) {
                    continue;
                }
                let repro = &mut repros[*r];
                if Self::same(repro, &mine, theirs) {
                    repro.instance = candidate.clone();
                    repro.ours = mine;
                    repro.oracle = theirs.clone();
                    progressed.insert(*r);
                }
            }
            if progressed.is_empty() {
                return Ok(());
            }
        }
        Ok(())
    }

    fn version(&self) -> &'static str {
        if self.openapi30 {
            "3.0.3"
        } else {
            "3.1.0"
        }
    }

    /// Builds the current schema of every repro, each a subject of its own; returns them.
    fn final_build(&self, repros: &mut [Repro]) -> Result<Vec<Subject>, String> {
        let mut document = Map::new();
        let mut dispatch = Vec::new();
        for repro in repros.iter_mut() {
            document.extend(repro.schemas.iter().cloned());
            let name = repro
                .schemas
                .first()
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            repro.subject = dispatch.len();
            dispatch.push(Subject {
                rust: rust_name(&name),
                name,
                schemas: repro.schemas.clone(),
                instances: Vec::new(),
            });
        }
        self.replaced.set(true);
        run_ours(
            self.runner,
            &super::document_for(document, self.version()),
            self.settings,
            &dispatch,
        )?;
        Ok(dispatch)
    }

    /// One round: every candidate of every repro in one crate; whether anything was built.
    fn shrink_schemas(&self, repros: &mut [Repro], round: usize) -> Result<bool, String> {
        let mut document = Map::new();
        let mut subjects: Vec<Subject> = Vec::new();
        let mut owner: Vec<Candidate> = Vec::new();
        for (r, repro) in repros.iter().enumerate() {
            let Some((main_name, main)) = repro.schemas.first() else {
                continue;
            };
            for (k, candidate) in schema_candidates(main)
                .into_iter()
                .take(CANDIDATES)
                .enumerate()
            {
                let name = format!("{main_name}r{round}s{k}");
                let mut schemas = vec![(name.clone(), candidate)];
                schemas.extend(repro.schemas.iter().cloned());
                if generator_error(&schemas, self.settings, self.openapi30).is_some() {
                    continue;
                }
                let defs: Map<String, Value> = schemas.iter().cloned().collect();
                let oracle = oracle::Oracle::new(defs.iter(), self.openapi30);
                let Ok(validator) = oracle.validator(&name) else {
                    continue;
                };
                let theirs = oracle::verdict(&validator, &repro.instance);
                if theirs.is_ok() != repro.oracle.is_ok() {
                    continue;
                }
                document.extend(schemas.iter().cloned());
                subjects.push(Subject {
                    rust: rust_name(&name),
                    name,
                    schemas: Vec::new(),
                    instances: vec![(repro.instance.clone(), "shrunk")],
                });
                owner.push((r, schemas, theirs));
            }
        }
        if subjects.is_empty() {
            return Ok(false);
        }
        eprintln!(
            "shrinking schemas: round {} ({} candidates)",
            round + 1,
            subjects.len()
        );
        self.replaced.set(true);
        let ours = run_ours(
            self.runner,
            &super::document_for(document, self.version()),
            self.settings,
            &subjects,
        )?;
        let mut progressed = BTreeSet::new();
        for ((r, schemas, theirs), mine) in owner.into_iter().zip(ours) {
            if progressed.contains(&r) {
                continue;
            }
            let repro = &mut repros[r];
            if Self::same(repro, &mine, &theirs) {
                repro.schemas = schemas;
                repro.ours = mine;
                repro.oracle = theirs;
                progressed.insert(r);
            }
        }
        Ok(!progressed.is_empty())
    }
}

/// The Rust type of a shrink candidate named `C12r0s3` (already UpperCamelCase).
fn rust_name(name: &str) -> String {
    name.to_owned()
}

/// Smaller instances: a key or an item removed, or a child replaced by a smaller one.
fn instance_candidates(value: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            for key in map.keys() {
                let mut smaller = map.clone();
                smaller.shift_remove(key);
                out.push(Value::Object(smaller));
            }
            for (key, child) in map {
                for c in instance_candidates(child) {
                    let mut smaller = map.clone();
                    smaller.insert(key.clone(), c);
                    out.push(Value::Object(smaller));
                }
            }
        }
        Value::Array(items) => {
            for i in 0..items.len() {
                let mut smaller = items.clone();
                smaller.remove(i);
                out.push(Value::Array(smaller));
            }
            for (i, child) in items.iter().enumerate() {
                for c in instance_candidates(child) {
                    let mut smaller = items.clone();
                    smaller[i] = c;
                    out.push(Value::Array(smaller));
                }
            }
        }
        _ => {}
    }
    out
}

/// Smaller schemas: a keyword, a property, a `required` name or a union branch removed, or a
/// subschema replaced by a smaller one.
fn schema_candidates(schema: &Value) -> Vec<Value> {
    let Value::Object(map) = schema else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in map.keys() {
        let mut smaller = map.clone();
        smaller.shift_remove(key);
        out.push(Value::Object(smaller));
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for name in props.keys() {
            let mut smaller = map.clone();
            if let Some(Value::Object(p)) = smaller.get_mut("properties") {
                p.shift_remove(name);
            }
            if let Some(Value::Array(r)) = smaller.get_mut("required") {
                r.retain(|n| n != name);
            }
            out.push(Value::Object(smaller));
        }
        for (name, child) in props {
            for c in schema_candidates(child) {
                let mut smaller = map.clone();
                smaller["properties"][name] = c;
                out.push(Value::Object(smaller));
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get(key) {
            for i in 0..parts.len() {
                let mut smaller = map.clone();
                if let Some(Value::Array(p)) = smaller.get_mut(key) {
                    p.remove(i);
                }
                out.push(Value::Object(smaller));
            }
            for (i, part) in parts.iter().enumerate() {
                for c in schema_candidates(part) {
                    let mut smaller = map.clone();
                    smaller[key][i] = c;
                    out.push(Value::Object(smaller));
                }
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get(key) {
            for c in schema_candidates(child) {
                let mut smaller = map.clone();
                smaller.insert(key.to_owned(), c);
                out.push(Value::Object(smaller));
            }
        }
    }
    out
}

/// The schemas the first one needs, through `$ref`s, in their order.
fn reachable(schemas: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut wanted = BTreeSet::new();
    let mut queue: Vec<&Value> = schemas.first().map(|(_, s)| s).into_iter().collect();
    if let Some((name, _)) = schemas.first() {
        wanted.insert(name.clone());
    }
    while let Some(schema) = queue.pop() {
        let mut refs = Vec::new();
        collect_refs(schema, &mut refs);
        for r in refs {
            if wanted.insert(r.clone()) {
                if let Some((_, s)) = schemas.iter().find(|(n, _)| *n == r) {
                    queue.push(s);
                }
            }
        }
    }
    schemas
        .iter()
        .filter(|(n, _)| wanted.contains(n))
        .cloned()
        .collect()
}

fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    if let Some(name) = v
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|r| r.split('/').next())
                    {
                        out.push(name.to_owned());
                    }
                } else if k == "mapping" {
                    if let Some(m) = v.as_object() {
                        for target in m.values().filter_map(Value::as_str) {
                            let name = target.rsplit('/').next().unwrap_or(target);
                            out.push(name.to_owned());
                        }
                    }
                } else if !matches!(k.as_str(), "enum" | "const" | "example" | "default") {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
