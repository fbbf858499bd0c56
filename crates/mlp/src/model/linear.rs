//! One layer: the lecture's "умножение на матрицу весов и смещение", $w_1 x + b_1$.

use ndarray::{Array1, Array2, ArrayView2};

use super::ModelError;

/// A fully connected layer with `weight` ($W$, `out × in`) and `bias`
/// ($b$, length `out`), PyTorch's `nn.Linear` layout.
///
/// **How this is the lecture's $w_1 x + b_1$.** The lecture applies a layer
/// to one sample, a column vector $x \in \mathbb{R}^{\text{in}}$:
/// $z = W x + b$ with $W \in \mathbb{R}^{\text{out} \times \text{in}}$ —
/// row $j$ of $W$ holds the weights of unit $j$. A batch stacks $n$ samples
/// as the *rows* of $X \in \mathbb{R}^{n \times \text{in}}$. Transposing
/// $z^\top = (W x + b)^\top = x^\top W^\top + b^\top$ for every row at once
/// gives
///
/// $$ Z = X W^\top + \mathbf{1} b^\top, \qquad Z \in \mathbb{R}^{n \times \text{out}}, $$
///
/// one matrix product for the whole batch, with $b$ added to every row.
/// The lecture's one-neuron example is the case in = out = 1: `weight` is
/// the $1 \times 1$ matrix $(w_1)$ and `bias` is $(b_1)$.
///
/// ```
/// use mlp::Linear;
/// use ndarray::array;
/// // two units, three inputs
/// let layer = Linear::new(array![[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]], array![0.0, 1.0])?;
/// let x = array![[1.0, 2.0, 3.0]]; // one sample per row
/// assert_eq!(layer.forward(x.view())?, array![[1.0 - 3.0, 3.0 + 1.0]]);
/// # Ok::<(), mlp::ModelError>(())
/// ```
///
/// The fields are public so that the book and the tests can set weights by
/// hand; [`Mlp::from_layers`](crate::Mlp::from_layers) checks the shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// $W$, `out × in`: row $j$ holds the weights of unit $j$.
    pub weight: Array2<f64>,
    /// $b$, one entry per unit (`out`).
    pub bias: Array1<f64>,
}

impl Linear {
    /// A layer from its weight (`out × in`) and bias (`out`); the bias must
    /// have one entry per row of the weight, and every entry must be finite.
    pub fn new(weight: Array2<f64>, bias: Array1<f64>) -> Result<Self, ModelError> {
        let layer = Self { weight, bias };
        layer.validate(0)?;
        Ok(layer)
    }

    /// A layer of zeros with `inputs` inputs and `outputs` units (also the
    /// shape of this layer's gradient).
    pub fn zeros(inputs: usize, outputs: usize) -> Self {
        Self {
            weight: Array2::zeros((outputs, inputs)),
            bias: Array1::zeros(outputs),
        }
    }

    /// Number of inputs (columns of $W$).
    pub fn n_inputs(&self) -> usize {
        self.weight.ncols()
    }

    /// Number of units, i.e. outputs (rows of $W$, length of $b$).
    pub fn n_outputs(&self) -> usize {
        self.weight.nrows()
    }

    /// Number of trainable numbers: $\text{out} \cdot \text{in} + \text{out}$.
    pub fn n_parameters(&self) -> usize {
        self.weight.len() + self.bias.len()
    }

    /// $Z = X W^\top + \mathbf{1} b^\top$ for a batch `x` (`n × in`).
    pub fn forward(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, ModelError> {
        if x.ncols() != self.n_inputs() {
            return Err(ModelError::InputWidth {
                expected: self.n_inputs(),
                found: x.ncols(),
            });
        }
        let z = x.dot(&self.weight.t()) + &self.bias; // Z = X·Wᵀ + b
        Ok(z)
    }

    /// Checks the bias length and that every entry is finite; `layer` is
    /// the index reported in errors.
    pub fn validate(&self, layer: usize) -> Result<(), ModelError> {
        if self.bias.len() != self.weight.nrows() {
            return Err(ModelError::BiasShape {
                layer,
                weight: self.weight.dim(),
                bias: self.bias.len(),
            });
        }
        let tensors = [
            ("weight", self.weight.iter().position(|v| !v.is_finite())),
            ("bias", self.bias.iter().position(|v| !v.is_finite())),
        ];
        for (tensor, bad) in tensors {
            if let Some(index) = bad {
                let value = match tensor {
                    "weight" => self.weight.iter().nth(index),
                    _ => self.bias.iter().nth(index),
                };
                return Err(ModelError::NotFiniteParameter {
                    layer,
                    tensor,
                    index,
                    value: value.copied().unwrap_or(f64::NAN),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn forward_is_x_w_transposed_plus_b_row_by_row() {
        let layer = Linear::new(
            array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
            array![0.1, 0.2, 0.3],
        )
        .unwrap();
        let x = array![[1.0, -1.0], [2.0, 0.5]];
        let z = layer.forward(x.view()).unwrap();
        // each row is W x_i + b for the sample x_i
        for (i, x_i) in x.rows().into_iter().enumerate() {
            let expected = layer.weight.dot(&x_i) + &layer.bias;
            assert_eq!(z.row(i), expected);
        }
        assert_eq!(layer.n_parameters(), 9);
    }

    #[test]
    fn the_lecture_neuron_is_a_one_by_one_layer() {
        // w₁ = 0.3, b₁ = -0.1, x = 0.5: z = w₁x + b₁ = 0.05
        let layer = Linear::new(array![[0.3]], array![-0.1]).unwrap();
        let z = layer.forward(array![[0.5]].view()).unwrap();
        assert!((z[[0, 0]] - 0.05).abs() < 1e-15);
    }

    #[test]
    fn bad_shapes_and_values_are_errors() {
        let err = Linear::new(Array2::zeros((3, 2)), Array1::zeros(2)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layer 0: the weight is (3, 2) (out × in) but the bias has 2 entries; it needs one per output (3)"
        );
        let err = Linear::new(array![[1.0, f64::NAN]], array![0.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "layer 0: weight[1] = NaN is not a finite number"
        );
        let err = Linear::zeros(2, 3)
            .forward(Array2::zeros((4, 5)).view())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input has 5 feature columns but the network takes 2"
        );
    }
}
