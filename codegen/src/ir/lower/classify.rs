//! What a schema's keywords make of it, read from every keyword at once.
//!
//! [`classify`] destructures [`Schema`] and [`Applicators`] field by field, so a keyword
//! added to either does not compile until it is sorted here: into what gives a schema
//! structure (a `$ref` beside it cannot simply be followed), or into annotations and
//! keywords lowered elsewhere.

use super::enums::{enum_values, is_scalar_enum};
use super::unions::{branches_beside_map, is_null_schema, split_any_of, union_branches};
use super::Lowerer;
use crate::load::schema::{self as s, Applicators, JsonType, Schema};
use serde_json::Value;

/// What a schema is, as far as the keywords written on it say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Class {
    /// It has keywords beyond annotations, `$ref` and `allOf`, so a `$ref` beside them
    /// cannot simply be followed.
    pub structure: bool,
    /// It describes an object: `type: object`, or no `type` with `properties` or
    /// `additionalProperties`.
    pub object: bool,
    /// It becomes a struct, named or inline: it lists properties, or it is an object that
    /// is closed (`additionalProperties: false`, unknown keys rejected) or names `required`
    /// keys (each kept as a field so its absence is rejected).
    pub record: bool,
}

/// Sorts a schema by its keywords (see [`Class`]).
pub(super) fn classify(schema: &Schema) -> Class {
    let Schema {
        // Where it is, and the references and parts lowering follows or merges first.
        file: _,
        pointer: _,
        reference,
        all_of: _,
        // Annotations, and what only names or decorates the generated type.
        title: _,
        description: _,
        default: _,
        examples: _,
        deprecated: _,
        read_only: _,
        write_only: _,
        discriminator_value: _,
        open_enum: _,
        rust_type: _,
        code: _,
        // `null` is held as an `Option` around whatever the rest makes.
        nullable: _,
        types,
        never,
        format,
        enum_values,
        const_value,
        properties,
        required,
        additional,
        items,
        limits,
        any_of,
        one_of,
        discriminator,
        applicators,
    } = schema;
    let s::Limits {
        min_length,
        max_length,
        patterns,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
    } = &**limits;
    // `type: object` alone adds nothing to the object a `$ref` names.
    let typed = match types.as_deref() {
        None | Some([JsonType::Object]) => false,
        Some(_) => reference.is_none(),
    };
    let structure = typed
        || *never
        || format.is_some()
        || enum_values.is_some()
        || const_value.is_some()
        || !properties.is_empty()
        || !required.is_empty()
        || additional.is_some()
        || items.is_some()
        || min_length.is_some()
        || max_length.is_some()
        || !patterns.is_empty()
        || minimum.is_some()
        || maximum.is_some()
        || exclusive_minimum.is_some()
        || exclusive_maximum.is_some()
        || multiple_of.is_some()
        || min_items.is_some()
        || max_items.is_some()
        || *unique_items
        || min_properties.is_some()
        || max_properties.is_some()
        || !any_of.is_empty()
        || !one_of.is_empty()
        || discriminator.is_some()
        || applies(applicators);
    let object = match types.as_deref() {
        Some(types) => types == [JsonType::Object],
        None => !properties.is_empty() || additional.is_some(),
    };
    // `properties` and the like apply to objects only: beside a `type` that leaves objects out
    // they have no effect (see `Lowerer::warn_object_keywords`).
    let record = allows_object(schema)
        && (!properties.is_empty()
            || (object
                && (matches!(additional, Some(s::Additional::Denied)) || !required.is_empty())));
    Class {
        structure,
        object,
        record,
    }
}

/// What a (normalised) schema becomes. [`Lowerer::becomes`] decides it once, in one order, for
/// a named schema ([`Lowerer::kind`]) and for a use ([`Lowerer::shape_inner`]); a use makes a
/// named type of whatever is more than a value.
pub(super) enum Becomes {
    /// `oneOf` and `anyOf` together: the rest (the `oneOf`), checked against the `anyOf`.
    BesideAnyOf { rest: Schema, any_of: Vec<Schema> },
    /// A union whose `type` beside rules branches out: what the narrowed schema becomes.
    Narrowed(Schema),
    /// Scalar values listed by `enum` or `const`.
    Enum(Vec<Value>),
    /// `oneOf`/`anyOf` whose every branch is `null`, with no `type`: `null` is the one value.
    OnlyNull,
    /// One branch besides `null` ones: that branch, with the keywords beside it; `null` too
    /// when a `null` branch was dropped.
    OneBranch { only: Schema, null_branch: bool },
    /// Two or more branches beside a map's value schema: the map, checked against them.
    BranchesBesideMap,
    /// Two or more branches: a union.
    Union,
    /// A struct (see [`Class::record`]).
    Struct,
    /// A value of its `type` (scalar, array, map, or any JSON), with its checks.
    Value,
}

impl Lowerer<'_> {
    /// Decides what `schema` becomes (see [`Becomes`]).
    pub(super) fn becomes(&mut self, schema: &Schema) -> Becomes {
        if let Some((rest, any_of)) = split_any_of(schema) {
            return Becomes::BesideAnyOf { rest, any_of };
        }
        if let Some(narrowed) = self.narrow_union(schema) {
            return Becomes::Narrowed(narrowed);
        }
        if let Some(values) = enum_values(schema) {
            if is_scalar_enum(&values) && schema.properties.is_empty() {
                return Becomes::Enum(values.into_owned());
            }
        }
        let branches = union_branches(schema);
        if !branches.is_empty() && schema.properties.is_empty() {
            let real: Vec<&Schema> = branches.iter().filter(|b| !is_null_schema(b)).collect();
            match real.as_slice() {
                [] if schema.types.is_none() => return Becomes::OnlyNull,
                [] => {}
                [only] => {
                    return Becomes::OneBranch {
                        only: (*only).clone(),
                        null_branch: real.len() < branches.len(),
                    }
                }
                _ if branches_beside_map(schema) => return Becomes::BranchesBesideMap,
                _ => return Becomes::Union,
            }
        }
        if is_struct(schema) {
            return Becomes::Struct;
        }
        Becomes::Value
    }
}

/// Whether a schema's `type` (if any) lets an object through.
pub(super) fn allows_object(schema: &Schema) -> bool {
    schema
        .types
        .as_deref()
        .is_none_or(|types| types.contains(&JsonType::Object))
}

/// Whether any sub-schema keyword is written.
fn applies(applicators: &Applicators) -> bool {
    let Applicators {
        not,
        if_schema,
        then_schema,
        else_schema,
        dependent_required,
        dependent_schemas,
        contains,
        min_contains,
        max_contains,
        property_names,
        pattern_properties,
        unevaluated,
    } = applicators;
    not.is_some()
        || if_schema.is_some()
        || then_schema.is_some()
        || else_schema.is_some()
        || !dependent_required.is_empty()
        || !dependent_schemas.is_empty()
        || contains.is_some()
        || min_contains.is_some()
        || max_contains.is_some()
        || property_names.is_some()
        || !pattern_properties.is_empty()
        || !unevaluated.is_empty()
}

/// Whether a schema has keywords beyond annotations, `$ref` and `allOf`
/// (so a `$ref` beside it cannot simply be followed).
pub(super) fn has_structure(schema: &Schema) -> bool {
    classify(schema).structure
}

/// Whether a schema becomes a struct, named or inline (see [`Class::record`]).
pub(super) fn is_struct(schema: &Schema) -> bool {
    classify(schema).record
}

#[cfg(test)]
mod becomes_tests {
    use super::{Becomes, Lowerer};
    use crate::diagnostic::Diagnostics;
    use crate::load::schema::{Additional, JsonType, Schema};
    use crate::load::Spec;
    use crate::settings::Settings;
    use serde_json::json;

    /// What `schema` becomes, by its variant's name.
    fn becomes(schema: &Schema) -> &'static str {
        let (spec, settings, mut diagnostics) =
            (Spec::default(), Settings::default(), Diagnostics::new());
        let mut lowerer = Lowerer::new(&spec, &settings, &mut diagnostics);
        match lowerer.becomes(schema) {
            Becomes::BesideAnyOf { .. } => "beside anyOf",
            Becomes::Narrowed(_) => "narrowed",
            Becomes::Enum(_) => "enum",
            Becomes::OnlyNull => "only null",
            Becomes::OneBranch {
                null_branch: true, ..
            } => "one branch or null",
            Becomes::OneBranch { .. } => "one branch",
            Becomes::BranchesBesideMap => "branches beside a map",
            Becomes::Union => "union",
            Becomes::Struct => "struct",
            Becomes::Value => "value",
        }
    }

    fn typed(t: JsonType) -> Schema {
        Schema {
            types: Some(vec![t]),
            ..Schema::default()
        }
    }

    fn null() -> Schema {
        Schema {
            types: Some(Vec::new()),
            nullable: true,
            ..Schema::default()
        }
    }

    fn one_of(branches: Vec<Schema>) -> Schema {
        Schema {
            one_of: branches,
            ..Schema::default()
        }
    }

    #[test]
    fn branches_decide_by_how_many_are_not_null() {
        let two = || vec![typed(JsonType::String), typed(JsonType::Integer)];
        assert_eq!(becomes(&one_of(two())), "union");
        assert_eq!(becomes(&one_of(vec![null(), null()])), "only null");
        assert_eq!(
            becomes(&one_of(vec![null(), typed(JsonType::String)])),
            "one branch or null"
        );
        assert_eq!(
            becomes(&one_of(vec![typed(JsonType::String)])),
            "one branch"
        );
        let both = Schema {
            any_of: vec![typed(JsonType::String)],
            ..one_of(two())
        };
        assert_eq!(becomes(&both), "beside anyOf");
    }

    #[test]
    fn a_type_beside_branches_narrows_them_first() {
        let text = Schema {
            types: Some(vec![JsonType::String]),
            enum_values: Some(vec![json!("a"), json!("b")]),
            ..one_of(vec![typed(JsonType::String), typed(JsonType::Integer)])
        };
        assert_eq!(becomes(&text), "narrowed");
    }

    #[test]
    fn branches_beside_a_map_or_properties_check_it() {
        let map = Schema {
            types: Some(vec![JsonType::Object]),
            additional: Some(Additional::Schema(Box::new(typed(JsonType::String)))),
            ..one_of(vec![typed(JsonType::Object), typed(JsonType::Object)])
        };
        assert_eq!(becomes(&map), "branches beside a map");
        let record = Schema {
            properties: vec![("id".to_owned(), typed(JsonType::String))],
            ..one_of(vec![typed(JsonType::Object), typed(JsonType::Object)])
        };
        assert_eq!(becomes(&record), "struct");
    }

    #[test]
    fn listed_scalars_are_an_enum_unless_properties_say_object() {
        let listed = Schema {
            enum_values: Some(vec![json!("a"), json!("b")]),
            ..typed(JsonType::String)
        };
        assert_eq!(becomes(&listed), "enum");
        let with_properties = Schema {
            properties: vec![("id".to_owned(), Schema::default())],
            enum_values: Some(vec![json!("a")]),
            ..Schema::default()
        };
        assert_ne!(becomes(&with_properties), "enum");
        assert_eq!(becomes(&typed(JsonType::String)), "value");
    }
}

#[cfg(test)]
mod tests {
    use super::{classify, Class};
    use crate::load::schema::{Additional, Applicators, JsonType, Reference, Schema};

    fn object() -> Schema {
        Schema {
            types: Some(vec![JsonType::Object]),
            ..Schema::default()
        }
    }

    fn class(structure: bool, object: bool, record: bool) -> Class {
        Class {
            structure,
            object,
            record,
        }
    }

    #[test]
    fn annotations_alone_give_no_structure() {
        let schema = Schema {
            title: Some("Pet".to_owned()),
            description: Some("A pet.".to_owned()),
            deprecated: true,
            nullable: true,
            ..Schema::default()
        };
        assert_eq!(classify(&schema), class(false, false, false));
    }

    #[test]
    fn properties_make_a_struct_with_or_without_a_type() {
        let pet = Schema {
            properties: vec![("name".to_owned(), Schema::default())],
            ..Schema::default()
        };
        assert_eq!(classify(&pet), class(true, true, true));
    }

    #[test]
    fn an_open_object_is_a_map_and_a_closed_or_required_one_a_struct() {
        assert_eq!(classify(&object()), class(false, true, false));
        let open = Schema {
            additional: Some(Additional::Allowed),
            ..Schema::default()
        };
        assert_eq!(classify(&open), class(true, true, false));
        let closed = Schema {
            additional: Some(Additional::Denied),
            ..object()
        };
        assert_eq!(classify(&closed), class(true, true, true));
        let required = Schema {
            required: vec![("id".to_owned(), "/required/0".to_owned())],
            ..object()
        };
        assert_eq!(classify(&required), class(true, true, true));
    }

    #[test]
    fn a_scalar_type_is_structure_unless_beside_a_reference() {
        let string = Schema {
            types: Some(vec![JsonType::String]),
            ..Schema::default()
        };
        assert_eq!(classify(&string), class(true, false, false));
        let beside = Schema {
            reference: Some(Box::new(Reference {
                text: "#/components/schemas/Name".to_owned(),
                file_part: String::new(),
                pointer: "/components/schemas/Name".to_owned(),
                anchor: None,
                dynamic: false,
                by_name: false,
                target: None,
            })),
            ..string
        };
        assert_eq!(classify(&beside), class(false, false, false));
    }

    #[test]
    fn properties_beside_a_type_without_object_make_no_struct() {
        let string = Schema {
            types: Some(vec![JsonType::String]),
            properties: vec![("name".to_owned(), Schema::default())],
            required: vec![("name".to_owned(), String::new())],
            ..Schema::default()
        };
        assert_eq!(classify(&string), class(true, false, false));
        let either = Schema {
            types: Some(vec![JsonType::String, JsonType::Object]),
            ..string
        };
        assert_eq!(classify(&either), class(true, false, true));
    }

    #[test]
    fn a_sub_schema_keyword_is_structure() {
        let schema = Schema {
            applicators: Applicators {
                min_contains: Some(1),
                ..Applicators::default()
            }
            .into(),
            ..Schema::default()
        };
        assert!(classify(&schema).structure);
    }
}
