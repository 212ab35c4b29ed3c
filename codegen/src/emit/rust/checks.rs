//! `Validate` implementations: the checks of every shape, as code.

use super::types::{extra_field_name, field_repr, ident};
use crate::ir::{
    Additional, Bound, Checks, FloatKind, Model, Number, Shape, Struct, Ty, TypeKind, Union,
};
use crate::load::JsonType;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Regexes and JSON literals of one module, built once into statics.
#[derive(Default)]
pub struct Statics {
    patterns: Vec<(Ident, String)>,
    /// `enum` lists (`ENUM_n`, a slice) and `const` values (`CONST_n`), keyed by their JSON text.
    literals: Vec<Literal>,
}

/// A JSON value (or list) built once into a `static`.
struct Literal {
    name: Ident,
    /// `enum [...]` or `const ...`: what it holds, for reuse and docs.
    key: String,
    ty: TokenStream,
    init: TokenStream,
}

impl Statics {
    fn pattern(&mut self, source: &str) -> Ident {
        if let Some((name, _)) = self.patterns.iter().find(|(_, s)| s == source) {
            return name.clone();
        }
        let name = format_ident!("PATTERN_{}", self.patterns.len() + 1);
        self.patterns.push((name.clone(), source.to_owned()));
        name
    }

    /// A static holding the `enum` values, so validating builds no JSON.
    fn enumeration(&mut self, values: &[serde_json::Value]) -> Ident {
        let key = format!("enum {}", serde_json::Value::Array(values.to_vec()));
        let lits = values.iter().map(super::types::json_literal);
        let count = proc_macro2::Literal::usize_unsuffixed(values.len());
        let ty = quote!([serde_json::Value; #count]);
        self.literal("ENUM", key, ty, quote!([#(#lits),*]))
    }

    /// A static holding the `const` value.
    fn constant(&mut self, value: &serde_json::Value) -> Ident {
        let key = format!("const {value}");
        let lit = super::types::json_literal(value);
        self.literal("CONST", key, quote!(serde_json::Value), lit)
    }

    fn literal(&mut self, prefix: &str, key: String, ty: TokenStream, init: TokenStream) -> Ident {
        if let Some(found) = self.literals.iter().find(|l| l.key == key) {
            return found.name.clone();
        }
        let count = self
            .literals
            .iter()
            .filter(|l| l.name.to_string().starts_with(prefix))
            .count();
        let name = format_ident!("{}_{}", prefix, count + 1);
        self.literals.push(Literal {
            name: name.clone(),
            key,
            ty,
            init,
        });
        name
    }

    /// The `static` items.
    pub fn items(&self) -> TokenStream {
        let patterns = self.patterns.iter().map(|(name, source)| {
            let doc = format!(" `{}`, compiled on first use.", source.replace('`', "\\`"));
            quote! {
                #[doc = #doc]
                static #name: std::sync::LazyLock<Option<regress::Regex>> =
                    std::sync::LazyLock::new(|| crate::validation::compile(#source));
            }
        });
        let literals = self.literals.iter().map(
            |Literal {
                 name,
                 key,
                 ty,
                 init,
             }| {
                let doc = format!(" `{}`, built on first use.", key.replace('`', "\\`"));
                quote! {
                    #[doc = #doc]
                    static #name: std::sync::LazyLock<#ty> = std::sync::LazyLock::new(|| #init);
                }
            },
        );
        quote!(#(#patterns)* #(#literals)*)
    }

    /// Whether any static is used.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.literals.is_empty()
    }
}

/// Whether validating a shape does anything at all.
pub fn needs_code(shape: &Shape, model: &Model) -> bool {
    let mut statics = Statics::default();
    !shape_checks(shape, quote!(value), model, &mut statics).is_empty()
}

fn header(name: &Ident, body: TokenStream, uses_path: bool) -> TokenStream {
    let (path, errors) = if uses_path {
        (quote!(path), quote!(errors))
    } else {
        (quote!(_path), quote!(_errors))
    };
    // Checks take `&path`, as they do for the local paths of fields and items.
    let rebind = if uses_path {
        quote!(let path = *path;)
    } else {
        quote!()
    };
    quote! {
        #[allow(deprecated)]
        impl crate::validation::Validate for #name {
            fn validate_at(&self, #path: &crate::validation::Path<'_>, #errors: &mut crate::validation::ValidationErrors) {
                #rebind
                #body
            }
        }
    }
}

/// `Validate` for a struct: each field under its wire name.
pub fn struct_impl(name: &Ident, s: &Struct, model: &Model, statics: &mut Statics) -> TokenStream {
    let mut body = Vec::new();
    body.push(object_counts(&s.checks, quote!(self_len)));
    let needs_len = s.checks.min_properties.is_some() || s.checks.max_properties.is_some();
    if needs_len {
        let present = s.fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            match field_repr(f, model).option_layers {
                0 => quote!(1usize),
                _ => quote!(usize::from(self.#fname.is_some())),
            }
        });
        let extra = match &s.additional {
            Additional::Map(_) => {
                let e = extra_field_name(s);
                quote!(+ self.#e.len())
            }
            _ => quote!(),
        };
        body.insert(0, quote!(let self_len = 0usize #(+ #present)* #extra;));
    }
    for f in &s.fields {
        let mut inner = f.shape.clone();
        inner.nullable = false;
        let check = shape_checks(&inner, quote!(value), model, statics);
        if check.is_empty() {
            continue;
        }
        let fname = ident(&f.rust_name);
        let wire = &f.wire_name;
        let guarded = match (field_repr(f, model).option_layers, f.shape.nullable) {
            (0, _) => quote! {
                {
                    let value = &self.#fname;
                    let path = path.key(#wire);
                    #check
                }
            },
            (1, _) => quote! {
                if let Some(value) = &self.#fname {
                    let path = path.key(#wire);
                    #check
                }
            },
            _ => quote! {
                if let Some(Some(value)) = &self.#fname {
                    let path = path.key(#wire);
                    #check
                }
            },
        };
        body.push(guarded);
    }
    if let Additional::Map(values) = &s.additional {
        let check = shape_checks(values, quote!(value), model, statics);
        if !check.is_empty() {
            let e = extra_field_name(s);
            body.push(quote! {
                for (key, value) in &self.#e {
                    let path = path.key(key);
                    #check
                }
            });
        }
    }
    let uses = body.iter().any(|b| !b.is_empty());
    header(name, quote!(#(#body)*), uses)
}

/// `Validate` for a union: the held branch validates itself.
pub fn union_impl(name: &Ident, u: &Union, model: &Model, statics: &mut Statics) -> TokenStream {
    let mut uses_path = false;
    let arms: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name);
            let check = shape_checks(&v.shape, quote!(value), model, statics);
            if check.is_empty() {
                quote!(Self::#vname(_) => {})
            } else {
                uses_path = true;
                quote!(Self::#vname(value) => { #check })
            }
        })
        .collect();
    header(name, quote!(match self { #(#arms)* }), uses_path)
}

/// `Validate` for a newtype: its checks on `self.0`.
pub fn newtype_impl(
    name: &Ident,
    shape: &Shape,
    model: &Model,
    statics: &mut Statics,
) -> TokenStream {
    let check = shape_checks(shape, quote!(value), model, statics);
    header(name, quote!(let value = &self.0; #check), true)
}

/// For a union branch held as `v`: an expression that is `true` when the branch's own checks
/// pass. `None` when the branch type's `Validate` (run by `try_branch`) already covers them.
pub fn branch_passes(shape: &Shape, model: &Model, statics: &mut Statics) -> Option<TokenStream> {
    if matches!(shape.ty, Ty::Named { .. }) && shape.checks.is_empty() {
        return None;
    }
    let check = shape_checks(shape, quote!(value), model, statics);
    if check.is_empty() {
        return None;
    }
    Some(quote!({
        let path = crate::validation::Path::ROOT;
        let mut found = crate::validation::ValidationErrors::new();
        let errors = &mut found;
        let value = &v;
        #check
        found.is_empty()
    }))
}

/// A `validation::Number` for a float held at `value`.
fn float_number(kind: FloatKind, value: &TokenStream) -> TokenStream {
    match kind {
        FloatKind::F32 => quote!(crate::validation::Number::Float(f64::from(*#value))),
        FloatKind::F64 => quote!(crate::validation::Number::Float(*#value)),
    }
}

fn number_lit(n: Number) -> TokenStream {
    match n {
        Number::Int(i) => quote!(crate::validation::Number::Int(#i)),
        Number::Float(f) => quote!(crate::validation::Number::Float(#f)),
    }
}

fn numeric(c: &Checks, value: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(Bound {
        value: b,
        exclusive,
    }) = c.minimum
    {
        let b = number_lit(b);
        out.push(quote!(crate::validation::minimum(#value, #b, #exclusive, &path, errors);));
    }
    if let Some(Bound {
        value: b,
        exclusive,
    }) = c.maximum
    {
        let b = number_lit(b);
        out.push(quote!(crate::validation::maximum(#value, #b, #exclusive, &path, errors);));
    }
    if let Some(m) = c.multiple_of {
        let m = number_lit(m);
        out.push(quote!(crate::validation::multiple_of(#value, #m, &path, errors);));
    }
    quote!(#(#out)*)
}

fn string(c: &Checks, value: TokenStream, statics: &mut Statics) -> TokenStream {
    let mut out = Vec::new();
    if let Some(n) = c.min_length {
        out.push(quote!(crate::validation::min_length(#value, #n, &path, errors);));
    }
    if let Some(n) = c.max_length {
        out.push(quote!(crate::validation::max_length(#value, #n, &path, errors);));
    }
    if let Some(p) = &c.pattern {
        let name = statics.pattern(p);
        out.push(quote!(crate::validation::matches(#value, #name.as_ref(), #p, &path, errors);));
    }
    if let Some(f) = &c.format {
        out.push(quote!(crate::validation::format(#value, #f, &path, errors);));
    }
    quote!(#(#out)*)
}

fn array_counts(c: &Checks, len: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(n) = c.min_items {
        out.push(quote!(crate::validation::min_items(#len, #n, &path, errors);));
    }
    if let Some(n) = c.max_items {
        out.push(quote!(crate::validation::max_items(#len, #n, &path, errors);));
    }
    quote!(#(#out)*)
}

fn object_counts(c: &Checks, len: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(n) = c.min_properties {
        out.push(quote!(crate::validation::min_properties(#len, #n, &path, errors);));
    }
    if let Some(n) = c.max_properties {
        out.push(quote!(crate::validation::max_properties(#len, #n, &path, errors);));
    }
    quote!(#(#out)*)
}

fn json_type(t: JsonType) -> TokenStream {
    match t {
        JsonType::Null => quote!(crate::validation::JsonType::Null),
        JsonType::Boolean => quote!(crate::validation::JsonType::Boolean),
        JsonType::Object => quote!(crate::validation::JsonType::Object),
        JsonType::Array => quote!(crate::validation::JsonType::Array),
        JsonType::Number => quote!(crate::validation::JsonType::Number),
        JsonType::Integer => quote!(crate::validation::JsonType::Integer),
        JsonType::String => quote!(crate::validation::JsonType::String),
    }
}

/// Checks on `value` (a reference to the shape's Rust value), with `path` and `errors` in scope.
pub fn shape_checks(
    shape: &Shape,
    value: TokenStream,
    model: &Model,
    statics: &mut Statics,
) -> TokenStream {
    if shape.nullable {
        let mut inner = shape.clone();
        inner.nullable = false;
        let check = shape_checks(&inner, quote!(value), model, statics);
        if check.is_empty() {
            return quote!();
        }
        return quote! {
            if let Some(value) = #value { #check }
        };
    }
    let c = &shape.checks;
    let mut out = Vec::new();
    // `enum` and `const` on shapes that are not Rust enums compare as JSON; scalars are
    // compared in place, so a valid value costs no allocation.
    if c.enumeration.is_some() || c.constant.is_some() {
        let scalar = match &shape.ty {
            Ty::String => Some(quote!(crate::validation::Scalar::String(#value))),
            Ty::Bool => Some(quote!(crate::validation::Scalar::Bool(*#value))),
            Ty::Int(_) => Some(quote!(crate::validation::Scalar::Number(
                crate::validation::Number::Int(i128::from(*#value))
            ))),
            Ty::Float(kind) => {
                let n = float_number(*kind, &value);
                Some(quote!(crate::validation::Scalar::Number(#n)))
            }
            _ => None,
        };
        let (bind, enum_fn, const_fn) = match (&shape.ty, scalar) {
            (_, Some(scalar)) => (
                quote!(let json = #scalar;),
                quote!(enum_scalar),
                quote!(const_scalar),
            ),
            (Ty::Any, None) => (
                quote!(let json = #value;),
                quote!(enum_value),
                quote!(const_value),
            ),
            // Arrays, maps, library types and generated types: compared as JSON.
            (_, None) => (
                quote!(let json = &serde_json::to_value(#value).unwrap_or_default();),
                quote!(enum_value),
                quote!(const_value),
            ),
        };
        let mut inner = Vec::new();
        if let Some(values) = &c.enumeration {
            let name = statics.enumeration(values);
            inner.push(quote!(crate::validation::#enum_fn(json, &*#name, &path, errors);));
        }
        if let Some(v) = &c.constant {
            let name = statics.constant(v);
            inner.push(quote!(crate::validation::#const_fn(json, &#name, &path, errors);));
        }
        out.push(quote!({ #bind #(#inner)* }));
    }
    match &shape.ty {
        Ty::String => out.push(string(c, quote!(#value), statics)),
        Ty::Int(_) => out.push(numeric(
            c,
            quote!(crate::validation::Number::Int(i128::from(*#value))),
        )),
        Ty::Float(kind) => out.push(numeric(c, float_number(*kind, &value))),
        Ty::Bool | Ty::Typed(_) => {}
        Ty::Array(item) => {
            out.push(array_counts(c, quote!(#value.len())));
            if c.unique_items {
                if item.ty == Ty::Any && !item.nullable {
                    out.push(quote!(crate::validation::unique_values(#value, &path, errors);));
                } else {
                    out.push(quote!(crate::validation::unique_items(#value, &path, errors);));
                }
            }
            let check = shape_checks(item, quote!(item), model, statics);
            if !check.is_empty() {
                out.push(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let path = path.index(index);
                        #check
                    }
                });
            }
        }
        Ty::Map(values) => {
            out.push(object_counts(c, quote!(#value.len())));
            let check = shape_checks(values, quote!(value), model, statics);
            if !check.is_empty() {
                out.push(quote! {
                    for (key, value) in #value {
                        let path = path.key(key);
                        #check
                    }
                });
            }
        }
        Ty::Named { id, .. } => {
            if let Some(TypeKind::Enum(_)) = model.get(*id).map(|d| &d.kind) {
                // Closed enums are checked by deserialization; open ones accept anything.
            } else {
                out.push(quote!(crate::validation::Validate::validate_at(#value, &path, errors);));
            }
        }
        Ty::Any => out.push(any_checks(c, value, model, statics)),
    }
    let out: Vec<TokenStream> = out.into_iter().filter(|t| !t.is_empty()).collect();
    quote!(#(#out)*)
}

/// Checks on an untyped value: each applies only to values of its kind.
fn any_checks(c: &Checks, value: TokenStream, model: &Model, statics: &mut Statics) -> TokenStream {
    let mut out = Vec::new();
    if let Some(types) = &c.types {
        let types = types.iter().copied().map(json_type);
        out.push(quote!(crate::validation::json_type(#value, &[#(#types),*], &path, errors);));
    }
    let s = string(c, quote!(s), statics);
    if !s.is_empty() {
        out.push(quote!(if let serde_json::Value::String(s) = #value { #s }));
    }
    let n = numeric(c, quote!(n));
    if !n.is_empty() {
        out.push(quote!(if let Some(n) = crate::validation::number_of(#value) { #n }));
    }
    let mut a = vec![array_counts(c, quote!(a.len()))];
    if c.unique_items {
        a.push(quote!(crate::validation::unique_values(a, &path, errors);));
    }
    for (index, item) in c.tuple.iter().enumerate() {
        let check = json_as_shape(item, quote!(item), model, statics);
        if !check.is_empty() {
            a.push(quote! {
                if let Some(item) = a.get(#index) {
                    let path = path.index(#index);
                    #check
                }
            });
        }
    }
    if let Some(item) = &c.items {
        let check = json_as_shape(item, quote!(item), model, statics);
        if !check.is_empty() {
            a.push(quote! {
                for (index, item) in a.iter().enumerate() {
                    let path = path.index(index);
                    #check
                }
            });
        }
    }
    let a: Vec<TokenStream> = a.into_iter().filter(|t| !t.is_empty()).collect();
    if !a.is_empty() {
        out.push(quote!(if let serde_json::Value::Array(a) = #value { #(#a)* }));
    }
    let mut o = vec![object_counts(c, quote!(o.len()))];
    for r in &c.required {
        o.push(quote!(crate::validation::required(o.contains_key(#r), #r, &path, errors);));
    }
    let o: Vec<TokenStream> = o.into_iter().filter(|t| !t.is_empty()).collect();
    if !o.is_empty() {
        out.push(quote!(if let serde_json::Value::Object(o) = #value { #(#o)* }));
    }
    quote!(#(#out)*)
}

/// Checks a `&serde_json::Value` against a shape: directly when the shape is untyped, otherwise
/// by deserializing it into the shape's Rust type (a mismatch is a `type` violation).
fn json_as_shape(
    shape: &Shape,
    value: TokenStream,
    model: &Model,
    statics: &mut Statics,
) -> TokenStream {
    if shape.ty == Ty::Any && !shape.nullable {
        return shape_checks(shape, value, model, statics);
    }
    let ty = super::types::shape_type(shape, model);
    let check = shape_checks(shape, quote!(value), model, statics);
    if check.is_empty() {
        return quote! {
            if let Err(error) = <#ty as serde::Deserialize>::deserialize(#value) {
                errors.push(&path, "type", error.to_string());
            }
        };
    }
    quote! {
        match <#ty as serde::Deserialize>::deserialize(#value) {
            Ok(parsed) => {
                let value = &parsed;
                #check
            }
            Err(error) => errors.push(&path, "type", error.to_string()),
        }
    }
}
