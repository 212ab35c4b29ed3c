//! The schema language as one typed tree, with the differences between
//! Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1 already smoothed out.
//!
//! Every keyword is either read into [`Schema`], accepted as pure
//! annotation, or reported as unsupported: none is dropped silently.

use super::source::{child, FileId};
use super::Version;
use crate::diagnostic::{Diagnostic, Diagnostics};
use serde_json::{Number, Value};

/// Deepest schema nesting accepted; deeper input is reported, never overflowed.
pub const MAX_DEPTH: usize = 128;

/// A JSON type name from the `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    /// `null`
    Null,
    /// `boolean`
    Boolean,
    /// `object`
    Object,
    /// `array`
    Array,
    /// `number`
    Number,
    /// `integer`
    Integer,
    /// `string`
    String,
}

impl JsonType {
    /// The spelling in schemas.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::String => "string",
        }
    }

    const ALL: [JsonType; 7] = [
        JsonType::Null,
        JsonType::Boolean,
        JsonType::Object,
        JsonType::Array,
        JsonType::Number,
        JsonType::Integer,
        JsonType::String,
    ];

    fn parse(name: &str) -> Option<JsonType> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Where a `$ref` points: a file and a pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// The file.
    pub file: FileId,
    /// JSON Pointer inside the file.
    pub pointer: String,
}

/// A `$ref` (or `$dynamicRef`), as written and as resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The reference text.
    pub text: String,
    /// The URI part before `#`: a file relative to the referring file, or a URI resolved
    /// against the nearest `$id` (`""` for the same document or resource).
    pub file_part: String,
    /// The JSON Pointer after `#` (percent-decoded), read from the root of the resource.
    pub pointer: String,
    /// A plain-name fragment (`#foo`) in place of a pointer: an `$anchor` of the resource.
    pub anchor: Option<String>,
    /// Written as `$dynamicRef`.
    pub dynamic: bool,
    /// A discriminator `mapping` value that names a schema (`Dog`): read from the document's
    /// schemas, whatever `$id` is around it.
    pub by_name: bool,
    /// Filled in by the loader once the target file is known.
    pub target: Option<Target>,
}

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `true`, or absent.
    Allowed,
    /// `false`.
    Denied,
    /// A schema for the values.
    Schema(Box<Schema>),
}

/// A `discriminator`.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// `propertyName`.
    pub property_name: String,
    /// `mapping`: wire value to reference, in order.
    pub mapping: Vec<(String, Reference)>,
    /// Written in Swagger 2.0's form (the property name alone), whose tag value may also be
    /// the name of the schema that holds the discriminator, not only of a schema inheriting it.
    pub names_itself: bool,
}

/// `items`.
#[derive(Debug, Clone, PartialEq)]
pub enum Items {
    /// One schema for every item.
    Single(Box<Schema>),
    /// A tuple: a schema per position (`prefixItems`, or draft 4's `items: [..]`).
    Tuple(Tuple),
}

/// A tuple's schemas.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuple {
    /// One schema per position, in order.
    pub positions: Vec<Schema>,
    /// The schema of the items after the positions (`items` beside `prefixItems`, draft 4's
    /// `additionalItems`); `false` closes the tuple. `None`: any further items.
    pub rest: Option<Box<Schema>>,
}

/// One schema, with every keyword the generator understands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// The file it comes from.
    pub file: FileId,
    /// Its JSON Pointer in that file.
    pub pointer: String,
    /// `$ref`.
    pub reference: Option<Reference>,
    /// `type`, without `null` (that goes to `nullable`).
    pub types: Option<Vec<JsonType>>,
    /// `nullable: true`, `x-nullable: true`, or `null` among the types.
    pub nullable: bool,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<Value>,
    /// `example` and `examples`.
    pub examples: Vec<Value>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `enum`.
    pub enum_values: Option<Vec<Value>>,
    /// `const`.
    pub const_value: Option<Value>,
    /// `properties`, in document order.
    pub properties: Vec<(String, Schema)>,
    /// `required`, with the pointer of each entry.
    pub required: Vec<(String, String)>,
    /// `additionalProperties`.
    pub additional: Option<Additional>,
    /// `items`.
    pub items: Option<Items>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<Number>,
    /// `maximum`.
    pub maximum: Option<Number>,
    /// `exclusiveMinimum`, in its 3.1 number form.
    pub exclusive_minimum: Option<Number>,
    /// `exclusiveMaximum`, in its 3.1 number form.
    pub exclusive_maximum: Option<Number>,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `allOf`.
    pub all_of: Vec<Schema>,
    /// `anyOf`.
    pub any_of: Vec<Schema>,
    /// `oneOf`.
    pub one_of: Vec<Schema>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `x-ms-discriminator-value`: the tag value that names this schema among the subtypes
    /// of the base it extends, in place of its schema name (Azure's descriptions use it).
    pub discriminator_value: Option<String>,
    /// `x-open-enum`: keep unknown enum values instead of rejecting them.
    pub open_enum: Option<bool>,
    /// `x-rust-type`: a Rust type to use in place of this schema.
    pub rust_type: Option<RustType>,
    /// `false` as a whole schema: nothing is valid.
    pub never: bool,
    /// The extensions that name and decorate the generated code.
    pub code: CodeExtensions,
    /// Sub-schemas and rules that only constrain the value (`not`, `if`, `contains`, ...).
    pub applicators: Applicators,
}

/// `x-rust-type`, in typify's form: `{crate: my_money, version: "1", path: my_money::Money}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustType {
    /// The crate the type comes from.
    pub crate_name: String,
    /// Its version requirement.
    pub version: String,
    /// The type's path.
    pub path: String,
}

/// Extensions that choose how the generated code looks, read as written; they do not
/// change which values are valid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeExtensions {
    /// `x-rust-name`: the type's name, or on a property the field's name.
    pub name: Option<String>,
    /// `x-rust-attrs`: attributes for the type, or on a property for the field.
    pub attrs: Vec<String>,
    /// `x-enum-varnames`, else `x-enumNames`: a name for each `enum` value, in order.
    pub variant_names: Option<Vec<String>>,
    /// `x-rust-serde: {serialize: false}`: whether the type implements `Serialize`.
    pub serialize: Option<bool>,
    /// `x-rust-serde: {deserialize: false}`: whether the type implements `Deserialize`.
    pub deserialize: Option<bool>,
}

/// Keywords that constrain a value through sub-schemas or rules, without shaping its type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applicators {
    /// `not`.
    pub not: Option<Box<Schema>>,
    /// `if`.
    pub if_schema: Option<Box<Schema>>,
    /// `then`.
    pub then_schema: Option<Box<Schema>>,
    /// `else`.
    pub else_schema: Option<Box<Schema>>,
    /// `dependentRequired`, and the name-list entries of draft 4 `dependencies`.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// `dependentSchemas`, and the schema entries of draft 4 `dependencies`.
    pub dependent_schemas: Vec<(String, Schema)>,
    /// `contains`.
    pub contains: Option<Box<Schema>>,
    /// `minContains`.
    pub min_contains: Option<u64>,
    /// `maxContains`.
    pub max_contains: Option<u64>,
    /// `propertyNames`.
    pub property_names: Option<Box<Schema>>,
    /// `patternProperties`, in document order.
    pub pattern_properties: Vec<(String, Schema)>,
    /// `unevaluatedProperties` and `unevaluatedItems`: one entry as read, more once `allOf`
    /// parts are merged (each keeps the schema whose evaluations it sees).
    pub unevaluated: Vec<Unevaluated>,
}

/// `unevaluatedProperties` and `unevaluatedItems` of one schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unevaluated {
    /// `unevaluatedProperties`.
    pub properties: Option<Box<Schema>>,
    /// `unevaluatedItems`.
    pub items: Option<Box<Schema>>,
    /// The schema whose keywords evaluate properties and items for these two: `None` for the
    /// schema they are written in, set when merging `allOf` takes that schema apart.
    pub within: Option<Box<Schema>>,
}

impl Applicators {
    /// Whether none is given.
    pub fn is_empty(&self) -> bool {
        *self == Applicators::default()
    }

    /// Every sub-schema, for walks over the tree.
    pub fn schemas_mut(&mut self) -> impl Iterator<Item = &mut Schema> {
        let boxed = [
            &mut self.not,
            &mut self.if_schema,
            &mut self.then_schema,
            &mut self.else_schema,
            &mut self.contains,
            &mut self.property_names,
        ]
        .into_iter()
        .filter_map(|s| s.as_deref_mut());
        let unevaluated = self.unevaluated.iter_mut().flat_map(|u| {
            [&mut u.properties, &mut u.items]
                .into_iter()
                .filter_map(|s| s.as_deref_mut())
        });
        boxed
            .chain(self.dependent_schemas.iter_mut().map(|(_, s)| s))
            .chain(self.pattern_properties.iter_mut().map(|(_, s)| s))
            .chain(unevaluated)
    }
}

impl Schema {
    /// Whether the schema constrains nothing at all (`{}` or `true`).
    pub fn is_empty(&self) -> bool {
        let blank = Schema {
            file: self.file,
            pointer: self.pointer.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            examples: self.examples.clone(),
            default: self.default.clone(),
            deprecated: self.deprecated,
            read_only: self.read_only,
            write_only: self.write_only,
            code: self.code.clone(),
            ..Schema::default()
        };
        *self == blank
    }
}

/// Annotations that carry no meaning for models and are accepted quietly.
const ANNOTATIONS: &[&str] = &[
    "xml",
    "externalDocs",
    "$comment",
    "$schema",
    "$id",
    "id",
    // Read by the loader's index of identifiers (`ids.rs`); the schemas under `$defs` are
    // read when a reference reaches them.
    "$anchor",
    "$dynamicAnchor",
    "$defs",
    "definitions",
    "contentMediaType",
    "contentEncoding",
];

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

    fn error(&mut self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file_name, pointer, message)
    }

    /// A keyword whose value has the wrong form: a warning, and the keyword is
    /// left out (code can be generated around it; the description needs fixing).
    fn malformed(&mut self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file_name, pointer, message)
            .with_hint("the keyword is ignored; a `[[patch]]` in codegen.toml can correct it")
    }

    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
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
            match key.as_str() {
                "$ref" => schema.reference = self.reference(v, &at),
                "$dynamicRef" if self.version == Version::OpenApi31 => {
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
                            .map(|r| Reference { dynamic: true, ..r });
                    }
                }
                "type" => self.read_type(v, &at, &mut schema),
                "nullable" | "x-nullable" => schema.nullable |= self.boolean(v, &at),
                "format" => schema.format = self.string(v, &at),
                "title" => schema.title = self.string(v, &at),
                "description" => schema.description = self.string(v, &at),
                "default" => schema.default = Some(v.clone()),
                "example" => schema.examples.insert(0, v.clone()),
                "examples" => match v {
                    Value::Array(items) => schema.examples.extend(items.iter().cloned()),
                    // 3.0 media-type style examples map: keep each `value`.
                    Value::Object(map) => schema
                        .examples
                        .extend(map.values().filter_map(|e| e.get("value").cloned())),
                    other => schema.examples.push(other.clone()),
                },
                "deprecated" => schema.deprecated = self.boolean(v, &at),
                "readOnly" => schema.read_only = self.boolean(v, &at),
                "writeOnly" => schema.write_only = self.boolean(v, &at),
                "enum" => match v {
                    Value::Array(values) => schema.enum_values = Some(values.clone()),
                    _ => {
                        let d = self.malformed(&at, "`enum` must be an array");
                        self.report(d);
                    }
                },
                "const" => schema.const_value = Some(v.clone()),
                "properties" => match v {
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
                "required" => match v {
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
                "additionalProperties" => {
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
                "items" => {
                    schema.items = Some(match v {
                        Value::Array(_) => Items::Tuple(Tuple {
                            positions: self.list(v, &at, depth),
                            rest: None,
                        }),
                        other => Items::Single(Box::new(self.read_at(other, &at, depth + 1))),
                    })
                }
                "prefixItems" => prefix_items = Some(self.list(v, &at, depth)),
                "additionalItems" => {
                    additional_items = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "minLength" => schema.min_length = self.count(v, &at),
                "maxLength" => schema.max_length = self.count(v, &at),
                "minItems" => schema.min_items = self.count(v, &at),
                "maxItems" => schema.max_items = self.count(v, &at),
                "minProperties" => schema.min_properties = self.count(v, &at),
                "maxProperties" => schema.max_properties = self.count(v, &at),
                "uniqueItems" => schema.unique_items = self.boolean(v, &at),
                "pattern" => schema.pattern = self.string(v, &at),
                "minimum" => schema.minimum = self.number(v, &at),
                "maximum" => schema.maximum = self.number(v, &at),
                "exclusiveMinimum" => match v {
                    Value::Bool(b) => exclusive_min_flag = *b,
                    _ => schema.exclusive_minimum = self.number(v, &at),
                },
                "exclusiveMaximum" => match v {
                    Value::Bool(b) => exclusive_max_flag = *b,
                    _ => schema.exclusive_maximum = self.number(v, &at),
                },
                "multipleOf" => {
                    schema.multiple_of = self.number(v, &at);
                    if let Some(n) = &schema.multiple_of {
                        if n.as_f64().is_some_and(|f| f <= 0.0) {
                            let d = self.malformed(&at, "`multipleOf` must be greater than 0");
                            self.report(d);
                            schema.multiple_of = None;
                        }
                    }
                }
                "allOf" => schema.all_of = self.list(v, &at, depth),
                "anyOf" => schema.any_of = self.list(v, &at, depth),
                "oneOf" => schema.one_of = self.list(v, &at, depth),
                "discriminator" => schema.discriminator = self.discriminator(v, &at),
                "x-ms-discriminator-value" => schema.discriminator_value = self.string(v, &at),
                "x-open-enum" => schema.open_enum = Some(self.boolean(v, &at)),
                "x-rust-type" => schema.rust_type = self.rust_type(v, &at),
                "x-rust-name" => schema.code.name = self.string(v, &at),
                "x-rust-attrs" => schema.code.attrs = self.strings(v, &at).unwrap_or_default(),
                "x-rust-serde" => self.rust_serde(v, &at, &mut schema.code),
                "x-enum-varnames" => schema.code.variant_names = self.strings(v, &at),
                // `x-enum-varnames` wins, wherever it is written.
                "x-enumNames" if schema.code.variant_names.is_none() => {
                    schema.code.variant_names = self.strings(v, &at)
                }
                "not" => schema.applicators.not = Some(Box::new(self.read_at(v, &at, depth + 1))),
                "if" => {
                    schema.applicators.if_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "then" => {
                    schema.applicators.then_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "else" => {
                    schema.applicators.else_schema = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "contains" => {
                    schema.applicators.contains = Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "minContains" => schema.applicators.min_contains = self.count(v, &at),
                "maxContains" => schema.applicators.max_contains = self.count(v, &at),
                "propertyNames" => {
                    schema.applicators.property_names =
                        Some(Box::new(self.read_at(v, &at, depth + 1)))
                }
                "patternProperties" => {
                    schema.applicators.pattern_properties = self.schema_map(v, &at, depth)
                }
                "dependentSchemas" => {
                    schema.applicators.dependent_schemas = self.schema_map(v, &at, depth)
                }
                "dependentRequired" => {
                    schema.applicators.dependent_required = self.name_lists(v, &at)
                }
                "dependencies" => self.dependencies(v, &at, depth, &mut schema.applicators),
                "unevaluatedProperties" | "unevaluatedItems" => {
                    let read = Some(Box::new(self.read_at(v, &at, depth + 1)));
                    let a = &mut schema.applicators;
                    if a.unevaluated.is_empty() {
                        a.unevaluated.push(Unevaluated::default());
                    }
                    if let Some(u) = a.unevaluated.first_mut() {
                        match key.as_str() {
                            "unevaluatedProperties" => u.properties = read,
                            _ => u.items = read,
                        }
                    }
                }
                k if ANNOTATIONS.contains(&k) => {}
                k if k.starts_with("x-") => {}
                k => {
                    let mut d = Diagnostic::warning(
                        self.file_name,
                        &at,
                        format!("the keyword `{k}` is not supported and is ignored"),
                    )
                    .at_key();
                    if let Some(near) = closest_keyword(k) {
                        d = d.with_hint(format!("did you mean `{near}`?"));
                    }
                    self.report(d);
                }
            }
        }
        if exclusive_min_flag {
            match schema.minimum.take() {
                Some(n) => schema.exclusive_minimum = Some(n),
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
            match schema.maximum.take() {
                Some(n) => schema.exclusive_maximum = Some(n),
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
        self.tuple(&mut schema, prefix_items, additional_items);
        if self.version == Version::Swagger2 && schema.discriminator.is_none() {
            if let Some(Value::String(p)) = object.get("discriminator") {
                schema.discriminator = Some(Discriminator {
                    property_name: p.clone(),
                    mapping: Vec::new(),
                    names_itself: true,
                });
            }
        }
        schema
    }

    /// Puts a tuple together: `prefixItems` with `items` for the items after it (2020-12), or
    /// draft 4's `items: [..]` with `additionalItems`. `additionalItems` beside anything but a
    /// list of `items` constrains nothing, as the drafts say.
    fn tuple(
        &mut self,
        schema: &mut Schema,
        prefix: Option<Vec<Schema>>,
        additional: Option<Box<Schema>>,
    ) {
        let free = |s: Option<Box<Schema>>| s.filter(|s| !s.is_empty());
        match (prefix, schema.items.take()) {
            (Some(positions), items) => {
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
                schema.items = Some(Items::Tuple(Tuple { positions, rest }));
            }
            (None, Some(Items::Tuple(list))) => {
                schema.items = Some(Items::Tuple(Tuple {
                    positions: list.positions,
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

    fn reference(&mut self, v: &Value, at: &str) -> Option<Reference> {
        let Value::String(text) = v else {
            let d = self.error(at, "`$ref` must be a string");
            self.report(d);
            return None;
        };
        let (file_part, fragment) = match text.split_once('#') {
            Some((f, p)) => (f, p),
            None => (text.as_str(), ""),
        };
        let mut pointer = match percent_decode(fragment) {
            Some(p) => p,
            None => {
                let d = self.error(at, format!("`{text}` is not a valid reference"));
                self.report(d);
                return None;
            }
        };
        let anchor = (!pointer.is_empty() && super::ids::is_anchor_name(&pointer))
            .then(|| std::mem::take(&mut pointer));
        if !pointer.is_empty() && !pointer.starts_with('/') {
            let d = self
                .error(
                    at,
                    format!("`{text}` does not hold a JSON Pointer after `#`"),
                )
                .with_hint(
                    "write references as `#/components/schemas/Name`, or `#name` for an `$anchor`",
                );
            self.report(d);
            return None;
        }
        Some(Reference {
            text: text.clone(),
            file_part: file_part.to_owned(),
            pointer,
            anchor,
            dynamic: false,
            by_name: false,
            target: None,
        })
    }

    fn discriminator(&mut self, v: &Value, at: &str) -> Option<Discriminator> {
        match v {
            // Swagger 2.0 writes the property name alone.
            Value::String(name) => Some(Discriminator {
                property_name: name.clone(),
                mapping: Vec::new(),
                names_itself: true,
            }),
            Value::Object(map) => {
                let Some(Value::String(name)) = map.get("propertyName") else {
                    let d = self.malformed(at, "`discriminator` needs a string `propertyName`");
                    self.report(d);
                    return None;
                };
                let mut mapping = Vec::new();
                if let Some(m) = map.get("mapping") {
                    let mat = child(at, "mapping");
                    match m {
                        Value::Object(entries) => {
                            for (value, target) in entries {
                                let p = child(&mat, value);
                                let named = self.mapping_target(target);
                                let by_name = named != *target;
                                if let Some(r) = self.reference(&named, &p) {
                                    mapping.push((value.clone(), Reference { by_name, ..r }));
                                }
                            }
                        }
                        _ => {
                            let d = self.malformed(&mat, "`mapping` must be an object");
                            self.report(d);
                        }
                    }
                }
                Some(Discriminator {
                    property_name: name.clone(),
                    mapping,
                    names_itself: false,
                })
            }
            _ => {
                let d = self.malformed(at, "`discriminator` must be an object");
                self.report(d);
                None
            }
        }
    }

    /// A `mapping` value as a reference: a bare schema name (`Dog`) names a schema of
    /// this document; anything with `#`, `/` or a file extension is a reference already.
    fn mapping_target(&self, target: &Value) -> Value {
        match target {
            Value::String(name)
                if !name.contains(['#', '/'])
                    && !name.ends_with(".yaml")
                    && !name.ends_with(".yml")
                    && !name.ends_with(".json") =>
            {
                let base = match self.version {
                    Version::Swagger2 => "#/definitions/",
                    _ => "#/components/schemas/",
                };
                Value::String(format!("{base}{}", name.replace('~', "~0")))
            }
            other => other.clone(),
        }
    }

    /// An array of strings (one string alone counts as an array of it).
    fn strings(&mut self, v: &Value, at: &str) -> Option<Vec<String>> {
        let list = match v {
            Value::String(one) => Some(vec![one.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        };
        if list.is_none() {
            let d = self.malformed(
                at,
                format!("expected an array of strings, found {}", kind_of(v)),
            );
            self.report(d);
        }
        list
    }

    fn string(&mut self, v: &Value, at: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                let d = self.malformed(at, format!("expected a string, found {}", kind_of(other)));
                self.report(d);
                None
            }
        }
    }

    /// `x-rust-type`: `crate`, `version` and `path` strings, as typify reads them. Generic
    /// `parameters` are not supported: the extension is then left out with a warning.
    fn rust_type(&mut self, v: &Value, at: &str) -> Option<RustType> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(crate_name), Some(version), Some(path)) =
            (text("crate"), text("version"), text("path"))
        else {
            let d = self.malformed(
                at,
                "`x-rust-type` needs the strings `crate`, `version` and `path` (`{crate: my_money, version: \"1\", path: my_money::Money}`)",
            );
            self.report(d);
            return None;
        };
        if v.get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty())
        {
            let d = self.malformed(
                &child(at, "parameters"),
                "`x-rust-type` with generic `parameters` is not supported; the schema is generated instead",
            );
            self.report(d);
            return None;
        }
        if let Some(map) = v.as_object() {
            for key in map.keys() {
                if !["crate", "version", "path", "parameters"].contains(&key.as_str()) {
                    let d = self.malformed(
                        &child(at, key),
                        format!("`x-rust-type` has no field `{key}`; it reads `crate`, `version`, `path` and `parameters`"),
                    );
                    self.report(d);
                }
            }
        }
        Some(RustType {
            crate_name,
            version,
            path,
        })
    }

    /// `x-rust-serde`: `serialize` and `deserialize` booleans, each optional.
    fn rust_serde(&mut self, v: &Value, at: &str, code: &mut CodeExtensions) {
        const KEYS: [&str; 2] = ["serialize", "deserialize"];
        let Some(map) = v.as_object() else {
            let d = self.malformed(
                at,
                format!(
                    "`x-rust-serde` is an object such as `{{serialize: false}}`, found {}",
                    kind_of(v)
                ),
            );
            self.report(d);
            return;
        };
        for (key, value) in map {
            let at = child(at, key);
            match key.as_str() {
                // A value that is not a boolean is reported, and leaves the default.
                "serialize" => code.serialize = self.flag(value, &at),
                "deserialize" => code.deserialize = self.flag(value, &at),
                other => {
                    let mut d = self.malformed(
                        &at,
                        format!("`x-rust-serde` has no field `{other}`; it reads `serialize` and `deserialize`"),
                    );
                    if let Some(near) = closest(other, &KEYS) {
                        d = d.with_hint(format!("did you mean `{near}`?"));
                    }
                    self.report(d);
                }
            }
        }
    }

    /// A boolean, or `None` (reported) for anything else.
    fn flag(&mut self, v: &Value, at: &str) -> Option<bool> {
        let flag = v.as_bool();
        if flag.is_none() {
            self.boolean(v, at);
        }
        flag
    }

    fn boolean(&mut self, v: &Value, at: &str) -> bool {
        match v {
            Value::Bool(b) => *b,
            other => {
                let d = self.malformed(
                    at,
                    format!("expected true or false, found {}", kind_of(other)),
                );
                self.report(d);
                false
            }
        }
    }

    fn count(&mut self, v: &Value, at: &str) -> Option<u64> {
        match v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64)
                .map(|f| f as u64)
        }) {
            Some(n) => Some(n),
            None => {
                let d = self.malformed(at, format!("expected a non-negative integer, found {v}"));
                self.report(d);
                None
            }
        }
    }

    fn number(&mut self, v: &Value, at: &str) -> Option<Number> {
        match v {
            Value::Number(n) => Some(n.clone()),
            other => {
                let d = self.malformed(at, format!("expected a number, found {}", kind_of(other)));
                self.report(d);
                None
            }
        }
    }
}

/// Names a JSON value's kind for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "nullable",
    "format",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "additionalItems",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "discriminator",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "$defs",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
];

fn closest_keyword(k: &str) -> Option<&'static str> {
    closest(k, KEYWORDS)
}

/// The candidate within a small edit distance of `word`, if any.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = best;
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

pub(super) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
