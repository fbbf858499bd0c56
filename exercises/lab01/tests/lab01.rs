//! Тесты лабораторной 1, от простых к сложным (номер в имени — порядок).
//!
//! Эталонные значения `reference.json` посчитаны PyTorch в `f64`
//! (`exercises/reference/generate.py`); производные дополнительно
//! сверяются с центральными разностями (крейт `gradcheck`).

mod hint;

use gradcheck::{GOOD, close, reference::floats, relative_error};
use lab01::*;
use ndarray::{Array1, Array2, array};
use proptest::prelude::*;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference.json")).expect("reference.json — это JSON")
}

/// Сравнивает с эталоном с допуском `1e-9 + 1e-7·|ожидаемое|`.
#[track_caller]
fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: ожидалось {expected:e}, получено {actual:e}"
    );
}

/// Сверяет функцию со столбцом эталонной таблицы в каждой точке `x`.
#[track_caller]
fn assert_matches_table(f: impl Fn(f64) -> f64, name: &str) {
    let r = reference();
    let xs = floats(&r["x"], "x");
    let expected = floats(&r[name], name);
    for (x, e) in xs.iter().zip(&expected) {
        assert_near(f(*x), *e, &format!("{name}({x})"));
    }
}

/// Производная `analytic` против центральной разности функции `f` в точке `x`.
fn derivative_ok(f: impl Fn(f64) -> f64, analytic: f64, x: f64) -> Result<(), String> {
    let numeric = gradcheck::derivative(f, x);
    let err = relative_error(analytic, numeric);
    if err < GOOD || (analytic - numeric).abs() < 1e-9 {
        Ok(())
    } else {
        Err(format!(
            "в точке x = {x}: ваша производная {analytic:e}, конечные разности дают {numeric:e} \
             (относительная ошибка {err:e})"
        ))
    }
}

fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // файлы proptest-regressions не нужны: тесты не должны менять каталог лабы
        failure_persistence: None,
        // the same cases on every run: a grade must not depend on luck
        rng_seed: proptest::test_runner::RngSeed::Fixed(1),
        ..ProptestConfig::default()
    }
}

#[test]
fn t01_sigmoid_at_zero_and_symmetry() {
    let _hint = hint::on_failure(1, "t01");
    assert_near(sigmoid(0.0), 0.5, "sigmoid(0)");
    assert!(
        sigmoid(2.0) > 0.5,
        "сигмоида должна возрастать: ожидалось sigmoid(2) > 0.5, получено {} \
         (в лекции опечатка: e^(-x), а не e^x)",
        sigmoid(2.0)
    );
    for x in [0.3, 1.0, 4.0, 12.0] {
        let sum = sigmoid(x) + sigmoid(-x);
        assert_near(sum, 1.0, &format!("sigmoid({x}) + sigmoid(-{x})"));
    }
}

#[test]
fn t02_sigmoid_matches_pytorch_even_far_from_zero() {
    let _hint = hint::on_failure(1, "t02");
    assert_matches_table(sigmoid, "sigmoid");
    for x in [-1000.0, 1000.0, -f64::MAX, f64::MAX] {
        assert!(
            sigmoid(x).is_finite(),
            "sigmoid({x}) должна быть конечной, получено {}",
            sigmoid(x)
        );
    }
}

#[test]
fn t03_sigmoid_derivative_matches_pytorch() {
    let _hint = hint::on_failure(1, "t03");
    assert_matches_table(sigmoid_derivative, "sigmoid_derivative");
}

#[test]
fn t04_sigmoid_derivative_matches_finite_differences() {
    let _hint = hint::on_failure(1, "t04");
    proptest!(proptest_config(), |(x in -20.0..20.0f64)| {
        let check = derivative_ok(sigmoid, sigmoid_derivative(x), x);
        prop_assert!(check.is_ok(), "sigmoid_derivative {}", check.unwrap_err());
    });
}

#[test]
fn t05_tanh_and_its_derivative() {
    let _hint = hint::on_failure(1, "t05");
    assert_matches_table(tanh, "tanh");
    assert_matches_table(tanh_derivative, "tanh_derivative");
    for x in [-1000.0, 1000.0] {
        assert!(
            tanh(x).is_finite() && tanh_derivative(x).is_finite(),
            "tanh({x}) и её производная должны быть конечными, получено {} и {}",
            tanh(x),
            tanh_derivative(x)
        );
    }
}

#[test]
fn t06_relu_and_leaky_relu_with_pytorch_convention_at_zero() {
    let _hint = hint::on_failure(1, "t06");
    assert_matches_table(relu, "relu");
    assert_matches_table(relu_derivative, "relu_derivative");
    let alpha = floats(&reference()["leaky_alpha"], "leaky_alpha")[0];
    assert_matches_table(|x| leaky_relu(x, alpha), "leaky_relu");
    assert_matches_table(|x| leaky_relu_derivative(x, alpha), "leaky_relu_derivative");
    assert_eq!(
        relu_derivative(0.0),
        0.0,
        "в изломе x = 0 договорились брать ReLU'(0) = 0 (как PyTorch)"
    );
    assert_eq!(
        leaky_relu_derivative(0.0, 0.2),
        0.2,
        "в изломе x = 0 договорились брать LeakyReLU'(0) = alpha (как PyTorch)"
    );
}

#[test]
fn t07_elu_is_continuous_and_matches_pytorch() {
    let _hint = hint::on_failure(1, "t07");
    let alpha = floats(&reference()["elu_alpha"], "elu_alpha")[0];
    assert_matches_table(|x| elu(x, alpha), "elu");
    assert_matches_table(|x| elu_derivative(x, alpha), "elu_derivative");
    // при alpha = 1 (значение по умолчанию в PyTorch) ELU гладкая в нуле
    let left = elu_derivative(-1e-9, 1.0);
    let right = elu_derivative(1e-9, 1.0);
    assert!(
        (left - right).abs() < 1e-6,
        "при alpha = 1 наклоны ELU слева и справа от нуля должны совпасть: получено {left} и {right}"
    );
    assert!(
        elu(-1000.0, 1.0) > -1.0 - 1e-12 && elu(-1000.0, 1.0).is_finite(),
        "ELU(-1000) при alpha = 1 должна быть около -1, получено {}",
        elu(-1000.0, 1.0)
    );
    // eˣ − 1 при x = −10⁻¹⁵ вычитает почти равные числа: теряются все знаки
    let tiny = elu(-1e-15, 1.0);
    assert!(
        ((tiny + 1e-15) / 1e-15).abs() < 1e-9,
        "ELU(-1e-15) при alpha = 1: ожидалось -1e-15 (с относительной точностью 1e-9), \
         получено {tiny:e} — около нуля eˣ − 1 теряет знаки"
    );
    // в изломе и далеко в хвосте конечные разности неверны: нужна формула
    for (x, alpha) in [(0.0, 0.5), (-40.0, 1.0), (-30.0, 0.5)] {
        let expected = alpha * f64::exp(x);
        let got = elu_derivative(x, alpha);
        assert!(
            ((got - expected) / expected).abs() < 1e-9,
            "ELU'({x}) при alpha = {alpha}: ожидалось {expected:e}, получено {got:e} \
             (в изломе и вдали от нуля конечные разности неточны — нужна формула)"
        );
    }
}

#[test]
fn t08_relu_family_derivatives_match_finite_differences() {
    let _hint = hint::on_failure(1, "t08");
    proptest!(proptest_config(), |(x in gradcheck::strategies::scalar_away_from(-6.0..6.0, &[0.0], 1e-3), alpha in 0.01..2.0f64)| {
        let checks = [
            ("relu_derivative", derivative_ok(relu, relu_derivative(x), x)),
            ("leaky_relu_derivative", derivative_ok(|t| leaky_relu(t, alpha), leaky_relu_derivative(x, alpha), x)),
            ("elu_derivative", derivative_ok(|t| elu(t, alpha), elu_derivative(x, alpha), x)),
        ];
        for (name, check) in checks {
            prop_assert!(check.is_ok(), "{} (alpha = {}) {}", name, alpha, check.unwrap_err());
        }
    });
}

#[test]
fn t09_gelu_matches_pytorch() {
    let _hint = hint::on_failure(1, "t09");
    assert_matches_table(gelu, "gelu");
    assert_matches_table(gelu_derivative, "gelu_derivative");
}

#[test]
fn t10_gelu_sigmoid_approximates_gelu() {
    let _hint = hint::on_failure(1, "t10");
    assert_matches_table(gelu_sigmoid, "gelu_sigmoid");
    assert_matches_table(gelu_sigmoid_derivative, "gelu_sigmoid_derivative");
    // x·σ(1.702x) отличается от точной GELU не больше чем на ~0.02
    let worst = (-600..=600)
        .map(|i| f64::from(i) / 100.0)
        .map(|x| (gelu_sigmoid(x) - gelu(x)).abs())
        .fold(0.0, f64::max);
    assert!(
        worst > 1e-3 && worst < 0.025,
        "наибольшее расхождение x·σ(1.702x) и GELU на [-6, 6] должно быть около 0.02, получено {worst}"
    );
}

#[test]
fn t11_gelu_derivatives_match_finite_differences() {
    let _hint = hint::on_failure(1, "t11");
    proptest!(proptest_config(), |(x in -8.0..8.0f64)| {
        let exact = derivative_ok(gelu, gelu_derivative(x), x);
        prop_assert!(exact.is_ok(), "gelu_derivative {}", exact.unwrap_err());
        let approx = derivative_ok(gelu_sigmoid, gelu_sigmoid_derivative(x), x);
        prop_assert!(approx.is_ok(), "gelu_sigmoid_derivative {}", approx.unwrap_err());
    });
}

#[test]
fn t12_softmax_sums_to_one_and_matches_pytorch() {
    let _hint = hint::on_failure(1, "t12");
    let s = softmax(&array![0.0, 0.0, 0.0, 0.0]);
    assert_eq!(
        s.len(),
        4,
        "SoftMax вектора длины 4 — вектор длины 4, получено {s}"
    );
    for case in reference()["softmax"].as_array().expect("массив случаев") {
        let z = Array1::from(floats(&case["z"], "z"));
        let expected = floats(&case["s"], "s");
        let s = softmax(&z);
        assert_near(s.sum(), 1.0, &format!("сумма SoftMax({z})"));
        for (i, (a, e)) in s.iter().zip(&expected).enumerate() {
            assert_near(*a, *e, &format!("SoftMax({z})[{i}]"));
        }
    }
}

#[test]
fn t13_softmax_is_stable_for_large_inputs() {
    let _hint = hint::on_failure(1, "t13");
    // e^1000 = ∞ в f64: без вычитания максимума получится ∞/∞ = NaN
    let s = softmax(&array![1000.0, 1001.0, 1002.0]);
    assert!(
        s.iter().all(|v| v.is_finite()),
        "SoftMax([1000, 1001, 1002]) должна быть конечной (вычтите максимум), получено {s}"
    );
    let shifted = softmax(&array![0.0, 1.0, 2.0]);
    for i in 0..3 {
        assert_near(
            s[i],
            shifted[i],
            &format!("SoftMax не меняется от сдвига входа: компонента {i}"),
        );
    }
}

#[test]
fn t14_softmax_jacobian_matches_pytorch_and_finite_differences() {
    let _hint = hint::on_failure(1, "t14");
    for case in reference()["softmax"].as_array().expect("массив случаев") {
        let z = Array1::from(floats(&case["z"], "z"));
        let k = z.len();
        let expected = Array2::from_shape_vec((k, k), floats(&case["jacobian"], "jacobian"))
            .expect("квадратная матрица");
        let jac = softmax_jacobian(&z);
        assert_eq!(
            jac.dim(),
            (k, k),
            "матрица Якоби для вектора длины {k} должна быть {k}×{k}, получено {:?}",
            jac.dim()
        );
        for ((i, j), e) in expected.indexed_iter() {
            assert_near(jac[[i, j]], *e, &format!("J[{i}, {j}] для z = {z}"));
        }
        // строки в сумме дают 0: выходы SoftMax всегда в сумме 1
        for (i, row) in jac.rows().into_iter().enumerate() {
            assert!(
                row.sum().abs() < 1e-12,
                "сумма строки {i} матрицы Якоби должна быть 0, получено {}",
                row.sum()
            );
        }
        if z.iter().all(|v| v.abs() < 100.0) {
            let report = gradcheck::check_jacobian(
                |v| softmax(&Array1::from(v.to_vec())).to_vec(),
                z.as_slice().expect("непрерывный вектор"),
                &jac,
            );
            assert!(
                report.passes(GOOD),
                "матрица Якоби SoftMax({z}) расходится с конечными разностями: \
                 в элементе {} ваша {:e}, разности {:e}",
                report.worst_index,
                report.analytic[report.worst_index],
                report.numeric[report.worst_index]
            );
        }
    }
}
