//! [`super::locate`] for many pointers in one read of the text.

use super::{json, location, segments};
use crate::diagnostic::Location;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
pub(super) fn locate_all_yaml(text: &str, pointers: &[&str]) -> Vec<Option<Location>> {
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
