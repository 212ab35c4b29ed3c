//! Problems found in the input, located by file, line:column and JSON Pointer.
//!
//! Every stage reports into a [`Diagnostics`] collector instead of stopping at
//! the first problem, so one run shows the user everything that is wrong.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something done on the user's request that they should know of (a
    /// patch applied); never fatal, also with `--deny-warnings`.
    Note,
    /// Generation goes on; `--deny-warnings` makes it fatal.
    Warning,
    /// Nothing is written.
    Error,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file as the user named it (relative to where the run started).
    pub file: String,
    /// JSON Pointer of the offending node inside `file` (`""` is the document).
    pub pointer: String,
    /// What is wrong, as a sentence fragment without a trailing period.
    pub message: String,
    /// What to do about it, when there is something to suggest.
    pub hint: Option<String>,
    /// Where the node starts in the file, when it could be found.
    pub location: Option<Location>,
    /// Whether the problem is the key of a mapping entry rather than its
    /// value (an unknown keyword), so that it is shown at the key.
    pub at_key: bool,
}

impl Diagnostic {
    /// An error at `pointer` in `file`.
    pub fn error(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            location: None,
            at_key: false,
        }
    }

    /// A warning at `pointer` in `file`.
    pub fn warning(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, pointer, message)
        }
    }

    /// A note at `pointer` in `file`.
    pub fn note(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(file, pointer, message)
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the problem as being with the key at `pointer`, not its value.
    #[must_use]
    pub fn at_key(mut self) -> Self {
        self.at_key = true;
        self
    }

    /// Sets the location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `error: file:line:col: /pointer: message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        let pointer = if self.pointer.is_empty() {
            "#"
        } else {
            &self.pointer
        };
        write!(f, ": {pointer}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// `n` things, for messages: `1 name`, `2 names`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Every problem of a run, in the order found, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// A hash of each recorded problem's severity, file, pointer and message.
    seen: std::collections::HashSet<u64>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    ///
    /// The same problem at the same place is recorded once: a schema lowered for several
    /// uses (merged into each `allOf` or union branch that reaches it) would report it again.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (diagnostic.severity as u8).hash(&mut hasher);
        diagnostic.file.hash(&mut hasher);
        diagnostic.pointer.hash(&mut hasher);
        diagnostic.message.hash(&mut hasher);
        if self.seen.insert(hasher.finish()) {
            self.items.push(diagnostic);
        }
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of warnings (notes and errors aside).
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Number of problems of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// All recorded problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Number of recorded problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Moves every problem of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d);
        }
    }

    /// Consumes the collector.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, Diagnostics};

    #[test]
    fn the_same_problem_at_the_same_place_is_recorded_once() {
        let mut all = Diagnostics::new();
        let slow = || Diagnostic::warning("a.yaml", "/components/schemas/A/pattern", "slow");
        all.push(slow());
        all.push(slow());
        all.push(Diagnostic::warning(
            "a.yaml",
            "/components/schemas/B/pattern",
            "slow",
        ));
        all.push(Diagnostic::error(
            "a.yaml",
            "/components/schemas/A/pattern",
            "slow",
        ));
        let mut more = Diagnostics::new();
        more.push(slow());
        all.extend(more);
        assert_eq!(all.len(), 3);
        assert_eq!(all.warnings(), 2);
    }
}
