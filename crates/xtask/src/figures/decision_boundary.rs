//! A decision boundary on two moons: a small MLP trained by
//! `trainer::Trainer`, the plane coloured by the class it predicts,
//! the line where both classes are equally likely, and the points on top.

use super::contour::{Grid, level_line_on_grid};
use super::style::{FONT, GRID, PALETTE, legend, trim_float};
use crate::Result;
use datasets::{self as data, Fractions};
use mlp::{Architecture, Head, Init, Mlp};
use ndarray::Array2;
use plotters::prelude::*;
use std::path::Path;
use trainer::{Silent, TrainConfig, Trainer};

/// The shown part of the plane.
const X_RANGE: std::ops::Range<f64> = -1.6..2.6;
const Y_RANGE: std::ops::Range<f64> = -1.1..1.6;

/// Cells of the class map along x and y.
const CELLS: (usize, usize) = (210, 135);

/// The trained network and the accuracy on the held-out points.
pub struct Fitted {
    /// The network.
    pub net: Mlp,
    /// The data set: training part, held-out part.
    pub parts: data::Split,
    /// Fraction of held-out points classified correctly.
    pub test_accuracy: f64,
}

/// Trains a 2-16-16-2 tanh network on 300 noisy moons (70 % of them).
pub fn fit() -> Result<Fitted> {
    let moons = data::two_moons(300, 0.2, 3)?;
    let parts = data::split(&moons, Fractions::new(0.7, 0.0, 0.3)?, 3)?;
    let architecture = Architecture::new([2, 16, 16, 2], "tanh".parse()?, Head::Softmax)?;
    let config = TrainConfig::new("ce_logits".parse()?)
        .with_epochs(150)
        .with_batch_size(32)
        .with_learning_rate(0.01)
        .with_seed(3);
    let mut trainer = Trainer::new(Mlp::new(&architecture, Init::Xavier, 3)?, config)?;
    trainer.fit(&parts.train, None, &mut Silent)?;
    let net = trainer.into_model();
    let predicted = net.predict(parts.test.x().view())?;
    let labels = parts.test.labels().ok_or("moons are labelled")?;
    let correct = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
    Ok(Fitted {
        test_accuracy: correct as f64 / labels.len() as f64,
        net,
        parts,
    })
}

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (760, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let Fitted {
        net,
        parts,
        test_accuracy,
    } = fit()?;
    let title = format!(
        "Два полумесяца, сеть 2-16-16-2 (tanh): верно {:.0} % отложенных точек",
        100.0 * test_accuracy
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 17))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(X_RANGE, Y_RANGE)?;

    // P(class 1) at every node of the grid, one forward pass for all nodes
    let grid = Grid {
        x_range: X_RANGE,
        y_range: Y_RANGE,
        nx: CELLS.0,
        ny: CELLS.1,
    };
    let nodes: Vec<(f64, f64)> = (0..=grid.ny)
        .flat_map(|j| (0..=grid.nx).map(move |i| (i, j)))
        .map(|(i, j)| (grid.x(i), grid.y(j)))
        .collect();
    let x = Array2::from_shape_fn((nodes.len(), 2), |(r, c)| {
        if c == 0 { nodes[r].0 } else { nodes[r].1 }
    });
    let p1 = net.predict_proba(x.view())?.column(1).to_vec();
    let values: Vec<Vec<f64>> = p1.chunks(grid.nx + 1).map(<[f64]>::to_vec).collect();

    // the class map: per row of cells, one rectangle per run of one class
    // (the cell's class is its lower-left node's)
    let light = [PALETTE[0].mix(0.16), PALETTE[1].mix(0.16)];
    let mut cells = Vec::new();
    for j in 0..grid.ny {
        let mut i = 0;
        while i < grid.nx {
            let class = usize::from(values[j][i] >= 0.5);
            let start = i;
            while i < grid.nx && usize::from(values[j][i] >= 0.5) == class {
                i += 1;
            }
            cells.push(Rectangle::new(
                [(grid.x(start), grid.y(j)), (grid.x(i), grid.y(j + 1))],
                light[class].filled(),
            ));
        }
    }
    chart.draw_series(cells)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(GRID.mix(0.6))
        .label_style((FONT, 12))
        .x_label_formatter(&|v| trim_float(*v))
        .y_label_formatter(&|v| trim_float(*v))
        .draw()?;
    chart
        .draw_series(
            level_line_on_grid(&grid, &values, 0.5)
                .into_iter()
                .map(|line| PathElement::new(line, BLACK.stroke_width(2))),
        )?
        .label("граница: P(класс 1) = ½")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));

    let labels = parts.train.labels().ok_or("moons are labelled")?;
    for class in 0..2 {
        let color = PALETTE[class];
        chart
            .draw_series(
                parts
                    .train
                    .x()
                    .rows()
                    .into_iter()
                    .zip(labels)
                    .filter(|(_, y)| **y == class)
                    .map(|(row, _)| Circle::new((row[0], row[1]), 3, color.filled())),
            )?
            .label(format!("класс {class} (обучающие)"))
            .legend(move |(x, y)| Circle::new((x + 10, y), 3, color.filled()));
    }
    let test_labels = parts.test.labels().ok_or("moons are labelled")?;
    chart
        .draw_series(
            parts
                .test
                .x()
                .rows()
                .into_iter()
                .zip(test_labels)
                .map(|(row, &y)| Circle::new((row[0], row[1]), 4, PALETTE[y].stroke_width(2))),
        )?
        .label("отложенные (цвет — верный класс)")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, BLACK.stroke_width(1)));
    legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_separates_the_moons() {
        let fitted = fit().unwrap();
        assert!(fitted.test_accuracy > 0.9, "{}", fitted.test_accuracy);
    }
}
