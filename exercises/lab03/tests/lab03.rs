//! Тесты лабораторной 3, от простых к сложным (номер в имени — порядок).
//!
//! t01–t06 — часть 1 (сеть из лекции вручную), t07–t12 — часть 2 (`Value`).
//! Эталоны в `reference.json` посчитаны PyTorch в `f64`
//! (`exercises/reference/generate.py`); градиенты дополнительно сверяются
//! с центральными разностями (крейт `gradcheck`).

mod hint;

use gradcheck::{GOOD, check_gradient, close, relative_error};
use lab03::*;
use proptest::prelude::*;
use serde_json::Value as Json;

fn reference() -> Json {
    serde_json::from_str(include_str!("reference.json")).expect("reference.json — это JSON")
}

#[track_caller]
fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: ожидалось {expected:e}, получено {actual:e}"
    );
}

/// Пример из эталона: вход, ответ и параметры.
fn example(r: &Json) -> (f64, f64, Params) {
    let get = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("в эталоне нет {k}"));
    let params = Params {
        w1: get("w1"),
        b1: get("b1"),
        w2: get("w2"),
        b2: get("b2"),
    };
    (get("x"), get("y"), params)
}

/// Потеря сети как функция вектора параметров `[w1, b1, w2, b2]`.
fn loss_of(v: &[f64], x: f64, y: f64) -> f64 {
    let params = Params {
        w1: v[0],
        b1: v[1],
        w2: v[2],
        b2: v[3],
    };
    loss(forward(&params, x).y_hat, y)
}

/// Операция над `Value`, та же формула над `f64` и её имя для сообщений.
type UnaryCase = (&'static str, fn(&Value, i32) -> Value, fn(f64, i32) -> f64);

fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        // the same cases on every run: a grade must not depend on luck
        rng_seed: proptest::test_runner::RngSeed::Fixed(3),
        ..ProptestConfig::default()
    }
}

#[test]
fn t01_forward_pass_of_the_lecture_example() {
    let _hint = hint::on_failure(3, "t01");
    let r = reference();
    let (x, _, params) = example(&r["lecture"]);
    let out = forward(&params, x);
    assert_near(out.z, r["lecture"]["z"].as_f64().unwrap(), "z = w1·x + b1");
    assert_near(out.h, r["lecture"]["h"].as_f64().unwrap(), "h = σ(z)");
    assert_near(
        out.y_hat,
        r["lecture"]["y_hat"].as_f64().unwrap(),
        "ŷ = w2·h + b2 (в лекции опечатка: + b1)",
    );
}

#[test]
fn t02_loss_is_half_the_squared_error() {
    let _hint = hint::on_failure(3, "t02");
    assert_near(loss(0.6, 1.0), 0.08, "½(1 − 0.6)²");
    assert_near(loss(1.0, 0.6), 0.08, "½(0.6 − 1)²");
    let r = reference();
    let lecture = &r["lecture"];
    assert_near(
        loss(
            lecture["y_hat"].as_f64().unwrap(),
            lecture["y"].as_f64().unwrap(),
        ),
        lecture["loss"].as_f64().unwrap(),
        "потеря примера из лекции",
    );
}

#[test]
fn t03_backward_matches_pytorch() {
    let _hint = hint::on_failure(3, "t03");
    let r = reference();
    for case in ["lecture", "other"] {
        let (x, y, params) = example(&r[case]);
        let g = backward(&params, x, y);
        for (name, got) in [
            ("dw1", g.dw1),
            ("db1", g.db1),
            ("dw2", g.dw2),
            ("db2", g.db2),
        ] {
            let expected = r[case][name].as_f64().unwrap();
            assert!(
                close(got, expected),
                "{name} для примера «{case}»: ожидалось {expected:e}, получено {got:e}{}",
                if close(-got, expected) {
                    " — знак перепутан, как в лекции: ∂L/∂ŷ = ŷ − y, а не y − ŷ"
                } else {
                    ""
                }
            );
        }
    }
}

#[test]
fn t04_backward_matches_finite_differences() {
    let _hint = hint::on_failure(3, "t04");
    proptest!(proptest_config(), |(v in proptest::collection::vec(-3.0..3.0f64, 4), x in -3.0..3.0f64, y in -2.0..2.0f64)| {
        let params = Params { w1: v[0], b1: v[1], w2: v[2], b2: v[3] };
        let g = backward(&params, x, y);
        let report = check_gradient(|p| loss_of(p, x, y), &v, &[g.dw1, g.db1, g.dw2, g.db2]);
        let names = ["dw1", "db1", "dw2", "db2"];
        let i = report.worst_index;
        prop_assert!(
            report.passes(GOOD),
            "{} при x = {}, y = {}, {:?}: ваш {:e}, конечные разности дают {:e}",
            names[i], x, y, params, report.analytic[i], report.numeric[i]
        );
    });
}

#[test]
fn t05_gradient_step_reduces_the_loss() {
    let _hint = hint::on_failure(3, "t05");
    let r = reference();
    let (x, y, params) = example(&r["lecture"]);
    let g = backward(&params, x, y);
    let eta = 0.5;
    let next = gradient_step(&params, &g, eta);
    assert_near(next.w2, params.w2 - eta * g.dw2, "w2 − η·∂L/∂w2");
    assert_near(next.b1, params.b1 - eta * g.db1, "b1 − η·∂L/∂b1");
    assert_near(next.w1, params.w1 - eta * g.dw1, "w1 − η·∂L/∂w1");
    assert_near(next.b2, params.b2 - eta * g.db2, "b2 − η·∂L/∂b2");
    let before = loss(forward(&params, x).y_hat, y);
    let after = loss(forward(&next, x).y_hat, y);
    assert!(
        after < before,
        "шаг градиентного спуска должен уменьшать потерю: было {before}, стало {after} \
         (со знаком из лекции потеря растёт)"
    );
}

#[test]
fn t06_training_fits_a_small_data_set() {
    let _hint = hint::on_failure(3, "t06");
    // точки, которые сеть может описать точно: «учитель» с известными параметрами
    let teacher = Params {
        w1: 2.0,
        b1: -1.0,
        w2: 1.5,
        b2: 0.3,
    };
    let data: Vec<(f64, f64)> = (0..12)
        .map(|i| -2.0 + f64::from(i) * 0.4)
        .map(|x| (x, forward(&teacher, x).y_hat))
        .collect();
    let total = |p: &Params| {
        data.iter()
            .map(|&(x, y)| loss(forward(p, x).y_hat, y))
            .sum::<f64>()
    };
    let start = Params {
        w1: 0.5,
        b1: 0.0,
        w2: 0.5,
        b2: 0.0,
    };
    let trained = train(start, &data, 0.5, 300);
    let (before, after) = (total(&start), total(&trained));
    assert!(
        after < before / 20.0,
        "после 300 эпох SGD (η = 0.5) потеря должна упасть хотя бы в 20 раз: было {before}, стало {after}"
    );
}

#[test]
fn t07_value_add_and_mul() {
    let _hint = hint::on_failure(3, "t07");
    let a = Value::new(2.0);
    let b = Value::new(-3.0);
    let c = Value::new(10.0);
    // e = a·b + c = 4
    let e = &a * &b + &c;
    assert_near(e.data(), 4.0, "значение a·b + c при a = 2, b = −3, c = 10");
    e.backward();
    assert_near(e.grad(), 1.0, "∂e/∂e");
    assert_near(a.grad(), -3.0, "∂(a·b + c)/∂a = b");
    assert_near(b.grad(), 2.0, "∂(a·b + c)/∂b = a");
    assert_near(c.grad(), 1.0, "∂(a·b + c)/∂c = 1");
}

#[test]
fn t08_a_value_used_twice_gets_the_sum_of_both_paths() {
    let _hint = hint::on_failure(3, "t08");
    let x = Value::new(3.0);
    // y = x·x + x·x·x: dy/dx = 2x + 3x² = 33
    let y = &x * &x + &x * &x * &x;
    y.backward();
    assert_near(
        x.grad(),
        33.0,
        "d(x² + x³)/dx при x = 3 (градиенты по всем путям складываются: +=, а не =)",
    );
    // общий промежуточный узел: t = a·b, u = t + t·c = ab(1 + c)
    let (a, b, c) = (Value::new(2.0), Value::new(-1.5), Value::new(0.5));
    let t = &a * &b;
    let u = &t + &t * &c;
    u.backward();
    assert_near(a.grad(), -1.5 * 1.5, "∂u/∂a = b(1 + c)");
    assert_near(c.grad(), -3.0, "∂u/∂c = ab");
    let order = u.topological_order();
    assert_eq!(
        order.len(),
        6,
        "в графе u = t + t·c (t = a·b) шесть узлов: a, b, t, c, t·c, u; \
         узел, достижимый двумя путями, входит в порядок один раз; получено {}",
        order.len()
    );
}

#[test]
fn t09_unary_operations_match_finite_differences() {
    let _hint = hint::on_failure(3, "t09");
    let zero = Value::new(0.0);
    zero.relu().backward();
    assert_eq!(
        zero.grad(),
        0.0,
        "ReLU′(0): договорились брать 0, как PyTorch и лабораторная 1"
    );
    // away from 0: the ReLU kink, and 1/a whose third derivative would
    // make the central difference itself inaccurate
    proptest!(proptest_config(), |(a in gradcheck::strategies::scalar_away_from(-4.0..4.0, &[0.0], 0.25), n in -3..4i32)| {
        let ops: [UnaryCase; 7] = [
            ("exp", |v, _| v.exp(), |x, _| x.exp()),
            ("tanh", |v, _| v.tanh(), |x, _| x.tanh()),
            ("sigmoid", |v, _| v.sigmoid(), |x, _| 1.0 / (1.0 + (-x).exp())),
            ("relu", |v, _| v.relu(), |x, _| x.max(0.0)),
            ("powi", |v, n| v.powi(n), |x, n| x.powi(n)),
            ("a − 2.5 / a", |v, _| v - &(Value::new(2.5) / v), |x, _| x - 2.5 / x),
            ("−a·a", |v, _| -(v * v), |x, _| -(x * x)),
        ];
        for (name, op, f) in ops {
            let leaf = Value::new(a);
            let out = op(&leaf, n);
            prop_assert!(
                close(out.data(), f(a, n)),
                "{}({}) (n = {}): ожидалось {}, получено {}", name, a, n, f(a, n), out.data()
            );
            out.backward();
            let numeric = gradcheck::derivative(|x| f(x, n), a);
            let analytic = leaf.grad();
            prop_assert!(
                relative_error(analytic, numeric) < GOOD || (analytic - numeric).abs() < 1e-9,
                "производная {} в a = {} (n = {}): ваша {:e}, конечные разности дают {:e}",
                name, a, n, analytic, numeric
            );
        }
    });
}

#[test]
fn t10_backward_twice_gives_the_same_gradients() {
    let _hint = hint::on_failure(3, "t10");
    let (w, x) = (Value::new(0.7), Value::new(-1.2));
    let y = (&w * &x).tanh() * 3.0;
    y.backward();
    let first = (w.grad(), x.grad());
    y.backward();
    let second = (w.grad(), x.grad());
    assert_eq!(
        first, second,
        "повторный backward должен сначала обнулить градиенты: первый раз {first:?}, второй {second:?}"
    );
}

#[test]
fn t11_value_network_agrees_with_hand_backprop() {
    let _hint = hint::on_failure(3, "t11");
    let r = reference();
    for case in ["lecture", "other"] {
        let (x, y, params) = example(&r[case]);
        let (w1, b1) = (Value::new(params.w1), Value::new(params.b1));
        let (w2, b2) = (Value::new(params.w2), Value::new(params.b2));
        let z = &w1 * x + &b1;
        let y_hat = &w2 * &z.sigmoid() + &b2;
        let l = (Value::new(y) - &y_hat).powi(2) * 0.5;
        assert_near(
            l.data(),
            r[case]["loss"].as_f64().unwrap(),
            "потеря через Value",
        );
        l.backward();
        let by_hand = backward(&params, x, y);
        for (name, auto, hand) in [
            ("w1", w1.grad(), by_hand.dw1),
            ("b1", b1.grad(), by_hand.db1),
            ("w2", w2.grad(), by_hand.dw2),
            ("b2", b2.grad(), by_hand.db2),
        ] {
            let expected = r[case][format!("d{name}")].as_f64().unwrap();
            assert_near(
                auto,
                expected,
                &format!("∂L/∂{name} через Value, пример «{case}»"),
            );
            assert_near(hand, auto, &format!("∂L/∂{name}: вручную против Value"));
        }
    }
}

#[test]
fn t12_gradient_of_a_small_mlp_matches_finite_differences() {
    let _hint = hint::on_failure(3, "t12");
    // сеть 2 → 3 → 1 с tanh, потеря MSE на трёх точках; параметры — 13 чисел
    let data = [([0.5, -1.0], 0.3), ([-0.7, 0.2], -0.8), ([1.5, 0.9], 0.6)];
    let params: Vec<f64> = (0..13).map(|i| (f64::from(i) * 0.7).sin() * 0.9).collect();
    let build = |p: &[Value]| {
        let mut total = Value::new(0.0);
        for (x, y) in &data {
            let mut out = p[12].clone();
            for j in 0..3 {
                let z = &p[3 * j] * x[0] + &p[3 * j + 1] * x[1] + &p[3 * j + 2];
                out = out + &p[9 + j] * &z.tanh();
            }
            total = total + (out - *y).powi(2);
        }
        total / data.len() as f64
    };
    let leaves: Vec<Value> = params.iter().map(|&v| Value::new(v)).collect();
    let l = build(&leaves);
    l.backward();
    let analytic: Vec<f64> = leaves.iter().map(Value::grad).collect();
    let report = check_gradient(
        |v| build(&v.iter().map(|&t| Value::new(t)).collect::<Vec<_>>()).data(),
        &params,
        &analytic,
    );
    let i = report.worst_index;
    assert!(
        report.passes(GOOD),
        "градиент по параметру {i} сети 2→3→1: ваш {:e}, конечные разности дают {:e}",
        report.analytic[i],
        report.numeric[i]
    );
}
