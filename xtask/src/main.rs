//! `cargo xtask`: the command line around the `codegen` library.

#[cfg(feature = "tools")]
mod bench;
mod conformance;
mod corpus;
mod diff;
#[cfg(feature = "tools")]
mod differential;
mod directory;
mod memory;
mod models_runner;
mod payloads;

use codegen::output;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  regenerate   generate the models crate from the schemas
  check        fail if the generated crate is out of date
  conformance  run the JSON Schema Test Suite (draft 4, draft 2020-12) against generated code
  corpus       generate and build crates from real public API descriptions
  differential compare generated validation with a reference JSON Schema validator
  bench        time generation, validation and builds on the corpus
  diff         report what changed between two versions of the schemas

options:
  --schemas PATH     a schema file or folder (default: schemas)
  --out DIR          the output crate folder (default: generated)
  --deny-warnings    treat warnings as errors
  --force            regenerate even when nothing changed since the last run
";

struct Args {
    command: String,
    schemas: PathBuf,
    out: PathBuf,
    deny_warnings: bool,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or_else(|| USAGE.to_owned())?;
    let root = workspace_root();
    let mut parsed = Args {
        command,
        schemas: root.join("schemas"),
        out: root.join("generated"),
        deny_warnings: false,
        force: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--schemas" => parsed.schemas = args.next().ok_or("--schemas needs a path")?.into(),
            "--out" => parsed.out = args.next().ok_or("--out needs a folder")?.into(),
            "--deny-warnings" => parsed.deny_warnings = true,
            "--force" => parsed.force = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// The workspace root, so defaults work from any folder; paths given on the
/// command line stay relative to where the user is.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().map(PathBuf::from).unwrap_or(manifest);
    let cwd = std::env::current_dir().unwrap_or_default();
    // Show `schemas/...` rather than an absolute path when run from the root.
    if cwd == root {
        PathBuf::new()
    } else {
        root
    }
}

fn main() -> ExitCode {
    memory::one_arena();
    // `corpus`, `bench`, `diff` and `differential` take their own options.
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match raw.split_first() {
        Some((command, rest)) if command == "corpus" => return corpus::run(rest),
        Some((command, rest)) if command == "bench" || command == "differential" => {
            return tools(command, rest)
        }
        Some((command, rest)) if command == "diff" => {
            return diff::run(rest, workspace_root().join("schemas"))
        }
        Some((command, rest)) if command == "conformance" => return conformance::run(rest),
        _ => {}
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match args.command.as_str() {
        "regenerate" => regenerate(&args),
        "check" => check(&args),
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `bench` and `differential`.
#[cfg(feature = "tools")]
fn tools(command: &str, rest: &[String]) -> ExitCode {
    if command == "bench" {
        bench::run(rest)
    } else {
        differential::run(rest)
    }
}

/// `bench` and `differential` in a build without the `tools` feature (as `cargo xtask` builds
/// it): the same command through `cargo run` with the feature, which builds it the first time.
#[cfg(not(feature = "tools"))]
fn tools(command: &str, rest: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let mut run = std::process::Command::new(cargo);
    run.args(["run", "--manifest-path"])
        .arg(manifest)
        .args(["--features", "tools"]);
    if !cfg!(debug_assertions) {
        run.arg("--release");
    }
    run.arg("--").arg(command).args(rest);
    match run.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .map_or(ExitCode::FAILURE, ExitCode::from),
        Err(e) => {
            eprintln!("error: running `cargo run -p xtask --features tools -- {command}`: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Regenerates, skipping the work when the stamp (kept in the cargo target
/// folder) shows that nothing changed since the last run.
fn regenerate(args: &Args) -> ExitCode {
    let started = Instant::now();
    let options = output::Options {
        stamp: output::stamp::default_path(&args.out),
        force: args.force,
        deny_warnings: args.deny_warnings,
    };
    let run = output::regenerate(&args.schemas, &args.out, &options);
    eprint!("{}", run.report);
    match run.outcome {
        output::Outcome::UpToDate(files) => {
            eprintln!(
                "up to date ({files} files, checked in {} ms); `--force` regenerates anyway",
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        output::Outcome::NotWritten => {
            if run.errors == 0 {
                eprintln!("--deny-warnings makes warnings errors");
            }
            eprintln!("nothing was written");
            ExitCode::FAILURE
        }
        output::Outcome::Written(done) => {
            for path in &done.written {
                eprintln!("wrote   {path}");
            }
            for path in &done.removed {
                eprintln!("removed {path}");
            }
            eprintln!(
                "{} written, {} removed, {} unchanged",
                done.written.len(),
                done.removed.len(),
                done.unchanged
            );
            ExitCode::SUCCESS
        }
        output::Outcome::WriteFailed(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            eprintln!("nothing was written: every file is as it was");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> Option<Vec<codegen::emit::File>> {
    let generation = codegen::generate(&args.schemas);
    eprint!("{}", generation.report());
    if generation.failed(args.deny_warnings) {
        if !generation.diagnostics.has_errors() {
            eprintln!("--deny-warnings makes warnings errors");
        }
        eprintln!("nothing was written");
        return None;
    }
    Some(generation.files)
}

/// Generates in memory and compares with the output folder. It never uses
/// the stamp: what it says holds whatever the stamp says.
fn check(args: &Args) -> ExitCode {
    let Some(files) = generate(args) else {
        return ExitCode::FAILURE;
    };
    let drift = output::check(&args.out, &files);
    if drift.is_empty() {
        eprintln!("{} generated files are up to date", files.len());
        return ExitCode::SUCCESS;
    }
    for d in &drift {
        eprintln!("{d}");
    }
    eprintln!("the generated crate is out of date; run `cargo xtask regenerate`");
    ExitCode::FAILURE
}
