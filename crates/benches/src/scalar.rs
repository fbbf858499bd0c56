//! micrograd's `MLP(2, [16, 16, 1])` built from our scalar [`Value`]s, so
//! that the compare command can time the same graph as
//! `peers/micrograd_mlp.py` (WORKLOADS.md §5).
//!
//! The criterion bench `benches/scalar_autograd.rs` times the same network
//! with criterion's statistics; this copy gives the compare command a plain
//! best-of-rounds number in the same units as the peers.

use autograd::Value;

/// One neuron: $b + \sum_i w_i x_i$, then ReLU unless it is in the last layer.
#[derive(Debug, Clone)]
struct Neuron {
    w: Vec<Value>,
    b: Value,
    relu: bool,
}

impl Neuron {
    /// $b + \sum_i w_i x_i$ (then ReLU), summed in micrograd's order.
    fn forward(&self, x: &[Value]) -> Value {
        let act = self
            .w
            .iter()
            .zip(x)
            .fold(self.b.clone(), |acc, (wi, xi)| acc + wi * xi);
        if self.relu { act.relu() } else { act }
    }
}

/// A multilayer perceptron of scalar [`Value`]s, micrograd's layout.
#[derive(Debug, Clone)]
pub struct ScalarMlp {
    layers: Vec<Vec<Neuron>>,
}

impl ScalarMlp {
    /// Layer sizes `[n_in, h1, …, n_out]`, ReLU on the hidden layers, a
    /// linear output; deterministic weights $\sin(12.9898\,k)$ in $(-1, 1)$
    /// for the $k$-th weight, biases 0.
    pub fn new(sizes: &[usize]) -> Self {
        let mut k = 0.0_f64;
        let mut next = || {
            k += 1.0;
            (k * 12.9898).sin()
        };
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(l, pair)| {
                let relu = l + 2 < sizes.len();
                (0..pair[1])
                    .map(|_| Neuron {
                        w: (0..pair[0]).map(|_| Value::new(next())).collect(),
                        b: Value::new(0.0),
                        relu,
                    })
                    .collect()
            })
            .collect();
        Self { layers }
    }

    /// The network's output for one sample (the last layer's first neuron).
    ///
    /// # Panics
    /// If the network was built with an empty last layer (a bug of the caller).
    pub fn forward(&self, x: &[f64]) -> Value {
        let mut h: Vec<Value> = x.iter().copied().map(Value::new).collect();
        for layer in &self.layers {
            h = layer.iter().map(|n| n.forward(&h)).collect();
        }
        h.swap_remove(0)
    }

    /// The loss $(\hat y - y)^2$ of one sample, as a graph.
    pub fn loss(&self, x: &[f64], y: f64) -> Value {
        (self.forward(x) - y).powi(2)
    }

    /// One timed unit of work: forward, loss, backward; the graph is freed
    /// on return (Python's collector pays that too). Returns the loss.
    pub fn step(&self, x: &[f64], y: f64) -> f64 {
        let loss = self.loss(x, y);
        loss.backward();
        loss.data()
    }

    /// The gradient of the loss with respect to every weight and bias, in
    /// layer, neuron, weight order (bias after a neuron's weights), as left
    /// by the last [`step`](Self::step).
    pub fn gradients(&self) -> Vec<f64> {
        self.layers
            .iter()
            .flatten()
            .flat_map(|n| n.w.iter().chain([&n.b]).map(Value::grad))
            .collect()
    }

    /// Every weight and bias, in the order of [`gradients`](Self::gradients).
    pub fn parameters(&self) -> Vec<f64> {
        self.layers
            .iter()
            .flatten()
            .flat_map(|n| n.w.iter().chain([&n.b]).map(Value::data))
            .collect()
    }

    /// Clears every parameter's gradient (gradients accumulate, as in micrograd).
    pub fn zero_grad(&self) {
        for n in self.layers.iter().flatten() {
            for p in n.w.iter().chain([&n.b]) {
                p.zero_grad();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same network in plain f64 with the parameters `p` (in
    /// [`ScalarMlp::parameters`] order): the loss $(\hat y - y)^2$.
    fn plain_loss(net: &ScalarMlp, p: &[f64], x: &[f64], y: f64) -> f64 {
        let mut p = p.iter();
        let mut h = x.to_vec();
        for layer in &net.layers {
            h = layer
                .iter()
                .map(|n| {
                    let dot: f64 = h.iter().map(|x| p.next().unwrap() * x).sum();
                    let z = dot + p.next().unwrap();
                    if n.relu { z.max(0.0) } else { z }
                })
                .collect();
        }
        (h[0] - y).powi(2)
    }

    #[test]
    fn the_loss_is_the_networks_squared_error() {
        let net = ScalarMlp::new(&[2, 16, 16, 1]);
        let p = net.parameters();
        assert_eq!(p.len(), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
        for (x, y) in [([0.5, -1.2], 1.0), ([-0.3, 0.8], -2.0)] {
            let loss = net.step(&x, y);
            gradcheck::assert_close(loss, plain_loss(&net, &p, &x, y), "loss");
        }
    }

    #[test]
    fn backward_gives_the_central_difference_gradient() {
        let net = ScalarMlp::new(&[2, 16, 16, 1]);
        let (x, y) = ([0.7, -0.4], 0.3);
        net.zero_grad();
        net.step(&x, y);
        let report = gradcheck::check_gradient(
            |p| plain_loss(&net, p, &x, y),
            &net.parameters(),
            &net.gradients(),
        );
        report.assert_good();
        // and a wrong sign would be caught
        let flipped: Vec<f64> = net.gradients().iter().map(|g| -g).collect();
        let p = net.parameters();
        assert!(
            !gradcheck::check_gradient(|p| plain_loss(&net, p, &x, y), &p, &flipped).passes(1e-4)
        );
    }

    #[test]
    fn gradients_accumulate_until_cleared() {
        let net = ScalarMlp::new(&[2, 3, 1]);
        net.step(&[1.0, 2.0], 0.0);
        let once = net.gradients();
        net.step(&[1.0, 2.0], 0.0);
        let twice = net.gradients();
        for (a, b) in once.iter().zip(&twice) {
            assert_eq!(2.0 * a, *b);
        }
        net.zero_grad();
        assert!(net.gradients().iter().all(|g| *g == 0.0));
    }
}
