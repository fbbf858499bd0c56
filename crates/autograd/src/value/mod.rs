//! A scalar that remembers how it was computed: micrograd's `Value`.
//!
//! Every arithmetic operation on [`Value`]s does two things at once, as the
//! lecture's chain rule needs:
//!
//! 1. **forward:** it computes its result, e.g. $z = w_1 x + b_1$;
//! 2. **local derivatives:** it computes, *on the forward pass, while its
//!    inputs are at hand*, the partial derivative of its result with respect
//!    to each input — for $c = a \cdot b$ these are $\partial c / \partial a = b$
//!    and $\partial c / \partial b = a$ — and stores them in the new node
//!    together with links to the inputs.
//!
//! [`Value::backward`] then walks the graph from the loss back to the leaves
//! and multiplies the stored local derivatives along every path: exactly the
//! lecture's products $\frac{\partial \mathcal{L}}{\partial \hat y}
//! \frac{\partial \hat y}{\partial \sigma(z)} \frac{\partial \sigma(z)}{\partial z}
//! \frac{\partial z}{\partial w_1}$, computed once per edge instead of once
//! per path.
//!
//! ```
//! use autograd::Value;
//! let (x, w1, b1) = (Value::new(0.5), Value::new(0.3), Value::new(-0.1));
//! let z = &w1 * &x + &b1;          // z = w1·x + b1 = 0.05
//! let sigma_z = z.sigmoid();       // σ(z), stores σ'(z) = σ(z)(1 − σ(z))
//! sigma_z.backward();
//! // ∂σ(z)/∂w1 = σ'(z) · x
//! let s = sigma_z.data();
//! assert!((w1.grad() - s * (1.0 - s) * 0.5).abs() < 1e-15);
//! ```
//!
//! Design, for speed (one sample through a scalar 2-16-16-1 MLP costs well
//! under 0.1 µs per node, forward and backward; see `crates/benches`): a
//! `Value` is an `Rc` to a node holding its data, a [`Cell`] for the
//! gradient, at most two inputs and their two local derivatives. No
//! closures and no hash sets: the backward pass marks visited nodes with the
//! walk's number and orders them by an iterative depth-first search.

mod backward;
mod dot;
mod ops;

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

/// A scalar node of a computation graph: its value on the forward pass
/// ([`data`](Value::data)) and, after [`backward`](Value::backward), the
/// derivative of the output with respect to it ([`grad`](Value::grad)).
///
/// Cloning a `Value` is cheap and gives a second handle to the *same* node
/// (as a Python variable would): gradients flow into the node, not into the
/// handle. Like micrograd's, a graph lives in one thread (`Value` is not
/// `Send`); for batches of matrices use the [`Tape`](crate::Tape).
#[derive(Clone)]
pub struct Value(Rc<Node>);

/// The node behind a [`Value`].
pub(crate) struct Node {
    /// The number computed on the forward pass.
    data: f64,
    /// $\partial \text{output} / \partial \text{this node}$, filled by `backward`.
    grad: Cell<f64>,
    /// The number of the last graph walk that reached this node, so a node
    /// shared by several paths is ordered once (no `HashSet` needed).
    visited: Cell<u64>,
    /// The inputs $a$, $b$ this node was computed from (none for a leaf,
    /// only `a` for a one-input operation).
    inputs: [Option<Value>; 2],
    /// The local derivatives $\partial c / \partial a$ and
    /// $\partial c / \partial b$, computed on the forward pass.
    local: [f64; 2],
    /// Which operation made the node (for printing only: the backward pass
    /// needs nothing but `inputs` and `local`).
    op: Op,
    /// An optional name for printing and for the DOT graph (`"w1"`, `"z"`).
    label: RefCell<Option<Box<str>>>,
}

/// How a node was computed, for `Debug` and the DOT graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    /// An input or a parameter.
    Leaf,
    /// An operation on one `Value`.
    Unary(UnaryOp),
    /// An operation on two `Value`s.
    Binary(BinaryOp),
}

/// Operations with one `Value` input (an `f64` on the other side counts as a
/// constant: it gets no node and no gradient).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UnaryOp {
    /// $a + c$ (or $c + a$).
    AddConst(f64),
    /// $a - c$.
    SubConst(f64),
    /// $c - a$.
    SubFromConst(f64),
    /// $a \cdot c$ (or $c \cdot a$).
    MulConst(f64),
    /// $a / c$.
    DivConst(f64),
    /// $c / a$.
    DivConstBy(f64),
    /// $-a$.
    Neg,
    /// $a^n$.
    Powi(i32),
    /// $e^a$.
    Exp,
    /// $\ln a$.
    Ln,
    /// $\tanh a$.
    Tanh,
    /// $\sigma(a)$.
    Sigmoid,
    /// $\max(0, a)$.
    Relu,
    /// Any [`activations::Activation`], by name.
    Activation(&'static str),
}

/// Operations with two `Value` inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    /// $a + b$.
    Add,
    /// $a - b$.
    Sub,
    /// $a \cdot b$.
    Mul,
    /// $a / b$.
    Div,
}

impl Value {
    /// A leaf: an input or a parameter, with gradient 0.
    pub fn new(data: f64) -> Self {
        Self::from_op(data, Op::Leaf, [None, None], [0.0, 0.0])
    }

    /// A leaf with a name, shown by `Debug` and in the DOT graph.
    ///
    /// ```
    /// let w1 = autograd::Value::named(0.3, "w1");
    /// assert_eq!(w1.label().as_deref(), Some("w1"));
    /// ```
    pub fn named(data: f64, label: &str) -> Self {
        Self::new(data).with_label(label)
    }

    /// Gives this node a name (replacing any earlier one) and returns the
    /// handle, so `(&w1 * &x + &b1).with_label("z")` reads like the lecture.
    pub fn with_label(self, label: &str) -> Self {
        *self.0.label.borrow_mut() = Some(label.into());
        self
    }

    /// The node's name, if it was given one.
    pub fn label(&self) -> Option<String> {
        self.0.label.borrow().as_deref().map(str::to_owned)
    }

    /// The value computed on the forward pass.
    pub fn data(&self) -> f64 {
        self.0.data
    }

    /// $\partial \text{output} / \partial \text{self}$, summed over every
    /// [`backward`](Value::backward) call since the last
    /// [`zero_grad`](Value::zero_grad) (for leaves; see `backward` for
    /// intermediate nodes).
    pub fn grad(&self) -> f64 {
        self.0.grad.get()
    }

    /// Sets this node's gradient back to 0. Gradients *accumulate* over
    /// backward calls (so several losses, or several samples, can add up);
    /// a training step clears its parameters' gradients with this first.
    pub fn zero_grad(&self) {
        self.0.grad.set(0.0);
    }

    /// `true` for inputs and parameters (nodes not computed from others).
    pub fn is_leaf(&self) -> bool {
        self.0.inputs[0].is_none()
    }

    /// `true` if both handles point to the same node.
    pub fn ptr_eq(&self, other: &Value) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    fn from_op(data: f64, op: Op, inputs: [Option<Value>; 2], local: [f64; 2]) -> Self {
        Value(Rc::new(Node {
            data,
            grad: Cell::new(0.0),
            visited: Cell::new(0),
            inputs,
            local,
            op,
            label: RefCell::new(None),
        }))
    }
}

impl From<f64> for Value {
    fn from(data: f64) -> Self {
        Value::new(data)
    }
}

impl fmt::Debug for Value {
    /// `Value(w1: data=0.3, grad=-0.0039)`, micrograd's `repr` with the name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.label.borrow().as_deref() {
            Some(label) => write!(
                f,
                "Value({label}: data={}, grad={})",
                self.data(),
                self.grad()
            ),
            None => write!(f, "Value(data={}, grad={})", self.data(), self.grad()),
        }
    }
}

impl Drop for Node {
    /// Frees a long chain without recursion.
    ///
    /// The derived drop would free a node, then its input, then that input's
    /// input … one stack frame each: a chain of 100 000 operations would
    /// overflow the stack. Instead, the inputs this node alone keeps alive
    /// are moved to a heap-allocated work list and freed one by one, each
    /// with its own inputs already taken out.
    fn drop(&mut self) {
        let owns_an_input = self
            .inputs
            .iter()
            .flatten()
            .any(|input| Rc::strong_count(&input.0) == 1);
        if !owns_an_input {
            return; // dropping the inputs only decrements shared counts
        }
        let mut pending: Vec<Rc<Node>> = Vec::new();
        take_inputs(self, &mut pending);
        while let Some(mut node) = pending.pop() {
            // Only inputs that nothing else holds were queued: empty them in
            // place, then let the handle go (its own `drop` finds no inputs).
            if let Some(node) = Rc::get_mut(&mut node) {
                take_inputs(node, &mut pending);
            }
        }
    }
}

/// Takes the inputs out of `node`: those it alone keeps alive are queued on
/// `pending`, shared ones are released on the spot.
fn take_inputs(node: &mut Node, pending: &mut Vec<Rc<Node>>) {
    for input in node.inputs.iter_mut() {
        if let Some(Value(input)) = input.take()
            && Rc::strong_count(&input) == 1
        {
            pending.push(input);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_start_with_zero_gradient_and_keep_their_name() {
        let w = Value::named(0.3, "w1");
        assert_eq!(w.data(), 0.3);
        assert_eq!(w.grad(), 0.0);
        assert!(w.is_leaf());
        assert_eq!(format!("{w:?}"), "Value(w1: data=0.3, grad=0)");
        let z = (&w * 2.0).with_label("z");
        assert!(!z.is_leaf());
        assert_eq!(z.label().as_deref(), Some("z"));
    }

    #[test]
    fn clones_share_one_node() {
        let a = Value::new(2.0);
        let b = a.clone();
        (&a * &a).backward();
        assert!(a.ptr_eq(&b));
        assert_eq!(b.grad(), 4.0);
    }

    #[test]
    fn dropping_a_chain_of_100_000_ops_does_not_overflow_the_stack() {
        // Run on a thread with a small stack so a recursive drop would fail
        // here even where the main thread's stack is large.
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let x = Value::new(1.0);
                let mut y = x.clone();
                for _ in 0..100_000 {
                    y = &y + &x;
                }
                assert_eq!(y.data(), 100_001.0);
                drop(y);
                // only the leaf is left, held by `x`
                assert_eq!(Rc::strong_count(&x.0), 1);
            })
            .expect("spawn")
            .join()
            .expect("dropping a long chain must not overflow the stack");
    }
}
