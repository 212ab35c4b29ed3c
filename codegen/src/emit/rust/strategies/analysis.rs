//! Which types some value satisfies, which are recursive, and an order in which each
//! satisfiable type has a value built only from types earlier in it.
//!
//! The order is what keeps recursion finite: at depth 0 a recursive type builds only
//! from types ranked before it (an absent property, `null`, an empty list, a branch that
//! does not recurse), so generation always stops. A type that never gets a rank has no
//! finite value: a contradiction in its checks, a need for such a type, or recursion
//! with no way out.

use super::{scalars, Notes};
use crate::ir::{Model, Shape, Ty, TypeDef, TypeId, TypeKind};

/// The facts the strategies are written from.
pub struct Analysis {
    /// Position in the build order; `None`: no value satisfies the type.
    rank: Vec<Option<usize>>,
    /// Whether the type can contain itself.
    cyclic: Vec<bool>,
    /// Why a type has no rank.
    reasons: Vec<Option<String>>,
}

impl Analysis {
    /// Analyses every type of `model`.
    pub fn new(model: &Model) -> Self {
        let n = model.types.len();
        let cyclic = cyclic_types(model);
        let mut rank: Vec<Option<usize>> = vec![None; n];
        let mut next = 0;
        loop {
            let mut progress = false;
            for (i, def) in model.types.iter().enumerate() {
                if rank.get(i).copied().flatten().is_some() {
                    continue;
                }
                let ranked = |t: TypeId| rank.get(t.0).copied().flatten().is_some();
                if type_has_value(def, model, &ranked) {
                    if let Some(slot) = rank.get_mut(i) {
                        *slot = Some(next);
                    }
                    next += 1;
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
        let mut analysis = Analysis {
            rank,
            cyclic,
            reasons: vec![None; n],
        };
        let reasons: Vec<Option<String>> = model
            .types
            .iter()
            .enumerate()
            .map(|(i, def)| {
                if analysis.rank.get(i).copied().flatten().is_some() {
                    None
                } else {
                    Some(analysis.reason(def, model))
                }
            })
            .collect();
        analysis.reasons = reasons;
        analysis
    }

    /// Why no value satisfies the type, when none does.
    pub fn unsatisfiable(&self, id: TypeId) -> Option<&str> {
        self.reasons.get(id.0).and_then(|r| r.as_deref())
    }

    /// Whether the type can contain itself.
    pub fn is_cyclic(&self, id: TypeId) -> bool {
        self.cyclic.get(id.0).copied().unwrap_or(false)
    }

    /// Whether `t` comes before `this` in the build order.
    pub fn before(&self, t: TypeId, this: TypeId) -> bool {
        match (self.rank.get(t.0), self.rank.get(this.0)) {
            (Some(Some(a)), Some(Some(b))) => a < b,
            _ => false,
        }
    }

    /// Whether a shape holds a recursive type directly (through lists, maps or `null`).
    pub fn reaches_cycle(&self, shape: &Shape) -> bool {
        match &shape.ty {
            Ty::Named { id, .. } => self.is_cyclic(*id),
            ty => ty.held().iter().any(|inner| self.reaches_cycle(inner)),
        }
    }

    /// A strategy for the shape that nests no further, using only types `usable`.
    pub fn witness(
        &self,
        shape: &Shape,
        model: &Model,
        usable: &dyn Fn(TypeId) -> bool,
    ) -> Option<String> {
        witness(shape, model, usable)
    }

    /// Why a type that got no rank has no value.
    fn reason(&self, def: &TypeDef, model: &Model) -> String {
        let ranked = |t: TypeId| self.rank.get(t.0).copied().flatten().is_some();
        let shape_reason = |shape: &Shape| self.shape_reason(shape, model, &ranked);
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| held(f))
                .find_map(|f| {
                    shape_reason(&f.shape).map(|why| format!("property `{}`: {why}", f.wire_name))
                })
                .unwrap_or_else(|| "no value of it is finite".to_owned()),
            TypeKind::Union(u) => {
                let whys: Vec<String> = u
                    .variants
                    .iter()
                    .filter_map(|v| shape_reason(&v.shape).map(|w| format!("{}: {w}", v.name)))
                    .collect();
                format!("no branch has a value ({})", whys.join("; "))
            }
            TypeKind::Newtype(shape) => {
                shape_reason(shape).unwrap_or_else(|| "no value of it is finite".to_owned())
            }
            TypeKind::Enum(_) => "a closed enum with no values".to_owned(),
        }
    }

    fn shape_reason(
        &self,
        shape: &Shape,
        model: &Model,
        ranked: &dyn Fn(TypeId) -> bool,
    ) -> Option<String> {
        if witness(shape, model, ranked).is_some() {
            return None;
        }
        Some(match &shape.ty {
            Ty::Named { id, .. } => {
                let name = model.get(*id).map_or("?", |d| d.name.as_str());
                if self.is_cyclic(*id) && self.reasons_pending(*id, model) {
                    format!("needs `{name}`, whose values would nest without end")
                } else {
                    format!("needs `{name}`, which no value can satisfy")
                }
            }
            Ty::Array(item) => {
                let (min, max) = (shape.checks.min_items, shape.checks.max_items);
                let position = required_positions(shape)
                    .enumerate()
                    .find_map(|(i, p)| Some((i, self.shape_reason(p, model, ranked)?)));
                match (min, max, position) {
                    (Some(a), Some(b), _) if a > b => {
                        format!("minItems {a} is greater than maxItems {b}")
                    }
                    (_, _, Some((i, why))) => format!("its position {i}: {why}"),
                    _ => format!(
                        "its items: {}",
                        self.shape_reason(item, model, ranked)
                            .unwrap_or_else(|| "none can be built".to_owned())
                    ),
                }
            }
            Ty::Tuple(positions) => format!(
                "its positions: {}",
                positions
                    .iter()
                    .find_map(|p| self.shape_reason(p, model, ranked))
                    .unwrap_or_else(|| "one cannot be built".to_owned())
            ),
            Ty::Map(value) => {
                let (min, max) = (shape.checks.min_properties, shape.checks.max_properties);
                match (min, max) {
                    (Some(a), Some(b)) if a > b => {
                        format!("minProperties {a} is greater than maxProperties {b}")
                    }
                    _ => format!(
                        "its values: {}",
                        self.shape_reason(value, model, ranked)
                            .unwrap_or_else(|| "none can be built".to_owned())
                    ),
                }
            }
            _ => match scalars::expr(shape, model, &mut Notes::default()) {
                Err(why) => why,
                Ok(_) => "no value can be built".to_owned(),
            },
        })
    }

    /// Whether a recursive type fails only for want of itself: every shape of it that
    /// lacks a value refers to a type.
    fn reasons_pending(&self, id: TypeId, model: &Model) -> bool {
        let Some(def) = model.get(id) else {
            return false;
        };
        let ranked = |t: TypeId| self.rank.get(t.0).copied().flatten().is_some();
        let scalar_fails =
            |s: &Shape| matches!(&s.ty, Ty::Named { .. }) || witness(s, model, &ranked).is_some();
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().all(|f| scalar_fails(&f.shape)),
            TypeKind::Union(u) => u.variants.iter().all(|v| scalar_fails(&v.shape)),
            TypeKind::Newtype(s) => scalar_fails(s),
            TypeKind::Enum(_) => false,
        }
    }
}

/// Whether a struct field always holds a value: it is required. An optional field, with a
/// `default` or not, is an `Option` that may be absent.
pub fn held(f: &crate::ir::Field) -> bool {
    f.required
}

fn type_has_value(def: &TypeDef, model: &Model, ranked: &dyn Fn(TypeId) -> bool) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| held(f))
            .all(|f| witness(&f.shape, model, ranked).is_some()),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .any(|v| witness(&v.shape, model, ranked).is_some()),
        TypeKind::Newtype(shape) => witness(shape, model, ranked).is_some(),
        TypeKind::Enum(e) => e.open || !e.variants.is_empty(),
    }
}

/// A strategy for a shape built from `usable` types only, with recursive types called
/// at depth 0; `None` when there is none.
fn witness(shape: &Shape, model: &Model, usable: &dyn Fn(TypeId) -> bool) -> Option<String> {
    if shape.nullable {
        return Some("s::absent()".to_owned());
    }
    match &shape.ty {
        Ty::Named { id, boxed } => {
            if !usable(*id) {
                return None;
            }
            let def = model.get(*id)?;
            let f = super::fn_name(def);
            let call = format!("s::lazy(move || {f}(0))");
            Some(if *boxed {
                format!("{call}.prop_map(Box::new).boxed()")
            } else {
                call
            })
        }
        Ty::Array(item) => {
            let min = shape.checks.min_items.unwrap_or(0);
            if shape.checks.max_items.is_some_and(|max| max < min) {
                return None;
            }
            if required_positions(shape).any(|p| witness(p, model, usable).is_none()) {
                return None;
            }
            if min == 0 {
                return Some("Just(Vec::new()).boxed()".to_owned());
            }
            let w = witness(item, model, usable)?;
            Some(format!(
                "proptest::collection::vec({w}, {min}..={min}).boxed()"
            ))
        }
        Ty::Tuple(positions) => {
            let each: Option<Vec<String>> = positions
                .iter()
                .map(|p| witness(p, model, usable))
                .collect();
            Some(format!(
                "{}.boxed()",
                crate::emit::rust::repr::tuple_of(&each?)
            ))
        }
        Ty::Map(value) => {
            let min = shape.checks.min_properties.unwrap_or(0);
            if shape.checks.max_properties.is_some_and(|max| max < min) {
                return None;
            }
            if min == 0 {
                return Some("Just(std::collections::BTreeMap::new()).boxed()".to_owned());
            }
            let w = witness(value, model, usable)?;
            Some(format!(
                "proptest::collection::btree_map(s::key(), {w}, {min}..={min}).boxed()"
            ))
        }
        _ => scalars::expr(shape, model, &mut Notes::default()).ok(),
    }
}

/// The positions of a tuple held as `Vec<serde_json::Value>` that every value has: the first
/// `minItems` of them.
fn required_positions(shape: &Shape) -> impl Iterator<Item = &Shape> {
    let min = shape.checks.min_items.unwrap_or(0);
    shape
        .checks
        .tuple
        .iter()
        .take(usize::try_from(min).unwrap_or(usize::MAX))
}

/// The types each type refers to.
fn edges(model: &Model) -> Vec<Vec<usize>> {
    model
        .types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            def.kind.walk_stored(&mut |shape| {
                if let Ty::Named { id, .. } = shape.ty {
                    out.push(id.0);
                }
            });
            out.retain(|t| *t < model.types.len());
            out
        })
        .collect()
}

/// Which types lie on a cycle of references (Kosaraju's two passes, without recursion).
fn cyclic_types(model: &Model) -> Vec<bool> {
    let graph = edges(model);
    let n = graph.len();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, tos) in graph.iter().enumerate() {
        for &to in tos {
            if let Some(r) = reverse.get_mut(to) {
                r.push(from);
            }
        }
    }
    // First pass: the order in which nodes finish.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if seen.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        while let Some((node, next)) = stack.pop() {
            let outs = graph.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&to) = outs.get(next) {
                stack.push((node, next + 1));
                if !seen.get(to).copied().unwrap_or(true) {
                    if let Some(s) = seen.get_mut(to) {
                        *s = true;
                    }
                    stack.push((to, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    // Second pass, on the reversed graph in reverse finishing order: components.
    let mut component = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    for &start in order.iter().rev() {
        if component.get(start).copied() != Some(usize::MAX) {
            continue;
        }
        let c = sizes.len();
        let mut size = 0;
        let mut stack = vec![start];
        if let Some(slot) = component.get_mut(start) {
            *slot = c;
        }
        while let Some(node) = stack.pop() {
            size += 1;
            for &from in reverse.get(node).map_or(&[][..], Vec::as_slice) {
                if component.get(from).copied() == Some(usize::MAX) {
                    if let Some(slot) = component.get_mut(from) {
                        *slot = c;
                    }
                    stack.push(from);
                }
            }
        }
        sizes.push(size);
    }
    (0..n)
        .map(|i| {
            let c = component.get(i).copied().unwrap_or(usize::MAX);
            sizes.get(c).copied().unwrap_or(0) > 1
                || graph.get(i).is_some_and(|outs| outs.contains(&i))
        })
        .collect()
}
