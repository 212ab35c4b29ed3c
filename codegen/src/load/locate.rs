//! Finds where a JSON Pointer's node sits in a YAML or JSON source text.
//!
//! The text is read with `yaml-rust2`'s event parser (JSON is read as YAML),
//! one event at a time and without recursion: the walk keeps only the number
//! of pointer segments matched so far and, while skipping a subtree, a depth
//! counter. It stops at the node it was asked for, so it never reads further
//! than that node, and it copes with any nesting the parser accepts.
//!
//! Only the first document of a multi-document stream is searched. An alias
//! (`*name`) is not followed: a pointer that goes through one ends there.

mod json;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::pointer::escape_segment;
use crate::diagnostic::Location;

/// Where the node at `pointer` (an RFC 6901 JSON Pointer, `""` for the whole
/// document) starts in `text`, for showing it to a user.
///
/// The location is that of the token a user would look at:
///
/// - the document itself (`""`): its first node;
/// - a mapping value that is a scalar (`type: strnig` at `/.../type`): the
///   value (`strnig`);
/// - a mapping value that is a collection or is empty (`Pet:` followed by
///   the schema): the key (`Pet`);
/// - a sequence item: the item's first token.
///
/// Mapping keys are compared as strings (a key `200` matches the segment
/// `200`); a segment selects a sequence item when it is a canonical decimal
/// index. When the pointer leads nowhere, the location of the deepest node
/// on its path that exists is returned; when the text cannot be parsed up to
/// that node, the deepest location found before the parse error; `None` when
/// not even the document's first node could be read. A pointer that does not
/// start with `/` (or `#/`) is taken to name the document.
///
/// Lines and columns are 1-based, columns counted in characters. The time
/// taken is linear in the length of the text before the node.
#[must_use]
pub fn locate(text: &str, pointer: &str) -> Option<Location> {
    find(text, pointer, false)
}

/// Like [`locate`], but a mapping value is always located at its key, also
/// when the value is a scalar: for problems with the key itself, such as an
/// unknown keyword (`nullabel: true` at `/.../nullabel` points at
/// `nullabel`).
#[must_use]
pub fn locate_key(text: &str, pointer: &str) -> Option<Location> {
    find(text, pointer, true)
}

/// The JSON Pointer of the node at `at` in `text`: the deepest node that
/// starts at or before `at` and is not a collection closed before it. For a
/// position inside a scalar that is the scalar; between two entries of a
/// collection, the entry before. The reverse of [`locate`], for problems
/// known only by position, such as a syntax error or a byte that is not
/// UTF-8: reading stops at `at` or at the first parse error, whichever comes
/// first, so the text may be broken after `at`.
///
/// Only the first document is read. A key that is itself a collection is
/// shown as `?`. The time taken is linear in the length of the text before
/// `at`, whatever the nesting.
#[must_use]
pub fn pointer_at(text: &str, at: Location) -> String {
    let mut parser = Parser::new_from_str(text);
    // The pointer of the innermost open collection, and where each open
    // collection's own segment starts in it.
    let mut path = String::new();
    let mut frames: Vec<Frame> = Vec::new();
    // The segment of the last scalar read directly in the innermost collection.
    let mut last: Option<String> = None;
    // Depth inside a collection that is used as a mapping key.
    let mut skipping = 0usize;
    while let Ok((event, marker)) = parser.next_token() {
        // A block mapping's start is marked after its first key, so it is not
        // a sign of having gone past `at`; its first key will be. A flow
        // collection's end may be marked at a trailing comma before its
        // bracket: a collection ends before `at` only if it ends before the
        // character before `at`.
        let past = match event {
            Event::MappingStart(..) => false,
            Event::MappingEnd | Event::SequenceEnd => {
                let mark = location(marker);
                mark.line > at.line || (mark.line == at.line && mark.column + 1 >= at.column)
            }
            _ => location(marker) > at,
        };
        if past {
            break;
        }
        if skipping > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => skipping += 1,
                Event::MappingEnd | Event::SequenceEnd => skipping -= 1,
                _ => {}
            }
            continue;
        }
        let (scalar, collection) = match &event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Scalar(value, ..) => (Some(value.clone()), None),
            Event::Alias(..) => (Some("*".to_owned()), None),
            Event::MappingStart(..) => (None, Some(true)),
            Event::SequenceStart(..) => (None, Some(false)),
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = frames.pop() {
                    path.truncate(frame.start);
                }
                last = None;
                continue;
            }
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
        };
        // The segment that leads to this node from its parent, if it is a value.
        let segment = match frames.last_mut() {
            Some(Frame { key: Some(key), .. }) if key.is_none() => {
                // A mapping key: the entry is named after it.
                let name = scalar.unwrap_or_else(|| {
                    skipping = 1;
                    "?".to_owned()
                });
                *key = Some(name.clone());
                last = Some(name);
                continue;
            }
            Some(Frame { key: Some(key), .. }) => key.take(),
            Some(Frame { next, .. }) => {
                *next += 1;
                Some((*next - 1).to_string())
            }
            None => None,
        };
        match collection {
            Some(is_mapping) => {
                let start = path.len();
                if let Some(segment) = &segment {
                    path.push('/');
                    path.push_str(&escape_segment(segment));
                }
                frames.push(Frame {
                    start,
                    key: is_mapping.then_some(None),
                    next: 0,
                });
                last = None;
            }
            None => last = segment,
        }
    }
    if let Some(segment) = last {
        path.push('/');
        path.push_str(&escape_segment(&segment));
    }
    path
}

/// An open collection while reading for [`pointer_at`].
struct Frame {
    /// Where its own segment starts in the path.
    start: usize,
    /// For a mapping: `None` while expecting a key, else the key whose value
    /// comes next. `None` for a sequence.
    key: Option<Option<String>>,
    /// For a sequence: the index of the next item.
    next: usize,
}

/// Splits an RFC 6901 pointer into its unescaped segments.
fn segments(pointer: &str) -> Vec<String> {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    match pointer.strip_prefix('/') {
        Some(rest) => rest
            .split('/')
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect(),
        None => Vec::new(),
    }
}

/// The sequence index a segment names, if it is a canonical decimal number.
fn index(segment: &str) -> Option<usize> {
    let canonical = !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment == "0" || !segment.starts_with('0'));
    if canonical {
        segment.parse().ok()
    } else {
        None
    }
}

/// A parser marker as a 1-based line and column.
fn location(marker: Marker) -> Location {
    Location {
        line: marker.line().max(1),
        column: marker.col() + 1,
    }
}

/// [`locate`] for many pointers at once, in one read of `text`: the
/// answers are in the order of `pointers`. Each answer is the one
/// [`locate`] gives; the time is linear in the length of the text, however
/// many pointers there are (one [`locate`] each would read the text once
/// per pointer).
#[must_use]
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<Location>> {
    // JSON text is read by a scanner of its own, many times faster than the YAML
    // parser on large descriptions; text it cannot read goes to the YAML parser.
    if let Some(answers) = json::locate_all(text, pointers) {
        return answers;
    }
    locate_all_yaml(text, pointers)
}

/// [`locate_all`] through the YAML parser.
fn locate_all_yaml(text: &str, pointers: &[&str]) -> Vec<Option<Location>> {
    use std::collections::{HashMap, HashSet};
    let wanted: Vec<Vec<String>> = pointers.iter().map(|p| segments(p)).collect();
    // Every prefix of a wanted path: where a missing node's answer comes from.
    let mut prefixes: HashSet<&[String]> = HashSet::new();
    for w in &wanted {
        for n in 0..=w.len() {
            prefixes.insert(&w[..n]);
        }
    }
    let mut found: HashMap<Vec<String>, Location> = HashMap::new();
    let mut parser = Parser::new_from_str(text);
    // Open collections: a mapping's pending key (`None` while expecting a
    // key) or a sequence's next index.
    enum Open {
        Map(Option<(String, Marker)>),
        Seq(usize),
    }
    let mut open: Vec<Open> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    // Depth inside a collection used as a mapping key, which is skipped.
    let mut skipping = 0usize;
    let mut started = false;
    while let Ok((event, marker)) = parser.next_token() {
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
            Event::DocumentEnd | Event::StreamEnd => break,
            _ => {}
        }
        if skipping > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => skipping += 1,
                Event::MappingEnd | Event::SequenceEnd => skipping -= 1,
                _ => {}
            }
            continue;
        }
        if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            open.pop();
            if open.is_empty() {
                break;
            }
            path.pop();
            continue;
        }
        // A mapping expecting a key: this node is the key.
        if let Some(Open::Map(pending @ None)) = open.last_mut() {
            match event {
                Event::Scalar(key, ..) => *pending = Some((key, marker)),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    // A collection as key: never on a pointer's path.
                    *pending = Some(("\u{0}?".to_owned(), marker));
                    skipping = 1;
                }
                _ => *pending = Some(("\u{0}?".to_owned(), marker)),
            }
            continue;
        }
        if started && open.is_empty() {
            break;
        }
        started = true;
        // A node in value position: its segment and the key that led to it.
        let key = match open.last_mut() {
            Some(Open::Map(pending)) => pending.take().map(|(k, m)| {
                path.push(k);
                location(m)
            }),
            Some(Open::Seq(next)) => {
                path.push(next.to_string());
                *next += 1;
                None
            }
            None => None,
        };
        if prefixes.contains(path.as_slice()) && !found.contains_key(path.as_slice()) {
            let here = match key {
                Some(key) => {
                    let token = match &event {
                        Event::Scalar(value, style, ..) => {
                            !(value.is_empty() && *style == TScalarStyle::Plain)
                        }
                        Event::Alias(..) => true,
                        _ => false,
                    };
                    if token {
                        location(marker)
                    } else {
                        key
                    }
                }
                None => {
                    let start = location(marker);
                    match (&event, parser.peek()) {
                        (Event::MappingStart(..), Ok((next, first)))
                            if !matches!(next, Event::MappingEnd) =>
                        {
                            start.min(location(*first))
                        }
                        _ => start,
                    }
                }
            };
            found.insert(path.clone(), here);
        }
        match event {
            Event::MappingStart(..) => open.push(Open::Map(None)),
            Event::SequenceStart(..) => open.push(Open::Seq(0)),
            _ => {
                if !open.is_empty() {
                    path.pop();
                }
            }
        }
    }
    wanted
        .iter()
        .map(|w| {
            (0..=w.len())
                .rev()
                .find_map(|n| found.get(&w[..n]).copied())
        })
        .collect()
}

/// The shared walk of [`locate`] and [`locate_key`].
fn find(text: &str, pointer: &str, prefer_key: bool) -> Option<Location> {
    let segments = segments(pointer);
    let mut walk = Walk {
        parser: Parser::new_from_str(text),
        prefer_key,
        best: None,
    };
    // `None` here only means the walk ended early; `best` has the answer.
    let _ = walk.run(&segments);
    walk.best
}

/// The state of one search.
struct Walk<'a> {
    parser: Parser<std::str::Chars<'a>>,
    prefer_key: bool,
    /// The location of the deepest node found so far on the pointer's path.
    best: Option<Location>,
}

impl Walk<'_> {
    /// The next event, or `None` at a parse error.
    fn next(&mut self) -> Option<(Event, Marker)> {
        self.parser.next_token().ok()
    }

    /// The position of the next event without consuming it.
    fn peek_marker(&mut self) -> Option<(bool, Marker)> {
        match self.parser.peek() {
            Ok((event, marker)) => Some((matches!(event, Event::MappingEnd), *marker)),
            Err(_) => None,
        }
    }

    /// Walks down the pointer, recording each node found in `best`; returns
    /// `None` as soon as the walk cannot go further.
    fn run(&mut self, segments: &[String]) -> Option<()> {
        // The document's first node.
        let mut current = loop {
            let (event, marker) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
                Event::DocumentEnd | Event::StreamEnd => return None,
                _ => break (event, marker),
            }
        };
        // The key through which the current node was reached, if any.
        let mut key: Option<Location> = None;
        let mut matched = 0;
        loop {
            let (event, marker) = current;
            let here = self.node_location(&event, marker, key);
            self.best = Some(here);
            let Some(segment) = segments.get(matched) else {
                return Some(());
            };
            current = match event {
                Event::MappingStart(..) => {
                    let (value, key_marker) = self.find_entry(segment)?;
                    key = Some(location(key_marker));
                    value
                }
                Event::SequenceStart(..) => {
                    key = None;
                    self.find_item(index(segment)?)?
                }
                _ => return None,
            };
            matched += 1;
        }
    }

    /// Where to point for a node that starts with `event` at `marker`,
    /// reached through a mapping key at `key` if any.
    fn node_location(&mut self, event: &Event, marker: Marker, key: Option<Location>) -> Location {
        if let Some(key) = key {
            let value_is_token = match event {
                // A plain scalar with no text is an implicit null: `key:`.
                Event::Scalar(value, style, ..) => {
                    !(value.is_empty() && *style == TScalarStyle::Plain)
                }
                Event::Alias(..) => true,
                _ => false,
            };
            if self.prefer_key || !value_is_token {
                return key;
            }
            return location(marker);
        }
        let start = location(marker);
        if matches!(event, Event::MappingStart(..)) {
            // A block mapping's start event is marked after its first key;
            // point at whichever comes first, the mark or that key.
            if let Some((false, first)) = self.peek_marker() {
                return start.min(location(first));
            }
        }
        start
    }

    /// Reads the entries of the mapping just started until the one whose key
    /// is `segment`; returns its value's first event and the key's marker.
    fn find_entry(&mut self, segment: &str) -> Option<((Event, Marker), Marker)> {
        loop {
            let (event, marker) = self.next()?;
            match event {
                Event::MappingEnd => return None,
                Event::Scalar(ref key, ..) if key == segment => {
                    let value = self.next()?;
                    return Some((value, marker));
                }
                _ => {
                    // Another key: skip it and its value.
                    self.skip(&event)?;
                    let (value, _) = self.next()?;
                    self.skip(&value)?;
                }
            }
        }
    }

    /// Reads the items of the sequence just started up to item `index`;
    /// returns that item's first event.
    fn find_item(&mut self, index: usize) -> Option<(Event, Marker)> {
        let mut position = 0;
        loop {
            let (event, marker) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                return None;
            }
            if position == index {
                return Some((event, marker));
            }
            self.skip(&event)?;
            position += 1;
        }
    }

    /// Consumes the rest of the node whose first event is `first`.
    fn skip(&mut self, first: &Event) -> Option<()> {
        let mut depth: usize = match first {
            Event::MappingStart(..) | Event::SequenceStart(..) => 1,
            _ => 0,
        };
        while depth > 0 {
            match self.next()?.0 {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth -= 1,
                Event::StreamEnd | Event::DocumentEnd => return None,
                _ => {}
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pointer of every node of `value`, with a child that does not exist under each.
    fn all_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
        out.push(format!("{at}/missing"));
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    all_pointers(v, format!("{at}/{}", escape_segment(k)), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    all_pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    #[test]
    fn the_json_scanner_answers_as_the_yaml_parser_does() {
        let texts = [
            "{\"a\": {\"b\": 1, \"c\": [\"x\", {\"d\": -2.5e3}, [], {}]}, \"s/t\": {\"u~v\": true}}",
            "{\n  \"é\": {\n    \"ünï\": \"çödé\",\n    \"n\": null,\n    \"q\\\"k\": [\n      1,\n      {\"x\\u0041\": false}\n    ]\n  },\n\t\"tab\": \"a\\\"b\"\n}\n",
            "[\n  {\"a\": [ [1, 2], {\"b\": {}} ]},\n  \"z\"\n]",
            "  {}  ",
        ];
        for text in texts {
            let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
            let mut pointers = Vec::new();
            all_pointers(&value, String::new(), &mut pointers);
            let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
            let scanned = json::locate_all(text, &pointers).expect("the scanner reads JSON");
            let parsed = locate_all_yaml(text, &pointers);
            for ((pointer, a), b) in pointers.iter().zip(scanned).zip(parsed) {
                assert!(a.is_some(), "`{pointer}` in {text:?} was not found");
                assert_eq!(a, b, "`{pointer}` in {text:?}");
            }
        }
        // Not JSON: left to the YAML parser.
        assert!(json::locate_all("a: 1\n", &[""]).is_none());
        assert!(json::locate_all("{a: 1}", &[""]).is_none());
    }

    #[test]
    fn locate_all_answers_as_locate_does_for_each_pointer() {
        let yaml = "a:\n  b: 1\n  c:\n    - x\n    - {d: 2, e: [3, 4]}\n  empty:\n  '0': zero\n[k]: v\nf: &anchor 5\ng: *anchor\n";
        let json =
            "{\n  \"a\": {\"b\": 1, \"c\": [\"x\", {\"d\": 2}]},\n  \"s/t\": {\"u~v\": true}\n}\n";
        let pointers = [
            "",
            "/a",
            "/a/b",
            "/a/c",
            "/a/c/0",
            "/a/c/1",
            "/a/c/1/d",
            "/a/c/1/e/1",
            "/a/c/01",
            "/a/c/9",
            "/a/empty",
            "/a/0",
            "/a/nope/deeper",
            "/f",
            "/g",
            "/g/x",
            "#/a/b",
            "a",
            "/s~1t/u~0v",
            "/s~1t",
        ];
        for text in [yaml, json] {
            let all = locate_all(text, &pointers);
            for (pointer, got) in pointers.iter().zip(all) {
                assert_eq!(
                    got,
                    locate(text, pointer),
                    "pointer {pointer:?} in {text:?}"
                );
            }
        }
    }

    fn at(line: usize, column: usize) -> Option<Location> {
        Some(Location { line, column })
    }

    const YAML: &str = "\
# An API.
openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: A pet
        'default':
          description: An error
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        name:
          type: strnig
        tags:
          type: array
          items:
            - type: string
            -
              type: integer
            - plain
  a~b: tilde
  é: \"accent\"
  empty:
";

    #[test]
    fn root_is_the_first_node() {
        assert_eq!(locate(YAML, ""), at(2, 1));
        assert_eq!(locate("{\"a\": 1}", ""), at(1, 1));
        assert_eq!(locate("[1, 2]", "#"), at(1, 1));
        assert_eq!(locate("- a\n- b\n", ""), at(1, 1));
        assert_eq!(locate("just text", ""), at(1, 1));
    }

    #[test]
    fn nested_mapping() {
        // A scalar value points at the value, a collection at its key.
        let pet = "/components/schemas/Pet";
        assert_eq!(locate(YAML, "/openapi"), at(2, 10));
        assert_eq!(locate(YAML, "/components"), at(11, 1));
        assert_eq!(locate(YAML, pet), at(13, 5));
        assert_eq!(locate(YAML, &format!("{pet}/type")), at(14, 13));
        assert_eq!(
            locate(YAML, &format!("{pet}/properties/name/type")),
            at(18, 17)
        );
        assert_eq!(locate(YAML, &format!("{pet}/required")), at(15, 7));
    }

    #[test]
    fn key_variant_points_at_keys() {
        let pointer = "/components/schemas/Pet/properties/name/type";
        assert_eq!(locate_key(YAML, pointer), at(18, 11));
        assert_eq!(locate_key(YAML, "/components"), at(11, 1));
        // Sequence items have no key.
        assert_eq!(
            locate_key(YAML, "/components/schemas/Pet/required/1"),
            at(15, 22)
        );
    }

    #[test]
    fn numeric_and_quoted_keys_match_as_strings() {
        let ok = "/paths/~1pets~1{id}/get/responses/200/description";
        assert_eq!(locate(YAML, ok), at(8, 24));
        let default = "/paths/~1pets~1{id}/get/responses/default";
        assert_eq!(locate(YAML, default), at(9, 9));
    }

    #[test]
    fn sequence_index() {
        let items = "/components/schemas/Pet/properties/tags/items";
        assert_eq!(
            locate(YAML, "/components/schemas/Pet/required/0"),
            at(15, 18)
        );
        assert_eq!(
            locate(YAML, "/components/schemas/Pet/required/1"),
            at(15, 22)
        );
        assert_eq!(locate(YAML, &format!("{items}/0")), at(22, 15));
        assert_eq!(locate(YAML, &format!("{items}/0/type")), at(22, 21));
        assert_eq!(locate(YAML, &format!("{items}/1/type")), at(24, 21));
        assert_eq!(locate(YAML, &format!("{items}/2")), at(25, 15));
        // Past the end, and not canonical indices: the sequence itself.
        assert_eq!(locate(YAML, &format!("{items}/3")), at(21, 11));
        assert_eq!(locate(YAML, &format!("{items}/01")), at(21, 11));
        assert_eq!(locate(YAML, &format!("{items}/-")), at(21, 11));
        assert_eq!(locate(YAML, &format!("{items}/+1")), at(21, 11));
    }

    #[test]
    fn json_input() {
        let json = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a\": {\"get\": {\"tags\": [\"x\", 7]}}\n  }\n}\n";
        assert_eq!(locate(json, "/openapi"), at(2, 14));
        assert_eq!(locate(json, "/paths"), at(3, 3));
        assert_eq!(locate(json, "/paths/~1a"), at(4, 5));
        assert_eq!(locate(json, "/paths/~1a/get/tags"), at(4, 20));
        assert_eq!(locate(json, "/paths/~1a/get/tags/1"), at(4, 34));
        // Minified, on one line.
        assert_eq!(
            locate("{\"a\":{\"b\":[1,{\"c\":true}]}}", "/a/b/1/c"),
            at(1, 19)
        );
    }

    #[test]
    fn escaped_pointer() {
        assert_eq!(locate(YAML, "/components/a~0b"), at(26, 8));
        assert_eq!(locate("a/b: 1\n~1: 2\n", "/a~1b"), at(1, 6));
        // `~01` is `~1`, not `/`.
        assert_eq!(locate("a/b: 1\n~1: 2\n", "/~01"), at(2, 5));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(locate(YAML, "/components/é"), at(27, 6));
        assert_eq!(locate("ключ: значение\n", "/ключ"), at(1, 7));
    }

    #[test]
    fn empty_value_points_at_its_key() {
        assert_eq!(locate(YAML, "/components/empty"), at(28, 3));
        assert_eq!(locate("a: ''\n", "/a"), at(1, 4));
    }

    #[test]
    fn missing_tail_returns_deepest_ancestor() {
        let pet = "/components/schemas/Pet";
        assert_eq!(locate(YAML, &format!("{pet}/nope/deeper")), at(13, 5));
        assert_eq!(locate(YAML, &format!("{pet}/type/deeper")), at(14, 13));
        assert_eq!(locate(YAML, "/nope"), at(2, 1));
        assert_eq!(
            locate(YAML, "/components/schemas/Pet/required/x"),
            at(15, 7)
        );
    }

    #[test]
    fn parse_error_returns_what_was_found() {
        let text = "a:\n  b: 1\n  c: [1, 2, 3\nd: 3\n";
        assert_eq!(locate(text, "/a/b"), at(2, 6));
        assert_eq!(locate(text, "/a/c/1"), at(3, 10));
        assert_eq!(locate(text, "/d"), at(1, 1));
        assert_eq!(locate("a: [\n", "/a"), at(1, 1));
        assert_eq!(locate("\"unterminated", ""), None);
        assert_eq!(locate("@", "/x"), None);
        assert_eq!(locate("", ""), None);
    }

    #[test]
    fn aliases_are_not_followed() {
        let text = "a: &A {x: 1}\nb: *A\n";
        assert_eq!(locate(text, "/a/x"), at(1, 11));
        assert_eq!(locate(text, "/b"), at(2, 4));
        assert_eq!(locate(text, "/b/x"), at(2, 4));
    }

    #[test]
    fn only_the_first_document() {
        let text = "a: 1\n---\nb: 2\n";
        assert_eq!(locate(text, "/a"), at(1, 4));
        assert_eq!(locate(text, "/b"), at(1, 1));
    }

    #[test]
    fn deep_flow_nesting_does_not_crash() {
        let depth = 10_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let pointer = "/0".repeat(depth - 1);
        // The parser gives up past some depth; whatever was found is fine.
        let found = locate(&text, &pointer);
        assert!(found.is_none_or(|l| l.line == 1));
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let found = locate(&text, &"/a".repeat(depth));
        assert!(found.is_none_or(|l| l.line == 1));
    }

    #[test]
    fn pointer_at_names_the_node_at_a_position() {
        let pet = "/components/schemas/Pet";
        // On a scalar value, and on a key.
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 18,
                    column: 17
                }
            ),
            format!("{pet}/properties/name/type")
        );
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 18,
                    column: 20
                }
            ),
            format!("{pet}/properties/name/type")
        );
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 13,
                    column: 5
                }
            ),
            pet
        );
        // Inside a flow sequence, and in a block sequence of mappings.
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 15,
                    column: 22
                }
            ),
            format!("{pet}/required/1")
        );
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 24,
                    column: 21
                }
            ),
            format!("{pet}/properties/tags/items/1/type")
        );
        // Escaped keys, and the document start.
        assert_eq!(
            pointer_at(
                YAML,
                Location {
                    line: 26,
                    column: 8
                }
            ),
            "/components/a~0b"
        );
        assert_eq!(pointer_at(YAML, Location { line: 1, column: 1 }), "");
    }

    #[test]
    fn pointer_at_a_syntax_error_names_what_was_read_before_it() {
        let text = "a:\n  b: {x: 1, y: [2, 3}\nc: 3\n";
        assert_eq!(
            pointer_at(
                text,
                Location {
                    line: 2,
                    column: 25
                }
            ),
            "/a/b/y/1"
        );
        // serde_json reports a trailing comma at the bracket after it.
        let json = "{\"a\": {\"b\": [true, {\"c\": 1,}]}}";
        assert_eq!(
            pointer_at(
                json,
                Location {
                    line: 1,
                    column: 28
                }
            ),
            "/a/b/1/c"
        );
        assert_eq!(
            pointer_at(
                json,
                Location {
                    line: 1,
                    column: 30
                }
            ),
            "/a/b"
        );
        let deep = format!("{}x", "- ".repeat(10_000));
        assert_eq!(
            pointer_at(
                &deep,
                Location {
                    line: 1,
                    column: 20_001
                }
            ),
            "/0".repeat(10_000)
        );
    }

    #[test]
    fn deep_block_nesting() {
        let depth = 10_000;
        let text = format!("{}x\n", "- ".repeat(depth));
        let found = locate(&text, &"/0".repeat(depth));
        assert_eq!(found, at(1, 2 * depth + 1));
    }
}
