//! The contents of table cells: Rust types with links, and examples.

use crate::ir::{Docs, FloatKind, Model, Shape, Ty, Typed};
use serde_json::Value;

/// The Type column: the Rust type of a use, primitives in italics and
/// generated types as links to their pages (`Vec<[Address](Address.md)>`).
///
/// `<` and `>` of library generics are backslash-escaped, because
/// `DateTime<FixedOffset>` would otherwise read as an HTML tag.
pub fn type_cell(shape: &Shape, model: &Model) -> String {
    let inner = match &shape.ty {
        Ty::Any => "*serde_json::Value*".to_owned(),
        Ty::Bool => "*bool*".to_owned(),
        Ty::Int(kind) => format!("*{}*", kind.rust()),
        Ty::Float(FloatKind::F32) => "*f32*".to_owned(),
        Ty::Float(FloatKind::F64) => "*f64*".to_owned(),
        Ty::String => "*String*".to_owned(),
        Ty::Typed(Typed::DateTime) => "*chrono::DateTime\\<chrono::FixedOffset\\>*".to_owned(),
        Ty::Typed(Typed::Date) => "*chrono::NaiveDate*".to_owned(),
        Ty::Typed(Typed::Uuid) => "*uuid::Uuid*".to_owned(),
        Ty::External(external) => format!(
            "*{}*",
            external.path.replace('<', "\\<").replace('>', "\\>")
        ),
        Ty::Array(item) => format!("Vec<{}>", type_cell(item, model)),
        Ty::Map(value) => format!("BTreeMap<*String*, {}>", type_cell(value, model)),
        Ty::Named { id, boxed } => {
            let link = match model.get(*id) {
                Some(d) => link(&d.name),
                None => "*serde_json::Value*".to_owned(),
            };
            if *boxed {
                format!("Box<{link}>")
            } else {
                link
            }
        }
    };
    if shape.nullable {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// A link from one model page to another.
pub fn link(name: &str) -> String {
    format!("[{name}]({name}.md)")
}

/// The Example column. An array without an example of its own shows its
/// items' example, as the seed does for `scopes` (`:user`).
pub fn example_of(docs: &Docs) -> Option<String> {
    docs.examples
        .first()
        .or_else(|| docs.item_examples.first())
        .map(render_example)
}

/// Scalars as they are; arrays and objects as compact JSON with a line
/// break between elements (the table turns it into `<br/>`).
pub fn render_example(v: &Value) -> String {
    let compact = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Array(items) => {
            let lines: Vec<String> = items.iter().map(compact).collect();
            format!("[\n{}\n]", lines.join(",\n"))
        }
        Value::Object(map) => {
            let lines: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", compact(&Value::String(k.clone())), compact(v)))
                .collect();
            format!("{{\n{}\n}}", lines.join(",\n"))
        }
        other => other.to_string(),
    }
}

/// The first line of a type's words, for the index.
pub fn summary(docs: &Docs) -> String {
    prose(crate::emit::rust::rustdoc::summary(docs).unwrap_or("N/A"))
}

/// Schema prose for a page: a relative link (`[text](../guide.md)`) was written for
/// the API vendor's site and leads nowhere among these pages, so it becomes its text
/// with the target beside it, in code. Absolute, root-relative and anchor links are kept.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at);
        let target_and_more = &after[2..];
        let close = target_and_more.find(')');
        let open = link_text_start(before);
        match (open, close) {
            (Some(open), Some(close)) => {
                let target = &target_and_more[..close];
                let relative = !target.is_empty()
                    && !target.contains(':')
                    && !target.starts_with('/')
                    && !target.starts_with('#')
                    && !target.contains(char::is_whitespace);
                if relative {
                    out.push_str(&before[..open]);
                    out.push_str(&before[open + 1..]);
                    out.push_str(" (");
                    out.push_str(&crate::emit::rust::rustdoc::code_span(target));
                    out.push(')');
                } else {
                    out.push_str(before);
                    out.push_str("](");
                    out.push_str(target);
                    out.push(')');
                }
                rest = &target_and_more[close + 1..];
            }
            _ => {
                out.push_str(before);
                out.push_str("](");
                rest = target_and_more;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the `[` that opens the link text ending `before` is.
fn link_text_start(before: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in before.char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => return Some(i),
            '[' => depth -= 1,
            '\n' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::IntKind;
    use serde_json::json;

    #[test]
    fn scalar_examples_render_as_written() {
        assert_eq!(render_example(&json!("org-123")), "org-123");
        assert_eq!(render_example(&json!(1577836800000_i64)), "1577836800000");
        assert_eq!(render_example(&json!(true)), "true");
    }

    #[test]
    fn array_and_object_examples_put_one_element_on_each_line() {
        assert_eq!(render_example(&json!(["a", 1])), "[\n\"a\",\n1\n]");
        assert_eq!(
            render_example(&json!({"a": {"b": [1, 2]}, "c": null})),
            "{\n\"a\": {\"b\":[1,2]},\n\"c\": null\n}"
        );
        assert_eq!(render_example(&json!([])), "[]");
    }

    #[test]
    fn array_fields_without_an_example_show_their_items_example() {
        let docs = Docs {
            item_examples: vec![json!(":user")],
            ..Docs::default()
        };
        assert_eq!(example_of(&docs).as_deref(), Some(":user"));
        let own = Docs {
            examples: vec![json!(["a"])],
            ..docs
        };
        assert_eq!(example_of(&own).as_deref(), Some("[\n\"a\"\n]"));
    }

    #[test]
    fn containers_and_nullability_read_as_the_rust_type() {
        let model = Model::default();
        let map = Shape::plain(Ty::Map(Box::new(Shape::plain(Ty::Int(IntKind::I64)))));
        assert_eq!(type_cell(&map, &model), "BTreeMap<*String*, *i64*>");
        let mut list = Shape::plain(Ty::Array(Box::new(Shape::plain(Ty::String))));
        list.nullable = true;
        assert_eq!(type_cell(&list, &model), "Option<Vec<*String*>>");
    }

    #[test]
    fn relative_links_become_text_and_other_links_stay() {
        assert_eq!(
            prose("See [the guide](../guide.md#x) and [site](https://x.io) or [top](/a)."),
            "See the guide (`../guide.md#x`) and [site](https://x.io) or [top](/a)."
        );
        assert_eq!(prose("a [b [c]](d) e"), "a b [c] (`d`) e");
        assert_eq!(prose("no link ]( here"), "no link ]( here");
        assert_eq!(prose("plain | text"), "plain | text");
    }

    #[test]
    fn summary_is_the_first_non_empty_line() {
        let docs = Docs {
            description: Some("\n  First line.\nSecond.".into()),
            ..Docs::default()
        };
        assert_eq!(summary(&docs), "First line.");
        assert_eq!(summary(&Docs::default()), "N/A");
    }
}
