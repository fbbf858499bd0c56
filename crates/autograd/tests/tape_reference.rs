//! A one-hidden-layer network in batch on the tape, against PyTorch
//! (`reference/generate.py` → `reference/tape_mlp.json`): sigmoid, tanh and
//! ReLU hidden layers; MSE and cross-entropy with logits (one-hot and soft
//! targets).

use activations::{Activation, Relu, Sigmoid, Tanh};
use autograd::Tape;
use gradcheck::{assert_all_close, assert_close, reference};
use losses::{CrossEntropyWithLogits, Loss, Mse};
use ndarray::Array1;
use serde_json::Value as Json;

fn vector(case: &Json, field: &str) -> Array1<f64> {
    Array1::from(reference::floats(&case[field], field))
}

#[test]
fn one_hidden_layer_network_matches_pytorch() {
    let json = reference::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/tape_mlp.json"
    ));
    let cases = json["cases"].as_array().expect("cases");
    let mut seen = std::collections::BTreeSet::new();
    for case in cases {
        let act_name = case["activation"].as_str().expect("activation");
        let loss_name = case["loss"].as_str().expect("loss");
        seen.insert((act_name, loss_name));
        let hidden: &dyn Activation = match act_name {
            "sigmoid" => &Sigmoid,
            "tanh" => &Tanh,
            "relu" => &Relu,
            other => panic!("unknown activation {other}"),
        };
        let loss: &dyn Loss = match loss_name {
            "mse" => &Mse,
            "ce_logits" => &CrossEntropyWithLogits,
            other => panic!("unknown loss {other}"),
        };
        let what = format!("{act_name} + {loss_name}");

        let mut tape = Tape::new();
        let x = tape.constant(reference::matrix(&case["x"], "x"));
        let w1 = tape.parameter(reference::matrix(&case["w1"], "w1"));
        let b1 = tape.parameter_row(vector(case, "b1").view());
        let w2 = tape.parameter(reference::matrix(&case["w2"], "w2"));
        let b2 = tape.parameter_row(vector(case, "b2").view());
        let target = reference::matrix(&case["target"], "target");

        let xw1 = tape.matmul_t(x, w1).unwrap();
        let z = tape.add_bias(xw1, b1).unwrap();
        let h = tape.activation(z, hidden);
        let hw2 = tape.matmul_t(h, w2).unwrap();
        let y_hat = tape.add_bias(hw2, b2).unwrap();
        let l = tape.loss(y_hat, target.view(), loss).unwrap();
        tape.backward(l).unwrap();

        let expected = case["loss_value"].as_f64().expect("loss_value");
        assert_close(tape.scalar(l).unwrap(), expected, &format!("{what}: loss"));
        for (var, field) in [
            (w1, "grad_w1"),
            (b1, "grad_b1"),
            (w2, "grad_w2"),
            (b2, "grad_b2"),
        ] {
            let grad = tape.grad(var).expect("parameters have gradients");
            assert_all_close(
                grad.iter(),
                &reference::floats(&case[field], field),
                &format!("{what}: {field}"),
            );
        }
        assert!(tape.grad(x).is_none());
    }
    for act in ["sigmoid", "tanh", "relu"] {
        for loss in ["mse", "ce_logits"] {
            assert!(
                seen.contains(&(act, loss)),
                "no reference case for {act} + {loss}"
            );
        }
    }
}
