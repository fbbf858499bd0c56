//! The backward pass of the tape.

use super::ops::Inputs;
use super::{Tape, TapeError, Var};
use ndarray::Array2;

impl Tape {
    /// Reverse mode from the scalar `output`: fills in
    /// $\partial\,\text{output} / \partial v$ for every recorded $v$ that
    /// depends on a parameter, read back with [`grad`](Tape::grad).
    ///
    /// The tape is already in topological order (an operation is recorded
    /// after its inputs), so the walk is simply from `output` back to the
    /// start. When it reaches a node, every operation that used the node
    /// lies behind it and has added its share, so the node's gradient
    /// $\bar y$ is complete; the node then adds $\bar y \cdot \partial y / \partial x$
    /// to each input $x$ that needs a gradient.
    ///
    /// Each call starts from zero (gradients of an earlier call are
    /// replaced, not added to): a tape is built for one step.
    // ANCHOR: tape_backward
    // reverse mode along the tape: each node adds ȳ · ∂y/∂x to each input x
    pub fn backward(&mut self, output: Var) -> Result<(), TapeError> {
        let shape = self.node(output).value.dim();
        if shape != (1, 1) {
            return Err(TapeError::NotScalar {
                op: "backward",
                shape,
            });
        }
        for node in &mut self.nodes {
            node.grad = None;
        }
        if !self.nodes[output.index].needs_grad {
            return Ok(()); // no parameter feeds the output: nothing to do
        }
        // ∂output/∂output = 1
        self.nodes[output.index].grad = Some(Array2::ones((1, 1)));
        for i in (0..=output.index).rev() {
            let (before, from_here) = self.nodes.split_at_mut(i);
            let node = &from_here[0];
            // no gradient reached this node: it does not lead to `output`
            if let Some(y_bar) = &node.grad {
                node.op.backward(&node.value, y_bar, Inputs(before));
            }
        }
        Ok(())
    }
    // ANCHOR_END: tape_backward
}
