//! Every scalar operation of `Value` against PyTorch (`reference/generate.py`).

use autograd::Value;
use gradcheck::{assert_all_close, assert_close, reference};

/// The Rust spelling of each operation named in `value_ops.json`.
fn build(op: &str, v: &[Value]) -> Value {
    match op {
        "a + b" => &v[0] + &v[1],
        "a - b" => &v[0] - &v[1],
        "a * b" => &v[0] * &v[1],
        "a / b" => &v[0] / &v[1],
        "a + 2.5" => &v[0] + 2.5,
        "2.5 - a" => 2.5 - &v[0],
        "a * -1.5" => &v[0] * -1.5,
        "4 / a" => 4.0 / &v[0],
        "-a" => -&v[0],
        "a^3" => v[0].powi(3),
        "a^-2" => v[0].powi(-2),
        "exp a" => v[0].exp(),
        "ln a" => v[0].ln(),
        "tanh a" => v[0].tanh(),
        "sigmoid a" => v[0].sigmoid(),
        "relu a" => v[0].relu(),
        "composite" => {
            let (a, b) = (&v[0], &v[1]);
            (a * b + b.powi(3)).tanh() + (a - b).exp() / (1.0 + b.powi(2))
                - (a * a + 1.0).ln() * b.sigmoid()
                + (a + b).relu()
        }
        other => panic!("reference names an operation this test does not know: {other}"),
    }
}

#[test]
fn value_ops_match_pytorch() {
    let json = reference::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/value_ops.json"
    ));
    let cases = json["cases"].as_array().expect("cases");
    assert!(cases.len() >= 60, "{} cases", cases.len());
    for case in cases {
        let op = case["op"].as_str().expect("op");
        let inputs: Vec<Value> = reference::floats(&case["inputs"], "inputs")
            .into_iter()
            .map(Value::new)
            .collect();
        let out = build(op, &inputs);
        assert_close(out.data(), case["value"].as_f64().expect("value"), op);
        out.backward();
        let grads: Vec<f64> = inputs.iter().map(Value::grad).collect();
        assert_all_close(
            &grads,
            &reference::floats(&case["grad"], "grad"),
            &format!("∇({op})"),
        );
    }
}
