//! SGD, momentum, RMSProp and Adam from one start over the level lines of
//! an ill-conditioned quadratic and of the Rosenbrock function: the paths
//! are `optim::demo::trajectories` (the data of
//! `cargo run -p optim --example trajectories`), the level lines are drawn
//! from `optim::objectives` by marching squares.

use super::contour::level_line;
use super::style::{AXIS, FONT, GRID, PALETTE, clip_polyline, legend, trim_float};
use crate::Result;
use optim::demo;
use optim::objectives::Problem;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;
use std::path::Path;

/// What each panel shows.
struct View {
    problem: Problem,
    title: &'static str,
    x_range: Range<f64>,
    y_range: Range<f64>,
    /// The level lines: $f = c$ for each.
    levels: Vec<f64>,
    /// Mark every point of the paths (short runs) or none (long ones).
    markers: bool,
}

fn views() -> [View; 2] {
    let geometric = |from: f64, ratio: f64, n: i32| (0..n).map(|k| from * ratio.powi(k)).collect();
    [
        View {
            problem: Problem::Quadratic,
            title: "½(x² + 25y²), 60 шагов из (−4, 1)",
            x_range: -4.5..1.5,
            y_range: -1.5..1.5,
            levels: geometric(0.02, 2.0, 11),
            markers: true,
        },
        View {
            problem: Problem::Rosenbrock,
            title: "Розенброк (1 − x)² + 100(y − x²)², 1000 шагов",
            x_range: -2.0..2.0,
            y_range: -1.0..3.0,
            levels: geometric(0.25, 3.0, 8),
            markers: false,
        },
    ]
}

/// Draws the figure: the quadratic on the left, Rosenbrock on the right.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (1000, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    for (view, area) in views().iter().zip(panels.iter()) {
        panel(area, view)?;
    }
    root.present()?;
    Ok(())
}

fn panel(area: &DrawingArea<SVGBackend<'_>, Shift>, view: &View) -> Result {
    let mut chart = ChartBuilder::on(area)
        .caption(view.title, (FONT, 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(view.x_range.clone(), view.y_range.clone())?;
    chart
        .configure_mesh()
        .x_labels(7)
        .y_labels(7)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FONT, 12))
        .x_label_formatter(&|x| trim_float(*x))
        .y_label_formatter(&|y| trim_float(*y))
        .draw()?;
    let problem = view.problem;
    for &c in &view.levels {
        let lines = level_line(
            |x, y| problem.loss(x, y),
            view.x_range.clone(),
            view.y_range.clone(),
            (200, 200),
            c,
        );
        chart.draw_series(
            lines
                .into_iter()
                .map(|line| PathElement::new(line, AXIS.stroke_width(1))),
        )?;
    }
    let rows = demo::trajectories(problem);
    let names = [
        ("sgd", "SGD"),
        ("momentum", "импульс"),
        ("rmsprop", "RMSProp"),
        ("adam", "Adam"),
    ];
    // SGD last, so that the path the others run over stays visible
    for (k, (name, label)) in names.into_iter().enumerate().rev() {
        let color = PALETTE[k];
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r.optimizer == name)
            .map(|r| (r.x, r.y))
            .collect();
        let pieces = clip_polyline(&points, &view.x_range, &view.y_range);
        chart
            .draw_series(
                pieces
                    .into_iter()
                    .map(|piece| PathElement::new(piece, color.stroke_width(2))),
            )?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        // where the path ends after all its steps
        if let Some(&end) = points
            .last()
            .filter(|&&(x, y)| view.x_range.contains(&x) && view.y_range.contains(&y))
        {
            chart.draw_series(std::iter::once(
                EmptyElement::at(end)
                    + Rectangle::new([(-5, -5), (5, 5)], color.filled())
                    + Rectangle::new([(-5, -5), (5, 5)], WHITE.stroke_width(1)),
            ))?;
        }
        if view.markers {
            let inside =
                |&(x, y): &(f64, f64)| view.x_range.contains(&x) && view.y_range.contains(&y);
            chart.draw_series(
                points
                    .iter()
                    .filter(|p| inside(p))
                    .map(|&p| Circle::new(p, 2, color.filled())),
            )?;
        }
    }
    let start = demo::start(problem);
    let [mx, my] = problem.minimum();
    chart.draw_series([
        Circle::new((start[0], start[1]), 5, BLACK.stroke_width(2)),
        Circle::new((mx, my), 5, BLACK.filled()),
    ])?;
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}
