//! `nn train`: the lecture's loop on a data set, from the command line.

use std::path::PathBuf;

use datasets::Dataset;
use mlp::{Architecture, Mlp};
use trainer::{EarlyStopping, TrainConfig, Trainer};

use crate::args::TrainArgs;
use crate::error::{CliError, CliResult};
use crate::run_dir::{self, RunSpec};
use crate::say;
use crate::session::{Ended, Session, shell_path};
use crate::setup::{self, DataSpec};

/// "digits (1797 samples, 64 features, 10 classes)".
pub fn describe_data(data: &Dataset) -> String {
    let target = match data.n_classes() {
        Some(k) => format!("{k} classes"),
        None => format!("{} regression target(s)", data.n_outputs()),
    };
    format!(
        "{} ({} samples, {} features, {target})",
        data.name(),
        data.len(),
        data.n_features()
    )
}

/// The title of the report: data set, network, optimizer and schedule.
pub fn title(data_name: &str, architecture: &Architecture, config: &TrainConfig) -> String {
    format!(
        "{data_name}: {architecture}; {} loss, {} η = {}, {}, batch {}, seed {}",
        config.loss.name(),
        config.optimizer.name(),
        config.optimizer.learning_rate(),
        setup::schedule_name(config),
        config.batch_size,
        config.seed
    )
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

    let data = data_spec.load(args.seed)?;
    let (architecture, init) = setup::architecture(&args.model, &data)?;
    let loss = setup::loss(&args.loss, architecture.head)?;
    let (parts, scaler) = setup::split_and_standardize(&data, fractions, args.seed)?;
    let n_train = parts.train.len();
    let batches = n_train.div_ceil(batch_size.min(n_train));
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

    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("runs").join(format!("{}-seed{}", data_spec.short_name(), args.seed))
    });
    run_dir::create_dir(&out)?;
    let spec = RunSpec {
        command,
        data: data_spec,
        split: [fractions.train(), fractions.validation(), fractions.test()],
        seed: args.seed,
        loss,
        epoch_seconds: Vec::new(),
        elapsed_seconds: 0.0,
    };
    spec.save(&out)?;

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
        "network   {architecture}, {} parameters, {} init",
        architecture.n_parameters(),
        init_name(init)
    );
    say!(
        "training  {} loss, {} η = {}, {}, {epochs} epochs of {batches} batches of {batch_size}{}",
        loss.name(),
        config.optimizer.name(),
        config.optimizer.learning_rate(),
        setup::schedule_name(&config),
        patience.map_or_else(String::new, |p| format!(", early stopping (patience {p})"))
    );
    say!(
        "output    {}   (Ctrl-C stops and saves a checkpoint)",
        shell_path(&out)
    );
    say!();

    let title = title(data.name(), &architecture, &config);
    Session::new(trainer, parts, spec, out, title).run()
}

/// `he`, `xavier`, `uniform(1)`.
pub fn init_name(init: mlp::Init) -> String {
    match init {
        mlp::Init::He => "he".into(),
        mlp::Init::Xavier => "xavier".into(),
        mlp::Init::Uniform { limit } => format!("uniform({limit})"),
    }
}
