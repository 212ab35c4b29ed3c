//! A writer for formatted Rust source.
//!
//! The emitter writes text directly, line by line, at the right indentation,
//! and lays out the few constructs whose width depends on the schema (calls,
//! attributes, struct literals, signatures, match arms) the way rustfmt's
//! default style does: on one line when they fit, one item per line when
//! they do not. Building token trees and pretty-printing them costs far more
//! than the generated crate is worth on large descriptions.

use unicode_width::UnicodeWidthStr;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the widest argument list kept on one line.
const CALL_WIDTH: usize = 60;
/// rustfmt's `attr_fn_like_width`: the widest attribute argument list kept on one line.
const ATTR_WIDTH: usize = 70;
/// rustfmt's `struct_lit_width`: the widest struct literal body kept on one line.
const STRUCT_LIT_WIDTH: usize = 18;
/// One level of indentation.
const INDENT: &str = "    ";

/// Formatted Rust source under construction.
#[derive(Default)]
pub struct Code {
    out: String,
    depth: usize,
}

/// A place in the text to go back to (see [`Code::reset`]).
#[derive(Clone, Copy)]
pub struct Mark {
    len: usize,
    depth: usize,
}

impl Code {
    /// An empty file.
    pub fn new() -> Self {
        Self::default()
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// Where the writer is now.
    pub fn mark(&self) -> Mark {
        Mark {
            len: self.out.len(),
            depth: self.depth,
        }
    }

    /// Whether anything was written since `mark`.
    pub fn wrote_since(&self, mark: Mark) -> bool {
        self.out.len() > mark.len
    }

    /// Drops everything written since `mark`.
    pub fn reset(&mut self, mark: Mark) {
        self.out.truncate(mark.len);
        self.depth = mark.depth;
    }

    /// The width of the current indentation.
    fn indent_width(&self) -> usize {
        self.depth * INDENT.len()
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    /// One line at the current indentation.
    pub fn line(&mut self, text: &str) {
        self.indent();
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A line built from parts, at the current indentation.
    pub fn line_parts(&mut self, parts: &[&str]) {
        self.indent();
        for p in parts {
            self.out.push_str(p);
        }
        self.out.push('\n');
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// A line that opens a block; what follows is indented one more level.
    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.depth += 1;
    }

    /// Indents what follows one more level (a continuation, not a block).
    pub fn depth_in(&mut self) {
        self.depth += 1;
    }

    /// Ends a continuation started with [`Code::depth_in`].
    pub fn depth_out(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Ends a block opened with [`Code::open`].
    pub fn close(&mut self, text: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(text);
    }

    /// Outer doc comment lines (`///`).
    pub fn doc_lines<S: AsRef<str>>(&mut self, lines: &[S]) {
        for l in lines {
            self.doc("///", l.as_ref());
        }
    }

    /// Inner doc comment lines (`//!`).
    pub fn inner_doc_lines<S: AsRef<str>>(&mut self, lines: &[S]) {
        for l in lines {
            self.doc("//!", l.as_ref());
        }
    }

    fn doc(&mut self, marker: &str, text: &str) {
        let text = text.trim_end();
        if text.chars().any(|c| c.is_control()) {
            // A carriage return or other control character cannot stand in a comment.
            let attr = if marker == "//!" {
                "#![doc = "
            } else {
                "#[doc = "
            };
            let literal = string(&format!(" {text}"));
            self.line_parts(&[attr, &literal, "]"]);
        } else if text.is_empty() {
            self.line(marker);
        } else {
            self.line_parts(&[marker, " ", text]);
        }
    }

    /// A call, `head(args)tail`: on one line when it fits, else one argument a line.
    /// Each argument must itself fit on one line.
    pub fn call(&mut self, head: &str, args: &[String], tail: &str) {
        let joined = args.join(", ");
        let total = self.indent_width() + width(head) + width(&joined) + 2 + width(tail);
        if width(&joined) <= CALL_WIDTH && total <= MAX_WIDTH || args.is_empty() {
            self.line_parts(&[head, "(", &joined, ")", tail]);
        } else {
            self.open(&format!("{head}("));
            for a in args {
                self.line_parts(&[a, ","]);
            }
            self.close(&format!("){tail}"));
        }
    }

    /// An attribute with arguments, `#[name(args)]`: on one line when it fits,
    /// else one argument a line (attributes take no trailing comma).
    pub fn attr(&mut self, name: &str, args: &[String]) {
        let joined = args.join(", ");
        let total = self.indent_width() + 2 + width(name) + width(&joined) + 3;
        if width(&joined) <= ATTR_WIDTH && total <= MAX_WIDTH {
            self.line_parts(&["#[", name, "(", &joined, ")]"]);
        } else {
            self.open(&format!("#[{name}("));
            let last = args.len().saturating_sub(1);
            for (i, a) in args.iter().enumerate() {
                self.line_parts(&[a, if i == last { "" } else { "," }]);
            }
            self.close(")]");
        }
    }

    /// `#[derive(..)]`, laid out as rustfmt lays out derives: on one line when it fits,
    /// else the list on one line of its own, else one trait a line.
    pub fn derive(&mut self, traits: &[String]) {
        let joined = traits.join(", ");
        // The list on a line of its own, indented, with its trailing comma.
        let own_line = self.indent_width() + INDENT.len() + width(&joined) + ",".len();
        if self.indent_width() + width(&joined) + "#[derive()]".len() <= MAX_WIDTH {
            self.line_parts(&["#[derive(", &joined, ")]"]);
        } else if own_line <= MAX_WIDTH {
            self.open("#[derive(");
            self.line_parts(&[&joined, ","]);
            self.close(")]");
        } else {
            self.open("#[derive(");
            for t in traits {
                self.line_parts(&[t, ","]);
            }
            self.close(")]");
        }
    }

    /// A struct literal, `head { fields }tail`.
    pub fn struct_lit(&mut self, head: &str, fields: &[String], tail: &str) {
        let joined = fields.join(", ");
        let total = self.indent_width() + width(head) + width(&joined) + 4 + width(tail);
        if fields.is_empty() {
            self.line_parts(&[head, " {}", tail]);
        } else if width(&joined) <= STRUCT_LIT_WIDTH && total <= MAX_WIDTH {
            self.line_parts(&[head, " { ", &joined, " }", tail]);
        } else {
            self.open(&format!("{head} {{"));
            for f in fields {
                self.line_parts(&[f, ","]);
            }
            self.close(&format!("}}{tail}"));
        }
    }

    /// `head for ty {` (an impl of a trait), opening its body; when it does not fit on one
    /// line, rustfmt's layout: `head`, then `for ty` indented, then `{` alone.
    pub fn open_impl(&mut self, head: &str, ty: &str) {
        let line = format!("{head} for {ty} {{");
        if self.indent_width() + width(&line) <= MAX_WIDTH {
            self.open(&line);
        } else {
            self.line(head);
            self.depth += 1;
            self.line_parts(&["for ", ty]);
            self.depth -= 1;
            self.open("{");
        }
    }

    /// A function signature that opens its body:
    /// `head(params) -> ret {`, with the parameters one a line when it does not fit.
    pub fn open_fn(&mut self, head: &str, params: &[String], ret: &str) {
        let joined = params.join(", ");
        let ret = if ret.is_empty() {
            String::new()
        } else {
            format!(" -> {ret}")
        };
        let total = self.indent_width() + width(head) + width(&joined) + 2 + width(&ret) + 2;
        if total <= MAX_WIDTH {
            self.open(&format!("{head}({joined}){ret} {{"));
        } else {
            self.open(&format!("{head}("));
            for p in params {
                self.line_parts(&[p, ","]);
            }
            self.depth = self.depth.saturating_sub(1);
            self.open(&format!("){ret} {{"));
        }
    }

    /// A match arm whose body is one expression: `pat => body,`, or a block when it
    /// does not fit on one line.
    pub fn arm(&mut self, pattern: &str, body: &str) {
        let total = self.indent_width() + width(pattern) + 4 + width(body) + 1;
        if total <= MAX_WIDTH {
            self.line_parts(&[pattern, " => ", body, ","]);
        } else {
            self.open(&format!("{pattern} => {{"));
            self.line(body);
            self.close("}");
        }
    }

    /// The width the current indentation leaves for a line.
    pub fn room(&self) -> usize {
        MAX_WIDTH.saturating_sub(self.indent_width())
    }
}

/// The display width of `text`, as rustfmt measures it.
pub fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        UnicodeWidthStr::width(text)
    }
}

/// A Rust string literal holding `text`.
pub fn string(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// `text` as a raw string literal (`r#"..."#`), so JSON reads as written.
pub fn raw_string(text: &str) -> String {
    if text.contains('\r') {
        return string(text);
    }
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// An `f64` literal.
pub fn f64_lit(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}f64")
    } else {
        "f64::NAN".to_owned()
    }
}

/// An `f32` literal.
pub fn f32_lit(value: f32) -> String {
    if value.is_finite() {
        format!("{value:?}f32")
    } else {
        "f32::NAN".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_fits_stays_on_one_line_and_a_long_one_takes_a_line_an_argument() {
        let mut c = Code::new();
        c.call("f", &["a".into(), "b".into()], ";");
        let long = format!("\"{}\"", "x".repeat(70));
        c.call("f", &["a".into(), long.clone()], ";");
        assert_eq!(
            c.finish(),
            format!("f(a, b);\nf(\n    a,\n    {long},\n);\n")
        );
    }

    #[test]
    fn a_struct_literal_goes_vertical_past_its_width() {
        let mut c = Code::new();
        c.struct_lit("Self", &["kind".into(), "seats: None".into()], "");
        c.struct_lit(
            "Self",
            &["kind".into(), "seats: None".into(), "x".into()],
            "",
        );
        assert_eq!(
            c.finish(),
            "Self { kind, seats: None }\nSelf {\n    kind,\n    seats: None,\n    x,\n}\n"
        );
    }

    #[test]
    fn string_literals_escape_what_rust_needs() {
        assert_eq!(string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u{1}\"");
        assert_eq!(raw_string("say \"#hi\""), "r##\"say \"#hi\"\"##");
    }

    #[test]
    fn doc_lines_with_control_characters_become_attributes() {
        let mut c = Code::new();
        c.doc_lines(&["plain", "", "a\rb"]);
        assert_eq!(c.finish(), "/// plain\n///\n#[doc = \" a\\rb\"]\n");
    }
}
