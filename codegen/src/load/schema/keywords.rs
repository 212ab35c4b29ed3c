//! The keywords a schema may hold: the ones read, the annotations accepted quietly, and
//! the suggestion for a misspelt one.

use serde_json::Value;

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

/// A keyword the reader knows. Each is named in [`NAMES`], and the reader's `match` on it is
/// complete: a variant without a name is never built (a warning), and one without an arm
/// does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    /// `$ref`.
    Ref,
    /// `$dynamicRef`.
    DynamicRef,
    /// `type`.
    Type,
    /// `nullable`, `x-nullable`.
    Nullable,
    /// `format`.
    Format,
    /// `title`.
    Title,
    /// `description`.
    Description,
    /// `default`.
    Default,
    /// `example`.
    Example,
    /// `examples`.
    Examples,
    /// `deprecated`.
    Deprecated,
    /// `readOnly`.
    ReadOnly,
    /// `writeOnly`.
    WriteOnly,
    /// `enum`.
    Enum,
    /// `const`.
    Const,
    /// `properties`.
    Properties,
    /// `required`.
    Required,
    /// `additionalProperties`.
    AdditionalProperties,
    /// `items`.
    Items,
    /// `prefixItems`.
    PrefixItems,
    /// `additionalItems`.
    AdditionalItems,
    /// `minLength`.
    MinLength,
    /// `maxLength`.
    MaxLength,
    /// `minItems`.
    MinItems,
    /// `maxItems`.
    MaxItems,
    /// `minProperties`.
    MinProperties,
    /// `maxProperties`.
    MaxProperties,
    /// `uniqueItems`.
    UniqueItems,
    /// `pattern`.
    Pattern,
    /// `minimum`.
    Minimum,
    /// `maximum`.
    Maximum,
    /// `exclusiveMinimum`.
    ExclusiveMinimum,
    /// `exclusiveMaximum`.
    ExclusiveMaximum,
    /// `multipleOf`.
    MultipleOf,
    /// `allOf`.
    AllOf,
    /// `anyOf`.
    AnyOf,
    /// `oneOf`.
    OneOf,
    /// `discriminator`.
    Discriminator,
    /// `x-ms-discriminator-value`.
    XMsDiscriminatorValue,
    /// `x-open-enum`.
    XOpenEnum,
    /// `x-rust-type`.
    XRustType,
    /// `x-rust-name`.
    XRustName,
    /// `x-rust-attrs`.
    XRustAttrs,
    /// `x-rust-serde`.
    XRustSerde,
    /// `x-enum-varnames`.
    XEnumVarnames,
    /// `x-enumNames`.
    XEnumNames,
    /// `x-enum-descriptions`.
    XEnumDescriptions,
    /// `x-enumDescriptions`.
    XEnumDescriptionsCamel,
    /// `not`.
    Not,
    /// `if`.
    If,
    /// `then`.
    Then,
    /// `else`.
    Else,
    /// `contains`.
    Contains,
    /// `minContains`.
    MinContains,
    /// `maxContains`.
    MaxContains,
    /// `propertyNames`.
    PropertyNames,
    /// `patternProperties`.
    PatternProperties,
    /// `dependentSchemas`.
    DependentSchemas,
    /// `dependentRequired`.
    DependentRequired,
    /// `dependencies`.
    Dependencies,
    /// `unevaluatedProperties`.
    UnevaluatedProperties,
    /// `unevaluatedItems`.
    UnevaluatedItems,
    /// An annotation that carries no meaning for models, accepted quietly.
    Annotation,
}

/// Every keyword the reader knows, by the name it is written with.
const NAMES: &[(&str, Keyword)] = &[
    ("$ref", Keyword::Ref),
    ("$dynamicRef", Keyword::DynamicRef),
    ("type", Keyword::Type),
    ("nullable", Keyword::Nullable),
    ("x-nullable", Keyword::Nullable),
    ("format", Keyword::Format),
    ("title", Keyword::Title),
    ("description", Keyword::Description),
    ("default", Keyword::Default),
    ("example", Keyword::Example),
    ("examples", Keyword::Examples),
    ("deprecated", Keyword::Deprecated),
    ("readOnly", Keyword::ReadOnly),
    ("writeOnly", Keyword::WriteOnly),
    ("enum", Keyword::Enum),
    ("const", Keyword::Const),
    ("properties", Keyword::Properties),
    ("required", Keyword::Required),
    ("additionalProperties", Keyword::AdditionalProperties),
    ("items", Keyword::Items),
    ("prefixItems", Keyword::PrefixItems),
    ("additionalItems", Keyword::AdditionalItems),
    ("minLength", Keyword::MinLength),
    ("maxLength", Keyword::MaxLength),
    ("minItems", Keyword::MinItems),
    ("maxItems", Keyword::MaxItems),
    ("minProperties", Keyword::MinProperties),
    ("maxProperties", Keyword::MaxProperties),
    ("uniqueItems", Keyword::UniqueItems),
    ("pattern", Keyword::Pattern),
    ("minimum", Keyword::Minimum),
    ("maximum", Keyword::Maximum),
    ("exclusiveMinimum", Keyword::ExclusiveMinimum),
    ("exclusiveMaximum", Keyword::ExclusiveMaximum),
    ("multipleOf", Keyword::MultipleOf),
    ("allOf", Keyword::AllOf),
    ("anyOf", Keyword::AnyOf),
    ("oneOf", Keyword::OneOf),
    ("discriminator", Keyword::Discriminator),
    ("x-ms-discriminator-value", Keyword::XMsDiscriminatorValue),
    ("x-open-enum", Keyword::XOpenEnum),
    ("x-rust-type", Keyword::XRustType),
    ("x-rust-name", Keyword::XRustName),
    ("x-rust-attrs", Keyword::XRustAttrs),
    ("x-rust-serde", Keyword::XRustSerde),
    ("x-enum-varnames", Keyword::XEnumVarnames),
    ("x-enumNames", Keyword::XEnumNames),
    ("x-enum-descriptions", Keyword::XEnumDescriptions),
    ("x-enumDescriptions", Keyword::XEnumDescriptionsCamel),
    ("not", Keyword::Not),
    ("if", Keyword::If),
    ("then", Keyword::Then),
    ("else", Keyword::Else),
    ("contains", Keyword::Contains),
    ("minContains", Keyword::MinContains),
    ("maxContains", Keyword::MaxContains),
    ("propertyNames", Keyword::PropertyNames),
    ("patternProperties", Keyword::PatternProperties),
    ("dependentSchemas", Keyword::DependentSchemas),
    ("dependentRequired", Keyword::DependentRequired),
    ("dependencies", Keyword::Dependencies),
    ("unevaluatedProperties", Keyword::UnevaluatedProperties),
    ("unevaluatedItems", Keyword::UnevaluatedItems),
    // Annotations that carry no meaning for models.
    ("xml", Keyword::Annotation),
    ("externalDocs", Keyword::Annotation),
    ("$comment", Keyword::Annotation),
    ("$schema", Keyword::Annotation),
    ("$id", Keyword::Annotation),
    ("id", Keyword::Annotation),
    // Read by the loader's index of identifiers (`ids.rs`); the schemas under `$defs` are
    // read when a reference reaches them.
    ("$anchor", Keyword::Annotation),
    ("$dynamicAnchor", Keyword::Annotation),
    ("$defs", Keyword::Annotation),
    ("definitions", Keyword::Annotation),
    ("contentMediaType", Keyword::Annotation),
    ("contentEncoding", Keyword::Annotation),
];

impl Keyword {
    /// The keyword written `name`, if the reader knows it.
    pub(super) fn named(name: &str) -> Option<Keyword> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// The known keyword nearest a misspelt one (vendor extensions aside).
pub(super) fn closest_keyword(k: &str) -> Option<&'static str> {
    let names: Vec<&'static str> = NAMES
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !n.starts_with("x-"))
        .collect();
    closest(k, &names)
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
