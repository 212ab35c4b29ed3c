//! Written by hand, not generated: GitHub's `code-of-conduct` schema is replaced by this
//! type through `[types]` in the crate's `codegen.toml`, and every model that refers to
//! the schema holds it.

use crate::validation::{format, Path, Validate, ValidationErrors};

/// A repository's code of conduct.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeOfConduct {
    /// Its key, such as `contributor_covenant`.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its API address (`format: uri`).
    pub url: String,
    /// Its text, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Its web page (`format: uri`); required, and may be `null`.
    pub html_url: Option<String>,
}

/// The schema's two `format: uri` properties.
impl Validate for CodeOfConduct {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        format(&self.url, "uri", &path.key("url"), errors);
        if let Some(html_url) = &self.html_url {
            format(html_url, "uri", &path.key("html_url"), errors);
        }
    }
}
