//! The graph as Graphviz DOT text, for pictures in the book.

use super::{BinaryOp, Node, Op, UnaryOp, Value};
use std::collections::HashMap;
use std::fmt::Write;

impl Value {
    /// The graph of `self` in Graphviz DOT: one box per node with its name,
    /// `data` and `grad`; one small circle per operation; each edge into an
    /// operation labelled with the local derivative stored for it.
    ///
    /// Nodes are numbered in topological order (`v0`, `v1`, …), so the text
    /// is the same on every run. Render with `dot -Tsvg`.
    ///
    /// ```
    /// use autograd::Value;
    /// let a = Value::named(2.0, "a");
    /// let b = Value::named(-3.0, "b");
    /// let c = (&a * &b).with_label("c");
    /// c.backward();
    /// let dot = c.to_dot();
    /// assert!(dot.starts_with("digraph"));
    /// assert!(dot.contains("a | data 2.0000 | grad -3.0000"));
    /// assert!(dot.contains("label=\"×\""));
    /// ```
    pub fn to_dot(&self) -> String {
        let order = self.topological_order();
        let id: HashMap<*const Node, usize> = order
            .iter()
            .enumerate()
            .map(|(i, node)| (*node as *const Node, i))
            .collect();
        let mut out =
            String::from("digraph value {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        for (i, node) in order.iter().enumerate() {
            let label = node.label.borrow();
            let name = label.as_deref().map(escape).unwrap_or_default();
            let fields = format!("data {:.4} | grad {:.4}", node.data, node.grad.get());
            let record = if name.is_empty() {
                fields
            } else {
                format!("{name} | {fields}")
            };
            // writing to a String cannot fail
            let _ = writeln!(out, "  v{i} [shape=record, label=\"{{ {record} }}\"];");
            if node.op == Op::Leaf {
                continue;
            }
            let _ = writeln!(
                out,
                "  v{i}_op [shape=circle, label=\"{}\"];",
                escape(&op_symbol(&node.op))
            );
            for (input, local) in node.inputs() {
                let j = id[&(input as *const Node)];
                let _ = writeln!(out, "  v{j} -> v{i}_op [label=\"{local:.4}\"];");
            }
            let _ = writeln!(out, "  v{i}_op -> v{i};");
        }
        out.push_str("}\n");
        out
    }
}

/// How an operation is drawn: `+`, `×`, `× 2`, `^3`, `σ`, `tanh` …
fn op_symbol(op: &Op) -> String {
    match op {
        Op::Leaf => String::new(),
        Op::Binary(kind) => match kind {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "−",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "÷",
        }
        .to_owned(),
        Op::Unary(kind) => match kind {
            UnaryOp::AddConst(k) => format!("+ {k}"),
            UnaryOp::SubConst(k) => format!("− {k}"),
            UnaryOp::SubFromConst(k) => format!("{k} −"),
            UnaryOp::MulConst(k) => format!("× {k}"),
            UnaryOp::DivConst(k) => format!("÷ {k}"),
            UnaryOp::DivConstBy(k) => format!("{k} ÷"),
            UnaryOp::Neg => "−".to_owned(),
            UnaryOp::Powi(n) => format!("^{n}"),
            UnaryOp::Exp => "exp".to_owned(),
            UnaryOp::Ln => "ln".to_owned(),
            UnaryOp::Tanh => "tanh".to_owned(),
            UnaryOp::Sigmoid => "σ".to_owned(),
            UnaryOp::Relu => "ReLU".to_owned(),
            UnaryOp::Activation(name) => (*name).to_owned(),
        },
    }
}

/// Escapes the characters that mean something inside a DOT record label.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '{' | '}' | '|' | '<' | '>' | '"' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_has_one_box_per_node_and_labelled_edges() {
        // L = (a·b + a)²: a is used twice, so it has two edges out
        let a = Value::named(2.0, "a");
        let b = Value::named(-3.0, "b");
        let l = (&a * &b + &a).powi(2).with_label("L");
        l.backward();
        let dot = l.to_dot();
        assert_eq!(dot.matches("shape=record").count(), l.node_count());
        assert_eq!(l.node_count(), 5);
        assert_eq!(dot.matches("shape=circle").count(), 3);
        // a·b + a = -4, L = 16, ∂L/∂a = 2(-4)(b + 1) = 16, ∂L/∂b = 2(-4)a = -16
        assert!(dot.contains("{ L | data 16.0000 | grad 1.0000 }"), "{dot}");
        assert!(dot.contains("{ a | data 2.0000 | grad 16.0000 }"), "{dot}");
        assert!(
            dot.contains("{ b | data -3.0000 | grad -16.0000 }"),
            "{dot}"
        );
        // the edge from a into × carries ∂(a·b)/∂a = b = -3
        assert!(dot.contains("[label=\"-3.0000\"]"), "{dot}");
        assert!(dot.contains("label=\"^2\""));
        // × and + have two inputs and one output each, ^2 one and one
        assert_eq!(dot.matches(" -> ").count(), 3 + 3 + 2);
        assert!(dot.trim_end().ends_with('}'));
    }

    #[test]
    fn dot_escapes_record_characters_and_is_deterministic() {
        let build = || {
            let x = Value::named(1.0, "x{1}|<y>");
            (x.exp() - 1.0).to_dot()
        };
        let dot = build();
        assert!(dot.contains("x\\{1\\}\\|\\<y\\>"), "{dot}");
        assert_eq!(dot, build());
    }
}
