//! SVG pictures of a run, drawn with plotters: `report.svg` (loss,
//! accuracy and learning rate per epoch) and `lr_find.svg` (loss against
//! learning rate).
//!
//! Text is written as SVG `<text>` in a generic `sans-serif` family, so the
//! picture needs no font on the machine that draws it (plotters is built
//! without its font-rendering features: no fontconfig, no FreeType) and the
//! viewer picks the face.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use trainer::EpochRecord;

use crate::error::{CliError, CliResult};

/// The font family of every label.
const FONT: &str = "sans-serif";

/// Okabe–Ito colours (readable with colour-blindness): train, validation, η.
const TRAIN: RGBColor = RGBColor(0, 114, 178);
const VALIDATION: RGBColor = RGBColor(213, 94, 0);
const RATE: RGBColor = RGBColor(0, 158, 115);
const GREY: RGBColor = RGBColor(90, 90, 90);

/// A drawing error as one line.
fn draw_error(path: &Path, err: impl std::fmt::Display) -> CliError {
    CliError::runtime(format!("cannot draw {}: {err}", path.display()))
}

/// One curve of a panel.
struct Curve<'a> {
    label: &'a str,
    points: Vec<(f64, f64)>,
    color: RGBColor,
    dashed: bool,
}

/// `lo..hi` of the values, widened a little (and never empty).
fn padded(values: impl Iterator<Item = f64>, log: bool) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return if log { 0.1..1.0 } else { 0.0..1.0 };
    }
    if log {
        let (lo, hi) = (lo.ln(), hi.ln());
        let pad = ((hi - lo) * 0.06).max(0.05);
        (lo - pad).exp()..(hi + pad).exp()
    } else {
        let pad = ((hi - lo) * 0.06).max(1e-3 * hi.abs().max(1e-12));
        (lo - pad)..(hi + pad)
    }
}

/// Tick labels without noise: `0.5`, `1e-3`, `120`.
fn tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-2..1e4).contains(&a) {
        let s = format!("{v:.0e}");
        return s.replace("e-0", "e-").replace("e0", "");
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What a panel shows besides its curves.
struct Axes<'a> {
    title: &'a str,
    x_label: &'a str,
    x_range: Range<f64>,
    log_x: bool,
    log_y: bool,
    legend: SeriesLabelPosition,
}

impl<'a> Axes<'a> {
    /// Linear axes over the epochs `x_range`, legend at the upper right.
    fn epochs(title: &'a str, x_range: Range<f64>) -> Self {
        Self {
            title,
            x_label: "epoch",
            x_range,
            log_x: false,
            log_y: false,
            legend: SeriesLabelPosition::UpperRight,
        }
    }
}

/// Draws one chart: title, axes with labels, the curves and a legend.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    axes: Axes<'_>,
    curves: &[Curve<'_>],
) -> Result<(), String> {
    let Axes {
        title,
        x_label,
        x_range,
        log_x,
        log_y,
        legend,
    } = axes;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let y_range = padded(
        curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)),
        log_y,
    );
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, (FONT, 18))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(52);
    macro_rules! draw_on {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .x_labels(6)
                .y_labels(6)
                .light_line_style(RGBColor(235, 235, 235))
                .bold_line_style(RGBColor(215, 215, 215))
                .label_style((FONT, 12))
                .x_desc(x_label)
                .axis_desc_style((FONT, 13))
                .x_label_formatter(&|x| tick(*x))
                .y_label_formatter(&|y| tick(*y))
                .draw()
                .map_err(err)?;
            for curve in curves {
                let style = curve.color.stroke_width(2);
                let points = curve
                    .points
                    .iter()
                    .copied()
                    .filter(|p| p.1.is_finite() && (!log_y || p.1 > 0.0));
                let series = if curve.dashed {
                    chart
                        .draw_series(DashedLineSeries::new(points, 7, 4, style))
                        .map_err(err)?
                } else {
                    chart
                        .draw_series(LineSeries::new(points, style))
                        .map_err(err)?
                };
                let color = curve.color;
                series.label(curve.label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(2))
                });
            }
            chart
                .configure_series_labels()
                .position(legend.clone())
                .label_font((FONT, 13))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .draw()
                .map_err(err)?;
        }};
    }
    match (log_x, log_y) {
        (false, false) => draw_on!(builder.build_cartesian_2d(x_range, y_range).map_err(err)?),
        (false, true) => draw_on!(
            builder
                .build_cartesian_2d(x_range, y_range.log_scale())
                .map_err(err)?
        ),
        (true, false) => draw_on!(
            builder
                .build_cartesian_2d(x_range.log_scale(), y_range)
                .map_err(err)?
        ),
        (true, true) => draw_on!(
            builder
                .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())
                .map_err(err)?
        ),
    }
    Ok(())
}

/// `report.svg`: the loss (log scale), the accuracy (for classes) and the
/// learning rate, per epoch; `title` names the run.
pub fn training_report(path: &Path, title: &str, history: &[EpochRecord]) -> CliResult {
    let svg = training_svg(title, history).map_err(|e| draw_error(path, e))?;
    crate::run_dir::write_file(path, svg.as_bytes())
}

/// The SVG text of [`training_report`].
pub fn training_svg(title: &str, history: &[EpochRecord]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1200, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (head, body) = root.split_vertically(34);
        head.draw(&Text::new(
            title,
            (14, 9),
            (FONT, 16).into_font().color(&GREY),
        ))
        .map_err(|e| e.to_string())?;
        let classification = history.iter().any(|r| r.train_accuracy.is_some());
        let columns = if classification { 3 } else { 2 };
        let panels = body.split_evenly((1, columns));
        let last = history.last().map_or(1, |r| r.epoch).max(2) as f64;
        let x_range = history.first().map_or(1, |r| r.epoch) as f64..last;
        let series = |f: &dyn Fn(&EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
            history
                .iter()
                .filter_map(|r| f(r).map(|v| (r.epoch as f64, v)))
                .collect()
        };
        let pair = |train: Vec<(f64, f64)>, val: Vec<(f64, f64)>| {
            let mut curves = vec![Curve {
                label: "train",
                points: train,
                color: TRAIN,
                dashed: false,
            }];
            if !val.is_empty() {
                curves.push(Curve {
                    label: "validation",
                    points: val,
                    color: VALIDATION,
                    dashed: true,
                });
            }
            curves
        };
        let loss = pair(series(&|r| Some(r.train_loss)), series(&|r| r.val_loss));
        let positive = loss.iter().all(|c| c.points.iter().all(|p| p.1 > 0.0));
        let title = if positive {
            "loss L (log scale)"
        } else {
            "loss L"
        };
        let axes = Axes {
            log_y: positive,
            ..Axes::epochs(title, x_range.clone())
        };
        panel(&panels[0], axes, &loss)?;
        let mut next = 1;
        if classification {
            let acc = pair(
                series(&|r| r.train_accuracy.map(|a| 100.0 * a)),
                series(&|r| r.val_accuracy.map(|a| 100.0 * a)),
            );
            let axes = Axes {
                legend: SeriesLabelPosition::LowerRight,
                ..Axes::epochs("accuracy, %", x_range.clone())
            };
            panel(&panels[1], axes, &acc)?;
            next = 2;
        }
        let rate = [Curve {
            label: "η (last batch)",
            points: series(&|r| Some(r.learning_rate)),
            color: RATE,
            dashed: false,
        }];
        panel(
            &panels[next],
            Axes::epochs("learning rate η", x_range),
            &rate,
        )?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// `lr_find.svg`: the loss of each batch against its learning rate (log
/// scale), with a vertical line at the suggested rate.
pub fn lr_find_report(
    path: &Path,
    title: &str,
    series: &[(f64, f64)],
    suggested: Option<f64>,
) -> CliResult {
    let svg = lr_find_svg(title, series, suggested).map_err(|e| draw_error(path, e))?;
    crate::run_dir::write_file(path, svg.as_bytes())
}

/// The SVG text of [`lr_find_report`].
pub fn lr_find_svg(
    title: &str,
    series: &[(f64, f64)],
    suggested: Option<f64>,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (head, body) = root.split_vertically(34);
        head.draw(&Text::new(
            title,
            (14, 9),
            (FONT, 16).into_font().color(&GREY),
        ))
        .map_err(|e| e.to_string())?;
        let finite: Vec<(f64, f64)> = series.iter().copied().filter(|p| p.1.is_finite()).collect();
        let lo = finite.first().map_or(1e-6, |p| p.0);
        let hi = finite.last().map_or(1.0, |p| p.0).max(lo * 10.0);
        let mut curves = vec![Curve {
            label: "smoothed loss",
            points: finite.clone(),
            color: TRAIN,
            dashed: false,
        }];
        if let Some(eta) = suggested {
            let ys = padded(finite.iter().map(|p| p.1), false);
            curves.push(Curve {
                label: "suggested η",
                points: vec![(eta, ys.start), (eta, ys.end)],
                color: VALIDATION,
                dashed: true,
            });
        }
        let axes = Axes {
            title: "smoothed loss L against learning rate η",
            x_label: "learning rate η (log scale)",
            x_range: lo..hi,
            log_x: true,
            log_y: false,
            legend: SeriesLabelPosition::UpperLeft,
        };
        panel(&body, axes, &curves)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(n: usize) -> Vec<EpochRecord> {
        (1..=n)
            .map(|epoch| EpochRecord {
                epoch,
                train_loss: 1.0 / epoch as f64,
                train_accuracy: Some(1.0 - 0.5 / epoch as f64),
                val_loss: Some(1.2 / epoch as f64),
                val_accuracy: Some(1.0 - 0.6 / epoch as f64),
                learning_rate: 1e-3,
                steps: 10 * epoch as u64,
            })
            .collect()
    }

    #[test]
    fn report_has_three_panels_with_titles_and_legends() {
        let svg = training_svg("digits: 64-128-10", &history(5)).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..60]);
        for text in [
            "digits: 64-128-10",
            "loss L",
            "accuracy, %",
            "learning rate η",
            "validation",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        // three polylines per panel pair (train, validation) + η
        assert!(svg.matches("<polyline").count() >= 3);
    }

    #[test]
    fn regression_report_has_no_accuracy_panel_and_one_epoch_works() {
        let mut h = history(1);
        h[0].train_accuracy = None;
        h[0].val_accuracy = None;
        let svg = training_svg("sine", &h).unwrap();
        assert!(!svg.contains("accuracy"));
        assert!(svg.contains("loss L"));
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(120.0), "120");
        assert_eq!(tick(0.001), "1e-3");
        assert_eq!(tick(0.0), "0");
    }
}
