//! Parameter trajectories against PyTorch's `torch.optim`, from
//! `reference/generate.py`: every optimizer, several hyperparameters, a
//! vector and a matrix parameter stepped together, and a learning rate that
//! a schedule changes before each step. Compared at 1e-9 + 1e-7·|x|.

use gradcheck::assert_all_close;
use gradcheck::reference::{floats, load};
use ndarray::{ArrayD, IxDyn, Zip};
use optim::{Optimizer, OptimizerConfig};
use serde_json::Value;

struct Tensor {
    init: ArrayD<f64>,
    a: ArrayD<f64>,
    c: ArrayD<f64>,
}

fn tensors(reference: &Value) -> Vec<Tensor> {
    reference["tensors"]
        .as_array()
        .expect("tensors")
        .iter()
        .map(|t| {
            let shape: Vec<usize> = floats(&t["shape"], "shape")
                .iter()
                .map(|&d| d as usize)
                .collect();
            let array = |field: &str| {
                ArrayD::from_shape_vec(IxDyn(&shape), floats(&t[field], field)).expect("shape fits")
            };
            Tensor {
                init: array("init"),
                a: array("a"),
                c: array("c"),
            }
        })
        .collect()
}

/// $\partial L / \partial w = a (w - c) + \cos w$, the gradient of
/// $L = \sum \tfrac12 a (w - c)^2 + \sin w$ (as in generate.py).
fn gradient(w: &ArrayD<f64>, t: &Tensor) -> ArrayD<f64> {
    let mut g = ArrayD::zeros(w.raw_dim());
    Zip::from(&mut g)
        .and(w)
        .and(&t.a)
        .and(&t.c)
        .for_each(|g, &w, &a, &c| *g = a * (w - c) + w.cos());
    g
}

#[test]
fn trajectories_match_torch_optim() {
    let reference = load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/trajectories.json"
    ));
    let tensors = tensors(&reference);
    let cases = reference["cases"].as_array().expect("cases");
    assert!(cases.len() >= 16);
    let mut seen = std::collections::BTreeSet::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let config: OptimizerConfig =
            serde_json::from_value(case["config"].clone()).expect("an OptimizerConfig");
        seen.insert(config.name());
        let mut optimizer = config.build().expect("valid hyperparameters");
        let lrs = case["lrs"].as_array().map(|_| floats(&case["lrs"], "lrs"));
        let mut params: Vec<ArrayD<f64>> = tensors.iter().map(|t| t.init.clone()).collect();
        let trajectory = case["trajectory"].as_array().expect("trajectory");
        for (k, expected) in trajectory.iter().enumerate() {
            if let Some(lrs) = &lrs {
                optimizer.set_learning_rate(lrs[k]);
            }
            let grads: Vec<ArrayD<f64>> = params
                .iter()
                .zip(&tensors)
                .map(|(w, t)| gradient(w, t))
                .collect();
            let mut views: Vec<_> = params.iter_mut().map(|p| p.view_mut()).collect();
            let grad_views: Vec<_> = grads.iter().map(|g| g.view()).collect();
            optimizer
                .step(&mut views, &grad_views)
                .expect("a valid step");
            for (i, param) in params.iter().enumerate() {
                let what = format!("{name}: step {}, tensor {i}", k + 1);
                assert_all_close(param.iter(), &floats(&expected[i], &what), &what);
            }
        }
    }
    assert_eq!(
        seen.len(),
        OptimizerConfig::NAMES.len(),
        "cases cover {seen:?}"
    );
}

proptest::proptest! {
    /// The test's gradient is the gradient of the loss it claims to be.
    #[test]
    fn the_reference_gradient_matches_finite_differences(
        w in gradcheck::strategies::vector(6, -3.0..3.0),
        a in gradcheck::strategies::vector(6, 0.5..5.0),
        c in gradcheck::strategies::vector(6, -1.0..1.0),
    ) {
        let tensor = Tensor { init: w.clone().into_dyn(), a: a.into_dyn(), c: c.into_dyn() };
        let loss = |v: &[f64]| {
            v.iter()
                .zip(tensor.a.iter().zip(&tensor.c))
                .map(|(w, (a, c))| 0.5 * a * (w - c).powi(2) + w.sin())
                .sum::<f64>()
        };
        let analytic = gradient(&tensor.init, &tensor);
        gradcheck::check_gradient(loss, w.as_slice().unwrap(), analytic.as_slice().unwrap())
            .assert_good();
    }
}
