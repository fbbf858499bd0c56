//! The loss at the output and its gradient $\delta_L = \partial \mathcal{L} / \partial z_L$,
//! where the backward pass starts.

use activations::softmax_rows_inplace;
use losses::{LossError, LossKind};
use mlp::{Head, ModelError, Objective};
use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// $\mathcal{L}(z, y)$ of `objective`, with $\delta = \partial \mathcal{L} / \partial z$
/// written into `delta`: the same numbers as
/// [`Objective::loss_and_delta`] (tests below), in the workspace's buffers.
/// `probs` and `dl_dp` are scratch of the same shape (used by the
/// probability-form losses). `z` must be finite and `y` of `z`'s shape (the
/// workspace checks both).
///
/// Softmax + `ce_logits` and sigmoid + `bce_logits` are fused: one pass per
/// row, no allocation ([`softmax_cross_entropy`], [`sigmoid_binary_cross_entropy`]).
pub(crate) fn value_and_delta(
    objective: &Objective,
    z: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    mut delta: ArrayViewMut2<'_, f64>,
    mut probs: ArrayViewMut2<'_, f64>,
    mut dl_dp: ArrayViewMut2<'_, f64>,
) -> Result<f64, ModelError> {
    let loss = objective.loss_fn();
    match (objective.head(), objective.loss()) {
        (Head::Softmax, LossKind::CrossEntropyWithLogits) => {
            check_targets(y)?;
            Ok(softmax_cross_entropy(z, y, delta))
        }
        (Head::Sigmoid, LossKind::BceWithLogits) => {
            check_targets(y)?;
            Ok(sigmoid_binary_cross_entropy(z, y, delta))
        }
        (Head::Identity, _) | (_, LossKind::BceWithLogits) => {
            Ok(loss.value_and_gradient_into(z, y, delta)?)
        }
        (Head::Sigmoid, _) => {
            // p = σ(z), δ = ∂L/∂p ⊙ σ′(z), σ′(z) = p(1 − p)
            Zip::from(&mut probs)
                .and(&z)
                .for_each(|p, &z| *p = activations::sigmoid(z));
            let value = loss.value_and_gradient_into(probs.view(), y, dl_dp.view_mut())?;
            Zip::from(&mut delta)
                .and(&dl_dp)
                .and(&probs)
                .for_each(|d, &g, &p| *d = g * p * (1.0 - p));
            Ok(value)
        }
        (Head::Softmax, _) => {
            // p = SoftMax(z), δᵢ = pᵢ ⊙ (gᵢ − ⟨gᵢ, pᵢ⟩)
            probs.assign(&z);
            softmax_rows_inplace(&mut probs);
            let value = loss.value_and_gradient_into(probs.view(), y, dl_dp.view_mut())?;
            for ((mut d_i, g_i), p_i) in delta
                .rows_mut()
                .into_iter()
                .zip(dl_dp.rows())
                .zip(probs.rows())
            {
                let g_dot_p = g_i.dot(&p_i);
                Zip::from(&mut d_i)
                    .and(&g_i)
                    .and(&p_i)
                    .for_each(|d, &g, &p| *d = p * (g - g_dot_p));
            }
            Ok(value)
        }
    }
}

/// Cross-entropy targets must be in $[0, 1]$ (one-hot rows, soft labels, or
/// the 0/1 labels of binary cross-entropy).
fn check_targets(y: ArrayView2<'_, f64>) -> Result<(), LossError> {
    let outside = |v: &f64| !(0.0..=1.0).contains(v);
    // the common case, every target inside, in one pass without an early exit
    if let Some(flat) = y.as_slice()
        && !flat.iter().fold(false, |bad, v| bad | outside(v))
    {
        return Ok(());
    }
    match y.indexed_iter().find(|(_, v)| outside(v)) {
        Some(((row, col), &value)) if value.is_finite() => Err(LossError::OutOfUnitInterval {
            which: "target",
            row,
            col,
            value,
        }),
        Some(((row, col), &value)) => Err(LossError::NotFinite {
            which: "target",
            row,
            col,
            value,
        }),
        None => Ok(()),
    }
}

/// Cross-entropy of $\mathrm{SoftMax}(z)$ and its gradient in one pass per
/// sample, written into `delta` — the "softmax + CE" fusion:
///
/// $$ m_i = \max_j z_{ij}, \qquad
///    \log \mathrm{SoftMax}(z_i)_k = z_{ik} - m_i - \log \sum_j e^{z_{ij} - m_i}, $$
///
/// $$ \mathcal{L} = -\frac1n \sum_i \sum_k y_{ik} \log \mathrm{SoftMax}(z_i)_k, \qquad
///    \delta_{ik} = \frac{\partial \mathcal{L}}{\partial z_{ik}}
///      = \frac1n \big(\mathrm{SoftMax}(z_i)_k\, s_i - y_{ik}\big), \quad s_i = \sum_k y_{ik}. $$
///
/// The exponentials $e^{z_{ij} - m_i} \le 1$ are computed once, stored in
/// `delta`, and serve both the log-sum-exp of the value and the SoftMax of
/// the gradient. For one-hot rows ($s_i = 1$) the gradient is the familiar
/// $\frac1n(\mathrm{SoftMax}(z) - y)$: the SoftMax's Jacobian and the
/// logarithm's $1/p$ cancel. Equal to [`losses::CrossEntropyWithLogits`]
/// (test `fused_softmax_ce_equals_the_loss_crate`).
// ANCHOR: softmax_cross_entropy
// L = −(1/n)·Σ y·log SoftMax(z), δ = (SoftMax(z)·s − y)/n, s = Σ_k y_k
fn softmax_cross_entropy(
    z: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    mut delta: ArrayViewMut2<'_, f64>,
) -> f64 {
    let n = z.nrows() as f64;
    let mut total = 0.0;
    for ((z_i, y_i), mut delta_i) in z.rows().into_iter().zip(y.rows()).zip(delta.rows_mut()) {
        let m = z_i.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        Zip::from(&mut delta_i).and(&z_i).for_each(|e, &z| {
            *e = (z - m).exp();
            sum += *e;
        });
        let log_sum = sum.ln();
        let mut s = 0.0;
        Zip::from(&z_i).and(&y_i).for_each(|&z, &y| {
            if y != 0.0 {
                total -= y * (z - m - log_sum);
            }
            s += y;
        });
        Zip::from(&mut delta_i)
            .and(&y_i)
            .for_each(|d, &y| *d = (*d / sum * s - y) / n);
    }
    total / n
}
// ANCHOR_END: softmax_cross_entropy

// ANCHOR: sigmoid_binary_cross_entropy
/// Binary cross-entropy of $p = \sigma(z)$ and its gradient in one pass,
/// written into `delta` — the "sigmoid + BCE" fusion, with the formulas of
/// [`losses::BceWithLogits`]:
///
/// $$ \mathcal{L} = \frac1n \sum_{i,k} \Big(\max(z_{ik}, 0) - z_{ik} y_{ik} + \log\big(1 + e^{-\lvert z_{ik} \rvert}\big)\Big), \qquad
///    \delta_{ik} = \frac{\partial \mathcal{L}}{\partial z_{ik}} = \frac1n \big(\sigma(z_{ik}) - y_{ik}\big). $$
///
/// One exponential $e^{-\lvert z \rvert} \le 1$ per entry serves both: the
/// logarithm of the value, and the sigmoid in its stable form,
/// $\sigma(z) = 1 / (1 + e^{-\lvert z \rvert})$ for $z \ge 0$ and
/// $e^{-\lvert z \rvert} / (1 + e^{-\lvert z \rvert})$ for $z < 0$ (as
/// [`activations::sigmoid`] computes it). The same numbers as the loss crate,
/// bit for bit (test `fused_sigmoid_bce_equals_the_loss_crate`).
fn sigmoid_binary_cross_entropy(
    z: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    mut delta: ArrayViewMut2<'_, f64>,
) -> f64 {
    let n = z.nrows() as f64;
    let mut total = 0.0;
    Zip::from(&mut delta).and(&z).and(&y).for_each(|d, &z, &y| {
        let e = (-z.abs()).exp(); // e^(−|z|)
        total = total + z.max(0.0) - z * y + e.ln_1p();
        let p = if z >= 0.0 {
            1.0 / (1.0 + e)
        } else {
            e / (1.0 + e)
        }; // σ(z)
        *d = (p - y) / n;
    });
    total / n
}
// ANCHOR_END: sigmoid_binary_cross_entropy

#[cfg(test)]
mod tests {
    use super::*;
    use gradcheck::assert_all_close;
    use losses::Loss;
    use ndarray::{Array2, array};

    fn run(objective: &Objective, z: &Array2<f64>, y: &Array2<f64>) -> (f64, Array2<f64>) {
        let mut delta = Array2::zeros(z.raw_dim());
        let mut probs = Array2::zeros(z.raw_dim());
        let mut dl_dp = Array2::zeros(z.raw_dim());
        let value = value_and_delta(
            objective,
            z.view(),
            y.view(),
            delta.view_mut(),
            probs.view_mut(),
            dl_dp.view_mut(),
        )
        .unwrap();
        (value, delta)
    }

    #[test]
    fn fused_softmax_ce_equals_the_loss_crate() {
        let z = array![[1.0, -2.0, 0.5], [300.0, 299.0, -1000.0], [0.0, 0.0, 0.0]];
        let y = array![[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]];
        let objective = Objective::new(Head::Softmax, LossKind::CrossEntropyWithLogits).unwrap();
        let (value, delta) = run(&objective, &z, &y);
        let (expected, expected_delta) = losses::CrossEntropyWithLogits
            .value_and_gradient(z.view(), y.view())
            .unwrap();
        assert_all_close([&value], [&expected], "loss");
        assert_all_close(delta.iter(), expected_delta.iter(), "delta");
    }

    #[test]
    fn fused_sigmoid_bce_equals_the_loss_crate() {
        // both signs, 0, soft targets, and logits where σ is exactly 0 or 1
        let z = array![[1.0, -2.0, 0.0], [40.0, -40.0, 800.0], [-800.0, 3.5, -0.25]];
        let y = array![[0.0, 1.0, 1.0], [0.2, 0.7, 0.0], [1.0, 0.5, 0.0]];
        let objective = Objective::new(Head::Sigmoid, LossKind::BceWithLogits).unwrap();
        let (value, delta) = run(&objective, &z, &y);
        let (expected, expected_delta) = losses::BceWithLogits
            .value_and_gradient(z.view(), y.view())
            .unwrap();
        assert_eq!(value, expected);
        assert_eq!(delta, expected_delta);
        // two wrong answers at |z| = 800 cost 800 each, averaged over 3 samples
        assert!(value.is_finite() && value > 1600.0 / 3.0, "{value}");
        // and the gradient's sign: σ(z) − y, a wrong confident answer pushes back by 1/n
        assert_eq!(delta[[1, 2]], 1.0 / 3.0);
        assert_eq!(delta[[2, 0]], -1.0 / 3.0);
    }

    /// The engine's δ is the plain [`Objective::loss_and_delta`]'s, for
    /// every head and loss pair, to 1e-12.
    #[test]
    fn the_engine_agrees_with_the_plain_objective() {
        let z = array![[0.3, -1.2, 2.0], [2.0, 0.1, -0.7]];
        let y = array![[1.0, 0.0, 0.0], [0.0, 0.3, 0.7]];
        let pairs = [
            (Head::Softmax, "ce_logits"),
            (Head::Softmax, "ce"),
            (Head::Softmax, "focal_multiclass"),
            (Head::Sigmoid, "bce_logits"),
            (Head::Sigmoid, "bce"),
            (Head::Sigmoid, "focal"),
            (Head::Identity, "mse"),
            (Head::Identity, "mae"),
            (Head::Identity, "huber"),
        ];
        for (head, loss) in pairs {
            let objective = Objective::new(head, loss.parse().unwrap()).unwrap();
            let (value, delta) = run(&objective, &z, &y);
            let (plain, plain_delta) = objective.loss_and_delta(z.view(), y.view()).unwrap();
            assert!(
                (value - plain).abs() <= 1e-12 * (1.0 + plain.abs()),
                "{loss}"
            );
            for (a, b) in delta.iter().zip(&plain_delta) {
                assert!(
                    (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                    "{loss}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn probability_losses_chain_through_the_head() {
        // δ through the head equals the with-logits form for BCE and CE,
        // where σ'(z) cancels 1/(p(1-p)) and the SoftMax Jacobian cancels 1/p
        let z = array![[0.3, -1.2], [2.0, 0.1]];
        let y = array![[1.0, 0.0], [0.0, 1.0]];
        let pairs = [
            (Head::Sigmoid, LossKind::Bce, LossKind::BceWithLogits),
            (
                Head::Softmax,
                LossKind::CrossEntropy,
                LossKind::CrossEntropyWithLogits,
            ),
        ];
        for (head, prob_loss, logit_loss) in pairs {
            let (v1, d1) = run(&Objective::new(head, prob_loss).unwrap(), &z, &y);
            let (v2, d2) = run(&Objective::new(head, logit_loss).unwrap(), &z, &y);
            assert_all_close([&v1], [&v2], "value");
            assert_all_close(d1.iter(), d2.iter(), "delta");
        }
    }

    #[test]
    fn targets_outside_the_unit_interval_are_loss_errors() {
        let z = array![[0.0, 1.0]];
        let mut buffers = [
            Array2::zeros((1, 2)),
            Array2::zeros((1, 2)),
            Array2::zeros((1, 2)),
        ];
        let [delta, probs, dl_dp] = &mut buffers;
        // both fused forms check their targets as the loss crate does
        for (head, loss) in [
            (Head::Softmax, LossKind::CrossEntropyWithLogits),
            (Head::Sigmoid, LossKind::BceWithLogits),
        ] {
            let objective = Objective::new(head, loss).unwrap();
            let err = value_and_delta(
                &objective,
                z.view(),
                array![[2.0, 0.0]].view(),
                delta.view_mut(),
                probs.view_mut(),
                dl_dp.view_mut(),
            )
            .unwrap_err();
            assert_eq!(
                err.to_string(),
                "loss: target[0, 0] = 2 is outside [0, 1]; this loss expects probabilities",
                "{loss:?}"
            );
            let expected =
                losses::Loss::value(&*loss.build().unwrap(), z.view(), array![[2.0, 0.0]].view());
            assert_eq!(
                err.to_string(),
                format!("loss: {}", expected.unwrap_err()),
                "{loss:?}"
            );
        }
        assert!(Objective::new(Head::Identity, LossKind::CrossEntropy).is_err());
    }
}
