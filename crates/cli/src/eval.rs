//! `nn eval`: a saved model on a data set — loss, accuracy and the
//! confusion matrix.

use std::path::{Path, PathBuf};

use datasets::{self as data, Dataset, Fractions};
use mlp::Mlp;
use trainer::{SavedModel, evaluate, load_model};

use crate::args::{EvalArgs, PartArg};
use crate::error::{CliError, CliResult};
use crate::output::shell_path;
use crate::progress::percent;
use crate::run_dir::{CHECKPOINT_DIR, MODEL_FILE, RUN_FILE, RunFile, RunSpec, Status};
use crate::say;
use crate::setup::{self, DataSpec};

/// The model file and the run folder it belongs to, if any.
fn locate(given: &Path) -> (PathBuf, Option<PathBuf>) {
    if given.is_dir() {
        (given.join(MODEL_FILE), Some(given.to_path_buf()))
    } else {
        let dir = given
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .filter(|dir| dir.join(RUN_FILE).is_file())
            .map(Path::to_path_buf);
        (given.to_path_buf(), dir)
    }
}

/// `C[i][j]`: how many samples of true class `i` were predicted as `j`.
pub fn confusion_matrix(
    labels: &[usize],
    predicted: &[usize],
    n_classes: usize,
) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0; n_classes]; n_classes];
    for (&truth, &guess) in labels.iter().zip(predicted) {
        matrix[truth][guess] += 1;
    }
    matrix
}

/// The matrix as a table with the class names as row and column headings.
pub fn format_confusion(matrix: &[Vec<usize>], names: &[String]) -> Vec<String> {
    let widest_count = matrix
        .iter()
        .flatten()
        .max()
        .map_or(1, |m| m.to_string().len());
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(1)
        .max(widest_count)
        + 1;
    let label_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(1);
    let mut lines = Vec::with_capacity(matrix.len() + 1);
    let mut head = format!("{:>label_width$} ", "");
    for name in names {
        head.push_str(&format!("{name:>width$}"));
    }
    lines.push(head);
    for (name, row) in names.iter().zip(matrix) {
        let mut line = format!("{name:>label_width$} ");
        for count in row {
            line.push_str(&format!("{count:>width$}"));
        }
        lines.push(line);
    }
    lines
}

/// The rows of `part` of `dataset`, split as the run split it.
fn select_part(dataset: &Dataset, part: PartArg, spec: Option<&RunSpec>) -> CliResult<Dataset> {
    if part == PartArg::All {
        return Ok(dataset.clone());
    }
    let spec = spec.ok_or_else(|| {
        CliError::usage("--part train/validation/test needs the run's split, from the run.json beside the model; use --part all")
    })?;
    let [train, validation, test] = spec.split;
    let fractions = Fractions::new(train, validation, test).map_err(CliError::runtime)?;
    let parts = data::split(dataset, fractions, spec.seed).map_err(CliError::runtime)?;
    Ok(match part {
        PartArg::Train => parts.train,
        PartArg::Validation => parts.validation,
        _ => parts.test,
    })
}

/// The run's settings, once its folder is verified to be one complete,
/// finished run ([`RunFile::verify`]).
fn finished_run(dir: &Path) -> CliResult<RunFile> {
    let run = RunFile::verify(dir)?;
    match run.status {
        Status::Finished => Ok(run),
        Status::Interrupted { epoch } => Err(CliError::runtime(format!(
            "{} holds an interrupted run ({epoch} of {} epochs done) and no final model yet; resume first: nn resume {}",
            shell_path(dir),
            run.spec.epochs,
            shell_path(dir)
        ))),
    }
}

/// The run's settings and its model, read as one. `nn train` may commit a
/// new state of the folder while `nn eval` reads it (the swap is atomic,
/// but two reads are not): if `run.json` changed between the verification
/// and the model's loading, the reads are repeated, so the settings of one
/// run are never paired with the model of another.
fn read_run(dir: Option<&Path>, model_path: &Path) -> CliResult<(Option<RunSpec>, SavedModel)> {
    let Some(dir) = dir else {
        return Ok((None, load_model(model_path).map_err(CliError::runtime)?));
    };
    let mut last = None;
    for _ in 0..5 {
        match finished_run(dir) {
            Ok(run) => {
                let saved = load_model(model_path);
                if RunFile::load(dir).is_ok_and(|again| again.sha256 == run.sha256) {
                    return Ok((Some(run.spec), saved.map_err(CliError::runtime)?));
                }
            }
            // a folder being committed right now: look again in a moment
            Err(err) if crate::folder::writer_active(dir) => last = Some(err),
            Err(err) => return Err(err),
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(last.unwrap_or_else(|| {
        CliError::runtime(format!(
            "{} keeps changing while it is read: a running nn train commits to it; try again",
            shell_path(dir)
        ))
    }))
}

/// Runs `nn eval`.
pub fn run(args: &EvalArgs) -> CliResult {
    let (model_path, run) = locate(&args.model);
    if run.is_none() && args.model.is_dir() && args.model.join(CHECKPOINT_DIR).is_dir() {
        return Err(CliError::runtime(format!(
            "{} has a checkpoint but no {RUN_FILE}: it is not a complete run folder",
            shell_path(&args.model)
        )));
    }
    let (spec, saved) = read_run(run.as_deref(), &model_path)?;

    let data_spec = match (&args.data, &spec) {
        (Some(source), run) => {
            let base = run.as_ref().map(|r| &r.data);
            DataSpec::from_args(&crate::args::DataArgs {
                data: source.clone(),
                label: args
                    .label
                    .clone()
                    .or_else(|| base.map(|b| b.label.clone()))
                    .unwrap_or_else(|| "last".into()),
                header: args
                    .header
                    .unwrap_or(match base.map(|b| b.header.as_str()) {
                        Some("yes") => crate::args::HeaderArg::Yes,
                        Some("no") => crate::args::HeaderArg::No,
                        _ => crate::args::HeaderArg::Auto,
                    }),
                delimiter: args.delimiter.or(base.map(|b| b.delimiter)).unwrap_or(','),
                // the network knows its task: an identity head predicts real values
                regression: !saved.model.head().is_classifier(),
            })?
        }
        (None, Some(run)) => run.data.clone(),
        (None, None) => {
            return Err(CliError::usage(format!(
                "no --data given and no {RUN_FILE} beside {}: say which data set to evaluate on",
                model_path.display()
            )));
        }
    };
    let own_data = spec.as_ref().is_some_and(|s| s.data == data_spec);
    let part = args.part.unwrap_or(if own_data {
        PartArg::Test
    } else {
        PartArg::All
    });
    let seed = spec.as_ref().map_or(0, |s| s.seed);
    let dataset = data_spec.load(seed)?;
    if let Some(run) = spec.as_ref().filter(|_| own_data)
        && crate::run_dir::data_sha256(&dataset) != run.data_sha256
    {
        return Err(CliError::runtime(format!(
            "{} changed since the run was trained (the checksum of its rows differs from the one in run.json), so its split is not the run's; evaluate on it with --part all, or train again",
            dataset.name()
        )));
    }
    let rows = select_part(&dataset, part, spec.as_ref())?;
    if rows.is_empty() {
        return Err(CliError::usage(format!(
            "the {} part of the split is empty; choose another --part",
            part_name(part)
        )));
    }
    if rows.n_features() != saved.model.n_inputs() {
        return Err(CliError::runtime(format!(
            "{} takes {} inputs, but {} has {} features",
            model_path.display(),
            saved.model.n_inputs(),
            dataset.name(),
            rows.n_features()
        )));
    }
    let rows = match &saved.scaler {
        Some(scaler) => scaler.apply(rows).map_err(CliError::runtime)?,
        None => rows,
    };
    let model = &saved.model;
    let loss = match (&args.loss, &spec) {
        (Some(name), _) => setup::loss(name, model.head())?,
        (None, Some(run)) => run.loss,
        (None, None) => model.head().default_loss(),
    };
    let evaluation = evaluate(model, &rows, loss).map_err(CliError::runtime)?;

    say!(
        "model     {}: {}",
        shell_path(&model_path),
        crate::train::describe_architecture(&model.architecture())
    );
    let split = spec.as_ref().map_or_else(String::new, |s| {
        format!(
            "; split {}/{}/{}, seed {}",
            s.split[0], s.split[1], s.split[2], s.seed
        )
    });
    say!(
        "data      {}, {} part: {} of {} samples{}",
        dataset.name(),
        part_name(part),
        rows.len(),
        dataset.len(),
        if part == PartArg::All {
            String::new()
        } else {
            split
        }
    );
    if data_spec.source != dataset.name() && !own_data {
        say!(
            "          (CSV options: label {}, header {})",
            data_spec.label,
            data_spec.header
        );
    }
    say!();
    say!("loss ({}): {:.4}", loss.name(), evaluation.loss);
    if let Some(accuracy) = evaluation.accuracy {
        let correct = (accuracy * rows.len() as f64).round() as usize;
        say!(
            "accuracy: {} ({correct} of {})",
            percent(accuracy),
            rows.len()
        );
        print_confusion(model, &rows)?;
    }
    Ok(())
}

fn print_confusion(model: &Mlp, rows: &Dataset) -> CliResult {
    let (Some(labels), Some(names)) = (rows.labels(), rows.class_names()) else {
        return Ok(());
    };
    let predicted = model.predict(rows.x().view()).map_err(CliError::runtime)?;
    let matrix = confusion_matrix(labels, &predicted, names.len());
    say!();
    say!("confusion matrix (rows: true class, columns: predicted class)");
    for line in format_confusion(&matrix, names) {
        say!("  {line}");
    }
    Ok(())
}

fn part_name(part: PartArg) -> &'static str {
    match part {
        PartArg::Train => "train",
        PartArg::Validation => "validation",
        PartArg::Test => "test",
        PartArg::All => "whole",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_counts_true_rows_against_predicted_columns() {
        let m = confusion_matrix(&[0, 0, 1, 2, 2], &[0, 1, 1, 2, 0], 3);
        assert_eq!(m, vec![vec![1, 1, 0], vec![0, 1, 0], vec![1, 0, 1]]);
        let names: Vec<String> = ["a", "bb", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            format_confusion(&m, &names),
            [
                "     a bb  c",
                " a   1  1  0",
                "bb   0  1  0",
                " c   1  0  1"
            ]
        );
    }
}
