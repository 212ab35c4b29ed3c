//! `cargo xtask diff`: the breaking-change report between two versions of the
//! schemas. Reads both versions (a git revision, a path, or a published
//! corpus version), hands them to `codegen::diff`, and prints the report.

use crate::corpus;
use codegen::diff::{self, Lowered};
use codegen::load::{Disk, FileSource};
use codegen::settings::{self, Settings};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask diff --base <git-rev> [--schemas PATH] [options]
       cargo xtask diff --old PATH --new PATH [options]
       cargo xtask diff --corpus NAME --from VERSION --to VERSION [options]

Reports what changed in the generated Rust API and in what validation accepts,
each change classified major, minor or patch.

  --base REV         compare the schemas at git revision REV with the working tree
  --schemas PATH     the schema file or folder (default: schemas)
  --old PATH         the old schema file or folder
  --new PATH         the new schema file or folder
  --corpus NAME      a corpus description (see `cargo xtask corpus`), fetched from npm
  --from, --to V     the two published package versions to compare
  --format FORMAT    markdown (default) or json
  --deny-breaking    exit with 1 when any change is major
";

/// Where one version of the schemas comes from.
enum Version {
    /// A schema file or folder on disk.
    Path(PathBuf),
    /// The schema file or folder at a git revision.
    Git { rev: String, path: PathBuf },
}

struct Options {
    old: Version,
    new: Version,
    json: bool,
    deny_breaking: bool,
}

fn parse(args: &[String], default_schemas: PathBuf) -> Result<Options, String> {
    let mut base = None;
    let mut schemas = None;
    let mut old = None;
    let mut new = None;
    let mut corpus_name = None;
    let mut from = None;
    let mut to = None;
    let mut json = false;
    let mut deny_breaking = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--base" => base = Some(value()?),
            "--schemas" => schemas = Some(PathBuf::from(value()?)),
            "--old" => old = Some(PathBuf::from(value()?)),
            "--new" => new = Some(PathBuf::from(value()?)),
            "--corpus" => corpus_name = Some(value()?),
            "--from" => from = Some(value()?),
            "--to" => to = Some(value()?),
            "--format" => match value()?.as_str() {
                "json" => json = true,
                "markdown" | "md" => json = false,
                other => return Err(format!("unknown format `{other}`: markdown or json")),
            },
            "--deny-breaking" => deny_breaking = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let (old, new) = match (base, old, new, corpus_name) {
        (Some(rev), None, None, None) => {
            let path = schemas.unwrap_or(default_schemas);
            (
                Version::Git {
                    rev,
                    path: path.clone(),
                },
                Version::Path(path),
            )
        }
        (None, Some(old), Some(new), None) => (Version::Path(old), Version::Path(new)),
        (None, None, None, Some(name)) => {
            let (Some(from), Some(to)) = (from, to) else {
                return Err(format!("--corpus needs --from and --to\n\n{USAGE}"));
            };
            let entry = corpus::CORPUS
                .iter()
                .find(|e| e.name == name)
                .ok_or_else(|| format!("no corpus description named `{name}`"))?;
            (
                Version::Path(corpus::fetch_version(entry, &from)?),
                Version::Path(corpus::fetch_version(entry, &to)?),
            )
        }
        _ => {
            return Err(format!(
                "give one of --base, --old with --new, or --corpus\n\n{USAGE}"
            ))
        }
    };
    Ok(Options {
        old,
        new,
        json,
        deny_breaking,
    })
}

pub fn run(args: &[String], default_schemas: PathBuf) -> ExitCode {
    let options = match parse(args, default_schemas) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (Some(old), Some(new)) = (lower(&options.old), lower(&options.new)) else {
        eprintln!("no report: a version has errors");
        return ExitCode::from(2);
    };
    let report = diff::compare(&old.model, &new.model);
    if options.json {
        print!("{}", report.json());
    } else {
        print!("{}", report.markdown());
    }
    if options.deny_breaking && report.is_breaking() {
        eprintln!(
            "{} breaking (major) change(s); --deny-breaking makes them an error",
            report.count(diff::Severity::Major)
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Loads and lowers one version; `None` (with the errors printed) when it has errors.
/// Warnings are counted, not shown: they are the generator's business, not the report's.
fn lower(version: &Version) -> Option<Lowered> {
    let (label, lowered) = match version {
        Version::Path(path) => {
            let label = path.display().to_string();
            match codegen::discover(path) {
                Ok((inputs, settings)) => (label, diff::lower(&inputs, &Disk, &settings)),
                Err(d) => {
                    eprintln!("{d}");
                    return None;
                }
            }
        }
        Version::Git { rev, path } => {
            let label = format!("{rev}:{}", path.display());
            let cwd = std::env::current_dir().unwrap_or_default();
            let found = Git::new(rev, &cwd).and_then(|git| Ok((git.discover(path)?, git)));
            let ((inputs, settings), git) = match found {
                Ok(found) => found,
                Err(e) => {
                    eprintln!("{label}: {e}");
                    return None;
                }
            };
            (label, diff::lower(&inputs, &git, &settings))
        }
    };
    if lowered.diagnostics.has_errors() {
        eprint!("{}", lowered.report());
        eprintln!("{label}: cannot be compared while it has errors");
        return None;
    }
    if !lowered.diagnostics.is_empty() {
        eprintln!(
            "{label}: {} warning(s) (`cargo xtask regenerate` shows them)",
            lowered.diagnostics.len()
        );
    }
    Some(lowered)
}

/// Reads files as they are at a git revision (`git show <rev>:<path>`), so a
/// folder deleted or changed since then is read as it was.
struct Git {
    rev: String,
    /// The repository's top folder; git runs there, with paths relative to it.
    top: PathBuf,
    /// The current folder, which relative paths start from.
    cwd: PathBuf,
}

impl Git {
    /// Reads at `rev`, with relative paths starting from `cwd`.
    fn new(rev: &str, cwd: &Path) -> Result<Git, String> {
        let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        let out = run_git(&cwd, &["rev-parse", "--show-toplevel"])?;
        let top = PathBuf::from(String::from_utf8_lossy(&out).trim());
        Ok(Git {
            rev: rev.to_owned(),
            top,
            cwd,
        })
    }

    /// `path` relative to the repository's top folder, with `/` separators.
    fn in_repo(&self, path: &Path) -> Result<String, String> {
        let mut full = PathBuf::new();
        for part in self.cwd.join(path).components() {
            match part {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    full.pop();
                }
                other => full.push(other),
            }
        }
        let rel = full
            .strip_prefix(&self.top)
            .map_err(|_| format!("{} is outside the git repository", path.display()))?;
        Ok(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The schema files of `path` at the revision (the file itself, or the
    /// `.yaml`, `.yml` and `.json` files of the folder) and its settings.
    fn discover(&self, path: &Path) -> Result<(Vec<PathBuf>, Settings), String> {
        let is_file = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        let dir = if is_file {
            path.parent().unwrap_or(Path::new("")).to_path_buf()
        } else {
            path.to_path_buf()
        };
        let inputs = if is_file {
            vec![path.to_path_buf()]
        } else {
            let folder = self.in_repo(path)?;
            let tree = if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            };
            let listing = run_git(&self.top, &["ls-tree", &self.rev, "--", &tree])?;
            let mut files: Vec<PathBuf> = String::from_utf8_lossy(&listing)
                .lines()
                .filter_map(|line| {
                    let (meta, name) = line.split_once('\t')?;
                    let is_blob = meta.split(' ').nth(1) == Some("blob");
                    let name = Path::new(name).file_name()?;
                    let ext = Path::new(name).extension().and_then(|e| e.to_str());
                    (is_blob && matches!(ext, Some("yaml" | "yml" | "json")))
                        .then(|| path.join(name))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err("no .yaml, .yml or .json files there at that revision".to_owned());
            }
            files
        };
        let settings_path = dir.join(settings::FILE_NAME);
        let settings = match self.read(&settings_path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                Settings::parse(&settings_path.display().to_string(), &text)
                    .map_err(|d| d.to_string())?
            }
            Err(_) => Settings::default(),
        };
        Ok((inputs, settings))
    }
}

impl FileSource for Git {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let not_found = |e| std::io::Error::new(std::io::ErrorKind::NotFound, e);
        let rel = self.in_repo(path).map_err(not_found)?;
        run_git(&self.top, &["show", &format!("{}:{rel}", self.rev)]).map_err(not_found)
    }
}

/// Runs git in `dir` and answers its output.
fn run_git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn base_compares_the_revision_with_the_working_tree() {
        let o = parse(
            &args(&["--base", "HEAD~1", "--format", "json"]),
            "schemas".into(),
        )
        .expect("valid arguments");
        assert!(o.json);
        assert!(
            matches!(o.old, Version::Git { ref rev, ref path } if rev == "HEAD~1" && path == Path::new("schemas"))
        );
        assert!(matches!(o.new, Version::Path(ref p) if p == Path::new("schemas")));
    }

    #[test]
    fn a_folder_is_read_as_it_was_at_a_revision() {
        let repo = tempfile::tempdir().expect("temporary folder");
        let dir = repo.path();
        let git = |args: &[&str]| {
            let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@example.com"];
            all.extend_from_slice(args);
            run_git(dir, &all).expect("git runs");
        };
        let schemas = dir.join("api");
        std::fs::create_dir_all(schemas.join("common")).expect("folders");
        let document = |status: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        status: {{$ref: 'common/status.yaml#/components/schemas/Status'}}\n{status}"
            )
        };
        let status = |values: &str| {
            format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n    Status: {{type: string, enum: [{values}]}}\n")
        };
        std::fs::write(schemas.join("pets.yaml"), document("")).expect("write");
        std::fs::write(schemas.join("common/status.yaml"), status("a, b")).expect("write");
        git(&["init", "-q"]);
        git(&["add", "."]);
        git(&["commit", "-qm", "old"]);
        // The referenced file changes in the working tree only.
        std::fs::write(schemas.join("common/status.yaml"), status("a")).expect("write");

        let at_head = Git::new("HEAD", dir).expect("a repository");
        let (inputs, settings) = at_head.discover(Path::new("api")).expect("files at HEAD");
        assert_eq!(inputs, vec![PathBuf::from("api/pets.yaml")]);
        let old = diff::lower(&inputs, &at_head, &settings);
        assert!(!old.diagnostics.has_errors(), "{}", old.report());
        let (inputs, settings) = codegen::discover(&schemas).expect("files on disk");
        let new = diff::lower(&inputs, &Disk, &settings);
        let report = diff::compare(&old.model, &new.model);
        let paths: Vec<&str> = report.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, vec!["Status::B"]);
        assert!(report.is_breaking());
    }

    #[test]
    fn one_source_of_versions_must_be_given() {
        assert!(parse(&args(&[]), "schemas".into()).is_err());
        assert!(parse(&args(&["--old", "a.yaml"]), "schemas".into()).is_err());
        assert!(parse(
            &args(&["--base", "HEAD", "--old", "a", "--new", "b"]),
            "schemas".into()
        )
        .is_err());
        assert!(parse(&args(&["--format", "xml"]), "schemas".into()).is_err());
    }
}
