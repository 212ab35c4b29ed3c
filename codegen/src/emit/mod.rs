//! Emit: the model to files, held in memory until the whole run succeeds.

pub mod docs;
pub mod rust;
pub mod wording;

/// One generated file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative path with `/` separators.
    pub path: String,
    /// The full contents.
    pub contents: String,
}

impl File {
    /// A file at `path` with `contents`.
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        File {
            path: path.into(),
            contents: contents.into(),
        }
    }
}
