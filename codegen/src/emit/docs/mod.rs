//! Emit Markdown: one page per model in the seed's layout, and an index
//! page, from minijinja templates.

pub mod cells;
pub mod table;

use super::rust::snippet;
use super::File;
use crate::ir::{
    Additional, EnumRepr, EnumVariant, Model, Shape, Struct, Ty, TypeDef, TypeKind, Union,
    UnionMode,
};
use cells::{example_of, link, type_cell};
use minijinja::{context, Environment};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

const MODEL_TEMPLATE: &str = include_str!("templates/model.md.j2");
const INDEX_TEMPLATE: &str = include_str!("templates/index.md.j2");

#[derive(Serialize)]
struct Section {
    title: String,
    body: String,
}

#[derive(Serialize)]
struct Edge {
    from: String,
    to: String,
}

/// Every page: `docs/models/<Model>.md` and the index `docs/README.md`.
pub fn emit(model: &Model) -> Result<Vec<File>, String> {
    let mut env = Environment::new();
    env.add_template("model.md", MODEL_TEMPLATE)
        .map_err(|e| format!("bad docs template: {e}"))?;
    env.add_template("index.md", INDEX_TEMPLATE)
        .map_err(|e| format!("bad docs template: {e}"))?;
    let template = env
        .get_template("model.md")
        .map_err(|e| format!("bad docs template: {e}"))?;
    // Pages are rendered on every core: each worker takes a contiguous run of types, and
    // the runs are joined in order, so the output does not depend on scheduling.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let per_worker = model.types.len().div_ceil(workers).max(1);
    let template = &template;
    let runs: Vec<Result<Vec<File>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = model
            .types
            .chunks(per_worker)
            .map(|run| {
                scope.spawn(move || {
                    run.iter()
                        .map(|def| page(template, def, model))
                        .collect::<Result<Vec<File>, String>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a docs emitter thread panicked".to_owned()))
            })
            .collect()
    });
    let mut files = Vec::with_capacity(model.types.len() + model.replaced.len() + 1);
    for run in runs {
        files.extend(run?);
    }
    let mut replaced_rows = Vec::new();
    for replaced in &model.replaced {
        let (name, page) = replaced_page(template, replaced, &files)?;
        files.push(page);
        replaced_rows.push(vec![
            format!("[{name}](models/{name}.md)"),
            format!("Replaced by `{}`", replaced.external.path),
        ]);
    }
    files.push(File::new(
        "docs/README.md",
        index(model, &replaced_rows, &env)?,
    ));
    Ok(files)
}

/// The page of one type.
fn page(
    template: &minijinja::Template<'_, '_>,
    def: &TypeDef,
    model: &Model,
) -> Result<File, String> {
    let page = template
        .render(context! {
            name => def.name,
            description => description(def),
            sections => sections(def, model),
        })
        .map_err(|e| format!("rendering docs for {}: {e}", def.name))?;
    Ok(File::new(format!("docs/models/{}.md", def.name), page))
}

/// The page of a schema replaced by a type from outside the crate: its words, and what
/// replaces it. Named as its type would have been, unless a generated type has that name.
fn replaced_page(
    template: &minijinja::Template<'_, '_>,
    replaced: &crate::ir::Replaced,
    pages: &[File],
) -> Result<(String, File), String> {
    let mut name = crate::ir::names::type_name(&replaced.schema_name, "Model");
    while pages
        .iter()
        .any(|f| f.path == format!("docs/models/{name}.md"))
    {
        name.push_str("Schema");
    }
    let def = TypeDef {
        name: name.clone(),
        schema_name: replaced.schema_name.clone(),
        origin: replaced.origin.clone(),
        docs: replaced.docs.clone(),
        kind: TypeKind::Newtype(Shape::plain(Ty::External(Box::new(
            replaced.external.clone(),
        )))),
        nullable_alias: None,
        extras: Default::default(),
    };
    let external = &replaced.external;
    let validation = if external.validates {
        "Its constraints are that type's to check: it implements `Validate`, and `validate()` of the models holding it calls it."
    } else {
        "`validate()` does not check its constraints (`validate = false`): a value is valid once it parses."
    };
    let body = format!(
        "Not generated: every use of the `{}` schema is `{}` (named by {}). {validation}",
        replaced.schema_name, external.path, replaced.source
    );
    let page = template
        .render(context! {
            name => name,
            description => description(&def),
            sections => vec![Section { title: "Replaced".to_owned(), body }],
        })
        .map_err(|e| format!("rendering docs for {name}: {e}"))?;
    let file = File::new(format!("docs/models/{name}.md"), page);
    Ok((name, file))
}

/// The index: every model with the first line of its words (then the replaced schemas), and a graph of
/// which model uses which.
fn index(
    model: &Model,
    replaced_rows: &[Vec<String>],
    env: &Environment<'_>,
) -> Result<String, String> {
    let rows: Vec<Vec<String>> = model
        .types
        .iter()
        .map(|d| {
            vec![
                format!("[{0}](models/{0}.md)", d.name),
                cells::summary(&d.docs),
            ]
        })
        .chain(replaced_rows.iter().cloned())
        .collect();
    let mut edges = BTreeSet::new();
    for def in &model.types {
        let mut used = Vec::new();
        named_in(&def.kind, &mut used);
        for id in used {
            if let Some(to) = model.get(id) {
                edges.insert((def.name.clone(), to.name.clone()));
            }
        }
    }
    let graph: Vec<Edge> = edges
        .into_iter()
        .map(|(from, to)| Edge { from, to })
        .collect();
    env.get_template("index.md")
        .and_then(|t| {
            t.render(context! {
                table => table::render(&["Model", "Summary"], &rows),
                graph => graph,
            })
        })
        .map_err(|e| format!("rendering the docs index: {e}"))
}

/// The types a type's definition holds (not its checks), in declaration order.
fn named_in(kind: &TypeKind, out: &mut Vec<crate::ir::TypeId>) {
    kind.walk_stored(&mut |shape| {
        if let Ty::Named { id, .. } = shape.ty {
            out.push(id);
        }
    });
}

/// The words under the page title: title, description, deprecation.
fn description(def: &TypeDef) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(title) = def.docs.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("**{}**", title.trim()));
    }
    if let Some(desc) = def
        .docs
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        parts.push(cells::prose(desc.trim_end()));
    }
    if def.docs.deprecated {
        parts.push("**Deprecated.**".to_owned());
    }
    if let Some(alias) = &def.nullable_alias {
        parts.push(format!(
            "The schema also accepts `null`: its Rust type is `{alias}`, that is `Option<{}>`.",
            def.name
        ));
    }
    parts.join("\n\n")
}

fn sections(def: &TypeDef, model: &Model) -> Vec<Section> {
    let mut sections = kind_sections(def, model);
    if let Some(example) = def.docs.examples.first() {
        let json = serde_json::to_string_pretty(example).unwrap_or_default();
        sections.push(Section {
            title: "Example".into(),
            body: format!("```json\n{json}\n```"),
        });
    }
    sections
}

fn kind_sections(def: &TypeDef, model: &Model) -> Vec<Section> {
    match &def.kind {
        TypeKind::Struct(s) => vec![fields(def, s, model)],
        TypeKind::Enum(e) => {
            // A Description column where the schema describes a value.
            let described = e.variants.iter().any(|v| v.description.is_some());
            let rows: Vec<Vec<String>> = e
                .variants
                .iter()
                // Every field is named, so that a new one is shown or said to be elsewhere.
                .map(
                    |EnumVariant {
                         name,
                         value,
                         description,
                     }| {
                        let value = match (value, e.repr) {
                            (Value::String(s), EnumRepr::String) => s.clone(),
                            (other, _) => other.to_string(),
                        };
                        let mut row = vec![format!("`{name}`"), value];
                        if described {
                            row.push(description.as_deref().unwrap_or("").trim_end().to_owned());
                        }
                        row
                    },
                )
                .collect();
            let header: &[&str] = if described {
                &["Name", "Value", "Description"]
            } else {
                &["Name", "Value"]
            };
            let mut body = table::render(header, &rows);
            if e.open {
                body.push_str("\n\nValues not listed here are kept as they came, in `Other`.");
            }
            vec![Section {
                title: "Values".into(),
                body,
            }]
        }
        TypeKind::Union(u) => vec![Section {
            title: "Supported Types".into(),
            body: union_body(def, u, model),
        }],
        TypeKind::Newtype(shape) => {
            let mut body = type_cell(shape, model);
            for line in cells::shape_rules(&def.docs, shape, model) {
                body.push_str("\n\n");
                body.push_str(&line);
            }
            vec![Section {
                title: "Type".into(),
                body,
            }]
        }
    }
}

/// The `## Fields` table; the Example column only when some field has one. Below it, what
/// happens to properties not listed, and what `validate()` checks on the whole object.
fn fields(def: &TypeDef, s: &Struct, model: &Model) -> Section {
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
                if f.required {
                    ":heavy_check_mark:"
                } else {
                    ":heavy_minus_sign:"
                }
                .to_owned(),
                cells::description_cell(f, model),
            ];
            if with_examples {
                row.push(example_of(&f.docs).unwrap_or_default());
            }
            row
        })
        .collect();
    let mut body = table::render(&header, &rows);
    match &s.additional {
        Additional::Ignored => {}
        Additional::Denied => body.push_str("\n\nProperties not listed here are rejected."),
        Additional::Map(values) => body.push_str(&format!(
            "\n\nProperties not listed here are kept, each a {}.",
            type_cell(values, model)
        )),
    }
    for line in cells::object_rules(&def.docs, &s.checks, model) {
        body.push_str("\n\n");
        body.push_str(&line);
    }
    Section {
        title: "Fields".into(),
        body,
    }
}

/// One heading per branch, with what selects it and a snippet that builds it.
fn union_body(def: &TypeDef, u: &Union, model: &Model) -> String {
    let intro = match (&u.discriminator, u.mode) {
        (Some(property), _) => format!("The `{property}` property selects the type."),
        (None, UnionMode::OneOf) => "A value matches exactly one of these types.".to_owned(),
        (None, UnionMode::AnyOf) => {
            "A value matches at least one of these types; the first that fits is kept.".to_owned()
        }
    };
    let mut parts = vec![intro];
    for v in &u.variants {
        let mut text = format!("### `{}`\n\n", v.name);
        let what = match &v.shape.ty {
            Ty::Named { id, .. } => model.get(*id).map(|d| link(&d.name)),
            _ => None,
        }
        .unwrap_or_else(|| type_cell(&v.shape, model));
        text.push_str(&format!("Holds {what}"));
        if let (Some(property), false) = (&u.discriminator, v.tags.is_empty()) {
            let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
            text.push_str(&format!(
                ", selected when `{property}` is {}",
                tags.join(" or ")
            ));
        }
        text.push_str(".\n\n");
        let value = snippet::union_variant(&def.name, u, v, model);
        text.push_str(&format!("```rust\nlet value = {value};\n```"));
        parts.push(text);
    }
    parts.join("\n\n")
}
