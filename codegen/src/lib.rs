//! Generates Rust models, validation and Markdown docs from OpenAPI schemas.
//!
//! The data flows one way: [`load`] reads files into schema trees, [`ir`]
//! lowers them to Rust-shaped types, and [`emit`] writes Rust and Markdown.
//! [`output::regenerate`] stages each emitter's files as they are made and
//! renames them into place only when the whole run succeeded ([`generate_from`]
//! holds them all in memory instead); it skips the run altogether when its
//! stamp shows that nothing changed since the last one.

// A `Diagnostic` is returned only on the error path, where its size costs nothing.
#![allow(clippy::result_large_err)]

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod output;
pub mod render;
pub mod settings;
pub mod sparse;

use diagnostic::{Diagnostic, Diagnostics, Severity};
use emit::File;
use load::source::SourceFile;
use settings::Settings;
use std::path::{Path, PathBuf};

/// What a run produced: files (when it succeeded) and every diagnostic.
#[derive(Debug)]
pub struct Generation {
    /// All generated files, manifest included, sorted by path. Empty on failure.
    pub files: Vec<File>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Diagnostics,
    /// The sources read, for rendering diagnostics with snippets.
    pub sources: Vec<SourceFile>,
}

impl Generation {
    /// Whether generation failed (any error, or any warning when `deny_warnings`).
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.diagnostics.has_errors() || (deny_warnings && self.diagnostics.warnings() > 0)
    }

    /// Every diagnostic rendered for people, with source snippets.
    pub fn report(&self) -> String {
        let mut out = render_diagnostics(&self.diagnostics, 0, &self.sources);
        out.push_str(&summary_line(&self.diagnostics));
        out
    }
}

/// The diagnostics from the `from`th on, rendered for people, with snippets of `sources`.
fn render_diagnostics(diagnostics: &Diagnostics, from: usize, sources: &[SourceFile]) -> String {
    let mut out = String::new();
    let diagnostics: Vec<&Diagnostic> = diagnostics.iter().skip(from).collect();
    // Values are located for all diagnostics of a file in one read of its
    // text: one read per diagnostic is quadratic on large descriptions.
    let mut located: Vec<Option<diagnostic::Location>> =
        diagnostics.iter().map(|d| d.location).collect();
    for source in sources {
        let (indexes, pointers): (Vec<usize>, Vec<&str>) = diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| d.location.is_none() && !d.at_key && d.file == source.name)
            .map(|(i, d)| (i, d.pointer.as_str()))
            .unzip();
        if pointers.is_empty() {
            continue;
        }
        let answers = load::locate::locate_all(&source.text, &pointers);
        for (i, at) in indexes.into_iter().zip(answers) {
            if let Some(slot) = located.get_mut(i) {
                *slot = at;
            }
        }
    }
    for (d, location) in diagnostics.into_iter().zip(located) {
        let source = sources
            .iter()
            .find(|s| s.name == d.file)
            .map(|s| s.text.as_str());
        let mut d = d.clone();
        d.location = location;
        if d.location.is_none() && d.at_key {
            d.location = source.and_then(|text| load::locate::locate_key(text, &d.pointer));
        }
        out.push_str(&render::render(&d, source));
        out.push('\n');
    }
    out
}

/// The last line of a report: how many errors, warnings and notes (empty when none).
fn summary_line(diagnostics: &Diagnostics) -> String {
    let errors = diagnostics.count(Severity::Error);
    let warnings = diagnostics.warnings();
    let notes = diagnostics.count(Severity::Note);
    let mut out = String::new();
    if errors + warnings > 0 {
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)"));
        if notes > 0 {
            out.push_str(&format!(", {notes} note(s)"));
        }
        out.push('\n');
    } else if notes > 0 {
        out.push_str(&format!("{notes} note(s)\n"));
    }
    out
}

/// Generates the crate for the schemas at `schemas` (a file or a folder),
/// reading `codegen.toml` beside them when present.
pub fn generate(schemas: &Path) -> Generation {
    match discover(schemas) {
        Ok((inputs, settings)) => {
            generate_from(&inputs, &load::Disk, &settings, Diagnostics::new())
        }
        Err(d) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(d);
            failed(diagnostics, Vec::new())
        }
    }
}

/// The input files at `schemas` (the file itself, or the schema files of the
/// folder) and the settings of `codegen.toml` beside them (the defaults when
/// there is none).
pub fn discover(schemas: &Path) -> Result<(Vec<PathBuf>, Settings), Diagnostic> {
    let inputs = load::discover(schemas)?;
    let settings_path = if schemas.is_dir() {
        schemas.join(settings::FILE_NAME)
    } else {
        schemas
            .parent()
            .unwrap_or(Path::new(""))
            .join(settings::FILE_NAME)
    };
    let settings = match std::fs::read_to_string(&settings_path) {
        Ok(text) => Settings::parse(&load::display(&settings_path), &text)?,
        Err(_) => Settings::default(),
    };
    Ok((inputs, settings))
}

/// The model a run emits from, with what it keeps of the loaded description.
#[derive(Debug)]
pub struct Modelled {
    /// The IR: lowered, its examples and defaults checked, equal inline shapes shared.
    pub model: ir::Model,
    /// The files read.
    pub sources: Vec<SourceFile>,
    /// The description's title.
    pub title: Option<String>,
}

/// Loads and lowers `inputs`: the model [`generate_from`] emits from.
pub fn model_from(
    inputs: &[PathBuf],
    fs: &dyn load::FileSource,
    settings: &Settings,
    diagnostics: &mut Diagnostics,
) -> Modelled {
    let spec = load::load_patched(inputs, fs, &settings.patches, diagnostics);
    // Lowered even after loading found errors, so that one run reports the
    // problems of both stages (an unresolved reference lowers to an
    // unconstrained value, and is reported once, by the loader).
    let mut model = ir::lower(&spec, settings, diagnostics);
    // The schema trees are done with once lowered: freeing them before emitting keeps
    // the peak memory of a large description down. They are dropped here by name: the
    // fields a destructuring `..` leaves behind would live to the end of the function.
    let load::Spec {
        files: sources,
        title,
        schemas,
        fragments,
    } = spec;
    drop((schemas, fragments));
    ir::instance::report(&mut model, &sources, diagnostics);
    // After the examples and defaults of every inline schema are checked where they are written.
    ir::share_inline_shapes(&mut model, settings);
    Modelled {
        model,
        sources,
        title,
    }
}

/// Generates from explicit input files and settings (the testable core).
pub fn generate_from(
    inputs: &[PathBuf],
    fs: &dyn load::FileSource,
    settings: &Settings,
    diagnostics: Diagnostics,
) -> Generation {
    /// Keeps every file and the sources.
    #[derive(Default)]
    struct Collect {
        files: Vec<File>,
        sources: Vec<SourceFile>,
    }
    impl Sink for Collect {
        fn modelled(&mut self, _: &Diagnostics, sources: Vec<SourceFile>) -> bool {
            self.sources = sources;
            true
        }
        fn emitted(&mut self, files: Vec<File>) {
            self.files.extend(files);
        }
    }
    let mut all = Collect::default();
    let diagnostics = generate_into(inputs, fs, settings, diagnostics, &mut all);
    if diagnostics.has_errors() {
        return failed(diagnostics, all.sources);
    }
    Generation {
        files: output::with_manifest(all.files),
        diagnostics,
        sources: all.sources,
    }
}

/// Where [`generate_into`] hands what it makes.
pub trait Sink {
    /// The model is made: every diagnostic is known but a bug of the generator found
    /// while emitting, and `sources` are the files read. Answers whether to emit (never
    /// asked after an error).
    fn modelled(&mut self, diagnostics: &Diagnostics, sources: Vec<SourceFile>) -> bool;
    /// The files of one emitter, the Rust crate's then the docs', without the manifest:
    /// each batch can be written and freed before the next is made.
    fn emitted(&mut self, files: Vec<File>);
}

/// [`generate_from`], handing the sources and each emitter's files to `sink` as they are
/// made instead of holding them all, so that a large description's files need not be in
/// memory at once. Answers every diagnostic: the run failed when there is an error.
pub fn generate_into(
    inputs: &[PathBuf],
    fs: &dyn load::FileSource,
    settings: &Settings,
    mut diagnostics: Diagnostics,
    sink: &mut dyn Sink,
) -> Diagnostics {
    let Modelled {
        model,
        sources,
        title,
    } = model_from(inputs, fs, settings, &mut diagnostics);
    if diagnostics.has_errors() {
        sink.modelled(&diagnostics, sources);
        return diagnostics;
    }
    for d in emit::rust::strategies::diagnostics(&model) {
        diagnostics.push(d);
    }
    if !sink.modelled(&diagnostics, sources) {
        return diagnostics;
    }
    let title = title.unwrap_or_else(|| "API".to_owned());
    let crate_name = settings
        .crate_name
        .clone()
        .unwrap_or_else(|| ir::names::crate_name(&title));
    let version = settings
        .crate_version
        .clone()
        .unwrap_or_else(|| "0.1.0".to_owned());
    let info = emit::rust::CrateInfo {
        name: &crate_name,
        version: &version,
        title: &title,
        model_features: settings.rust.model_features.unwrap_or(true),
        library_tests: settings.rust.library_tests.unwrap_or(false),
    };
    let bug = |e: String| {
        Diagnostic::error("<generator>", "", e)
            .with_hint("this is a bug in the generator; please report it")
    };
    match emit::rust::emit(&model, &info) {
        Ok(files) => sink.emitted(files),
        Err(e) => {
            diagnostics.push(bug(e));
            return diagnostics;
        }
    }
    match emit::docs::emit(&model) {
        Ok(docs) => sink.emitted(docs),
        Err(e) => diagnostics.push(bug(e)),
    }
    diagnostics
}

fn failed(diagnostics: Diagnostics, sources: Vec<SourceFile>) -> Generation {
    Generation {
        files: Vec::new(),
        diagnostics,
        sources,
    }
}
