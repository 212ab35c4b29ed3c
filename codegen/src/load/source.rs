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

/// Turns a file's bytes into text. A file that is not UTF-8 is an error
/// located at the first bad byte; the text with that byte (and any other)
/// replaced by U+FFFD comes with it, so the error can be shown in context.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, (Diagnostic, String)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = bytes.get(..offset).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // Everything before the bad byte is valid, so lines and columns count characters.
            let before = String::from_utf8_lossy(valid);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let location = Location { line, column };
            let d = Diagnostic::error(
                file,
                super::locate::pointer_at(&text, location),
                format!("the file is not UTF-8 (invalid byte at offset {offset})"),
            )
            .at(location)
            .with_hint("save the file as UTF-8");
            Err((d, text))
        }
    }
}

/// Parses YAML or JSON text into a JSON value, keeping mapping order.
///
/// A file named `*.json` is read as strict JSON (no trailing commas, no
/// comments); anything else as YAML, which JSON is a subset of. YAML keys
/// that are not strings (`200:`) become their string form, and merge keys
/// (`<<`) are applied. Nesting deeper than 128 levels is an error, never a
/// stack overflow. A syntax error is located by line, column and the pointer
/// of the last node read before it.
pub fn parse(file: &str, text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "", "the file is empty")
            .with_hint("add an OpenAPI document with `components/schemas`"));
    }
    if file.ends_with(".json") {
        return serde_json::from_str(text).map_err(|e| {
            let line = e.line().max(1);
            // serde_json counts bytes; diagnostics count characters.
            let column = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.get(..e.column().min(l.len())))
                .map_or(e.column(), |before| before.chars().count())
                .max(1);
            syntax_error(file, text, "not valid JSON", &e, Location { line, column })
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let location = e.location().map(|loc| Location {
            line: loc.line(),
            column: loc.column(),
        });
        match location {
            Some(location) => syntax_error(file, text, "not valid YAML", &e, location),
            None => Diagnostic::error(file, "", format!("not valid YAML: {e}")),
        }
    })?;
    yaml.apply_merge()
        .map_err(|e| Diagnostic::error(file, "", format!("bad YAML merge key: {e}")))?;
    to_json(yaml, file)
}

fn syntax_error(
    file: &str,
    text: &str,
    what: &str,
    error: &dyn std::fmt::Display,
    location: Location,
) -> Diagnostic {
    let message = error.to_string();
    let hint = if message.contains("recursion limit") {
        Some("nesting deeper than 128 levels is not supported; move inner schemas to `components/schemas` and use `$ref`")
    } else if message.contains("trailing comma") {
        Some("remove the comma before the closing bracket")
    } else {
        None
    };
    let d = Diagnostic::error(
        file,
        super::locate::pointer_at(text, location),
        format!("{what}: {message}"),
    )
    .at(location);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
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
