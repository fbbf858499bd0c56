//! $\partial \mathcal{L} / \partial W_l$ and $\partial \mathcal{L} / \partial b_l$ for every layer.

use crate::{Linear, Mlp};

/// The gradient of the loss with respect to every parameter: one
/// [`Linear`] per layer holding $\partial \mathcal{L} / \partial W_l$ (the
/// shape of $W_l$) and $\partial \mathcal{L} / \partial b_l$ (the shape of
/// $b_l$).
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    layers: Vec<Linear>,
}

impl Gradients {
    /// Zeros shaped like the parameters of `mlp`.
    pub fn zeros(mlp: &Mlp) -> Self {
        Self::from_layers(
            mlp.layers()
                .iter()
                .map(|l| Linear::zeros(l.n_inputs(), l.n_outputs()))
                .collect(),
        )
    }

    /// Gradients from one [`Linear`] per layer (`weight` $= \partial \mathcal{L} / \partial W_l$).
    pub fn from_layers(layers: Vec<Linear>) -> Self {
        Self { layers }
    }

    /// Per layer: `weight` is $\partial \mathcal{L} / \partial W_l$, `bias`
    /// is $\partial \mathcal{L} / \partial b_l$.
    pub fn layers(&self) -> &[Linear] {
        &self.layers
    }

    /// Per layer, mutably (an engine writes them in place).
    pub fn layers_mut(&mut self) -> &mut [Linear] {
        &mut self.layers
    }

    /// All entries in [`Mlp::to_vec`]'s order (layer by layer, $W$ row by
    /// row, then $b$), so entry $i$ is $\partial \mathcal{L} / \partial \theta_i$.
    pub fn to_vec(&self) -> Vec<f64> {
        self.layers
            .iter()
            .flat_map(|l| l.weight.iter().chain(l.bias.iter()).copied())
            .collect()
    }

    /// The largest $|a - b|$ over all entries of two gradients of the same
    /// shapes (`f64::INFINITY` if the shapes differ).
    pub fn max_abs_difference(&self, other: &Gradients) -> f64 {
        let same_shapes = self.layers.len() == other.layers.len()
            && self
                .layers
                .iter()
                .zip(&other.layers)
                .all(|(a, b)| a.weight.dim() == b.weight.dim() && a.bias.len() == b.bias.len());
        if !same_shapes {
            return f64::INFINITY;
        }
        self.to_vec()
            .iter()
            .zip(other.to_vec())
            .fold(0.0, |m, (a, b)| m.max((a - b).abs()))
    }
}
