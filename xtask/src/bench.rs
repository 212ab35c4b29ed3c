//! `cargo xtask bench`: generation, no-op regeneration, validation
//! throughput, compile time and peak memory, on GitHub's REST description.
//!
//! Run it from a release build (`cargo xtask-release bench` or
//! `cargo run --release -p xtask -- bench`): a debug build times the
//! debug generator. Every figure is the median of `--runs` runs.

mod compile;
mod first_build;
mod llvm_lines;
mod peers;
mod throughput;

use crate::corpus;
use codegen::diagnostic::Diagnostics;
use codegen::settings::Settings;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The corpus entry benchmarked.
const SUBJECT: &str = "github";

/// Models of GitHub's description whose same-named example is the payload:
/// response bodies from 1 KB to 24 KB, URL-heavy as GitHub's are.
const PAYLOADS: &[&str] = &[
    "full-repository",
    "pull-request",
    "check-suite",
    "workflow-run",
    "minimal-repository",
    "repository-advisory",
    "codespace",
    "issue",
    "release",
    "commit",
    "organization-full",
    "check-run",
    "integration",
    "simple-user",
];

/// Payloads whose examples pass through unions: an app's `owner` (simple user or
/// enterprise), an issue's `labels` (name or object), a commit's `author`.
const UNION_PAYLOADS: &[&str] = &["integration", "issue", "check-run", "check-suite", "commit"];

struct Options {
    runs: usize,
    compile: bool,
    throughput: bool,
    peers: bool,
    peer_runs: usize,
    first_build: bool,
    memory_probe: Option<PathBuf>,
    memory_stages: bool,
    compile_only: bool,
    release_build: bool,
    llvm_lines_from: Option<PathBuf>,
}

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--no-compile | --compile-only] [--no-release-build] [--llvm-lines-from FILE] [--no-throughput] [--no-peers] [--peer-runs N] [--first-build] [--install-peers]";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        compile: true,
        throughput: true,
        peers: true,
        peer_runs: 3,
        first_build: false,
        memory_probe: None,
        memory_stages: false,
        compile_only: false,
        release_build: true,
        llvm_lines_from: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                o.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            "--no-compile" => o.compile = false,
            "--compile-only" => o.compile_only = true,
            "--no-release-build" => o.release_build = false,
            "--llvm-lines-from" => {
                o.llvm_lines_from = Some(it.next().ok_or("--llvm-lines-from needs a file")?.into())
            }
            "--no-throughput" => o.throughput = false,
            "--no-peers" => o.peers = false,
            "--peer-runs" => {
                o.peer_runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--peer-runs needs a positive number")?;
            }
            "--first-build" => o.first_build = true,
            // Internal: generate once in this process and print peak memory.
            "--memory-stages" => o.memory_stages = true,
            "--memory-probe" => {
                o.memory_probe = Some(it.next().ok_or("--memory-probe needs a path")?.into())
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if o.compile_only && !o.compile {
        return Err(format!(
            "--compile-only and --no-compile exclude each other\n{USAGE}"
        ));
    }
    Ok(o)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// Peak resident memory of this process, from `/proc/self/status`.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn settings() -> Settings {
    Settings {
        crate_name: Some(format!("corpus-{SUBJECT}")),
        ..Settings::default()
    }
}

fn generate(spec: &Path) -> codegen::Generation {
    codegen::generate_from(
        &[spec.to_path_buf()],
        &codegen::load::Disk,
        &settings(),
        Diagnostics::new(),
    )
}

/// Peak memory of one generation (a regenerate into a new folder, as `cargo xtask regenerate
/// --force` runs it), and memory in use after each stage, each in a process of its own (the
/// memory probe).
fn peak_memory(spec: &Path, size: u64, rows: &mut Vec<Row>) {
    let probe = |stages: bool| {
        let mut command = Command::new(std::env::current_exe().unwrap_or_default());
        command.args(["bench", "--memory-probe"]).arg(spec);
        if stages {
            command.arg("--memory-stages");
        }
        match command.output() {
            Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
            _ => None,
        }
    };
    let Some(text) = probe(false) else {
        eprintln!("memory probe failed");
        return;
    };
    let fields: Vec<u64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [_, kb, schema, shape, checks] = fields[..] else {
        eprintln!("memory probe printed `{}`", text.trim());
        return;
    };
    let bytes = kb * 1024;
    let times = bytes as f64 / size.max(1) as f64;
    row(
        rows,
        "peak RSS (VmHWM) of one generation, in a process of its own",
        format!("{:.0} MB ({times:.1}x input)", bytes as f64 / 1e6),
        format!("<= 8x input: {}", verdict(times <= 8.0)),
    );
    if let Some(stages) = probe(true) {
        let stages: Vec<String> = stages
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(stage, mb)| format!("{stage} {mb}"))
            .collect();
        row(
            rows,
            "memory in use after each stage, MB (glibc's mallinfo2: live, not held)",
            stages.join(", "),
            "",
        );
    }
    row(
        rows,
        "node sizes: load::Schema / ir::Shape / ir::Checks",
        format!("{schema} / {shape} / {checks} bytes"),
        "",
    );
}

/// The memory probe with `--memory-stages`: the stages of a regenerate (as
/// [`codegen::output::regenerate_from`] runs them) one by one, printing after each the memory
/// in use (what is live, not what the process holds) as `stage MB` lines, so that the peak can
/// be laid at a stage's door. Each emitter's files are staged into a new folder and freed, as
/// a regenerate does; the folder is removed at the end.
fn memory_stages(spec: &Path) {
    let show = |stage: &str| {
        if let Some(bytes) = crate::memory::in_use() {
            println!("{stage} {:.0}", bytes as f64 / 1e6);
        }
        // The peak so far, for a reader of the probe's own output.
        eprintln!(
            "{stage}: peak RSS so far {:.0} MB",
            peak_rss_kb().unwrap_or(0) as f64 * 1024.0 / 1e6
        );
    };
    let mut diagnostics = Diagnostics::new();
    let loaded = codegen::load::load(
        std::slice::from_ref(&spec.to_path_buf()),
        &codegen::load::Disk,
        &mut diagnostics,
    );
    show("loaded");
    let model = codegen::ir::lower(&loaded, &settings(), &mut diagnostics);
    show("lowered");
    let codegen::load::Spec {
        files,
        schemas,
        fragments,
        ..
    } = loaded;
    let text: usize = files.iter().map(|f| f.text.len()).sum();
    drop((schemas, fragments));
    show("schema-trees-freed");
    // A regenerate renders its report before emitting, and frees the sources then.
    drop(files);
    show("sources-freed");
    let info = codegen::emit::rust::CrateInfo {
        name: "corpus-github",
        version: "0.1.0",
        title: "GitHub",
        model_features: true,
        library_tests: false,
    };
    let out = corpus::root().join("bench-memory");
    let _ = std::fs::remove_dir_all(&out);
    let mut staging = codegen::output::Staging::new(&out);
    let mut generated = 0;
    let rust = codegen::emit::rust::emit(&model, &info).unwrap_or_default();
    show("rust-emitted");
    staging.stage(&rust);
    generated += rust.iter().map(|f| f.contents.len()).sum::<usize>();
    drop(rust);
    show("rust-staged");
    let docs = codegen::emit::docs::emit(&model).unwrap_or_default();
    show("docs-emitted");
    staging.stage(&docs);
    generated += docs.iter().map(|f| f.contents.len()).sum::<usize>();
    drop(docs);
    show("docs-staged");
    drop(model);
    show("model-freed");
    if let Err(e) = staging.finish() {
        eprintln!("writing {}: {e}", out.display());
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("source-text {:.0}", text as f64 / 1e6);
    println!("generated-text {:.0}", generated as f64 / 1e6);
}

/// One row of the results table.
struct Row {
    what: String,
    figure: String,
    target: String,
}

fn row(
    rows: &mut Vec<Row>,
    what: impl Into<String>,
    figure: impl Into<String>,
    target: impl Into<String>,
) {
    let r = Row {
        what: what.into(),
        figure: figure.into(),
        target: target.into(),
    };
    eprintln!("  {}: {} {}", r.what, r.figure, r.target);
    rows.push(r);
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// `cargo xtask bench`.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--install-peers") {
        return match peers::install() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(spec) = &options.memory_probe {
        if options.memory_stages {
            memory_stages(spec);
            return ExitCode::SUCCESS;
        }
        // One regenerate, as `cargo xtask regenerate --force` runs it, into a new folder.
        let out = corpus::root().join("bench-memory");
        let _ = std::fs::remove_dir_all(&out);
        let run = codegen::output::regenerate_from(
            std::slice::from_ref(spec),
            &settings(),
            &out,
            &codegen::output::Options {
                force: true,
                ..Default::default()
            },
        );
        let files = match &run.outcome {
            codegen::output::Outcome::Written(w) => w.written.len() + w.unchanged,
            _ => 0,
        };
        let _ = std::fs::remove_dir_all(&out);
        println!(
            "{} {} {} {} {}",
            files,
            peak_rss_kb().unwrap_or(0),
            std::mem::size_of::<codegen::load::schema::Schema>(),
            std::mem::size_of::<codegen::ir::Shape>(),
            std::mem::size_of::<codegen::ir::Checks>(),
        );
        return ExitCode::SUCCESS;
    }
    if let Some(file) = &options.llvm_lines_from {
        // Groups a saved `cargo llvm-lines` output of the bench's crate again.
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("cannot read {}", file.display());
            return ExitCode::FAILURE;
        };
        let crate_dir = corpus::root().join("bench-ws").join("bench-crate");
        llvm_lines::report_llvm_lines(&text, &crate_dir, &mut Vec::new());
        return ExitCode::SUCCESS;
    }
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; run `cargo run --release -p xtask -- bench` for real figures");
    }
    let Some(entry) = corpus::CORPUS.iter().find(|e| e.name == SUBJECT) else {
        return ExitCode::FAILURE;
    };
    let spec = match corpus::fetch(entry) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let size = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
    let mut rows = Vec::new();
    let out = corpus::root().join("bench-out");
    if options.compile_only {
        // The generated crate only: generated once, written anew.
        eprintln!("generating {} for the compile part", spec.display());
        let generation = generate(&spec);
        let _ = std::fs::remove_dir_all(&out);
        if let Err(e) = codegen::output::write(&out, &generation.files) {
            eprintln!("writing {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
        return crates(&options, &spec, &out, rows);
    }
    eprintln!(
        "benchmarking {} ({:.1} MB), median of {} runs",
        spec.display(),
        size as f64 / 1e6,
        options.runs
    );

    // Just parsing the description: the floor for any generator.
    let mut parse = Vec::new();
    for _ in 0..options.runs {
        let t = Instant::now();
        let bytes = std::fs::read(&spec).unwrap_or_default();
        let value: Result<serde_json::Value, _> = serde_json::from_slice(&bytes);
        std::hint::black_box(&value);
        parse.push(t.elapsed());
    }
    let parse = median(parse);
    row(
        &mut rows,
        "read + parse JSON (serde_json::Value)",
        ms(parse),
        "baseline",
    );

    // The stages, called directly, all in memory.
    let (mut load, mut lower, mut rust, mut docs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut files = 0;
    for _ in 0..options.runs {
        let mut diagnostics = Diagnostics::new();
        let t = Instant::now();
        let loaded = codegen::load::load(
            std::slice::from_ref(&spec),
            &codegen::load::Disk,
            &mut diagnostics,
        );
        load.push(t.elapsed());
        let t = Instant::now();
        let model = codegen::ir::lower(&loaded, &settings(), &mut diagnostics);
        lower.push(t.elapsed());
        let info = codegen::emit::rust::CrateInfo {
            name: "corpus-github",
            version: "0.1.0",
            title: "GitHub",
            model_features: true,
            library_tests: false,
        };
        let t = Instant::now();
        let out = codegen::emit::rust::emit(&model, &info);
        rust.push(t.elapsed());
        let t = Instant::now();
        let md = codegen::emit::docs::emit(&model);
        docs.push(t.elapsed());
        files = out.map(|f| f.len()).unwrap_or(0) + md.map(|f| f.len()).unwrap_or(0);
    }
    let (load, lower, rust, docs) = (median(load), median(lower), median(rust), median(docs));
    let memory = load + lower + rust + docs;
    row(
        &mut rows,
        "load (read, parse, $ref resolution)",
        ms(load),
        "",
    );
    row(&mut rows, "lower to IR", ms(lower), "");
    row(
        &mut rows,
        "emit Rust (formatted text, modules on every core)",
        ms(rust),
        "",
    );
    row(&mut rows, "emit Markdown docs", ms(docs), "");
    row(
        &mut rows,
        format!("all stages, in memory ({files} files)"),
        ms(memory),
        "",
    );

    // Disk to disk: a new output folder each run. Earlier runs' folders are removed only
    // after timing: on ext4, creating files just after deleting thousands makes the kernel
    // scan its inode tables for recently deleted inodes (measured with perf), which would
    // time the file system's housekeeping rather than generation.
    let fresh_root = corpus::root().join("bench-fresh");
    let _ = std::fs::remove_dir_all(&fresh_root);
    let mut fresh = Vec::new();
    for run in 0..options.runs {
        let folder = fresh_root.join(run.to_string());
        let t = Instant::now();
        let generation = generate(&spec);
        let written = codegen::output::write(&folder, &generation.files);
        fresh.push(t.elapsed());
        if let Err(e) = written {
            eprintln!("writing {}: {e}", folder.display());
            return ExitCode::FAILURE;
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    if let Err(e) = std::fs::rename(fresh_root.join("0"), &out) {
        eprintln!("moving the output to {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let _ = std::fs::remove_dir_all(&fresh_root);
    let fresh = median(fresh);
    let ratio = fresh.as_secs_f64() / parse.as_secs_f64().max(1e-9);
    row(
        &mut rows,
        "generate disk to disk (fresh folder)",
        format!("{} ({ratio:.1}x parse)", ms(fresh)),
        format!(
            "< 1 s: {}; <= 3x parse: {}",
            verdict(fresh < Duration::from_secs(1)),
            verdict(ratio <= 3.0)
        ),
    );

    // No-op regeneration: same input, same folder, as `cargo xtask
    // regenerate` runs it (stamp included, kept in a place of its own). The
    // first run records the stamp; it must write nothing either.
    let stamp = corpus::root().join("bench-stamp");
    let _ = std::fs::remove_file(&stamp);
    let regenerate = || {
        codegen::output::regenerate_from(
            std::slice::from_ref(&spec),
            &settings(),
            &out,
            &codegen::output::Options {
                stamp: Some(stamp.clone()),
                ..Default::default()
            },
        )
    };
    let changed = |run: &codegen::output::Regeneration| match &run.outcome {
        codegen::output::Outcome::UpToDate(_) => 0,
        codegen::output::Outcome::Written(w) => w.written.len() + w.removed.len(),
        _ => usize::MAX / 2,
    };
    let mut written_files = changed(&regenerate());
    let mut noop = Vec::new();
    for _ in 0..options.runs {
        let t = Instant::now();
        let run = regenerate();
        noop.push(t.elapsed());
        written_files += changed(&run);
        if !matches!(run.outcome, codegen::output::Outcome::UpToDate(_)) {
            eprintln!("  note: a no-op run did not find the stamp current");
        }
    }
    let noop = median(noop);
    let ratio = noop.as_secs_f64() / parse.as_secs_f64().max(1e-9);
    row(
        &mut rows,
        "no-op regenerate",
        format!(
            "{} ({ratio:.1}x parse), {written_files} files written",
            ms(noop)
        ),
        format!(
            "< 2x parse, 0 written: {}",
            verdict(ratio < 2.0 && written_files == 0)
        ),
    );

    debug_profile(&spec, options.runs, &mut rows);
    if options.peers {
        peers::compare(&spec, options.peer_runs, &mut rows);
    } else {
        eprintln!("  peers skipped (--no-peers)");
    }
    if options.first_build {
        first_build::first_build(&spec, &mut rows);
    } else {
        eprintln!("  first build on a fresh clone skipped (--first-build measures it: two builds of the xtask from scratch)");
    }

    peak_memory(&spec, size, &mut rows);
    crates(&options, &spec, &out, rows)
}

/// The parts that build the generated crate: compile cost and validation throughput; then the
/// table of every row.
fn crates(options: &Options, spec: &Path, out: &Path, mut rows: Vec<Row>) -> ExitCode {
    let ws = corpus::root().join("bench-ws");
    let throughput = options.throughput && !options.compile_only;
    if options.compile || throughput {
        let _ = std::fs::create_dir_all(&ws);
        let with_theirs = options.compile && compile::write_openapi_crate(&ws, spec);
        if throughput {
            if let Err(e) = throughput::write_bench_crate(&ws.join("bench-validate")) {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = compile::prepare_workspace(&ws, out) {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
        if options.compile {
            compile::measure(&ws, with_theirs, options.release_build, &mut rows);
        }
        if throughput {
            throughput::throughput(&ws, spec, &mut rows);
        }
    }

    println!();
    println!("| measurement | figure | target |");
    println!("|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {} |", r.what, r.figure, r.target);
    }
    ExitCode::SUCCESS
}

/// The generator as `cargo xtask regenerate` runs it: the debug profile, with the workspace's
/// `[profile.dev.package]` settings. Both binaries run `regenerate --force` disk to disk, in
/// processes of their own, alternating, each run into a new folder.
fn debug_profile(spec: &Path, runs: usize, rows: &mut Vec<Row>) {
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(workspace) = project.parent() else {
        return;
    };
    let Some(target) = corpus::root().parent().map(Path::to_path_buf) else {
        return;
    };
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "-p", "xtask"])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", &target)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("building the debug generator failed");
        return;
    }
    let debug = target.join("debug").join("xtask");
    let release = std::env::current_exe().unwrap_or_default();
    let folders = corpus::root().join("bench-profiles");
    let _ = std::fs::remove_dir_all(&folders);
    let (mut times, mut cpu) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for run in 0..runs {
        for (i, exe) in [&debug, &release].into_iter().enumerate() {
            let out = folders.join(format!("{run}-{i}"));
            let cpu_before = children_cpu();
            let t = Instant::now();
            let status = Command::new(exe)
                .args(["regenerate", "--force", "--schemas"])
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .stderr(std::process::Stdio::null())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("{} regenerate failed", exe.display());
                return;
            }
            times[i].push(t.elapsed());
            cpu[i].push(children_cpu().saturating_sub(cpu_before));
        }
    }
    let _ = std::fs::remove_dir_all(&folders);
    let [debug_times, release_times] = times.map(median);
    let [debug_cpu, release_cpu] = cpu.map(median);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    let (wall, cpu) = (
        ratio(debug_times, release_times),
        ratio(debug_cpu, release_cpu),
    );
    row(
        rows,
        "`cargo xtask regenerate --force` as built by the alias (debug profile) vs the release binary, wall / CPU (user + system)",
        format!(
            "{} vs {} ({wall:.2}x) / {} vs {} ({cpu:.2}x)",
            ms(debug_times),
            ms(release_times),
            ms(debug_cpu),
            ms(release_cpu)
        ),
        format!(
            "<= 1.5x: wall {}, CPU {}",
            verdict(wall <= 1.5),
            verdict(cpu <= 1.5)
        ),
    );
}

/// CPU time (user + system) of the waited-for child processes, from `/proc/self/stat`: on a
/// shared machine it moves far less than wall time.
fn children_cpu() -> Duration {
    // Linux reports it in clock ticks of 1/100 s.
    const TICKS: f64 = 100.0;
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17; the list starts at field 3 (the state).
    let ticks: f64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    Duration::from_secs_f64(ticks / TICKS)
}
