//! The settings that shape the generated Rust beyond what the schemas say: derives,
//! names, attributes, visibility and serde direction (`[rust]` and `[models.<schema>]`).

use serde::Deserialize;
use std::collections::BTreeMap;

/// `[rust]`: choices for every generated type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustSettings {
    /// Traits derived on every type besides the generator's own (`Hash`, `PartialOrd`,
    /// `schemars::JsonSchema` ...). A type that cannot have one goes without it, with a warning.
    #[serde(default)]
    pub derives: Vec<String>,
    /// `#[non_exhaustive]` on every struct and enum.
    #[serde(default)]
    pub non_exhaustive: bool,
    /// The visibility of struct fields: `pub` (the default) or `pub(crate)`.
    #[serde(default)]
    pub field_visibility: Visibility,
    /// Whether types implement `Serialize` (default `true`); `[models.<schema>]` and
    /// `x-rust-serde` choose per type.
    pub serialize: Option<bool>,
    /// Whether types implement `Deserialize` (default `true`).
    pub deserialize: Option<bool>,
    /// Whether inline schemas that generate the same type share one (default `true`).
    pub share_inline_shapes: Option<bool>,
    /// Whether models are grouped into cargo features, all on by default (default `true`).
    pub model_features: Option<bool>,
    /// Whether the library's own unit tests build with `cargo test` (default `false`: the
    /// example tests are an integration test, and the library holds none unless
    /// `src/replaced.rs`, written by hand, does).
    pub library_tests: Option<bool>,
}

/// `[models.<schema>]`: choices for one named schema, which win over its `x-rust-*`
/// extensions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelSettings {
    /// The Rust type name (as `x-rust-name`).
    pub name: Option<String>,
    /// Rust field names by property name (as `x-rust-name` on a property).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Rust variant names by enum value (as `x-enum-varnames`).
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    /// Traits derived on this type besides the `[rust]` ones.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Attributes written on the type (as `x-rust-attrs`), such as `#[doc(alias = "x")]`.
    pub attrs: Option<Vec<String>>,
    /// Attributes written on fields, by property name (as `x-rust-attrs` on a property).
    #[serde(default)]
    pub field_attrs: BTreeMap<String, Vec<String>>,
    /// `#[non_exhaustive]` on this type, whatever `[rust]` says.
    pub non_exhaustive: Option<bool>,
    /// The visibility of this struct's fields, whatever `[rust]` says.
    pub field_visibility: Option<Visibility>,
    /// Whether this type implements `Serialize`, whatever `[rust]` and `x-rust-serde` say.
    pub serialize: Option<bool>,
    /// Whether this type implements `Deserialize`, whatever `[rust]` and `x-rust-serde` say.
    pub deserialize: Option<bool>,
}

/// Who may read a struct's fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Visibility {
    /// `pub`.
    #[default]
    #[serde(rename = "pub")]
    Public,
    /// `pub(crate)`: the generated crate's own code only.
    #[serde(rename = "pub(crate)")]
    Crate,
}

impl Visibility {
    /// The keyword as written before a field.
    pub fn keyword(self) -> &'static str {
        match self {
            Visibility::Public => "pub",
            Visibility::Crate => "pub(crate)",
        }
    }
}
