//! Per-project settings, read from `codegen.toml` beside the schemas.

use crate::diagnostic::{Diagnostic, Location};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The settings file's name.
pub const FILE_NAME: &str = "codegen.toml";

/// How a `format` is represented in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatChoice {
    /// A library type (`chrono`, `uuid`).
    Typed,
    /// A `String`, with the format checked by `validate()`.
    String,
}

/// Everything a project can set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The generated crate's name; defaults to the document title in kebab-case.
    pub crate_name: Option<String>,
    /// The generated crate's version; defaults to `0.1.0`.
    pub crate_version: Option<String>,
    /// Make every enum open (unknown values kept) unless a schema says `x-open-enum: false`.
    #[serde(default)]
    pub open_enums: bool,
    /// Per-format representation: `date-time`, `date` and `uuid` are typed by default.
    #[serde(default)]
    pub formats: BTreeMap<String, FormatChoice>,
}

impl Settings {
    /// Parses the settings file's text.
    pub fn parse(file: &str, text: &str) -> Result<Settings, Diagnostic> {
        toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(file, "", format!("invalid settings: {}", e.message()))
                .with_hint("keys are crate-name, crate-version, open-enums and [formats]");
            if let Some(span) = e.span() {
                let before = text.get(..span.start).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                d = d.at(Location { line, column });
            }
            d
        })
    }

    /// Whether `format` should map to its library type.
    pub fn typed(&self, format: &str) -> bool {
        self.formats
            .get(format)
            .copied()
            .unwrap_or(FormatChoice::Typed)
            == FormatChoice::Typed
    }
}
