//! The identity, "no activation".

use crate::Activation;

/// The identity $f(x) = x$ as an [`Activation`]: "no activation".
///
/// $$f(x) = x, \qquad f'(x) = 1.$$
///
/// The lecture: for regression the output layer uses no activation function,
/// so that the prediction can take any real value. Having it as an
/// [`Activation`] lets a network treat every layer alike. In a hidden layer
/// it would be a mistake: a stack of linear maps is one linear map, which is
/// why the lecture needs a nonlinearity at all.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Identity;

// ANCHOR: identity
impl Activation for Identity {
    #[inline]
    fn name(&self) -> &'static str {
        "identity"
    }

    #[inline]
    fn forward(&self, x: f64) -> f64 {
        x
    }

    #[inline]
    fn derivative(&self, _x: f64) -> f64 {
        1.0
    }
}
// ANCHOR_END: identity

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_values_through_with_slope_one() {
        for x in [-1e300, -2.5, 0.0, 3.0, f64::MAX] {
            assert_eq!(Identity.forward(x), x);
            assert_eq!(Identity.derivative(x), 1.0);
        }
    }
}
