//! Скрытый тест лабораторной 1: его нет в раздаче, он есть только в копии
//! преподавателя и считается при проверке (`cargo xtask labs grade`), как
//! в nbgrader. Имя и вес — в `exercises/points.toml`, `[tests.lab01]`.

use lab01::*;
use ndarray::array;

/// Софтмакс не зависит от сдвига входа: softmax(z + c) = softmax(z), и
/// при больших z не переполняется (вычитание максимума).
#[test]
fn t90_softmax_is_shift_invariant_and_stable() {
    let z = array![1.0, 2.0, 3.0];
    let shifted = &z + 1000.0;
    let (a, b) = (softmax(&z), softmax(&shifted));
    for (x, y) in a.iter().zip(&b) {
        assert!(
            (x - y).abs() < 1e-12 && y.is_finite(),
            "softmax(z + 1000) должен совпасть с softmax(z): {a} против {b}"
        );
    }
    assert!((b.sum() - 1.0).abs() < 1e-12, "сумма вероятностей {}", b.sum());
}
