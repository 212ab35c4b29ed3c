//! Compile cost of the generated GitHub crate, against openapi-generator's Rust models of the
//! same description built in the same workspace with the same settings, in the same run.
//!
//! Every `rustc` of the bench workspace runs through a small wrapper script (`RUSTC_WRAPPER`)
//! that, for the crates measured, records the compiler's own wall time, CPU time and peak
//! resident memory with `/usr/bin/time`, and on the debug build adds `-Z time-passes`
//! (`RUSTC_BOOTSTRAP=1`, for that process only). Dependencies are built beforehand, so the
//! figures are those of the measured crate alone, whatever else cargo had to do.

use super::{llvm_lines, peers, row, verdict, Row};
use crate::corpus;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Our crate's package, as the bench names it.
const OURS: &str = "corpus-github";
/// The crate wrapping openapi-generator's models.
const THEIRS: &str = "bench-openapi";

/// The wrapper that cargo runs every `rustc` through (see the module docs).
const WRAPPER: &str = r#"#!/bin/sh
# Written by `cargo xtask bench`. For each crate named in BENCH_MEASURED (separated by spaces;
# `*` for all) appends "<crate> <wall s> <user s> <system s> <peak RSS KB>" to BENCH_TIMES;
# with BENCH_TIME_PASSES set, adds -Z time-passes (RUSTC_BOOTSTRAP=1, this process only).
crate=
next=
for arg in "$@"; do
    if [ -n "$next" ]; then crate=$arg; next=; fi
    if [ "$arg" = --crate-name ]; then next=1; fi
done
if [ -z "$crate" ] || [ "$crate" = ___ ] || [ ! -x /usr/bin/time ] || [ -z "$BENCH_TIMES" ]; then
    exec "$@"
fi
case " $BENCH_MEASURED " in
    *" $crate "* | *" * "*) ;;
    *) exec "$@" ;;
esac
if [ -n "$BENCH_TIME_PASSES" ]; then
    RUSTC_BOOTSTRAP=1 exec /usr/bin/time -a -o "$BENCH_TIMES" -f "$crate %e %U %S %M" "$@" -Z time-passes
fi
exec /usr/bin/time -a -o "$BENCH_TIMES" -f "$crate %e %U %S %M" "$@"
"#;

/// What the wrapper recorded for the compiler runs of one step, summed (memory: the largest).
#[derive(Clone, Copy, Default)]
struct Rustc {
    wall: f64,
    cpu: f64,
    peak_kb: u64,
    runs: usize,
}

impl Rustc {
    fn read(file: &Path) -> Rustc {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let mut sum = Rustc::default();
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let n = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok());
            // `time` adds a line of its own when the command fails; it does not parse.
            let (Some(wall), Some(user), Some(system), Some(kb), 5) =
                (n(1), n(2), n(3), n(4), f.len())
            else {
                continue;
            };
            sum.wall += wall;
            sum.cpu += user + system;
            sum.peak_kb = sum.peak_kb.max(kb as u64);
            sum.runs += 1;
        }
        sum
    }
}

/// One measured cargo command: its wall time, what the wrapper saw, and its output.
struct Step {
    ok: bool,
    cargo: Duration,
    rustc: Rustc,
    output: String,
}

impl Step {
    fn figure(&self) -> String {
        if !self.ok {
            return "FAILED".to_owned();
        }
        if self.rustc.runs == 0 {
            return format!("{:.1} s", self.cargo.as_secs_f64());
        }
        format!(
            "{:.1} s (rustc {:.1} s, CPU {:.1} s)",
            self.cargo.as_secs_f64(),
            self.rustc.wall,
            self.rustc.cpu
        )
    }
}

/// Runs cargo in the bench workspace with the corpus's settings and the wrapper; `measured`
/// names the crates (as rustc names them) whose compiles are recorded.
fn cargo(ws: &Path, args: &[&str], measured: &str, time_passes: bool, log: &str) -> Step {
    let logs = corpus::root().join("logs");
    let _ = std::fs::create_dir_all(&logs);
    let times = logs.join(format!("{log}.times"));
    let _ = std::fs::remove_file(&times);
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .args(args)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        // The same settings as the corpus's builds (and the validation bench in this
        // workspace), so that the dependencies built for one serve the others.
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TERM_COLOR", "never")
        .env("RUSTC_WRAPPER", ws.join("rustc-wrapper.sh"))
        .env("BENCH_MEASURED", measured)
        .env("BENCH_TIMES", &times);
    if time_passes {
        command.env("BENCH_TIME_PASSES", "1");
    } else {
        command.env_remove("BENCH_TIME_PASSES");
    }
    let started = Instant::now();
    let out = command.output();
    let cargo = started.elapsed();
    let (ok, output) = match out {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, format!("running cargo: {e}")),
    };
    let _ = std::fs::write(logs.join(format!("{log}.log")), &output);
    if !ok {
        let errors: Vec<&str> = output
            .lines()
            .filter(|l| l.starts_with("error"))
            .take(10)
            .collect();
        eprintln!("  cargo {} failed:\n{}", args.join(" "), errors.join("\n"));
    }
    let rustc = Rustc::read(&times);
    Step {
        ok,
        cargo,
        rustc,
        output,
    }
}

/// Every file under `dir`, as paths relative to it.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for e in entries.flatten() {
            let r = rel.join(e.file_name());
            if e.path().is_dir() {
                stack.push(r);
            } else {
                out.push(r);
            }
        }
    }
    out
}

/// The workspace of the bench: the generated GitHub crate, and each other member that has been
/// written (the validation bench, openapi-generator's models).
pub fn prepare_workspace(ws: &Path, generated: &Path) -> Result<(), String> {
    let dir = ws.join("bench-crate");
    for rel in &walk(generated) {
        let from = generated.join(rel);
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        if std::fs::read(&from).ok() != std::fs::read(&to).ok() {
            std::fs::copy(&from, &to).map_err(|e| format!("copying {}: {e}", from.display()))?;
        }
    }
    let members: Vec<String> = ["bench-crate", "bench-validate", THEIRS]
        .iter()
        .filter(|m| ws.join(m).join("Cargo.toml").is_file())
        .map(|m| format!("\"{m}\""))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask bench`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
        members.join(", ")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        if let Some(root) = project.parent() {
            let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
        }
    }
    let wrapper = ws.join("rustc-wrapper.sh");
    std::fs::write(&wrapper, WRAPPER).map_err(|e| format!("{}: {e}", wrapper.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", wrapper.display()))
}

/// Crates the generated models may name, and the dependency line each needs.
const THEIR_DEPENDENCIES: &[(&str, &str)] = &[
    ("serde_with::", "serde_with = { version = \"3\", default-features = false, features = [\"std\", \"macros\"] }"),
    ("chrono::", "chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }"),
    ("uuid::", "uuid = { version = \"1\", features = [\"serde\"] }"),
    ("url::", "url = { version = \"2\", features = [\"serde\"] }"),
    ("serde_repr::", "serde_repr = \"0.1\""),
];

/// Generates openapi-generator's Rust models of the description (untimed) and wraps them in a
/// crate of the bench workspace, `bench-openapi`: a `lib.rs`, a `models/mod.rs` re-exporting
/// each file's model as openapi-generator's own `mod.rs` does, and a manifest with the
/// dependencies that the files name. Returns false (and removes the crate) when it cannot.
pub fn write_openapi_crate(ws: &Path, spec: &Path) -> bool {
    let dir = ws.join(THEIRS);
    let ready = (|| -> Result<(), String> {
        let exe = peers::openapi_generator().ok_or(
            "openapi-generator is not installed (`cargo xtask bench --install-peers`): its models are not compared",
        )?;
        let out = corpus::root().join("bench-openapi-models");
        let _ = std::fs::remove_dir_all(&out);
        eprintln!("  generating openapi-generator's Rust models (untimed)");
        let status = peers::openapi_generator_command(&exe, spec, &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return Err("openapi-generator failed".to_owned());
        }
        let models = dir.join("src/models");
        let _ = std::fs::remove_dir_all(&models);
        std::fs::create_dir_all(&models).map_err(|e| e.to_string())?;
        let mut files: Vec<PathBuf> = walk(&out.join("src/models"));
        files.sort();
        let (mut module, mut used) = (String::new(), HashSet::new());
        for rel in &files {
            let Some(stem) = rel.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let text = std::fs::read_to_string(out.join("src/models").join(rel))
                .map_err(|e| e.to_string())?;
            for (needle, _) in THEIR_DEPENDENCIES {
                if text.contains(needle) {
                    used.insert(*needle);
                }
            }
            std::fs::write(models.join(rel), &text).map_err(|e| e.to_string())?;
            module.push_str(&format!("pub mod {stem};\n"));
            if let Some(name) = main_type(&text, stem) {
                module.push_str(&format!("pub use self::{stem}::{name};\n"));
            }
        }
        std::fs::write(models.join("mod.rs"), module).map_err(|e| e.to_string())?;
        // Their models are not ours to fix: lints are allowed, as a dependency's would be.
        std::fs::write(
            dir.join("src/lib.rs"),
            "//! Written by `cargo xtask bench`: openapi-generator's Rust models.\n#![allow(warnings)]\npub mod models;\n",
        )
        .map_err(|e| e.to_string())?;
        let mut manifest = format!(
            "# Written by `cargo xtask bench`.\n[package]\nname = \"{THEIRS}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        );
        for (needle, line) in THEIR_DEPENDENCIES {
            if used.contains(needle) {
                manifest.push_str(line);
                manifest.push('\n');
            }
        }
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_dir_all(&out);
        Ok(())
    })();
    match ready {
        Ok(()) => true,
        Err(e) => {
            eprintln!("  {e}");
            let _ = std::fs::remove_dir_all(&dir);
            false
        }
    }
}

/// The model a file of openapi-generator's is named after (`simple_user.rs`: `SimpleUser`),
/// else its first type; the others in the file are its inline enums.
fn main_type(text: &str, stem: &str) -> Option<String> {
    let squash = |s: &str| s.replace('_', "").to_ascii_lowercase();
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
        })
        .collect();
    names
        .iter()
        .find(|n| squash(n) == squash(stem))
        .or(names.first())
        .map(|n| (*n).to_owned())
}

/// Rust lines and structs + enums of a crate's `.rs` files.
fn size(dir: &Path) -> (usize, usize) {
    let (mut lines, mut types) = (0, 0);
    for rel in walk(dir) {
        if rel.starts_with("target") || rel.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(&rel)).unwrap_or_default();
        for line in text.lines() {
            lines += 1;
            let l = line.trim_start();
            let l = l
                .strip_prefix("pub(crate) ")
                .or_else(|| l.strip_prefix("pub "))
                .unwrap_or(l);
            if l.starts_with("struct ") || l.starts_with("enum ") {
                types += 1;
            }
        }
    }
    (lines, types)
}

fn ratio(a: f64, b: f64) -> f64 {
    a / b.max(1e-9)
}

fn gb(kb: u64) -> String {
    format!("{:.1} GB", kb as f64 / 1e6)
}

/// The dependencies named in a manifest's `[dependencies]`, as `-p` arguments.
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let mut section = "";
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section == "[dependencies]" && !line.starts_with('#') {
            if let Some((name, spec)) = line.split_once('=') {
                // Optional dependencies are off in these builds.
                if !spec.contains("optional = true") {
                    out.push("-p".to_owned());
                    out.push(name.trim().to_owned());
                }
            }
        }
    }
    out
}

/// `cargo xtask bench`'s compile part: `cargo check`, `cargo build` (debug, with `-Z
/// time-passes`), rustc's peak memory, size and `.rlib` of our crate and, where
/// openapi-generator is installed, of its models; the cost of our crate's example tests; the
/// LLVM lines of our crate by kind, where `cargo-llvm-lines` is installed; and, with
/// `release`, our crate's release build.
pub fn measure(ws: &Path, with_theirs: bool, release: bool, rows: &mut Vec<Row>) {
    let ours_dir = ws.join("bench-crate");
    let theirs_dir = ws.join(THEIRS);
    let (lines, types) = size(&ours_dir);
    let theirs_size = with_theirs.then(|| size(&theirs_dir));
    row(
        rows,
        "generated GitHub crate: Rust lines / structs and enums",
        match theirs_size {
            Some((l, t)) => format!(
                "{lines} / {types}; openapi-generator's models {l} / {t} ({:.2}x / {:.2}x)",
                ratio(lines as f64, l as f64),
                ratio(types as f64, t as f64)
            ),
            None => format!("{lines} / {types}"),
        },
        "",
    );

    // Dependencies first, for check and build, so that the steps below time the crates alone.
    let mut deps = dependencies(&ours_dir.join("Cargo.toml"));
    if with_theirs {
        deps.extend(dependencies(&theirs_dir.join("Cargo.toml")));
    }
    let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
    for command in ["check", "build"] {
        let mut args = vec![command];
        args.extend(&deps);
        cargo(ws, &args, "", false, &format!("bench-deps-{command}"));
    }

    let mut subjects = vec![(OURS, "corpus_github")];
    if with_theirs {
        subjects.push((THEIRS, "bench_openapi"));
    }
    for (package, _) in &subjects {
        cargo(ws, &["clean", "-p", package], "", false, "bench-clean");
    }
    // Alternating ours and theirs, step by step, so that other work on the machine falls on both.
    let mut checks = Vec::new();
    for (package, krate) in &subjects {
        checks.push(cargo(
            ws,
            &["check", "-p", package],
            krate,
            false,
            &format!("bench-check-{package}"),
        ));
    }
    let mut builds = Vec::new();
    for (package, krate) in &subjects {
        builds.push(cargo(
            ws,
            &["build", "-p", package],
            krate,
            true,
            &format!("bench-build-{package}"),
        ));
    }
    compare(rows, "`cargo check`", &checks, Some(("< 60 s", 60.0, None)));
    compare(
        rows,
        "`cargo build` (debug; rustc with -Z time-passes)",
        &builds,
        Some(("at most 0.5x openapi-generator's", f64::INFINITY, Some(0.5))),
    );
    let peak = |steps: &[Step], i: usize| steps.get(i).map_or(0, |s| s.rustc.peak_kb);
    let (ours_peak, theirs_peak) = (
        peak(&checks, 0).max(peak(&builds, 0)),
        peak(&checks, 1).max(peak(&builds, 1)),
    );
    if ours_peak > 0 {
        row(
            rows,
            "rustc peak memory (max RSS, `/usr/bin/time`), check / build",
            format!(
                "ours {} / {}{}",
                gb(peak(&checks, 0)),
                gb(peak(&builds, 0)),
                if theirs_peak > 0 {
                    format!(
                        "; openapi-generator's {} / {} ({:.2}x)",
                        gb(peak(&checks, 1)),
                        gb(peak(&builds, 1)),
                        ratio(ours_peak as f64, theirs_peak as f64)
                    )
                } else {
                    String::new()
                }
            ),
            format!("< 3 GB: {}", verdict(ours_peak < 3_000_000)),
        );
    } else {
        eprintln!("  rustc's memory was not measured (is /usr/bin/time installed?)");
    }
    let rlib = |krate: &str| {
        std::fs::metadata(ws.join("target/debug").join(format!("lib{krate}.rlib")))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let ours_rlib = rlib("corpus_github");
    let theirs_rlib = with_theirs.then(|| rlib("bench_openapi"));
    row(
        rows,
        "`.rlib` size (debug, no debug info)",
        match theirs_rlib {
            Some(t) => format!(
                "ours {:.0} MB; openapi-generator's {:.0} MB ({:.2}x)",
                ours_rlib as f64 / 1e6,
                t as f64 / 1e6,
                ratio(ours_rlib as f64, t as f64)
            ),
            None => format!("{:.0} MB", ours_rlib as f64 / 1e6),
        },
        "",
    );
    for (i, (package, _)) in subjects.iter().enumerate() {
        if let Some(step) = builds.get(i).filter(|s| s.ok) {
            time_passes(rows, package, &step.output);
        }
    }

    // The example tests: what `cargo test --no-run` adds once the crate is built.
    let tests = cargo(
        ws,
        &["test", "--no-run", "-p", OURS],
        "*",
        false,
        "bench-test-no-run",
    );
    let build = builds.first().filter(|b| b.ok);
    row(
        rows,
        "example tests: `cargo test --no-run` after `cargo build` (the tests/ files, `tests/schema_examples` among them; the lib too when it keeps unit tests)",
        match (tests.ok, build) {
            (true, Some(b)) => format!(
                "{}; {:.2}x the build (CPU {:.2}x)",
                tests.figure(),
                ratio(tests.cargo.as_secs_f64(), b.cargo.as_secs_f64()),
                ratio(tests.rustc.cpu, b.rustc.cpu)
            ),
            _ => tests.figure(),
        },
        "",
    );

    llvm_lines::llvm_lines(ws, &ours_dir, rows);

    if release {
        let mut args = vec!["build", "--release"];
        args.extend(&deps);
        cargo(ws, &args, "", false, "bench-deps-release");
        cargo(
            ws,
            &["clean", "--release", "-p", OURS],
            "",
            false,
            "bench-clean",
        );
        let step = cargo(
            ws,
            &["build", "--release", "-p", OURS],
            "corpus_github",
            false,
            "bench-build-release",
        );
        row(
            rows,
            "`cargo build --release` of the generated GitHub crate (deps prebuilt)",
            step.figure(),
            "",
        );
    }
}

/// A row comparing ours (`steps[0]`) with theirs (`steps[1]`, when measured): cargo's wall time,
/// and rustc's own wall and CPU time. `target`: its text, the most seconds ours may take, and
/// the largest ratio to theirs.
fn compare(
    rows: &mut Vec<Row>,
    what: &str,
    steps: &[Step],
    target: Option<(&str, f64, Option<f64>)>,
) {
    let Some(ours) = steps.first() else {
        return;
    };
    let theirs = steps.get(1);
    let mut figure = format!("ours {}", ours.figure());
    let mut ratios = None;
    if let Some(t) = theirs {
        figure.push_str(&format!("; openapi-generator's {}", t.figure()));
        if ours.ok && t.ok {
            let wall = ratio(ours.cargo.as_secs_f64(), t.cargo.as_secs_f64());
            let cpu = ratio(ours.rustc.cpu, t.rustc.cpu);
            figure.push_str(&format!("; ours / theirs: wall {wall:.2}x, CPU {cpu:.2}x"));
            ratios = Some((wall, cpu));
        }
    }
    let target = match target {
        Some((text, seconds, None)) => format!(
            "{text}: {}",
            verdict(ours.ok && ours.cargo.as_secs_f64() < seconds)
        ),
        Some((text, _, Some(max))) => match ratios {
            Some((wall, cpu)) => format!(
                "{text}: wall {}, CPU {}",
                verdict(wall <= max),
                verdict(cpu <= max)
            ),
            None => format!("{text}: not measured"),
        },
        None => String::new(),
    };
    row(rows, format!("{what} (deps prebuilt)"), figure, target);
}

/// `-Z time-passes` lines (`time: 1.234; rss: ... pass`) of a build: the slowest passes, and
/// what share of the compiler's total each took. Passes nest, so the shares overlap.
fn time_passes(rows: &mut Vec<Row>, package: &str, output: &str) {
    let mut passes: Vec<(String, f64)> = output
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix("time:")?;
            let (secs, tail) = rest.split_once(';')?;
            let name = tail.split_whitespace().last()?;
            Some((name.to_owned(), secs.trim().parse().ok()?))
        })
        .collect();
    let total = passes
        .iter()
        .filter(|(n, _)| n == "total")
        .map(|(_, s)| *s)
        .fold(0.0, f64::max);
    if total <= 0.0 {
        eprintln!("  no -Z time-passes output for {package}");
        return;
    }
    passes.retain(|(n, _)| n != "total");
    passes.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = passes
        .iter()
        .take(8)
        .map(|(n, s)| format!("{n} {s:.1} s ({:.0}%)", s / total * 100.0))
        .collect();
    row(
        rows,
        format!(
            "-Z time-passes of {package}'s debug build: slowest passes (nested, so shares overlap)"
        ),
        format!("total {total:.1} s: {}", top.join(", ")),
        "",
    );
}

#[cfg(test)]
mod tests {
    use super::{dependencies, main_type, Rustc};

    #[test]
    fn main_type_is_the_one_named_after_the_file() {
        let text = "pub enum State {\n    A,\n}\npub struct SimpleUser {\n    pub a: i32,\n}\n";
        assert_eq!(
            main_type(text, "simple_user").as_deref(),
            Some("SimpleUser")
        );
        assert_eq!(main_type("pub enum X {}\n", "y").as_deref(), Some("X"));
        assert_eq!(main_type("fn f() {}\n", "y"), None);
    }

    #[test]
    fn wrapper_lines_sum_and_failures_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("times");
        std::fs::write(
            &file,
            "corpus_github 10.5 9.0 1.0 2000000\nCommand exited with non-zero status 1\ncorpus_github 2.0 1.5 0.5 3000000\n",
        )
        .unwrap();
        let r = Rustc::read(&file);
        assert_eq!((r.runs, r.peak_kb), (2, 3_000_000));
        assert!((r.wall - 12.5).abs() < 1e-9 && (r.cpu - 12.0).abs() < 1e-9);
    }

    #[test]
    fn dependencies_leave_out_optional_ones_and_other_sections() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Cargo.toml");
        std::fs::write(
            &file,
            "[package]\nname = \"x\"\n[dependencies]\nserde = { version = \"1\" }\n# note\nproptest = { version = \"1\", optional = true }\n[features]\na = []\n",
        )
        .unwrap();
        assert_eq!(dependencies(&file), ["-p", "serde"]);
    }
}
