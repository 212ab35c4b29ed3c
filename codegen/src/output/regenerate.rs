//! `regenerate`: generate the crate and write it, unless the stamp of the
//! last successful run shows that nothing it consumed or produced changed.

use super::stamp::{source_hashes, Current, Stamp};
use super::{Staging, Written};
use crate::diagnostic::{Diagnostics, Severity};
use crate::emit::File;
use crate::load::source::SourceFile;
use crate::settings::Settings;
use crate::{Generation, Sink};
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
    // Each emitter's files are staged as soon as they are made, and freed: the files of a
    // large description are never all in memory, nor beside the sources (which the report,
    // rendered before emitting, is done with).
    let mut sink = Stager {
        out,
        deny_warnings: options.deny_warnings,
        staging: None,
        report: String::new(),
        rendered: 0,
        sources: Vec::new(),
    };
    let diagnostics = crate::generate_into(
        inputs,
        &crate::load::Disk,
        settings,
        Diagnostics::new(),
        &mut sink,
    );
    let mut report = sink.report;
    report.push_str(&crate::render_diagnostics(&diagnostics, sink.rendered, &[]));
    report.push_str(&crate::summary_line(&diagnostics));
    let errors = diagnostics.count(Severity::Error);
    let warnings = diagnostics.warnings();
    let failed = errors > 0 || (options.deny_warnings && warnings > 0);
    let outcome = match sink.staging {
        // Dropping the staging of a failed run removes what it staged.
        Some(staging) if !failed => match staging.finish() {
            Ok((written, outputs)) => {
                if let Some(path) = &options.stamp {
                    let stamp = Stamp::of_run(
                        inputs,
                        settings,
                        sink.sources,
                        outputs,
                        warnings,
                        report.clone(),
                    );
                    record(path, stamp);
                }
                Outcome::Written(written)
            }
            Err(e) => Outcome::WriteFailed(e),
        },
        _ => Outcome::NotWritten,
    };
    Regeneration {
        report,
        errors,
        warnings,
        outcome,
    }
}

/// Stages each emitter's files in the output folder as they are made, once the
/// diagnostics show that the run will write.
struct Stager<'a> {
    out: &'a Path,
    deny_warnings: bool,
    staging: Option<Staging<'a>>,
    /// The diagnostics known before emitting, rendered with the sources.
    report: String,
    /// How many those were.
    rendered: usize,
    /// The files read, with their hashes, for the stamp.
    sources: Vec<(String, u128)>,
}

impl Sink for Stager<'_> {
    fn modelled(&mut self, diagnostics: &Diagnostics, sources: Vec<SourceFile>) -> bool {
        self.report = crate::render_diagnostics(diagnostics, 0, &sources);
        self.rendered = diagnostics.len();
        self.sources = source_hashes(&sources);
        let failed = diagnostics.has_errors() || (self.deny_warnings && diagnostics.warnings() > 0);
        if !failed {
            self.staging = Some(Staging::new(self.out));
        }
        !failed
    }

    fn emitted(&mut self, files: Vec<File>) {
        if let Some(staging) = &mut self.staging {
            staging.stage(&files);
        }
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
