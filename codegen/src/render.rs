//! Renders diagnostics for people, rustc style: a header, the `file:line:col`, a source snippet with a caret, the pointer, and a hint.
//!
//! ```text
//! error: unknown type `strnig`
//!   ┌─ schemas/api.yaml:12:13
//!    │
//! 12 │       type: strnig
//!    │             ^^^^^^ at #/components/schemas/Pet/properties/name/type
//!    │
//!    = hint: did you mean `string`?
//! ```
//!
//! Without a location or without the source text there is no snippet:
//!
//! ```text
//! error: unknown type `strnig`
//!   --> schemas/api.yaml
//!   = at #/components/schemas/Pet/properties/name/type
//!   = hint: did you mean `string`?
//! ```
//!
//! The output is plain text, without colors, and the same for the same input.
//! Only the located line of the source is looked at, so rendering is cheap
//! also for very large files, and a very long line (minified JSON) is cut to
//! a window around the located token.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity as Level};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, termcolor::NoColor, Config};

use crate::diagnostic::{Diagnostic, Location, Severity};

/// Lines up to this many characters are shown whole.
const MAX_LINE: usize = 200;
/// On longer lines, the token is underlined up to this many characters...
const MAX_TOKEN: usize = 80;
/// ...and this many characters are shown on each side of it.
const CONTEXT: usize = 40;
/// Marks text left out of a long line.
const ELLIPSIS: &str = "...";

/// Renders `diagnostic` as lines of text, the last one ending in a newline.
///
/// With both a location in the diagnostic and the `source` text of its
/// file, the text shows the located line with the token there underlined
/// (from the location's column to the end of the scalar or word that starts
/// there) and labelled with the pointer, in URI fragment form (`#/a/b`, `#`
/// for the document). Otherwise it shows the file (with line:column when
/// known) and the pointer as a note. A hint, if any, comes last as a note.
///
/// A location beyond the end of its line or of the text is clamped to the
/// nearest position that exists.
#[must_use]
pub fn render(diagnostic: &Diagnostic, source: Option<&str>) -> String {
    if let (Some(location), Some(source)) = (diagnostic.location, source) {
        if let Some(text) = render_snippet(diagnostic, location, source) {
            return text;
        }
    }
    render_plain(diagnostic)
}

/// The header word for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The pointer as a URI fragment.
fn fragment(pointer: &str) -> String {
    format!("#{pointer}")
}

/// The hint as a note, if there is one.
fn hint_note(diagnostic: &Diagnostic) -> Option<String> {
    diagnostic.hint.as_ref().map(|hint| format!("hint: {hint}"))
}

/// The form without a snippet.
fn render_plain(diagnostic: &Diagnostic) -> String {
    let mut out = format!(
        "{}: {}\n  --> {}",
        level(diagnostic.severity),
        diagnostic.message,
        diagnostic.file
    );
    if let Some(Location { line, column }) = diagnostic.location {
        let _ = write!(out, ":{line}:{column}");
    }
    let _ = writeln!(out, "\n  = at {}", fragment(&diagnostic.pointer));
    if let Some(note) = hint_note(diagnostic) {
        let _ = writeln!(out, "  = {note}");
    }
    out
}

/// The form with a snippet, by `codespan-reporting`; `None` if it failed.
fn render_snippet(diagnostic: &Diagnostic, location: Location, source: &str) -> Option<String> {
    let snippet = Snippet::new(&diagnostic.file, source, location);
    let report = Report::new(match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    })
    .with_message(diagnostic.message.as_str())
    .with_labels(vec![Label::new(
        LabelStyle::Primary,
        (),
        snippet.label.clone(),
    )
    .with_message(format!("at {}", fragment(&diagnostic.pointer)))])
    .with_notes(hint_note(diagnostic).into_iter().collect());
    let mut writer = NoColor::new(Vec::new());
    term::emit(&mut writer, &Config::default(), &snippet, &report).ok()?;
    let text = String::from_utf8_lossy(&writer.into_inner()).into_owned();
    Some(format!("{}\n", text.trim_end()))
}

/// The one source line shown, as a single-line file for `codespan-reporting`
/// that reports the line number and columns of the whole file.
struct Snippet<'s> {
    /// The file name.
    name: &'s str,
    /// The text shown: the line, or a window of it with ellipses.
    text: String,
    /// The byte range of the underlined token in `text`.
    label: Range<usize>,
    /// The line's 1-based number in the file.
    line_number: usize,
    /// How many characters of the line come before the shown part.
    skipped: usize,
    /// How many characters of `text` are a leading ellipsis.
    prefix: usize,
}

impl<'s> Snippet<'s> {
    /// The snippet for `location` in `source`, clamped to what exists.
    fn new(name: &'s str, source: &str, location: Location) -> Self {
        let (line_number, line) = find_line(source, location.line);
        let start = byte_of_column(line, location.column);
        let end = token_end(line, start);
        let mut snippet = Snippet {
            name,
            text: line.to_owned(),
            label: start..end,
            line_number,
            skipped: 0,
            prefix: 0,
        };
        if line.len() > MAX_LINE && line.chars().nth(MAX_LINE).is_some() {
            snippet.cut(line);
        }
        snippet
    }

    /// Shows only a window of the long `line` around the token.
    fn cut(&mut self, line: &str) {
        let start = self.label.start;
        let end = advance(line, start, MAX_TOKEN).min(self.label.end);
        let from = retreat(line, start, CONTEXT);
        let to = advance(line, end, CONTEXT);
        let (Some(before), Some(shown)) = (line.get(..from), line.get(from..to)) else {
            return;
        };
        let mut text = String::new();
        if from > 0 {
            text.push_str(ELLIPSIS);
        }
        let offset = text.len();
        text.push_str(shown);
        if to < line.len() {
            text.push_str(ELLIPSIS);
        }
        self.prefix = offset;
        self.skipped = before.chars().count();
        self.label = (start - from + offset)..(end - from + offset);
        self.text = text;
    }
}

impl<'a, 's: 'a> Files<'a> for Snippet<'s> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, files::Error> {
        Ok(self.line_number)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let index = files::column_index(&self.text, 0..self.text.len(), byte_index);
        Ok(index.saturating_sub(self.prefix) + self.skipped + 1)
    }

    fn line_range(&'a self, (): (), _line_index: usize) -> Result<Range<usize>, files::Error> {
        Ok(0..self.text.len())
    }
}

/// Line `wanted` (1-based) of `source` and its number, without its line
/// break; the last line with text if `wanted` is past the end.
fn find_line(source: &str, wanted: usize) -> (usize, &str) {
    let mut start = 0;
    let mut number = 1;
    let mut previous = None;
    while number < wanted {
        match source.get(start..).and_then(|rest| rest.find('\n')) {
            Some(length) => {
                previous = Some((start, number));
                start += length + 1;
                number += 1;
            }
            None => break,
        }
    }
    // The empty "line" after a final line break is not worth showing.
    if start >= source.len() {
        if let Some((previous_start, previous_number)) = previous {
            start = previous_start;
            number = previous_number;
        }
    }
    let rest = source.get(start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    (number, line.strip_suffix('\r').unwrap_or(line))
}

/// The byte offset of 1-based character `column` in `line`, or the end of
/// the line if it is shorter.
fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(index, _)| index)
}

/// The byte offset `count` characters after `from` in `line` (at most its end).
fn advance(line: &str, from: usize, count: usize) -> usize {
    let rest = line.get(from..).unwrap_or("");
    rest.char_indices()
        .nth(count)
        .map_or(line.len(), |(index, _)| from + index)
}

/// The byte offset `count` characters before `from` in `line` (at least 0).
fn retreat(line: &str, from: usize, count: usize) -> usize {
    let before = line.get(..from).unwrap_or("");
    match count.checked_sub(1) {
        Some(skip) => before
            .char_indices()
            .rev()
            .nth(skip)
            .map_or(0, |(index, _)| index),
        None => from,
    }
}

/// Where the token starting at byte `start` of `line` ends: a quoted scalar
/// with its quotes, a flow or block indicator, or a plain scalar or word.
fn token_end(line: &str, start: usize) -> usize {
    let rest = line.get(start..).unwrap_or("");
    let mut chars = rest.chars();
    let Some(first) = chars.next() else {
        return start;
    };
    let second = chars.next();
    let length = match first {
        '"' => quoted_length(rest, true),
        '\'' => quoted_length(rest, false),
        '[' | ']' | '{' | '}' | ',' => 1,
        '-' | '?' | ':' if second.is_none_or(char::is_whitespace) => 1,
        _ => {
            let before = line.get(..start).unwrap_or("");
            plain_length(rest, before.contains(['[', '{']))
        }
    };
    start + length
}

/// The byte length of the quoted scalar at the start of `text`, quotes
/// included; to the end of the line's text if it does not close there.
fn quoted_length(text: &str, double: bool) -> usize {
    let quote = if double { '"' } else { '\'' };
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((index, c)) = chars.next() {
        if double && c == '\\' {
            chars.next();
        } else if c == quote {
            if !double && chars.peek().is_some_and(|&(_, next)| next == '\'') {
                chars.next();
            } else {
                return index + 1;
            }
        }
    }
    text.trim_end().len()
}

/// The byte length of the plain scalar at the start of `text`: up to a
/// `: `, a comment, the end of the line or, in flow context, a flow
/// indicator; without trailing blanks and commas.
fn plain_length(text: &str, flow: bool) -> usize {
    let flow_indicator = |c: char| matches!(c, ',' | '[' | ']' | '{' | '}');
    let mut end = 0;
    let mut after_blank = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let next = chars.peek().map(|&(_, next)| next);
        let stop = match c {
            '#' => after_blank,
            ':' => next.is_none_or(|next| next.is_whitespace() || (flow && flow_indicator(next))),
            _ => flow && flow_indicator(c),
        };
        if stop && index > 0 {
            break;
        }
        if !c.is_whitespace() {
            end = index + c.len_utf8();
        }
        after_blank = c.is_whitespace();
    }
    let token = text.get(..end).unwrap_or("");
    let trimmed = token.trim_end_matches(',');
    if trimmed.is_empty() {
        end
    } else {
        trimmed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
openapi: 3.0.3
components:
  schemas:
    Pet:
      properties:
        name:
          type: strnig
";

    fn diagnostic() -> Diagnostic {
        Diagnostic::error(
            "schemas/api.yaml",
            "/components/schemas/Pet/properties/name/type",
            "unknown type `strnig`",
        )
    }

    fn at(line: usize, column: usize) -> Location {
        Location { line, column }
    }

    #[test]
    fn with_snippet_and_hint() {
        let d = diagnostic()
            .at(at(7, 17))
            .with_hint("did you mean `string`?");
        let text = render(&d, Some(SOURCE));
        assert_eq!(
            text,
            "\
error: unknown type `strnig`
  ┌─ schemas/api.yaml:7:17
  │
7 │           type: strnig
  │                 ^^^^^^ at #/components/schemas/Pet/properties/name/type
  │
  = hint: did you mean `string`?
"
        );
    }

    #[test]
    fn with_snippet_without_hint() {
        let d = Diagnostic::warning("api.json", "", "no paths").at(at(1, 1));
        let text = render(&d, Some("{\"openapi\": \"3.1.0\"}\n"));
        assert_eq!(
            text,
            "\
warning: no paths
  ┌─ api.json:1:1
  │
1 │ {\"openapi\": \"3.1.0\"}
  │ ^ at #
"
        );
    }

    #[test]
    fn without_location() {
        let d = diagnostic().with_hint("did you mean `string`?");
        let expected = "\
error: unknown type `strnig`
  --> schemas/api.yaml
  = at #/components/schemas/Pet/properties/name/type
  = hint: did you mean `string`?
";
        assert_eq!(render(&d, Some(SOURCE)), expected);
        assert_eq!(render(&d, None), expected);
    }

    #[test]
    fn without_source() {
        let d = Diagnostic::error("a.yaml", "", "empty document").at(at(3, 4));
        assert_eq!(
            render(&d, None),
            "error: empty document\n  --> a.yaml:3:4\n  = at #\n"
        );
    }

    #[test]
    fn location_beyond_end_of_text() {
        let d = diagnostic().at(at(100, 100));
        let text = render(&d, Some(SOURCE));
        assert!(text.contains("schemas/api.yaml:7:23"), "{text}");
        assert!(text.contains("7 │           type: strnig"), "{text}");
        let d = diagnostic().at(at(7, 100));
        assert!(render(&d, Some(SOURCE)).contains("schemas/api.yaml:7:23"));
        let d = diagnostic().at(at(0, 0));
        assert!(render(&d, Some(SOURCE)).contains("schemas/api.yaml:1:1"));
        for source in ["", "\n", "\n\n", "x", "\r\n", "é"] {
            let d = diagnostic().at(at(5, 5));
            let text = render(&d, Some(source));
            assert!(text.contains("at #/components"), "{text}");
        }
    }

    #[test]
    fn line_ends_and_wide_characters() {
        let d = diagnostic().at(at(2, 4));
        let text = render(&d, Some("a: 1\r\né: ünknown # note\r\n"));
        assert!(text.contains("api.yaml:2:4"), "{text}");
        assert!(text.contains("2 │ é: ünknown # note\n"), "{text}");
        assert!(text.contains("  │    ^^^^^^^ at #/"), "{text}");
    }

    #[test]
    fn long_lines_are_cut() {
        let line = format!(
            "{{\"a\": [{}\"strnig\"{}]}}",
            "1, ".repeat(1000),
            ", 2".repeat(1000)
        );
        let column = line.find("\"strnig\"").unwrap_or(0) + 1;
        let d = diagnostic().at(at(1, column));
        let text = render(&d, Some(&line));
        assert!(text.contains(&format!("api.yaml:1:{column}")), "{text}");
        assert!(text.contains("│ ... 1, 1, "), "{text}");
        assert!(text.contains("1, \"strnig\", 2,"), "{text}");
        assert!(text.contains(" 2, 2,...\n"), "{text}");
        assert!(text.contains("^^^^^^^^ at #/"), "{text}");
        assert!(text.len() < 500, "{text}");
    }

    #[test]
    fn token_spans() {
        fn end(line: &str, column: usize) -> &str {
            let start = byte_of_column(line, column);
            line.get(start..token_end(line, start)).unwrap_or("<bad>")
        }
        assert_eq!(end("type: strnig", 1), "type");
        assert_eq!(end("type: strnig   # comment", 7), "strnig");
        assert_eq!(end("summary: List all pets", 10), "List all pets");
        assert_eq!(end("url: http://x.org/a#b", 6), "http://x.org/a#b");
        assert_eq!(end("a: \"say \\\"hi\\\"\", b", 4), "\"say \\\"hi\\\"\"");
        assert_eq!(end("a: 'it''s' # x", 4), "'it''s'");
        assert_eq!(end("a: 'open", 4), "'open");
        assert_eq!(end("enum: [one, two]", 8), "one");
        assert_eq!(end("enum: [one, two]", 7), "[");
        assert_eq!(end("{\"a\":{\"b\":1}}", 11), "1");
        assert_eq!(end("  \"minimum\": 5,", 14), "5");
        assert_eq!(end("  5,", 3), "5");
        assert_eq!(end("- item", 1), "-");
        assert_eq!(end("-5", 1), "-5");
        assert_eq!(end("text: a, b", 7), "a, b");
        assert_eq!(end("key:", 5), "");
    }
}
