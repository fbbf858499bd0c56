//! Why the initial scale matters: the spread of the activations through ten
//! layers (see `mlp::model::Init`).

use activations::ActivationKind;
use mlp::backprop::forward;
use mlp::{Architecture, Head, Init, Mlp};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

const WIDTH: usize = 128;
const DEPTH: usize = 10;

/// Standard deviation of $z_l$ in each of the ten layers for unit-variance input.
fn stds(init: Init, hidden: ActivationKind) -> Vec<f64> {
    let arch = Architecture::new(vec![WIDTH; DEPTH + 1], hidden, Head::Identity).unwrap();
    let net = Mlp::new(&arch, init, 3).unwrap();
    let mut rng = StdRng::seed_from_u64(4);
    let x = Array2::from_shape_simple_fn((200, WIDTH), || StandardNormal.sample(&mut rng));
    let pass = forward(&net, x.view()).unwrap();
    (0..DEPTH).map(|l| std(pass.z[l].view())).collect()
}

fn std(z: ArrayView2<'_, f64>) -> f64 {
    let n = z.len() as f64;
    let mean = z.sum() / n;
    (z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

#[test]
fn scale_through_ten_layers() {
    // He + ReLU keeps Var(z) ≈ 2 in every layer: n_in · (2/n_in) · E[a²], E[a²] = Var(z)/2
    let he = stds(Init::He, ActivationKind::Relu);
    assert!(
        he.iter().all(|s| (0.5..2.0).contains(s)),
        "He + ReLU: {he:?}"
    );

    // U(-1, 1): each layer multiplies Var(z) by 128 · (1/3) · ½ ≈ 21 — it explodes
    let big = stds(Init::Uniform { limit: 1.0 }, ActivationKind::Relu);
    assert!(big[DEPTH - 1] > 1e6, "U(-1, 1): {big:?}");
    assert!(
        big.windows(2).all(|w| w[1] > 3.0 * w[0]),
        "grows every layer: {big:?}"
    );

    // U(-0.01, 0.01): the factor is 128 · (1e-4/3) · ½ ≈ 0.002 — it collapses
    let small = stds(Init::Uniform { limit: 0.01 }, ActivationKind::Relu);
    assert!(small[DEPTH - 1] < 1e-6, "U(-0.01, 0.01): {small:?}");

    // Xavier + tanh: stays of order 1 (tanh shrinks it only slowly)
    let xavier = stds(Init::Xavier, ActivationKind::Tanh);
    assert!(
        xavier.iter().all(|s| (0.2..2.0).contains(s)),
        "Xavier + tanh: {xavier:?}"
    );
}
