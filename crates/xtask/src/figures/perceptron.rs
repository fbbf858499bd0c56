//! The lecture's `![Многослойный перцептрон](./images/machlearn_perceptron.png)`:
//! a three-layer perceptron $f(x) = \sigma(W_2\,\sigma(W_1 x + b_1) + b_2)$,
//! every neuron joined to every neuron of the previous layer.

use super::style::{AXIS, FONT, PALETTE};
use crate::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Neuron radius in pixels.
const R: i32 = 21;

/// A layer: its caption, the x of its column, and its neurons' labels.
struct Layer {
    caption: &'static str,
    x: i32,
    labels: &'static [&'static str],
    color: RGBColor,
}

/// The y of neuron `i` of `n`, centred on the drawing's middle line.
fn neuron_y(i: usize, n: usize) -> i32 {
    const MIDDLE: i32 = 175;
    const GAP: i32 = 72;
    MIDDLE + (2 * i as i32 - (n as i32 - 1)) * GAP / 2
}

/// Draws the diagram.
pub fn draw(path: &Path) -> Result {
    let layers = [
        Layer {
            caption: "входной слой",
            x: 150,
            labels: &["x₁", "x₂", "x₃"],
            color: PALETTE[0],
        },
        Layer {
            caption: "скрытый слой",
            x: 380,
            labels: &["σ", "σ", "σ", "σ"],
            color: PALETTE[2],
        },
        Layer {
            caption: "выходной слой",
            x: 610,
            labels: &["σ", "σ"],
            color: PALETTE[1],
        },
    ];
    let root = SVGBackend::new(path, (760, 400)).into_drawing_area();
    root.fill(&WHITE)?;
    let centered = |size: u32| {
        (FONT, size)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };

    // Edges first, so the neurons are drawn over their ends.
    for pair in layers.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        for i in 0..from.labels.len() {
            for j in 0..to.labels.len() {
                let a = (from.x + R, neuron_y(i, from.labels.len()));
                let b = (to.x - R, neuron_y(j, to.labels.len()));
                root.draw(&PathElement::new(vec![a, b], AXIS.stroke_width(1)))?;
            }
        }
    }
    // The weights and biases of each pair of layers, above the edges.
    for (pair, label) in layers.windows(2).zip(["W₁, b₁", "W₂, b₂"]) {
        let x = (pair[0].x + pair[1].x) / 2;
        root.draw(&Text::new(label, (x, 22), centered(18)))?;
    }
    for layer in &layers {
        let n = layer.labels.len();
        for (i, label) in layer.labels.iter().enumerate() {
            let center = (layer.x, neuron_y(i, n));
            let fill = layer.color.mix(0.18);
            root.draw(&Circle::new(center, R, fill.filled()))?;
            root.draw(&Circle::new(center, R, layer.color.stroke_width(2)))?;
            root.draw(&Text::new(*label, center, centered(17)))?;
        }
        root.draw(&Text::new(layer.caption, (layer.x, 330), centered(15)))?;
    }
    // Inputs come in on the left, the outputs ŷ leave on the right.
    let last = &layers[2];
    for i in 0..last.labels.len() {
        let y = neuron_y(i, last.labels.len());
        let (x0, x1) = (last.x + R, last.x + R + 50);
        root.draw(&PathElement::new(
            vec![(x0, y), (x1, y)],
            BLACK.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("ŷ{}", ["₁", "₂"][i]),
            (x1 + 22, y),
            centered(17),
        ))?;
    }
    root.draw(&Text::new(
        "f(x) = σ(W₂ σ(W₁x + b₁) + b₂)",
        (380, 372),
        centered(18),
    ))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neurons_are_centred_and_evenly_spaced() {
        assert_eq!(neuron_y(0, 1), 175);
        assert_eq!(neuron_y(0, 2) + neuron_y(1, 2), 2 * 175);
        assert_eq!(
            neuron_y(1, 3) - neuron_y(0, 3),
            neuron_y(2, 3) - neuron_y(1, 3)
        );
    }
}
