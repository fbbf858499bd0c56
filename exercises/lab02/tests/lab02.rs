//! Тесты лабораторной 2, от простых к сложным (номер в имени — порядок).
//!
//! Эталоны в `reference.json` посчитаны PyTorch в `f64`
//! (`exercises/reference/generate.py`); градиенты дополнительно сверяются
//! с центральными разностями (крейт `gradcheck`).

mod hint;

use gradcheck::reference::{floats, matrix};
use gradcheck::strategies;
use gradcheck::{GOOD, check_gradient, close};
use lab02::*;
use ndarray::{Array2, array};
use proptest::prelude::*;
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

/// Сверяет матрицу с эталоном поэлементно; сообщение называет элемент.
#[track_caller]
fn assert_matrix_near(actual: &Array2<f64>, expected: &Array2<f64>, what: &str) {
    assert_eq!(
        actual.dim(),
        expected.dim(),
        "{what}: ожидалась матрица {:?}, получена {:?}",
        expected.dim(),
        actual.dim()
    );
    for ((i, j), e) in expected.indexed_iter() {
        assert_near(actual[[i, j]], *e, &format!("{what}[{i}, {j}]"));
    }
}

/// Значение и градиент потери против эталона PyTorch `r[key]`.
#[track_caller]
fn assert_matches_pytorch(value: f64, gradient: &Array2<f64>, r: &Value, key: &str) {
    assert_near(value, floats(&r[key]["value"], key)[0], key);
    let expected = matrix(&r[key]["gradient"], key);
    assert_matrix_near(gradient, &expected, &format!("градиент {key}"));
}

/// Аналитический градиент `grad` против центральных разностей `loss` в `x`.
fn gradient_ok(
    loss: impl Fn(&Array2<f64>) -> f64,
    grad: &Array2<f64>,
    x: &Array2<f64>,
) -> Result<(), String> {
    let shape = x.dim();
    let report = check_gradient(
        |v| loss(&Array2::from_shape_vec(shape, v.to_vec()).expect("та же форма")),
        &x.iter().copied().collect::<Vec<_>>(),
        &grad.iter().copied().collect::<Vec<_>>(),
    );
    if report.passes(GOOD) {
        Ok(())
    } else {
        let i = report.worst_index;
        Err(format!(
            "в элементе [{}, {}]: ваш градиент {:e}, конечные разности дают {:e}",
            i / shape.1,
            i % shape.1,
            report.analytic[i],
            report.numeric[i]
        ))
    }
}

fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: 32,
        failure_persistence: None,
        // the same cases on every run: a grade must not depend on luck
        rng_seed: proptest::test_runner::RngSeed::Fixed(2),
        ..ProptestConfig::default()
    }
}

fn regression() -> (Array2<f64>, Array2<f64>) {
    let r = reference();
    (
        matrix(&r["regression"]["y_hat"], "y_hat"),
        matrix(&r["regression"]["y"], "y"),
    )
}

#[test]
fn t01_mse_of_a_small_batch() {
    let _hint = hint::on_failure(2, "t01");
    let y_hat = array![[1.0, 2.0], [3.0, 4.0]];
    let y = array![[1.0, 1.0], [1.0, 1.0]];
    // (0² + 1² + 2² + 3²) / 4 = 3.5
    let value = mse(&y_hat, &y).expect("формы совпадают");
    assert_near(value, 3.5, "MSE([[1, 2], [3, 4]], единицы)");
}

#[test]
fn t02_mse_and_its_gradient_match_pytorch() {
    let _hint = hint::on_failure(2, "t02");
    let (y_hat, y) = regression();
    let r = reference();
    let value = mse(&y_hat, &y).expect("формы совпадают");
    let grad = mse_gradient(&y_hat, &y).expect("формы совпадают");
    assert_matches_pytorch(value, &grad, &r, "mse");
}

#[test]
fn t03_bad_shapes_are_errors_not_panics() {
    let _hint = hint::on_failure(2, "t03");
    let a = Array2::<f64>::zeros((2, 2));
    let b = Array2::<f64>::zeros((2, 3));
    let result = mse(&a, &b);
    assert_eq!(
        result,
        Err(LossError::ShapeMismatch {
            pred: (2, 2),
            target: (2, 3)
        }),
        "MSE матриц 2×2 и 2×3: ожидалась ошибка ShapeMismatch"
    );
    let empty = Array2::<f64>::zeros((0, 3));
    assert!(
        matches!(mse_gradient(&empty, &empty), Err(LossError::Empty { .. })),
        "градиент MSE пустого батча: ожидалась ошибка Empty, получено {:?}",
        mse_gradient(&empty, &empty)
    );
    assert!(
        matches!(bce(&a, &b), Err(LossError::ShapeMismatch { .. })),
        "BCE матриц 2×2 и 2×3: ожидалась ошибка ShapeMismatch, получено {:?}",
        bce(&a, &b)
    );
}

#[test]
fn t04_mae_and_its_gradient_match_pytorch() {
    let _hint = hint::on_failure(2, "t04");
    let (y_hat, y) = regression();
    let value = mae(&y_hat, &y).expect("формы совпадают");
    let grad = mae_gradient(&y_hat, &y).expect("формы совпадают");
    assert_matches_pytorch(value, &grad, &reference(), "mae");
    let at_kink = mae_gradient(&array![[2.0]], &array![[2.0]]).expect("формы совпадают");
    assert_eq!(
        at_kink[[0, 0]],
        0.0,
        "в изломе (ŷ = y) договорились брать градиент MAE равным 0"
    );
}

#[test]
fn t05_huber_is_quadratic_near_zero_and_linear_far_away() {
    let _hint = hint::on_failure(2, "t05");
    // a = y − ŷ = 0.5 ≤ δ = 1: ½·0.25 = 0.125
    let near = huber(&array![[0.0]], &array![[0.5]], 1.0).expect("δ = 1 допустимо");
    assert_near(near, 0.125, "Хубер при a = 0.5, δ = 1");
    // a = 3 > δ = 1: 1·(3 − 0.5) = 2.5
    let far = huber(&array![[0.0]], &array![[3.0]], 1.0).expect("δ = 1 допустимо");
    assert_near(far, 2.5, "Хубер при a = 3, δ = 1");
    let (y_hat, y) = regression();
    for (delta, key) in [(1.0, "huber_1"), (0.5, "huber_0.5")] {
        let value = huber(&y_hat, &y, delta).expect("δ > 0");
        let grad = huber_gradient(&y_hat, &y, delta).expect("δ > 0");
        assert_matches_pytorch(value, &grad, &reference(), key);
    }
}

#[test]
fn t06_huber_rejects_a_bad_delta() {
    let _hint = hint::on_failure(2, "t06");
    let x = array![[1.0, 2.0]];
    for delta in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let result = huber(&x, &x, delta);
        assert!(
            matches!(
                result,
                Err(LossError::InvalidParameter { name: "delta", .. })
            ),
            "huber с delta = {delta}: ожидалась ошибка InvalidParameter {{ name: \"delta\", .. }}, получено {result:?}"
        );
        let result = huber_gradient(&x, &x, delta);
        assert!(
            matches!(
                result,
                Err(LossError::InvalidParameter { name: "delta", .. })
            ),
            "huber_gradient с delta = {delta}: ожидалась ошибка InvalidParameter, получено {result:?}"
        );
    }
}

#[test]
fn t07_regression_gradients_match_finite_differences() {
    let _hint = hint::on_failure(2, "t07");
    proptest!(proptest_config(), |(y_hat in strategies::matrix(3, 2, -3.0..3.0), y in strategies::matrix(3, 2, -3.0..3.0), delta in 0.2..2.0f64)| {
        // излом MAE — при a = 0, Хубера — при |a| = δ: там разности не сходятся
        let a = &y - &y_hat;
        prop_assume!(a.iter().all(|a| a.abs() > 1e-3 && (a.abs() - delta).abs() > 1e-3));
        let checks = [
            ("mse_gradient", gradient_ok(|m| mse(m, &y).unwrap(), &mse_gradient(&y_hat, &y).unwrap(), &y_hat)),
            ("mae_gradient", gradient_ok(|m| mae(m, &y).unwrap(), &mae_gradient(&y_hat, &y).unwrap(), &y_hat)),
            ("huber_gradient", gradient_ok(|m| huber(m, &y, delta).unwrap(), &huber_gradient(&y_hat, &y, delta).unwrap(), &y_hat)),
        ];
        for (name, check) in checks {
            prop_assert!(check.is_ok(), "{} (delta = {}) {}", name, delta, check.unwrap_err());
        }
    });
}

#[test]
fn t08_bce_matches_pytorch() {
    let _hint = hint::on_failure(2, "t08");
    let r = reference();
    let p = matrix(&r["binary"]["p"], "p");
    let y = matrix(&r["binary"]["y"], "y");
    let value = bce(&p, &y).expect("формы совпадают");
    let grad = bce_gradient(&p, &y).expect("формы совпадают");
    assert_matches_pytorch(value, &grad, &r, "bce");
}

#[test]
fn t09_bce_is_finite_for_certain_predictions() {
    let _hint = hint::on_failure(2, "t09");
    // p = 0 при y = 1: ln 0 = −∞, ограничиваем −100 (как PyTorch)
    let value = bce(&array![[0.0]], &array![[1.0]]).expect("формы совпадают");
    assert_near(value, 100.0, "BCE(p = 0, y = 1) с ограничением ln ≥ −100");
    let value = bce(&array![[1.0, 0.0]], &array![[1.0, 0.0]]).expect("формы совпадают");
    assert_near(value, 0.0, "BCE уверенного верного ответа");
    let grad = bce_gradient(&array![[0.0, 1.0]], &array![[1.0, 0.0]]).expect("формы совпадают");
    assert!(
        grad.iter().all(|g| g.is_finite()),
        "градиент BCE при p ∈ {{0, 1}} должен быть конечным (знаменатель не меньше 1e-12), получено {grad}"
    );
}

#[test]
fn t10_cross_entropy_matches_pytorch() {
    let _hint = hint::on_failure(2, "t10");
    let r = reference();
    let p = matrix(&r["categorical"]["p"], "p");
    for (target, key) in [
        ("y_onehot", "cross_entropy_onehot"),
        ("y_soft", "cross_entropy_soft"),
    ] {
        let y = matrix(&r["categorical"][target], target);
        let value = cross_entropy(&p, &y).expect("формы совпадают");
        let grad = cross_entropy_gradient(&p, &y).expect("формы совпадают");
        assert_matches_pytorch(value, &grad, &r, key);
    }
    let certain = cross_entropy(&array![[0.0, 1.0]], &array![[0.0, 1.0]]).expect("формы совпадают");
    assert_near(
        certain,
        0.0,
        "CE уверенного верного ответа (0·ln 0 не должно давать NaN)",
    );
    // там, где p = 0, ln p упёрся в −100 и постоянен: градиент 0, не 0/0 и не −∞
    let p0 = array![[0.0, 1.0], [0.0, 1.0]];
    let y0 = array![[0.0, 1.0], [1.0, 0.0]];
    let grad = cross_entropy_gradient(&p0, &y0).expect("формы совпадают");
    assert!(
        grad[[0, 0]] == 0.0 && grad[[1, 0]] == 0.0,
        "градиент CE при p = 0 (y = 0 и y = 1) должен быть 0 — ограниченный логарифм там \
         постоянен, — получено {grad}"
    );
    assert_near(grad[[0, 1]], -0.5, "градиент CE при p = 1, y = 1: −y/(n·p)");
}

#[test]
fn t11_probability_gradients_match_finite_differences() {
    let _hint = hint::on_failure(2, "t11");
    proptest!(proptest_config(), |(p in strategies::probabilities(3, 4, 0.02), y in strategies::one_hot(3, 4), soft in strategies::distributions(3, 4))| {
        let checks = [
            ("bce_gradient", gradient_ok(|m| bce(m, &y).unwrap(), &bce_gradient(&p, &y).unwrap(), &p)),
            ("cross_entropy_gradient", gradient_ok(|m| cross_entropy(m, &soft).unwrap(), &cross_entropy_gradient(&p, &soft).unwrap(), &p)),
        ];
        for (name, check) in checks {
            prop_assert!(check.is_ok(), "{} {}", name, check.unwrap_err());
        }
    });
}

#[test]
fn t12_softmax_cross_entropy_matches_pytorch_and_is_stable() {
    let _hint = hint::on_failure(2, "t12");
    let r = reference();
    let z = matrix(&r["categorical"]["z"], "z");
    for (target, key) in [
        ("y_onehot", "softmax_cross_entropy_onehot"),
        ("y_soft", "softmax_cross_entropy_soft"),
    ] {
        let y = matrix(&r["categorical"][target], target);
        let value = softmax_cross_entropy(&z, &y).expect("формы совпадают");
        let grad = softmax_cross_entropy_gradient(&z, &y).expect("формы совпадают");
        assert_matches_pytorch(value, &grad, &r, key);
    }
    // логиты 1000: e^1000 = ∞, нужен log-sum-exp с вычитанием максимума
    let z = array![[1000.0, 0.0, -1000.0]];
    let y = array![[0.0, 1.0, 0.0]];
    let value = softmax_cross_entropy(&z, &y).expect("формы совпадают");
    assert_near(value, 1000.0, "CE(SoftMax([1000, 0, −1000]), класс 1)");
    let grad = softmax_cross_entropy_gradient(&z, &y).expect("формы совпадают");
    assert_matrix_near(
        &grad,
        &array![[1.0, -1.0, 0.0]],
        "градиент при логитах ±1000",
    );
}

#[test]
fn t13_softmax_cross_entropy_gradient_matches_finite_differences() {
    let _hint = hint::on_failure(2, "t13");
    proptest!(proptest_config(), |(z in strategies::matrix(3, 4, -5.0..5.0), y in strategies::distributions(3, 4))| {
        let grad = softmax_cross_entropy_gradient(&z, &y).unwrap();
        let check = gradient_ok(|m| softmax_cross_entropy(m, &y).unwrap(), &grad, &z);
        prop_assert!(check.is_ok(), "softmax_cross_entropy_gradient {}", check.unwrap_err());
    });
}

#[test]
fn t14_focal_loss_matches_pytorch_and_reduces_to_bce() {
    let _hint = hint::on_failure(2, "t14");
    let r = reference();
    let p = matrix(&r["binary"]["p"], "p");
    let y = matrix(&r["binary"]["y"], "y");
    for (alpha, gamma, key) in [(0.25, 2.0, "focal_0.25_2"), (0.5, 0.0, "focal_0.5_0")] {
        let value = focal_binary(&p, &y, alpha, gamma).expect("допустимые α и γ");
        let grad = focal_binary_gradient(&p, &y, alpha, gamma).expect("допустимые α и γ");
        assert_matches_pytorch(value, &grad, &r, key);
    }
    // уверенно неверные ответы: ln 0 ограничен −100, как в BCE: 0.25·100 + 0.75·100
    let certain = focal_binary(&array![[0.0, 1.0]], &array![[1.0, 0.0]], 0.25, 2.0)
        .expect("допустимые α и γ");
    assert_near(
        certain,
        100.0,
        "фокальная при p = 0, y = 1 и p = 1, y = 0 (логарифмы через clamped_ln)",
    );
    let half_bce = 0.5 * bce(&p, &y).expect("формы совпадают");
    let focal = focal_binary(&p, &y, 0.5, 0.0).expect("допустимые α и γ");
    assert_near(
        focal,
        half_bce,
        "фокальная при α = ½, γ = 0 — это половина BCE",
    );
    for (alpha, gamma, name) in [
        (1.5, 2.0, "alpha"),
        (-0.1, 2.0, "alpha"),
        (0.25, -1.0, "gamma"),
        (f64::NAN, 2.0, "alpha"),
        (0.25, f64::NAN, "gamma"),
        (0.25, f64::INFINITY, "gamma"),
    ] {
        let result = focal_binary(&p, &y, alpha, gamma);
        assert!(
            matches!(result, Err(LossError::InvalidParameter { name: n, .. }) if n == name),
            "focal_binary(α = {alpha}, γ = {gamma}): ожидалась ошибка InvalidParameter {{ name: \"{name}\" }}, получено {result:?}"
        );
    }
}

#[test]
fn t15_focal_gradient_matches_finite_differences() {
    let _hint = hint::on_failure(2, "t15");
    proptest!(proptest_config(), |(p in strategies::probabilities(2, 3, 0.02), y in strategies::matrix(2, 3, 0.0..1.0).prop_map(|m| m.mapv(f64::round)), alpha in 0.0..1.0f64, gamma in 0.0..4.0f64)| {
        let grad = focal_binary_gradient(&p, &y, alpha, gamma).unwrap();
        let check = gradient_ok(|m| focal_binary(m, &y, alpha, gamma).unwrap(), &grad, &p);
        prop_assert!(check.is_ok(), "focal_binary_gradient (α = {}, γ = {}) {}", alpha, gamma, check.unwrap_err());
    });
}
