//! `Topology.describe()`: Kafka's `TopologyDescription.toString()`, character for character.
//!
//! The format is `InternalTopologyBuilder.TopologyDescription` (Kafka 2.x to 4.x): a line
//! `Topologies:`, then for each sub-topology `   Sub-topology: N` (the first indented three
//! spaces, the next ones two, after a blank line), its nodes each as `    Source: NAME (topics:
//! [T])`, `    Processor: NAME (stores: [S])` or `    Sink: NAME (topic: T)`, followed by
//! `      --> successors` (sources and processors, `none` when there are none) and
//! `      <-- predecessors` (processors and sinks), and a blank line after each sub-topology.
//! Nodes, successors and predecessors are ordered as Kafka's `NodeComparator` orders them: by
//! the size of the sub-tree a node roots (largest first), then by name. Sets of topics and
//! stores print in Java `HashSet` order ([`java_hash_set_order`]).
//!
//! Invariant: a pure function of the topology; no global stores exist in the DSL subset, so
//! none are printed.

use crate::sim::streams::topology::{Operation, Topology};
use crate::sim::world::java_string_hash;

/// The iteration order of a Java `new HashSet<>(items)` of strings: buckets by the spread
/// `String.hashCode()` over a table of `tableSizeFor(max(n / 0.75 + 1, 16))` slots, items in one
/// bucket in insertion order. Duplicates are dropped (the first is kept).
pub fn java_hash_set_order<S: AsRef<str>>(items: &[S]) -> Vec<String> {
    let mut unique: Vec<&str> = Vec::new();
    for item in items {
        if !unique.contains(&item.as_ref()) {
            unique.push(item.as_ref());
        }
    }
    let wanted = ((unique.len() as f32 / 0.75) as u32)
        .saturating_add(1)
        .max(16);
    let capacity = wanted.checked_next_power_of_two().unwrap_or(1 << 30);
    let mut keyed: Vec<(u32, usize, &str)> = unique
        .iter()
        .enumerate()
        .map(|(order, text)| {
            let h = java_string_hash(text) as u32;
            let spread = h ^ (h >> 16);
            (spread & (capacity - 1), order, *text)
        })
        .collect();
    crate::sim::sort::sort(&mut keyed);
    keyed.into_iter().map(|(_, _, t)| t.to_string()).collect()
}

fn java_set<S: AsRef<str>>(items: &[S]) -> String {
    format!("[{}]", java_hash_set_order(items).join(", "))
}

/// The size of the sub-tree `node` roots (itself and everything below it).
fn subtree_size(topology: &Topology, node: u32, depth: u32) -> u64 {
    let Some(def) = topology.node(node) else {
        return 0;
    };
    if depth > 10_000 {
        return 1;
    }
    1 + def
        .children
        .iter()
        .map(|c| subtree_size(topology, *c, depth + 1))
        .sum::<u64>()
}

/// Sorts node indices as `NodeComparator` does: larger sub-tree first, then by name.
fn sort_nodes(topology: &Topology, nodes: &mut [u32]) {
    crate::sim::sort::sort_by(nodes, |a, b| {
        let (sa, sb) = (subtree_size(topology, *a, 0), subtree_size(topology, *b, 0));
        let name = |i: &u32| topology.node(*i).map(|n| n.name.clone());
        sb.cmp(&sa).then_with(|| name(a).cmp(&name(b)))
    });
}

fn node_names(topology: &Topology, nodes: &[u32]) -> String {
    if nodes.is_empty() {
        return "none".to_string();
    }
    let mut sorted = nodes.to_vec();
    sort_nodes(topology, &mut sorted);
    sorted
        .iter()
        .filter_map(|i| topology.node(*i).map(|n| n.name.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The description text.
pub fn describe(topology: &Topology) -> String {
    let mut out = String::from("Topologies:\n ");
    for sub in topology.subtopologies() {
        out.push_str("  ");
        out.push_str(&format!("Sub-topology: {}\n", sub.id));
        let mut nodes = sub.nodes.clone();
        sort_nodes(topology, &mut nodes);
        for index in nodes {
            let Some(node) = topology.node(index) else {
                continue;
            };
            out.push_str("    ");
            match &node.op {
                Operation::Source { topics, .. } => {
                    let names: Vec<&str> = topics.iter().map(|t| &*t.name).collect();
                    out.push_str(&format!(
                        "Source: {} (topics: {})\n      --> {}",
                        node.name,
                        java_set(&names),
                        node_names(topology, &node.children)
                    ));
                }
                Operation::Sink { topic, .. } => {
                    out.push_str(&format!(
                        "Sink: {} (topic: {})\n      <-- {}",
                        node.name,
                        topic.name,
                        node_names(topology, &node.parents)
                    ));
                }
                op => {
                    let stores: Vec<String> = match op {
                        Operation::Aggregate { store, .. } => topology
                            .stores()
                            .get(*store as usize)
                            .map(|s| vec![s.name.to_string()])
                            .unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    out.push_str(&format!(
                        "Processor: {} (stores: {})\n      --> {}\n      <-- {}",
                        node.name,
                        java_set(&stores),
                        node_names(topology, &node.children),
                        node_names(topology, &node.parents)
                    ));
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_set_order_is_javas() {
        // "b".hashCode() = 98 → bucket 2, "a" = 97 → bucket 1.
        assert_eq!(java_hash_set_order(&["b", "a"]), vec!["a", "b"]);
        // 16 slots: "q" (113 → 1) lands before "b" (98 → 2) despite the name order.
        assert_eq!(java_hash_set_order(&["b", "q"]), vec!["q", "b"]);
        assert_eq!(java_hash_set_order::<&str>(&[]), Vec::<String>::new());
    }
}
