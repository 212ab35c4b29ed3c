//! The contents of table cells: Rust types with links, what `validate()` enforces, and
//! examples.

use crate::emit::rust::repr::{default_accessor, field_repr};
use crate::emit::wording::{self, code_span, sentence};
use crate::ir::{Checks, Docs, Field, FloatKind, Model, Shape, Ty, Typed};
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
        Ty::Tuple(positions) => {
            let cells: Vec<String> = positions.iter().map(|p| type_cell(p, model)).collect();
            crate::emit::rust::repr::tuple_of(&cells)
        }
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

/// The Description cell of a field: its description, then one line for each of what
/// `validate()` enforces on it ([`shape_rules`]), its `default`, how `null` and absence are told
/// apart, and deprecation. `N/A` when there is nothing to say.
///
/// A field with none of these reads as its description alone.
pub fn description_cell(field: &Field, model: &Model) -> String {
    let mut lines = Vec::new();
    let description = field
        .docs
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(prose);
    lines.extend(shape_rules(&field.docs, &field.shape, model));
    if let Some(default) = &field.default {
        let value = code_span(&default.to_string());
        lines.push(match default_accessor(field, model) {
            Some(accessor) => format!(
                "Default: {value}, which `{}()` returns when the property is absent.",
                accessor.name
            ),
            None => format!("Default: {value} (documented, not applied)."),
        });
    }
    if field.required && field.presence_validated {
        let by = match (field.docs.read_only, field.docs.write_only) {
            (true, true) => None,
            (true, false) => Some("validate_response()"),
            (false, true) => Some("validate_request()"),
            (false, false) => Some("validate()"),
        };
        lines.push(match by {
            Some(by) => format!("Parsing accepts it absent (`None`); `{by}` reports it missing."),
            None => "Parsing accepts it absent (`None`).".to_owned(),
        });
    }
    if field.shape.nullable {
        lines.push(
            if field_repr(field, model).option_layers == 2 {
                "May be `null`, kept apart from absence: absent is `None`, `null` is `Some(None)`."
            } else {
                "May be `null` (`None`)."
            }
            .to_owned(),
        );
    }
    if field.docs.deprecated {
        lines.push("**Deprecated.**".to_owned());
    }
    match (description, lines.is_empty()) {
        (Some(description), true) => description,
        (Some(description), false) => format!("{}\n{}", description.trim_end(), lines.join("\n")),
        (None, false) => lines.join("\n"),
        (None, true) => "N/A".to_owned(),
    }
}

/// What `validate()` enforces on a value of `shape`, one sentence a line: first the line
/// the rustdoc writes (`Constraints: min length 1.`, direction included), word for word,
/// then the checks it does not list, with the types they name linked.
pub fn shape_rules(docs: &Docs, shape: &Shape, model: &Model) -> Vec<String> {
    let name = |s: &Shape| type_cell(s, model);
    rule_lines(docs, &shape.checks, wording::shape_phrases(shape, &name))
}

/// [`shape_rules`] for the checks on a whole object (a struct's page).
pub fn object_rules(docs: &Docs, checks: &Checks, model: &Model) -> Vec<String> {
    let name = |s: &Shape| type_cell(s, model);
    rule_lines(docs, checks, wording::phrases(checks, &name))
}

fn rule_lines(docs: &Docs, checks: &Checks, phrases: Vec<String>) -> Vec<String> {
    wording::constraint_line(docs, Some(checks))
        .into_iter()
        .chain(phrases.iter().map(|p| sentence(p)))
        .collect()
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
    prose(wording::summary(docs).unwrap_or("N/A"))
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
                    out.push_str(&code_span(target));
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

    fn field(shape: Shape) -> Field {
        Field {
            wire_name: "name".into(),
            rust_name: "name".into(),
            shape,
            required: false,
            presence_validated: false,
            default: None,
            docs: Docs::default(),
        }
    }

    fn string_of_length(max: u64) -> Shape {
        Shape {
            checks: Checks {
                max_length: Some(max),
                ..Checks::default()
            }
            .into(),
            ..Shape::plain(Ty::String)
        }
    }

    #[test]
    fn a_field_with_nothing_enforced_keeps_its_description_as_written() {
        let mut f = field(Shape::plain(Ty::String));
        f.docs.description = Some("First\n second | third\n".into());
        assert_eq!(
            description_cell(&f, &Model::default()),
            "First\n second | third\n"
        );
        f.docs.description = None;
        assert_eq!(description_cell(&f, &Model::default()), "N/A");
    }

    #[test]
    fn rules_follow_the_description_one_a_line_the_rustdoc_line_first() {
        let mut f = field(Shape {
            checks: Checks {
                applied: Some(Box::new(crate::ir::Applied {
                    not: Some(Shape::plain(Ty::Int(IntKind::I64))),
                    ..Default::default()
                })),
                ..string_of_length(5).checks.into_inner()
            }
            .into(),
            ..Shape::plain(Ty::String)
        });
        f.docs.description = Some("A name.\n".into());
        f.docs.read_only = true;
        assert_eq!(
            description_cell(&f, &Model::default()),
            "A name.\nConstraints: read-only: `validate_request()` rejects it, max length 5.\nMust not match *i64*."
        );
        f.docs.description = None;
        assert!(description_cell(&f, &Model::default()).starts_with("Constraints: read-only"));
    }

    #[test]
    fn a_default_says_whether_an_accessor_applies_it() {
        let mut f = field(Shape::plain(Ty::String));
        f.default = Some(json!("cat"));
        assert_eq!(
            description_cell(&f, &Model::default()),
            "Default: `\"cat\"`, which `name_or_default()` returns when the property is absent."
        );
        f.required = true;
        assert_eq!(
            description_cell(&f, &Model::default()),
            "Default: `\"cat\"` (documented, not applied)."
        );
    }

    #[test]
    fn null_is_told_apart_from_absence_where_the_rust_type_does() {
        let mut nullable = Shape::plain(Ty::String);
        nullable.nullable = true;
        let mut f = field(nullable);
        assert_eq!(
            description_cell(&f, &Model::default()),
            "May be `null`, kept apart from absence: absent is `None`, `null` is `Some(None)`."
        );
        f.required = true;
        assert_eq!(
            description_cell(&f, &Model::default()),
            "May be `null` (`None`)."
        );
        let mut validated = field(Shape::plain(Ty::String));
        validated.required = true;
        validated.presence_validated = true;
        assert_eq!(
            description_cell(&validated, &Model::default()),
            "Parsing accepts it absent (`None`); `validate()` reports it missing."
        );
        validated.docs.read_only = true;
        assert_eq!(
            description_cell(&validated, &Model::default()),
            "Constraints: read-only: `validate_request()` rejects it.\nParsing accepts it absent (`None`); `validate_response()` reports it missing."
        );
    }

    #[test]
    fn deprecation_is_the_last_line() {
        let mut f = field(string_of_length(2));
        f.docs.deprecated = true;
        assert_eq!(
            description_cell(&f, &Model::default()),
            "Constraints: max length 2.\n**Deprecated.**"
        );
    }

    #[test]
    fn rules_on_items_name_the_item_type_as_the_type_column_does() {
        let list = Shape::plain(Ty::Array(Box::new(string_of_length(3))));
        assert_eq!(
            shape_rules(&Docs::default(), &list, &Model::default()),
            ["Each item must match *String* (max length 3)."]
        );
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
