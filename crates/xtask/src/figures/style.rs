//! The look shared by all figures: colours, fonts, one function plot panel.

use crate::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

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

/// Very light grey for the grid behind plots with axis labels.
pub const GRID: RGBColor = RGBColor(228, 228, 228);

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

/// A curve with a name for the legend.
pub struct Series {
    /// What the legend says.
    pub label: String,
    /// The `(x, y)` points; those outside the plot's ranges are clipped.
    pub points: Vec<(f64, f64)>,
    /// Line colour.
    pub color: RGBColor,
    /// Dashed instead of solid.
    pub dashed: bool,
}

impl Series {
    /// A solid curve.
    pub fn solid(label: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Series {
            label: label.into(),
            points,
            color,
            dashed: false,
        }
    }

    /// The same curve, dashed.
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }
}

/// A plot with fixed ranges, axis descriptions and a legend.
pub struct LinePlot<'a> {
    /// Caption above the plot.
    pub title: &'a str,
    /// What the x axis measures.
    pub x_desc: &'a str,
    /// What the y axis measures.
    pub y_desc: &'a str,
    /// Shown x values.
    pub x_range: Range<f64>,
    /// Shown y values (curves leaving it are cut at its edge).
    pub y_range: Range<f64>,
    /// The curves, drawn in order.
    pub series: &'a [Series],
    /// Where the legend goes.
    pub legend: SeriesLabelPosition,
    /// Logarithmic x axis (the range and points stay in data units).
    pub log_x: bool,
    /// Logarithmic y axis.
    pub log_y: bool,
}

impl LinePlot<'_> {
    /// `v` as placed on an axis: itself, or $\log_{10} v$ on a logarithmic
    /// one (NaN for $v \le 0$, which ends a curve's piece).
    fn place(log: bool, v: f64) -> f64 {
        match log {
            false => v,
            true if v > 0.0 => v.log10(),
            true => f64::NAN,
        }
    }

    /// The x range as placed on the axis.
    pub fn placed_x_range(&self) -> Range<f64> {
        Self::place(self.log_x, self.x_range.start)..Self::place(self.log_x, self.x_range.end)
    }

    /// The y range as placed on the axis.
    pub fn placed_y_range(&self) -> Range<f64> {
        Self::place(self.log_y, self.y_range.start)..Self::place(self.log_y, self.y_range.end)
    }

    /// A data point as placed in the plot.
    pub fn placed(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (Self::place(self.log_x, x), Self::place(self.log_y, y))
    }
}

/// Draws `plot` into `area`: light grid, labelled axes, the curves clipped
/// to the ranges, and a legend.
pub fn line_plot(area: &DrawingArea<SVGBackend<'_>, Shift>, plot: &LinePlot<'_>) -> Result {
    let (x_range, y_range) = (plot.placed_x_range(), plot.placed_y_range());
    let mut chart = ChartBuilder::on(area)
        .caption(plot.title, (FONT, 17))
        .margin(10)
        .x_label_area_size(38)
        .y_label_area_size(48)
        .build_cartesian_2d(x_range.clone(), y_range.clone())?;
    let label = |log: bool, v: f64| if log { pow10_label(v) } else { trim_float(v) };
    chart
        .configure_mesh()
        .x_labels(if plot.log_x { 12 } else { 6 })
        .y_labels(if plot.log_y { 12 } else { 6 })
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 13))
        .x_desc(plot.x_desc)
        .y_desc(plot.y_desc)
        .x_label_formatter(&|x| label(plot.log_x, *x))
        .y_label_formatter(&|y| label(plot.log_y, *y))
        .draw()?;
    for series in plot.series {
        let style = series.color.stroke_width(2);
        let placed: Vec<(f64, f64)> = series.points.iter().map(|&p| plot.placed(p)).collect();
        let pieces = clip_polyline(&placed, &x_range, &y_range);
        let drawn = if series.dashed {
            chart.draw_series(
                pieces
                    .into_iter()
                    .flat_map(|piece| DashedLineSeries::new(piece, 6, 4, style)),
            )?
        } else {
            chart.draw_series(
                pieces
                    .into_iter()
                    .map(|piece| PathElement::new(piece, style)),
            )?
        };
        let dashed = series.dashed;
        drawn.label(&series.label).legend(move |(x, y)| {
            let end = if dashed { x + 8 } else { x + 20 };
            PathElement::new(vec![(x, y), (end, y)], style)
        });
    }
    legend(&mut chart, plot.legend.clone())?;
    Ok(())
}

/// Draws the legend of `chart`'s labelled series at `position`.
pub fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    position: SeriesLabelPosition,
) -> Result {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(AXIS)
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

/// Cuts a polyline at the edges of the box `x_range × y_range`: the pieces
/// inside it, in order. A non-finite point ends the current piece.
pub fn clip_polyline(
    points: &[(f64, f64)],
    x_range: &Range<f64>,
    y_range: &Range<f64>,
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let finite = p.0.is_finite() && p.1.is_finite() && q.0.is_finite() && q.1.is_finite();
        match finite
            .then(|| clip_segment(p, q, x_range, y_range))
            .flatten()
        {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current = vec![a];
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// The part of the segment `p`–`q` inside the box (Liang–Barsky), if any.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    x_range: &Range<f64>,
    y_range: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    // each edge as (−direction, distance from p to the edge)
    for (denominator, numerator) in [
        (-dx, p.0 - x_range.start),
        (dx, x_range.end - p.0),
        (-dy, p.1 - y_range.start),
        (dy, y_range.end - p.1),
    ] {
        if denominator == 0.0 {
            if numerator < 0.0 {
                return None; // parallel to this edge and outside it
            }
        } else {
            let t = numerator / denominator;
            if denominator < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            p
        } else if t == 1.0 {
            q
        } else {
            (p.0 + t * dx, p.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// A tick label without trailing zeros (`0.50` → `0.5`, `1.00` → `1`).
pub fn trim_float(y: f64) -> String {
    let s = format!("{y:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A tick label for an axis that shows $\log_{10}$ of a quantity: `-3` →
/// `10⁻³`, `0` → `1`, `1` → `10`; non-integer ticks get no label.
pub fn pow10_label(k: f64) -> String {
    if (k - k.round()).abs() > 1e-9 {
        return String::new();
    }
    let k = k.round() as i64;
    match k {
        0 => "1".into(),
        1 => "10".into(),
        _ => {
            let digits: String = k
                .abs()
                .to_string()
                .chars()
                .map(|d| {
                    "⁰¹²³⁴⁵⁶⁷⁸⁹"
                        .chars()
                        .nth(d as usize - '0' as usize)
                        .unwrap_or(d)
                })
                .collect();
            format!("10{}{digits}", if k < 0 { "⁻" } else { "" })
        }
    }
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
    fn clipping_keeps_only_what_is_inside_and_splits_at_exits() {
        let (xr, yr) = (0.0..1.0, 0.0..1.0);
        // in, out through the top, back in, and a NaN that ends a piece
        let points = [
            (0.1, 0.5),
            (0.5, 0.5),
            (0.5, 2.0),
            (0.9, 0.0),
            (0.9, 0.1),
            (f64::NAN, 0.0),
            (0.2, 0.2),
            (0.3, 0.3),
        ];
        let pieces = clip_polyline(&points, &xr, &yr);
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        assert_eq!(pieces[0], vec![(0.1, 0.5), (0.5, 0.5), (0.5, 1.0)]);
        let entry = pieces[1][0];
        assert!((entry.0 - 0.7).abs() < 1e-12 && entry.1 == 1.0, "{entry:?}");
        assert_eq!(pieces[1][1..], [(0.9, 0.0), (0.9, 0.1)]);
        assert_eq!(pieces[2], vec![(0.2, 0.2), (0.3, 0.3)]);
        for p in pieces.iter().flatten() {
            assert!((0.0..=1.0).contains(&p.0) && (0.0..=1.0).contains(&p.1));
        }
        assert!(clip_polyline(&[(2.0, 2.0), (3.0, 3.0)], &xr, &yr).is_empty());
    }

    #[test]
    fn powers_of_ten_are_labelled_with_superscripts() {
        assert_eq!(pow10_label(-3.0), "10⁻³");
        assert_eq!(pow10_label(0.0), "1");
        assert_eq!(pow10_label(1.0), "10");
        assert_eq!(pow10_label(12.0), "10¹²");
        assert_eq!(pow10_label(0.5), "");
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(trim_float(0.5), "0.5");
        assert_eq!(trim_float(1.0), "1");
        assert_eq!(trim_float(-0.0001), "0");
        assert_eq!(trim_float(0.25), "0.25");
    }
}
