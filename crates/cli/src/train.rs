//! `nn train`: the lecture's loop on a data set, from the command line.

use std::path::{Path, PathBuf};

use datasets::Dataset;
use mlp::{Architecture, Mlp};
use trainer::{EarlyStopping, TrainConfig, Trainer};

use crate::args::TrainArgs;
use crate::error::{CliError, CliResult};
use crate::folder::{RunFolder, free_name};
use crate::output::shell_path;
use crate::progress::{plural, short_number};
use crate::run_dir::{
    CHECKPOINT_DIR, METRICS_FILE, MODEL_FILE, REPORT_FILE, RUN_FILE, RunFile, RunSpec, Status,
};
use crate::say;
use crate::session::{CheckpointEvery, Ended, Session};
use crate::setup::{self, DataSpec};

/// "digits (1797 samples, 64 features, 10 classes)".
pub fn describe_data(data: &Dataset) -> String {
    let target = match data.n_classes() {
        Some(k) => plural(k, "class", "classes"),
        None => plural(data.n_outputs(), "regression target", "regression targets"),
    };
    format!(
        "{} ({}, {}, {target})",
        data.name(),
        plural(data.len(), "sample", "samples"),
        plural(data.n_features(), "feature", "features")
    )
}

/// `64-128-10, relu hidden, softmax head`, or `64-10, no hidden layer
/// (a linear model), softmax head`.
pub fn describe_architecture(architecture: &Architecture) -> String {
    if architecture.sizes.len() > 2 {
        return architecture.to_string();
    }
    let sizes: Vec<String> = architecture.sizes.iter().map(usize::to_string).collect();
    format!(
        "{}, no hidden layer (a linear model), {} head",
        sizes.join("-"),
        architecture.head
    )
}

/// The title of the report: data set, network, optimizer and schedule.
pub fn title(data_name: &str, architecture: &Architecture, config: &TrainConfig) -> String {
    format!(
        "{data_name}: {}; {} loss, {} η = {}, {}, batch {}, seed {}",
        describe_architecture(architecture),
        config.loss.name(),
        config.optimizer.name(),
        short_number(config.optimizer.learning_rate()),
        setup::schedule_name(config),
        config.batch_size,
        config.seed
    )
}

/// What a folder holds, in words, if it holds a run; `Err` for a folder
/// with files that are not a run's (never replaced, even with --force).
fn existing_run(out: &Path) -> CliResult<Option<String>> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(None);
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(None);
    }
    let ours = [
        RUN_FILE,
        MODEL_FILE,
        METRICS_FILE,
        REPORT_FILE,
        CHECKPOINT_DIR,
    ];
    let foreign: Vec<&String> = names
        .iter()
        .filter(|n| !ours.contains(&n.as_str()))
        .collect();
    if !foreign.is_empty() {
        let shown: Vec<&str> = foreign.iter().take(3).map(|n| n.as_str()).collect();
        return Err(CliError::usage(format!(
            "{} is not a run folder of nn (it holds {}); nn replaces a run folder as a whole, so choose another --out",
            shell_path(out),
            shown.join(", ")
        )));
    }
    Ok(Some(match RunFile::load(out) {
        Ok(run) => match run.status {
            Status::Finished => format!("a finished run ({})", run.spec.command),
            Status::Interrupted { epoch } => format!(
                "an interrupted run ({} of {} done) that `nn resume {}` continues",
                plural(epoch, "epoch", "epochs"),
                run.spec.epochs,
                shell_path(out)
            ),
        },
        Err(_) if !out.join(RUN_FILE).exists() => {
            "files of an earlier run, without its run.json".to_owned()
        }
        Err(err) => format!("files of an earlier run ({err})"),
    }))
}

/// Runs `nn train`; `command` is the command line, kept in `run.json`.
pub fn run(args: &TrainArgs, command: String) -> CliResult<Ended> {
    // settings that need no data come first, so a typo is reported at once
    let data_spec = DataSpec::from_args(&args.data)?;
    let fractions = setup::fractions(&args.split.split)?;
    setup::hidden_sizes(&args.model.hidden)?;
    setup::activation(&args.model.activation)?;
    let optimizer = setup::optimizer(&args.optimizer)?;
    let epochs = setup::count("--epochs", args.epochs, "the number of epochs")?;
    let batch_size = setup::count("--batch-size", args.batch_size, "the batch size")?;
    let patience = args
        .patience
        .map(|p| setup::count("--patience", p, "the patience of early stopping"))
        .transpose()?;
    if patience.is_some() && fractions.validation() == 0.0 {
        return Err(CliError::usage(
            "--patience needs a validation part to watch, but --split gives it 0",
        ));
    }

    let every = CheckpointEvery::from_arg(args.checkpoint_every)?;

    let data = data_spec.load(args.seed)?;
    let (architecture, init) = setup::architecture(&args.model, &data)?;
    // a batch is never larger than the data
    let rows = batch_size.min(data.len());
    crate::limits::check_network(&architecture, rows, &optimizer, patience.is_some())?;
    let loss = setup::loss(&args.loss, architecture.head)?;
    let (parts, scaler) = setup::split_and_standardize(&data, fractions, args.seed)?;
    let n_train = parts.train.len();
    let batches = n_train.div_ceil(batch_size.min(n_train));
    if (epochs as u64)
        .checked_mul(batches as u64)
        .is_none_or(|steps| steps > 1 << 53)
    {
        return Err(CliError::usage(format!(
            "invalid --epochs {epochs}: {epochs} epochs of {} are more steps than can be counted",
            plural(batches, "batch", "batches")
        )));
    }
    let schedule = setup::schedule(&args.schedule, optimizer.learning_rate(), epochs, batches)?;

    let mut config = TrainConfig::new(loss)
        .with_epochs(epochs)
        .with_batch_size(batch_size)
        .with_optimizer(optimizer)
        .with_seed(args.seed);
    if let Some((schedule, unit)) = schedule {
        config = config.with_schedule(schedule, unit);
    }
    config.early_stopping = patience.map(|patience| EarlyStopping {
        patience,
        min_delta: 0.0,
    });
    let model = Mlp::new(&architecture, init, args.seed).map_err(CliError::usage)?;
    let trainer = Trainer::new(model, config.clone())
        .map_err(setup::train_error)?
        .with_scaler(scaler);

    // the folder is checked and locked before any training: a run that
    // cannot write its results does not start
    let (folder, replacing) = choose_folder(args, &data_spec)?;
    let spec = RunSpec {
        run_id: run_id(&data_spec, args.seed),
        command,
        data_sha256: crate::run_dir::data_sha256(&data),
        data: data_spec,
        split: [fractions.train(), fractions.validation(), fractions.test()],
        seed: args.seed,
        loss,
        epochs,
        epoch_seconds: Vec::new(),
        elapsed_seconds: 0.0,
    };
    let out = folder.out().to_path_buf();

    say!(
        "data      {} -> {} train / {} validation / {} test (split {}, seed {}; features standardised on the train part)",
        describe_data(&data),
        parts.train.len(),
        parts.validation.len(),
        parts.test.len(),
        args.split.split,
        args.seed
    );
    say!(
        "network   {}, {} parameters, {} init",
        describe_architecture(&architecture),
        architecture.n_parameters(),
        init_name(init)
    );
    say!(
        "training  {} loss, {} η = {}, {}, {} of {} of {}{}",
        loss.name(),
        config.optimizer.name(),
        short_number(config.optimizer.learning_rate()),
        setup::schedule_name(&config),
        plural(epochs, "epoch", "epochs"),
        plural(batches, "batch", "batches"),
        // the batch the trainer really takes: never more rows than the train part has
        batch_size.min(n_train),
        patience.map_or_else(String::new, |p| format!(", early stopping (patience {p})"))
    );
    say!(
        "output    {}   (Ctrl-C stops and saves a checkpoint){}",
        shell_path(&out),
        replacing.map_or_else(String::new, |what| format!(
            "\n          replacing {what} when the first checkpoint is saved"
        ))
    );
    say!();

    let title = title(data.name(), &architecture, &config);
    Session::new(trainer, parts, spec, folder, title, every).run()
}

/// The run folder, locked: `--out` (which must not hold a run unless
/// `--force`; returns what it holds), or the first free one of
/// `runs/{data}-seed{seed}`, `…-2`, `…-3`: a bare `nn` never replaces a run.
fn choose_folder(args: &TrainArgs, data_spec: &DataSpec) -> CliResult<(RunFolder, Option<String>)> {
    Ok(match &args.out {
        Some(out) => {
            let folder = RunFolder::lock(out)?;
            let existing = existing_run(out)?;
            if let (Some(what), false) = (&existing, args.force) {
                return Err(CliError::usage(format!(
                    "{} already holds {what}; add --force to replace it, or write to another folder, e.g. --out {}",
                    shell_path(out),
                    shell_path(&free_name(out))
                )));
            }
            (folder, existing)
        }
        None => {
            // a bare `nn` never replaces an earlier run: runs/digits-seed42-2 …
            let base =
                PathBuf::from("runs").join(format!("{}-seed{}", data_spec.short_name(), args.seed));
            let mut found = None;
            for i in 1..=1000 {
                let out = if i == 1 {
                    base.clone()
                } else {
                    base.with_file_name(format!("{}-seed{}-{i}", data_spec.short_name(), args.seed))
                };
                match RunFolder::lock(&out) {
                    Ok(folder) if matches!(existing_run(&out), Ok(None)) => {
                        found = Some(folder);
                        break;
                    }
                    // in use by another nn: try the next name
                    Err(err) if err.to_string().contains("is in use") => {}
                    Err(err) => return Err(err),
                    Ok(_) => {}
                }
            }
            let folder = found.ok_or_else(|| {
                CliError::runtime(format!(
                    "{} and its numbered siblings up to -1000 hold runs; choose --out",
                    shell_path(&base)
                ))
            })?;
            (folder, None)
        }
    })
}

/// An id for the run: its data, seed, start time and process.
fn run_id(data: &DataSpec, seed: u64) -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!(
        "{}-seed{seed}-{started:x}-{}",
        data.short_name(),
        std::process::id()
    )
}

/// `he`, `xavier`, `uniform(1)`.
pub fn init_name(init: mlp::Init) -> String {
    match init {
        mlp::Init::He => "he".into(),
        mlp::Init::Xavier => "xavier".into(),
        mlp::Init::Uniform { limit } => format!("uniform({limit})"),
    }
}
