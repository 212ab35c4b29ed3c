//! Comparing structs: fields matched by wire name (their Rust access, type, presence and
//! defaults), and the properties beyond them.

use super::compare::{change, nullable_change, Cx};
use super::{Change, ChangeKind, Severity};
use crate::emit::rust::repr;
use crate::ir::{Additional, Field, Struct};

impl Cx<'_> {
    pub(super) fn structs(&mut self, name: &str, a: &Struct, b: &Struct, docs: &mut Vec<String>) {
        let added: Vec<&Field> = b
            .fields
            .iter()
            .filter(|f| !a.fields.iter().any(|g| g.wire_name == f.wire_name))
            .collect();
        let removed: Vec<&Field> = a
            .fields
            .iter()
            .filter(|f| !b.fields.iter().any(|g| g.wire_name == f.wire_name))
            .collect();
        for fa in &a.fields {
            let path = format!("{name}.{}", fa.rust_name);
            let Some(fb) = b.fields.iter().find(|g| g.wire_name == fa.wire_name) else {
                let repr = repr::field_repr(fa, self.old).ty;
                let twin = added.iter().find(|fb| {
                    fb.required == fa.required && repr::field_repr(fb, self.new).ty == repr
                });
                self.push(
                    change(
                        Severity::Major,
                        ChangeKind::FieldRemoved,
                        name,
                        path,
                        "field removed".to_owned(),
                        "code using the field no longer compiles, and the property is no longer read"
                            .to_owned(),
                    )
                    .between(Some(repr), None)
                    .with_hint(twin.map(|fb| {
                        format!(
                            "the added field `{}` has the same type: a rename?",
                            fb.rust_name
                        )
                    })),
                );
                continue;
            };
            self.field(name, path.clone(), fa, fb);
            self.docs(name, path, &fa.docs, &fb.docs, docs);
        }
        for fb in &added {
            let path = format!("{name}.{}", fb.rust_name);
            let repr = repr::field_repr(fb, self.new).ty;
            let twin = removed
                .iter()
                .find(|fa| fa.required == fb.required && repr::field_repr(fa, self.old).ty == repr);
            let (severity, reason) = if fb.required {
                (
                    Severity::Major,
                    "payloads without it are rejected, and `new()` takes it",
                )
            } else {
                (
                    Severity::Minor,
                    "a new optional field; only struct literals that list every field need it",
                )
            };
            self.push(
                change(
                    severity,
                    ChangeKind::FieldAdded,
                    name,
                    path,
                    if fb.required {
                        "required field added"
                    } else {
                        "optional field added"
                    }
                    .to_owned(),
                    reason.to_owned(),
                )
                .between(None, Some(repr))
                .with_hint(twin.map(|fa| {
                    format!(
                        "the removed field `{}` had the same type: a rename?",
                        fa.rust_name
                    )
                })),
            );
        }
        self.additional(name, a, b);
        self.checks(name, name.to_owned(), &a.checks, &b.checks);
    }

    /// What happens to properties a struct does not list.
    pub(super) fn additional(&mut self, name: &str, a: &Struct, b: &Struct) {
        let field = |s: &Struct| format!("{name}.{}", crate::ir::names::extra_field_name(s));
        let found = match (&a.additional, &b.additional) {
            (Additional::Map(x), Additional::Map(y)) => {
                self.shape(name, format!("{}{{}}", field(b)), x, y);
                None
            }
            (Additional::Ignored, Additional::Ignored)
            | (Additional::Denied, Additional::Denied) => None,
            (Additional::Ignored, Additional::Denied) => Some((
                Severity::Major,
                ChangeKind::ConstraintTightened,
                name.to_owned(),
                "unknown properties are rejected now (`additionalProperties: false`)",
                "payloads with properties the schema does not list, accepted before, are rejected",
            )),
            (Additional::Denied, Additional::Ignored) => Some((
                Severity::Minor,
                ChangeKind::ConstraintLoosened,
                name.to_owned(),
                "unknown properties are accepted (and dropped) now",
                "accepts payloads rejected before",
            )),
            (_, Additional::Map(_)) => Some((
                Severity::Minor,
                ChangeKind::FieldAdded,
                field(b),
                "unknown properties are kept in a map now",
                "a new field; only struct literals that list every field need it",
            )),
            (Additional::Map(_), _) => Some((
                Severity::Major,
                ChangeKind::FieldRemoved,
                field(a),
                "unknown properties are no longer kept",
                "code using the map field no longer compiles",
            )),
        };
        if let Some((severity, kind, path, summary, reason)) = found {
            self.push(change(
                severity,
                kind,
                name,
                path,
                summary.to_owned(),
                reason.to_owned(),
            ));
        }
    }

    /// A field that became read-only or write-only, or stopped being: the direction whose
    /// validation rejects it present changes, and a required one is held as an `Option` only
    /// while it is either.
    pub(super) fn access(&mut self, name: &str, path: &str, a: &Field, b: &Field) {
        let ways = [
            (
                a.docs.read_only,
                b.docs.read_only,
                "read-only",
                "validate_request()",
            ),
            (
                a.docs.write_only,
                b.docs.write_only,
                "write-only",
                "validate_response()",
            ),
        ];
        for (was, is, what, check) in ways {
            if was == is {
                continue;
            }
            let retyped = b.required && a.presence_validated != b.presence_validated;
            let (severity, summary, reason) = match (is, retyped) {
                (true, _) => (
                    Severity::Major,
                    format!("became {what}"),
                    format!("`{check}` rejects payloads that carry it"),
                ),
                (false, true) => (
                    Severity::Major,
                    format!("no longer {what}"),
                    "it is required when parsing again, and no longer held as an `Option`"
                        .to_owned(),
                ),
                (false, false) => (
                    Severity::Minor,
                    format!("no longer {what}"),
                    format!("`{check}` accepts payloads that carry it"),
                ),
            };
            let reason = if is && retyped {
                format!(
                    "{reason}; it is held as an `Option`, absent when parsing a payload without it"
                )
            } else {
                reason
            };
            self.push(change(
                severity,
                ChangeKind::AccessChanged,
                name,
                path.to_owned(),
                summary,
                reason,
            ));
        }
    }

    /// Two fields with the same wire name.
    pub(super) fn field(&mut self, name: &str, path: String, a: &Field, b: &Field) {
        let repr_a = repr::field_repr(a, self.old).ty;
        let repr_b = repr::field_repr(b, self.new).ty;
        let between = |c: Change| c.between(Some(repr_a.clone()), Some(repr_b.clone()));
        if a.rust_name != b.rust_name {
            self.push(change(
                Severity::Major,
                ChangeKind::RustNameChanged,
                name,
                path.clone(),
                format!("Rust field renamed to `{}`", b.rust_name),
                "code using the old field name no longer compiles".to_owned(),
            ));
        }
        if a.required != b.required {
            self.push(between(if b.required {
                change(
                    Severity::Major,
                    ChangeKind::BecameRequired,
                    name,
                    path.clone(),
                    "became required".to_owned(),
                    "payloads without it are rejected, and `new()` takes it".to_owned(),
                )
            } else {
                change(
                    Severity::Major,
                    ChangeKind::BecameOptional,
                    name,
                    path.clone(),
                    "became optional".to_owned(),
                    "its Rust type changes: code reading it must handle absence".to_owned(),
                )
            }));
        }
        self.access(name, &path, a, b);
        if a.shape.nullable != b.shape.nullable {
            self.push(between(nullable_change(
                name,
                path.clone(),
                b.shape.nullable,
            )));
        }
        self.value(name, path.clone(), &a.shape, &b.shape);
        let default_a = repr::default_accessor(a, self.old);
        let default_b = repr::default_accessor(b, self.new);
        if default_a.is_some() != default_b.is_some() {
            // The field stays `Option<T>` either way; what changes is its `{field}_or_default()`.
            let (severity, what, reason) = if default_b.is_some() {
                (
                    Severity::Minor,
                    "its `default` is applied now",
                    "a new `_or_default()` accessor returns the default when the field is absent",
                )
            } else {
                (
                    Severity::Major,
                    "its `default` is no longer applied",
                    "the `_or_default()` accessor is gone",
                )
            };
            let shown = |d: &Option<serde_json::Value>| d.as_ref().map(|v| v.to_string());
            self.push(
                change(
                    severity,
                    ChangeKind::DefaultChanged,
                    name,
                    path.clone(),
                    what.to_owned(),
                    reason.to_owned(),
                )
                .between(shown(&a.default), shown(&b.default)),
            );
        } else if a.default != b.default && repr_a == repr_b {
            let show = |d: &Option<serde_json::Value>| d.as_ref().map(|v| v.to_string());
            let (severity, reason) = if default_a.is_some() || default_b.is_some() {
                (
                    Severity::Major,
                    "its `_or_default()` accessor returns a different value for a payload without the field",
                )
            } else {
                (
                    Severity::Patch,
                    "documentation only: the default is not applied to this field's type",
                )
            };
            self.push(
                change(
                    severity,
                    ChangeKind::DefaultChanged,
                    name,
                    path,
                    "`default` changed".to_owned(),
                    reason.to_owned(),
                )
                .between(show(&a.default), show(&b.default)),
            );
        }
    }
}
