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

mod all;
mod json;
mod position;

pub use all::locate_all;
pub use position::pointer_at;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
mod tests;
