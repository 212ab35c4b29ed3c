//! [`super::locate_all`] for JSON text: a scanner that reads the text once,
//! byte by byte, keeping only the path to the current node.
//!
//! It answers as the YAML walk does (a scalar mapping value at the value, a
//! collection value at its key, a sequence item at its first character, a
//! missing node at its deepest existing ancestor), and gives up (`None`) on
//! anything that is not plain JSON, which the YAML walk then reads.

use crate::diagnostic::Location;
use std::collections::{HashMap, HashSet};

/// A position in the text: 1-based line and character column.
#[derive(Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
}

impl Position {
    fn location(self) -> Location {
        Location {
            line: self.line,
            column: self.column,
        }
    }
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
    /// How far into the line characters have been counted.
    counted: usize,
    /// Characters from the line start to `counted`.
    column: usize,
}

impl Scanner<'_> {
    fn position(&mut self) -> Position {
        // Columns count characters: UTF-8 continuation bytes do not start one.
        let from = self.counted.max(self.line_start);
        let chars = self
            .bytes
            .get(from..self.at)
            .map_or(0, |b| b.iter().filter(|&&b| b & 0xC0 != 0x80).count());
        self.column += chars;
        self.counted = self.at;
        Position {
            line: self.line,
            column: self.column + 1,
        }
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                    self.counted = self.at;
                    self.column = 0;
                }
                _ => break,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// A string starting at the opening quote; its decoded text when `decode`.
    fn string(&mut self, decode: bool) -> Option<String> {
        self.at += 1;
        let start = self.at;
        let mut escaped = false;
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                b'\n' => return None,
                _ => self.at += 1,
            }
        }
        let raw = self.bytes.get(start..self.at)?;
        self.at += 1;
        if !decode {
            return Some(String::new());
        }
        let raw = std::str::from_utf8(raw).ok()?;
        if !escaped {
            return Some(raw.to_owned());
        }
        // The quotes are part of the JSON string; serde_json decodes escapes.
        let quoted = self.bytes.get(start - 1..self.at)?;
        serde_json::from_slice(quoted).ok()
    }

    /// A number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Option<()> {
        let start = self.at;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                self.at += 1;
            } else {
                break;
            }
        }
        let word = self.bytes.get(start..self.at)?;
        let ok = matches!(word, b"true" | b"false" | b"null")
            || (!word.is_empty() && (word[0] == b'-' || word[0].is_ascii_digit()));
        ok.then_some(())
    }
}

enum Open {
    /// An object: the pending key and where it stands.
    Map(Option<(String, Position)>),
    /// An array: the next index.
    Seq(usize),
}

/// The answers of [`super::locate_all`], or `None` when `text` is not plain JSON.
pub fn locate_all(text: &str, pointers: &[&str]) -> Option<Vec<Option<Location>>> {
    let first = text.trim_start().as_bytes().first().copied();
    if !matches!(first, Some(b'{' | b'[')) {
        return None;
    }
    let wanted: Vec<Vec<String>> = pointers.iter().map(|p| super::segments(p)).collect();
    let mut prefixes: HashSet<&[String]> = HashSet::new();
    for w in &wanted {
        for n in 0..=w.len() {
            prefixes.insert(&w[..n]);
        }
    }
    let mut found: HashMap<Vec<String>, Location> = HashMap::new();
    let mut s = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        counted: 0,
        column: 0,
    };
    let mut open: Vec<Open> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        s.skip_space();
        let b = s.peek()?;
        // Inside an object, expecting a key (or its end).
        if let Some(Open::Map(pending @ None)) = open.last_mut() {
            match b {
                b'}' => {
                    s.at += 1;
                    open.pop();
                    if open.is_empty() {
                        break;
                    }
                    path.pop();
                    after_value(&mut s, &mut open)?;
                    continue;
                }
                b'"' => {
                    let here = s.position();
                    let key = s.string(true)?;
                    s.skip_space();
                    if s.peek()? != b':' {
                        return None;
                    }
                    s.at += 1;
                    *pending = Some((key, here));
                    continue;
                }
                _ => return None,
            }
        }
        if b == b']' {
            if !matches!(open.last(), Some(Open::Seq(_))) {
                return None;
            }
            s.at += 1;
            open.pop();
            if open.is_empty() {
                break;
            }
            path.pop();
            after_value(&mut s, &mut open)?;
            continue;
        }
        // A value.
        let start = s.position();
        let key = match open.last_mut() {
            Some(Open::Map(pending)) => pending.take().map(|(k, at)| {
                path.push(k);
                at
            }),
            Some(Open::Seq(next)) => {
                path.push(next.to_string());
                *next += 1;
                None
            }
            None => None,
        };
        let collection = matches!(b, b'{' | b'[');
        if prefixes.contains(path.as_slice()) && !found.contains_key(path.as_slice()) {
            let here = match key {
                Some(key) if collection => key,
                _ => start,
            };
            found.insert(path.clone(), here.location());
        }
        match b {
            b'{' => {
                s.at += 1;
                open.push(Open::Map(None));
                continue;
            }
            b'[' => {
                s.at += 1;
                open.push(Open::Seq(0));
                continue;
            }
            b'"' => {
                s.string(false)?;
            }
            _ => s.scalar()?,
        }
        if open.is_empty() {
            break;
        }
        path.pop();
        after_value(&mut s, &mut open)?;
    }
    s.skip_space();
    if s.peek().is_some() {
        return None;
    }
    Some(
        wanted
            .iter()
            .map(|w| {
                (0..=w.len())
                    .rev()
                    .find_map(|n| found.get(&w[..n]).copied())
            })
            .collect(),
    )
}

/// After a value inside a collection: a comma (another member follows) or the collection's end.
fn after_value(s: &mut Scanner<'_>, open: &mut [Open]) -> Option<()> {
    s.skip_space();
    match (s.peek()?, open.last()) {
        (b',', Some(_)) => {
            s.at += 1;
            Some(())
        }
        (b'}', Some(Open::Map(_))) | (b']', Some(Open::Seq(_))) => Some(()),
        _ => None,
    }
}
