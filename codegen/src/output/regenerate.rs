//! `regenerate`: generate the crate and write it, unless the stamp of the
//! last successful run shows that nothing it consumed or produced changed.

use super::stamp::{Current, Stamp};
use super::Written;
use crate::diagnostic::{Diagnostics, Severity};
use crate::settings::Settings;
use crate::Generation;
use std::io;
use std::path::{Path, PathBuf};

/// How to regenerate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where the stamp is read and written (see [`super::stamp::default_path`]).
    /// `None`: every run is a full one, and no stamp is kept.
    pub stamp: Option<PathBuf>,
    /// Generate even when the stamp shows nothing changed.
    pub force: bool,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
}

/// What a [`regenerate`] did.
#[derive(Debug)]
pub struct Regeneration {
    /// The diagnostics, rendered; when the run was skipped, as the run that
    /// produced the output rendered them.
    pub report: String,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// What happened to the output folder.
    pub outcome: Outcome,
}

/// What happened to the output folder.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing changed since the stamp's run: nothing was generated or
    /// written. Holds the number of generated files, manifest included.
    UpToDate(usize),
    /// Generation failed (errors, or warnings denied): nothing was written.
    NotWritten,
    /// The output was generated and written.
    Written(Written),
    /// Writing failed; every file is as it was.
    WriteFailed(io::Error),
}

impl Regeneration {
    /// Whether the output folder now holds what the schemas generate.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Outcome::UpToDate(_) | Outcome::Written(_))
    }
}

/// Generates the crate for the schemas at `schemas` (a file or a folder, with
/// `codegen.toml` beside them) into `out`, skipping the work when the stamp
/// at `options.stamp` shows nothing changed.
pub fn regenerate(schemas: &Path, out: &Path, options: &Options) -> Regeneration {
    match crate::discover(schemas) {
        Ok((inputs, settings)) => regenerate_from(&inputs, &settings, out, options),
        Err(d) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(d);
            let (report, errors, warnings) = summary(&crate::failed(diagnostics, Vec::new()));
            Regeneration {
                report,
                errors,
                warnings,
                outcome: Outcome::NotWritten,
            }
        }
    }
}

/// [`regenerate`] from explicit input files and settings.
///
/// The stamp is trusted only when it matches in every respect (generator,
/// settings, inputs, the bytes of every file read and of every file
/// generated); any doubt means a full run. A full run that wrote the output
/// records a new stamp.
pub fn regenerate_from(
    inputs: &[PathBuf],
    settings: &Settings,
    out: &Path,
    options: &Options,
) -> Regeneration {
    if !options.force {
        let current = Current {
            inputs,
            settings,
            out,
        };
        let stamp = options.stamp.as_deref().and_then(Stamp::read);
        if let Some(stamp) = stamp.filter(|s| s.is_current(&current)) {
            // The same run as the stamp's: the same warnings, which deny the
            // write exactly as they would have.
            let outcome = if options.deny_warnings && stamp.warnings > 0 {
                Outcome::NotWritten
            } else {
                Outcome::UpToDate(stamp.files)
            };
            return Regeneration {
                report: stamp.report,
                errors: 0,
                warnings: stamp.warnings,
                outcome,
            };
        }
    }
    let generation = crate::generate_from(inputs, &crate::load::Disk, settings, Diagnostics::new());
    let (report, errors, warnings) = summary(&generation);
    let outcome = if generation.failed(options.deny_warnings) {
        Outcome::NotWritten
    } else {
        match super::write(out, &generation.files) {
            Ok(written) => {
                if let Some(path) = &options.stamp {
                    let stamp = Stamp::new(
                        inputs,
                        settings,
                        &generation.sources,
                        &generation.files,
                        warnings,
                        report.clone(),
                    );
                    record(path, stamp);
                }
                Outcome::Written(written)
            }
            Err(e) => Outcome::WriteFailed(e),
        }
    };
    Regeneration {
        report,
        errors,
        warnings,
        outcome,
    }
}

/// The rendered report of a run, its number of errors and of warnings.
fn summary(generation: &Generation) -> (String, usize, usize) {
    let errors = generation.diagnostics.count(Severity::Error);
    let warnings = generation.diagnostics.warnings();
    (generation.report(), errors, warnings)
}

/// Writes `stamp` to `path`; when there is none or it cannot be written, an
/// older stamp there is removed, so the next run is a full one.
fn record(path: &Path, stamp: Option<Stamp>) {
    if !matches!(stamp.map(|s| s.write(path)), Some(Ok(()))) {
        let _ = std::fs::remove_file(path);
    }
}
