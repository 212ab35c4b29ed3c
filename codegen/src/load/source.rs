//! Reading files and turning their text into JSON values.

use crate::diagnostic::{Diagnostic, Location};
use serde_json::{Map, Number, Value};

/// Index of a loaded file in [`super::Spec::files`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// One input file, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative, with `/` separators).
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Parses YAML or JSON text into a JSON value, keeping mapping order.
///
/// YAML keys that are not strings (`200:`) become their string form, and
/// merge keys (`<<`) are applied.
pub fn parse(file: &str, text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "", "the file is empty")
            .with_hint("add an OpenAPI document with `components/schemas`"));
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(file, "", format!("not valid YAML or JSON: {e}"));
        if let Some(loc) = e.location() {
            d = d.at(Location {
                line: loc.line(),
                column: loc.column(),
            });
        }
        d
    })?;
    yaml.apply_merge()
        .map_err(|e| Diagnostic::error(file, "", format!("bad YAML merge key: {e}")))?;
    to_json(yaml, file)
}

fn to_json(value: serde_yaml::Value, file: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                match Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err(Diagnostic::error(
                            file,
                            "",
                            format!("the number `{n}` has no JSON form"),
                        ))
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(|v| to_json(v, file))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(Diagnostic::error(
                            file,
                            "",
                            "a mapping key is itself a mapping or sequence",
                        )
                        .with_hint("use plain scalar keys"))
                    }
                };
                out.insert(key, to_json(v, file)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => to_json(tagged.value, file)?,
    })
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1")
    } else {
        segment.to_owned()
    }
}

/// Unescapes one JSON Pointer segment (RFC 6901).
pub fn unescape_segment(segment: &str) -> String {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~")
    } else {
        segment.to_owned()
    }
}

/// Appends a segment to a pointer.
pub fn child(pointer: &str, segment: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + segment.len() + 1);
    p.push_str(pointer);
    p.push('/');
    p.push_str(&escape_segment(segment));
    p
}
