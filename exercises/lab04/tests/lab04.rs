//! Тесты лабораторной 4, от простых к сложным (номер в имени — порядок).
//!
//! Эталонные траектории в `reference.json` получены оптимизаторами
//! PyTorch (`torch.optim`) в `f64` на одной и той же последовательности
//! градиентов (`exercises/reference/generate.py`).

mod hint;

use gradcheck::close;
use gradcheck::reference::floats;
use lab04::*;
use ndarray::{Array1, array};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference.json")).expect("reference.json — это JSON")
}

#[track_caller]
fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: ожидалось {expected:e}, получено {actual:e}"
    );
}

#[track_caller]
fn assert_vec_near(actual: &Array1<f64>, expected: &[f64], what: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: ожидалась длина {}, получена {}",
        expected.len(),
        actual.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_near(*a, *e, &format!("{what}[{i}]"));
    }
}

/// Проходит эталонную последовательность градиентов и сверяет веса после
/// каждого шага с траекторией PyTorch.
#[track_caller]
fn assert_follows_pytorch(opt: &mut dyn Optimizer, key: &str) {
    let r = reference();
    let mut w = Array1::from(floats(&r["w0"], "w0"));
    let grads = r["grads"].as_array().expect("массив градиентов");
    let trajectory = r[key]["trajectory"].as_array().expect("траектория");
    for (t, (g, expected)) in grads.iter().zip(trajectory).enumerate() {
        let g = Array1::from(floats(g, "grad"));
        opt.step(&mut w, &g).expect("длины совпадают");
        assert_vec_near(
            &w,
            &floats(expected, "w"),
            &format!("{key}: веса после шага {}", t + 1),
        );
    }
}

fn hyper(key: &str, name: &str) -> f64 {
    reference()[key]["hyper"][name]
        .as_f64()
        .unwrap_or_else(|| panic!("в эталоне нет {key}.{name}"))
}

#[test]
fn t01_sgd_step_is_w_minus_eta_times_g() {
    let _hint = hint::on_failure(4, "t01");
    let mut sgd = Sgd::new(0.1).expect("η = 0.1 допустима");
    let mut w = array![1.0, -2.0, 0.5];
    sgd.step(&mut w, &array![10.0, -10.0, 0.0])
        .expect("длины совпадают");
    assert_vec_near(&w, &[0.0, -1.0, 0.5], "w − 0.1·g");
    assert_follows_pytorch(&mut Sgd::new(hyper("sgd", "eta")).unwrap(), "sgd");
}

#[test]
fn t02_hyperparameters_are_checked_when_built() {
    let _hint = hint::on_failure(4, "t02");
    let bad: Vec<(&str, Result<(), OptimError>)> = vec![
        ("eta", Sgd::new(0.0).map(drop)),
        ("eta", Sgd::new(-0.1).map(drop)),
        ("eta", Sgd::new(f64::NAN).map(drop)),
        ("mu", Momentum::new(0.1, 1.0).map(drop)),
        ("mu", Momentum::new(0.1, -0.5).map(drop)),
        ("rho", RmsProp::new(0.1, 1.5, 1e-8).map(drop)),
        ("eps", RmsProp::new(0.1, 0.9, 0.0).map(drop)),
        ("beta1", Adam::new(0.1, 1.0, 0.999, 1e-8).map(drop)),
        ("beta2", Adam::new(0.1, 0.9, -0.1, 1e-8).map(drop)),
        ("eps", Adam::new(0.1, 0.9, 0.999, -1e-8).map(drop)),
        ("eta", Adam::new(f64::INFINITY, 0.9, 0.999, 1e-8).map(drop)),
    ];
    for (i, (name, result)) in bad.into_iter().enumerate() {
        assert!(
            matches!(result, Err(OptimError::InvalidHyperparameter { name: n, .. }) if n == name),
            "случай {i}: ожидалась ошибка InvalidHyperparameter {{ name: \"{name}\", .. }}, получено {result:?}"
        );
    }
    assert!(
        Adam::new(1e-3, 0.0, 0.0, 1e-8).is_ok(),
        "β = 0 допустимо (0 ≤ β < 1), но Adam::new(1e-3, 0, 0, 1e-8) вернул ошибку"
    );
}

#[test]
fn t03_step_rejects_mismatched_lengths() {
    let _hint = hint::on_failure(4, "t03");
    let optimizers: Vec<(&str, Box<dyn Optimizer>)> = vec![
        ("Sgd", Box::new(Sgd::new(0.1).unwrap())),
        ("Momentum", Box::new(Momentum::new(0.1, 0.9).unwrap())),
        ("RmsProp", Box::new(RmsProp::new(0.1, 0.9, 1e-8).unwrap())),
        ("Adam", Box::new(Adam::new(0.1, 0.9, 0.999, 1e-8).unwrap())),
    ];
    for (name, mut opt) in optimizers {
        let mut w = Array1::zeros(3);
        let result = opt.step(&mut w, &Array1::ones(2));
        assert!(
            matches!(result, Err(OptimError::LengthMismatch { .. })),
            "{name}: веса длины 3, градиент длины 2 — ожидалась ошибка LengthMismatch, получено {result:?}"
        );
        if name != "Sgd" {
            // у оптимизатора с состоянием длина не может меняться между шагами
            opt.step(&mut w, &Array1::ones(3)).expect("длины совпадают");
            let mut w4 = Array1::zeros(4);
            let result = opt.step(&mut w4, &Array1::ones(4));
            assert!(
                matches!(result, Err(OptimError::LengthMismatch { .. })),
                "{name}: состояние длины 3, новый градиент длины 4 — ожидалась ошибка LengthMismatch, \
                 получено {result:?}"
            );
        }
    }
}

#[test]
fn t04_momentum_accumulates_velocity() {
    let _hint = hint::on_failure(4, "t04");
    // постоянный градиент 1, μ = 0.9, η = 0.1: v₁ = 1, v₂ = 1.9, v₃ = 2.71
    let mut opt = Momentum::new(0.1, 0.9).unwrap();
    let mut w = array![0.0];
    let g = array![1.0];
    let mut expected = 0.0;
    for v in [1.0, 1.9, 2.71] {
        opt.step(&mut w, &g).unwrap();
        expected -= 0.1 * v;
        assert_near(w[0], expected, &format!("вес после шага с v = {v}"));
    }
    let mut opt = Momentum::new(hyper("momentum", "eta"), hyper("momentum", "mu")).unwrap();
    assert_follows_pytorch(&mut opt, "momentum");
}

#[test]
fn t05_rmsprop_matches_pytorch() {
    let _hint = hint::on_failure(4, "t05");
    let mut opt = RmsProp::new(
        hyper("rmsprop", "eta"),
        hyper("rmsprop", "rho"),
        hyper("rmsprop", "eps"),
    )
    .unwrap();
    assert_follows_pytorch(&mut opt, "rmsprop");
}

#[test]
fn t06_adam_first_step_moves_every_weight_by_eta() {
    let _hint = hint::on_failure(4, "t06");
    // на первом шаге m̂ = g и v̂ = g², значит Δw = −η·g/(|g| + ε) ≈ −η·sign(g)
    let eta = 0.01;
    let mut opt = Adam::new(eta, 0.9, 0.999, 1e-8).unwrap();
    let mut w = Array1::zeros(4);
    let g = array![1e-3, -2.0, 50.0, -0.3];
    opt.step(&mut w, &g).unwrap();
    for i in 0..4 {
        let expected = -eta * g[i] / (g[i].abs() + 1e-8);
        assert!(
            w[i].is_finite(),
            "первый шаг Adam дал {} — с поправкой 1 − β^t при t = 0 (как в лекции) \
             получается деление на ноль; показатель должен быть равен числу сделанных шагов",
            w[i]
        );
        assert_near(
            w[i],
            expected,
            &format!(
                "вес {i} после первого шага Adam (g = {}; без поправки смещения шаг в ~3 раза больше)",
                g[i]
            ),
        );
    }
}

#[test]
fn t07_adam_matches_pytorch() {
    let _hint = hint::on_failure(4, "t07");
    for key in ["adam", "adam_custom"] {
        let mut opt = Adam::new(
            hyper(key, "eta"),
            hyper(key, "beta1"),
            hyper(key, "beta2"),
            hyper(key, "eps"),
        )
        .unwrap();
        assert_follows_pytorch(&mut opt, key);
    }
}

#[test]
fn t08_learning_rate_can_change_between_steps() {
    let _hint = hint::on_failure(4, "t08");
    let mut opts: Vec<(&str, Box<dyn Optimizer>)> = vec![
        ("Sgd", Box::new(Sgd::new(0.1).unwrap())),
        ("Momentum", Box::new(Momentum::new(0.1, 0.5).unwrap())),
        ("RmsProp", Box::new(RmsProp::new(0.1, 0.9, 1e-8).unwrap())),
        ("Adam", Box::new(Adam::new(0.1, 0.9, 0.999, 1e-8).unwrap())),
    ];
    for (name, opt) in &mut opts {
        assert_eq!(
            opt.learning_rate(),
            0.1,
            "{name}: learning_rate() после new"
        );
        opt.set_learning_rate(0.0);
        let mut w = array![1.0, 2.0];
        opt.step(&mut w, &array![0.5, -0.5]).unwrap();
        assert_eq!(
            w,
            array![1.0, 2.0],
            "{name}: при η = 0 веса не должны меняться, получено {w}"
        );
    }
}

/// Квадратичная «долина» $f(w) = \tfrac12 \sum_i a_i w_i^2$ с $a = (1, 50)$:
/// вдоль первой оси пологая, вдоль второй крутая.
fn valley(w: &Array1<f64>) -> (f64, Array1<f64>) {
    let a = array![1.0, 50.0];
    let f = 0.5 * (&a * w * w).sum();
    (f, &a * w)
}

/// Сколько шагов нужно, чтобы $f$ упала ниже `1e-8` (не больше `limit`).
fn steps_to_converge(opt: &mut dyn Optimizer, limit: usize) -> usize {
    let mut w = array![1.0, 1.0];
    for step in 0..limit {
        let (f, g) = valley(&w);
        if f < 1e-8 {
            return step;
        }
        opt.step(&mut w, &g).expect("длины совпадают");
    }
    limit
}

#[test]
fn t09_every_optimizer_minimises_a_valley() {
    let _hint = hint::on_failure(4, "t09");
    let cases: Vec<(&str, Box<dyn Optimizer>)> = vec![
        ("Sgd", Box::new(Sgd::new(0.035).unwrap())),
        ("Momentum", Box::new(Momentum::new(0.01, 0.9).unwrap())),
        ("RmsProp", Box::new(RmsProp::new(0.01, 0.9, 1e-8).unwrap())),
        ("Adam", Box::new(Adam::new(0.05, 0.9, 0.999, 1e-8).unwrap())),
    ];
    for (name, mut opt) in cases {
        let steps = steps_to_converge(opt.as_mut(), 5000);
        assert!(
            steps < 5000,
            "{name}: за 5000 шагов f(w) = ½(w₁² + 50·w₂²) не опустилась ниже 1e-8"
        );
    }
}

#[test]
fn t10_momentum_beats_plain_sgd_in_a_long_valley() {
    let _hint = hint::on_failure(4, "t10");
    // одинаковая η: импульс разгоняется вдоль пологого направления
    let sgd = steps_to_converge(&mut Sgd::new(0.01).unwrap(), 20_000);
    let momentum = steps_to_converge(&mut Momentum::new(0.01, 0.9).unwrap(), 20_000);
    assert!(
        momentum * 3 < sgd,
        "при η = 0.01 импульс (μ = 0.9) должен сойтись хотя бы втрое быстрее SGD: \
         SGD — {sgd} шагов, импульс — {momentum}"
    );
}
