//! How modules become features: strongly connected sets of modules (models that refer to
//! each other cannot be apart), joined further while there are more than the limit allows,
//! neighbours in dependency order, the cheapest join first (see [`pack_in_order`]); and the
//! reachability, as bit sets, that the gates and the join costs are worked out from.

use std::collections::BTreeSet;

/// The nodes reachable from `from` along `edges` (themselves included), as bits.
pub(super) fn reachable(from: &[usize], edges: &[BTreeSet<usize>]) -> Vec<u64> {
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

/// Sets bit `i`; whether it was clear.
pub(super) fn set(bits: &mut [u64], i: usize) -> bool {
    match bits.get_mut(i / 64) {
        Some(word) if *word & (1 << (i % 64)) == 0 => {
            *word |= 1 << (i % 64);
            true
        }
        _ => false,
    }
}

/// Whether bit `i` is set.
pub(super) fn has(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Whether every bit of `a` is set in `b`.
pub(super) fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

/// The strongly connected components of the graph, each a list of nodes; iterative
/// Tarjan, so deep reference chains do not exhaust the stack.
pub(super) fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
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
pub(super) fn part_graph(
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
pub(super) fn pack_in_order(
    parts: &mut Vec<Vec<usize>>,
    edges: &[BTreeSet<usize>],
    weights: &Weights,
    limit: usize,
) {
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
    let sizes: Vec<usize> = parts.iter().map(|p| weights.cost(p)).collect();
    let asked: Vec<bool> = parts.iter().map(|p| weights.asked(p)).collect();
    let join_cost = |a: &Run, b: &Run| join_cost(a, b, &sizes, &asked);
    let mut runs: Vec<Run> = order
        .iter()
        .map(|p| Run {
            parts: vec![*p],
            reach: reach[*p].clone(),
            down: down[*p].clone(),
            size: sizes.get(*p).copied().unwrap_or(0),
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
    /// The compile cost of its modules (see [`Weights`]).
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

/// What a module weighs when groups are chosen.
pub struct Weights {
    /// What compiling each module costs, roughly.
    pub cost: Vec<usize>,
    /// Whether consumers ask for each module by name: a model's, not a shared shape's.
    pub asked: Vec<bool>,
}

impl Weights {
    /// Every module of `n` alike: each costs 1 and is asked for.
    #[cfg(test)]
    pub fn uniform(n: usize) -> Weights {
        Weights {
            cost: vec![1; n],
            asked: vec![true; n],
        }
    }

    fn cost(&self, modules: &[usize]) -> usize {
        modules
            .iter()
            .map(|m| self.cost.get(*m).copied().unwrap_or(1))
            .sum()
    }

    fn asked(&self, modules: &[usize]) -> bool {
        modules
            .iter()
            .any(|m| self.asked.get(*m).copied().unwrap_or(true))
    }
}

/// What joining two runs costs, in module weights ([`Weights::cost`]), two ways summed:
/// - models needed by the same others are likely asked for together: what the parts asked
///   for ([`Weights::asked`]) needing only one of the runs would compile in addition, were
///   they asked for with it;
/// - asking for one run's feature compiles what the other needs and it does not: those
///   modules, once for each unit of weight of the run asked for.
///
/// On GitHub's REST description, the first alone gives the 20 sampled models the fewest
/// modules (100), and a consumer of one model drawn at random 10.5 modules beyond its needs;
/// the second alone, 110 and 4.9; both, 100 and 5.9.
fn join_cost(a: &Run, b: &Run, sizes: &[usize], asked: &[bool]) -> usize {
    // The parts a consumer asks for, in `x` and not in `y`.
    let only = |x: &[u64], y: &[u64]| -> usize {
        let mut sum = 0;
        for (w, (x, y)) in x.iter().zip(y).enumerate() {
            let mut bits = x & !y;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                sum += usize::from(asked.get(w * 64 + bit).copied().unwrap_or(false));
                bits &= bits - 1;
            }
        }
        sum
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
pub(super) mod tests {
    use super::*;

    /// The edges of `n` nodes, from `a` to `b` for each pair.
    pub(in crate::emit::rust::features) fn graph(
        n: usize,
        pairs: &[(usize, usize)],
    ) -> Vec<BTreeSet<usize>> {
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
        pack_in_order(&mut parts, &edges, &Weights::uniform(4), 3);
        assert_eq!(sorted(parts), vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn packing_keeps_the_groups_free_of_cycles() {
        // A chain 0 -> 1 -> 2 -> 3 -> 4 packed into 2 groups.
        let edges = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let mut parts = strongly_connected(&edges);
        pack_in_order(&mut parts, &edges, &Weights::uniform(5), 2);
        assert_eq!(parts.len(), 2);
        let (out, _) = part_graph(&parts, &edges);
        // Two groups, one referring to the other and not back.
        assert!(out[0].is_empty() || out[1].is_empty(), "{out:?}");
    }
}
