//! Walks two IR models side by side and lists every difference as a [`Change`].
//!
//! Types are matched by Rust name, fields by wire name, enum variants by
//! value and union branches by Rust name: what code written against the old
//! crate names, and what payloads carry. Rust types are spelled the way the
//! emitter writes them, so "type changed" means the generated signature changed.

use super::checks::{self, Direction};
use super::{Change, ChangeKind, Report, Severity};
use crate::emit::rust::repr;
use crate::ir::{Additional, Docs, Field, Model, Shape, Struct, Ty, TypeDef, TypeKind};
use std::collections::BTreeMap;

/// Every difference from `old` to `new`, grouped by type, most severe first.
pub fn compare(old: &Model, new: &Model) -> Report {
    let old_types: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut cx = Cx {
        old,
        new,
        changes: Vec::new(),
    };
    let added: Vec<&TypeDef> = new
        .types
        .iter()
        .filter(|t| !old_types.contains_key(t.name.as_str()))
        .collect();
    let removed: Vec<&TypeDef> = old
        .types
        .iter()
        .filter(|t| !new_types.contains_key(t.name.as_str()))
        .collect();
    // A removed and an added type with the same shape are likely one type renamed.
    let added_prints: Vec<(&TypeDef, String)> =
        added.iter().map(|b| (*b, fingerprint(b, new))).collect();
    let removed_prints: Vec<(&TypeDef, String)> =
        removed.iter().map(|a| (*a, fingerprint(a, old))).collect();
    for (a, print) in &removed_prints {
        let twin = same_shape(&added_prints, print);
        cx.push(
            change(
                Severity::Major,
                ChangeKind::TypeRemoved,
                &a.name,
                a.name.clone(),
                format!("{} removed", kind_name(&a.kind)),
                format!("code naming `{}` no longer compiles", a.name),
            )
            .with_hint(
                twin.map(|b| format!("the added `{}` has the same shape: a rename?", b.name)),
            ),
        );
    }
    for a in &old.types {
        if let Some(b) = new_types.get(a.name.as_str()) {
            cx.types(a, b);
        }
    }
    for (b, print) in &added_prints {
        let twin = same_shape(&removed_prints, print);
        cx.push(
            change(
                Severity::Minor,
                ChangeKind::TypeAdded,
                &b.name,
                b.name.clone(),
                format!("{} added", kind_name(&b.kind)),
                "a new type; nothing that exists changes".to_owned(),
            )
            .with_hint(
                twin.map(|a| format!("the removed `{}` had the same shape: a rename?", a.name)),
            ),
        );
    }
    Report {
        changes: in_report_order(cx.changes),
    }
}

/// The first type of `prints` with the fingerprint `print`.
fn same_shape<'t>(prints: &[(&'t TypeDef, String)], print: &str) -> Option<&'t TypeDef> {
    prints.iter().find(|(_, p)| p == print).map(|(t, _)| *t)
}

/// Groups changes by type (the group of the most severe change first, then
/// by name), keeping the order found inside a group of equal severity.
fn in_report_order(changes: Vec<Change>) -> Vec<Change> {
    let mut groups: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for c in changes {
        groups.entry(c.type_name.clone()).or_default().push(c);
    }
    let mut groups: Vec<(Severity, String, Vec<Change>)> = groups
        .into_iter()
        .map(|(name, mut group)| {
            group.sort_by_key(|c| c.severity);
            let worst = group.first().map_or(Severity::Patch, |c| c.severity);
            (worst, name, group)
        })
        .collect();
    groups.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
    groups.into_iter().flat_map(|(_, _, g)| g).collect()
}

/// A change with no before/after values and no hint.
pub(super) fn change(
    severity: Severity,
    kind: ChangeKind,
    type_name: &str,
    path: String,
    summary: String,
    reason: String,
) -> Change {
    Change {
        severity,
        kind,
        type_name: type_name.to_owned(),
        path,
        summary,
        reason,
        before: None,
        after: None,
        hint: None,
    }
}

impl Change {
    pub(super) fn between(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// The two models and the changes found so far.
pub(super) struct Cx<'a> {
    pub(super) old: &'a Model,
    pub(super) new: &'a Model,
    changes: Vec<Change>,
}

impl Cx<'_> {
    pub(super) fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Two types with the same Rust name.
    fn types(&mut self, a: &TypeDef, b: &TypeDef) {
        let name = a.name.as_str();
        let mut docs = Vec::new();
        self.docs(name, name.to_owned(), &a.docs, &b.docs, &mut docs);
        match (&a.kind, &b.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.structs(name, x, y, &mut docs),
            (TypeKind::Enum(x), TypeKind::Enum(y)) => self.enums(name, x, y),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.unions(name, x, y),
            (TypeKind::Newtype(x), TypeKind::Newtype(y)) => {
                self.shape(name, name.to_owned(), x, y);
            }
            (x, y) => self.push(
                change(
                    Severity::Major,
                    ChangeKind::KindChanged,
                    name,
                    name.to_owned(),
                    format!("{} became {}", kind_name(x), kind_name(y)),
                    "every use of the type changes".to_owned(),
                )
                .between(Some(kind_name(x).to_owned()), Some(kind_name(y).to_owned())),
            ),
        }
        self.serde(name, a, b);
        if !docs.is_empty() {
            let list: Vec<String> = docs.iter().map(|p| format!("`{p}`")).collect();
            self.push(change(
                Severity::Patch,
                ChangeKind::DocsChanged,
                name,
                name.to_owned(),
                format!("title or description changed on {}", list.join(", ")),
                "documentation only".to_owned(),
            ));
        }
    }

    /// A serde trait dropped (`deserialize = false`) is major: code that used it no longer
    /// compiles; one gained is minor.
    fn serde(&mut self, name: &str, a: &TypeDef, b: &TypeDef) {
        let (was, now) = (a.extras.serde, b.extras.serde);
        for (trait_name, before, after) in [
            ("Serialize", was.serialize, now.serialize),
            ("Deserialize", was.deserialize, now.deserialize),
        ] {
            let (severity, summary, reason) = match (before, after) {
                (true, false) => (
                    Severity::Major,
                    format!("no longer implements `{trait_name}`"),
                    "code that converts the type that way no longer compiles",
                ),
                (false, true) => (
                    Severity::Minor,
                    format!("now implements `{trait_name}`"),
                    "a trait implementation was added",
                ),
                _ => continue,
            };
            self.push(change(
                severity,
                ChangeKind::SerdeChanged,
                name,
                name.to_owned(),
                summary,
                reason.to_owned(),
            ));
        }
    }

    /// Deprecation changes are reported at once; title and description
    /// changes are collected into `changed`, reported once per type.
    fn docs(&mut self, name: &str, path: String, a: &Docs, b: &Docs, changed: &mut Vec<String>) {
        if a.deprecated != b.deprecated {
            let (severity, summary, reason) = if b.deprecated {
                (
                    Severity::Minor,
                    "deprecated",
                    "code using it compiles with a deprecation warning",
                )
            } else {
                (
                    Severity::Patch,
                    "no longer deprecated",
                    "the deprecation warning goes away",
                )
            };
            self.push(change(
                severity,
                ChangeKind::DeprecationChanged,
                name,
                path.clone(),
                summary.to_owned(),
                reason.to_owned(),
            ));
        }
        if a.title != b.title || a.description != b.description {
            changed.push(path);
        }
    }

    fn structs(&mut self, name: &str, a: &Struct, b: &Struct, docs: &mut Vec<String>) {
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
    fn additional(&mut self, name: &str, a: &Struct, b: &Struct) {
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
    fn access(&mut self, name: &str, path: &str, a: &Field, b: &Field) {
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
    fn field(&mut self, name: &str, path: String, a: &Field, b: &Field) {
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

    /// Two uses of a type (items, map values, branches, wrapped values):
    /// nullability, then the value itself.
    pub(super) fn shape(&mut self, name: &str, path: String, a: &Shape, b: &Shape) {
        if a.nullable != b.nullable {
            let c = nullable_change(name, path.clone(), b.nullable).between(
                Some(repr::shape_type(a, self.old)),
                Some(repr::shape_type(b, self.new)),
            );
            self.push(c);
        }
        self.value(name, path, a, b);
    }

    /// The Rust type and checks of two shapes, nullability aside. Arrays and
    /// maps are followed into their items, so a change is reported where it is.
    fn value(&mut self, name: &str, path: String, a: &Shape, b: &Shape) {
        match (&a.ty, &b.ty) {
            (Ty::Array(x), Ty::Array(y)) => self.shape(name, format!("{path}[]"), x, y),
            (Ty::Map(x), Ty::Map(y)) => self.shape(name, format!("{path}{{}}"), x, y),
            (Ty::Tuple(x), Ty::Tuple(y)) if x.len() == y.len() => {
                for (i, (x, y)) in x.iter().zip(y).enumerate() {
                    self.shape(name, format!("{path}.{i}"), x, y);
                }
            }
            (x, y) => {
                let before = repr::ty(x, self.old);
                let after = repr::ty(y, self.new);
                if before != after {
                    self.push(
                        change(
                            Severity::Major,
                            ChangeKind::TypeChanged,
                            name,
                            path.clone(),
                            format!("type changed from `{before}` to `{after}`"),
                            "code using the value must change, and payloads of the old type may be rejected".to_owned(),
                        )
                        .between(Some(before), Some(after)),
                    );
                }
            }
        }
        self.checks(name, path.clone(), &a.checks, &b.checks);
        // Tuple positions by index; the items after them (or every item of an untyped array).
        for (i, (x, y)) in a.checks.tuple.iter().zip(&b.checks.tuple).enumerate() {
            self.shape(name, format!("{path}[{i}]"), x, y);
        }
        if let (Some(x), Some(y)) = (&a.checks.items, &b.checks.items) {
            self.shape(name, format!("{path}[]"), x, y);
        }
        let (na, nb) = (a.checks.nested().count(), b.checks.nested().count());
        if na != nb {
            self.push(
                change(
                    if nb > na {
                        Severity::Major
                    } else {
                        Severity::Minor
                    },
                    if nb > na {
                        ChangeKind::ConstraintTightened
                    } else {
                        ChangeKind::ConstraintLoosened
                    },
                    name,
                    path,
                    "`items` schemas changed in number".to_owned(),
                    if nb > na {
                        "array items are checked against more schemas"
                    } else {
                        "array items are checked against fewer schemas"
                    }
                    .to_owned(),
                )
                .between(Some(na.to_string()), Some(nb.to_string())),
            );
        }
    }

    fn checks(&mut self, name: &str, path: String, a: &crate::ir::Checks, b: &crate::ir::Checks) {
        for d in checks::compare(a, b) {
            let quote = |v: &String| format!("`{}`", v.replace('`', "'"));
            let summary = match (&d.before, &d.after) {
                (None, Some(after)) => format!("`{}` added: {}", d.keyword, quote(after)),
                (Some(before), None) => {
                    format!("`{}` removed (was {})", d.keyword, quote(before))
                }
                (Some(before), Some(after)) => format!(
                    "`{}` changed from {} to {}",
                    d.keyword,
                    quote(before),
                    quote(after)
                ),
                (None, None) => format!("`{}` changed", d.keyword),
            };
            let c = constraint_change(name, path.clone(), d.direction, summary);
            self.push(c.between(d.before, d.after));
        }
    }
}

fn nullable_change(name: &str, path: String, nullable: bool) -> Change {
    if nullable {
        change(
            Severity::Major,
            ChangeKind::BecameNullable,
            name,
            path,
            "accepts `null` now".to_owned(),
            "its Rust type gains an `Option`: code reading it must handle `None`".to_owned(),
        )
    } else {
        change(
            Severity::Major,
            ChangeKind::NoLongerNullable,
            name,
            path,
            "no longer accepts `null`".to_owned(),
            "its Rust type loses an `Option`, and payloads with `null` are rejected".to_owned(),
        )
    }
}

pub(super) fn constraint_change(
    name: &str,
    path: String,
    direction: Direction,
    summary: String,
) -> Change {
    let (severity, kind, reason) = match direction {
        Direction::Tightened => (
            Severity::Major,
            ChangeKind::ConstraintTightened,
            "values accepted before are rejected now (breaks producers)",
        ),
        Direction::Loosened => (
            Severity::Minor,
            ChangeKind::ConstraintLoosened,
            "values rejected before are accepted now (consumers relying on the old rule may see them)",
        ),
        Direction::Changed => (
            Severity::Major,
            ChangeKind::ConstraintChanged,
            "neither tighter nor looser: some values accepted before are rejected now",
        ),
    };
    change(severity, kind, name, path, summary, reason.to_owned())
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Newtype(_) => "newtype",
    }
}

/// The shape of a type without its own name: two types with the same
/// fingerprint would generate the same definition under different names.
fn fingerprint(def: &TypeDef, model: &Model) -> String {
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.wire_name, repr::field_repr(f, model).ty))
                .collect();
            let extra = match &s.additional {
                Additional::Ignored => "ignored".to_owned(),
                Additional::Denied => "denied".to_owned(),
                Additional::Map(v) => repr::shape_type(v, model),
            };
            format!("struct {{{}}} {extra}", fields.join(", "))
        }
        TypeKind::Enum(e) => {
            let values: Vec<String> = e.variants.iter().map(|v| v.value.to_string()).collect();
            format!("enum {:?} [{}] open={}", e.repr, values.join(", "), e.open)
        }
        TypeKind::Union(u) => {
            let branches: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}({})", v.name, repr::shape_type(&v.shape, model)))
                .collect();
            format!("union {:?} [{}]", u.mode, branches.join(", "))
        }
        TypeKind::Newtype(shape) => format!("newtype {}", repr::shape_type(shape, model)),
    }
}
