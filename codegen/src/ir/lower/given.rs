//! What is given by hand rather than generated, from `[rust]` and `[models.<schema>]` in the
//! settings and from the `x-rust-*` extensions in the schemas (the settings win).
//!
//! Names: `name`, `fields` and `variants`; `x-rust-name`, `x-enum-varnames` / `x-enumNames`.
//! Given names are claimed before generated ones, which go around them; two given names
//! that collide, or a given name that takes another schema's, are errors naming both.
//!
//! Attributes and visibility: `attrs`, `field-attrs`, `non-exhaustive`, `field-visibility`;
//! `x-rust-attrs`. Serde direction: `serialize`, `deserialize`; `x-rust-serde` (what they
//! finally are is decided in `ir/directions.rs`).

use super::super::names::{self, Scope};
use super::super::{Directions, Extras, Model};
use super::enums::wire_text;
use super::Lowerer;
use crate::diagnostic::{count, Diagnostic, Diagnostics};
use crate::load::schema::{self as s, Schema, Target};
use crate::settings::{ModelSettings, Settings, FILE_NAME};
use serde_json::Value;
use std::collections::HashMap;

/// Where a given name comes from, for messages.
enum Source<'s> {
    /// `[models.<schema>] <key>` in the settings.
    Settings(&'s str, &'s str),
    /// An extension at this file and pointer.
    Schema(String, String),
}

impl<'a> Lowerer<'a> {
    /// The type name given to each of `spec.schemas` (in order), already claimed; `None`
    /// where none is given. Also reports `[models.<schema>]` tables that name no schema.
    pub(super) fn given_type_names(&mut self) -> Vec<Option<String>> {
        let spec = self.spec;
        let settings = self.settings;
        let known: Vec<&str> = spec.schemas.iter().map(|n| n.name.as_str()).collect();
        for name in settings.models.keys() {
            if known.contains(&name.as_str()) {
                continue;
            }
            let hint = match s::closest(name, &known) {
                Some(near) => format!("did you mean `[models.{near}]`?"),
                None => {
                    "the key after `models.` is a schema's name, as in `[models.Pet]`".to_owned()
                }
            };
            let d = Diagnostic::error(FILE_NAME, "", format!("`[models.{name}]` names no schema"))
                .with_hint(hint);
            self.diagnostics.push(d);
        }
        for n in &spec.schemas {
            if let Some(own) = settings.models.get(&n.name) {
                let target = Target {
                    file: n.schema.file,
                    pointer: n.schema.pointer.clone(),
                };
                self.own.insert(target, (n.name.as_str(), own));
            }
        }
        // Generated names of the schemas given none, which a given name may not take.
        let mut taken: HashMap<String, String> = HashMap::new();
        let mut given: Vec<Option<(String, Source)>> = Vec::with_capacity(spec.schemas.len());
        for n in &spec.schemas {
            let own = settings.models.get(&n.name).and_then(|m| m.name.as_deref());
            let chosen = match (own, &n.schema.code.name) {
                (Some(raw), _) => Some((raw, Source::Settings(n.name.as_str(), "name"))),
                (None, Some(raw)) => Some((
                    raw.as_str(),
                    Source::Schema(
                        self.file_name(&n.schema),
                        format!("{}/x-rust-name", n.schema.pointer),
                    ),
                )),
                (None, None) => None,
            };
            let chosen = chosen.and_then(|(raw, source)| match names::given_type_name(raw) {
                Ok(name) => Some((name, source)),
                Err(why) => {
                    self.given_error(&source, format!("{why}, so it cannot name a type"));
                    None
                }
            });
            if chosen.is_none() {
                taken
                    .entry(names::type_name(&n.name, "Model").to_lowercase())
                    .or_insert_with(|| n.name.clone());
            }
            given.push(chosen);
        }
        let mut out = Vec::with_capacity(given.len());
        let mut by_given: HashMap<String, &str> = HashMap::new();
        for (n, chosen) in spec.schemas.iter().zip(given) {
            let Some((name, source)) = chosen else {
                out.push(None);
                continue;
            };
            let key = name.to_lowercase();
            let other = by_given
                .get(&key)
                .map(|o| (*o).to_owned())
                .or_else(|| taken.get(&key).cloned());
            if let Some(other) = other {
                self.given_error(
                    &source,
                    format!(
                        "the schemas `{other}` and `{}` would both be the Rust type `{name}`",
                        n.name
                    ),
                );
                out.push(None);
                continue;
            }
            by_given.insert(key, n.name.as_str());
            out.push(Some(self.type_names.claim(name)));
        }
        out
    }

    /// The name and `[models.<schema>]` settings of the named schema `schema` is, if any.
    pub(super) fn own(&self, schema: &Schema) -> Option<(&'a str, &'a ModelSettings)> {
        let target = Target {
            file: schema.file,
            pointer: schema.pointer.clone(),
        };
        self.own.get(&target).copied()
    }

    /// The field name of each of `schema.properties`, in order: given names first, then
    /// generated ones around them, all claimed in `scope`.
    pub(super) fn field_names(&mut self, schema: &Schema, scope: &mut Scope) -> Vec<String> {
        let own = self.own(schema);
        if let Some((schema_name, own)) = own {
            let known: Vec<&str> = schema.properties.iter().map(|(p, _)| p.as_str()).collect();
            let listed = own.fields.keys().map(|k| ("fields", k));
            let attrs = own.field_attrs.keys().map(|k| ("field-attrs", k));
            for (table, property) in listed.chain(attrs) {
                if !known.contains(&property.as_str()) {
                    self.unknown_key(schema_name, table, property, &known, "a property");
                }
            }
        }
        let mut given: Vec<Option<String>> = Vec::with_capacity(schema.properties.len());
        // Generated names of the properties given none, which a given name may not take.
        let mut by_given: HashMap<String, &str> = schema
            .properties
            .iter()
            .filter(|(wire, prop)| {
                prop.code.name.is_none()
                    && own.is_none_or(|(_, o)| !o.fields.contains_key(wire.as_str()))
            })
            .map(|(wire, _)| {
                let auto = names::field_name(wire);
                (auto.trim_start_matches("r#").to_lowercase(), wire.as_str())
            })
            .collect();
        for (wire, prop) in &schema.properties {
            let from_settings = own.and_then(|(n, o)| Some((n, o.fields.get(wire)?)));
            let chosen = match (from_settings, &prop.code.name) {
                (Some((schema_name, raw)), _) => {
                    Some((raw.as_str(), Source::Settings(schema_name, "fields")))
                }
                (None, Some(raw)) => Some((
                    raw.as_str(),
                    Source::Schema(
                        self.file_name(prop),
                        format!("{}/x-rust-name", prop.pointer),
                    ),
                )),
                (None, None) => None,
            };
            let Some((raw, source)) = chosen else {
                given.push(None);
                continue;
            };
            let name = match names::given_field_name(raw) {
                Ok(name) => name,
                Err(why) => {
                    self.given_error(&source, format!("{why} for the property `{wire}`"));
                    given.push(None);
                    continue;
                }
            };
            let key = name.trim_start_matches("r#").to_lowercase();
            if let Some(other) = by_given.get(&key) {
                self.given_error(
                    &source,
                    format!(
                        "the properties `{other}` and `{wire}` would both be the field `{name}`"
                    ),
                );
                given.push(None);
                continue;
            }
            by_given.insert(key, wire.as_str());
            given.push(Some(scope.claim(name)));
        }
        schema
            .properties
            .iter()
            .zip(given)
            .map(|((wire, _), name)| name.unwrap_or_else(|| scope.claim(names::field_name(wire))))
            .collect()
    }

    /// The variant name of each enum value (`raw` is the text a generated name is made
    /// from): given names first, then generated ones around them, all claimed in `scope`.
    pub(super) fn variant_names(
        &mut self,
        schema: &Schema,
        values: &[(&Value, String)],
        scope: &mut Scope,
    ) -> Vec<String> {
        let own = self.own(schema);
        if let Some((schema_name, own)) = own {
            let known: Vec<String> = values.iter().map(|(v, _)| wire_text(v)).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            for value in own.variants.keys() {
                if !known.contains(&value.as_str()) {
                    self.unknown_key(schema_name, "variants", value, &known, "an enum value");
                }
            }
        }
        let listed = schema.enum_values.as_deref().unwrap_or_default();
        if let Some(names) = &schema.code.variant_names {
            if names.len() != listed.len() {
                self.warn(
                    schema,
                    &schema.pointer,
                    format!(
                        "`x-enum-varnames` (or `x-enumNames`) lists {} for {}; values without a name get a generated one",
                        count(names.len(), "name"),
                        count(listed.len(), "`enum` value")
                    ),
                );
            }
        }
        let mut chosen = Vec::with_capacity(values.len());
        for (v, _) in values {
            let text = wire_text(v);
            let from_settings = own.and_then(|(n, o)| Some((n, o.variants.get(&text)?)));
            chosen.push(match from_settings {
                Some((schema_name, raw)) => {
                    let source = Source::Settings(schema_name, "variants");
                    match names::given_variant_name(raw) {
                        Ok(name) => Some((name, source)),
                        Err(why) => {
                            self.given_error(&source, format!("{why} for the value {v}"));
                            None
                        }
                    }
                }
                // Written for other generators too, so made into a variant name as values are.
                None => listed
                    .iter()
                    .position(|l| l == *v)
                    .and_then(|i| schema.code.variant_names.as_ref()?.get(i))
                    .map(|raw| {
                        (
                            names::variant_name(raw),
                            Source::Schema(self.file_name(schema), schema.pointer.clone()),
                        )
                    }),
            });
        }
        // Generated names of the values given none, which a given name may not take.
        let mut by_given: HashMap<String, String> = values
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| c.is_none())
            .map(|((v, raw), _)| {
                (
                    names::variant_name(raw).to_lowercase(),
                    format!("the value {v}"),
                )
            })
            .collect();
        let mut given: Vec<Option<String>> = Vec::with_capacity(values.len());
        for ((v, _), chosen) in values.iter().zip(chosen) {
            let Some((name, source)) = chosen else {
                given.push(None);
                continue;
            };
            let key = name.to_lowercase();
            let other = match by_given.get(&key) {
                Some(other) => Some(other.clone()),
                None if scope.is_taken(&name) => Some("a value not listed (`Other`)".to_owned()),
                None => None,
            };
            if let Some(other) = other {
                self.given_error(
                    &source,
                    format!("{other} and the value {v} would both be the variant `{name}`"),
                );
                given.push(None);
                continue;
            }
            by_given.insert(key, format!("the value {v}"));
            given.push(Some(scope.claim(name)));
        }
        values
            .iter()
            .zip(given)
            .map(|((_, raw), name)| name.unwrap_or_else(|| scope.claim(names::variant_name(raw))))
            .collect()
    }

    fn given_error(&mut self, source: &Source<'_>, message: String) {
        let d = match source {
            Source::Settings(schema, key) => Diagnostic::error(
                FILE_NAME,
                "",
                format!("`[models.{schema}]` `{key}`: {message}"),
            ),
            Source::Schema(file, pointer) => Diagnostic::error(file, pointer, message),
        };
        self.diagnostics.push(d);
    }

    fn unknown_key(&mut self, schema: &str, table: &str, key: &str, known: &[&str], what: &str) {
        let hint = match s::closest(key, known) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("each key of `{table}` is {what} of the schema"),
        };
        let d = Diagnostic::error(
            FILE_NAME,
            "",
            format!(
                "`[models.{schema}]` `{table}` names `{key}`, which is not {what} of `{schema}`"
            ),
        )
        .with_hint(hint);
        self.diagnostics.push(d);
    }
}

/// The attributes a schema's own `x-rust-attrs` give its type and its properties' fields.
pub(super) fn schema_extras(schema: &Schema) -> Extras {
    Extras {
        attrs: schema.code.attrs.clone(),
        field_attrs: schema
            .properties
            .iter()
            .filter(|(_, p)| !p.code.attrs.is_empty())
            .map(|(wire, p)| (wire.clone(), p.code.attrs.clone()))
            .collect(),
        serde_given: Directions {
            serialize: schema.code.serialize,
            deserialize: schema.code.deserialize,
        },
        ..Extras::default()
    }
}

/// Applies `[rust]` to every type and `[models.<schema>]` to its schema's type, over what
/// the extensions gave; reports attributes that are not written as attributes.
pub(super) fn apply_settings(
    model: &mut Model,
    settings: &Settings,
    diagnostics: &mut Diagnostics,
) {
    for def in &mut model.types {
        def.extras.non_exhaustive = settings.rust.non_exhaustive;
        def.extras.field_visibility = settings.rust.field_visibility;
    }
    for m in &model.modules {
        let Some(def) = m.types.first().and_then(|id| model.types.get_mut(id.0)) else {
            continue;
        };
        let Some(own) = settings.models.get(&def.schema_name) else {
            continue;
        };
        let extras = &mut def.extras;
        if let Some(attrs) = &own.attrs {
            extras.attrs.clone_from(attrs);
        }
        for (wire, attrs) in &own.field_attrs {
            extras.field_attrs.retain(|(w, _)| w != wire);
            extras.field_attrs.push((wire.clone(), attrs.clone()));
        }
        if let Some(on) = own.non_exhaustive {
            extras.non_exhaustive = on;
        }
        if let Some(visibility) = own.field_visibility {
            extras.field_visibility = visibility;
        }
        if own.serialize.is_some() {
            extras.serde_given.serialize = own.serialize;
        }
        if own.deserialize.is_some() {
            extras.serde_given.deserialize = own.deserialize;
        }
    }
    for def in &mut model.types {
        let extras = &mut def.extras;
        let mut bad = Vec::new();
        extras.attrs.retain(|a| {
            is_attribute(a) || {
                bad.push(a.clone());
                false
            }
        });
        for (_, attrs) in &mut extras.field_attrs {
            attrs.retain(|a| {
                is_attribute(a) || {
                    bad.push(a.clone());
                    false
                }
            });
        }
        for attr in bad {
            let d = Diagnostic::error(
                &def.origin.file,
                &def.origin.pointer,
                format!(
                    "`{attr}`, given as an attribute of `{}`, is not written as one",
                    def.name
                ),
            )
            .with_hint("write the whole outer attribute, as in `#[doc(alias = \"pet\")]`");
            diagnostics.push(d);
        }
    }
}

/// Whether `text` is written as one outer attribute, `#[...]`, on one line.
fn is_attribute(text: &str) -> bool {
    text.starts_with("#[") && text.ends_with(']') && !text.contains('\n')
}
