//! Comparing enums (variants matched by value) and unions (branches matched by name).

use super::checks::Direction;
use super::compare::{change, constraint_change, Cx};
use super::{ChangeKind, Severity};
use crate::emit::rust::repr;
use crate::ir::{Enum, EnumRepr, Union, UnionMode};

impl Cx<'_> {
    pub(super) fn enums(&mut self, name: &str, a: &Enum, b: &Enum) {
        if a.repr != b.repr {
            self.push(
                change(
                    Severity::Major,
                    ChangeKind::TypeChanged,
                    name,
                    name.to_owned(),
                    format!(
                        "values are {} now, not {}",
                        repr_name(b.repr),
                        repr_name(a.repr)
                    ),
                    "the enum's conversions and wire form change".to_owned(),
                )
                .between(
                    Some(repr_name(a.repr).to_owned()),
                    Some(repr_name(b.repr).to_owned()),
                ),
            );
        }
        for va in &a.variants {
            let path = format!("{name}::{}", va.name);
            match b.variants.iter().find(|vb| vb.value == va.value) {
                None => self.push(
                    change(
                        Severity::Major,
                        ChangeKind::VariantRemoved,
                        name,
                        path,
                        format!("value {} removed", va.value),
                        if b.open {
                            "code naming the variant no longer compiles; the value now arrives as `Other(..)`"
                        } else {
                            "code naming the variant no longer compiles, and the value is rejected"
                        }
                        .to_owned(),
                    )
                    .between(Some(va.value.to_string()), None),
                ),
                Some(vb) if vb.name != va.name => self.push(change(
                    Severity::Major,
                    ChangeKind::RustNameChanged,
                    name,
                    path,
                    format!("variant renamed to `{}`", vb.name),
                    "code naming the old variant no longer compiles".to_owned(),
                )),
                Some(_) => {}
            }
        }
        for vb in &b.variants {
            if a.variants.iter().any(|va| va.value == vb.value) {
                continue;
            }
            let (severity, reason) = if b.open {
                (
                    Severity::Minor,
                    "open enum: the value was accepted before, as `Other(..)`",
                )
            } else {
                (
                    Severity::Major,
                    "closed enum: code built on the old version rejects the value, and exhaustive matches need a new arm",
                )
            };
            self.push(
                change(
                    severity,
                    ChangeKind::VariantAdded,
                    name,
                    format!("{name}::{}", vb.name),
                    format!("value {} added", vb.value),
                    reason.to_owned(),
                )
                .between(None, Some(vb.value.to_string())),
            );
        }
        if a.open != b.open {
            let summary = if b.open {
                "enum opened: unknown values are kept in `Other(..)`"
            } else {
                "enum closed: unknown values are rejected"
            };
            let direction = if b.open {
                Direction::Loosened
            } else {
                Direction::Tightened
            };
            self.push(constraint_change(
                name,
                name.to_owned(),
                direction,
                summary.to_owned(),
            ));
        }
    }

    pub(super) fn unions(&mut self, name: &str, a: &Union, b: &Union) {
        if a.mode != b.mode {
            let (direction, summary) = match b.mode {
                UnionMode::OneOf => (
                    Direction::Tightened,
                    "`anyOf` became `oneOf`: a payload matching two branches is rejected now",
                ),
                UnionMode::AnyOf => (
                    Direction::Loosened,
                    "`oneOf` became `anyOf`: a payload matching two branches is accepted now",
                ),
            };
            self.push(constraint_change(
                name,
                name.to_owned(),
                direction,
                summary.to_owned(),
            ));
        }
        if a.discriminator != b.discriminator {
            self.push(
                change(
                    Severity::Major,
                    ChangeKind::ConstraintChanged,
                    name,
                    name.to_owned(),
                    "discriminator changed".to_owned(),
                    "branches are chosen by a different rule".to_owned(),
                )
                .between(a.discriminator.clone(), b.discriminator.clone()),
            );
        }
        for va in &a.variants {
            let path = format!("{name}::{}", va.name);
            let Some(vb) = b.variants.iter().find(|vb| vb.name == va.name) else {
                self.push(
                    change(
                        Severity::Major,
                        ChangeKind::VariantRemoved,
                        name,
                        path,
                        "branch removed".to_owned(),
                        "code naming the variant no longer compiles, and its payloads are rejected"
                            .to_owned(),
                    )
                    .between(Some(repr::shape_type(&va.shape, self.old)), None),
                );
                continue;
            };
            self.shape(name, path.clone(), &va.shape, &vb.shape);
            let gone: Vec<&String> = va.tags.iter().filter(|t| !vb.tags.contains(t)).collect();
            let new: Vec<&String> = vb.tags.iter().filter(|t| !va.tags.contains(t)).collect();
            let list = |tags: &[&String]| {
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !gone.is_empty() {
                self.push(constraint_change(
                    name,
                    path.clone(),
                    Direction::Tightened,
                    format!("no longer selected by tag {}", list(&gone)),
                ));
            }
            if !new.is_empty() {
                self.push(constraint_change(
                    name,
                    path,
                    Direction::Loosened,
                    format!("also selected by tag {}", list(&new)),
                ));
            }
        }
        for vb in &b.variants {
            if a.variants.iter().any(|va| va.name == vb.name) {
                continue;
            }
            self.push(
                change(
                    Severity::Major,
                    ChangeKind::VariantAdded,
                    name,
                    format!("{name}::{}", vb.name),
                    "branch added".to_owned(),
                    "exhaustive matches need a new arm; payloads of the branch are accepted now"
                        .to_owned(),
                )
                .between(None, Some(repr::shape_type(&vb.shape, self.new))),
            );
        }
    }
}

fn repr_name(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "strings",
        EnumRepr::Integer => "integers",
        EnumRepr::Json => "JSON values",
    }
}
