//! The backward pass: the chain rule, applied once per edge.

use super::{Node, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers the graph walks, so a node can tell whether the current walk has
/// already reached it (`Node::visited`) without a `HashSet`. Starts at 1:
/// a fresh node's 0 means "never visited".
static WALK: AtomicU64 = AtomicU64::new(1);

impl Node {
    /// The inputs of this node with their local derivatives.
    pub(crate) fn inputs(&self) -> impl Iterator<Item = (&Node, f64)> {
        self.inputs
            .iter()
            .zip(self.local)
            .filter_map(|(input, local)| input.as_ref().map(|a| (&*a.0, local)))
    }

    fn is_leaf(&self) -> bool {
        self.inputs[0].is_none()
    }
}

impl Value {
    /// Every node `self` depends on, each once, inputs before the nodes
    /// computed from them (a topological order), `self` last.
    ///
    /// An iterative depth-first search: a node is appended after all its
    /// inputs are, so no recursion (a chain of 100 000 operations is fine)
    /// and no set of visited nodes (each node remembers the walk's number).
    pub(crate) fn topological_order(&self) -> Vec<&Node> {
        let walk = WALK.fetch_add(1, Ordering::Relaxed);
        let mut order = Vec::new();
        // (node, its inputs are already ordered)
        let mut stack: Vec<(&Node, bool)> = vec![(&*self.0, false)];
        while let Some((node, inputs_done)) = stack.pop() {
            if inputs_done {
                order.push(node);
                continue;
            }
            if node.visited.get() == walk {
                continue; // reached before by another path
            }
            node.visited.set(walk);
            stack.push((node, true));
            for (input, _) in node.inputs() {
                if input.visited.get() == walk {
                    continue;
                }
                if input.is_leaf() {
                    // nothing to order below a leaf: place it right away
                    input.visited.set(walk);
                    order.push(input);
                } else {
                    stack.push((input, false));
                }
            }
        }
        order
    }

    /// How many nodes the graph of `self` has (leaves included): the work
    /// a [`backward`](Value::backward) call does is proportional to it.
    pub fn node_count(&self) -> usize {
        self.topological_order().len()
    }

    /// Reverse mode: fills in $\dfrac{\partial\, \mathtt{self}}{\partial v}$
    /// for every node $v$ that `self` depends on.
    ///
    /// Starting from $\partial\,\mathtt{self} / \partial\,\mathtt{self} = 1$,
    /// the nodes are visited from the output back to the inputs (reverse
    /// topological order), so when a node $c$ is reached, its gradient
    /// $\bar c = \partial\,\mathtt{self} / \partial c$ is complete: every path
    /// from $c$ to the output has been added. The node then passes it on to
    /// each input $a$ through the local derivative it stored on the forward
    /// pass:
    ///
    /// $$ \bar a \mathrel{+}= \frac{\partial c}{\partial a}\, \bar c. $$
    ///
    /// This is the lecture's chain rule: for
    /// $\frac{\partial \mathcal{L}}{\partial w_1} = \frac{\partial \mathcal{L}}{\partial \hat y}
    /// \frac{\partial \hat y}{\partial \sigma(z)} \frac{\partial \sigma(z)}{\partial z}
    /// \frac{\partial z}{\partial w_1}$ each factor is a stored local
    /// derivative, multiplied in from the left as the walk moves back.
    /// The `+=` is why a value used several times gets the *sum* of its
    /// gradients along all paths.
    ///
    /// **Repeated calls.** Leaves (inputs, parameters) *accumulate*: a second
    /// `backward` adds to their `grad` (clear them with
    /// [`zero_grad`](Value::zero_grad)), as in PyTorch. Intermediate nodes
    /// start every pass from 0, so their `grad` is always that of the last
    /// pass — otherwise a second call would push the first call's gradients
    /// through the graph again (micrograd's well-known double counting).
    // ANCHOR: backward
    // reverse mode: c̄ = ∂self/∂c, from the output back; each input gets ā += ∂c/∂a · c̄
    pub fn backward(&self) {
        let order = self.topological_order();
        for node in &order {
            if !node.is_leaf() {
                node.grad.set(0.0);
            }
        }
        // ∂self/∂self = 1
        self.0.grad.set(self.0.grad.get() + 1.0);
        for c in order.iter().rev() {
            let c_bar = c.grad.get();
            for (a, dc_da) in c.inputs() {
                // ā += ∂c/∂a · c̄
                a.grad.set(a.grad.get() + dc_da * c_bar);
            }
        }
    }
    // ANCHOR_END: backward
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_used_twice_gets_the_sum_of_both_paths() {
        // c = a·a: ∂c/∂a = a + a = 2a, one contribution per edge
        let a = Value::new(3.0);
        (&a * &a).backward();
        assert_eq!(a.grad(), 6.0);
        // d = a + a: 1 + 1
        let b = Value::new(3.0);
        (&b + &b).backward();
        assert_eq!(b.grad(), 2.0);
        // through a shared intermediate: t = a·b used by u = t + t·c
        let (a, b, c) = (Value::new(2.0), Value::new(-1.5), Value::new(0.5));
        let t = &a * &b;
        let u = &t + &t * &c;
        u.backward();
        // u = ab(1 + c): ∂u/∂a = b(1 + c), ∂u/∂b = a(1 + c), ∂u/∂c = ab
        assert_eq!(a.grad(), -1.5 * 1.5);
        assert_eq!(b.grad(), 2.0 * 1.5);
        assert_eq!(c.grad(), -3.0);
        assert_eq!(t.grad(), 1.5);
    }

    #[test]
    fn repeated_backward_accumulates_in_leaves_and_zero_grad_clears() {
        let (a, b, c) = (Value::new(2.0), Value::new(-3.0), Value::new(0.5));
        let t = &a * &b;
        let l = &t * &c;
        l.backward();
        assert_eq!((a.grad(), b.grad(), c.grad()), (-1.5, 1.0, -6.0));
        l.backward();
        // exactly twice: the intermediate t did not push its old gradient again
        assert_eq!((a.grad(), b.grad(), c.grad()), (-3.0, 2.0, -12.0));
        assert_eq!(
            t.grad(),
            0.5,
            "an intermediate node holds the last pass only"
        );
        assert_eq!(l.grad(), 1.0);
        for v in [&a, &b, &c] {
            v.zero_grad();
        }
        assert_eq!((a.grad(), b.grad(), c.grad()), (0.0, 0.0, 0.0));
        l.backward();
        assert_eq!((a.grad(), b.grad(), c.grad()), (-1.5, 1.0, -6.0));
    }

    #[test]
    fn two_losses_sharing_a_parameter_add_up() {
        let w = Value::new(1.5);
        let l1 = (&w * 2.0).powi(2); // ∂/∂w = 8w = 12
        let l2 = w.exp(); // ∂/∂w = e^w
        l1.backward();
        l2.backward();
        assert!((w.grad() - (12.0 + 1.5f64.exp())).abs() < 1e-12);
    }

    #[test]
    fn backward_through_a_chain_of_100_000_ops_does_not_overflow_the_stack() {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                // y = ((x·1.00001)·1.00001)… → ∂y/∂x = 1.00001^n; alternate
                // ops so that every kind of node appears in the chain
                let x = Value::new(0.5);
                let n = 100_000;
                let mut y = x.clone();
                for i in 0..n {
                    y = if i % 2 == 0 { &y * 1.00001 } else { &y + 0.0 };
                }
                assert_eq!(y.node_count(), n + 1);
                y.backward();
                let expected = 1.00001f64.powi(n as i32 / 2);
                assert!(
                    (x.grad() - expected).abs() < 1e-9 * expected,
                    "{}",
                    x.grad()
                );
            })
            .expect("spawn")
            .join()
            .expect("backward over a long chain must not overflow the stack");
    }

    #[test]
    fn topological_order_puts_inputs_first_and_counts_shared_nodes_once() {
        let a = Value::new(1.0);
        let b = &a * 2.0;
        let c = &a + &b;
        let d = &c * &b;
        let order = d.topological_order();
        assert_eq!(order.len(), 4);
        let pos = |v: &Value| order.iter().position(|n| std::ptr::eq(*n, &*v.0)).unwrap();
        assert!(pos(&a) < pos(&b) && pos(&b) < pos(&c) && pos(&c) < pos(&d));
        // walks do not interfere: a second walk sees the whole graph again
        assert_eq!(d.node_count(), 4);
        assert_eq!(c.node_count(), 3);
    }

    #[test]
    fn backward_on_a_leaf_seeds_one() {
        let a = Value::new(4.0);
        a.backward();
        assert_eq!(a.grad(), 1.0);
    }
}
