//! The command line, as clap structs. Only parsing lives here; turning the
//! values into a data set, a network and a training configuration (and
//! rejecting bad ones with one clear line) is [`crate::setup`]'s job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str =
    "Train, evaluate and inspect multilayer perceptrons (Lecture 11, deep learning).";

const LONG_ABOUT: &str = "\
Train, evaluate and inspect multilayer perceptrons (Lecture 11, deep learning).

Without a command, `nn` runs `nn train` with its defaults: the built-in digits
(8x8 images, 10 classes), one hidden layer of 128 ReLU units, a softmax output
trained with cross-entropy on the logits, Adam, a linear warmup followed by
cosine annealing of the learning rate. It prints the test accuracy at the end
and writes metrics.csv, report.svg, the model and a checkpoint to runs/digits-seed42/.

The lecture's loop, as `nn train` runs it: random initial weights; then for every
batch of the TRAINING data a forward pass, the loss, the gradient by
backpropagation (the chain rule) and an update of the weights by the optimizer;
one pass over the training set is an epoch. The validation part is measured after
every epoch, the test part once at the end.";

const AFTER_HELP: &str = "\
Examples:
  nn                                        train on the digits with the defaults
  nn train --data moons --hidden 16,16 --activation tanh --epochs 60
  nn train --data my.csv --label species --optimizer momentum --lr 0.05 --momentum 0.9
  nn eval runs/digits-seed42                test accuracy and confusion matrix of a saved run
  nn lr-find --data digits                  LR range test: which learning rate to choose
  nn resume runs/digits-seed42              continue an interrupted run (Ctrl-C saves one)";

/// `nn`: the command line.
#[derive(Debug, Parser)]
#[command(
    name = "nn",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// What to do; without one, `nn train` with its defaults.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The largest CSV file (after gzip) that `nn` reads, in MB: a loaded CSV
    /// takes about 25 times its size in memory.
    #[arg(
        long,
        global = true,
        value_name = "MB",
        default_value_t = crate::limits::DEFAULT_MAX_INPUT_MB
    )]
    pub max_input_mb: u64,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a network and write metrics.csv, report.svg, the model and a checkpoint.
    #[command(
        long_about = "Train a multilayer perceptron on a data set.\n\n\
            The data are split into train / validation / test parts (stratified by class, \
            seeded); the features are standardised with the mean and standard deviation of \
            the training part only. The gradients see the training part only; the validation \
            part is measured after every epoch; the test part once, at the end.\n\n\
            Press Ctrl-C (or send SIGTERM / SIGHUP) to stop at the next batch: a checkpoint is \
            saved and the command to resume it is printed. A checkpoint is also saved about \
            every minute (--checkpoint-every).",
        after_help = "Writes into --out: metrics.csv (one row per epoch), report.svg (loss and \
            accuracy curves), model.safetensors (for `nn eval`), checkpoint/ (for `nn resume`) \
            and run.json (the settings and a checksum of every file). The folder is replaced as a \
            whole: it always holds the previous complete run or the new one, never a mixture."
    )]
    Train(TrainArgs),
    /// Evaluate a saved model: loss, accuracy and the confusion matrix.
    #[command(
        long_about = "Evaluate a saved model on a data set: the loss, the accuracy and, \
        for classes, the confusion matrix (rows: true class, columns: predicted class).\n\n\
        Given a run folder (or the model file inside it), the data set and the split are \
        those of the run, and the default part is its test part, so the accuracy is the test \
        accuracy `nn train` reported."
    )]
    Eval(EvalArgs),
    /// LR range test (fast.ai variant): grow the learning rate exponentially, record the loss.
    #[command(
        name = "lr-find",
        long_about = "The learning-rate range test in the form of Smith (2018) and fast.ai \
            (Howard & Gugger 2020): train a fresh network for a few hundred batches while the \
            learning rate grows exponentially from --start-lr to --end-lr, smooth the loss of \
            every batch, stop once it blows up, and suggest η*/10, where η* gave the lowest \
            smoothed loss (too large a learning rate shows as an oscillating or quickly growing \
            loss). Smith (2015), the paper the lecture cites, raised the rate linearly over a \
            few epochs and read the accuracy instead.\n\n\
            Prints the series as a small table and the suggested rate; writes lr_find.csv and \
            lr_find.svg into --out."
    )]
    LrFind(LrFindArgs),
    /// Continue a training run from its checkpoint folder.
    #[command(
        long_about = "Continue a training run from its checkpoint folder (or the run \
        folder that holds it) with the same data, split, settings and random state: the final \
        weights are bit for bit those of an uninterrupted run. Writes the run's outputs \
        again when it finishes."
    )]
    Resume(ResumeArgs),
}

/// Where the data come from.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Data")]
pub struct DataArgs {
    /// The data set: a built-in name (digits, iris, xor, moons, circles,
    /// spirals, sine) or the path of a CSV file (one sample per line; gzip
    /// allowed; write ./digits for a file named like a built-in set).
    #[arg(long, short = 'd', value_name = "NAME|CSV", default_value = "digits")]
    pub data: String,

    /// CSV: the label (target) column, by header name, 0-based index, or `last`.
    #[arg(long, value_name = "COLUMN", default_value = "last")]
    pub label: String,

    /// CSV: whether the first line is a header (`auto`: if it has text where numbers belong).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = HeaderArg::Auto)]
    pub header: HeaderArg,

    /// CSV: the cell separator (e.g. ';' or a tab).
    #[arg(long, value_name = "CHAR", default_value = ",")]
    pub delimiter: char,

    /// CSV: the label column holds real numbers to predict (regression: identity
    /// output, MSE loss) rather than class labels.
    #[arg(long)]
    pub regression: bool,
}

/// `--header` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeaderArg {
    /// A header if the first line has text where numbers belong.
    Auto,
    /// The first line names the columns.
    Yes,
    /// The first line is data.
    No,
}

/// The network's shape.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Network")]
pub struct ModelArgs {
    /// Widths of the hidden layers, comma-separated (`128`, `128,64`; `none`
    /// for no hidden layer: a linear model). Inputs and outputs come from the data.
    #[arg(long, value_name = "SIZES", default_value = "128")]
    pub hidden: String,

    /// The activation f of every hidden layer: sigmoid, tanh, relu,
    /// leaky_relu[(α)], elu[(α)], gelu, gelu_sigmoid, gelu_tanh, identity.
    #[arg(long, short = 'a', value_name = "NAME", default_value = "relu")]
    pub activation: String,

    /// The output head: softmax (one output per class), sigmoid (binary:
    /// one output), identity (regression); `auto` chooses by the data.
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub head: String,

    /// Initial random weights: he (ReLU family), xavier (sigmoid, tanh),
    /// uniform or uniform(a) (the lecture's plain U(-a, a)); `auto` chooses by the activation.
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub init: String,
}

/// The optimizer and its hyperparameters.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Optimizer")]
pub struct OptimizerArgs {
    /// The update rule: sgd, momentum, nesterov, rmsprop, adam, adamw.
    #[arg(long, short = 'o', value_name = "NAME", default_value = "adam")]
    pub optimizer: String,

    /// The learning rate η (the peak of a schedule). Default: 3e-3 for adam,
    /// adamw and rmsprop; 0.05 for sgd, momentum and nesterov.
    #[arg(long, value_name = "ETA", allow_negative_numbers = true)]
    pub lr: Option<f64>,

    /// Momentum μ in [0, 1) (momentum, nesterov): the share of the previous
    /// velocity kept. Default 0.9.
    #[arg(long, value_name = "MU", allow_negative_numbers = true)]
    pub momentum: Option<f64>,

    /// Adam's β1 in [0, 1): decay of the first moment m (adam, adamw). Default 0.9.
    #[arg(long, value_name = "BETA1", allow_negative_numbers = true)]
    pub beta1: Option<f64>,

    /// Adam's β2 in [0, 1): decay of the second moment v (adam, adamw). Default 0.999.
    #[arg(long, value_name = "BETA2", allow_negative_numbers = true)]
    pub beta2: Option<f64>,

    /// RMSProp's decay ρ in [0, 1) of the mean squared gradient. Default 0.99.
    #[arg(long, value_name = "RHO", allow_negative_numbers = true)]
    pub rho: Option<f64>,

    /// ε > 0 added to the denominator (rmsprop, adam, adamw). Default 1e-8.
    #[arg(long, value_name = "EPS", allow_negative_numbers = true)]
    pub eps: Option<f64>,

    /// Decoupled weight decay λ ≥ 0 (adamw). Default 0.01.
    #[arg(long, value_name = "LAMBDA", allow_negative_numbers = true)]
    pub weight_decay: Option<f64>,
}

/// How the learning rate changes during training.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Learning-rate schedule")]
pub struct ScheduleArgs {
    /// The learning-rate schedule: warmup-cosine (linear warmup, then cosine
    /// annealing to --min-lr), cosine, step (step decay every --step-epochs
    /// by --gamma), cyclic (between --lr and --max-lr), constant.
    #[arg(long, value_enum, value_name = "NAME", default_value_t = ScheduleArg::WarmupCosine)]
    pub schedule: ScheduleArg,

    /// warmup-cosine: epochs of linear warmup from --warmup-start × η up to η.
    /// Default: 2, or a tenth of the run if that is shorter.
    #[arg(long, value_name = "EPOCHS", allow_negative_numbers = true)]
    pub warmup_epochs: Option<f64>,

    /// warmup-cosine: the warmup's starting factor f in (0, 1].
    #[arg(
        long,
        value_name = "F",
        default_value_t = 0.1,
        allow_negative_numbers = true
    )]
    pub warmup_start: f64,

    /// warmup-cosine, cosine: the final learning rate η_min (≥ 0, below η).
    #[arg(
        long,
        value_name = "ETA",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    pub min_lr: f64,

    /// step: multiply η by --gamma every this many epochs.
    #[arg(
        long,
        value_name = "EPOCHS",
        default_value_t = 10,
        allow_negative_numbers = true
    )]
    pub step_epochs: i64,

    /// step: the factor γ in (0, 1] of each step decay.
    #[arg(
        long,
        value_name = "GAMMA",
        default_value_t = 0.5,
        allow_negative_numbers = true
    )]
    pub gamma: f64,

    /// cyclic: the top of the cycle (η is the bottom). Default 10 × η.
    #[arg(long, value_name = "ETA", allow_negative_numbers = true)]
    pub max_lr: Option<f64>,

    /// cyclic: epochs of one rise (the fall takes as long).
    #[arg(
        long,
        value_name = "EPOCHS",
        default_value_t = 2.0,
        allow_negative_numbers = true
    )]
    pub cycle_epochs: f64,
}

/// `--schedule` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleArg {
    /// Linear warmup, then cosine annealing (stepped every batch).
    WarmupCosine,
    /// Cosine annealing from η to --min-lr over the run (every batch).
    Cosine,
    /// Step decay: η·γ^⌊epoch / step⌋ (every epoch).
    Step,
    /// Cyclic learning rate, triangular (every batch).
    Cyclic,
    /// A fixed η.
    Constant,
}

/// The train / validation / test split.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Data")]
pub struct SplitArgs {
    /// Fractions of the data for training, validation and test; they must add up to 1
    /// (e.g. 0.8,0.2,0 for no test part).
    #[arg(long, value_name = "TRAIN,VAL,TEST", default_value = "0.7,0.15,0.15")]
    pub split: String,
}

/// `nn train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub split: SplitArgs,
    #[command(flatten)]
    pub model: ModelArgs,

    /// The loss L: ce_logits, bce_logits, ce, bce, focal, focal_multiclass,
    /// mse, mae, huber; `auto` picks the head's (cross-entropy on the logits, or MSE).
    #[arg(
        help_heading = "Network",
        long,
        short = 'l',
        value_name = "NAME",
        default_value = "auto"
    )]
    pub loss: String,

    #[command(flatten)]
    pub optimizer: OptimizerArgs,
    #[command(flatten)]
    pub schedule: ScheduleArgs,

    /// Epochs: passes over the training set.
    #[arg(
        help_heading = "Training",
        long,
        short = 'e',
        value_name = "N",
        default_value_t = 40,
        allow_negative_numbers = true
    )]
    pub epochs: i64,

    /// Samples per batch (mini-batch gradient descent; the last batch of an epoch may be smaller).
    #[arg(
        help_heading = "Training",
        long,
        short = 'b',
        value_name = "N",
        default_value_t = 32,
        allow_negative_numbers = true
    )]
    pub batch_size: i64,

    /// Seed of everything random: the split, the initial weights, the
    /// shuffles, the synthetic data. The same seed gives the same run, bit for bit.
    #[arg(
        help_heading = "Training",
        long,
        short = 's',
        value_name = "N",
        default_value_t = 42
    )]
    pub seed: u64,

    /// Early stopping: stop after this many epochs without a lower validation
    /// loss, and keep the best epoch's weights.
    #[arg(
        help_heading = "Training",
        long,
        value_name = "EPOCHS",
        allow_negative_numbers = true
    )]
    pub patience: Option<i64>,

    /// The run folder. Default: runs/{data}-seed{seed}, e.g. runs/digits-seed42
    /// (runs/digits-seed42-2 … if that holds a run already).
    #[arg(help_heading = "Training", long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace the finished or interrupted run that --out holds (it stays
    /// until the new run saves its first checkpoint).
    #[arg(help_heading = "Training", long)]
    pub force: bool,

    /// Save a checkpoint every N epochs (0: only when stopped and at the end).
    /// Default: after the first epoch that ends a minute or more after the last save.
    #[arg(
        help_heading = "Training",
        long,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub checkpoint_every: Option<i64>,
}

/// `nn eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// A run folder written by `nn train`, or a model file (.safetensors).
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,

    /// The data set to evaluate on (default: the run's, from its run.json).
    #[arg(long, short = 'd', value_name = "NAME|CSV")]
    pub data: Option<String>,

    /// CSV: the label column (by name, 0-based index or `last`; default: the run's).
    #[arg(long, value_name = "COLUMN")]
    pub label: Option<String>,

    /// CSV: whether the first line is a header (default: the run's, or auto).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub header: Option<HeaderArg>,

    /// CSV: the cell separator (default: the run's, or ',').
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,

    /// Which rows: the test, validation or train part of the run's split, or all of them.
    /// Default: test for a run's data set, all for other data.
    #[arg(long, value_enum, value_name = "PART")]
    pub part: Option<PartArg>,

    /// The loss to report (default: the run's).
    #[arg(long, short = 'l', value_name = "NAME")]
    pub loss: Option<String>,
}

/// `--part` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartArg {
    /// The training part of the split.
    Train,
    /// The validation part.
    Validation,
    /// The test part.
    Test,
    /// Every row of the data set.
    All,
}

/// `nn lr-find`.
#[derive(Debug, Clone, Args)]
pub struct LrFindArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub split: SplitArgs,
    #[command(flatten)]
    pub model: ModelArgs,

    /// The loss L (`auto`: the head's).
    #[arg(
        help_heading = "Network",
        long,
        short = 'l',
        value_name = "NAME",
        default_value = "auto"
    )]
    pub loss: String,

    #[command(flatten)]
    pub optimizer: OptimizerArgs,

    /// The first learning rate of the sweep.
    #[arg(
        help_heading = "Sweep",
        long,
        value_name = "ETA",
        default_value_t = 1e-6,
        allow_negative_numbers = true
    )]
    pub start_lr: f64,

    /// The last learning rate of the sweep.
    #[arg(
        help_heading = "Sweep",
        long,
        value_name = "ETA",
        default_value_t = 1.0,
        allow_negative_numbers = true
    )]
    pub end_lr: f64,

    /// Batches in the sweep (η grows by the same factor every batch).
    #[arg(
        help_heading = "Sweep",
        long,
        value_name = "N",
        default_value_t = 200,
        allow_negative_numbers = true
    )]
    pub steps: i64,

    /// Samples per batch.
    #[arg(
        help_heading = "Sweep",
        long,
        short = 'b',
        value_name = "N",
        default_value_t = 32,
        allow_negative_numbers = true
    )]
    pub batch_size: i64,

    /// Seed of the split, the initial weights and the shuffles.
    #[arg(
        help_heading = "Sweep",
        long,
        short = 's',
        value_name = "N",
        default_value_t = 42
    )]
    pub seed: u64,

    /// The output folder for lr_find.csv and lr_find.svg. Default: runs/{data}-lr-find.
    #[arg(help_heading = "Sweep", long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `nn resume`.
#[derive(Debug, Clone, Args)]
pub struct ResumeArgs {
    /// The run folder (or its `checkpoint/` subfolder).
    #[arg(value_name = "RUN_DIR")]
    pub checkpoint: PathBuf,

    /// The CSV file of the run, if it moved: it must hold the same data
    /// (checked against the checksum recorded when the run started).
    #[arg(long, short = 'd', value_name = "CSV")]
    pub data: Option<PathBuf>,

    /// Save a checkpoint every N epochs (0: only when stopped and at the end;
    /// default: about every minute).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub checkpoint_every: Option<i64>,
}
