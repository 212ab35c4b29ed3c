//! Whether a schema takes `null`: asked of referenced schemas once each, through `allOf`
//! parts and union branches.

use super::classify::{has_structure, is_struct};
use super::unions::{is_null_schema, union_branches};
use super::Lowerer;
use crate::ir::{Shape, Ty, TypeDef, TypeId, TypeKind};
use crate::load::schema::{self as s, Schema, Target};
use serde_json::Value;

/// A question about `null` asked of a referenced schema; its answers are kept in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NullQuestion {
    Accepts = 0,
    TypesOut = 1,
}

impl Lowerer<'_> {
    /// Whether the schema a bare `$ref` points at accepts `null` itself (`nullable`,
    /// `type: [T, "null"]`, `null` in its `enum`, a `null` branch, or a reference to such).
    pub(super) fn references_nullable(&self, schema: &Schema, depth: usize) -> bool {
        let Some(target) = schema.reference.as_ref().and_then(|r| r.target.as_ref()) else {
            return false;
        };
        self.ask(target, NullQuestion::Accepts, depth)
    }

    /// Asks a question about `null` of the schema at `target`, once for each schema: the
    /// answer does not depend on the way in, unless the depth limit cut it short.
    pub(super) fn ask(&self, target: &Target, question: NullQuestion, depth: usize) -> bool {
        let known = self.null_answers.borrow().get(target).copied();
        if let Some(answer) = known.and_then(|answers| answers[question as usize]) {
            return answer;
        }
        let cuts = self.null_cuts.get();
        let answer = self.target_schema(target).is_some_and(|t| match question {
            NullQuestion::Accepts => self.accepts_null(t, depth),
            NullQuestion::TypesOut => self.types_out_null(t, depth),
        });
        if self.null_cuts.get() == cuts {
            let mut answers = self.null_answers.borrow_mut();
            answers.entry(target.clone()).or_default()[question as usize] = Some(answer);
        }
        answer
    }

    /// Whether a schema accepts `null` itself (see [`Self::references_nullable`]).
    pub(super) fn accepts_null(&self, t: &Schema, depth: usize) -> bool {
        if depth >= s::MAX_DEPTH {
            self.null_cuts.set(self.null_cuts.get() + 1);
        }
        t.nullable
            || t.enum_values
                .as_ref()
                .is_some_and(|v| v.iter().any(Value::is_null))
            // A `null` branch beside a `type` without `null` is ruled out by that `type`.
            || (t.types.is_none() && union_branches(t).iter().any(is_null_schema))
            || (t.all_of.is_empty()
                && !has_structure(t)
                && depth < s::MAX_DEPTH
                && self.references_nullable(t, depth + 1))
            || (depth < s::MAX_DEPTH && self.parts_accept_null(t, depth + 1))
    }

    /// Whether an `anyOf` (its branches' shapes and schemas) takes no `null`. It holds the
    /// whole value, `null` too: then no branch of a union beside it takes `null`, though the
    /// branch's own schema may.
    pub(super) fn group_rejects_null(&self, group: &[Shape], any_of: &[Schema]) -> bool {
        group
            .iter()
            .zip(any_of)
            .all(|(shape, b)| rejects_null(shape) || self.types_out_null(b, 0))
    }

    /// Takes `null` out of the branches of a union made just now for an inline schema (`id`
    /// at or after `first`, so not a named schema's type that other uses share).
    pub(super) fn rule_null_out_of_new_union(&mut self, id: TypeId, first: usize) {
        if id.0 < first {
            return;
        }
        if let Some(Some(TypeDef {
            kind: TypeKind::Union(u),
            ..
        })) = self.slots.get_mut(id.0)
        {
            for v in &mut u.variants {
                v.shape.nullable = false;
            }
        }
    }

    /// Whether a `type` without `null` rules `null` out of a schema (through plain references
    /// too): `{type: object, properties: ..}` lowers to a generated struct, which a shape alone
    /// does not tell apart from a type that may take `null`.
    pub(super) fn types_out_null(&self, t: &Schema, depth: usize) -> bool {
        if depth >= s::MAX_DEPTH {
            self.null_cuts.set(self.null_cuts.get() + 1);
        }
        if t.types.is_some() {
            return t.types.as_ref().is_some_and(|types| !types.is_empty())
                && !self.accepts_null(t, depth);
        }
        // An `allOf` one of whose parts rules `null` out: a value meets every part.
        if !t.all_of.is_empty()
            && depth < s::MAX_DEPTH
            && !self.accepts_null(t, depth)
            && t.all_of.iter().any(|p| self.types_out_null(p, depth + 1))
        {
            return true;
        }
        // A union whose branches each rule `null` out.
        let branches = union_branches(t);
        if !branches.is_empty()
            && t.reference.is_none()
            && t.all_of.is_empty()
            && depth < s::MAX_DEPTH
            && !self.accepts_null(t, depth)
            && branches.iter().all(|b| self.types_out_null(b, depth + 1))
        {
            return true;
        }
        match t.reference.as_ref().and_then(|r| r.target.as_ref()) {
            Some(target) if t.all_of.is_empty() && !has_structure(t) && depth < s::MAX_DEPTH => {
                self.ask(target, NullQuestion::TypesOut, depth + 1)
            }
            _ => false,
        }
    }

    /// Whether `null` meets every `allOf` part of a schema whose own keywords say nothing of
    /// it (`allOf: [$ref]` to a schema with a `null` branch): a part accepts it itself, or
    /// has no keyword that applies to `null` (`minLength` only applies to strings).
    pub(super) fn parts_accept_null(&self, t: &Schema, depth: usize) -> bool {
        if t.all_of.is_empty() || t.types.is_some() || has_structure(t) {
            return false;
        }
        let applies_to_null = |p: &Schema| {
            p.reference.is_some()
                || !p.all_of.is_empty()
                || p.types.is_some()
                || p.never
                || p.enum_values.is_some()
                || p.const_value.is_some()
                || !union_branches(p).is_empty()
                || is_struct(p)
        };
        let own_reference = t.reference.is_none() || self.references_nullable(t, depth);
        let mut accepting = t.all_of.iter().filter(|p| applies_to_null(p)).peekable();
        own_reference
            && accepting.peek().is_some()
            && accepting.all(|p| self.accepts_null(p, depth))
    }
}

/// Whether a schema's own keywords (`allOf` aside) allow `null` and nothing else.
pub(super) fn allows_only_null(schema: &Schema) -> bool {
    if !(schema.nullable && matches!(schema.types.as_deref(), Some([]))) {
        return false;
    }
    // Only the rare `type: "null"` schema pays for the copy.
    let mut rest = schema.clone();
    rest.all_of.clear();
    rest.types = None;
    !has_structure(&rest)
}

/// Whether no `null` can match `shape`: it is not nullable and its type is one whose JSON form
/// is never `null` (a generated or outside type might be).
pub(super) fn rejects_null(shape: &Shape) -> bool {
    !shape.nullable
        && matches!(
            shape.ty,
            Ty::Bool
                | Ty::Int(_)
                | Ty::Float(_)
                | Ty::String
                | Ty::Typed(_)
                | Ty::Array(_)
                | Ty::Tuple(_)
                | Ty::Map(_)
        )
}
