//! Rustdoc text for types, fields and variants: title, description,
//! constraints and examples, made safe for rustdoc.

use crate::ir::{Bound, Checks, Docs};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `docs` plus a constraint summary.
/// `fallback` stands in when the schema gives no words at all.
pub fn attrs(docs: &Docs, checks: Option<&Checks>, fallback: &str) -> TokenStream {
    let mut lines = text(docs, checks);
    if docs.title.is_none() && docs.description.is_none() {
        if !lines.is_empty() {
            lines.insert(0, String::new());
        }
        lines.insert(0, fallback.to_owned());
    }
    let attrs = lines.iter().map(|l| {
        let l = format!(" {l}");
        let l = l.trim_end();
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// The doc comment lines.
pub fn text(docs: &Docs, checks: Option<&Checks>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(title) = &docs.title {
        out.push(sanitize(title).replace('\n', " "));
    }
    if let Some(desc) = &docs.description {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(sanitize(desc.trim_end()).lines().map(str::to_owned));
    }
    let mut notes = Vec::new();
    if docs.read_only {
        notes.push("read-only: sent by the server, not accepted in requests".to_owned());
    }
    if docs.write_only {
        notes.push("write-only: accepted in requests, never returned".to_owned());
    }
    if let Some(c) = checks {
        notes.extend(constraints(c));
    }
    if !notes.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(format!("Constraints: {}.", notes.join(", ")));
    }
    for example in &docs.examples {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push("Example:".to_owned());
        out.push("```json".to_owned());
        let json = serde_json::to_string_pretty(example).unwrap_or_default();
        out.extend(json.lines().map(str::to_owned));
        out.push("```".to_owned());
    }
    out
}

/// A short list of what `validate()` checks.
pub fn constraints(c: &Checks) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(n) = c.min_length {
        v.push(format!("min length {n}"));
    }
    if let Some(n) = c.max_length {
        v.push(format!("max length {n}"));
    }
    if let Some(p) = &c.pattern {
        v.push(format!("pattern `{}`", p.replace('`', "\\`")));
    }
    if let Some(f) = &c.format {
        v.push(format!("format `{f}`"));
    }
    if let Some(b) = c.minimum {
        v.push(bound("minimum", b));
    }
    if let Some(b) = c.maximum {
        v.push(bound("maximum", b));
    }
    if let Some(m) = c.multiple_of {
        v.push(format!("multiple of {m}"));
    }
    if let Some(n) = c.min_items {
        v.push(format!("min items {n}"));
    }
    if let Some(n) = c.max_items {
        v.push(format!("max items {n}"));
    }
    if c.unique_items {
        v.push("unique items".to_owned());
    }
    if let Some(n) = c.min_properties {
        v.push(format!("min properties {n}"));
    }
    if let Some(n) = c.max_properties {
        v.push(format!("max properties {n}"));
    }
    v
}

fn bound(name: &str, b: Bound) -> String {
    if b.exclusive {
        format!("exclusive {name} {}", b.value)
    } else {
        format!("{name} {}", b.value)
    }
}

/// Makes schema prose safe for rustdoc without dropping it: HTML is
/// escaped, brackets cannot become intra-doc links, bare URLs are
/// wrapped, and code fences become `text` so they are never compiled.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(indent);
            if in_fence {
                out.push_str(&trimmed[..3]);
            } else {
                out.push_str(&trimmed[..3]);
                out.push_str("text");
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        out.push_str(&escape_line(line));
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_len) = bare_url_len(rest) {
            let (url, tail) = rest.split_at(url_len);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '`' => out.push('`'),
            c => out.push(c),
        }
        rest = chars.as_str();
    }
    // An odd number of backticks would open a code span across lines.
    if out.matches('`').count() % 2 == 1 {
        out = out.replace('`', "\\`");
    }
    out
}

fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']' | '`'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn html_and_brackets_cannot_break_rustdoc() {
        assert_eq!(sanitize("a <b> [c]"), "a &lt;b&gt; \\[c\\]");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(sanitize("see https://x.io/a."), "see <https://x.io/a>.");
    }

    #[test]
    fn code_fences_are_never_compiled() {
        assert_eq!(sanitize("```\nlet x;\n```"), "```text\nlet x;\n```");
    }
}
