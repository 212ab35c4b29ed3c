//! Which ways serde converts each type ([`super::Extras::serde`]): `[rust] serialize` /
//! `deserialize` for every type, `[models.<schema>]` and `x-rust-serde` for one schema (the
//! settings win), and a schema's inline types as the schema.
//!
//! A type that serializes needs every type it holds to serialize, and the same for
//! deserializing; `validate()` also needs some types either way (it compares values as JSON,
//! and reads JSON into the types of sub-schema checks). Where a type is asked to go without a
//! trait that is needed so, it keeps the trait: with a warning naming the holder when the type
//! itself asked, and silently when only `[rust]` or the schema it is inline in did.

use super::{Additional, Directions, Model, Shape, Ty, TypeId, TypeKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::settings::Settings;
use std::collections::VecDeque;

/// One way serde converts a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Serialize,
    Deserialize,
}

impl Way {
    fn pick<T: Copy>(self, d: Directions<T>) -> T {
        match self {
            Way::Serialize => d.serialize,
            Way::Deserialize => d.deserialize,
        }
    }

    fn set<T>(self, d: &mut Directions<T>, value: T) {
        match self {
            Way::Serialize => d.serialize = value,
            Way::Deserialize => d.deserialize = value,
        }
    }

    fn trait_name(self) -> &'static str {
        match self {
            Way::Serialize => "Serialize",
            Way::Deserialize => "Deserialize",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Way::Serialize => "serializes",
            Way::Deserialize => "deserializes",
        }
    }
}

/// What a type asked for one way: whether it is on, and whether the type said so itself
/// (rather than `[rust]` or the schema it is inline in).
#[derive(Clone, Copy)]
struct Asked {
    on: bool,
    own: bool,
}

/// Fills in every type's [`super::Extras::serde`].
pub fn choose(model: &mut Model, settings: &Settings, diagnostics: &mut Diagnostics) {
    let global = Directions {
        serialize: settings.rust.serialize.unwrap_or(true),
        deserialize: settings.rust.deserialize.unwrap_or(true),
    };
    // A schema's inline types are asked what the schema is, unless they say otherwise.
    let mut head_of: Vec<Option<TypeId>> = vec![None; model.types.len()];
    for m in &model.modules {
        let Some(head) = m.types.first() else {
            continue;
        };
        for id in &m.types {
            if let Some(slot) = head_of.get_mut(id.0) {
                *slot = Some(*head);
            }
        }
    }
    let needs = validation_needs(model);
    for way in [Way::Serialize, Way::Deserialize] {
        let asked: Vec<Asked> = model
            .types
            .iter()
            .zip(&head_of)
            .map(|(def, head)| {
                let inherited = head
                    .and_then(|h| model.get(h))
                    .and_then(|h| way.pick(h.extras.serde_given));
                // Only a type that asked itself is warned about: its inline types follow it.
                match (way.pick(def.extras.serde_given), inherited) {
                    (Some(on), _) => Asked { on, own: true },
                    (None, Some(on)) => Asked { on, own: false },
                    (None, None) => Asked {
                        on: way.pick(global),
                        own: false,
                    },
                }
            })
            .collect();
        let mut on: Vec<bool> = asked.iter().map(|a| a.on).collect();
        // Why each type turned back on keeps the trait, and whether `validate()` is why.
        let mut kept: Vec<Option<(String, bool)>> = vec![None; on.len()];
        let mut queue: VecDeque<usize> = (0..on.len())
            .filter(|i| on.get(*i) == Some(&true))
            .collect();
        // Turns `id` on for `why`, when it is off.
        let mut keep =
            |id: TypeId, why: &dyn Fn() -> (String, bool), queue: &mut VecDeque<usize>| {
                if let (Some(cell @ false), Some(slot)) = (on.get_mut(id.0), kept.get_mut(id.0)) {
                    *cell = true;
                    *slot = Some(why());
                    queue.push_back(id.0);
                }
            };
        for need in needs.iter().filter(|n| n.way == way) {
            keep(need.id, &|| (need.why.clone(), true), &mut queue);
        }
        while let Some(i) = queue.pop_front() {
            for (id, place) in held(model, i) {
                keep(
                    id,
                    &|| (format!("{place} and {}", way.verb()), false),
                    &mut queue,
                );
            }
        }
        for (i, def) in model.types.iter_mut().enumerate() {
            let now = on.get(i).copied().unwrap_or(true);
            way.set(&mut def.extras.serde, now);
            let (Some(Some((why, for_validate))), Some(a)) = (kept.get(i), asked.get(i)) else {
                continue;
            };
            if a.own {
                let name = way.trait_name();
                let hint = if *for_validate {
                    "`validate()` converts such values to check the schema's `enum`, `const` and sub-schema keywords; leave the trait on here".to_owned()
                } else {
                    format!("a type that implements `{name}` needs it of every type it holds; turn it off there too, or leave it on here")
                };
                diagnostics.push(
                    Diagnostic::warning(
                        &def.origin.file,
                        &def.origin.pointer,
                        format!("`{}` keeps `{name}`: {why}", def.name),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

/// The generated types type `i` holds, each with where, for messages (`` `Owner.pet`
/// holds it ``). Its own match, for the wording of each place; [`named`] walks inside.
fn held(model: &Model, i: usize) -> Vec<(TypeId, String)> {
    let Some(def) = model.types.get(i) else {
        return Vec::new();
    };
    let name = def.name.as_str();
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                for id in named(&f.shape) {
                    out.push((id, format!("`{name}.{}` holds it", f.wire_name)));
                }
            }
            if let Additional::Map(values) = &s.additional {
                for id in named(values) {
                    out.push((id, format!("`{name}` holds it in its other properties")));
                }
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                for id in named(&v.shape) {
                    out.push((id, format!("`{name}::{}` holds it", v.name)));
                }
            }
        }
        TypeKind::Newtype(shape) => {
            for id in named(shape) {
                out.push((id, format!("`{name}` wraps it")));
            }
        }
        TypeKind::Enum(_) => {}
    }
    out
}

/// The generated types a shape's Rust type is made of.
fn named(shape: &Shape) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut push = |s: &Shape| {
        if let Ty::Named { id, .. } = s.ty {
            out.push(id);
        }
    };
    push(shape);
    shape.walk_stored(&mut push);
    out
}

/// A trait `validate()` needs of a type, whichever ways its holder converts.
struct Need {
    id: TypeId,
    way: Way,
    why: String,
}

/// What every type's `validate()` needs: `Serialize` of the values it compares as JSON
/// (`enum` or `const` beside a type, sub-schema checks on a typed value), and `Deserialize`
/// of the types a sub-schema check reads JSON into. Follows `emit::rust::checks`, erring
/// on the side of needing more.
fn validation_needs(model: &Model) -> Vec<Need> {
    let mut out = Vec::new();
    for (i, def) in model.types.iter().enumerate() {
        let mut cx = Needs {
            holder: &def.name,
            out: &mut out,
        };
        let shapes = def.kind.shapes();
        for (_, shape) in shapes.iter().filter(|(h, _)| h.stored()) {
            cx.shape(shape);
        }
        if matches!(&def.kind, TypeKind::Struct(s) if s.checks.applied.is_some()) {
            // Its sub-schema checks read its own JSON form.
            cx.need(TypeId(i), Way::Serialize);
        }
        for (_, sub) in shapes.iter().filter(|(h, _)| !h.stored()) {
            cx.read_as(sub);
        }
    }
    out
}

struct Needs<'a> {
    holder: &'a str,
    out: &'a mut Vec<Need>,
}

impl Needs<'_> {
    fn need(&mut self, id: TypeId, way: Way) {
        let why = match way {
            Way::Serialize => format!(
                "`validate()` of `{}` checks its JSON form against the schema",
                self.holder
            ),
            Way::Deserialize => format!(
                "`validate()` of `{}` reads JSON as it for a sub-schema check",
                self.holder
            ),
        };
        self.out.push(Need { id, way, why });
    }

    /// The checks on a value held as `shape`.
    fn shape(&mut self, shape: &Shape) {
        let ch = &shape.checks;
        let as_json = ch.enumeration.is_some() || ch.constant.is_some() || ch.applied.is_some();
        if as_json && shape.ty != Ty::Any {
            for id in named(shape) {
                self.need(id, Way::Serialize);
            }
        }
        for (holding, inner) in shape.children() {
            if holding.stored() {
                self.shape(inner);
            } else {
                self.read_as(inner);
            }
        }
    }

    /// A sub-schema check: JSON is read as `shape`'s type, then checked as it.
    fn read_as(&mut self, shape: &Shape) {
        for id in named(shape) {
            self.need(id, Way::Deserialize);
        }
        self.shape(shape);
    }
}
