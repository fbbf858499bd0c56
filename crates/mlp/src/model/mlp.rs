//! The multilayer perceptron: layers, hidden activation, head.

use activations::Activation;
use activations::ActivationKind;
use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2};

use super::architecture::check_activation;
use super::{Architecture, Head, Init, Linear, ModelError};

/// A multilayer perceptron: "каждый слой представляет из себя линейное
/// преобразование и нелинейной функции".
///
/// With $a_0 = X$ (a batch, one sample per row) and layers $l = 1 \dots L$:
///
/// $$ z_l = a_{l-1} W_l^\top + \mathbf{1} b_l^\top, \qquad
///    a_l = f(z_l) \ (l < L), \qquad
///    \hat y = \text{head}(z_L). $$
///
/// The lecture's $f(x) = \sigma(w_2 \sigma(w_1 x + b_1) + b_2)$ is the case
/// $L = 2$ with $f = \sigma$ and a sigmoid head.
///
/// ```
/// use mlp::{Architecture, Head, Init, Mlp};
/// let arch = Architecture::new([2, 8, 3], "tanh".parse()?, Head::Softmax)?;
/// let net = Mlp::new(&arch, Init::Xavier, 42)?;
/// let x = ndarray::array![[0.5, -1.0], [2.0, 0.0]];
/// let p = net.predict_proba(x.view())?; // SoftMax rows: each sums to 1
/// assert!(p.rows().into_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
/// assert_eq!(net.predict(x.view())?.len(), 2);
/// // the same seed gives the same weights, bit for bit
/// assert_eq!(net, Mlp::new(&arch, Init::Xavier, 42)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    layers: Vec<Linear>,
    hidden: ActivationKind,
    head: Head,
}

/// The class a row of logits predicts: for a single sigmoid output,
/// 1 if $z \ge 0$ (i.e. $\sigma(z) \ge \tfrac12$) else 0; otherwise the
/// position of the largest logit (the first one on a tie) — SoftMax and
/// sigmoid are increasing, so the largest logit is the largest probability.
pub fn predicted_class(head: Head, z: ArrayView1<'_, f64>) -> usize {
    if head == Head::Sigmoid && z.len() == 1 {
        return usize::from(z[0] >= 0.0);
    }
    let mut best = 0;
    for (j, &v) in z.iter().enumerate() {
        if v > z[best] {
            best = j;
        }
    }
    best
}

impl Mlp {
    /// A network of the given architecture with weights drawn by `init`
    /// from `seed` (layer by layer, see [`Init::rng`]) and zero biases.
    pub fn new(architecture: &Architecture, init: Init, seed: u64) -> Result<Self, ModelError> {
        architecture.validate()?;
        init.validate()?;
        let mut rng = Init::rng(seed);
        let layers = architecture
            .sizes
            .windows(2)
            .map(|w| {
                let (fan_in, fan_out) = (w[0], w[1]);
                Linear {
                    weight: init.weights(fan_in, fan_out, &mut rng),
                    bias: ndarray::Array1::zeros(fan_out),
                }
            })
            .collect();
        Ok(Self {
            layers,
            hidden: architecture.hidden,
            head: architecture.head,
        })
    }

    /// A network from given layers; consecutive layers must fit
    /// (layer $l$ takes as many inputs as layer $l - 1$ has units) and all
    /// weights must be finite.
    pub fn from_layers(
        layers: Vec<Linear>,
        hidden: ActivationKind,
        head: Head,
    ) -> Result<Self, ModelError> {
        if layers.is_empty() {
            return Err(ModelError::NoLayers);
        }
        check_activation(hidden)?;
        for (l, layer) in layers.iter().enumerate() {
            layer.validate(l)?;
            if layer.n_inputs() == 0 || layer.n_outputs() == 0 {
                let mut sizes = vec![layers[0].n_inputs()];
                sizes.extend(layers.iter().map(Linear::n_outputs));
                let index = sizes.iter().position(|&s| s == 0).unwrap_or(l);
                return Err(ModelError::ZeroWidth { index, sizes });
            }
            if l > 0 && layer.n_inputs() != layers[l - 1].n_outputs() {
                return Err(ModelError::LayerMismatch {
                    layer: l,
                    inputs: layer.n_inputs(),
                    outputs: layers[l - 1].n_outputs(),
                });
            }
        }
        Ok(Self {
            layers,
            hidden,
            head,
        })
    }

    /// Sizes, hidden activation and head.
    pub fn architecture(&self) -> Architecture {
        Architecture {
            sizes: self.sizes(),
            hidden: self.hidden,
            head: self.head,
        }
    }

    /// Widths from input to output, e.g. `[64, 32, 10]`.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = Vec::with_capacity(self.layers.len() + 1);
        sizes.push(self.n_inputs());
        sizes.extend(self.layers.iter().map(Linear::n_outputs));
        sizes
    }

    /// Whether `sizes` are this network's [`sizes`](Self::sizes), without allocating.
    pub fn has_sizes(&self, sizes: &[usize]) -> bool {
        sizes.len() == self.layers.len() + 1
            && sizes[0] == self.n_inputs()
            && self
                .layers
                .iter()
                .zip(&sizes[1..])
                .all(|(layer, &s)| layer.n_outputs() == s)
    }

    /// The layers, first to last.
    pub fn layers(&self) -> &[Linear] {
        &self.layers
    }

    /// The hidden activation $f$.
    pub fn hidden(&self) -> ActivationKind {
        self.hidden
    }

    /// The output head.
    pub fn head(&self) -> Head {
        self.head
    }

    /// Number of inputs $d$.
    pub fn n_inputs(&self) -> usize {
        self.layers[0].n_inputs()
    }

    /// Number of outputs $k$.
    pub fn n_outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].n_outputs()
    }

    /// Number of trainable numbers.
    pub fn n_parameters(&self) -> usize {
        self.layers.iter().map(Linear::n_parameters).sum()
    }

    /// The last layer's output $z_L$ for a batch `x` (`n × d`): the logits of
    /// a classifier, the prediction of a regression network.
    pub fn logits(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, ModelError> {
        self.check_input(x)?;
        let f = self.hidden;
        let last = self.layers.len() - 1;
        let mut a = x.to_owned(); // a₀ = X
        for layer in &self.layers[..last] {
            a = layer.forward(a.view())?.mapv(|z| f.forward(z)); // a = f(a·Wᵀ + b)
        }
        self.layers[last].forward(a.view()) // z_L
    }

    /// Checks that `x` is a non-empty batch with one column per input.
    pub fn check_input(&self, x: ArrayView2<'_, f64>) -> Result<(), ModelError> {
        if x.ncols() != self.n_inputs() {
            return Err(ModelError::InputWidth {
                expected: self.n_inputs(),
                found: x.ncols(),
            });
        }
        if x.nrows() == 0 {
            return Err(ModelError::EmptyBatch { shape: x.dim() });
        }
        Ok(())
    }

    /// $f(x)$: the head applied to the logits — probabilities for a
    /// classifier, values for regression.
    pub fn forward(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, ModelError> {
        let mut z = self.logits(x)?;
        self.head.apply_inplace(z.view_mut());
        Ok(z)
    }

    /// Class probabilities ($\sigma(z)$ or SoftMax rows); an error for the
    /// identity head.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, ModelError> {
        if !self.head.is_classifier() {
            return Err(ModelError::NotClassifier {
                what: "predict_proba",
            });
        }
        self.forward(x)
    }

    /// The predicted class of each sample: the most probable one, or for a
    /// single sigmoid output, 1 when $p \ge \tfrac12$. An error for the
    /// identity head (use [`forward`](Self::forward) for regression).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Vec<usize>, ModelError> {
        if !self.head.is_classifier() {
            return Err(ModelError::NotClassifier { what: "predict" });
        }
        let z = self.logits(x)?;
        Ok(z.rows()
            .into_iter()
            .map(|row| predicted_class(self.head, row))
            .collect())
    }

    /// Every weight and bias in one vector: layer by layer, $W_l$ row by
    /// row, then $b_l$ (the order [`Gradients::to_vec`](crate::Gradients::to_vec) uses too).
    pub fn to_vec(&self) -> Vec<f64> {
        let mut flat = Vec::with_capacity(self.n_parameters());
        for layer in &self.layers {
            flat.extend(layer.weight.iter());
            flat.extend(layer.bias.iter());
        }
        flat
    }

    /// Sets every parameter from a vector in the order of
    /// [`to_vec`](Self::to_vec).
    pub fn set_from_slice(&mut self, flat: &[f64]) -> Result<(), ModelError> {
        if flat.len() != self.n_parameters() {
            return Err(ModelError::ParameterCount {
                expected: self.n_parameters(),
                found: flat.len(),
            });
        }
        let mut values = flat.iter();
        for (weight, bias) in self.parameters_mut() {
            for (p, v) in weight.into_iter().chain(bias).zip(&mut values) {
                *p = *v;
            }
        }
        Ok(())
    }

    /// Mutable views of each layer's $(W_l, b_l)$: values can change, shapes
    /// cannot.
    pub fn parameters_mut(
        &mut self,
    ) -> impl Iterator<Item = (ArrayViewMut2<'_, f64>, ArrayViewMut1<'_, f64>)> {
        self.layers
            .iter_mut()
            .map(|layer| (layer.weight.view_mut(), layer.bias.view_mut()))
    }

    /// Copies the weights of `other` (same sizes) into `self` without
    /// allocating: how the trainer keeps and restores its best weights.
    pub fn assign(&mut self, other: &Mlp) {
        debug_assert!(
            self.layers.len() == other.layers.len()
                && self
                    .layers
                    .iter()
                    .zip(&other.layers)
                    .all(|(a, b)| a.weight.dim() == b.weight.dim())
        );
        for (mine, theirs) in self.layers.iter_mut().zip(&other.layers) {
            mine.weight.assign(&theirs.weight);
            mine.bias.assign(&theirs.bias);
        }
    }

    /// The layers, for the optimizer to update in place (shapes must not change).
    pub fn layers_mut(&mut self) -> &mut [Linear] {
        &mut self.layers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Axis, Slice, array};

    fn arch(sizes: &[usize], head: Head) -> Architecture {
        Architecture::new(sizes, ActivationKind::Relu, head).unwrap()
    }

    #[test]
    fn new_draws_weights_of_the_right_shapes_and_zero_biases() {
        let net = Mlp::new(&arch(&[4, 5, 3], Head::Softmax), Init::He, 1).unwrap();
        assert_eq!(net.sizes(), vec![4, 5, 3]);
        assert_eq!(net.layers()[0].weight.dim(), (5, 4));
        assert_eq!(net.layers()[1].weight.dim(), (3, 5));
        assert!(
            net.layers()
                .iter()
                .all(|l| l.bias.iter().all(|&b| b == 0.0))
        );
        assert_eq!(net.n_parameters(), 5 * 4 + 5 + 3 * 5 + 3);
        assert_eq!(net.to_vec().len(), net.n_parameters());
        let other = Mlp::new(&arch(&[4, 5, 3], Head::Softmax), Init::He, 2).unwrap();
        assert_ne!(net, other, "another seed gives other weights");
    }

    #[test]
    fn from_layers_checks_that_layers_fit() {
        let relu = ActivationKind::Relu;
        let err = Mlp::from_layers(
            vec![Linear::zeros(3, 4), Linear::zeros(5, 2)],
            relu,
            Head::Softmax,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "layer 1 takes 5 inputs but layer 0 gives 4 outputs"
        );
        assert_eq!(
            Mlp::from_layers(vec![], relu, Head::Softmax).unwrap_err(),
            ModelError::NoLayers
        );
        let err = Mlp::from_layers(vec![Linear::zeros(0, 2)], relu, Head::Softmax).unwrap_err();
        assert!(
            matches!(err, ModelError::ZeroWidth { index: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn forward_is_the_layers_composed_by_hand() {
        let w1 = array![[1.0, -1.0], [0.5, 2.0]];
        let b1 = array![0.0, -1.0];
        let w2 = array![[1.0, 1.0]];
        let b2 = array![0.5];
        let net = Mlp::from_layers(
            vec![
                Linear::new(w1.clone(), b1.clone()).unwrap(),
                Linear::new(w2.clone(), b2.clone()).unwrap(),
            ],
            ActivationKind::Relu,
            Head::Identity,
        )
        .unwrap();
        let x = array![[1.0, 2.0], [-3.0, 0.5]];
        let a1 = (x.dot(&w1.t()) + &b1).mapv(|z: f64| z.max(0.0));
        let expected = a1.dot(&w2.t()) + &b2;
        assert_eq!(net.forward(x.view()).unwrap(), expected);
        assert_eq!(net.logits(x.view()).unwrap(), expected);
        assert_eq!(
            net.predict(x.view()).unwrap_err(),
            ModelError::NotClassifier { what: "predict" }
        );
    }

    #[test]
    fn predictions_follow_the_head() {
        let layer = Linear::new(array![[1.0], [-1.0]], array![0.0, 0.0]).unwrap();
        let softmax = Mlp::from_layers(vec![layer], ActivationKind::Relu, Head::Softmax).unwrap();
        let x = array![[2.0], [-2.0]];
        assert_eq!(softmax.predict(x.view()).unwrap(), vec![0, 1]);
        let sigmoid = Mlp::from_layers(
            vec![Linear::new(array![[1.0]], array![0.0]).unwrap()],
            ActivationKind::Relu,
            Head::Sigmoid,
        )
        .unwrap();
        assert_eq!(sigmoid.predict(x.view()).unwrap(), vec![1, 0]);
        let p = sigmoid.predict_proba(array![[0.0]].view()).unwrap();
        assert_eq!(p, array![[0.5]]);
    }

    #[test]
    fn a_rows_logits_do_not_depend_on_the_rest_of_the_batch() {
        let net = Mlp::new(&arch(&[3, 5, 2], Head::Softmax), Init::He, 9).unwrap();
        let x = Array2::from_shape_fn((2500, 3), |(i, j)| ((i * 3 + j) % 11) as f64 - 5.0);
        let all = net.logits(x.view()).unwrap();
        assert_eq!(all.dim(), (2500, 2));
        for i in [0, 1023, 1024, 2499] {
            let one = net
                .logits(x.slice_axis(Axis(0), Slice::from(i..i + 1)))
                .unwrap();
            assert_eq!(all.row(i), one.row(0), "row {i}");
        }
    }

    #[test]
    fn flat_parameters_round_trip() {
        let mut net = Mlp::new(&arch(&[3, 4, 2], Head::Softmax), Init::Xavier, 5).unwrap();
        let flat: Vec<f64> = (0..net.n_parameters()).map(|i| i as f64).collect();
        net.set_from_slice(&flat).unwrap();
        assert_eq!(net.to_vec(), flat);
        assert_eq!(net.layers()[0].weight[[0, 1]], 1.0);
        assert_eq!(net.layers()[0].bias[0], 12.0);
        assert_eq!(
            net.set_from_slice(&flat[1..]).unwrap_err(),
            ModelError::ParameterCount {
                expected: flat.len(),
                found: flat.len() - 1
            }
        );
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let net = Mlp::new(&arch(&[3, 2], Head::Softmax), Init::He, 0).unwrap();
        assert_eq!(
            net.forward(Array2::zeros((2, 4)).view()).unwrap_err(),
            ModelError::InputWidth {
                expected: 3,
                found: 4
            }
        );
        assert_eq!(
            net.forward(Array2::zeros((0, 3)).view()).unwrap_err(),
            ModelError::EmptyBatch { shape: (0, 3) }
        );
    }
}
