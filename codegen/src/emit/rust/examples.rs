//! Every example of a module becomes a test of the generated crate: it must
//! deserialize into its Rust type and pass `validate()`.
//!
//! An example that [`crate::ir::instance`] finds invalid is reported at
//! generation time and left out here, so the generated tests always pass
//! for a correct crate.

use super::checks::{needs_code, shape_checks, Statics};
use super::types::{ident, shape_type};
use crate::ir::instance::{self, Against, Keyword};
use crate::ir::{Model, Module, Shape, TypeDef, TypeKind, Union};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// `#[cfg(test)] mod examples { ... }` for a module, or nothing when it has no examples.
pub fn tests(module: &Module, model: &Model, statics: &mut Statics) -> TokenStream {
    let mut names = BTreeSet::new();
    let mut tests = Vec::new();
    for def in module.types.iter().filter_map(|id| model.get(*id)) {
        for claim in instance::claims(def) {
            let Keyword::Example { index } = claim.keyword else {
                continue;
            };
            if !claim.check(model).is_empty() {
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
            let json = raw_string(&serde_json::to_string(claim.value).unwrap_or_default());
            let body = match claim.against {
                Against::Def(def) => def_test(def, &json, &what, model),
                Against::Shape(shape) => shape_test(shape, &json, &what, model, statics),
            };
            let doc = format!(" The example of `{what}` deserializes and validates.");
            let fname = format_ident!("{}", name);
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #fname() {
                    #body
                }
            });
        }
    }
    for def in module.types.iter().filter_map(|id| model.get(*id)) {
        if let TypeKind::Union(u) = &def.kind {
            tests.push(snippets_test(def, u, model, &mut names));
        }
    }
    if tests.is_empty() {
        return quote!();
    }
    let tests = quote!(#(#tests)*);
    let import = if names_from_parent(tests.clone()) {
        // Snippets may build types of other modules (a branch's inline enum), which the
        // model module itself does not import.
        quote!(
            use super::*;
            #[allow(unused_imports)]
            use crate::models::*;
        )
    } else {
        quote!()
    };
    quote! {
        /// The schema's examples, each checked against its type.
        #[cfg(test)]
        mod examples {
            #import

            #tests
        }
    }
}

fn def_test(
    def: &crate::ir::TypeDef,
    json: &TokenStream,
    what: &str,
    model: &Model,
) -> TokenStream {
    let name = ident(&def.name);
    let message = format!("the example of `{what}` is rejected: {{error}}");
    match &def.kind {
        // A plain alias has nothing to validate and may not implement `Validate`.
        TypeKind::Newtype(shape) if !needs_code(shape, model) => quote! {
            if let Err(error) = serde_json::from_str::<#name>(#json) {
                panic!(#message);
            }
        },
        _ => quote! {
            if let Err(error) = crate::validation::from_str::<#name>(#json) {
                panic!(#message);
            }
        },
    }
}

fn shape_test(
    shape: &Shape,
    json: &TokenStream,
    what: &str,
    model: &Model,
    statics: &mut Statics,
) -> TokenStream {
    let ty = shape_type(shape, model);
    let parse = format!("the example of `{what}` does not deserialize: {{error}}");
    let checks = shape_checks(shape, quote!(value), model, statics);
    if checks.is_empty() {
        return quote! {
            if let Err(error) = serde_json::from_str::<#ty>(#json) {
                panic!(#parse);
            }
        };
    }
    let invalid = format!("the example of `{what}` is invalid: {{errors}}");
    quote! {
        let value: #ty = serde_json::from_str(#json).unwrap_or_else(|error| panic!(#parse));
        let value = &value;
        let path = crate::validation::Path::ROOT;
        let errors = &mut crate::validation::ValidationErrors::new();
        #checks
        assert!(errors.is_empty(), #invalid);
    }
}

/// `text` as a raw string literal (`r#"..."#`), so JSON reads as written.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    literal.parse().unwrap_or_else(|_| quote!(#text))
}

/// The snippets of a union's docs page, compiled: each builds the variant
/// its heading names, and a tagged variant carries its tag.
fn snippets_test(
    def: &TypeDef,
    u: &Union,
    model: &Model,
    names: &mut BTreeSet<String>,
) -> TokenStream {
    let mut name = format!(
        "{}_docs_snippets_build_their_variant",
        def.name.to_snake_case()
    );
    while !names.insert(name.clone()) {
        name.push('_');
    }
    let fname = format_ident!("{}", name);
    let union = ident(&def.name);
    let checks = u.variants.iter().filter_map(|v| {
        let text = crate::emit::docs::snippet::union_variant(&def.name, u, v, model);
        // A type that requires itself has no value to build (its snippet says so in a comment).
        let value: TokenStream = text.parse().ok().filter(|_| !text.contains("/*"))?;
        let variant = ident(&v.name);
        let tag = u.discriminator.as_deref().zip(v.tags.first());
        Some(match tag {
            Some((property, tag)) => quote! {
                let value = #value;
                assert!(matches!(value, #union::#variant(_)));
                let json = serde_json::to_value(&value).unwrap_or_default();
                assert_eq!(json.get(#property).and_then(serde_json::Value::as_str), Some(#tag));
            },
            None => quote! {
                let value = #value;
                assert!(matches!(value, #union::#variant(_)));
            },
        })
    });
    let doc = format!(
        " The snippets on the `{}` docs page compile and build the variant they name.",
        def.name
    );
    // Snippets build whole models by value; in debug builds a large model (Stripe's payment
    // intent) needs more stack than a test thread has, so they run on a thread of their own.
    quote! {
        #[doc = #doc]
        #[test]
        fn #fname() {
            let snippets = std::thread::Builder::new()
                .stack_size(256 * 1024 * 1024)
                .spawn(|| {
                    #(#checks)*
                });
            let finished = snippets.map(std::thread::JoinHandle::join);
            assert!(matches!(finished, Ok(Ok(()))), "a snippet failed");
        }
    }
}

/// Names the Rust prelude gives every module.
const PRELUDE: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box",
];

/// Whether the tests name something of the model's module: a type or a
/// static, written as the first segment of a path (`Pet::Cat`, `PATTERN_1`).
fn names_from_parent(tokens: TokenStream) -> bool {
    use proc_macro2::TokenTree;
    let mut after_colons = false;
    let mut colons = 0;
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                if names_from_parent(group.stream()) {
                    return true;
                }
                after_colons = false;
                colons = 0;
            }
            TokenTree::Punct(p) if p.as_char() == ':' => {
                colons += 1;
                after_colons = colons >= 2;
            }
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let upper = name.starts_with(|c: char| c.is_ascii_uppercase());
                if upper && !after_colons && !PRELUDE.contains(&name.as_str()) {
                    return true;
                }
                after_colons = false;
                colons = 0;
            }
            _ => {
                after_colons = false;
                colons = 0;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::names_from_parent;
    use quote::quote;

    #[test]
    fn the_parent_is_imported_only_when_a_test_names_its_types_or_statics() {
        assert!(names_from_parent(quote!(let value = Pet::Cat(Cat::new());)));
        assert!(names_from_parent(quote!(matches(
            value,
            PATTERN_1.as_ref()
        ))));
        assert!(!names_from_parent(
            quote!(serde_json::from_str::<Option<Vec<String>>>("[]"); crate::validation::Path::ROOT)
        ));
    }
}
