//! The forward pass that keeps what backpropagation needs, and the backward
//! pass, in preallocated buffers.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Slice, Zip};

use super::dispatch::with_activation;
use super::kernels::{first_non_finite, sum_rows_into};
use super::objective::value_and_delta;
// ndarray's `general_mat_mul`, or `faer`'s product with the `faer` feature
use super::products::general_mat_mul;
use activations::{Activation, ActivationKind};
use mlp::{Gradients, Mlp, ModelError, Objective};

/// Buffers for one batch of up to `capacity` rows: the pre-activations
/// $z_l$, activations $a_l$ and errors $\delta_l$ of every layer, and the
/// gradients. Made once per training run; after that the forward and
/// backward passes write into it and allocate nothing of their own: the
/// matrix products write into these buffers through `products::general_mat_mul`
/// (ndarray's `general_mat_mul`, i.e. `matrixmultiply` or, with the `blas`
/// feature, OpenBLAS; with the `faer` feature, `faer` for the large ones).
///
/// Use: [`forward`](Self::forward) (keeps every $z_l$ and $a_l$), then
/// [`output_loss`](Self::output_loss) (the loss and $\delta_L$), then
/// [`backward`](Self::backward) with the same input.
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp, Objective};
/// use trainer::engine::Workspace;
/// use ndarray::array;
/// let net = Mlp::new(&Architecture::new([2, 4, 2], "relu".parse()?, Head::Softmax)?, Init::He, 0)?;
/// let objective = Objective::new(Head::Softmax, "ce_logits".parse()?)?;
/// let mut workspace = Workspace::new(&net, 32);
/// let (x, y) = (array![[0.5, -1.0]], array![[0.0, 1.0]]);
/// workspace.forward(&net, x.view())?;
/// let loss = workspace.output_loss(&objective, y.view())?;
/// let gradients = workspace.backward(&net, x.view())?;
/// assert!(loss > 0.0);
/// assert_eq!(gradients.layers()[0].weight.dim(), (4, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Workspace {
    sizes: Vec<usize>,
    capacity: usize,
    /// Rows of the batch of the last forward pass.
    rows: usize,
    /// $z_l$ for every layer (the last one is the logits $z_L$).
    z: Vec<Array2<f64>>,
    /// $a_l = f(z_l)$ for the hidden layers.
    a: Vec<Array2<f64>>,
    /// $\delta_l = \partial \mathcal{L} / \partial z_l$ for every layer.
    delta: Vec<Array2<f64>>,
    /// The head's output, for the probability-form losses.
    probs: Array2<f64>,
    /// $\partial \mathcal{L} / \partial p$, for the probability-form losses.
    dl_dp: Array2<f64>,
    gradients: Gradients,
}

/// The first `rows` rows.
fn top(m: &Array2<f64>, rows: usize) -> ArrayView2<'_, f64> {
    m.slice_axis(Axis(0), Slice::from(..rows))
}

/// The first `rows` rows, mutably.
fn top_mut(m: &mut Array2<f64>, rows: usize) -> ArrayViewMut2<'_, f64> {
    m.slice_axis_mut(Axis(0), Slice::from(..rows))
}

impl Workspace {
    /// Buffers for batches of up to `capacity` rows of `mlp`.
    pub fn new(mlp: &Mlp, capacity: usize) -> Self {
        let sizes = mlp.sizes();
        let widths = &sizes[1..];
        let k = mlp.n_outputs();
        let hidden = &widths[..widths.len() - 1];
        Self {
            capacity,
            rows: 0,
            z: widths
                .iter()
                .map(|&w| Array2::zeros((capacity, w)))
                .collect(),
            a: hidden
                .iter()
                .map(|&w| Array2::zeros((capacity, w)))
                .collect(),
            delta: widths
                .iter()
                .map(|&w| Array2::zeros((capacity, w)))
                .collect(),
            probs: Array2::zeros((capacity, k)),
            dl_dp: Array2::zeros((capacity, k)),
            gradients: Gradients::zeros(mlp),
            sizes,
        }
    }

    /// The largest batch it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn check_network(&self, mlp: &Mlp) -> Result<(), ModelError> {
        if mlp.has_sizes(&self.sizes) {
            Ok(())
        } else {
            Err(ModelError::WorkspaceMismatch {
                expected: self.sizes.clone(),
                found: mlp.sizes(),
            })
        }
    }

    /// The forward pass of `mlp` on the batch `x` (`m × d`, $m \le$
    /// capacity), keeping $z_l$ and $a_l$ of every layer; returns the logits
    /// $z_L$ (`m × k`).
    ///
    /// Per layer, one matrix product into the $z_l$ buffer and one fused pass
    /// that adds the bias and applies the activation:
    ///
    /// $$ z_l = a_{l-1} W_l^\top + \mathbf{1} b_l^\top, \qquad a_l = f(z_l), \qquad a_0 = X. $$
    pub fn forward(
        &mut self,
        mlp: &Mlp,
        x: ArrayView2<'_, f64>,
    ) -> Result<ArrayView2<'_, f64>, ModelError> {
        self.check_network(mlp)?;
        let rows = x.nrows();
        if x.ncols() != mlp.n_inputs() {
            return Err(ModelError::InputWidth {
                expected: mlp.n_inputs(),
                found: x.ncols(),
            });
        }
        if rows == 0 {
            return Err(ModelError::EmptyBatch { shape: x.dim() });
        }
        if rows > self.capacity {
            return Err(ModelError::BatchTooLarge {
                rows,
                capacity: self.capacity,
            });
        }
        self.rows = rows;
        let last = mlp.layers().len() - 1;
        for (l, layer) in mlp.layers().iter().enumerate() {
            let (before, from_here) = self.a.split_at_mut(l);
            let a_prev = if l == 0 { x } else { top(&before[l - 1], rows) };
            let mut z = top_mut(&mut self.z[l], rows);
            // ANCHOR: forward_layer
            // z_l ← a_(l−1)·W_lᵀ
            general_mat_mul(1.0, &a_prev, &layer.weight.t(), 0.0, &mut z);
            if l < last {
                // z_l += b_l and a_l = f(z_l) in one pass (bias + activation fused)
                let mut a = top_mut(&mut from_here[0], rows);
                with_activation!(mlp.hidden(), f => {
                    Zip::from(&mut z)
                        .and(&mut a)
                        .and_broadcast(&layer.bias)
                        .for_each(|z, a, &b| {
                            *z += b;
                            *a = f.forward(*z);
                        })
                });
            } else {
                // the last layer: z_L = a_(L−1)·W_Lᵀ + b_L, the logits; the head is in the loss
                Zip::from(&mut z)
                    .and_broadcast(&layer.bias)
                    .for_each(|z, &b| *z += b);
            }
            // ANCHOR_END: forward_layer
        }
        Ok(top(&self.z[last], rows))
    }

    /// The loss of the last forward pass's batch against targets `y`
    /// (`m × k`), with $\delta_L = \partial \mathcal{L} / \partial z_L$
    /// stored for [`backward`](Self::backward).
    ///
    /// An error if `y` has the wrong shape, or the logits are not finite
    /// ([`ModelError::NotFiniteOutput`]: the weights have blown up).
    pub fn output_loss(
        &mut self,
        objective: &Objective,
        y: ArrayView2<'_, f64>,
    ) -> Result<f64, ModelError> {
        let rows = self.rows;
        let last = self.z.len() - 1;
        let z = top(&self.z[last], rows);
        if y.dim() != z.dim() {
            return Err(ModelError::TargetShape {
                expected: z.dim(),
                found: y.dim(),
            });
        }
        if let Some(((row, col), value)) = first_non_finite(z) {
            return Err(ModelError::NotFiniteOutput { row, col, value });
        }
        value_and_delta(
            objective,
            z,
            y,
            top_mut(&mut self.delta[last], rows),
            top_mut(&mut self.probs, rows),
            top_mut(&mut self.dl_dp, rows),
        )
    }

    /// The logits $z_L$ of the last forward pass.
    pub fn logits(&self) -> ArrayView2<'_, f64> {
        top(&self.z[self.z.len() - 1], self.rows)
    }

    /// $z_l$ of layer `l` (0-based) from the last forward pass.
    pub fn pre_activation(&self, l: usize) -> ArrayView2<'_, f64> {
        top(&self.z[l], self.rows)
    }

    /// $a_l = f(z_l)$ of hidden layer `l` (0-based, not the last layer).
    pub fn activation(&self, l: usize) -> ArrayView2<'_, f64> {
        top(&self.a[l], self.rows)
    }

    /// $\delta_l = \partial \mathcal{L} / \partial z_l$ of layer `l` from the
    /// last backward pass (the last layer's from [`output_loss`](Self::output_loss)).
    pub fn delta(&self, l: usize) -> ArrayView2<'_, f64> {
        top(&self.delta[l], self.rows)
    }

    /// The gradients of the last backward pass.
    pub fn gradients(&self) -> &Gradients {
        &self.gradients
    }

    /// The backward pass (see [`mlp::backprop`] for the
    /// derivation): from $\delta_L$, layer by layer down to the first,
    ///
    /// $$ \frac{\partial \mathcal{L}}{\partial W_l} = \delta_l^\top a_{l-1}, \qquad
    ///    \frac{\partial \mathcal{L}}{\partial b_l} = \sum_{i} \delta_{l,i}, \qquad
    ///    \delta_{l-1} = (\delta_l W_l) \odot f'(z_{l-1}). $$
    ///
    /// `x` must be the batch given to the last [`forward`](Self::forward);
    /// $\delta_0 = \partial \mathcal{L} / \partial X$ is never computed (nothing
    /// is learnt from it, and it would cost a third matrix product in the widest layer).
    pub fn backward(
        &mut self,
        mlp: &Mlp,
        x: ArrayView2<'_, f64>,
    ) -> Result<&Gradients, ModelError> {
        self.check_network(mlp)?;
        let rows = self.rows;
        if x.dim() != (rows, mlp.n_inputs()) {
            return Err(ModelError::BatchChanged {
                expected: (rows, mlp.n_inputs()),
                found: x.dim(),
            });
        }
        for (l, layer) in mlp.layers().iter().enumerate().rev() {
            let (before, from_here) = self.delta.split_at_mut(l);
            let delta_l = top(&from_here[0], rows);
            let a_prev = if l == 0 { x } else { top(&self.a[l - 1], rows) };
            let grad = &mut self.gradients.layers_mut()[l];
            // ANCHOR: backward_layer
            // ∂L/∂W_l = δ_lᵀ·a_(l−1) (out × n · n × in)
            general_mat_mul(1.0, &delta_l.t(), &a_prev, 0.0, &mut grad.weight);
            // ∂L/∂b_l = Σᵢ δ_(l,i): b_l was added to every row
            sum_rows_into(delta_l, &mut grad.bias);
            if l > 0 {
                // δ_(l−1) = (δ_l·W_l) ⊙ f′(z_(l−1)) (n × out · out × in)
                let mut delta_prev = top_mut(&mut before[l - 1], rows);
                general_mat_mul(1.0, &delta_l, &layer.weight, 0.0, &mut delta_prev);
                let z_prev = top(&self.z[l - 1], rows);
                let a_prev = top(&self.a[l - 1], rows);
                match mlp.hidden() {
                    // f′ from the stored a = f(z): tanh′ = 1 − a², σ′ = a·(1 − a) —
                    // the same numbers as `derivative(z)`, without a second exponential
                    ActivationKind::Tanh => Zip::from(&mut delta_prev)
                        .and(&a_prev)
                        .for_each(|d, &a| *d *= 1.0 - a * a),
                    ActivationKind::Sigmoid => Zip::from(&mut delta_prev)
                        .and(&a_prev)
                        .for_each(|d, &a| *d *= a * (1.0 - a)),
                    hidden => with_activation!(hidden, f => {
                        Zip::from(&mut delta_prev)
                            .and(&z_prev)
                            .for_each(|d, &z| *d *= f.derivative(z))
                    }),
                }
            }
            // ANCHOR_END: backward_layer
        }
        Ok(&self.gradients)
    }
}
