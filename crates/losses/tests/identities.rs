//! Identities between the losses, stability at extreme inputs, and the
//! descent property (a step along −gradient lowers the loss).

mod common;

use activations::{sigmoid, softmax_rows};
use common::{every_loss, sample_batch};
use gradcheck::assert_all_close;
use gradcheck::strategies::{distributions, matrix, one_hot, probabilities};
use losses::{
    Bce, BceWithLogits, CrossEntropy, CrossEntropyWithLogits, FocalBinary, FocalMulticlass, Loss,
    LossKind,
};
use ndarray::{Array2, array};
use proptest::prelude::*;

fn shape() -> impl Strategy<Value = (usize, usize)> {
    (1usize..5, 1usize..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// $\alpha = \frac12$, $\gamma = 0$ removes the focusing factors and
    /// weighs both classes by ½: focal = ½·BCE, value and gradient.
    #[test]
    fn focal_half_gamma_zero_is_half_bce(
        (p, y) in shape().prop_flat_map(|(n, k)| (probabilities(n, k, 1e-6), matrix(n, k, 0.0..1.0)))
    ) {
        let focal = FocalBinary::new(0.5, 0.0).unwrap();
        let (v_focal, g_focal) = focal.value_and_gradient(p.view(), y.view()).unwrap();
        let (v_bce, g_bce) = Bce.value_and_gradient(p.view(), y.view()).unwrap();
        gradcheck::assert_close(v_focal, 0.5 * v_bce, "value");
        assert_all_close(g_focal.iter(), (0.5 * &g_bce).iter(), "gradient");
    }

    /// $\gamma = 0$: $(1 - p_t)^0 = 1$ and multiclass focal is CE.
    #[test]
    fn multiclass_focal_gamma_zero_is_ce(
        (p, y) in shape().prop_flat_map(|(n, k)| (probabilities(n, k, 1e-6), distributions(n, k)))
    ) {
        let focal = FocalMulticlass::new(0.0).unwrap();
        let (v_focal, g_focal) = focal.value_and_gradient(p.view(), y.view()).unwrap();
        let (v_ce, g_ce) = CrossEntropy.value_and_gradient(p.view(), y.view()).unwrap();
        gradcheck::assert_close(v_focal, v_ce, "value");
        assert_all_close(g_focal.iter(), g_ce.iter(), "gradient");
    }

    /// The lecture's $\frac1n(\mathrm{SoftMax}(z) - y)$ for one-hot and soft
    /// targets that sum to 1.
    #[test]
    fn ce_with_logits_gradient_is_softmax_minus_y_over_n(
        (z, y) in shape().prop_flat_map(|(n, k)| {
            (matrix(n, k, -30.0..30.0), prop_oneof![one_hot(n, k), distributions(n, k)])
        })
    ) {
        let n = z.nrows() as f64;
        let expected = (softmax_rows(z.view()) - &y) / n;
        let grad = CrossEntropyWithLogits.gradient(z.view(), y.view()).unwrap();
        assert_all_close(grad.iter(), expected.iter(), "gradient");
        for row in grad.rows() {
            prop_assert!(row.sum().abs() < 1e-14, "a row of SoftMax − y sums to 0");
        }
    }

    /// Where $\sigma(z)$ is not rounded to 0 or 1, BCE-with-logits is BCE of
    /// $\sigma(z)$, and its gradient is BCE's times $\sigma'(z)$ (chain rule).
    #[test]
    fn bce_with_logits_is_bce_of_sigmoid(
        (z, y) in shape().prop_flat_map(|(n, k)| (matrix(n, k, -10.0..10.0), matrix(n, k, 0.0..1.0)))
    ) {
        let p = z.mapv(sigmoid);
        let v_logits = BceWithLogits.value(z.view(), y.view()).unwrap();
        let v_probs = Bce.value(p.view(), y.view()).unwrap();
        prop_assert!((v_logits - v_probs).abs() <= 1e-8 * (1.0 + v_logits.abs()));
        let g_logits = BceWithLogits.gradient(z.view(), y.view()).unwrap();
        let g_chain = Bce.gradient(p.view(), y.view()).unwrap() * p.mapv(|s| s * (1.0 - s));
        for (a, b) in g_logits.iter().zip(&g_chain) {
            prop_assert!((a - b).abs() <= 1e-8 * (1e-3 + a.abs()), "{a} vs {b}");
        }
    }

    /// CE-with-logits is CE of $\mathrm{SoftMax}(z)$; the gradient with
    /// respect to $z$ is the SoftMax vector-Jacobian product of CE's
    /// gradient: $\frac{\partial \mathcal{L}}{\partial z_j} = p_j (g_j - \sum_k p_k g_k)$.
    #[test]
    fn ce_with_logits_is_ce_of_softmax(
        (z, y) in shape().prop_flat_map(|(n, k)| {
            (matrix(n, k, -5.0..5.0), prop_oneof![one_hot(n, k), distributions(n, k)])
        })
    ) {
        let p = softmax_rows(z.view());
        let v_logits = CrossEntropyWithLogits.value(z.view(), y.view()).unwrap();
        let v_probs = CrossEntropy.value(p.view(), y.view()).unwrap();
        prop_assert!((v_logits - v_probs).abs() <= 1e-12 * (1.0 + v_logits.abs()));
        let g_p = CrossEntropy.gradient(p.view(), y.view()).unwrap();
        let mut g_chain = Array2::zeros(z.dim());
        for i in 0..z.nrows() {
            let dot: f64 = (0..z.ncols()).map(|k| p[[i, k]] * g_p[[i, k]]).sum();
            for j in 0..z.ncols() {
                g_chain[[i, j]] = p[[i, j]] * (g_p[[i, j]] - dot);
            }
        }
        let g_logits = CrossEntropyWithLogits.gradient(z.view(), y.view()).unwrap();
        for (a, b) in g_logits.iter().zip(&g_chain) {
            prop_assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
        }
    }
}

/// At logits ±500, $\sigma(500)$ is exactly 1 in `f64`, $\sigma(-500) \approx 7 \cdot 10^{-218}$,
/// and SoftMax of $(500, -500)$ is exactly $(1, 0)$. The with-logits forms
/// still give the exact loss (a wrong label costs about $\lvert z \rvert$)
/// and the exact gradient; the probability forms are capped by the −100
/// clamp ($-\log(1 - 1)$ and $-\log(7 \cdot 10^{-218}) = 500$ both become 100).
#[test]
fn with_logits_forms_are_exact_at_plus_minus_500() {
    let z = array![[500.0, -500.0], [-500.0, 500.0]];
    let y = array![[0.0, 1.0], [0.0, 1.0]];
    // BCE: sample 0 has two wrong labels (500 each), sample 1 two right ones
    let (v, g) = BceWithLogits
        .value_and_gradient(z.view(), y.view())
        .unwrap();
    assert_eq!(v, (500.0 + 500.0 + 0.0 + 0.0) / 2.0);
    let sigma_minus_500 = (-500f64).exp(); // σ(−500) = e^{−500}/(1 + e^{−500})
    let expected = array![[0.5, -0.5], [sigma_minus_500 / 2.0, 0.0]];
    assert_all_close(g.iter(), expected.iter(), "bce_logits gradient");
    let p = z.mapv(sigmoid);
    assert_eq!((p[[0, 0]], p[[1, 1]]), (1.0, 1.0));
    assert!(p[[0, 1]] < 1e-200 && p[[0, 1]] > 0.0);
    assert_eq!(
        Bce.value(p.view(), y.view()).unwrap(),
        (100.0 + 100.0) / 2.0
    );

    // CE: sample 0 puts everything on the wrong class: log-softmax = −1000
    let (v, g) = CrossEntropyWithLogits
        .value_and_gradient(z.view(), y.view())
        .unwrap();
    assert_eq!(v, (1000.0 + 0.0) / 2.0);
    assert_eq!(g, array![[0.5, -0.5], [0.0, 0.0]]);
    let p = softmax_rows(z.view());
    assert_eq!(CrossEntropy.value(p.view(), y.view()).unwrap(), 100.0 / 2.0);

    // and for every logit in ±500 (and far beyond) both stay finite
    for scale in [1.0, 40.0, 500.0, 1e5, 1e300] {
        let z = array![[1.0, -1.0, 0.5], [-0.3, 0.2, -1.0]] * scale;
        let y = array![[0.0, 1.0, 0.3], [1.0, 0.0, 0.0]];
        for loss in [&BceWithLogits as &dyn Loss, &CrossEntropyWithLogits] {
            let (v, g) = loss.value_and_gradient(z.view(), y.view()).unwrap();
            assert!(v.is_finite(), "{} at scale {scale}: {v}", loss.name());
            assert!(
                g.iter().all(|x| x.is_finite()),
                "{} at scale {scale}: {g}",
                loss.name()
            );
        }
    }
}

/// $p = 0$ and $p = 1$, with every target in $\{0, \frac12, 1\}$: every
/// probability loss gives a finite value and gradient.
#[test]
fn probabilities_of_zero_and_one_are_finite() {
    let p = array![[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]];
    let y = array![[0.0, 0.5, 1.0, 0.0, 0.5, 1.0]];
    let probability_losses: Vec<Box<dyn Loss>> = vec![
        Box::new(Bce),
        Box::new(CrossEntropy),
        Box::new(FocalBinary::new(0.25, 2.0).unwrap()),
        Box::new(FocalBinary::new(0.5, 0.5).unwrap()),
        Box::new(FocalBinary::new(1.0, 0.0).unwrap()),
        Box::new(FocalMulticlass::new(2.0).unwrap()),
        Box::new(FocalMulticlass::new(0.3).unwrap()),
        Box::new(FocalMulticlass::new(0.0).unwrap()),
    ];
    for loss in &probability_losses {
        let (v, g) = loss.value_and_gradient(p.view(), y.view()).unwrap();
        assert!(v.is_finite() && v >= 0.0, "{}: value {v}", loss.name());
        assert!(
            g.iter().all(|x| x.is_finite()),
            "{}: gradient {g}",
            loss.name()
        );
        // the worst answer (p = 0 for y = 1) costs at most the clamp's 100 per label
        assert!(v <= 100.0 * 6.0, "{}: value {v}", loss.name());
    }
}

/// A small step against the gradient lowers every loss, and the same step
/// along the gradient raises it: a sign error in any gradient fails here
/// (as the lecture's does for ½(y − ŷ)², correction 3).
#[test]
fn a_step_against_the_gradient_lowers_every_loss() {
    for (kind, loss) in every_loss() {
        for (n, k) in [(1, 1), (4, 1), (3, 4)] {
            if kind == LossKind::CrossEntropyWithLogits && k == 1 {
                continue; // SoftMax of one logit is 1 whatever it is: a constant loss
            }
            let (pred, target) = sample_batch(kind, n, k);
            let (before, grad) = loss.value_and_gradient(pred.view(), target.view()).unwrap();
            let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
            assert!(norm > 0.0, "{kind}: zero gradient at {pred}");
            // a step of length 1e-4 keeps probabilities inside (0, 1)
            let step = &grad * (1e-4 / norm);
            let down = loss.value((&pred - &step).view(), target.view()).unwrap();
            let up = loss.value((&pred + &step).view(), target.view()).unwrap();
            assert!(
                down < before,
                "{kind} {n}×{k}: {before} → {down} along −gradient"
            );
            assert!(
                up > before,
                "{kind} {n}×{k}: {before} → {up} along +gradient"
            );
        }
    }
}
