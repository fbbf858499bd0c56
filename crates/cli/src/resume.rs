//! `nn resume`: continue a run from its checkpoint, bit for bit.

use datasets::{self as data, Fractions, Split};
use trainer::Trainer;

use crate::args::ResumeArgs;
use crate::error::{CliError, CliResult};
use crate::folder::RunFolder;
use crate::output::shell_path;
use crate::progress::{format_duration, plural};
use crate::run_dir::{self, CHECKPOINT_DIR, RunFile, Status};
use crate::say;
use crate::session::{CheckpointEvery, Ended, Session};
use crate::setup;
use crate::train::title;

/// Runs `nn resume`.
pub fn run(args: &ResumeArgs) -> CliResult<Ended> {
    let every = CheckpointEvery::from_arg(args.checkpoint_every)?;
    let out = run_dir::run_folder_of(&args.checkpoint)?;
    let folder = RunFolder::lock(&out)?;
    let run = RunFile::verify(&out)?;
    if run.status == Status::Finished {
        return Err(CliError::runtime(format!(
            "{} holds a finished run: nothing to resume (nn eval {} shows its results)",
            shell_path(&out),
            shell_path(&out)
        )));
    }
    let mut spec = run.spec;
    let dir = out.join(CHECKPOINT_DIR);
    let trainer = Trainer::resume(&dir).map_err(CliError::runtime)?;
    let scaler = trainer.scaler().cloned().ok_or_else(|| {
        CliError::runtime(format!(
            "{}: the checkpoint has no feature scaler; nn train always saves one",
            dir.display()
        ))
    })?;

    // The same rows as before: same data (checked by their checksum), split
    // and seed; the scaler of the checkpoint (fitted on the same training
    // part) standardises them.
    if let Some(moved) = &args.data {
        if setup::is_builtin(&spec.data.source) {
            return Err(CliError::usage(format!(
                "--data: the run was trained on the built-in {} data set, not a file",
                spec.data.source
            )));
        }
        let moved = std::path::absolute(moved).unwrap_or_else(|_| moved.clone());
        spec.data.source = moved.to_str().map(str::to_owned).ok_or_else(|| {
            CliError::usage(format!(
                "--data {}: the path is not valid UTF-8; rename the file",
                shell_path(&moved)
            ))
        })?;
    }
    let dataset = spec.data.load(spec.seed).map_err(|err| {
        if args.data.is_none()
            && !std::path::Path::new(&spec.data.source).exists()
            && !setup::is_builtin(&spec.data.source)
        {
            CliError::runtime(format!(
                "{err}; if the file moved, say where: nn resume {} --data NEW_PATH",
                shell_path(&out)
            ))
        } else {
            err
        }
    })?;
    if run_dir::data_sha256(&dataset) != spec.data_sha256 {
        return Err(CliError::runtime(format!(
            "{} does not hold the data the run was trained on (the checksum of its rows differs from the one in {}); resume with the original file: --data PATH",
            spec.data.source,
            shell_path(&out.join(run_dir::RUN_FILE))
        )));
    }
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
        shell_path(&out),
        progress.epoch,
        config.epochs,
        if progress.batch > 0 {
            format!(
                " and {} of epoch {}",
                plural(progress.batch, "batch", "batches"),
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
    Session::new(trainer, parts, spec, folder, title, every).run()
}
