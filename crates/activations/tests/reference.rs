//! Every activation, its derivative, SoftMax, its Jacobian and its VJP
//! against PyTorch (float64, autograd for the derivatives), at
//! $|a - e| \le 10^{-9} + 10^{-7}|e|$.
//!
//! The values come from `reference/generate.py`; run it again after changing
//! the grid and commit the JSON.

use activations::{
    Activation, ActivationKind, log_softmax, logsumexp, softmax, softmax_jacobian, softmax_rows,
    softmax_rows_vjp, softmax_vjp,
};
use gradcheck::{assert_all_close, assert_close, reference};
use ndarray::Array1;
use serde_json::Value;

fn load() -> Value {
    reference::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/activations.json"
    ))
}

#[test]
fn every_activation_and_derivative_matches_pytorch() {
    let json = load();
    let cases = json["activations"].as_object().expect("an object of cases");
    // every kind is covered, with default and non-default α
    for name in ActivationKind::NAMES {
        assert!(cases.contains_key(name), "no reference for {name}");
    }
    assert!(cases.contains_key("leaky_relu(0.2)") && cases.contains_key("elu(0.5)"));

    for (name, case) in cases {
        let kind = ActivationKind::from_name(name).expect("keys are activation names");
        let x = reference::floats(&case["x"], &format!("{name}.x"));
        // the grid includes the kink and large |x|
        assert!(
            x.contains(&0.0) && x.contains(&1e3) && x.contains(&-1e3),
            "{name}"
        );
        let forward: Vec<f64> = x.iter().map(|&x| kind.forward(x)).collect();
        let derivative: Vec<f64> = x.iter().map(|&x| kind.derivative(x)).collect();
        let expected_f = reference::floats(&case["forward"], name);
        let expected_d = reference::floats(&case["derivative"], name);
        assert_all_close(&forward, &expected_f, &format!("{name} forward"));
        assert_all_close(&derivative, &expected_d, &format!("{name} derivative"));
    }
}

#[test]
fn where_pytorch_overflows_we_stay_finite() {
    let json = load();
    let case = &json["activations"]["gelu_tanh"];
    let dropped = case["torch_nonfinite"].as_array().expect("a list");
    // GELU-tanh's backward in torch is 0·∞ = NaN at |x| ≥ 1e300
    assert_eq!(dropped.len(), 4);
    for point in dropped {
        let x = point["x"].as_f64().expect("x");
        assert_eq!(point["derivative"], "nan");
        let kind = ActivationKind::GeluTanh;
        assert_close(
            kind.forward(x),
            point["forward"].as_f64().expect("finite"),
            "forward",
        );
        assert_eq!(
            kind.derivative(x),
            if x > 0.0 { 1.0 } else { 0.0 },
            "x = {x}"
        );
    }
    // nothing else was dropped
    for (name, case) in json["activations"].as_object().expect("cases") {
        if name != "gelu_tanh" {
            assert_eq!(
                case["torch_nonfinite"].as_array().map(Vec::len),
                Some(0),
                "{name}"
            );
        }
    }
}

#[test]
fn softmax_its_jacobian_and_vjp_match_pytorch() {
    let json = load();
    let cases = json["softmax"].as_array().expect("a list of cases");
    assert!(cases.len() >= 5);
    for (i, case) in cases.iter().enumerate() {
        let what = |field: &str| format!("softmax case {i}: {field}");
        let z = Array1::from(reference::floats(&case["z"], &what("z")));
        let g = Array1::from(reference::floats(&case["g"], &what("g")));
        let s = softmax(z.view());
        assert_all_close(
            &s,
            &reference::floats(&case["softmax"], "s"),
            &what("softmax"),
        );
        assert_all_close(
            &log_softmax(z.view()),
            &reference::floats(&case["log_softmax"], "ls"),
            &what("log_softmax"),
        );
        assert_close(
            logsumexp(z.view()),
            case["logsumexp"].as_f64().expect("a number"),
            &what("logsumexp"),
        );
        let jacobian = reference::matrix(&case["jacobian"], &what("jacobian"));
        assert_all_close(&softmax_jacobian(z.view()), &jacobian, &what("jacobian"));
        let vjp = reference::floats(&case["vjp"], &what("vjp"));
        assert_all_close(&softmax_vjp(s.view(), g.view()), &vjp, &what("vjp"));
    }
}

#[test]
fn batch_softmax_and_vjp_match_pytorch() {
    let json = load();
    let case = &json["softmax_rows"];
    let z = reference::matrix(&case["z"], "z");
    let g = reference::matrix(&case["g"], "g");
    let s = softmax_rows(z.view());
    assert_all_close(
        &s,
        &reference::matrix(&case["softmax"], "s"),
        "softmax_rows",
    );
    assert_all_close(
        &softmax_rows_vjp(s.view(), g.view()),
        &reference::matrix(&case["vjp"], "vjp"),
        "softmax_rows_vjp",
    );
}
