//! # Лабораторная 2. Функции потерь и их градиенты
//!
//! Функция потерь $\mathcal{L}$ сводит ответ сети на батче к одному числу,
//! которое обучение уменьшает. Для обратного распространения нужен ещё её
//! градиент по предсказанию — с него начинается цепное правило.
//!
//! **Соглашения** (как в крейте `losses` курса):
//! * батч — матрица $n \times k$: $n$ примеров (строки), $k$ выходов;
//! * предсказание идёт первым аргументом, ответ $y$ — вторым;
//! * MSE, MAE и Хубер усредняют по всем $n k$ элементам; BCE, фокальная и
//!   перекрёстная энтропия суммируют по $k$ выходам примера и усредняют по
//!   $n$ примерам;
//! * градиент — это $\partial \mathcal{L} / \partial (\text{предсказание})$
//!   *усреднённой* потери, матрица той же формы $n \times k$;
//! * логарифм вероятности ограничен снизу числом $-100$ ([`clamped_ln`]),
//!   как в PyTorch, чтобы $p = 0$ давало конечную потерю, а не $\infty$.
//!
//! Формулы — в документации над функциями, порядок работы — в `README.md`,
//! проверка — `cargo test -p lab02`.
#![forbid(unsafe_code)]

use ndarray::{Array2, Axis, Zip};
use thiserror::Error;

/// Что не так со входом функции потерь. (Готовый код.)
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LossError {
    /// Предсказание и ответ разной формы.
    #[error("предсказание формы {pred:?}, а ответ формы {target:?}: формы должны совпадать")]
    ShapeMismatch {
        /// Форма предсказания $(n, k)$.
        pred: (usize, usize),
        /// Форма ответа $(n, k)$.
        target: (usize, usize),
    },
    /// В батче нет ни одного элемента: усреднять нечего.
    #[error("батч пуст ({rows}×{cols}): усреднять нечего")]
    Empty {
        /// Число строк.
        rows: usize,
        /// Число столбцов.
        cols: usize,
    },
    /// Гиперпараметр вне допустимых значений.
    #[error("недопустимое значение {name} = {value}: нужно {expected}")]
    InvalidParameter {
        /// Имя параметра (`"delta"`, `"alpha"`, `"gamma"`).
        name: &'static str,
        /// Переданное значение.
        value: f64,
        /// Допустимые значения.
        expected: &'static str,
    },
}

/// Проверяет, что формы совпадают и батч не пуст. (Готовый код: вызывайте
/// её первой строкой каждой функции потерь — `check_shapes(y_hat, y)?;`.)
pub fn check_shapes(pred: &Array2<f64>, target: &Array2<f64>) -> Result<(), LossError> {
    if pred.dim() != target.dim() {
        return Err(LossError::ShapeMismatch {
            pred: pred.dim(),
            target: target.dim(),
        });
    }
    if pred.is_empty() {
        let (rows, cols) = pred.dim();
        return Err(LossError::Empty { rows, cols });
    }
    Ok(())
}

/// $\max(\ln p, -100)$ — логарифм, ограниченный снизу, как в PyTorch.
/// (Готовый код.) При $p = 0$ даёт $-100$, а не $-\infty$.
pub fn clamped_ln(p: f64) -> f64 {
    p.ln().max(-100.0)
}

/// Среднеквадратичная ошибка:
/// $$\mathcal{L}_{\mathrm{MSE}}(y, \hat y) = \frac{1}{nk} \sum_{i,j} (y_{ij} - \hat y_{ij})^2.$$
pub fn mse(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    check_shapes(y_hat, y)?;
    let diff = y - y_hat;
    Ok(diff.mapv(|a| a * a).mean().expect("the batch is not empty"))
}

/// Градиент MSE по предсказанию:
/// $$\frac{\partial \mathcal{L}_{\mathrm{MSE}}}{\partial \hat y_{ij}} = \frac{2}{nk} (\hat y_{ij} - y_{ij}).$$
pub fn mse_gradient(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    check_shapes(y_hat, y)?;
    let nk = y_hat.len() as f64;
    Ok((y_hat - y) * (2.0 / nk))
}

/// Средняя абсолютная ошибка:
/// $$\mathcal{L}_{\mathrm{MAE}}(y, \hat y) = \frac{1}{nk} \sum_{i,j} |y_{ij} - \hat y_{ij}|.$$
pub fn mae(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    check_shapes(y_hat, y)?;
    let diff = y - y_hat;
    Ok(diff.mapv(f64::abs).mean().expect("the batch is not empty"))
}

/// Градиент MAE:
/// $$\frac{\partial \mathcal{L}_{\mathrm{MAE}}}{\partial \hat y_{ij}} = \frac{\operatorname{sign}(\hat y_{ij} - y_{ij})}{nk},$$
/// где $\operatorname{sign}(0) = 0$ (в изломе, как в PyTorch).
pub fn mae_gradient(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    check_shapes(y_hat, y)?;
    let nk = y_hat.len() as f64;
    let sign = |d: f64| {
        if d > 0.0 {
            1.0
        } else if d < 0.0 {
            -1.0
        } else {
            0.0
        }
    };
    Ok((y_hat - y).mapv(|d| sign(d) / nk))
}

/// Функция потерь Хубера с порогом $\delta > 0$, усреднённая по $nk$
/// элементам:
/// $$\mathcal{L}_\delta(a) = \begin{cases} \frac12 a^2, & |a| \le \delta, \\ \delta\left(|a| - \frac12 \delta\right), & |a| > \delta, \end{cases} \qquad a = y - \hat y.$$
///
/// `delta` не больше нуля или не конечное — ошибка
/// [`LossError::InvalidParameter`] с `name: "delta"`.
pub fn huber(y_hat: &Array2<f64>, y: &Array2<f64>, delta: f64) -> Result<f64, LossError> {
    check_delta(delta)?;
    check_shapes(y_hat, y)?;
    let a = y - y_hat;
    let per_element = a.mapv(|a| {
        if a.abs() <= delta {
            0.5 * a * a
        } else {
            delta * (a.abs() - 0.5 * delta)
        }
    });
    Ok(per_element.mean().expect("the batch is not empty"))
}

/// Градиент потери Хубера по $\hat y$ (помните: $a = y - \hat y$, поэтому
/// $\partial a / \partial \hat y = -1$):
/// $$\frac{\partial \mathcal{L}_\delta}{\partial \hat y_{ij}} = \frac{1}{nk} \begin{cases} -a_{ij}, & |a_{ij}| \le \delta, \\ -\delta \operatorname{sign}(a_{ij}), & |a_{ij}| > \delta. \end{cases}$$
pub fn huber_gradient(
    y_hat: &Array2<f64>,
    y: &Array2<f64>,
    delta: f64,
) -> Result<Array2<f64>, LossError> {
    check_delta(delta)?;
    check_shapes(y_hat, y)?;
    let nk = y_hat.len() as f64;
    let a = y - y_hat;
    Ok(a.mapv(|a| {
        let d_da = if a.abs() <= delta {
            a
        } else {
            delta * a.signum()
        };
        -d_da / nk
    }))
}

// δ > 0 and finite, shared by huber and huber_gradient
fn check_delta(delta: f64) -> Result<(), LossError> {
    if delta > 0.0 && delta.is_finite() {
        Ok(())
    } else {
        Err(LossError::InvalidParameter {
            name: "delta",
            value: delta,
            expected: "конечное и > 0",
        })
    }
}

/// Бинарная перекрёстная энтропия (multi-label: сумма по $k$ меткам
/// примера, среднее по $n$ примерам):
/// $$\mathcal{L}_{\mathrm{BCE}} = \frac1n \sum_{i=1}^{n} \sum_{j=1}^{k} -\bigl(y_{ij} \ln p_{ij} + (1 - y_{ij}) \ln(1 - p_{ij})\bigr).$$
///
/// Логарифмы — через [`clamped_ln`], поэтому $p = 0$ при $y = 1$ даёт
/// $100$, а не $\infty$. (PyTorch со средним по умолчанию делит на $nk$, а не на $n$.)
pub fn bce(p: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    let mut total = 0.0;
    Zip::from(p).and(y).for_each(|&p, &y| {
        total -= y * clamped_ln(p) + (1.0 - y) * clamped_ln(1.0 - p);
    });
    Ok(total / n)
}

/// Градиент BCE по вероятностям:
/// $$\frac{\partial \mathcal{L}_{\mathrm{BCE}}}{\partial p_{ij}} = \frac1n \cdot \frac{p_{ij} - y_{ij}}{\max\bigl(p_{ij}(1 - p_{ij}),\ 10^{-12}\bigr)}.$$
///
/// Знаменатель ограничен снизу $10^{-12}$, как в PyTorch, чтобы при
/// $p \in \{0, 1\}$ не делить на ноль.
pub fn bce_gradient(p: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    Ok(Zip::from(p)
        .and(y)
        .map_collect(|&p, &y| (p - y) / (p * (1.0 - p)).max(1e-12) / n))
}

/// Перекрёстная энтропия для вероятностей $p$ (строки — распределения,
/// например выход SoftMax) и ответов $y$ (one-hot или «мягкие»):
/// $$\mathcal{L}_{\mathrm{CE}} = \frac1n \sum_{i=1}^{n} \Bigl(-\sum_{j=1}^{k} y_{ij} \ln p_{ij}\Bigr).$$
pub fn cross_entropy(p: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    let total: f64 = Zip::from(p)
        .and(y)
        .fold(0.0, |acc, &p, &y| acc - y * clamped_ln(p));
    Ok(total / n)
}

/// Градиент перекрёстной энтропии по вероятностям:
/// $$\frac{\partial \mathcal{L}_{\mathrm{CE}}}{\partial p_{ij}} = -\frac{y_{ij}}{n\,p_{ij}},$$
/// и $0$ там, где логарифм упёрся в ограничение ($\ln p_{ij} < -100$):
/// ограниченный логарифм там постоянен.
pub fn cross_entropy_gradient(p: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    Ok(Zip::from(p)
        .and(y)
        .map_collect(|&p, &y| if p.ln() < -100.0 { 0.0 } else { -y / (n * p) }))
}

/// Перекрёстная энтропия SoftMax-а от «логитов» $z$ (выходов последнего
/// слоя до активации), одной функцией и устойчиво:
/// $$\mathcal{L} = \frac1n \sum_{i=1}^{n} \Bigl(\operatorname{LSE}(z_i) - \sum_{j} y_{ij} z_{ij}\Bigr), \qquad \operatorname{LSE}(z_i) = m_i + \ln \sum_j e^{z_{ij} - m_i}, \quad m_i = \max_j z_{ij}.$$
///
/// Это $\mathcal{L}_{\mathrm{CE}}(\mathrm{SoftMax}(z), y)$ для строк $y$ с
/// суммой 1, но без $\ln$ от очень малых вероятностей.
pub fn softmax_cross_entropy(z: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    check_shapes(z, y)?;
    let n = z.nrows() as f64;
    let mut total = 0.0;
    for (z_i, y_i) in z.outer_iter().zip(y.outer_iter()) {
        let m = z_i.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let lse = m + z_i.mapv(|v| (v - m).exp()).sum().ln();
        total += lse - z_i.dot(&y_i);
    }
    Ok(total / n)
}

/// Градиент перекрёстной энтропии SoftMax-а по логитам — самый известный
/// результат цепного правила:
/// $$\frac{\partial \mathcal{L}}{\partial z_{ij}} = \frac{s_{ij} - y_{ij}}{n}, \qquad s_i = \mathrm{SoftMax}(z_i),$$
/// (строки $y$ в сумме дают 1).
pub fn softmax_cross_entropy_gradient(
    z: &Array2<f64>,
    y: &Array2<f64>,
) -> Result<Array2<f64>, LossError> {
    check_shapes(z, y)?;
    let n = z.nrows() as f64;
    let mut s = z.clone();
    for mut row in s.axis_iter_mut(Axis(0)) {
        let m = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - m).exp());
        let sum = row.sum();
        row /= sum;
    }
    Ok((s - y) / n)
}

/// Бинарная фокальная функция потерь (сумма по $k$, среднее по $n$):
/// $$\mathcal{L}_{\mathrm{focal}} = \frac1n \sum_{i,j} \Bigl(-\alpha (1 - p)^\gamma\, y \ln p - (1 - \alpha)\, p^\gamma (1 - y) \ln(1 - p)\Bigr)_{ij},$$
/// $0 \le \alpha \le 1$, $\gamma \ge 0$; иначе [`LossError::InvalidParameter`]
/// (`name: "alpha"` или `"gamma"`). При $\gamma = 0$, $\alpha = \tfrac12$ это
/// половина BCE. Логарифмы — через [`clamped_ln`].
pub fn focal_binary(
    p: &Array2<f64>,
    y: &Array2<f64>,
    alpha: f64,
    gamma: f64,
) -> Result<f64, LossError> {
    check_focal(alpha, gamma)?;
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    let total = Zip::from(p).and(y).fold(0.0, |acc, &p, &y| {
        acc - alpha * (1.0 - p).powf(gamma) * y * clamped_ln(p)
            - (1.0 - alpha) * p.powf(gamma) * (1.0 - y) * clamped_ln(1.0 - p)
    });
    Ok(total / n)
}

/// Градиент бинарной фокальной потери по $p$,
/// $\partial \mathcal{L}_{\mathrm{focal}} / \partial p_{ij}$, — выведите его
/// сами из формулы [`focal_binary`]: в каждом из двух слагаемых от $p$
/// зависят два множителя. Те же проверки $\alpha$, $\gamma$ и форм, что в
/// потере. Проверяется при $0 < p < 1$ конечными разностями.
pub fn focal_binary_gradient(
    p: &Array2<f64>,
    y: &Array2<f64>,
    alpha: f64,
    gamma: f64,
) -> Result<Array2<f64>, LossError> {
    check_focal(alpha, gamma)?;
    check_shapes(p, y)?;
    let n = p.nrows() as f64;
    Ok(Zip::from(p).and(y).map_collect(|&p, &y| {
        let positive =
            alpha * y * (gamma * (1.0 - p).powf(gamma - 1.0) * p.ln() - (1.0 - p).powf(gamma) / p);
        let negative = (1.0 - alpha)
            * (1.0 - y)
            * (p.powf(gamma) / (1.0 - p) - gamma * p.powf(gamma - 1.0) * (1.0 - p).ln());
        (positive + negative) / n
    }))
}

// 0 ≤ α ≤ 1 and γ ≥ 0, shared by focal_binary and its gradient
fn check_focal(alpha: f64, gamma: f64) -> Result<(), LossError> {
    if !(0.0..=1.0).contains(&alpha) {
        return Err(LossError::InvalidParameter {
            name: "alpha",
            value: alpha,
            expected: "из [0, 1]",
        });
    }
    if !(gamma >= 0.0 && gamma.is_finite()) {
        return Err(LossError::InvalidParameter {
            name: "gamma",
            value: gamma,
            expected: "конечное и ≥ 0",
        });
    }
    Ok(())
}
