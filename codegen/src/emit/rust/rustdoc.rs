//! Rustdoc text for types, fields and variants: title, description,
//! constraints and examples, made safe for rustdoc.

use crate::emit::wording::{self, code_span};
use crate::ir::{Checks, Docs, Model, Ty, UnionVariant};

/// Doc comment lines for `docs` plus a constraint summary.
/// `fallback` stands in when the schema gives no words at all.
pub fn lines(docs: &Docs, checks: Option<&Checks>, fallback: &str) -> Vec<String> {
    let mut lines = text(docs, checks);
    // A blank title or description (`description: ""`) says nothing either.
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    if blank(&docs.title) && blank(&docs.description) {
        if !lines.is_empty() {
            lines.insert(0, String::new());
        }
        lines.insert(0, fallback.to_owned());
    }
    lines
}

/// Doc comment lines for a union variant: what it holds (with the first
/// line of that type's words) and, for a tagged union, which tags select it.
pub fn union_variant(
    variant: &UnionVariant,
    discriminator: Option<&str>,
    model: &Model,
) -> Vec<String> {
    let mut lines = Vec::new();
    let held = match &variant.shape.ty {
        Ty::Named { id, .. } => model.get(*id),
        _ => None,
    };
    match held {
        Some(def) => {
            lines.push(format!("A [`{}`].", def.name));
            if let Some(summary) = wording::summary(&def.docs) {
                lines.push(String::new());
                lines.push(sanitize(summary));
            }
        }
        None => lines.push(format!("The `{}` branch.", variant.name)),
    }
    if let (Some(property), false) = (discriminator, variant.tags.is_empty()) {
        let tags: Vec<String> = variant.tags.iter().map(|t| code_span(t)).collect();
        lines.push(String::new());
        lines.push(format!(
            "Selected when `{property}` is {}.",
            tags.join(" or ")
        ));
    }
    lines
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
    if let Some(line) = wording::constraint_line(docs, checks) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(line);
    }
    // An array without examples of its own shows its items' (as the Markdown docs do).
    let (label, examples) = if docs.examples.is_empty() {
        ("Example item:", &docs.item_examples)
    } else {
        ("Example:", &docs.examples)
    };
    for example in examples {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(label.to_owned());
        out.push("```json".to_owned());
        let json = serde_json::to_string_pretty(example).unwrap_or_default();
        out.extend(json.lines().map(str::to_owned));
        out.push("```".to_owned());
    }
    out
}

/// Makes schema prose safe for rustdoc without dropping any of it.
///
/// - Raw HTML is escaped (`<b>` shows as written), except `<https://..>` autolinks.
/// - Brackets are escaped so `[name]` is not read as an intra-doc link;
///   inline links `[text](url)` are kept.
/// - Bare URLs are wrapped in `<..>`.
/// - Code spans are kept as written; a backtick that opens no span is escaped.
/// - Code blocks never run as doctests: fences without a language, or with a
///   Rust one, become `text`; indented code blocks become `text` fences.
pub fn sanitize(text: &str) -> String {
    // Tabs in doc comments are a clippy warning; four spaces keep indented code indented.
    let expanded;
    let text = if text.contains('\t') {
        expanded = text.replace('\t', "    ");
        expanded.as_str()
    } else {
        text
    };
    let mut out: Vec<String> = Vec::new();
    // The open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    let mut indented_block = false;
    let mut previous_blank = true;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some((c, n)) = fence {
            let run = trimmed.chars().take_while(|&x| x == c).count();
            if run >= n && trimmed[run * c.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            out.push(line.to_owned());
            previous_blank = false;
            continue;
        }
        let is_indented_code = line.starts_with("    ") || line.starts_with('\t');
        if indented_block {
            if is_indented_code || trimmed.is_empty() {
                out.push(line.to_owned());
                continue;
            }
            close_indented(&mut out);
            indented_block = false;
        }
        if let Some((c, n, info)) = fence_open(trimmed) {
            fence = Some((c, n));
            let marker: String = std::iter::repeat_n(c, n).collect();
            if names_a_language(info) {
                out.push(format!("{indent}{marker}{}", code_language(info)));
            } else {
                // Text written right after the fence (`` ```<a> ::= <b> ``) is no language
                // rustdoc knows: keep it as the block's first line.
                out.push(format!("{indent}{marker}text"));
                out.push(format!("{indent}{info}"));
            }
            previous_blank = false;
            continue;
        }
        if is_indented_code && previous_blank && !trimmed.is_empty() {
            out.push("```text".to_owned());
            out.push(line.to_owned());
            indented_block = true;
            continue;
        }
        previous_blank = trimmed.is_empty();
        out.push(escape_line(line));
    }
    if indented_block {
        close_indented(&mut out);
    }
    if let Some((c, n)) = fence {
        out.push(std::iter::repeat_n(c, n).collect());
    }
    out.join("\n")
}

/// Closes a `text` fence opened for an indented code block, before its trailing blank lines.
fn close_indented(out: &mut Vec<String>) {
    let blanks = out.iter().rev().take_while(|l| l.trim().is_empty()).count();
    let at = out.len() - blanks;
    out.insert(at, "```".to_owned());
}

/// A fence opening: its character, length and info string.
fn fence_open(trimmed: &str) -> Option<(char, usize, &str)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|&x| x == c).count();
    let info = trimmed[n..].trim();
    // A backtick fence's info string may not hold a backtick (that is a code span).
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n, info))
}

/// Whether a fence's info string starts with something that can be a language name.
fn names_a_language(info: &str) -> bool {
    let first = info.split([',', ' ']).next().unwrap_or("");
    first
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
}

/// The info string for a fence: `text` where rustdoc would compile the block.
fn code_language(info: &str) -> &str {
    const RUST: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
        "standalone_crate",
    ];
    let first = info.split([',', ' ']).next().unwrap_or("");
    if first.is_empty() || RUST.contains(&first) {
        "text"
    } else {
        info
    }
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(url_len) = bare_url_len(rest) {
            let (url, tail) = rest.split_at(url_len);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = tail;
            continue;
        }
        if c == '`' {
            let run = rest.chars().take_while(|&x| x == '`').count();
            let delimiter = &rest[..run];
            match rest[run..]
                .find(delimiter)
                .filter(|&end| !rest[run + end + run..].starts_with('`'))
            {
                // A code span: kept exactly.
                Some(end) => {
                    let span = run + end + run;
                    out.push_str(&rest[..span]);
                    rest = &rest[span..];
                }
                None => {
                    for _ in 0..run {
                        out.push_str("\\`");
                    }
                    rest = &rest[run..];
                }
            }
            continue;
        }
        if c == '<' {
            if let Some(end) = autolink_len(rest) {
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
        }
        if c == '[' {
            if let Some(len) = inline_link_len(rest) {
                let (text_part, target) = rest[..len].split_at(rest[..len].find("](").unwrap_or(0));
                out.push('[');
                out.push_str(&escape_line(&text_part[1..]));
                out.push_str(target);
                rest = &rest[len..];
                continue;
            }
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of `<scheme://...>` at the start of `s`.
fn autolink_len(s: &str) -> Option<usize> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    let ok = (inner.starts_with("http://")
        || inner.starts_with("https://")
        || inner.starts_with("mailto:"))
        && !inner.contains(|c: char| c.is_whitespace() || c == '<');
    ok.then_some(end + 1)
}

/// The length of an inline link `[text](url)` at the start of `s`, with no
/// nested brackets in the text and no spaces in the URL.
fn inline_link_len(s: &str) -> Option<usize> {
    let close = s.find(']')?;
    if s[1..close].contains('[') || !s[close..].starts_with("](") {
        return None;
    }
    let url_end = s[close + 2..].find(')')? + close + 2;
    let url = &s[close + 2..url_end];
    (!url.is_empty() && !url.contains(char::is_whitespace) && !url.contains('('))
        .then_some(url_end + 1)
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
    use super::{sanitize, Docs};

    #[test]
    fn a_blank_description_gets_the_fallback_doc() {
        let docs = Docs {
            description: Some(String::new()),
            ..Docs::default()
        };
        let lines = super::lines(&docs, None, "The `events` property.");
        assert_eq!(lines, ["The `events` property."]);
    }

    #[test]
    fn html_and_brackets_cannot_break_rustdoc() {
        assert_eq!(sanitize("a <b> [c]"), "a &lt;b&gt; \\[c\\]");
        assert_eq!(
            sanitize("see [1] and [a][b]"),
            "see \\[1\\] and \\[a\\]\\[b\\]"
        );
    }

    #[test]
    fn inline_links_and_autolinks_are_kept() {
        assert_eq!(
            sanitize("read [the guide](https://x.io/g) or <https://x.io>"),
            "read [the guide](https://x.io/g) or <https://x.io>"
        );
        assert_eq!(
            sanitize("[a <b>](https://x.io)"),
            "[a &lt;b&gt;](https://x.io)"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(sanitize("see https://x.io/a."), "see <https://x.io/a>.");
    }

    #[test]
    fn code_spans_are_kept_as_written() {
        assert_eq!(sanitize("a `Vec<[u8]>` b"), "a `Vec<[u8]>` b");
        assert_eq!(sanitize("a ``x ` y`` b"), "a ``x ` y`` b");
    }

    #[test]
    fn unbalanced_backticks_are_escaped() {
        assert_eq!(sanitize("it`s <x>"), "it\\`s &lt;x&gt;");
        assert_eq!(sanitize("a `b` c`"), "a `b` c\\`");
    }

    #[test]
    fn code_fences_are_never_compiled() {
        assert_eq!(sanitize("```\nlet x;\n```"), "```text\nlet x;\n```");
        assert_eq!(sanitize("```rust,ignore\nx\n```"), "```text\nx\n```");
        assert_eq!(sanitize("~~~~\n<b>\n~~~~"), "~~~~text\n<b>\n~~~~");
    }

    #[test]
    fn fences_with_another_language_keep_it_and_their_contents() {
        assert_eq!(
            sanitize("```json\n{\"a\": [1]}\n```"),
            "```json\n{\"a\": [1]}\n```"
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(sanitize("```\n<x>"), "```text\n<x>\n```");
    }

    #[test]
    fn indented_code_blocks_become_text_fences() {
        assert_eq!(
            sanitize("Run:\n\n    cargo [x]\n\nDone."),
            "Run:\n\n```text\n    cargo [x]\n```\n\nDone."
        );
    }

    #[test]
    fn tables_are_left_to_markdown() {
        let table = "| a | b |\n| - | - |\n| 1 | 2 |";
        assert_eq!(sanitize(table), table);
    }

    #[test]
    fn union_variants_name_what_they_hold_and_the_tags_that_select_them() {
        use crate::ir::{Model, Origin, Shape, Ty, TypeDef, TypeId, TypeKind, UnionVariant};
        let cat = TypeDef {
            name: "Cat".into(),
            schema_name: "Cat".into(),
            origin: Origin::default(),
            docs: Docs {
                description: Some("A <small> cat.\nMore.".into()),
                ..Docs::default()
            },
            kind: TypeKind::Newtype(Shape::plain(Ty::Any)),
            nullable_alias: None,
            extras: crate::ir::Extras::default(),
        };
        let model = Model {
            types: vec![cat],
            ..Model::default()
        };
        let variant = UnionVariant {
            name: "Cat".into(),
            shape: Shape::plain(Ty::Named {
                id: TypeId(0),
                boxed: false,
            }),
            tags: vec!["cat".into(), "kitten".into()],
        };
        let docs = super::union_variant(&variant, Some("kind"), &model);
        assert_eq!(
            docs,
            [
                "A [`Cat`].",
                "",
                "A &lt;small&gt; cat.",
                "",
                "Selected when `kind` is `cat` or `kitten`."
            ]
        );
    }

    #[test]
    fn tabs_become_spaces_so_clippy_accepts_the_doc() {
        let out = sanitize("a\tb");
        assert!(!out.contains('\t'), "{out}");
        assert!(out.contains("a    b"), "{out}");
    }

    #[test]
    fn text_after_an_opening_fence_that_is_no_language_stays_in_the_block() {
        let out = sanitize("```<q> ::= <n><s>\nmore\n```");
        assert_eq!(out, "```text\n<q> ::= <n><s>\nmore\n```");
    }
}
