//! The model features of a corpus crate: a consumer that needs a few models builds only
//! their features, in under a tenth of the whole crate's build time, and features taken
//! alone build. Run after the crate's full build, in the same workspace, so the two build
//! times compare.

use super::{cargo, first_errors, secs, Entry};
use std::path::Path;
use std::time::Duration;

/// The models a typical consumer of a description needs, by schema name.
const SAMPLES: &[(&str, &[&str])] = &[(
    "github",
    &[
        "simple-user",
        "repository",
        "issue",
        "issue-comment",
        "pull-request",
        "commit",
        "release",
        "label",
        "milestone",
        "team",
        "organization-simple",
        "workflow-run",
        "check-run",
        "gist-simple",
        "branch-short",
        "tag",
        "content-file",
        "reaction-rollup",
        "hook",
        "deployment",
    ],
)];

/// How many single features are each checked alone, spread over the manifest.
const ALONE: usize = 8;

/// The most the sampled models' build may take, as a share of the whole crate's build: the
/// check fails above it.
pub const TARGET: f64 = 0.10;

/// What the check found.
pub struct Report {
    /// The sampled models' features and the modules they compile, of all modules.
    pub features: Vec<String>,
    pub modules: (usize, usize),
    /// The build of those features alone, against the full build: the lower of two rounds
    /// each.
    pub time: Duration,
    pub full: Duration,
    /// Each round's two builds, features then full.
    pub rounds: Vec<(Duration, Duration)>,
    /// How many single features were checked alone.
    pub alone: usize,
}

/// How many models the sample of `entry` names.
pub fn sample_size(entry: &Entry) -> usize {
    SAMPLES
        .iter()
        .find(|(name, _)| *name == entry.name)
        .map_or(0, |(_, models)| models.len())
}

/// Whether `entry` has a sample.
pub fn sampled(entry: &Entry) -> bool {
    SAMPLES.iter().any(|(name, _)| *name == entry.name)
}

/// Builds the crate with only the sampled models' features (warnings denied), then checks
/// it with no model feature and with each of a spread of features alone.
pub fn check(
    ws: &Path,
    entry: &Entry,
    pkg: &str,
    full: Duration,
    logs: &Path,
) -> Result<Report, String> {
    let models = SAMPLES
        .iter()
        .find(|(name, _)| *name == entry.name)
        .map(|(_, models)| *models)
        .unwrap_or(&[]);
    let text = std::fs::read_to_string(ws.join(entry.name).join("src/models/mod.rs"))
        .map_err(|e| format!("reading models/mod.rs: {e}"))?;
    let gates = module_features(&text);
    let mut features: Vec<String> = Vec::new();
    for model in models {
        let module = model.replace('-', "_");
        let feature = gates
            .iter()
            .find(|(m, _)| *m == module)
            .and_then(|(_, fs)| fs.first().cloned())
            .ok_or_else(|| format!("no feature compiles the module `{module}` of `{model}`"))?;
        if !features.contains(&feature) {
            features.push(feature);
        }
    }
    let joined = features.join(",");
    let build_features = || {
        eprintln!(
            "building {pkg} with the features of {} models only ({} features, -D warnings)",
            models.len(),
            features.len()
        );
        let (ok, time, out) = cargo(
            ws,
            &[
                "build",
                "-p",
                pkg,
                "--no-default-features",
                "--features",
                &joined,
            ],
            &logs.join(format!("{}-features.log", entry.name)),
        );
        if ok {
            Ok(time)
        } else {
            Err(format!(
                "the sampled models' features do not build:\n{}",
                first_errors(&out)
            ))
        }
    };
    let mut rounds = vec![(build_features()?, full)];
    // A second round, the crate removed and built whole again, then with the features: a
    // build slowed by other work on the machine does not decide the ratio alone.
    let (cleaned, _, out) = cargo(
        ws,
        &["clean", "-p", pkg],
        &logs.join(format!("{}-features-clean.log", entry.name)),
    );
    if !cleaned {
        return Err(format!(
            "removing the build failed:\n{}",
            first_errors(&out)
        ));
    }
    eprintln!("building {pkg} again, whole (-D warnings)");
    let (ok, full_again, out) = cargo(
        ws,
        &["build", "-p", pkg],
        &logs.join(format!("{}-build-again.log", entry.name)),
    );
    if !ok {
        return Err(format!(
            "the second full build failed:\n{}",
            first_errors(&out)
        ));
    }
    rounds.push((build_features()?, full_again));
    let time = rounds.iter().map(|r| r.0).min().unwrap_or_default();
    let full = rounds.iter().map(|r| r.1).min().unwrap_or_default();
    let manifest = std::fs::read_to_string(ws.join(entry.name).join("Cargo.toml"))
        .map_err(|e| format!("reading Cargo.toml: {e}"))?;
    let compiled = compiled_modules(&manifest, &gates, &features);
    let all_features: Vec<&str> = {
        let mut seen = Vec::new();
        for f in gates.iter().filter_map(|(_, fs)| fs.first()) {
            if !seen.contains(&f.as_str()) {
                seen.push(f.as_str());
            }
        }
        seen
    };
    let step = all_features.len().div_ceil(ALONE).max(1);
    let mut alone: Vec<Option<&str>> = vec![None];
    alone.extend(all_features.iter().step_by(step).map(|f| Some(*f)));
    let singles = alone.len() - 1;
    for feature in alone {
        let mut args = vec!["check", "-p", pkg, "--no-default-features"];
        if let Some(f) = feature {
            args.extend(["--features", f]);
        }
        let (ok, time, out) = cargo(
            ws,
            &args,
            &logs.join(format!("{}-feature-alone.log", entry.name)),
        );
        let name = feature.unwrap_or("(none)");
        if !ok {
            return Err(format!(
                "the feature {name} does not build alone:\n{}",
                first_errors(&out)
            ));
        }
        eprintln!("{pkg}: feature {name} alone checks in {}", secs(time));
    }
    let share = time.as_secs_f64() / full.as_secs_f64().max(f64::EPSILON);
    if share >= TARGET {
        return Err(format!(
            "the features of the {} sampled models built in {} against {} for the whole crate ({:.1}%, the lower of two rounds each), over the {:.0}% target",
            models.len(),
            super::secs(time),
            super::secs(full),
            100.0 * share,
            100.0 * TARGET
        ));
    }
    Ok(Report {
        features,
        modules: (compiled, gates.len()),
        time,
        full,
        rounds,
        alone: singles,
    })
}

/// Each module of `models/mod.rs` with the features that compile it, its own first.
fn module_features(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // The text of the `#[cfg(...)]` read so far, over one line or several.
    let mut gate = String::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("#[cfg(") || open {
            gate.push_str(line);
            open = !line.ends_with(")]");
        } else if let Some(rest) = line.strip_prefix("mod ") {
            let features: Vec<String> = gate
                .split("feature = \"")
                .skip(1)
                .filter_map(|part| part.split('"').next())
                .map(str::to_owned)
                .collect();
            if !features.is_empty() {
                out.push((rest.trim_end_matches(';').to_owned(), features));
            }
            gate.clear();
        } else {
            gate.clear();
        }
    }
    out
}

/// How many modules the chosen features compile: a module compiles when one of the features
/// its `cfg` names is on, the chosen ones or one they turn on, as the crate's manifest lists
/// them.
fn compiled_modules(manifest: &str, gates: &[(String, Vec<String>)], features: &[String]) -> usize {
    let table = feature_table(manifest);
    let mut on: Vec<String> = features.to_vec();
    let mut i = 0;
    while let Some(f) = on.get(i).cloned() {
        for next in table.iter().filter(|(k, _)| *k == f).flat_map(|(_, v)| v) {
            if !on.contains(next) {
                on.push(next.clone());
            }
        }
        i += 1;
    }
    gates
        .iter()
        .filter(|(_, fs)| fs.iter().any(|f| on.contains(f)))
        .count()
}

/// The `[features]` table of a generated manifest: each feature and those it turns on.
fn feature_table(manifest: &str) -> Vec<(String, Vec<String>)> {
    let Some(start) = manifest.find("\n[features]\n") else {
        return Vec::new();
    };
    let body = &manifest[start + "\n[features]\n".len()..];
    let body = body.split("\n[").next().unwrap_or(body);
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(eq) = rest.find(" = [") {
        let key = rest[..eq]
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        let after = &rest[eq + " = [".len()..];
        let end = after.find(']').unwrap_or(after.len());
        let values = after[..end]
            .split(',')
            .map(|v| v.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if !key.starts_with('#') {
            out.push((key, values));
        }
        rest = after.get(end..).unwrap_or("");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modules_of_features_and_of_those_they_turn_on_are_counted() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-models\"]\n# `a`, `b`\na = [\"c\"]\nb = []\nc = [\n    \"d\",\n]\nd = []\nproptest = [\"dep:proptest\"]\n";
        let mods = "#[cfg(feature = \"a\")]\nmod a;\n#[cfg(feature = \"a\")]\nmod a_item;\n#[cfg(feature = \"b\")]\nmod b;\n#[cfg(feature = \"c\")]\nmod c;\n#[cfg(feature = \"d\")]\nmod d;\n\n#[cfg(feature = \"a\")]\npub use a::A;\n";
        let gates = module_features(mods);
        assert_eq!(gates.len(), 5);
        assert_eq!(compiled_modules(manifest, &gates, &["a".to_owned()]), 4);
        assert_eq!(compiled_modules(manifest, &gates, &["b".to_owned()]), 1);
    }

    #[test]
    fn a_module_compiles_with_any_feature_its_cfg_names() {
        let manifest = "[features]\na = []\nb = []\nc = []\n";
        let mods = "#[cfg(feature = \"a\")]\nmod a;\n#[cfg(any(feature = \"a\", feature = \"b\"))]\nmod shared;\n#[cfg(any(\n    feature = \"c\",\n    feature = \"b\"\n))]\nmod c;\n";
        let gates = module_features(mods);
        assert_eq!(
            gates[2],
            ("c".to_owned(), vec!["c".to_owned(), "b".to_owned()])
        );
        assert_eq!(compiled_modules(manifest, &gates, &["a".to_owned()]), 2);
        assert_eq!(compiled_modules(manifest, &gates, &["b".to_owned()]), 2);
        assert_eq!(compiled_modules(manifest, &gates, &["c".to_owned()]), 1);
    }
}
