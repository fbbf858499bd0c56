//! The lecture's derivation, line by line: one hidden neuron, four gradients.
//!
//! > Пусть есть нейросеть со скрытым слоем $f(x) = w_2 \sigma(w_1 x + b_1) + b_2$,
//! > а функция потерь $\mathcal{L} = \frac{1}{2} (y - \hat y)^2$ …
//!
//! The forward pass computes and **stores** the intermediate values
//!
//! $$ z = w_1 x + b_1, \qquad \sigma(z), \qquad \hat y = w_2\,\sigma(z) + b_2,
//!    \qquad \mathcal{L} = \tfrac12 (y - \hat y)^2, $$
//!
//! because every factor of the chain rule below is one of them (or a number
//! made from them): the backward pass needs no recomputation.
//!
//! Three ways to get the same four numbers are kept side by side:
//! [`gradients`] (the chain-rule products written out by hand),
//! [`gradients_by_autograd`] (the same graph built from [`Value`]s, which
//! applies the chain rule mechanically) and, in the tests and the `lecture`
//! example, central finite differences that know no calculus at all.
//!
//! **Исправление (corrections 2 and 3).** The lecture writes the network as
//! $w_2 \sigma(w_1 x + b_1) + b_1$ — the last term is $b_2$, as the
//! derivation itself assumes (it uses $\partial \hat y / \partial b_2 = 1$);
//! see [`y_hat_as_written_in_lecture`] and the test
//! `lecture_network_with_b1_twice_has_no_b2_gradient`. And it writes
//! $\frac{\partial \mathcal{L}}{\partial \hat y} = (y - \hat y)$, while
//! $\frac{\partial}{\partial \hat y} \frac12 (y - \hat y)^2 = -(y - \hat y) = \hat y - y$:
//! all four of its gradients have the wrong sign, and a gradient step with
//! them climbs the loss. See [`gradients_as_written_in_lecture`] and the
//! tests `literal_sign_is_exactly_the_negative` and
//! `one_sgd_step_descends_with_the_corrected_sign_and_climbs_with_the_literal_one`.

use crate::Value;
use activations::{Activation, Sigmoid, sigmoid};

/// The network's parameters $w_1, b_1, w_2, b_2$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Weight of the hidden neuron, $w_1$.
    pub w1: f64,
    /// Bias of the hidden neuron, $b_1$.
    pub b1: f64,
    /// Weight of the output, $w_2$.
    pub w2: f64,
    /// Bias of the output, $b_2$.
    pub b2: f64,
}

/// The lecture's worked example (chapter 5 of the book): $x = 0.5$, $y = 1$, and these parameters.
pub const WORKED_EXAMPLE: (f64, f64, Params) = (
    0.5,
    1.0,
    Params {
        w1: 0.3,
        b1: -0.1,
        w2: 0.8,
        b2: 0.2,
    },
);

/// What the forward pass stores for the backward pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forward {
    /// The input $x$.
    pub x: f64,
    /// The target $y$.
    pub y: f64,
    /// The hidden neuron's pre-activation $z = w_1 x + b_1$.
    pub z: f64,
    /// Its activation $\sigma(z)$.
    pub sigma_z: f64,
    /// The prediction $\hat y = w_2 \sigma(z) + b_2$.
    pub y_hat: f64,
    /// The loss $\mathcal{L} = \frac12 (y - \hat y)^2$.
    pub loss: f64,
}

/// $\dfrac{\partial \mathcal{L}}{\partial w_2}, \dfrac{\partial \mathcal{L}}{\partial b_2},
/// \dfrac{\partial \mathcal{L}}{\partial w_1}, \dfrac{\partial \mathcal{L}}{\partial b_1}$,
/// in the lecture's order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gradients {
    /// $\partial \mathcal{L} / \partial w_2$.
    pub dl_dw2: f64,
    /// $\partial \mathcal{L} / \partial b_2$.
    pub dl_db2: f64,
    /// $\partial \mathcal{L} / \partial w_1$.
    pub dl_dw1: f64,
    /// $\partial \mathcal{L} / \partial b_1$.
    pub dl_db1: f64,
}

impl Gradients {
    /// The four numbers in the lecture's order $w_2, b_2, w_1, b_1$.
    pub fn to_array(self) -> [f64; 4] {
        [self.dl_dw2, self.dl_db2, self.dl_dw1, self.dl_db1]
    }
}

impl std::ops::Neg for Gradients {
    type Output = Gradients;
    fn neg(self) -> Gradients {
        Gradients {
            dl_dw2: -self.dl_dw2,
            dl_db2: -self.dl_db2,
            dl_dw1: -self.dl_dw1,
            dl_db1: -self.dl_db1,
        }
    }
}

impl Params {
    /// The parameters in the lecture's gradient order $w_2, b_2, w_1, b_1$
    /// (the order of [`Gradients::to_array`]).
    pub fn to_array(self) -> [f64; 4] {
        [self.w2, self.b2, self.w1, self.b1]
    }

    /// The inverse of [`to_array`](Params::to_array).
    pub fn from_array([w2, b2, w1, b1]: [f64; 4]) -> Self {
        Params { w1, b1, w2, b2 }
    }

    /// The forward pass, storing every intermediate value:
    /// $z = w_1 x + b_1$, $\sigma(z)$, $\hat y = w_2 \sigma(z) + b_2$,
    /// $\mathcal{L} = \frac12 (y - \hat y)^2$.
    // ANCHOR: forward
    // z = w₁x + b₁, σ(z), ŷ = w₂σ(z) + b₂, L = ½(y − ŷ)², all kept for the backward pass
    pub fn forward(&self, x: f64, y: f64) -> Forward {
        let z = self.w1 * x + self.b1;
        let sigma_z = sigmoid(z);
        let y_hat = self.w2 * sigma_z + self.b2;
        let loss = 0.5 * (y - y_hat).powi(2);
        Forward {
            x,
            y,
            z,
            sigma_z,
            y_hat,
            loss,
        }
    }
    // ANCHOR_END: forward

    /// $\mathcal{L}$ alone (for finite differences and SGD checks).
    pub fn loss(&self, x: f64, y: f64) -> f64 {
        self.forward(x, y).loss
    }

    /// One step of gradient descent, the lecture's
    /// $w^{(t+1)} = w^{(t)} - \eta \frac{\partial \mathcal{L}}{\partial w^{(t)}}$
    /// for each of the four parameters.
    // ANCHOR: sgd_step
    // w ← w − η·∂L/∂w for each of the four parameters
    pub fn sgd_step(&self, grads: &Gradients, eta: f64) -> Params {
        Params {
            w1: self.w1 - eta * grads.dl_dw1,
            b1: self.b1 - eta * grads.dl_db1,
            w2: self.w2 - eta * grads.dl_dw2,
            b2: self.b2 - eta * grads.dl_db2,
        }
    }
    // ANCHOR_END: sgd_step
}

/// The lecture's network as printed, $w_2 \sigma(w_1 x + b_1) + b_1$, with
/// $b_1$ where $b_2$ belongs — kept only to show the misprint (correction 2):
/// in it $b_2$ does not occur at all, so $\partial \mathcal{L}/\partial b_2 = 0$,
/// not the derivation's $\frac{\partial \mathcal{L}}{\partial \hat y} \cdot 1$.
pub fn y_hat_as_written_in_lecture(params: &Params, x: f64) -> f64 {
    params.w2 * sigmoid(params.w1 * x + params.b1) + params.b1
}

// ANCHOR: hand_gradients
/// The four gradients as the lecture's chain-rule products, with the sign
/// corrected: $\dfrac{\partial \mathcal{L}}{\partial \hat y} = \hat y - y$.
///
/// Each factor is a local derivative of one step of the forward pass, read
/// off the stored values in `fwd`:
/// $\frac{\partial \hat y}{\partial w_2} = \sigma(z)$,
/// $\frac{\partial \hat y}{\partial b_2} = 1$,
/// $\frac{\partial \hat y}{\partial \sigma(z)} = w_2$,
/// $\frac{\partial \sigma(z)}{\partial z} = \sigma'(z) = \sigma(z)(1 - \sigma(z))$,
/// $\frac{\partial z}{\partial w_1} = x$, $\frac{\partial z}{\partial b_1} = 1$.
pub fn gradients(params: &Params, fwd: &Forward) -> Gradients {
    // ANCHOR: factors
    // ∂L/∂ŷ = −(y − ŷ) = ŷ − y   (the lecture writes y − ŷ: correction 3)
    let dl_dy_hat = fwd.y_hat - fwd.y;
    // the local derivatives, read off the values the forward pass stored
    let dy_hat_dw2 = fwd.sigma_z; // ∂ŷ/∂w₂ = σ(z)
    let dy_hat_db2 = 1.0; // ∂ŷ/∂b₂ = 1
    let dy_hat_dsigma = params.w2; // ∂ŷ/∂σ(z) = w₂
    let dsigma_dz = Sigmoid.derivative(fwd.z); // ∂σ(z)/∂z = σ(z)·(1 − σ(z))
    let dz_dw1 = fwd.x; // ∂z/∂w₁ = x
    let dz_db1 = 1.0; // ∂z/∂b₁ = 1
    // ANCHOR_END: factors

    // ANCHOR: dl_dw2
    // ∂L/∂w₂ = ∂L/∂ŷ · ∂ŷ/∂w₂
    let dl_dw2 = dl_dy_hat * dy_hat_dw2;
    // ANCHOR_END: dl_dw2
    // ANCHOR: dl_db2
    // ∂L/∂b₂ = ∂L/∂ŷ · ∂ŷ/∂b₂
    let dl_db2 = dl_dy_hat * dy_hat_db2;
    // ANCHOR_END: dl_db2
    // ANCHOR: dl_dw1
    // ∂L/∂w₁ = ∂L/∂ŷ · ∂ŷ/∂σ(z) · ∂σ(z)/∂z · ∂z/∂w₁
    let dl_dw1 = dl_dy_hat * dy_hat_dsigma * dsigma_dz * dz_dw1;
    // ANCHOR_END: dl_dw1
    // ANCHOR: dl_db1
    // ∂L/∂b₁ = ∂L/∂ŷ · ∂ŷ/∂σ(z) · ∂σ(z)/∂z · ∂z/∂b₁
    let dl_db1 = dl_dy_hat * dy_hat_dsigma * dsigma_dz * dz_db1;
    // ANCHOR_END: dl_db1

    Gradients {
        dl_dw2,
        dl_db2,
        dl_dw1,
        dl_db1,
    }
}
// ANCHOR_END: hand_gradients

/// The four gradients exactly as the lecture prints them, with
/// $\frac{\partial \mathcal{L}}{\partial \hat y} = (y - \hat y)$ — the wrong
/// sign (correction 3). Kept for comparison: they are exactly
/// `-gradients(params, fwd)`, and a step $w - \eta \cdot \text{grad}$ with them
/// increases $\mathcal{L}$.
// ANCHOR: literal_gradients
// as printed in the lecture: ∂L/∂ŷ = (y − ŷ), the wrong sign (correction 3)
pub fn gradients_as_written_in_lecture(params: &Params, fwd: &Forward) -> Gradients {
    let dl_dy_hat = fwd.y - fwd.y_hat; // as printed: (y − ŷ)
    let dsigma_dz = Sigmoid.derivative(fwd.z);
    Gradients {
        dl_dw2: dl_dy_hat * fwd.sigma_z,
        dl_db2: dl_dy_hat * 1.0,
        dl_dw1: dl_dy_hat * params.w2 * dsigma_dz * fwd.x,
        dl_db1: dl_dy_hat * params.w2 * dsigma_dz * 1.0,
    }
}
// ANCHOR_END: literal_gradients

/// The lecture's network built from [`Value`]s, each node named with the
/// lecture's symbol, ready for [`Value::backward`] or [`Value::to_dot`].
#[derive(Debug, Clone)]
pub struct Graph {
    /// Parameter $w_1$.
    pub w1: Value,
    /// Parameter $b_1$.
    pub b1: Value,
    /// Parameter $w_2$.
    pub w2: Value,
    /// Parameter $b_2$.
    pub b2: Value,
    /// $z = w_1 x + b_1$.
    pub z: Value,
    /// $\sigma(z)$.
    pub sigma_z: Value,
    /// $\hat y = w_2 \sigma(z) + b_2$.
    pub y_hat: Value,
    /// $\mathcal{L} = \frac12 (y - \hat y)^2$.
    pub loss: Value,
}

/// Builds the lecture's network as a graph: the input $x$ and target $y$
/// are constants (`f64`), the four parameters are leaves.
// ANCHOR: graph
// x and y are constants (f64); the four parameters are leaves
pub fn graph(params: &Params, x: f64, y: f64) -> Graph {
    let w1 = Value::named(params.w1, "w1");
    let b1 = Value::named(params.b1, "b1");
    let w2 = Value::named(params.w2, "w2");
    let b2 = Value::named(params.b2, "b2");
    let z = (&w1 * x + &b1).with_label("z");
    let sigma_z = z.sigmoid().with_label("σ(z)");
    let y_hat = (&w2 * &sigma_z + &b2).with_label("ŷ");
    let loss = (0.5 * (y - &y_hat).powi(2)).with_label("L");
    Graph {
        w1,
        b1,
        w2,
        b2,
        z,
        sigma_z,
        y_hat,
        loss,
    }
}
// ANCHOR_END: graph

/// The four gradients by reverse-mode autograd on [`graph`]: nobody wrote
/// a derivative of $\mathcal{L}$ here, only each operation's local one.
pub fn gradients_by_autograd(params: &Params, x: f64, y: f64) -> Gradients {
    let g = graph(params, x, y);
    g.loss.backward();
    Gradients {
        dl_dw2: g.w2.grad(),
        dl_db2: g.b2.grad(),
        dl_dw1: g.w1.grad(),
        dl_db1: g.b1.grad(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::{assert_all_close, assert_close, check_gradient, reference};
    use proptest::prelude::*;

    fn by_finite_differences(params: &Params, x: f64, y: f64) -> Vec<f64> {
        gradcheck::gradient(
            |p| Params::from_array([p[0], p[1], p[2], p[3]]).loss(x, y),
            &params.to_array(),
        )
    }

    #[test]
    fn worked_example_of_the_readme() {
        let (x, y, params) = WORKED_EXAMPLE;
        let fwd = params.forward(x, y);
        assert!((fwd.z - 0.05).abs() < 1e-15);
        let grads = gradients(&params, &fwd);
        // the book's chapter 5: ∂L/∂w2 ≈ −0.19988, the lecture's sign gives +0.19988
        assert!((grads.dl_dw2 - -0.19988).abs() < 5e-6, "{}", grads.dl_dw2);
        let literal = gradients_as_written_in_lecture(&params, &fwd);
        assert!((literal.dl_dw2 - 0.19988).abs() < 5e-6);
        let fd = by_finite_differences(&params, x, y);
        assert!((fd[0] - -0.19988).abs() < 5e-6);
    }

    #[test]
    fn pytorch_reference_values() {
        let json = reference::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/reference/lecture.json"
        ));
        let cases = json["cases"].as_array().expect("cases");
        assert!(cases.len() >= 5);
        for (i, case) in cases.iter().enumerate() {
            let f = |name: &str| {
                case[name]
                    .as_f64()
                    .unwrap_or_else(|| panic!("case {i}: {name}"))
            };
            let params = Params {
                w1: f("w1"),
                b1: f("b1"),
                w2: f("w2"),
                b2: f("b2"),
            };
            let fwd = params.forward(f("x"), f("y"));
            assert_close(fwd.z, f("z"), &format!("case {i}: z"));
            assert_close(fwd.sigma_z, f("sigma_z"), &format!("case {i}: σ(z)"));
            assert_close(fwd.y_hat, f("y_hat"), &format!("case {i}: ŷ"));
            assert_close(fwd.loss, f("loss"), &format!("case {i}: L"));
            let expected = reference::floats(&case["grad"], "grad");
            assert_all_close(
                &gradients(&params, &fwd).to_array(),
                &expected,
                &format!("case {i}: by hand"),
            );
            let auto = gradients_by_autograd(&params, f("x"), f("y"));
            assert_all_close(&auto.to_array(), &expected, &format!("case {i}: autograd"));
        }
    }

    #[test]
    fn lecture_network_with_b1_twice_has_no_b2_gradient() {
        // correction 2: in w2·σ(w1x + b1) + b1 there is no b2, so the
        // derivation's ∂ŷ/∂b2 = 1 cannot be about the network as printed
        let (x, _, params) = WORKED_EXAMPLE;
        let as_printed = |p: &[f64]| {
            y_hat_as_written_in_lecture(&Params::from_array([p[0], p[1], p[2], p[3]]), x)
        };
        let d = gradcheck::gradient(as_printed, &params.to_array());
        assert_eq!(d[1], 0.0, "∂ŷ/∂b2 of the printed network");
        // and ∂ŷ/∂b1 there is w2σ'(z) + 1, not the derivation's w2σ'(z)
        let dsigma = Sigmoid.derivative(params.forward(x, 0.0).z);
        assert!((d[3] - (params.w2 * dsigma + 1.0)).abs() < 1e-8);
        assert!((d[3] - params.w2 * dsigma).abs() > 0.5);
    }

    /// Parameters, input and target in a range where σ is not saturated.
    fn sample() -> impl Strategy<Value = (Params, f64, f64)> {
        (
            -2.0..2.0,
            -2.0..2.0,
            -2.0..2.0,
            -2.0..2.0,
            -2.0..2.0,
            -2.0..2.0f64,
        )
            .prop_map(|(w1, b1, w2, b2, x, y)| (Params { w1, b1, w2, b2 }, x, y))
    }

    proptest! {
        #[test]
        fn hand_formulas_autograd_and_finite_differences_agree((params, x, y) in sample()) {
            let fwd = params.forward(x, y);
            let hand = gradients(&params, &fwd).to_array();
            let auto = gradients_by_autograd(&params, x, y).to_array();
            for k in 0..4 {
                // same products in a different order: equal up to rounding
                prop_assert!((hand[k] - auto[k]).abs() <= 1e-14 * hand[k].abs().max(1.0), "{k}: {hand:?} vs {auto:?}");
            }
            let report = check_gradient(|p| Params::from_array([p[0], p[1], p[2], p[3]]).loss(x, y), &params.to_array(), &hand);
            prop_assert!(report.passes(gradcheck::GOOD), "{report}");
        }

        #[test]
        fn literal_sign_is_exactly_the_negative((params, x, y) in sample()) {
            let fwd = params.forward(x, y);
            let literal = gradients_as_written_in_lecture(&params, &fwd);
            prop_assert_eq!(literal, -gradients(&params, &fwd));
            // and it disagrees with finite differences whenever the gradient is not ~0
            let report = check_gradient(|p| Params::from_array([p[0], p[1], p[2], p[3]]).loss(x, y), &params.to_array(), &literal.to_array());
            prop_assume!(fwd.y_hat - y != 0.0 && report.numeric.iter().any(|g| g.abs() > 1e-6));
            prop_assert!(!report.passes(gradcheck::WRONG), "{report}");
        }

        #[test]
        fn one_sgd_step_descends_with_the_corrected_sign_and_climbs_with_the_literal_one((params, x, y) in sample()) {
            let fwd = params.forward(x, y);
            let grads = gradients(&params, &fwd);
            let norm2: f64 = grads.to_array().iter().map(|g| g * g).sum();
            // with a zero gradient there is nothing to see; the curvature of
            // L on this box is below 2/η, so the first-order term dominates
            prop_assume!(norm2 > 1e-8);
            let eta = 0.01;
            let down = params.sgd_step(&grads, eta).loss(x, y);
            let literal = gradients_as_written_in_lecture(&params, &fwd);
            let up = params.sgd_step(&literal, eta).loss(x, y);
            prop_assert!(down < fwd.loss, "corrected step: {} → {down}", fwd.loss);
            prop_assert!(up > fwd.loss, "literal step: {} → {up}", fwd.loss);
        }
    }
}
