//! Reading files and turning their text into JSON values.

use super::pointer::escape_segment;
use crate::diagnostic::{Diagnostic, Location};
use serde_json::{Map, Number, Value};

/// The pointer helpers, also reachable from here.
pub use super::pointer::{child, unescape_segment};

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
        return serde_json::from_str(text)
            .map(|v: Strict| v.0)
            .map_err(|e| {
                let line = e.line().max(1);
                // serde_json counts bytes; diagnostics count characters.
                let column = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.get(..e.column().min(l.len())))
                    .map_or(e.column(), |before| before.chars().count())
                    .max(1);
                let mut location = Location { line, column };
                let pointer = json_pointer_at(text, location);
                if e.to_string().starts_with("duplicate key") {
                    // Reported just after the key: point at its opening quote.
                    let before: String = text
                        .lines()
                        .nth(line - 1)
                        .unwrap_or_default()
                        .chars()
                        .take(column - 1)
                        .collect();
                    if let Some(quote) = before.rfind('"') {
                        location.column = before
                            .get(..quote)
                            .map_or(column, |b| b.chars().count() + 1);
                    }
                }
                syntax_error(file, pointer, "not valid JSON", &e, location)
            });
    }
    check_nesting(file, text)?;
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let location = e.location().map(|loc| Location {
            line: loc.line(),
            column: loc.column(),
        });
        match location {
            Some(location) => {
                let pointer = super::locate::pointer_at(text, location);
                syntax_error(file, pointer, "not valid YAML", &e, location)
            }
            None => {
                let d = Diagnostic::error(file, "", format!("not valid YAML: {e}"));
                match hint_for(&e.to_string()) {
                    Some(hint) => d.with_hint(hint),
                    None => d,
                }
            }
        }
    })?;
    yaml.apply_merge()
        .map_err(|e| Diagnostic::error(file, "", format!("bad YAML merge key: {e}")))?;
    to_json(yaml, file)
}

/// Top-level members that never hold schemas a model needs; [`parse_models`] skips them.
const NOT_MODELS: &[&str] = &["paths", "webhooks", "x-webhooks", "tags", "servers"];
/// Members of `components` that never hold schemas; [`parse_models`] skips them.
const NOT_MODEL_COMPONENTS: &[&str] = &["examples", "links", "callbacks", "securitySchemes"];

/// [`parse`], leaving out of a JSON document what holds no models (`paths`,
/// `components/examples`, ...): on large descriptions they are most of the
/// text, and building them as values would cost more memory than every
/// model together. The skipped parts are still checked for syntax. Answers
/// the value and whether anything was left out; a reference into a skipped
/// part needs the whole document, from [`parse`].
pub fn parse_models(file: &str, text: &str) -> Result<(Value, bool), Diagnostic> {
    if !file.ends_with(".json") || text.trim().is_empty() {
        return parse(file, text).map(|v| (v, false));
    }
    match serde_json::from_str::<Skeleton>(text) {
        Ok(Skeleton(value, skipped)) => Ok((value, skipped)),
        // The full parse locates the error the same way for every caller.
        Err(_) => parse(file, text).map(|v| (v, false)),
    }
}

/// A JSON document without the members that hold no models, with whether any was left out.
struct Skeleton(Value, bool);

impl<'de> serde::Deserialize<'de> for Skeleton {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkeletonVisitor {
            skip: NOT_MODELS,
            depth: 0,
        })
    }
}

/// Reads an object, skipping the members named in `skip`; at depth 0 the
/// `components` member is read the same way, with its own list.
struct SkeletonVisitor {
    skip: &'static [&'static str],
    depth: u8,
}

impl<'de> serde::de::DeserializeSeed<'de> for SkeletonVisitor {
    type Value = Skeleton;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Skeleton, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SkeletonVisitor {
    type Value = Skeleton;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Skeleton, E> {
        Ok(Skeleton(Value::Bool(v), false))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Skeleton, E> {
        Ok(Skeleton(Value::from(v), false))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Skeleton, E> {
        Ok(Skeleton(Value::from(v), false))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Skeleton, E> {
        Ok(Skeleton(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
            false,
        ))
    }

    fn visit_str<E>(self, v: &str) -> Result<Skeleton, E> {
        Ok(Skeleton(Value::String(v.to_owned()), false))
    }

    fn visit_unit<E>(self) -> Result<Skeleton, E> {
        Ok(Skeleton(Value::Null, false))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Skeleton, A::Error> {
        StrictVisitor.visit_seq(seq).map(|v| Skeleton(v, false))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Skeleton, A::Error> {
        let mut out = Map::new();
        let mut skipped = false;
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key `{key}`"
                )));
            }
            if self.skip.contains(&key.as_str()) {
                map.next_value::<serde::de::IgnoredAny>()?;
                skipped = true;
                continue;
            }
            let value = if self.depth == 0 && key == "components" {
                let seed = SkeletonVisitor {
                    skip: NOT_MODEL_COMPONENTS,
                    depth: 1,
                };
                let Skeleton(value, inner) = map.next_value_seed(seed)?;
                skipped |= inner;
                value
            } else {
                map.next_value::<Strict>()?.0
            };
            out.insert(key, value);
        }
        Ok(Skeleton(Value::Object(out), skipped))
    }
}

/// A JSON value read like [`Value`], except that a key repeated within
/// one object is an error (YAML's rule too) instead of the last one winning.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key `{key}`"
                )));
            }
            let Strict(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

fn syntax_error(
    file: &str,
    pointer: String,
    what: &str,
    error: &dyn std::fmt::Display,
    location: Location,
) -> Diagnostic {
    let message = error.to_string();
    let hint = hint_for(&message);
    let d = Diagnostic::error(file, pointer, format!("{what}: {message}")).at(location);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// What to do about a parser's complaint, when there is something to say.
fn hint_for(message: &str) -> Option<&'static str> {
    if message.contains("recursion limit") {
        Some("nesting deeper than 128 levels is not supported; move inner schemas to `components/schemas` and use `$ref`")
    } else if message.contains("trailing comma") {
        Some("remove the comma before the closing bracket")
    } else if message.contains("duplicate") {
        Some("a key may appear only once in a mapping; remove or rename one of them")
    } else if message.contains("repetition limit") {
        Some("the aliases (`*name`) expand to too much data; write the values out or use `$ref`")
    } else if message.contains("more than one document") {
        Some("keep one document per file; remove the `---` separators")
    } else {
        None
    }
}

/// Deepest nesting of YAML collections accepted (serde_yaml's own limit).
pub const MAX_NESTING: usize = 128;

/// Reports YAML nested deeper than [`MAX_NESTING`] before serde_yaml reads
/// it: serde_yaml reads the whole document before it checks depth, which for
/// thousands of block levels takes long and a deep stack.
///
/// Only text that could be that deep is walked (a line indented by at least
/// [`MAX_NESTING`] / 2 columns, or that many brackets: block collections
/// nest at most two levels per column); the walk is
/// `yaml-rust2`'s event parser, without recursion, and stops at the limit.
/// Text it cannot parse is left to serde_yaml, which reports it.
fn check_nesting(file: &str, text: &str) -> Result<(), Diagnostic> {
    let deep_indent = text
        .lines()
        .any(|l| l.len() - l.trim_start_matches([' ', '-', '?', ':']).len() >= MAX_NESTING / 2);
    let brackets = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if !deep_indent && brackets < MAX_NESTING / 2 {
        return Ok(());
    }
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    let mut depth = 0usize;
    while let Ok((event, marker)) = parser.next_token() {
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::StreamEnd => break,
            _ => {}
        }
        if depth > MAX_NESTING {
            let location = Location {
                line: marker.line().max(1),
                column: marker.col() + 1,
            };
            return Err(Diagnostic::error(
                file,
                super::locate::pointer_at(text, location),
                format!("the document is nested more than {MAX_NESTING} levels deep"),
            )
            .at(location)
            .with_hint("move inner schemas to `components/schemas` and use `$ref`"));
        }
    }
    Ok(())
}

/// The JSON Pointer of the value being read at `at` in JSON `text` that may
/// be broken there: the keys and indices of every object and array open at
/// that point. A small scanner rather than a parser, so that it copes with
/// any nesting and any error; linear in the text before `at`.
fn json_pointer_at(text: &str, at: Location) -> String {
    enum Open {
        /// An object, with the key of the member being read (if past its key).
        Object(Option<String>, bool),
        /// An array, with the index of the item being read.
        Array(usize),
    }
    let mut open: Vec<Open> = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if (line, column) >= (at.line, at.column) {
            break;
        }
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 1;
            }
            '{' => open.push(Open::Object(None, true)),
            '[' => open.push(Open::Array(0)),
            '}' | ']' => {
                open.pop();
            }
            ',' => match open.last_mut() {
                Some(Open::Array(i)) => *i += 1,
                Some(Open::Object(key, expecting_key)) => {
                    *key = None;
                    *expecting_key = true;
                }
                None => {}
            },
            '"' => {
                // Read to the closing quote, skipping escaped characters.
                let mut end = text.len();
                while let Some((i, c)) = chars.next() {
                    column += 1;
                    match c {
                        '\\' => {
                            chars.next();
                            column += 1;
                        }
                        '"' => {
                            end = i + 1;
                            break;
                        }
                        '\n' => {
                            line += 1;
                            column = 1;
                        }
                        _ => {}
                    }
                }
                if let Some(Open::Object(key, expecting_key @ true)) = open.last_mut() {
                    let raw = text.get(start..end).unwrap_or_default();
                    let name = serde_json::from_str::<String>(raw)
                        .unwrap_or_else(|_| raw.trim_matches('"').to_owned());
                    *key = Some(name);
                    *expecting_key = false;
                }
            }
            _ => {}
        }
    }
    let mut pointer = String::new();
    for frame in &open {
        let segment = match frame {
            Open::Object(Some(key), _) => escape_segment(key),
            Open::Object(None, _) => continue,
            Open::Array(i) => i.to_string(),
        };
        pointer.push('/');
        pointer.push_str(&segment);
    }
    pointer
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Location {
        Location { line, column }
    }

    #[test]
    fn json_pointer_at_names_the_open_objects_and_arrays() {
        let text = "{\"a\": {\"b/c\": [1, {\"d\\\"e\": [tru";
        assert_eq!(json_pointer_at(text, at(1, 100)), "/a/b~1c/1/d\"e/0");
        assert_eq!(json_pointer_at(text, at(1, 8)), "/a");
        // A string value is not taken for a key; a comma ends a member.
        let text = "{\"a\": \"x\",\n \"b\": 1,\n}";
        assert_eq!(json_pointer_at(text, at(2, 7)), "/b");
        assert_eq!(json_pointer_at(text, at(3, 1)), "");
    }

    #[test]
    fn strict_json_and_located_yaml_errors() {
        let d = parse("a.json", "{\"a\": [1, 2,]}").unwrap_err();
        assert_eq!((d.pointer.as_str(), d.location), ("/a/2", Some(at(1, 13))));
        assert!(
            parse("a.yaml", "{\"a\": [1, 2,]}").is_ok(),
            "YAML allows it"
        );
        let d = parse("a.yaml", "a:\n  b: [1\n c: 2\n").unwrap_err();
        assert!(d.location.is_some() && d.pointer.starts_with("/a/b"), "{d}");
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_before_serde_yaml_reads_it() {
        let text = format!("a: {}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        let d = parse("a.yaml", &text).unwrap_err();
        assert!(d.message.contains("nested more than 128 levels"), "{d}");
        assert_eq!(d.pointer, format!("/a{}", "/0".repeat(MAX_NESTING - 1)));
        let ok = format!(
            "a: {}1{}",
            "[".repeat(MAX_NESTING - 1),
            "]".repeat(MAX_NESTING - 1)
        );
        assert!(parse("a.yaml", &ok).is_ok());
    }
}
