//! MSE, MAE and Huber's loss against the residual $a = y - \hat y$ of one
//! sample, each value from the `losses` crate: MSE grows as $a^2$, MAE as
//! $|a|$, Huber's loss as $\frac12 a^2$ inside $[-\delta, \delta]$ and
//! linearly outside it.

use super::style::{LinePlot, PALETTE, Series, line_plot, linspace};
use crate::Result;
use losses::{Huber, Loss, Mae, Mse};
use ndarray::array;
use plotters::prelude::*;
use std::path::Path;

/// $\mathcal{L}(\hat y = 0, y = a)$ of `loss` at each residual `a`.
fn curve(loss: &dyn Loss, residuals: &[f64]) -> Result<Vec<(f64, f64)>> {
    let y_hat = array![[0.0]];
    residuals
        .iter()
        .map(|&a| Ok((a, loss.value(y_hat.view(), array![[a]].view())?)))
        .collect()
}

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (720, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let residuals = linspace(-3.0, 3.0, 241);
    let series = [
        Series::solid("MSE: a²", curve(&Mse, &residuals)?, PALETTE[0]),
        Series::solid("MAE: |a|", curve(&Mae, &residuals)?, PALETTE[1]),
        Series::solid(
            "Хубер, δ = 1",
            curve(&Huber::new(1.0)?, &residuals)?,
            PALETTE[2],
        ),
        Series::solid(
            "Хубер, δ = 0.3",
            curve(&Huber::new(0.3)?, &residuals)?,
            PALETTE[3],
        )
        .dashed(),
    ];
    line_plot(
        &root,
        &LinePlot {
            title: "Функции потерь регрессии от остатка a = y − ŷ",
            x_desc: "a = y − ŷ",
            y_desc: "потери",
            x_range: -3.0..3.0,
            y_range: 0.0..4.0,
            series: &series,
            legend: SeriesLabelPosition::UpperMiddle,
            log_x: false,
            log_y: false,
        },
    )?;
    root.present()?;
    Ok(())
}
