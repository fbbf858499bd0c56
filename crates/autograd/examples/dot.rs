//! The lecture's network as a graph, after the backward pass, in Graphviz DOT.
//!
//! `cargo run -p autograd --example dot | dot -Tsvg > lecture-graph.svg`
//!
//! Each box is a node with its value (`data`) and $\partial \mathcal{L} / \partial\,\text{node}$
//! (`grad`); each edge into an operation carries the local derivative that
//! the forward pass stored for it. The gradient of a node is the sum, over
//! its outgoing edges, of (edge label) × (grad of the node the edge leads to).

use autograd::lecture::{WORKED_EXAMPLE, graph};

fn main() {
    let (x, y, params) = WORKED_EXAMPLE;
    let g = graph(&params, x, y);
    g.loss.backward();
    print!("{}", g.loss.to_dot());
}
