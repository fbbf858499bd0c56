//! Properties every optimizer must have: it descends an ill-conditioned
//! quadratic, brings Rosenbrock closer to its minimum, and resumes from a
//! saved state exactly as if never interrupted.

use ndarray::{ArrayD, IxDyn, Zip};
use optim::demo::trajectory;
use optim::objectives::Problem;
use optim::{
    AdamConfig, AdamWConfig, MomentumConfig, OptimizerConfig, OptimizerState, Resumable,
    RmsPropConfig, SgdConfig,
};
use proptest::prelude::*;

/// Each optimizer with a learning rate drawn from `eta` (and μ, λ where
/// they exist); the ranges are each optimizer's, not one shared range,
/// because a stable η for SGD is tiny for Adam.
fn any_optimizer(
    sgd_eta: std::ops::Range<f64>,
    adaptive_eta: std::ops::Range<f64>,
) -> impl Strategy<Value = OptimizerConfig> {
    let momentum = (sgd_eta.clone(), 0.0..0.9_f64).prop_map(|(eta, mu)| MomentumConfig { eta, mu });
    prop_oneof![
        sgd_eta
            .clone()
            .prop_map(|eta| OptimizerConfig::Sgd(SgdConfig { eta })),
        momentum.clone().prop_map(OptimizerConfig::Momentum),
        momentum.prop_map(OptimizerConfig::Nesterov),
        adaptive_eta
            .clone()
            .prop_map(|eta| OptimizerConfig::RmsProp(RmsPropConfig {
                eta,
                ..RmsPropConfig::default()
            })),
        adaptive_eta
            .clone()
            .prop_map(|eta| OptimizerConfig::Adam(AdamConfig {
                eta,
                ..AdamConfig::default()
            })),
        (adaptive_eta, 0.0..0.01_f64).prop_map(|(eta, weight_decay)| OptimizerConfig::AdamW(
            AdamWConfig {
                eta,
                weight_decay,
                ..AdamWConfig::default()
            }
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// ½(x² + 25y²): η < 2/κ = 0.08 keeps gradient descent stable, and
    /// Nesterov with μ < 0.9 needs η < 2(1 + μ) / ((1 + 2μ) κ), at least 0.054.
    #[test]
    fn every_optimizer_reduces_an_ill_conditioned_quadratic(
        config in any_optimizer(1e-3..0.05, 1e-3..0.1),
        x in -5.0..5.0_f64,
        y in -5.0..5.0_f64,
    ) {
        prop_assume!(x.hypot(y) > 1.0);
        let mut optimizer = config.build().unwrap();
        let points = trajectory(Problem::Quadratic, &mut optimizer, [x, y], 100).unwrap();
        let (first, last) = (points[0][2], points[100][2]);
        prop_assert!(last < first, "{config:?}: loss {first} → {last}");
    }

    /// From (1.5, 1.5), where the curvature across the valley is about 2100
    /// (so gradient descent needs η < 2/2100). The adaptive methods first
    /// walk diagonally, away from (1, 1), into the valley at about (1.3, 1.7)
    /// and then along it, slowly for small η: they get η ≥ 0.02 and enough
    /// steps to come back.
    #[test]
    fn every_optimizer_brings_rosenbrock_closer_to_its_minimum(
        config in any_optimizer(1e-5..4e-4, 0.02..0.05),
    ) {
        let mut optimizer = config.build().unwrap();
        let points = trajectory(Problem::Rosenbrock, &mut optimizer, [1.5, 1.5], 750).unwrap();
        let distance = |p: [f64; 3]| (p[0] - 1.0).hypot(p[1] - 1.0);
        let (first, last) = (distance(points[0]), distance(points[750]));
        prop_assert!(last < first, "{config:?}: distance {first} → {last}");
        prop_assert!(points[750][2] < points[0][2]);
    }

    /// Save after `k` steps, load into a fresh optimizer (through JSON), continue:
    /// the parameters equal those of the uninterrupted run bit for bit.
    #[test]
    fn save_load_continue_equals_the_uninterrupted_run(
        config in any_optimizer(1e-3..0.1, 1e-3..0.1),
        k in 1usize..12,
        seed in proptest::collection::vec(-2.0..2.0_f64, 10),
    ) {
        let init = vec![
            ArrayD::from_shape_vec(IxDyn(&[4]), seed[..4].to_vec()).unwrap(),
            ArrayD::from_shape_vec(IxDyn(&[2, 3]), seed[4..].to_vec()).unwrap(),
        ];
        let total = 20;
        let eta0 = config.learning_rate();
        let mut uninterrupted = config.build().unwrap();
        let mut straight = init.clone();
        run(&mut uninterrupted, &mut straight, eta0, 0..total);

        let mut first = config.build().unwrap();
        let mut resumed = init;
        run(&mut first, &mut resumed, eta0, 0..k);
        let json = serde_json::to_string(&first.state()).unwrap();
        drop(first);
        let mut second = config.build().unwrap();
        second.load_state(serde_json::from_str::<OptimizerState>(&json).unwrap()).unwrap();
        prop_assert_eq!(second.steps_taken(), k as u64);
        run(&mut second, &mut resumed, eta0, k..total);

        for (a, b) in straight.iter().zip(&resumed) {
            prop_assert!(a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits()), "{a} vs {b}");
        }
        prop_assert_eq!(uninterrupted.state(), second.state());
    }
}

/// Steps `steps` on $L = \sum \tfrac12 (w - 0.3)^2 + \sin w$ with the
/// learning rate $\eta_0 \cdot 0.97^k$ set before step $k$, as a schedule would.
fn run(
    optimizer: &mut Box<dyn Resumable>,
    params: &mut [ArrayD<f64>],
    eta0: f64,
    steps: std::ops::Range<usize>,
) {
    for k in steps {
        optimizer.set_learning_rate(eta0 * 0.97_f64.powi(k as i32));
        let grads: Vec<ArrayD<f64>> = params
            .iter()
            .map(|w| {
                let mut g = ArrayD::zeros(w.raw_dim());
                Zip::from(&mut g)
                    .and(w)
                    .for_each(|g, &w| *g = (w - 0.3) + w.cos());
                g
            })
            .collect();
        let mut views: Vec<_> = params.iter_mut().map(|p| p.view_mut()).collect();
        let grad_views: Vec<_> = grads.iter().map(|g| g.view()).collect();
        optimizer.step(&mut views, &grad_views).unwrap();
    }
}
