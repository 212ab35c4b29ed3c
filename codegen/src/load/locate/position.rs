//! The reverse of [`super::locate`]: the JSON Pointer of the node at a line and column.

use super::location;
use crate::diagnostic::Location;
use crate::load::pointer::escape_segment;
use yaml_rust2::parser::{Event, Parser};

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
