//! Emit Markdown: one page per model in the seed's layout, from minijinja templates.

pub mod table;

use super::File;
use crate::ir::{Docs, EnumRepr, FloatKind, IntKind, Model, Shape, Ty, TypeDef, TypeKind, Typed};
use minijinja::{context, Environment};
use serde::Serialize;
use serde_json::Value;

const MODEL_TEMPLATE: &str = include_str!("templates/model.md.j2");

#[derive(Serialize)]
struct Section {
    title: String,
    body: String,
}

/// Every page under `docs/models/`.
pub fn emit(model: &Model) -> Result<Vec<File>, String> {
    let mut env = Environment::new();
    env.add_template("model.md", MODEL_TEMPLATE)
        .map_err(|e| format!("bad docs template: {e}"))?;
    let template = env
        .get_template("model.md")
        .map_err(|e| format!("bad docs template: {e}"))?;
    let mut files = Vec::with_capacity(model.types.len());
    for def in &model.types {
        let sections = sections(def, model);
        let page = template
            .render(context! {
                name => def.name,
                description => description(def),
                sections => sections,
            })
            .map_err(|e| format!("rendering docs for {}: {e}", def.name))?;
        files.push(File::new(format!("docs/models/{}.md", def.name), page));
    }
    Ok(files)
}

fn description(def: &TypeDef) -> String {
    def.docs.description.clone().unwrap_or_default()
}

fn sections(def: &TypeDef, model: &Model) -> Vec<Section> {
    match &def.kind {
        TypeKind::Struct(s) => {
            let with_examples = s.fields.iter().any(|f| example_of(&f.docs).is_some());
            let mut header = vec!["Field", "Type", "Required", "Description"];
            if with_examples {
                header.push("Example");
            }
            let rows: Vec<Vec<String>> = s
                .fields
                .iter()
                .map(|f| {
                    let name = if f.docs.deprecated {
                        format!("~~`{}`~~", f.wire_name)
                    } else {
                        format!("`{}`", f.wire_name)
                    };
                    let mut row = vec![
                        name,
                        type_cell(&f.shape, model),
                        if f.required { ":heavy_check_mark:" } else { ":heavy_minus_sign:" }.to_owned(),
                        f.docs
                            .description
                            .clone()
                            .filter(|d| !d.trim().is_empty())
                            .unwrap_or_else(|| "N/A".to_owned()),
                    ];
                    if with_examples {
                        row.push(example_of(&f.docs).unwrap_or_default());
                    }
                    row
                })
                .collect();
            vec![Section {
                title: "Fields".into(),
                body: table::render(&header, &rows),
            }]
        }
        TypeKind::Enum(e) => {
            let rows: Vec<Vec<String>> = e
                .variants
                .iter()
                .map(|v| {
                    let value = match (&v.value, e.repr) {
                        (Value::String(s), EnumRepr::String) => s.clone(),
                        (other, _) => other.to_string(),
                    };
                    vec![format!("`{}`", v.name), value]
                })
                .collect();
            vec![Section {
                title: "Values".into(),
                body: table::render(&["Name", "Value"], &rows),
            }]
        }
        TypeKind::Union(u) => {
            let body = u
                .variants
                .iter()
                .map(|v| {
                    let ty = super::rust::types::shape_type(&v.shape, model).to_string().replace(' ', "");
                    format!(
                        "### `{}`\n\n```rust\nlet value = {}::{}(/* {} */);\n```",
                        v.name, def.name, v.name, ty
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n");
            vec![Section {
                title: "Supported Types".into(),
                body,
            }]
        }
        TypeKind::Newtype(shape) => vec![Section {
            title: "Type".into(),
            body: type_cell(shape, model),
        }],
    }
}

/// The Type column: Rust types, primitives in italics, models as links.
pub fn type_cell(shape: &Shape, model: &Model) -> String {
    let inner = match &shape.ty {
        Ty::Any => "*serde_json::Value*".to_owned(),
        Ty::Bool => "*bool*".to_owned(),
        Ty::Int(IntKind::I32) => "*i32*".to_owned(),
        Ty::Int(IntKind::I64) => "*i64*".to_owned(),
        Ty::Float(FloatKind::F32) => "*f32*".to_owned(),
        Ty::Float(FloatKind::F64) => "*f64*".to_owned(),
        Ty::String => "*String*".to_owned(),
        Ty::Typed(Typed::DateTime) => "*chrono::DateTime<FixedOffset>*".to_owned(),
        Ty::Typed(Typed::Date) => "*chrono::NaiveDate*".to_owned(),
        Ty::Typed(Typed::Uuid) => "*uuid::Uuid*".to_owned(),
        Ty::Array(item) => format!("Vec<{}>", type_cell(item, model)),
        Ty::Map(value) => format!("BTreeMap<*String*, {}>", type_cell(value, model)),
        Ty::Named { id, .. } => match model.get(*id) {
            Some(d) => format!("[{0}]({0}.md)", d.name),
            None => "*serde_json::Value*".to_owned(),
        },
    };
    if shape.nullable {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// The Example column. An array without an example of its own shows its
/// items' example, as the seed does for `scopes`.
fn example_of(docs: &Docs) -> Option<String> {
    docs.examples
        .first()
        .or_else(|| docs.item_examples.first())
        .map(render_example)
}

/// Scalars as they are; arrays and objects as compact JSON, one element a line.
pub fn render_example(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| serde_json::to_string(i).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap_or_default(), serde_json::to_string(v).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
