//! One hidden layer of growing width fitting a sine: the approximation
//! theorem, seen. Each network $\hat y = W_2 \tanh(W_1 x + b_1) + b_2$ is
//! trained by `trainer::Trainer` on the same 60 points of
//! $y = \sin 2\pi x$ on $[-1, 1]$ (two periods).
//!
//! The hidden units start as steep steps $\tanh(w_i (x - m_i))$ whose centres
//! $m_i$ are spread evenly over the interval, as in the construction of
//! chapter 1 (from zero biases every step would sit at $x = 0$, and Adam
//! would need far more steps to pull them apart); training then moves
//! everything.

use super::style::{AXIS, FONT, GRID, PALETTE, linspace, trim_float};
use crate::Result;
use datasets::Dataset;
use mlp::{Architecture, Head, Init, Mlp};
use ndarray::Array2;
use plotters::prelude::*;
use schedulers::ScheduleConfig;
use std::f64::consts::PI;
use std::path::Path;
use trainer::{ScheduleUnit, Silent, TrainConfig, Trainer};

/// The hidden layer's widths, one panel each.
pub const WIDTHS: [usize; 4] = [1, 3, 10, 50];

/// Epochs of full-batch Adam.
const EPOCHS: usize = 600;

/// The function the networks learn.
fn target(x: f64) -> f64 {
    (2.0 * PI * x).sin()
}

/// 60 evenly spaced samples of [`target`] on $[-1, 1]$.
pub fn samples() -> Result<Dataset> {
    let xs = linspace(-1.0, 1.0, 60);
    let y = Array2::from_shape_fn((xs.len(), 1), |(i, _)| target(xs[i]));
    Ok(Dataset::regression(Array2::from_shape_vec((xs.len(), 1), xs)?, y)?.with_name("sine"))
}

/// The centre $m_i$ of step `i` of `width`: the midpoints of `width` equal
/// parts of $[-1, 1]$.
fn centre(i: usize, width: usize) -> f64 {
    -1.0 + (2 * i + 1) as f64 / width as f64
}

/// The untrained 1-`width`-1 network: steps $\tanh(w_i (x - m_i))$ with
/// slopes $w_i \sim U(-6, 6)$ and centres $m_i$ the midpoints of `width` equal parts of $[-1, 1]$
/// ($b_i = -w_i m_i$), and an output layer as Xavier draws it.
pub fn initial(width: usize) -> Result<Mlp> {
    let architecture = Architecture::new([1, width, 1], "tanh".parse()?, Head::Identity)?;
    let steep = Mlp::new(&architecture, Init::Uniform { limit: 6.0 }, 1)?;
    let plain = Mlp::new(&architecture, Init::Xavier, 1)?;
    let mut hidden = steep.layers()[0].clone();
    for i in 0..width {
        hidden.bias[i] = -hidden.weight[[i, 0]] * centre(i, width);
    }
    let output = plain.layers()[1].clone();
    Ok(Mlp::from_layers(
        vec![hidden, output],
        architecture.hidden,
        architecture.head,
    )?)
}

/// A 1-`width`-1 network trained on `samples`: full-batch Adam, $\eta$
/// from 0.05 down to 0.0005 by cosine annealing, MSE.
pub fn fit(samples: &Dataset, width: usize) -> Result<Mlp> {
    let config = TrainConfig::new("mse".parse()?)
        .with_epochs(EPOCHS)
        .with_batch_size(samples.len())
        .with_learning_rate(0.05)
        .with_schedule(
            ScheduleConfig::CosineAnnealing {
                eta_min: 0.0005,
                eta_max: 0.05,
                total_steps: EPOCHS,
            },
            ScheduleUnit::Epoch,
        )
        .with_seed(1);
    let mut trainer = Trainer::new(initial(width)?, config)?;
    trainer.fit(samples, None, &mut Silent)?;
    Ok(trainer.into_model())
}

/// The network's prediction at each `x`, and the largest $|\hat y - y|$.
pub fn predict(net: &Mlp, xs: &[f64]) -> Result<(Vec<f64>, f64)> {
    let x = Array2::from_shape_vec((xs.len(), 1), xs.to_vec())?;
    let y_hat = net.forward(x.view())?.column(0).to_vec();
    let max_error = xs
        .iter()
        .zip(&y_hat)
        .map(|(&x, y)| (y - target(x)).abs())
        .fold(0.0, f64::max);
    Ok((y_hat, max_error))
}

/// Draws the figure: one panel per width.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (880, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let samples = samples()?;
    let xs = linspace(-1.0, 1.0, 301);
    let panels = root.split_evenly((2, 2));
    for (k, (&width, area)) in WIDTHS.iter().zip(panels.iter()).enumerate() {
        let (y_hat, max_error) = predict(&fit(&samples, width)?, &xs)?;
        let neurons = match width {
            1 => "нейрон",
            3 => "нейрона",
            _ => "нейронов",
        };
        let title = format!("{width} {neurons}: max |ŷ − y| = {}", trim_float(max_error));
        let mut chart = ChartBuilder::on(area)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(34)
            .build_cartesian_2d(-1.0..1.0, -1.5..1.5)?;
        chart
            .configure_mesh()
            .x_labels(5)
            .y_labels(5)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style((FONT, 11))
            .x_label_formatter(&|v| trim_float(*v))
            .y_label_formatter(&|v| trim_float(*v))
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            xs.iter().map(|&x| (x, target(x))),
            6,
            4,
            BLACK.stroke_width(1),
        ))?;
        chart.draw_series(
            samples
                .x()
                .column(0)
                .iter()
                .map(|&x| Circle::new((x, target(x)), 2, AXIS.filled())),
        )?;
        chart.draw_series(LineSeries::new(
            xs.iter().copied().zip(y_hat),
            PALETTE[k].stroke_width(2),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_layers_fit_the_sine_better() {
        let samples = samples().unwrap();
        let xs = linspace(-1.0, 1.0, 301);
        let errors: Vec<f64> = WIDTHS
            .iter()
            .map(|&w| predict(&fit(&samples, w).unwrap(), &xs).unwrap().1)
            .collect();
        assert!(
            errors.windows(2).all(|e| e[1] < e[0]),
            "the error falls with the width: {errors:?}"
        );
        assert!(
            errors[0] > 1.0,
            "one tanh cannot follow two periods: {errors:?}"
        );
        assert!(errors[3] < 0.05, "{errors:?}");
    }

    #[test]
    fn the_steps_start_spread_over_the_interval() {
        let net = initial(5).unwrap();
        let hidden = &net.layers()[0];
        let centres: Vec<f64> = (0..5)
            .map(|i| -hidden.bias[i] / hidden.weight[[i, 0]])
            .collect();
        for (c, m) in centres.iter().zip([-0.8, -0.4, 0.0, 0.4, 0.8]) {
            assert!((c - m).abs() < 1e-12, "{centres:?}");
        }
    }
}
