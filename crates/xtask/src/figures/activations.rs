//! The lecture's `![Функции активации](./images/machlearn_activation_functions.png)`,
//! drawn from the `activations` crate itself: each function $f$ with its
//! derivative $f'$ in the panel beside it, both from `Activation::forward`
//! and `Activation::derivative`.

use super::style::{Curve, FONT, PALETTE, linspace, panel};
use crate::Result;
use activations::{Activation, Elu, Gelu, GeluSigmoid, LeakyRelu, Relu, Sigmoid, Tanh};
use plotters::prelude::*;
use std::path::Path;

/// Leaky ReLU's slope for negative inputs in the figure. PyTorch's default
/// 0.01 would be invisible at this scale; the caption in the book says 0.1.
const LEAKY_ALPHA: f64 = 0.1;

/// ELU's α: 1, the usual choice (correction 6).
const ELU_ALPHA: f64 = 1.0;

/// One row entry: a name, the activation, and an optional dashed companion
/// drawn on the same panels (GELU's approximation $x\sigma(1.702x)$).
struct Entry {
    name: &'static str,
    note: &'static str,
    f: Box<dyn Activation>,
    companion: Option<Box<dyn Activation>>,
}

fn entries() -> Vec<Entry> {
    let entry = |name, note, f: Box<dyn Activation>| Entry {
        name,
        note,
        f,
        companion: None,
    };
    vec![
        entry("σ", "", Box::new(Sigmoid)),
        entry("tanh", "", Box::new(Tanh)),
        entry("ReLU", "", Box::new(Relu)),
        entry(
            "Leaky ReLU",
            ", α = 0.1",
            Box::new(LeakyRelu::new(LEAKY_ALPHA)),
        ),
        entry("ELU", ", α = 1", Box::new(Elu::new(ELU_ALPHA))),
        Entry {
            name: "GELU",
            note: "",
            f: Box::new(Gelu),
            companion: Some(Box::new(GeluSigmoid)),
        },
    ]
}

/// Draws the figure: six activations, each as two panels ($f$, then $f'$),
/// four panels to a row.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (960, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let (body, footer) = root.split_vertically(610);
    let panels = body.split_evenly((3, 4));
    let xs = linspace(-4.0, 4.0, 161);
    for (i, e) in entries().iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let curve = |g: &dyn Fn(f64) -> f64, dashed| Curve {
            points: xs.iter().map(|&x| (x, g(x))).collect(),
            color: if dashed { PALETTE[6] } else { color },
            dashed,
        };
        let mut values = vec![curve(&|x| e.f.forward(x), false)];
        let mut slopes = vec![curve(&|x| e.f.derivative(x), false)];
        if let Some(c) = &e.companion {
            values.push(curve(&|x| c.forward(x), true));
            slopes.push(curve(&|x| c.derivative(x), true));
        }
        panel(
            &panels[2 * i],
            &format!("{}(x){}", e.name, e.note),
            -4.0..4.0,
            &values,
        )?;
        panel(
            &panels[2 * i + 1],
            &format!("{}′(x)", e.name),
            -4.0..4.0,
            &slopes,
        )?;
    }
    footer.draw(&Text::new(
        "сплошная линия — функция из crates/activations; пунктир у GELU — приближение x·σ(1.702x)",
        (20, 8),
        (FONT, 13).into_font().color(&RGBColor(80, 80, 80)),
    ))?;
    root.present()?;
    Ok(())
}
