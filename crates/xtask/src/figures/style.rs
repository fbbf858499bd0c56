//! The look shared by all figures: colours, fonts, one function plot panel.

use crate::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Text font family (the reader's browser picks the actual face).
pub const FONT: &str = "sans-serif";

/// Colour-blind-safe palette (Okabe–Ito), in the order curves use it.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// Light grey for axes through zero and grid lines.
pub const AXIS: RGBColor = RGBColor(170, 170, 170);

/// `n` evenly spaced points from `lo` to `hi` inclusive.
pub fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The range of `ys` widened by 8 % on each side (and never empty).
pub fn padded_range(ys: impl IntoIterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = ys
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
            (lo.min(y), hi.max(y))
        });
    let span = (hi - lo).max(0.5);
    (lo - 0.08 * span)..(hi + 0.08 * span)
}

/// A curve to draw: its points, colour and whether it is dashed.
pub struct Curve {
    /// The `(x, y)` points.
    pub points: Vec<(f64, f64)>,
    /// Line colour.
    pub color: RGBColor,
    /// Dashed instead of solid.
    pub dashed: bool,
}

/// One small plot with a title, light axes through zero and the curves.
pub fn panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    x_range: std::ops::Range<f64>,
    curves: &[Curve],
) -> Result {
    let y_range = padded_range(curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)));
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 17))
        .margin(8)
        .x_label_area_size(22)
        .y_label_area_size(34)
        .build_cartesian_2d(x_range.clone(), y_range.clone())?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .disable_mesh()
        .label_style((FONT, 11))
        .x_label_formatter(&|x| trim_float(*x))
        .y_label_formatter(&|y| trim_float(*y))
        .draw()?;
    let axis = AXIS.stroke_width(1);
    chart.draw_series(LineSeries::new(
        [(x_range.start, 0.0), (x_range.end, 0.0)],
        axis,
    ))?;
    chart.draw_series(LineSeries::new(
        [(0.0, y_range.start), (0.0, y_range.end)],
        axis,
    ))?;
    for curve in curves {
        let style = curve.color.stroke_width(2);
        if curve.dashed {
            chart.draw_series(DashedLineSeries::new(
                curve.points.iter().copied(),
                6,
                4,
                style,
            ))?;
        } else {
            chart.draw_series(LineSeries::new(curve.points.iter().copied(), style))?;
        }
    }
    Ok(())
}

/// A tick label without trailing zeros (`0.50` → `0.5`, `1.00` → `1`).
pub fn trim_float(y: f64) -> String {
    let s = format!("{y:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_hits_both_ends() {
        assert_eq!(linspace(-1.0, 1.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }

    #[test]
    fn padded_range_contains_the_data() {
        let r = padded_range([0.0, 1.0]);
        assert!(r.start < 0.0 && r.end > 1.0);
        let flat = padded_range([1.0, 1.0]);
        assert!(
            flat.start < 1.0 && flat.end > 1.0,
            "a constant still gets a range"
        );
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(trim_float(0.5), "0.5");
        assert_eq!(trim_float(1.0), "1");
        assert_eq!(trim_float(-0.0001), "0");
        assert_eq!(trim_float(0.25), "0.25");
    }
}
