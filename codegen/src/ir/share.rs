//! Sharing: inline schemas that lower to the same Rust type become one type.
//!
//! Real descriptions write the same inline object again and again (GitHub's webhooks
//! repeat one `user` shape hundreds of times). Each copy would be a type of its own, with
//! its own serde and `Validate` code for the compiler to build. Here, once the model is
//! lowered and its examples and defaults checked where they are written, inline types that
//! are the same in everything the generated code depends on (fields, field types, serde
//! attributes, checks, defaults, enum values, variant names, derives, extras) are merged
//! into the first of them in type order, which is schema order. Names and words do not
//! count: each use keeps its own field docs, the shared type keeps the name of its first
//! use, and the examples of every copy move to it, so that each is still tested.
//!
//! Named schemas (module heads) are never merged: users named them. Types are compared
//! by partition refinement, so shapes that refer to each other (cycles included) merge
//! when their whole reachable structure is the same. Merging can close new cycles, so the
//! `Box`es are chosen again afterwards.

use super::{Docs, Field, Model, Ty, TypeId, TypeKind};
use crate::settings::Settings;
use std::collections::HashMap;

mod place;

/// Merges identical inline types into their first occurrence and renumbers the rest,
/// unless `[rust] share-inline-shapes = false`.
pub fn share_inline_shapes(model: &mut Model, settings: &Settings) {
    if settings.rust.share_inline_shapes == Some(false) {
        return;
    }
    let classes = classes(model);
    // The first type of each class stands for it; a later one is a copy.
    let mut first_of: HashMap<usize, usize> = HashMap::new();
    let standing: Vec<usize> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| *first_of.entry(*c).or_insert(i))
        .collect();
    if standing.iter().enumerate().all(|(i, s)| i == *s) {
        return;
    }
    // New ids: kept types in order; a copy takes the id of the type standing for it,
    // which comes earlier and is kept.
    let mut new_id = vec![0usize; standing.len()];
    let mut kept = 0usize;
    for (i, s) in standing.iter().enumerate() {
        let id = if i == *s {
            kept += 1;
            kept - 1
        } else {
            new_id.get(*s).copied().unwrap_or(0)
        };
        if let Some(slot) = new_id.get_mut(i) {
            *slot = id;
        }
    }
    describe_shared(model, &standing);
    carry_examples(model, &standing);
    let types = std::mem::take(&mut model.types);
    model.types = types
        .into_iter()
        .zip(&standing)
        .enumerate()
        .filter(|(i, (_, s))| i == *s)
        .map(|(_, (def, _))| def)
        .collect();
    let renumber = |id: &mut TypeId| {
        if let Some(n) = new_id.get(id.0) {
            *id = TypeId(*n);
        }
    };
    for def in &mut model.types {
        each_ty_mut(&mut def.kind, &mut |ty| {
            if let Ty::Named { id, boxed } = ty {
                renumber(id);
                *boxed = false;
            }
        });
    }
    for module in &mut model.modules {
        module
            .types
            .retain(|id| standing.get(id.0).is_some_and(|s| *s == id.0));
        module.types.iter_mut().for_each(renumber);
    }
    place::place_shared(model);
    super::lower::cycles::box_cycles(model);
}

/// Moves the examples of each copy, its own and its fields', to the type standing for it
/// (each value once), where the example tests and the docs find them.
fn carry_examples(model: &mut Model, standing: &[usize]) {
    for (i, s) in standing.iter().enumerate() {
        if i == *s {
            continue;
        }
        let Some(copy) = model.types.get(i) else {
            continue;
        };
        let own = copy.docs.clone();
        let fields: Vec<Docs> = match &copy.kind {
            TypeKind::Struct(st) => st.fields.iter().map(|f| f.docs.clone()).collect(),
            _ => Vec::new(),
        };
        let Some(first) = model.types.get_mut(*s) else {
            continue;
        };
        add_examples(&mut first.docs, &own);
        if let TypeKind::Struct(st) = &mut first.kind {
            for (field, docs) in st.fields.iter_mut().zip(&fields) {
                add_examples(&mut field.docs, docs);
            }
        }
    }
}

fn add_examples(to: &mut Docs, from: &Docs) {
    for value in &from.examples {
        if !to.examples.contains(value) {
            to.examples.push(value.clone());
        }
    }
    for value in &from.item_examples {
        if !to.item_examples.contains(value) {
            to.item_examples.push(value.clone());
        }
    }
}

/// Where the uses of a shared type describe it in different words, no one use's words
/// fit it: it says where it is written instead, and each use keeps its own words.
fn describe_shared(model: &mut Model, standing: &[usize]) {
    let mut copies: HashMap<usize, (usize, bool)> = HashMap::new();
    for (i, s) in standing.iter().enumerate() {
        if i == *s {
            continue;
        }
        let (Some(copy), Some(first)) = (model.types.get(i), model.types.get(*s)) else {
            continue;
        };
        let differs =
            copy.docs.title != first.docs.title || copy.docs.description != first.docs.description;
        let entry = copies.entry(*s).or_insert((0, false));
        entry.0 += 1;
        entry.1 |= differs;
    }
    for (first, (others, differs)) in copies {
        let Some(def) = model.types.get_mut(first).filter(|_| differs) else {
            continue;
        };
        let places = if others == 1 { "place" } else { "places" };
        def.docs.title = None;
        def.docs.description = Some(format!(
            "A shape written inline at `{}` and in {others} other {places}; each use is described where it is used.",
            def.origin.pointer
        ));
    }
}

/// A class number for each type: equal for inline types that generate the same code,
/// distinct for every named schema.
fn classes(model: &Model) -> Vec<usize> {
    let heads: Vec<bool> = {
        let mut heads = vec![false; model.types.len()];
        for id in model.modules.iter().filter_map(|m| m.types.first()) {
            if let Some(h) = heads.get_mut(id.0) {
                *h = true;
            }
        }
        heads
    };
    // Each inline type's own signature (references blanked out) and what it refers to,
    // in a fixed order.
    // Signatures are numbered once, so that refining compares numbers, not text.
    let mut numbered: HashMap<String, usize> = HashMap::new();
    let locals: Vec<Option<(usize, Vec<usize>)>> = model
        .types
        .iter()
        .zip(&heads)
        .map(|(def, head)| {
            (!head).then(|| {
                let (text, refs) = signature(def);
                let fresh = numbered.len();
                (*numbered.entry(text).or_insert(fresh), refs)
            })
        })
        .collect();
    // Moore's refinement: start with one class for every inline type, then split by own
    // signature and the classes referred to, until no class splits.
    let mut class = vec![0usize; model.types.len()];
    let mut count = 0usize;
    loop {
        let mut numbers: HashMap<(usize, usize, usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = locals
            .iter()
            .enumerate()
            .map(|(i, local)| {
                let key = match local {
                    None => (i, 0, 0, Vec::new()),
                    Some((sig, refs)) => (
                        usize::MAX,
                        class.get(i).copied().unwrap_or(0),
                        *sig,
                        refs.iter()
                            .map(|r| class.get(*r).copied().unwrap_or(usize::MAX))
                            .collect(),
                    ),
                };
                let fresh = numbers.len();
                *numbers.entry(key).or_insert(fresh)
            })
            .collect();
        let next_count = numbers.len();
        class = next;
        if next_count == count {
            return class;
        }
        count = next_count;
    }
}

/// What a type generates, as text, with references blanked out (returned apart) and the
/// words left out: titles, descriptions and examples, its own and its fields'. Flags that
/// change code (`deprecated` brings `#[deprecated]`, read and write only) stay in.
fn signature(def: &super::TypeDef) -> (String, Vec<usize>) {
    let mut kind = def.kind.clone();
    let mut refs = Vec::new();
    each_ty_mut(&mut kind, &mut |ty| {
        if let Ty::Named { id, boxed } = ty {
            refs.push(id.0);
            *id = TypeId(0);
            *boxed = false;
        }
    });
    if let TypeKind::Struct(s) = &mut kind {
        s.fields.iter_mut().for_each(forget_words);
    }
    let d = &def.docs;
    let text = format!(
        "{kind:?} {:?} {:?} {} {} {}",
        def.extras, def.nullable_alias, d.deprecated, d.read_only, d.write_only
    );
    (text, refs)
}

/// Clears a field's words, keeping the flags that change code.
fn forget_words(field: &mut Field) {
    let docs = &mut field.docs;
    docs.title = None;
    docs.description = None;
    docs.examples.clear();
    docs.item_examples.clear();
}

/// Calls `f` on every Rust type a type's definition mentions: fields, extra properties,
/// branches, and the shapes inside checks, at any depth.
fn each_ty_mut(kind: &mut TypeKind, f: &mut dyn FnMut(&mut Ty)) {
    kind.walk_mut(&mut |_, shape| f(&mut shape.ty));
}

#[cfg(test)]
mod tests {
    use crate::diff::lower;
    use crate::ir::{Model, Ty, TypeKind};
    use crate::load::FileSource;
    use crate::settings::Settings;
    use std::path::{Path, PathBuf};

    struct Memory(String);

    impl FileSource for Memory {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            if path == Path::new("api.yaml") {
                Ok(self.0.clone().into_bytes())
            } else {
                Err(std::io::ErrorKind::NotFound.into())
            }
        }
    }

    /// The model of a document whose `components/schemas` is `schemas`, with `settings`.
    fn lowered_with(schemas: &str, settings: &str) -> Model {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let settings = Settings::parse("codegen.toml", settings).expect("valid settings");
        lower(&[PathBuf::from("api.yaml")], &Memory(text), &settings).model
    }

    fn lowered(schemas: &str) -> Model {
        lowered_with(schemas, "")
    }

    fn names(model: &Model) -> Vec<&str> {
        model.types.iter().map(|t| t.name.as_str()).collect()
    }

    /// The name of the type a property of `owner` holds (through `Vec` and `Box`).
    fn held(model: &Model, owner: &str, property: &str) -> Option<String> {
        let def = model.types.iter().find(|t| t.name == owner)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let mut ty = &s.fields.iter().find(|f| f.wire_name == property)?.shape.ty;
        while let Ty::Array(item) = ty {
            ty = &item.ty;
        }
        match ty {
            Ty::Named { id, .. } => model.get(*id).map(|d| d.name.clone()),
            _ => None,
        }
    }

    /// Every type id the model mentions, checked to point at a type.
    fn dangling(model: &Model) -> usize {
        let mut bad = 0;
        for def in &model.types {
            let mut kind = def.kind.clone();
            super::each_ty_mut(&mut kind, &mut |ty| {
                if let Ty::Named { id, .. } = ty {
                    if model.get(*id).is_none() {
                        bad += 1;
                    }
                }
            });
        }
        let listed: usize = model.modules.iter().map(|m| m.types.len()).sum();
        bad + model.types.len().abs_diff(listed)
    }

    const PEOPLE: &str = "    Issue:
      type: object
      properties:
        opener:
          description: Who opened it.
          type: object
          properties:
            login: {type: string, maxLength: 39}
            site: {type: object, properties: {url: {type: string}}}
    Comment:
      type: object
      properties:
        author:
          description: Who wrote it.
          type: object
          properties:
            login: {type: string, maxLength: 39}
            site: {type: object, properties: {url: {type: string}}}
        editors:
          type: array
          items:
            type: object
            properties:
              login: {type: string, maxLength: 39}
              site: {type: object, properties: {url: {type: string}}}
        reviewer:
          type: object
          properties:
            login: {type: string, maxLength: 40}
            site: {type: object, properties: {url: {type: string}}}
";

    #[test]
    fn identical_inline_objects_become_the_type_of_their_first_use() {
        let model = lowered(PEOPLE);
        assert_eq!(
            held(&model, "Comment", "author").as_deref(),
            Some("IssueOpener")
        );
        assert_eq!(
            held(&model, "Comment", "editors").as_deref(),
            Some("IssueOpener")
        );
        assert!(!names(&model).contains(&"CommentAuthor"));
        assert!(!names(&model).contains(&"CommentEditorsItem"));
        assert_eq!(dangling(&model), 0);
    }

    #[test]
    fn a_different_check_keeps_a_type_of_its_own_but_its_identical_parts_are_shared() {
        let model = lowered(PEOPLE);
        assert_eq!(
            held(&model, "Comment", "reviewer").as_deref(),
            Some("CommentReviewer")
        );
        assert_eq!(
            held(&model, "CommentReviewer", "site").as_deref(),
            Some("IssueOpenerSite")
        );
        assert_eq!(
            names(&model),
            [
                "Issue",
                "Comment",
                "IssueOpener",
                "IssueOpenerSite",
                "CommentReviewer"
            ]
        );
    }

    #[test]
    fn each_use_keeps_its_words_and_the_shared_type_says_it_is_shared() {
        let model = lowered(PEOPLE);
        let Some(TypeKind::Struct(comment)) = model
            .types
            .iter()
            .find(|t| t.name == "Comment")
            .map(|t| &t.kind)
        else {
            panic!("Comment is a struct");
        };
        let author = comment.fields.iter().find(|f| f.wire_name == "author");
        assert_eq!(
            author.and_then(|f| f.docs.description.as_deref()),
            Some("Who wrote it.")
        );
        let shared = model.types.iter().find(|t| t.name == "IssueOpener");
        let words = shared
            .and_then(|t| t.docs.description.clone())
            .unwrap_or_default();
        assert!(
            words.contains("/components/schemas/Issue/properties/opener"),
            "{words}"
        );
        assert!(words.contains("2 other places"), "{words}");
    }

    #[test]
    fn named_schemas_with_the_same_shape_stay_apart() {
        let model = lowered(
            "    Person:
      type: object
      properties: {login: {type: string}}
    Account:
      type: object
      properties: {login: {type: string}}
    Team:
      type: object
      properties:
        lead: {type: object, properties: {login: {type: string}}}
",
        );
        assert_eq!(names(&model), ["Person", "Account", "Team", "TeamLead"]);
    }

    #[test]
    fn shapes_that_reach_their_holder_are_shared_and_the_cycle_is_boxed() {
        let model = lowered(
            "    Comment:
      type: object
      properties:
        thread: {type: object, properties: {parent: {$ref: '#/components/schemas/Comment'}}}
        root: {type: object, properties: {parent: {$ref: '#/components/schemas/Comment'}}}
",
        );
        assert_eq!(names(&model), ["Comment", "CommentThread"]);
        assert_eq!(
            held(&model, "Comment", "root").as_deref(),
            Some("CommentThread")
        );
        let boxed = model.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .any(|f| matches!(f.shape.ty, Ty::Named { boxed: true, .. })),
            _ => false,
        });
        assert!(boxed, "the cycle through the shared type is boxed");
        assert_eq!(dangling(&model), 0);
    }

    #[test]
    fn enums_are_shared_only_with_the_same_values_in_the_same_order() {
        let model = lowered(
            "    Issue:
      type: object
      properties:
        state: {type: string, enum: [open, closed]}
        again: {type: string, enum: [open, closed]}
        reversed: {type: string, enum: [closed, open]}
",
        );
        assert_eq!(
            held(&model, "Issue", "again").as_deref(),
            Some("IssueState")
        );
        assert_eq!(
            held(&model, "Issue", "reversed").as_deref(),
            Some("IssueReversed")
        );
    }

    #[test]
    fn the_setting_turns_sharing_off() {
        let model = lowered_with(PEOPLE, "[rust]\nshare-inline-shapes = false\n");
        assert_eq!(
            held(&model, "Comment", "author").as_deref(),
            Some("CommentAuthor")
        );
        assert_eq!(model.types.len(), 10);
    }

    #[test]
    fn the_examples_of_every_copy_move_to_the_shared_type() {
        let model = lowered(
            "    Issue:
      type: object
      properties:
        opener:
          type: object
          properties: {login: {type: string, example: ada}}
          example: {login: ada}
        closer:
          type: object
          properties: {login: {type: string, example: bob}}
          example: {login: bob}
",
        );
        assert_eq!(names(&model), ["Issue", "IssueOpener"]);
        let shared = model.types.iter().find(|t| t.name == "IssueOpener");
        let examples = shared.map(|t| t.docs.examples.clone()).unwrap_or_default();
        assert_eq!(
            examples,
            [
                serde_json::json!({"login": "ada"}),
                serde_json::json!({"login": "bob"})
            ]
        );
        let Some(TypeKind::Struct(s)) = shared.map(|t| &t.kind) else {
            panic!("IssueOpener is a struct");
        };
        let login = s.fields.first().map(|f| f.docs.examples.clone());
        assert_eq!(
            login,
            Some(vec![serde_json::json!("ada"), serde_json::json!("bob")])
        );
    }

    /// Each module with the names of its types, `*` marking a shared shape's module.
    fn modules(model: &Model) -> Vec<String> {
        model
            .modules
            .iter()
            .map(|m| {
                let types: Vec<&str> = m
                    .types
                    .iter()
                    .filter_map(|id| model.get(*id).map(|d| d.name.as_str()))
                    .collect();
                let mark = if m.shared { "*" } else { "" };
                format!("{}{mark}: {}", m.name, types.join(" "))
            })
            .collect()
    }

    const TWO_OWNERS: &str = "    Repo:
      type: object
      properties:
        owner:
          type: object
          properties:
            login: {type: string}
            plan: {type: object, properties: {seats: {type: integer}}}
        topic: {type: object, properties: {name: {type: string}}}
    Gist:
      type: object
      properties:
        owner:
          type: object
          properties:
            login: {type: string}
            plan: {type: object, properties: {seats: {type: integer}}}
";

    #[test]
    fn a_shape_used_by_two_models_moves_to_its_own_module_with_its_inline_types() {
        let model = lowered(TWO_OWNERS);
        assert_eq!(
            modules(&model),
            [
                "repo: Repo RepoTopic",
                "repo_owner*: RepoOwner RepoOwnerPlan",
                "gist: Gist",
            ]
        );
        assert_eq!(dangling(&model), 0);
    }

    #[test]
    fn without_sharing_every_inline_type_stays_with_its_model() {
        let model = lowered_with(TWO_OWNERS, "[rust]\nshare-inline-shapes = false\n");
        assert_eq!(
            modules(&model),
            [
                "repo: Repo RepoOwner RepoOwnerPlan RepoTopic",
                "gist: Gist GistOwner GistOwnerPlan",
            ]
        );
    }
}
