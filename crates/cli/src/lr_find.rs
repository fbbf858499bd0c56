//! `nn lr-find`: the learning-rate range test (Smith 2015) on a fresh network.

use std::path::PathBuf;

use mlp::Mlp;
use trainer::lr_finder::{LrFinderConfig, LrFinderResult, lr_range_test};

use crate::args::LrFindArgs;
use crate::error::{CliError, CliResult};
use crate::output::shell_path;
use crate::report;
use crate::run_dir;
use crate::say;
use crate::setup::{self, DataSpec};

/// The CSV file of the sweep.
pub const CSV_FILE: &str = "lr_find.csv";
/// The picture of the sweep.
pub const SVG_FILE: &str = "lr_find.svg";

/// `step,lr,loss,smoothed`, one row per batch of the sweep.
pub fn sweep_csv(result: &LrFinderResult) -> String {
    let mut text = String::from("step,lr,loss,smoothed\n");
    for (i, ((lr, loss), smoothed)) in result
        .learning_rates
        .iter()
        .zip(&result.losses)
        .zip(&result.smoothed)
        .enumerate()
    {
        text.push_str(&format!("{},{lr},{loss},{smoothed}\n", i + 1));
    }
    text
}

/// About `rows` indices of the sweep, evenly spread, always with the first,
/// the last and the minimum of the smoothed loss.
pub fn table_rows(result: &LrFinderResult, rows: usize) -> Vec<usize> {
    let n = result.learning_rates.len();
    let minimum = result
        .learning_rates
        .iter()
        .position(|&lr| lr == result.min_loss_lr)
        .unwrap_or(0);
    let mut picked: Vec<usize> = (0..rows.max(2))
        .map(|k| k * (n - 1) / (rows.max(2) - 1))
        .chain([minimum])
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// Runs `nn lr-find`.
pub fn run(args: &LrFindArgs) -> CliResult {
    let data_spec = DataSpec::from_args(&args.data)?;
    let fractions = setup::fractions(&args.split.split)?;
    let optimizer = setup::optimizer(&args.optimizer)?;
    let start_lr = setup::positive("--start-lr", args.start_lr, "the first learning rate")?;
    let end_lr = setup::positive("--end-lr", args.end_lr, "the last learning rate")?;
    if end_lr <= start_lr {
        return Err(CliError::usage(format!(
            "invalid --end-lr {end_lr}: the sweep must end above --start-lr {start_lr}"
        )));
    }
    let steps = setup::count("--steps", args.steps, "the number of batches")?;
    if steps < 2 {
        return Err(CliError::usage(
            "invalid --steps 1: the sweep needs at least 2 batches",
        ));
    }
    let batch_size = setup::count("--batch-size", args.batch_size, "the batch size")?;

    let data = data_spec.load(args.seed)?;
    let (architecture, init) = setup::architecture(&args.model, &data)?;
    crate::limits::check_network(&architecture, batch_size.min(data.len()), &optimizer, false)?;
    let loss = setup::loss(&args.loss, architecture.head)?;
    let (parts, _) = setup::split_and_standardize(&data, fractions, args.seed)?;
    let model = Mlp::new(&architecture, init, args.seed).map_err(CliError::usage)?;
    let config = LrFinderConfig {
        start_lr,
        end_lr,
        steps,
        batch_size,
        optimizer,
        loss,
        seed: args.seed,
        ..LrFinderConfig::new(loss)
    };
    say!(
        "LR range test: {} on {} ({} training samples), {} loss, {}; η from {start_lr:e} to {end_lr:e} over {steps} batches of {batch_size}",
        crate::train::describe_architecture(&architecture),
        data.name(),
        parts.train.len(),
        loss.name(),
        config.optimizer.name()
    );
    let result = lr_range_test(&model, &parts.train, &config).map_err(setup::train_error)?;

    say!();
    say!(
        "  {:>5}  {:>10}  {:>10}  {:>10}",
        "batch",
        "η",
        "loss",
        "smoothed"
    );
    for i in table_rows(&result, 16) {
        let mark = if result.learning_rates[i] == result.min_loss_lr {
            "  <- lowest smoothed loss (η*)"
        } else {
            ""
        };
        say!(
            "  {:>5}  {:>10.3e}  {:>10.4}  {:>10.4}{mark}",
            i + 1,
            result.learning_rates[i],
            result.losses[i],
            result.smoothed[i]
        );
    }
    say!();
    if result.stopped_early {
        say!(
            "The loss blew up at η = {:.3e}, so the sweep stopped after {} of {steps} batches.",
            result.learning_rates.last().copied().unwrap_or(end_lr),
            result.learning_rates.len()
        );
    }
    say!(
        "Suggested learning rate: {:.1e}  (η*/10, where η* = {:.2e} gave the lowest smoothed loss)",
        result.suggestion,
        result.min_loss_lr
    );

    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("runs").join(format!("{}-lr-find", data_spec.short_name()))
    });
    run_dir::create_dir(&out)?;
    run_dir::write_file(&out.join(CSV_FILE), sweep_csv(&result).as_bytes())?;
    let series: Vec<(f64, f64)> = result
        .learning_rates
        .iter()
        .copied()
        .zip(result.smoothed.iter().copied())
        .collect();
    let title = format!(
        "LR range test, {}: {architecture}, {}, batch {batch_size}; suggested η = {:.1e}",
        data.name(),
        config.optimizer.name(),
        result.suggestion
    );
    report::lr_find_report(
        &out.join(SVG_FILE),
        &title,
        &series,
        Some(result.suggestion),
    )?;
    say!(
        "Wrote {}/{CSV_FILE} and {SVG_FILE}. Try: nn train --data {} --optimizer {} --lr {:.1e}",
        out.display(),
        shell_path(std::path::Path::new(&args.data.data)),
        config.optimizer.name(),
        result.suggestion
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result() -> LrFinderResult {
        let learning_rates: Vec<f64> = (0..10).map(|i| 10f64.powi(i - 6)).collect();
        LrFinderResult {
            losses: vec![2.0, 2.0, 1.9, 1.5, 1.0, 0.5, 0.4, 0.9, 3.0, 9.0],
            smoothed: vec![2.0, 2.0, 1.95, 1.8, 1.5, 1.1, 0.8, 0.85, 1.5, 3.0],
            min_loss_lr: learning_rates[6],
            steepest_lr: learning_rates[5],
            suggestion: learning_rates[6] / 10.0,
            stopped_early: true,
            learning_rates,
        }
    }

    #[test]
    fn csv_has_a_row_per_batch() {
        let text = sweep_csv(&result());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], "step,lr,loss,smoothed");
        assert_eq!(lines[7], "7,1,0.4,0.8");
    }

    #[test]
    fn table_keeps_ends_and_minimum() {
        let rows = table_rows(&result(), 4);
        assert_eq!(rows, vec![0, 3, 6, 9]);
        let rows = table_rows(&result(), 3);
        assert_eq!(rows, vec![0, 4, 6, 9]);
    }
}
