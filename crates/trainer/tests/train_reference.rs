//! The trainer against `torch.optim`: the same network, data and batches
//! (no shuffling) give the same batch losses and final weights.

use activations::ActivationKind;
use datasets::Dataset;
use gradcheck::{assert_all_close, reference};
use losses::LossKind;
use mlp::{Head, Linear, Mlp};
use optim::OptimizerConfig;
use trainer::{BatchProgress, Observer, TrainConfig, Trainer};

struct Losses(Vec<f64>);

impl Observer for Losses {
    fn on_batch(&mut self, p: &BatchProgress<'_>) {
        self.0.push(p.loss);
    }
}

fn layers(weights: &serde_json::Value, biases: &serde_json::Value) -> Vec<Linear> {
    weights
        .as_array()
        .unwrap()
        .iter()
        .zip(biases.as_array().unwrap())
        .map(|(w, b)| {
            Linear::new(
                reference::matrix(w, "weight"),
                reference::floats(b, "bias").into(),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn mini_batch_training_matches_torch_optim() {
    let data = reference::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/training.json"
    ));
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let optimizer = case["optimizer"].as_str().unwrap();
        let loss: LossKind = case["loss"].as_str().unwrap().parse().unwrap();
        let hidden: ActivationKind = case["activation"].as_str().unwrap().parse().unwrap();
        let x = reference::matrix(&case["x"], "x");
        let y = reference::matrix(&case["y"], "y");
        let (head, set) = if loss == LossKind::CrossEntropyWithLogits {
            let labels = y
                .rows()
                .into_iter()
                .map(|r| r.iter().position(|&v| v == 1.0).unwrap())
                .collect();
            (
                Head::Softmax,
                Dataset::classification(x, labels, y.ncols()).unwrap(),
            )
        } else {
            (Head::Identity, Dataset::regression(x, y).unwrap())
        };
        let model = Mlp::from_layers(
            layers(&case["initial_weights"], &case["initial_biases"]),
            hidden,
            head,
        )
        .unwrap();
        let mut hyper = case["hyper"].clone();
        hyper["optimizer"] = optimizer.into();
        let optimizer_config: OptimizerConfig = serde_json::from_value(hyper).unwrap();
        let config = TrainConfig::new(loss)
            .with_optimizer(optimizer_config)
            .with_epochs(case["epochs"].as_u64().unwrap() as usize)
            .with_batch_size(case["batch_size"].as_u64().unwrap() as usize)
            .without_shuffle();
        let mut trainer = Trainer::new(model, config).unwrap();
        let mut losses = Losses(Vec::new());
        trainer.fit(&set, None, &mut losses).unwrap();
        assert_all_close(
            losses.0.iter(),
            reference::floats(&case["batch_losses"], "batch_losses").iter(),
            &format!("{optimizer}: batch losses"),
        );
        let expected = Mlp::from_layers(
            layers(&case["final_weights"], &case["final_biases"]),
            hidden,
            head,
        )
        .unwrap();
        assert_all_close(
            trainer.model().to_vec().iter(),
            expected.to_vec().iter(),
            &format!("{optimizer}: final weights"),
        );
    }
}
