//! The breaking-change report: what changed between two versions of the
//! schemas, in the generated Rust API and in what `validate()` accepts.
//!
//! Both versions are loaded and lowered ([`lower`]); [`compare`] walks the two
//! IR models side by side, matching types by their Rust name, fields by their
//! wire name, enum variants by their value and union branches by their Rust
//! name. Every difference becomes a [`Change`] classified semver style
//! ([`Severity`]) with a one-line reason; [`Report::markdown`] and
//! [`Report::json`] write it out. Nothing here touches the disk.

mod checks;
mod compare;
mod fields;
mod render;
mod variants;

use crate::diagnostic::Diagnostics;
use crate::ir::Model;
use crate::load::{self, source::SourceFile, FileSource};
use crate::settings::Settings;
use serde::Serialize;
use std::path::PathBuf;

pub use compare::compare;

/// How much a change matters to users of the generated crate, semver style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks code written against the old crate, or rejects payloads it accepted.
    Major,
    /// Adds to the API or accepts more; existing code keeps compiling and working.
    Minor,
    /// Documentation only.
    Patch,
}

impl Severity {
    /// The lowercase name, as written in reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Patch => "patch",
        }
    }
}

/// What kind of difference a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A type exists only in the new version.
    TypeAdded,
    /// A type exists only in the old version.
    TypeRemoved,
    /// A type became another kind of type (struct, enum, union, newtype).
    KindChanged,
    /// A field exists only in the new version.
    FieldAdded,
    /// A field exists only in the old version.
    FieldRemoved,
    /// An optional field became required.
    BecameRequired,
    /// A required field became optional.
    BecameOptional,
    /// A value started to accept `null`.
    BecameNullable,
    /// A value stopped accepting `null`.
    NoLongerNullable,
    /// The Rust type of a field, item, branch or wrapped value changed.
    TypeChanged,
    /// The Rust name of a field or variant changed, its wire name did not.
    RustNameChanged,
    /// An enum value or union branch exists only in the new version.
    VariantAdded,
    /// An enum value or union branch exists only in the old version.
    VariantRemoved,
    /// A constraint accepts fewer values than before.
    ConstraintTightened,
    /// A constraint accepts more values than before.
    ConstraintLoosened,
    /// A constraint changed and is neither tighter nor looser.
    ConstraintChanged,
    /// The `default` of a field changed.
    DefaultChanged,
    /// A type or field became deprecated, or stopped being.
    DeprecationChanged,
    /// Titles or descriptions changed.
    DocsChanged,
    /// A type stopped or started implementing `Serialize` or `Deserialize`.
    SerdeChanged,
    /// A property became read-only or write-only, or stopped being.
    AccessChanged,
}

/// One difference between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How much it matters.
    pub severity: Severity,
    /// What kind of difference it is.
    pub kind: ChangeKind,
    /// The Rust type it belongs to (the report groups by it).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Where: `Pet`, `Pet.name`, `Pet.tags[]`, `Status::Active`.
    pub path: String,
    /// What changed, in a few words.
    pub summary: String,
    /// Why it has its severity, in one line.
    pub reason: String,
    /// The old Rust type or value, when there is one to show.
    pub before: Option<String>,
    /// The new Rust type or value, when there is one to show.
    pub after: Option<String>,
    /// A suggestion, such as a likely rename.
    pub hint: Option<String>,
}

/// Every change between two versions, grouped by type, most severe first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes in report order.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// Whether any change breaks users of the old crate (a major change).
    pub fn is_breaking(&self) -> bool {
        self.count(Severity::Major) > 0
    }

    /// The report as Markdown, for a pull request description.
    pub fn markdown(&self) -> String {
        render::markdown(self)
    }

    /// The report as pretty-printed JSON with stable keys.
    pub fn json(&self) -> String {
        render::json(self)
    }
}

/// One version of the schemas, loaded and lowered.
#[derive(Debug)]
pub struct Lowered {
    /// The IR the generator would emit from.
    pub model: Model,
    /// Every problem found while loading and lowering.
    pub diagnostics: Diagnostics,
    /// The files read, for rendering the diagnostics.
    pub sources: Vec<SourceFile>,
}

impl Lowered {
    /// The diagnostics rendered for people, with source snippets.
    pub fn report(&self) -> String {
        let generation = crate::Generation {
            files: Vec::new(),
            diagnostics: self.diagnostics.clone(),
            sources: self.sources.clone(),
        };
        generation.report()
    }
}

/// Loads `inputs` through `fs` and lowers them with `settings`: the model a
/// generation would emit from, without emitting anything.
pub fn lower(inputs: &[PathBuf], fs: &dyn FileSource, settings: &Settings) -> Lowered {
    let mut diagnostics = Diagnostics::new();
    // Patched as `generate_from` patches, so the report is about the crate that is generated.
    let spec = load::load_patched(inputs, fs, &settings.patches, &mut diagnostics);
    let mut model = crate::ir::lower(&spec, settings, &mut diagnostics);
    crate::ir::share_inline_shapes(&mut model, settings);
    Lowered {
        model,
        diagnostics,
        sources: spec.files,
    }
}

#[cfg(test)]
mod tests;
