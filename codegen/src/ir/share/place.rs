//! Where shared shapes live. After sharing, the type standing for several copies is used
//! by types of several modules, and it would stay in the module of its first use: any
//! model that needs the shape would then compile that whole module, model and all (with
//! model features, a consumer of `issue` compiled `pull_request_simple` for one shared
//! user shape). Instead, an inline type that types of several modules use moves to a
//! module of its own, named after it; an inline type that the types of one other module
//! alone use moves there (the inline types of a shape go with it). Named schemas never
//! move.

use super::super::names::{self, Scope};
use super::super::{Model, Module, Ty, TypeId};
use std::collections::BTreeSet;

/// Moves each shared inline type (with what only it uses) to a module of its own, placed
/// after the module it was in. A model without shared types is left as it is.
pub(super) fn place_shared(model: &mut Model) {
    let n = model.types.len();
    let mut owner: Vec<Option<usize>> = vec![None; n];
    let mut head = vec![false; n];
    for (m, module) in model.modules.iter().enumerate() {
        for id in &module.types {
            if let Some(slot) = owner.get_mut(id.0) {
                *slot = Some(m);
            }
        }
        if let Some(h) = module.types.first().and_then(|id| head.get_mut(id.0)) {
            *h = true;
        }
    }
    let first_owner = owner.clone();
    let mut users: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for (i, def) in model.types.iter().enumerate() {
        def.kind.walk(&mut |_, shape| {
            if let Ty::Named { id, .. } = shape.ty {
                if id.0 != i {
                    if let Some(set) = users.get_mut(id.0) {
                        set.insert(i);
                    }
                }
            }
        });
    }
    // The module given to a type of its own, by index past the existing ones, in the order
    // they are given.
    let mut own: Vec<Option<usize>> = vec![None; n];
    let mut created: Vec<usize> = Vec::new();
    let existing = model.modules.len();
    // Each round moves types closer to their users; a type gets a module of its own once,
    // so the rounds settle. The bound only keeps a pathological case finite.
    for _ in 0..=n {
        let mut changed = false;
        for t in 0..n {
            if head.get(t).copied().unwrap_or(true) || owner.get(t).copied().flatten().is_none() {
                continue;
            }
            let using: BTreeSet<usize> = users
                .get(t)
                .into_iter()
                .flatten()
                .filter_map(|u| owner.get(*u).copied().flatten())
                .collect();
            let target = match using.len() {
                0 => continue,
                1 => using.first().copied(),
                _ => {
                    let Some(slot) = own.get_mut(t) else { continue };
                    Some(*slot.get_or_insert_with(|| {
                        created.push(t);
                        existing + created.len() - 1
                    }))
                }
            };
            if let (Some(target), Some(slot)) = (target, owner.get_mut(t)) {
                if *slot != Some(target) {
                    *slot = Some(target);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    if owner == first_owner {
        return;
    }
    rebuild(model, &owner, &first_owner, &created);
}

/// Lays the modules out again: each existing one keeps its types in order but those that
/// left, and takes those that came after them, in type order; each new module follows the
/// module its shape was in. Modules left empty go.
fn rebuild(
    model: &mut Model,
    owner: &[Option<usize>],
    first_owner: &[Option<usize>],
    created: &[usize],
) {
    let existing = model.modules.len();
    let mut scope = Scope::with_reserved(names::RESERVED_MODULES);
    for module in &model.modules {
        scope.claim(module.name.clone());
    }
    let mut modules: Vec<Module> = std::mem::take(&mut model.modules);
    for (m, module) in modules.iter_mut().enumerate() {
        module
            .types
            .retain(|id| owner.get(id.0).copied().flatten() == Some(m));
    }
    for (t, (now, before)) in owner.iter().zip(first_owner).enumerate() {
        if let Some(m) = now.filter(|m| *m < existing && *now != *before) {
            if let Some(module) = modules.get_mut(m) {
                module.types.push(TypeId(t));
            }
        }
    }
    let mut after: Vec<Vec<Module>> = (0..existing).map(|_| Vec::new()).collect();
    for (k, shape) in created.iter().enumerate() {
        let index = existing + k;
        // The shape first, then the types that went with it, in type order.
        let mut types: Vec<TypeId> = Vec::new();
        if owner.get(*shape).copied().flatten() == Some(index) {
            types.push(TypeId(*shape));
        }
        types.extend(
            owner
                .iter()
                .enumerate()
                .filter(|(t, o)| **o == Some(index) && t != shape)
                .map(|(t, _)| TypeId(t)),
        );
        if types.first() != Some(&TypeId(*shape)) {
            // The shape itself went to a single user later: its followers went with it.
            continue;
        }
        let Some(def) = model.types.get(*shape) else {
            continue;
        };
        let module = Module {
            name: scope.claim(names::module_name(&def.name)),
            types,
            shared: true,
        };
        let from = first_owner.get(*shape).copied().flatten().unwrap_or(0);
        if let Some(list) = after.get_mut(from) {
            list.push(module);
        }
    }
    model.modules = modules
        .into_iter()
        .zip(after)
        .flat_map(|(module, next)| std::iter::once(module).chain(next))
        .filter(|module| !module.types.is_empty())
        .collect();
}
