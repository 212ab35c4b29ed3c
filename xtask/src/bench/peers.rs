//! The peers of `cargo xtask bench`: typify (on the JSON Schema form of the description) and
//! openapi-generator's Rust models, timed against our release binary in the same run.
//!
//! Neither is a dependency of the project. Each is looked for in an environment variable, then
//! in `<target>/peers/` (where `cargo xtask bench --install-peers` puts them), then on `PATH`;
//! a peer that is not found is skipped with a message saying how to install it.

use super::{median, ms, row, verdict, Row};
use crate::differential::oracle;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One peer generator.
struct Peer {
    /// Its name in the results.
    name: &'static str,
    /// The environment variable that may name its executable.
    variable: &'static str,
    /// Where `--install-peers` puts its executable, under `<target>/peers`.
    installed: &'static str,
    /// Its executable's name on `PATH`.
    on_path: &'static str,
    /// How to install it by hand.
    install: &'static str,
    /// Ours must take at most this fraction of its time.
    target: f64,
}

const TYPIFY: Peer = Peer {
    name: "typify",
    variable: "BENCH_TYPIFY",
    installed: "typify/bin/cargo-typify",
    on_path: "cargo-typify",
    install: "cargo install cargo-typify --locked --root <target>/peers/typify",
    target: 0.25,
};

const OPENAPI_GENERATOR: Peer = Peer {
    name: "openapi-generator (Rust models)",
    variable: "BENCH_OPENAPI_GENERATOR",
    installed: "openapi-generator/bin/openapi-generator-cli",
    on_path: "openapi-generator-cli",
    install: "python3 -m venv <target>/peers/openapi-generator && <target>/peers/openapi-generator/bin/pip install openapi-generator-cli (needs a Java 11+ runtime)",
    target: 0.05,
};

/// `cargo llvm-lines`, which the compile part of the bench uses to count LLVM lines by kind.
const LLVM_LINES: Peer = Peer {
    name: "cargo-llvm-lines",
    variable: "BENCH_LLVM_LINES",
    installed: "llvm-lines/bin/cargo-llvm-lines",
    on_path: "cargo-llvm-lines",
    install: "cargo install cargo-llvm-lines --locked --root <target>/peers/llvm-lines",
    target: 0.0,
};

/// openapi-generator's executable, if installed.
pub fn openapi_generator() -> Option<PathBuf> {
    find(&OPENAPI_GENERATOR)
}

/// `cargo-llvm-lines`, if installed.
pub fn llvm_lines() -> Option<PathBuf> {
    find(&LLVM_LINES)
}

/// openapi-generator writing the Rust models (only) of `spec` into `out`.
pub fn openapi_generator_command(exe: &Path, spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(exe);
    command
        .args(["generate", "--generator-name", "rust", "--input-spec"])
        .arg(spec)
        .arg("--output")
        .arg(out)
        .args(["--global-property", "models", "--skip-validate-spec"]);
    command
}

/// The cargo target folder, which holds `peers/`.
fn target_dir() -> PathBuf {
    crate::corpus::root()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn find(peer: &Peer) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(peer.variable) {
        return Some(PathBuf::from(p));
    }
    let installed = target_dir().join("peers").join(peer.installed);
    if installed.is_file() {
        return Some(installed);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(peer.on_path))
            .find(|p| p.is_file())
    })
}

/// `cargo xtask bench --install-peers`: installs both peers, and `cargo-llvm-lines` for the
/// compile part, under `<target>/peers`.
pub fn install() -> Result<(), String> {
    let peers = target_dir().join("peers");
    std::fs::create_dir_all(&peers).map_err(|e| format!("{}: {e}", peers.display()))?;
    let run = |what: &str, command: &mut Command| -> Result<(), String> {
        eprintln!("installing {what}");
        match command.status() {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("installing {what} failed ({s})")),
            Err(e) => Err(format!("installing {what}: {e}")),
        }
    };
    run(
        "typify",
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["install", "cargo-typify", "--locked", "--root"])
            .arg(peers.join("typify"))
            .arg("--target-dir")
            .arg(peers.join("typify-build")),
    )?;
    let venv = peers.join("openapi-generator");
    run(
        "a Python environment for openapi-generator",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    run(
        "openapi-generator",
        Command::new(venv.join("bin/pip")).args(["install", "--quiet", "openapi-generator-cli"]),
    )?;
    run(
        "cargo-llvm-lines",
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["install", "cargo-llvm-lines", "--locked", "--root"])
            .arg(peers.join("llvm-lines"))
            .arg("--target-dir")
            .arg(peers.join("llvm-lines-build")),
    )
}

/// The JSON Schema form of an OpenAPI description's named schemas, as typify reads it: every
/// schema under `definitions`, translated by the differential oracle's rules (`nullable`,
/// boolean exclusive bounds, discriminators), references pointing into `definitions`.
pub fn json_schema(spec: &Value) -> Value {
    let openapi30 = spec
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"));
    let mut definitions = Map::new();
    if let Some(Value::Object(schemas)) = spec.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let mut schema = oracle::translate(schema, openapi30);
            into_definitions(&mut schema);
            definitions.insert(name.clone(), schema);
        }
    }
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        Value::String("http://json-schema.org/draft-07/schema#".into()),
    );
    root.insert("definitions".into(), Value::Object(definitions));
    Value::Object(root)
}

/// `#/$defs/X` as `#/definitions/X`, everywhere in a schema.
fn into_definitions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if let (true, Value::String(r)) = (key == "$ref", &mut *v) {
                    if let Some(rest) = r.strip_prefix("#/$defs/") {
                        *r = format!("#/definitions/{rest}");
                    }
                } else {
                    into_definitions(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(into_definitions),
        _ => {}
    }
}

/// One timed run of a command: wall time and the CPU time (user + system) of the child.
fn timed(command: &mut Command) -> Result<(Duration, Duration), String> {
    let cpu_before = super::children_cpu();
    let t = Instant::now();
    let out = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let wall = t.elapsed();
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        return Err(format!(
            "{}: {}",
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    Ok((wall, super::children_cpu().saturating_sub(cpu_before)))
}

/// Times ours (the release binary, `regenerate --force` disk to disk, a process of its own) and
/// each peer that is installed, alternating run by run, and adds a row per peer with the ratios
/// of the medians.
pub fn compare(spec: &Path, runs: usize, rows: &mut Vec<Row>) {
    let work = crate::corpus::root().join("bench-peers");
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = std::fs::create_dir_all(&work) {
        eprintln!("{}: {e}", work.display());
        return;
    }
    let mut peers: Vec<(&Peer, PathBuf)> = Vec::new();
    for peer in [&TYPIFY, &OPENAPI_GENERATOR] {
        match find(peer) {
            Some(exe) => peers.push((peer, exe)),
            None => {
                eprintln!(
                    "  {} is not installed: skipped (`cargo xtask bench --install-peers`, or {}; or name it in {})",
                    peer.name, peer.install, peer.variable
                );
                row(
                    rows,
                    format!("ours against {}", peer.name),
                    "not installed: skipped",
                    format!("<= {}x", peer.target),
                );
            }
        }
    }
    if peers.is_empty() {
        return;
    }
    // typify reads JSON Schema: the description's schemas translated once, outside the timing.
    let schema_file = work.join("github.schema.json");
    let translated = std::fs::read(spec)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .map(|v| json_schema(&v))
        .and_then(|v| serde_json::to_vec(&v).ok())
        .map(|b| std::fs::write(&schema_file, b));
    if !matches!(translated, Some(Ok(()))) {
        eprintln!("  writing the JSON Schema form of the description failed");
        return;
    }
    let ours_exe = std::env::current_exe().unwrap_or_default();
    let mut ours: (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    let mut theirs: Vec<(Vec<Duration>, Vec<Duration>, Option<String>)> = peers
        .iter()
        .map(|_| (Vec::new(), Vec::new(), None))
        .collect();
    for run in 0..runs {
        let out = work.join(format!("ours-{run}"));
        match timed(
            Command::new(&ours_exe)
                .args(["regenerate", "--force", "--schemas"])
                .arg(spec)
                .arg("--out")
                .arg(&out),
        ) {
            Ok((wall, cpu)) => {
                ours.0.push(wall);
                ours.1.push(cpu);
            }
            Err(e) => {
                eprintln!("  our regenerate failed: {e}");
                return;
            }
        }
        for ((peer, exe), times) in peers.iter().zip(theirs.iter_mut()) {
            if times.2.is_some() {
                continue;
            }
            let out = work.join(format!("{}-{run}", peer.on_path));
            if peer.on_path == TYPIFY.on_path {
                let mut command = Command::new(exe);
                // `cargo-typify` run directly takes cargo's subcommand name first.
                command
                    .arg("typify")
                    .arg(&schema_file)
                    .arg("--output")
                    .arg(out.with_extension("rs"));
                match timed(&mut command) {
                    Ok((wall, cpu)) => {
                        times.0.push(wall);
                        times.1.push(cpu);
                    }
                    Err(e) => times.2 = Some(e),
                }
                continue;
            }
            match timed(&mut openapi_generator_command(exe, spec, &out)) {
                Ok((wall, cpu)) => {
                    times.0.push(wall);
                    times.1.push(cpu);
                }
                Err(e) => times.2 = Some(e),
            }
        }
    }
    let (ours_wall, ours_cpu) = (median(ours.0), median(ours.1));
    for ((peer, _), (wall, cpu, failed)) in peers.iter().zip(theirs) {
        let what = format!(
            "ours (release binary, `regenerate --force`) against {}, wall / CPU (user + system), same run",
            peer.name
        );
        if let Some(e) = failed {
            eprintln!("  {} failed: {e}", peer.name);
            row(
                rows,
                what,
                format!("{} failed: {}", peer.name, e.lines().last().unwrap_or("")),
                format!("<= {}x: not measured", peer.target),
            );
            continue;
        }
        let (wall, cpu) = (median(wall), median(cpu));
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        let (r_wall, r_cpu) = (ratio(ours_wall, wall), ratio(ours_cpu, cpu));
        row(
            rows,
            what,
            format!(
                "{} vs {} ({r_wall:.3}x) / {} vs {} ({r_cpu:.3}x)",
                ms(ours_wall),
                ms(wall),
                ms(ours_cpu),
                ms(cpu)
            ),
            format!(
                "<= {}x: wall {}, CPU {}",
                peer.target,
                verdict(r_wall <= peer.target),
                verdict(r_cpu <= peer.target)
            ),
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[cfg(test)]
mod tests {
    use super::json_schema;
    use serde_json::{json, Value};

    /// The translated description, checked by the `jsonschema` crate against `schema`'s name.
    fn accepts(spec: &Value, name: &str, instance: Value) -> bool {
        let mut root = json_schema(spec);
        root["$ref"] = json!(format!("#/definitions/{name}"));
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&root)
            .map(|v| v.is_valid(&instance))
            .unwrap_or(false)
    }

    #[test]
    fn references_point_into_definitions_and_nullable_allows_null() {
        let spec = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "user": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "integer"},
                    "team": {"$ref": "#/components/schemas/team"},
                }},
                "team": {"type": "string", "nullable": true},
            }},
        });
        let root = json_schema(&spec);
        assert_eq!(
            root.pointer("/definitions/user/properties/team/$ref"),
            Some(&json!("#/definitions/team"))
        );
        assert!(accepts(&spec, "user", json!({"id": 1, "team": null})));
        assert!(accepts(&spec, "user", json!({"id": 1, "team": "core"})));
        assert!(!accepts(&spec, "user", json!({"id": 1, "team": 5})));
        assert!(!accepts(&spec, "user", json!({"team": "core"})));
    }
}
