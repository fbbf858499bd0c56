//! Values and gradients against PyTorch (float64, autograd), from
//! `reference/generate.py` → `reference/losses.json`, compared at
//! $10^{-9} + 10^{-7}\lvert x \rvert$.

use gradcheck::reference::{load, matrix};
use gradcheck::{assert_all_close, assert_close};
use losses::LossKind;
use serde_json::Value;
use std::collections::BTreeSet;

fn reference() -> Value {
    load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/losses.json"
    ))
}

fn kind_of(case: &Value) -> LossKind {
    serde_json::from_value(case["loss"].clone())
        .unwrap_or_else(|e| panic!("reference case {}: bad loss {e}", case["loss"]))
}

#[test]
fn values_and_gradients_match_pytorch() {
    let reference = reference();
    let cases = reference["cases"].as_array().unwrap();
    // (loss name, single-column?) pairs seen, to prove every loss is covered
    // on both n × 1 and n × k batches
    let mut covered = BTreeSet::new();
    for (i, case) in cases.iter().enumerate() {
        let kind = kind_of(case);
        let loss = kind.build().unwrap();
        let what = format!("case {i} ({} {})", kind.name(), case["note"]);
        let pred = matrix(&case["pred"], "pred");
        let target = matrix(&case["target"], "target");
        let expected_value = case["value"].as_f64().unwrap();
        let expected_grad = matrix(&case["gradient"], "gradient");

        let value = loss.value(pred.view(), target.view()).unwrap();
        assert_close(value, expected_value, &format!("{what}: value"));
        let grad = loss.gradient(pred.view(), target.view()).unwrap();
        assert_all_close(
            grad.iter(),
            expected_grad.iter(),
            &format!("{what}: gradient"),
        );

        // the fused path gives the same numbers
        let (fused_value, fused_grad) =
            loss.value_and_gradient(pred.view(), target.view()).unwrap();
        assert_close(fused_value, expected_value, &format!("{what}: fused value"));
        assert_all_close(
            fused_grad.iter(),
            expected_grad.iter(),
            &format!("{what}: fused gradient"),
        );

        covered.insert((kind.name(), pred.ncols() == 1));
    }
    for &name in LossKind::NAMES {
        for single_column in [true, false] {
            assert!(
                covered.contains(&(name, single_column)),
                "no reference case for {name} with {} columns",
                if single_column { "one" } else { "several" }
            );
        }
    }
}

/// Probabilities of exactly 0 and 1: the clamped values agree with
/// PyTorch's. The BCE gradient agrees wherever $p(1 - p) \ge 10^{-12}$;
/// at the corners PyTorch divides by its $10^{-12}$ floor while we return the
/// slope of the clamped loss (see the table in `Bce`'s docs), and both are
/// finite.
#[test]
fn clamped_corners_match_pytorch_values() {
    let reference = reference();
    let edges = reference["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 4);
    for case in edges {
        let kind = kind_of(case);
        let loss = kind.build().unwrap();
        let pred = matrix(&case["pred"], "pred");
        let target = matrix(&case["target"], "target");
        let value = loss.value(pred.view(), target.view()).unwrap();
        assert_close(value, case["value"].as_f64().unwrap(), kind.name());
        let grad = loss.gradient(pred.view(), target.view()).unwrap();
        assert!(
            grad.iter().all(|g| g.is_finite()),
            "{}: {grad}",
            kind.name()
        );

        if let Some(torch) = case.get("torch_gradient") {
            let torch = matrix(torch, "torch_gradient");
            let mut compared = 0;
            for ((index, &p), (&ours, &theirs)) in pred.indexed_iter().zip(grad.iter().zip(&torch))
            {
                if p * (1.0 - p) >= 1e-12 {
                    assert_close(ours, theirs, &format!("bce gradient at {index:?}"));
                    compared += 1;
                } else {
                    // PyTorch's floor gives |gradient| up to 1/(n·1e-12); ours is the clamped slope
                    assert!(ours.abs() <= 1.0, "bce gradient at {index:?} = {ours}");
                }
            }
            assert_eq!(compared, 2);
        }
    }
}

/// What the doc comments say about PyTorch's default `reduction='mean'`:
/// `BCELoss` and `BCEWithLogitsLoss` divide by $n \cdot k$, so ours (which
/// divides by $n$) is $k$ times theirs; `CrossEntropyLoss` divides by $n$,
/// like ours.
#[test]
fn pytorch_default_means_differ_as_documented() {
    use losses::{Bce, BceWithLogits, CrossEntropyWithLogits, Loss};
    let reference = reference();
    let means = &reference["torch_means"];
    let p = matrix(&means["pred"], "pred");
    let z = matrix(&means["logits"], "logits");
    let y = matrix(&means["target"], "target");
    let y_soft = matrix(&means["soft_target"], "soft_target");
    let k = p.ncols() as f64;
    assert!(k > 1.0);
    let mean = |key: &str| means[key].as_f64().unwrap();

    let bce = Bce.value(p.view(), y.view()).unwrap();
    assert_close(bce, k * mean("bce_mean"), "BCE = k · BCELoss()");
    let bce_logits = BceWithLogits.value(z.view(), y.view()).unwrap();
    assert_close(
        bce_logits,
        k * mean("bce_logits_mean"),
        "BCE-with-logits = k · BCEWithLogitsLoss()",
    );
    let ce_logits = CrossEntropyWithLogits
        .value(z.view(), y_soft.view())
        .unwrap();
    assert_close(
        ce_logits,
        mean("ce_logits_mean"),
        "CE-with-logits = CrossEntropyLoss()",
    );
}
