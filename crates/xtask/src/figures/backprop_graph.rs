//! The lecture's worked example as a computational graph: the autograd
//! [`Value`](autograd::Value) graph of
//! $\hat y = w_2\,\sigma(w_1 x + b_1) + b_2$, $\mathcal{L} = \frac12 (y - \hat y)^2$
//! at $x = 0.5$, $y = 1$, $w_1 = 0.3$, $b_1 = -0.1$, $w_2 = 0.8$, $b_2 = 0.2$,
//! after `backward()`. Every node shows its operation, its forward value and
//! its gradient $\partial \mathcal{L} / \partial(\text{node})$; every edge the
//! local derivative the node stored for that input on the forward pass.
//!
//! Nothing here is computed by hand: the graph is read from the graph's own
//! DOT export ([`Value::to_dot`](autograd::Value::to_dot)), so the figure shows
//! what the library holds. The layout is one column of the longest path from
//! a parameter to the loss, top to bottom, with the other inputs to its left.

use super::style::{AXIS, FONT, PALETTE};
use crate::Result;
use autograd::lecture::{WORKED_EXAMPLE, graph};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// One node of the graph as the DOT export describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The label given with `with_label` / `named`, if any.
    pub label: Option<String>,
    /// The forward value.
    pub data: f64,
    /// $\partial \mathcal{L} / \partial(\text{node})$ after `backward`.
    pub grad: f64,
    /// The operation's symbol (`+`, `× 0.5`, `σ` …); `None` for a leaf.
    pub op: Option<String>,
    /// The inputs (indices into the node list) and the local derivative of
    /// this node with respect to each.
    pub inputs: Vec<(usize, f64)>,
}

/// `v3 [shape=record, label="{ z | data 0.0500 | grad -0.0399 }"];`
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*v(\d+) \[shape=record, label="\{ (?:(.*) \| )?data (\S+) \| grad (\S+) \}"\];$"#,
    )
    .expect("valid regex")
});
/// `v3_op [shape=circle, label="+"];`
static OP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*v(\d+)_op \[shape=circle, label="(.*)"\];$"#).expect("valid regex")
});
/// `v1 -> v3_op [label="1.0000"];`
static EDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*v(\d+) -> v(\d+)_op \[label="(\S+)"\];$"#).expect("valid regex")
});

/// Undoes the DOT export's escaping (`\{` → `{`).
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or(c)
        } else {
            c
        });
    }
    out
}

/// The nodes of a graph from its DOT text, in the export's (topological)
/// order: inputs come before the nodes computed from them.
pub fn parse_dot(dot: &str) -> Result<Vec<Node>> {
    let mut nodes: Vec<Node> = Vec::new();
    let number = |s: &str| -> Result<f64> { Ok(s.parse::<f64>()?) };
    for line in dot.lines() {
        if let Some(c) = RECORD.captures(line) {
            if c[1].parse::<usize>()? != nodes.len() {
                return Err(format!("DOT nodes out of order at `{line}`").into());
            }
            nodes.push(Node {
                label: c.get(2).map(|m| unescape(m.as_str())),
                data: number(&c[3])?,
                grad: number(&c[4])?,
                op: None,
                inputs: Vec::new(),
            });
        } else if let Some(c) = OP.captures(line) {
            let node = nodes
                .get_mut(c[1].parse::<usize>()?)
                .ok_or_else(|| format!("operation of an unknown node: `{line}`"))?;
            node.op = Some(unescape(&c[2]));
        } else if let Some(c) = EDGE.captures(line) {
            let (from, to) = (c[1].parse::<usize>()?, c[2].parse::<usize>()?);
            if from >= to || to >= nodes.len() {
                return Err(format!("edge against the topological order: `{line}`").into());
            }
            nodes[to].inputs.push((from, number(&c[3])?));
        }
    }
    if nodes.is_empty() {
        return Err("the DOT text has no node".into());
    }
    Ok(nodes)
}

/// `w1` → `w₁`: digits after a letter become subscripts.
fn subscripted(name: &str) -> String {
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let mut out = String::new();
    let mut after_letter = false;
    for c in name.chars() {
        match c.to_digit(10) {
            Some(d) if after_letter => out.push(SUB[d as usize]),
            _ => {
                out.push(c);
                after_letter = c.is_alphabetic();
            }
        }
    }
    out
}

/// `2` → `²`.
fn superscript(n: &str) -> String {
    n.chars()
        .map(|c| match c {
            '0'..='9' => "⁰¹²³⁴⁵⁶⁷⁸⁹"
                .chars()
                .nth(c as usize - '0' as usize)
                .unwrap_or(c),
            '-' => '⁻',
            _ => c,
        })
        .collect()
}

/// What a node computes, written from its operation and its inputs' names:
/// `w₂·σ(z)`, `1 − ŷ`, `(1 − ŷ)²`. Constants of the graph (`x`, `y`, ½) are
/// plain `f64`s, not nodes, so they appear as numbers.
pub fn expression(nodes: &[Node], i: usize) -> String {
    let node = &nodes[i];
    let name = |k: usize| {
        let text = name_of(nodes, node.inputs[k].0);
        if has_top_level_space(&text) {
            format!("({text})")
        } else {
            text
        }
    };
    let Some(op) = node.op.as_deref() else {
        return node.label.as_deref().map(subscripted).unwrap_or_default();
    };
    match (node.inputs.len(), op.split_once(' ')) {
        (2, _) => match op {
            "×" => format!("{}·{}", name(0), name(1)),
            _ => format!("{} {op} {}", name(0), name(1)),
        },
        (1, Some(("×", k))) => format!("{k}·{}", name(0)),
        (1, Some(("÷", k))) => format!("{}/{k}", name(0)),
        (1, Some((k, "−"))) => format!("{k} − {}", name(0)),
        (1, Some((k, "÷"))) => format!("{k}/{}", name(0)),
        (1, Some((sign, k))) => format!("{} {sign} {k}", name(0)),
        (1, None) if op.starts_with('^') => format!("{}{}", name(0), superscript(&op[1..])),
        (1, None) if op == "−" => format!("−{}", name(0)),
        (1, None) => format!("{op}({})", name(0)),
        _ => op.to_owned(),
    }
}

/// Whether `text` has a space outside parentheses (`1 − ŷ` needs them as
/// an operand, `(1 − ŷ)²` does not).
fn has_top_level_space(text: &str) -> bool {
    let mut depth = 0;
    text.chars().any(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        c == ' ' && depth == 0
    })
}

/// A node's name: its label (`z`, `ŷ`, `w₁`) or, for an unnamed node,
/// what it computes.
fn name_of(nodes: &[Node], i: usize) -> String {
    match &nodes[i].label {
        Some(label) => subscripted(label),
        None => expression(nodes, i),
    }
}

/// The first line of a node's box: its name, and for a named operation
/// what it computes (`z = 0.5·w₁ + b₁`).
pub fn title(nodes: &[Node], i: usize) -> String {
    let name = name_of(nodes, i);
    let computed = expression(nodes, i);
    if nodes[i].op.is_some() && nodes[i].label.is_some() && computed != name {
        format!("{name} = {computed}")
    } else {
        name
    }
}

/// Where each node goes: (column, row). Column 0 holds the longest path
/// from a leaf to the output, row = its depth; every other node sits in
/// column −1, −2 … one row above the node it feeds.
pub fn layout(nodes: &[Node]) -> Result<Vec<(i32, i32)>> {
    let n = nodes.len();
    let mut depth = vec![0i32; n];
    for i in 0..n {
        depth[i] = nodes[i]
            .inputs
            .iter()
            .map(|&(j, _)| depth[j] + 1)
            .max()
            .unwrap_or(0);
    }
    let mut place: Vec<Option<(i32, i32)>> = vec![None; n];
    // the main path: from the output back through the deepest input
    let mut at = n - 1;
    loop {
        place[at] = Some((0, depth[at]));
        match nodes[at].inputs.iter().max_by_key(|&&(j, _)| (depth[j], j)) {
            Some(&(j, _)) => at = j,
            None => break,
        }
    }
    for i in (0..n).rev() {
        if place[i].is_some() {
            continue;
        }
        let consumer = (i + 1..n)
            .find(|&c| nodes[c].inputs.iter().any(|&(j, _)| j == i) && place[c].is_some())
            .ok_or_else(|| format!("node {i} feeds no placed node"))?;
        let (_, row) = place[consumer].expect("placed");
        let mut column = -1;
        while place.iter().flatten().any(|&p| p == (column, row - 1)) {
            column -= 1;
        }
        place[i] = Some((column, row - 1));
    }
    Ok(place
        .into_iter()
        .map(|p| p.expect("every node placed"))
        .collect())
}

/// A number as the figure prints it: four decimals, a real minus sign.
fn shown(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = if s == "-0.0000" {
        "0.0000".to_owned()
    } else {
        s
    };
    s.replace('-', "−")
}

/// Box size and spacing, in pixels: a box, then the gap that holds the
/// next node's operation circle.
const BOX_W: i32 = 176;
const BOX_H: i32 = 56;
const ROW: i32 = 96;
const TOP: i32 = 50;
/// x of the main column's centre and the distance between columns.
const MAIN_X: i32 = 470;
const COLUMN: i32 = 250;
/// Radius of an operation's circle.
const OP_R: i32 = 17;
const WIDTH: u32 = 760;

/// What the figure says about itself, under the side column.
const NOTES: [&str; 7] = [
    "градиент — ∂L/∂(узел) после backward()",
    "в кружке — операция, давшая узел",
    "на стрелке — локальная производная:",
    "градиент входа = градиент выхода × она",
    "(по нескольким стрелкам — их сумма)",
    "x = 0.5 и y = 1 — числа f64, а не узлы:",
    "градиента у них нет",
];

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let (x, y, params) = WORKED_EXAMPLE;
    let g = graph(&params, x, y);
    g.loss.backward();
    let nodes = parse_dot(&g.loss.to_dot())?;
    let places = layout(&nodes)?;
    let rows = places.iter().map(|p| p.1).max().unwrap_or(0) + 1;
    let height = (TOP + (rows - 1) * ROW + BOX_H + 16) as u32;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;

    // plotters writes a font of size s as s/1.24 px: these are 15, 13, 12 px
    let text = |size: u32, color: RGBColor, h: HPos| {
        (FONT, size)
            .into_font()
            .color(&color)
            .pos(Pos::new(h, VPos::Center))
    };
    let grey = RGBColor(100, 100, 100);
    // a box's centre; an operation's circle sits in the gap above its
    // node's box, and a side input level with the circle it feeds
    let box_center = |i: usize| {
        let (column, row) = places[i];
        (MAIN_X + column * COLUMN, TOP + row * ROW + BOX_H / 2)
    };
    let op_center = |i: usize| {
        let (cx, cy) = box_center(i);
        (cx, cy - BOX_H / 2 - (ROW - BOX_H) / 2)
    };
    let centers: Vec<(i32, i32)> = (0..nodes.len())
        .map(|i| {
            let consumer = (i + 1..nodes.len()).find(|&c| nodes[c].inputs.iter().any(|p| p.0 == i));
            match consumer {
                Some(c) if places[i].0 != places[c].0 => (box_center(i).0, op_center(c).1),
                _ => box_center(i),
            }
        })
        .collect();
    let center = |i: usize| centers[i];
    root.draw(&Text::new(
        "ŷ = w₂·σ(w₁x + b₁) + b₂,   L = ½(y − ŷ)²,   x = 0.5,  y = 1",
        (WIDTH as i32 / 2, 20),
        text(19, BLACK, HPos::Center),
    ))?;

    // Edges first, so boxes and circles cover their ends.
    for (i, node) in nodes.iter().enumerate() {
        if node.op.is_none() {
            continue;
        }
        let (cx, cy) = center(i);
        let op_at = op_center(i);
        root.draw(&PathElement::new(
            vec![op_at, (cx, cy - BOX_H / 2)],
            AXIS.stroke_width(2),
        ))?;
        for &(j, local) in &node.inputs {
            let (jx, jy) = center(j);
            let label = format!("×{}", shown(local));
            if jx == cx {
                root.draw(&PathElement::new(
                    vec![(jx, jy + BOX_H / 2), op_at],
                    AXIS.stroke_width(2),
                ))?;
                root.draw(&Text::new(
                    label,
                    (cx + OP_R + 5, op_at.1),
                    text(15, grey, HPos::Left),
                ))?;
            } else {
                let start = (jx + BOX_W / 2, jy);
                arrow(&root, start, op_at, AXIS)?;
                let at = (start.0 + 12, start.1 - 11);
                root.draw(&Text::new(label, at, text(15, grey, HPos::Left)))?;
            }
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        let (cx, cy) = center(i);
        let color = if node.op.is_none() {
            PALETTE[0]
        } else {
            PALETTE[2]
        };
        let (left, top) = (cx - BOX_W / 2, cy - BOX_H / 2);
        let corners = [(left, top), (left + BOX_W, top + BOX_H)];
        root.draw(&Rectangle::new(corners, color.mix(0.12).filled()))?;
        root.draw(&Rectangle::new(corners, color.stroke_width(2)))?;
        root.draw(&Text::new(
            title(&nodes, i),
            (cx, top + 14),
            text(19, BLACK, HPos::Center),
        ))?;
        root.draw(&Text::new(
            format!("значение {}", shown(node.data)),
            (cx, top + 31),
            text(16, BLACK, HPos::Center),
        ))?;
        root.draw(&Text::new(
            format!("градиент {}", shown(node.grad)),
            (cx, top + 46),
            text(16, PALETTE[1], HPos::Center),
        ))?;
        if let Some(op) = &node.op {
            let at = op_center(i);
            root.draw(&Circle::new(at, OP_R, WHITE.filled()))?;
            root.draw(&Circle::new(at, OP_R, PALETTE[2].stroke_width(2)))?;
            root.draw(&Text::new(op.as_str(), at, text(15, BLACK, HPos::Center)))?;
        }
    }
    // the notes go where the side column is empty: below its last box
    let side_bottom = (0..nodes.len())
        .filter(|&i| places[i].0 != 0)
        .map(|i| center(i).1 + BOX_H / 2)
        .max()
        .unwrap_or(TOP);
    for (k, line) in NOTES.iter().enumerate() {
        root.draw(&Text::new(
            *line,
            (
                MAIN_X - COLUMN - BOX_W / 2,
                side_bottom + 70 + 19 * k as i32,
            ),
            text(16, grey, HPos::Left),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// A line from `from` to the circle around `to`, with an arrowhead there.
fn arrow(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
) -> Result {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    let tip = (
        to.0 - (ux * OP_R as f64).round() as i32,
        to.1 - (uy * OP_R as f64).round() as i32,
    );
    area.draw(&PathElement::new(vec![from, tip], color.stroke_width(2)))?;
    let back = |side: f64| {
        (
            tip.0 - (ux * 9.0 - uy * 4.5 * side).round() as i32,
            tip.1 - (uy * 9.0 + ux * 4.5 * side).round() as i32,
        )
    };
    area.draw(&Polygon::new(
        vec![tip, back(1.0), back(-1.0)],
        color.filled(),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::lecture::gradients;

    fn worked_example() -> Vec<Node> {
        let (x, y, params) = WORKED_EXAMPLE;
        let g = graph(&params, x, y);
        g.loss.backward();
        parse_dot(&g.loss.to_dot()).unwrap()
    }

    #[test]
    fn the_graph_read_from_dot_is_the_lectures_with_its_gradients() {
        let nodes = worked_example();
        // 4 parameters and 8 operations: ×x, +b₁, σ, ×, +b₂, 1 −, ^2, ×½
        assert_eq!(nodes.len(), 12);
        assert_eq!(nodes.iter().filter(|n| n.op.is_none()).count(), 4);
        let by_label = |l: &str| {
            nodes
                .iter()
                .find(|n| n.label.as_deref() == Some(l))
                .unwrap_or_else(|| panic!("no node {l}"))
        };
        let (x, y, params) = WORKED_EXAMPLE;
        let fwd = params.forward(x, y);
        let grads = gradients(&params, &fwd);
        // the DOT text rounds to 4 decimals
        for (label, value, grad) in [
            ("w1", params.w1, grads.dl_dw1),
            ("b1", params.b1, grads.dl_db1),
            ("w2", params.w2, grads.dl_dw2),
            ("b2", params.b2, grads.dl_db2),
            ("z", fwd.z, f64::NAN),
            ("ŷ", fwd.y_hat, fwd.y_hat - fwd.y),
            ("L", fwd.loss, 1.0),
        ] {
            let node = by_label(label);
            assert!((node.data - value).abs() < 5e-5, "{label}: {node:?}");
            if !grad.is_nan() {
                assert!((node.grad - grad).abs() < 5e-5, "{label}: {node:?}");
            }
        }
        assert_eq!(by_label("σ(z)").op.as_deref(), Some("σ"));
        assert_eq!(by_label("L").op.as_deref(), Some("× 0.5"));
        // σ(z)'s edge carries σ'(z) = σ(z)(1 − σ(z))
        let s = fwd.sigma_z;
        assert!((by_label("σ(z)").inputs[0].1 - s * (1.0 - s)).abs() < 5e-5);
    }

    #[test]
    fn unnamed_nodes_are_written_as_what_they_compute() {
        let nodes = worked_example();
        let titles: Vec<String> = (0..nodes.len()).map(|i| title(&nodes, i)).collect();
        for wanted in [
            "w₁",
            "0.5·w₁",
            "z = 0.5·w₁ + b₁",
            "σ(z)",
            "w₂·σ(z)",
            "ŷ = w₂·σ(z) + b₂",
            "1 − ŷ",
            "(1 − ŷ)²",
            "L = 0.5·(1 − ŷ)²",
        ] {
            assert!(
                titles.iter().any(|t| t == wanted),
                "{wanted} not in {titles:?}"
            );
        }
        assert_eq!(expression(&nodes, nodes.len() - 1), "0.5·(1 − ŷ)²");
    }

    #[test]
    fn the_longest_path_is_one_column_and_nothing_overlaps() {
        let nodes = worked_example();
        let places = layout(&nodes).unwrap();
        let main: Vec<usize> = (0..nodes.len()).filter(|&i| places[i].0 == 0).collect();
        assert_eq!(main.len(), 9, "w₁ … L: {places:?}");
        assert_eq!(places[nodes.len() - 1], (0, 8));
        let mut seen = places.clone();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            places.len(),
            "two nodes in one place: {places:?}"
        );
        // every other input sits one row above the node it feeds
        for (i, node) in nodes.iter().enumerate() {
            for &(j, _) in &node.inputs {
                assert_eq!(places[j].1 + 1, places[i].1, "{j} → {i}");
            }
        }
    }

    #[test]
    fn bad_dot_is_an_error_not_a_panic() {
        assert!(parse_dot("digraph value {\n}\n").is_err());
        let out_of_order = "  v1 [shape=record, label=\"{ data 1.0000 | grad 0.0000 }\"];\n";
        assert!(parse_dot(out_of_order).is_err());
        let backwards = "  v0 [shape=record, label=\"{ a | data 1.0000 | grad 0.0000 }\"];\n  v0 -> v0_op [label=\"1.0000\"];\n";
        assert!(parse_dot(backwards).is_err());
        assert_eq!(unescape("x\\{1\\}\\|"), "x{1}|");
        assert_eq!(subscripted("w12"), "w₁₂");
        assert_eq!(shown(-0.19988), "−0.1999");
    }
}
