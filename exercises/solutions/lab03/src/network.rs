//! Часть 1: сеть из лекции и её градиенты, выведенные вручную.
//!
//! $$z = w_1 x + b_1, \qquad h = \sigma(z), \qquad \hat y = w_2 h + b_2, \qquad
//! \mathcal{L} = \tfrac12 (y - \hat y)^2.$$
//!
//! **Исправление лекции (1).** В лекции сеть записана как
//! $w_2 \sigma(w_1 x + b_1) + b_1$; последнее слагаемое — $b_2$ (вывод
//! градиентов ниже в лекции сам использует $b_2$).
//!
//! **Задание.** Градиенты выведите сами, цепным правилом. В выводе
//! градиентов в лекции есть ещё одна ошибка — найдите её: шаг
//! $w - \eta \cdot \text{grad}$ с неверными градиентами *увеличивает*
//! потерю, и тест `t05_gradient_step_reduces_the_loss` это ловит.

/// Сигмоида $\sigma(x) = \frac{1}{1 + e^{-x}}$. (Готовый код из лабораторной 1.)
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Параметры сети $\hat y = w_2\,\sigma(w_1 x + b_1) + b_2$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Вес скрытого нейрона $w_1$.
    pub w1: f64,
    /// Смещение скрытого нейрона $b_1$.
    pub b1: f64,
    /// Вес выхода $w_2$.
    pub w2: f64,
    /// Смещение выхода $b_2$.
    pub b2: f64,
}

/// Всё, что посчитал прямой проход: обратному проходу нужны $z$ и $h$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forward {
    /// $z = w_1 x + b_1$ — значение нейрона до активации.
    pub z: f64,
    /// $h = \sigma(z)$ — выход скрытого нейрона.
    pub h: f64,
    /// $\hat y = w_2 h + b_2$ — выход сети.
    pub y_hat: f64,
}

/// Градиенты потери по четырём параметрам.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gradients {
    /// $\partial \mathcal{L} / \partial w_1$.
    pub dw1: f64,
    /// $\partial \mathcal{L} / \partial b_1$.
    pub db1: f64,
    /// $\partial \mathcal{L} / \partial w_2$.
    pub dw2: f64,
    /// $\partial \mathcal{L} / \partial b_2$.
    pub db2: f64,
}

/// Прямой проход:
/// $$z = w_1 x + b_1, \qquad h = \sigma(z), \qquad \hat y = w_2 h + b_2.$$
pub fn forward(params: &Params, x: f64) -> Forward {
    let z = params.w1 * x + params.b1;
    let h = sigmoid(z);
    let y_hat = params.w2 * h + params.b2;
    Forward { z, h, y_hat }
}

/// Потеря одного примера $\mathcal{L} = \tfrac12 (y - \hat y)^2$.
pub fn loss(y_hat: f64, y: f64) -> f64 {
    0.5 * (y - y_hat) * (y - y_hat)
}

/// Обратный проход: градиенты потери
/// $\mathcal{L} = \tfrac12 (y - \hat y)^2$ по $w_1, b_1, w_2, b_2$.
///
/// Даны величины прямого прохода $z$, $h = \sigma(z)$, $\hat y$ и
/// $\sigma'(z) = h(1 - h)$. Выведите четыре градиента цепным правилом
/// (глава 5): сначала $\partial \mathcal{L} / \partial \hat y$, затем
/// $\partial \mathcal{L} / \partial z$, затем по параметрам.
pub fn backward(params: &Params, x: f64, y: f64) -> Gradients {
    let Forward { h, y_hat, .. } = forward(params, x);
    let dl_dy_hat = y_hat - y; // −(y − ŷ): the lecture drops the minus
    let dl_dz = dl_dy_hat * params.w2 * h * (1.0 - h);
    Gradients {
        dw1: dl_dz * x,
        db1: dl_dz,
        dw2: dl_dy_hat * h,
        db2: dl_dy_hat,
    }
}

/// Шаг градиентного спуска:
/// $$w^{(t+1)} = w^{(t)} - \eta\, \frac{\partial \mathcal{L}}{\partial w^{(t)}}$$
/// для каждого из четырёх параметров.
pub fn gradient_step(params: &Params, grads: &Gradients, eta: f64) -> Params {
    Params {
        w1: params.w1 - eta * grads.dw1,
        b1: params.b1 - eta * grads.db1,
        w2: params.w2 - eta * grads.dw2,
        b2: params.b2 - eta * grads.db2,
    }
}

/// Стохастический градиентный спуск: `epochs` раз пройти по `data`
/// (пары $(x, y)$) по порядку и после каждого примера сделать
/// [`gradient_step`] с шагом `eta`. Возвращает обученные параметры.
pub fn train(params: Params, data: &[(f64, f64)], eta: f64, epochs: usize) -> Params {
    let mut params = params;
    for _ in 0..epochs {
        for &(x, y) in data {
            let grads = backward(&params, x, y);
            params = gradient_step(&params, &grads, eta);
        }
    }
    params
}
