//! Focal loss against BCE, as in the first figure of Lin et al. (2017): the
//! loss of a positive example ($y = 1$) as a function of the predicted
//! probability $p$, for $\gamma \in \{0, 0.5, 1, 2, 5\}$, every value from
//! `losses::FocalBinary` (with $\alpha = 1$, so that $\gamma = 0$ is BCE)
//! and BCE itself from `losses::Bce`.

use super::style::{LinePlot, PALETTE, Series, line_plot, linspace};
use crate::Result;
use losses::{Bce, FocalBinary, Loss};
use ndarray::array;
use plotters::prelude::*;
use std::path::Path;

/// The focusing parameters of Lin et al.'s figure.
const GAMMAS: [f64; 5] = [0.0, 0.5, 1.0, 2.0, 5.0];

/// $\mathcal{L}(p, y = 1)$ of `loss` at each `p`.
fn curve(loss: &dyn Loss, ps: &[f64]) -> Result<Vec<(f64, f64)>> {
    let y = array![[1.0]];
    ps.iter()
        .map(|&p| Ok((p, loss.value(array![[p]].view(), y.view())?)))
        .collect()
}

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (720, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let ps = linspace(0.005, 1.0, 200);
    let mut series = Vec::new();
    for (k, gamma) in GAMMAS.into_iter().enumerate() {
        let focal = FocalBinary::new(1.0, gamma)?;
        let label = if gamma == 0.0 {
            "γ = 0 (BCE)".to_string()
        } else {
            format!("γ = {gamma}")
        };
        series.push(Series::solid(label, curve(&focal, &ps)?, PALETTE[k]));
    }
    // BCE from its own type, dashed over γ = 0: the two coincide
    series.push(Series::solid("BCE (losses::Bce)", curve(&Bce, &ps)?, PALETTE[6]).dashed());
    line_plot(
        &root,
        &LinePlot {
            title: "Фокальная функция потерь при y = 1: −(1 − p)^γ · log p",
            x_desc: "p — предсказанная вероятность верного класса",
            y_desc: "потери",
            x_range: 0.0..1.0,
            y_range: 0.0..5.0,
            series: &series,
            legend: SeriesLabelPosition::UpperRight,
            log_x: false,
            log_y: false,
        },
    )?;
    root.present()?;
    Ok(())
}
