//! From command-line values to the library's objects: the data set and its
//! split, the network's architecture, the loss, the optimizer, the schedule
//! and the training configuration.
//!
//! Every check that can fail here fails with one line naming the option, the
//! value and what is expected: [`CliError::Usage`] for the command line,
//! [`CliError::Runtime`] for files.

use std::path::Path;

use activations::ActivationKind;
use datasets::Dataset;
use datasets::{
    self as data, BUILTIN_NAMES, Column, CsvOptions, Fractions, Header, Split, Standardizer,
};
use losses::LossKind;
use mlp::{Architecture, Head, Init};
use optim::{OptimError, OptimizerConfig};
use schedulers::{CyclicPolicy, ScheduleConfig};
use serde::{Deserialize, Serialize};
use trainer::{ScheduleUnit, TrainConfig, TrainError};

use crate::args::{DataArgs, HeaderArg, ModelArgs, OptimizerArgs, ScheduleArg, ScheduleArgs};
use crate::error::{CliError, CliResult};

/// Where a run's data come from: enough to load the same rows again for
/// `nn eval` and `nn resume` (stored in `run.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSpec {
    /// A built-in name, or the CSV file's absolute path.
    pub source: String,
    /// CSV: the label column (`last`, an index or a header name).
    pub label: String,
    /// CSV: `auto`, `yes` or `no`.
    pub header: String,
    /// CSV: the cell separator.
    pub delimiter: char,
    /// CSV: real-valued targets instead of class labels.
    pub regression: bool,
}

impl DataSpec {
    /// The spec of `--data` and its CSV options. A CSV path is made absolute
    /// so that `nn resume` works from another directory.
    pub fn from_args(args: &DataArgs) -> CliResult<Self> {
        if !args.delimiter.is_ascii() {
            return Err(CliError::usage(format!(
                "invalid --delimiter {:?}: expected a single ASCII character such as ',' or ';'",
                args.delimiter
            )));
        }
        let source = if is_builtin(&args.data) {
            args.data.clone()
        } else if !Path::new(&args.data).exists() {
            return Err(CliError::runtime(format!(
                "no data set or file named {:?}: --data takes a built-in name ({}) or the path of a CSV file",
                args.data,
                BUILTIN_NAMES.join(", ")
            )));
        } else {
            std::path::absolute(&args.data)
                .map_or_else(|_| args.data.clone(), |p| p.display().to_string())
        };
        Ok(Self {
            source,
            label: args.label.clone(),
            header: header_name(args.header).to_owned(),
            delimiter: args.delimiter,
            regression: args.regression,
        })
    }

    /// A short name for folders and titles: the built-in name or the file's stem.
    pub fn short_name(&self) -> String {
        if is_builtin(&self.source) {
            return self.source.clone();
        }
        let stem = Path::new(&self.source)
            .file_name()
            .map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned());
        // `data.csv.gz` → `data`
        stem.split('.').next().unwrap_or("data").to_owned()
    }

    /// Loads the data set (the seed drives the synthetic built-in sets).
    pub fn load(&self, seed: u64) -> CliResult<Dataset> {
        if is_builtin(&self.source) {
            return data::builtin(&self.source, seed).map_err(CliError::usage);
        }
        let header = match self.header.as_str() {
            "yes" => Header::Present,
            "no" => Header::Absent,
            _ => Header::Auto,
        };
        let options = if self.regression {
            CsvOptions::regression()
        } else {
            CsvOptions::classification()
        };
        let label: Column = self.label.parse().expect("parsing a Column never fails");
        let options = options
            .with_header(header)
            .with_target(label)
            .with_delimiter(self.delimiter as u8);
        let path = Path::new(&self.source);
        crate::limits::check_input(path)?;
        sniff_delimiter(path, self.delimiter)?;
        let data = data::load_csv(path, &options)
            .map(|data| data.with_name(self.short_name()))
            .map_err(CliError::runtime)?;
        if !self.regression {
            check_labels(&data, path)?;
        }
        Ok(data)
    }
}

/// The first line of a (maybe gzip) file, at most 64 kB of it.
fn first_line(path: &Path) -> Option<String> {
    use std::io::{BufRead, BufReader, Read};
    let mut file = std::fs::File::open(path).ok()?;
    let mut magic = [0u8; 2];
    let gzip = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let file = std::fs::File::open(path).ok()?;
    let reader: Box<dyn Read> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut line = Vec::new();
    BufReader::new(reader.take(1 << 16))
        .read_until(b'\n', &mut line)
        .ok()?;
    Some(String::from_utf8_lossy(&line).into_owned())
}

/// A file whose first line has no `delimiter` but another usual separator
/// (`;` of a European spreadsheet, a tab) was written with that one.
fn sniff_delimiter(path: &Path, delimiter: char) -> CliResult {
    let Some(line) = first_line(path) else {
        return Ok(());
    };
    if line.contains(delimiter) {
        return Ok(());
    }
    for (other, shown) in [(';', "';'"), ('\t', "$'\\t' (a tab)"), ('|', "'|'")] {
        if other != delimiter && line.matches(other).count() >= 1 {
            return Err(CliError::usage(format!(
                "{}: the first line has no {delimiter:?} but {other:?}: the cells seem separated by {other:?}; add --delimiter {shown}",
                crate::output::shell_path(path)
            )));
        }
    }
    Ok(())
}

/// Class labels that look like real numbers (one class per distinct value)
/// mean a regression target; a single class means nothing to learn.
fn check_labels(data: &Dataset, path: &Path) -> CliResult {
    let (Some(names), Some(k)) = (data.class_names(), data.n_classes()) else {
        return Ok(());
    };
    let numbers: Vec<f64> = names.iter().filter_map(|n| n.trim().parse().ok()).collect();
    let real = numbers.len() == names.len() && numbers.iter().any(|v| v.fract() != 0.0);
    let too_many = data.len() >= 10 && 2 * k > data.len();
    if real || too_many {
        return Err(CliError::usage(format!(
            "{}: the label column has {k} distinct values in {} rows{}, so as classes each would have about one sample; if it is a quantity to predict, add --regression",
            crate::output::shell_path(path),
            data.len(),
            if real {
                ", real numbers such as ".to_owned()
                    + &names[numbers.iter().position(|v| v.fract() != 0.0).unwrap_or(0)]
            } else {
                String::new()
            }
        )));
    }
    if k == 1 {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "warning: the label column of {} has one class only ({:?}): every prediction is right, so the accuracy will say nothing about the network",
            crate::output::shell_path(path),
            names[0]
        );
    }
    Ok(())
}

/// A built-in name (a file called `digits` is read as `./digits`).
pub fn is_builtin(name: &str) -> bool {
    BUILTIN_NAMES.contains(&name)
}

/// The `--header` value as stored in `run.json`.
pub fn header_name(header: HeaderArg) -> &'static str {
    match header {
        HeaderArg::Auto => "auto",
        HeaderArg::Yes => "yes",
        HeaderArg::No => "no",
    }
}

/// Reads `--split TRAIN,VAL,TEST`.
pub fn fractions(text: &str) -> CliResult<Fractions> {
    let bad = |why: &str| {
        CliError::usage(format!(
            "invalid --split {text:?}: {why}; expected three fractions TRAIN,VAL,TEST that add up to 1, e.g. 0.7,0.15,0.15"
        ))
    };
    let numbers: Vec<f64> = text
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("not a list of numbers"))?;
    let [train, validation, test] = numbers[..] else {
        return Err(bad(&format!("{} numbers given", numbers.len())));
    };
    if numbers.iter().any(|f| !(0.0..=1.0).contains(f)) {
        return Err(bad("each must be between 0 and 1"));
    }
    if train == 0.0 {
        return Err(bad("the training fraction must be above 0"));
    }
    let sum = train + validation + test;
    if (sum - 1.0).abs() > 1e-9 {
        // rounded, so 0.7 + 0.2 + 0.2 reads 1.1, not 1.0999999999999999
        let sum = (sum * 1e9).round() / 1e9;
        return Err(bad(&format!("they add up to {sum}")));
    }
    Fractions::new(train, validation, test).map_err(CliError::usage)
}

/// Splits the data (stratified, seeded) and standardises the features with
/// the training part's statistics.
pub fn split_and_standardize(
    dataset: &Dataset,
    fractions: Fractions,
    seed: u64,
) -> CliResult<(Split, Standardizer)> {
    data::split(dataset, fractions, seed)
        .and_then(Split::standardize)
        .map_err(CliError::runtime)
}

/// Reads `--hidden 128,64` (or `none`).
pub fn hidden_sizes(text: &str) -> CliResult<Vec<usize>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(CliError::usage(
            "invalid --hidden \"\": no widths given; expected whole numbers separated by commas, e.g. 128 or 128,64, or none for no hidden layer (a linear model)",
        ));
    }
    if trimmed.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    trimmed
        .split(',')
        .map(|part| match part.trim().parse::<usize>() {
            Ok(0) => Err(CliError::usage(format!(
                "invalid --hidden {text:?}: a hidden layer of width 0 has no units; widths must be at least 1"
            ))),
            Ok(width) => Ok(width),
            Err(_) => Err(CliError::usage(format!(
                "invalid --hidden {text:?}: {:?} is not a width; expected whole numbers separated by commas, e.g. 128 or 128,64 (or none)",
                part.trim()
            ))),
        })
        .collect()
}

/// Reads `--activation`.
pub fn activation(name: &str) -> CliResult<ActivationKind> {
    ActivationKind::from_name(name).map_err(CliError::usage)
}

/// Reads `--init` (`auto`: He for the ReLU family, Xavier otherwise).
pub fn init(name: &str, activation: ActivationKind) -> CliResult<Init> {
    if name.eq_ignore_ascii_case("auto") {
        Ok(Init::for_activation(activation))
    } else {
        Init::from_name(name).map_err(CliError::usage)
    }
}

/// Reads `--head` (`auto`: softmax for classes, identity for regression).
pub fn head(name: &str, dataset: &Dataset) -> CliResult<Head> {
    if name.eq_ignore_ascii_case("auto") {
        Ok(if dataset.is_classification() {
            Head::Softmax
        } else {
            Head::Identity
        })
    } else {
        Head::from_name(name).map_err(CliError::usage)
    }
}

/// The network for this data: inputs = features, outputs = classes (one
/// for a sigmoid head on two classes) or target columns.
pub fn architecture(args: &ModelArgs, dataset: &Dataset) -> CliResult<(Architecture, Init)> {
    let hidden = hidden_sizes(&args.hidden)?;
    let activation = activation(&args.activation)?;
    let init = init(&args.init, activation)?;
    let head = head(&args.head, dataset)?;
    let outputs = match (head, dataset.n_classes()) {
        (Head::Sigmoid, Some(2)) => 1,
        _ => dataset.n_outputs(),
    };
    let mut sizes = vec![dataset.n_features()];
    sizes.extend(hidden);
    sizes.push(outputs);
    let architecture = Architecture::new(sizes, activation, head).map_err(CliError::usage)?;
    Ok((architecture, init))
}

/// Reads `--loss` (`auto`: the head's default) and checks it fits the head.
pub fn loss(name: &str, head: Head) -> CliResult<LossKind> {
    let loss = if name.eq_ignore_ascii_case("auto") {
        head.default_loss()
    } else {
        LossKind::from_name(name).map_err(CliError::usage)?
    };
    head.check_loss(loss).map_err(CliError::usage)?;
    Ok(loss)
}

/// Which optimizers a hyperparameter flag applies to.
const OPTIMIZER_FLAGS: [(&str, &[&str]); 6] = [
    ("--momentum", &["momentum", "nesterov"]),
    ("--beta1", &["adam", "adamw"]),
    ("--beta2", &["adam", "adamw"]),
    ("--rho", &["rmsprop"]),
    ("--eps", &["rmsprop", "adam", "adamw"]),
    ("--weight-decay", &["adamw"]),
];

/// The learning rate `nn` uses when `--lr` is not given: adaptive methods
/// take steps of about $\eta$ per weight, plain gradient descent takes
/// $\eta \cdot$ gradient, which is small, so it needs a larger $\eta$.
pub fn default_learning_rate(optimizer: &str) -> f64 {
    match optimizer {
        "sgd" | "momentum" | "nesterov" => 0.05,
        _ => 3e-3,
    }
}

/// Checks that `value` is a finite number > 0 (a learning rate).
pub fn positive(flag: &str, value: f64, what: &str) -> CliResult<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(CliError::usage(format!(
            "invalid {flag} {value}: {what} must be a finite number > 0"
        )))
    }
}

/// The optimizer named by `--optimizer` with the hyperparameters given.
pub fn optimizer(args: &OptimizerArgs) -> CliResult<OptimizerConfig> {
    let name = args.optimizer.trim().to_ascii_lowercase();
    let config = OptimizerConfig::from_name(&name).map_err(CliError::usage)?;
    let given = [
        args.momentum,
        args.beta1,
        args.beta2,
        args.rho,
        args.eps,
        args.weight_decay,
    ];
    for ((flag, applies_to), value) in OPTIMIZER_FLAGS.iter().zip(given) {
        if value.is_some() && !applies_to.contains(&name.as_str()) {
            return Err(CliError::usage(format!(
                "{flag} does not apply to {name}; it is a hyperparameter of {}",
                applies_to.join(" and ")
            )));
        }
    }
    let eta = args.lr.unwrap_or_else(|| default_learning_rate(&name));
    positive("--lr", eta, "the learning rate η")?;
    let mut config = config.with_learning_rate(eta);
    match &mut config {
        OptimizerConfig::Sgd(_) => {}
        OptimizerConfig::Momentum(c) | OptimizerConfig::Nesterov(c) => {
            c.mu = args.momentum.unwrap_or(c.mu);
        }
        OptimizerConfig::RmsProp(c) => {
            c.rho = args.rho.unwrap_or(c.rho);
            c.eps = args.eps.unwrap_or(c.eps);
        }
        OptimizerConfig::Adam(c) => {
            c.beta1 = args.beta1.unwrap_or(c.beta1);
            c.beta2 = args.beta2.unwrap_or(c.beta2);
            c.eps = args.eps.unwrap_or(c.eps);
        }
        OptimizerConfig::AdamW(c) => {
            c.beta1 = args.beta1.unwrap_or(c.beta1);
            c.beta2 = args.beta2.unwrap_or(c.beta2);
            c.eps = args.eps.unwrap_or(c.eps);
            c.weight_decay = args.weight_decay.unwrap_or(c.weight_decay);
        }
    }
    config.build().map_err(|err| optimizer_error(&name, err))?;
    Ok(config)
}

/// An optimizer's complaint, in terms of the flag that set the value.
fn optimizer_error(name: &str, err: OptimError) -> CliError {
    if let OptimError::InvalidHyperparameter {
        name: parameter,
        value,
        expected,
    } = err
    {
        let flag = match parameter {
            "eta" => "--lr",
            "mu" => "--momentum",
            "rho" => "--rho",
            "eps" => "--eps",
            "weight_decay" => "--weight-decay",
            "beta1" => "--beta1",
            "beta2" => "--beta2",
            _ => parameter,
        };
        return CliError::usage(format!(
            "invalid {flag} {value}: {name}'s {parameter} must be {expected}"
        ));
    }
    CliError::usage(format!("{name}: {err}"))
}

/// Reads a count option (`--epochs`, `--batch-size` …): a whole number ≥ 1.
pub fn count(flag: &str, value: i64, what: &str) -> CliResult<usize> {
    if value >= 1 {
        Ok(value as usize)
    } else {
        Err(CliError::usage(format!(
            "invalid {flag} {value}: {what} must be at least 1"
        )))
    }
}

/// The schedule of `--schedule`, in steps of the unit it counts. `lr` is the
/// peak rate, `batches` the number of batches per epoch.
pub fn schedule(
    args: &ScheduleArgs,
    lr: f64,
    epochs: usize,
    batches: usize,
) -> CliResult<Option<(ScheduleConfig, ScheduleUnit)>> {
    let total_steps = epochs * batches;
    let in_batches = |flag: &str, epochs_value: f64| -> CliResult<usize> {
        if !(epochs_value.is_finite() && epochs_value > 0.0) {
            return Err(CliError::usage(format!(
                "invalid {flag} {epochs_value}: expected a number of epochs > 0"
            )));
        }
        Ok(((epochs_value * batches as f64).round() as usize).max(1))
    };
    let cosine_floor = |lr: f64| -> CliResult<f64> {
        if args.min_lr.is_finite() && (0.0..lr).contains(&args.min_lr) {
            Ok(args.min_lr)
        } else {
            Err(CliError::usage(format!(
                "invalid --min-lr {}: the final learning rate must be >= 0 and below --lr {lr}",
                args.min_lr
            )))
        }
    };
    let config = match args.schedule {
        ScheduleArg::Constant => return Ok(None),
        ScheduleArg::Cosine => (
            ScheduleConfig::CosineAnnealing {
                eta_min: cosine_floor(lr)?,
                eta_max: lr,
                total_steps,
            },
            ScheduleUnit::Batch,
        ),
        ScheduleArg::WarmupCosine => {
            let eta_min = cosine_floor(lr)?;
            if !(args.warmup_start > 0.0 && args.warmup_start <= 1.0) {
                return Err(CliError::usage(format!(
                    "invalid --warmup-start {}: the warmup's starting factor must be in (0, 1]",
                    args.warmup_start
                )));
            }
            let warmup_steps = match args.warmup_epochs {
                Some(warmup) => {
                    let steps = in_batches("--warmup-epochs", warmup)?;
                    if steps >= total_steps {
                        return Err(CliError::usage(format!(
                            "invalid --warmup-epochs {warmup}: the warmup must end before the last epoch ({epochs})"
                        )));
                    }
                    steps
                }
                // 2 epochs, or a tenth of a short run
                None => in_batches("--warmup-epochs", (0.1 * epochs as f64).min(2.0))?,
            };
            if warmup_steps >= total_steps {
                // a run of a single batch has no room for a warmup
                let cosine = ScheduleConfig::CosineAnnealing {
                    eta_min,
                    eta_max: lr,
                    total_steps,
                };
                return Ok(Some((cosine, ScheduleUnit::Batch)));
            }
            (
                ScheduleConfig::LinearWarmup {
                    warmup_steps,
                    start_factor: args.warmup_start,
                    then: Box::new(ScheduleConfig::CosineAnnealing {
                        eta_min,
                        eta_max: lr,
                        total_steps: total_steps - warmup_steps,
                    }),
                },
                ScheduleUnit::Batch,
            )
        }
        ScheduleArg::Step => {
            let step_size = count(
                "--step-epochs",
                args.step_epochs,
                "the epochs between decays",
            )?;
            if !(args.gamma > 0.0 && args.gamma <= 1.0) {
                return Err(CliError::usage(format!(
                    "invalid --gamma {}: the decay factor γ must be in (0, 1]",
                    args.gamma
                )));
            }
            (
                ScheduleConfig::StepDecay {
                    eta0: lr,
                    gamma: args.gamma,
                    step_size,
                },
                ScheduleUnit::Epoch,
            )
        }
        ScheduleArg::Cyclic => {
            let max_lr = args.max_lr.unwrap_or(10.0 * lr);
            if !(max_lr.is_finite() && max_lr > lr) {
                return Err(CliError::usage(format!(
                    "invalid --max-lr {max_lr}: the top of the cycle must be above --lr {lr}"
                )));
            }
            (
                ScheduleConfig::Cyclic {
                    base_lr: lr,
                    max_lr,
                    step_size: in_batches("--cycle-epochs", args.cycle_epochs)?,
                    step_size_down: None,
                    policy: CyclicPolicy::Triangular,
                },
                ScheduleUnit::Batch,
            )
        }
    };
    config
        .0
        .build()
        .map_err(|err| CliError::usage(format!("--schedule: {err}")))?;
    Ok(Some(config))
}

/// The short name of a schedule for summaries.
pub fn schedule_name(config: &TrainConfig) -> String {
    match &config.schedule {
        None => "constant η".into(),
        Some(ScheduleConfig::LinearWarmup { then, .. }) => format!("linear warmup + {}", {
            match **then {
                ScheduleConfig::CosineAnnealing { .. } => "cosine",
                _ => then.name(),
            }
        }),
        Some(ScheduleConfig::CosineAnnealing { .. }) => "cosine annealing".into(),
        Some(ScheduleConfig::StepDecay { .. }) => "step decay".into(),
        Some(ScheduleConfig::Cyclic { .. }) => "cyclic".into(),
        Some(other) => other.name().replace('_', " "),
    }
}

/// A training error as the command reports it: divergence and non-finite
/// losses happened while running; everything else is a setting that does
/// not fit the data.
pub fn train_error(err: TrainError) -> CliError {
    match err {
        TrainError::Diverged { .. } | TrainError::NotFinite { .. } => CliError::runtime(err),
        other => CliError::usage(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_sizes_table() {
        assert_eq!(hidden_sizes("128").unwrap(), vec![128]);
        assert_eq!(hidden_sizes(" 128, 64 ").unwrap(), vec![128, 64]);
        assert_eq!(hidden_sizes("none").unwrap(), Vec::<usize>::new());
        for bad in ["0", "128,0", "12a", "128,,64", "-3", "", " "] {
            let err = hidden_sizes(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("--hidden"), "{err}");
        }
    }

    #[test]
    fn fractions_table() {
        let f = fractions("0.8,0.1,0.1").unwrap();
        assert_eq!((f.train(), f.validation(), f.test()), (0.8, 0.1, 0.1));
        for (bad, why) in [
            ("0.7,0.2,0.2", "add up to"),
            ("0.7,0.3", "2 numbers"),
            ("a,b,c", "not a list"),
            ("1.2,-0.1,-0.1", "between 0 and 1"),
            ("0,0.5,0.5", "above 0"),
        ] {
            let err = fractions(bad).unwrap_err();
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
    }

    fn optimizer_args(name: &str) -> OptimizerArgs {
        OptimizerArgs {
            optimizer: name.into(),
            lr: None,
            momentum: None,
            beta1: None,
            beta2: None,
            rho: None,
            eps: None,
            weight_decay: None,
        }
    }

    #[test]
    fn optimizer_hyperparameters_reach_the_config() {
        let mut args = optimizer_args("momentum");
        args.lr = Some(0.1);
        args.momentum = Some(0.5);
        let config = optimizer(&args).unwrap();
        assert_eq!(
            config,
            OptimizerConfig::Momentum(optim::MomentumConfig { eta: 0.1, mu: 0.5 })
        );
        let mut args = optimizer_args("adamw");
        args.beta2 = Some(0.99);
        args.weight_decay = Some(0.1);
        let OptimizerConfig::AdamW(c) = optimizer(&args).unwrap() else {
            panic!("adamw expected");
        };
        assert_eq!((c.eta, c.beta2, c.weight_decay), (3e-3, 0.99, 0.1));
    }

    #[test]
    fn optimizer_errors_name_the_flag() {
        type Case = (fn(&mut OptimizerArgs), &'static str);
        let cases: [Case; 4] = [
            (
                |a| a.lr = Some(-1.0),
                "invalid --lr -1: the learning rate η must be a finite number > 0",
            ),
            (|a| a.lr = Some(0.0), "invalid --lr 0"),
            (
                |a| a.beta1 = Some(1.5),
                "invalid --beta1 1.5: adam's beta1 must be",
            ),
            (
                |a| a.momentum = Some(0.9),
                "--momentum does not apply to adam; it is a hyperparameter of momentum and nesterov",
            ),
        ];
        for (edit, message) in cases {
            let mut args = optimizer_args("adam");
            edit(&mut args);
            let err = optimizer(&args).unwrap_err();
            assert!(err.to_string().starts_with(message), "{err}");
            assert_eq!(err.exit_code(), 2);
        }
        let err = optimizer(&optimizer_args("adagrad")).unwrap_err();
        assert!(
            err.to_string()
                .contains("sgd, momentum, nesterov, rmsprop, adam, adamw"),
            "{err}"
        );
    }

    fn schedule_args(schedule: ScheduleArg) -> ScheduleArgs {
        ScheduleArgs {
            schedule,
            warmup_epochs: None,
            warmup_start: 0.1,
            min_lr: 0.0,
            step_epochs: 10,
            gamma: 0.5,
            max_lr: None,
            cycle_epochs: 2.0,
        }
    }

    #[test]
    fn warmup_cosine_spans_the_whole_run() {
        let mut args = schedule_args(ScheduleArg::WarmupCosine);
        args.warmup_epochs = Some(2.0);
        let (config, unit) = schedule(&args, 0.01, 10, 5).unwrap().unwrap();
        assert_eq!(unit, ScheduleUnit::Batch);
        let s = config.build().unwrap();
        // starts at f·η, reaches η after 2 epochs (10 batches), ends near 0
        assert!((s.learning_rate(0) - 0.001).abs() < 1e-15);
        assert_eq!(s.learning_rate(10), 0.01);
        assert!(s.learning_rate(49) < 1e-4 && s.learning_rate(49) > 0.0);
    }

    #[test]
    fn the_default_warmup_fits_short_runs() {
        let args = schedule_args(ScheduleArg::WarmupCosine);
        let steps = |epochs, batches| match schedule(&args, 0.01, epochs, batches).unwrap() {
            Some((ScheduleConfig::LinearWarmup { warmup_steps, .. }, _)) => Some(warmup_steps),
            _ => None,
        };
        assert_eq!(steps(40, 5), Some(10), "2 epochs of 5 batches");
        assert_eq!(steps(5, 10), Some(5), "a tenth of 5 epochs");
        assert_eq!(steps(1, 4), Some(1), "at least one batch");
        assert_eq!(steps(1, 1), None, "one batch in all: cosine without warmup");
    }

    #[test]
    fn schedule_errors_name_the_flag() {
        let mut args = schedule_args(ScheduleArg::WarmupCosine);
        args.warmup_epochs = Some(10.0);
        let err = schedule(&args, 0.01, 10, 5).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid --warmup-epochs 10"),
            "{err}"
        );
        let mut args = schedule_args(ScheduleArg::Cosine);
        args.min_lr = 0.1;
        let err = schedule(&args, 0.01, 10, 5).unwrap_err();
        assert!(err.to_string().starts_with("invalid --min-lr 0.1"), "{err}");
        let mut args = schedule_args(ScheduleArg::Step);
        args.gamma = 1.5;
        assert!(
            schedule(&args, 0.01, 10, 5)
                .unwrap_err()
                .to_string()
                .contains("--gamma")
        );
        let mut args = schedule_args(ScheduleArg::Cyclic);
        args.max_lr = Some(0.001);
        assert!(
            schedule(&args, 0.01, 10, 5)
                .unwrap_err()
                .to_string()
                .contains("--max-lr")
        );
        assert!(
            schedule(&schedule_args(ScheduleArg::Constant), 0.01, 10, 5)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn loss_must_fit_the_head() {
        assert_eq!(
            loss("auto", Head::Softmax).unwrap(),
            LossKind::CrossEntropyWithLogits
        );
        assert_eq!(loss("auto", Head::Identity).unwrap(), LossKind::Mse);
        let err = loss("mse", Head::Softmax).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = loss("hinge", Head::Softmax).unwrap_err();
        assert!(err.to_string().contains("mse, mae, huber"), "{err}");
    }
}
