//! The LR range test (fast.ai's form, Smith 2018) on the digits: `trainer::lr_finder`
//! trains the network of [`super::learning_rates`] with SGD while $\eta$
//! grows exponentially batch by batch, and records the loss. Marked: the
//! rate at the minimum of the smoothed loss, $\eta^\star$, and the
//! suggestion $\eta^\star / 10$.

use super::learning_rates::{digits, network};
use super::style::{AXIS, FONT, LinePlot, PALETTE, Series, line_plot};
use crate::Result;
use optim::OptimizerConfig;
use plotters::prelude::*;
use std::path::Path;
use trainer::lr_finder::{LrFinderConfig, LrFinderResult, lr_range_test};

/// The sweep: SGD from $10^{-4}$ to 10 in at most 200 batches of 32.
pub fn run() -> Result<LrFinderResult> {
    let parts = digits()?;
    let mut config = LrFinderConfig::new("ce_logits".parse()?);
    config.optimizer = OptimizerConfig::from_name("sgd")?;
    config.start_lr = 1e-4;
    config.end_lr = 10.0;
    Ok(lr_range_test(&network()?, &parts.train, &config)?)
}

/// Draws the figure.
pub fn draw(path: &Path) -> Result {
    let root = SVGBackend::new(path, (760, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    let result = run()?;
    let at = |values: &[f64]| -> Vec<(f64, f64)> {
        result
            .learning_rates
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect()
    };
    let (y_min, y_max) = (0.0, 4.0);
    let vertical = |eta: f64| vec![(eta, y_min), (eta, y_max)];
    let series = [
        Series::solid("потери батча", at(&result.losses), AXIS),
        Series::solid("сглаженные (β = 0.98)", at(&result.smoothed), PALETTE[0]),
        Series::solid(
            format!("минимум сглаженных: η* = {:.2}", result.min_loss_lr),
            vertical(result.min_loss_lr),
            PALETTE[1],
        )
        .dashed(),
        Series::solid(
            format!("подсказка η*/10 = {:.2}", result.suggestion),
            vertical(result.suggestion),
            PALETTE[2],
        )
        .dashed(),
    ];
    line_plot(
        &root,
        &LinePlot {
            title: "Тест диапазона скоростей (LR range test): цифры, SGD",
            x_desc: "скорость обучения η (растёт с каждым батчем)",
            y_desc: "потери CE",
            x_range: 1e-4..10.0,
            y_range: y_min..y_max,
            series: &series,
            legend: SeriesLabelPosition::LowerLeft,
            log_x: true,
            log_y: false,
        },
    )?;
    if result.stopped_early {
        let (x, y) = (500, 40);
        root.draw(&Text::new(
            "тест остановлен: сглаженные потери выросли вчетверо от минимума",
            (x, y),
            (FONT, 12).into_font().color(&RGBColor(80, 80, 80)),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::learning_rates::RATES;

    #[test]
    fn the_suggestion_is_the_good_rate_of_the_training_curves() {
        let result = run().unwrap();
        let good = RATES[1].0;
        assert!(
            (good / 2.0..good * 2.0).contains(&result.suggestion),
            "the range test suggests {}, the training figure calls {good} good",
            result.suggestion
        );
        assert!(result.stopped_early, "the sweep reaches the blow-up");
    }
}
