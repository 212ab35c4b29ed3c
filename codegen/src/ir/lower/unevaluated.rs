//! `unevaluatedProperties` and `unevaluatedItems`: which keys and items a schema's keywords
//! evaluate (JSON Schema's annotations), lowered to an [`Evaluation`] that `validate()` and
//! the example checker work out on the value's JSON form.
//!
//! The evaluations are read from the schema as written, not from its merged form: an `allOf`
//! part's own `unevaluatedProperties` sees only that part (see `merge::keep_evaluations`).

use super::Lowerer;
use crate::ir::{Applied, Condition, Evaluation, Field, Gated, Shape, Ty, Unevaluated};
use crate::load::schema::{Items, Schema, Target};

/// Sub-schemas followed (through `allOf`, branches, `$ref` ..) before the evaluations of
/// deeper ones are left out, with a warning.
const MAX_EVALUATION_DEPTH: usize = 32;

/// Sub-schemas read for one `unevaluated*` check at most: references shared along many ways
/// would otherwise be read once per way.
const MAX_EVALUATION_READS: usize = 4096;

/// The state of one walk: the references being followed, and the reads left.
struct Walk {
    visiting: Vec<Target>,
    reads_left: usize,
    /// Whether a limit was met (and reported).
    stopped: bool,
}

/// Which of the two keywords an evaluation serves: only that part is worked out.
#[derive(Clone, Copy)]
struct Wanted {
    properties: bool,
    items: bool,
}

impl Lowerer<'_> {
    /// The `unevaluatedProperties` / `unevaluatedItems` checks of `schema`, one per schema
    /// (of those merged into it) that gives them. `name` prefixes the names of their types.
    pub(super) fn unevaluated(&mut self, schema: &Schema, name: &str) -> Vec<Unevaluated> {
        let mut out = Vec::new();
        for (i, rule) in schema.applicators.unevaluated.iter().enumerate() {
            let within = rule.within.as_deref().unwrap_or(schema);
            let n = match i {
                0 => String::new(),
                _ => (i + 1).to_string(),
            };
            let mut leftover = |s: &Option<Box<Schema>>, what: &str| {
                s.as_deref().map(|s| {
                    (!s.never).then(|| self.shape(s, &format!("{name}Unevaluated{what}{n}")))
                })
            };
            // `true` or `{}` asks nothing of the keys or items left over.
            let asks = |l: Option<Option<Shape>>| l.filter(|s| *s != Some(Shape::plain(Ty::Any)));
            let properties = asks(leftover(&rule.properties, "Property"));
            let items = asks(leftover(&rule.items, "Item"));
            if properties.is_none() && items.is_none() {
                continue;
            }
            let wanted = Wanted {
                properties: properties.is_some(),
                items: items.is_some(),
            };
            let mut walk = Walk {
                visiting: Vec::new(),
                reads_left: MAX_EVALUATION_READS,
                stopped: false,
            };
            let evaluation = self.evaluation(
                within,
                &format!("{name}Seen{n}"),
                wanted,
                true,
                &mut walk,
                0,
            );
            out.push(Unevaluated {
                evaluation,
                properties,
                items,
            });
        }
        out
    }

    /// What `schema` evaluates. `own` is the schema the keywords sit in: its own
    /// `unevaluated*` are the checks being built, not evaluations.
    fn evaluation(
        &mut self,
        schema: &Schema,
        name: &str,
        wanted: Wanted,
        own: bool,
        walk: &mut Walk,
        depth: usize,
    ) -> Evaluation {
        let mut e = Evaluation::default();
        if schema.never {
            return e;
        }
        walk.reads_left = walk.reads_left.saturating_sub(1);
        if walk.reads_left == 0 || depth > MAX_EVALUATION_DEPTH {
            // Said once per check; the rest of the walk reads nothing more.
            if !walk.stopped {
                walk.stopped = true;
                let at = schema.pointer.clone();
                self.warn(
                    schema,
                    &at,
                    format!("`unevaluatedProperties` / `unevaluatedItems` follow sub-schemas {MAX_EVALUATION_DEPTH} levels deep and {MAX_EVALUATION_READS} in all; the keys and items that further ones evaluate count as unevaluated"),
                );
            }
            walk.reads_left = 0;
            return e;
        }
        let a = &schema.applicators;
        if wanted.properties {
            e.properties = schema.properties.iter().map(|(p, _)| p.clone()).collect();
            e.patterns = a
                .pattern_properties
                .iter()
                .filter(|(p, _)| regress::Regex::new(p).is_ok())
                .map(|(p, _)| p.clone())
                .collect();
            e.all_properties = schema.additional.is_some()
                || (!own && a.unevaluated.iter().any(|u| u.properties.is_some()));
        }
        if wanted.items {
            match &schema.items {
                Some(Items::Single(_)) => e.all_items = true,
                Some(Items::Tuple(t)) => {
                    e.prefix_items = t.positions.len();
                    e.all_items = t.rest.is_some() || t.rest_written;
                }
                None => {}
            }
            e.all_items |= !own && a.unevaluated.iter().any(|u| u.items.is_some());
            if let Some(contains) = &a.contains {
                if !e.all_items {
                    e.contains
                        .push(self.shape(contains, &format!("{name}Contains")));
                }
            }
        }
        let next = depth + 1;
        for (i, part) in schema.all_of.iter().enumerate() {
            let part_name = format!("{name}Part{}", i + 1);
            let sub = self.evaluation(part, &part_name, wanted, false, walk, next);
            absorb(&mut e, sub);
        }
        if let Some(target) = schema.reference.as_ref().and_then(|r| r.target.as_ref()) {
            if !walk.visiting.contains(target) {
                if let Some(found) = self.target_schema(target) {
                    walk.visiting.push(target.clone());
                    let sub =
                        self.evaluation(found, &format!("{name}Ref"), wanted, false, walk, next);
                    walk.visiting.pop();
                    absorb(&mut e, sub);
                }
            }
        }
        let branches = schema.one_of.iter().chain(&schema.any_of).enumerate();
        for (i, branch) in branches {
            let branch_name = format!("{name}Branch{}", i + 1);
            let sub = self.evaluation(branch, &branch_name, wanted, false, walk, next);
            if !complete(&e, wanted) && !sub.is_empty() {
                let shape = self.shape(branch, &branch_name);
                e.gated.push(Gated {
                    conditions: vec![Condition::Matches(shape)],
                    evaluation: sub,
                });
            }
        }
        if let Some(condition) = &a.if_schema {
            let if_name = format!("{name}If");
            let sub = self.evaluation(condition, &if_name, wanted, false, walk, next);
            let mut then_else = |l: &mut Self, s: &Option<Box<Schema>>, suffix: &str| {
                s.as_deref().and_then(|s| {
                    let n = format!("{name}{suffix}");
                    let sub = l.evaluation(s, &n, wanted, false, walk, next);
                    (!sub.is_empty()).then(|| (l.shape(s, &n), sub))
                })
            };
            let then = then_else(self, &a.then_schema, "Then");
            let otherwise = then_else(self, &a.else_schema, "Else");
            if !complete(&e, wanted) && (!sub.is_empty() || then.is_some() || otherwise.is_some()) {
                let shape = self.shape(condition, &if_name);
                if !sub.is_empty() {
                    e.gated.push(Gated {
                        conditions: vec![Condition::Matches(shape.clone())],
                        evaluation: sub,
                    });
                }
                if let Some((then, sub)) = then {
                    e.gated.push(Gated {
                        conditions: vec![
                            Condition::Matches(shape.clone()),
                            Condition::Matches(then),
                        ],
                        evaluation: sub,
                    });
                }
                if let Some((otherwise, sub)) = otherwise {
                    e.gated.push(Gated {
                        conditions: vec![Condition::Fails(shape), Condition::Matches(otherwise)],
                        evaluation: sub,
                    });
                }
            }
        }
        for (key, dependent) in &a.dependent_schemas {
            let n = format!("{name}If{}", crate::ir::names::type_name(key, "Key"));
            let sub = self.evaluation(dependent, &n, wanted, false, walk, next);
            if !complete(&e, wanted) && !sub.is_empty() {
                let shape = self.shape(dependent, &n);
                e.gated.push(Gated {
                    conditions: vec![Condition::HasKey(key.clone()), Condition::Matches(shape)],
                    evaluation: sub,
                });
            }
        }
        if complete(&e, wanted) {
            // Every key and item is evaluated whatever the value: nothing else needs working out.
            e.properties.clear();
            e.patterns.clear();
            e.contains.clear();
            e.gated.clear();
        }
        e
    }
}

/// Closes a struct whose `unevaluatedProperties: false` sees exactly its fields (no pattern, no
/// sub-schema that may evaluate more): its other keys are then rejected as it parses, as under
/// `additionalProperties: false`, and the check is taken out of `applied`. Answers whether it
/// closed the struct.
pub(super) fn closes_struct(applied: &mut Option<Box<Applied>>, fields: &[Field]) -> bool {
    let Some(a) = applied.as_deref_mut() else {
        return false;
    };
    let closing = |u: &Unevaluated| {
        let e = &u.evaluation;
        u.properties == Some(None)
            && u.items.is_none()
            && e.patterns.is_empty()
            && !e.all_properties
            && e.gated.is_empty()
            && fields.iter().all(|f| e.properties.contains(&f.wire_name))
            && e.properties
                .iter()
                .all(|p| fields.iter().any(|f| f.wire_name == *p))
    };
    if !a.unevaluated.iter().any(closing) {
        return false;
    }
    a.unevaluated.retain(|u| !closing(u));
    if *a == Applied::default() {
        *applied = None;
    }
    true
}

/// Whether `e` evaluates every key and item that `wanted` asks about, whatever the value.
fn complete(e: &Evaluation, wanted: Wanted) -> bool {
    (!wanted.properties || e.all_properties) && (!wanted.items || e.all_items)
}

/// Adds the evaluations of a sub-schema that always counts (an `allOf` part, a `$ref`).
fn absorb(e: &mut Evaluation, sub: Evaluation) {
    for p in sub.properties {
        if !e.properties.contains(&p) {
            e.properties.push(p);
        }
    }
    for p in sub.patterns {
        if !e.patterns.contains(&p) {
            e.patterns.push(p);
        }
    }
    e.all_properties |= sub.all_properties;
    e.prefix_items = e.prefix_items.max(sub.prefix_items);
    e.all_items |= sub.all_items;
    e.contains.extend(sub.contains);
    e.gated.extend(sub.gated);
}
