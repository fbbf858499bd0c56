//! `nn resume`: continue a run from its checkpoint, bit for bit.

use datasets::{self as data, Fractions, Split};
use trainer::Trainer;

use crate::args::ResumeArgs;
use crate::error::{CliError, CliResult};
use crate::progress::format_duration;
use crate::run_dir::{self, RunSpec};
use crate::say;
use crate::session::{Ended, Session};
use crate::train::title;

/// Runs `nn resume`.
pub fn run(args: &ResumeArgs) -> CliResult<Ended> {
    let dir = run_dir::find_checkpoint(&args.checkpoint)?;
    let spec = RunSpec::load(&dir)?;
    let trainer = Trainer::resume(&dir).map_err(CliError::runtime)?;
    let scaler = trainer.scaler().cloned().ok_or_else(|| {
        CliError::runtime(format!(
            "{}: the checkpoint has no feature scaler; nn train always saves one",
            dir.display()
        ))
    })?;

    // The same rows as before: same data, split and seed; the scaler of the
    // checkpoint (fitted on the same training part) standardises them.
    let dataset = spec.data.load(spec.seed)?;
    let [train, validation, test] = spec.split;
    let fractions = Fractions::new(train, validation, test).map_err(CliError::runtime)?;
    let raw = data::split(&dataset, fractions, spec.seed).map_err(CliError::runtime)?;
    let standardize = |part| scaler.apply(part).map_err(CliError::runtime);
    let parts = Split {
        train: standardize(raw.train)?,
        validation: standardize(raw.validation)?,
        test: standardize(raw.test)?,
    };

    let progress = trainer.progress();
    let config = trainer.config();
    say!(
        "Resuming {} from {}: {} of {} epochs done{}, {} of training so far",
        dataset.name(),
        dir.display(),
        progress.epoch,
        config.epochs,
        if progress.batch > 0 {
            format!(
                " and {} batches of epoch {}",
                progress.batch,
                progress.epoch + 1
            )
        } else {
            String::new()
        },
        format_duration(spec.elapsed_seconds)
    );
    say!("started as: {}", spec.command);
    say!();
    let title = title(dataset.name(), &trainer.model().architecture(), config);
    // the checkpoint is always `<run>/checkpoint`
    let out = match dir.parent() {
        Some(parent) if dir.file_name().is_some() && !parent.as_os_str().is_empty() => {
            parent.to_path_buf()
        }
        // `nn resume .` inside the checkpoint folder, or `nn resume checkpoint`
        _ => std::fs::canonicalize(&dir)
            .ok()
            .and_then(|d| d.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| std::path::PathBuf::from(".")),
    };
    Session::new(trainer, parts, spec, out, title).run()
}
