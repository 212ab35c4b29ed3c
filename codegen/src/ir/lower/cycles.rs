//! Breaking cycles: a `Box` on the fewest references that make the types
//! finite. Only direct containment counts: a `Vec` or map already holds its
//! values behind a pointer.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Holding, Model, Shape, Ty, TypeKind};
use std::collections::HashSet;

/// The shapes a type holds directly, in a fixed order (fields, then branches; a tuple's
/// positions in place of the tuple). The flattened map of extra properties is not direct: its
/// values live in the map.
fn direct_shapes_mut(kind: &mut TypeKind) -> Vec<&mut Shape> {
    let mut out = Vec::new();
    for (holding, shape) in kind.shapes_mut() {
        if holding == Holding::Direct {
            push_direct(shape, &mut out);
        }
    }
    out
}

fn push_direct<'a>(shape: &'a mut Shape, out: &mut Vec<&'a mut Shape>) {
    if !matches!(shape.ty, Ty::Tuple(_)) {
        out.push(shape);
        return;
    }
    for (holding, inner) in shape.children_mut() {
        if holding == Holding::Direct {
            push_direct(inner, out);
        }
    }
}

/// For each type: `(position among its direct shapes, target type)` of every direct reference.
fn edges(model: &Model) -> Vec<Vec<(usize, usize)>> {
    model
        .types
        .iter()
        .map(|t| {
            let mut kind = t.kind.clone();
            direct_shapes_mut(&mut kind)
                .into_iter()
                .enumerate()
                .filter_map(|(k, shape)| match shape.ty {
                    Ty::Named { id, .. } => Some((k, id.0)),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The back edges of a depth-first search in type order: removing them leaves no
/// cycle, and each one closes a cycle, so boxing them is enough and never needless.
fn back_edges(graph: &[Vec<(usize, usize)>]) -> HashSet<(usize, usize)> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; graph.len()];
    let mut back = HashSet::new();
    for root in 0..graph.len() {
        match state.get_mut(root) {
            Some(s) if *s == NEW => *s = OPEN,
            _ => continue,
        }
        // (type, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some((v, ei)) = work.pop() {
            let Some(&(k, w)) = graph.get(v).and_then(|e| e.get(ei)) else {
                if let Some(s) = state.get_mut(v) {
                    *s = DONE;
                }
                continue;
            };
            work.push((v, ei + 1));
            match state.get_mut(w) {
                Some(s) if *s == NEW => {
                    *s = OPEN;
                    work.push((w, 0));
                }
                Some(s) if *s == OPEN => {
                    back.insert((v, k));
                }
                _ => {}
            }
        }
    }
    back
}

/// Sets `boxed` on the references that close a cycle of direct containment.
pub(in crate::ir) fn box_cycles(model: &mut Model) {
    let back = back_edges(&edges(model));
    for (from, t) in model.types.iter_mut().enumerate() {
        for (k, shape) in direct_shapes_mut(&mut t.kind).into_iter().enumerate() {
            if let Ty::Named { boxed, .. } = &mut shape.ty {
                if back.contains(&(from, k)) {
                    *boxed = true;
                }
            }
        }
    }
}

/// Reports cycles made only of wrappers (`A = B`, `B = A`): no value can be built.
pub(super) fn report_alias_cycles(model: &Model, diagnostics: &mut Diagnostics) {
    for t in &model.types {
        let TypeKind::Newtype(shape) = &t.kind else {
            continue;
        };
        let mut seen = Vec::new();
        let mut cur = shape;
        while let Ty::Named { id, .. } = cur.ty {
            if seen.contains(&id) {
                break;
            }
            seen.push(id);
            let Some(next) = model.get(id) else { break };
            if next.name == t.name {
                diagnostics.push(
                    Diagnostic::error(
                        &t.origin.file,
                        &t.origin.pointer,
                        format!("`{}` is defined only as itself through references; no value can have this type", t.schema_name),
                    )
                    .with_hint("give one schema in the cycle real content (properties, a type)"),
                );
                break;
            }
            let TypeKind::Newtype(s) = &next.kind else {
                break;
            };
            cur = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::back_edges;

    #[test]
    fn a_self_reference_is_its_own_back_edge() {
        let graph = vec![vec![(0, 0)]];
        assert_eq!(
            back_edges(&graph).into_iter().collect::<Vec<_>>(),
            vec![(0, 0)]
        );
    }

    #[test]
    fn a_two_type_cycle_is_broken_once() {
        // 0 -> 1 (field 0), 1 -> 0 (field 2)
        let graph = vec![vec![(0, 1)], vec![(2, 0)]];
        assert_eq!(
            back_edges(&graph).into_iter().collect::<Vec<_>>(),
            vec![(1, 2)]
        );
    }

    #[test]
    fn references_outside_a_cycle_are_not_boxed() {
        // 0 -> 1 -> 2, and 0 -> 2: a diamond, no cycle.
        let graph = vec![vec![(0, 1), (1, 2)], vec![(0, 2)], vec![]];
        assert!(back_edges(&graph).is_empty());
    }
}
