//! The settings that shape the generated Rust beyond what the schemas say
//! (`[rust]` and `[models.<schema>]`).

use serde::Deserialize;

/// `[rust]`: choices for every generated type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustSettings {
    /// Traits derived on every type besides the generator's own (`Hash`, `PartialOrd`,
    /// `schemars::JsonSchema` ...). A type that cannot have one goes without it, with a warning.
    #[serde(default)]
    pub derives: Vec<String>,
}

/// `[models.<schema>]`: choices for one named schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelSettings {
    /// Traits derived on this type besides the `[rust]` ones.
    #[serde(default)]
    pub derives: Vec<String>,
}
