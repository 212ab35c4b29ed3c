//! Breaking cycles: `Box` exactly on the references inside a cycle of
//! direct containment (a `Vec` or map already adds indirection).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Additional, Model, Shape, Ty, TypeId, TypeKind};

/// The types a shape holds directly (not behind a `Vec` or map).
fn direct_targets(shape: &Shape, out: &mut Vec<TypeId>) {
    if let Ty::Named { id, .. } = shape.ty {
        out.push(id);
    }
}

fn shapes_mut(kind: &mut TypeKind) -> Vec<&mut Shape> {
    match kind {
        TypeKind::Struct(s) => {
            let mut v: Vec<&mut Shape> = s.fields.iter_mut().map(|f| &mut f.shape).collect();
            if let Additional::Map(m) = &mut s.additional {
                v.push(m);
            }
            v
        }
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.shape).collect(),
        TypeKind::Newtype(shape) => vec![shape],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn edges(model: &Model) -> Vec<Vec<TypeId>> {
    model
        .types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            let mut kind = t.kind.clone();
            for shape in shapes_mut(&mut kind) {
                direct_targets(shape, &mut out);
            }
            out
        })
        .collect()
}

/// Strongly connected components (iterative Tarjan): the component index of each type.
fn components(graph: &[Vec<TypeId>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some((v, ei)) = work.pop() {
            if ei == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            let succ = graph.get(v).map_or(&[][..], Vec::as_slice);
            if let Some(w) = succ.get(ei).map(|t| t.0) {
                work.push((v, ei + 1));
                if w >= n {
                    continue;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    comp
}

/// Sets `boxed` on every direct reference that stays inside a cycle.
pub(super) fn box_cycles(model: &mut Model) {
    let graph = edges(model);
    let comp = components(&graph);
    for (from, t) in model.types.iter_mut().enumerate() {
        for shape in shapes_mut(&mut t.kind) {
            if let Ty::Named { id, boxed } = &mut shape.ty {
                if comp.get(from).is_some() && comp.get(from) == comp.get(id.0) {
                    *boxed = true;
                }
            }
        }
    }
}

/// Reports cycles made only of wrappers (`A = B`, `B = A`): no value can be built.
pub(super) fn report_alias_cycles(model: &Model, diagnostics: &mut Diagnostics) {
    for t in &model.types {
        let TypeKind::Newtype(shape) = &t.kind else { continue };
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
            let TypeKind::Newtype(s) = &next.kind else { break };
            cur = s;
        }
    }
}
