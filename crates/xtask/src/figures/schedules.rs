//! Every learning-rate schedule of `schedulers::table` over the same 100
//! steps, in three panels: the decays (constant, step decay, cosine),
//! linear against exponential warmup (both then cosine), and the three
//! cyclic policies.

use super::style::{LinePlot, PALETTE, Series, line_plot};
use crate::Result;
use plotters::prelude::*;
use schedulers::table;
use std::path::Path;

/// Steps shown.
const STEPS: usize = 100;

/// The panels: a title and the table's schedules in it, with their labels.
const PANELS: [(&str, &[(&str, &str)]); 3] = [
    (
        "Распад",
        &[
            ("constant", "постоянная"),
            ("step_decay", "шаговый распад: γ = 0.5, s = 25"),
            ("cosine_annealing", "косинусный отжиг, T = 100"),
        ],
    ),
    (
        "Разминка 10 шагов с 1 %, затем косинус",
        &[
            ("linear_warmup_cosine", "линейная разминка"),
            ("exponential_warmup_cosine", "экспоненциальная разминка"),
        ],
    ),
    (
        "Циклическая, полуцикл 10 шагов",
        &[
            ("cyclic_triangular", "triangular"),
            ("cyclic_triangular2", "triangular2"),
            ("cyclic_exp_range", "exp_range, γ = 0.98"),
        ],
    ),
];

/// Draws the figure: three panels one above the other.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (760, 900)).into_drawing_area();
    root.fill(&WHITE)?;
    let rows = table::table(STEPS);
    let areas = root.split_evenly((3, 1));
    for ((title, members), area) in PANELS.iter().zip(areas.iter()) {
        let series: Vec<Series> = members
            .iter()
            .enumerate()
            .map(|(k, (name, label))| {
                let points = rows
                    .iter()
                    .filter(|r| r.schedule == *name)
                    .map(|r| (r.step as f64, r.learning_rate))
                    .collect();
                Series::solid(*label, points, PALETTE[k])
            })
            .collect();
        if let Some(missing) = series.iter().find(|s| s.points.len() != STEPS) {
            return Err(
                format!("schedulers::table has no schedule for «{}»", missing.label).into(),
            );
        }
        line_plot(
            area,
            &LinePlot {
                title,
                x_desc: "шаг t",
                y_desc: "η_t",
                x_range: 0.0..(STEPS - 1) as f64,
                y_range: 0.0..0.11,
                series: &series,
                legend: SeriesLabelPosition::UpperRight,
                log_x: false,
                log_y: false,
            },
        )?;
    }
    root.present()?;
    Ok(())
}
