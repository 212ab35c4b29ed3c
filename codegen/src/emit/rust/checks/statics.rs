//! The statics of a module's checks: regexes and JSON literals, each built once.

use super::super::code::{self, Code};
use super::super::repr;

/// Regexes and JSON literals of one module, built once into statics.
#[derive(Default)]
pub struct Statics {
    /// `PATTERN_n`, by the regex source.
    patterns: Vec<String>,
    /// `enum` lists (`ENUM_n`, an array) and `const` values (`CONST_n`), keyed by their JSON text.
    literals: Vec<Literal>,
}

/// A JSON value (or list) built once into a `static`.
struct Literal {
    name: String,
    /// `enum [...]` or `const ...`: what it holds, for reuse and docs.
    key: String,
    ty: String,
    /// The initializer: one expression, or the elements of an array.
    init: Init,
}

enum Init {
    Value(String),
    Array(Vec<String>),
}

impl Statics {
    pub(super) fn pattern(&mut self, source: &str) -> String {
        let at = match self.patterns.iter().position(|s| s == source) {
            Some(i) => i,
            None => {
                self.patterns.push(source.to_owned());
                self.patterns.len() - 1
            }
        };
        format!("PATTERN_{}", at + 1)
    }

    /// A static holding the `enum` values, so validating builds no JSON.
    pub(super) fn enumeration(&mut self, values: &[serde_json::Value]) -> String {
        let key = format!("enum {}", serde_json::Value::Array(values.to_vec()));
        let lits = values.iter().map(repr::json_literal).collect();
        let ty = format!("[serde_json::Value; {}]", values.len());
        self.literal("ENUM", key, ty, Init::Array(lits))
    }

    /// A static holding the `const` value.
    pub(super) fn constant(&mut self, value: &serde_json::Value) -> String {
        let key = format!("const {value}");
        let lit = repr::json_literal(value);
        self.literal(
            "CONST",
            key,
            "serde_json::Value".to_owned(),
            Init::Value(lit),
        )
    }

    fn literal(&mut self, prefix: &str, key: String, ty: String, init: Init) -> String {
        if let Some(found) = self.literals.iter().find(|l| l.key == key) {
            return found.name.clone();
        }
        let count = self
            .literals
            .iter()
            .filter(|l| l.name.starts_with(prefix))
            .count();
        let name = format!("{}_{}", prefix, count + 1);
        self.literals.push(Literal {
            name: name.clone(),
            key,
            ty,
            init,
        });
        name
    }

    /// Writes the `static` items.
    pub fn write(&self, c: &mut Code) {
        for (i, source) in self.patterns.iter().enumerate() {
            c.line(&format!(
                "/// `{}`, compiled on first use.",
                source.replace('`', "\\`")
            ));
            c.line(&format!(
                "static PATTERN_{}: std::sync::LazyLock<Option<regress::Regex>> =",
                i + 1
            ));
            c.depth_in();
            c.line(&format!(
                "std::sync::LazyLock::new(|| crate::validation::compile({}));",
                code::string(source)
            ));
            c.depth_out();
        }
        for l in &self.literals {
            c.line(&format!(
                "/// `{}`, built on first use.",
                l.key.replace('`', "\\`")
            ));
            c.line(&format!(
                "static {}: std::sync::LazyLock<{}> =",
                l.name, l.ty
            ));
            c.depth_in();
            match &l.init {
                Init::Value(v) => c.line(&format!("std::sync::LazyLock::new(|| {v});")),
                Init::Array(items) => {
                    c.open("std::sync::LazyLock::new(|| {");
                    c.open("[");
                    for item in items {
                        c.line_parts(&[item, ","]);
                    }
                    c.close("]");
                    c.close("});");
                }
            }
            c.depth_out();
        }
    }

    /// Whether any static is used.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.literals.is_empty()
    }
}
