//! Every example of a module becomes a test of the generated crate: it must
//! deserialize into its Rust type and pass `validate()`. A type that does not deserialize
//! (`deserialize = false`) has no such test: its examples are checked against the schema at
//! generation time only.
//!
//! The tests form one integration test of the crate, `tests/schema_examples/` (one file a
//! model module, and `main.rs` naming them), rather than `#[cfg(test)]` modules beside the
//! models: a unit test would make `cargo test` compile every model a second time, with
//! `cfg(test)`, while an integration test links the library that `cargo build` made. The test
//! crate imports the library's `models` and `validation` at its root, so the tests name them
//! as `crate::models` and `crate::validation`, as code inside the library does.
//!
//! An example that [`crate::ir::instance`] finds invalid is reported at
//! generation time and left out here, so the generated tests always pass
//! for a correct crate.

use super::checks::{is_alias, shape_checks, Statics};
use super::code::{self, Code};
use super::repr::shape_type;
use super::HEADER;
use crate::emit::File;
use crate::ir::instance::{self, Against, Keyword};
use crate::ir::{Model, Module, Shape, TypeDef, TypeKind, Union};
use heck::ToSnakeCase;
use std::collections::BTreeSet;

/// The folder of the example tests, under the crate's `tests/`.
pub const FOLDER: &str = "tests/schema_examples";

/// `tests/schema_examples/<module>.rs`: the example tests of one model module, or `None`
/// when it has none.
pub fn file(module: &Module, model: &Model, deprecated: bool) -> Option<File> {
    let mut statics = Statics::default();
    let mut tests = Code::new();
    let mut names = BTreeSet::new();
    for def in module.types.iter().filter_map(|id| model.get(*id)) {
        for claim in instance::claims(def) {
            let Keyword::Example { index } = claim.keyword else {
                continue;
            };
            if !claim.check(model).is_empty() {
                continue;
            }
            let readable = match claim.against {
                Against::Def(def) => def.extras.serde.deserialize,
                Against::Shape(shape) => deserializes(shape, model),
            };
            if !readable {
                continue;
            }
            let mut what = def.name.clone();
            let mut name = def.name.to_snake_case();
            if let Some(field) = claim.field {
                what = format!("{what}.{}", field.wire_name);
                name = format!("{name}_{}", field.rust_name.trim_start_matches("r#"));
            }
            if claim.items {
                what.push_str(" items");
                name.push_str("_items");
            }
            name.push_str("_example");
            if index > 0 {
                name = format!("{name}_{}", index + 1);
            }
            while !names.insert(name.clone()) {
                name.push('_');
            }
            // `what` goes into format strings.
            let what = what.replace('{', "{{").replace('}', "}}");
            let json = code::raw_string(&serde_json::to_string(claim.value).unwrap_or_default());
            tests.blank();
            tests.line(&format!(
                "/// The example of `{what}` deserializes and validates."
            ));
            tests.line("#[test]");
            tests.open(&format!("fn {name}() {{"));
            match claim.against {
                Against::Def(def) => def_test(&mut tests, def, &json, &what, model),
                Against::Shape(shape) => {
                    shape_test(&mut tests, shape, &json, &what, model, &mut statics);
                }
            }
            tests.close("}");
        }
    }
    for def in module.types.iter().filter_map(|id| model.get(*id)) {
        if let TypeKind::Union(u) = &def.kind {
            snippets_test(&mut tests, def, u, model, &mut names);
        }
    }
    if names.is_empty() {
        return None;
    }
    let mut c = Code::new();
    c.line(HEADER);
    let first = module.types.first().and_then(|id| model.get(*id));
    let about = match first {
        Some(d) if module.shared => format!("the shared shape `{}`", d.name),
        Some(d) => format!("the `{}` model", d.schema_name),
        None => format!("the `{}` model", module.name),
    };
    c.inner_doc_lines(&[format!(
        "The examples of {about}, each checked against its type."
    )]);
    if deprecated {
        c.line("#![allow(deprecated)]");
    }
    c.blank();
    // Snippets may build types of other modules (a branch's inline enum).
    c.line("#[allow(unused_imports)]");
    c.line("use crate::models::*;");
    if !statics.is_empty() {
        c.blank();
        statics.write(&mut c);
    }
    let mut text = c.finish();
    text.push_str(&tests.finish());
    Some(File::new(
        format!("{FOLDER}/{}", file_name(&module.name)),
        text,
    ))
}

/// The file of a module's example tests: `<module>.rs`, except for a model module named
/// `main`, whose name the test crate's root takes.
fn file_name(module: &str) -> String {
    if module == "main" {
        "model_main.rs".to_owned()
    } else {
        format!("{module}.rs")
    }
}

/// `tests/schema_examples/main.rs`: the test crate's root, which imports the library's
/// `models` and `validation` and names each module's tests, behind the module's feature.
pub fn main_file(crate_name: &str, modules: &[(&str, Vec<&str>)]) -> File {
    let lib = crate_name.replace('-', "_");
    let mut c = Code::new();
    c.line(HEADER);
    c.inner_doc_lines(&[
        "The schemas' examples, each deserialized and validated as its type, and the snippets"
            .to_owned(),
        "of the unions' docs pages, each built.".to_owned(),
    ]);
    c.blank();
    c.line("// The tests name the library's modules as code inside the library does.");
    c.line("#[allow(unused_imports)]");
    c.line(&format!("use {lib}::{{models, validation}};"));
    c.blank();
    for (module, gate) in modules {
        super::features::write_gate(&mut c, gate);
        c.line("#[rustfmt::skip]");
        let file = file_name(module);
        if file != format!("{module}.rs") {
            c.line(&format!("#[path = {}]", code::string(&file)));
        }
        c.line(&format!("mod {module};"));
    }
    File::new(format!("{FOLDER}/main.rs"), c.finish())
}

/// Whether every generated type a shape's Rust type is made of deserializes.
fn deserializes(shape: &Shape, model: &Model) -> bool {
    match &shape.ty {
        crate::ir::Ty::Named { id, .. } => {
            model.get(*id).is_some_and(|d| d.extras.serde.deserialize)
        }
        ty => ty.held().iter().all(|inner| deserializes(inner, model)),
    }
}

fn def_test(c: &mut Code, def: &crate::ir::TypeDef, json: &str, what: &str, model: &Model) {
    let name = &def.name;
    let message = code::string(&format!("the example of `{what}` is rejected: {{error}}"));
    // A plain alias has nothing to validate and may not implement `Validate`.
    let parse = match &def.kind {
        TypeKind::Newtype(_) if is_alias(def, model) => "serde_json::from_str",
        _ => "crate::validation::from_str",
    };
    c.line(&format!("let json = {json};"));
    c.open(&format!("if let Err(error) = {parse}::<{name}>(json) {{"));
    c.line(&format!("panic!({message});"));
    c.close("}");
}

fn shape_test(
    c: &mut Code,
    shape: &Shape,
    json: &str,
    what: &str,
    model: &Model,
    statics: &mut Statics,
) {
    let ty = shape_type(shape, model);
    let parse = code::string(&format!(
        "the example of `{what}` does not deserialize: {{error}}"
    ));
    let start = c.mark();
    c.line(&format!("let json = {json};"));
    c.line(&format!("let value: {ty} = serde_json::from_str(json)"));
    c.depth_in();
    c.line(&format!(".unwrap_or_else(|error| panic!({parse}));"));
    c.depth_out();
    c.line("let value = &value;");
    c.line("let path = crate::validation::Path::ROOT;");
    c.line("let errors = &mut crate::validation::ValidationErrors::new();");
    if shape_checks(c, shape, "value", model, statics) {
        let invalid = code::string(&format!("the example of `{what}` is invalid: {{errors}}"));
        c.line(&format!("assert!(errors.is_empty(), {invalid});"));
    } else {
        c.reset(start);
        c.line(&format!("let json = {json};"));
        c.open(&format!(
            "if let Err(error) = serde_json::from_str::<{ty}>(json) {{"
        ));
        c.line(&format!("panic!({parse});"));
        c.close("}");
    }
}

/// The snippets of a union's docs page, compiled: each builds the variant
/// its heading names, and a tagged variant carries its tag.
fn snippets_test(
    c: &mut Code,
    def: &TypeDef,
    u: &Union,
    model: &Model,
    names: &mut BTreeSet<String>,
) {
    let mut name = format!(
        "{}_docs_snippets_build_their_variant",
        def.name.to_snake_case()
    );
    while !names.insert(name.clone()) {
        name.push('_');
    }
    let union = &def.name;
    c.blank();
    c.line(&format!(
        "/// The snippets on the `{}` docs page compile and build the variant they name.",
        def.name
    ));
    c.line("#[test]");
    c.open(&format!("fn {name}() {{"));
    // Snippets build whole models by value; in debug builds a large model (Stripe's payment
    // intent) needs more stack than a test thread has, so they run on a thread of their own.
    c.line("let snippets = std::thread::Builder::new()");
    c.depth_in();
    c.line(".stack_size(256 * 1024 * 1024)");
    c.open(".spawn(|| {");
    for v in &u.variants {
        let text = super::snippet::union_variant(&def.name, u, v, model);
        // A type that requires itself has no value to build (its snippet says so in a comment).
        if text.contains("/*") {
            continue;
        }
        let variant = &v.name;
        c.line(&format!("let value = {text};"));
        c.line(&format!("assert!(matches!(value, {union}::{variant}(_)));"));
        // Only an object carries a tag (a mapping may name an array schema too).
        let object = match &v.shape.ty {
            crate::ir::Ty::Named { id, .. } => {
                matches!(
                    model.get(*id).map(|d| &d.kind),
                    Some(crate::ir::TypeKind::Struct(_))
                )
            }
            _ => false,
        };
        // The tag is seen in the JSON form, which a union that does not serialize lacks.
        let serializes = def.extras.serde.serialize;
        if let (Some(property), Some(tag), true, true) = (
            u.discriminator.as_deref(),
            v.tags.first(),
            object,
            serializes,
        ) {
            c.line("let json = serde_json::to_value(&value).unwrap_or_default();");
            c.call(
                "assert_eq!",
                &[
                    format!(
                        "json.get({}).and_then(serde_json::Value::as_str)",
                        code::string(property)
                    ),
                    format!("Some({})", code::string(tag)),
                ],
                ";",
            );
        }
    }
    c.close("});");
    c.depth_out();
    c.line("let finished = snippets.map(std::thread::JoinHandle::join);");
    c.line("assert!(matches!(finished, Ok(Ok(()))), \"a snippet failed\");");
    c.close("}");
}
