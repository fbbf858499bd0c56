//! The pair "value and derivative" that every activation provides.

use ndarray::{Array, ArrayView, Dimension};

/// An activation function $f$ together with its derivative $f'$.
///
/// `forward` and `derivative` take the *pre-activation* $z$ (the neuron's
/// $w x + b$), as the lecture's $\sigma'(z)$ does. The array methods apply
/// the scalar ones element-wise to arrays of any dimension.
///
/// The trait is dyn-compatible (`&dyn Activation` works; the array methods
/// are then unavailable), but [`ActivationKind`](crate::ActivationKind) is
/// the usual way to hold "some activation".
pub trait Activation {
    /// The name under which the activation is chosen in configs and the CLI
    /// (`"relu"`, `"leaky_relu"`, `"gelu_sigmoid"` …).
    fn name(&self) -> &'static str;

    /// $f(x)$.
    fn forward(&self, x: f64) -> f64;

    /// $f'(x)$. At a kink (ReLU at 0) this is the one-sided value PyTorch's
    /// autograd gives; each type documents its choice.
    fn derivative(&self, x: f64) -> f64;

    /// $f$ applied to every element of `x`.
    fn forward_array<D: Dimension>(&self, x: ArrayView<'_, f64, D>) -> Array<f64, D>
    where
        Self: Sized,
    {
        x.mapv(|v| self.forward(v))
    }

    /// $f'$ at every element of `x`.
    fn derivative_array<D: Dimension>(&self, x: ArrayView<'_, f64, D>) -> Array<f64, D>
    where
        Self: Sized,
    {
        x.mapv(|v| self.derivative(v))
    }
}
