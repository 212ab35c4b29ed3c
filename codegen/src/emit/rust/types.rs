//! Rust type expressions and type definitions.

use super::checks;
use super::rustdoc;
use crate::ir::{
    Additional, Enum, EnumRepr, Field, FloatKind, IntKind, Model, Shape, Struct, Ty, TypeDef,
    TypeKind, Typed, Union, UnionMode,
};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// An identifier, raw where the name needs it (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a shape, including `Option` for nullable.
pub fn shape_type(shape: &Shape, model: &Model) -> TokenStream {
    let inner = ty(&shape.ty, model);
    if shape.nullable {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// The Rust type of a `Ty`.
pub fn ty(t: &Ty, model: &Model) -> TokenStream {
    match t {
        Ty::Any => quote!(serde_json::Value),
        Ty::Bool => quote!(bool),
        Ty::Int(IntKind::I32) => quote!(i32),
        Ty::Int(IntKind::I64) => quote!(i64),
        Ty::Float(FloatKind::F32) => quote!(f32),
        Ty::Float(FloatKind::F64) => quote!(f64),
        Ty::String => quote!(String),
        Ty::Typed(Typed::DateTime) => quote!(chrono::DateTime<chrono::FixedOffset>),
        Ty::Typed(Typed::Date) => quote!(chrono::NaiveDate),
        Ty::Typed(Typed::Uuid) => quote!(uuid::Uuid),
        Ty::Array(item) => {
            let item = shape_type(item, model);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = shape_type(value, model);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Ty::Named { id, boxed } => {
            let name = ident(model.get(*id).map_or("Unknown", |d| d.name.as_str()));
            if *boxed {
                quote!(Box<#name>)
            } else {
                quote!(#name)
            }
        }
    }
}

/// How a field is held: its type and serde attributes.
pub struct FieldRepr {
    /// The field's Rust type.
    pub ty: TokenStream,
    /// Serde attributes.
    pub serde: TokenStream,
    /// `Option` layers around the shape's own type (0, 1 or 2).
    pub option_layers: u8,
}

/// The name of the function giving a field's `default`.
pub fn default_fn_name(struct_name: &str, field: &Field) -> Ident {
    format_ident!(
        "default_{}_{}",
        struct_name.to_snake_case(),
        field.rust_name.trim_start_matches("r#")
    )
}

/// The expression for an optional field's `default`, when the field's type can hold it.
///
/// Applied: `boolean`, `integer`, `number` and `string` (no `format` type) values, and
/// values of a generated enum. Not applied (documented only): nullable or required
/// fields, arrays, objects, unions, dates and uuids.
pub fn applied_default(field: &Field, model: &Model) -> Option<TokenStream> {
    if field.required || field.shape.nullable {
        return None;
    }
    let value = field.default.as_ref()?;
    match (&field.shape.ty, value) {
        (Ty::Bool, Value::Bool(b)) => Some(quote!(#b)),
        (Ty::Int(IntKind::I32), Value::Number(n)) => {
            let i = i32::try_from(n.as_i64()?).ok()?;
            let lit = Literal::i32_suffixed(i);
            Some(quote!(#lit))
        }
        (Ty::Int(IntKind::I64), Value::Number(n)) => {
            let lit = Literal::i64_suffixed(n.as_i64()?);
            Some(quote!(#lit))
        }
        (Ty::Float(FloatKind::F32), Value::Number(n)) => {
            let f = n.as_f64()?;
            #[allow(clippy::cast_possible_truncation)]
            let narrow = f as f32;
            if f64::from(narrow) != f {
                return None;
            }
            let lit = Literal::f32_suffixed(narrow);
            Some(quote!(#lit))
        }
        (Ty::Float(FloatKind::F64), Value::Number(n)) => {
            let lit = Literal::f64_suffixed(n.as_f64()?);
            Some(quote!(#lit))
        }
        (Ty::String, Value::String(text)) => Some(quote!(String::from(#text))),
        (Ty::Named { id, boxed: false }, v) => {
            let def = model.get(*id)?;
            let TypeKind::Enum(e) = &def.kind else {
                return None;
            };
            let variant = e.variants.iter().find(|var| &var.value == v)?;
            let (ename, vname) = (ident(&def.name), ident(&variant.name));
            Some(quote!(#ename::#vname))
        }
        _ => None,
    }
}

/// Chooses the field representation that keeps absent, `null` and a value apart.
pub fn field_repr(field: &Field, model: &Model) -> FieldRepr {
    field_repr_in(field, model, None)
}

/// [`field_repr`], naming the default function when the field's `default` is applied
/// (`struct_name` given).
fn field_repr_in(field: &Field, model: &Model, struct_name: Option<&str>) -> FieldRepr {
    let inner = ty(&field.shape.ty, model);
    let wire = &field.wire_name;
    let rename = if field.rust_name.trim_start_matches("r#") == wire {
        quote!()
    } else {
        quote!(rename = #wire,)
    };
    if applied_default(field, model).is_some() {
        let path = struct_name.map_or_else(String::new, |n| default_fn_name(n, field).to_string());
        return FieldRepr {
            ty: inner,
            serde: quote!(#[serde(#rename default = #path)]),
            option_layers: 0,
        };
    }
    match (field.required, field.shape.nullable) {
        (true, false) => FieldRepr {
            ty: inner,
            serde: if rename.is_empty() {
                quote!()
            } else {
                quote!(#[serde(#rename)])
            },
            option_layers: 0,
        },
        (true, true) => FieldRepr {
            ty: quote!(Option<#inner>),
            serde: quote!(#[serde(#rename deserialize_with = "crate::validation::nullable::required")]),
            option_layers: 1,
        },
        // A free-form value takes `null` as a value: only absence is `None`.
        (false, false) if field.shape.ty == Ty::Any => FieldRepr {
            ty: quote!(Option<#inner>),
            serde: quote!(#[serde(#rename default, deserialize_with = "crate::validation::nullable::present", skip_serializing_if = "Option::is_none")]),
            option_layers: 1,
        },
        (false, false) => FieldRepr {
            ty: quote!(Option<#inner>),
            serde: quote!(#[serde(#rename default, skip_serializing_if = "Option::is_none")]),
            option_layers: 1,
        },
        (false, true) => FieldRepr {
            ty: quote!(Option<Option<#inner>>),
            serde: quote!(#[serde(#rename default, deserialize_with = "crate::validation::nullable::deserialize", skip_serializing_if = "Option::is_none")]),
            option_layers: 2,
        },
    }
}

/// The items for one type: its definition and trait impls.
pub fn definition(def: &TypeDef, model: &Model, statics: &mut checks::Statics) -> TokenStream {
    let name = ident(&def.name);
    let doc_checks = match &def.kind {
        TypeKind::Newtype(shape) => Some(&shape.checks),
        TypeKind::Struct(s) => Some(&s.checks),
        _ => None,
    };
    let fallback = if def.origin.pointer.is_empty() {
        format!("The `{}` schema.", def.schema_name)
    } else {
        format!("The schema at `{}`.", def.origin.pointer)
    };
    let docs = rustdoc::attrs(&def.docs, doc_checks, &fallback);
    let deprecated = if def.docs.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    match &def.kind {
        TypeKind::Struct(s) => structure(&name, docs, deprecated, s, model, statics),
        TypeKind::Enum(e) => enumeration(&name, docs, deprecated, e),
        TypeKind::Union(u) => union(&name, docs, deprecated, u, model, statics),
        TypeKind::Newtype(shape) => newtype(&name, docs, deprecated, shape, model, statics),
    }
}

fn structure(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    s: &Struct,
    model: &Model,
    statics: &mut checks::Statics,
) -> TokenStream {
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut default_fns = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.rust_name);
        let repr = field_repr_in(f, model, Some(&name.to_string()));
        let fallback = format!("The `{}` property.", f.wire_name);
        let fdocs = rustdoc::attrs(&f.docs, Some(&f.shape.checks), &fallback);
        let fdep = if f.docs.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        let serde = repr.serde;
        let fty = &repr.ty;
        fields.push(quote! {
            #fdocs
            #fdep
            #serde
            pub #fname: #fty,
        });
        if f.required {
            params.push(quote!(#fname: #fty));
            inits.push(quote!(#fname));
        } else if let Some(value) = applied_default(f, model) {
            let fn_name = default_fn_name(&name.to_string(), f);
            let doc = format!(" The `default` of `{name}.{}`.", f.wire_name);
            default_fns.push(quote! {
                #[doc = #doc]
                fn #fn_name() -> #fty {
                    #value
                }
            });
            inits.push(quote!(#fname: #fn_name()));
        } else {
            inits.push(quote!(#fname: None));
        }
    }
    let mut serde_attr = quote!();
    match &s.additional {
        Additional::Denied => serde_attr = quote!(#[serde(deny_unknown_fields)]),
        Additional::Map(values) => {
            let vty = shape_type(values, model);
            let extra = extra_field_name(s);
            fields.push(quote! {
                /// Properties not listed in the schema, kept as they came.
                #[serde(flatten)]
                pub #extra: std::collections::BTreeMap<String, #vty>,
            });
            inits.push(quote!(#extra: std::collections::BTreeMap::new()));
        }
        Additional::Ignored => {}
    }
    let validate = checks::struct_impl(name, s, model, statics);
    let ctor_doc = if default_fns.is_empty() {
        format!(" Builds a `{name}` from its required fields; optional fields start empty.")
    } else {
        format!(" Builds a `{name}` from its required fields; optional fields start empty or at their `default`.")
    };
    let default_impl = if params.is_empty() {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    // Clippy's limit; a constructor mirrors the schema's required properties, however many.
    let many_arguments = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #serde_attr
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #ctor_doc]
            #many_arguments
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }

        #default_impl

        #(#default_fns)*

        #validate
    }
}

/// The flattened map's field name, clear of the listed fields.
pub fn extra_field_name(s: &Struct) -> Ident {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

fn enumeration(name: &Ident, docs: TokenStream, deprecated: TokenStream, e: &Enum) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let value_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.value))
        .collect();
    let validate = quote! {
        impl crate::validation::Validate for #name {
            fn validate_at(&self, _path: &crate::validation::Path<'_>, _errors: &mut crate::validation::ValidationErrors) {}
        }
    };
    if e.repr == EnumRepr::String {
        let wires: Vec<&str> = e
            .variants
            .iter()
            .map(|v| v.value.as_str().unwrap_or(""))
            .collect();
        let (other, copy) = if e.open {
            (
                quote! {
                    /// A value not listed in the schema, kept as it came.
                    #[serde(untagged)]
                    Other(String),
                },
                quote!(),
            )
        } else {
            (quote!(), quote!(Copy, Eq, Hash,))
        };
        let other_str = if e.open {
            quote!(Self::Other(s) => s,)
        } else {
            quote!()
        };
        return quote! {
            #docs
            #deprecated
            #[derive(Debug, Clone, #copy PartialEq, serde::Serialize, serde::Deserialize)]
            pub enum #name {
                #(
                    #[doc = #value_docs]
                    #[serde(rename = #wires)]
                    #variants,
                )*
                #other
            }

            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #wires,)*
                        #other_str
                    }
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #validate
        };
    }
    let literals: Vec<TokenStream> = e.variants.iter().map(|v| json_literal(&v.value)).collect();
    let (other_variant, other_into, other_from) = if e.open {
        (
            quote! {
                /// A value not listed in the schema, kept as it came.
                Other(serde_json::Value),
            },
            quote!(#name::Other(v) => v,),
            quote!(Ok(Self::Other(value))),
        )
    } else {
        let msg = format!("is not one of the values of {name}");
        (
            quote!(),
            quote!(),
            quote!(Err(format!("{} {}", value, #msg))),
        )
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "serde_json::Value", into = "serde_json::Value")]
        pub enum #name {
            #(
                #[doc = #value_docs]
                #variants,
            )*
            #other_variant
        }

        impl From<#name> for serde_json::Value {
            fn from(value: #name) -> Self {
                match value {
                    #(#name::#variants => #literals,)*
                    #other_into
                }
            }
        }

        impl TryFrom<serde_json::Value> for #name {
            type Error = String;

            fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
                #(
                    if crate::validation::json_equal(&value, &#literals) {
                        return Ok(Self::#variants);
                    }
                )*
                #other_from
            }
        }

        #validate
    }
}

/// A `serde_json::Value` expression for a JSON value.
pub fn json_literal(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(serde_json::Value::Null),
        Value::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                quote!(serde_json::Value::from(#i))
            } else if let Some(u) = n.as_u64() {
                quote!(serde_json::Value::from(#u))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                quote!(serde_json::Value::from(#f))
            }
        }
        Value::String(s) => quote!(serde_json::Value::String(String::from(#s))),
        other => {
            let text = other.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).unwrap_or_default())
        }
    }
}

fn union(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    u: &Union,
    model: &Model,
    statics: &mut checks::Statics,
) -> TokenStream {
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| shape_type(&v.shape, model))
        .collect();
    let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    let variant_docs: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| rustdoc::union_variant(v, u.discriminator.as_deref(), model))
        .collect();
    let deserialize = match &u.discriminator {
        Some(property) => {
            let arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let tags = &v.tags;
                if carries_tag(v, property, model) {
                    quote! {
                        #(Some(#tags))|* => serde_json::from_value(value).map(Self::#vname).map_err(serde::de::Error::custom),
                    }
                } else {
                    // The branch has no field for the tag: take it off, and put it back when serializing.
                    quote! {
                        #(Some(#tags))|* => {
                            let mut value = value;
                            if let Some(object) = value.as_object_mut() {
                                object.remove(#property);
                            }
                            serde_json::from_value(value).map(Self::#vname).map_err(serde::de::Error::custom)
                        }
                    }
                }
            });
            let unknown = format!("unknown {property} `{{other}}`");
            quote! {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    Some(other) => Err(serde::de::Error::custom(format_args!(#unknown))),
                    None => Err(serde::de::Error::missing_field(#property)),
                }
            }
        }
        None => {
            let exactly_one = u.mode == UnionMode::OneOf;
            // A branch's own checks (beyond its type's) decide whether it matches too.
            let branches = u.variants.iter().zip(&types).zip(&variants).map(|((v, t), vname)| {
                match checks::branch_passes(&v.shape, model, statics) {
                    Some(passes) => quote!(crate::validation::try_branch::<#t>(&value).map(|(v, ok)| {
                        let ok = ok && #passes;
                        (Self::#vname(v), ok)
                    })),
                    None => quote!(crate::validation::try_branch::<#t>(&value).map(|(v, ok)| (Self::#vname(v), ok))),
                }
            });
            quote! {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                crate::validation::select(
                    [
                        #(#branches,)*
                    ],
                    #exactly_one,
                    &[#(#names),*],
                )
                .map_err(serde::de::Error::custom)
            }
        }
    };
    let validate = checks::union_impl(name, u, model, statics);
    let tag_lacking = match &u.discriminator {
        Some(property) => !u.variants.iter().all(|v| carries_tag(v, property, model)),
        None => false,
    };
    let (derive_serialize, serialize) = match &u.discriminator {
        Some(property) if tag_lacking => {
            let arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let tag = v.tags.first().map_or("", String::as_str);
                quote!(Self::#vname(v) => (#tag, serde_json::to_value(v)),)
            });
            (
                quote!(),
                quote! {
                    /// Serializes the branch with its tag, which some branches do not hold as a field.
                    impl serde::Serialize for #name {
                        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                            let (tag, value) = match self {
                                #(#arms)*
                            };
                            let mut value = value.map_err(serde::ser::Error::custom)?;
                            if let serde_json::Value::Object(object) = &mut value {
                                object
                                    .entry(#property)
                                    .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
                            }
                            serde::Serialize::serialize(&value, serializer)
                        }
                    }
                },
            )
        }
        _ => (quote!(serde::Serialize,), quote!(#[serde(untagged)])),
    };
    let (derive_serialize, untagged, serialize_impl) = if derive_serialize.is_empty() {
        (quote!(), quote!(), serialize)
    } else {
        (derive_serialize, serialize, quote!())
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, #derive_serialize)]
        #untagged
        // Each branch holds a whole model by value, as the schema describes it; boxing the
        // larger ones would make building and matching them clumsier for every user.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(
                #variant_docs
                #variants(#types),
            )*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }

        #serialize_impl

        #validate
    }
}

/// Whether a tagged branch holds the tag property itself (a struct with that field).
/// Branches that are not structs are taken to carry it.
fn carries_tag(v: &crate::ir::UnionVariant, property: &str, model: &Model) -> bool {
    let Ty::Named { id, .. } = &v.shape.ty else {
        return true;
    };
    match model.get(*id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire_name == property),
        _ => true,
    }
}

fn newtype(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    shape: &Shape,
    model: &Model,
    statics: &mut checks::Statics,
) -> TokenStream {
    let inner = shape_type(shape, model);
    if !checks::needs_code(shape, model) {
        return quote! {
            #docs
            #deprecated
            pub type #name = #inner;
        };
    }
    let validate = checks::newtype_impl(name, shape, model, statics);
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #inner);

        #validate
    }
}
