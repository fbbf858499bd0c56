//! Every schedule tabulated over the same steps: the data behind
//! `cargo run -p schedulers --example schedule_table` and the book's figure.

use crate::{CyclicPolicy, ScheduleConfig};
use std::io::{self, Write};

/// One value of one schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Step $t$ (0 is the first).
    pub step: usize,
    /// The schedule's label (see [`schedules`]).
    pub schedule: &'static str,
    /// $\eta_t$.
    pub learning_rate: f64,
}

/// The schedules of the table, labelled, all with peak $\eta = 0.1$ and
/// sized for 100 steps: step decay halving every 25 steps; cosine from 0.1
/// to 0.001 over 100 steps; a 10-step linear and a 10-step exponential
/// warmup from 1% into cosine over the remaining 90; the three cyclic
/// policies with half-cycles of 10 steps between 0.001 and 0.1.
pub fn schedules() -> Vec<(&'static str, ScheduleConfig)> {
    let cosine = |total_steps| ScheduleConfig::CosineAnnealing {
        eta_min: 0.001,
        eta_max: 0.1,
        total_steps,
    };
    let cyclic = |policy| ScheduleConfig::Cyclic {
        base_lr: 0.001,
        max_lr: 0.1,
        step_size: 10,
        step_size_down: None,
        policy,
    };
    vec![
        ("constant", ScheduleConfig::Constant { eta: 0.1 }),
        (
            "step_decay",
            ScheduleConfig::StepDecay {
                eta0: 0.1,
                gamma: 0.5,
                step_size: 25,
            },
        ),
        ("cosine_annealing", cosine(100)),
        (
            "linear_warmup_cosine",
            ScheduleConfig::LinearWarmup {
                warmup_steps: 10,
                start_factor: 0.01,
                then: Box::new(cosine(90)),
            },
        ),
        (
            "exponential_warmup_cosine",
            ScheduleConfig::ExponentialWarmup {
                warmup_steps: 10,
                start_factor: 0.01,
                then: Box::new(cosine(90)),
            },
        ),
        ("cyclic_triangular", cyclic(CyclicPolicy::Triangular)),
        ("cyclic_triangular2", cyclic(CyclicPolicy::Triangular2)),
        (
            "cyclic_exp_range",
            cyclic(CyclicPolicy::ExpRange { gamma: 0.98 }),
        ),
    ]
}

/// Every schedule of [`schedules`] at steps $0, 1, \dots, \text{steps} - 1$,
/// schedule by schedule.
pub fn table(steps: usize) -> Vec<TableRow> {
    let mut rows = Vec::with_capacity(steps * 8);
    for (label, config) in schedules() {
        let schedule = config.build().expect("the table's parameters are valid");
        rows.extend((0..steps).map(|step| TableRow {
            step,
            schedule: label,
            learning_rate: schedule.learning_rate(step),
        }));
    }
    rows
}

/// Writes `rows` as CSV with the header `step,schedule,learning_rate`.
pub fn write_csv(rows: &[TableRow], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "step,schedule,learning_rate")?;
    for r in rows {
        writeln!(out, "{},{},{}", r.step, r.schedule, r.learning_rate)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_schedule_is_in_the_table() {
        let kinds: std::collections::BTreeSet<_> =
            schedules().iter().map(|(_, c)| c.name()).collect();
        assert_eq!(kinds.len(), ScheduleConfig::NAMES.len(), "{kinds:?}");
        let rows = table(100);
        assert_eq!(rows.len(), 100 * schedules().len());
        assert!(
            rows.iter()
                .all(|r| r.learning_rate > 0.0 && r.learning_rate <= 0.1 + 1e-15)
        );
    }

    #[test]
    fn csv_starts_with_the_header_and_step_zero() {
        let mut out = Vec::new();
        write_csv(&table(2), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "step,schedule,learning_rate");
        assert_eq!(lines[1], "0,constant,0.1");
        assert_eq!(lines.len(), 1 + 2 * schedules().len());
    }
}
