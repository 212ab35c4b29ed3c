//! Cargo features that let a user compile only the models they use. Models are grouped, and
//! each group is a feature. A module compiles when its own group's feature is on, or the
//! feature of any group that refers to it, directly or not: a consumer compiles what the
//! models they asked for need, and not the other models grouped with those. A feature turns on
//! the features of the groups it refers to whose needs are all its own, which costs nothing,
//! so most modules name their own feature only; `default` turns on every group. A group is a
//! strongly connected set of modules (models that refer to each other cannot be apart),
//! joined further while there are more than crates.io's limit allows: neighbours in dependency
//! order, the join that makes consumers compile the fewest modules they do not need first.

use super::code::{self, Code};
use crate::ir::{Model, TypeId, TypeKind};
use grouping::{has, pack_in_order, reachable, set, strongly_connected, subset, Weights};
use std::collections::BTreeSet;

mod grouping;

/// crates.io accepts at most 300 features; `default`, `all-models` and `proptest` are
/// three of them, and a few stay free for the user's own.
pub const MAX_GROUPS: usize = 290;

/// Feature names the manifest already uses.
const RESERVED: &[&str] = &["default", "all-models", "proptest"];

/// The groups of a crate's models.
pub struct Features {
    /// The features that compile each module, by module index: its own group's first, then
    /// each other group that needs the module and does not turn on its own, in feature order.
    module_gates: Vec<Vec<usize>>,
    /// The module of each type, by type id.
    type_module: Vec<Option<usize>>,
    /// The features, in the order of their first module.
    groups: Vec<Group>,
}

/// One feature.
struct Group {
    name: String,
    /// The modules in it, in module order.
    modules: Vec<usize>,
    /// The features it turns on, in feature order: those of the groups its modules refer to
    /// that need no module it does not.
    needs: Vec<usize>,
}

impl Features {
    /// Groups the modules of `model`; `refers(kind)` lists the types a type refers to.
    pub fn plan(model: &Model, refers: impl Fn(TypeId) -> BTreeSet<TypeId>) -> Features {
        let n = model.modules.len();
        let mut type_module = vec![None; model.types.len()];
        for (m, module) in model.modules.iter().enumerate() {
            for id in &module.types {
                if let Some(slot) = type_module.get_mut(id.0) {
                    *slot = Some(m);
                }
            }
        }
        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for (m, module) in model.modules.iter().enumerate() {
            for id in &module.types {
                for target in refers(*id) {
                    if let Some(Some(t)) = type_module.get(target.0) {
                        if *t != m {
                            edges[m].insert(*t);
                        }
                    }
                }
            }
        }
        // A strongly connected part made only of shared shapes is no feature of its own:
        // every feature that needs it compiles it. The models' parts are grouped over the
        // references that lead through such shapes.
        let shared: Vec<bool> = model.modules.iter().map(|m| m.shared).collect();
        let (shape_parts, parts): (Vec<Vec<usize>>, Vec<Vec<usize>>) =
            strongly_connected(&edges).into_iter().partition(|part| {
                part.iter()
                    .all(|m| shared.get(*m).copied().unwrap_or(false))
            });
        let mut shape = vec![false; n];
        for m in shape_parts.iter().flatten() {
            if let Some(slot) = shape.get_mut(*m) {
                *slot = true;
            }
        }
        let through = through_shapes(&edges, &shape);
        // Each part's first module names it: the first of a cycle in schema order, the
        // part that took others in, the most dependent one of a packed run.
        let mut parts = parts;
        for part in parts.iter_mut() {
            part.sort_unstable();
        }
        pack_in_order(&mut parts, &through, &weights(model), MAX_GROUPS);
        let mut parts: Vec<(usize, Vec<usize>)> = parts
            .into_iter()
            .map(|mut part| {
                // A model names it, not a shape its models share.
                let named = part
                    .iter()
                    .copied()
                    .find(|m| !shared.get(*m).copied().unwrap_or(false))
                    .or(part.first().copied())
                    .unwrap_or(0);
                part.sort_unstable();
                (named, part)
            })
            .collect();
        // Feature order: by first module, so the manifest follows the schemas.
        parts.sort_by_key(|(_, p)| p.first().copied().unwrap_or(usize::MAX));
        let mut module_feature: Vec<Option<usize>> = vec![None; n];
        for (g, (_, part)) in parts.iter().enumerate() {
            for m in part {
                if let Some(slot) = module_feature.get_mut(*m) {
                    *slot = Some(g);
                }
            }
        }
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        let mut groups: Vec<Group> = parts
            .iter()
            .enumerate()
            .map(|(g, (named, part))| {
                let mut needs: BTreeSet<usize> = BTreeSet::new();
                for m in part {
                    for t in through.get(*m).into_iter().flatten() {
                        if let Some(Some(f)) = module_feature.get(*t) {
                            if *f != g {
                                needs.insert(*f);
                            }
                        }
                    }
                }
                let base = model
                    .modules
                    .get(*named)
                    .map_or("models", |m| m.name.trim_start_matches("r#"));
                let mut name = base.to_owned();
                let mut k = 2;
                while taken.contains(&name) {
                    name = format!(
                        "{base}-models{}",
                        if k == 2 { String::new() } else { k.to_string() }
                    );
                    k += 1;
                }
                taken.insert(name.clone());
                Group {
                    name,
                    modules: part.clone(),
                    needs: needs.into_iter().collect(),
                }
            })
            .collect();
        let module_gates = gates(&mut groups, &module_feature, &edges);
        Features {
            module_gates,
            type_module,
            groups,
        }
    }

    /// The features that compile module `index`, its own first (none when the index is not a
    /// module).
    pub fn of_module(&self, index: usize) -> Vec<&str> {
        self.module_gates
            .get(index)
            .into_iter()
            .flatten()
            .filter_map(|g| self.groups.get(*g))
            .map(|g| g.name.as_str())
            .collect()
    }

    /// The features that compile type `id` (those of its module).
    pub fn of_type(&self, id: TypeId) -> Vec<&str> {
        match self.type_module.get(id.0).copied().flatten() {
            Some(m) => self.of_module(m),
            None => Vec::new(),
        }
    }

    /// The `[features]` lines of the models: `default`, `all-models` and one per group,
    /// each preceded by a comment naming its models.
    pub fn manifest(&self, model: &Model) -> String {
        let mut out = String::new();
        let all: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
        out.push_str("default = [\"all-models\"]\n");
        out.push_str("# Every model.\n");
        out.push_str(&format!("all-models = {}\n", array(&all)));
        for g in &self.groups {
            let models: Vec<String> = g
                .modules
                .iter()
                .filter_map(|m| model.modules.get(*m))
                .filter(|m| !m.shared)
                .filter_map(|m| m.types.first())
                .filter_map(|id| model.get(*id))
                .map(|d| format!("`{}`", d.schema_name))
                .collect();
            if models.len() > 1 {
                out.push_str(&wrap_comment(&models.join(", ")));
            }
            let needs: Vec<&str> = g
                .needs
                .iter()
                .filter_map(|n| self.groups.get(*n))
                .map(|n| n.name.as_str())
                .collect();
            out.push_str(&format!("{} = {}\n", key(&g.name), array(&needs)));
        }
        out
    }
}

/// A TOML key: bare when it can be.
fn key(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    }
}

/// A TOML array of strings: on one line when short, else one a line.
fn array(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    let one_line = format!("[{}]", quoted.join(", "));
    if one_line.len() <= 80 {
        return one_line;
    }
    let mut s = String::from("[\n");
    for q in quoted {
        s.push_str("    ");
        s.push_str(&q);
        s.push_str(",\n");
    }
    s.push(']');
    s
}

/// `# text`, wrapped at 100 columns.
fn wrap_comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() + 1 + word.len() > 100 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `#[cfg(...)]` for an item compiled by any of `features`, laid out as rustfmt lays it out;
/// nothing when `features` is empty.
pub fn write_gate(c: &mut Code, features: &[&str]) {
    match features {
        [] => {}
        [one] => c.line(&format!("#[cfg(feature = {})]", code::string(one))),
        _ => {
            let items: Vec<String> = features
                .iter()
                .map(|f| format!("feature = {}", code::string(f)))
                .collect();
            let line = format!("#[cfg(any({}))]", items.join(", "));
            if code::width(&line) <= c.room() {
                c.line(&line);
                return;
            }
            c.open("#[cfg(any(");
            let last = items.len().saturating_sub(1);
            for (i, item) in items.iter().enumerate() {
                if i == last {
                    c.line(item);
                } else {
                    c.line(&format!("{item},"));
                }
            }
            c.close("))]");
        }
    }
}

/// The features that compile each module (see [`Features::module_gates`]). Keeps only the
/// `needs` of each group that cost nothing: a group turns on another only when every module
/// the other needs, it needs too.
fn gates(
    groups: &mut [Group],
    module_feature: &[Option<usize>],
    edges: &[BTreeSet<usize>],
) -> Vec<Vec<usize>> {
    let reach: Vec<Vec<u64>> = groups
        .iter()
        .map(|g| reachable(&g.modules, edges))
        .collect();
    for (g, group) in groups.iter_mut().enumerate() {
        let own = reach.get(g);
        group
            .needs
            .retain(|f| matches!((reach.get(*f), own), (Some(r), Some(o)) if subset(r, o)));
    }
    let turned_on: Vec<Vec<u64>> = (0..groups.len()).map(|g| turns_on(g, groups)).collect();
    module_feature
        .iter()
        .enumerate()
        .map(|(m, own)| match own {
            Some(own) => {
                let mut gate = vec![*own];
                for (g, (r, on)) in reach.iter().zip(&turned_on).enumerate() {
                    if g != *own && has(r, m) && !has(on, *own) {
                        gate.push(g);
                    }
                }
                gate
            }
            None => {
                // A shared shape: each group that needs it, but one that turns another of
                // them on.
                let needing: Vec<usize> = (0..groups.len())
                    .filter(|g| reach.get(*g).is_some_and(|r| has(r, m)))
                    .collect();
                needing
                    .iter()
                    .copied()
                    .filter(|g| {
                        let on = turned_on.get(*g);
                        !needing
                            .iter()
                            .any(|h| h != g && on.is_some_and(|on| has(on, *h)))
                    })
                    .collect()
            }
        })
        .collect()
}

/// The references of each module that is not a shape, followed through the shapes
/// (`shape`): the modules that are not shapes it reaches with only shapes between.
fn through_shapes(edges: &[BTreeSet<usize>], shape: &[bool]) -> Vec<BTreeSet<usize>> {
    let is_shape = |m: usize| shape.get(m).copied().unwrap_or(false);
    (0..edges.len())
        .map(|m| {
            let mut out = BTreeSet::new();
            if is_shape(m) {
                return out;
            }
            let mut seen = BTreeSet::new();
            let mut stack: Vec<usize> = edges.get(m).into_iter().flatten().copied().collect();
            while let Some(t) = stack.pop() {
                if !seen.insert(t) {
                    continue;
                }
                if is_shape(t) {
                    stack.extend(edges.get(t).into_iter().flatten().copied());
                } else if t != m {
                    out.insert(t);
                }
            }
            out
        })
        .collect()
}

/// The groups that turning `g` on turns on, itself included, as bits.
fn turns_on(g: usize, groups: &[Group]) -> Vec<u64> {
    let mut bits = vec![0u64; groups.len().div_ceil(64)];
    let mut stack = vec![g];
    set(&mut bits, g);
    while let Some(h) = stack.pop() {
        for n in groups.get(h).map(|h| h.needs.as_slice()).unwrap_or(&[]) {
            if set(&mut bits, *n) {
                stack.push(*n);
            }
        }
    }
    bits
}

/// The weight of each module of `model`. Its cost grows with its types, fields and variants
/// (one each), but more slowly: what a module costs to compile is mostly its items' impls,
/// and a large struct is not that many times a small one. On GitHub's REST description the
/// square root gives the 20 sampled models 124 modules of 1,277 (7.9% of the model bytes)
/// against 130 (8.3%) counting each module as 1, and 143 (8.7%) with the count itself; a
/// consumer of one model compiles 0.40% of the bytes beyond its needs on average, against
/// 0.48% and more. A shared shape's module is not asked for by name.
fn weights(model: &Model) -> Weights {
    let cost = model
        .modules
        .iter()
        .map(|m| {
            let items: usize = m
                .types
                .iter()
                .filter_map(|id| model.get(*id))
                .map(|def| {
                    1 + match &def.kind {
                        TypeKind::Struct(s) => s.fields.len(),
                        TypeKind::Enum(e) => e.variants.len(),
                        TypeKind::Union(u) => u.variants.len(),
                        TypeKind::Newtype(_) => 0,
                    }
                })
                .sum();
            1 + items.isqrt()
        })
        .collect();
    let asked = model.modules.iter().map(|m| !m.shared).collect();
    Weights { cost, asked }
}

#[cfg(test)]
mod tests {
    use super::grouping::tests::graph;
    use super::*;

    #[test]
    fn a_feature_compiles_what_it_needs_and_not_the_groups_other_modules() {
        // Groups {0, 1} and {2}: 2 refers to 0 only, 1 refers to nothing.
        let edges = graph(3, &[(2, 0)]);
        let group = |name: &str, modules: Vec<usize>, needs: Vec<usize>| Group {
            name: name.to_owned(),
            modules,
            needs,
        };
        let mut groups = vec![group("a", vec![0, 1], vec![]), group("c", vec![2], vec![0])];
        let gates = gates(&mut groups, &[Some(0), Some(0), Some(1)], &edges);
        // `c` does not turn `a` on, which would compile 1; module 0 names `c` instead.
        assert!(groups[1].needs.is_empty());
        assert_eq!(gates, vec![vec![0, 1], vec![0], vec![1]]);
    }

    #[test]
    fn a_feature_turns_on_a_group_that_needs_nothing_more() {
        // Groups {0} and {1, 2}: 1 refers to 0 and 2 refers to 1.
        let edges = graph(3, &[(1, 0), (2, 1)]);
        let group = |name: &str, modules: Vec<usize>, needs: Vec<usize>| Group {
            name: name.to_owned(),
            modules,
            needs,
        };
        let mut groups = vec![group("a", vec![0], vec![]), group("b", vec![1, 2], vec![0])];
        let gates = gates(&mut groups, &[Some(0), Some(1), Some(1)], &edges);
        assert_eq!(groups[1].needs, vec![0]);
        assert_eq!(gates, vec![vec![0], vec![1], vec![1]]);
    }

    #[test]
    fn a_shared_shape_compiles_with_each_group_that_needs_it_and_has_no_feature() {
        // Groups {0} and {1}, both referring to the shape 2; then {3}, which refers to 0
        // and to the shape, and so turns 0 on.
        let edges = graph(4, &[(0, 2), (1, 2), (3, 0), (3, 2)]);
        let group = |name: &str, modules: Vec<usize>, needs: Vec<usize>| Group {
            name: name.to_owned(),
            modules,
            needs,
        };
        let mut groups = vec![
            group("a", vec![0], vec![]),
            group("b", vec![1], vec![]),
            group("d", vec![3], vec![0]),
        ];
        let gates = gates(&mut groups, &[Some(0), Some(1), None, Some(2)], &edges);
        assert_eq!(groups[2].needs, vec![0]);
        // `d` turns `a` on, which names the shape already.
        assert_eq!(gates, vec![vec![0], vec![1], vec![0, 1], vec![2]]);
    }

    #[test]
    fn references_through_shapes_lead_to_the_models_beyond() {
        // 0 -> shape 1 -> shape 2 -> 3; 3 -> shape 2.
        let edges = graph(4, &[(0, 1), (1, 2), (2, 3), (3, 2)]);
        let through = through_shapes(&edges, &[false, true, true, false]);
        assert_eq!(
            through,
            vec![
                BTreeSet::from([3]),
                BTreeSet::new(),
                BTreeSet::new(),
                BTreeSet::new()
            ]
        );
    }

    #[test]
    fn a_gate_of_several_features_is_laid_out_as_rustfmt_does() {
        let mut c = Code::new();
        write_gate(&mut c, &["a", "b"]);
        let long: Vec<String> = (0..4)
            .map(|i| format!("feature_number_{i}_of_four"))
            .collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        write_gate(&mut c, &long);
        assert_eq!(
            c.finish(),
            "#[cfg(any(feature = \"a\", feature = \"b\"))]\n\
             #[cfg(any(\n    feature = \"feature_number_0_of_four\",\n    \
             feature = \"feature_number_1_of_four\",\n    \
             feature = \"feature_number_2_of_four\",\n    \
             feature = \"feature_number_3_of_four\"\n))]\n"
        );
    }
}
