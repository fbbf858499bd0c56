//! What can be wrong when a network is built or run: sizes, shapes, a head
//! paired with a loss it cannot be trained with.

use losses::LossError;
use thiserror::Error;

/// Why a network could not be built, run or differentiated. Every message
/// names the sizes, shapes or values involved.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// Fewer than two layer sizes: a network needs at least its input and
    /// output widths.
    #[error(
        "layer sizes {sizes:?}: a network needs at least two sizes (inputs and outputs), e.g. [64, 32, 10]"
    )]
    TooFewSizes {
        /// The sizes given.
        sizes: Vec<usize>,
    },
    /// A layer of width 0.
    #[error("layer sizes {sizes:?}: size {index} is 0, but every layer needs at least one unit")]
    ZeroWidth {
        /// Position of the 0 in `sizes`.
        index: usize,
        /// The sizes given.
        sizes: Vec<usize>,
    },
    /// [`Mlp::from_layers`](crate::Mlp::from_layers) got no layers.
    #[error("a network needs at least one Linear layer, got none")]
    NoLayers,
    /// A layer whose bias does not have one entry per output.
    #[error(
        "layer {layer}: the weight is {weight:?} (out × in) but the bias has {bias} entries; it needs one per output ({out})",
        out = weight.0
    )]
    BiasShape {
        /// Index of the layer.
        layer: usize,
        /// Shape of its weight.
        weight: (usize, usize),
        /// Length of its bias.
        bias: usize,
    },
    /// Consecutive layers that do not fit together.
    #[error(
        "layer {layer} takes {inputs} inputs but layer {previous} gives {outputs} outputs",
        previous = layer - 1
    )]
    LayerMismatch {
        /// Index of the layer whose input width is wrong.
        layer: usize,
        /// Its input width (columns of its weight).
        inputs: usize,
        /// The previous layer's output width.
        outputs: usize,
    },
    /// A parameter that is NaN or infinite.
    #[error("layer {layer}: {tensor}[{index}] = {value} is not a finite number")]
    NotFiniteParameter {
        /// Index of the layer.
        layer: usize,
        /// `"weight"` or `"bias"`.
        tensor: &'static str,
        /// Flat (row-major) index of the entry.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An activation whose parameter is invalid (e.g. a NaN $\alpha$).
    #[error("hidden activation {activation:?}: {reason}")]
    InvalidActivation {
        /// The activation, as `Debug` shows it.
        activation: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A uniform initialisation whose limit is not a finite number > 0.
    #[error(
        "invalid uniform limit a = {limit}: expected a finite number > 0 (weights are drawn from U(-a, a))"
    )]
    InvalidUniformLimit {
        /// The limit given.
        limit: f64,
    },
    /// A head that cannot be trained with the chosen loss.
    #[error("the {head} head cannot be trained with the {loss} loss; use {expected}")]
    HeadLoss {
        /// The head's name.
        head: &'static str,
        /// The loss's name.
        loss: &'static str,
        /// The losses that fit this head, in words.
        expected: &'static str,
    },
    /// A name (of a head or an initialisation) that does not exist.
    #[error("unknown {what} {name:?}; known: {known}")]
    UnknownName {
        /// `"head"` or `"init"`.
        what: &'static str,
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: &'static str,
    },
    /// An input batch with the wrong number of features.
    #[error("the input has {found} feature columns but the network takes {expected}")]
    InputWidth {
        /// The network's input width.
        expected: usize,
        /// Columns of the input.
        found: usize,
    },
    /// A target batch whose shape differs from the network's output.
    #[error(
        "the targets have shape {found:?} but the network's output for this batch is {expected:?}"
    )]
    TargetShape {
        /// Shape of the output (rows × outputs).
        expected: (usize, usize),
        /// Shape of the targets.
        found: (usize, usize),
    },
    /// A batch with no rows.
    #[error("the batch is empty (shape {shape:?}); it needs at least one row")]
    EmptyBatch {
        /// The shape given.
        shape: (usize, usize),
    },
    /// A batch with more rows than a workspace was made for.
    #[error("a batch of {rows} rows does not fit a workspace made for {capacity}")]
    BatchTooLarge {
        /// Rows given.
        rows: usize,
        /// Rows the workspace holds.
        capacity: usize,
    },
    /// A workspace or gradient made for a network of other sizes.
    #[error("made for a network with layer sizes {expected:?}, used with one with sizes {found:?}")]
    WorkspaceMismatch {
        /// Sizes the workspace was made for.
        expected: Vec<usize>,
        /// Sizes of the network given.
        found: Vec<usize>,
    },
    /// The input given to the backward pass is not the shape of the batch
    /// of the forward pass before it.
    #[error(
        "the backward pass got an input of shape {found:?}, but the forward pass ran on {expected:?}; give both the same batch"
    )]
    BatchChanged {
        /// Shape of the forward pass's input.
        expected: (usize, usize),
        /// Shape given to the backward pass.
        found: (usize, usize),
    },
    /// The last layer produced NaN or ±∞ (the weights have blown up).
    #[error(
        "the network's output [{row}, {col}] = {value} is not finite; the weights have blown up"
    )]
    NotFiniteOutput {
        /// Sample (row) of the batch.
        row: usize,
        /// Output unit (column).
        col: usize,
        /// The value.
        value: f64,
    },
    /// Class predictions asked of a regression network.
    #[error(
        "{what} needs a classifier (sigmoid or softmax head), but this network has the identity head"
    )]
    NotClassifier {
        /// What was asked (`"predict"`, `"predict_proba"`).
        what: &'static str,
    },
    /// A flat parameter vector of the wrong length.
    #[error("expected {expected} parameters, got {found}")]
    ParameterCount {
        /// The network's parameter count.
        expected: usize,
        /// Length given.
        found: usize,
    },
    /// The loss rejected its input (e.g. a target outside [0, 1] for cross-entropy).
    #[error("loss: {0}")]
    Loss(#[from] LossError),
    /// The optimizer rejected a step (e.g. a gradient became NaN or ±∞).
    #[error("optimizer: {0}")]
    Optimizer(#[from] optim::OptimError),
    /// The autograd tape rejected an operation.
    #[error("autograd: {0}")]
    Tape(#[from] autograd::TapeError),
}
