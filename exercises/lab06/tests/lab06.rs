//! Тесты лабораторной 6, от простых к сложным (номер в имени — порядок).
//!
//! Эталоны в `reference.json` посчитаны PyTorch в `f64`
//! (`exercises/reference/generate.py`); обратный проход сверяется с
//! центральными разностями (крейт `gradcheck`). Последний тест обучает
//! сеть на цифрах и требует не меньше 95 % на тестовой выборке.

mod hint;

use gradcheck::reference::{floats, matrix};
use gradcheck::{GOOD, check_gradient, close};
use lab06::*;
use ndarray::{Array1, Array2, array};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;
use std::collections::HashSet;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference.json")).expect("reference.json — это JSON")
}

/// Лабораторная 6 строится на ваших лабораторных 1, 2, 4 и 5: если одна из
/// них не решена, тест падает с её номером, а не где-то в глубине.
#[track_caller]
fn earlier_labs_are_solved() {
    use std::panic::catch_unwind;
    let checks: [(u32, &str, fn()); 4] = [
        (1, "relu и relu_derivative", || {
            let _ = (lab01::relu(1.0), lab01::relu_derivative(1.0));
        }),
        (2, "softmax_cross_entropy и её градиент", || {
            let _ = lab02::softmax_cross_entropy(&array![[0.5, -1.0]], &array![[1.0, 0.0]]);
            let _ =
                lab02::softmax_cross_entropy_gradient(&array![[0.5, -1.0]], &array![[1.0, 0.0]]);
        }),
        (4, "Momentum", || {
            use lab04::Optimizer;
            let mut w = Array1::from(vec![1.0]);
            let mut opt = lab04::Momentum::new(0.1, 0.9).expect("допустимые η и μ");
            let _ = opt.step(&mut w, &Array1::from(vec![1.0]));
        }),
        (5, "CosineAnnealing", || {
            use lab05::Scheduler;
            let cosine = lab05::CosineAnnealing::new(0.01, 0.1, 10).expect("допустимые параметры");
            let _ = cosine.learning_rate(3);
        }),
    ];
    for (lab, what, check) in checks {
        assert!(
            catch_unwind(check).is_ok(),
            "лабораторная 6 строится на лабораторной {lab}, а её функции ({what}) ещё не \
             работают (паника выше): сначала решите лабораторную {lab} (cargo test -p lab0{lab}) \
             или попросите преподавателя выдать её решение (cargo xtask labs release {lab})"
        );
    }
}

fn digits() -> Dataset {
    load_digits(include_bytes!("../data/digits.csv.gz")).expect("digits.csv.gz разбирается")
}

#[track_caller]
fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: ожидалось {expected:e}, получено {actual:e}"
    );
}

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

/// Сеть `inputs → hidden → classes` с весами из вектора `p` в порядке
/// W1 (по строкам), b1, W2, b2 — чтобы не зависеть от инициализации.
fn mlp_from(p: &[f64], inputs: usize, hidden: usize, classes: usize) -> Mlp {
    let mut at = 0;
    let mut take = |n: usize| {
        let part = p[at..at + n].to_vec();
        at += n;
        part
    };
    let w1 = Array2::from_shape_vec((hidden, inputs), take(hidden * inputs)).unwrap();
    let b1 = Array1::from(take(hidden));
    let w2 = Array2::from_shape_vec((classes, hidden), take(classes * hidden)).unwrap();
    let b2 = Array1::from(take(classes));
    Mlp {
        l1: Linear {
            weight: w1,
            bias: b1,
        },
        l2: Linear {
            weight: w2,
            bias: b2,
        },
    }
}

#[test]
fn t01_linear_forward_is_x_times_w_transposed_plus_b() {
    let _hint = hint::on_failure(6, "t01");
    let layer = Linear {
        weight: array![[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]],
        bias: array![0.5, -1.0],
    };
    // строка [1, 2, 3]: (1 − 3 + 0.5, 2 + 2 + 1.5 − 1)
    let y = layer.forward(&array![[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]);
    assert_matrix_near(&y, &array![[-1.5, 4.5], [0.5, -1.0]], "x·Wᵀ + b");
    let r = &reference()["linear"];
    let layer = Linear {
        weight: matrix(&r["weight"], "weight"),
        bias: Array1::from(floats(&r["bias"], "bias")),
    };
    let y = layer.forward(&matrix(&r["x"], "x"));
    assert_matrix_near(&y, &matrix(&r["y"], "y"), "Linear против torch F.linear");
}

#[test]
fn t02_linear_new_uses_he_initialisation() {
    let _hint = hint::on_failure(6, "t02");
    let mut rng = StdRng::seed_from_u64(7);
    let layer = Linear::new(200, 150, &mut rng);
    assert_eq!(
        layer.weight.dim(),
        (150, 200),
        "Linear::new(200, 150): веса — выходы × входы = (150, 200), получено {:?}",
        layer.weight.dim()
    );
    assert_eq!(
        layer.bias,
        Array1::<f64>::zeros(150),
        "смещения при инициализации — нули"
    );
    let n = layer.weight.len() as f64;
    let mean = layer.weight.sum() / n;
    let std = (layer.weight.mapv(|w| (w - mean).powi(2)).sum() / n).sqrt();
    let expected = (2.0_f64 / 200.0).sqrt();
    assert!(
        mean.abs() < 0.01 && (std / expected - 1.0).abs() < 0.05,
        "веса Хе: среднее ≈ 0 и std ≈ √(2/200) = {expected:.4}; получено среднее {mean:.4}, std {std:.4}"
    );
    let again = Linear::new(200, 150, &mut StdRng::seed_from_u64(7));
    assert_eq!(
        again, layer,
        "с тем же зерном инициализация должна повторяться"
    );
}

#[test]
fn t03_relu_and_its_backward() {
    let _hint = hint::on_failure(6, "t03");
    earlier_labs_are_solved();
    let z = array![[-2.0, 0.0, 3.0], [1.5, -0.1, 0.2]];
    assert_matrix_near(
        &relu(&z),
        &array![[0.0, 0.0, 3.0], [1.5, 0.0, 0.2]],
        "ReLU(z)",
    );
    let upstream = array![[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]];
    assert_matrix_near(
        &relu_backward(&z, &upstream),
        &array![[0.0, 0.0, 30.0], [40.0, 0.0, 60.0]],
        "∂L/∂z = ∂L/∂h ⊙ [z > 0]",
    );
}

#[test]
fn t04_softmax_cross_entropy_matches_pytorch_and_is_stable() {
    let _hint = hint::on_failure(6, "t04");
    earlier_labs_are_solved();
    let r = &reference()["cross_entropy"];
    let logits = matrix(&r["logits"], "logits");
    let labels: Vec<usize> = r["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let (loss, grad) = softmax_cross_entropy(&logits, &labels);
    assert_near(
        loss,
        r["loss"].as_f64().unwrap(),
        "потеря против torch F.cross_entropy",
    );
    assert_matrix_near(
        &grad,
        &matrix(&r["gradient"], "gradient"),
        "градиент по логитам",
    );
    let (loss, grad) = softmax_cross_entropy(&array![[1000.0, 0.0, -1000.0]], &[1]);
    assert!(
        loss.is_finite() && grad.iter().all(|g| g.is_finite()),
        "логиты ±1000: потеря и градиент должны быть конечными (вычтите максимум), получено {loss} и {grad}"
    );
    assert_near(
        loss,
        1000.0,
        "потеря при логитах [1000, 0, −1000] и классе 1",
    );
}

#[test]
fn t05_softmax_cross_entropy_gradient_matches_finite_differences() {
    let _hint = hint::on_failure(6, "t05");
    earlier_labs_are_solved();
    let logits = Array2::from_shape_fn((4, 6), |(i, j)| ((i * 6 + j) as f64 * 1.3).sin() * 3.0);
    let labels = [2, 5, 0, 2];
    let (_, grad) = softmax_cross_entropy(&logits, &labels);
    let report = check_gradient(
        |v| {
            softmax_cross_entropy(
                &Array2::from_shape_vec((4, 6), v.to_vec()).unwrap(),
                &labels,
            )
            .0
        },
        logits.as_slice().unwrap(),
        grad.as_slice().unwrap(),
    );
    let i = report.worst_index;
    assert!(
        report.passes(GOOD),
        "градиент по логиту [{}, {}]: ваш {:e}, конечные разности дают {:e}",
        i / 6,
        i % 6,
        report.analytic[i],
        report.numeric[i]
    );
}

#[test]
fn t06_mlp_forward_predict_and_accuracy() {
    let _hint = hint::on_failure(6, "t06");
    earlier_labs_are_solved();
    let mut rng = StdRng::seed_from_u64(1);
    let model = Mlp::new(PIXELS, 32, CLASSES, &mut rng);
    assert_eq!(model.l1.weight.dim(), (32, 64), "W1 — 32 × 64");
    assert_eq!(model.l2.weight.dim(), (10, 32), "W2 — 10 × 32");
    let x = Array2::from_shape_fn((5, 64), |(i, j)| ((i + j) % 7) as f64 / 7.0);
    let cache = model.forward(&x);
    assert_eq!(cache.z1.dim(), (5, 32), "z1 для батча из 5 — 5 × 32");
    assert_eq!(cache.h1, relu(&cache.z1), "h1 = ReLU(z1)");
    assert_eq!(cache.z2.dim(), (5, 10), "логиты z2 — 5 × 10");
    assert_matrix_near(
        &cache.z2,
        &model.l2.forward(&model.l1.forward(&x).mapv(|v| v.max(0.0))),
        "z2",
    );
    // ручная сеть 2 → 2 → 3: z2 = [z1₀, z1₁, 0.5] после ReLU
    let tiny = mlp_from(
        &[
            1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5,
        ],
        2,
        2,
        3,
    );
    let x = array![[3.0, 1.0], [-1.0, 2.0], [0.1, 0.2]];
    assert_eq!(
        tiny.predict(&x),
        vec![0, 1, 2],
        "predict — номер наибольшего логита в каждой строке"
    );
    let data = Dataset {
        x,
        labels: vec![0, 2, 2],
    };
    assert_near(
        accuracy(&tiny, &data),
        2.0 / 3.0,
        "доля верных ответов (2 из 3)",
    );
}

#[test]
fn t07_mlp_backward_matches_finite_differences() {
    let _hint = hint::on_failure(6, "t07");
    earlier_labs_are_solved();
    let (inputs, hidden, classes) = (4, 5, 3);
    let count = hidden * inputs + hidden + classes * hidden + classes;
    let params: Vec<f64> = (0..count).map(|i| (i as f64 * 0.77).sin()).collect();
    let x = Array2::from_shape_fn((6, inputs), |(i, j)| ((i * inputs + j) as f64 * 0.53).cos());
    let labels = [0, 2, 1, 1, 0, 2];
    let loss = |p: &[f64]| {
        let model = mlp_from(p, inputs, hidden, classes);
        softmax_cross_entropy(&model.forward(&x).z2, &labels).0
    };
    let model = mlp_from(&params, inputs, hidden, classes);
    let cache = model.forward(&x);
    let (_, dz2) = softmax_cross_entropy(&cache.z2, &labels);
    let g = model.backward(&cache, &dz2);
    let shapes = [
        ("dw1", g.dw1.dim(), (hidden, inputs)),
        ("db1", (g.db1.len(), 1), (hidden, 1)),
        ("dw2", g.dw2.dim(), (classes, hidden)),
        ("db2", (g.db2.len(), 1), (classes, 1)),
    ];
    for (name, got, expected) in shapes {
        assert_eq!(
            got, expected,
            "форма {name} должна совпадать с формой параметра"
        );
    }
    let analytic: Vec<f64> = g
        .dw1
        .iter()
        .chain(&g.db1)
        .chain(&g.dw2)
        .chain(&g.db2)
        .copied()
        .collect();
    let report = check_gradient(loss, &params, &analytic);
    let i = report.worst_index;
    let name = match i {
        i if i < 20 => format!("dw1[{}, {}]", i / inputs, i % inputs),
        i if i < 25 => format!("db1[{}]", i - 20),
        i if i < 40 => format!("dw2[{}, {}]", (i - 25) / hidden, (i - 25) % hidden),
        i => format!("db2[{}]", i - 40),
    };
    assert!(
        report.passes(GOOD),
        "{name}: ваш градиент {:e}, конечные разности дают {:e}",
        report.analytic[i],
        report.numeric[i]
    );
}

#[test]
fn t08_batches_cover_every_sample_once_in_shuffled_order() {
    let _hint = hint::on_failure(6, "t08");
    let mut rng = StdRng::seed_from_u64(3);
    let epoch = batches(103, 10, &mut rng);
    let sizes: Vec<usize> = epoch.iter().map(Vec::len).collect();
    assert_eq!(
        sizes,
        [vec![10; 10], vec![3]].concat(),
        "103 примера по 10: десять батчей по 10 и один из 3"
    );
    let all: Vec<usize> = epoch.concat();
    let unique: HashSet<usize> = all.iter().copied().collect();
    assert!(
        all.len() == 103 && unique.len() == 103 && all.iter().all(|&i| i < 103),
        "за эпоху каждый индекс 0..103 должен встретиться ровно один раз"
    );
    assert_ne!(
        all,
        (0..103).collect::<Vec<_>>(),
        "индексы должны быть перемешаны (rand::seq::SliceRandom::shuffle)"
    );
    let next = batches(103, 10, &mut rng);
    assert_ne!(next, epoch, "каждая эпоха перемешивается заново");

    let data = digits();
    let (train_1, test_1) = train_test_split(&data, 0.2, 1);
    let (train_2, _) = train_test_split(&data, 0.2, 2);
    let (again, _) = train_test_split(&data, 0.2, 1);
    assert_eq!(
        test_1.len(),
        (data.len() as f64 * 0.2).round() as usize,
        "test_fraction = 0.2: в тестовой выборке пятая часть примеров"
    );
    assert_eq!(
        train_1, again,
        "один и тот же seed — одно и то же разбиение"
    );
    assert_ne!(
        train_1.labels, train_2.labels,
        "разные seed — разные разбиения: перемешивание должно зависеть от seed"
    );
    // стандартизация теста — статистиками обучающей выборки, не своими
    let mut train_set = train_1.clone();
    let first_rows: Vec<usize> = (0..10).collect();
    let mut test_set = train_set.select(&first_rows);
    standardize(&mut train_set, &mut test_set);
    assert_matrix_near(
        &test_set.x,
        &train_set.select(&first_rows).x,
        "тест, совпадающий с началом обучающей выборки, после стандартизации",
    );
}

#[test]
fn t09_momentum_step_updates_every_parameter() {
    let _hint = hint::on_failure(6, "t09");
    earlier_labs_are_solved();
    let mut model = mlp_from(&[0.0; 2 * 2 + 2 + 3 * 2 + 3], 2, 2, 3);
    let ones = Gradients {
        dw1: Array2::ones((2, 2)),
        db1: Array1::ones(2),
        dw2: Array2::ones((3, 2)),
        db2: Array1::ones(3),
    };
    let mut opt = MomentumSgd::new(0.1, 0.9);
    opt.step(&mut model, &ones);
    opt.step(&mut model, &ones);
    // v₁ = 1, v₂ = 1.9: w = −0.1·1 − 0.1·1.9 = −0.29
    let params = [
        ("W1", model.l1.weight.iter().copied().collect::<Vec<_>>()),
        ("b1", model.l1.bias.to_vec()),
        ("W2", model.l2.weight.iter().copied().collect()),
        ("b2", model.l2.bias.to_vec()),
    ];
    for (name, values) in params {
        for (i, w) in values.iter().enumerate() {
            assert_near(
                *w,
                -0.29,
                &format!("{name}[{i}] после двух шагов импульса (η = 0.1, μ = 0.9)"),
            );
        }
    }
    // расписание меняет η между шагами: третий шаг с η = 0.2, v₃ = 0.9·1.9 + 1 = 2.71
    opt.eta = 0.2;
    opt.step(&mut model, &ones);
    assert_near(
        model.l2.bias[0],
        -0.29 - 0.2 * 2.71,
        "b2[0] после третьего шага с η = 0.2 (новая скорость обучения должна действовать)",
    );
}

#[test]
fn t10_training_lowers_the_loss_and_checks_its_config() {
    let _hint = hint::on_failure(6, "t10");
    earlier_labs_are_solved();
    let data = digits();
    let small = data.select(&(0..300).collect::<Vec<_>>());
    let config = TrainConfig {
        epochs: 5,
        ..TrainConfig::default()
    };
    let (_, history) = train(&small, &config).expect("настройки по умолчанию допустимы");
    assert_eq!(
        history.epoch_loss.len(),
        5,
        "по одной средней потере на эпоху"
    );
    let (first, last) = (history.epoch_loss[0], history.epoch_loss[4]);
    assert!(
        last < first * 0.5,
        "за 5 эпох на 300 картинках средняя потеря должна упасть хотя бы вдвое: {first} → {last}"
    );
    // тот же цикл вручную из ваших же деталей: те же батчи, те же шаги
    let tiny = data.select(&(0..64).collect::<Vec<_>>());
    let config = TrainConfig {
        hidden: 8,
        epochs: 2,
        batch_size: 16,
        ..TrainConfig::default()
    };
    let (model, history) = train(&tiny, &config).expect("допустимые настройки");
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut expected = Mlp::new(PIXELS, config.hidden, CLASSES, &mut rng);
    let mut optimizer = MomentumSgd::new(config.eta, config.mu);
    let schedule = lab05::CosineAnnealing::new(config.eta / 10.0, config.eta, config.epochs)
        .expect("допустимое расписание");
    for epoch in 0..config.epochs {
        optimizer.eta = lab05::Scheduler::learning_rate(&schedule, epoch);
        let order = batches(tiny.len(), config.batch_size, &mut rng);
        let mut total = 0.0;
        for rows in &order {
            let batch = tiny.select(rows);
            let cache = expected.forward(&batch.x);
            let (loss, dz2) = softmax_cross_entropy(&cache.z2, &batch.labels);
            let grads = expected.backward(&cache, &dz2);
            optimizer.step(&mut expected, &grads);
            total += loss;
        }
        assert_near(
            history.epoch_loss[epoch],
            total / order.len() as f64,
            &format!("потеря эпохи {epoch} — среднее потерь её батчей"),
        );
    }
    assert_matrix_near(
        &model.l2.weight,
        &expected.l2.weight,
        "W2 после двух эпох (каждый шаг — градиент текущего батча в текущих весах)",
    );

    let bad = TrainConfig {
        batch_size: 0,
        ..TrainConfig::default()
    };
    let result = train(&small, &bad);
    assert!(
        matches!(
            result,
            Err(TrainError::InvalidConfig {
                name: "batch_size",
                ..
            })
        ),
        "batch_size = 0: ожидалась ошибка InvalidConfig {{ name: \"batch_size\" }}, получено {:?}",
        result.map(|_| ())
    );
    let no_decay = TrainConfig {
        mu: 1.0,
        ..TrainConfig::default()
    };
    let result = train(&small, &no_decay);
    assert!(
        matches!(result, Err(TrainError::InvalidConfig { name: "mu", .. })),
        "mu = 1 (скорость не затухает): ожидалась ошибка InvalidConfig {{ name: \"mu\" }}, получено {:?}",
        result.map(|_| ())
    );
}

#[test]
fn t11_reaches_95_percent_on_the_digits_test_set() {
    let _hint = hint::on_failure(6, "t11");
    earlier_labs_are_solved();
    let (mut train_set, mut test_set) = train_test_split(&digits(), 0.2, 0);
    standardize(&mut train_set, &mut test_set);
    let (model, history) =
        train(&train_set, &TrainConfig::default()).expect("допустимые настройки");
    let on_test = accuracy(&model, &test_set);
    let on_train = accuracy(&model, &train_set);
    assert!(
        on_test >= 0.95,
        "точность на тестовой выборке ({} картинок) должна быть не ниже 95 %, получено {:.1} % \
         (на обучающей {:.1} %, потеря по эпохам {:?})",
        test_set.len(),
        100.0 * on_test,
        100.0 * on_train,
        history.epoch_loss
    );
}
