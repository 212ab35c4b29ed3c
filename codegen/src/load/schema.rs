//! The schema language as one typed tree, with the differences between
//! Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1 already smoothed out.
//!
//! Every keyword is either read into [`Schema`], accepted as pure
//! annotation, or reported as unsupported: none is dropped silently.

pub(super) mod keywords;
mod reader;
mod values;

use super::source::FileId;
use crate::sparse::Sparse;
use serde_json::{Number, Value};

pub use keywords::closest;
pub use reader::SchemaReader;

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
    /// Whether a schema was written for the items after the positions, even one that
    /// allows anything (`items: true`): those items then count as evaluated
    /// (`unevaluatedItems`).
    pub rest_written: bool,
}

/// One schema, with every keyword the generator understands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// The file it comes from.
    pub file: FileId,
    /// Its JSON Pointer in that file.
    pub pointer: String,
    /// `$ref` (boxed: most schemas have none).
    pub reference: Option<Box<Reference>>,
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
    /// `default` (boxed, as `const`: most schemas have neither).
    pub default: Option<Box<Value>>,
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
    pub const_value: Option<Box<Value>>,
    /// `properties`, in document order.
    pub properties: Vec<(String, Schema)>,
    /// `required`, with the pointer of each entry.
    pub required: Vec<(String, String)>,
    /// `additionalProperties`.
    pub additional: Option<Additional>,
    /// `items`.
    pub items: Option<Items>,
    /// The bounds on lengths, numbers and counts, and `pattern`.
    pub limits: Sparse<Limits>,
    /// `allOf`.
    pub all_of: Vec<Schema>,
    /// `anyOf`.
    pub any_of: Vec<Schema>,
    /// `oneOf`.
    pub one_of: Vec<Schema>,
    /// `discriminator`.
    pub discriminator: Option<Box<Discriminator>>,
    /// `x-ms-discriminator-value`: the tag value that names this schema among the subtypes
    /// of the base it extends, in place of its schema name (Azure's descriptions use it).
    pub discriminator_value: Option<String>,
    /// `x-open-enum`: keep unknown enum values instead of rejecting them.
    pub open_enum: Option<bool>,
    /// `x-rust-type`: a Rust type to use in place of this schema.
    pub rust_type: Option<Box<RustType>>,
    /// `false` as a whole schema: nothing is valid.
    pub never: bool,
    /// The extensions that name and decorate the generated code.
    pub code: Sparse<CodeExtensions>,
    /// Sub-schemas and rules that only constrain the value (`not`, `if`, `contains`, ...).
    pub applicators: Sparse<Applicators>,
}

/// The keywords that bound a value: lengths, numbers, counts and `pattern` (stored only
/// when one is given: most schemas have none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Limits {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`: the one written, or every one of the `allOf` parts merged (a value matches
    /// each).
    pub patterns: Vec<String>,
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
}

crate::sparse::blank!(Limits);

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
    /// `x-enum-descriptions`, else `x-enumDescriptions`: a description for each `enum`
    /// value.
    pub variant_descriptions: Option<VariantDescriptions>,
    /// `x-rust-serde: {serialize: false}`: whether the type implements `Serialize`.
    pub serialize: Option<bool>,
    /// `x-rust-serde: {deserialize: false}`: whether the type implements `Deserialize`.
    pub deserialize: Option<bool>,
}

crate::sparse::blank!(CodeExtensions);

/// `x-enum-descriptions` or `x-enumDescriptions`, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantDescriptions {
    /// The keyword that gave them.
    pub keyword: &'static str,
    /// The descriptions.
    pub entries: DescriptionEntries,
}

/// The descriptions of enum values, in either of the forms that tools write.
#[derive(Debug, Clone, PartialEq)]
pub enum DescriptionEntries {
    /// A list in the order of `enum` (openapi-generator's form).
    InOrder(Vec<String>),
    /// A map from each value, as text, to its description (Redocly's form).
    ByValue(Vec<(String, String)>),
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

crate::sparse::blank!(Applicators);

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
