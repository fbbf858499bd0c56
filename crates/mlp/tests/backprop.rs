//! The hand-written backward pass against the autograd tape, central
//! differences, PyTorch, and the lecture's worked example.

use activations::ActivationKind;
use gradcheck::{assert_all_close, check_gradient, reference};
use losses::LossKind;
use mlp::{Architecture, Gradients, Head, Init, Linear, Mlp, loss_and_gradients_autograd};
use ndarray::{Array2, array};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A random network with random (non-zero) biases, a batch and fitting targets.
fn random_case(
    sizes: &[usize],
    hidden: ActivationKind,
    head: Head,
    loss: LossKind,
    rows: usize,
    seed: u64,
) -> (Mlp, Array2<f64>, Array2<f64>) {
    let arch = Architecture::new(sizes, hidden, head).unwrap();
    let mut net = Mlp::new(&arch, Init::Uniform { limit: 1.0 }, seed).unwrap();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    for (_, mut b) in net.parameters_mut() {
        b.mapv_inplace(|_| rng.random_range(-0.5..0.5));
    }
    let d = sizes[0];
    let k = *sizes.last().unwrap();
    let x = Array2::from_shape_simple_fn((rows, d), || rng.random_range(-2.0..2.0));
    let y = match loss {
        LossKind::CrossEntropyWithLogits
        | LossKind::CrossEntropy
        | LossKind::FocalMulticlass { .. } => {
            let mut y = Array2::zeros((rows, k));
            for mut row in y.rows_mut() {
                row[rng.random_range(0..k)] = 1.0;
            }
            y
        }
        LossKind::BceWithLogits | LossKind::Bce | LossKind::FocalBinary { .. } => {
            Array2::from_shape_simple_fn((rows, k), || f64::from(rng.random_range(0..2u8)))
        }
        _ => Array2::from_shape_simple_fn((rows, k), || rng.random_range(-1.5..1.5)),
    };
    (net, x, y)
}

/// Every (head, loss) pair the crate can train.
fn head_and_loss() -> impl Strategy<Value = (Head, LossKind)> {
    prop_oneof![
        Just((Head::Softmax, LossKind::CrossEntropyWithLogits)),
        Just((Head::Softmax, LossKind::CrossEntropy)),
        Just((Head::Softmax, LossKind::FocalMulticlass { gamma: 2.0 })),
        Just((Head::Sigmoid, LossKind::BceWithLogits)),
        Just((Head::Sigmoid, LossKind::Bce)),
        Just((
            Head::Sigmoid,
            LossKind::FocalBinary {
                alpha: 0.25,
                gamma: 2.0
            }
        )),
        Just((Head::Identity, LossKind::Mse)),
        Just((Head::Identity, LossKind::Huber { delta: 1.0 })),
        Just((Head::Identity, LossKind::Mae)),
    ]
}

fn sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=5, 2..=5)
}

/// Entry by entry, $|m - a| \le 10^{-10} \max(1, |a|)$.
fn assert_agree(manual: &Gradients, autograd: &Gradients) {
    let (m, a) = (manual.to_vec(), autograd.to_vec());
    assert_eq!(m.len(), a.len());
    for (i, (m, a)) in m.iter().zip(&a).enumerate() {
        assert!(
            (m - a).abs() <= 1e-10 * a.abs().max(1.0),
            "parameter {i}: manual {m:e}, autograd {a:e}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn manual_and_autograd_backward_agree(
        sizes in sizes(),
        hidden in prop::sample::select(ActivationKind::ALL.to_vec()),
        (head, loss) in head_and_loss(),
        rows in 1usize..=7,
        seed in any::<u64>(),
    ) {
        let (net, x, y) = random_case(&sizes, hidden, head, loss, rows, seed);
        let (manual_value, manual) = net.loss_and_gradients(x.view(), y.view(), loss).unwrap();
        let (tape_value, tape) = loss_and_gradients_autograd(&net, x.view(), y.view(), loss).unwrap();
        prop_assert!((manual_value - tape_value).abs() <= 1e-12 * tape_value.abs().max(1.0));
        assert_agree(&manual, &tape);
    }

    #[test]
    fn both_backward_passes_match_finite_differences(
        sizes in sizes(),
        hidden in prop::sample::select(vec![
            ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Gelu,
            ActivationKind::GeluSigmoid, ActivationKind::GeluTanh,
            ActivationKind::Elu { alpha: 1.0 }, ActivationKind::Identity,
        ]),
        (head, loss) in head_and_loss().prop_filter("MAE has a kink at every target", |(_, l)| *l != LossKind::Mae),
        rows in 1usize..=5,
        seed in any::<u64>(),
    ) {
        let (net, x, y) = random_case(&sizes, hidden, head, loss, rows, seed);
        // A loss on probabilities (not logits) near p = 0 or 1 is evaluated
        // from 1 − p, which f64 holds to only ε/(1 − p) relative accuracy:
        // at p = 1 − 10⁻¹² the loss itself is noise at the 10⁻⁴ level, and
        // no central difference can check it. (That is why the with-logits
        // forms exist, chapter 4.) Such draws say nothing about backprop.
        if matches!(head, Head::Sigmoid | Head::Softmax) && !loss.takes_logits() {
            let p = net.forward(x.view()).unwrap();
            prop_assume!(p.iter().all(|p| p.min(1.0 - p) > 1e-4));
        }
        let (_, manual) = net.loss_and_gradients(x.view(), y.view(), loss).unwrap();
        let (_, tape) = loss_and_gradients_autograd(&net, x.view(), y.view(), loss).unwrap();
        let theta = net.to_vec();
        let f = |theta: &[f64]| {
            let mut probe = net.clone();
            probe.set_from_slice(theta).unwrap();
            probe.loss_and_gradients(x.view(), y.view(), loss).unwrap().0
        };
        check_gradient(f, &theta, &manual.to_vec()).assert_good();
        check_gradient(f, &theta, &tape.to_vec()).assert_good();
    }

    #[test]
    fn relu_networks_match_finite_differences_away_from_kinks(
        sizes in sizes(),
        hidden in prop::sample::select(vec![ActivationKind::Relu, ActivationKind::LeakyRelu { alpha: 0.1 }]),
        rows in 1usize..=5,
        seed in any::<u64>(),
    ) {
        let loss = LossKind::CrossEntropyWithLogits;
        let (net, x, y) = random_case(&sizes, hidden, Head::Softmax, loss, rows, seed);
        // a finite difference that straddles z = 0 sees both slopes; skip such draws
        let pass = mlp::backprop::forward(&net, x.view()).unwrap();
        let nearest_kink = (0..net.layers().len() - 1)
            .flat_map(|l| pass.z[l].iter().map(|z| z.abs()).collect::<Vec<_>>())
            .fold(f64::INFINITY, f64::min);
        prop_assume!(nearest_kink > 1e-3);
        let (_, manual) = net.loss_and_gradients(x.view(), y.view(), loss).unwrap();
        let f = |theta: &[f64]| {
            let mut probe = net.clone();
            probe.set_from_slice(theta).unwrap();
            probe.loss_and_gradients(x.view(), y.view(), loss).unwrap().0
        };
        check_gradient(f, &net.to_vec(), &manual.to_vec()).assert_good();
    }
}

#[test]
fn a_wrong_backward_pass_would_be_caught() {
    // the checks above can fail: flip one gradient entry's sign and the
    // finite-difference check rejects it
    let (net, x, y) = random_case(
        &[3, 4, 2],
        ActivationKind::Tanh,
        Head::Softmax,
        LossKind::CrossEntropyWithLogits,
        4,
        11,
    );
    let loss = LossKind::CrossEntropyWithLogits;
    let (_, manual) = net.loss_and_gradients(x.view(), y.view(), loss).unwrap();
    let mut wrong = manual.to_vec();
    let i = wrong.iter().position(|g| g.abs() > 1e-3).unwrap();
    wrong[i] = -wrong[i];
    let f = |theta: &[f64]| {
        let mut probe = net.clone();
        probe.set_from_slice(theta).unwrap();
        probe
            .loss_and_gradients(x.view(), y.view(), loss)
            .unwrap()
            .0
    };
    assert!(!check_gradient(f, &net.to_vec(), &wrong).passes(gradcheck::WRONG));
}

#[test]
fn lecture_example_has_the_corrected_sign() {
    // f(x) = w₂ σ(w₁ x + b₁) + b₂ with the lecture's numbers
    let (x, y) = (array![[0.5]], array![[1.0]]);
    let net = Mlp::from_layers(
        vec![
            Linear::new(array![[0.3]], array![-0.1]).unwrap(),
            Linear::new(array![[0.8]], array![0.2]).unwrap(),
        ],
        ActivationKind::Sigmoid,
        Head::Identity,
    )
    .unwrap();
    // MSE over one output is (y − ŷ)², twice the lecture's ½(y − ŷ)²
    let (loss, grads) = net
        .loss_and_gradients(x.view(), y.view(), LossKind::Mse)
        .unwrap();
    let half = |g: f64| g / 2.0;
    let dl_dw2 = half(grads.layers()[1].weight[[0, 0]]);
    assert!((dl_dw2 - -0.19988).abs() < 1e-5, "∂L/∂w₂ = {dl_dw2}");
    // ∂L/∂b₂ = ŷ − y with ŷ = 0.8 σ(0.05) + 0.2 ≈ 0.61
    let y_hat = 0.8 * activations::sigmoid(0.05) + 0.2;
    assert!((half(grads.layers()[1].bias[0]) - (y_hat - 1.0)).abs() < 1e-15);
    // a step against the gradient lowers the loss; the lecture's sign (+0.19988) raises it
    let eta = 0.1;
    let loss_after = |step_w2: f64| {
        let mut probe = net.clone();
        probe.parameters_mut().nth(1).unwrap().0[[0, 0]] -= eta * step_w2;
        probe
            .loss_and_gradients(x.view(), y.view(), LossKind::Mse)
            .unwrap()
            .0
    };
    assert!(loss_after(dl_dw2) < loss);
    assert!(
        loss_after(-dl_dw2) > loss,
        "the lecture's sign climbs the loss"
    );
}

#[test]
fn pytorch_reference_values() {
    let data = reference::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/backprop.json"
    ));
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let layers: Vec<Linear> = case["weights"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["biases"].as_array().unwrap())
            .map(|(w, b)| {
                Linear::new(
                    reference::matrix(w, "weight"),
                    reference::floats(b, "bias").into(),
                )
                .unwrap()
            })
            .collect();
        let hidden: ActivationKind = case["activation"].as_str().unwrap().parse().unwrap();
        let head: Head = case["head"].as_str().unwrap().parse().unwrap();
        let loss: LossKind = case["loss"].as_str().unwrap().parse().unwrap();
        let net = Mlp::from_layers(layers, hidden, head).unwrap();
        let x = reference::matrix(&case["x"], "x");
        let y = reference::matrix(&case["y"], "y");
        let output = net.forward(x.view()).unwrap();
        assert_all_close(
            output.iter(),
            reference::floats(&case["output"], "output").iter(),
            &format!("{name}: output"),
        );
        let expected_grads: Vec<f64> = case["weight_grads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["bias_grads"].as_array().unwrap())
            .flat_map(|(w, b)| {
                let mut g = reference::floats(w, "weight grad");
                g.extend(reference::floats(b, "bias grad"));
                g
            })
            .collect();
        let expected_value = case["value"].as_f64().unwrap();
        let manual = net.loss_and_gradients(x.view(), y.view(), loss).unwrap();
        let tape = loss_and_gradients_autograd(&net, x.view(), y.view(), loss).unwrap();
        for (how, (value, grads)) in [("manual", manual), ("autograd", tape)] {
            assert_all_close([&value], [&expected_value], &format!("{name}: {how} loss"));
            assert_all_close(
                grads.to_vec().iter(),
                expected_grads.iter(),
                &format!("{name}: {how} gradients"),
            );
        }
    }
}

#[test]
fn a_single_layer_network_has_no_hidden_activation() {
    // logistic regression: one Linear layer, sigmoid head, BCE with logits:
    // ∂L/∂W = (σ(z) − y)ᵀ x / n
    let net = Mlp::from_layers(
        vec![Linear::new(array![[0.5, -0.25]], array![0.1]).unwrap()],
        ActivationKind::Relu,
        Head::Sigmoid,
    )
    .unwrap();
    let x = array![[1.0, 2.0], [-1.0, 0.5]];
    let y = array![[1.0], [0.0]];
    let (_, grads) = net
        .loss_and_gradients(x.view(), y.view(), LossKind::BceWithLogits)
        .unwrap();
    let z = x.dot(&net.layers()[0].weight.t()) + &net.layers()[0].bias;
    let residual = (z.mapv(activations::sigmoid) - &y) / 2.0;
    let expected_w = residual.t().dot(&x);
    assert_all_close(grads.layers()[0].weight.iter(), expected_w.iter(), "dW");
    assert_all_close(
        grads.layers()[0].bias.iter(),
        residual.sum_axis(ndarray::Axis(0)).iter(),
        "db",
    );
}
