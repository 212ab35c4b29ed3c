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
use crate::ir::{Model, TypeId};
use std::collections::BTreeSet;

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
        // Each part's first module names it: the first of a cycle in schema order, the
        // part that took others in, the most dependent one of a packed run.
        let mut parts = strongly_connected(&edges);
        for part in parts.iter_mut() {
            part.sort_unstable();
        }
        pack_in_order(&mut parts, &edges, MAX_GROUPS);
        let mut parts: Vec<(usize, Vec<usize>)> = parts
            .into_iter()
            .map(|mut part| {
                let named = part.first().copied().unwrap_or(0);
                part.sort_unstable();
                (named, part)
            })
            .collect();
        // Feature order: by first module, so the manifest follows the schemas.
        parts.sort_by_key(|(_, p)| p.first().copied().unwrap_or(usize::MAX));
        let mut module_feature = vec![0; n];
        for (g, (_, part)) in parts.iter().enumerate() {
            for m in part {
                if let Some(slot) = module_feature.get_mut(*m) {
                    *slot = g;
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
                    for t in edges.get(*m).into_iter().flatten() {
                        if let Some(f) = module_feature.get(*t) {
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
    module_feature: &[usize],
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
        .map(|(m, own)| {
            let mut gate = vec![*own];
            for (g, (r, on)) in reach.iter().zip(&turned_on).enumerate() {
                if g != *own && has(r, m) && !has(on, *own) {
                    gate.push(g);
                }
            }
            gate
        })
        .collect()
}

/// The nodes reachable from `from` along `edges` (themselves included), as bits.
fn reachable(from: &[usize], edges: &[BTreeSet<usize>]) -> Vec<u64> {
    let mut bits = vec![0u64; edges.len().div_ceil(64)];
    let mut stack: Vec<usize> = Vec::new();
    for m in from {
        if set(&mut bits, *m) {
            stack.push(*m);
        }
    }
    while let Some(m) = stack.pop() {
        for t in edges.get(m).into_iter().flatten() {
            if set(&mut bits, *t) {
                stack.push(*t);
            }
        }
    }
    bits
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

/// Sets bit `i`; whether it was clear.
fn set(bits: &mut [u64], i: usize) -> bool {
    match bits.get_mut(i / 64) {
        Some(word) if *word & (1 << (i % 64)) == 0 => {
            *word |= 1 << (i % 64);
            true
        }
        _ => false,
    }
}

/// Whether bit `i` is set.
fn has(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Whether every bit of `a` is set in `b`.
fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

/// The strongly connected components of the graph, each a list of nodes; iterative
/// Tarjan, so deep reference chains do not exhaust the stack.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut parts = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, its successors not yet visited)
        let mut work: Vec<(usize, Vec<usize>)> = vec![(root, Vec::new())];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        if let Some(top) = work.last_mut() {
            top.1 = edges[root].iter().rev().copied().collect();
        }
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if let Some(w) = pending.pop() {
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, edges[w].iter().rev().copied().collect()));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut part = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    part.push(w);
                    if w == v {
                        break;
                    }
                }
                parts.push(part);
            }
        }
    }
    parts
}

/// The part of each node.
fn part_of(parts: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut of = vec![0; n];
    for (p, part) in parts.iter().enumerate() {
        for m in part {
            if let Some(slot) = of.get_mut(*m) {
                *slot = p;
            }
        }
    }
    of
}

/// The parts each part refers to, and those that refer to it.
fn part_graph(
    parts: &[Vec<usize>],
    edges: &[BTreeSet<usize>],
) -> (Vec<BTreeSet<usize>>, Vec<BTreeSet<usize>>) {
    let of = part_of(parts, edges.len());
    let mut out = vec![BTreeSet::new(); parts.len()];
    let mut users = vec![BTreeSet::new(); parts.len()];
    for (m, targets) in edges.iter().enumerate() {
        for t in targets {
            let (a, b) = (of[m], of[*t]);
            if a != b {
                out[a].insert(b);
                users[b].insert(a);
            }
        }
    }
    (out, users)
}

/// When there are more than `limit` parts, joins neighbours in an order where every part
/// comes after those it refers to, so the joined groups refer only backwards and no cycle
/// arises. Of the neighbours, the pair whose join costs least goes first (see [`join_cost`]):
/// parts needed by the same others, and parts that need the same, join before others. On
/// GitHub's REST description the features of 20 common models compiled 115 modules of 968
/// this way while needing a group turned it on, and 100 with the [`gates`]; with a part first
/// merged into the only part that refers to it, and fixed-size runs of the order, 177.
fn pack_in_order(parts: &mut Vec<Vec<usize>>, edges: &[BTreeSet<usize>], limit: usize) {
    if parts.len() <= limit || limit == 0 {
        return;
    }
    let (out, users) = part_graph(parts, edges);
    // Depth-first post-order: the parts a part refers to come first.
    let mut order = Vec::with_capacity(parts.len());
    let mut seen = vec![false; parts.len()];
    for root in 0..parts.len() {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut work: Vec<(usize, Vec<usize>)> =
            vec![(root, out[root].iter().rev().copied().collect())];
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if let Some(w) = pending.pop() {
                if !seen[w] {
                    seen[w] = true;
                    work.push((w, out[w].iter().rev().copied().collect()));
                }
                continue;
            }
            work.pop();
            order.push(v);
        }
    }
    // How many modules refer to each module: the most used part of a run names it.
    let mut used = vec![0usize; edges.len()];
    for targets in edges {
        for t in targets {
            if let Some(u) = used.get_mut(*t) {
                *u += 1;
            }
        }
    }
    let uses = |p: usize| {
        parts[p]
            .first()
            .and_then(|m| used.get(*m))
            .copied()
            .unwrap_or(0)
    };
    // The parts that reach each part, itself included (as bits): everyone who needs one of
    // those compiles it.
    let reach: Vec<Vec<u64>> = (0..parts.len()).map(|p| reachable(&[p], &users)).collect();
    // The parts each part reaches, itself included (as bits): asking for its feature compiles
    // those.
    let down: Vec<Vec<u64>> = (0..parts.len()).map(|p| reachable(&[p], &out)).collect();
    // Runs of the order, joined two neighbours at a time, cheapest join first (see
    // [`join_cost`]). The runs form a list; only the costs beside a join change, so they are
    // kept sorted.
    let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
    let join_cost = |a: &Run, b: &Run| join_cost(a, b, &sizes);
    let mut runs: Vec<Run> = order
        .iter()
        .map(|p| Run {
            parts: vec![*p],
            reach: reach[*p].clone(),
            down: down[*p].clone(),
            size: parts[*p].len(),
        })
        .collect();
    let n = runs.len();
    let mut next: Vec<Option<usize>> = (0..n).map(|i| (i + 1 < n).then_some(i + 1)).collect();
    let mut prev: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
    let mut costs: BTreeSet<(usize, usize)> = (0..n.saturating_sub(1))
        .map(|i| (join_cost(&runs[i], &runs[i + 1]), i))
        .collect();
    let mut cost_of: Vec<usize> = (0..n)
        .map(|i| next[i].map_or(0, |j| join_cost(&runs[i], &runs[j])))
        .collect();
    let mut alive = n;
    while alive > limit {
        let Some((_, i)) = costs.pop_first() else {
            break;
        };
        let Some(j) = next[i] else {
            continue;
        };
        // `j` joins `i`: the pairs (prev, i) and (j, next) change.
        costs.remove(&(cost_of[j], j));
        let taken = std::mem::take(&mut runs[j]);
        runs[i].join(taken);
        next[i] = next[j];
        if let Some(k) = next[j] {
            prev[k] = Some(i);
            cost_of[i] = join_cost(&runs[i], &runs[k]);
            costs.insert((cost_of[i], i));
        }
        if let Some(h) = prev[i] {
            costs.remove(&(cost_of[h], h));
            cost_of[h] = join_cost(&runs[h], &runs[i]);
            costs.insert((cost_of[h], h));
        }
        alive -= 1;
    }
    let runs: Vec<Vec<usize>> = runs
        .into_iter()
        .map(|r| r.parts)
        .filter(|p| !p.is_empty())
        .collect();
    let mut packed = Vec::with_capacity(runs.len());
    for mut chunk in runs {
        // Stable: among equally used parts the earlier one names the group.
        chunk.sort_by_key(|p| std::cmp::Reverse(uses(*p)));
        let mut group = Vec::new();
        for p in chunk {
            group.extend(parts[p].iter().copied());
        }
        packed.push(group);
    }
    *parts = packed;
}

/// Consecutive parts of the dependency order, packed into one group.
#[derive(Default)]
struct Run {
    parts: Vec<usize>,
    /// The parts that need one of these (them included), as bits.
    reach: Vec<u64>,
    /// The parts these need (them included), as bits.
    down: Vec<u64>,
    /// Modules in all.
    size: usize,
}

impl Run {
    fn join(&mut self, other: Run) {
        self.parts.extend(other.parts);
        for (x, y) in self.reach.iter_mut().zip(other.reach) {
            *x |= y;
        }
        for (x, y) in self.down.iter_mut().zip(other.down) {
            *x |= y;
        }
        self.size += other.size;
    }
}

/// What joining two runs costs, in modules, two ways summed:
/// - models needed by the same others are likely asked for together: the modules that parts
///   needing only one of the runs would compile in addition, were they asked for with it;
/// - asking for one run's feature compiles what the other needs and it does not: those
///   modules, once for each module of the run asked for.
///
/// On GitHub's REST description, the first alone gives the 20 sampled models the fewest
/// modules (100), and a consumer of one model drawn at random 10.5 modules beyond its needs;
/// the second alone, 110 and 4.9; both, 100 and 5.9.
fn join_cost(a: &Run, b: &Run, sizes: &[usize]) -> usize {
    let only = |x: &[u64], y: &[u64]| -> usize {
        x.iter()
            .zip(y)
            .map(|(x, y)| (x & !y).count_ones() as usize)
            .sum()
    };
    // The modules of the parts in `x` and not in `y`.
    let modules = |x: &[u64], y: &[u64]| -> usize {
        let mut sum = 0;
        for (w, (x, y)) in x.iter().zip(y).enumerate() {
            let mut bits = x & !y;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                sum += sizes.get(w * 64 + bit).copied().unwrap_or(0);
                bits &= bits - 1;
            }
        }
        sum
    };
    let together = only(&a.reach, &b.reach) * b.size + only(&b.reach, &a.reach) * a.size;
    let asked = modules(&b.down, &a.down) * a.size + modules(&a.down, &b.down) * b.size;
    together + asked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, pairs: &[(usize, usize)]) -> Vec<BTreeSet<usize>> {
        let mut edges = vec![BTreeSet::new(); n];
        for (a, b) in pairs {
            edges[*a].insert(*b);
        }
        edges
    }

    fn sorted(mut parts: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        for p in parts.iter_mut() {
            p.sort_unstable();
        }
        parts.sort();
        parts
    }

    #[test]
    fn models_that_refer_to_each_other_share_a_group() {
        // 0 -> 1 -> 2 -> 1, 3 alone.
        let edges = graph(4, &[(0, 1), (1, 2), (2, 1)]);
        assert_eq!(
            sorted(strongly_connected(&edges)),
            vec![vec![0], vec![1, 2], vec![3]]
        );
    }

    #[test]
    fn parts_needed_together_join_first() {
        // 0 -> 1: whoever needs 0 needs 1; 2 and 3 are needed apart.
        let edges = graph(4, &[(0, 1)]);
        let mut parts = strongly_connected(&edges);
        pack_in_order(&mut parts, &edges, 3);
        assert_eq!(sorted(parts), vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn packing_keeps_the_groups_free_of_cycles() {
        // A chain 0 -> 1 -> 2 -> 3 -> 4 packed into 2 groups.
        let edges = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let mut parts = strongly_connected(&edges);
        pack_in_order(&mut parts, &edges, 2);
        assert_eq!(parts.len(), 2);
        let (out, _) = part_graph(&parts, &edges);
        // Two groups, one referring to the other and not back.
        assert!(out[0].is_empty() || out[1].is_empty(), "{out:?}");
    }

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
        let gates = gates(&mut groups, &[0, 0, 1], &edges);
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
        let gates = gates(&mut groups, &[0, 1, 1], &edges);
        assert_eq!(groups[1].needs, vec![0]);
        assert_eq!(gates, vec![vec![0], vec![1], vec![1]]);
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
