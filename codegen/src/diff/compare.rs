//! Walks two IR models side by side and lists every difference as a [`Change`].
//!
//! Types are matched by Rust name, fields by wire name, enum variants by
//! value and union branches by Rust name: what code written against the old
//! crate names, and what payloads carry. Rust types are spelled the way the
//! emitter writes them, so "type changed" means the generated signature changed.

use super::checks::{self, Direction};
use super::{Change, ChangeKind, Report, Severity};
use crate::emit::rust::repr;
use crate::ir::{Additional, Docs, Model, Shape, Ty, TypeDef, TypeKind};
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

    pub(super) fn with_hint(mut self, hint: Option<String>) -> Self {
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
    pub(super) fn docs(
        &mut self,
        name: &str,
        path: String,
        a: &Docs,
        b: &Docs,
        changed: &mut Vec<String>,
    ) {
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
    pub(super) fn value(&mut self, name: &str, path: String, a: &Shape, b: &Shape) {
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

    pub(super) fn checks(
        &mut self,
        name: &str,
        path: String,
        a: &crate::ir::Checks,
        b: &crate::ir::Checks,
    ) {
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

pub(super) fn nullable_change(name: &str, path: String, nullable: bool) -> Change {
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
