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
// Пока вместо тел стоят `todo!()`, параметры и часть готового кода не
// используются; когда всё будет написано, эту строку можно удалить.
#![allow(unused_variables, dead_code)]

use ndarray::Array2;
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
    // TODO: начните с check_shapes(y_hat, y)?; затем среднее квадратов разностей y − ŷ
    //       (у Array2 есть mapv и mean)
    todo!()
}

/// Градиент MSE по предсказанию:
/// $$\frac{\partial \mathcal{L}_{\mathrm{MSE}}}{\partial \hat y_{ij}} = \frac{2}{nk} (\hat y_{ij} - y_{ij}).$$
pub fn mse_gradient(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    // TODO: начните с check_shapes(y_hat, y)?; затем (ŷ − y)·2/(nk), nk = y_hat.len()
    todo!()
}

/// Средняя абсолютная ошибка:
/// $$\mathcal{L}_{\mathrm{MAE}}(y, \hat y) = \frac{1}{nk} \sum_{i,j} |y_{ij} - \hat y_{ij}|.$$
pub fn mae(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    // TODO: начните с check_shapes(y_hat, y)?; затем среднее модулей разностей
    todo!()
}

/// Градиент MAE:
/// $$\frac{\partial \mathcal{L}_{\mathrm{MAE}}}{\partial \hat y_{ij}} = \frac{\operatorname{sign}(\hat y_{ij} - y_{ij})}{nk},$$
/// где $\operatorname{sign}(0) = 0$ (в изломе, как в PyTorch).
pub fn mae_gradient(y_hat: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    // TODO: начните с check_shapes(y_hat, y)?; sign(ŷ − y)/(nk), причём sign(0) = 0
    //       (f64::signum(0.0) равно 1.0 — он не подойдёт)
    todo!()
}

/// Функция потерь Хубера с порогом $\delta > 0$, усреднённая по $nk$
/// элементам:
/// $$\mathcal{L}_\delta(a) = \begin{cases} \frac12 a^2, & |a| \le \delta, \\ \delta\left(|a| - \frac12 \delta\right), & |a| > \delta, \end{cases} \qquad a = y - \hat y.$$
///
/// `delta` не больше нуля или не конечное — ошибка
/// [`LossError::InvalidParameter`] с `name: "delta"`.
pub fn huber(y_hat: &Array2<f64>, y: &Array2<f64>, delta: f64) -> Result<f64, LossError> {
    // TODO: проверьте delta (> 0 и конечна, иначе Err(LossError::InvalidParameter {
    //       name: "delta", value: delta, expected: "конечное и > 0" })), затем check_shapes;
    //       a = y − ŷ, две ветви формулы, среднее
    todo!()
}

/// Градиент потери Хубера по $\hat y$ (помните: $a = y - \hat y$, поэтому
/// $\partial a / \partial \hat y = -1$):
/// $$\frac{\partial \mathcal{L}_\delta}{\partial \hat y_{ij}} = \frac{1}{nk} \begin{cases} -a_{ij}, & |a_{ij}| \le \delta, \\ -\delta \operatorname{sign}(a_{ij}), & |a_{ij}| > \delta. \end{cases}$$
pub fn huber_gradient(
    y_hat: &Array2<f64>,
    y: &Array2<f64>,
    delta: f64,
) -> Result<Array2<f64>, LossError> {
    // TODO: та же проверка delta и форм; по ветвям: −a/(nk) или −δ·sign(a)/(nk)
    todo!()
}

/// Бинарная перекрёстная энтропия (multi-label: сумма по $k$ меткам
/// примера, среднее по $n$ примерам):
/// $$\mathcal{L}_{\mathrm{BCE}} = \frac1n \sum_{i=1}^{n} \sum_{j=1}^{k} -\bigl(y_{ij} \ln p_{ij} + (1 - y_{ij}) \ln(1 - p_{ij})\bigr).$$
///
/// Логарифмы — через [`clamped_ln`], поэтому $p = 0$ при $y = 1$ даёт
/// $100$, а не $\infty$. (PyTorch со средним по умолчанию делит на $nk$, а не на $n$.)
pub fn bce(p: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    // TODO: check_shapes(p, y)?; сумма −(y·ln p + (1 − y)·ln(1 − p)) по всем элементам,
    //       делённая на n = p.nrows(); логарифм — clamped_ln
    todo!()
}

/// Градиент BCE по вероятностям:
/// $$\frac{\partial \mathcal{L}_{\mathrm{BCE}}}{\partial p_{ij}} = \frac1n \cdot \frac{p_{ij} - y_{ij}}{\max\bigl(p_{ij}(1 - p_{ij}),\ 10^{-12}\bigr)}.$$
///
/// Знаменатель ограничен снизу $10^{-12}$, как в PyTorch, чтобы при
/// $p \in \{0, 1\}$ не делить на ноль.
pub fn bce_gradient(p: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    // TODO: check_shapes(p, y)?; (p − y) / max(p(1 − p), 1e-12) / n поэлементно
    //       (ndarray::Zip::from(p).and(y).map_collect(...))
    todo!()
}

/// Перекрёстная энтропия для вероятностей $p$ (строки — распределения,
/// например выход SoftMax) и ответов $y$ (one-hot или «мягкие»):
/// $$\mathcal{L}_{\mathrm{CE}} = \frac1n \sum_{i=1}^{n} \Bigl(-\sum_{j=1}^{k} y_{ij} \ln p_{ij}\Bigr).$$
pub fn cross_entropy(p: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    // TODO: check_shapes(p, y)?; −Σ y·clamped_ln(p) по всем элементам, делённая на n
    todo!()
}

/// Градиент перекрёстной энтропии по вероятностям:
/// $$\frac{\partial \mathcal{L}_{\mathrm{CE}}}{\partial p_{ij}} = -\frac{y_{ij}}{n\,p_{ij}},$$
/// и $0$ там, где логарифм упёрся в ограничение ($\ln p_{ij} < -100$):
/// ограниченный логарифм там постоянен.
pub fn cross_entropy_gradient(p: &Array2<f64>, y: &Array2<f64>) -> Result<Array2<f64>, LossError> {
    // TODO: check_shapes(p, y)?; −y/(n·p), но 0 там, где ln p < −100
    todo!()
}

/// Перекрёстная энтропия SoftMax-а от «логитов» $z$ (выходов последнего
/// слоя до активации), одной функцией и устойчиво:
/// $$\mathcal{L} = \frac1n \sum_{i=1}^{n} \Bigl(\operatorname{LSE}(z_i) - \sum_{j} y_{ij} z_{ij}\Bigr), \qquad \operatorname{LSE}(z_i) = m_i + \ln \sum_j e^{z_{ij} - m_i}, \quad m_i = \max_j z_{ij}.$$
///
/// Это $\mathcal{L}_{\mathrm{CE}}(\mathrm{SoftMax}(z), y)$ для строк $y$ с
/// суммой 1, но без $\ln$ от очень малых вероятностей.
pub fn softmax_cross_entropy(z: &Array2<f64>, y: &Array2<f64>) -> Result<f64, LossError> {
    // TODO: check_shapes(z, y)?; для каждой строки: m = max, LSE = m + ln Σ e^(z − m),
    //       потеря строки LSE − Σ y·z; сумма по строкам / n
    todo!()
}

/// Градиент перекрёстной энтропии SoftMax-а по логитам — самый известный
/// результат цепного правила:
/// $$\frac{\partial \mathcal{L}}{\partial z_{ij}} = \frac{s_{ij} - y_{ij}}{n}, \qquad s_i = \mathrm{SoftMax}(z_i),$$
/// (строки $y$ в сумме дают 1).
pub fn softmax_cross_entropy_gradient(
    z: &Array2<f64>,
    y: &Array2<f64>,
) -> Result<Array2<f64>, LossError> {
    // TODO: check_shapes(z, y)?; посчитайте SoftMax каждой строки (с вычитанием
    //       максимума), затем (s − y)/n
    todo!()
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
    // TODO: проверьте alpha ∈ [0, 1] и gamma ≥ 0 (InvalidParameter с name "alpha" или
    //       "gamma"), затем check_shapes; сумма по формуле / n; логарифмы — clamped_ln
    todo!()
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
    // TODO: те же проверки; поэлементно — ваш вывод (правило произведения), делённый на n
    todo!()
}
