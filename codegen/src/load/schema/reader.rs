//! Reading a schema object keyword by keyword into a [`Schema`].

use super::keywords::{closest, closest_keyword, kind_of, Keyword};
use super::{
    Additional, Applicators, DescriptionEntries, Discriminator, Items, JsonType, Reference, Schema,
    Tuple, VariantDescriptions, MAX_DEPTH,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::pointer::child;
use crate::load::source::FileId;
use crate::load::Version;
use serde_json::Value;

/// Reads schemas out of JSON values, reporting what it cannot use.
pub struct SchemaReader<'a> {
    /// The file being read.
    pub file: FileId,
    /// Its display name, for diagnostics.
    pub file_name: &'a str,
    /// The document's version.
    pub version: Version,
    /// Where problems go.
    pub diagnostics: &'a mut Diagnostics,
}

impl SchemaReader<'_> {
    /// Reads the schema `value` found at `pointer`.
    pub fn read(&mut self, value: &Value, pointer: &str) -> Schema {
        self.read_at(value, pointer, 0)
    }

    pub(super) fn error(&mut self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file_name, pointer, message)
    }

    /// A keyword whose value has the wrong form: a warning, and the keyword is
    /// left out (code can be generated around it; the description needs fixing).
    pub(super) fn malformed(&mut self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file_name, pointer, message)
            .with_hint("the keyword is ignored; a `[[patch]]` in codegen.toml can correct it")
    }

    pub(super) fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// A keyword the reader does not know: a warning, with the nearest known one.
    fn unknown_keyword(&mut self, key: &str, at: &str) {
        let mut d = Diagnostic::warning(
            self.file_name,
            at,
            format!("the keyword `{key}` is not supported and is ignored"),
        )
        .at_key();
        if let Some(near) = closest_keyword(key) {
            d = d.with_hint(format!("did you mean `{near}`?"));
        }
        self.report(d);
    }

    fn read_at(&mut self, value: &Value, pointer: &str, depth: usize) -> Schema {
        let mut schema = Schema {
            file: self.file,
            pointer: pointer.to_owned(),
            ..Schema::default()
        };
        if depth > MAX_DEPTH {
            let d = self
                .error(
                    pointer,
                    format!("schemas are nested more than {MAX_DEPTH} levels deep"),
                )
                .with_hint("move inner schemas to `components/schemas` and use `$ref`");
            self.report(d);
            return schema;
        }
        let object = match value {
            Value::Object(o) => o,
            Value::Bool(true) => return schema,
            Value::Bool(false) => {
                schema.never = true;
                return schema;
            }
            other => {
                let d = self
                    .malformed(
                        pointer,
                        format!("expected a schema object, found {}", kind_of(other)),
                    )
                    .with_hint("read as a schema that accepts any value");
                self.report(d);
                return schema;
            }
        };
        // 3.0 `exclusiveMinimum: true` modifies `minimum`; read bounds after the loop.
        let mut exclusive_min_flag = false;
        let mut exclusive_max_flag = false;
        // Tuples are put together after the loop, whatever order the keywords come in.
        let mut prefix_items = None;
        let mut additional_items = None;
        for (key, v) in object {
            let at = child(pointer, key);
            let Some(keyword) = Keyword::named(key) else {
                if !key.starts_with("x-") {
                    self.unknown_keyword(key, &at);
                }
                continue;
            };
            match keyword {
                Keyword::Ref => schema.reference = self.reference(v, &at).map(Box::new),
                Keyword::DynamicRef if self.version == Version::OpenApi31 => {
                    if schema.reference.is_some() || object.contains_key("$ref") {
                        let d = Diagnostic::warning(
                            self.file_name,
                            &at,
                            "`$dynamicRef` beside `$ref` is not supported and is ignored",
                        )
                        .with_hint("put one of the two in an `allOf` branch of its own");
                        self.report(d);
                    } else {
                        schema.reference = self
                            .reference(v, &at)
                            .map(|r| Box::new(Reference { dynamic: true, ..r }));
                    }
                }
                Keyword::Type => self.read_type(v, &at, &mut schema),
                Keyword::Nullable => schema.nullable |= self.boolean(v, &at),
                Keyword::Format => schema.format = self.string(v, &at),
                Keyword::Title => schema.title = self.string(v, &at),
                Keyword::Description => schema.description = self.string(v, &at),
                Keyword::Default => schema.default = Some(Box::new(v.clone())),
                Keyword::Example => schema.examples.insert(0, v.clone()),
                Keyword::Examples => match v {
                    Value::Array(items) => schema.examples.extend(items.iter().cloned()),
                    // 3.0 media-type style examples map: keep each `value`.
                    Value::Object(map) => schema
                        .examples
                        .extend(map.values().filter_map(|e| e.get("value").cloned())),
                    other => schema.examples.push(other.clone()),
                },
                Keyword::Deprecated => schema.deprecated = self.boolean(v, &at),
                Keyword::ReadOnly => schema.read_only = self.boolean(v, &at),
                Keyword::WriteOnly => schema.write_only = self.boolean(v, &at),
                Keyword::Enum => match v {
                    Value::Array(values) => schema.enum_values = Some(values.clone()),
                    _ => {
                        let d = self.malformed(&at, "`enum` must be an array");
                        self.report(d);
                    }
                },
                Keyword::Const => schema.const_value = Some(Box::new(v.clone())),
                Keyword::Properties => match v {
                    Value::Object(props) => {
                        // Exactly as many as there are: a schema node is large, and a
                        // doubling `Vec` would leave a third of the tree's memory unused.
                        schema.properties.reserve_exact(props.len());
                        for (name, prop) in props {
                            let p = child(&at, name);
                            let s = self.read_at(prop, &p, depth + 1);
                            schema.properties.push((name.clone(), s));
                        }
                    }
                    _ => {
                        let d = self.malformed(&at, "`properties` must be an object");
                        self.report(d);
                    }
                },
                Keyword::Required => match v {
                    Value::Array(names) => {
                        schema.required.reserve_exact(names.len());
                        for (i, n) in names.iter().enumerate() {
                            let p = child(&at, &i.to_string());
                            match n {
                                Value::String(s) => schema.required.push((s.clone(), p)),
                                _ => {
                                    let d =
                                        self.malformed(&p, "`required` entries must be strings");
                                    self.report(d);
                                }
                            }
                        }
                    }
                    // Swagger 2.0 / JSON Schema draft 3 boolean `required` on a property.
                    Value::Bool(_) => {
                        let d = Diagnostic::warning(
                            self.file_name,
                            &at,
                            "boolean `required` is not part of OpenAPI and is ignored",
                        )
                        .with_hint("list required properties in the parent's `required` array");
                        self.report(d);
                    }
                    _ => {
                        let d =
                            self.malformed(&at, "`required` must be an array of property names");
                        self.report(d);
                    }
                },
                Keyword::AdditionalProperties => {
                    schema.additional = Some(match v {
                        Value::Bool(true) => Additional::Allowed,
                        Value::Bool(false) => Additional::Denied,
                        other => {
                            let s = self.read_at(other, &at, depth + 1);
                            if s.is_empty() {
                                Additional::Allowed
                            } else {
                                Additional::Schema(Box::new(s))
                            }
                        }
                    })
                }
                Keyword::Items => {
                    schema.items = Some(match v {
                        Value::Array(_) => Items::Tuple(Tuple {
                            positions: self.list(v, &at, depth),
                            rest: None,
                            rest_written: false,
                        }),
                        other => Items::Single(Box::new(self.read_at(other, &at, depth + 1))),
                    })
                }
                Keyword::PrefixItems => prefix_items = Some(self.list(v, &at, depth)),
                Keyword::AdditionalItems => {
                    additional_items = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::MinLength => schema.limits.min_length = self.count(v, &at),
                Keyword::MaxLength => schema.limits.max_length = self.count(v, &at),
                Keyword::MinItems => schema.limits.min_items = self.count(v, &at),
                Keyword::MaxItems => schema.limits.max_items = self.count(v, &at),
                Keyword::MinProperties => schema.limits.min_properties = self.count(v, &at),
                Keyword::MaxProperties => schema.limits.max_properties = self.count(v, &at),
                Keyword::UniqueItems => schema.limits.unique_items = self.boolean(v, &at),
                Keyword::Pattern => {
                    schema.limits.patterns = self.string(v, &at).into_iter().collect()
                }
                Keyword::Minimum => schema.limits.minimum = self.number(v, &at),
                Keyword::Maximum => schema.limits.maximum = self.number(v, &at),
                Keyword::ExclusiveMinimum => match v {
                    Value::Bool(b) => exclusive_min_flag = *b,
                    _ => schema.limits.exclusive_minimum = self.number(v, &at),
                },
                Keyword::ExclusiveMaximum => match v {
                    Value::Bool(b) => exclusive_max_flag = *b,
                    _ => schema.limits.exclusive_maximum = self.number(v, &at),
                },
                Keyword::MultipleOf => {
                    schema.limits.multiple_of = self.number(v, &at);
                    if let Some(n) = &schema.limits.multiple_of {
                        if n.as_f64().is_some_and(|f| f <= 0.0) {
                            let d = self.malformed(&at, "`multipleOf` must be greater than 0");
                            self.report(d);
                            schema.limits.multiple_of = None;
                        }
                    }
                }
                Keyword::AllOf => schema.all_of = self.list(v, &at, depth),
                Keyword::AnyOf => schema.any_of = self.list(v, &at, depth),
                Keyword::OneOf => schema.one_of = self.list(v, &at, depth),
                Keyword::Discriminator => {
                    schema.discriminator = self.discriminator(v, &at).map(Box::new)
                }
                Keyword::XMsDiscriminatorValue => schema.discriminator_value = self.string(v, &at),
                Keyword::XOpenEnum => schema.open_enum = Some(self.boolean(v, &at)),
                Keyword::XRustType => schema.rust_type = self.rust_type(v, &at).map(Box::new),
                Keyword::XRustName => schema.code.name = self.string(v, &at),
                Keyword::XRustAttrs => schema.code.attrs = self.strings(v, &at).unwrap_or_default(),
                Keyword::XRustSerde => self.rust_serde(v, &at, &mut schema.code),
                Keyword::XEnumVarnames => schema.code.variant_names = self.strings(v, &at),
                // `x-enum-varnames` wins, wherever it is written.
                Keyword::XEnumNames if schema.code.variant_names.is_none() => {
                    schema.code.variant_names = self.strings(v, &at)
                }
                Keyword::XEnumDescriptions => {
                    schema.code.variant_descriptions =
                        self.variant_descriptions("x-enum-descriptions", v, &at)
                }
                // `x-enum-descriptions` wins, wherever it is written.
                Keyword::XEnumDescriptionsCamel if schema.code.variant_descriptions.is_none() => {
                    schema.code.variant_descriptions =
                        self.variant_descriptions("x-enumDescriptions", v, &at)
                }
                Keyword::Not => {
                    schema.applicators.not = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::If => {
                    schema.applicators.if_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::Then => {
                    schema.applicators.then_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::Else => {
                    schema.applicators.else_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::Contains => {
                    schema.applicators.contains = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::MinContains => schema.applicators.min_contains = self.count(v, &at),
                Keyword::MaxContains => schema.applicators.max_contains = self.count(v, &at),
                Keyword::PropertyNames => {
                    schema.applicators.property_names =
                        Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                Keyword::PatternProperties => {
                    schema.applicators.pattern_properties = self.schema_map(v, &at, depth)
                }
                Keyword::DependentSchemas => {
                    schema.applicators.dependent_schemas = self.schema_map(v, &at, depth)
                }
                Keyword::DependentRequired => {
                    schema.applicators.dependent_required = self.name_lists(v, &at)
                }
                Keyword::Dependencies => self.dependencies(v, &at, depth, &mut schema.applicators),
                Keyword::UnevaluatedProperties | Keyword::UnevaluatedItems => {
                    let read = Some(Box::new(self.read_at(v, &at, depth + 1)));
                    let a = &mut schema.applicators;
                    if a.unevaluated.is_empty() {
                        a.unevaluated.push(super::Unevaluated::default());
                    }
                    if let Some(u) = a.unevaluated.first_mut() {
                        match keyword {
                            Keyword::UnevaluatedProperties => u.properties = read,
                            _ => u.items = read,
                        }
                    }
                }
                // Read in 3.1 only.
                Keyword::DynamicRef => {
                    let d = Diagnostic::warning(
                        self.file_name,
                        &at,
                        "`$dynamicRef` is read in OpenAPI 3.1 documents only and is ignored",
                    )
                    .at_key()
                    .with_hint("write `openapi: 3.1.0`, or use `$ref`");
                    self.report(d);
                }
                // Second to the dashed keyword, which was read.
                Keyword::XEnumNames | Keyword::XEnumDescriptionsCamel => {}
                Keyword::Annotation => {}
            }
        }
        self.unused_enum_extensions(object, pointer, &schema);
        if exclusive_min_flag {
            match schema.limits.minimum.take() {
                Some(n) => schema.limits.exclusive_minimum = Some(n),
                None => {
                    let d = Diagnostic::warning(
                        self.file_name,
                        child(pointer, "exclusiveMinimum"),
                        "`exclusiveMinimum: true` has no `minimum` to apply to",
                    );
                    self.report(d);
                }
            }
        }
        if exclusive_max_flag {
            match schema.limits.maximum.take() {
                Some(n) => schema.limits.exclusive_maximum = Some(n),
                None => {
                    let d = Diagnostic::warning(
                        self.file_name,
                        child(pointer, "exclusiveMaximum"),
                        "`exclusiveMaximum: true` has no `maximum` to apply to",
                    );
                    self.report(d);
                }
            }
        }
        self.null_beside_values(&mut schema, object, pointer);
        self.tuple(&mut schema, prefix_items, additional_items);
        if self.version == Version::Swagger2 && schema.discriminator.is_none() {
            if let Some(Value::String(p)) = object.get("discriminator") {
                schema.discriminator = Some(Box::new(Discriminator {
                    property_name: p.clone(),
                    mapping: Vec::new(),
                    names_itself: true,
                }));
            }
        }
        schema
    }

    /// Puts a tuple together: `prefixItems` with `items` for the items after it (2020-12), or
    /// draft 4's `items: [..]` with `additionalItems`. `additionalItems` beside anything but a
    /// list of `items` constrains nothing, as the drafts say.
    /// `type: [T, "null"]` beside an `enum` or `const` without `null`: the values listed are
    /// all the schema allows, so `null` is not among them (JSON Schema's reading). OpenAPI 3.0's
    /// `nullable: true` keeps adding `null`, as that keyword is commonly read.
    fn null_beside_values(
        &mut self,
        schema: &mut Schema,
        object: &serde_json::Map<String, Value>,
        pointer: &str,
    ) {
        let typed_null = match object.get("type") {
            Some(Value::Array(types)) => {
                types.iter().any(|t| t == "null") && types.iter().any(|t| t != "null")
            }
            _ => false,
        };
        let said_nullable = ["nullable", "x-nullable"]
            .iter()
            .any(|k| object.get(*k) == Some(&Value::Bool(true)));
        if !schema.nullable || !typed_null || said_nullable {
            return;
        }
        let keyword = match (&schema.enum_values, &schema.const_value) {
            (_, Some(c)) if !c.is_null() => "const",
            (Some(values), None) if !values.contains(&Value::Null) => "enum",
            _ => return,
        };
        schema.nullable = false;
        let d = Diagnostic::warning(
            self.file_name,
            child(pointer, "type"),
            format!(
                "`type` lists `null`, but `{keyword}` leaves it out, so `null` is not accepted"
            ),
        )
        .with_hint(if keyword == "enum" {
            "list `null` among the `enum` values if `null` is meant to be sent"
        } else {
            "write `enum: [<the const value>, null]` instead if `null` is meant to be sent"
        });
        self.report(d);
    }

    fn tuple(
        &mut self,
        schema: &mut Schema,
        prefix: Option<Vec<Schema>>,
        additional: Option<Box<Schema>>,
    ) {
        let free = |s: Option<Box<Schema>>| s.filter(|s| !s.is_empty());
        match (prefix, schema.items.take()) {
            (Some(positions), items) => {
                let rest_written = matches!(items, Some(Items::Single(_)));
                let rest = match items {
                    Some(Items::Single(rest)) => free(Some(rest)),
                    Some(Items::Tuple(list)) => {
                        let d = self.malformed(
                            &child(&schema.pointer, "items"),
                            "`items` beside `prefixItems` must be one schema, not a list",
                        );
                        self.report(d);
                        free(list.rest)
                    }
                    None => None,
                };
                schema.items = Some(Items::Tuple(Tuple {
                    positions,
                    rest,
                    rest_written,
                }));
            }
            (None, Some(Items::Tuple(list))) => {
                schema.items = Some(Items::Tuple(Tuple {
                    positions: list.positions,
                    rest_written: additional.is_some(),
                    rest: free(additional),
                }));
            }
            (None, items) => schema.items = items,
        }
    }

    /// An object of sub-schemas (`patternProperties`, `dependentSchemas`), in order.
    fn schema_map(&mut self, v: &Value, at: &str, depth: usize) -> Vec<(String, Schema)> {
        let Value::Object(map) = v else {
            let d = self.error(at, "expected an object of schemas");
            self.report(d);
            return Vec::new();
        };
        map.iter()
            .map(|(k, s)| (k.clone(), self.read_at(s, &child(at, k), depth + 1)))
            .collect()
    }

    /// An object of property-name lists (`dependentRequired`).
    fn name_lists(&mut self, v: &Value, at: &str) -> Vec<(String, Vec<String>)> {
        let Value::Object(map) = v else {
            let d = self.error(at, "expected an object of property-name arrays");
            self.report(d);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, names) in map {
            if let Some(list) = self.names(names, &child(at, k)) {
                out.push((k.clone(), list));
            }
        }
        out
    }

    fn names(&mut self, v: &Value, at: &str) -> Option<Vec<String>> {
        let list = match v {
            Value::Array(items) => items
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        };
        if list.is_none() {
            let d = self.error(at, "expected an array of property names");
            self.report(d);
        }
        list
    }

    /// Draft 4 `dependencies`: each entry is a list of names or a schema.
    fn dependencies(&mut self, v: &Value, at: &str, depth: usize, into: &mut Applicators) {
        let Value::Object(map) = v else {
            let d = self.error(at, "`dependencies` must be an object");
            self.report(d);
            return;
        };
        for (k, entry) in map {
            let p = child(at, k);
            match entry {
                Value::Array(_) => {
                    if let Some(list) = self.names(entry, &p) {
                        into.dependent_required.push((k.clone(), list));
                    }
                }
                other => {
                    let s = self.read_at(other, &p, depth + 1);
                    into.dependent_schemas.push((k.clone(), s));
                }
            }
        }
    }

    fn list(&mut self, v: &Value, at: &str, depth: usize) -> Vec<Schema> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, s)| self.read_at(s, &child(at, &i.to_string()), depth + 1))
                .collect(),
            _ => {
                let d = self.malformed(at, "expected an array of schemas");
                self.report(d);
                Vec::new()
            }
        }
    }

    /// Warns of the names and descriptions of enum values on a schema with no `enum`, and
    /// nothing (`allOf`, `$ref`) that could bring one.
    fn unused_enum_extensions(
        &mut self,
        object: &serde_json::Map<String, Value>,
        pointer: &str,
        schema: &Schema,
    ) {
        let code = &schema.code;
        if (code.variant_names.is_none() && code.variant_descriptions.is_none())
            || schema.enum_values.is_some()
            || schema.const_value.is_some()
            || !schema.all_of.is_empty()
            || schema.reference.is_some()
        {
            return;
        }
        let given = ["x-enum-varnames", "x-enumNames"];
        let names = (code.variant_names.as_ref())
            .and_then(|_| given.into_iter().find(|k| object.contains_key(*k)));
        let descriptions = code.variant_descriptions.as_ref().map(|d| d.keyword);
        for keyword in names.into_iter().chain(descriptions) {
            let d = Diagnostic::warning(
                self.file_name,
                child(pointer, keyword),
                format!("`{keyword}` has no `enum` beside it and is ignored"),
            )
            .with_hint("write it beside the `enum` whose values it names or describes");
            self.report(d);
        }
    }

    /// `x-enum-descriptions`: a list in the order of `enum`, or a map from each value to
    /// its description; an entry of the map that is not a string is left out.
    fn variant_descriptions(
        &mut self,
        keyword: &'static str,
        v: &Value,
        at: &str,
    ) -> Option<VariantDescriptions> {
        let Value::Object(map) = v else {
            let entries = DescriptionEntries::InOrder(self.strings(v, at)?);
            return Some(VariantDescriptions { keyword, entries });
        };
        let mut by_value = Vec::with_capacity(map.len());
        for (value, description) in map {
            match description {
                Value::String(text) => by_value.push((value.clone(), text.clone())),
                other => {
                    let message = format!("expected a description, found {}", kind_of(other));
                    let d = self.malformed(&child(at, value), message);
                    self.report(d);
                }
            }
        }
        let entries = DescriptionEntries::ByValue(by_value);
        Some(VariantDescriptions { keyword, entries })
    }

    fn read_type(&mut self, v: &Value, at: &str, schema: &mut Schema) {
        let names: Vec<(String, &Value)> = match v {
            Value::String(_) => vec![(at.to_owned(), v)],
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, t)| (child(at, &i.to_string()), t))
                .collect(),
            _ => {
                let d = self.malformed(at, "`type` must be a string or an array of strings");
                self.report(d);
                return;
            }
        };
        let mut types = Vec::new();
        for (p, name) in names {
            let Value::String(name) = name else {
                let d = self.malformed(&p, "`type` entries must be strings");
                self.report(d);
                continue;
            };
            match JsonType::parse(name) {
                Some(JsonType::Null) => schema.nullable = true,
                Some(t) => types.push(t),
                // Swagger 2.0 `type: file` is a binary body.
                None if name == "file" && self.version == Version::Swagger2 => {
                    types.push(JsonType::String);
                    schema.format = Some("binary".to_owned());
                }
                None => {
                    let mut d = self.error(&p, format!("unknown type `{name}`"));
                    let names = JsonType::ALL.map(JsonType::name);
                    if let Some(near) = closest(name, &names) {
                        d = d.with_hint(format!("did you mean `{near}`?"));
                    } else {
                        d = d.with_hint(format!("use one of: {}", names.join(", ")));
                    }
                    self.report(d);
                }
            }
        }
        schema.types = Some(types);
    }
}
