//! The side-by-side table: workload, ours, PyTorch, micrograd, ratios, target.
//!
//! Every cell is either a measured number, or says plainly why there is
//! none ("pending: …", "failed: …", "—"): the table never shows a number
//! that was not measured in this run.

use std::fmt::Write;

use crate::peer::{Measurement, Unit};

/// One cell of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number measured in this run (the best round).
    Measured(f64),
    /// Not measurable yet, with the reason (e.g. the trainer has not landed).
    Pending(String),
    /// The measurement was tried and failed, with the reason.
    Failed(String),
    /// Not run in this invocation (e.g. `--no-peers`), with the reason.
    NotRun(String),
    /// This side has no such workload.
    Absent,
}

impl Cell {
    /// The number, if one was measured.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Measured(v) => Some(*v),
            _ => None,
        }
    }

    /// The best round of `m`, or [`Cell::Absent`] if there is no measurement.
    pub fn from_measurement(m: Option<&Measurement>) -> Self {
        m.map_or(Cell::Absent, |m| Cell::Measured(m.best))
    }

    fn render(&self, unit: Unit) -> String {
        match self {
            Cell::Measured(v) => format_value(*v, unit),
            Cell::Pending(why) => format!("pending ({why})"),
            Cell::Failed(why) => format!("failed ({why})"),
            Cell::NotRun(why) => format!("not run ({why})"),
            Cell::Absent => "—".to_owned(),
        }
    }
}

/// What ours must meet: an upper bound on a time (or lower bound on a
/// rate), a speed-up over PyTorch measured in the same run, or both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The bound, in the row's unit.
    pub bound: Option<f64>,
    /// How many times faster than PyTorch ours must be (1.0: no slower).
    pub speedup_over_pytorch: Option<f64>,
}

impl Target {
    /// A bound alone.
    pub fn bound(bound: f64) -> Self {
        Target {
            bound: Some(bound),
            speedup_over_pytorch: None,
        }
    }

    /// A speed-up over PyTorch alone.
    pub fn faster_than_pytorch(times: f64) -> Self {
        Target {
            bound: None,
            speedup_over_pytorch: Some(times),
        }
    }

    /// Whether `ours` meets the target, or `None` while ours is not measured
    /// (or PyTorch is needed and missing).
    pub fn met(&self, unit: Unit, ours: &Cell, pytorch: &Cell) -> Option<bool> {
        let ours = ours.value()?;
        let within_bound = self.bound.is_none_or(|bound| within(unit, ours, bound));
        let against_pytorch = match self.speedup_over_pytorch {
            Some(times) => unit.speedup(ours, pytorch.value()?) >= times,
            None => true,
        };
        Some(within_bound && against_pytorch)
    }

    fn render(&self, unit: Unit, ours: &Cell, pytorch: &Cell) -> String {
        let sign = if unit.is_time() { "≤" } else { "≥" };
        let mut parts = Vec::new();
        if let Some(bound) = self.bound {
            parts.push(format!("{sign} {}", format_value(bound, unit)));
        }
        match self.speedup_over_pytorch {
            Some(1.0) => parts.push("≤ PyTorch".to_owned()),
            Some(times) => parts.push(format!("≥ {times:.1}× faster than PyTorch")),
            None => {}
        }
        let verdict = match (self.met(unit, ours, pytorch), ours.value()) {
            (Some(true), _) => ": met".to_owned(),
            (Some(false), Some(v)) => match self.bound {
                Some(bound) if !within(unit, v, bound) => {
                    let by = if unit.is_time() { v / bound } else { bound / v };
                    format!(": MISSED ({by:.2}× the bound)")
                }
                _ => {
                    let speedup = pytorch.value().map_or(0.0, |p| unit.speedup(v, p));
                    if speedup < 1.0 {
                        ": MISSED (slower than PyTorch)".to_owned()
                    } else {
                        format!(": MISSED (only {speedup:.2}× faster)")
                    }
                }
            },
            _ => String::new(),
        };
        parts.join(" and ") + &verdict
    }
}

fn within(unit: Unit, ours: f64, bound: f64) -> bool {
    if unit.is_time() {
        ours <= bound
    } else {
        ours >= bound
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was run, e.g. `"MLP 784-256-10, epoch, f64"`.
    pub workload: String,
    /// The unit of every number in the row.
    pub unit: Unit,
    /// Our result.
    pub ours: Cell,
    /// PyTorch's result.
    pub pytorch: Cell,
    /// micrograd's result.
    pub micrograd: Cell,
    /// The target for ours, if it sets one.
    pub target: Option<Target>,
    /// Anything else worth a column (e.g. the fraction of the FMA limit).
    pub note: String,
}

impl Row {
    /// A row with only our number (no peer, no target, no note).
    pub fn ours(workload: impl Into<String>, unit: Unit, ours: Cell) -> Self {
        Self {
            workload: workload.into(),
            unit,
            ours,
            pytorch: Cell::Absent,
            micrograd: Cell::Absent,
            target: None,
            note: String::new(),
        }
    }
}

/// A number in the unit's natural scale: `1.23 s`, `45.6 µs`,
/// `0.052 µs/node`, `61.2 GFLOP/s`.
pub fn format_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Gflops => format!("{v:.1} GFLOP/s"),
        Unit::SecondsPerNode => format!("{:.3} µs/node", v * 1e6),
        Unit::SecondsPerEpoch | Unit::SecondsPerStep => {
            let per = if unit == Unit::SecondsPerStep {
                "/step"
            } else {
                "/epoch"
            };
            if v >= 1.0 {
                format!("{v:.2} s{per}")
            } else if v >= 1e-3 {
                format!("{:.1} ms{per}", v * 1e3)
            } else {
                format!("{:.1} µs{per}", v * 1e6)
            }
        }
    }
}

/// `ours` against `theirs`: `"2.10× faster"`, `"1.85× slower"`, or `"—"`
/// when either is missing.
pub fn format_ratio(unit: Unit, ours: &Cell, theirs: &Cell) -> String {
    match (ours.value(), theirs.value()) {
        (Some(o), Some(t)) => {
            let s = unit.speedup(o, t);
            if s >= 1.0 {
                format!("{s:.2}× faster")
            } else {
                format!("{:.2}× slower", 1.0 / s)
            }
        }
        _ => "—".to_owned(),
    }
}

/// The rows as a Markdown table (pastes into README.md and the book).
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| workload | ours | PyTorch | micrograd | ours vs PyTorch | ours vs micrograd | target | note |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let target = r
            .target
            .map_or_else(String::new, |t| t.render(r.unit, &r.ours, &r.pytorch));
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.workload,
            r.ours.render(r.unit),
            r.pytorch.render(r.unit),
            r.micrograd.render(r.unit),
            format_ratio(r.unit, &r.ours, &r.pytorch),
            format_ratio(r.unit, &r.ours, &r.micrograd),
            target,
            r.note,
        )
        .expect("writing to a String cannot fail");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_printed_in_their_natural_scale() {
        let cases = [
            (1.66, Unit::SecondsPerEpoch, "1.66 s/epoch"),
            (0.88, Unit::SecondsPerEpoch, "880.0 ms/epoch"),
            (7.5e-4, Unit::SecondsPerStep, "750.0 µs/step"),
            (4.9e-6, Unit::SecondsPerNode, "4.900 µs/node"),
            (61.24, Unit::Gflops, "61.2 GFLOP/s"),
        ];
        for (v, unit, text) in cases {
            assert_eq!(format_value(v, unit), text);
        }
    }

    #[test]
    fn ratios_say_which_side_is_faster() {
        let (fast, slow) = (Cell::Measured(1.0), Cell::Measured(2.0));
        assert_eq!(
            format_ratio(Unit::SecondsPerEpoch, &fast, &slow),
            "2.00× faster"
        );
        assert_eq!(
            format_ratio(Unit::SecondsPerEpoch, &slow, &fast),
            "2.00× slower"
        );
        assert_eq!(format_ratio(Unit::Gflops, &slow, &fast), "2.00× faster");
        let pending = Cell::Pending("trainer".into());
        assert_eq!(format_ratio(Unit::SecondsPerEpoch, &pending, &slow), "—");
    }

    #[test]
    fn targets_are_judged_on_bound_and_pytorch() {
        let t = Target {
            bound: Some(1.0),
            speedup_over_pytorch: Some(1.0),
        };
        let unit = Unit::SecondsPerEpoch;
        let torch = Cell::Measured(1.6);
        assert_eq!(t.met(unit, &Cell::Measured(0.9), &torch), Some(true));
        assert_eq!(t.met(unit, &Cell::Measured(1.1), &torch), Some(false));
        assert_eq!(
            t.met(unit, &Cell::Measured(0.9), &Cell::Measured(0.8)),
            Some(false)
        );
        assert_eq!(t.met(unit, &Cell::Pending("x".into()), &torch), None);
        assert_eq!(t.met(unit, &Cell::Measured(0.9), &Cell::Absent), None);
        assert_eq!(
            t.render(unit, &Cell::Measured(1.25), &torch),
            "≤ 1.00 s/epoch and ≤ PyTorch: MISSED (1.25× the bound)"
        );
        assert_eq!(
            t.render(unit, &Cell::Measured(0.9), &Cell::Measured(0.8)),
            "≤ 1.00 s/epoch and ≤ PyTorch: MISSED (slower than PyTorch)"
        );
        let rate = Target::bound(50.0);
        assert_eq!(
            rate.met(Unit::Gflops, &Cell::Measured(60.0), &Cell::Absent),
            Some(true)
        );
        assert_eq!(
            rate.render(Unit::Gflops, &Cell::Measured(25.0), &Cell::Absent),
            "≥ 50.0 GFLOP/s: MISSED (2.00× the bound)"
        );
        let faster = Target::faster_than_pytorch(1.4);
        assert_eq!(faster.met(unit, &Cell::Measured(1.0), &torch), Some(true));
        assert_eq!(
            faster.render(unit, &Cell::Measured(1.25), &torch),
            "≥ 1.4× faster than PyTorch: MISSED (only 1.28× faster)"
        );
        assert_eq!(
            faster.render(unit, &Cell::Measured(2.0), &torch),
            "≥ 1.4× faster than PyTorch: MISSED (slower than PyTorch)"
        );
    }

    #[test]
    fn the_table_says_pending_instead_of_inventing_a_number() {
        let mut row = Row::ours(
            "MLP 784-256-10, epoch, f64",
            Unit::SecondsPerEpoch,
            Cell::Pending("mlp trainer not landed".into()),
        );
        row.pytorch = Cell::Measured(1.66);
        row.target = Some(Target {
            bound: Some(1.0),
            speedup_over_pytorch: Some(1.0),
        });
        let table = markdown(&[row]);
        let line = table.lines().nth(2).unwrap();
        assert_eq!(
            line,
            "| MLP 784-256-10, epoch, f64 | pending (mlp trainer not landed) | 1.66 s/epoch | — | — | — | ≤ 1.00 s/epoch and ≤ PyTorch |  |"
        );
    }
}
