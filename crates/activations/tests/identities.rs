//! Identities between the activations, and how far the GELU approximations
//! are from the exact GELU.

use activations::{
    Activation, ActivationKind, Elu, Gelu, GeluSigmoid, GeluTanh, Identity, LeakyRelu, Relu,
    Sigmoid, Tanh, sigmoid, sigmoid_as_written_in_lecture,
};
use proptest::prelude::*;

proptest! {
    #[test]
    fn sigmoid_is_symmetric(x in -40.0..40.0_f64) {
        // σ(−x) = 1 − σ(x)
        prop_assert!((sigmoid(-x) - (1.0 - sigmoid(x))).abs() <= 1e-16 * 2.0);
    }

    #[test]
    fn lecture_sigmoid_is_one_minus_sigma(x in -40.0..40.0_f64) {
        // correction 1: the written 1/(1 + eˣ) is the other class's probability
        let written = sigmoid_as_written_in_lecture(x);
        prop_assert!((written - (1.0 - sigmoid(x))).abs() <= 2e-16);
        prop_assert!((written - 1.0 / (1.0 + x.exp())).abs() <= 2e-16);
    }

    #[test]
    fn tanh_is_a_rescaled_sigmoid(x in -20.0..20.0_f64) {
        // tanh(x) = 2σ(2x) − 1, and so tanh'(x) = 4σ'(2x)
        prop_assert!((Tanh.forward(x) - (2.0 * sigmoid(2.0 * x) - 1.0)).abs() <= 4e-16);
        // 1 − tanh²x is computed to an absolute ~ε, not a relative one, once
        // tanh x ≈ ±1 (x = 10.55 needed more than 4e-16): fine for backprop
        prop_assert!((Tanh.derivative(x) - 4.0 * Sigmoid.derivative(2.0 * x)).abs() <= 1e-15);
    }

    #[test]
    fn every_gelu_minus_its_mirror_is_x(x in -20.0..20.0_f64) {
        // x·F(x) with F(x) + F(−x) = 1 (Φ, σ(1.702x), ½(1 + tanh u)) gives
        // GELU(x) − GELU(−x) = x: the shape is ReLU's, x = ReLU(x) − ReLU(−x)
        for f in [&Gelu as &dyn Activation, &GeluSigmoid, &GeluTanh, &Relu] {
            let gap = f.forward(x) - f.forward(-x);
            prop_assert!((gap - x).abs() <= 1e-14 * x.abs().max(1.0), "{} at {x}", f.name());
        }
    }

    #[test]
    fn elu_is_relu_plus_a_bounded_negative_part(x in -20.0..20.0_f64, alpha in 0.1..3.0_f64) {
        // ELU(x) = ReLU(x) + α(e^{min(x,0)} − 1) ∈ (ReLU(x) − α, ReLU(x)]
        let elu = Elu::new(alpha);
        let expected = Relu.forward(x) + alpha * x.min(0.0).exp_m1();
        prop_assert!((elu.forward(x) - expected).abs() <= 1e-15 * alpha);
        prop_assert!(elu.forward(x) > Relu.forward(x) - alpha);
        // for x < 0 the derivative is ELU(x) + α
        if x < 0.0 {
            prop_assert!((elu.derivative(x) - (elu.forward(x) + alpha)).abs() <= 1e-15 * alpha);
        }
    }
}

#[test]
fn leaky_relu_spans_relu_and_identity() {
    // α = 0 is ReLU (except at the kink, where α is returned), α = 1 the identity
    for x in [-3.0, -0.5, 0.25, 2.0] {
        assert_eq!(LeakyRelu::new(0.0).forward(x), Relu.forward(x));
        assert_eq!(LeakyRelu::new(0.0).derivative(x), Relu.derivative(x));
        assert_eq!(LeakyRelu::new(1.0).forward(x), Identity.forward(x));
        assert_eq!(LeakyRelu::new(1.0).derivative(x), Identity.derivative(x));
    }
}

/// The largest $|f(x) - g(x)|$ on $[-10, 10]$ in steps of $10^{-4}$, and
/// where it is. Beyond $|x| = 10$ all three GELUs agree to $< 10^{-6}$.
fn max_gap(f: impl Fn(f64) -> f64, g: impl Fn(f64) -> f64) -> (f64, f64) {
    (0..=200_000)
        .map(|i| -10.0 + i as f64 * 1e-4)
        .map(|x| ((f(x) - g(x)).abs(), x))
        .fold(
            (0.0, 0.0),
            |best, cur| if cur.0 > best.0 { cur } else { best },
        )
}

#[test]
fn gelu_approximations_stay_within_their_measured_error() {
    // (approximation, max |f − GELU|, at |x| ≈, max |f' − GELU'|, at |x| ≈),
    // measured on this grid and asserted to within 1%, so that a change to
    // either formula (e.g. 1.702 → 1.7) shows up
    let table: [(&dyn Activation, f64, f64, f64, f64); 2] = [
        (&GeluSigmoid, 0.020_335, 2.270, 0.029_072, 1.422),
        (&GeluTanh, 4.733e-4, 2.699, 8.685e-4, 2.019),
    ];
    for (approx, value_err, value_at, slope_err, slope_at) in table {
        let name = approx.name();
        let (err, at) = max_gap(|x| approx.forward(x), |x| Gelu.forward(x));
        assert!(
            err <= value_err * 1.01 && err >= value_err * 0.99,
            "{name}: max error {err}"
        );
        assert!((at.abs() - value_at).abs() < 0.01, "{name}: worst at {at}");
        let (err, at) = max_gap(|x| approx.derivative(x), |x| Gelu.derivative(x));
        assert!(
            err <= slope_err * 1.01 && err >= slope_err * 0.99,
            "{name}': max error {err}"
        );
        assert!((at.abs() - slope_at).abs() < 0.01, "{name}': worst at {at}");
    }
    // and in the tails they meet the exact GELU
    for x in [-30.0, -12.0, 12.0, 30.0] {
        assert!((GeluSigmoid.forward(x) - Gelu.forward(x)).abs() < 1e-6);
        assert!((GeluTanh.forward(x) - Gelu.forward(x)).abs() < 1e-12);
    }
}

#[test]
fn every_kind_passes_through_zero_sensibly() {
    // f(0) = 0 for all but the sigmoid (½); f'(0) as PyTorch gives it
    let table = [
        ("sigmoid", 0.5, 0.25),
        ("tanh", 0.0, 1.0),
        ("relu", 0.0, 0.0),
        ("leaky_relu", 0.0, 0.01),
        ("elu", 0.0, 1.0),
        ("gelu", 0.0, 0.5),
        ("gelu_sigmoid", 0.0, 0.5),
        ("gelu_tanh", 0.0, 0.5),
        ("identity", 0.0, 1.0),
    ];
    for (name, f0, d0) in table {
        let kind = ActivationKind::from_name(name).unwrap();
        assert_eq!(
            (kind.forward(0.0), kind.derivative(0.0)),
            (f0, d0),
            "{name}"
        );
    }
}
